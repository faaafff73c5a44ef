"""The served dashboard at 20,000 and 100,000 real articles, in a real browser.

The corpus is the shared scale corpus (20,296 real GNews reposts, unpacked) plus the samples;
for 100,000 articles it adds articles recombined from the real ones: each takes the header of
one file and paragraphs drawn from others, under a new id and a new publication date, so no
two are copies (a benchmark of copies flatters every cache). The cache is built first
(`python -m dashboard cache`); the server is the Procfile's command (gunicorn, its workers).

Printed for each size, against the targets of the issue:
- cold start with a built cache: process start → first 200 from /healthz;
- RSS and PSS of the gunicorn master and of each worker, after the page loads and the runs;
- time to interactive in headless Chromium (navigation → timeline drawn and list filled);
- first-load payload: the JSON of the page's callbacks and of its layout;
- server time (its Server-Timing header) of the keyword, outlet, date, zoom and panel
  callbacks, and of the research views (the chronology opened under a new keyword, another of
  its pages, another order; the outlet comparison; a story's page), p50 and p95 of RUNS runs
  each, each run with a different value. Each action waits until the page has drawn the last
  answer, as a reader does (actions that followed each other while Chromium still drew had the
  server share the two cores with it).

    mkdir -p /tmp/gnews && tar -xJf <the scale corpus>/gnews-reposts.tar.xz -C /tmp/gnews
    python benchmarks/bench_dashboard.py --scale /tmp/gnews [--sizes 20000,100000] [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_ingest import link_corpus, reference_ms  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.servers import free_port, spawn_web  # noqa: E402

TARGETS = {"healthy_s": 3.0, "worker_rss_mb": 600, "interactive_ms": 2000, "payload_mb": 1.5,
           "keyword_ms": 50, "p50_ms": 100, "p95_ms": 300}  # fmt: skip
KEYWORDS = ["北约", "俄罗斯", "乌克兰", "拜登", "普京", "疫苗", "台湾", "香港", "选举", "制裁",
            "中共", "日本", "欧盟", "军队", "经济", "媒体", "战争", "法院", "石油", "移民",
            "联合国", "习近平", "特朗普", "印度"]  # fmt: skip
POINTS = "#timeline .scatterlayer .points path"
HEADER_END = re.compile(r"\[轉載自GNews\]\(https://gnews\.org/articles/(\d+)\)")


def recombined(scale: Path, target: Path, count: int, seed: int = 2022) -> int:
    """``count`` new GNews-form articles: a real file's header (its title and date line) with
    a new id and date, and 3–8 paragraphs from other real files, in a new order."""
    rng = random.Random(seed)
    heads, paragraphs = [], []
    for path in sorted(scale.glob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        found = HEADER_END.search(text)
        if not found:
            continue
        heads.append(text[: found.start()])
        paragraphs += [p for p in text[found.end() :].split("\n\n") if len(p.strip()) > 20]
    target.mkdir(parents=True, exist_ok=True)
    start = time.mktime((2021, 1, 1, 0, 0, 0, 0, 0, 0))
    for n in range(count):
        new_id = 9_000_000 + n
        when = time.gmtime(start + rng.random() * 3 * 365 * 86400)
        head = re.sub(
            r"`\d+/\d+/\d{4} \d+:\d\d [AP]M UTC",
            f"`{when.tm_mon}/{when.tm_mday}/{when.tm_year} {when.tm_hour % 12 or 12}:"
            f"{when.tm_min:02d} {'AM' if when.tm_hour < 12 else 'PM'} UTC",
            rng.choice(heads),
        )
        body = "\n\n".join(rng.sample(paragraphs, rng.randint(3, 8)))
        link = f"[轉載自GNews](https://gnews.org/articles/{new_id})"
        (target / f"{new_id}.md").write_text(f"{head}{link}\n\n{body}\n", encoding="utf-8")
    return count


def build_cache(corpus: Path, cache: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dashboard", "cache"],
        env={**os.environ, "CORPUS_DIR": str(corpus), "CACHE_DIR": str(cache)},
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    took = time.perf_counter() - started
    # A build leaves a gigabyte of written pages for the disk at 100,000 articles: flushing them
    # while the server starts made its first callbacks wait minutes, which is not the server.
    os.sync()
    return took


def start(corpus: Path, cache: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    """The Procfile's web command on a free port; seconds until /healthz answers 200."""
    port = free_port()
    env = {"PATH": os.environ["PATH"], "PORT": str(port), "CORPUS_DIR": str(corpus),
           "CACHE_DIR": str(cache), "HOME": os.environ.get("HOME", "/root")}  # fmt: skip
    began = time.perf_counter()
    process = spawn_web(env)
    base = f"http://127.0.0.1:{port}/"
    while True:
        try:
            with urllib.request.urlopen(base + "healthz", timeout=5):
                return process, base, time.perf_counter() - began
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("the server exited") from None
            time.sleep(0.05)


