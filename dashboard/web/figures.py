"""Figures: the timeline (one lane per outlet) over the coverage volume; pure, no Dash.

Publications are filled markers, mentioned days hollow ones, and week/month/year/range mentions
are drawn as spans. Overlaps are spread by a stable jitter inside each lane. One marker per event
while the markers' hover texts fit MAX_FIGURE_BYTES (and there are at most MAX_POINTS of them);
past that the events are grouped per outlet, kind and day into markers sized by their count.
Each marker carries one string: its event's id, or ``day:YYYY-MM-DD`` for a group.

Figures are plain Plotly JSON (dicts): a filter callback at 10,000 articles cannot afford
plotly.graph_objects' validation of every trace.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import textwrap
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from dashboard.parsing.store import CorpusData
from dashboard.web import marklabels, zoom
from dashboard.web.bins import UNIT_LABELS, Bins, binned
from dashboard.web.filters import Filters, Selection
from dashboard.web.story_labels import story_labels

Figure = dict[str, Any]
MAX_POINTS = 1500
# What one response may spend on the markers' hover texts: with positions and ids, the timeline
# of a view stays under 200 KB of JSON whatever its size.
MAX_FIGURE_BYTES = 120_000
# A grouped mark's click names its bin: "days:2022-03-21:2022-03-27".
RANGE_PREFIX = "days:"
MAX_GROUP_MARKS = 1200
MAX_STORY_MARKS = 400
# Bars of the volume pane, all lanes together: about one per two or three pixels of its width.
# More are drawn but cannot be told apart, and each is a styled SVG path the browser builds.
MAX_BARS = 500
GROUPED_HINT = ("点击标记放大", "click a mark to zoom in")
# A hover shows the title on two lines at most and the mention's sentence around its expression.
TITLE_CHARS = 2 * 34
CONTEXT_CHARS = 24
DAY = pd.Timedelta(days=1)
DAY_MS = 86_400_000
JITTER = 0.34
WRAP = 34
TIMELINE_DOMAIN = [0.3, 1.0]
VOLUME_DOMAIN = [0.0, 0.2]
FONT = (
    "system-ui, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', "
    "'Source Han Sans SC', 'WenQuanYi Zen Hei', sans-serif"
)
PRECISION_LABELS = {
    "day": ("日", "day"), "week": ("周", "week"), "month": ("月", "month"),
    "year": ("年", "year"), "range": ("时段", "range"),
}  # fmt: skip
KIND_LABELS = {"published": ("发布", "published"), "mentioned": ("提及", "mentioned")}
TODAY_LABELS = ("最新报道", "latest report")
STORY_LANE = ("多家报道", "stories")
VOLUME_TITLES = {  # by the unit of the volume pane's bars
    "day": ("每日文章数", "articles/day"), "week": ("每周文章数", "articles/week"),
    "month": ("每月文章数", "articles/month"), "quarter": ("每季度文章数", "articles/quarter"),
    "year": ("每年文章数", "articles/year"),
}  # fmt: skip


def _t(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def jitter(event_id: str) -> float:
    """A stable offset in [-JITTER, JITTER] so one event always sits at the same height."""
    digest = hashlib.blake2s(event_id.encode("utf-8"), digest_size=2).digest()
    return (int.from_bytes(digest, "big") / 65535 * 2 - 1) * JITTER


def date_label(start: pd.Timestamp, end: pd.Timestamp, precision: str) -> str:
    """A date shown at its precision: never a day for a month."""
    if precision == "month":
        return f"{start:%Y-%m}"
    if precision == "year":
        return f"{start:%Y}"
    if precision == "day" or start == end:
        return f"{start:%Y-%m-%d}"
    return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"


def excerpt(sentence: str, expression: str, width: int = CONTEXT_CHARS) -> str:
    """The part of a sentence around its expression, with … where it was cut."""
    at = max(sentence.find(expression), 0)
    lo = max(at - width, 0)
    hi = min(at + len(expression) + width, len(sentence))
    return ("…" if lo else "") + sentence[lo:hi] + ("…" if hi < len(sentence) else "")


def _wrap(text: str, limit: int = TITLE_CHARS) -> str:
    short = text if len(text) <= limit else text[:limit] + "…"
    if " " in short:  # Latin words break at spaces
        parts = textwrap.wrap(short, WRAP) or [""]
    else:  # Chinese breaks anywhere (and textwrap costs 40 µs a call for it)
        parts = [short[i : i + WRAP] for i in range(0, len(short), WRAP)] or [""]
    return "<br>".join(html.escape(part) for part in parts)


def date_labels(rows: pd.DataFrame) -> list[str]:
    """date_label for every row at once (strftime per column, not per row)."""
    day = rows["start"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    end = rows["end"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    month = rows["start"].dt.strftime("%Y-%m").to_numpy(dtype=object)
    year = rows["start"].dt.strftime("%Y").to_numpy(dtype=object)
    out = []
    for p, d, e, m, y in zip(rows["precision"].to_numpy(), day, end, month, year, strict=True):
        if p == "month":
            out.append(m)
        elif p == "year":
            out.append(y)
        elif p == "day" or d == e:
            out.append(d)
        else:
            out.append(f"{d} – {e}")
    return out


def estimated_bytes(data: CorpusData, events: pd.DataFrame) -> int:
    """About what the events' hover texts weigh (before they are built): titles as cut for the
    hover, the date and outlet line, and for a mention its expression and sentence excerpt."""
    titles = data.title_lengths[events["article_pos"].to_numpy()].clip(max=TITLE_CHARS)
    mentioned = (events["kind"] == "mentioned").to_numpy()
    chars = titles.sum() + 40 * len(events) + int(mentioned.sum()) * (2 * CONTEXT_CHARS + 16)
    return int(chars) * 2  # CJK text is 3 bytes a character, ASCII 1


def hover_texts(data: CorpusData, rows: pd.DataFrame, lang: str) -> list[str]:
    """The hover label of every row of the corpus's events."""
    names = {o: _name(data, o, lang) for o in data.outlets}
    titles = data.titles_of(rows["article_pos"].to_numpy())
    return hover_lines(rows, titles, names, lang)


