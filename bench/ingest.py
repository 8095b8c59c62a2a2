"""Ingest throughput and peak memory: `python -m bench ingest --data PATH [PATH ...]`.

Reads the given files or folders (default: news_cluster and ecbplus/dev under
../shared/data) into a fresh SQLite database, duplicate detection included.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import storyline
from bench._common import emit, peak_rss_mb

DEFAULT = ["../shared/data/news_cluster", "../shared/data/ecbplus/dev"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench ingest")
    parser.add_argument("--data", nargs="+", default=DEFAULT, help="files or folders to ingest")
    parser.add_argument("--repeat", type=int, default=1, help="ingest into fresh databases this many times")
    args = parser.parse_args(argv)
    timings = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp, storyline.open(Path(tmp) / "bench.db") as db:
            started = time.perf_counter()
            report = db.ingest(args.data)
            timings.append(time.perf_counter() - started)
    stored = len(report.added) + len(report.near_duplicates)
    records = stored + report.copies + report.unchanged
    best = min(timings)
    print(f"{records} records: {report.summary()}; best of {len(timings)}: {best:.2f} s")
    emit(
        {
            "benchmark": "ingest",
            "data": args.data,
            "records": records,
            "articles_stored": stored,
            "near_duplicates": len(report.near_duplicates),
            "exact_copies": report.copies,
            "failed": len(report.failed),
            "seconds": round(best, 3),
            "articles_per_second": round(records / best, 1),
            "peak_rss_mb": peak_rss_mb(),
        }
    )
    return 0
