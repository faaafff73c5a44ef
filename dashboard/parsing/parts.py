"""Per-file results as columns: what workers send back, and the Parquet parts of the cache.

A worker turns its batch of files into three Arrow tables (articles, events, files) so the
process that writes the cache only appends them to a part as row groups: memory stays bounded
by the batch. Every row names its file and the file's content hash; a part is never rewritten
in place, so a file that is unchanged keeps its rows where they are and an incremental update
writes only the files it parsed.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.parsing.articles import Article
from dashboard.parsing.corpus import Skipped
from dashboard.parsing.events import DATE_COLUMNS, EVENT_COLUMNS, Event
from dashboard.parsing.faults import Degraded
from dashboard.parsing.ingest import Dated, date_data
from dashboard.parsing.reposts import copy_key

KINDS = ("articles", "events", "files")
_TEXT = pa.string()
_TEXTS = pa.list_(pa.string())
_WHERE = [("part", _TEXT), ("file", _TEXT), ("hash", _TEXT), ("n", pa.int32())]
ARTICLE_SCHEMA = pa.schema(
    [
        *_WHERE,
        *[(name, _TEXT) for name in ("id", "source_path", "format", "outlet", "outlet_zh")],
        *[(name, _TEXT) for name in ("outlet_en", "title", "url")],
        ("published_instant", pa.timestamp("us", tz="UTC")),
        *[(f"published_{name}", _TEXT) for name in ("precision", "source", "evidence")],
        ("published_inferred", pa.bool_()),
        *[(name, _TEXT) for name in ("repost_of", "language", "script", "byline", "encoding")],
        ("text", _TEXT),
        ("sentences", _TEXTS),
        ("images", _TEXTS),
        ("html", _TEXT),
        ("folded", _TEXT),
        ("names", pa.list_(_TEXTS)),  # [Chinese name, original] pairs, for learning entities
        ("copy_key", _TEXT),  # the opening near copies share (stories.copy_key)
    ]
)
_DAY = pa.timestamp("us")
EVENT_SCHEMA = pa.schema(
    [
        *_WHERE,
        *[(name, _TEXT) for name in ("id", "article", "outlet", "kind")],
        ("start", _DAY),
        ("end", _DAY),
        *[(name, _TEXT) for name in ("precision", "expression", "sentence", "tense", "detail")],
        ("offset", pa.int64()),
        ("reference", _DAY),
        ("reference_precision", _TEXT),
        ("inferred", pa.bool_()),
    ]
)
# Report lines as JSON text: a few per file at most, read back only to rebuild the report.
FILE_SCHEMA = pa.schema(
    [
        *_WHERE[:3],
        ("articles", pa.int32()),
        *[(name, _TEXT) for name in ("skipped", "degraded", "event_notes", "search_notes")],
    ]
)
SCHEMAS = {"articles": ARTICLE_SCHEMA, "events": EVENT_SCHEMA, "files": FILE_SCHEMA}


@dataclass(frozen=True)
class PartsBatch:
    """Files for one task: (path relative to the corpus, content hash, bytes); the time zone;
    and the part the rows will be written to."""

    files: tuple[tuple[str, str, bytes], ...]
    default_tz: str
    part: str


@dataclass
class Tables:
    """Rows for a part: one table per kind. Sent between processes as one Arrow IPC stream
    per kind (uncompressed: lz4 shrinks Chinese text only by a third and cost more than it
    saved): pickled as they are, a batch's tables are about 20 kB a file (the text is
    in them four times: text, sentences, body, folded) in hundreds of buffers, which a Dask
    client moved at 42 ms of its CPU a 128-file batch, against 23 ms as three streams."""

    articles: pa.Table
    events: pa.Table
    files: pa.Table

    def get(self, kind: str) -> pa.Table:
        table: pa.Table = getattr(self, kind)
        return table

    def __reduce__(self) -> tuple[object, tuple[bytes, ...]]:
        return _tables_from, tuple(_stream(self.get(kind)) for kind in KINDS)


def _stream(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _tables_from(*streams: bytes) -> Tables:
    return Tables(*(pa.ipc.open_stream(data).read_all() for data in streams))


def parts_batch(batch: PartsBatch) -> Tables:
    """The work of one task on any engine: read and date each file, as columns."""
    results = [
        (rel, digest, date_data(data, rel, batch.default_tz)) for rel, digest, data in batch.files
    ]
    return tables_of(results, batch.part)


def tables_of(results: Sequence[tuple[str, str, Dated]], part: str) -> Tables:
    """The rows of files read and dated, for the part named ``part``."""
    article_rows: list[dict[str, object]] = []
    events: list[Event] = []
    event_where: list[tuple[str, str, int]] = []
    file_rows: list[dict[str, object]] = []
    for rel, digest, dated in results:
        for n, article in enumerate(dated.found.articles):
            row = article_row(article)
            row.update(part=part, file=rel, hash=digest, n=n, folded=dated.folded[n])
            row["names"] = [list(pair) for pair in dated.names[n]]
            row["copy_key"] = copy_key(article.text)
            article_rows.append(row)
            events.extend(dated.events[n])
            event_where.extend((rel, digest, n) for _ in dated.events[n])
        file_rows.append(
            {
                "part": part, "file": rel, "hash": digest,
                "articles": len(dated.found.articles),
                "skipped": _lines(s.as_dict() for s in dated.found.skipped),
                "degraded": _lines(d.as_dict() for d in dated.found.degraded),
                "event_notes": _lines(d.as_dict() for d in dated.notes),
                "search_notes": _lines(d.as_dict() for d in dated.search_notes),
            }
        )  # fmt: skip
    return Tables(
        articles=_table(article_rows, ARTICLE_SCHEMA),
        events=_events_table(events, event_where, part),
        files=_table(file_rows, FILE_SCHEMA),
    )


def _table(rows: list[dict[str, object]], schema: pa.Schema) -> pa.Table:
    # By column: a third of the time of Table.from_pylist on these rows.
    return pa.table({name: [row[name] for row in rows] for name in schema.names}, schema=schema)


def _events_table(events: list[Event], where: list[tuple[str, str, int]], part: str) -> pa.Table:
    """The events as ``events_frame`` has them (days as midnight timestamps), built without
    pandas, which cost more than the rest of a batch's tables."""
    columns: dict[str, object] = {
        "part": [part] * len(events),
        "file": [w[0] for w in where],
        "hash": [w[1] for w in where],
        "n": [w[2] for w in where],
    }
    for name in EVENT_COLUMNS:
        values = [getattr(e, name) for e in events]
        columns[name] = pa.array(values, pa.date32()).cast(_DAY) if name in DATE_COLUMNS else values
    return pa.table(columns, schema=EVENT_SCHEMA)


