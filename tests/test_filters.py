from __future__ import annotations

from datetime import date

import pytest

from dashboard.parsing.store import CorpusData
from dashboard.web.filters import Filters, matching_articles, select

RFA = "000_6870c681a42abc3f"
RFI = "001_74332eaaa2aa362a"
GNEWS = "002_6317052b93716a15"
AJ_JAN, AJ_DEC = "003_9be81c0ca1c2c4ce", "004_460d2781416ddc35"


def test_query_string_round_trip(seed_data: CorpusData) -> None:
    query = "?outlet=rfa,rfi&q=北约&from=2022-01-01&to=2022-03-31&kind=mentioned&article=" + RFI
    filters, notices = Filters.from_query(query, seed_data)
    assert notices == []
    assert filters == Filters(
        outlets=("rfa", "rfi"),
        query="北约",
        start=date(2022, 1, 1),
        end=date(2022, 3, 31),
        kinds=("mentioned",),
        article=RFI,
    )
    again, _ = Filters.from_query(filters.to_query(), seed_data)
    assert again == filters
    assert Filters().to_query() == ""


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("?outlet=cnn", "unknown outlet ignored: cnn"),
        ("?from=2022-02-30", "“from” is not a date"),
        ("?to=yesterday", "“to” is not a date"),
        ("?kind=rumour", "unknown kind ignored: rumour"),
        ("?article=../../etc/passwd", "no article with id"),
        ("?from=2022-03-31&to=2022-01-01", "is after"),
        ("?colour=red", "unknown parameter ignored: colour"),
        ("?q=" + "北" * 300, "search ignored"),
        ("?q=%00%01", "control characters removed from “q”"),
        ("?q=%E5%8C%", "not valid UTF-8"),
        ("?" + "&".join(f"x{i}=1" for i in range(40)), "too many parameters"),
    ],
)
def test_invalid_values_are_ignored_with_a_notice(
    seed_data: CorpusData, query: str, notice: str
) -> None:
    filters, notices = Filters.from_query(query, seed_data)
    assert any(notice in n for n in notices), notices
    assert select(seed_data, filters).events is not None  # still a usable view


def test_malformed_percent_encoding_does_not_crash(seed_data: CorpusData) -> None:
    filters, _ = Filters.from_query("?q=%E5%8C%&outlet=%ZZ", seed_data)
    assert isinstance(filters, Filters)


def test_outlet_filter_keeps_counts_of_every_outlet(seed_data: CorpusData) -> None:
    filters, _ = Filters.from_query("?outlet=aljazeera", seed_data)
    selection = select(seed_data, filters)
    assert sorted(selection.articles.index) == [AJ_JAN, AJ_DEC]
    assert set(selection.events["outlet"]) == {"aljazeera"}
    assert selection.outlet_counts == {"aljazeera": 2, "rfa": 1, "rfi": 1, "gnews": 1}


def test_keyword_search_in_chinese_without_spaces(seed_data: CorpusData) -> None:
    assert list(matching_articles(seed_data, "禁飞区")) == [RFA]
    assert set(matching_articles(seed_data, "北约 声明")) >= {RFI, GNEWS}
    assert set(matching_articles(seed_data, "nato")) == set(
        matching_articles(seed_data, "ＮＡＴＯ")
    )
    assert RFA in set(matching_articles(seed_data, "Stoltenberg"))
    assert list(matching_articles(seed_data, "不存在的词语")) == []


def test_date_range_keeps_overlapping_events(seed_data: CorpusData) -> None:
    filters = Filters(start=date(2022, 1, 9), end=date(2022, 1, 10))
    events = select(seed_data, filters).events
    assert not events.empty
    assert (events["end"] >= "2022-01-09").all() and (events["start"] <= "2022-01-10").all()


def test_kind_filter(seed_data: CorpusData) -> None:
    published = select(seed_data, Filters(kinds=("published",))).events
    assert set(published["kind"]) == {"published"} and len(published) == 5


def test_caption_says_what_is_shown(seed_data: CorpusData) -> None:
    filters = Filters(
        outlets=("rfa", "rfi"),
        query="北约",
        start=date(2022, 3, 1),
        end=date(2022, 3, 31),
        lang="en",
    )
    selection = select(seed_data, filters)
    caption = selection.caption
    assert caption.startswith(f"{len(selection.events)} events in 2 articles")
    assert "Radio Free Asia, RFI" in caption and "2022-03-01 – 2022-03-31" in caption
    assert caption.endswith("“北约”")


def test_empty_result_says_so_plainly(seed_data: CorpusData) -> None:
    zh = select(seed_data, Filters(query="不存在的词语"))
    assert zh.empty and zh.caption.startswith("没有符合条件的事件")
    en = select(seed_data, Filters(query="不存在的词语", lang="en"))
    assert en.caption.startswith("No events match")
