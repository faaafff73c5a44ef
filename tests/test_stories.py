from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from dashboard.config import BUNDLED_CORPUS
from dashboard.parsing.corpus import read_corpus
from dashboard.parsing.store import CorpusData, build_data
from dashboard.parsing.stories import find_reposts, is_dateline
from dashboard.parsing.stories_eval import load_pairs, score_pairs
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
