"""Article bodies that once lost text, ran away with the time, or kept a dangerous URL.

Each regression below is an input fuzzing real files found; the property tests at the end throw
tag soup at ``clean_body`` and ``body_components``. No test times anything: the inputs are the
expensive ones, and the assertions are about what comes out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.parsing import html_repair, text
from dashboard.web.components import body_components

BASE = "https://www.rfa.org/mandarin/yataibaodao/story.html"
SCRIPT_SCHEME = re.compile(r"(?:javascript|vbscript|data):", re.IGNORECASE)
URL_ATTRIBUTES = ("href", "src")


class _Read(HTMLParser):
    """The tags, attributes, text and deepest nesting of sanitised HTML."""

    VOID = frozenset({"br", "img", "hr", "wbr", "source", "col"})

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.depth = self.deepest = 0
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, k, v or "") for k, v in attrs]
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _text(clean: str) -> str:
    return "".join(_Read(clean).text)


def _urls(clean: str) -> list[str]:
    out = []
    for _tag, name, value in _Read(clean).attributes:
        if name in URL_ATTRIBUTES:
            out.append(value)
        elif name == "srcset":
            out += [c.split()[0] for c in value.split(", ") if c.strip()]
    return out


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    trimmed = url.strip("".join(map(chr, range(0x21))))  # what a browser trims off a URL
    return parts.scheme in ("http", "https") and bool(parts.hostname) and url == trimmed


# --- Text that used to vanish -------------------------------------------------------------------


def test_text_inside_a_form_is_kept_without_its_controls() -> None:
    clean, notes = text.clean_body(
        '<form action="/comment"><fieldset><legend>评论</legend><label>姓名</label>'
        '<input name="q" value="不是正文"><p>表单里的正文。</p><button>提交</button>'
        "<select><option>选项</option></select></fieldset></form><p>后文。</p>"
    )
    assert "表单里的正文。" in clean and "后文。" in clean and "评论" in clean and "姓名" in clean
    for gone in ("<form", "<input", "不是正文", "提交", "选项", "<select", "<button"):
        assert gone not in clean
    assert notes == []


@pytest.mark.parametrize("name", sorted(html_repair.RAW_TEXT))
def test_an_unclosed_raw_text_element_no_longer_hides_what_follows(name: str) -> None:
    clean, notes = text.clean_body(
        f"<p>前文。<{name.upper()} class='x' id=y>中间<p>后文一。</p><p>后文二。"
    )
    assert "后文一。" in clean and "后文二。" in clean and "前文。" in clean
    assert notes == [f"unclosed <{name}> ignored so the text after it is kept"]
    assert "<p>后文一。</p>" in clean  # what follows is read as HTML again, not as raw text


@pytest.mark.parametrize(
    "element",
    [
        "<style>body{display:none}</style >",
        "<STYLE type=text/css>p{}</Style>",
        "<script>var a = '<p>不是正文</p>';</script>",
        "<script src=x.js></SCRIPT\t>",
        "<title>网页标题</title>",
        "<noscript>请开启JavaScript</noscript>",
        "<iframe src='https://evil.example/'>框架</iframe>",
        "<noembed>嵌入</noembed>",
        "<noframes>框架</noframes>",
    ],
)
def test_a_closed_raw_text_element_is_still_dropped_with_its_content(element: str) -> None:
    clean, notes = text.clean_body(f"<p>前文。</p>{element}<p>后文。</p>")
    assert clean == "<p>前文。</p><p>后文。</p>"
    assert notes == []


def test_a_textarea_shows_its_text_as_text_in_its_own_paragraph() -> None:
    clean, notes = text.clean_body(
        "<p>前文<textarea rows=3>框里的<b>字</b>&amp;</textarea>后文</p>"
    )
    assert text.paragraphs(clean) == ["前文", "框里的<b>字</b>&", "后文"]
    assert "<textarea" not in clean and "<b>" not in clean and notes == []


def test_xmp_shows_its_markup_as_text() -> None:
    assert _text(text.clean_body("<xmp><b>代码</b></xmp>")[0]) == "<b>代码</b>"


def test_a_repair_is_only_made_where_the_end_tag_never_comes() -> None:
    # The second <style> has no end tag; the first does, and is dropped with its content.
    clean, notes = text.clean_body("<style>a{}</style><p>一。</p><style><p>二。</p>")
    assert clean == "<p>一。</p><p>二。</p>"
    assert notes == ["unclosed <style> ignored so the text after it is kept"]


def test_comments_and_doctypes_do_not_count_as_tags() -> None:
    clean, notes = text.clean_body(
        "<!DOCTYPE html><!-- <style> in a comment --><p>正文<!-- </p> -->。<!-->字</p><?php x ?>"
    )
    assert clean == "<p>正文。字</p>" and notes == []


def test_lazy_images_keep_their_picture() -> None:
    clean, _ = text.clean_body(
        '<img alt="a>b" data-lazy-src="/l.jpg">'
        '<img data-src="https://a.example/z.jpg" src="s.gif">',
        BASE,
    )
    assert text.images(clean) == [
        "https://www.rfa.org/l.jpg",
        "https://www.rfa.org/mandarin/yataibaodao/s.gif",
    ]


# --- Bounded work ---------------------------------------------------------------------------------


def test_deep_nesting_is_flattened_and_its_text_kept() -> None:
    clean, notes = text.clean_body(
        "<div>" * 35_000 + "深处的字。" + "</div>" * 35_000 + "<p>后文。</p>"
    )
    read = _Read(clean)
    assert "深处的字。" in read.text and "后文。" in read.text
    assert read.deepest <= html_repair.MAX_DEPTH
    cut = html_repair.MAX_DEPTH
    assert notes == [
        f"nesting deeper than {cut} levels flattened (34,744 tags removed, their text kept)"
    ]


def test_unclosed_inline_tags_are_flattened_and_every_piece_of_text_kept() -> None:
    clean, notes = text.clean_body("<b><i>字" * 20_000)
    read = _Read(clean)
    assert "".join(read.text) == "字" * 20_000
    assert read.deepest <= html_repair.MAX_DEPTH
    assert len(notes) == 1 and notes[0].startswith(
        f"nesting deeper than {html_repair.MAX_DEPTH} levels"
    )


def test_formatting_left_open_is_not_re_opened_in_every_paragraph_without_bound() -> None:
    # html5ever re-opens each open <b> (three alike at most) in every new paragraph: 3,000
    # distinct ones turned 60 kB into 117 MB.
    body = "<p>" + "".join(f'<b title="{i}">' for i in range(3_000)) + "</p>" + "<p>字</p>" * 2_000
    clean, notes = text.clean_body(body)
    assert _text(clean).count("字") == 2_000
    assert len(clean) < 20 * len(body)
    assert notes == [
        f"more than {html_repair.MAX_OPEN_FORMATTING} formatting tags open at once "
        "(2,988 more removed, their text kept)"
    ]


def test_a_paragraph_soup_keeps_its_paragraphs() -> None:
    clean, notes = text.clean_body("<p>段落<b>粗" * 20_000)
    assert notes == [] and len(text.paragraphs(clean)) == 20_000


def test_table_rows_without_end_tags_stay_rows() -> None:
    clean, notes = text.clean_body("<table>" + "<tr><td>甲<td>乙" * 2_000 + "</table>")
    assert notes == [] and clean.count("<tr>") == 2_000 and clean.count("<td>") == 4_000


def test_a_huge_body_is_truncated_at_a_tag_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_repair, "MAX_BODY_CHARS", 1_000)
    body = "<p>一段正文。</p>" * 200
    clean, notes = text.clean_body(body)
    assert clean == "<p>一段正文。</p>" * (1_000 // len("<p>一段正文。</p>"))
    assert notes == [
        "body of 2,400 characters truncated to its first 996, at a tag (the limit is 1,000)"
    ]


def test_a_body_over_the_real_limit_is_truncated_and_told() -> None:
    paragraph = "<p>" + "长" * 1_000 + "</p>"
    body = paragraph * (html_repair.MAX_BODY_CHARS // len(paragraph) + 10)
    clean, notes = text.clean_body(body)
    assert len(clean) <= html_repair.MAX_BODY_CHARS and clean.endswith("</p>")
    assert len(notes) == 1 and notes[0].startswith(f"body of {len(body):,} characters truncated")


def test_a_body_with_too_many_tags_is_cut_before_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_repair, "MAX_TAGS", 100)
    clean, notes = text.clean_body("<p>字</p>" * 80)
    assert clean == "<p>字</p>" * 50
    assert notes == [
        "more than 100 tags: the body is cut before the next one (its last 240 characters dropped)"
    ]


def test_the_size_limit_keeps_real_bodies_whole() -> None:
    assert html_repair.MAX_BODY_CHARS >= 5 * 1024 * 1024
    body = "<p>" + "长" * 400_000 + "</p>"
    assert text.clean_body(body) == (body, [])


def test_well_formed_html_goes_through_the_repair_pass_unchanged() -> None:
    body = (
        '<div class="a"><p>北约<a href="https://x.example/">峰会</a>。</p><ul><li>甲</li></ul>'
        "<table><tbody><tr><td>1</td></tr></tbody></table><script>x()</script><br/></div>"
    )
    for model in (html_repair.Estimate(), html_repair.Tree()):
        assert html_repair.Repairer(body, model).run() == (body, [])


# --- URLs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "mailto:editor@example.com",
        "javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
        "   javascript:alert(1)",
        "\x01\x02javascript:alert(1)",
        "ftp://files.example/x",
        "https:\\\\",
        "http://[::1",
        "http://example.com:99999999999/",
    ],
)
def test_only_web_urls_survive_in_href_src_and_srcset(url: str) -> None:
    body = f'<a href="{url}">链接</a><img src="{url}"><picture><source srcset="{url} 1x"></picture>'
    for base in (None, BASE):
        clean, _ = text.clean_body(body, base)
        assert "链接" in clean
        for value in _urls(clean):
            assert _is_web_url(value), value
        for _tag, _name, value in _Read(clean).attributes:
            assert not SCRIPT_SCHEME.search(value)


@pytest.mark.parametrize(
    ("relative", "resolved"),
    [
        ("/++plone++rfa-resources/img.png", "https://www.rfa.org/++plone++rfa-resources/img.png"),
        ("../a.jpg", "https://www.rfa.org/mandarin/a.jpg"),
        ("//cdn.example.com/x.png", "https://cdn.example.com/x.png"),
        ("photo.jpg?w=1&h=2", "https://www.rfa.org/mandarin/yataibaodao/photo.jpg?w=1&h=2"),
    ],
)
def test_relative_urls_resolve_against_the_article_and_go_without_it(
    relative: str, resolved: str
) -> None:
    body = f'<a href="{relative}">链接</a><img src="{relative}">'
    with_base, _ = text.clean_body(body, BASE)
    assert _urls(with_base) == [resolved, resolved]
    without, _ = text.clean_body(body)
    assert _urls(without) == [] and "链接" in without
    not_web, _ = text.clean_body(body, "file:///home/x.html")
    assert _urls(not_web) == []


def test_srcset_candidates_are_judged_and_resolved_one_by_one() -> None:
    clean, _ = text.clean_body(
        '<picture><source srcset="javascript:x 1x, /a.png 2x, https://ok.example/b,c.png 300w, '
        'data:image/png;base64,AA 1x, https://ok.example/d.png javascript:y, c.png, ,">'
        '<source srcset="javascript:only 1x"></picture>',
        BASE,
    )
    sources = [v for tag, name, v in _Read(clean).attributes if name == "srcset"]
    assert sources == [
        "https://www.rfa.org/a.png 2x, https://ok.example/b,c.png 300w, "
        "https://www.rfa.org/mandarin/yataibaodao/c.png"
    ]


def test_no_attribute_carries_a_script_scheme_even_as_text() -> None:
    clean, _ = text.clean_body(
        '<img src="https://a.example/x.png" alt="javascript:alert(1)" title="metadata: ok">'
    )
    assert 'alt="' not in clean and 'title="metadata: ok"' in clean


def test_a_script_scheme_in_text_stays_text() -> None:
    clean, _ = text.clean_body('<p>他说 javascript:alert(1) 和 href="/x" 都是字。</p>')
    assert _text(clean) == '他说 javascript:alert(1) 和 href="/x" 都是字。'


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://www.rfa.org/a", None, "https://www.rfa.org/a"),
        ("  HTTPS://www.rfa.org/a\n", None, "HTTPS://www.rfa.org/a"),
        ("ht\ttp://x.example/a", None, "http://x.example/a"),
        ("https:\\\\evil.example\\a?q=\\", None, "https://evil.example/a?q=\\"),
        ("/a", BASE, "https://www.rfa.org/a"),
        ("?page=2", BASE, "https://www.rfa.org/mandarin/yataibaodao/story.html?page=2"),
        ("#top", BASE, "https://www.rfa.org/mandarin/yataibaodao/story.html#top"),
        ("/a", None, None),
        ("/a", "/relative/base", None),
        ("/a", "javascript:alert(1)", None),
        ("/a", "http://[::1", None),
        ("javascript:alert(1)", BASE, None),
        ("http://[::1", None, None),
        ("http://[::1]:80/", None, "http://[::1]:80/"),
        ("http://x.example:65536/", None, None),
        ("http://x.example:" + "9" * 400 + "/", None, None),
        ("http://x.example:port/", None, None),
        ("http:///path", None, None),
        ("http://", None, None),
        ("", BASE, None),
        ("   ", BASE, None),
        (None, BASE, None),
    ],
)
def test_safe_url(url: str | None, base: str | None, expected: str | None) -> None:
    assert text.safe_url(url, base) == expected


def test_safe_url_takes_anything_without_raising() -> None:
    for junk in (12, b"http://x.example/", ["http://x.example/"], object(), float("nan")):
        assert text.safe_url(junk) is None  # type: ignore[arg-type]
        assert text.safe_url("/a", junk) is None  # type: ignore[arg-type]


# --- Properties -----------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "<",
        "</",
        ">",
        "/>",
        " ",
        "=",
        '"',
        "'",
        "&",
        "&#106;",
        "&#x3A;",
        "&amp;",
        "&lt;",
        ";",
        "p",
        "div",
        "b",
        "i",
        "a",
        "img",
        "source",
        "picture",
        "table",
        "tr",
        "td",
        "li",
        "form",
        "style",
        "script",
        "noscript",
        "title",
        "textarea",
        "plaintext",
        "xmp",
        "iframe",
        "svg",
        "select",
        "option",
        "font",
        "<!--",
        "-->",
        "<!",
        "<?",
        "href",
        "src",
        "srcset",
        "alt",
        "title",
        "data-src",
        "javascript:",
        "JaVa\tScRiPt:",
        "vbscript:",
        "data:",
        "mailto:x",
        "http://",
        "https://x.example/",
        "//cdn.example/",
        "/rel",
        "../up",
        "1x",
        "300w",
        ",",
        "\t",
        "\n",
        "\x00",
        "\x01",
        "正文",
        "。",
        "x",
    ]
)
SOUP = st.lists(FRAGMENTS, max_size=120).map("".join) | st.text(max_size=200)
TAGS = st.sampled_from(
    [
        "p",
        "div",
        "b",
        "i",
        "a",
        "li",
        "ul",
        "table",
        "tr",
        "td",
        "font",
        "span",
        "form",
        "select",
        "h1",
        "dd",
        "button",
        "nobr",
        "em",
        "caption",
        "object",
    ]
)
DEEP_SOUP = st.lists(
    st.tuples(st.sampled_from(["<", "</"]), TAGS, st.sampled_from(["", ' title="t"', " class=c"])),
    max_size=1_500,
).map(lambda parts: "x".join(f"{o}{t}{a if o == '<' else ''}>" for o, t, a in parts))


@settings(max_examples=300, deadline=None)
@given(SOUP, st.sampled_from([None, BASE, "javascript:x", "/rel"]))
def test_clean_body_never_raises_and_keeps_only_web_urls(body: str, base: str | None) -> None:
    clean, notes = text.clean_body(body, base)
    assert all(isinstance(n, str) and n for n in notes)
    for _tag, name, value in _Read(clean).attributes:
        assert not SCRIPT_SCHEME.search(value), (name, value)
    for url in _urls(clean):
        assert _is_web_url(url), url
    body_components(clean, "正文。", ["正文"])


@settings(max_examples=60, deadline=None)
@given(DEEP_SOUP)
def test_the_estimate_never_passes_a_body_the_exact_model_would_cut(body: str) -> None:
    try:
        html_repair.Repairer(body, html_repair.Estimate()).run()
    except html_repair.MayCut:
        return
    assert html_repair.Repairer(body, html_repair.Tree()).run() == (body, [])


@settings(max_examples=60, deadline=None)
@given(DEEP_SOUP.map(lambda s: s * 8))
def test_whatever_the_soup_the_sanitised_tree_stays_within_the_depth_limit(body: str) -> None:
    clean, _ = text.clean_body(body)
    assert _Read(clean).deepest <= html_repair.MAX_DEPTH + html_repair.MAX_OPEN_FORMATTING + 3
    body_components(clean)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | SOUP, st.one_of(st.none(), st.text(max_size=40), st.just(BASE)))
def test_safe_url_is_none_or_an_absolute_web_url(url: str, base: str | None) -> None:
    safe = text.safe_url(url, base)
    assert safe is None or (_is_web_url(safe) and text.safe_url(safe) == safe)
