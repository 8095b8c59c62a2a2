"""Across languages: when two tellings in different languages report one happening.

Predicates cannot match across languages ("entered", "est entrée", "girdi"), so
a telling in one language meets a telling in another through what does not
depend on the language: the day (within a day of each other, so that a one-day
disagreement becomes a conflict rather than two facts), the places (resolved to
one gazetteer entry whatever the script), the counted thing (a key shared by
every language's quantity grammar: "personnes", "kişi" and "people" are all
``people``), and the meaning of the two clauses in a multilingual sentence
embedding. The same rule serves languages with a parser and without one.

Each embedder covers some languages, with a paraphrase threshold measured on
hand-written parallel sentences (``python -m bench align``, tests/data/parallel:
one story's eight happenings in eleven languages; pairs telling different
happenings of the same story are the negatives):

========  =========================  ==========================  =========  ============
embedder  paraphrases across langs.  other happenings, same story  threshold  P / R
========  =========================  ==========================  =========  ============
``use``   mean 0.67 (10th pct 0.38)  mean 0.17 (90th pct 0.31)   0.5        0.98 / 0.82
``e5``    mean 0.89 (10th pct 0.86)  mean 0.80 (90th pct 0.83)   0.86       0.96 / 0.88
========  =========================  ==========================  =========  ============

USE (fast) is used when it covers both languages; multilingual-e5 (slower,
every language here) for Ukrainian, Persian, Azerbaijani, Armenian and any
other language USE was not trained on (USE gives Ukrainian paraphrases 0.38).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from storyline.facts.compare import counted_of
from storyline.facts.extract import Telling

Embed = Callable[[list[str]], np.ndarray]

# Cosine (USE multilingual v3) above which clauses in two languages tell one happening.
CROSS_LANGUAGE_SIMILARITY = 0.5
# The same for multilingual-e5-small, whose cosines crowd near 0.8 for any two news sentences.
CROSS_LANGUAGE_SIMILARITY_E5 = 0.86
# The 16 languages USE multilingual v3 was trained on.
USE_LANGUAGES = frozenset({"ar", "zh", "en", "fr", "de", "it", "ja", "ko", "nl", "pl", "pt", "es", "th", "tr", "ru"})
# Tellings in different languages dated further apart than this are different happenings.
NEAR_DAYS = 1


@dataclass
class Embedder:
    """A multilingual sentence embedder, the languages it covers (None: all) and its paraphrase threshold."""

    name: str
    embed: Embed
    threshold: float
    languages: frozenset[str] | None = None
    vectors: dict[str, np.ndarray] = field(default_factory=dict)

    def covers(self, a: str, b: str) -> bool:
        return self.languages is None or (a in self.languages and b in self.languages)

    def cosine(self, a: str, b: str) -> float:
        missing = list(dict.fromkeys(t for t in (a, b) if t not in self.vectors))
        if missing:
            matrix = np.asarray(self.embed(missing), dtype=np.float32)
            matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
            self.vectors.update(zip(missing, matrix, strict=True))
        return float(self.vectors[a] @ self.vectors[b])


class CrossLanguage:
    """Decides whether two tellings in different languages report one happening."""

    def __init__(self, embedders: list[Embedder]) -> None:
        self.embedders = embedders

    def paraphrase(self, a: Telling, b: Telling) -> bool:
        embedder = next((e for e in self.embedders if e.covers(a.language, b.language)), None)
        return embedder is not None and embedder.cosine(a.text, b.text) >= embedder.threshold

    def same_happening(self, a: Telling, b: Telling) -> bool:
        if a.specific_places and b.specific_places and not (a.specific_places & b.specific_places):
            return False
        if a.when and b.when:
            if not near(a, b):
                return False
        elif not _same_counted(a, b):
            return False  # an undated telling meets another only over the same counted thing
        return self.paraphrase(a, b)


def cross_language(embed: Embed | None, embed_every_language: Embed | None) -> CrossLanguage:
    embedders = []
    if embed is not None:
        embedders.append(Embedder("use", embed, CROSS_LANGUAGE_SIMILARITY, USE_LANGUAGES))
    if embed_every_language is not None:
        embedders.append(Embedder("e5", embed_every_language, CROSS_LANGUAGE_SIMILARITY_E5))
    return CrossLanguage(embedders)


def near(a: Telling, b: Telling) -> bool:
    """Do the two dates overlap or lie within NEAR_DAYS of each other?"""
    assert a.when and b.when
    if a.when.begin <= b.when.end and b.when.begin <= a.when.end:
        return True
    gap = min(abs((a.when.begin - b.when.end).days), abs((b.when.begin - a.when.end).days))
    return gap <= NEAR_DAYS


def _same_counted(a: Telling, b: Telling) -> bool:
    return bool({counted_of(q) for q in a.quantities if q.counted} & {counted_of(q) for q in b.quantities if q.counted})


def near_day_keys(t: Telling) -> set[str]:
    """Bucket keys that bring tellings dated within NEAR_DAYS of each other together."""
    if not t.when or t.when.granularity != "day":
        return set()
    ordinal = t.when.begin.toordinal()
    return {f"n:{ordinal + k}" for k in range(-NEAR_DAYS, NEAR_DAYS + 1)}


def two_days_in_one_report(group: list[Telling]) -> bool:
    """Does one report in the group give two different days? Then the group holds two happenings."""
    days: dict[str, set] = {}
    for t in group:
        if t.when and t.when.granularity == "day":
            days.setdefault(t.article_id, set()).add(t.when.begin)
    return any(len(d) > 1 for d in days.values())
