"""The stages that work across articles (ids, learnt entities, stories, reposts), on the cache's
columns and incrementally: after a few files change, only what they can touch is worked out
again, and the result is the one a fresh build of the whole corpus gives.

- Ids are made unique in corpus order (cheap; always redone).
- Entities are learnt from every article's (name, original) pairs, found once per file by the
  workers (cheap; always redone). An article's mentions are found again only when it is new or
  renamed, or its folded text holds a name whose entity changed.
- Stories never cross a day (each day is grouped on its own, with weights that do not move
  with the corpus), so only the days of events that were added, removed or changed are
  grouped again, or every day when the generic entities change.
- Reposts are redone over the whole corpus (a URL map and blocks by copy key, linear); a
  near-copy comparison of two unchanged articles is kept from the last build, so only new
  pairs read texts and compare shingles.

Finding mentions and grouping stories run as tasks on the build's engine when there are enough
of them to pay for sending a worker the entity index; a few run here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd

from dashboard.parsing.corpus import unique_id
from dashboard.parsing.engines import Engine, InProcess, chunks
from dashboard.parsing.entities import Entity, EntityIndex, entities_of, names_index
from dashboard.parsing.faults import Degraded, guard
from dashboard.parsing.reposts import RepostInput, find_reposts_of
from dashboard.parsing.stories import generic_entities, group_stories
from dashboard.parsing.story_weights import weights_held

T = TypeVar("T")
CORPUS = "(corpus)"  # the path of a report line about a stage that works across articles
Key = tuple[str, str, int]  # (file, content hash, article number in the file)


@dataclass
class Previous:
    """What the last build worked out, by article key (absent on a first build)."""

    aliases: dict[str, str]  # folded alias → entity id
    article_entities: dict[Key, list[str]]
    final_ids: dict[Key, str]
    # Per article, its events' entities and stories (in the article's event order), and the
    # days its stories could be on.
    event_entities: dict[Key, list[list[str]]]
    stories: dict[Key, list[str | None]]
    days: dict[Key, set[object]]
    near: dict[Key, tuple[Key, bool]]  # near-copy comparisons made (Linked.near)
    # The keys of its articles whose folded text holds one of some folded names.
    holding: Callable[[Sequence[str]], set[Key]]


@dataclass
class Linked:
    """What the stages give, in the order of the live articles and events."""

    final_ids: list[str]
    # Per article sharing a copy key with an earlier one: (that article, whether it is a copy).
    near: list[tuple[Key, bool] | None]
    entities: list[Entity]
    article_entities: list[list[str]]
    reposts: list[str | None]  # final id of the article each one reposts
    event_ids: list[str]
    event_articles: list[str]
    event_entities: list[list[str]]
    stories: list[str | None]
    refound: int  # articles whose mentions were found (again)
    regrouped_days: int
    all_days: int


Columns = dict[str, list[Any]]
# Articles per mentions task, event rows per stories task: a task is worth its round trip, and
# there are enough to keep every worker busy.
MENTION_BATCH = 500
# Up to this many articles, mentions are found by walking the alias trie here: compiling the
# pattern costs more than walking a few hundred texts (entities.EntityIndex.walk).
WALK_UP_TO = 300
STORY_BATCH = 4000
# Up to this many story rows group here: a worker would first read the story weights (0.3 s)
# and build its memo of them, longer than grouping a few rows takes. Workers forked from a
# process that holds the weights already (cache.update reads them first) are worth a task of
# far fewer rows.
STORIES_HERE = 20_000
STORIES_HERE_FORKED = 1_500
# Tasks of at least this many rows, when they are made smaller to share the work out evenly.
STORY_TASK_FLOOR = 500


@dataclass(frozen=True)
class MentionsBatch:
    """Articles whose mentions to find: each one's folded text and its events' sentences."""

    index: EntityIndex
    articles: tuple[tuple[str, str, tuple[str, ...]], ...]  # (path, folded text, sentences)


def mentions_batch(batch: MentionsBatch) -> list[tuple[list[str], list[list[str]], list[Degraded]]]:
    """The entities each article and each of its events' sentences mention (a task)."""
    return [_mentions(batch.index, *article) for article in batch.articles]


def _mentions(
    index: EntityIndex, path: str, text: str, sentences: tuple[str, ...]
) -> tuple[list[str], list[list[str]], list[Degraded]]:
    notes: list[Degraded] = []

    def none_per_event() -> list[list[str]]:
        return [[] for _ in sentences]

    found = guard("entities", path, notes, lambda: index.find(text, True), _no_ids)
    per_event = guard(
        "entities", path, notes, lambda: entities_of(index, sentences), none_per_event
    )
    return found, per_event, notes


