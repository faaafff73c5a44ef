"""The n-gram index answers exactly what a substring scan of every folded text answers."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dashboard.config import Settings
from dashboard.parsing import ngrams, textstore
from dashboard.parsing.cache import load_or_build
from dashboard.parsing.search import QueryError, terms
from dashboard.parsing.store import CorpusData
from dashboard.web.filters import article_hits, expanded_terms

GOLDEN = Path(__file__).parent / "data" / "golden"


def scan(texts: list[str], term: str) -> list[int]:
    return [n for n, text in enumerate(texts) if term in text]


def index_search(texts: list[str], term: str) -> list[int]:
    index = ngrams.build(texts)
    found = ngrams.search(index, term, textstore.Texts.of(texts).hold)
    return [int(n) for n in found]


def test_short_long_absent_and_repeated_terms() -> None:
    texts = ["北约峰会在布鲁塞尔举行", "北 约", "约北", "峰会峰会", "", "NATO summit", "北约"]
    for term in ("北", "北约", "北约峰会", "约峰", "会峰", "峰会峰会", "x", "nato", " ", "行"):
        assert index_search(texts, term) == scan(texts, term), term


def test_pairs_apart_are_candidates_but_not_hits() -> None:
    texts = ["甲乙 乙丙", "甲乙丙"]  # both hold 甲乙 and 乙丙; only the second holds 甲乙丙
    index = ngrams.build(texts)
    candidates, sure = index.candidates("甲乙丙")
    assert candidates.tolist() == [0, 1] and not sure
    assert index_search(texts, "甲乙丙") == [1]


def test_segments_number_texts_across_their_boundaries() -> None:
    rng = random.Random(7)
    alphabet = "北约俄乌克兰美国会谈峰abc"
    texts = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        for _ in range(2 * ngrams.SEGMENT + 37)
    ]
    index = ngrams.build(texts)
    assert index.sizes == (ngrams.SEGMENT, ngrams.SEGMENT, 37) and index.count == len(texts)
    for term in ("北", "北约", "乌克兰", "ab", "abc", "约俄乌", "会谈峰", "z"):
        assert index_search(texts, term) == scan(texts, term), term


def test_segments_in_one_stream_equal_each_alone_whatever_the_runner() -> None:
    """Slices of several segments go through one runner: a lazy one (map), one that takes
    every slice before it answers (as a pool with slices in flight does), and one that
    answers out of turn internally but in order outwardly all give each segment's own run."""
    rng = random.Random(11)
    alphabet = "北约俄乌克兰美国会谈峰ab\n"

    def text() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))

    segments = [
        ([text() for _ in range(ngrams.SLICE * 2 + 5)], 0),
        ([], 0),  # a segment of no texts still gives its (empty) run, in its place
        ([text() for _ in range(3)], 100),  # numbered on from texts already held
        ([text() for _ in range(ngrams.SLICE)], 0),
    ]
    alone = [ngrams.segment_grams(texts, first) for texts, first in segments]

    def eager(work: object, pieces: object) -> list[np.ndarray]:
        taken = list(pieces)  # type: ignore[call-overload]
        done = {n: work(p) for n, p in reversed(list(enumerate(taken)))}  # type: ignore[operator]
        return [done[n] for n in range(len(taken))]

    for runner in (map, eager):
        together = list(ngrams.segments_grams(segments, runner))  # type: ignore[arg-type]
        assert len(together) == len(alone)
        for mine, own in zip(together, alone, strict=True):
            assert mine.dtype == np.uint64 and np.array_equal(mine, own)
    assert not len(alone[1])
    with pytest.raises(ValueError):
        list(ngrams.segments_grams([(["x"] * 2, ngrams.SEGMENT - 1)]))


def test_a_nul_in_a_text_joins_nothing() -> None:
    texts = ["甲\0乙", "甲乙", "乙\0"]
    assert index_search(texts, "甲乙") == scan(texts, "甲乙") == [1]
    assert index_search(texts, "乙") == scan(texts, "乙")


