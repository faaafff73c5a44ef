"""Fault isolation: a file, a record or a stage that fails costs itself, never the corpus."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from dashboard.config import Settings
from dashboard.parsing import corpus as corpus_module
from dashboard.parsing import events as events_module
from dashboard.parsing import store as store_module
from dashboard.parsing import text
from dashboard.parsing.articles import RawArticle
from dashboard.parsing.cache import load_or_build
from dashboard.parsing.corpus import read_corpus, read_one
from dashboard.parsing.events import build_events
from dashboard.parsing.faults import Degraded, OverBudget, check_budget, guard, time_budget
from dashboard.parsing.sources import READERS, SkipFile
from dashboard.parsing.sources.common import render_markdown, split_front_matter
from dashboard.parsing.sources.jsonl import JsonLinesReader
from dashboard.parsing.store import build_data

HEXO = """---
title: 北约峰会
date: Thu, 24 Mar 2022 10:00:00 GMT
categories: [RFI]
comments: true
---
<p>北约周四在布鲁塞尔举行峰会。</p>
"""
WAIMEI = (
    "<!--1648146660000-->\n[{title}](https://www.rfa.org/mandarin/a-{n}.html)\n------\n{body}\n"
)


def waimei(folder: Path, name: str, title: str, body: str, n: int = 1) -> Path:
    path = folder / name
    path.write_text(WAIMEI.format(title=title, n=n, body=f"<p>{body}</p>"), encoding="utf-8")
    return path


class ExplodingReader:
    """A reader that accepts files with a marker and then fails, as a buggy reader would."""

    name = "exploding"

    def detect(self, content: str) -> bool:
        return "EXPLODE" in content

    def read(self, content: str) -> list[RawArticle | SkipFile]:
        raise RuntimeError("reader bug")


class HangingReader:
    name = "hanging"

    def detect(self, content: str) -> bool:
        return "HANG" in content

    def read(self, content: str) -> list[RawArticle | SkipFile]:
        while True:
            pass


# --- budgets and guards --------------------------------------------------------------------


def test_a_budget_interrupts_runaway_python_code() -> None:
    started = time.monotonic()
    with pytest.raises(OverBudget), time_budget(0.1):
        while True:
            pass
    assert time.monotonic() - started < 2


def test_an_inner_budget_never_outlasts_the_outer() -> None:
    # The inner budget's own expiry is its own; once the outer one is due, the outer wins.
    with time_budget(5) as outer:
        with pytest.raises(OverBudget) as own, time_budget(0.05):
            _spin()
        assert own.value.budget is not outer
    with pytest.raises(OverBudget) as caught, time_budget(0.1) as outer, time_budget(10):
        _spin()
    assert caught.value.budget is outer


def test_a_stage_guard_cannot_swallow_a_budget() -> None:
    notes: list[Degraded] = []
    with pytest.raises(OverBudget), time_budget(0.1):
        guard("events", "a.md", notes, _spin, lambda: None)
    assert notes == []


def _spin() -> None:
    while True:
        pass


def test_a_guard_turns_an_exception_into_a_report_line_and_the_fallback() -> None:
    notes: list[Degraded] = []
    assert guard("text", "a.md", notes, lambda: 1 // 0, lambda: 7) == 7
    assert notes == [
        Degraded("a.md", "text", "ZeroDivisionError: integer division or modulo by zero")
    ]


def test_outside_the_main_thread_the_deadline_is_checked_between_stages() -> None:
    seen: list[str] = []

    def work() -> None:
        with time_budget(0.05):
            time.sleep(0.1)
            try:
                check_budget()
            except OverBudget:
                seen.append("over")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == ["over"]


# --- the corpus survives its files ---------------------------------------------------------


@pytest.fixture
def hostile_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    waimei(folder, "good.md", "北约峰会", "北约24日在布鲁塞尔举行峰会。", 1)
    waimei(folder, "ancient.md", "历史", "过去 2500 年来，这座城市几经兴衰。过去99999999年。", 2)
    waimei(folder, "bc.md", "温泉关", "公元前 480 年，温泉关战役爆发。", 3)
    waimei(folder, "edge.md", "日历尽头", "9999年12月31日是日历的最后一天，明天不存在。", 4)
    waimei(folder, "bomb.md", "EXPLODE", "北约周四开会。", 5)
    (folder / "loop.md").write_text("HANG", encoding="utf-8")
    return folder


def test_a_corpus_with_hostile_files_reads_the_others_and_reports_the_faults(
    hostile_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_module, "FILE_BUDGET_SECONDS", 0.3)
    readers = (ExplodingReader(), HangingReader(), *READERS)
    report = read_corpus(hostile_corpus, "Asia/Shanghai", readers=readers)
    assert report.files_seen == 6
    assert sorted(a.source_path for a in report.articles) == [
        "ancient.md", "bc.md", "bomb.md", "edge.md", "good.md",
    ]  # fmt: skip
    assert report.records_seen == len(report.articles) + len(report.skipped)
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons["loop.md"].startswith("too costly")
    lines = {(d.path, d.stage) for d in report.degraded}
    assert ("bomb.md", "read") in lines  # the generic reader read what the faulty one could not
    events = build_events(report.articles, "Asia/Shanghai", report.degraded)
    by_article = {e.article for e in events if e.kind == "published"}
    assert len(by_article) == 5
    assert all(e.start.year >= 1000 and e.end.year <= 9999 for e in events)


def test_cache_and_serve_complete_on_a_hostile_corpus(
    hostile_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.parsing.sources.hexo import HexoReader
    from dashboard.web.app import create_app

    (hostile_corpus / "loop.md").unlink()  # the hanging reader is not registered here
    (hostile_corpus / "hexo.md").write_text(HEXO, encoding="utf-8")

    def broken(self: HexoReader, content: str) -> list[RawArticle | SkipFile]:
        raise KeyError("headimg")

    monkeypatch.setattr(HexoReader, "read", broken)
    settings = Settings(corpus_dir=hostile_corpus, cache_dir=tmp_path / "cache")
    loaded = load_or_build(settings)
    assert len(loaded.data.articles) == 6
    meta = json.loads(next((tmp_path / "cache").glob("*/meta.json")).read_text("utf-8"))
    assert meta["files_seen"] == 6
    assert {"path": "hexo.md", "stage": "read", "error": "hexo reader: KeyError: 'headimg'; "
            "read by generic"} in meta["degraded"]  # fmt: skip
    client = create_app(settings).server.test_client()
    assert client.get("/healthz").status_code == 200
    page = client.get("/")
    assert page.status_code == 200


def test_a_stage_that_fails_costs_only_that_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waimei(tmp_path, "a.md", "北约峰会", "北约24日在布鲁塞尔举行峰会。", 1)

    def broken(_sample: str) -> str:
        raise ValueError("script tables missing")

    monkeypatch.setattr(text, "script", broken)
    found = read_one(tmp_path / "a.md", tmp_path, "Asia/Shanghai")
    [article] = found.articles
    assert article.script is None and article.text == "北约24日在布鲁塞尔举行峰会。"
    assert found.degraded == [Degraded("a.md", "text", "ValueError: script tables missing")]


def test_events_that_fail_leave_the_publication_and_a_report_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waimei(tmp_path, "a.md", "北约峰会", "北约24日在布鲁塞尔举行峰会。", 1)
    waimei(tmp_path, "b.md", "俄乌会谈", "双方周四会谈。", 2)
    report = read_corpus(tmp_path, "Asia/Shanghai")
    real = events_module.find_expressions

    def flaky(plain: str, reference):  # type: ignore[no-untyped-def]
        if "北约" in plain:
            raise OverflowError("date value out of range")
        return real(plain, reference)

    monkeypatch.setattr(events_module, "find_expressions", flaky)
    data = build_data(report, "Asia/Shanghai")
    kinds = data.events.groupby("article", observed=True)["kind"].agg(lambda k: sorted(set(k)))
    assert kinds["a"] == ["published"] and kinds["b"] == ["mentioned", "published"]
    assert [(d.path, d.stage) for d in report.degraded] == [("a.md", "events")]


def test_a_cross_article_stage_that_fails_costs_its_output_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waimei(tmp_path, "a.md", "北约峰会", "北约24日在布鲁塞尔举行峰会。", 1)
    report = read_corpus(tmp_path, "Asia/Shanghai")

    def broken(*_args: object) -> list[str]:
        raise MemoryError

    monkeypatch.setattr(store_module, "group_stories", broken)
    data = build_data(report, "Asia/Shanghai")
    assert len(data.articles) == 1 and data.events["story"].isna().all()
    assert [(d.path, d.stage) for d in report.degraded] == [("(corpus)", "stories")]


def test_a_runaway_reader_is_reported_as_too_costly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_module, "FILE_BUDGET_SECONDS", 0.2)
    (tmp_path / "loop.md").write_text("HANG", encoding="utf-8")
    started = time.monotonic()
    found = read_one(tmp_path / "loop.md", tmp_path, "UTC", (HangingReader(), *READERS))
    assert time.monotonic() - started < 2
    assert found.articles == [] and found.skipped[0].reason.startswith("too costly")


# --- ids, JSON Lines, front matter, markdown -----------------------------------------------


def test_records_sharing_an_id_get_a_suffix_and_a_report_line(tmp_path: Path) -> None:
    records = [
        {"id": "x", "time": f"2022-03-2{n}T10:00:00Z", "title": f"t{n}", "text": f"第{n}篇"}
        for n in range(1, 4)
    ]
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    (tmp_path / "r.jsonl").write_text(lines, encoding="utf-8")
    report = read_corpus(tmp_path, "UTC")
    assert [a.id for a in report.articles] == ["r/x", "r/x~2", "r/x~3"]
    assert [d.stage for d in report.degraded] == ["ids", "ids"]


def test_json_lines_split_on_newlines_only() -> None:
    record = {"id": "1", "time": "2022-03-24", "text": "第一段\u2028第二段\u2029第三段\x85完"}
    text_ = json.dumps(record, ensure_ascii=False) + "\r\n" + json.dumps(record | {"id": "2"})
    found = JsonLinesReader().read(text_)
    assert [r.id_suffix for r in found if isinstance(r, RawArticle)] == ["1", "2"]


def test_deeply_nested_json_is_a_report_line_not_a_crash(tmp_path: Path) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    good = json.dumps({"id": "ok", "time": "2022-03-24", "text": "北约"})
    (tmp_path / "a.jsonl").write_text(good + "\n" + '{"text": ' + deep + "}\n", encoding="utf-8")
    (tmp_path / "b.json").write_text(deep, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"text": ' + deep + "}\n" + good, encoding="utf-8")
    report = read_corpus(tmp_path, "UTC")
    assert report.files_seen == 3
    assert report.records_seen == len(report.articles) + len(report.skipped)
    assert {"a/ok", "c/ok"} <= {a.id for a in report.articles}
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons["a.jsonl"] == "jsonl: line 2: JSON nested too deeply to read"
    assert reasons["c.jsonl"] == "jsonl: line 1: JSON nested too deeply to read"


@pytest.mark.parametrize(
    "header",
    [
        "a: " + "[" * 50_000,
        "a: " + "[" * 30_000 + "]" * 30_000,
        "- " * 50_000 + "x",
        "date: !!timestamp 0000-00-00",
        "date: !!float 1e99999",
        "date: !!timestamp 2022-01-01T25:61:61",
    ],
    ids=["unclosed", "closed", "block", "timestamp", "float", "time"],
)
def test_a_hostile_front_matter_never_reaches_libyaml_unbounded(header: str) -> None:
    # 30,000 nested brackets crash libyaml with a segmentation fault, taking the process down.
    fm, body = split_front_matter(f"---\n{header}\n---\n正文")
    assert isinstance(fm, dict) and body.strip() == "正文"


def test_markdown_renders_delimiter_soup_without_a_fallback() -> None:
    # pulldown-cmark is linear: a megabyte of `*a` or `[` is markdown like any other.
    html_ = render_markdown("*a" * 200_000)
    assert html_.startswith("<p><em>a</em>a<em>a</em>a") and html_.endswith("</p>\n")
    assert render_markdown("[" * 100_000).count("[") == 100_000
    assert render_markdown("*a*") == "<p><em>a</em></p>\n"


def test_markdown_trims_unicode_spaces_at_block_edges() -> None:
    assert render_markdown("\u3000北约峰会\u2028\n") == "<p>北约峰会</p>\n"
    assert render_markdown("# \u3000标题\u202f\n") == "<h1>标题</h1>\n"
    # Inside a paragraph they stay: only the edges are trimmed.
    assert render_markdown("北约\u3000峰会") == "<p>北约\u3000峰会</p>\n"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "vbscript:msgbox", " JaVaScRiPt:x", "data:text/html,x"]
)
def test_only_http_urls_survive_in_the_url_field(tmp_path: Path, url: str) -> None:
    record = {"id": "1", "time": "2022-03-24", "text": "北约", "url": url}
    (tmp_path / "r.jsonl").write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "w.md").write_text(
        f"<!--1648146660000-->\n[标题]({url.strip()})\n------\n<p>北约</p>\n", encoding="utf-8"
    )
    report = read_corpus(tmp_path, "UTC")
    assert len(report.articles) == 2
    assert [a.url for a in report.articles] == [None, None]
    assert {d.stage for d in report.degraded} == {"url"}


def test_markdown_delimiter_soup_is_read_whole_without_a_report_line(tmp_path: Path) -> None:
    # (`*a` soup would become 200,000 <em> tags, which the sanitiser's tag limit cuts.)
    (tmp_path / "a.md").write_text("---\ndate: 2022-03-24\n---\n" + "[a" * 200_000, "utf-8")
    found = read_one(tmp_path / "a.md", tmp_path, "UTC")
    [article] = found.articles
    assert article.text == "[a" * 200_000
    assert found.degraded == []
