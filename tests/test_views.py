"""The research views without a browser: report order and lags, the chronology, the story page
and the outlet comparison, on the seeds and on the golden samples (about 100 real articles)."""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pytest
from dash import no_update

from dashboard.config import Settings
from dashboard.parsing.corpus import read_corpus
from dashboard.parsing.store import CorpusData, build_data
from dashboard.web.callbacks import VIEW_OUTPUTS, next_view, view_frame, view_outputs
from dashboard.web.filters import Filters, select
from dashboard.web.reports import Lag, in_report_order, report_times
from dashboard.web.views.chronology import ROWS_PER_PAGE, chronology_view, happenings
from dashboard.web.views.compare import (
    HEAT_PREFIX,
    from_heat_click,
    heat_figure,
    outlet_table,
    period_unit,
)
from dashboard.web.views.story import story_page, story_reports
from tests.conftest import DATA
from tests.test_callbacks import _text

STORY = "2022-03-24-81cb62"
RFA, RFI, GNEWS = "000_6870c681a42abc3f", "001_74332eaaa2aa362a", "002_6317052b93716a15"
SETTINGS = Settings(cache_dir=None)


@pytest.fixture(scope="module")
def sample_data() -> CorpusData:
    return build_data(read_corpus(DATA / "golden", "Asia/Shanghai"), "Asia/Shanghai")


def _outputs(data: CorpusData, query: str, before: Filters | None) -> dict[str, object]:
    filters, _ = Filters.from_query(query, data)
    values = view_outputs(data, filters, before, SETTINGS)
    return {i: v for (i, _), v in zip(VIEW_OUTPUTS, values, strict=True)}


# Report order and lags


def test_lags_are_exact_between_instants_and_approximate_otherwise() -> None:
    assert Lag(2 * 3600 + 14 * 60, True).label("en") == "+2 h 14 min"
    assert Lag(3 * 86400 + 4 * 3600 + 300, True).label("en") == "+3 d 4 h"
    assert Lag(0, True).label("en") == "+0 min"
    assert Lag(5 * 3600, True).label("zh") == "+5小时"
    assert Lag(86400 + 1800, True).label("zh") == "+1天"
    assert Lag(7 * 86400 + 5 * 3600, False).label("en") == "≈ +7 d"
    assert Lag(5 * 3600, False).label("zh") == "≈ +5小时"


def test_a_report_dated_only_to_its_month_comes_after_the_precise_ones(
    seed_data: CorpusData,
) -> None:
    # The GNews repost says only "2022-03": it was out by the end of March at the latest, so
    # it cannot pass for the first report of a summit held on the 24th.
    times = report_times(seed_data)
    rows = [seed_data.articles.index.get_loc(i) for i in (GNEWS, RFI, RFA)]
    ordered = in_report_order(times, np.array(rows))
    assert [seed_data.articles.index[p] for p in ordered] == [RFA, RFI, GNEWS]


# The story page


def test_the_summit_story_lists_its_reports_in_order_with_lags(seed_data: CorpusData) -> None:
    reports = story_reports(seed_data, STORY)
    assert reports is not None
    assert [seed_data.articles.index[p] for p in reports.positions] == [RFA, RFI, GNEWS]
    assert [lag.seconds for lag in reports.lags[:2]] == [0, 6241]  # 18:31:00 → 20:15:01
    assert reports.lags[1].exact and not reports.lags[2].exact
    assert story_reports(seed_data, "2022-03-24-nope") is None


def test_the_story_page_shows_lags_sentences_reposts_and_who_did_not_report(
    seed_data: CorpusData,
) -> None:
    filters = Filters(story=STORY, lang="en")
    page = story_page(seed_data, filters, select(seed_data, filters).outlet_counts)
    text = " ".join(_text(c) for c in page if c is not None)
    assert "3 reports by 3 outlets" in text
    items = next(c for c in page if getattr(c, "className", "") == "story-reports").children
    rows = [_text(item) for item in items]
    assert "first report" in rows[0] and "+1 h 44 min" in rows[1] and "≈ +7 d" in rows[2]
    # Each report's sentence about the happening, its date marked.
    marks = [_marks(item) for item in items]
    assert marks[0][0] == "24日" and "3月24日" in marks[1]
    assert "Repost of" in rows[2] and "Reposted by" in rows[1]  # GNews reposts RFI
    assert "Outlets in this view that did not report it: Al Jazeera" in text
    back = page[0].children
    assert back.href == "?lang=en"  # closing the page keeps the filters


