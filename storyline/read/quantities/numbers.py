"""Numbers as a language writes them: tokens, digits with their separators, spelled and vague numbers,
fractions, hedges, currencies and units, each looked up in the language's grammar (grammar.py)."""

from __future__ import annotations

import re
from typing import Any

from storyline.read.quantities.grammar import SPACE_DIGITS, QuantityGrammar

# One-letter scales only after a currency: "$20m", "€3bn", "$50k" (otherwise "20m" is metres).
_CURRENCY_SCALES = {"m": 1e6, "b": 1e9, "k": 1e3}
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "¥": "JPY", "₹": "INR", "₺": "TRY",
                     "₴": "UAH", "₼": "AZN", "֏": "AMD"}  # fmt: skip
_CURRENCY_CODES = {"usd": "USD", "eur": "EUR", "gbp": "GBP", "rub": "RUB", "try": "TRY", "uah": "UAH",
                   "azn": "AZN", "amd": "AMD", "cny": "CNY", "irr": "IRR"}  # fmt: skip
CURRENCIES = set(_CURRENCY_SYMBOLS.values()) | set(_CURRENCY_CODES.values()) | {"CNY", "JPY", "INR", "IRR", "SAR", "EGP", "CHF"}
TIME_UNITS = {"year", "month", "week", "day", "hour", "minute"}
_DOT_ABBREVIATIONS = {"m", "руб", "долл", "грн", "тыс", "млн", "млрд", "mln", "mio", "mrd", "bln"}
SENTENCE_OPEN = (".", "!", "?", '"', "“", "«", ":", ";", "(", "。", "！", "？", "؟")

# Native digits and separators to ASCII, one character for one (offsets hold).
NATIVE_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0x0966 + i): str(i) for i in range(10)},
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "٫": ".",
        "٬": ",",
        "％": "%",
    }
)
NATIVE = re.compile("[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\uff10-\uff19٫٬％]")
# Spans that hold digits but no quantity: phone numbers, numeric dates, versions, times of day.
NOT_QUANTITY = re.compile(
    r"\+\d[\d\s().-]{6,}\d"  # +7 495 123-45-67
    r"|\(\d{2,5}\)\s?\d{2,4}(?:[\s.-]\d{2,4})+"  # (202) 555-0143
    r"|(?<![\d.,])\d{1,4}(?:[./-]\d{1,4}){2,}(?![\d])"  # 2020-12-01, 12.05.2020, 123-45-67, 1.2.3
    r"|(?<![\d.,])\d{1,2}/\d{1,2}(?![\d/])"  # 12/5, 24/7
    r"|(?<![\d.,])\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?(?!\w))?"  # 10:30, 10:30 p.m.
    r"|(?<![\d.,])\d{1,2}(?:[.]\d{2})?\s*[ap]\.?m\.?(?!\w)"  # 5 pm, 5.30 a.m.
    r"|(?<![\d.,])\d{3,4}\s*(?:gmt|utc|hrs)\b"  # 0800 GMT
    r"|(?<![\d.,])\d{1,2}\s*o['’]clock"
    r"|\d+\s*(?:年|月|日|号|时|點|点|时许)",  # Chinese dates and hours: 2023年, 12月5日
    re.I,
)
_ID_BEFORE = re.compile(r"(?:№|#|\bno\.?|\bnr\.?|\bnos\.?)\s*$", re.I)


class Toks:
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


def digits_value(raw: str, decimal_comma: bool) -> tuple[float, bool] | None:
    """Value of a digit token and whether it carries separators/decimals (then it is no year or day)."""
    s = raw
    for ch in " " + SPACE_DIGITS:
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
        if len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]) and not (decimal_comma and len(parts) == 2):
            return float(s.replace(",", "")), True
        if len(parts) == 2 and (decimal_comma or len(parts[1]) != 3):
            if not decimal_comma:
                return None  # "1,5" in English is no number we can read
            return float(parts[0] + "." + parts[1]), True
        return None
    if "." in s:
        parts = s.split(".")
        if decimal_comma and len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]):
            return float(s.replace(".", "")), True  # 25.000 in German, Turkish, Spanish
        if len(parts) > 2:
            return None
        return float(s), True
    return float(s), grouped


class Num:
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


