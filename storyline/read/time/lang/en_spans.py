"""English rules for durations, sets, times of day and holidays."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from storyline.read.time.calendar import UNITS, Date, duration_value, easter, nth_weekday
from storyline.read.time.grammar import FLAGS, Rules, Sem
from storyline.read.time.grammar import sem as _sem
from storyline.read.time.lang.en_words import (
    DAYORD_WORDS,
    MODS,
    MONTH_FULL,
    MONTHS,
    NUM,
    PARTS_OF_DAY,
    SEASONS,
    TZ,
    UNIT,
    WEEKDAY,
    WEEKDAYS,
    YEAR4,
    next_word,
    number_value,
    ordinal_value,
    prefix_mod,
    prev_word,
)

RULES = Rules()
rule = RULES.add

# ---- durations and sets ------------------------------------------------------------------------------


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
    if q == "each" and unit in UNITS and next_word(text, m.end()).lower() == "of":
        return None
    n = number_value(m.group("n")) if m.group("n") else 1
    if m.group("other") and m.group("other").lower() == "other":
        n = 2
    if unit in UNITS:
        if unit == "quarter" and q in {"a", "an"}:
            return None
        value = duration_value(n or 1, unit) if unit != "weekend" else "XXXX-WXX-WE"
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
    n = number_value(num_text)
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
        nxt = next_word(text, m.end()).lower()
        if nxt in {"time", "round", "term"}:
            return None
    if (
        num_text in {"a", "an", "one"}
        and unit == "day"
        and next_word(text, m.end()).lower() in {"when", "that"}
    ):
        return None
    mod = None
    if m.group("num2"):
        n2 = number_value(m.group("num2").lower())
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
    data = {"value": duration_value(n, unit)}
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
        {"value": duration_value(n, unit)},
        MODS.get((m.group("mod") or "").lower()),
    )


@rule(r"\b(?:years|months|weeks|days|hours|minutes|decades|centuries)\b")
def bare_plural_unit(m: re.Match, text: str) -> Sem | None:
    before = text[max(0, m.start() - 25) : m.start()].lower()
    if not re.search(
        r"(?:\bfor|\bover|\bwithin|\bin|\btook|\btakes?|\blasted|\bspent|\bafter|\bthe)\s+$", before
    ):
        return None
    if re.search(r"\b(?:the|in)\s+$", before):
        nxt = next_word(text, m.end()).lower()
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
    h = int(number_value(m.group("h")) or 0)
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
            if prev_word(text, m.start()) in {"at", "before", "after", "until", "by", "from", "since"}
            else None
        )
    if w in {"dusk", "sunset", "nightfall"}:
        return (
            _sem("time", m, part="EV")
            if prev_word(text, m.start()) in {"at", "before", "after", "until", "by", "from", "since"}
            else None
        )
    return None


@rule(
    r"\b(?:the|this|that|in\s+the)\s+(?P<part>morning|afternoon|evening)\b",
    needs=("morning", "afternoon", "evening"),
)
def bare_part_of_day(m: re.Match, text: str) -> Sem | None:
    word = m.group(0).lower()
    nxt = next_word(text, m.end()).lower()
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
    return _sem("duration", m, value=duration_value(None if m.group("pl") else 1, unit))


@rule(
    r"\b(?:(?P<pre>(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|close|turn)\s+of)\s+the\s+(?P<unit>year|month|week|"
    r"quarter|decade|century)|(?P<ye>year(?:'s)?[\s-]end))\b(?!-)",
    needs=("end", "beginning", "start", "middle", "close", "turn"),
)
def end_of_the_unit(m: re.Match, text: str) -> Sem:
    unit = (m.group("unit") or "year").lower()
    mod = prefix_mod(m.group("pre")) if m.group("pre") else "END"
    n = -1 if re.search(r"\bsince\s+$", text[max(0, m.start() - 8) : m.start()], FLAGS) else 0
    return Sem("rel", m.start(), m.end(), {"unit": unit, "n": n, "base": "anchor"}, mod)


@rule(r"\bthe\s+(?P<full>full\s+|entire\s+|whole\s+|calendar\s+)?year\b(?![-'])", needs=("year",))
def the_year(m: re.Match, text: str) -> Sem | None:
    if re.match(r"\s+(?:ended|ending|to\s+\w+\s+\d|through)\b", text[m.end() : m.end() + 20], FLAGS):
        return _sem("duration", m, value="P1Y")
    if m.group("full") or re.search(
        r"\b(?:for|of|in|during|through)\s+$", text[max(0, m.start() - 8) : m.start()], FLAGS
    ):
        if next_word(text, m.end()).lower() in {"before", "after", "that", "when", "in", "of", "since"}:
            return None
        return _sem("rel", m, unit="year", n=0, base="anchor")
    return None


@rule(r"\b(?:over\s+|during\s+|on\s+|at\s+|for\s+|ahead\s+of\s+|by\s+)?the\s+weekend\b", needs=("weekend",))
def the_weekend(m: re.Match, text: str) -> Sem:
    start = m.start() + m.group(0).lower().rindex("the weekend")
    return Sem("weekend", start, m.end(), {})


# ---- holidays ----------------------------------------------------------------------------------------------

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
    "thanksgiving day": lambda y: nth_weekday(y, 11, 3, 4),
    "thanksgiving": lambda y: nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: nth_weekday(y, 5, 0, -1),
    "election day": lambda y: nth_weekday(y, 11, 0, 1) + dt.timedelta(days=1),
    "easter sunday": easter,
    "easter": easter,
    "good friday": lambda y: easter(y) - dt.timedelta(days=2),
    "easter monday": lambda y: easter(y) + dt.timedelta(days=1),
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
    if name == "easter" and next_word(text, m.end()).lower() == "week":
        return Sem("holiday", m.start(), m.end() + len(text[m.end():].split("week", 1)[0]) + 4,
                   {"name": name, "date_of": HOLIDAYS[name], "y": None, "rel": None, "week": True})  # fmt: skip
    rel = {"last": -1, "this": 0, "next": 1}.get((m.group("rel") or "").lower())
    return _sem(
        "holiday",
        m,
        name=name,
        date_of=HOLIDAYS[name],
        y=int(m.group("y")) if m.group("y") else None,
        rel=rel,
    )


@rule(
    r"\b(?:(?P<on>on|by|until|since|from|before|after|till|through)\s+)?the\s+(?P<d>[12]?\d(?:st|nd|rd|th)|3[01](?:st|th)|"
    rf"{DAYORD_WORDS})(?P<of>\s+of\s+(?:it|this\s+month|that\s+month|the\s+month|the\s+same\s+month|next\s+month|last\s+month))?\b",
    needs=("st", "nd", "rd", "th"),
)
def day_of_month(m: re.Match, text: str) -> Sem | None:
    d = ordinal_value(m.group("d"))
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
