"""Why a plan over periods cannot be made, said in business terms (format 1.1 time).

`time_reasons` names the work that must be owned in a period before anyone able to own it
can start (cheap checks on the scenario alone); `time_diagnosis` relaxes one time limit at
a time (the onboarding cap, the spend budget, the run-rate budget, the hiring lead times,
the dates people become available) and re-solves, to name the change that alone would make
the plan possible.
"""

from __future__ import annotations

from orgplan.formatting import money
from orgplan.model import Limits, build_pool
from orgplan.model.development import Growth, development_reach, growth_of
from orgplan.model.periods import (
    build_timed_model,
    earliest_start,
    ramp_periods,
    work_periods,
)
from orgplan.model.pool import Pool, capacity
from orgplan.scenario.format import Scenario

# Relaxation re-solves are for explanation only: keep each one short.
_RELAX_SECONDS = 10.0


def _who_starts(
    scenario: Scenario, pool: Pool, pi: int, role: str, t: int, growth: Growth, ji: int
) -> str:
    """`a PMM requisition opened now starts in 2027-Q3 at half capacity`, or a named
    candidate available from a later period, or one who may own the work `ji` only once a
    skill has grown."""
    labels = scenario.period_labels()
    person = pool.people[pi]
    start = _seat_start(scenario, pool, pi, role, growth)
    when = labels[start] if start < len(labels) else "after the horizon"
    share = scenario.policy.ramp_capacity
    ramping = start <= t < start + ramp_periods(scenario, person, role)
    at = f" at {share:.0%} capacity" if ramping else ""
    if person.open_req:
        lead = scenario.roles[role].time_to_hire
        return (
            f"{_a(role)} {role} requisition opened now starts in {when}{at} (time_to_hire {lead})"
        )
    text = f"{person.label} can start in {when}{at}"
    if _owns_from(scenario, pool, pi, role, growth, ji) > start:
        skills = growth.work_needs.get((pi, ji)) or growth.seat_needs.get((pi, role), ())
        grown_by = labels[growth.ready] if growth.ready < len(labels) else "after the horizon"
        text += f", and may own it only once {' and '.join(skills)} has grown, from {grown_by}"
    return text


def _seat_start(scenario: Scenario, pool: Pool, pi: int, role: str, growth: Growth) -> int:
    """The earliest period person `pi` may start in `role` (a seat they must grow into,
    once grown)."""
    return growth.since(pi, role, earliest_start(scenario, pool.people[pi]))


def _owns_from(scenario: Scenario, pool: Pool, pi: int, role: str, growth: Growth, ji: int) -> int:
    """The first period person `pi` may own work `ji` in `role`: from their start, and for
    work they must grow into, not before the skill has grown."""
    start = _seat_start(scenario, pool, pi, role, growth)
    return start if growth.plain(pi, role, ji) else max(start, growth.ready)


def _a(role: str) -> str:
    return "an" if role[:1].upper() in "AEIOU" else "a"


def time_reasons(scenario: Scenario, limits: Limits) -> list[str]:
    """Work that coverage `required` needs owned in a period before anybody who may own
    it can start (or while the first of them ramps up with too little capacity); with
    `policy.development`, before a candidate who must grow into it has grown."""
    if scenario.horizon is None or not limits.coverage_required:
        return []
    labels = scenario.period_labels()
    pool = build_pool(scenario, limits, development_reach(scenario))
    growth = growth_of(scenario, limits, pool)  # no growth without development
    exists = work_periods(scenario)
    reasons = []
    for ji, resp in enumerate(pool.resps):
        able = [
            (pi, role)
            for (pi, j), roles in pool.ownable.items()
            if j == ji and pi in pool.seat_roles
            for role in roles
            if role in pool.seat_roles[pi]
        ]
        if not able:
            continue  # the one-period reasons say nobody may own it at all
        for t in exists[ji]:
            fits = [
                (pi, role)
                for pi, role in able
                if _owns_from(scenario, pool, pi, role, growth, ji) <= t
                and _room(scenario, pool, pi, role, t, growth) + 1e-9 >= resp.hours
            ]
            if fits:
                continue
            pi, role = min(
                able, key=lambda pr: _owns_from(scenario, pool, pr[0], pr[1], growth, ji)
            )
            reasons.append(
                f"coverage is required, but '{resp.label}' exists in {labels[t]} and "
                f"nobody who may own it can hold its {resp.hours:g} h/week then: "
                f"{_who_starts(scenario, pool, pi, role, t, growth, ji)}"
            )
            break
    return reasons