def test_counts_from_the_index_are_the_counts_in_the_texts() -> None:
    """One- and two-character terms are counted by the index's postings: a count past the cap,
    a doubled character (counted without overlapping, as bytes.count does) and longer terms
    come from the texts, and every way gives what str.count gives."""
    rng = random.Random(11)
    alphabet = "北约峰会哈乌克兰ab "
    texts = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        for _ in range(ngrams.SEGMENT + 200)
    ]
    texts += ["哈" * 601 + "北约" * 300 + "a" * 256, "北约" * ngrams.TF_CAP, ""]
    store = textstore.Searchable.of(texts)
    last = len(texts) - 3  # the long texts and the empty one
    rows = np.array([*sorted(rng.sample(range(last), 1500)), last, last + 1, last + 2])
    cases = [["北"], ["北约"], ["哈哈"], ["哈"], ["乌克兰"], ["a"], ["ab"], [" "], ["z"],
             ["北约", "峰"], ["哈哈哈", "会"]]  # fmt: skip
    for wanted in cases:
        expected = [sum(texts[r].count(term) for term in wanted) for r in rows]
        assert store.counts(rows, wanted).tolist() == expected, wanted
    assert store.counts(rows[-3:-1], ["北约"]).tolist() == [300, ngrams.TF_CAP]  # capped, read
    assert ngrams.counted_key("哈哈") is None and ngrams.counted_key("北约") is not None


def _keys(n: int, tag: str = "h") -> list[tuple[str, str, int]]:
    return [(f"f{i}.html", tag, 0) for i in range(n)]


def test_the_store_round_trips_and_refuses_a_damaged_file(tmp_path: Path) -> None:
    import pyarrow as pa

    texts = ["北约峰会\n会议", "俄罗斯", "乌克兰总统\n北约"]
    display = np.array([2, 0, 1])  # the dashboard's rows: corpus positions 2, 0, 1
    ids = pa.array(["c", "a", "b"])
    written = textstore.write(
        tmp_path, 3, (ids, display), _keys(3), lambda ps: [texts[p] for p in ps]
    )
    store = textstore.open_store(tmp_path, 3, written.segments, written.checksums)
    found = store.search.texts
    shown = [texts[p] for p in display]
    assert list(found) == shown and store.ids.to_pylist() == ["c", "a", "b"]
    assert found[0] == "乌克兰总统\n北约" and found[1:2] == ["北约峰会\n会议"]
    assert found.hold(np.array([0, 1]), "总统").tolist() == [True, False]
    assert store.search.holding("克兰总").tolist() == [0]
    assert store.search.holding("北约").tolist() == [0, 1]
    assert store.search.counts(np.array([0, 1, 2]), ["北约", "会"]).tolist() == [1, 3, 0]
    # the titles: each text's first line, with an index of their own
    assert (
        list(store.titles.texts)
        == textstore.first_lines(shown)
        == ["乌克兰总统", "北约峰会", "俄罗斯"]
    )
    assert store.titles.holding("北约").tolist() == [1]
    # a search unmaps the pages it read; the next one maps them again
    assert store.search.mapped and store.titles.mapped
    assert store.search.holding("北约").tolist() == [0, 1] == store.search.holding("北约").tolist()
    [segment] = written.segments
    grams = tmp_path / segment.files()[1]
    data = bytearray(grams.read_bytes())
    data[-3] ^= 0x01
    grams.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="checksum"):
        textstore.open_store(tmp_path, 3, written.segments, written.checksums)
    grams.write_bytes(bytes(data[:-3]) + bytes([data[-3] ^ 0x01]) + bytes(data[-2:]))
    textstore.open_store(tmp_path, 3, written.segments, written.checksums)  # repaired
    titles = tmp_path / segment.files()[2]
    titles.write_bytes(titles.read_bytes()[:-8])  # a title index cut short
    with pytest.raises(ValueError, match="checksum"):
        textstore.open_store(tmp_path, 3, written.segments, written.checksums)


def _corpus(rng: random.Random, n: int) -> list[str]:
    alphabet = "北约俄乌克兰美国会谈峰abc\n"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(n)]


