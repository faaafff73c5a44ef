"""A corpus read and dated over every core: the per-file stages in worker processes.

Reading a file (decode, detect, front matter, sanitise, text, sentences, outlet, publication
date) and resolving its dated events touch that file alone, so worker processes do them in
batches while this process keeps the order: results come back in file order and are merged
exactly as ``read_corpus`` + ``build_events`` would (ids made unique across files, report lines
in the same order), so one worker or eight give the same corpus. Each worker keeps the budgets
of ``dashboard.faults`` (SIGPROF works in a worker's main thread, and the budgets count CPU
time, so workers waiting for a core do not make a file more costly; a file needing about its
budget can still fall either side of it from run to run, in one process as in several).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.corpus import CorpusReport, FileRead, Progress, iter_files, read_one, unique_article
from dashboard.events import Event, guarded_events
from dashboard.faults import Degraded

log = logging.getLogger(__name__)
# Files per task: enough to amortise a round trip to a worker, few enough to keep both cores
# busy to the end and the progress bar moving.
BATCH = 32
# Below this many files a pool costs more than it saves.
PARALLEL_FROM = 200


@dataclass
class Dated:
    """One file read and dated: what read_one gave, each article's events, and the events
    stage's report lines."""

    found: FileRead
    events: list[list[Event]] = field(default_factory=list)
    notes: list[Degraded] = field(default_factory=list)


def date_file(path: Path, root: Path, default_tz: str) -> Dated:
    """Read one file and resolve the events of each of its articles."""
    found = read_one(path, root, default_tz)
    out = Dated(found)
    for article in found.articles:
        out.events.append(guarded_events(article, default_tz, out.notes))
    return out


def worker_count(requested: int) -> int:
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


def read_and_date(
    root: Path, default_tz: str, workers: int = 0, progress: Progress | None = None
) -> tuple[CorpusReport, list[Event]]:
    """Every file below root read, and every article's events, over ``workers`` processes
    (0: every core); the same report and events as reading and dating in one process."""
    report = CorpusReport(root=root)
    if not root.is_dir():
        raise NotADirectoryError(f"corpus folder not found: {root}")
    paths = list(iter_files(root, report.not_entered))
    ids: set[str] = set()
    events: list[Event] = []
    event_notes: list[Degraded] = []  # after every reading line, as build_events puts them
    for done, dated in enumerate(_dated(paths, root, default_tz, workers), start=1):
        report.files_seen += 1
        for article, found_events in zip(dated.found.articles, dated.events, strict=True):
            unique = unique_article(article, ids, report.degraded)
            report.articles.append(unique)
            if unique.id != article.id:  # the events carry the id: date the renamed article
                found_events = guarded_events(unique, default_tz, event_notes)
            events.extend(found_events)
        event_notes.extend(dated.notes)
        report.skipped.extend(dated.found.skipped)
        report.degraded.extend(dated.found.degraded)
        if progress:
            progress(done, len(paths))
    report.degraded.extend(event_notes)
    return report, events


def _dated(paths: list[Path], root: Path, default_tz: str, workers: int) -> Iterator[Dated]:
    count = worker_count(workers)
    if count == 1 or len(paths) < PARALLEL_FROM:
        for path in paths:
            yield date_file(path, root, default_tz)
        return
    # fork: the workers start with the readers, resolvers and outlet tables already imported.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context(method)) as pool:
        yield from pool.map(
            date_file, paths, [root] * len(paths), [default_tz] * len(paths), chunksize=BATCH
        )
