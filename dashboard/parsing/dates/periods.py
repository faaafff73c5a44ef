"""Periods longer than a month: quarters and halves of a year, decades and centuries."""

from __future__ import annotations

import datetime as dt
import re

from dashboard.parsing.dates import days
from dashboard.parsing.dates.absolute import written_year
from dashboard.parsing.dates.context import Context, Found, sentence_year
from dashboard.parsing.dates.numerals import parse_number
from dashboard.parsing.dates.ranges import since

# Years of a decade that its parts cover: 九十年代初 is 1990-1992, 中期 1994-1996, 末 1997-1999.
_DECADE_PARTS = {"初": (0, 2), "初期": (0, 2), "早期": (0, 2), "中期": (4, 6), "中叶": (4, 6)}
_DECADE_PARTS |= {"中葉": (4, 6), "末": (7, 9), "末期": (7, 9), "后期": (7, 9), "後期": (7, 9)}
_DECADE_PARTS |= {"晚期": (7, 9)}
# Years of a century that its parts cover: 20世纪初 is 1901-1910, 20世纪末 1991-2000.
_CENTURY_PARTS = {"初": (1, 10), "初期": (1, 10), "末": (91, 100), "末期": (91, 100)}
_LAST_CENTURY = ("上世纪", "上世紀", "上个世纪", "上個世紀")


def resolve_quarter(ctx: Context, i: int) -> Found | None:
    """'2024年第一季度', '去年上半年', '一季度' (this year's): a range of three or six months."""
    mention = ctx.mentions[i]
    m = mention.match
    year = written_year(ctx, m) or sentence_year(ctx, mention.start) or ctx.ref.year
    if m["half"]:
        first_month, months = (1 if m["half"] == "上半年" else 7), 6
    elif m["qn"]:  # 前三季度: the first three quarters
        first_month, months = 1, 3 * (parse_number(m["qn"]) or 1)
    elif m["fn"]:  # 前6周, 今年前两个月: the first weeks or months of the year
        count = parse_number(m["fn"]) or 1
        if m["fu"] in ("周", "週"):
            first = dt.date(year, 1, 1)
            last = first + dt.timedelta(days=7 * count - 1)
            return since(ctx, i, Found(mention.start, mention.end, first, last, "range"))
        first_month, months = 1, min(count, 12)
    else:
        quarter = parse_number(m["q"] or m["q2"] or m["q3"]) or 1
        first_month, months = 3 * quarter - 2, 3
    first = dt.date(year, first_month, 1)
    last_month = days.add_months(first, months - 1)
    last = days.month_last(last_month.year, last_month.month)
    if m["edge"] == "初":  # 第二季初: the first ten days, like 月初
        last = first.replace(day=10)
    elif m["edge"]:  # 第二季末: the last ten days of its last month
        first = last_month.replace(day=21)
    return since(ctx, i, Found(mention.start, mention.end, first, last, "range"))


def resolve_decade(ctx: Context, i: int) -> Found | None:
    """'上世纪90年代', '九十年代初', '1990年代', '20世纪', '本世纪': a range of whole years."""
    mention = ctx.mentions[i]
    m = mention.match
    if m["full"] or m["dec"]:
        first_year = _decade(ctx.ref.year, m)
        low, high = _DECADE_PARTS.get(m["part"] or "", (0, 9))
        first, last = first_year + low, first_year + high
        if m["dec0"]:  # 二三十年代: the 1920s and the 1930s
            earlier = 10 * (parse_number(m["dec0"]) or 0)
            first = first_year - (first_year % 100) + earlier + low
    else:
        century = _century(ctx.ref.year, m["cword2"], m["century2"])
        if century is None:
            return None
        start = 100 * (century - 1)
        low, high = _CENTURY_PARTS.get(m["cpart"] or "", (1, 100))
        first, last = start + low, start + high
    found = Found(mention.start, mention.end, dt.date(first, 1, 1), dt.date(last, 12, 31), "range")
    return since(ctx, i, found)


def _decade(ref_year: int, m: re.Match[str]) -> int:
    """First year of the decade: written in full, or in the century named, or the latest one."""
    groups = m.groupdict()
    if groups["full"]:
        return int(groups["full"])
    word = groups["dec"]
    if groups["dec0"]:  # 二三十年代, 五、六十年代: the later decade of the two
        word = word[len(groups["dec0"]) :].lstrip("、")
    tens = parse_number(word) or 0
    century = _century(ref_year, groups["cword"], groups["century"])
    if century is not None:
        return 100 * (century - 1) + tens
    # "90年代" alone: the latest such decade that has begun by the reference year.
    this = ref_year - ref_year % 100 + tens
    return this if this <= ref_year else this - 100


def _century(ref_year: int, word: str | None, number: str | None) -> int | None:
    """The century meant: 20世纪 is the 20th, 上世纪 the one before the reference's."""
    current = (ref_year - 1) // 100 + 1
    if word:
        return current - 1 if word in _LAST_CENTURY else current
    return parse_number(number) if number else None
