"""Thin callbacks: unpack the inputs, call the pure modules, return. Data is passed in."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pandas as pd
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
from dashboard.web.filters import KINDS, VIEWS, Filters, checked_query, select
from dashboard.web.labels import t
from dashboard.web.layout import view_tabs
from dashboard.web.listing import article_list
from dashboard.web.naming import outlet_name
from dashboard.web.panel import article_panel, window_note
from dashboard.web.views.chronology import chronology_frame, chronology_view
from dashboard.web.views.compare import compare_frame, compare_view, from_heat_click, heat_figure
from dashboard.web.views.story import story_frame, story_page

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


RELAYOUT = "timeline.relayoutData"


def action(changed: list[str]) -> str | None:
    """What one request's changed inputs (``id.property``, as Dash sends them) ask for: an
    address change wins (the address is the truth); the timeline's relayout is a zoom only when
    nothing else changed. Dash sends changes that come together in one request: the autosize
    relayout the first draw sets off came with the address of a link followed at that moment,
    and taken as the trigger, it dropped the new address (a resize changes nothing)."""
    if "url.search" in changed:
        return "url"
    rest = [c for c in changed if c != RELAYOUT]
    if not rest:
        return "zoom" if changed else None
    return rest[0].partition(".")[0]


def next_view(
    trigger: Any,
    search: str,
    controls: Filters,
    current: Filters,
    click: Any,
    data: CorpusData,
    entity_click: Any = None,
    relayout: Any = None,
    heat_click: Any = None,
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
    if trigger == "compare-heat":
        return from_heat_click(heat_click, current, data), []
    # A control changes the rows: the lists start again at their first pages; the window, the
    # view, the story page and the chronology's order stay.
    return replace(
        controls,
        article=current.article,
        event=current.event,
        entity=current.entity,
        window=current.window,
        view=current.view,
        story=current.story,
        sort=current.sort,
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
    ("article-nav", "children"), ("window-note", "children"), ("view-tabs", "children"),
    ("timeline-view", "hidden"), ("chronology-view", "hidden"), ("compare-view", "hidden"),
    ("story-view", "hidden"), ("chronology", "children"), ("compare-table", "children"),
    ("compare-heat", "figure"), ("compare-heat-box", "style"), ("story-page", "children"),
)  # fmt: skip
SHOWN = ("timeline", "chronology", "compare", "story")  # what the main area can show


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
        Input("compare-heat", "clickData"),
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
        heat_click,
        view,
    ):  # type: ignore[no-untyped-def]
        trigger = action(list(ctx.triggered_prop_ids))
        if trigger == "zoom" and not zoom.from_relayout(relayout)[0]:
            raise PreventUpdate  # a resize, not a zoom: nothing changes
        notices: list[str] = []
        current, _ = Filters.from_query(view, data)
        controls = filters_from_controls(
            outlets, query, start, end, kinds, stories, lang, data, notices
        )
        filters, more = next_view(
            trigger, search, controls, current, click, data, entity_click, relayout, heat_click
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
        name, frame = view_frame(data, filters)
        if ctx.triggered_id == "export-json":
            rows = json.loads(frame.to_json(orient="records", force_ascii=False))
            return dcc.send_string(
                json.dumps(rows, ensure_ascii=False, indent=1),
                f"{name}.json",
                type="application/json",
            )
        return dcc.send_string(frame.to_csv(index=False), f"{name}.csv", type="text/csv")

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
    sent (a zoom redraws the timeline, a page the list, an article the panel). Only the view
    on screen is drawn; one left while its rows changed is drawn again when it comes back."""
    before = shown if shown is not None and shown.lang == filters.lang else None  # new language:
    same_rows = before is not None and before.rows == filters.rows  # everything is redrawn
    same_main = same_rows and before is not None and before.shown == filters.shown
    same_window = same_main and before is not None and before.window == filters.window
    same_page = same_rows and before is not None and before.page == filters.page
    same_article = before is not None and before.open == filters.open
    same_table = same_main and before is not None and (before.sort, before.cpage) == (
        filters.sort, filters.cpage,
    )  # fmt: skip
    same_story = same_main and before is not None and before.story == filters.story
    out: dict[str, Any] = {name: no_update for name, _ in VIEW_OUTPUTS}
    main = filters.shown
    if same_window and same_page and same_article and same_table and same_story:
        return tuple(out.values())
    selection = select(data, filters)
    tz = settings.display_tz
    if not (same_page and same_article):  # the list marks the open article
        out["article-list"], out["article-nav"] = article_list(data, selection, filters, tz)
    if not same_article:
        out["panel"], out["panel-body"] = (
            (False, article_panel(data, filters, tz, images=settings.images))
            if filters.article
            else (True, [])
        )
    if not same_main or not same_rows:
        current = "" if main == "story" else filters.view  # a story's page is no view's tab
        out["view-tabs"] = view_tabs(tab_addresses(filters), current, filters.lang)
        for name in SHOWN:
            out[f"{name}-view"] = name != main
    if main == "timeline" and not same_window:
        view = shown_of(selection, filters)  # one window for the figure and its note
        out["timeline"] = packed(timeline_figure(data, selection, filters, view))
        out["window-note"] = window_note(filters, view)
    if main == "timeline" and not same_main:
        out["entity-top"] = entity_top_figure(data, selection, filters)
        out["entity-trend"] = entity_trend_figure(data, selection, filters)
        out["entity-chip"] = entity_chip(data, filters)
    if main == "chronology" and not same_table:
        out["chronology"] = chronology_view(data, selection, filters, tz)
    if main == "compare" and not same_main:
        out["compare-table"] = compare_view(data, selection, filters)
        heat = heat_figure(data, selection, filters)
        # A responsive graph takes its container's height: the container is given the figure's.
        out["compare-heat"], out["compare-heat-box"] = heat, {"height": heat["layout"]["height"]}
    if main == "story" and not same_story:
        out["story-page"] = story_page(data, filters, selection.outlet_counts, tz)
    if not same_rows:
        out["caption"] = selection.caption
        out["outlet-filter"] = outlet_options(data, selection.outlet_counts, filters.lang)
    return tuple(out.values())