def article_row(article: Article) -> dict[str, object]:
    """An Article as one flat row (the publication's fields prefixed `published_`)."""
    published = article.published
    return {
        "id": article.id, "source_path": article.source_path, "format": article.format,
        "outlet": article.outlet, "outlet_zh": article.outlet_zh, "outlet_en": article.outlet_en,
        "title": article.title, "url": article.url, "published_instant": published.instant,
        "published_precision": published.precision, "published_source": published.source,
        "published_evidence": published.evidence, "published_inferred": published.inferred,
        "repost_of": article.repost_of, "language": article.language, "script": article.script,
        "byline": article.byline, "encoding": article.encoding, "text": article.text,
        "sentences": list(article.sentences), "images": list(article.images),
        "html": article.html,
    }  # fmt: skip


def _lines(records: Iterable[dict[str, str]]) -> str:
    return json.dumps(list(records), ensure_ascii=False)


def skipped_of(text: str) -> list[Skipped]:
    if text == "[]":  # nearly every file: not worth a JSON parse
        return []
    return [Skipped(r["path"], r["reason"]) for r in json.loads(text)]


def degraded_of(text: str) -> list[Degraded]:
    if text == "[]":
        return []
    return [Degraded(r["path"], r["stage"], r["error"]) for r in json.loads(text)]


# Articles per row group, at most: a panel reads its article's whole row group (bodies.py), so a
# compaction, which writes a part's live rows at once, must not make one group of the corpus
# (20,402 articles, 296 MB, read for every panel, after 79,589 files were removed).
GROUP_ROWS = {"articles": 128}


class PartWriter:
    """One part being written: a Parquet file per kind, one row group per batch, with page
    checksums so that a part damaged on disk is found out when it is read, never trusted."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name = name
        self.paths = {kind: folder / part_file(name, kind) for kind in KINDS}
        self._writers = {
            kind: pq.ParquetWriter(path, SCHEMAS[kind], write_page_checksum=True)
            for kind, path in self.paths.items()
        }
        self.rows = dict.fromkeys(KINDS, 0)

    def write(self, tables: Tables) -> None:
        for kind, writer in self._writers.items():
            table = tables.get(kind)
            if table.num_rows:
                writer.write_table(table, row_group_size=GROUP_ROWS.get(kind))
                self.rows[kind] += table.num_rows

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()


def part_file(name: str, kind: str) -> str:
    return f"{name}.{kind}.parquet"


def read_part(folder: Path, name: str, kind: str, columns: list[str] | None = None) -> pa.Table:
    """One kind of one part (a damaged page raises: the checksums are verified)."""
    # One thread, no pre-buffering: reading every column chunk ahead, on every core, held
    # about twice the table in buffers (+248 MB for the 72 MB of a 20,000-article part's
    # columns, against +123 MB this way), for a read that is a small part of an update.
    return pq.read_table(
        folder / part_file(name, kind),
        columns=columns,
        page_checksum_verification=True,
        use_threads=False,
        pre_buffer=False,
    )


def live_rows(table: pa.Table, order: pa.Table) -> pa.Table:
    """The rows of ``table`` whose (part, file, hash) is live, in corpus order: ``order`` has
    one row per live (part, file, hash) with its ``rank``; a file's rows keep their order."""
    return table.take(live_index(table, order))


