"""The whole analysis over a store: group into stories, re-anchor undated reports, fuse facts.

Each stage is its own package; this module only moves data between them
through the store, and applies the analyst's decisions on top.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from typing import Any

import faiss
import numpy as np

from storyline.facts import fuse_story
from storyline.facts.lead import story_lead, story_title
from storyline.models import Annotations, Article, Story
from storyline.parallel import Workers, ordered_map
from storyline.read.reader import CHUNK as READ_CHUNK
from storyline.read.reader import (
    WEAK_ANCHOR,
    Reading,
    anchor_from_dates,
    read_batch,
    read_batch_keeping_parses,
    reanchor_batch,
)
from storyline.store import Store
from storyline.stories import (
    DEFAULT_MODEL,
    GroupingParams,
    PlacedArticle,
    StoryGrouper,
    StoryItem,
    embed_items,
    embed_texts,
    story_text,
)
from storyline.stories.embed import embed_batch

# e5 over USE for grouping: better on both dev sets and the only one of the two that
# places an Armenian or Azerbaijani report beside its English counterparts (see
# storyline/stories/embed.py for the measurements); it is the slower of the two.
EMBEDDING_MODEL = DEFAULT_MODEL
# The lead embedded with the title: its first 400 characters. The grouping was calibrated
# on this cut; cutting back to the last sentence end instead loses BCubed F1 on news_cluster
# dev (0.955 -> 0.933): the extra words carry the particulars.
LEAD_CHARACTERS = 400


def load_models() -> None:
    """Load what analysis uses (spaCy, the gazetteer, both embedders) once, up front: the start-up cost.

    Forked workers share them copy-on-write; the loaded objects are moved out of the
    garbage collector's sight (``gc.freeze``) so that a collection in a worker does not
    touch, and so copy, every page of them.
    """
    from storyline.read.reader import load_models as load_reader_models

    gc.disable()  # millions of objects unpickled: collecting in between only costs time
    try:
        load_reader_models()
        embed_texts(["warm"], model=EMBEDDING_MODEL)
        embed_texts(["warm"])
    finally:
        gc.enable()
    gc.freeze()


def lead(text: str) -> str:
    return " ".join(text[: LEAD_CHARACTERS * 2].split())[:LEAD_CHARACTERS]


def story_item(article: Article, annotations: Annotations | None, vector: bytes | None) -> StoryItem:
    """What grouping needs from an article.

    An article without a given publication date stays undated for grouping and keeps
    only the dates its text states outright: anchors inferred from bare weekdays and
    years spread one event over decades (ECB+ dev BCubed F1 0.87 -> 0.71 with them).
    """
    dated = article.published is not None and article.published_basis == "metadata"
    places: set[str] = set()
    actors: set[str] = set()
    event_dates: list[date] = []
    if annotations is not None:
        # places the reader only guessed from context (a street placed at the article's main town)
        # are no evidence of the story
        places = {
            p.place_id for p in annotations.places if p.place_id and p.feature != "demonym" and p.source != "context"
        }
        actors = {e.key for e in annotations.entities}
        event_dates = sorted(
            {t.begin for t in annotations.timexes if t.begin and t.begin == t.finish and (dated or not t.anchored)}
        )
    return StoryItem(
        article_id=article.id,
        title=article.title,
        lead=lead(article.text),
        language=article.language,
        published=article.published.date() if dated and article.published else None,
        embedding=np.frombuffer(vector, dtype=np.float32).copy() if vector is not None else None,
        places=places,
        actors=actors,
        event_dates=event_dates,
        duplicate_of=article.duplicate_of,
    )


# -- reading and embedding ------------------------------------------------------------

# Articles read (or embedded) per transaction: a kill loses at most about this much work.
READ_BATCH = 16
# Texts embedded per task handed to a worker process.
EMBED_CHUNK = 32


def embedding_text(article: Article) -> str:
    """What grouping embeds: the title and the lead."""
    return story_text(article.title, lead(article.text))


def prepare_batch(task: tuple[str, Any]) -> tuple[str, Any]:
    """Read, read again or embed one batch: ``("read", articles)``, ``("keep", articles)`` (reading, and
    keeping the parses of articles whose anchor may move), ``("reanchor", [(article, reading, parse)])``
    or ``("embed", (texts, model))``. One kind of task for a pool that does all, so that the
    embedder never waits for the reader."""
    kind, batch = task
    if kind == "read":
        return kind, [(reading, None) for reading in read_batch(batch)]
    if kind == "keep":
        return kind, read_batch_keeping_parses(batch)
    if kind == "reanchor":
        return kind, [(reading, None) for reading in reanchor_batch(batch)]
    return kind, embed_batch(batch)


# Parses kept in memory, packed, for articles whose anchor may move after grouping (about 10 kB
# each); past this many, an article re-anchored is read again in full.
KEPT_PARSES = 5000


def read_and_embed(
    store: Store,
    to_read: list[Article],
    to_embed: list[Article],
    pool: Workers | None = None,
    on_read: Callable[[Article], None] | None = None,
    on_embedded: Callable[[Article], None] | None = None,
    parses: dict[str, tuple[Reading, bytes]] | None = None,
) -> dict[str, Annotations]:
    """Read the articles that need it and embed those without an embedding, interleaved over the pool.

    Readings and embeddings are committed READ_BATCH articles at a time. Returns the new annotations.
    ``parses``, when given, collects the first reading and packed parse of articles whose anchor
    may still move (up to KEPT_PARSES), and an article found in it is only read again for what
    its new anchor changes (``reader.reanchor_batch``).
    """
    kept = parses if parses is not None else {}
    again = [a for a in to_read if a.id in kept]
    fresh = [a for a in to_read if a.id not in kept]
    kind = "keep" if parses is not None else "read"
    read_chunks: list[tuple[str, list[Article], Any]] = [
        (kind, chunk, chunk) for chunk in (fresh[i : i + READ_CHUNK] for i in range(0, len(fresh), READ_CHUNK))
    ]
    read_chunks += [
        ("reanchor", chunk, [(a, *kept.pop(a.id)) for a in chunk])
        for chunk in (again[i : i + READ_CHUNK] for i in range(0, len(again), READ_CHUNK))
    ]
    embed_chunks = [to_embed[i : i + EMBED_CHUNK] for i in range(0, len(to_embed), EMBED_CHUNK)]
    tasks: list[tuple[str, Any]] = []
    for i in range(max(len(read_chunks), len(embed_chunks))):
        if i < len(read_chunks):
            tasks.append((read_chunks[i][0], read_chunks[i][2]))
        if i < len(embed_chunks):
            tasks.append(("embed", ([embedding_text(a) for a in embed_chunks[i]], EMBEDDING_MODEL)))
    readings: list[tuple[Article, Reading]] = []
    vectors: dict[str, bytes] = {}
    annotations: dict[str, Annotations] = {}
    read_done = embed_done = 0

    def commit() -> None:
        with store.transaction():
            save_readings(store, readings)
            store.save_embeddings(EMBEDDING_MODEL, vectors)
        readings.clear()
        vectors.clear()

    for kind, results in ordered_map(pool, prepare_batch, tasks):
        if kind != "embed":
            for article, (reading, parse) in zip(read_chunks[read_done][1], results, strict=True):
                readings.append((article, reading))
                annotations[article.id] = reading[0]
                if parse is not None and parses is not None and len(kept) < KEPT_PARSES:
                    kept[article.id] = (reading, parse)
                if on_read:
                    on_read(article)
            read_done += 1
        else:
            for article, vector in zip(embed_chunks[embed_done], results, strict=True):
                vectors[article.id] = np.asarray(vector, dtype=np.float32).tobytes()
                if on_embedded:
                    on_embedded(article)
            embed_done += 1
        if len(readings) >= READ_BATCH or len(vectors) >= READ_BATCH:
            commit()
    if readings or vectors:
        commit()
    return annotations


def save_readings(store: Store, readings: list[tuple[Article, Reading]]) -> None:
    """Store annotations; an article given no date takes the one its text implies, said to be inferred."""
    store.mark_stories_of_articles_to_fuse(article.id for article, _ in readings)
    for article, (read, places) in readings:
        store.save_reading(read, places)
        if article.published is None and read.anchor is not None:
            anchor = read.anchor
            store.set_published(
                article.id,
                datetime(anchor.year, anchor.month, anchor.day),
                "inferred",
                read.anchor_confidence,
                precision="day",
            )


def latest_decisions(store: Store, kind: str) -> dict[str, str]:
    """target -> value of the latest decision of a kind."""
    return {d.target: d.value for d in store.decisions(kind)}


def apply_story_decisions(store: Store, assignment: dict[str, str]) -> dict[str, str]:
    """Analyst merges and moves, in the order they were made, on top of the automatic grouping."""
    result = dict(assignment)
    for decision in store.decisions():
        if decision.kind == "merge_stories":
            for article, story in result.items():
                if story == decision.target:
                    result[article] = decision.value
        elif decision.kind == "move_article" and decision.target in result:
            result[decision.target] = f"s{decision.target}" if decision.value == "new" else decision.value
    return result


def unembedded_articles(store: Store) -> list[Article]:
    """Articles without the grouping embedding."""
    return store.articles(store.unembedded_article_ids(EMBEDDING_MODEL))


def group(
    store: Store,
    on_article: Callable[[str], None] | None = None,
    annotations: dict[str, Annotations] | None = None,
) -> set[str]:
    """Assign every article without a story to one, continuing the stored grouping.

    Reads only what the new articles touch (see ``grouping_context``); commits the new and
    changed assignments with the grouper's records in one transaction, marking the stories
    that changed to be fused again. Returns those stories. ``annotations`` already in
    memory are used instead of reading them back.
    """
    new_ids = store.unassigned_article_ids()
    if not new_ids:
        return set()
    articles = store.articles(new_ids)
    known = annotations or {}
    read = {i: known[i] for i in new_ids if i in known}
    read |= store.all_annotations([i for i in new_ids if i not in known])
    vectors = store.embeddings_of(EMBEDDING_MODEL, new_ids)
    items = [story_item(a, read.get(a.id), vectors.get(a.id)) for a in articles]
    missing = [i for i in items if i.embedding is None]
    if missing:
        embed_items(missing, model=EMBEDDING_MODEL)
        with store.transaction():
            store.save_embeddings(
                EMBEDDING_MODEL, {i.article_id: np.asarray(i.embedding, dtype=np.float32).tobytes() for i in missing}
            )
    terms_of = StoryGrouper(GroupingParams.for_model(EMBEDDING_MODEL)).term_counts
    new_terms = Counter(term for item in items for term in terms_of(item))
    legacy = store.unplaced_assigned_count() > 0
    if legacy:
        grouper, before = _replay_everything(store)  # a store from before grouping records were kept
    else:
        placed = grouping_context(store, items)
        grouper = StoryGrouper.resume(placed, store.placed_count(), store.term_documents(new_terms))
        before = {p.id: p.story for p in placed}
    for article_id in grouper.add_many(items):
        if on_article:
            on_article(article_id)
    after = grouper.assignment()
    changed = apply_story_decisions(store, {a: s for a, s in after.items() if before.get(a) != s})
    touched = set(changed.values()) | {before[a] for a in changed if a in before}
    with store.transaction():
        store.set_story_assignment(changed)
        store.save_placed(_record(p) for p in grouper.placed(after if legacy else new_ids))
        store.add_term_documents(grouper.document_frequencies if legacy else new_terms)
        store.mark_stories_to_fuse(touched)
    return touched


def grouping_context(store: Store, items: list[StoryItem]) -> list[PlacedArticle]:
    """The stored articles that placing ``items`` can touch, as the grouper placed them.

    Every stored article a new one can find as a neighbour: the dated ones in the time
    buckets its window covers, its nearest undated ones, and for an undated article its
    nearest of all (exact search over the stored vectors, which are then read in full);
    every original of a new copy; and every member of those articles' stories, whose
    sums the scores use.
    """
    params = GroupingParams.for_model(EMBEDDING_MODEL)
    width, window = params.bucket_days, params.window_days
    ranges = []
    for item in items:
        if item.published is not None:
            day = item.published.toordinal()
            ranges.append((((day - window) // width) * width, ((day + window) // width) * width + width - 1))
    ids = store.placed_ids_between(_merge_ranges(ranges))
    queries = np.vstack([np.asarray(i.embedding, dtype=np.float32) for i in items])
    ids |= _nearest_stored(store, queries, 2 * params.neighbours, undated_only=True)
    undated = [n for n, i in enumerate(items) if i.published is None]
    if undated:
        ids |= _nearest_stored(store, queries[undated], 2 * params.neighbours, undated_only=False)
    ids |= {i.duplicate_of for i in items if i.duplicate_of}
    stories = set(store.stories_of(ids).values())
    ids |= set(store.story_members(stories))
    return [_placed(r) for r in store.placed_articles(EMBEDDING_MODEL, ids)]


def _nearest_stored(store: Store, queries: np.ndarray, k: int, undated_only: bool) -> set[str]:
    ids, blobs = store.placed_vectors(EMBEDDING_MODEL, undated_only=undated_only)
    if not ids:
        return set()
    index = faiss.IndexFlatIP(queries.shape[1])
    index.add(np.vstack([np.frombuffer(b, dtype=np.float32) for b in blobs]))
    _, rows = index.search(queries, min(k, len(ids)))
    return {ids[r] for r in rows.ravel() if r >= 0}


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _replay_everything(store: Store) -> tuple[StoryGrouper, dict[str, str]]:
    """Rebuild the grouper from every stored article (stores from before grouping records were kept)."""
    stored = store.story_assignment()
    articles = store.articles(stored)
    annotations = store.all_annotations(stored)
    vectors = store.embeddings_of(EMBEDDING_MODEL, stored)
    items = [story_item(a, annotations.get(a.id), vectors.get(a.id)) for a in articles]
    embed_items(items, model=EMBEDDING_MODEL)
    return StoryGrouper.restore(items, stored), stored


def _record(placed: PlacedArticle) -> dict[str, Any]:
    return {
        "id": placed.id,
        "arrival": placed.arrival,
        "day": placed.day,
        "language": placed.language,
        "counted": placed.counted,
        "lexical": placed.lexical,
        "places": placed.places,
        "actors": placed.actors,
        "event_days": placed.event_days,
        "title": placed.title,
    }


def _placed(record: dict[str, Any]) -> PlacedArticle:
    return PlacedArticle(
        id=record["id"],
        story=record["story"],
        arrival=record["arrival"],
        day=record["day"],
        language=record["language"],
        lexical=record["lexical"],
        counted=record["counted"],
        vector=np.frombuffer(record["vector"], dtype=np.float32),
        places=record["places"],
        actors=record["actors"],
        event_days=record["event_days"],
        title=record["title"],
    )


def reanchor(store: Store, story_ids: Iterable[str]) -> list[str]:
    """Articles without a given publication date take a better anchor from their story mates' dates.

    Looks at the given stories (those whose members changed). Returns the ids of the
    articles whose anchor changed: they must be read again (until they are, their
    annotations no longer match their anchor and count as stale).
    """
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, story_id in sorted(store.story_members(story_ids).items()):
        members[story_id].append(article_id)
    changed = []
    for story_id in sorted(members):
        articles = store.articles(members[story_id])
        mates = [a.published.date() for a in articles if a.published and a.published_basis == "metadata"]
        if not mates:
            continue
        reference = date.fromordinal(int(median(d.toordinal() for d in mates)))
        for article in articles:
            if article.published_basis == "metadata":
                continue
            if article.published is not None and (article.published_confidence or 0) >= WEAK_ANCHOR:
                continue
            own = store.all_annotations([article.id]).get(article.id)
            anchor, confidence = anchor_from_dates(own.timexes if own else [], reference)
            published = datetime(anchor.year, anchor.month, anchor.day)
            if article.published != published:
                with store.transaction():
                    store.set_published(article.id, published, "inferred", confidence, precision="day")
                changed.append(article.id)
    return changed


def embed_every_language(texts: list[str]) -> np.ndarray:
    """Clauses embedded by multilingual-e5, which covers the languages USE does not (facts.align)."""
    return embed_texts(texts, model="e5")


@dataclass
class FuseJob:
    """Everything fusing one story needs, so that any worker can fuse it."""

    story_id: str
    articles: list[Article]  # in story order: by day, then id
    annotations: dict[str, Annotations]
    place_kinds: dict[str, str]  # the kinds of the places the annotations mention
    decisions: dict[str, str]  # conflict decisions: "<fact id>/<slot>" -> value


def fuse_job(job: FuseJob) -> Story:
    """One story with its label, time span and fused facts."""
    facts = fuse_story(
        job.articles, job.annotations, job.place_kinds, job.decisions,
        embed=embed_texts, embed_every_language=embed_every_language,
    )
    days = [f.when.start for f in facts if f.when and not f.background] + [
        a.published.date().isoformat() for a in job.articles if a.published
    ]
    days += [f.when.end for f in facts if f.when and not f.background and f.when.end]
    start, end = (min(days), max(days)) if days else (None, None)
    return Story(
        id=job.story_id,
        title=story_title(job.articles, facts),
        article_ids=[a.id for a in job.articles],
        start=start,
        end=end,
        facts=facts,
        lead=story_lead(job.articles, facts, job.annotations, job.place_kinds, start, end),
        main_fact=facts[0].id if facts else None,
    )


def fuse_batch(jobs: list[FuseJob]) -> list[Story]:
    """Fuse a batch of stories: a plain function that any worker pool can run."""
    return [fuse_job(job) for job in jobs]


def fuse_jobs(
    store: Store,
    assignment: dict[str, str],
    only: set[str] | None = None,
    annotations: dict[str, Annotations] | None = None,
) -> Iterator[FuseJob]:
    """A job per story of the assignment (or only the given ones), largest first.

    ``annotations`` already in memory are used as they are; the rest are read from the store.
    """
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, story_id in sorted(assignment.items()):
        if only is None or story_id in only:
            members[story_id].append(article_id)
    place_kinds = store.place_kinds()
    conflict_decisions = latest_decisions(store, "conflict")
    known = annotations or {}
    # largest first, so that the workers finish together
    for story_id in sorted(members, key=lambda s: (-len(members[s]), s)):
        ids = members[story_id]
        story_articles = store.articles(ids)
        if not story_articles:
            continue
        # by day: publication times may be zone-aware or naive, which do not compare
        story_articles.sort(key=lambda a: (a.published.date() if a.published else date.max, a.id))
        missing = [i for i in ids if i not in known]
        story_annotations = {i: known[i] for i in ids if i in known} | (
            store.all_annotations(missing) if missing else {}
        )
        mentioned = {p.place_id for a in story_annotations.values() for p in a.places if p.place_id}
        yield FuseJob(
            story_id,
            story_articles,
            story_annotations,
            {p: k for p, k in place_kinds.items() if p in mentioned},
            conflict_decisions,
        )


# Stories per task handed to a worker process.
FUSE_CHUNK = 4


def fuse_stories(
    jobs: Iterable[FuseJob], pool: Workers | None = None, on_story: Callable[[], None] | None = None
) -> Iterator[Story]:
    """Fused stories in job order, over the pool's workers when there is one."""
    batches = _batched(jobs, FUSE_CHUNK)
    for stories in ordered_map(pool, fuse_batch, batches):
        for story in stories:
            if on_story:
                on_story()
            yield story


