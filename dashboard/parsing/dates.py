"""Find dated expressions in Chinese news text and resolve them against the publication date.

Conventions (each pinned by tests/test_dates.py):
- Lists ("9日和10日", "9日、10日") give one day expression per item; spans ("26日至27日",
  "26-27日", "3月1日到5日", "1月至3月") give one expression of precision "range".
- Weeks run Monday..Sunday; a month or a year covers all its days. 年初 / 年底 and 月初 / 月底
  keep month precision (January, December, the month itself); 上旬 / 中旬 / 下旬 and seasons
  are ranges.
- Since-ranges ("自2014年以来", "2020年起", "近7年来", "过去24小时内") run from their start to
  the reference; a counted one (过去 / 近 N ...) ends on the day named earlier in its sentence,
  if any. Open durations ("一个月来", "多年来", "24小时内" without 过去 / 近) are not dates.
- A month or month-day without a year takes the year of an explicit month written at most
  _ANCHOR_REACH characters before it (the following year when the month comes earlier in the
  calendar, unless that lies beyond _FUTURE_WINDOW); otherwise the latest year that keeps it
  within _FUTURE_WINDOW after the reference, or after a future cue the first year that keeps it
  out of the past. So "10月24日" in March is last October, "1月底" in December next January.
- A bare day ("24日") takes the month of such an explicit month; otherwise the reference month,
  or the month before when the day is more than _NEAR_FUTURE_DAYS after the reference day and
  no future cue (将, 预计, 定于 ...) applies; after a cue, the first such day not in the past.
- A weekday is the nearest one on or before the reference (the reference day itself included);
  after a future cue, on or after it. 上周 / 本周 / 下周 + weekday pick that week. A weekday
  written next to an explicit date ("周五(1月21日)", "2月25日周五") takes that date.
- Anaphora (同日, 当天, 当晚, 前一天, 次日 ...) refer to the last day named outside quotations,
  skipping days announced for the future unless their own clause looks ahead; 同月 / 同年 refer
  to the month / year last written. With nothing to refer to, they count from the reference.
- A part of day right after a day (晚间, 凌晨, 上午 ...) joins its text and becomes its detail.
- A dateline ("路透莫斯科1月18日 -", "（中央社華盛頓21日電）") within a day or so of the reference
  is the writer's today: relative words resolve against it.
- Tense is "future" after a future cue or when the days start after the reference, "past" when
  they end before it, otherwise "present".
- An expression is dropped when its days start before _EARLIEST_YEAR or end more than
  _YEARS_AHEAD years after the reference year, or when working them out leaves the calendar
  (明天 on 9999-12-31): no expression for that mention, the others unaffected, never an error.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal
from zoneinfo import ZoneInfo

from dashboard.parsing import numerals as lex

Precision = lex.Precision
Tense = Literal["past", "present", "future"]

_ANCHOR_REACH = 300  # characters over which an explicit month still lends its year
_FUTURE_WINDOW = dt.timedelta(days=120)  # how far ahead an undated month may lie without a cue
_NEAR_FUTURE_DAYS = 2  # "9日" in an article of the 8th is tomorrow, not last month
# The years an expression may cover. News dates events of the last centuries and of the coming
# decades; earlier or later years come from counts run far back or ahead ("过去2500年" is
# history, "过去99999999年来" noise), which no timeline should stretch its axis to show.
_EARLIEST_YEAR = 1000
_YEARS_AHEAD = 50  # the latest year is the reference year plus this
# What date arithmetic raises when a result would leave date.min..date.max (date(0, 1, 1),
# date.max + timedelta(1), timedelta(days=10**20)).
_OFF_CALENDAR = (OverflowError, ValueError)


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


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    first: dt.date
    last: dt.date
    precision: Precision
    cued: bool = False
    detail: str | None = None
    since: bool = False  # a since-range: its start lends no month to later days


@dataclass(frozen=True)
class _Anchor:
    day: dt.date
    cued: bool
    quoted: bool
    stepped: bool  # came from 前一天 / 次日: never the base of another step


# What an anaphor asks of the day it refers to: (stepping, cued, inside quotes).
_AnaphorQuery = tuple[bool, bool, bool]
_ANAPHOR_QUERIES: tuple[_AnaphorQuery, ...] = tuple(
    itertools.product((False, True), (False, True), (False, True))
)


@dataclass
class _Ctx:
    text: str
    marks: lex.Marks
    mentions: list[lex.Mention]
    ref: dt.date
    latest_year: int  # the last year an expression may reach
    month: tuple[int, int, int] | None = None  # year, month, offset of the last written month
    year: int | None = None
    # The last day told of that each kind of anaphor may refer to, kept as days are resolved
    # so that an anaphor never looks through all earlier days.
    bases: dict[_AnaphorQuery, dt.date] = field(default_factory=dict)
    found: dict[int, _Found] = field(default_factory=dict)
    last_day: _Found | None = None  # the latest found of precision "day"
    future_until: int = -1  # weekdays before this offset look ahead (same sentence as a cue)


def resolve_reference(published_utc: dt.datetime, tz_name: str) -> dt.datetime:
    """The publication instant in the outlet's time zone (naive input is taken as UTC)."""
    if published_utc.tzinfo is None:
        published_utc = published_utc.replace(tzinfo=dt.UTC)
    return published_utc.astimezone(ZoneInfo(tz_name))


