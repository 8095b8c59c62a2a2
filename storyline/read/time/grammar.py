"""What a language gives the time engine: rules that propose spans, and the words around them.

A grammar is data plus small parsers: each `Rule` is a compiled pattern and a function that turns
its match into a `Sem` (what the span says, language-free: "ymd", "weekday", "ago", "duration", ...).
The engine (engine.py) selects among the candidates of every rule, the resolver (resolve.py) turns
a `Sem` into a TIMEX3 value; neither knows a word of any language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FLAGS = re.IGNORECASE


@dataclass
class Sem:
    """What a matched span says, before it is resolved against the anchor and the context."""

    kind: str
    start: int
    end: int
    data: dict[str, Any] = field(default_factory=dict)
    mod: str | None = None
    priority: int = 0


Parser = Callable[[re.Match, str], "Sem | list[Sem] | None"]


@dataclass
class Rule:
    name: str
    pattern: re.Pattern
    parse: Parser
    needs: tuple[str, ...] = ()  # lower-case words one of which must occur, to skip the scan cheaply


class Rules(list):
    """An ordered rule list; earlier rules win ties between candidates of the same length."""

    def add(
        self, pattern: str, flags: int = FLAGS, needs: tuple[str, ...] = ()
    ) -> Callable[[Parser], Parser]:
        def register(fn: Parser) -> Parser:
            self.append(Rule(fn.__name__, re.compile(pattern, flags), fn, needs))
            return fn

        return register


def sem(kind: str, match: re.Match, /, **data: Any) -> Sem:
    return Sem(kind, match.start(), match.end(), data)


_CLAUSE_EDGE = re.compile(r"[.;!?\n،؛。；]|,\s(?:but|and|while|when)\b")


def tense(text: str, start: int, end: int, future: re.Pattern | None, past: re.Pattern | None) -> str | None:
    """'past', 'future' or None: the nearest tense marker within the clause around [start, end)."""
    if future is None or past is None:
        return None
    lo = max(0, start - 120)
    left = text[lo:start]
    edges = list(_CLAUSE_EDGE.finditer(left))
    if edges:
        left = left[edges[-1].end() :]
    right = text[end : end + 120]
    edge = _CLAUSE_EDGE.search(right)
    if edge:
        right = right[: edge.start()]
    best: tuple[int, str] | None = None
    for kind, pattern in (("future", future), ("past", past)):
        for m in pattern.finditer(left):
            dist = len(left) - m.end()
            if best is None or dist < best[0] or (dist == best[0] and kind == "future"):
                best = (dist, kind)
        m = pattern.search(right)
        if m:
            dist = m.start()
            if best is None or dist < best[0]:
                best = (dist, kind)
    return best[1] if best else None


def _identity(text: str) -> str:
    return text


@dataclass
class Grammar:
    """One language's share of time reading.

    rules: candidate rules, in priority order.
    absorb: widens selected spans over the modifier words around them ("early", "about"), in place.
    future / past: tense markers, for bare weekdays and year-less dates.
    weekday_word: a pattern whose group "wd" is a weekday name, and `weekday_of` its number (Monday 0),
        for dating undated articles.
    join_gap: what may stand between a time of day and its day ("10 p.m. on Friday").
    inside_title: whether a candidate sits inside a title ("This Week", "60 Minutes").
    normalise: a same-length rewrite of the text before matching (native digits to ASCII).
    """

    code: str
    rules: list[Rule]
    absorb: Callable[[str, list[Sem]], None] | None = None
    future: re.Pattern | None = None
    past: re.Pattern | None = None
    weekday_word: re.Pattern | None = None
    weekday_of: Callable[[str], int | None] = lambda word: None
    join_gap: re.Pattern = re.compile(r"[\s,]*")
    inside_title: Callable[[str, Sem], bool] | None = None
    normalise: Callable[[str], str] = _identity

    def tense(self, text: str, start: int, end: int) -> str | None:
        return tense(text, start, end, self.future, self.past)
