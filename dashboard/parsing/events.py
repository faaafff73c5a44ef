"""Dated events: each article's publication, and every dated happening its text mentions.

Mentioned dates are resolved against the publication instant in the outlet's own time zone
(RFA in New York, RFI in Paris, Al Jazeera in Doha), never the server's.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pandas as pd

from dashboard.parsing import outlets, text
from dashboard.parsing.articles import Article, Published
from dashboard.parsing.dates import TimeExpression, find_expressions
from dashboard.parsing.faults import FILE_BUDGET_SECONDS, Degraded, describe, within

log = logging.getLogger(__name__)

Kind = Literal["published", "mentioned"]
# An expression that names its own month or year ("3月24日", "2022年") does not need the day
# of publication; one that does not ("周四", "昨天") does.
EXPLICIT_DATE = re.compile(r"[0-9０-９〇零一二两三四五六七八九十]+\s*[年月]")
# Publication precision → the calendar precision of its event.
CALENDAR_PRECISION = {
    "second": "day",
    "minute": "day",
    "day": "day",
    "month": "month",
    "year": "year",
}
EVENT_COLUMNS = (
    "id",
    "article",
    "outlet",
    "kind",
    "start",
    "end",
    "precision",
    "expression",
    "sentence",
    "tense",
    "detail",
    "offset",
    "reference",
    "reference_precision",
    "inferred",
)
DATE_COLUMNS = ("start", "end", "reference")


@dataclass(frozen=True)
class Event:
    id: str
    article: str
    outlet: str
    kind: Kind
    start: date
    end: date
    precision: str
    expression: str
    sentence: str
    tense: str
    detail: str | None
    offset: int | None  # where the expression starts in the article's plain text
    reference: date  # the publication date it was resolved against (local)
    reference_precision: str
    inferred: bool  # the reference date was inferred, not stated

    def as_dict(self) -> dict[str, Any]:
        # Every field is immutable, so no copy is needed: dataclasses.asdict deep-copies each
        # value and cost more than building the events.
        data = {name: getattr(self, name) for name in EVENT_COLUMNS}
        for key in DATE_COLUMNS:
            data[key] = data[key].isoformat()
        return data


def local_reference(published: Published, tz: str) -> datetime:
    """The publication instant as the outlet's readers saw it; calendar dates stay as written."""
    if published.precision in ("day", "month", "year"):
        return published.instant.replace(tzinfo=None)
    try:
        return published.instant.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    except OverflowError:  # within hours of year 1 or 9999: the UTC day is as close as it gets
        return published.instant.replace(tzinfo=None)


def article_events(article: Article, default_tz: str) -> list[Event]:
    """The publication event of an article, then one event per resolved expression."""
    reference = local_reference(article.published, _tz(article, default_tz))
    events = [_published_event(article, reference)]
    spans = text.sentence_spans(article.text)
    starts = [s for s, _ in spans]
    vague = article.published.precision in ("month", "year")
    for n, found in enumerate(find_expressions(article.text, reference), start=1):
        if vague and not EXPLICIT_DATE.search(found.text):
            # Against a month-precision reference, 周四 or 昨天 could be any of thirty days.
            continue
        sentence = _sentence_at(article.text, spans, starts, found.offset)
        events.append(_mentioned_event(article, reference, found, sentence, n))
    return events


def _published_event(article: Article, reference: datetime) -> Event:
    day = reference.date()
    return Event(
        id=f"{article.id}#published",
        article=article.id,
        outlet=article.outlet,
        kind="published",
        start=day,
        end=_period_end(day, article.published.precision),
        precision=CALENDAR_PRECISION[article.published.precision],
        expression=article.published.evidence,
        sentence=article.title,
        tense="past",
        detail=article.published.source,
        offset=None,
        reference=day,
        reference_precision=article.published.precision,
        inferred=article.published.inferred,
    )


def _period_end(day: date, precision: str) -> date:
    if precision == "month":
        if day.month == 12:  # also keeps December 9999 inside the calendar
            return date(day.year, 12, 31)
        return date.fromordinal(date(day.year, day.month + 1, 1).toordinal() - 1)
    if precision == "year":
        return date(day.year, 12, 31)
    return day


def _mentioned_event(
    article: Article, reference: datetime, found: TimeExpression, sentence: str, n: int
) -> Event:
    return Event(
        id=f"{article.id}#m{n}",
        article=article.id,
        outlet=article.outlet,
        kind="mentioned",
        start=found.start,
        end=found.end,
        precision=found.precision,
        expression=found.text,
        sentence=sentence,
        tense=found.tense,
        detail=found.detail,
        offset=found.offset,
        reference=reference.date(),
        reference_precision=article.published.precision,
        inferred=article.published.inferred,
    )


def _sentence_at(plain: str, spans: list[tuple[int, int]], starts: list[int], offset: int) -> str:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        return plain[spans[i][0] : spans[i][1]]
    return plain[max(0, offset - 40) : offset + 40].strip()


def build_events(
    articles: Iterable[Article], default_tz: str, degraded: list[Degraded] | None = None
) -> list[Event]:
    """All events of all articles, in article order. An article whose mentioned dates fail or
    run past their budget keeps its publication event, and leaves a line in ``degraded``."""
    notes: list[Degraded] = [] if degraded is None else degraded
    return [event for article in articles for event in guarded_events(article, default_tz, notes)]


def guarded_events(article: Article, default_tz: str, notes: list[Degraded]) -> list[Event]:
    try:
        events, expired = within(FILE_BUDGET_SECONDS, lambda: article_events(article, default_tz))
        why = str(expired)
    except Exception as exc:  # one article's text never costs the corpus its timeline
        log.warning("%s: events failed", article.source_path, exc_info=True)
        events, why = None, describe(exc)
    if events is not None:
        return events
    notes.append(Degraded(article.source_path, "events", f"mentioned dates not resolved: {why}"))
    return [_published_event(article, local_reference(article.published, _tz(article, default_tz)))]


def _tz(article: Article, default_tz: str) -> str:
    outlet = outlets.get(article.outlet)
    return outlet.tz if outlet and outlet.tz else default_tz


def events_frame(events: list[Event]) -> pd.DataFrame:
    """The events table: one row per event, dates as datetime64 for filtering and plotting."""
    # Built by column, not from one dict per event: the same frame (dtypes included), a fifth
    # of the time. No events keeps the record path, whose empty columns are of dtype object.
    columns: dict[str, list[Any]] = {
        name: [getattr(e, name) for e in events] for name in EVENT_COLUMNS
    }
    for name in DATE_COLUMNS:
        columns[name] = [day.isoformat() for day in columns[name]]
    frame = pd.DataFrame(columns if events else [], columns=list(EVENT_COLUMNS))
    for name in DATE_COLUMNS:
        frame[name] = pd.to_datetime(frame[name])
    return frame
