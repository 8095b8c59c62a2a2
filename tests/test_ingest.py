"""Ingest: every input format, duplicates, idempotence, and bad input."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

import storyline
from storyline.cli import main
from storyline.ingest import dedup
from storyline.ingest.dedup import article_id
from tests.conftest import DATA, FLOOD_REPORT, SEEDS, STRIKE_REPORT, need


@pytest.fixture
def db(tmp_path):
    with storyline.open(tmp_path / "test.db") as database:
        yield database


def test_text_with_front_matter(tmp_path, db):
    path = tmp_path / "flood.md"
    path.write_text(
        "---\ntitle: River bursts its banks\nurl: https://example.org/flood\nsource: Example Post\n"
        "published: 2023-04-02T08:30:00+02:00\nlanguage: en\n---\n" + FLOOD_REPORT,
        encoding="utf-8",
    )
    report = db.ingest([path])
    assert len(report.added) == 1 and report.ok
    article = db.article(report.added[0])
    assert article.title == "River bursts its banks"
    assert article.source == "Example Post"
    assert article.url == "https://example.org/flood"
    assert article.published.isoformat() == "2023-04-02T08:30:00+02:00"
    assert article.published_basis == "metadata"
    assert article.text.startswith("Heavy rain caused")


def test_markdown_heading_becomes_title_and_language_is_detected(tmp_path, db):
    (tmp_path / "strike.md").write_text("# Dockers strike at Calvera\n\n" + STRIKE_REPORT, encoding="utf-8")
    (tmp_path / "ru.txt").write_text(
        "Сильные дожди вызвали наводнение в нижней части города. Спасатели эвакуировали около 1200 жителей "
        "и открыли три временных укрытия в школах.",
        encoding="utf-8",
    )
    report = db.ingest([tmp_path])
    assert report.ok and len(report.added) == 2
    by_lang = {a.language: a for a in db.articles()}
    assert by_lang["en"].title == "Dockers strike at Calvera"
    assert by_lang["en"].published is None and by_lang["en"].published_basis == "unknown"
    assert "ru" in by_lang


def test_html_main_text_and_metadata(tmp_path, db):
    page = f"""<!DOCTYPE html><html lang="en"><head><title>Dockers strike | Harbour Times</title>
    <meta property="og:title" content="Dockers strike at Calvera">
    <meta property="og:site_name" content="Harbour Times">
    <meta property="article:published_time" content="2022-06-13T09:00:00Z">
    </head><body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
    <article><h1>Dockers strike at Calvera</h1><p>{STRIKE_REPORT}</p>
    <p>Talks are expected to resume on Thursday, a spokesperson for the union said.</p></article>
    <footer>Copyright Harbour Times. All rights reserved.</footer></body></html>"""
    (tmp_path / "strike.html").write_text(page, encoding="utf-8")
    report = db.ingest([tmp_path / "strike.html"])
    assert report.ok
    article = db.article(report.added[0])
    assert "Dock workers at the port of Calvera" in article.text
    assert "All rights reserved" not in article.text
    assert article.title == "Dockers strike at Calvera"
    assert article.source == "Harbour Times"
    assert article.published is not None and article.published.date().isoformat() == "2022-06-13"


def test_json_and_jsonl_news_please_records(tmp_path, db):
    record = {
        "title": "Flood in Marrow",
        "maintext": FLOOD_REPORT,
        "url": "https://news.example/flood",
        "date_publish": "2023-04-02 10:00:00",
        "source_domain": "news.example",
        "language": "en",
    }
    (tmp_path / "one.json").write_text(json.dumps(record), encoding="utf-8")
    lines = [
        {"title": "Strike", "text": STRIKE_REPORT, "url": "https://a.example/strike", "published": "2022-06-13"},
        {"title": "Short note", "text": "A short note about the weather in the valley today.", "source": "b"},
    ]
    (tmp_path / "many.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    report = db.ingest([tmp_path / "one.json", tmp_path / "many.jsonl"])
    assert report.ok and len(report.added) == 3
    flood = db.article(article_id(FLOOD_REPORT))
    assert flood.source == "news.example" and flood.title == "Flood in Marrow"
    strike = db.article(article_id(STRIKE_REPORT))
    assert strike.source == "a.example"  # from the url's host when no source is given
    assert strike.published_precision == "day"


def test_shared_layouts(tmp_path, db):
    """news_cluster JSONL and the ECB+ folder layout (annotation files beside the articles are passed over)."""
    cluster = need(DATA / "news_cluster" / "dev.jsonl")
    topic = need(DATA / "ecbplus" / "dev" / "1ecb")
    report = db.ingest([cluster, topic])
    assert report.ok, report.failed
    documents = len(list(topic.glob("*.json")))
    assert 200 < len(report.added) + len(report.near_duplicates) + report.copies <= 242 + documents
    stored = db.articles()
    assert any(a.meta.get("event_id") for a in stored)  # extra fields are kept


def test_rss_and_atom_feeds(tmp_path, db):
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Times</title>
    <item><title>Dockers strike</title><link>https://ht.example/strike</link>
    <pubDate>Mon, 13 Jun 2022 09:00:00 GMT</pubDate><description>{STRIKE_REPORT}</description></item>
    </channel></rss>"""
    atom = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
    <title>Valley News</title><id>urn:valley</id><updated>2023-04-02T10:00:00Z</updated>
    <entry><title>Flood</title><id>urn:valley:1</id><link href="https://valley.example/flood"/>
    <updated>2023-04-02T10:00:00Z</updated><content type="html">&lt;p&gt;{FLOOD_REPORT}&lt;/p&gt;</content></entry>
    </feed>"""
    (tmp_path / "news.rss").write_text(rss, encoding="utf-8")
    (tmp_path / "valley.xml").write_text(atom, encoding="utf-8")
    report = db.ingest([tmp_path / "news.rss", tmp_path / "valley.xml"])
    assert report.ok and len(report.added) == 2
    strike = db.article(article_id(STRIKE_REPORT))
    assert (strike.source, strike.url, strike.title) == ("Harbour Times", "https://ht.example/strike", "Dockers strike")
    assert strike.published.tzinfo is not None
    flood = db.article(article_id(FLOOD_REPORT))
    assert flood.text.startswith("Heavy rain") and "<p>" not in flood.text


def test_folder_metadata_for_seeds(tmp_path):
    seeds = need(SEEDS)
    with storyline.open(tmp_path / "seeds.db") as db:
        report = db.ingest([seeds])
        assert report.ok and len(report.added) == 2
        articles = {a.source: a for a in db.articles()}
    meta = [json.loads(line) for line in (seeds / "metadata.jsonl").read_text().splitlines() if line.strip()]
    for item in meta:
        article = articles[item["source"]]
        assert article.url == item["url"]
        assert article.language == item["language"]
        if item["published"]:
            assert article.published.date().isoformat() == item["published"]
            assert article.published_basis == "metadata"
        else:
            assert article.published is None and article.published_basis == "unknown"


def test_exact_copy_under_another_url_is_stored_once(tmp_path, db):
    (tmp_path / "a.json").write_text(json.dumps({"text": FLOOD_REPORT, "url": "https://a.example/1", "source": "A"}))
    # the same text syndicated with other whitespace and case
    (tmp_path / "b.json").write_text(
        json.dumps({"text": "  " + FLOOD_REPORT.upper().replace(". ", ".\n\n"), "url": "https://b.example/9", "source": "B"})
    )
    report = db.ingest([tmp_path / "a.json", tmp_path / "b.json"])
    assert len(report.added) == 1 and report.copies == 1
    assert len(db.articles()) == 1
    (copy,) = db.copies(report.added[0])
    assert (copy.url, copy.source, copy.kind) == ("https://b.example/9", "B", "exact")


def test_near_duplicate_links_to_original(tmp_path, db):
    edited = FLOOD_REPORT.replace("Heavy rain", "Torrential rain").replace("about 1,200", "some 1,200") + (
        " This article was syndicated from Valley News."
    )
    (tmp_path / "1.json").write_text(json.dumps({"text": FLOOD_REPORT, "url": "https://valley.example/f", "source": "Valley"}))
    (tmp_path / "2.json").write_text(json.dumps({"text": edited, "url": "https://wire.example/f", "source": "Wire"}))
    (tmp_path / "3.json").write_text(json.dumps({"text": STRIKE_REPORT, "source": "Harbour"}))
    report = db.ingest([tmp_path / "1.json", tmp_path / "2.json", tmp_path / "3.json"])
    assert len(report.added) == 2 and len(report.near_duplicates) == 1
    copy = db.article(report.near_duplicates[0])
    assert copy.duplicate_of == article_id(FLOOD_REPORT)
    assert (copy.url, copy.source) == ("https://wire.example/f", "Wire")
    assert db.article(article_id(STRIKE_REPORT)).duplicate_of is None


def test_near_duplicate_of_an_article_stored_by_an_earlier_run(tmp_path):
    # the second run's index is loaded from the stored signatures, not from the first run's memory
    edited = FLOOD_REPORT.replace("Heavy rain", "Torrential rain") + " Syndicated from Valley News."
    (tmp_path / "1.json").write_text(json.dumps({"text": FLOOD_REPORT, "source": "Valley"}))
    (tmp_path / "2.json").write_text(json.dumps({"text": STRIKE_REPORT, "source": "Harbour"}))
    (tmp_path / "3.json").write_text(json.dumps({"text": edited, "source": "Wire"}))
    with storyline.open(tmp_path / "s.db") as first:
        first.ingest([tmp_path / "1.json", tmp_path / "2.json"])
    with storyline.open(tmp_path / "s.db") as second:
        report = second.ingest([tmp_path / "3.json"])
        assert report.near_duplicates and second.article(report.near_duplicates[0]).duplicate_of == article_id(FLOOD_REPORT)


def test_near_duplicate_index_from_stored_bytes_and_removal():
    flood, strike = (dedup.minhash(dedup.words(t)) for t in (FLOOD_REPORT, STRIKE_REPORT))
    edited = dedup.minhash(dedup.words(FLOOD_REPORT.replace("Heavy rain", "Torrential rain")))
    index = dedup.NearDuplicateIndex()
    assert index.add("flood", dedup.to_bytes(flood)) and index.add("strike", strike)
    assert not index.add("flood", flood)
    key, similarity = index.match(edited)
    assert key == "flood" and similarity == pytest.approx(flood.jaccard(edited))
    index.remove("flood")
    assert index.match(edited) is None and index.match(strike)[0] == "strike"


def test_reingest_adds_nothing(tmp_path, db):
    (tmp_path / "a.txt").write_text(FLOOD_REPORT)
    (tmp_path / "b.txt").write_text(STRIKE_REPORT)
    first = db.ingest([tmp_path])
    second = db.ingest([tmp_path])
    assert len(first.added) == 2
    assert (second.added, second.near_duplicates, second.copies, second.unchanged) == ([], [], 0, 2)
    assert len(db.articles()) == 2
    assert db.store.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 2


def test_search_folds_diacritics_and_dotless_i(tmp_path, db):
    (tmp_path / "az.txt").write_text("Hərbçilər Laçın rayonuna daxil olublar. Kəlbəcər və Ağdam da qeyd edilib.")
    (tmp_path / "b.txt").write_text(STRIKE_REPORT)
    db.ingest([tmp_path])
    assert [h["article_id"] for h in db.search("lacin")] == [article_id((tmp_path / "az.txt").read_text())]
    assert len(db.search("KELBECER agdam")) == 1
    assert db.search("calvera")[0]["snippet"]
    assert db.search('"unbalanced') == [] or db.search('"unbalanced')  # quotes do not raise
    assert db.search("") == []


BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    "latin1.txt": ("Café in Zürich, résumé of the événement".encode("latin-1"), "UTF-8"),
    "broken.json": (b'{"title": "x", "text": "unterminated', "malformed JSON"),
    "notext.json": (b'{"url": "https://example.org/a", "text": ""}', "no text"),
    "broken.html": (b"just some words < and > not a page", "malformed HTML"),
    "broken.rss": (b"<rss><channel><item><title>x</title>", "feed"),
    "whitespace.md": (b"   \n\n\t  ", "empty"),
}


def test_bad_inputs_fail_alone_with_reasons(tmp_path, db):
    for name, (content, _) in BAD_INPUTS.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "big.txt").write_text(FLOOD_REPORT * 50)
    (tmp_path / "good.txt").write_text(STRIKE_REPORT)
    report = db.ingest([tmp_path, tmp_path / "missing.txt"], max_bytes=10_000)
    assert len(report.added) == 1  # the good one still goes in
    failures = {label.rsplit("/", 1)[-1]: reason for label, reason in report.failed}
    for name, (_, reason) in BAD_INPUTS.items():
        assert reason.lower() in failures[name].lower(), (name, failures.get(name))
    assert "too large" in failures["big.txt"]
    assert "no such file" in failures["missing.txt"]
    assert len(report.failed) == len(BAD_INPUTS) + 2


def test_bad_jsonl_line_fails_alone(tmp_path, db):
    lines = [json.dumps({"text": FLOOD_REPORT}), "{not json", json.dumps({"text": STRIKE_REPORT}), "[1, 2]"]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines))
    report = db.ingest([tmp_path / "mixed.jsonl"])
    assert len(report.added) == 2
    assert sorted(label.rsplit(":", 1)[-1] for label, _ in report.failed) == ["2", "4"]


def test_cli_exit_status_and_summary(tmp_path):
    (tmp_path / "good.txt").write_text(FLOOD_REPORT)
    (tmp_path / "empty.txt").write_text("")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.db"), "--json"])
    assert result.exit_code == 1
    assert "1 added" in result.stderr and "1 failed" in result.stderr
    assert f"{tmp_path / 'empty.txt'}: empty file" in result.stderr
    payload = json.loads(result.stdout)
    assert len(payload["added"]) == 1 and payload["failed"][0]["reason"] == "empty file"
    ok = runner.invoke(main, ["ingest", str(tmp_path / "good.txt"), "--db", str(tmp_path / "x.db")])
    assert ok.exit_code == 0 and "1 already stored" in ok.stderr
    listed = runner.invoke(main, ["articles", "--db", str(tmp_path / "x.db"), "--json"])
    assert json.loads(listed.stdout)[0]["id"] == article_id(FLOOD_REPORT)


def test_schema_is_versioned_and_wal(tmp_path):
    with storyline.open(tmp_path / "v.db") as db:
        version = db.store.schema_version
        assert version >= 1
    raw = sqlite3.connect(tmp_path / "v.db")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == version
    raw.execute("PRAGMA user_version = 999")
    raw.commit()
    raw.close()
    with pytest.raises(RuntimeError, match="newer"):
        storyline.open(tmp_path / "v.db")
