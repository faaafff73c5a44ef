"""Article bodies: HTML → sanitised HTML, plain text with paragraphs, sentences, images, script.

The sanitised HTML is the only HTML the dashboard ever renders; plain text is derived from it, so
what a reader searches is exactly what they can see. Before nh3 reads a body, one linear pass
(``_Repairer``) bounds the work the body can cause (its size, how deep its tags nest, how many
formatting tags stay open) and keeps text html5ever would hide (after a <style> or <noscript>
that never ends); every cut or repair it makes comes back as a note. Only absolute http(s) URLs
survive, resolved against the article's own URL.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import nh3


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Tags whose content is never text a reader sees (the sanitiser drops them with their content).
# A form's own text (labels, fieldsets, the article a CMS wrapped in a form) is kept; its buttons
# and menus are controls, not prose, and a textarea's text is kept as text (it is what it shows).
DROPPED_WITH_CONTENT = _names(
    "script style iframe noscript noembed noframes object embed template svg math "
    "button select datalist title head"
)
ALLOWED_TAGS = (nh3.ALLOWED_TAGS | {"picture", "source"}) - {"map", "area"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "source": {"srcset", "media", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
}
# Only web links: mailto: would open a mail program from an archive nobody can write back to.
URL_SCHEMES = frozenset({"http", "https"})
URL_ATTRIBUTES = frozenset({"href", "src"})

# Limits that keep every body's cost linear and small, set against the 20,400 real bodies of the
# shared corpora (none comes near any of them) and what hostile soup costs at each limit.
MAX_BODY_CHARS = 5 * 1024 * 1024  # the longest real body has 636 k characters
MAX_TAGS = 100_000  # the most in a real body is 37,000; the pass costs 2-10 µs a tag
MAX_DEPTH = 256  # real bodies nest ≤ 10 deep; html5ever's scope checks cost depth per tag
MAX_OPEN_FORMATTING = 12  # html5ever re-opens every unclosed <b>/<font> in each new paragraph

# The HTML tokenizer's view of markup: a tag (its name, then the rest as the tokenizer reads it:
# a `>` inside a quoted value does not end it, a quote that never closes runs to the end of the
# body; possessive, so never any backtracking), a tag the body's end cuts, a comment, or a bogus
# comment (<!DOCTYPE>, <?…>, </ …>).
MARKUP = re.compile(
    r"""<(?:(/?)([A-Za-z][^\t\n\f\r />]*+)((?:[\t\n\f\r /]++|[^\t\n\f\r />][^\t\n\f\r />=]*+"""
    r"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >"'][^\t\n\f\r >]*+|(?=>))"""
    r"""|(?![\t\n\f\r ]*+=)))*+)>|/?[A-Za-z]|!--|[!?/])"""
)
COMMENT_END = re.compile(r"--!?>")
# Elements whose content html5ever reads as raw text up to their end tag (or to the end).
RAW_TEXT = _names("script style xmp iframe noembed noframes noscript title textarea plaintext")

# The tree builder's categories (HTML standard §13.2.4), as far as nesting depth depends on them.
VOID = _names(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param "
    "source track wbr"
)
TRANSPARENT = frozenset({"html", "head", "body"})  # never nest: html5ever merges them
FORMATTING = _names("a b big code em font i nobr s small strike strong tt u")
MARKERS = _names("applet caption marquee object td th template")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SECTIONS = ("tbody", "thead", "tfoot")
SPECIAL = _names(
    "address applet area article aside base basefont bgsound blockquote body br button caption "
    "center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form "
    "frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link "
    "listing main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre "
    "script search section select source style summary table tbody td template textarea tfoot th "
    "thead title tr track ul wbr xmp mi mo mn ms mtext annotation-xml foreignobject desc"
)
SCOPE = _names(
    "applet caption html table td th marquee object template mi mo mn ms mtext annotation-xml "
    "foreignobject desc"
)
# Elements that stop the search for an element to close, by the kind of search.
WALLS = {
    "scope": SCOPE,
    "button": SCOPE | {"button"},
    "list": SCOPE | {"ol", "ul"},
    "table": frozenset({"html", "table", "template"}),
    "cell": frozenset({"td", "th", "caption", "template"}),
    "special": SPECIAL,
    "item": SPECIAL - {"address", "div", "p"},
}
WALLS_OF = {
    name: tuple(kind for kind, members in WALLS.items() if name in members)
    for name in frozenset().union(*WALLS.values())
}
CLOSES_P = _names(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form header hgroup hr li dd dt listing main menu nav ol p plaintext pre "
    "search section summary ul xmp h1 h2 h3 h4 h5 h6"
)
BLOCK_ENDS = _names(
    "address article aside blockquote button center details dialog dir div dl fieldset "
    "figcaption figure footer header hgroup listing main menu nav ol pre search section summary "
    "ul applet marquee object"
)
TABLE_PARTS = _names("table caption colgroup tbody tfoot thead tr td th")
# Start tags that may be ignored, and those that close an open element before they open.
IGNORABLE = TRANSPARENT | TABLE_PARTS | {"form"}
IMPLIES = CLOSES_P | TABLE_PARTS | _names("li dd dt option optgroup button a nobr")
# What an end tag closes: the names it may close and the wall that stops the search for them.
END_RULES: dict[str, str | tuple[tuple[str, ...], str]] = {
    **{name: ((name,), "scope") for name in BLOCK_ENDS | {"dd", "dt"}},
    **{name: (HEADINGS, "scope") for name in HEADINGS},
    **{name: ((name,), "table") for name in TABLE_PARTS},
    **{name: "adopt" for name in FORMATTING},
    **{name: "skip" for name in TRANSPARENT},
    "p": (("p",), "button"),
    "li": (("li",), "list"),
    "form": "form",
    "br": "br",
}

# URLs as a browser reads them (WHATWG URL standard): tabs and newlines anywhere are ignored,
# C0 controls and spaces at either end are trimmed, and a backslash is a slash before ?/#.
URL_IGNORED = re.compile(r"[\t\n\r]")
URL_TRIMMED = "".join(map(chr, range(0x21)))
URL_PATH = re.compile(r"^[^?#]*")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
SCRIPT_SCHEME = re.compile(r"(?<![a-z0-9+.\-])(?:javascript|vbscript|data):", re.IGNORECASE)
SRCSET_URL = re.compile(r"[\t\n\f\r ,]*([^\t\n\f\r ]+)")
# In nh3's output every tag is whole and every attribute value is double-quoted with `"` and
# `>` escaped, so tags and values can be read by pattern. A URL of this shape is one safe_url
# keeps as it is; a tag with any other href/src, or a srcset, is rewritten.
PLAIN_WEB_URL = r'https?://[A-Za-z0-9.\-]+(?::\d{1,4})?(?:[/?#][^"\s\\\x00-\x1f\x7f]*)?"'
URL_TAG = re.compile(
    rf'<(?:a|img|source)(?=\s)[^>]*?\s(?:(?:href|src)="(?!{PLAIN_WEB_URL})|srcset=")[^>]*>'
)
# The same, read in a raw tag: a URL value that will come out of nh3 as a plain one.
URL_VALUE = re.compile(
    r"""(?:href|src)[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*))"""
)
PLAIN_URL = re.compile(r"https?://[a-z0-9.\-]+(?::\d{1,4})?(?:[/?#][^\s\\\x00-\x1f\x7f\"'&<>`]*)?")
SCHEME_TAG = re.compile(r"<[a-z][^>]*?(?:javascript|vbscript|data):[^>]*>", re.IGNORECASE)
OUTPUT_ATTRIBUTE = re.compile(r'\s([^\s="]+)="([^"]*)"')
DESCRIPTOR = re.compile(r"\d+[wh]|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?x")

# Block-level tags: their boundaries are paragraph breaks in the plain text.
BLOCK_TAGS = _names(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table blockquote figure figcaption article section "
    "header footer aside pre hr dd dt dl details summary center hgroup nav caption picture"
)
BLOCK_BOUNDARY = re.compile(rf"</?(?:{'|'.join(sorted(BLOCK_TAGS))})\b[^>]*>", re.IGNORECASE)
CELL_BOUNDARY = re.compile(r"</?t[dh]\b[^>]*>", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]*>")
# A lazy-loaded image (no src, its picture in data-src) keeps its picture.
LAZY_SRC = re.compile(r"(?<=[\t\n\f\r /])data-(?:lazy-)?src(?=[\t\n\f\r ]*=)", re.IGNORECASE)
HAS_SRC = re.compile(r"[\t\n\f\r /]src[\t\n\f\r ]*=", re.IGNORECASE)
IMG_SRC = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"', re.IGNORECASE)
INLINE_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b\ufeff]+")

# A sentence ends at 。！？!? (or …… / ；-free runs), taking closing quotes and brackets with it.
SENTENCE = re.compile(
    r"[^。！？!?…]*?(?:[。！？!?]+|…{1,2}|\.(?=\s|$))[”’」』）)\]】\"']*|[^。！？!?…]+$"
)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
KANA = re.compile(r"[\u3040-\u30ff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Archive and platform furniture that is not the article's text.
BOILERPLATE = re.compile(
    r"^(?:Array|获取更多RSS[:：]?|https?://feedx\.\w+/?|"
    r"免责声明：本文内容仅代表作者个人观点，平台不承担任何法律风险。|"
    r"©\s*\d{4}年?德国之声版权声明.*|你的器材不支持播放多媒体材料)$"
)
# A paragraph that is only a timestamp (the archiver's dateline), not prose.
TIMESTAMP_ONLY = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?|\d{1,2}/\d{1,2}/\d{4}\s*-\s*\d{1,2}:\d{2}"
    r"|(?:[A-Z][a-z]{2},\s*)?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)$"
)

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    set_tag_attribute_values={
        "a": {"target": "_blank"},
        "img": {"loading": "lazy", "referrerpolicy": "no-referrer"},
    },
    strip_comments=True,
)


