"""Why a plan cannot be made, or leaves work uncovered, said in business terms.

`certain_reasons` finds limits that cannot be met whatever the solver does (cheap checks
on the scenario alone); `diagnose` and `suggestions` relax one limit at a time and
re-solve, to name the smallest change that would make the scenario feasible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from orgplan.domain.rules import (
    Person,
    candidate_levels,
    fit,
    gaps,
    is_eligible,
    meets_floors,
    placement_cost,
    reachable,
)
from orgplan.formatting import article, counted, hours, money, percent
from orgplan.model import Limits, Pool, build_model, build_pool, capacity
from orgplan.model.development import development_reach
from orgplan.model.pool import skill_gap
from orgplan.scenario.format import Responsibility, Scenario

# Relaxation re-solves are for explanation only: keep each one short.
_RELAX_SECONDS = 10.0

# The most people named in one suggestion (the rest are counted).
_MOST_NAMED = 5


def _levels(levels: dict[str, float]) -> str:
    return ", ".join(f"{skill} {level:g}" for skill, level in levels.items())


def _shortfalls(person_levels: Mapping[str, float], needs: dict[str, float]) -> str:
    """`negotiation 2 short (has 1, needs 3)` for every need a person misses."""
    levels = dict(person_levels)
    short = gaps(levels, needs)
    return "; ".join(
        f"{skill} {gap:g} short (has {levels.get(skill, 0.0):g}, needs {needs[skill]:g})"
        for skill, gap in short.items()
    )


# ---- why one responsibility has no possible owner -------------------------------------


def _allowed_roles(scenario: Scenario, resp: Responsibility) -> tuple[str, ...]:
    return resp.roles if resp.roles is not None else tuple(scenario.roles)


def no_owner_reason(scenario: Scenario, limits: Limits, pool: Pool, ji: int) -> str | None:
    """Why nobody at all may own responsibility `ji`, or None when someone may (with
    `policy.development`, not even a candidate grown into its needs)."""
    resp = pool.resps[ji]
    if any(key[1] == ji and key[0] in pool.seat_roles for key in pool.ownable):
        return None
    reach = development_reach(scenario)
    roles = [
        r
        for r in _allowed_roles(scenario, resp)
        if r in limits.roles and limits.role_caps.get(r) != 0
    ]
    label = f"'{resp.label}'"
    if not roles:
        return (
            f"{label} may only be owned by {_seat_of(_allowed_roles(scenario, resp))}, "
            f"and structure '{limits.structure}' has none"
        )
    biggest = max(scenario.roles[r].capacity for r in roles)
    if resp.hours > biggest:
        needs = hours(resp.hours, "h/week")
        return f"{label} needs {needs}, more than any seat that may own it holds"
    # Someone eligible who takes such a seat, yet owns nothing: their seat is too small.
    roomy = [
        (capacity(scenario, person, r), person, r)
        for person in pool.people
        if is_eligible(person.levels, resp.needs, skill_gap(limits, person, reach))
        for r in roles
        if r in person.roles
    ]
    if roomy:
        most, person, role = max(roomy, key=lambda found: found[0])
        return (
            f"{label} needs {hours(resp.hours, 'h/week')}, more than any eligible person can "
            f"give it (the most: {_who(person)} as {role}, {hours(most, 'h/week')})"
        )
    closest = _closest(scenario, resp, roles, pool.people)
    needs = _levels(dict(resp.needs)) or "no particular skill"
    grows = f", or {reach:g} more for a candidate policy.development may grow" if reach else ""
    text = (
        f"nobody eligible can own {label} (needs {needs}; a gap of at most "
        f"{counted(limits.max_skill_gap, 'level')} is allowed{grows}, in {_seat_of(roles)})"
    )
    if closest is not None:
        person, score = closest
        short = _shortfalls(person.levels, dict(resp.needs))
        text += f": the closest is {_who(person)}, fit {percent(score)}"
        text += f", {short}" if short else ", but cannot hold a seat that may own it"
    return text


def _seat_of(roles: Sequence[str]) -> str:
    """`a TPM seat`, `an Analyst or PM seat`."""
    return f"{article(roles[0])} {' or '.join(roles)} seat" if roles else "a seat"


def _who(person: Person) -> str:
    if person.open_req:
        return f"an {person.label[0].lower()}{person.label[1:]}"
    about = [x for x in (person.candidate, person.background) if x and x != person.label]
    return f"{person.label} ({', '.join(about)})" if about else person.label


def _closest(
    scenario: Scenario, resp: Responsibility, roles: list[str], everyone: list[Person]
) -> tuple[Person, float] | None:
    """The person with the best fit for `resp` among those who would take one of `roles`."""
    best: tuple[Person, float] | None = None
    for person in everyone:
        takes = [r for r in roles if r in person.roles]
        if not takes:
            continue
        score = fit(person.levels, resp.needs)
        if best is None or score > best[1] + 1e-12:
            best = (person, score)
    return best


def uncovered_reason(
    scenario: Scenario,
    limits: Limits,
    pool: Pool,
    ji: int,
    seated: dict[int, str] | None = None,
    owned: dict[int, list[int]] | None = None,
) -> str:
    """Why a responsibility was left uncovered in a plan (who sits where: `seated`)."""
    found = no_owner_reason(scenario, limits, pool, ji)
    if found is not None:
        return found
    seated = seated or {}
    owned = owned or {}
    resp = pool.resps[ji]
    able = [pi for (pi, j) in pool.ownable if j == ji and pi in pool.seat_roles]
    parts: list[str] = []
    full = []
    for pi in able:
        role = seated.get(pi)
        if role is None or role not in pool.ownable[pi, ji]:
            continue
        used = sum(pool.resps[k].hours for k in owned.get(pi, []))
        room = capacity(scenario, pool.people[pi], role) - used
        full.append(f"{pool.people[pi].label} as {role} has {hours(room)} free")
    if full:
        parts.append(
            f"it needs {hours(resp.hours, 'h/week')} and the seats that may own it are taken "
            f"by work of higher priority ({'; '.join(full[:3])})"
        )
    waiting = [pi for pi in able if pi not in seated]
    if waiting:
        blocked = _what_blocks_a_new_seat(scenario, limits, pool, ji, waiting, seated)
        names = ", ".join(_who(pool.people[pi]) for pi in waiting[:3])
        more = " and others" if len(waiting) > 3 else ""
        waiting_people = counted(len(waiting), "eligible person", "eligible people")
        parts.append(f"{waiting_people} not placed ({names}{more}): {blocked}")
    return "; ".join(parts) or "its eligible owners' time went to work of higher priority"


def _what_blocks_a_new_seat(
    scenario: Scenario,
    limits: Limits,
    pool: Pool,
    ji: int,
    waiting: list[int],
    seated: dict[int, str],
) -> str:
    """Which limit stops the plan from adding a seat for one of `waiting`."""
    reasons = []
    if limits.max_headcount is not None and len(seated) >= limits.max_headcount:
        reasons.append(f"max_headcount {limits.max_headcount} is reached")
    roles = sorted(
        {r for pi in waiting for r in pool.ownable[pi, ji]}, key=list(scenario.roles).index
    )
    capped = [
        r
        for r in roles
        if limits.role_caps.get(r) is not None
        and sum(1 for role in seated.values() if role == r) >= (limits.role_caps[r] or 0)
    ]
    if capped and len(capped) == len(roles):
        seats = ", ".join(f"{limits.role_caps[r]} {r}" for r in capped)
        total = sum(limits.role_caps[r] or 0 for r in capped)
        reasons.append(
            f"structure '{limits.structure}' allows {seats} {'seat' if total == 1 else 'seats'}"
            ", all filled"
        )
    if limits.budget is not None:
        spent = sum(pool.people[pi].costs[r] for pi, r in seated.items())
        cheapest = min(
            min(pool.people[pi].costs[r] for r in pool.ownable[pi, ji]) for pi in waiting
        )
        if spent + cheapest > limits.budget + 1e-6:
            left = money(max(0.0, limits.budget - spent), scenario.currency)
            reasons.append(
                f"the budget has {left} left and "
                f"the cheapest of them costs {money(cheapest, scenario.currency)}"
            )
    return "; ".join(reasons) or "a new seat would cost more than the work it covers is worth"


# ---- limits that cannot be met, whatever the solver does ------------------------------


def certain_reasons(scenario: Scenario, limits: Limits) -> list[str]:
    """Reasons the scenario is infeasible under `limits` that need no solver to see; with
    `policy.development` they hold even for candidates grown into floors and needs."""
    reasons = _fixed_role_reasons(scenario, limits)
    reasons.extend(_decision_reasons(scenario, limits))
    if limits.coverage_required:
        pool = build_pool(scenario, limits, development_reach(scenario))
        crowded = _crowded_out(scenario, limits, pool)
        reasons.extend(crowded.values())
        unowned = [
            f"coverage is required, but {why}"
            for ji in range(len(pool.resps))
            if ji not in crowded and (why := _unowned(scenario, limits, pool, ji)) is not None
        ]
        reasons.extend(unowned)
        if not unowned and not crowded:  # with work nobody may own, seats mean nothing
            reasons.extend(_capacity_reasons(scenario, limits, pool))
    return reasons


def _unowned(scenario: Scenario, limits: Limits, pool: Pool, ji: int) -> str | None:
    """Why nobody may own `ji`; a group kept together by a decision named as such."""
    why = no_owner_reason(scenario, limits, pool, ji)
    rid = pool.resps[ji].id
    group = next((g for g in scenario.decisions.groups() if rid in g), None)
    if why is None or group is None:
        return why
    loose = scenario.model_copy(
        update={"decisions": scenario.decisions.model_copy(update={"keep_together": ()})}
    )
    if no_owner_reason(loose, limits, build_pool(loose, limits, development_reach(loose)), ji):
        return why
    names = " and ".join(f"'{pool.resps[k].label}'" for k in _indexes(pool, group))
    return f"{names} must have one owner (a decision), and nobody may own all of them"


def _indexes(pool: Pool, ids: tuple[str, ...]) -> list[int]:
    index = {r.id: ji for ji, r in enumerate(pool.resps)}
    return [index[rid] for rid in ids]


def _decision_reasons(scenario: Scenario, limits: Limits) -> list[str]:
    """Decisions the structure cannot meet: a place in a role it has no seat of, work
    assigned to someone who may hold no seat that may own it."""
    reasons: list[str] = []
    cands = {c.id: c for c in scenario.candidates}
    for cid, role in scenario.decisions.place.items():
        if role not in limits.roles or limits.role_caps.get(role) == 0:
            reasons.append(
                f"{_named(cands[cid].label, cid)} must be placed as {role} (a decision), but "
                f"structure '{limits.structure}' has no {role} seat"
            )
    pool = build_pool(scenario, limits, development_reach(scenario))
    person_of = {p.candidate: pi for pi, p in enumerate(pool.people) if p.candidate}
    for rid, cid in scenario.decisions.assign.items():
        pi = person_of.get(cid)
        (ji,) = _indexes(pool, (rid,))
        if pi is None or (pi, ji) not in pool.ownable or pi not in pool.seat_roles:
            reasons.append(
                f"'{pool.resps[ji].label}' is assigned to {_named(cands[cid].label, cid)} (a "
                f"decision), but structure '{limits.structure}' has no seat in which they "
                "may own it"
            )
    return reasons


def _named(label: str, cid: str) -> str:
    return label if label == cid else f"{label} ({cid})"


def _crowded_out(scenario: Scenario, limits: Limits, pool: Pool) -> dict[int, str]:
    """Required work whose only possible owners are full with the work decisions give
    them: "assigning 'Pricing' to Maya leaves no room for 'Positioning': Maya's 40 h are
    full"."""
    pinned: dict[int, list[int]] = {}
    person_of = {p.candidate: pi for pi, p in enumerate(pool.people) if p.candidate}
    index = {r.id: ji for ji, r in enumerate(pool.resps)}
    for rid, cid in scenario.decisions.assign.items():
        if cid in person_of:
            pinned.setdefault(person_of[cid], []).append(index[rid])
    if not pinned:
        return {}
    held = {ji for work in pinned.values() for ji in work}
    found: dict[int, str] = {}
    for ji, resp in enumerate(pool.resps):
        if ji in held:
            continue
        owners = [pi for (pi, j) in pool.ownable if j == ji and pi in pool.seat_roles]
        if not owners or any(pi not in pinned for pi in owners):
            continue
        full = []
        for pi in owners:
            person = pool.people[pi]
            most = max(capacity(scenario, person, r) for r in pool.ownable[pi, ji])
            taken = sum(pool.resps[k].hours for k in pinned[pi])
            if taken + resp.hours <= most + 1e-9:
                break
            full.append((pi, most, taken))
        else:
            pi, most, taken = full[0]
            who = pool.people[pi].label
            work = " and ".join(f"'{pool.resps[k].label}'" for k in pinned[pi])
            only = "" if len(owners) == 1 else f" (and {counted(len(owners) - 1, 'other')})"
            found[ji] = (
                f"coverage is required, but assigning {work} to {who}{only} leaves no room for "
                f"'{resp.label}' ({hours(resp.hours, 'h/week')}): {who}'s "
                f"{hours(most)} are full ({hours(taken)} assigned)"
            )
    return found


