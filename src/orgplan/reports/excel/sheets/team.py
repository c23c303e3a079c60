"""The Team sheet: one row per seat (also one per plan in a comparison workbook)."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.explanation import Explanation
from orgplan.reports.excel.sheets.context import OnePlanSheet, PlanSheets
from orgplan.reports.excel.sheets.labels import (
    DECISION,
    kept,
    person,
    seat_type,
    structure_heading,
    work_names,
)
from orgplan.reports.excel.toolkit.sheet import Col, Sheet, TablePlace
from orgplan.reports.excel.toolkit.styles import (
    FIT_FORMAT,
    HOURS_FORMAT,
    INTEGER_FORMAT,
    LABEL_FONT,
    PERCENT_FORMAT,
    SEATS_FORMAT,
    TOTAL_BORDER,
    currency_format,
    fit_scale,
    utilization_bars,
)
from orgplan.results.plan import Plan

TITLE = "Team"


def fill_team_sheet(
    ws: Worksheet,
    plan: Plan,
    table_name: str,
    why: Mapping[str, tuple[str, str]] | None = None,
) -> None:
    """One row per seat of `plan` on `ws`, in a table named (close to) `table_name`.

    Columns: seat, role, role title, person (or "Open requisition"), candidate id,
    background, type (internal, external, open requisition), cost, hours, capacity,
    utilization (data bars), number of responsibilities, fit (colour scale; an open
    requisition's is assumed, from the role's hire profile), the work owned and the
    Decision (`keep` where a decision placed the person in this seat; a reviewer marks
    keep or remove, `orgplan plan --decisions` reads it back); with `why` (seat -> why it
    is held so, what the plan loses without its holder), those two.
    """
    sheet = Sheet(ws)
    top = sheet.heading(
        f"Team: {plan.scenario}",
        f"{structure_heading(plan.structure)}: one row per seat; cost is annual ({plan.currency}), "
        "hours and capacity per week. An open requisition's fit is assumed (the role's "
        "hire profile), not measured.",
    )
    cols = [
        Col("Seat"),
        Col("Role"),
        Col("Role title"),
        Col("Person"),
        Col("Candidate id"),
        Col("Background"),
        Col("Type"),
        Col("Cost", currency_format(plan.currency)),
        Col("Hours", HOURS_FORMAT),
        Col("Capacity", HOURS_FORMAT),
        Col("Utilization", PERCENT_FORMAT),
        Col("Responsibilities", INTEGER_FORMAT),
        Col("Fit", FIT_FORMAT),
        Col("Owns"),
        Col(DECISION),
    ]
    if why is not None:
        cols += [Col("Why"), Col("If they leave")]
    names = work_names(plan)
    rows = [
        [
            s.seat,
            s.role,
            s.role_title,
            person(s),
            s.candidate,
            s.background,
            seat_type(s),
            s.cost,
            s.hours,
            s.capacity_hours,
            s.utilization,
            len(s.responsibilities),
            s.fit,
            ", ".join(names.get(r, r) for r in s.responsibilities),
            kept(plan, s),
            *([] if why is None else why.get(s.seat, (None, None))),
        ]
        for s in plan.seats
    ]
    place = sheet.table(top, 1, cols, rows, table_name)
    if plan.seats:
        _totals(sheet, place, plan)
    utilization_bars(ws, place.data_range("Utilization"))
    fit_scale(ws, place.data_range("Fit"))
    sheet.finish(freeze=f"B{top + 1}", print_rows=f"{top}:{top}")


def _totals(sheet: Sheet, place: TablePlace, plan: Plan) -> None:
    """A bold totals row under the table (values, no formulas): seats, cost, hours,
    capacity, their utilization and the responsibilities owned. No candidate id, so the
    review round trip passes over it."""
    seats = plan.seats
    capacity = sum(s.capacity_hours for s in seats)
    hours = sum(s.hours for s in seats)
    values: dict[str, tuple[object, str | None]] = {
        "Seat": ("Total", None),
        "Person": (len(seats), SEATS_FORMAT),
        "Cost": (sum(s.cost for s in seats), currency_format(plan.currency)),
        "Hours": (hours, HOURS_FORMAT),
        "Capacity": (capacity, HOURS_FORMAT),
        "Utilization": (hours / capacity if capacity else None, PERCENT_FORMAT),
        "Responsibilities": (sum(len(s.responsibilities) for s in seats), INTEGER_FORMAT),
    }
    row = place.bottom + 1
    for header, (value, fmt) in values.items():
        cell = sheet.put(row, place.col(header), value, fmt)
        cell.font = LABEL_FONT
        cell.border = TOTAL_BORDER


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """The plan workbook's Team sheet, with why and if-they-leave when explained."""
    fill_team_sheet(ws, sheets.plan, TITLE, _why(sheets.explanation))


def _why(explanation: Explanation | None) -> dict[str, tuple[str, str]] | None:
    if explanation is None:
        return None
    found = {p.seat.seat: (p.why, p.risk) for p in explanation.placed}
    found.update({r.seat.seat: (r.why, r.risk) for r in explanation.open_reqs})
    return found


SHEET = OnePlanSheet(TITLE, fill_team_sheet)
# Add the sheet of one plan to any workbook: `add_team_sheet(wb, plan, title, table_name)`.
add_team_sheet = SHEET.add
