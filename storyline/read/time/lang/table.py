"""A grammar from word lists: how most languages are read.

A language module fills a `Words` (month and weekday names with their inflected forms, deictic
days, relative units, number and ordinal words, the words for "ago" and "in", hedges, tense
markers, its date order) and calls `build`. Month, weekday and relative words start from CLDR's
names as `dateparser` ships them (`from_dateparser`), so a language without a module of its own
still gets its month names, weekdays, "yesterday" and "last week".

The rules produce the same language-free `Sem` kinds as the English grammar, so resolution
(resolve.py) is shared: "ymd", "month", "year", "weekday", "deictic", "rel", "ago",
"day_of_month", "duration", "time".
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field, replace

from storyline.read.time.calendar import UNITS, duration_value, safe_date
from storyline.read.time.grammar import FLAGS, Grammar, Rules, Sem, sem
from storyline.read.time.lang.common import ascii_digits, neutral_rules

_DP_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")  # fmt: skip
_DP_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DP_UNITS = ("year", "month", "week", "day", "hour", "minute", "second")


@dataclass
class Words:
    """A language's time words (all lower case). Empty lists switch the rules using them off."""

    code: str
    order: str = "dmy"  # numeric dates: "dmy", "mdy" or "ymd"
    months: dict[str, int] = field(default_factory=dict)  # every form: "décembre", "aralık", "декабря"
    jalali_months: dict[str, int] = field(default_factory=dict)  # Solar Hijri: "آذر": 9 (Persian)
    month_abbr: dict[str, int] = field(default_factory=dict)  # short forms, read only with a dot or a number
    weekdays: dict[str, int] = field(default_factory=dict)  # Monday 0
    deictic: dict[str, int] = field(default_factory=dict)  # "hier": -1, "aujourd'hui": 0
    relative: dict[str, tuple[str, int]] = field(default_factory=dict)  # "la semaine dernière": (week, -1)
    units: dict[str, str] = field(default_factory=dict)  # "jours": "day"
    numbers: dict[str, float | None] = field(default_factory=dict)  # "trois": 3, "quelques": None (vague)
    ordinals: dict[str, int] = field(default_factory=dict)  # "premier": 1, day numbers written as words
    ago_before: list[str] = field(default_factory=list)  # "il y a" [N units]
    ago_after: list[str] = field(default_factory=list)  # [N units] "önce"
    ahead_before: list[str] = field(default_factory=list)  # "dans" [N units]
    ahead_after: list[str] = field(default_factory=list)  # [N units] "sonra"
    last: list[str] = field(default_factory=list)  # "dernier": next to a weekday or month, the previous one
    next: list[str] = field(default_factory=list)
    month_day: bool = False  # a year-less date is written month first: Armenian "դեկտեմբերի 5-ին"
    day_before: str = ""  # regex, with its spaces, before a bare day of the month: r"le\s+", r"am\s+"
    day_suffix: str = r"(?:er|re|º|ª|\.)?"  # after a day number: "1er", "1.", "1º"
    joiner: str = r"\s+"  # between day, month and year: "de" in "5 de marzo de 2024"
    month_suffix: str = ""  # inflection glued to a month name: Turkish "Mart'ta", "aralıkta"
    year_before: str = ""  # regex, with its spaces, before a bare year: r"en\s+", r"im\s+Jahr\s+"
    year_after: str = ""  # regex, with its spaces, after a year: r"\s+yılında", r"\s*года", "年"
    month_before: str = ""  # regex, with its spaces, before a lone month name: r"en\s+", r"im\s+"
    hedges: dict[str, str] = field(default_factory=dict)  # "plus de": MORE_THAN, before a duration
    date_mods: dict[str, str] = field(default_factory=dict)  # "fin": END, "début": START, before a date
    future: str = ""  # tense markers (regex alternatives)
    past: str = ""
    clock_before: str = ""  # regex, with its spaces: r"à\s+", r"saat\s+" (then "14.30" is a time too)
    hour_word: str = ""  # after an hour: "Uhr", "h"
    prefix: str = ""  # clitics glued before a word: Arabic "و", "ب"
    normalise_digits: bool = False

    def extend(self, **more: object) -> Words:
        """A copy with dictionaries merged and other fields replaced."""
        changes = {}
        for key, value in more.items():
            old = getattr(self, key)
            if isinstance(old, dict):
                changes[key] = {**old, **value}  # type: ignore[dict-item]
            elif isinstance(old, list):
                changes[key] = old + list(value)  # type: ignore[arg-type]
            else:
                changes[key] = value
        return replace(self, **changes)