def _fixed_role_reasons(scenario: Scenario, limits: Limits) -> list[str]:
    reasons: list[str] = []
    fixed = [c for c in scenario.candidates if c.fixed_role is not None and not c.exclude]
    reach = development_reach(scenario)
    for cand in fixed:
        role = cand.fixed_role
        assert role is not None
        who = f"{cand.label} ({cand.id})"
        if role not in limits.roles or limits.role_caps.get(role) == 0:
            reasons.append(
                f"{who} must be placed as {role} (fixed_role), but structure "
                f"'{limits.structure}' has no {role} seat"
            )
            continue
        levels = candidate_levels(cand, scenario)
        floors = dict(scenario.roles[role].floors)
        if not meets_floors(reachable(levels, reach), floors):
            grows = f" by more than the {reach:g} level development may grow" if reach else ""
            reasons.append(
                f"{who} must be placed as {role} (fixed_role) but misses its floors{grows}: "
                + _shortfalls(levels, floors)
            )
    per_role = Counter(c.fixed_role for c in fixed)
    for role, count in per_role.items():
        cap = limits.role_caps.get(str(role))
        if cap is not None and count > cap > 0:
            reasons.append(
                f"{count} people are fixed to {role} but structure '{limits.structure}' "
                f"allows {counted(cap, f'{role} seat')}"
            )
    if limits.max_headcount is not None and len(fixed) > limits.max_headcount:
        reasons.append(
            f"{len(fixed)} people have a fixed_role but max_headcount is {limits.max_headcount}"
        )
    if limits.budget is not None and fixed:
        total = sum(placement_cost(scenario, c, str(c.fixed_role)) for c in fixed)
        if total > limits.budget + 1e-6:
            reasons.append(
                f"the {counted(len(fixed), 'fixed-role person', 'fixed-role people')} alone cost "
                f"{money(total, scenario.currency)}, "
                f"over the budget of {money(limits.budget, scenario.currency)}"
            )
    return reasons


