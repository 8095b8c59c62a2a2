"""Quantities in news text: numbers with what they count, their unit and any hedge.

Reports disagree most visibly on numbers ("over 25,000 refugees" against "some 20,000"),
so the fusion layer needs each number with its unit, the thing counted and the hedge.

Conventions, shared with whoever compares quantities across reports:

- ``value`` is a float; a range fills ``value_high`` too ("10-13 years", "between 2 and 3 million").
- ``approx`` is one of: ``over`` ("over", "more than", "более"), ``at_least`` ("at least", "не менее"),
  ``about`` ("some", "around", "около"), ``nearly`` ("nearly", "almost", "почти": a little below
  the value), ``under`` ("less than", "менее"), ``up_to`` ("up to", "as many as", "до").
- Vague plurals give their lower bound, twice the unit, with approx ``at_least``: "dozens of" = 24,
  "hundreds of" = 200, "thousands" = 2,000, "tens of thousands" = 20,000, "hundreds of thousands"
  = 200,000. "several hundred" = 300 and "a few thousand" = 2,000, also ``at_least``. An explicit
  hedge wins: "about a dozen" is 12, ``about``.
- Fractions of a whole are percentages: "more than half" = 50 (unit ``%``, ``over``),
  "two-thirds of" = 66.67 %.
- Money is in units of the currency: "$3.5 billion" = 3.5e9, unit ``USD``.
- Units are short canonical names: km, m, km2, ha, kg, t, %, year, month, week, day, hour, minute,
  USD, EUR, GBP, RUB, ...; ``counted`` is the head noun as written ("peacekeepers"); its modifiers
  ("Russian") are inside the span.

Not quantities: years ("in 1994"; a 4-digit 1000-2100 number counts only when a plural noun
follows: "2000 soldiers"), days next to a month, numeric dates, times of day, ordinals, phone
numbers, identifiers ("Resolution 2334", "F-16", "No. 5") and relative times ("three years ago").
"""

from __future__ import annotations

import re
from typing import Any

from storyline.models import Quantity

# --- word lists (generic English and Russian vocabulary) -------------------------------------


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_EN_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "mln": 1e6, "mn": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12, "trn": 1e12,
    "сто": 100, "тыс": 1e3, "тысяча": 1e3, "тысячи": 1e3, "тысяч": 1e3, "тысячу": 1e3,
    "тысячей": 1e3, "тысячам": 1e3, "тысячами": 1e3, "тысячах": 1e3,
    "млн": 1e6, "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6, "миллионам": 1e6,
    "миллионами": 1e6, "миллионах": 1e6,
    "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "миллиардам": 1e9,
    "миллиардами": 1e9, "трлн": 1e12, "триллион": 1e12, "триллиона": 1e12, "триллионов": 1e12,
}  # fmt: skip
# One-letter scales only after a currency: "$20m", "€3bn", "$50k" (otherwise "20m" is metres).
_CURRENCY_SCALES = {"m": 1e6, "b": 1e9, "k": 1e3}
# Singular scale words that may stand alone as a number in Russian ("тысяча человек").
_RU_SCALE_ALONE = {"тысяча": 1e3, "миллион": 1e6, "миллиард": 1e9}


def _ru_number_words() -> dict[str, float]:
    """Inflected forms of Russian cardinals (generic grammar, generated once)."""
    forms: dict[str, float] = {}
    table = {
        2: "два две двух двум двумя", 3: "три трёх трех трём трем тремя",
        4: "четыре четырёх четырех четырём четырем четырьмя",
        40: "сорок сорока", 90: "девяносто девяноста", 100: "сто ста",
        200: "двести двухсот двумстам", 300: "триста трёхсот трехсот", 400: "четыреста четырёхсот четырехсот",
    }  # fmt: skip
    for value, words in table.items():
        for w in words.split():
            forms[w] = value
    soft = {
        5: "пять", 6: "шесть", 7: "семь", 8: "восемь", 9: "девять", 10: "десять",
        11: "одиннадцать", 12: "двенадцать", 13: "тринадцать", 14: "четырнадцать", 15: "пятнадцать",
        16: "шестнадцать", 17: "семнадцать", 18: "восемнадцать", 19: "девятнадцать",
        20: "двадцать", 30: "тридцать",
    }  # fmt: skip
    for value, w in soft.items():  # пять, пяти, пятью
        forms[w] = value
        forms[w[:-1] + "и"] = value
        forms[w[:-1] + "ью"] = value
    forms["восьми"] = 8
    forms["восемью"] = 8
    for value, w, obl in ((50, "пятьдесят", "пятидесяти"), (60, "шестьдесят", "шестидесяти"),
                          (70, "семьдесят", "семидесяти"), (80, "восемьдесят", "восьмидесяти")):  # fmt: skip
        forms[w] = value
        forms[obl] = value
    for value, w, gen in ((500, "пятьсот", "пятисот"), (600, "шестьсот", "шестисот"),
                          (700, "семьсот", "семисот"), (800, "восемьсот", "восьмисот"),
                          (900, "девятьсот", "девятисот")):  # fmt: skip
        forms[w] = value
        forms[gen] = value
    return forms


_RU_NUMBERS = _ru_number_words()
# "один" only inside a longer number ("одна тысяча", "двадцать один"): alone it is usually a pronoun.
_RU_ONE = {w: 1 for w in ["один", "одна", "одно", "одного", "одной", "одному", "одним", "одну", "одном"]}

# Vague plurals: unit of the plural; the value is twice the unit (see module docstring).
_VAGUE = {
    "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9,
    "десятки": 10, "десятков": 10, "десятками": 10, "сотни": 100, "сотен": 100, "сотнями": 100,
    "тысячи": 1e3, "тысячами": 1e3, "миллионы": 1e6, "миллионами": 1e6, "миллиарды": 1e9,
}  # fmt: skip
# Words that multiply a following scale: "several hundred", "a few thousand", "несколько тысяч".
_FEW = {
    ("several",): 3, ("a", "few"): 2, ("a", "couple", "of"): 2, ("many",): 2,
    ("несколько",): 3, ("нескольких",): 3, ("несколькими",): 3,
}  # fmt: skip

