"""An archive too large to draw event by event: semantic zoom, the default window, the folded
lane and the paged list, as a reader sees them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from dashboard.web.figures import MAX_GROUP_MARKS, MAX_POINTS
from tests.browser.conftest import start_server

ARTICLES = 1000
OUTLETS = 16  # 12 lanes and "other outlets (4)"
STRAY = 6  # articles that also mention a day in 2010
MARKS_CAP = 2000
POINTS = "#timeline .scatterlayer .points path"


def outlet_of(n: int) -> int:
    """Outlet numbers with falling counts: outlet 0 has most articles."""
    return min(int((n * 7919) % ARTICLES / ARTICLES * OUTLETS * 1.6) % OUTLETS, OUTLETS - 1)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    first = datetime(2022, 2, 1, 1, 0)
    for n in range(ARTICLES):
        when = first + timedelta(minutes=86 * n)  # 1,000 articles over about 60 days
        # Each report in words of its own (characters picked by its number): a thousand
        # copies of one sentence on a day would be, rightly, one story.
        words = "".join(chr(0x4E00 + (n * 7919 + k * 104729) % 20000) for k in range(12))
        stray = f"2010年5月1日{words[::-1]}。" if n % (ARTICLES // STRAY) == 7 else ""
        (root / f"a{n:04d}.md").write_text(
            f"---\ntitle: 第{n}号报道\ndate: {when:%Y-%m-%dT%H:%M:00Z}\n"
            f"from: https://www.outlet{outlet_of(n):02d}.example.com/a/{n}\n---\n\n"
            f"编号{n}。北约官员发表声明。今天{words}。{stray}\n",
            encoding="utf-8",
        )
    return root


@pytest.fixture(scope="module")
def server(archive: Path) -> Iterator[str]:
    process, base = start_server({"CORPUS_DIR": str(archive)}, timeout=300)
    yield base
    process.terminate()
    process.wait(timeout=10)


def open_view(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_selector(POINTS)
    page.wait_for_selector(".article-item")
    page.wait_for_load_state("networkidle")


def marks(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The customdata of every mark drawn: an event id, or "days:FIRST:LAST" for a bin."""
    return page.evaluate(  # type: ignore[no-any-return]
        "() => document.getElementById('timeline').querySelector('.js-plotly-plot').data"
        ".flatMap(t => t.customdata || [])"
    )


def relayout(page, update: str) -> None:  # type: ignore[no-untyped-def]
    """Zoom or pan as the reader's drag does: plotly's relayout, which fires the event."""
    with page.expect_response(lambda r: "_dash-update-component" in r.url):
        page.evaluate(
            "() => Plotly.relayout(document.getElementById('timeline')"
            f".querySelector('.js-plotly-plot'), {update})"
        )
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def test_zoom_in_shows_single_events_and_zoom_out_bins_within_the_cap(page, server) -> None:  # type: ignore[no-untyped-def]
    open_view(page, server)
    coarse = marks(page)
    assert coarse and all(m.startswith("days:") for m in coarse)  # 2,006 events: binned
    assert page.locator(POINTS).count() <= MARKS_CAP
    assert len(coarse) <= MAX_GROUP_MARKS
    relayout(page, "{'xaxis.range[0]': '2022-03-01', 'xaxis.range[1]': '2022-03-03'}")
    assert "window=2022-03-01..2022-03-03" in page.url
    fine = marks(page)
    assert fine and not any(m.startswith("days:") for m in fine)  # single events now
    assert len(fine) <= MAX_POINTS
    hover = page.evaluate(
        "() => document.getElementById('timeline').querySelector('.js-plotly-plot').data"
        ".flatMap(t => t.hovertext || [])"
    )
    assert any("第" in h and "号报道" in h for h in hover)  # with their titles
    relayout(page, "{'xaxis.range[0]': '2009-01-01', 'xaxis.range[1]': '2022-06-01'}")
    wide = marks(page)
    assert wide and all(m.startswith("days:") for m in wide)
    assert page.locator(POINTS).count() <= MARKS_CAP
    relayout(page, "{'xaxis.autorange': true}")
    assert "window=" not in page.url
    assert page.console.errors == []