def find_expressions(text: str, reference: dt.date | dt.datetime) -> list[TimeExpression]:
    """All dated expressions in text, resolved against reference, in text order.

    Never raises: a mention whose days cannot be worked out or lie outside the plausible years
    is left out.
    """
    ref = reference.date() if isinstance(reference, dt.datetime) else reference
    marks = lex.Marks.of(lex.normalise(text))
    ctx = _Ctx(marks.text, marks, lex.find_mentions(marks), ref, ref.year + _YEARS_AHEAD)
    ctx.ref = _dateline_reference(ctx) or ref
    return [_expression(text, found, ctx.ref) for found in _resolve_all(ctx)]


def _expression(text: str, found: _Found, ref: dt.date) -> TimeExpression:
    tense: Tense = "present"
    if found.cued or found.first > ref:
        tense = "future"
    elif found.last < ref:
        tense = "past"
    span = (found.start, found.end)
    return TimeExpression(
        text[slice(*span)], *span, found.first, found.last, found.precision, tense, found.detail
    )


def _resolve_all(ctx: _Ctx) -> list[_Found]:
    out: list[_Found] = []
    i = 0
    while i < len(ctx.mentions):
        found, used = _resolve_at(ctx, i)
        if found is not None:
            ctx.found[i] = found
            ctx.last_day = found if found.precision == "day" else ctx.last_day
            out.append(found)
        i += used
    return out


def _resolve(ctx: _Ctx, i: int) -> _Found | None:
    """Mention i resolved, or None when its days leave the calendar or the plausible years.

    Every resolution goes through here, so a mention that cannot be dated is simply missing:
    it is neither an expression nor the anchor or partner of another mention.
    """
    try:
        found = _RESOLVERS[ctx.mentions[i].kind](ctx, i)
    except _OFF_CALENDAR:  # 明天 on 9999-12-31, 去年 on 0001-01-01, 过去2500年 ...
        return None
    if found is None or found.first.year < _EARLIEST_YEAR or found.last.year > ctx.latest_year:
        return None
    return found


def _resolve_at(ctx: _Ctx, i: int) -> tuple[_Found | None, int]:
    if ctx.mentions[i].kind in ("date", "iso", "edge") and _next_is_date(ctx, i, lex.RANGE_GAP_RE):
        return _resolve_span(ctx, i)
    found = _resolve(ctx, i)
    if found is not None:
        _remember(ctx, i, found)
    return found, 1


def _resolve_span(ctx: _Ctx, i: int) -> tuple[_Found | None, int]:
    """'26日至27日', '1月至3月': one range; the second end borrows month and year from the first."""
    first = _resolve(ctx, i)
    if first is None:
        return None, 1
    _remember(ctx, i, first)
    second = _resolve(ctx, i + 1)
    if second is None or second.last <= first.last or first.precision == "range":
        return first, 1
    _remember(ctx, i + 1, second)
    cued = first.cued or second.cued
    return _Found(first.start, second.end, first.first, second.last, "range", cued), 2


