"""Plans built by hand, without a solver, for tests of what renders plans (the workbook).

`sample()` is a small scenario and a plan for it in which every candidate shows one of the
reasons the Candidate fit sheet gives (placed, cost, floors, role not accepted, excluded,
not needed), with a split coupling, a coupling with an uncovered end, skill gaps and an
open requisition. `nasty_sample()` is the same with every name a spreadsheet-injection
payload, an Excel error code or text with control characters.

Every figure of the plan is computed from the domain rules, as the solver's plans are;
the plan need not be optimal, only consistent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from orgplan.domain.rules import candidate_cost, candidate_levels, fit, gaps
from orgplan.results.plan import (
    Assignment,
    Handoff,
    Kpis,
    PeriodKpis,
    Plan,
    Seat,
    SolverInfo,
    StageResult,
    Uncovered,
)
from orgplan.results.status import SolveStatus
from orgplan.scenario.format import Scenario
from orgplan.solving.assemble import compute_kpis

# Display names (and a few ids) that a spreadsheet must keep as literal text.
NASTY_NAMES: dict[str, str] = {
    "scenario": '=HYPERLINK("http://example.invalid","click")',
    "ana": "=1+1",
    "raj": "+cmd|' /C calc'!A0",
    "lena": "-2",
    "ines": "@SUM(A1)",
    "pm_title": "#REF!",
    "tpm_title": "#N/A",
    "roadmap": "Road\x07map\x1b planning",
    "pricing": "=cmd",
    "product": "+Core",
    "background": "#DIV/0!",
    "TPM": "-TPM",
    "PMM": "=PMM",
}


def scenario_data(nasty: bool = False) -> dict[str, Any]:
    """The sample scenario as a scenario file's data; `nasty` swaps in NASTY_NAMES."""

    def n(key: str, default: str) -> str:
        return NASTY_NAMES[key] if nasty else default

    tpm, pmm = n("TPM", "TPM"), n("PMM", "PMM")
    core = n("product", "Core")
    background = n("background", "business_analyst")
    return {
        "name": n("scenario", "Acme sample"),
        "description": "A hand-built plan for the workbook tests",
        "currency": "USD",
        "roles": {
            "PM": {
                "title": n("pm_title", "Product Manager"),
                "cost": 165000.0,
                "floors": {"domain": 3.0, "business": 3.0},
                "open_reqs": 1,
                "hire_profile": {"domain": 4.0, "business": 4.0, "communication": 4.0},
            },
            tpm: {
                "title": n("tpm_title", "Technical Product Manager"),
                "cost": 170000.0,
                "floors": {"technical": 4.0},
                "open_reqs": 1,
            },
            pmm: {
                "title": "Product Marketing Manager",
                "cost": 150000.0,
                "floors": {"communication": 4.0},
            },
        },
        "responsibilities": [
            {
                "id": "roadmap",
                "name": n("roadmap", "Roadmap and prioritisation"),
                "product": core,
                "hours": 8.0,
                "needs": {"decision_making": 4.0, "judgement": 4.0},
                "roles": ["PM"],
                "priority": 3.0,
            },
            {
                "id": "pricing",
                "name": n("pricing", "Pricing and packaging"),
                "product": core,
                "hours": 6.0,
                "needs": {"business": 4.0, "negotiation": 3.0},
                "roles": ["PM", pmm],
                "priority": 2.0,
            },
            {
                "id": "positioning",
                "name": "Positioning and messaging",
                "product": core,
                "hours": 5.0,
                "needs": {"communication": 4.0},
                "roles": [pmm, "PM"],
            },
            {
                "id": "backlog",
                "name": "Backlog and sprints",
                "product": "Platform",
                "hours": 14.0,
                "needs": {"technical": 4.0},
                "roles": [tpm],
            },
            {
                "id": "release",
                "name": "Release planning",
                "product": "Platform",
                "hours": 4.0,
                "needs": {"technical": 3.0},
                "roles": [tpm],
            },
            {
                "id": "analyst_relations",
                "name": "Analyst relations",
                "product": core,
                "hours": 3.0,
                "needs": {"communication": 4.0, "sales": 3.0},
                "roles": [pmm],
            },
        ],
        "couplings": [
            {"between": ["pricing", "positioning"], "cost": 3.0},
            {"between": ["backlog", "release"], "cost": 2.0},
            {"between": ["roadmap", "pricing"]},
            {"between": ["positioning", "analyst_relations"], "cost": 1.5},
        ],
        "backgrounds": {
            background: {
                "domain": 4.0,
                "business": 4.0,
                "communication": 4.0,
                "decision_making": 3.0,
                "judgement": 3.0,
                "negotiation": 2.0,
            }
        },
        "candidates": [
            {
                "id": "ana",
                "name": n("ana", "Ana Ruiz"),
                "background": background,
                "cost": 140000.0,
                "internal": True,
                "roles": ["PM", pmm],
            },
            {
                "id": "raj",
                "name": n("raj", "Raj Patel"),
                "background": "qa_tester",
                "cost": 105000.0,
                "internal": True,
                "roles": [tpm],
            },
            {
                "id": "lena",
                "name": n("lena", "Lena Novak"),
                "background": "software_engineer",
                "cost": 160000.0,
                "roles": [tpm],
            },
            {
                "id": "ines",
                "name": n("ines", "Ines Duarte"),
                "background": "consultant",
                "skills": {"domain": 1.0},
                "roles": ["PM"],
            },
            {"id": "pat", "name": "Pat Kim", "background": "marketing", "roles": [pmm]},
            {"id": "zed", "name": "Zed Zed", "background": "product_manager", "exclude": True},
            {
                "id": "sam",
                "name": "Sam Lee",
                "background": "customer_support",
                "skills": {"business": 3.0},
                "cost": 120000.0,
                "availability": 0.5,
                "roles": ["PM"],
            },
        ],
        "policy": {"budget": 600000.0, "max_skill_gap": 1.0},
        "structures": {"lean": {"roles": {"PM": 2, tpm: 1}}},
    }


