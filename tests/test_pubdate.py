from __future__ import annotations

from datetime import UTC, datetime

from dashboard import pubdate


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


def test_upload_path_takes_the_latest_month() -> None:
    urls = [
        "https://assets.gnews.org/wp-content/uploads/2021/08/a.jpg",
        "https://assets.gnews.org/wp-content/uploads/2022/03/b.jpg",
    ]
    found = pubdate.extract_upload_month(urls)
    assert found is not None and (found.when.year, found.when.month) == (2022, 3)
    assert found.precision == "month"


def test_gnews_ids_map_to_calibrated_months_only_inside_the_calibration() -> None:
    assert pubdate.gnews_id_month(2225288) == "2022-03"
    assert pubdate.gnews_id_month(1879877) == "2022-01"
    assert pubdate.gnews_id_month(1800000) == "2021-12"  # in a gap: the nearer range
    assert pubdate.gnews_id_month(1000) is None
    assert pubdate.gnews_id_month(9_000_000) is None


def test_report_line_takes_its_year_from_an_anchor() -> None:
    anchor = pubdate.extract_upload_month(["https://x/wp-content/uploads/2022/03/a.jpg"])
    assert anchor is not None
    found = pubdate.extract_report_date("北约 据法国国际广播电台3月24日报道，北约……", [anchor])
    assert found is not None and found.when == datetime(2022, 3, 24)
    full = pubdate.extract_report_date("【大纪元2022年02月25日讯】大家好", [])
    assert full is not None and full.when == datetime(2022, 2, 25)
    assert pubdate.extract_report_date("据法国国际广播电台3月24日报道", []) is None


def test_report_year_crosses_new_year() -> None:
    anchor = pubdate.Candidate(datetime(2022, 1, 1), "month", "upload-path", "2022/01")
    found = pubdate.extract_report_date("据路透社12月30日报道", [anchor])
    assert found is not None and found.when == datetime(2021, 12, 30)


def test_choose_prefers_stronger_evidence_and_keeps_calendar_dates_whole() -> None:
    month = pubdate.Candidate(datetime(2022, 3, 1), "month", "upload-path", "x")
    day = pubdate.Candidate(datetime(2022, 3, 24), "day", "report-text", "y")
    chosen = pubdate.choose([month, day], "America/New_York")
    assert chosen is not None
    assert chosen.instant == datetime(2022, 3, 24, tzinfo=UTC)
    assert (chosen.source, chosen.precision, chosen.inferred) == ("report-text", "day", True)
    assert pubdate.choose([], "UTC") is None


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
