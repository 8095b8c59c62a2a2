"""Ingest throughput and peak memory: `python -m bench ingest --data PATH [PATH ...] [--db BACKEND ...]`.

Reads the given files or folders (default: news_cluster and ecbplus/dev under
../shared/data) into a fresh database, duplicate detection included, on each
backend given with ``--db`` (``sqlite``, the default; ``postgresql`` for a
throwaway server; or a ``postgresql://`` URL), all measured in the same run.
"""

from __future__ import annotations

import argparse
import time

import storyline
from bench._common import emit, peak_rss_mb
from bench._stores import FreshStores, backend_name
from storyline.ingest import IngestReport

DEFAULT = ["../shared/data/news_cluster", "../shared/data/ecbplus/dev"]


def ingest_once(stores: FreshStores, spec: str, data: list[str]) -> tuple[float, IngestReport]:
    with storyline.open(stores.new(spec)) as db:
        started = time.perf_counter()
        report = db.ingest(data)
        return time.perf_counter() - started, report


def figures(timings: list[float], report: IngestReport) -> dict:
    stored = len(report.added) + len(report.near_duplicates)
    records = stored + report.copies + report.unchanged
    best = min(timings)
    return {
        "records": records,
        "articles_stored": stored,
        "near_duplicates": len(report.near_duplicates),
        "exact_copies": report.copies,
        "failed": len(report.failed),
        "seconds": round(best, 3),
        "articles_per_second": round(records / best, 1),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench ingest")
    parser.add_argument("--data", nargs="+", default=DEFAULT, help="files or folders to ingest")
    parser.add_argument(
        "--repeat", type=int, default=1, help="ingest into fresh databases this many times (best kept)"
    )
    parser.add_argument(
        "--db",
        nargs="+",
        default=["sqlite"],
        help="backends: sqlite, postgresql (a throwaway server) or a URL",
    )
    args = parser.parse_args(argv)
    timings: dict[str, list[float]] = {backend_name(spec): [] for spec in args.db}
    reports: dict[str, IngestReport] = {}
    with FreshStores() as stores:
        for _ in range(args.repeat):  # backends take turns, so a load change on the machine hits each alike
            for spec in args.db:
                seconds, reports[backend_name(spec)] = ingest_once(stores, spec, args.data)
                timings[backend_name(spec)].append(seconds)
                print(f"{backend_name(spec)}: {reports[backend_name(spec)].summary()}; {seconds:.2f} s")
    results = {name: figures(timings[name], reports[name]) for name in timings}
    first = next(iter(results.values()))
    summary = {"benchmark": "ingest", "data": args.data, "backend": next(iter(results)), **first}
    summary["peak_rss_mb"] = peak_rss_mb()
    if len(results) > 1:
        summary["backends"] = results
        if {"sqlite", "postgresql"} <= set(results):
            ratio = results["postgresql"]["articles_per_second"] / results["sqlite"]["articles_per_second"]
            summary["postgresql_vs_sqlite"] = round(ratio, 2)
    emit(summary)
    return 0
