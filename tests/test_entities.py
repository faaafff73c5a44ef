from __future__ import annotations

from pathlib import Path

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


def _learnt(texts: list[str]) -> dict[str, tuple[str, ...]]:
    """Each learnt Chinese name → the entities it became a name of."""
    names: dict[str, list[str]] = {}
    bundled = {e.id: set(e.aliases) for e in listed_entities()}
    for entity in learn(texts, listed_entities()):
        for alias in entity.aliases:
            if alias not in bundled.get(entity.id, set()):
                names.setdefault(alias, []).append(entity.id)
    return {k: tuple(v) for k, v in names.items()}


def test_a_bare_surname_given_name_or_place_never_becomes_a_persons_name() -> None:
    learnt = _learnt([
        "华盛顿特区市长鲍威尔（Muriel Bowser）表示",
        "英国商人罗伯特(Robert Maxwell)的女儿",
        "澳大利亚参议员布拉格(Andrew Bragg)说",
        "球队马德里(Real Madrid)获胜",
        "设计师维多利亚(Victoria Beckham)出席",
    ])  # fmt: skip
    assert not {"鲍威尔", "罗伯特", "布拉格", "马德里", "维多利亚"} & set(learnt)
    assert learnt == {}  # and no new person from a name without its full form


def test_a_name_bracketed_with_several_originals_is_nobodys() -> None:
    texts = ["美联储主席杰罗姆·鲍威尔（Jerome Powell）说"] * 3 + [
        "前国务卿科林·鲍威尔（Colin Powell）去世",
        "鲍威尔（Jerome Powell）表示",
        "鲍威尔（Colin Powell）曾说",
        "鲍威尔（Michael Powell）",
    ]
    learnt = _learnt(texts)
    assert learnt["杰罗姆·鲍威尔"] == ("jerome-powell",)
    assert "鲍威尔" not in learnt  # 2 of 4 articles for Jerome: ambiguous


def test_a_learnt_name_never_takes_a_bundled_one_and_a_last_word_needs_two_articles() -> None:
    # 泽连斯基 is the bundled Zelensky's: a bracket that pairs it with Biden gives Biden nothing.
    assert _learnt(["泽连斯基（Joe Biden）说"] * 3) == {}
    from dashboard.parsing.entities import learn_names

    def names_of(articles: int) -> tuple[str, ...]:
        pairs = [[("约瑟夫·拜登", "Joseph Biden")]] * articles
        return next(e for e in learn_names(pairs, listed_entities()) if e.id == "biden").aliases

    assert "约瑟夫·拜登" not in names_of(1)  # matched by its last word only, in one article
    assert "约瑟夫·拜登" in names_of(2)


def test_walking_the_alias_trie_finds_what_the_pattern_finds() -> None:
    """An update with a few articles walks the trie instead of compiling the pattern: the same
    spans (leftmost, longest, not overlapping) and the same entities, on real texts and on
    texts crowded with aliases that are prefixes of one another."""
    import random

    from dashboard.parsing.entities import Entity, EntityIndex

    extra = [
        Entity("ab", "org", "北约", "", ("北约", "北约组织", "北大西洋公约组织")),
        Entity("x", "person", "拜登", "Biden", ("拜登", "Joe Biden", "G7", "G77")),
    ]
    index = EntityIndex({e.id: e for e in (*listed_entities(), *extra)})
    walking = EntityIndex(index.entities, walk=True)
    rng = random.Random(5)
    aliases = list(index.by_alias)
    texts = [fold(p.read_text(encoding="utf-8", errors="replace")) for p in
             sorted((Path(__file__).parent / "data" / "golden").rglob("*.md"))[:40]]  # fmt: skip
    for _ in range(300):
        pieces = [rng.choice(aliases)[: rng.randint(1, 6)] for _ in range(rng.randint(1, 12))]
        texts.append(rng.choice(["", " ", "的", "x"]).join(pieces))
    assert len(texts) > 300 and any(index.find(t, True) for t in texts)
    for text in texts:
        assert list(walking.spans(text)) == list(index.spans(text))
        assert walking.find(text, True) == index.find(text, True)
