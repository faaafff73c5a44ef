"""Local engines: results in batch order, forked or from a fork server."""

from __future__ import annotations

import threading

from dashboard.parsing.engines import InProcess, LocalPool, chunks


def _square_all(batch: tuple[int, ...]) -> list[int]:
    return [n * n for n in batch]


def _start_method(pool: LocalPool) -> str:
    return str(pool._pool._mp_context.get_start_method())  # type: ignore[attr-defined]


def test_a_pool_gives_what_this_process_gives_in_order() -> None:
    batches = list(chunks(range(100), 7))
    with LocalPool(2) as pool:
        assert list(pool.map(_square_all, batches)) == list(InProcess().map(_square_all, batches))
        assert _start_method(pool) == "fork"


def test_a_pool_beside_threads_starts_from_a_fork_server() -> None:
    stop = threading.Event()
    busy = threading.Thread(target=stop.wait, daemon=True)  # as a Dask client's event loop
    busy.start()
    try:
        with LocalPool(2, fork=False) as pool:
            assert _start_method(pool) == "forkserver"
            assert list(pool.map(_square_all, [(1, 2), (3,)])) == [[1, 4], [9]]
    finally:
        stop.set()
        busy.join()
