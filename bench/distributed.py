"""Reading and embedding on a Dask cluster: `python -m bench distributed --data PATH... --workers 1,2`.

Stores the articles of news_cluster / ECB+ layouts (both dev corpora by default) in a
fresh store per run, then reads and embeds them all as ``analyze`` does
(``analysis.read_and_embed``, results stored by the client as they come back): first
locally, with the forked workers ``analyze`` uses on this machine, then on a LocalCluster
of each given number of single-threaded worker processes, the pool ``analyze --scheduler
local:N`` uses. Prints articles/s for each, ``speedup`` (the fewest workers' seconds over
the most workers') and ``identical``: every stored annotation and vector equal to the
local run's. Loading the models (in the workers, as they join) is timed apart and left
out. The load average is printed beside the figures: on a shared machine other
processes take cores from the workers (and where the kernel shares the CPU between
sessions, ``sched_autogroup``, a second worker in the same session gains no CPU while
other sessions are busy), so the busy fraction and CPU seconds of the workers are
printed too.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from bench._common import emit, peak_rss_mb
from bench.datasets import load_articles
from storyline import analysis
from storyline.models import Article, to_dict
from storyline.parallel import Workers, cores, one_thread_each, worker_pool
from storyline.store import open_store

DEFAULT_DATA = ["../shared/data/news_cluster", "../shared/data/ecbplus/dev"]
SPEEDUP_GOAL = 1.7  # two single-threaded workers on a 2-core machine (issue 11)


def read_and_embed(articles: list[Article], workers: AbstractContextManager[Workers | None], db: Path) -> dict[str, Any]:
    """Read and embed every article into a fresh store; seconds taken and what was stored."""
    store = open_store(db)
    try:
        with store.transaction():
            for article in articles:
                store.add_article(article)
        stored = store.articles()
        with one_thread_each(), workers as pool:
            started, cpu = time.perf_counter(), time.process_time()
            analysis.read_and_embed(store, stored, stored, pool)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return {
            "seconds": seconds,
            "client_cpu_seconds": cpu,
            "annotations": {i: to_dict(a) for i, a in store.all_annotations().items()},
            "embeddings": store.embeddings(analysis.EMBEDDING_MODEL),
            "places": store.place_kinds(),
        }
    finally:
        store.close()


def figures(run: dict[str, Any], articles: int, reference: dict[str, Any] | None = None) -> dict[str, Any]:
    result = {
        "seconds": round(run["seconds"], 2),
        "articles_per_second": round(articles / run["seconds"], 2),
        # what this process spent sending batches and storing results, beside the workers
        "client_cpu_seconds": round(run["client_cpu_seconds"], 2),
    }
    if reference is not None:
        result["identical"] = all(run[k] == reference[k] for k in ("annotations", "embeddings", "places"))
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench distributed")
    parser.add_argument("--data", nargs="+", default=DEFAULT_DATA, help="news_cluster or ECB+ layouts")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    articles = [a for path in args.data for a in load_articles(path)]
    if args.limit:
        articles = articles[: args.limit]
    load_before = os.getloadavg()

    from distributed import get_task_stream

    from storyline.cluster import ClusterPool, connect

    with tempfile.TemporaryDirectory() as tmp:
        analysis.load_models()
        reference = read_and_embed(articles, worker_pool(cores()), Path(tmp) / "local.db")
        local = figures(reference, len(articles)) | {"processes": cores()}
        print(f"local, {cores()} forked processes: {local}")
        runs = {}
        for count in counts:
            started = time.perf_counter()
            with connect(f"local:{count}") as client:
                pool = ClusterPool(client)  # the workers load their models here
                startup = time.perf_counter() - started
                cpu_before = client.run(time.process_time)
                with get_task_stream(client) as stream:
                    run = read_and_embed(articles, nullcontext(pool), Path(tmp) / f"workers{count}.db")
                cpu = sum(client.run(time.process_time).values()) - sum(cpu_before.values())
            busy = sum(s["stop"] - s["start"] for task in stream.data for s in task["startstops"] if s["action"] == "compute")
            runs[str(count)] = figures(run, len(articles), reference) | {
                "startup_seconds": round(startup, 2),
                # how much of the run the workers spent in tasks: what the client's ordering leaves idle
                "workers_busy_fraction": round(busy / (run["seconds"] * count), 3),
                "workers_cpu_seconds": round(cpu, 2),
            }
            print(f"{count} worker(s): {runs[str(count)]}")
    fewest, most = runs[str(min(counts))], runs[str(max(counts))]
    emit(
        {
            "benchmark": "distributed",
            "data": args.data,
            "articles": len(articles),
            "local": local,
            "workers": runs,
            "speedup": round(fewest["seconds"] / most["seconds"], 2),
            "speedup_goal": SPEEDUP_GOAL,
            "identical": all(run["identical"] for run in runs.values()),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "cores": os.cpu_count(),
            "peak_rss_mb": peak_rss_mb(),
        }
    )
    return 0
