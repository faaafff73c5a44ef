from __future__ import annotations

from typing import Any

import pytest
from dash import html
from plotly.io.json import to_json_plotly

from dashboard import components
from dashboard.components import (
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