def clean_body(raw_html: str, base_url: str | None = None) -> tuple[str, list[str]]:
    """Safe HTML of an article body (no scripts, styles, frames, event handlers; only http(s)
    URLs, relative ones resolved against ``base_url`` or dropped without it), and a note saying
    why for every cut or repair made on the way."""
    body, notes = _within_size(raw_html)
    repairer = _Repairer(body, _Estimate())
    try:  # the estimate costs a third of the model; it rules out a cut in nearly every body
        repaired, repairs = repairer.run()
    except _MayCut:
        repairer = _Repairer(body, _Tree())
        repaired, repairs = repairer.run()
    clean = _CLEANER.clean(repaired).strip()
    return _web_urls_only(clean, safe_url(base_url), repairer), notes + repairs


def sanitise(raw_html: str) -> str:
    """Safe HTML of a body whose URL is unknown (relative links and images are dropped)."""
    return clean_body(raw_html)[0]


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL (a relative one resolved against ``base`` when that is itself
    http(s)), or None; never raises."""
    return _web_url(url, _web_url(base, None))


def _web_url(url: object, base: str | None) -> str | None:
    if not isinstance(url, str):
        return None
    candidate = URL_IGNORED.sub("", url).strip(URL_TRIMMED)
    candidate = URL_PATH.sub(lambda m: m.group(0).replace("\\", "/"), candidate, count=1)
    if not candidate:
        return None
    try:
        if not SCHEME.match(candidate):  # relative: it would point at the dashboard's server
            if base is None:
                return None
            candidate = urljoin(base, candidate)
        parts = urlsplit(candidate)
        parts.port  # noqa: B018 -- raises ValueError on a port that is not one
    except ValueError:  # "http://[::1", "http://x:99999999", a netloc NFKC turns into "@"
        return None
    return candidate if parts.scheme.lower() in URL_SCHEMES and parts.hostname else None


def _web_urls_only(clean: str, base: str | None, seen: _Repairer) -> str:
    # nh3 has dropped href/src of other schemes; what is left to do (resolve relative URLs,
    # judge srcset, drop an alt naming a script scheme) is done on its output, only when the
    # repair pass saw a tag that needs it, and only on such tags (nh3's attribute_filter, called
    # for every attribute, doubled the cost of sanitising the corpus).
    if seen.odd_urls:
        clean = URL_TAG.sub(lambda m: _fix_attributes(m.group(0), base), clean)
    if seen.named_schemes:
        clean = SCHEME_TAG.sub(lambda m: _fix_attributes(m.group(0), base), clean)
    return clean


def _fix_attributes(tag: str, base: str | None) -> str:
    def fix(attribute: re.Match[str]) -> str:
        name, value = attribute.group(1), html.unescape(attribute.group(2))
        if name in URL_ATTRIBUTES:
            safe = _web_url(value, base)
        elif name == "srcset":
            safe = _safe_srcset(value, base)
        else:  # no attribute carries a script scheme, even as text
            safe = None if SCRIPT_SCHEME.search(value) else value
        return "" if safe is None else f' {name}="{html.escape(safe)}"'

    return OUTPUT_ATTRIBUTE.sub(fix, tag)


def _safe_srcset(value: str, base: str | None) -> str | None:
    # Each candidate ("URL [descriptors]", comma separated) is judged and resolved on its own;
    # one with a descriptor that is not a width or density is dropped, as a browser drops it.
    kept: list[str] = []
    pos = 0
    while (m := SRCSET_URL.match(value, pos)) is not None:
        url, pos = m.group(1), m.end()
        descriptors: list[str] = []
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            end = value.find(",", pos)
            end = len(value) if end < 0 else end
            descriptors, pos = value[pos:end].split(), end
        safe = _web_url(url, base)
        if safe and all(DESCRIPTOR.fullmatch(d) for d in descriptors):
            kept.append(" ".join([safe, *descriptors]))
    return ", ".join(kept) or None


def _within_size(raw: str) -> tuple[str, list[str]]:
    if len(raw) <= MAX_BODY_CHARS:
        return raw, []
    cut = raw.rfind("<", 0, MAX_BODY_CHARS + 1)  # at a tag's start, so no tag is cut in two
    cut = cut if cut > 0 else MAX_BODY_CHARS
    note = (
        f"body of {len(raw):,} characters truncated to its first {cut:,}, at a tag "
        f"(the limit is {MAX_BODY_CHARS:,})"
    )
    return raw[:cut], [note]


@cache
def _end_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}(?=[\t\n\f\r />])", re.IGNORECASE)


class _Repairer:
    """One pass over a body, tag by tag in linear time, that copies it for nh3 except for the
    start tags (and matching end tags) nested too deep or left open in excess, and the lone
    start tag of a raw-text element whose end tag never comes (html5ever would read the rest of
    the body as its content and hide it)."""

    def __init__(self, raw: str, tree: _Tree | _Estimate) -> None:
        self.raw = raw
        self.tree = tree
        self.out: list[str] = []
        self.copied = 0  # raw[:copied] is in out
        self.unclosed: Counter[str] = Counter()
        self.endless: set[str] = set()  # raw-text elements with no end tag after some point
        self.cut_at = len(raw)  # where the body is cut for having too many tags
        self.odd_urls = False  # a URL that is not plainly absolute http(s): resolve or judge it
        self.named_schemes = False  # an attribute that may name a script scheme

    def run(self) -> tuple[str, list[str]]:
        raw, pos = self.raw, 0
        reopens, text, start_tag, end_tag = (
            self.tree.reopens,
            self.tree.text,
            self.tree.start,
            self.tree.end,
        )
        found, tags = MARKUP.finditer(raw), 0
        while (m := next(found, None)) is not None:  # every body's hot loop: names are locals
            start, end = m.span()
            if (tags := tags + 1) > MAX_TAGS:
                self.cut_at = start
                break
            if start > pos and reopens():
                text()
            slash, name, attrs = m.groups()
            if name is None:
                pos = _after_comment(raw, m)
            elif (name := name.lower()) in RAW_TEXT and not slash:
                pos = self.raw_text(name, start, end)
            else:
                pos = end
                if attrs and not slash:
                    self.inspect(name, attrs)
                if not (end_tag(name) if slash else start_tag(name, attrs)):
                    self.replace(start, end, "")
                elif name == "img" and not slash and _lazy(tag := m.group(0)):
                    self.replace(start, end, LAZY_SRC.sub("src", tag, count=1))
            if pos < 0:  # the rest is one comment, or one tag the body's end cuts: nh3 drops it
                break
            if pos != end:  # a comment or a raw-text element was skipped whole
                found = MARKUP.finditer(raw, pos)
        self.out.append(raw[self.copied : self.cut_at])
        return "".join(self.out), self.notes()

    def inspect(self, name: str, attrs: str) -> None:
        """Note whether the output will need its URLs or schemes looked at (from the raw
        attributes, before entities are decoded: a character reference may hide anything)."""
        low = attrs.lower()
        if not self.named_schemes:
            self.named_schemes = any(part in low for part in ("&#", "&colon", "script:", "data:"))
        if not self.odd_urls and name in ("a", "img", "source"):
            self.odd_urls = "srcset" in low or any(
                PLAIN_URL.fullmatch(next(v for v in m.groups() if v is not None)) is None
                for m in URL_VALUE.finditer(low)
            )

    def raw_text(self, name: str, start: int, end: int) -> int:
        close = self.closing(name, end)
        if close < 0:
            self.unclosed[name] += 1
            self.replace(start, end, "")
            return end
        if name == "textarea":  # what the box shows is the reader's text: its own paragraph
            self.replace(start, close, f"<br>{self.raw[start:close]}<br>")
        return close

    def closing(self, name: str, after: int) -> int:
        """The end of the raw-text element's end tag, or -1 when none comes."""
        if name == "plaintext" or name in self.endless:
            return -1
        end_tag = _end_tag(name).search(self.raw, after)
        whole = MARKUP.match(self.raw, end_tag.start()) if end_tag else None
        if whole is None or whole.group(2) is None:
            self.endless.add(name)  # a later search would fail too: keeps the pass linear
            return -1
        return whole.end()

    def replace(self, start: int, end: int, text: str) -> None:
        self.out += (self.raw[self.copied : start], text)
        self.copied = end

    def notes(self) -> list[str]:
        notes = [f"unclosed <{n}> ignored so the text after it is kept" for n in self.unclosed]
        if self.cut_at < len(self.raw):
            notes.append(
                f"more than {MAX_TAGS:,} tags: the body is cut before the next one "
                f"(its last {len(self.raw) - self.cut_at:,} characters dropped)"
            )
        if self.tree.flattened:
            notes.append(
                f"nesting deeper than {MAX_DEPTH} levels flattened "
                f"({self.tree.flattened:,} tags removed, their text kept)"
            )
        if self.tree.unformatted:
            notes.append(
                f"more than {MAX_OPEN_FORMATTING} formatting tags open at once "
                f"({self.tree.unformatted:,} more removed, their text kept)"
            )
        return notes


