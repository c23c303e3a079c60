"""`orgplan sweep`: re-solve a scenario across a range of budgets or headcounts.

The answer is the trade-off curve a head of product takes to the CFO: for each budget
(or headcount cap), what team the planner picks, what it costs, how much of the work it
covers and how well. A point is on the **frontier** when no cheaper point (by the team's
actual cost) covers as much at least as well; the others add budget that buys nothing.

What is guaranteed as the budget (or headcount cap) rises, with proven-optimal solves:
raising it only relaxes one constraint, so the best coverage never falls (exactly: the
planner gives coverage no tolerance). Quality is the second priority: with equal
coverage the best quality never falls either, but a point that covers more may have a
lower quality (the extra work can go to weaker owners), and a plan's reported quality
may sit up to the planner's quality tolerance (1%) below the best, because the cost stage
may trade that much quality for a cheaper team.

Both `--budget` and `--headcount` together sweep the grid (every headcount cap for every
budget). Solves run in parallel processes (`orgplan.compare.run_tasks`), in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orgplan.compare import (
    Outcome,
    ProgressFactory,
    SolveTask,
    check_solve_options,
    priority_coverage,
    run_tasks,
)
from orgplan.errors import UsageError
from orgplan.plan import Plan
from orgplan.scenario import Scenario

SWEEP_FORMAT = "orgplan.sweep/1"
MAX_POINTS = 200
_EPS = 1e-9

_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6}
_NUMBER = re.compile(r"^\s*([0-9][0-9_,]*(?:\.[0-9]+)?|\.[0-9]+)\s*([kKmM]?)\s*$")


@dataclass(frozen=True)
class SweepRange:
    """FROM:TO:STEP of one limit, both ends included."""

    option: str
    start: float
    stop: float
    step: float

    def values(self) -> list[float]:
        """start, start + step, ... up to stop (a last step that overshoots is left out)."""
        count = int((self.stop - self.start) / self.step + 1e-9) + 1
        return [round(self.start + i * self.step, 6) for i in range(count)]


_EXAMPLES = {"--budget": "300000:900000:100000 (or 300k:900k:100k)", "--headcount": "1:6:1"}


def parse_range(text: str, option: str = "--budget", *, integer: bool = False) -> SweepRange:
    """Read `FROM:TO:STEP` (numbers >= 0, FROM <= TO, STEP > 0; `k`/`M` suffixes allowed
    for amounts). Raises `UsageError` with the expected form."""
    example = _EXAMPLES.get(option, "1:10:1")
    expected = f"{option}: expected FROM:TO:STEP, e.g. {example}"
    parts = text.split(":")
    if len(parts) != 3:
        raise UsageError(f"{expected}; got '{text}'")
    numbers: list[float] = []
    for part, name in zip(parts, ("FROM", "TO", "STEP"), strict=True):
        match = _NUMBER.match(part)
        if match is None:
            raise UsageError(f"{expected}; {name} is not a number >= 0: '{part}'")
        value = float(match.group(1).replace("_", "").replace(",", ""))
        value *= _SUFFIX[match.group(2).lower()]
        if integer and not value.is_integer():
            raise UsageError(f"{expected}; {name} must be a whole number, got '{part}'")
        numbers.append(value)
    start, stop, step = numbers
    if step <= 0:
        raise UsageError(f"{expected}; STEP must be > 0, got '{parts[2]}'")
    if start > stop:
        raise UsageError(f"{expected}; FROM must not exceed TO, got '{text}'")
    found = SweepRange(option, start, stop, step)
    count = int((stop - start) / step + 1e-9) + 1
    if count > MAX_POINTS:
        raise UsageError(
            f"{option} {text} gives {count} points; at most {MAX_POINTS}: take a larger STEP"
        )
    return found


@dataclass(frozen=True)
class SweepPoint:
    """One solve of the sweep: the limits it was given, and its plan or why there is none."""

    budget: float | None
    max_headcount: int | None
    outcome: Outcome
    frontier: bool = False

    @property
    def plan(self) -> Plan | None:
        """The plan, or None (infeasible, or no plan within the time limit)."""
        return self.outcome.plan

    @property
    def status(self) -> str:
        """optimal, feasible, infeasible or no_plan."""
        return self.outcome.status

    def to_json(self) -> dict[str, Any]:
        """The point's limits and figures, and its plan (`orgplan.plan/1`) when it has one."""
        data: dict[str, Any] = {
            "budget": _num(self.budget),
            "max_headcount": self.max_headcount,
            "status": self.status,
            "frontier": self.frontier,
        }
        plan = self.plan
        if plan is None:
            data["reasons"] = list(self.outcome.reasons)
            return data
        k = plan.kpis
        data.update(
            {
                "total_cost": _num(k.total_cost),
                "headcount": k.headcount,
                "headcount_by_role": dict(k.headcount_by_role),
                "coverage": round(k.coverage, 4),
                "priority_coverage": round(priority_coverage(plan), 4),
                "covered_hours": _num(k.covered_hours),
                "total_hours": _num(k.total_hours),
                "mean_fit": round(k.mean_fit, 4),
                "quality": round(k.quality, 4),
                "handoff_cost": _num(k.handoff_cost),
                "skill_gaps": k.skill_gaps,
                "plan": plan.to_json(),
            }
        )
        return data


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 6)


