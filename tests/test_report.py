"""The report's time labels: what an analyst reads in the timeline and the source lists."""

from storyline.report import render_html, render_markdown, when_text
from storyline.web import views


def _fact(fid: str, when: dict | None, status: str, background: bool = False) -> dict:
    return {
        "id": fid, "when": when, "status": status, "background": background, "summary": f"Fact {fid}",
        "summary_language": "en", "sources": ["a1"], "conflicts": [], "where": [],
    }


DECADE = {"value": "197", "start": "1970-01-01", "end": "1979-12-31", "granularity": "decade"}
MONTH = {"value": "2031-03", "start": "2031-03-01", "end": "2031-03-31", "granularity": "month"}


def _document() -> dict:
    article = {
        "id": "a1", "title": "T", "source": "Outlet", "url": None, "language": "en", "published": "2031-03-05",
        "published_basis": "metadata", "published_confidence": None, "duplicate_of": None,
    }
    facts = [_fact("f1", MONTH, "single_source"), _fact("f2", DECADE, "single_source", background=True)]
    story = {"id": "s1", "title": "Story", "start": "2031-03-01", "end": "2031-03-31", "articles": ["a1"], "facts": facts}
    return {"articles": [article], "places": [], "stories": [story]}


def test_decades_and_centuries_are_spelled_as_people_write_them():
    assert when_text(DECADE) == "1970s"
    assert when_text({"value": "18", "granularity": "century"}) == "1800s"
    assert when_text(MONTH) == "2031-03" and when_text(None) == "undated"
    assert views.when_label({"when": DECADE}) == "1970s"


def test_report_lines_keep_the_space_after_the_date():
    markdown = render_markdown(_document())
    assert "- 2031-03: Fact f1" in markdown
    assert "- 1970s: Fact f2" in markdown and "197:" not in markdown
    assert "1970s" in render_html(_document())
