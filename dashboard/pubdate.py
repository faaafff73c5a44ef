"""Publication dates: every place a file can tell when it was published, and the choice among them.

Each ``extract_*`` reads one kind of evidence and returns candidates; ``choose`` takes the most
trustworthy one. A file with no usable evidence gets no date at all (never today's date or the
file's mtime): the corpus reader reports it instead.
"""

from __future__ import annotations

import bisect
import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from dashboard.articles import DATE_SOURCES, Candidate, Precision, Published

EPOCH_COMMENT = re.compile(r"<!--\s*(\d{12,13})\s*-->")
ISO_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?"
)
# A date line opening a body: <i>2021-12-06T07:17:43Z</i>, <i>Tue, 21 Dec 2021 00:19:36 GMT</i>,
# RFI's <div>24/03/2022 - 20:59</div> (Paris local time).
DATELINE_TAGGED = re.compile(
    r"<(?:i|div|time|span|p)\b[^>]*>\s*([^<]{8,40}?)\s*</(?:i|div|time|span|p)>"
)
DMY_TIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s*-\s*(\d{1,2}):(\d{2})$")
RFC2822 = re.compile(r"^(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{2}:\d{2}")
URL_DATES: tuple[tuple[re.Pattern[str], str, Precision], ...] = (
    (re.compile(r"[-_/](\d{2})(\d{2})(20\d{2})(\d{2})(\d{2})(\d{2})\.html?$"), "mdY", "day"),  # RFA
    (re.compile(r"/(20\d{2})(\d{2})(\d{2})-"), "Ymd", "day"),  # RFI
    (re.compile(r"-(20\d{2})(\d{2})(\d{2})/\d+\.html"), "Ymd", "day"),  # VOA
    (re.compile(r"/(20\d{2})(\d{2})(\d{2})\d{4}\.aspx"), "Ymd", "day"),  # CNA
    (re.compile(r"/gb/(\d{2})/(\d{1,2})/(\d{1,2})/n\d+"), "ymd", "day"),  # Epoch
    (re.compile(r"/(20\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|\.html|-)"), "Ymd", "day"),
    (re.compile(r"/(20\d{2})/(\d{2})/(?!\d)"), "Ym", "month"),
)
UPLOAD_PATH = re.compile(r"/wp-content/uploads/(20\d{2})/(\d{2})/")
FILE_PATH_DATE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})-(\d{2})-(\d{2})(?!\d)")
# 据法国国际广播电台3月24日报道 / 据路透社2月15日的报道: the repost names its source's date.
REPORT_MONTH_DAY = re.compile(
    r"据([^，。,\d]{1,14}?)(\d{1,2})月(\d{1,2})日(?:的)?(?:报道|报导|報導|報道|消息|电|電|讯|訊)"
)
# 【大纪元2022年02月25日讯】, 新华社北京2022年1月1日电
REPORT_FULL = re.compile(r"(20\d{2})年(\d{1,2})月(\d{1,2})日(?:讯|訊|电|電)")
GNEWS_ID = re.compile(r"gnews\.org/(?:[a-z-]+/)?(\d{6,8})/?")
# GNews post ids grow with time. Months observed for dated reposts in the public archive.
GNEWS_ID_MONTHS: tuple[tuple[int, int, str], ...] = (
    (1_719_850, 1_792_181, "2021-12"),
    (1_839_568, 1_927_177, "2022-01"),
    (2_005_603, 2_081_224, "2022-02"),
    (2_133_740, 2_228_353, "2022-03"),
)
STATED_SOURCES = frozenset({"epoch-comment", "front-matter", "record", "html-meta", "dateline"})
REPORT_TEXT_WINDOW = 600  # a report line sits at the head of the text
ARCHIVE_LAG_DAYS = 2  # a URL date this much before the archive time stamp wins


