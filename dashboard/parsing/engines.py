"""Where the per-file stages run: this process, a pool of local processes, or a Dask cluster.

An engine maps one function over batches and yields the results in the order of the batches,
keeping only a few batches in flight, so memory stays bounded by the batch whatever the corpus
size. The function and its batches carry everything the work needs (file bytes, not paths), so
a worker needs no access to the corpus folder: a cluster's machines need only the package.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from types import TracebackType
from typing import Protocol, Self, TypeVar

B = TypeVar("B")
R = TypeVar("R")
# Batches in flight per worker: one running, one queued, so a worker never waits for the next.
IN_FLIGHT_PER_WORKER = 2
ENGINES = ("local", "dask")


class Engine(Protocol):
    """Runs ``work`` over ``batches``; results come back in batch order."""

    name: str
    workers: int

    def map(self, work: Callable[[B], R], batches: Iterable[B]) -> Iterator[R]: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class InProcess:
    """No pool: the batches run here, one after another."""

    name = "local"
    workers = 1

    def map(self, work: Callable[[B], R], batches: Iterable[B]) -> Iterator[R]:
        return map(work, batches)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class LocalPool:
    """A pool of worker processes on this machine, started at the first task: forked where the
    platform can (the workers start with the readers, resolvers and outlet tables already
    imported), or, with ``fork=False``, from a fork server, for a process that runs threads
    (a Dask client's event loop: a fork copies whatever locks those threads hold). Like spawn,
    a fork server needs the calling script to guard its work with ``if __name__ ==
    "__main__"``, as Dask's own LocalCluster does."""

    name = "local"

    def __init__(self, workers: int, fork: bool = True) -> None:
        self.workers = workers
        methods = multiprocessing.get_all_start_methods()
        if fork and "fork" in methods:
            method = "fork"
        else:
            method = "forkserver" if "forkserver" in methods else "spawn"
        # Forked workers start with whatever this process holds (e.g. the story weights).
        self.forked = method == "fork"
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(["dashboard.parsing.across", "dashboard.parsing.parts"])
        self._pool = ProcessPoolExecutor(workers, mp_context=context)

    def map(self, work: Callable[[B], R], batches: Iterable[B]) -> Iterator[R]:
        return ordered(self._pool.submit, work, batches, self.workers * IN_FLIGHT_PER_WORKER)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def ordered(
    submit: Callable[..., Future[R]],
    work: Callable[[B], R],
    batches: Iterable[B],
    window: int,
) -> Iterator[R]:
    """Results of ``work`` over ``batches`` in order, with at most ``window`` submitted and not
    yet taken (``Executor.map`` submits every batch at once: the whole corpus in memory). The
    first ``window`` are submitted now, not when the first result is asked for: the caller can
    work on something else while they run."""
    source = iter(batches)
    pending: deque[Future[R]] = deque(submit(work, b) for b in islice(source, window))
    return _taken(pending, submit, work, source)


def _taken(
    pending: deque[Future[R]],
    submit: Callable[..., Future[R]],
    work: Callable[[B], R],
    source: Iterator[B],
) -> Iterator[R]:
    while pending:
        yield pending.popleft().result()
        for batch in islice(source, 1):
            pending.append(submit(work, batch))


def chunks(items: Iterable[B], size: int) -> Iterator[tuple[B, ...]]:
    """Items in tuples of ``size`` (the last one shorter), as they come: the batches of a map."""
    chunk: list[B] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield tuple(chunk)
            chunk = []
    if chunk:
        yield tuple(chunk)


def local_workers(requested: int) -> int:
    """The processes to use: ``requested``, or every core for 0; one inside a gevent-patched
    process (the preloading gunicorn master), where forking a pool is not safe."""
    if _gevent_patched():
        return 1
    return requested if requested > 0 else max(os.cpu_count() or 1, 1)


def _gevent_patched() -> bool:
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return False
    return bool(monkey.is_module_patched("threading"))


def local_engine(requested: int, batches: int, fork: bool = True) -> Engine:
    """A pool when there is more than one worker and more than one batch to share out
    (``fork``: as LocalPool's)."""
    workers = local_workers(requested)
    if workers == 1 or batches <= 1:
        return InProcess()
    return LocalPool(min(workers, batches), fork)
