"""How an article is named on screen: its outlet's name and chip, its publication at its
precision, and the address of the view with it open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote_plus

import pandas as pd
from dash import dcc, html

from dashboard.parsing.store import CorpusData
from dashboard.web.filters import Filters


def outlet_name(data: CorpusData, key: str, lang: str) -> str:
    info = data.outlets.get(key)
    if info is None:
        return key
    return info.name_zh if lang == "zh" else info.name_en


def view_link(filters: Filters, article: str, event: str | None = None) -> str:
    """The address of this view with an article (and event) open."""
    return replace(filters, article=article, event=event).to_query()


_SLOT = "\0"  # stands for the article in a view's address: written %00, as nothing else is


def view_links(filters: Filters, articles: Sequence[str]) -> list[str]:
    """view_link of each article: the view's address written once, each article put in its
    place (written out again for each of a list's fifty, it took milliseconds)."""
    address = replace(filters, article=_SLOT, event=None).to_query()
    if address.count("%00") != 1:  # another value holds a NUL: written out one by one
        return [view_link(filters, article) for article in articles]
    before, _, after = address.partition("%00")
    return [
        before + quote_plus(article, safe=",") + after if article else view_link(filters, article)
        for article in articles
    ]


def published_label(row: Any, tz: str = "UTC") -> str:
    """A publication date at its precision: a time (in the display zone) only when one is known."""
    when: pd.Timestamp = row["published"]
    if row["precision"] in ("second", "minute"):
        return f"{when.tz_convert(tz):%Y-%m-%d %H:%M %Z}"
    by_precision = {"month": f"{when:%Y-%m}", "year": f"{when:%Y}"}
    return by_precision.get(row["precision"], f"{when:%Y-%m-%d}")


def article_link(data: CorpusData, article_id: str, filters: Filters) -> Any:
    """A link that opens an article, named by its outlet and title."""
    row = data.articles.loc[article_id]
    label = f"{outlet_name(data, row['outlet'], filters.lang)} · {row['title']}"
    return dcc.Link(label, href=view_link(filters, article_id), className="link-button")


def chip(data: CorpusData, outlet: str, lang: str) -> html.Span:
    return html.Span(
        outlet_name(data, outlet, lang),
        className="chip",
        style={"borderColor": data.outlets[outlet].color},
    )


def marked_excerpt(sentence: str, expression: str, width: int = 80) -> list[Any]:
    """A sentence (cut to ``width`` characters on each side of its expression, … where cut)
    with the expression marked; the sentence alone when it does not hold the expression."""
    at = sentence.find(expression) if expression else -1
    if at < 0:
        short = sentence if len(sentence) <= 2 * width else sentence[: 2 * width] + "…"
        return [short]
    lo, hi = max(at - width, 0), min(at + len(expression) + width, len(sentence))
    return [
        ("…" if lo else "") + sentence[lo:at],
        html.Mark(expression),
        sentence[at + len(expression) : hi] + ("…" if hi < len(sentence) else ""),
    ]