def test_an_unknown_story_is_a_notice_and_the_page_says_so(seed_data: CorpusData) -> None:
    filters, notices = Filters.from_query("?story=2022-01-01-zzzzzz", seed_data)
    assert filters.story is None and notices == ["no story with id '2022-01-01-zzzzzz'"]
    page = story_page(seed_data, Filters(story="nope"), {})
    assert "没有这个事件" in _text(page[1])


def _marks(component: object) -> list[str]:
    found: list[str] = []
    if getattr(component, "_type", "") == "Mark":
        found.append(_text(component))
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found += _marks(child)
    return found


# The chronology


def _naive(data: CorpusData, filters: Filters) -> dict[str, tuple[int, int, str]]:
    """The chronology worked out one event at a time: per group (a story, or an event in
    none), its reports, its outlets and its first report's event."""
    events = data.full(select(data, filters).events)
    rank = report_times(data).rank
    groups: dict[str, list[tuple[int, int, str, str, str]]] = defaultdict(list)
    for row in events[events["kind"] == "mentioned"].to_dict("records"):
        key = row["story"] if isinstance(row["story"], str) else row["id"]
        pos = int(row["article_pos"])
        groups[key].append((int(rank[pos]), data.event_ids.get_loc(row["id"]), row["id"],
                            row["article"], row["outlet"]))  # fmt: skip
    return {
        key: (len({m[3] for m in members}), len({m[4] for m in members}), min(members)[2])
        for key, members in groups.items()
    }


def _fast(data: CorpusData, filters: Filters) -> dict[str, tuple[int, int, str]]:
    rows = happenings(data, select(data, filters), filters)
    ids, stories = data.events["id"].to_numpy(), data.story_codes[1]
    out = {}
    for r in range(len(rows)):
        first = str(ids[rows.first[r]])
        key = str(stories[rows.story[r]]) if rows.story[r] >= 0 else first
        out[key] = (int(rows.reports[r]), int(rows.outlets[r]), first)
    return out


def test_the_seed_chronology_has_one_row_per_happening(seed_data: CorpusData) -> None:
    filters = Filters(view="chronology")
    rows = happenings(seed_data, select(seed_data, filters), filters)
    mentioned = int((seed_data.events["kind"] == "mentioned").sum())
    in_story = int((seed_data.events["story"] == STORY).sum())
    assert len(rows) == mentioned - in_story + 1  # the summit's six mentions are one row
    story_row = int(np.flatnonzero(rows.story >= 0)[0])
    assert (rows.reports[story_row], rows.outlets[story_row]) == (3, 3)
    assert seed_data.events["article"].iloc[rows.first[story_row]] == RFA
    days = rows.day[rows.order("date")]
    assert (np.diff(days) >= 0).all()
    assert (np.diff(rows.day[rows.order("-date")]) <= 0).all()
    assert rows.order("outlets")[0] == story_row and rows.order("reports")[0] == story_row


@pytest.mark.parametrize("seed", range(12))
def test_the_chronology_matches_a_naive_count_under_random_filters(
    sample_data: CorpusData, seed: int
) -> None:
    rng = random.Random(seed)
    outlets = tuple(rng.sample(list(sample_data.outlets), rng.randint(0, 3)))
    query = rng.choice(["", "", "北约", "俄罗斯", "美国", "乌克兰 总统", "拜登"])
    kinds = rng.choice([(), ("mentioned",)])
    filters = Filters(outlets=outlets, query=query, kinds=kinds, view="chronology")
    assert _fast(sample_data, filters) == _naive(sample_data, filters)


