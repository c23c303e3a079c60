"""The mixed-integer program: one function per business rule of design/scenario-format.md.

Variables (docs/formulation.md has the full write-up):
  seat[p, r]  1 when person p sits in a seat of role r
  own[p, j]   1 when p owns responsibility j
  keep[p, c]  in [0, 1], at most own[p, j] and own[p, k]: p owns both ends of coupling c
  focus[p, g] 1 when p owns work of product line g (only with max_products_per_seat)
  covered[j]  1 when j has an owner (the coverage objective's columns)
  fit_hours[j] in [0, best hours x fit of j]: the hours x fit of j's owner (quality's)
  kept[c]     in [0, 1]: one person owns both ends of coupling c (quality's)

Rules that forbid a pairing outright (floors, eligibility, roles the person or the work
refuses, exclusion, work larger than any seat the person could hold) are applied by not
creating the variable at all, so the solver never sees them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from orgplan.domain.rules import EPS, Person, fit, is_eligible, people
from orgplan.errors import UsageError
from orgplan.model.stages import Stage
from orgplan.scenario.format import Responsibility, Scenario
from orgplan.solvers import lp

# ---- the limits in force once a structure is applied ----------------------------------


@dataclass(frozen=True)
class Limits:
    """Every hard limit of one solve: the scenario's policy with a structure applied."""

    structure: str
    roles: tuple[str, ...]
    role_caps: Mapping[str, int | None]
    breadth: Mapping[str, int | None]
    budget: float | None
    max_headcount: int | None
    max_products: int | None
    max_skill_gap: float
    coverage_required: bool

    def relaxed(self, **changes: Any) -> Limits:
        """A copy with some limits changed (used to explain infeasibility)."""
        return replace(self, **changes)


def resolve_limits(scenario: Scenario, structure: str | None = None) -> Limits:
    """The limits of `scenario` under the named structure (None: every role, no caps)."""
    policy = scenario.policy
    breadth = {rid: role.max_responsibilities for rid, role in scenario.roles.items()}
    if structure is None:
        return Limits(
            structure="all roles",
            roles=tuple(scenario.roles),
            role_caps={rid: None for rid in scenario.roles},
            breadth=breadth,
            budget=policy.budget,
            max_headcount=policy.max_headcount,
            max_products=policy.max_products_per_seat,
            max_skill_gap=policy.max_skill_gap,
            coverage_required=policy.coverage == "required",
        )
    structures = scenario.all_structures()
    if structure not in structures:
        raise UsageError(
            f"unknown structure '{structure}': the scenario has {', '.join(structures)}"
        )
    shape = structures[structure]
    roles = tuple(r for r in scenario.roles if r in shape.roles)
    if shape.overrides("max_responsibilities"):
        breadth = {rid: shape.max_responsibilities for rid in roles}
    return Limits(
        structure=structure,
        roles=roles,
        role_caps={rid: shape.roles[rid] for rid in roles},
        breadth={rid: breadth[rid] for rid in roles},
        budget=shape.budget if shape.overrides("budget") else policy.budget,
        max_headcount=(
            shape.max_headcount if shape.overrides("max_headcount") else policy.max_headcount
        ),
        max_products=policy.max_products_per_seat,
        max_skill_gap=policy.max_skill_gap,
        coverage_required=policy.coverage == "required",
    )


# ---- which pairings exist at all -------------------------------------------------------


def capacity(scenario: Scenario, person: Person, role: str) -> float:
    """A seat's capacity is `role.capacity * availability`."""
    return scenario.roles[role].capacity * person.availability


def seat_roles(person: Person, limits: Limits) -> tuple[str, ...]:
    """Roles a person may sit in: accepted by them, floors met, allowed by the structure."""
    # people() already applied the person's roles and floors; the structure may cap a role
    # at zero seats.
    return tuple(r for r in person.roles if r in limits.roles and limits.role_caps[r] != 0)


