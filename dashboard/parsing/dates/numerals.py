"""Numbers as Chinese news writes them: Arabic, full-width and Chinese numerals."""

from __future__ import annotations

import re

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


# Neighbouring digits are an approximate count (两三天, 四五年), 十几 / 十多 "more than ten".
_APPROXIMATE_PAIRS = {
    a + b: (i, i + 1)
    for i, (a, b) in enumerate(zip("一二三四五六七八", "二三四五六七八九", strict=True), 1)
}
_APPROXIMATE_PAIRS |= {"两三": (2, 3), "兩三": (2, 3)}
_MORE_THAN = "几幾多余餘"


def approximate(token: str) -> tuple[int, int] | None:
    """The counts an approximate numeral allows (四五 → 4..5, 十几 → 11..19); None otherwise."""
    if token in _APPROXIMATE_PAIRS:
        return _APPROXIMATE_PAIRS[token]
    if "、" in token:  # 4、5年前
        low, _, high = token.partition("、")
        if low.isdigit() and high.isdigit() and int(high) == int(low) + 1:
            return int(low), int(high)
    if len(token) > 1 and token[-1] in _MORE_THAN:
        base = parse_number(token[:-1])
        if base and base % 10 == 0:
            return base + 1, base + 9
    return None


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


CN = "〇零一二三四五六七八九十"
