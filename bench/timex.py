"""Time expressions against TempEval-3 gold (Task A: spans, type, value).

    python -m bench timex --data ../shared/data/tempeval3/train [--limit N] [--errors FILE]

Each TimeML document's <TEXT> is stripped of tags, its DCT is the anchor, `find_timexes` reads it,
and bench/tempeval.py scores the result. `--errors` writes every miss, spurious find and
wrong type/value, one per line, for error analysis.
"""

from __future__ import annotations

import argparse
import datetime
import time

from bench._common import emit, peak_rss_mb
from bench.tempeval import Tally, find_timeml_files, read_timeml, score_document
from storyline.read.timex import find_timexes


def _anchor(dct: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(dct[:10]) if dct else None
    except ValueError:
        return None


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench timex", description=__doc__)
    parser.add_argument("--data", required=True, help="a .tml file or a directory searched recursively")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N documents")
    parser.add_argument("--errors", default=None, help="write mismatches to this file")
    args = parser.parse_args(argv)

    files = find_timeml_files(args.data)[: args.limit]
    docs = [read_timeml(path) for path in files]
    total = Tally()
    lines: list[str] = []
    started = time.perf_counter()
    results = [find_timexes(doc.text, _anchor(doc.dct), "en") for doc in docs]
    elapsed = time.perf_counter() - started
    for doc, system in zip(docs, results, strict=True):
        pairing = score_document(doc.text, doc.timexes, system)
        total.add(pairing.tally)
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
    emit(result)
    return 0
