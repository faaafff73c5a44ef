from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from dashboard.config import BUNDLED_CORPUS, Settings
from dashboard.parsing import generation
from dashboard.parsing.cache import corpus_key, load_or_build
from dashboard.parsing.store import CorpusData

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
    assert hit.update is not None and hit.update.reused == hit.update.files == 6
    off = load_or_build(replace(settings, cache_dir=None))
    for loaded in (built, hit):
        assert same_data(loaded.data, off.data)
    assert built.data.skipped == hit.data.skipped == 2


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every value as text, lists of ids (Arrow lists or Python lists) written alike."""
    lists = {c: [str(list(e)) for e in frame[c]] for c in ("entities",) if c in frame}
    return frame.assign(**lists).astype(str)


def same_data(a: CorpusData, b: CorpusData) -> bool:
    """Everything the dashboard shows is the same."""
    events = as_text(a.events)
    return (
        {k: x.as_dict() for k, x in a.bodies.items()}
        == {k: x.as_dict() for k, x in b.bodies.items()}
        and list(a.articles.index) == list(b.articles.index)
        and as_text(a.articles).equals(as_text(b.articles))
        and events.equals(as_text(b.events))
        and list(a.search.texts) == list(b.search.texts)
        and list(a.titles.texts) == list(b.titles.texts)
        and a.entities.entities == b.entities.entities
        and a.skipped == b.skipped
    )


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """The golden samples twice over (ids collide across the copies), as a growing archive."""
    root = tmp_path / "archive"
    for copy in ("a", "b"):
        shutil.copytree(GOLDEN, root / copy, ignore=shutil.ignore_patterns("*.expected.json"))
    return root


def test_an_update_parses_only_what_changed_and_equals_a_fresh_build(
    archive: Path, tmp_path: Path
) -> None:
    settings = settings_for(archive, tmp_path)
    first = load_or_build(settings)
    assert first.status == "built" and first.update is not None
    total = first.update.files
    assert first.update.parsed == total > 200
    new = archive / "c" / "new.md"
    new.parent.mkdir()
    shutil.copy(GOLDEN / "format2" / "aljazeera-2021-12-04-001.md", new)  # a copy: ids collide
    (archive / "a" / "format2" / "aljazeera-2021-12-04-001.md").unlink()
    (archive / "b" / "seeds" / "000_6870c681a42abc3f.txt").unlink()
    changed = archive / "b" / "format2" / "aljazeera-2021-12-04-001.md"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("。", "。北约秘书长斯托尔滕贝格周四表示。", 1),
        encoding="utf-8",
    )
    touched = archive / "a" / "seeds" / "000_6870c681a42abc3f.txt"
    os.utime(touched, ns=(1, 1))  # a new modification time, the same content
    second = load_or_build(settings)
    assert second.status == "updated" and second.update is not None
    update = second.update
    assert (update.parsed, update.removed, update.rehashed) == (2, 2, 1)
    assert update.reused == total - 1 - 2 - 1 + 0  # every file but the changed, gone and touched
    assert update.files == total - 1
    assert update.regrouped_days < update.all_days  # only the days the changes touch
    fresh = load_or_build(replace(settings, cache_dir=tmp_path / "fresh"))
    assert fresh.status == "built"
    assert same_data(second.data, fresh.data)
    assert same_data(second.data, load_or_build(replace(settings, cache_dir=None)).data)
    assert "c/new" in second.data.bodies
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [update.folder.name]


def test_a_platform_that_resets_modification_times_costs_reads_not_parses(
    archive: Path, tmp_path: Path
) -> None:
    settings = settings_for(archive, tmp_path)
    first = load_or_build(settings)
    for path in archive.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(10**18, 10**18))
    second = load_or_build(settings)
    assert second.update is not None
    assert (second.update.parsed, second.update.rehashed) == (0, second.update.files)
    assert same_data(first.data, second.data)
    assert load_or_build(settings).status == "hit"


def test_parts_are_compacted_and_stay_equal(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generation, "MAX_PARTS", 2)
    settings = settings_for(archive, tmp_path)
    load_or_build(settings)
    compacted = False
    names = (
        "aljazeera-2021-12-04-001.md",
        "aljazeera-2021-12-08-001.md",
        "aljazeera-2021-12-22-001.md",
    )
    for n, name in enumerate(names):  # parts that stay live pile up
        target = archive / "a" / "format2" / name
        original = target.read_text(encoding="utf-8")
        target.write_text(original.replace("。", f"。第{n}次修改。", 1), encoding="utf-8")
        loaded = load_or_build(settings)
        assert loaded.update is not None and loaded.update.parsed == 1
        compacted = compacted or loaded.update.compacted
    assert compacted
    folder = loaded.update.folder
    assert len(list(folder.glob("*.articles.parquet"))) <= 3  # parts (≤ 2) + linked
    fresh = load_or_build(replace(settings, cache_dir=tmp_path / "fresh"))
    assert same_data(loaded.data, fresh.data)


def test_a_compacted_part_keeps_row_groups_a_panel_can_read(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    from dashboard.parsing import parts

    monkeypatch.setattr(generation, "MAX_PARTS", 1)
    monkeypatch.setitem(parts.GROUP_ROWS, "articles", 7)
    settings = settings_for(archive, tmp_path)
    load_or_build(settings)
    target = next((archive / "a" / "format2").glob("*.md"))
    target.write_text(target.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    loaded = load_or_build(settings)
    assert loaded.update is not None and loaded.update.compacted
    [part] = [p for p in loaded.update.folder.glob("p*.articles.parquet")]
    metadata = pq.ParquetFile(part).metadata
    sizes = [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)]
    assert len(sizes) > 1 and max(sizes) <= 7
    fresh = load_or_build(replace(settings, cache_dir=tmp_path / "fresh"))
    assert same_data(loaded.data, fresh.data)


def test_settings_that_change_events_are_part_of_the_key(corpus: Path) -> None:
    assert corpus_key(corpus, "UTC") != corpus_key(corpus, "Asia/Shanghai")
    assert corpus_key(corpus, "UTC") != corpus_key(corpus / "..", "UTC")


@pytest.mark.parametrize(
    "damage",
    [
        "meta-garbage",
        "part-truncated",
        "rows-flipped",
        "events-flipped",
        "foreign",
        "outside-name",
        "manifest",
    ],
)
def test_a_damaged_or_foreign_cache_is_rebuilt_never_trusted(
    corpus: Path, tmp_path: Path, damage: str
) -> None:
    settings = settings_for(corpus, tmp_path)
    loaded = load_or_build(settings)
    assert loaded.update is not None
    folder = loaded.update.folder
    meta_path = folder / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    part = folder / next(n for n in meta["sizes"] if n.startswith("p") and "articles" in n)
    if damage == "meta-garbage":
        meta_path.write_text("{not json")
    elif damage == "part-truncated":
        part.write_bytes(part.read_bytes()[:-100])
    elif damage == "rows-flipped":  # same size: only the file's checksum can tell
        flip_byte(folder / meta["names"]["rows"], 1 / 2, 0x01)
    elif damage == "events-flipped":
        flip_byte(folder / meta["names"]["served"], 2 / 3, 0x10)
    elif damage == "foreign":
        meta["root"] = "/somewhere/else"
        meta_path.write_text(json.dumps(meta))
    elif damage == "outside-name":
        meta["sizes"]["../../etc/passwd"] = 1
        meta_path.write_text(json.dumps(meta))
    elif damage == "manifest":
        (folder / meta["names"]["manifest"]).write_bytes(b"PAR1 not a manifest PAR1")
    again = load_or_build(settings)
    assert again.status == "built" and again.update is not None
    assert again.update.rebuilt
    assert same_data(again.data, loaded.data)


def flip_byte(path: Path, where: float, bit: int) -> None:
    """A copy of a file with one bit flipped (at ``where`` of its length) put in its place:
    a new file, as a rebuild writes, so the mapping the first load holds keeps the old one."""
    data = bytearray(path.read_bytes())
    data[int(len(data) * where)] ^= bit
    staged = path.with_name(path.name + ".flipped")
    staged.write_bytes(bytes(data))
    os.replace(staged, path)


def flip_in_column(part: Path, column: str) -> None:
    """Flip one byte in the middle of a column's first chunk of a Parquet file."""
    import pyarrow.parquet as pq

    group = pq.ParquetFile(part).metadata.row_group(0)
    chunk = next(
        group.column(i) for i in range(group.num_columns)
        if group.column(i).path_in_schema == column
    )  # fmt: skip
    start = chunk.dictionary_page_offset if chunk.has_dictionary_page else chunk.data_page_offset
    data = bytearray(part.read_bytes())
    data[start + chunk.total_compressed_size // 2] ^= 0xFF
    part.write_bytes(bytes(data))


def test_a_damaged_body_is_never_shown_and_the_next_start_rebuilds(
    corpus: Path, tmp_path: Path
) -> None:
    from dashboard.parsing.bodies import DamagedCache

    settings = settings_for(corpus, tmp_path)
    loaded = load_or_build(settings)
    assert loaded.update is not None
    folder = loaded.update.folder
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    part = folder / next(n for n in meta["sizes"] if n.startswith("p") and "articles" in n)
    flip_in_column(part, "html")
    served = load_or_build(settings)  # bodies are read when a panel opens, not at the start
    assert served.status == "hit"
    first = next(iter(served.data.bodies))
    with pytest.raises(DamagedCache):
        served.data.bodies[first]
    again = load_or_build(settings)
    assert again.status == "built" and again.update is not None
    assert again.update.rebuilt and "damaged" in again.update.rebuilt
    assert same_data(again.data, loaded.data)


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

    from dashboard.parsing.cache import PACKAGE, PRESENTATION, code_fingerprint

    copy = tmp_path / "dashboard"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "data"))
    assert all((copy / name).exists() for name in PRESENTATION)  # the list names real modules
    before = code_fingerprint(copy)
    (copy / "engines.py").write_text((copy / "engines.py").read_text() + "\n# a new pool\n")
    assert code_fingerprint(copy) == before
    rule = copy / "dates" / "relative.py"
    rule.write_text(rule.read_text() + "\n# a new rule\n")
    changed = code_fingerprint(copy)
    assert changed != before
    (copy / "sources" / "new_reader.py").write_text("READER = 1\n")
    assert code_fingerprint(copy) != changed  # a module not listed counts


