"""The logic behind the callbacks, without a browser."""

from __future__ import annotations

from datetime import date

from dashboard.parsing.store import CorpusData
from dashboard.web.callbacks import action, filters_from_controls, next_view
from dashboard.web.export import export_frame
from dashboard.web.filters import Filters
from dashboard.web.naming import view_link

RFI = "001_74332eaaa2aa362a"


def test_controls_become_filters_and_bad_values_a_notice(seed_data: CorpusData) -> None:
    notices: list[str] = []
    filters = filters_from_controls(
        ["rfa", "bogus"],
        "北约",
        "2022-01-01",
        "not-a-date",
        ["published", "mentioned"],
        ["on"],
        "en",
        seed_data,
        notices,
    )
    assert filters.outlets == ("rfa",) and filters.query == "北约"
    assert filters.start == date(2022, 1, 1) and filters.end is None
    assert filters.kinds == () and filters.lang == "en" and filters.stories
    assert notices and "not a date" in notices[0]


def test_url_change_reads_the_address(seed_data: CorpusData) -> None:
    view, notices = next_view(
        "url", "?outlet=rfi&article=" + RFI, Filters(), Filters(), None, seed_data
    )
    assert view.outlets == ("rfi",) and view.article == RFI and notices == []


def test_clicking_an_event_opens_its_article(seed_data: CorpusData) -> None:
    click = {"points": [{"customdata": RFI + "#m1"}]}
    view, _ = next_view("timeline", "", Filters(), Filters(outlets=("rfi",)), click, seed_data)
    assert view.article == RFI and view.event == RFI + "#m1" and view.outlets == ("rfi",)


def test_clicking_a_group_narrows_to_its_bin(seed_data: CorpusData) -> None:
    click = {"points": [{"customdata": "days:2022-03-21:2022-03-27"}]}
    view, _ = next_view("timeline", "", Filters(), Filters(), click, seed_data)
    assert (view.start, view.end) == (date(2022, 3, 21), date(2022, 3, 27))


def test_clicking_a_day_group_narrows_to_its_day(seed_data: CorpusData) -> None:
    click = {"points": [{"customdata": "days:2022-03-24:2022-03-24"}]}
    view, _ = next_view("timeline", "", Filters(), Filters(), click, seed_data)
    assert view.start == view.end == date(2022, 3, 24)


def test_closing_the_panel_keeps_the_filters(seed_data: CorpusData) -> None:
    current = Filters(outlets=("rfa",), query="北约", article=RFI, event=RFI + "#m1")
    view, _ = next_view("panel-close", "", Filters(), current, None, seed_data)
    assert view == Filters(outlets=("rfa",), query="北约")


def test_list_and_event_links_keep_the_filters(seed_data: CorpusData) -> None:
    from urllib.parse import parse_qs

    current = Filters(query="北约", outlets=("rfi",))
    href = view_link(current, RFI)
    assert parse_qs(href[1:]) == {"q": ["北约"], "outlet": ["rfi"], "article": [RFI]}
    view, _ = next_view(
        "url", view_link(current, RFI, RFI + "#m2"), Filters(), current, None, seed_data
    )
    assert view.article == RFI and view.event == RFI + "#m2" and view.query == "北约"


