"""Real browser tests: the dashboard served by `python -m dashboard serve`, driven by Playwright
in the system's headless Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.servers import free_port

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR", Path(__file__).parents[2] / "artifacts"))
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


def start_server(
    env: dict[str, str] | None = None, timeout: float = 90
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--port", str(port)],
        env={**os.environ, "CACHE_DIR": "off", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "_dash-layout", timeout=5):
                return process, base
        except OSError:
            assert process.poll() is None, "the dashboard server exited during start-up"
            time.sleep(0.3)
    process.kill()
    raise AssertionError(f"the dashboard did not answer within {timeout:.0f} s")


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    process, base = start_server()
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Console:
    """What the page logged, and which hosts other than the app it asked for."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.external: list[tuple[str, str]] = []
        self.dialogs: list[str] = []


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    console = Console()
    tab.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: console.errors.append(f"page error: {e}"))
    tab.on("dialog", lambda d: (console.dialogs.append(d.message), d.dismiss()))

    def outside(route):  # type: ignore[no-untyped-def]
        # Offline, article images would fail to load; answer them with a pixel and record
        # every external request, so tests can check none is a script, style or font.
        request = route.request
        console.external.append((request.resource_type, request.url))
        if request.resource_type == "image":
            route.fulfill(status=200, content_type="image/gif", body=PIXEL)
        else:
            route.abort()

    tab.route(lambda url: urlsplit(url).hostname not in ("127.0.0.1", "localhost"), outside)
    tab.console = console  # type: ignore[attr-defined]
    yield tab
    context.close()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