def view_frame(data: CorpusData, filters: Filters) -> tuple[str, pd.DataFrame]:
    """What the export buttons give for the view on screen, and its file name: the events
    behind the timeline, the chronology's rows, the outlets' table, or a story's reports."""
    if filters.shown == "story" and filters.story:
        return f"story-{filters.story}", story_frame(data, filters.story)
    if filters.shown == "chronology":
        return "chronology", chronology_frame(data, select(data, filters), filters)
    if filters.shown == "compare":
        return "outlets", compare_frame(data, select(data, filters))
    return "events", export_frame(data, filters)


def tab_addresses(filters: Filters) -> dict[str, str]:
    """The address of each view under the same filters (the story page closed)."""
    return {
        name: replace(filters, view=name, story=None, article=None, event=None).to_query() or "?"
        for name in VIEWS
    }


def labels(lang: str) -> list[Any]:
    """The interface's labels in a language, in the order of LABEL_OUTPUTS."""
    kinds = [{"label": t(k, lang), "value": k} for k in KINDS]
    return [
        *[t(key, lang) for key in LABEL_TARGETS.values()],
        t("search_placeholder", lang),
        kinds,
        [{"label": t("stories", lang), "value": "on"}],
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
    "label-chronology": "chronology",
    "label-compare": "compare",
    "label-heat": "heat_help",
}
LABEL_OUTPUTS = (
    *[(i, "children") for i in LABEL_TARGETS],
    ("search", "placeholder"), ("kind-filter", "options"), ("stories-toggle", "options"),
    ("page", "lang"),
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
