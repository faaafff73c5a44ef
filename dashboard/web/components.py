"""Sanitised article HTML → Dash components, with the event's sentence wrapped in a <mark>.

The body is rebuilt as Dash components instead of injected as raw HTML: only the tags the
sanitiser allows exist here, attributes are copied one by one, and text stays text. Images
are placeholders unless the IMAGES mode is `always` (dashboard.web.images): a body never makes the
browser fetch from an outlet's server by itself.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser
from typing import Any

from dash import html

from dashboard.parsing.text import safe_url, to_simplified
from dashboard.web.images import ALWAYS, ASK, first_srcset_url, placeholder

HIGHLIGHT_ID = "highlight"
# Dash sends the panel's components as JSON, three nested containers each; orjson (which plotly's
# encoder picks when installed) refuses more than 255, so from 85 levels the panel would fail to
# open. Elements deeper than this are left out, their children and text kept in the one above.
MAX_COMPONENT_DEPTH = 64
# Each component costs Dash ~20 µs to build and the browser a node: past this many (the largest
# real body has ~28,000) the rest of the body is shown as text in the element left open.
MAX_COMPONENTS = 50_000
BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "blockquote",
        "td",
        "th",
        "figcaption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "dd",
        "dt",
        "pre",
    }
)
VOID = frozenset({"br", "img", "hr", "wbr", "source", "col"})
# Tags that fetch an image; outside `always` mode they become placeholders, each of about this
# many components (counted against MAX_COMPONENTS like the body's own).
IMAGE_TAGS = frozenset({"img", "picture", "source"})
PLACEHOLDER_COMPONENTS = 5
TAGS: dict[str, Any] = {
    "p": html.P,
    "div": html.Div,
    "span": html.Span,
    "a": html.A,
    "img": html.Img,
    "br": html.Br,
    "hr": html.Hr,
    "b": html.B,
    "strong": html.Strong,
    "i": html.I,
    "em": html.Em,
    "u": html.U,
    "s": html.S,
    "small": html.Small,
    "sub": html.Sub,
    "sup": html.Sup,
    "mark": html.Mark,
    "code": html.Code,
    "pre": html.Pre,
    "q": html.Q,
    "cite": html.Cite,
    "blockquote": html.Blockquote,
    "ul": html.Ul,
    "ol": html.Ol,
    "li": html.Li,
    "dl": html.Dl,
    "dt": html.Dt,
    "dd": html.Dd,
    "h1": html.H1,
    "h2": html.H2,
    "h3": html.H3,
    "h4": html.H4,
    "h5": html.H5,
    "h6": html.H6,
    "figure": html.Figure,
    "figcaption": html.Figcaption,
    "table": html.Table,
    "thead": html.Thead,
    "tbody": html.Tbody,
    "tr": html.Tr,
    "td": html.Td,
    "th": html.Th,
    "caption": html.Caption,
    "article": html.Article,
    "section": html.Section,
    "header": html.Header,
    "footer": html.Footer,
    "aside": html.Aside,
    "nav": html.Nav,
    "time": html.Time,
    "abbr": html.Abbr,
    "del": html.Del,
    "ins": html.Ins,
    "picture": html.Picture,
    "center": html.Div,
    "details": html.Details,
    "summary": html.Summary,
}
ATTRIBUTES = {  # HTML attribute → Dash property, for the attributes the sanitiser keeps
    "href": "href",
    "src": "src",
    "alt": "alt",
    "title": "title",
    "target": "target",
    "rel": "rel",
    "width": "width",
    "height": "height",
    "colspan": "colSpan",
    "rowspan": "rowSpan",
    "referrerpolicy": "referrerPolicy",
    "loading": "loading",
}


@cache
def _accepted(component: Any) -> frozenset[str]:
    return frozenset(inspect.signature(component.__init__).parameters)


class _Builder(HTMLParser):
    """Components from sanitised HTML in one linear pass: an end tag finds its element by a
    count of open names (never a walk down the stack), and whether a block holds the sentence
    is read from where the sentence last occurred in the text so far (never by re-joining the
    block's text, which nested blocks made quadratic)."""

    def __init__(
        self, sentence: str | None, hits: HitMarker, images: str = ASK, lang: str = "zh"
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.sentence = sentence
        self.hits = hits
        self.images = images
        self.lang = lang
        self.image_count = 0  # the index of the next placeholder's pattern-matching ids
        # Open <picture>s: [first <source> URL, whether its <img> was placed]. One placeholder
        # stands for the whole picture, from its <img> or else its first <source>.
        self.pictures: list[list[Any]] = []
        # Placeholders met inside a link, placed after it: a button inside <a> is invalid HTML
        # and its click would also follow the link (to the outlet, the request avoided).
        self.after_link: list[Any] = []
        self.marked = False
        # (tag, props, children, where the element's text starts in the text so far)
        self.stack: list[tuple[str, dict[str, Any], list[Any], int]] = [("root", {}, [], 0)]
        # Plain dicts, not Counters: a Counter's missing key costs a Python call, per end tag.
        self.open: dict[str, int] = {}
        self.flattened: dict[str, int] = {}  # start tags past a limit, by name
        self.elements = 0
        self.length = 0  # characters of text so far
        self.tail = ""  # the last len(sentence) - 1 of them: an occurrence may span two pieces
        self.last_hit = -1  # where the latest whole occurrence of the sentence starts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.elements >= MAX_COMPONENTS or (
            tag not in VOID and len(self.stack) > MAX_COMPONENT_DEPTH
        ):
            if tag not in VOID:  # its children go to the nearest element kept
                self.flattened[tag] = self.flattened.get(tag, 0) + 1
            return
        self.elements += 1
        if tag in IMAGE_TAGS and self.images != ALWAYS:
            self._image(tag, dict(attrs))
            return
        accepted = _accepted(TAGS.get(tag, html.Span))
        props = {
            ATTRIBUTES[k]: v
            for k, v in attrs
            if k in ATTRIBUTES and v is not None and ATTRIBUTES[k] in accepted
        }
        if tag in VOID:
            if tag == "img" and safe_url(props.get("src")) is None:
                props.pop("src", None)  # an image is fetched from the web or not at all
            if tag in TAGS:
                self.stack[-1][2].append(TAGS[tag](**props))
            return
        self.stack.append((tag, props, [], self.length))
        self.open[tag] = self.open.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.flattened.get(tag):
            self.flattened[tag] -= 1
        elif tag == "picture" and self.images != ALWAYS:
            self._end_picture()
        elif self.open.get(tag):  # else a stray end tag: the sanitiser's output has none
            self._close(tag)

    def _close(self, tag: str) -> None:
        while True:
            name, props, children, start = self.stack.pop()
            self.open[name] -= 1
            if self.sentence and not self.marked and name in BLOCKS and self.last_hit >= start:
                # The sentence crosses inline tags (a link, bold): mark its whole block.
                props = {**props, "id": HIGHLIGHT_ID, "className": "highlight-block"}
                self.marked = True
            made = TAGS.get(name, html.Span)(children=children, **props)
            if name == "a" and self.after_link and not self.open["a"]:
                # A link that held only images is left out: an empty link is an invisible stop
                # for the keyboard, and its placeholders follow in its place.
                self.stack[-1][2].extend([made, *self.after_link] if children else self.after_link)
                self.after_link = []
            else:
                self.stack[-1][2].append(made)
            if name == tag:
                return

    def _image(self, tag: str, attrs: dict[str, str | None]) -> None:
        """An <img>, <picture> or <source> outside `always` mode: never an element that fetches."""
        if tag == "picture":
            self.pictures.append([None, False])
        elif tag == "source":
            if self.pictures and self.pictures[-1][0] is None:
                self.pictures[-1][0] = first_srcset_url(attrs.get("srcset"))
        else:
            url = attrs.get("src")
            if self.pictures and not self.pictures[-1][1]:
                url = url or self.pictures[-1][0]
                self.pictures[-1][1] = True
            self._place(url, attrs.get("alt") or "")

    def _end_picture(self) -> None:
        if self.pictures:
            source, placed = self.pictures.pop()
            if not placed:
                self._place(source, "")

    def _place(self, url: str | None, alt: str) -> None:
        made = placeholder(self.image_count, url, alt, self.images, self.lang)
        if made is None:
            return
        self.image_count += 1
        self.elements += PLACEHOLDER_COMPONENTS
        (self.after_link if self.open.get("a") else self.stack[-1][2]).append(made)

    def handle_data(self, data: str) -> None:
        self._track(data)
        target = self.stack[-1][2]
        if self.sentence and not self.marked and self.sentence in data:
            before, _, after = data.partition(self.sentence)
            sentence = html.Mark(self.hits.mark(self.sentence), id=HIGHLIGHT_ID)
            target.extend([*self.hits.mark(before), sentence, *self.hits.mark(after)])
            self.marked = True
        else:
            target.extend(self.hits.mark(data))

    def _track(self, data: str) -> None:
        if not self.sentence or self.marked:
            return  # only an unmarked sentence is looked for in blocks
        window = self.tail + data
        hit = window.rfind(self.sentence)
        if hit >= 0:
            self.last_hit = self.length - len(self.tail) + hit
        self.length += len(data)
        self.tail = window[1 - len(self.sentence) :] if len(self.sentence) > 1 else ""

    def result(self) -> list[Any]:
        while len(self.stack) > 1:
            self._close(self.stack[-1][0])
        return self.stack[0][2]


class HitMarker:
    """Wraps the places a search matched in <mark class="hit">, whatever the script or case:
    matching is on the folded text, which keeps one character for one."""

    def __init__(self, folded_terms: Iterable[str] = ()) -> None:
        terms = sorted({t for t in folded_terms if t}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, terms))) if terms else None

    def mark(self, text: str) -> list[Any]:
        if self.pattern is None or not text:
            return [text] if text else []
        folded = to_simplified(text).lower()
        if len(folded) != len(text):  # a rare character that folds to several: leave it be
            return [text]
        out: list[Any] = []
        last = 0
        for m in self.pattern.finditer(folded):
            out += [text[last : m.start()], html.Mark(text[m.start() : m.end()], className="hit")]
            last = m.end()
        out.append(text[last:])
        return [piece for piece in out if piece != ""]


def body_components(
    clean_html: str,
    sentence: str | None = None,
    hits: Iterable[str] = (),
    images: str = ASK,
    lang: str = "zh",
) -> tuple[list[Any], bool]:
    """(components, whether the sentence was found and marked); `hits` are folded search terms
    to mark wherever they occur; `images` is the IMAGES mode (placeholders labelled in `lang`
    unless it is `always`)."""
    builder = _Builder(sentence.strip() if sentence else None, HitMarker(hits), images, lang)
    builder.feed(clean_html)
    builder.close()
    return builder.result(), builder.marked


def text_components(paragraphs: list[str], sentence: str | None) -> list[Any]:
    """Paragraphs as <p>, with the sentence marked (for a sentence split across tags)."""
    out: list[Any] = []
    marked = False
    for para in paragraphs:
        if sentence and not marked and sentence in para:
            before, _, after = para.partition(sentence)
            out.append(html.P([before, html.Mark(sentence, id=HIGHLIGHT_ID), after]))
            marked = True
        else:
            out.append(html.P(para))
    return out
