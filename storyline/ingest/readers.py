"""Turn files, folders, feeds and fetched pages into plain records.

Plain functions, one per format; each returns ``Record``s or raises
``InputError`` with a one-line reason. Nothing here touches the store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml", ".feed"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | FEED_SUFFIXES
METADATA_FILE = "metadata.jsonl"


class NotNews(Exception):
    """A file that holds data but no news records (e.g. annotation files beside articles)."""


class InputError(Exception):
    """One input could not be read: ``item`` names it, ``reason`` says why, in one line."""

    def __init__(self, reason: str, item: str | None = None):
        self.reason = " ".join(str(reason).split())
        self.item = item
        super().__init__(f"{item}: {self.reason}" if item else self.reason)


@dataclass
class Record:
    """An article as read, before it gets an id and is checked for duplicates."""

    text: str
    origin: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    language: str | None = None
    published: Any = None  # as given; ``metadata.normalise`` makes it a datetime or None
    meta: dict[str, Any] = field(default_factory=dict)
    published_precision: str | None = None
    warnings: list[str] = field(default_factory=list)  # fields set to unknown, one line each
    key: str | None = None  # a feed entry's own id (guid or link), which survives edits to its text


# -- bytes to text --------------------------------------------------------
def read_bytes(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file")
    if size > max_bytes:
        raise InputError(f"file too large ({size:,} bytes > cap of {max_bytes:,})")
    return path.read_bytes()


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM; binary and other bytes are refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("undecodable UTF-16 text") from exc
    if b"\x00" in data[:8192]:
        raise InputError("binary content (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start})") from exc


# -- formats --------------------------------------------------------------
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n(?:---|\.\.\.)\s*(?:\n|\Z)", re.S)
MAX_FRONT_MATTER = 64 * 1024  # bytes of YAML; a page of metadata is a few hundred


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML without aliases (an alias bomb expands without bound) and with dates kept as text."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise InputError("YAML front matter uses aliases (refused: they can expand without bound)")
        return super().compose_node(parent, index)


# dates are read by metadata.parse_published, which bounds them; YAML's own reader raises on 2020-13-45
_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _front_matter(source: str) -> dict[str, Any]:
    if len(source) > MAX_FRONT_MATTER:
        raise InputError(f"YAML front matter too large (over {MAX_FRONT_MATTER:,} characters)")
    try:
        loaded = yaml.load(source, Loader=_FrontMatterLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML front matter ({str(exc).splitlines()[0]})") from exc
    except RecursionError:
        raise InputError("YAML front matter nested too deeply") from None
    if not isinstance(loaded, dict):
        raise InputError("front matter is not a mapping")
    return {str(k): v for k, v in loaded.items()}


def read_text(content: str, origin: str) -> Record:
    """Plain text or Markdown, with optional YAML front matter for the metadata."""
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(content)
    if match:
        meta = _front_matter(match.group(1))
        content = content[match.end() :]
    record = record_from_mapping(meta | {"text": content.strip()}, origin)
    if not record.title and origin.endswith((".md", ".markdown")):
        heading = re.match(r"\s*#\s+(.+)\n", content)
        if heading:
            record.title = heading.group(1).strip()
            record.text = content[heading.end() :].strip()
    return record


def read_html(content: str, origin: str, url: str | None = None) -> Record:
    """Main text and metadata of a web page, with trafilatura."""
    import trafilatura

    if not re.search(r"<\s*(html|body|p|div|article|head)\b", content[:20000], re.I):
        raise InputError("malformed HTML (no html, body or paragraph element)")
    extracted = trafilatura.bare_extraction(
        content, url=url, with_metadata=True, include_comments=False, favor_precision=True
    )
    if extracted is None:
        raise InputError("no main text found in the HTML")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = (data.get("text") or "").strip()
    if not text:
        raise InputError("no main text found in the HTML")
    page_url = data.get("url") or url
    sitename = data.get("sitename") or None
    if sitename and page_url and sitename == urlsplit(page_url).netloc:
        sitename = None  # trafilatura's fallback to host:port; the ingester derives a cleaner one
    return Record(
        text=text,
        origin=origin,
        title=(data.get("title") or "").strip(),
        url=page_url,
        source=sitename,
        language=data.get("language"),
        published=data.get("date"),
        meta={k: data[k] for k in ("author", "description", "categories", "tags") if data.get(k)},
    )


_TEXT_KEYS = ("text", "maintext", "content", "body", "article")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("published", "date_publish", "date", "pubDate", "published_at", "datePublished")
_SOURCE_KEYS = ("source", "source_domain", "outlet", "publisher", "site")


_NEWS_KEYS = set(_TEXT_KEYS + _TITLE_KEYS + ("url",))


def _first(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = data.get(key)
        if value not in (None, "", []):
            return value
    return None


def record_from_mapping(data: dict[str, Any], origin: str) -> Record:
    """One news record from a mapping (news-please, news_cluster, front matter, ...)."""
    text = _first(data, _TEXT_KEYS)
    if isinstance(text, list):
        text = "\n\n".join(str(t) for t in text)
    title = _first(data, _TITLE_KEYS) or ""
    if (not isinstance(text, str) or not text.strip()) and isinstance(title, str) and title.strip():
        text = title  # a headline-only item (some exports keep a one-sentence report in the title)
    if not isinstance(text, str) or not text.strip():
        raise InputError("record has no text (expected one of: " + ", ".join(_TEXT_KEYS + _TITLE_KEYS) + ")")
    source = _first(data, _SOURCE_KEYS)
    if isinstance(source, dict):
        source = source.get("name") or source.get("domain")
    known = set(_TEXT_KEYS + _TITLE_KEYS + _DATE_KEYS + _SOURCE_KEYS + ("url", "language", "lang"))
    # values are taken as given: metadata.normalise checks their types and bounds in one place
    return Record(
        text=text.strip(),
        origin=origin,
        title=title,
        url=data.get("url") or None,
        source=source or None,
        language=data.get("language") or data.get("lang") or None,
        published=_first(data, _DATE_KEYS),
        meta={k: v for k, v in data.items() if k not in known},
    )


def _loads(text: str) -> Any:
    """json.loads, with Python's recursion limit turned into a one-line reason."""
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError("JSON nested too deeply") from None


