"""A corpus folder → Articles; every file accounted for: read as articles, or skipped with a reason.

``read_corpus`` walks a folder recursively; ``read_file`` reads one file; ``build_article`` turns
what a reader found into an Article (sanitised body, outlet, publication date).
"""

from __future__ import annotations

import html
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from dashboard import outlets, pubdate, text
from dashboard.articles import Article, RawArticle
from dashboard.decode import DecodeError, decode, looks_binary
from dashboard.sources import READERS, Reader, SkipFile, not_article_reason, pick_reader

MAX_FILE_BYTES = 50 * 1024 * 1024
NO_DATE = (
    "no usable publication date (no epoch comment, front-matter date, dateline, dated URL, "
    "report line, image upload path, GNews id or dated file path)"
)
UNTITLED_LENGTH = 40

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


@dataclass
class CorpusReport:
    """What reading a folder gave: articles, skipped items with reasons, folders not entered."""

    root: Path
    files_seen: int = 0
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
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


def read_corpus(root: Path, default_tz: str, progress: Progress | None = None) -> CorpusReport:
    """Read every file below root."""
    report = CorpusReport(root=root)
    if not root.is_dir():
        raise NotADirectoryError(f"corpus folder not found: {root}")
    paths = list(iter_files(root, report.not_entered))
    ids: set[str] = set()
    for done, path in enumerate(paths, start=1):
        report.files_seen += 1
        articles, skipped = read_file(path, root, default_tz)
        for article in articles:
            report.articles.append(_unique(article, ids, path, root))
        report.skipped.extend(skipped)
        if progress:
            progress(done, len(paths))
    return report


def _unique(article: Article, ids: set[str], path: Path, root: Path) -> Article:
    # a.md and a.html in one folder would share an id; the second keeps its extension.
    if article.id in ids:
        article = replace(article, id=_rel(path, root))
    ids.add(article.id)
    return article


def read_file(
    path: Path, root: Path, default_tz: str, readers: tuple[Reader, ...] = READERS
) -> tuple[list[Article], list[Skipped]]:
    """The articles of one file, and what in it was skipped (with reasons)."""
    rel = _rel(path, root)
    try:
        loaded = _load_text(path)
    except (OSError, DecodeError) as exc:
        return [], [
            Skipped(rel, str(exc) if isinstance(exc, DecodeError) else f"unreadable: {exc}")
        ]
    if isinstance(loaded, Skipped):
        return [], [Skipped(rel, loaded.reason)]
    content, encoding = loaded
    reader = pick_reader(content, readers)
    if reader is None:
        return [], [Skipped(rel, not_article_reason(content) or "no reader recognises this file")]
    found: list[Article] = []
    skipped: list[Skipped] = []
    for raw in reader.read(content):
        try:
            if isinstance(raw, SkipFile):
                raise raw
            found.append(build_article(raw, rel, reader.name, encoding, default_tz))
        except SkipFile as exc:
            where = (
                f"{rel}#{raw.id_suffix}" if isinstance(raw, RawArticle) and raw.id_suffix else rel
            )
            skipped.append(Skipped(where, f"{reader.name}: {exc}"))
    return found, skipped


def _load_text(path: Path) -> tuple[str, str] | Skipped:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return Skipped(
            "", f"too large ({size // 1_048_576} MiB > {MAX_FILE_BYTES // 1_048_576} MiB)"
        )
    data = path.read_bytes()
    if not data.strip():
        return Skipped("", "empty file (no text)")
    if looks_binary(data):
        return Skipped("", "binary file (not text)")
    return decode(data)


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
    raw: RawArticle, rel_path: str, fmt: str, encoding: str, default_tz: str
) -> Article:
    """An Article from what a reader found, or SkipFile saying why it is not one."""
    clean = text.sanitise(raw.body_html)
    paras = text.without_furniture(text.paragraphs(clean))
    plain = "\n\n".join(paras)
    title = html.unescape(raw.title or "").strip()
    if not title and not plain:
        raise SkipFile("no title and no text")
    outlet = outlets.resolve(raw.url, (*raw.outlet_names, raw.byline))
    published = _published(raw, clean, plain, rel_path, outlet.tz or default_tz)
    if published is None:
        raise SkipFile(NO_DATE)
    sample = f"{title}\n{plain[:4000]}"
    return Article(
        id=article_id(rel_path, raw.id_suffix),
        source_path=rel_path,
        format=fmt,
        outlet=outlet.key,
        outlet_zh=outlet.name_zh,
        outlet_en=outlet.name_en,
        title=title or _untitled(paras),
        url=raw.url,
        published=published,
        repost_of=raw.repost_of,
        language=text.language(sample),
        script=text.script(sample),
        byline=raw.byline,
        encoding=encoding,
        text=plain,
        sentences=tuple(text.sentences(paras)),
        images=tuple(text.images(clean)),
        html=clean,
    )


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
