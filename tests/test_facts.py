"""Facts: tellings aligned across reports, agreement, additions and contradictions, with explanations.

The reports here are invented for the tests; none comes from the seeds.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

import storyline
from storyline.facts import fuse_story
from storyline.facts.compare import DateValue, compare_dates, compare_quantities
from storyline.facts.fuse import _quantity_conflicts
from storyline.models import Quantity

QUAKE_A = """---
title: Earthquake hits Malatya
source: Anatolia Wire
published: 2023-02-07
language: en
---
A strong earthquake struck the city of Malatya on Monday, the disaster agency said.
The government declared a state of emergency in the province on February 6.
Rescue teams pulled 35 people from collapsed buildings overnight.
The last quake of this size in the region hit in 1999.
"""

QUAKE_B = """---
title: Malatya shaken by powerful quake
source: Levant Daily
published: 2023-02-08
language: en
---
On February 6, a powerful earthquake struck Malatya, destroying hundreds of homes.
Officials said the government declared a state of emergency on February 7.
The Red Crescent sent some 2,000 tents to the province.
"""

QUAKE_C = """---
title: Aid reaches Malatya
source: Gulf Courier
published: 2023-02-09
language: en
---
The earthquake struck Malatya in February, officials said.
The Red Crescent has delivered 1,960 tents to the province since the disaster.
"""


@pytest.fixture(scope="module")
def quake(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quake")
    for name, text in (("a.md", QUAKE_A), ("b.md", QUAKE_B), ("c.md", QUAKE_C)):
        (folder / name).write_text(text, encoding="utf-8")
    with storyline.open(folder / "q.db") as db:
        db.ingest([folder])
        db.read()
        articles = db.articles()
        annotations = {a.id: db.annotations(a.id) for a in articles}
        kinds = {p["id"]: p["kind"] for p in db.places()}
        facts = fuse_story(articles, annotations, kinds)
        yield {"articles": {a.source: a for a in articles}, "facts": facts}


def find(facts, predicate):
    matches = [f for f in facts if predicate(f)]
    assert matches, [f.summary for f in facts]
    return matches[0]


def test_the_same_happening_told_by_several_reports_is_corroborated(quake):
    struck = find(quake["facts"], lambda f: "struck" in f.summary and f.status != "single_source")
    assert struck.status == "corroborated"
    sources = {quake["articles"][s].id for s in ("Anatolia Wire", "Levant Daily")}
    assert sources <= set(struck.sources)
    # "on Monday" in a report of Tuesday 7 February 2023 is 6 February
    assert struck.when.value == "2023-02-06"


def test_a_different_date_is_a_conflict_with_an_explanation(quake):
    declared = find(quake["facts"], lambda f: "emergency" in f.summary)
    assert declared.status == "conflicting"
    (conflict,) = declared.conflicts
    assert conflict.slot == "when"
    values = {v.value: v.articles for v in conflict.values}
    assert set(values) == {"2023-02-06", "2023-02-07"}
    assert values["2023-02-07"] == [quake["articles"]["Levant Daily"].id]
    assert "one day apart" in conflict.explanation and "time zone" in conflict.explanation


def test_a_coarser_date_is_no_conflict(quake):
    struck = find(quake["facts"], lambda f: "struck" in f.summary and f.status != "single_source")
    assert quake["articles"]["Gulf Courier"].id in struck.sources
    assert not struck.conflicts
    assert any("February 2023" in note for note in struck.notes)


def test_what_one_report_adds_is_single_source(quake):
    rescued = find(quake["facts"], lambda f: any(q["counted"] == "people" for q in f.quantities))
    assert rescued.status == "single_source"
    assert rescued.sources == [quake["articles"]["Anatolia Wire"].id]


def test_evidence_cites_exact_sentences(quake):
    texts = {a.id: a.text for a in quake["articles"].values()}
    for fact in quake["facts"]:
        assert fact.evidence
        for evidence in fact.evidence:
            assert texts[evidence.article][evidence.start : evidence.end] == evidence.text
            assert evidence.text.strip()


def test_old_history_is_background(quake):
    history = find(quake["facts"], lambda f: f.when and f.when.value == "1999")
    assert history.background
    assert not any(f.background for f in quake["facts"] if f.when and f.when.start >= "2023")


def test_syndicated_copy_counts_once(tmp_path):
    copy = QUAKE_B.replace("source: Levant Daily", "source: Mirror Site").replace(
        "destroying hundreds of homes.", "destroying hundreds of homes, reports said."
    )
    for name, text in (("b.md", QUAKE_B), ("copy.md", copy)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with storyline.open(tmp_path / "s.db") as db:
        report = db.ingest([tmp_path])
        assert len(report.near_duplicates) == 1
        db.read()
        articles = db.articles()
        facts = fuse_story(articles, {a.id: db.annotations(a.id) for a in articles}, {})
    struck = find(facts, lambda f: "struck" in f.summary)
    assert len(struck.sources) == 2  # both articles cite it ...
    assert struck.status == "single_source"  # ... but they are one source


def day(text: str) -> DateValue:
    d = date.fromisoformat(text)
    return DateValue(text, d, d, "day")


def test_compare_dates():
    november = DateValue("2021-11", date(2021, 11, 1), date(2021, 11, 30), "month")
    assert compare_dates(day("2021-11-09"), november).compatible
    assert not compare_dates(day("2021-11-09"), day("2021-11-10")).compatible
    far = compare_dates(day("2021-11-09"), day("2021-11-19"))
    assert not far.compatible and "10 days apart" in far.explanation
    assert compare_dates(day("2021-11-09"), day("2021-11-09")).compatible


@pytest.mark.parametrize(
    "a, b, compatible",
    [
        (Quantity(0, 0, "", 2000, approx="about"), Quantity(0, 0, "", 1960), True),
        (Quantity(0, 0, "", 2000), Quantity(0, 0, "", 1960), True),  # a round figure stands for a range
        (Quantity(0, 0, "", 2000), Quantity(0, 0, "", 3000), False),
        (Quantity(0, 0, "", 25000, approx="over"), Quantity(0, 0, "", 26500), True),
        (Quantity(0, 0, "", 25000, approx="over"), Quantity(0, 0, "", 20000), False),
        (Quantity(0, 0, "", 35), Quantity(0, 0, "", 40), False),
        (Quantity(0, 0, "", 10, value_high=13), Quantity(0, 0, "", 12), True),
    ],
)
def test_compare_quantities(a, b, compatible):
    assert compare_quantities(a, b).compatible is compatible


def test_a_figure_conflict_lists_each_value_once_and_explains_each_pair_once():
    def telling(article: str, source: str, value: float, counted: str) -> SimpleNamespace:
        q = Quantity(0, 2, f"{value:g} {counted}", value, counted=counted, counted_key="magazine")
        return SimpleNamespace(article_id=article, source_id=source, quantities=[q])

    group = [
        telling("a1", "wire", 12, "magazines"),
        telling("a2", "daily", 13, "magazines"),
        telling("a3", "weekly", 12, "Magazines"),  # the same figure, capitalised in a headline
        telling("a4", "radio", 13, "magazines"),
    ]
    (conflict,), _ = _quantity_conflicts(group)
    assert [(v.value, v.articles) for v in conflict.values] == [("12 magazines", ["a1", "a3"]), ("13 magazines", ["a2", "a4"])]
    assert conflict.explanation == "12 magazines and 13 magazines differ by a factor of 1.08, beyond rounding"


def _facts_after(tmp_path, batches: list[list[str]]) -> dict[str, dict]:
    """Ingest the quake reports in the given batches (each followed by an analysis): fact id -> fact."""
    texts = {"a.md": QUAKE_A, "b.md": QUAKE_B, "c.md": QUAKE_C}
    folder = tmp_path / "reports"
    folder.mkdir(parents=True)
    with storyline.open(tmp_path / "o.db") as db:
        for batch in batches:
            paths = []
            for name in batch:
                (folder / name).write_text(texts[name], encoding="utf-8")
                paths.append(folder / name)
            db.ingest(paths)
            db.analyze()
        document = db.document()
    return {f["id"]: f for story in document["stories"] for f in story["facts"]}


def test_fact_ids_and_contents_do_not_depend_on_ingestion_order_or_time(tmp_path):
    """Issue 13, D3: fact ids key the analysts' decisions, so the same reports give the same facts."""
    at_once = _facts_after(tmp_path / "1", [["a.md", "b.md", "c.md"]])
    reversed_one_by_one = _facts_after(tmp_path / "2", [["c.md"], ["b.md"], ["a.md"]])
    assert len(at_once) >= 5
    assert reversed_one_by_one == at_once


