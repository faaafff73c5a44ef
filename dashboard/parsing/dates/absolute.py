"""Dates written with numbers: years, months, days, day spans, ISO dates and year edges."""

from __future__ import annotations

import datetime as dt
import re

from dashboard.parsing.dates import cues, days, patterns
from dashboard.parsing.dates.context import (
    ANCHOR_REACH,
    FUTURE_WINDOW,
    NEAR_FUTURE_DAYS,
    Context,
    Found,
    is_cued,
    with_part,
)
from dashboard.parsing.dates.numerals import parse_number
from dashboard.parsing.dates.ranges import since

# Sentences over which a written month lends itself: its year to the next sentence, the month
# itself only within its own (measured on the development split: wider reaches lose more than
# they gain).
YEAR_REACH, MONTH_REACH = 1, 0
_MONTH_TURN_DAYS = 3  # how recent a day of the month before still sets the writer's month
NARRATIVE_REACH = 0  # 上个月 counts from a month told of in its own sentence (wider loses)


def resolve_date(ctx: Context, i: int) -> Found | None:
    m = ctx.mentions[i].match
    bare_day = not (m["year"] or m["ryear"] or m["month"] or m["rmonth"])
    cued = is_cued(ctx, i, forward=bare_day)
    if m["day"]:
        found = _date_with_day(ctx, i, cued)
        found = found and with_part(ctx, i, found)
    elif m["month"] or m["rmonth"]:
        found = _date_month(ctx, i, cued)
    else:
        found = _date_year(ctx, i)
    return found and since(ctx, i, found)


def _date_with_day(ctx: Context, i: int, cued: bool) -> Found | None:
    mention = ctx.mentions[i]
    day = parse_number(mention.match["day"]) or 0
    year_month = _written_month(ctx, i, cued, day) or _month_for_day(ctx, mention.start, day, cued)
    date = days.safe_date(*year_month, day)
    return None if date is None else Found(mention.start, mention.end, date, date, "day", cued)


def _written_month(
    ctx: Context, i: int, cued: bool, day: int | None = None
) -> tuple[int, int] | None:
    m = ctx.mentions[i].match
    if m["rmonth"]:
        moved_year, moved_month = _relative_month(ctx, m["rmonth"], ctx.mentions[i].start)
        shift = patterns.YEAR_SHIFT.get(m["ryear"] or "", 0)  # 去年本月: this month, last year
        return moved_year + shift, moved_month
    if not m["month"]:
        return None
    month = parse_number(m["month"]) or 1
    year = written_year(ctx, m)
    if year is None:
        return _year_for(ctx, ctx.mentions[i].start, month, day, cued), month
    return year, month


def written_year(ctx: Context, m: re.Match[str]) -> int | None:
    if m["year"]:
        return parse_number(m["year"])
    word = m["ryear"]
    if word is None:
        return None
    if word in patterns.YEAR_SHIFT:
        return ctx.ref.year + patterns.YEAR_SHIFT[word]
    return ctx.year or ctx.ref.year  # 同年, 当年: the year last written


def _relative_month(ctx: Context, word: str, pos: int) -> tuple[int, int]:
    if word in patterns.MONTH_SHIFT:
        base, shift = _narrative_month(ctx, pos), patterns.MONTH_SHIFT[word]
    else:  # 同月, 当月, 次月: relative to the month last written
        base = dt.date(ctx.month[0], ctx.month[1], 1) if ctx.month else ctx.ref
        shift = 1 if word == "次月" else 0
    moved = days.add_months(base.replace(day=1), shift)
    return moved.year, moved.month


def _narrative_month(ctx: Context, pos: int) -> dt.date:
    """What 上个月 / 下个月 count from: the month a narrative is in, when it told of an earlier
    month close before ("今年十月…比上个月", "11月29日的声明中说…上个月"), else the reference's."""
    told = ctx.last_dated
    if told is None or told.last >= ctx.ref.replace(day=1):
        return ctx.ref
    distance = ctx.marks.sentence_index(pos) - ctx.marks.sentence_index(told.start)
    if distance <= NARRATIVE_REACH:
        return told.first
    # Written in the first days of a month about the last days of the one before (a call on
    # the 30th, published on the 1st): the writer's month is the narrative's.
    if told.precision == "day" and (ctx.ref - told.last).days <= _MONTH_TURN_DAYS:
        return told.first
    return ctx.ref


def _tied(ctx: Context, pos: int, reach: int) -> tuple[int, int, int] | None:
    """The month last written (year, month, offset), when it lends itself to a mention at pos.

    Only when the text ties them: the same sentence ("2月10日和16日", "3月…16日") or, for a year,
    the sentence before, which carries a narrative on ("2020年11月… 。12月14日, …"). A month named
    further back lends nothing: "明年2月将举行选举。…16日公布了起诉书" is the 16th of this month.
    """
    anchor = ctx.month
    if anchor is None or pos - anchor[2] > ANCHOR_REACH:
        return None
    distance = ctx.marks.sentence_index(pos) - ctx.marks.sentence_index(anchor[2])
    return anchor if distance <= reach else None


