"""Incremental grouping of reports into stories.

Each article is placed as it arrives. Candidates are found through nearest-neighbour
search over the embeddings of articles already placed (faiss): a flat index per
time bucket for dated articles, so a dated article only searches the buckets inside
its time window, and one flat index over everything for undated articles. The
candidates' stories are then scored exactly against the story's running sums, which
makes every article-to-story comparison an average link over the story's members, at a
cost independent of the story's size:

    score = w * embedding + (1 - w) * lexical       (both averaged over the story's
                                                     articles in the article's language)
          + actors (and places) already in the story
          + closeness of the publication date to the story's span
          - distance between the dates talked about

``embedding`` is the cosine rescaled so that 0 is a typical unrelated pair and 1
identical text; ``lexical`` is the TF-IDF cosine of title, lead and the article's actors
and places, which weighs the rare particulars that tell one event from another of the
same kind. Both are compared between articles of the same language only, because a
translation sits further from its original than a paraphrase does. When the story holds
no article in the article's language yet, the decision rests on the embedding averaged
over all its articles, with its own threshold. After a join, the story is compared
with its neighbouring stories and merged when the story-to-story score passes the merge
threshold, so evidence that accumulates over several reports can join two stories that
no single report could. A syndicated copy joins its original's story and adds nothing
to the sums.

Every threshold is in ``GroupingParams`` with the measurement behind it.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import faiss
import numpy as np

from storyline.models import Article
from storyline.stories.terms import TermWeights, article_terms, language_key


@dataclass
class StoryItem:
    """What the grouper needs to know about one article."""

    article_id: str
    title: str
    lead: str  # first ~2-3 sentences / ~400 chars of the text
    language: str | None
    published: date | None
    embedding: np.ndarray | None  # filled by embed_items() if None
    places: set[str] = field(default_factory=set)  # resolved place ids
    actors: set[str] = field(default_factory=set)  # actor keys
    event_dates: list[date] = field(default_factory=list)  # dates the article talks about
    duplicate_of: str | None = None  # syndicated copy: always joins its original's story


@dataclass
class StoryState:
    id: str
    article_ids: list[str]
    label: str
    start: date | None
    end: date | None


@dataclass
class PlacedArticle:
    """An article as the grouper placed it: what a later run needs to continue without re-placing it.

    ``lexical`` is the TF-IDF vector as computed on arrival (with the document frequencies of
    that moment), ``counted`` whether it added to its story's sums (a copy of a member does not).
    """

    id: str
    story: str
    arrival: int
    day: int | None  # publication day (ordinal) given in the metadata
    language: str
    lexical: dict[str, float]
    counted: bool
    vector: np.ndarray
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    event_days: list[int] = field(default_factory=list)
    title: str = ""


@dataclass
class GroupingParams:
    """Weights and thresholds, calibrated on the dev sets (news_cluster dev, ECB+ dev).

    Calibration: ``python -m bench stories --calibrate`` sweeps these on both dev sets
    with folds over gold stories/topics; the values below are the best common setting
    (see bench/stories.py for the figures).
    """

    model: str = "e5"
    # Cosines are rescaled to (cos - baseline) / (1 - baseline): 0 for a typical unrelated
    # pair, 1 for identical text. Baseline = dev mean cosine of different-story pairs on
    # news_cluster and ECB+ (e5 0.77, USE 0.18; same-story pairs: e5 0.90-0.92, USE 0.61-0.67).
    embedding_baseline: float = 0.77
    embedding_scale: float = 0.23
    # Share of the embedding in the combined score; the rest is the lexical cosine.
    # embedding_weight, join/merge threshold, time_weight, window_days, entity_terms and
    # actor_weight are the best common setting of a 5-fold cross-validation over gold
    # stories (news_cluster) and topics (ECB+) of the grid in bench/stories.py (GRID):
    # held-out BCubed F1 0.952 on news_cluster and 0.891 on ECB+ (the embedding alone,
    # weight 1.0 at 0.5, averaged 0.919 over both against 0.925 on the folds).
    embedding_weight: float = 0.5
    # Join when the combined score reaches this.
    join_threshold: float = 0.35
    # Join across languages (no article of the article's language in the story yet): the
    # embedding alone, averaged over all the story's articles. The dev sets are English
    # only, so this one cannot be calibrated there: multilingual encoders place a
    # translation further away than a same-language paraphrase (e5: 0.83-0.87 raw cosine
    # for the same report in another language against 0.90-0.95 within English), and the
    # same-language threshold (0.40 ~ raw 0.86) would keep most translations apart. At
    # 0.25 (~ raw 0.83) the embedding alone still keeps BCubed precision at 0.89 on
    # news_cluster dev (0.985 at 0.40): a deliberate trade of precision for joining
    # translations, applied only while a story has no report in the article's language.
    crosslingual_threshold: float = 0.25
    # Merge two stories when their story-to-story score reaches this (a separate, higher
    # value changed BCubed F1 by less than 0.01 on either dev set).
    merge_threshold: float = 0.35
    # Bonus per unit of overlap of resolved places / actors (fraction of the article's
    # places or actors already in the story). Shared actors helped news_cluster (+0.03
    # BCubed F1); shared places cost ECB+ 0.04 in every setting tried (the two events of a
    # topic happen in the same places), so places carry no weight.
    place_weight: float = 0.0
    actor_weight: float = 0.1
    # Closeness in publication date: a bonus of time_weight on the same day, falling with
    # log(1 + days/time_scale_days) to 0 at the window's edge (undated pairs get none, so
    # they need more evidence from the text). Beyond the window a story is not a candidate
    # at all, which keeps the same place's events years apart in different stories.
    time_weight: float = 0.2
    # Two stories' overlapping spans are no evidence that they are one: in a busy week many
    # stories overlap. With the closeness bonus on merges too, news_cluster dev merged
    # neighbouring stories of one week (BCubed F1 0.923 against 0.955 without; ECB+ has no
    # dates and stayed at 0.897). The 5 folds preferred 0.2 (news_cluster 0.961 against
    # 0.952): a fifth of the stories is too sparse for a busy week's wrong merges to
    # happen, so here the full dev set decides.
    merge_time_weight: float = 0.0
    # Penalty event_date_weight * log(1 + days/time_scale_days) for the distance between the
    # dates the article talks about and the story's. Not calibrated: ECB+ states few full
    # dates and news_cluster's stories span months, so it only acts at a small weight.
    event_date_weight: float = 0.02
    time_scale_days: float = 7.0
    # Dated articles only look for stories with an article published this close. 90% of the
    # same-story pairs of news_cluster dev are published within 129 days of each other, the
    # rest are follow-ups up to 20 months later; cross-validation preferred 540 to 180 (the
    # closeness bonus has faded long before, so a late follow-up needs the text to agree).
    # The window bounds the cost per article whatever the size of the corpus.
    window_days: int = 540
    bucket_days: int = 30
    # Actors and places of the whole article as extra terms of the lexical vector, counted
    # this many times (0 leaves them out): the rare names of one event (its victims, its
    # particular places) are what tells it from another event of the same kind
    # (cross-validated over 0, 1, 2; ECB+ +0.03).
    entity_terms: int = 2
    # Nearest articles retrieved per query; their stories are the candidates.
    neighbours: int = 24

    @classmethod
    def for_model(cls, model: str) -> GroupingParams:
        if model == "use":
            # USE needs the lexical half: on the dev sets w=0.5 at 0.35 gave BCubed F1 0.862
            # (news_cluster) / 0.861 (ECB+); the embedding alone at best 0.865 / 0.844 at 0.45-0.5.
            # With the entity terms and window of the e5 defaults: 0.872 / 0.876.
            # Its translations stay close (en-ru ~0.65 rescaled), so the cross-language
            # threshold is the join threshold.
            return cls(
                model="use",
                embedding_baseline=0.18,
                embedding_scale=0.82,
                embedding_weight=0.5,
                join_threshold=0.35,
                merge_threshold=0.35,
                crosslingual_threshold=0.35,
                time_weight=0.0,
            )
        return cls(model=model)


_DIMS = {"e5": 384, "use": 512}


def story_id_for(article_id: str) -> str:
    """Stable story id derived from the story's first article."""
    return "s" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:15]


