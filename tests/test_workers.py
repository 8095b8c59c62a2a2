"""Worker processes: they die with their parent (D5) and give the same results as one process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from storyline.parallel import ordered_map, worker_pool

ROOT = Path(__file__).resolve().parent.parent

# A parent whose two workers spin forever; it prints their process ids.
SPINNING_PARENT = """
from storyline.parallel import ordered_map, worker_pool

def spin(_):
    while True:
        pass

with worker_pool(2) as pool:
    print(" ".join(str(p.pid) for p in pool._pool), flush=True)
    list(ordered_map(pool, spin, [1, 2]))
"""


def _stat(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return ["X"]


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is dead)."""
    return _stat(pid)[0] not in {"Z", "X"}


def cpu_ticks(pid: int) -> int:
    fields = _stat(pid)
    return int(fields[11]) + int(fields[12]) if len(fields) > 12 else 0


def test_workers_die_when_their_parent_is_killed():
    parent = subprocess.Popen(
        [sys.executable, "-c", SPINNING_PARENT], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(alive(pid) for pid in workers)
        # kill only once both are busy with their task (an idle worker quits on its own when the pipe closes)
        deadline = time.monotonic() + 60
        while not all(cpu_ticks(pid) >= 5 for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(cpu_ticks(pid) >= 5 for pid in workers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(pid) for pid in workers), "workers outlived their killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in workers if "workers" in locals() else []:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def square_all(numbers: list[int]) -> list[int]:
    return [n * n for n in numbers]


def test_ordered_map_gives_results_in_order_with_or_without_workers():
    batches = [list(range(i, i + 3)) for i in range(0, 30, 3)]
    expected = [square_all(b) for b in batches]
    assert list(ordered_map(None, square_all, batches)) == expected
    with worker_pool(2) as pool:
        assert list(ordered_map(pool, square_all, iter(batches), ahead=3)) == expected
