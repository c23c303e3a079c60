"""The Summary sheet: the plan as a one-page brief a head of product can forward.

From the top: a headline sentence (the team, its cost against the budget, the share of
the work covered, and what the built-in `superhero` structure could cover at most); the
named roster (seat, person, from which job to which role, cost, FTE, fit) with its
total; what stays uncovered and why; the plan's weakest point (with an explanation, from
`orgplan explain`); how sure the solver is, in plain words; the notes. Beside them: the
chart of hours against capacity per seat and the key figures; under them, what the file
is (scenario, solver, stamp, fingerprint) and a link to every sheet.
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.compare import priority_coverage
from orgplan.analysis.limits import plan_limits
from orgplan.formatting import hours, money, percent
from orgplan.reports.excel.fingerprint import plan_fingerprint
from orgplan.reports.excel.sheets import team
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.sheets.labels import or_none
from orgplan.reports.excel.sheets.moves import from_to, internal_moves
from orgplan.reports.excel.toolkit.charts import show_axes
from orgplan.reports.excel.toolkit.sheet import Col, Formatted, Link, Sheet
from orgplan.reports.excel.toolkit.styles import (
    FIT_FORMAT,
    FTE_FORMAT,
    HOURS_FORMAT,
    INTEGER_FORMAT,
    LABEL_FONT,
    NUMBER_FORMAT,
    PERCENT_FORMAT,
    SECTION_FONT,
    SUBTITLE_FONT,
    TOTAL_BORDER,
    currency_format,
    fit_scale,
    utilization_bars,
)
from orgplan.results.plan import Plan
from orgplan.results.status import SolveStatus
from orgplan.scenario.format import Scenario
from orgplan.version import __version__

# The brief's columns: the roster (A-G), a gap (H), then the key figures and links (I-J).
BRIEF_LAST_COL = 7
SIDE_COL = 9
ROW_CM = 0.53  # a 15-point row, to leave the chart's height free under it
HEADLINE_FONT = SECTION_FONT


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """The one-page brief (see the module docstring).

    Built after the other sheets: its chart reads the Team sheet's table.
    """
    plan = sheets.plan
    sheet = Sheet(ws, max_width=40)
    description = (sheets.scenario.description or "").replace("`", "")
    row = sheet.heading(f"Staffing plan: {plan.scenario}", description)
    sheet.paragraph(row, headline(plan, sheets.scenario), BRIEF_LAST_COL, HEADLINE_FONT)
    if plan.timed:  # one line more, no more: the brief stays one page
        row += 1
        sheet.paragraph(row, timed_line(plan), BRIEF_LAST_COL, LABEL_FONT)
    row += 2
    row = _roster(sheet, row, sheets)
    row = _uncovered(sheet, row, sheets)
    row = _weakest_point(sheet, row, sheets)
    row = sheet.section(row, "How sure this is")
    sheet.paragraph(row, solver_sentence(plan), BRIEF_LAST_COL)
    sheet.paragraph(row + 1, about(sheets), BRIEF_LAST_COL, SUBTITLE_FONT)
    row = _notes(sheet, row + 3, sheets)
    _contents(sheet, row, sheets)
    side = 4
    if plan.seats:
        chart = _capacity_chart(sheets.sheets[team.TITLE], len(plan.seats))
        ws.add_chart(chart, f"{_letter(SIDE_COL)}{side}")
        side += math.ceil(chart.height / ROW_CM) + 1
    _key_figures(sheet, side, sheets)
    sheet.finish(one_page=True)


def _letter(col: int) -> str:
    return get_column_letter(col)


# ---- the headline ---------------------------------------------------------------------------


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def headline(plan: Plan, scenario: Scenario) -> str:
    """The plan in one sentence: the team, its cost against the budget, the work covered,
    and the most the superhero structure could cover."""
    k = plan.kpis
    if not plan.seats:
        return (
            f"This plan fills no seat: none of the {hours(k.total_hours, 'hours a week')} "
            "of work is covered."
        )
    moving, staying = internal_moves(plan, scenario)
    parts = [
        _count(len(moving), "internal move"),
        _count(len(staying), "employee staying in role", "employees staying in role"),
        _count(k.external, "named hire"),
        _count(k.open_reqs, "requisition to open", "requisitions to open"),
    ]
    kinds = ", ".join(p for p in parts if not p.startswith("0 "))
    budget = plan_limits(scenario, plan.structure).budget
    if budget is None:
        against = "with no budget set"
    elif budget - k.total_cost > 0.5:
        against = (
            f"against a budget of {money(budget, plan.currency)} "
            f"({money(budget - k.total_cost, plan.currency)} under)"
        )
    else:
        against = f"the whole budget of {money(budget, plan.currency)}"
    covered = f"{k.covered_hours:,.1f}".removesuffix(".0")
    text = (
        f"A team of {_count(k.headcount, 'seat')} ({kinds}) costs "
        f"{money(k.total_cost, plan.currency)} a year, {against}, and covers "
        f"{percent(k.coverage)} of the work ({covered} of "
        f"{hours(k.total_hours, 'hours a week', tenths=True)})"
    )
    superhero = superhero_bound(plan, scenario)
    return text + (f"; {superhero}." if superhero else ".")


def timed_line(plan: Plan) -> str:
    """A timed plan in one line: the requisitions to open in its first period (their
    roles) and when the first of them starts, how many open later, and what the horizon
    spends. The Hiring plan and Timeline sheets say the rest."""
    first = plan.periods[0]
    now = plan.open_now()
    later = sum(1 for s in plan.seats if s.open_req) - len(now)
    if now:
        roles = ", ".join(dict.fromkeys(s.role_title for s in now))
        starts = min(plan.periods.index(s.start or first) for s in now)
        text = (
            f"Open now ({first}): {_count(len(now), 'requisition')} ({roles}); "
            f"first starts {plan.periods[starts]}"
        )
    else:
        text = f"Open now ({first}): no requisition"
    if later:
        text += f"; {later} more to open later"
    return (
        f"{text}. Spend over {plan.periods[0]}-{plan.periods[-1]}: "
        f"{money(plan.kpis.spend, plan.currency)} (sheet Hiring plan)."
    )


def superhero_bound(plan: Plan, scenario: Scenario) -> str | None:
    """What the built-in superhero structure could cover at most, said plainly (no solve):
    its seats' capacity against the work they may own. None for the superhero's own plan,
    or when the superhero has no seat cap (its capacity is then unbounded)."""
    if plan.structure == "superhero" or "superhero" not in scenario.all_structures():
        return None
    limits = plan_limits(scenario, "superhero")
    caps = {r: limits.role_caps[r] for r in limits.roles}
    if any(c is None for c in caps.values()) or not any(caps.values()):
        return None
    seats = sum(c or 0 for c in caps.values())
    capacity = sum((c or 0) * scenario.roles[r].capacity for r, c in caps.items())
    roles = {r for r, c in caps.items() if c}
    work = sum(
        r.hours for r in scenario.responsibilities if r.roles is None or roles.intersection(r.roles)
    )
    total = plan.kpis.total_hours
    if total <= 0:
        return None
    if seats == 1:
        (rid,) = roles
        who = f"one superhero {scenario.roles[rid].title or rid}"
    else:
        who = f"the superhero structure's {seats} seats"
    return (
        f"{who} would have {hours(capacity, 'hours a week')} for "
        f"{hours(total, 'hours')} of work: at most {percent(min(capacity, work) / total)} of it"
    )


# ---- the roster -----------------------------------------------------------------------------


def _roster(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """The named roster, with a totals row and a note on assumed fits."""
    plan, scenario = sheets.plan, sheets.scenario
    people = {c.id: c for c in scenario.candidates}
    money_format = currency_format(plan.currency)
    cols = [
        Col("Seat"),
        Col("Person"),
        Col("From → to"),
        Col("Cost", money_format),
        Col("FTE", FTE_FORMAT),
        Col("Fit", FIT_FORMAT),
        Col("Hours", HOURS_FORMAT),
    ]
    rows = [
        [
            s.seat,
            s.holder,
            from_to(s, scenario),
            s.cost,
            people[s.candidate].availability if s.candidate in people else None,
            s.fit,
            s.hours,
        ]
        for s in plan.seats
    ]
    place = sheet.titled_table(row, "The team", cols, rows, "Roster")
    row = place.bottom + 1
    if plan.seats:
        fit_scale(sheet.ws, place.data_range("Fit"))
        totals = {
            "Seat": ("Total", None),
            "Person": (len(plan.seats), '#,##0 "seats"'),
            "Cost": (plan.kpis.total_cost, money_format),
            "Hours": (plan.kpis.covered_hours, HOURS_FORMAT),
        }
        for header, (value, fmt) in totals.items():
            cell = sheet.put(row, place.col(header), value, fmt)
            cell.font, cell.border = LABEL_FONT, TOTAL_BORDER
        row += 1
        if any(s.open_req for s in plan.seats):
            note = "An open requisition's fit is assumed: the role's hire profile, not a person."
            sheet.put(row, 1, note, measure=False).font = SUBTITLE_FONT
            row += 1
    return row + 1


def _uncovered(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """The work no seat owns, one line each, with why."""
    plan = sheets.plan
    if not plan.uncovered:
        row = sheet.section(row, "Uncovered work")
        sheet.put(row, 1, "None: every responsibility has an owner.", measure=False)
        return row + 2
    row = sheet.section(
        row, f"Uncovered work ({hours(sum(u.hours for u in plan.uncovered), 'h a week')})"
    )
    for u in plan.uncovered:
        line = f"{u.name} ({hours(u.hours, 'h a week')}, priority {u.priority:g}): {u.reason}"
        sheet.paragraph(row, line, BRIEF_LAST_COL)
        row += 1
    return row + 1


def _weakest_point(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """With an explanation: the seat whose loss costs the plan most, and plan B."""
    weakest = None if sheets.explanation is None else sheets.explanation.weakest
    if not weakest:
        return row
    row = sheet.section(row, "Weakest point (sheet Why)")
    sheet.paragraph(row, weakest, BRIEF_LAST_COL)  # as orgplan explain words it
    return row + 2


def solver_sentence(plan: Plan) -> str:
    """How sure the plan is, in plain words: proven best, or within x% of the best."""
    solver = plan.solver
    order = "it covers the most work, then fits it best, then costs least"
    if solver.status is SolveStatus.OPTIMAL:
        return f"Proven best by {solver.name}: of all the plans the limits allow, {order}."
    open_stage = next((s for s in solver.stages if s.status is not SolveStatus.OPTIMAL), None)
    gap = open_stage.gap if open_stage is not None else solver.gap
    what = open_stage.objective if open_stage is not None else "objective"
    if gap is None:
        return (
            f"Not proven best: {solver.name} stopped at its time limit before it could say "
            "how far this plan is from the best."
        )
    return (
        f"Not proven best: {solver.name} stopped at its time limit with this plan within "
        f"{percent(gap, 1)} of the best possible {what}."
    )


def _notes(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """The plan's notes, numbered (when it has any)."""
    if not sheets.plan.notes:
        return row
    cols = [Col("#", INTEGER_FORMAT), Col("Note")]
    rows = [[i, n] for i, n in enumerate(sheets.plan.notes, start=1)]
    return sheet.titled_table(row, "Notes", cols, rows, "Notes").bottom + 2


