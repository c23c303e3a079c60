"""The heuristics' effort: a budget of seconds, or of counted moves, that Ctrl-C can end."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

WORK = 50_000
"""Without a time limit the effort is counted, not timed: this many moves tried (checks of
the clock) per stage, about 1 s on the enterprise example (where HiGHS then proves coverage
and quality in half a second). A timed cap made the warm start, and so the choice among
equally good plans, depend on the machine's speed and load; the same file must give the
same plan (issue 3)."""


class Clock:
    """A budget in seconds, or in moves tried when `budget` is None (`WORK`), that
    Ctrl-C can also end (`ctrl_c_stops`)."""

    def __init__(self, budget: float | None) -> None:
        self.deadline = None if budget is None else time.perf_counter() + max(0.0, budget)
        self.moves_left = WORK
        self.stopped = False

    def over(self) -> bool:
        """Whether the budget is spent (a counted budget counts this call as a move tried)."""
        if self.stopped:
            return True
        if self.deadline is None:
            self.moves_left -= 1
            return self.moves_left < 0
        return time.perf_counter() > self.deadline


@contextlib.contextmanager
def ctrl_c_stops(clock: Clock) -> Iterator[None]:
    """While the heuristic runs, Ctrl-C stops its clock instead of raising mid-move."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: Any) -> None:
        clock.stopped = True

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
