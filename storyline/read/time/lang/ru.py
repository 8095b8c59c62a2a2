"""Russian time expressions: the grammar over the shared time engine.

Month and weekday names carry case endings ("1 декабря", "в декабре", "во вторник", "в среду"),
prepositions stay outside the spans as in TimeML ("в 1994 году" -> "1994 году"), and number words
agree with their nouns ("два года", "трёх лет", "пять недель").
"""

from __future__ import annotations

import re

from storyline.read.time.calendar import duration_value, safe_date
from storyline.read.time.grammar import FLAGS, Grammar, Rules, Sem
from storyline.read.time.lang.common import neutral_rules

SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}

MONTH_STEMS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
MONTH_RU = (
    r"(?P<mon>январ[ьяюе]|феврал[ьяюе]|март[ауе]?|апрел[ьяюе]|ма[йяюе]|июн[ьяюе]|июл[ьяюе]|август[ауе]?|"
    r"сентябр[ьяюе]|октябр[ьяюе]|ноябр[ьяюе]|декабр[ьяюе]|янв\.|февр?\.|апр\.|авг\.|сент?\.|окт\.|нояб?\.|дек\.)"
)
WEEKDAY_RU = (
    r"(?P<wd>понедельник[ау]?|вторник[ау]?|сред[ауы]|четверг[ау]?|пятниц[ауы]|суббот[ауы]|воскресень[еяю])"
)
_WD_STEMS = {
    "понедельник": 0,
    "вторник": 1,
    "сред": 2,
    "четверг": 3,
    "пятниц": 4,
    "суббот": 5,
    "воскресень": 6,
}

# number words in the cases they take before time nouns (nominative, accusative, genitive)
NUMBERS_RU = {
    "один": 1, "одна": 1, "одну": 1, "одного": 1, "одной": 1, "два": 2, "две": 2, "двух": 2, "три": 3,
    "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6,
    "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10,
    "десяти": 10, "одиннадцать": 11, "двенадцать": 12, "пятнадцать": 15, "двадцать": 20, "двадцати": 20,
    "тридцать": 30, "тридцати": 30, "сорок": 40, "сорока": 40, "пятьдесят": 50, "пятидесяти": 50,
    "сто": 100, "ста": 100, "полтора": 1.5, "полторы": 1.5, "полутора": 1.5,
}  # fmt: skip
VAGUE_RU = r"(?:несколько|нескольких|много|многих|пару|пары|считанные|считанных)"
NUM_RU = rf"(?P<num>\d+(?:[.,]\d+)?|{'|'.join(sorted(NUMBERS_RU, key=len, reverse=True))}|{VAGUE_RU})"
UNIT_RU = (
    r"(?P<unit>секунд[ауы]?|минут[ауы]?|час(?:а|ов)?|д(?:ень|ня|ней)|сут(?:ки|ок)|недел[ьюиея]|месяц(?:а|ев)?|"
    r"квартал(?:а|ов)?|год(?:а|у)?|лет|десятилети[яей]|век(?:а|ов)?|столети[йяе])"
)
_UNIT_KEYS = [
    ("секунд", "second"), ("минут", "minute"), ("час", "hour"), ("сут", "day"), ("д", "day"),
    ("недел", "week"), ("месяц", "month"), ("квартал", "quarter"), ("год", "year"), ("лет", "year"),
    ("десятилет", "decade"), ("век", "century"), ("столет", "century"),
]  # fmt: skip
_MODS_RU = {
    "около": "APPROX", "примерно": "APPROX", "приблизительно": "APPROX", "почти": "LESS_THAN",
    "более": "MORE_THAN", "больше": "MORE_THAN", "свыше": "MORE_THAN", "менее": "LESS_THAN",
    "меньше": "LESS_THAN", "не менее": "EQUAL_OR_MORE", "не более": "EQUAL_OR_LESS", "до": "EQUAL_OR_LESS",
}  # fmt: skip
YEAR_RU = r"(?P<year>1[0-9]{3}|20[0-9]{2})"
YEAR_WORD = r"(?:\s*(?:года|году|год|г\.|гг\.))"

