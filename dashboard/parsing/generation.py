"""One generation of the cache on disk: written, checked, compacted and read back.

A generation is ``meta.json`` (written last, by a rename: the commit), the manifest, the linked
tables and the parts it stands on; ``meta.json`` lists every one of them with its size, and the
Parquet files carry page checksums, so a generation is either whole and this code's or it is
not used at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.parsing import ngrams, served, textstore
from dashboard.parsing.across import Key, Linked, Previous, link, runs_of
from dashboard.parsing.engines import Engine
from dashboard.parsing.entities import Entity, aliases_of
from dashboard.parsing.faults import Degraded
from dashboard.parsing.parts import (
    KINDS,
    PartsColumn,
    PartWriter,
    Tables,
    degraded_of,
    live_rows,
    live_table,
    order_table,
    part_file,
    read_part,
    skipped_of,
)
from dashboard.parsing.store import CorpusData

SCHEMA = 4  # of the folder's layout; the code fingerprint covers the rest
META_FILE = "meta.json"
# Parts are compacted (live rows copied into one) past this many, or when most rows are dead.
MAX_PARTS = 12
MANIFEST_SCHEMA = pa.schema(
    [("file", pa.string()), ("size", pa.int64()), ("mtime_ns", pa.int64()),
     ("hash", pa.string()), ("part", pa.string())]
)  # fmt: skip
LINKED_ARTICLES = pa.schema(
    [("file", pa.string()), ("hash", pa.string()), ("n", pa.int32()), ("id", pa.string()),
     ("entities", pa.list_(pa.string())), ("repost_of_id", pa.string()),
     # the near-copy comparison this article had: the earlier article's key, and the verdict
     ("near_file", pa.string()), ("near_hash", pa.string()), ("near_n", pa.int32()),
     ("near_copy", pa.bool_())]
)  # fmt: skip
LINKED_EVENTS = pa.schema(
    [("file", pa.string()), ("hash", pa.string()), ("n", pa.int32()), ("id", pa.string()),
     ("article", pa.string()), ("entities", pa.list_(pa.string())), ("story", pa.string()),
     ("story_day", pa.timestamp("us"))]
)  # fmt: skip


@dataclass
class State:
    """The last generation, read and checked: its meta.json and its manifest."""

    meta: dict[str, Any]
    table: pa.Table = field(repr=False)  # the manifest (MANIFEST_SCHEMA)

    @cached_property
    def order(self) -> list[str]:
        """The manifest's files, in corpus order."""
        return self.table.column("file").to_pylist()  # type: ignore[no-any-return]

    def unchanged(self, files: list[str], stats: list[tuple[int, int]]) -> bool:
        """Whether these files, with these (size, mtime_ns), are the manifest's, in its order:
        compared as arrays (enough to see that nothing changed, the usual start)."""
        if files != self.order:
            return False
        seen = np.array(stats, dtype=np.int64).reshape(-1, 2)
        for n, column in enumerate(("size", "mtime_ns")):
            if not (seen[:, n] == self.table.column(column).to_numpy()).all():
                return False
        return True

    @cached_property
    def manifest(self) -> dict[str, tuple[int, int, str, str]]:
        """file → (size, mtime_ns, hash, part): built only when something changed."""
        columns = [self.table.column(c).to_pylist() for c in ("size", "mtime_ns", "hash", "part")]
        return dict(zip(self.order, zip(*columns, strict=True), strict=True))


@dataclass
class Committed:
    """What committing a generation did."""

    fingerprint: str
    articles: int
    events: int
    refound: int  # articles whose mentions were found (again)
    days: tuple[int, int]  # days whose stories were grouped (again), days with stories
    compacted: bool
    seconds: dict[str, float] = field(default_factory=dict)


ManifestRow = tuple[str, int, int, str, str]  # file, size, mtime_ns, content hash, part


