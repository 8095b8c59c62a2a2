"""The Python API; the CLI is a thin layer over it.

    import storyline
    db = storyline.open("news.db")
    db.ingest(["reports/"])
    for hit in db.search("lacin"): ...
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline.ingest import IngestOptions, IngestReport, Item, ingest
from storyline.models import Article, Copy
from storyline.store import Store, open_store


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

    # -- look ---------------------------------------------------------------
    def articles(self) -> list[Article]:
        return self.store.articles()

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def copies(self, article_id: str | None = None) -> list[Copy]:
        return self.store.copies(article_id)

    def duplicates_of(self, article_id: str) -> list[Article]:
        """Near-duplicate articles stored as copies of this one."""
        return [a for a in self.store.articles() if a.duplicate_of == article_id]

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        hits = self.store.search(query, limit)
        for hit in hits:
            article = self.store.article(hit["article_id"])
            hit["title"] = article.title if article else ""
            hit["source"] = article.source if article else None
        return hits


def open(path: str | Path = "storyline.db") -> Storyline:  # noqa: A001 - mirrors sqlite_utils.Database
    """Open or create a storyline database (SQLite file)."""
    return Storyline(open_store(path))
