from __future__ import annotations

import numpy as np

from dashboard.web.bins import Bins, bin_end, bin_label, bin_labels, bin_start, binned, count_bins


def _days(*values: str) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


def test_bins_start_and_end_on_calendar_boundaries() -> None:
    days = _days("2022-03-24", "1000-01-07", "2200-12-31")  # a Thursday; calendar edges
    weeks = bin_start(days, "week")
    assert str(weeks[0]) == "2022-03-21" and all(
        (w.astype("datetime64[D]").astype(int) + 3) % 7 == 0 for w in weeks
    )
    assert str(bin_end(weeks, "week")[0]) == "2022-03-27"
    assert str(bin_start(days, "month")[0]) == "2022-03-01"
    assert str(bin_end(bin_start(days, "month"), "month")[0]) == "2022-03-31"
    assert str(bin_start(days, "quarter")[0]) == "2022-01-01"
    assert str(bin_end(bin_start(days, "quarter"), "quarter")[0]) == "2022-03-31"
    assert str(bin_end(bin_start(days, "year"), "year")[2]) == "2200-12-31"


def test_labels_say_the_bin_as_a_reader_names_it() -> None:
    start, end = np.datetime64("2022-03-21"), np.datetime64("2022-03-27")
    assert bin_label(start, end, "week") == "2022-03-21 – 03-27"
    assert bin_label(np.datetime64("2022-04-01"), end, "quarter") == "2022 Q2"
    assert bin_label(np.datetime64("2022-04-01"), end, "month") == "2022-04"


def test_the_finest_unit_within_the_limit_and_counts_per_key() -> None:
    days = np.arange(np.datetime64("2022-01-01"), np.datetime64("2022-12-31"))
    keys = np.zeros(len(days), dtype=int)
    assert binned(keys, days, 400)[0] == "day"
    assert binned(keys, days, 60)[0] == "week"
    assert binned(keys, days, 12)[0] == "month"
    assert binned(keys, days, 1)[0] == "year"
    counted = count_bins(
        np.array(["a", "b", "a"]), _days("2022-03-01", "2022-03-02", "2022-03-31"), "month"
    )
    assert counted["a"].counts.tolist() == [2] and counted["a"].ranges == ["2022-03-01:2022-03-31"]
    assert counted["b"].middles == ["2022-03-16"]


def test_counted_cells_and_sorted_rows_agree_with_a_group_by(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    from dashboard.web import bins

    rng = np.random.default_rng(7)
    days = np.datetime64("2019-06-01") + rng.integers(0, 2000, 5000).astype("timedelta64[D]")
    keys = rng.choice(["rfa", "rfi", "gnews", "other"], 5000)
    for unit in bins.UNITS:
        frame = pd.DataFrame({"key": keys, "bin": bin_start(days, unit)})
        expected = frame.groupby(["key", "bin"]).size()
        for cells in (10**6, -1):  # one array of cells; rows sorted
            monkeypatch.setattr(bins, "DENSE_CELLS_PER_ROW", cells)
            counted = count_bins(keys, days, unit)
            got = {
                (k, s): n
                for k, b in counted.items()
                for s, n in zip(b.starts, b.counts, strict=True)
            }
            assert got == {(k, np.datetime64(s, "D")): n for (k, s), n in expected.items()}
            groups = len(expected)
            finest, counted_there = binned(keys, days, groups)
            assert finest in bins.UNITS[: bins.UNITS.index(unit) + 1]
            again = count_bins(keys, days, finest)
            assert {k: (b.labels, b.counts.tolist()) for k, b in counted_there.items()} == {
                k: (b.labels, b.counts.tolist()) for k, b in again.items()
            }


def _one_label(start: np.datetime64, end: np.datetime64, unit: str) -> str:
    """The labels as they were written one numpy day at a time."""
    first = str(start)
    if unit == "day":
        return first
    if unit == "week":
        return f"{first} – {str(end)[5:]}"
    if unit == "month":
        return first[:7]
    if unit == "quarter":
        return f"{first[:4]} Q{(int(first[5:7]) - 1) // 3 + 1}"
    return first[:4]


def test_labels_written_at_once_are_the_labels_of_each_bin() -> None:
    rng = np.random.default_rng(5)
    days = np.sort(rng.integers(-20_000, 40_000, 500)).astype("datetime64[D]")
    for unit in ("day", "week", "month", "quarter", "year"):
        starts = np.unique(bin_start(days, unit))
        ends = bin_end(starts, unit)
        expected = [_one_label(a, b, unit) for a, b in zip(starts, ends, strict=True)]
        assert bin_labels(starts, ends, unit) == expected, unit
        ranges = Bins(starts, ends, expected, np.ones(len(starts))).ranges
        assert ranges == [f"{a}:{b}" for a, b in zip(starts, ends, strict=True)], unit
