"""People, organisations and places, found in text under any of their names.

The list is data (``data/entities.json``); it also grows from the texts themselves, where an
article gives a name with its original in brackets: 斯托尔滕贝格(Jens Stoltenberg). All matching
is on folded text (NFKC, case-folded, traditional → simplified), so 澤倫斯基 is 泽伦斯基.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from dashboard.parsing.search import fold
from dashboard.parsing.text import to_simplified

ENTITIES_FILE = Path(__file__).parent.parent / "data" / "entities.json"
# A Chinese name directly followed by its original in brackets: 斯托尔滕贝格(Jens Stoltenberg).
BRACKETED_NAME = re.compile(
    r"([\u4e00-\u9fff·・]{2,14})\s*[（(]\s*([A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3})\s*[)）]"
)
# Characters of Chinese transliterations of foreign names; a learnt name is the longest run of
# them before the bracket, so 北约秘书长斯托尔滕贝格 gives 斯托尔滕贝格, not the title.
TRANSLITERATION = frozenset(
    "阿埃艾爱安昂奥巴拜班邦鲍贝本比彼毕边波伯博布采查柴达戴丹道德登迪蒂丁东杜多厄恩法菲费芬"
    "丰弗福富盖甘冈戈格根古瓜哈海汉豪赫胡华霍基吉加贾杰金卡凯坎康考柯科克肯库夸拉莱赖兰朗劳"
    "勒雷里利连廉列林琳隆卢鲁路伦罗洛马玛迈麦曼梅门蒙米明莫姆穆纳娜乃内尼涅纽努诺欧帕佩彭皮"
    "珀普齐奇恰乔切琴丘萨塞桑瑟森沙尚舍什史舒斯松苏索塔泰坦汤特滕提图托瓦万旺威韦维魏温文沃"
    "乌伍西希夏谢辛休雅亚扬耶伊因英尤于约扎泽詹朱兹祖佐·茨滋捷娃莉妮丽斯蒂芙琼尔奈克雷诺"
    "孟施钦纳丁切迦阔翁汀茜蕾薇娅丝璐黛妲缇嘉蓓芭琪琦珊莎萝露舍泰澳尼奎霍弥夫季宾"
)
UNAMBIGUOUS = 0.8  # share of a name's bracketed originals that must name one entity
MIN_ARTICLES = 2  # articles that must tie a name to an entity matched by a last word alone
MIN_LEARNT_NAME = 3  # two-character guesses ("格尔") match too much unrelated text
LATIN = re.compile(r"[a-z]")
OPENING = re.compile(r"[（(]\s*[A-Z]")
NAME_REACH = 16  # characters before a bracket that can hold the Chinese name
ORIGINAL_REACH = 48  # characters after it that can hold the original


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    zh: str
    en: str
    aliases: tuple[str, ...]

    @classmethod
    def of(cls, record: dict[str, Any]) -> Entity:
        """The entity of an ``as_dict`` record (the bundled list's and the cache's)."""
        return cls(record["id"], record["type"], record["zh"], record["en"],
                   tuple(record["aliases"]))  # fmt: skip

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "type": self.type,
            "zh": self.zh,
            "en": self.en,
            "aliases": list(self.aliases),
        }


@dataclass
class EntityIndex:
    """Entities by id, and a matcher over folded text for all their aliases."""

    entities: dict[str, Entity]
    by_alias: dict[str, str] = field(init=False)
    # Match with a walk of the alias trie in Python instead of the compiled pattern: slower per
    # text, but with nothing to compile (the pattern of 7,000 aliases takes most of a second),
    # for an update that finds the mentions of a few articles.
    walk: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        self.by_alias = aliases_of(self.entities.values())

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """One pattern for every alias (compiled when first needed: at 7,000 aliases it costs
        most of a second, and an update that finds nothing needs only ``by_alias``)."""
        return re.compile(_trie_pattern(list(self.by_alias)) or r"(?!)")

    @cached_property
    def trie(self) -> dict[str, Any]:
        """The aliases by character: a node's ``""`` key marks the end of an alias."""
        trie: dict[str, Any] = {}
        for alias in self.by_alias:
            node = trie
            for ch in alias:
                node = node.setdefault(ch, {})
            node[""] = {}
        return trie

    def spans(self, haystack: str) -> Iterator[tuple[int, int]]:
        """Where aliases are found in folded text, as ``pattern.finditer`` finds them: from
        left to right, the longest alias at each place, never overlapping."""
        if not self.walk or "" in self.trie:
            return ((m.start(), m.end()) for m in self.pattern.finditer(haystack))
        return _walked(self.trie, haystack)

    def find(self, text: str, folded: bool = False) -> list[str]:
        """Ids of the entities a text mentions, in order of first mention."""
        haystack = text if folded else fold(text)
        found = (
            self.by_alias[haystack[a:b]]
            for a, b in self.spans(haystack)
            if _whole_word(haystack, a, b)
        )
        return list(dict.fromkeys(found))

    def lookup(self, term: str) -> Entity | None:
        """The entity one of whose names the term is (any script, any case)."""
        entity_id = self.by_alias.get(fold(term.strip()))
        return self.entities.get(entity_id) if entity_id else None

    def aliases_of(self, entity_id: str) -> tuple[str, ...]:
        """Every folded name of an entity."""
        return tuple(a for a, i in self.by_alias.items() if i == entity_id)


