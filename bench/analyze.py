"""End-to-end throughput and peak memory of `analyze`: `python -m bench analyze --data PATH`.

Ingests the files or folders into a fresh database and runs the whole
analysis (read, group, re-anchor, fuse, write stories.json and the reports).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import storyline
from bench._common import emit, peak_rss_mb
from storyline.report import write_outputs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench analyze")
    parser.add_argument("--data", nargs="+", default=["../shared/data/news_cluster"], help="files or folders")
    parser.add_argument("--processes", type=int, default=None, help="spaCy processes (default: one per core)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        with storyline.open(Path(tmp) / "bench.db") as db:
            result = db.analyze(args.data, n_process=args.processes)
            paths = write_outputs(db.document(), Path(tmp) / "out")
        elapsed = time.perf_counter() - started
        sizes = {kind: path.stat().st_size for kind, path in paths.items()}
    articles = len(result.ingest.added) + len(result.ingest.near_duplicates) if result.ingest else 0
    facts = sum(len(s.facts) for s in result.stories)
    print(f"{articles} articles, {len(result.stories)} stories, {facts} facts in {elapsed:.1f} s")
    emit(
        {
            "benchmark": "analyze",
            "data": args.data,
            "articles": articles,
            "stories": len(result.stories),
            "facts": facts,
            "conflicting_facts": sum(1 for s in result.stories for f in s.facts if f.status == "conflicting"),
            "seconds": round(elapsed, 2),
            "articles_per_second": round(articles / elapsed, 2),
            "peak_rss_mb": peak_rss_mb(),
            "output_bytes": sizes,
        }
    )
    return 0
