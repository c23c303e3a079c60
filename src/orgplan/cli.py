"""The `orgplan` command line: thin commands over the library.

A command parses its arguments (reusing the shared argument types below), calls ONE
library function, and renders the result with `orgplan.console` or writes it with
`orgplan.files`. Errors are raised as `orgplan.errors` exceptions; `_Group.invoke` is the
one place that turns them into messages on stderr and exit statuses (`exit_code`: 2 bad
input or usage, 1 infeasible).

This module imports no heavy library (pandas, pulp, openpyxl, highspy) at import
time, so that `orgplan --help` is instant: commands import what they need inside.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from orgplan.errors import OrgplanError, ScenarioError
from orgplan.files import STDOUT
from orgplan.solvers import registry
from orgplan.version import __version__

if TYPE_CHECKING:
    from orgplan.jobs.batch import BatchOptions


class _Group(TyperGroup):
    """The command group; maps every `OrgplanError` to its message and exit status."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OrgplanError as exc:
            from orgplan.reports.console import report_error

            report_error(exc)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    name="orgplan",
    cls=_Group,
    help=(
        "Plan a product-management team instead of hiring a superhero: validate scenario "
        "files, see who fits which seat, and solve for the best team."
    ),
    no_args_is_help=True,
    add_completion=False,
    # Bad input never reaches a traceback (see _Group); a traceback left is a bug, and
    # the plain one is the most useful to report.
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# ---- arguments shared by commands -------------------------------------------------------

ScenarioFile = Annotated[
    Path, typer.Argument(metavar="SCENARIO", help="A scenario file (YAML or JSON).")
]
ScenarioFiles = Annotated[
    list[Path], typer.Argument(metavar="SCENARIO...", help="Scenario files (YAML or JSON).")
]
Force = Annotated[bool, typer.Option("--force", help="Overwrite existing output files.")]


def _version(value: bool) -> None:
    if value:
        print(f"orgplan {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Plan a product-management team instead of hiring a superhero."""


# ---- checking and exploring scenarios ---------------------------------------------------


@app.command()
def validate(scenarios: ScenarioFiles) -> None:
    """Check scenario files against the format: print every problem, solve nothing.

    Each problem is printed on stderr as FILE:LINE: path: message; each good file gets an
    `ok` line on stdout (and one telling how its candidates file was read). Exit status 2
    when any file has a problem.
    """
    from orgplan.reports.console import out, scenario_summary
    from orgplan.scenario.loading import read_scenario

    problems = []
    for path in scenarios:
        try:
            loaded = read_scenario(path)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        out(f"{path}: ok ({scenario_summary(loaded.scenario)})")
        if loaded.pool is not None:
            out(f"  candidates: {loaded.pool.describe()}")
    if problems:
        raise ScenarioError(problems)


@app.command()
def fit(
    scenario: ScenarioFile,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the table as JSON (orgplan.fit/1) instead.")
    ] = False,
) -> None:
    """The fit of every candidate for every role, with the gaps that keep them out."""
    from orgplan.domain.fitting import fit_table
    from orgplan.reports.console import print_json, render_fit
    from orgplan.scenario.loading import load_scenario

    table = fit_table(load_scenario(scenario))
    if json_out:
        print_json(table.to_json())
    else:
        render_fit(table)


# ---- solving: `plan`, and the batch commands `compare` and `sweep` ----------------------
# Pattern: reuse the options above and below; call one job (orgplan.jobs); render with
# orgplan.reports; the job writes files with orgplan.files (whole or not at all,
# OutputExists without --force). Raise orgplan.errors, don't exit.

Solver = Annotated[str, typer.Option("--solver", help=registry.help_text())]
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        metavar="N",
        help="Solve in N processes on this machine (default 2).",
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDRESS",
        help="Run the solves on a Dask cluster, e.g. tcp://10.0.0.5:8786 "
        # Rich reads help as markup: the bracket is escaped so that [dask] is printed.
        "(pip install 'orgplan\\[dask]').",
    ),
]
TimeLimit = Annotated[
    float | None,
    typer.Option(
        "--time-limit",
        min=0.1,
        help="Stop after this many seconds with the best plan found (status feasible, "
        "with its gap).",
    ),
]


DecisionFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--decisions",
        metavar="FILE",
        help="Decisions to respect: a YAML file (place, exclude, assign, keep_together) "
        "or a reviewed plan workbook (its Decision cells); repeatable.",
    ),
]
Place = Annotated[
    list[str] | None,
    typer.Option("--place", metavar="ID=ROLE", help="Place a candidate in a role."),
]
Exclude = Annotated[
    list[str] | None,
    typer.Option("--exclude", metavar="ID", help="Never place a candidate."),
]
Assign = Annotated[
    list[str] | None,
    typer.Option("--assign", metavar="RESP=ID", help="Give a responsibility to a candidate."),
]


@app.command()
def plan(
    scenario: ScenarioFile,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="The Excel plan (default: reports/<scenario stem>.xlsx)."
        ),
    ] = None,
    json_path: Annotated[
        Path | None,
        typer.Option(
            "--json", help="Also write the plan JSON (orgplan.plan/1); - for standard output."
        ),
    ] = None,
    structure: Annotated[
        str | None,
        typer.Option("--structure", help="A structure of the scenario, e.g. superhero."),
    ] = None,
    solver: Solver = "highs",
    time_limit: TimeLimit = None,
    force: Force = False,
    decisions: DecisionFiles = None,
    place: Place = None,
    exclude: Exclude = None,
    assign: Assign = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Also say why each person was chosen and why not another, priced by "
            "re-solves (a Why sheet, and `explanation` in the JSON).",
        ),
    ] = False,
) -> None:
    """Solve one scenario: who sits where, who owns what, what it costs, what is missing.

    Decisions (--decisions, --place, --exclude, --assign) are hard limits laid over the
    scenario's own; a reviewed workbook's plan is compared with the new one.
    """
    from orgplan.jobs.plan import plan_file
    from orgplan.reports.summary import (
        explaining_status,
        render_dropped_notes,
        render_plan,
        render_weakest,
    )
    from orgplan.solving.options import SolveOptions

    with explaining_status(_stderr_console(), str(scenario)) as (progress, what_ifs):
        options = SolveOptions(solver=solver, time_limit=time_limit, progress=progress)
        run = plan_file(
            scenario,
            structure=structure,
            options=options,
            workbook=output,
            json_path=json_path,
            force=force,
            decisions=decisions or (),
            place=place or (),
            exclude=exclude or (),
            assign=assign or (),
            explain=explain,
            progress=what_ifs,
        )
    console = _summary_console(json_path)
    render_plan(run.plan, console)
    if run.explanation is not None:
        render_weakest(run.explanation, console)
    if run.before is not None:
        from orgplan.analysis.diff import diff_plans
        from orgplan.reports.diff_console import render_diff

        render_diff(
            diff_plans(run.before, run.plan.to_json()), console, run.before_from, "this plan"
        )
    render_dropped_notes(run.dropped, run.dropped_from, console)
    _tell_written(run.workbook, run.json_path)


@app.command(name="explain")
def explain_command(
    scenario: ScenarioFile,
    structure: Annotated[
        str | None,
        typer.Option("--structure", help="A structure of the scenario, e.g. superhero."),
    ] = None,
    candidate: Annotated[
        list[str] | None,
        typer.Option(
            "--candidate",
            metavar="ID",
            help="Explain only this candidate (repeat for more); each is re-solved.",
        ),
    ] = None,
    json_path: Annotated[Path | None, _json_option("explanation (orgplan.explain/1)")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the staffing workbook with its Why sheet."),
    ] = None,
    solver: Solver = "highs",
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit",
            min=0.1,
            help="Seconds for the plan and for each what-if (default: the plan has none, "
            "each what-if 10); a what-if stopped there says how far from proven it is.",
        ),
    ] = None,
    force: Force = False,
    jobs: Jobs = None,
    scheduler: Scheduler = None,
    decisions: DecisionFiles = None,
    place: Place = None,
    exclude: Exclude = None,
    assign: Assign = None,
) -> None:
    """Why each person was placed and what the plan loses without them; why each other
    candidate was not, and what placing them would change; the cheaper near-best teams.

    Under decisions (--decisions, --place, --exclude, --assign), as `orgplan plan` is."""
    from orgplan.jobs.explain import run_explain
    from orgplan.reports.explain_console import render_explanation
    from orgplan.reports.summary import explaining_status, render_dropped_notes
    from orgplan.solving.options import SolveOptions

    with explaining_status(_stderr_console(), str(scenario)) as (progress, what_ifs):
        run = run_explain(
            scenario,
            structure=structure,
            candidates=candidate,
            options=SolveOptions(solver=solver, time_limit=time_limit, progress=progress),
            workbook=output,
            json_path=json_path,
            force=force,
            workers=jobs,
            scheduler=scheduler,
            progress=what_ifs,
            decisions=decisions or (),
            place=place or (),
            exclude=exclude or (),
            assign=assign or (),
        )
    console = _summary_console(json_path)
    render_explanation(run.explanation, console)
    render_dropped_notes(run.dropped, run.dropped_from, console)
    _tell_written(run.workbook, run.json_path)


