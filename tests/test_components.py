from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dash import html
from plotly.io.json import to_json_plotly

from dashboard.parsing.articles import Article, RawArticle
from dashboard.parsing.corpus import build_article, read_file
from dashboard.web import components
from dashboard.web.components import (
    HIGHLIGHT_ID,
    MAX_COMPONENT_DEPTH,
    body_components,
    text_components,
)


def _flatten(node):  # type: ignore[no-untyped-def]
    if isinstance(node, str):
        yield node
        return
    if isinstance(node, list):
        for child in node:
            yield from _flatten(child)
        return
    yield node
    yield from _flatten(getattr(node, "children", None) or [])


def test_sentence_is_marked_once() -> None:
    body, marked = body_components(
        "<p>前文。北约领导人24日开会。后文。北约领导人24日开会。</p>", "北约领导人24日开会。"
    )
    marks = [n for n in _flatten(body) if isinstance(n, html.Mark)]
    assert marked and len(marks) == 1 and marks[0].id == HIGHLIGHT_ID


def test_links_images_and_text_survive_as_components() -> None:
    body, _ = body_components(
        '<p><a href="https://x/" target="_blank" rel="noopener noreferrer">'
        '链接</a><img src="https://i/x.jpg" alt="图" loading="lazy"></p>',
        images="always",
    )
    nodes = list(_flatten(body))
    link = next(n for n in nodes if isinstance(n, html.A))
    assert (link.href, link.target, link.rel) == ("https://x/", "_blank", "noopener noreferrer")
    image = next(n for n in nodes if isinstance(n, html.Img))
    assert image.src == "https://i/x.jpg" and image.alt == "图"


