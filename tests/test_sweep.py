"""`orgplan sweep`: ranges, monotonicity of the frontier, infeasible points, the workbook,
the JSON and the command line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from orgplan.analysis.compare import priority_coverage
from orgplan.analysis.sweep import SWEEP_FORMAT, Sweep, parse_range
from orgplan.cli import app
from orgplan.errors import UsageError
from orgplan.jobs.sweep import sweep_scenario
from orgplan.results.plan import Plan
from orgplan.scenario.format import Scenario
from orgplan.scenario.loading import load_scenario, parse_scenario
from orgplan.solving.options import QUALITY_TOLERANCE

STARTUP = Path(__file__).resolve().parents[1] / "scenarios" / "startup.yaml"

SMALL: dict[str, Any] = {
    "name": "Small team",
    "roles": {
        "PM": {"cost": 100, "open_reqs": 2, "hire_profile": {"domain": 4}},
        "TPM": {"cost": 80, "open_reqs": 1, "hire_profile": {"technical": 4}},
    },
    "responsibilities": [
        {"id": "roadmap", "hours": 30, "needs": {"domain": 4}, "roles": ["PM"], "priority": 2},
        {"id": "research", "hours": 30, "needs": {"domain": 3}, "roles": ["PM"]},
        {"id": "backlog", "hours": 30, "needs": {"technical": 4}, "roles": ["TPM", "PM"]},
    ],
    "candidates": [
        # must be placed, and costs more than the smallest budgets allow
        {"id": "fixed", "fixed_role": "PM", "roles": ["PM"], "cost": 150, "skills": {"domain": 3}},
    ],
}


def small(**changes: Any) -> Scenario:
    return parse_scenario(yaml.safe_dump({**SMALL, **changes}, sort_keys=False), "small.yaml")


def stage_value(plan: Plan, objective: str) -> float:
    """What the planner proved best at one priority (before the next priority acted)."""
    return next(s.value for s in plan.solver.stages if s.objective == objective)


# ---- ranges ---------------------------------------------------------------------------------


def test_parse_range_reads_amounts_with_suffixes() -> None:
    assert parse_range("300000:900000:200000").values() == [300000, 500000, 700000, 900000]
    assert parse_range("300k:0.9M:300k").values() == [300000, 600000, 900000]
    assert parse_range("1_000:1,500:250").values() == [1000, 1250, 1500]
    assert parse_range("5:5:1").values() == [5]
    # a last step that overshoots TO is left out
    assert parse_range("1:6:2", "--headcount", integer=True).values() == [1, 3, 5]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("300k-900k", "expected FROM:TO:STEP, e.g. 300000:900000:100000"),
        ("1:2", "expected FROM:TO:STEP"),
        ("a:2:1", "FROM is not a number >= 0: 'a'"),
        ("-1:2:1", "FROM is not a number >= 0"),
        ("1:2:0", "STEP must be > 0"),
        ("5:1:1", "FROM must not exceed TO"),
        ("0:1000000:1", "gives 1000001 points; at most 200"),
    ],
)
def test_parse_range_refuses_bad_text_with_the_expected_form(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        parse_range(text, "--budget")


def test_headcount_range_must_be_whole_numbers() -> None:
    with pytest.raises(
        UsageError,
        match="--headcount: expected FROM:TO:STEP, e.g. 1:6:1; STEP must be a whole number",
    ):
        parse_range("1:4:0.5", "--headcount", integer=True)


# ---- what more budget buys --------------------------------------------------------------------


def assert_monotone(result: Sweep) -> None:
    """What raising one limit guarantees, point after point.

    Raising the budget (or the headcount cap) only relaxes one constraint, so each
    priority's best value can only grow, as long as the priorities before it are equal:
    - coverage comes first and has no tolerance: it never falls (exactly, up to float
      rounding);
    - quality is second: the best quality never falls *at equal coverage*. Once coverage
      rises, quality may fall (the extra work can go to a weaker owner), so no claim then;
    - a plan's own quality q may sit up to the quality tolerance t (1%) below that best Q*
      (the cost stage trades it for a cheaper team), so at equal coverage q is monotone
      only within t: with f(x) = x - t|x| (increasing), q2 >= f(Q2*) >= f(Q1*) >= f(q1).
    """
    plans = [p.plan for p in result.points if p.plan is not None]
    assert len(plans) >= 2
    for before, after in zip(plans, plans[1:], strict=False):
        cov1, cov2 = priority_coverage(before), priority_coverage(after)
        assert cov2 >= cov1 - 1e-9
        if abs(cov2 - cov1) <= 1e-9:
            best1, best2 = stage_value(before, "quality"), stage_value(after, "quality")
            assert best2 >= best1 - 1e-6
            q1, q2 = before.kpis.quality, after.kpis.quality
            assert q2 >= q1 - QUALITY_TOLERANCE * abs(q1) - 1e-6


def test_more_budget_never_lowers_coverage_or_quality_on_the_startup_example() -> None:
    result = sweep_scenario(load_scenario(STARTUP), parse_range("50k:550k:25k"))
    assert all(p.status == "optimal" for p in result.points)
    assert_monotone(result)
    plans = [p.plan for p in result.points if p.plan is not None]
    # the sweep is not flat: coverage climbs from the smallest budget to the largest
    assert priority_coverage(plans[0]) < priority_coverage(plans[-1])
    # every plan stays within its budget
    for point in result.points:
        assert point.plan is not None and point.budget is not None
        assert point.plan.kpis.total_cost <= point.budget + 1e-6


def test_a_higher_headcount_cap_never_lowers_coverage_or_quality() -> None:
    scenario = load_scenario(STARTUP)
    result = sweep_scenario(scenario, headcount=parse_range("1:5:1", "--headcount", integer=True))
    assert [p.max_headcount for p in result.points] == [1, 2, 3, 4, 5]
    for point in result.points:
        assert point.plan is not None and point.max_headcount is not None
        assert point.plan.kpis.headcount <= point.max_headcount
    assert_monotone(result)


def test_the_frontier_keeps_only_points_that_buy_something() -> None:
    result = sweep_scenario(load_scenario(STARTUP), parse_range("100k:500k:50k"))
    frontier = result.frontier()
    assert frontier and frontier[0].frontier
    costs = [p.plan.kpis.total_cost for p in frontier if p.plan]
    assert costs == sorted(costs) and len(set(costs)) == len(costs)  # one point per cost
    for point in result.points:
        if point.plan is None or point.frontier:
            continue
        # off the frontier: some frontier point costs no more and is at least as good
        cov = priority_coverage(point.plan)
        assert any(
            f.plan is not None
            and f.plan.kpis.total_cost <= point.plan.kpis.total_cost + 0.5
            and priority_coverage(f.plan) >= cov - 1e-9
            for f in frontier
        )


def test_infeasible_points_are_shown_as_such() -> None:
    result = sweep_scenario(small(), parse_range("100:400:100"))
    statuses = [p.status for p in result.points]
    assert statuses[0] == "infeasible"  # the fixed hire alone costs 150
    assert statuses[-1] == "optimal"
    first = result.points[0]
    assert first.plan is None and first.outcome.reasons and not first.frontier
    data = result.to_json()
    assert data["points"][0]["status"] == "infeasible" and data["points"][0]["reasons"]
    assert "plan" not in data["points"][0]
    assert_monotone(result)


def test_sweep_structure_override_cannot_hide_the_swept_budget() -> None:
    scenario = small(structures={"capped": {"roles": ["PM", "TPM"], "budget": 150}})
    result = sweep_scenario(scenario, parse_range("150:450:150"), structure="capped")
    costs = [p.plan.kpis.total_cost for p in result.points if p.plan]
    assert max(costs) > 150  # the structure's own budget of 150 was replaced by the sweep's


def test_sweep_unknown_structure_or_no_range_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown structure 'nope'"):
        sweep_scenario(small(), parse_range("100:200:100"), structure="nope")
    with pytest.raises(UsageError, match="--budget FROM:TO:STEP"):
        sweep_scenario(small())


def test_budget_and_headcount_together_sweep_the_grid() -> None:
    result = sweep_scenario(
        small(), parse_range("200:300:100"), parse_range("1:2:1", "--headcount", integer=True)
    )
    assert [(p.budget, p.max_headcount) for p in result.points] == [
        (200, 1),
        (300, 1),
        (200, 2),
        (300, 2),
    ]
    assert result.axes == ("budget", "max_headcount")


# ---- outputs ---------------------------------------------------------------------------------


def test_sweep_json_and_workbook(tmp_path: Path) -> None:
    from orgplan.reports.excel.compare import write_sweep_workbook

    result = sweep_scenario(small(), parse_range("100:400:100"))
    data = result.to_json()
    assert data["format"] == SWEEP_FORMAT
    assert data["axes"] == ["budget"]
    assert [p["budget"] for p in data["points"]] == [100, 200, 300, 400]
    feasible = [p for p in data["points"] if p["status"] == "optimal"]
    for point in feasible:
        assert point["plan"]["format"] == "orgplan.plan/1"
        assert point["total_cost"] == point["plan"]["kpis"]["total_cost"]

    path = tmp_path / "sweep.xlsx"
    write_sweep_workbook(result, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Sweep"]
    ws = wb["Sweep"]
    header = [c.value for c in ws[5]]
    assert header[:4] == ["Budget", "Max headcount", "Status", "Team cost"]
    rows = [r for r in ws.iter_rows(min_row=6, max_row=9, values_only=True)]
    assert [r[0] for r in rows] == [100, 200, 300, 400]
    assert rows[0][2] == "infeasible" and rows[0][14]
    for row, point in zip(rows[1:], data["points"][1:], strict=True):
        assert row[3] == point["total_cost"]
        assert row[6] == pytest.approx(point["priority_coverage"], abs=1e-4)
        assert (row[13] == "Yes") == point["frontier"]
    assert set(ws.tables) == {"Sweep", "Frontier"}
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        assert all("scatterChart" in archive.read(n).decode() for n in charts)


# ---- the command line -------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture()
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(SMALL, sort_keys=False), encoding="utf-8")
    return path


def test_cli_sweep_prints_the_table_and_the_frontier(small_file: Path, tmp_path: Path) -> None:
    out_json, out_xlsx = tmp_path / "s.json", tmp_path / "s.xlsx"
    result = runner.invoke(
        app,
        [
            "sweep",
            str(small_file),
            "--budget",
            "100:400:100",
            "--json",
            str(out_json),
            "-o",
            str(out_xlsx),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "infeasible" in result.stdout and "Frontier:" in result.stdout
    assert json.loads(out_json.read_text())["format"] == "orgplan.sweep/1"
    assert out_xlsx.exists()
    again = runner.invoke(
        app, ["sweep", str(small_file), "--budget", "100:400:100", "--json", str(out_json)]
    )
    assert again.exit_code == 2 and "already exists" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--budget", "lots"], "--budget: expected FROM:TO:STEP"),
        (["--headcount", "1:3"], "--headcount: expected FROM:TO:STEP, e.g. 1:6:1"),
        ([], "give --budget FROM:TO:STEP and/or --headcount FROM:TO:STEP"),
        (["--budget", "1:2:1", "--structure", "solo"], "unknown structure 'solo'"),
    ],
)
def test_cli_sweep_usage_errors_exit_2(small_file: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["sweep", str(small_file), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
