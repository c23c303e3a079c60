"""The Excel staffing plan: one workbook a head of product and an HR partner can review.

`write_plan_workbook` writes the sheets of `PLAN_SHEETS` from a `Plan` and the `Scenario`
it was solved from:

- **Summary**: what was planned and how well the solver did, the key figures, headcount
  by role, uncovered work, links to every sheet, a chart of hours against capacity.
- **How to read**: every term (the three fits, priority, coverage, quality, handoff, an
  open requisition's assumed fit, the gaps) and every colour, in plain words.
- **Moves and hires**: internal moves (current job -> new seat, the backfill), offers to
  named applicants, requisitions to open and why no named candidate holds them.
- **Hiring plan** and **Timeline**, for a plan over a horizon only: what to open when
  (requisitions by open-by period, start dates, one-off costs, spend and coverage by
  period with a chart), and a Gantt chart of the seats by period (recruiting, ramping up,
  full) with who owns what in each period.
- **Org chart**: the proposed team as boxes of cells on one page, by product line (or by
  role): seat and role, who holds it and from where, what it owns.
- **Team**: one row per seat. **Assignments**: one row per responsibility, uncovered
  work included with its reason. **Matrix**: responsibilities x seats, hours heat-mapped,
  totals per seat. **Development**: every skill gap of an owner. **Candidate fit**: every
  candidate x role fit, who was placed where and why the others were not. **Handoffs**:
  split couplings and the seat-to-seat coordination load. **Inputs**: the scenario as
  loaded.

The Team, Assignments and Candidate fit sheets end in a Decision column, a drop-down a
reviewer marks; a hidden sheet ties the workbook to its scenario and plan, so that
`orgplan plan SCENARIO --decisions reviewed.xlsx` can read those cells back
(`orgplan.reports.excel.review`), and the Development sheet's Action / Owner / Due with
them (as notes carried into the next workbook, never decisions).

Each sheet is one module of `orgplan.reports.excel.sheets`, written with the toolkit of
`orgplan.reports.excel.toolkit`; adding a sheet is a module and an entry in `PLAN_SHEETS`.
How the workbook is made, and why:

- openpyxl directly, not pandas' ExcelWriter, which turns text starting with `=` into a
  formula and cannot style a report. No cell is a formula (see `toolkit.sheet`).
- Sheets with one dataset freeze its header row and repeat it on every printed page;
  Summary, Handoffs and Inputs stack several small tables under headings, so they
  freeze nothing.
- Text from the scenario stays literal text, loses the control characters XML cannot
  hold, and names become valid sheet and table names (`toolkit.text`).
- Reproducible: the same plan and scenario give byte-identical files (`toolkit.saving`).
  The solver's run time is left out (two solves of one scenario differ only there).
  `generated_at` is shown and stamped only when given, or when the `SOURCE_DATE_EPOCH`
  environment variable (the reproducible-builds convention) is set; otherwise the
  Summary says the file is unstamped and the times are 1980-01-01 00:00 UTC, the
  earliest a zip entry can carry.
- Written whole or not at all, through `orgplan.files` (temporary file beside the target,
  then rename); an existing file is kept unless `force`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from orgplan import files
from orgplan.analysis.development import NO_NOTES, DevelopmentNotes
from orgplan.analysis.explanation import Explanation
from orgplan.reports.excel.fingerprint import plan_fingerprint
from orgplan.reports.excel.review import add_review
from orgplan.reports.excel.sheets import (
    assignments,
    candidate_fit,
    development,
    handoffs,
    hiring,
    how_to_read,
    inputs,
    matrix,
    moves,
    org_chart,
    summary,
    team,
    timeline,
    why,
)
from orgplan.reports.excel.sheets.context import Builder, PlanSheets
from orgplan.reports.excel.toolkit.saving import new_workbook, resolve_generated_at, save_workbook
from orgplan.reports.excel.toolkit.styles import currency_format
from orgplan.reports.excel.toolkit.text import clean_text, sheet_title
from orgplan.results.plan import Plan
from orgplan.scenario.format import Scenario

__all__ = [
    "PLAN_SHEETS",
    "SHEETS",
    "SheetSpec",
    "build_plan_workbook",
    "currency_format",  # re-exported: the cost format of the plan's sheets
    "plan_fingerprint",
    "resolve_generated_at",
    "write_plan_workbook",
]


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the plan workbook: its title, what it holds (shown on the Summary),
    the builder that fills it, and whether it reads the other sheets (built after them)."""

    title: str
    holds: str
    build: Builder
    after_others: bool = False


