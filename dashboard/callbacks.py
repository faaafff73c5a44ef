"""Thin callbacks: unpack the inputs, call the pure modules, return. Data is passed in."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, html

from dashboard.config import Settings
from dashboard.export import export_frame
from dashboard.figures import entity_top_figure, entity_trend_figure, timeline_figure
from dashboard.filters import KINDS, Filters, select
from dashboard.labels import t
from dashboard.panel import article_list, article_panel, outlet_name
from dashboard.search import QueryError, terms
from dashboard.store import CorpusData

CONTROL_OUTPUTS = (
    "outlet-filter", "search", "date-from", "date-to", "kind-filter", "stories-toggle", "lang",
)  # fmt: skip


def filters_from_controls(
    outlets: list[str] | None,
    query: str | None,
    start: str | None,
    end: str | None,
    kinds: list[str] | None,
    stories: list[str] | None,
    lang: str | None,
    data: CorpusData,
    notices: list[str],
) -> Filters:
    """Filters from the control values; bad values are dropped with a notice (a request can
    carry anything, not only what the controls would send)."""
    outlets, kinds, stories = _strings(outlets), _strings(kinds), _strings(stories)
    query = query.strip() if isinstance(query, str) else ""
    start = start if isinstance(start, str) else None
    end = end if isinstance(end, str) else None
    try:
        terms(query)
    except QueryError as exc:
        notices.append(f"search ignored: {exc}")
        query = ""
    return Filters(
        outlets=tuple(o for o in outlets if o in data.outlets),
        query=query, start=_day(start, "from", notices), end=_day(end, "to", notices),
        kinds=tuple(k for k in kinds if k in KINDS and len(set(kinds) & set(KINDS)) < len(KINDS)),
        stories=bool(stories), lang="en" if lang == "en" else "zh",
    )  # fmt: skip


def _strings(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def _day(value: str | None, name: str, notices: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        notices.append(f"“{name}” is not a date (YYYY-MM-DD): {value[:40]!r} ignored")
        return None


def next_view(
    trigger: Any,
    search: str,
    controls: Filters,
    current: Filters,
    click: Any,
    data: CorpusData,
    entity_click: Any = None,
) -> tuple[Filters, list[str]]:
    """The view after one user action (URL change, control change or click)."""
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
    return replace(
        controls, article=current.article, event=current.event, entity=current.entity
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
    try:
        first, second = click["points"][0]["customdata"][:2]
    except (TypeError, KeyError, IndexError, ValueError):
        return current
    if first == "day":  # a grouped marker: zoom the filters to that day
        try:
            day = date.fromisoformat(str(second))
        except ValueError:
            return current
        return replace(current, start=day, end=day)
    if isinstance(second, str) and second in data.bodies:
        return replace(current, article=second, event=first)
    return current


def register(app: Dash, data: CorpusData, settings: Settings) -> None:
    """Wire the callbacks to this app, with this corpus's data."""

    @app.callback(
        Output("url", "search"),
        *[Output(c, "value") for c in CONTROL_OUTPUTS],
        Output("view", "data"),
        Output("notices", "children"),
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
        State("view", "data"),
    )
    def sync(
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
        view,
    ):  # type: ignore[no-untyped-def]
        trigger = ctx.triggered_id
        notices: list[str] = []
        current, _ = Filters.from_query(view or "", data)
        controls = filters_from_controls(
            outlets, query, start, end, kinds, stories, lang, data, notices
        )
        filters, more = next_view(trigger, search, controls, current, click, data, entity_click)
        # On a URL change the address is the truth: stale control values raise no notice.
        notices = more if trigger in ("url", None) else notices + more
        return (
            filters.to_query(),
            list(filters.outlets),
            filters.query,
            filters.start.isoformat() if filters.start else "",
            filters.end.isoformat() if filters.end else "",
            list(filters.kinds) or list(KINDS),
            ["on"] if filters.stories else [],
            filters.lang,
            filters.to_query(),
            [html.P(n, className="notice") for n in notices],
        )

    @app.callback(
        Output("timeline", "figure"),
        Output("caption", "children"),
        Output("article-list", "children"),
        Output("outlet-filter", "options"),
        Output("panel", "hidden"),
        Output("panel-body", "children"),
        Output("entity-top", "figure"),
        Output("entity-trend", "figure"),
        Output("entity-chip", "children"),
        Input("view", "data"),
    )
    def render(view):  # type: ignore[no-untyped-def]
        filters, _ = Filters.from_query(view or "", data)
        selection = select(data, filters)
        options = outlet_options(data, selection.outlet_counts, filters.lang)
        panel = article_panel(data, filters, settings.display_tz) if filters.article else []
        return (
            timeline_figure(data, selection, filters),
            selection.caption,
            article_list(data, selection.articles, filters, settings.display_tz),
            options,
            filters.article is None,
            panel,
            entity_top_figure(data, selection, filters),
            entity_trend_figure(data, selection, filters),
            entity_chip(data, filters),
        )

    @app.callback(
        *[Output(i, "children") for i in LABEL_TARGETS],
        Output("search", "placeholder"),
        Output("kind-filter", "options"),
        Output("page", "lang"),
        Input("lang", "value"),
    )
    def relabel(lang):  # type: ignore[no-untyped-def]
        lang = "en" if lang == "en" else "zh"
        kinds = [{"label": t(k, lang), "value": k} for k in KINDS]
        return (
            *[t(key, lang) for key in LABEL_TARGETS.values()],
            t("search_placeholder", lang),
            kinds,
            "en" if lang == "en" else "zh-Hans",
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
