"""The drill-down panel and the article list, as Dash components built from the tables."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from dashboard.articles import Article
from dashboard.components import body_components, text_components
from dashboard.figures import PRECISION_LABELS, date_label
from dashboard.labels import t
from dashboard.store import CorpusData

MAX_LISTED = 200
PUBLICATION_PRECISION = {
    "second": ("秒", "second"),
    "minute": ("分钟", "minute"),
    "day": ("日", "day"),
    "month": ("月", "month"),
    "year": ("年", "year"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def outlet_name(data: CorpusData, key: str, lang: str) -> str:
    info = data.outlets.get(key)
    if info is None:
        return key
    return info.name_zh if lang == "zh" else info.name_en


def published_label(row: pd.Series) -> str:
    """A publication date at its precision: a time only when one is known."""
    when: pd.Timestamp = row["published"]
    if row["precision"] in ("second", "minute"):
        return f"{when:%Y-%m-%d %H:%M} UTC"
    return {"month": f"{when:%Y-%m}", "year": f"{when:%Y}"}.get(
        row["precision"], f"{when:%Y-%m-%d}"
    )


def article_list(
    data: CorpusData, articles: pd.DataFrame, current: str | None, lang: str
) -> list[Any]:
    """The matching articles by date, each a button that opens its panel."""
    if articles.empty:
        return [html.Li(t("no_articles", lang), className="empty")]
    items = []
    for article_id, row in articles.head(MAX_LISTED).iterrows():
        items.append(
            html.Li(
                html.Button(
                    id={"type": "article-item", "id": article_id},
                    n_clicks=0,
                    className="article-item" + (" current" if article_id == current else ""),
                    children=[
                        html.Span(
                            outlet_name(data, row["outlet"], lang),
                            className="chip",
                            style={"borderColor": data.outlets[row["outlet"]].color},
                        ),
                        html.Time(published_label(row), className="date"),
                        html.Span(row["title"], className="title"),
                    ],
                )
            )
        )
    if len(articles) > MAX_LISTED:
        items.append(
            html.Li(t("more_articles", lang).format(n=len(articles) - MAX_LISTED), className="more")
        )
    return items


def article_panel(data: CorpusData, article_id: str, event_id: str | None, lang: str) -> list[Any]:
    """Title, outlet, date with precision and source, original link, events, marked body."""
    row = data.articles.loc[article_id]
    article = data.bodies[article_id]
    events = data.events[data.events["article"] == article_id]
    sentence = None
    if event_id is not None:
        chosen = events[events["id"] == event_id]
        if not chosen.empty and chosen.iloc[0]["kind"] == "mentioned":
            sentence = chosen.iloc[0]["sentence"]
    body, marked = body_components(article.html, sentence)
    if sentence and not marked:  # the sentence crosses tags: show the plain text, marked
        body = [
            html.P(t("sentence_not_found", lang), className="hint"),
            *text_components(article.paragraphs, sentence),
        ]
    return [
        html.H2(row["title"], id="panel-title"),
        html.P(
            className="meta",
            children=[
                html.Span(
                    outlet_name(data, row["outlet"], lang),
                    className="chip",
                    style={"borderColor": data.outlets[row["outlet"]].color},
                ),
                " ",
                _publication(row, lang),
            ],
        ),
        html.P(f"{t('byline', lang)}: {article.byline}", className="meta")
        if article.byline
        else None,
        html.P(
            html.A(
                t("original", lang) + " ↗",
                href=article.url,
                target="_blank",
                rel="noopener noreferrer",
            )
        )
        if article.url
        else None,
        *_reposts(data, article, lang),
        html.H3(t("events_in_article", lang)),
        html.Ul(
            className="event-list",
            children=[_event_item(e, event_id, lang) for _, e in events.iterrows()],
        ),
        html.Div(body, className="article-body", lang=article.language),
    ]


def _publication(row: pd.Series, lang: str) -> html.Span:
    precision = _pick(PUBLICATION_PRECISION[row["precision"]], lang)
    parts = [
        f"{t('published_at', lang)}: {published_label(row)}",
        f"{t('precision', lang)}: {precision}",
        f"{t('source', lang)}: {row['source']}",
    ]
    if row["inferred"]:
        parts.append(f"{t('inferred', lang)}: {row['evidence']}")
    return html.Span(" · ".join(parts), className="published", title=row["evidence"])


def _reposts(data: CorpusData, article: Article, lang: str) -> list[Any]:
    out: list[Any] = []
    if article.repost_of:
        original = data.articles[data.articles["url"] == article.repost_of]
        target: Any = (
            _open_button(data, original.index[0], lang)
            if not original.empty
            else html.A(
                article.repost_of,
                href=article.repost_of,
                target="_blank",
                rel="noopener noreferrer",
            )
        )
        out.append(html.P([f"{t('repost_of', lang)}: ", target], className="repost"))
    if article.url:
        copies = data.articles[data.articles["repost_of"] == article.url]
        if not copies.empty:
            out.append(
                html.P(
                    [
                        f"{t('reposted_by', lang)}: ",
                        *[_open_button(data, i, lang) for i in copies.index],
                    ],
                    className="repost",
                )
            )
    return out


def _open_button(data: CorpusData, article_id: str, lang: str) -> html.Button:
    row = data.articles.loc[article_id]
    return html.Button(
        f"{outlet_name(data, row['outlet'], lang)} · {row['title']}",
        id={"type": "open-article", "id": article_id},
        n_clicks=0,
        className="link-button",
    )


def _event_item(event: pd.Series, current: str | None, lang: str) -> html.Li:
    when = date_label(event["start"], event["end"], event["precision"])
    precision = _pick(PRECISION_LABELS.get(event["precision"], ("", "")), lang)
    what = t("published", lang) if event["kind"] == "published" else f"“{event['expression']}”"
    return html.Li(
        html.Button(
            f"{when} ({precision}) · {what}",
            id={"type": "event-item", "id": event["id"]},
            n_clicks=0,
            className="event-item" + (" current" if event["id"] == current else ""),
        )
    )