def _lazy(img_tag: str) -> bool:
    return HAS_SRC.search(img_tag) is None and LAZY_SRC.search(img_tag) is not None


def _after_comment(raw: str, m: re.Match[str]) -> int:
    after, opening = m.end(), m.group(0)
    if opening[-1].isalpha():  # a tag that never ends: html5ever drops it with all after it
        return -1
    if opening != "<!--":  # <!DOCTYPE …>, <?…>, </ …>: a bogus comment up to the next >
        end = raw.find(">", after)
        return end + 1 if end >= 0 else -1
    for empty in (">", "->"):  # <!--> and <!---> are whole (empty) comments
        if raw.startswith(empty, after):
            return after + len(empty)
    found = COMMENT_END.search(raw, after)
    return found.end() if found else -1


@dataclass(eq=False)
class _Formatting:
    """An entry of html5ever's list of active formatting elements."""

    name: str
    key: str  # name and attributes: three entries alike are the most html5ever keeps
    at: int = -1  # its index in the stack of open elements; -1 when it is not open


class _MayCut(Exception):
    """The estimate cannot rule out that a limit cuts: the exact model has to run."""


class _Estimate:
    """An over-estimate of how deep a body nests and how many formatting elements it holds open:
    every start tag opens an element (a table part three: html5ever adds the rows and sections
    a cell lacks) and an end tag closes only the element on top. While it stays within the
    limits, no limit can cut and the pass keeps every tag."""

    flattened = unformatted = 0

    def __init__(self) -> None:
        self.names: list[str] = []
        self.depth = 0
        self.formatting = 0

    def start(self, name: str, _attrs: str) -> bool:
        if name in VOID or name in TRANSPARENT:
            return True
        self.names.append(name)
        self.depth += 3 if name in TABLE_PARTS else 1
        self.formatting += name in FORMATTING
        if self.depth > MAX_DEPTH or self.formatting > MAX_OPEN_FORMATTING:
            raise _MayCut
        return True

    def end(self, name: str) -> bool:
        if self.names and self.names[-1] == name:
            self.names.pop()
            self.depth -= 3 if name in TABLE_PARTS else 1
            self.formatting -= name in FORMATTING
        return True

    def reopens(self) -> bool:
        return False  # closed formatting elements stay counted: nothing to re-open

    def text(self) -> None:
        pass


