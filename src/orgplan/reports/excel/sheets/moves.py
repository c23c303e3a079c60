"""The Moves and hires sheet: what HR has to do to make the plan happen.

Three lists, each an Excel table:

- **Internal moves**: each employee who changes role, from their current job (a detail
  named like "current role", else their background) to the new seat, and the backfill
  the move leaves. An employee whose current job is the role they take (a product
  manager who stays one) is not moving: they are listed under the table as staying.
- **Offers to named applicants**: each external person placed, with the seat, cost and
  full-time equivalent of the offer.
- **Requisitions to open**: each seat nobody in the pool holds, with its hours, work and
  assumed fit, and why no named candidate was given it: with an explanation
  (`--explain`), the priced why-not of each alternative; else the reason read off the
  plan (`orgplan.analysis.placement`).

A plan over one period has no dates; every move and hire is for the plan's start.
"""

from __future__ import annotations

import re

from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.placement import accepted_roles, placement, why_not
from orgplan.domain.rules import candidate_levels, gaps
from orgplan.formatting import figure
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.sheets.labels import role_titles, work_names
from orgplan.reports.excel.toolkit.sheet import Col, Sheet
from orgplan.reports.excel.toolkit.styles import (
    FIT_FORMAT,
    FTE_FORMAT,
    HOURS_FORMAT,
    SUBTITLE_FONT,
    currency_format,
    fit_scale,
)
from orgplan.results.plan import Plan, Seat
from orgplan.scenario.format import Candidate, Scenario

TITLE = "Moves and hires"
HOLDS = "Internal moves and their backfills, offers to make, requisitions to open and why"

# Details that name a person's current job (a pool's extra columns), first match wins.
_CURRENT_JOB_KEYS = ("current role", "current job", "role", "job title", "title", "position")


def _key(text: str) -> str:
    """`Product Manager`, `product_manager`, `product-manager` -> `productmanager`."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def current_job(candidate: Candidate) -> str | None:
    """An employee's current job: a detail naming it, else their background (as words)."""
    details = {k.strip().lower(): v for k, v in candidate.details.items()}
    for key in _CURRENT_JOB_KEYS:
        if details.get(key, "").strip():
            return details[key].strip()
    return candidate.background.replace("_", " ") if candidate.background else None


def stays_in_role(seat: Seat, candidate: Candidate, scenario: Scenario) -> bool:
    """Whether an internal person's current job is the role of their seat (id or title):
    they keep their job, nobody moves."""
    job = current_job(candidate)
    if job is None:
        return False
    role = scenario.roles.get(seat.role)
    names = {_key(seat.role), _key(seat.role_title), _key(role.title or "") if role else ""}
    return _key(job) in names - {""}


def internal_moves(plan: Plan, scenario: Scenario) -> tuple[list[Seat], list[Seat]]:
    """The internal seats of `plan`: (those whose holder changes role, those who stay)."""
    people = {c.id: c for c in scenario.candidates}
    moving: list[Seat] = []
    staying: list[Seat] = []
    for seat in plan.seats:
        if seat.open_req or not seat.internal or seat.candidate not in people:
            continue
        stays = stays_in_role(seat, people[seat.candidate], scenario)
        (staying if stays else moving).append(seat)
    return moving, staying


def from_to(seat: Seat, scenario: Scenario) -> str:
    """Where the holder of `seat` comes from and goes: `qa tester → Technical Product
    Manager`, `Product Manager (stays)`, `applicant (marketing) → Product Manager`."""
    if seat.open_req:
        return f"to hire → {seat.role_title}"
    people = {c.id: c for c in scenario.candidates}
    person = people.get(seat.candidate or "")
    if not seat.internal:
        was = f"applicant ({seat.background.replace('_', ' ')})" if seat.background else "applicant"
        return f"{was} → {seat.role_title}"
    if person is not None and stays_in_role(seat, person, scenario):
        return f"{seat.role_title} (stays)"
    job = current_job(person) if person is not None else None
    return f"{job or 'current job'} → {seat.role_title}"


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """Internal moves, offers, requisitions: each a table under its heading."""
    plan = sheets.plan
    sheet = Sheet(ws)
    row = sheet.heading(
        f"Moves and hires: {plan.scenario}",
        "What it takes to staff the plan: who moves from which job (and the job to "
        "backfill), the offers to make, the requisitions to open. Costs annual "
        f"({plan.currency}), hours per week; FTE 1 is full-time.",
    )
    row = _moves(sheet, row, sheets)
    row = _offers(sheet, row, sheets)
    _requisitions(sheet, row, sheets)
    sheet.finish()


