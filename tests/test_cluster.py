"""Analysis on a real Dask cluster gives what a local run gives: the same stories, facts and ids.

Two clusters: a LocalCluster of two worker processes (what ``--scheduler local:2`` starts),
and a scheduler and two workers started as separate processes, over TCP on loopback. Each
analyses an invented corpus in two rounds (the second adds reports to the stories of the
first) and is compared with the same two rounds run locally.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import Client, get_task_stream

import storyline
from storyline import analysis
from storyline.cli import main
from storyline.cluster import WarmModels, connect
from storyline.models import to_dict
from tests.test_analyze import QUAKE_RU, STRIKE
from tests.test_facts import QUAKE_A, QUAKE_B, QUAKE_C

# No date given: the reader infers one, then its story mates' dates re-anchor it.
STRIKE_UNDATED = """---
title: Calvera port still shut as dock strike enters third day
source: Coastal Ledger
language: en
---
The dock strike at the port of Calvera entered its third day on Wednesday, the union said.
About 45 ships were waiting at anchor, and exporters said losses had reached six million euros.
"""

FIRST_ROUND = {"a.md": QUAKE_A, "b.md": QUAKE_B, "strike.md": STRIKE}
SECOND_ROUND = {"c.md": QUAKE_C, "ru.md": QUAKE_RU, "undated.md": STRIKE_UNDATED}


@pytest.fixture(scope="module")
def rounds(tmp_path_factory) -> list[Path]:
    folders = []
    for number, reports in enumerate((FIRST_ROUND, SECOND_ROUND)):
        folder = tmp_path_factory.mktemp(f"round{number}")
        for name, text in reports.items():
            (folder / name).write_text(text, encoding="utf-8")
        folders.append(folder)
    return folders


def snapshot(db: storyline.Storyline) -> dict:
    """Everything an analysis stores: articles, annotations, vectors, stories with their facts."""
    articles = db.articles()
    return {
        "articles": [to_dict(a) | {"ingested_at": None} for a in articles],
        "annotations": {a.id: to_dict(db.annotations(a.id)) for a in articles},
        "embeddings": db.store.embeddings(analysis.EMBEDDING_MODEL),
        "stories": [to_dict(s) for s in db.stories()],
    }


def analyze_in_rounds(path: Path, rounds: list[Path], client: Client | None = None) -> dict:
    with storyline.open(path) as db:
        for folder in rounds:
            db.analyze([folder], client=client)
        return snapshot(db)


@pytest.fixture(scope="module")
def local(rounds, tmp_path_factory) -> dict:
    result = analyze_in_rounds(tmp_path_factory.mktemp("local") / "local.db", rounds)
    # the comparison means something: several stories, with facts, across two languages
    assert len(result["stories"]) >= 2
    assert sum(len(s["facts"]) for s in result["stories"]) >= 4
    assert {a["language"] for a in result["articles"]} == {"en", "ru"}
    assert any(a["published_basis"] == "inferred" for a in result["articles"])
    return result


@pytest.fixture(scope="class")
def client():
    with connect("local:2") as client:
        yield client


class TestLocalCluster:
    def test_results_equal_a_local_run(self, client, rounds, local, tmp_path, monkeypatch):
        # one article per reading task, so the reading is spread over both workers
        monkeypatch.setattr(analysis, "READ_CHUNK", 1)
        with get_task_stream(client) as stream:
            result = analyze_in_rounds(tmp_path / "dask.db", rounds, client)
        assert result == local
        ran = {task["key"].split("-")[0] for task in stream.data}
        assert {"prepare_batch", "fuse_batch"} <= ran  # reading and embedding, fusing
        assert len({task["worker"] for task in stream.data}) == 2

    def test_worker_with_another_storyline_is_refused(self, client):
        with pytest.raises(RuntimeError, match="install the same storyline"):
            client.register_plugin(WarmModels({"storyline": "0.0.0", "reader": "0"}))


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture(scope="class")
def address(tmp_path_factory):
    """A scheduler and two single-threaded workers, each its own process, on loopback."""
    scheduler_file = tmp_path_factory.mktemp("scheduler") / "scheduler.json"
    processes = [
        start(
            "distributed.cli.dask_scheduler",
            "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file),
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for _ in range(2):
            processes.append(
                start("distributed.cli.dask_worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1")
            )
        with Client(address) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


class TestSeparateProcesses:
    def test_cli_on_the_cluster_equals_a_local_run(self, address, rounds, local, tmp_path):
        db = tmp_path / "tcp.db"
        for folder in rounds:
            out = tmp_path / "out"
            result = CliRunner().invoke(
                main, ["analyze", str(folder), "--out", str(out), "--db", str(db), "--scheduler", address]
            )
            assert result.exit_code == 0, result.output
        assert json.loads((out / "stories.json").read_text(encoding="utf-8"))["stories"]
        with storyline.open(db) as opened:
            assert snapshot(opened) == local


def test_scheduler_option_names_what_is_wrong(tmp_path):
    result = CliRunner().invoke(main, ["analyze", "--out", str(tmp_path), "--scheduler", "local:0"])
    assert result.exit_code != 0
    assert "local:0: expected local:N" in result.output
