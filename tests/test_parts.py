"""The tables a worker sends back: unchanged by the trip between processes."""

from __future__ import annotations

import pickle
from pathlib import Path

from dashboard.parsing.cache import content_hash
from dashboard.parsing.parts import (
    KINDS,
    SCHEMAS,
    PartsBatch,
    PartWriter,
    live_columns,
    live_table,
    order_table,
    parts_batch,
)

GOLDEN = Path(__file__).parent / "data" / "golden"


def test_tables_survive_pickling_as_arrow_streams() -> None:
    files = sorted(
        p for p in GOLDEN.rglob("*") if p.is_file() and not p.name.endswith(".expected.json")
    )[:12]
    batch = PartsBatch(
        tuple((p.name, content_hash(p.read_bytes()), p.read_bytes()) for p in files),
        "Asia/Shanghai",
        "p000001",
    )
    tables = parts_batch(batch)
    back = pickle.loads(pickle.dumps(tables))
    for kind in KINDS:
        assert back.get(kind).schema == SCHEMAS[kind]
        assert back.get(kind).equals(tables.get(kind))
    assert tables.articles.num_rows >= 12 and tables.events.num_rows > 0


def test_empty_tables_survive_pickling() -> None:
    tables = parts_batch(PartsBatch((), "UTC", "p000001"))
    back = pickle.loads(pickle.dumps(tables))
    assert all(back.get(k).num_rows == 0 and back.get(k).schema == SCHEMAS[k] for k in KINDS)


def test_more_columns_taken_from_what_was_read_match_a_fresh_read(tmp_path: Path) -> None:
    files = sorted(
        p for p in GOLDEN.rglob("*") if p.is_file() and not p.name.endswith(".expected.json")
    )[:20]
    rows = tuple((p.name, content_hash(p.read_bytes()), p.read_bytes()) for p in files)
    writer = PartWriter(tmp_path, "p000001")
    writer.write(parts_batch(PartsBatch(rows[:10], "Asia/Shanghai", "p000001")))
    writer.write(parts_batch(PartsBatch(rows[10:], "Asia/Shanghai", "p000001")))
    writer.close()
    parts = {"p000001": writer.rows}
    # The corpus order differs from the parts' order: the live rows are taken, not sliced.
    order = order_table(("p000001", name, digest) for name, digest, _ in reversed(rows))
    first, at = live_table(tmp_path, parts, order, "events", ["part", "file", "hash", "sentence"])
    wanted = ["id", "sentence", "outlet", "file"]
    reused = live_columns(tmp_path, parts, "events", wanted, at, first)
    fresh = live_columns(tmp_path, parts, "events", wanted, at)
    assert reused.num_rows > 20 and reused.column_names == wanted
    assert reused.equals(fresh)
    # Every column already read: nothing read again, the same table still.
    assert live_columns(tmp_path, parts, "events", ["sentence"], at, first).equals(
        fresh.select(["sentence"])
    )
