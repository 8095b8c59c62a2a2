"""Forked worker processes that die with their parent.

Reading, embedding and fusing run as plain functions over batches
(``read_batch``, ``embed_batch``, ``fuse_batch``), so any pool can run them: here,
processes forked from the parent, which share its loaded models copy-on-write;
or a ``Runner`` such as a Dask cluster (storyline/cluster.py).
A worker must never outlive the parent that forked it (a killed ``analyze`` would
leave it reading at 100 % CPU): each asks the kernel for SIGKILL when its parent
dies, and checks that its parent is still there before every task.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PR_SET_PDEATHSIG = 1  # linux/prctl.h

_parent_pid: int | None = None


class Runner(Protocol):
    """Workers elsewhere that map a plain function over batches, results in order (storyline/cluster.py)."""

    def ordered_map(self, function: Callable[[Any], Any], batches: Iterable[Any]) -> Iterator[Any]: ...


Workers = Pool | Runner


def cores() -> int:
    """Worker processes worth starting: one per core, at most two (what this project is measured on)."""
    return max(1, min(os.cpu_count() or 1, 2))


def _die_with_parent(parent_pid: int) -> None:
    """Pool initializer: SIGKILL this worker when its parent dies (Linux), and notice if it already has."""
    global _parent_pid
    _parent_pid = parent_pid
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the check before every task still holds
    _exit_if_orphaned()


def _exit_if_orphaned() -> None:
    if _parent_pid is not None and os.getppid() != _parent_pid:
        os._exit(1)


def _guarded(job: tuple[Callable[[Any], Any], Any]) -> Any:
    _exit_if_orphaned()
    function, batch = job
    return function(batch)


@contextmanager
def worker_pool(processes: int) -> Iterator[Pool | None]:
    """``processes`` forked workers bound to this process's life, terminated on leaving; None for one."""
    if processes <= 1:
        yield None
        return
    pool = multiprocessing.get_context("fork").Pool(processes, initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def ordered_map(
    pool: Workers | None, function: Callable[[T], R], batches: Iterable[T], ahead: int | None = None
) -> Iterator[R]:
    """``function`` over each batch, results in order, lazily; in this process when ``pool`` is None.

    At most ``ahead`` batches (twice the workers by default) are in flight: the batches are
    drawn in this thread only as results come back, so a batch generator may read the store,
    and memory stays bounded whatever the number of batches.
    """
    if pool is None:
        yield from map(function, batches)
        return
    if not isinstance(pool, Pool):
        yield from pool.ordered_map(function, batches)
        return
    ahead = ahead or 2 * pool._processes  # type: ignore[attr-defined]
    pending: deque[Any] = deque()
    for batch in batches:
        pending.append(pool.apply_async(_guarded, ((function, batch),)))
        if len(pending) >= ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


@contextmanager
def one_thread_each() -> Iterator[None]:
    """Numerical libraries on one thread in each process: parallelism comes from processes.

    With BLAS or OpenMP threads on top of one process per core, small matrix products
    spin and wait on each other: the sentence encoder ran 10x slower that way.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield
