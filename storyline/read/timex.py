"""Time expressions: find dates, times, durations and sets and normalise them TIMEX3-style.

Pure regular expressions and calendar arithmetic (no parser), compiled once at import.
Three passes over a text:

1. every rule's pattern proposes candidate spans with what they say ("Nov. 20", "last week", "six weeks");
2. overlapping candidates are resolved, longest first, and modifier words around them are absorbed
   ("the end of September" -> END, "about three years" -> APPROX);
3. in document order, each survivor becomes a `Timex`, resolved against the anchor (the publication
   date) and against what the text mentioned before it (the last month for "the 25th of it", the
   last quarter for "a year earlier", the last day for "the next day").

Conventions follow TimeML / TempEval-3 annotation (see bench/timex.py). The ones with a choice to make:

- a bare weekday is the nearest one on or before the anchor (news reports the past: measured on
  TempEval-3, 88% of bare weekdays fall within the six days before the publication date), or the
  nearest one on or after it when the clause speaks of the future ("will", "is to", "next", ...);
- a date without a year takes the year that puts it nearest the anchor (within half a year: "Dec. 28"
  written on Jan. 3 is last December, "Jan. 2" written on Nov. 2 is next January); a past-tense date
  that would still lie more than `_PAST_FAR_DAYS` after the anchor moves back a year;
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
START/MID/END). Russian has its own rules (storyline/read/timex_ru.py); other languages get explicit
dates from dateparser's month-name tables plus ISO and numeric dates. `infer_anchor` dates an undated
article from its own dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from storyline.models import Timex

Date = dt.date

# --------------------------------------------------------------------------------------------------
# Vocabulary (generic word lists only)

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
}  # fmt: skip
ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                "eighties": 8, "nineties": 9}  # fmt: skip
# unit word -> (TIMEX3 duration letter, is a time-of-day unit, granularity name)
UNITS = {
    "second": ("S", True, "time"), "minute": ("M", True, "time"), "hour": ("H", True, "time"),
    "day": ("D", False, "day"), "night": ("D", False, "day"), "week": ("W", False, "week"),
    "weekend": ("WE", False, "week"), "fortnight": ("W", False, "week"), "month": ("M", False, "month"),
    "quarter": ("Q", False, "quarter"), "year": ("Y", False, "year"), "decade": ("DE", False, "decade"),
    "century": ("CE", False, "century"), "centurie": ("CE", False, "century"),
    "millennium": ("ML", False, "century"), "millennia": ("ML", False, "century"),
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}


def _alt(words: list[str] | set[str] | dict) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _cased(words: list[str]) -> str:
    """Capitalised or upper-case only: month and weekday names are proper nouns ("may", "march")."""
    forms = [w.capitalize() for w in words] + [w.upper() for w in words]
    return "(?-i:" + _alt(forms) + ")"


_FULL_MONTHS = [w for w, n in MONTHS.items() if len(w) > 4 or w in {"may", "june", "july"}]
_ABBR_MONTHS = [w for w in MONTHS if w not in _FULL_MONTHS]
MONTH = rf"(?:{_cased(_FULL_MONTHS)}|{_cased(_ABBR_MONTHS)}(?:\.|(?=\s*\d)))"
MONTH_FULL = _cased([w for w in _FULL_MONTHS if w != "may"])
_FULL_DAYS = [w for w in WEEKDAYS if w.endswith("day")]
WEEKDAY = rf"(?:{_cased(_FULL_DAYS)}|{_cased([w for w in WEEKDAYS if w not in _FULL_DAYS and w != 'mon'])}\.)"
_NUMWORD = _alt(list(ONES) + list(TENS))
_CARD = rf"(?:(?:{_alt(TENS)})(?:[\s-](?:{_alt(ONES)}))?|{_alt(ONES)}|a\s+hundred|one\s+hundred|hundreds|thousands|a\s+thousand)(?:\s+(?:hundred|thousand))?"
NUM = (
    rf"(?:\d+(?:\.\d+)?(?:\s+\d/\d|\s*[½¼¾])?|{_CARD}(?:\s+and\s+a\s+half)?|an?(?:\s+and\s+a\s+half)?"
    rf"|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+few|few|several|many|some|a\s+dozen|dozens\s+of"
    rf"|a\s+number\s+of|a\s+half|half\s+an?)"
)
_UNIT_ORDS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_DAYORD_WORDS = rf"twenty[\s-](?:{_UNIT_ORDS})|thirty[\s-]first|" + _alt(
    [w for w in ORDINALS if ORDINALS[w] <= 30]
)
DAYNUM = rf"(?:(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)|(?:{_DAYORD_WORDS})\b)"
YEAR4 = r"(?:1[0-9]{3}|20[0-9]{2})"
UNIT = r"(?:second|minute|hour|day|night|week(?:end)?|fortnight|month|quarter|year|decade|centur(?:y|ie)|millenni(?:um|a))"
TZ = r"(?:\s*\(?(?:[ECMP][SD]T|GMT|UTC|BST|CET|CEST|MSK|local(?:\s+time)?)\)?)"
FLAGS = re.IGNORECASE


def _number(text: str) -> float | None:
    """Value of a number phrase; None for vague ones (a few, several) that TIMEX3 writes as X."""
    t = re.sub(r"[\s-]+", " ", text.strip().lower())
    if re.fullmatch(r"\d+(\.\d+)?", t):
        return float(t)
    m = re.fullmatch(r"(\d+) (\d)/(\d)", t)
    if m:
        return int(m.group(1)) + int(m.group(2)) / int(m.group(3))
    m = re.fullmatch(r"(\d+) ?([½¼¾])", t)
    if m:
        return int(m.group(1)) + {"½": 0.5, "¼": 0.25, "¾": 0.75}[m.group(2)]
    half = 0.0
    if t.endswith(" and a half"):
        t, half = t[: -len(" and a half")], 0.5
    if t in {"a", "an", "one"}:
        return 1 + half
    if t in {"a half", "half a", "half an"}:
        return 0.5
    if t in {"a couple", "a couple of", "couple of"}:
        return 2
    if t in {"a dozen"}:
        return 12
    if t in {"a hundred", "one hundred"}:
        return 100
    if t in {"a thousand"}:
        return 1000
    total = 0
    for word in t.split():
        if word in ONES:
            total += ONES[word]
        elif word in TENS:
            total += TENS[word]
        elif word in {"hundred", "thousand"} and total:
            total *= 100 if word == "hundred" else 1000
        else:
            return None
    return total + half


def _ordinal(text: str) -> int | None:
    t = re.sub(r"[\s-]+", " ", text.strip().lower())
    m = re.match(r"(\d+)", t)
    if m:
        return int(m.group(1))
    if t in ORDINALS:
        return ORDINALS[t]
    parts = t.split()
    if len(parts) == 2 and parts[0] in TENS and parts[1] in ORDINALS:
        return TENS[parts[0]] + ORDINALS[parts[1]]
    return None


def _month(text: str) -> int:
    return MONTHS[text.strip(". ").lower()]


# --------------------------------------------------------------------------------------------------
# Calendar values: (value, granularity, begin, finish)

Cal = tuple[str, str, Date | None, Date | None]


def _month_end(y: int, m: int) -> Date:
    return (Date(y + m // 12, m % 12 + 1, 1) if m < 12 else Date(y + 1, 1, 1)) - dt.timedelta(days=1)


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _safe_date(y: int, m: int, d: int) -> Date | None:
    try:
        return Date(y, m, d)
    except ValueError:
        return None


def _cal_day(d: Date) -> Cal:
    return d.isoformat(), "day", d, d


def _cal_week(d: Date) -> Cal:
    y, w, _ = d.isocalendar()
    monday = d - dt.timedelta(days=d.weekday())
    return f"{y}-W{w:02d}", "week", monday, monday + dt.timedelta(days=6)


def _cal_weekend(d: Date) -> Cal:
    y, w, _ = d.isocalendar()
    saturday = d - dt.timedelta(days=d.weekday()) + dt.timedelta(days=5)
    return f"{y}-W{w:02d}-WE", "week", saturday, saturday + dt.timedelta(days=1)


def _cal_month(y: int, m: int) -> Cal:
    return f"{y:04d}-{m:02d}", "month", Date(y, m, 1), _month_end(y, m)


def _cal_quarter(y: int, q: int) -> Cal:
    return f"{y:04d}-Q{q}", "quarter", Date(y, 3 * q - 2, 1), _month_end(y, 3 * q)


def _cal_half(y: int, h: int) -> Cal:
    return f"{y:04d}-H{h}", "interval", Date(y, 6 * h - 5, 1), _month_end(y, 6 * h)


def _cal_season(y: int, s: str) -> Cal:
    first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[s]
    if s == "WI":  # the winter of a year: December before it to February
        return f"{y:04d}-WI", "season", Date(y - 1, 12, 1), _month_end(y, 2)
    return f"{y:04d}-{s}", "season", Date(y, first, 1), _month_end(y, first + 2)


def _cal_year(y: int) -> Cal:
    return f"{y:04d}", "year", Date(y, 1, 1), Date(y, 12, 31)


def _cal_decade(d3: int) -> Cal:
    return f"{d3:03d}", "decade", Date(max(1, d3 * 10), 1, 1), Date(d3 * 10 + 9, 12, 31)


def _cal_century(c: int) -> Cal:
    return f"{c:02d}", "century", Date(max(1, c * 100), 1, 1), Date(c * 100 + 99, 12, 31)


def _season_of(d: Date) -> tuple[int, str]:
    """The season containing d, named by the year its TIMEX3 value carries."""
    if d.month == 12:
        return d.year + 1, "WI"
    return d.year, ("WI", "WI", "SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA")[d.month - 1]


def _narrow(begin: Date | None, finish: Date | None, mod: str | None) -> tuple[Date | None, Date | None]:
    """Early / mid / late cover the first, middle and last third of an interval."""
    if begin is None or finish is None or mod not in {"START", "MID", "END"} or finish <= begin:
        return begin, finish
    third = (finish - begin).days // 3
    if mod == "START":
        return begin, begin + dt.timedelta(days=third)
    if mod == "END":
        return finish - dt.timedelta(days=third), finish
    return begin + dt.timedelta(days=third), finish - dt.timedelta(days=third)


def _shift(d: Date, unit: str, n: int) -> Date:
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit in {"week", "weekend"}:
        return d + dt.timedelta(weeks=n)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}.get(unit)
    if months is None:
        return d
    y, m = _add_months(d.year, d.month, n * months)
    return Date(y, m, min(d.day, _month_end(y, m).day))


def _cal_at(d: Date, unit: str) -> Cal:
    """The calendar unit `unit` that contains day d."""
    if unit == "day":
        return _cal_day(d)
    if unit == "week":
        return _cal_week(d)
    if unit == "weekend":
        return _cal_weekend(d)
    if unit == "month":
        return _cal_month(d.year, d.month)
    if unit == "quarter":
        return _cal_quarter(d.year, (d.month - 1) // 3 + 1)
    if unit == "season":
        return _cal_season(*_season_of(d))
    if unit == "decade":
        return _cal_decade(d.year // 10)
    if unit == "century":
        return _cal_century(d.year // 100)
    return _cal_year(d.year)


def _cal_from_value(value: str) -> tuple[Date, str] | None:
    """A representative day and granularity of a calendar value we produced (for "a year earlier")."""
    m = re.fullmatch(
        r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-Q(\d)|-W(\d{2})|-(SP|SU|FA|WI)|-H(\d))?(?:T.*)?", value
    )
    if not m:
        return None
    y = int(m.group(1))
    if m.group(3):
        return Date(y, int(m.group(2)), int(m.group(3))), "day"
    if m.group(2):
        return Date(y, int(m.group(2)), 1), "month"
    if m.group(4):
        return Date(y, 3 * int(m.group(4)) - 2, 1), "quarter"
    if m.group(5):
        return Date.fromisocalendar(y, int(m.group(5)), 1), "week"
    return Date(y, 1, 1), "year"


# --------------------------------------------------------------------------------------------------
# Tense of the clause around an expression (for weekdays and year-less dates)

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
_CLAUSE_EDGE = re.compile(r"[.;!?\n]|,\s(?:but|and|while|when)\b")


_FUTURE_RU = re.compile(
    r"(?<!\w)(?:будет|будут|буду|будем|станет|состоится|состоятся|планиру\w*|намерен\w*|собира\w+|"
    r"предстоит|ожида\w+|завтра|следующ\w+|должн\w+\s+(?:будет|пройти|состояться))(?!\w)",
    FLAGS,
)
_PAST_RU = re.compile(
    r"(?<!\w)(?:был|была|было|были|вчера|назад|\w{2,}(?:ил|ал|ел|ял|ыл|ул|ила|ала|ела|яла|или|али|ели|"
    r"яли|ился|ался|илась|алась|ились|ались|ло))(?!\w)",
    FLAGS,
)
_TENSE_MARKERS = {"en": (_FUTURE, _PAST), "ru": (_FUTURE_RU, _PAST_RU)}


def _tense(text: str, start: int, end: int, language: str = "en") -> str | None:
    """'past', 'future' or None: the nearest tense marker within the clause around [start, end)."""
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
    future, past = _TENSE_MARKERS.get(language, _TENSE_MARKERS["en"])
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


# --------------------------------------------------------------------------------------------------
# Candidates


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


RULES: list[Rule] = []


def rule(pattern: str, flags: int = FLAGS, needs: tuple[str, ...] = ()) -> Callable[[Parser], Parser]:
    def register(fn: Parser) -> Parser:
        RULES.append(Rule(fn.__name__, re.compile(pattern, flags), fn, needs))
        return fn

    return register


def _sem(kind: str, match: re.Match, /, **data: Any) -> Sem:
    return Sem(kind, match.start(), match.end(), data)


def _prev_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z'$]+)[\s,]*$", text[max(0, start - 30) : start])
    return m.group(1).lower() if m else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"[\s,]*([A-Za-z%$]+)", text[end : end + 30])
    return m.group(1) if m else ""


# ---- explicit calendar dates ----------------------------------------------------------------------


@rule(
    rf"\b(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<mon>{MONTH})\s*(?P<day>{DAYNUM})(?:,?\s*(?P<year>{YEAR4})\b|,?\s+'(?P<yy>\d\d)\b)?"
)
def month_day(m: re.Match, text: str) -> Sem | None:
    day = _ordinal(m.group("day"))
    year = int(m.group("year")) if m.group("year") else None
    if m.group("yy"):
        year = 1900 + int(m.group("yy")) if int(m.group("yy")) > 30 else 2000 + int(m.group("yy"))
    if not day or day > 31:
        return None
    wd = WEEKDAYS[m.group("wd").strip(".").lower()] if m.group("wd") else None
    return _sem("ymd", m, y=year, m=_month(m.group("mon")), d=day, wd=wd)


@rule(
    rf"\b(?P<mon>{MONTH})\s*(?P<d1>{DAYNUM})\s*(?:-|–|and|or|to|through|until|till)\s*(?P<d2>{DAYNUM})(?:,?\s*(?P<year>{YEAR4})\b)?"
)
def month_day_pair(m: re.Match, text: str) -> list[Sem] | None:
    d1, d2 = _ordinal(m.group("d1")), _ordinal(m.group("d2"))
    if not d1 or not d2 or d1 > 31 or d2 > 31 or d2 <= d1:
        return None
    year = int(m.group("year")) if m.group("year") else None
    mon = _month(m.group("mon"))
    first = Sem("ymd", m.start(), m.end("d1"), {"y": year, "m": mon, "d": d1})
    second = Sem("ymd", m.start("d2"), m.end(), {"y": year, "m": mon, "d": d2})
    return [first, second]


@rule(
    rf"\b(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{DAYNUM})\s+(?:of\s+)?(?P<mon>{MONTH})(?:,?\s*(?P<year>{YEAR4})\b)?"
)
def day_month(m: re.Match, text: str) -> Sem | None:
    day = _ordinal(m.group("day"))
    if not day or day > 31:
        return None
    if m.group("day").isdigit() and not m.group("year") and m.group("mon") == "May":
        pass
    wd = WEEKDAYS[m.group("wd").strip(".").lower()] if m.group("wd") else None
    year = int(m.group("year")) if m.group("year") else None
    return _sem("ymd", m, y=year, m=_month(m.group("mon")), d=day, wd=wd)


@rule(rf"\b(?P<mon>{MONTH})\s*(?:of\s+|,\s*)?(?P<year>{YEAR4})\b(?!\s*(?:,\s*)?\d)")
def month_year(m: re.Match, text: str) -> Sem:
    return _sem("ymd", m, y=int(m.group("year")), m=_month(m.group("mon")), d=None)


@rule(
    rf"\b(?:(?P<pre>last|this|next|this\s+past|this\s+coming|the\s+previous|the\s+following)\s+)?(?P<mon>{MONTH_FULL}|{_cased(['may'])})(?:\s+(?:of\s+)?(?P<rel>this|last|next)\s+year)?\b(?!-)"
)
def month_alone(m: re.Match, text: str) -> Sem | None:
    name = m.group("mon")
    if name in {"May", "MAY"} and not m.group("rel") and not m.group("pre"):
        before = _prev_word(text, m.start())
        if before not in {"in", "since", "by", "until", "till", "from", "through", "during", "of", "early",
                          "late", "mid", "before", "after", "last", "next", "this", "and", "or", "to", "each",
                          "every", "between", "end", "beginning", "middle"}:  # fmt: skip
            return None
    nxt = re.match(r" ([A-Z][a-z]+)", text[m.end() : m.end() + 20])
    if nxt and not m.group("rel") and nxt.group(1).lower() not in WEEKDAYS and nxt.group(1) not in {"I"}:
        return None  # "April Glaspie"
    rel = {"this": 0, "last": -1, "next": 1}.get((m.group("rel") or "").lower())
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").lower()) or None
    return _sem("month", m, m=_month(name), rel=rel, pre=pre)


@rule(r"(?<![\d/.-])(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<hh>[0-2]\d):(?P<mi>[0-5]\d))?(?![\d-])")
def iso_date(m: re.Match, text: str) -> Sem | None:
    if _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d"))) is None:
        return None
    hh = int(m.group("hh")) if m.group("hh") else None
    mi = int(m.group("mi")) if m.group("mi") else None
    return _sem("ymd", m, y=int(m.group("y")), m=int(m.group("m")), d=int(m.group("d")), hh=hh, mi=mi)


@rule(r"(?<![\d/.,-])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)")
def numeric_date(m: re.Match, text: str) -> Sem | None:
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    if len(m.group("y")) == 2:
        y += 1900 if y > 30 else 2000
    # dots are day.month.year everywhere; slashes are month/day/year in English unless impossible
    if m.group("sep") == "." or a > 12:
        day, mon = a, b
    else:
        mon, day = a, b
    if _safe_date(y, mon, day) is None or not 1000 <= y <= 2100:
        return None
    return _sem("ymd", m, y=y, m=mon, d=day, numeric=True)


_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\s*cent|(?:million|billion|thousand|hundred)\b|(?:kilo)?met(?:er|re)s?\b|km\b|miles?\b|"
    r"feet\b|ft\b|pounds?\b|lbs?\b|tons?\b|tonnes?\b|kg\b|acres?\b|hectares?\b|square\b|people\b|persons?\b|"
    r"men\b|women\b|children\b|troops\b|soldiers\b|workers\b|employees\b|jobs\b|shares\b|units\b|cars\b|"
    r"vehicles\b|votes\b|seats\b|points?\b|yards?\b|dollars?\b|cents?\b|euros?\b|rubles?\b|roubles?\b|"
    r"households\b|homes\b|houses\b|cases\b|deaths\b|refugees\b|residents\b|members\b|students\b|"
    r"[ap]\.?m\b|hours\b|hrs\b|GMT\b|UTC\b|to\s+\d|-\s*\d)",
    FLAGS,
)
_NOT_YEAR_BEFORE = re.compile(
    r"(?:[$£€¥#№]|\bno\.|\bnumber|\bflight|\broom|\broute|\bhighway|\bpage|\bpp?\.|\bbox|\bsuite|\bunit|\bgate|"
    r"\bbus|\bplatform|\bcode|\bmodel|\bversion|\bpopulation|\bpopulation\s+of|\baltitude|\bheight|\bof\s+the|"
    r"\bsome|\babout|\bnearly|\balmost|\bover|\bmore\s+than|\bat\s+least|\bup\s+to|\bthan|\btotal|\btotaled|"
    r"\bH\.R\.)\s*$",
    FLAGS,
)


@rule(
    rf"(?<![\w$£€.,/:-])(?:(?P<pp>pre|post|mid)-)?(?P<fy>(?:fiscal(?:\s+year)?|FY)\s*'?)?(?P<y>{YEAR4})(?P<poss>'s)?(?![\w%/]|[.,:]\d|-\d)"
)
def year(m: re.Match, text: str) -> Sem | None:
    y = int(m.group("y"))
    if m.group("fy"):
        return _sem("year", m, y=y, fiscal=True)
    if m.group("pp"):
        sem = _sem("year", m, y=y)
        sem.mod = {"pre": "BEFORE", "post": "AFTER", "mid": "MID"}[m.group("pp").lower()]
        return sem
    if not 1600 <= y <= 2100:
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(r"\b(?:in|since|of|year|by|from|until)\s*$", before):
            return None
    if _NOT_YEAR_AFTER.match(text, m.end()) or _NOT_YEAR_BEFORE.search(
        text, max(0, m.start() - 24), m.start()
    ):
        return None
    return _sem("year", m, y=y)


@rule(
    rf"\b(?:(?P<the>the|its|their)\s+)?(?:(?P<full>1[0-9]{{2}}0|20[0-9]0)'?s|'(?P<short>[0-9]0)'?s|(?P<word>{_alt(DECADE_WORDS)}))\b"
)
def decade(m: re.Match, text: str) -> Sem | None:
    if m.group("word"):
        before = _prev_word(text, m.start())
        if before in {
            "his",
            "her",
            "their",
            "its",
            "my",
            "your",
            "our",
            "early",
            "late",
            "mid",
        } and not m.group("the"):
            return None  # ages: "in his early forties"
        if m.group("the") in {"its", "their"} or (not m.group("the") and before != "in"):
            return None
        return _sem("decade", m, word=DECADE_WORDS[m.group("word").lower()])
    if m.group("the") in {"its", "their"}:
        return None
    if m.group("full"):
        return _sem("decade", m, d3=int(m.group("full")) // 10)
    return _sem("decade", m, word=int(m.group("short")) // 10)


@rule(
    rf"\b(?:(?P<the>the|this|last|next|the\s+last|the\s+next|the\s+previous)\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>{_alt(ORDINALS)}))?[\s-]*centur(?:y|ies)\b",
    needs=("centur",),
)
def century(m: re.Match, text: str) -> Sem | None:
    n = int(m.group("n")) if m.group("n") else (ORDINALS.get(m.group("w").lower()) if m.group("w") else None)
    rel = {"this": 0, "last": -1, "next": 1, "the last": -1, "the next": 1, "the previous": -1}.get(
        (m.group("the") or "").lower()
    )
    if n is None and rel is None:
        return None
    if n is not None and not 1 <= n <= 22:
        return None
    if m.group(0).lower().endswith("centuries"):
        return None
    return _sem("century", m, c=n - 1 if n else None, rel=rel)


_SPELLED_YEAR = (
    rf"\b(?:the\s+year\s+)?(?P<hi>nineteen|eighteen|seventeen)(?:\s+hundred(?:\s+and)?)?[\s-]+"
    rf"(?P<lo>(?:{_alt(TENS)})(?:[\s-](?:{_alt([w for w in ONES if ONES[w] < 10 and w != 'zero'])}))?|"
    rf"(?:{_alt([w for w in ONES if ONES[w] >= 10])})|oh[\s-](?:{_alt([w for w in ONES if 0 < ONES[w] < 10])}))\b"
)


@rule(_SPELLED_YEAR, needs=("teen",))
def spelled_year(m: re.Match, text: str) -> Sem | None:
    hi = ONES[m.group("hi").lower()]
    lo_text = re.sub(r"^oh[\s-]", "", m.group("lo").lower())
    lo = _number(lo_text)
    if lo is None:
        return None
    return _sem("year", m, y=hi * 100 + int(lo))


@rule(rf"\bthe\s+year\s+two\s+thousand(?:\s+(?:and\s+)?(?P<lo>{_CARD}))?\b", needs=("thousand",))
def spelled_year_2000(m: re.Match, text: str) -> Sem | None:
    lo = _number(m.group("lo")) if m.group("lo") else 0
    return _sem("year", m, y=2000 + int(lo or 0))


# ---- quarters, halves, fiscal years, seasons --------------------------------------------------------

_QUARTER_ORD = r"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final)"
_YEAR_QUAL = (
    rf"(?P<yq>{YEAR4}|(?:fiscal\s+(?:year\s+)?){YEAR4}|(?:this|last|next)\s+year's|the\s+year-(?:ago|earlier)|"
    rf"year-(?:ago|earlier)|(?:the\s+)?(?:this|last|next|same|current|previous|prior|past|latest|comparable|"
    rf"year-ago|year-earlier)\s+year's)"
)


@rule(
    rf"\b(?:(?P<det>the|its|a|their|this|that|the\s+same|a\s+year-earlier)\s+)?(?:(?:flat|weak|strong|fiscal|"
    rf"calendar|latest|current|comparable|disappointing|{_YEAR_QUAL})[\s-]+)*{_QUARTER_ORD}[\s-]+quarters?"
    rf"(?:\s+of\s+(?:(?P<yr2>{YEAR4})|(?:fiscal\s+)?(?P<fy2>{YEAR4})|(?P<rel2>this|last|next)\s+year|the\s+"
    rf"(?P<rel3>current|previous|prior)\s+(?:fiscal\s+)?year))?"
    rf"(?:\s+(?P<ago>a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year))?\b(?!-)",
    needs=("quarter",),
)
def quarter(m: re.Match, text: str) -> Sem | None:
    qword = m.group("q").lower()
    q = {
        "first": 1,
        "1st": 1,
        "second": 2,
        "2nd": 2,
        "third": 3,
        "3rd": 3,
        "fourth": 4,
        "4th": 4,
        "final": 4,
    }[qword]
    yq = (m.group("yq") or "").lower()
    y = None
    rel = None
    ym = re.search(r"\d{4}", yq)
    if ym:
        y = int(ym.group(0))
    elif "year-ago" in yq or "year-earlier" in yq or yq.startswith(("last", "previous", "prior", "past")):
        rel = -1
    elif yq.startswith("next"):
        rel = 1
    elif yq:
        rel = 0
    if m.group("yr2") or m.group("fy2"):
        y = int(m.group("yr2") or m.group("fy2"))
    if m.group("rel2"):
        rel = {"this": 0, "last": -1, "next": 1}[m.group("rel2").lower()]
    if m.group("rel3"):
        rel = 0 if m.group("rel3").lower() == "current" else -1
    if m.group("ago") or (m.group("det") or "").lower() == "a year-earlier":
        rel = -1 if y is None else rel
        if y is not None:
            y -= 1
    if m.group(0).lower().rstrip().endswith("quarters") and y is None:
        return _sem("set", m, value=f"XXXX-Q{q}", gran="set")
    sem = _sem("quarter", m, y=y, q=q, rel=rel)
    det = (m.group("det") or "").lower()
    if det and (det != "the" or text[m.end("q") : m.end("q") + 1] == "-"):
        # TimeML spans leave out "its", "a", and any determiner of the adjective "third-quarter"
        sem.start = m.end("det")
        while text[sem.start].isspace():
            sem.start += 1
    return sem


@rule(
    r"\b(?P<which>the\s+(?:latest|current|previous|prior|past|last|same|comparable|corresponding|first|recent|"
    r"year-ago|year-earlier|year-before|most\s+recent)(?:\s+(?:fiscal|three-month|3-month|reporting))?\s+"
    r"(?:quarter|period)|(?:this|last|next|that|the|a)\s+quarter|year-ago\s+period|year-earlier\s+period|"
    rf"the\s+(?P<yr>{YEAR4})\s+(?:fiscal\s+)?(?:quarter|period))"
    r"(?P<tail>\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year|a\s+year\s+before))?\b(?!-)",
    needs=("quarter", "period"),
)
def quarter_ref(m: re.Match, text: str) -> Sem | None:
    which = re.sub(r"\s+", " ", m.group("which").lower())
    if which == "a quarter":
        return None  # "a quarter of the voters"
    if which.endswith("period") and not re.search(
        r"latest|year-ago|year-earlier|year-before|comparable|"
        r"corresponding|same|most recent|current",
        which,
    ):
        return None
    if which in {"the quarter", "that quarter"} and _next_word(text, m.end()).lower() in {
        "of",
        "century",
        "mile",
        "point",
    }:
        return None
    rel = 0
    if re.search(r"year-ago|year-earlier|year-before", which) or m.group("tail"):
        rel = -4
    elif re.search(r"previous|prior|\blast\b", which) and "latest" not in which:
        rel = -1
    elif which.startswith("next"):
        rel = 1
    base = "anchor" if re.match(r"(?:this|next|last|the current)\b", which) else "ref"
    if re.search(r"latest|most recent", which):
        base = "completed"  # the latest quarter reported is the last one finished
    year = int(m.group("yr")) if m.group("yr") else None
    return _sem("quarter_ref", m, rel=rel, base=base, year=year)


@rule(
    rf"\b(?:the\s+)?(?P<h>first|second|last|latter|1st|2nd)\s+half(?:\s+of\s+(?:(?P<y>{YEAR4})|(?P<rel>this|last|"
    rf"next)\s+year|the\s+year|(?:the\s+)?fiscal\s+(?P<fy>{YEAR4})))?\b",
    needs=("half",),
)
def half(m: re.Match, text: str) -> Sem | None:
    if not (m.group("y") or m.group("rel") or m.group("fy") or m.group(0).lower().endswith("year")):
        nxt = _next_word(text, m.end()).lower()
        if nxt and nxt not in {
            "and",
            "or",
            "results",
            "earnings",
            "profit",
            "profits",
            "loss",
            "sales",
            "revenue",
        }:
            return None
    h = 1 if m.group("h").lower() in {"first", "1st"} else 2
    y = int(m.group("y") or m.group("fy")) if (m.group("y") or m.group("fy")) else None
    rel = {"this": 0, "last": -1, "next": 1}.get((m.group("rel") or "").lower(), 0 if y is None else None)
    return _sem("half", m, y=y, h=h, rel=rel)


@rule(
    rf"\b(?:the\s+)?(?:(?P<cur>current|latest|last|next|previous|past|coming|new)\s+)?fiscal\s+year(?:\s+(?P<y>{YEAR4}))?\b",
    needs=("fiscal",),
)
def fiscal_year(m: re.Match, text: str) -> Sem | None:
    if not m.group("y") and re.match(
        r"\s+(?:ended|ending|that\s+ended|that\s+ends|through)\b", text[m.end() : m.end() + 20]
    ):
        return _sem("duration", m, value="P1Y")
    if not m.group("y") and not m.group(0).lower().startswith("the") and not m.group("cur"):
        return None  # "a fiscal year" is any year
    if m.group("y"):
        return _sem("year", m, y=int(m.group("y")), fiscal=True)
    rel = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1, "new": 1}.get(
        (m.group("cur") or "").lower(), 0
    )
    if (m.group("cur") or "").lower() == "latest":
        rel = -1
    return _sem("rel", m, unit="year", n=rel)


@rule(
    rf"\b(?:(?P<rel>last|this|next|this\s+past|this\s+coming|the\s+past|the\s+coming|the\s+previous|the\s+following|"
    rf"the|early|late|mid|in|during|since|by|until)[\s-]+)?(?P<s>spring|summer|fall|autumn|winter)"
    rf"(?:\s+(?:of\s+)?(?:(?P<y>{YEAR4})|(?P<sy>{_SPELLED_YEAR[2:]})))?(?!-)\b",
    needs=("spring", "summer", "fall", "autumn", "winter"),
)
def season(m: re.Match, text: str) -> Sem | None:
    word = m.group("s").lower()
    relw = re.sub(r"\s+", " ", (m.group("rel") or "").lower())
    y = int(m.group("y")) if m.group("y") else None
    if m.group("sy"):
        sm = re.match(_SPELLED_YEAR, m.group("sy"), FLAGS)
        if sm:
            y = ONES[sm.group("hi").lower()] * 100 + int(
                _number(re.sub(r"^oh[\s-]", "", sm.group("lo").lower())) or 0
            )
    if not relw and y is None:
        return None  # a bare "fall" or "spring" is rarely the season
    if (
        word == "fall"
        and y is None
        and relw in {"the", "since", "by", "until", "in", "during"}
        and _next_word(text, m.end()).lower() in {"of", "in", "from", "to"}
    ):
        return None  # "the fall of the city", "a fall in prices"
    start = m.start()
    if relw in {"in", "during", "since", "by", "until"}:
        start = m.start("s")
        relw = ""
    rel = {"last": -1, "this past": -1, "the past": -1, "the previous": -1, "this": 0, "next": 1, "this coming": 1,
           "the coming": 1, "the following": 1}.get(relw)  # fmt: skip
    mod = {"early": "START", "late": "END", "mid": "MID"}.get(relw)
    if mod:
        rel = None
    base = "ref" if relw in {"the previous", "the following"} else "anchor"
    return Sem("season", start, m.end(), {"s": SEASONS[word], "y": y, "rel": rel, "base": base}, mod)


# ---- relative expressions ---------------------------------------------------------------------------


@rule(
    r"\b(?P<w>yesterday|today|tomorrow|tonight|overnight|the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow)"
    r"(?:(?P<poss>'s)|\s+(?P<part>morning|afternoon|evening|night))?\b"
)
def deictic_day(m: re.Match, text: str) -> Sem | None:
    w = re.sub(r"\s+", " ", m.group("w").lower())
    offset = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "overnight": 0,
              "the day before yesterday": -2, "the day after tomorrow": 2}[w]  # fmt: skip
    part = PARTS_OF_DAY.get((m.group("part") or "").lower())
    if w == "overnight":
        part = "NI"
    sem = _sem("deictic", m, offset=offset, part=part, word=w)
    if m.group("poss"):
        sem.end -= 2  # TimeML leaves the possessive out of the span
    return sem


@rule(
    r"\b(?P<rel>last|this|tomorrow|yesterday)\s+(?P<part>morning|afternoon|evening|night)\b",
    needs=("morning", "afternoon", "evening", "night"),
)
def part_of_day(m: re.Match, text: str) -> Sem:
    rel = m.group("rel").lower()
    offset = {
        "last": -1 if m.group("part").lower() == "night" else 0,
        "this": 0,
        "tomorrow": 1,
        "yesterday": -1,
    }[rel]
    if rel == "last" and m.group("part").lower() != "night":
        offset = -1
    return _sem("deictic", m, offset=offset, part=PARTS_OF_DAY[m.group("part").lower()], word=rel)


@rule(
    rf"\b(?:(?P<rel>last|next|this|this\s+coming|this\s+past|the\s+previous|the\s+following|the\s+next|coming|past)\s+)?"
    rf"(?P<wd>{WEEKDAY})(?P<pl>s)?(?P<poss>'s)?(?:\s+(?P<part>morning|afternoon|evening|night|overnight))?(?![\w-])"
)
def weekday(m: re.Match, text: str) -> Sem | None:
    wd = WEEKDAYS[m.group("wd").strip(".").lower()]
    part = PARTS_OF_DAY.get((m.group("part") or "").lower())
    if m.group("pl"):
        suffix = f"T{part}" if part else ""
        return _sem("set", m, value=f"XXXX-WXX-{wd + 1}{suffix}", gran="set")
    rel = re.sub(r"\s+", " ", (m.group("rel") or "").lower()) or None
    sem = _sem("weekday", m, wd=wd, rel=rel, part=part)
    if m.group("poss") and not part:
        sem.end -= 2
    return sem


@rule(
    r"\b(?P<rel>last|this|next|past|coming|current|previous|following|this\s+past|this\s+coming|the\s+past|the\s+last|"
    r"the\s+next|the\s+coming|the\s+current|the\s+previous|the\s+following|the\s+same|the\s+present|the\s+new|"
    r"the\s+prior|that|the\s+latest|the\s+most\s+recent)\s+(?P<unit>day|week|weekend|month|year|decade)\b(?!-)"
)
def relative_unit(m: re.Match, text: str) -> Sem | None:
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    unit = m.group("unit").lower()
    n = {"last": -1, "past": -1, "previous": -1, "this past": -1, "the past": -1, "the last": -1, "the previous": -1,
         "the prior": -1, "the latest": -1, "the most recent": -1, "this": 0, "current": 0, "the current": 0,
         "the same": 0, "the present": 0, "that": 0, "next": 1, "coming": 1, "this coming": 1, "the next": 1,
         "the coming": 1, "following": 1, "the following": 1, "the new": 1}[rel]  # fmt: skip
    base = "ref" if rel in {"previous", "following", "the previous", "the following", "the same", "that", "the prior",
                            "the next"} else "anchor"  # fmt: skip
    if unit == "day" and base == "anchor":
        if rel in {"the last", "the past", "the next", "the coming", "past", "coming"} and re.search(
            r"\b(?:over|in|during|for|within)\s+$", text[max(0, m.start() - 8) : m.start()], FLAGS
        ):
            return _sem("duration", m, value="P1D")
        return None  # "this day" is rare and vague
    if unit == "decade" and rel in {"past", "the past", "this past"}:
        return _sem("duration", m, value="P10Y")
    if rel == "the new" and unit != "year":
        return None
    return _sem("rel", m, unit=unit, n=n, base=base)


@rule(
    r"\b(?P<dir>earlier|later|early|late)\s+(?P<rel>this|that|in\s+the|next|last)\s+(?P<unit>day|week|month|year|morning|afternoon|evening|quarter)\b",
    needs=("earl", "late"),
)
def earlier_this(m: re.Match, text: str) -> Sem | None:
    rel = m.group("rel").lower()
    unit = m.group("unit").lower()
    mod = "START" if m.group("dir").lower() in {"early", "earlier"} else "END"
    n = {"this": 0, "that": 0, "in the": 0, "next": 1, "last": -1}[rel]
    base = "ref" if rel in {"that", "in the"} else "anchor"
    if unit in PARTS_OF_DAY:
        return Sem(
            "deictic", m.start(), m.end(), {"offset": 0, "part": PARTS_OF_DAY[unit], "word": "this"}, mod
        )
    return Sem("rel", m.start(), m.end(), {"unit": unit, "n": n, "base": base}, mod)


@rule(
    r"\b(?P<dir>earlier|later|early|late)\s+(?P<w>today|yesterday|tomorrow|tonight)\b", needs=("earl", "late")
)
def earlier_today(m: re.Match, text: str) -> Sem:
    w = m.group("w").lower()
    mod = "START" if m.group("dir").lower() in {"early", "earlier"} else "END"
    return Sem("deictic", m.start(), m.end(), {"offset": {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[w],
                                              "part": "NI" if w == "tonight" else None, "word": w}, mod)  # fmt: skip


@rule(
    rf"\b(?:(?P<mod>about|around|some|roughly|approximately|nearly|almost|more\s+than|over|less\s+than|just|only|"
    rf"barely|at\s+least)\s+)?(?P<num>{NUM}|the)[\s-]+(?:(?:more|additional)\s+)?(?P<unit>{UNIT})s?\s+"
    rf"(?P<dir>ago|earlier|later|before|after|from\s+now|hence|back|previously|prior|on)\b",
    needs=(
        "ago",
        "earlier",
        "later",
        "before",
        "after",
        "from now",
        "hence",
        "back",
        "previously",
        "prior",
        " on",
    ),
)
def ago(m: re.Match, text: str) -> Sem | None:
    direction = m.group("dir").lower()
    num_text = m.group("num").lower()
    if direction in {"before", "after", "prior", "on"}:
        # "two days after the attack" is a duration and a signal; only clause-final ones are relative
        nxt = text[m.end() : m.end() + 2]
        if not re.match(r"\s*(?:[.,;:!?)\"]|$)", nxt):
            return None
        if direction in {"on", "prior"} and num_text == "the":
            return None
    n = None if num_text == "the" else _number(num_text)
    if num_text == "the" or (n is not None and n > 5000):
        return None
    unit = m.group("unit").lower()
    sign = -1 if direction in {"ago", "earlier", "before", "back", "previously", "prior"} else 1
    mod = _MODS.get(re.sub(r"\s+", " ", (m.group("mod") or "").lower()))
    base = "anchor" if direction in {"ago", "from now", "hence", "back"} else "ref"
    return Sem("ago", m.start(), m.end(), {"n": n, "unit": unit.rstrip("s"), "sign": sign, "base": base}, mod)


@rule(
    r"\b(?P<dir>year|month|week|day|quarter)-(?P<w>ago|earlier|before)\b",
    needs=("-ago", "-earlier", "-before"),
)
def year_ago_adjective(m: re.Match, text: str) -> Sem:
    return _sem(
        "ago", m, n=1, unit=m.group("dir").lower(), sign=-1, base="ref" if m.group("w") != "ago" else "anchor"
    )


@rule(
    r"\b(?P<w>now|right\s+now|just\s+now|nowadays|currently|presently|at\s+present|at\s+the\s+moment|these\s+days|"
    r"this\s+time|the\s+present|the\s+moment|as\s+yet|"
    r"(?:more\s+)?recently|lately|previously|formerly|earlier|once|in\s+the\s+past|the\s+past|current|"
    r"some\s+time\s+ago|long\s+ago|a\s+while\s+ago|years\s+ago|months\s+ago|weeks\s+ago|days\s+ago|not\s+long\s+ago|"
    r"the\s+future|the\s+near\s+future|the\s+near\s+term|the\s+short\s+term|the\s+long\s+term|the\s+medium\s+term|"
    r"soon|shortly|a\s+later\s+date|as\s+soon\s+as\s+possible|in\s+due\s+course|one\s+day|some\s+day|someday|"
    r"eventually|the\s+coming\s+(?:days|weeks|months|years|decades)|coming\s+(?:days|weeks|months|years|quarters)|"
    r"the\s+days\s+ahead|the\s+weeks\s+ahead|the\s+months\s+ahead|the\s+years\s+ahead|"
    r"recent\s+(?:days|weeks|months|years|decades|quarters|times)|the\s+past\s+(?:few\s+|several\s+)?"
    r"(?:days|weeks|months|years|decades)|the\s+last\s+(?:few\s+|several\s+)?(?:days|weeks|months|years|decades))\b"
)
def reference(m: re.Match, text: str) -> Sem | None:
    w = re.sub(r"\s+", " ", m.group("w").lower())
    before = text[max(0, m.start() - 20) : m.start()].lower()
    nxt = _next_word(text, m.end()).lower()
    if w in {"now", "right now", "just now"}:
        if re.search(r"\b(?:from|until|till|by|than|before|for|up\s+to)\s*$", before) and w == "now":
            return None if re.search(r"\bfrom\s*$", before) else _sem("ref", m, value="PRESENT_REF")
        return Sem("ref", m.end() - 3, m.end(), {"value": "PRESENT_REF"})
    if w in {"nowadays", "currently", "presently", "at present", "at the moment", "these days", "the present",
             "the moment"}:  # fmt: skip
        if w in {"the present", "the moment"} and not re.search(r"\b(?:at|for|until|to)\s*$", before):
            return None
        if w == "at present":
            return Sem("ref", m.start() + 3, m.end(), {"value": "PRESENT_REF"})
        return _sem("ref", m, value="PRESENT_REF")
    if w in {"this time", "as yet"}:
        return None
    if w in {"previously", "formerly", "soon", "shortly", "earlier"}:
        return None  # measured on TempEval-3: mostly left unannotated
    if w == "current":
        if (
            nxt in {"account", "accounts", "affairs", "events", "issue", "of", "and", "or", "flowing"}
            or not nxt
        ):
            return None
        return _sem("ref", m, value="PRESENT_REF")
    if w in {"recently", "more recently", "lately", "not long ago", "some time ago", "long ago",
             "a while ago", "years ago", "months ago", "weeks ago", "days ago"}:  # fmt: skip
        return _sem("ref", m, value="PAST_REF")
    if w == "earlier":
        # "earlier" alone, closing a clause or opening a sentence: some time before now
        if re.match(r"\s*(?:[.,;:!?]|$|this|today|in\b|on\b)", text[m.end() : m.end() + 6]) or re.search(
            r"(?:^|[.!?]\s+|\n)$", before
        ):
            if re.match(r"\s*(?:this|today|in\b|on\b)", text[m.end() : m.end() + 6]):
                return None
            return _sem("ref", m, value="PAST_REF")
        return None
    if w == "once":
        return None
    if w in {"in the past", "the past"}:
        if w == "the past" and nxt in {"few", "several", "two", "three", "year", "week", "month", "decade"}:
            return None
        s = m.start() + 3 if w == "in the past" else m.start()
        return Sem("ref", s, m.end(), {"value": "PAST_REF"})
    if w.startswith(("the past ", "the last ")) and nxt == "of":
        return None  # "the last days of November": a part of what follows
    if w.startswith(("recent ", "the past ", "the last ", "coming ", "the coming ")) or w.endswith(" ahead"):
        unit = re.search(r"(day|week|month|year|decade|quarter|time)s?\b", w).group(1)
        if unit == "time":
            return _sem("ref", m, value="PAST_REF")
        letter = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE", "quarter": "Q"}[unit]
        if w.startswith(("coming", "the coming")) and unit in {"month", "quarter"}:
            return _sem("ref", m, value="FUTURE_REF")
        return _sem("duration", m, value=f"PX{letter}")
    hopes = r"\b(?:will|would|could|might|may|hope|hopes|dream|dreams)\b"
    if w in {"one day", "some day"} and not re.search(hopes, text[max(0, m.start() - 60) : m.start()], FLAGS):
        return None
    if w == "eventually":
        return None
    return _sem("ref", m, value="FUTURE_REF")


@rule(
    r"\b(?P<w>the\s+(?:same\s+)?day|that\s+day|the\s+same\s+day|the\s+next\s+day|the\s+following\s+day|"
    r"the\s+previous\s+day|the\s+day\s+before|the\s+day\s+after|a\s+day\s+(?:later|earlier|before|after)|"
    r"the\s+next\s+morning|the\s+following\s+morning|that\s+(?:morning|afternoon|evening|night)|"
    r"the\s+previous\s+(?:night|evening)|the\s+night\s+before)\b",
    needs=("day", "morning", "night", "evening", "afternoon"),
)
def ref_day(m: re.Match, text: str) -> Sem | None:
    w = re.sub(r"\s+", " ", m.group("w").lower())
    if w in {"the day", "the same day"}:
        nxt = _next_word(text, m.end()).lower()
        if nxt in {"of", "when", "that", "after", "before", "he", "she", "they", "we", "i", "it"}:
            return None
        if w == "the day":
            return None
    offset = 0
    if re.search(r"next|following|after|later", w):
        offset = 1
    elif re.search(r"previous|before|earlier", w):
        offset = -1
    if w in {"the day before", "the day after"} and re.match(
        r"\s+(?:the|a|his|her|their|its)\b", text[m.end() :]
    ):
        return None
    part = next((PARTS_OF_DAY[p] for p in PARTS_OF_DAY if p in w), None)
    return _sem("ref_day", m, offset=offset, part=part)


@rule(
    r"\b(?P<w>that|the\s+same|the\s+following|the\s+previous|the\s+next|the\s+prior)\s+(?P<unit>year|month|week)\b(?!-)",
    needs=("year", "month", "week"),
)
def ref_unit(m: re.Match, text: str) -> Sem:
    w = re.sub(r"\s+", " ", m.group("w").lower())
    n = {"that": 0, "the same": 0, "the following": 1, "the next": 1, "the previous": -1, "the prior": -1}[w]
    return _sem("rel", m, unit=m.group("unit").lower(), n=n, base="ref")


# ---- durations and sets ------------------------------------------------------------------------------

_MODS = {
    "about": "APPROX", "around": "APPROX", "roughly": "APPROX", "approximately": "APPROX", "some": "APPROX",
    "nearly": "APPROX", "almost": "LESS_THAN", "more than": "MORE_THAN", "over": "MORE_THAN",
    "upwards of": "MORE_THAN", "at least": "EQUAL_OR_MORE", "less than": "LESS_THAN", "under": "LESS_THAN",
    "up to": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS", "at most": "EQUAL_OR_LESS",
    "within": "EQUAL_OR_LESS", "just over": "MORE_THAN", "just under": "LESS_THAN", "well over": "MORE_THAN",
    "fewer than": "LESS_THAN", "no less than": "EQUAL_OR_MORE", "or so": "APPROX", "or more": "EQUAL_OR_MORE",
    "or longer": "EQUAL_OR_MORE", "plus": "EQUAL_OR_MORE",
}  # fmt: skip


@rule(
    rf"\b(?:(?P<freq>once|twice|three\s+times|four\s+times|\d+\s+times|several\s+times|many\s+times)\s+)?"
    rf"(?P<q>every|each|per|a|an)\s+(?:(?P<other>other|single|few)\s+)?(?:(?P<n>{NUM})\s+)?"
    rf"(?P<unit>{UNIT}|{WEEKDAY}|{MONTH_FULL}|spring|summer|fall|autumn|winter|morning|evening|night|afternoon)s?\b"
)
def every(m: re.Match, text: str) -> Sem | None:
    q = m.group("q").lower()
    unit_word = m.group("unit")
    unit = unit_word.lower()
    if q in {"a", "an"}:
        # "$5 a year", "twice a week": a rate; a bare "a year" is a duration
        before = text[max(0, m.start() - 24) : m.start()].lower()
        if not (m.group("freq") or re.search(r"(?:\d|million|billion|thousand|percent|cents?|dollars?|%|times|"
                                             r"hours|pounds|euros|barrels|tons|miles)\s*$", before)):  # fmt: skip
            return None
        if unit not in UNITS:
            return None
    if q in {"a", "an", "per"} and unit not in UNITS:
        return None
    if q == "each" and unit in UNITS and _next_word(text, m.end()).lower() == "of":
        return None
    n = _number(m.group("n")) if m.group("n") else 1
    if m.group("other") and m.group("other").lower() == "other":
        n = 2
    if unit in UNITS:
        if unit == "quarter" and q in {"a", "an"}:
            return None
        value = _duration_value(n or 1, unit) if unit != "weekend" else "XXXX-WXX-WE"
    elif unit.strip(".") in WEEKDAYS:
        value = f"XXXX-WXX-{WEEKDAYS[unit.strip('.')] + 1}"
    elif unit in MONTHS:
        value = f"XXXX-{MONTHS[unit]:02d}"
    elif unit in SEASONS:
        value = f"XXXX-{SEASONS[unit]}"
    else:
        value = f"XXXX-XX-XXT{PARTS_OF_DAY[unit]}"
    if m.group("freq"):
        pass
    return _sem("set", m, value=value, gran="set")


@rule(
    r"\b(?P<w>daily|nightly|weekly|biweekly|fortnightly|monthly|quarterly|annually|yearly|hourly|semiannually|"
    r"bimonthly|every\s+so\s+often|day\s+after\s+day|year\s+after\s+year|day\s+by\s+day)\b"
)
def frequency_word(m: re.Match, text: str) -> Sem | None:
    w = re.sub(r"\s+", " ", m.group("w").lower())
    value = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "fortnightly": "P2W",
             "monthly": "P1M", "yearly": "P1Y", "hourly": "PT1H",
             "semiannually": "P6M", "bimonthly": "P2M", "day after day": "P1D", "year after year": "P1Y",
             "day by day": "P1D"}.get(w)  # fmt: skip
    if value is None:
        return None
    if m.group("w")[0].isupper() and m.start() > 0 and text[m.start() - 1] not in ".\n\"'":
        return None  # "the Daily Telegraph"
    return _sem("set", m, value=value, gran="set")


def _duration_value(n: float | None, unit: str) -> str:
    letter, is_time, _ = UNITS[unit]
    if unit == "decade" and n is not None:
        n, letter = n * 10, "Y"
    elif unit in {"century", "centurie"} and n is not None:
        n, letter = n * 100, "Y"
    elif unit in {"millennium", "millennia"} and n is not None:
        n, letter = n * 1000, "Y"
    elif unit == "fortnight" and n is not None:
        n = n * 2
    elif unit == "weekend":
        letter = "WE"
    elif unit == "decade":
        letter = "E"
    elif unit in {"century", "centurie"}:
        letter = "C"
    prefix = "PT" if is_time else "P"
    if n is None:
        return f"{prefix}X{letter}"
    whole = int(n)
    frac = n - whole
    if frac < 1e-9:
        return f"{prefix}{whole}{letter}"
    # a fraction goes down one unit: 2 1/2 years = P2Y6M, 1 1/2 hours = PT1H30M
    smaller = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("M", 60), "S": ("S", 1)}
    if is_time and letter == "M":
        sub_letter, factor = "S", 60
    else:
        sub_letter, factor = smaller.get(letter, ("", 0))
    if not factor:
        return f"{prefix}{n:g}{letter}"
    sub = round(frac * factor)
    if letter in {"D"} and not is_time:
        return f"P{whole}DT{sub}H" if whole else f"PT{sub}H"
    if whole == 0:
        if letter == "H" or (is_time and letter == "M"):
            return f"PT{sub}{sub_letter}"
        return f"P{sub}{sub_letter}"
    return f"{prefix}{whole}{letter}{sub}{sub_letter}"


@rule(
    rf"\b(?:(?P<pre>the(?:\s+(?:past|last|next|previous|coming|following|first|final|latest|remaining|initial|ensuing|"
    rf"preceding|same|entire|full|whole|subsequent|intervening|other))?|(?:past|last|next|previous|coming|first|"
    rf"following|another|other)|(?:each|all|every)\s+of\s+the\s+(?:past|last|next|first))\s+)?"
    rf"(?P<num>{NUM})(?:\s*(?:-|–|to|or)\s*(?P<num2>{NUM}))?[\s-]+(?:(?:more|additional|straight|consecutive|full|"
    rf"long|short|trading|business|calendar|working|school|further|extra|solid|successive)[\s-]+)?"
    rf"(?P<unit>{UNIT})s?(?P<tail>[\s-]+(?:old|long)|-plus)?\b(?!-(?:old|long))"
)
def duration(m: re.Match, text: str) -> Sem | None:
    num_text = m.group("num").lower()
    unit = m.group("unit").lower()
    if unit.startswith("centur"):
        unit = "century"
    if unit.startswith("millenni"):
        unit = "millennium"
    n = _number(num_text)
    vague = re.fullmatch(
        r"(?:a\s+)?(?:few|several|many|some|number\s+of|dozens\s+of|hundreds|thousands)", num_text
    )
    if n is None and not vague and num_text not in {"couple of", "a couple", "a couple of"}:
        return None
    if num_text == "some" and not m.group("pre"):
        return None  # "some days" is rarely a time expression
    if n is not None and n > 10000:
        return None
    if re.fullmatch(YEAR4, num_text) and not m.group(0).lower().rstrip().endswith("s"):
        return None  # "the 1988 quarter" names a year
    pre = (m.group("pre") or "").lower()
    whole = m.group(0).lower()
    if num_text in {"a", "an", "one"} and unit in {"quarter"} and not pre:
        return None
    if unit == "quarter" and num_text in {"a", "an"}:
        return None
    if num_text in {"a", "an"} and not pre and unit in {"second", "minute"}:
        nxt = _next_word(text, m.end()).lower()
        if nxt in {"time", "round", "term"}:
            return None
    if (
        num_text in {"a", "an", "one"}
        and unit == "day"
        and _next_word(text, m.end()).lower() in {"when", "that"}
    ):
        return None
    mod = None
    if m.group("num2"):
        n2 = _number(m.group("num2").lower())
        if n is None or n2 is None or n2 <= n:
            if not (n is not None and n2 is not None):
                return None
            return None
        mod = "EQUAL_OR_MORE"
    if num_text in {"a couple", "a couple of", "couple of"}:
        mod = "APPROX"
    if (m.group("tail") or "").lower().strip(" -") == "old":
        return None  # ages ("a 6-year-old boy") are not time expressions
    if (m.group("tail") or "").lower().strip() in {"-plus"}:
        mod = "EQUAL_OR_MORE"
    data = {"value": _duration_value(n, unit)}
    if "each of the" in whole or "all of the" in whole or "every of the" in whole:
        pass
    # "a few years ago" style is handled by `ago`; "the first nine months" is a duration as in TimeML
    return Sem("duration", m.start(), m.end(), data, mod)


@rule(
    r"\b(?:(?P<mod>about|nearly|almost|over|more\s+than|less\s+than|some)\s+)?(?:half\s+an?\s+(?P<u1>hour|day|year|century|decade)|an?\s+(?P<u2>minute|hour|day|week|month|year)\s+and\s+a\s+half)\b",
    needs=("half",),
)
def half_duration(m: re.Match, text: str) -> Sem:
    unit = (m.group("u1") or m.group("u2")).lower()
    n = 0.5 if m.group("u1") else 1.5
    return Sem(
        "duration",
        m.start(),
        m.end(),
        {"value": _duration_value(n, unit)},
        _MODS.get((m.group("mod") or "").lower()),
    )


@rule(r"\b(?:years|months|weeks|days|hours|minutes|decades|centuries)\b")
def bare_plural_unit(m: re.Match, text: str) -> Sem | None:
    before = text[max(0, m.start() - 25) : m.start()].lower()
    if not re.search(
        r"(?:\bfor|\bover|\bwithin|\bin|\btook|\btakes?|\blasted|\bspent|\bafter|\bthe)\s+$", before
    ):
        return None
    if re.search(r"\b(?:the|in)\s+$", before):
        nxt = _next_word(text, m.end()).lower()
        if re.search(r"\bthe\s+$", before) and nxt not in {"of", "ahead", "that", "since", "before", "after"}:
            return None
        if re.search(r"\bin\s+$", before) and nxt in {"of"}:
            return None
    word = m.group(0).lower()
    letter = {"years": "Y", "months": "M", "weeks": "W", "days": "D", "hours": "H", "minutes": "M", "decades": "DE",
              "centuries": "C"}[word]  # fmt: skip
    if word == "decades":
        letter = "E"
    prefix = "PT" if word in {"hours", "minutes"} else "P"
    start = m.start()
    if re.search(r"\bthe\s+$", before):
        start = before.rfind("the") + max(0, m.start() - 25)
    return Sem("duration", start, m.end(), {"value": f"{prefix}X{letter}"})


# ---- times of day -------------------------------------------------------------------------------------


@rule(
    rf"\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>a\.\s?m\.?|p\.\s?m\.?|am\b|pm\b|o'clock|h\b|hrs\b)"
    rf"(?P<tz>{TZ})?(?:\s+(?P<part>in\s+the\s+(?:morning|afternoon|evening)|at\s+night))?"
)
def clock_time(m: re.Match, text: str) -> Sem | None:
    h = int(m.group("h"))
    mi = int(m.group("mi")) if m.group("mi") else 0
    ampm = m.group("ampm").lower().replace(" ", "")
    part = (m.group("part") or "").lower()
    if ampm.startswith("p") or "afternoon" in part or "evening" in part or "night" in part:
        if h < 12:
            h += 12
    elif ampm.startswith("a") and h == 12:
        h = 0
    if h > 24 or (ampm.startswith(("a", "p")) and int(m.group("h")) > 12):
        return None
    if ampm in {"h", "hrs"} and not m.group("mi"):
        return None
    return _sem("time", m, h=h, mi=mi)


@rule(rf"\b(?:at\s+)?(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?P<tz>{TZ})?(?![\d:.,]\d)")
def clock_24h(m: re.Match, text: str) -> Sem | None:
    if not (m.group(0).lower().startswith("at") or m.group("tz")):
        return None
    start = m.start("h")
    return Sem("time", start, m.end(), {"h": int(m.group("h")), "mi": int(m.group("mi"))})


@rule(
    r"\b(?P<h>[1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<part>in\s+the\s+(?:morning|afternoon|evening)|at\s+night)\b",
    needs=("in the", "at night"),
)
def hour_in_the(m: re.Match, text: str) -> Sem:
    h = int(_number(m.group("h")) or 0)
    part = m.group("part").lower()
    if ("afternoon" in part or "evening" in part or ("night" in part and h >= 6)) and h < 12:
        h += 12
    return _sem("time", m, h=h, mi=0)


@rule(
    r"\b(?P<w>noon|midday|midnight|mid[-\s]?morning|mid[-\s]?afternoon|mid-?day|dawn|daybreak|dusk|sunrise|sunset|nightfall)\b",
    needs=(
        "noon",
        "midday",
        "midnight",
        "morning",
        "afternoon",
        "dawn",
        "daybreak",
        "dusk",
        "sunrise",
        "sunset",
        "nightfall",
        "mid",
    ),
)
def named_time(m: re.Match, text: str) -> Sem | None:
    w = re.sub(r"[-\s]", "", m.group("w").lower())
    if w in {"noon", "midday"}:
        return _sem("time", m, h=12, mi=0)
    if w == "midnight":
        return _sem("time", m, h=24, mi=None, midnight=True)
    if w in {"midmorning"}:
        return Sem("time", m.start(), m.end(), {"part": "MO"}, "MID")
    if w in {"midafternoon"}:
        return Sem("time", m.start(), m.end(), {"part": "AF"}, "MID")
    if w in {"dawn", "daybreak", "sunrise"}:
        return (
            _sem("time", m, part="MO", early=True)
            if _prev_word(text, m.start()) in {"at", "before", "after", "until", "by", "from", "since"}
            else None
        )
    if w in {"dusk", "sunset", "nightfall"}:
        return (
            _sem("time", m, part="EV")
            if _prev_word(text, m.start()) in {"at", "before", "after", "until", "by", "from", "since"}
            else None
        )
    return None


@rule(
    r"\b(?:the|this|that|in\s+the)\s+(?P<part>morning|afternoon|evening)\b",
    needs=("morning", "afternoon", "evening"),
)
def bare_part_of_day(m: re.Match, text: str) -> Sem | None:
    word = m.group(0).lower()
    nxt = _next_word(text, m.end()).lower()
    if nxt in {"of", "news", "paper", "papers", "session", "sessions", "edition", "show", "star", "post"}:
        return None
    start = m.start() + 3 if word.startswith("in the") else m.start()
    if word.startswith("this"):
        return Sem(
            "deictic",
            m.start(),
            m.end(),
            {"offset": 0, "part": PARTS_OF_DAY[m.group("part").lower()], "word": "this"},
        )
    return Sem("ref_day", start, m.end(), {"offset": 0, "part": PARTS_OF_DAY[m.group("part").lower()]})


@rule(r"\b(?P<u>day|week|month|year|decade|hour|night)(?P<pl>s)?-?long\b", needs=("long",))
def unit_long(m: re.Match, text: str) -> Sem:
    unit = m.group("u").lower()
    return _sem("duration", m, value=_duration_value(None if m.group("pl") else 1, unit))


@rule(
    r"\b(?:(?P<pre>(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|close|turn)\s+of)\s+the\s+(?P<unit>year|month|week|"
    r"quarter|decade|century)|(?P<ye>year(?:'s)?[\s-]end))\b(?!-)",
    needs=("end", "beginning", "start", "middle", "close", "turn"),
)
def end_of_the_unit(m: re.Match, text: str) -> Sem:
    unit = (m.group("unit") or "year").lower()
    mod = _prefix_mod(m.group("pre")) if m.group("pre") else "END"
    n = -1 if re.search(r"\bsince\s+$", text[max(0, m.start() - 8) : m.start()], FLAGS) else 0
    return Sem("rel", m.start(), m.end(), {"unit": unit, "n": n, "base": "anchor"}, mod)


@rule(r"\bthe\s+(?P<full>full\s+|entire\s+|whole\s+|calendar\s+)?year\b(?![-'])", needs=("year",))
def the_year(m: re.Match, text: str) -> Sem | None:
    if re.match(r"\s+(?:ended|ending|to\s+\w+\s+\d|through)\b", text[m.end() : m.end() + 20], FLAGS):
        return _sem("duration", m, value="P1Y")
    if m.group("full") or re.search(
        r"\b(?:for|of|in|during|through)\s+$", text[max(0, m.start() - 8) : m.start()], FLAGS
    ):
        if _next_word(text, m.end()).lower() in {"before", "after", "that", "when", "in", "of", "since"}:
            return None
        return _sem("rel", m, unit="year", n=0, base="anchor")
    return None


@rule(r"\b(?:over\s+|during\s+|on\s+|at\s+|for\s+|ahead\s+of\s+|by\s+)?the\s+weekend\b", needs=("weekend",))
def the_weekend(m: re.Match, text: str) -> Sem:
    start = m.start() + m.group(0).lower().rindex("the weekend")
    return Sem("weekend", start, m.end(), {})


# ---- holidays ----------------------------------------------------------------------------------------------


def _easter(y: int) -> Date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return Date(y, month, day + 1)


def _nth_weekday(y: int, month: int, wd: int, n: int) -> Date:
    if n > 0:
        first = Date(y, month, 1)
        return first + dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    last = _month_end(y, month)
    return last - dt.timedelta(days=(last.weekday() - wd) % 7)


HOLIDAYS: dict[str, Callable[[int], Date]] = {
    "christmas day": lambda y: Date(y, 12, 25),
    "christmas eve": lambda y: Date(y, 12, 24),
    "christmas": lambda y: Date(y, 12, 25),
    "new year's day": lambda y: Date(y, 1, 1),
    "new year's eve": lambda y: Date(y, 12, 31),
    "new year's": lambda y: Date(y, 1, 1),
    "valentine's day": lambda y: Date(y, 2, 14),
    "halloween": lambda y: Date(y, 10, 31),
    "independence day": lambda y: Date(y, 7, 4),
    "the fourth of july": lambda y: Date(y, 7, 4),
    "july fourth": lambda y: Date(y, 7, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + dt.timedelta(days=1),
    "easter sunday": _easter,
    "easter": _easter,
    "good friday": lambda y: _easter(y) - dt.timedelta(days=2),
    "easter monday": lambda y: _easter(y) + dt.timedelta(days=1),
    "may day": lambda y: Date(y, 5, 1),
    "boxing day": lambda y: Date(y, 12, 26),
}


@rule(
    rf"(?-i:\b(?:(?P<rel>last|this|next)\s+)?(?P<h>{'|'.join(re.escape(h.title()).replace(chr(39) + 'S', chr(39) + 's') for h in sorted(HOLIDAYS, key=len, reverse=True))})(?:\s+(?P<y>{YEAR4}))?\b)",
    0,
)
def holiday(m: re.Match, text: str) -> Sem | None:
    name = m.group("h").lower()
    if name not in HOLIDAYS:
        return None
    if name == "easter" and _next_word(text, m.end()).lower() == "week":
        return Sem("holiday", m.start(), m.end() + len(text[m.end():].split("week", 1)[0]) + 4,
                   {"name": name, "y": None, "rel": None, "week": True})  # fmt: skip
    rel = {"last": -1, "this": 0, "next": 1}.get((m.group("rel") or "").lower())
    return _sem("holiday", m, name=name, y=int(m.group("y")) if m.group("y") else None, rel=rel)


@rule(
    r"\b(?:(?P<on>on|by|until|since|from|before|after|till|through)\s+)?the\s+(?P<d>[12]?\d(?:st|nd|rd|th)|3[01](?:st|th)|"
    rf"{_DAYORD_WORDS})(?P<of>\s+of\s+(?:it|this\s+month|that\s+month|the\s+month|the\s+same\s+month|next\s+month|last\s+month))?\b",
    needs=("st", "nd", "rd", "th"),
)
def day_of_month(m: re.Match, text: str) -> Sem | None:
    d = _ordinal(m.group("d"))
    if not d or d > 31:
        return None
    if not m.group("of"):
        if not m.group("on") or not m.group("d")[0].isdigit():
            return None
        nxt = text[m.end() : m.end() + 16]
        if re.match(r"\s+[a-z]", nxt) and not re.match(r"\s+(?:and|or|to|through|at|when|,)\b", nxt):
            return None  # "the 25th anniversary"
    of = (m.group("of") or "").lower()
    rel = 1 if "next month" in of else (-1 if "last month" in of else 0)
    base = "anchor" if ("this month" in of or rel) else "ref"
    start = m.start("d") - 4  # keep "the", drop the preposition
    return Sem("day_of_month", start, m.end(), {"d": d, "rel": rel, "base": base})


# --------------------------------------------------------------------------------------------------
# Selecting among candidates, absorbing modifiers

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


def _prefix_mod(words: str) -> str | None:
    w = re.sub(r"\s+", " ", words.lower()).strip(" -")
    if w.startswith("the "):
        w = w[4:]
    w = w.removeprefix("very ")
    if re.match(r"first (?:few |several )?(?:minutes|hours) after", w):
        return "AFTER"
    if w.startswith(("early", "beginning", "start", "first half", "dawn", "first ")):
        return "START"
    if w.startswith(("late", "end", "close", "last half", "second half", "latter half", "turn", "last ")):
        return "END"
    if w.startswith(("mid", "middle")):
        return "MID"
    if w in {"around", "about", "roughly", "approximately", "circa"}:
        return "APPROX"
    return None


_CALENDAR_KINDS = {"weekend", "ymd", "month", "year", "decade", "century", "quarter", "half", "season", "rel", "weekday",
                   "deictic", "holiday", "quarter_ref", "day_of_month", "time", "ago"}  # fmt: skip


_TITLE_PRONE = {"deictic", "rel", "time", "ref", "duration", "set"}


def _inside_title(text: str, sem: Sem) -> bool:
    """A capitalised "This Week", "Today", "60 Minutes" inside a name (a programme, a film)."""
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


def _candidates(text: str) -> list[Sem]:
    found: list[Sem] = []
    lowered = text.lower()
    for priority, r in enumerate(RULES):
        if r.needs and not any(w in lowered for w in r.needs):
            continue
        for m in r.pattern.finditer(text):
            if m.end() == m.start():
                continue
            sems = r.parse(m, text)
            if sems is None:
                continue
            for sem in sems if isinstance(sems, list) else [sems]:
                if sem.kind in _TITLE_PRONE and _inside_title(text, sem):
                    continue
                sem.priority = priority
                found.append(sem)
    return found


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


def _absorb_modifiers(text: str, sems: list[Sem]) -> None:
    prev_end = 0
    for i, s in enumerate(sems):
        next_start = sems[i + 1].start if i + 1 < len(sems) else len(text)
        window = text[max(prev_end, s.start - 48) : s.start]
        if s.kind == "duration":
            pm = _DURATION_PREFIX.search(window)
            if pm and s.mod is None:
                s.mod = _MODS.get(re.sub(r"\s+", " ", pm.group("mod").lower()))
                s.start -= len(window) - pm.start()
            sm = _DURATION_SUFFIX.match(text, s.end)
            if sm and sm.end() <= next_start:
                s.mod = s.mod or _MODS.get(re.sub(r"\s+", " ", sm.group("mod").lower()))
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
                mod = _prefix_mod(pm.group("mod"))
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


def _merge_adjacent(text: str, sems: list[Sem]) -> list[Sem]:
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
                and re.fullmatch(r"[\s,]*(?:(?:on|of)\s+)?(?:the\s+)?", gap, FLAGS)
                and "\n" not in gap
                and s.data.get("d", 1) is not None
            ):
                if s.kind == "ymd" and s.data.get("d") is None:
                    out.append(s)
                    continue
                on = bool(re.search(r"\b(?:on|of)\b", gap, FLAGS))
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


# --------------------------------------------------------------------------------------------------
# Resolution

WEEKDAY_POLICY = "tense"
# Past-tense year-less dates further than this after the anchor are last year's. Measured on TempEval-3
# train (value F1): 14 days 0.795, 30 0.798, 60 0.803, 90 0.806, never 0.800. Tense detection is a
# heuristic, so only a clear contradiction overrides the nearest-year rule.
_PAST_FAR_DAYS = 90  # a past-tense date may lie up to two weeks after the anchor (late-edited reports)
_HALF_YEAR = 183  # year-less dates: the year that keeps them within half a year of the anchor


@dataclass
class Context:
    text: str
    anchor: Date | None
    language: str = "en"
    last_month: tuple[int, int] | None = None  # (year, month) of the latest month-level mention
    last_quarter: tuple[int, int] | None = None
    last_ref: tuple[Date, str] | None = None  # latest calendar mention: representative day, granularity
    last_day: Date | None = None


@dataclass
class Resolved:
    type: str
    value: str
    granularity: str
    begin: Date | None = None
    finish: Date | None = None
    anchored: bool = False
    confidence: float = 1.0
    mod: str | None = None


def _from_cal(cal: Cal, anchored: bool, confidence: float, type_: str = "DATE") -> Resolved:
    value, gran, begin, finish = cal
    return Resolved(type_, value, gran, begin, finish, anchored, confidence)


def _unanchored(value: str, gran: str, type_: str = "DATE") -> Resolved:
    return Resolved(type_, value, gran, None, None, False, 0.3)


def _pick_year(ctx: Context, s: Sem, month: int, day: int | None) -> tuple[int | None, float]:
    """Year for a date written without one: nearest the anchor, unless past tense says earlier."""
    anchor = ctx.anchor
    if anchor is None:
        return None, 0.3
    spans = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        if day is None:
            first, last = Date(y, month, 1), _month_end(y, month)
        else:
            first = last = _safe_date(y, month, min(day, _month_end(y, month).day))
        spans.append((y, first, last))
    best = min(
        spans, key=lambda t: (abs((t[1] - anchor).days) + abs((t[2] - anchor).days), abs(t[0] - anchor.year))
    )[0]
    first = next(f for y, f, _ in spans if y == best)
    if (
        first > anchor + dt.timedelta(days=_PAST_FAR_DAYS)
        and _tense(ctx.text, s.start, s.end, ctx.language) == "past"
    ):
        best -= 1
    return best, 0.85 if best == anchor.year else 0.75


def _resolve(s: Sem, ctx: Context) -> Resolved | None:
    k, d, a = s.kind, s.data, ctx.anchor
    if k == "ymd":
        y, mo, day = d.get("y"), d["m"], d.get("d")
        conf, anchored = 1.0, False
        if y is None and day is not None and d.get("wd") is not None and a is not None:
            # weekday and date agreeing fix the year: the matching year nearest the anchor
            for cand in sorted(range(a.year - 6, a.year + 2), key=lambda c: abs(c - a.year)):
                dd = _safe_date(cand, mo, day)
                if dd and dd.weekday() == d["wd"]:
                    y, conf, anchored = cand, 0.95, True
                    break
        if y is None:
            y, conf = _pick_year(ctx, s, mo, day)
            anchored = True
            if y is None:
                if day is None:
                    return _unanchored(f"XXXX-{mo:02d}", "month")
                return _unanchored(f"XXXX-{mo:02d}-{day:02d}", "day")
        if day is None:
            return _from_cal(_cal_month(y, mo), anchored, conf)
        date = _safe_date(y, mo, day)
        if date is None:
            return None
        if d.get("night_before"):  # "в ночь на 1 декабря": the night ending on that day
            night = date - dt.timedelta(days=1)
            return Resolved("TIME", f"{night.isoformat()}TNI", "time", night, date, anchored, conf)
        if d.get("hh") is not None:
            return Resolved(
                "TIME", f"{date.isoformat()}T{d['hh']:02d}:{d['mi']:02d}", "time", date, date, anchored, conf
            )
        return _from_cal(_cal_day(date), anchored, conf)
    if k == "month":
        mo, rel = d["m"], d.get("rel")
        if a is None:
            return _unanchored(f"XXXX-{mo:02d}", "month")
        if rel is not None:
            return _from_cal(_cal_month(a.year + rel, mo), True, 0.9)
        pre = d.get("pre")
        if pre in {"last", "this past", "the previous"}:
            return _from_cal(_cal_month(a.year if mo < a.month else a.year - 1, mo), True, 0.9)
        if pre in {"next", "this coming", "the following"}:
            return _from_cal(_cal_month(a.year if mo > a.month else a.year + 1, mo), True, 0.9)
        if pre == "this":
            return _from_cal(_cal_month(a.year, mo), True, 0.9)
        y, conf = _pick_year(ctx, s, mo, None)
        return _from_cal(_cal_month(y, mo), True, conf)
    if k == "year":
        if d.get("fiscal"):
            return _from_cal(_cal_year(d["y"]), False, 0.9)
        return _from_cal(_cal_year(d["y"]), False, 1.0)
    if k == "decade":
        if "d3" in d:
            return _from_cal(_cal_decade(d["d3"]), False, 1.0)
        ref_year = a.year if a else 1999
        century = ref_year // 100
        if century * 100 + d["word"] * 10 > ref_year:
            century -= 1
        return _from_cal(_cal_decade(century * 10 + d["word"]), a is not None, 0.9)
    if k == "century":
        if d.get("c") is not None:
            return _from_cal(_cal_century(d["c"]), False, 1.0)
        if a is None:
            return _unanchored("XX", "century")
        return _from_cal(_cal_century(a.year // 100 + d["rel"]), True, 0.9)
    if k == "quarter":
        q, y, rel = d["q"], d.get("y"), d.get("rel")
        if y is None:
            if a is None:
                return _unanchored(f"XXXX-Q{q}", "quarter")
            if rel is not None:
                y = a.year + rel
            else:
                y = a.year
                aq = (a.month - 1) // 3 + 1
                if q - aq >= 2 and a.month <= 3:
                    y -= 1  # "the fourth quarter" in a January report is last year's
        return _from_cal(_cal_quarter(y, q), d.get("y") is None, 0.9 if d.get("y") is None else 1.0)
    if k == "quarter_ref":
        rel = d["rel"]
        if d["base"] == "ref" and ctx.last_quarter:
            y, q = ctx.last_quarter
            if d.get("year"):
                y = d["year"]
        elif a is not None or (d.get("year") and ctx.last_quarter is None):
            if a is None:
                return _unanchored(f"{d['year']}-QX", "quarter")
            y, q = a.year, (a.month - 1) // 3 + 1
            if d["base"] in {"ref", "completed"}:  # none mentioned: the last one completed
                y, q = (y, q - 1) if q > 1 else (y - 1, 4)
            if d.get("year"):
                y = d["year"]
        else:
            return _unanchored("XXXX-QX", "quarter")
        idx = y * 4 + (q - 1) + rel
        return _from_cal(_cal_quarter(idx // 4, idx % 4 + 1), True, 0.7)
    if k == "half":
        h, y, rel = d["h"], d.get("y"), d.get("rel")
        if y is None:
            if a is None:
                return _unanchored(f"XXXX-H{h}", "interval")
            y = a.year + (rel or 0)
        return _from_cal(_cal_half(y, h), d.get("y") is None, 0.9)
    if k == "season":
        sn, y, rel = d["s"], d.get("y"), d.get("rel")
        if y is not None:
            return _from_cal(_cal_season(y, sn), False, 1.0)
        if a is None:
            return _unanchored(f"XXXX-{sn}", "season")
        base = a
        if d.get("base") == "ref" and ctx.last_ref:
            base = ctx.last_ref[0]
        cur_y, cur_s = _season_of(base)
        order = ["WI", "SP", "SU", "FA"]
        if rel in (None, 0):
            y = base.year + (1 if sn == "WI" and base.month == 12 else 0)
            return _from_cal(_cal_season(y, sn), True, 0.8)
        idx = cur_y * 4 + order.index(cur_s)
        target = order.index(sn)
        if rel < 0:
            idx -= 1
            while idx % 4 != target:
                idx -= 1
        else:
            idx += 1
            while idx % 4 != target:
                idx += 1
        return _from_cal(_cal_season(idx // 4, order[idx % 4]), True, 0.85)
    if k == "rel":
        unit, n = d["unit"], d["n"]
        base = a
        conf = 0.9
        if d.get("base") == "ref" and ctx.last_ref is not None:
            base = ctx.last_ref[0]
            conf = 0.7
        if base is None:
            return _unanchored({"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX", "year": "XXXX",
                                "day": "XXXX-XX-XX", "decade": "XXX", "quarter": "XXXX-QX"}[unit],
                               UNITS[unit][2])  # fmt: skip
        shift_unit = "week" if unit == "weekend" else unit
        return _from_cal(_cal_at(_shift(base, shift_unit, n), unit), True, conf)
    if k == "weekday":
        wd, rel, part = d["wd"], d.get("rel"), d.get("part")
        base = a
        if rel in {"the previous", "the following", "the next"} and ctx.last_day is not None:
            base = ctx.last_day
        if base is None:
            value = f"XXXX-WXX-{wd + 1}" + (f"T{part}" if part else "")
            return _unanchored(value, "time" if part else "day", "TIME" if part else "DATE")
        back = (base.weekday() - wd) % 7
        ahead = (wd - base.weekday()) % 7
        if rel in {"last", "this past", "past", "the previous"}:
            date = base - dt.timedelta(days=back or 7)
        elif rel in {"next", "this coming", "coming", "the following", "the next"}:
            date = base + dt.timedelta(days=ahead or 7)
        else:
            tense = _tense(ctx.text, s.start, s.end, ctx.language) if WEEKDAY_POLICY == "tense" else "past"
            date = base + dt.timedelta(days=ahead) if tense == "future" else base - dt.timedelta(days=back)
        conf = 0.85 if rel else 0.8
        if part:
            return Resolved("TIME", f"{date.isoformat()}T{part}", "time", date, date, True, conf)
        return _from_cal(_cal_day(date), True, conf)
    if k == "deictic":
        part = d.get("part")
        if a is None:
            return _unanchored(
                "XXXX-XX-XX" + (f"T{part}" if part else ""),
                "time" if part else "day",
                "TIME" if part else "DATE",
            )
        date = a + dt.timedelta(days=d["offset"])
        if d.get("word") == "overnight":
            return Resolved("TIME", f"{date.isoformat()}TNI", "time", date, date, True, 0.7)
        if part and d.get("word") != "tonight":
            return Resolved("TIME", f"{date.isoformat()}T{part}", "time", date, date, True, 0.9)
        return _from_cal(_cal_day(date), True, 0.95)
    if k == "ref_day":
        base = ctx.last_day or a
        part = d.get("part")
        if base is None:
            return _unanchored("XXXX-XX-XX" + (f"T{part}" if part else ""), "time" if part else "day")
        date = base + dt.timedelta(days=d["offset"])
        conf = 0.7 if ctx.last_day else 0.5
        if part:
            return Resolved("TIME", f"{date.isoformat()}T{part}", "time", date, date, True, conf)
        return _from_cal(_cal_day(date), True, conf)
    if k == "day_of_month":
        day = d["d"]
        if d["base"] == "ref" and ctx.last_month:
            y, mo = ctx.last_month
        elif a is not None:
            y, mo = _add_months(a.year, a.month, d["rel"])
        else:
            return _unanchored(f"XXXX-XX-{day:02d}", "day")
        date = _safe_date(y, mo, day)
        if date is None:
            return None
        return _from_cal(_cal_day(date), True, 0.7)
    if k == "ago":
        n, unit, sign = d["n"], d["unit"], d["sign"]
        if n is None:
            return Resolved(
                "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "interval", None, None, a is not None, 0.5
            )
        whole = int(n)
        if unit == "year" and ctx.last_quarter is not None:
            # business news: "up from $4 million a year earlier" compares with the quarter being reported
            y, q = ctx.last_quarter
            base, gran, conf = Date(y, 3 * q - 2, 1), "quarter", 0.6
        elif d["base"] == "ref" and ctx.last_ref is not None and unit in {"year", "quarter", "month"}:
            ref_day, ref_gran = ctx.last_ref
            gran = ref_gran if _GRAN_ORDER.get(ref_gran, 9) <= _GRAN_ORDER.get(unit, 9) else unit
            conf = 0.6
            base = ref_day
        elif a is not None:
            base, gran, conf = a, unit, 0.8
        elif d["base"] == "ref" and ctx.last_ref is not None:
            base, gran, conf = ctx.last_ref[0], unit, 0.6
        else:
            return Resolved(
                "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "interval", None, None, False, 0.3
            )
        if unit in {"hour", "minute", "second"}:
            delta = dt.timedelta(**{unit + "s": sign * n})
            moment = dt.datetime.combine(base, dt.time(12)) + delta
            return Resolved(
                "DATE", moment.date().isoformat(), "day", moment.date(), moment.date(), True, conf * 0.8
            )
        if unit == "decade":
            return _from_cal(_cal_year(base.year + sign * whole * 10), True, conf)
        if unit == "century":
            return _from_cal(_cal_year(base.year + sign * whole * 100), True, conf)
        shift_unit = "week" if unit in {"weekend", "fortnight"} else unit
        count = whole * (2 if unit == "fortnight" else 1)
        target = _shift(base, shift_unit, sign * count)
        if n != whole:
            target = _shift(target, "month" if unit == "year" else "day", sign * round((n - whole) * 12))
        return _from_cal(_cal_at(target, gran if gran != "fortnight" else "week"), True, conf)
    if k == "holiday":
        fn = HOLIDAYS[d["name"]]
        y = d.get("y")
        anchored = y is None
        if y is None:
            if a is None:
                return _unanchored("XXXX-XX-XX", "day")
            if d.get("rel") is not None:
                y = a.year + d["rel"]
            else:
                y = a.year
                if fn(y) > a + dt.timedelta(days=_HALF_YEAR):
                    y -= 1
                elif fn(y) < a - dt.timedelta(days=_HALF_YEAR):
                    y += 1
        date = fn(y)
        if d.get("week"):
            return _from_cal(_cal_week(date), anchored, 0.8)
        return _from_cal(_cal_day(date), anchored, 0.9 if anchored else 1.0)
    if k == "weekend":
        if a is None:
            return _unanchored("XXXX-WXX-WE", "week")
        if _tense(ctx.text, s.start, s.end, ctx.language) == "future":
            return _from_cal(_cal_weekend(a if a.weekday() < 6 else a + dt.timedelta(days=6)), True, 0.7)
        return _from_cal(_cal_weekend(a if a.weekday() >= 5 else a - dt.timedelta(days=7)), True, 0.7)
    if k == "ref":
        return Resolved(
            "DATE",
            d["value"],
            "interval",
            a if d["value"] == "PRESENT_REF" else None,
            a if d["value"] == "PRESENT_REF" else None,
            a is not None,
            0.6,
        )
    if k == "duration":
        return Resolved("DURATION", d["value"], "duration", confidence=0.9)
    if k == "set":
        return Resolved("SET", d["value"], "set", confidence=0.9)
    if k == "time":
        return _resolve_time(s, None, ctx)
    if k == "datetime":
        day = _resolve(d["day"], ctx)
        return _resolve_time(d["time"], day, ctx, joined=not d.get("on"))
    return None


_GRAN_ORDER = {"time": 0, "day": 1, "week": 2, "month": 3, "quarter": 4, "season": 4, "year": 5, "decade": 6,
               "century": 7}  # fmt: skip


def _resolve_time(s: Sem, day: Resolved | None, ctx: Context, joined: bool = False) -> Resolved:
    d = s.data
    date: Date | None = None
    anchored = True
    conf = 0.8
    if day is not None and day.granularity == "day" and day.begin is not None:
        date, anchored, conf = day.begin, day.anchored, min(day.confidence, 0.95)
    elif day is not None and day.value.startswith("XXXX"):
        date = None
    elif ctx.last_day is not None:
        date, conf = ctx.last_day, 0.6
    elif ctx.anchor is not None:
        date, conf = ctx.anchor, 0.6
    prefix = date.isoformat() if date else (day.value[:10] if day is not None else "XXXX-XX-XX")
    if d.get("part"):
        tail = f"T{d['part']}"
    elif d.get("midnight"):
        # "midnight Friday" ends the day (T24); "midnight on December 1" is the 00:00 that begins it
        tail = "T24" if joined or date is None else "T00:00"
    else:
        tail = f"T{d['h']:02d}:{d['mi']:02d}"
    if date is None:
        return Resolved("TIME", prefix + tail, "time", None, None, False, 0.3)
    return Resolved("TIME", prefix + tail, "time", date, date, anchored, conf)


def _remember(ctx: Context, s: Sem, res: Resolved) -> None:
    if res.type not in {"DATE", "TIME"} or res.begin is None:
        return
    if s.kind == "ago" or (s.kind == "quarter_ref" and s.data.get("rel") == -4):
        return  # "a year earlier" compares with the reference; it does not replace it
    gran = res.granularity
    ctx.last_ref = (res.begin, gran)
    if gran in {"day", "time"}:
        ctx.last_day = res.begin
        ctx.last_month = (res.begin.year, res.begin.month)
    elif gran == "month":
        ctx.last_month = (res.begin.year, res.begin.month)
    elif gran == "quarter":
        ctx.last_quarter = (res.begin.year, (res.begin.month - 1) // 3 + 1)


# --------------------------------------------------------------------------------------------------
# Public API


def find_timexes(text: str, anchor: Date | None, language: str | None = "en") -> list[Timex]:
    """Every time expression in `text`, normalised against `anchor` (the publication date)."""
    if not text or not text.strip():
        return []
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    lang = (language or "en").lower().split("-")[0].split("_")[0]
    if lang == "ru":
        from storyline.read.timex_ru import _absorb_ru, russian_candidates

        cands = russian_candidates(text)
    elif lang == "en":
        cands = _candidates(text)
    else:
        cands = _generic_candidates(text, lang) + _language_neutral(text)
    sems = _select(cands)
    if lang == "ru":
        _absorb_ru(text, sems)
    else:
        _absorb_modifiers(text, sems)
    sems = _merge_adjacent(text, sems)
    ctx = Context(text=text, anchor=anchor, language=lang)
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
            res = _from_cal(_cal_week(res.begin), res.anchored, res.confidence)
        begin, finish = _narrow(res.begin, res.finish, mod)
        if s.data.get("half") and res.granularity == "year" and res.begin:  # "the first half of 1990"
            half_cal = _cal_half(res.begin.year, s.data["half"])
            res.value, res.granularity = half_cal[0], half_cal[1]
            begin, finish, mod = half_cal[2], half_cal[3], None
        out.append(
            Timex(
                start=s.start,
                end=s.end,
                text=text[s.start : s.end],
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


# ---- languages other than English and Russian: explicit dates from dateparser's month names -------


@lru_cache(maxsize=64)
def _language_patterns(lang: str) -> list[tuple[re.Pattern, str]]:
    """Day-month-year / month-day-year patterns built from dateparser's month names for `lang`."""
    try:
        module = __import__(f"dateparser.data.date_translation_data.{lang}", fromlist=["info"])
    except ImportError:
        return []
    info = module.info
    names: dict[str, int] = {}
    for i, key in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"), start=1):  # fmt: skip
        for name in info.get(key, []):
            if len(name) >= 3:
                names[name.lower()] = i
    if not names:
        return []
    full = [n for n in names if len(n) > 5]
    short = [n for n in names if len(n) <= 5]
    month = "(?P<mon>" + _alt(full) + ("|(?:" + _alt(short) + r")\.?" if short else "") + ")"
    day = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:er|re|º|ª|\.)?"
    year = r"(?P<year>1\d{3}|20\d{2})"
    patterns = [
        rf"(?<![\w\d]){day}(?:\s*(?:de|di|del|van|του)\s+|\s+|\s*\.\s*){month}(?:(?:\s*,?\s*(?:de|del|di|του)?\s*){year})?(?![\w\d])",
        rf"(?<![\w\d]){month}\s+{day},?\s*{year}(?![\w\d])",
        rf"(?<![\w\d]){month}(?:\s+(?:de|del|di)\s+|\s+){year}(?![\w\d])",
        rf"(?<![\w\d]){year}\s*(?:年\s*)?{month}\s*{day}(?![\w\d])",
    ]
    return [(re.compile(p, FLAGS), lang) for p in patterns] + [
        (re.compile("|".join(map(re.escape, names))), "names")
    ]


