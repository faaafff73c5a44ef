"""The parsed corpus on disk, kept up to date file by file, so a start reads tables instead of
parsing files, and a corpus that grew by a hundred files parses a hundred files.

One folder per corpus (its path, the default time zone and the code that shapes the tables):

- ``pNNNNNN.{articles,events,files}.parquet``: parts, the per-file results (``parsing.parts``);
  a build appends one part holding only the files it parsed, and never rewrites one in place.
- ``manifest-G.parquet``: every file of the corpus in walk order, with its size, modification
  time, content hash and the part its rows are in.
- ``linked-G.{articles,events}.parquet``: what the cross-article stages gave (``parsing.across``).
- ``meta.json``: the generation G and every file it stands on, with sizes; written last, by a
  rename, so a crash leaves the previous generation whole.

A file is unchanged when its size and modification time are (a fast pre-check); otherwise its
content hash decides, so a platform that resets modification times costs a read, not a parse.
A cache that is not exactly what this code wrote (schema, code, corpus, sizes, Parquet page
checksums, row counts) is rebuilt from nothing, never trusted.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from dashboard.config import Settings
from dashboard.parsing import generation, story_weights
from dashboard.parsing.corpus import CorpusReport, Progress
from dashboard.parsing.engines import Engine, chunks, local_engine, local_workers
from dashboard.parsing.entities import ENTITIES_FILE
from dashboard.parsing.events import events_frame
from dashboard.parsing.generation import META_FILE, ManifestRow
from dashboard.parsing.ingest import (
    MIN_BATCH,
    PARALLEL_FROM,
    Dated,
    batch_size,
    file_bytes,
    read_and_date,
)
from dashboard.parsing.parts import PartsBatch, PartWriter, Tables, parts_batch, tables_of
from dashboard.parsing.store import CorpusData, Derived, assemble, derive

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Loaded:
    """The corpus data and how it was obtained: 'hit' (read from the cache, nothing changed),
    'updated' (some files parsed), 'built' (every file parsed), or 'off' (caching disabled)."""

    data: CorpusData
    status: str
    fingerprint: str
    update: Update | None = None


@dataclass
class Update:
    """What bringing the cache up to date did."""

    folder: Path
    status: str = "hit"
    files: int = 0
    reused: int = 0
    rehashed: int = 0  # modification time changed, content the same: read, not parsed
    parsed: int = 0
    removed: int = 0
    refound: int = 0  # articles whose entity mentions were found again
    regrouped_days: int = 0
    all_days: int = 0
    compacted: bool = False
    rebuilt: str | None = None  # why the cache found was not used
    fingerprint: str = ""
    articles: int = 0
    events: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        took = ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items())
        lines = [f"cache {self.status}: {self.folder}"]
        if self.rebuilt:
            lines.append(f"rebuilt from nothing: the cache found was not usable ({self.rebuilt})")
        lines.append(f"corpus: {self.articles:,} articles, {self.events:,} events")
        if self.status == "hit":
            lines.append(f"files: {self.files:,}, all unchanged ({took})")
            return "\n".join(lines)
        lines += [
            f"files: {self.files:,}: {self.reused:,} reused, {self.parsed:,} parsed (new or "
            f"changed), {self.removed:,} removed; {self.rehashed:,} with a new modification time "
            "but the same content (read and hashed, not parsed)",
            f"across articles: mentions found in {self.refound:,} articles, stories grouped on "
            f"{self.regrouped_days:,} of {self.all_days:,} days"
            + (", parts compacted into one" if self.compacted else ""),
            f"time: {took}",
        ]
        return "\n".join(lines)


# The parsing layer's modules that do not shape the cached tables (where the work runs, how the
# articles are written out): changing them leaves the cache valid. The web layer is outside this
# package and never counts; every other module here, a new one included, is taken to shape them.
PRESENTATION = frozenset({"article_export.py", "engine_dask.py", "engines.py"})
# Data that shapes them too: the bundled entity list and the story weights.
SHAPING_DATA = (ENTITIES_FILE, story_weights.BUNDLED)


def code_fingerprint(package: Path = PACKAGE) -> str:
    """A hash of the source that shapes the cached tables: a new parser or resolver invalidates
    old caches, a new figure does not (at 20,000 files a rebuild costs minutes)."""
    digest = hashlib.sha256(str(generation.SCHEMA).encode())
    for path in sorted(package.rglob("*.py")):
        if path.parent == package and path.name in PRESENTATION:
            continue
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for path in SHAPING_DATA:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def corpus_key(root: Path, default_tz: str) -> str:
    """The cache folder's name: the corpus path, the time zone events depend on, the code."""
    base = str(root.resolve())
    return hashlib.sha256(f"{code_fingerprint()}|{default_tz}|{base}".encode()).hexdigest()[:16]


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def load_or_build(settings: Settings, engine: Engine | None = None) -> Loaded:
    """The corpus data from the cache, brought up to date first (or parsed, caching off)."""
    if settings.cache_dir is None:
        return Loaded(parse(settings)[0], "off", "")
    try:
        done = update(settings, engine)
        try:
            data = read_cache(done.folder)
        except DAMAGE as exc:  # found out only now (a page checksum): rebuilt from nothing
            reason = _damaged(done.folder, exc)
            done = update(settings, engine)
            done.rebuilt = reason
            data = read_cache(done.folder)
        return Loaded(data, done.status, done.fingerprint, done)
    except OSError as exc:  # a read-only disk still serves, just without a cache
        log.warning("could not use the cache in %s: %s", settings.cache_dir, exc)
    except (ValueError, KeyError, pa.ArrowException) as exc:  # written now, unreadable now
        log.warning("the cache just written in %s is unreadable (%s)", settings.cache_dir, exc)
    return Loaded(parse(settings)[0], "built", "")