def choose(candidates: list[Candidate], tz: str) -> Published | None:
    """The most trustworthy candidate as a UTC Published, or None when there is none."""
    if not candidates:
        return None
    best = min(candidates, key=lambda c: DATE_SOURCES.index(c.source))
    when = best.when if best.when.tzinfo else best.when.replace(tzinfo=ZoneInfo(tz))
    if best.precision in ("day", "month", "year"):
        # A calendar date, not an instant: keep the date itself, whatever the outlet's zone.
        when = datetime(best.when.year, best.when.month, best.when.day, tzinfo=UTC)
    inferred = best.source not in STATED_SOURCES
    return Published(when, best.precision, best.source, best.evidence, inferred)


def archived_late(published: Published, url_day: Candidate | None) -> bool:
    """Whether the archive's time stamp is days after the date in the article's own URL: the
    archiver fetched an old article (CNA items of February archived in March), so the URL's
    date is the publication date."""
    if url_day is None or url_day.precision != "day":
        return False
    return url_day.when.date() < published.instant.date() - timedelta(days=ARCHIVE_LAG_DAYS)


def extract_epoch(text: str) -> Candidate | None:
    """The archiver's <!--epoch ms--> comment."""
    m = EPOCH_COMMENT.search(text[:4000])
    if not m:
        return None
    ms = int(m.group(1))
    seconds = ms / 1000 if len(m.group(1)) == 13 else ms
    try:
        when = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return Candidate(when, "second", "epoch-comment", m.group(0))