_FRACTIONS = {
    ("half",): 50.0, ("a", "half"): 50.0, ("a", "third"): 100 / 3, ("one", "third"): 100 / 3,
    ("one", "-", "third"): 100 / 3, ("two", "thirds"): 200 / 3, ("two", "-", "thirds"): 200 / 3,
    ("a", "quarter"): 25.0, ("one", "quarter"): 25.0, ("one", "-", "quarter"): 25.0,
    ("three", "quarters"): 75.0, ("three", "-", "quarters"): 75.0,
    ("половина",): 50.0, ("половины",): 50.0, ("половину",): 50.0, ("треть",): 100 / 3,
    ("трети",): 100 / 3, ("две", "трети"): 200 / 3, ("четверть",): 25.0, ("четверти",): 25.0,
}  # fmt: skip

_APPROX = {
    "over": ["over", "more than", "above", "in excess of", "upwards of", "exceeding", "just over",
             "well over", "slightly more than", "a little over", "more then",
             "более", "свыше", "больше", "более чем", "больше чем", "чуть более", "чуть больше"],
    "at_least": ["at least", "no fewer than", "no less than", "not less than", "a minimum of",
                 "не менее", "не меньше", "по меньшей мере", "по крайней мере", "как минимум", "минимум"],
    "about": ["about", "around", "some", "approximately", "roughly", "an estimated", "estimated",
              "circa", "approx", "~", "около", "примерно", "приблизительно", "порядка", "ориентировочно"],
    "nearly": ["nearly", "almost", "close to", "just under", "just shy of", "approaching",
               "почти", "без малого", "чуть менее", "чуть меньше"],
    "under": ["under", "less than", "fewer than", "below", "менее", "меньше", "менее чем", "меньше чем"],
    "up_to": ["up to", "as many as", "at most", "no more than", "not more than", "a maximum of",
              "as much as", "до", "не более", "не больше", "максимум", "вплоть до"],
}  # fmt: skip
_APPROX_PHRASES = {tuple(p.split()): kind for kind, phrases in _APPROX.items() for p in phrases}
_APPROX_MAX = max(len(k) for k in _APPROX_PHRASES)
_APPROX_AFTER = {
    ("or", "more"): "at_least", ("or", "so"): "about", ("-", "plus"): "at_least", ("-", "odd"): "about",
    ("odd",): "about", ("plus",): "at_least", ("с", "лишним"): "over", ("с", "небольшим"): "over",
}  # fmt: skip
_APPROX_AFTER_MAX = 2

_UNITS = {
    "km": "km", "kms": "km", "kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km",
    "mi": "mi", "mile": "mi", "miles": "mi", "m": "m", "meter": "m", "meters": "m", "metre": "m",
    "metres": "m", "cm": "cm", "mm": "mm", "ft": "ft", "feet": "ft", "foot": "ft",
    "sq km": "km2", "sq. km": "km2", "square kilometers": "km2", "square kilometres": "km2", "km2": "km2",
    "km²": "km2", "square miles": "mi2", "sq mi": "mi2", "hectares": "ha", "hectare": "ha", "ha": "ha",
    "acres": "acre", "acre": "acre", "kg": "kg", "kilograms": "kg", "kilogrammes": "kg", "kilos": "kg",
    "lb": "lb", "lbs": "lb", "tonnes": "t", "tons": "t", "tonne": "t", "ton": "t", "metric tons": "t", "metric tonnes": "t",
    "barrels": "bbl",
    "%": "%", "percent": "%", "per cent": "%", "pc": "%", "percentage points": "pp",
    "years": "year", "year": "year", "yrs": "year", "months": "month", "month": "month",
    "weeks": "week", "week": "week", "days": "day", "day": "day", "hours": "hour", "hour": "hour",
    "hrs": "hour", "minutes": "minute", "minute": "minute", "mins": "minute",
    "dollars": "USD", "us dollars": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR", "eur": "EUR",
    "pounds sterling": "GBP", "gbp": "GBP", "rubles": "RUB", "roubles": "RUB", "rub": "RUB",
    "yuan": "CNY", "yen": "JPY", "rupees": "INR",
    "км": "km", "километров": "km", "километра": "km", "километр": "km", "метров": "m", "метра": "m",
    "кв км": "km2", "кв. км": "km2", "квадратных километров": "km2", "гектаров": "ha", "га": "ha",
    "тонн": "t", "тонны": "t", "кг": "kg", "килограммов": "kg",
    "процентов": "%", "процента": "%", "процент": "%", "проц": "%",
    "лет": "year", "года": "year", "год": "year", "году": "year", "годы": "year", "месяцев": "month",
    "месяца": "month", "недель": "week", "недели": "week", "дней": "day", "дня": "day", "день": "day",
    "суток": "day", "часов": "hour", "часа": "hour", "минут": "minute", "минуты": "minute",
    "рублей": "RUB", "рубля": "RUB", "рубль": "RUB", "руб": "RUB", "долларов": "USD", "доллара": "USD",
    "доллар": "USD", "долл": "USD", "евро": "EUR",
}  # fmt: skip
_UNIT_PHRASES = {tuple(re.findall(r"[^\W\d_]+|\S", name)): unit for name, unit in _UNITS.items()}
_UNIT_MAX = max(len(k) for k in _UNIT_PHRASES)
_TIME_UNITS = {"year", "month", "week", "day", "hour", "minute"}
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "¥": "JPY", "₹": "INR"}
_CURRENCY_CODES = {"usd": "USD", "eur": "EUR", "gbp": "GBP", "rub": "RUB"}
_CURRENCIES = {"USD", "EUR", "GBP", "RUB", "CNY", "JPY", "INR"}
_DIMENSIONS = {"long", "wide", "high", "deep", "tall", "thick", "strong", "длиной", "шириной", "высотой", "глубиной"}
_RELATIVE_AFTER = {"ago", "later", "earlier", "назад", "спустя"}

