from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from dashboard.config import BUNDLED_CORPUS
from dashboard.parsing.corpus import read_corpus
from dashboard.parsing.reposts import find_reposts
from dashboard.parsing.store import CorpusData, build_data
from dashboard.parsing.stories import event_vectors, group_stories, is_dateline
from dashboard.parsing.stories_eval import load_pairs, score_pairs
from dashboard.parsing.story_weights import (
    StoryWeights,
    bigram_code,
    bundled_weights,
    count_weights,
    read_weights,
    sentence_bigrams,
    write_weights,
)
from dashboard.web.export import export_frame
from dashboard.web.filters import Filters

RFA, RFI, GNEWS = "000_6870c681a42abc3f", "001_74332eaaa2aa362a", "002_6317052b93716a15"
AL_JAZEERA = ("003_9be81c0ca1c2c4ce", "004_460d2781416ddc35")
DATA = Path(__file__).parent / "data"


def test_the_nato_summit_is_one_story_of_three_seed_articles(seed_data: CorpusData) -> None:
    events = seed_data.events
    day = events[(events["start"] == "2022-03-24") & events["story"].notna()]
    assert day["story"].nunique() == 1
    assert set(day["article"]) == {RFA, RFI, GNEWS}
    story = day["story"].iloc[0]
    assert story.startswith("2022-03-24-")
    members = set(events.loc[events["story"] == story, "article"])
    assert not members & set(AL_JAZEERA)


def test_the_gnews_article_is_a_repost_of_the_rfi_one(seed_data: CorpusData) -> None:
    articles = seed_data.articles
    assert articles.loc[GNEWS, "repost_of_id"] == RFI
    assert articles["repost_of_id"].notna().sum() == 1


def test_near_identical_copies_are_reposts_of_the_earliest() -> None:
    articles = {a.id: a for a in read_corpus(BUNDLED_CORPUS, "UTC").articles}
    original = articles[RFI]
    copy = replace(
        original,
        id="copy",
        url="https://example.org/copy",
        published=replace(original.published, instant=original.published.instant.replace(hour=23)),
    )
    assert find_reposts([copy, original]) == {"copy": RFI}


def test_datelines_are_not_happenings() -> None:
    assert is_dateline("2022年03月24日", "【大纪元2022年03月24日讯】（大纪元记者张婷综合报导）")
    assert is_dateline("1月18日", "路透莫斯科1月18日 - 克里姆林宫发言人佩斯科夫周二表示")
    assert is_dateline("19日", "（中央社記者江今葉華盛頓19日專電）在烏克蘭緊張局勢")
    assert not is_dateline("3月24日", "据法国国际广播电台3月24日报道，北约峰会")


def test_export_has_story_entities_and_repost_of(seed_data: CorpusData) -> None:
    frame = export_frame(seed_data, Filters())
    assert {"story", "entities", "repost_of"} <= set(frame.columns)
    gnews = frame[frame["article"] == GNEWS]
    assert set(gnews["repost_of"]) == {RFI}
    assert frame["story"].notna().any()


@pytest.fixture(scope="module")
def sample_data() -> CorpusData:
    report = read_corpus(DATA / "golden", "Asia/Shanghai")
    # The synthetic copies in other/ are byte-level variants of samples, not other outlets.
    report.articles = [a for a in report.articles if not a.id.startswith("other/")]
    return build_data(report, "Asia/Shanghai")


def test_story_grouping_precision_on_labelled_pairs(sample_data: CorpusData) -> None:
    pairs = load_pairs(DATA / "stories" / "pairs.jsonl")
    assert len(pairs) >= 60
    score = score_pairs(sample_data.events, pairs)
    assert score.missing == [], f"labelled events not found: {score.missing}"
    assert score.precision >= 0.9, (score.precision, score.recall)
    assert score.recall >= 0.6, (score.precision, score.recall)


def _day_events(sentences: list[str], entities: list[list[str]] | None = None) -> pd.DataFrame:
    """Mentions of one day, each in its own article."""
    count = len(sentences)
    return pd.DataFrame(
        {
            "id": [f"a{n}#m0" for n in range(count)],
            "article": [f"a{n}" for n in range(count)],
            "kind": ["mentioned"] * count,
            "precision": ["day"] * count,
            "start": [pd.Timestamp("2022-03-24")] * count,
            "expression": ["24日"] * count,
            "sentence": sentences,
            "entities": entities or [[] for _ in sentences],
        }
    )


# Every bigram equally rare: the similarities below are plain counts of shared bigrams.
FLAT = StoryWeights(sentences=1000, bigrams={}, articles=1000, entities={})


