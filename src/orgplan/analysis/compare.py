"""The comparison of plans: one column per plan, the rows of the side-by-side table with the
best value of each row marked, and a one-line verdict that ranks the plans the way the
planner does (coverage, then quality, then cost).

Structures that yield the same team (`same_team`) are shown as one column labelled with
every name (`split = lean`) and ranked once (`merge_same_teams`); the JSON keeps one plan
per structure. A cost or quality row marks its best only among the plans that cover
comparable work (`comparable`): a cheap plan that covers less is not the best on cost.

A plan that could not be made still gets a column: status `infeasible` with the reasons,
or `no plan` when a time limit passed before any plan was found (not proven infeasible;
its JSON says `"status": "no_plan"`, the one value beyond the plan contract's three).
The solving behind it is `orgplan.jobs.compare`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeVar

from orgplan.formatting import counted, hours, money, percent
from orgplan.results.plan import Plan, no_plan_json
from orgplan.results.status import SolveStatus
from orgplan.scenario.format import Scenario
from orgplan.solving.options import QUALITY_TOLERANCE, SolveOptions

COMPARE_FORMAT = "orgplan.compare/1"
WEEKS_PER_YEAR = 52  # cost per covered hour: annual cost over covered hours x 52 weeks
ALL_ROLES = "all roles"  # the label of a plan solved with no structure (as Plan.structure)
SAME_TEAM = " = "  # joins the labels of structures that yield the same team
# Plans whose priority-weighted coverage is within this of the best (1 percentage point)
# cover comparable work: only among them are the rows of these sections (cost, quality)
# marked best; coverage and load rows compare every plan.
COMPARABLE_COVERAGE = 0.01
COMPARABLE_SECTIONS = frozenset({"Team", "Over time", "Quality"})


def comparable_rule() -> str:
    """The rule of `comparable` in words, for the terminal's legend and the workbook's note."""
    points = counted(round(COMPARABLE_COVERAGE * 100, 6), "percentage point")
    return (
        "cost and quality rows mark their best only among the plans that cover comparable "
        f"work (priority-weighted coverage at most {points} below the best)"
    )


@dataclass(frozen=True)
class Outcome:
    """What one solve gave: a plan, or why there is none."""

    status: SolveStatus
    plan: Plan | None = None
    reasons: tuple[str, ...] = ()
    error: tuple[str, str] | None = None  # (kind, message) of an error to raise in the parent


class Solved:
    """Something shown of one solve (a comparison's column, a sweep's point): its plan and
    status, read from its `outcome`."""

    outcome: Outcome

    @property
    def plan(self) -> Plan | None:
        """The plan, or None when there is none (infeasible, or no plan in time)."""
        return self.outcome.plan

    @property
    def status(self) -> SolveStatus:
        """optimal, feasible, infeasible or no_plan."""
        return self.outcome.status


Advance = Callable[[str, Outcome], None]
"""Told (label, outcome) as each solve finishes."""
ProgressFactory = Callable[[int], AbstractContextManager[Advance]]
"""Given the number of solves, a context in which progress is shown; yields `Advance`."""


# ---- what is compared ------------------------------------------------------------------


@dataclass(frozen=True)
class Column(Solved):
    """One plan of the comparison: a structure of a scenario, or a whole scenario."""

    label: str
    scenario: Scenario
    structure: str | None
    outcome: Outcome
    solver: str = "highs"
    same_as: tuple[Column, ...] = ()  # the other structures shown in this column (same team)

    def to_json(self) -> dict[str, Any]:
        """The plan JSON (`orgplan.plan/1`), or for no plan the reasons in that shape."""
        if self.plan is not None:
            return self.plan.to_json()
        from orgplan.solvers.registry import label

        return no_plan_json(
            self.scenario,
            self.structure,
            list(self.outcome.reasons),
            label(self.solver),
            self.status,
        )


Better = Literal["max", "min"] | None
Kind = Literal["money", "money_rate", "pct", "hours", "num", "int", "text"]


@dataclass(frozen=True)
class Row:
    """One measure across the columns: values (None: not applicable), how each is shown,
    which direction is better, and which columns hold the best value."""

    section: str
    label: str
    kind: Kind
    values: tuple[float | str | None, ...]
    shown: tuple[str, ...]
    better: Better = None
    best: frozenset[int] = frozenset()
    key: str = ""


@dataclass(frozen=True)
class Comparison:
    """The side-by-side comparison: the columns solved (one per plan, the JSON), the columns
    shown (structures with the same team merged, `merge_same_teams`), the rows and the
    verdict. `rows` values and `winners` index `shown`."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    verdict: str
    winners: tuple[int, ...]
    shown: tuple[Column, ...]

    def to_json(self) -> dict[str, Any]:
        """`{"format": "orgplan.compare/1", "plans": [PLAN, ...]}`, in the order asked."""
        return {"format": COMPARE_FORMAT, "plans": [c.to_json() for c in self.columns]}

    def row(self, key: str) -> Row:
        """The row with `key` (see `build_rows` for the keys)."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    @property
    def currency(self) -> str:
        """The currency of the first scenario (shown in titles)."""
        return self.columns[0].scenario.currency if self.columns else "USD"


def tolerance_of(options: SolveOptions | None) -> float:
    """The quality tolerance of `options`, or the planner's default."""
    return options.quality_tolerance if options is not None else QUALITY_TOLERANCE


