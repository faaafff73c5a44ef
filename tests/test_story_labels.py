from __future__ import annotations

from dashboard.parsing.store import CorpusData
from dashboard.web.filters import Filters, select
from dashboard.web.story_labels import (
    HEADLINE_CHARS,
    representative,
    short_headline,
    story_label,
    story_labels,
)
from dashboard.web.views.chronology import chronology_frame

RFA = "000_6870c681a42abc3f"


def test_headlines_lose_the_outlet_tail_and_column_tag() -> None:
    title = "美专家：赖清德520总统就职前夕　中国恐再次军演 | 政治 | 三立新闻网  SETN.COM"
    assert short_headline(title) == "美专家：赖清德520总统就职前夕 中国恐再次军演"
    assert short_headline("【秘翻在线】经济开始崩塌硅谷银行倒闭") == "经济开始崩塌硅谷银行倒闭"
    assert short_headline("Fed holds rates - Reuters") == "Fed holds rates"
    # Too little left after trimming: the title stays; no title: the sentence.
    assert short_headline("【快讯】 | 三立") == "【快讯】 | 三立"
    assert short_headline("", "北约峰会24日在布鲁塞尔举行") == "北约峰会24日在布鲁塞尔举行"
    long = short_headline("北" * 100)
    assert len(long) == HEADLINE_CHARS and long.endswith("…")


def test_the_representative_sentence_is_the_one_most_alike_the_others() -> None:
    sentences = [
        "据报道，乌克兰总统周四在基辅发表讲话",  # the first report, dating it in passing
        "北约特别峰会周四在布鲁塞尔举行，北约领导人发表联合声明",
        "北约领导人周四在布鲁塞尔举行特别峰会",
        "周四的北约特别峰会发表联合声明",
    ]
    assert representative(sentences) == 1
    assert representative(["只有一句"]) == 0


def test_the_summit_story_is_labelled_by_its_first_report(seed_data: CorpusData) -> None:
    story = seed_data.events.loc[seed_data.events["article"] == RFA, "story"].dropna().iloc[0]
    label = story_label(seed_data, story)
    assert label is not None
    assert label.headline == "北约峰会敦促俄罗斯撤军 呼吁中国不提供军事经济援助"
    assert "北约" in label.sentence and label.expression in label.sentence
    assert seed_data.events["sentence"].iloc[label.event] == label.sentence
    assert story_labels(seed_data, [story, "no-such-story"]) == {story: label}


def test_the_chronology_export_carries_the_headline(seed_data: CorpusData) -> None:
    filters = Filters(view="chronology")
    frame = chronology_frame(seed_data, select(seed_data, filters), filters)
    stories = frame[frame["story"].notna()]
    assert len(stories) == 1
    assert stories["headline"].iloc[0] == "北约峰会敦促俄罗斯撤军 呼吁中国不提供军事经济援助"
    assert frame.loc[frame["story"].isna(), "headline"].isna().all()
