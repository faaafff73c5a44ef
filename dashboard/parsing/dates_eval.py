"""Score a date resolver against the labelled sentences (quality test and benchmark)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
    """The labelled rows of a JSON-lines file, without those its labeller skipped as ambiguous."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if "skip" not in row]


def ours(text: str, reference: dt.date) -> list[Span]:
    """This project's resolver as a predictor."""
    # Imported here so that checking labels (benchmarks/check_date_labels.py) never loads it.
    from dashboard.parsing.dates import find_expressions

    return [
        Span(e.offset, e.end_offset, e.start.isoformat(), e.end.isoformat(), e.precision, e.text)
        for e in find_expressions(text, reference)
    ]


PRECISIONS = ("day", "week", "month", "year", "range")


def problems(row: dict[str, Any]) -> list[str]:
    """What is wrong with a labelled row: unlocatable texts, bad dates, days unlike the precision.

    An empty list means the row is well formed.
    """
    out: list[str] = []
    pos = 0
    for item in row.get("expressions") or []:
        where = row["text"].find(item.get("text", ""), pos) if item.get("text") else -1
        if where < 0:
            out.append(f"{item.get('text')!r} not found in the sentence after offset {pos}")
            continue
        pos = where + len(item["text"])
        try:
            first, last = dt.date.fromisoformat(item["start"]), dt.date.fromisoformat(item["end"])
        except (KeyError, TypeError, ValueError):
            out.append(f"{item['text']!r}: start and end must be ISO dates")
            continue
        precision = item.get("precision")
        if precision not in PRECISIONS:
            out.append(f"{item['text']!r}: precision {precision!r} is not one of {PRECISIONS}")
        elif first > last:
            out.append(f"{item['text']!r}: starts after it ends")
        elif precision != "range" and not _covers(first, last, precision):
            out.append(f"{item['text']!r}: {first}..{last} is not one whole {precision}")
    return out


def _covers(first: dt.date, last: dt.date, precision: str) -> bool:
    after = last + dt.timedelta(days=1)
    if precision == "day":
        return first == last
    if precision == "week":
        return first.weekday() == 0 and (last - first).days == 6
    if precision == "month":
        return (
            first.day == 1
            and after.day == 1
            and (first.year, first.month) == (last.year, last.month)
        )
    return (first.month, first.day, last.month, last.day) == (
        1,
        1,
        12,
        31,
    ) and first.year == last.year


# Expression classes, for per-class figures: the first pattern that matches an expression's text
# names its class (the same for labels and predictions, so each class has both P and R).
_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        (
            "holiday",
            "元旦|春[节節]|除夕|元宵|端午|中秋|清明|国庆|國慶|圣诞|聖誕|平安夜|情人|劳动|感恩|复活",
        ),
        ("decade or century", "年代|世[纪紀]"),
        ("quarter or half", "季|半年"),
        ("since or counted period", "以来|以來|至今|起|过去|過去|近"),
        ("span", "[0-9一二三四五六七八九十日月号號底初][ ]*[-－–—~～至到]"),
        (
            "anaphora",
            "同日|同一天|当天|當天|当日|當日|当晚|當晚|次日|翌日|第二天|前一天|前一日|天后|天後|同月|同年|当月|當月|次月",
        ),
        ("part of a month or year", "初|底|末|旬|年中|春|夏|秋|冬"),
        ("relative day", "今|昨|明天|明日|明晚|前天|后天|後天"),
        ("ago", "前"),
        ("weekday", "[周週星期拜][一二三四五六日天]"),
        ("week or weekend", "周|週|星期|礼拜|禮拜"),
        (
            "relative year or month",
            "去年|今年|明年|前年|后年|後年|本月|上个?月|下个?月|上個月|下個月",
        ),
        ("day with month", "月.*[日号號]|[0-9]{4}[-/.][0-9]"),
        ("bare day", "[日号號]"),
        ("month", "月"),
        ("year", "年"),
    )
)


def expression_class(text: str) -> str:
    """The class of an expression's text (see _CLASSES); "other" when none applies."""
    return next((name for name, pattern in _CLASSES if pattern.search(text)), "other")


@dataclass(frozen=True)
class ClassScore:
    """Counts of one expression class: predictions of it and labels of it, each with how many
    were right (a pair may fall in two classes, "周四" labelled as "周四凌晨")."""

    right_predictions: int
    predicted: int
    found_labels: int
    gold: int

    @property
    def precision(self) -> float:
        """Right predictions of the class over its predictions."""
        return self.right_predictions / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Labels of the class found over its labels."""
        return self.found_labels / self.gold if self.gold else 1.0


def class_scores(
    rows: Iterable[dict[str, Any]], predictor: Predictor | None = None
) -> dict[str, ClassScore]:
    """Precision and recall per expression class (see expression_class)."""
    predictor = predictor or ours
    counts: dict[str, list[int]] = {}

    def add(span: Span, text: str, slot: int) -> None:
        name = expression_class(span.text or text[span.start : span.end])
        counts.setdefault(name, [0, 0, 0, 0])[slot] += 1

    for row in rows:
        pred, want = predicted_spans(row, predictor), gold_spans(row)
        for found, label in matches(pred, want):
            add(found, row["text"], 0)
            add(label, row["text"], 2)
        for span in pred:
            add(span, row["text"], 1)
        for span in want:
            add(span, row["text"], 3)
    return {name: ClassScore(*values) for name, values in sorted(counts.items())}


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
