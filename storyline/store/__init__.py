"""Storage: every stage reads and writes through ``open_store``; nothing else speaks SQL.

``Store`` (engine.py) is the backend-neutral interface; ``sqlite.py`` is the
default backend.
"""

from __future__ import annotations

from pathlib import Path

from storyline.store.engine import Store
from storyline.store.schema import SCHEMA_VERSION
from storyline.store.sqlite import SQLiteStore

__all__ = ["SCHEMA_VERSION", "Store", "open_store"]


def is_database_url(target: str | Path) -> bool:
    """True for a PostgreSQL URL, False for a SQLite file path."""
    return str(target).startswith(("postgres://", "postgresql://"))


def open_store(target: str | Path = "storyline.db") -> Store:
    """Open (creating and migrating) the store at a path or URL; ``:memory:`` for a throwaway one."""
    text = str(target)
    if is_database_url(text):
        raise ValueError(f"{text}: no PostgreSQL backend yet; use a SQLite file path")
    return SQLiteStore(text)