def sort_key(item: StoryItem) -> tuple:
    """Arrival order: dated articles by date, then undated ones; ties by id."""
    return (item.published is None, item.published or date.min, item.article_id)


@dataclass
class _Article:
    id: str
    row: int
    story: str
    day: int | None
    language: str
    lexical: dict[str, float]
    title: str
    arrival: int
    counted: bool = True
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    event_days: list[int] = field(default_factory=list)


@dataclass
class _Story:
    id: str
    first: int  # arrival index of its first article: older stories absorb newer ones
    rows: list[int] = field(default_factory=list)
    embedding_sum: np.ndarray | None = None
    embedding_sums: dict[str, np.ndarray] = field(default_factory=dict)  # language -> sum
    lexical: dict[str, dict[str, float]] = field(default_factory=dict)  # language -> term sums
    language_count: Counter[str] = field(default_factory=Counter)  # language -> articles
    places: Counter[str] = field(default_factory=Counter)
    actors: Counter[str] = field(default_factory=Counter)
    event_days: list[int] = field(default_factory=list)  # sorted
    start: int | None = None
    end: int | None = None

    @property
    def represented(self) -> int:
        """Articles whose text counts in the sums (copies of a member add nothing new)."""
        return sum(self.language_count.values())


class _Neighbours:
    """Nearest articles, exactly: by time bucket for dated articles, over everything for undated ones.

    Exact search gives the same neighbours however the index was filled, so a grouper
    resumed from part of the store finds what one holding the whole store would.
    """

    def __init__(self, dim: int, params: GroupingParams):
        self.dim = dim
        self.params = params
        self.buckets: dict[int, tuple[faiss.Index, list[int]]] = {}
        self.undated: tuple[faiss.Index, list[int]] = (faiss.IndexFlatIP(dim), [])
        self.everything = faiss.IndexFlatIP(dim)
        self.everything_rows: list[int] = []

    def add(self, row: int, vector: np.ndarray, day: int | None) -> None:
        v = vector.reshape(1, -1)
        if day is None:
            index, rows = self.undated
        else:
            key = day // self.params.bucket_days
            if key not in self.buckets:
                self.buckets[key] = (faiss.IndexFlatIP(self.dim), [])
            index, rows = self.buckets[key]
        index.add(v)
        rows.append(row)
        self.everything.add(v)
        self.everything_rows.append(row)

    def search(self, vector: np.ndarray, day: int | None) -> list[tuple[float, int]]:
        k = self.params.neighbours
        v = vector.reshape(1, -1)
        found: list[tuple[float, int]] = []
        if day is None:
            parts = [(self.everything, self.everything_rows)]
        else:
            width = self.params.bucket_days
            low = (day - self.params.window_days) // width
            high = (day + self.params.window_days) // width
            parts = [self.buckets[b] for b in range(low, high + 1) if b in self.buckets]
            parts.append(self.undated)
        for index, rows in parts:
            if not rows:
                continue
            sims, ids = index.search(v, min(k, len(rows)))
            found.extend((float(s), rows[i]) for s, i in zip(sims[0], ids[0], strict=True) if i >= 0)
        found.sort(key=lambda x: (-x[0], x[1]))
        return found[:k]


