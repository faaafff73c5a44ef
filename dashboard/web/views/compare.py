"""Compare outlets (``?view=compare``): how each outlet covered what the current view holds.

Per outlet: its articles, the share of the view's stories it reported, and its median lag
behind the first report on the stories it shares with other outlets (0 when it is usually
first). Under the table, a coverage heat map: outlets × days, weeks or months of publication,
each cell the outlet's articles in that period as a share of its busiest period (so a small
outlet's pattern reads as clearly as a large one's). A click on a cell filters by that outlet
and period.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from dash import dcc, html

from dashboard.parsing.store import CorpusData
from dashboard.web import zoom
from dashboard.web.filters import Filters, Selection, cached, distinct_per_group
from dashboard.web.labels import t
from dashboard.web.naming import outlet_name
from dashboard.web.reports import Lag, report_times

HEAT_PREFIX = "heat:"  # a cell's customdata: heat:OUTLET:FIRST:LAST
MAX_HEAT_ROWS = 30  # outlets drawn in the heat map (most articles first); the table has all
MAX_COLUMNS = 120  # periods: days while they fit, else weeks, else months
EPOCH = date(1970, 1, 1)
FITS = {  # the publication precisions that place an article in a day's, week's, month's cell
    "day": ("second", "minute", "day"),
    "week": ("second", "minute", "day"),
    "month": ("second", "minute", "day", "month"),
}
HEAT_COLOURS = [[0, "#f3f6fa"], [0.001, "#dbe8f5"], [1, "#0b4f96"]]  # none, a few, the peak


def story_firsts(data: CorpusData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per story code, over the whole corpus (a lag is behind the story's first report, whoever
    made it): when its first report came out (seconds), whether that is an exact instant, and
    how many outlets reported it."""

    def compute() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        codes, ids = data.story_codes
        inside = codes >= 0
        stories = codes[inside]
        positions = data.events["article_pos"].to_numpy()[inside]
        times = report_times(data)
        order = np.lexsort((times.rank[positions], stories))
        starts = np.r_[True, stories[order][1:] != stories[order][:-1]] if len(order) else []
        firsts = order[starts]
        first = np.zeros(len(ids), dtype=np.int64)
        exact = np.zeros(len(ids), dtype=bool)
        first[stories[firsts]] = times.out_by[positions[firsts]]
        exact[stories[firsts]] = times.exact[positions[firsts]]
        outlet_codes, names = data.article_outlets
        spread = distinct_per_group(stories, outlet_codes[positions], len(names), len(ids))
        return first, exact, spread

    return cached(data, ("story-firsts",), compute)


def outlet_table(data: CorpusData, selection: Selection) -> pd.DataFrame:
    """One row per outlet of the view, most articles first: articles, stories reported (and
    their share of the view's stories), stories shared with other outlets, median lag."""
    outlet_codes, names = data.article_outlets
    width = max(len(names), 1)
    articles = np.bincount(outlet_codes[selection.positions], minlength=len(names))
    events = selection.events
    codes = data.story_codes[0][events["row"].to_numpy()]
    inside = codes >= 0
    stories, positions = codes[inside], events["article_pos"].to_numpy()[inside]
    times = report_times(data)
    # An outlet's report on a story is its earliest article in it.
    per_pair = (
        pd.DataFrame(
            {
                "key": stories * width + outlet_codes[positions],
                "out_by": times.out_by[positions],
                "exact": times.exact[positions],
            }
        )
        .groupby("key")
        .agg(out_by=("out_by", "min"), exact=("exact", "all"))
    )
    pairs = per_pair.index.to_numpy(dtype=np.int64)
    story_of, outlet_of = pairs // width, pairs % width
    first, first_exact, spread = story_firsts(data)
    shared = spread[story_of] >= 2
    lags = pd.DataFrame(
        {
            "outlet": outlet_of[shared],
            "lag": (per_pair["out_by"].to_numpy() - first[story_of])[shared],
            "exact": (per_pair["exact"].to_numpy() & first_exact[story_of])[shared],
        }
    ).groupby("outlet")
    total = len(np.unique(stories))
    frame = pd.DataFrame({"outlet": names, "articles": articles})
    frame["stories"] = np.bincount(outlet_of, minlength=len(names))
    frame["share"] = frame["stories"] / total if total else 0.0
    frame["shared"] = np.bincount(outlet_of[shared], minlength=len(names))
    frame["median_lag"] = lags["lag"].median().reindex(range(len(names))).to_numpy()
    # A median is exact when most of the lags it is taken over are.
    frame["lag_exact"] = lags["exact"].mean().reindex(range(len(names))).fillna(0).to_numpy() >= 0.5
    frame = frame[frame["articles"] > 0]
    return frame.sort_values(["articles", "outlet"], ascending=[False, True], kind="stable")


