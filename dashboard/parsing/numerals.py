"""How Chinese dates are written: numerals, word lists, patterns and calendar arithmetic.

This is the lexical half of the date resolver: it finds where a time expression is written, what
kind it is and which cues surround it; dashboard.parsing.dates decides which days it means.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

Precision = Literal["day", "week", "month", "year", "range"]

_SP = r"[ \t\u00a0]*"
_CN = "〇零一二三四五六七八九十"
# A number starts here, not in the middle of a longer one ("周二2月" is fine, "12月" is not "2月").
_NO_NUM_BEFORE = rf"(?:(?<![0-9.第])(?=[0-9])|(?<![{_CN}两兩第])(?=[{_CN}])|(?![0-9{_CN}]))"
_YEAR_NUM = r"(?:19|20)[0-9]{2}|[〇零一二三四五六七八九]{4}"
_MONTH_NUM = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY_NUM = (
    r"3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?"
    r"|[一二三四五六七八九]"
)
_REL_YEARS = "今年|去年|明年|前年|后年|後年|同年|当年|當年"
_REL_MONTHS = "这个月|這個月|上个月|上個月|下个月|下個月|本月|上月|下月|同月|当月|當月|次月"
_WEEK_WORD = "星期|礼拜|禮拜|周|週"
_WEEK_PREFIX = "上上|下下|上个|上個|下个|下個|这个|這個|上|下|本|这|這"

DATE_RE = re.compile(
    rf"(?=[0-9{_CN}今去明前后後同当當本这這上下次]){_NO_NUM_BEFORE}"
    rf"(?:(?P<year>{_YEAR_NUM}){_SP}年(?![多余餘代])|(?P<ryear>{_REL_YEARS}))?{_SP}"
    rf"(?:(?P<month>{_MONTH_NUM}){_SP}月|(?P<rmonth>{_REL_MONTHS}))?{_SP}"
    rf"(?:(?P<day>{_DAY_NUM}){_SP}(?P<unit>[日号號])(?![本圆圓内內期语語军軍籍式币幣]|元(?!旦)))?"
)
DAYRANGE_RE = re.compile(
    rf"(?=[0-9{_CN}]){_NO_NUM_BEFORE}(?:(?P<year>{_YEAR_NUM}){_SP}年{_SP})?(?:(?P<month>{_MONTH_NUM}){_SP}月{_SP})?"
    rf"(?P<d1>{_DAY_NUM}){_SP}(?:[日号號]{_SP})?[-－–—~～至到]{_SP}(?P<d2>{_DAY_NUM}){_SP}"
    r"(?P<unit>[日号號])?"
)
ISO_RE = re.compile(
    r"(?<![/0-9A-Za-z])(?P<year>(?:19|20)[0-9]{2})(?P<sep>[-/.])(?P<month>1[0-2]|0?[1-9])"
    r"(?P=sep)(?P<day>3[01]|[12][0-9]|0?[1-9])(?![-/.0-9A-Za-z])"
)
WEEKDAY_RE = re.compile(
    rf"(?=[上下本这這星礼禮周週])(?<!每)(?P<pre>{_WEEK_PREFIX})?(?:{_WEEK_WORD})(?P<wd>[一二三四五六日天])(?![年次])"
)
WEEK_RE = re.compile(rf"(?P<pre>{_WEEK_PREFIX})(?:{_WEEK_WORD})(?![一二三四五六日天末年刊边邊期])")
WEEKEND_RE = re.compile(rf"(?=[上下本这這周週])(?P<pre>{_WEEK_PREFIX})?(?:周末|週末)")
RELDAY_RE = re.compile(
    "此前一天|前一天|前一日|一天前|同一天|今天|今日|今晨|今早|今晚|昨天|昨日|昨晚|昨夜|前天|明天|明日"
    "|明晚|后天|後天|当天|當天|当日|當日|同日|当晚|當晚|次日|翌日"
)
AGO_RE = re.compile(
    rf"(?=[0-9{_CN}两兩]){_NO_NUM_BEFORE}(?P<n>[0-9]{{1,2}}|[一二两兩三四五六七八九十]{{1,3}})"
    r"(?P<unit>天|个月|個月|年)(?:以)?前(?!夕)"
)
DURATION_RE = re.compile(
    rf"(?P<pre>过去|過去|最近|将近|將近|近)(?:的)?{_SP}(?P<n>[0-9]+|[一二两兩三四五六七八九十百]+){_SP}"
    r"(?P<unit>个小时|個小時|小时|小時|个星期|個星期|星期|个月|個月|年|月|周|週|天|日)"
    r"(?P<suf>以来|以來|之内|之內|来|來|内|內|里|裡|中)?"
)
BARE_EDGE_RE = re.compile(rf"(?<![每0-9{_CN}两年])年(?P<edge>初|底|末)")

# Context around a mention.
PART_RE = re.compile(
    rf"{_SP}(?P<part>凌晨|清晨|早晨|早上|早间|早間|上午|中午|午间|午間|下午|傍晚|晚间|晚間|晚上"
    r"|夜间|夜間|深夜|午夜|稍早|稍晚|早些时候|早些時候|晚些时候|晚些時候|晚|夜)"
)
YEAR_EDGE_RE = re.compile(
    rf"{_SP}(?:年?(?P<edge>初|底|末)|(?P<season>春天|夏天|秋天|冬天|春季|夏季|秋季|冬季))"
)
MONTH_EDGE_RE = re.compile(r"(?P<edge>初|底|末|上旬|中旬|下旬)")
SINCE_AFTER_RE = re.compile(rf"{_SP}(?:以来|以來|至今|起(?![草诉訴义義飞飛火来來床]))")
SINCE_CLOSE_RE = re.compile(r"[^，。；、,;！？!?\n]{0,14}?(?:以来|以來|至今)")
RANGE_GAP_RE = re.compile(rf"{_SP}[-－–—~～至到]{_SP}")
PAIR_GAP_RE = re.compile(r"[ （(]{0,2}")
LIST_GAP_RE = re.compile(r"[和与與、及或]")
_CLAUSE_END_RE = re.compile(r"[，,。；;！？!?\n：:]")
# 将 before a noun is the object marker (将俄罗斯…置于), not "will".
_WILL = (
    r"[将將](?![俄美中其他她它该該此这這所部国國])|预计|預計|即将|即將"
    r"|(?<![主重需只必想不])要(?![求点點素害])"
)
_CUE_RE = re.compile(
    rf"{_WILL}|计划|計劃|(?<!原)定于|(?<!原)定於|拟于|擬於|推迟至|推遲至|推迟到|延至|打算|下周|下週"
)
_CUE_AFTER_RE = re.compile(_WILL)
_CUE_STOP_RE = re.compile(
    "表示|说|說|称|稱|宣布|宣佈|指出|透露|警告|强调|強調|报道|報道|報導|报导|了|曾|已经|已經"
)
_DATELINE_BEFORE_RE = re.compile(
    r"(?:中央社|路透|新华社|新華社|大纪元|大紀元|法新社|美联社|美聯社|中新社|共同社)[^，。\n]{0,14}$"
)
_DATELINE_AFTER_RE = re.compile(r"[^，。\n]{0,10}?(?:电|電|讯|訊|報導|报导|报道)[）)】]|\s*[-–—]\s")

YEAR_SHIFT = {"今年": 0, "去年": -1, "明年": 1, "前年": -2, "后年": 2, "後年": 2}
MONTH_SHIFT = {"本月": 0, "这个月": 0, "這個月": 0, "上个月": -1, "上個月": -1, "上月": -1}
MONTH_SHIFT |= {"下个月": 1, "下個月": 1, "下月": 1}
WEEK_SHIFT = {"上上": -2, "下下": 2, "上个": -1, "上個": -1, "下个": 1, "下個": 1}
WEEK_SHIFT |= {"上": -1, "下": 1}
WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
DAY_SHIFT = {"今天": 0, "今日": 0, "今晨": 0, "今早": 0, "今晚": 0, "昨天": -1, "昨日": -1}
DAY_SHIFT |= {"昨晚": -1, "昨夜": -1, "前天": -2, "明天": 1, "明日": 1, "明晚": 1, "后天": 2}
DAY_SHIFT |= {"後天": 2}
STEP_DAY = {"此前一天": -1, "前一天": -1, "前一日": -1, "一天前": -1, "次日": 1, "翌日": 1}
WORD_DETAIL = {"今晨": "晨", "今早": "早", "今晚": "晚", "昨晚": "晚", "昨夜": "夜", "明晚": "晚"}
WORD_DETAIL |= {"当晚": "当晚", "當晚": "當晚"}
XUN = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31)}
SEASON_MONTH = {"春": 3, "夏": 6, "秋": 9, "冬": 12}
_WEEK_UNITS = ("周", "週", "星期", "个星期", "個星期")
_HOUR_UNITS = ("小时", "小時", "个小时", "個小時")
_MONTH_UNITS = ("月", "个月", "個月")
SENTENCE_END_RE = re.compile(r"[。！？!?\n]")
_OPEN_QUOTES, _CLOSE_QUOTES = "“「『", "”」』"
_QUOTE_RE = re.compile(f"[{_OPEN_QUOTES}{_CLOSE_QUOTES}]")
# "今天的乌克兰…明天的台湾" is a figure of speech: a 今天的 and a later 明天的 in one sentence.
_GENERIC_PAIRS = (("今天的", "明天的"), ("今日的", "明日的"))
_GENERIC_WORD_RE = re.compile("[今明][天日]的")
_CUE_BEFORE_REACH = 20  # characters before a mention searched for its clause's future cue
_CUE_AFTER_REACH = 16  # characters after a mention searched for 将 / 预计 …
_NOT_A_DAY_AFTER = ("之", "而", "然")
_NOT_TODAY_AFTER = ("俄罗斯", "俄羅斯", "美国", "美國", "头条", "頭條")  # 今日俄罗斯 is RT
_NOT_A_DAY_NUMBER_AFTER = '”"」』）)、，,。线線文楼樓机機门門院令公决決字床房'

# One character for one, so offsets found in the normalised text hold in the original.
_FULL_WIDTH = tuple(zip("０１２３４５６７８９－／．：　", "0123456789-/.: ", strict=True))
_FULL_WIDTH_RE = re.compile("[０-９－／．：　]")
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# No date or count that stays in the calendar needs more characters; longer runs are serial
# numbers, and int() of them costs time and, past 4,300 digits, raises ValueError.
_MAX_NUMERAL_CHARS = 20


def normalise(text: str) -> str:
    """Full-width digits, dashes and spaces as ASCII, keeping every offset."""
    # Most articles have nothing to change; three in four have a full-width colon or space, and
    # a replace() per character present is a tenth of the cost of translate(), which looks up
    # every character of the text in a dict.
    if not _FULL_WIDTH_RE.search(text):
        return text
    for wide, narrow in _FULL_WIDTH:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


def parse_number(token: str) -> int | None:
    """Value of an Arabic or Chinese numeral (24, 二十四, 十, 二〇二二); None if not one."""
    token = token.strip()
    if not token or len(token) > _MAX_NUMERAL_CHARS:
        return None
    if token.isascii() and token.isdigit():
        return int(token)
    if all(ch in _CN_DIGITS for ch in token):
        # Positional digits, as years are written: 二〇二二.
        return int("".join(str(_CN_DIGITS[ch]) for ch in token))
    return _parse_cn_with_units(token)


def _parse_cn_with_units(token: str) -> int | None:
    total, current = 0, 0
    for ch in token:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def month_last(year: int, month: int) -> dt.date:
    """Last day of the month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# The arithmetic below raises ValueError or OverflowError when a result would leave