class StoryGrouper:
    """Assigns articles to stories one at a time; see the module docstring."""

    def __init__(self, params: GroupingParams | None = None):
        # Without params the calibration is chosen from the first embedding's size.
        self.params = params or GroupingParams()
        self._auto_params = params is None
        self.dim = None if params is None else _DIMS.get(params.model)
        self._terms = TermWeights()
        self._articles: list[_Article] = []
        self._by_id: dict[str, _Article] = {}
        self._stories: dict[str, _Story] = {}
        self._vectors = np.zeros((0, self.dim or 1), dtype=np.float32)
        self._neighbours: _Neighbours | None = None
        self._next_arrival = 0  # arrival numbers go on across runs (see resume)
        self._copies_waiting: dict[str, str] = {}  # original id -> story of its copy
        self._merged_into: dict[str, str] = {}  # merged-away story id -> the story that absorbed it

    # -- public API -------------------------------------------------------------

    def add(self, item: StoryItem) -> str:
        """Place one article; returns the id of the story it joined or started."""
        known = self._by_id.get(item.article_id)
        if known is not None:
            return known.story
        return self._place(item, forced=None)

    def add_many(self, items: list[StoryItem]) -> dict[str, str]:
        """Place articles in time order (undated last); returns article_id -> story_id."""
        for item in sorted(items, key=sort_key):
            self.add(item)
        return {item.article_id: self._by_id[item.article_id].story for item in items}

    def stories(self) -> list[StoryState]:
        """Every story with its articles (arrival order), label and time span."""
        out = []
        for story in sorted(self._stories.values(), key=lambda s: s.first):
            members = [self._articles[r] for r in story.rows]
            out.append(
                StoryState(
                    id=story.id,
                    article_ids=[a.id for a in members],
                    label=self._label(story),
                    start=date.fromordinal(story.start) if story.start is not None else _first_day(story),
                    end=date.fromordinal(story.end) if story.end is not None else _last_day(story),
                )
            )
        return out

    def assignment(self) -> dict[str, str]:
        return {a.id: a.story for a in self._articles}

    @classmethod
    def restore(
        cls, items: list[StoryItem], assignment: dict[str, str], params: GroupingParams | None = None
    ) -> StoryGrouper:
        """Rebuild the state from stored assignments and embeddings; later ``add`` calls continue it.

        Items are replayed in arrival order so the term statistics come out as they were;
        items without an assignment are then placed as new arrivals.
        """
        grouper = cls(params)
        pending = []
        for item in sorted(items, key=sort_key):
            story = assignment.get(item.article_id)
            if story is None:
                pending.append(item)
            elif item.article_id not in grouper._by_id:
                grouper._place(item, forced=story)
        for item in pending:
            grouper.add(item)
        return grouper

    @classmethod
    def resume(
        cls,
        placed: list[PlacedArticle],
        documents: int,
        frequencies: dict[str, int],
        params: GroupingParams | None = None,
    ) -> StoryGrouper:
        """Continue from placed articles as stored, without placing them again.

        ``placed`` need not be the whole store: for the articles about to be placed it must hold
        every stored article they can find as a neighbour (the dated ones in their time windows,
        their nearest undated ones) and every member of those articles' stories. ``documents``
        is the number of articles ever placed and ``frequencies`` the document frequency of (at
        least) the terms of the articles about to be placed: with these the grouper continues
        exactly as if it had held the whole store all along.
        """
        grouper = cls(params)
        grouper._terms.documents = documents
        grouper._terms.frequency.update(frequencies)
        grouper._next_arrival = documents
        for record in sorted(placed, key=lambda p: p.arrival):
            if record.id in grouper._by_id:
                continue
            vector = np.asarray(record.vector, dtype=np.float32).reshape(-1)
            grouper._start(vector, record.id)
            article = _Article(
                id=record.id,
                row=len(grouper._articles),
                story="",
                day=record.day,
                language=record.language,
                lexical=record.lexical,
                title=record.title,
                arrival=record.arrival,
                counted=record.counted,
                places=record.places,
                actors=record.actors,
                event_days=record.event_days,
            )
            grouper._add(article, vector, record.story)
        return grouper

    def placed(self, article_ids: Iterable[str]) -> list[PlacedArticle]:
        """The given articles as placed, with the stories they are in now."""
        out = []
        for article_id in article_ids:
            a = self._by_id[article_id]
            out.append(
                PlacedArticle(
                    id=a.id,
                    story=a.story,
                    arrival=a.arrival,
                    day=a.day,
                    language=a.language,
                    lexical=a.lexical,
                    counted=a.counted,
                    vector=self._vectors[a.row].copy(),
                    places=a.places,
                    actors=a.actors,
                    event_days=a.event_days,
                    title=a.title,
                )
            )
        return out

    @property
    def document_frequencies(self) -> dict[str, int]:
        """In how many placed articles each term occurs."""
        return dict(self._terms.frequency)

    def term_counts(self, item: StoryItem) -> Counter[str]:
        """The terms an item adds to the document frequencies when it is placed."""
        return self._article_terms(" ".join(part for part in (item.title, item.lead) if part), item)

    # -- placing ----------------------------------------------------------------

    def _start(self, vector: np.ndarray, article_id: str) -> None:
        """Fix the dimension (and with it the calibration) on the first vector; check every later one."""
        if self.dim is None:
            self.dim = vector.shape[0]
            if self._auto_params:
                model = next((name for name, dim in _DIMS.items() if dim == self.dim), self.params.model)
                self.params = GroupingParams.for_model(model)
        if vector.shape[0] != self.dim:
            raise ValueError(
                f"{article_id}: embedding has {vector.shape[0]} dims, model {self.params.model!r} gives {self.dim}"
            )
        if self._neighbours is None:
            self._neighbours = _Neighbours(self.dim, self.params)
            self._vectors = np.zeros((0, self.dim), dtype=np.float32)

    def _place(self, item: StoryItem, forced: str | None) -> str:
        if item.embedding is None:
            raise ValueError(f"{item.article_id}: no embedding; call embed_items() first")
        vector = np.asarray(item.embedding, dtype=np.float32).reshape(-1)
        self._start(vector, item.article_id)

        text = " ".join(part for part in (item.title, item.lead) if part)
        article = _Article(
            id=item.article_id,
            row=len(self._articles),
            story="",
            day=item.published.toordinal() if item.published else None,
            language=language_key(item.language, text),
            lexical=self._terms.add(self._article_terms(text, item)),
            title=(item.title or "").strip() or _first_sentence(item.lead),
            arrival=self._next_arrival,
        )
        self._next_arrival += 1
        event_days = sorted({d.toordinal() for d in item.event_dates})
        article.places, article.actors, article.event_days = sorted(item.places), sorted(item.actors), event_days

        candidates: list[str] = []
        target = forced
        if target is None:
            target = self._story_of_original(item)
        if target is None:
            neighbours = self._neighbours.search(vector, article.day)
            candidates = _unique(self._articles[row].story for _, row in neighbours)
            target = self._best_story(article, vector, item, event_days, candidates)
        if target is None:
            target = story_id_for(item.article_id)
        waiting = self._copies_waiting.pop(item.article_id, None)
        article.counted = not (item.duplicate_of and item.duplicate_of in self._by_id)
        self._add(article, vector, target)
        if item.duplicate_of and item.duplicate_of not in self._by_id:
            self._copies_waiting.setdefault(item.duplicate_of, target)

        if forced is None:
            story = self._stories[target]
            waiting = self._resolve(waiting) if waiting else None
            if waiting and waiting in self._stories and waiting != story.id:
                story = self._merge(story, self._stories[waiting])
            story = self._merge_neighbours(story, candidates)
            return story.id
        return target

    def _add(self, article: _Article, vector: np.ndarray, story_id: str) -> None:
        """Put a placed article in its story and in the indexes."""
        if story_id not in self._stories:
            self._stories[story_id] = _Story(id=story_id, first=article.arrival, embedding_sum=np.zeros(self.dim))
        article.story = story_id
        self._articles.append(article)
        self._by_id[article.id] = article
        self._vectors = _append_row(self._vectors, vector)
        self._neighbours.add(article.row, vector, article.day)
        self._join(self._stories[story_id], article, vector)

    def _article_terms(self, text: str, item: StoryItem) -> Counter[str]:
        counts = article_terms(text)
        repeat = self.params.entity_terms
        if repeat:
            for key in item.actors:
                counts["@" + key] += repeat
            for key in item.places:
                counts["#" + key] += repeat
        return counts

    def _story_of_original(self, item: StoryItem) -> str | None:
        if item.duplicate_of and item.duplicate_of in self._by_id:
            return self._by_id[item.duplicate_of].story
        return None

    def _best_story(
        self,
        article: _Article,
        vector: np.ndarray,
        item: StoryItem,
        event_days: list[int],
        candidates: list[str],
    ) -> str | None:
        best: tuple[float, int, str] | None = None
        for story_id in candidates:
            story = self._stories[story_id]
            if self._beyond_window(_gap(article.day, article.day, story.start, story.end)):
                continue  # found through an undated member, but its dated reports are years away
            margin = self._article_margin(article, vector, item, event_days, story)
            key = (margin, -story.first, story_id)
            if margin >= 0 and (best is None or key > best):
                best = key
        return best[2] if best else None

    def _article_margin(
        self, article: _Article, vector: np.ndarray, item: StoryItem, event_days: list[int], story: _Story
    ) -> float:
        p = self.params
        same_language = story.language_count.get(article.language, 0)
        if same_language:
            mean = float(story.embedding_sums[article.language] @ vector) / same_language
            embedding = (mean - p.embedding_baseline) / p.embedding_scale
            sums = story.lexical[article.language]
            lexical = sum(w * sums.get(t, 0.0) for t, w in article.lexical.items()) / same_language
            score = p.embedding_weight * embedding + (1 - p.embedding_weight) * lexical
            threshold = p.join_threshold
        else:
            mean = float(story.embedding_sum @ vector) / story.represented
            score = (mean - p.embedding_baseline) / p.embedding_scale
            threshold = p.crosslingual_threshold
        score += p.place_weight * _covered(item.places, story.places)
        score += p.actor_weight * _covered(item.actors, story.actors)
        score += p.time_weight * self._closeness(_gap(article.day, article.day, story.start, story.end))
        score -= p.event_date_weight * self._time_cost(_nearest_gap(event_days, story.event_days))
        return score - threshold

    def _story_margin(self, a: _Story, b: _Story) -> float:
        p = self.params
        pairs = 0
        dot = 0.0
        lexical_dot = 0.0
        for language, count in a.language_count.items():
            other = b.language_count.get(language, 0)
            if other:
                pairs += count * other
                dot += float(a.embedding_sums[language] @ b.embedding_sums[language])
                lexical_dot += _sparse_dot(a.lexical[language], b.lexical[language])
        if pairs:
            embedding = (dot / pairs - p.embedding_baseline) / p.embedding_scale
            score = p.embedding_weight * embedding + (1 - p.embedding_weight) * lexical_dot / pairs
            threshold = p.merge_threshold
        else:
            mean = float(a.embedding_sum @ b.embedding_sum) / (a.represented * b.represented)
            score = (mean - p.embedding_baseline) / p.embedding_scale
            threshold = p.crosslingual_threshold
        score += p.place_weight * _shared(a.places, b.places)
        score += p.actor_weight * _shared(a.actors, b.actors)
        score += p.merge_time_weight * self._closeness(_gap(a.start, a.end, b.start, b.end))
        score -= p.event_date_weight * self._time_cost(_nearest_gap(a.event_days, b.event_days))
        return score - threshold

    def _beyond_window(self, days: int | None) -> bool:
        """Dated reports further apart than the window are never one story, whatever links them."""
        return days is not None and days > self.params.window_days

    def _closeness(self, days: int | None) -> float:
        """1 for the same day, falling with log(days) to 0 at the window's edge; 0 when undated."""
        if days is None:
            return 0.0
        scale = self.params.time_scale_days
        return max(0.0, 1.0 - math.log1p(days / scale) / math.log1p(self.params.window_days / scale))

    def _time_cost(self, days: int | None) -> float:
        if not days:
            return 0.0
        return math.log1p(days / self.params.time_scale_days)

    def _join(self, story: _Story, article: _Article, vector: np.ndarray) -> None:
        story.rows.append(article.row)
        if article.day is not None:
            story.start = article.day if story.start is None else min(story.start, article.day)
            story.end = article.day if story.end is None else max(story.end, article.day)
        if not article.counted:
            return  # the original's text is already in the sums: a copy is no new evidence
        story.embedding_sum += vector
        if article.language in story.embedding_sums:
            story.embedding_sums[article.language] += vector
        else:
            story.embedding_sums[article.language] = vector.astype(np.float64)
        sums = story.lexical.setdefault(article.language, {})
        for term, weight in article.lexical.items():
            sums[term] = sums.get(term, 0.0) + weight
        story.language_count[article.language] += 1
        story.places.update(article.places)
        story.actors.update(article.actors)
        for day in article.event_days:
            bisect.insort(story.event_days, day)

    def _merge_neighbours(self, story: _Story, candidates: list[str]) -> _Story:
        """Merge the story with the best neighbouring story while the evidence says so."""
        if len(story.rows) < 2:
            return story
        tried: set[str] = {story.id}
        while True:
            best: tuple[float, int, str] | None = None
            for story_id in candidates:
                other_id = self._resolve(story_id)
                if other_id in tried:
                    continue
                other = self._stories[other_id]
                if self._beyond_window(_gap(story.start, story.end, other.start, other.end)):
                    continue
                margin = self._story_margin(story, other)
                key = (margin, -other.first, other_id)
                if margin >= 0 and (best is None or key > best):
                    best = key
            if best is None:
                return story
            tried.add(best[2])
            story = self._merge(story, self._stories[best[2]])
            tried.add(story.id)

    def _merge(self, a: _Story, b: _Story) -> _Story:
        """Fold the younger story into the older one; the older keeps its id."""
        keep, gone = (a, b) if (a.first, a.id) <= (b.first, b.id) else (b, a)
        for row in gone.rows:
            self._articles[row].story = keep.id
        keep.rows = sorted(keep.rows + gone.rows)
        keep.embedding_sum += gone.embedding_sum
        for language, vector in gone.embedding_sums.items():
            if language in keep.embedding_sums:
                keep.embedding_sums[language] += vector
            else:
                keep.embedding_sums[language] = vector
        for language, sums in gone.lexical.items():
            target = keep.lexical.setdefault(language, {})
            for term, weight in sums.items():
                target[term] = target.get(term, 0.0) + weight
        keep.language_count.update(gone.language_count)
        keep.places.update(gone.places)
        keep.actors.update(gone.actors)
        keep.event_days = sorted(keep.event_days + gone.event_days)
        for attr, pick in (("start", min), ("end", max)):
            values = [v for v in (getattr(keep, attr), getattr(gone, attr)) if v is not None]
            setattr(keep, attr, pick(values) if values else None)
        del self._stories[gone.id]
        self._merged_into[gone.id] = keep.id
        for original, story_id in self._copies_waiting.items():
            if story_id == gone.id:
                self._copies_waiting[original] = keep.id
        return keep

    def _resolve(self, story_id: str) -> str:
        """Candidates were collected before merges; map a merged-away id to its survivor."""
        while story_id not in self._stories and story_id in self._merged_into:
            story_id = self._merged_into[story_id]
        return story_id

    def _label(self, story: _Story) -> str:
        """The title of the member closest to the story's centre of mass."""
        titled = [r for r in story.rows if self._articles[r].title] or story.rows
        sims = self._vectors[titled] @ story.embedding_sum.astype(np.float32)
        best = titled[int(np.argmax(sims))]
        return self._articles[best].title


