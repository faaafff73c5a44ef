"""Labels beside the timeline's marks when a view holds few of them."""

from __future__ import annotations

from dashboard.parsing.store import CorpusData
from dashboard.web import figures, marklabels
from dashboard.web.filters import Filters, select
from dashboard.web.marklabels import Mark

DAY_MS = 86_400_000
WINDOW = (0.0, 30.0 * DAY_MS)


def _boxes(marks: list[Mark]) -> list[tuple[int, int, float, float]]:
    px = marklabels.PLOT_PX / (WINDOW[1] - WINDOW[0])
    out = []
    for mark, text, row, anchor in marklabels.placed(marks, WINDOW):
        centre, width = mark.x_ms * px, marklabels.text_px(text)
        left = {"center": centre - width / 2, "left": centre, "right": centre - width}[anchor]
        assert left >= 0 and left + width <= marklabels.PLOT_PX  # inside the plot
        out.append((mark.lane, row, left, left + width))
    return out


def test_labels_never_overlap_in_a_row() -> None:
    # Forty marks crowded into five days of one lane, and a few in another.
    marks = [Mark(DAY_MS * (i % 5) + i * 1000, 0, f"北约峰会第{i}次会议召开") for i in range(40)]
    marks += [Mark(DAY_MS * i, 1, "Biden meets Zelensky in Warsaw") for i in range(0, 30, 6)]
    boxes = _boxes(marks)
    assert boxes  # some fit
    for n, (lane, row, left, right) in enumerate(boxes):
        for other in boxes[n + 1 :]:
            if other[:2] == (lane, row):
                assert other[2] >= right or other[3] <= left
    assert len(boxes) < len(marks)  # not all forty fit: those left out are not drawn over others


def test_spread_marks_all_get_their_full_label() -> None:
    marks = [Mark(DAY_MS * (6 * i + 3), 0, "拜登与普京通话") for i in range(5)]
    placed = marklabels.placed(marks, WINDOW)
    assert [text for _, text, _, _ in placed] == ["拜登与普京通话"] * 5
    assert {row for _, _, row, _ in placed} == {marklabels.ROWS_PX[0]}


def test_long_headlines_are_cut_and_markup_is_text() -> None:
    assert (
        marklabels.shortened("北大西洋公约组织领导人紧急会议在布鲁塞尔召开", 12)
        == "北大西洋公约组织领导人…"
    )
    (label,) = marklabels.label_annotations([Mark(DAY_MS * 10, 0, "<b>x</b> & y")], WINDOW)
    assert label["text"] == "&lt;b&gt;x&lt;/b&gt; &amp; y"


def test_a_mention_is_named_by_its_clause() -> None:
    sentence = "俄罗斯对乌克兰开战已经一个月，北约领导人24日在布鲁塞尔参加紧急会议，会后发表声明。"
    assert marklabels.clause(sentence, "24日") == "北约领导人24日在布鲁塞尔参加紧急会议"


def test_the_seed_timeline_labels_its_few_marks(seed_data: CorpusData) -> None:
    filters = Filters()
    figure = figures.timeline_figure(seed_data, select(seed_data, filters), filters)
    marks = sum(
        len(t["customdata"])
        for t in figure["data"]
        if t.get("mode") == "markers" and t.get("customdata")
    )
    labels = [a for a in figure["layout"]["annotations"] if a.get("yref") == "y"]
    assert 0 < marks <= marklabels.LABEL_LIMIT and labels
    titles = {str(t) for t in seed_data.articles["title"]}
    assert any(label["text"].rstrip("…") in "".join(titles) for label in labels)


def test_past_the_limit_no_labels(seed_data: CorpusData, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(marklabels, "LABEL_LIMIT", 3)
    filters = Filters()
    figure = figures.timeline_figure(seed_data, select(seed_data, filters), filters)
    assert not [a for a in figure["layout"].get("annotations", []) if a.get("yref") == "y"]