def hover_lines(
    rows: pd.DataFrame, titles: Mapping[int, str], names: dict[str, str], lang: str
) -> list[str]:
    """Hover labels of event rows (titles by article_pos, outlet names by key), each title and
    name escaped once: every piece of article text shows as text, never as markup."""
    wrapped: dict[int, str] = {}
    names = {key: html.escape(name) for key, name in names.items()}
    kinds = {k: _t(v, lang) for k, v in KIND_LABELS.items()}
    precisions = {k: _t(v, lang) for k, v in PRECISION_LABELS.items()}
    out = []
    for when, outlet, kind, precision, pos, expression, sentence in zip(
        date_labels(rows), rows["outlet"].to_numpy(), rows["kind"].to_numpy(),
        rows["precision"].to_numpy(),
        rows["article_pos"].to_numpy(), rows["expression"].to_numpy(),
        rows["sentence"].to_numpy(), strict=True,
    ):  # fmt: skip
        title = wrapped.get(pos)
        if title is None:
            title = wrapped[pos] = _wrap(str(titles[pos]))
        name = names.get(outlet) or html.escape(str(outlet))
        label = precisions.get(precision, "")
        head = f"{when} ({label}) · {kinds[kind]}<br>{name}<br><b>{title}</b>"
        if kind == "mentioned":
            head += f"<br>“{html.escape(expression)}”<br>{_wrap(excerpt(sentence, expression))}"
        out.append(head)
    return out


PACKED_FIELDS = ("x", "y", "hovertext", "customdata")


