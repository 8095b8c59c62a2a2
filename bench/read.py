"""Reading-layer throughput and peak memory: `python -m bench read --data PATH`.

Reads the articles of a news_cluster or ECB+ layout through the whole reading
layer (the language's parser, places, actors, time, quantities, clauses),
without a store, and reports articles/s for the reading alone (models loaded
beforehand).

Given a folder of parallel ``<lang>.txt`` files (tests/data/parallel: one story
told line by line in each language), it reads a mixed-language corpus instead:
each file is one article, repeated ``--repeat`` times, all languages read
together, then each language alone for its articles/s, characters/s and time
per 1,000 characters against English's (the same story, so about the same
length; the ratio is what is compared, measured in one run). The languages take
turns for ``--rounds`` rounds and each one's fastest round counts, so a burst of
load from another process does not fall on one language only.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import datetime
from pathlib import Path

from bench._common import emit, peak_rss_mb
from bench.datasets import is_ecbplus, load_ecbplus, load_news_cluster


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench read")
    parser.add_argument("--data", default="../shared/data/news_cluster", help="news_cluster or ECB+ layout")
    parser.add_argument("--limit", type=int, default=0, help="read only the first N articles")
    parser.add_argument("--processes", type=int, default=min(os.cpu_count() or 1, 2), help="reading processes (default: one per core, at most 2)")
    parser.add_argument("--repeat", type=int, default=40, help="parallel layout: copies of each language's article")
    parser.add_argument("--rounds", type=int, default=5, help="parallel layout: rounds over every language; each language's fastest counts")
    args = parser.parse_args(argv)
    if Path(args.data).is_dir() and any(Path(args.data).glob("*.txt")):
        return per_language(args)

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


def per_language(args: argparse.Namespace) -> int:
    from storyline.models import Article
    from storyline.read.gazetteer import load_gazetteer
    from storyline.read.parsers import parser_for, preload
    from storyline.read.reader import read_articles

    published = datetime(2024, 5, 15)
    texts = {f.stem: " ".join(f.read_text("utf-8").split("\n")).strip() for f in sorted(Path(args.data).glob("*.txt"))}
    by_language = {
        language: [
            Article(id=f"{language}-{k}", text=text, language=language, published=published, published_basis="metadata")
            for k in range(args.repeat)
        ]
        for language, text in texts.items()
    }
    mixed = [articles[k] for k in range(args.repeat) for articles in by_language.values()]
    started = time.perf_counter()
    preload(texts)
    load_gazetteer()
    for articles in by_language.values():
        list(read_articles(articles[:1]))  # warm every component of every language
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    for _ in read_articles(mixed, n_process=args.processes):
        pass
    mixed_seconds = time.perf_counter() - started
    best: dict[str, float] = {}
    for _ in range(max(1, args.rounds)):  # rounds interleave the languages, so load changes hit them alike
        for language, articles in by_language.items():
            started = time.perf_counter()
            for _ in read_articles(articles):
                pass
            best[language] = min(best.get(language, float("inf")), time.perf_counter() - started)
    languages = {}
    for language, articles in by_language.items():
        elapsed = best[language]
        characters = sum(len(a.text) for a in articles)
        parser = parser_for(language)
        languages[language] = {
            "parser": parser.name if parser else None,
            "articles_per_second": round(len(articles) / elapsed, 1),
            "characters_per_second": round(characters / elapsed),
            "ms_per_1000_characters": round(1000 * elapsed / characters * 1000, 2),
        }
    english = languages.get("en", {}).get("ms_per_1000_characters")
    for language, figures in languages.items():
        if english:
            figures["time_per_character_vs_english"] = round(figures["ms_per_1000_characters"] / english, 2)
        print(
            f"{language}: {figures['articles_per_second']} articles/s, {figures['characters_per_second']} characters/s, "
            f"{figures.get('time_per_character_vs_english')} x English's time per character ({figures['parser'] or 'no parser'})"
        )
    print(f"mixed corpus: {len(mixed)} articles in {mixed_seconds:.1f} s (models loaded in {loaded:.1f} s); "
          f"load average {os.getloadavg()[0]:.2f}")
    emit(
        {
            "benchmark": "read",
            "data": args.data,
            "layout": "parallel",
            "articles": len(mixed),
            "processes": args.processes,
            "rounds": args.rounds,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "mixed_articles_per_second": round(len(mixed) / mixed_seconds, 1),
            "load_seconds": round(loaded, 2),
            "languages": languages,
            "slower_than_english": sorted(
                k for k, v in languages.items() if v.get("time_per_character_vs_english", 0) > 1.0
            ),
            "peak_rss_mb": peak_rss_mb(),
        }
    )
    return 0
