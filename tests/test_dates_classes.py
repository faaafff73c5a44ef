"""The classes of expression the resolver reads, each with its general rule (issue 13's probes).

Reference 2022-03-24 (a Thursday) unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.parsing.dates import find_expressions
from dashboard.parsing.dates.numerals import approximate

THU = dt.date(2022, 3, 24)
TUE = dt.date(2022, 3, 22)


def found(text: str, reference: dt.date = THU) -> list[tuple[str, str, str, str]]:
    return [
        (e.text, e.start.isoformat(), e.end.isoformat(), e.precision)
        for e in find_expressions(text, reference)
    ]


def one(text: str, reference: dt.date = THU) -> tuple[str, str, str]:
    (item,) = found(text, reference)
    return item[1:]


# --- relative days and months ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [("大后天他将访问基辅", "2022-03-27"), ("大前天", "2022-03-21"), ("大後天", "2022-03-27")],
)
def test_three_days_away(text: str, iso: str) -> None:
    assert one(text) == (iso, iso, "day")


def test_a_relative_month_under_a_relative_year() -> None:
    assert one("去年本月十日") == ("2021-03-10", "2021-03-10", "day")
    assert one("明年本月") == ("2023-03-01", "2023-03-31", "month")


@pytest.mark.parametrize(
    ("text", "reference", "iso"),
    [
        ("总统蔡英文今（19）日接见", dt.date(2024, 3, 19), "2024-03-19"),
        ("拜登昨（18）日进行电话对谈", dt.date(2024, 3, 19), "2024-03-18"),
        # The number wins over the reference: the writer's today was the day before.
        ("今（23）日", dt.date(2024, 3, 24), "2024-03-23"),
    ],
)
def test_taiwanese_numbered_days(text: str, reference: dt.date, iso: str) -> None:
    assert [item[1] for item in found(text, reference)] == [iso]


def test_a_weekday_looks_ahead_only_with_a_cue() -> None:
    assert one("总统周四将访问华沙", TUE) == ("2022-03-24", "2022-03-24", "day")
    assert one("总统周四访问了华沙", TUE) == ("2022-03-17", "2022-03-17", "day")


def test_last_month_counts_from_a_month_told_of_in_its_sentence() -> None:
    text = "今年十月，中国七十座城市的平均房价比上个月下跌了0.25。"
    assert found(text, dt.date(2021, 12, 6))[1][1:] == ("2021-09-01", "2021-09-30", "month")
    # In a sentence of its own, it counts from the reference.
    text = "今年十月，房价下跌。上个月，房价上涨。"
    assert found(text, dt.date(2021, 12, 6))[1][1:] == ("2021-11-01", "2021-11-30", "month")


# --- months and bare days: only what the text ties ------------------------------------------


def test_a_named_month_lends_itself_only_within_its_sentence() -> None:
    text = "明年2月将举行选举。美国司法部16日公布了起诉书。"
    assert [item[1] for item in found(text, dt.date(2020, 8, 21))] == ["2021-02-01", "2020-08-16"]
    tied = "2月10日和16日，双方会谈。"
    assert [item[1] for item in found(tied)] == ["2022-02-10", "2022-02-16"]
    assert [item[1] for item in found("2月10日举行会议。同月16日，双方再谈。")] == [
        "2022-02-10",
        "2022-02-16",
    ]


def test_a_named_year_carries_into_the_next_sentence_only() -> None:
    text = "2020年11月3日，美国举行大选。12月14日，选举人团投票。"
    assert [item[1] for item in found(text)] == ["2020-11-03", "2020-12-14"]
    far = "2020年11月3日，美国举行大选。此后局势多变。各方争论不休。12月14日，会议举行。"
    assert [item[1] for item in found(far)][-1] == "2021-12-14"


def test_a_dateline_at_the_end_moves_today() -> None:
    text = "麦克唐纳今天接受媒体采访。他在1月下旬提出动议。（中央社伦敦8日专电）"
    assert [item[1] for item in found(text, dt.date(2024, 3, 9))] == [
        "2024-03-08",
        "2024-01-21",
        "2024-03-08",
    ]


# --- parts of months and years, spans --------------------------------------------------------


def test_parts_of_a_month_are_about_ten_days() -> None:
    assert one("2月初") == ("2022-02-01", "2022-02-10", "range")
    assert one("2月中旬") == ("2022-02-11", "2022-02-20", "range")
    assert one("2月底") == ("2022-02-21", "2022-02-28", "range")
    assert one("2020年年中") == ("2020-06-01", "2020-07-31", "range")


def test_a_span_of_month_parts_is_one_range() -> None:
    assert found("今年1月底至2月初") == [("今年1月底至2月初", "2022-01-21", "2022-02-10", "range")]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2024年第一季度", "2024-01-01", "2024-03-31"),
        ("去年上半年", "2021-01-01", "2021-06-30"),
        ("今年第三季度", "2022-07-01", "2022-09-30"),
        ("从2023年第一季到2024年第一季", "2023-01-01", "2024-03-31"),
    ],
)
def test_quarters_and_halves(text: str, first: str, last: str) -> None:
    assert [item[1:3] for item in found(text)] == [(first, last)]


def test_a_bare_season_of_a_show_is_not_a_quarter() -> None:
    assert found("这部剧的第二季将上线") == []


# --- decades and centuries ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("上世纪90年代", "1990-01-01", "1999-12-31"),
        ("九十年代初", "1990-01-01", "1992-12-31"),
        ("1990年代末", "1997-01-01", "1999-12-31"),
        ("2010年代", "2010-01-01", "2019-12-31"),
        ("20世纪", "1901-01-01", "2000-12-31"),
        ("上世纪", "1901-01-01", "2000-12-31"),
        ("19世纪末", "1891-01-01", "1900-12-31"),
    ],
)
def test_decades_and_centuries(text: str, first: str, last: str) -> None:
    assert one(text) == (first, last, "range")


def test_this_century_runs_to_2100() -> None:
    assert one("本世纪") == ("2001-01-01", "2100-12-31", "range")
    assert one("王毅表示，21世纪是亚洲的世纪") == ("2001-01-01", "2100-12-31", "range")


# --- holidays -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("元旦", "2022-01-01"),
        ("春节前夕", "2022-01-31"),
        ("圣诞节期间", "2021-12-25"),
        ("国庆节", "2021-10-01"),
        ("除夕", "2022-01-31"),
        ("中秋", "2021-09-21"),
        ("今年春节", "2022-02-01"),
        ("2020年中秋节", "2020-10-01"),
        ("清明节", "2022-04-05"),  # close ahead: the coming one
        ("复活节", "2022-04-17"),  # 24 days ahead: the coming one
        ("端午节", "2022-06-03"),
        ("去年复活节", "2021-04-04"),
        ("感恩节", "2021-11-25"),
    ],
)
def test_holidays(text: str, iso: str) -> None:
    assert [item[1] for item in found(text)] == [iso]


def test_a_holiday_ahead_after_a_cue_and_none_for_a_recurrence() -> None:
    assert [item[1] for item in found("中秋节将至")] == ["2022-09-10"]
    assert found("每年春节，人们回家") == []
    assert found("圣诞老人") == []


def test_new_year_in_late_december_is_the_coming_one() -> None:
    assert [item[1] for item in found("元旦", dt.date(2021, 12, 25))] == ["2022-01-01"]
    assert [item[1] for item in found("春节前夕", dt.date(2022, 1, 1))] == ["2022-01-31"]
    assert [item[1] for item in found("春节期间发生了疫情", dt.date(2022, 1, 10))] == ["2021-02-12"]


# --- counts, approximate and in words -------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "counts"),
    [("四五", (4, 5)), ("两三", (2, 3)), ("十几", (11, 19)), ("二十多", (21, 29))],
)
def test_approximate_numerals(token: str, counts: tuple[int, int]) -> None:
    assert approximate(token) == counts


@pytest.mark.parametrize("token", ["四十五", "十", "两", "三十"])
def test_exact_numerals_are_not_approximate(token: str) -> None:
    assert approximate(token) is None


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("四五年前出台的法律", "2017-01-01", "2018-12-31"),
        ("两三天前", "2022-03-21", "2022-03-22"),
        ("十几年前", "2003-01-01", "2011-12-31"),
    ],
)
def test_approximate_counts_back_are_ranges(text: str, first: str, last: str) -> None:
    assert one(text) == (first, last, "range")


def test_days_after_count_on_from_the_narrative_only_when_they_open_a_clause() -> None:
    text = "3月1日，双方会谈。两天后，协议签署。"
    assert [item[1] for item in found(text)] == ["2022-03-01", "2022-03-03"]
    assert [item[1] for item in found("3月1日，工厂停工两天后复工。")] == ["2022-03-01"]
    assert found("两天后，协议签署。") == []  # no day to count from


def test_the_next_day_only_opens_a_clause() -> None:
    assert [item[1] for item in found("3月7日，印度表态。第二天，中方回应。")] == [
        "2022-03-07",
        "2022-03-08",
    ]
    assert found("俄罗斯连续第二天发起攻击") == []


@pytest.mark.parametrize(
    ("text", "year"), [("两千零四年", 2004), ("一九九一年", 1991), ("二零零四年", 2004)]
)
def test_years_in_words(text: str, year: int) -> None:
    assert one(text) == (f"{year}-01-01", f"{year}-12-31", "year")


def test_two_thousand_years_is_not_the_year_2000() -> None:
    assert found("两千年前") == []


# --- since-ranges and counted periods --------------------------------------------------------


def test_counted_periods_start_at_their_units_precision() -> None:
    assert one("近7年来", dt.date(2021, 12, 10)) == ("2014-01-01", "2021-12-10", "range")
    assert one("过去三个月", THU) == ("2021-12-01", "2022-03-24", "range")
    assert one("过去两周", THU) == ("2022-03-10", "2022-03-24", "range")


def test_spaces_inside_a_since_range() -> None:
    assert one("自 1945 年以来") == ("1945-01-01", "2022-03-24", "range")


def test_history_beyond_the_window_is_left_out_without_error() -> None:
    assert found("过去 2500 年来") == []


# --- not dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "一切已成昨日黄花",
        "海关总署发布2020年第75号公告",
        "迈克尔·库里拉将军于三月份告诉参议院",  # 将军 is a general, not "will"
    ],
)
def test_not_dates(text: str) -> None:
    assert all(item[0] not in ("昨日", "2020年") for item in found(text, dt.date(2023, 8, 19)))


def test_a_general_is_not_a_future_cue() -> None:
    assert found("迈克尔·库里拉将军于三月份告诉参议院", dt.date(2023, 8, 19)) == [
        ("三月份", "2023-03-01", "2023-03-31", "month")
    ]


# --- written spans, slashes, and the sentence's own year -------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("去年1至11月，中俄贸易额", "2021-01-01", "2021-11-30"),
        ("2023年3-5月", "2023-03-01", "2023-05-31"),
        ("1995─2020年，罹癌比率上升", "1995-01-01", "2020-12-31"),  # a box-drawing dash
        ("美联储在2022—2023年加息", "2022-01-01", "2023-12-31"),
    ],
)
def test_spans_of_months_and_years(text: str, first: str, last: str) -> None:
    assert [item[1:3] for item in found(text)] == [(first, last)]


@pytest.mark.parametrize(
    ("text", "iso"),
    [("03/03/2024 WION", "2022-03-03"), ("24/03/2022", "2022-03-24"), ("3/22/2022", "2022-03-22")],
)
def test_slashed_dates_take_the_reading_that_exists_before_the_reference(
    text: str, iso: str
) -> None:
    reference = dt.date(2024, 3, 6) if "2024" in text else THU
    expected = "2024-03-03" if "2024" in text else iso
    assert [item[1] for item in found(text, reference)] == [expected]


def test_a_quarter_takes_the_year_of_its_sentence() -> None:
    text = "2023年前三季度已经盈利，但在第四季度亏损。"
    assert [item[1:3] for item in found(text, dt.date(2024, 3, 28))] == [
        ("2023-01-01", "2023-09-30"),
        ("2023-10-01", "2023-12-31"),
    ]


def test_years_ago_and_after_count_from_the_sentences_year() -> None:
    assert found("2000年，人权观察谴责了俄罗斯一年前的做法。", THU)[1][1] == "1999-01-01"
    assert (
        found("郭先生在2015年就告诉情报人员，七年以后，军情五处才指控她。", THU)[1][1]
        == "2022-01-01"
    )


def test_a_bare_part_of_a_month_is_the_reference_months() -> None:
    assert found("她今年一月生子，月初出席广告活动", dt.date(2020, 9, 27))[1][1:3] == (
        "2020-09-01",
        "2020-09-10",
    )
    assert found("岁月中") == []


# --- cues and names ---------------------------------------------------------------------------


def test_jiang_before_a_number_or_jin_is_not_will() -> None:
    # 再将14家公司列入: 将 marks the object; 23日 is the past 23rd, not next month's.
    text = "美国周四（23日）再将14家中国公司列入清单"
    assert [item[1] for item in found(text, dt.date(2023, 3, 25))] == ["2023-03-23", "2023-03-23"]


@pytest.mark.parametrize(
    "text", ["长征十号火箭", "向阳红3号", "国军连续2日侦获", "登上月球", "当日本受到攻击时"]
)
def test_names_and_counts_that_look_like_days(text: str) -> None:
    assert found(text) == []


def test_recurring_months_are_not_one_month() -> None:
    assert found("每年10月，候鸟飞到阳江") == []


def test_today_as_the_present_or_a_hypothesis_is_no_day() -> None:
    assert found("这种外交政策造成了今天的中共国。") == []
    assert found("如果今天举行大选，他们将投票给拜登。") == []
    assert [item[0] for item in found("今天的讨论还涉及白俄罗斯。")] == ["今天"]


def test_the_day_of_an_undated_happening_is_no_day() -> None:
    assert found("就在印度外交部发表上述言论的前一天，中方提出抗议。") == []
    # After a name, 当天 is still the day the narrative is on.
    assert [item[1] for item in found("3月6日，部长表态。尹锡悦当天在会议上说。")] == [
        "2022-03-06",
        "2022-03-06",
    ]


def test_next_month_from_the_last_days_of_the_month_before() -> None:
    # Published on 1 January about a call on Thursday 30 December: 下个月 is January.
    text = "美国总统拜登周四与普京通话。乌沙科夫表示，这次谈话为下个月的谈判铺平了道路。"
    assert found(text, dt.date(2022, 1, 1))[1][1:3] == ("2022-01-01", "2022-01-31")
    # A week into the month, 下个月 is the next one again.
    assert found(text, dt.date(2022, 1, 8))[1][1] == "2022-02-01"


def test_a_coming_month_told_in_the_past_is_last_years() -> None:
    assert one("中共国于3月重组了科技部", dt.date(2024, 1, 8)) == (
        "2023-03-01",
        "2023-03-31",
        "month",
    )
    assert one("中共国将于3月重组科技部", dt.date(2024, 1, 8)) == (
        "2024-03-01",
        "2024-03-31",
        "month",
    )


def test_a_counted_period_ends_with_the_year_its_sentence_names() -> None:
    text = "2019年，他被授予新媒体先锋奖，以表彰他在过去七年中的工作。"
    assert found(text, dt.date(2024, 3, 9))[1][1:3] == ("2012-01-01", "2019-12-31")


def test_this_weekend_told_in_the_past_is_the_one_just_gone() -> None:
    thursday = dt.date(2023, 10, 12)
    assert one("哈马斯在本周末袭击了以色列", thursday)[:2] == ("2023-10-07", "2023-10-08")
    assert one("本周末将举行集会", thursday)[:2] == ("2023-10-14", "2023-10-15")


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("上世纪二三十年代的大萧条", "1920-01-01", "1939-12-31"),
        ("五、六十年代", "1950-01-01", "1969-12-31"),
        ("今年来崩跌27.4％", "2022-01-01", "2022-03-24"),
        ("iPhone在2022年前6周销量暴跌", "2022-01-01", "2022-02-11"),
        ("今年前两个月", "2022-01-01", "2022-02-28"),
        ("2021年夏，我去黑河", "2021-06-01", "2021-08-31"),
    ],
)
def test_more_written_periods(text: str, first: str, last: str) -> None:
    assert [item[1:3] for item in found(text)] == [(first, last)]


def test_the_day_after_and_short_counted_hours() -> None:
    assert [item[1] for item in found("王妃22日发布影片。隔天，胞弟发文。")] == [
        "2022-03-22",
        "2022-03-23",
    ]
    assert one("过去7小时内") == ("2022-03-24", "2022-03-24", "day")


def test_last_saturday_on_a_sunday_is_yesterday() -> None:
    sunday = dt.date(2024, 3, 10)
    assert one("以军上周六攻击拉法", sunday)[0] == "2024-03-09"
    assert one("以军上周六攻击拉法", dt.date(2024, 3, 11))[0] == "2024-03-09"


def test_a_verb_of_saying_stops_a_later_cue() -> None:
    # 周三承诺，日本将…: the promise was made on the last Wednesday.
    assert one("防卫大臣周三承诺，日本将与太平洋岛国合作", dt.date(2024, 3, 21))[0] == "2024-03-20"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("OPEC+将自愿减产延期至年中", "2022-06-01", "2022-07-31"),
        ("延长至今年Q2", "2022-04-01", "2022-06-30"),
        ("自2021年中旬，房地产危机爆发", "2021-06-01", "2021-07-31"),
        ("由于农历新年假期需求疲软", "2022-02-01", "2022-02-01"),
        ("他预计这艘船将在两天后抵达加沙", "2022-03-26", "2022-03-26"),
    ],
)
def test_mid_year_quarters_in_q_the_lunar_new_year_and_days_ahead(
    text: str, first: str, last: str
) -> None:
    assert [item[1:3] for item in found(text)] == [(first, last)]


def test_a_year_inside_a_phrase_is_not_mid_year() -> None:
    assert found("一年中") == [] and found("岁月中") == []