def test_the_default_window_shows_the_archive_not_a_stray_old_mention(page, server) -> None:  # type: ignore[no-untyped-def]
    open_view(page, server)
    lo, hi = page.evaluate(
        "() => document.getElementById('timeline').querySelector('.js-plotly-plot')"
        "._fullLayout.xaxis.range"
    )
    assert "2022-01-20" < lo[:10] < "2022-02-01" and "2022-04-01" < hi[:10] < "2022-04-12"
    note = page.locator("#window-note").inner_text()
    assert re.search(rf"\b{STRAY}\b", note), note  # the 2010 mentions are counted
    page.locator("#window-all").click()
    page.wait_for_function(
        "() => document.getElementById('timeline').querySelector('.js-plotly-plot')"
        "._fullLayout.xaxis.range[0] < '2010-05-02'"
    )
    assert "window=all" in page.url
    page.locator("#window-default").click()
    page.wait_for_function("() => !location.search.includes('window')")
    assert page.console.errors == []


def test_outlets_past_the_twelfth_share_one_lane_until_chosen(page, server) -> None:  # type: ignore[no-untyped-def]
    open_view(page, server)
    lanes = page.evaluate(
        "() => document.getElementById('timeline').querySelector('.js-plotly-plot')"
        "._fullLayout.yaxis.ticktext"
    )
    assert len(lanes) == 13 and lanes[-1] == "其他媒体 (4)"
    last = "outlet15.example.com"
    assert last not in lanes
    open_view(page, server + f"?outlet={last}")
    lanes = page.evaluate(
        "() => document.getElementById('timeline').querySelector('.js-plotly-plot')"
        "._fullLayout.yaxis.ticktext"
    )
    assert lanes == [last]


def test_the_last_article_of_a_thousand_result_search_is_reachable(page, server) -> None:  # type: ignore[no-untyped-def]
    open_view(page, server + "?q=北约")
    summary = page.locator("#list-summary").inner_text()
    assert "1,000" in summary and "1/20" in summary
    titles = page.locator(".article-item .title").all_inner_texts()
    assert len(titles) == 50 and titles[0] == f"第{ARTICLES - 1}号报道"  # newest first
    page.locator(".page-link.last_page").click()
    page.wait_for_function("() => location.search.includes('page=20')")
    page.wait_for_function(
        "() => document.getElementById('list-summary').innerText.includes('20/20')"
    )
    titles = page.locator(".article-item .title").all_inner_texts()
    assert len(titles) == 50 and titles[-1] == "第0号报道"  # the oldest, last
    page.locator(".article-item").last.click()
    page.wait_for_selector("#panel-title")
    assert page.locator("#panel-title").inner_text() == "第0号报道"
    assert "page=20" in page.url  # the list stays on its page
    assert page.console.errors == []


def test_every_chronology_row_of_a_thousand_articles_is_reachable(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "?view=chronology&lang=en")
    page.wait_for_selector("#chronology-table tbody tr")
    summary = page.locator("#cpage-summary").inner_text()
    total = int(re.search(r"of ([\d,]+)", summary).group(1).replace(",", ""))  # type: ignore[union-attr]
    # Every article's 今天, and the six stray mentions of 2010 (no story: each in its own words).
    assert total == ARTICLES + STRAY
    assert page.locator("#chronology-table tbody tr").count() == 50
    assert page.locator("#chronology-table tbody td.when time").first.inner_text() == "2010-05-01"
    page.locator("#chronology .page-link.last_page").click()
    page.wait_for_url(re.compile(r"cpage=21"))
    page.wait_for_function(
        "() => document.getElementById('cpage-summary').innerText.includes('page 21 of 21')"
    )
    assert page.locator("#chronology-table tbody tr").count() == total - 20 * 50
    assert page.console.errors == []


def test_compare_lists_every_outlet_of_the_archive(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "?view=compare&lang=en")
    page.wait_for_selector("#compare-heat .heatmaplayer")
    assert page.locator("#compare-table-rows tbody tr").count() == OUTLETS
    rows = page.evaluate(
        "() => document.querySelector('#compare-heat .js-plotly-plot').data[0].y.length"
    )
    assert rows == OUTLETS
    title = page.locator("#compare-heat .gtitle").text_content() or ""  # an SVG text
    assert title.startswith("Articles per day")  # about 60 days: one column a day
    assert page.console.errors == []
