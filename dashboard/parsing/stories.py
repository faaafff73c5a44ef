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

from dashboard.parsing.story_weights import ENTITY, StoryWeights, bundled_weights

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

Vector = dict[str, float]


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


def event_vector(
    sentence: str, entities: Sequence[str], generic: frozenset[str], weights: StoryWeights
) -> Vector:
    """The unit vector of an event: the bigrams of its sentence, and its specific entities,
    each weighing about as much as a name's few bigrams: an entity counts whatever alias the
    report used (北约 or 北大西洋公约组织). Names stay among the bigrams too: without them, the
    reports of one crisis (all about 乌克兰 and 俄罗斯, too common to count as entities) keep
    too few words in common (on the labelled sample pairs, recall fell from 0.68 to 0.11)."""
    vector = weights.weighed(sentence)
    for entity in set(entities) - generic:
        vector[ENTITY + entity] = ENTITY_WEIGHT * weights.entity(entity)
    return _unit(vector, 1.0)


def _unit(vector: dict[str, float], length: float) -> Vector:
    norm = math.sqrt(sum(x * x for x in vector.values()))
    return {k: length * x / norm for k, x in vector.items()} if norm else {}


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(k, 0.0) for k, x in a.items())


class _Day:
    """The stories of one day as they grow: centroid sums, their squared norms, members, and
    for each rare feature, the stories holding it with its weight in their sums."""

    def __init__(self, rare: dict[str, bool]) -> None:
        self.rare = rare  # feature → whether it finds candidates (memoised across days)
        self.sums: list[dict[str, float]] = []
        self.norms2: list[float] = []
        self.members: list[list[int]] = []
        self.holding: dict[str, dict[int, float]] = defaultdict(dict)

    def _near(
        self, features: Mapping[str, float], norm2: float, floor: float, skip: int = -1
    ) -> list[tuple[float, int]]:
        """(cosine, story) of the stories within ``floor`` of a vector or centroid. The dot
        product over the rare features alone (added up through ``holding``, cheap) is at most
        the whole one, and ranks the candidates; the whole one is worked out only for those
        whose rare part already comes within half the floor."""
        partial: dict[int, float] = defaultdict(float)
        holding = self.holding
        for key, x in features.items():
            held = holding.get(key)  # .get: a key no story holds adds no empty entry
            if held:
                for story, y in held.items():
                    partial[story] += x * y
        partial.pop(skip, None)
        found = []
        for story, part in partial.items():
            scale = math.sqrt(norm2 * self.norms2[story])
            if part / scale >= floor / 2:
                score = _dot(features, self.sums[story]) / scale
                if score >= floor:
                    found.append((score, story))
        return found

    def nearest(self, vector: Vector) -> int:
        """The story an event joins (the lowest of equals), or -1 for a story of its own."""
        found = self._near(vector, 1.0, JOIN)
        return max(found, key=lambda f: (f[0], -f[1]))[1] if found else -1

    def add(self, row: int, vector: Vector, story: int, weight: float = 1.0) -> int:
        """Add an event to a story (-1: a story of its own), counting ``weight`` in its
        centroid; the story it is in."""
        if story < 0:
            story = len(self.sums)
            self.sums.append({})
            self.norms2.append(0.0)
            self.members.append([])
        total = self.sums[story]
        # |s + wv|² with |v| = 1
        self.norms2[story] += 2 * weight * _dot(vector, total) + weight * weight
        for key, x in vector.items():
            total[key] = total.get(key, 0.0) + weight * x
            if self.rare[key]:
                self.holding[key][story] = total[key]
        self.members[story].append(row)
        return story

    def merge_all(self) -> None:
        """Merge stories whose centroids are within MERGE, nearest pairs first, round after
        round, until no two are."""
        near: dict[tuple[int, int], float] = {}  # pairs within MERGE, kept while both last
        # Two events that are still alone were compared when the later one came, and were
        # below JOIN (so below MERGE): only stories that grew can have come within MERGE.
        changed = {s for s, m in enumerate(self.members) if len(m) > 1}
        while changed:
            # Only pairs with a story that changed last round can have come within MERGE.
            for story in sorted(changed):
                for score, other in self._near(self.sums[story], self.norms2[story], MERGE, story):
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
            if self.rare[key]:
                holders = self.holding[key]
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
    rare = weights.finds
    ids: list[str | None] = [None] * len(events)
    vectors: dict[tuple[str, tuple[str, ...]], Vector] = {}
    for day, rows in by_day.items():
        grouped = _Day(rare)
        placed: dict[tuple[str, tuple[str, ...]], int] = {}
        for row in rows:
            key = (sentences[row], entities[row])  # copies of a report: one vector
            vector = vectors.get(key) or vectors.setdefault(
                key, event_vector(sentences[row], entities[row], generic, weights)
            )
            if vector:
                # A copy of a sentence already placed today joins its story: the same words
                # on the same day are the same happening (and need no search).
                story = placed[key] if key in placed else grouped.nearest(vector)
                weight = 1.0 if _in_lead(offsets[row]) else BACKGROUND
                placed[key] = grouped.add(row, vector, story, weight)
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