# date.min..date.max, as datetime does; dashboard.parsing.dates drops such a mention as a whole.


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day so many months later (or earlier), clamped to the month's end."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month0 + 1, min(day.day, month_last(year, month0 + 1).day))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day so many years later (or earlier); 29 February becomes the 28th."""
    return add_months(day, 12 * years)


def clamped_add(day: dt.date, delta: dt.timedelta) -> dt.date:
    """day + delta, held at date.min / date.max: a bound that any calendar date compares with."""
    try:
        return day + delta
    except OverflowError:
        return dt.date.max if delta > dt.timedelta(0) else dt.date.min


def latest_year(month: int, limit: dt.date) -> int:
    """The last year whose month begins on or before limit."""
    return limit.year if month <= limit.month else limit.year - 1


def monday(day: dt.date) -> dt.date:
    """Monday of the week containing day."""
    return day - dt.timedelta(days=day.weekday())


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist (31 April)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def day_span(year: int, month: int, day: int | None) -> tuple[dt.date, dt.date]:
    """First and last day of a month, or the day itself (clamped to the month's end)."""
    if day is None:
        return dt.date(year, month, 1), month_last(year, month)
    date = safe_date(year, month, day) or month_last(year, month)
    return date, date


def nearest_year(
    ref: dt.date, month: int, day: int | None, future: bool, window: dt.timedelta
) -> int:
    """Year of an undated month(-day): latest within window after ref, or first not before it."""
    years = [year for year in (ref.year - 1, ref.year, ref.year + 1) if year >= dt.MINYEAR]
    spans = [(year, *day_span(year, month, day)) for year in years if year <= dt.MAXYEAR]
    if future:
        return next((year for year, _, last in spans if last >= ref), ref.year)
    limit = clamped_add(ref, window)
    return max((year for year, first, _ in spans if first <= limit), default=ref.year)


