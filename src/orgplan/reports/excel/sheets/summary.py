"""The Summary sheet: what was planned and how well, key figures, headcount by role,
uncovered work, links to every sheet, and a chart of hours against capacity per seat."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.compare import priority_coverage
from orgplan.analysis.limits import plan_limits
from orgplan.reports.excel.fingerprint import plan_fingerprint
from orgplan.reports.excel.sheets import team
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.sheets.labels import or_none, role_titles
from orgplan.reports.excel.sheets.moves import internal_moves
from orgplan.reports.excel.toolkit.charts import show_axes
from orgplan.reports.excel.toolkit.sheet import Col, Formatted, Link, Sheet
from orgplan.reports.excel.toolkit.styles import (
    GAP_FORMAT,
    HOURS_FORMAT,
    INTEGER_FORMAT,
    NUMBER_FORMAT,
    PERCENT_FORMAT,
    currency_format,
    fit_scale,
    utilization_bars,
)
from orgplan.version import __version__

Section = Callable[[Sheet, int, PlanSheets], int]


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """The Summary: about, contents, key figures, headcount by role, uncovered, chart.

    Built after the other sheets: its chart reads the Team sheet's table.
    """
    sheet = Sheet(ws)
    row = sheet.heading(f"Staffing plan: {sheets.plan.scenario}", sheets.scenario.description)
    sections: tuple[Section, ...] = (
        _about,
        _weakest_point,
        _contents,
        _key_figures,
        _headcount_by_role,
        _uncovered,
        _solver_stages,
        _notes,
    )
    for section in sections:
        row = section(sheet, row, sheets)
    if sheets.plan.seats:
        row = sheet.section(row, "Hours against capacity per seat")
        ws.add_chart(_capacity_chart(sheets.sheets[team.TITLE], len(sheets.plan.seats)), f"A{row}")
    sheet.finish()


def _about(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """What was planned, by which solver, how well, and when."""
    plan, stamp = sheets.plan, sheets.generated_at
    rows: list[list[Any]] = [
        ["Scenario", plan.scenario],
        ["Structure", plan.structure],
        ["Solver", plan.solver.name],
        ["Status", plan.solver.status.value],
        ["Optimality gap", _gap_text(plan.solver.gap)],
        [
            "Generated at",
            stamp.strftime("%Y-%m-%d %H:%M UTC")
            if stamp
            else "not stamped (reproducible file; see SOURCE_DATE_EPOCH)",
        ],
        ["Currency", plan.currency],
        ["Plan fingerprint", plan_fingerprint(plan)],
        ["Written by", f"orgplan {__version__}"],
    ]
    place = sheet.titled_table(row, "About this plan", [Col("Item"), Col("Value")], rows, "About")
    return place.bottom + 2


def _weakest_point(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """With an explanation: the seat whose loss costs the plan most, and plan B."""
    weakest = None if sheets.explanation is None else sheets.explanation.weakest
    if not weakest:
        return row
    row = sheet.section(row, "Weakest point (sheet Why)")
    sheet.put(row, 1, weakest, measure=False)
    return row + 2


def _contents(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """A link to every other sheet, with what it holds."""
    rows = [
        [Link(title, title), what] for title, what in sheets.contents if title != sheet.ws.title
    ]
    cols = [Col("Sheet"), Col("What it holds")]
    return sheet.titled_table(row, "Sheets", cols, rows, "Contents").bottom + 2


def _key_figures(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """The plan's figures against its limits, coverage and fit coloured."""
    plan = sheets.plan
    k = plan.kpis
    money = currency_format(plan.currency)
    limits = plan_limits(sheets.scenario, plan.structure)
    moving, staying = internal_moves(plan, sheets.scenario)
    figures: list[tuple[str, Any, str]] = [
        ("Headcount (seats)", k.headcount, INTEGER_FORMAT),
        ("Internal movers (change role)", len(moving), INTEGER_FORMAT),
        ("Internal, staying in role", len(staying), INTEGER_FORMAT),
        ("External hires (named)", k.external, INTEGER_FORMAT),
        ("Open requisitions", k.open_reqs, INTEGER_FORMAT),
        ("Total annual cost", k.total_cost, money),
        ("Budget", or_none(limits.budget), money),
        ("Max headcount", or_none(limits.max_headcount), INTEGER_FORMAT),
        ("Work (hours per week)", k.total_hours, HOURS_FORMAT),
        ("Covered hours", k.covered_hours, HOURS_FORMAT),
        ("Coverage", k.coverage, PERCENT_FORMAT),
        ("Priority-weighted coverage", priority_coverage(plan), PERCENT_FORMAT),
        ("Fit (hours-weighted)", k.mean_fit, PERCENT_FORMAT),
        ("Mean utilization", k.mean_utilization, PERCENT_FORMAT),
        ("Max utilization", k.max_utilization, PERCENT_FORMAT),
        ("Handoff cost", k.handoff_cost, "General"),
        ("Split couplings", len(plan.handoffs), INTEGER_FORMAT),
        ("Skill gaps", k.skill_gaps, INTEGER_FORMAT),
        ("Uncovered responsibilities", len(plan.uncovered), INTEGER_FORMAT),
        ("Quality (hours x fit less handoffs)", k.quality, NUMBER_FORMAT),
    ]
    rows = [[label, Formatted(value, fmt)] for label, value, fmt in figures]
    cols = [Col("Figure"), Col("Value")]
    place = sheet.titled_table(row, "Key figures", cols, rows, "KeyFigures")
    at = {label: place.top + i for i, (label, _, _) in enumerate(figures, start=1)}
    fit_scale(sheet.ws, f"B{at['Coverage']}:B{at['Fit (hours-weighted)']}")
    utilization_bars(sheet.ws, f"B{at['Mean utilization']}:B{at['Max utilization']}")
    return place.bottom + 2