_MONTHS = _words(
    "january february march april may june july august september october november december jan "
    "feb mar apr jun jul aug sep sept oct nov dec января февраля марта апреля мая июня июля "
    "августа сентября октября ноября декабря январь февраль март апрель май июнь июль август "
    "сентябрь октябрь ноябрь декабрь январе феврале марте апреле мае июне июле августе сентябре "
    "октябре ноябре декабре"
)
_WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
# Words before a year ("in 1994", "since 2001", "в 1994").
_YEAR_BEFORE = _words(
    "in since until till by before after during from of year early late mid through circa c в с "
    "до по к от года году"
)
# Nouns that make the following number an identifier: "article 5", "resolution 2334", "flight 17".
_ID_NOUNS = _words(
    "no nr number article resolution section chapter page paragraph item point line unit room "
    "block building gate platform terminal phase stage round level grade category class type "
    "model version vol volume part episode season channel bus flight route highway road apartment "
    "house tier № номер статья статьи статье статьей пункт пункта части часть глава главы рейс "
    "рейса"
)
# Capitalised words that may stand right before a count without making it an identifier.
_FUNCTION = _words(
    "the a an and but or nor only all another some those these its his her their our my your with "
    "of for at in on by from to as than when while after before since just still yet even nearly "
    "about around over under up least more most less fewer almost roughly approximately some then "
    "also including include includes included per each every both whom which who that this there "
    "total totalling totaling killing kill killed wounding leaving left among between another и а "
    "но или в во на с со из к от до по за для у о об около более свыше почти примерно всего лишь "
    "только еще ещё уже также"
)
# Words that cannot be the counted noun: grammar words and common verbs.
_STOP = _words(
    "the a an and but or nor of for at in on by from to as than that this these those it its they "
    "them he she we you i his her their our who which what when where while with without into "
    "onto over under about after before since during per is are was were be been being am has "
    "have had do does did will would shall should can could may might must said says say told "
    "tell also not no yes so such very more most less least other another each every all both "
    "some any many few several same only just even still yet already again there here then than "
    "out off up down because if though although whether against between among through across near "
    "around toward towards via until till onto upon ago later earlier away back fled went came worth "
    "first last next previous following short "
    "got took made и а но или в во на с со из к от до по за для у о об при над под не ни что как "
    "это был была были было будет будут есть его ее её их он она они мы вы я так же ли бы уже ещё "
    "еще также"
)
# Irregular English plurals that do not end in -s (for the year rule and compounds).
_PLURALS = _words("people men women children police personnel troops cattle sheep fish staff militia")
# Suffixes and words of English adjectives, skipped on the way to the counted noun.
_EN_ADJ_SUFFIX = ("al", "ic", "ive", "ous", "ful", "less", "ary", "ian", "ese", "ish", "ent", "ant", "able", "ible")
_EN_ADJECTIVES = _words(
    "new old other more additional young small large big local foreign former armed civilian many "
    "further extra fresh total unarmed unidentified unknown elderly single separate estimated "
    "reported registered confirmed alleged suspected"
)
_RU_ADJ_ENDINGS = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ого", "его",
                   "ому", "ему", "ым", "им", "ую", "юю", "ыми", "ими")  # fmt: skip

# --- patterns, compiled once ----------------------------------------------------------------

_SPACE_DIGITS = "\u00a0\u202f\u2009"
# Words include dotted initialisms ("U.S.") so that they read as one modifier.
_WORD = r"((?:[A-Z]\.){2,}|[^\W\d_]+(?:['’][^\W\d_]+)*)"
_TOKEN_EN = re.compile(rf"(\d{{1,3}}(?:[{_SPACE_DIGITS}]\d{{3}})+(?!\d)|\d+(?:[.,]\d+)*)|{_WORD}|(\S)")
# Russian also groups thousands with a plain space: "25 000".
_TOKEN_RU = re.compile(rf"(\d{{1,3}}(?:[ {_SPACE_DIGITS}]\d{{3}})+(?![\d.,])|\d+(?:[.,]\d+)*)|{_WORD}|(\S)")
_CYRILLIC = re.compile(r"[а-яё]", re.I)
# Fast path: text with no digit and no number-ish word holds no quantity.
_ANY_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand|million|billion|dozen|scores|half|third|quarter)|"
    r"(?:дв|тр|четыр|пят|шест|сем|вос|девя|десят|сорок|сто|ста|тысяч|миллион|миллиард|несколь|"
    r"половин|трет|четверт|сот)",
    re.I,
)
# Spans that hold digits but no quantity: phone numbers, numeric dates, versions, times of day.
_NOT_QUANTITY = re.compile(
    r"\+\d[\d\s().-]{6,}\d"  # +7 495 123-45-67
    r"|\(\d{2,5}\)\s?\d{2,4}(?:[\s.-]\d{2,4})+"  # (202) 555-0143
    r"|(?<![\d.,])\d{1,4}(?:[./-]\d{1,4}){2,}(?![\d])"  # 2020-12-01, 12.05.2020, 123-45-67, 1.2.3
    r"|(?<![\d.,])\d{1,2}/\d{1,2}(?![\d/])"  # 12/5, 24/7
    r"|(?<![\d.,])\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?(?!\w))?"  # 10:30, 10:30 p.m.
    r"|(?<![\d.,])\d{1,2}(?:[.]\d{2})?\s*[ap]\.?m\.?(?!\w)"  # 5 pm, 5.30 a.m.
    r"|(?<![\d.,])\d{3,4}\s*(?:gmt|utc|hrs)\b"  # 0800 GMT
    r"|(?<![\d.,])\d{1,2}\s*o['’]clock",
    re.I,
)
_ID_BEFORE = re.compile(r"(?:№|#|\bno\.?|\bnr\.?|\bnos\.?)\s*$", re.I)


