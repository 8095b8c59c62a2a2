"""The time engine: one pass of a language's grammar over a text, then language-free resolution.

Three passes over a text:

1. every rule of the language's grammar proposes candidate spans with what they say ("Nov. 20",
   "last week", "six weeks");
2. overlapping candidates are resolved, longest first, and the grammar absorbs modifier words around
   them ("the end of September" -> END, "about three years" -> APPROX);
3. in document order, each survivor becomes a `Timex`, resolved against the anchor (the publication
   date) and against what the text mentioned before it (the last month for "the 25th of it", the
   last quarter for "a year earlier", the last day for "the next day"): see resolve.py.

A language is a module `storyline.read.time.lang.<code>` exposing `GRAMMAR` (see grammar.py); the
engine imports it by name on first use, so no language module is loaded that is not read.
A language without a module gets a grammar built from dateparser's CLDR word lists
(lang/table.py): month and weekday names, "yesterday", "last week", plus ISO and numeric dates.

Conventions follow TimeML / TempEval-3 annotation (see bench/timex.py). The ones with a choice to make:

- a bare weekday is the nearest one on or before the anchor (news reports the past: measured on
  TempEval-3, 88% of bare weekdays fall within the six days before the publication date), or the
  nearest one on or after it when the clause speaks of the future ("will", "is to", "next", ...);
- a date without a year takes the year that puts it nearest the anchor (within half a year: "Dec. 28"
  written on Jan. 3 is last December, "Jan. 2" written on Nov. 2 is next January); a past-tense date
  that would still lie more than `PAST_FAR_DAYS` after the anchor moves back a year;
- ranges of durations ("10-13 years", "two to three weeks") take the lower bound with mod
  EQUAL_OR_MORE, as TempEval-3's gold does;
- "midnight" joined to a day ("midnight Friday") is T24 of that day, "midnight on December 1" the
  00:00 that begins it;
- without an anchor, relative expressions keep an underspecified value (XXXX-11-20, XXXX-WXX-2),
  `anchored=False` and a low confidence;
- vague counts ("a few days earlier", "several years ago") are PAST_REF / FUTURE_REF dates; "now",
  "currently" PRESENT_REF; "the past year", "last week" the previous calendar unit (TempEval-3 gold);
  "the past two years" a DURATION; decades "199", centuries "19", quarters "1989-Q3", seasons "1998-SU";
- in business news "a year earlier" / "a year ago" compare with the quarter being reported, once a
  quarter has been mentioned ("third-quarter profit ... from a year earlier" -> 1988-Q3).

`begin`/`finish` give the calendar interval (narrowed to its first, middle or last third for
START/MID/END).
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import re
from functools import lru_cache

from storyline.models import Timex
from storyline.read.time.calendar import Date, cal_half, cal_week, narrow
from storyline.read.time.grammar import Grammar, Sem
from storyline.read.time.lang import table
from storyline.read.time.resolve import Context, _from_cal, _remember, _resolve


def language_code(language: str | None) -> str:
    """ "pt-BR", "zh_Hans" -> "pt", "zh"."""
    return (language or "en").lower().split("-")[0].split("_")[0]


@lru_cache(maxsize=64)
def grammar_for(language: str | None) -> Grammar:
    """The grammar of a language; ISO and numeric dates only for a language without one."""
    code = language_code(language)
    if not code.isalpha():
        code = "xx"
    try:
        return importlib.import_module(f"storyline.read.time.lang.{code}").GRAMMAR
    except ModuleNotFoundError:
        return table.build(table.from_dateparser(code))


def _candidates(text: str, grammar: Grammar) -> list[Sem]:
    found: list[Sem] = []
    lowered = text.lower()
    for priority, r in enumerate(grammar.rules):
        if r.needs and not any(w in lowered for w in r.needs):
            continue
        for m in r.pattern.finditer(text):
            if m.end() == m.start():
                continue
            sems = r.parse(m, text)
            if sems is None:
                continue
            for sem in sems if isinstance(sems, list) else [sems]:
                if grammar.inside_title is not None and grammar.inside_title(text, sem):
                    continue
                sem.priority = priority
                found.append(sem)
    return found


@lru_cache(maxsize=4)
def _scanned(text: str, language: str | None) -> list[Sem]:
    """The candidates of a text, kept for the last few texts: an undated article is scanned once to
    date it (``infer_anchor``) and again against the date found, and the scan is most of the
    engine's cost. Shared: callers take copies, as the later passes change them."""
    return _candidates(text, grammar_for(language))