def packed(figure: Figure) -> Figure:
    """The figure with its traces' long lists as numpy arrays, for the JSON encoder: plotly's
    encoder cleans a list element by element in Python (a quarter of a render's server time)
    but passes a numeric array through and turns a string array into a list in one call. Lists
    with gaps (None) or mixed types stay lists."""
    traces = []
    for trace in figure.get("data", []):
        trace = dict(trace)
        for name in PACKED_FIELDS:
            trace[name] = _array(trace.get(name))
        if isinstance(trace.get("marker"), dict):
            trace["marker"] = {**trace["marker"], "size": _array(trace["marker"].get("size"))}
        traces.append({k: v for k, v in trace.items() if v is not None or k not in PACKED_FIELDS})
    return {**figure, "data": traces}


def _array(values: Any) -> Any:
    if not isinstance(values, list) or len(values) < 16:
        return values
    if all(type(v) is str for v in values):
        return np.array(values, dtype=str)
    if all(type(v) in (int, float) for v in values):
        return np.array(values, dtype=float)
    return values


def _name(data: CorpusData, key: str, lang: str) -> str:
    info = data.outlets[key]
    return info.name_zh if lang == "zh" else info.name_en


def timeline_figure(
    data: CorpusData, selection: Selection, filters: Filters, view: zoom.Shown | None = None
) -> Figure:
    """Timeline lanes over a volume chart sharing one x-axis, drawn for
    the window shown (``view``, worked out here when not given): single events when they fit,
    else counted bins."""
    events = selection.events
    lang = filters.lang
    view = view or shown_of(selection, filters)
    window = view.window
    # Rows are taken only where some are left out (taking all 400,000 cost milliseconds).
    shown = events if view.inside.all() else events[view.inside]
    in_story = shown["story"].notna() if filters.stories else pd.Series(False, shown.index)
    lane_events = shown[~in_story] if in_story.any() else shown
    lanes = zoom.lanes_for(list(data.outlets), set(events["outlet"].unique()), filters.outlets)
    labels = [_lane_name(data, key, lanes, lang) for key in lanes.keys]
    traces = event_traces(data, lane_events, lanes, lang)
    grouped: str | None = None
    if traces is None:
        grouped, traces = group_traces(data, lane_events, lanes, lang)
    if in_story.any():
        stories, story_unit = story_traces(data, shown[in_story], len(lanes.keys), lang)
        traces += stories
        grouped = grouped or story_unit
        labels.append(_t(STORY_LANE, lang))
    marks = None if grouped else _marks_to_label(data, shown, traces)
    volume, volume_unit = volume_traces(data, shown, lanes)
    traces += volume
    figure_layout = layout(data, labels, filters, window, volume_unit)
    if marks and window is not None:
        span = (_ms(window[0]), _ms(window[1]) + DAY_MS)
        figure_layout.setdefault("annotations", []).extend(
            marklabels.label_annotations(marks, span)
        )
    if grouped:  # say what a mark is, and how to see single events
        figure_layout.setdefault("annotations", []).append(
            {"x": 0, "xref": "paper", "y": 1.0, "yref": "paper", "showarrow": False,
             "xanchor": "left", "yanchor": "bottom", "font": {"size": 11},
             "text": f"{_t(UNIT_LABELS[grouped], lang)} · {_t(GROUPED_HINT, lang)}"}
        )  # fmt: skip
    return {"data": traces, "layout": figure_layout}


_EPOCH = dt.datetime(1970, 1, 1)


def _ms(when: Any) -> float:
    """Epoch milliseconds of a date or an ISO date-time, for any year a date holds (pandas'
    nanosecond timestamps stop at 1677 and 2262)."""
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    if not isinstance(when, dt.datetime):
        when = dt.datetime(when.year, when.month, when.day)
    return (when.replace(tzinfo=None) - _EPOCH) / dt.timedelta(milliseconds=1)


