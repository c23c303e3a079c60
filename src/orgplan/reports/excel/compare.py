"""The Comparison and Sweep workbooks of `orgplan compare -o` and `orgplan sweep -o`.

The comparison workbook holds a **Comparison** sheet (the side-by-side table of
`orgplan.analysis.compare`, best values highlighted, the verdict, and a chart of cost
against coverage and fit per plan), then each plan's **Team** and **Assignments** sheets,
made by the plan workbook's own builders (`sheets.team.add_team_sheet`,
`sheets.assignments.add_assignments_sheet`). The sweep workbook holds a **Sweep** sheet:
every point, the frontier, and a chart of coverage, fit and quality against the team's
cost.

Both are written with the plan workbook's toolkit (`orgplan.reports.excel.toolkit`), the
Comparison and Sweep sheets in its compact `GRID` layout, and saved like the plan
workbook: whole or not at all, byte-identical for identical content (no solve times in
them). Text from scenarios stays literal. Numbers are values, not formulas.

Imported only when a workbook is written (it imports openpyxl).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from orgplan import files
from orgplan.analysis.compare import (
    Column,
    Comparison,
    Row,
    comparable_rule,
    priority_coverage,
)
from orgplan.analysis.limits import plan_limits
from orgplan.analysis.sweep import Sweep, SweepPoint
from orgplan.formatting import NO_STRUCTURE
from orgplan.formatting import money as money_text
from orgplan.formatting import percent as percent_text
from orgplan.model import Limits
from orgplan.reports.excel.sheets.assignments import add_assignments_sheet
from orgplan.reports.excel.sheets.labels import or_none
from orgplan.reports.excel.sheets.team import add_team_sheet
from orgplan.reports.excel.toolkit.charts import circle_markers, show_axes
from orgplan.reports.excel.toolkit.saving import new_workbook, save_workbook
from orgplan.reports.excel.toolkit.sheet import GRID, Col, Formatted, Sheet
from orgplan.reports.excel.toolkit.styles import (
    BAD_FONT,
    BEST_FILL,
    BEST_FONT,
    GAP_FORMAT,
    HOURS_FORMAT,
    INTEGER_FORMAT,
    LABEL_FONT,
    NUMBER_FORMAT,
    PERCENT_FORMAT,
    SUBTITLE_FONT,
    TITLE_FONT,
    currency_format,
)
from orgplan.reports.excel.toolkit.text import clean_text, sheet_title

COMPARISON_SHEET = "Comparison"
SWEEP_SHEET = "Sweep"
TABLE_TOP = 5  # header row of the main table of each sheet


def _format(kind: str, currency: str) -> str | None:
    """The number format of a comparison row of `kind`, in a plan's `currency`."""
    return {
        "money": currency_format(currency),
        "money_rate": currency_format(currency) + '"/h"',
        "pct": PERCENT_FORMAT,
        "hours": HOURS_FORMAT,
        "num": NUMBER_FORMAT,
        "int": INTEGER_FORMAT,
    }.get(kind)


def _best(ws: Worksheet, row: int, col: int) -> None:
    """Mark a cell as holding the best value of its row."""
    cell = ws.cell(row=row, column=col)
    cell.fill, cell.font = BEST_FILL, BEST_FONT


# ---- the comparison --------------------------------------------------------------------------


def _excel_cell(row: Row, i: int, column: Column) -> Formatted:
    """A comparison cell: its value in the row's number format (a solver's gap a number)."""
    if row.key == "gap" and column.plan is not None and column.plan.solver.gap is not None:
        return Formatted(column.plan.solver.gap, GAP_FORMAT)
    return Formatted(_excel_value(row, i), _format(row.kind, column.scenario.currency))


def _excel_value(row: Row, i: int) -> Any:
    """What a comparison cell holds in Excel: the number (formatted), or the text."""
    value = row.values[i]
    if row.kind == "text" or isinstance(value, str):
        return row.shown[i] if value is not None else None
    return value