class _Toks:
    """The text cut into numbers, words and single symbols, with lower-cased forms."""

    __slots__ = ("text", "starts", "ends", "kinds", "lows")

    def __init__(self, text: str, pattern: re.Pattern[str]) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.kinds: list[str] = []  # "n" number, "w" word, "s" symbol
        self.lows: list[str] = []
        for m in pattern.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.kinds.append("n" if m.group(1) else "w" if m.group(2) else "s")
            self.lows.append(m.group().lower())

    def __len__(self) -> int:
        return len(self.lows)

    def low(self, k: int) -> str:
        return self.lows[k] if 0 <= k < len(self.lows) else ""

    def adjacent(self, k: int) -> bool:
        """Token k touches token k-1 (no space between)."""
        return 0 < k < len(self.lows) and self.starts[k] == self.ends[k - 1]

    def word(self, k: int) -> str:
        return self.text[self.starts[k] : self.ends[k]]


def _digits_value(raw: str, russian: bool) -> tuple[float, bool] | None:
    """Value of a digit token and whether it carries separators/decimals (then it is no year or day)."""
    s = raw
    for ch in " " + _SPACE_DIGITS:
        s = s.replace(ch, "")
    grouped = s != raw
    if "," in s and "." in s:
        if s.index(",") < s.index("."):  # 1,234.5
            head, _, frac = s.partition(".")
            parts = head.split(",")
            if not all(len(p) == 3 for p in parts[1:]) or "," in frac or "." in frac:
                return None
            return float(head.replace(",", "") + "." + frac), True
        head, _, frac = s.partition(",")  # 1.234,5
        parts = head.split(".")
        if not all(len(p) == 3 for p in parts[1:]) or "." in frac:
            return None
        return float(head.replace(".", "") + "." + frac), True
    if "," in s:
        parts = s.split(",")
        if len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]) and not (russian and len(parts) == 2):
            return float(s.replace(",", "")), True
        if len(parts) == 2 and (russian or len(parts[1]) != 3):
            if not russian:
                return None  # "1,5" in English is no number we can read
            return float(parts[0] + "." + parts[1]), True
        return None
    if "." in s:
        if s.count(".") > 1:
            return None
        return float(s), True
    return float(s), grouped


class _Num:
    """One number read at a token: its value, the tokens it spans and how it was written."""

    __slots__ = ("i", "j", "value", "scale", "plain", "spelled", "vague", "fraction", "lone_one")

    def __init__(self, i: int, j: int, value: float) -> None:
        self.i = i
        self.j = j
        self.value = value
        self.scale = 1.0  # multiplier from a scale word: "3.5 billion" -> 1e9
        self.plain = False  # bare integer digits: may be a year or a day of the month
        self.spelled = False
        self.vague = False  # "dozens", "several hundred": a lower bound
        self.fraction = False
        self.lone_one = False  # "one" standing alone, often a pronoun


def _read_spelled(t: _Toks, i: int, russian: bool) -> _Num | None:
    """Spelled-out cardinals: "two thousand", "twenty-five", "a dozen", "двух тысяч"."""
    total = 0.0
    current = 0.0
    k = i
    last: str | None = None  # "small", "tens", "hundred", "scale"
    taken = 0
    n = len(t)
    while k < n:
        w = t.lows[k]
        if w in _EN_SMALL or w in _RU_NUMBERS or (w in _RU_ONE and k + 1 < n and (t.lows[k + 1] in _SCALES)) or (
            w in _RU_ONE and last == "tens"
        ):
            value = _EN_SMALL.get(w) or _RU_NUMBERS.get(w) or _RU_ONE.get(w, 0)
            if last in ("small",) or (last == "tens" and value >= 10) or (last == "hundred" and value >= 100):
                break
            current += value
            last = "tens" if (value >= 20 and value % 10 == 0 and value < 100) else "small"
            if value >= 100:
                last = "hundred"
        elif w in _EN_TENS:
            if last in ("small", "tens"):
                break
            current += _EN_TENS[w]
            last = "tens"
        elif w in ("a", "an") and k == i and k + 1 < n and t.lows[k + 1] in ("hundred", "thousand", "million", "billion", "dozen"):
            current = 1
            last = "a"
        elif w == "dozen" and last in ("small", "tens", "a"):
            current = (current or 1) * 12
            last = "scale"
        elif w == "hundred" and last in ("small", "a"):
            current = (current or 1) * 100
            last = "hundred"
        elif w in _SCALES and _SCALES[w] >= 1e3 and last in ("small", "tens", "hundred", "a"):
            total += (current or 1) * _SCALES[w]
            current = 0
            last = "scale"
            if k + 1 < n and t.lows[k + 1] == "." and w == "тыс":
                k += 1
        elif w == "-" and t.adjacent(k) and t.adjacent(k + 1) and last == "tens" and t.low(k + 1) in _EN_SMALL or w == "and" and last in ("hundred", "scale") and (t.low(k + 1) in _EN_SMALL or t.low(k + 1) in _EN_TENS):
            k += 1
            continue
        else:
            break
        taken += 1
        k += 1
    if taken == 0 or last == "a":
        return None
    # Do not end on a dangling "and"/"-".
    while k > i and t.lows[k - 1] in ("and", "-"):
        k -= 1
    num = _Num(i, k, total + current)
    num.spelled = True
    num.lone_one = taken == 1 and t.lows[i] == "one"
    if russian and taken == 1 and t.lows[i] in _RU_ONE:
        return None
    return num


