"""What the quantity grammars share: month and weekday names from the time grammars."""

from __future__ import annotations

import importlib


def calendar_words(code: str) -> tuple[frozenset[str], frozenset[str]]:
    """Month and weekday names (every first word of them) of a language's time grammar."""
    words = importlib.import_module(f"storyline.read.time.lang.{code}").WORDS
    months = {m.split()[0] for m in (*words.months, *words.month_abbr, *words.jalali_months)}
    weekdays = {w.split()[0] for w in words.weekdays}
    return frozenset(months), frozenset(weekdays)
