"""Local engines: results in batch order, and no fork of a process that runs other threads."""

from __future__ import annotations

import threading

from dashboard.engines import InProcess, LocalPool, chunks


def _square_all(batch: tuple[int, ...]) -> list[int]:
    return [n * n for n in batch]


def _start_method(pool: LocalPool) -> str:
    return str(pool._pool._mp_context.get_start_method())  # type: ignore[attr-defined]


def test_a_pool_gives_what_this_process_gives_in_order() -> None:
    batches = list(chunks(range(100), 7))
    alone = threading.active_count() == 1  # earlier tests may leave threads (Dask's) behind
    with LocalPool(2) as pool:
        assert list(pool.map(_square_all, batches)) == list(InProcess().map(_square_all, batches))
        assert _start_method(pool) == ("fork" if alone else "forkserver")


def test_a_process_with_other_threads_is_not_forked() -> None:
    stop = threading.Event()
    busy = threading.Thread(target=stop.wait, daemon=True)  # as a Dask client's event loop
    busy.start()
    try:
        with LocalPool(2) as pool:
            assert _start_method(pool) == "forkserver"
            assert list(pool.map(_square_all, [(1, 2), (3,)])) == [[1, 4], [9]]
    finally:
        stop.set()
        busy.join()
