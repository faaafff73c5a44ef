"""Fault isolation: time budgets, stage guards and the report lines they leave.

One bad file must never take a corpus down. Every stage of reading an article runs behind
``guard``: an exception becomes a ``Degraded`` line (file, stage, error type and message; the
traceback goes to the log, never to the user) and the stage's fallback is used instead. Every
file runs inside a ``time_budget``: work past it raises ``OverBudget``, which the corpus reader
turns into a "too costly" report line instead of hanging on the file.

Budgets count the process's CPU time (SIGPROF), not the wall clock: a file is too costly for
the work it takes, not for time spent waiting while other processes (parallel workers, a busy
machine) had the cores. A file that needs about its budget may still fall either side of it
from run to run (CPU time varies a little too); no GNews file comes within half of it. The signal
interrupts Python code (the loops in our modules) but not one long call into C or Rust: the
native calls (pyromark, nh3, lxml, json, re) are kept bounded by size and depth limits. Outside
the main thread signals cannot be used: there the wall-clock deadline is checked between stages
(``check_budget``), which bounds the number of stages run, not each one.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

FILE_BUDGET_SECONDS = 2.0  # a real article takes a few milliseconds; 2 s is a runaway
BUDGET_PER_MIB = 1.0  # a large JSON Lines file may hold thousands of records: read time scales
MAX_ERROR_CHARS = 300  # an exception message can quote a whole document
ALARM_REPEAT = 0.05  # seconds between alarms once a deadline has passed
ALARM_EARLY = 0.001  # timers may fire a hair early


@dataclass(frozen=True)
class Degraded:
    """An article kept without what one stage of its reading failed to give (or a cut made)."""

    path: str  # the file (with #record for a record of a JSON Lines file); "(corpus)" for all
    stage: str  # decode, read, sanitise, text, outlet, pubdate, url, ids, events, entities, …
    error: str  # "ValueError: year 0 is out of range", or the reason a limit cut

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "stage": self.stage, "error": self.error}


class OverBudget(BaseException):  # it is not an error of the input, but a verdict
    """Work ran past its time budget. A BaseException, so that the ``except Exception`` of a
    stage guard cannot swallow it and carry on with the runaway file."""

    def __init__(self, budget: _Budget) -> None:
        super().__init__(f"over its time budget of {budget.seconds:g} s")
        self.budget = budget


@dataclass(eq=False)
class _Budget:
    seconds: float
    deadline: float


_local = threading.local()


def _stack() -> list[_Budget]:
    stack: list[_Budget] | None = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def _can_signal() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _now() -> float:
    # Each thread's budgets use one clock: CPU time where the signal can enforce it (the main
    # thread), the wall clock where only check_budget does.
    return time.process_time() if _can_signal() else time.monotonic()


def _on_alarm(_signum: int, _frame: Any) -> None:
    stack = _stack()
    if stack and _now() >= stack[-1].deadline - ALARM_EARLY:
        raise OverBudget(stack[-1])


def _arm(stack: list[_Budget]) -> None:
    if not stack:
        signal.setitimer(signal.ITIMER_PROF, 0)
        return
    # A deadline already passed still fires: 1 µs later, at the next bytecode. The timer then
    # repeats: an exception raised while Python runs a finaliser (__del__, a weakref callback,
    # during garbage collection) is printed and swallowed, and the next alarm must try again.
    remaining = max(stack[-1].deadline - _now(), 1e-6)
    signal.setitimer(signal.ITIMER_PROF, remaining, ALARM_REPEAT)


@contextmanager
def time_budget(seconds: float) -> Iterator[_Budget]:
    """Raise OverBudget in the block once it has run ``seconds``; an inner budget never outlasts
    the one around it. Yields the budget, so a caller can tell its own expiry from an outer one."""
    stack = _stack()
    deadline = _now() + seconds
    if stack:
        deadline = min(deadline, stack[-1].deadline)
    budget = _Budget(seconds, deadline)
    signals = _can_signal()
    previous = None
    try:
        # Everything inside the try: an alarm landing between two steps still unwinds the stack.
        if signals and signal.getsignal(signal.SIGPROF) is not _on_alarm:
            previous = signal.signal(signal.SIGPROF, _on_alarm)
        stack.append(budget)
        if signals:
            _arm(stack)
        yield budget
    except OverBudget as exc:
        # An inner budget that ran out together with this one is this one's expiry: a caller
        # absorbing its own budget (within) must not absorb the one around it.
        if exc.budget is not budget and _now() >= budget.deadline - ALARM_EARLY:
            raise OverBudget(budget) from exc
        raise
    finally:
        if budget in stack:
            del stack[stack.index(budget) :]
        if signals:
            _arm(stack)
            if previous is not None:
                signal.signal(signal.SIGPROF, previous)


def within(seconds: float, work: Callable[[], T]) -> tuple[T | None, OverBudget | None]:
    """(work(), None), or (None, the expiry) when work runs past its own ``seconds``; an outer
    budget running out is not absorbed here but raised on, to the block it belongs to."""
    budget = None
    try:
        with time_budget(seconds) as budget:
            return work(), None
    except OverBudget as exc:
        if budget is None or exc.budget is not budget:
            raise
        return None, exc


def check_budget() -> None:
    """Raise OverBudget when the innermost budget has run out (for threads without signals)."""
    stack = _stack()
    if stack and _now() > stack[-1].deadline:
        raise OverBudget(stack[-1])


def describe(exc: BaseException) -> str:
    """'ValueError: year 0 is out of range', one line and short, for a report."""
    message = " ".join(str(exc).split())
    if len(message) > MAX_ERROR_CHARS:
        message = message[:MAX_ERROR_CHARS] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def guard(
    stage: str,
    path: str,
    degraded: list[Degraded],
    work: Callable[[], T],
    fallback: Callable[[], T],
) -> T:
    """work(), or — when it raises — a Degraded line, the traceback in the log, and fallback()."""
    try:
        return work()
    except Exception as exc:  # isolating any failure of one stage is the point
        log.warning("%s: stage %s failed", path, stage, exc_info=True)
        degraded.append(Degraded(path, stage, describe(exc)))
        return fallback()
