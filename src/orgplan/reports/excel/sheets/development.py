"""The Development sheet: every skill gap of an owner, the plan's development plan."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.development import development_gaps
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.sheets.labels import person, role_titles
from orgplan.reports.excel.toolkit.sheet import Col, Sheet
from orgplan.reports.excel.toolkit.styles import HOURS_FORMAT, LEVEL_FORMAT, heat_map

COLUMNS = (
    Col("Person"),
    Col("Seat"),
    Col("Role"),
    Col("Skill"),
    Col("Needed", LEVEL_FORMAT),
    Col("Has", LEVEL_FORMAT),
    Col("Gap", LEVEL_FORMAT),
    Col("Hours affected", HOURS_FORMAT),
    Col("Responsibilities"),
)


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """Every skill gap of an owner: person, skill, needed, has, gap, for which work."""
    plan = sheets.plan
    sheet = Sheet(ws)
    top = sheet.heading(
        f"Development plan: {plan.scenario}",
        "Every skill an owner is short of (levels 0-5) for the work the plan gives them.",
    )
    titles = role_titles(plan, sheets.scenario)
    rows = [
        [
            person(g.seat) if g.seat else g.assignment.person,
            g.assignment.seat,
            titles.get(g.assignment.role, g.assignment.role),
            g.skill,
            g.needed,
            g.has,
            g.shortfall,
            g.hours,
            ", ".join(g.resps),
        ]
        for g in development_gaps(plan, sheets.scenario)
    ]
    place = sheet.table(top, 1, COLUMNS, rows, "Development")
    if rows:
        heat_map(ws, place.data_range("Gap"))
    sheet.finish(freeze=f"B{top + 1}", print_rows=f"{top}:{top}")
