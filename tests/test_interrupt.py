"""A process killed in the middle of an ingest: the next run completes, nothing is lost or doubled."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import storyline

FILES = 3000


def make_corpus(folder: Path) -> None:
    folder.mkdir()
    for i in range(FILES):
        words = " ".join(f"w{(i * 7 + k) % 997}x{i}" for k in range(40))
        (folder / f"{i:05d}.txt").write_text(f"Report number {i}. {words}.")


def count(db_path: Path, table: str) -> int:
    with sqlite3.connect(db_path) as raw:
        return raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_killed_ingest_resumes_without_loss_or_duplicates(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    db_path = tmp_path / "kill.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "ingest", str(corpus), "--db", str(db_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parent.parent,
    )
    deadline = time.time() + 120
    committed = 0
    while time.time() < deadline and process.poll() is None:
        if db_path.exists():
            try:
                committed = count(db_path, "articles")
            except sqlite3.OperationalError:
                committed = 0
            if committed > 0:
                break
        time.sleep(0.05)
    assert process.poll() is None, "ingest finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    before = count(db_path, "articles")
    assert 0 < before < FILES
    # whatever is stored is whole: every article has its search row and signature
    assert count(db_path, "articles_fts") == before
    assert count(db_path, "minhashes") == before

    with storyline.open(db_path) as db:
        report = db.ingest([corpus])
        assert report.ok
        assert len(report.added) + report.unchanged == FILES
        assert report.unchanged == before
    assert count(db_path, "articles") == FILES
    assert count(db_path, "articles_fts") == FILES
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("SELECT count(DISTINCT text) FROM articles").fetchone()[0] == FILES
