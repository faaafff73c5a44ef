from __future__ import annotations

from dataclasses import asdict, fields, replace
from datetime import UTC, date, datetime

import pandas as pd

from dashboard.config import BUNDLED_CORPUS
from dashboard.parsing.articles import Published
from dashboard.parsing.corpus import read_corpus
from dashboard.parsing.events import (
    EVENT_COLUMNS,
    Event,
    article_events,
    build_events,
    events_frame,
    local_reference,
)

RFA, AJ_JAN = "000_6870c681a42abc3f", "003_9be81c0ca1c2c4ce"


def seeds():  # type: ignore[no-untyped-def]
    return {a.id: a for a in read_corpus(BUNDLED_CORPUS, "Asia/Shanghai").articles}


def test_one_published_event_per_article_then_mentions() -> None:
    articles = seeds()
    events = build_events(articles.values(), "Asia/Shanghai")
    published = [e for e in events if e.kind == "published"]
    assert sorted(e.article for e in published) == sorted(articles)
    assert all(e.id.endswith("#published") for e in published)
    assert len({e.id for e in events}) == len(events)


def test_seed_003_holds_the_five_happenings_of_its_first_paragraphs() -> None:
    events = article_events(seeds()[AJ_JAN], "Asia/Shanghai")
    found = {
        (e.expression.replace(" ", ""), e.start, e.end, e.precision)
        for e in events
        if e.kind == "mentioned"
    }
    assert ("周五", date(2021, 12, 31), date(2021, 12, 31), "day") in found
    assert ("此前一天", date(2021, 12, 30), date(2021, 12, 30), "day") in found
    assert ("2022年1月12日", date(2022, 1, 12), date(2022, 1, 12), "day") in found
    starts = {e.start for e in events if e.kind == "mentioned"}
    assert {date(2022, 1, 9), date(2022, 1, 10), date(2022, 1, 13)} <= starts


def test_events_carry_their_sentence_and_expression() -> None:
    for event in article_events(seeds()[AJ_JAN], "Asia/Shanghai"):
        if event.kind == "mentioned":
            assert event.expression.replace(" ", "") in event.sentence.replace(" ", "")
            assert event.offset is not None and event.reference == date(2022, 1, 1)


def test_quantities_give_no_event() -> None:
    expressions = {e.expression for e in article_events(seeds()[RFA], "Asia/Shanghai")}
    assert not any("战斗群" in x or "个" in x for x in expressions)


def test_reference_is_the_outlets_local_day_not_the_servers() -> None:
    rfa = seeds()[RFA]
    # 02:00 UTC on the 25th is still the evening of the 24th in New York.
    late = replace(
        rfa,
        published=Published(
            datetime(2022, 3, 25, 2, 0, tzinfo=UTC), "second", "epoch-comment", "x"
        ),
    )
    assert local_reference(late.published, "America/New_York").date() == date(2022, 3, 24)
    events = article_events(late, "Asia/Shanghai")
    assert events[0].start == date(2022, 3, 24)
    assert any(e.expression == "今天" and e.start == date(2022, 3, 24) for e in events)


def test_calendar_dates_are_not_shifted_by_zones() -> None:
    day = Published(datetime(2022, 3, 24, tzinfo=UTC), "day", "report-text", "x", inferred=True)
    assert local_reference(day, "America/Los_Angeles").date() == date(2022, 3, 24)


def test_month_precision_publication_spans_its_month() -> None:
    rfa = seeds()[RFA]
    monthly = replace(
        rfa,
        published=Published(
            datetime(2022, 2, 1, tzinfo=UTC),
            "month",
            "gnews-id",
            "GNews post 2000000",
            inferred=True,
        ),
    )
    event = article_events(monthly, "UTC")[0]
    assert (event.start, event.end, event.precision) == (
        date(2022, 2, 1),
        date(2022, 2, 28),
        "month",
    )
    assert event.inferred


def test_events_frame_has_the_documented_columns() -> None:
    frame = events_frame(build_events(seeds().values(), "Asia/Shanghai"))
    for column in (
        "id",
        "article",
        "outlet",
        "kind",
        "start",
        "end",
        "precision",
        "expression",
        "sentence",
    ):
        assert column in frame.columns
    assert str(frame["start"].dtype).startswith("datetime64")


def test_as_dict_and_the_frame_carry_every_field_in_order() -> None:
    assert tuple(f.name for f in fields(Event)) == EVENT_COLUMNS
    events = build_events(seeds().values(), "Asia/Shanghai")
    dates = ("start", "end", "reference")
    assert all(
        e.as_dict() == asdict(e) | {k: getattr(e, k).isoformat() for k in dates} for e in events
    )


def test_events_frame_is_the_frame_of_the_records() -> None:
    # Built by column for speed; it must stay the frame pandas makes from the records, dtypes
    # and missing values included (an article of only its publication event, and no events).
    def by_records(events: list[Event]) -> pd.DataFrame:
        frame = pd.DataFrame([e.as_dict() for e in events], columns=list(EVENT_COLUMNS))
        for column in ("start", "end", "reference"):
            frame[column] = pd.to_datetime(frame[column])
        return frame

    events = build_events(seeds().values(), "Asia/Shanghai")
    for sample in (events, events[:1], [e for e in events if e.kind == "published"], []):
        pd.testing.assert_frame_equal(events_frame(sample), by_records(sample), check_exact=True)
