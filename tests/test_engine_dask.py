"""The Dask engine gives exactly the corpus the local engine gives, in order, and fails loudly."""

from __future__ import annotations

import importlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("distributed")

import test_ingest_parallel
from test_cache import same_data

from dashboard.config import Settings
from dashboard.parsing import cache, ingest
from dashboard.parsing.engine_dask import (
    DaskEngine,
    LocalCluster,
    SchedulerUnreachable,
    _local_cluster,
)

# The corpus the local pool is checked on (the golden samples twice over, ids that collide,
# files that are skipped), so both engines are held to the same one.
corpus = test_ingest_parallel.corpus
# Starting two worker processes takes 1–3 s on this 2-core machine (more while it is busy);
# ten times that would leave the module no time for its tests.
CLUSTER_START_SECONDS = 30


def slow_inverse(n: int) -> tuple[int, float]:
    """A task that takes longer the earlier its batch, so later batches finish first; with the
    time it finished."""
    time.sleep(0.1 * (5 - n))
    return n * 10, time.time()


def tenfold(n: int) -> int:
    return n * 10


def fail_on_three(n: int) -> int:
    if n == 3:
        raise ValueError(f"batch {n} is broken")
    return n


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 32 files, so that these 200-file corpora make several tasks per worker."""
    monkeypatch.setattr(ingest, "BATCH", 32)  # batch_size reads it, for cache.update too


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """One 2-worker cluster, reached by its address as a remote one would be."""
    started = time.perf_counter()
    local = _local_cluster(2)
    assert time.perf_counter() - started < CLUSTER_START_SECONDS
    yield local
    local.close(timeout=30)


def test_dask_reads_the_corpus_the_local_engine_reads(corpus: Path) -> None:
    expected, expected_events = ingest.read_and_date(corpus, "Asia/Shanghai", workers=1)
    with DaskEngine(workers=2) as engine:  # its own LocalCluster
        assert engine.name == "dask" and engine.workers == 2
        report, events = ingest.read_and_date(corpus, "Asia/Shanghai", engine=engine)
    assert report.files_seen == expected.files_seen > 2 * ingest.BATCH  # several batches
    assert report.articles == expected.articles
    assert report.skipped == expected.skipped and report.skipped
    assert report.degraded == expected.degraded
    assert any(d.stage == "ids" for d in report.degraded)  # the renaming path ran
    assert any(e.article == "records/x~2" for e in events)  # and renamed an article's events
    assert report.not_entered == expected.not_entered
    assert events == expected_events and events


def test_dask_writes_the_dataset_the_local_engine_writes(
    corpus: Path, cluster: LocalCluster, tmp_path: Path
) -> None:
    corpus = Path(shutil.copytree(corpus, tmp_path / "corpus"))  # changed below: a copy
    settings = Settings(corpus_dir=corpus, cache_dir=tmp_path / "local", ingest_workers=1)
    local = cache.update(settings)
    with DaskEngine(cluster.scheduler_address) as engine:
        dask = cache.update(replace(settings, cache_dir=tmp_path / "dask"), engine)
        assert dask.parsed == local.parsed == local.files
        # An update after a change runs on the same engine, which stays the caller's.
        (corpus / "twin.md").write_text("---\ntitle: 新的\ndate: 2022-03-25\n---\n北约25日开会。\n")
        again = cache.update(replace(settings, cache_dir=tmp_path / "dask"), engine)
        assert again.parsed == 1
    local = cache.update(settings)
    assert local.parsed == 1
    assert dask.fingerprint and again.fingerprint == local.fingerprint
    assert same_data(cache.read_cache(again.folder), cache.read_cache(local.folder))


def test_results_come_in_batch_order_when_tasks_finish_out_of_order(
    cluster: LocalCluster,
) -> None:
    with DaskEngine(cluster.scheduler_address) as engine:
        assert engine.workers == 2
        results = list(engine.map(slow_inverse, range(5)))
    assert [n for n, _ in results] == [0, 10, 20, 30, 40]
    finished = [at for _, at in results]
    assert finished != sorted(finished)  # they did finish out of order


def test_batches_in_flight_stay_bounded(cluster: LocalCluster) -> None:
    taken: list[int] = []

    def batches() -> Iterator[int]:
        for n in range(12):
            # Fewer than 2 per worker are submitted and not yet taken when the next is asked for.
            assert n - len(taken) < 2 * 2
            yield n

    with DaskEngine(cluster.scheduler_address) as engine:
        for result in engine.map(tenfold, batches()):
            taken.append(result)
    assert taken == [10 * n for n in range(12)]


def test_an_exception_in_a_task_reaches_the_caller(cluster: LocalCluster) -> None:
    with DaskEngine(cluster.scheduler_address) as engine:
        results = engine.map(fail_on_three, range(6))
        assert [next(results) for _ in range(3)] == [0, 1, 2]
        with pytest.raises(ValueError, match="batch 3 is broken"):
            next(results)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_no_scheduler_at_the_address_is_a_quick_clear_error() -> None:
    started = time.perf_counter()
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(SchedulerUnreachable, match="cannot reach a Dask scheduler at"):
        DaskEngine(address, timeout=1)
    assert time.perf_counter() - started < 10


def test_another_server_at_the_address_is_a_clear_error() -> None:
    """An HTTP server (or a proxy) answering where the scheduler was expected: Dask reads its
    reply as a frame length and fails in its own way; the user is told what happened."""
    server = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        conn, _ = server.accept()
        with conn:
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n" * 4)
            time.sleep(2)

    threading.Thread(target=answer, daemon=True).start()
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    try:
        with pytest.raises(SchedulerUnreachable, match="Dask scheduler"):
            DaskEngine(address, timeout=2)
    finally:
        server.close()


def test_without_dask_the_import_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # None: import raises ImportError
    monkeypatch.delitem(sys.modules, "dashboard.parsing.engine_dask")
    with pytest.raises(ImportError, match=r'pip install -e "\.\[dask\]"'):
        importlib.import_module("dashboard.parsing.engine_dask")


def test_the_rest_of_the_package_never_imports_dask() -> None:
    probe = (
        "import pkgutil, importlib, sys, dashboard\n"
        "for m in pkgutil.walk_packages(dashboard.__path__, 'dashboard.'):\n"
        "    if m.name not in ('dashboard.parsing.engine_dask', 'dashboard.__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "import dashboard.__main__\n"
        "print(sorted({n.split('.')[0] for n in sys.modules} & {'dask', 'distributed'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_cache_command_on_dask_prints_its_summary_without_the_clusters_log(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    seeds = test_ingest_parallel.GOLDEN / "seeds"
    shutil.copytree(seeds, corpus, ignore=shutil.ignore_patterns("*.expected.json"))
    command = [sys.executable, "-m", "dashboard", "cache", "--corpus", str(corpus)]
    env = {**os.environ, "CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [*command, "--engine", "dask", "--workers", "2"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "cache built:" in done.stdout and "files: 5: 0 reused, 5 parsed" in done.stdout
    assert "distributed" not in done.stdout + done.stderr  # no scheduler or nanny INFO lines
