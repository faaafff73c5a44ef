"""Short text labels beside the timeline's marks when a view is zoomed in to few of them.

With at most LABEL_LIMIT marks in view, each one is named, in LABEL_CHARS characters at most:
a publication by its headline, a mentioned date by the clause of its sentence that holds it,
so a reader sees what happened without hovering. Labels are placed greedily, mark by
mark from left to right in each lane, in the first of a few rows above and below the marks
whose last label ends before this one begins; a label that fits in no row is cut shorter, and
left out only when even that does not fit (plotly does not move text to avoid overlap, so the
server does). Widths are worked out for the plot width the page gives the chart on a laptop
(PLOT_PX, the timeline's width in a 1280-pixel window); on a wider screen the labels only stand
further apart. Rows are set from the lane's centre, not from a mark's jittered height, so the
labels of one lane never cross; a label at either edge of the plot is anchored to stay inside.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

LABEL_LIMIT = 60
LABEL_CHARS = 12
SHORT_CHARS = 8
PLOT_PX = 480
FONT_PX = 11
WIDE_PX, NARROW_PX = 11, 6  # a CJK character at FONT_PX, and a Latin one
GAP_PX = 6
# Rows a lane's labels may take, as pixels above (+) or below (-) the marks: the lanes are
# about 49 px apart, so two rows each side stay inside the lane.
ROWS_PX = (13, -13, 25, -25)


@dataclass(frozen=True)
class Mark:
    """A mark to label: where it is (x in epoch milliseconds, its lane) and its headline."""

    x_ms: float
    lane: int
    text: str


def text_px(text: str) -> int:
    """The width of a label in the timeline's font, in pixels."""
    return sum(WIDE_PX if unicodedata.east_asian_width(c) in "WF" else NARROW_PX for c in text)


def shortened(text: str, limit: int) -> str:
    """The headline cut to limit characters (an ellipsis marks the cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_CLAUSE_ENDS = re.compile("[，,；;：:。！？!?]")


def clause(sentence: str, expression: str) -> str:
    """The clause of a sentence that holds its expression: what the sentence says happened
    then ("北约领导人24日在布鲁塞尔的总部参加紧急会议")."""
    at = max(sentence.find(expression), 0)
    starts = [m.end() for m in _CLAUSE_ENDS.finditer(sentence, 0, at)]
    begin = starts[-1] if starts else 0
    end = _CLAUSE_ENDS.search(sentence, at + len(expression))
    return sentence[begin : end.start() if end else len(sentence)].strip()


def placed(
    marks: list[Mark], window_ms: tuple[float, float], plot_px: int = PLOT_PX
) -> list[tuple[Mark, str, int, str]]:
    """Each mark that gets a label, with the label's text, its row (pixels from the lane's
    centre) and its anchor (left, center or right)."""
    first, last = window_ms
    px_per_ms = plot_px / max(last - first, 1.0)
    ends: dict[tuple[int, int], float] = {}  # (lane, row) → the pixel where its last label ends
    out: list[tuple[Mark, str, int, str]] = []
    for mark in sorted(marks, key=lambda m: (m.lane, m.x_ms)):
        centre = (mark.x_ms - first) * px_per_ms
        for text in (shortened(mark.text, LABEL_CHARS), shortened(mark.text, SHORT_CHARS)):
            width = text_px(text)
            left, anchor = centre - width / 2, "center"
            if left < 0:
                left, anchor = centre, "left"
            elif left + width > plot_px:
                left, anchor = centre - width, "right"
            row = next(
                (r for r in ROWS_PX if left >= ends.get((mark.lane, r), float("-inf")) + GAP_PX),
                None,
            )
            if row is not None:
                ends[(mark.lane, row)] = left + width
                out.append((mark, text, row, anchor))
                break
    return out


def label_annotations(marks: list[Mark], window_ms: tuple[float, float]) -> list[dict[str, Any]]:
    """The plotly annotations of the labels that fit (plain text: plotly escapes nothing in an
    annotation's text, so markup characters are written as entities)."""
    out = []
    for mark, text, row, anchor in placed(marks, window_ms):
        safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append(
            {"x": mark.x_ms, "y": mark.lane, "xref": "x", "yref": "y", "text": safe,
             "showarrow": False, "yshift": row, "xanchor": anchor,
             "font": {"size": FONT_PX, "color": "#333"}, "bgcolor": "rgba(255,255,255,0.8)",
             "captureevents": False}
        )  # fmt: skip
    return out
