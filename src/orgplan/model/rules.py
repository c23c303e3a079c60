"""The business rules as rows: one function per rule, each stating its rule.

`RULES` lists those every model gets, in the order they are added; `seats_needed` is a
rounding row implied by the others (added when all work must be covered, and by the
solving stages once coverage is fixed).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from orgplan.domain.rules import EPS
from orgplan.model.pool import capacity
from orgplan.model.team import TeamModel, seat_cost
from orgplan.solvers import lp


def _owns_by_person(model: TeamModel) -> dict[int, list[int]]:
    """The responsibilities each person may own."""
    by_person: dict[int, list[int]] = defaultdict(list)
    for pi, ji in model.own:
        by_person[pi].append(ji)
    return by_person


def owners_by_responsibility(model: TeamModel) -> dict[int, list[tuple[int, Any]]]:
    """The ownership variables of each responsibility, with their people."""
    by_resp: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for (pi, ji), var in model.own.items():
        by_resp[ji].append((pi, var))
    return by_resp


def one_seat_per_person(model: TeamModel) -> None:
    """A person holds at most one seat."""
    seats_of: dict[int, list[Any]] = defaultdict(list)
    for (pi, _r), var in model.seat.items():
        seats_of[pi].append(var)
    for pi, seats in seats_of.items():
        if len(seats) > 1:
            lp.add_le(model.prob, [(v, 1.0) for v in seats], 1, f"one_seat_{pi}")


def fixed_roles(model: TeamModel) -> None:
    """A candidate with a fixed_role must be placed, in that role."""
    for pi, person in enumerate(model.pool.people):
        if person.fixed_role is None:
            continue
        var = model.seat.get((pi, person.fixed_role))
        if var is None:
            # explain.py names why; here the model is simply made infeasible
            lp.add_ge(model.prob, [], 1, f"fixed_role_impossible_{pi}")
        else:
            lp.add_eq(model.prob, [(var, 1.0)], 1, f"fixed_role_{pi}")


def decided_places(model: TeamModel) -> None:
    """A candidate a decision places (decisions.place) holds a seat of that role."""
    for pi, person in enumerate(model.pool.people):
        if person.placed is None:
            continue
        var = model.seat.get((pi, person.placed))
        if var is None:
            # explain.py names why (say the structure has no such seat)
            lp.add_ge(model.prob, [], 1, f"decision_place_impossible_{pi}")
        else:
            lp.add_eq(model.prob, [(var, 1.0)], 1, f"decision_place_{pi}")


def decided_owners(model: TeamModel) -> None:
    """A responsibility a decision assigns (decisions.assign) is owned by that candidate."""
    assigned = model.scenario.decisions.assign
    if not assigned:
        return
    person_of = {p.candidate: pi for pi, p in enumerate(model.pool.people) if p.candidate}
    for ji, resp in enumerate(model.pool.resps):
        if resp.id not in assigned:
            continue
        var = model.own.get((person_of.get(assigned[resp.id], -1), ji))
        if var is None:
            lp.add_ge(model.prob, [], 1, f"decision_assign_impossible_{ji}")
        else:
            lp.add_eq(model.prob, [(var, 1.0)], 1, f"decision_assign_{ji}")


def kept_together(model: TeamModel) -> None:
    """Responsibilities a decision keeps together (decisions.keep_together) have one
    owner, or are all uncovered."""
    index = {r.id: ji for ji, r in enumerate(model.pool.resps)}
    owns = _owns_by_person(model)
    for g, group in enumerate(model.scenario.decisions.groups()):
        first, *rest = (index[rid] for rid in group)
        # The pool gives a person either every piece of a group or none (pool.py).
        for pi, owned in owns.items():
            if first not in owned:
                continue
            for ji in rest:
                terms = [(model.own[pi, first], 1.0)]
                if (pi, ji) in model.own:
                    terms.append((model.own[pi, ji], -1.0))
                lp.add_eq(model.prob, terms, 0, f"decision_together_{g}_{pi}_{ji}")


def owner_holds_allowed_seat(model: TeamModel) -> None:
    """The owner's seat must be in the roles of the responsibility and of the candidate."""
    for (pi, ji), var in model.own.items():
        roles = model.pool.ownable[pi, ji]
        seats = [(model.seat[pi, r], -1.0) for r in roles if (pi, r) in model.seat]
        lp.add_le(model.prob, [(var, 1.0), *seats], 0, f"owner_seated_{pi}_{ji}")


