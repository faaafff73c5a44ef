"""The story page (``?story=<id>``): every report of one happening across outlets.

Reports come in the order they came out (dashboard.web.reports), each with its outlet, its
publication time, its lag behind the first report, its sentence about the happening with the
date marked, and its repost links both ways. Under the list, the outlets of the current view
that never reported it. The page shows the whole story whatever the filters; they stay in
every link, so closing the page returns to the view it was opened from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from dash import dcc, html

from dashboard.parsing.store import CorpusData
from dashboard.web.figures import PRECISION_LABELS, date_label
from dashboard.web.filters import Filters
from dashboard.web.labels import t
from dashboard.web.naming import (
    article_link,
    chip,
    marked_excerpt,
    outlet_name,
    published_label,
    view_link,
)
from dashboard.web.reports import Lag, in_report_order, lags, report_times
from dashboard.web.story_labels import story_label

SENTENCES_PER_REPORT = 2  # an article's sentences about the happening shown on its row


@dataclass(frozen=True)
class StoryReports:
    """One story's reports: article rows in report order, each one's lag, and the rows (in
    ``data.events``) of each one's events in the story."""

    story: str
    positions: np.ndarray
    lags: list[Lag]
    events: list[np.ndarray]

    @property
    def first_event(self) -> int:
        return int(self.events[0][0])


def story_reports(data: CorpusData, story: str) -> StoryReports | None:
    """The reports of a story, or None when no story has that id."""
    codes, ids = data.story_codes
    if story not in ids:
        return None
    rows = np.flatnonzero(codes == ids.get_loc(story))
    article_pos = data.events["article_pos"].to_numpy()[rows]
    times = report_times(data)
    ordered = in_report_order(times, np.unique(article_pos))
    return StoryReports(
        story, ordered, lags(times, ordered), [rows[article_pos == p] for p in ordered]
    )


def story_page(
    data: CorpusData, filters: Filters, present: dict[str, int], tz: str = "UTC"
) -> list[Any]:
    """The page of the story ``filters.story``; ``present``: the outlets of the current view
    (with their articles), of which those missing from the story are named."""
    lang = filters.lang
    back = html.P(
        dcc.Link(
            t("back_to_view", lang),
            href=replace(filters, story=None).to_query() or "?",
            id="story-back",
            className="back-link",
        )
    )
    reports = story_reports(data, filters.story or "")
    if reports is None:
        return [back, html.P(t("no_story", lang), className="empty")]
    first = data.events.iloc[reports.first_event]
    articles = data.articles.iloc[reports.positions]
    outlets = list(dict.fromkeys(str(o) for o in articles["outlet"]))
    when = date_label(first["start"], first["end"], str(first["precision"]))
    precision = PRECISION_LABELS.get(str(first["precision"]), ("", ""))[lang != "zh"]
    summary = t("story_summary", lang).format(reports=len(reports.positions), outlets=len(outlets))
    missing = [o for o in present if o not in set(outlets)]
    label = story_label(data, reports.story)
    assert label is not None  # the story has reports, so it has a label
    return [
        back,
        html.H2(
            [html.Time(f"{when} ({precision})", className="date"), " ", label.headline],
            id="story-title",
        ),
        html.P(
            marked_excerpt(label.sentence, label.expression, 200),
            className="story-sentence",
            id="story-sentence",
        ),
        html.P([summary, " · ", html.Code(reports.story)], className="meta", id="story-summary"),
        html.Ol(_report_items(data, reports, filters, tz), className="story-reports"),
        html.P(
            [
                t("not_reported", lang),
                ": ",
                "、".join(outlet_name(data, o, lang) for o in missing)
                if lang == "zh"
                else ", ".join(outlet_name(data, o, lang) for o in missing),
            ],
            className="meta",
            id="story-missing",
        )
        if missing
        else None,
    ]


