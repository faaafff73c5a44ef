"""The events table as users get it: in a download from the dashboard, or from the CLI.

A `published` event is exported as the period its article's publication names, in UTC instants:
`start` is the first second of the period and `end` the last, at the article's own precision
(second: both the instant; minute: hh:mm:00 .. hh:mm:59; day, month, year: 00:00:00 of the first
day .. 23:59:59 of the last). Calendar dates (day, month, year) are taken as written, not shifted
by the outlet's zone, as the events themselves are. A `mentioned` event keeps its dates
(YYYY-MM-DD) and precision. Every event's `reference` is the publication instant it was resolved
against (UTC), with `reference_precision`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.parsing.article_export import iso_instants, utc_seconds
from dashboard.parsing.events import EVENT_COLUMNS
from dashboard.parsing.store import CorpusData
from dashboard.web.filters import Filters, select

# Each event with its story, the entities of its sentence, and its article's title, URL and
# repost relationship (the id of the original in the corpus, else the URL the article names).
EXPORT_COLUMNS = [c for c in EVENT_COLUMNS if c != "offset"] + [
    "story", "entities", "title", "url", "repost_of",
]  # fmt: skip
# A publication precision → the numpy unit of the period it names.
PERIOD_UNITS = {"second": "s", "minute": "m", "day": "D", "month": "M", "year": "Y"}
ONE_SECOND = np.timedelta64(1, "s")


def export_frame(data: CorpusData, filters: Filters) -> pd.DataFrame:
    """The events behind a view: instants and dates as ISO text, entities joined by ';'."""
    events = data.full(select(data, filters).events)
    positions = events["article_pos"].to_numpy()
    rows = data.articles.iloc[positions]
    original = rows["repost_of_id"].where(rows["repost_of_id"].notna(), rows["repost_of"])
    frame = events.assign(
        title=rows["title"].to_numpy(), url=rows["url"].to_numpy(),
        repost_of=original.to_numpy(), entities=[";".join(e) for e in events["entities"]],
        story=events["story"].astype(object).where(events["story"].notna(), None),
        **event_times(events, data.articles, positions),
    )  # fmt: skip
    frame = frame[EXPORT_COLUMNS].astype(object)
    return frame.where(frame.notna(), None)  # missing is null in JSON, empty in CSV, never NaN


def event_times(
    events: pd.DataFrame, articles: pd.DataFrame, positions: np.ndarray
) -> dict[str, np.ndarray]:
    """start, end, precision and reference of each event; `positions` are its articles' rows."""
    # Publication instants are formatted once per article, then taken for each of its events.
    published = utc_seconds(articles["published"])
    precision = articles["precision"].to_numpy(dtype=object)
    first, last = period_bounds(published, precision)
    is_published = (events["kind"] == "published").to_numpy(dtype=bool)
    pub_precision = precision[positions]
    return {
        "start": np.where(is_published, iso_instants(first)[positions], iso_dates(events["start"])),
        "end": np.where(is_published, iso_instants(last)[positions], iso_dates(events["end"])),
        "precision": np.where(is_published, pub_precision, events["precision"].to_numpy(object)),
        "reference": iso_instants(published)[positions],
        "reference_precision": pub_precision,
    }


def period_bounds(instants: np.ndarray, precisions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last second of the period each instant names at its precision (datetime64[s])."""
    first, last = instants.copy(), instants.copy()  # an unknown precision is its instant
    for precision, unit in PERIOD_UNITS.items():
        mask = precisions == precision
        if mask.any():
            # numpy floors to a coarser unit (also before 1970) and counts periods past year 9999.
            period = instants[mask].astype(f"datetime64[{unit}]")
            first[mask] = period.astype("datetime64[s]")
            last[mask] = (period + 1).astype("datetime64[s]") - ONE_SECOND
    return first, last


def iso_dates(values: pd.Series) -> np.ndarray:
    """Calendar dates as YYYY-MM-DD (zero-padded for years before 1000); NaT is None."""
    days = utc_seconds(values).astype("datetime64[D]")
    text = np.datetime_as_string(days, unit="D").astype(object)
    text[np.isnat(days)] = None
    return text
