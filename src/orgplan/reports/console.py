"""Terminal output of the CLI: error reports on stderr, rich tables and JSON on stdout.

Problems and errors are printed as plain lines (never wrapped or styled) so that editors
and scripts can parse `FILE:LINE: path: message`. Rich is imported only by the renderers.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from orgplan.errors import Infeasible, OrgplanError, ScenarioError
from orgplan.formatting import hours, percent

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from orgplan.domain.fitting import FitTable, RoleFit
    from orgplan.scenario.format import Scenario


def err(line: str = "") -> None:
    """One plain line on stderr."""
    print(line, file=sys.stderr)


def out(line: str = "") -> None:
    """One plain line on stdout."""
    print(line)


def report_error(exc: OrgplanError) -> None:
    """Print an orgplan error on stderr in the user's words (the CLI's single error path)."""
    if isinstance(exc, ScenarioError):
        for problem in exc.problems:
            err(str(problem))
        files = len({p.file for p in exc.problems})
        count = len(exc.problems)
        err(
            f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}"
            "; nothing was solved"
        )
    elif isinstance(exc, Infeasible):
        err("infeasible: the scenario's hard limits cannot all be met:")
        for reason in exc.reasons:
            err(f"  - {reason}")
    else:
        err(f"error: {exc}")


def print_json(data: Any) -> None:
    """JSON on stdout, plain (no colour) so that it pipes into jq or a file."""
    from orgplan.files import json_text

    sys.stdout.write(json_text(data))


def stdout_console() -> Console:
    """A rich console on the current stdout (looked up per call: tests swap streams).

    Off a terminal (a pipe, a file, CI) rich would assume 80 columns and crop wide tables;
    there we give it room instead, unless COLUMNS says otherwise.
    """
    from rich.console import Console

    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160
    return Console(file=sys.stdout, highlight=False, width=width)


def scenario_summary(scenario: Scenario) -> str:
    """`4 roles, 14 responsibilities, 5 candidates, 3 structures` for the `ok` line."""

    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    products = {r.product for r in scenario.responsibilities if r.product}
    parts = [
        count(len(scenario.roles), "role", "roles"),
        count(len(scenario.responsibilities), "responsibility", "responsibilities"),
        count(len(scenario.candidates), "candidate", "candidates"),
        count(len(scenario.all_structures()), "structure", "structures"),
    ]
    if products:
        parts.insert(2, count(len(products), "product line", "product lines"))
    return ", ".join(parts)


def render_fit(table: FitTable) -> None:
    """The candidate x role fit table as a rich table on stdout."""
    from rich.table import Table
    from rich.text import Text

    # The title is printed apart: as a table title rich would pad it to the table's width.
    grid = Table(show_lines=True)
    grid.add_column("Candidate")
    for role in table.roles:
        grid.add_column(role.role)
    grid.add_column("Best")

    for row in table.candidates:
        who = Text(row.name, style="dim" if row.excluded else "bold")
        extra = [
            row.candidate if row.name != row.candidate else "",
            row.background or "",
            "internal" if row.internal else "",
            f"{row.availability:g} FTE" if row.availability < 1 else "",
            f"fixed: {row.fixed_role}" if row.fixed_role else "",
            "excluded" if row.excluded else "",
        ]
        shown = ", ".join(e for e in extra if e)
        if shown:
            who.append(f"\n{shown}", style="dim")
        cells = [_fit_cell(rf) for rf in row.roles]
        grid.add_row(who, *cells, Text(row.best_role or "-", style="bold green"))

    console = stdout_console()
    console.print(Text(f"Fit: {table.scenario}", style="bold"))
    console.print(grid)
    notes = Text(style="dim")
    notes.append(
        "✓ may hold the seat   ✗ misses a floor (skill +levels short)   – does not accept it\n"
        "%: role fit over the floors   work: hours-weighted fit over the role's work   "
        f"h: hours of it the person may own (max_skill_gap {table.max_skill_gap:g})\n"
    )
    for role in table.roles:
        floors = ", ".join(f"{k} {v:g}" for k, v in role.floors.items()) or "none"
        reqs = f"; {role.open_reqs} open req{'s' if role.open_reqs != 1 else ''}"
        notes.append(
            f"{role.role} ({role.title}): floors {floors}; {hours(role.hours)} of work"
            f"{reqs if role.open_reqs else ''}\n"
        )
    console.print(notes, end="")


def _fit_cell(rf: RoleFit) -> Text:
    """One candidate x role cell: mark, role fit, then the floor gaps or the work it covers."""
    from rich.text import Text

    if not rf.accepts:
        cell = Text(f"– {percent(rf.fit)}", style="dim")
        cell.append("\nnot wanted", style="dim")
        return cell
    if not rf.meets_floors:
        cell = Text(f"✗ {percent(rf.fit)}", style="red")
        short = ", ".join(f"{skill} +{v:g}" for skill, v in rf.gaps.items())
        cell.append(f"\n{short}", style="red")
        return cell
    cell = Text(f"✓ {percent(rf.fit)}", style="green")
    owned = f"{rf.eligible_hours:g}/{hours(rf.role_hours)}"
    cell.append(f"\nwork {percent(rf.work_fit)}, {owned}", style="dim")
    return cell
