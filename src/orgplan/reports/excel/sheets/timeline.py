"""The Timeline sheet of a plan over a horizon (format 1.1): a Gantt chart of the seats by
period, and who owns each responsibility in each period.

- **Seats by period**: one row per seat (seat, holder, role, start), a column per period,
  each cell filled by the seat's phase then (`Plan.phases`): recruiting (the requisition
  is open, from its open-by period to the one before its start), ramping up (its first
  periods, at the policy's ramp capacity), full capacity; blank before. The cells say
  the phase in words as well, for a print without colour, and a skill grown instead of
  a hire (train or hire) in the period it is ready. A legend follows.
- **Who owns what**: one row per responsibility, a column per period, the seat that owns
  it then, `uncovered` (peach) where it exists and nobody owns it, blank where it does
  not exist.

Only a timed plan has this sheet (`workbook.plan_sheets`).
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from orgplan.formatting import figure, percent
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.toolkit.sheet import Col, Sheet
from orgplan.reports.excel.toolkit.styles import (
    FULL_FILL,
    HOURS_FORMAT,
    RAMPING_FILL,
    RECRUITING_FILL,
    UNCOVERED_FILL,
)
from orgplan.results.plan import FULL, RAMPING, RECRUITING, Plan
from orgplan.scenario.format import Scenario

TITLE = "Timeline"
HOLDS = "Each seat by period: recruiting, ramping up, full; who owns what when"

# What a Gantt cell says, and its fill, by phase; a seat not started is a blank cell.
PHASE_TEXT = {RECRUITING: "recruiting", RAMPING: "ramping up", FULL: "full"}
PHASE_FILLS: dict[str, PatternFill] = {
    RECRUITING: RECRUITING_FILL,
    RAMPING: RAMPING_FILL,
    FULL: FULL_FILL,
}
UNCOVERED = "uncovered"


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """The seats by period, the legend, and who owns what in each period."""
    plan = sheets.plan
    sheet = Sheet(ws, max_width=40)
    ramp = percent(sheets.scenario.policy.ramp_capacity)
    row = sheet.heading(
        f"Timeline: {plan.scenario}",
        f"Each seat over {plan.periods[0]} to {plan.periods[-1]}: recruiting while its "
        f"requisition is open, ramping up (at {ramp} of capacity) in its first periods, "
        "then at full capacity; below, who owns each responsibility in each period."
        + (
            ' A skill trained instead of a hire reads "grown: skill a -> b" in the '
            "period it is ready."
            if plan.developments()
            else ""
        ),
    )
    row = _seats(sheet, row, plan)
    row = _legend(sheet, row, ramp)
    _owners(sheet, row, plan, sheets.scenario)
    sheet.finish()


def _seats(sheet: Sheet, row: int, plan: Plan) -> int:
    """The Gantt table: a row per seat, a cell per period filled by its phase."""
    cols = [Col("Seat"), Col("Holder"), Col("Role"), Col("Start")]
    cols += [Col(label) for label in plan.periods]
    rows: list[list[Any]] = []
    for seat in plan.seats:
        phases = plan.phases(seat)
        cells: list[Any] = [PHASE_TEXT.get(phase) for phase in phases]
        for t, label in enumerate(plan.periods):
            grown = [d for d in seat.developments if d.ready == label]
            if grown and cells[t] is not None:
                cells[t] += ", grown: " + "; ".join(
                    f"{d.skill} {figure(d.from_level)} -> {figure(d.to_level)}" for d in grown
                )
        rows.append([seat.seat, seat.holder, seat.role_title, seat.start, *cells])
    place = sheet.titled_table(row, "Seats by period", cols, rows, "Timeline")
    for i, seat in enumerate(plan.seats, start=1):
        for t, phase in enumerate(plan.phases(seat)):
            if phase in PHASE_FILLS:
                sheet.ws.cell(row=place.top + i, column=place.left + 4 + t).fill = PHASE_FILLS[
                    phase
                ]
    return place.bottom + 2


def _legend(sheet: Sheet, row: int, ramp: str) -> int:
    """What each fill of the Gantt means."""
    meanings = [
        (RECRUITING, "The requisition is open: the role is being recruited"),
        (RAMPING, f"Started, ramping up: {ramp} of the seat's capacity"),
        (FULL, 'At full capacity ("grown: domain 2 -> 3": a skill trained, ready then)'),
    ]
    rows = [[PHASE_TEXT[phase], meaning] for phase, meaning in meanings]
    place = sheet.titled_table(row, "Legend", [Col("Cell"), Col("Meaning")], rows, "Legend")
    for i, (phase, _) in enumerate(meanings, start=1):
        sheet.ws.cell(row=place.top + i, column=place.left).fill = PHASE_FILLS[phase]
    return place.bottom + 2


def _owners(sheet: Sheet, row: int, plan: Plan, scenario: Scenario) -> int:
    """Who owns each responsibility in each period (in the scenario's order): its seat,
    `uncovered` where it exists and nobody owns it, blank where it does not exist."""
    owner: dict[tuple[str, str], str] = {}
    for a in plan.assignments:
        for label in a.periods:
            owner[a.responsibility, label] = a.seat
    for u in plan.uncovered:
        for label in u.periods:
            owner[u.responsibility, label] = UNCOVERED
    cols = [Col("Responsibility"), Col("Product"), Col("Hours", HOURS_FORMAT)]
    cols += [Col(label) for label in plan.periods]
    rows = [
        [r.label, r.product, r.hours] + [owner.get((r.id, label)) for label in plan.periods]
        for r in scenario.responsibilities
    ]
    place = sheet.titled_table(row, "Who owns what, by period", cols, rows, "OwnersByPeriod")
    for i, values in enumerate(rows, start=1):
        for t, value in enumerate(values[3:]):
            if value == UNCOVERED:
                sheet.ws.cell(row=place.top + i, column=place.left + 3 + t).fill = UNCOVERED_FILL
    return place.bottom + 2
