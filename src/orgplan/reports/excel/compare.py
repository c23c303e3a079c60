"""The Comparison and Sweep workbooks of `orgplan compare -o` and `orgplan sweep -o`.

The comparison workbook holds a **Comparison** sheet (the side-by-side table of
`orgplan.compare.build_rows`, best values highlighted, the verdict, and a chart of cost
against coverage and fit per plan), then each plan's **Team** and **Assignments** sheets,
made by the plan workbook's own builders (`orgplan.excel.add_team_sheet`,
`add_assignments_sheet`). The sweep workbook holds a **Sweep** sheet: every point, the
frontier, and a chart of coverage, fit and quality against the team's cost.

Both are saved like the plan workbook (`orgplan.excel.save_workbook`): whole or not at all,
byte-identical for identical content (no solve times in them). Text from scenarios goes
through `excel_safe`. Numbers are values, not formulas.

Imported only when a workbook is written (it imports openpyxl).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from orgplan import files
from orgplan.analysis.compare import Comparison, Row, priority_coverage
from orgplan.analysis.sweep import Sweep
from orgplan.reports.excel.safe import clean_text, set_text, sheet_title, table_name, workbook_names
from orgplan.reports.excel.workbook import (
    CELL_BORDER,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    HOURS_FORMAT,
    INTEGER_FORMAT,
    NUMBER_FORMAT,
    PERCENT_FORMAT,
    SUBTITLE_FONT,
    TABLE_STYLE,
    TITLE_FONT,
    add_assignments_sheet,
    add_team_sheet,
    currency_format,
    new_workbook,
    save_workbook,
    unique_headers,
)

BEST_FILL = PatternFill("solid", fgColor="C6EFCE")
BEST_FONT = Font(bold=True, color="006100")
BAD_FONT = Font(bold=True, color="9C0006")
SECTION_FONT = Font(bold=True, color="1F4E78")

COMPARISON_SHEET = "Comparison"
SWEEP_SHEET = "Sweep"
TABLE_TOP = 5  # header row of the main table of each sheet


def _format(kind: str, currency: str) -> str | None:
    return {
        "money": currency_format(currency),
        "money_rate": currency_format(currency) + '"/h"',
        "pct": PERCENT_FORMAT,
        "hours": HOURS_FORMAT,
        "num": NUMBER_FORMAT,
        "int": INTEGER_FORMAT,
    }.get(kind)


def _put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> Any:
    """One cell: text kept literal (never a formula), numbers with `fmt`, None empty."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        set_text(cell, value)
    elif value is not None:
        cell.value = value
        if fmt:
            cell.number_format = fmt
    cell.border = CELL_BORDER
    return cell


