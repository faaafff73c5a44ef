"""The chronology (``?view=chronology``): what happened when, and according to whom.

One row per happening of the current view: a story (every mention of one happening across
articles) or a mentioned date in no story. Each row has its date at its precision, its
representative sentence (the first report's, the date marked), the outlets that report it,
the first report and links to every report. Rows are in date order, or by how many outlets or
reports they have (``sort=``), 50 to a page (``cpage=``), so every row is reachable at any size
and a page can be shared. It is an HTML table of links: the accessible alternative to the chart.

The rows are worked out with integer arrays over the selection's events (no Python loop per
event) and kept with the search results; only the page shown is turned into components.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from dash import dcc, html

from dashboard.parsing.store import CorpusData
from dashboard.web.export import iso_dates
from dashboard.web.figures import PRECISION_LABELS, date_label
from dashboard.web.filters import Filters, Selection, cached, distinct_per_group
from dashboard.web.labels import t
from dashboard.web.listing import navigation, pages
from dashboard.web.naming import marked_excerpt, outlet_name, published_label, view_link
from dashboard.web.reports import report_times
from dashboard.web.story_labels import StoryLabel, story_labels

ROWS_PER_PAGE = 50
REPORT_LINKS = 6  # per row; a story's page lists them all
KEEP = 4  # chronologies (and orders) kept per worker: 17 MB each for 300,000 rows


@dataclass(frozen=True)
class Happenings:
    """The chronology's rows. Per row: the ``data.events`` row of its first report's event,
    its story code (-1: an event in no story), its reports (articles), its outlets and its
    day (days since 1970). ``members`` holds every event of every row (``data.events`` rows),
    row after row, each row's in report order; row r's are ``members[bounds[r]:bounds[r+1]]``."""

    first: np.ndarray
    story: np.ndarray
    reports: np.ndarray
    outlets: np.ndarray
    day: np.ndarray
    members: np.ndarray
    bounds: np.ndarray

    def __len__(self) -> int:
        return len(self.first)

    def order(self, sort: str) -> np.ndarray:
        """The rows in a chronology order (each breaks its ties by date, then by row)."""
        tie = np.arange(len(self))
        if sort == "-date":
            return np.lexsort((tie, -self.day))
        if sort == "outlets":
            return np.lexsort((tie, self.day, -self.reports, -self.outlets))
        if sort == "reports":
            return np.lexsort((tie, self.day, -self.outlets, -self.reports))
        return np.lexsort((tie, self.day))


def happenings(data: CorpusData, selection: Selection, filters: Filters) -> Happenings:
    """The chronology of a view (kept with the search results, by its filters)."""
    key = ("chronology", filters.rows.to_query())
    return cached(data, key, lambda: _happenings(data, selection.events), keep=KEEP)


def _happenings(data: CorpusData, events: pd.DataFrame) -> Happenings:
    mentioned = (events["kind"] == "mentioned").to_numpy()
    rows = events["row"].to_numpy()[mentioned]
    positions = events["article_pos"].to_numpy()[mentioned]
    codes, ids = data.story_codes
    story = codes[rows]
    # A story is one group; an event in none is a group of its own.
    group = np.where(story >= 0, story, len(ids) + rows)
    rank = report_times(data).rank[positions]
    order = np.lexsort((rows, rank, group))
    group, rows, positions, story = group[order], rows[order], positions[order], story[order]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(group) else order[:0]
    index = np.cumsum(np.r_[True, group[1:] != group[:-1]]) - 1 if len(group) else order[:0]
    # Events sorted by report within a group: a new article starts where the row changes.
    new_article = np.r_[True, (group[1:] != group[:-1]) | (positions[1:] != positions[:-1])]
    reports = np.add.reduceat(new_article.astype(np.int64), starts) if len(starts) else starts
    outlet_codes, names = data.article_outlets
    # Only a story can have more than one outlet: only story events are counted.
    told = story >= 0
    outlets = distinct_per_group(
        index[told], outlet_codes[positions[told]], len(names), len(starts)
    )
    outlets[outlets == 0] = 1
    first = rows[starts]
    day = data.events["start"].to_numpy()[first].astype("datetime64[D]").astype(np.int64)
    return Happenings(first, story[starts], reports, outlets, day, rows, np.r_[starts, len(rows)])


def chronology_view(
    data: CorpusData, selection: Selection, filters: Filters, tz: str = "UTC"
) -> list[Any]:
    """The chronology's page ``filters.cpage`` in ``filters.sort`` order, with its headings
    (links that sort) and its navigation."""
    lang = filters.lang
    rows = happenings(data, selection, filters)
    if not len(rows):
        return [html.P(t("no_happenings", lang), className="empty", id="chronology-empty")]
    page = min(filters.cpage, pages(len(rows), ROWS_PER_PAGE))
    order = cached(
        data,
        ("chronology-order", filters.rows.to_query(), filters.sort),
        lambda: rows.order(filters.sort),
        keep=KEEP,
    )
    shown = order[(page - 1) * ROWS_PER_PAGE : page * ROWS_PER_PAGE]
    named: dict[str, Any] = {"aria-label": t("chronology", lang)}
    nav = navigation(
        filters, page, len(rows), "cpage", ROWS_PER_PAGE, "chronology_summary", "cpage-summary"
    )
    return [
        html.Nav(nav, className="article-nav", **named),
        html.Div(
            className="table-scroll",
            children=html.Table(
                [
                    _head(filters),
                    html.Tbody(_page_rows(data, rows, shown, filters, tz)),
                ],
                className="chronology",
                id="chronology-table",
            ),
        ),
    ]


def _head(filters: Filters) -> html.Thead:
    lang = filters.lang
    date_sort = "-date" if filters.sort == "date" else "date"
    columns = [
        ("when", date_sort),
        ("happening", None),
        ("outlets_column", "outlets"),
        ("first_report_column", None),
        ("reports_column", "reports"),
    ]
    cells = []
    for key, sort in columns:
        label: Any = t(key, lang)
        aria: dict[str, Any] = {}
        if sort is not None:
            current = filters.sort == sort or (key == "when" and filters.sort in ("date", "-date"))
            arrow = {"date": " ▲", "-date": " ▼"}.get(filters.sort, " ▼") if current else ""
            href = replace(filters, sort=sort, cpage=1).to_query() or "?"
            label = dcc.Link(label + arrow, href=href, className="sort-link")
            if current:
                aria = {"aria-sort": "descending" if filters.sort != "date" else "ascending"}
        cells.append(html.Th(label, scope="col", **aria))
    return html.Thead(html.Tr(cells))


@dataclass(frozen=True)
class _Report:
    """One report linked from a row: its article's id and outlet, and its event's id."""

    article: str
    outlet: str
    event: str


def _page_rows(
    data: CorpusData, rows: Happenings, shown: np.ndarray, filters: Filters, tz: str
) -> list[html.Tr]:
    """The rows of one page, their columns taken from the tables once for the whole page
    (taking them row by row converted whole columns fifty times)."""
    article_pos = data.events["article_pos"].to_numpy()
    outlet_codes, outlet_keys = data.article_outlets
    reports, linked = [], []
    for r in shown:
        members = rows.members[rows.bounds[r] : rows.bounds[r + 1]]
        positions = article_pos[members]
        keep = np.r_[True, positions[1:] != positions[:-1]]  # one event per report
        reports.append(positions[keep])
        linked.append((positions[keep][:REPORT_LINKS], members[keep][:REPORT_LINKS]))
    link_pos = np.concatenate([p for p, _ in linked])
    link_ids = data.articles.index[link_pos].astype(str).tolist()
    event_ids = data.events["id"].iloc[np.concatenate([e for _, e in linked])].astype(str).tolist()
    firsts = data.events.iloc[rows.first[shown]][
        ["start", "end", "precision", "expression", "sentence"]
    ].to_dict("records")
    leading = data.articles.iloc[[int(p[0]) for p in reports]][["published", "precision"]]
    labels = _row_labels(data, rows.story[shown])
    out, at = [], 0
    for n, r in enumerate(shown):
        count = len(linked[n][0])
        links = [
            _Report(link_ids[at + k], outlet_keys[outlet_codes[link_pos[at + k]]],
                    event_ids[at + k])
            for k in range(count)
        ]  # fmt: skip
        at += count
        outlets = [outlet_keys[c] for c in dict.fromkeys(outlet_codes[reports[n]].tolist())]
        out.append(
            _row(
                data, rows, int(r), firsts[n], labels[n], leading.iloc[n], outlets, links,
                filters, tz,
            )
        )  # fmt: skip
    return out


def _row_labels(data: CorpusData, codes: np.ndarray) -> list[StoryLabel | None]:
    """The label of each row's story (None for a row in no story)."""
    ids = data.story_codes[1]
    stories = [str(ids[c]) if c >= 0 else None for c in codes]
    labels = story_labels(data, [s for s in stories if s is not None])
    return [labels.get(s) if s is not None else None for s in stories]