def _read_vague(t: _Toks, i: int) -> _Num | None:
    """ "dozens", "tens of thousands", "several hundred", "несколько тысяч", "сотни тысяч"."""
    w = t.lows[i]
    k = i
    if w == "tens" and t.low(i + 1) == "of" and t.low(i + 2) in _VAGUE:
        value = 2 * 10.0
        k = i + 2
        w = t.lows[k]
        value *= _VAGUE[w]
        k += 1
    elif w in _VAGUE:
        value = 2.0 * _VAGUE[w]
        k = i + 1
    else:
        for words, factor in _FEW.items():
            m = len(words)
            if tuple(t.lows[i : i + m]) == words:
                scale = t.low(i + m)
                base = _SCALES.get(scale) or _VAGUE.get(scale) or (12 if scale in ("dozen", "dozens") else 0)
                if base >= 12:
                    num = _Num(i, i + m + 1, float(factor * base))
                    num.vague = True
                    return _chain_vague(t, num)
        return None
    num = _Num(i, k, value)
    num.vague = True
    return _chain_vague(t, num)


def _chain_vague(t: _Toks, num: _Num) -> _Num:
    """ "hundreds of thousands", "сотни тысяч": multiply by a following scale."""
    k = num.j
    if t.low(k) == "of" and t.low(k + 1) in ("thousands", "millions", "billions"):
        num.value *= _VAGUE[t.lows[k + 1]]
        num.j = k + 2
    elif t.low(k) in ("тысяч", "миллионов", "миллиардов"):
        num.value *= _SCALES[t.lows[k]]
        num.j = k + 1
    return num


def _read_fraction(t: _Toks, i: int) -> _Num | None:
    for m in (3, 2, 1):
        words = tuple(t.lows[i : i + m])
        if words in _FRACTIONS:
            num = _Num(i, i + m, _FRACTIONS[words])
            num.fraction = True
            return num
    return None


def _read_digits(t: _Toks, i: int, russian: bool, currency: str | None) -> _Num | None:
    read = _digits_value(t.word(i), russian)
    if read is None:
        return None
    value, grouped = read
    num = _Num(i, i + 1, value)
    num.plain = not grouped and "." not in t.lows[i] and "," not in t.lows[i]
    k = i + 1
    if t.adjacent(k) and t.lows[k] in (":", "/") and t.adjacent(k + 1) and t.kinds[k + 1] == "n":
        return None  # 18:9, 24/7
    # Letters glued to the number: a scale ("3.5bn"), a unit ("5km", "40%" is a symbol), or it is a word.
    if t.adjacent(k) and t.kinds[k] == "w":
        w = t.lows[k]
        if w in _SCALES or (currency and w in _CURRENCY_SCALES):
            num.scale *= _SCALES.get(w) or _CURRENCY_SCALES[w]
            num.value *= _SCALES.get(w) or _CURRENCY_SCALES[w]
            num.plain = False
            k += 1
        elif (w,) not in _UNIT_PHRASES and w not in _UNITS:
            return None  # 5th, 1990s, 3D, 10am
    while k < len(t) and t.kinds[k] == "w" and t.lows[k] in _SCALES and t.lows[k] != "сто":
        num.scale *= _SCALES[t.lows[k]]
        num.value *= _SCALES[t.lows[k]]
        num.plain = False
        k += 1
        if t.low(k) == "." and t.lows[k - 1] == "тыс" and t.adjacent(k):
            k += 1
    num.j = k
    return num


def _read_number(t: _Toks, i: int, russian: bool, currency: str | None) -> _Num | None:
    kind = t.kinds[i]
    if kind == "n":
        return _read_digits(t, i, russian, currency)
    if kind != "w":
        return None
    w = t.lows[i]
    if w in ("half", "third", "thirds", "quarter", "quarters", "a", "one", "two", "three") or w in (
        "половина", "половины", "половину", "треть", "трети", "две", "четверть", "четверти"
    ):  # fmt: skip
        frac = _read_fraction(t, i)
        if frac is not None:
            return frac
    if w in _VAGUE or w in ("tens", "several", "a", "many") or w.startswith("нескольк"):
        vague = _read_vague(t, i)
        if vague is not None:
            return vague
    if w in _EN_SMALL or w in _EN_TENS or w in _RU_NUMBERS or w in _RU_ONE or w in ("a", "an"):
        return _read_spelled(t, i, russian)
    if w in _RU_SCALE_ALONE:
        return _Num(i, i + 1, _RU_SCALE_ALONE[w])
    return None


def _match_phrase(t: _Toks, k: int, phrases: dict[tuple[str, ...], str], longest: int) -> tuple[str, int] | None:
    """The longest phrase starting at token k: (its value, the token after it)."""
    for m in range(longest, 0, -1):
        words = tuple(t.lows[k : k + m])
        if len(words) == m and words in phrases:
            return phrases[words], k + m
    return None


def _approx_before(t: _Toks, k: int) -> tuple[str, int] | None:
    """The hedge ending right before token k: (kind, its first token)."""
    for m in range(_APPROX_MAX, 0, -1):
        if k - m < 0:
            continue
        words = tuple(t.lows[k - m : k])
        if words in _APPROX_PHRASES:
            return _APPROX_PHRASES[words], k - m
    return None


def _currency_before(t: _Toks, k: int) -> tuple[str, int] | None:
    w = t.low(k - 1)
    if w in _CURRENCY_SYMBOLS:
        first = k - 1
        if t.adjacent(k - 1) and t.low(k - 2) in ("us", "u.s"):
            first = k - 2
        return _CURRENCY_SYMBOLS[w], first
    if w in _CURRENCY_CODES and t.word(k - 1).isupper():
        return _CURRENCY_CODES[w], k - 1
    return None


