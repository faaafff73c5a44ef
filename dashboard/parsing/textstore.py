"""The search side of a cache generation: folded texts and their n-gram index, as files that
every server process memory-maps instead of holding its own copy.

The texts are kept in segments of up to ngrams.SEGMENT texts, in the order articles entered
the cache (the *store order*), not in the dashboard's order: a segment whose texts did not
change is kept from one generation to the next, so adding a day of files indexes those files
and leaves the rest where it is (at 20,000 articles the whole index took 3.5 s to build again,
and the texts and their titles in memory at once more than doubled a build's peak).

- ``seg-S-G.arrow``: segment S (written by generation G), one Arrow IPC record batch,
  uncompressed, of (file, hash, n, folded, title): each text with its article's key, so that
  the next generation can tell which of its texts are still live.
- ``seg-S-G.grams.npy`` and ``seg-S-G.titlegrams.npy``: the segment's ngrams run over the
  texts and over their first lines (the titles), so that a search's title hits, which rank
  first in the list, come from an index too.
- ``search-G.arrow``: (id, store) of each article in the dashboard's order (publication
  order): its id and its text's store number. Texts of articles since removed or changed stay
  in their segments, unreachable, until they are a quarter of the store and it is rewritten.

Mapped, a text costs nothing until a search reads it, and the pages are the operating system's,
shared by every worker; after each search they are unmapped again (Searchable.release), so a
worker does not hold them. Neither format has checksums of its own, so the generation's
meta.json keeps a CRC-32 of each file, checked when the store is opened: a damaged file is
found out, never searched.
"""

from __future__ import annotations

import mmap
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.parsing import ngrams

SEGMENT_SCHEMA = pa.schema(
    [("file", pa.string()), ("hash", pa.string()), ("n", pa.int32()),
     ("folded", pa.large_string()), ("title", pa.large_string())]
)  # fmt: skip
ORDER_SCHEMA = pa.schema([("id", pa.string()), ("store", pa.int64())])
FOLDED, TITLE = 3, 4  # the segment columns searched
# A store whose unreachable texts (of removed or changed articles) reach this share of it is
# written again from nothing.
DEAD_SHARE = 0.25
Key = tuple[str, str, int]  # (file, content hash, article number in the file)


class Segments:
    """Texts by store number: text ``i`` of segment ``s`` is number ``s * SEGMENT + i``."""

    def __init__(self, arrays: Sequence[pa.Array]) -> None:
        self._arrays = list(arrays)

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(a) for a in self._arrays)

    def text(self, number: int) -> str:
        segment, local = divmod(number, ngrams.SEGMENT)
        return self._arrays[segment][local].as_py()  # type: ignore[no-any-return]

    def texts(self, numbers: np.ndarray) -> list[str]:
        """The texts at store numbers, in the order given."""
        found: list[str] = [""] * len(numbers)
        for at, array, local in self._by_segment(numbers):
            for n, text in zip(at.tolist(), array.take(local).to_pylist(), strict=True):
                found[n] = text
        return found

    def hold(self, numbers: np.ndarray, term: str) -> np.ndarray:
        """Whether each text at ``numbers`` holds ``term``: its UTF-8 bytes searched where they
        lie (a substring of UTF-8 text is a substring of its bytes), never decoded into
        Python strings, which took four times as long on the mapped texts."""
        wanted = term.encode("utf-8")
        found = np.zeros(len(numbers), dtype=bool)
        for at, array, local in self._by_segment(numbers):
            offsets, data = _raw(array)
            starts, ends = offsets[local].tolist(), offsets[local + 1].tolist()
            found[at] = np.fromiter(
                (wanted in data[a:b].tobytes() for a, b in zip(starts, ends, strict=True)),
                dtype=bool,
                count=len(starts),
            )
        return found

    def counts(self, numbers: np.ndarray, terms: list[str]) -> np.ndarray:
        """How many times the terms occur in each text at ``numbers``."""
        wanted = [term.encode("utf-8") for term in terms]
        found = np.zeros(len(numbers), dtype=np.int64)
        for at, array, local in self._by_segment(numbers):
            offsets, data = _raw(array)
            starts, ends = offsets[local].tolist(), offsets[local + 1].tolist()
            texts = (data[a:b].tobytes() for a, b in zip(starts, ends, strict=True))
            if len(wanted) == 1:  # the usual search: one term, one count a text
                [term] = wanted
                counted = (text.count(term) for text in texts)
            else:
                counted = (sum(text.count(w) for w in wanted) for text in texts)
            found[at] = np.fromiter(counted, dtype=np.int64, count=len(starts))
        return found

    def _by_segment(self, numbers: np.ndarray) -> Iterator[tuple[np.ndarray, pa.Array, np.ndarray]]:
        for at, segment, local in by_segment(numbers):
            yield at, self._arrays[segment], local


