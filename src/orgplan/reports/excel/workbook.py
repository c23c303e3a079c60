"""The Excel staffing plan: one workbook a head of product and an HR partner can review.

`write_plan_workbook` writes the sheets of issue 4 from a `Plan` and the `Scenario` it was
solved from:

- **Summary**: what was planned and how well the solver did, the key figures, headcount
  by role, uncovered work, links to every sheet, a chart of hours against capacity.
- **Team**: one row per seat. **Assignments**: one row per responsibility, uncovered
  work included with its reason. **Matrix**: responsibilities x seats, hours heat-mapped,
  totals per seat. **Development**: every skill gap of an owner. **Candidate fit**: every
  candidate x role fit, who was placed where and why the others were not. **Handoffs**:
  split couplings and the seat-to-seat coordination load. **Inputs**: the scenario as
  loaded.

How the workbook is made, and why:

- openpyxl directly, not pandas' ExcelWriter, which turns text starting with `=` into a
  formula and cannot style a report. No cell is a formula: totals are computed here, so
  the workbook reads the same in tools that do not recalculate (pandas, viewers).
- Every dataset is an Excel Table (filterable, valid unique name) with explicit header
  styling, because LibreOffice does not draw table styles. Sheets with one dataset freeze
  its header row and repeat it on every printed page; Summary, Handoffs and Inputs stack
  several small tables under headings, so they freeze nothing.
- Text from the scenario goes through `excel_safe`: it stays literal text, loses the
  control characters XML cannot hold, and names become valid sheet and table names.
- Reproducible: the same plan and scenario give byte-identical files. The solver's run
  time is left out (two solves of one scenario differ only there), the document
  properties carry a fixed time, and the zip entries are rewritten with a fixed date
  in a fixed order. `generated_at` is shown and stamped only when given, or when the
  `SOURCE_DATE_EPOCH` environment variable (the reproducible-builds convention) is set;
  otherwise the Summary says the file is unstamped and the times are 1980-01-01 00:00 UTC,
  the earliest a zip entry can carry.
- Written whole or not at all, through `orgplan.files` (temporary file beside the target,
  then rename); an existing file is kept unless `force`.

The sheet builders `add_team_sheet` and `add_assignments_sheet` take any workbook, so
`orgplan compare` puts several plans side by side with the same code; `new_workbook` and
`save_workbook` give it the same properties and the same atomic, deterministic save.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import zipfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import networkx as nx
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule, DataBarRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from orgplan import files
from orgplan.domain.rules import (
    EPS,
    candidate_cost,
    candidate_levels,
    fit,
    gaps,
    is_eligible,
    meets_floors,
    role_fit,
)
from orgplan.reports.excel.safe import clean_text, set_text, sheet_title, table_name, workbook_names
from orgplan.results.plan import Assignment, Plan, Seat
from orgplan.scenario.format import Candidate, Scenario
from orgplan.version import __version__

__all__ = [
    "FIXED_TIMESTAMP",
    "SHEETS",
    "add_assignments_sheet",
    "add_team_sheet",
    "Placement",
    "SkillGap",
    "build_plan_workbook",
    "coordination_graph",
    "currency_format",
    "development_gaps",
    "new_workbook",
    "placement",
    "plan_fingerprint",
    "resolve_generated_at",
    "save_workbook",
    "workbook_bytes",
    "write_plan_workbook",
]

# The earliest time a zip entry can carry; used when the caller gives no time, so that
# the document properties and the zip entries agree.
FIXED_TIMESTAMP = datetime(1980, 1, 1, tzinfo=UTC)

# The sheets of the plan workbook, in order, with what each holds (shown on Summary).
SHEETS: tuple[tuple[str, str], ...] = (
    ("Summary", "The plan at a glance, key figures, uncovered work"),
    ("Team", "Each seat: person, cost, hours against capacity, fit"),
    ("Assignments", "Each responsibility: owner and fit, or why uncovered"),
    ("Matrix", "Hours of each responsibility by seat, totals per seat"),
    ("Development", "Every skill gap of an owner: the development plan"),
    ("Candidate fit", "Each candidate's fit per role; placed where, or why not"),
    ("Handoffs", "Coupled work split between seats; coordination load"),
    ("Inputs", "The scenario as loaded, for audit"),
)

# ---- number formats ---------------------------------------------------------------------

HOURS_FORMAT = '#,##0.0 "h"'
PERCENT_FORMAT = "0.0%"
FIT_FORMAT = "0%"
INTEGER_FORMAT = "#,##0"
LEVEL_FORMAT = "0.0"
NUMBER_FORMAT = "#,##0.00"

_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹"}


def currency_format(currency: str) -> str:
    """An Excel number format for annual costs in `currency`: `"$"#,##0`, `#,##0 "CHF"`."""
    code = currency.strip().upper()
    if code in _CURRENCY_SYMBOLS:
        return f'"{_CURRENCY_SYMBOLS[code]}"#,##0'
    # The code is the scenario author's text: keep letters only so it cannot break out
    # of the quoted literal in the format string.
    letters = "".join(ch for ch in code if ch.isascii() and ch.isalpha())[:5]
    return f'#,##0 "{letters}"' if letters else "#,##0"


# ---- styles -----------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True, indent=1)
TITLE_FONT = Font(bold=True, size=14, color="1F4E78")
SUBTITLE_FONT = Font(italic=True, color="595959")
SECTION_FONT = Font(bold=True, size=12, color="1F4E78")
LABEL_FONT = Font(bold=True)
LINK_FONT = Font(color="0563C1", underline="single")
UNCOVERED_FILL = PatternFill("solid", fgColor="FCE4D6")
_THIN = Side(style="thin", color="BFBFBF")
CELL_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_ALIGNMENT = Alignment(wrap_text=True, vertical="top", indent=1)
# Table cells hang from the top (rows grow for wrapped text) and text keeps off the
# right-aligned number beside it.
TEXT_ALIGNMENT = Alignment(vertical="top", indent=1)
NUMBER_ALIGNMENT = Alignment(vertical="top")
TABLE_STYLE = "TableStyleLight9"

# Fit: red below 50%, amber at 75%, green at 100%.
_FIT_RULE = dict(
    start_type="num",
    start_value=0.5,
    start_color="F8696B",
    mid_type="num",
    mid_value=0.75,
    mid_color="FFEB84",
    end_type="num",
    end_value=1,
    end_color="63BE7B",
)

MIN_WIDTH = 6
LINE_HEIGHT = 15  # points per line of 11-point text
CHARS_PER_WIDTH = 1.15  # characters of running text per unit of column width
MAX_WIDTH = 60
NONE_ROW = "(none)"


# ---- writing cells and tables -----------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A cell value that links to the top of another sheet in the workbook."""

    text: str
    sheet: str


@dataclass(frozen=True)
class Col:
    """One column of a table: its header and the number format of its values."""

    header: str
    fmt: str | None = None


