"""Solving a scenario over its horizon (format 1.1 `horizon`) into a timed `Plan`.

The same three priorities as one period, each summed over the periods (coverage, then
quality with its tolerance, then the horizon's spend), on the model of
`orgplan.model.periods`, started from the timed heuristic's plan
(`orgplan.heuristics.timed`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from orgplan.domain.rules import fit, gaps, hours_fit
from orgplan.errors import Infeasible, SolverFailed
from orgplan.heuristics import check
from orgplan.heuristics.timed import settled, timed_start
from orgplan.model import resolve_limits
from orgplan.model.development import grown
from orgplan.model.periods import (
    TimedModel,
    annual_cost,
    build_timed_model,
    one_off_cost,
    period_share,
    ramp_periods,
    work_periods,
)
from orgplan.model.pool import capacity
from orgplan.model.stages import Stage
from orgplan.results.plan import (
    Assignment,
    Development,
    Handoff,
    Kpis,
    PeriodKpis,
    Plan,
    Seat,
    SolverInfo,
    StageResult,
    Uncovered,
)
from orgplan.results.status import SolveStatus, Termination
from orgplan.scenario.format import Scenario
from orgplan.scenario.levels import Levels
from orgplan.solvers import lp
from orgplan.solving import bundles, lns, timed_bundles
from orgplan.solving.assemble import _seat_names, _seat_order, assignment_of
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

_STAGE_SHARE = {Stage.COVERAGE: 0.4, Stage.QUALITY: 0.6, Stage.COST: 1.0}


@dataclass(frozen=True)
class TimedSolve:
    """A timed solve kept open: its plan, and the model and values it came from."""

    plan: Plan
    model: TimedModel
    values: dict[str, float]


def solve_timed(scenario: Scenario, structure: str | None, options: SolveOptions) -> TimedSolve:
    """Plan `scenario` over its horizon under `structure`; raises `Infeasible` or
    `SolverFailed` as `orgplan.solve` does."""
    from orgplan.explain import infeasible as explain
    from orgplan.explain import timing

    started = time.perf_counter()
    limits = resolve_limits(scenario, structure)
    reasons = explain.certain_reasons(scenario, limits) + timing.time_reasons(scenario, limits)
    if reasons:
        raise Infeasible(reasons)
    model = build_timed_model(scenario, limits)
    values, stages = _lexicographic(model, options, started)
    if values is None:
        if stages and stages[-1].status is SolveStatus.INFEASIBLE:
            found = (
                timing.time_diagnosis(scenario, limits, options.solver) if options.explain else []
            )
            raise Infeasible(found or ["the hard limits of the scenario cannot all be met"])
        raise SolverFailed(
            "the search was stopped before it found any plan"
            if options.time_limit is None
            else f"no plan found within the time limit of {options.time_limit:g} s; "
            "give it more time (--time-limit)"
        )
    solver = solver_info(options, stages, started)
    return TimedSolve(timed_plan(model, values, solver), model, values)


def _lexicographic(
    model: TimedModel, options: SolveOptions, started: float
) -> tuple[dict[str, float] | None, list[StageResult]]:
    """Coverage, quality and cost in turn, each started from the plan before it."""
    stages: list[StageResult] = []
    plan_stages = [
        (Stage.COVERAGE, model.coverage, True),
        (Stage.QUALITY, model.quality, True),
        (Stage.COST, model.cost, False),
    ]
    if model.limits.coverage_required:
        plan_stages = plan_stages[1:]
    team = None if options.start is None else start_team(model, options.start)
    values = timed_start(model, options.time_limit, started, team)
    clock = SolverClock()
    for name, objective, maximize in plan_stages:
        lp.set_objective(model.prob, objective, maximize)
        began = time.perf_counter()
        bundle = _bundle_bound(
            model, options, name, values, time_left(options, started, _STAGE_SHARE[name])
        )
        if bundle is not None and values is not None:
            proven = proven_by(model, name, values, bundle, time.perf_counter() - began)
            if proven is not None:
                # the plan in hand meets the bundle bound: no search can do better
                stages.append(proven)
                fix_stage(model, name, proven.value, options.quality_tolerance)
                continue
        remaining = time_left(options, started, _STAGE_SHARE[name])
        interrupted = False
        if searches(model, options, name) and values is not None and remaining is not None:
            # the neighbourhood search takes its share of the stage's time, the full
            # search the rest
            searched = time.perf_counter()
            found = lns.search(
                model,
                name,
                options.solver,
                values,
                remaining * SEARCH_SHARE[name],
                maximize,
                report(options, name, model),
            )
            values, interrupted = found.values or values, found.interrupted
            remaining = max(0.1, remaining - (time.perf_counter() - searched))
        outcome = (
            lp.SolveOutcome(SolveStatus.NO_PLAN, None, None, None, 0.0, Termination.INTERRUPTED)
            if interrupted  # Ctrl-C during the neighbourhood search: no more search
            else clock.run(
                model.prob,
                options.solver,
                remaining,
                warm=values,
                progress=report(options, name, model),
                stand_in=values is not None,
            )
        )
        if outcome.status is SolveStatus.INFEASIBLE:
            stages.append(StageResult(name.value, SolveStatus.INFEASIBLE, 0.0, None, None, 0.0))
            return None, stages
        if outcome.objective is None:
            if values is None:
                return None, stages
            # the start stands in, at its own value and the solver's bound (its objective
            # columns at what its seats and owners bring: the last solve did not ask)
            values = settled(model, values)
            standing = check.value_of(objective, values)
            outcome = lp.SolveOutcome(
                SolveStatus.FEASIBLE,
                standing,
                outcome.bound,
                lp.relative_gap(standing, outcome.bound),
                outcome.seconds,
                outcome.termination,
            )
        else:
            values = lp.snapshot(model.prob)
        outcome = in_money(model, name, outcome)
        achieved = worth(model, name, values)
        reported = achieved if outcome.objective is None else outcome.objective
        achieved = max(achieved, reported) if maximize else min(achieved, reported)
        bound, source = best_bound(outcome.bound, bundle, maximize)
        status = outcome.status
        if bundle is not None and bound == bundle.bound and meets(achieved, bound, maximize):
            status = SolveStatus.OPTIMAL  # the compact search stopped; the bundles prove it
        stages.append(
            # the stage's whole time: bundle bound, neighbourhood search, solver
            StageResult(
                name.value,
                status,
                achieved,
                bound,
                lp.relative_gap(achieved, bound),
                time.perf_counter() - began,
                outcome.termination,
                source,
            )
        )
        fix_stage(model, name, achieved, options.quality_tolerance)
        if outcome.interrupted:
            break
    if len(stages) < len(plan_stages):
        for name, _o, _m in plan_stages[len(stages) :]:
            stages.append(StageResult(name.value, SolveStatus.FEASIBLE, 0.0, None, None, 0.0))
    return values, stages


def _bundle_bound(
    model: TimedModel,
    options: SolveOptions,
    name: Stage,
    values: dict[str, float] | None,
    remaining: float | None,
) -> bundles.BundleBound | None:
    """The stage's bound from seats over time, in its share of the stage's time (None
    when switched off or when nothing could be said)."""
    if not wants_bundles(options) or not timed_bundles.applies(model):
        return None
    budget = None if remaining is None else remaining * BUNDLE_SHARE
    incumbent = None if values is None else worth(model, name, values)
    return timed_bundles.stage_bound(model, name, budget, values, incumbent)


def start_team(model: TimedModel, start: PlanStart) -> dict[int, str]:
    """The seats of a known plan in `model`'s people (person index -> role): named people
    by candidate id, the open requisitions of a role in the model's order (they are
    alike); seats the model no longer has (an excluded person's) are dropped."""
    pool = model.pool
    named = {p.candidate: pi for pi, p in enumerate(pool.people) if p.candidate is not None}
    reqs: dict[str, list[int]] = defaultdict(list)
    for pi, person in enumerate(pool.people):
        if person.open_req and (pi, person.roles[0], model.last) in model.held:
            reqs[person.roles[0]].append(pi)
    team: dict[int, str] = {}
    for candidate, role, _owned in start.seats:
        free = reqs.get(role, [])
        found = named.get(candidate) if candidate is not None else free.pop(0) if free else None
        if found is not None and (found, role, model.last) in model.held:
            team[found] = role
    return team


# ---- the plan ------------------------------------------------------------------------------


def timed_plan(model: TimedModel, values: dict[str, float], solver: SolverInfo) -> Plan:
    """The timed plan of `values`: seats with their starts, owners by period, the KPIs of
    each period; every figure recomputed from the scenario."""
    seated: dict[int, str] = {}
    starts: dict[int, int] = {}
    for (pi, role, t), var in sorted(model.held.items(), key=lambda kv: kv[0][2]):
        if values.get(var.name, 0.0) > 0.5 and pi not in starts:
            seated[pi], starts[pi] = role, t
    owner: dict[tuple[int, int], int] = {}
    for (pi, ji, t), var in model.own.items():
        if values.get(var.name, 0.0) > 0.5 and pi in seated and starts[pi] <= t:
            owner[ji, t] = pi
    grows: dict[int, set[str]] = defaultdict(set)
    for (pi, skill), var in model.grow.items():
        if values.get(var.name, 0.0) > 0.5 and pi in seated:
            grows[pi].add(skill)
    return plan_over_periods(model, seated, starts, owner, solver, grows)


def levels_in(model: TimedModel, pi: int, grows: Mapping[int, set[str]], t: int) -> Levels:
    """Person `pi`'s levels in period `t`: the skills they grow count from when grown."""
    levels = model.pool.people[pi].levels
    skills = grows.get(pi)
    if not skills or t < model.growth.ready:
        return levels
    return grown(levels, frozenset(skills))


def plan_over_periods(
    model: TimedModel,
    seated: dict[int, str],
    starts: dict[int, int],
    owner: dict[tuple[int, int], int],
    solver: SolverInfo,
    grows: Mapping[int, set[str]] | None = None,
) -> Plan:
    """A timed plan from who sits where, from when, who owns what in each period, and
    which skills each person grows (`grows`, train or hire)."""
    grows = grows or {}
    scenario, pool = model.scenario, model.pool
    labels = model.periods
    names = _seat_names(scenario, seated)
    exists = work_periods(scenario)
    assignments: list[Assignment] = []
    uncovered: list[Uncovered] = []
    for ji, resp in enumerate(pool.resps):
        by_owner: dict[int, list[int]] = defaultdict(list)
        for t in exists[ji]:
            if (ji, t) in owner:
                by_owner[owner[ji, t]].append(t)
        for pi, periods in sorted(by_owner.items(), key=lambda kv: kv[1][0]):
            person = pool.people[pi]
            # one assignment per level the owner works at: before and after growing
            by_level: dict[tuple[tuple[str, float], ...], list[int]] = defaultdict(list)
            for t in periods:
                by_level[tuple(sorted(levels_in(model, pi, grows, t).items()))].append(t)
            for levels_key, held in by_level.items():
                levels = dict(levels_key)
                periods_held = tuple(labels[t] for t in held)
                assignments.append(
                    assignment_of(resp, person, names[pi], seated[pi], levels, periods_held)
                )
        missing = [t for t in exists[ji] if (ji, t) not in owner]
        if missing:
            uncovered.append(
                Uncovered(
                    responsibility=resp.id,
                    name=resp.label,
                    product=resp.product,
                    hours=resp.hours,
                    priority=resp.priority,
                    reason=_uncovered_reason(model, ji, missing, seated, starts, by_owner),
                    periods=tuple(labels[t] for t in missing),
                )
            )
    seats = _timed_seats(model, seated, starts, owner, names, grows)
    handoffs = _timed_handoffs(model, owner, names)
    by_period = tuple(
        _period_kpis(model, t, labels[t], seated, starts, owner, grows) for t in range(len(labels))
    )
    return Plan(
        scenario=scenario.name,
        structure=model.limits.structure,
        currency=scenario.currency,
        solver=solver,
        seats=tuple(seats),
        assignments=tuple(assignments),
        uncovered=tuple(uncovered),
        handoffs=handoffs,
        kpis=_horizon_kpis(model, seats, assignments, by_period),
        decisions=scenario.decisions,
        periods=labels,
        kpis_by_period=by_period,
    )


def _uncovered_reason(
    model: TimedModel,
    ji: int,
    missing: list[int],
    seated: dict[int, str],
    starts: dict[int, int],
    by_owner: dict[int, list[int]],
) -> str:
    """Why work is unowned in some periods: nobody able to own it has started by then, or
    those started have no room for it; never owned at all: the one-period reason."""
    labels = model.periods
    able = [
        starts[pi]
        for pi, role in seated.items()
        if (pi, ji) in model.pool.ownable and role in model.pool.ownable[pi, ji]
    ]
    when = ", ".join(labels[t] for t in missing)
    if not by_owner:
        from orgplan.explain.infeasible import uncovered_reason

        owned_by: dict[int, list[int]] = defaultdict(list)
        for pi in seated:
            owned_by[pi] = []
        return uncovered_reason(model.scenario, model.limits, model.pool, ji, seated, owned_by)
    first = min(able, default=None)
    if first is not None and all(t < first for t in missing):
        return f"not owned in {when}: no seat of the plan that may own it has started yet"
    return f"not owned in {when}: the seats that may own it have no room for it then"


def _ramping(model: TimedModel, pi: int, role: str, start: int, t: int) -> bool:
    """Whether the seat is at ramp capacity in period t."""
    return start <= t < start + ramp_periods(model.scenario, model.pool.people[pi], role)


def _capacity_in(model: TimedModel, pi: int, role: str, start: int, t: int) -> float:
    """The seat's capacity in period t (0 before it starts)."""
    if t < start:
        return 0.0
    full = capacity(model.scenario, model.pool.people[pi], role)
    return (
        full * model.scenario.policy.ramp_capacity if _ramping(model, pi, role, start, t) else full
    )


def _timed_seats(
    model: TimedModel,
    seated: dict[int, str],
    starts: dict[int, int],
    owner: dict[tuple[int, int], int],
    names: dict[int, str],
    grows: Mapping[int, set[str]],
) -> list[Seat]:
    """Every seat with its start, its work over the horizon, its peak load and the skills
    its holder grows."""
    scenario, pool = model.scenario, model.pool
    labels = model.periods
    seats: list[Seat] = []
    for pi, name in sorted(names.items(), key=lambda kv: _seat_order(scenario, kv[1])):
        person, role = pool.people[pi], seated[pi]
        work = sorted({ji for (ji, _t), p in owner.items() if p == pi})
        load = [
            sum(pool.resps[ji].hours for (ji, tt), p in owner.items() if p == pi and tt == t)
            for t in range(len(labels))
        ]
        start = starts[pi]
        open_by = None
        if person.open_req:
            open_by = labels[start - scenario.roles[role].time_to_hire]
        seats.append(
            Seat(
                seat=name,
                role=role,
                role_title=scenario.roles[role].title or role,
                candidate=person.candidate,
                person=person.label,
                background=person.background,
                internal=person.internal,
                cost=annual_cost(person, role),
                capacity_hours=capacity(scenario, person, role),
                hours=max(load),
                responsibilities=tuple(pool.resps[ji].id for ji in work),
                fit=hours_fit(
                    levels_in(model, pi, grows, model.last),
                    [(pool.resps[j].hours, pool.resps[j].needs) for j in work],
                ),
                start=labels[start],
                open_by=open_by,
                ramp_periods=min(ramp_periods(scenario, person, role), len(labels) - start),
                one_off_cost=one_off_cost(scenario, person, role),
                developments=tuple(
                    Development(
                        skill=skill,
                        from_level=person.levels.get(skill, 0.0),
                        to_level=grown(person.levels, (skill,))[skill],
                        ready=labels[model.growth.ready],
                        cost=model.growth.cost,
                    )
                    for skill in model.growth.skills.get(pi, ())
                    if skill in grows.get(pi, ())
                ),
            )
        )
    return seats


def _split_couplings(
    model: TimedModel, owner: dict[tuple[int, int], int], t: int
) -> list[tuple[int, float]]:
    """The couplings split in period t (both ends exist then), with their costs."""
    index = {r.id: ji for ji, r in enumerate(model.pool.resps)}
    exists = work_periods(model.scenario)
    split = []
    for ci, coupling in enumerate(model.scenario.couplings):
        a, b = (index[x] for x in coupling.between)
        if t in exists[a] and t in exists[b]:
            one = owner.get((a, t))
            if one is None or one != owner.get((b, t)):
                split.append((ci, coupling.cost))
    return split


def _changes_in(model: TimedModel, owner: dict[tuple[int, int], int], t: int) -> int:
    """Work whose owner of period t-1 no longer owns it in t."""
    exists = work_periods(model.scenario)
    count = 0
    for ji in range(len(model.pool.resps)):
        if t >= 1 and t in exists[ji] and t - 1 in exists[ji]:
            before = owner.get((ji, t - 1))
            if before is not None and owner.get((ji, t)) != before:
                count += 1
    return count


def handoff_cost_of_change(scenario: Scenario) -> float:
    """The quality cost of one change of owner between periods (policy.handoff_cost)."""
    return float(getattr(scenario.policy, "handoff_cost", 1.0))


def _timed_handoffs(
    model: TimedModel, owner: dict[tuple[int, int], int], names: dict[int, str]
) -> tuple[Handoff, ...]:
    """Each coupling split in some period, its cost summed over those periods, with the
    owners of the last period it was split in."""
    index = {r.id: ji for ji, r in enumerate(model.pool.resps)}
    total: dict[int, float] = defaultdict(float)
    last: dict[int, int] = {}
    for t in range(len(model.periods)):
        for ci, cost in _split_couplings(model, owner, t):
            total[ci] += cost
            last[ci] = t
    found = []
    for ci in sorted(total):
        coupling = model.scenario.couplings[ci]
        a, b = (index[x] for x in coupling.between)
        t = last[ci]
        seat_a, seat_b = owner.get((a, t)), owner.get((b, t))
        found.append(
            Handoff(
                between=coupling.between,
                seats=(
                    None if seat_a is None else names[seat_a],
                    None if seat_b is None else names[seat_b],
                ),
                cost=total[ci],
            )
        )
    return tuple(found)


def _period_kpis(
    model: TimedModel,
    t: int,
    label: str,
    seated: dict[int, str],
    starts: dict[int, int],
    owner: dict[tuple[int, int], int],
    grows: Mapping[int, set[str]],
) -> PeriodKpis:
    """The figures of period t (`label`): the seats filled then, the work existing then
    (fitted at the levels of then), the one-off costs paid then."""
    scenario, pool = model.scenario, model.pool
    exists = work_periods(scenario)
    present = [ji for ji in range(len(pool.resps)) if t in exists[ji]]
    filled = [pi for pi in seated if starts[pi] <= t]
    owned = [(ji, owner[ji, t]) for ji in present if (ji, t) in owner]
    total_hours = sum(pool.resps[ji].hours for ji in present)
    covered = sum(pool.resps[ji].hours for ji, _pi in owned)
    levels = {pi: levels_in(model, pi, grows, t) for pi in filled}
    fit_hours = sum(
        pool.resps[ji].hours * fit(levels[pi], pool.resps[ji].needs) for ji, pi in owned
    )
    handoffs = sum(c for _ci, c in _split_couplings(model, owner, t))
    handoffs += _changes_in(model, owner, t) * handoff_cost_of_change(scenario)
    utilizations = []
    for pi in filled:
        room = _capacity_in(model, pi, seated[pi], starts[pi], t)
        hours = sum(pool.resps[ji].hours for ji, p in owned if p == pi)
        utilizations.append(hours / room if room else 0.0)
    by_role: dict[str, int] = {}
    for pi in filled:
        by_role[seated[pi]] = by_role.get(seated[pi], 0) + 1
    run_rate = sum(annual_cost(pool.people[pi], seated[pi]) for pi in filled)
    one_offs = sum(
        one_off_cost(scenario, pool.people[pi], seated[pi])
        for pi in seated
        if _one_off_period(model, pi, seated[pi], starts[pi]) == t
    )
    one_offs += sum(model.growth.cost * len(grows.get(pi, ())) for pi in seated if starts[pi] == t)
    gaps_count = sum(len(gaps(levels[pi], pool.resps[ji].needs)) for ji, pi in owned)
    kpis = Kpis(
        headcount=len(filled),
        total_cost=run_rate,
        total_hours=total_hours,
        covered_hours=covered,
        coverage=covered / total_hours if total_hours else 1.0,
        mean_fit=fit_hours / covered if covered else 0.0,
        handoff_cost=handoffs,
        max_utilization=max(utilizations, default=0.0),
        mean_utilization=sum(utilizations) / len(utilizations) if utilizations else 0.0,
        quality=fit_hours - handoffs,
        covered_priority_hours=sum(
            pool.resps[ji].hours * pool.resps[ji].priority for ji, _ in owned
        ),
        total_priority_hours=sum(pool.resps[ji].hours * pool.resps[ji].priority for ji in present),
        internal=sum(1 for pi in filled if pool.people[pi].candidate and pool.people[pi].internal),
        external=sum(
            1 for pi in filled if pool.people[pi].candidate and not pool.people[pi].internal
        ),
        open_reqs=sum(1 for pi in filled if pool.people[pi].open_req),
        skill_gaps=gaps_count,
        headcount_by_role=by_role,
        spend=run_rate * period_share(scenario) + one_offs,
    )
    return PeriodKpis(label, kpis, one_off_cost=one_offs)


def _one_off_period(model: TimedModel, pi: int, role: str, start: int) -> int:
    """When a seat's one-off cost is paid: a requisition's when it is opened, a
    candidate's backfill when they start."""
    person = model.pool.people[pi]
    if person.open_req:
        return start - model.scenario.roles[role].time_to_hire
    return start


def _horizon_kpis(
    model: TimedModel,
    seats: list[Seat],
    assignments: list[Assignment],
    by_period: tuple[PeriodKpis, ...],
) -> Kpis:
    """The plan's KPIs over the horizon: the team of the last period, coverage and
    quality over every period, hours as means per period, the horizon's spend."""
    final = by_period[-1].kpis
    periods = len(by_period)
    total = sum(p.kpis.total_hours for p in by_period)
    covered = sum(p.kpis.covered_hours for p in by_period)
    fit_hours = sum(p.kpis.quality + p.kpis.handoff_cost for p in by_period)
    utilizations = [p.kpis.mean_utilization for p in by_period if p.kpis.headcount]
    return Kpis(
        headcount=final.headcount,
        total_cost=final.total_cost,
        total_hours=total / periods,
        covered_hours=covered / periods,
        coverage=covered / total if total else 1.0,
        mean_fit=fit_hours / covered if covered else 0.0,
        handoff_cost=sum(p.kpis.handoff_cost for p in by_period),
        max_utilization=max((p.kpis.max_utilization for p in by_period), default=0.0),
        mean_utilization=sum(utilizations) / len(utilizations) if utilizations else 0.0,
        quality=sum(p.kpis.quality for p in by_period),
        covered_priority_hours=sum(p.kpis.covered_priority_hours for p in by_period),
        total_priority_hours=sum(p.kpis.total_priority_hours for p in by_period),
        internal=final.internal,
        external=final.external,
        open_reqs=final.open_reqs,
        skill_gaps=sum(len(a.gaps) for a in assignments),
        headcount_by_role=final.headcount_by_role,
        spend=sum(p.kpis.spend for p in by_period),
    )