def _select(cands: list[Sem]) -> list[Sem]:
    """Longest first, then rule order; drop anything overlapping what was kept."""
    cands.sort(key=lambda s: (-(s.end - s.start), s.priority, s.start))
    taken: list[Sem] = []
    occupied: list[tuple[int, int]] = []
    for c in cands:
        if any(c.start < e and s < c.end for s, e in occupied):
            continue
        taken.append(c)
        occupied.append((c.start, c.end))
    taken.sort(key=lambda s: s.start)
    return taken


def _merge_adjacent(text: str, sems: list[Sem], join_gap: re.Pattern) -> list[Sem]:
    """Join a time of day to the day it is on ("10 p.m. Wednesday", "midnight on December 1"),
    and a weekday to the date it names ("Friday, Oct. 23")."""
    out: list[Sem] = []
    day_kinds = {"ymd", "weekday", "deictic", "holiday", "day_of_month", "ref_day"}
    for s in sems:
        if out:
            prev = out[-1]
            gap = text[prev.end : s.start]
            if (
                prev.kind == "time"
                and s.kind in day_kinds
                and (joined := join_gap.fullmatch(gap))
                and "\n" not in gap
                and s.data.get("d", 1) is not None
            ):
                if s.kind == "ymd" and s.data.get("d") is None:
                    out.append(s)
                    continue
                on = bool(joined.groupdict().get("on"))
                out[-1] = Sem(
                    "datetime",
                    prev.start,
                    s.end,
                    {"time": prev, "day": s, "on": on},
                    prev.mod or s.mod,
                    prev.priority,
                )
                continue
            if prev.kind in day_kinds and s.kind == "time" and re.fullmatch(r"[ \t]+", gap):
                out[-1] = Sem(
                    "datetime",
                    prev.start,
                    s.end,
                    {"time": s, "day": prev, "on": True},
                    prev.mod or s.mod,
                    prev.priority,
                )
                continue
            if (
                prev.kind == "weekday"
                and prev.data.get("rel") is None
                and s.kind == "ymd"
                and s.data.get("d")
                and re.fullmatch(r",?\s*", gap)
            ):
                s.data["wd"] = prev.data["wd"]
                out[-1] = Sem("ymd", prev.start, s.end, s.data, s.mod, s.priority)
                continue
        out.append(s)
    return out


def find_timexes(text: str, anchor: Date | None, language: str | None = "en") -> list[Timex]:
    """Every time expression in `text`, normalised against `anchor` (the publication date)."""
    if not text or not text.strip():
        return []
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    grammar = grammar_for(language)
    original, text = text, grammar.normalise(text)  # same length: offsets hold
    sems = _select(copy.deepcopy(_scanned(text, language)))
    if grammar.absorb is not None:
        grammar.absorb(text, sems)
    sems = _merge_adjacent(text, sems, grammar.join_gap)
    ctx = Context(text=text, anchor=anchor, grammar=grammar)
    out: list[Timex] = []
    for s in sems:
        try:
            res = _resolve(s, ctx)
        except (ValueError, OverflowError):  # calendar arithmetic off the calendar ("9999 years ago")
            res = None
        if res is None:
            continue
        mod = s.mod or res.mod
        if res.value in {"PAST_REF", "PRESENT_REF", "FUTURE_REF"} and mod in {"START", "END", "MID"}:
            mod = None
        if s.data.get("week_of") and res.begin is not None:  # "the week of March 6"
            res = _from_cal(cal_week(res.begin), res.anchored, res.confidence)
        begin, finish = narrow(res.begin, res.finish, mod)
        if s.data.get("half") and res.granularity == "year" and res.begin:  # "the first half of 1990"
            half_cal = cal_half(res.begin.year, s.data["half"])
            res.value, res.granularity = half_cal[0], half_cal[1]
            begin, finish, mod = half_cal[2], half_cal[3], None
        out.append(
            Timex(
                start=s.start,
                end=s.end,
                text=original[s.start : s.end],
                type=res.type,
                value=res.value,
                granularity=res.granularity,
                begin=begin,
                finish=finish,
                mod=mod,
                anchored=res.anchored,
                confidence=res.confidence,
            )
        )
        _remember(ctx, s, res)
    return out