def _year_for(ctx: Context, pos: int, month: int, day: int | None, cued: bool) -> int:
    anchor = _tied(ctx, pos, YEAR_REACH)
    if anchor is not None:
        # A narrative moves on: "2020年11月 … 6月" is the next June, unless that is the future.
        year = anchor[0] + 1 if month < anchor[1] else anchor[0]
        if cued:
            return year
        return min(year, days.latest_year(month, days.clamped_add(ctx.ref, FUTURE_WINDOW)))
    year = days.nearest_year(ctx.ref, month, day, cued, FUTURE_WINDOW)
    ahead = (year, month) > (ctx.ref.year, ctx.ref.month)
    if ahead and not cued and cues.told_as_past(ctx.text, pos):
        return year - 1  # "于3月重组了科技部" in January: last March, as its 了 says
    return year


def _month_for_day(ctx: Context, pos: int, day: int, cued: bool) -> tuple[int, int]:
    ref, anchor = ctx.ref, _tied(ctx, pos, MONTH_REACH)
    if anchor is not None:
        return anchor[0], anchor[1]
    shift = (0 if day >= ref.day else 1) if cued else 0 if day <= ref.day + NEAR_FUTURE_DAYS else -1
    moved = days.add_months(ref.replace(day=1), shift)
    return moved.year, moved.month


def _date_month(ctx: Context, i: int, cued: bool) -> Found | None:
    mention = ctx.mentions[i]
    year_month = _written_month(ctx, i, cued)
    if year_month is None:
        return None
    edge = patterns.MONTH_EDGE_RE.match(ctx.text, mention.end)
    first, last, precision = days.month_part(*year_month, edge["edge"] if edge else None)
    return Found(mention.start, edge.end() if edge else mention.end, first, last, precision, cued)


def _date_year(ctx: Context, i: int) -> Found | None:
    """'2022年', '去年底', '今年夏天', and a bare '年初' (this year's)."""
    mention = ctx.mentions[i]
    bare = mention.kind == "edge"
    year = ctx.ref.year if bare else written_year(ctx, mention.match)
    if year is None:
        return None
    edge = patterns.YEAR_EDGE_RE.match(ctx.text, mention.start if bare else mention.end)
    if edge is None:
        return Found(mention.start, mention.end, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    first, last, precision = days.year_part(
        year, edge["edge"] or ("中" if edge["mid"] or edge["mid2"] else None), edge["season"]
    )
    return Found(mention.start, edge.end(), first, last, precision)


def resolve_edge(ctx: Context, i: int) -> Found | None:
    found = _date_year(ctx, i)
    return found and since(ctx, i, found)


def resolve_iso(ctx: Context, i: int) -> Found | None:
    mention = ctx.mentions[i]
    m = mention.match
    date = days.safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
    if date is None:
        return None
    return with_part(ctx, i, Found(mention.start, mention.end, date, date, "day"))


def resolve_month_edge(ctx: Context, i: int) -> Found | None:
    """'月初', '下旬' alone: part of the reference month (a month named elsewhere in the sentence
    is as often another clause's: "她今年一月生子，月初出席活动")."""
    mention = ctx.mentions[i]
    year, month = ctx.ref.year, ctx.ref.month
    part = mention.match["edge"] or mention.match["xun"]
    first, last, precision = days.month_part(year, month, part)
    return Found(mention.start, mention.end, first, last, precision)


def resolve_slashed(ctx: Context, i: int) -> Found | None:
    """'03/03/2024', '24/3/2022': day first or month first, whichever reading exists and lies
    nearest the reference without passing it (both orders are common in reposted news)."""
    mention = ctx.mentions[i]
    m = mention.match
    year, a, b = int(m["year"]), int(m["a"]), int(m["b"])
    readings = {d for d in (days.safe_date(year, a, b), days.safe_date(year, b, a)) if d}
    if not readings:
        return None
    past = [d for d in readings if d <= ctx.ref]
    date = max(past) if past else min(readings)
    return with_part(ctx, i, Found(mention.start, mention.end, date, date, "day"))


def resolve_monthspan(ctx: Context, i: int) -> Found | None:
    """'去年1至11月': from the first month's start to the second's end, in one year."""
    mention = ctx.mentions[i]
    m = mention.match
    m1, m2 = parse_number(m["m1"]) or 0, parse_number(m["m2"]) or 0
    if not 1 <= m1 < m2 <= 12:
        return None
    cued = is_cued(ctx, i, forward=False)
    year = written_year(ctx, m) or _year_for(ctx, mention.start, m1, None, cued)
    last = days.month_last(year, m2)
    return since(
        ctx, i, Found(mention.start, mention.end, dt.date(year, m1, 1), last, "range", cued)
    )


def resolve_yearspan(ctx: Context, i: int) -> Found | None:
    """'2022—2023年': from the first year's start to the second's end."""
    mention = ctx.mentions[i]
    first, last = int(mention.match["y1"]), int(mention.match["y2"])
    if last <= first:
        return None
    return Found(mention.start, mention.end, dt.date(first, 1, 1), dt.date(last, 12, 31), "range")


def resolve_dayrange(ctx: Context, i: int) -> Found | None:
    mention = ctx.mentions[i]
    m = mention.match
    d1, d2 = parse_number(m["d1"]) or 1, parse_number(m["d2"]) or 1
    cued = is_cued(ctx, i, forward=False)
    if m["month"]:
        month = parse_number(m["month"]) or 1
        year = parse_number(m["year"]) if m["year"] else None
        year_month = (year or _year_for(ctx, mention.start, month, d1, cued), month)
    else:
        year_month = _month_for_day(ctx, mention.start, d1, cued)
    first, last = days.safe_date(*year_month, d1), days.safe_date(*year_month, d2)
    if first is None or last is None:
        return None
    return with_part(ctx, i, Found(mention.start, mention.end, first, last, "range", cued))