def _generic_candidates(text: str, lang: str) -> list[Sem]:
    pats = _language_patterns(lang)
    out: list[Sem] = []
    names_pattern = None
    for pattern, tag in pats:
        if tag == "names":
            names_pattern = pattern
            continue
        for m in pattern.finditer(text):
            gd = m.groupdict()
            mon = _lookup_month(lang, gd["mon"])
            if mon is None:
                continue
            day = int(re.match(r"\d+", gd["day"]).group(0)) if gd.get("day") else None
            year = int(gd["year"]) if gd.get("year") else None
            if day is None and year is None:
                continue
            out.append(Sem("ymd", m.start(), m.end(), {"y": year, "m": mon, "d": day}))
    del names_pattern
    return out


@lru_cache(maxsize=4096)
def _lookup_month(lang: str, name: str) -> int | None:
    module = __import__(f"dateparser.data.date_translation_data.{lang}", fromlist=["info"])
    key = name.lower().rstrip(".")
    for i, month in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                               "september", "october", "november", "december"), start=1):  # fmt: skip
        if key in (n.lower() for n in module.info.get(month, [])):
            return i
    return None


_NEUTRAL_RULES = ("iso_date", "numeric_date")


def _language_neutral(text: str) -> list[Sem]:
    """ISO and numeric dates, whatever the language (slashes read day/month/year outside English)."""
    out: list[Sem] = []
    for priority, r in enumerate(RULES):
        if r.name not in _NEUTRAL_RULES:
            continue
        for m in r.pattern.finditer(text):
            sem = r.parse(m, text)
            if isinstance(sem, Sem):
                if r.name == "numeric_date" and m.group("sep") == "/":
                    a_, b_ = int(m.group("a")), int(m.group("b"))
                    if b_ <= 12 and _safe_date(sem.data["y"], b_, a_):
                        sem.data["m"], sem.data["d"] = b_, a_
                sem.priority = priority
                out.append(sem)
    return out