def year_part(
    year: int, edge: str | None, season: str | None
) -> tuple[dt.date, dt.date, Precision]:
    """年初 / 年底 as January / December (month precision); a season as a range."""
    if season:
        first = dt.date(year, SEASON_MONTH[season[0]], 1)
        last = add_months(first, 2)
        return first, month_last(last.year, last.month), "range"
    month = 1 if edge == "初" else 12
    return dt.date(year, month, 1), month_last(year, month), "month"


def month_part(year: int, month: int, edge: str | None) -> tuple[dt.date, dt.date, Precision]:
    """A month, 月初 / 月底 (still the month) or 上旬 / 中旬 / 下旬 (a range of days)."""
    first, last = dt.date(year, month, 1), month_last(year, month)
    if edge not in XUN:
        return first, last, "month"
    low, high = XUN[edge]
    return first.replace(day=low), first.replace(day=high) if high < 28 else last, "range"


def ago_span(ref: dt.date, n: int, unit: str) -> tuple[dt.date, dt.date, Precision]:
    """'N天前' (a day), 'N个月前' (a month), 'N年前' (a year), counted back from ref."""
    if unit == "天":
        day = ref - dt.timedelta(days=n)
        return day, day, "day"
    if unit == "年":
        return dt.date(ref.year - n, 1, 1), dt.date(ref.year - n, 12, 31), "year"
    first = add_months(ref.replace(day=1), -n)
    return first, month_last(first.year, first.month), "month"