def _report_items(
    data: CorpusData, reports: StoryReports, filters: Filters, tz: str
) -> list[html.Li]:
    lang = filters.lang
    articles = data.articles.iloc[reports.positions]
    ids = [str(i) for i in articles.index]
    copies = _copies(data.articles, ids)
    # Every report's events taken from the table at once, then split by report.
    taken = data.events.iloc[np.concatenate(reports.events)][["id", "sentence", "expression"]]
    event_ids = taken["id"].astype(str).tolist()
    said = list(zip(taken["sentence"].tolist(), taken["expression"].tolist(), strict=True))
    ends = np.cumsum([len(e) for e in reports.events]).tolist()
    items = []
    for n, (article_id, row) in enumerate(zip(ids, articles.to_dict("records"), strict=True)):
        start = ends[n - 1] if n else 0
        lag = t("first_report", lang) if n == 0 else reports.lags[n].label(lang)
        sentences = list(dict.fromkeys(said[start : ends[n]]))
        first_id = event_ids[start]
        items.append(
            html.Li(
                className="story-report",
                children=[
                    html.P(
                        [
                            chip(data, row["outlet"], lang),
                            html.Time(published_label(row, tz), className="date"),
                            " ",
                            html.Span(lag, className="lag" + (" first" if n == 0 else "")),
                        ],
                        className="report-meta",
                    ),
                    dcc.Link(
                        row["title"],
                        href=view_link(filters, article_id, first_id),
                        className="report-title",
                    ),
                    *[
                        html.Blockquote(marked_excerpt(str(s), str(e)), className="report-sentence")
                        for s, e in sentences[:SENTENCES_PER_REPORT]
                    ],
                    *_repost_links(data, row, copies.get(article_id, []), filters),
                ],
            )
        )
    return items


def _copies(articles: pd.DataFrame, ids: list[str]) -> dict[str, list[str]]:
    """For each of ``ids``, the articles of the corpus that repost it (one scan for all)."""
    originals = articles["repost_of_id"]
    hit = originals.isin(ids).to_numpy()
    out: dict[str, list[str]] = {}
    for copy, original in zip(articles.index[hit], originals[hit], strict=True):
        out.setdefault(str(original), []).append(str(copy))
    return out


def _repost_links(
    data: CorpusData, row: dict[str, Any], copies: list[str], filters: Filters
) -> list[Any]:
    lang = filters.lang
    out: list[Any] = []
    original = row.get("repost_of_id")
    if isinstance(original, str) and original in data.bodies:
        out.append(
            html.P(
                [f"{t('repost_of', lang)}: ", article_link(data, original, filters)],
                className="repost",
            )
        )
    if copies:
        links: list[Any] = []
        for n, copy in enumerate(copies):
            links += ([" · "] if n else []) + [article_link(data, copy, filters)]
        out.append(html.P([f"{t('reposted_by', lang)}: ", *links], className="repost"))
    return out


def story_frame(data: CorpusData, story: str) -> pd.DataFrame:
    """The story's reports as an export: one row per article, in report order."""
    reports = story_reports(data, story)
    if reports is None:
        return pd.DataFrame(columns=list(STORY_EXPORT_COLUMNS))
    articles = data.articles.iloc[reports.positions]
    sentences = [str(data.events["sentence"].iloc[int(e[0])]) for e in reports.events]
    return pd.DataFrame(
        {
            "story": story,
            "article": [str(i) for i in articles.index],
            "outlet": articles["outlet"].astype(str).to_numpy(),
            "published": [published_label(r, "UTC") for r in articles.to_dict("records")],
            "precision": articles["precision"].astype(str).to_numpy(),
            "lag_seconds": [lag.seconds for lag in reports.lags],
            "lag_exact": [lag.exact for lag in reports.lags],
            "title": articles["title"].to_numpy(),
            "sentence": sentences,
            "url": articles["url"].to_numpy(),
        }
    )[list(STORY_EXPORT_COLUMNS)]


STORY_EXPORT_COLUMNS = (
    "story",
    "article",
    "outlet",
    "published",
    "precision",
    "lag_seconds",
    "lag_exact",
    "title",
    "sentence",
    "url",
)
