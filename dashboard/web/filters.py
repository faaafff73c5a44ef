"""Filters: the view's state (outlets, search, dates, kinds, open article) as a pure object.

``Filters.from_query`` reads a URL query string, ignoring invalid values with a notice;
``to_query`` writes it back; ``select`` returns the rows shown and a caption that says what
they are ("7 events in 3 articles · RFA, RFI · 2022-03-01 – 2022-03-31 · “北约”").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from dashboard.parsing.search import QueryError, terms
from dashboard.parsing.store import CorpusData
from dashboard.web import inputs, zoom

KINDS = ("published", "mentioned")
MAX_PARAM_LENGTH = 2000
PARAMETERS = frozenset(
    {"outlet", "q", "from", "to", "kind", "article", "event", "entity", "stories", "lang",
     "window", "page", "view", "story", "sort", "cpage"}
)  # fmt: skip
VIEWS = ("timeline", "chronology", "compare")
# The chronology's orders: by date (either way), by how many outlets or reports a row has.
SORTS = ("date", "-date", "outlets", "reports")
MAX_PAGE = 1_000_000
Lang = Literal["zh", "en"]


@dataclass(frozen=True)
class Filters:
    outlets: tuple[str, ...] = ()  # empty: every outlet
    query: str = ""
    start: date | None = None
    end: date | None = None
    kinds: tuple[str, ...] = ()  # empty: both kinds
    article: str | None = None  # the article open in the drill-down
    event: str | None = None  # the event highlighted in it
    lang: Lang = "zh"
    entity: str | None = None  # only articles that mention this person, organisation or place
    stories: bool = False  # one timeline item per story instead of one per event
    window: zoom.Window | None = None  # the dates the timeline shows (None: the default)
    page: int = 1  # of the article list
    view: str = "timeline"  # one of VIEWS
    story: str | None = None  # the story whose page is shown (over the view)
    sort: str = "date"  # the chronology's order, one of SORTS
    cpage: int = 1  # of the chronology

    @classmethod
    def from_query(cls, query: Any, data: CorpusData) -> tuple[Filters, list[str]]:
        """Filters from a URL query string (any value: a request may send a number or a list
        where the address belongs), and a notice for each value that was ignored."""
        notices: list[str] = []
        if not isinstance(query, str | None):
            notices.append("the address is not text; its filters were ignored")
        params = _params(query.lstrip("?") if isinstance(query, str) else "", notices)
        return cls(
            outlets=_known(params.get("outlet"), data.outlets, "outlet", notices),
            query=checked_query(params.get("q"), notices),
            start=inputs.iso_day(params.get("from"), "from", notices),
            end=inputs.iso_day(params.get("to"), "to", notices),
            kinds=_known(params.get("kind"), KINDS, "kind", notices),
            article=(article := _article(params.get("article"), data, notices)),
            event=_event(params.get("event"), article, data),
            lang="en" if params.get("lang") == "en" else "zh",
            entity=_entity(params.get("entity"), data, notices),
            stories=params.get("stories") in ("1", "true", "yes"),
            window=zoom.parse(params.get("window"), notices),
            page=_page(params.get("page"), notices),
            view=_one_of(params.get("view"), VIEWS, "view", notices),
            story=_story(params.get("story"), data, notices),
            sort=_one_of(params.get("sort"), SORTS, "sort", notices),
            cpage=_page(params.get("cpage"), notices, "cpage"),
        ).checked(notices)

    @property
    def rows(self) -> Filters:
        """What decides the rows shown: these filters without the open article, the view and
        what only one view shows (the timeline's window, the list's or the chronology's page
        and order, the story page)."""
        return replace(
            self, article=None, event=None, window=None, page=1, view="timeline", story=None,
            sort="date", cpage=1,
        )  # fmt: skip

    @property
    def shown(self) -> str:
        """What the main area shows: a story's page, else the view."""
        return "story" if self.story else self.view

    @property
    def open(self) -> tuple[str | None, str | None]:
        """The open article and its highlighted event."""
        return self.article, self.event

    def checked(self, notices: list[str]) -> tuple[Filters, list[str]]:
        if self.start and self.end and self.start > self.end:
            notices.append(f"“from” {self.start} is after “to” {self.end}: both ignored")
            return replace(self, start=None, end=None), notices
        return self, notices

    def to_query(self) -> str:
        """The URL query string of this view (only what differs from the default)."""
        pairs = [
            ("outlet", ",".join(self.outlets)),
            ("q", self.query),
            ("from", self.start.isoformat() if self.start else ""),
            ("to", self.end.isoformat() if self.end else ""),
            ("kind", ",".join(self.kinds)),
            ("article", self.article or ""),
            ("event", self.event or ""),
            ("entity", self.entity or ""),
            ("stories", "1" if self.stories else ""),
            ("lang", "en" if self.lang == "en" else ""),
            ("window", zoom.written(self.window)),
            ("page", str(self.page) if self.page > 1 else ""),
            ("view", "" if self.view == "timeline" else self.view),
            ("story", self.story or ""),
            ("sort", "" if self.sort == "date" else self.sort),
            ("cpage", str(self.cpage) if self.cpage > 1 else ""),
        ]
        kept = [(k, v) for k, v in pairs if v]
        return "?" + urlencode(kept, safe=",") if kept else ""


