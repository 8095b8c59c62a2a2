"""Packaged parsers, one small plug-in per language, behind one interface.

A parser turns texts into ``Parse``s: sentences, named-entity spans, the
dependency parse as neutral ``Token``s (what ``read.clauses`` builds clauses
from) and, for spaCy, the Doc itself. Languages without a packaged parser get
``None`` here: the reader splits their sentences plainly and facts tell them
by date, place, counted thing and multilingual meaning instead.

Which language gets which parser, and why (measured by ``python -m bench clauses``):
English, French and Spanish use spaCy pipelines, Russian natasha. No packaged
model parses the other languages; a neighbour's parser applied to them
(Spanish's to Portuguese, Russian's to Ukrainian) scores far too low to use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from storyline.read.clauses import Token


@dataclass
class Parse:
    """What a parser gives for one text; offsets into that text."""

    sentences: list[tuple[int, int]]
    ner_spans: list[tuple[int, int, str]]
    tokens: list[Token]
    doc: Any = None  # the spaCy Doc, for components that use the parse directly


class Parser(Protocol):
    name: str

    def available(self) -> bool:
        """Is the model installed?"""
        ...

    def load(self) -> Any:
        """Load the model now (it loads on first use otherwise)."""
        ...

    def parse(self, texts: Iterable[str]) -> Iterator[Parse]:
        """Parses in text order, lazily: a batch at a time."""
        ...


def _english() -> Parser:
    from storyline.read.parsers.spacy_ud import ENGLISH

    return ENGLISH


def _french() -> Parser:
    from storyline.read.parsers.spacy_ud import FRENCH

    return FRENCH


def _spanish() -> Parser:
    from storyline.read.parsers.spacy_ud import SPANISH

    return SPANISH


def _russian() -> Parser:
    from storyline.read.parsers.natasha_ru import RUSSIAN

    return RUSSIAN


# language code -> the plug-in for it (loaded on first use)
PARSERS: dict[str, Callable[[], Parser]] = {"en": _english, "fr": _french, "es": _spanish, "ru": _russian}


@cache
def parser_for(language: str | None) -> Parser | None:
    """The language's parser, or None when no packaged parser reads it (or its model is not installed)."""
    plugin = PARSERS.get(language or "en")
    if plugin is None:
        return None
    parser = plugin()
    return parser if parser.available() else None


def preload(languages: Iterable[str | None]) -> None:
    """Load the models these languages need now, e.g. before forking workers that share them."""
    for language in set(languages):
        parser = parser_for(language)
        if parser is not None:
            parser.load()
