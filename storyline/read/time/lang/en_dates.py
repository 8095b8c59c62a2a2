"""English rules for explicit calendar dates: days, months, years, decades, quarters, seasons."""

from __future__ import annotations

import re

from storyline.read.time.calendar import safe_date
from storyline.read.time.grammar import FLAGS, Rules, Sem
from storyline.read.time.grammar import sem as _sem
from storyline.read.time.lang.en_words import (
    CARD,
    DAYNUM,
    DECADE_WORDS,
    MONTH,
    MONTH_FULL,
    ONES,
    ORDINALS,
    SEASONS,
    TENS,
    WEEKDAY,
    WEEKDAYS,
    YEAR4,
    alt,
    cased,
    month_number,
    next_word,
    number_value,
    ordinal_value,
    prev_word,
)

RULES = Rules()
rule = RULES.add

# ---- explicit calendar dates ----------------------------------------------------------------------


@rule(
    rf"\b(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<mon>{MONTH})\s*(?P<day>{DAYNUM})(?:,?\s*(?P<year>{YEAR4})\b|,?\s+'(?P<yy>\d\d)\b)?"
)
def month_day(m: re.Match, text: str) -> Sem | None:
    day = ordinal_value(m.group("day"))
    year = int(m.group("year")) if m.group("year") else None
    if m.group("yy"):
        year = 1900 + int(m.group("yy")) if int(m.group("yy")) > 30 else 2000 + int(m.group("yy"))
    if not day or day > 31:
        return None
    wd = WEEKDAYS[m.group("wd").strip(".").lower()] if m.group("wd") else None
    return _sem("ymd", m, y=year, m=month_number(m.group("mon")), d=day, wd=wd)


@rule(
    rf"\b(?P<mon>{MONTH})\s*(?P<d1>{DAYNUM})\s*(?:-|–|and|or|to|through|until|till)\s*(?P<d2>{DAYNUM})(?:,?\s*(?P<year>{YEAR4})\b)?"
)
def month_day_pair(m: re.Match, text: str) -> list[Sem] | None:
    d1, d2 = ordinal_value(m.group("d1")), ordinal_value(m.group("d2"))
    if not d1 or not d2 or d1 > 31 or d2 > 31 or d2 <= d1:
        return None
    year = int(m.group("year")) if m.group("year") else None
    mon = month_number(m.group("mon"))
    first = Sem("ymd", m.start(), m.end("d1"), {"y": year, "m": mon, "d": d1})
    second = Sem("ymd", m.start("d2"), m.end(), {"y": year, "m": mon, "d": d2})
    return [first, second]


@rule(
    rf"\b(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{DAYNUM})\s+(?:of\s+)?(?P<mon>{MONTH})(?:,?\s*(?P<year>{YEAR4})\b)?"
)
def day_month(m: re.Match, text: str) -> Sem | None:
    day = ordinal_value(m.group("day"))
    if not day or day > 31:
        return None
    if m.group("day").isdigit() and not m.group("year") and m.group("mon") == "May":
        pass
    wd = WEEKDAYS[m.group("wd").strip(".").lower()] if m.group("wd") else None
    year = int(m.group("year")) if m.group("year") else None
    return _sem("ymd", m, y=year, m=month_number(m.group("mon")), d=day, wd=wd)


@rule(rf"\b(?P<mon>{MONTH})\s*(?:of\s+|,\s*)?(?P<year>{YEAR4})\b(?!\s*(?:,\s*)?\d)")
def month_year(m: re.Match, text: str) -> Sem:
    return _sem("ymd", m, y=int(m.group("year")), m=month_number(m.group("mon")), d=None)


@rule(
    rf"\b(?:(?P<pre>last|this|next|this\s+past|this\s+coming|the\s+previous|the\s+following)\s+)?(?P<mon>{MONTH_FULL}|{cased(['may'])})(?:\s+(?:of\s+)?(?P<rel>this|last|next)\s+year)?\b(?!-)"
)
def month_alone(m: re.Match, text: str) -> Sem | None:
    name = m.group("mon")
    if name in {"May", "MAY"} and not m.group("rel") and not m.group("pre"):
        before = prev_word(text, m.start())
        if before not in {"in", "since", "by", "until", "till", "from", "through", "during", "of", "early",
                          "late", "mid", "before", "after", "last", "next", "this", "and", "or", "to", "each",
                          "every", "between", "end", "beginning", "middle"}:  # fmt: skip
            return None
    nxt = re.match(r" ([A-Z][a-z]+)", text[m.end() : m.end() + 20])
    if nxt and not m.group("rel") and nxt.group(1).lower() not in WEEKDAYS and nxt.group(1) not in {"I"}:
        return None  # "April Glaspie"
    rel = {"this": 0, "last": -1, "next": 1}.get((m.group("rel") or "").lower())
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").lower()) or None
    return _sem("month", m, m=month_number(name), rel=rel, pre=pre)


@rule(r"(?<![\d/.-])(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<hh>[0-2]\d):(?P<mi>[0-5]\d))?(?![\d-])")
def iso_date(m: re.Match, text: str) -> Sem | None:
    if safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d"))) is None:
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
    if safe_date(y, mon, day) is None or not 1000 <= y <= 2100:
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
    rf"\b(?:(?P<the>the|its|their)\s+)?(?:(?P<full>1[0-9]{{2}}0|20[0-9]0)'?s|'(?P<short>[0-9]0)'?s|(?P<word>{alt(DECADE_WORDS)}))\b"
)
def decade(m: re.Match, text: str) -> Sem | None:
    if m.group("word"):
        before = prev_word(text, m.start())
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
    rf"\b(?:(?P<the>the|this|last|next|the\s+last|the\s+next|the\s+previous)\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>{alt(ORDINALS)}))?[\s-]*centur(?:y|ies)\b",
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
    rf"(?P<lo>(?:{alt(TENS)})(?:[\s-](?:{alt([w for w in ONES if ONES[w] < 10 and w != 'zero'])}))?|"
    rf"(?:{alt([w for w in ONES if ONES[w] >= 10])})|oh[\s-](?:{alt([w for w in ONES if 0 < ONES[w] < 10])}))\b"
)


@rule(_SPELLED_YEAR, needs=("teen",))
def spelled_year(m: re.Match, text: str) -> Sem | None:
    hi = ONES[m.group("hi").lower()]
    lo_text = re.sub(r"^oh[\s-]", "", m.group("lo").lower())
    lo = number_value(lo_text)
    if lo is None:
        return None
    return _sem("year", m, y=hi * 100 + int(lo))


@rule(rf"\bthe\s+year\s+two\s+thousand(?:\s+(?:and\s+)?(?P<lo>{CARD}))?\b", needs=("thousand",))
def spelled_year_2000(m: re.Match, text: str) -> Sem | None:
    lo = number_value(m.group("lo")) if m.group("lo") else 0
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
    if which in {"the quarter", "that quarter"} and next_word(text, m.end()).lower() in {
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
        nxt = next_word(text, m.end()).lower()
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
                number_value(re.sub(r"^oh[\s-]", "", sm.group("lo").lower())) or 0
            )
    if not relw and y is None:
        return None  # a bare "fall" or "spring" is rarely the season
    if (
        word == "fall"
        and y is None
        and relw in {"the", "since", "by", "until", "in", "during"}
        and next_word(text, m.end()).lower() in {"of", "in", "from", "to"}
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
