"""Story grouping at scale: entities, stories and reposts for a corpus of real distinct files.

The corpus is the folder given (the unpacked scale corpus) plus the samples. Times each step of
`store.derive` on one core and prints the story precision/recall on the labelled pairs for
reference.

    python benchmarks/bench_stories.py --corpus /tmp/gnews
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_ingest import link_corpus  # noqa: E402
from dashboard.parsing.corpus import read_corpus  # noqa: E402
from dashboard.parsing.entities import build_index, entities_of  # noqa: E402
from dashboard.parsing.events import build_events, events_frame  # noqa: E402
from dashboard.parsing.search import fold  # noqa: E402
from dashboard.parsing.stories import find_reposts, generic_entities, group_stories  # noqa: E402

TARGET_SECONDS = 10.0


def timed(label: str, work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = work()
    print(f"  {label:<34} {time.perf_counter() - started:6.2f} s")
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="e.g. the scale corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        count = len(link_corpus(args.corpus, Path(tmp)))
        report = read_corpus(Path(tmp), "Asia/Shanghai")
        events = events_frame(build_events(report.articles, "Asia/Shanghai"))
    articles = report.articles
    print(f"{count:,} files, {len(articles):,} articles, {len(events):,} events")
    folded, _ = timed("fold texts (search index)", lambda: {a.id: fold(a.text) for a in articles})
    index, t_learn = timed(
        "learn names, build matcher", lambda: build_index(a.text for a in articles)
    )
    found, t_articles = timed(
        "entities of every article",
        lambda: {i: index.find(t, folded=True) for i, t in folded.items()},
    )
    sentences, t_events = timed(
        "entities of every event sentence", lambda: entities_of(index, events["sentence"])
    )
    events = events.assign(entities=sentences)
    stories, t_stories = timed(
        "group stories", lambda: group_stories(events, generic_entities(found), index.pattern)
    )
    reposts, t_reposts = timed("find reposts", lambda: find_reposts(articles))
    total = t_learn + t_articles + t_events + t_stories + t_reposts
    grouped = sum(s is not None for s in stories)
    print(
        f"  {'grouping total (entities → stories)':<34} {total:6.2f} s — target < "
        f"{TARGET_SECONDS:.0f} s: {'meets' if total < TARGET_SECONDS else 'MISSES'}"
    )
    print(
        f"{len(set(s for s in stories if s)):,} stories holding {grouped:,} events; "
        f"{len(reposts):,} reposts"
    )


if __name__ == "__main__":
    main()