def _capacity_reasons(scenario: Scenario, limits: Limits, pool: Pool) -> list[str]:
    """Required work against the most hours the allowed seats could ever hold."""
    capacities = sorted(
        (
            max(capacity(scenario, pool.people[pi], r) for r in roles)
            for pi, roles in pool.seat_roles.items()
        ),
        reverse=True,
    )
    seats = len(capacities)
    caps = [limits.role_caps.get(r) for r in limits.roles]
    if all(c is not None for c in caps):
        seats = min(seats, sum(c for c in caps if c is not None))
    if limits.max_headcount is not None:
        seats = min(seats, limits.max_headcount)
    most = sum(capacities[:seats])
    total = sum(r.hours for r in pool.resps)
    if total > most + 1e-6:
        return [
            f"coverage is required and the work totals {hours(total, 'h/week')}, but at most "
            f"{counted(seats, 'seat')} can be filled (headcount, structure and pool), "
            f"holding at most {hours(most, 'h/week')}"
        ]
    return []


# ---- the smallest change that makes it feasible ---------------------------------------


class _Relaxation(NamedTuple):
    """One change tried: what it lifts, and the scenario and limits with it lifted."""

    what: str
    scenario: Scenario
    limits: Limits
    unfixed: str | None = None  # the candidate whose fixed_role is dropped
    decision: str | None = None  # the decision dropped, in words


