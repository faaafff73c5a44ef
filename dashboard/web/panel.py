"""The drill-down panel and the article list, as Dash components built from the tables.

Every article, event and repost entry is a link whose address is the view it opens (the current
filters plus `article=`/`event=`): it can be opened in a new tab, bookmarked, reached with Tab
and Enter, and needs no per-item callback.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
from dash import dcc, html

from dashboard.parsing.articles import Article
from dashboard.parsing.bodies import DamagedCache
from dashboard.parsing.store import CorpusData
from dashboard.web import zoom
from dashboard.web.components import body_components, text_components
from dashboard.web.figures import PRECISION_LABELS, date_label
from dashboard.web.filters import Filters, expanded_terms
from dashboard.web.labels import t
from dashboard.web.naming import article_link, chip, outlet_name, published_label, view_link
from dashboard.web.views.story import story_reports

MAX_ENTITY_LINKS = 20
PUBLICATION_PRECISION = {
    "second": ("秒", "second"), "minute": ("分钟", "minute"), "day": ("日", "day"),
    "month": ("月", "month"), "year": ("年", "year"),
}  # fmt: skip


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def window_note(filters: Filters, view: zoom.Shown) -> list[Any]:
    """How many of the view's events the timeline's window (``view``) leaves out, with a link
    that shows them all; once they are all shown, a link back to the default window."""
    lang = filters.lang
    outside = int(len(view.inside) - view.inside.sum())
    if filters.window == zoom.EVERYTHING:
        back = replace(filters, window=None).to_query() or "?"
        return [dcc.Link(t("default_window", lang), href=back, id="window-default")]
    if not outside:
        return []
    everything = replace(filters, window=zoom.EVERYTHING).to_query()
    return [
        t("window_outside", lang).format(n=f"{outside:,}"),
        " ",
        dcc.Link(t("show_all", lang), href=everything, id="window-all"),
    ]


def article_panel(
    data: CorpusData, filters: Filters, tz: str = "UTC", images: str = "ask"
) -> list[Any]:
    """Title, outlet, date with precision and source, original link, events, marked body (its
    images as the IMAGES mode `images` says: placeholders unless `always`)."""
    assert filters.article is not None
    lang = filters.lang
    row = data.articles.loc[filters.article]
    try:
        article = data.bodies[filters.article]
    except DamagedCache:
        return [html.H2(row["title"], id="panel-title"), html.P(t("body_damaged", lang))]
    events = data.events[data.events["article_pos"] == data.articles.index.get_loc(article.id)]
    sentence = _sentence(events, filters.event)
    body, marked = body_components(
        article.html, sentence, search_hits(data, filters), images=images, lang=lang
    )
    if sentence and not marked:  # the sentence crosses blocks: show the plain text, marked
        body = [
            html.P(t("sentence_not_found", lang), className="hint"),
            *text_components(article.paragraphs, sentence),
        ]
    byline = f"{t('byline', lang)}: {article.byline}" if article.byline else None
    original = (
        html.A(
            t("original", lang) + " ↗", href=article.url, target="_blank", rel="noopener noreferrer"
        )
        if article.url
        else None
    )
    meta = [chip(data, row["outlet"], lang), " ", _publication(row, lang, tz)]
    return [
        html.H2(row["title"], id="panel-title"),
        html.P(meta, className="meta"),
        html.P(byline, className="meta") if byline else None,
        html.P(original) if original else None,
        *_reposts(data, article, filters),
        _entity_links(data, row["entities"], filters),
        *_story_coverage(data, events, filters, tz),
        html.H3(t("events_in_article", lang)),
        html.Ul([_event_item(e, filters) for e in events.to_dict("records")],
                className="event-list"),
        html.Div(body, className="article-body", lang=article.language),
    ]  # fmt: skip


def search_hits(data: CorpusData, filters: Filters) -> list[str]:
    """The folded strings to mark in the body: every name of each search term and entity."""
    hits = [alias for group in expanded_terms(data, filters.query) for alias in group]
    if filters.entity:
        hits += data.entities.aliases_of(filters.entity)
    return hits


def _entity_links(data: CorpusData, entity_ids: list[str], filters: Filters) -> html.P | None:
    """The people, organisations and places of the article; each link filters by it."""
    known = [data.entities.entities[e] for e in entity_ids if e in data.entities.entities]
    if not known:
        return None
    links: list[Any] = [f"{t('entities', filters.lang)}: "]
    # Separated as the language writes a list (顿号 in Chinese), so names never run together
    # ("NATORussiaUkraine") on screen, when copied, or in a screen reader.
    separator = "、" if filters.lang == "zh" else ", "
    for n, entity in enumerate(known[:MAX_ENTITY_LINKS]):
        view = replace(filters, entity=entity.id, article=None, event=None).to_query()
        name = entity.zh if filters.lang == "zh" else entity.en
        if n:
            links.append(separator)
        links.append(dcc.Link(name, href=view or "?", className="entity-link"))
    return html.P(links, className="entities")


def _story_coverage(
    data: CorpusData, events: pd.DataFrame, filters: Filters, tz: str = "UTC"
) -> list[Any]:
    """Every article that reported the happening of the chosen event, in the order the reports
    came out, with its outlet, its publication time and its lag behind the first report, and
    a link to the story's page."""
    chosen = events[events["id"] == filters.event] if filters.event else events.iloc[0:0]
    if chosen.empty or not isinstance(chosen.iloc[0]["story"], str):
        return []
    reports = story_reports(data, chosen.iloc[0]["story"])
    if reports is None:
        return []
    articles = data.articles.iloc[reports.positions]
    outlets = articles["outlet"].nunique()
    heading = (
        f"同一事件：{outlets} 家媒体、{len(articles)} 篇报道"
        if filters.lang == "zh"
        else f"Same happening: {len(articles)} reports by {outlets} outlets"
    )
    items = []
    for n, (article_id, row) in enumerate(zip(articles.index, articles.to_dict("records"),
                                              strict=True)):  # fmt: skip
        lag = t("first_report", filters.lang) if n == 0 else reports.lags[n].label(filters.lang)
        text = (
            f"{outlet_name(data, str(row['outlet']), filters.lang)} · {published_label(row, tz)}"
            f" ({lag}) · {row['title']}"
        )
        event = str(data.events["id"].iloc[int(reports.events[n][0])])
        link = dcc.Link(
            text, href=view_link(filters, str(article_id), event), className="link-button"
        )
        items.append(html.Li(link))
    page = replace(filters, story=reports.story, article=None, event=None).to_query()
    return [
        html.H3(heading),
        html.Ol(items, className="story-list"),
        html.P(dcc.Link(t("story_page", filters.lang), href=page, className="story-page-link")),
    ]


