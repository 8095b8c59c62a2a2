"""The web app over a real SQLite store: JSON shapes, filters, bounds, escaping, CSRF and decisions.

The store is built once per module by the real analysis of the two seed
reports and of invented reports, one of them hostile (HTML and script in its
title, source and text), grouped into three stories under known ids, plus one
hand-written fact that puts hostile text in every slot a page shows.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import storyline
from storyline import analysis
from storyline.models import Conflict, ConflictValue, Evidence, Fact, When
from storyline.report.document import story_record
from storyline.text import fold
from storyline.web import create_app, schema, views
from tests.conftest import FLOOD_REPORT, SEEDS, STRIKE_REPORT, need

BASE = "http://127.0.0.1"
HOSTILE_TITLE = 'Harbour fire <script>alert("title")</script>'
HOSTILE_SOURCE = '<img src=x onerror=alert("source")>.example'
HOSTILE_TEXT = (
    "A fire broke out in the harbour of Calvera on 5 March 2024, the port authority said. "
    "</script><script>alert('text')</script> Firefighters fought the blaze for six hours. "
    '"><svg onload=alert("svg")> About 40 workers were evacuated from the warehouses.'
)
# what must never reach a page unescaped
RAW = ['<script>alert("title")', "<img src=x onerror", "<script>alert('text')", '<svg onload=alert("svg")']

FACT_KEYS = {
    "id",
    "summary",
    "headline",
    "summary_language",
    "when",
    "where",
    "who",
    "quantities",
    "status",
    "sources",
    "evidence",
    "conflicts",
    "background",
    "confidence",
    "notes",
}


def front_matter(title: str, source: str, published: str, text: str) -> str:
    return f"---\ntitle: {json.dumps(title)}\nsource: {json.dumps(source)}\npublished: {published}\nlanguage: en\n---\n{text}\n"


def sentence_at(db: storyline.Storyline, article_id: str, index: int) -> Evidence:
    article = db.article(article_id)
    sentence = db.annotations(article_id).sentences[index]
    return Evidence(article_id, sentence.start, sentence.end, article.text[sentence.start : sentence.end])


def build_store(folder: Path) -> Path:
    """Seeds, two invented reports and a hostile one, read and grouped into three stories."""
    reports = folder / "reports"
    reports.mkdir()
    (reports / "flood.md").write_text(
        front_matter("Floods in Marrow", "Tessa Herald", "2024-03-03", FLOOD_REPORT)
    )
    (reports / "strike.md").write_text(
        front_matter("Calvera dock strike", "Port Weekly", "2024-03-04", STRIKE_REPORT)
    )
    (reports / "fire.md").write_text(front_matter(HOSTILE_TITLE, HOSTILE_SOURCE, "2024-03-06", HOSTILE_TEXT))
    path = folder / "web.db"
    with storyline.open(path) as db:
        db.analyze([need(SEEDS), reports])
        by_source = {a.source: a.id for a in db.articles()}
        seeds = [a.id for a in db.articles() if a.origin and str(SEEDS) in a.origin]
        groups = {
            "seedstory": seeds,
            "harbour": [by_source["Port Weekly"], by_source[HOSTILE_SOURCE]],
            "floods": [by_source["Tessa Herald"]],
        }
        # the analysis groups as it likes; the tests want these three stories under known ids
        assignment = {a: story_id for story_id, ids in groups.items() for a in ids}
        stories = analysis.build_stories(db.store, assignment)
        # a fact written by hand so that hostile text sits in every slot a page shows
        fire, strike = by_source[HOSTILE_SOURCE], by_source["Port Weekly"]
        harbour = next(s for s in stories if s.id == "harbour")
        harbour.facts.append(
            Fact(
                id="harbour-hostile",
                summary=HOSTILE_TITLE,
                when=When("2024-03-05", "2024-03-05", "2024-03-05", "day"),
                where=[],
                who=[HOSTILE_SOURCE],
                quantities=[],
                status="conflicting",
                sources=[fire, strike],
                evidence=[sentence_at(db, fire, 1), sentence_at(db, strike, 0)],
                conflicts=[
                    Conflict(
                        "quantity",
                        [ConflictValue("<b>40</b> workers", [fire]), ConflictValue("forty ships", [strike])],
                        '<script>alert("explanation")</script> the counts differ',
                    )
                ],
            )
        )
        with db.store.transaction():
            db.store.set_story_assignment(assignment)
            db.store.save_stories(stories, replace_all=True)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("web"))


@pytest.fixture
def db_path(built, tmp_path) -> Path:
    """A fresh copy of the built store for each test, so decisions do not leak between tests."""
    copy = tmp_path / "web.db"
    shutil.copy(built, copy)
    return copy


@pytest.fixture
def client(db_path):
    with TestClient(create_app(db_path), base_url=BASE) as test_client:
        yield test_client


def token(client: TestClient, page: str = "/stories/harbour") -> str:
    html = client.get(page).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def seed_story(client: TestClient) -> dict:
    return client.get("/api/stories/seedstory").json()["stories"][0]


# -- the JSON API mirrors stories.json ----------------------------------------------------
def test_story_api_is_the_stories_json_document_of_that_story(client, db_path):
    response = client.get("/api/stories/seedstory")
    assert response.status_code == 200
    document = response.json()
    schema.Document.model_validate(document)
    with storyline.open(db_path) as db:
        assert document == json.loads(json.dumps(db.document(["seedstory"])))
        texts = {a.id: a.text for a in db.articles()}
    (story,) = document["stories"]
    assert story["facts"], "the seed story has facts"
    assert {a["id"] for a in document["articles"]} == set(story["articles"])
    for fact in story["facts"]:
        assert set(fact) == FACT_KEYS
        for evidence in fact["evidence"]:
            assert texts[evidence["article"]][evidence["start"] : evidence["end"]] == evidence["text"]


def test_story_list_api_pages_through_story_records(client, db_path):
    first = client.get("/api/stories", params={"per_page": 2}).json()
    second = client.get("/api/stories", params={"per_page": 2, "page": 2}).json()
    assert first["total"] == second["total"] == 3
    assert len(first["stories"]) == 2 and len(second["stories"]) == 1
    schema.StoryPage.model_validate(first)
    with storyline.open(db_path) as db:
        records = {s.id: json.loads(json.dumps(story_record(s))) for s in db.stories()}
    for story in first["stories"] + second["stories"]:
        assert story == records[story["id"]]
    sizes = [len(s["articles"]) for s in first["stories"] + second["stories"]]
    assert sizes == sorted(sizes, reverse=True)


def test_article_and_place_api(client, db_path):
    with storyline.open(db_path) as db:
        article = next(a for a in db.articles() if a.id in db.story("seedstory").article_ids)
        place = db.places()[0]
    record = client.get(f"/api/articles/{article.id}").json()
    schema.AnnotatedArticle.model_validate(record)
    assert record["text"] == article.text and record["stories"] == ["seedstory"]
    for mention in record["annotations"]["places"]:
        assert article.text[mention["start"] : mention["end"]] == mention["text"]
    detail = client.get(f"/api/places/{place['id']}").json()
    schema.PlaceDetail.model_validate(detail)
    assert detail["names_seen"] == place["names_seen"]
    assert {a["name"] for a in detail["aliases"]} >= set(place["names_seen"])
    assert set(detail["mentioned_in"]) and detail["stories"]


def test_openapi_schema_lists_the_api(client):
    spec = client.get("/openapi.json").json()
    assert {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/places/{place_id}",
    } <= set(spec["paths"])
    assert "Document" in spec["components"]["schemas"]


# -- filters, search, sorting -----------------------------------------------------------------
def ids(client: TestClient, **params) -> list[str]:
    return [s["id"] for s in client.get("/api/stories", params=params).json()["stories"]]


def test_page_says_when_the_text_search_stopped_at_its_window(client, monkeypatch):
    assert "most recently stored" not in client.get("/?q=harbour").text
    monkeypatch.setattr("storyline.web.app.SEARCH_WINDOW", 1)
    page = client.get("/?q=sandbags").text  # pages are cached by query: a query not asked before
    assert "The text search looked at the 1 most recently stored reports" in page


def test_card_text_selects_search_hits_and_titles_in_card_order():
    def card(key: str, title: str) -> views.StoryCard:
        return views.StoryCard(key, title, None, None, 1, 0, 0, [], [], [], set(), [], "", fold(title))

    cards = [card("a", "Flood in the north"), card("b", "Harbour fire"), card("c", "Fire at the harbour"), card("d", "")]
    text = views.CardText(cards)
    assert [c.id for c in text.select({"d"}, "fire")] == ["b", "c", "d"]
    assert [c.id for c in text.select(set(), "the")] == ["a", "c"]  # each title once, however often it holds the words
    assert [c.id for c in text.select({"x"}, "north\nharbour")] == []  # never across two titles
    assert text.select(set(), "") == []


def test_search_and_filters_narrow_the_stories(client, db_path):
    assert ids(client, q="sandbags") == ["floods"]
    assert ids(client, q="SANDBÄGS") == ["floods"]  # folded like the index
    assert ids(client, q="zzzyqx") == []
    assert ids(client, source="port weekly") == ["harbour"]
    assert ids(client, language="en", per_page=10)
    assert ids(client, language="xx") == []
    assert ids(client, **{"from": "2024-03-04", "to": "2024-03-04"}) == ["harbour"]
    assert "seedstory" not in ids(client, **{"from": "2024-01-01"})
    conflicted = ids(client, conflicts=True)
    assert "harbour" in conflicted and "floods" not in conflicted
    with storyline.open(db_path) as db:
        place_id = db.store.places_of_article(db.story("seedstory").article_ids[0])[0]
        name = db.store.place(place_id).name
    assert "seedstory" in ids(client, place=place_id)
    assert "seedstory" in ids(client, place=name.upper())
    assert ids(client, place="Nowhereville") == []
    recent = ids(client, sort="recent")
    assert recent.index("harbour") < recent.index("seedstory")


def test_stories_page_shows_filtered_cards_and_pager(client):
    html = client.get("/", params={"per_page": 1}).text
    assert "page 1 of 3" in html and 'rel="next"' in html
    html = client.get("/", params={"q": "sandbags"}).text
    assert "Floods in Marrow" in html and "Calvera dock strike" not in html
    # what the filter form submits when its fields are left blank
    blank = client.get("/?q=&place=&source=&language=&from=&to=&sort=size")
    assert blank.status_code == 200 and blank.text.count('<li class="card">') == 3


@pytest.mark.parametrize(
    "path",
    [
        "/?q=" + "x" * 201,
        "/api/stories?q=" + "x" * 201,
        "/api/stories?per_page=101",
        "/api/stories?page=0",
        "/api/stories?page=10001",
        "/api/stories?sort=random",
        "/api/stories?from=yesterday",
        "/?to=2024-02-30",
        "/api/stories?place=" + "p" * 101,
        "/?per_page=1000",
        "/articles/x?mark=1-2-3",
        "/api/decisions?kind=bogus",
    ],
)
def test_unbounded_or_malformed_parameters_get_a_clean_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Traceback" not in response.text
    if path.startswith("/api/"):
        assert response.json()["detail"]
    else:
        assert "<h1>Error 400</h1>" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/stories/nope",
        "/api/stories/nope",
        "/articles/nope",
        "/api/articles/nope",
        "/places/gn:0",
        "/api/places/gn:0",
        "/stories/seedstory/facts/nope",
        "/nowhere",
    ],
)
def test_unknown_things_are_clean_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.text


def test_too_many_highlights_are_refused(client, db_path):
    with storyline.open(db_path) as db:
        article_id = db.articles()[0].id
    query = "&".join(f"mark={i}-{i + 1}" for i in range(21))
    assert client.get(f"/articles/{article_id}?{query}").status_code == 400


# -- pages ---------------------------------------------------------------------------------------
def test_story_page_has_sources_timeline_matrix_and_map(client):
    story = seed_story(client)
    html = client.get("/stories/seedstory").text
    articles = client.get("/api/stories/seedstory").json()["articles"]
    for article in articles:
        assert f'href="/articles/{article["id"]}"' in html
    # how each date is known
    assert any(b in html for b in ("(metadata)", "(inferred"))
    foreground = [f for f in story["facts"] if not f["background"] and views.fact_span(f)]
    assert html.count('class="tl-row') == len(foreground)
    assert html.count('<tr class="status-') == len(story["facts"])  # one matrix row per fact
    # every matrix row has a cell per source
    rows = re.findall(r'<tr class="status-.*?</tr>', html, re.S)
    assert all(r.count('<td class="cell') == len(story["articles"]) for r in rows)
    if any(f["background"] for f in story["facts"]):
        assert '<details class="background">' in html  # folded away
    assert '<svg viewBox="0 0 720 400"' in html and 'class="marker"' in html
    for status in views.STATUSES:
        assert f"swatch status-{status}" in html  # the legend


def test_conflict_cells_show_values_and_explanation(client):
    html = client.get("/stories/harbour").text
    assert 'class="cell cell-differs"' in html
    assert "quantity: &lt;b&gt;40&lt;/b&gt; workers" in html
    assert "the counts differ" in html


def test_fact_panel_highlights_the_cited_sentences(client, db_path):
    story = seed_story(client)
    fact = next(f for f in story["facts"] if f["evidence"])
    for html in (
        client.get(f"/stories/seedstory?fact={fact['id']}").text,
        client.get(f"/stories/seedstory/facts/{fact['id']}").text,
    ):
        marked = re.findall(r'<mark class="evidence"[^>]*>(.*?)</mark>', html, re.S)
        assert marked, "the evidence is highlighted"
        cited = {e["text"] for e in fact["evidence"]}
        joined = " ".join(re.sub(r"<[^>]+>", "", m) for m in marked)
        assert all(c[:40].replace('"', "&#34;").replace("'", "&#39;") in joined for c in cited)


def test_article_page_highlights_annotations_and_marks(client, db_path):
    with storyline.open(db_path) as db:
        article_id = db.story("seedstory").article_ids[0]
        annotations = db.annotations(article_id)
        text = db.article(article_id).text
    sentence = annotations.sentences[1]
    html = client.get(f"/articles/{article_id}?mark={sentence.start}-{sentence.end}").text
    assert 'class="ann ann-place"' in html and 'class="ann ann-time"' in html
    assert 'href="/stories/seedstory"' in html
    place = next(p for p in annotations.places if p.place_id)
    assert f'href="/places/{place.place_id}"' in html
    marked = re.search(r'<mark class="evidence" id="mark-0">', html)
    assert marked
    # the highlighted passage, tags removed, is the sentence
    passage = "".join(
        re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<mark class="evidence"[^>]*>(.*?)</mark>', html, re.S)
    )
    assert (
        passage.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
        == text[sentence.start : sentence.end]
    )


def test_place_page_lists_names_with_provenance_stories_and_articles(client, db_path):
    with storyline.open(db_path) as db:
        place = max(db.places(), key=lambda p: len(p["names_seen"]))
        aliases = db.store.place_names(place["id"])[place["id"]]
    html = client.get(f"/places/{place['id']}").text
    for alias in aliases:
        assert alias.provenance in html
        if alias.article_id and alias.start is not None:
            assert f"/articles/{alias.article_id}?mark={alias.start}-{alias.end}" in html
    assert 'href="/stories/seedstory"' in html


# -- security ------------------------------------------------------------------------------------
def test_hostile_content_is_escaped_on_every_page(client, db_path):
    with storyline.open(db_path) as db:
        fire = next(a for a in db.articles() if a.source == HOSTILE_SOURCE)
        place_id = next(iter(db.store.places_of_article(fire.id)), db.places()[0]["id"])
    pages = [
        "/",
        "/?q=harbour",
        "/?source=example",
        "/stories/harbour",
        "/stories/harbour?fact=harbour-hostile",
        "/stories/harbour/facts/harbour-hostile",
        f"/articles/{fire.id}",
        f"/articles/{fire.id}?mark=0-20",
        f"/places/{place_id}",
        "/stories/nope%3Cscript%3E",
    ]
    for page in pages:
        html = client.get(page).text
        for raw in [*RAW, '<script>alert("explanation")']:
            assert raw not in html, (page, raw)
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in client.get("/stories/harbour").text
    # the API returns the text as data, as JSON
    record = client.get(f"/api/articles/{fire.id}")
    assert record.headers["content-type"].startswith("application/json")
    assert record.json()["title"] == HOSTILE_TITLE


def test_hostile_author_and_note_are_escaped_in_the_history(client):
    decision = decision_form(
        token(client),
        value="confirmed",
        author='<script>alert("author")</script>',
        note='<img src=x onerror=alert("note")>',
        next="/history",
    )
    assert client.post("/decisions", data=decision, follow_redirects=False).status_code == 303
    for page in ("/history", "/stories/harbour"):
        html = client.get(page).text
        for raw in [*RAW, '<script>alert("author")', '<img src=x onerror=alert("note")']:
            assert raw not in html, (page, raw)
    assert "&lt;img src=x onerror=alert(&#34;note&#34;)&gt;" in client.get("/history").text


def test_json_in_pages_cannot_end_its_script_block(client):
    html = client.get("/stories/harbour").text
    (block,) = re.findall(r'<script type="application/json" id="story-data">(.*?)</script>', html, re.S)
    assert "<" not in block and ">" not in block
    data = json.loads(block)
    assert data["story"] == "harbour" and HOSTILE_TITLE in data["summaries"]
    assert data["facts"][: len(data["summaries"])] and "harbour-hostile" in data["facts"]


def test_security_headers_forbid_framing_sniffing_and_outside_sources(client):
    for path in ("/", "/stories/seedstory", "/api/stories", "/static/app.css", "/nowhere"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
        assert "http:" not in policy and "https:" not in policy and "'unsafe-inline'" not in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_pages_load_nothing_from_elsewhere(client):
    html = client.get("/stories/seedstory").text
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not src.startswith(("http:", "https:", "//")), src
    assert ' style="' not in html  # the policy allows no inline style
    assert "<script>" not in html  # nor inline script (the JSON data block is not a script)
    vendored = client.get("/static/VENDORED.json").json()
    assert vendored["world.json"]["package"] == "world-atlas" and vendored["world.json"]["version"]
    assert client.get("/static/world.json").status_code == 200


def test_unknown_host_names_are_refused(db_path):
    with TestClient(create_app(db_path), base_url="http://attacker.example") as other:
        assert other.get("/").status_code == 400


def decision_form(csrf: str, **fields) -> dict:
    return {
        "csrf_token": csrf,
        "kind": "conflict",
        "target": "harbour-hostile/quantity",
        "value": "dismissed",
        "author": "Ana",
        "note": "",
        "next": "/stories/harbour",
    } | fields


def test_cross_site_posts_are_refused(client, db_path):
    csrf = token(client)
    assert client.post("/decisions", data=decision_form("")).status_code == 403
    assert client.post("/decisions", data=decision_form("wrong-token-wrong-token-wrong")).status_code == 403
    other_origin = {"Origin": "http://evil.example"}
    assert client.post("/decisions", data=decision_form(csrf), headers=other_origin).status_code == 403
    cross = {"Sec-Fetch-Site": "cross-site"}
    assert client.post("/decisions", data=decision_form(csrf), headers=cross).status_code == 403
    with TestClient(create_app(db_path), base_url=BASE) as stranger:  # a token, but not this browser's cookie
        assert stranger.post("/decisions", data=decision_form(csrf)).status_code == 403
    with storyline.open(db_path) as db:
        assert db.decisions() == []
    same = {"Origin": BASE, "Sec-Fetch-Site": "same-origin"}
    response = client.post("/decisions", data=decision_form(csrf), headers=same, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/stories/harbour"


def test_every_decision_form_carries_the_browser_token(client, db_path):
    with storyline.open(db_path) as db:
        place_id = db.places()[0]["id"]
    pages = [
        "/stories/harbour?fact=harbour-hostile",
        "/stories/harbour/facts/harbour-hostile",
        f"/places/{place_id}",
    ]
    for page in pages:
        html = client.get(page).text
        forms = re.findall(r'<form class="decision[^"]*" method="post".*?</form>', html, re.S)
        assert forms, page
        cookie = client.cookies["storyline_csrf"]
        for form in forms:
            assert f'name="csrf_token" value="{cookie}"' in form, (page, form)


def test_decisions_are_validated(client):
    csrf = token(client)
    bad = [
        ({"author": "  "}, 400),
        ({"kind": "vote"}, 400),
        ({"value": "maybe"}, 400),
        ({"target": "nofact/quantity"}, 404),
        ({"target": "harbour-hostile/where"}, 404),
        ({"kind": "merge_stories", "target": "harbour", "value": "harbour"}, 400),
        ({"kind": "merge_stories", "target": "harbour", "value": "nope"}, 404),
        ({"kind": "move_article", "target": "nope", "value": "new"}, 404),
        ({"kind": "alias", "target": "gn:0/Nowhere", "value": "rejected"}, 404),
    ]
    for change, status in bad:
        assert client.post("/decisions", data=decision_form(csrf, **change)).status_code == status, change
    assert client.get("/api/decisions").json() == []
    assert (
        client.post("/decisions", content=b"x" * 70_000, headers={"content-type": "text/plain"}).status_code
        == 413
    )


def test_conflict_decision_is_kept_with_author_and_time_and_reaches_the_export(client, db_path):
    conflicted = [f for f in seed_story(client)["facts"] if f["conflicts"]]
    assert conflicted, "the analysis of the seeds finds a conflict"
    fact, slot = conflicted[0]["id"], conflicted[0]["conflicts"][0]["slot"]
    page = f"/stories/seedstory?fact={fact}"
    form = decision_form(
        token(client, page), target=f"{fact}/{slot}", author="Ana Analyst", note="same event", next=page
    )
    response = client.post("/decisions", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == page
    (decision,) = client.get("/api/decisions").json()
    assert decision["author"] == "Ana Analyst" and decision["value"] == "dismissed" and decision["created_at"]
    history = client.get("/history").text
    assert "Ana Analyst" in history and "same event" in history
    html = client.get(page).text
    assert 'value="Ana Analyst"' in html  # the author is remembered for the next form
    assert "Decided <strong>dismissed</strong> by Ana Analyst" in html
    with storyline.open(db_path) as db:
        (stored,) = db.decisions("conflict")
        assert stored.author == "Ana Analyst" and stored.created_at is not None
        document = db.document(["seedstory"])
    # the re-derived story carries the decision, in the export and in the API
    for exported in (client.get("/api/stories/seedstory").json(), document):
        after = next(f for f in exported["stories"][0]["facts"] if f["id"] == fact)
        assert {c["slot"]: c["decision"] for c in after["conflicts"]}[slot] == "dismissed"


def test_merge_move_and_alias_decisions_are_recorded(client, db_path):
    csrf = token(client)
    with storyline.open(db_path) as db:
        place = db.places()[0]
        article_id = db.story("harbour").article_ids[0]
    forms = [
        {
            "kind": "alias",
            "target": f"{place['id']}/{place['names_seen'][0]}",
            "value": "rejected",
            "next": f"/places/{place['id']}",
        },
        {"kind": "move_article", "target": article_id, "value": "new"},
        {"kind": "merge_stories", "target": "floods", "value": "harbour", "next": ""},
    ]
    for form in forms:
        response = client.post("/decisions", data=decision_form(csrf, **form), follow_redirects=False)
        assert response.status_code == 303, (form, response.text)
    assert response.headers["location"] == "/stories/harbour"  # after a merge: the story merged into
    kinds = [d["kind"] for d in client.get("/api/decisions").json()]
    assert kinds == ["alias", "move_article", "merge_stories"]
    history = client.get("/history").text
    body = history[history.index("<tbody>") :]
    assert body.count("<tr>") == 3 and "merge stories" in body and "place name" in body


def test_pages_follow_changes_made_by_another_process(client, db_path):
    assert "Renamed by the analysis" not in client.get("/stories/floods").text
    with storyline.open(db_path) as db:  # another connection, as `storyline analyze` would be
        story = db.story("floods")
        story.title = "Renamed by the analysis"
        with db.store.transaction():
            db.store.save_stories([story])
    assert "Renamed by the analysis" in client.get("/stories/floods").text
    assert client.get("/api/stories/floods").json()["stories"][0]["title"] == "Renamed by the analysis"


def test_next_redirects_stay_on_the_site(client, db_path):
    csrf = token(client)
    with storyline.open(db_path) as db:
        place = db.places()[0]
    alias = {"kind": "alias", "target": f"{place['id']}/{place['names_seen'][0]}", "value": "accepted"}
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil"):
        response = client.post(
            "/decisions", data=decision_form(csrf, **alias, next=target), follow_redirects=False
        )
        assert response.headers["location"] == "/history"


# -- view functions ------------------------------------------------------------------------------
def test_dates_of_days_months_and_years():
    assert views.parse_day("2020-11") == views.date(2020, 11, 1)
    assert views.parse_day("2020-12", end=True) == views.date(2020, 12, 31)
    assert views.parse_day("2024-02", end=True) == views.date(2024, 2, 29)
    assert views.parse_day("1994", end=True) == views.date(1994, 12, 31)
    assert views.parse_day("PXY") is None and views.parse_day(None) is None
    assert (
        views.when_label({"when": {"value": "2020-11", "granularity": "month", "start": None, "end": None}})
        == "Nov 2020"
    )


def fact(
    fid: str, value: str | None, status: str = "corroborated", background: bool = False, **extra
) -> dict:
    when = {"value": value, "start": None, "end": None, "granularity": "day"} if value else None
    return {
        "id": fid,
        "when": when,
        "status": status,
        "background": background,
        "sources": [],
        "evidence": [],
        "conflicts": [],
    } | extra


def test_timeline_sets_background_and_undated_facts_aside():
    line = views.timeline(
        [
            fact("b", "2020-12-01"),
            fact("a", "2020-11-09"),
            fact("old", "1994", background=True),
            fact("u", None),
        ]
    )
    assert [r.fact["id"] for r in line.rows] == ["a", "b"]
    assert line.rows[0].x < line.rows[1].x <= views.TIMELINE_WIDTH
    assert [f["id"] for f in line.background] == ["old"] and [f["id"] for f in line.undated] == ["u"]
    assert 2 <= len(line.ticks) <= views.MAX_TICKS + 1
    month = views.timeline([fact("m", "2020-11"), fact("d", "2020-12-01")])
    assert month.rows[0].width > 0  # a month is drawn as a bar


def test_matrix_cells_say_states_alone_differs_or_silent():
    conflict = {
        "slot": "when",
        "decision": None,
        "explanation": "",
        "values": [{"value": "9 Nov", "articles": ["a"]}, {"value": "10 Nov", "articles": ["b"]}],
    }
    assert [c.kind for c in views.fact_cells(fact("f", None, sources=["a", "b"]), ["a", "b", "c"])] == [
        "states",
        "states",
        "silent",
    ]
    assert [c.kind for c in views.fact_cells(fact("f", None, sources=["b"]), ["a", "b"])] == [
        "silent",
        "alone",
    ]
    cells = views.fact_cells(fact("f", None, sources=["a", "b"], conflicts=[conflict]), ["a", "b", "c"])
    assert [c.kind for c in cells] == ["differs", "differs", "silent"] and cells[0].values == ["when: 9 Nov"]
    dismissed = views.fact_cells(
        fact("f", None, sources=["a", "b"], conflicts=[conflict | {"decision": "dismissed"}]), ["a"]
    )
    assert dismissed[0].kind == "states" and dismissed[0].dismissed


def test_text_pieces_keep_annotations_and_marks_apart():
    text = "On Monday the river rose.\nNew line here."
    spans = [
        (3, 9, "time", None, "date"),
        (14, 19, "place", "/places/p", "place"),
        (3, 5, "actor", None, "x"),
    ]
    paragraphs = views.pieces(text, spans, [(0, 16)])  # the mark ends inside "river"
    assert len(paragraphs) == 2
    first = paragraphs[0]
    assert "".join(p.text for p in first) == "On Monday the river rose."
    assert [p.kind for p in first if p.kind] == ["time", "place", "place"]  # the overlapping actor dropped
    assert [p.mark for p in first] == [0, 0, 0, 0, None, None]
    assert sum(p.mark_start for p in first) == 1


def test_map_zooms_to_the_places_and_draws_their_countries():
    places = [
        {"id": "a", "name": "A", "lat": 39.6, "lon": 46.5, "kind": "city", "names_seen": ["A"]},
        {"id": "b", "name": "B", "lat": 40.1, "lon": 47.0, "kind": "admin1", "names_seen": ["B"]},
        {"id": "c", "name": "Far", "lat": -33.9, "lon": 18.4, "kind": "country", "names_seen": []},
    ]
    view = views.map_view(places)
    inside = {m.place["id"]: m.inside for m in view.markers}
    assert inside == {"a": True, "b": True, "c": False}
    assert 0 < len(view.countries) < 40
    assert views.map_view([{"id": "x", "name": "x", "lat": None, "lon": None}]) is None
    # a stray far-off town named once is listed, not zoomed out to; two places at one spot both show
    stray = {"id": "d", "name": "Stray", "lat": 36.1, "lon": -80.2, "kind": "city", "names_seen": []}
    twin = places[0] | {"id": "e", "name": "A district"}
    view = views.map_view([*places, stray, twin], {"a": 5, "b": 2, "d": 1})
    inside = {m.place["id"]: m.inside for m in view.markers}
    assert inside == {"a": True, "b": True, "c": False, "d": False, "e": True}
    a, e = (next(m for m in view.markers if m.place["id"] == i) for i in "ae")
    assert (a.x, a.y) != (e.x, e.y) and a.label is not None
