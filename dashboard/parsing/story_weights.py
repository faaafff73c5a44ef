"""How much a shared word or entity says about two reports being one happening.

Story grouping weighs each character bigram of a sentence and each entity by its inverse
document frequency: 表示 or 美国 are in a tenth of all news sentences and say little, 直播 or
水炮 say much more. The frequencies come from a reference table counted once over real Chinese
news (the 20,296 GNews reposts of the scale corpus and the 100 samples: 69,231 distinct dated
sentences, 20,402 articles), shipped with the package, not from the corpus being grouped: a
five-article corpus has no useful frequencies of its own, and weights that moved with every
added file would change the stories of days no new file touches (the incremental cache
regroups only those). Words the table never saw weigh the most.

    python benchmarks/make_story_weights.py --corpus /tmp/bd-work/corpus --cache /tmp/bd-work/cache
"""

from __future__ import annotations

import gzip
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from dashboard.parsing.search import fold

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "story-weights.tsv.gz"
MIN_COUNT = 3  # rarer bigrams are left out of the table: they weigh (nearly) the most anyway
# Bylines and bracketed datelines ("【大纪元2024年03月14日讯】(大纪元记者林燕编译)") are the
# same in every report of an outlet, whatever it reports (matched on folded text).
BOILERPLATE = re.compile(
    r"【[^】]{0,40}】|\([^)]{0,30}(?:记者|报导|报道|编译|综合|特约|专电)[^)]{0,30}\)"
)
NOT_WORD = re.compile(r"[\W\d_]+")  # what is neither a letter nor an ideograph
# A bigram in at most 1/50 of news sentences is rare: it finds candidate stories, and it tells
# whether a title is about a story.
RARE = math.log(50)
CODE_SHIFT = 21  # code points fit in 21 bits: a bigram is (first << 21) | second
SENTENCE_SHIFT = 2 * CODE_SHIFT  # above a bigram's code, the number of its sentence
SEPARATOR = "\x00"  # between sentences weighed together (NOT_WORD takes any out of them)
SEPARATOR_POINT = 0
CHUNK = 1 << 20  # sentences weighed at once, at most: their numbers stay below 2 ** 21


@dataclass(frozen=True)
class StoryWeights:
    sentences: int  # sentences the bigrams were counted in
    bigrams: Mapping[str, int]  # bigram → sentences holding it
    articles: int
    entities: Mapping[str, int]  # entity id → articles mentioning it

    def bigram(self, gram: str) -> float:
        return math.log((self.sentences + 1) / (self.bigrams.get(gram, 0) + 1))

    @cached_property
    def _table(self) -> tuple[np.ndarray, np.ndarray]:
        """The table's bigrams as sorted integer codes (`bigram_code`), and their weights."""
        grams = [g for g in self.bigrams if len(g) == 2]
        points = _code_points("".join(grams)).reshape(-1, 2)
        codes = (points[:, 0] << CODE_SHIFT) | points[:, 1]
        counts = np.fromiter((self.bigrams[g] for g in grams), np.float64, len(grams))
        order = np.argsort(codes)
        return codes[order], np.log((self.sentences + 1) / (counts[order] + 1))

    def weigh_all(self, sentences: Sequence[str]) -> WeighedBigrams:
        """Each bigram of each sentence (at most CHUNK of them) against its count there and
        its rarity, all sentences at once: one search of the table's sorted codes for every
        bigram, where a dict lookup a bigram (about 0.6 µs, memory-bound) cost a third of
        grouping the stories."""
        points = _code_points(SEPARATOR.join(map(_letters, sentences)))
        pairs = np.flatnonzero((points[:-1] != SEPARATOR_POINT) & (points[1:] != SEPARATOR_POINT))
        # The bigram at i belongs to the sentence numbered by the separators before i.
        owner = np.cumsum(points == SEPARATOR_POINT)[pairs]
        codes = (points[pairs] << CODE_SHIFT) | points[pairs + 1]
        keys, counts = np.unique((owner << SENTENCE_SHIFT) | codes, return_counts=True)
        codes = keys & ((1 << SENTENCE_SHIFT) - 1)
        table, idf = self._table
        if len(table):
            at = np.minimum(np.searchsorted(table, codes), len(table) - 1)
            rarity = np.where(table[at] == codes, idf[at], self._unseen)
        else:
            rarity = np.full(len(codes), self._unseen)
        bounds = np.searchsorted(keys >> SENTENCE_SHIFT, np.arange(len(sentences) + 1))
        return WeighedBigrams(bounds, codes, counts * rarity, rarity >= RARE)

    @cached_property
    def _unseen(self) -> float:
        return self.bigram("")

    def rare(self, gram: str) -> bool:
        return self.bigram(gram) >= RARE

    def primed(self) -> StoryWeights:
        """The table with its derived lookups made, so that processes forked afterwards share
        them instead of each working them out (0.1–0.2 s a worker)."""
        self._table  # noqa: B018
        return self

    def entity(self, entity: str) -> float:
        return math.log((self.articles + 1) / (self.entities.get(entity, 0) + 1))