def seat_capacity(model: TeamModel) -> None:
    """Hours owned fit within role.capacity * availability of the seat held."""
    pool = model.pool
    for pi, owned in _owns_by_person(model).items():
        person = pool.people[pi]
        total = sum(pool.resps[ji].hours for ji in owned)
        roles = pool.seat_roles[pi]
        if total <= min(capacity(model.scenario, person, r) for r in roles) + EPS:
            continue  # can never overflow: the owner_seated rows already tie work to a seat
        terms = [(model.own[pi, ji], pool.resps[ji].hours) for ji in owned]
        terms += [(model.seat[pi, r], -capacity(model.scenario, person, r)) for r in roles]
        lp.add_le(model.prob, terms, 0, f"capacity_{pi}")


def breadth_cap(model: TeamModel) -> None:
    """A seat owns at most max_responsibilities pieces of work (the role's, or the structure's)."""
    for pi, owned in _owns_by_person(model).items():
        roles = model.pool.seat_roles[pi]
        caps = {r: model.limits.breadth.get(r) for r in roles}
        if all(cap is None or cap >= len(owned) for cap in caps.values()):
            continue
        terms = [(model.own[pi, ji], 1.0) for ji in owned]
        terms += [
            (model.seat[pi, r], -float(len(owned) if cap is None else cap))
            for r, cap in caps.items()
        ]
        lp.add_le(model.prob, terms, 0, f"breadth_{pi}")


def open_requisition_order(model: TeamModel) -> None:
    """Open requisitions of a role are interchangeable: fill them in order, busiest first."""
    by_role: dict[str, list[int]] = defaultdict(list)
    for pi, person in enumerate(model.pool.people):
        if person.open_req and pi in model.pool.seat_roles:
            by_role[person.roles[0]].append(pi)
    owned = _owns_by_person(model)
    for role, reqs in by_role.items():
        for a, b in zip(reqs, reqs[1:], strict=False):
            lp.add_ge(
                model.prob,
                [(model.seat[a, role], 1.0), (model.seat[b, role], -1.0)],
                0,
                f"open_req_order_{a}_{b}",
            )
            terms = [(model.own[a, ji], model.pool.resps[ji].hours) for ji in owned[a]]
            terms += [(model.own[b, ji], -model.pool.resps[ji].hours) for ji in owned[b]]
            if terms:
                lp.add_ge(model.prob, terms, 0, f"open_req_hours_{a}_{b}")


def structure_caps(model: TeamModel) -> None:
    """A structure caps the seats of each role it allows."""
    for role in model.limits.roles:
        cap = model.limits.role_caps.get(role)
        seats = [(var, 1.0) for (_pi, r), var in model.seat.items() if r == role]
        if cap is not None and len(seats) > cap:
            lp.add_le(model.prob, seats, cap, f"seats_of_{role}")


def headcount(model: TeamModel) -> None:
    """At most max_headcount seats are filled."""
    cap = model.limits.max_headcount
    if cap is not None and len(model.pool.seat_roles) > cap:
        lp.add_le(model.prob, [(v, 1.0) for v in model.seat.values()], cap, "headcount")


def budget(model: TeamModel) -> None:
    """The team's total annual cost stays within the budget.

    Written in the model's money unit (`cost_scale`): both sides scaled alike.
    """
    if model.limits.budget is not None:
        scale = model.cost_scale
        terms = [(var, seat_cost(model, pi, r) * scale) for (pi, r), var in model.seat.items()]
        lp.add_le(model.prob, terms, model.limits.budget * scale, "budget")


