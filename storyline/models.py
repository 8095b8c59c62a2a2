"""Data classes shared by every stage.

Every stage reads and writes these and nothing else: ingest makes Articles,
read makes Annotations, stories make Stories, facts fill Story.facts. Offsets
are always character offsets into the stored ``Article.text``.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

PublishedBasis = Literal["metadata", "inferred", "unknown"]
FactStatus = Literal["corroborated", "single_source", "conflicting"]


@dataclass
class Article:
    """One news report as stored. ``id`` is derived from the normalised text."""

    id: str
    text: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    language: str | None = None
    published: datetime | None = None
    published_basis: PublishedBasis = "unknown"
    published_confidence: float | None = None
    published_precision: Literal["day", "time"] | None = None  # "day" when only the date is known
    ingested_at: datetime | None = None
    duplicate_of: str | None = None
    origin: str | None = None  # the file, feed or URL it was read from
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Copy:
    """A syndicated or duplicate copy: stored once, linked to its original."""

    article_id: str  # the original it copies
    url: str | None
    source: str | None
    title: str
    published: datetime | None
    origin: str | None
    kind: Literal["exact", "near"]
    similarity: float


@dataclass
class Sentence:
    start: int
    end: int


@dataclass
class EntityMention:
    """An actor mention: organisation, group or person."""

    start: int
    end: int
    text: str
    label: str  # ORG, NORP, PERSON, ...
    key: str  # normalised within the article: mentions of one actor share it
    source: str  # which component found it


@dataclass
class Place:
    """A gazetteer entry with coordinates."""

    id: str  # "gn:<geonameid>" or another gazetteer's stable key
    name: str
    lat: float
    lon: float
    country: str | None  # ISO 3166-1 alpha-2
    kind: str  # city, country, admin1, admin2, continent, region
    population: int = 0


@dataclass
class PlaceMention:
    start: int
    end: int
    text: str
    place_id: str | None  # None when it could not be resolved
    feature: str | None  # the kind of feature named: region, district, corridor, city
    confidence: float
    source: str  # spacy, natasha, gazetteer, alias


@dataclass
class Alias:
    """A name for a place, with where it came from."""

    place_id: str
    name: str
    provenance: str  # gazetteer, surface, apposition, known_as, also_called, ...
    article_id: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Timex:
    """A time expression normalised TIMEX3-style against the article's anchor."""

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str  # TIMEX3 value: 2020-12-01, 2020-11, 1990s -> 199, P10Y, XXXX-WXX-2 ...
    granularity: str  # day, week, month, quarter, season, year, decade, century, time, interval, duration, set
    begin: date | None = None  # calendar interval covered, when the value is on the calendar
    finish: date | None = None
    mod: str | None = None  # START, END, BEFORE, AFTER, APPROX, ...
    anchored: bool = False  # value was computed from the anchor (relative expression)
    confidence: float = 1.0


@dataclass
class Quantity:
    start: int
    end: int
    text: str
    value: float
    value_high: float | None = None  # for ranges: 10-13
    unit: str | None = None  # km, %, USD, ...
    counted: str | None = None  # what is counted: refugees, peacekeepers
    approx: str | None = None  # over, about, under, at_least, up_to, ...
    counted_key: str | None = None  # the same in every language: "refugees", else "fr:boutique"


@dataclass
class Argument:
    """A predicate's argument: who or what, with its role in the clause."""

    role: str  # subject, object, agent, patient, or the preposition of an oblique ("to", "from")
    start: int
    end: int
    text: str
    head: str  # lemma of the head word


@dataclass
class Clause:
    """A predicate with its arguments, from the dependency parse: the skeleton a fact is built on.

    ``timexes``, ``places``, ``quantities`` and ``entities`` index into the
    article's annotation lists: the ones this clause governs.
    """

    start: int
    end: int
    sentence: int  # index into Annotations.sentences
    predicate: str  # lemma
    predicate_start: int
    predicate_end: int
    arguments: list[Argument] = field(default_factory=list)
    negated: bool = False
    gapped: bool = False  # predicate shared with a coordinated clause: "..., and on May 5, the X region"
    timexes: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)
    quantities: list[int] = field(default_factory=list)
    entities: list[int] = field(default_factory=list)
    # who or what the clause is about, recovered through the parse when its own words
    # lack it (relative clause, participle, coordinated verb, infinitive, pronoun); it
    # may lie outside the clause. None when it cannot be recovered.
    subject: Argument | None = None
    subject_via: str = ""  # explicit, relative, participle, coordination, control, pronoun
    summary: str = ""  # a short sentence, the subject first; "(subject unclear) ..." without one
    headline: str = ""  # the summary cut at phrase boundaries to a headline's length


