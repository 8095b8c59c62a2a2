"""Live feeds: poll RSS/Atom feeds and pages politely and ingest only what is new.

Polite: a conditional GET (ETag, Last-Modified), at most one request per host every
``per_host_interval`` seconds, exponential back-off after errors, and the same address
guard, deadline and caps as any fetch. Durable: a feed's state (validators, entries seen,
next poll, error count) lives in the store and is written only after the entries'
articles are committed, so a restart neither skips nor duplicates an entry.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from storyline.ingest import IngestOptions, IngestReport, ingest_items, normalised, read_fetched
from storyline.ingest.dedup import article_id, words
from storyline.ingest.fetch import fetch, is_url
from storyline.ingest.readers import InputError, Record
from storyline.store import Store

DEFAULT_EVERY = 600.0  # seconds between two polls of one feed
PER_HOST_INTERVAL = 1.0  # seconds between two requests to one host
MAX_BACKOFF = 24 * 3600.0  # the longest wait after repeated errors
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", re.I)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str | float) -> float:
    """Seconds from "90", "30s", "10m", "2h" or "1d"."""
    if isinstance(text, int | float):
        return float(text)
    match = _DURATION.fullmatch(text)
    if not match:
        raise ValueError(f"not a duration: {text!r} (e.g. 30s, 10m, 2h)")
    return float(match.group(1)) * _UNIT[match.group(2).lower()]


def read_feed_list(path: str | Path) -> list[str]:
    """The URLs of a feeds file: one a line, ``#`` comments and blank lines allowed."""
    urls = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            raise InputError(f"line {number} is not an http(s) URL", str(path))
        urls.append(line)
    return list(dict.fromkeys(urls))


@dataclass
class WatchOptions:
    every: float = DEFAULT_EVERY
    per_host_interval: float = PER_HOST_INTERVAL
    max_backoff: float = MAX_BACKOFF
    ingest: IngestOptions = field(default_factory=IngestOptions)


@dataclass
class Poll:
    """What one poll of one feed did."""

    url: str
    status: str  # "new", "nothing new", "not modified", "error", "not due"
    added: list[str] = field(default_factory=list)  # article ids stored (new or near-duplicates)
    error: str | None = None
    report: IngestReport | None = None


@dataclass
class WatchReport:
    polls: list[Poll] = field(default_factory=list)

    @property
    def added(self) -> list[str]:
        return [a for p in self.polls for a in p.added]

    @property
    def failed(self) -> list[tuple[str, str]]:
        """(feed or entry, reason), one per error: the poll's own and its entries'."""
        failed = [(p.url, p.error) for p in self.polls if p.error]
        return failed + [f for p in self.polls if p.report for f in p.report.failed]

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for poll in self.polls:
            counts[poll.status] = counts.get(poll.status, 0) + 1
        what = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        return f"{len(self.polls)} polls ({what or 'none'}), {len(self.added)} articles added"


def entry_key(record: Record) -> str:
    """A feed entry's id (guid or link), else the content id of its text."""
    return record.key or article_id(words(record.text))


class Watcher:
    """Polls feeds into a store; ``clock`` and ``sleep`` are the real ones unless a test says otherwise."""

    def __init__(
        self,
        store: Store,
        options: WatchOptions | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.store = store
        self.options = options or WatchOptions()
        self.clock = clock
        self.sleep = sleep
        self.last_request: dict[str, float] = {}  # host -> clock() of the last request to it

    def poll_all(self, urls: list[str], on_poll: Callable[[Poll], None] | None = None) -> list[Poll]:
        """One round: every feed that is due, each host no faster than the per-host interval."""
        polls = []
        for url in urls:
            poll = self.poll(url)
            polls.append(poll)
            if on_poll:
                on_poll(poll)
        return polls

    def seconds_to_next(self, urls: list[str]) -> float:
        """How long until the first of these feeds is due again (0 when one is due now)."""
        now = datetime.now(UTC)
        waits = [
            (state.next_poll - now).total_seconds() if state.next_poll else 0.0
            for state in (self.store.feed_state(url) for url in urls)
        ]
        return max(0.0, min(waits, default=self.options.every))

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        last = self.last_request.get(host)
        if last is not None:
            wait = last + self.options.per_host_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self.last_request[host] = self.clock()

    def poll(self, url: str) -> Poll:
        state = self.store.feed_state(url)
        now = datetime.now(UTC)
        if state.next_poll and now < state.next_poll:
            return Poll(url, "not due")
        self._wait_for_host(url)
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        try:
            fetched = fetch(url, self.options.ingest, headers)
            items = [] if fetched.status == 304 else list(normalised(read_fetched(fetched, url)))
        except InputError as exc:
            state.errors += 1
            state.last_error = exc.reason
            backoff = min(self.options.every * 2 ** min(state.errors, 16), self.options.max_backoff)
            state.last_polled, state.next_poll = now, now + timedelta(seconds=max(backoff, self.options.every))
            with self.store.transaction():
                self.store.save_feed_state(state)
            return Poll(url, "error", error=exc.reason)
        fresh = [i for i in items if isinstance(i, InputError) or entry_key(i) not in state.seen]
        entries: dict[str, str | None] = {}

        def stored(record: Record, outcome: str, value: str) -> None:
            entries[entry_key(record)] = None if outcome == "failed" else value

        report = ingest_items(self.store, fresh, on_stored=stored)
        if fetched.status != 304:  # validators of this response; a 304 keeps the ones we had
            state.etag = fetched.headers.get("etag")
            state.last_modified = fetched.headers.get("last-modified")
        state.errors, state.last_error = 0, None
        state.last_polled, state.next_poll = now, now + timedelta(seconds=self.options.every)
        with self.store.transaction():  # after the articles are committed: a crash before this re-polls
            self.store.save_feed_state(state, entries)
        added = report.added + report.near_duplicates
        if fetched.status == 304:
            return Poll(url, "not modified", report=report)
        return Poll(url, "new" if added else "nothing new", added=added, report=report)