@dataclass(frozen=True)
class WeighedBigrams:
    """The weighed bigrams of many sentences: sentence i's are ``codes[bounds[i]:bounds[i+1]]``
    (`bigram_code`, in ascending order) with their ``weights`` (count × rarity) and whether
    each is ``rare`` enough to find candidates."""

    bounds: np.ndarray
    codes: np.ndarray
    weights: np.ndarray
    rare: np.ndarray


def bigram_code(gram: str) -> int:
    """A bigram as one integer: its first code point above its second."""
    return (ord(gram[0]) << CODE_SHIFT) | ord(gram[1])


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def sentence_bigrams(sentence: str) -> Counter[str]:
    """Bigrams of letters and ideographs of a sentence, folded, without its byline (digits and
    punctuation out: "24日" and "3月24日" date, they do not describe)."""
    chars = _letters(sentence)
    return Counter(map(str.__add__, chars, chars[1:]))


def _letters(sentence: str) -> str:
    """The letters and ideographs of a sentence, folded, without its byline."""
    return NOT_WORD.sub("", BOILERPLATE.sub(" ", fold(sentence)))


def count_weights(
    sentences: Iterable[str], article_entities: Iterable[Sequence[str]], min_count: int = MIN_COUNT
) -> StoryWeights:
    """The table from distinct sentences and each article's entities."""
    bigrams: Counter[str] = Counter()
    total = 0
    for sentence in sentences:
        bigrams.update(sentence_bigrams(sentence).keys())
        total += 1
    entities: Counter[str] = Counter()
    articles = 0
    for found in article_entities:
        entities.update(set(found))
        articles += 1
    kept = {g: n for g, n in bigrams.items() if n >= min_count}
    return StoryWeights(total, kept, articles, dict(entities))


def write_weights(weights: StoryWeights, path: Path) -> None:
    lines = [f"n\tsentences\t{weights.sentences}", f"n\tarticles\t{weights.articles}"]
    lines += [f"e\t{e}\t{n}" for e, n in sorted(weights.entities.items())]
    lines += [f"b\t{g}\t{n}" for g, n in sorted(weights.bigrams.items())]
    # No time or name in the header: the same table gives the same bytes.
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))


def read_weights(path: Path) -> StoryWeights:
    totals: dict[str, int] = {}
    bigrams: dict[str, int] = {}
    entities: dict[str, int] = {}
    tables = {"n": totals, "b": bigrams, "e": entities}
    for line in gzip.decompress(path.read_bytes()).decode().splitlines():
        kind, key, count = line.split("\t")
        tables[kind][key] = int(count)
    return StoryWeights(totals["sentences"], bigrams, totals["articles"], entities)


@cache
def bundled_weights() -> StoryWeights:
    """The shipped table, read on first use (never at import)."""
    return read_weights(BUNDLED).primed()


def weights_held() -> bool:
    """Whether this process has read the shipped table (so processes it forks hold it too)."""
    return bundled_weights.cache_info().currsize > 0
