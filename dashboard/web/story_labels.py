"""A story's label: a short headline and the sentence that best says what happened.

- The headline is the earliest report's title that is about the happening (it shares some
  rare wording with the representative sentence: an article that dates the happening in passing
  has a title about something else), without the outlet's name and section after a bar
  ("… | 政治 | 三立新闻网 SETN.COM") or a column tag in front ("【秘翻在线】…"), cut to
  HEADLINE_CHARS; when no title is, the representative sentence.
- The representative sentence is the one that shares the most wording with the story's other
  sentences (the medoid by bigram overlap, among the first REPRESENTATIVE_POOL distinct ones in
  report order): the first report often dates the happening in passing, the medoid says it.

The timeline's story markers, the chronology's story rows and the story page all show it.
Labels are worked out for the stories asked for, together (one sort of the events by story,
kept with the data), and kept with the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from dashboard.parsing.reposts import jaccard
from dashboard.parsing.store import CorpusData
from dashboard.parsing.story_weights import bundled_weights, sentence_bigrams
from dashboard.web.filters import cached
from dashboard.web.reports import in_report_order, report_times

HEADLINE_CHARS = 40
REPRESENTATIVE_POOL = 12
POOL_ROWS = 48  # a story's first events read for its distinct sentences
# An outlet's name or section after a bar or a spaced dash, and a column tag in front.
TITLE_TAIL = re.compile(r"\s*(?:[|｜]|\s[-–—]\s).*$")
TITLE_TAG = re.compile(r"^\s*【[^】]{1,12}】\s*")
MIN_HEADLINE = 6  # what is left after trimming must still say something
ABOUT = 2  # rare bigrams a title shares with the representative sentence to be about it


@dataclass(frozen=True)
class StoryLabel:
    headline: str
    sentence: str
    expression: str  # the dated expression in the sentence (to mark it)
    event: int  # the sentence's row in data.events


def short_headline(title: str, sentence: str = "", limit: int = HEADLINE_CHARS) -> str:
    """A title without its outlet tail or column tag, cut to ``limit`` characters."""
    text = " ".join((title or "").split())
    for pattern in (TITLE_TAIL, TITLE_TAG):
        trimmed = pattern.sub("", text)
        if len(trimmed) >= MIN_HEADLINE:
            text = trimmed
    if len(text) < MIN_HEADLINE:
        text = " ".join((sentence or "").split()) or text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def representative(sentences: list[str]) -> int:
    """The index of the sentence sharing the most bigrams with the others (the first of
    equals; the first sentence when there is one)."""
    grams = [frozenset(sentence_bigrams(s)) for s in sentences]
    best, score = 0, -1.0
    for i, mine in enumerate(grams):
        total = sum(jaccard(mine, other) for j, other in enumerate(grams) if j != i)
        if total > score:
            best, score = i, total
    return best


def story_labels(data: CorpusData, stories: Iterable[str]) -> dict[str, StoryLabel]:
    """The labels of some stories (ids that name no story are left out)."""
    kept: dict[str, StoryLabel] = cached(data, ("story-labels",), dict)
    wanted = [s for s in dict.fromkeys(stories) if s not in kept]
    if wanted:
        kept.update(_labels(data, wanted))
    return {s: kept[s] for s in stories if s in kept}


def story_label(data: CorpusData, story: str) -> StoryLabel | None:
    return story_labels(data, [story]).get(story)


def _story_rows(data: CorpusData) -> tuple[np.ndarray, np.ndarray]:
    """Event rows sorted by story code, and where each code's rows start (code c's rows are
    order[starts[c]:starts[c + 1]])."""

    def compute() -> tuple[np.ndarray, np.ndarray]:
        codes, ids = data.story_codes
        order = np.argsort(codes, kind="stable")
        starts = np.searchsorted(codes[order], np.arange(len(ids) + 1))
        return order, starts

    return cached(data, ("story-rows",), compute)


def _labels(data: CorpusData, stories: list[str]) -> dict[str, StoryLabel]:
    _, ids = data.story_codes
    order, starts = _story_rows(data)
    times = report_times(data)
    weights = bundled_weights()
    article_pos = data.events["article_pos"].to_numpy()
    # Per story: its events in report order (the first POOL_ROWS of them) and its first reports.
    # Their texts are fetched together below: a text column of the whole corpus as an array
    # costs a tenth of a second.
    wanted: list[tuple[str, list[int], list[int]]] = []
    for story in stories:
        if story not in ids:
            continue
        code = ids.get_loc(story)
        rows = order[starts[code] : starts[code + 1]]
        reports = in_report_order(times, np.unique(article_pos[rows]))
        rank = {int(p): n for n, p in enumerate(reports)}
        ordered = sorted(rows.tolist(), key=lambda r: (rank[int(article_pos[r])], r))
        wanted.append((story, ordered[:POOL_ROWS], reports[:REPRESENTATIVE_POOL].tolist()))
    event_rows = sorted({r for _, members, _ in wanted for r in members})
    article_rows = sorted({p for _, _, firsts in wanted for p in firsts})
    picked = data.events.iloc[event_rows]
    sentence_of = dict(zip(event_rows, picked["sentence"].astype(str).tolist(), strict=True))
    expression_of = dict(zip(event_rows, picked["expression"].astype(str).tolist(), strict=True))
    titles = data.articles["title"].iloc[article_rows].fillna("").astype(str).tolist()
    title_of = dict(zip(article_rows, titles, strict=True))
    labels: dict[str, StoryLabel] = {}
    for story, members, firsts in wanted:
        pool: dict[str, int] = {}  # one event per distinct sentence
        for r in members:
            pool.setdefault(sentence_of[r], r)
            if len(pool) == REPRESENTATIVE_POOL:
                break
        texts = list(pool)
        chosen = pool[texts[representative(texts)]]
        sentence = sentence_of[chosen]
        said = {g for g in sentence_bigrams(sentence) if weights.rare(g)}
        title = next(
            (
                title_of[p]
                for p in firsts
                if len(said & set(sentence_bigrams(title_of[p]))) >= ABOUT
            ),
            "",
        )
        labels[story] = StoryLabel(
            short_headline(title, sentence), sentence, expression_of[chosen], int(chosen)
        )
    return labels
