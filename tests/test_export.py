"""The exports: events with their instants, and the articles in JSON Lines, CSV and Parquet."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.__main__ import main
from dashboard.config import BUNDLED_CORPUS
from dashboard.parsing.article_export import (
    ARTICLE_EXPORT_COLUMNS,
    arrow_table,
    articles_frame_for_export,
)
from dashboard.parsing.articles import Published
from dashboard.parsing.corpus import CorpusReport, read_corpus
from dashboard.parsing.store import CorpusData, build_data
from dashboard.web.export import (
    EXPORT_COLUMNS,
    export_frame,
    iso_instants,
    period_bounds,
    utc_seconds,
)
from dashboard.web.filters import Filters

RFA, RFI, GNEWS = "000_6870c681a42abc3f", "001_74332eaaa2aa362a", "002_6317052b93716a15"
AJ_JAN = "003_9be81c0ca1c2c4ce"
INSTANT = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"
DAY = r"^\d{4}-\d{2}-\d{2}$"


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI reads through the cache; tests must not write one into the working directory.
    monkeypatch.setenv("CACHE_DIR", "off")


def corpus_of(*published: tuple[str, Published]) -> CorpusData:
    """The seeds, each with another id and publication."""
    articles = [
        replace(a, id=new_id, published=p)
        for a, (new_id, p) in zip(
            read_corpus(BUNDLED_CORPUS, "UTC").articles, published, strict=False
        )
    ]
    return build_data(CorpusReport(root=BUNDLED_CORPUS, articles=articles), "Asia/Shanghai")


def event(frame: pd.DataFrame, event_id: str) -> dict[str, object]:
    rows: list[dict[str, object]] = frame[frame["id"] == event_id].to_dict("records")
    assert len(rows) == 1, event_id
    return rows[0]


def test_published_event_carries_its_instant_to_the_second(seed_data: CorpusData) -> None:
    row = event(export_frame(seed_data, Filters()), f"{RFA}#published")
    assert (row["start"], row["end"], row["precision"]) == (
        "2022-03-24T18:31:00Z",
        "2022-03-24T18:31:00Z",
        "second",
    )
    assert (row["reference"], row["reference_precision"]) == ("2022-03-24T18:31:00Z", "second")


def test_calendar_publications_span_their_period() -> None:
    data = corpus_of(
        ("month", Published(datetime(2022, 3, 1, tzinfo=UTC), "month", "gnews-id", "m")),
        ("year", Published(datetime(2021, 1, 1, tzinfo=UTC), "year", "file-path", "y")),
        ("day", Published(datetime(2022, 2, 28, tzinfo=UTC), "day", "url", "d")),
        ("minute", Published(datetime(2022, 1, 5, 9, 7, tzinfo=UTC), "minute", "dateline", "t")),
    )
    frame = export_frame(data, Filters()).set_index("article")
    published = frame[frame["kind"] == "published"]
    spans = {key: tuple(row) for key, row in published[["start", "end", "precision"]].iterrows()}
    assert spans == {
        "month": ("2022-03-01T00:00:00Z", "2022-03-31T23:59:59Z", "month"),
        "year": ("2021-01-01T00:00:00Z", "2021-12-31T23:59:59Z", "year"),
        "day": ("2022-02-28T00:00:00Z", "2022-02-28T23:59:59Z", "day"),
        "minute": ("2022-01-05T09:07:00Z", "2022-01-05T09:07:59Z", "minute"),
    }
    # The reference is the instant the store keeps: the first of the period for calendar dates.
    assert (frame["reference"] == published.loc[frame.index, "start"]).all()


def test_mentioned_events_keep_dates_and_name_their_reference_instant(
    seed_data: CorpusData,
) -> None:
    frame = export_frame(seed_data, Filters())
    mentioned = frame[frame["kind"] == "mentioned"]
    assert mentioned["start"].str.match(DAY).all() and mentioned["end"].str.match(DAY).all()
    assert frame["reference"].str.match(INSTANT).all()
    of_aj = mentioned[mentioned["article"] == AJ_JAN]
    day_before = of_aj[of_aj["expression"] == "此前一天"].to_dict("records")
    assert [
        (e["start"], e["end"], e["precision"], e["reference"], e["reference_precision"])
        for e in day_before
    ] == [("2021-12-30", "2021-12-30", "day", "2022-01-01T06:08:53Z", "second")]


def test_extreme_years_are_exported_not_raised() -> None:
    # pandas nanosecond Timestamps stop at 1677 and 2262; the store keeps microseconds, and the
    # export computes in numpy, so a resolver's "9999年" or a year-1 typo is written, not raised.
    data = build_data(read_corpus(BUNDLED_CORPUS, "Asia/Shanghai"), "Asia/Shanghai")
    first_mention = data.events.index[data.events["id"] == f"{RFA}#m1"]
    data.events.loc[first_mention, "start"] = pd.Timestamp("0001-01-01")
    data.events.loc[first_mention, "end"] = pd.Timestamp("9999-12-31")
    data.articles.loc[RFI, "published"] = pd.Timestamp("9999-12-05 06:07:08", tz="UTC")
    data.articles.loc[RFI, "precision"] = "month"
    frame = export_frame(data, Filters()).set_index("id")
    assert frame.loc[f"{RFA}#m1", ["start", "end"]].tolist() == ["0001-01-01", "9999-12-31"]
    assert frame.loc[f"{RFI}#published", ["start", "end", "reference"]].tolist() == [
        "9999-12-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "9999-12-05T06:07:08Z",
    ]
    articles = articles_frame_for_export(data).set_index("id")
    assert articles.loc[RFI, "published"] == pd.Timestamp("9999-12-05 06:07:08", tz="UTC")
    table = arrow_table(articles.reset_index())
    assert table.column("published").type == pa.timestamp("us", tz="UTC")


def test_period_bounds_cover_years_1_to_9999() -> None:
    instants = np.array(["0001-01-01T00:00:00", "9999-12-31T12:00:00", "9999-07-04"], "M8[s]")
    first, last = period_bounds(instants, np.array(["day", "month", "year"], dtype=object))
    assert iso_instants(first).tolist() == [
        "0001-01-01T00:00:00Z",
        "9999-12-01T00:00:00Z",
        "9999-01-01T00:00:00Z",
    ]
    assert iso_instants(last).tolist() == [
        "0001-01-01T23:59:59Z",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59Z",
    ]


def test_time_helpers_turn_junk_into_missing_values() -> None:
    values = pd.Series([datetime(2022, 3, 24, 18, 31, 7, 250_000, tzinfo=UTC), "not a date", None])
    seconds = utc_seconds(values)
    assert iso_instants(seconds).tolist() == ["2022-03-24T18:31:07Z", None, None]
    first, last = period_bounds(seconds, np.array(["month", "day", "year"], dtype=object))
    assert iso_instants(first).tolist()[0] == "2022-03-01T00:00:00Z"
    assert iso_instants(last).tolist()[0] == "2022-03-31T23:59:59Z"


def cli_rows(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_events_csv_and_json_agree(capsys: pytest.CaptureFixture[str]) -> None:
    lines = cli_rows(capsys, "events").splitlines()
    as_json = [json.loads(line) for line in lines]
    as_csv = pd.read_csv(
        io.StringIO(cli_rows(capsys, "events", "--format", "csv")), dtype=str, keep_default_na=False
    )
    assert list(as_csv.columns) == list(as_json[0]) == EXPORT_COLUMNS
    assert len(as_csv) == len(as_json)

    def cell(value: object) -> str:
        if isinstance(value, list):
            return ";".join(value)
        return "" if value is None else str(value)

    assert as_csv.to_dict("records") == [{k: cell(v) for k, v in row.items()} for row in as_json]


def test_articles_as_json_lines(seed_data: CorpusData, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [json.loads(line) for line in cli_rows(capsys, "articles").splitlines()]
    assert [list(r) for r in rows] == [list(ARTICLE_EXPORT_COLUMNS)] * len(seed_data.articles)
    by_id = {r["id"]: r for r in rows}
    rfa = by_id[RFA]
    assert (rfa["published"], rfa["precision"], rfa["source"]) == (
        "2022-03-24T18:31:00Z",
        "second",
        "epoch-comment",
    )
    assert rfa["source_path"] == f"{RFA}.txt" and rfa["outlet"] == "rfa"
    assert rfa["outlet_zh"] and rfa["outlet_en"] and rfa["url"].startswith("https://www.rfa.org/")
    assert rfa["text"] == seed_data.bodies[RFA].text and "北约" in rfa["text"]
    assert rfa["entities"] == list(seed_data.articles.loc[RFA, "entities"])
    assert all(isinstance(r["inferred"], bool) and isinstance(r["entities"], list) for r in rows)
    assert by_id[GNEWS]["repost_of"] == RFI  # the original's id, not the URL the repost names
    for article_id, stored in seed_data.articles.iterrows():
        known = stored["repost_of_id"] if pd.notna(stored["repost_of_id"]) else stored["repost_of"]
        assert by_id[article_id]["repost_of"] == (known if pd.notna(known) else None)


def test_articles_as_csv(seed_data: CorpusData, capsys: pytest.CaptureFixture[str]) -> None:
    jsonl = {r["id"]: r for r in map(json.loads, cli_rows(capsys, "articles").splitlines())}
    frame = pd.read_csv(
        io.StringIO(cli_rows(capsys, "articles", "--format", "csv")), keep_default_na=False
    )
    assert list(frame.columns) == list(ARTICLE_EXPORT_COLUMNS)
    assert len(frame) == len(seed_data.articles) == len(set(frame["id"]))
    assert frame["published"].str.match(INSTANT).all()
    assert frame["inferred"].dtype == bool
    for row in frame.to_dict("records"):
        assert row["entities"].split(";") == jsonl[row["id"]]["entities"]
        assert row["text"] == jsonl[row["id"]]["text"]  # paragraphs survive the quoting


def test_articles_as_parquet(
    seed_data: CorpusData, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "articles.parquet"
    assert cli_rows(capsys, "articles", "--format", "parquet", "--output", str(target)) == ""
    table = pq.read_table(target)
    assert table.column_names == list(ARTICLE_EXPORT_COLUMNS)
    assert table.num_rows == len(seed_data.articles)
    assert table.schema.field("published").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("entities").type == pa.list_(pa.string())
    assert table.schema.field("inferred").type == pa.bool_()
    rows = {r["id"]: r for r in table.to_pylist()}
    assert rows[RFA]["published"] == datetime(2022, 3, 24, 18, 31, tzinfo=UTC)
    assert rows[RFI]["entities"] == list(seed_data.articles.loc[RFI, "entities"])


def test_parquet_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["articles", "--format", "parquet"]) == 2
    captured = capsys.readouterr()
    assert "--format parquet needs --output" in captured.err and captured.out == ""


def test_articles_output_file_and_other_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "articles.jsonl"
    target.parent.mkdir()
    golden = Path(__file__).parent / "data" / "golden" / "format2"
    assert cli_rows(capsys, "articles", "--corpus", str(golden), "--output", str(target)) == ""
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 25 and {r["outlet"] for r in rows} == {"aljazeera"}


def test_unwritable_output_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["articles", "--output", str(tmp_path / "missing" / "a.jsonl")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_exports_reuse_a_built_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CACHE_DIR", str(tmp_path / "cache"))
    first = cli_rows(capsys, "articles")
    assert [p.name for p in (tmp_path / "cache").iterdir() if (p / "meta.json").exists()]
    assert cli_rows(capsys, "articles") == first
    assert cli_rows(capsys, "events") == cli_rows(capsys, "events")