@dataclass(frozen=True)
class TablePlace:
    """Where a table was written, to point conditional formats and charts at it."""

    name: str
    top: int
    left: int
    bottom: int
    headers: tuple[str, ...]
    wanted: tuple[str, ...]
    empty: bool

    def col(self, header: str) -> int:
        """The sheet column index of the column asked for as `header`."""
        return self.left + self.wanted.index(header)

    def data_range(self, first: str, last: str | None = None) -> str:
        """The data cells (header excluded) of one column, or of `first` through `last`."""
        a = get_column_letter(self.col(first))
        b = get_column_letter(self.col(last or first))
        return f"{a}{self.top + 1}:{b}{self.bottom}"


class _Sheet:
    """Writes safe cells and styled tables on one worksheet, tracking column widths."""

    def __init__(self, ws: Worksheet, max_width: int = MAX_WIDTH) -> None:
        self.ws = ws
        self.max_width = max_width
        self.widths: dict[int, float] = {}
        self.long_text: dict[int, list[Any]] = defaultdict(list)
        self.subtitle: Any = None

    def put(
        self, row: int, col: int, value: Any, fmt: str | None = None, *, measure: bool = True
    ) -> Any:
        """Write one value: text literal, numbers with `fmt`, booleans as Yes/No."""
        cell = self.ws.cell(row=row, column=col)
        shown: str | None = None
        if isinstance(value, Link):
            set_text(cell, value.text)
            # An internal link (location, no target) needs no relationship part.
            cell.hyperlink = Hyperlink(
                ref=cell.coordinate, location=f"{quote_sheetname(value.sheet)}!A1"
            )
            cell.font = LINK_FONT
            shown = value.text
        elif isinstance(value, bool):
            set_text(cell, "Yes" if value else "No")
            shown = cell.value
        elif isinstance(value, int | float):
            if math.isfinite(value):
                cell.value = value
                if fmt:
                    cell.number_format = fmt
                shown = _shown_number(float(value), fmt)
        elif isinstance(value, str):
            set_text(cell, value)
            shown = cell.value
        elif value is not None:
            set_text(cell, str(value))
            shown = cell.value
        if measure and shown:
            width = max(len(line) for line in shown.split("\n"))
            self.widths[col] = max(self.widths.get(col, 0), width)
            if width > self.max_width - 2 or "\n" in shown:
                self.long_text[col].append(cell)
        return cell

    def width(self, col: int) -> float:
        """The width column `col` gets: its content, within MIN_WIDTH and the sheet's max."""
        return min(max(self.widths.get(col, 0) + 2, MIN_WIDTH), self.max_width)

    def heading(self, title: str, subtitle: str | None = None) -> int:
        """Title (and subtitle) in the top rows; returns the first free row after a gap."""
        self.put(1, 1, " ".join(title.split()), measure=False).font = TITLE_FONT
        self.ws.row_dimensions[1].height = 24  # room for the larger title font
        if subtitle and subtitle.strip():
            # One line of running text: a line break in a cell that does not wrap is
            # drawn over the row above in LibreOffice.
            self.subtitle = self.put(2, 1, " ".join(subtitle.split()), measure=False)
            self.subtitle.font = SUBTITLE_FONT
        return 4

    def section(self, row: int, text: str) -> int:
        """A section heading over a stacked table; returns the table's header row."""
        self.put(row, 1, text, measure=False).font = SECTION_FONT
        return row + 1

    def table(
        self, top: int, left: int, cols: Sequence[Col], rows: Sequence[Sequence[Any]], name: str
    ) -> TablePlace:
        """Header, rows and an Excel Table over them; an empty table gets a `(none)` row."""
        headers = unique_headers([c.header for c in cols])
        for j, header in enumerate(headers):
            cell = self.put(top, left + j, header)
            cell.fill = HEADER_FILL
            cell.font = HEADER_FONT
            cell.alignment = HEADER_ALIGNMENT
            cell.border = CELL_BORDER
            # Room for the indent and the filter button Excel draws in the header cell.
            self.widths[left + j] = max(self.widths.get(left + j, 0), len(header) + 4)
        # Excel refuses a table with a header and no data row; say "(none)" instead.
        data = list(rows) or [[NONE_ROW] + [None] * (len(cols) - 1)]
        for i, values in enumerate(data, start=1):
            for j, (col, value) in enumerate(zip(cols, values, strict=True)):
                cell = self.put(top + i, left + j, value, col.fmt)
                cell.border = CELL_BORDER
                cell.alignment = TEXT_ALIGNMENT if cell.data_type == "s" else NUMBER_ALIGNMENT
        bottom = top + len(data)
        name = table_name(name, workbook_names(self.ws.parent))
        ref = f"{get_column_letter(left)}{top}:{get_column_letter(left + len(cols) - 1)}{bottom}"
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
        self.ws.add_table(table)
        return TablePlace(
            name=name,
            top=top,
            left=left,
            bottom=bottom,
            headers=tuple(headers),
            wanted=tuple(c.header for c in cols),
            empty=not rows,
        )

    def finish(self, *, freeze: str | None = None, print_rows: str | None = None) -> None:
        """Column widths from content, wrapped long text, frozen panes, print setup."""
        for col in self.widths:
            self.ws.column_dimensions[get_column_letter(col)].width = self.width(col)
        for col, cells in self.long_text.items():
            for cell in cells:
                cell.alignment = WRAP_ALIGNMENT
                self._fit_height(cell, self.width(col))
        if self.subtitle is not None:
            # A long subtitle wraps across the columns the sheet uses, not off the page.
            last = max(self.ws.max_column, 1)
            span = sum(self.width(c) if c in self.widths else 8.43 for c in range(1, last + 1))
            if len(self.subtitle.value) > span and last > 1:
                self.ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
                self.subtitle.alignment = WRAP_ALIGNMENT
                self._fit_height(self.subtitle, span)
        if freeze:
            self.ws.freeze_panes = freeze
        if print_rows:
            self.ws.print_title_rows = print_rows
        setup = self.ws.page_setup
        setup.orientation = "landscape"
        setup.fitToWidth = 1
        setup.fitToHeight = 0  # as many pages down as needed
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self.ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        self.ws.oddFooter.center.text = "&A, page &P of &N"

    def _fit_height(self, cell: Any, width: float) -> None:
        """Make the row tall enough for `cell`'s wrapped text in a column `width` wide."""
        # Neither LibreOffice nor Excel grows a row for wrapped text when opening a file.
        # A width unit is one "0"; running text averages narrower, hence the factor.
        chars = max(int((width - 1) * CHARS_PER_WIDTH), 1)
        lines = sum(max(1, math.ceil(len(p) / chars)) for p in str(cell.value).split("\n"))
        dim = self.ws.row_dimensions[cell.row]
        dim.height = max(dim.height or LINE_HEIGHT, LINE_HEIGHT * lines)


def unique_headers(wanted: Sequence[str]) -> list[str]:
    """Table headers as Excel requires them: non-empty text, unique ignoring case."""
    out: list[str] = []
    seen: set[str] = set()
    for header in wanted:
        base = clean_text(header).strip()[:250] or "Column"
        name, n = base, 1
        while name.lower() in seen:
            n += 1
            name = f"{base} ({n})"
        seen.add(name.lower())
        out.append(name)
    return out


