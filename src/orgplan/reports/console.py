"""Terminal output of the CLI: error reports on stderr, rich tables and JSON on stdout.

Problems and errors are printed as plain lines (never wrapped or styled) so that editors
and scripts can parse `FILE:LINE: path: message`. Rich is imported only by the renderers.

Text from the input reaches the terminal literally: plain lines through `out` and `err`,
rich output as `literal` text on consoles that read no markup (`stdout_console`,
`stderr_console`), control characters escaped (`orgplan.text`). Tables never cut an id or
a number: `fitted_tables` gives every column the width its longest word (or its whole
figure) needs, and puts columns that do not fit beside the first into further tables.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from orgplan.errors import Infeasible, OrgplanError, Problem, ScenarioError
from orgplan.formatting import counted, hours, percent
from orgplan.text import EXCERPT, clipped, excerpt, json_printable, printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from orgplan.domain.fitting import FitTable, RoleFit
    from orgplan.scenario.format import Scenario

Justify = Literal["left", "center", "right"]


def err(line: str = "") -> None:
    """One plain line on stderr, control characters escaped."""
    print(printable(line, newlines=True), file=sys.stderr)


def out(line: str = "") -> None:
    """One plain line on stdout, control characters escaped."""
    print(printable(line, newlines=True))


def problem_line(problem: Problem) -> str:
    """`FILE:LINE: path: message` on one line, every echoed value a short excerpt."""
    where = excerpt(problem.file, 4 * EXCERPT) + (f":{problem.line}" if problem.line else "")
    path = clipped(problem.path, whole=2 * EXCERPT)
    return ": ".join(part for part in (where, path, clipped(problem.message)) if part)


def report_error(exc: OrgplanError) -> None:
    """Print an orgplan error on stderr in the user's words (the CLI's single error path)."""
    if isinstance(exc, ScenarioError):
        for problem in exc.problems:
            err(problem_line(problem))
        files = len({p.file for p in exc.problems})
        err(
            f"{counted(len(exc.problems), 'problem')} in {counted(files, 'file')}"
            "; nothing was solved"
        )
    elif isinstance(exc, Infeasible):
        err("infeasible: the scenario's hard limits cannot all be met:")
        for reason in exc.reasons:
            err(f"  - {printable(reason)}")
    else:
        err(f"error: {clipped(str(exc))}")


def print_json(data: Any) -> None:
    """JSON on stdout, plain (no colour) so that it pipes into jq or a file; controls
    and the other characters a terminal would act on as `\\u` escapes."""
    from orgplan.files import json_text

    sys.stdout.write(json_printable(json_text(data)))


def literal(value: object, style: str = "") -> Text:
    """Input text (a name, an id, a path, a currency) as rich shows it: as it is, never as
    markup, control characters escaped. The one way input text reaches a rich console."""
    from rich.text import Text

    return Text(printable(value), style=style)


def stdout_console() -> Console:
    """A rich console on the current stdout (looked up per call: tests swap streams).

    It reads no markup and no emoji codes in plain strings (input text stays literal).
    Off a terminal (a pipe, a file, CI) rich would assume 80 columns; there we give it
    room instead, unless COLUMNS says otherwise.
    """
    from rich.console import Console

    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160
    return Console(file=sys.stdout, highlight=False, width=width, markup=False, emoji=False)


def stderr_console() -> Console:
    """A rich console on stderr for spinners and progress bars; no markup, no emoji codes."""
    from rich.console import Console

    return Console(stderr=True, markup=False, emoji=False)


# ---- tables that cut nothing ------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """One column of a terminal table: its heading and its cells (one per row).

    A cell may wrap between words, unless its Text is `no_wrap` (a figure: shown whole).
    """

    header: Text
    cells: Sequence[Text]
    justify: Justify = "left"

    def least(self) -> int:
        """The narrowest the column may be with nothing cut."""
        return max(_least(text) for text in (self.header, *self.cells))

    def natural(self) -> int:
        """The width at which nothing wraps."""
        from rich.cells import cell_len

        return max(cell_len(line) for text in (self.header, *self.cells) for line in _lines(text))


def _lines(text: Text) -> list[str]:
    return text.plain.split("\n") or [""]


def _least(text: Text) -> int:
    """A figure's whole width; a text's longest word."""
    from rich.cells import cell_len

    if text.no_wrap:
        return max(cell_len(line) for line in _lines(text))
    return max((cell_len(word) for word in text.plain.split()), default=0)


KEY_SHARE = 0.4  # the first column (the row's name) takes at most this share of the width


def fitted_tables(
    key: Col,
    cols: Sequence[Col],
    width: int,
    *,
    ends: Collection[int] = (),
    show_lines: bool = False,
    even: bool = False,
) -> list[Table]:
    """`key` and `cols` as tables within `width` terminal columns, cutting nothing.

    Each column gets at least its `least` width; the columns that do not fit beside the
    key go into the next table, which repeats the key. The key wraps to leave room for as
    many columns as it can. `even`: tables of columns alike (plans, roles) get as even a
    share of them as the width allows. `ends`: the rows that end a section.
    """
    least_key = key.least()
    widest_key = max(least_key, min(key.natural(), int(width * KEY_SHARE)))
    needs = [col.least() for col in cols]

    def layout(key_width: int) -> tuple[list[int], list[list[int]]]:
        room = max(1, width - 1 - (key_width + 3))  # a column costs its width + 3
        least = [max(1, min(need, room - 3)) for need in needs]
        return least, _groups([w + 3 for w in least], room, even)

    def cost(key_width: int) -> tuple[int, int]:
        """Tables, and columns narrower than they need (folded), with this key width."""
        least, groups = layout(key_width)
        return len(groups), sum(w < need for w, need in zip(least, needs, strict=True))

    best = cost(least_key)
    key_width = next(w for w in range(widest_key, least_key - 1, -1) if cost(w) <= best)
    least, groups = layout(key_width)
    tables = []
    for group in groups:
        members = [key, *(cols[i] for i in group)]
        widths = _widths(
            [max(1, least_key), *(least[i] for i in group)],
            [key_width, *(max(least[i], cols[i].natural()) for i in group)],
            width - 1 - 3 * len(members),
        )
        tables.append(_table(members, widths, ends, show_lines))
    return tables


def _pack(costs: Sequence[int], limit: int) -> list[list[int]]:
    """Consecutive columns, as many in each group as `limit` holds."""
    groups: list[list[int]] = [[]]
    used = 0
    for i, cost in enumerate(costs):
        if groups[-1] and used + cost > limit:
            groups.append([])
            used = 0
        groups[-1].append(i)
        used += cost
    return groups


def _groups(costs: Sequence[int], room: int, even: bool) -> list[list[int]]:
    """Consecutive columns in as few groups as fit `room`; `even`: as even as that allows."""
    groups = _pack(costs, room)
    if not even or len(groups) == 1:
        return groups
    return next(
        found
        for limit in range(max(costs), room + 1)
        if len(found := _pack(costs, limit)) <= len(groups)
    )


def _widths(least: Sequence[int], natural: Sequence[int], room: int) -> list[int]:
    """Column widths within `room`: natural widths when they all fit; else the narrow
    columns (no wider than an even share of what is left) keep theirs, and the wide ones
    get their least width and a share of the rest in proportion to what each lacks. On a
    terminal narrower than the least widths, the widest columns give way (and fold)."""
    if sum(natural) <= room:
        return list(natural)
    least = list(least)
    while sum(least) > room and max(least) > 1:  # a terminal too narrow: the widest fold
        least[least.index(max(least))] -= 1
    wide = set(range(len(natural)))
    while True:
        left = room - sum(natural[i] for i in range(len(natural)) if i not in wide)
        narrow = {i for i in wide if natural[i] * len(wide) <= left}
        if not narrow:
            break
        wide -= narrow
    if left < sum(least[i] for i in wide):  # not even that: every column shares
        wide, left = set(range(len(natural))), room
    widths = [least[i] if i in wide else natural[i] for i in range(len(natural))]
    lacking = {i: natural[i] - least[i] for i in wide}
    spare, total = left - sum(least[i] for i in wide), sum(lacking.values())
    if spare <= 0 or total <= 0:
        return widths
    for i, lack in lacking.items():
        widths[i] += lack * spare // total
    for i in sorted(wide, key=lambda i: widths[i] - natural[i]):
        if sum(widths) >= room:
            break
        widths[i] += widths[i] < natural[i]
    return widths


def _table(
    cols: Sequence[Col], widths: Sequence[int], ends: Collection[int], show_lines: bool
) -> Table:
    from rich.table import Table

    table = Table(show_lines=show_lines)
    columns = []
    for col, w in zip(cols, widths, strict=True):
        table.add_column(col.header, justify=col.justify, width=w, overflow="fold")
        # Narrower than a figure only when the terminal is narrower than it: fold it then.
        columns.append(col.cells if w >= col.least() else [_wrapping(c) for c in col.cells])
    for row in range(len(cols[0].cells)):
        table.add_row(*(cells[row] for cells in columns), end_section=row in ends)
    return table


def _wrapping(text: Text) -> Text:
    folded = text.copy()
    folded.no_wrap = False
    return folded


def fits(cols: Sequence[Col], width: int) -> bool:
    """Whether `cols` fit `width` side by side with nothing wrapped."""
    return sum(col.natural() + 3 for col in cols) + 1 <= width


def print_tables(console: Console, key: Col, cols: Sequence[Col], **options: Any) -> None:
    """`fitted_tables` at the console's width, printed."""
    for table in fitted_tables(key, cols, console.width, **options):
        console.print(table)


