"""The reading layer through the store: annotations with offsets, places across articles, recomputation."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import storyline
from storyline.cli import main
from storyline.read.reader import split_sentences
from tests.conftest import SEEDS, need

RUSSIAN = (
    "Во вторник в Москве прошли переговоры министров иностранных дел. "
    "По данным МИД России, более 300 дипломатов приняли участие во встрече 14 марта 2023 года."
)
ENGLISH = (
    "Floods hit Porto Alegre on Tuesday, forcing some 2,000 people from their homes, officials in "
    "Rio Grande do Sul said. The river reached its highest level since 1941.\n\nRescue work\n\n"
    "The Brazilian Navy sent two ships on March 3."
)


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("read") / "seeds.db"
    with storyline.open(path) as db:
        db.ingest([need(SEEDS)])
        db.read()
        yield db


def test_every_annotation_points_into_the_text(seeds_db):
    for article in seeds_db.articles():
        annotations = seeds_db.annotations(article.id)
        assert annotations is not None and annotations.sentences
        for layer in (annotations.places, annotations.timexes, annotations.quantities, annotations.entities):
            for item in layer:
                assert article.text[item.start : item.end] == item.text
        for sentence in annotations.sentences:
            assert article.text[sentence.start : sentence.end].strip() == article.text[sentence.start : sentence.end]


def test_places_with_every_name_seen_across_articles(seeds_db):
    places = seeds_db.places()
    names = [set(p["names_seen"]) for p in places]
    # the same town under its spellings and its other-language names is one place
    for expected in ({"Lachin", "Birdzor", "Berdzor"}, {"Khankendi", "Stepanakert"}, {"Agdam", "Aghdam"}):
        assert any(expected <= seen for seen in names), expected
    for place in places:
        assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180
        assert place["articles"] >= 1


def test_reading_is_not_repeated_unless_text_or_reader_changes(seeds_db):
    assert seeds_db.stale_articles() == []
    assert seeds_db.read() == 0
    article = seeds_db.articles()[0]
    seeds_db.store.db.execute("UPDATE annotations SET reader_version = '0' WHERE article_id = ?", (article.id,))
    assert [a.id for a in seeds_db.stale_articles()] == [article.id]
    assert seeds_db.read() == 1
    assert seeds_db.read(force=True) == 2


def test_english_and_russian_articles(tmp_path):
    (tmp_path / "en.md").write_text("---\npublished: 2024-05-07\nlanguage: en\n---\n" + ENGLISH)
    (tmp_path / "ru.md").write_text("---\npublished: 2023-03-16\nlanguage: ru\n---\n" + RUSSIAN)
    with storyline.open(tmp_path / "x.db") as db:
        db.ingest([tmp_path])
        assert db.read() == 2
        by_lang = {a.language: db.annotations(a.id) for a in db.articles()}
    en, ru = by_lang["en"], by_lang["ru"]
    assert {t.value for t in en.timexes} >= {"2024-05-07", "1941", "2024-03-03"}
    assert any(q.value == 2000 and q.approx for q in en.quantities)
    assert any(p.text == "Porto Alegre" and p.place_id for p in en.places)
    # the heading line is a sentence of its own
    assert any(ENGLISH[s.start : s.end] == "Rescue work" for s in en.sentences)
    assert len(ru.sentences) == 2
    assert any(p.text == "Москве" and p.place_id for p in ru.places)
    assert "2023-03-14" in {t.value for t in ru.timexes}


def test_empty_or_sentence_less_text_is_read_without_error(tmp_path):
    (tmp_path / "a.txt").write_text("...")
    (tmp_path / "b.txt").write_text("2882015")
    with storyline.open(tmp_path / "x.db") as db:
        report = db.ingest([tmp_path])
        assert len(report.added) == 1  # "..." has no words and is refused at ingest
        assert db.read() == 1
        (article,) = db.articles()
        annotations = db.annotations(article.id)
    assert annotations.timexes == [] and annotations.places == []


def test_plain_sentence_splitter():
    text = "Первое предложение. Второе предложение! «Третье» тоже.\nЗаголовок\nAnd 3.5 km is one."
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Первое предложение.",
        "Второе предложение!",
        "«Третье» тоже.",
        "Заголовок",
        "And 3.5 km is one.",
    ]


def test_cli_show_and_places(seeds_db):
    runner = CliRunner()
    listed = runner.invoke(main, ["places", "--db", seeds_db.store.path, "--json"])
    assert listed.exit_code == 0
    assert any("Stepanakert" in p["names_seen"] for p in json.loads(listed.stdout))
    article = seeds_db.articles()[0]
    shown = runner.invoke(main, ["show", article.id[:8], "--db", seeds_db.store.path])
    assert shown.exit_code == 0 and "dates anchored to" in shown.stdout and "place " in shown.stdout


def test_reading_again_from_the_kept_parse_equals_a_full_read_against_the_new_anchor():
    """Re-anchoring after grouping redoes only what the anchor decides, with the same result."""
    from dataclasses import replace
    from datetime import datetime

    from storyline.models import Article
    from storyline.read.reader import (
        language_layers,
        may_reanchor,
        read,
        read_batch_keeping_parses,
        reanchor_batch,
    )

    texts = [  # relative days, which summaries spell out; then only a relative week and month
        "Rescuers reached the flooded valley on Tuesday, two days after the dam gave way. "
        "The mayor said on Friday that about 400 homes were lost last week.",
        "Rescuers reached the flooded valley last week, after the dam gave way. "
        "The mayor said that about 400 homes were lost this month.",
    ]
    for text in texts:
        article = Article(id="a1", text=text, title="Valley flooded", language="en")
        [(first, parse)] = read_batch_keeping_parses([article])
        assert may_reanchor(first[0]) and parse is not None
        moved = replace(article, published=datetime(2031, 3, 12), published_basis="inferred", published_confidence=0.4)
        [again] = reanchor_batch([(moved, first, parse)])
        [layer] = list(language_layers([moved]))
        assert again == read(moved, layer)
        assert [t.value for t in again[0].timexes] != [t.value for t in first[0].timexes]
        assert any(t.value.startswith("2031") for t in again[0].timexes)