def by_segment(numbers: np.ndarray) -> Iterator[tuple[np.ndarray, int, np.ndarray]]:
    """(positions in ``numbers``, segment, numbers within it) for each segment they name."""
    numbers = np.asarray(numbers, dtype=np.int64)
    segments = numbers >> ngrams.SEGMENT_BITS
    for segment in np.unique(segments).tolist():
        at = np.flatnonzero(segments == segment)
        yield at, segment, numbers[at] & (ngrams.SEGMENT - 1)


def _raw(array: pa.Array) -> tuple[np.ndarray, memoryview]:
    _, offsets, data = array.buffers()
    first = array.offset
    ends = np.frombuffer(offsets, dtype=np.int64)[first : first + len(array) + 1]
    return ends, memoryview(data) if data is not None else memoryview(b"")


class Texts(Sequence[str]):
    """Folded texts in the dashboard's order, over segments (mapped from files, or built in
    memory): row ``r`` is store number ``to_store[r]``."""

    def __init__(self, segments: Segments, to_store: np.ndarray) -> None:
        self.segments = segments
        self.to_store = to_store

    @classmethod
    def of(cls, texts: Sequence[str]) -> Texts:
        """Texts in memory, in store order (row ``r`` is store number ``r``)."""
        arrays = [
            pa.array(list(texts[i : i + ngrams.SEGMENT]), pa.large_string())
            for i in range(0, len(texts), ngrams.SEGMENT)
        ]
        return cls(Segments(arrays), np.arange(len(texts), dtype=np.int64))

    def __len__(self) -> int:
        return len(self.to_store)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return self.segments.texts(self.to_store[index])
        return self.segments.text(int(self.to_store[index]))

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self), 4096):
            yield from self[start : start + 4096]

    def hold(self, rows: np.ndarray, term: str) -> np.ndarray:
        """Whether each text at ``rows`` holds ``term``."""
        return self.segments.hold(self.to_store[rows], term)


@dataclass(frozen=True)
class Searchable:
    """Texts and their n-gram index (by store number); ``mapped``: the files they are mapped
    from, if any."""

    texts: Texts
    index: ngrams.GramIndex
    mapped: tuple[mmap.mmap, ...] = ()
    to_row: np.ndarray = field(init=False)  # store number → row, -1 for texts not shown

    def __post_init__(self) -> None:
        capacity = len(self.index.sizes) * ngrams.SEGMENT
        to_row = np.full(capacity, -1, dtype=np.int64)
        to_row[self.texts.to_store] = np.arange(len(self.texts), dtype=np.int64)
        object.__setattr__(self, "to_row", to_row)

    @classmethod
    def of(cls, texts: Sequence[str]) -> Searchable:
        return cls(Texts.of(texts), ngrams.build(texts))

    def __len__(self) -> int:
        return len(self.texts)

    def holding(self, term: str) -> np.ndarray:
        """The sorted rows of the texts that hold a folded term."""
        try:
            found = ngrams.search(self.index, term, self.texts.segments.hold)
            rows = self.to_row[found]
            return np.sort(rows[rows >= 0])
        finally:
            self.release()

    def counts(self, rows: np.ndarray, terms: list[str]) -> np.ndarray:
        """How many times the terms occur in each text at ``rows``: a term of one character,
        or of two different ones, counted by the index (the texts read only where a count
        reaches the index's cap), a longer one in the texts."""
        numbers = self.texts.to_store[np.asarray(rows, dtype=np.int64)]
        segments = self.texts.segments
        total = np.zeros(len(numbers), dtype=np.int64)
        scanned = [term for term in terms if ngrams.counted_key(term) is None]
        try:
            for term in terms:
                key = ngrams.counted_key(term)
                if key is None:
                    continue
                counts = self.index.key_counts(numbers, key)
                capped = np.flatnonzero(counts >= ngrams.TF_CAP)
                if len(capped):
                    counts[capped] = segments.counts(numbers[capped], [term])
                total += counts
            if scanned:
                total += segments.counts(numbers, scanned)
            return total
        finally:
            self.release()

    def release(self) -> None:
        """Unmap from this process the pages a search read. They stay in the page cache, one
        copy for every worker, and a later search maps them again for a minor fault each; but
        they no longer count as the process's memory, which otherwise grew with every search
        towards the size of the files (at 100,000 articles, 840 MB a worker)."""
        for area in self.mapped:
            area.madvise(mmap.MADV_DONTNEED)


