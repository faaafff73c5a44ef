"""Stories and reposts: one happening across outlets, and copies of one article.

A story joins mentioned events of different articles that fall on the same day and share what
they are about: at least two specific entities, or one and similar wording. Entities that most
articles mention (乌克兰 and 俄罗斯 in this corpus) are too common to tell happenings apart and
do not count. Matching is blocked by (day, entity) and each block is clustered against a few
representatives, so 10,000 articles group in seconds, not in a pairwise sweep.

A repost is an article that names another article of the corpus as its original (its
`repost_of` URL), or whose text is nearly the same as an earlier article's.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from itertools import pairwise

import pandas as pd

from dashboard.parsing.articles import Article
from dashboard.parsing.search import fold

GENERIC_SHARE = 0.5  # an entity in more than half of the articles is generic
MIN_SIMILARITY = 0.05  # bigram Jaccard (entity names removed) of two sentences, one entity
STRONG_SHARED = 3  # this many shared specific entities suffice without similar wording
# After a date: 讯】, 电, 專電 or a Reuters dash make it the report's dateline.
DATELINE_AFTER = re.compile(r"\s*(?:[讯訊]】?|[电電]|专电|專電|\s*[-－—])")
FULL_BLOCK = 150  # up to this many events, a (day, entity) block compares all pairs
MAX_COMPARED = 48  # beyond it, the members every event is compared with
REPOST_SIMILARITY = 0.6  # shingle Jaccard of two texts for a near-identical copy
SHINGLE = 5
PREFIX_BLOCK = 40  # articles are compared only when their first characters agree
# What str.isalnum rejects (\w is isalnum or "_"): one substitution instead of a loop per char.
NOT_ALNUM = re.compile(r"[\W_]+")


class _Forest:
    """Union-find over event positions."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def bigrams(text: str, names: re.Pattern[str] | None = None) -> frozenset[str]:
    """Character bigrams of a folded sentence without its entity names, punctuation or spaces:
    two sentences about one happening share wording, not just 乌克兰总统泽连斯基."""
    folded = fold(text)
    if names is not None:
        folded = names.sub(" ", folded)
    chars = [c for c in folded if c.isalnum() and not c.isdigit()]
    return frozenset(a + b for a, b in pairwise(chars))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)  # the union's size without building it: the same ratio, twice as fast
    return shared / (len(a) + len(b) - shared)


def generic_entities(article_entities: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """Entities most articles mention: they say what the corpus is about, not which happening."""
    counts: dict[str, int] = defaultdict(int)
    for entities in article_entities.values():
        for entity in set(entities):
            counts[entity] += 1
    limit = GENERIC_SHARE * max(len(article_entities), 1)
    return frozenset(e for e, n in counts.items() if n > limit and len(article_entities) >= 20)


def same_happening(
    entities_a: frozenset[str],
    entities_b: frozenset[str],
    words_a: frozenset[str],
    words_b: frozenset[str],
) -> bool:
    """The grouping rule for two events already known to fall on the same day."""
    shared = len(entities_a & entities_b)
    if shared >= STRONG_SHARED:
        return True
    return shared >= 1 and jaccard(words_a, words_b) >= MIN_SIMILARITY


def is_dateline(expression: str, sentence: str) -> bool:
    """Whether a date is the report's own dateline (【大纪元2022年03月24日讯】, 路透莫斯科1月18日 -,
    中央社…19日專電), which dates the report, not a happening."""
    at = sentence.find(expression)
    return at >= 0 and DATELINE_AFTER.match(sentence, at + len(expression)) is not None


def group_stories(
    events: pd.DataFrame, generic: frozenset[str], names: re.Pattern[str] | None = None
) -> list[str | None]:
    """A story id for each event (None when it is nobody else's happening)."""
    day = (events["kind"] == "mentioned") & (events["precision"] == "day")
    datelines = [
        is_dateline(e, s) for e, s in zip(events["expression"], events["sentence"], strict=True)
    ]
    rows = events.loc[day & ~pd.Series(datelines, index=events.index)]
    forest = _Forest(len(events))
    position = {label: n for n, label in enumerate(events.index)}
    specific = {
        i: frozenset(e for e in ents if e not in generic)
        for i, ents in zip(rows.index, rows["entities"], strict=True)
    }
    cache: dict[str, frozenset[str]] = {}  # one sentence is often in many copies of a report
    words = {
        i: cache.get(s) or cache.setdefault(s, bigrams(s, names))
        for i, s in zip(rows.index, rows["sentence"], strict=True)
    }
    blocks: dict[tuple[object, str], list[object]] = defaultdict(list)
    for i, day in zip(rows.index, rows["start"], strict=True):
        for entity in specific[i]:
            blocks[(day, entity)].append(i)
    for members in blocks.values():
        _cluster_block(members, specific, words, forest, position)
    return _story_ids(events, rows, forest, position)


def _cluster_block(
    members: list[object],
    specific: dict,
    words: dict,
    forest: _Forest,
    position: dict,  # type: ignore[type-arg]
) -> None:
    """Small blocks compare every pair. A large one (a summit day at 10,000 articles) compares
    each event with the first MAX_COMPARED of the block only, so the work stays linear."""
    seen: list[object] = []
    large = len(members) > FULL_BLOCK
    for i in members:
        for other in seen:
            if same_happening(specific[i], specific[other], words[i], words[other]):
                forest.union(position[i], position[other])
                if large:
                    break
        if not large or len(seen) < MAX_COMPARED:
            seen.append(i)


def _story_ids(
    events: pd.DataFrame, rows: pd.DataFrame, forest: _Forest, position: dict
) -> list[str | None]:  # type: ignore[type-arg]
    articles_of: dict[int, set[str]] = defaultdict(set)
    for i, article in zip(rows.index, rows["article"], strict=True):
        articles_of[forest.find(position[i])].add(article)
    ids: list[str | None] = [None] * len(events)
    names: dict[int, str] = {}
    for i, day in zip(rows.index, rows["start"], strict=True):
        root = forest.find(position[i])
        if len(articles_of[root]) < 2:
            continue  # a story is one happening reported by more than one article
        if root not in names:
            anchor = str(events["id"].iloc[root])
            digest = hashlib.blake2s(anchor.encode(), digest_size=3).hexdigest()
            names[root] = f"{pd.Timestamp(day):%Y-%m-%d}-{digest}"
        ids[position[i]] = names[root]
    return ids


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
