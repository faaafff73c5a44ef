"""Cold start: process start → first healthy answer of the Procfile's web command.

For the bundled corpus and a 10,000-article corpus (100 copies of the real samples), with no
cache (CACHE_DIR=off: every start parses), with a cache built by an earlier start, and the first
start that builds it. The command is the Procfile's, run with bash as a platform would.

    python benchmarks/bench_coldstart.py [--copies 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_ingest import build_corpus  # noqa: E402
from tests.servers import free_port, spawn_web  # noqa: E402

TARGET_SECONDS = 3.0


def cold_start(env: dict[str, str]) -> float:
    """Seconds from spawning the web command to a 200 from /healthz."""
    port = free_port()
    full = {"PATH": os.environ["PATH"], "PORT": str(port), **env}
    started = time.perf_counter()
    process = spawn_web(full)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    return time.perf_counter() - started
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("the server exited") from None
                time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def line(label: str, seconds: list[float], target: bool = False) -> None:
    verdict = ""
    if target:
        met = statistics.median(seconds) < TARGET_SECONDS
        verdict = f" — target < {TARGET_SECONDS:.0f} s: {'meets' if met else 'MISSES'}"
    print(
        f"  {label:<28} median {statistics.median(seconds):6.2f} s "
        f"(min {min(seconds):.2f}, max {max(seconds):.2f}, n={len(seconds)}){verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "corpus"
        count = build_corpus(big, args.copies)
        for label, corpus in (
            ("bundled corpus (5 articles)", None),
            (f"{count:,}-article corpus", big),
        ):
            print(f"{label}:")
            env = {"CORPUS_DIR": str(corpus)} if corpus else {}
            line(
                "no cache (parse every start)",
                [cold_start({**env, "CACHE_DIR": "off"}) for _ in range(args.runs)],
            )
            cache = Path(tmp) / f"cache-{label[:3]}"
            line("first start, builds cache", [cold_start({**env, "CACHE_DIR": str(cache)})])
            line(
                "with cache",
                [cold_start({**env, "CACHE_DIR": str(cache)}) for _ in range(args.runs)],
                target=True,
            )


if __name__ == "__main__":
    main()
