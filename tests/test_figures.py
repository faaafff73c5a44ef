from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard.parsing.store import CorpusData
from dashboard.web import figures
from dashboard.web.filters import Filters, select


def _figure(data: CorpusData, filters: Filters | None = None):  # type: ignore[no-untyped-def]
    filters = filters or Filters()
    return figures.timeline_figure(data, select(data, filters), filters)


def test_one_lane_per_outlet_with_its_colour(seed_data: CorpusData) -> None:
    fig = _figure(seed_data)
    assert fig["layout"]["yaxis"]["ticktext"] == [
        "半岛电视台",
        "GNews",
        "自由亚洲电台",
        "法国国际广播电台",
    ]
    colours = {t["name"]: t["marker"]["color"] for t in fig["data"] if "marker" in t}
    assert colours["半岛电视台"] == seed_data.outlets["aljazeera"].color


def test_publications_filled_mentions_hollow_spans_as_lines(seed_data: CorpusData) -> None:
    fig = _figure(seed_data)
    markers = [t for t in fig["data"] if t.get("mode") == "markers" and t["x"]]
    assert {"circle", "circle-open", "diamond-open"} <= {t["marker"]["symbol"] for t in markers}
    lines = [t for t in fig["data"] if t.get("mode") == "lines"]
    assert any(len([x for x in t["x"] if x is not None]) >= 2 for t in lines)


def test_every_point_knows_its_event_and_article(seed_data: CorpusData) -> None:
    fig = _figure(seed_data)
    ids = {c for t in fig["data"] for c in t.get("customdata", [])}
    published = seed_data.events[seed_data.events["kind"] == "published"]
    for _, row in published.iterrows():
        assert row["id"] in ids and row["id"].rpartition("#")[0] == row["article"]


def test_hover_text_escapes_article_html() -> None:

    row = pd.DataFrame(
        {
            "start": [pd.Timestamp("2022-03-24")],
            "end": [pd.Timestamp("2022-03-24")],
            "precision": ["day"],
            "kind": ["mentioned"],
            "outlet": ["rfa"],
            "article_pos": [0],
            "expression": ["<b>24日</b>"],
            "sentence": ["<script>alert(1)</script>北约"],
        }
    )
    titles = {0: '<img src=x onerror="alert(2)">标题'}
    [text] = figures.hover_lines(row, titles, {"rfa": "<i>RFA</i>"}, "zh")
    assert "<script>" not in text and "<img" not in text and "<i>RFA" not in text
    assert "&lt;script&gt;" in text and "&lt;img" in text


def test_month_is_never_shown_as_a_day() -> None:
    start, end = pd.Timestamp("2022-04-01"), pd.Timestamp("2022-04-30")
    assert figures.date_label(start, end, "month") == "2022-04"
    assert figures.date_label(start, start, "day") == "2022-04-01"
    assert figures.date_label(pd.Timestamp("2014-01-01"), end, "range") == "2014-01-01 – 2022-04-30"


def test_volume_counts_articles_per_day(seed_data: CorpusData) -> None:
    figure = _figure(seed_data)
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    assert sum(sum(t["y"]) for t in bars) == 5 and all(t["yaxis"] == "y2" for t in bars)
    assert figure["layout"]["yaxis2"]["title"]["text"] == "每日文章数"


