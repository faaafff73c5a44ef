"""Quality gates: the date resolver against hand-labelled sentences of real articles.

Two splits (see tests/data/dates/README.md): the development split, which rules are tuned on,
and the frozen test split, labelled before the rules were changed for it and never tuned on.
Each is gated on its own floor: the figures measured when the gate was set, less a margin for
labels a rule change may legitimately trade. Raising a floor is a measured decision; lowering
one needs a reason in the commit.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from dashboard.parsing import dates_eval

DATA = Path(__file__).parent / "data" / "dates"
# (precision, recall) floors; measured 0.958 / 0.951 (dev) and 0.885 / 0.878 (test).
FLOORS = {"dev": (0.95, 0.94), "test": (0.875, 0.865)}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def split(request: pytest.FixtureRequest) -> tuple[str, list[dict[str, Any]]]:
    return request.param, dates_eval.load(DATA / f"{request.param}.jsonl")


def test_each_split_is_large_and_well_formed(split: tuple[str, list[dict[str, Any]]]) -> None:
    _, rows = split
    assert len({row["doc"] for row in rows}) >= 150
    assert sum(len(row["expressions"]) for row in rows) >= 800
    assert any(not row["expressions"] for row in rows)  # sentences that must yield nothing
    precisions = Counter(e["precision"] for row in rows for e in row["expressions"])
    assert set(precisions) == {"day", "week", "month", "year", "range"}
    for row in rows:
        assert {"doc", "text", "reference", "expressions"} <= set(row)
        assert dates_eval.problems(row) == [], row["text"]


def test_the_splits_share_no_article() -> None:
    def names(name: str) -> set[str]:
        return {row["doc"].rsplit("/", 1)[-1] for row in dates_eval.load(DATA / f"{name}.jsonl")}

    assert not names("dev") & names("test")


def test_precision_and_recall_on_each_split(split: tuple[str, list[dict[str, Any]]]) -> None:
    name, rows = split
    result = dates_eval.score(rows)
    low_precision, low_recall = FLOORS[name]
    summary = (
        f"{name}: precision {result.precision:.3f} (floor {low_precision}), "
        f"recall {result.recall:.3f} (floor {low_recall}); "
        f"{result.correct} correct of {result.predicted} predicted, {result.gold} labelled"
    )
    assert result.precision >= low_precision and result.recall >= low_recall, summary


def test_labelled_rows_that_are_malformed_are_reported() -> None:
    row = {
        "doc": "t",
        "reference": "2022-03-25",
        "text": "他24日表示。",
        "expressions": [
            {"text": "25日", "start": "2022-03-25", "end": "2022-03-25", "precision": "day"},
            {"text": "24日", "start": "2022-03-01", "end": "2022-03-31", "precision": "day"},
        ],
    }
    found = dates_eval.problems(row)
    assert any("not found" in p for p in found) and any("not one whole day" in p for p in found)


def test_skipped_rows_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(
        '{"doc": "a", "reference": "2022-03-25", "text": "x", "expressions": []}\n'
        '{"doc": "b", "reference": "2022-03-25", "text": "y", "expressions": [], "skip": "?"}\n',
        encoding="utf-8",
    )
    assert [row["doc"] for row in dates_eval.load(path)] == ["a"]


def test_expression_classes() -> None:
    assert dates_eval.expression_class("春节前夕") == "holiday"
    assert dates_eval.expression_class("上世纪90年代") == "decade or century"
    assert dates_eval.expression_class("3月24日") == "day with month"
    assert dates_eval.expression_class("24日") == "bare day"
    assert dates_eval.expression_class("周四") == "weekday"
    assert dates_eval.expression_class("同日") == "anaphora"


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