def memory(pid: int) -> tuple[float, float]:
    """RSS and PSS of a process, in MB (smaps_rollup)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value) / 1024
    return fields["Rss"], fields["Pss"]


def gunicorn_processes(session: int) -> tuple[int, list[int]]:
    """The gunicorn master (of the processes of the server's session, the one with most
    children) and its workers."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[3]) == session:  # the fields after the name: state, ppid, pgrp, session
            parents[int(entry.name)] = int(stat[1])
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    master = max((p for p in parents if p in children), key=lambda p: len(children[p]))
    return master, sorted(children[master])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def load(browser, base: str, runs: int) -> tuple[list[float], list[int]]:  # type: ignore[no-untyped-def]
    """Time to interactive of fresh pages, and the bytes of each one's callbacks and layout."""
    interactive, payloads = [], []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route(lambda url: not url.startswith(base), lambda route: route.abort())
        responses: list[Any] = []
        page.on("response", lambda r, seen=responses: seen.append(r))
        logged: list[str] = []
        page.on("console", lambda m, seen=logged: seen.append(f"{m.type}: {m.text}"))
        page.goto(base)
        try:
            page.wait_for_function(
                f"() => document.querySelectorAll('{POINTS}').length > 0"
                " && document.querySelectorAll('.article-item').length > 0",
                timeout=120_000,
            )
        except Exception:
            statuses = [(r.status, r.url.split("?")[0][-40:]) for r in responses]
            print(f"  the page did not become interactive: {logged[:5]} {statuses}")
            raise
        interactive.append(page.evaluate("performance.now()"))
        page.wait_for_load_state("networkidle")
        payloads.append(sum(_size(r) for r in responses))
        page.close()
    return interactive, payloads


def _size(response) -> int:  # type: ignore[no-untyped-def]
    """The bytes of a callback's or the layout's JSON (as decoded: before compression)."""
    if "/_dash-update-component" not in response.url and "/_dash-layout" not in response.url:
        return 0
    if response.status == 204:  # a callback that changed nothing (PreventUpdate): no body
        return 0
    try:
        return len(response.body())
    except Exception:  # playwright's Error: the body was not kept (a superseded request)
        return 0


# Resolves when the page's main thread has been idle twice in a row: what it drew is drawn.
SETTLED = """() => new Promise(done => requestIdleCallback(
    () => requestIdleCallback(() => done(true), {timeout: 10000}), {timeout: 10000}))"""


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the page has drawn what it was sent, as a reader does before the next action.
    Playwright's networkidle resolves at once once reached (a history push is no navigation),
    so actions used to follow each other while Chromium still drew the last answer, and on a
    2-core machine the server's time then counted its competing with the browser for a core."""
    page.wait_for_load_state("networkidle")
    page.evaluate(SETTLED)


