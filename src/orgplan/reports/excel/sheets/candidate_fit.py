"""The Candidate fit sheet: every candidate x role fit, where each was placed, or why not.

Rows go by seat: each seat's holder, then the candidates weighed against that seat (best
fit for its work first), so a seat's alternates read together; then everyone else. The
seat weighed against is said in its own column (`Weighed against`), so that the reason of
each row (`Detail`) says only what is the candidate's own.
"""

from __future__ import annotations

from contextlib import suppress

from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.limits import seated_roles
from orgplan.analysis.placement import Placement, holdable_roles, own_part, placement, rival_text
from orgplan.domain.rules import Levels, candidate_levels, role_fit
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.sheets.labels import DECISION, candidate_decision, role_titles
from orgplan.reports.excel.toolkit.sheet import Col, Sheet
from orgplan.reports.excel.toolkit.styles import FIT_FORMAT, currency_format, fit_scale
from orgplan.scenario.format import Scenario

# Before the cost and the fit per role; then where each was placed, or why not.
PERSON_COLUMNS = (Col("Candidate"), Col("Id"), Col("Background"), Col("Internal"))
PLACEMENT_COLUMNS = (
    Col("Can hold"),
    Col("Placed in"),
    Col("Placed as"),
    Col("Reason"),
    Col("Weighed against"),
    Col("Detail"),
    Col(DECISION),
)


def _place_in_order(
    where: Placement, seat_at: dict[str, int], levels: Levels, scenario: Scenario, n: int
) -> tuple[int, int, float, int]:
    """Where a candidate's row goes: by seat, its holder first, then the candidates weighed
    against that seat, best fit for its work first; then the others, best role fit first
    (ties in file order)."""
    if where.seat is not None:
        return (seat_at[where.seat.seat], 0, 0.0, n)
    if where.rival is not None and where.rival.seat in seat_at:
        return (seat_at[where.rival.seat], 1, -where.their_fit, n)
    best = max((role_fit(levels, role) for role in scenario.roles.values()), default=0.0)
    return (len(seat_at), 2, -best, n)


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """Every candidate x role fit, heat-mapped, where they were placed, or why not."""
    plan, scenario = sheets.plan, sheets.scenario
    sheet = Sheet(ws)
    top = sheet.heading(
        f"Candidate fit: {plan.scenario}",
        "Fit for a role is the share of its floors a candidate meets; a seat needs every "
        "floor met. "
        + (
            "Reasons are read off the plan."
            if sheets.explanation is None
            else "Each detail is priced by a re-solve (sheet Why)."
        ),
    )
    role_ids = list(scenario.roles)
    cols = [
        *PERSON_COLUMNS,
        Col("Cost", currency_format(plan.currency)),
        *[Col(f"{rid} fit", FIT_FORMAT) for rid in role_ids],
        *PLACEMENT_COLUMNS,
    ]
    seated = seated_roles(scenario, plan.structure)
    titles = role_titles(plan, scenario)
    explained = sheets.explanation
    rows = []
    order: list[tuple[int, int, float, int]] = []
    seat_at = {s.seat: i for i, s in enumerate(plan.seats)}
    for n, cand in enumerate(scenario.candidates):
        levels = candidate_levels(cand, scenario)
        where = placement(cand, plan, scenario)
        order.append(_place_in_order(where, seat_at, levels, scenario, n))
        detail = own_part(where, cand, plan) if where.seat is None else None
        if explained is not None:
            with suppress(KeyError):  # explained for a few candidates only (--candidate)
                detail = explained.why_of(cand.id)
        rows.append(
            [
                cand.label,
                cand.id,
                cand.background,
                cand.internal,
                cand.cost,
                *[role_fit(levels, scenario.roles[r]) for r in role_ids],
                ", ".join(holdable_roles(cand, levels, scenario, seated))
                if not cand.exclude
                else None,
                where.seat.seat if where.seat else None,
                titles.get(where.seat.role, where.seat.role) if where.seat else None,
                where.reason or None,
                rival_text(where, plan),
                detail,
                candidate_decision(plan, cand.id),
            ]
        )
    rows = [row for _, row in sorted(zip(order, rows, strict=True), key=lambda pair: pair[0])]
    place = sheet.table(top, 1, cols, rows, "CandidateFit")
    if role_ids and rows:
        fit_scale(ws, place.data_range(f"{role_ids[0]} fit", f"{role_ids[-1]} fit"))
    sheet.finish(freeze=f"C{top + 1}", print_rows=f"{top}:{top}")
