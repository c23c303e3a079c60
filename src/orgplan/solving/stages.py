"""Solving a scenario into a `Plan`: the three priorities in order, then the plan itself
(`orgplan.solving.assemble`).

Priorities (docs/scenario-format.md): (1) coverage, no tolerance; (2) quality, of which
`QUALITY_TOLERANCE` may be given up so that (3) cost can act; (3) cost. Each stage fixes
the previous objective as a constraint and starts from the previous stage's plan.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from orgplan import heuristics
from orgplan.errors import Infeasible, SolverFailed
from orgplan.model import TeamModel, build_model, resolve_limits
from orgplan.model.periods import TimedModel
from orgplan.model.stages import KEEP_QUALITY, Stage
from orgplan.results.plan import Plan, StageResult
from orgplan.results.status import SolveStatus, Termination
from orgplan.scenario.format import Scenario
from orgplan.solvers import lp
from orgplan.solving import bundles, counts, lns, neighbourhood
from orgplan.solving.assemble import assemble_plan
from orgplan.solving.info import solver_info
from orgplan.solving.options import PlanStart, SolveOptions
from orgplan.solving.priorities import (
    BUNDLE_SHARE,
    SEARCH_SHARE,
    SolverClock,
    best_bound,
    fix_stage,
    in_money,
    meets,
    proven_by,
    report,
    searches,
    time_left,
    wants_bundles,
    worth,
)
from orgplan.solving.timed import solve_timed, timed_plan

# Shares of what remains of a time limit that stages 1 and 2 may use (stage 3 takes the rest).
_STAGE_SHARE = {Stage.COVERAGE: 0.5, Stage.QUALITY: 2 / 3, Stage.COST: 1.0}


# Share of the cost stage's time that its head start (neighbourhood.py) may take.
_HEAD_START_SHARE = 0.3


# The coverage stage takes the bundle bound only below this many ownership variables:
# there the bundle LP often proves the plan in hand at once (25 x 20: 0.07 s against
# 0.9-1.3 s of HiGHS's root cuts), while from 60 x 150 on the compact model proves
# coverage or comes within 1-2% first, and the bundles' rounds would only take its time.
_COVERAGE_BUNDLES = 1500

# From this many ownership variables on, a plan in hand that meets the bundle bound ends
# its stage without the compact search. Below it HiGHS proves a stage in milliseconds,
# and the plan it picks among equally good ones is kept (scenarios/startup.yaml, 38).
_PROOF_MIN = 100


# The search over seat counts (counts.py) is tried below this many ownership variables,
# once HiGHS has not proven the stage within `_FIRST_TRY` seconds (saas.yaml's stages take
# 0.01-0.05 s and keep HiGHS's plans; 25 x 20 takes 1.5-3.6 s a stage).
_COUNTS_MAX = 1500
_FIRST_TRY = 0.1


def solve(
    scenario: Scenario, structure: str | None = None, options: SolveOptions | None = None
) -> Plan:
    """Plan the team of `scenario` under `structure` (None: every role, no seat caps).

    Returns a frozen `Plan` whose `status` is `optimal` or `feasible` (a time limit
    stopped the proof; `plan.solver.gap` says how far from proven best). Raises
    `Infeasible` with business-level reasons when the hard limits cannot all be met,
    `SolverFailed` when the time limit passed before any plan was found, and
    `UsageError` for an unknown structure.
    """
    return _solved(scenario, structure, options or SolveOptions()).plan


@dataclass(frozen=True)
class _Solved:
    """A solve kept open: its plan, and the model and values it came from."""

    plan: Plan
    model: TeamModel | TimedModel
    values: dict[str, float]
    stages: tuple[StageResult, ...]


def _solved(scenario: Scenario, structure: str | None, options: SolveOptions) -> _Solved:
    """`solve`, keeping the model for re-solves that change one bound."""
    if scenario.horizon is not None:
        timed = solve_timed(scenario, structure, options)
        return _Solved(timed.plan, timed.model, timed.values, timed.plan.solver.stages)
    limits = resolve_limits(scenario, structure)
    from orgplan.explain import infeasible as explain

    started = time.perf_counter()
    reasons = explain.certain_reasons(scenario, limits)
    if reasons:
        raise Infeasible(reasons + explain.suggestions(scenario, limits, options.solver))
    model = build_model(scenario, limits)
    values, stages = _lexicographic(model, options, started)
    if values is None:
        if stages and stages[-1].status is SolveStatus.INFEASIBLE:
            found = explain.diagnose(scenario, limits, options.solver) if options.explain else []
            raise Infeasible(found or ["the hard limits of the scenario cannot all be met"])
        if options.time_limit is None:
            raise SolverFailed("the search was stopped before it found any plan")
        raise SolverFailed(
            f"no plan found within the time limit of {options.time_limit:g} s; "
            "give it more time (--time-limit)"
        )
    plan = assemble_plan(model, values, solver_info(options, stages, started))
    return _Solved(plan, model, values, tuple(stages))


def solve_near_best(
    scenario: Scenario,
    structure: str | None,
    options: SolveOptions,
    tolerances: Sequence[float],
    time_limit: float | None = None,
) -> tuple[Plan, tuple[Plan, ...]]:
    """The plan of `solve`, and for each of `tolerances` (shares of the best quality, each
    larger than `options.quality_tolerance`, in rising order) the cheapest plan that
    gives up at most that share: the teams just past the plan's tolerance.

    One model serves them all: only the quality floor moves, and each re-solve of the
    cost stage (at most `time_limit` seconds) starts from the plan before it, which meets
    the looser floor. So their cost never rises with the tolerance, and a re-solve that
    finds nothing better keeps the plan before it, said feasible unless proven.
    """
    solved = _solved(scenario, structure, options)
    model, values = solved.model, solved.values
    quality = next(s for s in solved.stages if s.objective == Stage.QUALITY)
    if not lp.has_row(model.prob, KEEP_QUALITY):
        return solved.plan, ()  # stopped before quality was fixed: nothing to loosen
    lp.set_objective(model.prob, model.cost, False)
    plans = []
    for tolerance in tolerances:
        began = time.perf_counter()
        floor = quality.value - tolerance * abs(quality.value) - 1e-7
        lp.set_rhs(model.prob, KEEP_QUALITY, floor - model.quality_constant)
        run = lp.run(model.prob, options.solver, time_limit, warm=values)
        outcome = in_money(model, Stage.COST, run)
        if outcome.objective is not None:
            found = lp.snapshot(model.prob)
            if worth(model, Stage.COST, found) <= worth(model, Stage.COST, values):
                values = found
        achieved = worth(model, Stage.COST, values)
        bound = outcome.bound
        status = outcome.status if outcome.objective is not None else SolveStatus.FEASIBLE
        result = StageResult(
            Stage.COST.value,
            status,
            achieved,
            bound,
            lp.relative_gap(achieved, bound),
            outcome.seconds,
            outcome.termination,
        )
        loosened = [s if s.objective != Stage.COST else result for s in solved.stages]
        info = solver_info(options, loosened, began, tolerance)
        plans.append(
            timed_plan(model, values, info)
            if isinstance(model, TimedModel)
            else assemble_plan(model, values, info)
        )
    return solved.plan, tuple(plans)


def start_values(model: TeamModel, start: PlanStart) -> dict[str, float]:
    """The values of `model`'s seat and ownership columns at `start`, where they exist.

    Named people are found by candidate id; the open requisitions of a role are taken in
    the model's order (they are alike). The rest of the plan is left to the heuristic.
    """
    pool = model.pool
    index = {r.id: ji for ji, r in enumerate(pool.resps)}
    named = {p.candidate: pi for pi, p in enumerate(pool.people) if p.candidate is not None}
    reqs: dict[str, list[int]] = {}
    for (pi, role), _var in model.seat.items():
        if pool.people[pi].open_req:
            reqs.setdefault(role, []).append(pi)
    values: dict[str, float] = {}
    for candidate, role, owned in start.seats:
        free = reqs.get(role, [])
        found = named.get(candidate) if candidate is not None else free.pop(0) if free else None
        seat = None if found is None else model.seat.get((found, role))
        if found is None or seat is None:
            continue
        pi = found
        values[seat.name] = 1.0
        for resp in owned:
            own = model.own.get((pi, index.get(resp, -1)))
            if own is not None:
                values[own.name] = 1.0
    return values


def _lexicographic(
    model: TeamModel, options: SolveOptions, started: float
) -> tuple[dict[str, float] | None, list[StageResult]]:
    """Run coverage, quality and cost in turn; returns the final values and each stage."""
    stages: list[StageResult] = []
    values: dict[str, float] | None = None
    stopped = Termination.FINISHED  # why the stage that found no plan stopped
    plan_stages = [
        (Stage.COVERAGE, model.coverage, True),
        (Stage.QUALITY, model.quality, True),
        (Stage.COST, model.cost, False),
    ]
    if model.limits.coverage_required:
        plan_stages = plan_stages[1:]  # coverage is fixed by the constraints
    known = None if options.start is None else start_values(model, options.start)
    repaired = None  # the given start, repaired for the first stage
    clock = SolverClock()
    for name, objective, maximize in plan_stages:
        start = heuristics.warm_start(
            model, name, values, options.time_limit, started, known if values is None else None
        )
        if known is not None and values is None:
            repaired = start.values
        elif name is Stage.COST and repaired is not None and not start.interrupted:
            # A what-if's cost stage: the plan it changes, repaired, is often far cheaper
            # than the plan the quality stage found (which may seat whoever fits best).
            start = _cheaper(
                model,
                start,
                heuristics.warm_start(model, name, repaired, options.time_limit, started),
            )
        lp.set_objective(model.prob, objective, maximize)
        began = time.perf_counter()
        bundle = _bundle_bound(model, options, name, start, values, started)
        if bundle is not None and start.values is not None and len(model.own) >= _PROOF_MIN:
            proven = proven_by(model, name, start.values, bundle, time.perf_counter() - began)
            if proven is not None:
                # the plan in hand meets the bundle bound: no search can do better
                values = start.values
                stages.append(proven)
                fix_stage(model, name, proven.value, options.quality_tolerance)
                continue
        searching = searches(model, options, name)
        if name is Stage.COST and not start.interrupted and not searching:
            start = _head_start(
                model, options, start, values, time_left(options, started, _STAGE_SHARE[name])
            )
        remaining = time_left(options, started, _STAGE_SHARE[name])
        if searching and not start.interrupted and remaining is not None:
            # the search takes its share of the stage's time and the full search the rest
            # (not a share of what is left then, which would take from the next stage)
            start = _search(model, options, name, start, values, maximize, remaining)
            remaining = max(0.1, remaining - (time.perf_counter() - began))
        head_seconds = time.perf_counter() - began
        counted = False  # the search over seat counts proved the stage
        if start.interrupted:
            outcome = start.stopped()  # Ctrl-C during the heuristic or the head start
        else:
            outcome, counted = _full_search(model, options, name, start, values, remaining, clock)
        if outcome.status is SolveStatus.INFEASIBLE:
            stages.append(StageResult(name.value, SolveStatus.INFEASIBLE, 0.0, None, None, 0.0))
            return None, stages
        # no plan from the solver: the heuristic's, at its own value and the solver's bound
        outcome, stood_in = heuristics.stand_in(model, objective, start, outcome)
        outcome = in_money(model, name, outcome)
        if outcome.status is SolveStatus.NO_PLAN or outcome.objective is None:
            stopped = outcome.termination
            if values is None:
                return None, stages
            break  # out of time: keep the previous stage's plan, reported as feasible
        values = start.values if stood_in and start.values else lp.snapshot(model.prob)
        achieved = _achieved(model, name, values, outcome.objective, maximize)
        bound, source = best_bound(outcome.bound, bundle, maximize)
        if counted:
            source = counts.SEAT_COUNTS
        gap = lp.relative_gap(achieved, bound)
        status = outcome.status
        if bundle is not None and bound == bundle.bound and meets(achieved, bound, maximize):
            status = SolveStatus.OPTIMAL  # the compact search stopped; the bundles prove it
        stages.append(
            # the stage's solver time, its head start's and bundle bound's included
            StageResult(
                name.value,
                status,
                achieved,
                bound,
                gap,
                outcome.seconds + head_seconds,
                outcome.termination,
                source,
            )
        )
        fix_stage(model, name, achieved, options.quality_tolerance)
        if outcome.interrupted:
            break  # Ctrl-C: the user wants the plan in hand, not the next priority
    if len(stages) < len(plan_stages) and stages:
        # A stage that never ran has proven nothing: the plan is only known feasible there.
        missing = [n for n, _o, _m in plan_stages[len(stages) :]]
        for name in missing:
            stages.append(
                StageResult(name.value, SolveStatus.FEASIBLE, 0.0, None, None, 0.0, stopped)
            )
    return values, stages


def _full_search(
    model: TeamModel,
    options: SolveOptions,
    name: Stage,
    start: heuristics.Start,
    values: dict[str, float] | None,
    remaining: float | None,
    clock: SolverClock,
) -> tuple[lp.SolveOutcome, bool]:
    """The stage's search over the whole model from its start, and whether the search over
    seat counts (counts.py) proved it: on a small model that HiGHS does not prove within
    `_FIRST_TRY` seconds, the counts take over from HiGHS's plan, and HiGHS goes on from
    theirs when they give up."""
    warm = start.values or values
    progress = report(options, name, model)
    stand_in = start.values is not None
    if not _counts_apply(model, options):
        return clock.run(
            model.prob, options.solver, remaining, warm=warm, progress=progress, stand_in=stand_in
        ), False
    began = time.perf_counter()
    first = min(_FIRST_TRY, remaining) if remaining is not None else _FIRST_TRY
    outcome = lp.SolveOutcome(SolveStatus.NO_PLAN, None, None, None, 0.0, Termination.TIME_LIMIT)
    if first > 0:  # (0: straight to the counts, from the start)
        outcome = clock.run(
            model.prob, options.solver, first, warm=warm, progress=progress, stand_in=stand_in
        )
        if outcome.termination is not Termination.TIME_LIMIT or outcome.interrupted:
            return outcome, False  # proven, infeasible or stopped: as HiGHS left it
    plan = lp.snapshot(model.prob) if outcome.objective is not None else warm
    if plan is None:  # nothing to prove yet: HiGHS goes on
        after = None if remaining is None else max(0.1, remaining - first)
        more = clock.run(
            model.prob, options.solver, after, warm=warm, progress=progress, stand_in=stand_in
        )
        return replace(more, seconds=more.seconds + outcome.seconds), False
    if remaining is not None and remaining - first <= 0.1:
        return outcome, False
    left = None if remaining is None else remaining - (time.perf_counter() - began)
    found = counts.search(model, name, plan, options.solver, left)
    lp.assign(model.prob, found.values)
    seconds = time.perf_counter() - began
    if found.proven:
        return lp.SolveOutcome(
            SolveStatus.OPTIMAL, found.objective, found.objective, 0.0, seconds
        ), True
    if found.interrupted:  # Ctrl-C: the best plan so far, nothing more
        return lp.SolveOutcome(
            SolveStatus.FEASIBLE,
            found.objective,
            outcome.bound,
            lp.relative_gap(found.objective, outcome.bound),
            seconds,
            Termination.INTERRUPTED,
        ), False
    left = None if remaining is None else remaining - seconds
    rest = (
        clock.run(
            model.prob, options.solver, left, warm=found.values, progress=progress, stand_in=True
        )
        if left is None or left > 0.05
        else lp.SolveOutcome(SolveStatus.NO_PLAN, None, None, None, 0.0, Termination.TIME_LIMIT)
    )
    if rest.objective is None:
        # no better plan in the time left: the counts' plan, at HiGHS's first bound
        return lp.SolveOutcome(
            SolveStatus.FEASIBLE,
            found.objective,
            outcome.bound,
            lp.relative_gap(found.objective, outcome.bound),
            seconds + rest.seconds,
            Termination.TIME_LIMIT,
        ), False
    return replace(rest, seconds=seconds + rest.seconds), False


def _counts_apply(model: TeamModel, options: SolveOptions) -> bool:
    """Whether a stage of `model` may be proven by the search over seat counts: a small
    model (`_PROOF_MIN` to `_COUNTS_MAX` ownership variables) and a backend that loads a
    problem once for many solves (HiGHS)."""
    return (
        options.seat_counts
        and _PROOF_MIN <= len(model.own) < _COUNTS_MAX
        and lp.reloads(options.solver)
    )


def _bundle_bound(
    model: TeamModel,
    options: SolveOptions,
    name: Stage,
    start: heuristics.Start,
    values: dict[str, float] | None,
    started: float,
) -> bundles.BundleBound | None:
    """The stage's bound from seat bundles, in its share of the stage's time (None when
    switched off, interrupted, or when nothing could be said)."""
    if not wants_bundles(options) or start.interrupted or not bundles.applies(model):
        return None
    if name is Stage.COVERAGE and len(model.own) >= _COVERAGE_BUNDLES:
        return None
    remaining = time_left(options, started, _STAGE_SHARE[name])
    budget = None if remaining is None else remaining * BUNDLE_SHARE
    known = start.values or values
    incumbent = None if start.values is None else worth(model, name, start.values)
    return bundles.stage_bound(model, name, budget, known, incumbent)


def _cheaper(model: TeamModel, one: heuristics.Start, other: heuristics.Start) -> heuristics.Start:
    """Of two starts of the cost stage, the one with the cheaper plan (Ctrl-C kept)."""
    if other.values is None or (
        one.values is not None
        and heuristics.value_of(model.cost, one.values)
        <= heuristics.value_of(model.cost, other.values)
    ):
        return replace(one, interrupted=one.interrupted or other.interrupted)
    return replace(other, interrupted=one.interrupted or other.interrupted)


def _head_start(
    model: TeamModel,
    options: SolveOptions,
    start: heuristics.Start,
    values: dict[str, float] | None,
    remaining: float | None,
) -> heuristics.Start:
    """The cost stage's start, replaced by the restricted search's plan when cheaper."""
    if len(model.own) < neighbourhood.MIN_OWNERSHIPS:
        return start
    known = start.values or values
    known_cost = None if known is None else heuristics.value_of(model.cost, known)
    budget = None if remaining is None else remaining * _HEAD_START_SHARE
    reports = report(options, Stage.COST, model)
    if reports is not None and known_cost is not None:
        reports(0.0, known_cost, None)
    found = neighbourhood.head_start(model, options.solver, known, budget, reports)
    best = known
    if found.values is not None and (
        known_cost is None or heuristics.value_of(model.cost, found.values) < known_cost
    ):
        best = found.values
    return replace(start, values=best, interrupted=found.interrupted)


def _search(
    model: TeamModel,
    options: SolveOptions,
    name: Stage,
    start: heuristics.Start,
    values: dict[str, float] | None,
    maximize: bool,
    remaining: float,
) -> heuristics.Start:
    """The stage's start, replaced by the neighbourhood search's plan when it found a
    better one in its share of the stage's time."""
    known = start.values or values
    if known is None:
        return start
    found = lns.search(
        model,
        name,
        options.solver,
        known,
        remaining * SEARCH_SHARE[name],
        maximize,
        report(options, name, model),
    )
    return replace(start, values=found.values or start.values, interrupted=found.interrupted)


def _achieved(
    model: TeamModel, name: Stage, values: dict[str, float], reported: float, maximize: bool
) -> float:
    """The stage's value at the plan itself, from the ownership and seat columns.

    A solver's plan may leave a per-responsibility objective column (`covered`,
    `fit_hours`) below what its owner brings; the plan is then better than the reported
    value, never worse, and the next stage's floor should start from what it holds.
    """
    actual = worth(model, name, values)
    return max(actual, reported) if maximize else min(actual, reported)
