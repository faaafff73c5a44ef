"""Ingest throughput: articles per second, one process, on ≥10,000 real archive files.

The corpus is the 100 real samples in tests/data/golden (waimei, hexo, GNews and odd files,
including a 370 KB report) copied N times into a temporary folder. Reading covers everything
`python -m dashboard ingest` does: walk, decode, detect the format, parse front matter, sanitise
the HTML, extract text and sentences, resolve outlet and publication date.

    python benchmarks/bench_ingest.py [--copies 100] [--keep DIR]
    python benchmarks/bench_ingest.py --corpus /tmp/gnews   # real distinct files, all cores

With ``--corpus`` it reads and dates a real folder (e.g. the unpacked scale corpus of 20,296
distinct GNews reposts) once in one process and once over every core (dashboard.ingest), checks
that both give the same articles and events, and prints files per second for each.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402

from dashboard.corpus import read_corpus  # noqa: E402
from dashboard.ingest import read_and_date, worker_count  # noqa: E402

SAMPLES = ROOT / "tests" / "data" / "golden"
SAMPLE_FOLDERS = ("format1", "format2", "format3", "edge")
TARGET_PER_SECOND = 1000


def sample_files() -> list[Path]:
    return sorted(
        p
        for folder in SAMPLE_FOLDERS
        for p in (SAMPLES / folder).iterdir()
        if p.is_file() and not p.name.endswith(".expected.json")
    )


def build_corpus(target: Path, copies: int) -> int:
    files = sample_files()
    for i in range(copies):
        folder = target / f"copy-{i:04d}"
        folder.mkdir(parents=True)
        for path in files:
            shutil.copyfile(path, folder / path.name)
    return len(files) * copies


def bs4_baseline(files: list[Path]) -> float:
    """Milliseconds per file for BeautifulSoup's own html.parser parse, for scale."""
    texts = [p.read_text(encoding="utf-8") for p in files]
    started = time.perf_counter()
    for text in texts:
        BeautifulSoup(text, "html.parser")
    return (time.perf_counter() - started) * 1000 / len(texts)


def engines(corpus: Path) -> None:
    """Read + events over one process and over every core, on a real folder."""
    timings = {}
    results = {}
    for workers in (1, 0):
        started = time.perf_counter()
        results[workers] = read_and_date(corpus, "Asia/Shanghai", workers=workers)
        timings[workers] = time.perf_counter() - started
    report, events = results[0]
    one = results[1][0]
    same = report.articles == one.articles and events == results[1][1]
    # A file whose reading takes about its time budget may fall either side of it from one run
    # to the next (in one process too): those are the only differences expected.
    edge = {
        d.path
        for d in set(report.degraded) ^ set(one.degraded)
        if "budget" in d.error or "too costly" in d.error
    } | {s.path for s in set(report.skipped) ^ set(one.skipped) if "too costly" in s.reason}
    files = report.files_seen
    print(f"corpus:            {corpus}: {files:,} files, {len(report.articles):,} articles, "
          f"{len(events):,} events")  # fmt: skip
    for workers, label in ((1, "one process"), (0, f"{worker_count(0)} processes")):
        seconds = timings[workers]
        print(f"read + events:     {seconds:6.1f} s = {files / seconds:,.0f} files/s ({label})")
    print(f"speed-up:          {timings[1] / timings[0]:.2f}x; same articles and events: {same}")
    if not same:
        print(f"differing files:   {len(edge)} at a time budget's edge: {', '.join(sorted(edge))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="copies of the 100 samples")
    parser.add_argument("--runs", type=int, default=3, help="timed reads of the corpus")
    parser.add_argument("--corpus", type=Path, help="a real folder: one process vs all cores")
    args = parser.parse_args()
    if args.corpus:
        engines(args.corpus)
        return
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        corpus = Path(tmp)
        count = build_corpus(corpus, args.copies)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            report = read_corpus(corpus, "Asia/Shanghai")
            timings.append(time.perf_counter() - started)
        best, median = min(timings), statistics.median(timings)
        articles = len(report.articles)
        size_mb = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()) / 1e6
        samples = count // args.copies
        print(
            f"corpus:            {count:,} files ({args.copies} copies of {samples} samples), "
            f"{size_mb:,.1f} MB"
        )
        print(f"articles:          {articles:,} read, {len(report.skipped):,} skipped")
        print(f"time (best/median of {args.runs}): {best:.2f} s / {median:.2f} s")
        print(
            f"throughput:        {articles / best:,.0f} articles/s (best), "
            f"{articles / median:,.0f} articles/s (median), one process"
        )
        print(f"per article:       {best * 1000 / articles:.3f} ms")
        baseline = bs4_baseline(sample_files())
        print(f"bs4 html.parser:   {baseline:.3f} ms per file (parse only, for scale)")
        verdict = "meets" if articles / median >= TARGET_PER_SECOND else "MISSES"
        print(f"target:            {TARGET_PER_SECOND:,} articles/s per core: {verdict}")


if __name__ == "__main__":
    main()
