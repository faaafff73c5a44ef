"""hexo/RSSHub posts: YAML front matter (title, categories, author, RFC 2822 date) and HTML."""

from __future__ import annotations

from dashboard.parsing.articles import RawArticle
from dashboard.parsing.sources.base import SkipFile
from dashboard.parsing.sources.common import meta_from, split_front_matter

HEXO_KEYS = frozenset({"headimg", "thumbnail", "comments", "categories"})


class HexoReader:
    name = "hexo"

    def detect(self, text: str) -> bool:
        fm, body = split_front_matter(text)
        return fm is not None and len(HEXO_KEYS & fm.keys()) >= 2 and "<" in body[:2000]

    def read(self, text: str) -> list[RawArticle | SkipFile]:
        fm, body = split_front_matter(text)
        meta = meta_from(fm)
        return [
            RawArticle(
                body_html=body,
                title=meta.title,
                url=meta.url,
                byline=meta.byline,
                outlet_names=meta.outlet_names,
                dates=[meta.date] if meta.date else [],
                extra_urls=tuple(
                    str(fm.get(k)) for k in ("headimg", "thumbnail") if fm and fm.get(k)
                ),
            )
        ]
