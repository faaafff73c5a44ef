"""Reposts: articles that are copies of another article of the corpus.

A repost is an article that names another article of the corpus as its original (its
`repost_of` URL), or whose text is nearly the same as an earlier article's: the two share
their first characters (the copy key, so only a few articles are ever compared) and most of
their five-character shingles.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime

from dashboard.parsing.articles import Article
from dashboard.parsing.search import fold

REPOST_SIMILARITY = 0.6  # shingle Jaccard of two texts for a near-identical copy
SHINGLE = 5
PREFIX_BLOCK = 40  # articles are compared only when their first characters agree
# What str.isalnum rejects (\w is isalnum or "_"): one substitution instead of a loop per char.
NOT_ALNUM = re.compile(r"[\W_]+")


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)  # the union's size without building it: the same ratio, twice as fast
    return shared / (len(a) + len(b) - shared)


def find_reposts(articles: Iterable[Article]) -> dict[str, str]:
    """Article id → id of the article it reposts, within the corpus."""
    records = list(articles)
    inputs = (
        (a.id, a.url, a.repost_of, a.published.instant, copy_key(a.text), n)
        for n, a in enumerate(records)
    )
    return find_reposts_of(inputs, lambda rows: [records[n].text for n in rows])


# id, url, repost_of, publication instant, copy key, and the row its text is fetched by
RepostInput = tuple[str, str | None, str | None, datetime, str | None, int]


def copy_key(text: str) -> str | None:
    """The first characters of a text as near copies share them (None for a short text):
    articles are compared only within one key."""
    key = NOT_ALNUM.sub("", fold(text[: PREFIX_BLOCK * 4]))
    return key[:PREFIX_BLOCK] if len(key) >= PREFIX_BLOCK else None


Known = Callable[[int, int], bool | None]  # (later row, first row) → decided before, or None


def find_reposts_of(
    records: Iterable[RepostInput],
    texts: Callable[[list[int]], list[str]],
    known: Known | None = None,
    decided: dict[int, tuple[int, bool]] | None = None,
) -> dict[str, str]:
    """``find_reposts`` over each article's (id, url, repost_of, instant, copy key, row);
    ``texts`` gives the texts of rows, asked only for articles that share a copy key and whose
    comparison ``known`` does not already hold; ``decided`` gets each comparison made or kept
    (later row → (first row, whether it is a copy))."""
    ordered = sorted(records, key=lambda r: (r[3], r[0]))
    by_url = {url: article_id for article_id, url, *_ in ordered if url}
    reposts: dict[str, str] = {}
    for article_id, _, original_url, *_ in ordered:
        original = by_url.get(original_url or "")
        if original and original != article_id:
            reposts[article_id] = original
    copies = _near_copies(ordered, texts, known or _unknown, {} if decided is None else decided)
    reposts.update({k: v for k, v in copies.items() if k not in reposts})
    return reposts


def _unknown(later: int, first: int) -> bool | None:
    return None


def _near_copies(
    ordered: list[RepostInput],
    texts: Callable[[list[int]], list[str]],
    known: Known,
    decided: dict[int, tuple[int, bool]],
) -> dict[str, str]:
    blocks: dict[str, list[RepostInput]] = defaultdict(list)
    for record in ordered:
        if record[4] is not None:
            blocks[record[4]].append(record)
    shared = [members for members in blocks.values() if len(members) > 1]
    for members in shared:
        first = members[0][5]
        for record in members[1:]:
            verdict = known(record[5], first)
            if verdict is not None:
                decided[record[5]] = (first, verdict)
    # Texts only for the comparisons not already decided (an update adds a few).
    wanted = {
        r[5] for m in shared if any(x[5] not in decided for x in m[1:]) for r in m
        if r is m[0] or r[5] not in decided
    }  # fmt: skip
    rows = sorted(wanted)
    text_of = dict(zip(rows, texts(rows), strict=True))
    copies: dict[str, str] = {}
    for members in shared:
        first_id, first = members[0][0], members[0][5]
        first_shingles: frozenset[str] | None = None
        for record in members[1:]:
            if record[5] not in decided:
                later_text, first_text = text_of[record[5]], text_of[first]
                same = later_text == first_text  # an exact copy needs no shingles
                if not same:
                    first_shingles = first_shingles or _shingles(first_text)
                    same = jaccard(first_shingles, _shingles(later_text)) >= REPOST_SIMILARITY
                decided[record[5]] = (first, same)
            if decided[record[5]][1]:
                copies[record[0]] = first_id
    return copies


def _shingles(text: str) -> frozenset[str]:
    chars = NOT_ALNUM.sub("", fold(text))
    return frozenset(chars[i : i + SHINGLE] for i in range(max(len(chars) - SHINGLE + 1, 1)))
