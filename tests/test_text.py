from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.parsing import text
from dashboard.parsing.search import fold

HOSTILE = (
    '<div onclick="steal()" style="position:fixed"><script>alert(1)</script>'
    "<style>body{display:none}</style><iframe src='https://evil.example/'>frame</iframe>"
    '<p onmouseover="x()">正文<a href="javascript:alert(2)">坏链接</a>'
    '<a href="https://www.rfi.fr/cn/">好链接</a><img src="https://a.example/p.jpg" onerror="x()">'
    '<img data-src="https://a.example/lazy.jpg" class="lazyload"></p>'
    '<object data="x.swf"></object><form action="/x"><input name="q"></form></div>'
)


def test_sanitise_removes_scripts_styles_frames_handlers_and_javascript_urls() -> None:
    clean = text.sanitise(HOSTILE)
    lowered = clean.lower()
    for banned in (
        "<script",
        "alert(1)",
        "<style",
        "display:none",
        "<iframe",
        "evil.example",
        "onclick",
        "onmouseover",
        "onerror",
        "javascript:",
        "<object",
        "<form",
        "<input",
        "style=",
    ):
        assert banned not in lowered


def test_sanitise_keeps_images_links_and_text() -> None:
    clean = text.sanitise(HOSTILE)
    assert 'href="https://www.rfi.fr/cn/"' in clean
    assert 'rel="noopener noreferrer"' in clean
    assert 'src="https://a.example/p.jpg"' in clean
    assert 'src="https://a.example/lazy.jpg"' in clean  # lazy-loaded images keep their picture
    assert "正文" in clean and "好链接" in clean


def test_paragraphs_follow_block_tags_and_fold_whitespace() -> None:
    html = "<div>一段\n  文字</div><p>第二段&amp;<b>粗</b></p><ul><li>甲</li><li>乙</li></ul><br>"
    assert text.paragraphs(text.sanitise(html)) == ["一段 文字", "第二段&粗", "甲", "乙"]


def test_sentences_split_on_chinese_punctuation_with_closing_quotes() -> None:
    para = "他说：“我们团结一致。”北约30国领导人发表声明！会议何时结束？尚不清楚"
    assert text.split_sentences(para) == [
        "他说：“我们团结一致。”",
        "北约30国领导人发表声明！",
        "会议何时结束？",
        "尚不清楚",
    ]


def test_sentences_split_english_on_full_stops() -> None:
    assert text.split_sentences("NATO met on Thursday. Leaders spoke.") == [
        "NATO met on Thursday.",
        "Leaders spoke.",
    ]


def test_furniture_is_dropped_from_text() -> None:
    paras = [
        "2021-12-06T07:17:43Z",
        "24/03/2022 - 20:59",
        "Array",
        "正文。",
        "获取更多RSS：",
        "https://feedx.net",
        "免责声明：本文内容仅代表作者个人观点，平台不承担任何法律风险。",
    ]
    assert text.without_furniture(paras) == ["正文。"]


def test_script_and_language() -> None:
    assert text.script("俄在烏克蘭邊界集結重兵 拜登不與蒲亭實體會談") == "traditional"
    assert text.script("俄罗斯在乌克兰边境集结重兵") == "simplified"
    assert text.script("NATO summit") is None
    assert text.language("北约峰会敦促俄罗斯撤军") == "zh"
    assert text.language("Is bitcoin winning over the establishment? It has tripled") == "en"


def test_escape_text_keeps_markup_as_text() -> None:
    html = text.escape_text("<b>不是标签</b>\n\n第二段")
    assert html == "<p>&lt;b&gt;不是标签&lt;/b&gt;</p><p>第二段</p>"


# The faster patterns give what the plain ones gave (the plain ones kept here as the reference).
SENTENCE_CHARS = st.sampled_from(list("ab 。！？!?….\n\t”’」』）)]】\"'\u3000\u2028x"))
LANGUAGE_CHARS = st.sampled_from(list("中文漢字あア ab\u3400\u9fff\uf900\ufaff\u3040\u30ff1"))
LAZY_SENTENCE = re.compile(
    r"[^。！？!?…]*?(?:[。！？!?]+|…{1,2}|\.(?=\s|$))[”’」』）)\]】\"']*|[^。！？!?…]+$"
)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
KANA = re.compile(r"[\u3040-\u30ff]")


@settings(max_examples=500)
@given(st.lists(SENTENCE_CHARS, max_size=40).map("".join))
def test_sentence_pattern_splits_as_the_lazy_one(paragraph: str) -> None:
    spans = [m.span() for m in text.SENTENCE.finditer(paragraph)]
    assert spans == [m.span() for m in LAZY_SENTENCE.finditer(paragraph)]


def test_sentence_pattern_stays_linear_on_dots() -> None:
    assert len(text.SENTENCE.findall("a." * 50_000)) == 1


@given(st.lists(LANGUAGE_CHARS, max_size=60).map("".join))
def test_language_counts_characters_as_one_match_each_did(sample: str) -> None:
    codes = text._code_points(sample)
    assert text._within(codes, text.HAN_RANGES) == len(HAN.findall(sample))
    assert text._within(codes, text.KANA_RANGES) == len(KANA.findall(sample))


def test_simplified_folding_of_long_texts_matches_the_character_table() -> None:
    # Long texts fold through a code point array, short ones through str.translate: the same.
    table = text._traditional_table()
    sample = "烏克蘭總統澤連斯基說，北約峰會將於布魯塞爾舉行。" * 10 + "𠀋\ud800é Ｎａｔｏ"
    for piece in (sample, sample[:10], sample[: text.LOOKUP_FROM], sample[: text.LOOKUP_FROM - 1]):
        assert text.to_simplified(piece) == piece.translate(table)
    assert text.to_simplified(sample).startswith("乌克兰总统泽连斯基说，北约峰会将于布鲁塞尔举行。")


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_simplified_folding_is_one_for_one_at_every_length(piece: str) -> None:
    folded = text.to_simplified(piece)
    assert len(folded) == len(piece)
    assert folded == piece.translate(text._traditional_table())


def test_script_is_told_by_distinct_characters_of_one_script() -> None:
    assert text.script("乌克兰总统说") == "simplified"
    assert text.script("烏克蘭總統說") == "traditional"
    assert text.script("NATO summit") is None
    # Distinct characters count, not repeats: one simplified character said ten times loses
    # to two traditional ones.
    assert text.script("说" * 10 + "烏蘭") == "traditional"
    assert text.script("\ud800 说") == "simplified"


def _nfkc_fold(piece: str) -> str:
    """Search folding as defined: NFKC, case folding, simplified characters."""
    return text.to_simplified(unicodedata.normalize("NFKC", piece).casefold())


def test_compatibility_forms_put_in_ahead_leave_the_folding_as_nfkc_gives_it() -> None:
    piece = "北约秘书长说：“我们（ＮＡＴＯ）不会派兵。”　Ｅｒｄｏğａｎ……℃ Å ﬁ ① Ａ\u0301 ｶﾞ" * 5
    assert len(piece) >= text.LOOKUP_FROM >= text.COMPATIBLE_FROM
    assert unicodedata.normalize("NFKC", text.compatible_forms(piece)) == unicodedata.normalize(
        "NFKC", piece
    )
    assert fold(piece) == _nfkc_fold(piece)
    # Full-width punctuation alone no longer needs NFKC afterwards.
    assert unicodedata.is_normalized("NFKC", text.compatible_forms("北约说：（我们）。" * 10))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=300))
def test_search_folding_matches_nfkc_at_every_length(piece: str) -> None:
    assert fold(piece) == _nfkc_fold(piece)
