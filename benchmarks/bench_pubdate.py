"""Inferred publication dates against the truth: GNews files whose byline states the date.

    python benchmarks/bench_pubdate.py [CORPUS] [--calibrate]

CORPUS is the unpacked GNews scale corpus (default /tmp/gnews). Every file whose byline opens
with a stamp (`3/11/2023 2:51 AM UTC farm`) has a known publication minute; the bench copies those
files with only the stamp removed (the byline line stays, so the reader still detects the file),
reads them through the real path (``parsing.corpus.read_file``) and prints, per source that
dated them, how often the truth falls within the precision the source states. A source missing
more than 2 % must widen its precision or go (pubdate.py). The truth here is parsed with
``datetime.strptime``, independently of the reader; the baseline row reads the unmodified files.

Tolerances: a "month" or "year" must be the truth's calendar month or year in UTC (the GNews-id
table is measured in UTC). A "day" is written in a zone the file does not name, and every real
zone lies within UTC-12 … UTC+14, so the truth must fall in [day - 14 h, day + 1 d + 12 h) UTC.

--calibrate also measures the GNews id → month table: per URL scheme, built from half the
header-dated files and scored on the other half (ids ÷ 4 even / odd both ways, and a seeded random
half), then printed from all of them as the constant pubdate.GNEWS_ID_MONTHS.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.parsing import pubdate  # noqa: E402
from dashboard.parsing.articles import DATE_SOURCES, Article, Published  # noqa: E402
from dashboard.parsing.corpus import Skipped, read_file  # noqa: E402
from dashboard.parsing.sources.gnews import REPOST_LINE  # noqa: E402

DEFAULT_CORPUS = Path("/tmp/gnews")
# Only printed, never opened (tests/test_lint.py keeps the shared folder's path out of code).
ARCHIVE = "/".join(("..", "shared", "corpus", "scale", "gnews-reposts.tar.xz"))
TZ = "Asia/Shanghai"
MAX_MISS = 0.02  # a source may miss its stated precision on at most 2 % of files
ZONE_EARLY = timedelta(hours=14)  # UTC+14 (Kiribati): a local day starts 14 h before UTC's
ZONE_LATE = timedelta(hours=12)  # UTC-12: a local day ends 12 h after UTC's
STAMP_LIKE = re.compile(r"^\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")  # anything that looks like a date
UPLOAD_PATH = re.compile(r"/wp-content/uploads/(20\d{2})/(\d{2})/")  # the images' upload month
STAMP = re.compile(r"^\s*(\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2} [AP]M) UTC(?=\s|$)")
SPLIT_SEED = 20240402  # the random split's seed (the newest stamp's date in the corpus)
# A post whose id is this far from every other measured id supports no range: between the two
# nothing was measured. Just above the widest gap between two posts of one day (22,206 ids on
# 23 Nov 2023); it drops one post, 960452 (14 Mar 2023), 42,422 ids below the next.
MAX_ID_GAP = 25_000


Key = tuple[str, str]  # (source, precision)


@dataclass(frozen=True)
class Dated:
    """A header-dated file: its name, text, the truth, and its GNews URL scheme and post id."""

    name: str
    content: str
    truth: datetime
    scheme: str
    post_id: int
    stamp_span: tuple[int, int]  # where the stamp sits in content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--calibrate", action="store_true", help="measure the GNews id table")
    parser.add_argument(
        "--zh-hans", action="store_true", help="measure the /zh-hans/ id table and upload months"
    )
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus folder {args.corpus} not found; unpack the scale corpus first:")
        print(f"    mkdir -p {args.corpus} && tar -xJf {ARCHIVE} -C {args.corpus}")
        sys.exit(2)
    if args.zh_hans:
        zh_hans(sorted(args.corpus.glob("*.md")))
        return
    dated, coverage = survey(sorted(args.corpus.glob("*.md")))
    print(coverage)
    if args.calibrate:
        calibrate(dated)
        return
    started = time.perf_counter()
    score_baseline(dated, args.corpus)
    score_inferred(dated)
    print(f"({time.perf_counter() - started:.0f} s)")


def survey(paths: list[Path]) -> tuple[list[Dated], str]:
    """The header-dated files, and a line on header-date coverage."""
    dated: list[Dated] = []
    repost = found = 0
    for path in paths:
        content = path.read_text(encoding="utf-8", errors="replace")
        line = REPOST_LINE.search(content[:3000])
        if line is None:
            continue
        repost += 1
        byline = line.group("byline")
        found += bool(STAMP_LIKE.match(byline))
        post = pubdate.gnews_post(line.group("url"))
        stamp = STAMP.match(byline)
        truth = _truth(stamp.group(1)) if stamp else None
        if stamp and truth and post:
            span = (line.start("byline"), line.start("byline") + stamp.end())
            dated.append(Dated(path.name, content, truth, post[0], post[1], span))
    coverage = (
        f"{len(paths)} files, {repost} with a GNews byline line; header date found in {found} "
        f"({found / max(1, len(paths)):.1%} of all files), parsed in {len(dated)} "
        f"({len(dated) / max(1, found):.1%} of found)"
    )
    return dated, coverage


def _truth(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp, "%m/%d/%Y %I:%M %p").replace(tzinfo=UTC)
    except ValueError:
        return None


def score_baseline(dated: list[Dated], corpus: Path) -> None:
    """The unmodified files: the reader must take the stamp itself, to the minute."""
    right = 0
    for item in dated:
        articles, _ = read_file(corpus / item.name, corpus, TZ)
        p = articles[0].published if articles else None
        right += bool(p and p.source == "header" and p.instant == item.truth)
    print(
        f"baseline: unmodified files read with source 'header' at the stamp's minute: {right}"
        f" / {len(dated)} ({right / max(1, len(dated)):.2%})"
    )


def score_inferred(dated: list[Dated]) -> None:
    """The files without their stamp, in two folds (each dated with an id table built from the
    other): every inferred candidate, what the reader chose, and the upload months."""
    rng = random.Random(SPLIT_SEED)
    folds: tuple[list[Dated], list[Dated]] = ([], [])
    for item in dated:
        folds[rng.random() < 0.5].append(item)
    seen = Seen()
    real_table = pubdate.GNEWS_ID_MONTHS
    try:
        for fold, other in (folds, folds[::-1]):
            pairs = [(d.post_id, d.truth) for d in other if d.scheme == "articles"]
            pubdate.GNEWS_ID_MONTHS = {"articles": build_table(pairs)}
            read_stripped(fold, seen)
    finally:
        pubdate.GNEWS_ID_MONTHS = real_table
    print(
        f"\nheader-dated files read without their stamp: {len(dated)} (2-fold: the GNews id "
        f"table of each fold built from the other, random split seed {SPLIT_SEED})"
    )
    print("every inferred candidate, whether or not it was chosen:")
    _table(seen.candidates.items())
    unseen = [
        s
        for s in DATE_SOURCES
        if s not in pubdate.STATED_SOURCES and all(k[0] != s for k in seen.candidates)
    ]
    print(f"inferred sources no file here offered (not measured by this corpus): {unseen}")
    print("what the reader chose (the date the timeline shows):")
    _table(seen.chosen.items())
    print(f"no date at all: {sum(seen.undated.values())} {dict(seen.undated)}")
    print("\nmeasured on these /articles/ posts, where the reader does not use it (see --zh-hans):")
    _table(seen.uploads.items())


@dataclass
class Seen:
    """Errors in days outside the stated period, per (source, precision)."""

    candidates: dict[Key, list[float]] = field(default_factory=lambda: defaultdict(list))
    chosen: dict[Key, list[float]] = field(default_factory=lambda: defaultdict(list))
    uploads: dict[Key, list[float]] = field(default_factory=lambda: defaultdict(list))
    undated: Counter[str] = field(default_factory=Counter)


def read_stripped(items: list[Dated], seen: Seen) -> None:
    """Read each file through corpus.read_file with its stamp cut out, recording what
    pubdate.infer offered (it is wrapped for the duration)."""
    offered: list[tuple[list[pubdate.Candidate], list[str]]] = []
    real_infer = pubdate.infer

    def recording_infer(*args: Any) -> list[pubdate.Candidate]:
        found = real_infer(*args)
        offered.append((found, list(args[3])))
        return found

    pubdate.infer = recording_infer  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory(prefix="bench-pubdate-") as tmp:
            for item in items:
                offered.clear()
                articles, skipped = read_file(_stripped(item, Path(tmp)), Path(tmp), TZ)
                _record(item, articles, skipped, offered, seen)
    finally:
        pubdate.infer = real_infer  # type: ignore[assignment]


def _stripped(item: Dated, folder: Path) -> Path:
    path = folder / item.name
    start, end = item.stamp_span
    path.write_text(item.content[:start] + item.content[end:], encoding="utf-8")
    return path


def _record(
    item: Dated,
    articles: list[Article],
    skipped: list[Skipped],
    offered: list[tuple[list[pubdate.Candidate], list[str]]],
    seen: Seen,
) -> None:
    for candidates, urls in offered[:1]:
        for c in candidates:
            if p := pubdate.choose([c], TZ):
                seen.candidates[(p.source, p.precision)].append(outside_days(p, item.truth))
        if upload := upload_month(urls):
            for precision in ("month", "year"):
                period = month_period(upload) if precision == "month" else year_period(upload)
                seen.uploads[("upload-path", precision)].append(_outside(period, item.truth))
    if articles:
        p = articles[0].published
        seen.chosen[(p.source, p.precision)].append(outside_days(p, item.truth))
    else:
        seen.undated[skipped[0].reason.split(" (")[0] if skipped else "no article"] += 1


def upload_month(urls: list[str]) -> datetime | None:
    """The latest wp-content/uploads/YYYY/MM/ among the article's image URLs."""
    months = sorted({(int(y), int(m)) for u in urls for y, m in UPLOAD_PATH.findall(u)})
    months = [(y, m) for y, m in months if 1 <= m <= 12]
    return datetime(*months[-1], 1, tzinfo=UTC) if months else None


