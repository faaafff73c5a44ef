"""Cues around a mention: whether its clause looks ahead, and whether it is a dateline."""

from __future__ import annotations

import re

from dashboard.parsing.dates.mentions import Mention
from dashboard.parsing.dates.patterns import SENTENCE_END_RE

_CLAUSE_END_RE = re.compile(r"[，,。；;！？!?\n：:]")
# 将 before a noun is the object marker (将俄罗斯…置于), not "will".
_WILL = (
    r"[将將](?![俄美中其他她它该該此这這所部国國军軍领領士帅帥近0-9一二三四五六七八九十两兩])|预计|預計|即将|即將"
    r"|(?<![主重需只必想不])要(?![求点點素害])"
)
_CUE_RE = re.compile(
    rf"{_WILL}|计划|計劃|(?<!原)定于|(?<!原)定於|拟于|擬於|推迟至|推遲至|推迟到|延至|打算|下周|下週"
)
_CUE_AFTER_RE = re.compile(_WILL)
_CUE_STOP_RE = re.compile(
    "表示|说|說|称|稱|宣布|宣佈|指出|透露|警告|强调|強調|报道|報道|報導|报导|了|曾|已经|已經"
    "|承诺|承諾|呼吁|呼籲|重申|表态|表態|同意|誓言"
)
_DATELINE_BEFORE_RE = re.compile(
    r"(?:中央社|路透|新华社|新華社|大纪元|大紀元|法新社|美联社|美聯社|中新社|共同社)[^，。\n]{0,14}$"
)
_DATELINE_AFTER_RE = re.compile(r"[^，。\n]{0,10}?(?:电|電|讯|訊|報導|报导|报道)[）)】]|\s*[-–—]\s")
_CUE_BEFORE_REACH = 20  # characters before a mention searched for its clause's future cue
_CUE_AFTER_REACH = 16  # characters after a mention searched for 将 / 预计 …


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


_PAST_RE = re.compile("了|曾|已经|已經|已")


def told_as_past(text: str, pos: int) -> bool:
    """A past marker (了, 曾, 已经) in the rest of the clause after pos."""
    stop = _CLAUSE_END_RE.search(text, pos, pos + _CUE_AFTER_REACH * 2)
    return (
        _PAST_RE.search(text, pos, stop.start() if stop else pos + _CUE_AFTER_REACH * 2) is not None
    )


def is_dateline(text: str, mention: Mention) -> bool:
    """'路透莫斯科1月18日 -', '（中央社華盛頓21日電）', '【大纪元2022年03月09日讯】'."""
    if mention.kind not in ("date", "iso") or (mention.kind == "date" and not mention.match["day"]):
        return False
    before = _DATELINE_BEFORE_RE.search(text, max(0, mention.start - 20), mention.start)
    return before is not None and _DATELINE_AFTER_RE.match(text, mention.end) is not None
