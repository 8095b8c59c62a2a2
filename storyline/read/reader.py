"""The reading layer: one pass over an article yields its Annotations.

Like a spaCy pipeline, each component adds to one result: sentences, named
entities and the dependency parse from the language's packaged parser
(``read.parsers``; a plain splitter where there is none), then places, actors,
time expressions and quantities, each with offsets into the stored text.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from storyline.models import Annotations, Article, Place, Sentence, Timex
from storyline.read.actors import find_actors
from storyline.read.clauses import Token, build_clauses, sentence_clauses
from storyline.read.parsers import Parse, parser_for, preload
from storyline.read.places import find_places
from storyline.read.quantities import find_quantities
from storyline.read.sentences import split_sentences, strip_span
from storyline.read.summaries import spelled_out, summarise
from storyline.read.timex import find_timexes, infer_anchor
from storyline.text import fold_key

# Bump when any component's output changes: stored annotations of an older
# version are recomputed, newer text hashes likewise.
READER_VERSION = "15"

# Below this inferred-anchor confidence, a story mate's publication date is preferred.
WEAK_ANCHOR = 0.6


@dataclass
class LanguageLayer:
    """What the language model gives: sentences, named-entity spans, and the parsed doc if any."""

    sentences: list[tuple[int, int]]
    ner_spans: list[tuple[int, int, str]]
    doc: Any = None  # the spaCy Doc, for components that use the parse
    tokens: list[Token] | None = None  # the dependency parse as neutral tokens, for clauses


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _split_lines(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Headings and paragraphs without end punctuation are sentences of their own."""
    result = []
    for start, end in spans:
        cursor = start
        for match in re.finditer(r"\n+", text[start:end]):
            piece = strip_span(text, cursor, start + match.start())
            if piece[1] > piece[0]:
                result.append(piece)
            cursor = start + match.end()
        piece = strip_span(text, cursor, end)
        if piece[1] > piece[0]:
            result.append(piece)
    return result


def _layer(text: str, parse: Parse | None) -> LanguageLayer:
    if parse is None:
        return LanguageLayer(_split_lines(text, split_sentences(text)), [], None)
    return LanguageLayer(_split_lines(text, parse.sentences), parse.ner_spans, parse.doc, parse.tokens)


def language_layers(articles: list[Article]) -> Iterator[LanguageLayer]:
    """Language layers in article order, lazily: each language's parser streams its articles in batches."""
    streams: dict[str, Iterator[Parse]] = {}
    for article in articles:
        parser = parser_for(article.language)
        if parser is None:
            yield _layer(article.text, None)
            continue
        if parser.name not in streams:
            streams[parser.name] = parser.parse(a.text for a in articles if parser_for(a.language) is parser)
        yield _layer(article.text, next(streams[parser.name]))


def anchor_for(article: Article) -> tuple[date | None, str, float | None]:
    """The date relative expressions hang on: given, or inferred from the text."""
    if article.published is not None:
        return article.published.date(), article.published_basis, article.published_confidence
    inferred, confidence = infer_anchor(article.text, article.language)
    if inferred is None:
        return None, "unknown", None
    return inferred, "inferred", confidence


_MONTH_DAY = re.compile(r"^XXXX-(\d{2})-(\d{2})")
_FULL_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# An explicit date further than this from the story mates' dates says nothing about publication.
ANCHOR_WINDOW_DAYS = 45


def anchor_from_dates(timexes: list[Timex], reference: date) -> tuple[date, float]:
    """An anchor for an undated article, given its story mates' dates.

    News is written on or soon after the latest day it names: take the latest
    explicit day near the mates' dates (a year-less "December 1" gets the year
    that puts it nearest), else the mates' date itself, with less confidence.
    """
    days = []
    for timex in timexes:
        if m := _MONTH_DAY.match(timex.value):
            month, day = int(m[1]), int(m[2])
            options = []
            for year in (reference.year - 1, reference.year, reference.year + 1):
                try:
                    options.append(date(year, month, day))
                except ValueError:
                    continue
            if options:
                days.append(min(options, key=lambda d: abs((d - reference).days)))
        elif (m := _FULL_DAY.match(timex.value)) and not timex.anchored:
            try:
                days.append(date(int(m[1]), int(m[2]), int(m[3])))
            except ValueError:
                continue
    near = [d for d in days if abs((d - reference).days) <= ANCHOR_WINDOW_DAYS]
    if near:
        return max(near), 0.6
    return reference, 0.4


