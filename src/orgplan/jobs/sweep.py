"""`orgplan sweep`: re-solve one scenario across budgets or headcounts (`sweep_scenario`),
and the job behind the CLI command (`run_sweep`). The points and the frontier are
`orgplan.analysis.sweep`.
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Unpack

from orgplan.analysis.compare import ProgressFactory
from orgplan.analysis.sweep import (
    MAX_POINTS,
    Sweep,
    SweepPoint,
    SweepRange,
    mark_frontier,
    parse_range,
    point_label,
)
from orgplan.errors import UsageError
from orgplan.jobs.batch import BatchJob, BatchOptions
from orgplan.jobs.checks import check_structures, input_files
from orgplan.jobs.compare import SolveTask, run_tasks
from orgplan.jobs.executors import check_parallel, cluster
from orgplan.scenario.format import Scenario
from orgplan.solving.options import SolveOptions


def sweep_scenario(
    scenario: Scenario,
    budget: SweepRange | None = None,
    headcount: SweepRange | None = None,
    structure: str | None = None,
    options: SolveOptions | None = None,
    *,
    workers: int | None = None,
    mp_context: Any = None,
    progress: ProgressFactory | None = None,
    executor: Executor | None = None,
) -> Sweep:
    """Solve `scenario` (under `structure`) at every point of the range(s).

    Each point sets the policy's `budget` and/or `max_headcount` (and the structure's,
    when it overrides them). `workers`, `mp_context`, `executor`: where the solves run
    (see `jobs.compare.run_tasks`). Raises `UsageError` for an unknown structure or no
    range.
    """
    if budget is None and headcount is None:
        raise UsageError("sweep: give --budget FROM:TO:STEP and/or --headcount FROM:TO:STEP")
    if structure is not None:
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
    labels = [point_label(b, h, scenario.currency) for b, h in grid]
    outcomes = run_tasks(
        tasks, labels, workers=workers, mp_context=mp_context, progress=progress, executor=executor
    )
    marks = mark_frontier(outcomes)
    axes = tuple(a for a, r in (("budget", budget), ("max_headcount", headcount)) if r)
    points = tuple(
        SweepPoint(b, h, o, m) for (b, h), o, m in zip(grid, outcomes, marks, strict=True)
    )
    return Sweep(scenario, structure, axes, points)


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
    workers: int | None = None,
    scheduler: str | None = None,
    **options: Unpack[BatchOptions],
) -> SweepRun:
    """Parse the ranges, load the scenario, sweep it, write the workbook and JSON if asked
    (`options`: see `BatchJob`). The solves run on `workers` local processes (`--jobs`)
    or on the Dask cluster whose scheduler is at `scheduler` (`--scheduler`).

    Everything that can be refused (ranges, outputs, the file, the structure) is refused
    before any solving.
    """
    from orgplan.scenario.loading import load_scenario

    check_parallel(workers, scheduler)
    budgets = parse_range(budget, "--budget") if budget is not None else None
    caps = parse_range(headcount, "--headcount", integer=True) if headcount is not None else None
    if budgets is None and caps is None:
        raise UsageError("sweep: give --budget FROM:TO:STEP and/or --headcount FROM:TO:STEP")
    count = len(budgets.values() if budgets else [0]) * len(caps.values() if caps else [0])
    if count > MAX_POINTS:
        raise UsageError(f"the sweep has {count} points; at most {MAX_POINTS}: take larger steps")

    scenario = load_scenario(path)
    if structure is not None:
        check_structures(scenario, [structure], str(path))

    def sweep(solve: SolveOptions, progress: ProgressFactory | None) -> Sweep:
        with cluster(scheduler) as executor:
            return sweep_scenario(
                scenario,
                budgets,
                caps,
                structure,
                solve,
                workers=workers,
                progress=progress,
                executor=executor,
            )

    job = BatchJob(**options)
    inputs = input_files(path, scenario)
    return SweepRun(job.run(sweep, "Sweeping", inputs), job.workbook, job.json_path)
