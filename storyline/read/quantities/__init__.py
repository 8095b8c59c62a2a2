"""Quantities in news text: numbers with what they count, their unit and any hedge, in 14 languages.

Reports disagree most visibly on numbers ("over 25,000 refugees" against "some 20,000"), so the
fusion layer needs each number with its unit, the thing counted and the hedge, and a key for the
counted thing that is the same in every language (`Quantity.counted_key`, see counted.py).

One engine (engine.py, numbers.py, nouns.py) and a grammar per language (lang/<code>.py): number
words, hedges, units, thousands separators, and where the counted noun stands. Conventions, shared
with whoever compares quantities across reports:

- ``value`` is a float; a range fills ``value_high`` too ("10-13 years", "between 2 and 3 million").
- ``approx`` is one of: ``over`` ("more than", "plus de", "более", "fazla", "أكثر من", "超过"),
  ``at_least`` ("at least", "au moins", "en az"), ``about`` ("some", "environ", "около", "حوالي", "约"),
  ``nearly`` ("nearly", "près de", "почти": a little below the value), ``under`` ("less than"),
  ``up_to`` ("up to", "jusqu'à", "до").
- Vague plurals give their lower bound, twice the unit, with approx ``at_least``: "dozens of" = 24,
  "hundreds of" = 200, "des milliers" = 2,000, "tens of thousands" = 20,000. "several hundred" = 300
  and "a few thousand" = 2,000, also ``at_least``. An explicit hedge wins: "about a dozen" is 12, ``about``.
- Fractions of a whole are percentages: "more than half" = 50 (unit ``%``, ``over``).
- Money is in units of the currency: "$3.5 billion" = 3.5e9, unit ``USD``.
- Units are short canonical names: km, m, km2, ha, kg, t, %, year, month, week, day, hour, minute,
  USD, EUR, GBP, RUB, TRY, ...; ``counted`` is the head noun as written ("peacekeepers", "réfugiés");
  its modifiers ("Russian") are inside the span; ``counted_key`` is its concept ("refugees") or,
  for a word outside the lexicon, "<language>:<folded lemma>".
- Native digits (Arabic-Indic, Persian) and each locale's separators are read: "25.000" is 25,000
  in German or Turkish, "25 000" in French or Russian, "1,5" one and a half where the comma is decimal.

Not quantities: years ("in 1994"; a 4-digit 1000-2100 number counts only when a plural noun
follows: "2000 soldiers"), days next to a month, numeric dates, times of day, ordinals, phone
numbers, identifiers ("Resolution 2334", "F-16", "No. 5") and relative times ("three years ago").
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any

from storyline.models import Quantity
from storyline.read.quantities.counted import counted_key
from storyline.read.quantities.engine import find_quantities_with
from storyline.read.quantities.grammar import QuantityGrammar

__all__ = ["counted_key", "find_quantities", "grammar_for"]

_SCRIPTS = (
    ("ru", re.compile(r"[а-яё]", re.I)),
    ("hy", re.compile("[\u0531-\u058a]")),
    ("ar", re.compile("[\u0600-\u06ff]")),
    ("zh", re.compile("[\u4e00-\u9fff]")),
)


@lru_cache(maxsize=32)
def grammar_for(language: str | None) -> QuantityGrammar:
    """The grammar of a language; English for a language without one (digits and units still read)."""
    code = (language or "en").lower().split("-")[0].split("_")[0]
    if not code.isalpha():
        code = "en"
    try:
        return importlib.import_module(f"storyline.read.quantities.lang.{code}").GRAMMAR
    except ModuleNotFoundError:
        return importlib.import_module("storyline.read.quantities.lang.en").GRAMMAR


def _guess_language(text: str) -> str:
    for code, script in _SCRIPTS:
        if script.search(text):
            return code
    return "en"


def find_quantities(text: str, language: str | None = "en", doc: Any = None) -> list[Quantity]:
    """Numbers with what they count, their unit and any hedge, in text order.

    ``doc`` is an optional parse of the same text (spaCy, English): it finds the counted noun better
    than the word-shape rules used without it. With ``language`` None the script decides.
    """
    if language is None:
        language = _guess_language(text)
    grammar = grammar_for(language)
    return find_quantities_with(text, grammar, doc if grammar.counted_from_doc else None)
