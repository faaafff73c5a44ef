"""The story gate on real archive text: the 300 labelled pairs of the scale corpus.

The pairs were drawn from the 20,411-file scale corpus (tests/data/stories/README.md); their
564 article files are kept in tests/data/stories/scale-articles/ so the gate runs anywhere.
Grouped here, the events of those articles have fewer neighbours than in the whole archive (a
story can hold only what these files report), so the figures differ a little from
benchmarks/score_story_pairs.py, which groups the whole archive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.parsing.corpus import read_corpus
from dashboard.parsing.store import build_data
from dashboard.parsing.stories_eval import b_cubed, load_pairs, score_by_id

STORIES = Path(__file__).parent / "data" / "stories"
PAIRS = load_pairs(STORIES / "scale-pairs.jsonl")


@pytest.fixture(scope="module")
def story_of_event() -> dict[str, str | None]:
    report = read_corpus(STORIES / "scale-articles", "Asia/Shanghai")
    assert not report.skipped, report.skipped
    events = build_data(report, "Asia/Shanghai").events
    return {
        e: s if isinstance(s, str) else None
        for e, s in zip(events["id"], events["story"], strict=True)
    }


def test_every_pair_is_labelled_and_split() -> None:
    assert len(PAIRS) == 300
    assert all(p["same"] in (True, False) for p in PAIRS)
    assert {p["split"] for p in PAIRS} == {"dev", "test"}


@pytest.mark.parametrize("split", ["dev", "test"])
def test_story_precision_on_the_scale_pairs(
    split: str, story_of_event: dict[str, str | None]
) -> None:
    pairs = [p for p in PAIRS if p["split"] == split]
    score = score_by_id(pairs, story_of_event)
    assert score.missing == [], f"labelled events not found: {score.missing}"
    cubed = b_cubed(pairs, story_of_event)
    figures = (score.precision, score.recall, cubed.precision, cubed.recall)
    assert score.precision >= 0.9, figures
    assert score.recall >= 0.4, figures
