"""GNews reposts on real excerpts (tests/data/gnews): the byline stamp, wiki links, the byline."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dashboard.parsing.articles import Article
from dashboard.parsing.corpus import read_file
from dashboard.parsing.sources.gnews import GNewsReader, unwiki

DATA = Path(__file__).parent / "data" / "gnews"
STAMPED = {
    "gnews-1692654.md": (datetime(2023, 9, 15, 1, 4, tzinfo=UTC), "秘密翻譯組G-Translators"),
    "gnews-1719566.md": (datetime(2023, 9, 21, 5, 6, tzinfo=UTC), "秘密翻譯組G-Translators"),
    "gnews-1003994.md": (datetime(2023, 3, 11, 12, 30, tzinfo=UTC), "GNEWSTAIWAN"),
    "gnews-1811164.md": (datetime(2023, 10, 10, 0, 46, tzinfo=UTC), None),
}


def read(name: str, root: Path = DATA) -> Article:
    articles, skipped = read_file(root / name, root, "Asia/Shanghai")
    assert skipped == [] and len(articles) == 1, skipped
    return articles[0]


@pytest.mark.parametrize("name", sorted(STAMPED))
def test_the_stamp_is_the_publication_minute_and_leaves_the_byline(name: str) -> None:
    article = read(name)
    instant, byline = STAMPED[name]
    assert article.published.instant == instant
    assert (article.published.source, article.published.precision) == ("header", "minute")
    assert article.published.inferred is False
    assert article.byline == byline
    assert article.format == "gnews" and article.outlet == "gnews"


@pytest.mark.parametrize("name", sorted(STAMPED))
def test_no_wiki_markup_reaches_the_text(name: str) -> None:
    article = read(name)
    assert "[[" not in article.text and "]]" not in article.text
    assert "[[" not in article.title and "[[" not in article.html


def test_wiki_linked_words_are_searchable_running_text() -> None:
    article = read("gnews-1692654.md")
    assert "美国驻日本大使" in article.text
    assert "根据每日传讯（Daily Caller）9月14日报道，中共国防部长已数周未公开露面" in article.text
    flash = read("gnews-1719566.md")
    assert flash.text.startswith("2023年9月21日FLASH消息：5 月 29 日，日本财务大臣的咨询机构")


def test_a_file_without_stamp_or_other_evidence_gets_no_date() -> None:
    articles, skipped = read_file(DATA / "gnews-2197304.md", DATA, "Asia/Shanghai")
    assert articles == []
    assert [s.path for s in skipped] == ["gnews-2197304.md"]
    assert "no usable publication date" in skipped[0].reason


def test_without_its_stamp_a_post_falls_back_to_its_measured_id_month(tmp_path: Path) -> None:
    text = (DATA / "gnews-1692654.md").read_text(encoding="utf-8")
    (tmp_path / "a.md").write_text(text.replace("9/15/2023 1:04 AM UTC ", ""), encoding="utf-8")
    article = read("a.md", tmp_path)
    assert article.byline == "秘密翻譯組G-Translators"
    published = article.published
    assert (published.source, published.precision, published.inferred) == (
        "gnews-id",
        "month",
        True,
    )
    assert published.instant == datetime(2023, 9, 1, tzinfo=UTC)


def test_the_front_matter_form_reads_the_stamp_too() -> None:
    raw = (DATA / "gnews-1003994.md").read_text(encoding="utf-8")
    body = raw[raw.index("`3/11/2023") :]
    text = f"---\ntitle: 法國巴斯德研究所切割與中共關係\ndate: 2023-03-12\n---\n{body}"
    [found] = GNewsReader().read(text)
    assert not isinstance(found, Exception)
    assert found.byline == "GNEWSTAIWAN" and found.title == "法國巴斯德研究所切割與中共關係"
    sources = [c.source for c in found.dates]
    assert sources == ["header", "front-matter"]
    assert found.dates[0].when == datetime(2023, 3, 11, 12, 30, tzinfo=UTC)


def test_unwiki_forms() -> None:
    assert unwiki("2023年[[zh:9月21日]]中央日报消息：63 岁的[[zh:美国]]驻[[zh:日本]]大使") == (
        "2023年9月21日中央日报消息：63 岁的美国驻日本大使"
    )
    assert unwiki("[[zh:美国|美方]]表示") == "美方表示"
    assert unwiki("[[en:Pentagon|]]") == "Pentagon"
    assert unwiki(r"\[[[zh:中共国]]\]可能") == r"\[中共国\]可能"
    assert unwiki("[[[zh:冠状病毒]]]") == "[冠状病毒]"
    # Markdown's own double brackets are not wiki links.
    assert unwiki("见[[1]](https://example.org)") == "见[[1]](https://example.org)"
    assert unwiki("[[zh:]]") == "[[zh:]]"


def test_unwiki_is_linear_on_hostile_input() -> None:
    hostiles = ("[[" * 500_000, "[[zh:" + "a" * 1_000_000, "[[zh:a|" * 150_000)
    for hostile in (*hostiles, ("[[zh:" + "a" * 195) * 5_000):
        started = time.perf_counter()
        assert len(unwiki(hostile)) == len(hostile)
        # Linear: ~0.05 s on a megabyte here; a backtracking pattern would take minutes.
        assert time.perf_counter() - started < 2
    many = "[[zh:美国]]" * 100_000
    assert unwiki(many) == "美国" * 100_000
    assert not re.search(r"\[\[", unwiki(many))
