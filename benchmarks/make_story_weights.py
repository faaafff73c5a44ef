"""Count the story weights table (dashboard/data/story-weights.tsv.gz) from a built corpus.

The shipped table was counted over the shared scale corpus plus the samples (20,411 files):
every distinct sentence of a mentioned date, and every article's entities.

    python benchmarks/make_story_weights.py --corpus /tmp/bd-work/corpus --cache /tmp/bd-work/cache
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.built import built_data, corpus_parser  # noqa: E402
from dashboard.parsing.story_weights import BUNDLED, count_weights, write_weights  # noqa: E402


def main() -> None:
    parser = corpus_parser(__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUNDLED, help="where to write the table")
    args = parser.parse_args()
    data = built_data(args)
    events = data.events
    sentences = sorted(set(events.loc[events["kind"] == "mentioned", "sentence"]))
    weights = count_weights(sentences, data.articles["entities"])
    write_weights(weights, args.out)
    print(f"{weights.sentences:,} sentences, {len(weights.bigrams):,} bigrams kept, "
          f"{weights.articles:,} articles, {len(weights.entities):,} entities; "
          f"{args.out.stat().st_size / 1e6:.2f} MB at {args.out}")  # fmt: skip


if __name__ == "__main__":
    main()