def _marks_to_label(
    data: CorpusData, shown: pd.DataFrame, traces: list[dict[str, Any]]
) -> list[marklabels.Mark] | None:
    """The single marks of a view zoomed in to few of them, each with its article's headline;
    None past marklabels.LABEL_LIMIT (then hovering names them)."""
    drawn = [t for t in traces if t.get("mode") == "markers" and t.get("customdata")]
    if not drawn or sum(len(t["customdata"]) for t in drawn) > marklabels.LABEL_LIMIT:
        return None
    full = data.full(shown)
    positions = full["article_pos"].to_numpy()
    titles = data.titles_of(positions)
    text_of = {}
    for event, kind, pos, sentence, expression in zip(
        full["id"], full["kind"], positions, full["sentence"], full["expression"], strict=True
    ):
        # A publication is named by its headline, a mention by what its sentence says there.
        text_of[str(event)] = (
            str(titles[pos]) if kind == "published" else marklabels.clause(sentence, expression)
        )
    marks = []
    for trace in drawn:
        for x, y, event in zip(trace["x"], trace["y"], trace["customdata"], strict=True):
            if str(event) in text_of:
                marks.append(marklabels.Mark(_ms(x), round(y), text_of[str(event)]))
    return marks


def shown_of(selection: Selection, filters: Filters) -> zoom.Shown:
    """The window a view's timeline shows, and its events in it."""
    return zoom.Shown.of(selection.events, filters.window, filters.start, filters.end)


def _lane_name(data: CorpusData, key: str, lanes: zoom.Lanes, lang: str) -> str:
    if key == zoom.OTHER:
        return f"{_t(zoom.OTHER_LABEL, lang)} ({len(lanes.folded)})"
    return _name(data, key, lang)


def _lane_colour(data: CorpusData, key: str) -> str:
    return zoom.OTHER_COLOUR if key == zoom.OTHER else data.outlets[key].color


def story_traces(
    data: CorpusData, events: pd.DataFrame, lane: int, lang: str
) -> tuple[list[dict[str, Any]], str | None]:
    """One marker per story, sized by how many outlets reported it, in a lane of its own; or,
    past the budget, stories counted per bin (and the unit of the bins)."""
    firsts = events.drop_duplicates("story")  # each story's first event in the view
    if len(firsts) > MAX_STORY_MARKS:
        keys = np.zeros(len(firsts), dtype=np.int64)
        days = firsts["start"].to_numpy().astype("datetime64[D]")
        unit, bins = binned(keys, days, MAX_GROUP_MARKS // 4)
        counted = bins.get(0)
        unit_name = "个多家报道的事件" if lang == "zh" else "stories"
        trace = _bin_trace(counted, lane, _t(STORY_LANE, lang), "star", "#333", unit_name, "")
        return [trace] if trace else [], unit
    pairs = events[["story", "outlet"]].drop_duplicates()
    outlets = pairs.groupby("story", sort=False)["outlet"].agg(list)
    articles = events.groupby("story", sort=False)["article_pos"].nunique()
    labels = story_labels(data, firsts["story"].astype(str).tolist())
    names = {o: html.escape(_name(data, o, lang)) for o in data.outlets}
    xs, ys, texts, sizes = [], [], [], []
    days = np.datetime_as_string(firsts["start"].to_numpy().astype("datetime64[D]")).tolist()
    for story, day in zip(firsts["story"], days, strict=True):
        label = labels[str(story)]
        reporters = [str(o) for o in outlets[story]]
        count = int(articles[story])
        head = (
            f"{len(reporters)} 家媒体报道 · {count} 篇文章"
            if lang == "zh"
            else f"reported by {len(reporters)} outlets · {count} articles"
        )
        listed = ", ".join(names.get(o, html.escape(o)) for o in reporters)
        xs.append(day)
        ys.append(round(lane + jitter(str(story)) / 2, 3))
        texts.append(
            f"{day} · {head}<br>{listed}<br><b>{_wrap(label.headline)}</b><br>"
            f"{_wrap(excerpt(label.sentence, '', 2 * CONTEXT_CHARS))}"
        )
        sizes.append(min(10 + 5 * len(reporters), 40))
    trace = {
        "type": "scatter", "mode": "markers", "name": _t(STORY_LANE, lang), "xaxis": "x",
        "yaxis": "y", "x": xs, "y": ys, "hovertext": texts,
        "customdata": data.event_ids[firsts["row"].to_numpy()].tolist(),
        "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {"symbol": "star", "size": sizes, "color": "#333",
                   "line": {"width": 1, "color": "#fff"}},
    }  # fmt: skip
    return [trace], None


