"""Words relative to the reference or the narrative: weeks, weekdays, 今天, 昨天, 两年前."""

from __future__ import annotations

import datetime as dt

from dashboard.parsing.dates import cues, days, patterns
from dashboard.parsing.dates.anaphora import anaphor_base, told_day
from dashboard.parsing.dates.context import (
    Context,
    Found,
    is_cued,
    next_is_date,
    sentence_year,
    with_part,
)
from dashboard.parsing.dates.mentions import opens_clause
from dashboard.parsing.dates.numerals import approximate, parse_number
from dashboard.parsing.dates.ranges import since


def resolve_weekday(ctx: Context, i: int) -> Found:
    mention = ctx.mentions[i]
    weekday, prefix = (
        patterns.WEEKDAY[mention.match["wd"]],
        mention.match["pre"] or _list_prefix(ctx, i),
    )
    partner, cued = _partner_day(ctx, i), False
    if partner is not None:
        day = partner
    elif prefix:
        shift = patterns.WEEK_SHIFT.get(prefix, 0)
        if shift == -1 and ctx.ref.weekday() == 6 and weekday < 6:
            # On a Sunday, 上周六 is yesterday: read with weeks that start on Sunday, as in
            # Hong Kong and Taiwan and in much mainland usage, the week just ending is "last week".
            shift = 0
        day = days.monday(ctx.ref) + dt.timedelta(weeks=shift, days=weekday)
    else:
        cued = is_cued(ctx, i, forward=True) or mention.start < ctx.future_until
        day = days.nearest_weekday(ctx.ref, weekday, cued)
        if cued:  # "周三，俄罗斯将…，周四，…": the rest of the sentence looks ahead too
            ctx.future_until = ctx.marks.sentence_bounds(mention.start, mention.end)[1]
    found = Found(mention.start, mention.end, day, day, "day", cued)
    return since(ctx, i, with_part(ctx, i, found))


def _list_prefix(ctx: Context, i: int) -> str | None:
    """'上周五和周六': the second weekday shares the week of the first."""
    if i == 0 or ctx.mentions[i - 1].kind != "weekday":
        return None
    prev = ctx.mentions[i - 1]
    joined = patterns.LIST_GAP_RE.fullmatch(ctx.text, prev.end, ctx.mentions[i].start)
    return prev.match["pre"] if joined else None


def _partner_day(ctx: Context, i: int) -> dt.date | None:
    """The explicit date written right next to a weekday: '周五(1月21日)', '2月25日周五'."""
    prev = ctx.found.get(i - 1)
    if (
        prev is not None
        and prev.precision == "day"
        and ctx.mentions[i - 1].kind != "weekday"
        and patterns.PAIR_GAP_RE.fullmatch(ctx.text, prev.end, ctx.mentions[i].start)
    ):
        return prev.first
    if next_is_date(ctx, i, patterns.PAIR_GAP_RE):
        nxt = ctx.resolve(i + 1)
        return nxt.first if nxt is not None and nxt.precision == "day" else None
    return None


def resolve_week(ctx: Context, i: int) -> Found:
    mention = ctx.mentions[i]
    first = days.monday(ctx.ref) + dt.timedelta(
        weeks=patterns.WEEK_SHIFT.get(mention.match["pre"], 0)
    )
    return Found(mention.start, mention.end, first, first + dt.timedelta(days=6), "week")


def resolve_weekend(ctx: Context, i: int) -> Found:
    mention, ref = ctx.mentions[i], ctx.ref
    if mention.match["pre"]:
        shift = patterns.WEEK_SHIFT.get(mention.match["pre"], 0)
        if shift == 0 and ref.weekday() < 5 and cues.told_as_past(ctx.text, mention.end):
            shift = -1  # "哈马斯在本周末袭击了以色列", written on a Thursday: the weekend just gone
    else:  # a bare 周末 is the last one, unless it is under way or announced
        shift = 0 if ref.weekday() >= 5 or is_cued(ctx, i, forward=True) else -1
    saturday = days.monday(ref) + dt.timedelta(weeks=shift, days=5)
    return Found(mention.start, mention.end, saturday, saturday + dt.timedelta(days=1), "range")