def _params(query: str, notices: list[str]) -> dict[str, str]:
    if len(query) > MAX_PARAM_LENGTH * 4:
        notices.append("the address is too long; its filters were ignored")
        return {}
    try:
        parsed = parse_qs(query, keep_blank_values=False, max_num_fields=20)
    except ValueError:
        notices.append("the address has too many parameters; its filters were ignored")
        return {}
    unknown = sorted(set(parsed) - PARAMETERS)
    if unknown:
        notices.append("unknown parameter ignored: " + ", ".join(unknown))
    params = {}
    for key, values in parsed.items():
        raw = values[-1][:MAX_PARAM_LENGTH]
        params[key] = inputs.text(raw, MAX_PARAM_LENGTH)
        if params[key] != raw:
            notices.append(f"control characters removed from “{inputs.text(key, 40)}”")
    return params


def _page(raw: str | None, notices: list[str], name: str = "page") -> int:
    if not raw:
        return 1
    # ASCII digits only (str.isdigit also takes "²", which int() refuses), and few of them.
    if len(raw) > 7 or not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        notices.append(f"{name} ignored: {raw[:20]!r} is not a page number")
        return 1
    return int(raw)


def _one_of(raw: str | None, allowed: tuple[str, ...], name: str, notices: list[str]) -> str:
    """One of ``allowed`` (its first when absent), with a notice for anything else."""
    if not raw:
        return allowed[0]
    if raw in allowed:
        return raw
    notices.append(f"unknown {name} ignored: {raw[:40]!r} (one of {', '.join(allowed)})")
    return allowed[0]


def _story(raw: str | None, data: CorpusData, notices: list[str]) -> str | None:
    if not raw:
        return None
    if raw in data.story_codes[1]:
        return raw
    notices.append(f"no story with id {raw[:80]!r}")
    return None


def _known(raw: str | None, allowed, name: str, notices: list[str]) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    if not raw:
        return ()
    values = [v.strip().lower() for v in raw.split(",") if v.strip()]
    bad = [v for v in values if v not in allowed]
    if bad:
        notices.append(f"unknown {name} ignored: {', '.join(bad)}")
    return tuple(dict.fromkeys(v for v in values if v in allowed))


def checked_query(raw: str | None, notices: list[str]) -> str:
    """A search text the search can use, or "" with a notice saying why not."""
    if not raw:
        return ""
    try:
        terms(raw)
    except QueryError as exc:
        notices.append(f"search ignored: {exc}")
        return ""
    return raw.strip()


