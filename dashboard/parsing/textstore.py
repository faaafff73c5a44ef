"""The search side of a cache generation: folded texts and their n-gram index, as files that
every server process memory-maps instead of holding its own copy.

- ``texts-G.arrow``: one Arrow IPC record batch, uncompressed, of (id, folded) in the order of
  the dashboard's article rows (publication order). Mapped, a text costs nothing until a search
  reads it, and the pages are the operating system's, shared by every worker.
- ``grams-G.npy`` and ``gramstarts-G.npy``: the ngrams.GramIndex of those texts.

Neither format has checksums of its own, so the generation's meta.json keeps a CRC-32 of each
file, checked when the store is opened: a damaged file is found out, never searched.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np
import pyarrow as pa

from dashboard.parsing import ngrams

TEXTS_SCHEMA = pa.schema([("id", pa.string()), ("folded", pa.large_string())])
CHUNK = 1 << 20  # bytes read at a time for a checksum


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

    def relevance(self, numbers: np.ndarray, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """For each text at ``numbers``: whether its first line (the title) holds one of the
        terms, and how many times they occur in it."""
        offsets, data = self._raw()
        wanted = [term.encode("utf-8") for term in terms]
        titles, counts = [], []
        for a, b in zip(offsets[numbers].tolist(), offsets[numbers + 1].tolist(), strict=True):
            text = data[a:b].tobytes()
            title = text[: text.find(b"\n")] if b"\n" in text else text
            titles.append(any(w in title for w in wanted))
            counts.append(sum(text.count(w) for w in wanted))
        return np.array(titles, dtype=bool), np.array(counts, dtype=np.int64)

    def _raw(self) -> tuple[np.ndarray, memoryview]:
        array = self._array
        _, offsets, data = array.buffers()
        first = array.offset
        ends = np.frombuffer(offsets, dtype=np.int64)[first : first + len(array) + 1]
        return ends, memoryview(data) if data is not None else memoryview(b"")


@dataclass(frozen=True)
class SearchStore:
    ids: pa.Array
    texts: Texts
    index: ngrams.GramIndex


def file_names(generation: int) -> dict[str, str]:
    return {
        "texts": f"texts-{generation}.arrow",
        "grams": f"grams-{generation}.npy",
        "gramstarts": f"gramstarts-{generation}.npy",
    }


def write(
    folder: Path, generation: int, ids: pa.Array, folded: pa.Array | pa.ChunkedArray
) -> dict[str, int]:
    """Write the store of a generation (``ids`` and ``folded`` in article-row order); the
    CRC-32 of each file written, by name."""
    names = file_names(generation)
    if isinstance(folded, pa.ChunkedArray):
        folded = folded.combine_chunks()
    batch = pa.record_batch([ids.cast(pa.string()), folded.cast(pa.large_string())], TEXTS_SCHEMA)
    with (
        pa.OSFile(str(folder / names["texts"]), "wb") as sink,
        pa.ipc.new_file(sink, TEXTS_SCHEMA) as writer,
    ):
        writer.write_batch(batch)
    texts = Texts(batch.column(1))
    index = ngrams.build(texts)
    np.save(folder / names["grams"], index.grams, allow_pickle=False)
    np.save(folder / names["gramstarts"], index.starts, allow_pickle=False)
    return {name: crc32(folder / name) for name in names.values()}


def crc32(path: Path) -> int:
    value = 0
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            value = zlib.crc32(chunk, value)
    return value


def open_store(folder: Path, generation: int, checksums: dict[str, int]) -> SearchStore:
    """The store of a generation, mapped; ValueError if a file is not what was written."""
    names = file_names(generation)
    for name in names.values():
        if crc32(folder / name) != checksums.get(name):
            raise ValueError(f"{name} does not match its checksum")
    source = pa.memory_map(str(folder / names["texts"]), "r")
    reader = pa.ipc.open_file(source)
    if reader.schema != TEXTS_SCHEMA or reader.num_record_batches != 1:
        raise ValueError(f"{names['texts']} is not a texts file")
    batch = reader.get_batch(0)
    grams = np.load(folder / names["grams"], mmap_mode="r", allow_pickle=False)
    starts = np.load(folder / names["gramstarts"], allow_pickle=False)
    if grams.dtype != np.uint64 or starts.dtype != np.int64 or starts[-1] != len(grams):
        raise ValueError("the n-gram index is not this store's")
    index = ngrams.GramIndex(grams, starts, batch.num_rows)
    return SearchStore(batch.column(0), Texts(batch.column(1)), index)
