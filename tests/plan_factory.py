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

from collections.abc import Mapping, Sequence
from typing import Any

from orgplan.domain.rules import candidate_cost, candidate_levels, fit, gaps
from orgplan.results.plan import (
    Assignment,
    Handoff,
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