def _shown_number(value: float, fmt: str | None) -> str:
    """Roughly what Excel shows for `value` in `fmt`, to size the column."""
    value = float(value)
    if fmt in (PERCENT_FORMAT, FIT_FORMAT):
        return f"{value * 100:.1f}%"
    if fmt == HOURS_FORMAT:
        return f"{value:,.1f} h"
    if fmt and fmt.startswith(('"', "#,##0 ")) and "0.0" not in fmt:  # currency
        return f"{value:,.0f} XXX"
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _fit_scale(ws: Worksheet, ref: str) -> None:
    """Fit coloured red (below 50%) through amber to green (100%)."""
    ws.conditional_formatting.add(ref, ColorScaleRule(**_FIT_RULE))


def _utilization_bars(ws: Worksheet, ref: str) -> None:
    """Utilization as data bars from 0 to a full seat."""
    ws.conditional_formatting.add(
        ref,
        DataBarRule(
            start_type="num",
            start_value=0,
            end_type="num",
            end_value=1,
            color="5B9BD5",
            showValue=True,
        ),
    )


def _heat_map(ws: Worksheet, ref: str, color: str = "F4B183") -> None:
    """White at zero, `color` at the largest value; blank cells stay blank."""
    ws.conditional_formatting.add(
        ref,
        ColorScaleRule(
            start_type="num", start_value=0, start_color="FFFFFF", end_type="max", end_color=color
        ),
    )


# ---- small helpers on the plan ---------------------------------------------------------


def _person(seat: Seat) -> str:
    """The person in a seat, or "Open requisition"."""
    return "Open requisition" if seat.open_req else seat.person


def _seat_type(seat: Seat) -> str:
    """Internal mover, external hire (named) or open requisition (still to be found)."""
    if seat.open_req:
        return "Open requisition"
    return "Internal" if seat.internal else "External"


def _level(value: float) -> str:
    """A level as people write it: 3, 3.5."""
    return f"{value:g}"


def _levels_text(levels: Mapping[str, float]) -> str:
    """`{domain: 3, business: 4}` as `domain 3, business 4`."""
    return ", ".join(f"{skill} {_level(v)}" for skill, v in levels.items())


def _money(value: float, currency: str) -> str:
    """An amount in running text: `140,000 USD`."""
    return f"{value:,.0f} {currency}"


def _names(plan: Plan) -> dict[str, str]:
    """Responsibility id -> display name, over owned and uncovered work."""
    names = {a.responsibility: a.name for a in plan.assignments}
    names.update({u.responsibility: u.name for u in plan.uncovered})
    return names


def _role_titles(plan: Plan, scenario: Scenario | None = None) -> dict[str, str]:
    """Role id -> title, from the scenario when there is one, else from the seats."""
    titles = {s.role: s.role_title for s in plan.seats}
    if scenario is not None:
        titles.update({rid: role.title or rid for rid, role in scenario.roles.items()})
    return titles


def plan_fingerprint(plan: Plan) -> str:
    """A short hash of the plan's content (its JSON less solve times): equal plans, equal hash.

    Shown on the Summary and in the workbook properties so a workbook can be matched to
    its plan JSON.
    """
    data = plan.to_json()
    data["solver"].pop("seconds", None)
    for stage in data["solver"].get("stages", []):
        stage.pop("seconds", None)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---- Team and Assignments: shared with `orgplan compare` -------------------------------


def add_team_sheet(
    wb: Workbook, plan: Plan, title: str = "Team", table_name: str = "Team"
) -> Worksheet:
    """Add a sheet with one row per seat of `plan` and return it.

    Columns: seat, role, role title, person (or "Open requisition"), candidate id,
    background, type (internal, external, open requisition), cost, hours, capacity,
    utilization (data bars), number of responsibilities, fit (colour scale) and the work
    owned. `title` and `table_name` are made valid and unique in `wb`, so a comparison
    can add one Team sheet per plan.
    """
    ws = wb.create_sheet(sheet_title(title, wb.sheetnames))
    sheet = _Sheet(ws)
    top = sheet.heading(
        f"Team: {plan.scenario}",
        f"Structure {plan.structure}: one row per seat; cost is annual ({plan.currency}), "
        "hours and capacity per week.",
    )
    cols = [
        Col("Seat"),
        Col("Role"),
        Col("Role title"),
        Col("Person"),
        Col("Candidate id"),
        Col("Background"),
        Col("Type"),
        Col("Cost", currency_format(plan.currency)),
        Col("Hours", HOURS_FORMAT),
        Col("Capacity", HOURS_FORMAT),
        Col("Utilization", PERCENT_FORMAT),
        Col("Responsibilities", INTEGER_FORMAT),
        Col("Fit", FIT_FORMAT),
        Col("Owns"),
    ]
    names = _names(plan)
    rows = [
        [
            s.seat,
            s.role,
            s.role_title,
            _person(s),
            s.candidate,
            s.background,
            _seat_type(s),
            s.cost,
            s.hours,
            s.capacity_hours,
            s.utilization,
            len(s.responsibilities),
            s.fit,
            ", ".join(names.get(r, r) for r in s.responsibilities),
        ]
        for s in plan.seats
    ]
    place = sheet.table(top, 1, cols, rows, table_name)
    _utilization_bars(ws, place.data_range("Utilization"))
    _fit_scale(ws, place.data_range("Fit"))
    sheet.finish(freeze=f"B{top + 1}", print_rows=f"{top}:{top}")
    return ws


def add_assignments_sheet(
    wb: Workbook, plan: Plan, title: str = "Assignments", table_name: str = "Assignments"
) -> Worksheet:
    """Add a sheet with one row per responsibility of `plan` and return it.

    Owned work first (product, responsibility, id, hours, priority, seat, person, role,
    fit, gaps), then uncovered work with status "Uncovered" and its reason, highlighted.
    `title` and `table_name` are made valid and unique in `wb`.
    """
    ws = wb.create_sheet(sheet_title(title, wb.sheetnames))
    sheet = _Sheet(ws)
    top = sheet.heading(
        f"Assignments: {plan.scenario}",
        f"Structure {plan.structure}: who owns each responsibility (hours per week), "
        "and the work no seat owns.",
    )
    cols = [
        Col("Product"),
        Col("Responsibility"),
        Col("Id"),
        Col("Hours", HOURS_FORMAT),
        Col("Priority"),
        Col("Seat"),
        Col("Person"),
        Col("Role"),
        Col("Fit", FIT_FORMAT),
        Col("Gaps"),
        Col("Status"),
        Col("Reason"),
    ]
    titles = _role_titles(plan)
    rows: list[list[Any]] = [
        [
            a.product,
            a.name,
            a.responsibility,
            a.hours,
            a.priority,
            a.seat,
            a.person if a.candidate is not None else "Open requisition",
            titles.get(a.role, a.role),
            a.fit,
            _levels_text(a.gaps),
            "Owned",
            None,
        ]
        for a in plan.assignments
    ]
    rows += [
        [
            u.product,
            u.name,
            u.responsibility,
            u.hours,
            u.priority,
            None,
            None,
            None,
            None,
            None,
            "Uncovered",
            u.reason,
        ]
        for u in plan.uncovered
    ]
    place = sheet.table(top, 1, cols, rows, table_name)
    _fit_scale(ws, place.data_range("Fit"))
    first_uncovered = top + 1 + len(plan.assignments)
    for row in range(first_uncovered, first_uncovered + len(plan.uncovered)):
        for col in (place.col("Status"), place.col("Reason")):
            ws.cell(row=row, column=col).fill = UNCOVERED_FILL
    sheet.finish(freeze=f"C{top + 1}", print_rows=f"{top}:{top}")
    return ws