def _next_is_date(ctx: _Ctx, i: int, gap: re.Pattern[str]) -> bool:
    if i + 1 >= len(ctx.mentions):
        return False
    here, nxt = ctx.mentions[i], ctx.mentions[i + 1]
    return nxt.kind in ("date", "iso") and gap.fullmatch(ctx.text, here.end, nxt.start) is not None


def _remember(ctx: _Ctx, i: int, found: _Found) -> None:
    mention = ctx.mentions[i]
    groups = mention.match.groupdict()
    if (groups.get("month") or groups.get("rmonth")) and not found.since:
        ctx.month = (found.first.year, found.first.month, mention.start)
    if groups.get("year") or groups.get("ryear"):
        ctx.year = found.first.year
    if found.precision == "day":
        word = mention.match.group(0)
        inside = ctx.marks.quoted(mention.start)
        anchor = _Anchor(found.first, found.cued, inside, word in lex.STEP_DAY)
        for query in _ANAPHOR_QUERIES:
            if _serves(ctx, anchor, *query):
                ctx.bases[query] = anchor.day


# --- dates written with numbers ------------------------------------------------------------


def _resolve_date(ctx: _Ctx, i: int) -> _Found | None:
    m = ctx.mentions[i].match
    bare_day = not (m["year"] or m["ryear"] or m["month"] or m["rmonth"])
    cued = _cued(ctx, i, forward=bare_day)
    if m["day"]:
        found = _date_with_day(ctx, i, cued)
        found = found and _with_part(ctx, i, found)
    elif m["month"] or m["rmonth"]:
        found = _date_month(ctx, i, cued)
    else:
        found = _date_year(ctx, i)
    return found and _since(ctx, i, found)


def _date_with_day(ctx: _Ctx, i: int, cued: bool) -> _Found | None:
    mention = ctx.mentions[i]
    day = lex.parse_number(mention.match["day"]) or 0
    year_month = _written_month(ctx, i, cued, day) or _month_for_day(ctx, mention.start, day, cued)
    date = lex.safe_date(*year_month, day)
    return None if date is None else _Found(mention.start, mention.end, date, date, "day", cued)


def _written_month(ctx: _Ctx, i: int, cued: bool, day: int | None = None) -> tuple[int, int] | None:
    m = ctx.mentions[i].match
    if m["rmonth"]:
        return _relative_month(ctx, m["rmonth"])
    if not m["month"]:
        return None
    month = lex.parse_number(m["month"]) or 1
    year = _written_year(ctx, m)
    if year is None:
        year = _year_for(ctx, ctx.mentions[i].start, month, day, cued)
    return year, month


def _written_year(ctx: _Ctx, m: re.Match[str]) -> int | None:
    if m["year"]:
        return lex.parse_number(m["year"])
    word = m["ryear"]
    if word is None:
        return None
    if word in lex.YEAR_SHIFT:
        return ctx.ref.year + lex.YEAR_SHIFT[word]
    return ctx.year or ctx.ref.year  # 同年, 当年: the year last written


def _relative_month(ctx: _Ctx, word: str) -> tuple[int, int]:
    if word in lex.MONTH_SHIFT:
        base, shift = ctx.ref, lex.MONTH_SHIFT[word]
    else:  # 同月, 当月, 次月: relative to the month last written
        base = dt.date(ctx.month[0], ctx.month[1], 1) if ctx.month else ctx.ref
        shift = 1 if word == "次月" else 0
    moved = lex.add_months(base.replace(day=1), shift)
    return moved.year, moved.month


def _year_for(ctx: _Ctx, pos: int, month: int, day: int | None, cued: bool) -> int:
    anchor = ctx.month
    if anchor is not None and pos - anchor[2] <= _ANCHOR_REACH:
        # A narrative moves on: "2020年11月 … 6月" is the next June, unless that is the future.
        year = anchor[0] + 1 if month < anchor[1] else anchor[0]
        if cued:
            return year
        return min(year, lex.latest_year(month, lex.clamped_add(ctx.ref, _FUTURE_WINDOW)))
    return lex.nearest_year(ctx.ref, month, day, cued, _FUTURE_WINDOW)


