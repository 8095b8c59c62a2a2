"""Find place names in an article, resolve them to gazetteer entries, learn aliases.

Mentions come from two sources: the NER spans the reading pipeline passes in
(spaCy for English, natasha for Russian) and a phrase matcher over the folded
text that looks up every token n-gram in the gazetteer. The matcher corrects the
NER (a small model tags unfamiliar places as PERSON) and is held back where a
name is also an ordinary word, a first name or a sentence-initial capital.

Resolution scores each candidate entry by generic features: how notable the
entry is (population, number of names, kind), whether its country and state are
those of the article's other places, how close it lies to them, and whether the
feature word ("X region", "city of X") fits its kind. All mentions of one name in
an article resolve to the same entry (one sense per discourse).

Aliases are learned from the text: appositions ("X (Y in Armenian)"), "known
as", "also called", "also spelled", "formerly", and spelling variants close to a
name of a place near the article's other places.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import regex
from rapidfuzz.distance import Levenshtein

from storyline.models import Alias, Place, PlaceMention
from storyline.read.gazetteer import (
    ABBREVIATION,
    ADMIN_POPULATION_DISCOUNT,
    ALTERNATE,
    DEMONYM,
    INITIALISM,
    KINDS,
    NAME,
    Gazetteer,
    distance_km,
    english_words,
    load_gazetteer,
)
from storyline.text import fold

# -- generic word lists (linguistic, not places) ----------------------------------

PLACE_LABELS = {"GPE", "LOC", "FAC"}
DEMONYM_LABELS = {"NORP"}
PERSON_LABELS = {"PERSON", "PER"}
# Spans of these labels never hold a place mention.
BLOCKING_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LANGUAGE",
                   "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"}

# Words naming the kind of feature a place is; "the X region", "X district".
ADMIN_FEATURES = {"region", "regions", "district", "districts", "province", "provinces", "county", "counties",
                  "oblast", "governorate", "rayon", "raion", "prefecture", "municipality", "state", "territory",
                  "department", "canton", "krai", "republic", "emirate", "parish", "borough", "area", "zone"}
CITY_FEATURES = {"city", "town", "village", "settlement", "capital", "port", "township", "suburb", "hamlet"}
OTHER_FEATURES = {"corridor", "valley", "river", "mountains", "mountain", "border", "airport", "lake", "coast",
                  "highway", "road", "pass", "gorge", "plain", "basin", "peninsula", "island", "islands", "bay",
                  "sea", "strait", "gulf", "desert", "plateau", "heights", "enclave", "exclave", "front", "line"}
FEATURE_WORDS = ADMIN_FEATURES | CITY_FEATURES | OTHER_FEATURES
# "city of X": feature words that precede the name with "of".
FEATURE_OF = {"city", "town", "village", "region", "province", "district", "state", "county", "port", "capital",
              "municipality", "republic", "settlement", "island", "suburb", "area", "outskirts"}
LOCATIVE = {"in", "at", "from", "to", "near", "into", "across", "through", "towards", "toward", "outside",
            "inside", "around", "via", "between", "throughout", "within", "entered", "entering", "reached",
            "reach", "leave", "left", "visited", "visit", "north", "south", "east", "west", "northern",
            "southern", "eastern", "western", "central", "of",
            # Russian
            "в", "во", "на", "из", "под", "около", "возле", "через", "до", "у"}
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "president", "minister",
          "premier", "gen", "general", "col", "colonel", "capt", "captain", "sgt", "lt", "sen", "senator", "rep",
          "gov", "governor", "mayor", "judge", "justice", "king", "queen", "prince", "princess", "pope",
          "rev", "reverend", "father", "sister", "brother", "uncle", "aunt", "coach", "officer", "chancellor",
          "secretary", "spokesman", "spokeswoman", "chairman", "ceo", "dear", "mister", "madam",
          "господин", "госпожа", "президент", "министр", "генерал"}
MONTHS_AND_DAYS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                   "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                   "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
                   "saturday", "sunday"}
ARTICLES = {"the", "a", "an"}
# "X (Y in Armenian)", "X (Y, in Russian)": the language phrase marks Y as a name of X.
_LANGUAGE_PHRASE = re.compile(r"^\s*,?\s*(?:in|from)\s+[A-Z][a-z]+\s*$")
_KNOWN_AS = re.compile(
    r"^\s*[,(]?\s*(?:(?:which|that|who)\s+(?:is|was|are|were)\s+)?(?:(?:also|sometimes|often|commonly|locally|"
    r"widely|better|previously|once)\s+)?(?P<kind>known as|called|spelled|spelt|referred to as|named|formerly(?: known as| called)?)"
    r"\s+(?:the\s+)?[\"“']?$",
    re.IGNORECASE,
)

_TOKEN = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*")
_NAME_GAP = re.compile(r"^(?:[ \t]?[-'’.]?[ \t]?|[ \t]?&[ \t]?)$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+|\n\s*")
_CYRILLIC = regex.compile(r"\p{Cyrillic}")
# Russian case endings, longest first: "Москве" -> "Москв" + "а".
_RU_ENDINGS = ("ами", "ями", "ией", "иях", "ием", "ой", "ей", "ом", "ем", "ах", "ях", "ую", "ию", "ии", "ью",
               "а", "я", "у", "ю", "е", "и", "ы")
_RU_BASES = ("", "а", "я", "ь", "ия", "й", "о")

# -- scoring weights (tuned on GeoWebNews dev with these features only) ---------
# Kind prior: a name that is a country is the country far more often than a
# village of the same name; admin1 names ("Texas") likewise beat small towns.
# A subdivision gets little: "New York" and "Washington" in news are the cities.
KIND_PRIOR = {"country": 3.0, "continent": 3.0, "region": 2.0, "admin1": 0.5, "city": 0.0, "admin2": 0.0}
POPULATION_WEIGHT = 0.5  # per decade of population
NAMES_WEIGHT = 0.4  # per doubling of the number of names: notable places have many
MAIN_NAME_BONUS = 1.0  # the surface is the entry's own (English) name, not one of its alternates
# A country's kind prior counts in full only for its own names: "Tunis" is a
# Croatian name of Tunisia but first of all the city.
ALTERNATE_KIND_SHARE = 0.3
CURATED_ABBREVIATION_BONUS = 3.0  # "N.M." (AP style for New Mexico) over a derived initialism
SAME_COUNTRY_BONUS = 2.0
SAME_ADMIN1_BONUS = 2.5
# A subdivision holding the article's towns: a smaller bonus, as a town named like
# its state ("New York") is nearer still (PROXIMITY_BONUS).
HOLDER_BONUS = 1.0
QUALIFIER_BONUS = 5.0  # "Paris, Texas": the qualifier names the state or country
PROXIMITY_BONUS = 2.5  # at most, for a candidate next to the article's other places
PROXIMITY_NEAR_KM, PROXIMITY_FAR_KM = 50.0, 2000.0
FEATURE_BONUS = 1.0
# Same-named city and subdivision this close are one place (a district and its seat).
SEAT_KM = 60.0
# Spelling variants: edit distance 1 for names of 6+ letters, 2 for 10+; only
# among places within this distance of the article's confident places.
VARIANT_RADIUS_KM = 150.0
VARIANT_MIN_LEN = 6
# A name the gazetteer lacks, placed by the article's other places (see
# _locate_unresolved): right about 3 times in 4 on GeoWebNews, so its confidence
# is scaled down to stay below resolved names.
CONTEXT_CONFIDENCE = 0.5
# The article's main place is the one mentioned most; a decade of population counts
# as this many mentions (Chicago over a hamlet that shares a word with the text).
FOCUS_POPULATION_WEIGHT = 0.5
# A resolved town smaller than this, farther than STRAY_KM from all the article's
# other places and in none of its countries, is dropped (see _resolve).
STRAY_MAX_POPULATION = 20000
STRAY_KM = 1000.0
# A town's all-capital code found outside NER place spans counts only for cities
# this large ("NYC", "KL"); smaller towns' codes are mostly airport codes ("CEO").
CODE_MIN_POPULATION = 1_000_000
# Weak gazetteer-only single-word matches need this population (or a kind above
# city, or place context) to count: small villages share names with everything.
WEAK_MIN_POPULATION = 5000


@dataclass
class PlaceResult:
    mentions: list[PlaceMention] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)


@dataclass
class _Token:
    start: int
    end: int
    text: str
    key: str
    sentence: int
    first: bool  # first token of its sentence


@dataclass
class _Mention:
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


# -- tokens ------------------------------------------------------------------------


def _sentence_spans(text: str, sentences: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    if sentences:
        return sorted(sentences)
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _tokens(text: str, sentences: list[tuple[int, int]]) -> list[_Token]:
    out: list[_Token] = []
    si = 0
    last_sentence = -1
    for m in _TOKEN.finditer(text):
        while si + 1 < len(sentences) and m.start() >= sentences[si + 1][0]:
            si += 1
        out.append(_Token(m.start(), m.end(), m.group(), fold(m.group()), si, si != last_sentence))
        last_sentence = si
    return out


def _is_cased(s: str) -> bool:
    return s.lower() != s.upper()


def _capitalised(s: str) -> bool:
    return not _is_cased(s[:1]) or s[:1].isupper()


def _all_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


# -- the phrase matcher ------------------------------------------------------------


def _lookup(gaz: Gazetteer, keys: list[str]) -> tuple[str, tuple[int, ...]] | None:
    key = " ".join(keys)
    packed = gaz.entries_for_key(key)
    if packed:
        return key, packed
    last = keys[-1]
    if _CYRILLIC.search(last) and len(last) > 3:
        for ending in _RU_ENDINGS:
            if last.endswith(ending) and len(last) - len(ending) >= 3:
                stem = last[: -len(ending)]
                for base in _RU_BASES:
                    k = " ".join([*keys[:-1], stem + base])
                    packed = gaz.entries_for_key(k)
                    if packed:
                        return k, packed
    return None


def _gazetteer_matches(text: str, tokens: list[_Token], gaz: Gazetteer) -> list[_Mention]:
    """Greedy longest match of token n-grams against the folded names."""
    out: list[_Mention] = []
    i, n_tokens = 0, len(tokens)
    while i < n_tokens:
        tok = tokens[i]
        if not _capitalised(tok.text) or tok.text[0].isdigit():
            i += 1
            continue
        # Extend while tokens are joined by a name gap (space, hyphen, period, apostrophe).
        j = i + 1
        while j < n_tokens and j - i < gaz.max_tokens and tokens[j].sentence == tok.sentence and _NAME_GAP.match(
            text[tokens[j - 1].end : tokens[j].start]
        ):
            j += 1
        found = None
        for k in range(j, i, -1):
            last = tokens[k - 1].text
            if k - 1 > i and not _capitalised(last):
                continue  # a name ends on a capitalised word ("Bosnia and Herzegovina")
            hit = _lookup(gaz, [t.key for t in tokens[i:k]])
            if hit:
                found = (k, hit)
                break
        if found is None:
            i += 1
            continue
        k, (key, packed) = found
        entries = [(v >> 3, v & 7) for v in packed]
        out.append(_Mention(i, k, tokens[i].start, tokens[k - 1].end, key, entries, "gazetteer"))
        i = k
    return out


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
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


def _token_range(tokens: list[_Token], start: int, end: int) -> tuple[int, int]:
    t0 = bisect_right(tokens, start, key=lambda t: t.end)  # the first token ending after start
    t1 = t0
    while t1 < len(tokens) and tokens[t1].start < end:
        t1 += 1
    return t0, t1


# -- detection -----------------------------------------------------------------------


class _Detector:
    def __init__(self, text: str, tokens: list[_Token], gaz: Gazetteer, ner: list[tuple[int, int, str]]):
        self.text, self.tokens, self.gaz = text, tokens, gaz
        self.ner = sorted(ner)
        self.words = english_words()
        # token index -> NER label covering it
        self.label_at: dict[int, tuple[str, int, int]] = {}
        for start, end, label in self.ner:
            t0, t1 = _token_range(tokens, start, end)
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
        if w in FEATURE_WORDS and not _capitalised(self.tokens[t1].text):
            return w
        return None

    def feature_before(self, t0: int) -> str | None:
        """'city of X', 'the X region' is handled by feature_after."""
        if (t0 >= 2 and self.tokens[t0 - 1].key == "of" and self.tokens[t0 - 2].key in FEATURE_OF
                and self.tokens[t0 - 2].sentence == self.tokens[t0].sentence):
            return self.tokens[t0 - 2].key
        return None

    def person_context(self, t0: int, t1: int) -> bool:
        """A title before, or a capitalised non-name word right next to it: a person's name."""
        prev = self.prev_word(t0, skip_articles=False)
        if prev in TITLES:
            return True
        if t0 > 0 and self.tokens[t0 - 1].sentence == self.tokens[t0].sentence:
            p = self.tokens[t0 - 1]
            gap = self.text[p.end : self.tokens[t0].start]
            if gap in {" ", ". "} and _capitalised(p.text) and not p.first and p.key not in self.words:
                return True
        if t1 < len(self.tokens) and self.tokens[t1].sentence == self.tokens[t1 - 1].sentence:
            n = self.tokens[t1]
            gap = self.text[self.tokens[t1 - 1].end : n.start]
            if gap == " " and _capitalised(n.text) and n.key not in self.words and n.key not in FEATURE_WORDS:
                return True
        return False

    def caps_run(self, t0: int, t1: int) -> bool:
        """The words around are capitals too, or the name opens a line: a headline or dateline."""
        if t0 == 0 or "\n" in self.text[self.tokens[t0 - 1].end : self.tokens[t0].start]:
            return True
        return any(0 <= t < len(self.tokens) and _all_caps(self.tokens[t].text) for t in (t0 - 1, t1))

    def place_context(self, m: _Mention) -> bool:
        return bool(
            m.feature
            or self.prev_word(m.t0) in LOCATIVE
            or self.feature_before(m.t0)
        )