def outside_days(p: Published, truth: datetime) -> float:
    """Days by which the truth falls outside the period the date states (0: within)."""
    return _outside(period(p), truth)


def _outside(period: tuple[datetime, datetime], truth: datetime) -> float:
    start, end = period
    if truth < start:
        return (start - truth).total_seconds() / 86400
    if truth >= end:
        return (truth - end).total_seconds() / 86400
    return 0.0


def period(p: Published) -> tuple[datetime, datetime]:
    """The UTC interval a Published states, with the zone tolerance of a calendar day."""
    t = p.instant
    if p.precision == "year":
        return year_period(t)
    if p.precision == "month":
        return month_period(t)
    if p.precision == "day":
        return t - ZONE_EARLY, t + timedelta(days=1) + ZONE_LATE
    step = timedelta(minutes=1) if p.precision == "minute" else timedelta(seconds=1)
    return t, t + step


def month_period(t: datetime) -> tuple[datetime, datetime]:
    start = t.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, start.replace(year=t.year + t.month // 12, month=t.month % 12 + 1)


def year_period(t: datetime) -> tuple[datetime, datetime]:
    start = t.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, start.replace(year=t.year + 1)


def _table(rows: Iterable[tuple[tuple[str, str], list[float]]]) -> None:
    print(
        f"{'source':<14}{'precision':<10}{'files':>7}{'within':>9}"
        f"{'err med d':>11}{'err p95 d':>11}  verdict"
    )
    for (source, precision), errors in sorted(rows, key=lambda r: -len(r[1])):
        if not errors:
            print(f"{source:<14}{precision:<10}{0:>7}")
            continue
        within = sum(e == 0 for e in errors) / len(errors)
        ordered = sorted(errors)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        verdict = "OK" if within >= 1 - MAX_MISS else "MISSES > 2 %"
        print(
            f"{source:<14}{precision:<10}{len(errors):>7}{within:>9.1%}"
            f"{statistics.median(errors):>11.1f}{p95:>11.1f}  {verdict}"
        )


# ---- the GNews id table -------------------------------------------------------------------


def build_table(pairs: Iterable[tuple[int, datetime]]) -> pubdate.IdTable:
    """Per UTC month, the lowest and highest id of a post stamped in it (isolated posts out)."""
    ranges: dict[str, tuple[int, int]] = {}
    for post_id, truth in supported(sorted(pairs)):
        month = f"{truth:%Y-%m}"
        lo, hi = ranges.get(month, (post_id, post_id))
        ranges[month] = (min(lo, post_id), max(hi, post_id))
    return tuple(sorted((lo, hi, month) for month, (lo, hi) in ranges.items()))


def supported(pairs: list[tuple[int, datetime]]) -> list[tuple[int, datetime]]:
    """The posts (sorted by id) with another measured post within MAX_ID_GAP ids."""
    ids = [p[0] for p in pairs]
    return [
        p
        for i, p in enumerate(pairs)
        if (i > 0 and p[0] - ids[i - 1] <= MAX_ID_GAP)
        or (i + 1 < len(ids) and ids[i + 1] - p[0] <= MAX_ID_GAP)
    ]


def score_table(table: pubdate.IdTable, test: list[tuple[int, datetime]]) -> str:
    """How the table dates held-out posts: answered at month / year, and how often right."""
    counts: Counter[str] = Counter()
    for post_id, truth in test:
        found = pubdate.id_date(table, post_id)
        if found is None:
            counts["none"] += 1
            continue
        when, precision = found
        right = (when.year, when.month) == (truth.year, truth.month) or (
            precision == "year" and when.year == truth.year
        )
        counts[f"{precision} {'right' if right else 'wrong'}"] += 1
    parts = []
    for precision in ("month", "year"):
        ok, bad = counts[f"{precision} right"], counts[f"{precision} wrong"]
        if ok + bad:
            parts.append(f"{precision}: {ok}/{ok + bad} right ({ok / (ok + bad):.2%})")
    return f"{len(test)} held out; " + "; ".join(parts) + f"; not dated {counts['none']}"


def calibrate(dated: list[Dated]) -> None:
    """Per URL scheme: monotonicity, two build/test splits, and the table from all files."""
    by_scheme: dict[str, list[tuple[int, datetime]]] = defaultdict(list)
    for item in dated:
        by_scheme[item.scheme].append((item.post_id, item.truth))
    for scheme in ("articles", "zh-hans"):
        pairs = sorted(by_scheme.get(scheme, []))
        print(f"\nscheme {scheme}: {len(pairs)} header-dated posts")
        if not pairs:
            print("  no truth: its ids are not evidence")
            continue
        inversions = sum(b[1] < a[1] for a, b in pairwise(pairs))
        day_back = sum(b[1] < a[1] - timedelta(days=1) for a, b in pairwise(pairs))
        kept = supported(pairs)
        widest = max(b[0] - a[0] for a, b in pairwise(kept))
        print(
            f"  ids {pairs[0][0]}–{pairs[-1][0]}; consecutive ids going back in time: "
            f"{inversions} ({inversions / len(pairs):.1%}), by more than a day: {day_back}; "
            f"isolated (> {MAX_ID_GAP} ids from any other): {len(pairs) - len(kept)}; "
            f"widest gap left inside: {widest} ids"
        )
        quarter = [p for p in pairs if p[0] % 4 == 0], [p for p in pairs if p[0] % 4 != 0]
        rng = random.Random(SPLIT_SEED)
        pick = [rng.random() < 0.5 for _ in pairs]
        halves = [p for p, k in zip(pairs, pick, strict=True) if k]
        rest = [p for p, k in zip(pairs, pick, strict=True) if not k]
        splits = {
            "build id%4==0, test id%4==2 (ids are all even)": quarter,
            "build id%4==2, test id%4==0": (quarter[1], quarter[0]),
            f"random 50 % (seed {SPLIT_SEED})": (halves, rest),
        }
        for name, (build, test) in splits.items():
            print(f"  {name}: {score_table(build_table(build), test)}")
        table = build_table(pairs)
        print(f"  table from all {len(pairs)}: ({len(table)} months)")
        for lo, hi, month in table:
            print(f"        ({lo:_}, {hi:_}, {month!r}),")


# --- /zh-hans/ posts (2022): no stamp; the truth is the date a few of them state in the text ----

STATED_DATE = re.compile(r"发布时间[｜|]\s*(\d{1,2})/(\d{1,2})/(20\d\d)")  # day/month/year
ZH_POST = re.compile(r"gnews\.org/zh-hans/(\d{6,8})")
STALE_ONLY = 200  # a month with fewer upload labels than this holds only reused images


@dataclass(frozen=True)
class ZhPost:
    post_id: int
    upload: str | None  # latest upload month of its images, "YYYY-MM"
    stated: str | None  # the month it states in its text, "YYYY-MM"


def zh_hans_posts(paths: list[Path]) -> list[ZhPost]:
    """Every /zh-hans/ post with its upload month and, where it states one, its own month."""
    posts = []
    for path in paths:
        content = path.read_text(encoding="utf-8", errors="replace")
        if not (m := ZH_POST.search(content[:3000])):
            continue
        uploads = UPLOAD_PATH.findall(content)
        stated = STATED_DATE.search(content)
        full = pubdate.REPORT_FULL.search(content[: pubdate.REPORT_TEXT_WINDOW])
        month = (
            f"{stated.group(3)}-{int(stated.group(2)):02d}" if stated
            else f"{full.group(1)}-{int(full.group(2)):02d}" if full else None
        )  # fmt: skip
        upload = "-".join(max(uploads)) if uploads else None
        posts.append(ZhPost(int(m.group(1)), upload, month))
    return posts


def boundary(before: list[int], after: list[int]) -> int:
    """The first id of the later month: the cut that the fewest labels contradict."""
    points = sorted([(i, 0) for i in before] + [(i, 1) for i in after])
    left_after, right_before = 0, len(before)
    best = (right_before, points[0][0])
    for post_id, label in points:
        right_before -= label == 0
        left_after += label == 1
        best = min(best, (right_before + left_after, post_id + 1))
    return best[1]


def zh_table(labelled: list[tuple[int, str]]) -> pubdate.IdTable:
    by_month: dict[str, list[int]] = defaultdict(list)
    for post_id, month in labelled:
        by_month[month].append(post_id)
    months = [m for m in sorted(by_month) if len(by_month[m]) >= STALE_ONLY]
    cuts = [boundary(by_month[a], by_month[b]) for a, b in pairwise(months)]
    edges = [min(by_month[months[0]]), *cuts, max(by_month[months[-1]]) + 1]
    ranges = [(lo, hi - 1, m) for lo, hi, m in zip(edges[:-1], edges[1:], months, strict=True)]
    ranges = [r for r in ranges if r[1] >= r[0]]  # a month of reused images only: no range
    first = sorted(by_month[ranges[0][2]])
    # The first range starts at the 2nd percentile of its labels, not at a lone early outlier.
    ranges[0] = (max(ranges[0][0], first[len(first) // 50]), ranges[0][1], ranges[0][2])
    return tuple(ranges)


def zh_hans(paths: list[Path]) -> None:
    """Build the /zh-hans/ id table from upload months, score it and the upload month on the posts
    that state their month (never used to build), and on the other half of the labels."""
    posts = zh_hans_posts(paths)
    truth = [p for p in posts if p.stated]
    labelled = [(p.post_id, p.upload) for p in posts if p.upload and not p.stated]
    table = zh_table(labelled)
    print(f"\n/zh-hans/ posts: {len(posts)}; stating their month: {len(truth)}; upload-labelled: "
          f"{len(labelled)}; inside the table: "
          f"{sum(pubdate.id_date(table, p.post_id) is not None for p in posts)}")  # fmt: skip
    for source, guess in (("gnews-id", lambda p: _id_month(table, p.post_id)),
                          ("upload-path", lambda p: p.upload)):  # fmt: skip
        got = [(guess(p), p.stated) for p in truth]
        dated = [(g, t) for g, t in got if g]
        right = sum(bool(t and t.startswith(g)) for g, t in dated)
        share = right / max(1, len(dated))
        verdict = "OK" if share >= 1 - MAX_MISS else "MISSES > 2 %"
        print(f"  {source:<12} {len(dated):>4} dated of {len(truth)} stating posts, "
              f"{right} right ({share:.1%})  {verdict}")  # fmt: skip
    for k in (0, 2):
        build = [x for x in labelled if x[0] % 4 == k]
        test = [x for x in labelled if x[0] % 4 != k]
        held = zh_table(build)
        kept = {m for _, _, m in held}
        scored = [(_id_month(held, i), m) for i, m in test if m in kept]
        scored = [(g, m) for g, m in scored if g and len(g) == 7]
        agree = sum(g == m for g, m in scored)
        print(f"  built from ids ÷ 4 {'even' if k == 0 else 'odd'}: the other half's upload month "
              f"agrees {agree}/{len(scored)} ({agree / max(1, len(scored)):.1%})")  # fmt: skip
    print("  table from all labels:")
    for lo, hi, month in table:
        print(f"        ({lo:_}, {hi:_}, {month!r}),")


def _id_month(table: pubdate.IdTable, post_id: int) -> str | None:
    found = pubdate.id_date(table, post_id)
    if found is None:
        return None
    when, precision = found
    return f"{when:%Y-%m}" if precision == "month" else f"{when:%Y}"


if __name__ == "__main__":
    main()
