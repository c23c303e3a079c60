"""The cost stage's head start: the people the relaxation seats, solved exactly.

The linear relaxation of the cost stage seats fractions of a few people: 15 of the 126
of the enterprise example. The cheapest whole team is usually found among them and the
people of the best plan known so far, so the stage is first solved over those people
alone. That is a small MIP (5 s on the enterprise example, 1,393,000 EUR against the
optimum's 1,387,000), and its plan starts the full search, which then has mostly to
prove it: the cost stage there took 59 s from the local search's plan (1,534,000 EUR),
16 s from this one (benchmarks/README.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from orgplan.model import TeamModel
from orgplan.results.status import SolveStatus
from orgplan.solvers import lp

MIN_OWNERSHIPS = 1000
"""Only from this many ownership variables on: a smaller model is proven optimal by the
full search in less time than the relaxation and the small search would take."""

# Of the head start's time (when the run has a limit), the relaxation may take this share.
_RELAXATION_SHARE = 0.5

# A seat the relaxation fills below this is taken as empty (HiGHS's feasibility tolerance).
_SEATED = 1e-6


@dataclass(frozen=True)
class HeadStart:
    """A plan for the cost stage from the restricted search (None: none found in time),
    and whether Ctrl-C stopped it (then the stage should stop too)."""

    values: dict[str, float] | None
    interrupted: bool = False


def head_start(
    model: TeamModel,
    solver: str,
    known: dict[str, float] | None,
    time_budget: float | None,
    progress: lp.Progress | None = None,
) -> HeadStart:
    """Solve the cost stage (the problem's current objective) over the people its linear
    relaxation seats and the people seated in `known`, a plan of the stage (its start).

    Returns the restricted search's plan, which meets every constraint of the full
    problem (people left out are only held at zero), or None when the relaxation was not
    solved or the search found no plan within `time_budget` seconds (None: no limit).
    `progress` hears of the search's improving plans, without its bound: that holds for
    the few people only. Leaves the problem as it found it.
    """
    started = time.perf_counter()
    with lp.relaxed(model.prob):
        relaxation = lp.run(model.prob, solver, _share(time_budget, _RELAXATION_SHARE))
        seated = {pi for (pi, _r), var in model.seat.items() if lp.value_of(var) > _SEATED}
    if relaxation.interrupted or relaxation.status is not SolveStatus.OPTIMAL:
        return HeadStart(None, relaxation.interrupted)
    if known is not None:
        seated |= {pi for (pi, _r), var in model.seat.items() if known.get(var.name, 0) > 0.5}
    others = [var for (pi, _r), var in model.seat.items() if pi not in seated]
    left = None if time_budget is None else time_budget - (time.perf_counter() - started)
    if left is not None and left <= 0:
        return HeadStart(None)
    with lp.held_at_zero(others):
        found = lp.run(model.prob, solver, left, warm=known, progress=_plans_only(progress))
        values = lp.snapshot(model.prob) if found.objective is not None else None
    return HeadStart(values, found.interrupted)


def _plans_only(progress: lp.Progress | None) -> lp.Progress | None:
    if progress is None:
        return None
    told = progress

    def report(elapsed: float, best: float | None, _bound: float | None) -> None:
        told(elapsed, best, None)

    return report


def _share(budget: float | None, share: float) -> float | None:
    return None if budget is None else budget * share