def test_the_main_fact_comes_first(quake):
    main = quake["facts"][0]
    assert "struck" in main.summary and main.status == "corroborated"
    rest = [f.when.start for f in quake["facts"][1:] if f.when]
    assert rest == sorted(rest)


def _document(tmp_path, reports: dict[str, str]) -> dict:
    for name, text in reports.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with storyline.open(tmp_path / "o.db") as db:
        db.analyze([tmp_path / name for name in reports])
        return db.document()


def test_a_story_is_titled_by_its_most_central_report_and_led_by_its_main_fact(tmp_path):
    document = _document(tmp_path, {"a.md": QUAKE_A, "b.md": QUAKE_B, "c.md": QUAKE_C})
    (story,) = document["stories"]
    titles = {a["title"] for a in document["articles"]}
    assert story["title"] in titles
    main = story["facts"][0]
    assert story["main_fact"] == main["id"]
    assert story["lead"].startswith(main["summary"])
    assert "3 independent sources (3 in English)" in story["lead"]
    assert "from 6 to 9 February 2023" in story["lead"]
    assert "Open conflict (1): the date of" in story["lead"] and "emergency" in story["lead"]


def test_an_untitled_story_is_titled_by_its_main_fact_never_cut_mid_phrase(tmp_path):
    untitled = {
        name: text.split("---\n", 2)[2]
        for name, text in (("a.txt", QUAKE_A), ("b.txt", QUAKE_B))
    }
    document = _document(tmp_path, untitled)
    (story,) = document["stories"]
    main = story["facts"][0]
    assert story["title"] == main["headline"]
    assert story["title"].startswith("A strong earthquake struck") or story["title"].startswith("A powerful earthquake struck")
    assert main["summary"].startswith(story["title"].removesuffix("…"))
