"""Scoring story grouping against labelled pairs (tests/data/stories/pairs.jsonl)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
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
    return _score(pairs, lambda side: story_of(events, side))


def score_by_id(pairs: list[dict[str, Any]], story: Mapping[str, str | None]) -> PairScore:
    """``score_pairs`` for pairs whose sides name their event's id (the scale pairs)."""
    return _score(pairs, lambda side: story.get(side["event"], False))


def _score(
    pairs: list[dict[str, Any]], story: Callable[[dict[str, str]], str | bool | None]
) -> PairScore:
    """``story`` gives a side's story (None: in none; False: no such event)."""
    predicted = correct = labelled = 0
    missing: list[int] = []
    for pair in pairs:
        a, b = story(pair["a"]), story(pair["b"])
        if a is False or b is False:
            missing.append(pair["pair"])
            continue
        together = a is not None and a == b
        labelled += pair["same"]
        predicted += together
        correct += together and pair["same"]
    return PairScore(predicted, correct, labelled, missing)


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    items: int


def b_cubed(pairs: list[dict[str, Any]], story: Mapping[str, str | None]) -> BCubed:
    """B-cubed precision and recall over the events of labelled pairs whose sides name their
    event's id.

    With pair labels the gold stories are known only along the labelled pairs, so each
    event's precision and recall count itself and its labelled partners, never two events
    whose relation nobody judged: precision is (1 + partners rightly in its story) / (1 +
    partners in its story), recall is (1 + partners rightly in its story) / (1 + partners
    labelled same), averaged over the events (Bagga and Baldwin's per-item means)."""
    partners: dict[str, list[tuple[str, bool]]] = {}
    for pair in pairs:
        a, b, same = pair["a"]["event"], pair["b"]["event"], pair["same"]
        partners.setdefault(a, []).append((b, same))
        partners.setdefault(b, []).append((a, same))
    precision = recall = 0.0
    for item, known in partners.items():
        mine = story.get(item)
        together = [same for other, same in known if mine is not None and story.get(other) == mine]
        right = sum(together)
        precision += (1 + right) / (1 + len(together))
        recall += (1 + right) / (1 + sum(same for _, same in known))
    count = len(partners)
    return BCubed(precision / count if count else 1.0, recall / count if count else 1.0, count)
