"""The research views in a real browser on the seeds: the chronology's rows and order, the
story page of the NATO summit, the outlet comparison and its heat map, at 1440 and 390 px."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard import no_errors

STORY = "2022-03-24-81cb62"
SUMMIT = ["000_6870c681a42abc3f", "001_74332eaaa2aa362a", "002_6317052b93716a15"]
WIDTHS = (1440, 390)


def settle(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector(selector)
    page.wait_for_load_state("networkidle")


def shots(page, name: str) -> None:  # type: ignore[no-untyped-def]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(300)  # the responsive graphs redraw at the new width
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1400, "height": 1000})


def chronology_dates(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#chronology-table tbody td.when time").all_inner_texts()


def test_the_chronology_lists_every_happening_in_date_order(page, base_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "?view=chronology")
    settle(page, "#chronology-table tbody tr")
    assert page.locator("#timeline-view").is_hidden()
    assert page.locator("#tab-chronology").get_attribute("aria-current") == "page"
    rows = page.locator("#chronology-table tbody tr")
    assert (
        rows.count() == 31
    )  # 34 mentions, four of the summit (one per sentence about it) in one row
    dates = [d[:10] for d in chronology_dates(page)]
    assert dates == sorted(dates)
    assert "共 31 条" in page.locator("#cpage-summary").inner_text()
    summit = rows.filter(has_text="事件页")
    assert summit.count() == 1 and summit.locator("td.reports strong").inner_text() == "3"
    assert summit.locator("td.outlets strong").inner_text() == "3"
    shots(page, "chronology")
    no_errors(page)


def test_the_chronology_sorts_from_the_keyboard(page, base_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "?view=chronology&lang=en")
    settle(page, "#chronology-table tbody tr")
    date_head = page.locator("#chronology-table thead th").first
    assert date_head.get_attribute("aria-sort") == "ascending"
    date_head.locator("a").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=-date"))
    page.wait_for_function(
        "() => document.querySelector('#chronology-table thead th')"
        ".getAttribute('aria-sort') === 'descending'"
    )
    dates = [d[:10] for d in chronology_dates(page)]
    assert dates == sorted(dates, reverse=True)
    page.locator("#chronology-table thead th a", has_text="Outlets").click()
    page.wait_for_url(re.compile(r"sort=outlets"))
    page.wait_for_function(
        "() => document.querySelector('#chronology-table tbody tr td.outlets strong')"
        ".innerText === '3'"
    )
    no_errors(page)


def test_the_story_page_lists_the_summit_reports_in_order_with_lags(page, base_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "?view=chronology&lang=en")
    settle(page, "#chronology-table tbody tr")
    page.locator("a.story-page-link").first.click()
    page.wait_for_url(re.compile(f"story={STORY}"))
    settle(page, ".story-report")
    reports = page.locator(".story-report")
    links = [reports.nth(n).locator("a.report-title").get_attribute("href") for n in range(3)]
    assert [re.search(r"article=([^&]+)", h).group(1) for h in links] == SUMMIT  # type: ignore[union-attr]
    lags = page.locator(".story-report .lag").all_inner_texts()
    assert lags == ["first report", "+1 h 44 min", "≈ +7 d"]
    assert page.locator(".story-report mark").first.inner_text() == "24日"
    # The label: the first report's title, and the sentence most like the others.
    assert "北约峰会敦促俄罗斯撤军" in page.locator("#story-title").inner_text()
    assert page.locator("#story-sentence mark").inner_text() == "3月24日"
    assert "Al Jazeera" in page.locator("#story-missing").inner_text()
    shots(page, "story")
    # Opening a report from the story page opens its panel over the page.
    reports.nth(1).locator("a.report-title").click()
    page.wait_for_selector("#panel:not([hidden]) #panel-title")
    assert "北约领导人联合声明" in page.locator("#panel-title").inner_text()
    page.locator("#panel-close").click()
    page.locator("#story-back").click()
    page.wait_for_url(re.compile(r"view=chronology"))
    settle(page, "#chronology-table tbody tr")
    no_errors(page)


def test_compare_shows_the_four_outlets_and_the_heat_map_filters(page, base_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "?view=compare&lang=en")
    settle(page, "#compare-table-rows tbody tr")
    names = page.locator("#compare-table-rows tbody th").all_inner_texts()
    assert sorted(names) == sorted(["Al Jazeera", "GNews", "Radio Free Asia", "RFI"])
    rfi = page.locator("#compare-table-rows tbody tr", has_text="RFI")
    assert rfi.locator("td").last.inner_text() == "+1 h 44 min"
    page.wait_for_selector("#compare-heat .heatmaplayer")
    shots(page, "compare")
    # A real click on Radio Free Asia's busiest cell: its day, its outlet.
    point = page.evaluate(
        """() => {
            const gd = document.querySelector('#compare-heat .js-plotly-plot');
            const trace = gd.data[0], row = trace.y.indexOf('Radio Free Asia');
            const col = trace.z[row].indexOf(1);
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            const box = gd.getBoundingClientRect();
            return {x: box.left + xa._offset + xa.d2p(trace.x[col]),
                    y: box.top + ya._offset + ya.d2p(trace.y[row]), day: trace.x[col]};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(r"outlet=rfa"))
    page.wait_for_function(
        "() => document.querySelectorAll('#compare-table-rows tbody tr').length === 1"
    )
    assert f"from={point['day']}" in page.url and "view=compare" in page.url
    assert page.locator("#outlet-filter input:checked").count() == 1
    assert page.locator(".article-item").count() == 1
    no_errors(page)


@pytest.mark.parametrize("view", ["chronology", "compare"])
def test_a_view_reads_in_english_and_its_tabs_lead_back(page, base_url, view) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + f"?view={view}")
    settle(page, f"#{view}-view:not([hidden])")
    page.get_by_text("English", exact=True).click()
    page.wait_for_function("() => document.getElementById('tab-timeline').innerText === 'Timeline'")
    page.locator("#tab-timeline").click()
    settle(page, "#timeline .main-svg")
    assert page.locator(f"#{view}-view").is_hidden()
    assert "view=" not in page.url
    no_errors(page)
