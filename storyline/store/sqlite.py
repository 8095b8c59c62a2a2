"""The SQLite store: the only module that speaks SQL.

Every other stage talks to ``Store`` methods with data classes from
``storyline.models``; a PostgreSQL backend would implement the same methods.
WAL mode, one transaction per batch, numbered migrations in ``MIGRATIONS``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.models import Alias, Annotations, Article, Copy, Decision, Place, Story, from_dict, to_dict
from storyline.text import fold

# Each entry moves the schema from version i to i + 1. Never edit a released
# entry: append a new one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url TEXT,
        source TEXT,
        title TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        language TEXT,
        published TEXT,
        published_basis TEXT NOT NULL DEFAULT 'unknown',
        published_confidence REAL,
        published_precision TEXT,
        ingested_at TEXT NOT NULL,
        duplicate_of TEXT REFERENCES articles(id),
        origin TEXT,
        meta TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
    CREATE TABLE copies (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        url TEXT,
        source TEXT,
        title TEXT NOT NULL DEFAULT '',
        published TEXT,
        origin TEXT,
        kind TEXT NOT NULL,
        similarity REAL NOT NULL,
        UNIQUE (article_id, url, source)
    );
    CREATE TABLE minhashes (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        signature BLOB NOT NULL
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        article_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2'
    );
    """,
    """
    CREATE TABLE annotations (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        reader_version TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE places (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        lat REAL,
        lon REAL,
        country TEXT,
        kind TEXT,
        population INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE place_names (
        place_id TEXT NOT NULL REFERENCES places(id),
        name TEXT NOT NULL,
        provenance TEXT NOT NULL,
        article_id TEXT,
        start INTEGER,
        end INTEGER
    );
    CREATE UNIQUE INDEX place_names_unique
        ON place_names(place_id, name, provenance, COALESCE(article_id, ''), COALESCE(start, -1));
    CREATE TABLE article_places (
        article_id TEXT NOT NULL REFERENCES articles(id),
        place_id TEXT NOT NULL REFERENCES places(id),
        mentions INTEGER NOT NULL,
        PRIMARY KEY (article_id, place_id)
    );
    CREATE INDEX article_places_place ON article_places(place_id);
    """,
    """
    CREATE TABLE embeddings (
        article_id TEXT NOT NULL REFERENCES articles(id),
        model TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (article_id, model)
    );
    CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id TEXT NOT NULL
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        start TEXT,
        end TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        conflicts INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        value TEXT NOT NULL,
        author TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    CREATE INDEX decisions_target ON decisions(kind, target);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def fts_query(query: str) -> str:
    """Turn a user's words into a safe FTS5 query over folded text: every word must match."""
    words = [w for w in fold(query).replace('"', " ").split() if w]
    return " ".join(f'"{w}"' for w in words)


class ChangeWatcher:
    """Tells whether anyone has committed to the database since last asked.

    SQLite's ``data_version`` moves when another connection commits, so this
    keeps a connection of its own that only ever reads it.
    """

    def __init__(self, path: str):
        self.db = sqlite3.connect(path, check_same_thread=False)

    def version(self) -> int:
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        self.db.close()