def timed(page, action: str, answered: bool = True) -> float:  # type: ignore[no-untyped-def]
    """The server time of the render callback an action in the page sets off, the page settled
    before and after; ``answered=False``: an action that may change nothing (going back to the
    default view when the page is there already), whose answer is waited for a few seconds."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    settle(page)
    # Its answer, not a late one to something else (the first draw's resize answers 204).
    try:
        with page.expect_response(
            lambda r: "_dash-update-component" in r.url and r.status == 200,
            timeout=30_000 if answered else 5_000,
        ) as info:
            page.evaluate(action)
        header = info.value.headers.get("server-timing", "")
    except PlaywrightTimeout:
        if answered:
            raise
        header = ""
    settle(page)
    return float(header.split("dur=")[1]) if "dur=" in header else float("nan")


def go(query: str) -> str:
    return (f"window.history.pushState({{}}, '', '/{query}');"
            "window.dispatchEvent(new PopStateEvent('popstate'))")  # fmt: skip


def callbacks(browser, base: str, runs: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Server times of each kind of callback, each run with another value (no cache helps)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(base)
    page.wait_for_function(  # in the page (at 100,000 articles not "visible" to playwright)
        "() => document.querySelectorAll('.article-item').length > 0", timeout=120_000
    )
    page.wait_for_load_state("networkidle")
    outlets = page.evaluate(
        "() => Array.from(document.querySelectorAll('#outlet-filter input')).map(i => i.value)"
    )
    articles = page.evaluate(
        "() => Array.from(document.querySelectorAll('.article-item'))"
        ".map(a => new URL(a.href).searchParams.get('article'))"
    )
    times: dict[str, list[float]] = {k: [] for k in ("keyword", "outlet", "date", "zoom", "panel")}
    plot = "document.getElementById('timeline').querySelector('.js-plotly-plot')"
    for n in range(runs):
        times["keyword"].append(timed(page, go(f"?q={KEYWORDS[n % len(KEYWORDS)]}")))
        times["outlet"].append(timed(page, go(f"?outlet={outlets[n % len(outlets)]}")))
        month = 1 + n % 12
        year = 2021 + (n // 12) % 3
        times["date"].append(
            timed(page, go(f"?from={year}-{month:02d}-01&to={year}-{month:02d}-28"))
        )
        timed(page, go(""), answered=False)  # back to the default view
        first = f"{2021 + n % 3}-{1 + n % 12:02d}-{1 + n % 20:02d}"
        span = f"{{'xaxis.range[0]': '{first}', 'xaxis.range[1]': '{first[:8]}28'}}"
        times["zoom"].append(timed(page, f"Plotly.relayout({plot}, {span})"))
        timed(page, go(""), answered=False)  # the panel opens on the default view
        times["panel"].append(timed(page, go(f"?article={articles[n % len(articles)]}")))
    times.update(view_callbacks(page, outlets, runs))
    page.close()
    return times


def view_callbacks(page, outlets: list[str], runs: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    """Server times of the research views: opening the chronology under a new keyword, a page
    of it and another order, the comparison under a new keyword and outlet, a story's page."""
    times: dict[str, list[float]] = {
        k: [] for k in ("chronology", "chron-page", "chron-sort", "compare", "story")
    }
    timed(page, go("?view=chronology&sort=outlets"))  # the stories most outlets reported
    try:
        page.wait_for_function(
            "() => document.querySelectorAll('a.story-page-link').length > 0", timeout=60_000
        )
    except PlaywrightTimeout:
        print("  (no story links in the chronology: story pages not timed)")
    stories = page.evaluate(
        "() => Array.from(document.querySelectorAll('a.story-page-link'))"
        ".map(a => new URL(a.href).searchParams.get('story'))"
    )
    sorts = ["outlets", "reports", "-date"]
    for n in range(runs):
        keyword = KEYWORDS[(n + 7) % len(KEYWORDS)]
        times["chronology"].append(timed(page, go(f"?view=chronology&q={keyword}")))
        times["chron-page"].append(timed(page, go(f"?view=chronology&q={keyword}&cpage={2 + n}")))
        times["chron-sort"].append(
            timed(page, go(f"?view=chronology&q={keyword}&sort={sorts[n % 3]}"))
        )
        outlet = outlets[n % len(outlets)]
        times["compare"].append(timed(page, go(f"?view=compare&q={keyword}&outlet={outlet}")))
        if stories:
            times["story"].append(timed(page, go(f"?story={stories[n % len(stories)]}")))
    return times


