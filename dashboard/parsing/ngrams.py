"""A character n-gram index of folded texts, for keyword search without scanning every text.

Chinese has no spaces, so words cannot be the index's keys: each text is indexed by its
characters and its pairs of adjacent characters. A one- or two-character term is then answered
by the index alone; a longer one by intersecting the postings of its pairs, which gives every
text that holds it (and a few that hold its pairs apart), and checking those candidates.

The postings of a segment of up to SEGMENT texts are one sorted run of integers, one per
(key, text): the key (a character, or a pair, as two 21-bit code points) above the text's
number within its segment, above how many times the text holds the key (up to 255: TF_CAP
means "that many or more"). A one- or two-character term is then counted in its texts (the
article list's relevance order) by the index too, where counting in the texts took a fifth of
a search's render. Text ``i`` of segment ``s`` is number ``s * SEGMENT + i``, so a
segment that is not full leaves numbers unused, and a segment can take more texts later
(``merged``) without renumbering the others: the search store keeps the segments of texts
that did not change from one cache generation to the next. Finding a key is two binary
searches per segment. Pure: numpy arrays in, numpy arrays out.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

SEGMENT_BITS = 12
SEGMENT = 1 << SEGMENT_BITS  # texts per segment
TF_BITS = 8  # a posting's count of its key in its text, capped
TF_CAP = (1 << TF_BITS) - 1
_LOCAL = np.uint64(SEGMENT - 1)
_TF = np.uint64(TF_CAP)
_CODE = np.uint64(21)  # bits of a code point (U+10FFFF < 2**21)
_TEXT_SHIFT = np.uint64(TF_BITS)  # a posting: key | text number | count, 42 + 12 + 8 bits
_SHIFT = np.uint64(SEGMENT_BITS + TF_BITS)


@dataclass(frozen=True)
class GramIndex:
    """Postings of texts in segments: ``runs[s]`` is segment ``s``'s sorted run, of
    ``sizes[s]`` texts."""

    runs: tuple[np.ndarray, ...]  # uint64: key, text number in the segment, count (see above)
    sizes: tuple[int, ...]

    @property
    def count(self) -> int:
        return sum(self.sizes)

    def numbers(self) -> np.ndarray:
        """Every text's number, sorted."""
        spans = [np.arange(n, dtype=np.int64) + s * SEGMENT for s, n in enumerate(self.sizes)]
        return np.concatenate(spans) if spans else np.zeros(0, dtype=np.int64)

    def texts_with_key(self, key: int) -> np.ndarray:
        """The sorted numbers of the texts that hold a key."""
        return self._postings(key)[0]

    def key_counts(self, numbers: np.ndarray, key: int) -> np.ndarray:
        """How many times each text at ``numbers`` holds a key, up to TF_CAP (0 where it
        does not)."""
        numbers = np.asarray(numbers, dtype=np.int64)
        texts, postings = self._postings(key)
        if not len(texts) or not len(numbers):
            return np.zeros(len(numbers), dtype=np.int64)
        place = np.minimum(np.searchsorted(texts, numbers), len(texts) - 1)
        counts = (postings[place] & _TF).astype(np.int64)
        return np.where(texts[place] == numbers, counts, 0)

    def _postings(self, key: int) -> tuple[np.ndarray, np.ndarray]:
        """The sorted numbers of the texts that hold a key, and their postings (a search
        needs the numbers only; counting reads the counts off the postings)."""
        bounds = np.array([key, key + 1], dtype=np.uint64) << _SHIFT
        texts, postings = [], []
        for segment, run in enumerate(self.runs):
            a, b = np.searchsorted(run, bounds)
            if b > a:
                postings.append(run[a:b])
                local = (run[a:b] >> _TEXT_SHIFT) & _LOCAL
                texts.append(local.astype(np.int64) + segment * SEGMENT)
        if not texts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
        return np.concatenate(texts), np.concatenate(postings)

    def candidates(self, term: str) -> tuple[np.ndarray, bool]:
        """The sorted numbers of the texts that may hold ``term`` (a folded term without
        NUL), and whether they surely all do (terms of one or two characters)."""
        keys = term_keys(term)
        if not keys:
            return self.numbers(), False
        postings = sorted((self.texts_with_key(k) for k in keys), key=len)
        found = postings[0]
        for other in postings[1:]:
            if not len(found):
                break
            found = np.intersect1d(found, other, assume_unique=True)
        return found, len(term) <= 2


def term_keys(term: str) -> list[int]:
    """The index keys a term's texts all hold: its character, or its distinct pairs."""
    codes = [ord(c) for c in term]
    if len(codes) == 1:
        return [codes[0] << 21]
    return list(dict.fromkeys((a << 21) | b for a, b in itertools.pairwise(codes)))