def _row(
    data: CorpusData,
    rows: Happenings,
    r: int,
    first: dict[str, Any],
    label: StoryLabel | None,
    leading: pd.Series,
    outlets: list[str],
    reports: list[_Report],
    filters: Filters,
    tz: str,
) -> html.Tr:
    lang = filters.lang
    precision = PRECISION_LABELS.get(str(first["precision"]), ("", ""))[lang != "zh"]
    sep = "、" if lang == "zh" else ", "
    links: list[Any] = []
    for n, report in enumerate(reports):
        links += ([" · "] if n else []) + [
            dcc.Link(
                outlet_name(data, report.outlet, lang),
                href=view_link(filters, report.article, report.event),
                className="report-link",
            )
        ]
    if rows.story[r] >= 0:
        story = str(data.story_codes[1][int(rows.story[r])])
        page = replace(filters, story=story, article=None, event=None).to_query()
        links += [" ", dcc.Link(t("story_page", lang), href=page, className="story-page-link")]
    return html.Tr(
        [
            html.Td(
                [
                    html.Time(date_label(first["start"], first["end"], str(first["precision"]))),
                    html.Span(f" ({precision})", className="precision"),
                ],
                className="when",
            ),
            html.Td(
                [
                    html.Strong(label.headline, className="headline"),
                    html.Br(),
                    *marked_excerpt(label.sentence, label.expression, 60),
                ]
                if label is not None
                else marked_excerpt(str(first["sentence"]), str(first["expression"]), 60),
                className="happening",
            ),
            html.Td(
                [
                    html.Strong(str(len(outlets))),
                    " ",
                    sep.join(outlet_name(data, o, lang) for o in outlets[:8])
                    + ("…" if len(outlets) > 8 else ""),
                ],
                className="outlets",
            ),
            html.Td(
                [
                    outlet_name(data, outlets[0], lang),
                    " ",
                    html.Br(),
                    html.Span(published_label(leading, tz), className="date"),
                ],
                className="first-report",
            ),
            html.Td([html.Strong(str(int(rows.reports[r]))), " ", *links], className="reports"),
        ]
    )