def resolve_relday(ctx: Context, i: int) -> Found:
    mention = ctx.mentions[i]
    word, cued = mention.match.group(0), False
    if mention.match["rel"]:
        shift = patterns.REL_SHIFT[mention.match["rel"]]
        day = _numbered(ctx.ref + dt.timedelta(days=shift), int(mention.match["n"]))
    elif word in patterns.DAY_SHIFT:
        shift = patterns.DAY_SHIFT[word]
        day = _relday_partner(ctx, i, shift) or ctx.ref + dt.timedelta(days=shift)
    else:
        cued = cues.cue_before(ctx.text, mention.start)
        base = anaphor_base(ctx, mention.start, cued, stepping=word in patterns.STEP_DAY)
        day = base + dt.timedelta(days=patterns.STEP_DAY.get(word, 0))
    found = Found(mention.start, mention.end, day, day, "day", cued, patterns.WORD_DETAIL.get(word))
    return found if found.detail else with_part(ctx, i, found)


def _numbered(near: dt.date, number: int) -> dt.date:
    """The day numbered so nearest to near: 今（19）日 trusts its number over the reference."""
    if near.day == number:
        return near
    month = near.replace(day=1)
    options = [days.add_months(month, shift) for shift in (-1, 0, 1)]
    dates = [d for m in options if (d := days.safe_date(m.year, m.month, number)) is not None]
    return min(dates, key=lambda d: abs((d - near).days), default=near)


def _relday_partner(ctx: Context, i: int, shift: int) -> dt.date | None:
    """'明天（周一）', '昨天（8日）': the bracketed day says which day is meant."""
    if i + 1 >= len(ctx.mentions):
        return None
    nxt = ctx.mentions[i + 1]
    if not patterns.PAIR_GAP_RE.fullmatch(ctx.text, ctx.mentions[i].end, nxt.start):
        return None
    if nxt.kind == "weekday" and not nxt.match["pre"]:
        return days.nearest_weekday(ctx.ref, patterns.WEEKDAY[nxt.match["wd"]], future=shift > 0)
    if nxt.kind in ("date", "iso"):
        found = ctx.resolve(i + 1)
        return found.first if found is not None and found.precision == "day" else None
    return None


def resolve_ago(ctx: Context, i: int) -> Found | None:
    """'10天前', '两年前', '三个月前' back from the reference; '两天后' on from the narrative's day.

    Approximate counts (两三天前, 四五年前, 十几年前) cover every day of the counts they allow.
    """
    mention = ctx.mentions[i]
    m = mention.match
    low, high = approximate(m["n"]) or (parse_number(m["n"]) or 0,) * 2
    year = sentence_year(ctx, mention.start) if m["unit"] == "年" else None
    if year is not None and low == high:
        # "2000年，…俄罗斯一年前…", "2015年…七年以后": counted from the year the sentence is in.
        counted = year - low if m["dir"] == "前" else year + low
        return Found(
            mention.start, mention.end, dt.date(counted, 1, 1), dt.date(counted, 12, 31), "year"
        )
    if m["dir"] != "前":
        # "两天后，…" opening a clause steps on from the day the narrative is on; after a future
        # cue ("预计这艘船将在两天后抵达") from the writer's today. Otherwise ("停工两天后复工"),
        # and for months and years ("两年后"), it names no day the reader could place.
        base = (
            told_day(ctx, mention.start, False, True)
            if opens_clause(ctx.text, mention.start)
            else None
        )
        if base is None and cues.cue_before(ctx.text, mention.start):
            base = ctx.ref
        if m["unit"] != "天" or base is None or low != high:
            return None
        day = base + dt.timedelta(days=low)
        return Found(mention.start, mention.end, day, day, "day", day > ctx.ref)
    first = days.ago_span(ctx.ref, high, m["unit"])[0]
    last, precision = days.ago_span(ctx.ref, low, m["unit"])[1:]
    found = Found(mention.start, mention.end, first, last, precision if low == high else "range")
    return since(ctx, i, found)  # 自两年前…以来
