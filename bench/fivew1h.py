"""Main-event extraction against the Giveme5W1H gold standard: who, what, when, where.

    python -m bench fivew1h --data ../shared/data/fivew1h

Each article (title, description and text, as Giveme5W1H reads them) goes through the
reading layer, and its main event is its main fact (``storyline.facts.lead.main_event``):
``who`` the fact's recovered subject, ``what`` the rest of its summary, ``when`` its day,
``where`` the place its clause names (else the place the report cites most).

An answer counts as correct when it overlaps one of the coders' phrases for that question:
token F1 >= 0.5 (lower-cased words), or for ``when`` the same day as a coder's
``when[].parsed``. ``precision_X`` is the share of correct answers among the articles
given an answer for X whose gold has a phrase for X (``answered_X`` says how many);
``precision_4w`` is their mean. Giveme5W1H's published 0.82 on these four questions was
judged by people, who accept any answer that is right; this scorer only accepts words the
coders chose, so it is the stricter of the two.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from bench._common import emit, peak_rss_mb
from storyline.models import Article

QUESTIONS = ("who", "what", "when", "where")
MIN_F1 = 0.5
_WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def token_f1(answer: str, gold: str) -> float:
    a, g = Counter(tokens(answer)), Counter(tokens(gold))
    common = sum((a & g).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def correct(question: str, answer: str, gold: list[dict]) -> bool:
    if question == "when":
        return any((g.get("parsed") or "")[:10] == answer[:10] for g in gold)
    return any(token_f1(answer, g.get("text") or "") >= MIN_F1 for g in gold)


def _datetime(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None  # "None" and other placeholders


def load(path: Path) -> list[tuple[Article, dict]]:
    files = [path] if path.is_file() else sorted(path.glob("*.jsonl"))
    out = []
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            text = "\n\n".join(part.strip() for part in (row.get("title"), row.get("description"), row.get("text")) if part)
            published = _datetime(row.get("published"))
            article = Article(
                id=row["id"], text=text, title=row.get("title") or "", language="en", source=row.get("source"),
                published=published, published_basis="metadata" if published else "unknown",
            )
            out.append((article, row.get("fivew1h") or {}))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench fivew1h", description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="../shared/data/fivew1h", help="the gold standard jsonl (or its folder)")
    parser.add_argument("--show", action="store_true", help="print each article's answers and the coders' phrases")
    args = parser.parse_args(argv)

    from storyline.facts.lead import main_event
    from storyline.read.reader import read_articles

    rows = load(Path(args.data))
    articles = [a for a, _ in rows]
    started = time.perf_counter()
    read = list(read_articles(articles))
    kinds: dict[str, str] = {}
    for _, places in read:
        kinds.update({p.id: p.kind for p in places.values()})
    hits = Counter()
    answered = Counter()
    for (article, gold), (reading, _) in zip(rows, read, strict=True):
        event = main_event(article, reading, kinds)
        answers = {q: getattr(event, q) if event else None for q in QUESTIONS}
        for q in QUESTIONS:
            if not gold.get(q) or not answers[q]:
                continue
            answered[q] += 1
            ok = correct(q, answers[q], gold[q])
            hits[q] += ok
            if args.show:
                print(f"{'+' if ok else '-'} {q:5} {answers[q]!r:60.60} | {[g.get('parsed') if q == 'when' else g.get('text') for g in gold[q]]}")
        if args.show:
            print()
    seconds = time.perf_counter() - started
    precision = {q: round(hits[q] / answered[q], 4) if answered[q] else 0.0 for q in QUESTIONS}
    with_gold = {q: sum(1 for _, g in rows if g.get(q)) for q in QUESTIONS}
    result = {
        "benchmark": "fivew1h",
        "data": str(args.data),
        "articles": len(rows),
        **{f"precision_{q}": precision[q] for q in QUESTIONS},
        "precision_4w": round(sum(precision.values()) / len(QUESTIONS), 4),
        **{f"answered_{q}": f"{answered[q]}/{with_gold[q]}" for q in QUESTIONS},
        "reference_precision_4w_human_judged": 0.82,
        "articles_per_second": round(len(rows) / seconds, 2),
        "peak_rss_mb": peak_rss_mb(),
    }
    for key, value in result.items():
        print(f"{key:36s} {value}")
    emit(result)
    return 0