def _read_spelled(t: Toks, i: int, g: QuantityGrammar) -> Num | None:
    """Spelled-out cardinals: "two thousand", "twenty-five", "a dozen", "двух тысяч", "trois mille"."""
    total = 0.0
    current = 0.0
    k = i
    last: str | None = None  # "small", "tens", "hundred", "scale", "a"
    taken = 0
    n = len(t)
    while k < n:
        w = t.lows[k]
        nxt = t.low(k + 1)
        if w in g.small or (w in g.one_inside and (nxt in g.scales or nxt in g.hundreds or last == "tens")):
            value = g.small.get(w, 1)
            if last == "small" or (last == "tens" and value >= 10 and not g.tens_take_teens) or (
                last == "hundred" and value >= 100
            ):
                break
            current += value
            last = "tens" if (20 <= value < 100 and value % 10 == 0) else "hundred" if value >= 100 else "small"
        elif w in g.tens:
            if last in ("small", "tens"):
                break
            current += g.tens[w]
            last = "tens"
        elif w in g.article_one and k == i and (nxt in g.hundreds or nxt in g.scales or nxt in g.dozen):
            current = 1
            last = "a"
        elif w in g.dozen and last in ("small", "tens", "a"):
            current = (current or 1) * 12
            last = "scale"
        elif w in g.hundreds and (last in ("small", "a") or (last is None and g.hundred_alone)):
            current = (current or 1) * g.hundreds[w]
            last = "hundred"
        elif w in g.scales and g.scales[w] >= 1e3 and last in ("small", "tens", "hundred", "a"):
            total += (current or 1) * g.scales[w]
            current = 0
            last = "scale"
            if t.low(k + 1) == "." and w in _DOT_ABBREVIATIONS:
                k += 1
        elif (w == "-" and t.adjacent(k) and t.adjacent(k + 1) and last == "tens" and (nxt in g.small or nxt in g.one_inside)) or (
            w in g.joiners and last in ("hundred", "scale", "tens") and (nxt in g.small or nxt in g.tens or nxt in g.one_inside)
        ):
            k += 1
            continue
        else:
            break
        taken += 1
        k += 1
    if taken == 0 or last == "a":
        return None
    while k > i and (t.lows[k - 1] in g.joiners or t.lows[k - 1] == "-"):  # no dangling "and"/"-"
        k -= 1
    if taken == 1 and t.lows[i] in g.one_inside:
        return None
    num = Num(i, k, total + current)
    num.spelled = True
    num.lone_one = taken == 1 and t.lows[i] in g.lone_one
    return num


def _read_vague(t: Toks, i: int, g: QuantityGrammar) -> Num | None:
    """ "dozens", "tens of thousands", "several hundred", "несколько тысяч", "des milliers"."""
    w = t.lows[i]
    vague = match_phrase(t, i, g.vague_phrases)
    if w in g.vague_tens and t.low(i + 1) in g.of and t.low(i + 2) in g.vague:
        num = Num(i, i + 3, 20.0 * g.vague[t.lows[i + 2]])
    elif vague is not None:
        num = Num(i, vague[1], 2.0 * vague[0])
    else:
        hit = match_phrase(t, i, g.few_phrases)
        if hit is None:
            return None
        factor, k = hit
        scale = t.low(k)
        base = g.scales.get(scale) or g.hundreds.get(scale) or g.vague.get(scale) or (12 if scale in g.dozen else 0)
        if base < 12:
            return None
        num = Num(i, k + 1, float(factor * base))
    num.vague = True
    k = num.j  # "hundreds of thousands", "сотни тысяч"
    if t.low(k) in g.of and t.low(k + 1) in g.vague_scales:
        num.value *= g.vague_scales[t.lows[k + 1]]
        num.j = k + 2
    elif t.low(k) in g.vague_scales:
        num.value *= g.vague_scales[t.lows[k]]
        num.j = k + 1
    return num


def _read_fraction(t: Toks, i: int, g: QuantityGrammar) -> Num | None:
    hit = match_phrase(t, i, g.fraction_phrases)
    if hit is None:
        return None
    num = Num(i, hit[1], hit[0])
    num.fraction = True
    return num


def _read_digits(t: Toks, i: int, g: QuantityGrammar, currency: str | None) -> Num | None:
    read = digits_value(t.word(i), g.decimal_comma)
    if read is None:
        return None
    value, grouped = read
    num = Num(i, i + 1, value)
    num.plain = not grouped and "." not in t.lows[i] and "," not in t.lows[i]
    k = i + 1
    if t.adjacent(k) and t.lows[k] in (":", "/") and t.adjacent(k + 1) and t.kinds[k + 1] == "n":
        return None  # 18:9, 24/7
    # Letters glued to the number: a scale ("3.5bn"), a unit ("5km", "40%" is a symbol), or it is a word.
    if t.adjacent(k) and t.kinds[k] == "w":
        w = t.lows[k]
        if w in g.scales or (currency and w in _CURRENCY_SCALES):
            factor = g.scales.get(w) or _CURRENCY_SCALES[w]
            num.scale *= factor
            num.value *= factor
            num.plain = False
            k += 1
        elif (w,) not in g.unit_phrases and not g.glued_words_ok:
            return None  # 5th, 1990s, 3D, 10am
    while k < len(t) and t.kinds[k] == "w" and t.lows[k] in g.scales:
        num.scale *= g.scales[t.lows[k]]
        num.value *= g.scales[t.lows[k]]
        num.plain = False
        k += 1
        if t.low(k) == "." and t.lows[k - 1] in _DOT_ABBREVIATIONS and t.adjacent(k):
            k += 1
    num.j = k
    return num