RULES = Rules()
ru_rule = RULES.add


def _month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    for abbr, n in (
        ("янв", 1),
        ("фев", 2),
        ("апр", 4),
        ("авг", 8),
        ("сен", 9),
        ("окт", 10),
        ("ноя", 11),
        ("дек", 12),
    ):
        if w.startswith(abbr):
            return n
    for stem, n in sorted(MONTH_STEMS.items(), key=lambda kv: -len(kv[0])):
        if w.startswith(stem):
            return n
    return None


def _unit(word: str) -> str:
    w = word.lower()
    return next(unit for prefix, unit in _UNIT_KEYS if w.startswith(prefix))


def _num(word: str) -> float | None:
    w = word.lower().replace(",", ".")
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    return NUMBERS_RU.get(w)


def _sem(kind: str, match: re.Match, /, start: int | None = None, end: int | None = None, mod: str | None = None,
         **data) -> Sem:  # fmt: skip
    return Sem(
        kind, match.start() if start is None else start, match.end() if end is None else end, data, mod
    )


# ---- calendar dates ---------------------------------------------------------------------------------


@ru_rule(
    rf"(?<![\d.])(?P<day>[12]\d|3[01]|0?[1-9])(?:-?(?:го|е))?\s+{MONTH_RU}(?:\s+{YEAR_RU}{YEAR_WORD}?)?(?!\w)"
)
def day_month(m: re.Match, text: str) -> Sem | None:
    mon = _month(m.group("mon"))
    day = int(m.group("day"))
    year = int(m.group("year")) if m.group("year") else None
    if mon is None or safe_date(year or 2000, mon, day) is None:
        return None
    return _sem("ymd", m, y=year, m=mon, d=day)


@ru_rule(rf"(?<!\d\s){MONTH_RU}\s+{YEAR_RU}{YEAR_WORD}?(?!\w)")
def month_year(m: re.Match, text: str) -> Sem | None:
    mon = _month(m.group("mon"))
    return _sem("ymd", m, y=int(m.group("year")), m=mon, d=None) if mon else None


@ru_rule(
    r"\b(?P<prep>в|во|с|со|до|к|по|от|из|до\s+конца|с\s+начала|начиная\s+с)\s+(?P<rel>прошлом|прошлого|этом|этого|"
    r"следующем|следующего|будущем|будущего|текущем|текущего|нынешнем|нынешнего)?\s*"
    r"(?P<mon>январ[ьяюе]|феврал[ьяюе]|март[ауе]?|апрел[ьяюе]|ма[йяюе]|июн[ьяюе]|июл[ьяюе]|август[ауе]?|"
    r"сентябр[ьяюе]|октябр[ьяюе]|ноябр[ьяюе]|декабр[ьяюе])(?!\w)"
)
def month_alone(m: re.Match, text: str) -> Sem | None:
    mon = _month(m.group("mon"))
    if mon is None:
        return None
    rel = (m.group("rel") or "").lower()
    pre = None
    if rel.startswith("прошл"):
        pre = "last"
    elif rel.startswith(("следующ", "будущ")):
        pre = "next"
    elif rel:
        pre = "this"
    start = m.start("rel") if m.group("rel") else m.start("mon")
    return _sem("month", m, start=start, m=mon, rel=None, pre=pre)


@ru_rule(
    rf"\b(?P<mod>начал[аеуо]|конц[аеуы]|середин[аеуы]|перв\w+\s+половин\w+|втор\w+\s+половин\w+)\s+{MONTH_RU}(?:\s+{YEAR_RU}{YEAR_WORD}?)?(?!\w)"
)
def part_of_month(m: re.Match, text: str) -> Sem | None:
    mon = _month(m.group("mon"))
    if mon is None:
        return None
    word = m.group("mod").lower()
    mod = "START" if word.startswith(("начал", "перв")) else "MID" if word.startswith("середин") else "END"
    if m.group("year"):
        return _sem("ymd", m, mod=mod, y=int(m.group("year")), m=mon, d=None)
    return _sem("month", m, mod=mod, m=mon, rel=None, pre=None)