def read(article: Article, layer: LanguageLayer) -> tuple[Annotations, dict[str, Place]]:
    """Annotate one article; returns its annotations and the gazetteer entries they resolve to."""
    text = article.text
    language = article.language
    anchor_date, anchor_basis, anchor_confidence = anchor_for(article)
    places = find_places(text, language, layer.ner_spans, layer.sentences, article_id=article.id)
    place_names = {fold_key(m.text) for m in places.mentions if m.place_id}
    annotations = Annotations(
        article_id=article.id,
        reader_version=READER_VERSION,
        text_hash=text_hash(text),
        language=language,
        anchor=anchor_date,
        anchor_basis=anchor_basis,  # type: ignore[arg-type]
        anchor_confidence=anchor_confidence,
        sentences=[Sentence(s, e) for s, e in layer.sentences],
        entities=find_actors(text, language, layer.ner_spans, place_names),
        places=places.mentions,
        quantities=find_quantities(text, language, layer.doc),
        aliases=places.aliases,
    )
    return _anchored(annotations, text, layer.tokens), places.places


def _anchored(annotations: Annotations, text: str, tokens: list[Token] | None) -> Annotations:
    """What the anchor decides: the time expressions, and the clauses and summaries that cite them."""
    annotations.timexes = find_timexes(text, annotations.anchor, annotations.language)
    if tokens:
        annotations.clauses = build_clauses(tokens, text, annotations)
        summarise(tokens, text, annotations)
    else:
        annotations.clauses = sentence_clauses(annotations)
    return annotations


def may_reanchor(annotations: Annotations) -> bool:
    """Whether the article's anchor may still move to its story mates' dates (see analysis.reanchor)."""
    if annotations.anchor_basis == "metadata":
        return False
    return annotations.anchor is None or (annotations.anchor_confidence or 0) < WEAK_ANCHOR


def pack_parse(tokens: list[Token] | None) -> bytes:
    """A parse kept compactly (about 10 kB an article) until the article's anchor is settled."""
    return zlib.compress(pickle.dumps(tokens, protocol=pickle.HIGHEST_PROTOCOL), 1)


def reanchor_batch(items: list[tuple[Article, Reading, bytes]]) -> list[Reading]:
    """Read again articles whose anchor moved, from their first reading and packed parse.

    Only what the anchor decides is redone (``_anchored``): the parse, places, actors
    and quantities do not depend on it, and were half the cost of reading ECB+ dev
    again after grouping. Clauses cite time expressions by their spans, and summaries
    use a value only to spell out a relative day: with the same spans and no such day
    before or after, they stay as they were. The result equals a full ``read`` against
    the new anchor.
    """
    result = []
    for article, (first, places), parse in items:
        anchor, basis, confidence = anchor_for(article)
        again = replace(first, anchor=anchor, anchor_basis=basis, anchor_confidence=confidence)
        timexes = find_timexes(article.text, anchor, article.language)
        if [(t.start, t.end) for t in timexes] == [(t.start, t.end) for t in first.timexes] and not any(
            spelled_out(t) for t in timexes + first.timexes
        ):
            again.timexes = timexes
        else:
            again = _anchored(again, article.text, pickle.loads(zlib.decompress(parse)))
        result.append((again, places))
    return result


# Articles per task handed to a worker process: large enough for spaCy's batching.
CHUNK = 16

Reading = tuple[Annotations, dict[str, Place]]


def read_batch(articles: list[Article]) -> list[Reading]:
    """Annotate a batch of articles in one process: a plain function that any worker pool can run."""
    return [read(a, layer) for a, layer in zip(articles, language_layers(articles), strict=True)]


def read_batch_keeping_parses(articles: list[Article]) -> list[tuple[Reading, bytes | None]]:
    """``read_batch``, with the packed parse of each article whose anchor may still move (else None)."""
    result = []
    for article, layer in zip(articles, language_layers(articles), strict=True):
        reading = read(article, layer)
        result.append((reading, pack_parse(layer.tokens) if may_reanchor(reading[0]) else None))
    return result


def read_articles(articles: list[Article], n_process: int = 1) -> Iterator[Reading]:
    """Annotate many articles in order, batching the language model.

    With ``n_process`` > 1 the whole reading layer runs in forked worker
    processes that share the models loaded here (copy-on-write), each taking
    CHUNK articles at a time: passing finished annotations between processes
    is far cheaper than passing spaCy documents. The workers die with this process.
    """
    if n_process <= 1 or len(articles) <= CHUNK:
        for article, layer in zip(articles, language_layers(articles), strict=True):
            yield read(article, layer)
        return
    from storyline.parallel import ordered_map, worker_pool

    load_models(a.language for a in articles)
    chunks = [articles[i : i + CHUNK] for i in range(0, len(articles), CHUNK)]
    with worker_pool(n_process) as pool:
        for results in ordered_map(pool, read_batch, chunks, ahead=len(chunks)):
            yield from results


def load_models(languages: Iterable[str | None] = ("en",)) -> None:
    """Load the reading layer's models for these languages in this process (before forking workers that share them)."""
    from storyline.read.gazetteer import load_gazetteer

    preload(languages)
    load_gazetteer().warm()  # its indexes built on first use, once here rather than in each worker