# ---- inferring an anchor ------------------------------------------------------------------------------


def infer_anchor(
    text: str, language: str | None = "en", *, today: Date | None = None
) -> tuple[Date | None, float]:
    """A publication date for an undated article, from its own explicit dates.

    A weekday named with a year-less date ("on Tuesday, December 1") fixes the year: of the years in
    which that day fell on that weekday, not after `today` and not before the latest year the text
    names, the latest. The anchor is then the latest date the text places in that year (news reports
    what already happened). Without such a pair, the latest fully explicit date stands in.

    Confidence: one possible year and the weekday in the same sentence 0.9 (elsewhere nearby 0.6);
    several possible years (weekdays repeat every 5-11 years) 0.6 (0.4); the latest explicit date 0.6
    (an article may cite only older dates); a bare year 0.2; nothing 0.
    """
    if not text or not text.strip():
        return None, 0.0
    today = today or dt.date.today()
    found = find_timexes(text, None, language)
    full = [
        t.begin for t in found if t.granularity == "day" and t.begin and not t.anchored and t.begin <= today
    ]
    years_seen = [
        t.begin.year
        for t in found
        if t.begin and not t.anchored and t.granularity in {"day", "month", "year"}
    ]
    yearless: list[tuple[Timex, int, int]] = []
    for t in found:
        m = re.fullmatch(r"XXXX-(\d{2})-(\d{2})", t.value)
        if m:
            yearless.append((t, int(m.group(1)), int(m.group(2))))
    agreed: list[tuple[Date, float]] = []
    for t, mo, day in yearless:
        wd, same_sentence = _weekday_near(text, t, language)
        if wd is None or (not same_sentence and t is not _latest_yearless(yearless)):
            continue
        years = [y for y in range(today.year - 40, today.year + 1)
                 if (d := _safe_date(y, mo, day)) is not None and d.weekday() == wd and d <= today]  # fmt: skip
        if not years:
            continue
        # years the text names bound the publication year from below (it cannot predate them, give or
        # take a year); among the agreeing years left, news is more often recent: take the latest
        floor = max(years_seen) - 1 if years_seen else None
        plausible = [y for y in years if floor is None or y >= floor] or years
        y = max(plausible)
        # (same sentence, elsewhere) x (one year possible, several)
        conf = {(True, True): 0.9, (False, True): 0.6, (True, False): 0.6, (False, False): 0.4}[
            (same_sentence, len(plausible) == 1)
        ]
        agreed.append((Date(y, mo, day), conf))
    if agreed:
        best, conf = max(agreed)
        placed = [best]
        for _t, mo, day in yearless:  # the other year-less dates, in the year that keeps them near
            options = [d for y in (best.year - 1, best.year, best.year + 1) if (d := _safe_date(y, mo, day))]
            placed.append(min(options, key=lambda d: abs((d - best).days)))
        placed += [d for d in full if abs((d - best).days) <= 366]
        return max(d for d in placed if d <= max(today, best)), conf
    if full:
        return max(full), 0.6
    years = [
        t.begin.year for t in found if t.granularity == "year" and t.begin is not None and not t.anchored
    ]
    if years:
        return Date(max(years), 7, 1), 0.2
    return None, 0.0


