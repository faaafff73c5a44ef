"""Pairwise precision and recall of the story grouping on the labelled scale pairs.

The stories are grouped again, by the code as it stands, over every event of a built cache of
the scale corpus plus the samples (the corpus the pairs were drawn from), so that a change to
the grouping is measured where chaining happens: on the whole archive, not on the pairs alone.

    python benchmarks/score_story_pairs.py --corpus /tmp/bd-work/corpus --cache /tmp/bd-work/cache
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.config import Settings  # noqa: E402
from dashboard.parsing.cache import load_or_build  # noqa: E402
from dashboard.parsing.stories import generic_entities, group_stories  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "stories" / "scale-pairs.jsonl"


def score(pairs: list[dict], story: dict[str, str | None]) -> dict[str, float]:  # type: ignore[type-arg]
    """Pairwise precision and recall over labelled pairs, overall and per kind of draw."""
    predicted = correct = labelled = 0
    for pair in pairs:
        a, b = story.get(pair["a"]["event"]), story.get(pair["b"]["event"])
        joined = a is not None and a == b
        predicted += joined
        labelled += pair["same"]
        correct += joined and pair["same"]
    return {
        "pairs": len(pairs), "predicted": predicted, "labelled": labelled, "correct": correct,
        "precision": correct / predicted if predicted else 1.0,
        "recall": correct / labelled if labelled else 1.0,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    args = parser.parse_args()
    data = load_or_build(Settings(corpus_dir=args.corpus, cache_dir=args.cache)).data
    events = data.events.set_index("id", drop=False)
    generic = generic_entities(
        dict(zip(data.articles.index, data.articles["entities"], strict=True))
    )
    started = time.perf_counter()
    stories = group_stories(events, generic, data.entities.pattern)
    took = time.perf_counter() - started
    story = dict(zip(events.index, stories, strict=True))
    ids = {s for s in stories if s}
    print(f"{len(events):,} events, {len(ids):,} stories, grouped in {took:.1f} s")
    drawn = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    labelled = [p for p in drawn if p["same"] is not None]
    print(f"{len(labelled)} of {len(drawn)} drawn pairs labelled")
    for split in ("dev", "test"):
        pairs = [p for p in labelled if p["split"] == split]
        overall = score(pairs, story)
        print(f"{split}: P {overall['precision']:.3f} R {overall['recall']:.3f} "
              f"({overall['correct']} right of {overall['predicted']} joined, "
              f"{overall['labelled']} labelled same, {overall['pairs']} pairs)")  # fmt: skip
        for kind in ("joined-large", "joined-small", "apart"):
            part = score([p for p in pairs if p["kind"] == kind], story)
            print(f"  {kind:13} {part['pairs']:3} pairs: {part['labelled']:3} labelled same, "
                  f"{part['predicted']:3} joined now, {part['correct']:3} both")  # fmt: skip


if __name__ == "__main__":
    main()
