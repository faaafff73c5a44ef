"""Records of the parsing stage: what a reader found in a file, and the finished Article."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, get_args

Precision = Literal["second", "minute", "day", "month", "year"]
PRECISIONS: tuple[str, ...] = get_args(Precision)
# A publication date outside these years is a typo, a placeholder (0000-00-00) or an overflow
# (an epoch of 1e300), never a news article; and inside them every fixed offset converts to UTC
# without leaving datetime's range (year 1 at +05:00 would).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200

# Where a publication date was read from, most to least trustworthy.
DATE_SOURCES = (
    # GNews's own byline stamp (`3/11/2023 2:51 AM UTC farm`): the site's publication instant,
    # to the minute with its zone; only the GNews reader emits it, so ranking it first changes
    # no other format, and it outranks an archiver's fetch time or a converter's front matter.
    "header",
    "epoch-comment",  # <!--1648146660000--> written by the archiver at fetch time
    "front-matter",  # date: field of a YAML header
    "record",  # `time` field of a JSON Lines record
    "html-meta",  # <meta property="article:published_time"> of a saved web page
    "dateline",  # a date line at the head of the body (<i>2021-12-06T07:17:43Z</i>)
    "url",  # a date in the article's URL (/20220324-…, cl-03242022142839.html)
    # The two month sources of GNews posts, in the order of their measured accuracy (pubdate).
    "gnews-id",  # GNews post ids, only inside the measured range of one URL scheme
    "report-text",  # the month of 【大纪元2022年02月25日讯】
    "upload-path",  # wp-content/uploads/2022/03/ of a 2022 (/zh-hans/) GNews post's images
    "file-path",  # archived/2021-12-06/… or 2021-12-06-title.md
)


@dataclass(frozen=True)
class Published:
    """A publication instant (UTC) with how precisely it is known and where it came from."""

    instant: datetime
    precision: Precision
    source: str
    evidence: str
    inferred: bool = False

    def __post_init__(self) -> None:
        # Only ValueError, whatever the instant: a caller catches one kind of refusal.
        if not isinstance(self.instant, datetime) or not is_aware(self.instant):
            raise ValueError("publication instants must be time-zone aware")
        if self.source not in DATE_SOURCES:
            raise ValueError(f"unknown date source {self.source!r}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")
        if not EARLIEST_YEAR <= self.instant.year <= LATEST_YEAR:
            raise ValueError(f"publication year {self.instant.year} is not plausible")
        object.__setattr__(self, "instant", self.instant.astimezone(UTC))

    def as_dict(self) -> dict[str, Any]:
        return {
            "instant": self.instant.isoformat().replace("+00:00", "Z"),
            "precision": self.precision,
            "source": self.source,
            "evidence": self.evidence,
            "inferred": self.inferred,
        }


def is_aware(when: datetime) -> bool:
    """Whether a datetime knows its offset (a tzinfo may answer None, or fail, for some)."""
    try:
        return when.utcoffset() is not None
    except (ValueError, TypeError, OverflowError):
        return False


@dataclass(frozen=True)
class Candidate:
    """One piece of date evidence; naive ``when`` is local time of the outlet."""

    when: datetime
    precision: Precision
    source: str
    evidence: str


@dataclass
class RawArticle:
    """What a reader found in a file, already typed; the builder turns it into an Article."""

    body_html: str
    title: str | None = None
    url: str | None = None
    byline: str | None = None
    outlet_names: tuple[str, ...] = ()
    dates: list[Candidate] = field(default_factory=list)
    repost_of: str | None = None
    id_suffix: str | None = None  # set by readers that find many articles in one file
    extra_urls: tuple[str, ...] = ()  # other URLs of the file, for inferring a date
    notes: tuple[str, ...] = ()  # what the reader had to do differently (kept text, said why)


@dataclass(frozen=True)
class Article:
    id: str
    source_path: str
    format: str
    outlet: str
    outlet_zh: str
    outlet_en: str
    title: str
    url: str | None
    published: Published
    repost_of: str | None
    language: str
    script: str | None
    byline: str | None
    encoding: str
    text: str
    sentences: tuple[str, ...]
    images: tuple[str, ...]
    html: str

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n\n") if self.text else []

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source_path": self.source_path,
            "format": self.format,
            "outlet": self.outlet,
            "outlet_zh": self.outlet_zh,
            "outlet_en": self.outlet_en,
            "title": self.title,
            "url": self.url,
            "published": self.published.as_dict(),
            "repost_of": self.repost_of,
            "language": self.language,
            "script": self.script,
            "byline": self.byline,
            "encoding": self.encoding,
            "text": self.text,
            "sentences": list(self.sentences),
            "images": list(self.images),
            "html": self.html,
        }