def test_the_volume_title_names_the_unit_of_its_bars(seed_data: CorpusData, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(figures, "MAX_BARS", 1)  # five days of articles: one bar is a year
    figure = _figure(seed_data)
    assert figure["layout"]["yaxis2"]["title"]["text"] == "每年文章数"


def test_latest_report_line_and_margins_that_fit_the_lanes(seed_data: CorpusData) -> None:
    fig = _figure(seed_data)
    assert "rangeslider" not in fig["layout"]["xaxis2"]  # a second drawing of every bar
    assert fig["layout"]["xaxis"]["matches"] == "x2"
    assert not fig["layout"]["yaxis"]["automargin"]  # a second layout pass in the browser
    labels = fig["layout"]["yaxis"]["ticktext"]
    assert fig["layout"]["margin"]["l"] >= max(12 * len(label) for label in labels) // 2
    assert figures.left_margin(["自由亚洲电台"]) == 6 * 12 + 12
    assert figures.left_margin(["RFA"]) == figures.VOLUME_AXIS_PX + 12
    assert any("2022-03-24" in a["text"] for a in fig["layout"]["annotations"])


def test_large_selections_are_grouped(seed_data: CorpusData, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(figures, "MAX_POINTS", 5)
    fig = _figure(seed_data)
    markers = [t for t in fig["data"] if t.get("mode") == "markers"]
    assert markers and all(c.startswith("days:") for t in markers for c in t["customdata"])
    assert sum(len(t["x"]) for t in markers) < len(seed_data.events)


def test_figure_is_plain_json(seed_data: CorpusData) -> None:
    import json

    json.dumps(_figure(seed_data))


def test_the_x_range_is_the_window_shown(seed_data: CorpusData) -> None:
    fig = _figure(seed_data)
    lo, hi = fig["layout"]["xaxis"]["range"]
    assert lo < "2021-12-10" and hi > "2022-03-24"  # the seeds' publications, padded
    fig = _figure(seed_data, replace(Filters(), start=pd.Timestamp("2022-01-01").date()))
    assert fig["layout"]["xaxis"]["range"][0] == "2022-01-01"


def test_empty_selection_still_draws(seed_data: CorpusData) -> None:
    fig = _figure(seed_data, Filters(query="不存在的词语"))
    assert fig["layout"]["height"] > 0 and fig["data"] == []


def _many_events(data: CorpusData, copies: int, spread_days: int) -> CorpusData:
    """The seed events copied `copies` times, each copy `k` days later, ids kept distinct, and
    the longest title the hover can show: a view as large as the payload bound speaks of."""
    frames = []
    for k in range(copies):
        shifted = data.events.copy()
        shift = pd.Timedelta(days=(k * 7) % spread_days)
        shifted["start"] = shifted["start"] + shift
        shifted["end"] = shifted["end"] + shift
        shifted["id"] = shifted["id"] + f"~{k}"
        frames.append(shifted)
    articles = data.articles.copy()
    articles["title"] = "北约峰会" * 40
    # A cache of its own: the seeds' cached results (report times, story labels) are not its.
    events = pd.concat(frames, ignore_index=True)
    return replace(data, events=events, articles=articles, search_cache={})


def test_the_timeline_payload_stays_under_200_kb_up_to_5000_events(seed_data: CorpusData) -> None:
    import json

    for copies, spread in ((130, 60), (130, 20_000), (20, 300), (8, 30)):
        data = _many_events(seed_data, copies, spread)
        for filters in (Filters(), Filters(stories=True), Filters(lang="en")):
            fig = figures.timeline_figure(data, select(data, filters), filters)
            size = len(json.dumps(fig, ensure_ascii=False).encode())
            assert size < 200_000, (len(data.events), spread, filters, size)
            marks = [t for t in fig["data"] if t.get("mode") == "markers"]
            assert marks and sum(len(t["x"]) for t in marks) <= 2_000


def test_groups_widen_from_days_to_years_with_the_span(seed_data: CorpusData) -> None:
    narrow = _many_events(seed_data, 130, 60)
    wide = _many_events(seed_data, 130, 20_000)
    texts = []
    for data in (narrow, wide):
        fig = figures.timeline_figure(data, select(data, Filters()), Filters(lang="en"))
        texts.append(" ".join(a["text"] for a in fig["layout"]["annotations"]))
    assert "per day" in texts[0] or "per week" in texts[0]
    assert "per month" in texts[1] or "per quarter" in texts[1] or "per year" in texts[1]
