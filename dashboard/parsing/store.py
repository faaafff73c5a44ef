"""The tables the dashboard works on, built once from a corpus: articles, events, bodies.

Data moves one way: corpus → CorpusData → filters/figures. Nothing here imports Dash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.parsing import outlets
from dashboard.parsing.articles import Article
from dashboard.parsing.corpus import CorpusReport
from dashboard.parsing.entities import Entity, EntityIndex, build_index, entities_of
from dashboard.parsing.events import build_events, events_frame
from dashboard.parsing.faults import Degraded, guard
from dashboard.parsing.reposts import find_reposts
from dashboard.parsing.search import fold
from dashboard.parsing.stories import generic_entities, group_stories
from dashboard.parsing.textstore import Searchable, first_lines

T = TypeVar("T")
CORPUS = "(corpus)"  # the path of a report line about a stage that works across articles
ARTICLE_COLUMNS = (
    "id", "outlet", "outlet_zh", "outlet_en", "title", "url", "published", "precision",
    "source", "evidence", "inferred", "repost_of", "language", "script", "byline",
)  # fmt: skip


LEAN_EVENT_COLUMNS = ("start", "end", "kind", "precision", "outlet", "article_pos", "story")


@dataclass(frozen=True)
class OutletInfo:
    key: str
    name_zh: str
    name_en: str
    color: str


@dataclass
class CorpusData:
    """Everything the app shows, indexed for the callbacks."""

    # One row per article in publication order; the index is the article id.
    articles: pd.DataFrame
    # One row per event; `article_pos` is the row of its article in `articles`.
    events: pd.DataFrame
    # The full records by id, for the drill-down panel (read from the cache when asked for).
    bodies: Mapping[str, Article]
    # Folded title + text of each article, in the order of `articles`, and their n-gram index;
    # the same of their titles alone (the folded texts' first lines).
    search: Searchable
    titles: Searchable
    # Every outlet present, by key, most articles first.
    outlets: dict[str, OutletInfo]
    skipped: int
    # People, organisations and places: the bundled list plus names learnt from the texts.
    entities: EntityIndex
    # Search results by folded terms: one boolean per article row.
    search_cache: dict[tuple[object, ...], Any] = field(default_factory=dict)

    def prepare(self) -> None:
        """Build the lookup indexes the callbacks use now: with gunicorn's preload once, in the
        master, for every worker, instead of on each worker's first requests."""
        _ = self.event_ids, self.title_lengths, self.entity_mentions, self.lean_events
        _ = self.article_outlets, self.story_codes, self.latest_publication

    @cached_property
    def lean_events(self) -> pd.DataFrame:
        """The events' columns a filter and a binned timeline need, and each one's ``row`` in
        ``events``: selecting from these costs a tenth of selecting whole rows (their texts),
        which only the few events drawn one by one need (``full``)."""
        lean = self.events[list(LEAN_EVENT_COLUMNS)]
        # Stories as a categorical of the story codes: a selection takes its rows as integers
        # (taking the Arrow strings was a third of taking a selection's rows).
        codes, ids = self.story_codes
        story = pd.Categorical.from_codes(codes, categories=ids) if len(ids) else lean["story"]
        return lean.assign(story=story, row=np.arange(len(lean), dtype=np.int64))

    def full(self, lean: pd.DataFrame) -> pd.DataFrame:
        """The whole rows of some lean events."""
        return self.events.iloc[lean["row"].to_numpy()]

    @cached_property
    def event_ids(self) -> pd.Index:
        """The events' ids as an index: whether an id is known is one hash lookup, not a scan
        of every event (a request may name any id)."""
        return pd.Index(self.events["id"])

    @cached_property
    def entity_mentions(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Every (article row, entity) mention as two integer arrays and the entity ids the
        codes stand for: counting mentions in a selection is then one bincount."""
        if self.articles.empty:  # Arrow cannot type an empty object column as lists
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
        lists = pa.array(self.articles["entities"], pa.list_(pa.string()))
        positions = pc.list_parent_indices(lists).to_numpy().astype(np.int64)
        flat = pc.list_flatten(lists)
        if not len(flat):
            return positions, np.zeros(0, dtype=np.int64), []
        # Codes in order of first mention, as a factorize of the flattened lists gives.
        codes, ids = pd.factorize(flat.to_numpy(zero_copy_only=False))
        return positions, np.asarray(codes, dtype=np.int64), [str(i) for i in ids]

    @cached_property
    def story_codes(self) -> tuple[np.ndarray, pd.Index]:
        """Each event's story as a code (-1: in none) and the story ids the codes stand for:
        grouping a selection's events by story is then integer work, and whether an id names
        a story is one hash lookup."""
        codes, ids = pd.factorize(self.events["story"])
        return np.asarray(codes, dtype=np.int64), pd.Index(ids)

    @cached_property
    def article_outlets(self) -> tuple[np.ndarray, list[str]]:
        """Each article row's outlet as a code, and the outlets the codes stand for: counting
        a selection's articles by outlet is one bincount, where converting the column's
        100,000 Arrow strings to Python ones took 38 ms a call."""
        codes, names = pd.factorize(self.articles["outlet"])
        return np.asarray(codes, dtype=np.int64), [str(n) for n in names]

    def titles_of(self, positions: np.ndarray) -> dict[int, str]:
        """The titles of some article rows, by row: taken from the Arrow column for those rows
        only, not converted for all of them."""
        wanted = np.unique(positions)
        titles = self.articles["title"].array.take(wanted).tolist()
        return dict(zip(wanted.tolist(), (str(t) for t in titles), strict=True))

    @cached_property
    def title_lengths(self) -> np.ndarray:
        """Characters in each article's title, in the order of `articles`."""
        return self.articles["title"].fillna("").str.len().to_numpy(dtype=np.int64)

    @cached_property
    def latest_publication(self) -> pd.Timestamp | None:
        """The day of the latest publication (every timeline's layout names it: worked out
        over 400,000 events, it was 4 ms of each)."""
        published = self.events.loc[self.events["kind"] == "published", "start"]
        return None if published.empty else published.max()


def articles_frame(articles: list[Article]) -> pd.DataFrame:
    """One row per article, built from the records in one place."""
    rows: list[dict[str, Any]] = []
    for a in articles:
        pub = a.published
        rows.append({
            "id": a.id, "outlet": a.outlet, "outlet_zh": a.outlet_zh, "outlet_en": a.outlet_en,
            "title": a.title, "url": a.url, "published": pub.instant, "precision": pub.precision,
            "source": pub.source, "evidence": pub.evidence, "inferred": pub.inferred,
            "repost_of": a.repost_of, "language": a.language, "script": a.script,
            "byline": a.byline,
        })  # fmt: skip
    return publication_order(pd.DataFrame(rows, columns=list(ARTICLE_COLUMNS)))


def publication_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Article rows indexed by id, in publication order (ties in the order given): the order
    of the dashboard's rows, and of the cache's search texts."""
    frame["published"] = pd.to_datetime(frame["published"], utc=True)
    return frame.set_index("id", drop=False).sort_values("published", kind="stable")


def outlet_table(articles: pd.DataFrame) -> dict[str, OutletInfo]:
    """The outlets present, most articles first, with their registry colours."""
    counts = articles["outlet"].value_counts(sort=False).to_dict()
    names = articles.drop_duplicates("outlet", keep="last").set_index("outlet")
    table = {}
    for key in sorted(counts, key=lambda k: (-counts[k], k)):
        known = outlets.get(key)
        colour = known.color if known else outlets.colour_for(key)
        table[key] = OutletInfo(key, names.at[key, "outlet_zh"], names.at[key, "outlet_en"], colour)
    return table


def indexed_events(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Events with their article's row number and categorical keys, so filters stay fast."""
    position = {article_id: n for n, article_id in enumerate(articles.index)}
    events = events.assign(article_pos=events["article"].map(position).astype("int64"))
    for column in ("outlet", "kind", "precision"):
        events[column] = events[column].astype("category")
    return events


@dataclass
class Derived:
    """What the parsing stage works out across articles: computed once, kept in the cache."""

    folded: dict[str, str]  # article id → folded title + text, for search
    entities: list[Entity]  # the bundled list plus the names learnt from the texts
    article_entities: dict[str, list[str]]  # article id → entity ids, in order of mention
    reposts: dict[str, str]  # article id → id of the article of the corpus it reposts
    events: pd.DataFrame  # the events, with their sentence's `entities` and their `story`


def search_texts(records: list[Article], notes: list[Degraded] | None = None) -> dict[str, str]:
    """The folded title and text of each article, by id (slow: NFKC; the cache keeps it)."""
    sink: list[Degraded] = [] if notes is None else notes

    def folded(a: Article) -> str:
        raw = f"{a.title}\n{a.text}"
        return guard("search", a.source_path, sink, lambda: fold(raw), raw.lower)

    return {a.id: folded(a) for a in records}


def derive(
    records: list[Article], events: pd.DataFrame, degraded: list[Degraded] | None = None
) -> Derived:
    """Entities of every article and event, stories, reposts and the search text. Each stage is
    guarded: a failure costs the articles concerned their entities, stories or repost links,
    never the corpus (and leaves a line in ``degraded``)."""
    notes: list[Degraded] = [] if degraded is None else degraded

    def stage(name: str, work: Callable[[], T], fallback: Callable[[], T], path: str = CORPUS) -> T:
        return guard(name, path, notes, work, fallback)

    folded = search_texts(records, notes)
    index = stage("entities", lambda: build_index(a.text for a in records), lambda: build_index(()))
    article_entities = {
        a.id: stage("entities", partial(index.find, folded[a.id], True), _no_ids, a.source_path)
        for a in records
    }
    sentences = events["sentence"]
    no_entities: Callable[[], list[list[str]]] = lambda: [[] for _ in sentences]  # noqa: E731
    events = events.assign(
        entities=stage("entities", lambda: entities_of(index, sentences), no_entities)
    )
    generic = generic_entities(article_entities)
    no_story: Callable[[], list[None]] = lambda: [None] * len(events)  # noqa: E731
    events["story"] = stage("stories", lambda: group_stories(events, generic), no_story)
    reposts = stage("reposts", lambda: find_reposts(records), _no_reposts)
    return Derived(folded, list(index.entities.values()), article_entities, reposts, events)


def _no_ids() -> list[str]:
    return []


def _no_reposts() -> dict[str, str]:
    return {}


def build_data(report: CorpusReport, default_tz: str) -> CorpusData:
    """The dashboard's tables from a corpus read (stage failures go to report.degraded)."""
    events = events_frame(build_events(report.articles, default_tz, report.degraded))
    derived = derive(report.articles, events, report.degraded)
    return assemble(report.articles, derived, len(report.skipped))


def assemble(records: list[Article], derived: Derived, skipped: int) -> CorpusData:
    """CorpusData from article records and what was derived from them (fresh or cached)."""
    articles = articles_frame(records)
    texts = [derived.folded[i] for i in articles.index]
    bodies = {a.id: a for a in records}
    searchable = (Searchable.of(texts), Searchable.of(first_lines(texts)))
    return corpus_data(articles, bodies, searchable, derived, skipped)


def corpus_data(
    articles: pd.DataFrame,
    bodies: Mapping[str, Article],
    search: tuple[Searchable, Searchable],
    derived: Derived,
    skipped: int,
) -> CorpusData:
    """CorpusData from the article rows (publication_order), the records by id, the search
    texts in row order with their index, and what was derived across articles."""
    articles["entities"] = [derived.article_entities.get(i, []) for i in articles.index]
    articles["repost_of_id"] = [derived.reposts.get(i) for i in articles.index]
    return CorpusData(
        articles=articles,
        events=indexed_events(derived.events, articles),
        bodies=bodies,
        search=search[0],
        titles=search[1],
        outlets=outlet_table(articles),
        skipped=skipped,
        entities=EntityIndex({e.id: e for e in derived.entities}),
    )
