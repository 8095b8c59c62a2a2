"""Find place names in an article, resolve them to gazetteer entries, learn aliases.

Mentions come from two sources: the NER spans the reading pipeline passes in
(spaCy for English, natasha for Russian) and a phrase matcher over the folded
text that looks up every token n-gram in the gazetteer. The matcher corrects the
NER (a small model tags unfamiliar places as PERSON) and is held back where a
name is also an ordinary word, a first name or a sentence-initial capital. In
each language it also reads the inflections and clitics glued to names and the
words that say "in", "from" or "city of" (languages.py); Chinese names are
matched character by character, longest first.

Modules: match (tokens, the matcher), detect (which matches are mentions),
resolve (which entry each name is), aliases (names learned from the text),
words and languages (the word lists).

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

from dataclasses import dataclass, field

from storyline.models import Alias, Place, PlaceMention
from storyline.read.gazetteer import Gazetteer, load_gazetteer
from storyline.read.places.aliases import learn_aliases, link_qualifiers, spelling_variants
from storyline.read.places.detect import detect
from storyline.read.places.languages import place_language
from storyline.read.places.match import cut_tokens, sentence_spans
from storyline.read.places.resolve import locate_unresolved, resolve

__all__ = ["PlaceResult", "find_places"]


@dataclass
class PlaceResult:
    mentions: list[PlaceMention] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)



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
    tokens = cut_tokens(text, sentence_spans(text, sentences))
    lang = place_language(language)
    mentions = detect(text, tokens, gaz, ner_spans, lang)
    link_qualifiers(text, mentions)
    ctx = resolve(gaz, mentions)
    locate_unresolved(text, tokens, gaz, mentions, ctx)
    learned = learn_aliases(text, tokens, gaz, mentions, article_id)
    variants = spelling_variants(text, tokens, gaz, mentions, ner_spans, lang)
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