# ---- the other sheets of the plan workbook ---------------------------------------------


def _add_matrix_sheet(wb: Workbook, plan: Plan) -> Worksheet:
    """Responsibilities x seats, hours heat-mapped, with totals, capacity and utilization."""
    ws = wb.create_sheet(sheet_title("Matrix", wb.sheetnames))
    sheet = _Sheet(ws)
    sheet.heading(
        f"Responsibilities by seat: {plan.scenario}",
        f"Structure {plan.structure}: hours per week of each responsibility in the seat "
        "that owns it.",
    )
    top = 5  # row 4 names the person in each seat column
    fixed = [Col("Product"), Col("Responsibility"), Col("Owner"), Col("Hours", HOURS_FORMAT)]
    seat_cols = [Col(s.seat, HOURS_FORMAT) for s in plan.seats]
    cols = [*fixed, *seat_cols, Col("Uncovered", HOURS_FORMAT)]
    index = {s.seat: i for i, s in enumerate(plan.seats)}
    rows: list[list[Any]] = []
    for a in plan.assignments:
        cells: list[Any] = [None] * (len(plan.seats) + 1)
        if a.seat in index:
            cells[index[a.seat]] = a.hours
        rows.append([a.product, a.name, a.seat, a.hours, *cells])
    for u in plan.uncovered:
        rows.append([u.product, u.name, None, u.hours, *([None] * len(plan.seats)), u.hours])
    sheet.put(top - 1, len(fixed), "Person:", measure=False).font = LABEL_FONT
    for i, s in enumerate(plan.seats):
        cell = sheet.put(top - 1, len(fixed) + 1 + i, _person(s), measure=False)
        cell.font = SUBTITLE_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    ws.row_dimensions[top - 1].height = 2 * LINE_HEIGHT  # names wrap onto two lines
    place = sheet.table(top, 1, cols, rows, "Matrix")
    if plan.seats:
        _heat_map(ws, place.data_range(plan.seats[0].seat, plan.seats[-1].seat))
    # Totals below the table, as values (no formulas: see the module docstring).
    row = place.bottom + 2
    labels = ("Total hours", "Capacity", "Utilization")
    for offset, label in enumerate(labels):
        sheet.put(row + offset, 2, label).font = LABEL_FONT
    hours_col = place.col("Hours")
    sheet.put(
        row,
        hours_col,
        sum(a.hours for a in plan.assignments) + sum(u.hours for u in plan.uncovered),
        HOURS_FORMAT,
    ).font = LABEL_FONT
    sheet.put(row + 1, hours_col, sum(s.capacity_hours for s in plan.seats), HOURS_FORMAT)
    for i, s in enumerate(plan.seats):
        col = len(fixed) + 1 + i
        sheet.put(row, col, s.hours, HOURS_FORMAT).font = LABEL_FONT
        sheet.put(row + 1, col, s.capacity_hours, HOURS_FORMAT)
        sheet.put(row + 2, col, s.utilization, PERCENT_FORMAT)
    uncovered_col = len(fixed) + len(plan.seats) + 1
    sheet.put(row, uncovered_col, sum(u.hours for u in plan.uncovered), HOURS_FORMAT)
    if plan.seats:
        first = get_column_letter(len(fixed) + 1)
        last = get_column_letter(len(fixed) + len(plan.seats))
        _utilization_bars(ws, f"{first}{row + 2}:{last}{row + 2}")
    sheet.finish(freeze=f"C{top + 1}", print_rows=f"{top - 1}:{top}")
    return ws


@dataclass
class SkillGap:
    """One skill an owner lacks, over every responsibility that needs it."""

    seat: Seat | None
    assignment: Assignment
    skill: str
    needed: float | None
    has: float | None
    gap: float
    resps: list[str]
    hours: float


def development_gaps(plan: Plan, scenario: Scenario) -> list[SkillGap]:
    """Every (owner, skill) shortfall, with the largest need and the work that needs it."""
    seats = {s.seat: s for s in plan.seats}
    by_key: dict[tuple[str, str], SkillGap] = {}
    for a in plan.assignments:
        try:
            needs = scenario.responsibility(a.responsibility).needs
        except KeyError:
            needs = {}
        for skill, short in a.gaps.items():
            need = needs.get(skill)
            has = None if need is None else need - short
            key = (a.seat, skill)
            found = by_key.get(key)
            if found is None:
                by_key[key] = SkillGap(
                    seats.get(a.seat), a, skill, need, has, short, [a.name], a.hours
                )
                continue
            found.resps.append(a.name)
            found.hours += a.hours
            if need is not None and (found.needed is None or need > found.needed):
                found.needed, found.has = need, has
            found.gap = max(found.gap, short)
    seat_order = {s.seat: i for i, s in enumerate(plan.seats)}
    skill_order = {skill: i for i, skill in enumerate(scenario.skills)}
    return sorted(
        by_key.values(),
        key=lambda g: (
            seat_order.get(g.assignment.seat, len(seat_order)),
            g.assignment.seat,
            skill_order.get(g.skill, len(skill_order)),
            g.skill,
        ),
    )


def _add_development_sheet(wb: Workbook, plan: Plan, scenario: Scenario) -> Worksheet:
    """Every skill gap of an owner: person, skill, needed, has, gap, for which work."""
    ws = wb.create_sheet(sheet_title("Development", wb.sheetnames))
    sheet = _Sheet(ws)
    top = sheet.heading(
        f"Development plan: {plan.scenario}",
        "Every skill an owner is short of (levels 0-5) for the work the plan gives them.",
    )
    cols = [
        Col("Person"),
        Col("Seat"),
        Col("Role"),
        Col("Skill"),
        Col("Needed", LEVEL_FORMAT),
        Col("Has", LEVEL_FORMAT),
        Col("Gap", LEVEL_FORMAT),
        Col("Hours affected", HOURS_FORMAT),
        Col("Responsibilities"),
    ]
    titles = _role_titles(plan, scenario)
    rows = []
    for g in development_gaps(plan, scenario):
        a = g.assignment
        person = _person(g.seat) if g.seat else a.person
        gap = g.gap if g.needed is None or g.has is None else g.needed - g.has
        rows.append(
            [
                person,
                a.seat,
                titles.get(a.role, a.role),
                g.skill,
                g.needed,
                g.has,
                gap,
                g.hours,
                ", ".join(g.resps),
            ]
        )
    place = sheet.table(top, 1, cols, rows, "Development")
    if rows:
        _heat_map(ws, place.data_range("Gap"))
    sheet.finish(freeze=f"B{top + 1}", print_rows=f"{top}:{top}")
    return ws


def _structure_roles(scenario: Scenario, structure: str) -> tuple[str, ...]:
    """Roles the plan's structure may seat (every role when it is not a named structure)."""
    shape = scenario.all_structures().get(structure)
    if shape is None:
        return tuple(scenario.roles)
    return tuple(r for r in scenario.roles if r in shape.roles and shape.roles[r] != 0)


