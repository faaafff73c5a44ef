"""Command line: ``python -m dashboard [serve|ingest|cache|events|articles|dates] …``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.config import Settings, SettingsError, from_env
from dashboard.parsing.corpus import CorpusReport, read_corpus
from dashboard.parsing.progress import ProgressBar

if TYPE_CHECKING:
    from dashboard.parsing.store import CorpusData

log = logging.getLogger("dashboard")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description="Chinese news archives as a timeline of events."
    )
    corpus = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a --corpus given after the command must not be reset to None by the parser.
    corpus.add_argument(
        "--corpus",
        type=Path,
        default=argparse.SUPPRESS,
        help="corpus folder, read recursively (default: CORPUS_DIR, else the bundled corpus)",
    )
    parser.add_argument(
        "--corpus", type=Path, help="corpus folder (also accepted after the command)"
    )
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", parents=[corpus], help="serve the dashboard (default)")
    serve.add_argument("--host", help="interface to bind (default: HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: PORT or 8050)")
    serve.add_argument("--debug", action="store_true", help="Dash debug mode (reloads on change)")
    ingest = commands.add_parser("ingest", parents=[corpus], help="read a corpus, print a summary")
    ingest.add_argument("dir", nargs="?", type=Path, help="corpus folder (default: --corpus)")
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    events = commands.add_parser("events", parents=[corpus], help="print every dated event")
    events.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        default="jsonl",
        help="one JSON object per line (default) or CSV with a header",
    )
    articles = commands.add_parser(
        "articles", parents=[corpus], help="write every article (metadata and plain text)"
    )
    articles.add_argument(
        "--format",
        choices=("jsonl", "csv", "parquet"),
        default="jsonl",
        help="JSON Lines (default), CSV with a header, or Parquet (needs --output)",
    )
    articles.add_argument("--output", type=Path, help="file to write (default: standard output)")
    cache = commands.add_parser(
        "cache",
        parents=[corpus],
        help="bring the cache (CACHE_DIR) up to date ahead of serving: new and changed files only",
    )
    cache.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="where the per-file stages run: local processes (default, INGEST_WORKERS) or a "
        "Dask cluster (needs the [dask] extra)",
    )
    cache.add_argument(
        "--scheduler",
        help="Dask scheduler address (tcp://HOST:8786); without it, a local Dask cluster",
    )
    cache.add_argument(
        "--workers", type=int, help="worker processes (default: INGEST_WORKERS, 0 = every core)"
    )
    dates = commands.add_parser("dates", help="resolve the dates in lines of text read on stdin")
    dates.add_argument(
        "--ref", required=True, help="reference date or date-time, ISO 8601 (e.g. 2022-03-24T18:31)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "dates":  # needs no settings and no corpus
        return resolve_stdin(args.ref)
    try:
        settings = _settings(args)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level,
        # The export commands write their data on stdout: log lines there would corrupt it.
        stream=sys.stderr if args.command in ("events", "articles") else sys.stdout,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    if args.command == "ingest":
        return ingest(settings, as_json=args.json)
    if args.command == "events":
        return _piped(lambda: print_events(settings, args.format))
    if args.command == "articles":
        return _piped(lambda: write_articles(settings, args.format, args.output))
    if args.command == "cache":
        return build_cache(settings, args.engine, args.scheduler, args.workers)
    return serve(settings, debug=getattr(args, "debug", False))


def _settings(args: argparse.Namespace) -> Settings:
    corpus = getattr(args, "dir", None) or args.corpus
    return from_env().with_overrides(
        corpus_dir=corpus, host=getattr(args, "host", None), port=getattr(args, "port", None)
    )


def _read(settings: Settings) -> CorpusReport | None:
    try:
        return read_corpus(settings.corpus_dir, settings.default_tz, ProgressBar())
    except NotADirectoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def _piped(command: Callable[[], int]) -> int:
    try:
        return command()
    except BrokenPipeError:  # `… events | head`: the reader has what it wanted
        sys.stderr.close()
        return 0


def _load(settings: Settings) -> CorpusData | None:
    """The corpus data as the dashboard serves it: from the cache when it matches the corpus."""
    from dashboard.parsing.cache import load_or_build

    try:
        return load_or_build(settings).data
    except NotADirectoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def ingest(settings: Settings, as_json: bool = False) -> int:
    report = _read(settings)
    if report is None:
        return 2
    print(
        json.dumps(summary(report, settings.default_tz), ensure_ascii=False, indent=2)
        if as_json
        else "\n".join(summary_lines(report, settings.default_tz))
    )
    return 0


def print_events(settings: Settings, fmt: str) -> int:
    from dashboard.web.export import export_frame
    from dashboard.web.filters import Filters

    data = _load(settings)
    if data is None:
        return 2
    frame = export_frame(data, Filters())
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        for row in frame.to_dict("records"):
            row["entities"] = row["entities"].split(";") if row["entities"] else []
            print(json.dumps(row, ensure_ascii=False, default=str))
    return 0


def write_articles(settings: Settings, fmt: str, output: Path | None) -> int:
    from dashboard.parsing import article_export

    if fmt == "parquet" and output is None:  # refused before the corpus is read
        print("error: --format parquet needs --output FILE (Parquet is binary)", file=sys.stderr)
        return 2
    data = _load(settings)
    if data is None:
        return 2
    frame = article_export.articles_frame_for_export(data)
    write = article_export.write_csv if fmt == "csv" else article_export.write_jsonl
    try:
        if output is None:
            write(frame, sys.stdout)
        elif fmt == "parquet":
            article_export.write_parquet(frame, output)
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                write(frame, out)
    except BrokenPipeError:  # not a failed write: the reader left, and _piped says so
        raise
    except OSError as exc:
        print(f"error: cannot write {output}: {exc}", file=sys.stderr)
        return 2
    return 0


def resolve_stdin(ref: str) -> int:
    from dashboard.parsing.dates import find_expressions

    try:
        reference = datetime.fromisoformat(ref.strip())
    except ValueError:
        print(f"error: --ref must be an ISO 8601 date or date-time, not {ref!r}", file=sys.stderr)
        return 2
    for line in sys.stdin:
        found = find_expressions(line.rstrip("\n"), reference)
        print(
            json.dumps(
                [
                    {
                        "text": e.text,
                        "start": e.start.isoformat(),
                        "end": e.end.isoformat(),
                        "precision": e.precision,
                    }
                    for e in found
                ],
                ensure_ascii=False,
            )
        )
    return 0


def serve(settings: Settings, debug: bool = False) -> int:
    from dashboard.web.app import create_app  # Dash is imported only when serving

    try:
        app = create_app(settings)
    except NotADirectoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    log.info("serving on http://%s:%d/", settings.host, settings.port)
    app.run(host=settings.host, port=settings.port, debug=debug)
    return 0


def build_cache(
    settings: Settings,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
) -> int:
    """Bring the cache up to date and say what it reused and what it parsed."""
    from dashboard.parsing.cache import update
    from dashboard.parsing.engines import Engine

    if settings.cache_dir is None:
        print("error: CACHE_DIR is off; nothing to build", file=sys.stderr)
        return 2
    if workers is not None and not 0 <= workers <= 256:
        print(f"error: --workers must be between 0 and 256, not {workers}", file=sys.stderr)
        return 2
    if scheduler and engine != "dask":
        print("error: --scheduler needs --engine dask", file=sys.stderr)
        return 2
    count = settings.ingest_workers if workers is None else workers
    running: Engine | None = None
    try:
        if engine == "dask":
            from dashboard.parsing.engine_dask import DaskEngine

            # Importing Dask sets its loggers to INFO; a LocalCluster's scheduler runs here and
            # would print thirty lines around the summary. Its warnings and errors still show.
            logging.getLogger("distributed").setLevel(max(logging.WARNING, logging.root.level))

            running = DaskEngine(scheduler, count)
        elif workers is not None:
            from dataclasses import replace

            settings = replace(settings, ingest_workers=workers)
        if running is not None:
            with running:
                done = update(settings, running, ProgressBar(label="parsing"))
        else:
            done = update(settings, None, ProgressBar(label="parsing"))
    except (NotADirectoryError, ImportError, ConnectionError, OSError, TimeoutError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(done.summary())
    return 0


def summary(report: CorpusReport, default_tz: str) -> dict[str, object]:
    """The ingest summary as data."""
    from dashboard.parsing.events import build_events

    degraded = list(report.degraded)  # plus the articles whose events fail (a copy: no repeats)
    events = build_events(report.articles, default_tz, degraded)
    span = report.date_range()
    return {
        "corpus": str(report.root),
        "files_seen": report.files_seen,
        "records_seen": report.records_seen,
        "articles": len(report.articles),
        "events": len(events),
        "mentioned_events": sum(e.kind == "mentioned" for e in events),
        "skipped": [s.as_dict() for s in report.skipped],
        "degraded": [d.as_dict() for d in degraded],
        "not_entered": report.not_entered,
        "outlets": dict(report.outlet_counts().most_common()),
        "date_range": [span[0].isoformat(), span[1].isoformat()] if span else None,
    }


def summary_lines(report: CorpusReport, default_tz: str) -> list[str]:
    """The ingest summary as lines for a terminal."""
    data = summary(report, default_tz)
    lines = [
        f"corpus:      {data['corpus']}",
        f"files seen:  {report.files_seen}"
        + (f" ({report.records_seen} records)" if report.records_seen != report.files_seen else ""),
        f"articles:    {len(report.articles)}",
        f"events:      {data['events']} ({len(report.articles)} published, "
        f"{data['mentioned_events']} mentioned)",
        f"skipped:     {len(report.skipped)}",
    ]
    lines += [f"  - {s.path}: {s.reason}" for s in report.skipped]
    degraded: list[dict[str, str]] = data["degraded"]  # type: ignore[assignment]
    lines.append(f"degraded:    {len(degraded)}")
    lines += [f"  - {d['path']} [{d['stage']}]: {d['error']}" for d in degraded]
    if report.not_entered:
        lines.append("not entered (hidden folders): " + ", ".join(report.not_entered))
    span = report.date_range()
    if span:
        lines.append(f"date range:  {span[0]:%Y-%m-%d} – {span[1]:%Y-%m-%d}")
    lines.append("outlets:")
    lines += [f"  {key:<14} {count}" for key, count in report.outlet_counts().most_common()]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