def _moves(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    plan, scenario = sheets.plan, sheets.scenario
    people = {c.id: c for c in scenario.candidates}
    moving, staying = internal_moves(plan, scenario)
    money = currency_format(plan.currency)
    cols = [
        Col("Person"),
        Col("Id"),
        Col("From (current job)"),
        Col("To seat"),
        Col("To role"),
        Col("Cost", money),
        Col("FTE", FTE_FORMAT),
        Col("Hours", HOURS_FORMAT),
        Col("Fit", FIT_FORMAT),
        Col("Backfill"),
    ]
    rows = []
    for s in moving:
        person = people[s.candidate or ""]
        job = current_job(person)
        rows.append(
            [
                s.person,
                s.candidate,
                job or "not given",
                s.seat,
                s.role_title,
                s.cost,
                person.availability,
                s.hours,
                s.fit,
                f"their {job} job: backfill it or close it"
                if job
                else "their current job: backfill it or close it",
            ]
        )
    place = sheet.titled_table(row, "Internal moves", cols, rows, "InternalMoves")
    if rows:
        fit_scale(sheet.ws, place.data_range("Fit"))
    row = place.bottom + 1
    if staying:
        names = "; ".join(f"{s.person} ({s.role_title}, {s.seat})" for s in staying)
        sheet.put(
            row, 1, f"Staying in their role, no move: {names}.", measure=False
        ).font = SUBTITLE_FONT
        row += 1
    return row + 1


def _offers(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    plan, scenario = sheets.plan, sheets.scenario
    people = {c.id: c for c in scenario.candidates}
    cols = [
        Col("Person"),
        Col("Id"),
        Col("Background"),
        Col("Seat"),
        Col("Role"),
        Col("Cost", currency_format(plan.currency)),
        Col("FTE", FTE_FORMAT),
        Col("Hours", HOURS_FORMAT),
        Col("Fit", FIT_FORMAT),
    ]
    rows = [
        [
            s.person,
            s.candidate,
            s.background,
            s.seat,
            s.role_title,
            s.cost,
            people[s.candidate].availability if s.candidate in people else None,
            s.hours,
            s.fit,
        ]
        for s in plan.seats
        if not s.open_req and not s.internal
    ]
    place = sheet.titled_table(row, "Offers to named applicants", cols, rows, "Offers")
    if rows:
        fit_scale(sheet.ws, place.data_range("Fit"))
    return place.bottom + 2


def _requisitions(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    plan = sheets.plan
    names = work_names(plan)
    titles = role_titles(plan, sheets.scenario)
    cols = [
        Col("Seat"),
        Col("Role"),
        Col("Cost", currency_format(plan.currency)),
        Col("Hours", HOURS_FORMAT),
        Col("Assumed fit", FIT_FORMAT),
        Col("Work"),
        Col("Why no named candidate"),
    ]
    rows = [
        [
            s.seat,
            titles.get(s.role, s.role),
            s.cost,
            s.hours,
            s.fit,
            ", ".join(names.get(r, r) for r in s.responsibilities),
            why_no_candidate(s, sheets),
        ]
        for s in plan.seats
        if s.open_req
    ]
    place = sheet.titled_table(row, "Requisitions to open", cols, rows, "Requisitions")
    if rows:
        fit_scale(sheet.ws, place.data_range("Assumed fit"))
    return place.bottom + 2


def why_no_candidate(seat: Seat, sheets: PlanSheets) -> str:
    """Why an open requisition holds `seat` rather than someone of the pool: the priced
    why-not of each alternative when the plan is explained, else each candidate who would
    take the role, with the reason read off the plan."""
    plan, scenario = sheets.plan, sheets.scenario
    role = seat.role_title or seat.role
    explained = sheets.explanation
    if explained is not None:
        for why in explained.open_reqs:
            if why.seat.seat == seat.seat:
                if not why.alternatives:
                    return f"nobody in the pool can hold a {role} seat"
                return "; ".join(f"{a.candidate.label}: {a.why_not}" for a in why.alternatives)
    lines = []
    for cand in scenario.candidates:
        if seat.role not in accepted_roles(cand, scenario):
            continue
        where = placement(cand, plan, scenario)
        if where.seat is not None:
            continue
        levels = candidate_levels(cand, scenario)
        floors = scenario.roles[seat.role].floors
        short = gaps(levels, floors)
        if where.reason != "excluded" and short:
            below = ", ".join(
                f"{k} {figure(levels.get(k, 0.0))} < {figure(floors[k])}" for k in short
            )
            lines.append(f"{cand.label}: below the {seat.role} floors ({below})")
        else:
            lines.append(f"{cand.label}: {why_not(where, cand, plan)}")
    return "; ".join(lines) or f"nobody in the pool would take a {role} seat"
