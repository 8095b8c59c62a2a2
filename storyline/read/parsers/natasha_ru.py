"""natasha as the Russian parser: segmenter, NER, morphology, UD syntax and lemmas (news-trained)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from storyline.read import nlp
from storyline.read.clauses import Token
from storyline.read.parsers import Parse

NEGATIONS = {"не", "ни"}


class NatashaParser:
    name = "natasha 1.6 (slovnet news models)"

    def available(self) -> bool:
        return True  # a hard dependency

    def load(self) -> Any:
        return nlp.russian()

    def parse(self, texts: Iterable[str]) -> Iterator[Parse]:
        from natasha import Doc

        models = nlp.russian()
        for text in texts:
            doc = Doc(text)
            doc.segment(models["segmenter"])
            doc.tag_ner(models["ner"])
            doc.tag_morph(models["morph"])
            doc.parse_syntax(models["syntax"])
            for token in doc.tokens:
                token.lemmatize(models["vocab"])
            yield Parse(
                sentences=[(s.start, s.stop) for s in doc.sents],
                ner_spans=[(s.start, s.stop, s.type) for s in doc.spans],
                tokens=tokens(doc),
            )


def tokens(doc: Any) -> list[Token]:
    """natasha's UD parse as neutral tokens; its ids are "<sentence>_<token>", heads "<sentence>_0" for roots."""
    index = {t.id: i for i, t in enumerate(doc.tokens)}
    result = []
    for i, t in enumerate(doc.tokens):
        lemma = (t.lemma or t.text).lower()
        dep = "neg" if lemma in NEGATIONS and t.rel == "advmod" else (t.rel or "dep")
        feats = "|".join(f"{k}={v}" for k, v in (t.feats or {}).items())
        result.append(Token(i, t.start, t.stop, t.text, lemma, t.pos or "X", dep, index.get(t.head_id, i), feats))
    return result


RUSSIAN = NatashaParser()
