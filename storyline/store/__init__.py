"""Storage: every stage reads and writes through ``open_store``; nothing else speaks SQL.

``Store`` (engine.py) is the backend-neutral interface; ``sqlite.py`` (the
default, a file path) and ``postgres.py`` (a ``postgresql://`` URL) plug into it.
"""

from __future__ import annotations

import os
from pathlib import Path

from storyline.store.engine import (
    DEFAULT_BUSY_TIMEOUT,
    SEARCH_WINDOW,
    Store,
    StoreBusy,
    StoreError,
    StoreUnavailable,
)
from storyline.store.schema import SCHEMA_VERSION

__all__ = [
    "DEFAULT_BUSY_TIMEOUT",
    "SCHEMA_VERSION",
    "SEARCH_WINDOW",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "is_database_url",
    "open_store",
]


def is_database_url(target: str | Path) -> bool:
    """True for a PostgreSQL URL, False for a SQLite file path."""
    return str(target).startswith(("postgres://", "postgresql://"))


def busy_timeout_from_environment() -> float:
    """``STORYLINE_BUSY_TIMEOUT`` seconds, or ``DEFAULT_BUSY_TIMEOUT``."""
    raw = os.environ.get("STORYLINE_BUSY_TIMEOUT", "").strip()
    try:
        seconds = float(raw) if raw else DEFAULT_BUSY_TIMEOUT
    except ValueError:
        seconds = -1
    if not 0 <= seconds < 86400:
        raise ValueError(f"STORYLINE_BUSY_TIMEOUT={raw!r}: not a number of seconds")
    return seconds


def open_store(
    target: str | Path = "storyline.db", *, busy_timeout: float | None = None, create: bool = True
) -> Store:
    """Open (creating and migrating) the store at a path or ``postgresql://`` URL.

    ``:memory:`` gives a throwaway SQLite store. A writer waits up to ``busy_timeout``
    seconds (default: ``STORYLINE_BUSY_TIMEOUT`` or 60) for another's lock, then raises
    ``StoreBusy``. With ``create=False`` a missing database raises ``StoreUnavailable``.
    """
    if busy_timeout is None:
        busy_timeout = busy_timeout_from_environment()
    text = str(target)
    if is_database_url(text):
        from storyline.store.postgres import PostgresStore  # psycopg only when asked for

        return PostgresStore(text, busy_timeout=busy_timeout, create=create)
    from storyline.store.sqlite import SQLiteStore

    return SQLiteStore(text, busy_timeout=busy_timeout, create=create)
