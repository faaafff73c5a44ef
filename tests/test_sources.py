"""Readers choose by content, not by file name; metadata is validated when read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.parsing.corpus import read_file
from dashboard.parsing.sources import pick_reader
from dashboard.parsing.sources.common import meta_from, split_front_matter
from dashboard.parsing.sources.gnews import original_url
from dashboard.parsing.sources.jsonl import DETECT_LINES, JsonLinesReader, _head, _is_record, _lines

GOLDEN = Path(__file__).parent / "data" / "golden"


@pytest.mark.parametrize(
    ("relpath", "reader"),
    [
        ("seeds/000_6870c681a42abc3f.txt", "waimei"),
        ("format1/waimei-2021-12-06-001.md", "waimei"),
        ("seeds/003_9be81c0ca1c2c4ce.txt", "hexo"),
        ("format2/aljazeera-2021-12-04-001.md", "hexo"),
        ("seeds/002_6317052b93716a15.txt", "gnews"),
        ("format3/gnews-1719850.md", "gnews"),
        ("format3/gnews-2597691.md", "gnews"),
        ("other/news-tls.jsonl", "jsonl"),
        ("other/saved-page.html", "generic"),
        ("edge/edge-zx-2019-11-02-001.md", "generic"),
    ],
)
def test_reader_is_picked_by_content(relpath: str, reader: str) -> None:
    content = (GOLDEN / relpath).read_text(encoding="utf-8-sig")
    picked = pick_reader(content)
    assert picked is not None and picked.name == reader


def test_file_name_does_not_decide_the_format(tmp_path: Path) -> None:
    source = (GOLDEN / "seeds/003_9be81c0ca1c2c4ce.txt").read_bytes()
    (tmp_path / "misnamed.jsonl").write_bytes(source)
    articles, skipped = read_file(tmp_path / "misnamed.jsonl", tmp_path, "UTC")
    assert skipped == [] and articles[0].format == "hexo"
    assert articles[0].id == "misnamed"


def test_blank_line_before_front_matter() -> None:
    fm, body = split_front_matter(
        "\n\n---\ntitle: 标题\ndate: Sat, 01 Jan 2022 06:08:53 GMT\n---\n<p>x</p>"
    )
    assert fm == {"title": "标题", "date": "Sat, 01 Jan 2022 06:08:53 GMT"}
    assert body.strip() == "<p>x</p>"


def test_broken_yaml_falls_back_to_key_value_lines() -> None:
    fm, _ = split_front_matter(
        '---\ntitle: "他说"不"的理由"\ndate: 2022-01-01T00:00:00Z\n---\n正文'
    )
    meta = meta_from(fm)
    assert meta.title is not None and "理由" in meta.title
    assert meta.date is not None and meta.date.when.year == 2022


def test_metadata_is_typed_not_raw() -> None:
    meta = meta_from(
        {
            "title": 2022,
            "date": ["not", "a", "date"],
            "from": "ftp://x",
            "author": "法广",
            "categories": ["新媒体", None, 3],
        }
    )
    assert meta.title == "2022"
    assert meta.date is None
    assert meta.url is None
    assert meta.byline == "法广"
    assert meta.categories == ("新媒体", "3")


def test_gnews_original_prefers_the_readable_url_over_the_reencoded_href() -> None:
    md = "新闻参考链接：[https://www.rfi.fr/cn/%E6%AC%A7](https://www.rfi.fr/cn/%25E6%25AC%25A7)"
    assert original_url(md) == "https://www.rfi.fr/cn/%E6%AC%A7"


def test_gnews_original_ignores_photo_credits_and_running_text() -> None:
    assert original_url("![](https://assets.gnews.org/a.png)图片来源：CNN") is None
    assert original_url("上述消息来源于普京身边的人[见](https://gnews.org/1)") is None
    md = "**新闻来源**: [路透社][Europe needs to end](https://www.reuters.com/world/x)"
    assert original_url(md) == "https://www.reuters.com/world/x"


def test_jsonl_records_become_articles_with_record_ids() -> None:
    articles, skipped = read_file(GOLDEN / "other/news-tls.jsonl", GOLDEN, "UTC")
    assert [a.id for a in articles] == ["other/news-tls/nyt-2022-03-09", "other/news-tls/17"]
    assert articles[0].published.source == "record"
    reasons = {s.path: s.reason for s in skipped}
    assert "line 3: not valid JSON" in reasons["other/news-tls.jsonl"]
    assert "no usable publication date" in reasons["other/news-tls.jsonl#no-time"]


def test_saved_web_page_reads_meta_tags_and_drops_page_chrome() -> None:
    [article], _ = read_file(GOLDEN / "other/saved-page.html", GOLDEN, "UTC")
    assert article.title == "北约峰会在布鲁塞尔举行 拜登出席"
    assert article.outlet == "voa"
    assert article.published.source == "html-meta"
    assert "首页" not in article.text  # the <nav> is outside <article>
    assert "tracker" not in article.html and "onclick" not in article.html


def test_gnews_raw_header_gives_title_byline_and_url() -> None:
    [article], _ = read_file(GOLDEN / "format3/gnews-1879877.md", GOLDEN, "UTC")
    assert article.title == "德国总理会见北约秘书长 呼吁缓和俄乌局势"
    assert article.byline == "墨尔本雅典娜农场"
    assert article.url == "https://gnews.org/zh-hans/1879877/"
    assert article.repost_of == "https://i.ifeng.com/c/8CuvkTGEGWL"
    assert "ROL Foundation" not in article.text


LINE_CHARS = st.sampled_from(list('\n\r \t\ufeff\u2028{}"text:1ab'))


@given(st.lists(LINE_CHARS, max_size=40).map("".join))
def test_jsonl_head_is_the_first_non_blank_lines(sample: str) -> None:
    assert _head(sample, DETECT_LINES) == [ln for ln in _lines(sample) if ln.strip()][:5]


@given(st.lists(LINE_CHARS, max_size=30).map("".join))
def test_jsonl_record_check_agrees_with_loading_every_line(line: str) -> None:
    try:
        record = json.loads(line)
        expected = isinstance(record, dict) and "text" in record
    except ValueError:
        expected = False
    assert _is_record(line) == expected


def test_jsonl_detect_still_finds_a_record_after_blank_and_damaged_lines() -> None:
    reader = JsonLinesReader()
    assert reader.detect('\ufeff\n\n  \r\n{"broken"\n{"text": "正文"}\n')
    assert not reader.detect("\n".join(["# 标题", "", "正文 {", "{}"] * 3))