def owner_roles(
    scenario: Scenario, person: Person, resp: Responsibility, roles: tuple[str, ...]
) -> tuple[str, ...]:
    """Roles in which `person` may own `resp`: allowed for the work and large enough for it."""
    allowed = resp.roles if resp.roles is not None else tuple(scenario.roles)
    return tuple(
        r for r in roles if r in allowed and capacity(scenario, person, r) + EPS >= resp.hours
    )


@dataclass
class Pool:
    """The people and pairings left once every forbidding rule has been applied."""

    people: list[Person]
    resps: list[Responsibility]
    seat_roles: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # (person index, responsibility index) -> roles in which p may own j
    ownable: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)
    fit: dict[tuple[int, int], float] = field(default_factory=dict)


def build_pool(scenario: Scenario, limits: Limits) -> Pool:
    """Apply floors, eligibility, roles, exclusion and seat size before any variable exists."""
    pool = Pool(people=people(scenario, limits.roles), resps=list(scenario.responsibilities))
    for pi, person in enumerate(pool.people):
        roles = seat_roles(person, limits)
        used: set[str] = set()
        for ji, resp in enumerate(pool.resps):
            if not is_eligible(person.levels, resp.needs, limits.max_skill_gap):
                continue
            where = owner_roles(scenario, person, resp, roles)
            if where:
                pool.ownable[pi, ji] = where
                pool.fit[pi, ji] = fit(person.levels, resp.needs)
                used.update(where)
        # A seat where the person could own nothing is never worth paying for, except a
        # fixed role, which must be filled whatever it holds.
        kept = tuple(r for r in roles if r in used or r == person.fixed_role)
        if kept:
            pool.seat_roles[pi] = kept
    return pool


# ---- the model -------------------------------------------------------------------------


@dataclass
class TeamModel:
    """A built model: the PuLP problem, its variables and the three objectives."""

    scenario: Scenario
    limits: Limits
    pool: Pool
    prob: Any
    seat: dict[tuple[int, str], Any] = field(default_factory=dict)
    own: dict[tuple[int, int], Any] = field(default_factory=dict)
    keep: dict[tuple[int, int], Any] = field(default_factory=dict)
    covered: dict[int, Any] = field(default_factory=dict)
    fit_hours: dict[int, Any] = field(default_factory=dict)
    kept: dict[int, Any] = field(default_factory=dict)
    coverage: Any = None
    quality: Any = None
    cost: Any = None
    quality_constant: float = 0.0
    terms: dict[str, list[tuple[Any, float]]] = field(default_factory=dict)


def seat_cost(model: TeamModel, pi: int, role: str) -> float:
    """What a seat costs: the candidate's cost, else the role's (open requisitions)."""
    return model.pool.people[pi].costs[role]


def add_variables(model: TeamModel) -> None:
    """One binary per allowed seat and per allowed ownership, in a stable order."""
    prob, pool = model.prob, model.pool
    role_index = {r: i for i, r in enumerate(model.scenario.roles)}
    for pi, roles in pool.seat_roles.items():
        for r in roles:
            model.seat[pi, r] = lp.binary(prob, f"seat_{pi}_{role_index[r]}")
    for (pi, ji), roles in pool.ownable.items():
        if pi in pool.seat_roles and any(r in pool.seat_roles[pi] for r in roles):
            model.own[pi, ji] = lp.binary(prob, f"own_{pi}_{ji}")


def _owns_by_person(model: TeamModel) -> dict[int, list[int]]:
    by_person: dict[int, list[int]] = defaultdict(list)
    for pi, ji in model.own:
        by_person[pi].append(ji)
    return by_person


def _owners_by_responsibility(model: TeamModel) -> dict[int, list[tuple[int, Any]]]:
    by_resp: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for (pi, ji), var in model.own.items():
        by_resp[ji].append((pi, var))
    return by_resp


def one_seat_per_person(model: TeamModel) -> None:
    # A person holds at most one seat.
    seats_of: dict[int, list[Any]] = defaultdict(list)
    for (pi, _r), var in model.seat.items():
        seats_of[pi].append(var)
    for pi, seats in seats_of.items():
        if len(seats) > 1:
            lp.add_le(model.prob, [(v, 1.0) for v in seats], 1, f"one_seat_{pi}")


