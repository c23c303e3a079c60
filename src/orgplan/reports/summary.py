"""The plan summary printed by `orgplan plan`, and the spinner shown while solving."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from orgplan.formatting import hours, money, percent
from orgplan.results.status import SolveStatus

if TYPE_CHECKING:
    from rich.console import Console

    from orgplan.results.plan import Plan
    from orgplan.solving.options import StageProgress


def _where(plan: Plan) -> str:
    """Which priority the gap is on, and which were proven best (for a feasible plan)."""
    stages = plan.solver.stages
    open_ = [s for s in stages if s.gap is not None and s.gap == plan.solver.gap]
    if not stages or not open_:
        return ""
    proven = [s.objective for s in stages if s.status is SolveStatus.OPTIMAL]
    text = f" on {open_[0].objective}"
    if proven:
        text += f"; {' and '.join(proven)} proven best"
    return text


def render_plan(plan: Plan, console: Console) -> None:
    """Seats, people, hours against capacity, cost and fit; uncovered work; totals."""
    from rich.table import Table

    k = plan.kpis
    if plan.solver.status is SolveStatus.OPTIMAL:
        gap = ""
    elif plan.solver.gap is None:
        gap = ", gap unknown: stopped before the solver had a bound"
    else:
        gap = f", within {percent(plan.solver.gap, 2)} of the best bound{_where(plan)}"
    title = (
        f"{plan.scenario} — structure {plan.structure} "
        f"({plan.solver.name}: {plan.solver.status.value}{gap}, {plan.solver.seconds:.2f} s)"
    )
    seats = Table(title=title, title_justify="left")
    for column, justify in (
        ("seat", "left"),
        ("person", "left"),
        ("from", "left"),
        ("hours / capacity", "right"),
        ("cost", "right"),
        ("fit", "right"),
        ("owns", "left"),
    ):
        seats.add_column(column, justify=justify)  # type: ignore[arg-type]
    for seat in plan.seats:
        origin = "open req" if seat.open_req else ("internal" if seat.internal else "external")
        if seat.background and not seat.open_req:
            origin += f", {seat.background}"
        load = f"{seat.hours:g} / {seat.capacity_hours:g}"
        if seat.utilization > 1 + 1e-9:
            load = f"[red]{load}[/red]"
        seats.add_row(
            seat.seat,
            seat.person,
            origin,
            load,
            money(seat.cost, plan.currency),
            percent(seat.fit),
            ", ".join(seat.responsibilities),
        )
    console.print(seats)
    if plan.uncovered:
        missing = Table(title="Uncovered work", title_justify="left")
        missing.add_column("responsibility")
        missing.add_column("hours", justify="right")
        missing.add_column("priority", justify="right")
        missing.add_column("why")
        for item in plan.uncovered:
            missing.add_row(item.name, f"{item.hours:g}", f"{item.priority:g}", item.reason)
        console.print(missing)
    week = hours(k.total_hours, "h/week")
    console.print(
        f"Totals: {k.headcount} seat(s) ({k.internal} internal, {k.external} external, "
        f"{k.open_reqs} open req), cost {money(k.total_cost, plan.currency)}, "
        f"coverage {percent(k.coverage)} ({k.covered_hours:g} of {week}), "
        f"fit {percent(k.mean_fit)}, handoff cost {k.handoff_cost:g}, "
        f"max utilization {percent(k.max_utilization)}, skill gaps {k.skill_gaps}"
    )


_STAGE_WORDS = {
    "coverage": "most work covered",
    "quality": "best fit",
    "cost": "cheapest team",
}


@contextmanager
def solving_status(console: Console, label: str) -> Iterator[StageProgress]:
    """A spinner on stderr while solving; yields a progress callback that updates it.

    Ctrl-C during the search stops it and keeps the best plan found so far.
    """
    import time

    started = time.perf_counter()
    with console.status(f"Solving {label}… (Ctrl-C keeps the best plan so far)") as status:

        def progress(stage: str, elapsed: float, best: float | None, bound: float | None) -> None:
            text = (
                f"Solving {label}: {_STAGE_WORDS.get(stage, stage)}, "
                f"{time.perf_counter() - started:.0f} s"
            )
            if best is not None:
                text += f", best plan so far {best:,.2f}"
                if bound is not None:
                    gap = abs(bound - best) / max(1.0, abs(best))
                    text += f", within {percent(gap, 2)} of the bound"
            status.update(text + " (Ctrl-C keeps it)")

        yield progress