def iso_minutes(values: np.ndarray) -> list[str]:
    """Datetimes as Plotly reads them, to the minute; midnight as the day alone (most events
    are days, and a marker's bytes add up)."""
    values = values.astype("datetime64[m]")
    days = values.astype("datetime64[D]")
    minutes = np.datetime_as_string(values, unit="m")
    return np.where(values == days, np.datetime_as_string(days), minutes).tolist()


# The columns a marker needs, taken out of the frame once: masks on numpy arrays cost
# microseconds, a boolean index of the whole events frame a millisecond each.
MARKER_COLUMNS = ("id", "outlet", "kind", "precision", "start", "end")


def _marker_trace(
    cols: dict[str, np.ndarray],
    pick: np.ndarray,
    ys: np.ndarray,
    texts: np.ndarray,
    symbol: str,
    colour: str,
    name: str,
    x: np.ndarray | None = None,
) -> dict[str, Any]:
    return {
        "type": "scatter", "mode": "markers", "name": name, "xaxis": "x", "yaxis": "y",
        "x": iso_minutes(cols["start"][pick] if x is None else x), "y": ys[pick].tolist(),
        "hovertext": texts[pick].tolist(), "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": cols["id"][pick].tolist(),
        "marker": {"symbol": symbol, "size": 10, "color": colour,
                   "line": {"width": 2, "color": colour}},
    }  # fmt: skip


def event_traces(
    data: CorpusData, events: pd.DataFrame, lanes: zoom.Lanes, lang: str
) -> list[dict[str, Any]] | None:
    """One marker per event (filled, hollow, or a span with a diamond at its middle), or None
    when there are too many for one response (MAX_POINTS, MAX_FIGURE_BYTES)."""
    # Every marker's hover holds a date, an outlet and a title: ~100 bytes at the least, so a
    # view with more events than the budget would hold at that rate is grouped without trying.
    if len(events) > min(MAX_POINTS, MAX_FIGURE_BYTES // 100) or (
        estimated_bytes(data, events) > MAX_FIGURE_BYTES
    ):
        return None
    events = data.full(events)
    texts = np.array(hover_texts(data, events, lang), dtype=object)
    if sum(len(t) for t in texts) * 2 > MAX_FIGURE_BYTES:  # CJK is 3 bytes, ASCII 1
        return None
    cols = {c: events[c].to_numpy() for c in MARKER_COLUMNS}
    cols["start"] = cols["start"].astype("datetime64[us]")
    cols["end"] = cols["end"].astype("datetime64[us]")
    published = cols["kind"] == "published"
    day = ~published & (cols["precision"] == "day")
    span = ~published & ~day
    offsets = np.array([jitter(i) for i in cols["id"]])
    one_day = np.timedelta64(1, "D")
    numbers = lanes.numbers(events["outlet"])
    traces: list[dict[str, Any]] = []
    for lane, key in enumerate(lanes.keys):
        colour, name = _lane_colour(data, key), _lane_name(data, key, lanes, lang)
        in_lane = numbers == lane
        ys = np.round(lane + offsets, 3)
        for pick, symbol in ((in_lane & published, "circle"), (in_lane & day, "circle-open")):
            traces.append(_marker_trace(cols, pick, ys, texts, symbol, colour, name))
        spans = np.flatnonzero(in_lane & span)
        starts, ends = cols["start"][spans], cols["end"][spans] + one_day
        traces.append(span_trace(starts, ends, ys[spans], colour, name))
        middle = starts + (ends - starts) / 2
        traces.append(_marker_trace(cols, spans, ys, texts, "diamond-open", colour, name, x=middle))
    return traces


