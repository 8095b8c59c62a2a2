"""Facts: one sourced timeline per story.

``fuse_story`` takes a story's articles with their annotations and returns
its facts, oldest first, each citing the sentences that support it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

import numpy as np

from storyline.facts.align import Embed, cross_language
from storyline.facts.extract import Telling, tellings
from storyline.facts.fuse import align, build_fact, clauses_to_compare, mark_background
from storyline.facts.lead import main_fact_order
from storyline.models import Annotations, Article, Fact

__all__ = ["Embed", "clause_similarity", "fuse_story", "story_start"]


def clause_similarity(embed: Embed | None, prefetch: Iterable[str] = ()) -> Callable[[Telling, Telling], float]:
    """Cosine similarity of clause embeddings, each clause embedded once and only when a pair needs it;
    the ``prefetch`` texts are embedded together with the first ones needed, in one batch."""
    vectors: dict[str, np.ndarray] = {}
    ahead = list(prefetch)

    def similarity(a: Telling, b: Telling) -> float:
        if embed is None:
            return 0.0
        missing = [t.text for t in (a, b) if t.text not in vectors]
        if missing:
            missing = list(dict.fromkeys(missing + [text for text in ahead if text not in vectors]))
            ahead.clear()
            matrix = np.asarray(embed(missing), dtype=np.float32)
            matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
            vectors.update(zip(missing, matrix, strict=True))
        return float(vectors[a.text] @ vectors[b.text])

    return similarity


def source_id(article: Article) -> str:
    """Syndicated copies count once: a near-duplicate stands for its original."""
    return article.duplicate_of or article.id


def story_start(articles: list[Article], annotations: dict[str, Annotations]) -> date | None:
    """The start of the story's own time: its earliest publication or anchor date."""
    anchors = [a.anchor for a in annotations.values() if a.anchor]
    published = [a.published.date() for a in articles if a.published]
    candidates = published or anchors
    return min(candidates) if candidates else None


def fuse_story(
    articles: list[Article],
    annotations: dict[str, Annotations],
    place_kinds: dict[str, str],
    decisions: dict[str, str] | None = None,
    embed: Embed | None = None,
    embed_every_language: Embed | None = None,
) -> list[Fact]:
    """The story's facts, the main one first and the others in time order (undated last),
    with evidence texts filled from the articles.

    ``embed`` compares clauses (and tellings across the languages it covers); ``embed_every_language``,
    a slower embedder covering every language, compares tellings across the others (facts.align)."""
    texts = {a.id: a.text for a in articles}
    items: list[Telling] = []
    for article in articles:
        if article.id in annotations:
            items += tellings(article, annotations[article.id], place_kinds, source_id(article))
    similarity = clause_similarity(embed, clauses_to_compare(items) if embed else ())
    groups = align(items, similarity, cross_language(embed, embed_every_language))
    facts = [build_fact(group, decisions or {}) for group in groups]
    for fact in facts:
        for evidence in fact.evidence:
            evidence.text = texts[evidence.article][evidence.start : evidence.end]
    mark_background(facts, story_start(articles, annotations))
    order = sorted(range(len(facts)), key=lambda i: (facts[i].when is None, facts[i].when.start if facts[i].when else "", facts[i].id))
    published = [a.published.date() for a in articles if a.published]
    return main_fact_order([facts[i] for i in order], [groups[i] for i in order], max(published, default=None))
