from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.parsing import pubdate
from dashboard.parsing.articles import EARLIEST_YEAR, LATEST_YEAR, Candidate, Published


def test_epoch_comment_is_utc_milliseconds() -> None:
    found = pubdate.extract_epoch("<!--1648146660000-->\n[t](u)")
    assert found is not None
    assert found.when == datetime(2022, 3, 24, 18, 31, tzinfo=UTC)
    assert (found.precision, found.source) == ("second", "epoch-comment")


def test_front_matter_values() -> None:
    rfc = pubdate.parse_datetime("Sat, 01 Jan 2022 06:08:53 GMT", "front-matter")
    assert rfc is not None and rfc.when == datetime(2022, 1, 1, 6, 8, 53, tzinfo=UTC)
    iso = pubdate.parse_datetime("2019-11-02T03:09:15+01:00", "front-matter")
    assert iso is not None and iso.when.utcoffset() is not None
    day = pubdate.parse_datetime("2022-03-20", "front-matter")
    assert day is not None and day.precision == "day"
    assert pubdate.parse_datetime("not a date", "front-matter") is None
    assert pubdate.parse_datetime("2022-13-45", "front-matter") is None


def test_rfi_dateline_is_paris_local_time() -> None:
    found = pubdate.extract_dateline("<div>24/03/2022 - 20:59</div><p>正文</p>")
    assert found is not None and found.when.tzinfo is None
    published = pubdate.choose([found], "Europe/Paris")
    assert published is not None
    assert published.instant == datetime(2022, 3, 24, 19, 59, tzinfo=UTC)
    assert published.precision == "minute"


def test_url_dates_of_the_outlets() -> None:
    cases = {
        "https://www.rfa.org/mandarin/yataibaodao/junshiwaijiao/cl-03242022142839.html": (
            2022,
            3,
            24,
        ),
        "https://www.rfi.fr/cn/%E6%AC%A7%E6%B4%B2/20220324-%E5%8C%97": (2022, 3, 24),
        "https://www.voachinese.com/a/us-russia-ukraine-20220118/6402228.html": (2022, 1, 18),
        "https://www.cna.com.tw/news/firstnews/202112220007.aspx": (2021, 12, 22),
        "https://www.epochtimes.com/gb/22/2/25/n13605215.htm": (2022, 2, 25),
    }
    for url, ymd in cases.items():
        found = pubdate.extract_url_date(url)
        assert found is not None, url
        assert (found.when.year, found.when.month, found.when.day) == ymd
        assert found.precision == "day"
    assert pubdate.extract_url_date("https://www.solidot.org/story?sid=70669") is None


def test_gnews_ids_give_months_only_inside_the_measured_table_of_their_scheme() -> None:
    sept = pubdate.extract_gnews_month(["https://gnews.org/articles/1719566"])
    assert sept is not None and (sept.when, sept.precision) == (datetime(2023, 9, 1), "month")
    assert sept.source == "gnews-id"
    # Between the October and November ranges (they overlap at the turn): only the year.
    turn = pubdate.id_date(pubdate.GNEWS_ID_MONTHS["articles"], 1_905_000)
    assert turn == (datetime(2023, 1, 1), "year")
    # Between December 2023 and January 2024: not even the year.
    assert pubdate.id_date(pubdate.GNEWS_ID_MONTHS["articles"], 2_170_800) is None
    # Outside the measured span, and the other scheme's clock: not evidence.
    assert pubdate.extract_gnews_month(["https://gnews.org/articles/960452"]) is None
    assert pubdate.extract_gnews_month(["https://gnews.org/articles/2500000"]) is None
    assert pubdate.extract_gnews_month(["https://gnews.org/zh-hans/1722059/"]) is None
    assert pubdate.extract_gnews_month(["https://gnews.org/zh-hans/2225288/"]) is None


def test_gnews_post_reads_scheme_and_id() -> None:
    assert pubdate.gnews_post("https://gnews.org/articles/1002874") == ("articles", 1002874)
    assert pubdate.gnews_post("https://gnews.org/zh-hans/2225288/") == ("zh-hans", 2225288)
    assert pubdate.gnews_post("https://gnews.org/m/1700281") is None
    assert pubdate.gnews_post(None) is None


def test_report_line_gives_only_its_month() -> None:
    full = pubdate.extract_report_date("【大纪元2022年02月25日讯】大家好")
    assert full is not None and (full.when, full.precision) == (datetime(2022, 2, 1), "month")
    assert pubdate.extract_report_date("据法国国际广播电台3月24日报道，北约……") is None


def test_choose_prefers_stronger_evidence_and_keeps_calendar_dates_whole() -> None:
    month = pubdate.Candidate(datetime(2022, 3, 1), "month", "gnews-id", "x")
    day = pubdate.Candidate(datetime(2022, 3, 24), "day", "file-path", "y")
    chosen = pubdate.choose([day, month], "America/New_York")
    assert chosen is not None
    assert chosen.instant == datetime(2022, 3, 1, tzinfo=UTC)
    assert (chosen.source, chosen.precision, chosen.inferred) == ("gnews-id", "month", True)
    day_only = pubdate.choose([day], "America/New_York")
    assert day_only is not None and day_only.instant == datetime(2022, 3, 24, tzinfo=UTC)
    assert pubdate.choose([], "UTC") is None