@dataclass(frozen=True)
class StoriesBatch:
    """The story rows of whole days, in corpus order (stories never cross a day)."""

    frame: pd.DataFrame
    generic: frozenset[str]


def stories_batch(batch: StoriesBatch) -> tuple[list[str | None], list[Degraded]]:
    """The story of each row (a task)."""
    notes: list[Degraded] = []
    rows = batch.frame

    def no_stories() -> list[str | None]:
        return [None] * len(rows)

    stories = guard(
        "stories",
        CORPUS,
        notes,
        lambda: group_stories(rows, batch.generic),
        no_stories,
    )
    return stories, notes


@dataclass
class _Rows:
    """How articles and events line up, and what the last build left, for the stages."""

    keys: list[Key]
    final_ids: list[str]
    touched: list[bool]  # whose mentions (and stories' days) must be worked out again
    event_pos: list[int]  # the article row of each event
    first_event: list[int]  # article n's events are rows first_event[n]:first_event[n + 1]
    previous: Previous | None
    run: Engine
    notes: list[Degraded]

    def events_of(self, n: int) -> slice:
        return slice(self.first_event[n], self.first_event[n + 1])

    def kept(self) -> Iterable[tuple[int, Key, slice]]:
        """(row, key, its events) of each article whose last-build results still hold."""
        if self.previous is None:
            return
        for n, key in enumerate(self.keys):
            if not self.touched[n]:
                yield n, key, self.events_of(n)


def link(
    articles: Columns,
    events: Columns,
    previous: Previous | None,
    notes: list[Degraded],
    texts: Callable[[list[int]], list[str]],
    engine: Engine | None = None,
) -> Linked:
    """The cross-article stages. ``articles`` has file, hash, n, id, source_path, url,
    repost_of, published_instant (microseconds since the epoch, UTC), folded, names and
    copy_key; ``events`` has file, hash, n, id, article, kind, precision, start
    (microseconds since the epoch), expression and sentence; both in corpus order;
    ``texts`` gives the texts of article rows (asked for near-copy candidates only).
    Finding mentions and grouping stories run as tasks on ``engine`` (default: here)."""
    keys: list[Key] = list(zip(articles["file"], articles["hash"], articles["n"], strict=True))
    taken: set[str] = set()
    final_ids = [
        unique_id(i, p, taken, notes)
        for i, p in zip(articles["id"], articles["source_path"], strict=True)
    ]
    names = articles["names"]
    index = guard(
        "entities", CORPUS, notes, lambda: names_index(_pairs(n) for n in names),
        lambda: names_index(()),
    )  # fmt: skip
    touched = _touched(previous, keys, final_ids, index)
    position = {key: n for n, key in enumerate(keys)}
    event_pos = [position[k] for k in zip(events["file"], events["hash"], events["n"], strict=True)]
    rows = _Rows(
        keys, final_ids, touched, event_pos, _first_rows(event_pos, len(keys)), previous,
        engine or InProcess(), notes,
    )  # fmt: skip
    old_ids = articles["id"]
    event_ids = [
        final_ids[p] + e[len(old_ids[p]) :] if final_ids[p] != old_ids[p] else e
        for p, e in zip(event_pos, events["id"], strict=True)
    ]
    event_articles = [final_ids[p] for p in event_pos]
    article_entities, event_entities = _all_mentions(rows, articles, events["sentence"], index)
    generic = generic_entities(dict(zip(final_ids, article_entities, strict=True)))
    columns = {"id": event_ids, "article": event_articles, "kind": events["kind"],
               "precision": events["precision"], "start": events["start"],
               "expression": events["expression"], "sentence": events["sentence"],
               "offset": events["offset"], "entities": event_entities}  # fmt: skip
    stories, regrouped, all_days = _all_stories(rows, columns, generic)
    reposts, near = _reposts(rows, articles, texts)
    return Linked(
        final_ids=final_ids,
        near=near,
        entities=list(index.entities.values()),
        article_entities=article_entities,
        reposts=[reposts.get(i) for i in final_ids],
        event_ids=event_ids,
        event_articles=event_articles,
        event_entities=event_entities,
        stories=stories,
        refound=sum(touched),
        regrouped_days=regrouped,
        all_days=all_days,
    )


