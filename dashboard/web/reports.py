"""When each report of a happening came out, and how long after the first. Pure.

A publication known to the minute or second is an instant. One known only to its day, month or
year (a GNews repost dated "2022-03") is a period, and the report was out by the period's end
at the latest: reports are ordered by that "out by" instant, so such a report never passes for
the first of a story it may well have copied. A lag that involves such a period is approximate
and says so ("≈ +7 d"); between two instants it is exact ("+1 h 44 min").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from dashboard.parsing.article_export import utc_seconds
from dashboard.parsing.store import CorpusData
from dashboard.web.export import period_bounds
from dashboard.web.filters import cached

EXACT = frozenset({"second", "minute"})


@dataclass(frozen=True)
class ReportTimes:
    """Per article row of the corpus: when it was out by (int64 seconds since 1970, UTC), and
    whether that is its exact publication instant."""

    out_by: np.ndarray
    exact: np.ndarray

    @cached_property
    def rank(self) -> np.ndarray:
        """Each article row's place in report order (ties by row): comparing ranks is cheaper
        than comparing instants, and never ties."""
        order = np.lexsort((np.arange(len(self.out_by)), self.out_by))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order), dtype=np.int64)
        return rank


def report_times(data: CorpusData) -> ReportTimes:
    """The report times of every article row (worked out once per corpus, kept with it)."""

    def compute() -> ReportTimes:
        instants = utc_seconds(data.articles["published"])
        precision = data.articles["precision"].to_numpy(dtype=object)
        _, last = period_bounds(instants, precision)
        seconds = last.astype("datetime64[s]").astype(np.int64)
        exact = np.isin(precision, list(EXACT))
        return ReportTimes(seconds, exact)

    return cached(data, ("report-times",), compute)


@dataclass(frozen=True)
class Lag:
    """How long after the first report one came; approximate when either was a period."""

    seconds: int
    exact: bool

    def label(self, lang: str) -> str:
        """ "+2 h 14 min", "+3 d 4 h" (days and hours past a day, hours and minutes within
        one); "≈ +7 d" when approximate (whole days, or hours within a day)."""
        minutes = max(self.seconds // 60, 0)
        days, rest = divmod(minutes, 24 * 60)
        hours, mins = divmod(rest, 60)
        d, h, m = ("天", "小时", "分") if lang == "zh" else (" d", " h", " min")
        if not self.exact:
            parts = [f"{days}{d}"] if days else [f"{hours}{h}"]
        elif days:
            parts = [f"{days}{d}"] + ([f"{hours}{h}"] if hours else [])
        else:
            parts = ([f"{hours}{h}"] if hours else []) + (
                [f"{mins}{m}"] if mins or not hours else []
            )
        text = "+" + ("" if lang == "zh" else " ").join(parts)
        return text if self.exact else "≈ " + text


def in_report_order(times: ReportTimes, positions: np.ndarray) -> np.ndarray:
    """Article rows in the order their reports came out (the first first)."""
    positions = np.asarray(positions, dtype=np.int64)
    return positions[np.argsort(times.rank[positions], kind="stable")]


def lags(times: ReportTimes, ordered: np.ndarray) -> list[Lag]:
    """The lag of each report (rows in report order) behind the first of them."""
    if not len(ordered):
        return []
    first = int(ordered[0])
    start, first_exact = int(times.out_by[first]), bool(times.exact[first])
    return [
        Lag(int(times.out_by[p]) - start, first_exact and bool(times.exact[p])) for p in ordered
    ]
