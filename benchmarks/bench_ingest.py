"""Ingest: the whole pipeline (read → events → entities → stories → cache written) on real,
distinct files, on one core and on all, locally and on Dask, and the incremental figure.

    python benchmarks/bench_ingest.py --corpus /tmp/gnews   # the unpacked scale corpus

The corpus is the folder given (e.g. the 20,296 distinct GNews reposts of the shared scale
corpus) plus the 100 samples of tests/data/golden, hard-linked into a temporary folder; 100
files spread over it are held back for the incremental figure. One run prints:

- the bare beautifulsoup4 ``html.parser`` parse of the files, ms/file, for scale;
- our per-stage ms/file in one process on a spread sample (decode + reader, building the
  article, dated events, folding + names);
- files/s of the full pipeline into a fresh cache with 1 process and with every core, with the
  peak RSS of the main process and of the largest worker; the peak RSS on half the files too,
  so the figure at 100,000 files is extrapolated from its growth per file;
- the time to add the 100 held-back files to the built cache (the fastest of three updates
  from the same cache, all three printed), and to a cache of ``--grow-to`` files (60,000 by
  default: the corpus and articles recombined from its real paragraphs);
- the Dask engine (a LocalCluster of every core) against the local engine, if dask is installed.

A fixed pure-Python workload is timed at the start and at the end, so that runs on a shared
machine whose speed moves can be compared. Every full run is a fresh subprocess (so its peak
RSS is its own). The targets are printed with a verdict; CI does not time them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402

from dashboard.parsing import corpus as corpus_module  # noqa: E402
from dashboard.parsing.decode import decode  # noqa: E402
from dashboard.parsing.entities import bracketed_names  # noqa: E402
from dashboard.parsing.events import guarded_events  # noqa: E402
from dashboard.parsing.search import fold  # noqa: E402
from dashboard.parsing.sources import READERS  # noqa: E402

SAMPLES = ROOT / "tests" / "data" / "golden"
HELD_BACK = 100
ADD_RUNS = 3  # updates timed from the same built cache
TARGET_FILES_PER_SECOND = 600
TARGET_RSS_MB = 2048
TARGET_ADD_SECONDS = 5.0
TARGET_DASK_RATIO = 1.3
TZ = "Asia/Shanghai"

RUN = """
import json, resource, sys, time
from pathlib import Path
from dashboard.parsing.cache import update
from dashboard.config import Settings
corpus, cache, workers, engine = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
settings = Settings(corpus_dir=Path(corpus), cache_dir=Path(cache), ingest_workers=workers)
started = time.perf_counter()
if engine == "dask":
    from dashboard.parsing.engine_dask import DaskEngine
    with DaskEngine(None, workers) as running:
        done = update(settings, running)
else:
    done = update(settings)
