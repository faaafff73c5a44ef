"""The Dash application, built by ``create_app(settings)``; nothing is read at import time."""

from __future__ import annotations

import logging
import time

from dash import Dash
from flask import Flask, Response, g

from dashboard.callbacks import register
from dashboard.config import Settings
from dashboard.corpus import CorpusReport, read_corpus
from dashboard.layout import page
from dashboard.store import CorpusData, build_data

log = logging.getLogger(__name__)


def create_app(
    settings: Settings, report: CorpusReport | None = None, data: CorpusData | None = None
) -> Dash:
    """A Dash app over the settings' corpus (read now, once), or over data already built."""
    started = time.perf_counter()
    if data is None:
        if report is None:
            report = read_corpus(settings.corpus_dir, settings.default_tz)
        data = build_data(report, settings.default_tz)
    log.info(
        "corpus %s: %d articles, %d events, %d skipped (%.2f s)",
        settings.corpus_dir,
        len(data.articles),
        len(data.events),
        data.skipped,
        time.perf_counter() - started,
    )
    app = Dash(
        __name__,
        title="新闻时间线 · News timeline",
        serve_locally=True,
        assets_folder=str(settings.assets_dir),
        update_title=None,
        suppress_callback_exceptions=False,
    )
    app.layout = page()
    register(app, data)
    add_server_timing(app.server)
    return app


def add_server_timing(server: Flask) -> None:
    """A Server-Timing header on every response: the browser's devtools (and the dashboard
    benchmark) see how long the server spent on each request, callbacks included."""

    @server.before_request
    def _start() -> None:
        g.started = time.perf_counter()

    @server.after_request
    def _stamp(response: Response) -> Response:
        started = g.get("started")
        if started is not None:
            response.headers["Server-Timing"] = (
                f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            )
        return response
