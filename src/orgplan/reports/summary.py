"""The plan summary printed by `orgplan plan`, and the spinner shown while solving."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from orgplan import formatting
from orgplan.formatting import counted, hours, money, percent, structure_phrase
from orgplan.reports.console import Col, figure, literal, print_tables
from orgplan.results.plan import BEFORE, FULL, RAMPING, RECRUITING
from orgplan.results.status import SolveStatus
from orgplan.text import printable

if TYPE_CHECKING:
    from rich.console import Console

    from orgplan.analysis.compare import Advance, ProgressFactory
    from orgplan.analysis.development import DevelopmentNote
    from orgplan.analysis.explanation import Explanation
    from orgplan.results.plan import Plan, Seat
    from orgplan.scenario.format import Decisions
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
    """Seats, people, hours against capacity, cost and fit; uncovered work; totals.

    The title and the totals are lines of their own; the tables cut no id and no figure
    (`fitted_tables`: at 80 columns the work each seat owns moves to a second table).
    """
    from rich.text import Text

    k = plan.kpis
    if plan.solver.status is SolveStatus.OPTIMAL:
        gap = ""
    elif plan.solver.gap is None:
        gap = ", gap unknown: stopped before the solver had a bound"
    else:
        gap = f", within {percent(plan.solver.gap, 2)} of the best bound{_where(plan)}"
    console.print(
        literal(
            f"{plan.scenario} — {structure_phrase(plan.structure)} "
            f"({plan.solver.name}: {plan.solver.status.value}{gap}, {plan.solver.seconds:.2f} s)",
            "bold",
        )
    )
    print_tables(console, *_seat_columns(plan))
    if plan.uncovered:
        console.print(Text("Uncovered work", style="bold"))
        key = Col(Text("responsibility"), [literal(u.name) for u in plan.uncovered])
        print_tables(
            console,
            key,
            [
                Col(Text("hours"), [figure(f"{u.hours:g}") for u in plan.uncovered], "right"),
                Col(Text("priority"), [figure(f"{u.priority:g}") for u in plan.uncovered], "right"),
                Col(Text("why"), [literal(u.reason) for u in plan.uncovered]),
            ],
        )
    if plan.kpis.open_reqs:
        console.print(literal(ASSUMED_FIT))
    if plan.timed:
        render_timeline(plan, console)
    if plan.decisions:
        console.print(literal(f"Decisions respected: {decisions_text(plan.decisions)}"))
    week = hours(k.total_hours, "h/week")
    console.print(
        literal(
            f"Totals: {counted(k.headcount, 'seat')} ({k.internal} internal, "
            f"{k.external} external, {counted(k.open_reqs, 'open req')}), "
            f"cost {money(k.total_cost, plan.currency)}{_over_time(plan)}, "
            f"coverage {percent(k.coverage)} ({k.covered_hours:g} of {week}), "
            f"fit {percent(k.mean_fit)}, handoff cost {k.handoff_cost:g}, "
            f"max utilization {percent(k.max_utilization)}, "
            f"{counted(k.skill_gaps, 'skill gap')}"
        )
    )


def _over_time(plan: Plan) -> str:
    """After the cost of a timed plan: that it is the last period's run rate, and what the
    horizon spends (one-off costs included)."""
    if not plan.timed:
        return ""
    return (
        f" a year by {plan.periods[-1]}, spend {money(plan.kpis.spend, plan.currency)} "
        f"over {counted(len(plan.periods), 'period')}"
    )


# ---- a plan over time -----------------------------------------------------------------------

# One character per phase of a seat in a period (`Plan.phases`), and what each means.
PHASE_MARKS = {BEFORE: "·", RECRUITING: "r", RAMPING: "~", FULL: "█"}
TIMELINE_KEY = "Timeline: r recruiting, ~ ramping up, █ full capacity, · not started"


def render_timeline(plan: Plan, console: Console) -> None:
    """A timed plan's requisitions to open now (and later), then its timeline: a line per
    seat with a cell per period (`PHASE_MARKS`), its holder at the end, and the seats,
    coverage and spend of each period. Periods that do not fit the console's width go to
    further blocks, the seat column repeated."""
    for line in open_lines(plan):
        console.print(literal(line))
    key, *rows = timeline_lines(plan, console.width)
    console.print(literal(key))
    for line in rows:  # cells never wrap: a line of cells is a row of the chart
        console.print(literal(line), no_wrap=True, overflow="ignore", crop=False)


def open_lines(plan: Plan) -> list[str]:
    """`Open now (Q1): 1 requisition`, a line for each (role, start, lead time, ramp),
    then the requisitions to open in later periods the same way."""
    first = plan.periods[0]
    now = plan.open_now()
    later = [s for s in plan.seats if s.open_req and s.open_by is not None and s not in now]
    lines = [f"Open now ({first}): {counted(len(now), 'requisition') if now else 'none'}"]
    lines += [f"  {_requisition(plan, s, by=False)}" for s in now]
    if later:
        lines.append(f"Open later: {counted(len(later), 'requisition')}")
        lines += [f"  {_requisition(plan, s, by=True)}" for s in later]
    return lines + development_lines(plan)


def development_lines(plan: Plan) -> list[str]:
    """`Train instead of hire: 1 skill`, then a line per skill grown: `PM-1 (Ana Ruiz):
    domain 2 -> 3, ready Q2, 5,000 USD`."""
    grown = plan.developments()
    if not grown:
        return []
    lines = [f"Train instead of hire: {counted(len(grown), 'skill')}"]
    lines += [
        f"  {s.seat} ({s.person}): {d.skill} {formatting.figure(d.from_level)} -> "
        f"{formatting.figure(d.to_level)}, ready {d.ready}, {money(d.cost, plan.currency)}"
        for s, d in grown
    ]
    return lines


def _requisition(plan: Plan, seat: Seat, *, by: bool) -> str:
    """`PM-2 (Product Manager): starts Q3, lead time 2 periods, ramps up 1 period`."""
    start = plan.periods.index(seat.start or plan.periods[0])
    lead = start - plan.periods.index(seat.open_by or plan.periods[0])
    parts = [f"open by {seat.open_by}"] if by else []
    parts += [f"starts {seat.start}", f"lead time {counted(lead, 'period')}"]
    if seat.ramp_periods:
        parts.append(f"ramps up {counted(seat.ramp_periods, 'period')}")
    return f"{seat.seat} ({seat.role_title}): {', '.join(parts)}"


def timeline_lines(plan: Plan, width: int) -> list[str]:
    """The timeline's lines within `width` columns where the periods allow (see
    `render_timeline`); each cell is as wide as its period's label and figures. The
    holders follow the cells when every one fits (the seats table names them anyway).
    Input text (seats, labels, holders, the currency) comes escaped (`printable`)."""
    from rich.cells import cell_len

    def pad(text: str, room: int, right: bool = False) -> str:
        fill = " " * max(room - cell_len(text), 0)
        return fill + text if right else text + fill

    labels = [printable(p) for p in plan.periods]
    by_period = [p.kpis for p in plan.kpis_by_period]
    figures = {
        "seats": [str(k.headcount) for k in by_period],
        "coverage": [percent(k.coverage) for k in by_period],
        f"spend ({printable(plan.currency)})": [money(k.spend) for k in by_period],
    }
    seats = [printable(s.seat) for s in plan.seats]
    key = max(cell_len(text) for text in seats + list(figures))
    cells = [
        max(cell_len(label), *(len(column[t]) for column in figures.values()))
        for t, label in enumerate(labels)
    ]
    lines = [TIMELINE_KEY]
    for block in _blocks(cells, width - key):
        lines.append(" " * key + "".join(" " + pad(labels[t], cells[t], True) for t in block))
        used = key + sum(cells[t] + 1 for t in block)
        holders = [printable(s.holder) for s in plan.seats]
        shown = all(used + 2 + cell_len(h) <= width for h in holders)
        for seat, name, holder in zip(plan.seats, seats, holders, strict=True):
            phases = plan.phases(seat)
            marks = "".join(f" {PHASE_MARKS[phases[t]] * cells[t]}" for t in block)
            lines.append(pad(name, key) + marks + (f"  {holder}" if shown else ""))
        for name, column in figures.items():
            lines.append(
                pad(name, key) + "".join(" " + pad(column[t], cells[t], True) for t in block)
            )
    return lines


def _blocks(cells: Sequence[int], room: int) -> list[list[int]]:
    """The periods in runs whose cells (each one space before it) fit in `room` columns;
    at least one period a run."""
    blocks: list[list[int]] = [[]]
    used = 0
    for t, cell in enumerate(cells):
        if blocks[-1] and used + cell + 1 > room:
            blocks.append([])
            used = 0
        blocks[-1].append(t)
        used += cell + 1
    return blocks


ASSUMED_FIT = "* an open requisition's fit is assumed: the role's hire profile, not a person"


def decisions_text(decisions: Decisions) -> str:
    """`place raj as TPM; exclude lena; assign pricing to maya; keep a and b together`."""
    parts = [f"place {cid} as {role}" for cid, role in decisions.place.items()]
    parts += [f"exclude {cid}" for cid in decisions.exclude]
    parts += [f"assign {rid} to {cid}" for rid, cid in decisions.assign.items()]
    parts += [f"keep {' and '.join(g)} together" for g in decisions.keep_together]
    return "; ".join(parts)


def _seat_columns(plan: Plan) -> tuple[Col, list[Col]]:
    """The seats table: the seat, then who holds it, from where, load, cost, fit, work."""
    from rich.text import Text

    origins, loads = [], []
    for seat in plan.seats:
        origin = "open req" if seat.open_req else ("internal" if seat.internal else "external")
        if seat.background and not seat.open_req:
            origin += f", {seat.background}"
        origins.append(literal(origin))
        over = seat.utilization > 1 + 1e-9
        loads.append(figure(f"{seat.hours:g} / {seat.capacity_hours:g}", "red" if over else ""))
    seats = plan.seats
    return Col(Text("seat"), [literal(s.seat) for s in seats]), [
        Col(Text("person"), [literal(s.person) for s in seats]),
        Col(Text("from"), origins),
        Col(Text("hours / capacity"), loads, "right"),
        Col(literal(f"cost ({plan.currency})"), [figure(money(s.cost)) for s in seats], "right"),
        Col(
            Text("fit"),
            [figure(percent(s.fit) + ("*" if s.open_req else "")) for s in seats],
            "right",
        ),
        Col(Text("owns"), [literal(", ".join(s.responsibilities)) for s in seats]),
    ]


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
    with _spinner(console, label) as (progress, _stop):
        yield progress


@contextmanager
def explaining_status(
    console: Console, label: str
) -> Iterator[tuple[StageProgress, ProgressFactory]]:
    """The spinner of `solving_status` while the plan is solved, then a progress bar over
    the what-ifs (the spinner stops first: a terminal shows one live display at a time).
    Yields the plan's progress callback and the what-ifs' `ProgressFactory`."""
    from orgplan.reports.compare_console import progress_bar

    bar = progress_bar("Re-solving")
    with _spinner(console, label) as (progress, stop):

        def what_ifs(total: int) -> AbstractContextManager[Advance]:
            stop()
            return bar(total)

        yield progress, what_ifs


@contextmanager
def _spinner(console: Console, label: str) -> Iterator[tuple[StageProgress, Callable[[], None]]]:
    """The solving spinner, its progress callback, and a way to stop it early."""
    import time

    started = time.perf_counter()
    status = console.status(literal(f"Solving {label}… (Ctrl-C keeps the best plan so far)"))

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
        status.update(literal(text + " (Ctrl-C keeps it)"))

    status.start()
    try:
        yield progress, status.stop
    finally:
        status.stop()


def render_weakest(explanation: Explanation, console: Console) -> None:
    """The plan's weakest point, under its summary (`orgplan plan --explain`)."""
    if explanation.weakest:
        console.print(literal(f"Weakest point: {explanation.weakest}"))


def render_dropped_notes(
    dropped: Sequence[tuple[tuple[str, str], DevelopmentNote]],
    source: str | None,
    console: Console,
) -> None:
    """The reviewed workbook's development notes the new workbook no longer shows (their
    person no longer has that gap in this plan), each with what it said."""
    if not dropped:
        return
    console.print(
        literal(
            f"{counted(len(dropped), 'development note')} of {source or 'the reviewed workbook'} "
            "dropped: the person no longer has that gap in this plan"
        )
    )
    for (candidate, skill), note in dropped:
        fields = (("action", note.action), ("owner", note.owner), ("due", note.due))
        said = "; ".join(f"{label}: {value}" for label, value in fields if value)
        console.print(literal(f"  - {candidate}, {skill}: {said}"))
