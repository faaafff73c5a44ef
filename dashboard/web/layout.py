"""The page: controls, caption, timeline, article list and drill-down panel. No data logic."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.web.labels import t

# Dates are typed as YYYY-MM-DD in both languages: a browser's own date input shows its
# locale's order (mm/dd/yyyy in an English Chromium), whatever the page's language. A malformed
# value is refused with a notice by the filters, like one in the address; one outside the span
# the timeline can show is clamped to it, with a notice.
DATE_INPUT: dict[str, Any] = {
    "type": "text",
    "inputMode": "numeric",
    "pattern": r"\d{4}-\d{2}-\d{2}",
    "placeholder": "YYYY-MM-DD",
    "maxLength": 10,
    "size": 10,
    "autoComplete": "off",
    "debounce": True,
}
GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def _label(key: str, target: str) -> html.Label:
    return html.Label(t(key, "zh"), id=f"label-{key}", htmlFor=target)


def controls() -> html.Aside:
    return html.Aside(
        className="controls",
        children=[
            html.Fieldset(
                [
                    html.Legend(t("outlets", "zh"), id="label-outlets"),
                    dcc.Checklist(
                        id="outlet-filter",
                        options=[],
                        value=[],
                        className="checklist",
                        inputClassName="check",
                    ),
                ]
            ),
            html.Div(
                className="field",
                children=[
                    _label("search", "search"),
                    dcc.Input(
                        id="search",
                        type="search",
                        debounce=True,
                        value="",
                        maxLength=200,
                        placeholder=t("search_placeholder", "zh"),
                        autoComplete="off",
                    ),
                ],
            ),
            html.Fieldset(
                [
                    html.Legend(t("dates", "zh"), id="label-dates"),
                    _label("from", "date-from"),
                    dcc.Input(id="date-from", value="", **DATE_INPUT),
                    _label("to", "date-to"),
                    dcc.Input(id="date-to", value="", **DATE_INPUT),
                ]
            ),
            html.Fieldset(
                [
                    html.Legend(t("kinds", "zh"), id="label-kinds"),
                    dcc.Checklist(
                        id="kind-filter",
                        value=[],
                        className="checklist",
                        inputClassName="check",
                        options=[
                            {"label": t("published", "zh"), "value": "published"},
                            {"label": t("mentioned", "zh"), "value": "mentioned"},
                        ],
                    ),
                ]
            ),
            dcc.Checklist(
                id="stories-toggle",
                value=[],
                className="checklist",
                inputClassName="check",
                options=[{"label": t("stories", "zh"), "value": "on"}],
            ),
            html.Button(t("reset", "zh"), id="reset", className="secondary", n_clicks=0),
        ],
    )


def header() -> html.Header:
    return html.Header(
        className="top",
        children=[
            html.Div(
                [
                    html.H1(t("title", "zh"), id="page-title"),
                    html.P(t("subtitle", "zh"), id="page-subtitle", className="subtitle"),
                ]
            ),
            html.Div(
                className="actions",
                children=[
                    dcc.RadioItems(
                        id="lang",
                        value="zh",
                        className="lang",
                        inline=True,
                        options=[
                            {"label": "中文", "value": "zh"},
                            {"label": "English", "value": "en"},
                        ],
                    ),
                    html.Button(t("export_csv", "zh"), id="export-csv", n_clicks=0),
                    html.Button(t("export_json", "zh"), id="export-json", n_clicks=0),
                    dcc.Download(id="download"),
                ],
            ),
        ],
    )


def timeline_view() -> html.Div:
    """The timeline, its window note, its legend and the entity charts."""
    return html.Div(
        id="timeline-view",
        children=[
            html.P(id="window-note", className="window-note"),
            dcc.Loading(
                dcc.Graph(id="timeline", config=GRAPH_CONFIG, className="timeline"),
                delay_show=300,
            ),
            html.P(t("legend", "zh"), id="symbol-legend", className="legend"),
            html.Section(
                className="entity-view",
                children=[
                    html.H2(t("who", "zh"), id="label-who"),
                    html.Div(id="entity-chip"),
                    dcc.Graph(id="entity-top", config=GRAPH_CONFIG),
                    dcc.Graph(id="entity-trend", config=GRAPH_CONFIG),
                ],
            ),
        ],
    )


def view_tabs(addresses: dict[str, str], current: str, lang: str) -> list[Any]:
    """Links to the views (by name, their addresses given); the current one is text marked
    ``aria-current`` (dcc.Link takes no aria attributes, and a link to itself is noise)."""
    return [
        html.Span(
            t(f"view_{name}", lang),
            id=f"tab-{name}",
            className="view-tab current",
            **{"aria-current": "page"},
        )
        if name == current
        else dcc.Link(t(f"view_{name}", lang), href=href, id=f"tab-{name}", className="view-tab")
        for name, href in addresses.items()
    ]


def page() -> html.Div:
    return html.Div(
        id="page",
        className="page",
        children=[
            dcc.Location(id="url", refresh="callback-nav"),
            dcc.Store(id="view"),
            dcc.Store(id="scroll-sink"),
            header(),
            html.Div(
                className="workspace",
                children=[
                    controls(),
                    html.Main(
                        className="main",
                        children=[
                            html.Div(id="notices", className="notices", role="status"),
                            html.P(id="caption", className="caption", **{"aria-live": "polite"}),
                            html.Nav(
                                id="view-tabs",
                                className="view-tabs",
                                **{"aria-label": t("views", "zh")},
                            ),
                            timeline_view(),
                            html.Section(
                                id="chronology-view",
                                hidden=True,
                                children=[
                                    html.H2(t("chronology", "zh"), id="label-chronology"),
                                    html.Div(id="chronology"),
                                ],
                            ),
                            html.Section(
                                id="compare-view",
                                hidden=True,
                                children=[
                                    html.H2(t("compare", "zh"), id="label-compare"),
                                    html.Div(id="compare-table"),
                                    html.P(t("heat_help", "zh"), id="label-heat", className="hint"),
                                    html.Div(
                                        dcc.Graph(id="compare-heat", config=GRAPH_CONFIG),
                                        id="compare-heat-box",
                                    ),
                                ],
                            ),
                            html.Section(
                                id="story-view", hidden=True, children=html.Div(id="story-page")
                            ),
                        ],
                    ),
                    html.Section(
                        className="article-list",
                        children=[
                            html.H2(t("articles", "zh"), id="label-articles"),
                            html.Ol(id="article-list"),
                            html.Nav(
                                id="article-nav",
                                className="article-nav",
                                **{"aria-label": t("articles", "zh")},
                            ),
                        ],
                    ),
                ],
            ),
            html.Aside(
                id="panel",
                className="panel",
                hidden=True,
                role="dialog",
                **{"aria-labelledby": "panel-title"},
                children=[
                    html.Button(
                        "×",
                        id="panel-close",
                        className="close",
                        n_clicks=0,
                        title=t("close", "zh"),
                        **{"aria-label": t("close", "zh")},
                    ),
                    html.Div(id="panel-body"),
                ],
            ),
        ],
    )
