"""`orgplan compare`: structures side by side, the superhero's overload, the verdict,
parallel solving, the comparison workbook and JSON, and the command line."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from orgplan.analysis.compare import COMPARE_FORMAT, Comparison, comparable_rule
from orgplan.cli import app
from orgplan.errors import UsageError
from orgplan.jobs.compare import (
    SolveTask,
    compare_scenarios,
    parse_structures,
    run_compare,
    solve_task,
)
from orgplan.reports.compare_console import render_comparison
from orgplan.reports.excel.compare import build_compare_workbook
from orgplan.reports.excel.toolkit.saving import workbook_bytes
from orgplan.scenario.format import Scenario
from orgplan.scenario.loading import load_scenario, parse_scenario

STARTUP = Path(__file__).resolve().parents[1] / "scenarios" / "startup.yaml"

# One founder-sized job of 70 hours a week: no single 40-hour seat can carry it.
OVERLOADED: dict[str, Any] = {
    "name": "Overloaded startup",
    "roles": {
        "PM": {"cost": 150, "open_reqs": 2, "hire_profile": {"domain": 4, "business": 4}},
        "PMM": {"cost": 120, "open_reqs": 1, "hire_profile": {"communication": 4}},
        "TPM": {"cost": 130, "open_reqs": 1, "hire_profile": {"technical": 4}},
    },
    "responsibilities": [
        {"id": "roadmap", "hours": 10, "needs": {"domain": 4}, "roles": ["PM"], "priority": 3},
        {"id": "pricing", "hours": 5, "needs": {"business": 4}, "roles": ["PM", "PMM"]},
        {
            "id": "positioning",
            "hours": 10,
            "needs": {"communication": 4},
            "roles": ["PMM", "PM"],
            "priority": 2,
        },
        {"id": "launches", "hours": 15, "needs": {"communication": 3}, "roles": ["PMM", "PM"]},
        {"id": "backlog", "hours": 20, "needs": {"technical": 3}, "roles": ["TPM", "PM"]},
        {"id": "research", "hours": 10, "needs": {"domain": 3}},
    ],
    "couplings": [{"between": ["pricing", "positioning"], "cost": 2}],
    "candidates": [],  # open requisitions only
    "structures": {
        "split": {"roles": ["PM", "PMM", "TPM"]},
        "lean": {"roles": {"PM": 1, "PMM": 1}},
    },
}


def overloaded(**changes: Any) -> Scenario:
    data = {**OVERLOADED, **changes}
    return parse_scenario(yaml.safe_dump(data, sort_keys=False), "overloaded.yaml")


def compare(scenario: Scenario, structures: list[str] | None = None, **kw: Any) -> Comparison:
    kw.setdefault("workers", 1)
    return compare_scenarios([("overloaded", scenario)], structures, **kw)


def strip_seconds(plan_json: dict[str, Any]) -> dict[str, Any]:
    """A plan JSON without solve times (the only part two solves may differ in)."""
    data = json.loads(json.dumps(plan_json))
    data["solver"].pop("seconds", None)
    for stage in data["solver"].get("stages", []):
        stage.pop("seconds", None)
    return data


# ---- the superhero cannot carry the load ------------------------------------------------


def test_superhero_covers_less_than_the_split_team_and_the_comparison_says_so() -> None:
    result = compare(overloaded())
    labels = [c.label for c in result.columns]
    assert labels == ["superhero", "split", "lean"]
    hero, split, _lean = (c.plan for c in result.columns)
    assert hero is not None and split is not None
    assert hero.kpis.covered_hours <= 40
    assert hero.kpis.coverage < split.kpis.coverage
    assert split.kpis.coverage == pytest.approx(1.0)

    # the table: the best coverage is starred on the split team, never on the superhero
    for key in ("priority_coverage", "coverage", "covered_hours"):
        assert 0 not in result.row(key).best
        assert 1 in result.row(key).best
    # the superhero's overload: all 70 h demanded of one 40 h seat
    assert result.row("demand_per_seat").values[0] == pytest.approx(70)
    assert result.row("capacity_per_seat").values[0] == pytest.approx(40)
    assert result.row("demand_ratio").values[0] == pytest.approx(70 / 40)
    assert result.row("overload").values[0] == pytest.approx(30)
    assert result.row("overload").shown[0] == "30 h/week over"
    assert result.row("overload").values[1] == 0
    assert "70 h vs 40 h (175%)" == result.row("demand_per_seat").shown[0]

    # the verdict: split wins on coverage, and it names the superhero's lower coverage
    assert result.winners == (1,)
    assert result.verdict.startswith("Verdict: split wins on coverage (100%")
    assert "superhero" in result.verdict and "wins" not in result.verdict.split("superhero")[1]


def test_rows_mark_the_best_value_in_the_right_direction() -> None:
    result = compare(overloaded())
    assert result.row("total_cost").better == "min"
    assert result.row("mean_fit").better == "max"
    # rows with no better direction are never starred
    for key in ("headcount", "open_reqs", "max_utilization", "structure", "status"):
        assert result.row(key).best == frozenset()
    # uncovered hours by priority, one row per priority (3, 2, 1)
    keys = [r.key for r in result.rows if r.key.startswith("uncovered:")]
    assert keys == ["uncovered:3", "uncovered:2", "uncovered:1"]


# Work one 40-hour PM can carry alone: every structure covers all of it.
LIGHT = [
    {"id": "roadmap", "hours": 10, "needs": {"domain": 4}, "roles": ["PM"], "priority": 3},
    {"id": "positioning", "hours": 10, "needs": {"communication": 4}, "roles": ["PMM", "PM"]},
    {"id": "launches", "hours": 15, "needs": {"communication": 3}, "roles": ["PMM", "PM"]},
]


def test_a_cheap_plan_that_covers_less_is_not_marked_best_on_cost_or_quality() -> None:
    # superhero: 150 a year for 45% of the priority-weighted work; split and lean cover
    # 100% and 80%: the superhero's cost is the lowest but not comparable, nor is lean's.
    result = compare(overloaded())
    cov = result.row("priority_coverage").values
    assert cov == (pytest.approx(0.45), pytest.approx(1.0), pytest.approx(0.8))
    cost = result.row("total_cost")
    assert cost.values == (150, 400, 270)
    for key in ("total_cost", "cost_per_hour", "mean_fit", "quality", "handoff_cost"):
        assert result.row(key).best == frozenset(), key  # only split is comparable
    assert result.row("priority_coverage").best == {1}  # coverage compares every plan
    # the rule is said where the marks are read
    assert "at most 1 percentage point below the best" in comparable_rule()


def test_the_cheapest_plan_is_marked_best_on_cost_when_coverage_is_equal() -> None:
    pm = {"cost": 150, "open_reqs": 2, "hire_profile": {"domain": 4, "business": 4}}
    pm["hire_profile"]["communication"] = 3  # a PM can position and launch, less well
    scenario = overloaded(
        responsibilities=LIGHT, couplings=[], roles={**OVERLOADED["roles"], "PM": pm}
    )
    result = compare(scenario, ["superhero", "lean"])
    assert [c.label for c in result.shown] == ["superhero", "lean"]  # different teams
    assert result.row("priority_coverage").values == (pytest.approx(1.0), pytest.approx(1.0))
    cost = result.row("total_cost")
    assert cost.values == (150, 270)
    assert cost.best == {0}  # the superhero covers as much, for less
    assert result.row("cost_per_hour").best == {0}
    assert result.row("mean_fit").best == {1}  # a PMM fits positioning better
    assert result.winners == (1,) and "lean wins on quality" in result.verdict


def test_structures_that_yield_the_same_team_are_one_column_and_not_a_draw() -> None:
    scenario = overloaded(
        structures={"a": {"roles": ["PM", "PMM", "TPM"]}, "b": {"roles": ["PM", "PMM", "TPM"]}}
    )
    result = compare(scenario, ["superhero", "a", "b"])
    assert [c.label for c in result.columns] == ["superhero", "a", "b"]
    assert [c.label for c in result.shown] == ["superhero", "a = b"]
    assert [c.label for c in result.shown[1].same_as] == ["b"]
    assert all(len(row.values) == 2 for row in result.rows)
    assert result.row("structure").shown[1] == (
        "a: PM, PMM, TPM (any number); b: PM, PMM, TPM (any number)"
    )
    assert result.winners == (1,)
    assert result.verdict.startswith("Verdict: a = b wins on coverage (100%")
    assert "draw" not in result.verdict and "tie" not in result.verdict
    # the JSON keeps one plan per structure compared (the contract)
    plans = result.to_json()["plans"]
    assert [p["structure"] for p in plans] == ["superhero", "a", "b"]
    assert plans[1]["seats"] == plans[2]["seats"]
    # the terminal: one column headed `a = b`, the rules in the legend
    console = Console(record=True, width=200, color_system=None)
    render_comparison(result, console)
    text = console.export_text()
    assert text.count("a = b") == 3  # the header, the legend and the verdict
    assert "a = b ★" in text and "│ a " not in text and "│ b " not in text
    assert "`a = b`: structures that yield the same team, shown once" in text
    assert comparable_rule() in " ".join(text.split())


def test_different_teams_are_not_merged_and_equal_plans_of_two_scenarios_draw() -> None:
    # split and lean give different teams: two columns.
    result = compare(overloaded(), ["split", "lean"])
    assert [c.label for c in result.shown] == ["split", "lean"]
    # the same team from two scenarios is not merged (they are different inputs): a draw
    two = compare_scenarios(
        [("this", overloaded()), ("that", overloaded(name="Same again"))], workers=1
    )
    assert [c.label for c in two.shown] == ["this", "that"]
    assert two.winners == (0, 1)
    assert "tie on quality" in two.verdict and "a draw" in two.verdict


def test_an_infeasible_structure_is_a_column_with_its_reason() -> None:
    scenario = overloaded(
        candidates=[
            {"id": "tess", "fixed_role": "TPM", "roles": ["TPM"], "skills": {"technical": 5}}
        ],
    )
    result = compare(scenario, ["superhero", "split"])
    hero, split = result.columns
    assert hero.status == "infeasible" and hero.plan is None
    assert split.status == "optimal"
    reasons = result.row("reasons")
    assert reasons.values[1] is None
    assert "tess" in str(reasons.values[0]).lower() or "TPM" in str(reasons.values[0])
    assert result.row("status").shown == ("infeasible", "optimal")
    assert result.winners == (1,)
    assert "superhero no plan" in result.verdict
    data = result.to_json()
    assert data["plans"][0]["solver"]["status"] == "infeasible"
    assert data["plans"][0]["seats"] == [] and data["plans"][0]["reasons"]
    assert data["plans"][0]["structure"] == "superhero"


def test_a_solve_stopped_by_the_time_limit_without_a_plan_is_a_no_plan_column(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import orgplan.solving.stages
    from orgplan.errors import SolverFailed

    real = orgplan.solving.stages.solve

    def slow_superhero(
        scenario: Scenario, structure: str | None = None, options: Any = None
    ) -> Any:
        if structure == "superhero":
            raise SolverFailed("no plan found within the time limit of 1 s")
        return real(scenario, structure, options)

    monkeypatch.setattr(orgplan.solving.stages, "solve", slow_superhero)
    result = compare(overloaded(), ["superhero", "split"])  # in this process: patched
    assert [c.status for c in result.columns] == ["no_plan", "optimal"]
    assert result.row("status").shown[0] == "no plan"
    assert "time limit" in str(result.row("reasons").values[0])
    data = result.to_json()["plans"][0]
    assert data["solver"]["status"] == "no_plan"
    assert all("time limit" in u["reason"] for u in data["uncovered"])


def test_unknown_structure_is_a_usage_error_naming_the_available_ones() -> None:
    with pytest.raises(UsageError) as caught:
        compare(overloaded(), ["superhero", "splt"])
    message = str(caught.value)
    assert "'splt'" in message and "did you mean 'split'" in message
    assert "available: superhero, split, lean" in message


def test_structures_are_solved_in_the_order_asked() -> None:
    result = compare(overloaded(), ["lean", "superhero"])
    assert [c.label for c in result.columns] == ["lean", "superhero"]
    assert [p["structure"] for p in result.to_json()["plans"]] == ["lean", "superhero"]


def test_parse_structures() -> None:
    assert parse_structures(None) is None
    assert parse_structures(" a, b ,a,") == ["a", "b"]
    with pytest.raises(UsageError, match="expected structure names"):
        parse_structures(" , ")


def test_a_file_with_no_structures_compares_the_superhero_with_every_role() -> None:
    scenario = overloaded(structures={})
    result = compare(scenario)
    assert [c.label for c in result.columns] == ["superhero", "all roles"]
    assert result.columns[1].structure is None
    assert result.row("structure").values == ("PM 1", "every role")


def test_whole_scenarios_compare_each_solved_with_no_structure() -> None:
    this_year = overloaded()
    next_year = overloaded(name="Next year", roles={**OVERLOADED["roles"], "PMM": {"cost": 90}})
    result = compare_scenarios([("2026", this_year), ("2027", next_year)], workers=1)
    assert [c.label for c in result.columns] == ["2026", "2027"]
    assert all(c.structure is None for c in result.columns)
    assert result.title == "Comparison: Overloaded startup vs Next year"
    plans = result.to_json()["plans"]
    assert [p["scenario"] for p in plans] == ["Overloaded startup", "Next year"]


# ---- solving in parallel processes --------------------------------------------------------


def test_parallel_results_equal_sequential_ones_in_the_order_asked() -> None:
    scenario = overloaded()
    one = compare(scenario, workers=1)
    two = compare(scenario, workers=2)  # the platform's default start method
    assert [strip_seconds(p) for p in one.to_json()["plans"]] == [
        strip_seconds(p) for p in two.to_json()["plans"]
    ]
    assert one.verdict == two.verdict


def test_a_scenario_with_its_own_backgrounds_pickles_for_the_workers() -> None:
    # The enterprise example adds backgrounds; their levels were read-only mappings that
    # a task's dump kept as such, and `orgplan compare` died pickling them.
    scenario = overloaded(
        backgrounds={"growth_marketer": {"communication": 5, "business": 4}},
        candidates=[{"id": "gm", "background": "growth_marketer", "roles": ["PMM"]}],
    )
    task = SolveTask.of(scenario, "split")
    assert pickle.loads(pickle.dumps(task)).load() == scenario
    two = compare(scenario, workers=2)
    one = compare(scenario, workers=1)
    assert [strip_seconds(p) for p in two.to_json()["plans"]] == [
        strip_seconds(p) for p in one.to_json()["plans"]
    ]
    assert any(s["candidate"] == "gm" for p in one.to_json()["plans"] for s in p["seats"])


@pytest.mark.slow
def test_parallel_solving_works_with_spawn_too() -> None:
    # spawn starts fresh interpreters: the task and its worker function must pickle and
    # import by name (fork, the Linux default, is covered above).
    scenario = overloaded()
    spawned = compare(scenario, workers=2, mp_context=multiprocessing.get_context("spawn"))
    one = compare(scenario, workers=1)
    assert [strip_seconds(p) for p in spawned.to_json()["plans"]] == [
        strip_seconds(p) for p in one.to_json()["plans"]
    ]


def test_a_task_keeps_what_the_structure_overrides_and_applies_policy_overrides() -> None:
    scenario = overloaded(
        policy={"budget": 1000},
        structures={"capped": {"roles": ["PM"], "budget": 150}, "open": {"roles": ["PM"]}},
    )
    task = SolveTask.of(scenario, "open")
    again = task.load()
    assert again == scenario
    assert not again.structures["open"].overrides("budget")
    assert again.structures["capped"].overrides("budget")
    swept = SolveTask.of(scenario, "capped", policy={"budget": 500}).load()
    assert swept.policy.budget == 500 and swept.structures["capped"].budget == 500
    assert swept.structures["open"].budget is None  # only the structure solved is changed
    outcome = solve_task(SolveTask.of(scenario, "capped"))
    assert outcome.plan is not None and outcome.plan.kpis.total_cost <= 150


# ---- the startup example ------------------------------------------------------------------


def test_startup_example_shows_the_superhero_overload_next_to_the_split_team(
    tmp_path: Path,
) -> None:
    run = run_compare([STARTUP], json_path=tmp_path / "c.json", workers=2)
    result = run.comparison
    labels = [c.label for c in result.columns]
    assert labels == ["superhero", "pm_pmm", "split", "split_with_analyst"]
    work = sum(r.hours for r in load_scenario(STARTUP).responsibilities)
    assert work > 40
    assert result.row("demand_per_seat").values[0] == pytest.approx(work)
    assert result.row("overload").values[0] == pytest.approx(work - 40)
    # split_with_analyst hires no analyst: the same team as split, shown once
    assert [c.label for c in result.shown] == ["superhero", "pm_pmm", "split = split_with_analyst"]
    cov = [float(v) for v in result.row("priority_coverage").values if v is not None]
    assert len(cov) == len(result.shown)
    assert cov[0] < min(cov[1:])
    assert result.winners == (2,)
    assert result.verdict.startswith("Verdict: split = split_with_analyst wins on coverage")
    # the superhero is the cheapest but covers 65%: not marked best on cost, cost per hour
    # or fit (only the merged split team is within a point of the best coverage)
    assert cov[0] == pytest.approx(0.654, abs=1e-3)
    for key in ("total_cost", "cost_per_hour", "mean_fit"):
        assert 0 not in result.row(key).best, key
    data = json.loads((tmp_path / "c.json").read_text())
    assert data["format"] == COMPARE_FORMAT
    assert [p["structure"] for p in data["plans"]] == labels


# ---- the comparison workbook ----------------------------------------------------------------


def _table_rows(ws: Any) -> dict[str, list[Any]]:
    """Measure -> values of the Comparison table (headers on row 5)."""
    out: dict[str, list[Any]] = {}
    for row in ws.iter_rows(min_row=6, values_only=True):
        if row[1] is None:
            break
        out[str(row[1])] = list(row[2:])
    return out


def test_comparison_workbook_reads_back(tmp_path: Path) -> None:
    scenario = overloaded(
        candidates=[
            {"id": "tess", "fixed_role": "TPM", "roles": ["TPM"], "skills": {"technical": 5}}
        ],
        structures={
            "split": {"roles": ["PM", "PMM", "TPM"]},
            "duo": {"roles": {"PM": 1, "TPM": 1}},
        },
    )
    result = compare(scenario, ["superhero", "split", "duo"])
    path = tmp_path / "compare.xlsx"
    from orgplan.reports.excel.compare import write_compare_workbook

    write_compare_workbook(result, path)
    wb = openpyxl.load_workbook(path)
    # superhero is infeasible (tess must sit in a TPM seat): no Team sheet for it
    assert wb.sheetnames == [
        "Comparison",
        "Team split",
        "Assignments split",
        "Team duo",
        "Assignments duo",
    ]
    ws = wb["Comparison"]
    assert ws["A1"].value == result.title
    assert ws["A2"].value == result.verdict
    header = [c.value for c in ws[5]]
    assert header == ["Section", "Measure", "superhero", "split", "duo"]
    table = _table_rows(ws)
    plans = result.to_json()["plans"]
    for measure, key in (
        ("Total annual cost", "total_cost"),
        ("Coverage, hours", "coverage"),
        ("Fit (hours-weighted)", "mean_fit"),
        ("Handoff cost", "handoff_cost"),
        ("Headcount (seats)", "headcount"),
    ):
        for value, plan in zip(table[measure][1:], plans[1:], strict=True):
            assert value == pytest.approx(plan["kpis"][key], abs=1e-4), measure
        assert table[measure][0] is None  # no plan, no figure
    assert table["Solver status"] == ["infeasible", "optimal", "optimal"]
    assert table["Why no plan"][0]
    assert table["Wins (coverage, then quality, then cost)"] == [None, "wins", None]
    # the best coverage is highlighted
    row = 6 + [r.key for r in result.rows].index("coverage")
    assert ws.cell(row=row, column=4).fill.fgColor.rgb.endswith("C6EFCE")
    # each plan's Team sheet: one row per seat, made by the plan workbook's builder
    team = wb["Team split"]
    seats = [
        r
        for r in team.iter_rows(values_only=True)
        if r and r[0] in {s["seat"] for s in plans[1]["seats"]}
    ]
    assert len(seats) == len(plans[1]["seats"])
    assert team.tables  # an Excel Table, as in the plan workbook
    # the chart: cost against coverage and fit, drawn on the Comparison sheet
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = archive.read(charts[0]).decode()
        rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert "barChart" in xml and "lineChart" in xml and "'Comparison'!" in xml
    assert "drawing" in rels


def test_comparison_workbook_merges_same_teams_and_marks_only_comparable_plans() -> None:
    scenario = overloaded(
        structures={"a": {"roles": ["PM", "PMM", "TPM"]}, "b": {"roles": ["PM", "PMM", "TPM"]}}
    )
    result = compare(scenario, ["superhero", "a", "b"])
    wb = build_compare_workbook(result)
    assert wb.sheetnames == ["Comparison", "Team superhero", "Assignments superhero"] + [
        "Team a = b",
        "Assignments a = b",
    ]
    ws = wb["Comparison"]
    assert [c.value for c in ws[5]] == ["Section", "Measure", "superhero", "a = b"]
    assert comparable_rule() in str(ws["A3"].value)
    assert "'a = b': structures that yield the same team" in str(ws["A3"].value)
    table = _table_rows(ws)
    assert table["Wins (coverage, then quality, then cost)"] == [None, "wins"]
    # the superhero is cheaper but covers 45%: its cost is not green
    keys = [r.key for r in result.rows]
    assert table["Total annual cost"][0] < table["Total annual cost"][1]
    cost_row = 6 + keys.index("total_cost")
    assert not ws.cell(row=cost_row, column=3).fill.fgColor.rgb.endswith("C6EFCE")
    coverage_row = 6 + keys.index("priority_coverage")
    assert ws.cell(row=coverage_row, column=4).fill.fgColor.rgb.endswith("C6EFCE")


def test_comparison_workbook_is_deterministic() -> None:
    result = compare(overloaded())
    again = compare(overloaded())
    assert workbook_bytes(build_compare_workbook(result)) == workbook_bytes(
        build_compare_workbook(again)
    )


# ---- the command line ---------------------------------------------------------------------


runner = CliRunner()


@pytest.fixture()
def overloaded_file(tmp_path: Path) -> Path:
    path = tmp_path / "overloaded.yaml"
    path.write_text(yaml.safe_dump(OVERLOADED, sort_keys=False), encoding="utf-8")
    return path


def test_cli_compare_prints_the_table_and_the_verdict(overloaded_file: Path) -> None:
    result = runner.invoke(app, ["compare", str(overloaded_file)])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "superhero" in out and "split" in out and "lean" in out
    assert "Overload if asked to do everything" in out and "30 h/week over" in out
    assert "Verdict: split wins on coverage" in out


def test_cli_compare_writes_json_and_workbook(overloaded_file: Path, tmp_path: Path) -> None:
    out_json, out_xlsx = tmp_path / "c.json", tmp_path / "c.xlsx"
    result = runner.invoke(
        app,
        [
            "compare",
            str(overloaded_file),
            "--structures",
            "split,superhero",
            "--json",
            str(out_json),
            "-o",
            str(out_xlsx),
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(out_json.read_text())
    assert data["format"] == "orgplan.compare/1"
    assert [p["structure"] for p in data["plans"]] == ["split", "superhero"]
    assert all(p["format"] == "orgplan.plan/1" for p in data["plans"])
    assert openpyxl.load_workbook(out_xlsx).sheetnames[0] == "Comparison"
    assert f"wrote {out_xlsx}" in result.stderr and f"wrote {out_json}" in result.stderr
    assert "Solving" not in result.stderr  # no progress bar off a terminal
    # an existing output is kept without --force, before anything is solved
    again = runner.invoke(app, ["compare", str(overloaded_file), "--json", str(out_json)])
    assert again.exit_code == 2
    assert "already exists; pass --force" in again.stderr
    forced = runner.invoke(
        app, ["compare", str(overloaded_file), "--json", str(out_json), "--force"]
    )
    assert forced.exit_code == 0, forced.stderr


def test_cli_compare_unknown_structure_exits_2_naming_the_available_ones(
    overloaded_file: Path,
) -> None:
    result = runner.invoke(app, ["compare", str(overloaded_file), "--structures", "solo"])
    assert result.exit_code == 2
    assert "unknown structure 'solo'" in result.stderr
    assert "available: superhero, split, lean" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_compare_bad_file_and_bad_solver_exit_2(overloaded_file: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["compare", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "file not found" in missing.stderr
    solver = runner.invoke(app, ["compare", str(overloaded_file), "--solver", "gurobi"])
    assert solver.exit_code == 2 and "unknown solver 'gurobi'" in solver.stderr


def test_cli_compare_two_scenario_files(overloaded_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "next.yaml"
    other.write_text(yaml.safe_dump({**OVERLOADED, "name": "Next year"}), encoding="utf-8")
    out_json = tmp_path / "two.json"
    result = runner.invoke(
        app, ["compare", str(overloaded_file), str(other), "--json", str(out_json)]
    )
    assert result.exit_code == 0, result.stderr
    assert "overloaded" in result.stdout and "next" in result.stdout
    plans = json.loads(out_json.read_text())["plans"]
    assert [p["scenario"] for p in plans] == ["Overloaded startup", "Next year"]
    assert [p["structure"] for p in plans] == ["all roles", "all roles"]


def test_the_orgplan_command_solves_in_parallel_processes(tmp_path: Path) -> None:
    # A real process, not CliRunner: the worker pool starts from `python -m orgplan`.
    out = tmp_path / "startup.json"
    done = subprocess.run(
        [sys.executable, "-m", "orgplan", "compare", str(STARTUP), "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr
    assert "33 h/week over" in done.stdout  # the superhero: 73 h of work on one 40 h seat
    plans = json.loads(out.read_text())["plans"]
    assert [p["structure"] for p in plans] == ["superhero", "pm_pmm", "split", "split_with_analyst"]


@pytest.mark.slow
def test_the_command_works_when_workers_are_spawned(tmp_path: Path) -> None:
    # The console script with the spawn start method (the default on macOS and Windows).
    script = tmp_path / "orgplan_spawn.py"
    script.write_text(
        "import multiprocessing, sys\n"
        "from orgplan.cli import main\n"
        "if __name__ == '__main__':\n"
        "    multiprocessing.set_start_method('spawn')\n"
        "    sys.exit(main())\n",
        encoding="utf-8",
    )
    out = tmp_path / "spawned.json"
    done = subprocess.run(
        [sys.executable, str(script), "compare", str(STARTUP), "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text())["plans"]) == 4