def _searched(store: textstore.SearchStore, terms_: list[str]) -> list[list[int]]:
    return [store.search.holding(t).tolist() for t in terms_] + [
        store.titles.holding(t).tolist() for t in terms_
    ]


def test_a_new_generation_keeps_live_segments_and_answers_as_a_fresh_store(
    tmp_path: Path,
) -> None:
    """Files added, changed and removed: the kept segments' texts stay where they are, the
    last segment is filled up, and every search answers what a store written from nothing
    answers (and what a scan answers)."""
    import pyarrow as pa

    rng = random.Random(3)
    texts = _corpus(rng, ngrams.SEGMENT + 100)
    keys = _keys(len(texts))
    first = textstore.write(
        tmp_path, 1, (pa.array([str(k) for k in keys]), np.arange(len(keys))), keys,
        lambda ps: [texts[p] for p in ps],
    )  # fmt: skip
    assert [s.size for s in first.segments] == [ngrams.SEGMENT, 100]
    # generation 2: 3 files removed, 2 changed (same path, new hash), 150 added, all shuffled
    later = dict(zip(keys, texts, strict=True))
    for key in keys[10:13]:
        del later[key]
    for key in keys[20:22]:
        del later[key]
        later[(key[0], "changed", 0)] = "俄乌会谈" + rng.choice("北约")
    for key, text in zip(_keys(150, "new"), _corpus(rng, 150), strict=True):
        later[(key[0] + ".new", key[1], 0)] = text
    live_keys = sorted(later)
    live_texts = [later[k] for k in live_keys]
    display = np.array(rng.sample(range(len(live_keys)), len(live_keys)))
    ids = pa.array([str(live_keys[p]) for p in display])
    asked: list[int] = []

    def folded(positions: list[int]) -> list[str]:
        asked.extend(positions)
        return [live_texts[p] for p in positions]

    second = textstore.write(
        tmp_path, 2, (ids, display), live_keys, folded, (first.segments, first.checksums)
    )
    assert second.indexed == len(asked) == 152  # only the new and changed texts were read
    assert second.segments[0] == first.segments[0]  # kept as it was
    assert [s.size for s in second.segments] == [ngrams.SEGMENT, 100 + 152]
    kept = textstore.open_store(tmp_path, 2, second.segments, second.checksums)
    fresh_dir = tmp_path / "fresh"
    fresh_dir.mkdir()
    fresh = textstore.write(fresh_dir, 2, (ids, display), live_keys, folded)
    fresh_store = textstore.open_store(fresh_dir, 2, fresh.segments, fresh.checksums)
    shown = [live_texts[p] for p in display]
    assert list(kept.search.texts) == list(fresh_store.search.texts) == shown
    wanted = ["北", "北约", "俄乌会谈", "克兰", "abc", "\n", "约俄乌", "z"]
    assert _searched(kept, wanted) == _searched(fresh_store, wanted)
    for term in wanted:
        assert kept.search.holding(term).tolist() == scan(shown, term), term
    assert kept.search.counts(np.array([5, 0]), ["北"]).tolist() == [
        shown[5].count("北"),
        shown[0].count("北"),
    ]


def test_a_store_mostly_of_dead_texts_is_written_again(tmp_path: Path) -> None:
    import pyarrow as pa

    rng = random.Random(4)
    texts = _corpus(rng, 40)
    keys = _keys(40)
    first = textstore.write(
        tmp_path, 1, (pa.array([str(k) for k in keys]), np.arange(40)), keys,
        lambda ps: [texts[p] for p in ps],
    )  # fmt: skip
    live = keys[:20]  # half removed: beyond DEAD_SHARE
    second = textstore.write(
        tmp_path, 2, (pa.array([str(k) for k in live]), np.arange(20)), live,
        lambda ps: [texts[p] for p in ps], (first.segments, first.checksums),
    )  # fmt: skip
    assert second.indexed == 20 and [s.size for s in second.segments] == [20]
    store = textstore.open_store(tmp_path, 2, second.segments, second.checksums)
    assert list(store.search.texts) == texts[:20]


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> CorpusData:  # type: ignore[no-untyped-def]
    """The golden samples, served from a cache: the mapped texts and the index written at
    ingest, as the dashboard searches them."""
    root = tmp_path_factory.mktemp("search")
    shutil.copytree(GOLDEN, root / "corpus", ignore=shutil.ignore_patterns("*.expected.json"))
    settings = Settings(corpus_dir=root / "corpus", cache_dir=root / "cache")
    load_or_build(settings)
    loaded = load_or_build(settings)
    assert loaded.status == "hit"
    return loaded.data


