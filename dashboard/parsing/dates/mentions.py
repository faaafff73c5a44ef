"""Finding mentions: where a time expression of some kind is written, before any resolution.

The text is scanned once per kind of mention; overlapping finds are settled leftmost, then
longest, then by the more specific kind. Marks holds the offsets of sentence ends and quotation
marks so that every later question about a mention is a bisection.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from dashboard.parsing.dates.numerals import parse_number
from dashboard.parsing.dates.patterns import (
    AGO_RE,
    ANCHORS,
    BARE_EDGE_RE,
    BARE_MONTH_EDGE_RE,
    DASHES,
    DATE_RE,
    DAYRANGE_RE,
    DECADE_RE,
    DURATION_RE,
    HOLIDAY_RE,
    ISO_RE,
    MONTHSPAN_RE,
    QUARTER_RE,
    RELDAY_RE,
    SENTENCE_END_RE,
    SLASHED_RE,
    SPACES,
    WEEK_RE,
    WEEKDAY_RE,
    WEEKEND_RE,
    YEARSPAN_RE,
)

_OPEN_QUOTES, _CLOSE_QUOTES = "“「『", "”」』"
_QUOTE_RE = re.compile(f"[{_OPEN_QUOTES}{_CLOSE_QUOTES}]")
# "今天的乌克兰…明天的台湾" is a figure of speech: a 今天的 and a later 明天的 in one sentence.
_GENERIC_PAIRS = (("今天的", "明天的"), ("今日的", "明日的"))
_GENERIC_WORD_RE = re.compile("[今明][天日]的")
_NOT_A_DAY_AFTER = ("之", "而", "然", "黄花", "黃花")
_NOT_TODAY_AFTER = ("俄罗斯", "俄羅斯", "美国", "美國", "头条", "頭條")  # 今日俄罗斯 is RT
_NOT_A_DAY_NUMBER_AFTER = '”"」』）)、，,。线線文楼樓机機门門院令公决決字床房'


@dataclass(frozen=True)
class Mention:
    """Where a time expression of some kind is written (before any resolution)."""

    kind: str
    match: re.Match[str]

    # Cached: every step of the resolver asks, several times per mention.
    @cached_property
    def start(self) -> int:
        """Offset of the first character."""
        return self.match.start()

    @cached_property
    def end(self) -> int:
        """Offset after the last character, trailing spaces left out."""
        return self.match.start() + len(self.match.group(0).rstrip())


# Words without which a scanner cannot match: a text lacking all of them is not scanned for it
# (a substring test costs a fraction of a regular-expression scan, and most texts lack them).
_NEEDS: dict[str, tuple[str, ...]] = {
    "slashed": ("/",),
    "decade": ("年代", "世纪", "世紀"),
    "quarter": ("季", "半年", "前", "Q", "q"),
    "holiday": (
        *("元旦", "农历", "農曆", "春节", "春節", "除夕", "元宵", "端午", "中秋", "清明"),
        *("国庆", "國慶", "圣诞", "聖誕", "平安夜", "情人", "劳动节", "勞動節", "感恩"),
        *("复活", "復活"),
    ),
    "dayrange": (*DASHES, "至", "到"),
    "yearspan": (*DASHES, "至", "到"),
    "monthspan": (*DASHES, "至", "到"),
    "iso": tuple("-/."),
    "ago": ("前", "后", "後"),
    "weekday": ("周", "週", "星期", "礼拜", "禮拜"),
    "week": ("周", "週", "星期", "礼拜", "禮拜"),
    "edge": ("年初", "年底", "年末", "年中"),
    "monthedge": ("月初", "月底", "月末", "旬"),
    "weekend": ("末",),
    "duration": ("过去", "過去", "近"),
}
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dayrange", DAYRANGE_RE),
    ("iso", ISO_RE),
    ("slashed", SLASHED_RE),
    ("yearspan", YEARSPAN_RE),
    ("monthspan", MONTHSPAN_RE),
    ("date", DATE_RE),
    ("duration", DURATION_RE),
    ("relday", RELDAY_RE),
    ("ago", AGO_RE),
    ("weekday", WEEKDAY_RE),
    ("weekend", WEEKEND_RE),
    ("week", WEEK_RE),
    ("edge", BARE_EDGE_RE),
    ("monthedge", BARE_MONTH_EDGE_RE),
    ("decade", DECADE_RE),
    ("quarter", QUARTER_RE),
    ("holiday", HOLIDAY_RE),
)


class Scanner(Protocol):
    def finditer(self, string: str) -> Iterator[re.Match[str]]: ...


@dataclass(frozen=True)
class Anchored:
    """A pattern whose every match holds its anchor, found as ``pattern.finditer`` finds them
    (the same matches, non-overlapping, leftmost first) but tried only where a match can
    start: at most ``reach`` characters other than spaces before an anchor, up to its last
    character (an anchor overlapping the one found starts inside it)."""

    pattern: re.Pattern[str]
    anchor: re.Pattern[str]
    reach: int

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        match, tried = self.pattern.match, 0  # every start before ``tried`` has been tried
        for found in self.anchor.finditer(string):
            at = max(_back(string, found.start(), self.reach), tried)
            while at < found.end():
                m = match(string, at)
                if m is None:
                    at += 1
                    continue
                yield m
                at = max(m.end(), at + 1)  # as finditer: an empty match moves on by one
            tried = at


_SPACES = frozenset(SPACES)


def _back(text: str, at: int, reach: int) -> int:
    """The earliest offset from which text[offset:at] holds at most ``reach`` characters other
    than spaces."""
    while at > 0 and (text[at - 1] in _SPACES or reach > 0):
        if text[at - 1] not in _SPACES:
            reach -= 1
        at -= 1
    return at


_SCANNERS: tuple[tuple[str, Scanner], ...] = tuple(
    (kind, Anchored(pattern, re.compile(ANCHORS[kind][0]), ANCHORS[kind][1]))
    if kind in ANCHORS
    else (kind, pattern)
    for kind, pattern in _PATTERNS
)
_ORDER = {kind: rank for rank, (kind, _) in enumerate(_SCANNERS)}


@dataclass(frozen=True)
class Marks:
    """A normalised text with the offsets of its sentence ends and quotation marks, found once.

    Every mention asks which sentence it is in or whether it is quoted; with the offsets sorted,
    each question is a bisection, not a scan from the start of the text, so a text full of
    mentions costs time in proportion to its length.
    """

    text: str
    sentence_ends: tuple[int, ...]
    opens: tuple[int, ...]
    closes: tuple[int, ...]
    words: dict[str, tuple[int, ...]]  # offsets of 今天的, 明天的, 今日的, 明日的

    @classmethod
    def of(cls, text: str) -> Marks:
        """The marks of a normalised text."""
        quotes = [(m.start(), m.group()) for m in _QUOTE_RE.finditer(text)]
        words: dict[str, list[int]] = {word: [] for pair in _GENERIC_PAIRS for word in pair}
        for m in _GENERIC_WORD_RE.finditer(text):
            words[m.group()].append(m.start())
        return cls(
            text,
            tuple(m.start() for m in SENTENCE_END_RE.finditer(text)),
            tuple(pos for pos, mark in quotes if mark in _OPEN_QUOTES),
            tuple(pos for pos, mark in quotes if mark in _CLOSE_QUOTES),
            {word: tuple(offsets) for word, offsets in words.items()},
        )

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """Offsets of the sentence around text[start:end]."""
        ends = self.sentence_ends
        before, after = bisect.bisect_left(ends, start), bisect.bisect_left(ends, end)
        first = ends[before - 1] + 1 if before else 0
        return first, ends[after] if after < len(ends) else len(self.text)

    def sentence_index(self, pos: int) -> int:
        """How many sentences end before pos."""
        return bisect.bisect_left(self.sentence_ends, pos)

    def quoted(self, pos: int) -> bool:
        """Whether pos lies inside a quotation (“…”, 「…」): more marks opened than closed."""
        return bisect.bisect_left(self.opens, pos) > bisect.bisect_left(self.closes, pos)

    def generic_pair(self, first: int, stop: int) -> bool:
        """'今天的…明天的' within text[first:stop], a sentence (so no line break between)."""
        for lead, follow in _GENERIC_PAIRS:
            leads, follows = self.words[lead], self.words[follow]
            at = bisect.bisect_left(leads, first)
            if at == len(leads) or leads[at] + len(lead) > stop:
                continue
            # The first 今天的 leaves the most room for a 明天的 after it.
            later = bisect.bisect_left(follows, leads[at] + len(lead))
            if later < len(follows) and follows[later] + len(follow) <= stop:
                return True
        return False


def find_mentions(marks: Marks) -> list[Mention]:
    """Non-overlapping time-expression mentions in a normalised text, in text order."""
    text = marks.text
    found = [
        Mention(kind, m)
        for kind, pattern in _SCANNERS
        if kind not in _NEEDS or any(word in text for word in _NEEDS[kind])
        for m in pattern.finditer(text)
        if m.group(0).strip() and _valid(kind, m, marks)
    ]
    # Leftmost, then longest, then the more specific scanner wins.
    found.sort(key=lambda m: (m.start, m.start - m.end, _ORDER[m.kind]))
    chosen: list[Mention] = []
    for mention in found:
        if not chosen or mention.start >= chosen[-1].end:
            chosen.append(mention)
    return chosen


def _valid(kind: str, m: re.Match[str], marks: Marks) -> bool:
    check = _VALIDATORS.get(kind)
    return check is None or check(m, marks)


def _valid_quarter(m: re.Match[str], marks: Marks) -> bool:
    # A quarter needs a year or the word 季度; 上半年 / 下半年 alone are this year's halves.
    if m["q3"]:  # Q2 needs its year: 今年Q2, 2024年Q1
        return bool(m["year"] or m["ryear"])
    if m["fn"]:  # 前6周: the first weeks of the year named, or of this one
        return bool(m["year"] or m["ryear"]) or marks.text[m.start() - 1 : m.start()] in "，,。 \n"
    return bool(m["year"] or m["ryear"] or m["q"] or m["qn"] or m["half"])


def _valid_holiday(m: re.Match[str], marks: Marks) -> bool:
    return not _recurring(marks.text, m.start())  # 每年春节, 每逢中秋: no one year's holiday


def _recurring(text: str, pos: int) -> bool:
    """每年, 每逢, 每月 … right before pos: what follows recurs, it is not one day."""
    before = text[max(0, pos - 2) : pos]
    return before.endswith("每") or before in ("每年", "每月", "每逢", "每個", "每个")


def _valid_date(m: re.Match[str], marks: Marks) -> bool:
    g = m.groupdict()
    if not any(g[k] for k in ("year", "ryear", "month", "rmonth", "day")):
        return False
    if g["ryear"] in ("当年", "當年") and not (g["month"] or g["rmonth"]):
        return False  # 当年 alone means "in those years"
    if not (g["year"] or g["ryear"]) and _recurring(marks.text, m.start()):
        return False  # 每年10月, 每月15日: a recurrence, no one month or day
    year = parse_number(g["year"]) if g["year"] else 2000
    if year is None or not 1900 <= year <= 2100:
        return False
    if g["year"] and not (g["month"] or g["rmonth"] or g["day"]):
        if marks.text.startswith("第", m.end()):
            return False  # 2020年第75号公告: a number of that year, not the year
        if marks.text[m.start() - 1 : m.start()] == "《":
            return False  # 《2022年芯片与科学法案》: a title's year, the name of a law or report
    if g["day"] and not (g["month"] or g["rmonth"]):
        before = marks.text[max(0, m.start() - 2) : m.start()]
        return _valid_bare_day(g["day"], g["unit"], before, marks.text[m.end() : m.end() + 1])
    return True


def _valid_bare_day(day: str, unit: str, before: str, following: str) -> bool:
    if not day.isascii() and (parse_number(day) or 0) < 10:
        return False  # 一日, 三日 are mostly "one day", "three days"
    if before.endswith(_COUNTING_BEFORE) or before in _COUNTING_BEFORE:
        return False  # 连续2日, 为期3日: a count of days
    small = (parse_number(day) or 0) < 10 or not day.isascii()
    if (
        unit != "日"
        and small
        and before
        and _is_han(before[-1])
        and before[-1] not in _DAY_MAY_FOLLOW
    ):
        return False  # 向阳红3号, 嫦娥5号: the number of a named thing
    # "北溪2号", "1号文件": numbered things, not days
    return unit == "日" or not following or following not in _NOT_A_DAY_NUMBER_AFTER


# Words after which "N日" counts days; characters after which "N号" may still be a day.
_COUNTING_BEFORE = (
    "连续",
    "連續",
    "持续",
    "持續",
    "为期",
    "為期",
    "长达",
    "長達",
    "每",
    "逾",
    "第",
)
_DAY_MAY_FOLLOW = (
    "于於在至到从從自由是为為和与與及或、，。；：（(“”「」月底前后後的上下他她它我你们們"
)


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _valid_dayrange(m: re.Match[str], marks: Marks) -> bool:
    first, second = parse_number(m["d1"]) or 0, parse_number(m["d2"]) or 0
    return bool(m["month"] or m["unit"]) and first < second


def _valid_relday(m: re.Match[str], marks: Marks) -> bool:
    text = marks.text
    word, before = m.group(0), text[m.start() - 1 : m.start()]
    if text.startswith(_NOT_A_DAY_AFTER, m.end()):
        return False  # 同日而语, 目前天然气
    if word == "今日" and (
        text.startswith(_NOT_TODAY_AFTER, m.end())
        or before == "今"
        or text[m.start() - 2 : m.start()] in ("今时", "今時")
    ):
        return False  # 今日俄罗斯 (RT), 今时今日 ("nowadays")
    if word == "前天" and before and before in "目之提此以眼当當事日":
        return False
    if word in ("当日", "當日") and text.startswith(("本", "军", "軍"), m.end()):
        return False  # 当日本受到攻击时: "when Japan …"
    if word in _OF_A_HAPPENING and _after_a_noun(text, m.start()):
        return False  # 发表当天, 言论的前一天: the day of a happening the text does not date
    if word in ("今天", "今日") and before == "的":
        return False  # 的今天: "nowadays"
    if word in ("今天", "今日") and _present_day(text, m.start(), m.end()):
        return False
    if word == "第二天":
        return opens_clause(text, m.start())  # "连续第二天", "入侵的第二天" count, not step
    if word not in ("今天", "今日", "明天", "明日"):
        return True
    return not marks.generic_pair(*marks.sentence_bounds(m.start(), m.end()))


# Anaphora that, right after a noun, mean "the day of (or before) that happening".
_OF_A_HAPPENING = frozenset({"当天", "當天", "当日", "當日", "前一天", "前一日"})


def _after_a_noun(text: str, pos: int) -> bool:
    # Only after 的: after a name ("尹锡悦当天") it is still the narrative's day, and after a
    # dated happening ("2月24日入侵乌克兰当天") the happening's day is the narrative's too.
    return text[pos - 1 : pos] == "的"


# 今天的 + one of these is a happening of today (今天的会议); before any other noun it is the
# present day (今天的中共国, 今天的全球贸易, 今天的下场).
_TODAYS_HAPPENINGS = (
    *("会", "會", "讨论", "討論", "指控", "制裁", "声明", "聲明", "讲话", "講話", "演讲", "演講"),
    *("发布", "發布", "投票", "选举", "選舉", "袭击", "襲擊", "行动", "行動", "决定", "決定"),
    *("公告", "报告", "報告", "报道", "報導", "消息", "新闻", "新聞", "交易", "收盘", "收盤"),
    *("比赛", "比賽", "活动", "活動", "访问", "訪問", "谈判", "談判", "通话", "通話", "宣布"),
)
_IF = ("如果", "假如", "倘若", "要是", "若是", "假设", "假設")


def _present_day(text: str, start: int, end: int) -> bool:
    """今天 as "the present" (今天的中共国) or in a hypothesis (如果今天举行大选): no day."""
    if text[max(0, start - 2) : start] in _IF or text[start - 1 : start] == "若":
        return True
    if text[end : end + 1] != "的":
        return False
    return (
        not text.startswith(_TODAYS_HAPPENINGS, end + 1) and not text[end + 1 : end + 2].isdigit()
    )


def opens_clause(text: str, pos: int) -> bool:
    """Whether pos starts a clause (a few spaces aside): "两天后，…", "第二天，…"."""
    # A bounded look back: slicing text[:pos] would copy the text for each mention.
    before = text[max(0, pos - 4) : pos].rstrip(" \t\u00a0")
    return not before or before[-1] in "，,。；;：:！？!?\n）)」”"


def _valid_duration(m: re.Match[str], marks: Marks) -> bool:
    # 近30位 is a count and 近七年前 a point; 近7年来 is a period: the 近 forms need 来 / 内.
    return m["pre"] in ("过去", "過去") or m["suf"] is not None


_VALIDATORS: dict[str, Callable[[re.Match[str], Marks], bool]] = {
    "date": _valid_date,
    "dayrange": _valid_dayrange,
    "relday": _valid_relday,
    "duration": _valid_duration,
    "quarter": _valid_quarter,
    "holiday": _valid_holiday,
}