def _batched(items: Iterable[FuseJob], size: int) -> Iterator[list[FuseJob]]:
    batch: list[FuseJob] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# Stories saved per transaction while fusing: a kill loses at most this much fusing.
FUSE_SAVE = 16


def fuse_marked(
    store: Store,
    pool: Workers | None = None,
    on_story: Callable[[], None] | None = None,
    annotations: dict[str, Annotations] | None = None,
) -> list[Story]:
    """Fuse every story marked as changed, save it and unmark it in one transaction; returns them.

    A marked story left without members (merged into another, or emptied by an analyst's
    move) is deleted.
    """
    marked = store.stories_to_fuse()
    assignment = store.story_members(marked)
    with store.transaction():
        gone = set(marked) - set(assignment.values())
        store.delete_stories(gone)
        store.fused(gone)
    done: list[Story] = []
    batch: list[Story] = []
    for story in fuse_stories(fuse_jobs(store, assignment, annotations=annotations), pool, on_story):
        batch.append(story)
        if len(batch) >= FUSE_SAVE:
            _save_fused(store, batch)
            done += batch
            batch = []
    if batch:
        _save_fused(store, batch)
        done += batch
    return done


def _save_fused(store: Store, stories: list[Story]) -> None:
    with store.transaction():
        store.save_stories(stories)
        store.fused(s.id for s in stories)


def build_stories(store: Store, assignment: dict[str, str], only: set[str] | None = None) -> list[Story]:
    """Each story (or only the given ones) with its label, time span and fused facts, in this process."""
    return list(fuse_stories(fuse_jobs(store, assignment, only)))