CHRONOLOGY_EXPORT_COLUMNS = (
    "start",
    "end",
    "precision",
    "expression",
    "sentence",
    "headline",
    "story",
    "outlets",
    "outlet_names",
    "reports",
    "first_outlet",
    "first_published",
    "articles",
)


def chronology_frame(data: CorpusData, selection: Selection, filters: Filters) -> pd.DataFrame:
    """Every row of the chronology, in its order, as an export (articles joined by ';')."""
    rows = happenings(data, selection, filters)
    order = rows.order(filters.sort)
    first = data.events.iloc[rows.first[order]]
    article_pos = data.events["article_pos"].to_numpy()
    ids = data.articles.index.to_numpy()
    outlets = data.articles["outlet"].astype(str).to_numpy()
    member_articles = [
        list(dict.fromkeys(article_pos[rows.members[rows.bounds[r] : rows.bounds[r + 1]]]))
        for r in order
    ]
    leading = data.articles.iloc[[m[0] for m in member_articles]]
    story_ids = data.story_codes[1]
    told = _row_labels(data, rows.story[order])
    return pd.DataFrame(
        {
            "start": iso_dates(first["start"]),
            "end": iso_dates(first["end"]),
            "precision": first["precision"].astype(str).to_numpy(),
            "expression": [
                label.expression if label else e
                for label, e in zip(told, first["expression"], strict=True)
            ],
            "sentence": [
                label.sentence if label else s
                for label, s in zip(told, first["sentence"], strict=True)
            ],
            "headline": [label.headline if label else None for label in told],
            "story": [str(story_ids[s]) if s >= 0 else None for s in rows.story[order]],
            "outlets": rows.outlets[order],
            "outlet_names": [";".join(dict.fromkeys(outlets[m])) for m in member_articles],
            "reports": rows.reports[order],
            "first_outlet": outlets[[m[0] for m in member_articles]],
            "first_published": [published_label(r, "UTC") for r in leading.to_dict("records")],
            "articles": [";".join(ids[m]) for m in member_articles],
        },
        columns=list(CHRONOLOGY_EXPORT_COLUMNS),
    )