TAKEN_OUT = ""  # a stack slot html5ever emptied: the element is no longer an ancestor
LEFT_BEHIND = "#"  # a form html5ever took off the stack: still the ancestor of what follows


class _Tree:
    """html5ever's stack of open elements and list of active formatting elements, modelled only
    as far as nesting depth depends on them (HTML standard §13.2.6), in constant time per tag:
    for each name and each kind of wall the stack indices where one is open, so "is a <p> open
    with no wall inside it" is two lookups, never a walk down the stack."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.formats: list[_Formatting | None] = []
        self.where: dict[str, list[int]] = {}
        self.walls: dict[str, list[int]] = {kind: [] for kind in WALLS}
        self.segments: list[list[_Formatting]] = [[]]  # active formatting, split at markers
        self.taken_out = 0
        # Start tags dropped whose end tags are to go too (a dict: a Counter's missing key
        # costs a Python call, and this is asked at every end tag).
        self.cut: dict[str, int] = {}
        self.flattened = 0
        self.unformatted = 0

    def start(self, name: str, attrs: str) -> bool:
        """Whether to keep a start tag (and account for the element it opens)."""
        if (name in IGNORABLE or attrs.endswith("/")) and self._ignored(name, attrs):
            return True
        if name in IMPLIES:
            self._close_implied(name)
        if name not in SPECIAL and self.reopens():
            self.text()  # html5ever re-opens the formatting elements a block closed
        if name in VOID:
            return True
        if len(self.names) - self.taken_out >= MAX_DEPTH:
            self.cut[name] = self.cut.get(name, 0) + 1
            self.flattened += 1
            return False
        if name in FORMATTING:
            return self._format(name, attrs)
        self._push(name)
        return True

    def end(self, name: str) -> bool:
        """Whether to keep an end tag (and account for the elements it closes)."""
        if self.cut.get(name):
            self.cut[name] -= 1
            return False
        rule = END_RULES.get(name)
        if rule is None:
            self._close((name,), "special")
        elif rule == "adopt":
            self._adopt(name)
        elif rule == "form":
            self._end_form()
        elif rule == "br" and self.reopens():
            self.text()
        elif not isinstance(rule, str):
            self._close(*rule)
        return True

    def reopens(self) -> bool:
        """Whether text would make html5ever re-open formatting elements a block closed."""
        segment = self.segments[-1]
        return bool(segment) and segment[-1].at < 0

    def text(self) -> None:
        """Re-open what html5ever re-opens before text (a <b> left open before a new <p> goes
        on in it)."""
        segment = self.segments[-1]
        first = len(segment) - 1
        while first > 0 and segment[first - 1].at < 0:
            first -= 1
        for entry in segment[first:]:
            self._push(entry.name, entry)

    def _ignored(self, name: str, attrs: str) -> bool:
        # Tags html5ever ignores, or that open nothing to nest in.
        if name in TRANSPARENT or (name == "form" and self._at("form") >= 0):
            return True
        if name in TABLE_PARTS and name != "table" and self._at("table") < 0:
            return True  # a cell or row outside any table is dropped
        return attrs.endswith("/") and (self._at("svg") >= 0 or self._at("math") >= 0)

    def _close_implied(self, name: str) -> None:
        if name in CLOSES_P:
            self._close(("p",), "button")
        if name == "li" or name in ("dd", "dt"):
            self._close(("li",) if name == "li" else ("dd", "dt"), "item")
        elif name in HEADINGS or name in ("option", "optgroup"):
            top = self.names[-1:]
            if top and top[0] in (HEADINGS if name in HEADINGS else ("option",)):
                self._pop_to(len(self.names) - 1)
        elif name in ("td", "th", "tr", *SECTIONS):
            self._open_row(name)
        elif name in ("table", "button"):
            self._close((name,), "cell" if name == "table" else "scope")
        elif name in ("a", "nobr"):
            self._reopen(name)

    def _open_row(self, name: str) -> None:
        # A cell closes the open cell, a row the open row; html5ever adds the <tbody> and <tr>
        # a cell or row lacks (they nest too).
        cell = name in ("td", "th")
        self._close(("td", "th") if cell else SECTIONS if name in SECTIONS else (name,), "table")
        table = self._at("table")
        if name == "tr" or (cell and self._at("tr") < table):
            if max(self._at(s) for s in SECTIONS) < table:
                self._push("tbody")
            if cell:
                self._push("tr")

    def _format(self, name: str, attrs: str) -> bool:
        segment = self.segments[-1]
        key = f"{name}\0{' '.join(attrs.split())}" if attrs else name
        alike = [entry for entry in segment if entry.key == key]
        if len(alike) >= 3:  # the "Noah's Ark" clause: the earliest of three alike goes
            self._unlist(alike[0])
        elif len(segment) >= MAX_OPEN_FORMATTING:
            self.cut[name] = self.cut.get(name, 0) + 1
            self.unformatted += 1
            return False
        entry = _Formatting(name, key)
        segment.append(entry)
        self._push(name, entry)
        return True

    def _adopt(self, name: str) -> None:
        # The adoption agency algorithm, as far as depth goes: the formatting element closes,
        # and when a block opened inside it, the block moves out of it and stays open.
        entry = next((e for e in reversed(self.segments[-1]) if e.name == name), None)
        if entry is None:
            self._close((name,), "special")
            return
        at = entry.at
        if at >= 0 and at < self._wall("scope"):
            return  # not in scope: html5ever ignores the end tag
        self._unlist(entry)
        if at >= 0 and at < self._wall("special"):
            self._take_out(at, TAKEN_OUT)
        elif at >= 0:
            self._pop_to(at)

    def _reopen(self, name: str) -> None:
        # An <a> inside an open <a> closes it first (so do <nobr>s).
        entry = next((e for e in reversed(self.segments[-1]) if e.name == name), None)
        if entry is None:
            return
        self._adopt(name)
        if entry in self.segments[-1]:
            at = entry.at
            self._unlist(entry)
            if at >= 0:
                self._take_out(at, TAKEN_OUT)

    def _end_form(self) -> None:
        # html5ever takes the form itself off the stack, but what opened inside stays in it.
        at = self._at("form")
        if at >= 0 and at >= self._wall("scope"):
            if at == len(self.names) - 1:
                self._pop_to(at)
            else:
                self._take_out(at, LEFT_BEHIND)

    def _close(self, names: tuple[str, ...], wall: str) -> None:
        """Close the innermost of ``names`` (and all inside it) unless a ``wall`` is nearer."""
        at = self._at(names[0]) if len(names) == 1 else max(map(self._at, names))
        if at >= 0 and at >= self._wall(wall):
            self._pop_to(at)

    def _at(self, name: str) -> int:
        where = self.where.get(name)
        return where[-1] if where else -1

    def _wall(self, kind: str) -> int:
        walls = self.walls[kind]
        return walls[-1] if walls else -1

    def _push(self, name: str, entry: _Formatting | None = None) -> None:
        at = len(self.names)
        self.names.append(name)
        self.formats.append(entry)
        self.where.setdefault(name, []).append(at)
        for kind in WALLS_OF.get(name, ()):
            self.walls[kind].append(at)
        if name in MARKERS:
            self.segments.append([])
        if entry is not None:
            entry.at = at

    def _pop_to(self, at: int) -> None:
        while len(self.names) > at:
            name = self.names.pop()
            entry = self.formats.pop()
            if name == TAKEN_OUT:
                self.taken_out -= 1
            if name in (TAKEN_OUT, LEFT_BEHIND):
                continue
            self.where[name].pop()
            for kind in WALLS_OF.get(name, ()):
                self.walls[kind].pop()
            if entry is not None:
                entry.at = -1
            if name in MARKERS and len(self.segments) > 1:
                self.segments.pop()

    def _take_out(self, at: int, mark: str) -> None:
        name = self.names[at]
        self.names[at] = mark
        self.formats[at] = None
        self.where[name].remove(at)
        for kind in WALLS_OF.get(name, ()):
            self.walls[kind].remove(at)
        self.taken_out += mark == TAKEN_OUT

    def _unlist(self, entry: _Formatting) -> None:
        self.segments[-1].remove(entry)
        if entry.at >= 0:
            self.formats[entry.at] = None
            entry.at = -1


def paragraphs(clean_html: str) -> list[str]:
    """The visible text of sanitised HTML, one string per paragraph, whitespace folded."""
    marked = CELL_BOUNDARY.sub(" ", BLOCK_BOUNDARY.sub("\n\n", clean_html))
    text = html.unescape(ANY_TAG.sub("", marked))
    out = []
    for block in text.split("\n\n"):
        folded = INLINE_SPACE.sub(" ", block.replace("\n", " ")).strip()
        if folded:
            out.append(folded)
    return out


def without_furniture(paras: list[str]) -> list[str]:
    """Paragraphs minus datelines and archive/platform boilerplate."""
    return [p for p in paras if not (BOILERPLATE.match(p) or TIMESTAMP_ONLY.match(p))]


def images(clean_html: str) -> list[str]:
    """Image URLs of sanitised HTML, in order, without repeats."""
    return list(dict.fromkeys(html.unescape(src) for src in IMG_SRC.findall(clean_html)))


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, on Chinese and Latin end punctuation."""
    return [s.strip() for s in SENTENCE.findall(paragraph) if s.strip()]


