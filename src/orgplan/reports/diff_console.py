"""The terminal output of `orgplan diff` (and of a re-plan under decisions): the seats
added and removed, the people who moved, the owners that changed, the KPIs before and
after; within 80 columns (`fitted_tables`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgplan import formatting
from orgplan.analysis.diff import KpiChange, PlanDiff
from orgplan.formatting import money, percent
from orgplan.reports.console import Col, figure, literal, print_tables

if TYPE_CHECKING:
    from rich.console import Console

_RATIOS = {"coverage", "mean_fit", "max_utilization"}
_MONEY = {"total_cost"}


def _shown(kpi: KpiChange, value: float | None) -> str:
    if value is None:
        return "-"
    if kpi.name in _RATIOS:
        return percent(value)
    if kpi.name in _MONEY:
        return money(value)
    return formatting.figure(value)


def _change(kpi: KpiChange) -> str:
    if kpi.before is None or kpi.after is None or abs(kpi.after - kpi.before) < 1e-9:
        return ""
    delta = kpi.after - kpi.before
    sign = "+" if delta > 0 else "-"
    if kpi.name in _RATIOS:
        return f"{sign}{percent(abs(delta), 1)}"
    if kpi.name in _MONEY:
        return f"{sign}{money(abs(delta))}"
    return f"{sign}{formatting.figure(abs(delta))}"


def render_diff(
    diff: PlanDiff, console: Console, before: str | None = None, after: str | None = None
) -> None:
    """What changed from one plan to the other (`before` and `after` name them, by
    default by scenario and structure), then the KPIs side by side."""
    from rich.text import Text

    console.print(literal(f"Changes from {before or diff.before} to {after or diff.after}", "bold"))
    if diff.unchanged:
        console.print("Same seats, people and owners.")
    lines = [f"+ {s.holder} as {s.role} ({s.seat})" for s in diff.seats_added]
    lines += [f"- {s.holder} as {s.role} ({s.seat})" for s in diff.seats_removed]
    lines += [f"~ {m.candidate} moves from {m.before} to {m.after}" for m in diff.moved]
    if lines:
        console.print(Text("Seats", style="bold"))
        for line in lines:
            console.print(literal(f"  {line}"))
    if diff.owners_changed:
        console.print(Text("Owners changed", style="bold"))
        changed = diff.owners_changed
        print_tables(
            console,
            Col(Text("responsibility"), [literal(o.responsibility) for o in changed]),
            [
                Col(Text("before"), [literal(o.before or "uncovered") for o in changed]),
                Col(Text("after"), [literal(o.after or "uncovered") for o in changed]),
            ],
        )
    if diff.kpis:
        console.print(Text("KPIs", style="bold"))
        kpis = diff.kpis
        print_tables(
            console,
            Col(Text("kpi"), [Text(k.name) for k in kpis]),
            [
                Col(Text("before"), [figure(_shown(k, k.before)) for k in kpis], "right"),
                Col(Text("after"), [figure(_shown(k, k.after)) for k in kpis], "right"),
                Col(Text("change"), [figure(_change(k)) for k in kpis], "right"),
            ],
        )
