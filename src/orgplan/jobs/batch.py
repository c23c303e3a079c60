"""The shared tail of the jobs that solve many plans (`compare`, `sweep`): refuse what can
be refused before any work, solve with progress shown, then write the workbook and JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, TypeVar

from orgplan.analysis.compare import Comparison, ProgressFactory
from orgplan.analysis.sweep import Sweep
from orgplan.jobs.checks import check_solve_options
from orgplan.solving.options import SolveOptions

__all__ = ["BatchJob", "BatchOptions"]

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
        self,
        solve: Callable[[SolveOptions, ProgressFactory | None], Result],
        label: str,
        inputs: Iterable[tuple[Path, str]] = (),
    ) -> Result:
        """Check the solver options, then the outputs (none of them one of `inputs`, the
        files read: see `check_outputs`), run `solve` with a progress bar labelled `label`
        when asked, and write the result's workbook and JSON where asked. The job loads
        its input and checks the structures before, so that bad input or usage is
        reported before an output that cannot be written."""
        from orgplan.files import JSON, WORKBOOK, check_outputs, write_json

        check_solve_options(self.solver, self.time_limit)
        outputs = ((self.workbook, WORKBOOK), (self.json_path, JSON))
        check_outputs(*outputs, force=self.force, inputs=inputs)
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


def _write_workbook(result: Comparison | Sweep, path: Path, force: bool) -> None:
    # openpyxl is imported only when a workbook is asked for.
    from orgplan.reports.excel.compare import write_compare_workbook, write_sweep_workbook

    if isinstance(result, Sweep):
        write_sweep_workbook(result, path, force=force)
    else:
        write_compare_workbook(result, path, force=force)
