"""One article's tellings of happenings: clauses that carry a date or a count.

A ``Telling`` is what one report says about one happening: the predicate,
who acted, where, when and how many, and the sentence it stands in. Fusion
then lines tellings up across the reports of a story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from storyline.facts.compare import DateValue, date_value, precision
from storyline.models import Annotations, Article, Clause, PlaceMention, Quantity

# Counting time is the time layer's job: "six weeks" is a duration, not a count.
TIME_UNITS = {"year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute", "minutes"}
# Counts below this ("three regions", "two camps") describe rather than report, unless hedged or measured.
SMALL_COUNT = 10
SUBJECT_ROLES = {"subject", "agent"}
COARSE_PLACE_KINDS = {"country", "continent", "region"}
PATIENT_ROLES = {"object", "patient"}
_EDGE = re.compile(r"^[\s,;:.\-–—“”\"'‘’()]+|[\s,;:\-–—“”\"'‘’(]+$")
_LEADING_CONJUNCTION = re.compile(r"^(?:and|but|or|while|as|so)\s+", re.I)


@dataclass
class Telling:
    article_id: str
    source_id: str  # the independent source: a syndicated copy counts as its original
    order: tuple  # (publication day, article id, offset): which telling came first, whatever the ingestion order
    sentence_start: int
    sentence_end: int
    clause: Clause
    text: str  # the clause's text, from its subject on: what similarity compares
    summary: str  # a sentence with the subject recovered through the parse (the clause's text without a parse)
    headline: str  # the summary cut at phrase boundaries to a headline's length
    predicate: str
    when: DateValue | None
    when_text: str | None
    when_inferred: bool
    where: list[str]  # resolved place ids (demonyms excluded: they name actors)
    specific_places: set[str]  # places finer than a country
    who: list[str]  # actor keys in subject and agent roles
    heads: set[str]  # head lemmas of objects and patients
    quantities: list[Quantity] = field(default_factory=list)
    language: str = "en"  # the report's language: tellings in different languages align by meaning, not predicate


def counts(q: Quantity) -> bool:
    """A count or measure of something, not a duration."""
    return (q.unit or "").lower() not in TIME_UNITS and (q.counted or q.unit) is not None


def place_ids(mentions: Iterable[PlaceMention]) -> list[str]:
    """Resolved places, in order; demonyms ("Peruvian") name actors, not places."""
    return list(dict.fromkeys(p.place_id for p in mentions if p.place_id and p.feature != "demonym"))


def specific(place_ids: Iterable[str], place_kinds: dict[str, str]) -> set[str]:
    """Places finer than a country or region: two tellings naming different ones are different happenings."""
    return {p for p in place_ids if place_kinds.get(p) not in COARSE_PLACE_KINDS}


def clean(text: str) -> str:
    text = " ".join(text.split())
    text = _EDGE.sub("", text)
    return _LEADING_CONJUNCTION.sub("", text)


_RELATIVE = {"which", "who", "that", "whom", "whose", "который", "которая", "которое", "которые"}
_TRAILING = re.compile(r"[\s,;:]+(?:and|but|or|while|и|а|но)?[\s,;:]*$", re.I)


def summary_text(text: str, clause: Clause) -> str:
    """The clause from its subject on: "units of the army entered the region on 1 May", not the noun it hangs on."""
    subjects = [a for a in clause.arguments if a.role == "subject" and a.text.lower() not in _RELATIVE]
    if not subjects:
        subjects = [a for a in clause.arguments if a.role == "patient" and a.text.lower() not in _RELATIVE]
    start = min([clause.predicate_start] + [a.start for a in subjects])
    start = max(start, clause.start)
    end = clause.end
    # a clause's extent leaves out punctuation: take back the bracket it leaves open
    if text.count("(", start, end) > text.count(")", start, end) and text[end : end + 1] == ")":
        end += 1
    summary = _TRAILING.sub("", clean(text[start:end]))
    return summary[:1].upper() + summary[1:]


def tellings(
    article: Article,
    annotations: Annotations,
    place_kinds: dict[str, str],
    source_id: str,
    every_clause: bool = False,
) -> list[Telling]:
    """The article's clauses that date a happening or count something (or all, with ``every_clause``)."""
    result = []
    # the order must not depend on when or in which order the reports were ingested:
    # fact ids and the choice of a fact's first telling rest on it
    published = article.published.date().isoformat() if article.published else "9999-12-31"
    for clause in annotations.clauses:
        if clause.negated:
            continue
        dates = [(date_value(annotations.timexes[i]), annotations.timexes[i]) for i in clause.timexes]
        dates = [(v, t) for v, t in dates if v is not None]
        quantities = [annotations.quantities[i] for i in clause.quantities if counts(annotations.quantities[i])]
        if not dates:
            # an undated clause is a fact only for a figure worth reporting: "three regions" is description
            quantities = [q for q in quantities if q.unit or q.value >= SMALL_COUNT or q.approx]
        if not dates and not quantities and not every_clause:
            continue
        # the finest date the clause gives is when it happened
        when, when_timex = min(dates, key=lambda d: precision(d[0]), default=(None, None))
        where = place_ids(annotations.places[i] for i in clause.places)
        who = []
        for i in clause.entities:
            entity = annotations.entities[i]
            if any(a.role in SUBJECT_ROLES and a.start <= entity.start and entity.end <= a.end for a in clause.arguments):
                who.append(entity.key)
        sentence = annotations.sentences[clause.sentence] if annotations.sentences else None
        text = summary_text(article.text, clause)
        result.append(
            Telling(
                article_id=article.id,
                source_id=source_id,
                order=(published, article.id, clause.start),
                sentence_start=sentence.start if sentence else clause.start,
                sentence_end=sentence.end if sentence else clause.end,
                clause=clause,
                text=text,
                summary=clause.summary or text,
                headline=clause.headline or clause.summary or text,
                predicate=clause.predicate,
                when=when,
                when_text=when_timex.text if when_timex else None,
                when_inferred=bool(when_timex and when_timex.anchored and annotations.anchor_basis == "inferred"),
                where=where,
                specific_places=specific(where, place_kinds),
                who=list(dict.fromkeys(who)),
                heads={a.head.lower() for a in clause.arguments if a.role in PATIENT_ROLES},
                quantities=quantities,
                language=annotations.language or article.language or "en",
            )
        )
    return result
