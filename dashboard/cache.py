"""The parsed corpus on disk (Parquet), so a server start reads tables instead of parsing files.

The cache is keyed by a fingerprint of the corpus (every file's path, size and modification
time), the code that parses it and the settings that change its events; any change rebuilds it.
Writes go to a temporary folder renamed into place, so a crash never leaves half a cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from dashboard.articles import Article, Published
from dashboard.config import Settings
from dashboard.corpus import CorpusReport
from dashboard.entities import Entity
from dashboard.events import EVENT_COLUMNS, events_frame
from dashboard.ingest import read_and_date
from dashboard.store import CorpusData, Derived, assemble, derive

log = logging.getLogger(__name__)

CACHE_SCHEMA = 2
PACKAGE = Path(__file__).resolve().parent
ARTICLES_FILE, EVENTS_FILE, META_FILE = "articles.parquet", "events.parquet", "meta.json"


@dataclass(frozen=True)
class Loaded:
    """The corpus data and how it was obtained: 'hit' (read from the cache), 'built' (parsed and
    cached), or 'off' (parsed, caching disabled)."""

    data: CorpusData
    status: str
    fingerprint: str


# Modules that only present the cached tables (server, callbacks, figures, panel): changing them
# leaves the cache valid. Every other module, a new one included, is taken to shape the tables.
PRESENTATION = frozenset(
    {
        "__main__.py", "app.py", "article_export.py", "bins.py", "callbacks.py",
        "components.py", "envelope.py", "export.py", "figures.py", "filters.py", "images.py",
        "inputs.py", "labels.py", "layout.py", "limits.py", "panel.py", "security.py",
        "serving.py", "wsgi.py",
    }
)  # fmt: skip


def code_fingerprint(package: Path = PACKAGE) -> str:
    """A hash of the source that shapes the cached tables: a new parser or resolver invalidates
    old caches, a new figure does not (at 20,000 files a rebuild costs minutes)."""
    digest = hashlib.sha256(str(CACHE_SCHEMA).encode())
    for path in sorted(package.rglob("*.py")):
        if path.parent == package and path.name in PRESENTATION:
            continue
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def corpus_fingerprint(root: Path, default_tz: str) -> str:
    """A hash of every file's path, size and mtime, the code, and the settings events depend on.

    Walks the same files as the corpus reader (hidden folders skipped), with plain strings:
    at 10,000 files pathlib alone would cost a third of a second of every start.
    """
    base = str(root.resolve())
    digest = hashlib.sha256(f"{code_fingerprint()}|{default_tz}|{base}".encode())
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = os.path.relpath(folder, base)
        for name in sorted(files):
            stat = os.stat(os.path.join(folder, name))
            line = f"{rel}/{name}|{stat.st_size}|{stat.st_mtime_ns}\n"
            digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:24]


def load_or_build(settings: Settings) -> Loaded:
    """The corpus data from the cache when it matches the corpus, else parsed (and cached)."""
    if settings.cache_dir is None:
        return Loaded(parse(settings)[0], "off", "")
    fingerprint = corpus_fingerprint(settings.corpus_dir, settings.default_tz)
    folder = settings.cache_dir / fingerprint
    if (folder / META_FILE).exists():
        try:
            return Loaded(read_cache(folder), "hit", fingerprint)
        except (OSError, ValueError, KeyError) as exc:  # a damaged cache is rebuilt, not fatal
            log.warning("cache %s unreadable (%s); rebuilding", folder, exc)
    data, report, derived = parse(settings)
    try:
        write_cache(settings.cache_dir, fingerprint, report, derived)
    except OSError as exc:  # a read-only disk still serves, just without a cache
        log.warning("could not write the cache in %s: %s", settings.cache_dir, exc)
    return Loaded(data, "built", fingerprint)


def parse(settings: Settings) -> tuple[CorpusData, CorpusReport, Derived]:
    """Read and resolve the corpus: the data, and the pieces the cache stores."""
    report, found = read_and_date(settings.corpus_dir, settings.default_tz, settings.ingest_workers)
    events = events_frame(found)
    derived = derive(report.articles, events, report.degraded)
    return assemble(report.articles, derived, len(report.skipped)), report, derived


def write_cache(cache_dir: Path, fingerprint: str, report: CorpusReport, derived: Derived) -> Path:
    """Write the tables of one corpus read; older caches in the folder are removed."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=cache_dir))
    table = articles_table(report.articles)
    table["search_text"] = [derived.folded[a.id] for a in report.articles]
    table["entities"] = [derived.article_entities[a.id] for a in report.articles]
    table["repost_of_id"] = [derived.reposts.get(a.id) for a in report.articles]
    table.to_parquet(staging / ARTICLES_FILE, index=False)
    derived.events[[*EVENT_COLUMNS, "entities", "story"]].to_parquet(
        staging / EVENTS_FILE, index=False
    )
    meta = {
        "fingerprint": fingerprint, "schema": CACHE_SCHEMA, "corpus": str(report.root),
        "created": datetime.now(UTC).isoformat(), "files_seen": report.files_seen,
        "skipped": [s.as_dict() for s in report.skipped],
        "degraded": [d.as_dict() for d in report.degraded], "not_entered": report.not_entered,
        "entities": [e.as_dict() for e in derived.entities],
    }  # fmt: skip
    (staging / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    target = cache_dir / fingerprint
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)
    for old in cache_dir.iterdir():
        if old.is_dir() and old.name != fingerprint:
            shutil.rmtree(old, ignore_errors=True)
    return target


def read_cache(folder: Path) -> CorpusData:
    """CorpusData from a cache folder written by write_cache."""
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    if meta.get("schema") != CACHE_SCHEMA:
        raise ValueError(f"cache schema {meta.get('schema')} is not {CACHE_SCHEMA}")
    rows = pq.read_table(folder / ARTICLES_FILE).to_pylist()  # far faster than pandas rows
    folded = {row["id"]: row.pop("search_text") for row in rows}
    article_entities = {row["id"]: list(row.pop("entities") or []) for row in rows}
    reposts = {row["id"]: r for row in rows if (r := row.pop("repost_of_id"))}
    articles = [article_from_row(row) for row in rows]
    events = pd.read_parquet(folder / EVENTS_FILE)
    events["entities"] = events["entities"].map(lambda v: list(v) if v is not None else [])
    entities = [
        Entity(e["id"], e["type"], e["zh"], e["en"], tuple(e["aliases"])) for e in meta["entities"]
    ]
    derived = Derived(folded, entities, article_entities, reposts, events)
    return assemble(articles, derived, len(meta["skipped"]))


def articles_table(articles: list[Article]) -> pd.DataFrame:
    """Article records as one flat table (the publication's fields prefixed `published_`)."""
    rows = []
    for article in articles:
        row = article.as_dict()
        published = row.pop("published")
        row.update({f"published_{k}": v for k, v in published.items()})
        row["published_instant"] = article.published.instant
        rows.append(row)
    return pd.DataFrame(rows)


def article_from_row(row: dict[str, Any]) -> Article:
    """The Article a row of articles_table came from."""
    published = Published(
        instant=row.pop("published_instant"), precision=row.pop("published_precision"),
        source=row.pop("published_source"), evidence=row.pop("published_evidence"),
        inferred=bool(row.pop("published_inferred")),
    )  # fmt: skip
    row["sentences"] = tuple(row["sentences"] or ())
    row["images"] = tuple(row["images"] or ())
    return Article(published=published, **row)
