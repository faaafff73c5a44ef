"""The articles table as users get it from `python -m dashboard articles`: JSON Lines, CSV, Parquet.

One row per article in publication order. `published` is the publication instant in UTC, to the
second (sub-second digits of an archiver's time stamp say nothing about the article), with the
`precision` it is known to: a day, month or year is the first instant of that period, as the
events export writes it. `repost_of` is the id of the original in the corpus when it is there,
else the URL the article names.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.parsing.store import CorpusData

FORMATS = ("jsonl", "csv", "parquet")
# Column → its Arrow type: the Parquet schema, and the column order of every format.
ARTICLE_SCHEMA = pa.schema([
    ("id", pa.string()), ("source_path", pa.string()), ("outlet", pa.string()),
    ("outlet_zh", pa.string()), ("outlet_en", pa.string()), ("title", pa.string()),
    ("url", pa.string()), ("published", pa.timestamp("us", tz="UTC")),
    ("precision", pa.string()), ("source", pa.string()), ("evidence", pa.string()),
    ("inferred", pa.bool_()), ("repost_of", pa.string()), ("byline", pa.string()),
    ("language", pa.string()), ("script", pa.string()), ("entities", pa.list_(pa.string())),
    ("text", pa.string()),
])  # fmt: skip
ARTICLE_EXPORT_COLUMNS = tuple(ARTICLE_SCHEMA.names)
# Copied as they are from the articles table of the store.
STORE_COLUMNS = (
    "id", "outlet", "outlet_zh", "outlet_en", "title", "url", "precision", "source",
    "evidence", "inferred", "byline", "language", "script",
)  # fmt: skip


def articles_frame_for_export(data: CorpusData) -> pd.DataFrame:
    """One row per article: `published` as UTC timestamps, `entities` as lists of ids."""
    articles = data.articles
    bodies = [data.bodies[article_id] for article_id in articles.index]
    known = articles["repost_of_id"].notna()
    frame = pd.DataFrame({column: articles[column].to_numpy() for column in STORE_COLUMNS})
    frame["source_path"] = [b.source_path for b in bodies]
    seconds = utc_seconds(articles["published"]).astype("datetime64[us]")
    frame["published"] = pd.DatetimeIndex(seconds).tz_localize("UTC")
    frame["repost_of"] = articles["repost_of_id"].where(known, articles["repost_of"]).to_numpy()
    frame["entities"] = [[] if e is None else list(e) for e in articles["entities"]]
    frame["text"] = [b.text for b in bodies]
    frame = frame[list(ARTICLE_EXPORT_COLUMNS)]
    return frame.astype({"inferred": bool})


def text_records(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame for the text formats: `published` as ISO 8601 text (…Z), missing as None."""
    published = utc_seconds(frame["published"])
    text = frame.assign(published=iso_instants(published)).astype(object)
    return text.where(text.notna(), None)


def write_jsonl(frame: pd.DataFrame, out: TextIO) -> None:
    """One JSON object per article and line, Chinese kept as written, entities as a list."""
    for row in text_records(frame).to_dict("records"):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(frame: pd.DataFrame, out: TextIO) -> None:
    """CSV with a header; entity ids joined by ';' (a list has no CSV cell of its own)."""
    rows = text_records(frame)
    rows["entities"] = [";".join(e) for e in rows["entities"]]
    rows.to_csv(out, index=False, lineterminator="\n")


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table of ARTICLE_SCHEMA (timestamp[us, UTC], list<string>)."""
    columns: dict[str, Any] = {
        name: pa.array(_plain(frame[name]), type=ARTICLE_SCHEMA.field(name).type)
        for name in ARTICLE_EXPORT_COLUMNS
    }
    return pa.table(columns, schema=ARTICLE_SCHEMA)


def _plain(values: pd.Series) -> Any:
    # Arrow reads timestamps from the column itself; other columns go as Python values, with
    # pandas' missing markers (NaN, NA) turned into None.
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values
    return values.astype(object).where(values.notna(), None).tolist()


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """A Parquet file of ARTICLE_SCHEMA."""
    pq.write_table(arrow_table(frame), path)


def utc_seconds(values: pd.Series) -> np.ndarray:
    """Instants as naive UTC datetime64[s]; what cannot be read is NaT, never an exception.

    numpy, not pandas Timestamps, does the arithmetic: its range holds years 1 to 9999.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert(None)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values.to_numpy().astype("datetime64[s]")
    return np.array([_one_second(v) for v in values], dtype="datetime64[s]")  # not a datetime64


def _one_second(value: object) -> np.datetime64:
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    try:
        return np.datetime64(value, "s")  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return np.datetime64("NaT", "s")


def iso_instants(seconds: np.ndarray) -> np.ndarray:
    """datetime64[s] (UTC) as ISO 8601 text ending in Z; NaT is None."""
    text = np.char.add(np.datetime_as_string(seconds, unit="s"), "Z").astype(object)
    text[np.isnat(seconds)] = None
    return text
