"""Stories: one happening across articles and outlets.

A story joins mentioned events of different articles that fall on the same day and whose
sentences say the same thing. Each event is a vector: the character bigrams of its sentence
and its specific entities, each weighed by how rare it is in Chinese news (`story_weights`),
so that 直播 or 水炮 count and 表示 or 美国 hardly do. Entities most articles of the corpus
mention (乌克兰 and 俄罗斯 in the bundled one) are too common to tell happenings apart and do
not count.

Within a day, events join stories one by one: an event joins the story whose centroid (the sum
of its members' vectors, a mention past the article's lead counting half) is nearest, when
that is near enough (JOIN), and starts a story of its own otherwise; then stories whose
centroids are near enough (MERGE) merge, nearest first, until none are. An event is compared
with a story as a whole, never with one member only, so two events that would never match
cannot end in one story through a chain of others between them (what single-link merging
did, joining the NBA's restart, a press review and a consulate closure because each pair of
neighbours shared a word). Candidates are found through the rare features only (an inverted
index per day), so the work stays near linear in the events.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from dashboard.parsing.story_weights import CHUNK, StoryWeights, bundled_weights

GENERIC_SHARE = 0.5  # an entity in more than half of the articles is generic
JOIN = 0.2  # cosine of an event and a story's centroid for the event to join the story
MERGE = 0.2  # cosine of two stories' centroids (of one day) for them to merge; ≥ JOIN
ENTITY_WEIGHT = 3.0  # an entity against its rarity, as a name's few bigrams would weigh
# A mention in an article's lead (its first LEAD characters) is what the article is about; a
# later one is often background ("在去年11月3日的大选中败给…"), and weighs less in its story's
# centroid, so that what a story is about is said by the reports about it.
LEAD = 300
BACKGROUND = 0.5
# After a date: 讯】, 电, 專電 or a Reuters dash make it the report's dateline.
DATELINE_AFTER = re.compile(r"\s*(?:[讯訊]】?|[电電]|专电|專電|\s*[-－—])")

Vector = dict[int, float]
# A vector's rare features (those that find candidates), and their values.
Rare = tuple[list[int], list[float]]


def generic_entities(article_entities: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """Entities most articles mention: they say what the corpus is about, not which happening."""
    counts: dict[str, int] = defaultdict(int)
    for entities in article_entities.values():
        for entity in set(entities):
            counts[entity] += 1
    limit = GENERIC_SHARE * max(len(article_entities), 1)
    return frozenset(e for e, n in counts.items() if n > limit and len(article_entities) >= 20)


def is_dateline(expression: str, sentence: str) -> bool:
    """Whether a date is the report's own dateline (【大纪元2022年03月24日讯】, 路透莫斯科1月18日 -,
    中央社…19日專電), which dates the report, not a happening."""
    at = sentence.find(expression)
    return at >= 0 and DATELINE_AFTER.match(sentence, at + len(expression)) is not None


def event_vectors(
    keys: Sequence[tuple[str, tuple[str, ...]]], generic: frozenset[str], weights: StoryWeights
) -> list[tuple[Vector, Rare]]:
    """The unit vector of each event (its sentence and entities), with its rare features (those
    that find candidates). Features are the bigrams of the sentence (`bigram_code`) and the
    specific entities (negative numbers), each entity weighing about as much as a name's few
    bigrams: it counts whatever alias the report used (北约 or 北大西洋公约组织). Names stay
    among the bigrams too: without them, the reports of one crisis (all about 乌克兰 and 俄罗斯,
    too common to count as entities) keep too few words in common (on the labelled sample
    pairs, recall fell from 0.68 to 0.11)."""
    numbers: dict[str, int] = {}  # entity → its feature, negative, so never a bigram's code
    found: list[tuple[Vector, Rare]] = []
    for first in range(0, len(keys), CHUNK):
        chunk = keys[first : first + CHUNK]
        weighed = weights.weigh_all([sentence for sentence, _ in chunk])
        named = [
            [
                (
                    -1 - numbers.setdefault(entity, len(numbers)),
                    ENTITY_WEIGHT * weights.entity(entity),
                )
                for entity in sorted(set(entities) - generic)
            ]
            for _, entities in chunk
        ]
        sizes = np.diff(weighed.bounds)
        norm2 = np.bincount(np.repeat(np.arange(len(chunk)), sizes), weighed.weights**2, len(chunk))
        norm2 += np.array([sum(x * x for _, x in extra) for extra in named])
        norm = np.sqrt(np.where(norm2 > 0, norm2, 1.0))
        values = weighed.weights / np.repeat(norm, sizes)
        # Each sentence's rare bigrams, as their own runs: a vector's rare features come as
        # slices, not picked out one by one.
        rare_at = np.flatnonzero(weighed.rare)
        rare_bounds = np.searchsorted(rare_at, weighed.bounds).tolist()
        codes, scaled = weighed.codes.tolist(), values.tolist()
        rare_codes, rare_values = weighed.codes[rare_at].tolist(), values[rare_at].tolist()
        bounds, norms, empty = weighed.bounds.tolist(), norm.tolist(), (norm2 == 0).tolist()
        for i, extra in enumerate(named):
            if empty[i]:
                found.append(({}, ([], [])))
                continue
            run = slice(bounds[i], bounds[i + 1])
            vector = dict(zip(codes[run], scaled[run], strict=True))
            span = slice(rare_bounds[i], rare_bounds[i + 1])
            picked = (rare_codes[span], rare_values[span])
            for feature, x in extra:
                vector[feature] = x / norms[i]
                picked[0].append(feature)
                picked[1].append(x / norms[i])
            found.append((vector, picked))
    return found


def _dot(a: Mapping[int, float], b: Mapping[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(k, 0.0) for k, x in a.items())


class _Day:
    """The stories of one day as they grow: centroid sums, their squared norms, members, and
    for each rare feature, the stories holding it with its weight in their sums."""

    def __init__(self) -> None:
        self.sums: list[dict[int, float]] = []
        self.norms2: list[float] = []
        self.members: list[list[int]] = []
        self.holding: dict[int, dict[int, float]] = defaultdict(dict)

    def _near(
        self,
        rare: Rare,
        features: Mapping[int, float],
        norm2: float,
        floor: float,
        skip: int = -1,
    ) -> list[tuple[float, int]]:
        """(cosine, story) of the stories within ``floor`` of a vector or centroid, given its
        rare features (``rare``) and all of them. The dot product over the rare features
        alone (added up through ``holding``, cheap) is at most the whole one, and ranks the
        candidates; the whole one is worked out only for those whose rare part already comes
        within half the floor."""
        partial: dict[int, float] = defaultdict(float)
        holding = self.holding
        for key, x in zip(*rare, strict=True):
            held = holding.get(key)  # .get: a key no story holds adds no empty entry
            if held:
                for story, y in held.items():
                    partial[story] += x * y
        partial.pop(skip, None)
        found = []
        norms2, sums = self.norms2, self.sums
        for story, part in partial.items():
            scale = math.sqrt(norm2 * norms2[story])
            if part / scale >= floor / 2:
                score = _dot(features, sums[story]) / scale
                if score >= floor:
                    found.append((score, story))
        return found

    def nearest(self, vector: Vector, rare: Rare) -> int:
        """The story an event joins (the lowest of equals), or -1 for a story of its own."""
        found = self._near(rare, vector, 1.0, JOIN)
        return max(found, key=lambda f: (f[0], -f[1]))[1] if found else -1

    def add(
        self,
        row: int,
        vector: Vector,
        rare: Rare,
        story: int,
        weight: float = 1.0,
    ) -> int:
        """Add an event (its vector and the vector's rare features) to a story (-1: a story of
        its own), counting ``weight`` in its centroid; the story it is in."""
        holding = self.holding
        if story < 0:  # most events start a story: its sum is the vector, |wv|² = w²
            story = len(self.sums)
            start = dict(vector) if weight == 1.0 else {k: weight * x for k, x in vector.items()}
            self.sums.append(start)
            self.norms2.append(weight * weight)
            self.members.append([row])
            for key in rare[0]:
                holding[key][story] = start[key]
            return story
        total = self.sums[story]
        # |s + wv|² with |v| = 1
        self.norms2[story] += 2 * weight * _dot(vector, total) + weight * weight
        get = total.get
        for key, x in vector.items():
            total[key] = get(key, 0.0) + weight * x
        for key in rare[0]:
            holding[key][story] = total[key]
        self.members[story].append(row)
        return story

    def merge_all(self) -> None:
        """Merge stories whose centroids are within MERGE, nearest pairs first, round after
        round, until no two are."""
        near: dict[tuple[int, int], float] = {}  # pairs within MERGE, kept while both last
        # Two events that are still alone were compared when the later one came, and were
        # below JOIN (so below MERGE): only stories that grew can have come within MERGE.
        changed = {s for s, m in enumerate(self.members) if len(m) > 1}
        holding = self.holding  # its keys: the rare features of the day's stories
        while changed:
            # Only pairs with a story that changed last round can have come within MERGE.
            for story in sorted(changed):
                total = self.sums[story]
                held = [k for k in total if k in holding]
                rare = (held, [total[k] for k in held])
                for score, other in self._near(rare, total, self.norms2[story], MERGE, story):
                    near[(min(story, other), max(story, other))] = score
            changed = set()
            for (story, other), _ in sorted(near.items(), key=lambda p: (-p[1], p[0])):
                if story not in changed and other not in changed:
                    self._absorb(story, other)
                    changed |= {story, other}
            near = {p: s for p, s in near.items() if not set(p) & changed}
            changed = {s for s in changed if self.members[s]}

    def _absorb(self, story: int, other: int) -> None:
        total, gone = self.sums[story], self.sums[other]
        self.norms2[story] += 2 * _dot(total, gone) + self.norms2[other]
        for key, x in gone.items():
            total[key] = total.get(key, 0.0) + x
            holders = self.holding.get(key)
            if holders is not None:
                del holders[other]
                holders[story] = total[key]
        self.members[story].extend(self.members[other])
        self.sums[other], self.members[other], self.norms2[other] = {}, [], 0.0

    def stories(self) -> list[list[int]]:
        return [sorted(m) for m in self.members if m]


def group_stories(
    events: pd.DataFrame, generic: frozenset[str], weights: StoryWeights | None = None
) -> list[str | None]:
    """A story id for each event (None when it is nobody else's happening). Only mentions
    dated to a day count; a report's own dateline dates the report, not a happening."""
    weights = weights or bundled_weights()
    # The story rows alone, taken out once: a tenth to a third of the events.
    picked = np.flatnonzero(
        (events["kind"] == "mentioned").to_numpy() & (events["precision"] == "day").to_numpy()
    )
    chosen = events.iloc[picked]
    expressions, sentences = chosen["expression"].tolist(), chosen["sentence"].tolist()
    starts, articles = chosen["start"].tolist(), chosen["article"].tolist()
    entities = [tuple(e) for e in chosen["entities"]]
    offsets = chosen["offset"].tolist() if "offset" in chosen else [None] * len(chosen)
    event_ids = chosen["id"].tolist()
    by_day: dict[object, list[int]] = defaultdict(list)
    for row, (expression, sentence) in enumerate(zip(expressions, sentences, strict=True)):
        if not is_dateline(expression, sentence):
            by_day[starts[row]].append(row)
    ids: list[str | None] = [None] * len(events)
    # Copies of a report share one vector.
    keys = list(
        dict.fromkeys((sentences[row], entities[row]) for rows in by_day.values() for row in rows)
    )
    vectors = dict(zip(keys, event_vectors(keys, generic, weights), strict=True))
    for day, rows in by_day.items():
        grouped = _Day()
        placed: dict[tuple[str, tuple[str, ...]], int] = {}
        for row in rows:
            key = (sentences[row], entities[row])
            vector, rare = vectors[key]
            if vector:
                # A copy of a sentence already placed today joins its story: the same words
                # on the same day are the same happening (and need no search).
                story = placed[key] if key in placed else grouped.nearest(vector, rare)
                weight = 1.0 if _in_lead(offsets[row]) else BACKGROUND
                placed[key] = grouped.add(row, vector, rare, story, weight)
        grouped.merge_all()
        for members in grouped.stories():
            if len({articles[r] for r in members}) < 2:
                continue  # a story is one happening reported by more than one article
            digest = hashlib.blake2s(str(event_ids[members[0]]).encode(), digest_size=3)
            name = f"{pd.Timestamp(day):%Y-%m-%d}-{digest.hexdigest()}"
            for r in members:
                ids[int(picked[r])] = name
    return ids


def _in_lead(offset: object) -> bool:
    """Whether a mention is in its article's lead (one whose place is unknown counts as one)."""
    if isinstance(offset, int | float) and offset == offset:  # NaN is not equal to itself
        return offset < LEAD
    return True
