"""The independent checker of plans over periods (format 1.1 `horizon`).

Re-derives, from the scenario and the plan's JSON alone, every time rule of
docs/scenario-format.md ("Time: a plan over periods") and the timed keys of
docs/output-formats.md: when each seat may start and when a requisition is opened, the
capacity of a ramping seat, who owns what in each period, the onboarding cap, the run-rate
and spend budgets, decisions per period, and every figure by period and for the plan.
Like `checker.py` it imports nothing of the planner (only the level and fit helpers of
`checker.py`, themselves re-implemented from the format page).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

from checker import (
    NUM_EPS,
    RATIO_EPS,
    _check_keys,
    _close,
    check_headcount_and_fixed_roles,
    eligible,
    fit_of,
    floor_misses,
    gaps_of,
    hire_levels,
    levels_of,
    rules_for,
)


def development_allowance(
    scenario: Any, seat: dict[str, Any], levels: dict[str, float], err: Any
) -> dict[str, tuple[float, int]]:
    """Skills a seat's holder grows (train or hire): skill -> (level, from period index),
    each development checked against policy.development (docs/scenario-format.md): a
    named candidate only, one level up from the assessed level, ready from period index
    periods_per_level, at cost_per_level, in a skill the seat's floors or work ask for."""
    where = f"seat {seat['seat']}"
    developments = seat.get("developments", [])
    policy = scenario.policy.development
    if developments and policy is None:
        err(f"{where}: grows {[d['skill'] for d in developments]} without policy.development")
        return {}
    labels = list(scenario.horizon.periods)
    allowed: dict[str, tuple[float, int]] = {}
    for d in developments:
        skill = d["skill"]
        if seat["candidate"] is None:
            err(f"{where}: an open requisition grows {skill}")
        if skill in allowed or skill not in levels:
            err(f"{where}: grows {skill!r} twice or an unknown skill")
            continue
        base = levels[skill]
        ready = policy.periods_per_level
        if ready >= len(labels) or d["ready"] != labels[ready]:
            err(f"{where}: {skill} ready {d['ready']!r}, expected period index {ready}")
        if not (_close(d["from_level"], base) and _close(d["to_level"], base + 1)):
            err(f"{where}: {skill} grows {d['from_level']} -> {d['to_level']}, assessed {base}")
        if not _close(d["cost"], policy.cost_per_level):
            err(f"{where}: {skill} costs {d['cost']}, cost_per_level {policy.cost_per_level}")
        asked = [scenario.roles[seat["role"]].floors.get(skill, 0.0)] + [
            r.needs.get(skill, 0.0) - scenario.policy.max_skill_gap
            for r in scenario.responsibilities
            if r.id in seat["responsibilities"]
        ]
        if not any(0 < a - base <= 1 + NUM_EPS for a in asked):
            err(f"{where}: grows {skill}, which no floor or need of the seat is short of")
        allowed[skill] = (base + 1, ready)
    return allowed


def _levels_at(base: dict[str, float], grown: dict[str, tuple[float, int]], t: int) -> dict:
    """The holder's levels in period `t`: grown skills count from their period on."""
    levels = dict(base)
    for skill, (level, ready) in grown.items():
        if t >= ready:
            levels[skill] = max(levels.get(skill, 0.0), level)
    return levels


