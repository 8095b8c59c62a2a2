"""English: the grammar TempEval-3 was measured on (bench/timex.py), over the shared time engine."""

from __future__ import annotations

import re

from storyline.read.time.grammar import FLAGS, Grammar, Sem
from storyline.read.time.lang import en_dates, en_relative, en_spans
from storyline.read.time.lang.en_words import MODS, WEEKDAY, WEEKDAYS, prefix_mod

_FUTURE = re.compile(
    r"\b(?:will|won't|wo|shall|'ll|going\s+to|is\s+to|are\s+to|plans?\s+to|planned|planning|scheduled|"
    r"expects?\s+to|expected|due\s+to|set\s+to|intends?\s+to|hopes?\s+to|upcoming|next|would)\b|\bto\s+be\b",
    FLAGS,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|says|told|ago|last|yesterday|earlier|since|"
    r"[a-z]{2,}ed|went|came|began|took|gave|made|left|met|won|lost|fell|rose|sold|held|got|saw|"
    r"struck|killed|hit|spoke|ran|became|brought|kept|found|shot|thought|announced)\b",
    FLAGS,
)
_DATE_PREFIX = re.compile(
    r"(?:\b(?P<mod>early|late|mid|the\s+(?:very\s+)?(?:early|late|mid)|(?:the\s+)?(?:very\s+)?(?:end|beginning|start|"
    r"middle|close|turn|dawn)\s+of(?:\s+the)?|(?:the\s+)?(?:first|second|last|latter)\s+half\s+of(?:\s+the)?|"
    r"(?:the\s+)?(?:first|last)\s+(?:few\s+|several\s+)?(?:days|weeks|months|hours|minutes)\s+(?:of|after|before)"
    r"(?:\s+the)?|around|about|roughly|approximately|circa|(?:the\s+)?(?:very\s+)?first\s+minutes\s+after)"
    r"(?:\s+|-))$",
    FLAGS,
)
_DURATION_PREFIX = re.compile(
    r"(?:\b(?P<mod>about|around|roughly|approximately|some|nearly|almost|more\s+than|upwards\s+of|at\s+least|"
    r"less\s+than|up\s+to|no\s+more\s+than|no\s+less\s+than|at\s+most|fewer\s+than)\s+)$",
    FLAGS,
)
_DURATION_SUFFIX = re.compile(r"\s+(?P<mod>or\s+so|or\s+more|or\s+longer)\b", FLAGS)


_CALENDAR_KINDS = {"weekend", "ymd", "month", "year", "decade", "century", "quarter", "half", "season", "rel", "weekday",
                   "deictic", "holiday", "quarter_ref", "day_of_month", "time", "ago"}  # fmt: skip


_TITLE_PRONE = {"deictic", "rel", "time", "ref", "duration", "set"}


def _inside_title(text: str, sem: Sem) -> bool:
    """A capitalised "This Week", "Today", "60 Minutes" inside a name (a programme, a film)."""
    if sem.kind not in _TITLE_PRONE:
        return False
    words = re.findall(r"[A-Za-z]+", text[sem.start : sem.end])
    if not words or not all(w[0].isupper() for w in words):
        return False
    before = text[max(0, sem.start - 3) : sem.start].rstrip(" ")
    if not before or before[-1] in ".!?\n:;":
        return False  # a sentence start
    if before[-1] in "\"'`“‘":
        return True
    prev = re.search(r"([A-Za-z]+)\W*$", text[max(0, sem.start - 30) : sem.start])
    return bool(prev and prev.group(1)[0].isupper() and prev.group(1).lower() not in WEEKDAYS)


def _absorb_modifiers(text: str, sems: list[Sem]) -> None:
    prev_end = 0
    for i, s in enumerate(sems):
        next_start = sems[i + 1].start if i + 1 < len(sems) else len(text)
        window = text[max(prev_end, s.start - 48) : s.start]
        if s.kind == "duration":
            pm = _DURATION_PREFIX.search(window)
            if pm and s.mod is None:
                s.mod = MODS.get(re.sub(r"\s+", " ", pm.group("mod").lower()))
                s.start -= len(window) - pm.start()
            sm = _DURATION_SUFFIX.match(text, s.end)
            if sm and sm.end() <= next_start:
                s.mod = s.mod or MODS.get(re.sub(r"\s+", " ", sm.group("mod").lower()))
                s.end = sm.end()
        elif s.kind in _CALENDAR_KINDS:
            wk = re.search(r"\b(?:the\s+)?week\s+of\s+$", window, FLAGS)
            if wk and s.kind == "ymd" and s.data.get("d"):
                s.data["week_of"] = True
                s.start -= len(window) - wk.start()
                prev_end = s.end
                continue
            pm = _DATE_PREFIX.search(window)
            if pm and s.mod is None and s.kind != "ago":
                mod = prefix_mod(pm.group("mod"))
                if mod:
                    s.mod = mod
                    s.start -= len(window) - pm.start()
                    if re.match(r"(?:the\s+)?(?:first|second|last|latter)\s+half", pm.group("mod"), FLAGS):
                        s.data["half"] = 1 if mod == "START" else 2
            elif pm is None and s.kind in {
                "ymd",
                "month",
                "year",
                "decade",
                "quarter",
                "weekday",
                "deictic",
                "rel",
                "ago",
                "time",
            }:
                am = re.search(
                    r"\b(?P<mod>about|around|roughly|approximately|nearly|almost)\s+$", window, FLAGS
                )
                if am and s.mod is None:
                    s.mod = "APPROX" if am.group("mod").lower() != "almost" else "LESS_THAN"
                    s.start -= len(window) - am.start()
            if s.kind in {"ymd", "month", "year", "rel", "ago"}:
                sm = re.match(r"\s+or\s+so\b", text[s.end : next_start], FLAGS)
                if sm:
                    s.mod = "APPROX"
                    s.end += sm.end()
        prev_end = s.end


def _weekday_of(word: str) -> int | None:
    return WEEKDAYS.get(word.strip(".").lower())


GRAMMAR = Grammar(
    code="en",
    rules=en_dates.RULES + en_relative.RULES + en_spans.RULES,
    absorb=_absorb_modifiers,
    future=_FUTURE,
    past=_PAST,
    weekday_word=re.compile(rf"\b(?P<wd>{WEEKDAY})", FLAGS),
    weekday_of=_weekday_of,
    join_gap=re.compile(r"[\s,]*(?:(?P<on>on|of)\s+)?(?:the\s+)?", FLAGS),
    inside_title=_inside_title,
)
