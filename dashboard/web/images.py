"""Body images the reader's browser does not fetch until asked: placeholders, the click that
loads one, and the Content-Security-Policy ``img-src`` each mode needs.

Every image of an article body is a request to the outlet's server (or its CDN) with the reader's
address: for journalists studying state media it tells the outlet who reads what, and offline it
fails. With ``IMAGES=ask`` (the default) each image is a placeholder naming its host and alt text
with a "load image" button; the click swaps that one placeholder for the image in the browser, by
a clientside function served from ``assets/images.js`` (no server round trip, and no inline
script for a strict Content-Security-Policy to refuse). ``never`` leaves out the button;
``always`` renders the images (a private deployment).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from dash import MATCH, ClientsideFunction, Dash, Input, Output, State, html

from dashboard.config import IMAGE_MODES
from dashboard.parsing.text import safe_url
from dashboard.web.labels import t

ASK, NEVER, ALWAYS = IMAGE_MODES
# Pattern-matching ids: one callback serves every placeholder of whatever article is open.
LOAD = "image-load"  # the button; its value is the image's URL
SLOT = "image-slot"  # the placeholder, whose content the click replaces with the image
ALT = "image-alt"  # the alt text, read back by the click (an <img> keeps its alt)
PLACEHOLDER_CLASS = "image-placeholder"
# Sources an <img> may load, per mode. `never` still needs data: (Plotly's own icons) and the
# app's assets; `ask` needs any web host, since the click loads the image from where it is.
IMG_SOURCES = {
    NEVER: "'self' data:",
    ASK: "'self' data: https: http:",
    ALWAYS: "'self' data: https: http:",
}


def image_sources(images: str) -> str:
    """The Content-Security-Policy ``img-src`` value for an IMAGES mode."""
    try:
        return IMG_SOURCES[images]
    except KeyError:
        raise ValueError(f"IMAGES must be one of {', '.join(IMAGE_MODES)}") from None


def image_host(url: str | None) -> str | None:
    """The host an image would be fetched from (``www.rfa.org``), or None for no web URL."""
    safe = safe_url(url)
    return urlsplit(safe).hostname if safe else None


def first_srcset_url(srcset: str | None) -> str | None:
    """The first candidate URL of a (sanitised) srcset: what a <source> alone would show."""
    first = (srcset or "").split(",")[0].split()
    return first[0] if first else None


def placeholder(index: int, url: str | None, alt: str, images: str, lang: str) -> Any:
    """What an image is shown as in `ask` and `never` modes: its host and alt text (and in
    `ask`, a button that loads it); None when there is neither a web URL nor an alt text."""
    url = safe_url(url)  # never a path on the dashboard, whatever the HTML held
    host = image_host(url)
    if host is None and not alt:
        return None
    askable = images == ASK and url is not None
    children: list[Any] = [html.Span(t("image", lang), className="image-label")]
    if host:
        children.append(html.Span(host, className="image-host"))
    if askable:  # the alt span must exist for the click's State, empty or not
        children.append(html.Span(alt, className="image-alt", id={"type": ALT, "index": index}))
        children.append(_load_button(index, str(url), str(host), lang))
    elif alt:
        children.append(html.Span(alt, className="image-alt"))
    # Dash takes aria-* as keyword arguments its generated signatures do not type.
    props: dict[str, Any] = {"aria-label": f"{t('image', lang)}: {alt or host}"}
    if askable:  # the click moves focus here, so the slot can take it (but is no tab stop)
        props |= {"id": {"type": SLOT, "index": index}, "tabIndex": "-1"}
    return html.Span(
        children,
        className=PLACEHOLDER_CLASS,
        role="figure",
        title=t("image_withheld", lang).format(host=host) if askable else None,
        **props,
    )


def _load_button(index: int, url: str, host: str, lang: str) -> html.Button:
    label: dict[str, Any] = {"aria-label": t("load_image_from", lang).format(host=host)}
    return html.Button(
        t("load_image", lang),
        id={"type": LOAD, "index": index},
        value=url,
        type="button",
        n_clicks=0,
        className="image-load",
        **label,
    )


def register_images(app: Dash) -> None:
    """The click that replaces one placeholder with its image, run in the browser."""
    app.clientside_callback(
        ClientsideFunction(namespace="images", function_name="load"),
        Output({"type": SLOT, "index": MATCH}, "children"),
        Output({"type": SLOT, "index": MATCH}, "className"),
        Input({"type": LOAD, "index": MATCH}, "n_clicks"),
        State({"type": LOAD, "index": MATCH}, "value"),
        State({"type": ALT, "index": MATCH}, "children"),
        # A panel's buttons appear with the panel: only a click loads anything.
        prevent_initial_call=True,
    )
