"""GNews reposts: the raw form (### [:house:返回首頁](…) --- ## title) and the front-matter form.

Both carry a byline line "`farm name` [轉載自GNews](https://gnews.org/…/ID/)" and a Markdown body
that usually names the original report ("新闻参考链接：[url](url)"). Posts of the 2023–24 site
open the byline with their publication stamp ("`3/11/2023 2:51 AM UTC farm`") and mark words
as wiki links ("2023年[[zh:9月21日]]…的[[zh:美国]]驻[[zh:日本]]大使"), unwrapped to their text.
"""

from __future__ import annotations

import re

from dashboard.parsing.articles import RawArticle
from dashboard.parsing.pubdate import split_header_date
from dashboard.parsing.sources.base import SkipFile
from dashboard.parsing.sources.common import meta_from, render_markdown, split_front_matter

REPOST_LINE = re.compile(
    r"^\s*`\s*(?P<byline>[^`]*?)\s*`\s*\[(?:轉載自|转载自)GNews\]\((?P<url>https?://[^)\s]*gnews\.org[^)\s]*)\)\s*$",
    re.MULTILINE,
)
HOME_HEADER = re.compile(r"^\s*#{1,6}\s*\[:house:[^\]]*\]\([^)]*\)\s*$")
TITLE_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
RULE = re.compile(r"^\s*-{3,}\s*$")
# The outlets' own footer: site links that are not part of any article.
FOOTER_LINK = re.compile(
    r"^\s*-\s*\[(?:ROL Foundation|ROL Society|Terms of use|Privacy Policy)\]\([^)]*\)\s*$", re.M
)
# A repost names its original under one of these labels (never 图片来源, the photo credit).
ORIGINAL_LABELS = (
    *("新闻参考链接", "新聞參考鏈接", "新闻来源", "新聞來源", "新闻链接", "新聞鏈接", "参考链接"),
    *("參考鏈接", "参考来源", "參考來源", "原文链接", "原文鏈接", "原文連結", "信息来源"),
    *("資訊來源", "素材链接", "消息来源", "转载自", "轉載自"),
)
ORIGINAL_LABEL = re.compile(
    # The lookahead of first characters lets the engine skip to where a label can start (the
    # lookbehind first made it try every position of the file: 160 µs a file, now 60).
    rf"(?=[{''.join(sorted({label[0] for label in ORIGINAL_LABELS}))}])(?<![图圖])"
    rf"(?:{'|'.join(ORIGINAL_LABELS)})"
    r"(?=[*\s]*(?:[:：]|\[|$))",  # a label, not the same words inside a sentence
    re.MULTILINE,
)
# [[zh:美国]] → 美国, [[zh:美国|美方]] → 美方. The only form in the scale corpus is [[zh:X]]
# (473,528 links in 8,203 files, never in a title); [[X]] without a language is left alone, as
# Markdown uses [[1]](url) for a bracketed link text. Bounded classes without nesting: linear.
WIKI_LINK = re.compile(
    r"\[\[[a-z]{2,3}(?:-[A-Za-z]{2,4})?:(?P<target>[^\[\]|\n]{1,200})"
    r"(?:\|(?P<label>[^\[\]|\n]{0,200}))?\]\]"
)
MD_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<href>https?://[^)\s]+)\)")
LABEL_REACH = 400


class GNewsReader:
    name = "gnews"

    def detect(self, text: str) -> bool:
        return REPOST_LINE.search(text[:3000]) is not None

    def read(self, text: str) -> list[RawArticle | SkipFile]:
        fm, body = split_front_matter(text)
        meta = meta_from(fm)
        repost = REPOST_LINE.search(body)
        if repost is None:
            return [SkipFile("GNews repost line found in the header, not in the body")]
        title = meta.title or _heading_title(body[: repost.start()])
        content = unwiki(FOOTER_LINK.sub("", body[repost.end() :]))
        stamp, byline = split_header_date(repost.group("byline"))
        body_html = render_markdown(content)
        return [
            RawArticle(
                body_html=body_html,
                title=unwiki(title) if title else None,
                url=repost.group("url"),
                byline=byline or None,
                outlet_names=("GNews",),
                dates=[c for c in (stamp, meta.date) if c],
                repost_of=original_url(content),
                extra_urls=(repost.group("url"),),
            )
        ]


def _heading_title(header: str) -> str | None:
    for line in reversed(header.splitlines()):
        if HOME_HEADER.match(line) or RULE.match(line) or not line.strip():
            continue
        if m := TITLE_HEADING.match(line):
            return m.group("title")
    return None


def unwiki(markdown: str) -> str:
    """Markdown with wiki links replaced by their label (or target): search sees running text."""
    if "[[" not in markdown:
        return markdown
    return WIKI_LINK.sub(lambda m: m["label"] or m["target"], markdown)


def original_url(markdown: str) -> str | None:
    """The URL a repost names as its original source, if it names one."""
    for label in ORIGINAL_LABEL.finditer(markdown):
        start = markdown.find("[", label.end(), label.end() + LABEL_REACH)
        link = MD_LINK.match(markdown, start) if start >= 0 else None
        if link is None and start >= 0:  # [site name][title](url): the second bracket links
            link = MD_LINK.search(markdown, start, start + LABEL_REACH * 4)
        if link:
            text = link.group("text").strip()
            # GNews re-encodes the href (%E6 → %25E6); the visible text keeps the original URL.
            return text if text.startswith(("http://", "https://")) else link.group("href")
    return None