seconds = time.perf_counter() - started
kb = 1024
print(json.dumps({
    "seconds": seconds, "status": done.status, "files": done.files, "parsed": done.parsed,
    "reused": done.reused, "articles": done.articles, "events": done.events,
    "phases": done.seconds, "refound": done.refound, "days": [done.regrouped_days, done.all_days],
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kb,
    "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kb,
}))
"""


def link_corpus(source: Path, target: Path) -> list[Path]:
    """source + the samples, hard-linked (copied where links fail) below target."""
    files: list[Path] = []
    for base, prefix in ((source, "corpus"), (SAMPLES, "samples")):
        for path in sorted(base.rglob("*")):
            if not path.is_file() or path.name.endswith(".expected.json"):
                continue
            dest = target / prefix / path.relative_to(base)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, dest)
            except OSError:
                shutil.copyfile(path, dest)
            files.append(dest)
    return files


def full_run(corpus: Path, cache: Path, workers: int, engine: str = "local") -> dict:  # type: ignore[type-arg]
    result = subprocess.run(
        [sys.executable, "-c", RUN, str(corpus), str(cache), str(workers), engine],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"run failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def stage_figures(files: list[Path], sample: int) -> dict[str, float]:
    """ms/file of each per-file stage in this process, on every k-th file."""
    step = max(len(files) // sample, 1)
    chosen = files[::step][:sample]
    texts = [p.read_bytes() for p in chosen]
    totals = dict.fromkeys(("bs4", "decode+reader", "article", "events", "fold+names"), 0.0)
    for path, data in zip(chosen, texts, strict=True):
        rel = path.name
        t0 = time.perf_counter()
        content, encoding = decode(data)
        t1 = time.perf_counter()
        BeautifulSoup(content, "html.parser")
        t2 = time.perf_counter()
        out = corpus_module.FileRead()
        raws, reader = corpus_module._raw_articles(content, rel, READERS, out)
        t3 = time.perf_counter()
        for raw in raws or []:
            corpus_module._build_into(out, raw, rel, reader, encoding, TZ)
        t4 = time.perf_counter()
        for article in out.articles:
            guarded_events(article, TZ, [])
        t5 = time.perf_counter()
        for article in out.articles:
            fold(f"{article.title}\n{article.text}")
            list(bracketed_names(article.text))
        t6 = time.perf_counter()
        totals["bs4"] += t2 - t1
        totals["decode+reader"] += (t1 - t0) + (t3 - t2)
        totals["article"] += t4 - t3
        totals["events"] += t5 - t4
        totals["fold+names"] += t6 - t5
    return {k: v * 1000 / len(chosen) for k, v in totals.items()} | {"files": len(chosen)}


def incremental(corpus: Path, files: list[Path], cache: Path) -> tuple[dict, dict]:  # type: ignore[type-arg]
    """Build a cache without HELD_BACK files spread over ``files``, put them back, update it,
    ADD_RUNS times from the same built cache: the build's figures and the fastest update's
    (this shared machine's speed moves from minute to minute), all updates' times printed."""
    held = files[:: max(len(files) // HELD_BACK, 1)][:HELD_BACK]
    aside = cache.parent / f"{cache.name}-aside"
    for n, path in enumerate(held):
        (aside / str(n)).mkdir(parents=True)
        shutil.move(path, aside / str(n) / path.name)
    base = full_run(corpus, cache, 0)
    built = cache.parent / f"{cache.name}-built"
    shutil.copytree(cache, built)
    for n, path in enumerate(held):
        shutil.move(aside / str(n) / path.name, path)
    runs = []
    for _ in range(ADD_RUNS):
        shutil.rmtree(cache)
        shutil.copytree(built, cache)
        runs.append(full_run(corpus, cache, 0))
    added = min(runs, key=lambda run: run["seconds"])
    phases = ", ".join(f"{k} {v:.2f} s" for k, v in added["phases"].items())
    times = ", ".join(f"{run['seconds']:.2f}" for run in runs)
    print(f"incremental:   {HELD_BACK} files added to a built {base['files']:,}-file cache: "
          f"{added['seconds']:.2f} s, the fastest of {ADD_RUNS} ({times} s; "
          f"{added['parsed']} parsed, {added['reused']:,} reused; "
          f"mentions found in {added['refound']:,} articles, stories grouped on "
          f"{added['days'][0]:,} of {added['days'][1]:,} days; {phases})")  # fmt: skip
    return base, added


def reference_ms() -> float:
    """A fixed pure-Python workload (dict and string churn, like the stages'), best of 3: this
    shared machine's speed moves by half between runs, and the figures with it."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        counts: dict[str, int] = {}
        for n in range(400_000):
            key = str(n % 5_000)
            counts[key] = counts.get(key, 0) + n
        best = min(best, time.perf_counter() - started)
    return best * 1000


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, required=True, help="a real folder (the scale corpus)"
    )
    parser.add_argument("--sample", type=int, default=2000, help="files for the stage figures")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask engine")
    parser.add_argument("--no-single", action="store_true", help="skip the one-process run")
    parser.add_argument(
        "--grow-to", type=int, default=60_000, metavar="N",
        help="the incremental figure at N files too, the corpus grown with recombined articles "
        "(0: not)",
    )  # fmt: skip
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        work = Path(tmp)
        files = link_corpus(args.corpus, work / "corpus")
        total = len(files)
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        print(f"corpus:        {args.corpus} + {SAMPLES.relative_to(ROOT)}: {total:,} distinct "
              f"files, {size_mb:,.0f} MB")  # fmt: skip
        speed_before = reference_ms()
        stages = stage_figures(files, args.sample)
        per_file = sum(v for k, v in stages.items() if k not in ("bs4", "files"))
        print(f"per file (one process, {stages['files']:,} files spread over the corpus):")
        print(f"  bare bs4 html.parser parse      {stages['bs4']:6.2f} ms  (for scale)")
        for name in ("decode+reader", "article", "events", "fold+names"):
            print(f"  {name:<32}{stages[name]:6.2f} ms")
        print(f"  per-file stages in all          {per_file:6.2f} ms")

        runs = {}
        for workers in (1, 0) if not args.no_single else (0,):
            label = "1 process" if workers == 1 else f"{cores} processes"
            runs[workers] = run = full_run(work / "corpus", work / f"cache-{workers}", workers)
            phases = ", ".join(f"{k} {v:.1f} s" for k, v in run["phases"].items())
            speed = total / run["seconds"]
            print(f"full pipeline, {label}: {run['seconds']:.1f} s = {speed:,.0f} files/s "
                  f"({phases}); peak RSS {run['rss_mb']:,.0f} MB, largest worker "
                  f"{run['worker_rss_mb']:,.0f} MB; {run['articles']:,} articles, "
                  f"{run['events']:,} events")  # fmt: skip
        every = runs[0]
        rate = total / every["seconds"]

        # Peak RSS at half the files too: its growth per file, not the total over the files
        # (which counts the interpreter and libraries, ~120 MB, as if they grew with the corpus).
        half = work / "half"
        for path in files[::2]:
            dest = half / path.relative_to(work / "corpus")
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, dest)
        halved = full_run(half, work / "cache-half", 0)
        half_files = len(files[::2])
        growth = (every["rss_mb"] - halved["rss_mb"]) / (total - half_files)
        print(f"memory:        peak RSS {halved['rss_mb']:,.0f} MB at {half_files:,} files, "
              f"{every['rss_mb']:,.0f} MB at {total:,}: "
              f"{growth * 1000:.1f} kB more per file")  # fmt: skip

        base, added = incremental(work / "corpus", files, work / "cache-inc")
        grown = None
        if args.grow_to > total:
            from benchmarks.bench_dashboard import recombined

            # More real text than the scale corpus holds: its paragraphs recombined into new
            # articles under new ids and dates (never copies), as bench_dashboard builds them.
            bigger = work / "grown"
            more = link_corpus(args.corpus, bigger)
            recombined(args.corpus, bigger / "recombined", args.grow_to - len(more))
            more += sorted((bigger / "recombined").glob("*.md"))
            grown = incremental(bigger, more, work / "cache-grown")
        dask_ratio = None
        if not args.no_dask:
            try:
                import distributed  # noqa: F401
            except ImportError:
                print('dask:          not installed (pip install -e ".[dask]")')
            else:
                dask = full_run(work / "corpus", work / "cache-dask", 0, "dask")
                dask_ratio = dask["seconds"] / every["seconds"]
                same = (dask["articles"], dask["events"]) == (every["articles"], every["events"])
                print(f"dask engine:   {dask['seconds']:.1f} s = {total / dask['seconds']:,.0f} "
                      f"files/s on a {cores}-worker LocalCluster, {dask_ratio:.2f}x the local "
                      f"engine; same article and event counts: {same}")  # fmt: skip

        print(f"machine:       reference workload {speed_before:.0f} ms at the start, "
              f"{reference_ms():.0f} ms at the end (lower is faster)")  # fmt: skip
        rss = max(every["rss_mb"], every["worker_rss_mb"])
        at_100k = every["rss_mb"] + growth * (100_000 - total)
        print("targets:")
        print(f"  >= {TARGET_FILES_PER_SECOND} files/s, full pipeline, all cores: "
              f"{rate:,.0f} files/s: {verdict(rate >= TARGET_FILES_PER_SECOND)}")  # fmt: skip
        print(f"  peak RSS <= {TARGET_RSS_MB:,} MB at 100,000 files: {rss:,.0f} MB at "
              f"{total:,} files; at {growth * 1000:.1f} kB a file more, about {at_100k:,.0f} MB "
              f"at 100,000 (100,000 distinct files not measured): "
              f"{verdict(at_100k <= TARGET_RSS_MB)}")  # fmt: skip
        for built, grew in [(base, added), *([grown] if grown else [])]:
            print(f"  adding {HELD_BACK} files <= {TARGET_ADD_SECONDS:.0f} s: "
                  f"{grew['seconds']:.2f} s at {built['files']:,} files: "
                  f"{verdict(grew['seconds'] <= TARGET_ADD_SECONDS)}")  # fmt: skip
        if dask_ratio is not None:
            print(f"  dask within {TARGET_DASK_RATIO}x of local: {dask_ratio:.2f}x: "
                  f"{verdict(dask_ratio <= TARGET_DASK_RATIO)}")  # fmt: skip


if __name__ == "__main__":
    main()
