"""English quantities: spelled numbers, vague plurals, hedges, and the counted noun by parse or by shape."""

from __future__ import annotations

from typing import Any

from storyline.read.quantities.grammar import QuantityGrammar, words

_BETWEEN_POS = {"ADJ", "NOUN", "PROPN", "NUM", "ADV", "PART"}

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mln": 1e6, "mn": 1e6, "bn": 1e9,
          "bln": 1e9, "tn": 1e12, "trn": 1e12}  # fmt: skip
UNITS = {
    "kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km", "mi": "mi", "mile": "mi",
    "miles": "mi", "meter": "m", "meters": "m", "metre": "m", "metres": "m", "ft": "ft", "feet": "ft", "foot": "ft",
    "sq km": "km2", "sq. km": "km2", "square kilometers": "km2", "square kilometres": "km2", "square miles": "mi2",
    "sq mi": "mi2", "hectares": "ha", "hectare": "ha", "acres": "acre", "acre": "acre", "kilograms": "kg",
    "kilogrammes": "kg", "kilos": "kg", "lb": "lb", "lbs": "lb", "tonnes": "t", "tons": "t", "tonne": "t", "ton": "t",
    "metric tons": "t", "metric tonnes": "t", "barrels": "bbl", "percent": "%", "per cent": "%", "pc": "%",
    "percentage points": "pp", "years": "year", "year": "year", "yrs": "year", "months": "month", "month": "month",
    "weeks": "week", "week": "week", "days": "day", "day": "day", "hours": "hour", "hour": "hour", "hrs": "hour",
    "minutes": "minute", "minute": "minute", "mins": "minute", "dollars": "USD", "us dollars": "USD",
    "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP", "gbp": "GBP", "rubles": "RUB", "roubles": "RUB",
    "rub": "RUB", "yuan": "CNY", "yen": "JPY", "rupees": "INR", "lira": "TRY", "liras": "TRY", "manats": "AZN",
    "drams": "AMD", "hryvnias": "UAH", "rials": "IRR",
}  # fmt: skip
MONTHS = words(
    "january february march april may june july august september october november december jan "
    "feb mar apr jun jul aug sep sept oct nov dec"
)


def counted_from_doc(doc: Any, start: int, end: int) -> Any | None:
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
            if _doc_noun(head) and head.lower_ not in GRAMMAR.units and head.lower_ not in GRAMMAR.scales and head.lower_ != "hundred":
                return head
            if head.pos_ not in ("ADJ", "NUM", "NOUN", "PROPN", "ADV"):
                break
            head = head.head
            steps += 1
    return None


def _doc_noun(tok: Any) -> bool:
    """A common noun, or a plural proper noun ("Russians"): "67 of Slidell" counts no Slidell."""
    return tok.pos_ == "NOUN" or tok.tag_ == "NNPS"


def doc_word_ok(doc: Any, start: int, end: int, direct: bool) -> bool:
    """With a parse at hand, accept a fallback counted word only if it is a noun or a "12 killed" participle."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return True
    tok = span[0]
    if tok.pos_ in ("NOUN", "PROPN"):
        return True
    return direct and tok.pos_ == "VERB" and tok.tag_ in ("VBN", "VBD") and tok.lower_.endswith("ed")


GRAMMAR = QuantityGrammar(
    code="en",
    small=SMALL,
    tens=TENS,
    hundreds={"hundred": 100},
    scales=SCALES,
    lone_one=words("one"),
    article_one=words("a an"),
    dozen=words("dozen"),
    joiners=words("and"),
    vague={"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9},
    vague_tens=words("tens"),
    vague_scales={"thousands": 1e3, "millions": 1e6, "billions": 1e9},
    few={"several": 3, "a few": 2, "a couple of": 2, "many": 2},
    fractions={"half": 50.0, "a half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "one-third": 100 / 3,
               "two thirds": 200 / 3, "two-thirds": 200 / 3, "a quarter": 25.0, "one quarter": 25.0,
               "one-quarter": 25.0, "three quarters": 75.0, "three-quarters": 75.0},
    hedges={
        "over": ["over", "more than", "above", "in excess of", "upwards of", "exceeding", "just over", "well over",
                 "slightly more than", "a little over", "more then"],
        "at_least": ["at least", "no fewer than", "no less than", "not less than", "a minimum of"],
        "about": ["about", "around", "some", "approximately", "roughly", "an estimated", "estimated", "circa",
                  "approx", "~"],
        "nearly": ["nearly", "almost", "close to", "just under", "just shy of", "approaching"],
        "under": ["under", "less than", "fewer than", "below"],
        "up_to": ["up to", "as many as", "at most", "no more than", "not more than", "a maximum of", "as much as"],
    },
    hedges_after={"or more": "at_least", "or so": "about", "-plus": "at_least", "-odd": "about", "odd": "about",
                  "plus": "at_least"},
    hedges_late={"or more": "at_least", "or so": "about"},
    late_needs="or",
    units=UNITS,
    of=words("of"),
    determiners=words("the these those its their his her our all"),
    between=words("between"),
    range_from=words("from"),
    range_to=words("to"),
    range_and=words("and"),
    months=MONTHS,
    weekdays=words("monday tuesday wednesday thursday friday saturday sunday"),
    year_before=words("in since until till by before after during from of year early late mid through circa c"),
    id_nouns=words(
        "no nr number article resolution section chapter page paragraph item point line unit room block building "
        "gate platform terminal phase stage round level grade category class type model version vol volume part "
        "episode season channel bus flight route highway road apartment house tier №"
    ),
    function=words(
        "the a an and but or nor only all another some those these its his her their our my your with of for at in "
        "on by from to as than when while after before since just still yet even nearly about around over under up "
        "least more most less fewer almost roughly approximately then also including include includes included per "
        "each every both whom which who that this there total totalling totaling killing kill killed wounding "
        "leaving left among between"
    ),
    stop=words(
        "the a an and but or nor of for at in on by from to as than that this these those it its they them he she we "
        "you i his her their our who which what when where while with without into onto over under about after "
        "before since during per is are was were be been being am has have had do does did will would shall should "
        "can could may might must said says say told tell also not no yes so such very more most less least other "
        "another each every all both some any many few several same only just even still yet already again there "
        "here then out off up down because if though although whether against between among through across near "
        "around toward towards via until till upon ago later earlier away back fled went came worth first last "
        "next previous following short got took made"
    ),
    relative_after=words("ago later earlier"),
    dimensions=words("long wide high deep tall thick strong"),
    adjectives=words(
        "new old other more additional young small large big local foreign former armed civilian many further extra "
        "fresh total unarmed unidentified unknown elderly single separate estimated reported registered confirmed "
        "alleged suspected"
    ),
    adjective_endings=("al", "ic", "ive", "ous", "ful", "less", "ary", "ian", "ese", "ish", "ent", "ant", "able", "ible"),
    plurals=words("people men women children police personnel troops cattle sheep fish staff militia"),
    plural_endings=("s",),
    counted_rule="english",
    counted_from_doc=counted_from_doc,
    doc_word_ok=doc_word_ok,
).compile()