def first_lines(texts: Sequence[str]) -> list[str]:
    """Each text's first line: the title, in a folded text."""
    return [text.split("\n", 1)[0] for text in texts]


@dataclass(frozen=True)
class SearchStore:
    ids: pa.Array
    search: Searchable
    titles: Searchable


# -- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A segment file set: its name (``seg-S-G``) and how many texts it holds."""

    name: str
    size: int

    def files(self) -> list[str]:
        return [f"{self.name}.arrow", f"{self.name}.grams.npy", f"{self.name}.titlegrams.npy"]


def order_name(generation: int) -> str:
    return f"search-{generation}.arrow"


@dataclass
class Written:
    """What writing a generation's store gave: its segments (for meta.json), and the CRC-32
    of every file it stands on, by name (kept from the last generation for kept segments)."""

    segments: list[Segment]
    checksums: dict[str, int]
    indexed: int  # texts this generation indexed (the others' segments were kept)

    def files(self) -> list[str]:
        return [name for s in self.segments for name in s.files()]


def write(
    folder: Path,
    generation: int,
    shown: tuple[pa.Array, np.ndarray],
    keys: Sequence[Key],
    folded: Callable[[list[int]], list[str]],
    previous: tuple[list[Segment], dict[str, int]] | None = None,
    run: ngrams.Runner = map,
) -> Written:
    """Write the store of a generation. ``keys``: the live articles' keys in corpus order;
    ``shown``: their ids in the dashboard's order and, for each of its rows, the article's
    position in corpus order; ``folded``: the folded texts of articles at some corpus
    positions; ``previous``: the last generation's segments and checksums, whose live texts
    are kept where they are; ``run``: what turns slices of texts into postings (an engine's
    map: on every core)."""
    ids, display = shown
    segments, checksums = list(previous[0]) if previous else [], {}
    to_store = np.full(len(keys), -1, dtype=np.int64)  # by corpus position
    if segments:
        assert previous is not None
        position = {key: n for n, key in enumerate(keys)}
        dead = 0
        for number, segment in enumerate(segments):
            for local, key in enumerate(_segment_keys(folder, segment)):
                n = position.pop(key, None)
                if n is None:
                    dead += 1
                else:
                    to_store[n] = number * ngrams.SEGMENT + local
        if dead > DEAD_SHARE * sum(s.size for s in segments):
            segments, to_store[:] = [], -1
        else:
            checksums = {name: previous[1][name] for s in segments for name in s.files()}
    new = np.flatnonzero(to_store < 0)  # in corpus order, as a first build numbers them
    placed = list(_placements(segments, new))
    read: deque[list[str]] = deque()  # texts read for the index and not yet written

    def texts_to_index() -> Iterator[tuple[list[str], int]]:
        for chosen, _, first in placed:
            read.append(folded(chosen.tolist()))
            yield read[-1], first

    indexed = ngrams.segments_grams(texts_to_index(), run)
    for (chosen, number, first), grams in zip(placed, indexed, strict=True):
        extended = segments[number] if first else None
        keys_in = [keys[n] for n in chosen]
        name = f"seg-{number:05d}-{generation}"
        segment = _write_segment(folder, name, extended, keys_in, read.popleft(), grams)
        if number < len(segments):
            segments[number] = segment
        else:
            segments.append(segment)
        for name in segment.files():
            checksums[name] = crc32(folder / name)
        to_store[chosen] = number * ngrams.SEGMENT + first + np.arange(len(chosen))
    shown_store = pa.array(to_store[np.asarray(display, dtype=np.int64)], pa.int64())
    order = pa.record_batch([ids.cast(pa.string()), shown_store], ORDER_SCHEMA)
    _write_batch(folder / order_name(generation), order)
    checksums[order_name(generation)] = crc32(folder / order_name(generation))
    return Written(segments, checksums, len(new))


