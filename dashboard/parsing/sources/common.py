"""Pieces every reader shares: front matter, validated metadata, the markdown link line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import pyromark
import yaml
from frontmatter.default_handlers import YAMLHandler

from dashboard.parsing.pubdate import Candidate, parse_datetime

try:  # libyaml's loader is ten times faster; PyYAML without it still works.
    from yaml import CSafeLoader as YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as YamlLoader  # type: ignore[assignment]

YAML = YAMLHandler()
LINK_LINE = re.compile(r"^\[(?P<title>(?:[^\[\]]|\[[^\]]*\])*)\]\((?P<url>[^)\s]*)\)\s*$")
RULE_LINE = re.compile(r"^-{3,}\s*$")
SIMPLE_KEY = re.compile(r"^([A-Za-z_][\w-]*):\s?(.*)$")
FLOW_BRACKET = re.compile(r"[\[\]{}]")
BLOCK_INDENT = re.compile(r"^(?:[ \t]|[-?:][ \t])+", re.MULTILINE)
MAX_YAML_NESTING = 100  # real headers nest two or three levels
MAX_FRONT_MATTER_CHARS = 256 * 1024  # a header, not a document
DATE_KEYS = ("date", "published", "pubDate", "time", "created")
URL_KEYS = ("from", "url", "link", "source", "original", "canonical", "permalink")
AUTHOR_KEYS = ("author", "byline", "source_name")
OUTLET_KEYS = ("outlet", "publisher", "site", "author", "source_name")

# CommonMark with tables, inline HTML passed through to the sanitiser (pulldown-cmark, via
# pyromark: linear time, about 0.1 s a megabyte even on delimiter soup, so it needs no budget of
# its own; markdown-it-py took 2 ms on a typical GNews body and over a second on 30 of 20,296).
MARKDOWN_OPTIONS = pyromark.Options.ENABLE_TABLES
# CommonMark trims only spaces and tabs around a paragraph's or cell's content; other Unicode
# spaces (U+3000, U+2028, U+202F, frequent at the edges of Chinese paragraphs) are trimmed too,
# as markdown-it's JavaScript-style trim did, so the HTML holds no invisible edges.
_EDGE_SPACE = r"\s+"
_BLOCK_OPEN = re.compile(rf"(<(?:p|h[1-6]|th|td)(?: [^>]*)?>){_EDGE_SPACE}")
_BLOCK_CLOSE = re.compile(rf"{_EDGE_SPACE}(</(?:p|h[1-6]|th|td)>)")


@dataclass(frozen=True)
class Meta:
    """Front matter, validated: only typed fields go on, never the raw dict."""

    title: str | None = None
    date: Candidate | None = None
    url: str | None = None
    byline: str | None = None
    categories: tuple[str, ...] = ()
    outlet_names: tuple[str, ...] = ()


@lru_cache(maxsize=8)
def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """(front matter or None, the rest), allowing blank lines before the opening ---.

    Cached because every reader's detect() asks; callers must not mutate the dict.
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    if not YAML.detect(stripped):
        return None, text
    try:
        fm, content = YAML.split(stripped)
    except ValueError:
        return None, text
    return _load_yaml(fm), content


def _load_yaml(fm: str) -> dict[str, Any]:
    if not _shallow(fm):
        return _simple_pairs(fm)
    try:
        data = yaml.load(fm, Loader=YamlLoader)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        # Not only YAMLError: constructors raise ValueError / OverflowError on values such as
        # `!!timestamp 0000-00-00` or `!!float 1e99999`, and deep nesting recurses.
        data = _simple_pairs(fm)
    return data if isinstance(data, dict) else {}


def _shallow(fm: str) -> bool:
    """Whether a front matter nests little enough for libyaml, which recurses in C and crashes
    the process (a segmentation fault, not an exception) near 30,000 levels of [ or "- "."""
    if len(fm) > MAX_FRONT_MATTER_CHARS:
        return False
    depth = 0
    for bracket in FLOW_BRACKET.findall(fm):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_YAML_NESTING:
            return False
    # Block nesting: indentation and "- - - x" chains (counted generously: any overcount only
    # sends a header to the line-by-line reader).
    return all(len(m.group(0)) <= MAX_YAML_NESTING for m in BLOCK_INDENT.finditer(fm))


def _simple_pairs(fm: str) -> dict[str, Any]:
    # Hand-written Jekyll headers sometimes break YAML (an unescaped quote in a title);
    # their `key: value` lines are still readable one by one.
    pairs: dict[str, Any] = {}
    for line in fm.splitlines():
        if m := SIMPLE_KEY.match(line):
            pairs[m.group(1)] = m.group(2).strip().strip("'\"")
    return pairs


def meta_from(fm: dict[str, Any] | None) -> Meta:
    """Typed metadata from a front-matter dict."""
    if not fm:
        return Meta()
    when = next((c for k in DATE_KEYS if (c := _date(fm.get(k)))), None)
    categories = tuple(_strings(fm.get("categories")) + _strings(fm.get("tags")))
    names = tuple(dict.fromkeys(s for k in OUTLET_KEYS for s in _strings(fm.get(k))))
    return Meta(
        title=_string(fm.get("title")),
        date=when,
        url=next((u for k in URL_KEYS if (u := _url(fm.get(k)))), None),
        byline=next((s for k in AUTHOR_KEYS if (s := _string(fm.get(k)))), None),
        categories=categories,
        outlet_names=names + categories,
    )


def _date(value: Any) -> Candidate | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime | date | int | float | str):
        return parse_datetime(value, "front-matter")
    return None


def _string(value: Any) -> str | None:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _strings(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [s for v in value if (s := _string(v))]
    single = _string(value)
    return [single] if single else []


def _url(value: Any) -> str | None:
    text = _string(value)
    return text if text and re.match(r"https?://", text) else None


def render_markdown(text: str) -> str:
    """Markdown (with inline HTML) as HTML, for the caller to sanitise."""
    html = pyromark.html(text, options=MARKDOWN_OPTIONS)
    return _BLOCK_CLOSE.sub(r"\1", _BLOCK_OPEN.sub(r"\1", html))