def _sentence(events: pd.DataFrame, event_id: str | None) -> str | None:
    if event_id is None:
        return None
    chosen = events[events["id"] == event_id]
    if chosen.empty or chosen.iloc[0]["kind"] != "mentioned":
        return None
    return str(chosen.iloc[0]["sentence"])


def _publication(row: pd.Series, lang: str, tz: str) -> html.Span:
    precision = _pick(PUBLICATION_PRECISION[row["precision"]], lang)
    parts = [
        f"{t('published_at', lang)}: {published_label(row, tz)}",
        f"{t('precision', lang)}: {precision}",
        f"{t('source', lang)}: {row['source']}",
    ]
    if row["inferred"]:
        parts.append(f"{t('inferred', lang)}: {row['evidence']}")
    return html.Span(" · ".join(parts), className="published", title=row["evidence"])


def _reposts(data: CorpusData, article: Article, filters: Filters) -> list[Any]:
    lang = filters.lang
    out: list[Any] = []
    if article.repost_of:
        original = data.articles[data.articles["url"] == article.repost_of]
        target: Any = (
            article_link(data, str(original.index[0]), filters) if not original.empty
            else html.A(article.repost_of, href=article.repost_of, target="_blank",
                        rel="noopener noreferrer")
        )  # fmt: skip
        out.append(html.P([f"{t('repost_of', lang)}: ", target], className="repost"))
    if article.url:
        copies = data.articles[data.articles["repost_of"] == article.url]
        if not copies.empty:
            links = [article_link(data, str(i), filters) for i in copies.index]
            out.append(html.P([f"{t('reposted_by', lang)}: ", *links], className="repost"))
    return out


def _event_item(event: dict[str, Any], filters: Filters) -> html.Li:
    lang = filters.lang
    when = date_label(event["start"], event["end"], event["precision"])
    precision = _pick(PRECISION_LABELS.get(event["precision"], ("", "")), lang)
    what = t("published", lang) if event["kind"] == "published" else f"“{event['expression']}”"
    current = " current" if event["id"] == filters.event else ""
    return html.Li(
        dcc.Link(
            f"{when} ({precision}) · {what}",
            className="event-item" + current,
            href=view_link(filters, event["article"], event["id"]),
        )
    )
