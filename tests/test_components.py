from __future__ import annotations

from dash import html

from dashboard.components import HIGHLIGHT_ID, body_components, text_components


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
        '链接</a><img src="https://i/x.jpg" alt="图" loading="lazy"></p>'
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
