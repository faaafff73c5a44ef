"""A dependency-free progress bar for long corpus reads, on stderr."""

from __future__ import annotations

import sys
import time
from typing import TextIO

MIN_FILES = 200  # small corpora read in a blink: no bar
REFRESH_SECONDS = 0.2
WIDTH = 30


class ProgressBar:
    """Call with (done, total); draws at most every REFRESH_SECONDS, and the last step always."""

    def __init__(self, stream: TextIO | None = None, label: str = "reading") -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.started = time.perf_counter()
        self.last = 0.0
        self.tty = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if total < MIN_FILES:
            return
        now = time.perf_counter()
        if done < total and now - self.last < (REFRESH_SECONDS if self.tty else 5.0):
            return
        self.last = now
        filled = WIDTH * done // total
        rate = done / max(now - self.started, 1e-9)
        bar = "#" * filled + "." * (WIDTH - filled)
        line = f"{self.label} [{bar}] {done}/{total} files, {rate:,.0f}/s"
        end = "\n" if done == total or not self.tty else ""
        self.stream.write(("\r" if self.tty else "") + line + end)
        self.stream.flush()
