"""Aliases from the text: qualifiers ("Paris, Texas"), appositions, "known as", and spelling variants
close to a name of a place near the article's other places."""

from __future__ import annotations

import re
from collections import defaultdict

import regex
from rapidfuzz.distance import Levenshtein

from storyline.read.gazetteer import ALTERNATE, KINDS, Gazetteer, distance_km, english_words
from storyline.read.places.languages import PlaceLanguage
from storyline.read.places.match import Detector, Mention, Token, all_caps, capitalised, token_range
from storyline.read.places.resolve import VARIANT_MIN_LEN, VARIANT_RADIUS_KM, collapse_seats, prior
from storyline.read.places.words import BLOCKING_LABELS, LOCATIVE, MONTHS_AND_DAYS, PLACE_LABELS
from storyline.text import fold

_LANGUAGE_PHRASE = re.compile(r"^\s*,?\s*(?:in|from)\s+[A-Z][a-z]+\s*$")
_KNOWN_AS = re.compile(
    r"^\s*[,(]?\s*(?:(?:which|that|who)\s+(?:is|was|are|were)\s+)?(?:(?:also|sometimes|often|commonly|locally|"
    r"widely|better|previously|once)\s+)?(?P<kind>known as|called|spelled|spelt|referred to as|named|formerly(?: known as| called)?)"
    r"\s+(?:the\s+)?[\"“']?$",
    re.IGNORECASE,
)


def link_qualifiers(text: str, mentions: list[Mention]) -> None:
    """'Paris, Texas' / 'Springfield, Ill.': the second names where the first is."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        if a.entries and b.entries and text[a.end : b.start] in {", ", ","} and not a.demonym and not b.demonym:
            a.qualifier = mentions.index(b)


_APPOSITION = re.compile(r"\s*\(\s*(?P<name>[^()\n]{2,60}?)\s*\)")


def learn_aliases(text: str, tokens: list[Token], gaz: Gazetteer, mentions: list[Mention],
                   article_id: str | None) -> list[tuple[int, str, str, int, int]]:
    """(place index, alias surface, provenance, start, end) from appositions and 'known as'.

    The other side becomes a mention of the same place when it is not itself a
    different place.
    """
    learned: list[tuple[int, str, str, int, int]] = []
    by_start = {m.start: n for n, m in enumerate(mentions)}
    words = english_words()
    new_mentions: list[Mention] = []
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
            if all_caps(surface) or surface.lower() in words:
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
            t0, t1 = token_range(tokens, s0, e0)
            learned.append((m.place, surface, provenance.replace("_language", ""), s0, e0))
            new_mentions.append(Mention(t0, t1, s0, e0, " ".join(t.key for t in tokens[t0:t1]), [(m.place, ALTERNATE)],
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


def _names_of(gaz: Gazetteer, i: int) -> dict[str, list[tuple[str, int]]]:
    """A place's single-word names long enough to have a variant, as (name, place) by first letter."""
    cache = gaz.__dict__.setdefault("_single_names_cache", {})
    if i not in cache:
        by_first: dict[str, list[tuple[str, int]]] = {}
        for k in gaz.names_by_place().get(i, ()):
            if " " not in k and len(k) >= VARIANT_MIN_LEN - 1:
                by_first.setdefault(k[:1], []).append((k, i))
        cache[i] = by_first
    return cache[i]


def _names_near(gaz: Gazetteer, place: int) -> tuple[dict[str, list[tuple[str, int]]], frozenset[int]]:
    """The single-word names of the places within VARIANT_RADIUS_KM of a place, by first letter
    (in the order ``near`` gives the places), and the places they name: computed once per place."""
    cache = gaz.__dict__.setdefault("_names_near_cache", {})
    if place not in cache:
        by_first: dict[str, list[tuple[str, int]]] = defaultdict(list)
        named: list[int] = []
        for i in gaz.near(gaz.lats[place], gaz.lons[place], VARIANT_RADIUS_KM):
            names = _names_of(gaz, i)
            if names:
                named.append(i)
            for letter, pairs in names.items():
                by_first[letter].extend(pairs)
        cache[place] = (dict(by_first), frozenset(named))
    return cache[place]


def spelling_variants(text: str, tokens: list[Token], gaz: Gazetteer, mentions: list[Mention],
                      ner: list[tuple[int, int, str]], lang: PlaceLanguage | None = None) -> list[Mention]:
    """Capitalised unknown words within a small edit distance of a place near the
    article's confident places, with support: a feature word, a locative word, an
    NER place label, or another place of that area in the same sentence."""
    confident = [m for m in mentions if m.place is not None and m.confidence >= 0.3 and not m.demonym
                 and m.source != "context" and KINDS[gaz.kinds[m.place]] in ("city", "admin1", "admin2")]
    if not confident:
        return []
    d = Detector(text, tokens, gaz, ner, lang)
    taken = set()
    for m in mentions:
        taken.update(range(m.t0, m.t1))
    candidates = [
        t
        for t, tok in enumerate(tokens)
        if t not in taken
        and capitalised(tok.text)
        and not all_caps(tok.text)
        and len(tok.key) >= VARIANT_MIN_LEN
        and tok.key not in d.words
        and not gaz.has_key(tok.key)
        and tok.key not in MONTHS_AND_DAYS
    ]
    if not candidates:
        return []  # the fast path: most articles have no unknown capitalised word to check
    # the names near each confident place, by first letter, each place once (the first place near it
    # keeps it), for the first letters of the candidates only
    letters = {tokens[t].key[:1] for t in candidates}
    by_first: dict[str, list[tuple[str, int]]] = defaultdict(list)
    seen: set[int] = set()
    for place in dict.fromkeys(m.place for m in confident):
        near_by_first, near_ids = _names_near(gaz, place)
        for letter in letters:
            names = near_by_first.get(letter, ())
            by_first[letter].extend([(k, i) for k, i in names if i not in seen] if seen else names)
        seen |= near_ids
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
        entries = collapse_seats(gaz, [(i, ALTERNATE) for i, dist in hits.items() if dist == closest])
        i = max(entries, key=lambda e: prior(gaz, e[0], e[1]))[0]
        m = Mention(t, t + 1, tok.start, tok.end, tok.key, [(i, ALTERNATE)], "alias", support=0.6)
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

