"""What a lexicographic solve proved, over its stages: the `SolverInfo` of a plan."""

from __future__ import annotations

import time
from collections.abc import Sequence

from orgplan.results.plan import SolverInfo, StageResult
from orgplan.results.status import SolveStatus, Termination
from orgplan.solvers import registry
from orgplan.solving.options import SolveOptions


def solver_info(
    options: SolveOptions,
    stages: Sequence[StageResult],
    started: float,
    tolerance: float | None = None,
) -> SolverInfo:
    """What the solver proved over `stages`, timed from `started`, the cost stage allowed
    to give up `tolerance` of the best quality (default: the options')."""
    return SolverInfo(
        name=registry.label(options.solver),
        status=(
            SolveStatus.OPTIMAL
            if all(s.status is SolveStatus.OPTIMAL for s in stages)
            else SolveStatus.FEASIBLE
        ),
        gap=overall_gap(stages),
        seconds=time.perf_counter() - started,
        stages=tuple(stages),
        termination=termination(stages),
        quality_tolerance=options.quality_tolerance if tolerance is None else tolerance,
    )


def termination(stages: Sequence[StageResult]) -> Termination:
    """Why the search stopped: the first stage a limit or Ctrl-C cut short, else finished."""
    cut = (s.termination for s in stages if s.termination is not Termination.FINISHED)
    return next(cut, Termination.FINISHED)


def overall_gap(stages: Sequence[StageResult]) -> float | None:
    """The largest stage gap: the plan is at most this far from proven best on any priority."""
    found = [s.gap for s in stages]
    if any(g is None for g in found):
        return None
    return max((g for g in found if g is not None), default=0.0)
