"""An independent plan checker: re-derives every rule of a plan from the scenario alone.

Nothing here imports the planner (`model.py`, `solving.py`, `domain.py`): levels,
eligibility, floors, fit, gaps, limits and KPIs are re-implemented from
docs/scenario-format.md and docs/output-formats.md in a few lines each, so that a bug
in the planner is not silently shared by the check. `check_plan` raises one
`AssertionError` that lists every violation it found.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

# The built-in backgrounds (docs/scenario-format.md), copied by hand (not imported).
DOMAIN_SKILLS = (
    "domain",
    "communication",
    "decision_making",
    "business",
    "technical",
    "empathy",
    "judgement",
    "negotiation",
    "sales",
)
DOMAIN_BACKGROUNDS = {
    "qa_tester": (2, 2, 2, 1, 4, 3, 3, 1, 1),
    "software_engineer": (2, 2, 3, 1, 5, 2, 3, 1, 1),
    "sales_engineer": (3, 4, 3, 3, 4, 3, 3, 3, 4),
    "business_analyst": (3, 4, 3, 4, 3, 3, 3, 2, 2),
    "sales": (3, 5, 3, 3, 1, 3, 3, 5, 5),
    "marketing": (3, 5, 3, 3, 1, 3, 3, 2, 3),
    "customer_support": (3, 4, 2, 2, 3, 5, 3, 2, 2),
    "consultant": (3, 4, 4, 4, 2, 3, 4, 3, 3),
    "project_manager": (2, 4, 3, 2, 2, 3, 3, 3, 1),
    "product_manager": (4, 4, 4, 4, 3, 3, 4, 3, 2),
}

# The contract's keys (cli-and-output.md); the plan may add keys, never drop these.
PLAN_KEYS = {
    "format",
    "scenario",
    "structure",
    "solver",
    "seats",
    "assignments",
    "uncovered",
    "kpis",
}
SOLVER_KEYS = {"name", "status", "gap", "seconds"}
SEAT_KEYS = {
    "seat",
    "role",
    "candidate",
    "open_req",
    "cost",
    "capacity_hours",
    "hours",
    "responsibilities",
}
ASSIGNMENT_KEYS = {"responsibility", "seat", "candidate", "hours", "fit", "gaps"}
UNCOVERED_KEYS = {"responsibility", "hours", "reason"}
KPI_KEYS = {
    "headcount",
    "total_cost",
    "total_hours",
    "covered_hours",
    "coverage",
    "mean_fit",
    "handoff_cost",
    "max_utilization",
}
STATUSES = {"optimal", "feasible", "infeasible"}

LEVEL_EPS = 1e-9  # levels are whole or half steps
NUM_EPS = 1e-6  # hours and money: JSON numbers are rounded to 6 decimals
RATIO_EPS = 1.0001e-4  # fits and ratios: JSON rounds them to 4 decimals

# ---- the domain rules, re-implemented from scenario-format.md --------------------------


def background_table(scenario: Any) -> dict[str, dict[str, float]]:
    """The built-in backgrounds with the file's additions and overrides on top."""
    table = {
        name: dict(zip(DOMAIN_SKILLS, map(float, row), strict=True))
        for name, row in DOMAIN_BACKGROUNDS.items()
    }
    for name, levels in scenario.backgrounds.items():
        table.setdefault(name, {}).update({k: float(v) for k, v in levels.items()})
    return table


def levels_of(scenario: Any, cand: Any) -> dict[str, float]:
    """A candidate's level of a skill: `skills`, else the background's level, else 0."""
    background = background_table(scenario).get(cand.background or "", {})
    return {
        skill: float(cand.skills.get(skill, background.get(skill, 0.0)))
        for skill in scenario.skills
    }


def hire_levels(scenario: Any, role_id: str) -> dict[str, float]:
    """An open requisition's levels: the role's hire_profile, else its floors."""
    role = scenario.roles[role_id]
    profile = role.floors if role.hire_profile is None else role.hire_profile
    return {skill: float(profile.get(skill, 0.0)) for skill in scenario.skills}


