"""From a solve's choices to a `Plan`: seats named, work owned, every figure recomputed.

`assemble_plan` reads who sits where and who owns what from the solver's values;
`plan_from_choices` builds the plan from those choices alone (the seats, the assignments,
the work left uncovered and why, the handoffs) and `compute_kpis` its figures, so that a
plan says the same whichever search found it.
"""

from __future__ import annotations

from collections import defaultdict

from orgplan.domain.rules import Person, fit, gaps, hours_fit
from orgplan.model import Limits, Pool, TeamModel
from orgplan.results.plan import Assignment, Handoff, Kpis, Plan, Seat, SolverInfo, Uncovered
from orgplan.scenario.format import Responsibility, Scenario
from orgplan.scenario.levels import Levels


def assemble_plan(model: TeamModel, values: dict[str, float], solver: SolverInfo) -> Plan:
    """Build the plan from solver values; every figure is recomputed from the scenario."""
    scenario = model.scenario
    seated: dict[int, str] = {}
    for (pi, role), var in model.seat.items():
        if values.get(var.name, 0.0) > 0.5:
            seated[pi] = role
    owner: dict[int, int] = {}
    for (pi, ji), var in model.own.items():
        if values.get(var.name, 0.0) > 0.5 and pi in seated:
            owner[ji] = pi
    return plan_from_choices(scenario, model.limits, seated, owner, solver, model)


def plan_from_choices(
    scenario: Scenario,
    limits: Limits,
    seated: dict[int, str],
    owner: dict[int, int],
    solver: SolverInfo,
    model: TeamModel,
) -> Plan:
    """A plan from who sits where (person index -> role) and who owns what (j -> person)."""
    pool = model.pool
    seat_names = _seat_names(scenario, seated)
    owned_by: dict[int, list[int]] = defaultdict(list)
    for ji, pi in sorted(owner.items()):
        owned_by[pi].append(ji)
    assignments = _assignments(pool, seated, owner, seat_names)
    uncovered = _uncovered(scenario, limits, pool, seated, owner, owned_by)
    seats = _seats(scenario, pool, seated, seat_names, owned_by)
    handoffs = _handoffs(scenario, assignments)
    return Plan(
        scenario=scenario.name,
        structure=limits.structure,
        currency=scenario.currency,
        solver=solver,
        seats=tuple(seats),
        assignments=tuple(assignments),
        uncovered=tuple(uncovered),
        handoffs=handoffs,
        kpis=compute_kpis(scenario, seats, assignments, handoffs),
        decisions=scenario.decisions,
    )


def _seat_names(scenario: Scenario, seated: dict[int, str]) -> dict[int, str]:
    """`PM-1`, `PM-2`, ...: each role's seats numbered in the order of the people."""
    seat_names: dict[int, str] = {}
    counters: dict[str, int] = defaultdict(int)
    for role in scenario.roles:
        for pi in sorted(p for p, r in seated.items() if r == role):
            counters[role] += 1
            seat_names[pi] = f"{role}-{counters[role]}"
    return seat_names


def assignment_of(
    resp: Responsibility,
    person: Person,
    seat: str,
    role: str,
    levels: Levels,
    periods: tuple[str, ...] = (),
) -> Assignment:
    """`person` in `seat` owning `resp`, fitted at `levels` (in `periods`, over a horizon)."""
    return Assignment(
        responsibility=resp.id,
        name=resp.label,
        product=resp.product,
        hours=resp.hours,
        priority=resp.priority,
        seat=seat,
        role=role,
        candidate=person.candidate,
        person=person.label,
        fit=fit(levels, resp.needs),
        gaps=gaps(levels, resp.needs),
        periods=periods,
    )


def _assignments(
    pool: Pool, seated: dict[int, str], owner: dict[int, int], seat_names: dict[int, str]
) -> list[Assignment]:
    """The owned responsibilities, in the scenario's order, with fit and gaps."""
    assignments: list[Assignment] = []
    for ji, resp in enumerate(pool.resps):
        if ji in owner:
            pi = owner[ji]
            person = pool.people[pi]
            assignments.append(
                assignment_of(resp, person, seat_names[pi], seated[pi], person.levels)
            )
    return assignments