def compare_view(data: CorpusData, selection: Selection, filters: Filters) -> list[Any]:
    """The outlets' table, or a note when the view is empty."""
    lang = filters.lang
    table = cached(
        data, ("compare", filters.rows.to_query()), lambda: outlet_table(data, selection)
    )
    if table.empty:
        return [html.P(t("no_articles", lang), className="empty")]
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(k, lang), scope="col")
                for k in ("outlet", "articles", "stories_share", "shared", "median_lag")
            ]
        )
    )
    body = []
    for row in table.to_dict("records"):
        key = str(row["outlet"])
        only = replace(filters, outlets=(key,), cpage=1, page=1).to_query()
        lag = (
            Lag(int(row["median_lag"]), bool(row["lag_exact"])).label(lang)
            if row["shared"] and not np.isnan(row["median_lag"])
            else "—"
        )
        body.append(
            html.Tr(
                [
                    html.Th(dcc.Link(outlet_name(data, key, lang), href=only), scope="row"),
                    html.Td(f"{int(row['articles']):,}", className="number"),
                    html.Td(f"{int(row['stories']):,} ({row['share']:.0%})", className="number"),
                    html.Td(f"{int(row['shared']):,}", className="number"),
                    html.Td(lag, className="number"),
                ]
            )
        )
    return [
        html.Div(
            html.Table([head, html.Tbody(body)], className="compare", id="compare-table-rows"),
            className="table-scroll",
        )
    ]


def period_unit(first: date, last: date) -> str:
    """The finest of day, week and month that keeps the heat map within MAX_COLUMNS."""
    span = (last - first).days + 1
    if span <= MAX_COLUMNS:
        return "day"
    return "week" if span <= MAX_COLUMNS * 7 else "month"


def _period_starts(days: np.ndarray, unit: str) -> np.ndarray:
    """The first day (days since 1970) of each day's period; weeks start on Monday."""
    if unit == "day":
        return days
    if unit == "week":
        return days - (days + 3) % 7  # 1970-01-01 was a Thursday
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64)