def add_comparison_sheet(wb: Workbook, comparison: Comparison) -> Worksheet:
    """The Comparison sheet: the side-by-side table, best values highlighted, the verdict,
    and a chart of cost against coverage and fit per plan."""
    ws = wb.create_sheet(sheet_title(COMPARISON_SHEET, wb.sheetnames))
    sheet = Sheet(ws, layout=GRID)
    sheet.lines(
        1,
        [
            (comparison.title, TITLE_FONT),
            (comparison.verdict, LABEL_FONT),
            (
                "Best value of each row in green (rows with no better direction, or where "
                "every plan ties, are not marked); "
                f"{comparable_rule()}. 'a = b': structures that yield the same team, shown "
                "once. Hours are per week, costs annual; demand spreads all the work over the "
                "plan's seats.",
                SUBTITLE_FONT,
            ),
        ],
    )
    labels = [c.label for c in comparison.shown]
    rows: list[list[Any]] = [
        [
            row.section,
            row.label.strip(),
            *(_excel_cell(row, i, column) for i, column in enumerate(comparison.shown)),
        ]
        for row in comparison.rows
    ]
    rows.append(
        [
            "Verdict",
            "Wins (coverage, then quality, then cost)",
            *("wins" if i in comparison.winners else None for i in range(len(labels))),
        ]
    )
    cols = [Col(header) for header in ("Section", "Measure", *labels)]
    bottom = sheet.table(TABLE_TOP, 1, cols, rows, "Comparison").bottom
    _mark_comparison(ws, comparison, bottom)
    longest = max((len(r.label) for r in comparison.rows), default=10)
    value_widths = [
        max([len(label) + 4] + [min(40, len(r.shown[i])) + 2 for r in comparison.rows])
        for i, label in enumerate(labels)
    ]
    sheet.finish(
        freeze=f"C{TABLE_TOP + 1}",
        print_rows=f"{TABLE_TOP}:{TABLE_TOP}",
        widths=[10, longest + 2, *value_widths],
    )
    keys = {row.key: TABLE_TOP + 1 + n for n, row in enumerate(comparison.rows)}
    if labels:
        ws.add_chart(_comparison_chart(ws, comparison, keys, len(labels)), f"A{bottom + 3}")
    return ws


def _mark_comparison(ws: Worksheet, comparison: Comparison, bottom: int) -> None:
    """Best values and winners in green, the status of a plan that failed in red."""
    for r, row in enumerate(comparison.rows, start=TABLE_TOP + 1):
        for i in row.best:
            _best(ws, r, 3 + i)
        if row.key == "status":
            for i, column in enumerate(comparison.shown):
                if column.plan is None:
                    ws.cell(row=r, column=3 + i).font = BAD_FONT
    for i in comparison.winners:
        _best(ws, bottom, 3 + i)


def _comparison_chart(
    ws: Worksheet, comparison: Comparison, rows: dict[str, int], count: int
) -> BarChart:
    """Bars of total cost per plan, with lines of coverage and fit on a 0-100% axis."""
    first, last = 3, 2 + count
    bar = BarChart()
    bar.type = "col"
    bar.title = "Cost against coverage and fit"
    bar.y_axis.title = f"annual cost ({comparison.currency})"
    bar.y_axis.numFmt = "#,##0"
    bar.y_axis.majorGridlines = None
    cost = rows["total_cost"]
    bar.add_data(
        Reference(ws, min_col=2, max_col=last, min_row=cost, max_row=cost),
        from_rows=True,
        titles_from_data=True,
    )
    bar.set_categories(
        Reference(ws, min_col=first, max_col=last, min_row=TABLE_TOP, max_row=TABLE_TOP)
    )
    line = LineChart()
    for key in ("priority_coverage", "mean_fit"):
        at = rows[key]
        line.add_data(
            Reference(ws, min_col=2, max_col=last, min_row=at, max_row=at),
            from_rows=True,
            titles_from_data=True,
        )
    line.y_axis.axId = 200
    line.y_axis.title = "coverage, fit"
    line.y_axis.numFmt = "0%"
    line.y_axis.scaling.min = 0
    line.y_axis.scaling.max = 1
    line.y_axis.crosses = "max"
    line.y_axis.axPos = "r"
    circle_markers(line.series)
    show_axes(bar.x_axis, bar.y_axis, line.y_axis)
    bar += line
    bar.legend.position = "b"
    bar.width = max(16.0, 4.0 * count + 6)
    bar.height = 9
    return bar


def build_compare_workbook(comparison: Comparison) -> Workbook:
    """The comparison workbook in memory: Comparison, then Team and Assignments per plan
    shown (one for structures that yield the same team)."""
    wb = new_workbook()
    add_comparison_sheet(wb, comparison)
    for column in comparison.shown:
        if column.plan is None:
            continue
        add_team_sheet(wb, column.plan, f"Team {column.label}", f"Team_{column.label}")
        add_assignments_sheet(
            wb, column.plan, f"Assignments {column.label}", f"Assignments_{column.label}"
        )
    wb.active = 0
    wb.properties.title = clean_text(comparison.title)
    wb.properties.keywords = "orgplan, comparison"
    return wb