# ---- the rows ------------------------------------------------------------------------------


def priority_coverage(plan: Plan) -> float:
    """Covered hours x priority over all hours x priority: what the planner maximises first."""
    k = plan.kpis
    return k.covered_priority_hours / k.total_priority_hours if k.total_priority_hours else 1.0


def quality_per_hour(plan: Plan) -> float:
    """Quality (fit hours less handoffs) per hour of work: comparable across scenarios and,
    within one scenario, in the same order as quality itself."""
    k = plan.kpis
    return k.quality / k.total_hours if k.total_hours else 0.0


@dataclass(frozen=True)
class Demand:
    """The work a structure's seats would carry if asked to do everything."""

    work: float  # hours per week of every responsibility
    seats: int | None  # seats of the plan (or, with no plan, the most the structure allows)
    capacity: float | None  # their capacity, hours per week

    @property
    def per_seat(self) -> float | None:
        """Hours demanded of each seat when the work is spread over the seats."""
        return self.work / self.seats if self.seats else None

    @property
    def capacity_per_seat(self) -> float | None:
        """Mean capacity of a seat."""
        return self.capacity / self.seats if self.seats and self.capacity is not None else None

    @property
    def ratio(self) -> float | None:
        """Work over capacity: above 100% the seats cannot cover everything."""
        return self.work / self.capacity if self.capacity else None

    @property
    def overload(self) -> float | None:
        """Hours per week of work beyond the seats' capacity (0 when it all fits)."""
        return None if self.capacity is None else max(0.0, self.work - self.capacity)


def demand(column: Column) -> Demand:
    """The hours demanded of the column's seats against their capacity.

    With a plan: every hour of work spread over the plan's seats, against their capacity
    (`role.capacity * availability`): a superhero's one seat is asked for all of it. With
    no plan: the most seats the structure allows at the roles' nominal capacity, when the
    structure caps every role (else unknown).
    """
    scenario = column.scenario
    plan = column.plan
    # Over a horizon the work changes by period: its mean per period, as the plan's hours.
    work = (
        plan.kpis.total_hours
        if plan is not None and plan.timed
        else sum(r.hours for r in scenario.responsibilities)
    )
    if plan is not None and plan.seats:
        return Demand(work, len(plan.seats), sum(s.capacity_hours for s in plan.seats))
    from orgplan.model import resolve_limits

    limits = resolve_limits(scenario, column.structure)
    caps = [limits.role_caps[r] for r in limits.roles]
    if not caps or any(c is None for c in caps):
        return Demand(work, None, None)
    seats = sum(int(c or 0) for c in caps)
    if limits.max_headcount is not None:
        seats = min(seats, limits.max_headcount)
    capacity = sum(scenario.roles[r].capacity * int(limits.role_caps[r] or 0) for r in limits.roles)
    if seats < sum(int(c or 0) for c in caps):  # headcount binds: the largest seats
        sizes = sorted(
            (
                scenario.roles[r].capacity
                for r in limits.roles
                for _ in range(int(limits.role_caps[r] or 0))
            ),
            reverse=True,
        )
        capacity = sum(sizes[:seats])
    return Demand(work, seats, capacity)


