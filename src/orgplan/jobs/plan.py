"""The `plan` job: load a scenario, solve it, write the workbook and the plan JSON.

The scenario is loaded and the options checked (solver, time limit, structure) first, then
the output paths, all before solving: a long solve never ends in "file exists", and a typo
is not hidden behind a stale output. Files are written whole or not at all (see
`orgplan.files`); `-` as the JSON path writes it to standard output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orgplan.analysis.compare import ProgressFactory
from orgplan.analysis.development import DevelopmentNote, dropped_notes
from orgplan.analysis.explanation import Explanation
from orgplan.errors import Infeasible
from orgplan.files import JSON, WORKBOOK, check_outputs, write_json
from orgplan.jobs.checks import check_solve_options, check_structures, input_files
from orgplan.jobs.decisions import with_decisions
from orgplan.results.plan import Plan, no_plan_json
from orgplan.scenario.format import Scenario
from orgplan.scenario.loading import read_scenario
from orgplan.solvers.registry import label
from orgplan.solving.options import SolveOptions

REPORTS_DIR = Path("reports")


def default_workbook(scenario_path: Path) -> Path:
    """Where a plan's workbook goes when no `-o` is given: reports/<scenario stem>.xlsx."""
    return REPORTS_DIR / f"{scenario_path.stem}.xlsx"


@dataclass(frozen=True)
class PlanRun:
    """What `plan_file` did: the plan (and its explanation, if asked), the files it wrote;
    `before`, the plan JSON the decisions were made on (a reviewed workbook's), when there
    was one; `dropped`, the reviewed workbook's development notes whose (person, skill)
    gap this plan no longer has (not in the new workbook), from `dropped_from`."""

    scenario: Scenario
    plan: Plan
    workbook: Path | None
    json_path: Path | None
    before: dict[str, Any] | None = None
    before_from: str | None = None  # what `before` is, in words
    explanation: Explanation | None = None
    dropped: tuple[tuple[tuple[str, str], DevelopmentNote], ...] = ()
    dropped_from: str | None = None


def plan_file(
    path: Path,
    *,
    structure: str | None = None,
    options: SolveOptions | None = None,
    workbook: Path | None = None,
    json_path: Path | None = None,
    write_workbook: bool = True,
    force: bool = False,
    decisions: Sequence[Path] = (),
    place: Sequence[str] = (),
    exclude: Sequence[str] = (),
    assign: Sequence[str] = (),
    explain: bool = False,
    progress: ProgressFactory | None = None,
) -> PlanRun:
    """Solve one scenario file and write its plan (workbook and, if asked, JSON).

    `decisions` (decision files: YAML or reviewed plan workbooks) and the flags' `place`
    (`ID=ROLE`), `exclude` (`ID`) and `assign` (`RESP=ID`) are laid over the scenario's
    own decisions (`with_decisions`); a reviewed workbook's development notes (its
    Development sheet's Action / Owner / Due) go into the new workbook on the rows of the
    same (person, skill), and those whose row is gone are returned as `dropped`.
    `explain`: also explain the plan (`orgplan.jobs.explain.explain_scenario`, its
    what-ifs shown by `progress`): the workbook gains the Why sheet and the JSON
    `explanation`. On infeasibility the JSON (if asked) records the reasons, then
    `Infeasible` is raised.
    """
    from orgplan.jobs.explain import explain_scenario
    from orgplan.solving.stages import solve

    decided_run = with_decisions(path, read_scenario(path), decisions, place, exclude, assign)
    scenario = decided_run.scenario
    solver = options.solver if options else SolveOptions.solver
    check_solve_options(solver, options.time_limit if options else None)
    if structure is not None:
        check_structures(scenario, [structure], str(path))
    xlsx = (workbook or default_workbook(path)) if write_workbook else None
    outputs = ((xlsx, WORKBOOK), (json_path, JSON))
    inputs = input_files(path, scenario) + decided_run.inputs
    check_outputs(*outputs, force=force, inputs=inputs)
    explanation = None
    try:
        if explain:
            explanation = explain_scenario(scenario, structure, options, progress=progress)
            plan = explanation.plan
        else:
            plan = solve(scenario, structure, options)
    except Infeasible as exc:
        if json_path is not None:
            data = no_plan_json(scenario, structure, exc.reasons, label(solver))
            write_json(json_path, data, force=force)
        raise
    if xlsx is not None:
        from orgplan.reports.excel.workbook import write_plan_workbook

        write_plan_workbook(
            plan, scenario, xlsx, force=force, explanation=explanation, notes=decided_run.notes
        )
    if json_path is not None:
        data = plan.to_json()
        if explanation is not None:
            data["explanation"] = explanation.answers_json()
        write_json(json_path, data, force=force)
    return PlanRun(
        scenario,
        plan,
        xlsx,
        json_path,
        decided_run.before,
        decided_run.before_from,
        explanation,
        dropped_notes(decided_run.notes, plan, scenario) if xlsx is not None else (),
        decided_run.notes_from,
    )
