"""A plain reference formulation of the orgplan problem, for the benchmarks only.

This is the model one writes straight from docs/scenario-format.md, with none of
orgplan's reductions, so that the runner can show what orgplan's formulation buys:

- one binary `x[p, r]` for EVERY person and role and one binary `y[p, j]` for EVERY person
  and responsibility (people: every candidate, then every open requisition);
- what a rule forbids is a constraint, not a missing variable: `x[p, r] <= 0` for a role
  the person refuses, whose floors they miss, or that is not an open requisition's own
  role; `y[p, j] <= 0` for work a person is not eligible for (needs beyond
  `max_skill_gap`);
- one seat per person, the owner holds a seat allowed for the work
  (`y[p, j] <= sum_{r in roles(j)} x[p, r]`), capacity x availability, breadth caps,
  single owner, headcount, budget, structure caps, product focus;
- no symmetry breaking among identical open requisitions;
- handoffs in the per-person maximum form: `split[c] >= y[p, j] - y[p, k]` and
  `split[c] >= y[p, k] - y[p, j]` for every person p, plus `split[c] >= 1 - sum_p y[p, j]`
  (and for k) because an uncovered end counts as a different owner; quality pays
  `cost_c * split[c]`;
- the same three stages as orgplan (coverage, quality with the same 1% tolerance, cost),
  three solves with the same warm start, through the same adapter
  (`orgplan.pulp_compat`), so that only the formulation differs.

Its optimum equals orgplan's: `benchmarks/run.py` checks that on size S.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from orgplan.domain.rules import candidate_cost, candidate_levels, fit, is_eligible, meets_floors
from orgplan.model import resolve_limits
from orgplan.scenario.format import Scenario
from orgplan.solvers import lp

try:  # the same tolerances as orgplan's own lexicographic solve
    from orgplan.solving.options import QUALITY_TOLERANCE
    from orgplan.solving.stages import COVERAGE_SLACK
except ImportError:  # pragma: no cover - solving.py being reworked
    COVERAGE_SLACK, QUALITY_TOLERANCE = 1e-7, 0.01

# Shares of what remains of a time limit for each stage, as orgplan's solving.py has them.
STAGE_SHARE = {"coverage": 0.5, "quality": 2 / 3, "cost": 1.0}


@dataclass
class RefPerson:
    key: str
    levels: dict[str, float]
    availability: float
    roles: tuple[str, ...]  # roles this person may sit in (the rest are forced to 0)
    costs: dict[str, float]
    fixed_role: str | None
    excluded: bool


@dataclass
class ReferenceModel:
    """The built reference model: problem, variables and objective terms."""

    prob: Any
    people: list[RefPerson]
    x: dict[tuple[int, str], Any] = field(default_factory=dict)
    y: dict[tuple[int, int], Any] = field(default_factory=dict)
    split: dict[int, Any] = field(default_factory=dict)
    terms: dict[str, list[tuple[Any, float]]] = field(default_factory=dict)
    quality_constant: float = 0.0
    build_seconds: float = 0.0


def ref_people(scenario: Scenario) -> list[RefPerson]:
    """Every candidate (excluded ones too: exclusion is a constraint), then every open req."""
    out: list[RefPerson] = []
    for cand in scenario.candidates:
        levels = candidate_levels(cand, scenario)
        wanted = cand.roles if cand.roles is not None else tuple(scenario.roles)
        roles = tuple(
            r
            for r in scenario.roles
            if r in wanted and meets_floors(levels, scenario.roles[r].floors)
        )
        out.append(
            RefPerson(
                key=cand.id,
                levels=levels,
                availability=cand.availability,
                roles=roles,
                costs={r: candidate_cost(cand, role) for r, role in scenario.roles.items()},
                fixed_role=cand.fixed_role,
                excluded=cand.exclude,
            )
        )
    for rid, role in scenario.roles.items():
        profile = {s: float(role.profile().get(s, 0.0)) for s in scenario.skills}
        for number in range(1, role.open_reqs + 1):
            out.append(
                RefPerson(
                    key=f"open:{rid}:{number}",
                    levels=profile,
                    availability=1.0,
                    roles=(rid,),
                    costs={r: role.cost for r in scenario.roles},
                    fixed_role=None,
                    excluded=False,
                )
            )
    return out


def build(scenario: Scenario, structure: str | None = None) -> ReferenceModel:
    """The plain model: all pairs, every rule as rows."""
    started = time.perf_counter()
    limits = resolve_limits(scenario, structure)
    people = ref_people(scenario)
    resps = list(scenario.responsibilities)
    roles = list(scenario.roles)
    prob = lp.new_problem("reference", maximize=True)
    m = ReferenceModel(prob=prob, people=people)

    for pi in range(len(people)):
        for ri, r in enumerate(roles):
            m.x[pi, r] = lp.binary(prob, f"x_{pi}_{ri}")
        for ji in range(len(resps)):
            m.y[pi, ji] = lp.binary(prob, f"y_{pi}_{ji}")

    n_resps = len(resps)
    for pi, person in enumerate(people):
        # one seat per person
        lp.add_le(prob, [(m.x[pi, r], 1.0) for r in roles], 1, f"one_seat_{pi}")
        # seats the person may not hold: refused, floors missed, excluded, not in structure
        for ri, r in enumerate(roles):
            allowed = (
                r in person.roles
                and r in limits.roles
                and limits.role_caps.get(r) != 0
                and not person.excluded
            )
            if not allowed:
                lp.add_le(prob, [(m.x[pi, r], 1.0)], 0, f"no_seat_{pi}_{ri}")
        if person.fixed_role is not None:
            lp.add_eq(prob, [(m.x[pi, person.fixed_role], 1.0)], 1, f"fixed_{pi}")
        for ji, resp in enumerate(resps):
            # eligibility
            if not is_eligible(person.levels, resp.needs, limits.max_skill_gap):
                lp.add_le(prob, [(m.y[pi, ji], 1.0)], 0, f"ineligible_{pi}_{ji}")
            # the owner holds a seat allowed for the work
            work_roles = resp.roles if resp.roles is not None else tuple(roles)
            lp.add_le(
                prob,
                [(m.y[pi, ji], 1.0)] + [(m.x[pi, r], -1.0) for r in work_roles],
                0,
                f"owner_seated_{pi}_{ji}",
            )
        # capacity x availability
        lp.add_le(
            prob,
            [(m.y[pi, ji], resp.hours) for ji, resp in enumerate(resps)]
            + [(m.x[pi, r], -scenario.roles[r].capacity * person.availability) for r in roles],
            0,
            f"capacity_{pi}",
        )
        # breadth caps
        if any(limits.breadth.get(r) is not None for r in roles):
            caps = [limits.breadth.get(r) for r in roles]
            lp.add_le(
                prob,
                [(m.y[pi, ji], 1.0) for ji in range(n_resps)]
                + [
                    (m.x[pi, r], -float(n_resps if cap is None else cap))
                    for r, cap in zip(roles, caps, strict=True)
                ],
                0,
                f"breadth_{pi}",
            )

    # single owner / coverage required
    for ji in range(n_resps):
        terms = [(m.y[pi, ji], 1.0) for pi in range(len(people))]
        if limits.coverage_required:
            lp.add_eq(prob, terms, 1, f"owner_of_{ji}")
        else:
            lp.add_le(prob, terms, 1, f"owner_of_{ji}")

    # structure caps, headcount, budget
    for r in roles:
        cap = limits.role_caps.get(r)
        if r in limits.roles and cap is not None:
            lp.add_le(prob, [(m.x[pi, r], 1.0) for pi in range(len(people))], cap, f"cap_{r}")
    if limits.max_headcount is not None:
        lp.add_le(prob, [(v, 1.0) for v in m.x.values()], limits.max_headcount, "headcount")
    cost_terms = [(var, people[pi].costs[r]) for (pi, r), var in m.x.items()]
    if limits.budget is not None:
        lp.add_le(prob, cost_terms, limits.budget, "budget")

    # product focus
    if limits.max_products is not None:
        lines = sorted({r.product for r in resps if r.product is not None})
        for pi in range(len(people)):
            focus = {g: lp.binary(prob, f"focus_{pi}_{k}") for k, g in enumerate(lines)}
            for ji, resp in enumerate(resps):
                if resp.product is not None:
                    lp.add_le(
                        prob,
                        [(m.y[pi, ji], 1.0), (focus[resp.product], -1.0)],
                        0,
                        f"focus_{pi}_{ji}",
                    )
            lp.add_le(
                prob, [(v, 1.0) for v in focus.values()], limits.max_products, f"products_{pi}"
            )

    # handoffs: the per-person maximum form
    index = {r.id: ji for ji, r in enumerate(resps)}
    split_terms: list[tuple[Any, float]] = []
    for ci, coupling in enumerate(scenario.couplings):
        a, b = (index[x] for x in coupling.between)
        s = lp.continuous(prob, f"split_{ci}", 0.0, 1.0)
        m.split[ci] = s
        split_terms.append((s, -coupling.cost))
        for pi in range(len(people)):
            lp.add_ge(
                prob, [(s, 1.0), (m.y[pi, a], -1.0), (m.y[pi, b], 1.0)], 0, f"split_ab_{ci}_{pi}"
            )
            lp.add_ge(
                prob, [(s, 1.0), (m.y[pi, b], -1.0), (m.y[pi, a], 1.0)], 0, f"split_ba_{ci}_{pi}"
            )
        for end in (a, b):
            lp.add_ge(
                prob,
                [(s, 1.0)] + [(m.y[pi, end], 1.0) for pi in range(len(people))],
                1,
                f"split_uncovered_{ci}_{end}",
            )

    m.terms["coverage"] = [
        (var, resps[ji].hours * resps[ji].priority) for (_pi, ji), var in m.y.items()
    ]
    m.terms["quality"] = [
        (var, resps[ji].hours * fit(people[pi].levels, resps[ji].needs))
        for (pi, ji), var in m.y.items()
    ] + split_terms
    m.terms["cost"] = cost_terms
    m.build_seconds = time.perf_counter() - started
    return m


def solve(
    scenario: Scenario,
    solver: str = "highs",
    time_limit: float | None = None,
    structure: str | None = None,
    quality_tolerance: float = QUALITY_TOLERANCE,
    on_stage: Any = None,
) -> dict[str, Any]:
    """Build and solve the reference in three stages; returns timings, sizes and values.

    `on_stage(name, record)` is called after each stage (the runner logs progress with it).
    """
    started = time.perf_counter()
    model = build(scenario, structure)
    prob = model.prob
    limits = resolve_limits(scenario, structure)
    result: dict[str, Any] = {
        "build_seconds": model.build_seconds,
        "variables": len(prob.variables()),
        "constraints": len(prob.constraints),
        "stages": [],
    }
    if on_stage is not None:
        on_stage("build", dict(result))
    plan = [("coverage", True), ("quality", True), ("cost", False)]
    if limits.coverage_required:
        plan = plan[1:]
    values: dict[str, float] | None = None
    for name, maximize in plan:
        remaining = None
        if time_limit is not None:
            left = time_limit - (time.perf_counter() - started)
            remaining = max(0.1, left * STAGE_SHARE[name])
        constant = 0.0 if name != "quality" else model.quality_constant
        lp.set_objective(prob, lp.linear(model.terms[name], constant=constant), maximize)
        outcome = lp.run(prob, solver, remaining, warm=values)
        record = {
            "name": name,
            "status": None if outcome.status is None else str(outcome.status),
            "value": outcome.objective,
            "bound": outcome.bound,
            "gap": outcome.gap,
            "seconds": outcome.seconds,
        }
        result["stages"].append(record)
        if on_stage is not None:
            on_stage(name, record)
        if outcome.objective is None:
            break
        values = lp.snapshot(prob)
        if name == "coverage":
            floor = outcome.objective - COVERAGE_SLACK * max(1.0, abs(outcome.objective))
            lp.add_ge(prob, model.terms["coverage"], floor, "keep_coverage")
        elif name == "quality":
            floor = outcome.objective - quality_tolerance * abs(outcome.objective) - 1e-7
            lp.add_ge(prob, model.terms["quality"], floor, "keep_quality")
    result["seconds"] = time.perf_counter() - started
    if values is not None:
        seats = sum(1 for (_pi, _r), v in model.x.items() if values.get(v.name, 0.0) > 0.5)
        owners: dict[int, int] = defaultdict(int)
        for (_pi, ji), v in model.y.items():
            if values.get(v.name, 0.0) > 0.5:
                owners[ji] += 1
        result["headcount"] = seats
        result["covered"] = len(owners)
    return result
