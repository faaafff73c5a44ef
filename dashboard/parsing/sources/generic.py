"""The fallback: Markdown or HTML, with or without front matter, saved web pages included."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

from dashboard.parsing.articles import RawArticle
from dashboard.parsing.pubdate import Candidate, parse_date_string
from dashboard.parsing.sources.base import SkipFile
from dashboard.parsing.sources.common import meta_from, render_markdown, split_front_matter

HTML_START = re.compile(r"^\s*(?:<!doctype html|<html\b|<head\b|<body\b)", re.IGNORECASE)
HTML_FRAGMENT = re.compile(r"<(?:p|div|article|section|br|img|table|span|h[1-6]|ul|ol)\b", re.I)
MD_HEADING = re.compile(r"^\s*#\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)
# Saved web pages: selectors in priority order (trafilatura's metadata order, trimmed).
TITLE_META = (("property", "og:title"), ("name", "twitter:title"), ("name", "title"))
DATE_META = (
    ("property", "article:published_time"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("itemprop", "datePublished"),
    ("name", "date"),
    ("property", "og:updated_time"),
)
URL_META = (("property", "og:url"),)
AUTHOR_META = (("name", "author"), ("property", "article:author"))
SITE_META = (("property", "og:site_name"), ("name", "application-name"))
BODY_SELECTORS = ("article", "main", "[itemprop=articleBody]", "body")


class GenericReader:
    name = "generic"

    def detect(self, text: str) -> bool:
        return bool(text.strip()) and not_article_reason(text) is None

    def read(self, text: str) -> list[RawArticle | SkipFile]:
        fm, body = split_front_matter(text)
        if HTML_START.match(body):
            return [_web_page(body, fm)]
        meta = meta_from(fm)
        is_html = HTML_FRAGMENT.search(body[:5000]) is not None
        title = meta.title
        if not title and not is_html and (m := MD_HEADING.search(body)):
            title = m.group("title")
            body = body[: m.start()] + body[m.end() :]
        body_html = body if is_html else render_markdown(body)
        return [
            RawArticle(
                body_html=body_html,
                title=title,
                url=meta.url,
                byline=meta.byline,
                outlet_names=meta.outlet_names,
                dates=[meta.date] if meta.date else [],
            )
        ]


def not_article_reason(text: str) -> str | None:
    """Why a text is data rather than an article (JSON, a table), or None if it may be one."""
    stripped = text.strip()
    if not stripped:
        return "empty file (no text)"
    if stripped[0] in "{[":
        try:
            json.loads(stripped)
        except (ValueError, RecursionError):  # 50,000 nested brackets are not a document either
            pass
        else:
            return "a JSON document, not an article (JSON Lines records need a text field)"
    lines = stripped.splitlines()[:20]
    if len(lines) >= 2 and all(line.count("\t") >= 2 for line in lines):
        return "a tab-separated table, not an article"
    return None


def _web_page(page: str, fm: dict | None) -> RawArticle:  # type: ignore[type-arg]
    soup = BeautifulSoup(page, "lxml")
    meta = meta_from(fm)
    site = extract_meta(soup, SITE_META)
    canonical = soup.find("link", rel="canonical")
    url = (
        meta.url
        or extract_meta(soup, URL_META)
        or (str(canonical.get("href")) if canonical and canonical.get("href") else None)
    )
    date = meta.date or extract_date(soup)
    return RawArticle(
        body_html=extract_body(soup),
        title=meta.title or extract_meta(soup, TITLE_META) or _title_tag(soup),
        url=url,
        byline=meta.byline or extract_meta(soup, AUTHOR_META),
        outlet_names=meta.outlet_names + ((site,) if site else ()),
        dates=[date] if date else [],
    )


def extract_meta(soup: BeautifulSoup, keys: tuple[tuple[str, str], ...]) -> str | None:
    """The content of the first <meta> among keys that has one."""
    for attr, value in keys:
        tag = soup.find("meta", attrs={attr: value})
        content = tag.get("content") if tag else None
        if isinstance(content, str) and content.strip():
            return content.strip()
    return None


def extract_date(soup: BeautifulSoup) -> Candidate | None:
    """The publication date a saved page states in its <meta> or <time> tags."""
    raw = extract_meta(soup, DATE_META)
    if not raw:
        time_tag = soup.find("time", attrs={"datetime": True})
        raw = str(time_tag["datetime"]) if time_tag else None
    return parse_date_string(raw, "html-meta") if raw else None


def extract_body(soup: BeautifulSoup) -> str:
    """The HTML of the page's main content element."""
    for selector in BODY_SELECTORS:
        node = soup.select_one(selector)
        if node is not None:
            return node.decode_contents()
    return str(soup)


def _title_tag(soup: BeautifulSoup) -> str | None:
    return soup.title.get_text(strip=True) or None if soup.title else None