def _month_for_day(ctx: _Ctx, pos: int, day: int, cued: bool) -> tuple[int, int]:
    ref, anchor = ctx.ref, ctx.month
    if anchor is not None and pos - anchor[2] <= _ANCHOR_REACH:
        return anchor[0], anchor[1]
    if cued:
        shift = 0 if day >= ref.day else 1
    else:
        shift = 0 if day <= ref.day + _NEAR_FUTURE_DAYS else -1
    moved = lex.add_months(ref.replace(day=1), shift)
    return moved.year, moved.month


def _date_month(ctx: _Ctx, i: int, cued: bool) -> _Found | None:
    mention = ctx.mentions[i]
    year_month = _written_month(ctx, i, cued)
    if year_month is None:
        return None
    edge = lex.MONTH_EDGE_RE.match(ctx.text, mention.end)
    first, last, precision = lex.month_part(*year_month, edge["edge"] if edge else None)
    return _Found(mention.start, edge.end() if edge else mention.end, first, last, precision, cued)


def _date_year(ctx: _Ctx, i: int) -> _Found | None:
    """'2022年', '去年底', '今年夏天', and a bare '年初' (this year's)."""
    mention = ctx.mentions[i]
    bare = mention.kind == "edge"
    year = ctx.ref.year if bare else _written_year(ctx, mention.match)
    if year is None:
        return None
    edge = lex.YEAR_EDGE_RE.match(ctx.text, mention.start if bare else mention.end)
    if edge is None:
        return _Found(
            mention.start, mention.end, dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
        )
    first, last, precision = lex.year_part(year, edge["edge"], edge["season"])
    return _Found(mention.start, edge.end(), first, last, precision)


def _resolve_edge(ctx: _Ctx, i: int) -> _Found | None:
    found = _date_year(ctx, i)
    return found and _since(ctx, i, found)


def _resolve_iso(ctx: _Ctx, i: int) -> _Found | None:
    mention = ctx.mentions[i]
    m = mention.match
    date = lex.safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
    if date is None:
        return None
    return _with_part(ctx, i, _Found(mention.start, mention.end, date, date, "day"))


def _resolve_dayrange(ctx: _Ctx, i: int) -> _Found | None:
    mention = ctx.mentions[i]
    m = mention.match
    d1, d2 = lex.parse_number(m["d1"]) or 1, lex.parse_number(m["d2"]) or 1
    cued = _cued(ctx, i, forward=False)
    if m["month"]:
        month = lex.parse_number(m["month"]) or 1
        year = lex.parse_number(m["year"]) if m["year"] else None
        year_month = (year or _year_for(ctx, mention.start, month, d1, cued), month)
    else:
        year_month = _month_for_day(ctx, mention.start, d1, cued)
    first, last = lex.safe_date(*year_month, d1), lex.safe_date(*year_month, d2)
    if first is None or last is None:
        return None
    return _with_part(ctx, i, _Found(mention.start, mention.end, first, last, "range", cued))


def _since(ctx: _Ctx, i: int, found: _Found) -> _Found:
    """'自2014年以来', '2020年起', '从2008年至今': from that start to the reference."""
    if found.first > ctx.ref:
        return found
    text, start = ctx.text, ctx.mentions[i].start
    opener = start - 1 if start and text[start - 1] in "自从從" else None
    suffix = lex.SINCE_AFTER_RE.match(text, found.end)
    if suffix is None and (opener is None or not lex.SINCE_CLOSE_RE.match(text, found.end)):
        return found
    return replace(
        found,
        start=start if opener is None else opener,
        end=suffix.end() if suffix else found.end,
        last=ctx.ref,
        precision="range",
        since=True,
    )