def read_number(t: Toks, i: int, g: QuantityGrammar, currency: str | None) -> Num | None:
    kind = t.kinds[i]
    if kind == "n":
        return _read_digits(t, i, g, currency)
    if kind != "w":
        return None
    w = t.lows[i]
    frac = _read_fraction(t, i, g)
    if frac is not None:
        return frac
    vague = _read_vague(t, i, g)
    if vague is not None:
        return vague
    if w in g.small or w in g.tens or w in g.one_inside or w in g.article_one or w in g.hundreds:
        spelled = _read_spelled(t, i, g)
        if spelled is not None or w not in g.scale_alone:
            return spelled
    if w in g.scale_alone:
        num = Num(i, i + 1, g.scale_alone[w])
        num.spelled = True
        return num
    return None


def match_phrase(t: Toks, k: int, phrases: dict[tuple[str, ...], Any]) -> tuple[Any, int] | None:
    """The longest phrase starting at token k: (its value, the token after it)."""
    for m in range(min(5, len(t) - k), 0, -1):
        words = tuple(t.lows[k : k + m])
        if words in phrases:
            return phrases[words], k + m
    return None


def phrase_before(t: Toks, k: int, phrases: dict[tuple[str, ...], Any]) -> tuple[Any, int] | None:
    """The longest phrase ending right before token k: (its value, its first token)."""
    for m in range(5, 0, -1):
        if k - m < 0:
            continue
        words = tuple(t.lows[k - m : k])
        if words in phrases:
            return phrases[words], k - m
    return None


def approx_before(t: Toks, k: int, g: QuantityGrammar) -> tuple[str, int] | None:
    """The hedge ending right before token k: (kind, its first token)."""
    return phrase_before(t, k, g.approx_phrases)


def currency_before(t: Toks, k: int) -> tuple[str, int] | None:
    w = t.low(k - 1)
    if w in _CURRENCY_SYMBOLS:
        first = k - 1
        if t.adjacent(k - 1) and t.low(k - 2) in ("us", "u.s"):
            first = k - 2
        return _CURRENCY_SYMBOLS[w], first
    if w in _CURRENCY_CODES and t.word(k - 1).isupper():
        return _CURRENCY_CODES[w], k - 1
    return None


def read_unit(t: Toks, k: int, g: QuantityGrammar) -> tuple[str, int] | None:
    """A unit at token k, possibly after a hyphen ("105-km"): (canonical unit, token after it)."""
    if t.low(k) == "-" and t.adjacent(k) and t.adjacent(k + 1):
        return match_phrase(t, k + 1, g.unit_phrases)
    hit = match_phrase(t, k, g.unit_phrases)
    if hit is None:
        return None
    unit, after = hit
    if t.lows[after - 1] in _DOT_ABBREVIATIONS and t.low(after) == "." and t.adjacent(after):
        after += 1
    return unit, after


def is_identifier_context(t: Toks, i: int, g: QuantityGrammar) -> bool:
    """The number names something rather than counting: "Resolution 2334", "F-16", "G20", "No. 5"."""
    if _ID_BEFORE.search(t.text, max(0, t.starts[i] - 6), t.starts[i]):
        return True
    if i == 0:
        return False
    prev = t.lows[i - 1]
    if t.adjacent(i):
        if t.kinds[i - 1] in ("w", "n") and not g.glued_words_ok:
            return True
        if prev in ("-", "#", "+", "/", ":", "№", "@", "."):
            return prev != "-" or (i >= 2 and t.adjacent(i - 1) and t.kinds[i - 2] in ("w", "n"))
        return False
    if t.kinds[i - 1] != "w":
        return False
    if prev in g.id_nouns:
        return True
    if g.counted_rule == "capital":  # German capitalises every noun: no name is told by its capital
        return False
    word = t.word(i - 1)
    sentence_start = i == 1 or t.lows[i - 2] in SENTENCE_OPEN or "\n" in t.text[t.ends[i - 2] : t.starts[i - 1]]
    return (
        not sentence_start
        and word[:1].isupper()
        and prev not in g.function
        and (prev,) not in g.approx_phrases
        and prev not in g.months_or_days
    )