class SQLiteStore:
    """Articles, copies, annotations, places and stories in one SQLite file."""

    def __init__(self, path: str | Path = "storyline.db"):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.migrate()

    # -- schema -----------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply pending migrations, each in its own transaction."""
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise RuntimeError(
                f"{self.path}: schema version {current} is newer than this storyline ({SCHEMA_VERSION})"
            )
        for version in range(current, SCHEMA_VERSION):
            with self.transaction():
                for statement in MIGRATIONS[version].split(";\n"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {version + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: an interrupted batch leaves no half-written article."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def watch_changes(self) -> ChangeWatcher:
        """A watcher whose ``version()`` changes whenever any connection commits."""
        return ChangeWatcher(self.path)

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
        self.db.execute(
            "INSERT INTO articles_fts (article_id, title, text) VALUES (?, ?, ?)",
            (article.id, fold(article.title), fold(article.text)),
        )
        if minhash is not None:
            self.db.execute(
                "INSERT INTO minhashes (article_id, signature) VALUES (?, ?)", (article.id, minhash)
            )

    def add_copy(self, copy: Copy) -> bool:
        """Record a copy of a stored article; False when this copy was already known."""
        known = self.db.execute(
            "SELECT 1 FROM copies WHERE article_id = ? AND url IS ? AND source IS ?",
            (copy.article_id, copy.url, copy.source),
        ).fetchone()
        if known:
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
        self, article_id: str, published: datetime | None, basis: str, confidence: float | None, precision: str | None = None
    ) -> None:
        self.db.execute(
            """UPDATE articles SET published = ?, published_basis = ?, published_confidence = ?, published_precision = ?
               WHERE id = ?""",
            (_iso(published), basis, confidence, precision, article_id),
        )

    def _article(self, row: sqlite3.Row) -> Article:
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

    def _row_by_id(self, table: str, key: str) -> sqlite3.Row | None:
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

    def articles(self, ids: Iterable[str] | None = None) -> list[Article]:
        """Articles in ingest order (all, or the given ids)."""
        if ids is None:
            rows = self.db.execute("SELECT * FROM articles ORDER BY ingested_at, rowid").fetchall()
        else:
            wanted = list(ids)
            rows = []
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows += self.db.execute(
                    f"SELECT * FROM articles WHERE id IN ({marks}) ORDER BY ingested_at, rowid", chunk
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

    def minhashes(self) -> Iterator[tuple[str, bytes]]:
        yield from self.db.execute("SELECT article_id, signature FROM minhashes ORDER BY rowid")

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search over folded title and text, best first, with a snippet."""
        match = fts_query(query)
        if not match:
            return []
        rows = self.db.execute(
            """SELECT article_id, bm25(articles_fts, 0, 5.0, 1.0) AS score,
                      snippet(articles_fts, 2, '[', ']', '…', 12) AS snippet
               FROM articles_fts WHERE articles_fts MATCH ? ORDER BY score LIMIT ?""",
            (match, limit),
        ).fetchall()
        return [{"article_id": r["article_id"], "score": -r["score"], "snippet": r["snippet"]} for r in rows]

    # -- annotations ------------------------------------------------------
    def annotation_versions(self) -> dict[str, tuple[str, str]]:
        """article id -> (reader_version, text_hash) of its stored annotations."""
        rows = self.db.execute("SELECT article_id, reader_version, text_hash FROM annotations")
        return {r[0]: (r[1], r[2]) for r in rows}

    def save_annotations(self, annotations: Annotations) -> None:
        self.db.execute(
            """INSERT INTO annotations (article_id, reader_version, text_hash, data) VALUES (?, ?, ?, ?)
               ON CONFLICT(article_id) DO UPDATE SET reader_version = excluded.reader_version,
                   text_hash = excluded.text_hash, data = excluded.data""",
            (
                annotations.article_id,
                annotations.reader_version,
                annotations.text_hash,
                json.dumps(to_dict(annotations), ensure_ascii=False),
            ),
        )

    def annotations(self, article_id: str) -> Annotations | None:
        row = self.db.execute("SELECT data FROM annotations WHERE article_id = ?", (article_id,)).fetchone()
        return from_dict(Annotations, json.loads(row[0])) if row else None

    def all_annotations(self, ids: Iterable[str] | None = None) -> dict[str, Annotations]:
        wanted = set(ids) if ids is not None else None
        result = {}
        for article_id, data in self.db.execute("SELECT article_id, data FROM annotations"):
            if wanted is None or article_id in wanted:
                result[article_id] = from_dict(Annotations, json.loads(data))
        return result

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
                    """INSERT OR IGNORE INTO place_names (place_id, name, provenance, article_id, start, end)
                       VALUES (?, ?, ?, ?, ?, ?)""",
                    (alias.place_id, alias.name, alias.provenance, article_id, alias.start, alias.end),
                )

    def places(self) -> list[dict[str, Any]]:
        """Every place mentioned, with the number of articles mentioning it and every name seen."""
        rows = self.db.execute(
            """SELECT p.*, count(ap.article_id) AS articles, sum(ap.mentions) AS mentions
               FROM places p JOIN article_places ap ON ap.place_id = p.id
               GROUP BY p.id ORDER BY articles DESC, mentions DESC, p.name"""
        ).fetchall()
        names = self.place_names()
        return [dict(r) | {"names_seen": sorted({a.name for a in names.get(r["id"], [])})} for r in rows]

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
        rows = self.db.execute("SELECT article_id FROM article_places WHERE place_id = ? ORDER BY mentions DESC", (place_id,))
        return [r[0] for r in rows]

    # -- stories ------------------------------------------------------------
    def save_embeddings(self, model: str, vectors: dict[str, bytes]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO embeddings (article_id, model, vector) VALUES (?, ?, ?)",
            [(k, model, v) for k, v in vectors.items()],
        )

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
            "INSERT OR REPLACE INTO story_articles (article_id, story_id) VALUES (?, ?)", list(assignment.items())
        )

    def save_stories(self, stories: list[Story], replace_all: bool = False) -> None:
        """Store stories with their facts; ``replace_all`` drops stories no longer present."""
        now = datetime.now(UTC).isoformat()
        if replace_all:
            self.db.execute("DELETE FROM stories")
        for story in stories:
            conflicts = sum(1 for f in story.facts if f.status == "conflicting")
            self.db.execute(
                """INSERT OR REPLACE INTO stories (id, title, start, end, size, conflicts, updated_at, data)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    story.id,
                    story.title,
                    story.start,
                    story.end,
                    len(story.article_ids),
                    conflicts,
                    now,
                    json.dumps(to_dict(story), ensure_ascii=False),
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
        rows = self.db.execute("SELECT data FROM stories ORDER BY size DESC, start DESC, id")
        return [from_dict(Story, json.loads(r[0])) for r in rows]

    def story(self, story_id: str) -> Story | None:
        row = self._row_by_id("stories", story_id)
        return from_dict(Story, json.loads(row["data"])) if row else None

    # -- analyst decisions --------------------------------------------------
    def add_decision(self, decision: Decision) -> Decision:
        cursor = self.db.execute(
            "INSERT INTO decisions (kind, target, value, author, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                decision.kind,
                decision.target,
                decision.value,
                decision.author,
                decision.note,
                (decision.created_at or datetime.now(UTC)).isoformat(),
            ),
        )
        decision.id = cursor.lastrowid
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
