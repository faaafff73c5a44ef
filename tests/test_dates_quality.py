"""Quality gate: the date resolver against hand-labelled sentences from the real corpus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from dashboard.parsing import dates_eval

LABELLED = Path(__file__).parent / "data" / "dates" / "dev.jsonl"
MIN_PRECISION = 0.95
MIN_RECALL = 0.90


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return dates_eval.load(LABELLED)


def test_labelled_set_is_large_and_well_formed(rows: list[dict[str, Any]]) -> None:
    assert sum(len(row["expressions"]) for row in rows) >= 150
    assert any(not row["expressions"] for row in rows)  # sentences that must yield nothing
    precisions = Counter(e["precision"] for row in rows for e in row["expressions"])
    assert set(precisions) == {"day", "week", "month", "year", "range"}
    for row in rows:
        assert {"doc", "text", "reference", "expressions"} <= set(row)
        dates_eval.gold_spans(row)  # every labelled text is found in its sentence, in order


def test_precision_and_recall_on_labelled_set(rows: list[dict[str, Any]]) -> None:
    result = dates_eval.score(rows)
    summary = (
        f"precision {result.precision:.3f} (min {MIN_PRECISION}), "
        f"recall {result.recall:.3f} (min {MIN_RECALL}); "
        f"{result.correct} correct of {result.predicted} predicted, {result.gold} labelled"
    )
    assert result.precision >= MIN_PRECISION and result.recall >= MIN_RECALL, summary


def test_scoring_counts_overlap_with_same_days() -> None:
    row = {
        "doc": "t",
        "reference": "2022-03-25",
        "text": "他24日表示，28日离开。",
        "expressions": [
            {"text": "24日", "start": "2022-03-24", "end": "2022-03-24", "precision": "day"},
            {"text": "28日", "start": "2022-03-28", "end": "2022-03-28", "precision": "day"},
        ],
    }
    result = dates_eval.score([row])
    # 28日 resolves to 28 February (a past day), which does not match the label.
    assert (result.correct, result.predicted, result.gold) == (1, 2, 2)
    wrong, missed = dates_eval.errors(row)
    assert [w.text for w in wrong] == ["28日"] and [m.text for m in missed] == ["28日"]


def test_context_is_read_but_not_scored() -> None:
    row = {
        "doc": "t",
        "reference": "2022-03-25",
        "context": "会议于2022年1月12日举行。",
        "text": "同月9日，双方会谈。",
        "expressions": [
            {"text": "同月9日", "start": "2022-01-09", "end": "2022-01-09", "precision": "day"}
        ],
    }
    result = dates_eval.score([row])
    assert (result.correct, result.predicted, result.gold) == (1, 1, 1)