def nearest_weekday(ref: dt.date, weekday: int, future: bool) -> dt.date:
    """The nearest such weekday on or before ref, or on or after it when future."""
    if future:
        return ref + dt.timedelta(days=(weekday - ref.weekday()) % 7)
    return ref - dt.timedelta(days=(ref.weekday() - weekday) % 7)


def go_back(day: dt.date, n: int, unit: str) -> dt.date:
    """day minus n years, months, weeks, days or hours (hours round up to whole days)."""
    if unit == "年":
        return add_years(day, -n)
    if unit in _MONTH_UNITS:
        return add_months(day, -n)
    if unit in _WEEK_UNITS:
        return day - dt.timedelta(weeks=n)
    if unit in _HOUR_UNITS:
        return day - dt.timedelta(days=math.ceil(n / 24))
    return day - dt.timedelta(days=n)


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


_SCANNERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dayrange", DAYRANGE_RE),
    ("iso", ISO_RE),
    ("date", DATE_RE),
    ("duration", DURATION_RE),
    ("relday", RELDAY_RE),
    ("ago", AGO_RE),
    ("weekday", WEEKDAY_RE),
    ("weekend", WEEKEND_RE),
    ("week", WEEK_RE),
    ("edge", BARE_EDGE_RE),
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
    found = [
        Mention(kind, m)
        for kind, pattern in _SCANNERS
        for m in pattern.finditer(marks.text)
        if m.group(0).strip() and _valid(kind, m, marks)
    ]
    # Leftmost, then longest, then the more specific scanner wins.
    found.sort(key=lambda m: (m.start, m.start - m.end, _ORDER[m.kind]))
    chosen: list[Mention] = []
    for mention in found:
        if not chosen or mention.start >= chosen[-1].end:
            chosen.append(mention)
    return chosen


