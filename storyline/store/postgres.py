"""The PostgreSQL backend: one shared store for a team, on one server.

Only what is PostgreSQL's own lives here; every shared method is in
``engine.Store``. Connections come from a pool, so the web app's threads and
a long analysis share the store. Each write transaction takes one advisory lock,
so writers run one at a time as they do on SQLite: near-duplicate detection,
story assignment and decisions always see every earlier commit, and nothing is
lost or stored twice. Readers never wait. A writer waits for the lock up to the
busy timeout (``lock_timeout``), then gives up with ``StoreBusy``.

Search folds text twice: the project's ``fold`` in Python and ``unaccent`` in the
server, into a ``simple`` (language-neutral) ``tsvector``.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg
import psycopg.errors
from psycopg_pool import ConnectionPool, PoolTimeout

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

# Advisory lock keys (any 64-bit numbers; these spell "storylin" and one more).
WRITER_LOCK = 0x73746F72796C696E
MIGRATION_LOCK = WRITER_LOCK + 1
POOL_SIZE = 8
CONNECT_TIMEOUT = 10  # seconds
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=512)
def _sql(sql: str) -> str:
    """The engine's ``?`` placeholders in psycopg's ``%s`` style."""
    return sql.replace("%", "%%").replace("?", "%s")


def _value(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL; U+FFFD keeps every character offset where it was.
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def _params(parameters: Sequence[Any]) -> list[Any]:
    return [_value(v) for v in parameters]


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(//[^/:@]*):[^/@]*@", r"\1:***@", url)


class PgRow(tuple):
    """A row read by position or by column name, like ``sqlite3.Row``."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        return tuple.__getitem__(self, self.names[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self.names)


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], PgRow]:
    names = {column.name: i for i, column in enumerate(cursor.description or [])}

    def make(values: Sequence[Any]) -> PgRow:
        row = PgRow(values)
        row.names = names
        return row

    return make


class Result:
    """The rows of a finished statement (read at once: the connection goes back to the pool)."""

    def __init__(self, rows: list[PgRow]):
        self.rows = rows

    def fetchone(self) -> PgRow | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[PgRow]:
        return self.rows

    def __iter__(self) -> Iterator[PgRow]:
        return iter(self.rows)


class PgConnection:
    """What the engine calls ``db``: statements on this thread's transaction, or on a pooled connection."""

    def __init__(self, store: PostgresStore):
        self.store = store

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Result:
        with self.store.connection() as conn:
            cursor = conn.execute(_sql(sql), _params(parameters))
            return Result(cursor.fetchall() if cursor.description else [])

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> None:
        rows = [_params(p) for p in parameters]
        if rows:
            with self.store.connection() as conn:
                conn.cursor().executemany(_sql(sql), rows)


