"""`orgplan explain`: the plan, and every choice of it priced by a solve.

`explain_scenario` is the library entry point: it solves the plan and, on the same model
(only the quality floor moves), the cheaper near-best teams; then every what-if of
`orgplan.analysis.explanation.questions` as its own solve, in parallel processes or on any
`concurrent.futures` executor (`run_tasks`), each started from the plan it changes
(`WhatIf.start`) and stopped after `what_if_seconds` (a what-if that is not proven says
so, with its gap).
`run_explain` is the job behind the command: check, load, explain, write the JSON
(`orgplan.explain/1`) and the staffing workbook with its Why sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from pathlib import Path

from orgplan.analysis.compare import Outcome, ProgressFactory
from orgplan.analysis.development import DevelopmentNote, dropped_notes
from orgplan.analysis.explanation import NEAR_BEST, Explanation, explain, questions
from orgplan.files import JSON, WORKBOOK, check_outputs, write_json
from orgplan.jobs.checks import (
    check_candidates,
    check_solve_options,
    check_structures,
    input_files,
)
from orgplan.jobs.compare import SolveTask, run_tasks
from orgplan.jobs.executors import check_parallel, cluster
from orgplan.scenario.format import Scenario
from orgplan.solving.options import SolveOptions

WHAT_IF_SECONDS = 10.0
"""Each what-if's time limit unless one is given: most small plans are proven in well under
a second; a large one is stopped there and says how far from proven it is."""


def explain_scenario(
    scenario: Scenario,
    structure: str | None = None,
    options: SolveOptions | None = None,
    *,
    candidates: Sequence[str] | None = None,
    what_if_seconds: float | None = None,
    workers: int | None = None,
    executor: Executor | None = None,
    progress: ProgressFactory | None = None,
) -> Explanation:
    """Solve `scenario` under `structure` and explain the plan (see the module docstring).

    `options`: how the plan is solved (its time limit too; `progress` hears of it).
    `candidates`: explain only these (their what-ifs alone are solved; each one is
    priced whatever their rank). `what_if_seconds`: each what-if's and near-best team's
    time limit (default: the plan's time limit, else `WHAT_IF_SECONDS`). `workers`,
    `executor`, `progress`: where the what-ifs run and who hears of them (`run_tasks`).
    Raises `Infeasible` when the plan itself cannot be made, `UsageError` for an unknown
    candidate or structure.
    """
    from orgplan.solving.stages import solve_near_best

    options = options or SolveOptions()
    if candidates is not None:
        check_candidates(scenario, candidates)
    limit = what_if_seconds or options.time_limit or WHAT_IF_SECONDS
    tolerances = [t for t in NEAR_BEST if t > options.quality_tolerance]
    plan, near = solve_near_best(scenario, structure, options, tolerances, limit)
    asked = questions(plan, scenario, candidates)
    data = scenario.model_dump(exclude_unset=True)
    what_if = replace(options, time_limit=limit, progress=None)
    task = SolveTask.of(scenario, structure, what_if)
    tasks = [
        replace(task, scenario=w.apply(data, scenario), start=w.start(plan, scenario))
        for w in asked
    ]
    labels = [w.label(scenario) for w in asked]
    outcomes = run_tasks(tasks, labels, workers=workers, executor=executor, progress=progress)
    answers = dict(zip(asked, outcomes, strict=True))
    nearby = [(t, Outcome(p.status, plan=p)) for t, p in zip(tolerances, near, strict=True)]
    return explain(plan, scenario, answers, nearby, options.quality_tolerance, candidates)


# ---- the job behind `orgplan explain` -------------------------------------------------------


@dataclass(frozen=True)
class ExplainRun:
    """What `run_explain` did: the explanation, and the files it wrote; `dropped`, a
    reviewed workbook's development notes the workbook written no longer shows (see
    `orgplan.jobs.plan.PlanRun`), from `dropped_from`."""

    scenario: Scenario
    explanation: Explanation
    workbook: Path | None
    json_path: Path | None
    dropped: tuple[tuple[tuple[str, str], DevelopmentNote], ...] = ()
    dropped_from: str | None = None


def run_explain(
    path: Path,
    *,
    structure: str | None = None,
    candidates: Sequence[str] | None = None,
    options: SolveOptions | None = None,
    what_if_seconds: float | None = None,
    workbook: Path | None = None,
    json_path: Path | None = None,
    force: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: ProgressFactory | None = None,
    decisions: Sequence[Path] = (),
    place: Sequence[str] = (),
    exclude: Sequence[str] = (),
    assign: Sequence[str] = (),
) -> ExplainRun:
    """Load the scenario file, explain its plan, write the JSON and the workbook if asked.

    Usage, the scenario and the output paths are checked before any solving. The
    what-ifs run on `workers` local processes (`--jobs`) or on the Dask cluster at
    `scheduler` (`--scheduler`). `decisions`, `place`, `exclude`, `assign`: decisions
    laid over the scenario's own, as `orgplan plan` takes them (`jobs.decisions`).
    """
    from orgplan.jobs.decisions import with_decisions
    from orgplan.scenario.loading import read_scenario

    options = options or SolveOptions()
    check_parallel(workers, scheduler)
    decided = with_decisions(path, read_scenario(path), decisions, place, exclude, assign)
    scenario = decided.scenario
    check_solve_options(options.solver, options.time_limit)
    if structure is not None:
        check_structures(scenario, [structure], str(path))
    if candidates:
        check_candidates(scenario, candidates)
    outputs = ((workbook, WORKBOOK), (json_path, JSON))
    inputs = input_files(path, scenario) + decided.inputs
    check_outputs(*outputs, force=force, inputs=inputs)
    with cluster(scheduler) as executor:
        explanation = explain_scenario(
            scenario,
            structure,
            options,
            candidates=candidates or None,
            what_if_seconds=what_if_seconds,
            workers=workers,
            executor=executor,
            progress=progress,
        )
    if workbook is not None:
        from orgplan.reports.excel.workbook import write_plan_workbook

        write_plan_workbook(
            explanation.plan,
            scenario,
            workbook,
            force=force,
            explanation=explanation,
            notes=decided.notes,
        )
    if json_path is not None:
        write_json(json_path, explanation.to_json(), force=force)
    dropped = () if workbook is None else dropped_notes(decided.notes, explanation.plan, scenario)
    return ExplainRun(scenario, explanation, workbook, json_path, dropped, decided.notes_from)