def level(levels: dict[str, float], skill: str) -> float:
    return levels.get(skill, 0.0)


def floor_misses(levels: dict[str, float], floors: Any) -> dict[str, float]:
    return {s: f for s, f in floors.items() if level(levels, s) + LEVEL_EPS < f}


def eligible(levels: dict[str, float], needs: Any, max_gap: float) -> bool:
    return all(level(levels, s) + LEVEL_EPS >= n - max_gap for s, n in needs.items())


def fit_of(levels: dict[str, float], needs: Any) -> float:
    total = sum(needs.values())
    if total <= 0:
        return 1.0
    return sum(min(level(levels, s), n) for s, n in needs.items()) / total


def gaps_of(levels: dict[str, float], needs: Any) -> dict[str, float]:
    return {s: n - level(levels, s) for s, n in needs.items() if n - level(levels, s) > LEVEL_EPS}


# ---- the limits of one structure --------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """The hard limits in force: the scenario's policy with a structure applied."""

    roles: tuple[str, ...]
    caps: dict[str, int | None]
    breadth: dict[str, int | None]
    budget: float | None
    headcount: int | None


def rules_for(scenario: Any, structure: str | None) -> Rules:
    policy = scenario.policy
    breadth = {r: role.max_responsibilities for r, role in scenario.roles.items()}
    if structure is None:
        return Rules(
            tuple(scenario.roles),
            dict.fromkeys(scenario.roles),
            breadth,
            policy.budget,
            policy.max_headcount,
        )
    if structure not in scenario.structures:
        assert structure == "superhero", f"unknown structure {structure}"
        first = next(iter(scenario.roles))
        return Rules((first,), {first: 1}, {first: None}, policy.budget, policy.max_headcount)
    shape = scenario.structures[structure]
    given = shape.model_fields_set
    roles = tuple(shape.roles)
    if "max_responsibilities" in given:
        breadth = dict.fromkeys(roles, shape.max_responsibilities)
    return Rules(
        roles,
        dict(shape.roles),
        {r: breadth[r] for r in roles},
        shape.budget if "budget" in given else policy.budget,
        shape.max_headcount if "max_headcount" in given else policy.max_headcount,
    )


# ---- the check --------------------------------------------------------------------------


def _close(a: Any, b: float, eps: float = NUM_EPS) -> bool:
    return isinstance(a, int | float) and math.isclose(float(a), b, rel_tol=1e-9, abs_tol=eps)


