"""The search side of a cache generation: folded texts and their n-gram index, as files that
every server process memory-maps instead of holding its own copy.

- ``texts-G.arrow``: one Arrow IPC record batch, uncompressed, of (id, folded, title) in the
  order of the dashboard's article rows (publication order). Mapped, a text costs nothing until
  a search reads it, and the pages are the operating system's, shared by every worker; after
  each search they are unmapped again (Searchable.release), so a worker does not hold them.
- ``grams-G.npy`` and ``gramstarts-G.npy``: the ngrams.GramIndex of those texts;
  ``titlegrams-G.npy`` and ``titlestarts-G.npy``: the index of their first lines (the titles,
  a column of the texts file), so that a search's title hits, which rank first in the list,
  come from an index too and not from reading every matching text.

Neither format has checksums of its own, so the generation's meta.json keeps a CRC-32 of each
file, checked when the store is opened: a damaged file is found out, never searched.
"""

from __future__ import annotations

import mmap
import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.parsing import ngrams

TEXTS_SCHEMA = pa.schema(
    [("id", pa.string()), ("folded", pa.large_string()), ("title", pa.large_string())]
)


class Texts(Sequence[str]):
    """Folded texts over an Arrow string array (mapped from a file, or built in memory)."""

    def __init__(self, array: pa.Array) -> None:
        self._array = array

    @classmethod
    def of(cls, texts: Sequence[str]) -> Texts:
        return cls(pa.array(list(texts), pa.large_string()))

    def __len__(self) -> int:
        return len(self._array)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return self._array[index].to_pylist()  # type: ignore[no-any-return]
        return self._array[index].as_py()  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self._array), 4096):
            yield from self._array[start : start + 4096].to_pylist()

    def hold(self, numbers: np.ndarray, term: str) -> np.ndarray:
        """Whether each text at ``numbers`` holds ``term``: its UTF-8 bytes searched where they
        lie (a substring of UTF-8 text is a substring of its bytes), never decoded into
        Python strings, which took four times as long on the mapped texts."""
        offsets, data = self._raw()
        wanted = term.encode("utf-8")
        starts, ends = offsets[numbers].tolist(), offsets[numbers + 1].tolist()
        return np.fromiter(
            (wanted in data[a:b].tobytes() for a, b in zip(starts, ends, strict=True)),
            dtype=bool,
            count=len(starts),
        )

    def counts(self, numbers: np.ndarray, terms: list[str]) -> np.ndarray:
        """How many times the terms occur in each text at ``numbers``."""
        offsets, data = self._raw()
        wanted = [term.encode("utf-8") for term in terms]
        starts, ends = offsets[numbers].tolist(), offsets[numbers + 1].tolist()
        if len(wanted) == 1:  # the usual search: one term, one count a text
            [term] = wanted
            found = (data[a:b].tobytes().count(term) for a, b in zip(starts, ends, strict=True))
        else:
            found = (
                sum(text.count(w) for w in wanted)
                for text in (data[a:b].tobytes() for a, b in zip(starts, ends, strict=True))
            )
        return np.fromiter(found, dtype=np.int64, count=len(starts))

    def _raw(self) -> tuple[np.ndarray, memoryview]:
        array = self._array
        _, offsets, data = array.buffers()
        first = array.offset
        ends = np.frombuffer(offsets, dtype=np.int64)[first : first + len(array) + 1]
        return ends, memoryview(data) if data is not None else memoryview(b"")


@dataclass(frozen=True)
class Searchable:
    """Texts and their n-gram index; ``mapped``: the files they are mapped from, if any."""

    texts: Texts
    index: ngrams.GramIndex
    mapped: tuple[mmap.mmap, ...] = ()

    @classmethod
    def of(cls, texts: Sequence[str]) -> Searchable:
        return cls(Texts.of(texts), ngrams.build(texts))

    def __len__(self) -> int:
        return len(self.texts)

    def holding(self, term: str) -> np.ndarray:
        """The sorted numbers of the texts that hold a folded term."""
        try:
            return ngrams.search(self.index, term, self.texts.hold)
        finally:
            self.release()

    def counts(self, numbers: np.ndarray, terms: list[str]) -> np.ndarray:
        """How many times the terms occur in each text at ``numbers``."""
        try:
            return self.texts.counts(numbers, terms)
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


def file_names(generation: int) -> dict[str, str]:
    return {
        "texts": f"texts-{generation}.arrow",
        "grams": f"grams-{generation}.npy",
        "gramstarts": f"gramstarts-{generation}.npy",
        "titlegrams": f"titlegrams-{generation}.npy",
        "titlestarts": f"titlestarts-{generation}.npy",
    }


def write(
    folder: Path, generation: int, ids: pa.Array, folded: pa.Array | pa.ChunkedArray
) -> dict[str, int]:
    """Write the store of a generation (``ids`` and ``folded`` in article-row order); the
    CRC-32 of each file written, by name."""
    names = file_names(generation)
    if isinstance(folded, pa.ChunkedArray):
        folded = folded.combine_chunks()
    folded = folded.cast(pa.large_string())
    titles = pc.list_element(pc.split_pattern(folded, "\n", max_splits=1), 0)
    columns = [ids.cast(pa.string()), folded, titles.cast(pa.large_string())]
    batch = pa.record_batch(columns, TEXTS_SCHEMA)
    with (
        pa.OSFile(str(folder / names["texts"]), "wb") as sink,
        pa.ipc.new_file(sink, TEXTS_SCHEMA) as writer,
    ):
        writer.write_batch(batch)
    for column, grams, starts in ((1, "grams", "gramstarts"), (2, "titlegrams", "titlestarts")):
        index = ngrams.build(Texts(batch.column(column)))
        np.save(folder / names[grams], index.grams, allow_pickle=False)
        np.save(folder / names[starts], index.starts, allow_pickle=False)
    return {name: crc32(folder / name) for name in names.values()}


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


def open_store(folder: Path, generation: int, checksums: dict[str, int]) -> SearchStore:
    """The store of a generation, mapped; ValueError if a file is not what was written."""
    names = file_names(generation)
    check_files(folder, list(names.values()), checksums)
    texts_area = mapped(folder / names["texts"])
    reader = pa.ipc.open_file(pa.py_buffer(texts_area))
    if reader.schema != TEXTS_SCHEMA or reader.num_record_batches != 1:
        raise ValueError(f"{names['texts']} is not a texts file")
    batch = reader.get_batch(0)

    def searchable(column: int, grams_name: str, starts_name: str) -> Searchable:
        grams = np.load(folder / names[grams_name], mmap_mode="r", allow_pickle=False)
        starts = np.load(folder / names[starts_name], allow_pickle=False)
        if grams.dtype != np.uint64 or starts.dtype != np.int64 or starts[-1] != len(grams):
            raise ValueError("the n-gram index is not this store's")
        index = ngrams.GramIndex(grams, starts, batch.num_rows)
        return Searchable(Texts(batch.column(column)), index, (texts_area, grams._mmap))

    return SearchStore(
        batch.column(0),
        searchable(1, "grams", "gramstarts"),
        searchable(2, "titlegrams", "titlestarts"),
    )


def mapped(path: Path) -> mmap.mmap:
    """A file mapped read-only (the mapping outlives the file object: it holds its own)."""
    with path.open("rb") as file:
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
