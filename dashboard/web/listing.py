"""The article list: every matching article reachable, a page at a time, in a useful order.

Newest first; when searching, by relevance: articles whose title holds a term first, then by
how often the terms occur in the text, then newest first. The page is in the address
(``page=``), so a page can be shared and the browser's back button returns to it; its
navigation is links (first, previous, next, last), reachable with Tab and Enter.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from dash import dcc, html

from dashboard.parsing.store import CorpusData
from dashboard.web.filters import Filters, Selection, cached, expanded_terms
from dashboard.web.labels import t
from dashboard.web.naming import chip, published_label, view_links

PAGE_SIZE = 50


def ordered(
    data: CorpusData, positions: np.ndarray, filters: Filters, stop: int | None = None
) -> np.ndarray:
    """Article rows (``positions``, in publication order) in the list's order: the first
    ``stop`` of them, or all. A search's order is kept with the search's other results, so the
    next page, or an article opened from the list, does not count the terms again; and it is
    worked out as far as asked: the articles with a term in the title (found through the
    titles' index) are counted first, the others only for a page beyond them."""
    newest = positions[::-1]
    if not filters.query or not len(positions):
        return newest[:stop]
    wanted = [term for group in expanded_terms(data, filters.query) for term in group]
    key = ("order", filters.rows.to_query())
    titled, rest = cached(data, (*key, "titled"), lambda: _titled_first(data, newest, wanted))
    if stop is not None and stop <= len(titled):
        return titled[:stop]
    counted = cached(data, (*key, "rest"), lambda: _by_count(data, rest, wanted))
    return np.concatenate([titled, counted])[:stop]


def _titled_first(
    data: CorpusData, newest: np.ndarray, wanted: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The rows whose title holds a term, by count, and the others, newest first."""
    in_title = np.zeros(len(data.titles), dtype=bool)
    for term in wanted:
        in_title[data.titles.holding(term)] = True
    chosen = in_title[newest]
    return _by_count(data, newest[chosen], wanted), newest[~chosen]


def _by_count(data: CorpusData, rows: np.ndarray, wanted: list[str]) -> np.ndarray:
    """Rows by how often the terms occur in their texts; a stable sort, so equal counts
    stay in the order given (newest first)."""
    counts = data.search.counts(rows, wanted)
    return rows[np.argsort(-counts, kind="stable")]


def pages(total: int, size: int | None = None) -> int:
    return max(1, -(-total // (size or PAGE_SIZE)))


def article_list(
    data: CorpusData, selection: Selection, filters: Filters, tz: str = "UTC"
) -> tuple[list[Any], list[Any]]:
    """One page of the matching articles, each a link that opens its panel, and the list's
    navigation (its page, the total, links to the other pages)."""
    lang = filters.lang
    total = len(selection.positions)
    if not total:
        return [html.Li(t("no_articles", lang), className="empty")], []
    page = min(filters.page, pages(total))
    rows = ordered(data, selection.positions, filters, page * PAGE_SIZE)[(page - 1) * PAGE_SIZE :]
    shown = data.articles[["outlet", "title", "published", "precision"]].iloc[rows]
    items = []
    ids = [str(i) for i in shown.index]
    # Rows as dicts (one conversion), not iterrows (a Series built per row).
    for article_id, href, row in zip(ids, view_links(filters, ids), shown.to_dict("records"),
                                     strict=True):  # fmt: skip
        current = " current" if article_id == filters.article else ""
        items.append(html.Li(dcc.Link(
            href=href, className="article-item" + current,
            children=[chip(data, row["outlet"], lang),
                      html.Time(published_label(row, tz), className="date"),
                      html.Span(row["title"], className="title")],
        )))  # fmt: skip
    return items, navigation(filters, page, total)


def navigation(
    filters: Filters,
    page: int,
    total: int,
    field: str = "page",
    size: int | None = None,
    summary_key: str = "list_summary",
    summary_id: str = "list-summary",
) -> list[Any]:
    """ "Articles 51–100 of 1,234 · page 2 of 25" and links to the first, previous, next and
    last pages (text, not links, where there is no such page); ``field`` is the filter that
    holds the page (the article list's ``page``, the chronology's ``cpage``)."""
    size = size or PAGE_SIZE
    lang, last = filters.lang, pages(total, size)
    first_row, last_row = (page - 1) * size + 1, min(page * size, total)
    summary = t(summary_key, lang).format(
        first=first_row, last=last_row, total=f"{total:,}", page=page, pages=last
    )
    links: list[Any] = [html.Span(summary, className="list-summary", id=summary_id)]
    for key, target in (("first_page", 1), ("previous_page", page - 1),
                        ("next_page", page + 1), ("last_page", last)):  # fmt: skip
        label = t(key, lang)
        if 1 <= target <= last and target != page:
            turn: dict[str, Any] = {field: target}
            href = replace(filters, **turn).to_query() or "?"
            links.append(dcc.Link(label, href=href, className=f"page-link {key}"))
        else:
            links.append(html.Span(label, className=f"page-link {key} disabled"))
    return links
