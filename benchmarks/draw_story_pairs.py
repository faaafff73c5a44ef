"""Draw event pairs for labelling story quality at scale (issue: stories that hold at scale).

Two kinds of pair, drawn at random with a stated seed from a built cache of the scale corpus
plus the samples, by the grouping as it stands when drawn (before any change is tuned on them):
- joined: two mentions, in different articles, that the grouping puts in one story; half from
  stories of at least LARGE articles, half from smaller ones (chaining shows in large stories);
- apart: two mentions of the same day, in different articles, whose sentences share a specific
  entity (one at most half of the articles mention), that the grouping leaves in different
  stories or in none.
Report datelines are not drawn (they date a report, not a happening). Each pair goes to the
development or the frozen test split at random, half each, kind by kind.

Written: ``pairs.jsonl`` for the labellers (each pair's day and both sides: article, outlet,
title, lead, expression and sentence; "same" left null), and ``key.jsonl`` (pair → kind, split,
the stories each side was in when drawn), so labellers never see what the grouping did.

    python benchmarks/draw_story_pairs.py --corpus /tmp/bd-work/corpus --cache /tmp/bd-work/cache \
        --out /tmp/story-pairs [--seed 20261207] [--joined 150] [--apart 150]
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.built import built_data, corpus_parser  # noqa: E402
from dashboard.parsing.store import CorpusData  # noqa: E402
from dashboard.parsing.stories import GENERIC_SHARE, is_dateline  # noqa: E402

LARGE = 20  # articles: a story at least this large is "large"
LEAD = 160  # characters of each article's text shown to the labeller


def candidates(data: CorpusData) -> tuple[list[dict[str, Any]], frozenset[str]]:
    """The mentions a story can hold (day precision, not datelines), with their entities,
    and the entities too common to tell happenings apart."""
    events = data.events
    day = (events["kind"] == "mentioned") & (events["precision"] == "day")
    rows = events.loc[day, ["id", "article", "outlet", "start", "expression", "sentence",
                            "entities", "story"]].to_dict("records")  # fmt: skip
    rows = [r for r in rows if not is_dateline(r["expression"], r["sentence"])]
    counts: dict[str, int] = defaultdict(int)
    for entities in data.articles["entities"]:
        for entity in set(entities or ()):
            counts[entity] += 1
    limit = GENERIC_SHARE * len(data.articles)
    generic = frozenset(e for e, n in counts.items() if n > limit)
    return rows, generic


def side(data: CorpusData, event: dict[str, Any]) -> dict[str, Any]:
    article = data.bodies[event["article"]]
    return {
        "article": event["article"], "path": article.source_path, "event": event["id"],
        "outlet": event["outlet"],
        "title": article.title, "lead": article.text[:LEAD],
        "expression": event["expression"], "sentence": event["sentence"],
    }  # fmt: skip


def story_of(event: dict[str, Any]) -> str | None:
    return event["story"] if isinstance(event["story"], str) else None


def joined_pairs(rows: list[dict[str, Any]], count: int, rng: random.Random) -> list[tuple]:  # type: ignore[type-arg]
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if story_of(row):
            by_story[row["story"]].append(row)
    sizes = {s: len({r["article"] for r in m}) for s, m in by_story.items()}
    large = sorted(s for s, n in sizes.items() if n >= LARGE)
    small = sorted(s for s, n in sizes.items() if 2 <= n < LARGE)
    pairs: list[tuple] = []  # type: ignore[type-arg]
    seen: set[frozenset[str]] = set()
    for pool, wanted in ((large, count // 2), (small, count - count // 2)):
        tries = 0
        drawn = 0
        while drawn < wanted and pool and tries < 100 * wanted:
            tries += 1
            members = by_story[rng.choice(pool)]
            a, b = rng.sample(members, 2)
            key = frozenset((a["id"], b["id"]))
            if a["article"] == b["article"] or key in seen:
                continue
            seen.add(key)
            pairs.append(("joined-large" if pool is large else "joined-small", a, b))
            drawn += 1
    return pairs


def apart_pairs(
    rows: list[dict[str, Any]], generic: frozenset[str], count: int, rng: random.Random
) -> list[tuple]:  # type: ignore[type-arg]
    blocks: dict[tuple[object, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        for entity in set(row["entities"] or ()):
            if entity not in generic:
                blocks[(row["start"], entity)].append(row)
    keys = sorted((k for k, m in blocks.items() if len({r["article"] for r in m}) >= 2),
                  key=lambda k: (str(k[0]), k[1]))  # fmt: skip
    pairs: list[tuple] = []  # type: ignore[type-arg]
    seen: set[frozenset[str]] = set()
    tries = 0
    while len(pairs) < count and keys and tries < 200 * count:
        tries += 1
        a, b = rng.sample(blocks[rng.choice(keys)], 2)
        key = frozenset((a["id"], b["id"]))
        together = story_of(a) is not None and story_of(a) == story_of(b)
        if a["article"] == b["article"] or together or key in seen:
            continue
        seen.add(key)
        pairs.append(("apart", a, b))
    return pairs


def main() -> None:
    parser = corpus_parser(__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--joined", type=int, default=150)
    parser.add_argument("--apart", type=int, default=150)
    args = parser.parse_args()
    data = built_data(args)
    rows, generic = candidates(data)
    rng = random.Random(args.seed)
    drawn = joined_pairs(rows, args.joined, rng) + apart_pairs(rows, generic, args.apart, rng)
    rng.shuffle(drawn)
    splits: dict[str, list[str]] = {}
    for kind in sorted({k for k, _, _ in drawn}):
        n = sum(k == kind for k, _, _ in drawn)
        splits[kind] = ["dev"] * (n // 2) + ["test"] * (n - n // 2)
        rng.shuffle(splits[kind])
    args.out.mkdir(parents=True, exist_ok=True)
    counters: dict[str, int] = defaultdict(int)
    with (
        (args.out / "pairs.jsonl").open("w", encoding="utf-8") as pairs,
        (args.out / "key.jsonl").open("w", encoding="utf-8") as key,
    ):
        for n, (kind, a, b) in enumerate(drawn, 1):
            split = splits[kind][counters[kind]]
            counters[kind] += 1
            record = {"pair": n, "day": f"{a['start']:%Y-%m-%d}", "a": side(data, a),
                      "b": side(data, b), "same": None, "note": ""}  # fmt: skip
            pairs.write(json.dumps(record, ensure_ascii=False) + "\n")
            key.write(json.dumps({"pair": n, "kind": kind, "split": split, "seed": args.seed,
                                  "stories": [story_of(a), story_of(b)]}) + "\n")  # fmt: skip
    print(f"{len(drawn)} pairs ({dict(counters)}) from {len(rows):,} mentions; "
          f"{len(generic)} generic entities: {sorted(generic)}")  # fmt: skip


if __name__ == "__main__":
    main()
