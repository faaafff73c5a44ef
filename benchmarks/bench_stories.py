"""Story grouping at scale: time and memory of grouping every event of a built cache, and the
quality on the labelled scale pairs when the cache is the scale corpus's.

The events are a built cache's (``python -m dashboard cache``), so the figure is the grouping
alone, on real distinct text: the shared scale corpus plus the samples (20,411 files), or that
plus the recombined articles of bench_dashboard.py for 100,000. It groups them in one process
and, as the cache's build does, in whole-day batches over every core.

    python benchmarks/bench_stories.py --corpus /tmp/bd-work/corpus --cache /tmp/bd-work/cache
    python benchmarks/bench_stories.py --corpus /tmp/bd100/corpus --cache /tmp/bd100/cache
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from benchmarks.built import built_data, corpus_parser  # noqa: E402
from dashboard.parsing.across import StoriesBatch, day_tasks, stories_batch  # noqa: E402
from dashboard.parsing.engines import local_engine, local_workers  # noqa: E402
from dashboard.parsing.stories import generic_entities, group_stories  # noqa: E402
from dashboard.parsing.stories_eval import b_cubed, score_by_id  # noqa: E402

TARGET_SECONDS = 20.0  # at 100,000 articles
PAIRS = ROOT / "tests" / "data" / "stories" / "scale-pairs.jsonl"
COLUMNS = [
    "id",
    "article",
    "kind",
    "precision",
    "start",
    "expression",
    "sentence",
    "offset",
    "entities",
]


def day_batches(events: pd.DataFrame) -> list[pd.DataFrame]:
    """The story rows in the build's tasks: whole days, in corpus order."""
    story_rows = (events["kind"] == "mentioned") & (events["precision"] == "day")
    rows_by_day: dict[object, list[int]] = defaultdict(list)
    for row, day in zip(np.flatnonzero(story_rows), events["start"][story_rows], strict=True):
        rows_by_day[day].append(int(row))
    return [events.iloc[rows] for rows in day_tasks(rows_by_day)]


def main() -> None:
    args = corpus_parser(__doc__.splitlines()[0]).parse_args()
    data = built_data(args)
    events = data.events[COLUMNS].reset_index(drop=True)
    generic = generic_entities(
        dict(zip(data.articles.index, data.articles["entities"], strict=True))
    )
    print(f"{len(data.articles):,} articles, {len(events):,} events")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    stories = group_stories(events, generic)
    one = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    batches = day_batches(events)
    workers = local_workers(0)
    engine = local_engine(0, len(batches))
    started = time.perf_counter()
    tasks = (StoriesBatch(batch, generic) for batch in batches)
    parallel = [s for grouped, _ in engine.map(stories_batch, tasks) for s in grouped]
    every = time.perf_counter() - started
    assert sum(s is not None for s in parallel) == sum(s is not None for s in stories)
    sizes = Counter(s for s in stories if s)
    print(f"  grouped in one process  {one:6.1f} s (peak RSS {peak:,.0f} MB, {before:,.0f} before)")
    verdict = (
        ("meets" if every <= TARGET_SECONDS else "MISSES")
        if len(data.articles) >= 0.95 * 100_000  # 100,000 files give 99,991 articles
        else "judged at 100,000 articles"
    )
    print(f"  on {workers} cores ({len(batches)} day batches) {every:6.1f} s — target ≤ "
          f"{TARGET_SECONDS:.0f} s at 100,000 articles: {verdict}")  # fmt: skip
    print(f"  {len(sizes):,} stories holding {sum(sizes.values()):,} events; the largest: "
          f"{', '.join(str(n) for _, n in sizes.most_common(5))} events")  # fmt: skip
    story = dict(zip(events["id"], stories, strict=True))
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    if all(p["a"]["event"] in story and p["b"]["event"] in story for p in pairs):
        for split in ("dev", "test"):
            chosen = [p for p in pairs if p["split"] == split]
            pair = score_by_id(chosen, story)
            cubed = b_cubed(chosen, story)
            print(f"  {split}: pairwise P {pair.precision:.3f} R {pair.recall:.3f}, "
                  f"B-cubed P {cubed.precision:.3f} R {cubed.recall:.3f} "
                  f"({len(chosen)} labelled pairs)")  # fmt: skip


if __name__ == "__main__":
    main()
