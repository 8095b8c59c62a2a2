"""Web app throughput and latency: `python -m bench serve --data PATH [PATH ...] [--db BACKEND ...]`.

Builds a store from the given reports (ingest, read, group into stories and
fuse facts with `Storyline.analyze`) in SQLite, copies it into each other backend
given with ``--db`` (``postgresql`` for a throwaway server, or a ``postgresql://``
URL), and for each starts `storyline serve` in a subprocess on 127.0.0.1, and sends a bounded number of requests from a
concurrent client (threads, one keep-alive httpx client each) to the story
page and the story API, cycling over the largest stories. Reports requests
per second, p95 latency and errors for each endpoint, once the cache is warm,
and the p95 of the first (uncached) request of each story.

Target: at least 200 requests/s with p95 under 50 ms on 2 cores, no errors.
Client and server share the machine, so the figures are conservative.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

import storyline
from bench._common import emit, peak_rss_mb
from bench._stores import FreshStores, backend_name
from storyline.store.copy import copy_store

DEFAULT = ["../shared/data/news_cluster", "../shared/data/ecbplus/dev"]
STARTUP_SECONDS = 60


def build(db: storyline.Storyline, data: list[str]) -> str:
    """Ingest, read, group and fuse; returns how the stories were made."""
    db.analyze(data)
    return "analysis"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_path: Path | str, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "storyline.cli", "serve", "--db", str(db_path), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stories?per_page=1", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"the server did not start: {server.stderr.read().decode()[-2000:]}")


def load(base: str, paths: list[str], total: int, concurrency: int) -> dict[str, float | int]:
    """``total`` requests cycling over ``paths`` from ``concurrency`` threads; throughput and latency."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=10) as client:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                started = time.perf_counter()
                try:
                    ok = client.get(paths[n % len(paths)]).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    errors += not ok

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": total,
        "concurrency": concurrency,
        "requests_per_second": round(total / wall, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2),
        "errors": errors,
    }


def serve_and_load(target: str, story_ids: list[str], args: argparse.Namespace) -> dict[str, dict]:
    port = free_port()
    server = start_server(target, port)
    try:
        base = f"http://127.0.0.1:{port}"
        chosen = story_ids[: args.stories]
        endpoints = {
            "story_page": [f"/stories/{s}" for s in chosen],
            "story_api": [f"/api/stories/{s}" for s in chosen],
        }
        results = {}
        for name, paths in endpoints.items():
            cold = load(base, paths, len(paths), 1)  # the first request of each story fills the cache
            results[name] = load(base, paths, args.requests, args.concurrency)
            results[name]["cold_p95_ms"] = cold["p95_ms"]
            results[name]["errors"] += cold["errors"]
            print(f"{backend_name(target)} {name}: {results[name]}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def summary(results: dict[str, dict]) -> dict:
    return {
        "requests_per_second": min(r["requests_per_second"] for r in results.values()),
        "p95_ms": max(r["p95_ms"] for r in results.values()),
        "errors": sum(r["errors"] for r in results.values()),
        "endpoints": results,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench serve")
    parser.add_argument("--data", nargs="+", default=DEFAULT, help="files or folders of reports")
    parser.add_argument(
        "--db",
        nargs="+",
        default=["sqlite"],
        help="backends to serve from: sqlite, a SQLite file to keep and reuse, postgresql (a throwaway "
        "server) or a postgresql:// URL (a new database on that server)",
    )
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--stories", type=int, default=50, help="cycle over this many of the largest stories")
    args = parser.parse_args(argv)

    with FreshStores() as stores:
        kept = [spec for spec in args.db if backend_name(spec) == "sqlite" and spec != "sqlite"]
        db_path = kept[0] if kept else stores.new("sqlite")
        started = time.perf_counter()
        grouping = "reused"
        if not Path(db_path).exists():
            with storyline.open(db_path) as db:
                grouping = build(db, args.data)
        with storyline.open(db_path) as db:
            articles = db.store.count_articles()
            story_ids = [s.id for s in db.stories()]
        build_seconds = time.perf_counter() - started
        print(
            f"{articles} articles, {len(story_ids)} stories ({grouping}) in {build_seconds:.0f} s",
            file=sys.stderr,
        )

        backends = {}
        for spec in args.db:
            target = db_path
            if backend_name(spec) == "postgresql":
                target = stores.new(spec)
                copied = time.perf_counter()
                with storyline.open(db_path) as source, storyline.open(target) as copy:
                    copy_store(source.store, copy.store)
                print(f"copied into PostgreSQL in {time.perf_counter() - copied:.0f} s", file=sys.stderr)
            backends[backend_name(spec)] = summary(serve_and_load(target, story_ids, args))

    first = next(iter(backends))
    result = {
        "benchmark": "serve",
        "data": args.data,
        "backend": first,
        "articles": articles,
        "stories": len(story_ids),
        "grouping": grouping,
        "build_seconds": round(build_seconds, 1),
        **backends[first],
        "peak_rss_mb": peak_rss_mb(),
    }
    if len(backends) > 1:
        result["backends"] = {
            name: {k: v for k, v in r.items() if k != "endpoints"} for name, r in backends.items()
        }
        result["backends_endpoints"] = {name: r["endpoints"] for name, r in backends.items()}
    emit(result)
    return 0
