"""What an analyst reads first about a story: its main fact, its title and its lead.

The main fact is the happening the reports are about: told by the most independent
sources, early in the reports (news puts the main event first), close to the reports'
own days, and not a mere "X said". The title is a real headline: the title of the story's
most central report (the one whose facts the other reports share most), else the main
fact's headline, which is cut only at phrase boundaries. The lead is one paragraph: the
main happening, the dates and place, the sources by language, and the open conflicts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from babel import Locale

from storyline.facts.extract import Telling, tellings
from storyline.facts.fuse import align, build_fact
from storyline.models import Annotations, Article, Fact

# Predicates that report speech rather than a happening: "the ministry said ...".
SPEECH = {"say", "tell", "announce", "report", "state", "add", "claim", "note", "write", "explain",
          "insist", "deny", "warn", "quote", "cite", "accord", "comment", "reply", "argue"}
# Weights of the main-fact score, set by hand (each is one plain preference, in the order
# an editor would apply them): one per independent source; a telling in the first two
# sentences of a report (the news lead) adds one, in the first five half of one; a date
# on the reports' own days adds up to one, fading over a month; a speech verb costs one,
# a subject that could not be recovered half of one.
LEAD_SENTENCES, EARLY_SENTENCES = 2, 5
RECENT_DAYS = 30
TITLE_CHARS = 160
# Within one report the headline and lead carry the main event (inverted pyramid): their
# preference counts this many times over (set by hand, like the weights above).
REPORT_LEAD_WEIGHT = 3.0  # a report's first sentence longer than this is no title
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def main_fact_order(
    facts: list[Fact], groups: list[list[Telling]], latest: date | None, lead_weight: float = 1.0
) -> list[Fact]:
    """The facts with the main one first, the others as they came (in time order).

    ``lead_weight`` scales the preference for the first sentences: within one report,
    where no fact has more sources than another, the headline and lead decide."""
    if not facts:
        return facts
    scores = {f.id: _score(f, g, latest, lead_weight) for f, g in zip(facts, groups, strict=True)}
    main = max(facts, key=lambda f: (scores[f.id], -_start_ordinal(f), f.id))
    return [main] + [f for f in facts if f is not main]


def _start_ordinal(fact: Fact) -> int:
    return date.fromisoformat(fact.when.start).toordinal() if fact.when and fact.when.start else 0


def _score(fact: Fact, group: list[Telling], latest: date | None, lead_weight: float = 1.0) -> float:
    score = float(len({t.source_id for t in group}))
    first = min(t.clause.sentence for t in group)
    score += lead_weight * (1.0 if first < LEAD_SENTENCES else 0.5 if first < EARLY_SENTENCES else 0.0)
    if fact.when and fact.when.end and latest:
        gap = abs((latest - date.fromisoformat(fact.when.end)).days)
        score += max(0.0, 1.0 - gap / RECENT_DAYS)
    if all(t.predicate in SPEECH for t in group):
        score -= 1.0
    if all(t.clause.predicate and t.clause.subject is None for t in group):
        score -= 0.5
    if fact.background:
        score -= 10.0
    return score


# -- title -------------------------------------------------------------------------


def central_article(articles: list[Article], facts: list[Fact]) -> Article | None:
    """The report whose facts the others share most (ties: the earliest, then by id)."""
    if not articles:
        return None
    shared: Counter[str] = Counter()
    for fact in facts:
        if len(fact.sources) > 1:
            shared.update(fact.sources)
    return min(articles, key=lambda a: (-shared[a.id], a.published.date() if a.published else date.max, a.id))


def story_title(articles: list[Article], facts: list[Fact]) -> str:
    """A real headline: the most central titled report's title, else the main fact's headline."""
    titled = [a for a in articles if a.title.strip()]
    if titled:
        return " ".join(central_article(titled, facts).title.split())  # type: ignore[union-attr]
    if facts and facts[0].headline:
        return facts[0].headline
    central = central_article(articles, facts)
    return _first_sentence(central.text) if central else ""


def _first_sentence(text: str) -> str:
    """The first sentence, whole: cut only at a clause boundary (a comma or semicolon) when too long."""
    text = " ".join(text.split())
    match = re.search(r"[.!?](?:\s|$)", text)
    sentence = text[: match.start() + 1] if match else text
    if len(sentence) <= TITLE_CHARS:
        return sentence
    cut = max(sentence.rfind(",", 0, TITLE_CHARS), sentence.rfind(";", 0, TITLE_CHARS))
    return sentence[:cut] if cut > 20 else sentence


# -- lead ----------------------------------------------------------------------------


def day_label(value: str) -> str:
    """"2020-11-09" -> "9 November 2020"; other values as they are."""
    m = _ISO_DAY.match(value)
    if not m:
        return value
    d = date(int(m[1]), int(m[2]), int(m[3]))
    return f"{d.day} {d:%B %Y}"


def span_label(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    a = date.fromisoformat(start[:10])
    b = date.fromisoformat((end or start)[:10])
    if a == b:
        return f"on {a.day} {a:%B %Y}"
    if a.year != b.year:
        return f"from {a.day} {a:%B %Y} to {b.day} {b:%B %Y}"
    if a.month != b.month:
        return f"from {a.day} {a:%B} to {b.day} {b:%B %Y}"
    return f"from {a.day} to {b.day} {b:%B %Y}"


def story_place(facts: list[Fact], annotations: dict[str, Annotations], place_kinds: dict[str, str]) -> str | None:
    """The name the reports use most for the place the story's facts cite most (a town over a country)."""
    cited: Counter[str] = Counter()
    for fact in facts:
        if not fact.background:
            for place in fact.where:
                cited[place] += len(fact.sources)
    if not cited:
        return None
    coarse = {"country", "continent", "region"}
    best = max(cited, key=lambda p: (place_kinds.get(p) not in coarse, cited[p], p))
    surfaces: Counter[str] = Counter()
    for annotation in annotations.values():
        surfaces.update(m.text for m in annotation.places if m.place_id == best and m.feature != "demonym")
    return surfaces.most_common(1)[0][0] if surfaces else None


