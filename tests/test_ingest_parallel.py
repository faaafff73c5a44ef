"""Reading and dating over worker processes gives exactly the corpus one process gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.parsing import ingest
from dashboard.parsing.corpus import read_corpus
from dashboard.parsing.engines import local_workers
from dashboard.parsing.events import build_events

GOLDEN = Path(__file__).parent / "data" / "golden"


def _sequential(root: Path):  # type: ignore[no-untyped-def]
    report = read_corpus(root, "Asia/Shanghai")
    return report, build_events(report.articles, "Asia/Shanghai", report.degraded)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The golden samples and seeds, twice over (ids collide across the copies' JSON Lines and
    same-named files), plus files that are skipped or degraded."""
    root = tmp_path_factory.mktemp("parallel")
    for copy in ("a", "b"):
        shutil.copytree(GOLDEN, root / copy, ignore=shutil.ignore_patterns("*.expected.json"))
    (root / "a" / "empty.md").write_text("")
    (root / "a" / "binary.bin").write_bytes(bytes(range(256)) * 4)
    twin = "---\ntitle: 双胞胎\ndate: 2022-03-24\n---\n北约24日举行峰会。\n"
    (root / "twin.md").write_text(twin, encoding="utf-8")
    (root / "twin.html").write_text("<html><title>双胞胎</title><p>北约24日举行峰会。</p>")
    lines = (
        '{"id": "x", "title": "同一编号", "content": "北约24日举行峰会。", "date": "2022-03-24"}'
    )
    (root / "records.jsonl").write_text(lines + "\n" + lines + "\n", encoding="utf-8")
    return root


def test_parallel_read_equals_one_process(corpus: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ingest, "PARALLEL_FROM", 10)  # a pool even for this small corpus
    monkeypatch.setattr(ingest, "BATCH", 32)  # and several batches for each of its workers
    expected, expected_events = _sequential(corpus)
    report, events = ingest.read_and_date(corpus, "Asia/Shanghai", workers=2)
    assert report.files_seen == expected.files_seen > 200
    assert report.articles == expected.articles
    assert [a.id for a in report.articles] == [a.id for a in expected.articles]
    assert len({a.id for a in report.articles}) == len(report.articles)
    assert report.skipped == expected.skipped and report.skipped
    assert report.degraded == expected.degraded
    assert any(d.stage == "ids" for d in report.degraded)  # the renaming path ran
    assert events == expected_events
    assert report.not_entered == expected.not_entered


def test_one_worker_and_small_corpora_stay_in_this_process(corpus: Path) -> None:
    report, events = ingest.read_and_date(corpus / "a" / "seeds", "Asia/Shanghai", workers=2)
    expected, expected_events = _sequential(corpus / "a" / "seeds")
    assert report.articles == expected.articles and events == expected_events
    assert local_workers(1) == 1 and local_workers(0) >= 1
    assert local_workers(2) == 2  # not gevent-patched here: the pool above ran


def test_batches_share_a_small_update_among_the_workers() -> None:
    assert ingest.batch_size(100, 2) == 25  # four tasks: two running, two queued
    assert ingest.batch_size(20_000, 2) == ingest.BATCH
    assert ingest.batch_size(100, 1) == 50
    assert ingest.batch_size(3, 2) == ingest.MIN_BATCH
