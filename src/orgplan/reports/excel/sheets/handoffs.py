"""The Handoffs sheet: split couplings, the seat pairs they tie together, each seat's load."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.coordination import Coordination, coordination
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.sheets.labels import person, work_names
from orgplan.reports.excel.toolkit.sheet import Col, Sheet
from orgplan.reports.excel.toolkit.styles import INTEGER_FORMAT, PERCENT_FORMAT, heat_map
from orgplan.results.plan import Plan

SPLIT_COLUMNS = (
    Col("Responsibility A"),
    Col("Seat A"),
    Col("Person A"),
    Col("Responsibility B"),
    Col("Seat B"),
    Col("Person B"),
    Col("Handoff cost"),
)
PAIR_COLUMNS = (
    Col("Seat A"),
    Col("Person A"),
    Col("Seat B"),
    Col("Person B"),
    Col("Handoff cost"),
    Col("Couplings", INTEGER_FORMAT),
    Col("Which"),
)
LOAD_COLUMNS = (
    Col("Seat"),
    Col("Person"),
    Col("Role"),
    Col("Coordination load"),
    Col("Partner seats", INTEGER_FORMAT),
    Col("Share of handoff cost", PERCENT_FORMAT),
)


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """Split couplings, the seat pairs they tie together, and each seat's load."""
    plan = sheets.plan
    sheet = Sheet(ws)
    row = sheet.heading(
        f"Handoffs: {plan.scenario}",
        "Coupled work owned by different seats costs a handoff; the load is the handoff "
        "cost a seat shares with others.",
    )
    pairs = coordination(plan)
    row = _split_couplings(sheet, row, plan)
    row = _seat_pairs(sheet, row, plan, pairs)
    _seat_load(sheet, row, plan, pairs)
    sheet.finish()


def _split_couplings(sheet: Sheet, row: int, plan: Plan) -> int:
    """One row per coupling whose ends different seats own; returns the next free row."""
    names = work_names(plan)
    persons = {s.seat: person(s) for s in plan.seats}
    rows = [
        [
            names.get(h.between[0], h.between[0]),
            h.seats[0] if h.seats[0] is not None else "(uncovered)",
            persons.get(h.seats[0] or "", None),
            names.get(h.between[1], h.between[1]),
            h.seats[1] if h.seats[1] is not None else "(uncovered)",
            persons.get(h.seats[1] or "", None),
            h.cost,
        ]
        for h in plan.handoffs
    ]
    title = "Coupled responsibilities split between seats"
    place = sheet.titled_table(row, title, SPLIT_COLUMNS, rows, "SplitCouplings")
    if rows:
        heat_map(sheet.ws, place.data_range("Handoff cost"))
    return place.bottom + 2


def _seat_pairs(sheet: Sheet, row: int, plan: Plan, pairs: Coordination) -> int:
    """One row per pair of seats with split couplings, heaviest first; the next free row."""
    names = work_names(plan)
    persons = {s.seat: person(s) for s in plan.seats}
    rows = []
    for pair in pairs.pairs:
        a, b = pair.seats
        which = "; ".join(f"{names.get(x, x)} / {names.get(y, y)}" for x, y in pair.couplings)
        rows.append([a, persons[a], b, persons[b], pair.cost, len(pair.couplings), which])
    place = sheet.titled_table(
        row, "Seat-to-seat coordination load", PAIR_COLUMNS, rows, "SeatPairs"
    )
    if rows:
        heat_map(sheet.ws, place.data_range("Handoff cost"))
    return place.bottom + 2


def _seat_load(sheet: Sheet, row: int, plan: Plan, pairs: Coordination) -> None:
    """Each seat's coordination load, partners and share of the handoff cost."""
    rows = [
        [
            s.seat,
            person(s),
            s.role_title,
            pairs.load(s.seat),
            pairs.partners(s.seat),
            pairs.share(s.seat),
        ]
        for s in plan.seats
    ]
    place = sheet.titled_table(row, "Coordination load per seat", LOAD_COLUMNS, rows, "SeatLoad")
    if rows:
        heat_map(sheet.ws, place.data_range("Coordination load"))