def _shown(kind: Kind, value: float | str | None, currency: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if kind == "money":
        return money(value, currency)
    if kind == "money_rate":
        return money(value, f"{currency}/h")
    if kind == "pct":
        return percent(value, 1)
    if kind == "hours":
        return hours(value, tenths=True)
    if kind == "int":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _mark(
    values: Sequence[float | str | None], better: Better, among: frozenset[int] | None = None
) -> frozenset[int]:
    """Columns holding the best value; none when all columns tie (nothing to choose).

    `among`: only these columns are compared (the plans covering comparable work), and
    nothing is marked unless at least two of them are."""
    if better is None:
        return frozenset()
    if among is not None and len(among) < 2:
        return frozenset()
    considered = among if among is not None else frozenset(range(len(values)))
    numbers = [
        (i, float(v))
        for i, v in enumerate(values)
        if isinstance(v, int | float) and i in considered
    ]
    if not numbers:
        return frozenset()
    pick = max if better == "max" else min
    best = pick(v for _, v in numbers)
    close = frozenset(i for i, v in numbers if math.isclose(v, best, rel_tol=1e-9, abs_tol=1e-9))
    if len(close) == len(considered) and len(considered) > 1:
        return frozenset()
    return close


def comparable(columns: Sequence[Column]) -> frozenset[int]:
    """The columns whose plans cover comparable work: priority-weighted coverage within
    `COMPARABLE_COVERAGE` (1 percentage point) of the best column's. Only among them is a
    cost or quality row marked best; a column with no plan is never among them."""
    cov = {i: priority_coverage(c.plan) for i, c in enumerate(columns) if c.plan is not None}
    if not cov:
        return frozenset()
    best = max(cov.values())
    return frozenset(i for i, v in cov.items() if v >= best - COMPARABLE_COVERAGE - 1e-9)


@dataclass(frozen=True)
class _Subject:
    """What a row reads of one column: the column, and the load on its seats."""

    column: Column
    demand: Demand


Value = float | str | None
_T = TypeVar("_T")
Getter = Callable[[_Subject], Value]


@dataclass(frozen=True)
class RowSpec:
    """One row of the table: where it stands, what it reads of each column, how it shows.

    `shown`: the text of a cell when the kind's own formatting does not say it all.
    """

    section: str
    label: str
    key: str
    kind: Kind
    better: Better
    get: Getter
    shown: Callable[[_Subject], str] | None = None

    def row(self, subjects: Sequence[_Subject], same_money: bool, among: frozenset[int]) -> Row:
        """The row across `subjects`, its best values marked: a cost or quality row
        (`COMPARABLE_SECTIONS`) `among` the columns covering comparable work, any other row
        among every column."""
        values = tuple(self.get(s) for s in subjects)
        better = self.better
        if self.kind in ("money", "money_rate") and not same_money:
            better = None  # amounts in different currencies are not compared
        shown = tuple(
            self.shown(s) if self.shown is not None else _shown(self.kind, v, _currency(s))
            for v, s in zip(values, subjects, strict=True)
        )
        return Row(
            self.section,
            self.label,
            self.kind,
            values,
            shown,
            better,
            _mark(values, better, among if self.section in COMPARABLE_SECTIONS else None),
            self.key,
        )


def _currency(subject: _Subject) -> str:
    return subject.column.scenario.currency


def _column(get: Callable[[Column], _T]) -> Callable[[_Subject], _T]:
    """A getter of the column itself."""
    return lambda s: get(s.column)


def _plan(get: Callable[[Plan], Value]) -> Getter:
    """A getter of the column's plan (None without one)."""
    return lambda s: None if s.column.plan is None else get(s.column.plan)


def _kpi(name: str) -> Getter:
    """The plan's figure `name` (`Kpis.<name>`)."""
    return _plan(lambda p: getattr(p.kpis, name))


def _load(name: str) -> Getter:
    """The load on the column's seats, `Demand.<name>`."""
    return lambda s: getattr(s.demand, name)


def _load_text(text: Callable[[Demand], str]) -> Callable[[_Subject], str]:
    return lambda s: text(s.demand)


def _status_text(column: Column) -> str:
    return column.status.replace("_", " ")


def _cost_per_hour(plan: Plan) -> float | None:
    k = plan.kpis
    return k.total_cost / (k.covered_hours * WEEKS_PER_YEAR) if k.covered_hours else None


def _seat_load(plan: Plan) -> str:
    return "; ".join(f"{s.seat} {s.hours:g}/{s.capacity_hours:g}" for s in plan.seats) or "no seats"


def _gap(column: Column) -> str | None:
    if column.plan is None:
        return None
    return "n/a" if column.plan.solver.gap is None else percent(column.plan.solver.gap, 2)


def _role_rows(columns: Sequence[Column]) -> list[RowSpec]:
    """A headcount row per role of any column, titled when every scenario agrees."""
    role_ids: list[str] = []
    for c in columns:
        role_ids += [r for r in c.scenario.roles if r not in role_ids]
    specs = []
    for rid in role_ids:
        titles = {c.scenario.roles[rid].title for c in columns if rid in c.scenario.roles}
        title = next(iter(titles)) if len(titles) == 1 else None
        label = f"  {rid}" + (f" ({title})" if title else "")
        specs.append(RowSpec("Team", label, f"role:{rid}", "int", None, _plan(_role_count(rid))))
    return specs


def _uncovered_rows(columns: Sequence[Column]) -> list[RowSpec]:
    """Uncovered hours per priority of any column, highest first."""
    priorities = sorted(
        {r.priority for c in columns for r in c.scenario.responsibilities}, reverse=True
    )
    return [
        RowSpec(
            "Coverage",
            f"Uncovered hours, priority {prio:g}",
            f"uncovered:{prio:g}",
            "hours",
            "min",
            _plan(_uncovered_at(prio)),
        )
        for prio in priorities
    ]


def _reasons_rows(columns: Sequence[Column]) -> list[RowSpec]:
    """Why a column has no plan, when one has none."""
    if all(c.plan is not None for c in columns):
        return []
    return [RowSpec("Solver", "Why no plan", "reasons", "text", None, _why_no_plan)]


def _why_no_plan(subject: _Subject) -> str | None:
    column = subject.column
    return None if column.plan is not None else "; ".join(column.outcome.reasons)


def _role_count(rid: str) -> Callable[[Plan], float]:
    return lambda plan: plan.kpis.headcount_by_role.get(rid, 0)


def _uncovered_at(priority: float) -> Callable[[Plan], float]:
    return lambda plan: sum(
        u.hours * _period_share(plan, u.periods) for u in plan.uncovered if u.priority == priority
    )


def _period_share(plan: Plan, periods: Sequence[str]) -> float:
    """The share of the horizon in `periods` (1 for an untimed plan): an entry uncovered in
    two of four quarters counts half its weekly hours, as the plan's hours are per-period
    means over a horizon."""
    return len(periods) / len(plan.periods) if plan.timed else 1.0


def _timed_rows(columns: Sequence[Column]) -> list[RowSpec]:
    """Over a horizon (format 1.1): what the horizon spends, what to open now, when the
    team is complete; none when no column is timed, so snapshot comparisons are unchanged."""
    if not any(c.plan is not None and c.plan.timed for c in columns):
        return []
    return [
        RowSpec("Over time", "Horizon", "horizon", "text", None, _plan(_horizon_text)),
        RowSpec("Over time", "Spend over the horizon", "spend", "money", "min", _plan(_spend)),
        RowSpec("Over time", "Requisitions to open now", "open_now", "int", None, _plan(_open_now)),
        RowSpec("Over time", "Last seat starts", "last_start", "text", None, _plan(_last_start)),
    ]


def _horizon_text(plan: Plan) -> str | None:
    return f"{plan.periods[0]} to {plan.periods[-1]}" if plan.timed else None


def _spend(plan: Plan) -> float | None:
    return plan.kpis.spend if plan.timed else None


def _open_now(plan: Plan) -> float | None:
    return len(plan.open_now()) if plan.timed else None


def _last_start(plan: Plan) -> str | None:
    starts = [plan.periods.index(s.start) for s in plan.seats if s.start is not None]
    return plan.periods[max(starts)] if plan.timed and starts else None


def _structure_text(column: Column) -> str:
    """`PM 1, PMM 1` or `PM, TPM, PMM (any number)`; `every role` with no structure; for
    a column of several structures (same team), each named: `split: ...; lean: ...`."""
    if column.same_as:
        return "; ".join(
            f"{c.structure or ALL_ROLES}: {_one_structure_text(c)}"
            for c in (replace(column, same_as=()), *column.same_as)
        )
    return _one_structure_text(column)


def _one_structure_text(column: Column) -> str:
    if column.structure is None:
        return "every role"
    shape = column.scenario.all_structures()[column.structure]
    capped = [f"{r} {n}" for r, n in shape.roles.items() if n is not None]
    free = [r for r, n in shape.roles.items() if n is None]
    parts = capped + ([f"{', '.join(free)} (any number)"] if free else [])
    return ", ".join(parts)


def _covered_text(column: Column) -> str:
    if column.plan is None:
        return "—"
    k = column.plan.kpis
    return f"{hours(k.covered_hours, tenths=True)} of {hours(k.total_hours, tenths=True)}"


def _demand_text(d: Demand) -> str:
    if d.per_seat is None or d.capacity_per_seat is None or d.ratio is None:
        return "—"
    per_seat = hours(d.per_seat, tenths=True)
    return f"{per_seat} vs {hours(d.capacity_per_seat, tenths=True)} ({percent(d.ratio)})"


def _overload_text(d: Demand) -> str:
    if d.overload is None:
        return "—"
    if d.overload <= 1e-9:
        return "none"
    return f"{hours(d.overload, 'h/week', tenths=True)} over"


# The rows in order; a function stands for rows that depend on the columns (one per role,
# per priority, or only when some column has no plan). The load rows read the work against
# the seats, as if the seats were asked to do everything.
_ROWS: tuple[RowSpec | Callable[[Sequence[Column]], list[RowSpec]], ...] = (
    RowSpec("Team", "Structure", "structure", "text", None, _column(_structure_text)),
    RowSpec("Team", "Headcount (seats)", "headcount", "int", None, _kpi("headcount")),
    _role_rows,
    RowSpec("Team", "Open requisitions", "open_reqs", "int", None, _kpi("open_reqs")),
    RowSpec("Team", "Total annual cost", "total_cost", "money", "min", _kpi("total_cost")),
    RowSpec(
        "Team",
        f"Cost per covered hour ({WEEKS_PER_YEAR} weeks)",
        "cost_per_hour",
        "money_rate",
        "min",
        _plan(_cost_per_hour),
    ),
    _timed_rows,
    RowSpec(
        "Coverage",
        "Coverage, priority-weighted",
        "priority_coverage",
        "pct",
        "max",
        _plan(priority_coverage),
    ),
    RowSpec("Coverage", "Coverage, hours", "coverage", "pct", "max", _kpi("coverage")),
    RowSpec(
        "Coverage",
        "Covered hours per week",
        "covered_hours",
        "hours",
        "max",
        _kpi("covered_hours"),
        _column(_covered_text),
    ),
    _uncovered_rows,
    RowSpec("Quality", "Fit (hours-weighted)", "mean_fit", "pct", "max", _kpi("mean_fit")),
    RowSpec(
        "Quality", "Quality (fit hours less handoffs)", "quality", "num", "max", _kpi("quality")
    ),
    RowSpec("Quality", "Handoff cost", "handoff_cost", "num", "min", _kpi("handoff_cost")),
    RowSpec("Quality", "Skill gaps to develop", "skill_gaps", "int", "min", _kpi("skill_gaps")),
    RowSpec("Load", "Work to cover per week", "work", "hours", None, _load("work")),
    RowSpec("Load", "Capacity of the seats per week", "capacity", "hours", None, _load("capacity")),
    RowSpec(
        "Load",
        "Hours demanded per seat (all work)",
        "demand_per_seat",
        "hours",
        "min",
        _load("per_seat"),
        _load_text(_demand_text),
    ),
    RowSpec(
        "Load",
        "Capacity of each seat",
        "capacity_per_seat",
        "hours",
        None,
        _load("capacity_per_seat"),
    ),
    RowSpec("Load", "Work demanded / capacity", "demand_ratio", "pct", "min", _load("ratio")),
    RowSpec(
        "Load",
        "Overload if asked to do everything",
        "overload",
        "hours",
        "min",
        _load("overload"),
        _load_text(_overload_text),
    ),
    RowSpec("Load", "Utilization, max", "max_utilization", "pct", None, _kpi("max_utilization")),
    RowSpec("Load", "Utilization, mean", "mean_utilization", "pct", None, _kpi("mean_utilization")),
    RowSpec("Load", "Hours owned / capacity by seat", "seat_load", "text", None, _plan(_seat_load)),
    RowSpec("Solver", "Solver status", "status", "text", None, _column(_status_text)),
    RowSpec("Solver", "Optimality gap", "gap", "text", None, _column(_gap)),
    _reasons_rows,
)


def build_rows(columns: Sequence[Column]) -> list[Row]:
    """The rows of the side-by-side table (`_ROWS`), in sections, with the best value marked
    (cost and quality rows among the `comparable` columns, the others among every column).

    Keys (for tests and the workbook chart): structure, headcount, role:<id>, open_reqs,
    total_cost, cost_per_hour, horizon, spend, open_now, last_start (these four only when
    a plan is timed), coverage, priority_coverage, covered_hours, uncovered:<priority>,
    mean_fit, quality, handoff_cost, skill_gaps, work,
    capacity, demand_per_seat, capacity_per_seat, demand_ratio, overload,
    max_utilization, mean_utilization, seat_load, status, gap, reasons.
    """
    subjects = [_Subject(c, demand(c)) for c in columns]
    same_money = len({c.scenario.currency for c in columns}) == 1
    specs = [
        spec
        for entry in _ROWS
        for spec in ([entry] if isinstance(entry, RowSpec) else entry(columns))
    ]
    among = comparable(columns)
    return [spec.row(subjects, same_money, among) for spec in specs]


# ---- structures that yield the same team ---------------------------------------------------


def team_of(plan: Plan) -> tuple[object, ...]:
    """What makes a team: its seats (role, the person placed or an open requisition, the
    work each owns) and who owns how many hours of each responsibility. Seat names are
    left out: two open requisitions for PM are the same however numbered."""
    seats = sorted(
        (s.role, s.candidate or "", tuple(sorted(s.responsibilities))) for s in plan.seats
    )
    owners = sorted(
        (a.responsibility, a.role, a.candidate or "", round(a.hours, 6)) for a in plan.assignments
    )
    return (tuple(seats), tuple(owners))


def same_team(a: Column, b: Column) -> bool:
    """Whether two columns yield the same team of the same scenario: the same people in the
    same roles, the same open requisitions per role, the same owners of the same work."""
    if a.plan is None or b.plan is None:
        return False
    if a.scenario is not b.scenario and a.scenario != b.scenario:
        return False
    return team_of(a.plan) == team_of(b.plan)


def merge_same_teams(columns: Sequence[Column]) -> tuple[Column, ...]:
    """The columns to show: structures that yield the same team become one column, at the
    first one's place, labelled with every name (`split = lean`); the others as they are."""
    shown: list[Column] = []
    for column in columns:
        for n, kept in enumerate(shown):
            if same_team(kept, column):
                label = kept.label + SAME_TEAM + column.label
                shown[n] = replace(kept, label=label, same_as=(*kept.same_as, column))
                break
        else:
            shown.append(column)
    return tuple(shown)


# ---- the verdict -----------------------------------------------------------------------------


def judge(columns: Sequence[Column], tolerance: float) -> tuple[list[int], str]:
    """The winners and a one-line verdict, ranked like the planner ranks plans.

    (1) priority-weighted coverage, exact (up to rounding); (2) quality per hour of work,
    where plans within `tolerance` (the planner's 1%) of the best count as equal; (3) the
    cheapest total cost. Plans that could not be made rank last.
    """
    feasible = [i for i, c in enumerate(columns) if c.plan is not None]
    missing = [c.label for c in columns if c.plan is None]
    if not feasible:
        return [], "Verdict: no plan could be made for " + _names(missing) + "."
    plans = {i: columns[i].plan for i in feasible}
    cov = {i: priority_coverage(p) for i, p in plans.items() if p is not None}
    qual = {i: quality_per_hour(p) for i, p in plans.items() if p is not None}
    cost = {i: p.kpis.total_cost for i, p in plans.items() if p is not None}
    fit = {i: p.kpis.mean_fit for i, p in plans.items() if p is not None}

    best_cov = max(cov.values())
    tier1 = [i for i in feasible if cov[i] >= best_cov - 1e-9]
    rest = [i for i in feasible if i not in tier1]
    label = {i: columns[i].label for i in feasible}
    others = ", ".join(f"{label[i]} {percent(cov[i])}" for i in sorted(rest, key=lambda i: -cov[i]))
    others += (
        "".join(f", {m} no plan" for m in missing)
        if others
        else ", ".join(f"{m} no plan" for m in missing)
    )
    cov_text = f"{percent(best_cov)} of the priority-weighted work" + (
        f"; {others}" if others else ""
    )
    if len(tier1) == 1:
        (w,) = tier1
        return tier1, f"Verdict: {label[w]} wins on coverage ({cov_text})."
    line = f"Verdict: {_names([label[i] for i in tier1])} cover the most ({cov_text})"

    best_q = max(qual[i] for i in tier1)
    floor = best_q - tolerance * abs(best_q) - 1e-9
    tier2 = [i for i in tier1 if qual[i] >= floor]
    if len(tier2) == 1:
        (w,) = tier2
        runner = max((i for i in tier1 if i != w), key=lambda i: qual[i])
        return tier2, (
            f"{line}; {label[w]} wins on quality (fit {percent(fit[w])}, quality "
            f"{_q(plans[w])} against {label[runner]}'s {percent(fit[runner])}, "
            f"{_q(plans[runner])})."
        )
    same = "they" if len(tier2) == len(tier1) else _names([label[i] for i in tier2])
    line += f"; {same} tie on quality (within {percent(tolerance)})"

    currencies = {columns[i].scenario.currency for i in tier2}
    if len(currencies) > 1:
        return tier2, f"{line}; their costs are in different currencies and are not compared."
    currency = next(iter(currencies))
    best_cost = min(cost[i] for i in tier2)
    winners = [i for i in tier2 if cost[i] <= best_cost + 0.5]
    if len(winners) == 1:
        (w,) = winners
        runner = min((i for i in tier2 if i != w), key=lambda i: cost[i])
        return winners, (
            f"{line}; {label[w]} wins on cost ({money(cost[w], currency)} against "
            f"{money(cost[runner], currency)})."
        )
    if len(winners) == len(tier2):
        return winners, f"{line} and on cost ({money(best_cost, currency)}): a draw."
    return winners, (
        f"{line}; {_names([label[i] for i in winners])} tie on cost too "
        f"({money(best_cost, currency)}): a draw."
    )


def _q(plan: Plan | None) -> str:
    return "n/a" if plan is None else f"{plan.kpis.quality:,.1f}"


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
