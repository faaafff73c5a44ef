"""A character n-gram index of folded texts, for keyword search without scanning every text.

Chinese has no spaces, so words cannot be the index's keys: each text is indexed by its
characters and its pairs of adjacent characters. A one- or two-character term is then answered
by the index alone; a longer one by intersecting the postings of its pairs, which gives every
text that holds it (and a few that hold its pairs apart), and checking those candidates.

The postings are one sorted integer per (key, text): the key (a character, or a pair, as two
21-bit code points) above the text's number within its segment of SEGMENT texts. A segment is a
sorted run of the array, so building never sorts more than one segment at once, and finding a
key is two binary searches per segment. Pure: numpy arrays in, numpy arrays out.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

SEGMENT_BITS = 12
SEGMENT = 1 << SEGMENT_BITS  # texts per segment
_LOCAL = np.uint64(SEGMENT - 1)
_CODE = np.uint64(21)  # bits of a code point (U+10FFFF < 2**21)
_SHIFT = np.uint64(SEGMENT_BITS)


@dataclass(frozen=True)
class GramIndex:
    """Postings of ``count`` texts: ``grams`` holds each segment's sorted run, segment ``s``
    from ``starts[s]`` to ``starts[s + 1]``."""

    grams: np.ndarray  # uint64: key << SEGMENT_BITS | text number within the segment
    starts: np.ndarray  # int64, one more than there are segments
    count: int

    def texts_with_key(self, key: int) -> np.ndarray:
        """The sorted numbers of the texts that hold a key."""
        low, high = np.uint64(key) << _SHIFT, np.uint64(key + 1) << _SHIFT
        found = []
        for segment in range(len(self.starts) - 1):
            run = self.grams[self.starts[segment] : self.starts[segment + 1]]
            a, b = np.searchsorted(run, [low, high])
            if b > a:
                found.append((run[a:b] & _LOCAL).astype(np.int64) + segment * SEGMENT)
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def candidates(self, term: str) -> tuple[np.ndarray, bool]:
        """The sorted numbers of the texts that may hold ``term`` (a folded term without
        NUL), and whether they surely all do (terms of one or two characters)."""
        keys = term_keys(term)
        if not keys:
            return np.arange(self.count, dtype=np.int64), False
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


def segment_grams(texts: Sequence[str]) -> np.ndarray:
    """The sorted, distinct postings of up to SEGMENT texts, numbered from 0."""
    if len(texts) > SEGMENT:
        raise ValueError(f"a segment holds at most {SEGMENT} texts")
    # One array for the whole segment: texts joined by NUL, so a text's number is how many
    # NULs come before it. A NUL inside a text (folded text never holds one) becomes U+FFFF, a
    # noncharacter: the pair around it is not formed, as a scan would not find it.
    joined = "\0".join(t.replace("\0", "\uffff") for t in texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    text = np.cumsum(codes == 0).astype(np.uint64)
    real = codes != 0
    pair = real[:-1] & real[1:]
    keys = np.concatenate([codes[real] << _CODE, (codes[:-1][pair] << _CODE) | codes[1:][pair]])
    numbers = np.concatenate([text[real], text[:-1][pair]])
    postings = np.sort((keys << _SHIFT) | numbers)
    # Sorted, then the repeats dropped: np.unique takes some thirty times as long here.
    return postings[np.concatenate([[True], postings[1:] != postings[:-1]])]


def build(texts: Iterable[str]) -> GramIndex:
    """The index of texts, numbered in the order given (read once, a segment at a time)."""
    runs: list[np.ndarray] = []
    batch: list[str] = []
    count = 0
    for text in texts:
        batch.append(text)
        count += 1
        if len(batch) == SEGMENT:
            runs.append(segment_grams(batch))
            batch = []
    if batch:
        runs.append(segment_grams(batch))
    starts = np.cumsum([0, *(len(r) for r in runs)]).astype(np.int64)
    grams = np.concatenate(runs) if runs else np.zeros(0, dtype=np.uint64)
    return GramIndex(grams, starts, count)


def search(
    index: GramIndex, term: str, holds: Callable[[np.ndarray, str], np.ndarray]
) -> np.ndarray:
    """The sorted numbers of the texts that hold ``term``: the index's candidates, checked
    (``holds``: whether the texts at some numbers hold a term) when it cannot be sure."""
    found, sure = index.candidates(term)
    if sure or not len(found):
        return found
    return found[holds(found, term)]
