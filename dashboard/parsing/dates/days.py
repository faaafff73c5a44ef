"""Calendar arithmetic for the resolver: months, weeks, parts of months and years, counts back.

Every function raises ValueError or OverflowError when a result would leave date.min..date.max,
as datetime does; the resolver drops such a mention as a whole.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from typing import Literal

Precision = Literal["day", "week", "month", "year", "range"]
# Parts of a month, about ten days each.
XUN = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31), "初": (1, 10), "底": (21, 31)}
XUN |= {"末": (21, 31), "中": (11, 20)}
SEASON_MONTH = {"春": 3, "夏": 6, "秋": 9, "冬": 12}
WEEK_UNITS = ("周", "週", "星期", "个星期", "個星期")
HOUR_UNITS = ("小时", "小時", "个小时", "個小時")
MONTH_UNITS = ("月", "个月", "個月")


def month_last(year: int, month: int) -> dt.date:
    """Last day of the month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day so many months later (or earlier), clamped to the month's end."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month0 + 1, min(day.day, month_last(year, month0 + 1).day))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day so many years later (or earlier); 29 February becomes the 28th."""
    return add_months(day, 12 * years)


def clamped_add(day: dt.date, delta: dt.timedelta) -> dt.date:
    """day + delta, held at date.min / date.max: a bound that any calendar date compares with."""
    try:
        return day + delta
    except OverflowError:
        return dt.date.max if delta > dt.timedelta(0) else dt.date.min


def latest_year(month: int, limit: dt.date) -> int:
    """The last year whose month begins on or before limit."""
    return limit.year if month <= limit.month else limit.year - 1


def monday(day: dt.date) -> dt.date:
    """Monday of the week containing day."""
    return day - dt.timedelta(days=day.weekday())


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist (31 April)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def day_span(year: int, month: int, day: int | None) -> tuple[dt.date, dt.date]:
    """First and last day of a month, or the day itself (clamped to the month's end)."""
    if day is None:
        return dt.date(year, month, 1), month_last(year, month)
    date = safe_date(year, month, day) or month_last(year, month)
    return date, date


def nearest_year(
    ref: dt.date, month: int, day: int | None, future: bool, window: dt.timedelta
) -> int:
    """Year of an undated month(-day): latest within window after ref, or first not before it."""
    years = [year for year in (ref.year - 1, ref.year, ref.year + 1) if year >= dt.MINYEAR]
    spans = [(year, *day_span(year, month, day)) for year in years if year <= dt.MAXYEAR]
    if future:
        return next((year for year, _, last in spans if last >= ref), ref.year)
    limit = clamped_add(ref, window)
    return max((year for year, first, _ in spans if first <= limit), default=ref.year)


def year_part(
    year: int, edge: str | None, season: str | None
) -> tuple[dt.date, dt.date, Precision]:
    """年初 / 年底 as January / December (month precision); 年中 and a season as ranges."""
    if edge == "中":
        return dt.date(year, 6, 1), dt.date(year, 7, 31), "range"
    if season:
        first = dt.date(year, SEASON_MONTH[season[0]], 1)
        last = add_months(first, 2)
        return first, month_last(last.year, last.month), "range"
    month = 1 if edge == "初" else 12
    return dt.date(year, month, 1), month_last(year, month), "month"


def month_part(year: int, month: int, edge: str | None) -> tuple[dt.date, dt.date, Precision]:
    """A month, or a part of it (月初 / 上旬, 中旬, 月底 / 下旬: a range of about ten days)."""
    first, last = dt.date(year, month, 1), month_last(year, month)
    if edge not in XUN:
        return first, last, "month"
    low, high = XUN[edge]
    return first.replace(day=low), first.replace(day=high) if high < 28 else last, "range"


def ago_span(ref: dt.date, n: int, unit: str) -> tuple[dt.date, dt.date, Precision]:
    """'N天前' (a day), 'N周前' (a week), 'N个月前' (a month), 'N年前' (a year), back from ref."""
    if unit == "天":
        day = ref - dt.timedelta(days=n)
        return day, day, "day"
    if unit == "年":
        return dt.date(ref.year - n, 1, 1), dt.date(ref.year - n, 12, 31), "year"
    if unit in WEEK_UNITS:  # 一周前: the week that held the day a week back
        first = ref - dt.timedelta(days=7 * n + ref.weekday())
        return first, first + dt.timedelta(days=6), "week"
    first = add_months(ref.replace(day=1), -n)
    return first, month_last(first.year, first.month), "month"


def nearest_weekday(ref: dt.date, weekday: int, future: bool) -> dt.date:
    """The nearest such weekday on or before ref, or on or after it when future."""
    if future:
        return ref + dt.timedelta(days=(weekday - ref.weekday()) % 7)
    return ref - dt.timedelta(days=(ref.weekday() - weekday) % 7)


def go_back(day: dt.date, n: int, unit: str) -> dt.date:
    """day minus n years, months, weeks, days or hours (hours round up to whole days)."""
    if unit == "年":
        return add_years(day, -n)
    if unit in MONTH_UNITS:
        return add_months(day, -n)
    if unit in WEEK_UNITS:
        return day - dt.timedelta(weeks=n)
    if unit in HOUR_UNITS and n < 24:
        return day  # 过去7小时内: within the day the text is about
    if unit in HOUR_UNITS:
        return day - dt.timedelta(days=math.ceil(n / 24))
    return day - dt.timedelta(days=n)