def _is_plural_noun(word: str, russian: bool) -> bool:
    w = word.lower()
    if russian:
        return bool(_CYRILLIC.search(w)) and w not in _STOP
    return w in _PLURALS or (w.endswith("s") and not w.endswith("ss") and len(w) > 3)


def _en_modifier(t: _Toks, k: int) -> bool:
    """An English word that modifies a following noun: "Russian", "armed", "additional"."""
    w = t.lows[k]
    word = t.word(k)
    if w in _EN_ADJECTIVES:
        return True
    if word[:1].isupper() and w not in _STOP:
        return True  # Russian peacekeepers, Syrian refugees, UN observers
    if w.endswith(_EN_ADJ_SUFFIX) and not w.endswith("s"):
        return True
    return w.endswith(("ed", "ing")) and len(w) > 4


def _counted_fallback(t: _Toks, k: int, russian: bool) -> int | None:
    """The token of the counted noun that follows token k, found without a parser.

    Skips modifiers that can be told generically (capitalised demonyms, adjective suffixes, Russian
    adjective endings) and takes a plural noun after a singular one ("police officers").
    """
    n = len(t)
    run: list[int] = []
    m = k
    while m < n and len(run) < 5:
        if m > 0 and "\n" in t.text[t.ends[m - 1] : t.starts[m]]:
            break  # a caption or heading on the next line
        if t.kinds[m] == "w" and (not run or not t.adjacent(m) or t.lows[m - 1] == "-"):
            run.append(m)
            m += 1
        elif t.lows[m] == "-" and t.adjacent(m) and t.adjacent(m + 1) and run:
            m += 1  # Russian-made, well-armed
        else:
            break
    if not run:
        return None
    for pos, m in enumerate(run):
        w = t.lows[m]
        if w in _STOP or w in _MONTHS or w in _UNITS or w in _SCALES or w in _EN_SMALL or w in _EN_TENS:
            return None
        has_next = pos + 1 < len(run) and t.lows[run[pos + 1]] not in _STOP
        if russian:
            if has_next and w.endswith(_RU_ADJ_ENDINGS):
                continue
            return m
        if has_next and (_en_modifier(t, m) or w.endswith("ly")):
            continue
        if w.endswith("ly") or (not has_next and (w in _EN_ADJECTIVES or w.endswith(_EN_ADJ_SUFFIX))):
            return None  # "eight current and former staff": the noun is out of reach
        if has_next and not _is_plural_noun(w, False) and t.word(run[pos + 1]).islower():
            following = t.lows[run[pos + 1]]
            if _is_plural_noun(following, False) and following not in _STOP:
                return run[pos + 1]  # compound: police officers, aid workers
        if not russian and w.endswith("ed") and pos > 0:
            return None
        return m
    return None


_BETWEEN_POS = {"ADJ", "NOUN", "PROPN", "NUM", "ADV", "PART"}


def _doc_noun(tok: Any) -> bool:
    """A common noun, or a plural proper noun ("Russians"): "67 of Slidell" counts no Slidell."""
    return tok.pos_ == "NOUN" or tok.tag_ == "NNPS"


def _counted_from_doc(doc: Any, start: int, end: int) -> Any | None:
    """The counted noun by dependency: the noun the number modifies, or the object of "of"."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    last = span[-1]
    limit = last.i + 6
    for child in last.children:  # dozens of homes, 40% of voters, half of the residents
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == last.i + 1:
            for obj in child.children:
                if obj.dep_ == "pobj" and _doc_noun(obj) and obj.i <= limit:
                    return obj
    for tok in reversed(span):
        head = tok.head
        steps = 0
        while head.i > tok.i and head.i > last.i and head.i <= limit and steps < 4:
            between = doc[last.i + 1 : head.i]
            if any(b.pos_ not in _BETWEEN_POS and b.text != "-" for b in between):
                break  # "one or two shells": only modifiers may stand between number and noun
            if _doc_noun(head) and head.lower_ not in _UNITS and head.lower_ not in _SCALES:
                return head
            if head.pos_ not in ("ADJ", "NUM", "NOUN", "PROPN", "ADV"):
                break
            head = head.head
            steps += 1
    return None


def _doc_word_ok(doc: Any, start: int, end: int, direct: bool) -> bool:
    """With a parse at hand, accept a fallback counted word only if it is a noun or a "12 killed" participle."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return True
    tok = span[0]
    if tok.pos_ in ("NOUN", "PROPN"):
        return True
    return direct and tok.pos_ == "VERB" and tok.tag_ in ("VBN", "VBD") and tok.lower_.endswith("ed")


def _is_identifier_context(t: _Toks, i: int) -> bool:
    """The number names something rather than counting: "Resolution 2334", "F-16", "G20", "No. 5"."""
    text = t.text
    if _ID_BEFORE.search(text, max(0, t.starts[i] - 6), t.starts[i]):
        return True
    if i == 0:
        return False
    prev = t.lows[i - 1]
    if t.adjacent(i):
        if t.kinds[i - 1] in ("w", "n"):
            return True
        if prev in ("-", "#", "+", "/", ":", "№", "@", "."):
            return prev != "-" or (i >= 2 and t.adjacent(i - 1) and t.kinds[i - 2] in ("w", "n"))
        return False
    if t.kinds[i - 1] != "w":
        return False
    if prev in _ID_NOUNS:
        return True
    word = t.word(i - 1)
    sentence_start = i == 1 or t.lows[i - 2] in (".", "!", "?", "\"", "“", "«", ":", ";", "(") or "\n" in t.text[
        t.ends[i - 2] : t.starts[i - 1]
    ]
    return (
        not sentence_start
        and word[:1].isupper()
        and prev not in _FUNCTION
        and (prev,) not in _APPROX_PHRASES
        and prev not in _MONTHS
        and prev not in _WEEKDAYS
    )