def parse(settings: Settings) -> tuple[CorpusData, CorpusReport, Derived]:
    """Read and resolve the corpus without a cache."""
    report, found = read_and_date(settings.corpus_dir, settings.default_tz, settings.ingest_workers)
    events = events_frame(found)
    derived = derive(report.articles, events, report.degraded)
    return assemble(report.articles, derived, len(report.skipped)), report, derived


def update(
    settings: Settings, engine: Engine | None = None, progress: Progress | None = None
) -> Update:
    """Bring the cache of ``settings.corpus_dir`` up to date: parse only new and changed files,
    redo only the cross-article work they touch. A cache that turns out damaged on the way is
    rebuilt from nothing."""
    assert settings.cache_dir is not None
    folder = settings.cache_dir / corpus_key(settings.corpus_dir, settings.default_tz)
    # Arrow's default allocator (mimalloc) keeps what the cross-article stage frees: at 20,000
    # files the build peaked at 1.2 GB with it, 0.87 GB with the system allocator.
    pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        try:
            return _update(settings, engine, progress)
        except DAMAGE as exc:
            if not (folder / META_FILE).exists():
                raise  # nothing was trusted: the failure is not the cache's
            reason = _damaged(folder, exc)
        done = _update(settings, engine, progress)
        done.rebuilt = reason
        return done
    finally:
        pa.set_memory_pool(pool)


# What reading a damaged cache raises (a failed page checksum is an OSError).
DAMAGE = (OSError, ValueError, KeyError, TypeError, pa.ArrowException)


def _damaged(folder: Path, exc: BaseException) -> str:
    reason = f"{type(exc).__name__}: {exc}"
    log.warning("cache %s damaged (%s); rebuilding", folder, reason)
    shutil.rmtree(folder, ignore_errors=True)
    return reason


