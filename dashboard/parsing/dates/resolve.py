"""Walk a text's mentions in order and resolve each against the reference and what came before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from dashboard.parsing.dates import absolute, cues, holidays, mentions, patterns, periods, relative
from dashboard.parsing.dates.anaphora import ANAPHOR_QUERIES, Anchor, serves
from dashboard.parsing.dates.context import Context, Found, Tense
from dashboard.parsing.dates.model import TimeExpression
from dashboard.parsing.dates.numerals import normalise
from dashboard.parsing.dates.ranges import resolve_duration

# The years an expression may cover. News dates events of the last centuries and of the coming
# decades; earlier or later years come from counts run far back or ahead ("过去2500年" is
# history, "过去99999999年来" noise), which no timeline should stretch its axis to show.
_EARLIEST_YEAR = 1000
_YEARS_AHEAD = 50  # the latest year is the reference year plus this
# A century is written, not counted: 21世纪 and 本世纪 run to 2100, and mean it.
_LATEST_CENTURY_YEAR = 2100
# What date arithmetic raises when a result would leave date.min..date.max (date(0, 1, 1),
# date.max + timedelta(1), timedelta(days=10**20)).
_OFF_CALENDAR = (OverflowError, ValueError)


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
    marks = mentions.Marks.of(normalise(text))
    found = mentions.find_mentions(marks)
    ctx = Context(marks.text, marks, found, ref, ref.year + _YEARS_AHEAD, resolver=_resolve)
    ctx.ref = _dateline_reference(ctx) or ref
    return [_expression(text, found, ctx.ref) for found in _resolve_all(ctx)]


def _expression(text: str, found: Found, ref: dt.date) -> TimeExpression:
    tense: Tense = "present"
    if found.cued or found.first > ref:
        tense = "future"
    elif found.last < ref:
        tense = "past"
    span = (found.start, found.end)
    return TimeExpression(
        text[slice(*span)], *span, found.first, found.last, found.precision, tense, found.detail
    )


def _resolve_all(ctx: Context) -> list[Found]:
    out: list[Found] = []
    i = 0
    while i < len(ctx.mentions):
        found, used = _resolve_at(ctx, i)
        if found is not None:
            ctx.found[i] = found
            ctx.last_day = found if found.precision == "day" else ctx.last_day
            if _told(ctx.mentions[i], found):
                ctx.last_dated = found
            out.append(found)
        i += used
    return out


def _told(mention: mentions.Mention, found: Found) -> bool:
    """Whether a found day or month is one a narrative is on: written out (3月, 24日), not
    relative (上个月), announced or a since-range."""
    if found.precision not in ("day", "month") or found.cued or found.since:
        return False
    if mention.kind in ("weekday", "iso", "slashed"):
        return True
    groups = mention.match.groupdict()
    return bool(groups.get("month") or groups.get("day")) and not groups.get("rmonth")


def _resolve(ctx: Context, i: int) -> Found | None:
    """Mention i resolved, or None when its days leave the calendar or the plausible years.

    Every resolution goes through here, so a mention that cannot be dated is simply missing:
    it is neither an expression nor the anchor or partner of another mention.
    """
    try:
        found = _RESOLVERS[ctx.mentions[i].kind](ctx, i)
    except _OFF_CALENDAR:  # 明天 on 9999-12-31, 去年 on 0001-01-01, 过去2500年 ...
        return None
    latest = _LATEST_CENTURY_YEAR if ctx.mentions[i].kind == "decade" else ctx.latest_year
    if found is None or found.first.year < _EARLIEST_YEAR or found.last.year > latest:
        return None
    return found


def _resolve_at(ctx: Context, i: int) -> tuple[Found | None, int]:
    found = _resolve(ctx, i)
    if found is None:
        return None, 1
    _remember(ctx, i, found)
    if ctx.mentions[i].kind in _SPAN_KINDS and _next_after(ctx, i, found):
        return _resolve_span(ctx, i, found)
    return found, 1


_SPAN_KINDS = frozenset({"date", "iso", "edge", "quarter", "decade"})


def _next_after(ctx: Context, i: int, found: Found) -> bool:
    """Whether a mention of a span's kind follows found across a dash or 至 ('1月底至2月初')."""
    if i + 1 >= len(ctx.mentions) or ctx.mentions[i + 1].kind not in _SPAN_KINDS - {"edge"}:
        return False
    return (
        patterns.RANGE_GAP_RE.fullmatch(ctx.text, found.end, ctx.mentions[i + 1].start) is not None
    )


def _resolve_span(ctx: Context, i: int, first: Found) -> tuple[Found | None, int]:
    """'26日至27日', '1月底至2月初': one range, the second end borrowing month and year."""
    second = _resolve(ctx, i + 1)
    if second is None or second.last <= first.last or first.since or second.since:
        return first, 1
    _remember(ctx, i + 1, second)
    cued = first.cued or second.cued
    return Found(first.start, second.end, first.first, second.last, "range", cued), 2


def _remember(ctx: Context, i: int, found: Found) -> None:
    mention = ctx.mentions[i]
    groups = mention.match.groupdict()
    if (groups.get("month") or groups.get("rmonth")) and not found.since:
        ctx.month = (found.first.year, found.first.month, mention.start)
    if groups.get("year") or groups.get("ryear"):
        ctx.year = found.first.year
    if groups.get("year") and not found.since:
        ctx.written_year = (found.first.year, mention.start)
    if found.precision == "day":
        word = mention.match.group(0)
        inside = ctx.marks.quoted(mention.start)
        anchor = Anchor(found.first, found.cued, inside, word in patterns.STEP_DAY)
        for query in ANAPHOR_QUERIES:
            if serves(ctx, anchor, *query):
                ctx.bases[query] = anchor.day


def _dateline_reference(ctx: Context) -> dt.date | None:
    """The writer's today from a dateline, when it is within a day or so of the reference."""
    for i, mention in enumerate(ctx.mentions):
        found = _resolve(ctx, i) if cues.is_dateline(ctx.text, mention) else None
        if found is not None and -3 <= (found.first - ctx.ref).days <= 1:
            return found.first
    return None


_RESOLVERS: dict[str, Callable[[Context, int], Found | None]] = {
    "date": absolute.resolve_date,
    "dayrange": absolute.resolve_dayrange,
    "iso": absolute.resolve_iso,
    "slashed": absolute.resolve_slashed,
    "monthedge": absolute.resolve_month_edge,
    "yearspan": absolute.resolve_yearspan,
    "monthspan": absolute.resolve_monthspan,
    "weekday": relative.resolve_weekday,
    "week": relative.resolve_week,
    "weekend": relative.resolve_weekend,
    "relday": relative.resolve_relday,
    "ago": relative.resolve_ago,
    "duration": resolve_duration,
    "decade": periods.resolve_decade,
    "quarter": periods.resolve_quarter,
    "holiday": holidays.resolve_holiday,
    "edge": absolute.resolve_edge,
}