def test_choose_starts_a_month_or_year_at_its_first_day() -> None:
    month = pubdate.Candidate(datetime(2023, 3, 21), "month", "report-text", "2023年03月21日讯")
    year = pubdate.Candidate(datetime(2023, 7, 9), "year", "gnews-id", "x")
    assert pubdate.choose([month], "UTC").instant == datetime(2023, 3, 1, tzinfo=UTC)  # type: ignore[union-attr]
    assert pubdate.choose([year], "UTC").instant == datetime(2023, 1, 1, tzinfo=UTC)  # type: ignore[union-attr]


def test_file_path_date() -> None:
    found = pubdate.extract_file_path_date("archived/2021-12-06/2021-12-06-标题.md")
    assert found is not None and found.when == datetime(2021, 12, 6)
    assert pubdate.extract_file_path_date("notes/草稿.md") is None


def test_an_old_article_archived_late_takes_its_url_date() -> None:
    archived = pubdate.choose(
        [
            pubdate.Candidate(
                datetime(2022, 3, 24, 3, 4, 2, tzinfo=UTC),
                "second",
                "epoch-comment",
                "<!--1648091042000-->",
            )
        ],
        "Asia/Taipei",
    )
    assert archived is not None
    url_day = pubdate.extract_url_date("https://www.cna.com.tw/news/firstnews/202202250013.aspx")
    assert pubdate.archived_late(archived, url_day)
    same_day = pubdate.extract_url_date("https://www.cna.com.tw/news/firstnews/202203240013.aspx")
    assert not pubdate.archived_late(archived, same_day)
    assert not pubdate.archived_late(archived, None)


# ---- the GNews byline stamp --------------------------------------------------------------


def test_header_stamp_is_a_utc_minute_on_a_12_hour_clock() -> None:
    cases = {
        "3/11/2023 2:51 AM UTC 秘密翻譯組G-Translators": (
            datetime(2023, 3, 11, 2, 51),
            "秘密翻譯組G-Translators",
        ),
        "10/10/2023 12:46 AM UTC ": (datetime(2023, 10, 10, 0, 46), ""),
        "3/12/2023 12:41 PM UTC 爱哭鬼": (datetime(2023, 3, 12, 12, 41), "爱哭鬼"),
        "4/3/2023 10:21 PM UTC 秘密翻译组-精翻组 G-Translators/Elite Team": (
            datetime(2023, 4, 3, 22, 21),
            "秘密翻译组-精翻组 G-Translators/Elite Team",
        ),
    }
    for byline, (when, rest) in cases.items():
        found, left = pubdate.split_header_date(byline)
        assert found is not None, byline
        assert found.when == when.replace(tzinfo=UTC)
        assert (found.precision, found.source, left) == ("minute", "header", rest)
        chosen = pubdate.choose([found], "Asia/Shanghai")
        assert chosen is not None and chosen.instant == when.replace(tzinfo=UTC)
        assert chosen.inferred is False


def test_a_byline_without_a_stamp_or_with_a_broken_one() -> None:
    assert pubdate.split_header_date(" 喜马拉雅德国纽伦堡正义农场") == (
        None,
        " 喜马拉雅德国纽伦堡正义农场",
    )
    assert pubdate.split_header_date("纽约香草山MOS02") == (None, "纽约香草山MOS02")
    assert pubdate.split_header_date("13/45/2023 2:51 AM UTC farm") == (None, "farm")
    assert pubdate.split_header_date("3/11/2023 0:51 AM UTC farm") == (None, "farm")
    assert pubdate.split_header_date("3/11/0001 2:51 AM UTC farm") == (None, "farm")


# ---- nothing raises; what survives makes a Published -------------------------------------

PLUS5 = timezone(timedelta(hours=5))
MINUS5 = timezone(timedelta(hours=-5))
ODD_VALUES: list[object] = [
    -99999999999,
    1e300,
    -1e300,
    float("inf"),
    float("-inf"),
    float("nan"),
    10**400,
    -(10**400),
    True,
    False,
    None,
    ".inf",
    "0000-00-00",
    "2022-01-01T25:61:61",
    "2022-01-01T10:00+99:99",
    "Sat, 01 Jan 9999 23:00:00 -1200",
    "Sat, 99 Jan 2022 99:99:99 GMT",
    "31/12/9999 - 23:59",
    datetime(1, 1, 1, tzinfo=PLUS5),
    datetime(9999, 12, 31, 23, tzinfo=MINUS5),
    datetime(1, 1, 1),
    date(1, 1, 1),
    date(9999, 12, 31),
    [2022, 1, 1],
    {"date": "2022-01-01"},
]


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_odd_front_matter_values_are_not_candidates(value: object) -> None:
    assert pubdate.parse_datetime(value, "front-matter") is None
    if isinstance(value, str):
        assert pubdate.parse_date_string(value, "front-matter") is None


