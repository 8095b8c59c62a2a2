"""English rules for dates relative to the anchor or to the last date mentioned."""

from __future__ import annotations

import re

from storyline.read.time.grammar import FLAGS, Rules, Sem
from storyline.read.time.grammar import sem as _sem
from storyline.read.time.lang.en_words import (
    MODS,
    NUM,
    PARTS_OF_DAY,
    UNIT,
    WEEKDAY,
    WEEKDAYS,
    next_word,
    number_value,
)

RULES = Rules()
rule = RULES.add

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
    n = None if num_text == "the" else number_value(num_text)
    if num_text == "the" or (n is not None and n > 5000):
        return None
    unit = m.group("unit").lower()
    sign = -1 if direction in {"ago", "earlier", "before", "back", "previously", "prior"} else 1
    mod = MODS.get(re.sub(r"\s+", " ", (m.group("mod") or "").lower()))
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
    nxt = next_word(text, m.end()).lower()
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
        nxt = next_word(text, m.end()).lower()
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
