"""The tables a server opens: the article rows and the events exactly as the dashboard holds
them, written with each generation, so that a start maps two files instead of rebuilding them.

- ``rows-G.arrow``: one row per article in the dashboard's order (publication order): its id,
  outlet, title, URL, publication date, entities and repost link, and where its body lies (part
  number, row in the part) for the drill-down (bodies.PartBodies).
- ``served-G.arrow``: one row per event with its article's row (``article_pos``), the
  outlet, kind and precision dictionary-encoded (pandas categories when read).

Both are uncompressed Arrow IPC files of one record batch, memory-mapped when read: the
frames' text and list columns are the mapped pages themselves (the page cache's, one copy for
every worker) and opening costs no decoding (reading them as Parquet took 0.5–1.2 s at
100,000 articles). Arrow IPC has no checksums, so meta.json keeps a CRC-32 of each file,
checked when they are opened, as for the search files.

Lists (entities) are read as Arrow lists, not as Python lists: 400,000 events' lists of ids
cost a second to build and a hundred megabytes to hold as Python objects.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.parsing import textstore
from dashboard.parsing.across import Linked
from dashboard.parsing.bodies import PartBodies, Places
from dashboard.parsing.entities import Entity, EntityIndex
from dashboard.parsing.events import EVENT_COLUMNS
from dashboard.parsing.parts import live_columns
from dashboard.parsing.store import CorpusData, outlet_table, publication_order
from dashboard.parsing.textstore import SearchStore

ROW_READ = ["outlet", "outlet_zh", "outlet_en", "title", "url", "published_instant",
            "published_precision", "published_source", "published_evidence",
            "published_inferred", "repost_of", "language", "script", "byline"]  # fmt: skip
ROW_NAMES = {
    "published_instant": "published",
    **{f"published_{c}": c for c in ("precision", "source", "evidence", "inferred")},
}
CATEGORIES = ("outlet", "kind", "precision")
_IDS = pa.list_(pa.string())


def file_names(generation: int) -> dict[str, str]:
    return {"rows": f"rows-{generation}.arrow", "served": f"served-{generation}.arrow"}


def write(
    folder: Path,
    generation: int,
    parts: dict[str, Any],
    where: tuple[pa.Array, pa.Array],
    linked: Linked,
    have: tuple[pa.Table, pa.Table] | None = None,
) -> tuple[pa.Array, pa.Array, dict[str, int]]:
    """Write the served tables of a generation (``where``: the live articles' and events'
    positions in the parts, from parts.live_table); the live articles' positions in the
    dashboard's order, their ids in that order (for the search store), and the CRC-32 of
    each file written, by name. ``have``: the live articles' and events' columns already read
    by live_table, not read again."""
    names = file_names(generation)
    at, event_at = where
    articles_read, events_read = have if have is not None else (None, None)
    rows = live_columns(folder, parts, "articles", ROW_READ, at, articles_read)
    display = publication_rows(rows.column("published_instant"))
    part, row = locations(parts, at)
    ids = pa.array(linked.final_ids, pa.string())
    table = pa.table({
        "id": ids,
        **{ROW_NAMES.get(c, c): rows.column(c) for c in ROW_READ},
        "entities": linked.article_entities,
        "repost_of_id": pa.array(linked.reposts, pa.string()),
        "part": pa.array(part, pa.int32()), "row": pa.array(row, pa.int64()),
    }).take(display)  # fmt: skip
    _write_ipc(table, folder / names["rows"])
    events = live_columns(folder, parts, "events", list(EVENT_COLUMNS), event_at, events_read)
    # Each event's article, as its row in the dashboard's order.
    rank = np.empty(len(display), dtype=np.int64)
    rank[display.to_numpy()] = np.arange(len(display))
    columns = {c: events.column(c) for c in EVENT_COLUMNS}
    for name in CATEGORIES:
        columns[name] = pc.dictionary_encode(columns[name])
    served = pa.table({
        **columns, "id": linked.event_ids, "article": linked.event_articles,
        "entities": linked.event_entities, "story": linked.stories,
        "article_pos": pa.array(rank[linked.event_rows], pa.int64()),
    })  # fmt: skip
    _write_ipc(served, folder / names["served"])
    sums = {name: textstore.crc32(folder / name) for name in names.values()}
    return display, table.column("id").combine_chunks(), sums


def _write_ipc(table: pa.Table, path: Path) -> None:
    """A table as one uncompressed record batch (so that a column, read, is one chunk)."""
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table.combine_chunks())


def _read_ipc(path: Path) -> pa.Table:
    """A table written by _write_ipc, over the file's mapping (no copy)."""
    reader = pa.ipc.open_file(pa.py_buffer(textstore.mapped(path)))
    return reader.read_all()


def publication_rows(instants: pa.ChunkedArray) -> pa.Array:
    """The live articles' positions in publication order (ties in corpus order), as the
    dashboard's rows are (store.publication_order)."""
    frame = pd.DataFrame({"published": instants.to_pandas(), "row": range(len(instants))})
    return pa.array(publication_order(frame.assign(id=frame["row"]))["row"].to_numpy())


def locations(parts: dict[str, dict[str, int]], at: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Each row's part (its number in ``parts``) and row in it, from its position in the parts
    read one after another."""
    firsts = np.cumsum([0, *(rows["articles"] for rows in parts.values())])
    positions = at.to_numpy()
    numbers = np.searchsorted(firsts, positions, side="right") - 1
    return numbers, positions - firsts[numbers]


def _lists(kind: pa.DataType) -> pd.ArrowDtype | None:
    return pd.ArrowDtype(kind) if pa.types.is_list(kind) else None


def read(
    folder: Path,
    meta: dict[str, Any],
    store: SearchStore,
    on_damage: Callable[[str], None],
) -> CorpusData:
    """CorpusData of a generation from its served tables (ValueError if one is not what was
    written)."""
    names = meta["names"]
    textstore.check_files(folder, [names["rows"], names["served"]], meta["checksums"])
    rows_table = _read_ipc(folder / names["rows"])
    if not rows_table.column("id").combine_chunks().equals(store.ids):
        raise ValueError("the search texts are not in the order of the articles")
    # One chunk per column (one record batch): Arrow's take from a column of several chunks
    # joins them first, 20 ms for the sentences of 1,500 events at 100,000 articles, against
    # half a millisecond from one chunk.
    rows = rows_table.to_pandas(types_mapper=_lists)
    articles = rows.drop(columns=["part", "row"]).set_index("id", drop=False)
    places = Places(articles.index, rows["part"].to_numpy(), rows["row"].to_numpy())
    events = _read_ipc(folder / names["served"]).to_pandas(types_mapper=_lists)
    entities = [Entity.of(e) for e in meta["entities"]]
    return CorpusData(
        articles=articles,
        events=events,
        bodies=PartBodies(folder, list(meta["parts"]), places, on_damage),
        search=store.search,
        titles=store.titles,
        outlets=outlet_table(articles),
        skipped=len(meta["skipped"]),
        entities=EntityIndex({e.id: e for e in entities}),
    )