def make_plan(
    scenario: Scenario,
    seats: Sequence[tuple[str, str, str | None]],
    owners: Mapping[str, str],
    *,
    structure: str,
    seconds: float = 0.25,
    notes: tuple[str, ...] = (),
) -> Plan:
    """A plan from seats `(seat id, role id, candidate id or None)` and `{resp: seat}`."""
    candidates = {c.id: c for c in scenario.candidates}
    people: dict[str, dict[str, Any]] = {}
    for seat_id, rid, cid in seats:
        role = scenario.roles[rid]
        if cid is not None:
            cand = candidates[cid]
            people[seat_id] = {
                "levels": candidate_levels(cand, scenario),
                "person": cand.label,
                "background": cand.background,
                "internal": cand.internal,
                "cost": candidate_cost(cand, role),
                "availability": cand.availability,
            }
        else:
            people[seat_id] = {
                "levels": {s: role.profile().get(s, 0.0) for s in scenario.skills},
                "person": f"Open requisition ({role.title or rid})",
                "background": None,
                "internal": False,
                "cost": role.cost,
                "availability": 1.0,
            }
    role_of = {seat_id: rid for seat_id, rid, _ in seats}
    cand_of = {seat_id: cid for seat_id, _, cid in seats}
    assignments: list[Assignment] = []
    uncovered: list[Uncovered] = []
    for resp in scenario.responsibilities:
        seat_id = owners.get(resp.id)
        if seat_id is None:
            uncovered.append(
                Uncovered(
                    resp.id,
                    resp.label,
                    resp.product,
                    resp.hours,
                    resp.priority,
                    f"no seat may own '{resp.label}'",
                )
            )
            continue
        levels = people[seat_id]["levels"]
        assignments.append(
            Assignment(
                responsibility=resp.id,
                name=resp.label,
                product=resp.product,
                hours=resp.hours,
                priority=resp.priority,
                seat=seat_id,
                role=role_of[seat_id],
                candidate=cand_of[seat_id],
                person=people[seat_id]["person"],
                fit=fit(levels, resp.needs),
                gaps=gaps(levels, resp.needs),
            )
        )
    seat_objs = []
    for seat_id, rid, cid in seats:
        mine = [a for a in assignments if a.seat == seat_id]
        hours = sum(a.hours for a in mine)
        info = people[seat_id]
        seat_objs.append(
            Seat(
                seat=seat_id,
                role=rid,
                role_title=scenario.roles[rid].title or rid,
                candidate=cid,
                person=info["person"],
                background=info["background"],
                internal=info["internal"],
                cost=info["cost"],
                capacity_hours=scenario.roles[rid].capacity * info["availability"],
                hours=hours,
                responsibilities=tuple(a.responsibility for a in mine),
                fit=sum(a.hours * a.fit for a in mine) / hours if hours else 0.0,
            )
        )
    handoffs = tuple(
        Handoff(c.between, (owners.get(c.between[0]), owners.get(c.between[1])), c.cost)
        for c in scenario.couplings
        if owners.get(c.between[0]) is None or owners.get(c.between[0]) != owners.get(c.between[1])
    )
    kpis = compute_kpis(scenario, seat_objs, assignments, handoffs)
    covered = kpis.covered_hours
    stages = (
        StageResult("coverage", SolveStatus.OPTIMAL, covered, covered, 0.0, seconds / 3),
        StageResult("quality", SolveStatus.OPTIMAL, kpis.quality, None, 0.0, seconds / 3),
        StageResult("cost", SolveStatus.FEASIBLE, kpis.total_cost, None, 0.012, seconds / 3),
    )
    return Plan(
        scenario=scenario.name,
        structure=structure,
        currency=scenario.currency,
        solver=SolverInfo("CBC", SolveStatus.FEASIBLE, 0.012, seconds, stages),
        seats=tuple(seat_objs),
        assignments=tuple(assignments),
        uncovered=tuple(uncovered),
        handoffs=handoffs,
        kpis=kpis,
        notes=notes,
    )


