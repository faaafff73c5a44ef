"""The date resolver never raises, stays in its window of years and in its text, for any input."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.parsing.dates import TimeExpression, find_expressions, mentions, numerals, patterns

LABELLED = Path(__file__).parent / "data" / "dates" / "dev.jsonl"
EARLIEST_YEAR, YEARS_AHEAD = 1000, 50  # the window dashboard.parsing.dates promises
PRECISIONS = {"day", "week", "month", "year", "range"}
TENSES = {"past", "present", "future"}
FRI = dt.date(2022, 3, 25)

Reference = dt.date | dt.datetime
EDGE_REFERENCES: list[Reference] = [dt.date.max, dt.date.min, dt.datetime.max, dt.datetime.min]

AT_THE_END = ["明天", "明年", "后年", "周六", "下周", "下个月", "3月1日", "次日", "年底"]
AT_THE_START = ["昨天", "上周", "去年", "上个月", "10天前", "过去24小时"]
HUGE_COUNTS = [
    "过去 2500 年",
    "公元前 480 年",
    "过去 99999999 年来",
    "近9999999999999999999年",
    "近9999999999999999999年来",
    "99999999999天前",
    "过去9999999999999999999天",
    "过去" + "9" * 5000 + "年",  # past int()'s 4,300-digit limit
    "过去" + "九" * 5000 + "年",
]


def checked(text: str, reference: Reference) -> list[TimeExpression]:
    """find_expressions, asserting what every result must satisfy."""
    found = find_expressions(text, reference)
    latest = reference.year + YEARS_AHEAD
    if "世" in text:  # a century written out (21世纪) may run to 2100
        latest = max(latest, 2100)
    for e in found:
        assert 0 <= e.offset <= e.end_offset <= len(text), e
        assert text[e.offset : e.end_offset] == e.text, e
        assert e.start <= e.end, e
        assert e.precision in PRECISIONS and e.tense in TENSES, e
        assert e.start.year >= EARLIEST_YEAR and e.end.year <= latest, e
    assert [e.offset for e in found] == sorted(e.offset for e in found)
    return found


def spans(text: str, reference: Reference) -> list[tuple[str, str, str]]:
    return [(e.text, e.start.isoformat(), e.end.isoformat()) for e in checked(text, reference)]


# --- the calendar's edges -------------------------------------------------------------------


@pytest.mark.parametrize("reference", [*EDGE_REFERENCES, FRI])
@pytest.mark.parametrize("text", AT_THE_END + AT_THE_START + HUGE_COUNTS)
def test_listed_inputs_never_raise(text: str, reference: Reference) -> None:
    checked(text, reference)


@pytest.mark.parametrize("text", AT_THE_END)
def test_what_would_pass_date_max_is_dropped(text: str) -> None:
    for reference in (dt.date.max, dt.datetime.max):
        for e in checked(text, reference):
            assert e.end <= dt.date.max  # only what stays in the calendar: 周六, 年底
    assert spans("明天", dt.date.max) == []
    assert spans("周六", dt.date.max) == [("周六", "9999-12-25", "9999-12-25")]
    assert spans("年底", dt.date.max) == [("年底", "9999-12-01", "9999-12-31")]


@pytest.mark.parametrize("text", AT_THE_START)
def test_nothing_before_the_year_1000(text: str) -> None:
    assert checked(text, dt.date.min) == []
    assert checked(text, dt.datetime.min) == []
    assert checked(text, FRI) != []  # the same words on an ordinary day are dates


@pytest.mark.parametrize("text", HUGE_COUNTS)
def test_counts_beyond_the_window_give_nothing(text: str) -> None:
    assert checked(text, FRI) == []


def test_window_edges() -> None:
    assert spans("过去1000年来", FRI) == [("过去1000年来", "1022-01-01", "2022-03-25")]
    assert spans("过去1023年来", FRI) == []  # 999
    assert spans("2072年", FRI) == [("2072年", "2072-01-01", "2072-12-31")]
    assert spans("2073年", FRI) == []


def test_a_dropped_mention_leaves_the_others_alone() -> None:
    text = "昨天，过去 2500 年来，10天前。明天（周六）。"
    assert spans(text, FRI) == [
        ("昨天", "2022-03-24", "2022-03-24"),
        ("10天前", "2022-03-15", "2022-03-15"),
        ("明天", "2022-03-26", "2022-03-26"),
        ("周六", "2022-03-26", "2022-03-26"),
    ]
    # On the last day of the calendar 明天 cannot be; its partner 周六 still is (last Saturday).
    assert spans("昨天，明天（周六）", dt.date.max) == [
        ("昨天", "9999-12-30", "9999-12-30"),
        ("周六", "9999-12-25", "9999-12-25"),
    ]


def test_a_month_near_date_max_still_resolves() -> None:
    assert spans("3月1日", dt.date.max) == [("3月1日", "9999-03-01", "9999-03-01")]


# --- arbitrary text -------------------------------------------------------------------------

FRAGMENTS = [
    *"0123456789",
    "24",
    "2022",
    "1999",
    *"年月日号號周星期上下本去今明后前过去近来以来至到初底旬晚",
    *"〇一二两十百千",
    *"０１２３４５６７８９",
    *"“”「」『』",
    *"。，、！？；：（）() -~－\n",
    "过去",
    "以来",
    "星期",
    "上个月",
    "次日",
    "同日",
    "当天",
    "前一天",
    "将于",
    "自",
    "年底",
    "上旬",
    "凌晨",
    "中央社",
    "电）",
    "今天的",
    "明天的",
]
REFERENCES = st.one_of(
    st.dates(),
    st.datetimes(),
    st.sampled_from([dt.date.min, dt.date.max, dt.date(999, 12, 31), dt.date(1000, 1, 1), FRI]),
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200), reference=REFERENCES)
def test_any_unicode_text(text: str, reference: Reference) -> None:
    checked(text, reference)


@settings(max_examples=600, deadline=None)
@given(
    text=st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join),
    reference=REFERENCES,
)
def test_any_text_of_date_fragments(text: str, reference: Reference) -> None:
    checked(text, reference)


# --- real sentences with other numbers ------------------------------------------------------

DIGITS_RE = re.compile("[0-9]+")
NUMBERS = st.one_of(
    st.sampled_from(["0", "00", "-5", "99999999999999", "9" * 5000, "0" * 30 + "1", "２４"]),
    st.integers(min_value=0, max_value=10**30).map(str),
    st.text("0123456789", min_size=1, max_size=40),
)


def real_sentences(count: int = 30) -> list[tuple[str, dt.date]]:
    """Labelled sentences from the corpus with the most digit runs, and their references."""
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    rows.sort(key=lambda row: (-len(DIGITS_RE.findall(row["text"])), row["text"]))
    return [(row["text"], dt.date.fromisoformat(row["reference"])) for row in rows[:count]]


SENTENCES = real_sentences()


def test_the_real_sentences_have_numbers_to_replace() -> None:
    assert len(SENTENCES) == 30
    assert all(DIGITS_RE.search(text) for text, _ in SENTENCES)


@settings(max_examples=200, deadline=None)
@given(
    sentence=st.sampled_from(SENTENCES),
    numbers=st.lists(NUMBERS, min_size=1, max_size=30),
    edge=st.one_of(st.none(), st.sampled_from(EDGE_REFERENCES)),
)
def test_real_sentences_with_any_numbers(
    sentence: tuple[str, dt.date], numbers: list[str], edge: Reference | None
) -> None:
    text, reference = sentence
    replacements = iter(numbers * (1 + len(text) // len(numbers)))
    changed = DIGITS_RE.sub(lambda _: next(replacements), text)
    checked(changed, reference if edge is None else edge)


# --- the per-text marks answer as the scans they replace ------------------------------------

MARK_PIECES = [*"“”「」『』。！？\n，a", "今天的", "明天的", "今日的", "明日的"]
MARK_TEXT = st.lists(st.sampled_from(MARK_PIECES))


def scanned_quoted(text: str, pos: int) -> bool:
    opened = sum(text.count(mark, 0, pos) for mark in "“「『")
    return opened > sum(text.count(mark, 0, pos) for mark in "”」』")


def scanned_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    first = max((e.end() for e in patterns.SENTENCE_END_RE.finditer(text, 0, start)), default=0)
    stop = patterns.SENTENCE_END_RE.search(text, end)
    return first, stop.start() if stop else len(text)


@settings(max_examples=200, deadline=None)
@given(text=MARK_TEXT.map("".join), data=st.data())
def test_marks_match_a_scan_from_the_start(text: str, data: st.DataObject) -> None:
    marks = mentions.Marks.of(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert marks.quoted(start) == scanned_quoted(text, start)
    assert marks.sentence_bounds(start, end) == scanned_bounds(text, start, end)
    first, stop = marks.sentence_bounds(start, start)  # one sentence, as for a mention
    pair = re.compile("今天的.*明天的|今日的.*明日的").search(text, first, stop) is not None
    assert marks.generic_pair(first, stop) == pair


WIDE_CHARS = st.sampled_from(list("０１２３４５６７８９－／．：　12年月日 ："))
FULL_WIDTH = str.maketrans("０１２３４５６７８９－／．：　", "0123456789-/.: ")


@given(st.lists(WIDE_CHARS, max_size=40).map("".join))
def test_normalise_is_the_full_width_translation(sample: str) -> None:
    assert numerals.normalise(sample) == sample.translate(FULL_WIDTH)


def test_anchored_scanners_find_what_a_scan_of_every_character_finds() -> None:
    """Each anchored scanner gives the matches its pattern's finditer gives: spaces inside a
    mention, overlapping anchors, matches at the very start and end, and many in a row."""
    from dashboard.parsing.dates import mentions

    texts = [
        "2022 年 3 月 1 日 至 5 日，2019 至 2021 年，去年1至11月，三天前与两三年后。",
        "今年第一季度和前三季度，上世纪90年代初，20世纪，2024年Q1，前6周。",
        "今年  春节前夕，圣诞节期间，五一劳动节，国庆节。" * 3,
        "季半年季度" + "至" * 40 + "3—4日",
        "12、15年前",
        "",
        "至",
        "2022年1月20日—25日",
    ]
    raw = dict(mentions._PATTERNS)
    anchored = [(k, s) for k, s in mentions._SCANNERS if isinstance(s, mentions.Anchored)]
    assert len(anchored) >= 7
    for kind, scanner in anchored:
        for text in texts:
            want = [(m.span(), m.groupdict()) for m in raw[kind].finditer(text)]
            assert [(m.span(), m.groupdict()) for m in scanner.finditer(text)] == want, kind
