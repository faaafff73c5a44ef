"""Score a date resolver against the labelled sentences (quality test and benchmark)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.parsing.dates import find_expressions


@dataclass(frozen=True)
class Span:
    """A resolved expression: where it is in the sentence and which days it covers."""

    start: int
    end: int
    first: str
    last: str
    precision: str
    text: str = ""

    def same_days(self, other: Span) -> bool:
        """Whether both cover the same days at the same precision."""
        return (self.first, self.last, self.precision) == (other.first, other.last, other.precision)

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share at least one character."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Score:
    """Micro-averaged counts over a labelled set."""

    correct: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        """Correct predictions over all predictions."""
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Correct predictions over all gold expressions."""
        return self.correct / self.gold if self.gold else 1.0


Predictor = Callable[[str, dt.date], list[Span]]


def load(path: Path) -> list[dict[str, Any]]:
    """The labelled rows of a JSON-lines file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ours(text: str, reference: dt.date) -> list[Span]:
    """This project's resolver as a predictor."""
    return [
        Span(e.offset, e.end_offset, e.start.isoformat(), e.end.isoformat(), e.precision, e.text)
        for e in find_expressions(text, reference)
    ]


def gold_spans(row: dict[str, Any]) -> list[Span]:
    """The labelled expressions of a row, located in its sentence in order."""
    spans, pos = [], 0
    for item in row["expressions"]:
        start = row["text"].index(item["text"], pos)
        pos = start + len(item["text"])
        spans.append(Span(start, pos, item["start"], item["end"], item["precision"], item["text"]))
    return spans


def predicted_spans(row: dict[str, Any], predictor: Predictor) -> list[Span]:
    """What a predictor finds inside the sentence when given its context too."""
    context = row.get("context", "")
    reference = dt.date.fromisoformat(row["reference"])
    found = predictor(context + row["text"], reference)
    shift = len(context)
    return [
        Span(s.start - shift, s.end - shift, s.first, s.last, s.precision, s.text)
        for s in found
        if s.start >= shift
    ]


def matches(predicted: list[Span], gold: list[Span]) -> list[tuple[Span, Span]]:
    """One-to-one pairs of overlapping spans that cover the same days."""
    free = list(gold)
    pairs = []
    for pred in predicted:
        hit = next((g for g in free if g.overlaps(pred) and g.same_days(pred)), None)
        if hit is not None:
            free.remove(hit)
            pairs.append((pred, hit))
    return pairs


def score(rows: Iterable[dict[str, Any]], predictor: Predictor = ours) -> Score:
    """Micro-averaged precision and recall of a predictor over the rows."""
    correct = predicted = gold = 0
    for row in rows:
        pred, want = predicted_spans(row, predictor), gold_spans(row)
        correct += len(matches(pred, want))
        predicted += len(pred)
        gold += len(want)
    return Score(correct, predicted, gold)


def errors(row: dict[str, Any], predictor: Predictor = ours) -> tuple[list[Span], list[Span]]:
    """Wrong predictions and missed gold expressions of one row."""
    pred, want = predicted_spans(row, predictor), gold_spans(row)
    pairs = matches(pred, want)
    right = {id(p) for p, _ in pairs}
    found = {id(g) for _, g in pairs}
    return [p for p in pred if id(p) not in right], [g for g in want if id(g) not in found]
