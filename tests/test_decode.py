from __future__ import annotations

import pytest

from dashboard.parsing.decode import DecodeError, decode, looks_binary

TRADITIONAL = "俄在烏克蘭邊界集結重兵 拜登不與蒲亭實體會談，美國國務卿布林肯表示。"
SIMPLIFIED = "北约领导人联合声明：我们呼吁所有国家，不以任何方式支持俄罗斯的战争努力。"


def test_utf8_with_and_without_bom() -> None:
    assert decode(SIMPLIFIED.encode("utf-8")) == (SIMPLIFIED, "utf-8")
    assert decode(b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8")) == (SIMPLIFIED, "utf-8-sig")


def test_gb18030_and_big5_are_told_apart() -> None:
    assert decode(SIMPLIFIED.encode("gb18030")) == (SIMPLIFIED, "gb18030")
    assert decode(TRADITIONAL.encode("big5")) == (TRADITIONAL, "big5hkscs")
    assert decode(TRADITIONAL.encode("gb18030")) == (TRADITIONAL, "gb18030")


def test_undecodable_bytes_raise_a_clear_error() -> None:
    with pytest.raises(DecodeError, match="undecodable"):
        decode(b"abc\xff\x80\xff")


def test_binary_detection() -> None:
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert not looks_binary(SIMPLIFIED.encode("utf-8"))