def write_compare_workbook(comparison: Comparison, path: Path, *, force: bool = False) -> Path:
    """Write the comparison workbook to `path`, whole or not at all (see the module doc)."""
    files.check_writable(Path(path), force=force)
    return save_workbook(build_compare_workbook(comparison), path, force=force)


# ---- the sweep --------------------------------------------------------------------------------


# The Sweep table's columns that mark the recommended point and the frontier.
_MARKED = ("Team cost", "Coverage (priority)", "Quality", "Frontier")


def _sweep_columns(currency: str, timed: bool) -> list[Col]:
    """The columns of the Sweep table, costs in `currency`; over a horizon, the spend."""
    money = currency_format(currency)
    return [
        Col("Budget", money),
        Col("Max headcount", INTEGER_FORMAT),
        Col("Status"),
        Col("Team cost", money),
        *([Col("Spend over the horizon", money)] if timed else []),
        Col("Headcount", INTEGER_FORMAT),
        Col("Seats"),
        Col("Coverage (priority)", PERCENT_FORMAT),
        Col("Coverage (hours)", PERCENT_FORMAT),
        Col("Covered hours", HOURS_FORMAT),
        Col("Fit", PERCENT_FORMAT),
        Col("Quality", NUMBER_FORMAT),
        Col("Handoff cost", NUMBER_FORMAT),
        Col("Skill gaps", INTEGER_FORMAT),
        Col("Frontier"),
        Col("Why no plan"),
    ]


def _sweep_row(point: SweepPoint, limits: Limits, timed: bool) -> list[Any]:
    """One point of the sweep: its limits (an axis not swept: the limit in effect, or
    "none"), then the plan's figures (over a horizon its spend beside the team's run
    rate) or why there is none."""
    plan = point.plan
    head = [
        point.budget if point.budget is not None else or_none(limits.budget),
        point.max_headcount if point.max_headcount is not None else or_none(limits.max_headcount),
        point.status.replace("_", " "),
    ]
    if plan is None:
        return [*head, *[None] * (11 if timed else 10), "No", "; ".join(point.outcome.reasons)]
    k = plan.kpis
    team = ", ".join(f"{n} {r}" for r, n in k.headcount_by_role.items()) or "none"
    return [
        *head,
        k.total_cost,
        *([k.spend] if timed else []),
        k.headcount,
        team,
        priority_coverage(plan),
        k.coverage,
        k.covered_hours,
        k.mean_fit,
        k.quality,
        k.handoff_cost,
        k.skill_gaps,
        "Yes" if point.frontier else "No",
        None,
    ]


def recommended(sweep: Sweep) -> SweepPoint | None:
    """The point to recommend: of the frontier, the cheapest that covers the most."""
    frontier = sweep.frontier()
    if not frontier:
        return None
    coverage = {id(p): priority_coverage(p.plan) for p in frontier if p.plan is not None}
    most = max(coverage.values())
    return next(p for p in frontier if coverage[id(p)] >= most - 1e-9)  # cheapest first


def add_sweep_sheet(wb: Workbook, sweep: Sweep) -> Worksheet:
    """The Sweep sheet: every point, then the frontier and its chart."""
    ws = wb.create_sheet(sheet_title(SWEEP_SHEET, wb.sheetnames))
    sheet = Sheet(ws, layout=GRID)
    structure = sweep.structure or "all roles"
    sheet.lines(
        1,
        [
            (f"Sweep: {sweep.scenario.name}", TITLE_FONT),
            (
                f"Structure {structure}; swept: {', '.join(sweep.axes)}. The frontier: no "
                "cheaper team covers as much as well.",
                LABEL_FONT,
            ),
            (
                "Coverage is priority-weighted (what the planner maximises first); quality is "
                "the sum of hours x fit less handoff costs. Costs annual, hours per week.",
                SUBTITLE_FONT,
            ),
        ],
    )
    limits = plan_limits(sweep.scenario, sweep.structure or NO_STRUCTURE)
    timed = sweep.scenario.horizon is not None
    rows = [_sweep_row(point, limits, timed) for point in sweep.points]
    cols = _sweep_columns(sweep.currency, timed)
    marked = [i for i, c in enumerate(cols, start=1) if c.header in _MARKED]
    bottom = sheet.table(TABLE_TOP, 1, cols, rows, "Sweep").bottom
    best = recommended(sweep)
    if best is not None:
        assert best.plan is not None
        k = best.plan.kpis
        sheet.put(
            TABLE_TOP - 1,
            1,
            (
                f"Recommended (in green): the cheapest team that covers the most, "
                f"{money_text(k.total_cost, sweep.currency)} for {k.headcount} seats, "
                f"{percent_text(priority_coverage(best.plan))} of the priority-weighted work."
            ),
            measure=False,
        ).font = BEST_FONT
    for r, point in enumerate(sweep.points, start=TABLE_TOP + 1):
        if point is best:
            for col in marked:
                _best(ws, r, col)
        elif point.frontier:
            for col in marked:
                ws.cell(row=r, column=col).font = LABEL_FONT
        elif point.plan is None:
            ws.cell(row=r, column=3).font = BAD_FONT
    _add_frontier(sheet, bottom + 3, sweep)
    sheet.finish(
        freeze=f"D{TABLE_TOP + 1}",
        print_rows=f"{TABLE_TOP}:{TABLE_TOP}",
        widths=[14, 10, 11, 14, *([14] if timed else []), 10, 22, 11, 11, 11, 9, 10, 10, 9, 9, 50],
    )
    return ws


