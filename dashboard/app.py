"""The Dash application, built by ``create_app(settings)``; nothing is read at import time."""

from __future__ import annotations

import logging

from dash import Dash, dcc, html

from dashboard.articles import Article
from dashboard.config import Settings
from dashboard.corpus import CorpusReport, read_corpus

log = logging.getLogger(__name__)


def create_app(settings: Settings, report: CorpusReport | None = None) -> Dash:
    """A Dash app over the settings' corpus (read now, once), or over a report already read."""
    if report is None:
        report = read_corpus(settings.corpus_dir, settings.default_tz)
    log.info(
        "corpus %s: %d articles, %d skipped",
        settings.corpus_dir,
        len(report.articles),
        len(report.skipped),
    )
    app = Dash(
        __name__,
        title="新闻时间线 · News timeline",
        serve_locally=True,
        assets_folder=str(settings.assets_dir),
    )
    app.layout = article_list_layout(report)
    return app


def article_list_layout(report: CorpusReport) -> html.Div:
    """The articles of the corpus by publication date, with what was skipped and why."""
    articles = sorted(report.articles, key=lambda a: a.published.instant)
    return html.Div(
        className="page",
        children=[
            html.H1("新闻时间线 · News timeline"),
            html.P(
                f"{len(articles)} articles · {len(report.skipped)} skipped", id="corpus-caption"
            ),
            html.Ul(id="article-list", children=[_article_item(a) for a in articles]),
            html.Details(
                [
                    html.Summary(f"Skipped files ({len(report.skipped)})"),
                    html.Ul([html.Li(f"{s.path}: {s.reason}") for s in report.skipped]),
                ]
            )
            if report.skipped
            else None,
            dcc.Location(id="url"),
        ],
    )


def _article_item(article: Article) -> html.Li:
    pub = article.published
    shown = pub.instant.strftime(
        "%Y-%m-%d %H:%M UTC"
        if pub.precision in ("second", "minute")
        else "%Y-%m"
        if pub.precision == "month"
        else "%Y-%m-%d"
    )
    link = (
        html.A(article.title, href=article.url, target="_blank", rel="noopener noreferrer")
        if article.url
        else html.Span(article.title)
    )
    return html.Li(
        className="article",
        id={"type": "article", "id": article.id},
        children=[
            html.Span(article.outlet_zh, className=f"outlet outlet-{article.outlet}"),
            " ",
            html.Time(
                shown, dateTime=pub.instant.isoformat(), title=f"{pub.precision} · {pub.source}"
            ),
            " ",
            link,
        ],
    )