@dataclass(frozen=True)
class Sweep:
    """Every point of a sweep, in the order swept, with the frontier marked."""

    scenario: Scenario
    structure: str | None
    axes: tuple[str, ...]  # "budget", "max_headcount": what was swept
    points: tuple[SweepPoint, ...]

    @property
    def currency(self) -> str:
        """The scenario's currency."""
        return self.scenario.currency

    def frontier(self) -> list[SweepPoint]:
        """The frontier points, cheapest first."""
        found = [p for p in self.points if p.frontier and p.plan is not None]
        return sorted(found, key=lambda p: p.plan.kpis.total_cost if p.plan else 0.0)

    def to_json(self) -> dict[str, Any]:
        """`{"format": "orgplan.sweep/1", ..., "points": [...]}`, in the order swept."""
        return {
            "format": SWEEP_FORMAT,
            "scenario": self.scenario.name,
            "structure": self.structure or "all roles",
            "currency": self.scenario.currency,
            "axes": list(self.axes),
            "points": [p.to_json() for p in self.points],
        }


def mark_frontier(outcomes: Sequence[Outcome]) -> list[bool]:
    """Whether each outcome is on the frontier of cost against (coverage, quality).

    Plans of the same cost (to the unit) are one step: the best of them (coverage, then
    quality; the first among equals) stands for it. A step is on the frontier when it
    covers more than every cheaper step, or as much with a higher quality.
    """
    steps: dict[int, int] = {}
    for i, outcome in enumerate(outcomes):
        plan = outcome.plan
        if plan is None:
            continue
        cost = round(plan.kpis.total_cost)
        held = steps.get(cost)
        if held is None or _better(_score(outcome), _score(outcomes[held])):
            steps[cost] = i
    marks = [False] * len(outcomes)
    best: tuple[float, float] | None = None
    for cost in sorted(steps):
        i = steps[cost]
        here = _score(outcomes[i])
        if best is None or _better(here, best):
            marks[i] = True
            best = here
    return marks


def _score(outcome: Outcome) -> tuple[float, float]:
    plan = outcome.plan
    assert plan is not None
    return priority_coverage(plan), plan.kpis.quality