def from_dateparser(code: str) -> Words:
    """Month and weekday names, deictic days, relative units and unit words from dateparser (CLDR)."""
    try:
        info = importlib.import_module(f"dateparser.data.date_translation_data.{code}").info
    except ModuleNotFoundError:
        return Words(code)
    words = Words(code, order=str(info.get("date_order", "DMY")).lower())
    for n, key in enumerate(_DP_MONTHS, start=1):
        forms = [f.lower() for f in info.get(key, [])]
        longest = max(forms, key=len, default="")
        for form in forms:
            (words.months if len(form) >= 4 or form == longest else words.month_abbr)[form] = n
    for n, key in enumerate(_DP_WEEKDAYS):
        forms = [f.lower() for f in info.get(key, [])]
        longest = max(forms, key=len, default="")
        for form in forms:
            if len(form) >= 4 or form == longest:
                words.weekdays[form] = n
    for key in _DP_UNITS:
        for form in info.get(key, []):
            if len(form) >= 2:
                words.units[form.lower()] = key
    for key, phrases in info.get("relative-type", {}).items():
        m = re.fullmatch(r"(in )?(\d+) (day|week|month|year)( ago)?", key)
        if not m:
            continue
        n = int(m[2]) * (-1 if m[4] else 1)
        for phrase in phrases:
            if m[3] == "day":
                words.deictic[phrase.lower()] = n
            else:
                words.relative[phrase.lower()] = (m[3], n)
    return words


def alt(words: object) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))  # type: ignore[union-attr]


def _lookup(table: dict[str, int], word: str) -> int | None:
    w = word.lower().strip(".")
    if w in table:
        return table[w]
    # an inflected form: the longest listed name it starts with
    best = max((k for k in table if w.startswith(k)), key=len, default=None)
    return table[best] if best is not None else None


def number_value(words: Words, text: str) -> float | None:
    t = ascii_digits(text).strip().lower()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", t):
        return float(t.replace(",", "."))
    return words.numbers.get(t)


