"""Outputs: stories.json, report.html, report.md, and the CSV and GeoJSON exports.

All of them are rendered from the one stories.json document
(``storyline.report.document.build_document``), so they always agree.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from storyline.report.document import build_document

__all__ = ["build_document", "is_web_url", "when_text", "render_html", "render_markdown", "to_csv", "to_geojson", "write_outputs"]

STATUS_LABELS = {
    "corroborated": "corroborated",
    "single_source": "single source",
    "conflicting": "conflicting",
}


def markdown_text(value: Any) -> Any:
    """Article-derived text made inert in Markdown: no raw HTML, no table breaks, one line."""
    if not isinstance(value, str):
        return value
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return " ".join(value.split())


def is_web_url(value: Any) -> bool:
    """Only plain http(s) addresses become links: never javascript:, data: or anything a browser might run."""
    return isinstance(value, str) and value.isprintable() and re.match(r"https?://[^/\\\s]", value, re.I) is not None


def when_text(when: dict[str, Any] | None) -> str:
    """A fact's time as the timeline shows it: the calendar value, decades and centuries spelled "1990s"."""
    if not when:
        return "undated"
    value = when.get("value") or ""
    if when.get("granularity") == "decade" and value.isdigit():
        return f"{value}0s"
    if when.get("granularity") == "century" and value.isdigit():
        return f"{value}00s"
    return value or "undated"


def _environment(markdown: bool = False) -> Environment:
    env = Environment(
        loader=PackageLoader("storyline.report", "templates"),
        autoescape=False if markdown else select_autoescape(["html", "j2"]),
        finalize=markdown_text if markdown else None,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["status_label"] = lambda s: STATUS_LABELS.get(s, s)
    env.filters["when_text"] = when_text
    env.tests["web_url"] = is_web_url
    return env


class View:
    """Lookups the templates need: article and place records by id, source names."""

    def __init__(self, document: dict[str, Any]):
        self.document = document
        self.articles = {a["id"]: a for a in document["articles"]}
        self.places = {p["id"]: p for p in document["places"]}

    def source(self, article_id: str) -> str:
        article = self.articles.get(article_id, {})
        return article.get("source") or article.get("title") or article_id

    def place_name(self, place_id: str) -> str:
        place = self.places.get(place_id)
        return place["name"] if place else place_id

    def story_places(self, story: dict[str, Any]) -> list[dict[str, Any]]:
        ids = list(dict.fromkeys(p for f in story["facts"] for p in f["where"]))
        return [self.places[i] for i in ids if i in self.places]

    def adds(self, story: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
        """What each source alone adds: its single-source facts."""
        by_source: dict[str, list[dict[str, Any]]] = {}
        for fact in story["facts"]:
            if fact["status"] == "single_source" and not fact.get("background"):
                by_source.setdefault(fact["sources"][0], []).append(fact)
        return sorted(by_source.items(), key=lambda item: self.source(item[0]))


def render_html(document: dict[str, Any]) -> str:
    """A self-contained page: inline styles, no scripts or fonts from the network."""
    return _environment().get_template("report.html.j2").render(doc=document, view=View(document))


def render_markdown(document: dict[str, Any]) -> str:
    return _environment(markdown=True).get_template("report.md.j2").render(doc=document, view=View(document))


CSV_COLUMNS = [
    "story_id",
    "story_title",
    "fact_id",
    "when",
    "granularity",
    "status",
    "background",
    "summary",
    "summary_language",
    "places",
    "who",
    "sources",
    "source_names",
    "conflicts",
]


def to_csv(document: dict[str, Any]) -> str:
    """One row per fact."""
    view = View(document)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for story in document["stories"]:
        for fact in story["facts"]:
            when = fact.get("when") or {}
            writer.writerow(
                {
                    "story_id": story["id"],
                    "story_title": story["title"],
                    "fact_id": fact["id"],
                    "when": when.get("value", ""),
                    "granularity": when.get("granularity", ""),
                    "status": fact["status"],
                    "background": fact.get("background", False),
                    "summary": fact["summary"],
                    "summary_language": fact.get("summary_language") or "",
                    "places": "; ".join(view.place_name(p) for p in fact["where"]),
                    "who": "; ".join(fact["who"]),
                    "sources": "; ".join(fact["sources"]),
                    "source_names": "; ".join(view.source(a) for a in fact["sources"]),
                    "conflicts": " | ".join(
                        f"{c['slot']}: "
                        + ", ".join(f"{v['value']} ({'; '.join(view.source(a) for a in v['articles'])})" for v in c["values"])
                        + f" [{c.get('decision') or 'open'}]"
                        for c in fact.get("conflicts", [])
                    ),
                }
            )
    return buffer.getvalue()


def to_geojson(document: dict[str, Any]) -> dict[str, Any]:
    """Places as points, with every name seen and the stories and facts that mention them."""
    stories_of: dict[str, set[str]] = {}
    facts_of: dict[str, list[str]] = {}
    for story in document["stories"]:
        for fact in story["facts"]:
            for place in fact["where"]:
                stories_of.setdefault(place, set()).add(story["id"])
                facts_of.setdefault(place, []).append(fact["id"])
    features = [
        {
            "type": "Feature",
            "id": p["id"],
            "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
            "properties": {
                "name": p["name"],
                "country": p["country"],
                "names_seen": p["names_seen"],
                "stories": sorted(stories_of.get(p["id"], ())),
                "facts": facts_of.get(p["id"], []),
            },
        }
        for p in document["places"]
        if p.get("lat") is not None and p.get("lon") is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def write_outputs(document: dict[str, Any], out_dir: str | Path) -> dict[str, Path]:
    """stories.json, report.html and report.md in a folder; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "stories.json", "html": out / "report.html", "md": out / "report.md"}
    contents = {
        "json": json.dumps(document, ensure_ascii=False, indent=2),
        "html": render_html(document),
        "md": render_markdown(document),
    }
    for kind, path in paths.items():
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_text(contents[kind], encoding="utf-8")
        temporary.replace(path)  # readers never see a half-written file
    return paths
