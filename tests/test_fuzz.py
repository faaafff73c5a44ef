"""Fuzzing the readers: mutated real files, random bytes and generated documents of every format.

Whatever a file holds, reading it gives articles or report lines (never an exception), within
its time budget, and every article it gives is one the rest of the pipeline can take: a valid
publication date, only http(s) URLs, events inside the calendar window.
"""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.parsing.corpus import FileRead, read_corpus, read_data
from dashboard.parsing.events import build_events
from dashboard.parsing.faults import BUDGET_PER_MIB, FILE_BUDGET_SECONDS
from dashboard.parsing.store import build_data

GOLDEN = Path(__file__).parent / "data" / "golden"
REAL_FILES = sorted(
    p for p in GOLDEN.rglob("*") if p.is_file() and not p.name.endswith(".expected.json")
)
MUTATIONS_PER_FILE = 40
SLACK_SECONDS = 1.5  # the budget is enforced at the next bytecode; a loaded CI box is slow
# What real archives and fuzzers put in files: each once crashed, hung or lost text somewhere.
HOSTILE = (
    "<noscript>", "<style>", "<title>", "<textarea>", "<form>", "</form>", "<script>", "<!--",
    "-->", "[[zh:", "[[", "]]", "|", "\u2028", "\u2029", "\x85", "\ufeff", "\x00", "\r", "---\n",
    "date: -99999999999\n", "date: .inf\n", "date: 0000-00-00\n", "date: 2022-01-01T25:61:61\n",
    "date: 2022-01-01T10:00:00+99:99\n", "date: !!timestamp 2022-02-30\n", "<!--99999999999999-->",
    "<!--0000000000000-->", "`13/45/2024 99:99 PM UTC 农场` ", "9999年12月31日", "过去 2500 年",
    "公元前480年", "明天", "明年", "周六", "3月1日", "过去99999999999999999999天", "<b><i>" * 300,
    "<div>" * 3000, "[" * 3000, "*a" * 3000, "javascript:alert(1)", "[x](javascript:alert(1))",
    '<img srcset="javascript:x 1x">', '<a href="vbscript:x">', "&#0;", "&#xD800;", "\ud800",
    '{"id": "1", "text": ', "]" * 2000, "{" * 2000, "### [:house:返回](README.md)\n",
    "`1/31/2024 9:45 AM UTC 喜马拉雅农场` [轉載自GNews](https://gnews.org/articles/1722059)\n",
)  # fmt: skip


def check(found: FileRead, data: bytes, seconds: float) -> None:
    """Every property a read must have, whatever the input."""
    assert found.articles or found.skipped, "a file vanished without a report line"
    budget = FILE_BUDGET_SECONDS * (1 + max(1, len(found.articles) + len(found.skipped)))
    assert seconds < budget + BUDGET_PER_MIB * len(data) / 1_048_576 + SLACK_SECONDS
    for article in found.articles:
        assert article.published.instant.tzinfo is not None
        for url in (article.url, article.repost_of):
            assert url is None or url.startswith(("http://", "https://"))
        assert all(u.startswith(("http://", "https://")) for u in linked_urls(article.html))
    for event in build_events(found.articles, "Asia/Shanghai"):
        assert event.start <= event.end
        assert 1000 <= event.start.year <= 9999


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append(value)
            elif name == "srcset" and value:
                self.urls.extend(part.split()[0] for part in value.split(",") if part.split())


def linked_urls(clean_html: str) -> list[str]:
    """Every URL the sanitised HTML would make a browser follow or fetch."""
    parser = _Links()
    parser.feed(clean_html)
    parser.close()
    return parser.urls