@dataclass(frozen=True)
class Placement:
    """Where a candidate was placed, or the main reason they were not."""

    seat: Seat | None
    reason: str  # "" when placed; else excluded, role not accepted, floors, cost, not needed
    detail: str


def placement(candidate: Candidate, plan: Plan, scenario: Scenario) -> Placement:
    """Read off the plan why `candidate` holds no seat (the solver weighs all at once).

    - excluded: the scenario says never to place them;
    - role not accepted: none of the roles they would take is in this structure;
    - floors: they meet the floors of no role they would take (the closest is named);
    - cost: a seat they could hold went to someone who does its work no better, for less;
    - not needed: every seat they could hold went to someone who fits its work better,
      or the plan has no such seat.
    """
    for seat in plan.seats:
        if seat.candidate == candidate.id:
            return Placement(seat, "", f"{seat.seat} ({seat.role_title})")
    if candidate.exclude:
        return Placement(None, "excluded", "exclude: true in the scenario")
    levels = candidate_levels(candidate, scenario)
    structure_roles = _structure_roles(scenario, plan.structure)
    accepted = candidate.roles if candidate.roles is not None else tuple(scenario.roles)
    offered = [r for r in structure_roles if r in accepted]
    if not offered:
        return Placement(
            None,
            "role not accepted",
            f"would take {', '.join(accepted)}; structure {plan.structure} seats "
            f"{', '.join(structure_roles) or 'no role'}",
        )
    holdable = [r for r in offered if meets_floors(levels, scenario.roles[r].floors)]
    if not holdable:
        closest = max(offered, key=lambda r: role_fit(levels, scenario.roles[r]))
        floors = scenario.roles[closest].floors
        below = ", ".join(
            f"{skill} {_level(levels.get(skill, 0.0))} < {_level(floors[skill])}"
            for skill in gaps(levels, floors)
        )
        return Placement(None, "floors", f"{closest}: {below}")
    seats = [s for s in plan.seats if s.role in holdable]
    if not seats:
        return Placement(None, "not needed", f"the plan has no {' or '.join(holdable)} seat")
    work: dict[str, list[Assignment]] = defaultdict(list)
    for a in plan.assignments:
        work[a.seat].append(a)
    max_gap = scenario.policy.max_skill_gap
    best: tuple[float, Seat, float, float] | None = None
    nearest: tuple[float, Seat] | None = None  # the seat whose work they would do best
    for seat in seats:
        role = scenario.roles[seat.role]
        own = work[seat.seat]
        if not own or role.capacity * candidate.availability + EPS < seat.hours:
            continue
        try:
            needs = [scenario.responsibility(a.responsibility).needs for a in own]
        except KeyError:
            continue
        if not all(is_eligible(levels, n, max_gap) for n in needs):
            continue
        hours = sum(a.hours for a in own)
        their_fit = sum(a.hours * fit(levels, n) for a, n in zip(own, needs, strict=True)) / hours
        cost = candidate_cost(candidate, role)
        if nearest is None or their_fit > nearest[0] + EPS:
            nearest = (their_fit, seat)
        if their_fit + EPS >= seat.fit and cost > seat.cost + EPS:
            margin = their_fit - seat.fit
            if best is None or margin > best[0]:
                best = (margin, seat, their_fit, cost)
    if best is not None:
        _, seat, their_fit, cost = best
        return Placement(
            None,
            "cost",
            f"{seat.seat} went to {_person(seat)} at {_money(seat.cost, plan.currency)} and "
            f"{seat.fit:.0%} fit; {candidate.label} would cost "
            f"{_money(cost, plan.currency)} at {their_fit:.0%}",
        )
    roles = " and ".join(holdable)
    if nearest is None:
        return Placement(
            None,
            "not needed",
            f"cannot take on the work of the plan's {roles} seats within the allowed "
            "skill gap and hours",
        )
    their_fit, seat = nearest
    return Placement(
        None,
        "not needed",
        f"{seat.seat} went to {_person(seat)} at {seat.fit:.0%} fit; {candidate.label} "
        f"would fit its work {their_fit:.0%}",
    )


def _add_candidate_fit_sheet(wb: Workbook, plan: Plan, scenario: Scenario) -> Worksheet:
    """Every candidate x role fit, heat-mapped, where they were placed, or why not."""
    ws = wb.create_sheet(sheet_title("Candidate fit", wb.sheetnames))
    sheet = _Sheet(ws)
    top = sheet.heading(
        f"Candidate fit: {plan.scenario}",
        "Fit for a role is the share of its floors a candidate meets; a seat needs every "
        "floor met. Reasons are read off the plan.",
    )
    role_ids = list(scenario.roles)
    cols = [
        Col("Candidate"),
        Col("Id"),
        Col("Background"),
        Col("Internal"),
        Col("Cost", currency_format(plan.currency)),
        *[Col(f"{rid} fit", FIT_FORMAT) for rid in role_ids],
        Col("Can hold"),
        Col("Placed in"),
        Col("Placed as"),
        Col("Reason"),
        Col("Detail"),
    ]
    structure_roles = _structure_roles(scenario, plan.structure)
    titles = _role_titles(plan, scenario)
    rows = []
    for cand in scenario.candidates:
        levels = candidate_levels(cand, scenario)
        accepted = cand.roles if cand.roles is not None else tuple(scenario.roles)
        holdable = [
            r
            for r in structure_roles
            if r in accepted and meets_floors(levels, scenario.roles[r].floors)
        ]
        where = placement(cand, plan, scenario)
        rows.append(
            [
                cand.label,
                cand.id,
                cand.background,
                cand.internal,
                cand.cost,
                *[role_fit(levels, scenario.roles[r]) for r in role_ids],
                ", ".join(holdable) if not cand.exclude else None,
                where.seat.seat if where.seat else None,
                titles.get(where.seat.role, where.seat.role) if where.seat else None,
                where.reason or None,
                where.detail if where.seat is None else None,
            ]
        )
    place = sheet.table(top, 1, cols, rows, "CandidateFit")
    if role_ids and rows:
        _fit_scale(ws, place.data_range(f"{role_ids[0]} fit", f"{role_ids[-1]} fit"))
    sheet.finish(freeze=f"C{top + 1}", print_rows=f"{top}:{top}")
    return ws


def coordination_graph(plan: Plan) -> nx.Graph:
    """Seats as nodes, an edge per pair of seats with split couplings between them.

    An edge's `weight` is the handoff cost summed over those couplings and `couplings`
    lists them; a coupling with an uncovered end is no seat-to-seat load and is left out.
    """
    graph = nx.Graph()
    graph.add_nodes_from(s.seat for s in plan.seats)
    for h in plan.handoffs:
        a, b = h.seats
        if a is None or b is None or a == b:
            continue
        if graph.has_edge(a, b):
            graph[a][b]["weight"] += h.cost
            graph[a][b]["couplings"].append(h.between)
        else:
            graph.add_edge(a, b, weight=h.cost, couplings=[h.between])
    return graph