def scanned_hits(data: CorpusData, query: str) -> np.ndarray:
    """What the search answered before the index: every folded text scanned."""
    wanted = expanded_terms(data, query)
    return np.array(
        [all(any(a in text for a in group) for group in wanted) for text in data.search.texts]
    )


def generated_queries(texts: list[str], count: int, seed: int) -> list[str]:
    """Pieces of the texts themselves (1–8 characters, so most are found), some joined into
    two-term queries, and some changed by a character (so some are not)."""
    rng = random.Random(seed)
    queries = []
    while len(queries) < count:
        text = rng.choice(texts)
        if len(text) < 10:
            continue
        start = rng.randrange(len(text) - 8)
        piece = text[start : start + rng.randint(1, 8)].strip()
        if rng.random() < 0.2:
            piece = piece[:-1] + rng.choice("的北约俄xyz")
        if rng.random() < 0.2:
            piece += " " + rng.choice(["北约", "普京", "俄罗斯", "的", "nato"])
        try:
            terms(piece)
        except QueryError:
            continue
        queries.append(piece)
    return queries


def test_the_index_finds_what_the_scan_finds_on_the_samples(samples: CorpusData) -> None:
    texts = list(samples.search.texts)
    assert len(texts) > 100
    queries = ["北约", "俄", "乌克兰", "普京", "NATO", "Zelensky", "泽连斯基", "北约 普京", "的"]
    queries += generated_queries(texts, 400, seed=12)
    found = 0
    for query in queries:
        expected = scanned_hits(samples, query)
        assert (article_hits(samples, query) == expected).all(), query
        found += bool(expected.any())
    assert found > 300  # the generated queries mostly find something: the test can fail


def test_the_title_index_finds_what_a_scan_of_first_lines_finds(samples: CorpusData) -> None:
    texts = list(samples.search.texts)
    titles = [text.split("\n", 1)[0] for text in texts]
    assert list(samples.titles.texts) == titles
    queries = ["北约", "俄", "普京", "nato", *generated_queries(titles, 200, seed=13)]
    found = 0
    for query in queries:
        for term in terms(query):
            expected = [n for n, title in enumerate(titles) if term in title]
            assert samples.titles.holding(term).tolist() == expected, term
            found += bool(expected)
    assert found > 100


def test_an_entity_name_finds_every_spelling_through_the_index(samples: CorpusData) -> None:
    hits = article_hits(samples, "Zelensky")
    literal = np.array(["zelensky" in text for text in samples.search.texts])
    assert hits.sum() > literal.sum()  # the Chinese spellings are found too
    assert (hits == scanned_hits(samples, "Zelensky")).all()


def test_the_index_written_at_ingest_matches_one_built_in_memory(samples: CorpusData) -> None:
    store_order = np.argsort(samples.search.texts.to_store)
    texts = samples.search.texts
    fresh = ngrams.build([texts[int(r)] for r in store_order])  # the texts in store order
    assert fresh.sizes == samples.search.index.sizes
    for built, written in zip(fresh.runs, samples.search.index.runs, strict=True):
        assert np.array_equal(built, written)


def test_an_uncached_corpus_searches_through_an_index_too(tmp_path: Path) -> None:
    shutil.copytree(GOLDEN / "seeds", tmp_path / "corpus")
    settings = Settings(corpus_dir=tmp_path / "corpus", cache_dir=None)
    data = load_or_build(replace(settings)).data
    assert data.search.index.count == len(data.search.texts) == len(data.articles)
    assert (article_hits(data, "北约") == scanned_hits(data, "北约")).all()
