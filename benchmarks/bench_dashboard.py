"""Dashboard speed in a real browser: navigation → interactive timeline, and the server time of
filter callbacks, on the bundled corpus and on a 10,000-article corpus.

Headless Debian Chromium driven by Playwright; the server is `python -m dashboard serve`.
"Interactive" means the timeline has drawn its points and the article list is filled. Callback
time is the server's own time for the render callback that redraws the timeline after a filter
(its Server-Timing header: filtering, figure, list and JSON encoding).

    python benchmarks/bench_dashboard.py [--copies 100] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_ingest import build_corpus  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402

FILTERS = [
    "?outlet=rfi",
    "?q=北约",
    "?q=北约&outlet=aljazeera",
    "?kind=mentioned",
    "?from=2022-03-01&to=2022-03-31",
    "?outlet=rfa,voa&kind=published",
    "",
]
TARGET_INTERACTIVE_MS = 2000
TARGET_CALLBACK_MS = 150


def measure(browser, base: str, runs: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    interactive, callbacks = [], []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route(lambda url: not url.startswith(base), lambda route: route.abort())
        page.goto(base)
        page.wait_for_function(
            "() => document.querySelectorAll('#timeline .scatterlayer .points path').length > 0"
            " && document.querySelectorAll('.article-item').length > 0",
            timeout=120_000,
        )
        interactive.append(page.evaluate("performance.now()"))
        page.close()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(base)
    page.wait_for_selector(".article-item", timeout=120_000)
    for query in FILTERS * max(1, runs // 2):
        with page.expect_response(
            lambda r: (
                "_dash-update-component" in r.url
                and "timeline.figure" in (r.request.post_data or "")
            )
        ) as info:
            page.evaluate(
                f"window.history.pushState({{}}, '', '/{query}');"
                "window.dispatchEvent(new PopStateEvent('popstate'))"
            )
        header = info.value.headers.get("server-timing", "")
        callbacks.append(float(header.split("dur=")[1]))
    page.close()
    return interactive, callbacks


def report(label: str, interactive: list[float], callbacks: list[float]) -> None:
    print(f"{label}:")
    print(
        f"  navigation → interactive timeline: median {statistics.median(interactive):,.0f} ms"
        f" (min {min(interactive):,.0f}, max {max(interactive):,.0f}, n={len(interactive)})"
        f" — target < {TARGET_INTERACTIVE_MS:,} ms:"
        f" {'meets' if statistics.median(interactive) < TARGET_INTERACTIVE_MS else 'MISSES'}"
    )
    print(
        f"  filter callback (render):          median {statistics.median(callbacks):,.0f} ms"
        f" (p90 {sorted(callbacks)[int(len(callbacks) * 0.9) - 1]:,.0f}, n={len(callbacks)})"
        f" — target < {TARGET_CALLBACK_MS} ms:"
        f" {'meets' if statistics.median(callbacks) < TARGET_CALLBACK_MS else 'MISSES'}"
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="copies of the 100 samples")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        count = build_corpus(Path(tmp), args.copies)
        for label, env in (
            ("bundled corpus (5 articles)", {}),
            (f"{count:,}-article corpus", {"CORPUS_DIR": tmp}),
        ):
            process, base = start_server(env, timeout=1800)
            try:
                report(label, *measure(browser, base, args.runs))
            finally:
                process.terminate()
                process.wait(timeout=30)
        browser.close()


if __name__ == "__main__":
    main()