# The sheets of the plan workbook, in order.
PLAN_SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "Summary",
        "The plan at a glance, key figures, uncovered work",
        summary.build,
        after_others=True,
    ),
    SheetSpec(how_to_read.TITLE, how_to_read.HOLDS, how_to_read.build),
    SheetSpec(moves.TITLE, moves.HOLDS, moves.build),
    SheetSpec(org_chart.TITLE, org_chart.HOLDS, org_chart.build),
    SheetSpec(team.TITLE, "Each seat: person, cost, hours against capacity, fit", team.build),
    SheetSpec(
        assignments.TITLE,
        "Each responsibility: owner and fit, or why uncovered",
        assignments.SHEET.build,
    ),
    SheetSpec("Matrix", "Hours of each responsibility by seat, totals per seat", matrix.build),
    SheetSpec(
        "Development", "Every skill gap of an owner: the development plan", development.build
    ),
    SheetSpec(
        "Candidate fit",
        "Each candidate's fit per role; placed where, or why not",
        candidate_fit.build,
    ),
    SheetSpec("Handoffs", "Coupled work split between seats; coordination load", handoffs.build),
    SheetSpec("Inputs", "The scenario as loaded, for audit", inputs.build),
)

# The sheets as (title, what it holds), in order.
SHEETS: tuple[tuple[str, str], ...] = tuple((s.title, s.holds) for s in PLAN_SHEETS)

# With an explanation (`--explain`), after Candidate fit.
WHY_SHEET = SheetSpec(why.TITLE, why.HOLDS, why.build)


# With a horizon (a timed plan), after Moves and hires.
TIMED_SHEETS = (
    SheetSpec(hiring.TITLE, hiring.HOLDS, hiring.build),
    SheetSpec(timeline.TITLE, timeline.HOLDS, timeline.build),
)


def plan_sheets(explained: bool, timed: bool = False) -> tuple[SheetSpec, ...]:
    """The sheets of a plan workbook: the Why sheet among them when `explained`, the
    Hiring plan and Timeline when the plan is `timed` (over a horizon)."""
    specs = PLAN_SHEETS
    if timed:
        at = [s.title for s in specs].index(moves.TITLE) + 1
        specs = (*specs[:at], *TIMED_SHEETS, *specs[at:])
    if explained:
        at = [s.title for s in specs].index("Candidate fit") + 1
        specs = (*specs[:at], WHY_SHEET, *specs[at:])
    return specs


def build_plan_workbook(
    plan: Plan,
    scenario: Scenario,
    *,
    generated_at: datetime | None = None,
    explanation: Explanation | None = None,
    notes: DevelopmentNotes = NO_NOTES,
) -> Workbook:
    """The plan workbook in memory: every sheet of `PLAN_SHEETS`, in that order (and the
    Why sheet with an `explanation` of the plan).

    `generated_at` is shown on the Summary as given (see `resolve_generated_at` for the
    default that `write_plan_workbook` applies). `notes`: what HR wrote against the
    development plan in a reviewed workbook, shown again on the rows of the same (candidate
    id, skill); the others are not shown.
    """
    wb = new_workbook()
    specs = plan_sheets(explanation is not None, plan.timed)
    sheets = {s.title: wb.create_sheet(sheet_title(s.title, wb.sheetnames)) for s in specs}
    contents = tuple((s.title, s.holds) for s in specs)
    context = PlanSheets(plan, scenario, generated_at, contents, sheets, explanation, notes)
    for spec in sorted(specs, key=lambda s: s.after_others):  # stable: registry order
        spec.build(sheets[spec.title], context)
    add_review(wb, plan, scenario)
    wb.active = 0
    props = wb.properties
    props.title = clean_text(f"Staffing plan: {plan.scenario} ({plan.structure})")
    props.subject = clean_text(scenario.description or plan.scenario)
    props.keywords = "orgplan, staffing plan"
    props.identifier = plan_fingerprint(plan)
    return wb


def write_plan_workbook(
    plan: Plan,
    scenario: Scenario,
    path: Path,
    *,
    force: bool = False,
    generated_at: datetime | None = None,
    explanation: Explanation | None = None,
    notes: DevelopmentNotes = NO_NOTES,
) -> Path:
    """Write the Excel staffing plan of `plan` (solved from `scenario`) to `path`.

    The workbook holds the sheets of `PLAN_SHEETS` (see the module docstring). It is
    written whole or not at all; an existing `path` raises `orgplan.errors.OutputExists`
    unless `force`. The same plan and scenario give a byte-identical file: `generated_at`
    (default: `SOURCE_DATE_EPOCH` when set, else none) is the only time in it, and the
    solver's run time is left out. With an `explanation` of the plan, the Why sheet is
    added and Team and Candidate fit say why each person is where they are. `notes`
    (a reviewed workbook's Action / Owner / Due) fill the Development sheet's rows of the
    same (candidate id, skill). Returns `path`.
    """
    target = Path(path)
    files.check_writable(target, force=force)  # refuse before building anything
    stamp = resolve_generated_at(generated_at)
    wb = build_plan_workbook(
        plan, scenario, generated_at=stamp, explanation=explanation, notes=notes
    )
    return save_workbook(wb, target, force=force, timestamp=stamp)
