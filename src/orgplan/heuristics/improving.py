"""Improving a plan for one stage under the earlier stages' floors: a descent (in the cost
stage at a falling price of quality), then on large models iterated local search."""

from __future__ import annotations

import random

from orgplan.heuristics.budget import Clock
from orgplan.heuristics.check import Values
from orgplan.heuristics.convert import checked, from_values
from orgplan.heuristics.data import Data
from orgplan.heuristics.goal import Goal, better, floors
from orgplan.heuristics.moves import REPAIR_RANKS, Rank, neighbourhood, rebuild_group
from orgplan.heuristics.search import Search
from orgplan.heuristics.state import State
from orgplan.model import TeamModel
from orgplan.model.stages import Stage

# The cost stage's prices of a unit of quality, in units of a typical seat's cost per hour.
_PRICES = (16.0, 8.0, 4.0, 2.0, 1.0, 0.5, 0.25, 0.0)

# Iterated local search: how many kicks at most, their seed, and the cost stage's prices
# after a kick; only from this many ownership variables on (a smaller model is proven
# optimal by the solver in less time than the kicks would take).
_KICK_SIZE = 1000
_KICKS = 30
_KICK_SIZES = (4, 5)  # seats rebuilt per kick (measured on the enterprise example: 2-3
# seats rarely leave a local optimum whose way out exchanges four seats for three)
_SEED = 20261127
_KICK_PRICES = (8.0, 2.0, 0.5, 0.0)


def improve(
    model: TeamModel,
    values: Values,
    stage: str,
    time_budget: float | None = None,
    coverage_floor: float | None = None,
    quality_floor: float | None = None,
) -> Values | None:
    """A plan at least as good as `values` for `stage` ('coverage', 'quality' or 'cost'),
    keeping the floors of the earlier stages (read from the problem's `keep_coverage` and
    `keep_quality` rows unless given). None when `values` does not meet the rules (then
    there is nothing safe to improve on), else a plan that passes `violations`.
    `time_budget` None: a budget of `budget.WORK` moves instead of seconds."""
    return improve_within(model, values, stage, Clock(time_budget), coverage_floor, quality_floor)


def improve_within(
    model: TeamModel,
    values: Values,
    stage: str,
    clock: Clock,
    coverage_floor: float | None = None,
    quality_floor: float | None = None,
) -> Values | None:
    """`improve` within `clock`."""
    data = Data(model)
    found_coverage, found_quality = floors(model)
    goal = Goal(
        stage,
        found_coverage if coverage_floor is None else coverage_floor,
        found_quality if quality_floor is None else quality_floor,
    )
    st = from_values(data, values)
    if not goal.ok(st):
        return None
    _descend(st, goal, clock, _PRICES)
    if len(model.own) >= _KICK_SIZE:
        st = _kicks(st, goal, clock)
    return checked(st)


def _descend(st: State, goal: Goal, clock: Clock, prices: tuple[float, ...]) -> None:
    """Local search to a local optimum; in the cost stage at a falling price of quality, so
    that the slack the quality floor leaves goes first to the moves that save most per
    unit of quality given up."""
    if goal.stage is Stage.COST:
        for factor in prices:
            goal.price = factor * st.d.price_scale
            Search(st, goal, clock, neighbourhood(goal.stage)).run()
        goal.price = 0.0
    else:
        Search(st, goal, clock, neighbourhood(goal.stage)).run()
    st.commit()


def _kicks(st: State, goal: Goal, clock: Clock) -> State:
    """Iterated local search: rebuild a few seats of the best plan at random (a seeded,
    so repeatable, choice), descend again, keep the result when it is better."""
    rng = random.Random(_SEED)
    best = st
    ranks: list[Rank | None] = [*REPAIR_RANKS]
    if goal.stage is Stage.COST:
        ranks.append(None)
    for _round in range(_KICKS):
        if clock.over():
            break
        trial = best.copy()
        movable = sorted(p for p in trial.role if p not in trial.d.fixed)
        if len(movable) < 2:
            break
        search = Search(trial, goal, clock, neighbourhood(goal.stage))
        kicked = False
        for _attempt in range(5):
            group = tuple(rng.sample(movable, min(len(movable), rng.choice(_KICK_SIZES))))
            mark = trial.mark()
            rebuild_group(search, group, rng.choice(ranks), kick=True)
            if goal.ok(trial):
                kicked = True
                break
            trial.rollback(mark)
        if not kicked:
            continue
        trial.commit()
        _descend(trial, goal, clock, _KICK_PRICES)
        if better(goal.key(trial), goal.key(best)):
            best = trial
    return best
