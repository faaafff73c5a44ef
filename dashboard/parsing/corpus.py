"""A corpus folder → Articles; every file accounted for: read as articles, or skipped with a reason.

``read_corpus`` walks a folder recursively; ``read_file`` reads one file; ``build_article`` turns
what a reader found into an Article (sanitised body, outlet, publication date).
"""

from __future__ import annotations

import html
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TypeVar

from dashboard.parsing import outlets, pubdate, text
from dashboard.parsing.articles import Article, Published, RawArticle
from dashboard.parsing.decode import DecodeError, decode, looks_binary
from dashboard.parsing.faults import (
    BUDGET_PER_MIB,
    FILE_BUDGET_SECONDS,
    Degraded,
    OverBudget,
    check_budget,
    describe,
    guard,
    time_budget,
)
from dashboard.parsing.sources import READERS, Reader, SkipFile, not_article_reason

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
NO_DATE = (
    "no usable publication date (no GNews stamp, epoch comment, front-matter date, dateline, "
    "dated URL, dated report line, calibrated GNews id or upload month, or dated file path)"
)
UNTITLED_LENGTH = 40

Progress = Callable[[int, int], None]
T = TypeVar("T")


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


@dataclass
class CorpusReport:
    """What reading a folder gave: articles, skipped items with reasons, articles kept in a degraded
    form (a stage failed or a limit cut), folders not entered."""

    root: Path
    files_seen: int = 0
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    degraded: list[Degraded] = field(default_factory=list)
    not_entered: list[str] = field(default_factory=list)

    @property
    def records_seen(self) -> int:
        """Items read: a file, or one line of a JSON Lines file (articles + skipped, always)."""
        return len(self.articles) + len(self.skipped)

    def outlet_counts(self) -> Counter[str]:
        return Counter(a.outlet for a in self.articles)

    def date_range(self) -> tuple[datetime, datetime] | None:
        if not self.articles:
            return None
        instants = [a.published.instant for a in self.articles]
        return min(instants), max(instants)


def iter_files(root: Path, not_entered: list[str]) -> Iterator[Path]:
    """Every file below root in a stable order; hidden folders (.git, …) are listed, not entered."""
    for folder, dirs, files in os.walk(root):
        hidden = sorted(d for d in dirs if d.startswith("."))
        not_entered.extend(str(PurePosixPath(Path(folder, d).relative_to(root))) for d in hidden)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            yield Path(folder, name)


def read_corpus(
    root: Path,
    default_tz: str,
    progress: Progress | None = None,
    readers: tuple[Reader, ...] = READERS,
) -> CorpusReport:
    """Read every file below root; no file can stop the others from being read."""
    report = CorpusReport(root=root)
    if not root.is_dir():
        raise NotADirectoryError(f"corpus folder not found: {root}")
    paths = list(iter_files(root, report.not_entered))
    ids: set[str] = set()
    for done, path in enumerate(paths, start=1):
        report.files_seen += 1
        found = read_one(path, root, default_tz, readers)
        for article in found.articles:
            report.articles.append(unique_article(article, ids, report.degraded))
        report.skipped.extend(found.skipped)
        report.degraded.extend(found.degraded)
        if progress:
            progress(done, len(paths))
    return report