def _placements(segments: list[Segment], new: np.ndarray) -> Iterator[tuple[np.ndarray, int, int]]:
    """Where new texts go: (which of them, segment number, its first number in the segment),
    the last segment filled up before new ones are begun."""
    done, count = 0, len(new)
    if segments and segments[-1].size < ngrams.SEGMENT and count:
        room = min(ngrams.SEGMENT - segments[-1].size, count)
        yield new[:room], len(segments) - 1, segments[-1].size
        done = room
    number = len(segments)
    while done < count:
        take = min(ngrams.SEGMENT, count - done)
        yield new[done : done + take], number, 0
        done += take
        number += 1


def _write_segment(
    folder: Path,
    name: str,
    extended: Segment | None,
    keys: list[Key],
    texts: list[str],
    grams: np.ndarray,
) -> Segment:
    """A segment of the texts given (``grams``: their postings, numbered on from the texts
    ``extended`` holds), or ``extended`` with them after its own."""
    folded = pa.array(texts, pa.large_string())
    titles = pc.list_element(pc.split_pattern(folded, "\n", max_splits=1), 0)
    columns: list[Any] = [
        pa.array([k[0] for k in keys], pa.string()), pa.array([k[1] for k in keys], pa.string()),
        pa.array([k[2] for k in keys], pa.int32()), folded, titles.cast(pa.large_string()),
    ]  # fmt: skip
    batch = pa.record_batch(columns, SEGMENT_SCHEMA)
    # Titles are a line each: turned into postings here, where a task's trip would cost more.
    first = extended.size if extended is not None else 0
    title_grams = ngrams.segment_grams(titles.to_pylist(), first)
    if extended is not None:  # old texts first, their runs merged with the new texts' runs
        old = _open_segment(folder, extended)
        batch = pa.concat_batches([old.batch, batch])
        grams = ngrams.merged(old.grams, grams)
        title_grams = ngrams.merged(old.title_grams, title_grams)
    segment = Segment(name, batch.num_rows)
    _write_batch(folder / segment.files()[0], batch)
    np.save(folder / segment.files()[1], grams, allow_pickle=False)
    np.save(folder / segment.files()[2], title_grams, allow_pickle=False)
    return segment


def _write_batch(path: Path, batch: pa.RecordBatch) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, batch.schema) as writer:
        writer.write_batch(batch)


def _segment_keys(folder: Path, segment: Segment) -> Iterable[Key]:
    batch = _open_segment(folder, segment).batch
    return zip(*(batch.column(c).to_pylist() for c in range(3)), strict=True)


def keys_holding(
    folder: Path, segments: list[Segment], checksums: dict[str, int], terms: Sequence[str]
) -> set[Key]:
    """The keys of the articles whose folded text, in a generation's segments, holds one of
    the terms (through the index: an update asks which articles name an alias that moved to
    another entity, and reading every text to find out took most of a second at 20,000)."""
    check_files(folder, [name for s in segments for name in s.files()], checksums)
    opened = [_open_segment(folder, s) for s in segments]
    index = ngrams.GramIndex(tuple(o.grams for o in opened), tuple(s.size for s in segments))
    texts = Segments([o.batch.column(FOLDED) for o in opened])
    found: set[int] = set()
    for term in terms:
        if not term:  # the empty term is in every text
            return {k for s in segments for k in _segment_keys(folder, s)}
        found.update(ngrams.search(index, term, texts.hold).tolist())
    keys: set[Key] = set()
    for _, segment, local in by_segment(np.array(sorted(found), dtype=np.int64)):
        batch = opened[segment].batch
        keys.update(zip(*(batch.column(c).take(local).to_pylist() for c in range(3)), strict=True))
    return keys


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Opened:
    batch: pa.RecordBatch
    grams: np.ndarray
    title_grams: np.ndarray
    areas: tuple[mmap.mmap, ...]