def _add_handoffs_sheet(wb: Workbook, plan: Plan) -> Worksheet:
    """Split couplings, the seat pairs they tie together, and each seat's load."""
    ws = wb.create_sheet(sheet_title("Handoffs", wb.sheetnames))
    sheet = _Sheet(ws)
    row = sheet.heading(
        f"Handoffs: {plan.scenario}",
        "Coupled work owned by different seats costs a handoff; the load is the handoff "
        "cost a seat shares with others.",
    )
    names = _names(plan)
    persons = {s.seat: _person(s) for s in plan.seats}

    def seat_of(seat: str | None) -> str:
        return seat if seat is not None else "(uncovered)"

    split_rows = [
        [
            names.get(h.between[0], h.between[0]),
            seat_of(h.seats[0]),
            persons.get(h.seats[0] or "", None),
            names.get(h.between[1], h.between[1]),
            seat_of(h.seats[1]),
            persons.get(h.seats[1] or "", None),
            h.cost,
        ]
        for h in plan.handoffs
    ]
    row = sheet.section(row, "Coupled responsibilities split between seats")
    place = sheet.table(
        row,
        1,
        [
            Col("Responsibility A"),
            Col("Seat A"),
            Col("Person A"),
            Col("Responsibility B"),
            Col("Seat B"),
            Col("Person B"),
            Col("Handoff cost"),
        ],
        split_rows,
        "SplitCouplings",
    )
    if split_rows:
        _heat_map(ws, place.data_range("Handoff cost"))

    graph = coordination_graph(plan)
    order = {s.seat: i for i, s in enumerate(plan.seats)}
    edges = sorted(
        ((a, b) if order[a] <= order[b] else (b, a) for a, b in graph.edges),
        key=lambda e: (-graph.edges[e]["weight"], order[e[0]], order[e[1]]),
    )
    pair_rows = [
        [
            a,
            persons[a],
            b,
            persons[b],
            graph.edges[a, b]["weight"],
            len(graph.edges[a, b]["couplings"]),
            "; ".join(
                f"{names.get(x, x)} / {names.get(y, y)}" for x, y in graph.edges[a, b]["couplings"]
            ),
        ]
        for a, b in edges
    ]
    row = sheet.section(place.bottom + 2, "Seat-to-seat coordination load")
    place = sheet.table(
        row,
        1,
        [
            Col("Seat A"),
            Col("Person A"),
            Col("Seat B"),
            Col("Person B"),
            Col("Handoff cost"),
            Col("Couplings", INTEGER_FORMAT),
            Col("Which"),
        ],
        pair_rows,
        "SeatPairs",
    )
    if pair_rows:
        _heat_map(ws, place.data_range("Handoff cost"))

    total = sum(h.cost for h in plan.handoffs)
    load_rows = [
        [
            s.seat,
            persons[s.seat],
            s.role_title,
            graph.degree(s.seat, weight="weight"),
            graph.degree(s.seat),
            (graph.degree(s.seat, weight="weight") / total) if total else 0.0,
        ]
        for s in plan.seats
    ]
    row = sheet.section(place.bottom + 2, "Coordination load per seat")
    place = sheet.table(
        row,
        1,
        [
            Col("Seat"),
            Col("Person"),
            Col("Role"),
            Col("Coordination load"),
            Col("Partner seats", INTEGER_FORMAT),
            Col("Share of handoff cost", PERCENT_FORMAT),
        ],
        load_rows,
        "SeatLoad",
    )
    if load_rows:
        _heat_map(ws, place.data_range("Coordination load"))
    sheet.finish()
    return ws


def _add_inputs_sheet(wb: Workbook, plan: Plan, scenario: Scenario) -> Worksheet:
    """The scenario as loaded: roles, responsibilities, couplings, candidates, limits."""
    ws = wb.create_sheet(sheet_title("Inputs", wb.sheetnames))
    # Narrower columns (long lists wrap): this sheet is wide, and prints to one page across.
    sheet = _Sheet(ws, max_width=40)
    row = sheet.heading(
        f"Inputs: {scenario.name}",
        "The scenario as the planner read it; candidates' levels are their skills, else "
        "their background's, else 0.",
    )
    money = currency_format(scenario.currency)
    structure_roles = _structure_roles(scenario, plan.structure)
    row = sheet.section(row, "Roles")
    place = sheet.table(
        row,
        1,
        [
            Col("Role"),
            Col("Title"),
            Col("Floors"),
            Col("Hire profile"),
            Col("Cost", money),
            Col("Capacity", HOURS_FORMAT),
            Col("Max responsibilities", INTEGER_FORMAT),
            Col("Open reqs", INTEGER_FORMAT),
            Col("In structure"),
        ],
        [
            [
                rid,
                role.title or rid,
                _levels_text(role.floors),
                _levels_text(role.profile()),
                role.cost,
                role.capacity,
                role.max_responsibilities,
                role.open_reqs,
                rid in structure_roles,
            ]
            for rid, role in scenario.roles.items()
        ],
        "InputRoles",
    )

    row = sheet.section(place.bottom + 2, "Responsibilities")
    place = sheet.table(
        row,
        1,
        [
            Col("Id"),
            Col("Name"),
            Col("Needs"),
            Col("Roles"),
            Col("Product"),
            Col("Hours", HOURS_FORMAT),
            Col("Priority"),
        ],
        [
            [
                r.id,
                r.label,
                _levels_text(r.needs),
                ", ".join(r.roles) if r.roles is not None else "any",
                r.product,
                r.hours,
                r.priority,
            ]
            for r in scenario.responsibilities
        ],
        "InputResponsibilities",
    )

    row = sheet.section(place.bottom + 2, "Couplings")
    place = sheet.table(
        row,
        1,
        [
            Col("Responsibility A"),
            Col("Responsibility B"),
            Col("Handoff cost"),
        ],
        [[c.between[0], c.between[1], c.cost] for c in scenario.couplings],
        "InputCouplings",
    )

    row = sheet.section(place.bottom + 2, "Candidates")
    skills = list(scenario.skills)
    cand_rows = []
    for c in scenario.candidates:
        levels = candidate_levels(c, scenario)
        cand_rows.append(
            [
                c.id,
                c.label,
                c.background,
                ", ".join(c.roles) if c.roles is not None else "any",
                c.internal,
                c.availability,
                c.cost,
                c.fixed_role,
                c.exclude,
                *[levels[s] for s in skills],
            ]
        )
    place = sheet.table(
        row,
        1,
        [
            Col("Id"),
            Col("Name"),
            Col("Background"),
            Col("Roles"),
            Col("Internal"),
            Col("Availability", FIT_FORMAT),
            Col("Cost", money),
            Col("Fixed role"),
            Col("Excluded"),
            *[Col(s, LEVEL_FORMAT) for s in skills],
        ],
        cand_rows,
        "InputCandidates",
    )
    if cand_rows and skills:
        _heat_map(ws, place.data_range(skills[0], skills[-1]), color="9BC2E6")

    policy = scenario.policy
    row = sheet.section(place.bottom + 2, "Policy")
    place = sheet.table(
        row,
        1,
        [Col("Setting"), Col("Value")],
        [
            ["currency", scenario.currency],
            [
                "budget",
                _money(policy.budget, scenario.currency) if policy.budget is not None else "none",
            ],
            ["max_headcount", policy.max_headcount if policy.max_headcount is not None else "none"],
            ["max_skill_gap", policy.max_skill_gap],
            ["coverage", policy.coverage],
            [
                "max_products_per_seat",
                policy.max_products_per_seat
                if policy.max_products_per_seat is not None
                else "none",
            ],
        ],
        "InputPolicy",
    )

    row = sheet.section(place.bottom + 2, "Structures")
    structure_rows = []
    for name, shape in scenario.all_structures().items():
        caps = ", ".join(
            f"{r} {n}" if n is not None else f"{r} any" for r, n in shape.roles.items()
        )
        structure_rows.append(
            [
                name,
                caps,
                _override(shape, "max_responsibilities"),
                _override(shape, "budget"),
                _override(shape, "max_headcount"),
                name == plan.structure,
            ]
        )
    sheet.table(
        row,
        1,
        [
            Col("Structure"),
            Col("Seats"),
            Col("Max responsibilities"),
            Col("Budget"),
            Col("Max headcount"),
            Col("This plan"),
        ],
        structure_rows,
        "InputStructures",
    )
    sheet.finish()
    return ws


