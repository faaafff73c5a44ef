"""Benchmark the date resolver on both labelled splits, on real article text, and beside jionlp.

Run from the repository root:

    python benchmarks/bench_dates.py [--scale /tmp/gnews] [--articles 3000] [--no-jionlp]

Prints, for the development split (tests/data/dates/dev.jsonl, which rules are tuned on) and
the frozen test split (test.jsonl, which they never are): precision, recall and milliseconds
per article, for this resolver and for jionlp (a bench extra: pip install jionlp), then our
precision and recall per expression class. With --scale (the unpacked shared scale corpus), it
reads that many real articles with the dashboard's own reader and times the resolver on their
whole texts: the cost per article the ingest pays. Then times pathological texts (one mention
repeated) at two sizes beside the bare mention scan: the time per character should not grow
with the size. `python benchmarks/bench_dates.py pathological` prints only that section.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import logging
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.parsing import dates_eval  # noqa: E402
from dashboard.parsing.dates import find_expressions, mentions, numerals  # noqa: E402
from dashboard.parsing.dates_eval import Predictor, Span  # noqa: E402

SPLITS = {
    "dev": ROOT / "tests" / "data" / "dates" / "dev.jsonl",
    "test": ROOT / "tests" / "data" / "dates" / "test.jsonl",
}
REPEAT = 5  # timing runs of our resolver; the fastest counts
# Texts that once made the resolver quadratic (or worse): each repeats one unit up to a size.
PATHOLOGICAL = {
    "bare days": "24日",  # quotation marks recounted from the start for every day
    "quoted weekdays": "“周四”",
    "durations": "过去3年",  # every earlier result sorted for every duration
    "quoted anchors": "“24日”同日",  # anaphora walking back through every quoted day
    "announced anchors": "将于24日会晤，同日",  # ... and through every announced one
    "no sentence end": "他24日说周四将于今天",  # each cue search read on to the text's end
    "today's x": "今天的x",  # "今天的.*明天的" searched over the whole sentence per 今天
    "mixture": "将于24日，“次日”同日过去3年来，今天周四。",
}
PATHOLOGICAL_SIZES = (100_000, 500_000)  # characters
PATHOLOGICAL_REFERENCE = dt.date(2022, 3, 25)


def main() -> None:
    """Every section, or only the pathological texts."""
    if sys.argv[1:] == ["pathological"]:
        pathological()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=Path, help="the unpacked shared scale corpus")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--no-jionlp", action="store_true")
    args = parser.parse_args()
    splits = {name: dates_eval.load(path) for name, path in SPLITS.items()}
    labelled(splits, jionlp=not args.no_jionlp)
    print()
    per_class(splits)
    if args.scale:
        print()
        real_text(args.scale, args.articles)
    print()
    pathological()


def labelled(splits: dict[str, list[dict[str, Any]]], jionlp: bool) -> None:
    """P, R and ms per article of each resolver on each split."""
    for name, rows in splits.items():
        docs = {row["doc"] for row in rows}
        gold = sum(len(row["expressions"]) for row in rows)
        print(f"{name} split: {gold} expressions in {len(rows)} sentences of {len(docs)} articles")
    print(f"{'split':<6}{'resolver':<26}{'precision':>10}{'recall':>8}{'ms/article':>12}")
    other = load_jionlp() if jionlp else "skipped (--no-jionlp)"
    for name, rows in splits.items():
        report(name, "dashboard.parsing.dates", dates_eval.ours, rows, REPEAT)
        if isinstance(other, str):
            print(f"{name:<6}{'jionlp':<26}  not available: {other}")
        else:
            report(name, f"jionlp {other[1]}", other[0], rows, 1)


def report(
    split: str, name: str, predictor: Predictor, rows: list[dict[str, Any]], repeat: int
) -> None:
    """Print one line: precision, recall and time per article."""
    result = dates_eval.score(rows, predictor)
    per_article = ms_per_article(rows, predictor, repeat)
    print(f"{split:<6}{name:<26}{result.precision:>10.3f}{result.recall:>8.3f}{per_article:>12.2f}")


def per_class(splits: dict[str, list[dict[str, Any]]]) -> None:
    """Our precision and recall per expression class, both splits side by side."""
    scores = {name: dates_eval.class_scores(rows) for name, rows in splits.items()}
    classes = sorted({c for by_class in scores.values() for c in by_class})
    head = "".join(f"{name + ' P':>9}{name + ' R':>9}{'n':>5}" for name in scores)
    print(f"{'expression class':<26}{head}")
    for c in classes:
        cells = ""
        for by_class in scores.values():
            s = by_class.get(c)
            cells += (
                f"{s.precision:>9.2f}{s.recall:>9.2f}{s.gold:>5}"
                if s
                else f"{'-':>9}{'-':>9}{0:>5}"
            )
        print(f"{c:<26}{cells}")


def real_text(scale: Path, count: int) -> None:
    """The resolver's time per article over whole real texts, as the ingest calls it."""
    from dashboard.parsing.corpus import read_one
    from dashboard.parsing.events import _tz, local_reference

    articles = []
    for path in sorted(scale.glob("*.md"))[:count]:
        for article in read_one(path, scale, "Asia/Shanghai").articles:
            reference = local_reference(article.published, _tz(article, "Asia/Shanghai"))
            articles.append((article.text, reference))
    # Each article's fastest of REPEAT runs: this machine's noise is larger than the work.
    times, found = [float("inf")] * len(articles), 0
    for run in range(REPEAT):
        for n, (text, reference) in enumerate(articles):
            started = time.process_time()
            result = find_expressions(text, reference)
            times[n] = min(times[n], time.process_time() - started)
            found += len(result) if run == 0 else 0
    chars = statistics.mean(len(text) for text, _ in articles)
    print(
        f"real text: {len(articles)} articles of {scale} (mean {chars:,.0f} characters), "
        f"{found} expressions: mean {1000 * statistics.mean(times):.3f} ms/article, "
        f"median {1000 * statistics.median(times):.3f}, "
        f"p99 {1000 * sorted(times)[int(0.99 * len(times))]:.3f} (CPU time, best of {REPEAT})"
    )


