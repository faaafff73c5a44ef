"""Article records read from the cache's parts when they are asked for, not held in memory.

A served corpus needs an article's body (its HTML, text and sentences) only when its panel
opens or an export asks for it; the bodies are most of a corpus's size. ``PartBodies`` is the
``id → Article`` mapping of the dashboard, answered by reading the row group that holds the
article (a batch of files, a few milliseconds) and keeping the last few row groups read.
"""

from __future__ import annotations

import bisect
import itertools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.parsing.articles import Article, Published
from dashboard.parsing.parts import part_file

BODY_COLUMNS = [
    "source_path", "format", "outlet", "outlet_zh", "outlet_en", "title", "url",
    "published_instant", "published_precision", "published_source", "published_evidence",
    "published_inferred", "repost_of", "language", "script", "byline", "encoding", "text",
    "sentences", "images", "html",
]  # fmt: skip
KEPT_GROUPS = 8


class DamagedCache(ValueError):
    """A body's pages in the cache fail their checksums (or cannot be read at all)."""


class Places(Mapping[str, tuple[int, int]]):
    """Where each article's body lies, (part number, row), by id: over the id index of the
    article rows and two integer arrays, not a dictionary of 100,000 Python tuples built at
    every start."""

    def __init__(self, ids: pd.Index, parts: np.ndarray, rows: np.ndarray) -> None:
        if not ids.is_unique or not len(ids) == len(parts) == len(rows):
            raise ValueError("places need one part and row for each of distinct ids")
        self._ids, self._parts, self._rows = ids, parts, rows

    def __getitem__(self, article_id: str) -> tuple[int, int]:
        if not isinstance(article_id, str):
            raise KeyError(article_id)
        at = self._ids.get_loc(article_id)
        return int(self._parts[at]), int(self._rows[at])

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and article_id in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class PartBodies(Mapping[str, Article]):
    """Articles by final id; ``where`` gives each one's part (a name of ``parts``) and row.
    A row group that fails its page checksums raises DamagedCache after ``on_damage`` (which
    discards the generation, so that the next start rebuilds it)."""

    def __init__(
        self,
        folder: Path,
        parts: Sequence[str],
        where: Mapping[str, tuple[int, int]],
        on_damage: Callable[[str], None],
    ):
        self._folder = folder
        self._on_damage = on_damage
        self._parts = list(parts)
        self._where = where
        self._lock = threading.Lock()
        self._opened: tuple[int, list[pq.ParquetFile], list[list[int]]] | None = None
        self._kept: OrderedDict[tuple[int, int], pa.Table] = OrderedDict()

    def __getitem__(self, article_id: str) -> Article:
        part, row = self._where[article_id]
        try:
            with self._lock:
                table, offset = self._row_group(part, row)
        except (OSError, pa.ArrowException) as exc:
            reason = f"the cache's copy of {article_id!r} is damaged: {exc}"
            self._on_damage(reason)
            raise DamagedCache(reason) from exc
        return article_of(table.slice(offset, 1).to_pylist()[0], article_id)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def _files(self) -> tuple[list[pq.ParquetFile], list[list[int]]]:
        # Opened in the process that reads (a gunicorn worker, not the master that forked it).
        if self._opened is None or self._opened[0] != os.getpid():
            files = [
                pq.ParquetFile(
                    self._folder / part_file(p, "articles"), page_checksum_verification=True
                )
                for p in self._parts
            ]
            firsts = []
            for file in files:
                sizes = [file.metadata.row_group(g).num_rows for g in range(file.num_row_groups)]
                firsts.append([0, *itertools.accumulate(sizes)][:-1])
            self._opened = (os.getpid(), files, firsts)
            self._kept.clear()
        return self._opened[1], self._opened[2]

    def _row_group(self, part: int, row: int) -> tuple[pa.Table, int]:
        files, firsts = self._files()
        group = bisect.bisect_right(firsts[part], row) - 1
        table = self._kept.get((part, group))
        if table is None:
            table = files[part].read_row_group(group, BODY_COLUMNS, use_threads=False)
            self._kept[(part, group)] = table
            if len(self._kept) > KEPT_GROUPS:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end((part, group))
        return table, row - firsts[part][group]


def article_of(row: dict[str, Any], final_id: str) -> Article:
    """The Article of a parts row (its id: the final one, unique in the corpus)."""
    published = Published(
        instant=row.pop("published_instant"), precision=row.pop("published_precision"),
        source=row.pop("published_source"), evidence=row.pop("published_evidence"),
        inferred=bool(row.pop("published_inferred")),
    )  # fmt: skip
    row["id"] = final_id
    row["sentences"] = tuple(row["sentences"] or ())
    row["images"] = tuple(row["images"] or ())
    return Article(published=published, **row)