@app.command()
def diff(
    before: Annotated[Path, typer.Argument(metavar="BEFORE.json", help="A plan JSON.")],
    after: Annotated[Path, typer.Argument(metavar="AFTER.json", help="Another plan JSON.")],
    json_path: Annotated[
        Path | None,
        typer.Option("--json", help="Write the diff (orgplan.diff/1); - for standard output."),
    ] = None,
    force: Force = False,
) -> None:
    """What changed between two plans: seats added and removed, people who moved,
    owners that changed, KPIs before and after."""
    from orgplan.jobs.diff import diff_files
    from orgplan.reports.diff_console import render_diff

    run = diff_files(before, after, json_path=json_path, force=force)
    render_diff(run.diff, _summary_console(json_path), str(before), str(after))
    _tell_written(run.json_path)


def _summary_console(json_path: Path | None) -> Any:
    """The console of the human summary: stdout, or stderr when the JSON takes stdout."""
    from orgplan.reports.console import stdout_console

    if json_path != STDOUT:
        return stdout_console()
    with contextlib.redirect_stdout(sys.stderr):
        return stdout_console()


def _stderr_console() -> Any:
    """A rich console on stderr for spinners and progress bars."""
    from rich.console import Console

    return Console(stderr=True)


def _workbook_option(what: str) -> Any:
    """`--output`/`-o` of a batch command: the workbook of `what`."""
    return typer.Option("--output", "-o", help=f"Write the {what} workbook.")


def _json_option(what: str) -> Any:
    """`--json` of a batch command: the JSON of `what`."""
    return typer.Option("--json", help=f"Write the {what}; - for standard output.")


def _batch(
    output: Path | None, json_path: Path | None, solver: str, time_limit: float | None, force: bool
) -> BatchOptions:
    """The options a batch job takes from its command line, progress shown."""
    return {
        "solver": solver,
        "time_limit": time_limit,
        "workbook": output,
        "json_path": json_path,
        "force": force,
        "show_progress": True,
    }


def _tell_written(*paths: Path | None) -> None:
    """`wrote PATH` on stderr for each file written."""
    from orgplan.reports.console import err

    for written in paths:
        if written is not None and written != STDOUT:
            err(f"wrote {written}")


@app.command()
def compare(
    scenarios: ScenarioFiles,
    structures: Annotated[
        str | None,
        typer.Option(
            "--structures",
            metavar="A,B,...",
            help="Structures to compare (default: every one, superhero included).",
        ),
    ] = None,
    output: Annotated[Path | None, _workbook_option("comparison")] = None,
    json_path: Annotated[Path | None, _json_option("plans (orgplan.compare/1)")] = None,
    solver: Solver = "highs",
    time_limit: TimeLimit = None,
    force: Force = False,
    jobs: Jobs = None,
    scheduler: Scheduler = None,
) -> None:
    """Compare structures of a scenario (or whole scenario files) side by side."""
    from orgplan.jobs.compare import run_compare
    from orgplan.reports.compare_console import render_comparison

    batch = _batch(output, json_path, solver, time_limit, force)
    run = run_compare(scenarios, structures=structures, workers=jobs, scheduler=scheduler, **batch)
    render_comparison(run.comparison, _summary_console(json_path))
    _tell_written(run.workbook, run.json_path)


