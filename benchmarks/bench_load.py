"""Load: many readers at once on the Procfile's web command, driven by locust (headless).

Each simulated reader does what a browser does, with 1–3 s of thinking between actions: loads
the page (``GET /``, ``/_dash-layout``, ``/_dash-dependencies``, then the first view),
changes the outlets, the keyword or the dates, opens an article from the list and closes it,
and now and then reloads. A filter change is the one callback request a browser sends for it,
timed as what the reader waits for. Every request body is built from the app's own
``/_dash-dependencies``, so the benchmark follows the callbacks as they change. Static assets
(cached by a browser for a year) are not fetched. The server is started here from the Procfile
on 127.0.0.1 and shares the machine's cores with the load generator.

    python benchmarks/bench_load.py                       # the bundled corpus: 5 articles
    python benchmarks/bench_load.py --corpus /work/shared/corpus/samples     # 100 articles
    mkdir -p /tmp/gnews && tar -xJf /work/shared/corpus/scale/gnews-reposts.tar.xz -C /tmp/gnews
    python benchmarks/bench_load.py --corpus /tmp/gnews       # 20,296 GNews reposts

(``/work/shared`` is the shared folder beside this checkout; the samples are 101 files, of
which MANIFEST.tsv is skipped.) The Parquet cache is kept under
/tmp per corpus, so only the first run on the scale corpus builds it (4–5 minutes).
Options: ``--users 50 --spawn-rate 10 --seconds 60 --workers 2 --cache-dir DIR``.
"""

# ruff: noqa: E402 — the imports follow the gevent patch below, as locust requires

from __future__ import annotations

from gevent import monkey

# Patch before anything imports ssl (requests does): locust patches on import, and a late patch
# leaves ssl's SSLContext recursing.
monkey.patch_all()

import argparse
import hashlib
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

import gevent
import requests
from gevent.pool import Group
from locust import User, between, task
from locust.env import Environment
from locust.stats import StatsEntry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import callback_body, free_port, web_command

KEYWORDS = ("北约", "俄罗斯", "乌克兰", "普京", "拜登", "制裁", "泽连斯基", "美国")
FALLBACK_RANGE = (date(2022, 1, 1), date(2022, 3, 31))
RENDERED = "timeline.figure"  # the output that marks the callback drawing the view
ARTICLE_HREF = re.compile(r'"href": "(\?[^"]*article=[^"]*)"')
ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
REQUEST_TIMEOUT = 60.0
TARGET_P95_MS = 500
BASELINE_RUNS = 5
HEALTH = "healthz (probe)"  # not a reader's: the platform's health check, once a second
HEALTH_EVERY = 1.0
ACTIONS = (
    "page",
    "layout",
    "dependencies",
    "initial view",
    "filter: outlet",
    "filter: search",
    "filter: dates",
    "open article",
    "close article",
    HEALTH,
)


class CallbackFailed(Exception):
    """A callback answered with something other than a 200 carrying "response"."""


@dataclass(frozen=True)
class Callback:
    """The view callback of /_dash-dependencies, able to build its request body."""

    dependency: dict[str, Any]

    @property
    def output(self) -> str:
        return str(self.dependency["output"])

    @property
    def names(self) -> tuple[str, ...]:
        """Its inputs and state, as "id.prop"."""
        refs = [*self.dependency["inputs"], *self.dependency.get("state", [])]
        return tuple(f"{i['id']}.{i['property']}" for i in refs)

    def body(self, values: dict[str, Any], changed: list[str]) -> dict[str, Any]:
        return callback_body([self.dependency], values, changed, self.output)


@dataclass
class Plan:
    """What every reader sends: the view callback and what the corpus offers."""

    view: Callback  # the controls and the address → the whole view
    initial: dict[str, Any]  # the layout's values of every input and state above
    outlets: list[str] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)
    days: list[date] = field(default_factory=lambda: list(FALLBACK_RANGE))  # listed articles'

    @property
    def tracked(self) -> set[str]:
        return set(self.view.names)


def plan_from(deps: list[dict[str, Any]], layout: Any) -> Plan:
    """The callback that draws the view, found by its output."""
    [view] = [Callback(d) for d in deps if RENDERED in d["output"]]
    return Plan(view=view, initial=initial_values(layout, set(view.names)))


def initial_values(layout: Any, wanted: set[str]) -> dict[str, Any]:
    """The layout's value of each wanted "id.prop" (what the browser sends before any change)."""
    values: dict[str, Any] = {name: None for name in wanted}
    values["url.search"] = ""  # the Location component reports the address's (empty) query
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and isinstance(props.get("id"), str):
                for prop, value in props.items():
                    if f"{props['id']}.{prop}" in wanted:
                        values[f"{props['id']}.{prop}"] = value
            stack.extend(v for v in (props or node).values() if isinstance(v, list | dict))
    return values


def iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def listed_days(response: dict[str, Any]) -> list[date]:
    """The publication days of the listed articles, else the ends of the figure's x range: a
    reader narrows the dates to where there is news, not to an empty stretch of years."""
    found = ISO_DAY.findall(json.dumps(response.get("article-list", {})))
    if not found:
        try:
            found = [str(x) for x in response["timeline"]["figure"]["layout"]["xaxis"]["range"]]
        except (KeyError, TypeError):
            found = []
    return sorted(d for d in map(iso_day, found) if d)


def wire_size(reply: requests.Response) -> int:
    """Bytes as they came over the wire (compressed), the body's length otherwise."""
    pulled = reply.raw.tell() if reply.raw is not None else 0
    return int(pulled or len(reply.content))


SIZES: dict[str, list[int]] = {}  # bytes per action, by type (locust keeps only their average)


def record_size(name: str, response_length: int, exception: Any = None, **_: Any) -> None:
    if exception is None:
        SIZES.setdefault(name, []).append(response_length)


class Reader(User):
    """One person reading the dashboard in a browser."""

    wait_time = between(1, 3)
    plan: ClassVar[Plan]
    calls: ClassVar[int] = 0  # HTTP requests sent by all readers (an action may be several)

    def on_start(self) -> None:
        self.session = requests.Session()
        self.values = dict(self.plan.initial)
        self.hrefs = list(self.plan.hrefs)
        self.load_page()

    def on_stop(self) -> None:
        self.session.close()

    def get(self, name: str, path: str) -> None:
        with self.environment.events.request.measure("GET", name) as meta:
            Reader.calls += 1
            reply = self.session.get(f"{self.host}{path}", timeout=REQUEST_TIMEOUT)
            meta["response_length"] = wire_size(reply)
            if reply.status_code != 200:
                raise CallbackFailed(f"HTTP {reply.status_code}")

    def call(self, callback: Callback, changed: list[str]) -> int:
        """Send one callback, keep what it returns for the inputs; bytes received."""
        Reader.calls += 1
        reply = self.session.post(
            f"{self.host}/_dash-update-component",
            json=callback.body(self.values, changed),
            timeout=REQUEST_TIMEOUT,
        )
        if reply.status_code != 200:
            raise CallbackFailed(f"HTTP {reply.status_code}")
        answer = reply.json().get("response")
        if not isinstance(answer, dict):
            raise CallbackFailed("no 'response' in the JSON")
        for ident, props in answer.items():
            for prop, value in props.items():
                if f"{ident}.{prop}" in self.plan.tracked:
                    self.values[f"{ident}.{prop}"] = value
        if hrefs := ARTICLE_HREF.findall(
            json.dumps(answer.get("article-list", {}), ensure_ascii=False)
        ):
            self.hrefs = hrefs
        return wire_size(reply)

    def change(self, name: str, changes: dict[str, Any], initial: bool = False) -> None:
        """One view change as the browser sends it, timed as one action."""
        self.values.update(changes)
        with self.environment.events.request.measure("POST", name) as meta:
            meta["response_length"] = self.call(self.plan.view, [] if initial else list(changes))

    def load_page(self) -> None:
        self.get("page", "/")
        self.get("layout", "/_dash-layout")
        self.get("dependencies", "/_dash-dependencies")
        address = self.values.get("url.search") or ""  # a reload keeps the address
        self.values = {**self.plan.initial, "url.search": address}
        self.change("initial view", {}, initial=True)

    @task(3)
    def filter_outlet(self) -> None:
        outlets = self.plan.outlets
        chosen = random.sample(outlets, k=min(len(outlets), random.choice((1, 2))))
        self.change("filter: outlet", {"outlet-filter.value": chosen})

    @task(3)
    def filter_search(self) -> None:
        keyword = "" if random.random() < 0.25 else random.choice(KEYWORDS)
        self.change("filter: search", {"search.value": keyword})

    @task(2)
    def filter_dates(self) -> None:
        days = self.plan.days
        start = max(days[0], random.choice(days) - timedelta(days=random.randint(0, 30)))
        end = min(days[-1], start + timedelta(days=random.randint(7, 60)))
        changes = {"date-from.value": start.isoformat(), "date-to.value": end.isoformat()}
        self.change("filter: dates", changes)

    @task(2)
    def read_article(self) -> None:
        if not self.hrefs:
            return
        self.change("open article", {"url.search": random.choice(self.hrefs)})
        self.wait()  # reading
        clicks = self.values.get("panel-close.n_clicks") or 0
        self.change("close article", {"panel-close.n_clicks": clicks + 1})

    @task(1)
    def reload(self) -> None:
        self.load_page()


