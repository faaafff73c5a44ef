"""What part of the timeline a view shows: its window of dates and its lanes. Pure.

- The window: the one the reader zoomed or panned to (kept in the address), else the date
  filter, else the span that holds the bulk of the publications (their 1st–99th percentile,
  padded), so that a few mentions of years long past do not squash the archive into a sliver.
  Events outside it are counted, and one link shows them all.
- The lanes: the outlets with most events, one lane each (LANES of them), and every other
  outlet in one "other outlets" lane, unless the outlet filter chose them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from dashboard.web import inputs

LANES = 12
OTHER = "(other)"  # the key of the folded lane: no outlet key has brackets
OTHER_LABEL = ("其他媒体", "other outlets")
OTHER_COLOUR = "#8a8a8a"
BULK = (0.01, 0.99)  # the share of publications the default window leaves out on each side
PAD = 0.04  # of the bulk's span, added on each side (and at least MIN_PAD)
MIN_PAD = timedelta(days=2)
Window = tuple[date, date]  # first and last day shown
EVERYTHING: Window = (inputs.EARLIEST, inputs.LATEST)  # "window=all": every event's dates


@dataclass(frozen=True)
class Lanes:
    """The lanes from top to bottom (outlet keys, OTHER last when some are folded)."""

    keys: tuple[str, ...]
    folded: frozenset[str] = frozenset()

    def numbers(self, outlets: pd.Series) -> np.ndarray:
        """The lane of each event, from its (categorical) outlet column; -1: no lane."""
        lane_of = {key: n for n, key in enumerate(self.keys)}
        other = lane_of.get(OTHER, -1)
        categories = outlets.cat.categories
        codes = np.array([lane_of.get(o, other if o in self.folded else -1) for o in categories])
        return codes[outlets.cat.codes.to_numpy()] if len(codes) else np.zeros(0, dtype=np.int64)


def lanes_for(ranked: list[str], present: set[str], chosen: tuple[str, ...]) -> Lanes:
    """Lanes for the outlets ``present`` in a view (``ranked``: most events first): the ones
    chosen in the filter, each its own, or else the LANES first and one lane for the rest."""
    if chosen:
        return Lanes(tuple(o for o in chosen if o in present))
    shown = [o for o in ranked if o in present]
    if len(shown) <= LANES + 1:  # a lane of one outlet is clearer than "other outlets"
        return Lanes(tuple(shown))
    return Lanes((*shown[:LANES], OTHER), frozenset(shown[LANES:]))


def default_window(events: pd.DataFrame) -> Window | None:
    """The bulk of the publications (or of all the events, when none is a publication)."""
    if events.empty:
        return None
    starts = events["start"].to_numpy()
    published = starts[(events["kind"] == "published").to_numpy()]
    days = (published if len(published) else starts).astype("datetime64[D]").astype(np.int64)
    lo, hi = np.quantile(days, BULK, method="inverted_cdf")
    pad = max(timedelta(days=float(hi - lo) * PAD), MIN_PAD)
    first = date(1970, 1, 1) + timedelta(days=int(lo))
    last = date(1970, 1, 1) + timedelta(days=int(hi))
    return _clamped(first - pad, last + pad)


def extent(events: pd.DataFrame) -> Window | None:
    """From the first event's first day to the last one's last."""
    if events.empty:
        return None
    return _clamped(events["start"].min().date(), events["end"].max().date())


def _clamped(first: date, last: date) -> Window:
    return max(first, inputs.EARLIEST), min(last, inputs.LATEST)


def shown_window(window: Window | None, start: date | None, end: date | None,
                 events: pd.DataFrame) -> Window | None:  # fmt: skip
    """The window a view shows: the chosen one (EVERYTHING: the events' extent), else the date
    filter's (its open side from the events), else the default."""
    if window == EVERYTHING:
        return extent(events)
    if window is not None:
        return window
    if start or end:
        span = extent(events)
        if span is None and not (start and end):
            return None
        return (start or span[0], end or span[1])  # type: ignore[index]
    return default_window(events)


@dataclass(frozen=True)
class Shown:
    """The window a view shows and which of its events fall in it."""

    window: Window | None
    inside: np.ndarray  # one boolean per event of the view

    @classmethod
    def of(cls, events: pd.DataFrame, window: Window | None, start: date | None,
           end: date | None) -> Shown:  # fmt: skip
        chosen = shown_window(window, start, end, events)
        return cls(chosen, visible(events, chosen))


def visible(events: pd.DataFrame, window: Window | None) -> np.ndarray:
    """Which events overlap the window (all of them without one)."""
    if window is None:
        return np.ones(len(events), dtype=bool)
    first, last = pd.Timestamp(window[0]), pd.Timestamp(window[1]) + pd.Timedelta(days=1)
    return ((events["end"] >= first) & (events["start"] < last)).to_numpy()


def from_relayout(relayout: Any) -> tuple[bool, Window | None]:
    """Whether a plotly relayout event asks for a window, and which: the one zoomed or panned
    to (either x-axis, as two keys or one list), or None for "back to the default"
    (autorange). A resize, or a range that does not parse, asks for nothing."""
    if not isinstance(relayout, dict) or len(relayout) > 20:
        return False, None
    for axis in ("xaxis", "xaxis2"):
        if relayout.get(f"{axis}.autorange") is True:
            return True, None
        pair = relayout.get(f"{axis}.range")
        if not isinstance(pair, list):
            pair = [relayout.get(f"{axis}.range[0]"), relayout.get(f"{axis}.range[1]")]
        if len(pair) == 2 and all(isinstance(v, str) for v in pair):
            notices: list[str] = []
            first, last = (inputs.iso_day(v[:10], "window", notices) for v in pair)
            if first and last and not notices and first <= last:
                return True, (first, last)
            return False, None
    return False, None


def parse(raw: str | None, notices: list[str]) -> Window | None:
    """A window from the address: "all", or "FIRST..LAST" (days)."""
    if not raw:
        return None
    if raw == "all":
        return EVERYTHING
    first_raw, sep, last_raw = raw.partition("..")
    first = inputs.iso_day(first_raw, "window", notices) if sep else None
    last = inputs.iso_day(last_raw, "window", notices) if sep else None
    if first is None or last is None or first > last:
        notices.append(f"window ignored: {raw[:60]!r} is not FIRST..LAST (YYYY-MM-DD)")
        return None
    return first, last


def written(window: Window | None) -> str:
    if window is None:
        return ""
    return "all" if window == EVERYTHING else f"{window[0].isoformat()}..{window[1].isoformat()}"
