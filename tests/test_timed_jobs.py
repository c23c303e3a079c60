"""`compare`, `sweep` and `explain` on a timed scenario (format 1.1 `horizon`): they run,
they read the plan over its periods (the horizon's spend, when seats start, who is
available only later), and a snapshot scenario reads as before."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rich.console import Console

from checker import check_plan
from conftest import to_yaml
from orgplan.analysis.explanation import cost_of
from orgplan.analysis.sweep import parse_range
from orgplan.jobs.compare import compare_scenarios
from orgplan.jobs.explain import explain_scenario
from orgplan.jobs.sweep import sweep_scenario
from orgplan.reports.compare_console import render_sweep
from orgplan.reports.excel.compare import write_sweep_workbook
from orgplan.scenario.format import Scenario
from orgplan.scenario.loading import parse_scenario

QUARTERS = ["Q1", "Q2", "Q3", "Q4"]

# A PM seat's work all year and a launch in Q3-Q4 for a PMM; the one PM requisition takes a
# quarter to hire, Ines can move now, Sam (cheaper, as good) only joins in Q3.
TIMED: dict[str, Any] = {
    "name": "Timed jobs",
    "horizon": {"periods": QUARTERS},
    "roles": {
        "PM": {
            "cost": 150000,
            "open_reqs": 1,
            "time_to_hire": 1,
            "hire_cost": 10000,
            "hire_profile": {"domain": 3},
        },
        "PMM": {"cost": 130000, "open_reqs": 1, "time_to_hire": 2, "hire_profile": {"sales": 3}},
    },
    "responsibilities": [
        {"id": "roadmap", "hours": 30, "needs": {"domain": 3}, "priority": 3},
        {"id": "launch", "hours": 20, "needs": {"sales": 3}, "periods": ["Q3", "Q4"]},
    ],
    "candidates": [
        {
            "id": "ines",
            "skills": {"domain": 3},
            "cost": 120000,
            "internal": True,
            "backfill_cost": 5000,
        },
        {"id": "sam", "skills": {"domain": 3}, "cost": 100000, "available_from": "Q3"},
    ],
    "structures": {"pm_only": {"roles": {"PM": 1}}, "split": {"roles": {"PM": 1, "PMM": 1}}},
}


def scenario(data: dict[str, Any] = TIMED) -> Scenario:
    return parse_scenario(to_yaml(data))


def untimed() -> Scenario:
    """The same scenario as a snapshot: no horizon, no periods, no availability."""
    data = copy.deepcopy(TIMED)
    del data["horizon"]
    del data["responsibilities"][1]["periods"]
    del data["candidates"][1]["available_from"]
    return scenario(data)


@pytest.fixture(scope="module")
def comparison() -> Any:
    return compare_scenarios([("timed", scenario())], workers=1)


def test_compare_reads_the_horizon_spend_and_starts_of_each_structure(comparison: Any) -> None:
    for column in comparison.columns:
        assert column.plan is not None and column.plan.timed
        check_plan(column.scenario, column.plan, column.structure)
    for key in ("horizon", "spend", "open_now", "last_start"):
        row = comparison.row(key)
        assert row.section == "Over time"
    plans = [c.plan for c in comparison.shown]
    assert comparison.row("spend").values == tuple(p.kpis.spend for p in plans)
    assert comparison.row("horizon").values == ("Q1 to Q4",) * len(plans)
    assert comparison.row("open_now").values == tuple(len(p.open_now()) for p in plans)
    split = next(c.plan for c in comparison.shown if c.structure == "split")
    # the PMM requisition takes two quarters: opened now, it starts with the launch in Q3
    assert [s.seat for s in split.open_now()] == ["PMM-1"]
    assert comparison.row("last_start").values[plans.index(split)] == "Q3"


def test_compare_counts_uncovered_hours_as_means_per_period(comparison: Any) -> None:
    """Uncovered hours per priority are per-period means, as the plan's covered and total
    hours are: together they make the total."""
    for i, column in enumerate(comparison.shown):
        k = column.plan.kpis
        uncovered = sum(
            r.values[i] for r in comparison.rows if r.key.startswith("uncovered:") and r.values[i]
        )
        assert uncovered + k.covered_hours == pytest.approx(k.total_hours)
        assert comparison.row("work").values[i] == pytest.approx(k.total_hours)
    at = next(
        i
        for i, c in enumerate(comparison.shown)
        if "pm_only" in (c.structure, *(o.structure for o in c.same_as))
    )
    # the launch (20 h in two of four quarters) has no PMM under pm_only: 10 h a quarter
    assert comparison.row("uncovered:1").values[at] == pytest.approx(10.0)


def test_a_snapshot_comparison_has_no_rows_over_time() -> None:
    keys = {r.key for r in compare_scenarios([("snap", untimed())], workers=1).rows}
    assert not keys & {"horizon", "spend", "open_now", "last_start"}


def test_sweep_points_of_a_timed_scenario_carry_their_spend(tmp_path: Path) -> None:
    sweep = sweep_scenario(scenario(), parse_range("150k:300k:150k"), workers=1)
    points = [p.to_json() for p in sweep.points]
    assert [p["spend"] for p in points] == [p.plan.kpis.spend for p in sweep.points]
    assert all(p["spend"] == p["plan"]["kpis"]["spend"] for p in points)
    console = Console(width=200, record=True, color_system=None)
    render_sweep(sweep, console)
    assert "Spend (USD)" in console.export_text()
    snapshot = sweep_scenario(untimed(), parse_range("300k:300k:1"), workers=1)
    assert "spend" not in json.loads(json.dumps(snapshot.points[0].to_json()))
    # the workbook's Sweep table puts the spend beside the team's run rate
    for swept, spends in ((sweep, [p.plan.kpis.spend for p in sweep.points]), (snapshot, None)):
        ws = openpyxl.load_workbook(write_sweep_workbook(swept, tmp_path / "s.xlsx", force=True))[
            "Sweep"
        ]
        cells = ws[ws.tables["Sweep"].ref]
        headers = [c.value for c in cells[0]]
        assert headers[3:5] == ["Team cost", "Spend over the horizon" if spends else "Headcount"]
        if spends:
            assert [row[4].value for row in cells[1:]] == spends
            assert headers[-1] == "Why no plan" and len(headers) == 16


def test_explain_says_when_seats_start_who_joins_later_and_prices_in_spend() -> None:
    explanation = explain_scenario(scenario(), "pm_only", workers=1)
    plan = explanation.plan
    seat = plan.seats[0]
    assert seat.candidate == "ines" and seat.start == "Q1"
    placed = explanation.placed[0]
    assert "starts Q1" in placed.why
    # Sam is cheaper and as good but joins in Q3: the Q1-Q2 roadmap would go uncovered
    assert "sam at 100% for 100,000 USD (available from Q3, after PM-1 starts)" in placed.why
    unplaced = {u.candidate.id: u.why_not for u in explanation.unplaced}
    assert "(available from Q3, after PM-1 starts)" in unplaced["sam"]
    assert "spend" in unplaced["sam"] or "covers less work" in unplaced["sam"]
    assert cost_of(plan) == plan.kpis.spend != plan.kpis.total_cost
    roadmap = [a.periods for a in plan.assignments if a.responsibility == "roadmap"]
    assert roadmap == [tuple(QUARTERS)]
