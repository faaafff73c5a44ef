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


def test_the_first_batches_are_submitted_before_a_result_is_asked_for() -> None:
    from concurrent.futures import Future

    from dashboard.parsing.engines import ordered

    submitted: list[int] = []

    def submit(work, batch):  # type: ignore[no-untyped-def]
        submitted.append(batch)
        done: Future[int] = Future()
        done.set_result(work(batch))
        return done

    results = ordered(submit, lambda n: 10 * n, range(6), 3)
    assert submitted == [0, 1, 2]  # running while the caller does something else
    assert next(results) == 0
    assert submitted == [0, 1, 2]  # the next is submitted once that result is used
    assert list(results) == [10, 20, 30, 40, 50]
    assert submitted == list(range(6))


def test_story_tasks_are_whole_days_shared_evenly_among_the_workers() -> None:
    from dashboard.parsing.across import day_tasks

    rows_by_day: dict[object, list[int]] = {}
    row = 0
    for day, size in enumerate([300, 80, 120, 260, 90, 200] * 23):  # 138 days
        rows_by_day[day] = list(range(row, row + size))
        row += size
    tasks = day_tasks(rows_by_day, workers=2)
    assert len(tasks) % 2 == 0 and len(tasks) >= 4
    assert sorted(r for task in tasks for r in task) == list(range(row))
    assert all(task == sorted(task) for task in tasks)
    day_of = {r: d for d, rows in rows_by_day.items() for r in rows}
    days = [{day_of[r] for r in task} for task in tasks]
    assert all(not a & b for n, a in enumerate(days) for b in days[n + 1 :])  # whole days
    sizes = [len(task) for task in tasks]
    assert max(sizes) - min(sizes) <= 300  # no worker waits on another's extra task
    assert day_tasks({1: [0, 1], 2: [2]}, workers=2) == [[0, 1, 2]]  # too few to share
