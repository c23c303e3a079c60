"""Proving a stage of a small model by the seats of each role.

On small pools HiGHS finds the best team at once and then takes seconds to prove it
(25 x 20: 500-600 nodes a stage). Its relaxation is weak because the team is a budget
knapsack of fractional people: one person split over three roles, 4.08 seats
(benchmarks/README.md). Fixing how many seats each role has removes most of that: the
relaxation with the counts fixed is often the optimum itself, and a count the pool
cannot fill with whole seats is shown so by the seat-bundle relaxation
(`orgplan.solving.bundles`, which packs each seat exactly) in a fraction of the time the
MIP takes to find it infeasible.

So the search walks the roles in turn, fixing each one's seat count, and drops a branch
when its relaxation is no better than the best plan known. At a leaf (every count fixed)
the bundle relaxation may drop it too; what is left is solved as a MIP with the counts
fixed, which is small and tight. Every branch dropped or solved, the best plan found is
optimal. HiGHS loads the problem once for the relaxations and once for the MIPs
(`lp.resolving`); each role's count is a column tied to its seats in those loaded
problems only (`Resolver.tie`), fixed through its bounds, so the model itself is left
as it was. It needs a backend that reloads (HiGHS).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, cast

from orgplan.errors import UsageError
from orgplan.heuristics import value_of
from orgplan.model import TeamModel
from orgplan.model.stages import Stage
from orgplan.results.status import SolveStatus
from orgplan.solvers import lp
from orgplan.solvers.outcome import Tying
from orgplan.solving import bundles
from orgplan.solving.priorities import unit

SEAT_COUNTS = "seat counts"
"""The bound is the search over the seats of each role (StageResult.bound_source)."""

# Leaves (count vectors) solved at most before the search gives up: each costs a bundle
# relaxation (0.03-0.15 s at 25 x 20) and maybe a small MIP.
MAX_LEAVES = 40

# Relaxations solved at most before the search gives up (a few ms each at 25 x 20).
MAX_RELAXATIONS = 400


@dataclass(frozen=True)
class CountSearch:
    """What the search over seat counts found for one stage.

    `values` is the best plan found (the start's when nothing beat it), `objective` its
    value in the solver's units; `proven` says every count was dropped or solved, so the
    plan is optimal; `interrupted` that Ctrl-C stopped it. `relaxations` and `leaves`
    say how far it went.
    """

    values: dict[str, float]
    objective: float
    proven: bool
    relaxations: int
    leaves: int
    seconds: float
    interrupted: bool = False


class _GiveUp(Exception):
    """The search passed its time or its limits: no proof."""


class _Stopped(_GiveUp):
    """Ctrl-C stopped a solve of the search."""


def search(
    model: TeamModel,
    stage: Stage,
    plan: dict[str, float],
    solver: str = "highs",
    time_limit: float | None = None,
) -> CountSearch:
    """Prove `plan` (a plan of `model` as it stands, objective set for `stage`) optimal or
    find a better one, by fixing the seats of each role in turn, within `time_limit`.

    The plan returned meets every row of the problem; `proven` only when every count
    vector was dropped by a relaxation or solved to the end.
    """
    began = time.perf_counter()
    prob = model.prob
    maximize = stage is not Stage.COST
    roles = sorted({role for _pi, role in model.seat}, key=str)
    seats = {r: [(var, 1.0) for (_pi, role), var in model.seat.items() if role == r] for r in roles}
    names = {r: f"role_seats_{i}" for i, r in enumerate(roles)}
    highest = _highest(model, roles)
    plan = dict(plan)
    for role in roles:
        plan[names[role]] = sum(plan.get(var.name, 0.0) for var, _c in seats[role])
    state = _State(plan, value_of(prob.objective, plan), maximize)
    fixed: list[tuple[Any, float]] = []
    counts: dict[str, int] = {}

    def out_of_time() -> bool:
        return time_limit is not None and time.perf_counter() - began > time_limit

    def left() -> float | None:
        return None if time_limit is None else max(0.05, time_limit - (time.perf_counter() - began))

    with (
        lp.resolving(prob, solver, relaxation=True) as relaxing,
        lp.resolving(prob, solver) as solving,
    ):
        if not (hasattr(relaxing, "tie") and hasattr(solving, "tie")):
            raise UsageError(f"the search over seat counts needs HiGHS, not {solver}")
        relax, solve = cast(Tying, relaxing), cast(Tying, solving)
        # each role's seat count, a column of the loaded problems only
        columns = {r: relax.tie(names[r], seats[r]) for r in roles}
        for r in roles:
            solve.tie(names[r], seats[r])

        def walk(i: int, seats_left: float) -> None:
            if out_of_time() or state.relaxations >= MAX_RELAXATIONS:
                raise _GiveUp
            state.relaxations += 1
            outcome, _values = relax(fixed, left(), None)
            if outcome.interrupted:
                raise _Stopped
            if outcome.status is SolveStatus.INFEASIBLE:
                return
            if outcome.status is not SolveStatus.OPTIMAL or outcome.objective is None:
                # stopped short (the clock): its value is no bound, it proves nothing
                raise _GiveUp
            if not state.beats(outcome.objective):
                return
            if i == len(roles):
                leaf()
                return
            role = roles[i]
            for k in range(int(min(highest[role], seats_left)), -1, -1):
                fixed.append((columns[role], float(k)))
                counts[role] = k
                walk(i + 1, seats_left - k)
                fixed.pop()
                del counts[role]

        def leaf() -> None:
            if state.leaves >= MAX_LEAVES or out_of_time():
                raise _GiveUp
            state.leaves += 1
            if bundles.applies(model):
                cg = bundles.ColumnGeneration(model, stage, dict(counts))
                found = bundles.generate(cg, time.perf_counter(), left(), None, None, 400)
                if found is not None and not state.beats(found.bound / unit(model, stage)):
                    return  # these counts cannot be filled with whole seats to do better
            warm = state.values if _meets(state.values, fixed) else None
            outcome, values = solve(fixed, left(), warm)
            if outcome.interrupted:
                raise _Stopped
            if outcome.status is SolveStatus.INFEASIBLE:
                return
            if outcome.status is not SolveStatus.OPTIMAL or values is None:
                raise _GiveUp
            found_value = value_of(prob.objective, values)
            if state.beats(found_value):
                state.values, state.objective = values, found_value

        proven = stopped = False
        try:
            walk(0, _headcount(model))
            proven = True
        except _Stopped:
            stopped = True
        except _GiveUp:
            pass
    kept = {k: v for k, v in state.values.items() if k not in set(names.values())}
    return CountSearch(
        kept,
        state.objective,
        proven,
        state.relaxations,
        state.leaves,
        time.perf_counter() - began,
        stopped,
    )


@dataclass
class _State:
    """The best plan so far and what the search has spent."""

    values: dict[str, float]
    objective: float
    maximize: bool
    relaxations: int = 0
    leaves: int = 0

    def beats(self, bound: float) -> bool:
        """Whether a branch worth at most `bound` may hold a better plan than the best."""
        slack = bundles.PROVEN * max(1.0, abs(self.objective))
        if self.maximize:
            return bound > self.objective + slack
        return bound < self.objective - slack


def _highest(model: TeamModel, roles: list[str]) -> dict[str, float]:
    """The most seats each role can have: its people, its cap, the headcount."""
    people: dict[str, int] = {}
    for _pi, role in model.seat:
        people[role] = people.get(role, 0) + 1
    caps = model.limits.role_caps
    return {
        r: min(
            float(people.get(r, 0)),
            math.inf if caps.get(r) is None else float(caps[r] or 0),
            _headcount(model),
        )
        for r in roles
    }


def _headcount(model: TeamModel) -> float:
    """The most seats the team can have."""
    cap = model.limits.max_headcount
    people = len({pi for pi, _r in model.seat})
    return float(people if cap is None else min(cap, people))


def _meets(values: dict[str, float], fixed: list[tuple[Any, float]]) -> bool:
    """Whether a plan has the fixed seat counts (a start HiGHS can take)."""
    return all(abs(values.get(var.name, 0.0) - k) <= 1e-6 for var, k in fixed)
