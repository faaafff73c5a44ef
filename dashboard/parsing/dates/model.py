"""The resolver's result: a dated expression and the calendar days it covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from dashboard.parsing.dates.context import Tense
from dashboard.parsing.dates.days import Precision


@dataclass(frozen=True)
class TimeExpression:
    """A dated expression found in text, resolved to the calendar days it covers."""

    text: str
    offset: int
    end_offset: int
    start: dt.date
    end: dt.date
    precision: Precision
    tense: Tense
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form, dates as ISO strings."""
        return asdict(self) | {"start": self.start.isoformat(), "end": self.end.isoformat()}