def parse_datetime(value: object, source: str) -> Candidate | None:
    """A front-matter or JSON date value: datetime, date, RFC 2822, ISO 8601 or epoch."""
    if isinstance(value, datetime):
        return Candidate(value, "second", source, value.isoformat())
    if isinstance(value, date):
        return Candidate(datetime(value.year, value.month, value.day), "day", source, str(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        when = datetime.fromtimestamp(value / 1000 if value > 1e11 else value, UTC)
        return Candidate(when, "second", source, str(value))
    if isinstance(value, str):
        return parse_date_string(value.strip(), source)
    return None


def parse_date_string(raw: str, source: str) -> Candidate | None:
    """A date written as text, in any of the forms the archives use."""
    if not raw:
        return None
    if RFC2822.match(raw):
        try:
            return Candidate(parsedate_to_datetime(raw), "second", source, raw)
        except (TypeError, ValueError):
            return None
    if m := DMY_TIME.match(raw):
        day, month, year, hour, minute = map(int, m.groups())
        return _safe(lambda: datetime(year, month, day, hour, minute), "minute", source, raw)
    if m := ISO_DATETIME.fullmatch(raw):
        return _from_iso(m, source, raw)
    return None


def _from_iso(m: re.Match[str], source: str, raw: str) -> Candidate | None:
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if m.group(4) is None:
        return _safe(lambda: datetime(year, month, day), "day", source, raw)
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    return Candidate(when, "second" if m.group(6) else "minute", source, raw)


def _safe(make, precision: Precision, source: str, evidence: str) -> Candidate | None:  # type: ignore[no-untyped-def]
    try:
        return Candidate(make(), precision, source, evidence)
    except ValueError:
        return None


def extract_dateline(body_html: str) -> Candidate | None:
    """A date line in the first few elements of the body."""
    for m in DATELINE_TAGGED.finditer(body_html[:1500]):
        found = parse_date_string(m.group(1).strip(), "dateline")
        if found:
            return found
    return None


def extract_url_date(url: str | None) -> Candidate | None:
    """A date written into the article's URL."""
    if not url:
        return None
    path = unquote(url.split("?", 1)[0])
    for pattern, order, precision in URL_DATES:
        if m := pattern.search(path):
            return _ordered(m, order, precision, "url", url)
    return None


def _ordered(
    m: re.Match[str], order: str, precision: Precision, source: str, evidence: str
) -> Candidate | None:
    parts = dict(zip(order, map(int, m.groups()[: len(order)]), strict=True))
    year = parts.get("Y") or 2000 + parts.get("y", 0)
    return _safe(lambda: datetime(year, parts["m"], parts.get("d", 1)), precision, source, evidence)


def extract_upload_month(urls: list[str]) -> Candidate | None:
    """The latest wp-content/uploads/YYYY/MM of the article's own images (uploaded before it)."""
    months = sorted({(int(y), int(m)) for u in urls for y, m in UPLOAD_PATH.findall(u)})
    months = [(y, m) for y, m in months if 1 <= m <= 12]
    if not months:
        return None
    year, month = months[-1]
    return Candidate(
        datetime(year, month, 1), "month", "upload-path", f"wp-content/uploads/{year}/{month:02d}/"
    )


def extract_gnews_month(urls: list[str]) -> Candidate | None:
    """The month a GNews post id falls in, where ids of dated posts bracket it."""
    for url in urls:
        if m := GNEWS_ID.search(url):
            month = gnews_id_month(int(m.group(1)))
            if month:
                year, mon = map(int, month.split("-"))
                return Candidate(
                    datetime(year, mon, 1), "month", "gnews-id", f"GNews post {m.group(1)}"
                )
    return None


def gnews_id_month(post_id: int) -> str | None:
    """Month of a GNews post id inside the calibrated ranges (nearest range within a gap)."""
    starts = [lo for lo, _, _ in GNEWS_ID_MONTHS]
    i = bisect.bisect_right(starts, post_id) - 1
    if i < 0 or post_id > GNEWS_ID_MONTHS[-1][1]:
        return None
    _, hi, month = GNEWS_ID_MONTHS[i]
    if post_id <= hi or i + 1 == len(GNEWS_ID_MONTHS):
        return month
    next_lo = GNEWS_ID_MONTHS[i + 1][0]
    return month if post_id - hi < next_lo - post_id else GNEWS_ID_MONTHS[i + 1][2]


def extract_report_date(text: str, anchors: list[Candidate]) -> Candidate | None:
    """A '据X月Y日报道' or '2022年1月1日讯' line at the head of the text."""
    head = text[:REPORT_TEXT_WINDOW]
    if m := REPORT_FULL.search(head):
        year, month, day = map(int, m.groups())
        return _safe(lambda: datetime(year, month, day), "day", "report-text", m.group(0))
    m = REPORT_MONTH_DAY.search(head)
    if not m or not anchors:
        return None
    month, day = int(m.group(2)), int(m.group(3))
    anchor = min(anchors, key=lambda c: DATE_SOURCES.index(c.source))
    year = _nearest_year(anchor.when, month, day)
    evidence = f"{m.group(0)} (year from {anchor.source}: {anchor.evidence})"
    return _safe(lambda: datetime(year, month, day), "day", "report-text", evidence)


def _nearest_year(anchor: datetime, month: int, day: int) -> int:
    base = anchor.replace(tzinfo=None)
    options = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            options.append((abs(datetime(year, month, day) - base), year))
        except ValueError:
            continue
    return min(options)[1] if options else base.year


def extract_file_path_date(path: str) -> Candidate | None:
    """A YYYY-MM-DD in the file's path (archives file posts by day)."""
    for m in FILE_PATH_DATE.finditer(path):
        year, month, day = map(int, m.groups())
        found = _safe(
            lambda y=year, mo=month, d=day: datetime(y, mo, d), "day", "file-path", m.group(0)
        )
        if found:
            return found
    return None


def infer(
    text: str, body_html: str, url: str | None, urls: list[str], path: str
) -> list[Candidate]:
    """Inferred candidates for a file whose header gave no date, weakest evidence included."""
    found = [extract_dateline(body_html), extract_url_date(url)]
    months = [c for c in (extract_gnews_month(urls), extract_upload_month(urls)) if c]
    anchors = [c for c in (*found, *months, extract_file_path_date(path)) if c]
    found.append(extract_report_date(text, anchors))
    found.extend(months)
    found.append(extract_file_path_date(path))
    return [c for c in found if c is not None]
