"""The repair pass before nh3: one linear walk over a body's tags that keeps html5ever's work
bounded (nesting depth, tag count, re-opened formatting) and stops an unclosed raw-text element
(<noscript>, <style>, <title>, <textarea> …) from hiding the rest of the body.

It models html5ever's stack of open elements closely enough to know the depth each tag reaches
(HTML standard §13.2.4); a cheaper over-estimate runs first and clears nearly every real body.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


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


def within_size(raw: str) -> tuple[str, list[str]]:
    if len(raw) <= MAX_BODY_CHARS:
        return raw, []
    cut = raw.rfind("<", 0, MAX_BODY_CHARS + 1)  # at a tag's start, so no tag is cut in two
    cut = cut if cut > 0 else MAX_BODY_CHARS
    note = (
        f"body of {len(raw):,} characters truncated to its first {cut:,}, at a tag "
        f"(the limit is {MAX_BODY_CHARS:,})"
    )
    return raw[:cut], [note]


# A URL value read in a raw tag that will come out of nh3 as a plain web URL (text.URL_TAG
# rewrites every other one).
URL_VALUE = re.compile(
    r"""(?:href|src)[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*))"""
)
PLAIN_URL = re.compile(r"https?://[a-z0-9.\-]+(?::\d{1,4})?(?:[/?#][^\s\\\x00-\x1f\x7f\"'&<>`]*)?")
# Tags whose URLs text.URL_TAG judges. html5ever reads <image> as <img> (the HTML standard's
# "image" start tag rule), so nh3 outputs an <img> whose src this pass must also have seen: left
# out, `<image src="/++plone++rfa-resources/…">` reached the panel unresolved and the browser
# fetched it from the dashboard.
URL_TAGS = frozenset({"a", "img", "image", "source"})
IMG_TAGS = frozenset({"img", "image"})
LAZY_SRC = re.compile(r"(?<=[\t\n\f\r /])data-(?:lazy-)?src(?=[\t\n\f\r ]*=)", re.IGNORECASE)
HAS_SRC = re.compile(r"[\t\n\f\r /]src[\t\n\f\r ]*=", re.IGNORECASE)


@cache
def _end_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}(?=[\t\n\f\r />])", re.IGNORECASE)


class Repairer:
    """One pass over a body, tag by tag in linear time, that copies it for nh3 except for the
    start tags (and matching end tags) nested too deep or left open in excess, and the lone
    start tag of a raw-text element whose end tag never comes (html5ever would read the rest of
    the body as its content and hide it)."""

    def __init__(self, raw: str, tree: Tree | Estimate) -> None:
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
                elif name in IMG_TAGS and not slash and _lazy(tag := m.group(0)):
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
        if not self.odd_urls and name in URL_TAGS:
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


class MayCut(Exception):
    """The estimate cannot rule out that a limit cuts: the exact model has to run."""


class Estimate:
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
            raise MayCut
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


class Tree:
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
