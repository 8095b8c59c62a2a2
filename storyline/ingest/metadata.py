"""One gate for every record's metadata: types checked, dates bounded, strings made storable.

Every reader (files, folders with metadata.jsonl, JSON exports, feeds, fetched
pages) hands its records through ``normalise``. A field that cannot be used
is set to unknown and named in a one-line warning; it never stops the run.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import warnings
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from dateutil import parser as dateutil_parser

if TYPE_CHECKING:
    from storyline.ingest.readers import Record

# Publication dates outside these bounds are taken as unknown (with a warning):
# nothing older than the oldest newspapers, nothing from the future (a day of
# slack for time zones and clock skew).
EARLIEST_PUBLISHED = datetime(1800, 1, 1)
FUTURE_SLACK = timedelta(days=1)
# Extra metadata fields nested deeper than this are dropped (with a warning).
MAX_META_DEPTH = 20
MAX_LANGUAGE_LENGTH = 35  # the longest BCP 47 tag worth keeping ("zh-Hant-TW", "sr-Latn-RS", ...)

_SURROGATES = re.compile("[\ud800-\udfff]")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def clean_string(text: str) -> str:
    """Lone surrogates (legal in JSON, not in UTF-8) become U+FFFD, so the text can be stored."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def clean_json(value: Any, depth: int = 0) -> Any:
    """A JSON value with its strings cleaned; ValueError past ``MAX_META_DEPTH`` levels."""
    if depth > MAX_META_DEPTH:
        raise ValueError(f"nested deeper than {MAX_META_DEPTH} levels")
    if isinstance(value, str):
        return clean_string(value)
    if isinstance(value, dict):
        return {clean_string(str(k)): clean_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v, depth + 1) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not a finite number")
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, date):  # YAML front matter
        return value.isoformat()
    raise ValueError(f"a {type(value).__name__}, not a JSON value")


def _ascii_digits(text: str) -> str:
    """Any script's decimal digits as ASCII (२०२० -> 2020), so dates in them can be read."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _plausible(parsed: datetime) -> bool:
    try:
        naive = parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    except (ValueError, OverflowError) as exc:  # dateutil accepts a +25:00 offset, which cannot be used
        raise BadValue(str(exc).split(".")[0]) from None
    return EARLIEST_PUBLISHED <= naive <= datetime.now(UTC).replace(tzinfo=None) + FUTURE_SLACK


class BadValue(ValueError):
    """A metadata value that cannot be used; the message says why, in a few words."""


def parse_published(value: Any) -> tuple[datetime | None, str | None]:
    """A publication date and its precision ("day" or "time"); (None, None) when absent.

    Raises BadValue for a value that is present but unreadable or implausible.
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        parsed, text = value, "00:00"
    elif isinstance(value, date):
        parsed, text = datetime(value.year, value.month, value.day), ""
    elif isinstance(value, str):
        text = _ascii_digits(value.strip())
        parsed = _parse_date_text(text)
    else:
        raise BadValue(f"a {type(value).__name__}, not a date")
    if not _plausible(parsed):
        raise BadValue(f"{parsed.date().isoformat()} is outside {EARLIEST_PUBLISHED.year} to today")
    has_time = bool(re.search(r"\d{1,2}:\d{2}", text))
    return parsed, "time" if has_time else "day"


def _parse_date_text(text: str) -> datetime:
    if len(text) > 100 or not _HAS_YEAR.search(text):
        raise BadValue("not a date with a year")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        try:
            return datetime.fromisoformat(text)
        except ValueError as exc:
            raise BadValue(str(exc)) from None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: keep the naive time
            return dateutil_parser.parse(text)
    except (ValueError, OverflowError, TypeError, ArithmeticError) as exc:  # +25:00 offsets raise ValueError
        raise BadValue(str(exc).splitlines()[0] if str(exc) else "unreadable") from None


def _text_field(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadValue(f"a {type(value).__name__}, not text")
    return clean_string(str(value)).strip() or None


def _url(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadValue(f"a {type(value).__name__}, not a URL")
    text = clean_string(value).strip()
    if not text or any(c.isspace() for c in text) or len(text) > 8192:
        raise BadValue("not a URL")
    return text


def _language(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > MAX_LANGUAGE_LENGTH or not _LANGUAGE.fullmatch(value.strip()):
        raise BadValue("not a language code")
    return value.strip()


def _shown(value: Any) -> str:
    """A bad value quoted for a one-line warning, short."""
    try:
        text = json.dumps(value, ensure_ascii=True, default=str)
    except (ValueError, TypeError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def normalise(record: Record) -> list[str]:
    """Check and clean a record's fields in place; returns one-line warnings for fields set to unknown."""
    warnings_: list[str] = []

    def field(name: str, check: Any, default: Any = None) -> None:
        value = getattr(record, name)
        try:
            setattr(record, name, check(value))
        except BadValue as exc:
            setattr(record, name, default)
            warnings_.append(f"{name} {_shown(value)} ignored ({exc})")

    record.text = clean_string(record.text)
    field("title", lambda v: _text_field(v) or "", "")
    field("url", _url)
    field("source", _text_field)
    field("language", _language)
    value = record.published
    try:
        record.published, record.published_precision = parse_published(value)
    except BadValue as exc:
        record.published, record.published_precision = None, None
        warnings_.append(f"published {_shown(value)} ignored, date unknown ({exc})")
    meta = {}
    for key, item in record.meta.items():
        try:
            meta[clean_string(str(key))] = clean_json(item)
        except (ValueError, RecursionError) as exc:
            warnings_.append(f"field {_shown(key)} dropped ({exc})")
    record.meta = meta
    return warnings_
