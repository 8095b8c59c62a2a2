"""What the pages show, computed from stories.json records: plain functions, no web framework.

The story page is a timeline, a map and a fact-by-source matrix; the article
page is the text with its annotations; each comes from the same records the
API returns, so the pages and the JSON never disagree.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import json
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from storyline.models import Annotations
from storyline.report import when_text
from storyline.text import fold

STATIC = Path(__file__).resolve().parent / "static"
STATUSES = ("corroborated", "single_source", "conflicting")


# -- dates ------------------------------------------------------------------------
def parse_day(value: str | None, *, end: bool = False) -> date | None:
    """The first or last calendar day of an ISO date, month ("2020-11") or year ("2020"); None otherwise."""
    if not value:
        return None
    text = value.strip()[:10]
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        if len(text) == 7 and text[4] == "-":
            year, month = int(text[:4]), int(text[5:7])
            if not end:
                return date(year, month, 1)
            return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        if len(text) == 4 and text.isdigit():
            return date(int(text), 12, 31) if end else date(int(text), 1, 1)
    except ValueError:
        return None
    return None


def fact_span(fact: dict[str, Any]) -> tuple[date, date] | None:
    """The calendar days a fact's time covers, from ``when.start``/``end`` or its value."""
    when = fact.get("when") or {}
    first = parse_day(when.get("start")) or parse_day(when.get("value"))
    last = parse_day(when.get("end"), end=True) or parse_day(when.get("value"), end=True) or first
    if first is None or last is None:
        return None
    return (first, max(first, last))


def day_label(day: date, step: str = "day") -> str:
    if step == "year":
        return str(day.year)
    if step == "month":
        return day.strftime("%b %Y")
    if step == "tick":  # on the axis the year is on the first label only
        return f"{day.day} {day.strftime('%b')}"
    return f"{day.day} {day.strftime('%b %Y')}"


