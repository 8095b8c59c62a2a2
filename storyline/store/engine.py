"""The backend-neutral store engine: every stage reads and writes through ``Store``.

``Store`` holds every method the stages use, written in SQL that SQLite and
PostgreSQL both run (``?`` placeholders, ``ON CONFLICT`` upserts, ``RETURNING``).
A backend plug-in (``sqlite.py``, ``postgres.py``) supplies only what differs:
the connection, transactions and locking, migrations bookkeeping, and full-text
search. Nothing outside ``storyline/store`` speaks SQL.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol

from storyline.models import Alias, Annotations, Article, Copy, Decision, Place, Story, from_dict, to_dict
from storyline.store.feeds import FeedStore
from storyline.store.incremental import IncrementalStore

# Seconds a writer waits for another writer's lock before giving up with ``StoreBusy``.
DEFAULT_BUSY_TIMEOUT = 60.0
SEARCH_WINDOW = 2000  # matches ranked per search, newest first (see Store.search)
# The articles table's columns, in the order the schema creates them.
_ARTICLE_COLUMNS = (
    "id", "url", "source", "title", "text", "language", "published", "published_basis", "published_confidence",
    "published_precision", "ingested_at", "duplicate_of", "origin", "meta",
)  # fmt: skip
# The order of stories(), biggest first: the order every list of stories shows.
_STORY_ORDER = "ORDER BY size DESC, start DESC NULLS LAST, id"


def story_card(story: dict[str, Any]) -> dict[str, Any]:
    """What a list of stories shows and filters on, from a story's ``to_dict`` form: stored beside
    the story so that listing every story never reads every fact and its evidence."""
    facts = story.get("facts") or []
    where: dict[str, int] = {}
    for fact in facts:
        for place in fact.get("where") or []:
            where[place] = where.get(place, 0) + 1
    return {
        "id": story["id"],
        "title": story.get("title") or "",
        "start": story.get("start"),
        "end": story.get("end"),
        "article_ids": list(story.get("article_ids") or []),
        "fact_ids": [f["id"] for f in facts],
        "open_conflicts": sum(
            1 for f in facts if any(c.get("decision") != "dismissed" for c in f.get("conflicts") or [])
        ),
        "fact_places": where,
    }


def card_updates(stories: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """(card, id) for each stored (id, data): the migration that added cards fills them in."""
    for story_id, data in stories:
        yield json.dumps(story_card(json.loads(data)), ensure_ascii=False), story_id


class StoreError(RuntimeError):
    """The store cannot serve this request right now; nothing was written."""


class StoreBusy(StoreError):
    """Another process held the write lock for longer than this store's busy timeout: retry later."""


class StoreUnavailable(StoreError):
    """The database is gone, replaced by another one, or its server cannot be reached."""


class Row(Protocol):
    """A result row, read by column name or position (``sqlite3.Row`` and the PostgreSQL rows)."""

    def __getitem__(self, key: str | int) -> Any: ...
    def keys(self) -> list[str]: ...


