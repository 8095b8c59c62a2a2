"""Run every benchmark on the data under one folder: `python -m bench all --data ../shared/data`."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bench._common import emit

# benchmark name -> data paths under --data, and extra options
SUITE: list[tuple[str, list[str]] | tuple[str, list[str], list[str]]] = [
    ("ingest", ["news_cluster", "ecbplus/dev"]),
    ("timex", ["tempeval3/train"]),
    ("geo", ["geo/GeoWebNews.xml"]),
    ("read", ["news_cluster"]),
    ("stories", ["news_cluster"]),
    ("stories", ["ecbplus/dev"]),
    ("timelines", ["timelines/trial"]),
    ("coref", ["ecbplus/dev"]),
    ("analyze", ["news_cluster", "ecbplus/dev"], ["--floor"]),
    ("serve", ["news_cluster", "ecbplus/dev"]),
    ("scale", ["news_cluster", "ecbplus/dev"]),
]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench all")
    parser.add_argument("--data", default="../shared/data", help="folder holding the evaluation data sets")
    args = parser.parse_args(argv)
    here = Path(__file__).parent
    results = {}
    for name, paths, *extra in SUITE:
        if not (here / f"{name}.py").exists():
            continue
        options = extra[0] if extra else []
        command = [sys.executable, "-m", "bench", name, "--data", *[str(Path(args.data) / p) for p in paths], *options]
        print("$ " + " ".join(command), flush=True)
        done = subprocess.run(command, capture_output=True, text=True)
        lines = done.stdout.strip().splitlines()
        key = f"{name}:{'+'.join(paths)}"
        try:
            results[key] = json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            results[key] = {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
        print(json.dumps(results[key]), flush=True)
    emit(results)
    return 0
