"""The "waimei" archive: optional Jekyll header, <!--epoch ms-->, [title](url), ------, HTML."""

from __future__ import annotations

import re

from dashboard.parsing.articles import RawArticle
from dashboard.parsing.pubdate import extract_epoch
from dashboard.parsing.sources.base import SkipFile
from dashboard.parsing.sources.common import LINK_LINE, RULE_LINE, meta_from, split_front_matter

EPOCH_LINE = re.compile(r"^\s*<!--\s*\d{10,13}\s*-->\s*$")
HEAD_LINES = 6


class WaimeiReader:
    name = "waimei"

    def detect(self, text: str) -> bool:
        _, body = split_front_matter(text)
        lines = body.lstrip("\ufeff\r\n").splitlines()[:HEAD_LINES]
        if lines and EPOCH_LINE.match(lines[0]):
            return True
        return _link_and_rule(lines) is not None

    def read(self, text: str) -> list[RawArticle | SkipFile]:
        fm, body = split_front_matter(text)
        meta = meta_from(fm)
        lines = body.lstrip("\ufeff\r\n").splitlines(keepends=True)
        epoch = extract_epoch("".join(lines[:2]))
        start = 1 if lines and EPOCH_LINE.match(lines[0]) else 0
        head = _link_and_rule([ln.rstrip("\r\n") for ln in lines[start : start + HEAD_LINES]])
        link_title, link_url, consumed = head if head else (None, None, 0)
        body_html = "".join(lines[start + consumed :])
        return [
            RawArticle(
                body_html=body_html,
                title=meta.title or link_title,
                url=link_url or meta.url,
                byline=meta.byline,
                outlet_names=meta.outlet_names,
                dates=[c for c in (epoch, meta.date) if c],
            )
        ]


def _link_and_rule(lines: list[str]) -> tuple[str, str, int] | None:
    """(title, url, lines used) when a [title](url) line is followed by a ------ rule."""
    for i, line in enumerate(lines[:-1]):
        if not line.strip():
            continue
        m = LINK_LINE.match(line.strip())
        if m and RULE_LINE.match(lines[i + 1]):
            return m.group("title").strip(), m.group("url"), i + 2
        return None
    return None
