"""The boundary: values from a request made safe before any work is done on them.

A callback request can carry anything, not only what the controls would send: a list of 80,000
items, a number where a string belongs, a lone surrogate that no encoder accepts, a date in the
year 9999. Each helper here takes any JSON value and returns one of the expected type and size,
linear in the input, never raising; what it changed the caller may turn into a notice.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from typing import Any

# Lone surrogates (no UTF-8 encoder takes them) and control characters other than tab and
# newline (a search box never sends them; they would only reach logs and exports).
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_TEXT = 2000
# The dates the timeline can show: dated events never reach before the year 1000 (the date
# resolver's window) and no publication date after 2200 is believed (pubdate's plausible span).
EARLIEST = date(1000, 1, 1)
LATEST = date(2200, 12, 31)


def text(value: Any, limit: int = MAX_TEXT) -> str:
    """A string of at most ``limit`` characters without surrogates or control characters; a
    value that is not a string is empty."""
    if not isinstance(value, str):
        return ""
    return UNSAFE_CHARACTERS.sub("", value[: limit * 2])[:limit]


def choices(value: Any, allowed: Collection[str]) -> list[str]:
    """The known values of a list control, in order, each once: a list longer than the known
    values is cut to them, and anything else in it is dropped."""
    if not isinstance(value, list):
        return []
    kept: dict[str, None] = {}
    for item in value:
        if isinstance(item, str) and item in allowed:
            kept[item] = None
            if len(kept) == len(allowed):
                break
    return list(kept)


def within_calendar(day: date, name: str, notices: list[str]) -> date:
    """The day, clamped to the dates the timeline can show, with a notice when it was."""
    if EARLIEST <= day <= LATEST:
        return day
    bound = EARLIEST if day < EARLIEST else LATEST
    notices.append(
        f"“{name}” {day.isoformat()} is outside the dates the timeline shows "
        f"({EARLIEST.isoformat()} – {LATEST.isoformat()}): read as {bound.isoformat()}"
    )
    return bound


def iso_day(value: Any, name: str, notices: list[str]) -> date | None:
    """A YYYY-MM-DD date (clamped to the calendar shown), or None with a notice."""
    raw = text(value, 40).strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        notices.append(f"“{name}” is not a date (YYYY-MM-DD): {raw!r} ignored")
        return None
    return within_calendar(day, name, notices)
