"""Text normalisation shared by every stage: folding for search, matching and hashing."""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter plus a combining mark.
# The Turkish/Azerbaijani dotless ı is the case that matters most: SQLite's own
# folding leaves it alone, so "lacin" would never find "Laçın".
_EXTRA_FOLDS = str.maketrans(
    {
        "ı": "i",
        "İ": "i",
        "ə": "e",
        "Ə": "e",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "ð": "d",
        "ħ": "h",
        "‘": "'",
        "’": "'",
        "ʼ": "'",
        "`": "'",
        "ё": "е",
        "Ё": "е",
    }
)
# Combining marks left by NFKD (Latin, Cyrillic, Greek and Arabic diacritics). One
# regex pass is ~10x faster than testing unicodedata.combining per character.
_COMBINING = re.compile("[\u0300-\u036f\u0483-\u0489\u064b-\u065f\u0670\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Casefold and strip diacritics, keeping the script (Cyrillic stays Cyrillic).

    Length may change (ß -> ss), so never use folded text for offsets.
    """
    if text.isascii():
        return text.lower().replace("`", "'")
    text = text.translate(_EXTRA_FOLDS)
    stripped = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return stripped.casefold().translate(_EXTRA_FOLDS)


def fold_key(text: str) -> str:
    """Fold and squeeze punctuation/whitespace: the key for name matching."""
    folded = fold(text)
    folded = re.sub(r"[\W_]+", " ", folded)
    return folded.strip()


# Characters a terminal may act on: C0 controls (ESC starts colour, cursor and OSC
# sequences), DEL, C1 controls (0x9b is a one-byte CSI) and the bidi overrides that
# reorder what is shown. Each becomes one visible character, so offsets still hold.
_TERMINAL_UNSAFE = {c: 0x2400 + c for c in range(0x20)} | {0x7F: 0x2421, 0x0D: 0x20}
_TERMINAL_UNSAFE |= {c: 0xFFFD for c in [*range(0x80, 0xA0), 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_TERMINAL_LINES = {k: v for k, v in _TERMINAL_UNSAFE.items() if k not in (0x09, 0x0A)}
_JSON_UNSAFE = {c: f"\\u{c:04x}" for c in _TERMINAL_UNSAFE if c >= 0x7F}


def printable(text: str, lines: bool = False) -> str:
    """Text safe to print on a terminal: control characters shown, never obeyed (same length).

    ``lines`` keeps newlines and tabs (article bodies); otherwise they become symbols too.
    """
    return text.translate(_TERMINAL_LINES if lines else _TERMINAL_UNSAFE)


def printable_json(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with the controls JSON leaves raw written as \\u escapes."""
    return text.translate(_JSON_UNSAFE)
