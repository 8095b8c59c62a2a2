"""Realistic rewrites of analysed reports, for stores larger than the dev corpora (bench scale).

A rewrite of an article for copy ``k`` is another event of the same kind told in the same
words: its places are swapped for other gazetteer cities (the same city always becomes the
same other city within one copy), every year it states and its publication date move by the
years the caller gives (copies lie further apart than the grouping window, so they are
separate events; bench/scale.py moves them back in time, since a report from the future
is refused at ingest), and its annotations
are carried over consistently: every offset is moved through the edits, every span's text
is taken from the new text, and time values and days move with the years. Its embedding is
the original's with a little noise, so that the copies of one report are near but not equal.
Nothing is read again: that is what makes a store of 100,000 articles buildable in minutes.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import pickle
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from storyline.ingest import dedup
from storyline.models import Annotations, Article, Place
from storyline.read.gazetteer import Gazetteer
from storyline.read.reader import text_hash

# Copies this many years apart are separate events: two years less a copy story's spread
# (bench/scale.py: DESK_SPREAD_DAYS each side) is more than the grouping window (540 days).
YEARS_PER_COPY = 2
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_OFFSET_FIELDS = ("start", "end", "predicate_start", "predicate_end")


@dataclass
class Rewrite:
    article: Article
    annotations: Annotations
    places: dict[str, Place]
    vector: np.ndarray


def _copy(annotations: Annotations) -> Annotations:
    return pickle.loads(pickle.dumps(annotations))  # several times faster than copy.deepcopy


def cities(gazetteer: Gazetteer, min_population: int = 200_000) -> list[int]:
    """Gazetteer indexes of the cities a place may be swapped for."""
    return [i for i, kind in enumerate(gazetteer.kinds) if kind == 0 and gazetteer.populations[i] >= min_population]


def _pick(key: str, options: list[int]) -> int:
    return options[int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % len(options)]


def shift_day(day: Any, years: int) -> Any:
    """A date or datetime ``years`` on (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _shift_value(value: str, years: int) -> str:
    match = re.match(r"^(\d{4})(?=$|-)", value)
    return f"{int(match[1]) + years}{value[4:]}" if match else value


class _Offsets:
    """Moves offsets of the old text to the new one through non-overlapping edits."""

    def __init__(self, edits: list[tuple[int, int, str]]):
        self.starts = [s for s, _, _ in edits]
        self.edits = edits
        self.deltas = []
        total = 0
        for start, end, new in edits:
            total += len(new) - (end - start)
            self.deltas.append(total)

    def __call__(self, position: int, is_end: bool) -> int:
        i = bisect.bisect_right(self.starts, position) - 1
        if i < 0:
            return position
        start, end, new = self.edits[i]
        before = self.deltas[i - 1] if i else 0
        if position >= end:
            return position + self.deltas[i]
        if position == start:
            return start + before
        return start + before + (len(new) if is_end else 0)  # inside an edited span: its new edge


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, cursor = [], 0
    for start, end, new in edits:
        out.append(text[cursor:start])
        out.append(new)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _walk(value: Any, offsets: _Offsets, text: str, years: int, names: dict[str, str]) -> None:
    """Move every offset, refresh every span's text, shift days and values, rename in free text."""
    if isinstance(value, list):
        for item in value:
            _walk(item, offsets, text, years, names)
        return
    if not dataclasses.is_dataclass(value):
        return
    for f in dataclasses.fields(value):
        current = getattr(value, f.name)
        if f.name in _OFFSET_FIELDS and isinstance(current, int):
            setattr(value, f.name, offsets(current, f.name.endswith("end")))
        elif isinstance(current, date) and not isinstance(current, datetime):
            setattr(value, f.name, shift_day(current, years))
        elif isinstance(current, (list,)) or dataclasses.is_dataclass(current):
            _walk(current, offsets, text, years, names)
    if hasattr(value, "text") and isinstance(getattr(value, "start", None), int):
        value.text = text[value.start : value.end]
    if hasattr(value, "value") and isinstance(value.value, str):
        value.value = _shift_value(value.value, years)
    for name in ("summary", "headline"):
        if isinstance(getattr(value, name, None), str):
            setattr(value, name, _rename(getattr(value, name), names, years))


def shift_years(text: str, years: int) -> str:
    """Every year 1800-2099 the text states, ``years`` on."""
    return _YEAR.sub(lambda m: str(int(m[0]) + years), text) if years else text


def _rename(text: str, names: dict[str, str], years: int) -> str:
    for old, new in names.items():
        text = text.replace(old, new)
    return shift_years(text, years)


def rewrite(
    article: Article,
    annotations: Annotations,
    vector: np.ndarray,
    copy: int,
    gazetteer: Gazetteer,
    options: list[int],
    years: int | None = None,
    day: datetime | None = None,
) -> Rewrite:
    """Copy ``copy`` of an analysed article: copy 0 keeps its names, later copies swap them.

    ``years`` (default ``YEARS_PER_COPY copy``) moves its dates; the copy is published
    ``day`` (default: the original's day) moved by as many years.
    """
    years = YEARS_PER_COPY * copy if years is None else years
    swap: dict[str, int] = {}
    edits: list[tuple[int, int, str]] = []
    names: dict[str, str] = {}
    for mention in annotations.places:
        place = gazetteer.get(mention.place_id) if mention.place_id and copy else None
        if place is None or place.kind != "city":
            continue
        index = swap.setdefault(place.id, _pick(f"{copy}:{place.id}", options))
        new_name = gazetteer.names_of[index]
        edits.append((mention.start, mention.end, new_name))
        names[mention.text] = new_name
    if years:
        for timex in annotations.timexes:
            for m in _YEAR.finditer(article.text, timex.start, timex.end):
                edits.append((m.start(), m.end(), str(int(m[0]) + years)))
    edits.sort()
    edits = [e for i, e in enumerate(edits) if i == 0 or e[0] >= edits[i - 1][1]]  # no overlaps
    text = _apply(article.text, edits)
    if copy and not edits:  # nothing to swap or move: the wire line tells the copy apart
        text += f"\n\nFiled for copy {copy}."
    read = _copy(annotations)
    spans = [read.sentences, read.entities, read.places, read.timexes, read.quantities, read.aliases, read.clauses]
    _walk(spans, _Offsets(edits), text, years, names)
    by_old = {old: gazetteer.ids[index] for old, index in swap.items()}
    for mention in read.places:
        mention.place_id = by_old.get(mention.place_id, mention.place_id)
    for alias in read.aliases:
        alias.place_id = by_old.get(alias.place_id, alias.place_id)
        alias.name = names.get(alias.name, alias.name)
    new_id = dedup.article_id(text)
    read.article_id, read.text_hash = new_id, text_hash(text)
    for alias in read.aliases:
        alias.article_id = new_id
    if read.anchor:
        read.anchor = shift_day(read.anchor, years)
    # a copy is always dated, or it could not be told apart from the other copies in time:
    # an undated original takes the day its text was anchored to, else a day fixed by its id
    day = day or article.published or (datetime.combine(annotations.anchor, datetime.min.time()) if annotations.anchor else None)
    if day is None:
        day = datetime(2012, 1, 1) + timedelta(days=int(article.id[:8], 16) % 3650)
    published = shift_day(day, years) if copy else article.published
    if published:
        # read as of its own publication day, as ingest would anchor it: otherwise the copy's
        # annotations count as stale and every `analyze` after would read the copies again
        read.anchor = published.date()
    places = {p.place_id: gazetteer.get(p.place_id) for p in read.places if p.place_id}
    noise = np.random.default_rng(int(new_id[:8], 16)).normal(0, 0.01, vector.shape).astype(np.float32)
    moved = vector + noise
    new = dataclasses.replace(
        article,
        id=new_id,
        text=text,
        title=_rename(article.title, names, years),
        url=f"https://copies.example/{copy}/{new_id}",
        published=published,
        published_basis="metadata" if published else article.published_basis,
        published_confidence=None,
        published_precision="day" if published else None,
        ingested_at=None,
        duplicate_of=None,
        origin=f"rewrite {copy}",
        meta={},
    )
    return Rewrite(new, read, {k: v for k, v in places.items() if v}, moved / np.linalg.norm(moved))


def syndicated(original: Rewrite, outlet: str) -> Rewrite:
    """A wire copy: the same report with the outlet's line added (a near duplicate of it)."""
    text = original.article.text + f"\n\nDistributed by {outlet}."
    new_id = dedup.article_id(text)
    read = _copy(original.annotations)
    read.article_id, read.text_hash = new_id, text_hash(text)
    for alias in read.aliases:
        alias.article_id = new_id
    article = dataclasses.replace(
        original.article, id=new_id, text=text, source=outlet, url=f"{original.article.url}/{outlet}",
        duplicate_of=original.article.id,
    )
    return Rewrite(article, read, original.places, original.vector)
