"""The Dash application, built by ``create_app(settings)``; nothing is read at import time.

Production concerns live here too: gzip/brotli responses, a health endpoint for the platform,
long cache lifetimes for fingerprinted assets, a Server-Timing header on every response, and
the request boundary (body limits, callback envelope checks, security headers).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from dash import Dash
from flask import Flask, Response, g, jsonify, request

from dashboard.config import Settings
from dashboard.parsing.cache import load_or_build
from dashboard.parsing.store import CorpusData
from dashboard.web.callbacks import register
from dashboard.web.envelope import add_envelope_check
from dashboard.web.images import image_sources, register_images
from dashboard.web.layout import page
from dashboard.web.limits import MAX_BODY_BYTES, RequestLimits
from dashboard.web.security import QuietDash, add_security

log = logging.getLogger(__name__)
HEALTH_PATH = "/healthz"
YEAR_SECONDS = 31_536_000


def create_app(settings: Settings, data: CorpusData | None = None) -> Dash:
    """A Dash app over the settings' corpus (loaded now, once), or over data already built."""
    started = time.perf_counter()
    status = "given"
    if data is None:
        loaded = load_or_build(settings)
        data, status = loaded.data, loaded.status
    data.prepare()
    log.info(
        "corpus %s: %d articles, %d events, %d skipped; cache %s; loaded in %.2f s",
        settings.corpus_dir, len(data.articles), len(data.events), data.skipped, status,
        time.perf_counter() - started,
    )  # fmt: skip
    app = QuietDash(
        __name__,
        title="新闻时间线 · News timeline",
        serve_locally=True,
        compress=True,
        assets_folder=str(settings.assets_dir),
        update_title=None,
    )
    app.layout = page()
    register(app, data, settings)
    register_images(app)
    add_envelope_check(app)
    app.server.wsgi_app = RequestLimits(app.server.wsgi_app)  # type: ignore[method-assign]
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    add_security(app, image_sources(settings.images), frozenset({HEALTH_PATH}))
    add_health(app.server, data, status)
    add_server_timing(app.server)
    add_asset_caching(app.server)
    return app


def add_health(server: Flask, data: CorpusData, cache_status: str) -> None:
    """GET /healthz: 200 with the corpus size once the app can serve it."""
    started = datetime.now(UTC).isoformat(timespec="seconds")

    @server.get(HEALTH_PATH)
    def health() -> Response:
        return jsonify(
            status="ok",
            articles=len(data.articles),
            events=len(data.events),
            skipped=data.skipped,
            cache=cache_status,
            started=started,
        )


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
            elapsed = (time.perf_counter() - started) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
        return response


def add_asset_caching(server: Flask) -> None:
    """Assets carry their modification time in the URL (?m=…): browsers may keep them a year."""

    @server.after_request
    def _cache(response: Response) -> Response:
        fingerprinted = request.path.startswith("/assets/") and "m" in request.args
        if fingerprinted and response.status_code == 200:
            response.headers["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
        return response