def find_quantities(text: str, language: str | None = "en", doc: Any = None) -> list[Quantity]:
    """Numbers with what they count, their unit and any hedge, in text order.

    ``doc`` is an optional spaCy Doc of the same English text: its dependency parse finds the counted
    noun better than the word-shape rules used without it.
    """
    if not text or not _ANY_NUMBER.search(text):
        return []
    russian = language == "ru" or (language is None and bool(_CYRILLIC.search(text)))
    if language not in (None, "en"):
        doc = None
    t = _Toks(text, _TOKEN_RU if russian else _TOKEN_EN)
    masked = [(m.start(), m.end()) for m in _NOT_QUANTITY.finditer(text)]
    out: list[Quantity] = []
    n = len(t)
    i = 0
    mask_k = 0
    while i < n:
        kind = t.kinds[i]
        w = t.lows[i]
        if kind == "s" or (kind == "w" and not _could_start(w)):
            i += 1
            continue
        if kind == "n" and masked:
            while mask_k < len(masked) and masked[mask_k][1] <= t.starts[i]:
                mask_k += 1
            if mask_k < len(masked) and masked[mask_k][0] <= t.starts[i] < masked[mask_k][1]:
                i += 1
                continue
        if kind == "n" and i + 2 < n and t.kinds[i + 1] == "n" and t.kinds[i + 2] == "n":
            while i < n and t.kinds[i] == "n":  # 0207 782 4368: a phone number written with spaces
                i += 1
            continue
        q, j = _read_quantity(t, i, russian, doc)
        if q is not None:
            out.append(q)
        i = max(j, i + 1)
    return out


def _could_start(w: str) -> bool:
    return (
        w in _EN_SMALL or w in _EN_TENS or w in _RU_NUMBERS or w in _RU_ONE or w in _VAGUE
        or w in ("a", "an", "half", "tens", "several", "many") or w in _RU_SCALE_ALONE
        or w.startswith("нескольк") or w in ("половина", "половины", "половину", "треть", "трети", "четверть", "четверти")
    )  # fmt: skip