def check_timed_plan(
    scenario: Any,
    plan: Any,
    structure: str | None = None,
    quality_tolerance: float = 0.01,
) -> None:
    """Raise AssertionError listing every way the timed `plan` breaks `scenario`'s rules."""
    errors: list[str] = []
    err = errors.append
    data = plan.to_json()
    _check_keys(data, err)
    if errors:
        raise AssertionError("plan breaks the output contract:\n- " + "\n- ".join(errors))

    labels = list(scenario.horizon.periods)
    last = len(labels) - 1
    index = {p: t for t, p in enumerate(labels)}
    months = scenario.horizon.period_months
    policy = scenario.policy
    rules = rules_for(scenario, structure)
    resps = {r.id: r for r in scenario.responsibilities}
    cands = {c.id: c for c in scenario.candidates}
    exists = {
        r.id: (
            set(range(len(labels)))
            if r.periods is None
            else {index[p] for p in r.periods if p in index}
        )
        for r in scenario.responsibilities
    }
    if data.get("periods") != labels:
        err(f"periods is {data.get('periods')}, expected {labels}")

    # ---- seats: start, open_by, ramp, one-off cost, capacity by period --------------------
    start: dict[str, int] = {}
    levels_of_seat: dict[str, dict[str, float]] = {}
    grown_of_seat: dict[str, dict[str, tuple[float, int]]] = {}
    capacity: dict[str, list[float]] = {}
    annual: dict[str, float] = {}
    one_off_at: dict[int, float] = defaultdict(float)
    placed: Counter[str] = Counter()
    per_role: Counter[str] = Counter()
    seats = {s["seat"]: s for s in data["seats"]}
    for seat in data["seats"]:
        name, rid = seat["seat"], seat["role"]
        where = f"seat {name}"
        role = scenario.roles.get(rid)
        if role is None:
            err(f"{where}: unknown role {rid!r}")
            continue
        per_role[rid] += 1
        if rid not in rules.roles:
            err(f"{where}: role {rid} is not allowed by the structure")
        s = index.get(seat.get("start"))
        if s is None:
            err(f"{where}: start {seat.get('start')!r} is not a period of the horizon")
            continue
        start[name] = s
        cid = seat["candidate"]
        if cid is None:
            levels = hire_levels(scenario, rid)
            availability, cost, once = 1.0, role.cost, role.hire_cost
            ramp = role.ramp_up
            opened = s - role.time_to_hire
            if opened < 0:
                err(
                    f"{where}: starts {labels[s]}, but time_to_hire {role.time_to_hire} "
                    f"needs it opened before {labels[0]}"
                )
            elif seat.get("open_by") != labels[opened]:
                err(f"{where}: open_by {seat.get('open_by')!r}, expected {labels[opened]}")
            else:
                one_off_at[opened] += once
        else:
            cand = cands.get(cid)
            if cand is None:
                err(f"{where}: unknown candidate {cid!r}")
                continue
            placed[cid] += 1
            if cand.exclude:
                err(f"{where}: {cid} is excluded but placed")
            if cand.roles is not None and rid not in cand.roles:
                err(f"{where}: {cid} does not take role {rid}")
            if "open_by" in seat:
                err(f"{where}: a candidate's seat has an open_by")
            levels = levels_of(scenario, cand)
            availability = cand.availability
            cost = role.cost if cand.cost is None else cand.cost
            once = cand.backfill_cost
            ramp = role.ramp_up if cand.ramp_up is None else cand.ramp_up
            earliest = 0 if cand.available_from is None else index[cand.available_from]
            if s < earliest:
                err(f"{where}: {cid} starts {labels[s]}, available from {cand.available_from}")
            one_off_at[s] += once
        grown = development_allowance(scenario, seat, levels, err)
        one_off_at[s] += sum(d["cost"] for d in seat.get("developments", []))
        missed = floor_misses(_levels_at(levels, grown, s), role.floors)
        if missed:
            err(f"{where}: floors of {rid} not met: {missed}")
        levels_of_seat[name], grown_of_seat[name] = levels, grown
        annual[name] = cost
        full = role.capacity * availability
        capacity[name] = [
            full * policy.ramp_capacity if s <= t < s + ramp else full for t in range(len(labels))
        ]
        if seat.get("ramp_periods") != ramp:
            err(f"{where}: ramp_periods {seat.get('ramp_periods')}, expected {ramp}")
        if not _close(seat["cost"], cost):
            err(f"{where}: cost {seat['cost']}, expected the annual {cost}")
        if not _close(seat.get("one_off_cost"), once):
            err(f"{where}: one_off_cost {seat.get('one_off_cost')}, expected {once}")
    for cid, count in placed.items():
        if count > 1:
            err(f"{cid} holds {count} seats")
    for rid, count in per_role.items():
        if rules.caps.get(rid) is not None and count > rules.caps[rid]:
            err(f"{count} {rid} seats, the structure allows {rules.caps[rid]}")
        if sum(1 for s in data["seats"] if s["role"] == rid and s["candidate"] is None) > (
            scenario.roles[rid].open_reqs
        ):
            err(f"more open requisitions of {rid} than open_reqs")
    check_headcount_and_fixed_roles(scenario, data, rules, err)

    # ---- ownership by period --------------------------------------------------------------
    owner: dict[tuple[str, int], str] = {}
    for a in data["assignments"]:
        jid, name = a["responsibility"], a["seat"]
        resp, seat = resps.get(jid), seats.get(name)
        where = f"assignment of {jid} to {name}"
        if resp is None or seat is None or name not in start:
            err(f"{where}: unknown responsibility or seat")
            continue
        if a["candidate"] != seat["candidate"]:
            err(f"{where}: candidate {a['candidate']!r}, the seat holds {seat['candidate']!r}")
        if jid not in seat["responsibilities"]:
            err(f"{where}: the seat does not list it")
        if resp.roles is not None and seat["role"] not in resp.roles:
            err(f"{where}: a {seat['role']} seat may not own it")
        for label in a.get("periods", []):
            t = index.get(label)
            if t is None:
                err(f"{where}: {label!r} is not a period of the horizon")
                continue
            if t not in exists[jid]:
                err(f"{where}: owned in {label}, when the work does not exist")
            if t < start[name]:
                err(f"{where}: owned in {label}, before the seat starts ({labels[start[name]]})")
            if (jid, t) in owner:
                err(f"{jid} has two owners in {label}: {owner[jid, t]} and {name}")
            owner[jid, t] = name
            levels = _levels_at(levels_of_seat[name], grown_of_seat[name], t)
            if not eligible(levels, resp.needs, policy.max_skill_gap):
                err(f"{where}: not eligible in {label} (gaps {gaps_of(levels, resp.needs)})")

    for t, label in enumerate(labels):
        for name in start:
            owned = [j for (j, tt), n in owner.items() if tt == t and n == name]
            hours = sum(resps[j].hours for j in owned)
            if hours > capacity[name][t] + NUM_EPS:
                err(f"seat {name} holds {hours} h in {label}, over its {capacity[name][t]} h")
            cap = rules.breadth.get(seats[name]["role"])
            if cap is not None and len(owned) > cap:
                err(f"seat {name} owns {len(owned)} pieces in {label}, breadth cap {cap}")
            if policy.max_products_per_seat is not None:
                lines = {resps[j].product for j in owned} - {None}
                if len(lines) > policy.max_products_per_seat:
                    err(f"seat {name} serves {len(lines)} product lines in {label}")

    # the uncovered entries are exactly the work left unowned in periods it exists
    gaps_expected = {jid: {t for t in exists[jid] if (jid, t) not in owner} for jid in resps}
    gaps_given: dict[str, set[int]] = defaultdict(set)
    for u in data["uncovered"]:
        jid = u["responsibility"]
        if jid not in resps:
            err(f"uncovered {jid!r} is not a responsibility")
            continue
        if jid in gaps_given:
            err(f"{jid} is listed twice in uncovered")
        gaps_given[jid] = {index[p] for p in u.get("periods", []) if p in index}
        if not isinstance(u["reason"], str) or not u["reason"].strip():
            err(f"uncovered {jid}: no reason given")
    for jid, periods in gaps_expected.items():
        if gaps_given.get(jid, set()) != periods:
            err(
                f"{jid} is uncovered in {sorted(labels[t] for t in gaps_given.get(jid, ()))}, "
                f"expected {sorted(labels[t] for t in periods)}"
            )
        if periods and policy.coverage == "required":
            err(f"coverage is required but {jid} is unowned in {[labels[t] for t in periods]}")

    # ---- decisions, in every period ------------------------------------------------------
    decisions = scenario.decisions
    holder = {s["candidate"]: s for s in data["seats"] if s["candidate"] is not None}
    for cid, role in decisions.place.items():
        if cid not in holder or holder[cid]["role"] != role:
            err(f"{cid} is placed as {role} by a decision but is not")
    for cid in decisions.exclude:
        if cid in holder:
            err(f"{cid} is excluded by a decision but sits in {holder[cid]['seat']}")
    for jid, cid in decisions.assign.items():
        for t in exists[jid]:
            name = owner.get((jid, t))
            if name is None or seats[name]["candidate"] != cid:
                err(f"{jid} is assigned to {cid} but owned by {name} in {labels[t]}")
    for group in decisions.keep_together:
        for t in range(len(labels)):
            owners = {owner.get((j, t)) for j in group if t in exists[j]}
            if len(owners) > 1:
                err(f"{list(group)} are kept together but owned by {owners} in {labels[t]}")

    # ---- onboarding, run rate, spend -----------------------------------------------------
    starts = Counter(start.values())
    cap = policy.max_hires_per_period
    for t, count in starts.items():
        if cap is not None and count > cap:
            err(f"{count} people start in {labels[t]}, max_hires_per_period {cap}")
    share = months / 12
    run_rate = [sum(c for n, c in annual.items() if start[n] <= t) for t in range(len(labels))]
    spend_by_period = [run_rate[t] * share + one_off_at.get(t, 0.0) for t in range(len(labels))]
    spend = sum(spend_by_period)
    for t, rate in enumerate(run_rate):
        if rules.budget is not None and rate > rules.budget + NUM_EPS:
            err(f"run rate {rate} in {labels[t]} over the budget {rules.budget}")
    if policy.spend_budget is not None and spend > policy.spend_budget + NUM_EPS:
        err(f"spend {spend} over the spend_budget {policy.spend_budget}")

    # ---- figures by period and for the plan ----------------------------------------------
    handoff_cost = float(policy.handoff_cost)
    fit_hours = covered_weight = 0.0
    existing_total = covered_total = handoffs_total = 0.0
    entries = {e["period"]: e for e in data.get("kpis_by_period", [])}
    by_period = {label: e["kpis"] for label, e in entries.items()}
    if list(by_period) != labels:
        err(f"kpis_by_period covers {list(by_period)}, expected {labels}")
    for t, label in enumerate(labels):
        existing = [j for j in resps if t in exists[j]]
        owned = [j for j in existing if (j, t) in owner]
        total = sum(resps[j].hours for j in existing)
        covered = sum(resps[j].hours for j in owned)
        period_fit = sum(
            resps[j].hours
            * fit_of(
                _levels_at(levels_of_seat[owner[j, t]], grown_of_seat[owner[j, t]], t),
                resps[j].needs,
            )
            for j in owned
        )
        handoffs = sum(
            c.cost
            for c in scenario.couplings
            if t in exists[c.between[0]]
            and t in exists[c.between[1]]
            and (
                owner.get((c.between[0], t)) is None
                or owner.get((c.between[0], t)) != owner.get((c.between[1], t))
            )
        )
        if t > 0:
            handoffs += handoff_cost * sum(
                1
                for j in existing
                if t - 1 in exists[j]
                and (j, t - 1) in owner
                and owner.get((j, t)) != owner[j, t - 1]
            )
        fit_hours += period_fit
        covered_weight += sum(resps[j].hours * resps[j].priority for j in owned)
        existing_total += total
        covered_total += covered
        handoffs_total += handoffs
        k = by_period.get(label)
        if k is None:
            continue
        filled = sum(1 for n in start if start[n] <= t)
        for key, value, eps in (
            ("headcount", filled, 0.0),
            ("total_cost", run_rate[t], NUM_EPS),
            ("spend", spend_by_period[t], NUM_EPS),
            ("total_hours", total, NUM_EPS),
            ("covered_hours", covered, NUM_EPS),
            ("coverage", covered / total if total else 1.0, RATIO_EPS),
        ):
            if not _close(k.get(key), value, eps):
                err(f"kpis_by_period {label}: {key} is {k.get(key)}, expected {value}")
        once, paid = entries[label].get("one_off_cost"), one_off_at.get(t, 0.0)
        if not _close(once, paid, NUM_EPS):
            err(f"kpis_by_period {label}: one_off_cost is {once}, expected {paid}")
    k = data["kpis"]
    periods = len(labels)
    quality = fit_hours - handoffs_total
    for key, value, eps in (
        ("headcount", len(data["seats"]), 0.0),
        ("total_cost", run_rate[last], NUM_EPS),
        ("spend", spend, NUM_EPS),
        ("total_hours", existing_total / periods, NUM_EPS),
        ("covered_hours", covered_total / periods, NUM_EPS),
        ("coverage", covered_total / existing_total if existing_total else 1.0, RATIO_EPS),
        ("handoff_cost", handoffs_total, NUM_EPS),
    ):
        if not _close(k.get(key), value, eps):
            err(f"kpis.{key} is {k.get(key)}, expected {value}")
    if not math.isclose(plan.kpis.quality, quality, abs_tol=1e-6):
        err(f"kpis.quality is {plan.kpis.quality}, expected {quality}")

    # ---- the stages agree with the plan ----------------------------------------------------
    for s in plan.solver.stages:
        if not (s.seconds > 0 or s.bound is not None):
            continue
        optimal = s.status.value == "optimal"
        top = s.value if optimal else s.bound
        if s.objective == "coverage":
            if covered_weight < s.value - 1e-6 * max(1.0, abs(s.value)):
                err(f"coverage stage reached {s.value}, the plan covers {covered_weight}")
            if top is not None and covered_weight > top + 1e-6 * max(1.0, abs(top)):
                err(f"the plan covers {covered_weight}, above the proven best {top}")
        elif s.objective == "quality":
            if quality < s.value - quality_tolerance * abs(s.value) - 1e-6:
                err(f"plan quality {quality} is below the tolerated floor of {s.value}")
            if top is not None and quality > top + 1e-6 * max(1.0, abs(top)):
                err(f"plan quality {quality} beats the quality stage's proven best {top}")
        elif s.objective == "cost":
            if not math.isclose(s.value, spend, rel_tol=1e-9, abs_tol=1e-6):
                err(f"cost stage reached {s.value}, the plan spends {spend}")
            if s.bound is not None and s.bound > s.value + 1e-6 * max(1.0, abs(s.value)):
                err(f"cost stage bound {s.bound} above its value {s.value}")

    if errors:
        raise AssertionError(
            f"timed plan of {scenario.name!r} ({structure}) breaks {len(errors)} rule(s):\n- "
            + "\n- ".join(errors)
        )