def _uncovered(
    scenario: Scenario,
    limits: Limits,
    pool: Pool,
    seated: dict[int, str],
    owner: dict[int, int],
    owned_by: dict[int, list[int]],
) -> list[Uncovered]:
    """The responsibilities nobody owns, in the scenario's order, each with its reason."""
    from orgplan.explain.infeasible import uncovered_reason

    return [
        Uncovered(
            responsibility=resp.id,
            name=resp.label,
            product=resp.product,
            hours=resp.hours,
            priority=resp.priority,
            reason=uncovered_reason(scenario, limits, pool, ji, seated, owned_by),
        )
        for ji, resp in enumerate(pool.resps)
        if ji not in owner
    ]


def _seats(
    scenario: Scenario,
    pool: Pool,
    seated: dict[int, str],
    seat_names: dict[int, str],
    owned_by: dict[int, list[int]],
) -> list[Seat]:
    """Every seat in the order of the roles, with its work, load and fit."""
    seats: list[Seat] = []
    for pi, name in sorted(seat_names.items(), key=lambda kv: _seat_order(scenario, kv[1])):
        person, role = pool.people[pi], seated[pi]
        work = [pool.resps[ji] for ji in owned_by.get(pi, [])]
        hours = sum(r.hours for r in work)
        seats.append(
            Seat(
                seat=name,
                role=role,
                role_title=scenario.roles[role].title or role,
                candidate=person.candidate,
                person=person.label,
                background=person.background,
                internal=person.internal,
                cost=person.costs[role],
                capacity_hours=scenario.roles[role].capacity * person.availability,
                hours=hours,
                responsibilities=tuple(r.id for r in work),
                fit=hours_fit(person.levels, [(r.hours, r.needs) for r in work]),
            )
        )
    return seats


def _seat_order(scenario: Scenario, name: str) -> tuple[int, int]:
    role, _, number = name.rpartition("-")
    return list(scenario.roles).index(role), int(number)


def _handoffs(scenario: Scenario, assignments: list[Assignment]) -> tuple[Handoff, ...]:
    """The couplings whose two responsibilities have different owners (or none)."""
    owner_of = {a.responsibility: a.seat for a in assignments}
    return tuple(
        Handoff(
            between=coupling.between,
            seats=(owner_of.get(coupling.between[0]), owner_of.get(coupling.between[1])),
            cost=coupling.cost,
        )
        for coupling in scenario.couplings
        if owner_of.get(coupling.between[0]) is None
        or owner_of.get(coupling.between[0]) != owner_of.get(coupling.between[1])
    )


def compute_kpis(
    scenario: Scenario,
    seats: list[Seat],
    assignments: list[Assignment],
    handoffs: tuple[Handoff, ...],
) -> Kpis:
    """The plan's figures, from its seats and assignments alone."""
    total_hours = sum(r.hours for r in scenario.responsibilities)
    covered = sum(a.hours for a in assignments)
    weighted_fit = sum(a.hours * a.fit for a in assignments)
    handoff_cost = sum(h.cost for h in handoffs)
    utilizations = [s.utilization for s in seats]
    by_role: dict[str, int] = {}
    for seat in seats:
        by_role[seat.role] = by_role.get(seat.role, 0) + 1
    return Kpis(
        headcount=len(seats),
        total_cost=sum(s.cost for s in seats),
        total_hours=total_hours,
        covered_hours=covered,
        coverage=covered / total_hours if total_hours else 1.0,
        mean_fit=weighted_fit / covered if covered else 0.0,
        handoff_cost=handoff_cost,
        max_utilization=max(utilizations, default=0.0),
        mean_utilization=sum(utilizations) / len(utilizations) if utilizations else 0.0,
        quality=weighted_fit - handoff_cost,
        covered_priority_hours=sum(a.hours * a.priority for a in assignments),
        total_priority_hours=sum(r.hours * r.priority for r in scenario.responsibilities),
        internal=sum(1 for s in seats if s.candidate is not None and s.internal),
        external=sum(1 for s in seats if s.candidate is not None and not s.internal),
        open_reqs=sum(1 for s in seats if s.candidate is None),
        skill_gaps=sum(len(a.gaps) for a in assignments),
        headcount_by_role=by_role,
    )
