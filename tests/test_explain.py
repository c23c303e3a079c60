"""`orgplan explain`: every what-if agrees with an independent solve of the edited
scenario, the reasons of clear-cut cases read as they should, the near-best teams are
monotone in the tolerance, and the outputs (terminal, JSON, workbook) carry them.

The what-ifs run in this process (`workers=1`), so the autouse checker re-checks every
plan they assemble against the edited scenario alone.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from orgplan.analysis.diff import diff_plans
from orgplan.analysis.explanation import NEAR_BEST, Change, Explanation, WhatIf, questions
from orgplan.errors import Infeasible
from orgplan.jobs.explain import explain_scenario
from orgplan.results.status import SolveStatus
from orgplan.scenario.loading import load_scenario
from orgplan.solving.options import SolveOptions
from solver_helpers import cand, resp, scenario, solve_checked, stage
from test_bruteforce import brute_force, instances, lexicographic, pytest_approx


def explained(scen: Any, structure: str | None = None, **more: Any) -> Explanation:
    """The explanation, every what-if solved here (so the checker sees each plan)."""
    return explain_scenario(scen, structure, SolveOptions(explain=False), workers=1, **more)


# ---- the what-ifs against an independent solve ---------------------------------------------


def edited(data: dict[str, Any], what: WhatIf) -> dict[str, Any]:
    """The instance's data with the what-if's change typed in, as a user would."""
    changed = json.loads(json.dumps(data))
    if what.change is Change.UNFILLED:
        changed["roles"][what.role]["open_reqs"] -= 1
        return changed
    for c in changed["candidates"]:
        if c["id"] == what.candidate:
            if what.change is Change.WITHOUT:
                c["exclude"] = True
                c.pop("fixed_role", None)
            else:
                c["fixed_role"] = what.role
                c["exclude"] = False
    return changed


def assert_lexicographic_optimum(plan: Any, results: list, tolerance: float) -> None:
    """The plan reaches the enumeration's coverage and quality and its least cost."""
    best_cov, best_q, loose, tight = lexicographic(results, tolerance)
    assert plan.kpis.covered_priority_hours == pytest_approx(best_cov)
    assert stage(plan, "quality") == pytest_approx(best_q)
    assert plan.kpis.quality >= best_q - tolerance * abs(best_q) - 1e-6
    assert loose - 1e-6 <= plan.kpis.total_cost <= tight + 1e-6, (loose, tight)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_what_if_is_the_exhaustive_optimum_of_the_edited_scenario(instance):
    data, structure = instance
    scen = scenario(**data)
    if not brute_force(scen, structure):
        with pytest.raises(Infeasible):
            explained(scen, structure)
        return
    explanation = explained(scen, structure)
    answered = [p.if_removed for p in explanation.placed]
    answered += [r.if_unfilled for r in explanation.open_reqs]
    answered += [a.if_placed for r in explanation.open_reqs for a in r.alternatives]
    answered += [u.if_placed for u in explanation.unplaced]
    for cf in answered:
        if cf is None:
            continue
        other = scenario(**edited(data, cf.what))
        results = brute_force(other, structure)
        if not results:
            assert cf.outcome.status is SolveStatus.INFEASIBLE, cf.what
            assert cf.outcome.reasons
            continue
        assert cf.plan is not None and cf.plan.status is SolveStatus.OPTIMAL, cf.what
        assert_lexicographic_optimum(cf.plan, results, 0.01)
    # the near-best teams: the least cost within each tolerance of the best quality
    results = brute_force(scen, structure)
    costs = [explanation.plan.kpis.total_cost]
    for near in explanation.alternatives:
        assert near.outcome.plan is not None
        assert_lexicographic_optimum(near.outcome.plan, results, near.tolerance)
        costs.append(near.outcome.plan.kpis.total_cost)
    assert costs == sorted(costs, reverse=True), "a looser tolerance never costs more"


