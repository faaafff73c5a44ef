from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.__main__ import main
from tests.servers import free_port

GOLDEN = Path(__file__).parent / "data" / "golden"


def test_ingest_bundled_corpus_prints_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest"]) == 0
    out = capsys.readouterr().out
    assert "files seen:  5" in out and "articles:    5" in out and "skipped:     0" in out
    assert "date range:  2021-12-10 – 2022-03-24" in out
    assert "aljazeera      2" in out


def test_ingest_reports_every_skip_with_its_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(GOLDEN / "other"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["files_seen"] == len([p for p in (GOLDEN / "other").iterdir()])
    assert summary["records_seen"] == summary["articles"] + len(summary["skipped"])
    reasons = {s["path"]: s["reason"] for s in summary["skipped"]}
    assert reasons["picture.png"] == "binary file (not text)"
    assert "undecodable" in reasons["undecodable.txt"]
    assert reasons["saved-page.html.expected.json"].startswith("a JSON document")


def test_ingest_lists_degraded_articles_after_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    from dashboard.__main__ import summary, summary_lines
    from dashboard.parsing.corpus import CorpusReport, Degraded, Skipped

    assert main(["ingest", "--json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out)["degraded"], list)
    report = CorpusReport(
        root=Path("corpus"),
        files_seen=2,
        skipped=[Skipped("picture.png", "binary file (not text)")],
        degraded=[Degraded("a.md", "pubdate", "ValueError: year 0 is out of range")],
    )
    assert summary(report, "UTC")["degraded"] == [
        {"path": "a.md", "stage": "pubdate", "error": "ValueError: year 0 is out of range"}
    ]
    lines = summary_lines(report, "UTC")
    at = lines.index("skipped:     1")
    assert lines[at + 1 : at + 4] == [
        "  - picture.png: binary file (not text)",
        "degraded:    1",
        "  - a.md [pubdate]: ValueError: year 0 is out of range",
    ]


def test_ingest_missing_folder_exits_2_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "/no/such/folder"]) == 2
    assert "corpus folder not found" in capsys.readouterr().err


def test_corpus_option_and_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CORPUS_DIR", str(GOLDEN / "format2"))
    assert main(["ingest", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == 25
    assert main(["--corpus", str(GOLDEN / "format3"), "ingest", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == 25


def test_bad_setting_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORT", "not-a-port")
    assert main(["ingest"]) == 2
    assert "PORT must be a whole number" in capsys.readouterr().err


def test_module_runs_as_a_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "ingest", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles"] == 5


def test_corpus_option_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--corpus", str(GOLDEN / "format2"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == 25


def test_serve_answers_on_the_given_port() -> None:
    import time
    import urllib.request

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-layout") as reply:
                    body = reply.read().decode("utf-8")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "server did not answer within 60 s"
                time.sleep(0.3)
        assert '"id":"timeline"' in body.replace(" ", "")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_events_as_json_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CACHE_DIR", "off")  # events reads through the cache; write none here
    assert main(["events"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    keys = {
        "id",
        "article",
        "outlet",
        "kind",
        "start",
        "end",
        "precision",
        "expression",
        "sentence",
    }
    assert all(keys <= row.keys() for row in rows)
    assert sum(row["kind"] == "published" for row in rows) == 5
    assert any(
        row["kind"] == "mentioned"
        and row["expression"] == "此前一天"
        and row["start"] == "2021-12-30"
        for row in rows
    )


def test_events_as_csv_for_another_corpus(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io

    monkeypatch.setenv("CACHE_DIR", "off")
    assert main(["events", "--corpus", str(GOLDEN / "format2"), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["outlet"] for r in rows} == {"aljazeera"}
    assert sum(r["kind"] == "published" for r in rows) == 25


def test_dates_resolves_lines_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr(
        "sys.stdin", io.StringIO("周五，北约开会。\n4个战斗群\n同月 9 日和 10 日\n")
    )
    assert main(["dates", "--ref", "2022-01-01T09:00"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == [
        {"text": "周五", "start": "2021-12-31", "end": "2021-12-31", "precision": "day"}
    ]
    assert lines[1] == []
    assert [d["start"] for d in lines[2]] == ["2022-01-09", "2022-01-10"]


def test_dates_rejects_a_malformed_reference(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dates", "--ref", "next tuesday"]) == 2
    assert "--ref must be an ISO 8601" in capsys.readouterr().err


def test_ingest_counts_mentioned_events(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["events"] == 5 + summary["mentioned_events"] and summary["mentioned_events"] > 20