def report(label: str, figures: dict[str, Any]) -> None:
    def mark(ok: bool) -> str:
        return "meets" if ok else "MISSES"

    print(f"\n{label}")
    print(f"  cache built in {figures['build_s']:.0f} s (python -m dashboard cache)")
    first, last = figures["reference_ms"]
    print(f"  machine: reference workload {first:.0f} ms before the server started, {last:.0f} ms"
          " after it stopped (lower is faster; about 55 on a quiet machine)")  # fmt: skip
    healthy, limit = figures["healthy_s"], TARGETS["healthy_s"]
    print(f"  cold start with the cache: healthy after {healthy:.2f} s"
          f" — target ≤ {limit} s: {mark(healthy <= limit)}")  # fmt: skip
    rss, pss = figures["master"]
    print(f"  master: RSS {rss:,.0f} MB, PSS {pss:,.0f} MB")
    for n, (rss, pss) in enumerate(figures["workers"], 1):
        ok = rss <= TARGETS["worker_rss_mb"]
        print(f"  worker {n}: RSS {rss:,.0f} MB, PSS {pss:,.0f} MB"
              f" — target RSS ≤ {TARGETS['worker_rss_mb']} MB: {mark(ok)}")  # fmt: skip
    ti = figures["interactive"]
    print(f"  time to interactive: median {statistics.median(ti):,.0f} ms (min {min(ti):,.0f},"
          f" max {max(ti):,.0f}, n={len(ti)}) — target ≤ {TARGETS['interactive_ms']:,} ms:"
          f" {mark(statistics.median(ti) <= TARGETS['interactive_ms'])}")  # fmt: skip
    payload = max(figures["payloads"]) / 1e6
    print(
        f"  first-load payload: {payload:.2f} MB of callback and layout JSON"
        f" — target ≤ {TARGETS['payload_mb']} MB: {mark(payload <= TARGETS['payload_mb'])}"
    )
    print("  callbacks (each action after the page has drawn the last answer):")
    for name, values in figures["callbacks"].items():
        if not values:
            print(f"  {name:8} callback: not measured")
            continue
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        target = TARGETS["keyword_ms"] if name == "keyword" else TARGETS["p50_ms"]
        ok = p50 <= target and p95 <= TARGETS["p95_ms"]
        print(
            f"  {name:8} callback: p50 {p50:6.1f} ms, p95 {p95:6.1f} ms (n={len(values)})"
            f" — target p50 ≤ {target} ms, p95 ≤ {TARGETS['p95_ms']} ms: {mark(ok)}"
        )


def measure(corpus: Path, cache: Path, runs: int, browser) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    figures: dict[str, Any] = {"build_s": build_cache(corpus, cache)}
    before = reference_ms()  # this shared machine's speed moves every figure below
    process, base, figures["healthy_s"] = start(corpus, cache)
    try:
        figures["interactive"], figures["payloads"] = load(browser, base, 5)
        figures["callbacks"] = callbacks(browser, base, runs)
        master, workers = gunicorn_processes(process.pid)
        figures["master"] = memory(master)
        figures["workers"] = [memory(w) for w in workers]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    figures["reference_ms"] = (before, reference_ms())
    return figures


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=Path, required=True, help="the unpacked scale corpus")
    parser.add_argument("--sizes", default="20000,100000", help="corpus sizes, in articles")
    parser.add_argument("--runs", type=int, default=20, help="runs of each callback")
    parser.add_argument("--work", type=Path, default=None, help="folder for corpora and caches")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    corpus = work / "corpus"
    if not corpus.exists():
        link_corpus(args.scale, corpus)
    made = corpus / "recombined"
    real = sum(1 for p in corpus.rglob("*") if p.is_file() and made not in p.parents)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in (int(s) for s in args.sizes.split(",")):
            extra = max(0, size - real)
            have = sum(1 for _ in made.glob("*.md")) if made.exists() else 0
            if have != extra:
                for path in made.glob("*.md") if made.exists() else ():
                    path.unlink()
                recombined(args.scale, made, extra)
            label = f"{real + extra:,} files ({real:,} real, {extra:,} recombined)"
            report(label, measure(corpus, work / "cache", args.runs, browser))
        browser.close()


if __name__ == "__main__":
    main()
