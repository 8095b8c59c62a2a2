"""Analysis on a Dask cluster: reading, embedding and fusing run as tasks on the workers.

The heavy stages are plain functions over batches (``analysis.prepare_batch`` reads or
embeds, ``analysis.fuse_batch`` fuses stories) mapped over a pool of workers
(storyline/parallel.py). ``ClusterPool`` is such a pool made of a Dask cluster: the
client process ships each batch (articles, texts, a story's articles and annotations)
to a worker and gets back annotations, vectors or stories in the order it asked, so it
stores them and makes the grouping decisions exactly as a local run does. Workers never
touch the store, which is why any store backend works.

Workers keep their models (spaCy, natasha, the gazetteer, both embedders) in the
module-level caches of the stages; ``WarmModels`` fills them when a worker joins, and
refuses a worker whose storyline differs from the client's.

    from dask.distributed import Client
    db.analyze(["reports/"], client=Client("tcp://scheduler:8786"))
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin

# Batches in flight per worker thread. Results are taken in order, so a slow batch at
# the head holds back new submissions: a few per thread keep the other workers busy
# behind it, and the memory on both sides stays bounded.
IN_FLIGHT_PER_THREAD = 4


def versions() -> dict[str, str]:
    """What must match between the client and its workers for results to match."""
    from storyline import __version__
    from storyline.read.reader import READER_VERSION

    return {"storyline": __version__, "reader": READER_VERSION}


class WarmModels(WorkerPlugin):
    """Loads the models once in each worker process, as it joins; refuses a mismatched worker.

    Numerical libraries run on one thread: parallelism comes from worker processes (the
    sentence encoder runs many times slower with BLAS threads competing, storyline/parallel.py).
    """

    idempotent = True

    def __init__(self, expected: dict[str, str]):
        self.expected = expected
        self.name = "storyline-models-" + "-".join(expected.values())

    def setup(self, worker: Any) -> None:
        found = versions()
        if found != self.expected:
            raise RuntimeError(
                f"worker {worker.address} runs {found}, the client {self.expected}: install the same storyline everywhere"
            )
        from threadpoolctl import threadpool_limits

        from storyline.analysis import load_models
        from storyline.read.parsers import preload

        threadpool_limits(limits=1)
        load_models()  # English, the gazetteer, both embedders
        preload(["ru"])  # other languages' parsers load on first use, and stay loaded


class ClusterPool:
    """A pool of Dask workers for ``parallel.ordered_map``, with a bounded number of batches in flight.

    Results come back in the order of the batches, whichever worker finishes first; a
    batch's failure is raised here, as in a local run. The batches are drawn only as
    results come back, so a batch generator may read the store in this process.
    """

    def __init__(self, client: Client):
        self.client = client
        client.register_plugin(WarmModels(versions()))

    def ordered_map(self, func: Callable[[Any], Any], batches: Iterable[Any]) -> Iterator[Any]:
        threads = sum(self.client.nthreads().values())
        window = IN_FLIGHT_PER_THREAD * max(threads, 1)
        pending: deque[Any] = deque()
        for batch in batches:
            pending.append(self.client.submit(func, batch, pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def local_workers(scheduler: str) -> int | None:
    """N for ``local:N``, None for the address of a running scheduler."""
    if not scheduler.startswith("local:"):
        return None
    count = scheduler.removeprefix("local:")
    if not count.isdigit() or int(count) < 1:
        raise ValueError(f"{scheduler}: expected local:N with N worker processes, N >= 1")
    return int(count)


@contextmanager
def connect(scheduler: str) -> Iterator[Client]:
    """A client of the scheduler at ``tcp://HOST:PORT``, or of a LocalCluster for ``local:N``.

    A LocalCluster has N worker processes of one thread each (the models run single-threaded,
    so processes are what scales) and is shut down on exit.
    """
    workers = local_workers(scheduler)
    if workers is None:
        try:
            client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError, ValueError) as error:
            raise ConnectionError(f"{scheduler}: no Dask scheduler answers ({error})") from error
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # a worker still freeing its models when the cluster closes is killed: no cause for a warning
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
