"""Tokens and the gazetteer phrase matcher: the longest run of tokens whose folded form is a name.

The matcher also reads inflected forms (a case ending or clitic stripped, see languages.py) and the
``Detector`` answers the questions detection and alias learning ask about the words around a name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex

from storyline.read.gazetteer import Gazetteer, english_words
from storyline.read.places.languages import PlaceLanguage, place_language
from storyline.read.places.words import ARTICLES, FEATURE_OF, FEATURE_WORDS, LOCATIVE, TITLES
from storyline.text import fold

# A Han character is a token of its own (Chinese has no spaces); other words run on.
TOKEN = regex.compile(r"\p{Han}|(?:(?!\p{Han})[\p{L}\p{N}])(?:(?!\p{Han})[\p{L}\p{M}\p{N}])*")
HAN = regex.compile(r"\p{Han}")
HAN_RUN = regex.compile(r"\p{Han}+")
NAME_GAP = re.compile(r"^(?:[ \t]?[-'’.]?[ \t]?|[ \t]?&[ \t]?)$")
_SENTENCE_END = re.compile(r"(?<=[.!?…؟։])[\"”’)»]*\s+|(?<=[。！？])[”」』)]*\s*|\n\s*")
_CYRILLIC = regex.compile(r"\p{Cyrillic}")
_OF = {"of", "de", "d", "di", "du", "da", "do", "del", "della"}
# The longest Chinese name tried, in characters.
HAN_MAX = 8


@dataclass
class Token:
    start: int
    end: int
    text: str
    key: str
    sentence: int
    first: bool  # first token of its sentence


@dataclass
class Mention:
    t0: int  # token range [t0, t1)
    t1: int
    start: int
    end: int
    key: str
    entries: list[tuple[int, int]]  # (gazetteer index, flag)
    source: str
    label: str | None = None
    feature: str | None = None
    demonym: bool = False
    support: float = 1.0  # detection confidence
    place: int | None = None
    confidence: float = 0.0
    qualifier: int | None = None  # index of a mention that qualifies this one ("Paris, Texas")
    alias_of: bool = False  # learned from an apposition or 'known as' next to a mention
    cue: bool = False  # a case ending or clitic on the name says "in", "from" or "to"


# -- tokens ------------------------------------------------------------------------


def sentence_spans(text: str, sentences: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    if sentences:
        return sorted(sentences)
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def cut_tokens(text: str, sentences: list[tuple[int, int]]) -> list[Token]:
    out: list[Token] = []
    si = 0
    last_sentence = -1
    for m in TOKEN.finditer(text):
        while si + 1 < len(sentences) and m.start() >= sentences[si + 1][0]:
            si += 1
        out.append(Token(m.start(), m.end(), m.group(), fold(m.group()), si, si != last_sentence))
        last_sentence = si
    return out


def is_cased(s: str) -> bool:
    return s.lower() != s.upper()


def capitalised(s: str) -> bool:
    return not is_cased(s[:1]) or s[:1].isupper()


def all_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


# -- the phrase matcher ------------------------------------------------------------


def join_keys(keys: list[str]) -> str:
    """Folded tokens as a gazetteer key: Han characters join without spaces."""
    if len(keys) > 1 and all(len(k) == 1 for k in keys):
        joined = "".join(keys)
        if HAN_RUN.fullmatch(joined):  # one regex call, not one a character: Chinese looks up ~5 keys a character
            return joined
    return " ".join(keys)


def lookup(gaz: Gazetteer, keys: list[str], lang: PlaceLanguage | None = None) -> tuple[str, tuple[int, ...], bool] | None:
    """The gazetteer key and entries the tokens name, the last one perhaps inflected ("Києві",
    "Gəncədə") or the first one with a clitic ("وبغداد"); and whether the affix says "in/from/to"."""
    key = join_keys(keys)
    packed = gaz.entries_for_key(key)
    if packed:
        return key, packed, False
    if lang is None or not (lang.endings or lang.prefixes):
        if not _CYRILLIC.search(keys[-1]):
            return None
        lang = place_language("ru")
        assert lang is not None
    hits: list[tuple[str, tuple[int, ...], bool]] = []
    if len(keys[-1]) > 3:
        for form, cue in lang.inflections(keys[-1]):
            k = " ".join([*keys[:-1], form])
            if packed := gaz.entries_for_key(k):
                hits.append((k, packed, cue))
    if len(keys) > 1 and lang.prefixes:
        for form, cue in lang.inflections(keys[0]):
            k = " ".join([form, *keys[1:]])
            if packed := gaz.entries_for_key(k):
                hits.append((k, packed, cue))
    # "Харкові" might be a hamlet "Харк" + "ові" or Kharkiv + "і": the most notable reading wins.
    return max(hits, key=lambda h: max(gaz.populations[v >> 3] for v in h[1]), default=None)


def gazetteer_matches(text: str, tokens: list[Token], gaz: Gazetteer, lang: PlaceLanguage | None = None) -> list[Mention]:
    """Greedy longest match of token n-grams against the folded names."""
    out: list[Mention] = []
    i, n_tokens = 0, len(tokens)
    while i < n_tokens:
        tok = tokens[i]
        if not capitalised(tok.text) or tok.text[0].isdigit():
            i += 1
            continue
        # Extend while tokens are joined by a name gap (space, hyphen, period, apostrophe).
        j = i + 1
        longest = HAN_MAX if HAN.fullmatch(tok.key) else gaz.max_tokens
        while j < n_tokens and j - i < longest and tokens[j].sentence == tok.sentence and NAME_GAP.match(
            text[tokens[j - 1].end : tokens[j].start]
        ):
            j += 1
        found = None
        for k in range(j, i, -1):
            last = tokens[k - 1].text
            if k - 1 > i and not capitalised(last):
                continue  # a name ends on a capitalised word ("Bosnia and Herzegovina")
            hit = lookup(gaz, [t.key for t in tokens[i:k]], lang)
            if hit:
                found = (k, hit)
                break
        if found is None:
            i += 1
            continue
        k, (key, packed, cue) = found
        entries = [(v >> 3, v & 7) for v in packed]
        out.append(Mention(i, k, tokens[i].start, tokens[k - 1].end, key, entries, "gazetteer", cue=cue))
        i = k
    return out


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive from an NER span; a name ends at a line break."""
    s = text[start:end]
    if "\n" in s.strip():
        end = start + len(s.rstrip()) if "\n" not in s.strip() else start + s.index("\n", len(s) - len(s.lstrip()))
        s = text[start:end]
    m = re.match(r"(?i)(the|a|an)\s+", s)
    if m:
        start += m.end()
    s = text[start:end]
    m = re.search(r"['’]s?$", s)
    if m:
        end = start + m.start()
    return start, end


def token_range(tokens: list[Token], start: int, end: int) -> tuple[int, int]:
    t0 = bisect_right(tokens, start, key=lambda t: t.end)  # the first token ending after start
    t1 = t0
    while t1 < len(tokens) and tokens[t1].start < end:
        t1 += 1
    return t0, t1



@lru_cache(maxsize=64)
def known_words(code: str | None) -> frozenset[str]:
    """English's words and the language's stop words: a name that is one needs support (built once per language)."""
    lang = place_language(code)
    return english_words() | lang.stop_words if lang else english_words()


class Detector:
    def __init__(self, text: str, tokens: list[Token], gaz: Gazetteer, ner: list[tuple[int, int, str]],
                 lang: PlaceLanguage | None = None):
        self.text, self.tokens, self.gaz, self.lang = text, tokens, gaz, lang
        self.ner = sorted(ner)
        self.words = known_words(lang.code if lang else None)
        self.locatives = LOCATIVE | lang.locatives if lang else LOCATIVE
        self.features = {w: w for w in FEATURE_WORDS} | (lang.features if lang else {})
        # token index -> NER label covering it
        self.label_at: dict[int, tuple[str, int, int]] = {}
        for start, end, label in self.ner:
            t0, t1 = token_range(tokens, start, end)
            for t in range(t0, t1):
                self.label_at[t] = (label, t0, t1)

    def prev_word(self, t: int, skip_articles: bool = True) -> str | None:
        i = t - 1
        while i >= 0 and self.tokens[i].sentence == self.tokens[t].sentence:
            w = self.tokens[i].key
            if skip_articles and w in ARTICLES:
                i -= 1
                continue
            return w
        return None

    def next_word(self, t: int) -> str | None:
        if t < len(self.tokens) and (t == 0 or self.tokens[t].sentence == self.tokens[t - 1].sentence):
            return self.tokens[t].key
        return None

    def feature_after(self, t1: int) -> str | None:
        w = self.next_word(t1)
        if w in self.features and not (is_cased(self.tokens[t1].text[:1]) and self.tokens[t1].text[:1].isupper()):
            return self.features[w]
        return None

    def feature_before(self, t0: int) -> str | None:
        """'city of X', 'la ville de X', 'مدينة X' ('the X region' is handled by feature_after)."""
        if (t0 >= 2 and self.tokens[t0 - 1].key == "of" and self.tokens[t0 - 2].key in FEATURE_OF
                and self.tokens[t0 - 2].sentence == self.tokens[t0].sentence):
            return self.tokens[t0 - 2].key
        if self.lang is None or not self.lang.feature_first:
            return None
        for back in (1, 2):  # "ville de X", "مدينة X"
            t = t0 - back
            if t < 0 or self.tokens[t].sentence != self.tokens[t0].sentence:
                return None
            key = self.tokens[t].key
            if key in self.lang.features and not capitalised(self.tokens[t].text) or not self.lang.cased and key in self.lang.features:
                return self.lang.features[key]
            if key not in _OF:
                return None
        return None

    def suffix_cue(self, t1: int) -> bool:
        """A case ending after an apostrophe says "in/from/to": Turkish "Ankara'da"."""
        if self.lang is None or t1 >= len(self.tokens) or self.text[self.tokens[t1 - 1].end : self.tokens[t1].start] not in ("'", "’"):
            return False
        return self.tokens[t1].key in self.lang.locative_endings

    def person_context(self, t0: int, t1: int) -> bool:
        """A title before, or a capitalised non-name word right next to it: a person's name."""
        prev = self.prev_word(t0, skip_articles=False)
        if prev in TITLES:
            return True
        if not is_cased(self.tokens[t0].text[:1]):
            return False  # no capitals: the neighbours say nothing
        if t0 > 0 and self.tokens[t0 - 1].sentence == self.tokens[t0].sentence:
            p = self.tokens[t0 - 1]
            gap = self.text[p.end : self.tokens[t0].start]
            if gap in {" ", ". "} and capitalised(p.text) and not p.first and p.key not in self.words:
                return True
        if t1 < len(self.tokens) and self.tokens[t1].sentence == self.tokens[t1 - 1].sentence:
            n = self.tokens[t1]
            gap = self.text[self.tokens[t1 - 1].end : n.start]
            if gap == " " and capitalised(n.text) and n.key not in self.words and n.key not in FEATURE_WORDS:
                return True
        return False

    def caps_run(self, t0: int, t1: int) -> bool:
        """The words around are capitals too, or the name opens a line: a headline or dateline."""
        if t0 == 0 or "\n" in self.text[self.tokens[t0 - 1].end : self.tokens[t0].start]:
            return True
        return any(0 <= t < len(self.tokens) and all_caps(self.tokens[t].text) for t in (t0 - 1, t1))

    def place_context(self, m: Mention) -> bool:
        return bool(
            m.feature
            or m.cue
            or self.prev_word(m.t0) in self.locatives
            or self.feature_before(m.t0)
            or self.suffix_cue(m.t1)
        )
