"""Clause accuracy of a language's parser: `python -m bench clauses --data DIR --language LANG`.

Scores the clauses built from a parser's dependency parse (``read.clauses``)
against sentences annotated by hand (``tests/data/clauses/<lang>.jsonl``, see
the README there): predicate precision/recall/F1 by the verb's word, and for
found predicates how often the subject and the object were found (their head
word inside the argument). ``--parser`` applies another parser, a neighbour
language's or another spaCy model package (``fr_core_news_md``), to measure
what it would give. Prints sentences/s of parsing alone as well.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import time
from pathlib import Path

from bench._common import emit
from storyline.models import Annotations, Sentence
from storyline.read.clauses import build_clauses
from storyline.read.parsers import PARSERS, Parser
from storyline.read.parsers.spacy_ud import SpacyParser

SUBJECT_ROLES = {"subject", "patient"}
# parsing is repeated this often for a steadier speed figure
SPEED_ROUNDS = 5


def parser_named(name: str, language: str) -> Parser | None:
    """A language's plug-in by code, or a spaCy model package with the language's word lists."""
    if name in PARSERS:
        return PARSERS[name]()
    own = PARSERS[language]() if language in PARSERS else None
    base = own if isinstance(own, SpacyParser) else SpacyParser("", "")
    return dataclasses.replace(base, name=f"spacy {name}", package=name)


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"\w+", text)}


def score(parser: Parser, items: list[dict]) -> dict:
    texts = [item["text"] for item in items]
    parses = list(parser.parse(texts))
    started = time.perf_counter()
    for _ in range(SPEED_ROUNDS):
        for _parse in parser.parse(texts):
            pass
    seconds = (time.perf_counter() - started) / SPEED_ROUNDS
    gold_n = found_n = hit = 0
    subjects = objects = subject_hits = object_hits = 0
    for item, parse in zip(items, parses, strict=True):
        text = item["text"]
        annotations = Annotations("x", "", "", sentences=[Sentence(s, e) for s, e in parse.sentences])
        clauses = build_clauses(parse.tokens, text, annotations)
        found_n += len(clauses)
        for predicate, subject, obj in item["clauses"]:
            gold_n += 1
            match = next(
                (c for c in clauses if text[c.predicate_start : c.predicate_end].casefold().startswith(predicate.casefold())),
                None,
            )
            if match is None:
                subjects += subject is not None
                objects += obj is not None
                continue
            hit += 1
            if subject is not None:
                subjects += 1
                subject_hits += any(
                    a.role in SUBJECT_ROLES and subject.casefold() in _words(a.text) for a in match.arguments
                )
            if obj is not None:
                objects += 1
                object_hits += any(a.role == "object" and obj.casefold() in _words(a.text) for a in match.arguments)
    precision = hit / found_n if found_n else 0.0
    recall = hit / gold_n if gold_n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "sentences": len(items),
        "gold_clauses": gold_n,
        "predicate_precision": round(precision, 3),
        "predicate_recall": round(recall, 3),
        "predicate_f1": round(f1, 3),
        "subject_accuracy": round(subject_hits / subjects, 3) if subjects else None,
        "object_accuracy": round(object_hits / objects, 3) if objects else None,
        "sentences_per_second": round(len(items) / seconds, 1) if seconds else None,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench clauses")
    parser.add_argument("--data", default="tests/data/clauses", help="folder of <lang>.jsonl hand-annotated sentences")
    parser.add_argument("--language", action="append", help="language code (repeatable; default: every file)")
    parser.add_argument("--parser", help="parse with this plug-in (a language code) or spaCy model package instead")
    args = parser.parse_args(argv)
    folder = Path(args.data)
    languages = args.language or sorted(p.stem for p in folder.glob("*.jsonl"))
    results = {}
    for language in languages:
        items = [json.loads(line) for line in (folder / f"{language}.jsonl").read_text("utf-8").splitlines() if line.strip()]
        chosen = parser_named(args.parser, language) if args.parser else (PARSERS[language]() if language in PARSERS else None)
        if chosen is None:
            print(f"{language}: no parser")
            results[language] = {"parser": None}
            continue
        started = time.perf_counter()
        chosen.load()
        loaded = time.perf_counter() - started
        result = {"parser": chosen.name, "load_seconds": round(loaded, 1), **score(chosen, items)}
        results[language] = result
        print(f"{language} ({chosen.name}): predicate F1 {result['predicate_f1']}, subject {result['subject_accuracy']}, "
              f"object {result['object_accuracy']}, {result['sentences_per_second']} sentences/s")
    emit({"benchmark": "clauses", "data": str(folder), "languages": results})
    return 0