def _all_mentions(
    rows: _Rows, articles: Columns, sentences: list[str], index: EntityIndex
) -> tuple[list[list[str]], list[list[str]]]:
    """The entities of each article and each event: found for touched articles (as tasks),
    kept from the last build for the others."""
    article_entities: list[list[str]] = [[] for _ in rows.keys]
    event_entities: list[list[str]] = [[] for _ in sentences]
    again = [n for n, t in enumerate(rows.touched) if t]
    folded, paths = articles["folded"], articles["source_path"]
    inputs = ((paths[n], folded[n], tuple(sentences[rows.events_of(n)])) for n in again)
    index.walk = len(again) <= WALK_UP_TO
    if again and not index.walk:  # compiled here, once: pickled with the index, a worker
        _ = index.pattern  # reuses it (otherwise every task rebuilt the 7,000-alias trie)
    batches = (MentionsBatch(index, chunk) for chunk in chunks(inputs, MENTION_BATCH))
    engine = _where(rows.run, -(-len(again) // MENTION_BATCH))
    results = (r for batch in engine.map(mentions_batch, batches) for r in batch)
    for n, (found, per_event, found_notes) in zip(again, results, strict=True):
        article_entities[n] = found
        _put(event_entities, rows.events_of(n), per_event)
        rows.notes.extend(found_notes)
    for n, key, events in rows.kept():
        assert rows.previous is not None
        article_entities[n] = rows.previous.article_entities[key]
        _put(event_entities, events, rows.previous.event_entities.get(key, []))
    return article_entities, event_entities


def _all_stories(
    rows: _Rows, columns: dict[str, list[Any]], generic: frozenset[str]
) -> tuple[list[str | None], int, int]:
    """The story of each event, the days grouped (again) and the days with story rows."""
    story_day = [
        k == "mentioned" and p == "day"
        for k, p in zip(columns["kind"], columns["precision"], strict=True)
    ]
    starts = columns["start"]  # microseconds since the epoch: a day is its midnight's
    all_days = {d for d, s in zip(starts, story_day, strict=True) if s}
    days = _days_to_group(rows, starts, story_day, generic)
    regroup = all_days if days is None else days & all_days
    stories: list[str | None] = [None] * len(starts)
    if days is not None:  # every day regrouped: nothing to keep
        for _, key, events in rows.kept():
            assert rows.previous is not None
            _put(stories, events, rows.previous.stories.get(key, []))
    rows_by_day: dict[object, list[int]] = {}
    for i, (s, d) in enumerate(zip(story_day, starts, strict=True)):
        if s and d in regroup:
            rows_by_day.setdefault(d, []).append(i)
    for kept, (grouped, found_notes) in _grouped(rows_by_day, columns, generic, rows.run):
        for i, story in zip(kept, grouped, strict=True):
            stories[i] = story
        rows.notes.extend(found_notes)
    return stories, len(regroup), len(all_days)


def _reposts(
    rows: _Rows, articles: Columns, texts: Callable[[list[int]], list[str]]
) -> tuple[dict[str, str], list[tuple[Key, bool] | None]]:
    """Reposts by final id, and each article's near-copy comparison (kept from the last build
    when both articles are unchanged)."""
    decided: dict[int, tuple[int, bool]] = {}
    keys, previous = rows.keys, rows.previous

    def known(later: int, first: int) -> bool | None:
        before = previous.near.get(keys[later]) if previous is not None else None
        return before[1] if before is not None and before[0] == keys[first] else None

    inputs = _repost_inputs(articles, rows.final_ids)
    reposts = guard(
        "reposts", CORPUS, rows.notes,
        lambda: find_reposts_of(inputs, texts, known, decided), _no_reposts,
    )  # fmt: skip
    near: list[tuple[Key, bool] | None] = [None] * len(keys)
    for later, (first, same) in decided.items():
        near[later] = (keys[first], same)
    return reposts, near


def _touched(
    previous: Previous | None,
    keys: Sequence[Key],
    final_ids: Sequence[str],
    index: EntityIndex,
) -> list[bool]:
    """Whether each article's mentions must be found (again): new, renamed, or holding a name
    whose entity changed."""
    if previous is None:
        return [True] * len(keys)
    touched = [
        key not in previous.article_entities or previous.final_ids.get(key) != final
        for key, final in zip(keys, final_ids, strict=True)
    ]
    changed = _changed_aliases(previous.aliases, index)
    if changed:  # unchanged texts: the last build's search index says which hold the names
        holding = previous.holding(sorted(changed))
        touched = [t or key in holding for t, key in zip(touched, keys, strict=True)]
    return touched


def _first_rows(event_pos: Sequence[int], articles: int) -> list[int]:
    """For article n, its events are rows first[n]:first[n + 1]."""
    counts = [0] * (articles + 1)
    for p in event_pos:
        counts[p + 1] += 1
    for n in range(articles):
        counts[n + 1] += counts[n]
    return counts


def day_tasks(rows_by_day: dict[object, list[int]], workers: int = 1) -> list[list[int]]:
    """Story rows in tasks of whole days, in corpus order: about STORY_BATCH rows each, or
    fewer so that ``workers`` get two tasks each at least (a few busy days regrouped after an
    update came to three tasks for two workers)."""
    total = sum(map(len, rows_by_day.values()))
    size = min(STORY_BATCH, max(-(-total // (2 * workers)), STORY_TASK_FLOOR))
    tasks: list[list[int]] = []
    current: list[int] = []
    for day in sorted(rows_by_day):  # type: ignore[type-var]
        current.extend(rows_by_day[day])
        if len(current) >= size:
            tasks.append(sorted(current))
            current = []
    if current:
        tasks.append(sorted(current))
    return tasks


def _grouped(
    rows_by_day: dict[object, list[int]],
    columns: dict[str, list[Any]],
    generic: frozenset[str],
    run: Engine,
) -> Iterable[tuple[list[int], tuple[list[str | None], list[Degraded]]]]:
    """Stories of the story rows of each day, whole days per task (a frame of only those
    rows: the whole corpus's events as one frame cost more than grouping a few days)."""
    rows = sum(map(len, rows_by_day.values()))
    here = STORIES_HERE_FORKED if getattr(run, "forked", False) and weights_held() else STORIES_HERE
    engine = run if rows > here else InProcess()
    tasks = day_tasks(rows_by_day, engine.workers)
    batches = (StoriesBatch(_rows_frame(columns, rows), generic) for rows in tasks)
    return zip(tasks, engine.map(stories_batch, batches), strict=True)


def _rows_frame(columns: dict[str, list[Any]], rows: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame({name: [values[i] for i in rows] for name, values in columns.items()})
    frame["start"] = pd.to_datetime(frame["start"], unit="us")
    return frame


def _where(engine: Engine, tasks: int) -> Engine:
    """The engine for ``tasks`` tasks: a handful run here, sooner than a worker would be sent
    the entity index and compile its pattern (a second or more per worker)."""
    return engine if tasks > 2 * engine.workers else InProcess()


def _no_ids() -> list[str]:
    return []


def _no_reposts() -> dict[str, str]:
    return {}


def _pairs(value: object) -> list[tuple[str, str]]:
    return [(str(p[0]), str(p[1])) for p in (value if value is not None else ()) if len(p) == 2]  # type: ignore[attr-defined]


def _changed_aliases(old: dict[str, str], new: EntityIndex) -> set[str]:
    """Folded names whose entity differs between two builds (added, removed or moved)."""
    names = set(old) | set(new.by_alias)
    return {a for a in names if old.get(a) != new.by_alias.get(a)}


def _put(target: list[T], rows: slice, values: Sequence[T]) -> None:
    """Rows of target set to values (from the last build: they must still fit)."""
    if len(values) != rows.stop - rows.start:
        raise ValueError("the last build's rows do not fit this article's events")
    target[rows] = values


def _days_to_group(
    rows: _Rows, starts: Sequence[object], story_day: Sequence[bool], generic: frozenset[str]
) -> set[object] | None:
    """The days whose stories can have changed; None for every day."""
    previous = rows.previous
    if previous is None:
        return None
    old_generic = generic_entities(
        {str(n): e for n, e in enumerate(previous.article_entities.values())}
    )
    if old_generic != generic:
        return None
    live = set(rows.keys)
    days: set[object] = set()
    for key, old_days in previous.days.items():  # removed or changed articles' old days
        if key not in live:
            days |= old_days
    for key, again in zip(rows.keys, rows.touched, strict=True):
        if again and key in previous.days:
            days |= previous.days[key]
    for i, p in enumerate(rows.event_pos):
        if rows.touched[p] and story_day[i]:
            days.add(starts[i])
    return days


def _repost_inputs(articles: Columns, final_ids: Sequence[str]) -> Iterable[RepostInput]:
    return zip(
        final_ids,
        articles["url"],
        articles["repost_of"],
        articles["published_instant"],
        articles["copy_key"],
        range(len(final_ids)),
        strict=True,
    )