def _with_part(ctx: _Ctx, i: int, found: _Found) -> _Found:
    """Keep a following part of day (晚间, 凌晨 …) as the detail of a day."""
    part = lex.PART_RE.match(ctx.text, found.end)
    limit = ctx.mentions[i + 1].start if i + 1 < len(ctx.mentions) else len(ctx.text)
    if part is None or part.end() > limit:
        return found
    return replace(found, end=part.end(), detail=part["part"])


# --- weeks, weekdays and words -------------------------------------------------------------


def _resolve_weekday(ctx: _Ctx, i: int) -> _Found:
    mention = ctx.mentions[i]
    weekday, prefix = lex.WEEKDAY[mention.match["wd"]], mention.match["pre"] or _list_prefix(ctx, i)
    partner, cued = _partner_day(ctx, i), False
    if partner is not None:
        day = partner
    elif prefix:
        day = lex.monday(ctx.ref) + dt.timedelta(weeks=lex.WEEK_SHIFT.get(prefix, 0), days=weekday)
    else:
        cued = _cued(ctx, i, forward=True) or mention.start < ctx.future_until
        day = lex.nearest_weekday(ctx.ref, weekday, cued)
        if cued:  # "周三，俄罗斯将…，周四，…": the rest of the sentence looks ahead too
            ctx.future_until = ctx.marks.sentence_bounds(mention.start, mention.end)[1]
    found = _Found(mention.start, mention.end, day, day, "day", cued)
    return _since(ctx, i, _with_part(ctx, i, found))


def _list_prefix(ctx: _Ctx, i: int) -> str | None:
    """'上周五和周六': the second weekday shares the week of the first."""
    if i == 0 or ctx.mentions[i - 1].kind != "weekday":
        return None
    prev = ctx.mentions[i - 1]
    joined = lex.LIST_GAP_RE.fullmatch(ctx.text, prev.end, ctx.mentions[i].start)
    return prev.match["pre"] if joined else None


def _partner_day(ctx: _Ctx, i: int) -> dt.date | None:
    """The explicit date written right next to a weekday: '周五(1月21日)', '2月25日周五'."""
    prev = ctx.found.get(i - 1)
    if (
        prev is not None
        and prev.precision == "day"
        and ctx.mentions[i - 1].kind != "weekday"
        and lex.PAIR_GAP_RE.fullmatch(ctx.text, prev.end, ctx.mentions[i].start)
    ):
        return prev.first
    if _next_is_date(ctx, i, lex.PAIR_GAP_RE):
        nxt = _resolve(ctx, i + 1)
        return nxt.first if nxt is not None and nxt.precision == "day" else None
    return None


def _resolve_week(ctx: _Ctx, i: int) -> _Found:
    mention = ctx.mentions[i]
    first = lex.monday(ctx.ref) + dt.timedelta(weeks=lex.WEEK_SHIFT.get(mention.match["pre"], 0))
    return _Found(mention.start, mention.end, first, first + dt.timedelta(days=6), "week")


def _resolve_weekend(ctx: _Ctx, i: int) -> _Found:
    mention, ref = ctx.mentions[i], ctx.ref
    if mention.match["pre"]:
        shift = lex.WEEK_SHIFT.get(mention.match["pre"], 0)
    else:  # a bare 周末 is the last one, unless it is under way or announced
        shift = 0 if ref.weekday() >= 5 or _cued(ctx, i, forward=True) else -1
    saturday = lex.monday(ref) + dt.timedelta(weeks=shift, days=5)
    return _Found(mention.start, mention.end, saturday, saturday + dt.timedelta(days=1), "range")


def _resolve_relday(ctx: _Ctx, i: int) -> _Found:
    mention = ctx.mentions[i]
    word, cued = mention.match.group(0), False
    if word in lex.DAY_SHIFT:
        shift = lex.DAY_SHIFT[word]
        day = _relday_partner(ctx, i, shift) or ctx.ref + dt.timedelta(days=shift)
    else:
        cued = lex.cue_before(ctx.text, mention.start)
        base = _anaphor_base(ctx, mention.start, cued, stepping=word in lex.STEP_DAY)
        day = base + dt.timedelta(days=lex.STEP_DAY.get(word, 0))
    found = _Found(mention.start, mention.end, day, day, "day", cued, lex.WORD_DETAIL.get(word))
    return found if found.detail else _with_part(ctx, i, found)


