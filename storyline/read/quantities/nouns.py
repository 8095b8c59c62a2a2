"""The counted noun of a quantity: where it stands and which words before it only modify it.

Each grammar names a rule (QuantityGrammar.counted_rule); a spaCy parse, when the language has one,
is asked first (grammar.counted_from_doc).
"""

from __future__ import annotations

from typing import Any

from storyline.read.quantities.counted import concept_of, lexicon_prefix
from storyline.read.quantities.grammar import QuantityGrammar
from storyline.read.quantities.numbers import Toks

Noun = tuple[str, int, int]  # the word as written, its start and end


def is_plural_noun(word: str, g: QuantityGrammar) -> bool:
    """A word that may be a counted noun after a bare year-like number ("2000 volunteers")."""
    w = word.lower()
    if w in g.stop:
        return False
    if not g.plural_endings:  # nouns stay singular after numbers: only a known counted thing will do
        return concept_of(w, g.code) is not None
    return w in g.plurals or (w.endswith(g.plural_endings) and not w.endswith("ss") and len(w) > 3)


def counted_noun(
    t: Toks, j: int, g: QuantityGrammar, doc: Any, span_start: int, span_end: int,
    partitive: bool, unit: str | None, unit_glued: bool,
) -> Noun | None:  # fmt: skip
    """The counted noun after the number (and unit) ending before token j, or None."""
    noun_from = j
    if t.low(j) in g.of and (partitive or g.partitive_always or t.low(j + 1) in g.determiners):
        noun_from = j + 1
        if t.low(noun_from) in g.determiners:
            noun_from += 1
    elif t.low(j) in g.dimensions or (t.low(j) == "-" and t.low(j + 1) in g.dimensions):
        noun_from = j + 1 if t.low(j) in g.dimensions else j + 2
    # After a unit other than %, a noun is only counted when tied to it: "105 km long highway",
    # "a 105-km highway", "5 tonnes of food"; "2,000 km east" counts nothing.
    if not (unit is None or unit == "%" or unit_glued or noun_from != j):
        return None
    if doc is not None and g.counted_from_doc is not None:
        tok = g.counted_from_doc(doc, span_start, span_end)
        if tok is not None:
            return tok.text, tok.idx, tok.idx + len(tok.text)
    if noun_from >= len(t):
        return None
    if g.counted_rule == "han":
        return _han_noun(t, noun_from, g)
    m = _RULES[g.counted_rule](t, noun_from, g)
    if m is None:
        return None
    direct = m == j
    if doc is not None and g.doc_word_ok is not None and not g.doc_word_ok(doc, t.starts[m], t.ends[m], direct):
        return None
    if g.counted_rule == "english" and t.lows[m].endswith("ed") and not direct:
        return None
    return t.word(m), t.starts[m], t.ends[m]


def _run(t: Toks, k: int) -> list[int]:
    """The words after token k up to punctuation or a line break (hyphenated words as one)."""
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
    return run


def _never_counted(w: str, g: QuantityGrammar) -> bool:
    return (
        w in g.stop or w in g.months or w in g.units or w in g.scales or w in g.small or w in g.tens
        or w in g.hundreds
    )  # fmt: skip


def _english_modifier(t: Toks, k: int, g: QuantityGrammar) -> bool:
    """An English word that modifies a following noun: "Russian", "armed", "additional"."""
    w = t.lows[k]
    if w in g.adjectives:
        return True
    if t.word(k)[:1].isupper() and w not in g.stop:
        return True  # Russian peacekeepers, Syrian refugees, UN observers
    if w.endswith(g.adjective_endings) and not w.endswith("s"):
        return True
    return w.endswith(("ed", "ing")) and len(w) > 4


def _english(t: Toks, k: int, g: QuantityGrammar) -> int | None:
    """Skips modifiers told by capital and suffix; takes a plural noun after a singular one ("police officers")."""
    run = _run(t, k)
    for pos, m in enumerate(run):
        w = t.lows[m]
        if _never_counted(w, g):
            return None
        has_next = pos + 1 < len(run) and t.lows[run[pos + 1]] not in g.stop
        if has_next and (_english_modifier(t, m, g) or w.endswith("ly")):
            continue
        if w.endswith("ly") or (not has_next and (w in g.adjectives or w.endswith(g.adjective_endings))):
            return None  # "eight current and former staff": the noun is out of reach
        if has_next and not is_plural_noun(w, g) and t.word(run[pos + 1]).islower():
            following = t.lows[run[pos + 1]]
            if is_plural_noun(following, g) and following not in g.stop:
                return run[pos + 1]  # compound: police officers, aid workers
        if w.endswith("ed") and pos > 0:
            return None
        return m
    return None


def _endings(t: Toks, k: int, g: QuantityGrammar) -> int | None:
    """Adjectives before the noun, told by their endings ("немецких инженеров", "Suriyeli mülteci")."""
    run = _run(t, k)
    for pos, m in enumerate(run):
        w = t.lows[m]
        if _never_counted(w, g):
            return None
        has_next = pos + 1 < len(run) and t.lows[run[pos + 1]] not in g.stop
        if concept_of(w, g.code) is not None:
            return m  # "300 военных": an adjective standing for the noun the lexicon knows
        if has_next and (w.endswith(g.adjective_endings) or w.endswith(g.demonym_endings) or (
            g.demonym_endings and t.word(m)[:1].isupper() and t.word(run[pos + 1])[:1].islower()
        )):
            continue
        return m
    return None


def _capital(t: Toks, k: int, g: QuantityGrammar) -> int | None:
    """German: the first capitalised word, after lower-case adjectives ("2.000 syrische Flüchtlinge")."""
    for m in _run(t, k)[:4]:
        w = t.lows[m]
        if _never_counted(w, g):
            return None
        if t.word(m)[:1].isupper() or concept_of(w, g.code) is not None:
            return m
    return None


def _first(t: Toks, k: int, g: QuantityGrammar) -> int | None:
    """The noun follows the number, its adjectives after it ("300 personnes déplacées")."""
    run = _run(t, k)
    if not run or run[0] != k or _never_counted(t.lows[k], g):
        return None
    return k


def _han_noun(t: Toks, k: int, g: QuantityGrammar) -> Noun | None:
    """Chinese: an optional classifier, then the longest lexicon word, else the next two characters."""
    classified = t.low(k) in g.classifiers and t.adjacent(k)
    if classified:
        k += 1
    if k >= len(t) or t.kinds[k] != "w" or not t.adjacent(k):
        return None
    chars = []
    m = k
    while m < len(t) and m < k + 4 and t.kinds[m] == "w" and (m == k or t.adjacent(m)):
        chars.append(t.lows[m])
        m += 1
    length = lexicon_prefix("".join(chars), g.code)
    if not length and classified and len(chars) >= 2 and chars[0] not in g.stop:
        length = 2
    if not length:
        return None
    return t.text[t.starts[k] : t.ends[k + length - 1]], t.starts[k], t.ends[k + length - 1]


_RULES = {"english": _english, "endings": _endings, "capital": _capital, "first": _first}
