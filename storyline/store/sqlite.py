"""The SQLite backend: one file, WAL mode, FTS5 search, ``user_version`` migrations.

Only what is SQLite's own lives here; every shared method is in ``engine.Store``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storyline.models import Article
from storyline.store.engine import Store
from storyline.store.schema import SCHEMA_VERSION, migration_script
from storyline.text import fold


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


class SQLiteStore(Store):
    """The store in one SQLite file (or ``:memory:``)."""

    backend = "sqlite"

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
                for statement in migration_script(version, self.backend):
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
        return ChangeWatcher(self.path)

    # -- full-text search -------------------------------------------------
    def _index_text(self, article: Article) -> None:
        self.db.execute(
            "INSERT INTO articles_fts (article_id, title, text) VALUES (?, ?, ?)",
            (article.id, fold(article.title), fold(article.text)),
        )

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
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