def sample(nasty: bool = False, *, seconds: float = 0.25) -> tuple[Scenario, Plan]:
    """The sample scenario and its hand-built plan under structure `lean`."""
    scenario = Scenario.model_validate(scenario_data(nasty))
    tpm = NASTY_NAMES["TPM"] if nasty else "TPM"
    plan = make_plan(
        scenario,
        [("PM-1", "PM", "ana"), ("PM-2", "PM", None), (f"{tpm}-1", tpm, "raj")],
        {
            "roadmap": "PM-1",
            "pricing": "PM-1",
            "positioning": "PM-2",
            "backlog": f"{tpm}-1",
            "release": f"{tpm}-1",
        },
        structure="lean",
        seconds=seconds,
        notes=("Budget leaves 115,000 USD unspent.", "=not a formula"),
    )
    return scenario, plan


def nasty_sample() -> tuple[Scenario, Plan]:
    """`sample()` with every name a payload that must stay literal text."""
    return sample(nasty=True)


def empty_plan(scenario: Scenario) -> Plan:
    """A plan with no seats at all: every responsibility uncovered."""
    return make_plan(scenario, [], {}, structure="lean")


# ---- a plan over a horizon (format 1.1) ---------------------------------------------------

PERIODS = ("Q1", "Q2", "Q3", "Q4")


def timed_scenario_data() -> dict[str, Any]:
    """The sample scenario over four quarters: a PM takes two quarters to hire and one to
    ramp up, a PMM one quarter to hire; moving Ana leaves a backfill to pay; a launch
    exists only in Q3 and Q4."""
    data = scenario_data()
    data["name"] = "Acme sample 2027"
    data["horizon"] = {"periods": list(PERIODS), "period_months": 3}
    data["roles"]["PM"].update(time_to_hire=2, ramp_up=1, hire_cost=20000.0)
    data["roles"]["PMM"].update(open_reqs=1, time_to_hire=1, hire_cost=10000.0)
    data["responsibilities"].append(
        {
            "id": "launch",
            "name": "Insights launch",
            "product": "Core",
            "hours": 6.0,
            "needs": {"communication": 4.0},
            "roles": ["PMM"],
            "periods": ["Q3", "Q4"],
        }
    )
    for candidate in data["candidates"]:
        if candidate["id"] == "ana":
            candidate["backfill_cost"] = 15000.0
    data["structures"]["lean"]["roles"]["PMM"] = 1
    return data


