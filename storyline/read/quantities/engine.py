"""The quantity engine: numbers, ranges, hedges, units and the counted noun, for any grammar.

One pass over the text cut into number, word and symbol tokens (grammar.token_pattern). At each
token that may start a number (digits, or a word the grammar lists) the engine reads the number
(numbers.py), a range, a hedge before or after it, a unit or currency, and the counted noun, then
drops what is no count (days next to a month, years, identifiers, relative times). Every word it
compares comes from the language's grammar; the rules are the same for every language.
"""

from __future__ import annotations

from typing import Any

from storyline.models import Quantity
from storyline.read.quantities.counted import counted_key
from storyline.read.quantities.grammar import QuantityGrammar
from storyline.read.quantities.nouns import counted_noun, is_plural_noun
from storyline.read.quantities.numbers import (
    CURRENCIES,
    NATIVE,
    NATIVE_DIGITS,
    NOT_QUANTITY,
    TIME_UNITS,
    Toks,
    approx_before,
    currency_before,
    is_identifier_context,
    match_phrase,
    phrase_before,
    read_number,
    read_unit,
)

_RANGE_DASHES = ("-", "–", "—")


class _Months:
    """Month names, also with a case suffix after an apostrophe (Turkish "aralık'ta")."""

    __slots__ = ("names",)

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def __contains__(self, word: str) -> bool:
        return word in self.names or word.replace("’", "'").split("'")[0] in self.names


def find_quantities_with(text: str, g: QuantityGrammar, doc: Any = None) -> list[Quantity]:
    """Numbers with what they count, their unit and any hedge, in text order."""
    if not text or not g.any_number.search(text):
        return []
    original = text
    if NATIVE.search(text):
        text = text.translate(NATIVE_DIGITS)
    t = Toks(text, g.token_pattern)
    masked = [(m.start(), m.end()) for m in NOT_QUANTITY.finditer(text)]
    out: list[Quantity] = []
    n = len(t)
    i = 0
    mask_k = 0
    while i < n:
        kind = t.kinds[i]
        if kind == "s" or (kind == "w" and t.lows[i] not in g.starters):
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
        q, j = read_quantity(t, i, g, doc)
        if q is not None:
            q.text = original[q.start : q.end]
            if q.counted is not None:
                q.counted_key = counted_key(q.counted, g.code)
            out.append(q)
        i = max(j, i + 1)
    return out


