"""The Hiring plan sheet of a plan over a horizon (format 1.1): what to open when.

- **Requisitions to open**: each open requisition, by the period to open it: role, the
  period to open it by, the hire's start, the lead time (the role's time to hire), the
  ramp-up, the one-off hire cost and the seat's annual cost.
- **People placed and when they start**: each named person, internal or not, with their
  start, ramp-up and one-off cost (an internal mover's backfill).
- **Train instead of hire** (when the plan grows anyone, `policy.development`): each skill
  grown, from and to which level, the period it is ready, the period it is paid in (the
  seat's start) and its cost.
- **By period**: the starts, the requisitions to open, the one-off costs, the run rate
  (annual cost of the seats filled), the spend (the period's share of the run rate and
  its one-off costs) and the coverage of each period, with the horizon's totals; and a
  chart of spend (bars) and coverage (line) by period, read from that table.

Only a timed plan has this sheet (`workbook.plan_sheets`).
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.toolkit.charts import circle_markers, show_axes
from orgplan.reports.excel.toolkit.sheet import Col, Sheet, TablePlace
from orgplan.reports.excel.toolkit.styles import (
    INTEGER_FORMAT,
    LABEL_FONT,
    LEVEL_FORMAT,
    PERCENT_FORMAT,
    TOTAL_BORDER,
    currency_format,
)
from orgplan.results.plan import Plan, Seat

TITLE = "Hiring plan"
HOLDS = "What to open when: requisitions, start dates, one-off costs, spend by period"


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """Requisitions by open-by period, the people and their starts, the figures by
    period with their totals, and the chart of spend and coverage."""
    plan = sheets.plan
    sheet = Sheet(ws, max_width=40)
    row = sheet.heading(
        f"Hiring plan: {plan.scenario}",
        f"What to open when, over {plan.periods[0]} to {plan.periods[-1]}: each "
        "requisition by the period to open it, each person's start, and what each period "
        f"costs ({plan.currency}; run rate a year, spend in the period, one-off costs "
        "included).",
    )
    row = _requisitions(sheet, row, plan)
    row = _people(sheet, row, plan)
    row = _developments(sheet, row, plan)
    place = _by_period(sheet, row, plan)
    sheet.finish()
    if plan.kpis_by_period:
        chart = spend_chart(ws, place)
        ws.add_chart(chart, f"A{place.bottom + 3}")


def _index(plan: Plan, label: str | None) -> int:
    return plan.periods.index(label) if label in plan.periods else 0


def requisitions(plan: Plan) -> list[Seat]:
    """The open requisitions, by the period to open them (then by start, then seat)."""
    reqs = [s for s in plan.seats if s.open_req]
    return sorted(reqs, key=lambda s: (_index(plan, s.open_by), _index(plan, s.start)))


def _requisitions(sheet: Sheet, row: int, plan: Plan) -> int:
    money = currency_format(plan.currency)
    cols = [
        Col("Seat"),
        Col("Role"),
        Col("Open by"),
        Col("Start"),
        Col("Lead time (periods)", INTEGER_FORMAT),
        Col("Ramp-up (periods)", INTEGER_FORMAT),
        Col("Hire cost", money),
        Col("Annual cost", money),
    ]
    rows = [
        [
            s.seat,
            s.role_title,
            s.open_by,
            s.start,
            _index(plan, s.start) - _index(plan, s.open_by),
            s.ramp_periods,
            s.one_off_cost,
            s.cost,
        ]
        for s in requisitions(plan)
    ]
    place = sheet.titled_table(row, "Requisitions to open", cols, rows, "RequisitionsByPeriod")
    return place.bottom + 2


def _people(sheet: Sheet, row: int, plan: Plan) -> int:
    money = currency_format(plan.currency)
    cols = [
        Col("Seat"),
        Col("Person"),
        Col("Candidate id"),
        Col("From"),
        Col("Role"),
        Col("Start"),
        Col("Ramp-up (periods)", INTEGER_FORMAT),
        Col("Backfill cost", money),
        Col("Annual cost", money),
    ]
    people = sorted((s for s in plan.seats if not s.open_req), key=lambda s: _index(plan, s.start))
    rows = [
        [
            s.seat,
            s.person,
            s.candidate,
            "internal move" if s.internal else "external hire",
            s.role_title,
            s.start,
            s.ramp_periods,
            s.one_off_cost,
            s.cost,
        ]
        for s in people
    ]
    place = sheet.titled_table(row, "People placed and when they start", cols, rows, "Starts")
    return place.bottom + 2


def _developments(sheet: Sheet, row: int, plan: Plan) -> int:
    """The skills grown instead of hired for (train or hire), when the plan grows any."""
    grown = plan.developments()
    if not grown:
        return row
    money = currency_format(plan.currency)
    cols = [
        Col("Seat"),
        Col("Person"),
        Col("Skill"),
        Col("From level", LEVEL_FORMAT),
        Col("To level", LEVEL_FORMAT),
        Col("Ready"),
        Col("Paid in"),
        Col("Development cost", money),
    ]
    rows = [
        [s.seat, s.person, d.skill, d.from_level, d.to_level, d.ready, s.start, d.cost]
        for s, d in grown
    ]
    place = sheet.titled_table(row, "Train instead of hire", cols, rows, "Developments")
    return place.bottom + 2


def _by_period(sheet: Sheet, row: int, plan: Plan) -> TablePlace:
    """The figures of each period, a totals row under them (no formula: computed here)."""
    money = currency_format(plan.currency)
    cols = [
        Col("Period"),
        Col("Starts", INTEGER_FORMAT),
        Col("Requisitions to open", INTEGER_FORMAT),
        Col("One-off costs", money),
        Col("Seats filled", INTEGER_FORMAT),
        Col("Run rate (a year)", money),
        Col("Spend", money),
        Col("Coverage", PERCENT_FORMAT),
    ]
    rows: list[list[Any]] = []
    for p in plan.kpis_by_period:
        rows.append(
            [
                p.period,
                sum(1 for s in plan.seats if s.start == p.period),
                sum(1 for s in plan.seats if s.open_req and s.open_by == p.period),
                p.one_off_cost,
                p.kpis.headcount,
                p.kpis.total_cost,
                p.kpis.spend,
                p.kpis.coverage,
            ]
        )
    place = sheet.titled_table(row, "By period", cols, rows, "ByPeriod")
    totals = {
        "Period": ("Total", None),
        "Starts": (sum(r[1] for r in rows), INTEGER_FORMAT),
        "Requisitions to open": (sum(r[2] for r in rows), INTEGER_FORMAT),
        "One-off costs": (sum(p.one_off_cost for p in plan.kpis_by_period), money),
        "Spend": (plan.kpis.spend, money),
        "Coverage": (plan.kpis.coverage, PERCENT_FORMAT),
    }
    for header, (value, fmt) in totals.items():
        cell = sheet.put(place.bottom + 1, place.col(header), value, fmt)
        cell.font, cell.border = LABEL_FONT, TOTAL_BORDER
    return place


def spend_chart(ws: Worksheet, place: TablePlace) -> BarChart:
    """Spend by period (bars, left axis) and coverage (line, right axis), read from the
    By period table (its totals row left out)."""
    bars = BarChart()
    bars.type = "col"
    bars.title = "Spend and coverage by period"
    bars.y_axis.title = "spend"
    bars.y_axis.majorGridlines = None
    spend = place.col("Spend")
    bars.add_data(
        Reference(ws, min_col=spend, min_row=place.top, max_row=place.bottom),
        titles_from_data=True,
    )
    periods = Reference(
        ws, min_col=place.col("Period"), min_row=place.top + 1, max_row=place.bottom
    )
    bars.set_categories(periods)
    line = LineChart()
    coverage = place.col("Coverage")
    line.add_data(
        Reference(ws, min_col=coverage, min_row=place.top, max_row=place.bottom),
        titles_from_data=True,
    )
    line.set_categories(periods)
    line.y_axis.axId = 200
    line.y_axis.title = "coverage"
    line.y_axis.numFmt = "0%"
    line.y_axis.scaling.min = 0
    line.y_axis.scaling.max = 1
    line.y_axis.crosses = "max"
    line.y_axis.majorGridlines = None
    circle_markers(line.series)
    show_axes(bars.x_axis, bars.y_axis, line.y_axis)
    bars += line
    bars.legend.position = "b"
    bars.width = 16
    bars.height = 7.5
    return bars
