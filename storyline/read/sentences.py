"""A plain sentence splitter for languages without a model.

A sentence ends at end punctuation followed by space and a word that is not lower case, or at a line
break. End punctuation is the script's own too: the Arabic question mark "؟" and full stop "۔", the
Armenian full stop "։", the Devanagari danda "।", and the Chinese "。！？", which need no space after them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SENTENCE_END = re.compile(
    r"(?<=[.!?؟۔։।])[\"”’»)]*\s+(?=[\"“‘«(]?[^\sa-zа-яёіїєґ\d])"
    r"|(?<=[。！？])[”」』）)]*\s*(?=\S)"
    r"|\n\s*"
)


# No sentence a parser reads runs longer than this many tokens: a parser's cost, and that of what is
# built per sentence (clauses, summaries, a biaffine parser's head scores), grows faster than a
# sentence's length, so a text of thousands of words without a full stop ("A B C ...", a list of
# names or numbers) is cut into pieces of this size. In the 1,014 articles of news_cluster and
# ECB+ dev the longest prose run without an end mark is about 130 tokens; the five longer runs
# (up to 383) are page furniture: menus, link lists, captions.
MAX_SENTENCE_TOKENS = 160
_END_MARKS = frozenset(".!?;؟۔։।。！？")


def forced_breaks(words: Sequence[str], limit: int = MAX_SENTENCE_TOKENS) -> list[int]:
    """Indexes of the tokens that must start a sentence so that no run of ``limit`` tokens goes
    without an end mark (full stop, question or exclamation mark, semicolon, a line break)."""
    breaks = []
    run = 0
    for i, word in enumerate(words):
        if run >= limit:
            breaks.append(i)
            run = 0
        run += 1
        if word.strip() in _END_MARKS or "\n" in word:
            run = 0
    return breaks


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