def _article(raw: str | None, data: CorpusData, notices: list[str]) -> str | None:
    if not raw:
        return None
    if raw in data.bodies:
        return raw
    notices.append(f"no article with id {raw[:80]!r}")
    return None


def _entity(raw: str | None, data: CorpusData, notices: list[str]) -> str | None:
    if not raw:
        return None
    if raw in data.entities.entities:
        return raw
    found = data.entities.lookup(raw)  # a name works too: ?entity=Zelensky
    if found:
        return found.id
    notices.append(f"unknown entity ignored: {raw[:40]!r}")
    return None


def _event(raw: str | None, article: str | None, data: CorpusData) -> str | None:
    # An event is only highlighted inside its own article's panel.
    if not raw or not article or not raw.startswith(article + "#"):
        return None
    return raw if raw in data.event_ids else None


@dataclass
class Selection:
    events: pd.DataFrame
    caption: str
    outlet_counts: dict[str, int]
    # The selected articles' rows in the corpus's articles table, in its order.
    positions: np.ndarray
    table: pd.DataFrame = field(repr=False)  # that table

    @property
    def articles(self) -> pd.DataFrame:
        """The selected articles' rows (a copy: taken only when asked for)."""
        return self.table.iloc[self.positions]

    @property
    def empty(self) -> bool:
        return self.events.empty


def distinct(positions: np.ndarray, size: int) -> np.ndarray:
    """The distinct values of ``positions`` (all in range(size)), sorted: a mark per value,
    linear (numpy's hash-based unique took tens of milliseconds on 100,000 rows)."""
    present = np.zeros(size, dtype=bool)
    present[positions] = True
    return np.flatnonzero(present)


