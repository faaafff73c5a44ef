"""The window a timeline shows and its lanes (dashboard.web.zoom), and the figure drawn for them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.parsing.store import CorpusData
from dashboard.web import figures, zoom
from dashboard.web.filters import Filters, select


def _events(publications: list[str], mentions: list[str], outlets: list[str] | None = None):  # type: ignore[no-untyped-def]
    days = [*publications, *mentions]
    frame = pd.DataFrame({
        "start": pd.to_datetime(days), "end": pd.to_datetime(days),
        "kind": ["published"] * len(publications) + ["mentioned"] * len(mentions),
        "outlet": outlets or ["rfa"] * len(days),
    })  # fmt: skip
    frame["outlet"] = frame["outlet"].astype("category")
    return frame


def test_the_default_window_holds_the_publications_not_stray_mentions() -> None:
    publications = [f"2022-02-{d:02d}" for d in range(1, 29)] * 5
    events = _events(publications, ["2010-05-01", "2014-03-18", "1945-05-08"])
    first, last = zoom.default_window(events)  # type: ignore[misc]
    assert date(2022, 1, 20) <= first < date(2022, 2, 1)
    assert date(2022, 2, 28) < last <= date(2022, 3, 10)
    shown = zoom.visible(events, (first, last))
    assert shown.sum() == len(publications)  # the three old mentions are outside


def test_a_stray_publication_is_left_out_too() -> None:
    publications = ["2010-01-01", *[f"2022-03-{d:02d}" for d in range(1, 31)] * 4]
    first, _ = zoom.default_window(_events(publications, []))  # type: ignore[misc]
    assert first > date(2022, 1, 1)


def test_without_publications_the_mentions_give_the_window() -> None:
    window = zoom.default_window(_events([], ["2022-03-01", "2022-03-05"]))
    assert window is not None and window[0] <= date(2022, 3, 1) <= date(2022, 3, 5) <= window[1]
    assert zoom.default_window(_events([], [])) is None


def test_the_window_shown_is_the_chosen_one_else_the_dates_else_the_default() -> None:
    events = _events(["2022-02-01", "2022-02-10"], ["2014-03-18"])
    chosen = (date(2022, 2, 3), date(2022, 2, 5))
    assert zoom.shown_window(chosen, None, None, events) == chosen
    assert zoom.shown_window(zoom.EVERYTHING, None, None, events) == (
        date(2014, 3, 18),
        date(2022, 2, 10),
    )
    assert zoom.shown_window(None, date(2022, 1, 1), None, events) == (
        date(2022, 1, 1),
        date(2022, 2, 10),
    )
    assert zoom.shown_window(None, None, None, events) == zoom.default_window(events)


@pytest.mark.parametrize(
    ("relayout", "expected"),
    [
        ({"xaxis.range[0]": "2022-02-03 10:11:12.5", "xaxis.range[1]": "2022-02-20"},
         (True, (date(2022, 2, 3), date(2022, 2, 20)))),
        ({"xaxis2.range": ["2022-01-01", "2022-01-31 23:00"]},
         (True, (date(2022, 1, 1), date(2022, 1, 31)))),
        ({"xaxis.autorange": True}, (True, None)),
        ({"autosize": True}, (False, None)),
        ({"xaxis.range[0]": "yesterday", "xaxis.range[1]": "2022-01-01"}, (False, None)),
        ({"xaxis.range[0]": "2022-03-01", "xaxis.range[1]": "2022-01-01"}, (False, None)),
        ({"xaxis.range": [1, 2]}, (False, None)),
        ("xaxis", (False, None)),
        (None, (False, None)),
        ({str(n): n for n in range(50)}, (False, None)),
    ],
)  # fmt: skip
def test_a_relayout_gives_a_window_the_default_or_nothing(relayout, expected) -> None:  # type: ignore[no-untyped-def]
    assert zoom.from_relayout(relayout) == expected


def test_the_window_round_trips_through_the_address(seed_data: CorpusData) -> None:
    for raw, window in (("2022-02-01..2022-02-28", (date(2022, 2, 1), date(2022, 2, 28))),
                        ("all", zoom.EVERYTHING)):  # fmt: skip
        filters, notices = Filters.from_query(f"?window={raw}", seed_data)
        assert filters.window == window and not notices
        assert filters.to_query() == f"?window={raw}"
    for bad in ("2022-02-28..2022-02-01", "2022-02-01", "x..y", "2022-02-01..never"):
        filters, notices = Filters.from_query(f"?window={bad}", seed_data)
        assert filters.window is None and any("window" in n for n in notices), bad


def test_top_outlets_get_lanes_and_the_rest_one_lane() -> None:
    ranked = [f"o{n:02d}" for n in range(20)]
    lanes = zoom.lanes_for(ranked, set(ranked), ())
    assert lanes.keys == (*ranked[: zoom.LANES], zoom.OTHER)
    assert lanes.folded == set(ranked[zoom.LANES :])
    assert zoom.lanes_for(ranked, set(ranked[:13]), ()).keys == tuple(ranked[:13])
    chosen = zoom.lanes_for(ranked, set(ranked), ("o19", "o00"))
    assert chosen.keys == ("o19", "o00") and not chosen.folded
    outlets = pd.Series(["o00", "o15", "o19", "o03"], dtype="category")
    assert lanes.numbers(outlets).tolist() == [0, zoom.LANES, zoom.LANES, 3]


def _wide(data: CorpusData, outlets: int) -> CorpusData:
    """The seeds' events spread over many outlets, as an archive of many sources."""
    keys = [f"outlet-{n:02d}" for n in range(outlets)]
    events = data.events.copy()
    events["outlet"] = pd.Categorical(
        [keys[n % outlets] for n in range(len(events))], categories=keys
    )
    infos = {k: replace(next(iter(data.outlets.values())), key=k, name_en=k) for k in keys}
    return replace(data, events=events, outlets=infos, search_cache={})


def test_the_figure_folds_outlets_past_the_lanes_into_other(seed_data: CorpusData) -> None:
    data = _wide(seed_data, 18)
    fig = figures.timeline_figure(data, select(data, Filters(lang="en")), Filters(lang="en"))
    labels = fig["layout"]["yaxis"]["ticktext"]
    assert len(labels) == zoom.LANES + 1 and labels[-1] == "other outlets (6)"
    chosen = Filters(lang="en", outlets=("outlet-17",))
    fig = figures.timeline_figure(data, select(data, chosen), chosen)
    assert fig["layout"]["yaxis"]["ticktext"] == ["outlet-17"]


def test_a_window_draws_only_its_events(seed_data: CorpusData) -> None:
    window = (date(2022, 3, 20), date(2022, 3, 25))
    filters = Filters(window=window)
    fig = figures.timeline_figure(seed_data, select(seed_data, filters), filters)
    assert fig["layout"]["xaxis"]["range"] == ["2022-03-20", "2022-03-26"]
    ids = [i for t in fig["data"] if t["type"] == "scatter" for i in t.get("customdata", [])]
    shown = seed_data.events.set_index("id").loc[ids]
    assert (
        len(ids) and (shown["end"] >= "2022-03-20").all() and (shown["start"] < "2022-03-26").all()
    )
    assert len(ids) < len(seed_data.events)
    assert np.isin(ids, seed_data.events["id"]).all()