def _read_quantity(t: _Toks, i: int, russian: bool, doc: Any) -> tuple[Quantity | None, int]:
    """Read the quantity whose number starts at token i; return it (or None) and the token to go on from."""
    if t.kinds[i] == "n" and _is_identifier_context(t, i):
        return None, i + 1
    currency_hit = _currency_before(t, i) if t.kinds[i] == "n" else None
    currency = currency_hit[0] if currency_hit else None
    num = _read_number(t, i, russian, currency)
    if num is None:
        return None, i + 1
    first = currency_hit[1] if currency_hit else i
    j = num.j
    high: float | None = None
    approx: str | None = None
    # Ranges: 10-13, 10 to 13, between 10 and 13, от 10 до 13.
    between = t.low(first - 1) in ("between", "от") and not num.vague and not num.fraction
    sep = t.low(j)
    if not num.vague and not num.fraction and (
        sep in ("-", "–", "—") or (sep == "to" and t.low(first - 1) != "from") or (sep in ("and", "до") and between)
    ):
        k = j + 1
        if t.low(k) in _CURRENCY_SYMBOLS:
            k += 1
        second = _read_number(t, k, russian, currency) if k < len(t) else None
        if second is not None and not second.vague and not second.fraction:
            low_value = num.value
            if num.scale == 1 and second.scale > 1:
                low_value *= second.scale  # "2-3 million": the second number's scale applies to both
            if second.value > low_value:
                num.value = low_value
                high = second.value
                num.plain = num.plain and second.plain
                j = second.j
                if between:
                    first -= 1
            elif sep in ("-", "–", "—") and t.adjacent(j) and t.adjacent(j + 1):
                return None, second.j  # 3-1, 555-0143: a score or a code, no range
    if num.fraction and not (t.low(j) == "of" or _approx_before(t, first) or russian):
        return None, j
    if t.low(j) == "of" and not num.fraction:
        k = j + 2 if t.low(j + 1) in ("the", "these", "those", "its", "their") else j + 1
        if k < len(t) and (t.kinds[k] == "n" or t.lows[k] in _EN_SMALL or t.lows[k] in _EN_TENS):
            return None, j  # "29 of 30", "two of the three bridges": the second number says what
    # A hedge written after the number: "30-odd", "300-plus", "or so", "с лишним".
    after = _match_phrase(t, j, _APPROX_AFTER, _APPROX_AFTER_MAX)
    if after and (after[0] != "at_least" or t.lows[j] != "plus" or t.adjacent(j)):
        approx = after[0]
        j = after[1]
    unit: str | None = currency
    unit_hit = _read_unit(t, j)
    unit_glued = unit_hit is not None and t.low(j) == "-"  # "a 105-km highway", "a three-day visit"
    if unit_hit is not None and (unit is None or unit_hit[0] not in _CURRENCIES):
        if unit is None:
            unit = unit_hit[0]
        j = unit_hit[1]
    elif unit_hit is not None:
        j = unit_hit[1]
    elif t.low(j) == "-" and t.adjacent(j) and t.adjacent(j + 1) and t.kinds[j + 1] == "w" and russian:
        return None, j + 2  # 5-й, 10-летний: ordinals and compounds
    if unit == "m" and currency:
        unit = currency
    if unit is None and num.vague and t.low(j) == "of":
        money = _read_unit(t, j + 1)  # "millions of dollars"
        if money is not None and money[0] in _CURRENCIES:
            unit, j = money
    if num.fraction:
        unit = "%"
    after = _match_phrase(t, j, _APPROX_AFTER, _APPROX_AFTER_MAX)
    if approx is None and after and after[0] in ("at_least", "about") and t.lows[j] == "or":
        approx = after[0]
        j = after[1]
    # Not a quantity: a day next to a month, a year, a relative time, "one" as a pronoun.
    if num.plain and high is None and unit is None and num.value <= 31 and (
        t.low(first - 1) in _MONTHS
        or (t.low(first - 1) == "." and t.low(first - 2) in _MONTHS)
        or t.low(j) in _MONTHS or (t.low(j) == "of" and t.low(j + 1) in _MONTHS)
    ):
        return None, j
    if num.plain and high is not None and unit is None and high <= 31 and t.low(j) in _MONTHS:
        return None, j
    if unit in _TIME_UNITS and t.low(j) in _RELATIVE_AFTER:
        return None, j
    if t.kinds[i] == "w" and num.value == 1 and unit in _TIME_UNITS and not _approx_before(t, first):
        return None, j  # "one day", "one year" are mostly adverbial
    year_like = num.plain and 1000 <= num.value <= 2100 and (high is None or 1000 <= high <= 2100)
    if year_like and (unit is not None or currency):
        if unit in _TIME_UNITS or unit is None:
            return None, j
        year_like = False
    if unit is None and t.low(j) == "-" and t.adjacent(j) and t.adjacent(j + 1) and t.kinds[j + 1] == "w":
        j += 1  # "a 12-member delegation": the glued word is what is counted
    # The counted noun.
    span_end = t.ends[j - 1]
    counted: str | None = None
    counted_end = span_end
    noun_from = j
    if t.low(j) == "of" and (num.vague or num.fraction or unit == "%" or t.low(j + 1) in ("the", "these", "those", "its", "their", "his", "her", "our", "all")):
        noun_from = j + 1
        if t.low(noun_from) in ("the", "these", "those", "its", "their", "his", "her", "our", "all"):
            noun_from += 1
    elif t.low(j) in _DIMENSIONS or (t.low(j) == "-" and t.low(j + 1) in _DIMENSIONS):
        noun_from = j + 1 if t.low(j) in _DIMENSIONS else j + 2
    elif russian and t.low(j) in ("из",):
        noun_from = j + 1
    # After a unit other than %, a noun is only counted when tied to it: "105 km long highway",
    # "a 105-km highway", "5 tonnes of food"; "2,000 km east" counts nothing.
    may_count = unit is None or unit == "%" or unit_glued or noun_from != j
    counted_start = -1
    if doc is not None and may_count:
        head_tok = _counted_from_doc(doc, t.starts[first], span_end)
        if head_tok is not None:
            counted = head_tok.text
            counted_start = head_tok.idx
            counted_end = head_tok.idx + len(head_tok.text)
    if counted is None and may_count:
        m = _counted_fallback(t, noun_from, russian) if noun_from < len(t) else None
        if m is not None:
            direct = m == j
            if doc is None or _doc_word_ok(doc, t.starts[m], t.ends[m], direct):
                counted = t.word(m)
                counted_start = t.starts[m]
                counted_end = t.ends[m]
                if t.lows[m].endswith("ed") and not direct:
                    counted, counted_end = None, span_end
    if year_like:
        # A bare 1000-2100 is a count only right before a plural common noun, and not after a
        # determiner ("the 2015 assaults"): news style writes counts of thousands with a separator.
        prev = t.low(first - 1)
        if (
            counted is None
            or prev in _YEAR_BEFORE
            or prev in _MONTHS
            or prev in ("the", "this", "that", "its", "his", "her", "their", "our", "'s", "’s")
            or counted_start != (t.starts[j] if j < len(t) else -2)
            or not _is_plural_noun(counted, russian)
        ):
            return None, j
        if russian and counted.lower() in _UNITS:
            return None, j
        if counted[:1].isupper():
            return None, j  # "the 2018 Winter Games", "2016 Cubs": a year in a name
    if num.lone_one and (counted is None or t.low(j) in ("of", "-") or t.low(first - 1) in ("no", "the", "any", "every", "each", "this", "that", "which", "what", "such", "only")):
        return None, j
    if t.kinds[i] == "w" and not num.vague and not num.fraction and counted is None and unit is None and num.value < 10 and not _approx_before(t, first):
        return None, j  # a lone "two" or "five" is too often part of something else
    # The hedge before the number (or before its currency sign / "between").
    hedge = _approx_before(t, first)
    start_tok = first
    if hedge is not None and not (between and high is not None):
        approx = hedge[0]
        start_tok = hedge[1]
    if approx is None and counted is not None:
        k = j
        while k < len(t) and t.ends[k] < counted_end:
            k += 1
        late = _match_phrase(t, k + 1, _APPROX_AFTER, _APPROX_AFTER_MAX)
        if late is not None and t.low(k + 1) == "or":  # "500 donors or more"
            approx = late[0]
            counted_end = t.ends[late[1] - 1]
    if approx is None and num.vague:
        approx = "at_least"
    start = t.starts[start_tok]
    end = max(span_end, counted_end)
    quantity = Quantity(
        start=start,
        end=end,
        text=t.text[start:end],
        value=num.value,
        value_high=high,
        unit=unit,
        counted=counted,
        approx=approx,
    )
    return quantity, j


def _read_unit(t: _Toks, k: int) -> tuple[str, int] | None:
    """A unit at token k, possibly after a hyphen ("105-km"): (canonical unit, token after it)."""
    if t.low(k) == "-" and t.adjacent(k) and t.adjacent(k + 1):
        hit = _match_phrase(t, k + 1, _UNIT_PHRASES, _UNIT_MAX)
        if hit is not None:
            return hit
        return None
    hit = _match_phrase(t, k, _UNIT_PHRASES, _UNIT_MAX)
    if hit is None:
        return None
    unit, after = hit
    if unit in ("m", "t", "RUB", "USD") and t.lows[after - 1] in ("m", "руб", "долл") and t.low(after) == ".":
        after += 1
    return unit, after