@dataclass
class FileRead:
    """What one file gave: its articles, what was skipped, and what was kept degraded."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    degraded: list[Degraded] = field(default_factory=list)


def unique_article(article: Article, ids: set[str], degraded: list[Degraded]) -> Article:
    """The article with an id no earlier article has (a report line when it had to change)."""
    new_id = unique_id(article.id, article.source_path, ids, degraded)
    return article if new_id == article.id else replace(article, id=new_id)


def unique_id(article_id_: str, source_path: str, ids: set[str], degraded: list[Degraded]) -> str:
    """An id no earlier article has; ``ids`` gains it."""
    # a.md and a.html in one folder, or two JSON Lines records with one `id`, would share an
    # id, and opening one would open the other. A file keeps its extension (a.html); a record,
    # or a path taken too, gets a ~2 suffix; either way with a report line.
    new_id = article_id_
    if article_id_ in ids:
        new_id = source_path
        if new_id in ids or article_id_ != article_id(source_path, None):
            n = 2
            while f"{article_id_}~{n}" in ids:
                n += 1
            new_id = f"{article_id_}~{n}"
        note = f"id {article_id_!r} already taken by another article; this one is {new_id!r}"
        degraded.append(Degraded(source_path, "ids", note))
    ids.add(new_id)
    return new_id


def read_file(
    path: Path, root: Path, default_tz: str, readers: tuple[Reader, ...] = READERS
) -> tuple[list[Article], list[Skipped]]:
    """The articles of one file, and what in it was skipped (with reasons)."""
    found = read_one(path, root, default_tz, readers)
    return found.articles, found.skipped


def read_one(
    path: Path, root: Path, default_tz: str, readers: tuple[Reader, ...] = READERS
) -> FileRead:
    """One file of a corpus: its articles, or report lines saying why not."""
    rel = _rel(path, root)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            too_large = f"too large ({size // 1_048_576} MiB > {MAX_FILE_BYTES // 1_048_576} MiB)"
            return FileRead(skipped=[Skipped(rel, too_large)])
        data = path.read_bytes()
    except OSError as exc:
        return FileRead(skipped=[Skipped(rel, f"unreadable: {exc}")])
    return read_data(data, rel, default_tz, readers)


def read_data(
    data: bytes, rel: str, default_tz: str, readers: tuple[Reader, ...] = READERS
) -> FileRead:
    """The bytes of one file, every stage behind a guard and the whole within its time budget:
    whatever they hold, they end up as articles or report lines, never as an exception."""
    try:
        with time_budget(FILE_BUDGET_SECONDS + BUDGET_PER_MIB * len(data) / 1_048_576):
            return _read_data(data, rel, default_tz, readers)
    except OverBudget as exc:
        return FileRead(skipped=[Skipped(rel, f"too costly: reading it ran {exc}")])
    except Exception as exc:  # the last line of defence for one file
        log.error("%s: could not be read", rel, exc_info=True)
        return FileRead(skipped=[Skipped(rel, f"could not be read: {describe(exc)}")])


def _read_data(data: bytes, rel: str, default_tz: str, readers: tuple[Reader, ...]) -> FileRead:
    if not data.strip():
        return FileRead(skipped=[Skipped(rel, "empty file (no text)")])
    if looks_binary(data):
        return FileRead(skipped=[Skipped(rel, "binary file (not text)")])
    try:
        content, encoding = decode(data)
    except DecodeError as exc:
        return FileRead(skipped=[Skipped(rel, str(exc))])
    out = FileRead()
    raws, reader_name = _raw_articles(content, rel, readers, out)
    if raws is None:
        return out
    for raw in raws:
        _build_into(out, raw, rel, reader_name, encoding, default_tz)
    return out


def _raw_articles(
    content: str, rel: str, readers: tuple[Reader, ...], out: FileRead
) -> tuple[list[RawArticle | SkipFile] | None, str]:
    """What the first reader that accepts the text and reads it without failing finds; a
    reader that fails leaves a report line, and the next reader that accepts the text tries."""
    failures: list[str] = []
    for reader in readers:
        try:
            if not reader.detect(content):
                continue
            raws = reader.read(content)
        except Exception as exc:  # a faulty reader must not lose the file
            log.warning("%s: reader %s failed", rel, reader.name, exc_info=True)
            failures.append(f"{reader.name} reader: {describe(exc)}")
            continue
        for failure in failures:
            out.degraded.append(Degraded(rel, "read", f"{failure}; read by {reader.name}"))
        return raws, reader.name
    if failures:
        out.skipped.append(Skipped(rel, "could not be read: " + "; ".join(failures)))
    else:
        reason = not_article_reason(content) or "no reader recognises this file"
        out.skipped.append(Skipped(rel, reason))
    return None, ""


def _build_into(
    out: FileRead, raw: RawArticle | SkipFile, rel: str, fmt: str, encoding: str, tz: str
) -> None:
    where = f"{rel}#{raw.id_suffix}" if isinstance(raw, RawArticle) and raw.id_suffix else rel
    try:
        if isinstance(raw, SkipFile):
            raise raw
        with time_budget(FILE_BUDGET_SECONDS):
            out.articles.append(build_article(raw, rel, fmt, encoding, tz, out.degraded))
    except SkipFile as exc:
        out.skipped.append(Skipped(where, f"{fmt}: {exc}"))
    except OverBudget as exc:
        out.skipped.append(Skipped(where, f"too costly: building the article ran {exc}"))
    except Exception as exc:  # one record never loses the file's others
        log.error("%s: could not be built", where, exc_info=True)
        out.skipped.append(Skipped(where, f"could not be read: {describe(exc)}"))


def _rel(path: Path, root: Path) -> str:
    return str(PurePosixPath(path.relative_to(root)))


def article_id(rel_path: str, suffix: str | None) -> str:
    """Stable id: the path relative to the corpus without extension (plus a record id)."""
    stem = (
        str(PurePosixPath(rel_path).with_suffix(""))
        if "." in PurePosixPath(rel_path).name
        else rel_path
    )
    return f"{stem}/{suffix}" if suffix else stem


def build_article(
    raw: RawArticle,
    rel_path: str,
    fmt: str,
    encoding: str,
    default_tz: str,
    degraded: list[Degraded] | None = None,
) -> Article:
    """An Article from what a reader found, or SkipFile saying why it is not one. A stage that
    fails leaves a line in ``degraded`` and the article keeps what the others gave."""
    notes: list[Degraded] = [] if degraded is None else degraded
    where = f"{rel_path}#{raw.id_suffix}" if raw.id_suffix else rel_path

    def stage(name: str, work: Callable[[], T], fallback: Callable[[], T]) -> T:
        return guard(name, where, notes, work, fallback)

    notes.extend(Degraded(where, "read", note) for note in raw.notes)
    url = _checked_url(raw.url, "url", where, notes)
    clean = stage("sanitise", lambda: _clean(raw.body_html, url, where, notes),
                  lambda: _stripped(raw.body_html))  # fmt: skip
    paras = stage("text", lambda: text.without_furniture(text.paragraphs(clean)),
                  lambda: text.paragraphs(_stripped(clean)))  # fmt: skip
    plain = "\n\n".join(paras)
    title = html.unescape(raw.title or "").strip()
    if not title and not plain:
        raise SkipFile("no title and no text")
    check_budget()
    names = (*raw.outlet_names, raw.byline)
    outlet = stage("outlet", lambda: outlets.resolve(url, names), lambda: outlets.resolve(None, ()))
    published = _dated(raw, clean, plain, rel_path, outlet.tz or default_tz)
    check_budget()
    sample = f"{title}\n{plain[:4000]}"
    return Article(
        id=article_id(rel_path, raw.id_suffix),
        source_path=rel_path,
        format=fmt,
        outlet=outlet.key,
        outlet_zh=outlet.name_zh,
        outlet_en=outlet.name_en,
        title=title or _untitled(paras),
        url=url,
        published=published,
        repost_of=_checked_url(raw.repost_of, "repost_of", where, notes),
        language=stage("text", lambda: text.language(sample), lambda: "und"),
        script=stage("text", lambda: text.script(sample), lambda: None),
        byline=raw.byline,
        encoding=encoding,
        text=plain,
        sentences=tuple(stage("text", lambda: text.sentences(paras), list)),
        images=tuple(stage("text", lambda: text.images(clean), list)),
        html=clean,
    )


def _checked_url(url: str | None, stage: str, where: str, notes: list[Degraded]) -> str | None:
    """Only an absolute http(s) URL goes on (a javascript: link is never a link)."""
    if url is None or not url.strip():
        return None
    safe = text.safe_url(url.strip())
    if safe is None:
        notes.append(Degraded(where, stage, f"dropped {_short(url)!r}: not an http(s) URL"))
    return safe


def _clean(body: str, url: str | None, where: str, notes: list[Degraded]) -> str:
    clean, cuts = text.clean_body(body, url)
    notes.extend(Degraded(where, "sanitise", cut) for cut in cuts)
    return clean


def _stripped(markup: str) -> str:
    """The text of markup with every tag removed, as safe HTML (when sanitising fails)."""
    return text.escape_text(html.unescape(text.ANY_TAG.sub(" ", markup)))


def _dated(raw: RawArticle, clean: str, plain: str, rel_path: str, tz: str) -> Published:
    try:
        published = _published(raw, clean, plain, rel_path, tz)
    except Exception as exc:  # an article without a date is skipped, with why
        log.warning("%s: publication date failed", rel_path, exc_info=True)
        raise SkipFile(f"{NO_DATE}; reading the date failed: {describe(exc)}") from exc
    if published is None:
        raise SkipFile(NO_DATE)
    return published


def _short(value: str) -> str:
    return value if len(value) <= 80 else value[:80] + "…"


def _published(raw: RawArticle, clean: str, plain: str, rel_path: str, tz: str):  # type: ignore[no-untyped-def]
    candidates = list(raw.dates)
    if not candidates:
        urls = [u for u in (raw.url, *raw.extra_urls) if u] + text.images(clean)
        candidates = pubdate.infer(plain, raw.body_html, raw.url, urls, rel_path)
    published = pubdate.choose(candidates, tz)
    url_day = pubdate.extract_url_date(raw.url)
    if published and url_day and pubdate.archived_late(published, url_day):
        note = f"{url_day.evidence} (archived {published.instant:%Y-%m-%d}, {published.source})"
        return pubdate.choose([replace(url_day, evidence=note)], tz)
    return published


def _untitled(paras: list[str]) -> str:
    first = paras[0] if paras else ""
    return first if len(first) <= UNTITLED_LENGTH else first[:UNTITLED_LENGTH] + "…"
