"""Cross-document event coreference on ECB+ over the gold event mentions.

    python -m bench coref --data ../shared/data/ecbplus/dev

As in the cited work, the gold event mentions (spans) are given and the system decides which of
them co-refer. Each article is read by our pipeline (text = title, blank line, body, as the data set
stores them); each gold mention is mapped by its head token (the CoNLL tokens are aligned character by
character to that text) to the clause whose predicate it is, or, for a nominal mention, to a record
built from its sentence (storyline.facts.coref). Mentions are clustered within a scope:

(a) gold document clusters: each subtopic folder (``36ecb``, ``36ecbplus``) on its own;
(b) the topic: both subtopics together, so the method must also tell the two real events apart.

Scores are MUC, B3, CEAF-e and CoNLL F1 (bench/coref_metrics.py) over all mentions of all topics,
singletons included (as in the ECB+ literature). The lemma baseline puts mentions with the same head
lemma in the scope together. The mention set is the data set's ``event_mentions_*.json``; CoNLL
``Singleton_*`` tags without a mention record there are not part of it.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench._common import emit, peak_rss_mb
from bench.coref_metrics import conll
from bench.datasets import _subtopic_dirs
from storyline.facts import Embed, clause_similarity
from storyline.facts.coref import (
    EventMention,
    cluster_mentions,
    event_mention,
    group_documents,
    lemma_groups,
    sentence_embedder,
)
from storyline.facts.extract import tellings
from storyline.facts.fuse import align
from storyline.models import Annotations, Article
from storyline.read.reader import language_layers, read

# Characters written differently in the CoNLL tokens and the stored text.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "`": "'", "–": "-", "—": "-"})
# How far ahead of the last placed sentence the next one may start (text the tokens lack).
SKIP_CHARS = 400
# Matching runs shorter than this are chance (a URL's letters recur in any text).
MIN_BLOCK = 3
_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "``": '"', "''": '"'}


@dataclass
class GoldMention:
    id: str
    doc: str
    subtopic: str
    topic: str
    chain: str
    sentence: int
    tokens: list[int]
    head: int  # token number of the head within the sentence
    head_text: str
    text: str


@dataclass
class Document:
    id: str
    subtopic: str
    topic: str
    article: Article
    tokens: dict[tuple[int, int], tuple[int, int] | None]  # (sentence, token) -> character span in the text


def _normal(token: str) -> str:
    return _BRACKETS.get(token, token).translate(_QUOTES)


def align_tokens(text: str, sentences: list[list[str]]) -> list[list[tuple[int, int] | None]]:
    """Character spans of tokens in a text that spells them with other spacing and quotes.

    Both sides are compared without whitespace. First every sentence found whole a little ahead of
    the last one is placed; then each other sentence is matched character by character (difflib)
    within the gap its placed neighbours leave, and a token gets the span of its matching characters
    (None when the text lacks the sentence, such as a URL heading the stored text leaves out).
    """
    positions = [i for i, c in enumerate(text) if not c.isspace()]
    flat = "".join(text[i] for i in positions).translate(_QUOTES)
    pieces = [["".join(_normal(w).split()) for w in words] for words in sentences]
    places: list[tuple[int, int] | None] = []  # (start, end) in flat of each placed sentence
    cursor = 0
    for parts in pieces:
        joined = "".join(parts)
        at = flat.find(joined, cursor, cursor + len(joined) + SKIP_CHARS) if joined else -1
        places.append((at, at + len(joined)) if at >= 0 else None)
        if at >= 0:
            cursor = at + len(joined)
    result = []
    for i, parts in enumerate(pieces):
        spans: list[tuple[int, int] | None] = [None] * len(parts)
        place = places[i]
        if place is not None:
            at = place[0]
            for k, piece in enumerate(parts):
                if piece:
                    spans[k] = (positions[at], positions[at + len(piece) - 1] + 1)
                at += len(piece)
        elif parts:
            low = max((p[1] for p in places[:i] if p), default=0)
            high = min((p[0] for p in places[i + 1 :] if p), default=len(flat))
            spans = _match_in_gap(parts, flat, positions, low, high)
        result.append(spans)
    return result


def _match_in_gap(parts: list[str], flat: str, positions: list[int], low: int, high: int) -> list:
    joined = "".join(parts)
    owners = [k for k, piece in enumerate(parts) for _ in piece]
    bounds: dict[int, list[int]] = {}
    matched = 0
    matcher = difflib.SequenceMatcher(None, joined, flat[low:high], autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        if size < MIN_BLOCK:
            continue  # letters that happen to recur
        for offset in range(size):
            k, where = owners[a + offset], positions[low + b + offset]
            bounds.setdefault(k, [where, where + 1])[1] = where + 1
        matched += size
    if matched < len(joined) / 2:
        return [None] * len(parts)  # not in the text
    return [tuple(bounds[k]) if k in bounds else None for k in range(len(parts))]


def _conll_tokens(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """CoNLL rows by document key ``topic/subtopic/number``: (sentence, token, word)."""
    docs: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 4 or line.startswith("#"):
                continue
            docs[cells[0]].append((int(cells[1]), int(cells[2]), cells[3]))
    return docs


def load(data: str | Path) -> tuple[list[Document], list[GoldMention]]:
    """Documents (with token spans) and gold event mentions of an ECB+ directory."""
    documents: list[Document] = []
    mentions: list[GoldMention] = []
    for folder in _subtopic_dirs(Path(data)):
        subtopic, topic = folder.name, folder.name.split("ecb")[0]
        annotation = folder / "annotation" / "original"
        rows = _conll_tokens(annotation / f"{subtopic}.conll")
        for file in sorted(folder.glob("*.json")):
            record = json.loads(file.read_text(encoding="utf-8"))
            title, body = record.get("title") or "", record.get("text") or ""
            text = f"{title}\n\n{body}" if title else body
            article = Article(id=file.stem, text=text, title=title, language="en", origin=str(file))
            number = re.match(r"\d+", file.stem.split("_", 1)[-1])
            key = f"{topic}/{subtopic}/{number.group(0) if number else ''}"
            by_sentence: dict[int, list[tuple[int, str]]] = defaultdict(list)
            for sentence, token, word in rows.get(key, []):
                by_sentence[sentence].append((token, word))
            numbers = sorted(by_sentence)
            spans = align_tokens(text, [[w for _, w in by_sentence[n]] for n in numbers])
            tokens = {
                (n, t): span
                for n, sentence_spans in zip(numbers, spans, strict=True)
                for (t, _), span in zip(by_sentence[n], sentence_spans, strict=True)
            }
            documents.append(Document(file.stem, subtopic, topic, article, tokens))
        for path in sorted(annotation.glob("event_mentions_*.json")):
            for m in json.loads(path.read_text(encoding="utf-8")):
                mentions.append(
                    GoldMention(
                        id=m["mention_id"],
                        doc=m["doc_id"],
                        subtopic=m.get("subtopic") or subtopic,
                        topic=str(m.get("topic") or topic),
                        chain=m["coref_chain"],
                        sentence=int(m["sent_id"]),
                        tokens=[int(t) for t in m["tokens_number"]],
                        # two multi-word mentions lack a head: take their last word
                        head=int(m["mention_head_id"] if m["mention_head_id"] is not None else m["tokens_number"][-1]),
                        head_text=m.get("mention_head") or "",
                        text=m.get("tokens_str") or "",
                    )
                )
    return documents, mentions


def _spacy_token(doc: Any, start: int, end: int) -> Any:
    """The parsed word standing for the head span: the last one inside it (``surgery-enhanced``)."""
    inside = [t for t in doc if start <= t.idx < end]
    if inside:
        return inside[-1]
    return next((t for t in doc if t.idx <= start < t.idx + len(t.text)), None)


def read_mentions(
    documents: list[Document], gold: list[GoldMention]
) -> tuple[dict[str, EventMention], dict[str, Annotations]]:
    """Our reading of every document, and an EventMention for each gold mention (by mention id)."""
    by_doc: dict[str, list[GoldMention]] = defaultdict(list)
    for m in gold:
        by_doc[m.doc].append(m)
    articles = [d.article for d in documents]
    found: dict[str, EventMention] = {}
    read_by_doc: dict[str, Annotations] = {}
    for document, layer in zip(documents, language_layers(articles), strict=True):
        annotations, places = read(document.article, layer)
        read_by_doc[document.id] = annotations
        kinds = {pid: p.kind for pid, p in places.items()}
        told = tellings(document.article, annotations, kinds, document.id, every_clause=True)
        for m in by_doc.get(document.id, []):
            span = document.tokens.get((m.sentence, m.head))
            token = _spacy_token(layer.doc, *span) if span else None
            if span is None or token is None:
                # the stored text lacks the sentence: the mention keeps only its word
                found[m.id] = EventMention(m.id, document.id, 0, 0, m.head_text.lower(), "X", m.text, None, set(), set(), set(), set())
                continue
            found[m.id] = event_mention(
                m.id, span[0], span[1], token.lemma_.lower(), token.pos_, document.article, annotations, told, kinds
            )
    return found, read_by_doc


def _scopes(gold: list[GoldMention], documents: list[Document], setting: str) -> list[list[str]]:
    """Mention ids by scope: each subtopic ("subtopic"), or each topic ("topic")."""
    scopes: dict[str, list[str]] = defaultdict(list)
    for m in gold:
        scopes[m.subtopic if setting == "subtopic" else m.topic].append(m.id)
    return list(scopes.values())


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def word_vectors(mentions: list[EventMention], embed: Embed) -> dict[str, np.ndarray]:
    lemmas = sorted({m.lemma for m in mentions})
    return dict(zip(lemmas, _unit(np.asarray(embed(lemmas), dtype=np.float32)), strict=True))


def our_clusters(
    scope: list[EventMention], annotations: dict[str, Annotations], words: dict[str, np.ndarray], by_story: bool
) -> list[list[str]]:
    """Our clustering of one scope; with ``by_story`` the scope's reports are first grouped by story."""
    parts = [scope]
    if by_story:
        doc_ids = sorted({m.article_id for m in scope})
        where = {}
        groups = group_documents([annotations[d] for d in doc_ids], background=list(annotations.values()))
        for k, group in enumerate(groups):
            where.update({doc_ids[i]: k for i in group})
        by_group: dict[int, list[EventMention]] = defaultdict(list)
        for m in scope:
            by_group[where[m.article_id]].append(m)
        parts = list(by_group.values())
    return [[m.id for m in cluster] for part in parts for cluster in cluster_mentions(part, words)]


