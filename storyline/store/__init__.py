"""Storage: every stage reads and writes through ``open_store``; nothing else speaks SQL."""

from __future__ import annotations

from pathlib import Path

from storyline.store.sqlite import SCHEMA_VERSION, SQLiteStore

Store = SQLiteStore

__all__ = ["SCHEMA_VERSION", "Store", "open_store"]


def open_store(target: str | Path = "storyline.db") -> Store:
    """Open (creating and migrating) the store at a path; ``:memory:`` for a throwaway one."""
    text = str(target)
    if text.startswith(("postgres://", "postgresql://")):
        raise ValueError(f"{text}: no PostgreSQL backend yet; use a SQLite file path")
    return SQLiteStore(text)
