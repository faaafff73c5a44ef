"""Thin callbacks: unpack the inputs, call the pure modules, return. Data is passed in."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.config import Settings
from dashboard.parsing.search import MAX_QUERY_LENGTH
from dashboard.parsing.store import CorpusData
from dashboard.web import inputs, zoom
from dashboard.web.export import export_frame
from dashboard.web.figures import (
    RANGE_PREFIX,
    entity_top_figure,
    entity_trend_figure,
    packed,
    shown_of,
    timeline_figure,
)
from dashboard.web.filters import KINDS, Filters, checked_query, select
from dashboard.web.labels import t
from dashboard.web.listing import article_list
from dashboard.web.panel import article_panel, outlet_name, window_note

CONTROL_OUTPUTS = (
    "outlet-filter", "search", "date-from", "date-to", "kind-filter", "stories-toggle", "lang",
)  # fmt: skip


def filters_from_controls(
    outlets: Any,
    query: Any,
    start: Any,
    end: Any,
    kinds: Any,
    stories: Any,
    lang: Any,
    data: CorpusData,
    notices: list[str],
) -> Filters:
    """Filters from the control values; bad values are dropped with a notice (a request can
    carry anything, not only what the controls would send: every value is checked for type and
    size first, in time linear in its length)."""
    chosen_kinds = inputs.choices(kinds, KINDS)
    return Filters(
        outlets=tuple(inputs.choices(outlets, data.outlets)),
        query=checked_query(inputs.text(query, MAX_QUERY_LENGTH * 2), notices),
        start=inputs.iso_day(start, "from", notices),
        end=inputs.iso_day(end, "to", notices),
        kinds=tuple(chosen_kinds) if len(chosen_kinds) < len(KINDS) else (),
        stories=bool(inputs.choices(stories, ("on",))),
        lang="en" if lang == "en" else "zh",
    )


def next_view(
    trigger: Any,
    search: str,
    controls: Filters,
    current: Filters,
    click: Any,
    data: CorpusData,
    entity_click: Any = None,
    relayout: Any = None,
) -> tuple[Filters, list[str]]:
    """The view after one user action (URL change, control change, click or zoom)."""
    if trigger == "zoom":
        asks, window = zoom.from_relayout(relayout)
        return (replace(current, window=window) if asks else current), []
    if trigger == "url" or trigger is None:
        return Filters.from_query(search or "", data)
    if trigger == "reset":
        return Filters(lang=current.lang), []
    if trigger == "panel-close":
        return replace(current, article=None, event=None), []
    if trigger == "timeline":
        return _from_click(click, current, data), []
    if trigger == "entity-top":
        return _entity_from_click(entity_click, current, data), []
    # A control changes the rows: the list starts again at its first page; the window stays.
    return replace(
        controls,
        article=current.article,
        event=current.event,
        entity=current.entity,
        window=current.window,
    ), []


def _entity_from_click(click: Any, current: Filters, data: CorpusData) -> Filters:
    try:
        entity = click["points"][0]["customdata"][0]
    except (TypeError, KeyError, IndexError):
        return current
    if not isinstance(entity, str) or entity not in data.entities.entities:
        return current
    return replace(current, entity=None if entity == current.entity else entity)


def _from_click(click: Any, current: Filters, data: CorpusData) -> Filters:
    # A mark carries its event's id, or "days:FIRST:LAST" for a group of events (one bin).
    try:
        point = click["points"][0]["customdata"]
    except (TypeError, KeyError, IndexError):
        return current
    if not isinstance(point, str):
        return current
    if point.startswith(RANGE_PREFIX):  # a grouped mark: narrow the dates to its bin
        notices: list[str] = []
        first, _, last = point.removeprefix(RANGE_PREFIX).partition(":")
        lo, hi = inputs.iso_day(first, "from", notices), inputs.iso_day(last, "to", notices)
        if lo is None or hi is None or notices or lo > hi:
            return current
        return replace(current, start=lo, end=hi)
    article = point.rpartition("#")[0]
    if article in data.bodies and point in data.event_ids:
        return replace(current, article=article, event=point)
    return current


VIEW_OUTPUTS = (
    ("timeline", "figure"), ("caption", "children"), ("article-list", "children"),
    ("outlet-filter", "options"), ("panel", "hidden"), ("panel-body", "children"),
    ("entity-top", "figure"), ("entity-trend", "figure"), ("entity-chip", "children"),
    ("article-nav", "children"), ("window-note", "children"),
)  # fmt: skip


def register(app: Dash, data: CorpusData, settings: Settings) -> None:
    """Wire the callbacks to this app, with this corpus's data."""

    # One callback, one round trip per user action: it reads the action, writes the address and
    # the controls back, and redraws only what the action changed (opening an article sends
    # the panel, not the timeline again).
    @app.callback(
        Output("url", "search"),
        *[Output(c, "value") for c in CONTROL_OUTPUTS],
        Output("view", "data"),
        Output("notices", "children"),
        *[Output(i, p) for i, p in VIEW_OUTPUTS],
        *[Output(i, p) for i, p in LABEL_OUTPUTS],
        Input("url", "search"),
        Input("outlet-filter", "value"),
        Input("search", "value"),
        Input("date-from", "value"),
        Input("date-to", "value"),
        Input("kind-filter", "value"),
        Input("lang", "value"),
        Input("reset", "n_clicks"),
        Input("panel-close", "n_clicks"),
        Input("stories-toggle", "value"),
        Input("timeline", "clickData"),
        Input("entity-top", "clickData"),
        Input("timeline", "relayoutData"),
        State("view", "data"),
    )
    def update(
        search,
        outlets,
        query,
        start,
        end,
        kinds,
        lang,
        _reset,
        _close,
        stories,
        click,
        entity_click,
        relayout,
        view,
    ):  # type: ignore[no-untyped-def]
        trigger = ctx.triggered_id
        if trigger == "timeline" and ctx.triggered_prop_ids.get("timeline.relayoutData"):
            trigger = "zoom"
            if not zoom.from_relayout(relayout)[0]:  # a resize, not a zoom: nothing changes
                raise PreventUpdate
        notices: list[str] = []
        current, _ = Filters.from_query(view, data)
        controls = filters_from_controls(
            outlets, query, start, end, kinds, stories, lang, data, notices
        )
        filters, more = next_view(
            trigger, search, controls, current, click, data, entity_click, relayout
        )
        # On a URL change the address is the truth: stale control values raise no notice.
        notices = more if trigger in ("url", None) else notices + more
        written = (
            list(filters.outlets),
            filters.query,
            filters.start.isoformat() if filters.start else "",
            filters.end.isoformat() if filters.end else "",
            list(filters.kinds) or list(KINDS),
            ["on"] if filters.stories else [],
            filters.lang,
        )
        given = (outlets, query, start, end, kinds, stories, lang)
        # A control written back with the value it has would re-render it for nothing.
        controls_out = [no_update if w == g else w for w, g in zip(written, given, strict=True)]
        # The page is drawn in Chinese; labels are sent only when the language changes.
        shown_lang = "zh" if view is None else current.lang
        return (
            filters.to_query(),
            *controls_out,
            filters.to_query(),
            [html.P(n, className="notice") for n in notices],
            *view_outputs(data, filters, None if view is None else current, settings),
            *(labels(filters.lang) if filters.lang != shown_lang else [no_update] * N_LABELS),
        )

    @app.callback(
        Output("download", "data"),
        Input("export-csv", "n_clicks"),
        Input("export-json", "n_clicks"),
        State("view", "data"),
        prevent_initial_call=True,
    )
    def export(_csv, _json, view):  # type: ignore[no-untyped-def]
        filters, _ = Filters.from_query(view or "", data)
        frame = export_frame(data, filters)
        if ctx.triggered_id == "export-json":
            rows = json.loads(frame.to_json(orient="records", force_ascii=False))
            return dcc.send_string(
                json.dumps(rows, ensure_ascii=False, indent=1),
                "events.json",
                type="application/json",
            )
        return dcc.send_string(frame.to_csv(index=False), "events.csv", type="text/csv")

    app.clientside_callback(
        """function(children) {
            setTimeout(function () {
                var mark = document.getElementById('highlight');
                var panel = document.getElementById('panel');
                if (mark) { mark.scrollIntoView({block: 'center'}); }
                else if (panel) { panel.scrollTop = 0; }
            }, 60);
            return window.dash_clientside.no_update;
        }""",
        Output("scroll-sink", "data"),
        Input("panel-body", "children"),
    )