class Connection(Protocol):
    """The DB-API subset the engine uses; ``?`` placeholders on every backend."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...
    def executemany(self, sql: str, parameters: Any, /) -> Any: ...


class ChangeWatcher(Protocol):
    """Tells whether anyone has committed since last asked: ``version()`` moves when they have."""

    def version(self) -> Any: ...
    def close(self) -> None: ...


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Store(FeedStore, IncrementalStore, ABC):
    """Articles, copies, annotations, places, stories and decisions, on any backend."""

    #: the backend's name, the key of its scripts in ``schema.MIGRATIONS``
    backend: str
    #: where the store lives: a file path or a database URL
    path: str
    db: Connection

    # -- backend plug-in ----------------------------------------------------
    @property
    @abstractmethod
    def schema_version(self) -> int:
        """The version of the schema this database holds."""

    @abstractmethod
    def migrate(self) -> None:
        """Bring the schema to ``SCHEMA_VERSION``; safe when several processes start at once."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Connection]:
        """All or nothing, as the only writer: an interrupted batch leaves no half-written article."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def verify(self) -> None:
        """Raise ``StoreUnavailable`` when the database opened is no longer the one there."""

    @abstractmethod
    def watch_changes(self) -> ChangeWatcher:
        """A watcher whose ``version()`` changes whenever any connection commits.

        ``version()`` raises ``StoreUnavailable`` when the database is gone or replaced.
        """

    @abstractmethod
    def optimize(self) -> None:
        """Refresh the planner's statistics, e.g. after a bulk load."""

    @abstractmethod
    def _index_text(self, article: Article) -> None:
        """Add an article's title and text to the full-text index."""

    @abstractmethod
    def search(self, query: str, limit: int = 20, window: int = SEARCH_WINDOW) -> list[dict[str, Any]]:
        """Full-text search over folded title and text, best first, with a snippet.

        Only the ``window`` most recently stored matches are ranked, so a common word costs
        the same in a store of 100,000 reports as in one of 2,000 (ranking every match grows
        with the store: bm25 reads each match's column sizes).
        """

    @abstractmethod
    def matching_articles(self, query: str, limit: int = SEARCH_WINDOW) -> list[str]:
        """Ids of the ``limit`` most recently stored articles that match, newest first, unranked."""

    # -- articles ---------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def add_article(self, article: Article, minhash: bytes | None = None) -> None:
        """Insert an article with its search row and signature (call inside a transaction)."""
        self.db.execute(
            """INSERT INTO articles (id, url, source, title, text, language, published, published_basis,
                   published_confidence, published_precision, ingested_at, duplicate_of, origin, meta)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                article.id,
                article.url,
                article.source,
                article.title,
                article.text,
                article.language,
                _iso(article.published),
                article.published_basis,
                article.published_confidence,
                article.published_precision,
                _iso(article.ingested_at or datetime.now(UTC)),
                article.duplicate_of,
                article.origin,
                json.dumps(article.meta, ensure_ascii=False),
            ),
        )
        self._index_text(article)
        if minhash is not None:
            self.db.execute(
                "INSERT INTO minhashes (article_id, signature) VALUES (?, ?)", (article.id, minhash)
            )

    def add_copy(self, copy: Copy) -> bool:
        """Record a copy of a stored article; False when this copy was already known."""
        known = self.db.execute("SELECT url, source FROM copies WHERE article_id = ?", (copy.article_id,))
        if (copy.url, copy.source) in {(r[0], r[1]) for r in known}:
            return False
        self.db.execute(
            """INSERT INTO copies (article_id, url, source, title, published, origin, kind, similarity)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                copy.article_id,
                copy.url,
                copy.source,
                copy.title,
                _iso(copy.published),
                copy.origin,
                copy.kind,
                copy.similarity,
            ),
        )
        return True

    def set_published(
        self,
        article_id: str,
        published: datetime | None,
        basis: str,
        confidence: float | None,
        precision: str | None = None,
    ) -> None:
        self.db.execute(
            """UPDATE articles SET published = ?, published_basis = ?, published_confidence = ?, published_precision = ?
               WHERE id = ?""",
            (_iso(published), basis, confidence, precision, article_id),
        )

    def _article(self, row: Row) -> Article:
        return Article(
            id=row["id"],
            text=row["text"],
            title=row["title"],
            url=row["url"],
            source=row["source"],
            language=row["language"],
            published=_dt(row["published"]),
            published_basis=row["published_basis"],
            published_confidence=row["published_confidence"],
            published_precision=row["published_precision"],
            ingested_at=_dt(row["ingested_at"]),
            duplicate_of=row["duplicate_of"],
            origin=row["origin"],
            meta=json.loads(row["meta"]),
        )

    def _row_by_id(self, table: str, key: str) -> Row | None:
        """A row by id, or by an id prefix that only one row has (ids are long to type)."""
        row = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", (key,)).fetchone()
        if row is None and key:
            rows = self.db.execute(
                f"SELECT * FROM {table} WHERE substr(id, 1, ?) = ? LIMIT 2", (len(key), key)
            ).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return row

    def article(self, article_id: str) -> Article | None:
        """One article by id or by a unique id prefix."""
        row = self._row_by_id("articles", article_id)
        return self._article(row) if row else None

    def articles(self, ids: Iterable[str] | None = None, opening: int | None = None) -> list[Article]:
        """Articles in ingest order (all, or the given ids).

        With ``opening``, each article's text is only its first ``opening`` characters: a list of
        every article needs its opening words, and reading every text in full costs twice as much.
        """
        columns = "*" if opening is None else ", ".join(
            f"substr(text, 1, {int(opening)}) AS text" if c == "text" else c for c in _ARTICLE_COLUMNS
        )
        if ids is None:
            rows = self.db.execute(f"SELECT {columns} FROM articles ORDER BY ingested_at, rowid").fetchall()
        else:
            wanted = list(ids)
            rows = []
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows += self.db.execute(
                    f"SELECT {columns} FROM articles WHERE id IN ({marks}) ORDER BY ingested_at, rowid", chunk
                ).fetchall()
        return [self._article(r) for r in rows]

    def near_duplicates_of(self, article_id: str) -> list[Article]:
        rows = self.db.execute("SELECT * FROM articles WHERE duplicate_of = ? ORDER BY rowid", (article_id,))
        return [self._article(r) for r in rows]

    def count_articles(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def copies(self, article_id: str | None = None) -> list[Copy]:
        sql = "SELECT * FROM copies" + (" WHERE article_id = ?" if article_id else "") + " ORDER BY id"
        rows = self.db.execute(sql, (article_id,) if article_id else ()).fetchall()
        return [
            Copy(
                article_id=r["article_id"],
                url=r["url"],
                source=r["source"],
                title=r["title"],
                published=_dt(r["published"]),
                origin=r["origin"],
                kind=r["kind"],
                similarity=r["similarity"],
            )
            for r in rows
        ]

    def minhashes(self, after: int = 0) -> list[tuple[int, str, bytes]]:
        """(row number, article id, signature) of the signatures stored after row ``after``, in order.

        Inside a write transaction this is the committed state: an ingest that keeps the last
        row number it saw catches up with other processes' inserts before checking for copies.
        """
        rows = self.db.execute(
            "SELECT rowid, article_id, signature FROM minhashes WHERE rowid > ? ORDER BY rowid", (after,)
        )
        return [(r[0], r[1], bytes(r[2])) for r in rows]

    # -- annotations ------------------------------------------------------
    def annotation_versions(self) -> dict[str, tuple[str, str]]:
        """article id -> (reader_version, text_hash) of its stored annotations."""
        rows = self.db.execute("SELECT article_id, reader_version, text_hash FROM annotations")
        return {r[0]: (r[1], r[2]) for r in rows}

    def save_annotations(self, annotations: Annotations) -> None:
        """Store an article's annotations with the anchor they were read against (see stale_article_ids)."""
        self.db.execute(
            """INSERT INTO annotations (article_id, reader_version, text_hash, anchor, data) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(article_id) DO UPDATE SET reader_version = excluded.reader_version,
                   text_hash = excluded.text_hash, anchor = excluded.anchor, data = excluded.data""",
            (
                annotations.article_id,
                annotations.reader_version,
                annotations.text_hash,
                annotations.anchor.isoformat() if annotations.anchor else None,
                json.dumps(to_dict(annotations), ensure_ascii=False),
            ),
        )

    def annotations(self, article_id: str) -> Annotations | None:
        row = self.db.execute("SELECT data FROM annotations WHERE article_id = ?", (article_id,)).fetchone()
        return from_dict(Annotations, json.loads(row[0])) if row else None

    def all_annotations(self, ids: Iterable[str] | None = None) -> dict[str, Annotations]:
        """Annotations of every article, or of the given ids (reading only those rows)."""
        if ids is not None:
            rows = self.annotations_of(ids).items()
        else:
            rows = self.db.execute("SELECT article_id, data FROM annotations")
        return {article_id: from_dict(Annotations, json.loads(data)) for article_id, data in rows}

    def save_reading(self, annotations: Annotations, places: dict[str, Place]) -> None:
        """Store one article's annotations with the places and names they use (inside a transaction)."""
        self.save_annotations(annotations)
        article_id = annotations.article_id
        for place in places.values():
            self.db.execute(
                """INSERT INTO places (id, name, lat, lon, country, kind, population) VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO NOTHING""",
                (place.id, place.name, place.lat, place.lon, place.country, place.kind, place.population),
            )
        self.db.execute("DELETE FROM place_names WHERE article_id = ?", (article_id,))
        self.db.execute("DELETE FROM article_places WHERE article_id = ?", (article_id,))
        counts: dict[str, int] = {}
        for mention in annotations.places:
            if mention.place_id and mention.place_id in places:
                counts[mention.place_id] = counts.get(mention.place_id, 0) + 1
        self.db.executemany(
            "INSERT INTO article_places (article_id, place_id, mentions) VALUES (?, ?, ?)",
            [(article_id, pid, n) for pid, n in counts.items()],
        )
        for alias in annotations.aliases:
            if alias.place_id in places:
                self.db.execute(
                    """INSERT INTO place_names (place_id, name, provenance, article_id, start, "end")
                       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                    (alias.place_id, alias.name, alias.provenance, article_id, alias.start, alias.end),
                )

    def places(self, place_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Places mentioned (every one, or those of ``place_ids``), most mentioned first, with the
        number of articles mentioning each and every name seen (one story's page asks for its
        own places only: at 100,000 articles reading every place's names took 5 s)."""
        wanted = None if place_ids is None else sorted(set(place_ids))
        chunks = [None] if wanted is None else [wanted[i : i + 500] for i in range(0, len(wanted), 500)]
        rows, names = [], {}
        for chunk in chunks:
            marks = ",".join("?" * len(chunk)) if chunk else ""
            rows += self.db.execute(
                """SELECT p.*, count(ap.article_id) AS articles, sum(ap.mentions) AS mentions
                   FROM places p JOIN article_places ap ON ap.place_id = p.id"""
                + (f" WHERE p.id IN ({marks})" if chunk else "")
                + " GROUP BY p.id",
                chunk or (),
            ).fetchall()
            sql = "SELECT DISTINCT place_id, name FROM place_names" + (f" WHERE place_id IN ({marks})" if chunk else "")
            for place_id, name in self.db.execute(sql, chunk or ()):
                names.setdefault(place_id, []).append(name)
        rows.sort(key=lambda r: (-r["articles"], -r["mentions"], r["name"]))
        return [dict(r) | {"names_seen": sorted(names.get(r["id"], []))} for r in rows]

    def article_place_ids(self) -> dict[str, list[str]]:
        """article id -> the places it mentions, for every article (one query, for lists)."""
        result: dict[str, list[str]] = {}
        for article_id, place_id in self.db.execute("SELECT article_id, place_id FROM article_places"):
            result.setdefault(article_id, []).append(place_id)
        return result

    def place_kinds(self) -> dict[str, str]:
        """place id -> kind (city, country, ...) of every stored place."""
        return dict(self.db.execute("SELECT id, kind FROM places"))

    def place(self, place_id: str) -> Place | None:
        r = self.db.execute("SELECT * FROM places WHERE id = ?", (place_id,)).fetchone()
        if r is None:
            return None
        return Place(r["id"], r["name"], r["lat"], r["lon"], r["country"], r["kind"], r["population"])

    def place_names(self, place_id: str | None = None) -> dict[str, list[Alias]]:
        sql = "SELECT * FROM place_names" + (" WHERE place_id = ?" if place_id else "") + " ORDER BY rowid"
        result: dict[str, list[Alias]] = {}
        for r in self.db.execute(sql, (place_id,) if place_id else ()):
            result.setdefault(r["place_id"], []).append(
                Alias(r["place_id"], r["name"], r["provenance"], r["article_id"], r["start"], r["end"])
            )
        return result

    def places_of_article(self, article_id: str) -> list[str]:
        rows = self.db.execute("SELECT place_id FROM article_places WHERE article_id = ?", (article_id,))
        return [r[0] for r in rows]

    def articles_mentioning(self, place_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT article_id FROM article_places WHERE place_id = ? ORDER BY mentions DESC", (place_id,)
        )
        return [r[0] for r in rows]

    # -- stories ------------------------------------------------------------
    def save_embeddings(self, model: str, vectors: dict[str, bytes]) -> None:
        self.db.executemany(
            """INSERT INTO embeddings (article_id, model, vector) VALUES (?, ?, ?)
               ON CONFLICT (article_id, model) DO UPDATE SET vector = excluded.vector""",
            [(k, model, v) for k, v in vectors.items()],
        )

    def embedding_models(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT model FROM embeddings ORDER BY model")]

    def embeddings(self, model: str) -> dict[str, bytes]:
        rows = self.db.execute("SELECT article_id, vector FROM embeddings WHERE model = ?", (model,))
        return {r[0]: r[1] for r in rows}

    def unassigned_articles(self) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles)"
        ).fetchone()
        return row[0]

    def story_assignment(self) -> dict[str, str]:
        """article id -> story id."""
        return {r[0]: r[1] for r in self.db.execute("SELECT article_id, story_id FROM story_articles")}

    def set_story_assignment(self, assignment: dict[str, str]) -> None:
        self.db.executemany(
            """INSERT INTO story_articles (article_id, story_id) VALUES (?, ?)
               ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id""",
            list(assignment.items()),
        )

    def save_stories(self, stories: list[Story], replace_all: bool = False) -> None:
        """Store stories with their facts; ``replace_all`` drops stories no longer present."""
        now = datetime.now(UTC).isoformat()
        if replace_all:
            self.db.execute("DELETE FROM stories")
        for story in stories:
            conflicts = sum(1 for f in story.facts if f.status == "conflicting")
            record = to_dict(story)
            self.db.execute(
                """INSERT INTO stories (id, title, start, "end", size, conflicts, updated_at, data, card)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET title = excluded.title, start = excluded.start,
                       "end" = excluded."end", size = excluded.size, conflicts = excluded.conflicts,
                       updated_at = excluded.updated_at, data = excluded.data, card = excluded.card""",
                (
                    story.id,
                    story.title,
                    story.start,
                    story.end,
                    len(story.article_ids),
                    conflicts,
                    now,
                    json.dumps(record, ensure_ascii=False),
                    json.dumps(story_card(record), ensure_ascii=False),
                ),
            )

    def delete_stories(self, story_ids: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in story_ids])

    def story_of_fact(self, fact_id: str) -> str | None:
        """The story holding a fact (fact ids are quoted JSON strings in the story's data)."""
        row = self.db.execute(
            "SELECT id FROM stories WHERE instr(data, ?) > 0 LIMIT 1", (json.dumps(fact_id),)
        ).fetchone()
        return row[0] if row else None

    def stories(self) -> list[Story]:
        rows = self.db.execute(f"SELECT data FROM stories {_STORY_ORDER}")
        return [from_dict(Story, json.loads(r[0])) for r in rows]

    def story_cards(self) -> list[dict[str, Any]]:
        """Every story's card (see ``story_card``), in ``stories()`` order.

        A list of every story reads these small records, not the stories: at 12,000 articles
        the stories' data is 48 MB of JSON, two thirds of it evidence, and a web index built
        from it took 4 s and 370 MB; it grows with the store.
        """
        rows = self.db.execute(f"SELECT card FROM stories {_STORY_ORDER}")
        return [json.loads(r[0]) for r in rows]

    def story(self, story_id: str) -> Story | None:
        row = self._row_by_id("stories", story_id)
        return from_dict(Story, json.loads(row["data"])) if row else None

    # -- analyst decisions --------------------------------------------------
    def add_decision(self, decision: Decision) -> Decision:
        rows = self.db.execute(
            """INSERT INTO decisions (kind, target, value, author, note, created_at) VALUES (?, ?, ?, ?, ?, ?)
               RETURNING id""",
            (
                decision.kind,
                decision.target,
                decision.value,
                decision.author,
                decision.note,
                (decision.created_at or datetime.now(UTC)).isoformat(),
            ),
        ).fetchall()  # read to the end, so that the statement completes and commits
        decision.id = rows[0][0]
        return decision

    def decisions(self, kind: str | None = None) -> list[Decision]:
        """Every decision, oldest first (a later decision on the same target overrides an earlier one)."""
        sql = "SELECT * FROM decisions" + (" WHERE kind = ?" if kind else "") + " ORDER BY id"
        return [
            Decision(
                id=r["id"],
                kind=r["kind"],
                target=r["target"],
                value=r["value"],
                author=r["author"],
                note=r["note"],
                created_at=_dt(r["created_at"]),
            )
            for r in self.db.execute(sql, (kind,) if kind else ())
        ]