def _first_day(story: _Story) -> date | None:
    return date.fromordinal(story.event_days[0]) if story.event_days else None


def _last_day(story: _Story) -> date | None:
    return date.fromordinal(story.event_days[-1]) if story.event_days else None


def _unique(values) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        seen.setdefault(v, None)
    return list(seen)


def _append_row(matrix: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Amortised growth: the backing array doubles, the view grows by one row."""
    base = matrix.base if matrix.base is not None else matrix
    n = matrix.shape[0]
    if base.shape[0] <= n:
        grown = np.zeros((max(64, 2 * base.shape[0]), matrix.shape[1]), dtype=np.float32)
        grown[:n] = matrix
        base = grown
    base[n] = row
    return base[: n + 1]


def _covered(keys: set[str], counts: Counter[str]) -> float:
    if not keys or not counts:
        return 0.0
    return sum(1 for k in keys if k in counts) / len(keys)


def _shared(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(1 for k in small if k in large) / len(small)


def _sparse_dot(a: dict[str, float], b: dict[str, float]) -> float:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(w * large.get(t, 0.0) for t, w in small.items())


def _gap(start_a: int | None, end_a: int | None, start_b: int | None, end_b: int | None) -> int | None:
    """Days between two spans (0 when they overlap); None when either is undated."""
    if start_a is None or start_b is None or end_a is None or end_b is None:
        return None
    return max(start_b - end_a, start_a - end_b, 0)


def _nearest_gap(days: list[int], story_days: list[int]) -> int | None:
    """Smallest distance from any of ``days`` to any of ``story_days`` (both sorted)."""
    if not days or not story_days:
        return None
    best = None
    for day in days:
        i = bisect.bisect_left(story_days, day)
        for j in (i - 1, i):
            if 0 <= j < len(story_days):
                d = abs(story_days[j] - day)
                best = d if best is None else min(best, d)
    return best


def story_label(articles: list[Article]) -> str:
    """A representative headline for stored articles: the earliest title, else the first sentence."""
    for article in articles:
        if article.title:
            return article.title
    return _first_sentence(articles[0].text) if articles else ""


def _first_sentence(text: str, limit: int = 120) -> str:
    text = " ".join((text or "").split())
    for end in (". ", "! ", "? "):
        cut = text.find(end)
        if 0 < cut < limit:
            return text[: cut + 1]
    return text[:limit].rsplit(" ", 1)[0] if len(text) > limit else text
