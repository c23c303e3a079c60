"""Why a candidate holds no seat in a plan, read off the plan (the solver weighs all at once).

A candidate is placed, or the first of these holds:

- excluded: the scenario (or a decision) says never to place them;
- role not accepted: none of the roles they would take is in the plan's structure;
- floors: they meet the floors of no role they would take (the closest is named);
- cost: a seat they could hold went to someone who does its work no better, for less;
- not needed: every seat they could hold went to someone who fits its work better, or
  the plan has no such seat.

`placement` returns the reason with the facts it rests on; the reports word them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from orgplan.analysis.limits import seated_roles
from orgplan.domain.rules import (
    EPS,
    Levels,
    candidate_levels,
    gaps,
    hours_fit,
    is_eligible,
    meets_floors,
    placement_cost,
    role_fit,
)
from orgplan.formatting import figure, money, percent
from orgplan.results.plan import Assignment, Plan, Seat
from orgplan.scenario.format import Candidate, Scenario


@dataclass(frozen=True)
class Placement:
    """Where a candidate was placed, or the main reason they were not, with its facts.

    `reason` is "" when placed (`seat`), else one of the module docstring's. What it
    rests on:

    - role not accepted: `accepted`, the roles they would take, and `seated`, the roles
      the structure seats;
    - floors: `closest`, the role they come nearest to holding, and its `shortfalls`
      as (skill, their level, the floor);
    - cost and not needed: `holdable`, the roles they could hold, `seats`, the plan's
      seats of those roles, and `rival`, the seat they were weighed against (none when
      they could take on the work of none), with `their_fit` for its work and
      `their_cost` in it.
    """

    seat: Seat | None = None
    reason: str = ""
    accepted: tuple[str, ...] = ()
    seated: tuple[str, ...] = ()
    closest: str | None = None
    shortfalls: tuple[tuple[str, float, float], ...] = ()
    holdable: tuple[str, ...] = ()
    seats: tuple[Seat, ...] = ()
    rival: Seat | None = None
    their_fit: float = 0.0
    their_cost: float = 0.0
    decided: bool = False  # excluded by a decision (decisions.exclude), not by the file


@dataclass(frozen=True)
class _Weighed:
    """A seat someone else holds, and how a candidate would do its work."""

    seat: Seat
    fit: float
    cost: float


def accepted_roles(candidate: Candidate, scenario: Scenario) -> tuple[str, ...]:
    """The roles `candidate` would take: the ones they name, else every role."""
    return candidate.roles if candidate.roles is not None else tuple(scenario.roles)


def holdable_roles(
    candidate: Candidate, levels: Levels, scenario: Scenario, roles: Sequence[str]
) -> tuple[str, ...]:
    """The roles of `roles` that `candidate` would take and whose floors they meet."""
    accepted = accepted_roles(candidate, scenario)
    return tuple(
        r for r in roles if r in accepted and meets_floors(levels, scenario.roles[r].floors)
    )


def placement(candidate: Candidate, plan: Plan, scenario: Scenario) -> Placement:
    """Where `candidate` sits in `plan`, or why they hold no seat (see the module docstring)."""
    for seat in plan.seats:
        if seat.candidate == candidate.id:
            return Placement(seat)
    if candidate.exclude:
        return Placement(reason="excluded")
    if candidate.id in scenario.decisions.exclude:
        return Placement(reason="excluded", decided=True)
    levels = candidate_levels(candidate, scenario)
    seated = seated_roles(scenario, plan.structure)
    accepted = accepted_roles(candidate, scenario)
    offered = [r for r in seated if r in accepted]
    if not offered:
        return Placement(reason="role not accepted", accepted=accepted, seated=seated)
    holdable = holdable_roles(candidate, levels, scenario, offered)
    if not holdable:
        closest = max(offered, key=lambda r: role_fit(levels, scenario.roles[r]))
        floors = scenario.roles[closest].floors
        shortfalls = tuple(
            (skill, levels.get(skill, 0.0), floors[skill]) for skill in gaps(levels, floors)
        )
        return Placement(reason="floors", closest=closest, shortfalls=shortfalls)
    seats = tuple(s for s in plan.seats if s.role in holdable)
    if not seats:
        return Placement(reason="not needed", holdable=holdable)
    lost, nearest = _weigh(candidate, levels, seats, plan, scenario)
    rival = lost or nearest
    if rival is None:
        return Placement(reason="not needed", holdable=holdable, seats=seats)
    return Placement(
        reason="cost" if lost is not None else "not needed",
        holdable=holdable,
        seats=seats,
        rival=rival.seat,
        their_fit=rival.fit,
        their_cost=rival.cost,
    )


def _weigh(
    candidate: Candidate, levels: Levels, seats: Sequence[Seat], plan: Plan, scenario: Scenario
) -> tuple[_Weighed | None, _Weighed | None]:
    """The seat lost on cost (largest fit margin), and the seat whose work they do best."""
    work: dict[str, list[Assignment]] = defaultdict(list)
    for a in plan.assignments:
        work[a.seat].append(a)
    lost: tuple[float, _Weighed] | None = None
    nearest: _Weighed | None = None
    for seat in seats:
        their_fit = fit_for(candidate, levels, seat, work[seat.seat], scenario)
        if their_fit is None:
            continue
        weighed = _Weighed(seat, their_fit, placement_cost(scenario, candidate, seat.role))
        if nearest is None or their_fit > nearest.fit + EPS:
            nearest = weighed
        if their_fit + EPS >= seat.fit and weighed.cost > seat.cost + EPS:
            margin = their_fit - seat.fit
            if lost is None or margin > lost[0]:
                lost = (margin, weighed)
    return (lost[1] if lost is not None else None), nearest


def fit_for(
    candidate: Candidate,
    levels: Levels,
    seat: Seat,
    own: Sequence[Assignment],
    scenario: Scenario,
) -> float | None:
    """How well `candidate` would do the work of `seat` (`own`, its assignments); None when
    they could not take it on (no work, too many hours for them, or a need beyond the
    allowed skill gap)."""
    role = scenario.roles[seat.role]
    if not own or role.capacity * candidate.availability + EPS < seat.hours:
        return None
    try:
        needs = [scenario.responsibility(a.responsibility).needs for a in own]
    except KeyError:
        return None
    if not all(is_eligible(levels, n, scenario.policy.max_skill_gap) for n in needs):
        return None
    return hours_fit(levels, [(a.hours, n) for a, n in zip(own, needs, strict=True)])


def rival_text(where: Placement, plan: Plan) -> str | None:
    """The seat a candidate was weighed against, as the sheets name it once:
    `TPM-1: Emre Petrov, 100% fit, 157,000 EUR` (None: weighed against no seat)."""
    rival = where.rival
    if rival is None:
        return None
    holder = "open requisition, assumed" if rival.open_req else rival.holder + ","
    return f"{rival.seat}: {holder} {percent(rival.fit)} fit, {money(rival.cost, plan.currency)}"


def own_part(where: Placement, candidate: Candidate, plan: Plan) -> str:
    """Why `candidate` holds no seat, without the facts of the seat they were weighed
    against (those go in their own column, `rival_text`)."""
    if where.rival is None:
        return why_not(where, candidate, plan)
    if where.reason == "cost":
        return (
            f"as good for less: {candidate.label} would cost "
            f"{money(where.their_cost, plan.currency)} at {percent(where.their_fit)}"
        )
    return f"fits its work less: {candidate.label} would fit it {percent(where.their_fit)}"


def why_not(where: Placement, candidate: Candidate, plan: Plan) -> str:
    """Why `candidate` holds no seat, in a sentence (`where` is their `placement`)."""
    if where.reason == "excluded":
        return "excluded by a decision" if where.decided else "exclude: true in the scenario"
    if where.reason == "role not accepted":
        return (
            f"would take {', '.join(where.accepted)}; structure {plan.structure} seats "
            f"{', '.join(where.seated) or 'no role'}"
        )
    if where.reason == "floors":
        below = ", ".join(
            f"{s} {figure(has)} < {figure(floor)}" for s, has, floor in where.shortfalls
        )
        return f"{where.closest}: {below}"
    if not where.seats:
        return f"the plan has no {' or '.join(where.holdable)} seat"
    rival = where.rival
    if rival is None:
        return (
            f"cannot take on the work of the plan's {' and '.join(where.holdable)} seats "
            "within the allowed skill gap and hours"
        )
    holder = (
        f"an open requisition at {percent(rival.fit)} assumed fit (hire profile)"
        if rival.open_req
        else f"{rival.holder} at {percent(rival.fit)} fit"
    )
    if where.reason == "cost":
        return (
            f"{rival.seat} went to {holder} for {money(rival.cost, plan.currency)}; "
            f"{candidate.label} would cost {money(where.their_cost, plan.currency)} at "
            f"{percent(where.their_fit)}"
        )
    their = percent(where.their_fit)
    return f"{rival.seat} went to {holder}; {candidate.label} would fit its work {their}"