def _better(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Lexicographically better: more coverage, or as much and more quality."""
    if a[0] > b[0] + _EPS:
        return True
    return abs(a[0] - b[0]) <= _EPS and a[1] > b[1] + 1e-6


def sweep_scenario(
    scenario: Scenario,
    budget: SweepRange | None = None,
    headcount: SweepRange | None = None,
    structure: str | None = None,
    options: Any = None,
    *,
    workers: int | None = None,
    mp_context: Any = None,
    progress: ProgressFactory | None = None,
) -> Sweep:
    """Solve `scenario` (under `structure`) at every point of the range(s).

    Each point sets the policy's `budget` and/or `max_headcount` (and the structure's,
    when it overrides them). Raises `UsageError` for an unknown structure or no range.
    """
    if budget is None and headcount is None:
        raise UsageError("sweep: give --budget FROM:TO:STEP and/or --headcount FROM:TO:STEP")
    if structure is not None:
        from orgplan.compare import check_structures

        check_structures(scenario, [structure], scenario.name)
    budgets: list[float | None] = list(budget.values()) if budget else [None]
    caps: list[int | None] = [int(v) for v in headcount.values()] if headcount else [None]
    grid = [(b, h) for h in caps for b in budgets]
    tasks = []
    for b, h in grid:
        policy: dict[str, Any] = {}
        if b is not None:
            policy["budget"] = b
        if h is not None:
            policy["max_headcount"] = h
        tasks.append(SolveTask.of(scenario, structure, options, policy))
    labels = [_point_label(b, h, scenario.currency) for b, h in grid]
    outcomes = run_tasks(tasks, labels, workers=workers, mp_context=mp_context, progress=progress)
    marks = mark_frontier(outcomes)
    axes = tuple(a for a, r in (("budget", budget), ("max_headcount", headcount)) if r)
    points = tuple(
        SweepPoint(b, h, o, m) for (b, h), o, m in zip(grid, outcomes, marks, strict=True)
    )
    return Sweep(scenario, structure, axes, points)


def _point_label(budget: float | None, headcount: int | None, currency: str) -> str:
    parts = []
    if budget is not None:
        parts.append(f"budget {budget:,.0f} {currency}")
    if headcount is not None:
        parts.append(f"headcount {headcount}")
    return ", ".join(parts)


# ---- the job behind `orgplan sweep` -----------------------------------------------------


@dataclass(frozen=True)
class SweepRun:
    """What `run_sweep` did: the sweep, and the files it wrote."""

    sweep: Sweep
    workbook: Path | None
    json_path: Path | None


def run_sweep(
    path: Path,
    *,
    budget: str | None = None,
    headcount: str | None = None,
    structure: str | None = None,
    solver: str = "highs",
    time_limit: float | None = None,
    workbook: Path | None = None,
    json_path: Path | None = None,
    force: bool = False,
    show_progress: bool = False,
    workers: int | None = None,
) -> SweepRun:
    """Parse the ranges, load the scenario, sweep it, write the workbook and JSON if asked.

    Everything that can be refused (ranges, outputs, the file, the structure) is refused
    before any solving.
    """
    from orgplan.files import check_outputs, write_json
    from orgplan.loading import load_scenario
    from orgplan.solving import SolveOptions

    budgets = parse_range(budget, "--budget") if budget is not None else None
    caps = parse_range(headcount, "--headcount", integer=True) if headcount is not None else None
    if budgets is None and caps is None:
        raise UsageError("sweep: give --budget FROM:TO:STEP and/or --headcount FROM:TO:STEP")
    count = len(budgets.values() if budgets else [0]) * len(caps.values() if caps else [0])
    if count > MAX_POINTS:
        raise UsageError(f"the sweep has {count} points; at most {MAX_POINTS}: take larger steps")
    check_solve_options(solver, time_limit)
    check_outputs(workbook, json_path, force=force)
    scenario = load_scenario(path)
    progress = None
    if show_progress:
        from orgplan.compare_console import progress_bar

        progress = progress_bar("Sweeping")
    result = sweep_scenario(
        scenario,
        budgets,
        caps,
        structure,
        SolveOptions(solver=solver, time_limit=time_limit),
        workers=workers,
        progress=progress,
    )
    if workbook is not None:
        from orgplan.compare_excel import write_sweep_workbook

        write_sweep_workbook(result, workbook, force=force)
    if json_path is not None:
        write_json(json_path, result.to_json(), force=force)
    return SweepRun(result, workbook, json_path)
