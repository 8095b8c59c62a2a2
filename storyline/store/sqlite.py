"""The SQLite backend: one file, WAL mode, FTS5 search, ``user_version`` migrations.

Only what is SQLite's own lives here; every shared method is in ``engine.Store``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storyline.models import Article
from storyline.store.engine import (
    DEFAULT_BUSY_TIMEOUT,
    SEARCH_WINDOW,
    Store,
    StoreBusy,
    StoreUnavailable,
    card_updates,
)
from storyline.store.schema import CARDS_VERSION, SCHEMA_VERSION, migration_script
from storyline.text import fold

_WORD = re.compile(r"\w+")


def fts_query(query: str) -> str:
    """Turn a user's words into a safe FTS5 query over folded text: every word must match.

    Each word becomes a quoted FTS5 string of word characters only, so no input (quotes,
    NUL, control characters, FTS5 operators or column filters) can change the syntax.
    """
    return " ".join(f'"{word}"' for word in _WORD.findall(fold(query)))


class ChangeWatcher:
    """Tells whether anyone has committed to the database since last asked.

    SQLite's ``data_version`` moves when another connection commits, so this
    keeps a connection of its own that only ever reads it.
    """

    def __init__(self, store: SQLiteStore):
        self.store = store
        self.db = sqlite3.connect(store.path, check_same_thread=False)

    def version(self) -> int:
        self.store.verify()  # a deleted or replaced file raises StoreUnavailable instead of answering
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        self.db.close()


class SQLiteStore(Store):
    """The store in one SQLite file (or ``:memory:``)."""

    backend = "sqlite"

    def __init__(
        self,
        path: str | Path = "storyline.db",
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        create: bool = True,
    ):
        self.path = str(path)
        if self.path != ":memory:":
            if not create and not Path(self.path).is_file():
                raise StoreUnavailable(f"{self.path}: no such database")
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(
            self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        self.identity = self._file_identity()
        self.db.row_factory = sqlite3.Row
        self._use_wal(busy_timeout)
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.migrate()

    def _use_wal(self, busy_timeout: float) -> None:
        """Switch to WAL, retrying while another process opening a new file holds its lock.

        SQLite answers "locked" at once, without waiting in its busy handler, when waiting
        could deadlock, which is the case when several processes convert a new file at once.
        """
        deadline = time.monotonic() + busy_timeout
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    # -- schema -----------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply pending migrations, each in its own transaction.

        The version is read inside the write transaction, so when processes open a new
        database at once each migration runs once: the others wait, then find it done.
        An up-to-date database is only read, so opening one never waits for a writer.
        """
        while self.schema_version != SCHEMA_VERSION:
            with self.transaction():
                current = self.schema_version
                if current > SCHEMA_VERSION:
                    raise RuntimeError(
                        f"{self.path}: schema version {current} is newer than this storyline ({SCHEMA_VERSION})"
                    )
                if current == SCHEMA_VERSION:
                    return
                for statement in migration_script(current, self.backend):
                    self.db.execute(statement)
                if current + 1 == CARDS_VERSION:
                    stories = self.db.execute("SELECT id, data FROM stories").fetchall()
                    self.db.executemany("UPDATE stories SET card = ? WHERE id = ?", card_updates(stories))
                self.db.execute(f"PRAGMA user_version = {current + 1}")

    def _file_identity(self) -> tuple[int, int] | None:
        if self.path == ":memory:":
            return None
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return (status.st_dev, status.st_ino)

    def verify(self) -> None:
        """The file this store opened must still be at its path (not deleted, not replaced)."""
        if self.path != ":memory:" and self._file_identity() != self.identity:
            raise StoreUnavailable(f"{self.path}: the database file was deleted or replaced")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: an interrupted batch leaves no half-written article.

        BEGIN IMMEDIATE takes the write lock at once, waiting up to the busy timeout.
        """
        self.verify()
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise StoreBusy(f"{self.path}: another process is writing; try again shortly") from error
            raise
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def optimize(self) -> None:
        self.db.execute("PRAGMA optimize")

    def watch_changes(self) -> ChangeWatcher:
        return ChangeWatcher(self)

    # -- full-text search -------------------------------------------------
    def _index_text(self, article: Article) -> None:
        self.db.execute(
            "INSERT INTO articles_fts (article_id, title, text) VALUES (?, ?, ?)",
            (article.id, fold(article.title), fold(article.text)),
        )

    def search(self, query: str, limit: int = 20, window: int = SEARCH_WINDOW) -> list[dict[str, Any]]:
        match = fts_query(query)
        if not match:
            return []
        oldest = self.db.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (match, max(0, window - 1)),
        ).fetchone()
        rows = self.db.execute(
            """SELECT article_id, bm25(articles_fts, 0, 5.0, 1.0) AS score,
                      snippet(articles_fts, 2, '[', ']', '…', 12) AS snippet
               FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ? ORDER BY score LIMIT ?""",
            (match, oldest[0] if oldest else 0, limit),
        ).fetchall()
        return [{"article_id": r["article_id"], "score": -r["score"], "snippet": r["snippet"]} for r in rows]

    def matching_articles(self, query: str, limit: int = SEARCH_WINDOW) -> list[str]:
        match = fts_query(query)
        if not match:
            return []
        rows = self.db.execute(
            "SELECT article_id FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            (match, limit),
        ).fetchall()
        return [r[0] for r in rows]