def test_export_has_the_shown_events_with_titles(seed_data: CorpusData) -> None:
    frame = export_frame(seed_data, Filters(outlets=("aljazeera",)))
    assert set(frame["outlet"]) == {"aljazeera"}
    published = frame["kind"] == "published"
    assert frame.loc[~published, "start"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()
    assert frame.loc[published, "start"].str.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$").all()
    assert frame["title"].notna().all()


def test_malformed_control_values_never_raise(seed_data: CorpusData) -> None:
    notices: list[str] = []
    filters = filters_from_controls(
        "rfa",
        42,
        20220101,
        ["2022-01-01"],
        [None, "published", 3],
        {"on": 1},
        None,  # type: ignore[arg-type]
        seed_data,
        notices,
    )
    assert filters == Filters(kinds=("published",))


def test_malformed_clicks_keep_the_view(seed_data: CorpusData) -> None:
    current = Filters(query="北约")
    for click in (
        None,
        {},
        {"points": []},
        {"points": [{"customdata": "x"}]},
        {"points": [{"customdata": [RFI + "#m1", RFI]}]},
        {"points": [{"customdata": RFI + "#no-such-event"}]},
        {"points": [{"customdata": "days:not-a-date"}]},
        {"points": [{"customdata": "days:2022-03-24"}]},
        {"points": [{"customdata": "days:2022-03-31:2022-03-01"}]},
        {"points": [{"customdata": "days:9999-12-31:9999-12-31"}]},
    ):
        view, _ = next_view("timeline", "", Filters(), current, click, seed_data)
        assert view == current


def test_malformed_entity_clicks_keep_the_view(seed_data: CorpusData) -> None:
    current = Filters(query="北约")
    for click in (None, {"points": [{"customdata": [["x"]]}]}, {"points": [{"customdata": [7]}]}):
        view, _ = next_view("entity-top", "", Filters(), current, None, seed_data, click)
        assert view == current
    view, _ = next_view(
        "entity-top",
        "",
        Filters(),
        current,
        None,
        seed_data,
        {"points": [{"customdata": ["nato"]}]},
    )
    assert view.entity == "nato"


def _text(component: object) -> str:
    """The visible text of a Dash component tree."""
    if isinstance(component, str):
        return component
    children = getattr(component, "children", None)
    if children is None:
        return ""
    items = children if isinstance(children, list) else [children]
    return "".join(_text(child) for child in items)


def test_entity_links_are_separated_in_both_languages(seed_data: CorpusData) -> None:
    from dashboard.web.panel import _entity_links

    ids = list(seed_data.entities.entities)[:3]
    for lang, separator in (("zh", "、"), ("en", ", ")):
        paragraph = _entity_links(seed_data, ids, Filters(lang=lang))
        assert paragraph is not None
        links = [c for c in paragraph.children if not isinstance(c, str)]
        assert len(links) == 3
        names = [_text(link) for link in links]
        assert separator.join(names) in _text(paragraph)  # never "NATORussiaUkraine"


def test_date_inputs_ask_for_iso_dates_whatever_the_language(seed_data: CorpusData) -> None:
    from dashboard.web.layout import DATE_INPUT

    assert DATE_INPUT["type"] == "text" and DATE_INPUT["placeholder"] == "YYYY-MM-DD"
    # A value typed in another order is refused with a notice, not read as something else.
    notices: list[str] = []
    filters = filters_from_controls([], "", "03/24/2022", "", [], [], "en", seed_data, notices)
    assert filters.start is None and notices


def test_a_storys_coverage_is_in_report_order_with_lags(seed_data: CorpusData) -> None:
    from dashboard.web.panel import _story_coverage

    events = seed_data.events
    chosen = events[events["story"].notna()].iloc[0]
    filters = Filters(lang="en", event=str(chosen["id"]), article=str(chosen["article"]))
    heading, listing, page_link = _story_coverage(seed_data, events, filters, "UTC")
    assert _text(heading) == "Same happening: 3 reports by 3 outlets"
    rows = [_text(item) for item in listing.children]
    # RFA first, RFI 1 h 44 min later; the GNews repost, dated only "2022-03", last and
    # approximate (it was out by the end of March at the latest).
    assert rows[0].startswith("Radio Free Asia · 2022-03-24 18:31 UTC")
    assert "(first report)" in rows[0] and "(+1 h 44 min)" in rows[1]
    assert "2022-03 (≈ +7 d)" in rows[2]
    assert "story=2022-03-24-81cb62" in page_link.children.href


def test_an_address_that_comes_with_a_relayout_is_not_dropped() -> None:
    # One request can carry several changes: the first draw's autosize relayout and a link
    # followed at that moment came as ["timeline.relayoutData", "url.search"].
    assert action(["timeline.relayoutData", "url.search"]) == "url"
    assert action(["timeline.relayoutData"]) == "zoom"
    assert action(["timeline.relayoutData", "search.value"]) == "search"
    assert action(["timeline.clickData"]) == "timeline"
    assert action(["outlet-filter.value", "url.search"]) == "url"
    assert action([]) is None  # the first load