def make_timed_plan(
    scenario: Scenario,
    seats: Sequence[tuple[str, str, str | None, str]],
    owners: Mapping[str, Mapping[str, str]],
    *,
    structure: str,
) -> Plan:
    """A plan over `scenario`'s horizon from seats `(seat id, role id, candidate id or None,
    start period)` and `{resp: {period: seat}}` (a period left out: nobody owns it then).

    The figures follow docs/output-formats.md and the time semantics: a requisition opens
    its role's time_to_hire periods before its start and pays the role's hire_cost then; a
    candidate pays their backfill_cost in their start period; a seat ramping up has
    policy.ramp_capacity of its capacity; a change of owner costs one handoff.
    """
    assert scenario.horizon is not None
    labels = scenario.horizon.periods
    index = {label: t for t, label in enumerate(labels)}
    share = scenario.horizon.period_months / 12
    base = make_plan(
        scenario,
        [(s, r, c) for s, r, c, _ in seats],
        {resp: next(iter(by.values())) for resp, by in owners.items() if by},
        structure=structure,
    )
    people = {c.id: c for c in scenario.candidates}
    start = {s: index[p] for s, _, _, p in seats}
    ramp: dict[str, int] = {}
    one_off: dict[str, tuple[int, float]] = {}  # seat -> (period paid, amount)
    for seat_id, rid, cid, _ in seats:
        role = scenario.roles[rid]
        if cid is None:
            ramp[seat_id] = role.ramp_up
            one_off[seat_id] = (start[seat_id] - role.time_to_hire, role.hire_cost)
        else:
            person = people[cid]
            ramp[seat_id] = role.ramp_up if person.ramp_up is None else person.ramp_up
            one_off[seat_id] = (start[seat_id], person.backfill_cost)
    by_id = {s.seat: s for s in base.seats}
    fits = {(a.seat, a.responsibility): a for a in _every_pairing(scenario, base, owners)}

    def owner(resp: str, t: int) -> str | None:
        return owners.get(resp, {}).get(labels[t])

    def exists(resp: Any, t: int) -> bool:
        return resp.periods is None or labels[t] in resp.periods

    assignments: list[Assignment] = []
    uncovered: list[Uncovered] = []
    for resp in scenario.responsibilities:
        held: dict[str, list[str]] = {}
        for t in range(len(labels)):
            if exists(resp, t) and (seat_id := owner(resp.id, t)) is not None:
                assert start[seat_id] <= t, f"{seat_id} owns {resp.id} before it starts"
                held.setdefault(seat_id, []).append(labels[t])
        for seat_id, periods in held.items():
            assignments.append(dataclasses.replace(fits[seat_id, resp.id], periods=tuple(periods)))
        missing = tuple(
            labels[t] for t in range(len(labels)) if exists(resp, t) and owner(resp.id, t) is None
        )
        if missing:
            reason = f"no seat free for '{resp.label}' in {', '.join(missing)}"
            uncovered.append(
                Uncovered(
                    resp.id, resp.label, resp.product, resp.hours, resp.priority, reason, missing
                )
            )
    change_cost = float(getattr(scenario.policy, "handoff_cost", 1.0))
    by_period: list[PeriodKpis] = []
    split: dict[tuple[str, str], tuple[float, tuple[str | None, str | None]]] = {}
    for t, label in enumerate(labels):
        present = [r for r in scenario.responsibilities if exists(r, t)]
        filled = [by_id[s] for s, _, _, _ in seats if start[s] <= t]
        owned = [(r, fits[o, r.id]) for r in present if (o := owner(r.id, t)) is not None]
        handoffs = 0.0
        for c in scenario.couplings:
            ends = [scenario.responsibility(e) for e in c.between]
            if not all(exists(e, t) for e in ends):
                continue
            a, b = (owner(e.id, t) for e in ends)
            if a is None or a != b:
                handoffs += c.cost
                was = split.get(c.between, (0.0, (None, None)))[0]
                split[c.between] = (was + c.cost, (a, b))
        changes = sum(
            1
            for r in present
            if t > 0
            and exists(r, t - 1)
            and owner(r.id, t - 1) is not None
            and owner(r.id, t - 1) != owner(r.id, t)
        )
        handoffs += changes * change_cost
        utilizations = []
        for s in filled:
            room = s.capacity_hours * (
                scenario.policy.ramp_capacity if t < start[s.seat] + ramp[s.seat] else 1.0
            )
            load = sum(r.hours for r, a in owned if a.seat == s.seat)
            utilizations.append(load / room if room else 0.0)
        covered = sum(r.hours for r, _ in owned)
        total = sum(r.hours for r in present)
        once = sum(cost for (paid, cost) in one_off.values() if paid == t)
        fit_hours = sum(r.hours * a.fit for r, a in owned)
        run_rate = sum(s.cost for s in filled)
        by_role: dict[str, int] = {}
        for s in filled:
            by_role[s.role] = by_role.get(s.role, 0) + 1
        by_period.append(
            PeriodKpis(
                label,
                Kpis(
                    headcount=len(filled),
                    total_cost=run_rate,
                    total_hours=total,
                    covered_hours=covered,
                    coverage=covered / total if total else 1.0,
                    mean_fit=fit_hours / covered if covered else 0.0,
                    handoff_cost=handoffs,
                    max_utilization=max(utilizations, default=0.0),
                    mean_utilization=sum(utilizations) / len(utilizations) if filled else 0.0,
                    quality=fit_hours - handoffs,
                    covered_priority_hours=sum(r.hours * r.priority for r, _ in owned),
                    total_priority_hours=sum(r.hours * r.priority for r in present),
                    internal=sum(1 for s in filled if s.candidate and s.internal),
                    external=sum(1 for s in filled if s.candidate and not s.internal),
                    open_reqs=sum(1 for s in filled if s.open_req),
                    skill_gaps=sum(len(a.gaps) for _, a in owned),
                    headcount_by_role=by_role,
                    spend=run_rate * share + once,
                ),
                one_off_cost=once,
            )
        )
    timed_seats = []
    for s in base.seats:
        mine = [a for a in assignments if a.seat == s.seat]
        loads = [sum(a.hours for a in mine if label in a.periods) for label in labels]
        hours = max(loads, default=0.0)
        paid, cost = one_off[s.seat]
        timed_seats.append(
            dataclasses.replace(
                s,
                hours=hours,
                responsibilities=tuple(a.responsibility for a in mine),
                fit=sum(a.hours * a.fit for a in mine) / sum(a.hours for a in mine)
                if mine
                else 0.0,
                start=labels[start[s.seat]],
                open_by=labels[paid] if s.open_req else None,
                ramp_periods=ramp[s.seat],
                one_off_cost=cost,
            )
        )
    final = by_period[-1].kpis
    total = sum(p.kpis.total_hours for p in by_period)
    covered = sum(p.kpis.covered_hours for p in by_period)
    kpis = dataclasses.replace(
        final,
        total_hours=total / len(labels),
        covered_hours=covered / len(labels),
        coverage=covered / total if total else 1.0,
        mean_fit=sum(p.kpis.quality + p.kpis.handoff_cost for p in by_period) / covered
        if covered
        else 0.0,
        handoff_cost=sum(p.kpis.handoff_cost for p in by_period),
        max_utilization=max(p.kpis.max_utilization for p in by_period),
        quality=sum(p.kpis.quality for p in by_period),
        covered_priority_hours=sum(p.kpis.covered_priority_hours for p in by_period),
        total_priority_hours=sum(p.kpis.total_priority_hours for p in by_period),
        skill_gaps=sum(len(a.gaps) for a in assignments),
        spend=sum(p.kpis.spend for p in by_period),
    )
    handoffs_out = tuple(
        Handoff(between, seats_, cost) for between, (cost, seats_) in split.items()
    )
    return dataclasses.replace(
        base,
        seats=tuple(timed_seats),
        assignments=tuple(assignments),
        uncovered=tuple(uncovered),
        handoffs=handoffs_out,
        kpis=kpis,
        periods=tuple(labels),
        kpis_by_period=tuple(by_period),
    )