def live_index(table: pa.Table, order: pa.Table) -> pa.Array:
    """The positions in ``table`` of the rows ``live_rows`` keeps, in its order."""
    numbered = table.select(["part", "file", "hash"]).append_column(
        "row", pa.array(range(table.num_rows), pa.int64())
    )
    joined = numbered.join(order, ["part", "file", "hash"], join_type="inner")
    ranked = pc.sort_indices(joined, sort_keys=[("rank", "ascending"), ("row", "ascending")])
    return joined.column("row").take(ranked).combine_chunks()


class PartsColumn(Sequence[str]):
    """One string column of the live rows (``positions``: where each is in the parts read one
    after another), read from the parts a row group at a time as rows are asked for: asked in
    corpus order, each row group is read once, and a corpus's folded texts are never all in
    memory at once (they were a fifth of a build's peak)."""

    def __init__(
        self, folder: Path, parts: Sequence[str], kind: str, column: str, positions: Sequence[int]
    ) -> None:
        self._column = column
        self._positions = positions
        self._files = [
            pq.ParquetFile(folder / part_file(part, kind), page_checksum_verification=True)
            for part in parts
        ]
        self._groups: list[tuple[int, int, int]] = []  # (first position, part, row group)
        first = 0
        for n, file in enumerate(self._files):
            for group in range(file.metadata.num_row_groups):
                self._groups.append((first, n, group))
                first += file.metadata.row_group(group).num_rows
        self._firsts = [g[0] for g in self._groups]
        self._read: dict[int, tuple[int, list[str]]] = {}  # part → (row group, its values)

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._at(p) for p in self._positions[index]]
        return self._at(self._positions[index])

    def __iter__(self) -> Iterator[str]:
        return (self._at(p) for p in self._positions)

    def _at(self, position: int) -> str:
        first, part, group = self._groups[bisect.bisect_right(self._firsts, position) - 1]
        read = self._read.get(part)
        if read is None or read[0] != group:  # one row group kept per part: parts interleave
            table = self._files[part].read_row_group(group, [self._column], use_threads=False)
            read = self._read[part] = (group, table.column(0).to_pylist())
        return read[1][position - first]


def order_table(manifest: Iterable[tuple[str, str, str]]) -> pa.Table:
    """The ``order`` of live_rows for (part, file, hash) in corpus order."""
    rows = list(manifest)
    columns = {name: pa.array([r[n] for r in rows], pa.string())
               for n, name in enumerate(("part", "file", "hash"))}  # fmt: skip
    return pa.table({**columns, "rank": pa.array(range(len(rows)), pa.int64())})


def event_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The events table as the dashboard uses it, from the events rows of parts."""
    return frame[list(EVENT_COLUMNS)]


def live_table(
    folder: Path,
    parts: dict[str, Any],
    order: pa.Table,
    kind: str,
    columns: list[str] | None = None,
) -> tuple[pa.Table, pa.Array]:
    """The live rows of one kind across every part, in corpus order (``columns``: all), and
    where each of them is in the parts read one after another."""
    if not parts:
        return _empty(kind, columns), pa.array([], pa.int64())
    read = pa.concat_tables([read_part(folder, p, kind, columns) for p in parts])
    at = live_index(read, order)
    return read.take(at), at


def live_columns(
    folder: Path,
    parts: dict[str, Any],
    kind: str,
    columns: list[str],
    at: pa.Array,
    have: pa.Table | None = None,
) -> pa.Table:
    """More columns of the rows a live_table gave (``at``: its positions), without finding
    the live rows again; columns of ``have`` (that live_table) are taken from it, not read
    again (the events' sentences, read twice, were a tenth of an update)."""
    held = have if have is not None else pa.table({})
    missing = [c for c in columns if c not in held.column_names]
    read = _empty(kind, missing)
    if parts and missing:
        read = pa.concat_tables([read_part(folder, p, kind, missing) for p in parts]).take(at)
    return pa.table({c: (read if c in missing else held).column(c) for c in columns})


def _empty(kind: str, columns: list[str] | None) -> pa.Table:
    schema = SCHEMAS[kind]
    if columns:
        schema = pa.schema([schema.field(c) for c in columns])
    return schema.empty_table()