def test_a_name_learnt_from_a_new_file_reaches_the_articles_already_cached(
    archive: Path, tmp_path: Path
) -> None:
    settings = settings_for(archive, tmp_path)
    load_or_build(settings)
    new = archive / "ryabkov.md"
    new.write_text(
        "---\ntitle: 分析师谈俄中关系\ndate: 2022-02-07\n---\n"
        "俄罗斯副外长谢尔盖·里亚布科夫(Sergei Ryabkov)周四表示，北约2月4日的声明值得注意。\n",
        encoding="utf-8",
    )
    added = load_or_build(settings)
    assert added.update is not None and added.update.parsed == 1
    assert added.update.refound > 1  # the cached articles that name him, found again
    old = added.data.articles.loc["a/format2/aljazeera-2022-01-10-001", "entities"]
    assert "sergei-ryabkov" in old
    assert same_data(added.data, load_or_build(replace(settings, cache_dir=tmp_path / "f1")).data)
    new.unlink()  # and forgotten when the only file that taught it goes
    removed = load_or_build(settings)
    assert removed.update is not None and removed.update.removed == 1
    gone = removed.data.articles.loc["a/format2/aljazeera-2022-01-10-001", "entities"]
    assert "sergei-ryabkov" not in gone
    assert same_data(removed.data, load_or_build(replace(settings, cache_dir=tmp_path / "f2")).data)


def test_the_walk_stats_each_file_as_a_whole_path_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.parsing import cache

    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for name, text in (
        ("a.md", "甲"),
        ("b/z.md", "乙乙"),
        ("b/c/y.md", "丙"),
        (".hidden/x.md", ""),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "b" / "gone.md").symlink_to(tmp_path / "nowhere")
    not_entered: list[str] = []
    walked, stats = cache._walk(tmp_path, not_entered)
    assert [rel for rel, _ in walked] == ["a.md", "b/gone.md", "b/z.md", "b/c/y.md"]
    assert not_entered == [".hidden"]
    expected = [(os.stat(p).st_size, os.stat(p).st_mtime_ns) if os.path.exists(p) else (-1, -1)
                for _, p in walked]  # fmt: skip
    assert stats == expected and stats[1] == (-1, -1)  # a dangling link: unreadable
    monkeypatch.setattr(os, "supports_dir_fd", set())  # as on Windows: by whole path
    assert cache._walk(tmp_path, [])[1] == expected
