"""Issue 13 D12 and D13: hostile URLs are never links, hostile text never drives the terminal."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.ingest.dedup import article_id
from storyline.report import is_web_url, render_html, render_markdown
from storyline.text import printable, printable_json
from tests.conftest import FLOOD_REPORT, STRIKE_REPORT

HOSTILE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "https:/\\evil.example",
    "http://\x1b[31mx",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_only_http_urls_are_web_urls(url):
    assert not is_web_url(url)


def test_web_urls():
    assert is_web_url("https://news.example/a?b=c#d") and is_web_url("HTTP://news.example")


def _document(url: str) -> dict:
    article = {
        "id": "a1", "title": "T", "source": "Outlet", "url": url, "language": "en", "published": None,
        "published_basis": "unknown", "published_confidence": None, "duplicate_of": None,
    }
    story = {"id": "s1", "title": "Story", "start": None, "end": None, "articles": ["a1"], "facts": []}
    return {"articles": [article], "places": [], "stories": [story]}


@pytest.mark.parametrize("url", HOSTILE_URLS[:6])
def test_report_renders_no_link_for_a_hostile_url(url):
    html = render_html(_document(url))
    assert not re.search(r"href=\"\s*(java|data|vbscript)", html, re.I)
    assert "href=\"" + url not in html
    markdown = render_markdown(_document(url))
    assert "<" + url not in markdown and "](" not in markdown


def test_report_links_a_web_url():
    assert 'href="https://news.example/a"' in render_html(_document("https://news.example/a"))
    assert "<https://news.example/a>" in render_markdown(_document("https://news.example/a"))


ESC_TITLE = "Flood \x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil"


def test_printable_keeps_length_and_shows_controls():
    text = "a\x1b[31mb\x07\x9b\u202e\nc\td"
    assert len(printable(text)) == len(text)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e]", printable(text))
    assert printable(text, lines=True).count("\n") == 1 and "\t" in printable(text, lines=True)
    assert json.loads(printable_json(json.dumps(text, ensure_ascii=False))) == text


def test_cli_prints_no_raw_control_sequences(tmp_path):
    record = {"title": ESC_TITLE, "text": FLOOD_REPORT + " \x1b[8m hidden \x1b]8;;http://x\x07", "source": "S\x1b[5m", "url": "http://e.example/\x1b"}
    (tmp_path / "a.json").write_text(json.dumps(record))
    bad_name = tmp_path / "bad\x1b]0;title\x07.txt"
    bad_name.write_text("")
    (tmp_path / "c.json").write_text(json.dumps({"text": STRIKE_REPORT, "published": "\x1b[31m2020-13-45"}))
    db = str(tmp_path / "t.db")
    flood = article_id(record["text"])
    runner = CliRunner()
    results = [
        runner.invoke(main, ["ingest", str(tmp_path), "--db", db]),
        runner.invoke(main, ["articles", "--db", db]),
        runner.invoke(main, ["show", flood, "--db", db]),
        runner.invoke(main, ["show", flood, "--db", db, "--json"]),
        runner.invoke(main, ["search", "flood", "--db", db]),
    ]
    assert "empty file" in results[0].stderr and "2020-13-45" in results[0].stderr
    for result in results:
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        for stream in (result.stdout, result.stderr):
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", stream), stream
    assert json.loads(results[3].stdout)["title"] == ESC_TITLE  # JSON keeps the data, escaped
