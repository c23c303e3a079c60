"""The Matrix sheet: responsibilities x seats, hours heat-mapped, totals per seat."""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.sheets.labels import person, structure_heading
from orgplan.reports.excel.toolkit.sheet import LINE_HEIGHT, Col, Sheet, TablePlace
from orgplan.reports.excel.toolkit.styles import (
    BOTTOM_WRAP_ALIGNMENT,
    HOURS_FORMAT,
    LABEL_FONT,
    PERCENT_FORMAT,
    SUBTITLE_FONT,
    heat_map,
    utilization_bars,
)
from orgplan.results.plan import Plan

TOP = 5  # the table's header row: row 4 names the person in each seat column
FIXED = (Col("Product"), Col("Responsibility"), Col("Owner"), Col("Hours", HOURS_FORMAT))


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """Responsibilities x seats, hours heat-mapped, with totals, capacity and utilization."""
    plan = sheets.plan
    sheet = Sheet(ws)
    sheet.heading(
        f"Responsibilities by seat: {plan.scenario}",
        f"{structure_heading(plan.structure)}: hours per week of each responsibility in the seat "
        "that owns it.",
    )
    seat_cols = [Col(s.seat, HOURS_FORMAT) for s in plan.seats]
    cols = [*FIXED, *seat_cols, Col("Uncovered", HOURS_FORMAT)]
    index = {s.seat: i for i, s in enumerate(plan.seats)}
    rows: list[list[Any]] = []
    for a in plan.assignments:
        cells: list[Any] = [None] * (len(plan.seats) + 1)
        if a.seat in index:
            cells[index[a.seat]] = a.hours
        rows.append([a.product, a.name, a.seat, a.hours, *cells])
    for u in plan.uncovered:
        rows.append([u.product, u.name, None, u.hours, *([None] * len(plan.seats)), u.hours])
    sheet.put(TOP - 1, len(FIXED), "Person:", measure=False).font = LABEL_FONT
    for i, s in enumerate(plan.seats):
        cell = sheet.put(TOP - 1, len(FIXED) + 1 + i, person(s), measure=False)
        cell.font = SUBTITLE_FONT
        cell.alignment = BOTTOM_WRAP_ALIGNMENT
    ws.row_dimensions[TOP - 1].height = 2 * LINE_HEIGHT  # names wrap onto two lines
    place = sheet.table(TOP, 1, cols, rows, "Matrix")
    if plan.seats:
        heat_map(ws, place.data_range(plan.seats[0].seat, plan.seats[-1].seat))
    _totals(sheet, place, plan)
    sheet.finish(freeze=f"C{TOP + 1}", print_rows=f"{TOP - 1}:{TOP}")


def _totals(sheet: Sheet, place: TablePlace, plan: Plan) -> None:
    """Total hours, capacity and utilization below the table, as values (no formulas)."""
    row = place.bottom + 2
    for offset, label in enumerate(("Total hours", "Capacity", "Utilization")):
        sheet.put(row + offset, 2, label).font = LABEL_FONT
    hours_col = place.col("Hours")
    sheet.put(
        row,
        hours_col,
        sum(a.hours for a in plan.assignments) + sum(u.hours for u in plan.uncovered),
        HOURS_FORMAT,
    ).font = LABEL_FONT
    sheet.put(row + 1, hours_col, sum(s.capacity_hours for s in plan.seats), HOURS_FORMAT)
    for i, s in enumerate(plan.seats):
        col = len(FIXED) + 1 + i
        sheet.put(row, col, s.hours, HOURS_FORMAT).font = LABEL_FONT
        sheet.put(row + 1, col, s.capacity_hours, HOURS_FORMAT)
        sheet.put(row + 2, col, s.utilization, PERCENT_FORMAT)
    uncovered_col = len(FIXED) + len(plan.seats) + 1
    sheet.put(row, uncovered_col, sum(u.hours for u in plan.uncovered), HOURS_FORMAT)
    if plan.seats:
        first = get_column_letter(len(FIXED) + 1)
        last = get_column_letter(len(FIXED) + len(plan.seats))
        utilization_bars(sheet.ws, f"{first}{row + 2}:{last}{row + 2}")