def distinct_per_group(groups: np.ndarray, values: np.ndarray, width: int, size: int) -> np.ndarray:
    """How many distinct values (each in range(width)) each group (each in range(size)) holds,
    by one sort of the (group, value) pairs: numpy's hash-based unique took 180 ms over the
    events of 100,000 articles."""
    width = max(width, 1)
    pairs = np.sort(groups * width + values)
    if len(pairs):
        pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    return np.bincount(pairs // width, minlength=size)


SEARCH_CACHE_SIZE = 64
T = TypeVar("T")


def expanded_terms(data: CorpusData, query: str) -> tuple[tuple[str, ...], ...]:
    """Each folded term of a query with the names it stands for: `Zelensky` is also 泽连斯基,
    泽伦斯基 and 澤倫斯基 (folded), so one search finds every spelling."""
    groups = []
    for term in terms(query):
        entity = data.entities.lookup(term)
        groups.append(data.entities.aliases_of(entity.id) if entity else (term,))
    return tuple(groups)


def article_hits(data: CorpusData, query: str) -> np.ndarray:
    """One boolean per article row: whether its title or body holds every term of the query
    (any name of an entity counts for that entity), found through the n-gram index."""
    wanted = expanded_terms(data, query)
    if not wanted:
        return np.ones(len(data.search), dtype=bool)
    return cached(data, wanted, lambda: _index_hits(data, wanted))


def _index_hits(data: CorpusData, wanted: tuple[tuple[str, ...], ...]) -> np.ndarray:
    hits = np.ones(len(data.search), dtype=bool)
    for group in wanted:  # every term, each by any of its names
        in_group = np.zeros(len(hits), dtype=bool)
        for alias in group:
            in_group[data.search.holding(alias)] = True
        hits &= in_group
    return hits


def entity_hits(data: CorpusData, entity: str) -> np.ndarray:
    """One boolean per article row: whether it mentions the entity."""

    def compute() -> np.ndarray:
        positions, codes, ids = data.entity_mentions
        hits = np.zeros(len(data.articles), dtype=bool)
        if entity in ids:
            hits[positions[codes == ids.index(entity)]] = True
        return hits

    return cached(data, ("entity:" + entity,), compute)


def cached(
    data: CorpusData, key: tuple[object, ...], compute: Callable[[], T], keep: int | None = None
) -> T:
    """A search result kept with the data (the SEARCH_CACHE_SIZE latest, by key). A result of
    a large kind (``keep`` given: a view's rows, megabytes at 100,000 articles) is kept in a
    shelf of its own, of the ``keep`` latest of its kind (its first key part), so that a
    worker's memory stays bounded by those few, not by 64 of them."""
    store = data.search_cache
    if keep is not None:
        store = cached(data, ("shelf", key[0]), dict)
    if key in store:
        return store[key]  # type: ignore[no-any-return]
    value = compute()
    if len(store) >= (keep or SEARCH_CACHE_SIZE):
        store.pop(next(iter(store)))
    store[key] = value
    return value


def matching_articles(data: CorpusData, query: str) -> pd.Index:
    """Ids of the articles whose title or body holds every term of the query."""
    return data.articles.index[article_hits(data, query)]


def select(data: CorpusData, filters: Filters) -> Selection:
    """The events (their lean columns: CorpusData.full has the rest) and articles a view
    shows, with its caption."""
    events = data.lean_events
    mask = np.ones(len(events), dtype=bool)
    if filters.kinds:
        mask &= events["kind"].isin(filters.kinds).to_numpy()
    if filters.start:
        mask &= (events["end"] >= pd.Timestamp(filters.start)).to_numpy()
    if filters.end:
        mask &= (events["start"] <= pd.Timestamp(filters.end)).to_numpy()
    if filters.query:
        mask &= article_hits(data, filters.query)[events["article_pos"].to_numpy()]
    if filters.entity:
        mask &= entity_hits(data, filters.entity)[events["article_pos"].to_numpy()]
    # How many articles each outlet would show under the other filters (read off the article
    # rows of the matching events, not off a copy of the events frame).
    article_pos = events["article_pos"].to_numpy()
    shown = distinct(article_pos[mask], len(data.articles))
    codes, names = data.article_outlets
    per_outlet = np.bincount(codes[shown], minlength=len(names))
    counts = {names[n]: int(per_outlet[n]) for n in np.flatnonzero(per_outlet)}
    positions = shown
    if filters.outlets:
        mask &= events["outlet"].isin(filters.outlets).to_numpy()
        positions = distinct(article_pos[mask], len(data.articles))
    chosen = events if mask.all() else events[mask]
    text = caption(filters, chosen, len(positions), data)
    return Selection(chosen, text, counts, positions, data.articles)


def caption(filters: Filters, events: pd.DataFrame, articles: int, data: CorpusData) -> str:
    """What the view shows, in the interface language; says plainly when nothing matches."""
    zh = filters.lang == "zh"
    parts = []
    if events.empty:
        parts.append("没有符合条件的事件" if zh else "No events match")
    else:
        parts.append(
            f"{len(events)} 个事件，{articles} 篇文章"
            if zh
            else f"{len(events)} events in {articles} articles"
        )
    if filters.outlets:
        names = [
            (data.outlets[o].name_zh if zh else data.outlets[o].name_en)
            for o in filters.outlets
            if o in data.outlets
        ]
        parts.append(", ".join(names))
    if filters.start or filters.end:
        parts.append(f"{filters.start or '…'} – {filters.end or '…'}")
    if filters.kinds and len(filters.kinds) == 1:
        labels = {"published": ("发布", "published"), "mentioned": ("提及", "mentioned")}
        parts.append(labels[filters.kinds[0]][0 if zh else 1])
    if filters.entity and filters.entity in data.entities.entities:
        entity = data.entities.entities[filters.entity]
        parts.append(entity.zh if zh else entity.en)
    if filters.query:
        parts.append(f"“{filters.query}”")
    return " · ".join(parts)
