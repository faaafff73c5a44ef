"""What a person sees: counts, lists, the panel opening, the URL, downloads, no console errors."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from tests.browser.conftest import screenshot, start_server

RFA_TITLE = "北约峰会敦促俄罗斯撤军 呼吁中国不提供军事经济援助"
RFI_ID = "001_74332eaaa2aa362a"
RFI_TITLE = "北约领导人联合声明：我们呼吁所有国家，不以任何方式支持俄罗斯的战争努力"
AJ_TITLES = {
    "华盛顿与基辅就莫斯科危机进行磋商并指责俄罗斯继续向乌克兰军事集结",
    "拜登与普京通话后 俄罗斯与北约开始对话的筹备接触",
}


def open_view(page, base_url: str, query: str = "") -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + query)
    page.wait_for_selector("#timeline .main-svg")
    page.wait_for_selector("#caption:not(:empty)")
    page.wait_for_load_state("networkidle")


def listed_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator(".article-item .title").all_inner_texts()


def no_errors(page) -> None:  # type: ignore[no-untyped-def]
    assert page.console.errors == []
    assert page.console.dialogs == []
    kinds = {kind for kind, _ in page.console.external}
    assert kinds <= {"image"}, page.console.external  # no CDN scripts, styles or fonts


def test_main_view_loads_the_bundled_corpus_without_console_errors(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url)
    assert len(listed_titles(page)) == 5
    assert re.search(r"\d+ 个事件，5 篇文章", page.locator("#caption").inner_text())
    assert page.locator("#timeline .scatterlayer .points path").count() >= 5
    screenshot(page, "main-view")
    no_errors(page)


def test_outlet_in_the_url_lists_exactly_the_al_jazeera_articles(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url, "?outlet=aljazeera")
    assert set(listed_titles(page)) == AJ_TITLES and len(listed_titles(page)) == 2
    assert page.locator("#outlet-filter input:checked").count() == 1
    no_errors(page)


def test_search_in_the_url_lists_only_the_rfa_article(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url, "?q=禁飞区")
    assert listed_titles(page) == [RFA_TITLE]
    assert page.locator("#search").input_value() == "禁飞区"
    no_errors(page)


def test_article_in_the_url_opens_its_panel(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url, f"?article={RFI_ID}")
    page.wait_for_selector("#panel-title")
    assert page.locator("#panel").is_visible()
    assert page.locator("#panel-title").inner_text() == RFI_TITLE
    original = page.locator("#panel-body a", has_text="原文链接")
    assert original.get_attribute("target") == "_blank"
    assert "noopener" in (original.get_attribute("rel") or "")
    screenshot(page, "article-panel")
    no_errors(page)


def test_clicking_an_event_opens_its_panel_with_the_sentence_highlighted(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url, "?kind=mentioned&outlet=rfi")
    page.locator("#timeline .scatterlayer .points path").first.click(force=True)
    mark = page.locator("#highlight")
    mark.wait_for(timeout=15000)
    assert page.locator("#panel").is_visible()
    assert "event=" in page.url and "article=" + RFI_ID in page.url
    assert len(mark.inner_text()) > 4
    page.wait_for_timeout(300)
    assert mark.is_visible() and mark.bounding_box() is not None
    screenshot(page, "event-highlighted")
    page.locator("#panel-close").click()
    page.wait_for_selector("#panel", state="hidden")
    assert "article=" not in page.url and "outlet=rfi" in page.url
    no_errors(page)


def test_export_downloads_the_events_shown(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url, "?outlet=aljazeera")
    shown = int(re.match(r"(\d+)", page.locator("#caption").inner_text()).group(1))
    with page.expect_download() as csv_download:
        page.locator("#export-csv").click()
    rows = list(
        csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8")))
    )
    assert len(rows) == shown and {r["outlet"] for r in rows} == {"aljazeera"}
    with page.expect_download() as json_download:
        page.locator("#export-json").click()
    records = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert len(records) == shown and json_download.value.suggested_filename == "events.json"
    no_errors(page)


def test_changing_the_view_updates_the_url(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url)
    page.locator("#search").fill("北约")
    page.locator("#search").press("Enter")
    page.wait_for_function("() => location.search.includes('q=')")
    page.locator("#outlet-filter label", has_text="法国国际广播电台").click()
    page.wait_for_function("() => location.search.includes('outlet=rfi')")
    page.wait_for_function("() => document.querySelectorAll('.article-item').length === 1")
    assert listed_titles(page) == [RFI_TITLE]
    page.go_back()
    page.wait_for_function("() => !location.search.includes('outlet=')")
    page.wait_for_timeout(500)
    assert len(listed_titles(page)) > 1
    no_errors(page)


def test_invalid_url_values_show_a_notice_not_an_error(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url, "?outlet=cnn&from=2022-02-30&article=nope&q=%E5%8C%")
    notices = " ".join(page.locator(".notice").all_inner_texts())
    assert "cnn" in notices and "from" in notices and "nope" in notices and "search" in notices
    assert len(listed_titles(page)) == 5
    no_errors(page)


def test_english_interface(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url)
    page.locator("#lang label", has_text="English").click()
    page.wait_for_function(
        "() => document.querySelector('#page-title').innerText === 'News timeline'"
    )
    page.wait_for_function(
        "() => /events in 5 articles/.test(document.querySelector('#caption').innerText)"
    )
    assert "lang=en" in page.url
    no_errors(page)


def test_keyboard_reaches_the_article_list_and_opens_a_panel(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url)
    page.locator("#search").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('article-item')"):
            break
    else:
        pytest.fail("Tab never reached the article list")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_selector("#panel-title")
    no_errors(page)


def test_usable_at_phone_width(browser, base_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    tab.goto(base_url)
    tab.wait_for_selector("#timeline .main-svg")
    tab.wait_for_selector(".article-item")
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"page is {width}px wide at a 390px viewport"
    screenshot(tab, "phone-width")
    context.close()


def test_untrusted_titles_and_text_stay_text(browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "evil.md").write_text(
        "---\ntitle: '<img src=x onerror=alert(1)><script>alert(2)</script>北约'\n"
        "date: 2022-03-24T10:00:00Z\nurl: https://example.org/a\n---\n\n"
        "<p onclick=alert(3)>3月24日<b>&lt;i&gt;北约&lt;/i&gt;</b>峰会举行。</p>"
        '<script>alert(4)</script><a href="javascript:alert(5)">链接</a>\n',
        encoding="utf-8",
    )
    process, base = start_server({"CORPUS_DIR": str(tmp_path)})
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        dialogs: list[str] = []
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.goto(base + "?article=evil")
        tab.wait_for_selector("#panel-title")
        tab.locator("#timeline .scatterlayer .points path").first.hover(force=True)
        tab.wait_for_timeout(500)
        assert "<script>alert(2)</script>" in tab.locator("#panel-title").inner_text()
        assert "<img src=x" in tab.locator(".article-item .title").first.inner_text()
        assert tab.locator("#panel-body script, #panel-body [onclick]").count() == 0
        assert tab.locator("#panel-body a[href^='javascript']").count() == 0
        assert dialogs == []
        context.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_any_spelling_finds_the_same_articles_and_marks_them(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url, "?q=澤倫斯基")
    traditional = sorted(listed_titles(page))
    open_view(page, base_url, "?q=Zelensky")
    assert sorted(listed_titles(page)) == traditional and len(traditional) == 4
    page.locator(".article-item", has_text="北约领导人联合声明：我们呼吁").click()
    page.wait_for_selector("#panel-title")
    assert page.locator("#panel-body mark.hit").count() >= 1
    no_errors(page)


def test_clicking_an_entity_filters_by_it(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url, "?article=000_6870c681a42abc3f")
    page.wait_for_selector("#panel-title")
    page.locator("#panel-body .entity-link", has_text="马克龙").click()
    page.wait_for_function("() => location.search.includes('entity=macron')")
    page.wait_for_function("() => document.querySelectorAll('.article-item').length === 2")
    assert "马克龙" in page.locator("#caption").inner_text()
    assert page.locator("#entity-chip").inner_text().startswith("马克龙")
    no_errors(page)


def test_one_item_per_story_and_its_coverage(page, base_url) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url, "?stories=1&from=2022-03-24&to=2022-03-24&kind=mentioned")
    assert page.locator("#stories-toggle input:checked").count() == 1
    assert "多家报道" in page.locator("#timeline").inner_text()
    star = page.locator("#timeline .scatterlayer .trace:last-child .points path")
    star.first.click(force=True)
    page.wait_for_selector(".story-list")
    coverage = page.locator(".story-list .link-button").all_inner_texts()
    assert len(coverage) == 3 and any("GNews" in c for c in coverage)
    screenshot(page, "story-coverage")
    no_errors(page)
