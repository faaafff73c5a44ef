"""Draw real articles at random and write their sentences, unlabelled, for the dates label sets.

Run from the repository root:

    python benchmarks/draw_date_articles.py --samples SAMPLES_DIR --scale /tmp/gnews \
        --seed 20261202 --out /tmp/dates-draw

SAMPLES_DIR is the shared samples folder, /tmp/gnews the unpacked shared scale corpus. The
draw leaves out every article already in tests/data/dates/dev.jsonl, shuffles the rest with
the seed, and takes TEST_SAMPLES samples and TEST_SCALE scale files for the test split, then
DEV_SCALE further scale files for the development split. With --more-dev N (and another seed)
it leaves out the articles of both splits and draws N more for development only, a quarter of
them from the samples. Each article is read by the
dashboard's own reader (so the text, the sentences and the reference date are those the
resolver meets in production) and written as one JSON line per sentence with "expressions":
null, for a reader to fill in. Articles with no text, or with no publication day, are skipped
(and said so): they yield no mentioned events. Long articles keep their first MAX_SENTENCES
sentences, so that one report of 1,000 sentences does not outweigh a hundred articles.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.parsing import text  # noqa: E402
from dashboard.parsing.articles import Article  # noqa: E402
from dashboard.parsing.corpus import read_one  # noqa: E402
from dashboard.parsing.events import _tz, local_reference  # noqa: E402

DEV = ROOT / "tests" / "data" / "dates" / "dev.jsonl"
TEST = ROOT / "tests" / "data" / "dates" / "test.jsonl"
DEFAULT_TZ = "Asia/Shanghai"
TEST_SAMPLES, TEST_SCALE, DEV_SCALE = 30, 120, 40
MAX_SENTENCES = 40
LEAD_CHARS, BEFORE_CHARS = 150, 500  # the context convention of the label sets


def main() -> None:
    """Draw, read and write the unlabelled sentences of both splits."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=Path, required=True)
    parser.add_argument("--scale", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--more-test", type=int, default=0, help="draw only this many further test articles"
    )
    parser.add_argument(
        "--more-dev",
        type=int,
        default=0,
        help="draw only this many further development articles (both splits' articles excluded)",
    )
    args = parser.parse_args()
    # By file name: the first labelled set named sample articles without their folder.
    taken = {
        _name(json.loads(line)["doc"])
        for path in (DEV, TEST)
        if path.exists()
        for line in path.open(encoding="utf-8")
        if line.strip()
    }
    rng = random.Random(args.seed)
    samples = sorted(p for p in args.samples.rglob("*.md") if p.is_file())
    scale = sorted(p for p in args.scale.rglob("*.md") if p.is_file())
    rng.shuffle(samples)
    rng.shuffle(scale)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.more_test:
        splits = [("test", draw(scale, args.scale, args.more_test, taken))]
    elif args.more_dev:
        dev = draw(samples, args.samples, args.more_dev // 4, taken)
        dev += draw(scale, args.scale, args.more_dev - len(dev), taken)
        splits = [("dev", dev)]
    else:
        test = draw(samples, args.samples, TEST_SAMPLES, taken)
        test += draw(scale, args.scale, TEST_SCALE, taken)
        splits = [("test", test), ("dev", draw(scale, args.scale, DEV_SCALE, taken))]
    for name, articles in splits:
        rows = [row for article in articles for row in sentence_rows(article)]
        path = args.out / f"{name}-unlabelled.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{name}: {len(articles)} articles, {len(rows)} sentences -> {path}")


def draw(pool: list[Path], root: Path, count: int, taken: set[str]) -> list[Article]:
    """The next count readable, dated articles of a shuffled pool (taken ids are marked)."""
    out: list[Article] = []
    while pool and len(out) < count:
        path = pool.pop(0)
        found = read_one(path, root, DEFAULT_TZ)
        for skipped in found.skipped:
            print(f"skipped {skipped.path}: {skipped.reason}")
        for article in found.articles[:1]:
            if _name(article.id) in taken:
                continue
            if not article.text.strip() or article.published.precision in ("month", "year"):
                print(f"skipped {article.id}: no text or no publication day")
                continue
            taken.add(_name(article.id))
            out.append(article)
    return out


def _name(doc: str) -> str:
    """An article id without its folder: format1/waimei-2022-03-24-001 → waimei-2022-03-24-001."""
    return doc.rsplit("/", 1)[-1]


def sentence_rows(article: Article) -> list[dict[str, Any]]:
    """One unlabelled row per sentence (the first MAX_SENTENCES), with the context convention."""
    plain = article.text
    reference = local_reference(article.published, _tz(article, DEFAULT_TZ)).date()
    lead = plain.split("\n\n")[0][:LEAD_CHARS]
    rows = []
    for start, end in text.sentence_spans(plain)[:MAX_SENTENCES]:
        before = plain[:start]
        context = (
            before if len(before) <= LEAD_CHARS + BEFORE_CHARS else lead + before[-BEFORE_CHARS:]
        )
        rows.append(
            {
                "doc": article.id,
                "outlet": article.outlet,
                "format": article.format,
                "reference": reference.isoformat(),
                "reference_source": article.published.source,
                "text": plain[start:end],
                "context": context,
                "expressions": None,
            }
        )
    return rows


if __name__ == "__main__":
    main()