def view_outputs(
    data: CorpusData, filters: Filters, shown: Filters | None, settings: Settings
) -> tuple[Any, ...]:
    """The outputs of VIEW_OUTPUTS for a view, given the view shown before (None on the first
    load): what the change leaves as it was is ``no_update``, so it is neither rebuilt nor
    sent (a zoom redraws the timeline, a page the list, an article the panel)."""
    before = shown if shown is not None and shown.lang == filters.lang else None  # new language:
    same_rows = before is not None and before.rows == filters.rows  # everything is redrawn
    same_window = same_rows and before is not None and before.window == filters.window
    same_page = same_rows and before is not None and before.page == filters.page
    same_article = before is not None and before.open == filters.open
    out: dict[str, Any] = {name: no_update for name, _ in VIEW_OUTPUTS}
    if same_window and same_page and same_article:
        return tuple(out.values())
    selection = select(data, filters)
    if not (same_page and same_article):  # the list marks the open article
        out["article-list"], out["article-nav"] = article_list(
            data, selection, filters, settings.display_tz
        )
    if not same_article:
        out["panel"], out["panel-body"] = (
            (False, article_panel(data, filters, settings.display_tz, images=settings.images))
            if filters.article
            else (True, [])
        )
    if not same_window:
        view = shown_of(selection, filters)  # one window for the figure and its note
        out["timeline"] = packed(timeline_figure(data, selection, filters, view))
        out["window-note"] = window_note(filters, view)
    if not same_rows:
        out["caption"] = selection.caption
        out["outlet-filter"] = outlet_options(data, selection.outlet_counts, filters.lang)
        out["entity-top"] = entity_top_figure(data, selection, filters)
        out["entity-trend"] = entity_trend_figure(data, selection, filters)
        out["entity-chip"] = entity_chip(data, filters)
    return tuple(out.values())