def build(words: Words) -> Grammar:
    """The rules, absorber and tense markers a `Words` makes."""
    B, E = r"(?<!\w)", r"(?!\w)"
    pre = f"(?:{words.prefix})?" if words.prefix else ""
    rules = Rules()
    month_alt = alt(words.months)
    abbr_alt = alt(words.month_abbr)
    month_re = f"(?:{month_alt})" if month_alt else None
    if month_re and abbr_alt:
        month_re = rf"(?:{month_alt}|(?:{abbr_alt})\.)"
    suffix = words.month_suffix
    ords = alt(words.ordinals)
    day_re = rf"(?P<day>(?:[12]\d|3[01]|0?[1-9]){words.day_suffix}" + (rf"|{ords}" if ords else "") + ")"
    year_re = r"(?P<year>1[5-9]\d\d|20\d\d)"
    j = words.joiner
    num_alt = alt(words.numbers)
    num_re = r"(?P<num>\d+(?:[.,]\d+)?" + (rf"|{num_alt}" if num_alt else "") + ")"
    unit_re = rf"(?P<unit>{alt(words.units)})" if words.units else None

    def day_of(text: str) -> int | None:
        t = text.lower().rstrip(".")
        m = re.match(r"\d+", t)
        if m:
            return int(m[0])
        return words.ordinals.get(t) or _lookup(words.ordinals, t)

    def month_of(text: str) -> int | None:
        return _lookup({**words.month_abbr, **words.months}, text)

    if month_re:

        @rules.add(rf"{B}{pre}{day_re}{j}(?P<mon>{month_re}){suffix}(?:,?{j}{year_re}(?:{words.year_after})?)?{E}")
        def day_month(m: re.Match, text: str) -> Sem | None:
            day, mon = day_of(m["day"]), month_of(m["mon"])
            year = int(m["year"]) if m["year"] else None
            if not day or not mon or safe_date(year or 2000, mon, day) is None:
                return None
            return sem("ymd", m, y=year, m=mon, d=day)

        @rules.add(rf"{B}{pre}(?P<mon>{month_re}){suffix}\s+{day_re},?\s+{year_re}{E}")
        def month_day_year(m: re.Match, text: str) -> Sem | None:
            day, mon = day_of(m["day"]), month_of(m["mon"])
            if not day or not mon or safe_date(int(m["year"]), mon, day) is None:
                return None
            return sem("ymd", m, y=int(m["year"]), m=mon, d=day)

        @rules.add(rf"{B}{pre}(?P<mon>{month_re}){j}{year_re}(?:{words.year_after})?{suffix}{E}")
        def month_year(m: re.Match, text: str) -> Sem | None:
            mon = month_of(m["mon"])
            return sem("ymd", m, y=int(m["year"]), m=mon, d=None) if mon else None

        @rules.add(rf"{B}{year_re}(?:{words.year_after})?,?{j}(?P<mon>{month_re}){suffix}{j}{day_re}{E}")
        def year_month_day(m: re.Match, text: str) -> Sem | None:
            day, mon = day_of(m["day"]), month_of(m["mon"])
            if not day or not mon or safe_date(int(m["year"]), mon, day) is None:
                return None
            return sem("ymd", m, y=int(m["year"]), m=mon, d=day)

        if words.month_day:

            @rules.add(rf"{B}{pre}(?P<mon>{month_re}){suffix}\s+{day_re}{E}")
            def month_day(m: re.Match, text: str) -> Sem | None:
                day, mon = day_of(m["day"]), month_of(m["mon"])
                if not day or not mon or safe_date(2000, mon, day) is None:
                    return None
                return sem("ymd", m, y=None, m=mon, d=day)

        if words.jalali_months:

            @rules.add(rf"{B}{day_re}{j}(?P<mon>{alt(words.jalali_months)})(?:{j}(?P<year>1[34]\d\d)(?:{words.year_after})?)?{E}")
            def jalali_date(m: re.Match, text: str) -> Sem | None:
                day, mon = day_of(m["day"]), words.jalali_months[m["mon"].lower()]
                year = int(m["year"]) if m["year"] else None
                if not day or day > (31 if mon <= 6 else 30):
                    return None
                return sem("ymd", m, y=year, m=mon, d=day, calendar="jalali")

        if words.month_before or words.last or words.next:
            rel_words = alt(words.last + words.next) or "(?!)"
            prep = words.month_before or "(?!)"

            @rules.add(
                rf"{B}(?P<prep>{prep})?(?:(?P<rb>{rel_words})\s+)?(?P<mon>{month_alt}){suffix}"
                rf"(?:\s+(?P<ra>{rel_words}))?{E}"
            )
            def month_alone(m: re.Match, text: str) -> Sem | None:
                mon = month_of(m["mon"])
                rel_word = (m["rb"] or m["ra"] or "").lower()
                if mon is None or not (rel_word or m["prep"]):
                    return None  # a lone month name only after a preposition or with last/next
                rel = "last" if rel_word in words.last else "next" if rel_word in words.next else None
                start = m.start("rb") if m["rb"] else m.start("mon")
                return Sem("month", start, m.end(), {"m": mon, "rel": None, "pre": rel})

    @rules.add(rf"{B}(?P<before>{words.year_before or '(?!)'})?{year_re}(?P<after>{words.year_after or '(?!)'})?{E}")
    def year(m: re.Match, text: str) -> Sem | None:
        if not (m["before"] or m["after"]):
            return None
        start = m.start("year") if m["before"] else m.start()
        return Sem("year", start, m.end(), {"y": int(m["year"])})

    if words.deictic:

        @rules.add(rf"{B}{pre}(?P<w>{alt(words.deictic)}){E}")
        def deictic(m: re.Match, text: str) -> Sem:
            return sem("deictic", m, offset=words.deictic[m["w"].lower()], part=None, word="")

    if words.relative:

        @rules.add(rf"{B}{pre}(?P<w>{alt(words.relative)}){E}")
        def relative(m: re.Match, text: str) -> Sem:
            unit, n = words.relative[m["w"].lower()]
            return sem("rel", m, unit=unit, n=n, base="anchor")

    if words.weekdays:
        rel_words = alt(words.last + words.next)
        rel_before = rf"(?:(?P<rb>{rel_words})\s+)?" if rel_words else ""
        rel_after = rf"(?:\s+(?P<ra>{rel_words}))?" if rel_words else ""

        @rules.add(rf"{B}{pre}{rel_before}(?P<wd>{alt(words.weekdays)}){rel_after}{E}")
        def weekday(m: re.Match, text: str) -> Sem | None:
            wd = _lookup(words.weekdays, m["wd"])
            if wd is None:
                return None
            word = ((m.groupdict().get("rb") or m.groupdict().get("ra")) or "").lower()
            rel = "last" if word in words.last else "next" if word in words.next else None
            return sem("weekday", m, wd=wd, rel=rel, part=None)

    if unit_re:
        forms = [(words.ago_before, "", -1), ("", words.ago_after, -1), (words.ahead_before, "", 1), ("", words.ahead_after, 1)]
        for before, after, sign in forms:
            if not before and not after:
                continue
            lead = rf"(?:{alt(before)})\s+" if before else ""
            tail = rf"\s+(?:{alt(after)})" if after else ""

            @rules.add(rf"{B}{lead}{num_re}\s+{unit_re}{tail}{E}")
            def ago(m: re.Match, text: str, sign: int = sign) -> Sem | None:
                n = number_value(words, m["num"])
                unit = words.units[m["unit"].lower()]
                return sem("ago", m, n=n, unit=unit, sign=sign, base="anchor")

        @rules.add(rf"{B}{num_re}[\s-]+{unit_re}{E}")
        def duration(m: re.Match, text: str) -> Sem | None:
            n = number_value(words, m["num"])
            unit = words.units[m["unit"].lower()]
            if n is None or unit not in UNITS:
                return None
            return sem("duration", m, value=duration_value(int(n) if n == int(n) else n, unit))

    if words.day_before:

        @rules.add(rf"{B}(?:{words.day_before}){day_re}(?!\s*(?:[:/.]\d|\d))(?!\w)")
        def day_of_month(m: re.Match, text: str) -> Sem | None:
            day = day_of(m["day"])
            after = text[m.end() : m.end() + 30]
            if not day or day > 31 or (month_re and re.match(rf"\s*(?:{month_re})", after, FLAGS)):
                return None
            return Sem("day_of_month", m.start("day"), m.end(), {"d": day, "rel": 0, "base": "ref"})

    hour_re = r"(?P<h>[01]?\d|2[0-3])"
    clock_patterns = [rf"{B}{hour_re}:(?P<mi>[0-5]\d){E}"]
    if words.clock_before:
        clock_patterns.append(rf"{B}(?:{words.clock_before}){hour_re}(?:[.:h](?P<mi>[0-5]\d))?{E}")
    if words.hour_word:
        clock_patterns.append(rf"{B}{hour_re}(?:[.:h](?P<mi>[0-5]\d))?\s*(?:{words.hour_word}){E}")
    for pattern in clock_patterns:

        @rules.add(pattern)
        def clock(m: re.Match, text: str) -> Sem:
            return Sem("time", m.start("h"), m.end(), {"h": int(m["h"]), "mi": int(m["mi"] or 0)})

    rules.extend(neutral_rules(words.order if words.order in {"dmy", "mdy"} else "dmy"))
    return Grammar(
        code=words.code,
        rules=rules,
        absorb=_absorber(words),
        future=re.compile(rf"{B}(?:{words.future}){E}", FLAGS) if words.future else None,
        past=re.compile(rf"{B}(?:{words.past}){E}", FLAGS) if words.past else None,
        weekday_word=re.compile(rf"{B}{pre}(?P<wd>{alt(words.weekdays)}){E}", FLAGS) if words.weekdays else None,
        weekday_of=lambda word: _lookup(words.weekdays, word),
        normalise=ascii_digits,
    )


def _absorber(words: Words):  # noqa: ANN202 - returns the grammar's absorb function
    """Hedges before durations ("plus de trois jours") and part-of-period words before dates ("fin mars")."""
    hedge = re.compile(rf"(?<!\w)(?P<w>{alt(words.hedges)})\s+$", FLAGS) if words.hedges else None
    mods = re.compile(rf"(?<!\w)(?P<w>{alt(words.date_mods)})\s+$", FLAGS) if words.date_mods else None

    def absorb(text: str, sems: list[Sem]) -> None:
        for s in sems:
            window = text[max(0, s.start - 40) : s.start]
            if s.kind in {"duration", "ago"} and hedge and (h := hedge.search(window)) and s.mod is None:
                s.mod = words.hedges[h["w"].lower()]
                s.start -= len(window) - h.start()
            elif s.kind in {"ymd", "month", "year", "rel"} and mods and (h := mods.search(window)) and s.mod is None:
                s.mod = words.date_mods[h["w"].lower()]
                s.start -= len(window) - h.start()

    return absorb