def _override(shape: Any, key: str) -> str:
    """What a structure says about `key`: a value, "none" (lifted) or "inherits"."""
    if not shape.overrides(key):
        return "inherits"
    value = getattr(shape, key)
    return "none" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _fill_summary(
    ws: Worksheet, plan: Plan, scenario: Scenario, team: Worksheet, stamp: datetime | None
) -> None:
    """The Summary: about, contents, key figures, headcount by role, uncovered, chart."""
    sheet = _Sheet(ws)
    row = sheet.heading(f"Staffing plan: {plan.scenario}", scenario.description)
    k = plan.kpis
    money = currency_format(plan.currency)
    shape = scenario.all_structures().get(plan.structure)
    budget = scenario.policy.budget
    max_headcount = scenario.policy.max_headcount
    if shape is not None and shape.overrides("budget"):
        budget = shape.budget
    if shape is not None and shape.overrides("max_headcount"):
        max_headcount = shape.max_headcount

    row = sheet.section(row, "About this plan")
    place = sheet.table(
        row,
        1,
        [Col("Item"), Col("Value")],
        [
            ["Scenario", plan.scenario],
            ["Structure", plan.structure],
            ["Solver", plan.solver.name],
            ["Status", plan.solver.status.value],
            ["Optimality gap", _gap_text(plan.solver.gap)],
            [
                "Generated at",
                stamp.strftime("%Y-%m-%d %H:%M UTC")
                if stamp
                else "not stamped (reproducible file; see SOURCE_DATE_EPOCH)",
            ],
            ["Currency", plan.currency],
            ["Plan fingerprint", plan_fingerprint(plan)],
            ["Written by", f"orgplan {__version__}"],
        ],
        "About",
    )

    row = sheet.section(place.bottom + 2, "Sheets")
    place = sheet.table(
        row,
        1,
        [Col("Sheet"), Col("What it holds")],
        [[Link(title, title), what] for title, what in SHEETS[1:]],
        "Contents",
    )

    row = sheet.section(place.bottom + 2, "Key figures")
    figures: list[list[Any]] = [
        ["Headcount (seats)", k.headcount, INTEGER_FORMAT],
        ["Internal movers", k.internal, INTEGER_FORMAT],
        ["External hires (named)", k.external, INTEGER_FORMAT],
        ["Open requisitions", k.open_reqs, INTEGER_FORMAT],
        ["Total annual cost", k.total_cost, money],
        ["Budget", budget if budget is not None else "none", money],
        ["Max headcount", max_headcount if max_headcount is not None else "none", INTEGER_FORMAT],
        ["Work (hours per week)", k.total_hours, HOURS_FORMAT],
        ["Covered hours", k.covered_hours, HOURS_FORMAT],
        ["Coverage", k.coverage, PERCENT_FORMAT],
        [
            "Priority-weighted coverage",
            k.covered_priority_hours / k.total_priority_hours if k.total_priority_hours else 1.0,
            PERCENT_FORMAT,
        ],
        ["Fit (hours-weighted)", k.mean_fit, PERCENT_FORMAT],
        ["Mean utilization", k.mean_utilization, PERCENT_FORMAT],
        ["Max utilization", k.max_utilization, PERCENT_FORMAT],
        ["Handoff cost", k.handoff_cost, "General"],
        ["Split couplings", len(plan.handoffs), INTEGER_FORMAT],
        ["Skill gaps", k.skill_gaps, INTEGER_FORMAT],
        ["Uncovered responsibilities", len(plan.uncovered), INTEGER_FORMAT],
        ["Quality (hours x fit less handoffs)", k.quality, NUMBER_FORMAT],
    ]
    place = sheet.table(
        row,
        1,
        [Col("Figure"), Col("Value")],
        [[label, value] for label, value, _ in figures],
        "KeyFigures",
    )
    for i, (_, value, fmt) in enumerate(figures, start=1):
        if isinstance(value, int | float):
            ws.cell(row=place.top + i, column=2).number_format = fmt
            sheet.widths[2] = max(sheet.widths.get(2, 0), len(_shown_number(value, fmt)))
    at = {label: place.top + i for i, (label, _, _) in enumerate(figures, start=1)}
    _fit_scale(ws, f"B{at['Coverage']}:B{at['Fit (hours-weighted)']}")
    _utilization_bars(ws, f"B{at['Mean utilization']}:B{at['Max utilization']}")

    row = sheet.section(place.bottom + 2, "Headcount by role")
    by_role = []
    titles = _role_titles(plan, scenario)
    for rid, count in k.headcount_by_role.items():
        seats = [s for s in plan.seats if s.role == rid]
        by_role.append(
            [
                rid,
                titles.get(rid, rid),
                count,
                sum(1 for s in seats if not s.open_req and s.internal),
                sum(1 for s in seats if not s.open_req and not s.internal),
                sum(1 for s in seats if s.open_req),
                sum(s.cost for s in seats),
                sum(s.hours for s in seats),
                sum(s.capacity_hours for s in seats),
            ]
        )
    place = sheet.table(
        row,
        1,
        [
            Col("Role"),
            Col("Title"),
            Col("Seats", INTEGER_FORMAT),
            Col("Internal", INTEGER_FORMAT),
            Col("External", INTEGER_FORMAT),
            Col("Open reqs", INTEGER_FORMAT),
            Col("Cost", money),
            Col("Hours", HOURS_FORMAT),
            Col("Capacity", HOURS_FORMAT),
        ],
        by_role,
        "HeadcountByRole",
    )

    row = sheet.section(place.bottom + 2, "Uncovered work")
    place = sheet.table(
        row,
        1,
        [
            Col("Responsibility"),
            Col("Reason"),
            Col("Product"),
            Col("Hours", HOURS_FORMAT),
            Col("Priority"),
        ],
        [[u.name, u.reason, u.product, u.hours, u.priority] for u in plan.uncovered],
        "UncoveredWork",
    )

    if plan.solver.stages:
        row = sheet.section(place.bottom + 2, "Solver stages (in priority order)")
        place = sheet.table(
            row,
            1,
            [
                Col("Objective"),
                Col("Status"),
                Col("Value", NUMBER_FORMAT),
                Col("Gap"),
            ],
            [[s.objective, s.status.value, s.value, _gap_text(s.gap)] for s in plan.solver.stages],
            "SolverStages",
        )

    if plan.notes:
        row = sheet.section(place.bottom + 2, "Notes")
        place = sheet.table(
            row,
            1,
            [Col("#", INTEGER_FORMAT), Col("Note")],
            [[i, n] for i, n in enumerate(plan.notes, start=1)],
            "Notes",
        )

    if plan.seats:
        row = sheet.section(place.bottom + 2, "Hours against capacity per seat")
        ws.add_chart(_capacity_chart(team, len(plan.seats)), f"A{row}")
    sheet.finish()