def _update(settings: Settings, engine: Engine | None, progress: Progress | None) -> Update:
    assert settings.cache_dir is not None
    root, tz = settings.corpus_dir, settings.default_tz
    if not root.is_dir():
        raise NotADirectoryError(f"corpus folder not found: {root}")
    started = time.perf_counter()
    folder = settings.cache_dir / corpus_key(root, tz)
    done = Update(folder)
    try:
        state = generation.open_state(folder, root, tz, code_fingerprint())
    except DAMAGE as exc:
        done.rebuilt, state = _damaged(folder, exc), None
    not_entered: list[str] = []
    walked, stats = _walk(root, not_entered)
    done.files = len(walked)
    if state and state.unchanged([rel for rel, _ in walked], stats):
        done.reused = len(walked)
        done.fingerprint = state.meta["fingerprint"]
        done.articles, done.events = state.meta["articles"], state.meta["events"]
        done.seconds["check"] = time.perf_counter() - started
        return done
    old = state.manifest if state else {}
    unchanged = [
        rel in old and old[rel][:2] == stat for (rel, _), stat in zip(walked, stats, strict=True)
    ]
    done.removed = len(set(old) - {rel for rel, _ in walked})
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    folder.mkdir(exist_ok=True)
    part = f"p{state.meta['generation'] + 1 if state else 1:06d}"
    manifest: list[ManifestRow] = []
    todo = len(walked) - sum(unchanged)

    def inputs() -> Iterator[tuple[str, str, bytes | Dated]]:
        for (rel, path), stat, same in zip(walked, stats, unchanged, strict=True):
            if same:
                manifest.append((rel, *old[rel]))
                done.reused += 1
                continue
            data = file_bytes(Path(path), rel)
            digest = content_hash(data) if isinstance(data, bytes) else f"unread-{stat}"
            if rel in old and old[rel][2] == digest:
                manifest.append((rel, *stat, digest, old[rel][3]))
                done.rehashed += 1
                continue
            manifest.append((rel, *stat, digest, part))
            done.parsed += 1
            yield rel, digest, data

    t0 = time.perf_counter()
    own = engine is None  # an engine given is the caller's to close (it may retry)
    if engine is None:
        # By corpus size, not files to parse: the cross-article tasks cover the whole corpus.
        workers = local_workers(settings.ingest_workers) if len(walked) >= PARALLEL_FROM else 1
        if workers > 1:
            # Read before the pool forks, so that its workers hold the story weights too and
            # a few days' stories are worth grouping on them (each would read it otherwise).
            story_weights.bundled_weights()
        engine = local_engine(workers, max(-(-todo // MIN_BATCH), 2 if todo else 1))
    with engine if own else nullcontext(engine) as running:
        writer = PartWriter(folder, part)
        size = batch_size(todo, running.workers)
        try:
            for count, tables in enumerate(_parse(inputs(), tz, part, running, size), start=1):
                writer.write(tables)
                if progress:
                    progress(min(count * size, todo), todo)
        finally:
            writer.close()
        done.seconds["parse"] = time.perf_counter() - t0
        done.status = "built" if state is None else "updated"
        where = (root, tz, code_fingerprint())
        with _across_engine(running, settings) as linking, _collector_paused():
            made = generation.commit(folder, state, manifest, writer, not_entered, where, linking)
    done.fingerprint, done.articles, done.events = made.fingerprint, made.articles, made.events
    done.refound, done.compacted = made.refound, made.compacted
    done.regrouped_days, done.all_days = made.days
    done.seconds.update(made.seconds)
    done.seconds["total"] = time.perf_counter() - started
    return done


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a generation is linked and written: that
    stage builds millions of lists, tuples and dicts that are not cyclic, and their allocation
    kept setting off collections that walked the whole heap (0.6 s of a 5.8 s update at
    20,311 files). What it frees goes by reference counting; the collector runs again after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _across_engine(running: Engine, settings: Settings) -> Iterator[Engine]:
    """Where the cross-article tasks run: on a local engine's own processes, and on this
    machine's cores when the per-file stages ran elsewhere. Their input is the cache's columns,
    here, and every task carries the 7,500-alias entity index: on a 2-worker Dask LocalCluster
    finding mentions took 14.7 s against 6 s on a local pool, for the same work."""
    if running.name == "local":
        yield running
        return
    workers = local_workers(settings.ingest_workers)
    # Not forked: the Dask client's threads run in this process. Started at the first task.
    with local_engine(workers, workers, fork=False) as here:
        yield here


def _walk(
    root: Path, not_entered: list[str]
) -> tuple[list[tuple[str, str]], list[tuple[int, int]]]:
    """(path relative to root, full path) of every file, in ``corpus.iter_files``'s order and
    with its rules, as plain strings (at 20,000 files pathlib alone costs a second), and each
    one's (size, mtime_ns), (-1, -1) when it cannot be read."""
    base = str(root)
    found: list[tuple[str, str]] = []
    stats: list[tuple[int, int]] = []
    for folder, dirs, files in os.walk(base):
        rel = os.path.relpath(folder, base).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        not_entered.extend(prefix + d for d in sorted(d for d in dirs if d.startswith(".")))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        names = sorted(files)
        found.extend((prefix + name, folder + os.sep + name) for name in names)
        stats.extend(_stats(folder, names))
    return found, stats


def _stats(folder: str, names: list[str]) -> list[tuple[int, int]]:
    """(size, mtime_ns) of files in one folder, each looked up from the folder's descriptor:
    the whole path resolved for each of 100,000 files cost a fifth more. Where descriptors
    cannot name a folder (Windows), by whole path."""
    if os.stat not in os.supports_dir_fd or not hasattr(os, "O_DIRECTORY"):
        return [_stat(folder + os.sep + name) for name in names]
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return [(-1, -1)] * len(names)
    try:
        return [_stat(name, descriptor) for name in names]
    finally:
        os.close(descriptor)


def _stat(name: str, folder: int | None = None) -> tuple[int, int]:
    try:
        stat = os.stat(name, dir_fd=folder)
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


def _parse(
    inputs: Iterator[tuple[str, str, bytes | Dated]],
    tz: str,
    part: str,
    engine: Engine,
    size: int,
) -> Iterator[Tables]:
    """The tables of every file to parse, in batches: bytes on the engine, files settled here
    (too large, unreadable) directly."""
    settled: list[tuple[str, str, Dated]] = []

    def to_engine() -> Iterator[tuple[str, str, bytes]]:
        for rel, digest, data in inputs:
            if isinstance(data, Dated):
                settled.append((rel, digest, data))
            else:
                yield rel, digest, data

    batches = (PartsBatch(chunk, tz, part) for chunk in chunks(to_engine(), size))
    yield from engine.map(parts_batch, batches)
    if settled:
        yield tables_of(settled, part)


def read_cache(folder: Path) -> CorpusData:
    """CorpusData from a cache folder brought up to date by ``update``."""
    return generation.read_data(folder, code_fingerprint())