def _add_frontier(sheet: Sheet, top: int, sweep: Sweep) -> None:
    """The frontier, cheapest first, as its own table under the heading at `top - 1`, and
    the charts that read it."""
    sheet.section(top - 1, "Frontier (cheapest first)")
    limits = plan_limits(sweep.scenario, sweep.structure or NO_STRUCTURE)
    rows: list[list[Any]] = []
    for point in sweep.frontier():
        assert point.plan is not None
        k = point.plan.kpis
        rows.append(
            [
                k.total_cost,
                priority_coverage(point.plan),
                k.mean_fit,
                k.quality,
                point.budget if point.budget is not None else or_none(limits.budget),
                point.max_headcount
                if point.max_headcount is not None
                else or_none(limits.max_headcount),
            ]
        )
    money = currency_format(sweep.currency)
    cols = [
        Col("Team cost", money),
        Col("Coverage (priority)", PERCENT_FORMAT),
        Col("Fit", PERCENT_FORMAT),
        Col("Quality", NUMBER_FORMAT),
        Col("Budget", money),
        Col("Max headcount", INTEGER_FORMAT),
    ]
    bottom = sheet.table(top, 1, cols, rows, "Frontier").bottom
    if rows:
        at = top
        for chart in _sweep_charts(sheet.ws, top, bottom, sweep.currency):
            sheet.ws.add_chart(chart, f"H{at}")
            at += 19


def _sweep_charts(ws: Worksheet, top: int, bottom: int, currency: str) -> list[ScatterChart]:
    """Against the team's cost: coverage and fit (0-100%), then quality (a second chart:
    a secondary axis on a scatter chart is drawn twice by LibreOffice)."""
    x = Reference(ws, min_col=1, min_row=top + 1, max_row=bottom)
    charts = []
    for title, cols, percent in (
        ("The frontier: coverage and fit against cost", (2, 3), True),
        ("The frontier: quality against cost", (4,), False),
    ):
        chart = ScatterChart()
        chart.title = title
        chart.style = 13
        chart.x_axis.title = f"team cost ({currency}, annual)"
        chart.x_axis.numFmt = "#,##0"
        chart.x_axis.axPos = "b"  # openpyxl puts a scatter chart's x axis on the left
        chart.y_axis.title = "coverage, fit" if percent else "quality (fit hours less handoffs)"
        if percent:
            chart.y_axis.numFmt = "0%"
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = 1
        for col in cols:
            chart.series.append(
                Series(
                    Reference(ws, min_col=col, min_row=top, max_row=bottom), x, title_from_data=True
                )
            )
        circle_markers(chart.series)
        show_axes(chart.x_axis, chart.y_axis)
        chart.legend.position = "b"
        chart.width = 18
        chart.height = 9
        charts.append(chart)
    return charts


def build_sweep_workbook(sweep: Sweep) -> Workbook:
    """The sweep workbook in memory: the Sweep sheet."""
    wb = new_workbook()
    add_sweep_sheet(wb, sweep)
    wb.active = 0
    wb.properties.title = clean_text(f"Sweep: {sweep.scenario.name}")
    wb.properties.keywords = "orgplan, sweep"
    return wb


def write_sweep_workbook(sweep: Sweep, path: Path, *, force: bool = False) -> Path:
    """Write the sweep workbook to `path`, whole or not at all."""
    files.check_writable(Path(path), force=force)
    return save_workbook(build_sweep_workbook(sweep), path, force=force)
