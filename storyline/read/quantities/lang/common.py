"""What the quantity grammars share: month and weekday names from the time grammars."""

from __future__ import annotations

import importlib


def calendar_words(code: str) -> tuple[frozenset[str], frozenset[str]]:
    """Month and weekday names (every first word of them) of a language's time grammar."""
    words = importlib.import_module(f"storyline.read.time.lang.{code}").WORDS
    months = {m.split()[0] for m in (*words.months, *words.month_abbr, *words.jalali_months)}
    weekdays = {w.split()[0] for w in words.weekdays}
    return frozenset(months), frozenset(weekdays)


def glued_hedges(joiners: tuple[str, ...], endings: str, word: str, kind: str) -> dict[str, str]:
    """Hedges glued to a number by a case suffix: Turkish "300'den fazla", Azerbaijani "300-dən çox"."""
    return {f"{j}{e} {word}": kind for j in joiners for e in endings.split()}