def test_a_what_if_agrees_with_solving_the_edited_file_on_the_startup_example():
    scen = load_scenario("scenarios/startup.yaml")
    explanation = explained(scen)
    data = scen.model_dump(exclude_unset=True)
    for p in explanation.placed:
        assert p.if_removed is not None
        again = solve_checked(scenario_from(edited(data, p.if_removed.what)))
        found = p.if_removed.plan
        assert found is not None
        assert found.kpis.coverage == pytest.approx(again.kpis.coverage)
        assert found.kpis.quality == pytest.approx(again.kpis.quality)
        assert found.kpis.total_cost == pytest.approx(again.kpis.total_cost)


def scenario_from(data: dict[str, Any]) -> Any:
    from orgplan.scenario.format import Scenario

    return Scenario.model_validate(data)


# ---- the reasons of clear-cut cases ---------------------------------------------------------

ROLES = {
    "PM": {"cost": 100, "floors": {"business": 3}},
    "TPM": {"cost": 100, "floors": {"technical": 4}},
}


def test_a_floor_gap_is_named_without_a_solve():
    scen = scenario(
        [resp("spec", 20, needs={"technical": 4})],
        [
            cand("ana", skills={"technical": 4}, cost=90, roles=["TPM"]),
            cand("leo", skills={"technical": 3}, cost=50, roles=["TPM"]),
        ],
        roles=ROLES,
    )
    explanation = explained(scen)
    (leo,) = [u for u in explanation.unplaced if u.candidate.id == "leo"]
    assert leo.why_not == "TPM: technical 3 < 4"
    assert leo.if_placed is None
    assert WhatIf(Change.PLACED, "leo", "TPM") not in questions(explanation.plan, scen)


def test_cost_is_the_reason_when_someone_as_good_is_cheaper():
    scen = scenario(
        [resp("spec", 20, needs={"technical": 4})],
        [
            cand("ana", skills={"technical": 4}, cost=90, roles=["TPM"]),
            cand("ben", skills={"technical": 4}, cost=130, roles=["TPM"]),
        ],
        roles=ROLES,
    )
    explanation = explained(scen)
    (ben,) = explanation.unplaced
    assert ben.why_not == (
        "TPM-1 went to ana at 100% fit for 90 USD; ben would cost 130 USD at 100%; "
        "as TPM: cost +40 USD; so it costs more for work the plan covers as well"
    )
    assert ben.if_placed is not None and ben.if_placed.plan is not None
    assert ben.if_placed.plan.kpis.total_cost == 130


def test_over_the_budget_the_what_if_has_no_plan_and_says_why():
    scen = scenario(
        [resp("spec", 20, needs={"technical": 4})],
        [
            cand("ana", skills={"technical": 4}, cost=90, roles=["TPM"]),
            cand("ben", skills={"technical": 5}, cost=300, roles=["TPM"]),
        ],
        roles=ROLES,
        policy={"budget": 200},
    )
    explanation = explained(scen)
    (ben,) = explanation.unplaced
    assert ben.if_placed is not None and ben.if_placed.outcome.status is SolveStatus.INFEASIBLE
    assert "as TPM: no plan meets the hard limits: " in ben.why_not
    assert "budget" in ben.why_not
    assert ben.why_not.endswith("so the plan cannot take it")


def test_not_needed_when_the_plan_covers_their_work_at_a_better_fit():
    scen = scenario(
        [resp("spec", 20, needs={"technical": 5})],
        [
            cand("ana", skills={"technical": 5}, cost=120, roles=["TPM"]),
            cand("ben", skills={"technical": 4}, cost=80, roles=["TPM"]),
        ],
        roles=ROLES,
    )
    explanation = explained(scen)
    (ben,) = explanation.unplaced
    # placed, ben holds a seat that owns nothing the plan does not already cover better
    assert ben.why_not == (
        "TPM-1 went to ana at 100% fit; ben would fit its work 80%; as TPM: cost +80 USD; "
        "so it costs more for work the plan covers as well"
    )


