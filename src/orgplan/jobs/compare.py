"""`orgplan compare`: solve several structures (or scenarios) and set them side by side.

`compare_scenarios` is the library entry point: it solves every structure of one scenario
(the built-in `superhero` included), a chosen few, or several whole scenarios, each in its
own process (they share nothing), and returns a `Comparison` (`orgplan.analysis.compare`).
`run_compare` is the job behind the CLI command: check the outputs, load, compare, write
the workbook (`orgplan.reports.excel.compare`) and the JSON (`orgplan.compare/1`), the
tail it shares with the sweep being `orgplan.jobs.batch`.

Parallel solving: `run_tasks` hands each solve to a `ProcessPoolExecutor` with at most
`MAX_WORKERS` processes, using the platform's default start method (fork on Linux; spawn
works too, see the tests). A scenario does not pickle (its mappings are read-only proxies),
so a task carries the scenario as plain data (`model_dump(exclude_unset=True)`, which keeps
what a structure overrides) and the worker validates it again. Results come back in the
order asked, whatever order the workers finish in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Unpack

from orgplan.analysis.compare import (
    ALL_ROLES,
    Column,
    Comparison,
    Outcome,
    ProgressFactory,
    build_rows,
    judge,
    merge_same_teams,
    tolerance_of,
)
from orgplan.errors import Infeasible, OrgplanError, SolverFailed, SolverUnavailable, UsageError
from orgplan.jobs.batch import BatchJob, BatchOptions
from orgplan.jobs.checks import check_structures, input_files
from orgplan.jobs.executors import check_parallel, cluster
from orgplan.results.status import SolveStatus
from orgplan.scenario.format import Scenario
from orgplan.solving.options import QUALITY_TOLERANCE, PlanStart, SolveOptions

MAX_WORKERS = 2  # this is a 2-core machine; HiGHS runs single-threaded per solve

# ---- solving in parallel ---------------------------------------------------------------


@dataclass(frozen=True)
class SolveTask:
    """One solve, as plain data that pickles: the scenario, a structure, the options.

    `policy` overrides the scenario's policy and the structure's own limits (the sweep
    sets `budget` or `max_headcount` in both, so a structure that overrides a limit
    cannot hide the swept value). `start`: a plan to start from (a what-if starts from
    the plan it changes).
    """

    scenario: dict[str, Any]
    structure: str | None
    solver: str = "highs"
    time_limit: float | None = None
    quality_tolerance: float = QUALITY_TOLERANCE
    policy: dict[str, Any] = field(default_factory=dict)
    start: PlanStart | None = None

    @classmethod
    def of(
        cls,
        scenario: Scenario,
        structure: str | None,
        options: SolveOptions | None = None,
        policy: dict[str, Any] | None = None,
    ) -> SolveTask:
        """A task for `scenario` under `structure` with `options` (a `SolveOptions`)."""
        return cls(
            scenario=scenario.model_dump(exclude_unset=True),
            structure=structure,
            solver=options.solver if options else SolveOptions.solver,
            time_limit=options.time_limit if options else None,
            quality_tolerance=options.quality_tolerance if options else QUALITY_TOLERANCE,
            policy=dict(policy or {}),
            start=options.start if options else None,
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


def solve_task(task: SolveTask) -> Outcome:
    """Solve one task (runs in a worker process; must stay importable at module level)."""
    from orgplan.solving.stages import solve

    options = SolveOptions(
        solver=task.solver,
        time_limit=task.time_limit,
        quality_tolerance=task.quality_tolerance,
        start=task.start,
    )
    try:
        plan = solve(task.load(), task.structure, options)
    except Infeasible as exc:
        return Outcome(SolveStatus.INFEASIBLE, reasons=tuple(exc.reasons))
    except SolverFailed as exc:
        return Outcome(SolveStatus.NO_PLAN, reasons=(str(exc),))
    except OrgplanError as exc:
        # Errors do not pickle faithfully (their __init__ takes other arguments than
        # their message): send the kind and the message, the parent raises it again.
        error = (type(exc).__name__, str(exc))
        return Outcome(SolveStatus.NO_PLAN, reasons=(str(exc),), error=error)
    return Outcome(plan.status, plan=plan)


def run_tasks(
    tasks: Sequence[SolveTask],
    labels: Sequence[str] | None = None,
    *,
    workers: int | None = None,
    mp_context: Any = None,
    progress: ProgressFactory | None = None,
    executor: Executor | None = None,
) -> list[Outcome]:
    """Solve every task, in parallel processes when there are several; results in order.

    `workers`: at most this many processes (default `MAX_WORKERS`; 1 solves in this
    process). `mp_context`: a `multiprocessing` context (default: the platform's).
    `progress`: shows progress (see `ProgressFactory`). `executor`: any
    `concurrent.futures.Executor` to run the solves on instead (for example a Dask
    client's, `jobs.executors.cluster`); the caller shuts it down. Raises the
    `UsageError` or `SolverUnavailable` a worker met.
    """
    labels = list(labels) if labels is not None else [str(t.structure) for t in tasks]
    count = max(1, min(MAX_WORKERS if workers is None else workers, len(tasks)))
    results: list[Outcome | None] = [None] * len(tasks)
    shown = progress(len(tasks)) if progress is not None else nullcontext(_ignore)
    if executor is not None:
        _collect(executor, tasks, labels, results, shown)
    elif count == 1:
        with shown as advance:
            for i, task in enumerate(tasks):
                results[i] = solve_task(task)
                advance(labels[i], results[i])  # type: ignore[arg-type]
    else:
        with ProcessPoolExecutor(max_workers=count, mp_context=mp_context) as pool:
            _collect(pool, tasks, labels, results, shown)
    done = [r for r in results if r is not None]
    for outcome in done:
        _raise_error(outcome)
    return done


def _collect(
    pool: Executor,
    tasks: Sequence[SolveTask],
    labels: list[str],
    results: list[Outcome | None],
    shown: Any,
) -> None:
    """Submit every task to `pool` and fill `results` as they finish, showing progress."""
    # Submit everything before the progress display starts its refresh thread, so that
    # no process is forked while another thread runs.
    futures = {pool.submit(solve_task, task): i for i, task in enumerate(tasks)}
    try:
        with shown as advance:
            for future in as_completed(futures):
                i = futures[future]
                results[i] = future.result()
                advance(labels[i], results[i])
    except BaseException:
        # Ctrl-C or a worker's crash: drop the solves not started yet.
        for future in futures:
            future.cancel()
        if isinstance(pool, ProcessPoolExecutor):
            pool.shutdown(wait=False, cancel_futures=True)
        raise


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
    options: SolveOptions | None = None,
    *,
    workers: int | None = None,
    mp_context: Any = None,
    progress: ProgressFactory | None = None,
    executor: Executor | None = None,
) -> Comparison:
    """Compare plans side by side.

    `scenarios`: (label, scenario) pairs. With one scenario, every structure of it is
    solved (`default_structures`), or the `structures` named. With several, each is solved
    with no structure, or under each of `structures` (columns `label:structure`).
    `options`: a `SolveOptions` (solver, time limit, quality tolerance; its progress
    callback is not used). `workers`, `mp_context`, `executor`: where the solves run (see
    `run_tasks`). Raises `UsageError` for an unknown structure, before solving.
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
    outcomes = run_tasks(
        tasks, labels, workers=workers, mp_context=mp_context, progress=progress, executor=executor
    )
    solver = options.solver if options else SolveOptions.solver
    columns = tuple(
        Column(label, sc, st, outcome, solver)
        for label, (_, sc, st), outcome in zip(labels, plan_list, outcomes, strict=True)
    )
    names = list(dict.fromkeys(sc.name for _, sc in scenarios))
    title = f"Comparison: {' vs '.join(names)}"
    shown = merge_same_teams(columns)
    rows = build_rows(shown)
    winners, verdict = judge(shown, tolerance_of(options))
    return Comparison(title, columns, tuple(rows), verdict, tuple(winners), shown)


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
    workers: int | None = None,
    scheduler: str | None = None,
    **options: Unpack[BatchOptions],
) -> CompareRun:
    """Load the scenario files, compare their plans, write the workbook and JSON if asked
    (`options`: see `BatchJob`). The solves run on `workers` local processes (`--jobs`)
    or on the Dask cluster whose scheduler is at `scheduler` (`--scheduler`).

    Output paths are checked before any solving, so a long run never ends in "file
    exists". Raises `ScenarioError` for a bad file and `UsageError` for an unknown
    structure or bad option, before solving.
    """
    from orgplan.scenario.loading import load_scenario

    if not paths:
        raise UsageError("compare: give at least one scenario file")
    check_parallel(workers, scheduler)
    names = parse_structures(structures)
    loaded = _load_all(paths, load_scenario)
    labelled = list(zip(_file_labels(paths), loaded, strict=True))
    for label, scenario in labelled:
        if names is not None:
            check_structures(scenario, names, label)
    inputs = [found for p, sc in zip(paths, loaded, strict=True) for found in input_files(p, sc)]

    def compare(solve: SolveOptions, progress: ProgressFactory | None) -> Comparison:
        with cluster(scheduler) as executor:
            return compare_scenarios(
                labelled, names, solve, workers=workers, progress=progress, executor=executor
            )

    job = BatchJob(**options)
    return CompareRun(job.run(compare, "Solving", inputs), job.workbook, job.json_path)


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
