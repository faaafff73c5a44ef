"""The per-file stages on a Dask distributed cluster: one given by its scheduler's address, or a
LocalCluster of worker processes on this machine.

Nothing else in the package imports Dask: this module is imported only where the Dask engine
is asked for (``python -m dashboard cache --engine dask``), so the rest runs without it. The
batches carry file bytes, so a cluster's workers need the package (at the same version) but no
access to the corpus: this process reads the files.

Time budgets in a Dask worker: a task runs in the worker's thread pool, never in its main thread
(the main thread runs the worker's event loop: heartbeats, transfers), so ``parsing.faults``
cannot use SIGPROF there. Its budgets fall back to the wall clock, checked between the stages of
an article (``check_budget``): a runaway file is stopped after the stage that overran, not in it,
and time spent waiting for a core counts. One thread per worker keeps that wait short.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Self, TypeVar

from dashboard.parsing.engines import IN_FLIGHT_PER_WORKER, ordered

try:
    from distributed import Client, LocalCluster
except ImportError as exc:  # the extra is optional: say how to get it, not just what is missing
    raise ImportError(
        'the Dask engine needs Dask: pip install -e ".[dask]" (or pip install "dask[distributed]")',
        name=exc.name,
    ) from exc

B = TypeVar("B")
R = TypeVar("R")
# Long enough for a scheduler across a network to answer, short enough that a wrong address is
# an error the user sees while still at the terminal, not a hang.
CONNECT_TIMEOUT = 10.0
# A cluster that is shutting down must not hold the command's exit for long.
CLOSE_TIMEOUT = 10.0
LOOPBACK = "127.0.0.1"


class SchedulerUnreachable(ConnectionError):
    """No Dask scheduler answered at the address, or none of its workers joined in time."""


class DaskEngine:
    """Batches run as Dask tasks, at most about two per worker thread in flight; results come
    back in batch order."""

    name = "dask"

    def __init__(
        self, scheduler: str | None = None, workers: int = 0, timeout: float = CONNECT_TIMEOUT
    ) -> None:
        """Connect to the cluster at ``scheduler``, or start a LocalCluster of ``workers``
        single-threaded processes (0: one per core)."""
        self._client, self._cluster = _start(scheduler, workers, timeout)
        # Task slots, not worker processes: a `dask worker --nthreads 4` runs four batches at once
        # and needs its own queued batch for each.
        self.workers = sum(self._client.nthreads().values())

    def map(self, work: Callable[[B], R], batches: Iterable[B]) -> Iterator[R]:
        # pure=False: two batches with equal contents (copied folders) are still two tasks, and a
        # result is never taken from an earlier run's cache.
        def submit(fn: Callable[[B], R], batch: B) -> Any:
            return self._client.submit(fn, batch, pure=False)

        return ordered(submit, work, batches, self.workers * IN_FLIGHT_PER_WORKER)

    def close(self) -> None:
        """Close the client, then the cluster when this engine started it."""
        _close(self._client, self._cluster)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _start(
    scheduler: str | None, workers: int, timeout: float
) -> tuple[Client, LocalCluster | None]:
    """A client with workers to run on, and the local cluster when one had to be started."""
    cluster = None if scheduler else _local_cluster(workers or os.cpu_count() or 1)
    client = None
    try:
        client = _connect(scheduler or cluster, timeout)
        # A local cluster's workers are still starting; a remote cluster needs at least one.
        wanted = len(cluster.workers) if cluster is not None else 1
        _wait_for_workers(client, wanted, scheduler or "the local cluster", timeout)
    except BaseException:
        _close(client, cluster)  # a cluster started for nothing must not outlive the error
        raise
    return client, cluster


def _close(client: Client | None, cluster: LocalCluster | None) -> None:
    if client is not None:
        client.close(timeout=CLOSE_TIMEOUT)
    if cluster is not None:
        cluster.close(timeout=CLOSE_TIMEOUT)


def _local_cluster(workers: int) -> LocalCluster:
    # One thread per process: the per-file work holds the GIL, so a second thread in a worker
    # would only wait, against its wall-clock budget. The scheduler always serves HTTP (health,
    # metrics), by default at 127.0.0.1:8787, where a second cluster (or anything else there)
    # made it warn: it gets a free loopback port and no dashboard. Its logging keeps to errors.
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        scheduler_kwargs={"dashboard": False, "dashboard_address": f"{LOOPBACK}:0"},
        silence_logs=logging.ERROR,
    )


def _connect(address: str | LocalCluster | None, timeout: float) -> Client:
    """A client of the cluster (or scheduler address), not made Dask's default for the process."""
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except OSError as exc:
        raise SchedulerUnreachable(
            f"cannot reach a Dask scheduler at {address} within {timeout:g} s ({exc})"
        ) from exc
    except Exception as exc:  # something else listens there and answered in another protocol
        raise SchedulerUnreachable(
            f"{address} did not answer as a Dask scheduler ({type(exc).__name__})"
        ) from exc


def _wait_for_workers(client: Client, wanted: int, where: str, timeout: float) -> None:
    try:
        client.wait_for_workers(wanted, timeout=timeout)
    except TimeoutError as exc:
        raise SchedulerUnreachable(f"no Dask worker joined {where} within {timeout:g} s") from exc
