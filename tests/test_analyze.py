"""The whole analysis: seeds as a newcomer sees them, invented stories, outputs, decisions."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

import storyline
from storyline.cli import main
from tests.conftest import SEEDS, need
from tests.test_facts import QUAKE_A, QUAKE_B, QUAKE_C

STRIKE = """---
title: Dockers walk out in Calvera
source: Harbour Times
published: 2022-06-14
language: en
---
Dock workers at the port of Valparaiso walked out on Monday over night-shift pay, the union said.
More than 40 ships were waiting at anchor on Tuesday, port officials said.
"""

HOSTILE = """---
title: "<script>alert('x')</script> Flood <b>news</b>"
source: "<img src=x onerror=alert(1)>"
published: 2022-06-14
language: en
---
Heavy rain flooded the town of Porto Alegre on Monday <script>alert(2)</script>, officials said.
"""


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds-out")
    result = CliRunner().invoke(main, ["analyze", str(need(SEEDS)), "--out", str(out)])
    assert result.exit_code == 0, result.output + (result.stderr or "")
    document = json.loads((out / "stories.json").read_text(encoding="utf-8"))
    return {"out": out, "doc": document, "stdout": result.stdout}


def facts_of(document):
    return [f for s in document["stories"] for f in s["facts"]]


def place_names(document, place_id):
    return next(set(p["names_seen"]) for p in document["places"] if p["id"] == place_id)


def fact_at(document, day, *words):
    for fact in facts_of(document):
        if fact["when"] and fact["when"]["value"] == day and all(w in fact["summary"].lower() for w in words):
            return fact
    raise AssertionError(f"no fact on {day} with {words}: {[(f['when'], f['summary']) for f in facts_of(document)]}")


def test_seeds_form_one_story(seeds):
    (story,) = seeds["doc"]["stories"]
    assert len(story["articles"]) == 2
    assert story["title"]


def test_seed_without_date_gets_an_inferred_one(seeds):
    undated = [a for a in seeds["doc"]["articles"] if a["published_basis"] != "metadata"]
    assert len(undated) == 1
    assert undated[0]["published_basis"] == "inferred"
    assert undated[0]["published"].startswith("2020-1")
    assert 0 < undated[0]["published_confidence"] < 1


def test_seed_corroborated_happenings(seeds):
    doc = seeds["doc"]
    both = {a["id"] for a in doc["articles"]}
    for day in ("2020-12-01", "2020-11-20", "2020-11-25"):
        corroborated = [
            f for f in facts_of(doc) if f["when"] and f["when"]["value"] == day and f["status"] == "corroborated"
        ]
        assert corroborated, day
        assert set(corroborated[0]["sources"]) == both


def test_seed_signing_date_conflict(seeds):
    conflicting = [f for f in facts_of(seeds["doc"]) if f["status"] == "conflicting"]
    signing = [f for f in conflicting if any(c["slot"] == "when" for c in f["conflicts"])]
    assert signing
    conflict = next(c for c in signing[0]["conflicts"] if c["slot"] == "when")
    assert {v["value"] for v in conflict["values"]} == {"2020-11-09", "2020-11-10"}
    assert "one day apart" in conflict["explanation"]


def test_seed_single_source_additions(seeds):
    doc = seeds["doc"]
    refugees = [f for f in facts_of(doc) if any(q["counted"] == "refugees" and q["value"] == 25000 for q in f["quantities"])]
    assert refugees and refugees[0]["status"] == "single_source"
    peacekeepers = [f for f in facts_of(doc) if any(q["value"] == 2000 and q["counted"] == "peacekeepers" for q in f["quantities"])]
    assert peacekeepers and peacekeepers[0]["status"] == "single_source"


def test_seed_places_are_one_across_names(seeds):
    names = [set(p["names_seen"]) for p in seeds["doc"]["places"]]
    for expected in ({"Lachin", "Berdzor", "Birdzor"}, {"Khankendi", "Stepanakert"}, {"Agdam", "Aghdam"}, {"Kalbjar", "Kalbajar"}):
        assert any(expected <= seen for seen in names), expected


def test_evidence_is_traceable(seeds):
    db = storyline.open(seeds["out"] / "storyline.db")
    texts = {a.id: a.text for a in db.articles()}
    for fact in facts_of(seeds["doc"]):
        for evidence in fact["evidence"]:
            assert texts[evidence["article"]][evidence["start"] : evidence["end"]] == evidence["text"]
    db.close()


def test_outputs_are_self_contained(seeds):
    html = (seeds["out"] / "report.html").read_text(encoding="utf-8")
    assert "conflicting" in html and "one day apart" in html
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert not re.search(r"src=|@import|url\(", html)
    md = (seeds["out"] / "report.md").read_text(encoding="utf-8")
    assert "## " in md and "Conflicts" in md


def test_exports(seeds):
    runner = CliRunner()
    db = str(seeds["out"] / "storyline.db")
    as_csv = runner.invoke(main, ["export", "--db", db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == len(facts_of(seeds["doc"]))
    assert any(r["status"] == "conflicting" and "2020-11-10" in r["conflicts"] for r in rows)
    geo = json.loads(runner.invoke(main, ["export", "--db", db, "--format", "geojson"]).stdout)
    assert geo["type"] == "FeatureCollection"
    lachin = next(f for f in geo["features"] if "Birdzor" in f["properties"]["names_seen"])
    lon, lat = lachin["geometry"]["coordinates"]
    assert 39 < lat < 40.5 and 45.5 < lon < 47
    as_json = json.loads(runner.invoke(main, ["export", "--db", db]).stdout)
    assert as_json["stories"] == seeds["doc"]["stories"]


def test_invented_stories_group_and_fuse(tmp_path):
    for name, text in (("a.md", QUAKE_A), ("b.md", QUAKE_B), ("c.md", QUAKE_C), ("strike.md", STRIKE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with storyline.open(tmp_path / "x.db") as db:
        result = db.analyze([tmp_path])
        stories = {frozenset(db.article(a).source for a in s.article_ids): s for s in result.stories}
        assert frozenset({"Anatolia Wire", "Levant Daily", "Gulf Courier"}) in stories
        assert frozenset({"Harbour Times"}) in stories
        quake = stories[frozenset({"Anatolia Wire", "Levant Daily", "Gulf Courier"})]
        assert any(f.status == "conflicting" for f in quake.facts)
        # running again reads, groups and fuses nothing, and changes nothing
        before = db.stories()
        again = db.analyze([tmp_path])
        assert again.read == 0 and again.stories == []
        assert sorted(s.id for s in db.stories()) == sorted(s.id for s in result.stories)
        assert [f.id for s in db.stories() for f in s.facts] == [f.id for s in before for f in s.facts]


def test_dismissed_conflict_is_kept_across_reanalysis(tmp_path):
    for name, text in (("a.md", QUAKE_A), ("b.md", QUAKE_B)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with storyline.open(tmp_path / "d.db") as db:
        db.analyze([tmp_path])
        fact = next(f for s in db.stories() for f in s.facts if f.status == "conflicting")
        db.decide("conflict", f"{fact.id}/when", "dismissed", author="analyst A", note="same night")
        after = next(f for s in db.stories() for f in s.facts if f.id == fact.id)
        assert after.status == "corroborated" and after.conflicts[0].decision == "dismissed"
        db.analyze([tmp_path])
        again = next(f for s in db.stories() for f in s.facts if f.id == fact.id)
        assert again.conflicts[0].decision == "dismissed"
        (decision,) = db.decisions("conflict")
        assert decision.author == "analyst A" and decision.created_at is not None


def test_hostile_content_is_escaped_in_the_report(tmp_path):
    (tmp_path / "h.md").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["analyze", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "<img" not in markdown and "&lt;script&gt;" in markdown


def test_zone_aware_and_naive_publication_times_mix(tmp_path):
    aware = STRIKE.replace("published: 2022-06-14", "published: 2022-06-14T09:30:00+02:00")
    naive = STRIKE.replace("source: Harbour Times", "source: Port Gazette").replace(
        "published: 2022-06-14", "published: 2022-06-14 11:00"
    ).replace("over night-shift pay", "in a row over night-shift pay")
    (tmp_path / "a.md").write_text(aware, encoding="utf-8")
    (tmp_path / "b.md").write_text(naive, encoding="utf-8")
    with storyline.open(tmp_path / "z.db") as db:
        result = db.analyze([tmp_path])
        assert result.ingest.ok
        published = {a.source: a.published for a in db.articles()}
    assert published["Harbour Times"].tzinfo is not None and published["Port Gazette"].tzinfo is None
    assert sum(len(s.article_ids) for s in result.stories) == 2


def test_ingest_then_stories_updates_the_stories(tmp_path):
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    for name, text in (("a.md", QUAKE_A), ("b.md", QUAKE_B)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert runner.invoke(main, ["ingest", str(tmp_path / "a.md"), "--db", db]).exit_code == 0
    first = json.loads(runner.invoke(main, ["stories", "--db", db, "--json"]).stdout)
    assert [s["size"] for s in first] == [1]
    assert runner.invoke(main, ["ingest", str(tmp_path / "b.md"), "--db", db]).exit_code == 0
    second = json.loads(runner.invoke(main, ["stories", "--db", db, "--json"]).stdout)
    assert [s["size"] for s in second] == [2]
    assert second[0]["id"] == first[0]["id"]  # the story keeps its id as it grows
    assert second[0]["sources"] == ["Anatolia Wire", "Levant Daily"] and second[0]["conflicts"] == 1
    shown = runner.invoke(main, ["story", second[0]["id"][:6], "--db", db])
    assert shown.exit_code == 0 and "conflict on when" in shown.stdout


QUAKE_RU = """---
title: Землетрясение в Малатье
source: Вестник
published: 2023-02-07
language: ru
---
Сильное землетрясение произошло в понедельник в городе Малатья, сообщило агентство по чрезвычайным ситуациям.
Правительство объявило режим чрезвычайного положения в провинции 6 февраля.
"""


def test_reports_in_two_languages_form_one_story_and_corroborate(tmp_path):
    for name, text in (("en.md", QUAKE_A), ("ru.md", QUAKE_RU), ("strike.md", STRIKE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with storyline.open(tmp_path / "ml.db") as db:
        result = db.analyze([tmp_path])
        sources = {frozenset(db.article(a).source for a in s.article_ids): s for s in result.stories}
        document = db.document()
    quake = sources[frozenset({"Anatolia Wire", "Вестник"})]
    assert frozenset({"Harbour Times"}) in sources
    struck = [f for f in quake.facts if f.status == "corroborated"]
    assert struck and struck[0].when.value == "2023-02-06" and len(struck[0].sources) == 2
    assert any({"Malatya", "Малатья"} <= set(p["names_seen"]) for p in document["places"])


QUAKE_TR = """---
title: Malatya'da deprem
source: Haber Merkezi
published: 2023-02-07
language: tr
---
6 Şubat 2023 tarihinde Malatya'da şiddetli bir deprem meydana geldi.
Kurtarma ekipleri enkaz altından 35 kişiyi çıkardı.
"""


def test_a_report_in_a_language_without_a_parser_still_corroborates(tmp_path):
    for name, text in (("en.md", QUAKE_A), ("tr.md", QUAKE_TR)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with storyline.open(tmp_path / "tr.db") as db:
        (story,) = db.analyze([tmp_path]).stories
        turkish = next(a for a in db.articles() if a.language == "tr")
        assert db.annotations(turkish.id).clauses  # one per sentence, with an unknown predicate
    corroborated = {f.when.value: f for f in story.facts if f.status == "corroborated" and turkish.id in f.sources}
    assert "2023-02-06" in corroborated  # the quake, dated in both
    # and the rescue: "35 kişiyi" and "35 people" count the same thing
    assert any(q["counted_key"] == "people" and q["article"] == turkish.id for q in corroborated["2023-02-07"].quantities)
