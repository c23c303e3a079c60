"""`orgplan compare`: solve several structures (or scenarios) and set them side by side.

`compare_scenarios` is the library entry point: it solves every structure of one scenario
(the built-in `superhero` included), a chosen few, or several whole scenarios, each in its
own process (they share nothing), and returns a `Comparison`: one `Column` per plan, the
rows of the side-by-side table with the best value of each row marked, and a one-line
verdict that ranks the plans the way the planner does (coverage, then quality, then cost).
`run_compare` is the job behind the CLI command: check the outputs, load, compare, write
the workbook (`orgplan.compare_excel`) and the JSON (`orgplan.compare/1`).

Parallel solving: `run_tasks` hands each solve to a `ProcessPoolExecutor` with at most
`MAX_WORKERS` processes, using the platform's default start method (fork on Linux; spawn
works too, see the tests). A scenario does not pickle (its mappings are read-only proxies),
so a task carries the scenario as plain data (`model_dump(exclude_unset=True)`, which keeps
what a structure overrides) and the worker validates it again. Results come back in the
order asked, whatever order the workers finish in.

A plan that could not be made still gets a column: status `infeasible` with the reasons,
or `no plan` when a time limit passed before any plan was found (not proven infeasible;
its JSON says `"status": "no_plan"`, the one value beyond the plan contract's three).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from orgplan.errors import Infeasible, OrgplanError, SolverFailed, SolverUnavailable, UsageError
from orgplan.plan import Plan
from orgplan.scenario import Scenario

COMPARE_FORMAT = "orgplan.compare/1"
MAX_WORKERS = 2  # this is a 2-core machine; HiGHS runs single-threaded per solve
WEEKS_PER_YEAR = 52  # cost per covered hour: annual cost over covered hours x 52 weeks
ALL_ROLES = "all roles"  # the label of a plan solved with no structure (as Plan.structure)

Status = Literal["optimal", "feasible", "infeasible", "no_plan"]

# ---- solving in parallel ---------------------------------------------------------------


@dataclass(frozen=True)
class SolveTask:
    """One solve, as plain data that pickles: the scenario, a structure, the options.

    `policy` and `structure_limits` override the scenario's policy and the structure's own
    limits (the sweep sets `budget` or `max_headcount` in both, so a structure that
    overrides a limit cannot hide the swept value).
    """

    scenario: dict[str, Any]
    structure: str | None
    solver: str = "highs"
    time_limit: float | None = None
    quality_tolerance: float | None = None
    policy: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        scenario: Scenario,
        structure: str | None,
        options: Any = None,
        policy: dict[str, Any] | None = None,
    ) -> SolveTask:
        """A task for `scenario` under `structure` with `options` (a `SolveOptions`)."""
        return cls(
            scenario=scenario.model_dump(exclude_unset=True),
            structure=structure,
            solver=getattr(options, "solver", "highs"),
            time_limit=getattr(options, "time_limit", None),
            quality_tolerance=getattr(options, "quality_tolerance", None),
            policy=dict(policy or {}),
        )

    def load(self) -> Scenario:
        """The scenario of this task, with its policy overrides applied."""
        data = dict(self.scenario)
        if self.policy:
            data["policy"] = {**data.get("policy", {}), **self.policy}
            shapes = {k: dict(v) for k, v in data.get("structures", {}).items()}
            shape = shapes.get(self.structure or "")
            if shape is not None:
                for key, value in self.policy.items():
                    if key in shape:  # the structure overrides it: the swept value wins
                        shape[key] = value
                data["structures"] = shapes
        return Scenario.model_validate(data)


@dataclass(frozen=True)
class Outcome:
    """What one solve gave: a plan, or why there is none."""

    status: Status
    plan: Plan | None = None
    reasons: tuple[str, ...] = ()
    error: tuple[str, str] | None = None  # (kind, message) of an error to raise in the parent


def solve_task(task: SolveTask) -> Outcome:
    """Solve one task (runs in a worker process; must stay importable at module level)."""
    from orgplan.solving import SolveOptions, solve

    options = SolveOptions(solver=task.solver, time_limit=task.time_limit)
    if task.quality_tolerance is not None:
        options = replace(options, quality_tolerance=task.quality_tolerance)
    try:
        plan = solve(task.load(), task.structure, options)
    except Infeasible as exc:
        return Outcome("infeasible", reasons=tuple(exc.reasons))
    except SolverFailed as exc:
        return Outcome("no_plan", reasons=(str(exc),))
    except OrgplanError as exc:
        # Errors do not pickle faithfully (their __init__ takes other arguments than
        # their message): send the kind and the message, the parent raises it again.
        return Outcome("no_plan", reasons=(str(exc),), error=(type(exc).__name__, str(exc)))
    status: Status = "optimal" if plan.status.value == "optimal" else "feasible"
    return Outcome(status, plan=plan)


Advance = Callable[[str, Outcome], None]
"""Told (label, outcome) as each solve finishes."""
ProgressFactory = Callable[[int], AbstractContextManager[Advance]]
"""Given the number of solves, a context in which progress is shown; yields `Advance`."""


def run_tasks(
    tasks: Sequence[SolveTask],
    labels: Sequence[str] | None = None,
    *,
    workers: int | None = None,
    mp_context: Any = None,
    progress: ProgressFactory | None = None,
) -> list[Outcome]:
    """Solve every task, in parallel processes when there are several; results in order.

    `workers`: at most this many processes (default `MAX_WORKERS`; 1 solves in this
    process). `mp_context`: a `multiprocessing` context (default: the platform's).
    `progress`: shows progress (see `ProgressFactory`). Raises the `UsageError` or
    `SolverUnavailable` a worker met.
    """
    labels = list(labels) if labels is not None else [str(t.structure) for t in tasks]
    count = max(1, min(MAX_WORKERS if workers is None else workers, len(tasks)))
    results: list[Outcome | None] = [None] * len(tasks)
    shown = progress(len(tasks)) if progress is not None else nullcontext(_ignore)
    if count == 1:
        with shown as advance:
            for i, task in enumerate(tasks):
                results[i] = solve_task(task)
                advance(labels[i], results[i])  # type: ignore[arg-type]
    else:
        with ProcessPoolExecutor(max_workers=count, mp_context=mp_context) as pool:
            # Submit everything before the progress display starts its refresh thread, so
            # that no process is forked while another thread runs.
            futures = {pool.submit(solve_task, task): i for i, task in enumerate(tasks)}
            try:
                with shown as advance:
                    for future in as_completed(futures):
                        i = futures[future]
                        results[i] = future.result()
                        advance(labels[i], results[i])  # type: ignore[arg-type]
            except BaseException:
                # Ctrl-C or a worker's crash: drop the solves not started yet.
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    done = [r for r in results if r is not None]
    for outcome in done:
        _raise_error(outcome)
    return done


def _ignore(label: str, outcome: Outcome) -> None:
    """The progress callback when nobody is watching."""


def _raise_error(outcome: Outcome) -> None:
    if outcome.error is None:
        return
    kind, message = outcome.error
    if kind == "SolverUnavailable":
        raise SolverUnavailable(message)
    if kind == "UsageError":
        raise UsageError(message)
    raise OrgplanError(message)


# ---- what is compared ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One plan of the comparison: a structure of a scenario, or a whole scenario."""

    label: str
    scenario: Scenario
    structure: str | None
    outcome: Outcome
    solver: str = "highs"

    @property
    def plan(self) -> Plan | None:
        """The plan, or None when there is none (infeasible, or no plan in time)."""
        return self.outcome.plan

    @property
    def status(self) -> Status:
        """optimal, feasible, infeasible or no_plan."""
        return self.outcome.status

    def to_json(self) -> dict[str, Any]:
        """The plan JSON (`orgplan.plan/1`), or for no plan the reasons in that shape."""
        if self.plan is not None:
            return self.plan.to_json()
        from orgplan.planning import infeasible_json

        data = infeasible_json(
            self.scenario, self.structure, list(self.outcome.reasons), self.solver
        )
        if self.status == "no_plan":
            data["solver"]["status"] = "no_plan"
            for item in data["uncovered"]:
                item["reason"] = "no plan: the time limit passed before any plan was found"
        return data


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
    """The side-by-side comparison: columns, rows and the verdict."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    verdict: str
    winners: tuple[int, ...]

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


# ---- choosing what to compare ----------------------------------------------------------


def parse_structures(text: str | None) -> list[str] | None:
    """`a, b,a` -> ['a', 'b'] (order kept, repeats dropped); None or blank -> None."""
    if text is None:
        return None
    names = [n.strip() for n in text.split(",")]
    names = list(dict.fromkeys(n for n in names if n))
    if not names:
        raise UsageError(
            "--structures: expected structure names separated by commas, e.g. "
            "--structures superhero,split"
        )
    return names


def check_structures(scenario: Scenario, names: Sequence[str], source: str) -> None:
    """Raise `UsageError` naming the available structures if any of `names` is unknown."""
    from orgplan.loading import did_you_mean

    available = list(scenario.all_structures())
    unknown = [n for n in names if n not in available]
    if unknown:
        hint = did_you_mean(unknown[0], available) if len(unknown) == 1 else ""
        which = ", ".join(f"'{n}'" for n in unknown)
        raise UsageError(
            f"unknown structure{'s' if len(unknown) > 1 else ''} {which}{hint} in {source}: "
            f"available: {', '.join(available)}"
        )


def default_structures(scenario: Scenario) -> list[str | None]:
    """Every structure of the file, superhero included; with none of its own, the
    superhero against the plan with every role (a single column compares nothing)."""
    names: list[str | None] = list(scenario.all_structures())
    if not scenario.structures:
        names.append(None)
    return names


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _file_labels(paths: Sequence[Path]) -> list[str]:
    """Columns named by file stem, or by path where stems clash."""
    stems = [p.stem for p in paths]
    if len(set(stems)) == len(stems):
        return stems
    return _unique([str(p) for p in paths])


# ---- the comparison itself ---------------------------------------------------------------


def compare_scenarios(
    scenarios: Sequence[tuple[str, Scenario]],
    structures: Sequence[str] | None = None,
    options: Any = None,
    *,
    workers: int | None = None,
    mp_context: Any = None,
    progress: ProgressFactory | None = None,
) -> Comparison:
    """Compare plans side by side.

    `scenarios`: (label, scenario) pairs. With one scenario, every structure of it is
    solved (`default_structures`), or the `structures` named. With several, each is solved
    with no structure, or under each of `structures` (columns `label:structure`).
    `options`: a `SolveOptions` (solver, time limit, quality tolerance; its progress
    callback is not used). Raises `UsageError` for an unknown structure, before solving.
    """
    if not scenarios:
        raise UsageError("nothing to compare: give a scenario file")
    plan_list: list[tuple[str, Scenario, str | None]] = []
    for label, scenario in scenarios:
        if structures is not None:
            check_structures(scenario, structures, label)
        if len(scenarios) == 1:
            chosen: list[str | None] = (
                list(structures) if structures is not None else default_structures(scenario)
            )
            plan_list += [(s or ALL_ROLES, scenario, s) for s in chosen]
        elif structures is None:
            plan_list.append((label, scenario, None))
        else:
            plan_list += [(f"{label}:{s}", scenario, s) for s in structures]
    labels = _unique([label for label, _, _ in plan_list])
    tasks = [SolveTask.of(sc, st, options) for _, sc, st in plan_list]
    outcomes = run_tasks(tasks, labels, workers=workers, mp_context=mp_context, progress=progress)
    solver = getattr(options, "solver", "highs")
    columns = tuple(
        Column(label, sc, st, outcome, solver)
        for label, (_, sc, st), outcome in zip(labels, plan_list, outcomes, strict=True)
    )
    names = list(dict.fromkeys(sc.name for _, sc in scenarios))
    title = f"Comparison: {' vs '.join(names)}"
    rows = build_rows(columns)
    winners, verdict = judge(columns, _tolerance(options))
    return Comparison(title, columns, tuple(rows), verdict, tuple(winners))


def _tolerance(options: Any) -> float:
    from orgplan.solving import QUALITY_TOLERANCE

    found = getattr(options, "quality_tolerance", None)
    return QUALITY_TOLERANCE if found is None else float(found)


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
    work = sum(r.hours for r in scenario.responsibilities)
    plan = column.plan
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


def _money(value: float, currency: str) -> str:
    return f"{value:,.0f} {currency}"


def _hours(value: float) -> str:
    return f"{value:,.1f} h".replace(".0 h", " h")


def _shown(kind: Kind, value: float | str | None, currency: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if kind == "money":
        return _money(value, currency)
    if kind == "money_rate":
        return f"{value:,.0f} {currency}/h"
    if kind == "pct":
        return f"{value:.1%}"
    if kind == "hours":
        return _hours(value)
    if kind == "int":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _mark(values: Sequence[float | str | None], better: Better) -> frozenset[int]:
    """Columns holding the best value; none when all columns tie (nothing to choose)."""
    if better is None:
        return frozenset()
    numbers = [(i, float(v)) for i, v in enumerate(values) if isinstance(v, int | float)]
    if not numbers:
        return frozenset()
    pick = max if better == "max" else min
    best = pick(v for _, v in numbers)
    close = frozenset(i for i, v in numbers if math.isclose(v, best, rel_tol=1e-9, abs_tol=1e-9))
    if len(close) == len(values) and len(values) > 1:
        return frozenset()
    return close


def build_rows(columns: Sequence[Column]) -> list[Row]:
    """The rows of the side-by-side table, in sections, with the best value marked.

    Keys (for tests and the workbook chart): structure, headcount, role:<id>, open_reqs,
    total_cost, cost_per_hour, coverage, priority_coverage, covered_hours,
    uncovered:<priority>, mean_fit, quality, handoff_cost, skill_gaps, work,
    capacity, demand_per_seat, capacity_per_seat, demand_ratio, overload,
    max_utilization, mean_utilization, seat_load, status, gap, reasons.
    """
    rows: list[Row] = []
    same_money = len({c.scenario.currency for c in columns}) == 1

    def add(
        section: str,
        key: str,
        label: str,
        kind: Kind,
        values: Sequence[float | str | None],
        better: Better = None,
        shown: Sequence[str] | None = None,
    ) -> None:
        if kind in ("money", "money_rate") and not same_money:
            better = None  # amounts in different currencies are not compared
        texts = (
            tuple(shown)
            if shown is not None
            else tuple(
                _shown(kind, v, c.scenario.currency) for v, c in zip(values, columns, strict=True)
            )
        )
        rows.append(
            Row(section, label, kind, tuple(values), texts, better, _mark(values, better), key)
        )

    plans = [c.plan for c in columns]

    def each(get: Callable[[Plan], float | str | None]) -> list[float | str | None]:
        return [None if p is None else get(p) for p in plans]

    # Team
    add("Team", "structure", "Structure", "text", [_structure_text(c) for c in columns])
    add("Team", "headcount", "Headcount (seats)", "int", each(lambda p: p.kpis.headcount))
    role_ids: list[str] = []
    for c in columns:
        role_ids += [r for r in c.scenario.roles if r not in role_ids]
    for rid in role_ids:
        titles = {c.scenario.roles[rid].title for c in columns if rid in c.scenario.roles}
        title = next(iter(titles)) if len(titles) == 1 else None
        add(
            "Team",
            f"role:{rid}",
            f"  {rid}" + (f" ({title})" if title else ""),
            "int",
            each(_role_count(rid)),
        )
    add("Team", "open_reqs", "Open requisitions", "int", each(lambda p: p.kpis.open_reqs))
    add(
        "Team", "total_cost", "Total annual cost", "money", each(lambda p: p.kpis.total_cost), "min"
    )
    add(
        "Team",
        "cost_per_hour",
        f"Cost per covered hour ({WEEKS_PER_YEAR} weeks)",
        "money_rate",
        each(
            lambda p: (
                p.kpis.total_cost / (p.kpis.covered_hours * WEEKS_PER_YEAR)
                if p.kpis.covered_hours
                else None
            )
        ),
        "min",
    )

    # Coverage
    add(
        "Coverage",
        "priority_coverage",
        "Coverage, priority-weighted",
        "pct",
        each(priority_coverage),
        "max",
    )
    add("Coverage", "coverage", "Coverage, hours", "pct", each(lambda p: p.kpis.coverage), "max")
    add(
        "Coverage",
        "covered_hours",
        "Covered hours per week",
        "hours",
        each(lambda p: p.kpis.covered_hours),
        "max",
        [_covered_text(c) for c in columns],
    )
    priorities = sorted(
        {r.priority for c in columns for r in c.scenario.responsibilities}, reverse=True
    )
    for prio in priorities:
        add(
            "Coverage",
            f"uncovered:{prio:g}",
            f"Uncovered hours, priority {prio:g}",
            "hours",
            each(_uncovered_at(prio)),
            "min",
        )

    # Quality
    add(
        "Quality", "mean_fit", "Fit (hours-weighted)", "pct", each(lambda p: p.kpis.mean_fit), "max"
    )
    add(
        "Quality",
        "quality",
        "Quality (fit hours less handoffs)",
        "num",
        each(lambda p: p.kpis.quality),
        "max",
    )
    add(
        "Quality", "handoff_cost", "Handoff cost", "num", each(lambda p: p.kpis.handoff_cost), "min"
    )
    add(
        "Quality",
        "skill_gaps",
        "Skill gaps to develop",
        "int",
        each(lambda p: p.kpis.skill_gaps),
        "min",
    )

    # Load: the work against the seats, as if the seats were asked to do everything
    demands = [demand(c) for c in columns]
    add("Load", "work", "Work to cover per week", "hours", [d.work for d in demands])
    add(
        "Load", "capacity", "Capacity of the seats per week", "hours", [d.capacity for d in demands]
    )
    add(
        "Load",
        "demand_per_seat",
        "Hours demanded per seat (all work)",
        "hours",
        [d.per_seat for d in demands],
        "min",
        [_demand_text(d) for d in demands],
    )
    add(
        "Load",
        "capacity_per_seat",
        "Capacity of each seat",
        "hours",
        [d.capacity_per_seat for d in demands],
    )
    add(
        "Load", "demand_ratio", "Work demanded / capacity", "pct", [d.ratio for d in demands], "min"
    )
    add(
        "Load",
        "overload",
        "Overload if asked to do everything",
        "hours",
        [d.overload for d in demands],
        "min",
        [_overload_text(d) for d in demands],
    )
    add(
        "Load", "max_utilization", "Utilization, max", "pct", each(lambda p: p.kpis.max_utilization)
    )
    add(
        "Load",
        "mean_utilization",
        "Utilization, mean",
        "pct",
        each(lambda p: p.kpis.mean_utilization),
    )
    add(
        "Load",
        "seat_load",
        "Hours owned / capacity by seat",
        "text",
        each(
            lambda p: (
                "; ".join(f"{s.seat} {s.hours:g}/{s.capacity_hours:g}" for s in p.seats)
                or "no seats"
            )
        ),
    )

    # Solver
    add("Solver", "status", "Solver status", "text", [c.status.replace("_", " ") for c in columns])
    add(
        "Solver",
        "gap",
        "Optimality gap",
        "text",
        [
            None
            if c.plan is None
            else ("n/a" if c.plan.solver.gap is None else f"{c.plan.solver.gap:.2%}")
            for c in columns
        ],
    )
    if any(c.plan is None for c in columns):
        add(
            "Solver",
            "reasons",
            "Why no plan",
            "text",
            [None if c.plan is not None else "; ".join(c.outcome.reasons) for c in columns],
        )
    return rows


def _role_count(rid: str) -> Callable[[Plan], float]:
    return lambda plan: plan.kpis.headcount_by_role.get(rid, 0)


def _uncovered_at(priority: float) -> Callable[[Plan], float]:
    return lambda plan: sum(u.hours for u in plan.uncovered if u.priority == priority)


def _structure_text(column: Column) -> str:
    """`PM 1, PMM 1` or `PM, TPM, PMM (any number)`; `every role` with no structure."""
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
    return f"{_hours(k.covered_hours)} of {_hours(k.total_hours)}"


def _demand_text(d: Demand) -> str:
    if d.per_seat is None or d.capacity_per_seat is None:
        return "—"
    return f"{_hours(d.per_seat)} vs {_hours(d.capacity_per_seat)} ({d.ratio:.0%})"


def _overload_text(d: Demand) -> str:
    if d.overload is None:
        return "—"
    if d.overload <= 1e-9:
        return "none"
    return f"{_hours(d.overload)}/week over"


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
    others = ", ".join(f"{label[i]} {cov[i]:.0%}" for i in sorted(rest, key=lambda i: -cov[i]))
    others += (
        "".join(f", {m} no plan" for m in missing)
        if others
        else ", ".join(f"{m} no plan" for m in missing)
    )
    cov_text = f"{best_cov:.0%} of the priority-weighted work" + (f"; {others}" if others else "")
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
            f"{line}; {label[w]} wins on quality (fit {fit[w]:.0%}, quality "
            f"{_q(plans[w])} against {label[runner]}'s {fit[runner]:.0%}, {_q(plans[runner])})."
        )
    same = "they" if len(tier2) == len(tier1) else _names([label[i] for i in tier2])
    line += f"; {same} tie on quality (within {tolerance:.0%})"

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
            f"{line}; {label[w]} wins on cost ({_money(cost[w], currency)} against "
            f"{_money(cost[runner], currency)})."
        )
    if len(winners) == len(tier2):
        return winners, f"{line} and on cost ({_money(best_cost, currency)}): a draw."
    return winners, (
        f"{line}; {_names([label[i] for i in winners])} tie on cost too "
        f"({_money(best_cost, currency)}): a draw."
    )


def _q(plan: Plan | None) -> str:
    return "n/a" if plan is None else f"{plan.kpis.quality:,.1f}"


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# ---- the job behind `orgplan compare` -----------------------------------------------------


@dataclass(frozen=True)
class CompareRun:
    """What `run_compare` did: the comparison, and the files it wrote."""

    comparison: Comparison
    workbook: Path | None
    json_path: Path | None


def run_compare(
    paths: Sequence[Path],
    *,
    structures: str | None = None,
    solver: str = "highs",
    time_limit: float | None = None,
    workbook: Path | None = None,
    json_path: Path | None = None,
    force: bool = False,
    show_progress: bool = False,
    workers: int | None = None,
) -> CompareRun:
    """Load the scenario files, compare their plans, write the workbook and JSON if asked.

    Output paths are checked before any solving, so a long run never ends in "file
    exists". Raises `ScenarioError` for a bad file and `UsageError` for an unknown
    structure or bad option, before solving.
    """
    from orgplan.files import check_outputs, write_json
    from orgplan.loading import load_scenario
    from orgplan.solving import SolveOptions

    if not paths:
        raise UsageError("compare: give at least one scenario file")
    check_solve_options(solver, time_limit)
    check_outputs(workbook, json_path, force=force)
    loaded = _load_all(paths, load_scenario)
    names = parse_structures(structures)
    progress = None
    if show_progress:
        from orgplan.compare_console import progress_bar

        progress = progress_bar("Solving")
    comparison = compare_scenarios(
        list(zip(_file_labels(paths), loaded, strict=True)),
        names,
        SolveOptions(solver=solver, time_limit=time_limit),
        workers=workers,
        progress=progress,
    )
    if workbook is not None:
        from orgplan.compare_excel import write_compare_workbook

        write_compare_workbook(comparison, workbook, force=force)
    if json_path is not None:
        write_json(json_path, comparison.to_json(), force=force)
    return CompareRun(comparison, workbook, json_path)


def check_solve_options(solver: str, time_limit: float | None) -> None:
    """Refuse an unknown solver or a time limit <= 0 before any work (`UsageError`)."""
    from orgplan.pulp_compat import SOLVERS

    if solver not in SOLVERS:
        raise UsageError(f"unknown solver '{solver}': expected one of {', '.join(SOLVERS)}")
    if time_limit is not None and time_limit <= 0:
        raise UsageError(f"--time-limit: must be > 0 seconds, got {time_limit:g}")


def _load_all(paths: Sequence[Path], load: Callable[[Path], Scenario]) -> list[Scenario]:
    """Load every file; report the problems of all of them at once."""
    from orgplan.errors import ScenarioError

    loaded: list[Scenario] = []
    problems = []
    for path in paths:
        try:
            loaded.append(load(path))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return loaded