def span_trace(
    starts: np.ndarray, ends: np.ndarray, ys: np.ndarray, colour: str, name: str
) -> dict[str, Any]:
    """Week, month, year and range mentions as horizontal bars (start to end of their last day),
    one line broken by a gap (None) after each."""
    xs: list[Any] = []
    y_values: list[Any] = []
    for start, end, y in zip(iso_minutes(starts), iso_minutes(ends), ys.tolist(), strict=True):
        xs += [start, end, None]
        y_values += [y, y, None]
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "xaxis": "x",
        "yaxis": "y",
        "x": xs,
        "y": y_values,
        "hoverinfo": "skip",
        "opacity": 0.45,
        "line": {"color": colour, "width": 5},
    }


def _bin_trace(
    bins: Bins | None, lane: float, name: str, symbol: str, colour: str, unit: str, label: str
) -> dict[str, Any] | None:
    """One marker per bin, sized by its count; a click narrows the dates to the bin."""
    if bins is None:
        return None
    counts = bins.counts.tolist()
    escaped = html.escape(name)
    suffix = f" ({label})" if label else ""
    return {
        "type": "scatter", "mode": "markers", "name": name, "xaxis": "x", "yaxis": "y",
        "x": bins.middles, "y": [lane] * len(counts),
        "hovertext": [f"{b} · {escaped} · {n} {unit}{suffix}"
                      for b, n in zip(bins.labels, counts, strict=True)],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": [RANGE_PREFIX + r for r in bins.ranges],
        "marker": {"symbol": symbol, "color": colour, "line": {"width": 2, "color": colour},
                   "size": np.minimum(6 + 3 * np.sqrt(bins.counts), 40).round(1).tolist()},
    }  # fmt: skip


def group_traces(
    data: CorpusData, events: pd.DataFrame, lanes: zoom.Lanes, lang: str
) -> tuple[str, list[dict[str, Any]]]:
    """Per lane, kind and bin (the finest of day, week, month… that keeps the marks within
    MAX_GROUP_MARKS): one marker sized by how many events it holds; and the unit used."""
    # One integer per (lane, kind): lane number × 2 + kind (strings built per event cost more
    # than the grouping itself at 100,000 events).
    keys = lanes.numbers(events["outlet"]) * 2 + (events["kind"] == "mentioned").to_numpy()
    days = events["start"].to_numpy().astype("datetime64[D]")
    unit, parts = binned(keys, days, MAX_GROUP_MARKS)
    events_unit = "个事件" if lang == "zh" else "events"
    traces = []
    for lane, key in enumerate(lanes.keys):
        colour, name = _lane_colour(data, key), _lane_name(data, key, lanes, lang)
        for kind, symbol, offset in (
            ("published", "circle", -0.15),
            ("mentioned", "circle-open", 0.15),
        ):
            label = _t(KIND_LABELS[kind], lang)
            trace = _bin_trace(
                parts.get(lane * 2 + (kind == "mentioned")), lane + offset, name, symbol, colour,
                events_unit, label,
            )  # fmt: skip
            if trace:
                traces.append(trace)
    return unit, traces


