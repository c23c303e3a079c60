"""What every sheet of the plan workbook is built from, the shape of a sheet builder, and
the sheets that show one plan (Team, Assignments) in any workbook."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.development import NO_NOTES, DevelopmentNotes
from orgplan.analysis.explanation import Explanation
from orgplan.reports.excel.toolkit.text import sheet_title
from orgplan.results.plan import Plan
from orgplan.scenario.format import Scenario


@dataclass(frozen=True)
class PlanSheets:
    """The plan and scenario a workbook shows, its stamp, and its sheets.

    `contents` lists every sheet as (title, what it holds), in order; `sheets` maps those
    titles to the workbook's worksheets (a sheet built last, like the Summary, can read
    the others). `explanation`: why each choice was made (`--explain`), or None.
    `notes`: what HR wrote against the development plan's gaps in a reviewed workbook,
    (candidate id, skill) -> action, owner, due; shown on the Development sheet only.
    """

    plan: Plan
    scenario: Scenario
    generated_at: datetime | None
    contents: tuple[tuple[str, str], ...]
    sheets: Mapping[str, Worksheet]
    explanation: Explanation | None = None
    notes: DevelopmentNotes = field(default_factory=lambda: NO_NOTES)


# A sheet builder fills the (empty) worksheet it is given.
Builder = Callable[[Worksheet, PlanSheets], None]


@dataclass(frozen=True)
class OnePlanSheet:
    """A sheet that shows one plan (Team, Assignments): once in the plan workbook, or once
    per plan in a comparison workbook.

    `fill(ws, plan, table)` writes it on an empty worksheet, its table named `table`.
    """

    title: str
    fill: Callable[[Worksheet, Plan, str], None]

    def build(self, ws: Worksheet, sheets: PlanSheets) -> None:
        """The plan workbook's sheet (a `Builder`)."""
        self.fill(ws, sheets.plan, self.title)

    def add(
        self, wb: Workbook, plan: Plan, title: str | None = None, table_name: str | None = None
    ) -> Worksheet:
        """Add the sheet of `plan` to `wb` and return it; `title` and `table_name` (default:
        the sheet's title) are made valid and unique in `wb`."""
        title = self.title if title is None else title
        ws = wb.create_sheet(sheet_title(title, wb.sheetnames))
        self.fill(ws, plan, self.title if table_name is None else table_name)
        return ws
