"""Find dated expressions in Chinese news text and resolve them against the publication date.

The package, by responsibility:
- numerals, patterns, mentions, cues: how dates are written and where a text mentions one;
- context: what the resolver knows as it walks a text; resolve: the walk itself;
- absolute (dates with numbers), relative (weeks, weekdays, 今天, N年前), anaphora (同日, 次日),
  ranges (since-ranges, counted periods), periods (quarters, decades, centuries), holidays: one
  kind of mention each;
- days: calendar arithmetic; model: the TimeExpression every caller receives.

Conventions (each pinned by tests/test_dates.py):
- Lists ("9日和10日", "9日、10日") give one day expression per item; spans ("26日至27日",
  "26-27日", "3月1日到5日", "1月至3月") give one expression of precision "range".
- Weeks run Monday..Sunday; a month or a year covers all its days. 年初 / 年底 keep month
  precision (January, December); 月初 / 上旬 (days 1-10), 中旬, 月底 / 下旬 (21 to the end) and
  seasons are ranges.
- Since-ranges ("自2014年以来", "2020年起", "近7年来", "过去24小时内") run from their start to
  the reference; a counted one (过去 / 近 N ...) starts at the precision of its unit and ends on
  the day named earlier in its sentence, if any. Open durations ("一个月来", "多年来", "24小时内"
  without 过去 / 近) are not dates.
- A month or month-day without a year takes the year of an explicit month written in its own
  sentence or the one before (the following year when the month comes earlier in the calendar,
  unless that lies beyond FUTURE_WINDOW); otherwise the latest year that keeps it within
  FUTURE_WINDOW after the reference (the year before when its clause tells it in the past), or
  after a future cue the first year that keeps it out of the past. So "10月24日" in March is
  last October, "1月底" in December next January.
- A bare day ("24日") takes the month of an explicit month in its own sentence (同月16日, "2月
  10日和16日"); otherwise the reference month,
  or the month before when the day is more than NEAR_FUTURE_DAYS after the reference day and
  no future cue (将, 预计, 定于 ...) applies; after a cue, the first such day not in the past.
- A weekday is the nearest one on or before the reference (the reference day itself included);
  after a future cue, on or after it. 上周 / 本周 / 下周 + weekday pick that week. A weekday
  written next to an explicit date ("周五(1月21日)", "2月25日周五") takes that date.
- Anaphora (同日, 当天, 当晚, 前一天, 次日 ...) refer to the last day named outside quotations,
  skipping days announced for the future unless their own clause looks ahead; 同月 / 同年 refer
  to the month / year last written. With nothing to refer to, they count from the reference.
- A part of day right after a day (晚间, 凌晨, 上午 ...) joins its text and becomes its detail.
- A dateline ("路透莫斯科1月18日 -", "（中央社華盛頓21日電）") within a day or so of the reference
  is the writer's today: relative words resolve against it.
- Tense is "future" after a future cue or when the days start after the reference, "past" when
  they end before it, otherwise "present".
- An expression is dropped when its days start before EARLIEST_YEAR or end more than
  YEARS_AHEAD years after the reference year (a century written out, 21世纪, may run to
  2100), or when working them out leaves the calendar
  (明天 on 9999-12-31): no expression for that mention, the others unaffected, never an error.
"""

from dashboard.parsing.dates.days import Precision
from dashboard.parsing.dates.model import TimeExpression
from dashboard.parsing.dates.resolve import find_expressions, resolve_reference

__all__ = ["Precision", "TimeExpression", "find_expressions", "resolve_reference"]