def figure(text: str, style: str = "") -> Text:
    """A figure for a table cell: never wrapped, so never cut (`no_wrap`)."""
    from rich.text import Text

    return Text(text, style=style, no_wrap=True)


# ---- validate and fit -----------------------------------------------------------------


def scenario_summary(scenario: Scenario) -> str:
    """`4 roles, 14 responsibilities, 5 candidates, 3 structures` for the `ok` line."""
    products = {r.product for r in scenario.responsibilities if r.product}
    parts = [
        counted(len(scenario.roles), "role"),
        counted(len(scenario.responsibilities), "responsibility", "responsibilities"),
        counted(len(scenario.candidates), "candidate"),
        counted(len(scenario.all_structures()), "structure"),
    ]
    if products:
        parts.insert(2, counted(len(products), "product line"))
    return ", ".join(parts)


FIT_LEGEND = (
    "✓ may hold the seat   ✗ misses a floor (skill +levels short)   – does not accept it\n"
    "%: role fit over the floors   work: hours-weighted fit over the role's work   "
    "h: hours of it the person may own (max_skill_gap {gap})\n"
    "Best: of the roles the person may hold, the one with the most fit hours they could own "
    "(the role's work they may own, best fit first, up to the seat's capacity; ties: work "
    "fit, role fit, file order)\n"
)