class ChangeWatcher:
    """Moves whenever any transaction on the server commits (the snapshot's xmax).

    The same query reads the store's identity: a dropped or re-created database raises
    ``StoreUnavailable`` instead of answering.
    """

    def __init__(self, store: PostgresStore):
        self.store = store

    def version(self) -> str:
        try:
            row = self.store.db.execute(
                "SELECT identity, pg_snapshot_xmax(pg_current_snapshot())::text FROM storyline_schema"
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            row = None
        if row is None or row[0] != self.store.identity:
            raise StoreUnavailable(f"{display_url(self.store.path)}: the database was replaced by another one")
        return row[1]

    def close(self) -> None:
        pass


@contextmanager
def _errors(url: str) -> Iterator[None]:
    """psycopg's failures as the store's: busy (retry later) or unavailable."""
    try:
        yield
    except psycopg.errors.LockNotAvailable as error:
        raise StoreBusy(f"{display_url(url)}: another writer holds the store; try again shortly") from error
    except PoolTimeout as error:
        raise StoreUnavailable(f"{display_url(url)}: cannot connect to the server ({error})") from error
    except psycopg.OperationalError as error:
        raise StoreUnavailable(f"{display_url(url)}: {str(error).strip().splitlines()[0]}") from error


class PostgresStore(Store):
    """The store in a PostgreSQL database given by a ``postgresql://`` URL."""

    backend = "postgresql"

    def __init__(self, url: str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, create: bool = True):
        self.path = url
        self.busy_timeout = busy_timeout
        self.local = threading.local()
        self.db = PgConnection(self)
        self.pool = ConnectionPool(
            url,
            min_size=2,
            max_size=POOL_SIZE,
            kwargs={"autocommit": True, "row_factory": _row_factory},
            configure=self._configure,
            timeout=max(busy_timeout, 5.0),
            open=False,
            name="storyline",
        )
        with _errors(url):
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT).close()  # a bad URL fails now, in one line
            self.pool.open(wait=True, timeout=min(max(busy_timeout, 5.0), 30.0))
        try:
            if not create:
                self._read_identity()  # must already be a storyline database
            self.migrate()
            self.identity = self._read_identity()
        except BaseException:
            self.pool.close()
            raise

    def _configure(self, conn: psycopg.Connection) -> None:
        conn.execute("SELECT set_config('lock_timeout', %s, false)", (f"{int(self.busy_timeout * 1000)}ms",))
        conn.execute("SELECT set_config('application_name', 'storyline', false)")

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """This thread's transaction connection, or a pooled one for one statement."""
        current = getattr(self.local, "conn", None)
        if current is not None:
            with _errors(self.path):
                yield current
            return
        with _errors(self.path), self.pool.connection() as conn:
            yield conn

    # -- schema -----------------------------------------------------------
    def _read_identity(self) -> str:
        try:
            row = self.db.execute("SELECT identity, version FROM storyline_schema").fetchone()
        except psycopg.errors.UndefinedTable:
            row = None
        if row is None or row[1] == 0:
            raise StoreUnavailable(f"{display_url(self.path)}: not a storyline database")
        return row[0]

    @property
    def schema_version(self) -> int:
        return self.db.execute("SELECT version FROM storyline_schema").fetchone()[0]

    def _stored_version(self) -> int | None:
        try:
            return self.schema_version
        except (psycopg.errors.UndefinedTable, TypeError):  # no table yet, or no row in it
            return None

    def migrate(self) -> None:
        """Apply pending migrations, each in its own transaction under an advisory lock.

        The version is read after taking the lock, so processes that open a new database
        at once apply each migration once; DDL is transactional, so a failed step leaves nothing.
        An up-to-date database is only read, so opening one never waits.
        """
        while self._stored_version() != SCHEMA_VERSION:
            with _errors(self.path), self.pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS storyline_schema (version INTEGER NOT NULL, identity TEXT NOT NULL)"
                )
                row = conn.execute("SELECT version FROM storyline_schema").fetchone()
                if row is None:
                    conn.execute("INSERT INTO storyline_schema VALUES (0, %s)", (uuid.uuid4().hex,))
                current = row[0] if row else 0
                if current > SCHEMA_VERSION:
                    raise RuntimeError(
                        f"{display_url(self.path)}: schema version {current} is newer than this storyline "
                        f"({SCHEMA_VERSION})"
                    )
                if current == SCHEMA_VERSION:
                    return
                for statement in migration_script(current, self.backend):
                    conn.execute(statement)
                if current + 1 == CARDS_VERSION:
                    stories = conn.execute("SELECT id, data FROM stories").fetchall()
                    with conn.cursor() as cursor:
                        cursor.executemany("UPDATE stories SET card = %s WHERE id = %s", list(card_updates(stories)))
                conn.execute("UPDATE storyline_schema SET version = %s", (current + 1,))

    def verify(self) -> None:
        if self._read_identity() != self.identity:
            raise StoreUnavailable(f"{display_url(self.path)}: the database was replaced by another one")

    @contextmanager
    def transaction(self) -> Iterator[PgConnection]:
        """All or nothing, as the only writer (an advisory lock, waited for up to the busy timeout)."""
        if getattr(self.local, "conn", None) is not None:
            raise RuntimeError("a transaction is already open on this thread")
        with _errors(self.path), self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
            row = conn.execute("SELECT identity FROM storyline_schema").fetchone()
            if row is None or row[0] != self.identity:
                raise StoreUnavailable(f"{display_url(self.path)}: the database was replaced by another one")
            self.local.conn = conn
            try:
                yield self.db
            finally:
                self.local.conn = None

    def close(self) -> None:
        self.pool.close()

    def optimize(self) -> None:
        with _errors(self.path), self.pool.connection() as conn:
            conn.execute("VACUUM ANALYZE")

    def watch_changes(self) -> ChangeWatcher:
        return ChangeWatcher(self)

    # -- full-text search -------------------------------------------------
    def _index_text(self, article: Article) -> None:
        self.db.execute(
            """INSERT INTO articles_fts (article_id, title, text, document)
               SELECT id, title, text, setweight(to_tsvector('simple', title), 'A')
                                       || setweight(to_tsvector('simple', text), 'B')
               FROM (SELECT ? AS id, unaccent(?) AS title, unaccent(?) AS text) AS folded""",
            (article.id, fold(article.title), fold(article.text)),
        )

    def search(self, query: str, limit: int = 20, window: int = SEARCH_WINDOW) -> list[dict[str, Any]]:
        words = " ".join(_WORD.findall(fold(query)))
        if not words:
            return []
        rows = self.db.execute(
            """WITH query AS (SELECT plainto_tsquery('simple', unaccent(?)) AS query),
               recent AS (SELECT f.article_id, f.text, f.document FROM articles_fts f
                          JOIN articles a ON a.id = f.article_id, query
                          WHERE f.document @@ query.query ORDER BY a.rowid DESC LIMIT ?)
               SELECT article_id, ts_rank('{0, 0, 0.2, 1.0}', document, query) AS score,
                      ts_headline('simple', text, query,
                                  'StartSel=[, StopSel=], MinWords=6, MaxWords=12, MaxFragments=1') AS snippet
               FROM recent, query ORDER BY score DESC, article_id LIMIT ?""",
            (words, window, limit),
        ).fetchall()
        return [{"article_id": r["article_id"], "score": r["score"], "snippet": r["snippet"]} for r in rows]

    def matching_articles(self, query: str, limit: int = SEARCH_WINDOW) -> list[str]:
        words = " ".join(_WORD.findall(fold(query)))
        if not words:
            return []
        rows = self.db.execute(
            """SELECT f.article_id FROM articles_fts f JOIN articles a ON a.id = f.article_id
               WHERE f.document @@ plainto_tsquery('simple', unaccent(?)) ORDER BY a.rowid DESC LIMIT ?""",
            (words, limit),
        ).fetchall()
        return [r["article_id"] for r in rows]
