"""Anaphora (同日, 当天, 前一天, 次日): which earlier day each may refer to."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from dashboard.parsing.dates.context import AnaphorQuery, Context


@dataclass(frozen=True)
class Anchor:
    day: dt.date
    cued: bool
    quoted: bool
    stepped: bool  # came from 前一天 / 次日: never the base of another step


ANAPHOR_QUERIES: tuple[AnaphorQuery, ...] = tuple(
    itertools.product((False, True), (False, True), (False, True))
)


def told_day(ctx: Context, pos: int, cued: bool, stepping: bool) -> dt.date | None:
    """The day 同日 / 前一天 refer to: the last one told of (not announced) outside quotes."""
    return ctx.bases.get((stepping, cued, ctx.marks.quoted(pos)))


def anaphor_base(ctx: Context, pos: int, cued: bool, stepping: bool) -> dt.date:
    """That day, or the reference when the text has told of none."""
    return told_day(ctx, pos, cued, stepping) or ctx.ref


def serves(ctx: Context, anchor: Anchor, stepping: bool, cued: bool, inside: bool) -> bool:
    """Whether an anaphor so placed may refer to the day of anchor."""
    if stepping and anchor.stepped:
        return False
    if not cued and (anchor.cued or anchor.day > ctx.ref):
        return False
    return inside or not anchor.quoted