@dataclass
class Annotations:
    """The reading layer of one article."""

    article_id: str
    reader_version: str
    text_hash: str
    language: str | None = None
    anchor: date | None = None  # publication date used to resolve relative dates
    anchor_basis: PublishedBasis = "unknown"
    anchor_confidence: float | None = None
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class Evidence:
    article: str
    start: int
    end: int
    text: str


@dataclass
class When:
    value: str
    start: str | None
    end: str | None
    granularity: str


@dataclass
class ConflictValue:
    value: str
    articles: list[str]


@dataclass
class Conflict:
    slot: str  # when, quantity, where, who
    values: list[ConflictValue]
    explanation: str
    decision: str | None = None  # analyst: confirmed | dismissed


@dataclass
class Fact:
    id: str
    summary: str  # a short sentence, its subject recovered through the parse
    when: When | None
    where: list[str]
    who: list[str]
    quantities: list[dict[str, Any]]
    status: FactStatus
    sources: list[str]
    evidence: list[Evidence]
    conflicts: list[Conflict] = field(default_factory=list)
    background: bool = False
    confidence: float = 1.0
    notes: list[str] = field(default_factory=list)  # e.g. compatible-but-different values
    headline: str = ""  # the summary cut at phrase boundaries to a headline's length
    # the language of the summary: English where a source tells it in English, else its first source's
    summary_language: str | None = None


@dataclass
class Story:
    id: str
    title: str  # the most central report's title, else a headline built from the main fact
    article_ids: list[str]
    start: str | None = None
    end: str | None = None
    facts: list[Fact] = field(default_factory=list)  # the main fact first, then in time order
    lead: str = ""  # one paragraph: the main happening, dates and place, sources, open conflicts
    main_fact: str | None = None  # id of the main fact


@dataclass
class Decision:
    """An analyst's decision, kept across re-analysis.

    kinds and values: ``conflict`` (target: "<fact id>/<slot>", value: confirmed | dismissed),
    ``merge_stories`` (target: story id, value: the story id it merges into),
    ``move_article`` (target: article id, value: "new" or a story id),
    ``alias`` (target: "<place id>/<name>", value: accepted | rejected).
    """

    kind: str
    target: str
    value: str
    author: str
    note: str = ""
    created_at: datetime | None = None
    id: int | None = None


_PLAIN = (str, int, float, bool, type(None))


def to_dict(obj: Any) -> Any:
    """Dataclasses to JSON-ready dicts; dates become ISO strings."""
    if isinstance(obj, _PLAIN):
        return obj
    names = _field_names(type(obj))
    if names is not None:
        return {name: to_dict(getattr(obj, name)) for name in names}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    return obj


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None for other types), found once per class."""
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    """A dataclass's field types, resolved once per class (get_type_hints is slow)."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _as_is(value: Any) -> Any:
    return value


@functools.cache
def _builder(tp: Any) -> Any:
    """A function rebuilding a value of type ``tp`` from ``to_dict`` output, made once per type:
    reading the types for every value made loading annotations cost milliseconds each."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _builder(options[0]) if len(options) == 1 else _as_is
    if origin is list:
        (inner,) = typing.get_args(tp) or (Any,)
        item = _builder(inner)
        return lambda value: [item(v) for v in value] if value is not None else None
    if dataclasses.is_dataclass(tp):
        fields = tuple((name, _builder(hint)) for name, hint in _field_types(tp).items())

        def build(value: Any) -> Any:
            if value is None:
                return None
            return tp(**{name: make(value[name]) for name, make in fields if name in value})

        return build
    if tp is date:
        return lambda value: date.fromisoformat(value) if value is not None else None
    if tp is datetime:
        return lambda value: datetime.fromisoformat(value) if value is not None else None
    return _as_is


def from_dict(cls: type, data: Any) -> Any:
    """Rebuild a dataclass (recursively) from ``to_dict`` output."""
    return _builder(cls)(data)
