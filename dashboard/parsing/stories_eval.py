"""Scoring story grouping against labelled pairs (tests/data/stories/pairs.jsonl)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class PairScore:
    predicted_same: int
    correct_same: int
    labelled_same: int
    missing: list[int]

    @property
    def precision(self) -> float:
        return self.correct_same / self.predicted_same if self.predicted_same else 1.0

    @property
    def recall(self) -> float:
        return self.correct_same / self.labelled_same if self.labelled_same else 1.0


def load_pairs(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def story_of(events: pd.DataFrame, side: dict[str, str]) -> str | bool | None:
    """The story of the event a labelled side names (False when no such event exists)."""
    rows = events[
        (events["article"] == side["article"])
        & (events["expression"] == side["expression"])
        & events["sentence"].str.startswith(side["sentence"])
    ]
    if rows.empty:
        return False
    story = rows.iloc[0]["story"]
    return story if isinstance(story, str) else None


def score_pairs(events: pd.DataFrame, pairs: list[dict[str, Any]]) -> PairScore:
    """Among labelled pairs: how many the grouping puts in one story, how many rightly."""
    predicted = correct = labelled = 0
    missing: list[int] = []
    for pair in pairs:
        a, b = story_of(events, pair["a"]), story_of(events, pair["b"])
        if a is False or b is False:
            missing.append(pair["pair"])
            continue
        together = a is not None and a == b
        labelled += pair["same"]
        predicted += together
        correct += together and pair["same"]
    return PairScore(predicted, correct, labelled, missing)
