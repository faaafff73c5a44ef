"""Holidays: one year's 元旦, 春节, 中秋, 圣诞节 ..., on the solar, lunar or solar-term calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from borax.calendars.lunardate import LunarDate

from dashboard.parsing.dates import cues
from dashboard.parsing.dates.absolute import written_year
from dashboard.parsing.dates.context import FUTURE_WINDOW, Context, Found, is_cued

# A holiday is the coming one while it lies within FUTURE_WINDOW (as an undated month is:
# "春节前夕" on 1 January, "元旦" in late December), unless its clause tells it in the past;
# further ahead it is last year's ("春节期间" in a March article).


def _lunar(month: int, day: int) -> Callable[[int], dt.date]:
    return lambda year: LunarDate(year, month, day).to_solar_date()


def _solar(month: int, day: int) -> Callable[[int], dt.date]:
    return lambda year: dt.date(year, month, day)


def _new_year_eve(year: int) -> dt.date:
    return LunarDate(year, 1, 1).to_solar_date() - dt.timedelta(days=1)


def _qingming(year: int) -> dt.date:
    from borax.calendars.festivals2 import TermFestival  # 4 ms to import: only when needed

    return TermFestival(name="清明").at(year)


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _thanksgiving(year: int) -> dt.date:
    """The fourth Thursday of November (the United States')."""
    first = dt.date(year, 11, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)


_DAYS: dict[str, Callable[[int], dt.date]] = {
    "元旦": _solar(1, 1),
    "春节": _lunar(1, 1),
    "农历新年": _lunar(1, 1),
    "除夕": _new_year_eve,
    "元宵": _lunar(1, 15),
    "端午": _lunar(5, 5),
    "中秋": _lunar(8, 15),
    "清明": _qingming,
    "国庆": _solar(10, 1),  # the PRC's; Taiwan's 双十 (10 October) is written 双十
    "圣诞": _solar(12, 25),
    "平安夜": _solar(12, 24),
    "情人": _solar(2, 14),
    "劳动": _solar(5, 1),
    "五一劳动": _solar(5, 1),
    "感恩": _thanksgiving,
    "复活": _easter,
}
_TRADITIONAL = str.maketrans("節慶誕動復農曆", "节庆诞动复农历")


def _key(name: str) -> str:
    """The table's key of a written name: 春節 → 春节, 中秋节 → 中秋, 国庆日 → 国庆."""
    name = name.translate(_TRADITIONAL)
    for suffix in ("节", "日"):
        if name.endswith(suffix) and name[: -len(suffix)] in _DAYS:
            return name[: -len(suffix)]
    return name


def resolve_holiday(ctx: Context, i: int) -> Found | None:
    """One year's holiday (its own day; 前夕 the day before): the year named, or the coming one
    within FUTURE_WINDOW (or after a cue), else the last one."""
    mention = ctx.mentions[i]
    m = mention.match
    day_of = _DAYS.get(_key(m["name"]))
    if day_of is None:
        return None
    cued = is_cued(ctx, i, forward=True)
    year = written_year(ctx, m)
    if year is not None:
        day = day_of(year)
    else:
        options = [day_of(y) for y in (ctx.ref.year - 1, ctx.ref.year, ctx.ref.year + 1)]
        ahead = [d for d in options if d >= ctx.ref]
        near = max(d for d in options if d <= ctx.ref + FUTURE_WINDOW)
        if near > ctx.ref and cues.told_as_past(ctx.text, mention.end):
            near = max(d for d in options if d <= ctx.ref)  # "春节期间发生了…" in January
        day = ahead[0] if cued and ahead else near
    if m["eve"]:
        day -= dt.timedelta(days=1)
    return Found(mention.start, mention.end, day, day, "day", cued)