def counted_key(term: str) -> int | None:
    """The key whose counts in the index are the counts of ``term`` in the texts, if one is:
    a character, or a pair of two different ones (the index counts 哈哈 twice in 哈哈哈, where
    it occurs once without overlapping; such a pair, or a longer term, is counted in the texts).
    """
    if len(term) == 1 or (len(term) == 2 and term[0] != term[1]):
        return term_keys(term)[0]
    return None


# Texts turned into postings at once: the intermediate arrays (eight bytes a character, several
# times over) of a whole segment of news texts came to half a gigabyte; of a slice, a few MB.
SLICE = 256
Slice = tuple[tuple[str, ...], int]  # texts, and the number of the first
# Maps slice_grams over slices, results in order: ``map``, or an engine's map (a build's
# search stage on every core: a segment's slices took a second of one core at 4,096 texts).
Runner = Callable[[Callable[[Slice], np.ndarray], Iterable[Slice]], Iterable[np.ndarray]]


def segment_grams(texts: Sequence[str], first: int = 0) -> np.ndarray:
    """The sorted, distinct postings of up to SEGMENT texts, numbered from ``first``."""
    return next(iter(segments_grams([(texts, first)])))


def segments_grams(
    segments: Iterable[tuple[Sequence[str], int]], run: Runner = map
) -> Iterator[np.ndarray]:
    """segment_grams of each (texts, first) in turn, their slices all in one stream through
    ``run``, so that an engine's workers go on with the next segment's slices while this
    process merges a segment's runs (segment by segment, they waited for every merge)."""
    counts: deque[int] = deque()  # slices of each segment, known before its first is sent

    def slices() -> Iterator[Slice]:
        for texts, first in segments:
            if first + len(texts) > SEGMENT:
                raise ValueError(f"a segment holds at most {SEGMENT} texts")
            counts.append(max(-(-len(texts) // SLICE), 1))  # no texts: one empty slice
            for i in range(0, max(len(texts), 1), SLICE):
                yield tuple(texts[i : i + SLICE]), first + i

    results = iter(run(slice_grams, slices()))
    for head in results:
        runs = [head, *(next(results) for _ in range(counts.popleft() - 1))]
        # Each run is sorted and distinct, and no two runs share a text: sorting their
        # concatenation (merging runs, for a stable sort) is all that is left.
        yield np.sort(np.concatenate(runs), kind="stable")


def slice_grams(piece: Slice) -> np.ndarray:
    """The sorted, distinct postings of a slice of texts (module level: a task)."""
    texts, first = piece
    # One array for the slice: texts joined by NUL, so a text's number is how many NULs come
    # before it. A NUL inside a text (folded text never holds one) becomes U+FFFF, a
    # noncharacter: the pair around it is not formed, as a scan would not find it.
    joined = "\0".join(t.replace("\0", "\uffff") for t in texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    text = np.cumsum(codes == 0).astype(np.uint64) + np.uint64(first)
    real = codes != 0
    pair = real[:-1] & real[1:]
    keys = np.concatenate([codes[real] << _CODE, (codes[:-1][pair] << _CODE) | codes[1:][pair]])
    numbers = np.concatenate([text[real], text[:-1][pair]])
    postings = np.sort((keys << _SHIFT) | (numbers << _TEXT_SHIFT))
    # Sorted, then each run of repeats made one posting with its length as the count:
    # np.unique takes some thirty times as long here.
    if not len(postings):
        return postings
    starts = np.flatnonzero(np.concatenate([[True], postings[1:] != postings[:-1]]))
    counts = np.diff(np.append(starts, len(postings))).astype(np.uint64)
    return postings[starts] | np.minimum(counts, _TF)


def merged(postings: np.ndarray, added: np.ndarray) -> np.ndarray:
    """A segment's run and the run of texts added after its own, as one run."""
    # Distinct already: a posting names its text, and the texts added are new numbers.
    return np.sort(np.concatenate([postings, added]), kind="stable")


def build(texts: Iterable[str]) -> GramIndex:
    """The index of texts, numbered in the order given (read once, a segment at a time)."""
    runs: list[np.ndarray] = []
    sizes: list[int] = []
    for batch in _batched(texts, SEGMENT):
        runs.append(segment_grams(batch))
        sizes.append(len(batch))
    return GramIndex(tuple(runs), tuple(sizes))


def _batched(items: Iterable[str], size: int) -> Iterable[list[str]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def search(
    index: GramIndex, term: str, holds: Callable[[np.ndarray, str], np.ndarray]
) -> np.ndarray:
    """The sorted numbers of the texts that hold ``term``: the index's candidates, checked
    (``holds``: whether the texts at some numbers hold a term) when it cannot be sure."""
    found, sure = index.candidates(term)
    if sure or not len(found):
        return found
    return found[holds(found, term)]
