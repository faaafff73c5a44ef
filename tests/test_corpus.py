"""Every file ends up as an article or in the report with a reason."""

from __future__ import annotations

import shutil
from pathlib import Path

from dashboard.parsing.corpus import read_corpus

GOLDEN = Path(__file__).parent / "data" / "golden"


def test_every_record_is_an_article_or_skipped_with_a_reason() -> None:
    report = read_corpus(GOLDEN, "Asia/Shanghai")
    files = [p for p in GOLDEN.rglob("*") if p.is_file()]
    assert report.files_seen == len(files)
    assert report.records_seen == len(report.articles) + len(report.skipped)
    assert all(s.reason for s in report.skipped)
    skipped_files = {s.path.split("#")[0] for s in report.skipped}
    article_files = {a.source_path for a in report.articles}
    seen = {str(p.relative_to(GOLDEN)) for p in files}
    assert seen == skipped_files | article_files


def test_ids_are_unique_and_stable() -> None:
    first = [a.id for a in read_corpus(GOLDEN, "UTC").articles]
    second = [a.id for a in read_corpus(GOLDEN, "UTC").articles]
    assert first == second
    assert len(set(first)) == len(first)


def test_same_stem_two_extensions_keep_distinct_ids(tmp_path: Path) -> None:
    seed = GOLDEN / "seeds/003_9be81c0ca1c2c4ce.txt"
    shutil.copy(seed, tmp_path / "a.md")
    shutil.copy(seed, tmp_path / "a.txt")
    ids = sorted(a.id for a in read_corpus(tmp_path, "UTC").articles)
    assert ids == ["a", "a.txt"]


def test_hidden_folders_are_listed_not_read(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    shutil.copy(GOLDEN / "seeds/003_9be81c0ca1c2c4ce.txt", tmp_path / "x.txt")
    report = read_corpus(tmp_path, "UTC")
    assert report.not_entered == [".git"]
    assert report.files_seen == 1 and len(report.articles) == 1


def test_no_date_is_never_invented(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text("# 笔记\n\n没有日期的正文。\n", encoding="utf-8")
    report = read_corpus(tmp_path, "UTC")
    assert report.articles == []
    assert "no usable publication date" in report.skipped[0].reason


def test_unreadable_and_odd_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "bin.dat").write_bytes(b"\x00\x01\x02")
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9 \xff\xfe\x80")
    (tmp_path / "MANIFEST.tsv").write_text("file\tdate\toutlet\na.md\t2022-01-01\trfa\n")
    (tmp_path / "data.json").write_text('{"articles": []}')
    reasons = {s.path: s.reason for s in read_corpus(tmp_path, "UTC").skipped}
    assert reasons["empty.md"].startswith("empty file")
    assert reasons["bin.dat"].startswith("binary file")
    assert "undecodable" in reasons["latin.txt"]
    assert reasons["MANIFEST.tsv"] == "a tab-separated table, not an article"
    assert reasons["data.json"].startswith("a JSON document")


def test_missing_folder_is_an_error_not_an_empty_corpus(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(NotADirectoryError):
        read_corpus(tmp_path / "nope", "UTC")