def _open_segment(folder: Path, segment: Segment) -> _Opened:
    texts, grams, titles = segment.files()
    area = mapped(folder / texts)
    reader = pa.ipc.open_file(pa.py_buffer(area))
    if reader.schema != SEGMENT_SCHEMA or reader.num_record_batches != 1:
        raise ValueError(f"{texts} is not a segment of texts")
    batch = reader.get_batch(0)
    runs = [np.load(folder / name, mmap_mode="r", allow_pickle=False) for name in (grams, titles)]
    if batch.num_rows != segment.size or any(r.dtype != np.uint64 or r.ndim != 1 for r in runs):
        raise ValueError(f"{segment.name} is not the segment meta.json describes")
    return _Opened(batch, runs[0], runs[1], (area, *(r._mmap for r in runs)))  # type: ignore[attr-defined]


def crc32(path: Path) -> int:
    """The CRC-32 of a file, computed over its mapping (no copy into the process)."""
    if path.stat().st_size == 0:
        return zlib.crc32(b"")
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as area:
        return zlib.crc32(area)


def check_files(folder: Path, names: Sequence[str], checksums: dict[str, int]) -> None:
    """ValueError unless each file has its checksum. The files are checked two at a time: zlib
    lets go of the interpreter while it sums, and at 100,000 articles there is near a gigabyte
    to sum before a server can answer."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        sums = dict(zip(names, pool.map(lambda name: crc32(folder / name), names), strict=True))
    for name, value in sums.items():
        if value != checksums.get(name):
            raise ValueError(f"{name} does not match its checksum")


def open_store(
    folder: Path, generation: int, segments: list[Segment], checksums: dict[str, int]
) -> SearchStore:
    """The store of a generation, mapped; ValueError if a file is not what was written."""
    names = [order_name(generation), *(name for s in segments for name in s.files())]
    check_files(folder, names, checksums)
    opened = [_open_segment(folder, s) for s in segments]
    area = mapped(folder / order_name(generation))
    reader = pa.ipc.open_file(pa.py_buffer(area))
    if reader.schema != ORDER_SCHEMA or reader.num_record_batches != 1:
        raise ValueError(f"{order_name(generation)} is not a search order")
    order = reader.get_batch(0)
    to_store = order.column(1).to_numpy()
    segment, local = to_store >> ngrams.SEGMENT_BITS, to_store & (ngrams.SEGMENT - 1)
    sizes = np.array([s.size for s in segments] or [0], dtype=np.int64)
    if len(to_store) and (
        to_store.min() < 0
        or segment.max() >= len(segments)
        or (local >= sizes[segment]).any()
        or len(np.unique(to_store)) != len(to_store)
    ):
        raise ValueError("the search order names texts the store does not hold")
    areas = tuple(a for o in opened for a in o.areas)

    def searchable(column: int, runs: list[np.ndarray]) -> Searchable:
        texts = Texts(Segments([o.batch.column(column) for o in opened]), to_store)
        # Plain arrays over the mapped pages: every slice of a np.memmap is a memmap again,
        # and its bookkeeping was a third of looking a key up in a segment.
        plain = tuple(run.view(np.ndarray) for run in runs)
        index = ngrams.GramIndex(plain, tuple(s.size for s in segments))
        return Searchable(texts, index, areas)

    return SearchStore(
        order.column(0),
        searchable(FOLDED, [o.grams for o in opened]),
        searchable(TITLE, [o.title_grams for o in opened]),
    )


def mapped(path: Path) -> mmap.mmap:
    """A file mapped read-only (the mapping outlives the file object: it holds its own)."""
    with path.open("rb") as file:
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