def read_json(content: str, origin: str) -> Iterator[Record | InputError]:
    """A JSON record, a JSON list of records, or JSON Lines; a bad line fails alone."""
    stripped = content.strip()
    if not stripped:
        raise InputError("empty JSON")
    try:
        data = _loads(stripped)
    except json.JSONDecodeError:
        data = None
        lines = stripped.splitlines()
        if len(lines) < 2:
            raise InputError("malformed JSON") from None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{origin}:{number}"
            try:
                item = _loads(line)
                if not isinstance(item, dict):
                    raise InputError("JSON line is not an object")
                yield record_from_mapping(item, where)
            except json.JSONDecodeError as exc:
                yield InputError(f"malformed JSON line ({exc.msg})", where)
            except InputError as exc:
                yield InputError(exc.reason, where)
        return
    items = data if isinstance(data, list) else [data]
    if items and not any(isinstance(i, dict) and set(i) & _NEWS_KEYS for i in items):
        raise NotNews("no news records (no object has a text, title or url field)")
    for index, item in enumerate(items):
        where = origin if len(items) == 1 else f"{origin}[{index}]"
        if not isinstance(item, dict):
            yield InputError("JSON value is not an object", where)
            continue
        try:
            yield record_from_mapping(item, where)
        except InputError as exc:
            yield InputError(exc.reason, where)


def looks_like_feed(content: str) -> bool:
    head = content[:2000].lower()
    return "<rss" in head or "<feed" in head or "<rdf:rdf" in head


def read_feed(content: str | bytes, origin: str) -> list[Record | InputError]:
    """Entries of an RSS or Atom feed, with feedparser; the entry's content or summary is the text."""
    import feedparser

    feed = feedparser.parse(content)
    if feed.bozo and not feed.entries:
        reason = getattr(feed, "bozo_exception", "unreadable")
        raise InputError(f"malformed feed ({str(reason).splitlines()[0]})")
    if not feed.entries:
        raise InputError("feed has no entries")
    source = feed.feed.get("title") or None
    records: list[Record | InputError] = []
    for number, entry in enumerate(feed.entries, 1):
        where = f"{origin}#{entry.get('id') or entry.get('link') or number}"
        raw = entry.get("content", [{}])[0].get("value") if entry.get("content") else entry.get("summary", "")
        text = html_text(raw)
        if not text:
            records.append(InputError("feed entry has no text", where))
            continue
        records.append(
            Record(
                text=text,
                origin=where,
                title=(entry.get("title") or "").strip(),
                url=entry.get("link"),
                source=source,
                language=entry.get("language") or feed.feed.get("language"),
                published=entry.get("published") or entry.get("updated"),
                key=entry.get("id") or entry.get("link") or None,
            )
        )
    if not any(isinstance(r, Record) for r in records):
        raise InputError("feed entries have no text")
    return records


def html_text(fragment: str | None) -> str:
    """The text of an HTML fragment; empty for markup with no text (a lone comment, a processing instruction)."""
    from lxml import etree
    from lxml import html as lxml_html

    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return root.text_content().strip()


def folder_metadata(folder: Path) -> Generator[InputError, None, dict[str, dict[str, Any]]]:
    """file name -> metadata from a folder's metadata.jsonl (url, source, published, language, ...).

    A generator: it yields an error per bad line and returns the table of the good ones.
    """
    path = folder / METADATA_FILE
    if not path.is_file():
        return {}
    table: dict[str, dict[str, Any]] = {}
    for number, raw in enumerate(path.read_bytes().splitlines(), 1):
        where = f"{path}:{number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            if not line.strip():
                continue
            item = _loads(line)
        except UnicodeDecodeError as exc:
            yield InputError(f"not valid UTF-8 (byte {exc.start})", where)
            continue
        except json.JSONDecodeError as exc:
            yield InputError(f"malformed JSON line ({exc.msg})", where)
            continue
        except InputError as exc:
            yield InputError(exc.reason, where)
            continue
        if isinstance(item, dict) and isinstance(item.get("file"), str):
            table[item["file"]] = item
        else:
            yield InputError('metadata line is not an object with a "file" name', where)
    return table


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Record | InputError]:
    """Every record in one file, by its suffix (feeds are sniffed in .xml)."""
    origin = str(path)
    content = decode(read_bytes(path, max_bytes))
    if not content.strip():
        raise InputError("empty file")
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        yield from read_json(content, origin)
    elif suffix in HTML_SUFFIXES:
        yield read_html(content, origin)
    elif suffix in FEED_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_feed(content)):
        if not looks_like_feed(content):
            raise InputError("not an RSS or Atom feed")
        yield from read_feed(content, origin)
    else:
        yield read_text(content, origin)


def apply_metadata(record: Record, meta: dict[str, Any]) -> Record:
    """Fill a record from metadata.jsonl: given fields win over what the file itself says."""
    for key in ("url", "source", "language", "title"):
        if meta.get(key):
            setattr(record, key, meta[key])
    if "published" in meta:
        record.published = meta["published"]
    extra = {k: v for k, v in meta.items() if k not in {"file", "url", "source", "language", "title", "published"}}
    record.meta.update(extra)
    return record