def test_a_story_cannot_chain_two_unlike_events_through_a_third() -> None:
    # a and b share 2 of their 7 bigrams (cosine 0.29), b and c likewise, a and c nothing.
    # Single-link merging put all three in one story; against the centroid of a and b, c is
    # at 0.18, below JOIN.
    a, b, c = "甲乙丙丁戊己庚辛", "己庚辛壬癸子丑寅", "子丑寅卯辰巳午未"
    stories = group_stories(_day_events([a, b, c]), frozenset(), FLAT)
    assert stories[0] is not None and stories[0] == stories[1]
    assert stories[2] != stories[0]


def test_reports_in_other_words_of_one_entity_are_one_story() -> None:
    sentences = ["北约领导人24日举行特别峰会", "北大西洋公约组织成员国首脑24日开会"]
    entities = [["nato", "brussels"], ["nato", "brussels"]]
    assert group_stories(_day_events(sentences), frozenset(), FLAT)[0] is None
    stories = group_stories(_day_events(sentences, entities), frozenset(), FLAT)
    assert stories[0] is not None and stories[0] == stories[1]
    # A generic entity (in most articles of the corpus) tells nothing apart.
    generic = frozenset({"nato", "brussels"})
    assert group_stories(_day_events(sentences, entities), generic, FLAT)[0] is None


def test_one_article_alone_is_no_story() -> None:
    frame = _day_events(["北约领导人24日举行峰会", "北约领导人24日举行峰会"])
    frame["article"] = "a0"
    assert group_stories(frame, frozenset(), FLAT) == [None, None]


def test_bylines_and_datelines_say_nothing_about_the_happening() -> None:
    byline = "【大纪元2024年03月14日讯】(大纪元记者林燕编译)"
    assert sentence_bigrams(byline + "人口普查局公布数据") == sentence_bigrams("人口普查局公布数据")


def test_rare_words_weigh_more_than_common_ones() -> None:
    weights = bundled_weights()
    assert weights.sentences > 10_000 and weights.articles > 10_000
    assert weights.bigram("水炮") > weights.bigram("表示") > 0
    assert weights.bigram("\x01\x02") > weights.bigram("水炮")  # never seen: the rarest


def test_the_weights_table_round_trips(tmp_path: Path) -> None:
    weights = count_weights(["北约峰会举行", "北约峰会结束", "北约峰会举行"], [["nato"], []], 1)
    assert weights.bigrams["北约"] == 3 and weights.entities == {"nato": 1}
    write_weights(weights, tmp_path / "w.tsv.gz")
    again = read_weights(tmp_path / "w.tsv.gz")
    assert (again.sentences, again.articles) == (3, 2)
    assert dict(again.bigrams) == dict(weights.bigrams)
    write_weights(again, tmp_path / "again.tsv.gz")
    assert (tmp_path / "again.tsv.gz").read_bytes() == (tmp_path / "w.tsv.gz").read_bytes()


WEIGHED = [
    "北约领导人24日在布鲁塞尔举行特别峰会，北约秘书长表示",
    "",
    "【大纪元2024年03月14日讯】(大纪元记者林燕编译)人口普查局公布数据",
    "美國總統拜登週四抵達華沙",  # traditional: folded like the table's sentences
    "24日",  # no letters: no bigrams
    "哈哈哈，水炮水炮",  # a bigram twice, and one overlapping itself
]


@pytest.mark.parametrize("weights", [bundled_weights(), FLAT], ids=["bundled", "flat"])
def test_sentences_weighed_at_once_equal_each_weighed_alone(weights: StoryWeights) -> None:
    weighed = weights.weigh_all(WEIGHED)
    assert len(weighed.bounds) == len(WEIGHED) + 1
    for i, sentence in enumerate(WEIGHED):
        run = slice(int(weighed.bounds[i]), int(weighed.bounds[i + 1]))
        alone = sentence_bigrams(sentence)
        expected = {bigram_code(g): n * weights.bigram(g) for g, n in alone.items()}
        got = dict(zip(weighed.codes[run].tolist(), weighed.weights[run].tolist(), strict=True))
        assert got == pytest.approx(expected)
        rare = dict(zip(weighed.codes[run].tolist(), weighed.rare[run].tolist(), strict=True))
        assert rare == {bigram_code(g): weights.rare(g) for g in alone}


def test_event_vectors_are_unit_vectors_with_their_rare_features() -> None:
    keys = [(s, ("nato",)) for s in WEIGHED] + [("24日", ())]
    vectors = event_vectors(keys, frozenset(), bundled_weights())
    for (vector, (rare, values)), (sentence, _) in zip(vectors, keys, strict=True):
        if not vector:  # nothing to weigh: no vector
            assert sentence == "24日" and not rare
            continue
        assert sum(x * x for x in vector.values()) == pytest.approx(1.0)
        assert [vector[k] for k in rare] == values
        assert min(rare) < 0  # the entity: a feature of its own, always rare
    assert vectors[1][0] == {min(vectors[0][1][0]): pytest.approx(1.0)}  # "": the entity alone