def cue_before(text: str, pos: int) -> bool:
    """A future cue (将, 预计, 定于 …) earlier in the clause that ends at pos."""
    low = max(0, pos - _CUE_BEFORE_REACH)
    clause = max((e.end() for e in _CLAUSE_END_RE.finditer(text, low, pos)), default=low)
    return _CUE_RE.search(text, clause, pos) is not None


def cue_after(text: str, end: int) -> bool:
    """A future cue right after end ('周五将在日内瓦会晤'), before any verb of saying."""
    limit = min(end + _CUE_AFTER_REACH, len(text))
    # Searched only up to the limit: a text without sentence ends must not be read to its end.
    stop_sentence = SENTENCE_END_RE.search(text, end, limit)
    if stop_sentence is not None:
        limit = stop_sentence.start()
    cue = _CUE_AFTER_RE.search(text, end, limit)
    stop = _CUE_STOP_RE.search(text, end, limit)
    return cue is not None and (stop is None or cue.start() < stop.start())


def is_dateline(text: str, mention: Mention) -> bool:
    """'路透莫斯科1月18日 -', '（中央社華盛頓21日電）', '【大纪元2022年03月09日讯】'."""
    if mention.kind not in ("date", "iso") or (mention.kind == "date" and not mention.match["day"]):
        return False
    before = _DATELINE_BEFORE_RE.search(text, max(0, mention.start - 20), mention.start)
    return before is not None and _DATELINE_AFTER_RE.match(text, mention.end) is not None


def _valid(kind: str, m: re.Match[str], marks: Marks) -> bool:
    check = _VALIDATORS.get(kind)
    return check is None or check(m, marks)


def _valid_date(m: re.Match[str], marks: Marks) -> bool:
    g = m.groupdict()
    if not any(g[k] for k in ("year", "ryear", "month", "rmonth", "day")):
        return False
    if g["ryear"] in ("当年", "當年") and not (g["month"] or g["rmonth"]):
        return False  # 当年 alone means "in those years"
    year = parse_number(g["year"]) if g["year"] else 2000
    if year is None or not 1900 <= year <= 2100:
        return False
    if g["day"] and not (g["month"] or g["rmonth"]):
        return _valid_bare_day(g["day"], g["unit"], marks.text[m.end() : m.end() + 1])
    return True


def _valid_bare_day(day: str, unit: str, following: str) -> bool:
    if not day.isascii() and (parse_number(day) or 0) < 10:
        return False  # 一日, 三日 are mostly "one day", "three days"
    # "北溪2号", "1号文件": numbered things, not days
    return unit == "日" or not following or following not in _NOT_A_DAY_NUMBER_AFTER


def _valid_dayrange(m: re.Match[str], marks: Marks) -> bool:
    first, second = parse_number(m["d1"]) or 0, parse_number(m["d2"]) or 0
    return bool(m["month"] or m["unit"]) and first < second


def _valid_relday(m: re.Match[str], marks: Marks) -> bool:
    text = marks.text
    word, before = m.group(0), text[m.start() - 1 : m.start()]
    if text.startswith(_NOT_A_DAY_AFTER, m.end()):
        return False  # 同日而语, 目前天然气
    if word == "今日" and text.startswith(_NOT_TODAY_AFTER, m.end()):
        return False
    if word == "前天" and before and before in "目之提此以眼当當事日":
        return False
    if word in ("今天", "今日") and before == "的":
        return False  # 的今天: "nowadays"
    if word not in ("今天", "今日", "明天", "明日"):
        return True
    return not marks.generic_pair(*marks.sentence_bounds(m.start(), m.end()))


def _valid_duration(m: re.Match[str], marks: Marks) -> bool:
    # 近30位 is a count and 近七年前 a point; 近7年来 is a period: the 近 forms need 来 / 内.
    return m["pre"] in ("过去", "過去") or m["suf"] is not None


_VALIDATORS: dict[str, Callable[[re.Match[str], Marks], bool]] = {
    "date": _valid_date,
    "dayrange": _valid_dayrange,
    "relday": _valid_relday,
    "duration": _valid_duration,
}