def check_plan(
    scenario: Any,
    plan: Any,
    structure: str | None = None,
    quality_tolerance: float = 0.01,
) -> None:
    """Raise AssertionError listing every way `plan` breaks the rules of `scenario`
    (a plan over a horizon: `checker_time.check_timed_plan`)."""
    if scenario.horizon is not None:
        from checker_time import check_timed_plan

        check_timed_plan(scenario, plan, structure, quality_tolerance)
        return
    errors: list[str] = []
    err = errors.append
    data = plan.to_json()
    try:
        if json.loads(json.dumps(data, allow_nan=False)) != data:
            err("plan JSON does not survive a round trip")
    except (TypeError, ValueError) as exc:
        err(f"plan JSON is not serialisable: {exc}")

    _check_keys(data, err)
    if errors:
        raise AssertionError("plan breaks the output contract:\n- " + "\n- ".join(errors))

    rules = rules_for(scenario, structure)
    policy = scenario.policy
    resps = {r.id: r for r in scenario.responsibilities}
    cands = {c.id: c for c in scenario.candidates}

    if data["format"] != "orgplan.plan/1":
        err(f"format is {data['format']!r}")
    if data["scenario"] != scenario.name:
        err(f"scenario is {data['scenario']!r}, expected {scenario.name!r}")
    if structure is not None and data["structure"] != structure:
        err(f"structure is {data['structure']!r}, expected {structure!r}")
    if data["solver"]["status"] not in STATUSES - {"infeasible"}:
        err(f"a plan with solver status {data['solver']['status']!r}")

    # ---- seats ------------------------------------------------------------------------
    seat_by_name: dict[str, dict[str, Any]] = {}
    seat_levels: dict[str, dict[str, float]] = {}
    seat_capacity: dict[str, float] = {}
    seat_cost: dict[str, float] = {}
    placed: Counter[str] = Counter()
    per_role: Counter[str] = Counter()
    reqs_per_role: Counter[str] = Counter()
    for seat in data["seats"]:
        name, rid = seat["seat"], seat["role"]
        where = f"seat {name}"
        if name in seat_by_name:
            err(f"{where}: seat name used twice")
        seat_by_name[name] = seat
        if rid not in scenario.roles:
            err(f"{where}: unknown role {rid!r}")
            continue
        role = scenario.roles[rid]
        per_role[rid] += 1
        if rid not in rules.roles:
            err(f"{where}: role {rid} is not allowed by the structure")
        if seat["candidate"] is None:
            if seat["open_req"] is not True:
                err(f"{where}: no candidate but open_req is {seat['open_req']!r}")
            reqs_per_role[rid] += 1
            levels = hire_levels(scenario, rid)
            availability = 1.0
            cost = role.cost + (role.hire_cost if scenario.horizon is None else 0.0)
        else:
            cid = seat["candidate"]
            placed[cid] += 1
            if seat["open_req"] is not False:
                err(f"{where}: candidate {cid} but open_req is {seat['open_req']!r}")
            cand = cands.get(cid)
            if cand is None:
                err(f"{where}: unknown candidate {cid!r}")
                continue
            if cand.exclude:
                err(f"{where}: {cid} is excluded but placed")
            if cand.roles is not None and rid not in cand.roles:
                err(f"{where}: {cid} does not take role {rid} (takes {list(cand.roles)})")
            levels = levels_of(scenario, cand)
            availability = cand.availability
            cost = role.cost if cand.cost is None else cand.cost
            cost += cand.backfill_cost if scenario.horizon is None else 0.0  # one-off, snapshot
        missed = floor_misses(levels, role.floors)
        if missed:
            err(f"{where}: floors of {rid} not met: {missed}")
        seat_levels[name] = levels
        seat_cost[name] = cost
        seat_capacity[name] = role.capacity * availability
        if not _close(seat["cost"], cost):
            err(f"{where}: cost {seat['cost']}, expected {cost}")
        if not _close(seat["capacity_hours"], role.capacity * availability):
            err(
                f"{where}: capacity_hours {seat['capacity_hours']}, "
                f"expected {role.capacity * availability}"
            )
        owned = seat["responsibilities"]
        if len(set(owned)) != len(owned):
            err(f"{where}: a responsibility listed twice: {owned}")
        unknown = [j for j in owned if j not in resps]
        if unknown:
            err(f"{where}: unknown responsibilities {unknown}")
        owned = [j for j in owned if j in resps]
        hours = sum(resps[j].hours for j in owned)
        if not _close(seat["hours"], hours):
            err(f"{where}: hours {seat['hours']}, expected {hours}")
        if hours > role.capacity * availability + NUM_EPS:
            err(f"{where}: {hours} h over capacity {role.capacity * availability}")
        cap = rules.breadth.get(rid, role.max_responsibilities)
        if cap is not None and len(owned) > cap:
            err(f"{where}: owns {len(owned)} responsibilities, breadth cap {cap}")
        if policy.max_products_per_seat is not None:
            lines = {resps[j].product for j in owned} - {None}
            if len(lines) > policy.max_products_per_seat:
                err(
                    f"{where}: {len(lines)} product lines {sorted(lines)}, "
                    f"max_products_per_seat {policy.max_products_per_seat}"
                )

    for cid, count in placed.items():
        if count > 1:
            err(f"{cid} holds {count} seats")
    for rid, count in per_role.items():
        cap = rules.caps.get(rid)
        if cap is not None and count > cap:
            err(f"{count} {rid} seats, the structure allows {cap}")
    for rid, count in reqs_per_role.items():
        if count > scenario.roles[rid].open_reqs:
            err(f"{count} open requisitions of {rid}, open_reqs is {scenario.roles[rid].open_reqs}")
    total_cost = sum(seat_cost.values())
    if rules.budget is not None and total_cost > rules.budget + NUM_EPS:
        err(f"total cost {total_cost} over the budget {rules.budget}")
    check_headcount_and_fixed_roles(scenario, data, rules, err)

    # ---- assignments and uncovered work -------------------------------------------------
    seen: Counter[str] = Counter()
    owner: dict[str, str] = {}
    weighted_fit = 0.0
    for a in data["assignments"]:
        jid, name = a["responsibility"], a["seat"]
        where = f"assignment of {jid}"
        seen[jid] += 1
        resp = resps.get(jid)
        seat = seat_by_name.get(name)
        if resp is None or seat is None:
            err(f"{where}: unknown responsibility or seat {name!r}")
            continue
        owner[jid] = name
        if a["candidate"] != seat["candidate"]:
            err(f"{where}: candidate {a['candidate']!r}, the seat holds {seat['candidate']!r}")
        if jid not in seat["responsibilities"]:
            err(f"{where}: seat {name} does not list it")
        if resp.roles is not None and seat["role"] not in resp.roles:
            err(f"{where}: a {seat['role']} seat may not own it (roles {list(resp.roles)})")
        if not _close(a["hours"], resp.hours):
            err(f"{where}: hours {a['hours']}, expected {resp.hours}")
        levels = seat_levels.get(name)
        if levels is None:
            continue
        if not eligible(levels, resp.needs, policy.max_skill_gap):
            err(
                f"{where}: {name} is not eligible (needs {dict(resp.needs)}, "
                f"max_skill_gap {policy.max_skill_gap}, gaps {gaps_of(levels, resp.needs)})"
            )
        fit = fit_of(levels, resp.needs)
        weighted_fit += resp.hours * fit
        if not _close(a["fit"], fit, RATIO_EPS):
            err(f"{where}: fit {a['fit']}, expected {fit}")
        gaps = gaps_of(levels, resp.needs)
        given = a["gaps"]
        if set(given) != set(gaps) or any(not _close(given[s], g) for s, g in gaps.items()):
            err(f"{where}: gaps {given}, expected {gaps}")
    for seat in data["seats"]:
        for jid in seat["responsibilities"]:
            if owner.get(jid) != seat["seat"]:
                err(f"seat {seat['seat']} lists {jid}, whose assignment says {owner.get(jid)}")
    for u in data["uncovered"]:
        jid = u["responsibility"]
        seen[jid] += 1
        if jid not in resps:
            err(f"uncovered {jid!r} is not a responsibility")
            continue
        if not _close(u["hours"], resps[jid].hours):
            err(f"uncovered {jid}: hours {u['hours']}, expected {resps[jid].hours}")
        if not isinstance(u["reason"], str) or not u["reason"].strip():
            err(f"uncovered {jid}: no reason given")
    for jid in resps:
        if seen[jid] != 1:
            err(f"{jid} appears {seen[jid]} times in assignments and uncovered, not once")
    if policy.coverage == "required" and data["uncovered"]:
        err(
            f"coverage is required but {[u['responsibility'] for u in data['uncovered']]} "
            "are uncovered"
        )

    # ---- decisions (format 1.1), re-read from the scenario ----------------------------------
    decisions = getattr(scenario, "decisions", None)
    if decisions is not None:
        _check_decisions(decisions, data, owner, err)

    # ---- KPIs ---------------------------------------------------------------------------
    total_hours = sum(r.hours for r in scenario.responsibilities)
    covered = sum(resps[j].hours for j in owner)
    handoff = sum(
        c.cost
        for c in scenario.couplings
        if owner.get(c.between[0]) is None or owner.get(c.between[0]) != owner.get(c.between[1])
    )
    utilizations = [
        sum(resps[j].hours for j in s["responsibilities"] if j in resps) / seat_capacity[s["seat"]]
        for s in data["seats"]
        if s["seat"] in seat_capacity
    ]
    expected = {
        "headcount": (len(data["seats"]), 0.0),
        "total_cost": (total_cost, NUM_EPS),
        "total_hours": (total_hours, NUM_EPS),
        "covered_hours": (covered, NUM_EPS),
        "coverage": (covered / total_hours, RATIO_EPS),
        "mean_fit": (weighted_fit / covered if covered else 0.0, RATIO_EPS),
        "handoff_cost": (handoff, NUM_EPS),
        "max_utilization": (max(utilizations, default=0.0), RATIO_EPS),
    }
    for key, (value, eps) in expected.items():
        if not _close(data["kpis"][key], value, eps):
            err(f"kpis.{key} is {data['kpis'][key]}, expected {value}")
    if not math.isclose(plan.kpis.quality, weighted_fit - handoff, abs_tol=1e-6):
        err(f"kpis.quality is {plan.kpis.quality}, expected {weighted_fit - handoff}")

    # ---- the solver's stages agree with the plan: never silently worse than reported ------
    covered_weight = sum(resps[j].hours * resps[j].priority for j in owner)
    quality = weighted_fit - handoff
    for s in plan.solver.stages:
        ran = s.seconds > 0 or s.bound is not None  # a stage cut by the time limit: neither
        if not ran:
            if s.status.value == "optimal":
                err(f"{s.objective} stage never ran but says optimal")
            continue
        optimal = s.status.value == "optimal"
        if s.objective == "coverage":
            # later stages keep at least what this stage reached (more, if it was cut short)
            low = s.value - 1e-6 * max(1.0, abs(s.value))
            top = s.value if optimal else s.bound
            if covered_weight < low or (
                top is not None and covered_weight > top + 1e-6 * max(1.0, abs(top))
            ):
                err(
                    f"coverage stage reached {s.value} (best possible {top}), the plan covers "
                    f"{covered_weight} hours x priority"
                )
        elif s.objective == "quality":
            if quality < s.value - quality_tolerance * abs(s.value) - 1e-6:
                err(f"plan quality {quality} is below the tolerated floor of {s.value}")
            top = s.value if optimal else s.bound
            if top is not None and quality > top + 1e-6 * max(1.0, abs(top)):
                err(f"plan quality {quality} beats the quality stage's proven best {top}")
        elif s.objective == "cost":
            if not math.isclose(s.value, total_cost, rel_tol=1e-9, abs_tol=1e-6):
                err(f"cost stage reached {s.value}, the plan costs {total_cost}")
            if s.bound is not None and s.bound > s.value + 1e-6 * max(1.0, abs(s.value)):
                err(f"cost stage bound {s.bound} above its value {s.value}")
        if optimal and s.gap is not None and s.gap > 1e-6:
            err(f"{s.objective} stage says optimal with a gap of {s.gap}")
    if plan.solver.status.value == "optimal" and any(
        s.status.value != "optimal" for s in plan.solver.stages
    ):
        err("the plan says optimal but a stage does not")

    if errors:
        raise AssertionError(
            f"plan of {scenario.name!r} ({structure}) breaks {len(errors)} rule(s):\n- "
            + "\n- ".join(errors)
        )