def _relday_partner(ctx: _Ctx, i: int, shift: int) -> dt.date | None:
    """'明天（周一）', '昨天（8日）': the bracketed day says which day is meant."""
    if i + 1 >= len(ctx.mentions):
        return None
    nxt = ctx.mentions[i + 1]
    if not lex.PAIR_GAP_RE.fullmatch(ctx.text, ctx.mentions[i].end, nxt.start):
        return None
    if nxt.kind == "weekday" and not nxt.match["pre"]:
        return lex.nearest_weekday(ctx.ref, lex.WEEKDAY[nxt.match["wd"]], future=shift > 0)
    if nxt.kind in ("date", "iso"):
        found = _resolve(ctx, i + 1)
        return found.first if found is not None and found.precision == "day" else None
    return None


def _anaphor_base(ctx: _Ctx, pos: int, cued: bool, stepping: bool) -> dt.date:
    """The day 同日 / 前一天 refer to: the last one told of (not announced) outside quotes."""
    return ctx.bases.get((stepping, cued, ctx.marks.quoted(pos)), ctx.ref)


def _serves(ctx: _Ctx, anchor: _Anchor, stepping: bool, cued: bool, inside: bool) -> bool:
    """Whether an anaphor so placed may refer to the day of anchor."""
    if stepping and anchor.stepped:
        return False
    if not cued and (anchor.cued or anchor.day > ctx.ref):
        return False
    return inside or not anchor.quoted


def _resolve_ago(ctx: _Ctx, i: int) -> _Found:
    """'10天前', '两年前', '三个月前', counted back from the reference."""
    mention = ctx.mentions[i]
    n = lex.parse_number(mention.match["n"]) or 0
    first, last, precision = lex.ago_span(ctx.ref, n, mention.match["unit"])
    return _Found(mention.start, mention.end, first, last, precision)


def _resolve_duration(ctx: _Ctx, i: int) -> _Found | None:
    """'近7年来', '过去24小时内': back from the day the sentence is about (or the reference)."""
    mention = ctx.mentions[i]
    n = lex.parse_number(mention.match["n"])
    if not n:
        return None
    last = _sentence_day(ctx, i) or ctx.ref
    first = lex.go_back(last, n, mention.match["unit"])
    return _Found(mention.start, mention.end, first, last, "range")


def _sentence_day(ctx: _Ctx, i: int) -> dt.date | None:
    """The day last resolved, when it lies in the sentence of mention i."""
    # Founds start further on as they go: when the last day starts in this sentence, so does
    # all found after it, and a walk back through them would stop at it; when it starts
    # before, the walk would cross the sentence start first. Either way no walk is needed.
    here, day = ctx.mentions[i], ctx.last_day
    first = ctx.marks.sentence_bounds(here.start, here.end)[0]
    return day.first if day is not None and day.start >= first else None


# --- cues ----------------------------------------------------------------------------------


def _cued(ctx: _Ctx, i: int, forward: bool) -> bool:
    mention = ctx.mentions[i]
    return lex.cue_before(ctx.text, mention.start) or (
        forward and lex.cue_after(ctx.text, mention.end)
    )


def _dateline_reference(ctx: _Ctx) -> dt.date | None:
    """The writer's today from a dateline, when it is within a day or so of the reference."""
    for i, mention in enumerate(ctx.mentions):
        found = _resolve(ctx, i) if lex.is_dateline(ctx.text, mention) else None
        if found is not None and -3 <= (found.first - ctx.ref).days <= 1:
            return found.first
    return None


_RESOLVERS: dict[str, Callable[[_Ctx, int], _Found | None]] = {
    "date": _resolve_date,
    "dayrange": _resolve_dayrange,
    "iso": _resolve_iso,
    "weekday": _resolve_weekday,
    "week": _resolve_week,
    "weekend": _resolve_weekend,
    "relday": _resolve_relday,
    "ago": _resolve_ago,
    "duration": _resolve_duration,
    "edge": _resolve_edge,
}