def render_fit(table: FitTable, console: Console | None = None) -> None:
    """The candidate x role fit table as rich tables on stdout (more than one when the
    roles do not fit the width side by side)."""
    from rich.text import Text

    console = console or stdout_console()
    names = []
    for row in table.candidates:
        who = literal(row.name, "dim" if row.excluded else "bold")
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
            who.append(f"\n{printable(shown)}", style="dim")
        names.append(who)
    roles = [
        Col(literal(role.role), [_fit_cell(row.roles[i]) for row in table.candidates])
        for i, role in enumerate(table.roles)
    ]
    best = Col(
        Text("Best"),
        [literal(row.best_role or "-", "bold green") for row in table.candidates],
    )
    console.print(literal(f"Fit: {table.scenario}", "bold"))
    key = Col(Text("Candidate"), names)
    print_tables(console, key, [*roles, best], show_lines=True, even=True)
    notes = Text(FIT_LEGEND.format(gap=f"{table.max_skill_gap:g}"), style="dim")
    for role in table.roles:
        floors = ", ".join(f"{k} {v:g}" for k, v in role.floors.items()) or "none"
        reqs = f"; {counted(role.open_reqs, 'open req')}" if role.open_reqs else ""
        notes.append(
            printable(f"{role.role} ({role.title}): floors {floors}; {hours(role.hours)} of work")
            + f"{reqs}\n"
        )
    console.print(notes, end="")


def _fit_cell(rf: RoleFit) -> Text:
    """One candidate x role cell: mark and role fit, then the floor gaps or the work it
    covers, a fact a line (each shown whole)."""
    from rich.text import Text

    if not rf.accepts:
        return Text(f"– {percent(rf.fit)}\nnot wanted", style="dim")  # may wrap: no figure
    if not rf.meets_floors:
        cell = Text(f"✗ {percent(rf.fit)}", style="red", no_wrap=True)
        for skill, v in rf.gaps.items():
            cell.append("\n" + printable(f"{skill} +{v:g}"), style="red")
        return cell
    cell = Text(f"✓ {percent(rf.fit)}", style="green", no_wrap=True)
    owned = f"{rf.eligible_hours:g}/{hours(rf.role_hours)}"
    cell.append(f"\nwork {percent(rf.work_fit)}\n{owned}", style="dim")
    return cell