def volume_traces(
    data: CorpusData, events: pd.DataFrame, lanes: zoom.Lanes
) -> tuple[list[dict[str, Any]], str]:
    """Articles published per day (or week, month… past MAX_BARS), stacked by lane, on the
    lower axis; and that unit, which the pane's title names."""
    published = (events["kind"] == "published").to_numpy()
    numbers = lanes.numbers(events["outlet"])[published]
    days = events["start"].to_numpy()[published].astype("datetime64[D]")
    unit, parts = binned(numbers, days, MAX_BARS)
    traces = []
    for lane, key in enumerate(lanes.keys):
        bins = parts.get(lane)
        if bins is None:
            continue
        widths = ((bins.ends - bins.starts).astype(np.int64) + 1) * DAY_MS * 0.8
        traces.append({
            "type": "bar", "xaxis": "x2", "yaxis": "y2", "name": key,
            "x": bins.middles, "y": bins.counts.tolist(),
            "width": float(widths[0]) if unit in ("day", "week") else widths.tolist(),
            "marker": {"color": _lane_colour(data, key)}, "hovertext": bins.labels,
            "hovertemplate": "%{hovertext}: %{y}<extra></extra>",
        })  # fmt: skip
    return traces, unit


def layout(
    data: CorpusData,
    labels: list[str],
    filters: Filters,
    window: zoom.Window | None,
    volume_unit: str = "day",
) -> dict[str, Any]:
    """Two stacked panes sharing the x-axis (the window shown, from the start of its first day
    to the end of its last).

    Margins are worked out here, not by plotly's automargin, and there is no range slider:
    each made plotly lay the chart out and draw it again (the slider draws a copy of every
    bar), 1.4 s of the browser's time for a default view at 100,000 articles instead of 0.3 s.
    Zooming is a drag on the chart, panning the toolbar's pan tool."""
    lang = filters.lang
    shown = [window[0].isoformat(), (window[1] + DAY).strftime("%Y-%m-%d")] if window else None
    shared_x = {
        "type": "date",
        "showgrid": True,
        "gridcolor": "#eee",
        **({"range": shown} if shown else {}),
    }
    result: dict[str, Any] = {
        "height": 220 + 70 * max(len(labels), 1), "showlegend": False,
        "margin": {"l": left_margin(labels), "r": 10, "t": 30, "b": 30}, "barmode": "stack",
        "hovermode": "closest", "dragmode": "zoom", "clickmode": "event",
        # A new window (a zoom, or "show all") is a new revision: plotly then draws the range
        # sent, not the one the reader had before.
        "uirevision": replace(filters.rows, window=filters.window).to_query(),
        "font": {"family": FONT},
        "plot_bgcolor": "white", "paper_bgcolor": "white",
        "xaxis": {**shared_x, "anchor": "y", "matches": "x2", "showticklabels": False},
        "xaxis2": {**shared_x, "anchor": "y2"},
        "yaxis": {"domain": TIMELINE_DOMAIN, "tickvals": list(range(len(labels))),
                  "ticktext": labels,
                  "range": [-0.6, len(labels) - 0.4], "showgrid": True, "gridcolor": "#eee",
                  "zeroline": False, "fixedrange": True, "automargin": False},
        "yaxis2": {"domain": VOLUME_DOMAIN, "title": {"text": _t(VOLUME_TITLES[volume_unit], lang)},
                   "fixedrange": True, "gridcolor": "#eee", "rangemode": "tozero",
                   "automargin": False},
    }  # fmt: skip
    latest = data.latest_publication
    if latest is not None:
        day = f"{latest:%Y-%m-%d}"
        result["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": day,
                "x1": day,
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dot", "color": "#444", "width": 1},
            }
        ]
        result["annotations"] = [
            {
                "x": day,
                "xref": "x",
                "y": 1.0,
                "yref": "paper",
                "text": f"{_t(TODAY_LABELS, lang)} {day}",
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"size": 11},
            }
        ]
    return result


# Pixels of a lane label's character in the axis font (12 px): a CJK character is square, a
# Latin one about half as wide; and what the volume pane's title and counts need.
WIDE_PX, NARROW_PX, VOLUME_AXIS_PX = 12, 7, 60


