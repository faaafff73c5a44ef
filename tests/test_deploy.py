"""Deployment: the Procfile's web command run as a platform runs it, and what it serves."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from dashboard.config import Settings
from dashboard.web.app import create_app
from tests.servers import (
    ROOT,
    callback_body,
    free_port,
    serving_setting,
    spawn_web,
    web_command,
)


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return reply.status, dict(reply.headers), reply.read()


def callback_request(base: str) -> bytes:
    """The body of the page's first view callback for ?outlet=rfi, built from the app's own
    dependency list."""
    _, _, body = fetch(base + "_dash-dependencies")
    values = {"url.search": "?outlet=rfi"}
    return json.dumps(callback_body(json.loads(body), values, ["url.search"])).encode()


def test_procfile_web_command_serves_as_the_platform_runs_it(tmp_path: Path) -> None:
    port = free_port()
    env = {"PORT": str(port), "PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    process = spawn_web(env, capture=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _, body = fetch(base + "healthz")
                break
            except OSError:
                assert process.poll() is None, (
                    process.stdout.read().decode() if process.stdout else ""
                )
                assert time.monotonic() < deadline, "no healthy answer within 120 s"
                time.sleep(0.3)
        health = json.loads(body)
        assert status == 200 and health["status"] == "ok" and health["articles"] == 5
        status, headers, _ = fetch(base, headers={"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("Content-Encoding") == "gzip"
        status, _, reply = fetch(
            base + "_dash-update-component",
            callback_request(base),
            {"Content-Type": "application/json"},
        )
        result = json.loads(reply)["response"]
        assert status == 200 and result["caption"]["children"].endswith("法国国际广播电台")
        assert result["timeline"]["figure"]["data"]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert re.search(r"cache (built|hit)", output), output
    assert "ready in" in output
    assert re.search(r'"GET /healthz HTTP/1\.[01]" 200', output)  # one line per request


def test_procfile_binds_the_platform_port_with_preloaded_gevent_workers() -> None:
    args = shlex.split(web_command())
    assert args[0] == "gunicorn" and args[-1] == "dashboard.web.wsgi:create_server()"
    assert args[args.index("--config") + 1] == "python:dashboard.web.serving"
    assert args[args.index("--bind") + 1] == "0.0.0.0:$PORT"
    assert args[args.index("--workers") + 1] == "${WEB_CONCURRENCY:-2}"
    assert serving_setting("preload_app")  # parse once in the master, not once per worker
    # Idle and half-sent connections wait in an event loop, not in a worker or thread.
    assert serving_setting("worker_class") == "gevent"
    assert serving_setting("worker_connections") >= 250
    assert serving_setting("keepalive") <= 10 and serving_setting("timeout") <= 60


def test_requirements_pin_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = {
        re.split(r"==", line)[0].lower().replace("_", "-").replace(".", "-")
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~\[ ]", requirement)[0].lower().replace("_", "-")
        assert name in pinned, f"{name} is not pinned in requirements.txt"
    lines = [
        ln
        for ln in (ROOT / "requirements.txt").read_text().splitlines()
        if ln and not ln.startswith("#")
    ]
    assert all("==" in ln for ln in lines)


def test_python_version_file_satisfies_the_project() -> None:
    version = (ROOT / ".python-version").read_text().strip()
    assert re.fullmatch(r"3\.\d+", version) and int(version.split(".")[1]) >= 11


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    return create_app(Settings(cache_dir=None)).server.test_client()


def test_health_endpoint(client) -> None:  # type: ignore[no-untyped-def]
    reply = client.get("/healthz")
    assert reply.status_code == 200
    assert reply.get_json()["articles"] == 5 and reply.get_json()["cache"] == "off"


def test_fingerprinted_assets_are_cached_for_a_year(client) -> None:  # type: ignore[no-untyped-def]
    reply = client.get("/assets/style.css?m=1")
    assert "max-age=31536000" in reply.headers["Cache-Control"]
    assert "max-age=31536000" not in client.get("/").headers.get("Cache-Control", "")


def test_responses_are_compressed_and_timed(client) -> None:  # type: ignore[no-untyped-def]
    reply = client.get("/_dash-layout", headers={"Accept-Encoding": "br, gzip"})
    assert reply.headers.get("Content-Encoding") in ("br", "gzip")
    assert reply.headers["Server-Timing"].startswith("app;dur=")


def test_the_server_starts_dash_without_notebook_support() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from dashboard.web import wsgi; wsgi.without_notebook_support(); "
        "import dash; from dashboard.web.app import create_app; "
        "assert sys.modules['IPython'] is None, 'IPython was imported'; print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
