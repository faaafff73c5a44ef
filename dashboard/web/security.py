"""What every response carries and what no response reveals.

- Security headers on every response, errors included: a Content-Security-Policy that lets the
  page load scripts, styles, fonts and connections only from its own origin (Dash's one inline
  bootstrap script and the inline clientside callbacks by their hashes), no framing by other
  sites, no MIME sniffing, no referrer sent to the outlets an article links to, and no powerful
  browser features.
- No versions: Dash writes the Python build and the library versions into every page's config
  and into the file names of its scripts; here the config carries none and the file names a
  hash instead. Source maps (1.2 MB for the renderer alone) are not served.
- A request for a script Dash does not have is a 404, not an exception.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from dash import Dash
from dash.fingerprint import check_fingerprint
from flask import Flask, Response, request

from dashboard.web.limits import error_body

# Measured in Chromium on every view (tests/browser/test_security.py): Plotly draws its charts
# and Dash its loading states by writing style attributes and <style> elements at run time, so
# styles need 'unsafe-inline'; scripts do not.
STYLE_SOURCES = "'self' 'unsafe-inline'"
PERMISSIONS = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
VERSION_KEYS = ("dash_version", "python_version", "ddk_version", "plotly_version")
# Dash's fingerprint: name.v<version>m<modification time>.ext; the version part is replaced.
FINGERPRINT = re.compile(r"\.v[\w-]+m([0-9a-fA-F]+)\.")
FAVICON_VERSION = re.compile(r"(_favicon\.ico)\?v=[^\"']*")
SUITES = "/_dash-component-suites/"
ASSETS = "/assets/"
CALLBACK_PATH = "/_dash-update-component"
DASH_PATHS = frozenset(
    {"/", "/_dash-layout", "/_dash-dependencies", CALLBACK_PATH, "/_favicon.ico"}
)


class QuietDash(Dash):
    """Dash without versions in its pages."""

    def _config(self) -> dict[str, Any]:  # type: ignore[override]
        config: dict[str, Any] = super()._config()
        for key in VERSION_KEYS:
            config[key] = None
        config["dash_version_url"] = None
        return config

    def interpolate_index(self, **kwargs: Any) -> str:  # type: ignore[override]
        page: str = super().interpolate_index(**kwargs)
        page = FINGERPRINT.sub(lambda m: f".v0m{_hashed(m.group(0))}.", page)
        return FAVICON_VERSION.sub(r"\1", page)


def _hashed(fingerprint: str) -> str:
    # Still changes whenever the file does (the version and time are in the hash), so browsers
    # may keep fingerprinted scripts for a year as before.
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:16]


def content_security_policy(script_hashes: list[str], image_sources: str) -> str:
    """The page's policy: its own origin only, plus what the settings allow for images."""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": STYLE_SOURCES,
        "img-src": image_sources,
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(policy: str) -> dict[str, str]:
    """The headers every response carries."""
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "SAMEORIGIN",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": PERMISSIONS,
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def add_security(app: Dash, image_sources: str, paths: frozenset[str] = frozenset()) -> None:
    """Headers on every response; 404s for paths the app does not have (Dash would answer
    any path with its page, so a relative image URL in an article would fetch the dashboard)
    and for scripts and source maps Dash does not serve; 405 for a callback not POSTed.

    Call after every callback is registered (the policy holds the hashes of their inline
    scripts) and after any other middleware is installed (the headers go on outermost).
    ``paths`` are the app's own routes besides Dash's."""
    server: Flask = app.server
    headers = security_headers(content_security_policy(list(app.csp_hashes()), image_sources))
    known = DASH_PATHS | paths

    @server.before_request
    def _unknown_path() -> Response | None:
        path = request.path
        if path == CALLBACK_PATH and request.method != "POST":
            return json_error(405, "callbacks are POSTed")
        if path in known or path.startswith(ASSETS):
            return None
        if not path.startswith(SUITES):
            return json_error(404, "no such page: the dashboard is at /")
        package, _, script = path.removeprefix(SUITES).partition("/")
        original, _ = check_fingerprint(script)
        if original.endswith(".map") or original not in app.registered_paths.get(package, ()):
            return json_error(404, "no such script")
        return None

    # Outermost, so the limits' own rejections (413, 408) carry the headers too.
    server.wsgi_app = SecurityHeaders(server.wsgi_app, headers)  # type: ignore[method-assign]


class SecurityHeaders:
    """WSGI middleware: the security headers on every response the app gives."""

    def __init__(self, app: Any, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = list(headers.items())

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _ in headers}
            headers = headers + [(k, v) for k, v in self.headers if k.lower() not in present]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def json_error(status: int, message: str) -> Response:
    """error_body as a Flask response."""
    return Response(error_body(message), status=status, mimetype="application/json")