def left_margin(labels: list[str]) -> int:
    """The left margin that holds the widest lane label and the volume pane's axis."""
    widest = max(
        (sum(WIDE_PX if unicodedata.east_asian_width(c) in "WF" else NARROW_PX for c in label)
         for label in labels),
        default=0,
    )  # fmt: skip
    return max(widest, VOLUME_AXIS_PX) + 12


TOP_ENTITIES = 12


def entity_counts(data: CorpusData, selection: Selection) -> pd.Series:
    """How many of the selected articles mention each entity, most first."""
    positions, codes, ids = data.entity_mentions
    if not ids:
        return pd.Series(dtype=np.int64)
    selected = np.zeros(len(data.articles), dtype=bool)  # a lookup, not np.isin's sort
    selected[selection.positions] = True
    chosen = codes[selected[positions]]
    counts = np.bincount(chosen, minlength=len(ids))
    top = np.argsort(-counts, kind="stable")[:TOP_ENTITIES]
    top = top[counts[top] > 0]
    return pd.Series(counts[top], index=[ids[i] for i in top])


def entity_top_figure(data: CorpusData, selection: Selection, filters: Filters) -> Figure:
    """Who appears most in the selected articles: bars you can click to filter by one."""
    counts = entity_counts(data, selection)
    entities = data.entities.entities
    names = [
        (entities[e].zh if filters.lang == "zh" else entities[e].en) if e in entities else e
        for e in counts.index
    ]
    colours = ["#0b5cad" if e == filters.entity else "#8fb3d9" for e in counts.index]
    unit = "篇文章" if filters.lang == "zh" else "articles"
    return {
        "data": [{"type": "bar", "orientation": "h", "x": counts.to_numpy().tolist()[::-1],
                  "y": [html.escape(n) for n in names][::-1],
                  "customdata": [[e] for e in counts.index][::-1],
                  "marker": {"color": colours[::-1]},
                  "hovertemplate": f"%{{y}}: %{{x}} {unit}<extra></extra>"}],
        "layout": {"height": 60 + 22 * max(len(counts), 1), "margin": {"l": 10, "r": 10, "t": 10,
                   "b": 30}, "font": {"family": FONT}, "yaxis": {"automargin": True,
                   "fixedrange": True}, "xaxis": {"fixedrange": True, "rangemode": "tozero"},
                   "plot_bgcolor": "white", "paper_bgcolor": "white", "clickmode": "event"},
    }  # fmt: skip


def entity_trend_figure(data: CorpusData, selection: Selection, filters: Filters) -> Figure:
    """Articles mentioning the chosen entity per publication day (empty without one)."""
    if not filters.entity:
        return {
            "data": [],
            "layout": {"height": 10, "xaxis": {"visible": False}, "yaxis": {"visible": False}},
        }
    published = selection.events[selection.events["kind"] == "published"]
    mentions = data.articles["entities"].iloc[published["article_pos"].to_numpy()]
    chosen = published[[filters.entity in m for m in mentions]]
    per_day = chosen.groupby(chosen["start"].dt.floor("D")).size()
    entity = data.entities.entities.get(filters.entity)
    name = (entity.zh if filters.lang == "zh" else entity.en) if entity else filters.entity
    return {
        "data": [{"type": "bar", "x": [f"{d:%Y-%m-%d}" for d in per_day.index],
                  "y": per_day.to_numpy().tolist(), "width": DAY_MS * 0.8,
                  "marker": {"color": "#0b5cad"}, "hovertemplate": "%{x}: %{y}<extra></extra>"}],
        "layout": {"height": 200, "margin": {"l": 10, "r": 10, "t": 30, "b": 30},
                   "title": {"text": html.escape(name), "font": {"size": 13}},
                   "font": {"family": FONT}, "xaxis": {"type": "date"},
                   "yaxis": {"rangemode": "tozero", "automargin": True},
                   "plot_bgcolor": "white", "paper_bgcolor": "white"},
    }  # fmt: skip
