"""Time expressions against TempEval-3 gold (Task A: spans, type, value).

    python -m bench timex --data ../shared/data/tempeval3/train [--limit N] [--errors FILE]
    python -m bench timex --data tests/data/timeml --language auto
    python -m bench timex --data tests/data/timeml/fr --language fr

Each TimeML document's <TEXT> is stripped of tags, its DCT is the anchor, `find_timexes` reads it
in the document's language, and bench/tempeval.py scores the result, overall and per language.
`--language auto` takes each document's language from the name of a folder it sits in
(tests/data/timeml/<lang>/...), English elsewhere. `--errors` writes every miss, spurious find and
wrong type/value, one per line, for error analysis.
"""

from __future__ import annotations

import argparse
import datetime
import time
from pathlib import Path

from bench._common import emit, peak_rss_mb
from bench.tempeval import Tally, find_timeml_files, read_timeml, score_document
from storyline.read.time import find_timexes

# the languages read with a grammar of their own (storyline/read/time/lang/)
LANGUAGES = ("en", "ru", "fr", "es", "de", "it", "pt", "tr", "ar", "uk", "fa", "az", "hy", "zh")


def _anchor(dct: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(dct[:10]) if dct else None
    except ValueError:
        return None


_PER_LANGUAGE = ("strict_f1", "relaxed_f1", "type_f1", "value_f1", "value_accuracy")


def _language(path: Path, language: str) -> str:
    """The language of one document: given, or (auto) the nearest enclosing folder named by a language code."""
    if language != "auto":
        return language
    for folder in path.parents:
        if folder.name in LANGUAGES:
            return folder.name
    return "en"


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench timex", description=__doc__)
    parser.add_argument("--data", required=True, help="a .tml file or a directory searched recursively")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N documents")
    parser.add_argument("--errors", default=None, help="write mismatches to this file")
    parser.add_argument("--language", default="en", help="the documents' language code, or 'auto' (folder name)")
    args = parser.parse_args(argv)

    files = find_timeml_files(args.data)[: args.limit]
    docs = [read_timeml(path) for path in files]
    languages = [_language(path, args.language) for path in files]
    total = Tally()
    per_language: dict[str, Tally] = {}
    lines: list[str] = []
    started = time.perf_counter()
    results = [find_timexes(doc.text, _anchor(doc.dct), lang) for doc, lang in zip(docs, languages, strict=True)]
    elapsed = time.perf_counter() - started
    for doc, lang, system in zip(docs, languages, results, strict=True):
        pairing = score_document(doc.text, doc.timexes, system)
        total.add(pairing.tally)
        per_language.setdefault(lang, Tally()).add(pairing.tally)
        if args.errors is None:
            continue
        for gi, si in pairing.pairs:
            g, s = doc.timexes[gi], system[si]
            span_ok = (g.start, g.end) == (s.start, s.end)
            if span_ok and g.type == s.type and g.value == s.value:
                continue
            what = "value" if g.value != s.value else ("type" if g.type != s.type else "span")
            lines.append(
                f"{what}\t{doc.doc_id}\t{doc.dct}\tgold={g.text!r} {g.type} {g.value} {g.mod or ''}"
                f"\tsys={s.text!r} {s.type} {s.value} {s.mod or ''}\t{_context(doc.text, g.start, g.end)}"
            )
        for gi in pairing.missed:
            g = doc.timexes[gi]
            lines.append(
                f"missed\t{doc.doc_id}\t{doc.dct}\tgold={g.text!r} {g.type} {g.value} {g.mod or ''}"
                f"\t\t{_context(doc.text, g.start, g.end)}"
            )
        for si in pairing.spurious:
            s = system[si]
            lines.append(
                f"spurious\t{doc.doc_id}\t{doc.dct}\t\tsys={s.text!r} {s.type} {s.value} {s.mod or ''}"
                f"\t{_context(doc.text, s.start, s.end)}"
            )
    if args.errors is not None:
        with open(args.errors, "w", encoding="utf-8") as out:
            out.write("\n".join(sorted(lines)) + "\n")

    result = {k: round(v, 4) for k, v in total.scores().items()}
    result.update(
        documents=len(docs),
        gold_timexes=total.gold,
        system_timexes=total.system,
        seconds=round(elapsed, 3),
        documents_per_second=round(len(docs) / elapsed, 1) if elapsed else 0.0,
        peak_rss_mb=peak_rss_mb(),
    )
    if len(per_language) > 1 or args.language != "en":
        result["languages"] = {
            lang: {
                "documents": languages.count(lang),
                "gold_timexes": tally.gold,
                **{k: round(v, 4) for k, v in tally.scores().items() if k in _PER_LANGUAGE},
            }
            for lang, tally in sorted(per_language.items())
        }
    emit(result)
    return 0