def test_every_chronology_row_is_reachable_a_page_at_a_time(sample_data: CorpusData) -> None:
    filters = Filters(view="chronology", sort="-date")
    selection = select(sample_data, filters)
    total = len(happenings(sample_data, selection, filters))
    assert total > 2 * ROWS_PER_PAGE
    seen = 0
    for page in range(1, total // ROWS_PER_PAGE + 2):
        shown = chronology_view(sample_data, selection, Filters(view="chronology", cpage=page))
        seen += len(shown[1].children.children[1].children)
    assert seen == total
    # A page past the last shows the last.
    last = chronology_view(sample_data, selection, Filters(view="chronology", cpage=10**6))
    assert "page-link last_page disabled" in str(last[0])


def test_chronology_headings_sort_and_say_how(seed_data: CorpusData) -> None:
    filters = Filters(view="chronology", lang="en")
    table = chronology_view(seed_data, select(seed_data, filters), filters)[1].children
    head = table.children[0].children.children
    date_head = head[0]
    assert getattr(date_head, "aria-sort") == "ascending"
    assert date_head.children.href == "?view=chronology&sort=-date&lang=en" or (
        "sort=-date" in date_head.children.href
    )
    assert "sort=outlets" in head[2].children.href and "sort=reports" in head[4].children.href
    body = table.children[1].children
    story = next(r for r in body if "Story page" in _text(r))
    assert "story=2022-03-24-81cb62" in str(story)


def test_a_view_with_no_mentions_says_so(seed_data: CorpusData) -> None:
    filters = Filters(view="chronology", kinds=("published",), lang="en")
    shown = chronology_view(seed_data, select(seed_data, filters), filters)
    assert "No mentioned dates" in _text(shown[0])


# Comparing outlets


def test_the_outlet_table_counts_articles_stories_and_lags(seed_data: CorpusData) -> None:
    table = outlet_table(seed_data, select(seed_data, Filters())).set_index("outlet")
    assert list(table.index) == ["aljazeera", "gnews", "rfa", "rfi"]
    assert table["articles"].to_dict() == {"aljazeera": 2, "gnews": 1, "rfa": 1, "rfi": 1}
    assert table.loc["aljazeera", "stories"] == 0 and table.loc["rfa", "share"] == 1.0
    assert table.loc["rfa", "median_lag"] == 0 and table.loc["rfi", "median_lag"] == 6241
    assert table.loc["rfi", "lag_exact"] and not table.loc["gnews", "lag_exact"]


def test_lags_are_behind_the_storys_first_report_whatever_the_outlet_filter(
    seed_data: CorpusData,
) -> None:
    table = outlet_table(seed_data, select(seed_data, Filters(outlets=("rfi",))))
    assert list(table["outlet"]) == ["rfi"] and table["median_lag"].iloc[0] == 6241


def test_the_heat_map_is_normalised_per_outlet_and_clicks_filter(seed_data: CorpusData) -> None:
    figure = heat_figure(seed_data, select(seed_data, Filters()), Filters(lang="en"))
    heat = figure["data"][0]
    assert heat["type"] == "heatmap" and len(heat["y"]) == 4
    # Each outlet against its own peak; GNews's one article, dated "2022-03", is in no day.
    assert [max(row) for row in heat["z"]] == [1, 0, 1, 1]
    assert "(1 dated only to a month or year are left out)" in figure["layout"]["title"]["text"]
    cell = heat["customdata"][0][-1]
    assert cell.startswith(HEAT_PREFIX)
    click = {"points": [{"customdata": cell}]}
    chosen = from_heat_click(click, Filters(view="compare"), seed_data)
    assert (
        chosen.outlets == ("aljazeera",) and chosen.start == chosen.end and chosen.view == "compare"
    )
    for bad in (None, {}, {"points": [{"customdata": "heat:nope:2022-01-01:2022-01-01"}]},
                {"points": [{"customdata": "heat:rfa:2022-13-01:2022-01-01"}]},
                {"points": [{"customdata": 7}]}):  # fmt: skip
        assert from_heat_click(bad, Filters(view="compare"), seed_data) == Filters(view="compare")


def test_periods_are_days_then_weeks_then_months() -> None:
    from datetime import date

    assert period_unit(date(2022, 1, 1), date(2022, 3, 31)) == "day"
    assert period_unit(date(2021, 1, 1), date(2022, 3, 31)) == "week"
    assert period_unit(date(2010, 1, 1), date(2022, 3, 31)) == "month"


def test_a_heat_map_click_goes_through_the_callback_logic(seed_data: CorpusData) -> None:
    cell = heat_figure(seed_data, select(seed_data, Filters()), Filters())["data"][0]
    click = {"points": [{"customdata": cell["customdata"][2][-1]}]}
    current = Filters(view="compare")
    view, _ = next_view("compare-heat", "", Filters(), current, None, seed_data, heat_click=click)
    assert view.outlets == ("rfa",) and view.start is not None


# The views in the address and in the callback


def test_views_live_in_the_address(seed_data: CorpusData) -> None:
    query = f"?view=chronology&story={STORY}&sort=outlets&cpage=2"
    filters, notices = Filters.from_query(query, seed_data)
    assert notices == [] and filters.to_query() == query
    assert filters.rows == Filters()  # none of them changes the rows
    filters, notices = Filters.from_query("?view=gallery&sort=sideways&cpage=x", seed_data)
    assert (filters.view, filters.sort, filters.cpage) == ("timeline", "date", 1)
    assert len(notices) == 3


def test_only_the_view_on_screen_is_drawn(seed_data: CorpusData) -> None:
    first = _outputs(seed_data, "?view=chronology", None)
    assert first["chronology-view"] is False and first["timeline-view"] is True
    assert first["timeline"] is no_update and first["compare-heat"] is no_update
    assert first["chronology"] is not no_update
    shown, _ = Filters.from_query("?view=chronology", seed_data)
    back = _outputs(seed_data, "", shown)  # back to the timeline: drawn now
    assert back["timeline"] is not no_update and back["chronology"] is no_update
    assert back["timeline-view"] is False and back["caption"] is no_update  # same rows
    compare = _outputs(seed_data, "?view=compare", shown)
    assert compare["compare-heat"] is not no_update
    assert compare["compare-heat-box"] == {"height": compare["compare-heat"]["layout"]["height"]}
    story = _outputs(seed_data, f"?story={STORY}", shown)
    assert story["story-view"] is False and story["chronology-view"] is True
    tabs = story["view-tabs"]
    assert all(getattr(tab, "className", "") == "view-tab" for tab in tabs)  # no view's tab


def test_the_export_follows_the_view(seed_data: CorpusData) -> None:
    name, frame = view_frame(seed_data, Filters(view="chronology"))
    assert name == "chronology" and len(frame) == len(
        happenings(seed_data, select(seed_data, Filters()), Filters())
    )
    assert frame["articles"].str.count(";").max() == 2  # the summit's three reports
    name, frame = view_frame(seed_data, Filters(view="compare"))
    assert name == "outlets" and set(frame["outlet"]) == {"aljazeera", "gnews", "rfa", "rfi"}
    name, frame = view_frame(seed_data, Filters(story=STORY))
    assert name == f"story-{STORY}" and list(frame["article"]) == [RFA, RFI, GNEWS]
    name, frame = view_frame(seed_data, Filters())
    assert name == "events" and len(frame) == len(seed_data.events)


@pytest.mark.parametrize("aljazeera_only", [True, False])
def test_every_view_draws_a_corpus_without_stories_or_articles(
    tmp_path, seed_data: CorpusData, aljazeera_only: bool
) -> None:
    # The two Al Jazeera seeds share no happening: no story at all; an empty folder: nothing.
    from dashboard.config import BUNDLED_CORPUS

    if aljazeera_only:
        for path in BUNDLED_CORPUS.iterdir():
            if path.name.startswith(("003", "004")):
                (tmp_path / path.name).write_bytes(path.read_bytes())
    data = build_data(read_corpus(tmp_path, "Asia/Shanghai"), "Asia/Shanghai")
    assert len(data.story_codes[1]) == 0
    for query in ("?view=chronology", "?view=compare", "?view=chronology&sort=outlets",
                  "?story=2022-03-24-81cb62", ""):  # fmt: skip
        outputs = _outputs(data, query, None)
        assert outputs["view-tabs"] is not no_update
    _, chronology = view_frame(data, Filters(view="chronology"))
    _, compare = view_frame(data, Filters(view="compare"))
    mentioned = int((data.events["kind"] == "mentioned").sum()) if len(data.events) else 0
    assert len(chronology) == mentioned and chronology["story"].isna().all()
    assert list(compare["outlet"]) == (["aljazeera"] if aljazeera_only else [])
    assert (compare["stories"] == 0).all()


def test_a_worker_keeps_only_a_few_chronologies(sample_data: CorpusData) -> None:
    from dashboard.web.views.chronology import KEEP

    for query in ("北约", "俄罗斯", "美国", "乌克兰", "拜登", "普京", "总统"):
        filters = Filters(view="chronology", query=query)
        happenings(sample_data, select(sample_data, filters), filters)
    shelf = sample_data.search_cache[("shelf", "chronology")]
    assert len(shelf) == KEEP and all(key[0] == "chronology" for key in shelf)