def _room(scenario: Scenario, pool: Pool, pi: int, role: str, t: int, growth: Growth) -> float:
    """The most hours a person's seat can hold in period t, started as early as they can
    (a seat they must grow into, once grown)."""
    person = pool.people[pi]
    start = _seat_start(scenario, pool, pi, role, growth)
    if start > t:
        return 0.0
    full = capacity(scenario, person, role)
    if t < start + ramp_periods(scenario, person, role):
        return full * scenario.policy.ramp_capacity
    return full


def time_diagnosis(scenario: Scenario, limits: Limits, solver: str = "highs") -> list[str]:
    """Reasons for an infeasible plan over periods: the one-period reasons when the
    scenario fails without time too, else the single time limit whose change alone
    makes it feasible."""
    from orgplan.explain.infeasible import diagnose

    reasons = ["the hard limits cannot all be met together over the horizon"]
    if not _feasible(scenario.model_copy(update={"horizon": None}), limits, solver, timed=False):
        return diagnose(scenario.model_copy(update={"horizon": None}), limits, solver)
    found = [
        what
        for what, changed, relaxed in _time_relaxations(scenario, limits)
        if _feasible(changed, relaxed, solver)
    ]
    if not found:
        return [*reasons, "no single time limit, changed alone, makes it feasible"]
    return reasons + [f"a change that alone makes it feasible: {what}" for what in found]


def _time_relaxations(scenario: Scenario, limits: Limits) -> list[tuple[str, Scenario, Limits]]:
    """Each time limit of the scenario lifted alone: (what to say, scenario, limits)."""
    policy = scenario.policy
    out: list[tuple[str, Scenario, Limits]] = []
    if policy.max_hires_per_period is not None:
        out.append(
            (
                f"lift max_hires_per_period ({policy.max_hires_per_period}): start more "
                "people in one period",
                scenario.model_copy(
                    update={"policy": policy.model_copy(update={"max_hires_per_period": None})}
                ),
                limits,
            )
        )
    if policy.spend_budget is not None:
        out.append(
            (
                f"raise spend_budget above {money(policy.spend_budget, scenario.currency)}",
                scenario.model_copy(
                    update={"policy": policy.model_copy(update={"spend_budget": None})}
                ),
                limits,
            )
        )
    if limits.budget is not None:
        out.append(
            (
                f"raise the budget above {money(limits.budget, scenario.currency)} "
                "(the run rate of some period exceeds it)",
                scenario,
                limits.relaxed(budget=None),
            )
        )
    if any(role.time_to_hire for role in scenario.roles.values()):
        roles = {
            rid: role.model_copy(update={"time_to_hire": 0}) for rid, role in scenario.roles.items()
        }
        out.append(
            (
                "hire sooner: with no time_to_hire it is feasible (open requisitions earlier "
                "than the horizon, or plan a longer horizon)",
                scenario.model_copy(update={"roles": roles}),
                limits,
            )
        )
    if any(c.available_from is not None for c in scenario.candidates):
        people = tuple(c.model_copy(update={"available_from": None}) for c in scenario.candidates)
        out.append(
            (
                "bring people in sooner: with everyone available from the first period it is "
                "feasible",
                scenario.model_copy(update={"candidates": people}),
                limits,
            )
        )
    return out


def _feasible(scenario: Scenario, limits: Limits, solver: str, timed: bool = True) -> bool:
    """Whether some plan meets every hard limit (a short feasibility solve)."""
    from orgplan.model import build_model
    from orgplan.results.status import SolveStatus
    from orgplan.solvers import lp

    model = build_timed_model(scenario, limits) if timed else build_model(scenario, limits)
    lp.set_objective(model.prob, lp.linear([]), maximize=False)
    outcome = lp.run(model.prob, solver, _RELAX_SECONDS)
    return outcome.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