def test_plausible_values_still_parse() -> None:
    aware = pubdate.parse_datetime(datetime(2022, 1, 1, tzinfo=PLUS5), "front-matter")
    naive = pubdate.parse_datetime(datetime(2022, 1, 1, 8), "front-matter")
    epoch = pubdate.parse_datetime(1648146660000, "record")
    for found in (aware, naive, epoch):
        assert found is not None
        assert pubdate.choose([found], "Asia/Shanghai") is not None
    assert pubdate.parse_datetime(-1e9, "record") is not None  # 1938: old, but a real year


def test_yaml_timestamps_give_plausible_candidates_or_none() -> None:
    loaded = yaml.safe_load(
        "a: !!timestamp 2022-03-24 10:00:00 +08:00\n"
        "b: !!timestamp 0001-01-01 00:00:00 +05:00\n"
        "c: 9999-12-31 23:00:00 -05:00\n"
        "d: 2022-01-01T10:00:00+23:59\n"
        "e: !!timestamp 2022-03-24\n"
    )
    a, b, c, d, e = (pubdate.parse_datetime(loaded[k], "front-matter") for k in "abcde")
    assert b is None and c is None
    for found in (a, d, e):
        assert found is not None
        chosen = pubdate.choose([found], "UTC")
        assert chosen is not None and chosen.instant.tzinfo == UTC
    assert a is not None and a.when == datetime(2022, 3, 24, 2, tzinfo=UTC)


def test_choose_skips_candidates_published_cannot_hold() -> None:
    good = pubdate.Candidate(datetime(2022, 3, 24), "day", "file-path", "ok")
    bad = [
        pubdate.Candidate(datetime(1, 1, 1, tzinfo=PLUS5), "second", "front-matter", "year 1"),
        pubdate.Candidate(datetime(9999, 12, 31, 23, tzinfo=MINUS5), "second", "record", "9999"),
        pubdate.Candidate(datetime(2022, 1, 1), "second", "no-such-source", "x"),
        pubdate.Candidate(datetime(2022, 1, 1), "fortnight", "record", "x"),  # type: ignore[arg-type]
    ]
    assert pubdate.choose(bad, "UTC") is None
    chosen = pubdate.choose([*bad, good], "UTC")
    assert chosen is not None and chosen.source == "file-path"
    assert pubdate.choose([good], "Not/A_Zone") is not None  # an unknown zone: UTC


def test_published_refuses_with_value_error_only() -> None:
    for instant in (
        datetime(1, 1, 1, tzinfo=PLUS5),
        datetime(9999, 12, 31, 23, tzinfo=MINUS5),
        datetime(2022, 1, 1),
    ):
        with pytest.raises(ValueError):
            Published(instant, "second", "front-matter", "x")
    with pytest.raises(ValueError):
        Published(datetime(2022, 1, 1, tzinfo=UTC), "second", "no-such-source", "x")


# ---- properties ----------------------------------------------------------------------------

OFFSETS = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
VALUES = st.one_of(
    st.text(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=OFFSETS),
    st.from_regex(r"\d{1,4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{1,2}(:\d{1,2})?)?([+-]\d{2}:?\d{2}|Z)?"),
    st.from_regex(r"\d{1,2}/\d{1,2}/\d{1,5} \d{1,2}:\d{2} [AP]M UTC .*"),
)


def _published_or_none(found: Candidate | None) -> None:
    if found is not None:
        chosen = pubdate.choose([found], "Asia/Shanghai")
        assert chosen is not None
        assert chosen.instant.utcoffset() == timedelta(0)
        assert chosen.instant.year in range(EARLIEST_YEAR - 1, LATEST_YEAR + 2)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_any_value_parses_to_none_or_a_valid_published(value: object) -> None:
    _published_or_none(pubdate.parse_datetime(value, "front-matter"))
    if isinstance(value, str):
        _published_or_none(pubdate.parse_date_string(value, "record"))
        _published_or_none(pubdate.split_header_date(value)[0])
        _published_or_none(pubdate.extract_dateline(value))
        _published_or_none(pubdate.extract_url_date(value))
        _published_or_none(pubdate.extract_report_date(value))
        _published_or_none(pubdate.extract_file_path_date(value))


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(timezones=st.none() | OFFSETS),
    st.sampled_from(["second", "minute", "day", "month", "year"]),
    st.sampled_from(["front-matter", "record", "gnews-id", "file-path", "header"]),
    st.sampled_from(["UTC", "Asia/Shanghai", "America/New_York", "Pacific/Kiritimati", "bad"]),
)
def test_choose_never_raises(when: datetime, precision: str, source: str, tz: str) -> None:
    found = Candidate(when, precision, source, "x")  # type: ignore[arg-type]
    chosen = pubdate.choose([found], tz)
    assert (chosen is None) == (not EARLIEST_YEAR <= when.year <= LATEST_YEAR)