def default_cache(corpus: Path | None) -> Path:
    """A cache folder per corpus under /tmp, so a large corpus is parsed once across runs."""
    if corpus is None:
        return Path(tempfile.gettempdir()) / "bench-load-cache" / "bundled"
    key = hashlib.sha1(str(corpus.resolve()).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / "bench-load-cache" / f"{corpus.name}-{key}"


def start_server(
    args: argparse.Namespace, log: Path
) -> tuple[subprocess.Popen[bytes], str, dict[str, Any]]:
    """The Procfile's web command on a free port; its process, base URL and /healthz answer."""
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", tempfile.gettempdir()),
        "PORT": str(port),
        "WEB_CONCURRENCY": str(args.workers),
        "CACHE_DIR": str(args.cache_dir),
        **({"CORPUS_DIR": str(args.corpus)} if args.corpus else {}),
    }
    with log.open("wb") as out:  # the child keeps its own descriptor
        process = subprocess.Popen(
            ["bash", "-c", web_command()],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + args.start_timeout
    while process.poll() is None and time.monotonic() < deadline:
        try:
            reply = requests.get(f"{base}/healthz", timeout=10)
            if reply.status_code == 200:
                return process, base, reply.json()
        except requests.RequestException:
            pass
        gevent.sleep(0.5)
    stop(process)
    raise RuntimeError(f"no healthy answer within {args.start_timeout:.0f} s; see {log}")


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def first_view(base: str, plan: Plan) -> tuple[dict[str, Any], float]:
    """The answer of the first view's callback, and the milliseconds it took, alone."""
    values: dict[str, Any] = dict(plan.initial)
    started = time.perf_counter()
    reply = requests.post(
        f"{base}/_dash-update-component",
        json=plan.view.body(values, []),
        timeout=REQUEST_TIMEOUT,
    )
    reply.raise_for_status()
    answer: dict[str, Any] = reply.json()["response"]
    return answer, (time.perf_counter() - started) * 1000


def discover(base: str) -> tuple[Plan, float]:
    """The plan, from the app's dependencies and layout and a first view (as a browser's); and,
    as the baseline, the median time of that view with no other reader."""
    deps = requests.get(f"{base}/_dash-dependencies", timeout=REQUEST_TIMEOUT).json()
    layout = requests.get(f"{base}/_dash-layout", timeout=REQUEST_TIMEOUT).json()
    plan = plan_from(deps, layout)
    answer, _ = first_view(base, plan)  # the first one warms the worker up: not counted
    alone = statistics.median(first_view(base, plan)[1] for _ in range(BASELINE_RUNS))
    options = answer.get("outlet-filter", {}).get("options") or []
    plan.outlets = [o["value"] for o in options if isinstance(o, dict) and "value" in o]
    plan.hrefs = ARTICLE_HREF.findall(
        json.dumps(answer.get("article-list", {}), ensure_ascii=False)
    )
    plan.days = listed_days(answer) or list(FALLBACK_RANGE)
    return plan, alone


def check_health(env: Environment, base: str) -> None:
    """One health check on a fresh connection, as a platform's."""
    with env.events.request.measure("GET", HEALTH) as meta:
        reply = requests.get(f"{base}/healthz", timeout=REQUEST_TIMEOUT)
        meta["response_length"] = wire_size(reply)
        if reply.status_code != 200:
            raise CallbackFailed(f"HTTP {reply.status_code}")


def watch_health(env: Environment, base: str, checks: Group) -> None:
    """A health check every HEALTH_EVERY s, on a schedule: a slow one does not delay the next."""
    while True:
        checks.spawn(check_health, env, base)
        gevent.sleep(HEALTH_EVERY)


def run(base: str, plan: Plan, args: argparse.Namespace) -> tuple[Environment, float, float]:
    """The load; its locust environment, its seconds and the CPU seconds locust itself used
    (it shares the machine with the server)."""
    Reader.plan, Reader.host = plan, base
    env = Environment(user_classes=[Reader], host=base)
    env.events.request.add_listener(record_size)
    runner = env.create_local_runner()
    started, cpu = time.perf_counter(), time.process_time()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    checks = Group()
    watcher = gevent.spawn(watch_health, env, base, checks)
    gevent.sleep(args.seconds)
    watcher.kill()
    checks.kill()
    runner.quit()
    return env, time.perf_counter() - started, time.process_time() - cpu


def merged(env: Environment, label: str, keep: Callable[[str], bool]) -> StatsEntry:
    """One stats entry over every request type whose name ``keep`` accepts."""
    entry = StatsEntry(env.stats, label, "", use_response_times_cache=False)
    for (name, _), each in env.stats.entries.items():
        if keep(name):
            entry.extend(each)
    return entry


def row(name: str, entry: StatsEntry) -> str:
    sizes = sorted(SIZES.get(name, [0]))
    return (
        f"  {name:<16} {entry.num_requests:>6} {entry.num_failures:>5}"
        f" {entry.total_rps:>6.1f} {entry.median_response_time:>6.0f}"
        f" {entry.get_response_time_percentile(0.95):>6.0f}"
        f" {entry.get_response_time_percentile(0.99):>6.0f}"
        f" {sizes[len(sizes) // 2] / 1024:>7.1f}"
    )


def report(
    env: Environment, seconds: float, health: dict[str, Any], args: argparse.Namespace
) -> None:
    """The figures: the run, then one row per request type, then the filters' verdict."""
    readers = merged(env, "readers", lambda name: name != HEALTH)
    print(
        f"corpus: {args.corpus or 'bundled'} — {health.get('articles')} articles"
        f" ({health.get('skipped')} files skipped), from /healthz"
    )
    print(
        f"users: {args.users} (spawn {args.spawn_rate:g}/s), {seconds:.0f} s,"
        f" {args.workers} workers; {readers.num_requests:,} actions,"
        f" {readers.num_requests / seconds:.1f}/s ({Reader.calls:,} HTTP requests,"
        f" {Reader.calls / seconds:.1f}/s); errors {env.stats.total.num_failures:,}"
    )
    print(
        f"  {'type':<16} {'count':>6} {'fail':>5} {'req/s':>6}"
        f" {'p50':>6} {'p95':>6} {'p99':>6} {'KB med':>7}"
    )
    for name in ACTIONS:
        entry = next((e for (n, _), e in env.stats.entries.items() if n == name), None)
        if entry is not None and entry.num_requests:
            print(row(name, entry))
    print("  (ms; KB as sent, compressed)")
    filters = merged(env, "filter", lambda name: name.startswith("filter:"))
    p95, failed = filters.get_response_time_percentile(0.95), filters.num_failures
    met = filters.num_requests and p95 <= TARGET_P95_MS and not failed
    print(
        f"filter changes: p95 {p95} ms, {failed} errors"
        f" — target p95 ≤ {TARGET_P95_MS} ms with 0 errors: {'meets' if met else 'MISSES'}"
    )
    for error in env.stats.errors.values():
        print(f"  error ×{error.occurrences}: {error.method} {error.name}: {error.error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="folder of articles (default: bundled)")
    parser.add_argument(
        "--cache-dir", type=Path, help="Parquet cache, or off (default: under /tmp, per corpus)"
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--seconds", type=float, default=60, help="length of the load")
    parser.add_argument("--workers", type=int, default=2, help="WEB_CONCURRENCY")
    parser.add_argument("--start-timeout", type=float, default=900, help="seconds to /healthz")
    args = parser.parse_args()
    args.cache_dir = args.cache_dir or default_cache(args.corpus)
    if str(args.cache_dir) != "off":  # "off": the server parses at every start, keeps nothing
        args.cache_dir.mkdir(parents=True, exist_ok=True)
    key = default_cache(args.corpus).name
    log = Path(tempfile.gettempdir()) / "bench-load-cache" / f"{key}-server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"starting the Procfile's web command (cache {args.cache_dir}, log {log}) …")
    try:
        process, base, health = start_server(args, log)
    except RuntimeError as exc:
        print(f"the server did not start: {exc}", file=sys.stderr)
        return 1
    try:
        plan, alone = discover(base)
        print(
            f"{len(plan.outlets)} outlets, {len(plan.hrefs)} articles listed,"
            f" listed dates {plan.days[0]} – {plan.days[-1]}"
        )
        print(
            f"baseline, one reader alone: the first view takes {alone:.0f} ms"
            f" (median of {BASELINE_RUNS})"
        )
        env, seconds, cpu = run(base, plan, args)
    finally:
        stop(process)
    report(env, seconds, health, args)
    print(f"load generator: {cpu:.1f} CPU-s in {seconds:.0f} s, on the server's machine")
    print(f"server log: {log}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
