"""The explanation printed by `orgplan explain`: short headed blocks of wrapped lines, so
that it reads at 80 columns (and in a log) as well as on a wide terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from orgplan.formatting import counted, money, percent, structure_phrase
from orgplan.reports.console import literal

if TYPE_CHECKING:
    from rich.console import Console

    from orgplan.analysis.explanation import Explanation

# Where the lines under an entry start (the seat id or name is above them).
_INDENT = 4


def render_explanation(explanation: Explanation, console: Console) -> None:
    """The plan in one line, its weakest point, then why for every seat and candidate,
    and the cheaper near-best teams. Every text from the scenario is shown literally."""
    plan = explanation.plan
    k = plan.kpis
    _print(
        console,
        f"Why this plan: {plan.scenario} — {structure_phrase(plan.structure)} "
        f"({plan.solver.name}: {plan.solver.status.value})",
        style="bold",
    )
    _print(
        console,
        f"{counted(k.headcount, 'seat')}, {money(k.total_cost, plan.currency)}"
        + (
            f" a year by {plan.periods[-1]}, {money(k.spend, plan.currency)} over the horizon"
            if plan.timed
            else ""
        )
        + ", coverage "
        f"{percent(k.coverage)}, quality {k.quality:.2f}; an open requisition's fit is "
        "assumed (the role's hire profile)",
    )
    if explanation.weakest:
        _block(console, "Weakest point", [(None, [explanation.weakest])])
    if explanation.placed:
        entries = [
            (f"{p.seat.seat}  {p.seat.person}", [f"why: {p.why}", p.risk])
            for p in explanation.placed
        ]
        _block(console, "Placed", entries)
    if explanation.open_reqs:
        entries = []
        for r in explanation.open_reqs:
            lines = [f"why: {r.why}", r.risk]
            lines += [f"instead {a.candidate.label}: {a.why_not}" for a in r.alternatives]
            entries.append((f"{r.seat.seat}  open requisition", lines))
        _block(console, "Open requisitions", entries)
    if explanation.unplaced:
        entries = [
            (
                f"{u.candidate.label} ({u.best_role})" if u.best_role else u.candidate.label,
                [u.why_not],
            )
            for u in explanation.unplaced
        ]
        _block(console, "Not placed", entries)
    if explanation.alternatives:
        _block(
            console,
            "Cheaper near-best teams",
            [(None, [n.summary for n in explanation.alternatives])],
        )


def _block(console: Console, title: str, entries: Sequence[tuple[str | None, list[str]]]) -> None:
    """A heading, then each entry's label and its lines, wrapped and indented."""
    console.print()
    console.print(literal(title, "bold"))
    for label, lines in entries:
        if label is not None:
            _print(console, label, 2, "bold")
        for line in lines:
            _print(console, line, _INDENT)


def _print(console: Console, text: str, indent: int = 0, style: str = "") -> None:
    """`text` wrapped at the console's width, each line indented by `indent` spaces.

    Wrapped here rather than by rich, so that no line ends in padding; each line is
    printed literally (input text is never markup nor an escape)."""
    pad = " " * indent
    width = max(40, console.width)
    for line in textwrap.wrap(
        text, width, initial_indent=pad, subsequent_indent=pad, break_on_hyphens=False
    ) or [pad]:
        console.print(literal(line, style), soft_wrap=True)