def aliases_of(entities: Iterable[Entity]) -> dict[str, str]:
    """Folded alias → entity id (the first entity to claim an alias keeps it)."""
    by_alias: dict[str, str] = {}
    for entity in entities:
        for alias in entity.aliases:
            by_alias.setdefault(fold(alias), entity.id)
    return by_alias


def _trie_pattern(words: list[str]) -> str:
    """One regex for many words, factored by common prefixes: Python's re tries alternatives one
    by one, so 300 flat names cost 300 tries per character; a trie costs about one."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie) if trie else ""


def _trie_regex(node: dict) -> str:  # type: ignore[type-arg]
    ends = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # An optional continuation is greedy, so the longest name wins: 北大西洋公约组织, not 北约.
    return f"(?:{body})?" if ends else body


def _walked(trie: dict[str, Any], text: str) -> Iterator[tuple[int, int]]:
    start, size = 0, len(text)
    while start < size:
        node, end, at = trie, -1, start
        while at < size and (child := node.get(text[at])) is not None:
            node, at = child, at + 1
            if "" in node:
                end = at
        if end > 0:
            yield start, end
            start = end
        else:
            start += 1


def _whole_word(text: str, start: int, end: int) -> bool:
    """Latin names only count as whole words: "Putin" not in "Putinism", "G7" not in "G77"."""
    if not LATIN.search(text[start:end]):
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


@cache
def listed_entities() -> tuple[Entity, ...]:
    """The entities of the bundled list."""
    data = json.loads(ENTITIES_FILE.read_text(encoding="utf-8"))
    return tuple(Entity.of(e) for e in data["entities"])


def learn(texts: Iterable[str], known: Iterable[Entity]) -> list[Entity]:
    """Entities named with their original in brackets, merged into known ones where the
    original matches one of their names (or the last name of one)."""
    return learn_names((bracketed_names(text) for text in texts), known)


def learn_names(
    named: Iterable[Iterable[tuple[str, str]]], known: Iterable[Entity]
) -> list[Entity]:
    """``learn`` from each text's (name, original) pairs, found beforehand (in worker processes,
    and kept in the cache: a corpus that grows by a hundred files is not read again).

    A learnt name must stay right as the corpus grows, so it is learnt only when:
    - it is unambiguous: at least UNAMBIGUOUS of the articles that bracket it name one entity
      (鲍威尔 is written for Jerome, Michael and Ray Powell: none of them gets it);
    - a new person comes from a full name (名·姓, with its dot), never from a bare surname or
      given name (罗伯特(Robert Maxwell), 布拉格(Andrew Bragg), 维多利亚(Victoria Beckham));
    - a name matched to a known entity by its original's last word alone is seen in at least
      MIN_ARTICLES articles;
    - it never takes a name the bundled list gives another entity (特朗普 stays Trump's);
    - it is not a shorter piece of a known name (斯基 of 泽连斯基)."""
    entities = {e.id: e for e in known}
    bundled = {fold(a): e.id for e in entities.values() for a in e.aliases}
    latin = {fold(a): e.id for e in entities.values() for a in e.aliases if LATIN.search(fold(a))}
    articles: dict[tuple[str, str], int] = defaultdict(int)
    for pairs in named:
        for pair in set(pairs):
            articles[pair] += 1
    ordered = sorted(articles, key=lambda p: (-articles[p], p))
    by_name: dict[str, list[tuple[str, int]]] = defaultdict(list)  # name → (original, articles)
    for chinese, original in ordered:
        by_name[chinese].append((original, articles[(chinese, original)]))
    for chinese, original in ordered:  # new people first, so that their names are known
        if "·" in chinese and len(original.split()) >= 2 and not _target(original, latin)[0]:
            new = Entity(_slug(original), "person", chinese, original, (chinese, original))
            if new.id not in entities and _unambiguous(by_name[chinese], new.id, latin, new):
                entities[new.id] = new
                latin[fold(original)] = new.id
    for chinese, original in ordered:
        target, whole = _target(original, latin)
        if target is None or len(chinese) < MIN_LEARNT_NAME:
            continue
        entity = entities[target]
        known_names = [fold(a) for a in entity.aliases]
        folded = fold(chinese)
        if any(folded in k for k in known_names):
            continue  # already a name, or a truncated piece of one
        if bundled.get(folded, target) != target:
            continue
        seen = sum(n for o, n in by_name[chinese] if _target(o, latin)[0] == target)
        if (whole or seen >= MIN_ARTICLES) and _unambiguous(by_name[chinese], target, latin):
            entities[target] = _with_alias(entity, chinese)
    return list(entities.values())


def _target(original: str, latin: dict[str, str]) -> tuple[str | None, bool]:
    """The known entity an original names, and whether by its whole text (not its last word)."""
    folded = fold(original)
    if folded in latin:
        return latin[folded], True
    words = folded.split()
    return (latin.get(words[-1]) if words else None), False


def _unambiguous(
    originals: list[tuple[str, int]],
    target: str,
    latin: dict[str, str],
    new: Entity | None = None,
) -> bool:
    """Whether at least UNAMBIGUOUS of the articles that bracket a name (its ``originals``,
    with their article counts) name ``target`` (or ``new``, not yet known)."""
    own = fold(new.en) if new else None
    total = hits = 0
    for original, n in originals:
        total += n
        named = target if own is not None and fold(original) == own else _target(original, latin)[0]
        hits += n if named == target else 0
    return total > 0 and hits / total >= UNAMBIGUOUS


def bracketed_names(text: str) -> Iterator[tuple[str, str]]:
    """(Chinese name, original) for each name a text gives with its original in brackets."""
    # Find the brackets first (a cheap scan), then read the name before each: one regex over
    # the whole text would cost seconds at 10,000 articles.
    for bracket in OPENING.finditer(text):
        window = (max(0, bracket.start() - NAME_REACH), bracket.end() + ORIGINAL_REACH)
        m = BRACKETED_NAME.search(text, *window)
        if m is None or m.end() <= bracket.start():
            continue
        head = m.group(1)
        simplified = to_simplified(head)  # one for one: the traditional 澤 counts as 泽
        n = len(head)
        while n > 0 and simplified[n - 1] in TRANSLITERATION:
            n -= 1
        name = head[n:].strip("·・")
        if len(name.replace("·", "")) >= 2:
            yield name, m.group(2).strip()


def _with_alias(entity: Entity, alias: str) -> Entity:
    return Entity(entity.id, entity.type, entity.zh, entity.en, (*entity.aliases, alias))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "entity"


def entities_of(index: EntityIndex, sentences: Iterable[str]) -> list[list[str]]:
    """The entities of each sentence; a sentence repeated across copies is matched once."""
    found: dict[str, list[str]] = {}
    return [found[s] if s in found else found.setdefault(s, index.find(s)) for s in sentences]


def build_index(texts: Iterable[str]) -> EntityIndex:
    """The bundled entities plus those the texts name with their originals."""
    return names_index(bracketed_names(text) for text in texts)


def names_index(named: Iterable[Iterable[tuple[str, str]]]) -> EntityIndex:
    """The bundled entities plus those learnt from each text's (name, original) pairs."""
    learnt = learn_names(named, listed_entities())
    return EntityIndex({e.id: e for e in learnt})