def _relaxations(scenario: Scenario, limits: Limits) -> list[_Relaxation]:
    """One limit lifted at a time, in the order a head of product would consider them; last,
    each fixed_role dropped in turn (that person may then stay out of the team)."""
    out: list[tuple[str, Limits]] = []
    if limits.budget is not None:
        out.append(("budget", limits.relaxed(budget=None)))
    if limits.max_headcount is not None:
        out.append(("max_headcount", limits.relaxed(max_headcount=None)))
    if any(cap is not None for cap in limits.role_caps.values()):
        out.append(("structure seats", limits.relaxed(role_caps={r: None for r in limits.roles})))
    if any(cap is not None for cap in limits.breadth.values()):
        out.append(
            ("max_responsibilities", limits.relaxed(breadth={r: None for r in limits.roles}))
        )
    if limits.max_products is not None:
        out.append(("max_products_per_seat", limits.relaxed(max_products=None)))
    out.append(("max_skill_gap", limits.relaxed(max_skill_gap=limits.max_skill_gap + 1)))
    if limits.coverage_required:
        out.append(("coverage", limits.relaxed(coverage_required=False)))
    return (
        [_Relaxation(what, scenario, relaxed) for what, relaxed in out]
        + [
            _Relaxation("fixed_role", _without_fixed_role(scenario, ci), limits, cand.id)
            for ci, cand in enumerate(scenario.candidates)
            if cand.fixed_role is not None and not cand.exclude
        ]
        + [
            _Relaxation("decision", changed, limits, decision=words)
            for words, changed in _without_each_decision(scenario)
        ]
    )


