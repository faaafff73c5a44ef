from __future__ import annotations

import datetime as dt

import pytest

from dashboard.parsing.dates import TimeExpression, find_expressions, resolve_reference
from dashboard.parsing.dates.numerals import parse_number

FRI = dt.date(2022, 3, 25)  # a Friday
THU = dt.date(2022, 3, 24)  # a Thursday


def found(text: str, reference: dt.date | dt.datetime = FRI) -> list[tuple[str, str, str, str]]:
    return [
        (e.text, e.start.isoformat(), e.end.isoformat(), e.precision)
        for e in find_expressions(text, reference)
    ]


def days(text: str, reference: dt.date = FRI) -> list[str]:
    return [start for _, start, _, _ in found(text, reference)]


def day(iso: str, text: str) -> tuple[str, str, str, str]:
    return (text, iso, iso, "day")


# --- numerals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "value"),
    [("24", 24), ("二十四", 24), ("十", 10), ("十二", 12), ("三十一", 31), ("二〇二二", 2022)],
)
def test_parse_number(token: str, value: int) -> None:
    assert parse_number(token) == value


def test_full_width_digits() -> None:
    assert found("２０２２年３月２４日") == [day("2022-03-24", "２０２２年３月２４日")]


def test_chinese_numerals() -> None:
    assert days("二〇二二年三月二十四日") == ["2022-03-24"]
    assert found("三月二十四日和二十一日、十日") == [
        day("2022-03-24", "三月二十四日"),
        day("2022-03-21", "二十一日"),
        day("2022-03-10", "十日"),
    ]


def test_spaces_inside_dates() -> None:
    assert found("预计北约将于 2022 年 1 月 12 日举行会议") == [
        day("2022-01-12", "2022 年 1 月 12 日")
    ]


def test_hao_as_ri_in_both_scripts() -> None:
    assert days("3月24號，3月23号") == ["2022-03-24", "2022-03-23"]


# --- absolute dates -------------------------------------------------------------------------


def test_year_month_and_year_precision() -> None:
    assert found("2022年3月，2022年") == [
        ("2022年3月", "2022-03-01", "2022-03-31", "month"),
        ("2022年", "2022-01-01", "2022-12-31", "year"),
    ]


def test_iso_and_slashed_dates_in_chinese_text() -> None:
    assert days("报告于2022-03-24发布，更新于2022/3/24。") == ["2022-03-24", "2022-03-24"]


def test_month_day_takes_the_reference_year() -> None:
    assert days("他3月24日表示") == ["2022-03-24"]


def test_month_day_far_ahead_without_cue_is_last_year() -> None:
    assert days("他10月24日表示") == ["2021-10-24"]
    assert days("他将于10月24日访问") == ["2022-10-24"]


def test_december_month_day_in_january_is_last_year() -> None:
    assert days("12月24日举行", dt.date(2022, 1, 5)) == ["2021-12-24"]


def test_month_of_next_year_is_near_the_reference() -> None:
    assert found("最有可能的时间是 1 月底", dt.date(2021, 12, 4)) == [
        ("1 月底", "2022-01-21", "2022-01-31", "range")
    ]


def test_local_time_prefix() -> None:
    assert found("当地时间1月18日，德国总理会见") == [day("2022-01-18", "1月18日")]


# --- bare days and months -------------------------------------------------------------------


def test_bare_day_takes_the_reference_month() -> None:
    assert days("北约领导人24日在布鲁塞尔开会") == ["2022-03-24"]


def test_bare_day_after_the_reference_day_is_last_month() -> None:
    assert days("他28日表示") == ["2022-02-28"]


def test_bare_day_tomorrow_stays_in_this_month() -> None:
    assert days("谈判9日恢复", dt.date(2021, 12, 8)) == ["2021-12-09"]


def test_bare_day_with_future_cue_rolls_forward() -> None:
    assert days("他将于5日访问") == ["2022-04-05"]


def test_bare_day_takes_month_of_last_explicit_date() -> None:
    text = "总统选举原定于2021年12月24日举行，但委员会26日宣布推迟。"
    assert days(text, dt.date(2022, 1, 10)) == ["2021-12-24", "2021-12-26"]


def test_bare_month_takes_year_of_last_explicit_month() -> None:
    text = "2020 年 11 月，总理向提格雷派兵。但到 6 月下旬，战士重新集结，随后于 12 月撤离。"
    assert found(text, dt.date(2022, 2, 15))[1:] == [
        ("6 月下旬", "2021-06-21", "2021-06-30", "range"),
        ("12 月", "2021-12-01", "2021-12-31", "month"),
    ]


def test_bare_month_is_month_precision() -> None:
    assert found("外长们将在4月的会议上讨论") == [("4月", "2022-04-01", "2022-04-30", "month")]