def _flags(m: _Mention) -> set[int]:
    return {f for _, f in m.entries}


def _non_demonym(m: _Mention) -> list[tuple[int, int]]:
    return [(i, f) for i, f in m.entries if f != DEMONYM]


def _surface_ok(d: _Detector, m: _Mention, ner_place: bool = True) -> bool:
    """Case and punctuation checks for abbreviations and initialisms. Outside an NER
    place span, a town's code ("CEO", "MP": airport and postal codes among GeoNames'
    alternates) is not taken for the town unless the town is a large city ("NYC")."""
    surface = d.text[m.start : m.end]
    caps = _all_caps(surface)
    keep = []
    for i, f in m.entries:
        if f == INITIALISM and not caps:
            continue
        if f == INITIALISM and not ner_place and KINDS[d.gaz.kinds[i]] == "city" and (
                d.gaz.populations[i] < CODE_MIN_POPULATION):
            continue
        if f == ABBREVIATION and not (
            "." in surface or d.text[m.end : m.end + 1] == "."
        ):
            continue
        if f in (NAME, ALTERNATE) and caps and len(surface.replace(".", "")) <= 3:
            continue  # "US" is not the French village Us
        keep.append((i, f))
    m.entries = keep
    return bool(keep)


def _detect(text: str, tokens: list[_Token], gaz: Gazetteer, ner: list[tuple[int, int, str]]) -> list[_Mention]:
    ner = _split_at_brackets(text, ner)
    d = _Detector(text, tokens, gaz, ner)
    mentions: list[_Mention] = []
    covered: set[int] = set()

    # 1. NER place spans, trimmed, with a feature word split off.
    for start, end, label in d.ner:
        if label not in PLACE_LABELS and label not in DEMONYM_LABELS:
            continue
        start, end = _trim_span(text, start, end)
        t0, t1 = _token_range(tokens, start, end)
        if t0 >= t1:
            continue
        feature = None
        if t1 - t0 > 1 and tokens[t1 - 1].key in FEATURE_WORDS and not _capitalised(tokens[t1 - 1].text):
            feature = tokens[t1 - 1].key
            t1 -= 1
        hit = _lookup(gaz, [t.key for t in tokens[t0:t1]])
        m = _Mention(t0, t1, tokens[t0].start, tokens[t1 - 1].end, hit[0] if hit else " ".join(
            t.key for t in tokens[t0:t1]), [(v >> 3, v & 7) for v in hit[1]] if hit else [], "spacy", label)
        m.feature = feature or d.feature_after(t1) or d.feature_before(t0)
        if label in DEMONYM_LABELS:
            if not any(f == DEMONYM for _, f in m.entries):
                continue
            m.entries = [(i, f) for i, f in m.entries if f == DEMONYM]
            m.demonym, m.feature = True, "demonym"
        elif m.entries and not _surface_ok(d, m):
            m.entries = []
        mentions.append(m)
        covered.update(range(t0, t1))

    # 2. Gazetteer matches outside those spans.
    for m in _gazetteer_matches(text, tokens, gaz):
        if any(t in covered for t in range(m.t0, m.t1)):
            continue
        labels = {d.label_at[t] for t in range(m.t0, m.t1) if t in d.label_at}
        label = next(iter(labels))[0] if len(labels) == 1 else None
        exact = len(labels) == 1 and next(iter(labels))[1:] == (m.t0, m.t1)
        if any(lab[0] in BLOCKING_LABELS for lab in labels):
            continue
        if not _surface_ok(d, m, ner_place=False):
            continue
        m.feature = d.feature_after(m.t1) or d.feature_before(m.t0)
        m.label = label
        flags = _flags(m)
        if flags == {DEMONYM}:
            m.demonym, m.feature, m.support = True, "demonym", 0.6
            if labels and label not in DEMONYM_LABELS:
                continue
            mentions.append(m)
            continue
        m.entries = _non_demonym(m)
        surface = text[m.start : m.end]
        single = m.t1 - m.t0 == 1
        common = single and (tokens[m.t0].key in d.words or tokens[m.t0].key in MONTHS_AND_DAYS)
        if tokens[m.t0].key in MONTHS_AND_DAYS:
            continue
        kinds = {KINDS[gaz.kinds[i]] for i, _ in m.entries}
        big = any(gaz.populations[i] >= WEAK_MIN_POPULATION for i, _ in m.entries) or bool(kinds - {"city", "admin2"})
        context = d.place_context(m)
        if labels:
            # Inside an NER span of another label: only a whole PERSON/ORG span that is a
            # place name, in place context and not after a title, is corrected.
            if not exact or label not in PERSON_LABELS | {"ORG"} | DEMONYM_LABELS:
                continue
            if label in DEMONYM_LABELS and (common or not context):
                continue  # "Ijevan district": a place the model took for a nationality
            if label in PERSON_LABELS and (d.person_context(m.t0, m.t1) or not (context or _near_place(d, m, mentions))):
                continue
            if label == "ORG" and (common or d.person_context(m.t0, m.t1) or not (
                    kinds & {"country", "admin1", "continent", "region"} or context)):
                continue
            m.support = 0.7
        else:
            if _all_caps(surface) and not (flags & {INITIALISM, ABBREVIATION}) and (
                    common or len(surface) < 4 or not d.caps_run(m.t0, m.t1)):
                continue  # an acronym ("ANAMA"), unless in a capitalised headline or dateline
            if common and not context:
                continue
            if tokens[m.t0].first and common:
                continue
            if d.person_context(m.t0, m.t1) and not context:
                continue
            if single and not big and not context:
                m.support = 0.4  # kept only if near the article's other places (see _resolve)
            else:
                m.support = 0.8 if not common else 0.6
        mentions.append(m)
    mentions.sort(key=lambda m: m.start)
    return mentions


