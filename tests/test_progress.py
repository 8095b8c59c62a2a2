"""Progress bars: a count, a rate and an ETA on a real terminal (a pseudo-terminal here)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import FLOOD_REPORT, STRIKE_REPORT

BIN = Path(sys.executable).parent


def run_in_terminal(args: list[str]) -> str:
    """The command's output as a terminal shows it, escape sequences removed."""
    main, child = pty.openpty()
    process = subprocess.Popen(args, stdout=child, stderr=child, env=os.environ | {"COLUMNS": "160"})
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(main)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))


def test_ingest_bar_counts_files_with_rate_and_eta(tmp_path):
    for name, text in (("a.txt", FLOOD_REPORT), ("b.txt", STRIKE_REPORT), ("c.json", '{"text": "A short note."}')):
        (tmp_path / name).write_text(text)
    shown = run_in_terminal([str(BIN / "storyline"), "ingest", str(tmp_path), "--db", str(tmp_path / "p.db")])
    bar = next(line for line in shown.splitlines() if "ingesting" in line and "3/3" in line)
    assert re.search(r"[\d,.]+/s", bar) and re.search(r"eta \d+:\d\d:\d\d", bar), bar
    assert "3 added" in shown


def test_watch_reports_each_round_as_a_stage(tmp_path):
    import storyline

    stages: list[tuple[str, int | None]] = []

    def progress(name: str, total: int | None):
        stages.append((name, total))
        return lambda *_: None

    with storyline.open(tmp_path / "w.db") as db:  # refused by the address guard: no network needed
        db.watch(["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"], once=True, analyze=False, progress=progress)
    assert stages == [("polling", 2)]