def labels(lang: str) -> list[Any]:
    """The interface's labels in a language, in the order of LABEL_OUTPUTS."""
    kinds = [{"label": t(k, lang), "value": k} for k in KINDS]
    return [
        *[t(key, lang) for key in LABEL_TARGETS.values()],
        t("search_placeholder", lang),
        kinds,
        "en" if lang == "en" else "zh-Hans",
    ]


LABEL_TARGETS = {
    "page-title": "title",
    "page-subtitle": "subtitle",
    "label-outlets": "outlets",
    "label-search": "search",
    "label-dates": "dates",
    "label-from": "from",
    "label-to": "to",
    "label-kinds": "kinds",
    "reset": "reset",
    "export-csv": "export_csv",
    "export-json": "export_json",
    "label-articles": "articles",
    "symbol-legend": "legend",
    "label-who": "who",
}
LABEL_OUTPUTS = (
    *[(i, "children") for i in LABEL_TARGETS],
    ("search", "placeholder"), ("kind-filter", "options"), ("page", "lang"),
)  # fmt: skip
N_LABELS = len(LABEL_OUTPUTS)


def entity_chip(data: CorpusData, filters: Filters) -> Any:
    """The entity filter in force, with a link that lifts it."""
    entity = data.entities.entities.get(filters.entity or "")
    if entity is None:
        return None
    name = entity.zh if filters.lang == "zh" else entity.en
    clear = replace(filters, entity=None).to_query() or "?"
    return html.Span(
        [
            name,
            " ",
            dcc.Link(
                "×", href=clear, title=t("clear_entity", filters.lang), className="chip-clear"
            ),
        ],
        className="chip entity-chip",
    )


def outlet_options(data: CorpusData, counts: dict[str, int], lang: str) -> list[dict[str, str]]:
    """Outlet checklist entries with the count each would show under the other filters."""
    return [
        {"label": f"{outlet_name(data, key, lang)} ({counts.get(key, 0)})", "value": key}
        for key in data.outlets
    ]
