"""The hook into the lexicographic stages: a plan to start each stage from, and the
heuristic's plan standing in for a stage whose solver run ended without one."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from orgplan.heuristics import construct, improving
from orgplan.heuristics.budget import Clock, ctrl_c_stops
from orgplan.heuristics.check import Values, value_of
from orgplan.model import TeamModel
from orgplan.model.stages import Stage
from orgplan.results.status import SolveStatus, Termination
from orgplan.solvers import lp

# Time the heuristic may take before a stage: a share of what is left, capped. The cost
# stage gets the largest share: there the solver's own search is weakest (benchmarks/).
_SHARE: dict[str, float] = {Stage.COVERAGE: 0.1, Stage.QUALITY: 0.1, Stage.COST: 0.2}
_CAP = 5.0


@dataclass(frozen=True)
class Start:
    """What the heuristic hands a stage: a plan to start from (None: none better than the
    previous stage's), and whether Ctrl-C stopped it (then the stage should stop too)."""

    values: Values | None
    interrupted: bool = False
    seconds: float = 0.0

    def stopped(self) -> lp.SolveOutcome:
        """The outcome of a stage that Ctrl-C ended before the solver ran."""
        return lp.SolveOutcome(
            SolveStatus.NO_PLAN, None, None, None, self.seconds, Termination.INTERRUPTED
        )


def warm_start(
    model: TeamModel,
    stage: str,
    values: Values | None,
    time_limit: float | None,
    started: float,
    known: Values | None = None,
) -> Start:
    """A plan to start stage `stage` from: before the first stage, `known` (a plan given
    to start from) improved when it meets the rules, else the greedy plan; after it,
    `values` (the previous stage's plan) improved for this stage. Takes a share of the
    time left (`_SHARE`), at most `_CAP` seconds; with no time limit, `budget.WORK` moves.
    Ctrl-C (in the main thread) ends the search with the best plan so far and says so."""
    began = time.perf_counter()
    budget = None  # no time limit: a deterministic budget of moves
    if time_limit is not None:
        left = time_limit - (began - started)
        budget = min(_CAP, max(0.0, _SHARE.get(stage, 0.1) * left))
    clock = Clock(budget)
    with ctrl_c_stops(clock):
        if values is not None:
            found = improving.improve_within(model, values, stage, clock)
        else:
            found = None if known is None else improving.improve_within(model, known, stage, clock)
            if found is None:
                found = construct.greedy_within(model, clock)
                if found is not None and stage != Stage.COVERAGE:
                    # `coverage: required`: the first stage is quality
                    found = improving.improve_within(model, found, stage, clock) or found
    return Start(found, clock.stopped, time.perf_counter() - began)


def stand_in(
    model: TeamModel, objective: Any, start: Start, outcome: lp.SolveOutcome
) -> tuple[lp.SolveOutcome, bool]:
    """A stage's outcome, with the heuristic's plan standing in when the solver ended
    without one: its value is the plan's, its bound whatever the solver proved (often
    none). Returns the outcome and whether the heuristic's plan is the stage's plan."""
    if outcome.objective is not None or start.values is None:
        return outcome, False
    worth = value_of(objective, start.values)
    found = replace(
        outcome,
        status=SolveStatus.FEASIBLE,
        objective=worth,
        gap=lp.relative_gap(worth, outcome.bound),
    )
    return found, True
