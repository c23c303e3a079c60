"""The shared tail of the jobs that solve many plans (`compare`, `sweep`): refuse what can
be refused before any work, solve with progress shown, then write the workbook and JSON."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, TypeVar

from orgplan.analysis.compare import Comparison, ProgressFactory
from orgplan.analysis.sweep import Sweep
from orgplan.errors import UsageError
from orgplan.solving.options import SolveOptions

Result = TypeVar("Result", Comparison, Sweep)


class BatchOptions(TypedDict, total=False):
    """The options of a batch job, as keywords (see `BatchJob`)."""

    solver: str
    time_limit: float | None
    workbook: Path | None
    json_path: Path | None
    force: bool
    show_progress: bool


@dataclass(frozen=True)
class BatchJob:
    """How a batch job solves and where it writes.

    `solver`, `time_limit`: as for `orgplan plan`; `workbook`, `json_path`: the files to
    write (None: not asked for), overwritten only with `force`; `show_progress`: a
    progress bar on stderr (on a terminal).
    """

    solver: str = "highs"
    time_limit: float | None = None
    workbook: Path | None = None
    json_path: Path | None = None
    force: bool = False
    show_progress: bool = False

    def run(
        self, solve: Callable[[SolveOptions, ProgressFactory | None], Result], label: str
    ) -> Result:
        """Check the solver options and the outputs, run `solve` (which loads its input,
        so a bad file is refused before solving) with a progress bar labelled `label`
        when asked, and write the result's workbook and JSON where asked."""
        from orgplan.files import check_outputs, write_json

        check_solve_options(self.solver, self.time_limit)
        check_outputs(self.workbook, self.json_path, force=self.force)
        progress = None
        if self.show_progress:
            from orgplan.reports.compare_console import progress_bar

            progress = progress_bar(label)
        result = solve(SolveOptions(solver=self.solver, time_limit=self.time_limit), progress)
        if self.workbook is not None:
            _write_workbook(result, self.workbook, self.force)
        if self.json_path is not None:
            write_json(self.json_path, result.to_json(), force=self.force)
        return result


def check_solve_options(solver: str, time_limit: float | None) -> None:
    """Refuse an unknown solver or a time limit <= 0 before any work (`UsageError`)."""
    from orgplan.solvers import registry

    if solver not in registry.names():
        raise UsageError(registry.unknown_solver(solver))
    if time_limit is not None and time_limit <= 0:
        raise UsageError(f"--time-limit: must be > 0 seconds, got {time_limit:g}")


def _write_workbook(result: Comparison | Sweep, path: Path, force: bool) -> None:
    # openpyxl is imported only when a workbook is asked for.
    from orgplan.reports.excel.compare import write_compare_workbook, write_sweep_workbook

    if isinstance(result, Sweep):
        write_sweep_workbook(result, path, force=force)
    else:
        write_compare_workbook(result, path, force=force)
