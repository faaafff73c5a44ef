"""Since-ranges (自2014年以来, 2020年起) and counted periods (近7年来, 过去24小时内)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from dashboard.parsing.dates import days, patterns
from dashboard.parsing.dates.context import Context, Found, sentence_year
from dashboard.parsing.dates.numerals import parse_number

_SPACES_REACH = 3  # spaces between 自 and its date that still join them


def since(ctx: Context, i: int, found: Found) -> Found:
    """'自2014年以来', '2020年起', '从2008年至今': from that start to the reference."""
    if found.first > ctx.ref:
        return found
    text, start = ctx.text, ctx.mentions[i].start
    before = start  # "自 1945 年以来" reads as "自1945年以来" (a walk, not a slice of the text)
    while before and start - before < _SPACES_REACH and text[before - 1] in " \t\u00a0":
        before -= 1
    opener = before - 1 if before and text[before - 1] in "自从從" else None
    suffix = patterns.SINCE_AFTER_RE.match(text, found.end) or (
        patterns.THIS_YEAR_SO_FAR_RE.match(text, found.end)
    )
    if suffix is None and (opener is None or not patterns.SINCE_CLOSE_RE.match(text, found.end)):
        return found
    return replace(
        found,
        start=start if opener is None else opener,
        end=suffix.end() if suffix else found.end,
        last=ctx.ref,
        precision="range",
        since=True,
    )


def resolve_duration(ctx: Context, i: int) -> Found | None:
    """'近7年来', '过去24小时内': back from the day the sentence is about (or the reference)."""
    mention = ctx.mentions[i]
    n = parse_number(mention.match["n"])
    if not n:
        return None
    last = _sentence_day(ctx, i) or ctx.ref
    unit = mention.match["unit"]
    year = sentence_year(ctx, mention.start) if unit == "年" else None
    if year is not None and year < last.year:
        # "2019年，他被授予…奖，以表彰他在过去七年中…": the years before the sentence's year.
        last = dt.date(year, 12, 31)
    first = days.go_back(last, n, unit)
    # "近7年来" says about seven years, not since a day: it starts at the precision of its unit.
    if unit == "年":
        first = first.replace(month=1, day=1)
    elif unit in days.MONTH_UNITS:
        first = first.replace(day=1)
    return Found(mention.start, mention.end, first, last, "day" if first == last else "range")


def _sentence_day(ctx: Context, i: int) -> dt.date | None:
    """The day last resolved, when it lies in the sentence of mention i."""
    # Founds start further on as they go: when the last day starts in this sentence, so does
    # all found after it, and a walk back through them would stop at it; when it starts
    # before, the walk would cross the sentence start first. Either way no walk is needed.
    here, day = ctx.mentions[i], ctx.last_day
    first = ctx.marks.sentence_bounds(here.start, here.end)[0]
    return day.first if day is not None and day.start >= first else None