def sentence_spans(plain: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a plain text whose paragraphs are split by blank lines."""
    spans = []
    offset = 0
    for para in plain.split("\n\n"):
        for m in SENTENCE.finditer(para):
            chunk = m.group(0)
            stripped = chunk.strip()
            if stripped:
                start = offset + m.start() + (len(chunk) - len(chunk.lstrip()))
                spans.append((start, start + len(stripped)))
        offset += len(para) + 2
    return spans


def sentences(paras: list[str]) -> list[str]:
    """Sentences of a text, never spanning a paragraph break."""
    return [s for p in paras for s in split_sentences(p)]


def escape_text(text: str) -> str:
    """Plain text as HTML paragraphs (for sources that give text, not HTML)."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n|\r\n\s*\r\n", text) if b.strip()]
    return "".join(f"<p>{html.escape(b).replace(chr(10), '<br>')}</p>" for b in blocks)


def language(text: str) -> str:
    """'zh', 'ja', 'en' or 'und', from the characters of the text."""
    han = len(HAN.findall(text))
    kana = len(KANA.findall(text))
    latin = len(LATIN_WORD.findall(text))
    if kana > 20 and kana > han / 4:
        return "ja"
    if han >= 5 and han >= latin:
        return "zh"
    if latin >= 5:
        return "en"
    return "zh" if han else "und"