def single_owner(model: TeamModel) -> None:
    """Each responsibility has at most one owner; with coverage `required`, exactly one."""
    owners = owners_by_responsibility(model)
    # Constraint names use indexes: ids may hold characters that solvers refuse.
    for ji in range(len(model.pool.resps)):
        terms = [(v, 1.0) for _pi, v in owners.get(ji, [])]
        if model.limits.coverage_required:
            lp.add_eq(model.prob, terms, 1, f"owner_of_{ji}")
        elif len(terms) > 1:
            lp.add_le(model.prob, terms, 1, f"owner_of_{ji}")


def products_per_seat(model: TeamModel) -> None:
    """A seat owns work of at most max_products_per_seat product lines."""
    cap = model.limits.max_products
    if cap is None:
        return
    for pi, owned in _owns_by_person(model).items():
        lines = sorted({model.pool.resps[ji].product for ji in owned} - {None}, key=str)
        if len(lines) <= cap:
            continue
        focus = {g: lp.binary(model.prob, f"focus_{pi}_{k}") for k, g in enumerate(lines)}
        for ji in owned:
            line = model.pool.resps[ji].product
            if line is not None:
                lp.add_le(
                    model.prob,
                    [(model.own[pi, ji], 1.0), (focus[line], -1.0)],
                    0,
                    f"focus_{pi}_{ji}",
                )
        # Written against the seat, not the constant: a person seated at 0.4 in the
        # relaxation may then focus on 0.8 product lines, not on two.
        seats = [(model.seat[pi, r], -float(cap)) for r in model.pool.seat_roles[pi]]
        lp.add_le(model.prob, [(v, 1.0) for v in focus.values()] + seats, 0, f"products_{pi}")


def seats_needed(model: TeamModel, coverage_floor: float | None = None) -> None:
    """Covered work takes whole seats: at least its count over the broadest seat, rounded up."""
    # Implied by the rules (a seat holds at most max_responsibilities pieces and its
    # capacity in hours); written out because the rounding up is what the relaxation,
    # which may fill 8.3 seats, does not know. `coverage_floor`: the covered hours x
    # priority every plan must reach (None: coverage required, all the work).
    resps = model.pool.resps
    coverable = sorted({ji for _pi, ji in model.own})
    floor = coverage_floor
    if floor is None:
        floor = sum(resps[ji].hours * resps[ji].priority for ji in coverable)
    # the fewest pieces reaching the floor: the heaviest first
    weights = sorted((resps[ji].hours * resps[ji].priority for ji in coverable), reverse=True)
    count, reached = 0, 0.0
    for w in weights:
        if reached >= floor - EPS:
            break
        count, reached = count + 1, reached + w
    # the fewest hours reaching it (fractionally): highest priority first
    hours, reached = 0.0, 0.0
    for ji in sorted(coverable, key=lambda j: -resps[j].priority):
        w = resps[ji].hours * resps[ji].priority
        take = min(1.0, max(0.0, floor - reached) / w)
        hours, reached = hours + take * resps[ji].hours, reached + take * w
    needed = 0
    breadths = [model.limits.breadth.get(r) for r in {r for _pi, r in model.seat}]
    if breadths and all(b is not None for b in breadths):
        needed = math.ceil(count / max(b for b in breadths if b is not None) - EPS)
    largest = max(
        (capacity(model.scenario, model.pool.people[pi], r) for pi, r in model.seat), default=0
    )
    if largest > 0:
        needed = max(needed, math.ceil(hours / largest - EPS))
    if needed >= 2:
        lp.add_ge(model.prob, [(v, 1.0) for v in model.seat.values()], needed, "seats_needed")


RULES = (
    one_seat_per_person,
    fixed_roles,
    decided_places,
    decided_owners,
    kept_together,
    owner_holds_allowed_seat,
    seat_capacity,
    breadth_cap,
    open_requisition_order,
    structure_caps,
    headcount,
    budget,
    single_owner,
    products_per_seat,
)
