"""The built cache a benchmark reads: its command-line arguments and the data it opens."""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard.config import Settings
from dashboard.parsing.cache import load_or_build
from dashboard.parsing.store import CorpusData


def corpus_parser(description: str) -> argparse.ArgumentParser:
    """A parser with --corpus and --cache (a cache of that corpus, built if it is not)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--corpus", type=Path, required=True, help="the corpus folder")
    parser.add_argument("--cache", type=Path, required=True, help="its cache folder")
    return parser


def built_data(args: argparse.Namespace) -> CorpusData:
    return load_or_build(Settings(corpus_dir=args.corpus, cache_dir=args.cache)).data
