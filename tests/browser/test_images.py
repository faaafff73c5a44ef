"""Article images in a real browser: opening an article fetches none of them, from the outlets or
from the dashboard; a click on "load image" fetches that one image and nothing else."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import screenshot, start_server

CORPUS = Path(__file__).parents[1] / "data" / "images" / "corpus"
LOCAL_HOSTS = ("127.0.0.1", "localhost")
# The placeholders of images-html.md, in body order: every image names its host, except the
# data: URI (the sanitiser drops it), shown by its alt text alone.
HTML_HOSTS = [
    "www.rfa.org",  # absolute https
    "img.example.org",  # absolute http
    "static.example.net",  # protocol-relative
    "www.rfa.org",  # /++plone++rfa-resources/… inside a link, resolved against the article
    "www.rfa.org",  # photo.jpg, relative to the article's folder
    "cdn.example.com",  # <picture>: its <img>, not its relative <source>
    "media.example.com",  # a <picture> with only a <source>
    "lazy.example.com",  # data-src
    "www.rfa.org",  # <image src="/++plone++…">
]
HTTP_IMAGE = "http://img.example.org/plain-http.png"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("images-corpus")
    for article in CORPUS.glob("*.md"):
        shutil.copy(article, folder / article.name)
    return folder


@pytest.fixture(scope="module")
def ask_server(corpus: Path) -> Iterator[str]:
    process, base = start_server({"CORPUS_DIR": str(corpus)})  # IMAGES unset: ask
    yield base
    process.terminate()
    process.wait(timeout=10)


def record_local(page) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every request the page makes to the dashboard itself, as (resource type, URL)."""
    local: list[tuple[str, str]] = []
    page.on(
        "request",
        lambda r: (
            local.append((r.resource_type, r.url))
            if urlsplit(r.url).hostname in LOCAL_HOSTS
            else None
        ),
    )
    return local


def open_article(page, base: str, article: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}?{article}")
    page.wait_for_selector("#panel-title")
    page.wait_for_selector("#panel-body .image-placeholder")
    page.wait_for_load_state("networkidle")


def no_image_from_the_dashboard(local: list[tuple[str, str]]) -> None:
    # Only the app's own assets may be images; an article's relative path must never get here
    # (the dashboard would answer it with its index page).
    asked = [
        url
        for kind, url in local
        if (kind == "image" and not urlsplit(url).path.startswith("/assets/"))
        or "++plone++" in url
        or urlsplit(url).path.lower().endswith(IMAGE_SUFFIXES)
    ]
    assert asked == []


def test_opening_an_article_fetches_no_image_and_names_their_hosts(page, ask_server) -> None:  # type: ignore[no-untyped-def]
    local = record_local(page)
    open_article(page, ask_server, "article=images-html")
    placeholders = page.locator("#panel-body .image-placeholder")
    assert placeholders.count() == len(HTML_HOSTS) + 1
    assert page.locator("#panel-body .image-host").all_inner_texts() == HTML_HOSTS
    assert "内嵌数据图片" in placeholders.nth(7).inner_text()  # the data: URI, by its alt
    assert "图片" in placeholders.first.inner_text()
    assert "绝对地址的图片" in placeholders.first.inner_text()
    buttons = page.locator("#panel-body button.image-load")
    assert buttons.all_inner_texts() == ["载入图片"] * len(HTML_HOSTS)
    labels = [buttons.nth(i).get_attribute("aria-label") for i in range(buttons.count())]
    assert labels == [f"载入图片（来自 {host}）" for host in HTML_HOSTS]
    assert page.locator("#panel-body img, #panel-body source, #panel-body picture").count() == 0
    assert page.console.external == []
    no_image_from_the_dashboard(local)
    screenshot(page, "image-placeholders")
    assert page.console.errors == []


def test_load_image_fetches_that_one_image_and_shows_it(page, ask_server) -> None:  # type: ignore[no-untyped-def]
    local = record_local(page)
    open_article(page, ask_server, "article=images-html")
    page.get_by_role("button", name="载入图片（来自 img.example.org）").click()
    image = page.locator(f"#panel-body img[src='{HTTP_IMAGE}']")
    image.wait_for(state="visible")
    page.wait_for_function(
        "src => [...document.querySelectorAll('#panel-body img')]"
        ".some(i => i.src === src && i.complete && i.naturalWidth > 0)",
        arg=HTTP_IMAGE,
    )
    assert page.console.external == [("image", HTTP_IMAGE)]  # answered by the pixel route
    assert image.get_attribute("alt") == "HTTP 图片"
    assert image.get_attribute("referrerpolicy") == "no-referrer"
    assert image.get_attribute("loading") == "lazy"
    assert page.locator("#panel-body img").count() == 1
    assert page.locator("#panel-body button.image-load").count() == len(HTML_HOSTS) - 1
    # Focus stays where the reader was: on the image that replaced the button.
    assert page.evaluate(
        "document.activeElement.contains(document.querySelector('#panel-body img'))"
    )
    no_image_from_the_dashboard(local)
    assert page.console.errors == []


def test_markdown_bodies_resolve_images_against_the_article_in_english(page, ask_server) -> None:  # type: ignore[no-untyped-def]
    local = record_local(page)
    open_article(page, ask_server, "article=images-markdown&lang=en")
    assert page.locator("#panel-body .image-host").all_inner_texts() == ["www.rfa.org"] * 3
    assert page.locator("#panel-body .image-label").first.inner_text() == "Image"
    button = page.locator("#panel-body button.image-load").first
    assert (button.inner_text(), button.get_attribute("aria-label")) == (
        "Load image",
        "Load image from www.rfa.org",
    )
    assert page.console.external == []
    no_image_from_the_dashboard(local)
    assert page.console.errors == []


def test_images_never_shows_placeholders_without_buttons(page, corpus) -> None:  # type: ignore[no-untyped-def]
    process, base = start_server({"CORPUS_DIR": str(corpus), "IMAGES": "never"})
    try:
        local = record_local(page)
        open_article(page, base, "article=images-html")
        assert page.locator("#panel-body .image-host").all_inner_texts() == HTML_HOSTS
        assert page.locator("#panel-body button").count() == 0
        assert page.locator("#panel-body img").count() == 0
        assert page.console.external == []
        no_image_from_the_dashboard(local)
        assert page.console.errors == []
    finally:
        process.terminate()
        process.wait(timeout=10)