def check_headcount_and_fixed_roles(
    scenario: Any, data: dict[str, Any], rules: Rules, err: Any
) -> None:
    """The seats within max_headcount; each fixed-role candidate in their role, once."""
    if rules.headcount is not None and len(data["seats"]) > rules.headcount:
        err(f"{len(data['seats'])} seats, max_headcount {rules.headcount}")
    for cand in scenario.candidates:
        if cand.fixed_role is not None and not cand.exclude:
            roles = [s["role"] for s in data["seats"] if s["candidate"] == cand.id]
            if roles != [cand.fixed_role]:
                err(f"{cand.id} is fixed to {cand.fixed_role} but sits in {roles}")


def _check_decisions(decisions: Any, data: dict[str, Any], owner: dict[str, str], err: Any) -> None:
    """Every decision holds in the plan, and the plan records them as given."""
    seats_of: dict[str, list[str]] = defaultdict(list)
    for seat in data["seats"]:
        if seat["candidate"] is not None:
            seats_of[seat["candidate"]].append(seat["role"])
    for cid, role in decisions.place.items():
        if seats_of.get(cid) != [role]:
            err(f"{cid} is placed as {role} by a decision but sits in {seats_of.get(cid, [])}")
    for cid in decisions.exclude:
        if cid in seats_of:
            err(f"{cid} is excluded by a decision but sits in {seats_of[cid]}")
    by_resp = {a["responsibility"]: a["candidate"] for a in data["assignments"]}
    for rid, cid in decisions.assign.items():
        if by_resp.get(rid) != cid or rid not in owner:
            err(f"{rid} is assigned to {cid} by a decision but owned by {by_resp.get(rid)}")
    for group in decisions.keep_together:
        owners = {owner.get(rid) for rid in group}
        if len(owners) != 1:
            err(f"{list(group)} are kept together by a decision but owned by {owners}")
    recorded = data.get("decisions")
    expected = {
        "place": dict(decisions.place),
        "exclude": list(decisions.exclude),
        "assign": dict(decisions.assign),
        "keep_together": [list(g) for g in decisions.keep_together],
    }
    if recorded != expected:
        err(f"the plan records the decisions {recorded}, expected {expected}")