# ---- beside the brief -----------------------------------------------------------------------


def _side_table(
    sheet: Sheet, row: int, title: str, cols: list[Col], rows: list[list[Any]], name: str
) -> Any:
    sheet.put(row, SIDE_COL, title, measure=False).font = SECTION_FONT
    return sheet.table(row + 1, SIDE_COL, cols, rows, name)


def _key_figures(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """The plan's figures against its limits, coverage and fit coloured."""
    plan = sheets.plan
    k = plan.kpis
    money_format = currency_format(plan.currency)
    limits = plan_limits(sheets.scenario, plan.structure)
    figures: list[tuple[str, Any, str]] = [
        ("Total annual cost", k.total_cost, money_format),
        ("Budget", or_none(limits.budget), money_format),
        ("Seats", k.headcount, INTEGER_FORMAT),
        ("Max headcount", or_none(limits.max_headcount), INTEGER_FORMAT),
        ("Coverage", k.coverage, PERCENT_FORMAT),
        ("Priority-weighted coverage", priority_coverage(plan), PERCENT_FORMAT),
        ("Fit (hours-weighted)", k.mean_fit, PERCENT_FORMAT),
        ("Max utilization", k.max_utilization, PERCENT_FORMAT),
        ("Skill gaps", k.skill_gaps, INTEGER_FORMAT),
        ("Handoff cost", k.handoff_cost, NUMBER_FORMAT),
        ("Quality", k.quality, NUMBER_FORMAT),
    ]
    rows = [[label, Formatted(value, fmt)] for label, value, fmt in figures]
    place = _side_table(
        sheet, row, "Key figures", [Col("Figure"), Col("Value")], rows, "KeyFigures"
    )
    at = {label: place.top + i for i, (label, _, _) in enumerate(figures, start=1)}
    value = _letter(SIDE_COL + 1)
    fit_scale(sheet.ws, f"{value}{at['Coverage']}:{value}{at['Fit (hours-weighted)']}")
    utilization_bars(sheet.ws, f"{value}{at['Max utilization']}")
    return place.bottom + 2


def _contents(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """A link to every other sheet (what each holds is on the How to read sheet)."""
    rows: list[list[Any]] = [
        [Link(title, title)] for title, _ in sheets.contents if title != sheet.ws.title
    ]
    return sheet.titled_table(row, "Sheets", [Col("Sheet")], rows, "Contents").bottom + 2


def about(sheets: PlanSheets) -> str:
    """What the file is, in a line: scenario, structure, solver, stamp, fingerprint."""
    plan, stamp = sheets.plan, sheets.generated_at
    when = (
        f"generated {stamp.strftime('%Y-%m-%d %H:%M UTC')}"
        if stamp
        else "not stamped (reproducible file)"
    )
    return (
        f"About this file: scenario {plan.scenario}, structure {plan.structure}; solved by "
        f"{plan.solver.name} ({plan.solver.status.value}); {when}; plan fingerprint "
        f"{plan_fingerprint(plan)}; written by orgplan {__version__}."
    )


def _capacity_chart(team_ws: Worksheet, seats: int) -> BarChart:
    """Bars of hours and capacity per seat, read from the Team sheet's table."""
    place = next(iter(team_ws.tables.values()))
    min_col, min_row, max_col, max_row = (int(v or 1) for v in range_boundaries(place.ref))
    headers = [team_ws.cell(row=min_row, column=c).value for c in range(min_col, max_col + 1)]
    hours = min_col + headers.index("Hours")
    chart = BarChart()
    chart.type = "bar"  # horizontal: seat names read left to right
    chart.grouping = "clustered"
    chart.title = "Hours against capacity per seat"
    chart.y_axis.title = "hours per week"
    chart.y_axis.numFmt = "0"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # first seat on top, as in the Team sheet
    show_axes(chart.x_axis, chart.y_axis)
    data = Reference(team_ws, min_col=hours, max_col=hours + 1, min_row=min_row, max_row=max_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(team_ws, min_col=min_col, min_row=min_row + 1, max_row=max_row))
    chart.legend.position = "b"
    chart.width = 13  # beside the brief, over the key figures' columns
    chart.height = max(5.5, 0.45 * seats + 2.5)
    return chart
