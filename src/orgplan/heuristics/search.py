"""The local-search loop: passes of moves over one state towards one goal, until the clock
runs out or no pass improves the plan."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from orgplan.heuristics.budget import Clock
from orgplan.heuristics.goal import Goal, better
from orgplan.heuristics.state import State

Move = Callable[["Search"], bool]
"""One pass of a move over the plan (`moves.py`): whether it changed the plan."""

Item = TypeVar("Item")


class Search:
    """Local search on one state towards one goal, until its clock runs out."""

    def __init__(
        self,
        st: State,
        goal: Goal,
        clock: Clock,
        passes: Sequence[Move],
        nested: bool = False,
        focus: set[int] | None = None,
    ) -> None:
        self.st = st
        self.goal = goal
        self.clock = clock
        self.people = sorted(st.d.roles)
        self.moves = 0
        self.passes = tuple(passes)
        self.nested = nested  # inside another search's move: never commit its journal
        self.focus = focus  # only moves that involve these seats (a rebuild's new ones)

    def out_of_time(self) -> bool:
        """Whether the clock has run out (a move tried, when the budget is counted)."""
        return self.clock.over()

    def run(self) -> None:
        """Every pass in turn, again and again, until none changes the plan."""
        while not self.out_of_time():
            changed = False
            for move in self.passes:
                if move(self):
                    changed = True
                if not self.nested:
                    self.st.commit()
                if self.out_of_time():
                    return
            if not changed:
                return

    def each(self, items: Iterable[Item], step: Callable[[Item], bool]) -> bool:
        """A pass: `step` on each item in turn until the clock runs out; whether any
        step changed the plan."""
        changed = False
        for item in items:
            if self.out_of_time():
                break
            if step(item):
                changed = True
        return changed

    def best_of(self, tries: Iterable[Callable[[], None]]) -> bool:
        """Try each change (each from the current state); keep the best if it improves."""
        st, goal = self.st, self.goal
        current = goal.key(st)
        best: tuple[float, ...] | None = None
        chosen: Callable[[], None] | None = None
        for attempt in tries:
            mark = st.mark()
            attempt()
            if goal.ok(st):
                key = goal.key(st)
                if better(key, current if best is None else best):
                    best, chosen = key, attempt
            st.rollback(mark)
        if chosen is None:
            return False
        mark = st.mark()
        chosen()
        if not (goal.ok(st) and better(goal.key(st), current)):
            # a move with a search inside can come out otherwise once the clock has run out
            st.rollback(mark)
            return False
        self.moves += 1
        return True

    def work(self) -> list[int]:
        """The responsibilities a pass looks at: all, or (`focus`) those of the focus seats
        and those uncovered."""
        st = self.st
        if self.focus is None:
            return list(range(st.d.n))
        near = {ji for pi in self.focus for ji in st.d.can_own.get(pi, ())}
        return [
            ji
            for ji in range(st.d.n)
            if ji in near or st.owner[ji] is None or st.owner[ji] in self.focus
        ]