def _table(
    ws: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[Sequence[str | None]],
    name: str,
) -> tuple[int, list[str]]:
    """A styled Excel Table at row `top`, column A; returns (last row, headers written)."""
    shown = unique_headers(headers)
    for j, header in enumerate(shown, start=1):
        cell = ws.cell(row=top, column=j)
        set_text(cell, header)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, HEADER_ALIGNMENT
        cell.border = CELL_BORDER
    ws.row_dimensions[top].height = 30  # room for two lines of a wrapped header
    data = list(rows) or [["(none)"] + [None] * (len(headers) - 1)]
    fmts = list(formats) or [[None] * len(headers)]
    for i, (values, row_fmts) in enumerate(zip(data, fmts, strict=True), start=1):
        for j, (value, fmt) in enumerate(zip(values, row_fmts, strict=True), start=1):
            _put(ws, top + i, j, value, fmt)
    bottom = top + len(data)
    ref = f"A{top}:{get_column_letter(len(headers))}{bottom}"
    table = Table(displayName=table_name(name, workbook_names(ws.parent)), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
    ws.add_table(table)
    return bottom, shown


def _heading(ws: Worksheet, title: str, lines: Sequence[tuple[str, Font]]) -> None:
    set_text(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = TITLE_FONT
    for i, (text, font) in enumerate(lines, start=2):
        set_text(ws.cell(row=i, column=1), text)
        ws.cell(row=i, column=1).font = font


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(8.0, min(60.0, width))


def _print_setup(ws: Worksheet, top: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{top}:{top}"


# ---- the comparison --------------------------------------------------------------------------


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
    _heading(
        ws,
        comparison.title,
        [
            (comparison.verdict, Font(bold=True)),
            (
                "Best value of each row in green (rows with no better direction, or where "
                "every plan ties, are not marked). Hours are per week, costs annual; demand "
                "spreads all the work over the plan's seats.",
                SUBTITLE_FONT,
            ),
        ],
    )
    labels = [c.label for c in comparison.columns]
    headers = ["Section", "Measure", *labels]
    rows: list[list[Any]] = []
    formats: list[list[str | None]] = []
    for row in comparison.rows:
        rows.append(
            [row.section, row.label.strip(), *(_excel_value(row, i) for i in range(len(labels)))]
        )
        fmts: list[str | None] = []
        for column in comparison.columns:
            fmts.append(_format(row.kind, column.scenario.currency))
        formats.append([None, None, *fmts])
    rows.append(
        [
            "Verdict",
            "Wins (coverage, then quality, then cost)",
            *("wins" if i in comparison.winners else None for i in range(len(labels))),
        ]
    )
    formats.append([None] * len(headers))
    bottom, _ = _table(ws, TABLE_TOP, headers, rows, formats, "Comparison")
    for r, row in enumerate(comparison.rows, start=TABLE_TOP + 1):
        for i in row.best:
            cell = ws.cell(row=r, column=3 + i)
            cell.fill, cell.font = BEST_FILL, BEST_FONT
        if row.key == "status":
            for i, column in enumerate(comparison.columns):
                if column.plan is None:
                    ws.cell(row=r, column=3 + i).font = BAD_FONT
    for i in comparison.winners:
        ws.cell(row=bottom, column=3 + i).font = BEST_FONT
        ws.cell(row=bottom, column=3 + i).fill = BEST_FILL
    longest = max((len(r.label) for r in comparison.rows), default=10)
    value_widths = [
        max([len(label) + 4] + [min(40, len(r.shown[i])) + 2 for r in comparison.rows])
        for i, label in enumerate(labels)
    ]
    _widths(ws, [10, longest + 2, *value_widths])
    ws.freeze_panes = f"C{TABLE_TOP + 1}"
    _print_setup(ws, TABLE_TOP)
    keys = {row.key: TABLE_TOP + 1 + n for n, row in enumerate(comparison.rows)}
    if labels:
        ws.add_chart(_comparison_chart(ws, comparison, keys, len(labels)), f"A{bottom + 3}")
    return ws


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
    for series in line.series:
        series.marker.symbol = "circle"
        series.smooth = False
    # openpyxl 3.1 marks axes deleted by default; Excel then draws no labels.
    for axis in (bar.x_axis, bar.y_axis, line.y_axis):
        axis.delete = False
    bar += line
    bar.legend.position = "b"
    bar.width = max(16.0, 4.0 * count + 6)
    bar.height = 9
    return bar


def build_compare_workbook(comparison: Comparison) -> Workbook:
    """The comparison workbook in memory: Comparison, then Team and Assignments per plan."""
    wb = new_workbook()
    add_comparison_sheet(wb, comparison)
    for column in comparison.columns:
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


SWEEP_HEADERS = (
    "Budget",
    "Max headcount",
    "Status",
    "Team cost",
    "Headcount",
    "Seats",
    "Coverage (priority)",
    "Coverage (hours)",
    "Covered hours",
    "Fit",
    "Quality",
    "Handoff cost",
    "Skill gaps",
    "Frontier",
    "Why no plan",
)


def add_sweep_sheet(wb: Workbook, sweep: Sweep) -> Worksheet:
    """The Sweep sheet: every point, then the frontier and its chart."""
    ws = wb.create_sheet(sheet_title(SWEEP_SHEET, wb.sheetnames))
    money = currency_format(sweep.currency)
    structure = sweep.structure or "all roles"
    _heading(
        ws,
        f"Sweep: {sweep.scenario.name}",
        [
            (
                f"Structure {structure}; swept: {', '.join(sweep.axes)}. The frontier: no "
                "cheaper team covers as much as well.",
                Font(bold=True),
            ),
            (
                "Coverage is priority-weighted (what the planner maximises first); quality is "
                "the sum of hours x fit less handoff costs. Costs annual, hours per week.",
                SUBTITLE_FONT,
            ),
        ],
    )
    rows: list[list[Any]] = []
    for point in sweep.points:
        plan = point.plan
        head = [point.budget, point.max_headcount, point.status.replace("_", " ")]
        if plan is None:
            rows.append([*head, *[None] * 10, "No", "; ".join(point.outcome.reasons)])
            continue
        k = plan.kpis
        team = ", ".join(f"{n} {r}" for r, n in k.headcount_by_role.items()) or "none"
        rows.append(
            [
                *head,
                k.total_cost,
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
        )
    fmts = [
        money,
        INTEGER_FORMAT,
        None,
        money,
        INTEGER_FORMAT,
        None,
        PERCENT_FORMAT,
        PERCENT_FORMAT,
        HOURS_FORMAT,
        PERCENT_FORMAT,
        NUMBER_FORMAT,
        NUMBER_FORMAT,
        INTEGER_FORMAT,
        None,
        None,
    ]
    bottom, _ = _table(ws, TABLE_TOP, SWEEP_HEADERS, rows, [fmts] * len(rows), "Sweep")
    for r, point in enumerate(sweep.points, start=TABLE_TOP + 1):
        if point.frontier:
            for col in (4, 7, 11, 14):
                ws.cell(row=r, column=col).fill = BEST_FILL
                ws.cell(row=r, column=col).font = BEST_FONT
        elif point.plan is None:
            ws.cell(row=r, column=3).font = BAD_FONT
    _widths(ws, [14, 10, 11, 14, 10, 22, 11, 11, 11, 9, 10, 10, 9, 9, 50])
    ws.freeze_panes = f"D{TABLE_TOP + 1}"
    _print_setup(ws, TABLE_TOP)

    # The frontier, cheapest first, as its own table: the chart reads it.
    top = bottom + 3
    set_text(ws.cell(row=top - 1, column=1), "Frontier (cheapest first)")
    ws.cell(row=top - 1, column=1).font = SECTION_FONT
    frontier = sweep.frontier()
    frows: list[list[Any]] = []
    for point in frontier:
        assert point.plan is not None
        k = point.plan.kpis
        frows.append(
            [
                k.total_cost,
                priority_coverage(point.plan),
                k.mean_fit,
                k.quality,
                point.budget,
                point.max_headcount,
            ]
        )
    ffmts = [money, PERCENT_FORMAT, PERCENT_FORMAT, NUMBER_FORMAT, money, INTEGER_FORMAT]
    fbottom, _ = _table(
        ws,
        top,
        ["Team cost", "Coverage (priority)", "Fit", "Quality", "Budget", "Max headcount"],
        frows,
        [ffmts] * len(frows),
        "Frontier",
    )
    if frows:
        at = top
        for chart in _sweep_charts(ws, top, fbottom, sweep.currency):
            ws.add_chart(chart, f"H{at}")
            at += 19
    return ws


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
            series = Series(
                Reference(ws, min_col=col, min_row=top, max_row=bottom), x, title_from_data=True
            )
            series.marker.symbol = "circle"
            series.smooth = False
            chart.series.append(series)
        # openpyxl 3.1 marks axes deleted by default; Excel then draws no labels.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
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