def _languages(articles: list[Article]) -> str:
    counts = Counter(a.language or "und" for a in articles if not a.duplicate_of)
    names = Locale("en").languages
    parts = [f"{n} in {names.get(code, code)}" if code != "und" else f"{n} in an unknown language"
             for code, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
    total = sum(counts.values())
    copies = sum(1 for a in articles if a.duplicate_of)
    text = f"{total} independent source{'s' if total != 1 else ''} ({', '.join(parts)})"
    if copies:
        text += f" and {copies} syndicated cop{'ies' if copies != 1 else 'y'}"
    return text


def _conflicts(facts: list[Fact], articles: dict[str, Article]) -> str:
    open_conflicts = [(f, c) for f in facts if not f.background for c in f.conflicts if c.decision != "dismissed"]
    if not open_conflicts:
        return "The sources agree: no open conflict."
    items = []
    for fact, conflict in open_conflicts:
        values = [
            f"{day_label(v.value)} ({', '.join(articles[a].source or a for a in v.articles if a in articles)})"
            for v in conflict.values
        ]
        what = "date" if conflict.slot == "when" else conflict.slot.removeprefix("quantity:")
        items.append(f"the {what} of “{fact.summary}”: {' or '.join(values)}")
    count = len(open_conflicts)
    return f"Open conflict{'s' if count != 1 else ''} ({count}): " + "; ".join(items) + "."


def story_lead(
    articles: list[Article],
    facts: list[Fact],
    annotations: dict[str, Annotations],
    place_kinds: dict[str, str],
    start: str | None,
    end: str | None,
) -> str:
    """One paragraph: the main happening, its dates and place, the sources by language, the open conflicts."""
    sentences = []
    if facts:
        sentences.append(facts[0].summary.rstrip(".") + ".")
    place = story_place(facts, annotations, place_kinds)
    # the span a reader can check: days the facts give and the reports' own days
    days = [f.when.start for f in facts if f.when and f.when.granularity == "day" and not f.background]
    days += [a.published.date().isoformat() for a in articles if a.published]
    span = span_label(min(days), max(days)) if days else span_label(start, end)
    if span or place:
        where = f" in and around {place}" if place else ""
        sentences.append(f"The story runs {span}{where}." if span else f"The story is set{where}.")
    sentences.append(f"Told by {_languages(articles)}.")
    sentences.append(_conflicts(facts, {a.id: a for a in articles}))
    return " ".join(sentences)


# -- the main event of one report ----------------------------------------------------


@dataclass
class MainEvent:
    """Who did what, when and where: the main fact of one report, in its words."""

    who: str | None
    what: str | None
    when: str | None  # ISO day, when the main fact is dated to the day
    where: str | None
    summary: str


def main_event(article: Article, annotations: Annotations, place_kinds: dict[str, str]) -> MainEvent | None:
    """The report's main fact (see ``main_fact_order``) as who, what, when and where."""
    items = tellings(article, annotations, place_kinds, article.id, every_clause=True)
    items = [t for t in items if t.predicate]
    if not items:
        return None
    groups = align(items, lambda a, b: 0.0)
    facts = [build_fact(g, {}) for g in groups]
    by_id = {f.id: g for f, g in zip(facts, groups, strict=True)}
    published = article.published.date() if article.published else annotations.anchor
    main = main_fact_order(facts, groups, published, lead_weight=REPORT_LEAD_WEIGHT)[0]
    telling = next(t for t in by_id[main.id] if t.summary == main.summary)
    clause = telling.clause
    who = clause.subject.text if clause.subject else None
    what = main.summary
    if clause.subject and what.lower().startswith(" ".join(clause.subject.text.split()).lower()):
        what = what[len(" ".join(clause.subject.text.split())) :].strip(" ,")
    elif not clause.subject:
        what = what.removeprefix("(subject unclear)").strip()
    when = main.when.start if main.when and main.when.granularity == "day" else None
    if when is None:
        # undated in its own words: the day the report's lead gives
        lead = [s.end for s in annotations.sentences[:EARLY_SENTENCES]]
        days = [t for t in annotations.timexes if t.granularity == "day" and t.begin and lead and t.start < lead[-1]]
        when = days[0].begin.isoformat() if days else None
    places = [
        annotations.places[i]
        for i in clause.places
        if annotations.places[i].place_id and annotations.places[i].feature != "demonym"
    ]
    where = places[0].text if places else story_place([main], {article.id: annotations}, place_kinds)
    if where is None:
        named = Counter(
            m.text for m in annotations.places if m.place_id and m.feature != "demonym" and m.source != "gazetteer"
        )
        where = named.most_common(1)[0][0] if named else None
    return MainEvent(who=who, what=what or None, when=when, where=where, summary=main.summary)
