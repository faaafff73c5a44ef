from __future__ import annotations

from dashboard.parsing.entities import build_index, learn, listed_entities
from dashboard.parsing.search import fold
from dashboard.parsing.store import CorpusData
from dashboard.web.filters import Filters, matching_articles, select

RFA, RFI, GNEWS = "000_6870c681a42abc3f", "001_74332eaaa2aa362a", "002_6317052b93716a15"
AJ_DEC = "004_460d2781416ddc35"


def test_folding_ignores_script_case_and_width() -> None:
    assert fold("澤倫斯基 烏克蘭 北約") == "泽伦斯基 乌克兰 北约"
    assert fold("ＮＡＴＯ Zelensky") == "nato zelensky"


def test_zelensky_under_any_spelling_finds_the_same_four_seed_articles(
    seed_data: CorpusData,
) -> None:
    expected = sorted([RFA, RFI, GNEWS, AJ_DEC])
    for query in ("Zelensky", "泽连斯基", "澤倫斯基", "zelenskyy", "泽伦斯基"):
        assert sorted(matching_articles(seed_data, query)) == expected, query


def test_macron_finds_exactly_two(seed_data: CorpusData) -> None:
    assert len(matching_articles(seed_data, "马克龙")) == 2
    assert sorted(matching_articles(seed_data, "Macron")) == sorted(
        matching_articles(seed_data, "马克龙")
    )


def test_entity_filter_and_caption(seed_data: CorpusData) -> None:
    filters, notices = Filters.from_query("?entity=Stoltenberg", seed_data)
    assert notices == [] and filters.entity == "stoltenberg"
    selection = select(seed_data, filters)
    assert "斯托尔滕贝格" in selection.caption
    assert set(selection.articles.index) == set(matching_articles(seed_data, "Stoltenberg"))
    _, notices = Filters.from_query("?entity=nobody-at-all", seed_data)
    assert any("unknown entity" in n for n in notices)


def test_events_carry_the_entities_of_their_sentence(seed_data: CorpusData) -> None:
    events = seed_data.events
    summit = events[(events["article"] == RFI) & (events["expression"] == "3月24日")].iloc[0]
    assert {"nato", "brussels"} <= set(summit["entities"])


def test_names_with_their_original_in_brackets_are_learnt() -> None:
    learnt = {
        e.id: e
        for e in learn(
            [
                "加拿大外交部长梅兰妮·朱莉（Mélanie Joly）表示",
                "北约秘书长斯托尔滕贝格(Jens Stoltenberg)说",
                "乌克兰总统澤倫斯基（Volodymyr Zelenskyy）週五",
            ],
            listed_entities(),
        )
    }
    joly = learnt["m-lanie-joly"]
    assert joly.zh == "梅兰妮·朱莉" and "Mélanie Joly" in joly.aliases  # the title is not kept
    assert "斯基" not in learnt["zelensky"].aliases  # a truncated piece never becomes a name
    index = build_index(["加拿大外交部长梅兰妮·朱莉（Mélanie Joly）表示"])
    assert index.lookup("Mélanie Joly") is not None
    assert index.find("梅兰妮·朱莉访问基辅") == ["m-lanie-joly", "kyiv"]


def test_latin_names_match_whole_words_only() -> None:
    index = build_index([])
    assert index.find("Putinism and G77") == []
    assert index.find("Putin met NATO") == ["putin", "nato"]
    assert index.find("北大西洋公约组织") == ["nato"]  # the longest name wins