def _every_pairing(
    scenario: Scenario, base: Plan, owners: Mapping[str, Mapping[str, str]]
) -> list[Assignment]:
    """The assignment of each responsibility to each seat that owns it in some period."""
    found = []
    for resp, by in owners.items():
        for seat_id in dict.fromkeys(by.values()):
            seats = [(s.seat, s.role, s.candidate) for s in base.seats]
            one = make_plan(scenario, seats, {resp: seat_id}, structure=base.structure)
            found.append(next(a for a in one.assignments if a.responsibility == resp))
    return found


def timed_sample() -> tuple[Scenario, Plan]:
    """The timed sample scenario and a plan for it under `lean`, over Q1-Q4.

    - PM-1, Ana (internal mover, backfill 15,000), from Q1; TPM-1, Raj (internal), from Q1;
    - PM-2, an open PM requisition: opened in Q1, starts Q3, ramps up in Q3 (hire 20,000);
    - PMM-1, an open PMM requisition: opened in Q2, starts Q3, no ramp (hire 10,000);
    - pricing changes owner (PM-1 in Q1-Q2, PM-2 in Q3-Q4), positioning too (PM-1, then
      PMM-1); analyst relations is uncovered in Q1-Q2; the launch exists in Q3-Q4 only.
    """
    scenario = Scenario.model_validate(timed_scenario_data())
    every = dict.fromkeys(PERIODS, "")
    plan = make_timed_plan(
        scenario,
        [
            ("PM-1", "PM", "ana", "Q1"),
            ("PM-2", "PM", None, "Q3"),
            ("TPM-1", "TPM", "raj", "Q1"),
            ("PMM-1", "PMM", None, "Q3"),
        ],
        {
            "roadmap": {p: "PM-1" for p in every},
            "pricing": {"Q1": "PM-1", "Q2": "PM-1", "Q3": "PM-2", "Q4": "PM-2"},
            "positioning": {"Q1": "PM-1", "Q2": "PM-1", "Q3": "PMM-1", "Q4": "PMM-1"},
            "backlog": {p: "TPM-1" for p in every},
            "release": {p: "TPM-1" for p in every},
            "analyst_relations": {"Q3": "PMM-1", "Q4": "PMM-1"},
            "launch": {"Q3": "PMM-1", "Q4": "PMM-1"},
        },
        structure="lean",
    )
    return scenario, plan