def heat_figure(data: CorpusData, selection: Selection, filters: Filters) -> dict[str, Any]:
    """Outlets × periods of publication, each cell a share of the outlet's busiest period (a
    plain figure dict, as the timeline's: building plotly objects costs more than the data)."""
    lang = filters.lang
    published = selection.events[selection.events["kind"] == "published"]
    window = zoom.shown_window(None, filters.start, filters.end, published)
    layout: dict[str, Any] = {
        "margin": {"l": 10, "r": 10, "t": 30, "b": 40}, "height": 200,
        "paper_bgcolor": "#fff", "plot_bgcolor": "#fff",
    }  # fmt: skip
    if window is None:
        return {"data": [], "layout": layout}
    days = published["start"].to_numpy().astype("datetime64[D]").astype(np.int64)
    lo, hi = (window[0] - EPOCH).days, (window[1] - EPOCH).days
    unit = period_unit(window[0], window[1])
    # A publication known only to its month is in no day's or week's cell (never turned into
    # the 1st): the title says how many the map leaves out for that.
    fits = published["precision"].astype(str).isin(FITS[unit]).to_numpy()
    inside = (days >= lo) & (days <= hi)
    vague = int((inside & ~fits).sum())
    outlets = published["outlet"].astype(str).to_numpy()
    present = set(outlets[inside])  # an outlet of the window has its row, even an empty one
    ranked = [o for o in data.outlets if o in present][:MAX_HEAT_ROWS]
    inside &= fits
    starts = _period_starts(days[inside], unit)
    outlets = outlets[inside]
    columns = np.unique(_period_starts(np.arange(lo, hi + 1), unit))
    counts = np.zeros((len(ranked), len(columns)), dtype=np.int64)
    row_of = {o: n for n, o in enumerate(ranked)}
    rows = np.array([row_of.get(o, -1) for o in outlets], dtype=np.int64)
    keep = rows >= 0
    np.add.at(counts, (rows[keep], np.searchsorted(columns, starts[keep])), 1)
    peak = np.maximum(counts.max(axis=1, keepdims=True), 1) if len(ranked) else 1
    ends = np.r_[columns[1:] - 1, _period_end(int(columns[-1]), unit)]
    firsts = [(EPOCH + timedelta(days=int(d))).isoformat() for d in columns]
    lasts = [(EPOCH + timedelta(days=int(d))).isoformat() for d in ends]
    custom = [[f"{HEAT_PREFIX}{o}:{a}:{b}" for a, b in zip(firsts, lasts, strict=True)]
              for o in ranked]  # fmt: skip
    heat = {
        "type": "heatmap", "z": (counts / peak).round(3).tolist(), "x": firsts,
        "y": [outlet_name(data, o, lang) for o in ranked], "customdata": custom,
        "text": counts.tolist(), "colorscale": HEAT_COLOURS, "zmin": 0, "zmax": 1, "xgap": 1,
        "ygap": 1, "showscale": False,
        "hovertemplate": "%{y} · %{x}<br>" + t("heat_hover", lang) + "<extra></extra>",
    }  # fmt: skip
    layout.update(
        height=max(200, 70 + 24 * len(ranked)),
        title={
            "text": t(f"heat_{unit}", lang)
            + (t("heat_vague", lang).format(n=f"{vague:,}") if vague else ""),
            "font": {"size": 13},
            "x": 0,
        },
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        xaxis={"type": "category" if unit == "month" else "date", "fixedrange": True},
    )
    return {"data": [heat], "layout": layout}


def _period_end(first: int, unit: str) -> int:
    if unit == "day":
        return first
    if unit == "week":
        return first + 6
    month = np.datetime64(EPOCH + timedelta(days=first), "M") + 1
    return int(month.astype("datetime64[D]").astype(np.int64)) - 1


def from_heat_click(click: Any, current: Filters, data: CorpusData) -> Filters:
    """The view a click on a heat-map cell asks for: that outlet over that period."""
    try:
        point = click["points"][0]["customdata"]
    except (TypeError, KeyError, IndexError):
        return current
    if not isinstance(point, str) or not point.startswith(HEAT_PREFIX):
        return current
    outlet, _, span = point.removeprefix(HEAT_PREFIX).partition(":")
    first, _, last = span.partition(":")
    try:
        lo, hi = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        return current
    if outlet not in data.outlets or lo > hi:
        return current
    return replace(current, outlets=(outlet,), start=lo, end=hi, page=1, cpage=1, window=None)


COMPARE_EXPORT_COLUMNS = ("outlet", "articles", "stories", "share", "shared", "median_lag_seconds")


def compare_frame(data: CorpusData, selection: Selection) -> pd.DataFrame:
    """The outlets' table as an export."""
    table = outlet_table(data, selection)
    return table.assign(median_lag_seconds=table["median_lag"])[list(COMPARE_EXPORT_COLUMNS)]
