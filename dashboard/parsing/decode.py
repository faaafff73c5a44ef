"""Bytes → text: UTF-8 (with or without BOM), then the legacy Chinese encodings GB18030 and Big5."""

from __future__ import annotations

import codecs

# Common characters of Chinese news text in both scripts: a wrong guess between GB18030 and Big5
# decodes to rare characters, a right one to these.
COMMON = frozenset(
    "的一是在不了有和人这這中大为為上个個国國我以要他时時来來用们們生到作地于於出就分对對成会會可"
    "主发發年动動同工也能下过過子说說产產种種面而方后後多定行学學法所民得经經十三之进進着等部度家"
    "电電力里裡如水化高自二理起小物现現实實加量都两兩体體制机機当當使点點从從业業本去把性好应應开開"
    "它合还還因由其些然前外天政四日那社义義事平形相全表间間样樣与與关關各重新线線内內数數正心反你明"
    "看原又么麼利比或但质質气氣第向道命此变變条條只没沒结結解问問意建月公无無系軍军很情者最立代想已"
    "通并提直题題党黨程展五果料象员員革位入常文总總次品式活设設及管特件长長求老头頭基资資边邊流路级"
    "級少图圖山统統接知较較将將组組见見计計别別她手角期根论論运運农農指几幾九区區强強放决決西被干做"
    "必战戰先回则則任取据據处處府研美俄乌烏克兰蘭北约約总統普京拜登乌斯罗羅报報道称稱表示说說"
)
UNDECODABLE = "not UTF-8, GB18030 or Big5 text (undecodable bytes)"


class DecodeError(ValueError):
    """Bytes that are not text in any encoding the archives use."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) or DecodeError."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guesses = []
    for encoding in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        guesses.append((_score(text), encoding, text))
    if not guesses:
        raise DecodeError(UNDECODABLE)
    _, encoding, text = max(guesses)
    return text, encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"declared {encoding} by its byte-order mark but not valid") from exc


def _score(text: str) -> float:
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return 0.0
    return sum(ch in COMMON for ch in han) / len(han)


def looks_binary(data: bytes) -> bool:
    """NUL bytes in the first block mean an image, archive or other binary file."""
    head = data[:4096]
    return b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
