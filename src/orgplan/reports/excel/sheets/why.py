"""The Why sheet (`orgplan plan --explain`, `orgplan explain -o`): every choice of the plan
defended, each with the plan it would give instead and whether that plan is proven."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.explanation import Counterfactual, Explanation, NearBest
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.toolkit.sheet import Col, Sheet
from orgplan.reports.excel.toolkit.styles import PERCENT_FORMAT, currency_format

TITLE = "Why"
HOLDS = "Why each person was chosen and why not another, priced by a re-solve"


def _figures(currency: str) -> tuple[Col, ...]:
    """The columns of the plan a what-if gives: status, coverage, quality, cost."""
    return (
        Col("Then: status"),
        Col("Then: coverage", PERCENT_FORMAT),
        Col("Then: quality"),
        Col("Then: cost", currency_format(currency)),
    )


def _then(cf: Counterfactual | NearBest | None) -> list[Any]:
    """The what-if's figures (status, coverage, quality, cost), blank when not re-solved."""
    if cf is None:
        return ["not re-solved", None, None, None]
    found = cf.outcome.plan
    if found is None:
        return [cf.outcome.status.value.replace("_", " "), None, None, None]
    return [
        found.status.value,
        found.kpis.coverage,
        round(found.kpis.quality, 2),
        found.kpis.total_cost,
    ]


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """The weakest point, then one table each: placed people, open requisitions and their
    named alternatives, candidates not placed, and the cheaper near-best teams."""
    explanation = sheets.explanation
    assert explanation is not None  # the sheet is only listed with an explanation
    plan = explanation.plan
    sheet = Sheet(ws)
    row = sheet.heading(
        f"Why: {plan.scenario}",
        "Every figure after 'Then' is the best plan with that one change, from a solve; "
        "a status other than optimal means it was stopped at its time limit.",
    )
    if explanation.weakest:
        row = sheet.section(row, "Weakest point")
        sheet.put(row, 1, explanation.weakest, measure=False)
        row += 2
    row = _placed(sheet, row, explanation, plan.currency)
    row = _open_reqs(sheet, row, explanation, plan.currency)
    row = _unplaced(sheet, row, explanation, plan.currency)
    _near_best(sheet, row, explanation, plan.currency)
    sheet.finish()


def _placed(sheet: Sheet, row: int, explanation: Explanation, currency: str) -> int:
    cols = [Col("Seat"), Col("Person"), Col("Why"), Col("If they leave"), *_figures(currency)]
    rows = [
        [p.seat.seat, p.seat.person, p.why, p.risk, *_then(p.if_removed)]
        for p in explanation.placed
    ]
    return sheet.titled_table(row, "Placed: why them", cols, rows, "WhyPlaced").bottom + 2


def _open_reqs(sheet: Sheet, row: int, explanation: Explanation, currency: str) -> int:
    cols = [Col("Seat"), Col("Candidate"), Col("Why / why not"), *_figures(currency)]
    rows: list[list[Any]] = []
    for req in explanation.open_reqs:
        rows.append([req.seat.seat, "Open requisition", req.why, None, None, None, None])
        rows.append([req.seat.seat, "(if not filled)", req.risk, *_then(req.if_unfilled)])
        for alt in req.alternatives:
            rows.append([req.seat.seat, alt.candidate.label, alt.why_not, *_then(alt.if_placed)])
    title = "Open requisitions: fit assumed from the role's hire profile; the named alternatives"
    return sheet.titled_table(row, title, cols, rows, "WhyOpenReqs").bottom + 2


def _unplaced(sheet: Sheet, row: int, explanation: Explanation, currency: str) -> int:
    cols = [
        Col("Candidate"),
        Col("Id"),
        Col("Best role"),
        Col("Why not"),
        *_figures(currency),
    ]
    rows = [
        [u.candidate.label, u.candidate.id, u.best_role, u.why_not, *_then(u.if_placed)]
        for u in explanation.unplaced
    ]
    title = "Not placed: the one reason, and the plan with them placed"
    return sheet.titled_table(row, title, cols, rows, "WhyNotPlaced").bottom + 2


def _near_best(sheet: Sheet, row: int, explanation: Explanation, currency: str) -> int:
    cols = [Col("Tolerance", PERCENT_FORMAT), Col("Team"), *_figures(currency)]
    rows = [[n.tolerance, n.summary, *_then(n)] for n in explanation.alternatives]
    title = "Cheaper near-best teams: the best team within a share of the best quality"
    return sheet.titled_table(row, title, cols, rows, "NearBest").bottom + 2
