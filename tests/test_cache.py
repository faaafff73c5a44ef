from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from dashboard.cache import corpus_fingerprint, load_or_build
from dashboard.config import BUNDLED_CORPUS, Settings

GOLDEN = Path(__file__).parent / "data" / "golden"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, folder)
    shutil.copy(GOLDEN / "other" / "news-tls.jsonl", folder / "records.jsonl")
    return folder


def settings_for(corpus: Path, tmp_path: Path) -> Settings:
    return Settings(corpus_dir=corpus, cache_dir=tmp_path / "cache")


def test_second_start_reads_the_cache_and_gets_the_same_data(corpus: Path, tmp_path: Path) -> None:
    settings = settings_for(corpus, tmp_path)
    built = load_or_build(settings)
    hit = load_or_build(settings)
    assert (built.status, hit.status) == ("built", "hit")
    assert built.fingerprint == hit.fingerprint
    assert {k: a.as_dict() for k, a in built.data.bodies.items()} == {
        k: a.as_dict() for k, a in hit.data.bodies.items()
    }
    assert (
        built.data.events.drop(columns="article_pos")
        .astype(str)
        .equals(hit.data.events.drop(columns="article_pos").astype(str))
    )
    assert built.data.search_text == hit.data.search_text
    assert built.data.skipped == hit.data.skipped == 2


def test_a_changed_corpus_rebuilds_the_cache(corpus: Path, tmp_path: Path) -> None:
    settings = settings_for(corpus, tmp_path)
    first = load_or_build(settings)
    shutil.copy(GOLDEN / "format2" / "aljazeera-2021-12-04-001.md", corpus / "new.md")
    second = load_or_build(settings)
    assert second.status == "built" and second.fingerprint != first.fingerprint
    assert "new" in second.data.bodies
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [second.fingerprint]


def test_settings_that_change_events_are_part_of_the_key(corpus: Path, tmp_path: Path) -> None:
    assert corpus_fingerprint(corpus, "UTC") != corpus_fingerprint(corpus, "Asia/Shanghai")
    touched = corpus / "000_6870c681a42abc3f.txt"
    before = corpus_fingerprint(corpus, "UTC")
    os.utime(touched, ns=(1, 1))
    assert corpus_fingerprint(corpus, "UTC") != before


def test_a_damaged_cache_is_rebuilt(corpus: Path, tmp_path: Path) -> None:
    settings = settings_for(corpus, tmp_path)
    loaded = load_or_build(settings)
    (tmp_path / "cache" / loaded.fingerprint / "articles.parquet").write_bytes(b"not parquet")
    again = load_or_build(settings)
    assert again.status == "built" and len(again.data.articles) == len(loaded.data.articles)


def test_an_unwritable_cache_folder_still_serves(corpus: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    loaded = load_or_build(replace(settings_for(corpus, tmp_path), cache_dir=blocker / "cache"))
    assert loaded.status == "built" and len(loaded.data.articles) == 7


def test_cache_off_parses_every_time(corpus: Path, tmp_path: Path) -> None:
    loaded = load_or_build(replace(settings_for(corpus, tmp_path), cache_dir=None))
    assert loaded.status == "off" and not (tmp_path / "cache").exists()


def test_only_code_that_shapes_the_tables_invalidates_the_cache(tmp_path: Path) -> None:
    import shutil

    from dashboard.cache import PACKAGE, PRESENTATION, code_fingerprint

    copy = tmp_path / "dashboard"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "data"))
    assert all((copy / name).exists() for name in PRESENTATION)  # the list names real modules
    before = code_fingerprint(copy)
    (copy / "figures.py").write_text((copy / "figures.py").read_text() + "\n# a new colour\n")
    assert code_fingerprint(copy) == before
    (copy / "dates.py").write_text((copy / "dates.py").read_text() + "\n# a new rule\n")
    changed = code_fingerprint(copy)
    assert changed != before
    (copy / "sources" / "new_reader.py").write_text("READER = 1\n")
    assert code_fingerprint(copy) != changed  # a module not listed counts
