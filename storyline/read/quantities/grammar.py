"""What a language gives the quantity engine: number words, hedges, units and how counts are written.

A grammar is data: the engine (engine.py) reads digits, spelled numbers, ranges, hedges, units and
the counted noun with the same code for every language, looking words up here. Phrases are written
as plain strings and cut into tokens with the language's own word pattern, so a Chinese hedge
"超过" is two one-character tokens like the text it is matched against.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Words include dotted initialisms ("U.S.") and, for Persian, the zero-width non-joiner ("ده‌ها").
WORD = r"(?:[A-Z]\.){2,}|[^\W\d_][^\W\d_\u200c\u064b-\u065f\u0670]*(?:[\u200c\u064b-\u065f\u0670]+[^\W\d_]+)*(?:['’][^\W\d_]+)*"
HAN = r"[\u3400-\u9fff\uf900-\ufaff]"
SPACE_DIGITS = "\u00a0\u202f\u2009"

_UNITS_COMMON = {
    "km": "km", "kms": "km", "km2": "km2", "km²": "km2", "m": "m", "cm": "cm", "mm": "mm", "kg": "kg",
    "ha": "ha", "%": "%", "usd": "USD", "eur": "EUR",
}  # fmt: skip


def words(spaced: str = "") -> frozenset[str]:
    return frozenset(spaced.split())


@dataclass
class QuantityGrammar:
    """One language's number words and the way it writes counts (every word lower case).

    counted_rule says where the counted noun stands and how its modifiers are told apart:
    "english" (adjectives before, told by suffix and capital), "endings" (adjectives before, told by
    their case endings: Russian, Ukrainian, Turkish, Armenian), "capital" (the noun is the first
    capitalised word: German), "first" (the noun follows the number directly: Romance languages,
    Arabic, Persian), "han" (Chinese: a classifier, then a lexicon word).
    """

    code: str
    small: dict[str, float] = field(default_factory=dict)  # 1-19 in every form: "trois", "трёх"
    tens: dict[str, float] = field(default_factory=dict)  # "vingt", "forty"
    hundreds: dict[str, float] = field(default_factory=dict)  # multiply what stands before: "cent(s)", "hundred"
    hundred_alone: bool = False  # "cent personnes": the hundred word is a number by itself
    scales: dict[str, float] = field(default_factory=dict)  # >= 1000 and abbreviations: "mille", "млн"
    scale_alone: dict[str, float] = field(default_factory=dict)  # a scale that is a number alone: "тысяча", "bin"
    one_inside: frozenset[str] = frozenset()  # "one" read only inside a longer number: "один", "un"
    lone_one: frozenset[str] = frozenset()  # "one" that may stand alone, often a pronoun
    article_one: frozenset[str] = frozenset()  # "a" in "a hundred", "a dozen"
    dozen: frozenset[str] = frozenset()
    joiners: frozenset[str] = frozenset()  # inside spelled numbers: "and", "et", "y"
    tens_take_teens: bool = False  # French "soixante-dix", "quatre-vingt-dix"
    vague: dict[str, float] = field(default_factory=dict)  # plurals: "dozens": 12, "milliers": 1000
    vague_tens: frozenset[str] = frozenset()  # "tens" of "tens of thousands"
    vague_scales: dict[str, float] = field(default_factory=dict)  # after a vague word: "тысяч", "of thousands"
    few: dict[str, float] = field(default_factory=dict)  # before a scale: "several": 3, "a few": 2
    fractions: dict[str, float] = field(default_factory=dict)  # percent: "half": 50, "two thirds": 66.7
    fraction_free: bool = False  # a fraction is a quantity without "of" or a hedge (Russian)
    hedges: dict[str, list[str]] = field(default_factory=dict)  # before the number: over: ["more than"]
    hedges_after: dict[str, str] = field(default_factory=dict)  # right after it: "-odd": about
    hedges_late: dict[str, str] = field(default_factory=dict)  # after the counted noun: "or more", "以上"
    late_needs: str = ""  # the word a late hedge starts with when one is required ("or")
    units: dict[str, str] = field(default_factory=dict)
    of: frozenset[str] = frozenset()  # partitive: "of", "de", "из", "من"
    partitive_always: bool = False  # the partitive leads to the counted noun after any number ("30 من المدنيين")
    determiners: frozenset[str] = frozenset()  # after the partitive: "the", "les"
    between: frozenset[str] = frozenset()  # range openers: "between", "entre", "от"
    range_from: frozenset[str] = frozenset()  # "from" 10 "to" 13 (then "to" is a date range, no count)
    range_to: frozenset[str] = frozenset()  # "to", "à", "bis"
    range_and: frozenset[str] = frozenset()  # after "between": "and", "et"
    months: frozenset[str] = frozenset()
    weekdays: frozenset[str] = frozenset()
    year_before: frozenset[str] = frozenset()  # words before a year: "in", "en", "в"
    id_nouns: frozenset[str] = frozenset()  # make a following number an identifier: "resolution"
    function: frozenset[str] = frozenset()  # capitalised words that may stand before a count
    stop: frozenset[str] = frozenset()  # can never be the counted noun
    relative_after: frozenset[str] = frozenset()  # "ago", "önce": a time unit before it is no amount
    relative_before: list[str] = field(default_factory=list)  # "il y a", "hace", "vor": likewise
    dimensions: frozenset[str] = frozenset()  # "long", "длиной": what follows is the thing measured
    adjectives: frozenset[str] = frozenset()  # common adjectives before a counted noun ("additional")
    adjective_endings: tuple[str, ...] = ()
    demonym_endings: tuple[str, ...] = ()  # "-li" in "Suriyeli mülteci": a modifier before a noun
    plurals: frozenset[str] = frozenset()  # irregular plurals ("people")
    plural_endings: tuple[str, ...] = ()  # a plural noun ends so (English -s); empty: any noun will do
    classifiers: frozenset[str] = frozenset()  # between number and noun: Chinese 名, 个
    counted_rule: str = "first"
    decimal_comma: bool = False  # "1,5" is one and a half, "25.000" twenty-five thousand
    space_groups: bool = False  # "25 000"
    glued_ordinals: bool = False  # "5-й", "3-е": a hyphen and letters after digits make an ordinal
    glued_words_ok: bool = False  # letters may touch the digits (Chinese "300人")
    word_pattern: str = WORD
    counted_from_doc: Callable[[Any, int, int], Any | None] | None = None  # a parse finds the noun
    doc_word_ok: Callable[[Any, int, int, bool], bool] | None = None
    lemma: Callable[[str], str] = lambda w: w  # folded counted word -> lemma for the fallback key
    # Filled by compile():
    approx_phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    after_phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    late_phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    unit_phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    relative_phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    few_phrases: dict[tuple[str, ...], float] = field(default_factory=dict)
    vague_phrases: dict[tuple[str, ...], float] = field(default_factory=dict)
    fraction_phrases: dict[tuple[str, ...], float] = field(default_factory=dict)
    token_pattern: re.Pattern[str] = re.compile("")
    any_number: re.Pattern[str] = re.compile("")
    starters: frozenset[str] = frozenset()

    def cut(self, phrase: str) -> tuple[str, ...]:
        return tuple(m.group().lower() for m in re.finditer(rf"{self.word_pattern}|\S", phrase))

    def compile(self) -> QuantityGrammar:
        """Phrase tables, the tokenizer and the fast-path pattern, built once per language."""
        self.units = {**_UNITS_COMMON, **self.units}
        self.approx_phrases = {self.cut(p): kind for kind, ps in self.hedges.items() for p in ps}
        self.after_phrases = {self.cut(p): kind for p, kind in self.hedges_after.items()}
        self.late_phrases = {self.cut(p): kind for p, kind in self.hedges_late.items()}
        self.unit_phrases = {self.cut(name): unit for name, unit in self.units.items()}
        self.relative_phrases = {self.cut(p): "ago" for p in self.relative_before}
        self.few_phrases = {self.cut(p): v for p, v in self.few.items()}
        self.vague_phrases = {self.cut(p): v for p, v in self.vague.items()}
        self.fraction_phrases = {self.cut(p): v for p, v in self.fractions.items()}
        spaced = "[ " + SPACE_DIGITS + "]" if self.space_groups else "[" + SPACE_DIGITS + "]"
        tail = r"(?![\d.,])" if self.space_groups else r"(?!\d)"
        self.token_pattern = re.compile(
            rf"(\d{{1,3}}(?:{spaced}\d{{3}})+{tail}|\d+(?:[.,]\d+)*)|({self.word_pattern})|(\S)"
        )
        number_words = (
            set(self.small) | set(self.tens) | set(self.hundreds) | set(self.scales) | set(self.vague)
            | set(self.scale_alone) | {p[0] for p in self.few_phrases} | {p[0] for p in self.fraction_phrases}
            | set(self.dozen)
        )  # fmt: skip
        alternatives = "|".join(sorted((re.escape(w) for w in number_words if len(w) > 1 or HAN_RE.match(w)), key=len, reverse=True))
        self.any_number = re.compile(rf"\d|{alternatives}" if alternatives else r"\d", re.I)
        self.starters = frozenset(
            set(self.small) | set(self.tens) | {p[0] for p in self.vague_phrases} | set(self.vague_tens)
            | set(self.scale_alone)
            | set(self.one_inside) | set(self.lone_one) | set(self.article_one)
            | (set(self.hundreds) if self.hundred_alone else set())
            | {p[0] for p in self.few_phrases} | {p[0] for p in self.fraction_phrases}
        )  # fmt: skip
        return self

    @property
    def months_or_days(self) -> frozenset[str]:
        return self.months | self.weekdays


HAN_RE = re.compile(HAN)