_WEEKDAY_WORD = re.compile(rf"\b(?P<wd>{WEEKDAY})", FLAGS)
_RU_WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "сред": 2,
    "четверг": 3,
    "пятниц": 4,
    "суббот": 5,
    "воскресен": 6,
}
_RU_WEEKDAY_WORD = re.compile(
    r"(?i)\b(?P<wd>понедельник|вторник|сред[ауы]|четверг|пятниц[аыу]|суббот[аыу]|воскресень[ея])"
)


def _latest_yearless(yearless: list[tuple[Timex, int, int]]) -> Timex | None:
    """The latest of the year-less dates (months more than half a year apart wrap into the next year):
    the event nearest publication, which a weekday elsewhere in the text most likely names."""
    if not yearless:
        return None
    months = [mo for _, mo, _ in yearless]
    wrap = max(months) - min(months) > 6
    return max(yearless, key=lambda y: ((y[1] + 12 if wrap and y[1] <= 6 else y[1]), y[2]))[0]


def _weekday_near(text: str, t: Timex, language: str | None) -> tuple[int | None, bool]:
    """The weekday named with a date: inside its span or in its sentence (True), else anywhere in
    the text (False)."""
    lang = (language or "en").lower()[:2]
    pattern = _RU_WEEKDAY_WORD if lang == "ru" else _WEEKDAY_WORD

    def weekday_of(hit: re.Match) -> int:
        word = hit.group("wd").strip(".").lower()
        if lang == "ru":
            return next(v for k, v in _RU_WEEKDAYS.items() if word.startswith(k))
        return WEEKDAYS[word]

    inside = pattern.search(text, t.start, t.end)
    if inside:
        return weekday_of(inside), True
    lo = max(0, t.start - 120)
    left = text[lo : t.start]
    cut = max(left.rfind(". "), left.rfind("\n"))
    left_sentence = left[cut + 1 :] if cut >= 0 else left
    hits = list(pattern.finditer(left_sentence))
    if hits:
        return weekday_of(hits[-1]), True
    right = text[t.end : t.end + 25]
    right = re.split(r"[.!?\n]", right)[0]
    hit = pattern.search(right)
    if hit:
        return weekday_of(hit), True
    near = list(pattern.finditer(text))
    if near:
        closest = min(near, key=lambda h: min(abs(h.start() - t.end), abs(t.start - h.end())))
        return weekday_of(closest), False
    return None, False