# --- weekdays -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "iso"),
    [
        ("周四", "2022-03-24"),
        ("星期四", "2022-03-24"),
        ("礼拜四", "2022-03-24"),
        ("週四", "2022-03-24"),
        ("禮拜四", "2022-03-24"),
        ("周日", "2022-03-20"),
        ("星期天", "2022-03-20"),
        ("星期日", "2022-03-20"),
    ],
)
def test_weekday_is_the_nearest_one_not_after_the_reference(word: str, iso: str) -> None:
    assert found(f"他{word}表示") == [day(iso, word)]


def test_weekday_on_the_reference_day_is_that_day() -> None:
    assert days("他周五表示") == ["2022-03-25"]


@pytest.mark.parametrize("cue", ["将", "将于", "預計", "预计", "即将", "计划", "定于", "要"])
def test_future_cue_looks_ahead(cue: str) -> None:
    assert days(f"他{cue}周一访问") == ["2022-03-28"]


def test_future_cue_on_the_reference_weekday_is_that_day() -> None:
    assert days("会谈将于周五举行") == ["2022-03-25"]


def test_will_right_after_the_weekday_looks_ahead() -> None:
    assert days("布林肯和拉夫罗夫周一将在日内瓦会晤") == ["2022-03-28"]


def test_object_marker_jiang_is_not_a_cue() -> None:
    assert days("普京周四将俄罗斯的核威慑力量置于高度警戒状态") == ["2022-03-24"]


def test_week_prefixes() -> None:
    assert days("上周五，下周一，本周五，下週三") == [
        "2022-03-18",
        "2022-03-28",
        "2022-03-25",
        "2022-03-30",
    ]


def test_weekday_next_to_an_explicit_date_takes_it() -> None:
    text = "布林肯周五(1月21日)在日内瓦会晤。习近平2月25日周五与普京通电话。"
    assert days(text, dt.date(2022, 1, 18)) == [
        "2022-01-21",
        "2022-01-21",
        "2022-02-25",
        "2022-02-25",
    ]


def test_listed_weekday_shares_the_week() -> None:
    assert days("选民在上周五和周六提前投票", dt.date(2022, 3, 9)) == ["2022-03-04", "2022-03-05"]


def test_later_weekdays_of_a_future_sentence_look_ahead() -> None:
    text = "周三，俄罗斯将与北约举行会议，周四，与欧安组织举行会议。"
    assert days(text, dt.date(2022, 1, 10)) == ["2022-01-12", "2022-01-13"]


def test_weekend() -> None:
    assert found("在周末期间", dt.date(2022, 1, 18)) == [
        ("周末", "2022-01-15", "2022-01-16", "range")
    ]


# --- relative days --------------------------------------------------------------------------


def test_relative_days() -> None:
    text = "今天，今日，昨天，昨日，前天，明天，明日，后天"
    assert days(text) == [
        "2022-03-25",
        "2022-03-25",
        "2022-03-24",
        "2022-03-24",
        "2022-03-23",
        "2022-03-26",
        "2022-03-26",
        "2022-03-27",
    ]


def test_today_as_nowadays_or_figure_of_speech_is_not_a_date() -> None:
    assert found("在很多国家都选择和病毒共存的今天") == []
    assert found("今天的乌克兰绝对不能成为明天的台湾") == []


def test_today_is_the_dateline_day() -> None:
    text = "（中央社華盛頓21日綜合外電報導）美國國務卿布林肯今天表示"
    assert days(text, dt.date(2021, 12, 22)) == ["2021-12-21", "2021-12-21"]


def test_tomorrow_with_bracketed_weekday() -> None:
    text = "他说，“我们不会浪费明天（周一）的时间。”"
    assert days(text, dt.date(2022, 1, 10)) == ["2022-01-10", "2022-01-10"]


def test_next_day_follows_the_last_explicit_date() -> None:
    assert days("2022年3月1日发生爆炸。次日，翌日。") == ["2022-03-01", "2022-03-02", "2022-03-02"]
    assert days("次日，他离开") == ["2022-03-26"]


# --- relative periods -----------------------------------------------------------------------


def test_weeks_run_monday_to_sunday() -> None:
    assert found("本周，这周，上周，下周") == [
        ("本周", "2022-03-21", "2022-03-27", "week"),
        ("这周", "2022-03-21", "2022-03-27", "week"),
        ("上周", "2022-03-14", "2022-03-20", "week"),
        ("下周", "2022-03-28", "2022-04-03", "week"),
    ]


def test_relative_months() -> None:
    assert [start for _, start, _, _ in found("本月，这个月，上个月，上月，下个月，下月")] == [
        "2022-03-01",
        "2022-03-01",
        "2022-02-01",
        "2022-02-01",
        "2022-04-01",
        "2022-04-01",
    ]