@ru_rule(rf"(?<![\d.,])(?P<y>1[0-9]{{3}}|20[0-9]{{2}})(?P<suffix>{YEAR_WORD}|(?=\s*(?:[,.;:)]|$)))(?!\w)")
def year(m: re.Match, text: str) -> Sem | None:
    before = text[max(0, m.start() - 12) : m.start()].lower()
    if not m.group("suffix").strip() and not re.search(
        r"(?:^|\s)(?:в|с|до|к|по|от|из|году|начала|конца)\s*$", before
    ):
        return None
    return _sem("year", m, y=int(m.group("y")))


@ru_rule(
    r"(?<![\d.])(?P<y>(?:1[0-9])?[0-9]0)-?(?:х|е|x)(?:\s+(?:годов|годах|годы|гг\.))?(?!\w)|"
    r"\b(?P<w>двадцат|тридцат|сороков|пятидесят|шестидесят|семидесят|восьмидесят|девяност)(?:ые|ых)(?:\s+(?:годов|годах|годы))?"
)
def decade(m: re.Match, text: str) -> Sem | None:
    if m.group("w"):
        word = m.group("w").lower()
        value = {"двадцат": 2, "тридцат": 3, "сороков": 4, "пятидесят": 5, "шестидесят": 6, "семидесят": 7,
                 "восьмидесят": 8, "девяност": 9}[word]  # fmt: skip
        return _sem("decade", m, word=value)
    y = m.group("y")
    if len(y) == 4:
        return _sem("decade", m, d3=int(y) // 10)
    return _sem("decade", m, word=int(y) // 10)


_ROMAN = {"XIX": 19, "XX": 20, "XXI": 21, "XVIII": 18, "XVII": 17, "XXII": 22}


@ru_rule(
    r"\b(?P<n>XVIII|XVII|XIX|XXII|XXI|XX|\d{1,2})(?:-?(?:го|й|м))?\s+(?:век|века|веке|столетия|столетии)\b"
)
def century(m: re.Match, text: str) -> Sem | None:
    n = _ROMAN.get(m.group("n").upper()) if not m.group("n").isdigit() else int(m.group("n"))
    if not n or not 1 <= n <= 22:
        return None
    return _sem("century", m, c=n - 1, rel=None)


# ---- relative expressions ---------------------------------------------------------------------------


@ru_rule(
    r"\b(?P<w>позавчера|вчера|сегодня|завтра|послезавтра|сейчас|ныне|в\s+настоящее\s+время|на\s+данный\s+момент|"
    r"в\s+данный\s+момент|недавно|ранее|в\s+прошлом|в\s+будущем|в\s+ближайшем\s+будущем|в\s+ближайшее\s+время)"
    r"(?:\s+(?P<part>утром|днем|днём|вечером|ночью))?(?!\w)"
)
def deictic(m: re.Match, text: str) -> Sem | None:
    w = re.sub(r"\s+", " ", m.group("w").lower())
    part = {"утром": "MO", "днем": "AF", "днём": "AF", "вечером": "EV", "ночью": "NI"}.get(
        (m.group("part") or "").lower()
    )
    offsets = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
    if w in offsets:
        return _sem("deictic", m, offset=offsets[w], part=part, word=w)
    start = m.start() + (len(w.split()[0]) + 1 if w.startswith(("в ", "на ")) else 0)
    end = m.end("w")
    if w in {"сейчас", "ныне", "в настоящее время", "на данный момент", "в данный момент"}:
        return _sem("ref", m, start=start, end=end, value="PRESENT_REF")
    if w in {"недавно", "в прошлом"}:
        return _sem("ref", m, start=start, end=end, value="PAST_REF")
    if w == "ранее":
        return None
    return _sem("ref", m, start=start, end=end, value="FUTURE_REF")


@ru_rule(
    r"\b(?P<rel>этой|прошлой|минувшей|вчерашней)\s+(?P<part>ночью|ночи)\b|\b(?P<rel2>этим|вчерашним)\s+(?P<part2>утром|вечером)\b"
)
def part_of_day(m: re.Match, text: str) -> Sem:
    rel = (m.group("rel") or m.group("rel2")).lower()
    part = "NI" if m.group("part") else ("MO" if m.group("part2").lower().startswith("утр") else "EV")
    offset = -1 if rel in {"прошлой", "минувшей", "вчерашней", "вчерашним"} else 0
    return _sem("deictic", m, offset=offset, part=part, word="this")


@ru_rule(
    rf"\b(?:(?P<prep>в|во)\s+)?(?:(?P<rel>прошл\w+|минувш\w+|следующ\w+|ближайш\w+|эт\w+|будущ\w+)\s+)?{WEEKDAY_RU}(?!\w)"
)
def weekday(m: re.Match, text: str) -> Sem | None:
    word = m.group("wd").lower()
    wd = next(v for k, v in _WD_STEMS.items() if word.startswith(k))
    rel_word = (m.group("rel") or "").lower()
    bare = not m.group("prep") and not rel_word and not re.match(r"\s*,?\s*\d", text[m.end() : m.end() + 4])
    if bare and word.endswith(("а", "у")) and not word.startswith(("сред", "пятниц", "суббот")):
        return None  # "вторника", "понедельнику" without a preposition: rarely a date by itself
    rel = None
    if rel_word.startswith(("прошл", "минувш")):
        rel = "last"
    elif rel_word.startswith(("следующ", "ближайш", "будущ")):
        rel = "next"
    elif rel_word.startswith("эт"):
        rel = "this"
    start = m.start("rel") if m.group("rel") else m.start("wd")
    return _sem("weekday", m, start=start, wd=wd, rel=rel, part=None)


@ru_rule(
    r"\b(?P<rel>прошл\w+|минувш\w+|эт\w+|текущ\w+|нынешн\w+|следующ\w+|будущ\w+|предыдущ\w+|наступающ\w+|"
    r"уходящ\w+)\s+(?P<unit>недел[еиюя]|месяц[ае]?|год[ау]?|квартал[ае]?|выходн\w+)(?!\w)"
)
def relative_unit(m: re.Match, text: str) -> Sem | None:
    rel = m.group("rel").lower()
    unit_word = m.group("unit").lower()
    if unit_word.startswith("выходн"):
        unit = "weekend"
    else:
        unit = {"н": "week", "м": "month", "г": "year", "к": "quarter"}[unit_word[0]]
    if rel.startswith(("прошл", "минувш", "предыдущ")):
        n = -1
    elif rel.startswith(("следующ", "будущ", "наступающ")):
        n = 1
    elif rel.startswith(("эт", "текущ", "нынешн", "уходящ")):
        n = 0
    else:
        return None
    if unit == "weekend" and n == 0:
        return _sem("weekend", m)
    return _sem("rel", m, unit=unit, n=n, base="anchor")


def ago(m: re.Match, text: str) -> Sem | None:
    num = m.group("num")
    n = _num(num) if num else 1
    if num and n is None and not re.fullmatch(VAGUE_RU, num, FLAGS):
        return None
    unit = _unit(m.group("unit"))
    direction = (m.group("dir") or "через").lower()
    sign = 1 if direction in {"через", "спустя"} else -1
    base = "ref" if direction == "спустя" else "anchor"
    mod = _MODS_RU.get((m.group("mod") or "").lower())
    return _sem(
        "ago", m, mod=mod, n=n if num is None or n is not None else None, unit=unit, sign=sign, base=base
    )


@ru_rule(
    rf"\b(?:(?P<mod>около|примерно|почти|более|менее)\s+)?(?:{NUM_RU}\s+)?{UNIT_RU}\s+(?P<dir>назад|тому\s+назад|спустя)(?!\w)"
)
def ago_back(m: re.Match, text: str) -> Sem | None:
    return ago(m, text)


@ru_rule(rf"\bчерез\s+(?:{NUM_RU}\s+)?{UNIT_RU}(?!\w)")
def ago_ahead(m: re.Match, text: str) -> Sem | None:
    num = m.group("num")
    n = _num(num) if num else 1
    return _sem("ago", m, n=n, unit=_unit(m.group("unit")), sign=1, base="anchor")


# ---- durations and sets -------------------------------------------------------------------------------


@ru_rule(
    rf"\b(?:(?P<mod>около|примерно|почти|более|больше|свыше|менее|меньше|не\s+менее|не\s+более)\s+)?"
    rf"{NUM_RU}(?:\s*(?:-|–|—|до)\s*(?P<num2>\d+|{'|'.join(NUMBERS_RU)}))?\s+{UNIT_RU}(?!\w)"
)
def duration(m: re.Match, text: str) -> Sem | None:
    unit = _unit(m.group("unit"))
    num = m.group("num").lower()
    n = _num(num)
    if n is None and not re.fullmatch(VAGUE_RU, num, FLAGS):
        return None
    if n is not None and (n > 10000 or (unit == "year" and n >= 1000)):
        return None  # "1994 году" is a year, not a duration
    mod = _MODS_RU.get(re.sub(r"\s+", " ", (m.group("mod") or "").lower()))
    if m.group("num2"):
        n2 = _num(m.group("num2"))
        if n is None or n2 is None or n2 <= n:
            return None
        mod = "EQUAL_OR_MORE"
    if num in {"пару", "пары"}:
        n, mod = 2, mod or "APPROX"
    if n is not None and unit == "year" and re.match(r"\s*(?:назад|тому)", text[m.end() : m.end() + 8]):
        return None
    return _sem("duration", m, mod=mod, value=duration_value(n if n is None or n != int(n) else int(n), unit))


@ru_rule(
    r"\b(?P<w>ежедневно|еженедельно|ежемесячно|ежегодно|ежечасно|ежеквартально)\b|"
    r"\b(?P<every>кажд\w+)\s+(?P<unit>день|неделю|месяц|год|час|квартал|утро|вечер|ночь)\b"
)
def every(m: re.Match, text: str) -> Sem:
    if m.group("w"):
        value = {"ежедневно": "P1D", "еженедельно": "P1W", "ежемесячно": "P1M", "ежегодно": "P1Y",
                 "ежечасно": "PT1H", "ежеквартально": "P3M"}[m.group("w").lower()]  # fmt: skip
    else:
        value = {"день": "P1D", "неделю": "P1W", "месяц": "P1M", "год": "P1Y", "час": "PT1H", "квартал": "P3M",
                 "утро": "XXXX-XX-XXTMO", "вечер": "XXXX-XX-XXTEV", "ночь": "XXXX-XX-XXTNI"}[m.group("unit").lower()]  # fmt: skip
    return _sem("set", m, value=value, gran="set")


@ru_rule(
    r"\b(?P<rel>этой|прошлой|следующей|нынешней|прошлым|этим|следующим)?\s*(?P<s>весн[аеойу]|лет[аоем]|летом|осен[ьию]|осенью|зим[аеойуы]|весной|зимой)\b"
)
def season(m: re.Match, text: str) -> Sem | None:
    word = m.group("s").lower()
    rel_word = (m.group("rel") or "").lower()
    s = (
        "SP"
        if word.startswith("весн")
        else "SU"
        if word.startswith("лет")
        else "FA"
        if word.startswith("осен")
        else "WI"
    )
    if not rel_word and word not in {"весной", "летом", "осенью", "зимой"}:
        return None
    if word.startswith("лет") and word not in {"летом", "лета", "лето"}:
        return None
    rel = -1 if rel_word.startswith("прошл") else 1 if rel_word.startswith("следующ") else 0
    start = m.start("rel") if m.group("rel") else m.start("s")
    return _sem("season", m, start=start, s=s, y=None, rel=rel, base="anchor")


# ---- times of day -----------------------------------------------------------------------------------------


@ru_rule(
    r"\b(?:в|к|около|до|с)\s+(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?!\d)(?:\s+(?:по\s+)?(?:московскому|местному)\s+времени|\s+мск)?"
)
def clock(m: re.Match, text: str) -> Sem:
    return _sem("time", m, start=m.start("h"), h=int(m.group("h")), mi=int(m.group("mi")))


@ru_rule(r"\b(?P<h>[1-9]|1[0-2])\s+час(?:а|ов)?\s+(?P<part>утра|дня|вечера|ночи)\b")
def clock_words(m: re.Match, text: str) -> Sem:
    h = int(m.group("h"))
    part = m.group("part").lower()
    if part in {"дня", "вечера"} and h < 12:
        h += 12
    if part == "ночи" and h == 12:
        h = 0
    return _sem("time", m, h=h, mi=0)


@ru_rule(r"\b(?P<w>полночь|полдень)\b")
def named_time(m: re.Match, text: str) -> Sem:
    if m.group("w").lower() == "полдень":
        return _sem("time", m, h=12, mi=0)
    return _sem("time", m, h=24, mi=None, midnight=True)


# ---- modifiers ("в конце сентября", "с начала года", "в ночь на 1 декабря") ---------------------------

_PREFIX_RU = re.compile(
    r"(?P<mod>начал[аеуо]|конц[аеуы]|середин[аеуы]|перв\w+\s+половин\w+|втор\w+\s+половин\w+|"
    r"перв\w+\s+(?:дн\w+|недел\w+|числ\w+)|последн\w+\s+(?:дн\w+|недел\w+|числ\w+))\s+$",
    FLAGS,
)
_YEAR_GENITIVE = re.compile(
    r"\b(?P<mod>начал[аеуо]|конц[аеуы]|середин[аеуы])\s+(?P<what>года|месяца|недели|века)\b", FLAGS
)


def _absorb_ru(text: str, sems: list[Sem]) -> None:
    for s in sems:
        window = text[max(0, s.start - 40) : s.start]
        pm = _PREFIX_RU.search(window)
        if pm and s.kind in {"ymd", "month", "year", "decade", "century", "rel", "season"} and s.mod is None:
            word = pm.group("mod").lower()
            s.mod = (
                "START"
                if word.startswith(("начал", "перв"))
                else "MID"
                if word.startswith("середин")
                else "END"
            )
            s.start -= len(window) - pm.start()
        night = re.search(r"\bночь\s+на\s+$", window, FLAGS)
        if night and s.kind == "ymd" and s.data.get("d"):
            s.data["night_before"] = True
            s.start -= len(window) - night.start()


@ru_rule(
    r"\b(?P<mod>начал[аеуо]|конц[аеуы]|середин[аеуы])\s+(?P<what>(?:этого\s+|прошлого\s+|текущего\s+)?(?:года|месяца|недели))\b"
)
def start_of_unit(m: re.Match, text: str) -> Sem:
    word = m.group("mod").lower()
    what = m.group("what").lower()
    unit = "year" if "год" in what else "month" if "месяц" in what else "week"
    n = -1 if "прошл" in what else 0
    mod = "START" if word.startswith("начал") else "MID" if word.startswith("середин") else "END"
    return _sem("rel", m, mod=mod, unit=unit, n=n, base="anchor")


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


def _weekday_of(word: str) -> int | None:
    w = word.lower()
    return next((v for k, v in _WD_STEMS.items() if w.startswith(k)), None)


GRAMMAR = Grammar(
    code="ru",
    rules=RULES + neutral_rules("dmy"),
    absorb=_absorb_ru,
    future=_FUTURE_RU,
    past=_PAST_RU,
    weekday_word=re.compile(
        r"(?i)\b(?P<wd>понедельник|вторник|сред[ауы]|четверг|пятниц[аыу]|суббот[аыу]|воскресень[ея])"
    ),
    weekday_of=_weekday_of,
)