def read_checked(data: bytes, name: str = "fuzz.md") -> FileRead:
    started = time.monotonic()
    found = read_data(data, name, "Asia/Shanghai")
    check(found, data, time.monotonic() - started)
    return found


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random edit of a real file: flip, insert, delete, truncate, splice in hostile text."""
    size = max(len(data), 1)
    at = rng.randrange(size)
    choice = rng.randrange(6)
    if choice == 0:
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            if flipped:
                flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        return bytes(flipped)
    if choice == 1:
        return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]
    if choice == 2:
        return data[:at] + data[at + rng.randint(1, 400) :]
    if choice == 3:
        return data[:at]
    if choice == 4:
        return data[:at] + data[rng.randrange(size) :][: rng.randint(1, 2000)] + data[at:]
    snippets = "".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 4)))
    return data[:at] + snippets.encode("utf-8", "surrogatepass") + data[at:]


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: str(p.relative_to(GOLDEN)))
def test_mutated_real_files_never_escape(path: Path) -> None:
    rng = random.Random(path.name)  # fixed per file: a failure replays
    original = path.read_bytes()
    data = original
    for _ in range(MUTATIONS_PER_FILE):
        # Half the mutations stack on the last one, half start again from the real file.
        data = mutate(data if rng.random() < 0.5 else original, rng)
        read_checked(data, path.name)


def test_random_bytes_never_escape() -> None:
    rng = random.Random(20261201)
    for n in range(200):
        read_checked(rng.randbytes(rng.choice([1, 10, 500, 5000])), f"random-{n}.bin")


def test_a_corpus_of_mutants_keeps_every_file_and_serves(tmp_path: Path) -> None:
    rng = random.Random(7)
    for n, path in enumerate(REAL_FILES * 4):
        mutant = mutate(path.read_bytes(), rng)
        (tmp_path / f"{n:03d}-{path.name}").write_bytes(mutant)
    report = read_corpus(tmp_path, "Asia/Shanghai")
    assert report.files_seen == len(REAL_FILES) * 4
    assert report.records_seen == len(report.articles) + len(report.skipped)
    data = build_data(report, "Asia/Shanghai")
    assert len(data.articles) == len(report.articles)
    assert len({a.id for a in report.articles}) == len(report.articles)


# --- generated documents, one strategy per format ------------------------------------------

yaml_scalars = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.sampled_from(["0000-00-00", "2022-01-01T25:61:61", "+99:99", ".inf", "-99999999999"]),
    st.datetimes(timezones=st.timezones() | st.none()).map(lambda d: d.isoformat()),
)
LINE_TAIL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@st.composite
def front_matter_documents(draw: st.DrawFn) -> str:
    keys = draw(st.lists(st.sampled_from(["title", "date", "url", "author", "categories",
                                          "comments", "headimg", "tags", "from", "x"]),
                         max_size=6))  # fmt: skip
    lines = [f"{k}: {json.dumps(draw(yaml_scalars), default=str)}" for k in keys]
    body = draw(LINE_TAIL)
    return "---\n" + "\n".join(lines) + "\n---\n" + body


@st.composite
def waimei_documents(draw: st.DrawFn) -> str:
    epoch = draw(st.integers(min_value=0, max_value=10**14))
    title = draw(st.text(max_size=20)).replace("]", "")
    url = draw(st.sampled_from(["https://www.rfa.org/a.html", "javascript:x", "", "//x/y", "/rel"]))
    return f"<!--{epoch}-->\n[{title}]({url})\n------\n{draw(LINE_TAIL)}"


@st.composite
def gnews_documents(draw: st.DrawFn) -> str:
    m, d = draw(st.integers(0, 99)), draw(st.integers(0, 99))
    y, h, mi = draw(st.integers(0, 99999)), draw(st.integers(0, 99)), draw(st.integers(0, 99))
    ampm = draw(st.sampled_from(["AM", "PM", "", "XM"]))
    post = draw(st.integers(0, 10**9))
    return (
        "###  [:house:返回](README.md)\n---\n\n## 标题\n"
        f"`{m}/{d}/{y} {h}:{mi:02d} {ampm} UTC 农场` [轉載自GNews](https://gnews.org/articles/{post})\n"
        + draw(LINE_TAIL)
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@st.composite
def json_lines_documents(draw: st.DrawFn) -> str:
    records = []
    for _ in range(draw(st.integers(1, 4))):
        record = {
            k: draw(json_values)
            for k in draw(
                st.lists(
                    st.sampled_from(
                        ["id", "time", "title", "text", "url", "html", "date", "author"]
                    ),
                    max_size=6,
                )
            )
        }
        record.setdefault("text", draw(st.text(max_size=40)))
        records.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
    return "\n".join(records)  # fmt: skip


DOCUMENTS = st.one_of(
    front_matter_documents(), waimei_documents(), gnews_documents(), json_lines_documents(),
    st.text(max_size=400), st.binary(max_size=400).map(lambda b: b.decode("latin-1")),
)  # fmt: skip


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_generated_documents_never_escape(document: str, encoding: str) -> None:
    data = document.encode(encoding, "replace")
    read_checked(data)


def test_the_fuzz_inputs_include_a_year_9999_publication() -> None:
    # The resolver's calendar edge is reachable from a file: an epoch at 9999-12-31.
    epoch = int(datetime(9999, 12, 31, 12, tzinfo=UTC).timestamp() * 1000)
    body = "<p>明天，明年，周六，3月1日，下个月。</p>"
    found = read_checked(
        f"<!--{epoch}-->\n[t](https://www.rfa.org/a.html)\n------\n{body}".encode()
    )
    assert found.articles or found.skipped