def ms_per_article(rows: list[dict[str, Any]], predictor: Predictor, repeat: int) -> float:
    """Mean over articles of the time to resolve all of an article's sentences (with context)."""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_doc[row["doc"]].append(row)
    predictor(rows[0]["text"], dt.date.fromisoformat(rows[0]["reference"]))  # warm-up
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for doc_rows in by_doc.values():
            for row in doc_rows:
                dates_eval.predicted_spans(row, predictor)
        best = min(best, time.perf_counter() - started)
    return 1000 * best / len(by_doc)


def pathological() -> None:
    """Seconds and microseconds per character for each pathological text at two sizes."""
    print("pathological texts (parsing.dates; bare mention scan of the same text as baseline)")
    print(f"{'text':<20}{'chars':>10}{'found':>9}{'s':>8}{'us/char':>9}{'scan us/char':>14}")
    for name, unit in PATHOLOGICAL.items():
        for size in PATHOLOGICAL_SIZES:
            text = unit * (size // len(unit))
            found, seconds = timed(resolved, text)
            _, scan = timed(scanned, text)
            per_char, scan_per_char = 1e6 * seconds / len(text), 1e6 * scan / len(text)
            print(
                f"{name:<20}{len(text):>10}{found:>9}{seconds:>8.2f}{per_char:>9.2f}"
                f"{scan_per_char:>14.2f}"
            )


def resolved(text: str) -> int:
    """How many expressions the resolver finds."""
    return len(find_expressions(text, PATHOLOGICAL_REFERENCE))


def scanned(text: str) -> int:
    """How many mentions the bare scan finds (the linear regex work the resolver starts with)."""
    return len(mentions.find_mentions(mentions.Marks.of(numerals.normalise(text))))


def timed(work: Callable[[str], int], text: str) -> tuple[int, float]:
    """work(text) and the CPU seconds it took (CPU time: other processes do not count)."""
    started = time.process_time()
    result = work(text)
    return result, time.process_time() - started


def load_jionlp() -> tuple[Predictor, str] | str:
    """jionlp's extract_time as a predictor, or why it cannot be used."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # it prints a banner on import
            import jionlp  # a bench extra, never needed by the package
    except Exception as exc:  # any import failure means "not available"
        return f"{type(exc).__name__}: {exc} (pip install jionlp)"
    # jionlp logs a traceback for every fragment it cannot parse; the result simply omits it.
    logging.getLogger().setLevel(logging.CRITICAL)

    def predict(text: str, reference: dt.date) -> list[Span]:
        """jionlp's expressions in text, with the reference at noon as its time base."""
        base = {"year": reference.year, "month": reference.month, "day": reference.day, "hour": 12}
        found = jionlp.ner.extract_time(text, time_base=base, with_parsing=True)
        return [span for item in found if (span := jionlp_span(item)) is not None]

    return predict, getattr(jionlp, "__version__", "?")


# Mapping jionlp's output as fairly as it allows: only time_point and time_span results name
# calendar days (time_delta and time_period are durations and repetitions). The calendar dates
# of the first and last instant of detail["time"] become start and end, and the precision is
# read off those dates the way our labels define it: one day is "day", Monday..Sunday "week", a
# whole calendar month "month", a whole year "year", anything else "range". Results whose
# instants cannot be read as dates (open ends) are dropped rather than guessed.
def jionlp_span(item: dict[str, Any]) -> Span | None:
    """One jionlp result as a Span, or None when it names no calendar days."""
    detail = item.get("detail") or {}
    if detail.get("type") not in ("time_point", "time_span"):
        return None
    try:
        first, last = (dt.datetime.fromisoformat(value).date() for value in detail["time"])
    except (KeyError, TypeError, ValueError):
        return None
    start, end = item["offset"]
    return Span(start, end, first.isoformat(), last.isoformat(), precision_of(first, last))


def precision_of(first: dt.date, last: dt.date) -> str:
    """The precision a span of whole days corresponds to."""
    if first == last:
        return "day"
    if first.weekday() == 0 and (last - first).days == 6:
        return "week"
    next_day = last + dt.timedelta(days=1)
    if first.day == 1 and next_day.day == 1 and (next_day.month - first.month) % 12 == 1:
        return "month" if (last - first).days < 31 else "range"
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return "year"
    return "range"


if __name__ == "__main__":
    main()