def fixed_roles(model: TeamModel) -> None:
    # A candidate with a fixed_role must be placed, in that role.
    for pi, person in enumerate(model.pool.people):
        if person.fixed_role is None:
            continue
        var = model.seat.get((pi, person.fixed_role))
        if var is None:
            # explain.py names why; here the model is simply made infeasible
            lp.add_ge(model.prob, [], 1, f"fixed_role_impossible_{pi}")
        else:
            lp.add_eq(model.prob, [(var, 1.0)], 1, f"fixed_role_{pi}")


def owner_holds_allowed_seat(model: TeamModel) -> None:
    # The owner's seat must be in the roles of the responsibility and of the candidate.
    for (pi, ji), var in model.own.items():
        roles = model.pool.ownable[pi, ji]
        seats = [(model.seat[pi, r], -1.0) for r in roles if (pi, r) in model.seat]
        lp.add_le(model.prob, [(var, 1.0), *seats], 0, f"owner_seated_{pi}_{ji}")


def seat_capacity(model: TeamModel) -> None:
    # Hours owned fit within role.capacity * availability of the seat held.
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
    # A seat owns at most max_responsibilities pieces of work (the role's, or the structure's).
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
    # Open requisitions of a role are interchangeable: fill them in order, busiest first.
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
    # A structure caps the seats of each role it allows.
    for role in model.limits.roles:
        cap = model.limits.role_caps.get(role)
        seats = [(var, 1.0) for (_pi, r), var in model.seat.items() if r == role]
        if cap is not None and len(seats) > cap:
            lp.add_le(model.prob, seats, cap, f"seats_of_{role}")


def headcount(model: TeamModel) -> None:
    # At most max_headcount seats are filled.
    cap = model.limits.max_headcount
    if cap is not None and len(model.pool.seat_roles) > cap:
        lp.add_le(model.prob, [(v, 1.0) for v in model.seat.values()], cap, "headcount")


def budget(model: TeamModel) -> None:
    # The team's total annual cost stays within the budget.
    if model.limits.budget is not None:
        terms = [(var, seat_cost(model, pi, r)) for (pi, r), var in model.seat.items()]
        lp.add_le(model.prob, terms, model.limits.budget, "budget")


def single_owner(model: TeamModel) -> None:
    # Each responsibility has at most one owner; with coverage `required`, exactly one.
    owners = _owners_by_responsibility(model)
    # Constraint names use indexes: ids may hold characters that solvers refuse.
    for ji in range(len(model.pool.resps)):
        terms = [(v, 1.0) for _pi, v in owners.get(ji, [])]
        if model.limits.coverage_required:
            lp.add_eq(model.prob, terms, 1, f"owner_of_{ji}")
        elif len(terms) > 1:
            lp.add_le(model.prob, terms, 1, f"owner_of_{ji}")


def products_per_seat(model: TeamModel) -> None:
    # A seat owns work of at most max_products_per_seat product lines.
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
    # Covered work takes whole seats: at least its count over the broadest seat, rounded up.
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


def coupling_handoffs(model: TeamModel) -> list[tuple[Any, float]]:
    # A coupling costs its handoff unless one person owns both ends; returns kept terms.
    index = {r.id: ji for ji, r in enumerate(model.pool.resps)}
    kept: list[tuple[Any, float]] = []
    for ci, coupling in enumerate(model.scenario.couplings):
        a, b = (index[x] for x in coupling.between)
        for pi in model.pool.seat_roles:
            own_a, own_b = model.own.get((pi, a)), model.own.get((pi, b))
            if own_a is None or own_b is None:
                continue
            var = lp.continuous(model.prob, f"keep_{pi}_{ci}", 0.0, 1.0)
            model.keep[pi, ci] = var
            lp.add_le(model.prob, [(var, 1.0), (own_a, -1.0)], 0, f"keep_a_{pi}_{ci}")
            lp.add_le(model.prob, [(var, 1.0), (own_b, -1.0)], 0, f"keep_b_{pi}_{ci}")
            kept.append((var, coupling.cost))
    return kept


