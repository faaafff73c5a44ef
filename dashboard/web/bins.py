"""Calendar bins for grouped marks: days, weeks, months, quarters or years, the finest that
keeps the number of marks within a budget.

A view of a few weeks is grouped by day; a corpus whose mentioned dates span decades would give
thousands of day groups per lane (3,734 marks, 341 KB of JSON for the 20,296 GNews reposts), so
its marks are weeks, months or years instead. Pure numpy on ``datetime64[D]``: no frame built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

UNITS = ("day", "week", "month", "quarter", "year")
UNIT_LABELS = {
    "day": ("按日", "per day"), "week": ("按周", "per week"), "month": ("按月", "per month"),
    "quarter": ("按季度", "per quarter"), "year": ("按年", "per year"),
}  # fmt: skip
# 1970-01-01, day 0 of datetime64[D], was a Thursday: Monday is 3 days before.
_MONDAY_SHIFT = 3


def bin_start(days: np.ndarray, unit: str) -> np.ndarray:
    """The first day of each day's bin (weeks start on Monday, as in ISO 8601)."""
    days = days.astype("datetime64[D]")
    if unit == "day":
        return days
    if unit == "week":
        number = days.astype(np.int64)
        return (number - (number + _MONDAY_SHIFT) % 7).astype("datetime64[D]")
    if unit == "month":
        return days.astype("datetime64[M]").astype("datetime64[D]")
    if unit == "quarter":
        months = days.astype("datetime64[M]").astype(np.int64)
        return (months - months % 3).astype("datetime64[M]").astype("datetime64[D]")
    return days.astype("datetime64[Y]").astype("datetime64[D]")


def bin_end(starts: np.ndarray, unit: str) -> np.ndarray:
    """The last day of each bin starting on ``starts``."""
    one = np.timedelta64(1, "D")
    if unit == "day":
        return starts
    if unit == "week":
        return starts + 6 * one
    months = starts.astype("datetime64[M]")
    step = {"month": 1, "quarter": 3, "year": 12}[unit]
    return (months + np.timedelta64(step, "M")).astype("datetime64[D]") - one


def bin_label(start: np.datetime64, end: np.datetime64, unit: str) -> str:
    """A bin as a reader names it: 2022-03-24, 2022-03-21 – 03-27, 2022-03, 2022 Q1, 2022."""
    return bin_labels(np.array([start]), np.array([end]), unit)[0]


def day_strings(days: np.ndarray) -> list[str]:
    """Days as YYYY-MM-DD, written by numpy at once (a string made per numpy day cost more
    than grouping the days)."""
    return np.datetime_as_string(days.astype("datetime64[D]")).tolist()  # type: ignore[no-any-return]


def bin_labels(starts: np.ndarray, ends: np.ndarray, unit: str) -> list[str]:
    """bin_label of each bin, the days written out by numpy at once (a string made per numpy
    day was most of the grouping's time)."""
    first = day_strings(starts)
    if unit == "day":
        return first
    if unit == "week":
        return [f"{a} – {b[5:]}" for a, b in zip(first, day_strings(ends), strict=True)]
    if unit == "month":
        return [a[:7] for a in first]
    if unit == "quarter":
        return [f"{a[:4]} Q{(int(a[5:7]) - 1) // 3 + 1}" for a in first]
    return [a[:4] for a in first]


def binned(keys: np.ndarray, days: np.ndarray, limit: int) -> tuple[str, dict[Any, Bins]]:
    """The finest unit whose (key, bin) groups number at most ``limit`` (years at the last),
    and each key's bins in it: the rows grouped by day once for both."""
    if not len(keys):
        return UNITS[0], {}
    groups = day_groups(keys, days)
    unit = _finest(groups, limit)
    return unit, _bins(groups, unit)


def count_bins(keys: np.ndarray, days: np.ndarray, unit: str) -> dict[Any, Bins]:
    """For each key, how many rows fall in each of its bins."""
    return _bins(day_groups(keys, days), unit) if len(keys) else {}


class DayGroups(NamedTuple):
    """The distinct (key, day) pairs of some rows, in order of key code then day."""

    codes: np.ndarray  # each pair's key, as a code
    keys: Any  # the keys the codes stand for, in order of first appearance
    days: np.ndarray  # each pair's day, as days since 1970
    counts: np.ndarray  # how many rows each pair holds


def _finest(groups: DayGroups, limit: int) -> str:
    if len(groups.codes) <= limit:
        return UNITS[0]
    for unit in UNITS[1:]:  # from the day groups: a few thousand, not every row
        starts = bin_start(groups.days.astype("datetime64[D]"), unit).astype(np.int64)
        if len(np.unique(groups.codes * (1 << 32) + starts)) <= limit:
            return unit
    return UNITS[-1]


# (key, day) cells counted in one array while there are at most this many per row (plus a
# few): counting stays linear in the rows; mentions across centuries are sorted instead.
DENSE_CELLS_PER_ROW = 4


def day_groups(keys: np.ndarray, days: np.ndarray) -> DayGroups:
    """The rows' distinct (key, day) pairs, counted in an array of every (key, day) cell while
    there are few enough cells for the rows (one pass), else by sorting the rows."""
    codes, uniques = pd.factorize(keys)
    numbers = days.astype("datetime64[D]").astype(np.int64)
    low = int(numbers.min())
    span = int(numbers.max()) - low + 1
    combined = codes.astype(np.int64) * span + (numbers - low)
    if len(uniques) * span <= DENSE_CELLS_PER_ROW * len(keys) + 4096:
        counts = np.bincount(combined, minlength=len(uniques) * span)
        found = np.flatnonzero(counts)
        counts = counts[found]
    else:
        found, counts = np.unique(combined, return_counts=True)
    return DayGroups(found // span, uniques, found % span + low, counts.astype(np.int64))


@dataclass(frozen=True)
class Bins:
    """One key's bins in date order: first and last days, labels and counts."""

    starts: np.ndarray
    ends: np.ndarray
    labels: list[str]
    counts: np.ndarray

    @property
    def middles(self) -> list[str]:
        """Where a bin's mark sits: the middle of its days."""
        return day_strings(self.starts + (self.ends - self.starts) // 2)

    @property
    def ranges(self) -> list[str]:
        """Each bin as "START:END", what a click on its mark narrows the dates to."""
        starts, ends = day_strings(self.starts), day_strings(self.ends)
        return [f"{s}:{e}" for s, e in zip(starts, ends, strict=True)]


def _bins(groups: DayGroups, unit: str) -> dict[Any, Bins]:
    starts = bin_start(groups.days.astype("datetime64[D]"), unit).astype(np.int64)
    combined = groups.codes * (1 << 32) + (starts - starts.min())
    found, inverse = np.unique(combined, return_inverse=True)
    counts = np.bincount(inverse, weights=groups.counts).astype(np.int64)
    which = found >> 32
    first = (found & ((1 << 32) - 1)) + starts.min()
    out = {}
    for code in np.unique(which):
        rows = which == code
        bin_starts = first[rows].astype("datetime64[D]")
        bin_ends = bin_end(bin_starts, unit)
        labels = bin_labels(bin_starts, bin_ends, unit)
        out[groups.keys[code]] = Bins(bin_starts, bin_ends, labels, counts[rows])
    return out
