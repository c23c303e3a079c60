"""The Org chart sheet: a picture of the proposed team, built from cells, on one page.

One column per product line when the work has several (a seat goes under the product
line of most of its hours; work without one is "Across products"), else one column per
role. Each seat is a box: the seat and its role, the person (or the open requisition to
hire) and where they come from, and what they own.
"""

from __future__ import annotations

from collections import defaultdict

from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from orgplan.formatting import hours
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.sheets.labels import work_names
from orgplan.reports.excel.sheets.moves import from_to
from orgplan.reports.excel.toolkit.sheet import Sheet
from orgplan.reports.excel.toolkit.styles import (
    CELL_BORDER,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    LABEL_FONT,
    SUBTITLE_FONT,
)
from orgplan.results.plan import Plan, Seat

TITLE = "Org chart"
HOLDS = "The proposed team as a chart: each seat, who holds it, what it owns"
BOX_WIDTH = 30
GAP_WIDTH = 2
# The colour of a seat's box (the How to read sheet shows it).
SEAT_COLOR = "DDEBF7"
SEAT_FILL = PatternFill("solid", fgColor=SEAT_COLOR)
ACROSS = "Across products"


def groups(plan: Plan) -> dict[str, list[Seat]]:
    """The chart's columns: seats by product line (of most of their hours) when the work
    has several, else by role title; in the plan's seat order."""
    products = {a.product for a in plan.assignments} | {u.product for u in plan.uncovered}
    by_product = len(products - {None}) > 1
    out: dict[str, list[Seat]] = defaultdict(list)
    for seat in plan.seats:
        if not by_product:
            out[seat.role_title or seat.role].append(seat)
            continue
        share: dict[str | None, float] = defaultdict(float)
        for a in plan.assignments:
            if a.seat == seat.seat:
                share[a.product] += a.hours
        main = max(share, key=lambda p: share[p]) if share else None
        out[main if main is not None else ACROSS].append(seat)
    if ACROSS in out:  # shared seats last
        out[ACROSS] = out.pop(ACROSS)
    return dict(out)


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """Boxes of seats in columns (see the module docstring)."""
    plan = sheets.plan
    sheet = Sheet(ws)
    sheet.heading(
        f"Org chart: {plan.scenario}",
        f"{len(plan.seats)} seats, structure {plan.structure}; each box: the seat and its "
        "role, who holds it and where from, what it owns (hours a week).",
    )
    names = work_names(plan)
    columns = groups(plan)
    if not columns:
        sheet.put(4, 1, "No seat is filled in this plan.", measure=False)
    tallest = 4
    for i, (group, seats) in enumerate(columns.items()):
        col = 1 + 2 * i
        head = sheet.put(4, col, group, measure=False)
        head.fill, head.font, head.alignment = HEADER_FILL, HEADER_FONT, HEADER_ALIGNMENT
        row = 6
        for seat in seats:
            title = sheet.put(row, col, f"{seat.seat} · {seat.role_title}", measure=False)
            title.fill, title.font = SEAT_FILL, LABEL_FONT
            who = sheet.put(
                row + 1, col, f"{seat.holder}: {from_to(seat, sheets.scenario)}", measure=False
            )
            if seat.open_req:
                who.font = Font(italic=True)
            owns = ", ".join(names.get(r, r) for r in seat.responsibilities)
            what = sheet.put(
                row + 2, col, f"{hours(seat.hours, 'h', tenths=True)}: {owns}", measure=False
            )
            what.font = SUBTITLE_FONT
            for cell in (title, who, what):
                cell.border = CELL_BORDER
                sheet.wrap(cell, BOX_WIDTH)
            row += 4
        tallest = max(tallest, row)
    widths = [BOX_WIDTH if c % 2 else GAP_WIDTH for c in range(1, 2 * max(len(columns), 1))]
    points = sum(ws.row_dimensions[r].height or 15 for r in range(1, tallest + 1))
    # One page, unless that would print it below 70% (then pages down, at full width).
    sheet.finish(widths=widths, one_page=points <= 7 * 72 / 0.7)
