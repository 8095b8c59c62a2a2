"""Feed state for ``storyline watch``: what each feed said last, what was seen, when to poll next.

A mixin of the engine's ``Store``, in portable SQL (the tables are migration 3 in schema.py).
Entries are marked seen only after their articles are committed, so a restart re-polls
what was not finished (content ids keep that free of duplicates) and never skips an entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    next_poll: datetime | None = None  # UTC; None: due now
    errors: int = 0  # consecutive failures, for the back-off
    last_error: str | None = None
    last_polled: datetime | None = None
    seen: set[str] = field(default_factory=set)  # entry ids (guid, link or content id) already stored


class FeedStore:
    """Feed state methods; ``self.db`` is the store's connection (see engine.Store)."""

    db: Any

    def feed_state(self, url: str) -> FeedState:
        row = self.db.execute("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone()
        seen = {r[0] for r in self.db.execute("SELECT entry_id FROM feed_entries WHERE feed_url = ?", (url,))}
        if row is None:
            return FeedState(url, seen=seen)
        return FeedState(
            url=url,
            etag=row["etag"],
            last_modified=row["last_modified"],
            next_poll=datetime.fromisoformat(row["next_poll"]) if row["next_poll"] else None,
            errors=row["errors"],
            last_error=row["last_error"],
            last_polled=datetime.fromisoformat(row["last_polled"]) if row["last_polled"] else None,
            seen=seen,
        )

    def save_feed_state(self, state: FeedState, new_entries: dict[str, str | None] | None = None) -> None:
        """Write a feed's state and mark entries seen (entry id -> article id); call inside a transaction."""
        self.db.execute(
            """INSERT INTO feeds (url, etag, last_modified, next_poll, errors, last_error, last_polled)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                   next_poll = excluded.next_poll, errors = excluded.errors, last_error = excluded.last_error,
                   last_polled = excluded.last_polled""",
            (
                state.url,
                state.etag,
                state.last_modified,
                state.next_poll.isoformat() if state.next_poll else None,
                state.errors,
                state.last_error,
                state.last_polled.isoformat() if state.last_polled else None,
            ),
        )
        for entry_id, article_id in (new_entries or {}).items():
            self.db.execute(
                """INSERT INTO feed_entries (feed_url, entry_id, article_id) VALUES (?, ?, ?)
                   ON CONFLICT (feed_url, entry_id) DO NOTHING""",
                (state.url, entry_id, article_id),
            )
        state.seen |= set(new_entries or {})

    def feeds(self) -> list[FeedState]:
        return [self.feed_state(row[0]) for row in self.db.execute("SELECT url FROM feeds ORDER BY url")]

    def article_ids_since(self, since: datetime) -> list[str]:
        """Articles ingested after a moment (UTC), oldest first: what a returning analyst has not seen."""
        rows = self.db.execute(
            "SELECT id FROM articles WHERE ingested_at > ? ORDER BY ingested_at, id", (since.astimezone(UTC).isoformat(),)
        )
        return [row[0] for row in rows]
