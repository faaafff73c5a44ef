"""Pairwise precision and recall of the story grouping on the labelled scale pairs.

The stories are grouped again, by the code as it stands, over every event of a built cache of
the scale corpus plus the samples (the corpus the pairs were drawn from), so that a change to
the grouping is measured where chaining happens: on the whole archive, not on the pairs alone.

    python benchmarks/score_story_pairs.py --corpus /tmp/bd-work/corpus --cache /tmp/bd-work/cache
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.built import built_data, corpus_parser  # noqa: E402
from dashboard.parsing.stories import generic_entities, group_stories  # noqa: E402
from dashboard.parsing.stories_eval import b_cubed, score_by_id  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "stories" / "scale-pairs.jsonl"


def main() -> None:
    parser = corpus_parser(__doc__.splitlines()[0])
    args = parser.parse_args()
    data = built_data(args)
    events = data.events.set_index("id", drop=False)
    generic = generic_entities(
        dict(zip(data.articles.index, data.articles["entities"], strict=True))
    )
    started = time.perf_counter()
    stories = group_stories(events, generic)
    took = time.perf_counter() - started
    story = dict(zip(events.index, stories, strict=True))
    ids = {s for s in stories if s}
    print(f"{len(events):,} events, {len(ids):,} stories, grouped in {took:.1f} s")
    drawn = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    labelled = [p for p in drawn if p["same"] is not None]
    print(f"{len(labelled)} of {len(drawn)} drawn pairs labelled")
    for split in ("dev", "test"):
        pairs = [p for p in labelled if p["split"] == split]
        overall = score_by_id(pairs, story)
        print(f"{split}: P {overall.precision:.3f} R {overall.recall:.3f} "
              f"({overall.correct_same} right of {overall.predicted_same} joined, "
              f"{overall.labelled_same} labelled same, {len(pairs)} pairs)")  # fmt: skip
        cubed = b_cubed(pairs, story)
        print(f"  B-cubed P {cubed.precision:.3f} R {cubed.recall:.3f} over {cubed.items} events")
        for kind in ("joined-large", "joined-small", "apart"):
            chosen = [p for p in pairs if p["kind"] == kind]
            part = score_by_id(chosen, story)
            print(f"  {kind:13} {len(chosen):3} pairs: {part.labelled_same:3} labelled same, "
                  f"{part.predicted_same:3} joined now, {part.correct_same:3} both")  # fmt: skip


if __name__ == "__main__":
    main()
