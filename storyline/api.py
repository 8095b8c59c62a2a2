"""The Python API; the CLI is a thin layer over it.

    import storyline
    db = storyline.open("news.db")
    db.ingest(["reports/"])
    for hit in db.search("lacin"): ...
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from storyline.ingest import IngestOptions, IngestReport, Item, ingest
from storyline.ingest.watch import Poll, WatchReport
from storyline.models import Annotations, Article, Copy, Decision, Story
from storyline.store import Store, StoreBusy, open_store

# From this many articles on, reading and embedding run one process per core: two tasks
# of work at least (forking the loaded models costs a few tens of milliseconds).
PARALLEL_READ = 48


@dataclass
class Changes:
    """What changed since a moment (an analyst's last visit)."""

    since: datetime
    new_articles: list[str] = field(default_factory=list)
    new_stories: list[str] = field(default_factory=list)  # every report in them is new
    updated_stories: list[str] = field(default_factory=list)  # old stories with new reports
    changed_facts: list[str] = field(default_factory=list)  # facts that cite a new report


@dataclass
class Analysis:
    """What one ``analyze`` did."""

    ingest: IngestReport | None = None
    read: int = 0
    reanchored: list[str] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)  # the stories this run fused: new or changed ones


class Storyline:
    """A storyline database: ingest, read, group, fuse and export."""

    def __init__(self, store: Store):
        self.store = store

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Storyline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest -------------------------------------------------------------
    def ingest(
        self,
        inputs: list[str | Path],
        *,
        allow_private: bool = False,
        max_bytes: int | None = None,
        options: IngestOptions | None = None,
        on_item: Callable[[Item], None] | None = None,
    ) -> IngestReport:
        """Load files, folders, URL lists, feeds and URLs; copies are linked, not counted twice."""
        options = options or IngestOptions(allow_private=allow_private)
        if max_bytes is not None:
            options.max_bytes = max_bytes
        return ingest(self.store, [str(i) for i in inputs], options, on_item=on_item)

    # -- read ---------------------------------------------------------------
    def stale_articles(self) -> list[Article]:
        """Articles whose annotations are missing, made by another reader version, or made against
        another anchor than the article's publication day (it was re-anchored since)."""
        from storyline.read.reader import READER_VERSION

        return self.store.articles(self.store.stale_article_ids(READER_VERSION))

    def read(
        self,
        *,
        force: bool = False,
        ids: list[str] | None = None,
        n_process: int | None = None,
        on_article: Callable[[Article], None] | None = None,
    ) -> int:
        """Annotate every article that needs it (all with ``force``, or the given ids); returns how many.

        ``n_process`` spaCy processes; by default one per core for large batches.
        """
        if ids is not None:
            todo = self.store.articles(ids)
        else:
            todo = self.store.articles() if force else self.stale_articles()
        return self._read(todo, n_process, on_article)

    def _read(
        self, todo: list[Article], n_process: int | None, on_article: Callable[[Article], None] | None
    ) -> int:
        from storyline import analysis
        from storyline.parallel import cores, one_thread_each, worker_pool

        if n_process is None:
            n_process = cores() if len(todo) >= PARALLEL_READ else 1
        with one_thread_each(), worker_pool(n_process) as pool:
            analysis.read_and_embed(self.store, todo, [], pool, on_read=on_article)
        return len(todo)

    def annotations(self, article_id: str) -> Annotations | None:
        return self.store.annotations(article_id)

    def places(self) -> list[dict[str, Any]]:
        """Places mentioned, most widely first, with every name seen and how many articles mention each."""
        return self.store.places()

    # -- stories, facts, decisions --------------------------------------------
    def stories(self) -> list[Story]:
        """Stories, largest first, each with its facts."""
        return self.store.stories()

    def story(self, story_id: str) -> Story | None:
        """One story by id or unique id prefix."""
        return self.store.story(story_id)

    def document(self, story_ids: list[str] | None = None) -> dict[str, Any]:
        """The stories.json document (articles, places, stories with facts) for all or some stories."""
        from storyline.report.document import build_document

        return build_document(self.store, story_ids)

    DECISIONS = {
        "conflict": {"confirmed", "dismissed"},
        "merge_stories": None,  # value: the story id to merge into
        "move_article": None,  # value: "new" or a story id
        "alias": {"accepted", "rejected"},
    }

    def decide(self, kind: str, target: str, value: str, author: str, note: str = "") -> Decision:
        """Record an analyst's decision; it is applied now and on every later analysis."""
        allowed = self.DECISIONS.get(kind, set())
        if kind not in self.DECISIONS or (allowed is not None and value not in allowed):
            raise ValueError(f"unknown decision {kind}={value}")
        if not author.strip():
            raise ValueError("a decision needs an author")
        with self.store.transaction():
            decision = self.store.add_decision(Decision(kind, target, value, author.strip(), note))
        # the decision is stored: when another writer keeps the store busy, the next
        # decision or analysis re-derives the stories instead
        with suppress(StoreBusy):
            self.apply_decisions(self._affected_stories(decision))
        return decision

    def _affected_stories(self, decision: Decision) -> set[str]:
        """The stories a decision changes, before it is applied."""
        assignment = self.store.story_assignment()
        if decision.kind == "conflict":
            story = self.store.story_of_fact(decision.target.split("/", 1)[0])
            return {story} if story else set()
        if decision.kind == "merge_stories":
            return {decision.target, decision.value}
        if decision.kind == "move_article":
            moved_to = f"s{decision.target}" if decision.value == "new" else decision.value
            return {s for s in (assignment.get(decision.target), moved_to) if s}
        return set()  # alias decisions change place names, which documents read as they are built

    def decisions(self, kind: str | None = None) -> list[Decision]:
        return self.store.decisions(kind)

    def apply_decisions(self, story_ids: set[str] | None = None) -> None:
        """Re-derive stories and facts (all, or the given ones) so that every output reflects the decisions."""
        from storyline import analysis

        assignment = analysis.apply_story_decisions(self.store, self.store.story_assignment())
        if story_ids is not None and not story_ids:
            return
        stories = analysis.build_stories(self.store, assignment, only=story_ids)
        with self.store.transaction():
            self.store.set_story_assignment(assignment)
            if story_ids is None:
                self.store.save_stories(stories, replace_all=True)
            else:
                self.store.delete_stories(story_ids - {s.id for s in stories})
                self.store.save_stories(stories)

    def group(self, on_article: Callable[[str], None] | None = None) -> dict[str, str]:
        """Assign articles without a story to stories, incrementally; returns article id -> story id."""
        from storyline import analysis

        analysis.group(self.store, on_article)
        return self.store.story_assignment()

    def analyze(
        self,
        inputs: list[str | Path] | None = None,
        *,
        options: IngestOptions | None = None,
        n_process: int | None = None,
        progress: Callable[[str, int | None], Callable[[], None]] | None = None,
        client: Any = None,
    ) -> Analysis:
        """Everything: ingest the inputs, read, group into stories, fuse facts; stored and returned.

        Only what is new or changed is worked on: articles not read yet (or read with an
        older reader or anchor), articles without a story, stories that changed. Reading,
        embedding and fusing run over ``n_process`` forked workers (one per core by default
        for large batches), or as tasks on the workers of a ``dask.distributed.Client``
        (storyline/cluster.py); grouping stays in this process, in a deterministic order.
        """
        from storyline import analysis
        from storyline.parallel import Workers, cores, one_thread_each, worker_pool

        def stage(name: str, total: int | None) -> Callable[..., None]:
            return progress(name, total) if progress else (lambda *_: None)

        result = Analysis()
        if inputs:
            from storyline.ingest import count_inputs

            paths = [str(i) for i in inputs]
            advance = stage("ingesting", count_inputs(paths))  # input files and URLs done
            result.ingest = self.ingest(paths, options=replace(options or IngestOptions(), on_input=advance))
        stale = self.stale_articles()
        unembedded = analysis.unembedded_articles(self.store)
        if n_process is None:
            n_process = cores() if len(stale) + len(unembedded) >= PARALLEL_READ else 1
        if client is not None:
            from storyline.cluster import ClusterPool

            workers: AbstractContextManager[Workers | None] = nullcontext(ClusterPool(client))
        else:
            workers = worker_pool(n_process)
            if stale or unembedded:
                analysis.load_models()
        parses: dict[str, Any] = {}  # of articles whose anchor may move, to read them again cheaply
        with one_thread_each(), workers as pool:
            fresh = analysis.read_and_embed(
                self.store,
                stale,
                unembedded,
                pool,
                on_read=stage("reading", len(stale)),
                on_embedded=stage("embedding", len(unembedded)),
                parses=parses,
            )
            result.read = len(stale)
            unassigned = len(self.store.unassigned_article_ids())
            analysis.group(self.store, on_article=stage("grouping", unassigned), annotations=fresh)
            # marked stories include any a killed run left unfinished
            changed = analysis.reanchor(self.store, self.store.stories_to_fuse())
            if changed:
                fresh |= analysis.read_and_embed(
                    self.store,
                    self.store.articles(changed),
                    [],
                    pool,
                    on_read=stage("re-anchoring", len(changed)),
                    parses=parses,
                )
            parses.clear()
            result.reanchored = changed
            marked = len(self.store.stories_to_fuse())
            result.stories = analysis.fuse_marked(self.store, pool, stage("fusing", marked), annotations=fresh)
        return result

    # -- live feeds ---------------------------------------------------------
    def watch(
        self,
        feeds: str | Path | list[str],
        *,
        every: str | float = "10m",
        once: bool = False,
        rounds: int | None = None,
        allow_private: bool = False,
        options: IngestOptions | None = None,
        analyze: bool = True,
        on_poll: Callable[[Poll], None] | None = None,
        progress: Callable[[str, int | None], Callable[[], None]] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> WatchReport:
        """Poll feeds and pages (a list of URLs or a feeds file), ingest what is new, update stories and facts.

        Runs until interrupted, or for one round (``once``) or ``rounds`` rounds. Feeds not yet due
        are skipped; state survives restarts (see ``storyline.ingest.watch``).
        """
        import time

        from storyline.ingest.watch import Watcher, WatchOptions, parse_every, read_feed_list

        if isinstance(feeds, str | Path):
            urls = [str(feeds)] if "://" in str(feeds) else read_feed_list(feeds)
        else:
            urls = list(feeds)
        watch_options = WatchOptions(every=parse_every(every), ingest=options or IngestOptions(allow_private=allow_private))
        pause = sleep or time.sleep
        watcher = Watcher(self.store, watch_options, sleep=pause)
        report = WatchReport()
        done = 0
        while True:
            advance = progress("polling", len(urls)) if progress else None

            def polled(poll: Poll, advance: Callable[[], None] | None = advance) -> None:
                if advance:
                    advance()
                if on_poll:
                    on_poll(poll)

            polls = watcher.poll_all(urls, polled)
            report.polls += polls
            if analyze and any(p.added for p in polls):
                self.analyze(progress=progress)  # stories and facts for the new reports
            done += 1
            if once or (rounds is not None and done >= rounds):
                return report
            pause(max(1.0, watcher.seconds_to_next(urls)))

    def changes(self, since: datetime) -> Changes:
        """New reports, new and updated stories, and facts citing new reports, since a moment."""
        changes = Changes(since, new_articles=self.store.article_ids_since(since))
        new = set(changes.new_articles)
        if not new:
            return changes
        for story in self.store.stories():
            fresh = new & set(story.article_ids)
            if not fresh:
                continue
            (changes.new_stories if fresh == set(story.article_ids) else changes.updated_stories).append(story.id)
            changes.changed_facts += [f.id for f in story.facts if fresh & set(f.sources)]
        return changes

    # -- look ---------------------------------------------------------------
    def articles(self) -> list[Article]:
        return self.store.articles()

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def copies(self, article_id: str | None = None) -> list[Copy]:
        return self.store.copies(article_id)

    def duplicates_of(self, article_id: str) -> list[Article]:
        """Near-duplicate articles stored as copies of this one."""
        return self.store.near_duplicates_of(article_id)

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        hits = self.store.search(query, limit)
        for hit in hits:
            article = self.store.article(hit["article_id"])
            hit["title"] = article.title if article else ""
            hit["source"] = article.source if article else None
        return hits


def open(  # noqa: A001 - mirrors sqlite_utils.Database
    path: str | Path = "storyline.db", *, busy_timeout: float | None = None, create: bool = True
) -> Storyline:
    """Open or create a storyline database: a SQLite file, or a ``postgresql://user@host/db`` URL.

    A writer waits up to ``busy_timeout`` seconds (default: ``STORYLINE_BUSY_TIMEOUT`` or 60)
    for another process's write, then raises
    ``StoreBusy``; with ``create=False`` a missing database raises ``StoreUnavailable``.
    """
    return Storyline(open_store(path, busy_timeout=busy_timeout, create=create))
