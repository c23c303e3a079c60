"""What one solver run proved, in one shape whatever the PuLP line or the backend."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from orgplan.results.status import SolveStatus, Termination

Progress = Callable[[float, float | None, float | None], None]
"""Called with (elapsed seconds, best objective so far, best bound) during a solve."""


@dataclass(frozen=True)
class SolveOutcome:
    """What one solver run proved: its status, why it stopped, its plan's value and bound."""

    status: SolveStatus  # NO_PLAN: stopped with no plan and no proof either way
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    termination: Termination = Termination.FINISHED

    @property
    def interrupted(self) -> bool:
        """The user pressed Ctrl-C: the best plan so far came back."""
        return self.termination is Termination.INTERRUPTED


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|bound - objective| / max(1, |objective|): the share the plan may still improve by."""
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(1.0, abs(objective))


def finite(value: float | None) -> float | None:
    """`value`, or None for a missing or infinite one (HiGHS says +-inf, CBC 1e50)."""
    if value is None or not math.isfinite(value) or abs(value) >= 1e30:
        return None
    return float(value)


Resolve = Callable[
    [Sequence[tuple[Any, float]], float | None, dict[str, float] | None],
    tuple[SolveOutcome, dict[str, float] | None],
]
"""Solve a loaded problem again with the given variables fixed at the given values, within
a time limit, from a starting plan: (fixings, time limit, start) -> (outcome, the plan's
values by variable name, or None when there is none)."""


class Tying(Protocol):
    """A `Resolve` of a backend that loads the problem itself (HiGHS), which can also add a
    column held equal to a sum, in the loaded problem only (`Resolver.tie`)."""

    def __call__(
        self,
        fixings: Sequence[tuple[Any, float]],
        time_limit: float | None,
        warm: dict[str, float] | None,
    ) -> tuple[SolveOutcome, dict[str, float] | None]:
        """Solve again with `fixings`, as `Resolve` says."""
        ...

    def tie(self, name: str, pairs: Sequence[tuple[Any, float]]) -> Any:
        """A new column `name` equal to `sum(pairs)`; fix its bounds to fix the sum."""
        ...


SIMPLEX = "orgplan_simplex"
"""A problem carrying this attribute (true) keeps HiGHS's simplex for its MIP's
relaxations: the timed model's many small rows take 5-6 times longer by interior point
at saas size."""
