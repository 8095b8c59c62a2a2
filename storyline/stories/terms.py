"""The lexical signal: weighted terms of title and lead, with document frequencies kept as articles arrive.

Sentence embeddings say two reports are about the same *kind* of event; the rare
specifics (names, numbers, particular places, unusual words) say whether it is the
*same* event. TF-IDF over folded word prefixes weighs exactly those. It is
language-specific, so the grouper only compares terms between articles of one language.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

from storyline.text import fold

_WORD = re.compile(r"\w+")

# Generic English function words and calendar words: frequent in every report, no
# evidence about which event it is. (Other languages rely on IDF alone.)
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "are",
        "was",
        "were",
        "been",
        "being",
        "has",
        "have",
        "had",
        "its",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "their",
        "our",
        "your",
        "not",
        "but",
        "said",
        "says",
        "say",
        "will",
        "would",
        "can",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "after",
        "before",
        "over",
        "about",
        "into",
        "out",
        "than",
        "more",
        "most",
        "also",
        "who",
        "whom",
        "which",
        "what",
        "when",
        "where",
        "while",
        "with",
        "from",
        "they",
        "them",
        "she",
        "him",
        "you",
        "she",
        "there",
        "here",
        "then",
        "now",
        "just",
        "very",
        "all",
        "any",
        "some",
        "such",
        "only",
        "other",
        "another",
        "each",
        "both",
        "many",
        "much",
        "own",
        "same",
        "how",
        "why",
        "because",
        "against",
        "between",
        "during",
        "under",
        "again",
        "further",
        "once",
        "off",
        "down",
        "upon",
        "per",
        "via",
        "new",
        "year",
        "years",
        "week",
        "weeks",
        "month",
        "months",
        "day",
        "days",
        "today",
        "yesterday",
        "tomorrow",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)

# Prefix length used as a crude, language-blind stem: "attacked", "attacks" and the
# inflected Russian or Turkish forms of one word share their first letters. Not tuned:
# 6 keeps most English stems apart.
PREFIX = 6


def article_terms(text: str) -> Counter[str]:
    """Term counts of a text: folded word prefixes and whole numbers."""
    counts: Counter[str] = Counter()
    for token in _WORD.findall(fold(text)):
        if token.isdigit():
            counts[token.lstrip("0") or "0"] += 1
        elif len(token) >= 3 and token not in STOPWORDS and not token.isdigit():
            counts[token[:PREFIX]] += 1
    return counts


class TermWeights:
    """Document frequencies updated one article at a time, so weights never need a second pass."""

    def __init__(self) -> None:
        self.documents = 0
        self.frequency: Counter[str] = Counter()

    def add(self, counts: Counter[str]) -> dict[str, float]:
        """Count the article, then return its unit-length TF-IDF vector."""
        self.documents += 1
        self.frequency.update(counts.keys())
        n = self.documents
        vector = {
            term: (1.0 + math.log(count)) * math.log((n + 1) / (self.frequency[term] + 0.5))
            for term, count in counts.items()
        }
        norm = math.sqrt(sum(w * w for w in vector.values()))
        if not norm:
            return {}
        return {term: w / norm for term, w in vector.items()}


def language_key(language: str | None, text: str) -> str:
    """The language code when known or detectable, else the dominant script (LATIN, CYRILLIC...)."""
    if language:
        return language.lower().split("-")[0]
    from storyline.ingest import detect_language

    detected = detect_language(text)
    if detected:
        return detected
    scripts: Counter[str] = Counter()
    for ch in text[:400]:
        if ch.isalpha():
            try:
                scripts[unicodedata.name(ch).split()[0]] += 1
            except ValueError:
                continue
    return "script:" + scripts.most_common(1)[0][0] if scripts else "script:none"