def commit(
    folder: Path,
    state: State | None,
    manifest: list[ManifestRow],
    writer: PartWriter,
    not_entered: list[str],
    where: tuple[Path, str, str],
    engine: Engine,
) -> Committed:
    """Link the live rows across articles and write the next generation (``where``: the
    corpus root, the time zone and the code fingerprint it is for)."""
    root, tz, code = where
    part = writer.name
    generation = int(part[1:])
    parts = dict(state.meta["parts"]) if state else {}
    compacted = False
    if writer.rows["files"]:
        parts[part] = writer.rows
    else:  # nothing parsed: the empty part is not kept
        for path in writer.paths.values():
            path.unlink(missing_ok=True)
    live = {p for *_, p in manifest}
    parts = {name: rows for name, rows in parts.items() if name in live}
    if len(parts) > MAX_PARTS or sum(r["files"] for r in parts.values()) > 2 * max(
        len(manifest), 1
    ):
        name = f"p{generation:06d}c"
        parts, manifest = _compact(folder, parts, manifest, name), _moved(manifest, name)
        compacted = True
    t0 = time.perf_counter()
    seconds: dict[str, float] = {}
    order = order_table((p, rel, h) for rel, _, _, h, p in manifest)
    articles, at = live_table(folder, parts, order, "articles", ARTICLE_READ)
    events, event_at = live_table(folder, parts, order, "events", EVENT_READ)
    files, _ = live_table(folder, parts, order, "files")
    previous = _previous(folder, state) if state else None
    notes: list[Degraded] = []
    skipped, degraded, event_notes, search_notes = [], [], [], []
    for row in files.to_pylist():
        skipped.extend(skipped_of(row["skipped"]))
        degraded.extend(degraded_of(row["degraded"]))
        event_notes.extend(degraded_of(row["event_notes"]))
        search_notes.extend(degraded_of(row["search_notes"]))

    live = at.to_pylist()

    def texts(rows: list[int]) -> list[str]:  # read only when near copies are to be compared
        return PartsColumn(folder, list(parts), "articles", "text", [live[r] for r in rows])[:]

    # Only what link reads becomes Python lists (270,000 events' of each column cost).
    columns: dict[str, Any] = articles.drop_columns(["part", "published_instant"]).to_pydict()
    columns["published_instant"] = _micros(articles.column("published_instant")).to_pylist()
    columns["folded"] = PartsColumn(folder, list(parts), "articles", "folded", live)
    # The events stay columns: link takes out the few rows it works on.
    event_columns = events.drop_columns(["part", "article", "start"]).append_column(
        "start", _micros(events.column("start"))
    )
    linked = link(columns, event_columns, previous, notes, texts, engine)
    # What link read (the articles' columns as Python lists) is not held while the rest is
    # written: it is most of a build's peak.
    del columns, event_columns, previous
    seconds["link"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    names = {
        "manifest": f"manifest-{generation}.parquet",
        "articles": f"linked-{generation}.articles.parquet",
        "events": f"linked-{generation}.events.parquet",
    }
    pq.write_table(
        pa.table({name: [m[n] for m in manifest] for n, name in enumerate(MANIFEST_SCHEMA.names)},
                 schema=MANIFEST_SCHEMA),
        folder / names["manifest"], write_page_checksum=True,
    )  # fmt: skip
    _write_linked(folder, names, articles, events, linked)
    seconds["write"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    display, ids, served_sums = served.write(
        folder, generation, parts, (at, event_at), linked, (articles, events)
    )
    del events
    refound, days = linked.refound, (linked.regrouped_days, linked.all_days)
    counts, entities = (len(linked.final_ids), len(linked.event_ids)), linked.entities
    generic = linked.generic
    del linked  # written: its lists are not held while the search store is written
    names.update(served.file_names(generation))
    seconds["write"] += time.perf_counter() - t0
    t0 = time.perf_counter()
    search = _write_search(
        folder, (generation, parts), at, articles, (ids, display), state, engine.map
    )
    checksums = {**served_sums, **search.checksums}
    names["search"] = textstore.order_name(generation)
    seconds["search"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    fingerprint = hashlib.sha256(json.dumps(manifest).encode()).hexdigest()[:24]
    meta: dict[str, Any] = {
        "schema": SCHEMA, "code": code, "tz": tz, "root": str(root.resolve()),
        "generation": generation, "created": datetime.now(UTC).isoformat(),
        "fingerprint": fingerprint, "parts": parts, "names": names,
        "sizes": {}, "checksums": checksums,
        "search": [[segment.name, segment.size] for segment in search.segments],
        "articles": counts[0], "events": counts[1],
        "files_seen": len(manifest), "not_entered": not_entered,
        "skipped": [s.as_dict() for s in skipped],
        "degraded": [d.as_dict() for d in [*degraded, *notes, *event_notes, *search_notes]],
        "entities": [e.as_dict() for e in entities], "generic": sorted(generic),
    }  # fmt: skip
    on_disk = [*names.values(), *search.files(), *(part_file(p, k) for p in parts for k in KINDS)]
    meta["sizes"] = {name: (folder / name).stat().st_size for name in on_disk}
    staging = folder / f".{META_FILE}.writing"
    staging.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(staging, folder / META_FILE)
    for path in folder.iterdir():  # what the new generation does not stand on
        if path.name != META_FILE and path.name not in meta["sizes"]:
            path.unlink(missing_ok=True) if path.is_file() else shutil.rmtree(path, True)
    for other in folder.parent.iterdir():  # caches of other corpora or older code
        if other.is_dir() and other != folder and (other / META_FILE).exists():
            shutil.rmtree(other, ignore_errors=True)
    seconds["write"] += time.perf_counter() - t0
    return Committed(
        fingerprint, meta["articles"], meta["events"], refound, days, compacted, seconds
    )


def _write_search(
    folder: Path,
    where: tuple[int, dict[str, Any]],
    at: pa.Array,
    articles: pa.Table,
    shown: tuple[pa.Array, pa.Array],
    state: State | None,
    run: ngrams.Runner = map,
) -> textstore.Written:
    """The search store of the live articles (``at``: where they are in the parts; ``shown``:
    their ids in the dashboard's order and their corpus positions in it), keeping the last
    generation's segments of texts still live; ``run``: as textstore.write's."""
    generation, parts = where
    keys = list(zip(*(articles.column(c).to_pylist() for c in ("file", "hash", "n")), strict=True))
    live = at.to_pylist()

    def folded(positions: list[int]) -> list[str]:
        rows = [live[p] for p in positions]
        return PartsColumn(folder, list(parts), "articles", "folded", rows)[:]

    ids, display = shown
    previous = (search_segments(state.meta), state.meta["checksums"]) if state else None
    order = (ids, display.to_numpy())
    return textstore.write(folder, generation, order, keys, folded, previous, run)


def search_segments(meta: dict[str, Any]) -> list[textstore.Segment]:
    """The search store's segments that meta.json lists."""
    return [textstore.Segment(str(name), int(size)) for name, size in meta.get("search", [])]


def _moved(manifest: list[ManifestRow], name: str) -> list[tuple[str, int, int, str, str]]:
    return [(rel, size, mtime, digest, name) for rel, size, mtime, digest, _ in manifest]


def _compact(
    folder: Path,
    parts: dict[str, dict[str, int]],
    manifest: list[ManifestRow],
    name: str,
) -> dict[str, dict[str, int]]:
    """The live rows of every part copied into one part, part by part (memory: one part)."""
    order = order_table((p, rel, h) for rel, _, _, h, p in manifest)
    writer = PartWriter(folder, name)
    try:
        for part in parts:
            tables = {}
            for kind in KINDS:
                kept = live_rows(read_part(folder, part, kind), order)
                tables[kind] = kept.set_column(
                    0, "part", pa.array([name] * kept.num_rows, pa.string())
                )
            writer.write(Tables(**tables))
    finally:
        writer.close()
    return {name: writer.rows}


ARTICLE_READ = ["part", "file", "hash", "n", "id", "source_path", "url", "repost_of",
                "published_instant", "names", "copy_key"]  # fmt: skip
EVENT_READ = ["part", "file", "hash", "n", "id", "article", "kind", "precision", "start",
              "expression", "sentence", "offset"]  # fmt: skip


def _write_linked(
    folder: Path, names: dict[str, str], articles: pa.Table, events: pa.Table, linked: Linked
) -> None:
    story_day = pc.and_(
        pc.equal(events.column("kind"), "mentioned"), pc.equal(events.column("precision"), "day")
    )
    where = {"file": articles.column("file"), "hash": articles.column("hash"),
             "n": articles.column("n")}  # fmt: skip
    article_table = pa.table(
        {**where, "id": linked.final_ids, "entities": linked.article_entities,
         "repost_of_id": linked.reposts,
         "near_file": [n[0][0] if n else None for n in linked.near],
         "near_hash": [n[0][1] if n else None for n in linked.near],
         "near_n": [n[0][2] if n else None for n in linked.near],
         "near_copy": [n[1] if n else None for n in linked.near]},
        schema=LINKED_ARTICLES,
    )  # fmt: skip
    event_table = pa.table(
        {
            "file": events.column("file"), "hash": events.column("hash"), "n": events.column("n"),
            "id": linked.event_ids, "article": linked.event_articles,
            "entities": linked.event_entities, "story": linked.stories,
            "story_day": pc.if_else(story_day, events.column("start"), None),
        },
        schema=LINKED_EVENTS,
    )  # fmt: skip
    pq.write_table(article_table, folder / names["articles"], write_page_checksum=True)
    pq.write_table(event_table, folder / names["events"], write_page_checksum=True)


def open_state(folder: Path, root: Path, tz: str, code: str) -> State | None:
    """The last generation (None when there is none); raises if it is damaged or foreign."""
    if not (folder / META_FILE).exists():
        if folder.exists():  # a crash before the first commit: nothing to trust
            shutil.rmtree(folder, ignore_errors=True)
        return None
    meta = checked_meta(folder, code, root, tz)
    table = _read(folder, meta["names"]["manifest"])
    if table.schema != MANIFEST_SCHEMA or table.num_rows != meta["files_seen"]:
        raise ValueError("manifest does not match meta.json")
    return State(meta, table)


def checked_meta(
    folder: Path, code: str, root: Path | None = None, tz: str | None = None
) -> dict[str, Any]:
    """meta.json, if it is this code's (and, when given, this corpus's and time zone's) and
    every file it names is there at its size."""
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    if isinstance(meta, dict) and "damaged" in meta:
        raise ValueError(str(meta["damaged"]))
    if not isinstance(meta, dict) or meta.get("schema") != SCHEMA:
        found = meta.get("schema") if isinstance(meta, dict) else "?"
        raise ValueError(f"cache schema {found} is not {SCHEMA}")
    if meta.get("code") != code:
        raise ValueError("written by other code")
    if root is not None and meta.get("root") != str(root.resolve()):
        raise ValueError(f"cache of another corpus ({meta.get('root')})")
    if tz is not None and meta.get("tz") != tz:
        raise ValueError(f"cache for time zone {meta.get('tz')}")
    for name, size in meta["sizes"].items():
        if "/" in name or name.startswith("."):
            raise ValueError(f"unexpected file name {name!r}")
        if (folder / name).stat().st_size != size:
            raise ValueError(f"{name} is {(folder / name).stat().st_size} bytes, not {size}")
    return meta


def _previous(folder: Path, state: State) -> Previous:
    """What the last generation worked out: its articles by key, and its events' columns."""
    names = state.meta["names"]
    articles = pq.read_table(folder / names["articles"], page_checksum_verification=True)
    events = pq.read_table(folder / names["events"], page_checksum_verification=True)
    columns = ("file", "hash", "n", "id", "near_file", "near_hash", "near_n", "near_copy")
    files, hashes, ns, ids, *near_columns = (articles.column(c).to_pylist() for c in columns)
    keys: list[Key] = list(zip(files, hashes, ns, strict=True))
    near: dict[Key, tuple[Key, bool]] = {
        keys[row]: ((nf, nh, nn), copy)
        for row, (nf, nh, nn, copy) in enumerate(zip(*near_columns, strict=True))
        if copy is not None
    }
    rows = {key: row for row, key in enumerate(keys)}
    # Each article's run of event rows (none for an article without events).
    runs = runs_of(events)
    firsts = pa.array([first for first, _ in runs], pa.int64())
    where = [events.column(c).take(firsts).to_pylist() for c in ("file", "hash", "n")]
    of_run = np.array([rows[key] for key in zip(*where, strict=True)], np.int64)
    first_event = np.zeros(len(keys), np.int64)
    event_count = np.zeros(len(keys), np.int64)
    first_event[of_run] = firsts.to_numpy()
    event_count[of_run] = [end - first for first, end in runs]
    mentions = articles.column("entities").to_pylist()
    return Previous(
        aliases=aliases_of(Entity.of(e) for e in state.meta["entities"]),
        rows=rows,
        final_ids=ids,
        article_entities=[e if e is not None else [] for e in mentions],
        generic=frozenset(state.meta["generic"]),
        near=near,
        first_event=first_event,
        event_count=event_count,
        event_entities=events.column("entities").combine_chunks().fill_null([]),
        stories=events.column("story").combine_chunks(),
        story_days=_micros(events.column("story_day")).combine_chunks(),
        holding=partial(
            textstore.keys_holding, folder, search_segments(state.meta), state.meta["checksums"]
        ),
    )


def _micros(times: pa.ChunkedArray) -> pa.ChunkedArray:
    """Timestamps as microseconds since the epoch (UTC), the unit link() takes days in."""
    return times.cast(pa.timestamp("us")).cast(pa.int64())


def read_data(folder: Path, code: str) -> CorpusData:
    """CorpusData from the generation in ``folder``: the rows and events read from its served
    tables, the search texts mapped, the bodies read from the parts when they are asked for."""
    meta = checked_meta(folder, code)
    store = textstore.open_store(
        folder, meta["generation"], search_segments(meta), meta["checksums"]
    )
    return served.read(folder, meta, store, partial(discard, folder))


def discard(folder: Path, reason: str) -> None:
    """Make the generation in ``folder`` unusable, found damaged: the next start rebuilds it
    and says why."""
    staging = folder / f".{META_FILE}.damaged"
    staging.write_text(json.dumps({"damaged": reason}, ensure_ascii=False), encoding="utf-8")
    os.replace(staging, folder / META_FILE)


def _read(folder: Path, name: str) -> pa.Table:
    return pq.read_table(folder / name, page_checksum_verification=True)