def read_quantity(t: Toks, i: int, g: QuantityGrammar, doc: Any) -> tuple[Quantity | None, int]:
    """Read the quantity whose number starts at token i; return it (or None) and the token to go on from."""
    if t.kinds[i] == "n" and is_identifier_context(t, i, g):
        return None, i + 1
    currency_hit = currency_before(t, i) if t.kinds[i] == "n" else None
    currency = currency_hit[0] if currency_hit else None
    num = read_number(t, i, g, currency)
    if num is None:
        return None, i + 1
    first = currency_hit[1] if currency_hit else i
    j = num.j
    high: float | None = None
    approx: str | None = None
    # Ranges: 10-13, 10 to 13, between 10 and 13, от 10 до 13.
    between = t.low(first - 1) in g.between and not num.vague and not num.fraction
    sep = t.low(j)
    if not num.vague and not num.fraction and (
        sep in _RANGE_DASHES
        or (sep in g.range_to and t.low(first - 1) not in g.range_from)
        or (between and (sep in g.range_and or sep in g.range_to))
    ):
        k = j + 1
        if t.low(k) in ("$", "€", "£", "₽"):
            k += 1
        second = read_number(t, k, g, currency) if k < len(t) else None
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
            elif sep in _RANGE_DASHES and t.adjacent(j) and t.adjacent(j + 1):
                return None, second.j  # 3-1, 555-0143: a score or a code, no range
    if num.fraction and not (t.low(j) in g.of or approx_before(t, first, g) or g.fraction_free):
        return None, j
    if t.low(j) in g.of and not num.fraction:
        k = j + 2 if t.low(j + 1) in g.determiners else j + 1
        if k < len(t) and (t.kinds[k] == "n" or t.lows[k] in g.small or t.lows[k] in g.tens):
            return None, j  # "29 of 30", "two of the three bridges": the second number says what
    # A hedge written after the number: "30-odd", "300-plus", "300'den fazla", "300多".
    after = match_phrase(t, j, g.after_phrases)
    if after and (after[0] != "at_least" or t.lows[j] != "plus" or t.adjacent(j)):
        approx = after[0]
        j = after[1]
    unit: str | None = currency
    unit_hit = read_unit(t, j, g)
    unit_glued = unit_hit is not None and t.low(j) == "-"  # "a 105-km highway", "a three-day visit"
    if unit_hit is not None:
        if unit is None or unit_hit[0] not in CURRENCIES:
            unit = unit or unit_hit[0]
        j = unit_hit[1]
    elif t.low(j) == "-" and t.adjacent(j) and t.adjacent(j + 1) and t.kinds[j + 1] == "w" and g.glued_ordinals:
        return None, j + 2  # 5-й, 10-летний: ordinals and compounds
    if unit == "m" and currency:
        unit = currency
    if unit is None and num.vague and t.low(j) in g.of:
        money = read_unit(t, j + 1, g)  # "millions of dollars"
        if money is not None and money[0] in CURRENCIES:
            unit, j = money
    if num.fraction:
        unit = "%"
    if approx is None and (after := match_phrase(t, j, g.after_phrases)) and after[0] in ("at_least", "about"):
        approx = after[0]  # "20 minutes or so"
        j = after[1]
    # Not a quantity: a day next to a month, a year, a relative time, "one" as a pronoun.
    months = _Months(g.months)
    if num.plain and high is None and unit is None and num.value <= 31 and (
        t.low(first - 1) in months
        or (t.low(first - 1) == "." and t.low(first - 2) in months)
        or (t.low(j) == "." and t.low(j + 1) in months)
        or t.low(j) in months
        or (t.low(j) in g.of and t.low(j + 1) in months)
    ):
        return None, j
    if num.plain and high is not None and unit is None and high <= 31 and t.low(j) in months:
        return None, j
    if unit in TIME_UNITS and (t.low(j) in g.relative_after or phrase_before(t, first, g.relative_phrases)):
        return None, j
    if t.kinds[i] == "w" and num.value == 1 and unit in TIME_UNITS and not approx_before(t, first, g):
        return None, j  # "one day", "one year" are mostly adverbial
    year_like = num.plain and 1000 <= num.value <= 2100 and (high is None or 1000 <= high <= 2100)
    if year_like and (unit is not None or currency):
        if unit in TIME_UNITS or unit is None:
            return None, j
        year_like = False
    if unit is None and t.low(j) == "-" and t.adjacent(j) and t.adjacent(j + 1) and t.kinds[j + 1] == "w":
        j += 1  # "a 12-member delegation": the glued word is what is counted
    span_end = t.ends[j - 1]
    noun = counted_noun(t, j, g, doc, t.starts[first], span_end, num.vague or num.fraction or unit == "%", unit, unit_glued)
    counted, counted_start, counted_end = noun if noun else (None, -1, span_end)
    if year_like:
        # A bare 1000-2100 is a count only right before a plural common noun, and not after a
        # determiner ("the 2015 assaults"): news style writes counts of thousands with a separator.
        prev = t.low(first - 1)
        if (
            counted is None
            or prev in g.year_before
            or prev in months
            or prev in g.determiners
            or prev in ("'s", "’s")
            or counted_start != (t.starts[j] if j < len(t) else -2)
            or not is_plural_noun(counted, g)
            or counted.lower() in g.units
            or (counted[:1].isupper() and g.counted_rule != "capital")  # "the 2018 Winter Games"
        ):
            return None, j
    if num.lone_one and (
        counted is None or t.low(j) in ("of", "-") or t.low(first - 1) in ("no", "the", "any", "every", "each", "this", "that", "which", "what", "such", "only")
    ):  # fmt: skip
        return None, j
    if t.kinds[i] == "w" and not num.vague and not num.fraction and counted is None and unit is None and num.value < 10 and not approx_before(t, first, g):
        return None, j  # a lone "two" or "five" is too often part of something else
    # The hedge before the number (or before its currency sign / "between").
    hedge = approx_before(t, first, g)
    start_tok = first
    if hedge is not None and not (between and high is not None):
        approx = hedge[0]
        start_tok = hedge[1]
    if approx is None and counted is not None:  # "500 donors or more", "300人以上"
        k = j
        while k < len(t) and t.ends[k] < counted_end:
            k += 1
        late = match_phrase(t, k + 1, g.late_phrases)
        if late is not None and (not g.late_needs or t.low(k + 1) == g.late_needs):
            approx = late[0]
            counted_end = t.ends[late[1] - 1]
    if approx is None and num.vague:
        approx = "at_least"
    start = t.starts[start_tok]
    end = max(span_end, counted_end)
    return (
        Quantity(
            start=start,
            end=end,
            text=t.text[start:end],
            value=num.value,
            value_high=high,
            unit=unit,
            counted=counted,
            approx=approx,
        ),
        j,
    )