def when_label(fact: dict[str, Any]) -> str:
    """A reader's label for a fact's time: "1 Dec 2020", "Nov 2020", "2020", or the raw value."""
    when = fact.get("when") or {}
    value = when.get("value") or ""
    span = fact_span(fact)
    if span is None:
        return value or "undated"
    first, last = span
    granularity = when.get("granularity") or "day"
    if granularity in ("decade", "century"):
        return when_text(when)
    if (
        granularity == "year"
        or (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
        and first.year == last.year
    ):
        return str(first.year)
    if granularity == "month" or (
        first.day == 1 and (last + timedelta(days=1)).day == 1 and first.month == last.month
    ):
        return first.strftime("%b %Y")
    if first == last:
        return day_label(first)
    return f"{day_label(first)} – {day_label(last)}"


# -- timeline -------------------------------------------------------------------------
TIMELINE_WIDTH = 100  # positions on the time track are percentages of its width: labels keep their size
MAX_TICKS = 4  # the track is about 300 px wide on a laptop: four labels of ~60 px stay apart


def _ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Round dates on the axis between first and last, at the finest step that keeps them readable."""
    days = (last - first).days or 1
    for step in (1, 2, 7, 14):
        if days / step <= MAX_TICKS:
            ticks = [first + timedelta(days=i) for i in range(0, days + 1, step)]
            return [(d, day_label(d, "day" if i == 0 else "tick")) for i, d in enumerate(ticks)]
    for months in (1, 2, 3, 6):
        if days / (30.4 * months) <= MAX_TICKS:
            ticks, year, month = [], first.year, first.month
            while True:
                month += 1
                if month > 12:
                    year, month = year + 1, 1
                day = date(year, month, 1)
                if day > last:
                    return ticks
                if (month - 1) % months == 0:
                    ticks.append((day, day_label(day, "month")))
    for years in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if days / (365.25 * years) <= MAX_TICKS:
            start = (first.year // years + 1) * years
            return [(date(y, 1, 1), str(y)) for y in range(start, last.year + 1, years)]
    return []


@dataclass
class TimelineRow:
    fact: dict[str, Any]
    label: str  # the time, for a reader
    x: float  # start on the track, percent of its width
    width: float  # 0 for a single day


@dataclass
class Timeline:
    rows: list[TimelineRow] = field(default_factory=list)
    ticks: list[tuple[float, str, str]] = field(default_factory=list)  # (x, label, text anchor)
    background: list[dict[str, Any]] = field(default_factory=list)  # folded away: context, not news
    undated: list[dict[str, Any]] = field(default_factory=list)
    first: date | None = None
    last: date | None = None


def timeline(facts: list[dict[str, Any]]) -> Timeline:
    """Facts on a shared time axis; background facts and undated facts set aside."""
    result = Timeline()
    dated = []
    for fact in facts:
        span = fact_span(fact)
        if fact.get("background"):
            result.background.append(fact)
        elif span is None:
            result.undated.append(fact)
        else:
            dated.append((span, fact))
    result.background.sort(key=lambda f: fact_span(f) or (date.max, date.max))
    if not dated:
        return result
    dated.sort(key=lambda item: (item[0][0], item[0][1], item[1].get("id", "")))
    first = min(s[0] for s, _ in dated)
    last = max(s[1] for s, _ in dated)
    pad = max(1, (last - first).days // 20)  # keep marks off the very edges
    first, last = first - timedelta(days=pad), last + timedelta(days=pad)
    result.first, result.last = first, last
    total = (last - first).days + 1

    def x(day: date) -> float:
        return round((day - first).days / total * TIMELINE_WIDTH, 2)

    for (start, end), fact in dated:
        width = x(end + timedelta(days=1)) - x(start) if end > start else 0.0
        result.rows.append(TimelineRow(fact, when_label(fact), x(start), round(width, 1)))
    for day, label in _ticks(first, last):
        at = x(day)
        anchor = "start" if at < 8 else "end" if at > 92 else "middle"  # keep edge labels inside the track
        result.ticks.append((at, label, anchor))
    return result


# -- fact by source matrix ------------------------------------------------------------
@dataclass
class Cell:
    kind: str  # states | alone | differs | silent
    values: list[str] = field(default_factory=list)  # what this source says where sources differ
    dismissed: bool = False  # an analyst dismissed the difference


CELL_TEXT = {"states": "states", "alone": "adds alone", "differs": "differs", "silent": "silent"}


def fact_cells(fact: dict[str, Any], article_ids: list[str]) -> list[Cell]:
    """For each source of the story, whether it states the fact, adds it alone, differs, or is silent."""
    sources = set(fact.get("sources") or []) | {e["article"] for e in fact.get("evidence") or []}
    differing: dict[str, list[str]] = {}
    dismissed: dict[str, bool] = {}
    for conflict in fact.get("conflicts") or []:
        off = conflict.get("decision") == "dismissed"
        for value in conflict.get("values") or []:
            for article in value.get("articles") or []:
                differing.setdefault(article, []).append(f"{conflict.get('slot')}: {value.get('value')}")
                dismissed[article] = dismissed.get(article, True) and off
    cells = []
    for article in article_ids:
        if article in differing:
            off = dismissed[article]
            cells.append(Cell("states" if off else "differs", differing[article], off))
        elif article in sources:
            cells.append(Cell("alone" if len(sources) == 1 else "states"))
        else:
            cells.append(Cell("silent"))
    return cells


# -- map ---------------------------------------------------------------------------
MAP_WIDTH, MAP_HEIGHT = 720, 400
MIN_SPAN = 3.0  # degrees: a map of one town still shows its region
MARGIN = 0.3  # fraction of the span added around the places


@cache
def world() -> dict[str, Any]:
    """Country outlines vendored from npm world-atlas (see VENDORED.json); read once."""
    path = STATIC / "world.json"
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return json.loads(data)


@dataclass
class MapMarker:
    number: int
    place: dict[str, Any]
    x: float
    y: float
    inside: bool
    label: tuple[float, float, str] | None = None  # (x, y, text anchor); None where no free room


MARKER_RADIUS = 9


def _free_spot(x: float, y: float, markers: list[MapMarker]) -> tuple[float, float]:
    """Places at (nearly) one spot, like a city and its district, get side by side markers instead of one hiding the other."""
    gap = 2 * MARKER_RADIUS + 1
    for ring in range(4):
        for step in range(6 * ring or 1):
            angle = 2 * math.pi * step / (6 * ring or 1)
            cx, cy = round(x + ring * gap * math.cos(angle), 1), round(y + ring * gap * math.sin(angle), 1)
            if all(math.hypot(cx - m.x, cy - m.y) >= gap for m in markers):
                return cx, cy
    return x, y


LABEL_CHAR = 7.6  # px per character of a 13px semibold label, a little generous


def place_labels(markers: list[MapMarker], width: int, height: int) -> None:
    """Put each name beside its marker where it hides no other marker or name: right, left, above, below."""
    taken = [
        (m.x - MARKER_RADIUS, m.y - MARKER_RADIUS, m.x + MARKER_RADIUS, m.y + MARKER_RADIUS)
        for m in markers
        if m.inside
    ]
    for m in markers:
        if not m.inside:
            continue
        w, r = len(m.place["name"]) * LABEL_CHAR, MARKER_RADIUS + 4
        options = [
            (m.x + r, m.y + 4, "start", (m.x + r, m.y - 9, m.x + r + w, m.y + 7)),
            (m.x - r, m.y + 4, "end", (m.x - r - w, m.y - 9, m.x - r, m.y + 7)),
            (m.x, m.y - r - 2, "middle", (m.x - w / 2, m.y - r - 15, m.x + w / 2, m.y - r + 1)),
            (m.x, m.y + r + 12, "middle", (m.x - w / 2, m.y + r - 2, m.x + w / 2, m.y + r + 14)),
        ]
        for x, y, anchor, box in options:
            if box[0] < 0 or box[2] > width or box[1] < 0 or box[3] > height:
                continue
            own = (m.x - MARKER_RADIUS, m.y - MARKER_RADIUS, m.x + MARKER_RADIUS, m.y + MARKER_RADIUS)
            if any(
                b != own and box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                for b in taken
            ):
                continue
            m.label = (round(x, 1), round(y, 1), anchor)
            taken.append(box)
            break


@dataclass
class MapView:
    width: int
    height: int
    transform: str  # from the outlines' frame (hundredths of a degree, y south) to pixels
    countries: list[dict[str, Any]]
    markers: list[MapMarker]
    graticule: list[tuple[str, float, float, float, float]]  # (label, x1, y1, x2, y2)


MAX_REACH = (
    20.0  # degrees around the densest group of places: a stray far-off one is listed, not zoomed out to
)


def map_view(
    places: list[dict[str, Any]],
    weights: dict[str, int] | None = None,
    width: int = MAP_WIDTH,
    height: int = MAP_HEIGHT,
) -> MapView | None:
    """An equirectangular map zoomed to the densest group of places (countries only when nothing finer is named)."""
    located = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    if not located:
        return None
    focus = [p for p in located if p.get("kind") not in ("country", "continent", "region")] or located
    weights = weights or {}

    def near(a: dict[str, Any], b: dict[str, Any]) -> bool:
        reach = math.cos(math.radians(a["lat"]))
        return abs(a["lat"] - b["lat"]) <= MAX_REACH and abs(a["lon"] - b["lon"]) * reach <= MAX_REACH

    def neighbourhood(p: dict[str, Any]) -> int:
        return sum(1 + weights.get(q["id"], 0) for q in focus if near(p, q))

    # zoom to where most of the story's places are, weighted by how many facts happen there
    main = max(focus, key=lambda p: (neighbourhood(p), weights.get(p["id"], 0)))
    focus = [p for p in focus if near(main, p)]
    west, east = min(p["lon"] for p in focus), max(p["lon"] for p in focus)
    south, north = min(p["lat"] for p in focus), max(p["lat"] for p in focus)
    lat_span = max(north - south, MIN_SPAN) * (1 + 2 * MARGIN)
    lon_span = max(east - west, MIN_SPAN) * (1 + 2 * MARGIN)
    middle_lat, middle_lon = (north + south) / 2, (east + west) / 2
    k = max(math.cos(math.radians(middle_lat)), 0.2)  # shrink longitudes at the map's latitude
    # fit the projected box into the frame, keeping its aspect ratio
    scale = min(width / (lon_span * k), height / lat_span)
    lon_span, lat_span = width / (scale * k), height / scale
    west, north = middle_lon - lon_span / 2, min(middle_lat + lat_span / 2, 90.0)
    east, south = west + lon_span, north - lat_span

    def project(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - west) * k * scale, 1), round((north - lat) * scale, 1)

    unit = world()["unit"]
    transform = (
        f"matrix({k * scale / unit:.6f} 0 0 {scale / unit:.6f} {-west * k * scale:.2f} {north * scale:.2f})"
    )
    countries = [
        c
        for c in world()["countries"]
        if c["bbox"][0] <= east and c["bbox"][2] >= west and c["bbox"][1] <= north and c["bbox"][3] >= south
    ]
    markers: list[MapMarker] = []
    for number, place in enumerate(located, 1):
        x, y = project(place["lon"], place["lat"])
        x, y = _free_spot(x, y, markers)
        markers.append(MapMarker(number, place, x, y, 0 <= x <= width and 0 <= y <= height))
    place_labels(markers, width, height)
    step = next(s for s in (1, 2, 5, 10, 20, 30, 45, 90) if lat_span / s <= 6)
    lines = []
    for lat in range(math.ceil(south / step) * step, math.floor(north / step) * step + 1, step):
        y = project(west, lat)[1]
        lines.append((f"{abs(lat)}°{'N' if lat >= 0 else 'S'}", 0.0, y, float(width), y))
    for lon in range(math.ceil(west / step) * step, math.floor(east / step) * step + 1, step):
        x = project(lon, north)[0]
        lines.append((f"{abs(lon)}°{'E' if lon >= 0 else 'W'}", x, 0.0, x, float(height)))
    return MapView(width, height, transform, countries, markers, lines)


# -- article text with annotations ------------------------------------------------------
@dataclass
class Piece:
    text: str
    kind: str | None = None  # place, time, quantity, actor
    href: str | None = None
    title: str | None = None
    mark: int | None = None  # index of the highlighted passage it belongs to
    mark_start: bool = False  # first piece of that passage: the scroll target


def annotation_spans(
    annotations: Annotations | None, place_names: dict[str, str]
) -> list[tuple[int, int, str, str | None, str]]:
    """(start, end, kind, link, tooltip) for every annotation, most informative first where they overlap."""
    if annotations is None:
        return []
    spans = []
    for p in annotations.places:
        name = place_names.get(p.place_id or "", "unresolved place")
        spans.append(
            (p.start, p.end, "place", f"/places/{p.place_id}" if p.place_id else None, f"place: {name}")
        )
    for t in annotations.timexes:
        spans.append((t.start, t.end, "time", None, f"{t.type.lower()}: {t.value}"))
    for q in annotations.quantities:
        high = f"–{q.value_high:g}" if q.value_high is not None else ""
        what = " ".join(x for x in (q.approx, f"{q.value:g}{high}", q.unit, q.counted) if x)
        spans.append((q.start, q.end, "quantity", None, f"quantity: {what}"))
    for e in annotations.entities:
        spans.append((e.start, e.end, "actor", None, f"actor ({e.label}): {e.key}"))
    return spans


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: text between line breaks, blank lines skipped."""
    spans, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end + 1
    return spans


def pieces(
    text: str,
    spans: list[tuple[int, int, str, str | None, str]],
    marks: list[tuple[int, int]],
    window: tuple[int, int] | None = None,
) -> list[list[Piece]]:
    """The text cut into paragraphs of pieces, each piece carrying its annotation and highlighted passage."""
    limit = len(text)
    chosen: list[tuple[int, int, str, str | None, str]] = []
    last_end = -1
    for span in sorted((s for s in spans if 0 <= s[0] < s[1] <= limit), key=lambda s: (s[0], s[0] - s[1])):
        if span[0] >= last_end:
            chosen.append(span)
            last_end = span[1]
    marks = [(s, e) for s, e in marks if 0 <= s < e <= limit]
    result = []
    started: set[int] = set()
    for p_start, p_end in paragraphs(text):
        if window and (p_end <= window[0] or p_start >= window[1]):
            continue
        cuts = {p_start, p_end}
        for s, e, *_ in chosen:
            cuts.update(c for c in (s, e) if p_start < c < p_end)
        for s, e in marks:
            cuts.update(c for c in (s, e) if p_start < c < p_end)
        bounds = sorted(cuts)
        paragraph = []
        for a, b in zip(bounds, bounds[1:], strict=False):
            piece = Piece(text[a:b])
            for s, e, kind, href, title in chosen:
                if s <= a and b <= e:
                    piece.kind, piece.href, piece.title = kind, href, title
                    break
            for index, (s, e) in enumerate(marks):
                if s <= a and b <= e:
                    piece.mark = index
                    piece.mark_start = index not in started
                    started.add(index)
                    break
            paragraph.append(piece)
        result.append(paragraph)
    return result


def evidence_window(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraphs around a cited passage: the one it is in and its neighbours."""
    spans = paragraphs(text)
    inside = [i for i, (s, e) in enumerate(spans) if s < end and e > start]
    if not inside:
        return (start, end)
    first, last = max(0, inside[0] - 1), min(len(spans) - 1, inside[-1] + 1)
    return (spans[first][0], spans[last][1])


# -- stories index ----------------------------------------------------------------------
@dataclass
class StoryCard:
    """What the stories page filters and sorts on, for one story."""

    id: str
    title: str
    start: str | None
    end: str | None
    size: int
    facts: int
    conflicts: int  # facts with a conflict not dismissed
    article_ids: list[str]
    sources: list[str]
    languages: list[str]
    place_ids: set[str]
    places: list[str]  # names of the places most mentioned, for the card
    latest: str  # the latest date known in the story, for sorting by recency
    folded: str  # folded title, for matching


def open_conflicts(fact: dict[str, Any]) -> int:
    return sum(1 for c in fact.get("conflicts") or [] if c.get("decision") != "dismissed")


def story_card(
    card: dict[str, Any],
    articles: dict[str, dict[str, Any]],
    article_places: dict[str, list[str]],
    place_names: dict[str, str],
) -> StoryCard:
    """A story's card for the stories page, from the store's card record (store.story_cards)."""
    members = [articles[a] for a in card["article_ids"] if a in articles]
    counts = {place: 2 * n for place, n in card["fact_places"].items()}  # where a fact happens counts more
    for article in card["article_ids"]:
        for place in article_places.get(article, []):
            counts[place] = counts.get(place, 0) + 1
    top = sorted(counts, key=lambda p: (-counts[p], place_names.get(p, p)))
    dates = [d for d in [card["end"], card["start"], *(a.get("published") for a in members)] if d]
    return StoryCard(
        id=card["id"],
        title=card["title"] or "(untitled story)",
        start=card["start"],
        end=card["end"],
        size=len(card["article_ids"]),
        facts=len(card["fact_ids"]),
        conflicts=card["open_conflicts"],
        article_ids=list(card["article_ids"]),
        sources=sorted({a["source"] for a in members if a.get("source")}),
        languages=sorted({a["language"] for a in members if a.get("language")}),
        place_ids=set(counts),
        places=[place_names[p] for p in top[:4] if p in place_names],
        latest=max(d[:10] for d in dates) if dates else "",
        folded=fold(card["title"]),
    )


@dataclass(frozen=True)
class StoryFilter:
    q: str = ""
    place: str = ""
    source: str = ""
    language: str = ""
    date_from: date | None = None
    date_to: date | None = None
    conflicts: bool = False
    sort: str = "size"


class CardText:
    """Finds the cards a text search selects without a pass over every card: a store's worth of
    cards is tens of thousands, and a search selects a few hundred."""

    def __init__(self, cards: list[StoryCard]):
        self.cards = cards
        self.position = {card.id: i for i, card in enumerate(cards)}
        self.starts = list(itertools.accumulate((len(c.folded) + 1 for c in cards), initial=0))
        self.titles = "\n".join(c.folded for c in cards)

    def select(self, story_ids: set[str], words: str) -> list[StoryCard]:
        """The cards of ``story_ids`` and those whose folded title holds ``words``, in card order."""
        chosen = {self.position[s] for s in story_ids if s in self.position}
        at = self.titles.find(words) if words and "\n" not in words else -1
        while at >= 0:
            card = bisect.bisect_right(self.starts, at) - 1
            chosen.add(card)
            at = self.titles.find(words, self.starts[card + 1])  # the next title
        return [self.cards[i] for i in sorted(chosen)]


def filter_cards(cards: list[StoryCard], f: StoryFilter, places: list[dict[str, Any]]) -> list[StoryCard]:
    """The cards matching every filter but the text (see ``CardText``)."""
    wanted_places: set[str] | None = None
    if f.place:
        folded = fold(f.place)
        wanted_places = {
            p["id"]
            for p in places
            if p["id"] == f.place
            or fold(p["name"]) == folded
            or any(fold(n) == folded for n in p["names_seen"])
        }
    source = fold(f.source)
    result = []
    for card in cards:
        if wanted_places is not None and not wanted_places & card.place_ids:
            continue
        if source and not any(source in fold(s) for s in card.sources):
            continue
        if f.language and f.language not in card.languages:
            continue
        if f.conflicts and not card.conflicts:
            continue
        if f.date_from or f.date_to:
            first = parse_day(card.start) or parse_day(card.latest)
            last = parse_day(card.end, end=True) or first
            if f.date_from and (last is None or last < f.date_from):
                continue
            if f.date_to and (first is None or first > f.date_to):
                continue
        result.append(card)
    if f.sort == "recent":
        result.sort(key=lambda c: (c.latest, c.size), reverse=True)
    else:
        result.sort(key=lambda c: (c.size, c.facts, c.latest), reverse=True)
    return result


def headline(title: str, text: str, words: int = 12) -> str:
    """The title, or the opening words of the text when a report has none."""
    if title.strip():
        return title
    opening = text.split()
    return " ".join(opening[:words]) + ("…" if len(opening) > words else "")


def published_label(article: dict[str, Any]) -> str:
    """The date and how it is known: "2020-12-01 (metadata)", "2020-12-02 (inferred, confidence 0.71)"."""
    published = article.get("published")
    basis = article.get("published_basis") or "unknown"
    if not published:
        return "date unknown"
    day = published[:10]
    if basis == "inferred":
        confidence = article.get("published_confidence")
        return f"{day} (inferred" + (f", confidence {confidence:.2f})" if confidence is not None else ")")
    return f"{day} ({basis})"