def _split_at_brackets(text: str, ner: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A small NER model runs spans across brackets ("Mumbai (Bombay"): cut them there."""
    out = []
    for start, end, label in ner:
        for part in re.finditer(r"[^()\[\]]+", text[start:end]):
            s0, e0 = start + part.start(), start + part.end()
            while s0 < e0 and text[s0].isspace():
                s0 += 1
            while e0 > s0 and text[e0 - 1].isspace():
                e0 -= 1
            if e0 > s0:
                out.append((s0, e0, label))
    return out


def _near_place(d: _Detector, m: _Mention, mentions: list[_Mention]) -> bool:
    """Another place mention in the same sentence."""
    sentence = d.tokens[m.t0].sentence
    return any(o.entries and not o.demonym and d.tokens[o.t0].sentence == sentence for o in mentions)


# -- resolution ------------------------------------------------------------------------


@dataclass
class _Context:
    countries: Counter = field(default_factory=Counter)
    admin1: Counter = field(default_factory=Counter)
    points: list[tuple[float, float, str]] = field(default_factory=list)  # lat, lon, mention key
    # The same counts per mention key: a name is not its own context.
    own_countries: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    own_admin1: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # First-level subdivisions that the article's towns lie in.
    holders: Counter = field(default_factory=Counter)
    own_holders: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def country_count(self, country: str, key: str) -> int:
        return self.countries[country] - self.own_countries[key][country]

    def admin1_count(self, admin1: str, key: str) -> int:
        return self.admin1[admin1] - self.own_admin1[key][admin1]

    def holder_count(self, admin1: str, key: str) -> int:
        return self.holders[admin1] - self.own_holders[key][admin1]


def _prior(gaz: Gazetteer, index: int, flag: int) -> float:
    kind = KINDS[gaz.kinds[index]]
    population = gaz.populations[index]
    if kind in ("admin1", "admin2"):
        # A subdivision's population is the sum of its towns: discount it so that
        # "New York" the city is not outweighed by the state for being part of it.
        population //= ADMIN_POPULATION_DISCOUNT
    own = flag != ALTERNATE
    return (
        KIND_PRIOR[kind] * (1.0 if own else ALTERNATE_KIND_SHARE)
        + POPULATION_WEIGHT * math.log10(population + 1)
        + NAMES_WEIGHT * math.log2(gaz.name_counts[index] + 1)
        + (MAIN_NAME_BONUS if flag == NAME else 0.0)
        + (CURATED_ABBREVIATION_BONUS if flag == ABBREVIATION else 0.0)
    )


def _proximity(lat: float, lon: float, points: list[tuple[float, float, str]], key: str) -> float:
    best = math.inf
    for plat, plon, pkey in points:
        if pkey != key:
            best = min(best, distance_km(lat, lon, plat, plon))
    if best <= PROXIMITY_NEAR_KM:
        return PROXIMITY_BONUS
    if best >= PROXIMITY_FAR_KM:
        return 0.0
    return PROXIMITY_BONUS * (1 - math.log(best / PROXIMITY_NEAR_KM) / math.log(PROXIMITY_FAR_KM / PROXIMITY_NEAR_KM))


def _collapse_seats(gaz: Gazetteer, entries: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A subdivision named like a city within SEAT_KM of it is the same place: keep the city."""
    cities = [(i, f) for i, f in entries if KINDS[gaz.kinds[i]] == "city"]
    out = []
    for i, f in entries:
        if KINDS[gaz.kinds[i]] in ("admin1", "admin2") and any(
            gaz.countries[c] == gaz.countries[i]
            and distance_km(gaz.lats[c], gaz.lons[c], gaz.lats[i], gaz.lons[i]) <= SEAT_KM
            for c, _ in cities
        ):
            continue
        out.append((i, f))
    return out


def _drop_lesser_alternates(gaz: Gazetteer, entries: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """When the name is a country's or first-level subdivision's own name ("Florida",
    "Alaska"), smaller towns that merely list it among their alternates (an old
    name, a translation) are not candidates; a city that outweighs the subdivision
    (New York City, alternately "New York") stays."""
    containers = [gaz.populations[i] // ADMIN_POPULATION_DISCOUNT for i, f in entries
                  if f != ALTERNATE and KINDS[gaz.kinds[i]] in CONTAINER_KINDS]
    if not containers:
        return entries
    floor = max(containers)
    return [(i, f) for i, f in entries
            if f != ALTERNATE or KINDS[gaz.kinds[i]] in CONTAINER_KINDS or gaz.populations[i] >= floor]


def _score(gaz: Gazetteer, m: _Mention, index: int, flag: int, ctx: _Context, mentions: list[_Mention]) -> float:
    s = _prior(gaz, index, flag)
    country, admin1 = gaz.countries[index], gaz.admin1[index]
    kind = KINDS[gaz.kinds[index]]
    if country and ctx.country_count(country, m.key) > 0:
        s += SAME_COUNTRY_BONUS
    if admin1 and kind != "admin1" and ctx.admin1_count(admin1, m.key) > 0:
        s += SAME_ADMIN1_BONUS
    if admin1 and kind == "admin1" and ctx.holder_count(admin1, m.key) > 0:
        s += HOLDER_BONUS  # "Washington" in a story about Seattle is the state
    if kind not in ("country", "continent", "region"):
        s += _proximity(gaz.lats[index], gaz.lons[index], ctx.points, m.key)
    if m.qualifier is not None:
        q = mentions[m.qualifier].place
        if q is not None and (gaz.ids[q] == gaz.ids[index] or (
            KINDS[gaz.kinds[q]] == "country" and gaz.countries[q] == country) or (
            KINDS[gaz.kinds[q]] == "admin1" and gaz.admin1[q] == admin1)):
            s += QUALIFIER_BONUS
    if m.feature in ADMIN_FEATURES and kind in ("admin1", "admin2") or m.feature in CITY_FEATURES and kind == "city":
        s += FEATURE_BONUS
    return s


def _context(gaz: Gazetteer, mentions: list[_Mention], min_conf: float) -> _Context:
    ctx = _Context()
    for m in mentions:
        if m.place is None or m.confidence < min_conf:
            continue
        i = m.place
        kind = KINDS[gaz.kinds[i]]
        if gaz.countries[i]:
            ctx.countries[gaz.countries[i]] += 1
            ctx.own_countries[m.key][gaz.countries[i]] += 1
        if kind == "admin1" and gaz.admin1[i]:
            ctx.admin1[gaz.admin1[i]] += 1
            ctx.own_admin1[m.key][gaz.admin1[i]] += 1
        if kind in ("city", "admin1", "admin2") and not m.demonym:
            ctx.points.append((gaz.lats[i], gaz.lons[i], m.key))
        if kind in ("city", "admin2") and gaz.admin1[i]:
            ctx.holders[gaz.admin1[i]] += 1
            ctx.own_holders[m.key][gaz.admin1[i]] += 1
    return ctx


def _resolve(gaz: Gazetteer, mentions: list[_Mention], rounds: int = 3) -> _Context:
    groups: dict[str, list[int]] = defaultdict(list)
    for n, m in enumerate(mentions):
        if m.entries:
            m.entries = _drop_lesser_alternates(gaz, _collapse_seats(gaz, m.entries))
            groups[m.key].append(n)
    ctx = _Context()
    for round_ in range(rounds):
        for _key, members in groups.items():
            totals: dict[int, float] = defaultdict(float)
            flags: dict[int, int] = {}
            for n in members:
                m = mentions[n]
                for i, f in m.entries:
                    flags[i] = min(f, flags.get(i, f))
            for i, f in flags.items():
                # One sense per discourse: the best entry over all the name's mentions.
                totals[i] = max(_score(gaz, mentions[n], i, f, ctx, mentions) for n in members)
            ranked = sorted(totals.items(), key=lambda kv: -kv[1])
            best, s1 = ranked[0]
            s2 = ranked[1][1] if len(ranked) > 1 else s1 - 4.0
            margin = 1 / (1 + math.exp(-(s1 - s2)))
            for n in members:
                m = mentions[n]
                m.place = best
                m.confidence = round(m.support * margin, 3)
        ctx = _context(gaz, mentions, min_conf=0.3 if round_ == 0 else 0.25)
    # Weak matches (small places found only by the gazetteer) stay only when close
    # to the article's other places or in the article's country.
    for m in mentions:
        if m.place is not None and m.support < 0.5 and not m.demonym:
            i = m.place
            others = [p for p in ctx.points if p[2] != m.key]
            near = any(distance_km(gaz.lats[i], gaz.lons[i], la, lo) <= VARIANT_RADIUS_KM for la, lo, _ in others)
            if not near and not (gaz.countries[i] and ctx.countries[gaz.countries[i]] > 1):
                m.place = None
                m.entries = []
    # A small town far from everything else the article names, in a country it does
    # not otherwise mention, is a different place that shares the name ("Middle
    # East", Maryland; "Heathrow", Florida): leave it to _locate_unresolved.
    for m in mentions:
        i = m.place
        if i is None or m.demonym or gaz.populations[i] >= STRAY_MAX_POPULATION or KINDS[gaz.kinds[i]] not in (
                "city", "admin2"):
            continue
        others = [p for p in ctx.points if p[2] != m.key]
        if not others or (gaz.countries[i] and ctx.country_count(gaz.countries[i], m.key) > 0):
            continue
        if all(distance_km(gaz.lats[i], gaz.lons[i], la, lo) > STRAY_KM for la, lo, _ in others):
            m.place = None
            m.entries = []
    return ctx


# -- places the gazetteer lacks -------------------------------------------------------------

SPECIFIC_KINDS = ("city", "admin2")
CONTAINER_KINDS = ("country", "admin1", "continent", "region")


def _locate_unresolved(text: str, tokens: list[_Token], gaz: Gazetteer, mentions: list[_Mention],
                       ctx: _Context) -> None:
    """Place a name the gazetteer lacks ("Royal Street", "Colchester General Hospital")
    that the NER marks as a place where the article puts it: at a place named inside
    it ("Colchester"), else at the nearest place the article mentions before it.

    Such a mention gets source "context" and a low confidence; it teaches no alias.
    """
    words = english_words()
    located = [m for m in mentions if m.place is not None and not m.demonym and m.source != "context"]
    if not located:
        return
    by_key = {m.key: m for m in located}
    longest = max([gaz.max_tokens, *(len(key.split()) for key in by_key)])
    specific = [m for m in located if KINDS[gaz.kinds[m.place]] in SPECIFIC_KINDS]
    dominant = ctx.countries.most_common(1)[0][0] if ctx.countries else None
    for m in mentions:
        if m.place is not None or m.demonym or m.source not in ("spacy", "natasha") or m.label not in PLACE_LABELS:
            continue
        inner = _inner_place(tokens, gaz, m, by_key, ctx, mentions, words, longest)
        if inner is not None and KINDS[gaz.kinds[inner]] in CONTAINER_KINDS:
            # "Illinois State Armory": where in Illinois the article says.
            inside = [o for o in specific if _within(gaz, o.place, inner)]
            near = _nearest_in_text(m, inside)
            if near is not None:
                inner = near.place
        if inner is None:
            home = [o for o in specific if gaz.countries[o.place] == dominant]
            pool = home or specific
            if pool:
                # The article's main place: mentioned most, and a notable place rather
                # than a village that happens to share a word with the text.
                weight: dict[int, float] = defaultdict(float)
                for o in pool:
                    weight[o.place] += 1.0
                for i in weight:
                    weight[i] += FOCUS_POPULATION_WEIGHT * math.log10(gaz.populations[i] + 1)
                top = max(weight.values())
                near = _nearest_in_text(m, [o for o in pool if weight[o.place] == top])
            else:
                near = _nearest_in_text(m, located)
            inner = near.place if near is not None else None
        if inner is not None:
            m.place, m.source, m.confidence = inner, "context", round(m.support * CONTEXT_CONFIDENCE, 3)


def _within(gaz: Gazetteer, index: int, container: int) -> bool:
    kind = KINDS[gaz.kinds[container]]
    if kind == "country":
        return gaz.countries[index] == gaz.countries[container]
    if kind == "admin1":
        return gaz.admin1[index] is not None and gaz.admin1[index] == gaz.admin1[container]
    return False


def _nearest_in_text(m: _Mention, others: list[_Mention]) -> _Mention | None:
    """The closest mention before ``m``, else the closest after it."""
    before = [o for o in others if o.end <= m.start]
    if before:
        return max(before, key=lambda o: o.end)
    after = [o for o in others if o.start >= m.end]
    return min(after, key=lambda o: o.start) if after else None


def _inner_place(tokens: list[_Token], gaz: Gazetteer, m: _Mention, by_key: dict[str, _Mention], ctx: _Context,
                 mentions: list[_Mention], words: frozenset[str], longest: int) -> int | None:
    """The longest capitalised name inside the span that is a place in the article's
    area: one the article resolved already, a country or first-level subdivision by
    its own name, or an entry in one of the article's countries or near its places.

    No name is longer than ``longest`` tokens (the gazetteer's longest name or the
    article's longest resolved one), so only sub-spans up to that length are tried:
    linear in the span's length (an NER span can run to hundreds of capitalised tokens)."""
    for length in range(min(m.t1 - m.t0 - 1, longest), 0, -1):
        for a in range(m.t0, m.t1 - length + 1):
            span = tokens[a : a + length]
            if not all(_capitalised(t.text) for t in span) or (length == 1 and (
                    span[0].key in words or span[0].key in FEATURE_WORDS or _all_caps(span[0].text))):
                continue
            key = " ".join(t.key for t in span)
            if key in by_key:
                return by_key[key].place
            hit = _lookup(gaz, [t.key for t in span])
            if not hit:
                continue
            entries = [(v >> 3, v & 7) for v in hit[1] if v & 7 in (NAME, ALTERNATE)]
            if not entries:
                continue
            probe = _Mention(a, a + length, span[0].start, span[-1].end, hit[0], entries, "context")
            i, f = max(entries, key=lambda e: _score(gaz, probe, e[0], e[1], ctx, mentions))
            if f == NAME and KINDS[gaz.kinds[i]] in CONTAINER_KINDS and ctx.countries[gaz.countries[i] or ""] > 0 or _in_area(gaz, i, ctx):
                return i
    return None


def _in_area(gaz: Gazetteer, index: int, ctx: _Context) -> bool:
    """Near the article's located places (a country alone is too wide: "Centre",
    "Collins" are towns somewhere in the United States too)."""
    return any(distance_km(gaz.lats[index], gaz.lons[index], la, lo) <= VARIANT_RADIUS_KM for la, lo, _ in ctx.points)


# -- qualifiers, appositions, aliases -----------------------------------------------------


def _link_qualifiers(text: str, mentions: list[_Mention]) -> None:
    """'Paris, Texas' / 'Springfield, Ill.': the second names where the first is."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        if a.entries and b.entries and text[a.end : b.start] in {", ", ","} and not a.demonym and not b.demonym:
            a.qualifier = mentions.index(b)


_APPOSITION = re.compile(r"\s*\(\s*(?P<name>[^()\n]{2,60}?)\s*\)")


def _learn_aliases(text: str, tokens: list[_Token], gaz: Gazetteer, mentions: list[_Mention],
                   article_id: str | None) -> list[tuple[int, str, str, int, int]]:
    """(place index, alias surface, provenance, start, end) from appositions and 'known as'.

    The other side becomes a mention of the same place when it is not itself a
    different place.
    """
    learned: list[tuple[int, str, str, int, int]] = []
    by_start = {m.start: n for n, m in enumerate(mentions)}
    words = english_words()
    new_mentions: list[_Mention] = []
    for m in mentions:
        if m.place is None or m.demonym or m.source == "context":
            continue
        rest = text[m.end :]
        ap = _APPOSITION.match(rest)
        candidates: list[tuple[int, int, str]] = []
        if ap:
            inner = ap.group("name")
            name_m = regex.match(r"[\p{Lu}][\p{L}\p{M}'’\-]+(?:\s[\p{Lu}][\p{L}\p{M}'’\-]+){0,2}", inner)
            if name_m:
                after = inner[name_m.end() :]
                s0 = m.end + ap.start("name") + name_m.start()
                lang = bool(_LANGUAGE_PHRASE.match(after))
                if lang or not after.strip():
                    candidates.append((s0, s0 + name_m.end(), "apposition" if not lang else "apposition_language"))
        for pattern in _known_as_targets(text, m.end):
            candidates.append(pattern)
        for s0, e0, provenance in candidates:
            surface = text[s0:e0]
            if _all_caps(surface) or surface.lower() in words:
                continue  # an acronym or an ordinary word, not a name
            other = by_start.get(s0)
            if other is not None and mentions[other].place is not None:
                o = mentions[other]
                if o.place != m.place:
                    if o.place in {i for i, _ in m.entries} or m.place in {i for i, _ in o.entries}:
                        o.place = m.place  # the apposition says they are one
                    else:
                        continue  # "Springfield (Illinois)": a different place, not an alias
                learned.append((m.place, surface, provenance.replace("_language", ""), s0, e0))
                continue
            # An unknown name: accept it with a language phrase, a known-as phrase,
            # or when it is a spelling variant of one of the place's names.
            variant = _is_variant(fold(surface), [k for k in gaz.names_by_place().get(m.place, [])])
            if provenance == "apposition" and not variant:
                continue
            t0, t1 = _token_range(tokens, s0, e0)
            learned.append((m.place, surface, provenance.replace("_language", ""), s0, e0))
            new_mentions.append(_Mention(t0, t1, s0, e0, " ".join(t.key for t in tokens[t0:t1]), [(m.place, ALTERNATE)],
                                         "alias", support=0.8, place=m.place, confidence=m.confidence * 0.9,
                                         alias_of=True))
    mentions.extend(new_mentions)
    return learned


def _known_as_targets(text: str, end: int) -> list[tuple[int, int, str]]:
    window = text[end : end + 60]
    out = []
    for cut in range(0, min(len(window), 45)):
        km = _KNOWN_AS.match(window[:cut])
        if km:
            name = regex.match(r"[\p{Lu}][\p{L}\p{M}'’\-]+(?:\s[\p{Lu}][\p{L}\p{M}'’\-]+){0,2}", window[cut:])
            if name:
                kind = km.group("kind").lower()
                provenance = (
                    "formerly" if kind.startswith("formerly") or "previously" in window[:cut].lower()
                    or "once" in window[:cut].lower().split()
                    else "also_spelled" if kind.startswith("spel")
                    else "also_called" if kind in ("called", "named")
                    else "known_as"
                )
                s0 = end + cut + name.start()
                out.append((s0, s0 + name.end(), provenance))
                break
    return out


def _is_variant(key: str, names: list[str]) -> bool:
    limit = 1 if len(key) < 10 else 2
    if len(key) < VARIANT_MIN_LEN:
        return False
    return any(n[:1] == key[:1] and abs(len(n) - len(key)) <= limit and Levenshtein.distance(key, n) <= limit
               for n in names)


def _names_near(gaz: Gazetteer, place: int) -> list[tuple[str, int]]:
    """Single-word names of the places within VARIANT_RADIUS_KM of a place, computed once per place."""
    cache = gaz.__dict__.setdefault("_names_near_cache", {})
    if place not in cache:
        inverse = gaz.names_by_place()
        cache[place] = [
            (k, i)
            for i in gaz.near(gaz.lats[place], gaz.lons[place], VARIANT_RADIUS_KM)
            for k in inverse.get(i, ())
            if " " not in k and len(k) >= VARIANT_MIN_LEN - 1
        ]
    return cache[place]


def _spelling_variants(text: str, tokens: list[_Token], gaz: Gazetteer, mentions: list[_Mention],
                       ner: list[tuple[int, int, str]]) -> list[_Mention]:
    """Capitalised unknown words within a small edit distance of a place near the
    article's confident places, with support: a feature word, a locative word, an
    NER place label, or another place of that area in the same sentence."""
    confident = [m for m in mentions if m.place is not None and m.confidence >= 0.3 and not m.demonym
                 and m.source != "context" and KINDS[gaz.kinds[m.place]] in ("city", "admin1", "admin2")]
    if not confident:
        return []
    d = _Detector(text, tokens, gaz, ner)
    taken = set()
    for m in mentions:
        taken.update(range(m.t0, m.t1))
    candidates = [
        t
        for t, tok in enumerate(tokens)
        if t not in taken
        and _capitalised(tok.text)
        and not _all_caps(tok.text)
        and len(tok.key) >= VARIANT_MIN_LEN
        and tok.key not in d.words
        and not gaz.has_key(tok.key)
        and tok.key not in MONTHS_AND_DAYS
    ]
    if not candidates:
        return []  # the fast path: most articles have no unknown capitalised word to check
    by_first: dict[str, list[tuple[str, int]]] = defaultdict(list)
    seen: set[int] = set()
    for place in dict.fromkeys(m.place for m in confident):
        for k, i in _names_near(gaz, place):
            if i not in seen:
                by_first[k[:1]].append((k, i))
        seen.update(i for _, i in _names_near(gaz, place))
    out = []
    for t in candidates:
        tok = tokens[t]
        label = d.label_at.get(t)
        if label and (label[0] in BLOCKING_LABELS or label[0] == "NORP" or label[2] - label[1] > 1):
            continue
        if d.person_context(t, t + 1):
            continue
        limit = 1 if len(tok.key) < 10 else 2
        hits: dict[int, int] = {}
        for k, i in by_first.get(tok.key[:1], ()):
            if abs(len(k) - len(tok.key)) <= limit:
                dist = Levenshtein.distance(tok.key, k, score_cutoff=limit)
                if dist <= limit:
                    hits[i] = min(dist, hits.get(i, dist))
        if not hits:
            continue
        closest = min(hits.values())
        entries = _collapse_seats(gaz, [(i, ALTERNATE) for i, dist in hits.items() if dist == closest])
        i = max(entries, key=lambda e: _prior(gaz, e[0], e[1]))[0]
        m = _Mention(t, t + 1, tok.start, tok.end, tok.key, [(i, ALTERNATE)], "alias", support=0.6)
        m.feature = d.feature_after(t + 1) or d.feature_before(t)
        same_sentence_area = any(
            tokens[c.t0].sentence == tok.sentence
            and distance_km(gaz.lats[c.place], gaz.lons[c.place], gaz.lats[i], gaz.lons[i]) <= VARIANT_RADIUS_KM
            for c in confident
        )
        ner_place = label is not None and label[0] in PLACE_LABELS
        if not (m.feature or d.prev_word(t) in LOCATIVE or ner_place or same_sentence_area):
            continue
        m.place, m.confidence = i, 0.6
        out.append(m)
    return out


# -- entry point -----------------------------------------------------------------------------


def find_places(
    text: str,
    language: str | None,
    ner_spans: list[tuple[int, int, str]],
    sentences: list[tuple[int, int]] | None = None,
    article_id: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> PlaceResult:
    """Place mentions resolved to gazetteer entries, the entries, and the aliases learned."""
    gaz = gazetteer or load_gazetteer()
    tokens = _tokens(text, _sentence_spans(text, sentences))
    mentions = _detect(text, tokens, gaz, ner_spans)
    _link_qualifiers(text, mentions)
    ctx = _resolve(gaz, mentions)
    _locate_unresolved(text, tokens, gaz, mentions, ctx)
    learned = _learn_aliases(text, tokens, gaz, mentions, article_id)
    variants = _spelling_variants(text, tokens, gaz, mentions, ner_spans)
    mentions.extend(variants)
    mentions.sort(key=lambda m: m.start)

    result = PlaceResult()
    seen_surface: set[tuple[str, str]] = set()
    for m in mentions:
        place_id = gaz.ids[m.place] if m.place is not None else None
        if place_id is None and m.source == "gazetteer":
            continue  # gazetteer matches are only worth reporting when resolved
        surface = text[m.start : m.end]
        result.mentions.append(PlaceMention(
            start=m.start, end=m.end, text=surface, place_id=place_id, feature=m.feature,
            confidence=round(m.confidence if place_id else m.support * 0.5, 3), source=m.source,
        ))
        if place_id is None:
            continue
        result.places[place_id] = gaz.place(m.place)
        if m.demonym or m.source == "context":
            continue  # "Royal Street" is in New Orleans, not a name of it
        if (place_id, surface) not in seen_surface:
            seen_surface.add((place_id, surface))
            result.aliases.append(Alias(place_id, surface, "surface", article_id, m.start, m.end))
        if m.source == "alias" and not m.alias_of:
            result.aliases.append(Alias(place_id, surface, "spelling_variant", article_id, m.start, m.end))
    for index, surface, provenance, s0, e0 in learned:
        result.aliases.append(Alias(gaz.ids[index], surface, provenance, article_id, s0, e0))
    return result