def _gap_text(gap: float | None) -> str:
    """A solver gap for people: `0.00%`, or `n/a` when the solver reported none."""
    return "n/a" if gap is None else f"{gap:.2%}"


def _capacity_chart(team: Worksheet, seats: int) -> BarChart:
    """Bars of hours and capacity per seat, read from the Team sheet's table."""
    place = next(iter(team.tables.values()))
    min_col, min_row, max_col, max_row = _bounds(place.ref)
    headers = [team.cell(row=min_row, column=c).value for c in range(min_col, max_col + 1)]
    hours = min_col + headers.index("Hours")
    chart = BarChart()
    chart.type = "bar"  # horizontal: seat names read left to right
    chart.grouping = "clustered"
    chart.title = "Hours against capacity per seat"
    chart.y_axis.title = "hours per week"
    chart.y_axis.numFmt = "0"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # first seat on top, as in the Team sheet
    # openpyxl 3.1 marks axes deleted by default; Excel then draws no labels.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    data = Reference(team, min_col=hours, max_col=hours + 1, min_row=min_row, max_row=max_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(team, min_col=min_col, min_row=min_row + 1, max_row=max_row))
    chart.legend.position = "b"
    chart.width = 20
    chart.height = max(7.5, 0.7 * seats + 3)
    return chart


def _bounds(ref: str) -> tuple[int, int, int, int]:
    """`A4:N9` as (min_col, min_row, max_col, max_row)."""
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return int(min_col or 1), int(min_row or 1), int(max_col or 1), int(max_row or 1)


# ---- the workbook and its deterministic, atomic save -----------------------------------


def new_workbook() -> Workbook:
    """An empty workbook (no default sheet) for the sheet builders."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def build_plan_workbook(
    plan: Plan, scenario: Scenario, *, generated_at: datetime | None = None
) -> Workbook:
    """The plan workbook in memory: every sheet of `SHEETS`, in that order.

    `generated_at` is shown on the Summary as given (see `resolve_generated_at` for the
    default that `write_plan_workbook` applies).
    """
    wb = new_workbook()
    summary = wb.create_sheet("Summary")
    team = add_team_sheet(wb, plan, "Team", "Team")
    add_assignments_sheet(wb, plan, "Assignments", "Assignments")
    _add_matrix_sheet(wb, plan)
    _add_development_sheet(wb, plan, scenario)
    _add_candidate_fit_sheet(wb, plan, scenario)
    _add_handoffs_sheet(wb, plan)
    _add_inputs_sheet(wb, plan, scenario)
    _fill_summary(summary, plan, scenario, team, generated_at)
    wb.active = 0
    props = wb.properties
    props.title = clean_text(f"Staffing plan: {plan.scenario} ({plan.structure})")
    props.subject = clean_text(scenario.description or plan.scenario)
    props.keywords = "orgplan, staffing plan"
    props.identifier = plan_fingerprint(plan)
    return wb


def resolve_generated_at(generated_at: datetime | None = None) -> datetime | None:
    """The time to stamp: `generated_at`, else `SOURCE_DATE_EPOCH`, else none (unstamped).

    A naive `generated_at` is taken as UTC. The result is UTC, to the second.
    """
    if generated_at is not None:
        stamp = generated_at if generated_at.tzinfo else generated_at.replace(tzinfo=UTC)
        return stamp.astimezone(UTC).replace(microsecond=0)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            return None  # a malformed value stamps nothing rather than failing the write
    return None


def workbook_bytes(wb: Workbook, *, timestamp: datetime | None = None) -> bytes:
    """The .xlsx bytes of `wb`, identical for identical content and `timestamp`.

    The document properties get `timestamp` (default `FIXED_TIMESTAMP`) as created and
    modified time and "orgplan" as creator; the zip is rewritten with that time on every
    entry (clamped to 1980-2107, what a zip can hold), `[Content_Types].xml` first and the
    rest sorted by name, with fixed compression and permissions.
    """
    stamp = (timestamp or FIXED_TIMESTAMP).astimezone(UTC)
    naive = stamp.replace(tzinfo=None)  # openpyxl writes these as UTC without an offset
    props = wb.properties
    props.creator = "orgplan"
    props.lastModifiedBy = "orgplan"
    props.created = naive
    props.modified = naive
    for ws in wb.worksheets:
        # openpyxl learns this while writing a sheet and would write it into the next
        # save of the same workbook; reset it so every save of `wb` is the same.
        ws.column_dimensions.max_outline = None
    raw = BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook stamps `modified` with the clock.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return _normalised_zip(raw.getvalue(), naive)


def _normalised_zip(data: bytes, stamp: datetime) -> bytes:
    """The zip `data` with fixed entry times, order, compression and permissions."""
    year = min(max(stamp.year, 1980), 2107)
    date_time = (year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    if year != stamp.year:
        date_time = (year, 1, 1, 0, 0, 0)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        # Content types first: some tools sniff the first entry to recognise OOXML.
        names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform that writes it
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def save_workbook(
    wb: Workbook, path: str | Path, *, force: bool = False, timestamp: datetime | None = None
) -> Path:
    """Write `wb` to `path` whole or not at all, byte-identical for identical content.

    Raises `OutputExists` when `path` exists and `force` is false (before any work), and
    `UsageError` when it is a directory. The bytes are built in memory, written to a
    temporary file beside `path` and renamed onto it, so a failure leaves `path` as it
    was and no temporary file behind. Returns `path`.
    """
    target = Path(path)
    files.check_writable(target, force=force)
    data = workbook_bytes(wb, timestamp=timestamp)
    files.write_bytes(target, data, force=force)
    return target


def write_plan_workbook(
    plan: Plan,
    scenario: Scenario,
    path: Path,
    *,
    force: bool = False,
    generated_at: datetime | None = None,
) -> Path:
    """Write the Excel staffing plan of `plan` (solved from `scenario`) to `path`.

    The workbook holds the sheets of `SHEETS` (see the module docstring). It is written
    whole or not at all; an existing `path` raises `orgplan.errors.OutputExists` unless
    `force`. The same plan and scenario give a byte-identical file: `generated_at`
    (default: `SOURCE_DATE_EPOCH` when set, else none) is the only time in it, and the
    solver's run time is left out. Returns `path`.
    """
    target = Path(path)
    files.check_writable(target, force=force)  # refuse before building anything
    stamp = resolve_generated_at(generated_at)
    wb = build_plan_workbook(plan, scenario, generated_at=stamp)
    return save_workbook(wb, target, force=force, timestamp=stamp)