def _headcount_by_role(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """Seats per role, by kind, with their cost, hours and capacity."""
    plan = sheets.plan
    titles = role_titles(plan, sheets.scenario)
    rows = []
    for rid, count in plan.kpis.headcount_by_role.items():
        seats = [s for s in plan.seats if s.role == rid]
        rows.append(
            [
                rid,
                titles.get(rid, rid),
                count,
                sum(1 for s in seats if not s.open_req and s.internal),
                sum(1 for s in seats if not s.open_req and not s.internal),
                sum(1 for s in seats if s.open_req),
                sum(s.cost for s in seats),
                sum(s.hours for s in seats),
                sum(s.capacity_hours for s in seats),
            ]
        )
    cols = [
        Col("Role"),
        Col("Title"),
        Col("Seats", INTEGER_FORMAT),
        Col("Internal", INTEGER_FORMAT),
        Col("External", INTEGER_FORMAT),
        Col("Open reqs", INTEGER_FORMAT),
        Col("Cost", currency_format(plan.currency)),
        Col("Hours", HOURS_FORMAT),
        Col("Capacity", HOURS_FORMAT),
    ]
    return sheet.titled_table(row, "Headcount by role", cols, rows, "HeadcountByRole").bottom + 2


def _uncovered(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """The work no seat owns, and why."""
    cols = [
        Col("Responsibility"),
        Col("Reason"),
        Col("Product"),
        Col("Hours", HOURS_FORMAT),
        Col("Priority"),
    ]
    rows = [[u.name, u.reason, u.product, u.hours, u.priority] for u in sheets.plan.uncovered]
    return sheet.titled_table(row, "Uncovered work", cols, rows, "UncoveredWork").bottom + 2


def _solver_stages(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """Each objective the solver optimised, in priority order (when it reports stages)."""
    stages = sheets.plan.solver.stages
    if not stages:
        return row
    cols = [Col("Objective"), Col("Status"), Col("Value", NUMBER_FORMAT), Col("Gap")]
    rows = [[s.objective, s.status.value, s.value, _gap_text(s.gap)] for s in stages]
    title = "Solver stages (in priority order)"
    return sheet.titled_table(row, title, cols, rows, "SolverStages").bottom + 2


def _notes(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """The plan's notes, numbered (when it has any)."""
    if not sheets.plan.notes:
        return row
    cols = [Col("#", INTEGER_FORMAT), Col("Note")]
    rows = [[i, n] for i, n in enumerate(sheets.plan.notes, start=1)]
    return sheet.titled_table(row, "Notes", cols, rows, "Notes").bottom + 2


def _gap_text(gap: float | None) -> Formatted | str:
    """A solver gap: the share (shown `0.00%`), or `n/a` when the solver reported none."""
    return "n/a" if gap is None else Formatted(gap, GAP_FORMAT)


def _capacity_chart(team_ws: Worksheet, seats: int) -> BarChart:
    """Bars of hours and capacity per seat, read from the Team sheet's table."""
    place = next(iter(team_ws.tables.values()))
    min_col, min_row, max_col, max_row = (int(v or 1) for v in range_boundaries(place.ref))
    headers = [team_ws.cell(row=min_row, column=c).value for c in range(min_col, max_col + 1)]
    hours = min_col + headers.index("Hours")
    chart = BarChart()
    chart.type = "bar"  # horizontal: seat names read left to right
    chart.grouping = "clustered"
    chart.title = "Hours against capacity per seat"
    chart.y_axis.title = "hours per week"
    chart.y_axis.numFmt = "0"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # first seat on top, as in the Team sheet
    show_axes(chart.x_axis, chart.y_axis)
    data = Reference(team_ws, min_col=hours, max_col=hours + 1, min_row=min_row, max_row=max_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(team_ws, min_col=min_col, min_row=min_row + 1, max_row=max_row))
    chart.legend.position = "b"
    chart.width = 20
    chart.height = max(7.5, 0.7 * seats + 3)
    return chart
