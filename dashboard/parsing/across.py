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
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from dashboard.parsing.corpus import unique_id
from dashboard.parsing.engines import Engine, InProcess, chunks
from dashboard.parsing.entities import Entity, EntityIndex, entities_of, names_index
from dashboard.parsing.faults import Degraded, guard
from dashboard.parsing.reposts import RepostInput, find_reposts_of
from dashboard.parsing.stories import generic_entities, group_stories
from dashboard.parsing.story_weights import weights_held

CORPUS = "(corpus)"  # the path of a report line about a stage that works across articles
Key = tuple[str, str, int]  # (file, content hash, article number in the file)


@dataclass
class Previous:
    """What the last build worked out (absent on a first build): its articles by key, and its
    events as columns, each article's events one run of their rows."""

    aliases: dict[str, str]  # folded alias → entity id
    rows: dict[Key, int]  # each article's row in the last build
    final_ids: list[str]  # by the last build's article row
    article_entities: list[list[str]]
    generic: frozenset[str]  # the entities too common to tell happenings apart
    near: dict[Key, tuple[Key, bool]]  # near-copy comparisons made (Linked.near)
    # The last build's article row p has its events at rows first_event[p] : first_event[p] +
    # event_count[p] of its event columns: their entities and stories, and the day of each
    # story row (microseconds since the epoch; null for the other rows).
    first_event: NDArray[np.int64]
    event_count: NDArray[np.int64]
    event_entities: pa.Array
    stories: pa.Array
    story_days: pa.Array
    # The keys of its articles whose folded text holds one of some folded names.
    holding: Callable[[Sequence[str]], set[Key]]


@dataclass
class Linked:
    """What the stages give, in the order of the live articles and events. The event columns
    stay Arrow arrays: at 270,000 events, a Python list of each cost more than the stages."""

    final_ids: list[str]
    # Per article sharing a copy key with an earlier one: (that article, whether it is a copy).
    near: list[tuple[Key, bool] | None]
    entities: list[Entity]
    article_entities: pa.Array  # list<string>
    generic: frozenset[str]
    reposts: list[str | None]  # final id of the article each one reposts
    event_ids: pa.Array
    event_articles: pa.Array
    event_entities: pa.Array  # list<string>
    event_rows: NDArray[np.int64]  # the article row of each event
    stories: pa.Array
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
    event_pos: NDArray[np.int64]  # the article row of each event
    first_event: NDArray[np.int64]  # article n's events are rows first_event[n]:first_event[n + 1]
    last_rows: list[int]  # each untouched article's row in the last build (-1: touched)
    sources: NDArray[np.int64]  # each untouched article's event's row in the last build, or -1
    previous: Previous | None
    run: Engine
    notes: list[Degraded]


def link(
    articles: Columns,
    events: pa.Table,
    previous: Previous | None,
    notes: list[Degraded],
    texts: Callable[[list[int]], list[str]],
    engine: Engine | None = None,
) -> Linked:
    """The cross-article stages. ``articles`` has file, hash, n, id, source_path, url,
    repost_of, published_instant (microseconds since the epoch, UTC), folded, names and
    copy_key; ``events`` has file, hash, n, id, kind, precision, start (microseconds since the
    epoch), expression, sentence and offset, each article's events one run of rows; both in
    corpus order. ``texts`` gives the texts of article rows (asked for near-copy candidates
    only). Finding mentions and grouping stories run as tasks on ``engine`` (default: here)."""
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
    event_pos = _event_articles(events, keys)
    first_event = _first_rows(event_pos, len(keys))
    last_rows, sources = _sources(previous, keys, touched, first_event, event_pos)
    rows = _Rows(
        keys, final_ids, touched, event_pos, first_event, last_rows, sources, previous,
        engine or InProcess(), notes,
    )  # fmt: skip
    event_ids = _event_ids(events.column("id").combine_chunks(), articles["id"], rows)
    event_articles = pa.array(final_ids, pa.string()).take(pa.array(event_pos))
    article_entities, event_entities = _all_mentions(rows, articles, events, index)
    generic = generic_entities(dict(zip(final_ids, article_entities, strict=True)))
    story_columns = {c: events.column(c) for c in STORY_COLUMNS}
    columns = {"id": event_ids, "article": event_articles, **story_columns,
               "entities": event_entities}  # fmt: skip
    grouping = _all_stories(rows, pa.table(columns), generic)  # on the workers from now
    repost_notes: list[Degraded] = []
    reposts, near = _reposts(rows, articles, texts, repost_notes)  # here, meanwhile
    stories = grouping.collected()
    notes.extend(repost_notes)
    return Linked(
        final_ids=final_ids,
        near=near,
        entities=list(index.entities.values()),
        article_entities=pa.array(article_entities, IDS),
        generic=generic,
        reposts=[reposts.get(i) for i in final_ids],
        event_ids=event_ids,
        event_articles=event_articles,
        event_entities=event_entities,
        event_rows=event_pos,
        stories=stories,
        refound=sum(touched),
        regrouped_days=grouping.regrouped,
        all_days=grouping.all_days,
    )


