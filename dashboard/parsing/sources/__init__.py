"""Readers of the on-disk formats, and the registry that picks one by content.

The registry asks each reader in turn whether it handles a text; the first that says yes reads it.
The generic fallback is one more reader at the end of the same list.
"""

from __future__ import annotations

from dashboard.parsing.sources.base import Reader, SkipFile
from dashboard.parsing.sources.generic import GenericReader, not_article_reason
from dashboard.parsing.sources.gnews import GNewsReader
from dashboard.parsing.sources.hexo import HexoReader
from dashboard.parsing.sources.jsonl import JsonLinesReader
from dashboard.parsing.sources.waimei import WaimeiReader

READERS: tuple[Reader, ...] = (
    JsonLinesReader(),
    GNewsReader(),
    WaimeiReader(),
    HexoReader(),
    GenericReader(),
)


def pick_reader(text: str, readers: tuple[Reader, ...] = READERS) -> Reader | None:
    """The first reader that says it handles the text."""
    return next((r for r in readers if r.detect(text)), None)


__all__ = ["READERS", "Reader", "SkipFile", "not_article_reason", "pick_reader"]