def test_markup_in_text_stays_text() -> None:
    body, _ = body_components("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert "<script>alert(1)</script>" in [n for n in _flatten(body) if isinstance(n, str)]


def test_unbalanced_html_does_not_crash() -> None:
    body, _ = body_components("<div><p>未闭合<b>粗体</div></i>尾巴")
    texts = [n for n in _flatten(body) if isinstance(n, str)]
    assert "未闭合" in texts and "尾巴" in texts


def test_sentence_across_inline_tags_marks_its_paragraph() -> None:
    body, marked = body_components(
        "<p>前文。</p><p>北约<b>领导人</b>开会。</p>", "北约领导人开会。"
    )
    assert marked
    block = next(n for n in _flatten(body) if getattr(n, "id", None) == HIGHLIGHT_ID)
    assert isinstance(block, html.P) and block.className == "highlight-block"


def test_sentence_found_nowhere_falls_back_to_text() -> None:
    _, marked = body_components("<p>北约</p><p>领导人开会。</p>", "北约领导人开会。")
    assert not marked
    paras = text_components(["北约领导人开会。"], "北约领导人开会。")
    assert any(isinstance(n, html.Mark) for n in _flatten(paras))


def _depth(node: Any) -> int:
    children = getattr(node, "children", None)
    if isinstance(node, list) or isinstance(children, list):
        items = node if isinstance(node, list) else children
        inner = max((_depth(child) for child in items), default=0)
    else:
        inner = _depth(children) if children is not None and not isinstance(children, str) else 0
    return inner + (0 if isinstance(node, list) else 1)


def test_deep_nesting_is_flattened_for_the_panel_and_its_text_kept() -> None:
    # Dash sends components as JSON; orjson refuses more than 255 nested containers.
    body, marked = body_components(
        "<div>" * 300 + "<p>北约<b>领导人</b>开会。</p>" + "</div>" * 300, "北约领导人开会。"
    )
    assert marked
    assert _depth(body) <= MAX_COMPONENT_DEPTH + 1
    assert "".join(n for n in _flatten(body) if isinstance(n, str)) == "北约领导人开会。"
    assert to_json_plotly(html.Div(body))  # the engine Dash uses (orjson when installed)


def test_unclosed_tags_by_the_thousand_keep_every_piece_of_text() -> None:
    body, _ = body_components("<b><i>字" * 20_000)
    assert "".join(n for n in _flatten(body) if isinstance(n, str)) == "字" * 20_000


def test_past_the_component_limit_the_rest_is_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(components, "MAX_COMPONENTS", 10)
    body, marked = body_components("<p>一。</p>" * 30 + "<p>末句。</p>", "末句。")
    nodes = list(_flatten(body))
    assert len([n for n in nodes if not isinstance(n, str)]) == 11  # 10, and the <mark>
    assert marked and "".join(n for n in nodes if isinstance(n, str)) == "一。" * 30 + "末句。"


# Images: placeholders unless IMAGES=always, and never a URL on the dashboard.

IMAGES_DATA = Path(__file__).parent / "data" / "images"
ARTICLE_URL = "https://www.rfa.org/mandarin/yataibaodao/junshiwaijiao/hc-02252022104605.html"
IMG = '<p>前文<img src="https://www.rfa.org/a/photo.jpg" alt="普京出席会议">后文</p>'


def _of(body: list[Any], kind: type) -> list[Any]:
    return [n for n in _flatten(body) if isinstance(n, kind)]


def _placeholders(body: list[Any]) -> list[Any]:
    return [n for n in _of(body, html.Span) if getattr(n, "className", "") == "image-placeholder"]


def _texts(node: Any, class_name: str) -> list[str]:
    return [n.children for n in _of([node], html.Span) if getattr(n, "className", "") == class_name]


def _fetching(body: list[Any]) -> list[Any]:
    """Everything in a component tree that would make the browser fetch an image."""
    elements = [n for n in _flatten(body) if isinstance(n, html.Img | html.Picture | html.Source)]
    encoded = to_json_plotly(html.Div(body))
    return elements + [key for key in ('"src"', '"srcSet"') if key in encoded]


def _article(name: str) -> Article:
    articles, skipped = read_file(IMAGES_DATA / name, IMAGES_DATA, "Asia/Shanghai")
    assert skipped == [] and len(articles) == 1
    return articles[0]


def test_ask_shows_host_alt_and_a_load_button_and_fetches_nothing() -> None:
    body, _ = body_components(IMG, images="ask", lang="zh")
    assert _fetching(body) == []
    [placeholder] = _placeholders(body)
    assert _texts(placeholder, "image-label") == ["图片"]
    assert _texts(placeholder, "image-host") == ["www.rfa.org"]
    assert _texts(placeholder, "image-alt") == ["普京出席会议"]
    assert placeholder.id == {"type": "image-slot", "index": 0}
    [button] = _of(body, html.Button)
    assert button.children == "载入图片" and button.type == "button"
    assert button.value == "https://www.rfa.org/a/photo.jpg"
    assert button.id == {"type": "image-load", "index": 0}
    assert button.to_plotly_json()["props"]["aria-label"] == "载入图片（来自 www.rfa.org）"
    texts = [n for n in _flatten(body) if isinstance(n, str)]
    assert texts[0] == "前文" and texts[-1] == "后文"  # the text around it is kept


def test_ask_labels_follow_the_interface_language() -> None:
    body, _ = body_components(IMG, images="ask", lang="en")
    [placeholder] = _placeholders(body)
    assert _texts(placeholder, "image-label") == ["Image"]
    [button] = _of(body, html.Button)
    assert button.children == "Load image"
    assert button.to_plotly_json()["props"]["aria-label"] == "Load image from www.rfa.org"


def test_never_shows_host_and_alt_without_a_button() -> None:
    body, _ = body_components(IMG, images="never", lang="zh")
    assert _fetching(body) == [] and _of(body, html.Button) == []
    [placeholder] = _placeholders(body)
    assert _texts(placeholder, "image-host") == ["www.rfa.org"]
    assert _texts(placeholder, "image-alt") == ["普京出席会议"]


def test_always_keeps_the_image() -> None:
    body, _ = body_components(IMG, images="always")
    [image] = _of(body, html.Img)
    assert (image.src, image.alt) == ("https://www.rfa.org/a/photo.jpg", "普京出席会议")
    assert _placeholders(body) == []


@pytest.mark.parametrize("images", ["ask", "never"])
def test_pictures_sources_and_every_image_of_a_body_are_placeholders(images: str) -> None:
    article = _article("corpus/images-html.md")
    body, _ = body_components(article.html, images=images, lang="zh")
    assert _fetching(body) == []
    hosts = [_texts(p, "image-host") for p in _placeholders(body)]
    assert hosts == [
        ["www.rfa.org"], ["img.example.org"], ["static.example.net"], ["www.rfa.org"],
        ["www.rfa.org"], ["cdn.example.com"], ["media.example.com"],
        [],  # the data: URI, dropped by the sanitiser: its alt text only, nothing to load
        ["lazy.example.com"], ["www.rfa.org"],
    ]  # fmt: skip
    buttons = _of(body, html.Button)
    assert len(buttons) == (9 if images == "ask" else 0)
    assert len({str(b.id) for b in buttons}) == len(buttons)  # one id per placeholder
    assert all(b.value.startswith(("https://", "http://")) for b in buttons)


def test_a_picture_loads_its_img_and_a_lone_source_its_first_candidate() -> None:
    body, _ = body_components(
        '<picture><source srcset="https://a.example/1.webp 1x, https://a.example/2.webp 2x">'
        '<img src="https://b.example/p.jpg" alt="图"></picture>'
        '<picture><source srcset="https://c.example/1.webp 800w, https://c.example/2.webp">'
        "</picture>",
        images="ask",
    )
    assert [b.value for b in _of(body, html.Button)] == [
        "https://b.example/p.jpg",
        "https://c.example/1.webp",
    ]


def test_an_image_inside_a_link_is_placed_after_it() -> None:
    # A button inside <a> is invalid HTML, and its click would follow the link to the outlet.
    body, _ = body_components(
        '<p><a href="https://x.example/big.jpg">放大<img src="https://x.example/s.jpg"></a>'
        '<a href="https://x.example/only.jpg"><img src="https://x.example/t.jpg"></a></p>',
        images="ask",
    )
    [paragraph] = body
    link, first, second = paragraph.children  # the link that held only an image is left out
    assert isinstance(link, html.A) and link.children == ["放大"]
    assert [_texts(p, "image-host") for p in (first, second)] == [["x.example"]] * 2
    assert all(not _of([a], html.Button) for a in _of(body, html.A))


def test_the_plone_icon_of_a_real_rfa_page_resolves_against_the_article() -> None:
    # tests/data/images/rfa-plone-figure.md: a copy of the RFA sample whose zoom icon is
    # `/++plone++rfa-resources/img/icon-zoom.png`, relative to www.rfa.org, not the dashboard.
    article = _article("rfa-plone-figure.md")
    assert article.url == ARTICLE_URL
    assert "https://www.rfa.org/++plone++rfa-resources/img/icon-zoom.png" in article.images
    body, _ = body_components(article.html, images="ask")
    values = [b.value for b in _of(body, html.Button)]
    assert values[-1] == "https://www.rfa.org/++plone++rfa-resources/img/icon-zoom.png"
    assert all(v.startswith("https://www.rfa.org/") for v in values) and len(values) == 2


def test_an_image_tag_is_resolved_like_img() -> None:
    # html5ever reads <image> as <img>; the repair pass did not look at its URL, so this path
    # came out of the sanitiser as it was and the browser asked the dashboard for it.
    article = _article("rfa-plone-image-tag.md")
    assert "++plone++rfa-resources/img/icon-zoom.png" not in article.html.replace(
        "https://www.rfa.org/++plone++", ""
    )
    assert article.images[-1] == "https://www.rfa.org/++plone++rfa-resources/img/icon-zoom.png"
    body, _ = body_components(article.html, images="always")
    assert [i.src for i in _of(body, html.Img)][-1] == article.images[-1]


def test_markdown_images_resolve_against_the_article() -> None:
    article = _article("corpus/images-markdown.md")
    assert article.images == (
        "https://www.rfa.org/++plone++rfa-resources/img/summit.jpg",
        "https://www.rfa.org/mandarin/zoom-icon.png",
        "https://www.rfa.org/mandarin/yataibaodao/relative/inline.png",
    )


def test_relative_images_without_an_article_url_are_dropped() -> None:
    raw = RawArticle(body_html='<p>北约峰会。</p><img src="/++plone++x.png" alt="图">')
    article = build_article(raw, "2022-03-24/a.md", "generic", "utf-8", "Asia/Shanghai")
    assert article.url is None and article.images == ()
    body, _ = body_components(article.html, images="ask")
    [placeholder] = _placeholders(body)
    assert _texts(placeholder, "image-host") == [] and _of(body, html.Button) == []
    assert _texts(placeholder, "image-alt") == ["图"]


@pytest.mark.parametrize("images", ["ask", "never", "always"])
def test_a_path_on_the_dashboard_never_reaches_the_browser(images: str) -> None:
    # Should an unresolved path ever slip past the sanitiser, the components still drop it.
    body, _ = body_components(
        '<img src="/++plone++rfa-resources/img/icon-zoom.png"><img src="//h.example/x.png">'
        '<picture><source srcset="/a.webp"></picture>',
        images=images,
    )
    encoded = to_json_plotly(html.Div(body))
    assert "++plone++" not in encoded and "h.example" not in encoded and "a.webp" not in encoded
    assert _of(body, html.Button) == []