def script(text: str) -> str | None:
    """'simplified', 'traditional' or None (no Chinese or no telling characters)."""
    only_simplified, only_traditional = _script_tables()
    chars = set(text)  # distinct characters decide it, and sets intersect in C
    simp = len(chars & only_simplified)
    trad = len(chars & only_traditional)
    if simp == trad == 0:
        return None
    return "traditional" if trad > simp else "simplified"


def to_simplified(text: str) -> str:
    """Traditional characters replaced by their simplified forms, one character for one (so
    offsets hold); a folding for matching, not a translation (OpenCC's character table)."""
    return text.translate(_traditional_table())


@cache
def _traditional_table() -> dict[int, str]:
    table = {}
    for line in (_opencc_folder() / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        first = values.split()[0] if values.split() else ""
        if len(key) == 1 and len(first) == 1 and first != key:
            table[ord(key)] = first
    return table


def _opencc_folder() -> Path:
    import opencc

    return Path(opencc.__file__).parent / "dictionary"


@cache
def _script_tables() -> tuple[frozenset[str], frozenset[str]]:
    # OpenCC's character tables: a character that converts to something else is script-specific.
    folder = _opencc_folder()
    simp = _changed_keys(folder / "STCharacters.txt")
    trad = _changed_keys(folder / "TSCharacters.txt")
    return frozenset(simp - trad), frozenset(trad - simp)


def _changed_keys(path: Path) -> set[str]:
    keys = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key and values.split()[:1] != [key]:
            keys.add(key)
    return keys
