"""Security headers on every response, no versions in the page, the limits' rejections too."""

from __future__ import annotations

import re

import pytest

from dashboard.config import Settings
from dashboard.web.app import create_app
from dashboard.web.security import content_security_policy

PATHS = ["/", "/?outlet=rfi", "/_dash-layout", "/_dash-dependencies", "/healthz", "/nope"]


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    return create_app(Settings(cache_dir=None)).server.test_client()


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in policy.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


def test_every_response_carries_the_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    replies = [client.get(p) for p in PATHS]
    replies.append(client.post("/_dash-update-component", data=b"x" * 2_000_000))  # 413
    replies.append(client.post("/_dash-update-component", json=[1]))  # 400
    for reply in replies:
        headers = reply.headers
        assert headers["X-Content-Type-Options"] == "nosniff", reply.request.path
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "camera=()" in headers["Permissions-Policy"]
        policy = _directives(headers["Content-Security-Policy"])
        assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"]


def test_scripts_run_only_from_the_app_and_by_hash(client) -> None:  # type: ignore[no-untyped-def]
    reply = client.get("/")
    policy = _directives(reply.headers["Content-Security-Policy"])
    scripts = policy["script-src"]
    assert scripts[0] == "'self'" and "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts and all(s.startswith("'sha256-") for s in scripts[1:])
    for name in ("default-src", "connect-src", "font-src"):
        assert policy[name][0] == "'self'" and not any(
            s.startswith("http") or s == "*" for s in policy[name]
        )
    # Every inline script of the page is one the policy lets run (its hash is listed).
    page = re.sub(r"<!--.*?-->", "", reply.get_data(as_text=True), flags=re.S)
    import base64
    import hashlib

    for attributes, script in re.findall(r"<script((?: [^>]*)?)>(.*?)</script>", page, re.S):
        if not script.strip() or "application/json" in attributes:  # data, not code
            continue
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in scripts, script[:80]


def test_images_follow_the_setting() -> None:
    assert "https:" not in content_security_policy([], "'self' data:")
    assert "img-src 'self' data: https:" in content_security_policy([], "'self' data: https:")


def test_the_page_discloses_no_versions(client) -> None:  # type: ignore[no-untyped-def]
    import sys

    import dash
    import plotly

    page = client.get("/").get_data(as_text=True)
    assert sys.version.split()[0] not in page
    assert f"v{dash.__version__.replace('.', '_')}" not in page
    assert f"?v={dash.__version__}" not in page
    assert f'"{plotly.__version__}"' not in page
    assert '"python_version":null' in page.replace(" ", "")
    for script in re.findall(r'src="(/_dash-component-suites/[^"]+)"', page):
        assert client.get(script).status_code == 200, script  # renamed files still load
