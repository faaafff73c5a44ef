"""What the resolver knows as it walks a text: the mentions, what they resolved to, the anchors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from dashboard.parsing.dates import cues, patterns
from dashboard.parsing.dates.days import Precision
from dashboard.parsing.dates.mentions import Marks, Mention

AnaphorQuery = tuple[bool, bool, bool]  # what an anaphor asks: (stepping, cued, inside quotes)


Tense = Literal["past", "present", "future"]
ANCHOR_REACH = 300  # characters over which an explicit month still lends its year
FUTURE_WINDOW = dt.timedelta(days=120)  # how far ahead an undated month may lie without a cue
NEAR_FUTURE_DAYS = 2  # "9日" in an article of the 8th is tomorrow, not last month


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    first: dt.date
    last: dt.date
    precision: Precision
    cued: bool = False
    detail: str | None = None
    since: bool = False  # a since-range: its start lends no month to later days


@dataclass
class Context:
    text: str
    marks: Marks
    mentions: list[Mention]
    ref: dt.date
    latest_year: int  # the last year an expression may reach
    month: tuple[int, int, int] | None = None  # year, month, offset of the last written month
    year: int | None = None
    # The last day told of that each kind of anaphor may refer to, kept as days are resolved
    # so that an anaphor never looks through all earlier days.
    bases: dict[AnaphorQuery, dt.date] = field(default_factory=dict)
    found: dict[int, Found] = field(default_factory=dict)
    last_day: Found | None = None  # the latest found of precision "day"
    last_dated: Found | None = None  # the latest day or month told of (not announced)
    written_year: tuple[int, int] | None = None  # the last year written in full, and where
    future_until: int = -1  # weekdays before this offset look ahead (same sentence as a cue)
    # Resolves another mention (a partner date, a dateline) through the one guarded entry.
    resolver: Callable[[Context, int], Found | None] | None = None

    def resolve(self, i: int) -> Found | None:
        """Mention i resolved, or None when it cannot be dated."""
        return None if self.resolver is None else self.resolver(self, i)


def sentence_year(ctx: Context, pos: int) -> int | None:
    """The year written in full earlier in the sentence at pos ("2023年前三季度…第四季度")."""
    year = ctx.written_year
    if year is None or ctx.marks.sentence_index(pos) != ctx.marks.sentence_index(year[1]):
        return None
    return year[0]


def is_cued(ctx: Context, i: int, forward: bool) -> bool:
    mention = ctx.mentions[i]
    return cues.cue_before(ctx.text, mention.start) or (
        forward and cues.cue_after(ctx.text, mention.end)
    )


def with_part(ctx: Context, i: int, found: Found) -> Found:
    """Keep a following part of day (晚间, 凌晨 …) as the detail of a day."""
    part = patterns.PART_RE.match(ctx.text, found.end)
    limit = ctx.mentions[i + 1].start if i + 1 < len(ctx.mentions) else len(ctx.text)
    if part is None or part.end() > limit:
        return found
    return replace(found, end=part.end(), detail=part["part"])


def next_is_date(ctx: Context, i: int, gap: re.Pattern[str]) -> bool:
    if i + 1 >= len(ctx.mentions):
        return False
    here, nxt = ctx.mentions[i], ctx.mentions[i + 1]
    return nxt.kind in ("date", "iso") and gap.fullmatch(ctx.text, here.end, nxt.start) is not None
