"""The article list's order and pages (dashboard.web.listing)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dashboard.parsing.corpus import read_corpus
from dashboard.parsing.store import CorpusData, build_data
from dashboard.web import listing
from dashboard.web.filters import Filters, select

TZ = "Asia/Shanghai"
ARTICLES = {  # name: (title, body, day)
    "a-title": ("北约会议召开", "会议在布鲁塞尔举行。", 1),
    "b-three": ("外长发言", "北约扩张。北约回应。北约声明。", 2),
    "c-newest": ("新闻简报", "北约今天开会。", 4),
    "d-older": ("每日要闻", "北约官员表示。", 3),
    "e-other": ("天气", "晴。", 5),
}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> CorpusData:
    root = tmp_path_factory.mktemp("listing")
    for name, (title, body, day) in ARTICLES.items():
        (root / f"{name}.md").write_text(
            f"---\ntitle: {title}\ndate: 2022-03-0{day}T08:00:00Z\n---\n{body}\n",
            encoding="utf-8",
        )
    return build_data(read_corpus(root, TZ), TZ)


def order(data: CorpusData, query: str) -> list[str]:
    filters = Filters(query=query)
    rows = listing.ordered(data, select(data, filters).positions, filters)
    return [str(i) for i in data.articles.index[rows]]


def test_newest_first_without_a_search(data: CorpusData) -> None:
    assert order(data, "") == ["e-other", "c-newest", "d-older", "b-three", "a-title"]


def test_a_search_puts_title_hits_first_then_frequency_then_newest(data: CorpusData) -> None:
    assert order(data, "北约") == ["a-title", "b-three", "c-newest", "d-older"]
    assert order(data, "北约") == ["a-title", "b-three", "c-newest", "d-older"]  # cached


def test_a_page_is_the_same_rows_however_far_the_order_was_worked_out(data: CorpusData) -> None:
    filters = Filters(query="北约")
    positions = select(data, filters).positions
    whole = listing.ordered(replace(data, search_cache={}), positions, filters).tolist()
    for stop in range(len(whole) + 2):  # within the title hits, across them, past the end
        fresh = replace(data, search_cache={})  # nothing counted yet
        assert listing.ordered(fresh, positions, filters, stop).tolist() == whole[:stop]
        # and after a longer page was asked for, a shorter one is still its start
        listing.ordered(fresh, positions, filters)
        assert listing.ordered(fresh, positions, filters, stop).tolist() == whole[:stop]


def test_pages_clamp_and_link(data: CorpusData, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    filters = Filters(page=9, lang="en")
    items, nav = listing.article_list(data, select(data, filters), filters)
    assert len(items) == 1  # the last page (3 of 3) holds the fifth article
    summary = nav[0].children
    assert "5–5 of 5" in summary and "page 3 of 3" in summary
    hrefs = {n.className.split()[1]: getattr(n, "href", None) for n in nav[1:]}
    assert hrefs["first_page"] == "?lang=en" and hrefs["previous_page"] == "?lang=en&page=2"
    assert hrefs["next_page"] is None and hrefs["last_page"] is None  # no page after the last
    empty = replace(filters, query="不存在")
    items, nav = listing.article_list(data, select(data, empty), empty)
    assert nav == [] and "No articles" in items[0].children


def test_the_list_links_are_each_view_link() -> None:
    from datetime import date

    from dashboard.web.naming import view_link, view_links

    articles = ["rfa/2022-01.md", "a b&c=d%e", "北约#1", "x,y", "?article=z", ""]
    views = [
        Filters(),
        Filters(query="北约 普京", outlets=("rfa", "rfi"), start=date(2022, 1, 1), page=3),
        Filters(event="old#1", article="old", lang="en", view="chronology", story="s-1"),
        Filters(query="a\0b"),  # a NUL elsewhere in the address: written one by one
    ]
    for view in views:
        assert view_links(view, articles) == [view_link(view, a) for a in articles], view
