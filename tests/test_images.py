"""dashboard.web.images: the CSP img-src per mode, placeholders, and the clientside "load image"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dash import Dash, html

from dashboard.config import ASSETS_DIR, IMAGE_MODES
from dashboard.web.images import image_host, image_sources, placeholder, register_images


@pytest.mark.parametrize(
    ("mode", "sources"),
    [
        ("never", "'self' data:"),
        ("ask", "'self' data: https: http:"),  # the click loads the image from its host
        ("always", "'self' data: https: http:"),
    ],
)
def test_image_sources_for_the_content_security_policy(mode: str, sources: str) -> None:
    assert image_sources(mode) == sources


def test_every_mode_has_image_sources_and_an_unknown_one_is_refused() -> None:
    assert all(image_sources(mode) for mode in IMAGE_MODES)
    with pytest.raises(ValueError, match="IMAGES must be one of"):
        image_sources("sometimes")


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.rfa.org/++plone++rfa-resources/img/icon-zoom.png", "www.rfa.org"),
        ("http://IMG.example.org:8080/a.png", "img.example.org"),
        ("/++plone++rfa-resources/img/icon-zoom.png", None),  # a path on the dashboard
        ("//cdn.example.com/a.png", None),  # protocol-relative: the sanitiser resolves these
        ("data:image/png;base64,AAAA", None),
        (None, None),
    ],
)
def test_image_host(url: str | None, host: str | None) -> None:
    assert image_host(url) == host


def test_nothing_to_load_and_nothing_to_say_is_no_placeholder() -> None:
    assert placeholder(0, None, "", "ask", "zh") is None
    assert placeholder(0, "/relative.png", "", "ask", "zh") is None


def test_register_images_uses_the_asset_function_not_an_inline_script() -> None:
    app = Dash(__name__, assets_folder=str(ASSETS_DIR))
    app.layout = html.Div(id="panel-body")  # no placeholder exists before an article opens
    register_images(app)
    [callback] = app._callback_list
    assert callback["clientside_function"] == {"namespace": "images", "function_name": "load"}
    assert callback["prevent_initial_call"] is True
    assert app._inline_scripts == []  # a strict Content-Security-Policy runs it
    # Pattern-matching ids are checked when they fire, not against the first layout.
    assert app.config.suppress_callback_exceptions is False


def test_the_asset_defines_the_function_the_callback_names() -> None:
    script = (Path(ASSETS_DIR) / "images.js").read_text(encoding="utf-8")
    assert re.search(r"dash_clientside\.images\s*=\s*\{\s*load:\s*function", script)
    assert '"dash_html_components"' in script and 'referrerPolicy: "no-referrer"' in script