# The event columns a story is grouped on, besides its id, article and entities.
STORY_COLUMNS = ("kind", "precision", "start", "expression", "sentence", "offset")
IDS = pa.list_(pa.string())


def _all_mentions(
    rows: _Rows, articles: Columns, events: pa.Table, index: EntityIndex
) -> tuple[list[list[str]], pa.Array]:
    """The entities of each article and each event: found for touched articles (as tasks),
    kept from the last build for the others."""
    article_entities: list[list[str]] = [[] for _ in rows.keys]
    again = [n for n, t in enumerate(rows.touched) if t]
    # The sentences of the touched articles' events only, in order.
    fresh = np.flatnonzero(rows.sources < 0)
    sentences = events.column("sentence").take(pa.array(fresh)).to_pylist()
    counts = np.diff(rows.first_event)[again].tolist()
    ends = np.cumsum(counts).tolist()
    folded, paths = articles["folded"], articles["source_path"]
    inputs = (
        (paths[n], folded[n], tuple(sentences[end - count : end]))
        for n, count, end in zip(again, counts, ends, strict=True)
    )
    index.walk = len(again) <= WALK_UP_TO
    if again and not index.walk:  # compiled here, once: pickled with the index, a worker
        _ = index.pattern  # reuses it (otherwise every task rebuilt the 7,000-alias trie)
    batches = (MentionsBatch(index, chunk) for chunk in chunks(inputs, MENTION_BATCH))
    engine = _where(rows.run, -(-len(again) // MENTION_BATCH))
    results = (r for batch in engine.map(mentions_batch, batches) for r in batch)
    found_events: list[list[str]] = []
    for n, count, (found, per_event, found_notes) in zip(again, counts, results, strict=True):
        if len(per_event) != count:
            raise ValueError("an article's mentions do not fit its events")
        article_entities[n] = found
        found_events.extend(per_event)
        rows.notes.extend(found_notes)
    previous = rows.previous
    if previous is not None:
        for n, last in enumerate(rows.last_rows):
            if last >= 0:
                article_entities[n] = previous.article_entities[last]
    kept = previous.event_entities if previous is not None else pa.array([], IDS)
    return article_entities, _from_sources(kept, rows.sources, pa.array(found_events, IDS))


@dataclass
class _Grouping:
    """Stories being grouped, on the engine's workers when there are enough rows."""

    kept: pa.Array  # each event's story from the last build, or null
    underway: Iterable[tuple[list[int], tuple[list[str | None], list[Degraded]]]]
    notes: list[Degraded]
    regrouped: int  # days grouped (again)
    all_days: int  # days with story rows

    def collected(self) -> pa.Array:
        """The story of each event."""
        placed: list[int] = []
        found: list[str | None] = []
        for rows, (grouped, found_notes) in self.underway:
            placed.extend(rows)
            found.extend(grouped)
            self.notes.extend(found_notes)
        return _replaced(self.kept, placed, pa.array(found, pa.string()))


def _all_stories(rows: _Rows, columns: pa.Table, generic: frozenset[str]) -> _Grouping:
    """The stories of the days to group (again), their tasks started, and those kept."""
    story_rows = np.flatnonzero(
        pc.fill_null(
            pc.and_(
                pc.equal(columns.column("kind"), "mentioned"),
                pc.equal(columns.column("precision"), "day"),
            ),
            False,
        ).to_numpy()
    )
    # microseconds since the epoch: a day is its midnight's
    starts = columns.column("start").take(pa.array(story_rows)).to_numpy()
    all_days = np.unique(starts)
    days = _days_to_group(rows, story_rows, starts, generic)
    regroup = all_days if days is None else np.intersect1d(days, all_days)
    if days is None or rows.previous is None:  # every day regrouped: nothing to keep
        stories: pa.Array = pa.nulls(columns.num_rows, pa.string())
    else:
        kept = rows.sources >= 0
        stories = rows.previous.stories.take(pa.array(rows.sources, mask=~kept))
    again = np.isin(starts, regroup)
    rows_by_day: dict[object, list[int]] = {}
    for i, d in zip(story_rows[again].tolist(), starts[again].tolist(), strict=True):
        rows_by_day.setdefault(d, []).append(i)
    underway = _grouped(rows_by_day, columns, generic, rows.run)
    return _Grouping(stories, underway, rows.notes, len(regroup), len(all_days))


def _reposts(
    rows: _Rows,
    articles: Columns,
    texts: Callable[[list[int]], list[str]],
    notes: list[Degraded],
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
        "reposts", CORPUS, notes,
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
    last, ids = previous.rows, previous.final_ids
    touched = [
        key not in last or ids[last[key]] != final
        for key, final in zip(keys, final_ids, strict=True)
    ]
    changed = _changed_aliases(previous.aliases, index)
    if changed:  # unchanged texts: the last build's search index says which hold the names
        holding = previous.holding(sorted(changed))
        touched = [t or key in holding for t, key in zip(touched, keys, strict=True)]
    return touched


def _event_articles(events: pa.Table, keys: Sequence[Key]) -> NDArray[np.int64]:
    """The article row of each event (each article's events are one run of rows)."""
    runs = runs_of(events)
    position = {key: n for n, key in enumerate(keys)}
    firsts = pa.array([first for first, _ in runs], pa.int64())
    where = [events.column(c).take(firsts).to_pylist() for c in ("file", "hash", "n")]
    rows = np.array([position[k] for k in zip(*where, strict=True)], np.int64)
    return np.repeat(rows, [end - first for first, end in runs])


def runs_of(table: pa.Table) -> list[tuple[int, int]]:
    """(first, end) of each run of rows with one (file, hash, n)."""
    rows = table.num_rows
    if rows == 0:
        return []
    changed = None
    for name in ("file", "hash", "n"):
        column = table.column(name).combine_chunks()
        step = pc.not_equal(column.slice(1), column.slice(0, rows - 1))
        changed = step if changed is None else pc.or_(changed, step)
    starts = [0, *(i + 1 for i in pc.indices_nonzero(changed).to_pylist())]
    return list(zip(starts, [*starts[1:], rows], strict=True))


def _first_rows(event_pos: NDArray[np.int64], articles: int) -> NDArray[np.int64]:
    """For article n, its events are rows first[n]:first[n + 1]."""
    first = np.zeros(articles + 1, np.int64)
    np.cumsum(np.bincount(event_pos, minlength=articles), out=first[1:])
    return first


def _sources(
    previous: Previous | None,
    keys: Sequence[Key],
    touched: Sequence[bool],
    first_event: NDArray[np.int64],
    event_pos: NDArray[np.int64],
) -> tuple[list[int], NDArray[np.int64]]:
    """Each article's row in the last build when its results still hold (-1 otherwise), and
    each event's row there likewise."""
    if previous is None:
        return [-1] * len(keys), np.full(len(event_pos), -1, np.int64)
    last = previous.rows
    last_rows = [-1 if t else last[key] for key, t in zip(keys, touched, strict=True)]
    at = np.array(last_rows, np.int64)
    kept = at >= 0
    if (previous.event_count[at[kept]] != np.diff(first_event)[kept]).any():
        raise ValueError("the last build's rows do not fit this article's events")
    start = np.where(kept, previous.first_event[np.maximum(at, 0)], -1)
    within = np.arange(len(event_pos)) - first_event[event_pos]
    return last_rows, np.where(kept[event_pos], start[event_pos] + within, -1)


def _from_sources(kept: pa.Array, sources: NDArray[np.int64], fresh: pa.Array) -> pa.Array:
    """Each row taken from ``kept`` (the last build's row, ``sources`` ≥ 0) or, in turn, from
    ``fresh``."""
    new = sources < 0
    if int(new.sum()) != len(fresh):
        raise ValueError("the rows worked out do not fit the rows to work out")
    index = sources.copy()
    index[new] = len(kept) + np.arange(len(fresh))
    return pa.concat_arrays([kept.cast(fresh.type), fresh]).take(pa.array(index))


def _replaced(values: pa.Array, rows: Sequence[int], new: pa.Array) -> pa.Array:
    """``values`` with the given rows replaced by ``new``, in turn."""
    index = np.arange(len(values))
    index[np.asarray(rows, np.int64)] = len(values) + np.arange(len(new))
    return pa.concat_arrays([values, new]).take(pa.array(index))


def _event_ids(ids: pa.Array, old_ids: Sequence[str], rows: _Rows) -> pa.Array:
    """Event ids, made from their article's final id when it had to be renamed."""
    final = rows.final_ids
    renamed = [n for n, (f, o) in enumerate(zip(final, old_ids, strict=True)) if f != o]
    if not renamed:
        return ids
    at = np.concatenate([np.arange(rows.first_event[n], rows.first_event[n + 1]) for n in renamed])
    articles, old = rows.event_pos[at].tolist(), ids.take(pa.array(at)).to_pylist()
    new = [final[p] + e[len(old_ids[p]) :] for p, e in zip(articles, old, strict=True)]
    return _replaced(ids, at.tolist(), pa.array(new, pa.string()))


def day_tasks(rows_by_day: dict[object, list[int]], workers: int = 1) -> list[list[int]]:
    """Story rows in tasks of whole days, in corpus order: about STORY_BATCH rows each, and as
    many tasks as make the same number for each of ``workers``, two at least (138 days
    regrouped after an update, 18,763 rows, came to five tasks for two workers: one waited
    for the other's third), none of fewer than STORY_TASK_FLOOR rows unless days are few."""
    total = sum(map(len, rows_by_day.values()))
    wanted = max(-(-total // STORY_BATCH), 2 * workers)
    share = max(total / (-(-wanted // workers) * workers), STORY_TASK_FLOOR)
    tasks: list[list[int]] = []
    current: list[int] = []
    done = 0
    for day in sorted(rows_by_day):  # type: ignore[type-var]
        current.extend(rows_by_day[day])
        done += len(rows_by_day[day])
        if done >= (len(tasks) + 1) * share:  # a task ends where its share of the rows does
            tasks.append(sorted(current))
            current = []
    if current:
        tasks.append(sorted(current))
    return tasks


def _grouped(
    rows_by_day: dict[object, list[int]],
    columns: pa.Table,
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


def _rows_frame(columns: pa.Table, rows: list[int]) -> pd.DataFrame:
    frame = columns.take(pa.array(rows, pa.int64())).to_pandas()
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


def _days_to_group(
    rows: _Rows,
    story_rows: NDArray[np.int64],
    starts: NDArray[np.int64],
    generic: frozenset[str],
) -> NDArray[np.int64] | None:
    """The days whose stories can have changed (those of the last build's events no longer
    kept, and of the touched articles' story rows); None for every day."""
    previous = rows.previous
    if previous is None or previous.generic != generic:
        return None
    still = np.zeros(len(previous.story_days), bool)
    still[rows.sources[rows.sources >= 0]] = True
    old = pc.filter(previous.story_days, pa.array(~still)).drop_null().to_numpy()
    touched = np.asarray(rows.touched, bool)[rows.event_pos[story_rows]]
    return np.unique(np.concatenate([old, starts[touched]]))


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
