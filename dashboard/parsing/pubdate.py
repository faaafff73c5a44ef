"""Publication dates: every place a file can tell when it was published, and the choice among them.

Each ``extract_*`` reads one kind of evidence and returns candidates; ``choose`` takes the most
trustworthy one. A file with no usable evidence gets no date at all (never today's date or the
file's mtime): the corpus reader reports it instead. Nothing here raises on odd input: a value
that is not a plausible date is simply not a candidate.

Inferred sources state only a precision they were measured to meet on the GNews scale corpus
(``python benchmarks/bench_pubdate.py``: header-dated files with the date removed): a wrong date
on the timeline is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from dashboard.parsing.articles import (
    DATE_SOURCES,
    EARLIEST_YEAR,
    LATEST_YEAR,
    PRECISIONS,
    Candidate,
    Precision,
    Published,
    is_aware,
)

EPOCH_COMMENT = re.compile(r"<!--\s*(\d{12,13})\s*-->")
EPOCH_MS_ABOVE = 1e11  # a number this large is epoch milliseconds (as seconds: year 5138)
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
# The stamp opening a GNews byline: `3/11/2023 2:51 AM UTC 秘密翻譯組G-Translators`. US order
# (month/day/year), a 12-hour clock, always UTC: the only form in the 20,296 files of the scale
# corpus (8,482 carry it, every one of them under gnews.org/articles/; none under /zh-hans/).
HEADER_DATE = re.compile(
    r"^\s*(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<half>[AaPp][Mm])\s+UTC(?=\s|$)"
)
URL_DATES: tuple[tuple[re.Pattern[str], str, Precision], ...] = (
    (re.compile(r"[-_/](\d{2})(\d{2})(20\d{2})(\d{2})(\d{2})(\d{2})\.html?$"), "mdY", "day"),  # RFA
    (re.compile(r"/(20\d{2})(\d{2})(\d{2})-"), "Ymd", "day"),  # RFI
    (re.compile(r"-(20\d{2})(\d{2})(\d{2})/\d+\.html"), "Ymd", "day"),  # VOA
    (re.compile(r"/(20\d{2})(\d{2})(\d{2})\d{4}\.aspx"), "Ymd", "day"),  # CNA
    (re.compile(r"/gb/(\d{2})/(\d{1,2})/(\d{1,2})/n\d+"), "ymd", "day"),  # Epoch
    (re.compile(r"/(20\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|\.html|-)"), "Ymd", "day"),
    (re.compile(r"/(20\d{2})/(\d{2})/(?!\d)"), "Ym", "month"),
)
FILE_PATH_DATE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})-(\d{2})-(\d{2})(?!\d)")
# 【大纪元2022年02月25日讯】, 新华社北京2022年1月1日电: on 535 header-dated GNews posts its month
# was right 99.6 %, its day only 96.6 % (the post comes a day or more later), so it states the
# month. A yearless 据路透社3月18日报道 is not read: with its year taken from another source its
# month was right in only 94.7 % of 419 posts, and it can add nothing its year's source lacks.
# The image upload month (wp-content/uploads/2022/03/) depends on the site: on the 2023–24
# /articles/ posts that have one it gave the month 3/9 and the year 6/9 (images reused from years
# before), so there it is never a date; on the 2022 /zh-hans/ posts it matched the month the post
# itself states (发布时间｜25/04/2022, 2022年5月3日讯) in 56 of 57, so there it gives the month
# (`bench_pubdate.py --zh-hans`).
REPORT_FULL = re.compile(r"(20\d{2})年(\d{1,2})月(\d{1,2})日(?:讯|訊|电|電)")
# The post's own URL: gnews.org/articles/1002874 (the 2023–24 site) or gnews.org/zh-hans/2225288/
# (the 2021–22 site). The two schemes number posts on separate clocks whose ids overlap.
GNEWS_POST = re.compile(r"gnews\.org/(?P<scheme>articles|zh-hans)/(?P<id>\d{6,8})(?!\d)")
# Per URL scheme, (lowest id, highest id, UTC month) of the posts stamped in each month: measured
# on the 8,482 header-dated posts of the scale corpus (all under /articles/), by
#     python benchmarks/bench_pubdate.py /tmp/gnews --calibrate
# Built from half of them, it dates the other half's month right 99.68 % (ids ÷ 4 odd held out),
# 99.84 % (ids ÷ 4 even held out) and 99.91 % (random half, seed 20240402); ids between two
# months of one year (ranges overlap at the turn of a month) give the year, right 100 %. The ids
# are a clock only at month scale (22 consecutive posts go back more than a day) and only inside
# this span; /zh-hans/ posts (2021–22) carry no stamp, so nothing was measured for them and their
# ids are not evidence (the earlier table, extrapolated across schemes, put 21 September 2023
# posts in December 2021).
# /zh-hans/ posts carry no stamp; their table is built from the upload months of the 9,723 posts
# with images that state no date in the text: between consecutive months, the boundary id that
# fewest labels contradict (a month of only reused images, such as 2022-03 spread over every id,
# drops out; the first range starts at the 2nd percentile of its labels). Scored on the 57 posts
# that state their month in the text (发布时间｜25/04/2022, 2022年5月3日讯), never used to build
# it: 54 of the 55 inside the table right (98.2 %; the miss states April and carries May images);
# each half, built from ids ÷ 4 even or odd, agrees with the other half's upload month 95.8 % and
# 96.2 % (a noisy lower bound). `python benchmarks/bench_pubdate.py /tmp/gnews --zh-hans`.
IdTable = tuple[tuple[int, int, str], ...]  # (lowest id, highest id, "YYYY-MM"), by id
GNEWS_ID_MONTHS: dict[str, IdTable] = {
    "articles": (
        (1_002_874, 1_062_420, "2023-03"),
        (1_064_278, 1_264_824, "2023-04"),
        (1_265_250, 1_346_884, "2023-05"),
        (1_347_330, 1_427_248, "2023-06"),
        (1_428_320, 1_502_608, "2023-07"),
        (1_500_906, 1_626_168, "2023-08"),
        (1_628_408, 1_761_620, "2023-09"),
        (1_763_384, 1_908_940, "2023-10"),
        (1_901_746, 2_055_792, "2023-11"),
        (2_040_142, 2_170_448, "2023-12"),
        (2_171_072, 2_271_062, "2024-01"),
        (2_271_836, 2_354_582, "2024-02"),
        (2_354_606, 2_440_128, "2024-03"),
        (2_439_078, 2_444_750, "2024-04"),
    ),
    "zh-hans": (
        (2_413_692, 2_446_714, "2022-04"),
        (2_446_715, 2_641_226, "2022-05"),
        (2_641_227, 2_696_336, "2022-06"),
    ),
}
UPLOAD_MONTH_SCHEMES = frozenset({"zh-hans"})  # where the upload month was measured to hold
UPLOAD_PATH = re.compile(r"/wp-content/uploads/(20\d{2})/(\d{2})/")
STATED_SOURCES = frozenset(
    {"header", "epoch-comment", "front-matter", "record", "html-meta", "dateline"}
)
CALENDAR_PRECISIONS = frozenset({"day", "month", "year"})
REPORT_TEXT_WINDOW = 600  # a report line sits at the head of the text
ARCHIVE_LAG_DAYS = 2  # a URL date this much before the archive time stamp wins


def choose(candidates: list[Candidate], tz: str) -> Published | None:
    """The most trustworthy usable candidate as a UTC Published, or None when there is none."""
    usable = [c for c in candidates if usable_candidate(c)]
    if not usable:
        return None
    best = min(usable, key=lambda c: DATE_SOURCES.index(c.source))
    when = best.when if is_aware(best.when) else best.when.replace(tzinfo=_zone(tz))
    if best.precision in CALENDAR_PRECISIONS:
        # A calendar date, not an instant: keep the date itself, whatever the outlet's zone,
        # from the first day of the period it names.
        month = 1 if best.precision == "year" else best.when.month
        day = best.when.day if best.precision == "day" else 1
        when = datetime(best.when.year, month, day, tzinfo=UTC)
    inferred = best.source not in STATED_SOURCES
    return Published(when, best.precision, best.source, best.evidence, inferred)


def usable_candidate(candidate: Candidate) -> bool:
    """Whether Published can be made from the candidate: a plausible datetime, a known source and
    precision."""
    when = candidate.when
    return (
        isinstance(when, datetime)
        and plausible(when)
        and candidate.source in DATE_SOURCES
        and candidate.precision in PRECISIONS
    )


def _zone(tz: str) -> tzinfo:
    try:
        return ZoneInfo(tz)
    # An unknown or malformed zone name (ZoneInfoNotFoundError is a KeyError): the outlet's
    # clock is unknown, and UTC at least keeps the calendar date.
    except (KeyError, ValueError, TypeError, OSError):
        return UTC


def archived_late(published: Published, url_day: Candidate | None) -> bool:
    """Whether the archive's time stamp is days after the date in the article's own URL: the
    archiver fetched an old article (CNA items of February archived in March), so the URL's
    date is the publication date."""
    if url_day is None or url_day.precision != "day":
        return False
    return url_day.when.date() < published.instant.date() - timedelta(days=ARCHIVE_LAG_DAYS)


def plausible(when: datetime) -> bool:
    """Whether a datetime can be a publication date (inside the plausible years, offset known)."""
    if not EARLIEST_YEAR <= when.year <= LATEST_YEAR:
        return False
    return when.tzinfo is None or is_aware(when)


def _candidate(
    make: Callable[[], datetime], precision: Precision, source: str, evidence: str
) -> Candidate | None:
    """A candidate from a datetime built by ``make``, or None if it cannot be built or is not
    plausible (datetime's constructors raise ValueError, OverflowError or OSError)."""
    try:
        when = make()
    except (ValueError, OverflowError, OSError, TypeError):
        return None
    return Candidate(when, precision, source, evidence) if plausible(when) else None


def extract_epoch(text: str) -> Candidate | None:
    """The archiver's <!--epoch ms--> comment."""
    m = EPOCH_COMMENT.search(text[:4000])
    if not m:
        return None
    ms = int(m.group(1))
    seconds = ms / 1000 if len(m.group(1)) == 13 else ms
    return _candidate(lambda: datetime.fromtimestamp(seconds, UTC), "second", "epoch-comment", m[0])


def split_header_date(byline: str) -> tuple[Candidate | None, str]:
    """The date stamp opening a GNews byline as a UTC minute, and the byline without it."""
    m = HEADER_DATE.match(byline)
    if not m:
        return None, byline
    month, day, year, hour, minute = (int(m[k]) for k in ("month", "day", "year", "hour", "minute"))
    rest = byline[m.end() :].strip()
    stamp = m[0].strip()
    if not 1 <= hour <= 12:
        return None, rest  # a stamp, but not a 12-hour clock reading
    hour = hour % 12 + (12 if m["half"].upper() == "PM" else 0)  # 12 AM is 00, 12 PM is 12
    found = _candidate(
        lambda: datetime(year, month, day, hour, minute, tzinfo=UTC), "minute", "header", stamp
    )
    return found, rest


def parse_datetime(value: object, source: str) -> Candidate | None:
    """A front-matter or JSON date value: datetime, date, RFC 2822, ISO 8601 or epoch."""
    if isinstance(value, datetime):
        return _candidate(lambda: value, "second", source, _evidence(value))
    if isinstance(value, date):
        return _candidate(
            lambda: datetime(value.year, value.month, value.day), "day", source, str(value)
        )
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _candidate(lambda: _from_epoch(value), "second", source, str(value))
    if isinstance(value, str):
        return parse_date_string(value.strip(), source)
    return None


def _evidence(value: datetime) -> str:
    try:
        return value.isoformat()
    except (ValueError, TypeError, OverflowError):  # a tzinfo that fails when asked its offset
        return repr(value)


def _from_epoch(value: float) -> datetime:
    seconds = value / 1000 if value > EPOCH_MS_ABOVE else value
    return datetime.fromtimestamp(seconds, UTC)


def parse_date_string(raw: str, source: str) -> Candidate | None:
    """A date written as text, in any of the forms the archives use."""
    if not isinstance(raw, str) or not raw:
        return None
    if RFC2822.match(raw):
        return _candidate(lambda: parsedate_to_datetime(raw), "second", source, raw)
    if m := DMY_TIME.match(raw):
        day, month, year, hour, minute = map(int, m.groups())
        return _candidate(lambda: datetime(year, month, day, hour, minute), "minute", source, raw)
    if m := ISO_DATETIME.fullmatch(raw):
        return _from_iso(m, source, raw)
    return None


def _from_iso(m: re.Match[str], source: str, raw: str) -> Candidate | None:
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if m.group(4) is None:
        return _day(year, month, day, source, raw)
    iso = raw.replace("Z", "+00:00").replace(" ", "T", 1)
    return _candidate(
        lambda: datetime.fromisoformat(iso), "second" if m.group(6) else "minute", source, raw
    )


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
    return _candidate(
        lambda: datetime(year, parts["m"], parts.get("d", 1)), precision, source, evidence
    )


def gnews_post(url: str | None) -> tuple[str, int] | None:
    """(URL scheme, post id) of a GNews post URL."""
    m = GNEWS_POST.search(url or "")
    return (m["scheme"], int(m["id"])) if m else None


def own_post(urls: list[str]) -> tuple[str, int] | None:
    """(scheme, id) of the first GNews post URL: the article's own (callers put it first)."""
    return next((p for u in urls if (p := gnews_post(u))), None)


def extract_gnews_month(urls: list[str]) -> Candidate | None:
    """The month (or only the year) a GNews post id gives, inside the measured table of its URL
    scheme; the first GNews post URL (the article's own, callers put it first) decides."""
    post = own_post(urls)
    if post is None:
        return None
    scheme, post_id = post
    found = id_date(GNEWS_ID_MONTHS.get(scheme, ()), post_id)
    if found is None:
        return None
    when, precision = found
    return Candidate(when, precision, "gnews-id", f"GNews {scheme} post {post_id}")


def id_date(table: IdTable, post_id: int) -> tuple[datetime, Precision] | None:
    """Month of an id inside exactly one range of a measured table; its year where the id lies
    between (or in overlapping) ranges of one year; nothing outside the table or across a year."""
    if not table or not table[0][0] <= post_id <= table[-1][1]:
        return None
    months = {month for lo, hi, month in table if lo <= post_id <= hi}
    if not months:  # in a gap: between the month before and the month after
        months = {max((r for r in table if r[1] < post_id), key=lambda r: r[1])[2]}
        months |= {min((r for r in table if r[0] > post_id), key=lambda r: r[0])[2]}
    if len(months) == 1:
        year, month = map(int, months.pop().split("-"))
        return datetime(year, month, 1), "month"
    years = {m[:4] for m in months}
    return (datetime(int(years.pop()), 1, 1), "year") if len(years) == 1 else None


def extract_upload_month(urls: list[str]) -> Candidate | None:
    """The latest wp-content/uploads/YYYY/MM of a /zh-hans/ GNews post's own images (the first
    GNews post URL is the article's own); nowhere else was it measured to hold."""
    post = own_post(urls)
    if post is None or post[0] not in UPLOAD_MONTH_SCHEMES:
        return None
    months = sorted({(int(y), int(m)) for u in urls for y, m in UPLOAD_PATH.findall(u)})
    months = [(y, m) for y, m in months if 1 <= m <= 12]
    if not months:
        return None
    year, month = months[-1]
    evidence = f"wp-content/uploads/{year}/{month:02d}/"
    return _candidate(lambda: datetime(year, month, 1), "month", "upload-path", evidence)


def extract_report_date(text: str) -> Candidate | None:
    """The month of a '2023年03月21日讯' line at the head of the text (a repost's own dateline:
    often a day or more before the post, so only its month was measured to hold)."""
    if m := REPORT_FULL.search(text[:REPORT_TEXT_WINDOW]):
        year, month = int(m.group(1)), int(m.group(2))
        return _candidate(lambda: datetime(year, month, 1), "month", "report-text", m.group(0))
    return None


def extract_file_path_date(path: str) -> Candidate | None:
    """A YYYY-MM-DD in the file's path (archives file posts by day)."""
    for m in FILE_PATH_DATE.finditer(path):
        year, month, day = map(int, m.groups())
        if found := _day(year, month, day, "file-path", m.group(0)):
            return found
    return None


def _day(year: int, month: int, day: int, source: str, evidence: str) -> Candidate | None:
    return _candidate(lambda: datetime(year, month, day), "day", source, evidence)


def infer(
    text: str, body_html: str, url: str | None, urls: list[str], path: str
) -> list[Candidate]:
    """Inferred candidates for a file whose header gave no date, weakest evidence included."""
    found = (
        extract_dateline(body_html),
        extract_url_date(url),
        extract_gnews_month(urls),
        extract_report_date(text),
        extract_upload_month(urls),
        extract_file_path_date(path),
    )
    return [c for c in found if c is not None]