@app.command()
def sweep(
    scenario: ScenarioFile,
    budget: Annotated[
        str | None,
        typer.Option("--budget", metavar="FROM:TO:STEP", help="Budgets, e.g. 300k:900k:100k."),
    ] = None,
    headcount: Annotated[
        str | None,
        typer.Option("--headcount", metavar="FROM:TO:STEP", help="Headcount caps, e.g. 1:6:1."),
    ] = None,
    structure: Annotated[
        str | None, typer.Option("--structure", help="Solve under this structure.")
    ] = None,
    output: Annotated[Path | None, _workbook_option("sweep")] = None,
    json_path: Annotated[Path | None, _json_option("points (orgplan.sweep/1)")] = None,
    solver: Solver = "highs",
    time_limit: TimeLimit = None,
    force: Force = False,
    jobs: Jobs = None,
    scheduler: Scheduler = None,
) -> None:
    """Re-solve across budgets or headcounts: the frontier of cost against coverage."""
    from orgplan.jobs.sweep import run_sweep
    from orgplan.reports.compare_console import render_sweep

    batch = _batch(output, json_path, solver, time_limit, force)
    run = run_sweep(
        scenario,
        budget=budget,
        headcount=headcount,
        structure=structure,
        workers=jobs,
        scheduler=scheduler,
        **batch,
    )
    render_sweep(run.sweep, _summary_console(json_path))
    _tell_written(run.workbook, run.json_path)


# ---- writing files ----------------------------------------------------------------------


@app.command()
def init(
    path: Annotated[
        Path | None, typer.Argument(help="Where to write the starter scenario (.yaml).")
    ] = None,
    pool: Annotated[
        Path | None,
        typer.Option(
            "--pool",
            help="Also write a candidates file template (.xlsx or .csv) to fill in; the "
            "scenario's candidates_file points at it.",
        ),
    ] = None,
    force: Force = False,
    name: Annotated[str | None, typer.Option("--name", help="The scenario's name.")] = None,
    schema: Annotated[
        bool,
        typer.Option(
            "--schema/--no-schema",
            help="Also write orgplan.schema.json beside it (the file's header points there).",
        ),
    ] = True,
) -> None:
    """Write a commented starter scenario that validates, with its JSON Schema beside it
    (and, with --pool, a candidates file template; without PATH, the template alone)."""
    from orgplan.jobs.init import init_scenario
    from orgplan.reports.console import err, out

    result = init_scenario(path, force=force, name=name, schema=schema, pool=pool)
    if result.scenario is not None:
        out(f"wrote {result.scenario}")
    if result.schema is not None and result.schema_kept:
        err(
            f"kept {result.schema}: it differs from this version's schema; "
            f"`orgplan schema -o {result.schema} --force` updates it"
        )
    elif result.schema is not None:
        out(f"wrote {result.schema}")
    if result.pool is not None:
        out(f"wrote {result.pool}")
    if result.scenario is None:
        out("next: fill it in, then point a scenario's candidates_file at it")
    else:
        out(f"next: edit it, then `orgplan validate {result.scenario}`")


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the schema to this file (default, or -: stdout)."
        ),
    ] = None,
    force: Force = False,
) -> None:
    """Print the JSON Schema of the scenario format, for editors to check and complete."""
    from orgplan.files import JSON, check_outputs, write_json
    from orgplan.reports.console import out
    from orgplan.scenario.schema import scenario_schema

    target = output or STDOUT
    check_outputs((target, JSON), force=force)
    write_json(target, scenario_schema(), force=force)
    if target != STDOUT:
        out(f"wrote {target}")


def main() -> None:
    """The console script.

    When the reader of stdout leaves (`orgplan fit x.yaml | head -1`), the rest of the
    output is dropped and the command ends with the status it would have had.
    """
    from orgplan.files import guard_closed_pipe

    guard_closed_pipe()
    try:
        app(prog_name="orgplan")
    finally:
        sys.stdout.flush()
        # The process ends here. The interpreter would collect the cyclic garbage of a
        # whole plan (the workbook's cells, the model's rows) on its way out: 0.3 s of a
        # 2 s `orgplan plan` on a small scenario, for memory the process gives back anyway.
        gc.freeze()
