"""The store's interface, run against every backend: SQLite and a real PostgreSQL server.

Each test gets a fresh, empty store (``store_target``: a SQLite file or a new
PostgreSQL database) and checks what the stages rely on: round trips, orders,
upserts, prefixes, transactions, migrations and search.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.models import (
    Alias,
    Annotations,
    Article,
    Conflict,
    ConflictValue,
    Copy,
    Decision,
    Evidence,
    Fact,
    Place,
    PlaceMention,
    Story,
    When,
)
from storyline.store import SCHEMA_VERSION, Store, open_store
from storyline.store.schema import CARDS_VERSION
from storyline.store.sqlite import fts_query


@pytest.fixture
def store(store_target):
    opened = open_store(store_target)
    yield opened
    opened.close()


def article(key: str, text: str, **fields) -> Article:
    return Article(id=key, text=text, ingested_at=fields.pop("ingested_at", datetime(2024, 5, 1, tzinfo=UTC)), **fields)


def add(store: Store, *articles: Article, signature: bytes | None = None) -> None:
    with store.transaction():
        for item in articles:
            store.add_article(item, signature)


def place(key: str, name: str, kind: str = "city") -> Place:
    return Place(key, name, 10.5, 20.25, "ZZ", kind, 1200)


def annotations_for(article_id: str, places: list[Place], names: list[str]) -> Annotations:
    return Annotations(
        article_id=article_id,
        reader_version="v1",
        text_hash="h",
        anchor=date(2024, 5, 1),
        places=[PlaceMention(0, 4, p.name, p.id, None, 0.9, "gazetteer") for p in places] * 2,
        aliases=[Alias(places[0].id, name, "surface", article_id, i, i + len(name)) for i, name in enumerate(names)],
    )


def story(key: str, article_ids: list[str], start: str | None, fact_id: str = "") -> Story:
    facts = []
    if fact_id:
        evidence = [Evidence(article_ids[0], 0, 4, "Rain")]
        facts = [Fact(fact_id, "Rain fell", When("2024", None, None, "year"), [], [], [], "conflicting", [], evidence)]
    return Story(key, f"Story {key}", article_ids, start, None, facts)


# -- articles ----------------------------------------------------------------------------------
def test_articles_round_trip_in_ingest_order_and_by_unique_prefix(store):
    published = datetime(2024, 4, 30, 8, 15, tzinfo=UTC)
    first = article(
        "abc123", "Rain fell on the valley.", title="Rain", url="https://a.example/1", source="a.example",
        language="en", published=published, published_basis="metadata", published_confidence=0.5,
        published_precision="time", origin="feed.xml", meta={"tags": ["weather"], "n": 1},
    )  # fmt: skip
    later = article("abd999", "Wind came after.", ingested_at=datetime(2024, 5, 2, tzinfo=UTC))
    same_time = article("aaa000", "Snow too.")
    add(store, first, later, same_time)
    assert [a.id for a in store.articles()] == ["abc123", "aaa000", "abd999"]  # time, then insertion
    assert store.article("abc123") == first
    assert store.article("abc").id == "abc123" and store.article("ab") is None  # "ab" is ambiguous
    assert store.has_article("aaa000") and not store.has_article("aaa")
    assert [a.id for a in store.articles(["abd999", "abc123", "nope"])] == ["abc123", "abd999"]
    assert store.count_articles() == 3


def test_many_ids_are_read_in_chunks(store):
    add(store, *[article(f"id{i:04d}", f"Text number {i}.") for i in range(1200)])
    wanted = [f"id{i:04d}" for i in range(0, 1200, 2)]
    assert [a.id for a in store.articles(wanted)] == wanted


def test_copies_near_duplicates_and_publication_dates(store):
    add(store, article("orig", "The original report."))
    add(store, article("near", "The original report, edited.", duplicate_of="orig"))
    copy = Copy("orig", "https://b.example/x", "b.example", "Copy", None, "b.json", "exact", 1.0)
    with store.transaction():
        assert store.add_copy(copy) is True
        assert store.add_copy(copy) is False
        assert store.add_copy(Copy("orig", None, None, "", None, None, "exact", 1.0)) is True
        assert store.add_copy(Copy("orig", None, None, "", None, None, "exact", 1.0)) is False
        store.set_published("near", datetime(2024, 4, 2), "inferred", 0.4, precision="day")
    assert store.copies("orig")[0] == copy and len(store.copies()) == 2
    assert [a.id for a in store.near_duplicates_of("orig")] == ["near"]
    near = store.article("near")
    assert (near.published, near.published_basis, near.published_confidence) == (datetime(2024, 4, 2), "inferred", 0.4)


def test_signatures_are_read_after_a_row_number(store):
    add(store, article("a1", "One."), signature=b"\x00\x01")
    add(store, article("a2", "Two."), signature=b"\xff" * 8)
    rows = store.minhashes()
    assert [(key, data) for _, key, data in rows] == [("a1", b"\x00\x01"), ("a2", b"\xff" * 8)]
    assert [key for _, key, _ in store.minhashes(after=rows[0][0])] == ["a2"]
    assert store.minhashes(after=rows[-1][0]) == []


def test_a_failed_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError, match="boom"), store.transaction():
        store.add_article(article("gone", "Never stored."), b"sig")
        raise RuntimeError("boom")
    assert store.count_articles() == 0 and store.minhashes() == [] and store.search("stored") == []
    add(store, article("kept", "Stored after the failure."))
    assert store.count_articles() == 1


def test_text_survives_unchanged_apart_from_nul(store):
    text = "Quotes ' \" ; -- % ? $1 \\ and ünïcödé, emoji 🌧, and a NUL\x00 here."
    add(store, article("odd", text, title="%s ? '"))
    stored = store.article("odd")
    assert stored.title == "%s ? '"
    # PostgreSQL text cannot hold NUL: it is replaced, one character for one, so offsets hold
    assert len(stored.text) == len(text) and stored.text.replace("\ufffd", "\x00") == text


# -- search ------------------------------------------------------------------------------------
def test_search_folds_accents_and_weights_titles(store):
    add(
        store,
        article("t1", "Officials met in the capital on Monday.", title="Talks in Laçın"),
        article("t2", "Convoys reached Laçın and the road beyond it.", title="Convoys"),
        article("t3", "Nothing about that town here.", title="Other"),
    )
    hits = store.search("lacin")
    assert [h["article_id"] for h in hits] == ["t1", "t2"]  # the title match ranks first
    assert "[lacin]" in hits[1]["snippet"]
    assert [h["article_id"] for h in store.search("LAÇIN road")] == ["t2"]  # every word must match
    assert store.search("") == store.search("  ,;  ") == []
    assert len(store.search("lacin", limit=1)) == 1


def test_search_ranks_only_the_newest_matches(store):
    """A common word costs the same at any store size: only the ``window`` newest matches are ranked."""
    add(store, article("old", "A ferry sank.", title="Ferry ferry ferry"))  # the best match, stored first
    for n in range(4):
        add(store, article(f"new{n}", f"Report {n}: the ferry timetable changed again this week."))
    assert store.search("ferry")[0]["article_id"] == "old"  # within the default window: full ranking
    ranked = [h["article_id"] for h in store.search("ferry", window=3)]
    assert sorted(ranked) == ["new1", "new2", "new3"]
    assert store.matching_articles("ferry", limit=2) == ["new3", "new2"]
    assert store.matching_articles("FERRY timetable") == ["new3", "new2", "new1", "new0"]
    assert store.matching_articles(" ;; ") == [] and store.matching_articles("absent") == []


HOSTILE_QUERIES = ["\x00", '"', "'", '"unterminated', "a AND", "OR", "NOT x", "NEAR(a b)", "title:x", "*", "^a",
                   "a - b", "(", ")", "{a}", "\\", "\x1b[31m", "%", "?", "$1", "\ud800", "a\x00b"]  # fmt: skip


def test_search_takes_any_input(store):
    add(store, article("t1", "The bridge opened in the north on Friday.", title="Bridge"))
    for query in HOSTILE_QUERIES:
        assert store.search(query) == [], query
    assert [h["article_id"] for h in store.search('"bridge\x00 north*')] == ["t1"]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
@settings(max_examples=300, deadline=None)
def test_fts_query_is_words_in_quotes_whatever_the_input(query):
    match = fts_query(query)
    for term in match.split(" ") if match else []:
        assert term.startswith('"') and term.endswith('"') and len(term) > 2
        assert all(c.isalnum() or c == "_" for c in term[1:-1]), term


@given(query=st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_search_never_fails_on_random_input(store, query):
    if not store.count_articles():
        add(store, article("r1", "Random words about a harbour and a bridge.", title="Harbour"))
    hits = store.search(query)
    assert all(h["article_id"] == "r1" for h in hits)


# -- readings, places and names ----------------------------------------------------------------
def test_readings_places_and_names(store):
    add(store, article("r1", "Rain in Alba and Bex."), article("r2", "Rain in Alba."))
    alba, bex = place("gn:1", "Alba"), place("gn:2", "Bex", "admin1")
    with store.transaction():
        store.save_reading(annotations_for("r1", [alba, bex], ["Alba", "Albah"]), {"gn:1": alba, "gn:2": bex})
        store.save_reading(annotations_for("r2", [alba], ["Alba"]), {"gn:1": alba})
        # read again: the article's names and counts are replaced, not added twice
        store.save_reading(annotations_for("r1", [alba, bex], ["Alba", "Albah"]), {"gn:1": alba, "gn:2": bex})
    assert store.annotations("r1") == annotations_for("r1", [alba, bex], ["Alba", "Albah"])
    assert store.annotations("none") is None
    assert store.annotation_versions() == {"r1": ("v1", "h"), "r2": ("v1", "h")}
    assert set(store.all_annotations()) == {"r1", "r2"} and set(store.all_annotations(["r2"])) == {"r2"}
    listed = store.places()
    assert [p["id"] for p in listed] == ["gn:1", "gn:2"]
    assert listed[0]["articles"] == 2 and listed[0]["mentions"] == 4 and listed[0]["names_seen"] == ["Alba", "Albah"]
    assert store.place("gn:2") == bex and store.place("gn:9") is None
    assert store.place_kinds() == {"gn:1": "city", "gn:2": "admin1"}
    names = store.place_names("gn:1")["gn:1"]
    # in the order stored: r1 was read again last
    assert [(a.name, a.article_id, a.start, a.end) for a in names] == [
        ("Alba", "r2", 0, 4), ("Alba", "r1", 0, 4), ("Albah", "r1", 1, 6)
    ]  # fmt: skip
    assert set(store.place_names()) == {"gn:1"}
    assert sorted(store.places_of_article("r1")) == ["gn:1", "gn:2"]
    assert store.articles_mentioning("gn:2") == ["r1"]
    assert store.places(["gn:2", "gn:9"]) == [listed[1]] and store.places([]) == []
    assert {a: sorted(p) for a, p in store.article_place_ids().items()} == {"r1": ["gn:1", "gn:2"], "r2": ["gn:1"]}
    assert [(a.id, a.text) for a in store.articles(opening=7)] == [("r1", "Rain in"), ("r2", "Rain in")]


# -- embeddings, stories and decisions ---------------------------------------------------------
def test_embeddings_and_story_assignment_are_upserted(store):
    add(store, article("e1", "One."), article("e2", "Two."))
    with store.transaction():
        store.save_embeddings("m", {"e1": b"\x01" * 8, "e2": b"\x02" * 8})
        store.save_embeddings("m", {"e1": b"\x03" * 8})
        store.save_embeddings("other", {"e1": b"\x04"})
        store.set_story_assignment({"e1": "s1"})
    assert store.embeddings("m") == {"e1": b"\x03" * 8, "e2": b"\x02" * 8}
    assert store.unassigned_articles() == 1
    with store.transaction():
        store.set_story_assignment({"e1": "s2", "e2": "s2"})
    assert store.story_assignment() == {"e1": "s2", "e2": "s2"} and store.unassigned_articles() == 0


def test_stories_order_replace_prefix_and_fact_lookup(store):
    add(store, article("x1", "Rain."), article("x2", "Sun."), article("x3", "Fog."))
    stories = [
        story("sa", ["x1"], None, fact_id="fact-a"),
        story("sb", ["x2", "x3"], "2024-01-01"),
        story("sc", ["x3"], "2024-02-01"),
    ]
    with store.transaction():
        store.save_stories(stories)
    assert [s.id for s in store.stories()] == ["sb", "sc", "sa"]  # size, then latest start, undated last
    assert store.story("sa") == stories[0] and store.story("s") is None and store.story("sb").id == "sb"
    assert store.story_of_fact("fact-a") == "sa" and store.story_of_fact("fact") is None
    renamed = story("sa", ["x1"], "2024-03-01")
    with store.transaction():
        store.save_stories([renamed])
        store.delete_stories(["sc"])
    assert [s.id for s in store.stories()] == ["sb", "sa"] and store.story("sa").start == "2024-03-01"
    with store.transaction():
        store.save_stories([story("sd", ["x1"], None)], replace_all=True)
    assert [s.id for s in store.stories()] == ["sd"]


def test_story_cards_summarise_stories_without_their_evidence(store):
    add(store, article("x1", "Rain."), article("x2", "Sun."))
    rainy = story("sa", ["x1", "x2"], "2024-01-01", fact_id="fact-a")
    rainy.facts[0].where = ["gn:1", "gn:2"]
    rainy.facts[0].conflicts = [Conflict("when", [ConflictValue("1 May", ["x1"]), ConflictValue("2 May", ["x2"])], "a day")]
    with store.transaction():
        store.save_stories([rainy, story("sb", ["x2"], None)])
    cards = store.story_cards()
    assert [c["id"] for c in cards] == [s.id for s in store.stories()]
    assert cards[0] == {
        "id": "sa", "title": "Story sa", "start": "2024-01-01", "end": None, "article_ids": ["x1", "x2"],
        "fact_ids": ["fact-a"], "open_conflicts": 1, "fact_places": {"gn:1": 1, "gn:2": 1},
    }  # fmt: skip
    rainy.facts[0].conflicts[0].decision = "dismissed"  # an analyst's decision is saved with the story
    with store.transaction():
        store.save_stories([rainy])
    assert store.story_cards()[0]["open_conflicts"] == 0


def test_stories_stored_before_cards_get_theirs_when_the_schema_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    with open_store(path) as made:
        with made.transaction():
            made.save_stories([story("sa", ["x1"], "2024-01-01", fact_id="fact-a")])
        expected = made.story_cards()
    raw = sqlite3.connect(path)  # back to the schema before cards, as an older storyline left it
    raw.execute("ALTER TABLE stories DROP COLUMN card")
    raw.execute(f"PRAGMA user_version = {CARDS_VERSION - 1}")
    raw.commit()
    raw.close()
    with open_store(path) as migrated:
        assert migrated.schema_version == SCHEMA_VERSION and migrated.story_cards() == expected


def test_decisions_keep_their_order_and_ids(store):
    with store.transaction():
        first = store.add_decision(Decision("conflict", "f/when", "confirmed", "Ana", "sure"))
    with store.transaction():
        second = store.add_decision(Decision("alias", "gn:1/Alba", "rejected", "Bo"))
    assert first.id < second.id
    assert [(d.id, d.kind, d.author, d.note) for d in store.decisions()] == [
        (first.id, "conflict", "Ana", "sure"), (second.id, "alias", "Bo", "")
    ]  # fmt: skip
    assert [d.target for d in store.decisions("alias")] == ["gn:1/Alba"]
    assert store.decisions()[0].created_at.tzinfo is not None


# -- schema ------------------------------------------------------------------------------------
def test_schema_is_migrated_once_and_a_newer_one_refused(store_target):
    with open_store(store_target) as first:
        assert first.schema_version == SCHEMA_VERSION
        add(first, article("m1", "Kept across reopening."))
    reopened = open_store(store_target)
    assert reopened.schema_version == SCHEMA_VERSION and reopened.count_articles() == 1
    newer = SCHEMA_VERSION + 1
    if reopened.backend == "sqlite":
        reopened.db.execute(f"PRAGMA user_version = {newer}")
    else:
        reopened.db.execute("UPDATE storyline_schema SET version = ?", (newer,))
    reopened.close()
    with pytest.raises(RuntimeError, match="newer than this storyline"):
        open_store(store_target)


def test_json_metadata_keeps_every_type(store):
    meta = {"list": [1, 2.5, None, True], "nested": {"a": "ü"}, "empty": ""}
    add(store, article("j1", "Text.", meta=meta))
    assert store.article("j1").meta == meta
    assert json.loads(json.dumps(store.article("j1").meta)) == meta


# -- whole analyses --------------------------------------------------------------------------
def test_an_analysis_gives_the_same_document_on_both_backends_and_copies_across(postgres_server, tmp_path):
    import storyline
    from storyline.store.copy import copy_store
    from tests.conftest import FLOOD_REPORT, SEEDS, STRIKE_REPORT, need

    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "flood.md").write_text(f"---\ntitle: Floods\npublished: 2024-03-03\n---\n{FLOOD_REPORT}\n")
    (reports / "strike.md").write_text(f"---\ntitle: Strike\npublished: 2024-03-04\n---\n{STRIKE_REPORT}\n")
    inputs = [need(SEEDS), reports]
    with (
        storyline.open(tmp_path / "a.db") as local,
        storyline.open(postgres_server.create_database("analysis_direct")) as shared,
        storyline.open(postgres_server.create_database("analysis_copied")) as copied,
    ):
        local.analyze(inputs)
        shared.analyze(inputs)
        assert shared.document() == local.document()
        assert [s.id for s in shared.stories()] == [s.id for s in local.stories()]
        for query in ("dock workers", "river banks"):
            hits = [h["article_id"] for h in local.search(query)]
            assert hits and [h["article_id"] for h in shared.search(query)] == hits
        assert copy_store(local.store, copied.store) == local.store.count_articles()
        assert copied.document() == local.document()
        assert copied.articles() == local.articles() and copied.decisions() == local.decisions()
        with pytest.raises(ValueError, match="not empty"):
            copy_store(local.store, copied.store)