def _at_most(model: TeamModel, column: Any, terms: list[tuple[Any, float]]) -> Any:
    """Add the row `column <= sum(terms)`, named after the column; returns the column."""
    lp.add_le(model.prob, [(column, 1.0)] + [(v, -c) for v, c in terms], 0, column.name)
    return column


def objectives(model: TeamModel, kept: list[tuple[Any, float]]) -> None:
    """The three priorities: coverage, then quality, then cost.

    The coverage and quality objectives are written on one column per responsibility
    (`covered[j]`, `fit_hours[j]`), each bounded by a row over its owners, rather than on
    the ownership columns themselves. The value is the same; what changes is what HiGHS
    sees: an objective over 100,000 ownership binaries makes its MIP set-up partition them
    into cliques (one per single-owner row), which at 300 x 1000 took longer than the
    whole time limit and could not be interrupted.
    """
    resps, pool = model.pool.resps, model.pool
    owners = _owners_by_responsibility(model)
    coverage: list[tuple[Any, float]] = []
    quality: list[tuple[Any, float]] = []
    for ji, resp in enumerate(resps):
        if not owners[ji]:
            continue
        if not model.limits.coverage_required:
            covered = lp.binary(model.prob, f"covered_{ji}")
            model.covered[ji] = _at_most(model, covered, [(v, 1.0) for _pi, v in owners[ji]])
            coverage.append((covered, resp.hours * resp.priority))
        worth = [(var, resp.hours * pool.fit[pi, ji]) for pi, var in owners[ji]]
        # at most one owner, so the owner's fit hours are at most the best of them
        best = max(w for _v, w in worth)
        fit_hours = lp.continuous(model.prob, f"fit_hours_{ji}", 0.0, best)
        model.fit_hours[ji] = _at_most(model, fit_hours, worth)
        quality.append((fit_hours, 1.0))
    # Likewise each coupling's handoff saving on one column: at most one person owns
    # both ends, so `kept[c] <= 1`, which bounds quality before any relaxation is solved.
    keeps: dict[int, list[tuple[Any, float]]] = defaultdict(list)
    for (_pi, ci), var in model.keep.items():
        keeps[ci].append((var, 1.0))
    for ci, coupling in enumerate(model.scenario.couplings):
        if keeps[ci]:
            together = lp.continuous(model.prob, f"kept_{ci}", 0.0, 1.0)
            model.kept[ci] = _at_most(model, together, keeps[ci])
            quality.append((together, coupling.cost))
    # What a plan is worth, read from its ownership and seats (solving._achieved); the
    # objectives and the stage floors use the per-responsibility columns.
    model.terms[Stage.COVERAGE] = [
        (var, resps[ji].hours * resps[ji].priority) for (_pi, ji), var in model.own.items()
    ]
    model.terms[Stage.QUALITY] = [
        (var, resps[ji].hours * pool.fit[pi, ji]) for (pi, ji), var in model.own.items()
    ] + kept
    model.terms[Stage.COST] = [
        (var, seat_cost(model, pi, r)) for (pi, r), var in model.seat.items()
    ]
    # Every coupling costs its handoff unless kept: quality = fit hours - all + kept.
    model.quality_constant = -sum(c.cost for c in model.scenario.couplings)
    model.coverage = lp.linear(coverage)
    model.quality = lp.linear(quality, constant=model.quality_constant)
    model.cost = lp.linear(model.terms[Stage.COST])


RULES = (
    one_seat_per_person,
    fixed_roles,
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


def build_model(scenario: Scenario, limits: Limits) -> TeamModel:
    """The whole model of `scenario` under `limits`, objectives included but not set."""
    model = TeamModel(
        scenario=scenario,
        limits=limits,
        pool=build_pool(scenario, limits),
        prob=lp.new_problem("orgplan", maximize=True),
    )
    add_variables(model)
    for rule in RULES:
        rule(model)
    if limits.coverage_required:
        seats_needed(model)
    objectives(model, coupling_handoffs(model))
    return model
