"""The WSGI entry point for production servers: ``gunicorn 'dashboard.web.wsgi:create_server()'``.

A factory, not a module-level app, so importing this module reads nothing; with gunicorn's
``--preload`` the corpus is loaded once in the master process and shared by every worker.
"""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask

from dashboard.config import from_env

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def without_notebook_support() -> None:
    """Keep IPython out of the server. Dash imports it, when it is installed, for running in a
    notebook: half a second of every start on this machine (a third of the imports), for a
    process that never runs in one. A None in sys.modules makes the import fail at once, and
    Dash goes on without it; an IPython already imported is left alone."""
    sys.modules.setdefault("IPython", None)  # type: ignore[arg-type]


def create_server() -> Flask:
    """The Flask server of the dashboard, configured from the environment."""
    started = time.perf_counter()
    without_notebook_support()
    settings = from_env()
    logging.basicConfig(level=settings.log_level, stream=sys.stdout, format=LOG_FORMAT, force=True)
    from dashboard.web.app import create_app  # after logging is set up, so start-up is logged

    app = create_app(settings)
    logging.getLogger("dashboard").info("ready in %.2f s", time.perf_counter() - started)
    return app.server