def _check_keys(data: dict[str, Any], err: Any) -> None:
    """Every key the contract names is there, with the right kind of value."""

    def need(keys: set[str], item: Any, where: str) -> None:
        if not isinstance(item, dict):
            err(f"{where} is not an object")
            return
        missing = keys - set(item)
        if missing:
            err(f"{where} lacks {sorted(missing)}")

    need(PLAN_KEYS, data, "plan")
    if not isinstance(data, dict) or PLAN_KEYS - set(data):
        return
    need(SOLVER_KEYS, data["solver"], "solver")
    need(KPI_KEYS, data["kpis"], "kpis")
    for key in ("seats", "assignments", "uncovered"):
        if not isinstance(data[key], list):
            err(f"{key} is not a list")
            return
    for i, seat in enumerate(data["seats"]):
        need(SEAT_KEYS, seat, f"seats[{i}]")
    for i, a in enumerate(data["assignments"]):
        need(ASSIGNMENT_KEYS, a, f"assignments[{i}]")
        if isinstance(a, dict) and not isinstance(a.get("gaps"), dict):
            err(f"assignments[{i}].gaps is not an object")
    for i, u in enumerate(data["uncovered"]):
        need(UNCOVERED_KEYS, u, f"uncovered[{i}]")
    solver = data["solver"]
    if isinstance(solver, dict) and not SOLVER_KEYS - set(solver):
        if solver["status"] not in STATUSES:
            err(f"solver.status {solver['status']!r} is not one of {sorted(STATUSES)}")
        if solver["gap"] is not None and not isinstance(solver["gap"], int | float):
            err(f"solver.gap {solver['gap']!r} is not a number")


def owners_by_seat(plan: Any) -> dict[str, list[str]]:
    """Seat name -> the responsibilities it owns (a convenience for tests)."""
    out: dict[str, list[str]] = defaultdict(list)
    for a in plan.assignments:
        out[a.seat].append(a.responsibility)
    return dict(out)
