"""Terminal output of `orgplan compare` and `orgplan sweep`: rich tables and a progress bar.

Rich is imported only inside the functions, so importing this module costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from orgplan.formatting import money, percent

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from orgplan.analysis.compare import Advance, Comparison, Outcome, ProgressFactory
    from orgplan.analysis.sweep import Sweep, SweepPoint

BEST = "★"


def progress_bar(label: str) -> ProgressFactory:
    """A `ProgressFactory` that shows a rich progress bar on stderr (only on a terminal;
    the bar is removed when done)."""

    @contextmanager
    def factory(total: int) -> Iterator[Advance]:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(stderr=True)
        if not console.is_terminal:
            yield _quiet
            return
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(f"{label} {total} plan{'s' if total != 1 else ''}", total=total)

            def advance(name: str, outcome: Outcome) -> None:
                status = outcome.status.replace("_", " ")
                bar.update(task, advance=1, description=f"{label}: {name} {status}")

            yield advance

    return factory


def _quiet(name: str, outcome: Outcome) -> None:
    """Progress off a terminal: nothing (stderr stays clean for logs)."""


def _console(console: Console | None) -> Console:
    if console is not None:
        return console
    from orgplan.reports.console import stdout_console

    return stdout_console()


def render_comparison(comparison: Comparison, console: Console | None = None) -> None:
    """The side-by-side table (one column per plan, the best of each row starred), then
    the verdict."""
    from rich.table import Table
    from rich.text import Text

    console = _console(console)
    table = Table(title=comparison.title, title_justify="left")
    table.add_column("", no_wrap=True)
    for i, column in enumerate(comparison.columns):
        header = Text(column.label, style="bold")
        if i in comparison.winners:
            header.append(f" {BEST}", style="bold green")
        table.add_column(header, justify="right")
    section = None
    for row in comparison.rows:
        if row.section != section:
            if section is not None:
                table.add_section()
            table.add_row(Text(row.section, style="bold cyan"))
            section = row.section
        cells = []
        for i, text in enumerate(row.shown):
            if i in row.best:
                cells.append(Text(f"{BEST} {text}", style="bold green"))
            elif row.key == "status" and text not in ("optimal", "feasible"):
                cells.append(Text(text, style="bold red"))
            elif row.key == "overload" and text not in ("none", "—"):
                cells.append(Text(text, style="red"))
            else:
                cells.append(Text(text))
        table.add_row(
            Text(row.label.strip(), style="dim" if row.label.startswith(" ") else ""), *cells
        )
    console.print(table)
    console.print(
        Text(
            f"{BEST} best in its row (rows without a better direction, or where all plans "
            "tie, are not starred); the starred header wins. Hours are per week; demand "
            "spreads all the work over the plan's seats.",
            style="dim",
        )
    )
    console.print(Text(comparison.verdict, style="bold"))


_SWEEP_HEADS = (
    ("Status", "left"),
    ("Team cost", "right"),
    ("Seats", "left"),
    ("Coverage (priority)", "right"),
    ("Coverage (hours)", "right"),
    ("Fit", "right"),
    ("Quality", "right"),
    ("Handoffs", "right"),
    ("Frontier", "center"),
)


def render_sweep(sweep: Sweep, console: Console | None = None) -> None:
    """One row per point of the sweep, the frontier starred, then the frontier in a line."""
    from rich.table import Table
    from rich.text import Text

    console = _console(console)
    structure = sweep.structure or "all roles"
    table = Table(
        title=f"Sweep: {sweep.scenario.name} — structure {structure}", title_justify="left"
    )
    heads = []
    if "budget" in sweep.axes:
        heads.append(("Budget", "right"))
    if "max_headcount" in sweep.axes:
        heads.append(("Max seats", "right"))
    for head, justify in [*heads, *_SWEEP_HEADS]:
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    for point in sweep.points:
        table.add_row(*_sweep_cells(sweep, point))
    console.print(table)
    frontier = sweep.frontier()
    if frontier:
        steps = [_frontier_step(point, sweep.currency) for point in frontier]
        console.print(Text("Frontier: " + "; ".join(steps), style="bold"))
    else:
        console.print(Text("No point of the sweep has a plan.", style="bold red"))
    console.print(
        Text(
            f"{BEST} frontier: no cheaper team covers as much as well. Coverage is "
            "priority-weighted; more budget never lowers it, nor quality at equal coverage "
            "(within the planner's 1% quality tolerance).",
            style="dim",
        )
    )


def _sweep_cells(sweep: Sweep, point: SweepPoint) -> list[Text | str]:
    """One point's row: its limits, then its plan's figures (or why it has none)."""
    from rich.text import Text

    from orgplan.analysis.compare import priority_coverage

    cells: list[Text | str] = []
    if "budget" in sweep.axes:
        cells.append(money(point.budget) if point.budget is not None else "—")
    if "max_headcount" in sweep.axes:
        cells.append(str(point.max_headcount))
    plan = point.plan
    if plan is None:
        reason = "; ".join(point.outcome.reasons)
        status = point.status.replace("_", " ")
        cells.append(Text(status, style="bold red"))
        return [*cells, "—", Text(reason, style="red"), *["—"] * 5, ""]
    k = plan.kpis
    team = ", ".join(f"{n} {r}" for r, n in k.headcount_by_role.items()) or "none"
    star = Text(BEST, style="bold green") if point.frontier else Text("")
    style = "bold" if point.frontier else "dim"
    return [
        *cells,
        point.status,
        Text(money(k.total_cost, sweep.currency), style=style),
        team,
        Text(percent(priority_coverage(plan), 1), style=style),
        percent(k.coverage, 1),
        percent(k.mean_fit, 1),
        Text(f"{k.quality:,.2f}", style=style),
        f"{k.handoff_cost:g}",
        star,
    ]


def _frontier_step(point: SweepPoint, currency: str) -> str:
    """`300,000 USD → 95% covered, fit 80%`."""
    from orgplan.analysis.compare import priority_coverage

    assert point.plan is not None
    cost = money(point.plan.kpis.total_cost, currency)
    return (
        f"{cost} → {percent(priority_coverage(point.plan))}"
        f" covered, fit {percent(point.plan.kpis.mean_fit)}"
    )