def align_clusters(scope: list[EventMention], embed: Embed | None) -> list[list[str]]:
    """The fact layer's own alignment (``storyline.facts.fuse.align``) over the mentions that head a
    clause; the others stay alone."""
    told = [m.telling for m in scope if m.telling is not None]
    owner = {id(m.telling): m.id for m in scope if m.telling is not None}
    groups = align(told, clause_similarity(embed))
    return [[owner[id(t)] for t in g] for g in groups] + [[m.id] for m in scope if m.telling is None]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench coref", description=__doc__)
    parser.add_argument("--data", required=True, help="an ECB+ directory of <topic>ecb / <topic>ecbplus folders")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    documents, gold = load(args.data)
    mentions, annotations = read_mentions(documents, gold)
    embed = sentence_embedder()
    words = word_vectors(list(mentions.values()), embed)
    chains: dict[str, list[str]] = defaultdict(list)
    for m in gold:
        chains[m.chain].append(m.id)
    key = list(chains.values())

    result: dict[str, Any] = {}
    for setting, suffix in (("subtopic", ""), ("topic", "_topic")):
        scopes = [[mentions[i] for i in ids] for ids in _scopes(gold, documents, setting)]
        ours = [c for scope in scopes for c in our_clusters(scope, annotations, words, by_story=setting == "topic")]
        lemma = [[m.id for m in g] for scope in scopes for g in lemma_groups(scope)]
        scores, baseline = conll(key, ours), conll(key, lemma)
        result.update({f"{name}{suffix}": round(scores[name], 4) for name in ("conll_f1", "muc_f1", "b3_f1", "ceafe_f1")})
        result[f"lemma_baseline_conll_f1{suffix}"] = round(baseline["conll_f1"], 4)
        if setting == "subtopic":
            aligned = [c for scope in scopes for c in align_clusters(scope, embed)]
            result["align_conll_f1"] = round(conll(key, aligned)["conll_f1"], 4)
        print(
            f"{setting}: ours " + " ".join(f"{k}={v:.3f}" for k, v in scores.items())
            + f" | lemma baseline conll_f1={baseline['conll_f1']:.3f}"
        )
    result.update(
        mentions=len(gold),
        verbal_mentions=sum(m.telling is not None for m in mentions.values()),
        documents=len(documents),
        seconds=round(time.perf_counter() - started, 1),
        peak_rss_mb=peak_rss_mb(),
    )
    emit(result)
    return 0
