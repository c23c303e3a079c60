"""The Assignments sheet: one row per responsibility, uncovered work with its reason."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from orgplan.reports.excel.sheets.context import OnePlanSheet
from orgplan.reports.excel.sheets.labels import (
    DECISION,
    levels_text,
    locked,
    role_titles,
    structure_heading,
)
from orgplan.reports.excel.toolkit.sheet import Col, Sheet
from orgplan.reports.excel.toolkit.styles import (
    FIT_FORMAT,
    HOURS_FORMAT,
    UNCOVERED_FILL,
    fit_scale,
)
from orgplan.results.plan import Plan

TITLE = "Assignments"

COLUMNS = (
    Col("Product"),
    Col("Responsibility"),
    Col("Id"),
    Col("Hours", HOURS_FORMAT),
    Col("Priority"),
    Col("Seat"),
    Col("Person"),
    Col("Role"),
    Col("Fit", FIT_FORMAT),
    Col("Gaps"),
    Col("Status"),
    Col("Reason"),
    Col(DECISION),
)


def fill_assignments_sheet(ws: Worksheet, plan: Plan, table_name: str) -> None:
    """One row per responsibility of `plan` on `ws`, in a table named (close to) `table_name`.

    Owned work first (product, responsibility, id, hours, priority, seat, person, role,
    fit, gaps), then uncovered work with status "Uncovered" and its reason, highlighted;
    the Decision says `lock` where a decision gave the work to its owner.
    """
    sheet = Sheet(ws)
    top = sheet.heading(
        f"Assignments: {plan.scenario}",
        f"{structure_heading(plan.structure)}: who owns each responsibility (hours per week), "
        "and the work no seat owns. An open requisition's fit is assumed (the role's hire "
        "profile), not measured.",
    )
    titles = role_titles(plan)
    rows: list[list[Any]] = [
        [
            a.product,
            a.name,
            a.responsibility,
            a.hours,
            a.priority,
            a.seat,
            a.person if a.candidate is not None else "Open requisition",
            titles.get(a.role, a.role),
            a.fit,
            levels_text(a.gaps),
            "Owned",
            None,
            locked(plan, a),
        ]
        for a in plan.assignments
    ]
    rows += [
        [u.product, u.name, u.responsibility, u.hours, u.priority]
        + [None] * 5
        + ["Uncovered", u.reason, None]
        for u in plan.uncovered
    ]
    place = sheet.table(top, 1, COLUMNS, rows, table_name)
    fit_scale(ws, place.data_range("Fit"))
    first_uncovered = top + 1 + len(plan.assignments)
    for row in range(first_uncovered, first_uncovered + len(plan.uncovered)):
        for col in (place.col("Status"), place.col("Reason")):
            ws.cell(row=row, column=col).fill = UNCOVERED_FILL
    sheet.finish(freeze=f"C{top + 1}", print_rows=f"{top}:{top}")


SHEET = OnePlanSheet(TITLE, fill_assignments_sheet)
# Add the sheet of one plan to any workbook: `add_assignments_sheet(wb, plan, title, table_name)`.
add_assignments_sheet = SHEET.add