def test_next_month_in_december_is_january_of_next_year() -> None:
    assert found("下个月", dt.date(2021, 12, 15)) == [
        ("下个月", "2022-01-01", "2022-01-31", "month")
    ]


def test_relative_years_and_their_edges() -> None:
    assert found("今年，去年，明年，前年，今年初，去年底") == [
        ("今年", "2022-01-01", "2022-12-31", "year"),
        ("去年", "2021-01-01", "2021-12-31", "year"),
        ("明年", "2023-01-01", "2023-12-31", "year"),
        ("前年", "2020-01-01", "2020-12-31", "year"),
        ("今年初", "2022-01-01", "2022-01-31", "month"),
        ("去年底", "2021-12-01", "2021-12-31", "month"),
    ]


def test_a_year_in_office_is_not_this_year_end() -> None:
    assert found("金正恩在其执政第十年末发表讲话") == []


def test_month_edges_and_seasons() -> None:
    assert found("4月底，今年夏天，去年春天") == [
        ("4月底", "2022-04-21", "2022-04-30", "range"),
        ("今年夏天", "2022-06-01", "2022-08-31", "range"),
        ("去年春天", "2021-03-01", "2021-05-31", "range"),
    ]


def test_days_ago() -> None:
    assert days("10天前开始的军演", dt.date(2022, 2, 20)) == ["2022-02-10"]


# --- anaphora -------------------------------------------------------------------------------

SEED_003 = (
    "周五，美国国务卿安东尼·布林肯与北约秘书长讨论了即将举行的会谈，此前一天，拜登总统和普京总统"
    "进行了电话交谈。\n预计北约将于 2022 年 1 月 12 日在布鲁塞尔举行会议。\n在这次会议之前，华盛顿"
    "和莫斯科于同月 9 日和 10 日举行了另一次安全会议，更广泛的会议将于 1 月 13 日举行。\n布林肯联络"
    "前一天，拜登和普京进行了电话交谈。\n克里姆林宫对周四的电话会谈表示满意。"
)


def test_seed_003_examples() -> None:
    assert found(SEED_003, dt.datetime(2022, 1, 1, 9, 8)) == [
        day("2021-12-31", "周五"),
        day("2021-12-30", "此前一天"),
        day("2022-01-12", "2022 年 1 月 12 日"),
        day("2022-01-09", "同月 9 日"),
        day("2022-01-10", "10 日"),
        day("2022-01-13", "1 月 13 日"),
        day("2021-12-30", "前一天"),
        day("2021-12-30", "周四"),
    ]


def test_same_month_after_a_date_in_another_month() -> None:
    text = "会议于2022年1月12日举行。同月9日，双方会谈。"
    assert days(text, dt.date(2022, 3, 25)) == ["2022-01-12", "2022-01-09"]


def test_same_day_and_that_night() -> None:
    text = "俄罗斯24日对乌克兰发动入侵。美國白宮同日表示关切。当晚，基辅发生爆炸。"
    result = find_expressions(text, dt.date(2022, 2, 25))
    assert [(e.text, e.start.isoformat(), e.detail) for e in result] == [
        ("24日", "2022-02-24", None),
        ("同日", "2022-02-24", None),
        ("当晚", "2022-02-24", "当晚"),
    ]


def test_same_day_skips_announced_days_and_quotes() -> None:
    text = (
        "拜登24日指出，北约25日将开会。同日，德国总理说，“我们在2月4日发表了声明。”同一天，他离开。"
    )
    assert days(text, dt.date(2022, 2, 25))[2:] == ["2022-02-24", "2022-02-04", "2022-02-24"]


def test_day_before_without_anchor_is_before_the_reference() -> None:
    assert days("前一天，他抵达") == ["2022-03-24"]


# --- ranges and lists -----------------------------------------------------------------------


def test_lists_give_one_day_each() -> None:
    assert found("9日和10日，11日、12日") == [
        day("2022-03-09", "9日"),
        day("2022-03-10", "10日"),
        day("2022-03-11", "11日"),
        day("2022-03-12", "12日"),
    ]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("26日至27日", "2022-04-26", "2022-04-27"),
        ("26-27日", "2022-04-26", "2022-04-27"),
        ("3月1日到5日", "2022-03-01", "2022-03-05"),
        ("3月30日至4月2日", "2022-03-30", "2022-04-02"),
        ("1月至3月", "2022-01-01", "2022-03-31"),
        ("2013年12月至2020年", "2013-12-01", "2020-12-31"),
        ("2月24-25夜间", "2022-02-24", "2022-02-25"),
    ],
)
def test_spans_are_one_range(text: str, start: str, end: str) -> None:
    assert found(text, dt.date(2022, 4, 28)) == [(text, start, end, "range")]


