"""natasha as the Russian parser: segmenter, NER, morphology, UD syntax and lemmas (news-trained).

Texts are tagged a batch at a time: NER over the batch's texts, morphology and
syntax over all of its sentences, so slovnet's matrix products see full batches
instead of one short document each. The products run on one BLAS thread: they
are small, and OpenBLAS's threads spinning against each other (and against the
other processes of a busy machine) made Russian read 10x slower than English.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice
from typing import Any

from storyline.read import nlp
from storyline.read.clauses import Token
from storyline.read.parsers import Parse
from storyline.read.sentences import forced_breaks

NEGATIONS = {"не", "ни"}
# Texts per batch: the taggers chop into batches of 8 sequences themselves.
BATCH = 16


@cache
def _blas() -> Any:
    """The process's thread pools, looked up once (the lookup walks the loaded libraries)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


class NatashaParser:
    name = "natasha 1.6 (slovnet news models)"

    def available(self) -> bool:
        return True  # a hard dependency

    def load(self) -> Any:
        return nlp.russian()

    def parse(self, texts: Iterable[str]) -> Iterator[Parse]:
        stream = iter(texts)
        while batch := list(islice(stream, BATCH)):
            with _blas().limit(limits=1, user_api="blas"):
                docs = tag(batch, nlp.russian())
            for doc in docs:
                yield Parse(
                    sentences=[(s.start, s.stop) for s in doc.sents],
                    ner_spans=[(s.start, s.stop, s.type) for s in doc.spans],
                    tokens=tokens(doc),
                )


def tag(texts: list[str], models: dict[str, Any]) -> list[Any]:
    """natasha Docs for these texts, each tagger run once over the whole batch (as ``Doc.tag_*`` do per doc)."""
    from natasha import Doc
    from natasha.doc import DocSpan, inject_morph, inject_syntax, offset_syntax

    docs = [Doc(text) for text in texts]
    for doc in docs:
        doc.segment(models["segmenter"])
        doc.sents = capped_sentences(doc)
    # NER over the texts (natasha skips blank ones)
    nonblank = [doc for doc in docs if doc.text.strip()]
    for doc, markup in zip(nonblank, models["ner"].map([d.text for d in nonblank]), strict=True):
        doc.spans = [DocSpan(s.start, s.stop, s.type, doc.text[s.start : s.stop]) for s in markup.spans]
    for doc in docs:
        if doc.spans is None:
            doc.spans = []
    # morphology and syntax over every sentence of the batch
    sents = [sent for doc in docs for sent in doc.sents if sent.tokens]  # a blank one would fail the parser
    words = [[t.text for t in sent.tokens] for sent in sents]
    for sent, markup in zip(sents, models["morph"].map(words), strict=True):
        inject_morph(sent.tokens, markup.tokens)
    numbered = [(n, sent) for doc in docs for n, sent in enumerate(doc.sents, 1) if sent.tokens]
    for (n, sent), markup in zip(numbered, models["syntax"].map(words), strict=True):
        inject_syntax(sent.tokens, markup.tokens)
        offset_syntax(n, sent.tokens)
    for doc in docs:
        for token in doc.tokens:
            token.lemmatize(models["vocab"])
    return docs


def capped_sentences(doc: Any) -> list[Any]:
    """The segmenter's sentences, those over MAX_SENTENCE_TOKENS without an end mark cut in
    pieces: the syntax model scores every pair of a sentence's tokens (and pads its batch to the
    longest), so one sentence of thousands of words would cost their square."""
    from natasha.doc import DocSent

    out = []
    for sent in doc.sents:
        tokens = sent.tokens
        words = [doc.text[t.start : (tokens[k + 1].start if k + 1 < len(tokens) else t.stop)]
                 for k, t in enumerate(tokens)]
        cuts = forced_breaks(words)
        if not cuts:
            out.append(sent)
            continue
        for a, b in zip([0, *cuts], [*cuts, len(tokens)], strict=True):
            piece = DocSent(tokens[a].start, tokens[b - 1].stop, doc.text[tokens[a].start : tokens[b - 1].stop])
            piece.tokens = tokens[a:b]
            out.append(piece)
    return out


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
