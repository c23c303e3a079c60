"""The fit table's best role: of the roles a person may hold, the one whose work they fit
best and can own most of (the most fit hours a seat of that role could hold for them)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from orgplan.cli import app
from orgplan.domain.fitting import fit_hours, fit_table
from solver_helpers import cand, resp, scenario

# Four PM responsibilities of 14 h each: 56 h, each needing 5 in four skills. The applicant
# has 5, 5, 5 and 4: fit 19/20 = 95% on all of it, within max_skill_gap 1 everywhere.
PM_NEEDS = {"domain": 5, "business": 5, "judgement": 5, "communication": 5}
APPLICANT = {"domain": 5, "business": 5, "judgement": 5, "communication": 4, "technical": 3}


def only_pm_applicant(**candidate: object) -> object:
    """The case of the issue: the only PM applicant could own all 56 h of the PM work at
    95%, and the analyst work (8 h) at 100%."""
    return scenario(
        [
            *(resp(f"pm_{i}", 14, needs=PM_NEEDS, roles=["PM"]) for i in range(4)),
            resp("metrics", 8, needs={"technical": 3}, roles=["Analyst"]),
        ],
        [cand("pat", name="Pat Applicant", skills=APPLICANT, **candidate)],
        roles={
            "PM": {"cost": 100, "floors": {"domain": 3}},
            "Analyst": {"cost": 80, "floors": {"technical": 2}},
        },
    )


def test_the_only_pm_applicant_is_best_as_pm() -> None:
    row = fit_table(only_pm_applicant()).candidate("pat")
    pm, analyst = row.role("PM"), row.role("Analyst")
    assert (pm.work_fit, pm.eligible_hours) == (pytest.approx(0.95), 56)
    assert (analyst.work_fit, analyst.eligible_hours) == (1.0, 8)
    # a 40 h seat holds 40 of the 56 h at 95%: 38 fit hours, against the analyst's 8
    assert pm.fit_hours == pytest.approx(38.0)
    assert analyst.fit_hours == 8.0
    assert row.best_role == "PM"  # the better work fit alone (100%) would say Analyst


def test_the_seat_capacity_counts_the_persons_availability() -> None:
    # a fifth of a week: 8 h of PM work at 95% (7.6) against 8 h of analyst work at 100%
    row = fit_table(only_pm_applicant(availability=0.2)).candidate("pat")
    assert row.role("PM").fit_hours == pytest.approx(7.6)
    assert row.role("Analyst").fit_hours == pytest.approx(8.0)
    assert row.best_role == "Analyst"


def test_a_role_the_person_may_not_hold_is_never_best() -> None:
    assert fit_table(only_pm_applicant(roles=["Analyst"])).candidate("pat").best_role == "Analyst"
    assert fit_table(only_pm_applicant(exclude=True)).candidate("pat").best_role is None


def test_fit_hours_take_the_best_fitting_work_first_up_to_the_capacity() -> None:
    assert fit_hours([(8, 0.5), (10, 1.0), (30, 0.75)], 20) == pytest.approx(10 + 10 * 0.75)
    assert fit_hours([(8, 0.5)], 40) == pytest.approx(4.0)
    assert fit_hours([], 40) == 0.0


def test_ties_go_to_the_better_work_fit_then_role_fit_then_file_order() -> None:
    roles = {"A": {"cost": 1}, "B": {"cost": 1}}
    # both seats full of work the person fits perfectly: 40 fit hours each; A's work as a
    # whole fits less well (its other 10 h need what the person lacks)
    s = scenario(
        [
            resp("a1", 40, roles=["A"]),
            resp("a2", 10, needs={"technical": 5}, roles=["A"]),
            resp("b1", 40, roles=["B"]),
        ],
        [cand("x", skills={"technical": 1})],
        roles=roles,
    )
    row = fit_table(s).candidate("x")
    assert row.role("A").fit_hours == row.role("B").fit_hours == 40
    assert row.role("A").work_fit < row.role("B").work_fit
    assert row.best_role == "B"
    # all equal: file order
    s = scenario(
        [resp("a1", 40, roles=["A"]), resp("b1", 40, roles=["B"])], [cand("x")], roles=roles
    )
    assert fit_table(s).candidate("x").best_role == "A"


def test_the_fit_command_shows_the_best_role_and_its_rule(tmp_path: Path) -> None:
    data = {
        "name": "Only applicant",
        "roles": {
            "PM": {"cost": 100, "floors": {"domain": 3}},
            "Analyst": {"cost": 80, "floors": {"technical": 2}},
        },
        "responsibilities": [
            *({"id": f"pm_{i}", "hours": 14, "needs": PM_NEEDS, "roles": ["PM"]} for i in range(4)),
            {"id": "metrics", "hours": 8, "needs": {"technical": 3}, "roles": ["Analyst"]},
        ],
        "candidates": [{"id": "pat", "skills": APPLICANT}],
    }
    path = tmp_path / "only.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["fit", str(path)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("│ pat "))
    assert row.split("│")[-2].strip() == "PM"
    legend = " ".join(result.stdout.split())
    assert (
        "Best: of the roles the person may hold, the one with the most fit hours they could "
        "own (the role's work they may own, best fit first, up to the seat's capacity; ties: "
        "work fit, role fit, file order)"
    ) in legend
    result = CliRunner().invoke(app, ["fit", str(path), "--json"])
    (pat,) = yaml.safe_load(result.stdout)["candidates"]
    assert pat["best_role"] == "PM"
    assert [r["fit_hours"] for r in pat["roles"]] == [38, 8]
