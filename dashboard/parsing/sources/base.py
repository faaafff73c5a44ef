"""The reader protocol: each on-disk format says whether it handles a text, then reads it."""

from __future__ import annotations

from typing import Protocol

from dashboard.parsing.articles import RawArticle


class SkipFile(Exception):
    """A file (or one record of it) that is not an article; the message is the reason shown."""


class Reader(Protocol):
    name: str

    def detect(self, text: str) -> bool:
        """Whether this reader handles the text (by content, never by file name)."""
        ...

    def read(self, text: str) -> list[RawArticle | SkipFile]:
        """The articles in the text; a record that cannot be read comes back as a SkipFile."""
        ...
