"""End-to-end throughput and peak memory of `analyze`: `python -m bench analyze --data PATH`.

Ingests the files or folders into a fresh database and runs the whole
analysis (read, group, re-anchor, fuse, write stories.json and the reports).

``--floor`` first runs the bare spaCy ``en_core_web_sm`` pass over the same texts
(the articles the ingest stores, with as many processes as analyze may use) and
prints ``ratio_to_floor``: analyze's seconds over the bare pass's, measured side by
side in one run. Other work on the machine can change between the two passes, so
``cpu_ratio_to_floor`` gives the same ratio in CPU seconds (the process and its
finished workers): the work done, steady under load, though blind to idle cores.
Start-up (loading spaCy, the gazetteer and the embedders, measured
in a fresh process with warm caches) is reported apart and excluded from both.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import storyline
from bench._common import cpu_seconds, emit, peak_rss_mb
from storyline.report import write_outputs

_STARTUP = """
import time
started = time.perf_counter()
from storyline.analysis import load_models
load_models()
print(time.perf_counter() - started)
"""


def startup_seconds() -> float:
    """Model and gazetteer loading in a fresh interpreter (caches warm), as a command pays it."""
    out = subprocess.run([sys.executable, "-c", _STARTUP], check=True, capture_output=True, text=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 2)


def stored_texts(data: list[str]) -> list[str]:
    """The texts analyze will read: what the ingest stores from the inputs."""
    with tempfile.TemporaryDirectory() as tmp, storyline.open(Path(tmp) / "floor.db") as db:
        db.ingest(data)
        return [a.text for a in db.articles()]


def floor_seconds(texts: list[str], processes: int) -> float:
    """The bare spaCy pass, the same model analyze uses, over the texts (model loaded beforehand)."""
    from storyline.read import nlp

    model = nlp.english()
    started = time.perf_counter()
    for _ in model.pipe(texts, batch_size=16, n_process=processes):
        pass
    return time.perf_counter() - started


def children_peak_rss_mb() -> float:
    """Largest peak resident set of any finished child process (forked readers), in MB."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench analyze")
    parser.add_argument("--data", nargs="+", default=["../shared/data/news_cluster"], help="files or folders")
    parser.add_argument("--processes", type=int, default=None, help="reading processes (default: one per core, at most 2)")
    parser.add_argument("--floor", action="store_true", help="run the bare spaCy pass first and print ratio_to_floor")
    args = parser.parse_args(argv)
    processes = args.processes or min(os.cpu_count() or 1, 2)
    figures: dict[str, object] = {}
    if args.floor:
        figures["startup_seconds"] = startup_seconds()
        texts = stored_texts(args.data)
        cpu_started = cpu_seconds()
        floor = floor_seconds(texts, processes)
        figures["floor_cpu_seconds"] = round(cpu_seconds() - cpu_started, 1)
        figures["floor_seconds"] = round(floor, 2)
        figures["floor_articles_per_second"] = round(len(texts) / floor, 2)
    from storyline.analysis import load_models

    load_models()  # start-up is reported apart
    with tempfile.TemporaryDirectory() as tmp:
        started, cpu_started = time.perf_counter(), cpu_seconds()
        with storyline.open(Path(tmp) / "bench.db") as db:
            result = db.analyze(args.data, n_process=args.processes)
            document = db.document()
            paths = write_outputs(document, Path(tmp) / "out")
        elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        sizes = {kind: path.stat().st_size for kind, path in paths.items()}
    articles = len(result.ingest.added) + len(result.ingest.near_duplicates) if result.ingest else 0
    stories = document["stories"]
    facts = sum(len(s["facts"]) for s in stories)
    print(f"{articles} articles, {len(stories)} stories, {facts} facts in {elapsed:.1f} s")
    if args.floor:
        figures["ratio_to_floor"] = round(elapsed / float(figures["floor_seconds"]), 2)  # type: ignore[arg-type]
        figures["cpu_ratio_to_floor"] = round(cpu / float(figures["floor_cpu_seconds"]), 2)  # type: ignore[arg-type]
    emit(
        {
            "benchmark": "analyze",
            "data": args.data,
            "processes": processes,
            "articles": articles,
            "stories": len(stories),
            "facts": facts,
            "conflicting_facts": sum(1 for s in stories for f in s["facts"] if f["status"] == "conflicting"),
            "seconds": round(elapsed, 2),
            "cpu_seconds": round(cpu, 1),
            "articles_per_second": round(articles / elapsed, 2),
            "peak_rss_mb": peak_rss_mb(),
            "children_peak_rss_mb": children_peak_rss_mb(),
            "output_bytes": sizes,
            **figures,
        }
    )
    return 0
