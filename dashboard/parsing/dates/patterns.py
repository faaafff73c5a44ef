"""How dates are written: the patterns of each kind of mention and the words they use."""

from __future__ import annotations

import re

from dashboard.parsing.dates.numerals import CN

SPACES = " \t\u00a0"  # what may stand between the parts of a date
SP = f"[{SPACES}]*"
# A number starts here, not in the middle of a longer one ("周二2月" is fine, "12月" is not "2月").
_NO_NUM_BEFORE = rf"(?:(?<![0-9.第])(?=[0-9])|(?<![{CN}两兩第])(?=[{CN}])|(?![0-9{CN}]))"
# 2004 as 2004, 二〇〇四, 二零零四 or 两千零四 (两千年 alone is as often "2,000 years").
_YEAR_NUM = (
    r"(?:19|20)[0-9]{2}|[〇零一二三四五六七八九]{4}|[两兩二]千[零〇][一二三四五六七八九十]{1,3}"
)
_MONTH_NUM = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY_NUM = (
    r"3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?"
    r"|[一二三四五六七八九]"
)
_REL_YEARS = "今年|去年|明年|前年|后年|後年|同年|当年|當年"
DASHES = "-－–—─~～〜"  # ─ (a box-drawing line) stands for a dash in many reposts
_REL_MONTHS = "这个月|這個月|上个月|上個月|下个月|下個月|本月|上月(?!球)|下月|同月|当月|當月|次月"
_WEEK_WORD = "星期|礼拜|禮拜|周|週"
_WEEK_PREFIX = "上上|下下|上个|上個|上一|下个|下個|下一|这个|這個|这一|這一|上|下|本|这|這"
# A year written before a quarter, a span of months or a holiday: 2024年, 去年, 同年.
_YEAR_PREFIX = rf"(?:(?P<year>{_YEAR_NUM}){SP}年{SP}|(?P<ryear>{_REL_YEARS}))?"
DATE_RE = re.compile(
    rf"(?=[0-9{CN}两兩今去明前后後同当當本这這上下次]){_NO_NUM_BEFORE}"
    # Every part is optional: without this the pattern would match nothing at every digit.
    rf"(?=(?:{_YEAR_NUM}){SP}年|{_REL_YEARS}|(?:{_MONTH_NUM}){SP}月|{_REL_MONTHS}|(?:{_DAY_NUM}){SP}[日号號])"
    rf"(?:(?P<year>{_YEAR_NUM}){SP}年(?![多余餘代])|(?P<ryear>{_REL_YEARS}))?{SP}"
    rf"(?:(?P<month>{_MONTH_NUM}){SP}月(?:份(?![额額]))?|(?P<rmonth>{_REL_MONTHS}))?{SP}"
    rf"(?:(?P<day>{_DAY_NUM}){SP}(?P<unit>[日号號])(?![本圆圓内內期语語军軍籍式币幣]|元(?!旦)))?"
)
DAYRANGE_RE = re.compile(
    rf"(?=[0-9{CN}]){_NO_NUM_BEFORE}(?:(?P<year>{_YEAR_NUM}){SP}年{SP})?(?:(?P<month>{_MONTH_NUM}){SP}月{SP})?"
    rf"(?P<d1>{_DAY_NUM}){SP}(?:[日号號]{SP})?[{DASHES}至到]{SP}(?P<d2>{_DAY_NUM}){SP}"
    r"(?P<unit>[日号號])?"
)
# 03/03/2024, 24/3/2022: day and month in either order, settled against the reference.
SLASHED_RE = re.compile(
    r"(?=[0-9]{1,2}/)(?<![/0-9A-Za-z])(?P<a>3[01]|[12][0-9]|0?[1-9])/(?P<b>3[01]|[12][0-9]|0?[1-9])"
    r"/(?P<year>(?:19|20)[0-9]{2})(?![/0-9A-Za-z])"
)
# 去年1至11月, 2023年3-5月: a span of months written once with 月.
MONTHSPAN_RE = re.compile(
    rf"(?=[0-9{CN}今去明同当當])"
    rf"{_YEAR_PREFIX}{_NO_NUM_BEFORE}(?P<m1>{_MONTH_NUM}){SP}(?:月{SP})?[{DASHES}至到]{SP}(?P<m2>{_MONTH_NUM}){SP}月(?![0-9{CN}]{{1,2}}[日号號])"
)
# 2022—2023年, 2019至2021年: a span of years written once with 年.
YEARSPAN_RE = re.compile(
    rf"(?=[12])(?<![0-9])(?P<y1>(?:19|20)[0-9]{{2}}){SP}(?:年{SP})?[{DASHES}至到]{SP}(?P<y2>(?:19|20)[0-9]{{2}}){SP}年"
)
ISO_RE = re.compile(
    r"(?=[12])(?<![/0-9A-Za-z])(?P<year>(?:19|20)[0-9]{2})(?P<sep>[-/.])(?P<month>1[0-2]|0?[1-9])"
    r"(?P=sep)(?P<day>3[01]|[12][0-9]|0?[1-9])(?![-/.0-9A-Za-z])"
)
WEEKDAY_RE = re.compile(
    rf"(?=[上下本这這星礼禮周週])(?<!每)(?P<pre>{_WEEK_PREFIX})?(?:{_WEEK_WORD})(?P<wd>[一二三四五六日天])(?![年次])"
)
WEEK_RE = re.compile(rf"(?P<pre>{_WEEK_PREFIX})(?:{_WEEK_WORD})(?![一二三四五六日天末年刊边邊期])")
WEEKEND_RE = re.compile(rf"(?=[上下本这這周週])(?P<pre>{_WEEK_PREFIX})?(?:周末|週末)")
RELDAY_RE = re.compile(
    "(?=[此前一同今昨明大后後当當次翌第隔])"
    "(?:此前一天|前一天|前一日|一天前|同一天|今天|今日|今晨|今早|今晚|昨天|昨日|昨晚|昨夜|前天|明天|明日"
    "|明晚|大后天|大後天|大前天|后天|後天|当天|當天|当日|當日|同日|当晚|當晚|次日|翌日|隔天|隔日|第二天"
    # 今（19）日, 昨（18）日: Taiwanese news writes the day's number inside the word.
    r"|(?P<rel>[今昨明])[（(] ?(?P<n>[0-9]{1,2}) ?[）)][日号號])"
)
# 十天前, 两年前, 三天后; approximate counts (两三天前, 四五年前, 十几年前) read as ranges.
AGO_RE = re.compile(
    rf"(?=[0-9{CN}两兩]){_NO_NUM_BEFORE}"
    r"(?P<n>[0-9]{1,2}(?:、[0-9]{1,2})?|[一二两兩三四五六七八九十]{1,3}[几幾多余餘]?)"
    r"(?P<unit>天|个月|個月|年|周|週|个星期|個星期|星期)(?:以)?(?P<dir>前(?!夕)|后|後)"
)
DURATION_RE = re.compile(
    rf"(?P<pre>过去|過去|最近|将近|將近|近)(?:的)?{SP}(?P<n>[0-9]+|[一二两兩三四五六七八九十百]+){SP}"
    r"(?P<unit>个小时|個小時|小时|小時|个星期|個星期|星期|个月|個月|年|月|周|週|天|日)"
    r"(?P<suf>以来|以來|之内|之內|来|來|内|內|里|裡|中)?"
)
_CENTURY = (
    r"(?P<cword{n}>上世纪|上世紀|上个世纪|上個世紀|本世纪|本世紀)"
    r"|(?P<century{n}>1[0-9]|2[0-2]|[一]?十[一二三四五六七八九]?|二十[一二]?|[一二三四五六七八九])世[纪紀]"
)
_DECADE_PART = "初期|初|早期|中期|中叶|中葉|末期|末|后期|後期|晚期"
# 上世纪90年代, 九十年代初, 1990年代, 20世纪: a decade or a century, with a part of it.
DECADE_RE = re.compile(
    # Cheap tests first: where a decade or century could start, with its word close ahead.
    rf"(?=[上本0-9{CN}])(?=[^\n]{{0,10}}?(?:年代|世[纪紀]))"
    "(?:"
    rf"(?:{_CENTURY.format(n='')})?{SP}(?:(?P<full>(?:1[0-9]|20)[0-9]0){SP}年代|(?P<dec>[1-9]0|(?P<dec0>[一二三四五六七八])?、?[一二三四五六七八九]十){SP}年代)"
    rf"(?P<part>{_DECADE_PART})?"
    rf"|(?:{_CENTURY.format(n='2')})"
    rf"(?P<cpart>初期|初|末期|末)?"
    ")"
)
# 2024年第一季度, 今年一季度, 去年上半年: quarters and halves of a named year (a bare 第二季 is as
# often a television season).
QUARTER_RE = re.compile(
    rf"(?=[0-9{CN}两兩今去明同当當第上下前])"
    rf"(?=[^\n]{{0,12}}?(?:季|半年|[Qq][1-4]|前[0-9{CN}两兩]{{1,3}}(?:周|週|个月|個月)))"
    rf"{_YEAR_PREFIX}"
    rf"(?:[Qq](?P<q3>[1-4])(?![0-9])|前(?P<qn>[二三两兩2-3])个?季度|前(?P<fn>[0-9]{{1,2}}|[一二两兩三四五六七八九十]{{1,3}})(?P<fu>周|週|个月|個月)|第?(?P<q>[一二三四1-4]){SP}季度|第(?P<q2>[一二三四1-4])季(?![赛賽节節])|(?P<half>上半年|下半年))"
    r"(?P<edge>初|末|底)?"
)
_HOLIDAY_NAMES = (
    "元旦|农历新年|農曆新年|春节|春節|除夕|元宵节|元宵節|端午节|端午節|中秋节|中秋節|清明节|清明節|国庆节"
    "|國慶節|国庆日|國慶日|圣诞节|聖誕節|平安夜|情人节|情人節|劳动节|勞動節|五一劳动节|感恩节|感恩節|复活节"
    "|復活節|元宵|端午|中秋"
)
# Holidays of one year: 今年春节, 圣诞节期间, 中秋前夕. Names that also name other things (圣诞老人,
# 国庆 as a person's name) need their 节.
HOLIDAY_RE = re.compile(
    rf"(?=[0-9{CN}两兩今去明同当當元春除端中清国國圣聖平情劳勞感复復农農])"
    rf"{_YEAR_PREFIX}(?P<name>{_HOLIDAY_NAMES})(?P<eve>前夕)?"
)
# 月初, 月底, 下旬 with no month written: this month's (or the month of its sentence).
BARE_MONTH_EDGE_RE = re.compile(
    rf"(?=[月上中下])(?<![0-9{CN}两兩月年岁歲个個每本当當同次])(?:月(?P<edge>初|底|末)|(?P<xun>上旬|中旬|下旬))"
)
BARE_EDGE_RE = re.compile(
    rf"(?=年[初底末中])(?<![每0-9{CN}两年])年(?:(?P<edge>初|底|末)|(?<=[至到于於在]年)(?P<mid>中)(?![国國文共方心部]))"
)
# Anchors: for a pattern whose matches all hold one of a few rare words, that word (the
# anchor) and how far before it a match can start, in characters other than spaces (SP). The
# pattern is then tried only there (mentions.Anchored), not at every character of the text:
# these scanners were most of a text's date scanning, most of it at places that cannot match.
_DASH_BEFORE = rf"[{DASHES}至到](?={SP}[0-9{CN}])"  # a span's dash, its second number after it
ANCHORS: dict[str, tuple[str, int]] = {
    # A year (6), 年, a month (2), 月, the first day (3), 日.
    "dayrange": (_DASH_BEFORE, 14),
    # A year (6) and 年 or a relative year (2), the first month (2), 月.
    "monthspan": (_DASH_BEFORE, 11),
    "yearspan": (rf"[{DASHES}至到](?={SP}(?:19|20))", 5),  # the first year (4), 年
    # The number (up to 5: 12、15, 十几) before its unit.
    "ago": (r"(?:天|个月|個月|年|周|週|个星期|個星期|星期)(?:以)?(?:前|后|後)", 5),
    # What the pattern's own look-ahead requires, within 12 and 10 characters of its start.
    "quarter": (rf"季|半年|[Qq][1-4]|前[0-9{CN}两兩]{{1,3}}(?:周|週|个月|個月)", 12),
    "decade": (r"年代|世[纪紀]", 10),
    # The name, after a year (6) and 年, or a relative year (2).
    "holiday": (_HOLIDAY_NAMES, 7),
}
# Context around a mention.
PART_RE = re.compile(
    rf"{SP}(?P<part>凌晨|清晨|早晨|早上|早间|早間|上午|中午|午间|午間|下午|傍晚|晚间|晚間|晚上"
    r"|夜间|夜間|深夜|午夜|稍早|稍晚|早些时候|早些時候|晚些时候|晚些時候|晚|夜)"
)
YEAR_EDGE_RE = re.compile(
    rf"{SP}(?:年?(?P<edge>初|底|末)|年(?P<mid>中)(?:旬)?(?![国國文共方心部])|(?P<mid2>中旬)|(?P<season>春天|夏天|秋天|冬天|春季|夏季|秋季|冬季|[春夏秋冬](?=[，,。、；;]|$)))"
)
MONTH_EDGE_RE = re.compile(r"(?P<edge>初|底|末|上旬|中旬|下旬|中(?![国國文方共央心部东東華华旬]))")
SINCE_AFTER_RE = re.compile(rf"{SP}(?:以来|以來|至今|起(?![草诉訴义義飞飛火来來床码碼]))")
THIS_YEAR_SO_FAR_RE = re.compile("(?<=今年)[来來]")  # 今年来: 今年以来
SINCE_CLOSE_RE = re.compile(r"[^，。；、,;！？!?\n]{0,14}?(?:以来|以來|至今)")
RANGE_GAP_RE = re.compile(rf"{SP}[{DASHES}至到]{SP}")
PAIR_GAP_RE = re.compile(r"[ （(]{0,2}")
LIST_GAP_RE = re.compile(r"[和与與、及或]")
YEAR_SHIFT = {"今年": 0, "去年": -1, "明年": 1, "前年": -2, "后年": 2, "後年": 2}
MONTH_SHIFT = {"本月": 0, "这个月": 0, "這個月": 0, "上个月": -1, "上個月": -1, "上月": -1}
MONTH_SHIFT |= {"下个月": 1, "下個月": 1, "下月": 1}
WEEK_SHIFT = {"上上": -2, "下下": 2, "上个": -1, "上個": -1, "下个": 1, "下個": 1}
WEEK_SHIFT |= {"上": -1, "下": 1, "上一": -1, "下一": 1}
WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
DAY_SHIFT = {"今天": 0, "今日": 0, "今晨": 0, "今早": 0, "今晚": 0, "昨天": -1, "昨日": -1}
DAY_SHIFT |= {"昨晚": -1, "昨夜": -1, "前天": -2, "明天": 1, "明日": 1, "明晚": 1, "后天": 2}
DAY_SHIFT |= {"後天": 2, "大后天": 3, "大後天": 3, "大前天": -3}
REL_SHIFT = {"今": 0, "昨": -1, "明": 1}  # 今（19）日
STEP_DAY = {"此前一天": -1, "前一天": -1, "前一日": -1, "一天前": -1, "次日": 1, "翌日": 1}
STEP_DAY |= {"第二天": 1, "隔天": 1, "隔日": 1}
WORD_DETAIL = {"今晨": "晨", "今早": "早", "今晚": "晚", "昨晚": "晚", "昨夜": "夜", "明晚": "晚"}
WORD_DETAIL |= {"当晚": "当晚", "當晚": "當晚"}
SENTENCE_END_RE = re.compile(r"[。！？!?\n]")
