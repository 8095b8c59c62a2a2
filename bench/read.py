"""Reading-layer throughput and peak memory: `python -m bench read --data PATH`.

Reads the articles of a news_cluster or ECB+ layout through the whole reading
layer (spaCy or natasha, places, actors, time, quantities, clauses), without a
store, and reports articles/s for the reading alone (models loaded beforehand).
"""

from __future__ import annotations

import argparse
import os
import time

from bench._common import emit, peak_rss_mb
from bench.datasets import is_ecbplus, load_ecbplus, load_news_cluster


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench read")
    parser.add_argument("--data", default="../shared/data/news_cluster", help="news_cluster or ECB+ layout")
    parser.add_argument("--limit", type=int, default=0, help="read only the first N articles")
    parser.add_argument("--processes", type=int, default=min(os.cpu_count() or 1, 2), help="reading processes (default: one per core, at most 2)")
    args = parser.parse_args(argv)

    from storyline.read import nlp
    from storyline.read.gazetteer import load_gazetteer
    from storyline.read.reader import read_articles

    articles = load_ecbplus(args.data) if is_ecbplus(args.data) else load_news_cluster(args.data)
    if args.limit:
        articles = articles[: args.limit]
    started = time.perf_counter()
    nlp.english()
    load_gazetteer()
    read_articles(articles[:1])  # warm every component
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    counts = {"sentences": 0, "places": 0, "timexes": 0, "quantities": 0, "entities": 0, "clauses": 0}
    for layer, _ in read_articles(articles, n_process=args.processes):
        for key in counts:
            counts[key] += len(getattr(layer, key))
    elapsed = time.perf_counter() - started
    characters = sum(len(a.text) for a in articles)
    print(f"{len(articles)} articles, {characters:,} characters in {elapsed:.1f} s (models loaded in {loaded:.1f} s)")
    emit(
        {
            "benchmark": "read",
            "data": args.data,
            "articles": len(articles),
            "processes": args.processes,
            "seconds": round(elapsed, 2),
            "articles_per_second": round(len(articles) / elapsed, 1),
            "characters_per_second": round(characters / elapsed),
            "load_seconds": round(loaded, 2),
            "peak_rss_mb": peak_rss_mb(),
            **counts,
        }
    )
    return 0
