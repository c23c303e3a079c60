"""Terminal output of `orgplan compare` and `orgplan sweep`: rich tables and a progress bar.

Rich is imported only inside the functions, so importing this module costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from orgplan.formatting import counted, money, percent, structure_phrase
from orgplan.reports.console import (
    Col,
    figure,
    fits,
    literal,
    print_tables,
    stderr_console,
    stdout_console,
)
from orgplan.text import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from orgplan.analysis.compare import Advance, Comparison, Outcome, ProgressFactory, Row
    from orgplan.analysis.sweep import Sweep, SweepPoint

BEST = "★"


def progress_bar(label: str) -> ProgressFactory:
    """A `ProgressFactory` that shows a rich progress bar on stderr (only on a terminal;
    the bar is removed when done)."""

    @contextmanager
    def factory(total: int) -> Iterator[Advance]:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = stderr_console()
        if not console.is_terminal:
            yield _quiet
            return
        columns = (
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(printable(f"{label} {counted(total, 'plan')}"), total=total)

            def advance(name: str, outcome: Outcome) -> None:
                status = outcome.status.replace("_", " ")
                bar.update(task, advance=1, description=printable(f"{label}: {name} {status}"))

            yield advance

    return factory


def _quiet(name: str, outcome: Outcome) -> None:
    """Progress off a terminal: nothing (stderr stays clean for logs)."""


def _console(console: Console | None) -> Console:
    return console if console is not None else stdout_console()


def render_comparison(comparison: Comparison, console: Console | None = None) -> None:
    """The side-by-side table (one column per plan, the best of each row starred), then
    why a plan is missing, then the verdict.

    At 80 columns the plans that do not fit beside the measures go into a second table
    (`fitted_tables`), figures are never wrapped, and the reasons for a missing plan are
    listed under the table rather than squeezed into its cells.
    """
    from rich.text import Text

    from orgplan.analysis.compare import comparable_rule

    console = _console(console)
    rows = [row for row in comparison.rows if row.key != "reasons"]
    labels: list[Text] = []
    cells: list[list[Text]] = [[] for _ in comparison.shown]
    ends: set[int] = set()
    section = None
    for row in rows:
        if row.section != section:
            if section is not None:
                ends.add(len(labels) - 1)
            labels.append(Text(row.section, style="bold cyan"))
            for texts in cells:
                texts.append(Text(""))
            section = row.section
        labels.append(literal(row.label.strip(), "dim" if row.label.startswith(" ") else ""))
        for i, text in enumerate(row.shown):
            cells[i].append(_comparison_cell(row, i, text))
    columns = []
    for i, column in enumerate(comparison.shown):
        header = literal(column.label, "bold")
        if i in comparison.winners:
            header.append(f" {BEST}", style="bold green")
        columns.append(Col(header, cells[i], "right"))
    console.print(literal(comparison.title, "bold"))
    print_tables(console, Col(Text(""), labels), columns, ends=ends, even=True)
    console.print(
        Text(
            f"{BEST} best in its row (rows without a better direction, or where all plans "
            "tie, are not starred); the starred header wins; "
            f"{comparable_rule()}. `a = b`: structures that yield the same team, shown "
            "once. Hours are per week; demand spreads all the work over the plan's seats.",
            style="dim",
        )
    )
    missing = [(c.label, c.outcome.reasons) for c in comparison.shown if c.plan is None]
    _print_reasons(console, missing)
    console.print(literal(comparison.verdict, "bold"))


# Rows whose cells are prose or lists (they wrap between words); every other row's cells
# are one figure each, shown whole. The load of each seat is shown a seat a line.
_WRAPPING_KINDS = frozenset({"text"})
_WRAPPING_KEYS = frozenset({"covered_hours", "demand_per_seat", "overload"})


def _comparison_cell(row: Row, i: int, text: str) -> Text:
    """One cell of the comparison: starred when best, red when it warns."""
    from rich.text import Text

    style = ""
    if i in row.best:
        text, style = f"{BEST} {text}", "bold green"
    elif row.key == "status" and text not in ("optimal", "feasible"):
        style = "bold red"
    elif row.key == "overload" and text not in ("none", "—"):
        style = "red"
    if row.key == "seat_load":  # `PM-1 20/40` a line: a seat and its load never apart
        lines = "\n".join(printable(part) for part in text.split("; "))
        return Text(lines, style=style, no_wrap=True)
    cell = literal(text, style)
    cell.no_wrap = row.kind not in _WRAPPING_KINDS and row.key not in _WRAPPING_KEYS
    return cell


def _print_reasons(console: Console, missing: Sequence[tuple[str, Sequence[str]]]) -> None:
    """`Why no plan:` and, for each plan missing, its reasons one a line."""
    from rich.padding import Padding
    from rich.text import Text

    if not missing:
        return
    console.print(Text("Why no plan:", style="bold red"))
    for label, reasons in missing:
        console.print(Padding(literal(f"{label}:", "bold"), (0, 0, 0, 2), expand=False))
        for reason in reasons or ("no reason given",):
            console.print(Padding(literal(f"- {reason}", "red"), (0, 0, 0, 4), expand=False))


def render_sweep(sweep: Sweep, console: Console | None = None) -> None:
    """One row per point of the sweep, the frontier starred, then why a point has no
    plan, then the frontier in a line (tables as `fitted_tables` lays them out)."""
    from rich.text import Text

    console = _console(console)
    console.print(
        literal(f"Sweep: {sweep.scenario.name} — {structure_phrase(sweep.structure)}", "bold")
    )
    columns = _sweep_columns(sweep)
    if not fits(columns, console.width):  # then a team a role a line: `1 TPM` never apart
        columns = _sweep_columns(sweep, stacked=True)
    print_tables(console, columns[0], columns[1:])
    missing = [(_point_label(sweep, p), p.outcome.reasons) for p in sweep.points if p.plan is None]
    _print_reasons(console, missing)
    frontier = sweep.frontier()
    if frontier:
        steps = [_frontier_step(point, sweep.currency) for point in frontier]
        console.print(literal("Frontier: " + "; ".join(steps), "bold"))
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


def _point_label(sweep: Sweep, point: SweepPoint) -> str:
    """`budget 300,000 USD`, `max seats 3`, or both: which point of the sweep."""
    parts = []
    if "budget" in sweep.axes and point.budget is not None:
        parts.append(f"budget {money(point.budget, sweep.currency)}")
    if "max_headcount" in sweep.axes:
        parts.append(f"max seats {point.max_headcount}")
    return ", ".join(parts)


def _sweep_columns(sweep: Sweep, *, stacked: bool = False) -> list[Col]:
    """The sweep's columns: its limits (the first is the key), then each point's figures.

    `stacked`: each point's team a role a line."""
    from rich.text import Text

    def money_head(what: str) -> Text:
        return literal(f"{what} ({sweep.currency})")

    points = sweep.points
    columns = []
    if "budget" in sweep.axes:
        budgets = [figure(money(p.budget) if p.budget is not None else "—") for p in points]
        columns.append(Col(money_head("Budget"), budgets, "right"))
    if "max_headcount" in sweep.axes:
        seats = [figure(str(p.max_headcount)) for p in points]
        columns.append(Col(Text("Max seats"), seats, "right"))
    timed = any(p.plan is not None and p.plan.timed for p in points)
    rows = [_sweep_cells(sweep, point, stacked, timed) for point in points]
    heads = (
        (Text("Status"), "left"),
        (money_head("Team cost"), "right"),
        *([(money_head("Spend"), "right")] if timed else []),
        (Text("Seats"), "left"),
        (Text("Coverage (priority)"), "right"),
        (Text("Coverage (hours)"), "right"),
        (Text("Fit"), "right"),
        (Text("Quality"), "right"),
        (Text("Handoffs"), "right"),
        (Text("Frontier"), "center"),
    )
    for i, (head, justify) in enumerate(heads):
        columns.append(Col(head, [row[i] for row in rows], justify))  # type: ignore[arg-type]
    return columns


def _sweep_cells(sweep: Sweep, point: SweepPoint, stacked: bool, timed: bool) -> list[Text]:
    """One point's figures (or its status alone, when it has no plan); `timed`: with what
    the plan spends over its horizon after its run rate."""
    from rich.text import Text

    from orgplan.analysis.compare import priority_coverage

    plan = point.plan
    if plan is None:
        blanks = 8 if timed else 7
        return [
            figure(point.status.replace("_", " "), "bold red"),
            *[figure("—")] * blanks,
            figure(""),
        ]
    k = plan.kpis
    members = [printable(f"{n} {r}") for r, n in k.headcount_by_role.items()] or ["none"]
    team = Text("\n".join(members), no_wrap=True) if stacked else Text(", ".join(members))
    style = "bold" if point.frontier else "dim"
    return [
        figure(point.status),
        figure(money(k.total_cost), style),
        *([figure(money(k.spend), style)] if timed else []),
        team,
        figure(percent(priority_coverage(plan), 1), style),
        figure(percent(k.coverage, 1)),
        figure(percent(k.mean_fit, 1)),
        figure(f"{k.quality:,.2f}", style),
        figure(f"{k.handoff_cost:g}"),
        figure(BEST if point.frontier else "", "bold green"),
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
