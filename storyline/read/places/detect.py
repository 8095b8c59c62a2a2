"""Detection: place mentions from NER spans and gazetteer matches, held back where a name is also an
ordinary word, a first name or a sentence-initial capital."""

from __future__ import annotations

import re

from storyline.read.gazetteer import ABBREVIATION, ALTERNATE, DEMONYM, INITIALISM, KINDS, NAME, Gazetteer
from storyline.read.places.languages import PlaceLanguage
from storyline.read.places.match import (
    HAN,
    Detector,
    Mention,
    Token,
    all_caps,
    capitalised,
    gazetteer_matches,
    is_cased,
    lookup,
    token_range,
    trim_span,
)
from storyline.read.places.resolve import (
    CODE_MIN_POPULATION,
    UNCASED_ALONE_POPULATION,
    UNCASED_MIN_POPULATION,
    WEAK_MIN_POPULATION,
)
from storyline.read.places.words import (
    BLOCKING_LABELS,
    DEMONYM_LABELS,
    FEATURE_WORDS,
    MONTHS_AND_DAYS,
    PERSON_LABELS,
    PLACE_LABELS,
)


def _flags(m: Mention) -> set[int]:
    return {f for _, f in m.entries}


def _non_demonym(m: Mention) -> list[tuple[int, int]]:
    return [(i, f) for i, f in m.entries if f != DEMONYM]


def _surface_ok(d: Detector, m: Mention, ner_place: bool = True) -> bool:
    """Case and punctuation checks for abbreviations and initialisms. Outside an NER
    place span, a town's code ("CEO", "MP": airport and postal codes among GeoNames'
    alternates) is not taken for the town unless the town is a large city ("NYC")."""
    surface = d.text[m.start : m.end]
    caps = all_caps(surface)
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


def detect(text: str, tokens: list[Token], gaz: Gazetteer, ner: list[tuple[int, int, str]],
           lang: PlaceLanguage | None = None) -> list[Mention]:
    ner = _split_at_brackets(text, ner)
    d = Detector(text, tokens, gaz, ner, lang)
    mentions: list[Mention] = []
    covered: set[int] = set()

    # 1. NER place spans, trimmed, with a feature word split off.
    for start, end, label in d.ner:
        if label not in PLACE_LABELS and label not in DEMONYM_LABELS:
            continue
        start, end = trim_span(text, start, end)
        t0, t1 = token_range(tokens, start, end)
        if t0 >= t1:
            continue
        feature = None
        if t1 - t0 > 1 and tokens[t1 - 1].key in FEATURE_WORDS and not capitalised(tokens[t1 - 1].text):
            feature = tokens[t1 - 1].key
            t1 -= 1
        hit = lookup(gaz, [t.key for t in tokens[t0:t1]], lang)
        m = Mention(t0, t1, tokens[t0].start, tokens[t1 - 1].end, hit[0] if hit else " ".join(
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
    for m in gazetteer_matches(text, tokens, gaz, lang):
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
        han = HAN.match(surface) is not None
        if han and len(surface) < 2:
            continue  # one character is a word far more often than a name
        single = m.t1 - m.t0 == 1 or han
        first_key = m.key if han else tokens[m.t0].key  # a Chinese name is common as a whole, not by its first character
        common = single and (first_key in d.words or m.key in d.words or first_key in MONTHS_AND_DAYS)
        if tokens[m.t0].key in MONTHS_AND_DAYS:
            continue
        kinds = {KINDS[gaz.kinds[i]] for i, _ in m.entries}
        # Without capitals every word is a candidate: a town needs to be larger to count on its own.
        floor = WEAK_MIN_POPULATION if is_cased(surface[:1]) else UNCASED_MIN_POPULATION
        big = any(gaz.populations[i] >= floor for i, _ in m.entries) or bool(kinds - {"city", "admin2"})
        context = d.place_context(m)
        if lang is not None and d.prev_word(m.t0, skip_articles=False) in lang.not_before and "country" not in kinds:
            continue  # German "der Hof", "das Essen", Arabic "وزارة الداخلية": a noun, not the place
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
            if all_caps(surface) and not (flags & {INITIALISM, ABBREVIATION}) and (
                    common or len(surface) < 4 or not d.caps_run(m.t0, m.t1)):
                continue  # an acronym ("ANAMA"), unless in a capitalised headline or dateline
            if common and not context:
                continue
            if tokens[m.t0].first and common:
                continue
            if d.person_context(m.t0, m.t1) and not context:
                continue
            cased = is_cased(surface[:1])
            if single and not big and not context and not cased:
                continue  # without capitals a small town's name alone is too often a word ("和平", peace)
            famous = any(gaz.populations[i] >= UNCASED_ALONE_POPULATION for i, _ in m.entries)
            if single and not context and (not big or (lang is not None and (
                    not cased and not kinds & {"country", "continent"} and not famous or cased and tokens[m.t0].first))):
                m.support = 0.4  # kept only if near the article's other places (see resolve); a sentence's
                # first word is capitalised anyway, and these languages have no NER to say it is a place
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


def _near_place(d: Detector, m: Mention, mentions: list[Mention]) -> bool:
    """Another place mention in the same sentence."""
    sentence = d.tokens[m.t0].sentence
    return any(o.entries and not o.demonym and d.tokens[o.t0].sentence == sentence for o in mentions)
