"""How to solve a scenario: the solver, the time limit, the quality tolerance, progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgplan.results.plan import Plan

QUALITY_TOLERANCE = 0.01
"""Share of the best quality that stage (3) may give up for a cheaper team (the format
allows at most 1%). Fit is estimated from whole levels on a 0-5 scale, so differences
below 1% of a team's hours x fit are below what the inputs can tell apart."""


StageProgress = Callable[[str, float, float | None, float | None], None]
"""Called with (priority being optimised, seconds into it, best plan's value, best bound)."""


@dataclass(frozen=True)
class PlanStart:
    """A known plan to start the search from, in the scenario's terms (it pickles).

    `seats` holds (candidate id, or None for an open requisition; role; the
    responsibilities it owns). A what-if starts from the plan it changes: the first
    stage's local search begins there instead of at its greedy plan, when the start still
    meets every rule (what no longer exists in the model, say an excluded person's seat,
    is dropped first).
    """

    seats: tuple[tuple[str | None, str, tuple[str, ...]], ...]

    @classmethod
    def of(cls, plan: Plan) -> PlanStart:
        """The start that is `plan`."""
        return cls(tuple((s.candidate, s.role, s.responsibilities) for s in plan.seats))


@dataclass(frozen=True)
class SolveOptions:
    """How to solve: which solver, how long, from where, and who hears about progress."""

    solver: str = "highs"
    time_limit: float | None = None
    quality_tolerance: float = QUALITY_TOLERANCE
    progress: StageProgress | None = None
    explain: bool = True
    start: PlanStart | None = None
    # The neighbourhood search of the quality and cost stages on large models with a time
    # limit (solving.lns); off: each stage is its heuristic, head start and full search.
    neighbourhood_search: bool = True
    # The bound from seat bundles (solving.bundles) beside the compact model's, and the
    # plan in hand proven optimal by it when it can be; False (the default): the compact
    # model's alone. None: only without a time limit. Off by default: under a limit its
    # share of the time can cost the search a better plan (benchmarks/README.md: M's cost
    # +0.56% at 60 s), and without one it adds rounds to every small solve while the
    # targets it was for are still missed; the benchmarks turn it on.
    bundle_bound: bool | None = False
    # The search over the seats of each role (solving.counts) on small models that HiGHS
    # does not prove at once; off: HiGHS's search alone (the benchmarks' compact arm).
    seat_counts: bool = True
