"""A plain sentence splitter for languages without a model.

A sentence ends at end punctuation followed by space and a word that is not lower case, or at a line
break. End punctuation is the script's own too: the Arabic question mark "؟" and full stop "۔", the
Armenian full stop "։", the Devanagari danda "।", and the Chinese "。！？", which need no space after them.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(
    r"(?<=[.!?؟۔։।])[\"”’»)]*\s+(?=[\"“‘«(]?[^\sa-zа-яёіїєґ\d])"
    r"|(?<=[。！？])[”」』）)]*\s*(?=\S)"
    r"|\n\s*"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end), stripped of surrounding space."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [strip_span(text, s, e) for s, e in spans if text[s:e].strip()]


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