def test_a_placed_person_is_defended_against_the_next_best_and_a_requisition():
    scen = scenario(
        [resp("spec", 20, needs={"technical": 4})],
        [
            cand("ana", skills={"technical": 4}, cost=90, roles=["TPM"]),
            cand("ben", skills={"technical": 4}, cost=130, roles=["TPM"]),
        ],
        roles={**ROLES, "TPM": {**ROLES["TPM"], "open_reqs": 1, "cost": 150}},
    )
    explanation = explained(scen)
    (ana,) = explanation.placed
    assert ana.why == (
        "owns 20 h of spec at 100% fit for 90 USD; next best for this work: ben at 100% for "
        "130 USD; a requisition: 100% assumed (hire profile) for 150 USD"
    )
    assert ana.risk == "if ana leaves or declines, cost +40 USD; plan B: places ben as TPM"


# ---- key-person risk and the weakest point ---------------------------------------------------


def test_the_weakest_point_is_the_person_only_they_can_replace():
    scen = scenario(
        [resp("pricing", 20, needs={"business": 4}), resp("spec", 20, needs={"technical": 4})],
        [
            cand("maya", skills={"business": 4}, cost=100, roles=["PM"]),
            cand("raj", skills={"technical": 4}, cost=100, roles=["TPM"]),
            cand("lena", skills={"technical": 4}, cost=110, roles=["TPM"]),
        ],
        roles=ROLES,
    )
    explanation = explained(scen)
    assert explanation.weakest == (
        "if maya leaves or declines, coverage drops from 100% to 50%; plan B: 1 "
        "responsibility left uncovered"
    )
    (raj,) = [p for p in explanation.placed if p.seat.candidate == "raj"]
    assert raj.risk == "if raj leaves or declines, cost +10 USD; plan B: places lena as TPM"


# ---- the near-best teams ------------------------------------------------------------------------


def test_the_startup_near_best_team_names_the_cheaper_team_past_the_tolerance():
    explanation = explained(load_scenario("scenarios/startup.yaml"))
    first = explanation.alternatives[0]
    assert first.tolerance == NEAR_BEST[0]
    assert first.summary == (
        "give up at most 2% of the best quality: 310,000 USD, quality -1.1%, cost "
        "-80,000 USD; places Ines Duarte as Analyst, closes a PM requisition"
    )
    assert explanation.alternatives[1].summary == (
        "give up at most 5% of the best quality: the same team as at 2%"
    )


# ---- the diff of two plans ----------------------------------------------------------------------


def _seat(seat: str, role: str, candidate: str | None) -> dict[str, Any]:
    return {"seat": seat, "role": role, "candidate": candidate, "name": candidate or "Open"}


def _own(rid: str, seat: str, candidate: str | None) -> dict[str, Any]:
    return {"responsibility": rid, "seat": seat, "candidate": candidate}


def test_diff_names_moves_requisitions_and_owners():
    before = {
        "seats": [
            _seat("PM-1", "PM", "maya"),
            _seat("TPM-1", "TPM", "raj"),
            _seat("TPM-2", "TPM", None),
        ],
        "assignments": [_own("pricing", "PM-1", "maya"), _own("spec", "TPM-2", None)],
        "uncovered": [{"responsibility": "sprints"}],
        "kpis": {"total_cost": 300},
    }
    after = {
        "seats": [_seat("PM-1", "PM", "raj"), _seat("TPM-1", "TPM", "lena")],
        "assignments": [
            _own("pricing", "PM-1", "raj"),
            _own("spec", "TPM-1", "lena"),
            _own("sprints", "TPM-1", "lena"),
        ],
        "uncovered": [],
        "kpis": {"total_cost": 250},
    }
    diff = diff_plans(before, after).to_json()
    assert diff["seats_added"] == [
        {"holder": "lena", "seat": "TPM-1", "role": "TPM", "candidate": "lena"}
    ]
    assert diff["seats_removed"] == [
        {"holder": "maya", "seat": "PM-1", "role": "PM", "candidate": "maya"},
        {"holder": "TPM-2", "seat": "TPM-2", "role": "TPM", "candidate": None},
    ]
    assert diff["moved"] == [{"candidate": "raj", "from": "TPM", "to": "PM"}]
    assert diff["owners_changed"] == [
        {"responsibility": "pricing", "from": "maya", "to": "raj"},
        {"responsibility": "spec", "from": "TPM-2", "to": "lena"},
        {"responsibility": "sprints", "from": None, "to": "lena"},
    ]
    assert diff["kpis"] == {"before": {"total_cost": 300}, "after": {"total_cost": 250}}
    assert diff["before"] == diff["after"] == "? (?)"
    assert diff_plans(before, before).unchanged