def _without_each_decision(scenario: Scenario) -> list[tuple[str, Scenario]]:
    """Each decision that can make a plan impossible, in words, and the scenario without it."""
    d = scenario.decisions
    out: list[tuple[str, Any]] = []
    for cid, role in d.place.items():
        out.append(
            (f"to place {cid} as {role}", {"place": {k: v for k, v in d.place.items() if k != cid}})
        )
    for rid, cid in d.assign.items():
        out.append(
            (
                f"to assign {rid} to {cid}",
                {"assign": {k: v for k, v in d.assign.items() if k != rid}},
            )
        )
    for i, group in enumerate(d.keep_together):
        rest = d.keep_together[:i] + d.keep_together[i + 1 :]
        out.append((f"to keep {' and '.join(group)} together", {"keep_together": rest}))
    return [
        (words, scenario.model_copy(update={"decisions": d.model_copy(update=change)}))
        for words, change in out
    ]


def _without_fixed_role(scenario: Scenario, index: int) -> Scenario:
    """The scenario with the fixed_role of its `index`-th candidate dropped."""
    candidates = list(scenario.candidates)
    candidates[index] = candidates[index].model_copy(update={"fixed_role": None})
    return scenario.model_copy(update={"candidates": tuple(candidates)})


def suggestions(scenario: Scenario, limits: Limits, solver: str = "highs") -> list[str]:
    """The single limits whose change alone would make the scenario feasible, and by how much."""
    from orgplan.results.status import SolveStatus
    from orgplan.solvers import lp

    found: list[str] = []
    unfixed: list[str] = []  # the people whose fixed_role, dropped alone, is enough
    for what, changed, relaxed, person, decision in _relaxations(scenario, limits):
        if certain_reasons(changed, relaxed):
            continue
        model = build_model(changed, relaxed)
        if what in {"budget", "max_headcount"}:
            objective = (
                model.cost
                if what == "budget"
                else lp.linear([(v, 1.0) for v in model.seat.values()])
            )
            lp.set_objective(model.prob, objective, maximize=False)
        else:
            lp.set_objective(model.prob, lp.linear([]), maximize=False)
        outcome = lp.run(model.prob, solver, _RELAX_SECONDS)
        if outcome.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            continue
        if person is not None:
            unfixed.append(person)
        elif decision is not None:
            found.append(f"drop the decision {decision}")
        else:
            needed = outcome.objective
            if what == "budget" and needed is not None:
                needed /= model.cost_scale  # the model's money unit back to money
            found.append(_suggestion(scenario, limits, what, needed))
    if unfixed:
        found.append(_unfix_suggestion(scenario, unfixed))
    if not found:
        return ["no single limit, changed alone, makes it feasible: several must change"]
    return [f"a change that alone makes it feasible: {s}" for s in found]


def _unfix_suggestion(scenario: Scenario, ids: list[str]) -> str:
    """`drop the fixed_role of Ana (ana, PM)`, or of any one of several people."""
    by_id = {c.id: c for c in scenario.candidates}
    named = []
    for cid in ids:
        cand = by_id[cid]
        named.append(
            f"{cid} ({cand.fixed_role})"
            if cand.label == cid
            else f"{cand.label} ({cid}, {cand.fixed_role})"
        )
    if len(named) == 1:
        return f"drop the fixed_role of {named[0]}"
    shown = ", ".join(named[:_MOST_NAMED])
    more = f" and {len(named) - _MOST_NAMED} others" if len(named) > _MOST_NAMED else ""
    return f"drop the fixed_role of any one of {shown}{more}"


def _suggestion(scenario: Scenario, limits: Limits, what: str, needed: float | None) -> str:
    if what == "budget" and needed is not None and limits.budget is not None:
        return (
            f"raise the budget from {money(limits.budget, scenario.currency)} "
            f"to {money(needed, scenario.currency)}"
        )
    if what == "max_headcount" and needed is not None:
        return f"raise max_headcount from {limits.max_headcount} to {round(needed)}"
    if what == "max_skill_gap":
        return f"allow max_skill_gap {limits.max_skill_gap + 1:g} (train into the gaps)"
    if what == "coverage":
        return "make coverage best_effort (leave some work uncovered, reported as such)"
    if what == "structure seats":
        return f"allow more seats per role than structure '{limits.structure}' does"
    return f"lift {what}"


def diagnose(scenario: Scenario, limits: Limits, solver: str = "highs") -> list[str]:
    """Reasons for an infeasible solve that the cheap checks did not catch."""
    reasons = [
        "the hard limits cannot all be met together"
        + (" with every responsibility covered" if limits.coverage_required else "")
    ]
    return reasons + suggestions(scenario, limits, solver)
