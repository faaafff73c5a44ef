"""Precision of the names learnt from the texts, on a labelled sample from the scale corpus.

The sample (tests/data/entities/learnt-sample.jsonl) was drawn at random (seed 20261208) from
the Chinese names the learning gave on the scale corpus plus the samples (20,411 files) before
its rules were made strict, and labelled by hand: does the name, wherever it occurs in such
news, refer to that entity? Printed: how many names the learning gives now, and of the sample,
how many it still learns (name → the same entity) and how many of those are right, beside the
precision of the rules the sample was drawn from.

    python benchmarks/bench_aliases.py --corpus /tmp/bd-work/corpus --cache /tmp/bd-work/cache
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.built import built_data, corpus_parser  # noqa: E402
from dashboard.parsing.entities import bracketed_names, learn_names, listed_entities  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "entities" / "learnt-sample.jsonl"


def main() -> None:
    parser = corpus_parser(__doc__.splitlines()[0])
    args = parser.parse_args()
    data = built_data(args)
    named = [list(bracketed_names(data.bodies[i].text)) for i in data.articles.index]
    started = time.perf_counter()
    learnt = learn_names(named, listed_entities())
    took = time.perf_counter() - started
    bundled = {e.id: set(e.aliases) for e in listed_entities()}
    now = {
        (alias, e.en)
        for e in learnt
        for alias in e.aliases
        if alias not in bundled.get(e.id, set()) and not alias.isascii()
    }
    print(f"{len(data.articles):,} articles: {len(now):,} learnt Chinese names ({took:.2f} s)")
    sample = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    if any(s["correct"] is None for s in sample):
        unlabelled = sum(s["correct"] is None for s in sample)
        print(f"the sample has {unlabelled} of {len(sample)} names not yet labelled: no precision")
        return
    right = sum(s["correct"] for s in sample)
    kept = [s for s in sample if (s["alias"], s["entity_en"]) in now]
    kept_right = sum(s["correct"] for s in kept)
    print(f"sample of {len(sample)} names learnt by the rules before: precision "
          f"{right / len(sample):.3f} ({right} right)")  # fmt: skip
    print(f"learnt now: {len(kept)} of them, precision "
          f"{kept_right / max(len(kept), 1):.3f} ({kept_right} right; "
          f"{right - kept_right} right names no longer learnt)")  # fmt: skip


if __name__ == "__main__":
    main()