def test_requisitions_of_a_role_are_alike_whatever_their_numbers():
    before = {
        "seats": [_seat("TPM-2", "TPM", None)],
        "assignments": [_own("spec", "TPM-2", None)],
        "uncovered": [],
    }
    after = {
        "seats": [_seat("TPM-1", "TPM", None)],
        "assignments": [_own("spec", "TPM-1", None)],
        "uncovered": [],
    }
    assert diff_plans(before, after).unchanged


# ---- the outputs -----------------------------------------------------------------------------


def test_the_command_line_explains_at_80_columns(
    run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    from pathlib import Path

    scen = Path(__file__).resolve().parent.parent / "scenarios" / "startup.yaml"
    result = run("explain", str(scen), "--jobs", "1", "-o", "why.xlsx")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert not any(line.endswith(" ") for line in lines)
    text = " ".join(line.strip() for line in lines)
    assert "Cheaper near-best teams give up at most 2% of the best quality: 310,000 USD" in text
    assert "Weakest point if Maya Chen leaves or declines, coverage drops from 95% to 84%" in text
    assert result.stderr == "wrote why.xlsx\n"
    assert (tmp_path / "why.xlsx").exists()


def test_an_unknown_candidate_is_a_usage_error_before_solving(
    run: Any, write: Any, tmp_path: Any
) -> None:
    from conftest import make_scenario

    write(make_scenario())
    result = run("explain", "s.yaml", "--candidate", "mayaa", "--json", "e.json")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --candidate: no candidate 'mayaa'")
    assert "its candidates: " in result.stderr
    assert not (tmp_path / "e.json").exists()


def test_the_candidate_option_explains_only_them_and_prices_each() -> None:
    scen = load_scenario("scenarios/saas.yaml")
    explanation = explained(scen, candidates=["marcus"])
    assert explanation.placed == ()
    (marcus,) = explanation.unplaced
    assert marcus.if_placed is not None
    (pmm,) = [r for r in explanation.open_reqs if r.seat.role == "PMM"]
    assert [a.candidate.id for a in pmm.alternatives] == ["marcus"]
    assert marcus.why_not.startswith(
        "PMM-2 went to an open requisition at 100% assumed fit (hire profile); Marcus Webb "
        "would fit its work 96%; as PMM: "
    )


def test_the_workbook_carries_the_why_sheet_and_the_why_columns(tmp_path: Any) -> None:
    from openpyxl import load_workbook

    from orgplan.reports.excel.workbook import write_plan_workbook

    scen = load_scenario("scenarios/startup.yaml")
    explanation = explained(scen)
    path = write_plan_workbook(explanation.plan, scen, tmp_path / "p.xlsx", explanation=explanation)
    wb = load_workbook(path)
    assert wb.sheetnames.index("Why") == wb.sheetnames.index("Candidate fit") + 1
    why = [[c.value for c in row] for row in wb["Why"].iter_rows()]
    flat = [v for row in why for v in row if isinstance(v, str)]
    assert explanation.weakest in flat
    assert explanation.alternatives[0].summary in flat
    team = wb["Team"]
    header = next(r for r in team.iter_rows(values_only=True) if r[0] == "Seat")
    assert header[-2:] == ("Why", "If they leave")
    rows = [r for r in team.iter_rows(values_only=True) if r[0] in ("PM-1", "PM-2")]
    assert rows[0][-2:] == (explanation.placed[0].why, explanation.placed[0].risk)
    assert "assumed fit (the PM hire profile, not a person)" in rows[1][-2]
    assert "An open requisition's fit is assumed" in team["A2"].value
    fit = wb["Candidate fit"]
    header = next(r for r in fit.iter_rows(values_only=True) if r[0] == "Candidate")
    detail = header.index("Detail")
    by_id = {r[1]: r[detail] for r in fit.iter_rows(values_only=True) if r[0] != "Candidate"}
    assert by_id["maya"] == explanation.why_of("maya")
    assert by_id["ines"] == explanation.why_of("ines")
    summary = [c.value for row in wb["Summary"].iter_rows() for c in row]
    assert explanation.weakest in summary
    # without an explanation the workbook has no Why sheet nor columns
    plain = load_workbook(write_plan_workbook(explanation.plan, scen, tmp_path / "q.xlsx"))
    assert "Why" not in plain.sheetnames


def test_a_decided_person_is_explained_as_decided_and_their_plan_b_drops_the_decision():
    scen = scenario(
        [resp("spec", 20, needs={"technical": 4})],
        [
            cand("ana", skills={"technical": 4}, cost=90, roles=["TPM"]),
            cand("ben", skills={"technical": 4}, cost=130, roles=["TPM"]),
            cand("cy", skills={"technical": 4}, cost=80, roles=["TPM"]),
        ],
        roles=ROLES,
        decisions={"place": {"ben": "TPM"}, "exclude": ["cy"], "assign": {"spec": "ben"}},
    )
    explanation = explained(scen)
    (ben,) = explanation.placed
    assert ben.why.startswith("placed as TPM by a decision; owns 20 h of spec")
    assert ben.risk == "if ben leaves or declines, cost -40 USD; plan B: places ana as TPM"
    (ana, cy) = explanation.unplaced
    assert cy.why_not == "excluded by a decision"
    assert cy.if_placed is None
    assert ana.if_placed is not None and ana.if_placed.plan is not None


def test_an_unproven_cost_is_given_as_the_range_its_bound_proves():
    import dataclasses

    from orgplan.analysis.compare import Outcome
    from orgplan.analysis.explanation import explain

    scen = scenario(
        [resp("spec", 20, needs={"technical": 4})],
        [
            cand("ana", skills={"technical": 4}, cost=90, roles=["TPM"]),
            cand("ben", skills={"technical": 4}, cost=130, roles=["TPM"]),
        ],
        roles=ROLES,
    )
    plan = solve_checked(scen)
    without = solve_checked(scenario(**edited_data(scen, "ana")))
    # the same plan B, as a solve stopped by its time limit would report it: coverage and
    # quality proven, the cost stage's bound at 100 (so plan B costs 10 to 40 more)
    stages = tuple(
        dataclasses.replace(s, status=SolveStatus.FEASIBLE, bound=100.0, gap=0.23)
        if s.objective == "cost"
        else s
        for s in without.solver.stages
    )
    solver = dataclasses.replace(
        without.solver, status=SolveStatus.FEASIBLE, gap=0.23, stages=stages
    )
    stopped = dataclasses.replace(without, solver=solver)
    answers = {WhatIf(Change.WITHOUT, "ana"): Outcome(SolveStatus.FEASIBLE, plan=stopped)}
    # and placing ben, stopped with a bound below the plan's cost: the solve cannot tell
    low = dataclasses.replace(
        stopped,
        solver=dataclasses.replace(
            solver,
            stages=tuple(
                dataclasses.replace(s, bound=80.0) if s.objective == "cost" else s for s in stages
            ),
        ),
    )
    answers[WhatIf(Change.PLACED, "ben", "TPM")] = Outcome(SolveStatus.FEASIBLE, plan=low)
    explanation = explain(plan, scen, answers)
    (ana,) = explanation.placed
    assert ana.risk == (
        "if ana leaves or declines, cost +10 to +40 USD (the best lies in that range; the "
        "solve stopped there); plan B: places ben as TPM"
    )
    (ben,) = explanation.unplaced
    assert ben.why_not.endswith(
        "as TPM: cost -10 to +40 USD (the best lies in that range; the solve stopped there); "
        "so it may cost more or less than the plan: the solve could not tell in time"
    )


def edited_data(scen: Any, leaving: str) -> dict[str, Any]:
    """The scenario's data with one candidate excluded."""
    data = json.loads(json.dumps(scen.model_dump(exclude_unset=True)))
    for c in data["candidates"]:
        if c["id"] == leaving:
            c["exclude"] = True
    return data
