"""A corpus read and dated on an engine: the per-file stages in worker processes.

Reading a file (decode, detect, front matter, sanitise, text, sentences, outlet, publication
date), resolving its dated events, folding its text for search and finding the names it gives
with their originals touch that file alone, so workers do them over batches of files while this
process reads the bytes and keeps the order: results come back in file order and are merged
exactly as ``read_corpus`` + ``build_events`` would (ids made unique across files, report lines
in the same order), so one worker or eight, local or on a cluster, give the same corpus. Each
worker keeps the budgets of ``parsing.faults`` (the budgets count CPU time, so workers waiting
for a core do not make a file more costly; a file needing about its budget can still fall
either side of it from run to run, in one process as in several).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from dashboard.parsing.articles import Article
from dashboard.parsing.corpus import (
    MAX_FILE_BYTES,
    CorpusReport,
    FileRead,
    Progress,
    Skipped,
    iter_files,
    read_data,
    unique_article,
)
from dashboard.parsing.engines import (
    IN_FLIGHT_PER_WORKER,
    Engine,
    chunks,
    local_engine,
    local_workers,
)
from dashboard.parsing.entities import bracketed_names
from dashboard.parsing.events import Event, guarded_events
from dashboard.parsing.faults import Degraded, guard
from dashboard.parsing.search import fold

log = logging.getLogger(__name__)
# Files per task: enough to amortise a round trip to a worker (a Dask task costs its client
# 10-20 ms of CPU: at 32 files a task that was 22 s of a 20,000-file build), few enough to
# keep every core busy to the end (a task is about half a second) and the progress bar moving.
BATCH = 128
MIN_BATCH = 8  # below this a task's round trip outweighs its work
# Below this many files a pool costs more than it saves.
PARALLEL_FROM = 200


@dataclass
class Dated:
    """One file read and dated: what reading gave, and for each of its articles the events, the
    folded text search matches against, and the names given with their originals."""

    found: FileRead
    events: list[list[Event]] = field(default_factory=list)
    notes: list[Degraded] = field(default_factory=list)  # the events stage's report lines
    folded: list[str] = field(default_factory=list)
    names: list[list[tuple[str, str]]] = field(default_factory=list)
    search_notes: list[Degraded] = field(default_factory=list)


@dataclass(frozen=True)
class Batch:
    """Files for one task: (path relative to the corpus, bytes), and the default time zone."""

    files: tuple[tuple[str, bytes], ...]
    default_tz: str


def date_data(data: bytes, rel: str, default_tz: str) -> Dated:
    """Read one file's bytes and work out what each of its articles needs."""
    out = Dated(read_data(data, rel, default_tz))
    for article in out.found.articles:
        out.events.append(guarded_events(article, default_tz, out.notes))
        out.folded.append(_folded(article, out.search_notes))
        out.names.append(list(bracketed_names(article.text)))
    return out


def _folded(article: Article, notes: list[Degraded]) -> str:
    """Title and text as search matches them (lower-cased only, if folding fails)."""
    raw = f"{article.title}\n{article.text}"
    return guard("search", article.source_path, notes, lambda: fold(raw), raw.lower)


def date_batch(batch: Batch) -> list[Dated]:
    """The work of one task (module level, so any engine's workers can import it)."""
    return [date_data(data, rel, batch.default_tz) for rel, data in batch.files]


def unread(rel: str, reason: str) -> Dated:
    """A file this process could not hand to a worker (too large, unreadable)."""
    return Dated(FileRead(skipped=[Skipped(rel, reason)]))


def file_bytes(path: Path, rel: str) -> bytes | Dated:
    """A file's bytes, or why it is not read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            mib = 1_048_576
            return unread(rel, f"too large ({size // mib} MiB > {MAX_FILE_BYTES // mib} MiB)")
        return path.read_bytes()
    except OSError as exc:
        return unread(rel, f"unreadable: {exc}")


def batch_size(files: int, workers: int) -> int:
    """Files per task: BATCH, or fewer when BATCH would leave workers idle (100 new files on
    2 workers: 4 tasks of 25, not one of 100)."""
    spread = -(-files // max(workers * IN_FLIGHT_PER_WORKER, 1))
    return max(min(BATCH, spread), MIN_BATCH)


def date_files(
    files: Iterable[tuple[str, bytes | Dated]],
    default_tz: str,
    engine: Engine,
    size: int,
) -> Iterator[tuple[str, Dated]]:
    """(rel, result) for each file, in order: bytes go to the engine in batches, a file already
    settled (a Dated) passes through."""
    pending: deque[tuple[str, Dated | None]] = deque()  # in file order; None: with the engine

    def to_engine() -> Iterator[tuple[str, bytes]]:
        for rel, data in files:
            pending.append((rel, data if isinstance(data, Dated) else None))
            if not isinstance(data, Dated):
                yield rel, data

    batches = (Batch(chunk, default_tz) for chunk in chunks(to_engine(), size))
    results = (dated for batch in engine.map(date_batch, batches) for dated in batch)
    for dated in results:  # results come in order: each is the first file still with the engine
        while (head := pending.popleft())[1] is not None:
            yield head  # type: ignore[misc]
        yield head[0], dated
    yield from pending  # type: ignore[misc]


def renamed(events: list[Event], old: str, new: str) -> list[Event]:
    """An article's events after the article was given another id (event ids carry it)."""
    return [replace(e, id=new + e.id[len(old) :], article=new) for e in events]


def read_and_date(
    root: Path,
    default_tz: str,
    workers: int = 0,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> tuple[CorpusReport, list[Event]]:
    """Every file below root read, and every article's events, on ``engine`` (default: a pool
    of ``workers`` local processes, 0 for every core); the same report and events as reading
    and dating in one process."""
    report = CorpusReport(root=root)
    if not root.is_dir():
        raise NotADirectoryError(f"corpus folder not found: {root}")
    paths = list(iter_files(root, report.not_entered))
    rels = [(p.relative_to(root).as_posix(), p) for p in paths]
    files = ((rel, file_bytes(path, rel)) for rel, path in rels)
    own = engine is None  # an engine given is the caller's to close
    if engine is None:
        count = local_workers(workers) if len(paths) >= PARALLEL_FROM else 1
        engine = local_engine(count, -(-len(paths) // MIN_BATCH))
    ids: set[str] = set()
    events: list[Event] = []
    event_notes: list[Degraded] = []  # after every reading line, as build_events puts them
    with engine if own else nullcontext(engine) as running:
        size = batch_size(len(paths), running.workers)
        dated_files = date_files(files, default_tz, running, size)
        for done, (_, dated) in enumerate(dated_files, start=1):
            report.files_seen += 1
            for article, found_events in zip(dated.found.articles, dated.events, strict=True):
                unique = unique_article(article, ids, report.degraded)
                report.articles.append(unique)
                if unique.id != article.id:
                    found_events = renamed(found_events, article.id, unique.id)
                events.extend(found_events)
            event_notes.extend(dated.notes)
            report.skipped.extend(dated.found.skipped)
            report.degraded.extend(dated.found.degraded)
            if progress:
                progress(done, len(paths))
    report.degraded.extend(event_notes)
    return report, events
