"""The events table as users get it: in a download from the dashboard, or from the CLI."""

from __future__ import annotations

import pandas as pd

from dashboard.events import EVENT_COLUMNS
from dashboard.filters import Filters, select
from dashboard.store import CorpusData

# Each event with its story, the entities of its sentence, and its article's title, URL and
# repost relationship (the id of the original in the corpus, else the URL the article names).
EXPORT_COLUMNS = [c for c in EVENT_COLUMNS if c != "offset"] + [
    "story", "entities", "title", "url", "repost_of",
]  # fmt: skip


def export_frame(data: CorpusData, filters: Filters) -> pd.DataFrame:
    """The events behind a view: dates as ISO text, entities joined by ';'."""
    events = select(data, filters).events
    rows = data.articles.iloc[events["article_pos"].to_numpy()]
    original = rows["repost_of_id"].where(rows["repost_of_id"].notna(), rows["repost_of"])
    frame = events.assign(
        title=rows["title"].to_numpy(), url=rows["url"].to_numpy(),
        repost_of=original.to_numpy(), entities=[";".join(e) for e in events["entities"]],
        story=events["story"].astype(object).where(events["story"].notna(), None),
    )  # fmt: skip
    for column in ("start", "end", "reference"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    frame = frame[EXPORT_COLUMNS].astype(object)
    return frame.where(frame.notna(), None)  # missing is null in JSON, empty in CSV, never NaN