# --- since-ranges ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("自2014年以来", "2014-01-01"),
        ("2014年以来", "2014-01-01"),
        ("自2014年起", "2014-01-01"),
        ("从2008年至今", "2008-01-01"),
        ("近7年来", "2015-01-01"),
        ("过去24小时内", "2022-03-24"),
        ("过去一周", "2022-03-18"),
        ("近一个月来", "2022-02-01"),
        ("过去的五年里", "2017-01-01"),
        ("自年初以来", "2022-01-01"),
    ],
)
def test_since_ranges_end_at_the_reference(text: str, start: str) -> None:
    assert found(text) == [(text, start, "2022-03-25", "range")]


def test_since_with_words_in_between() -> None:
    assert found("自2019年与加拉加斯断交以来") == [
        ("自2019年", "2019-01-01", "2022-03-25", "range")
    ]


def test_since_a_weekday() -> None:
    assert found("自周四以来已有近6000人被拘留", dt.date(2022, 2, 28)) == [
        ("自周四以来", "2022-02-24", "2022-02-28", "range")
    ]


def test_past_24_hours_of_a_named_day() -> None:
    text = "乌克兰国防部周五指责分裂分子在过去24小时内3次违反停火协议。"
    assert found(text, dt.date(2022, 1, 1))[1] == (
        "过去24小时内",
        "2021-12-30",
        "2021-12-31",
        "range",
    )


@pytest.mark.parametrize(
    "text", ["一个月来，乌克兰陆军一直抵抗", "多年来", "过去几个月当中", "近30位部长"]
)
def test_open_durations_are_not_dates(text: str) -> None:
    assert found(text) == []


# --- parts of day ---------------------------------------------------------------------------


def test_parts_of_day_are_kept_as_detail() -> None:
    text = "泽伦斯基23日晚间发布视频，24日凌晨，周五上午，昨晚，当天稍晚，2月3日下午"
    result = find_expressions(text, FRI)
    assert [(e.text, e.detail) for e in result] == [
        ("23日晚间", "晚间"),
        ("24日凌晨", "凌晨"),
        ("周五上午", "上午"),
        ("昨晚", "晚"),
        ("当天稍晚", "稍晚"),
        ("2月3日下午", "下午"),
    ]
    assert result[0].end_offset - result[0].offset == 5


# --- not dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "3个日期",
        "决定在东欧增加部署4个战斗群",
        "华盛顿条约第5条",
        "部署了40000名部队",
        "国内生产总值2%的标准",
        "北约30国领导人",
        "俄罗斯17万大军压境乌克兰",
        "24小时",
        "被判3年徒刑",
        "遭判四年刑期",
        "使用紧急措施必须在5天内获得批准",
        "为期10个月",
        "泽连斯基在日本国会演说",
        "在日内瓦会晤",
        "月球",
        "乌克兰周边",
        "明年将迎来建交10周年",
        "周刊",
        "几个星期",
        "天然气管道“北溪2号”运营",
        "今日俄罗斯报道",
        "目前天然气价格",
        "已不可同日而語",
        "每周一次",
    ],
)
def test_quantities_and_words_are_not_dates(text: str) -> None:
    assert [e for e in find_expressions(text, FRI) if e.text != "明年"] == []


# --- tense, output and reference ------------------------------------------------------------


def test_tense() -> None:
    result = find_expressions("上周，本周，下周，将于周一", FRI)
    assert [e.tense for e in result] == ["past", "present", "future", "future"]


def test_as_dict_is_json_friendly() -> None:
    (expr,) = find_expressions("23日晚间", FRI)
    assert expr.as_dict() == {
        "text": "23日晚间",
        "offset": 0,
        "end_offset": 5,
        "start": "2022-03-23",
        "end": "2022-03-23",
        "precision": "day",
        "tense": "past",
        "detail": "晚间",
    }
    assert isinstance(expr, TimeExpression)


def test_datetime_reference_uses_its_date() -> None:
    assert days("今天", dt.datetime(2022, 3, 25, 23, 59)) == ["2022-03-25"]


def test_resolve_reference_in_the_outlet_zone() -> None:
    published = dt.datetime(2022, 1, 1, 6, 8, 53, tzinfo=dt.UTC)
    assert resolve_reference(published, "Asia/Qatar").date() == dt.date(2022, 1, 1)
    late = dt.datetime(2021, 12, 21, 23, 34, tzinfo=dt.UTC)
    assert resolve_reference(late, "Asia/Taipei").date() == dt.date(2021, 12, 22)
    assert resolve_reference(late.replace(tzinfo=None), "America/New_York").hour == 18
