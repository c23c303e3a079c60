"""Writing one worksheet: safe cells, styled Excel Tables, headings, widths and print setup.

Every dataset is an Excel Table (filterable, valid unique name) with explicit header
styling, because LibreOffice does not draw table styles. No cell is a formula: totals
are computed by the caller, so a workbook reads the same in tools that do not
recalculate (pandas, viewers). Text goes through `text.set_text`: it stays literal.

A `Layout` says how a sheet looks. `REPORT` is the plan workbook's (and the Team and
Assignments sheets a comparison adds): columns as wide as their content, cells hanging
from the top and narrow margins. `GRID` is the compact look the Comparison and Sweep
sheets have always had (widths set by the caller, no cell alignment, tall header rows);
moving them to the report look is a change of this one value.

Every sheet prints landscape with a "sheet, page n of m" footer, and no smaller than 70%:
when its columns are too wide for one page across at 75%, the widest are narrowed (their
text wraps, rows grow) down to what their numbers and header words need; a sheet still
too wide prints at 75% over pages across, its first column repeated (`finish`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from orgplan.reports.excel.toolkit.styles import (
    CELL_BORDER,
    GRID_SECTION_FONT,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    LINK_FONT,
    NUMBER_ALIGNMENT,
    SECTION_FONT,
    SUBTITLE_FONT,
    TABLE_STYLE,
    TEXT_ALIGNMENT,
    TITLE_FONT,
    WRAP_ALIGNMENT,
    shown_number,
)
from orgplan.reports.excel.toolkit.text import set_text, table_name, unique_headers, workbook_names

MAX_WIDTH = 60
# What one landscape page holds across, in pixels of column width, at the smallest print
# scale a sheet may have: US Letter (the narrower of Letter and A4), 0.4" side margins,
# at 75% (a margin over the 70% floor), 96 pixels an inch. A column `w` wide is 7w + 5 px.
PRINT_SCALE = 0.75
PAGE_WIDTH_PX = (11 - 2 * 0.4) / PRINT_SCALE * 96
MIN_PRINT_SCALE = 0.70  # no sheet prints smaller
MIN_PAGE_WIDTH_PX = (11 - 2 * 0.4) / MIN_PRINT_SCALE * 96
MIN_WRAP_WIDTH = 14  # text columns are narrowed to fit the page down to this, no further
WIDE_TEXT_CAP = 40  # a text column of a sheet printed over pages across
LINE_HEIGHT = 15  # points per line of 11-point text
CHARS_PER_WIDTH = 1.15  # characters of running text per unit of column width
NONE_ROW = "(none)"


@dataclass(frozen=True)
class Layout:
    """How a sheet's tables and pages look (see the module docstring)."""

    min_width: float  # no column narrower than this
    align_cells: bool  # data cells hang from the top, text indented off the numbers
    header_height: float | None  # a fixed height for a table's header row
    page_frame: bool  # narrow margins (every sheet has the page footer)
    section_font: Font


REPORT = Layout(
    min_width=6, align_cells=True, header_height=None, page_frame=True, section_font=SECTION_FONT
)
GRID = Layout(
    min_width=8,
    align_cells=False,
    header_height=30,
    page_frame=False,
    section_font=GRID_SECTION_FONT,
)


@dataclass(frozen=True)
class Link:
    """A cell value that links to the top of another sheet in the workbook."""

    text: str
    sheet: str


@dataclass(frozen=True)
class Formatted:
    """A cell value with its own number format, over its column's."""

    value: Any
    fmt: str | None


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


class Sheet:
    """Writes safe cells and styled tables on one worksheet, tracking column widths."""

    def __init__(self, ws: Worksheet, max_width: int = MAX_WIDTH, layout: Layout = REPORT) -> None:
        self.ws = ws
        self.max_width = max_width
        self.layout = layout
        self.widths: dict[int, float] = {}
        self.long_text: dict[int, list[Any]] = defaultdict(list)
        self.subtitle: Any = None
        self.paragraphs: list[tuple[Any, int]] = []
        # every measured text cell by column, with the length of its longest line
        self.texts: dict[int, list[tuple[Any, int]]] = defaultdict(list)
        self.caps: dict[int, float] = {}  # columns narrowed to fit the page across
        self.numbers: dict[int, int] = {}  # the widest number shown in each column
        self.header_words: dict[int, int] = {}  # the longest word of each column's header

    def put(
        self, row: int, col: int, value: Any, fmt: str | None = None, *, measure: bool = True
    ) -> Any:
        """Write one value: text literal, numbers with `fmt`, booleans as Yes/No."""
        cell = self.ws.cell(row=row, column=col)
        if isinstance(value, Formatted):
            value, fmt = value.value, value.fmt
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
                shown = shown_number(float(value), fmt)
        elif value is not None:
            set_text(cell, value if isinstance(value, str) else str(value))
            shown = cell.value
        if measure and shown:
            self._measure(cell, shown)
        return cell

    def _measure(self, cell: Any, shown: str) -> None:
        """Widen the cell's column for `shown`; note text that will need wrapping."""
        width = max(len(line) for line in shown.split("\n"))
        self.widths[cell.column] = max(self.widths.get(cell.column, 0), width)
        if cell.data_type == "s":
            self.texts[cell.column].append((cell, width))
        else:
            self.numbers[cell.column] = max(self.numbers.get(cell.column, 0), width)
        if width > self.max_width - 2 or "\n" in shown:
            self.long_text[cell.column].append(cell)

    def width(self, col: int) -> float:
        """The width column `col` gets: its content, within the layout's and sheet's limits."""
        wide = min(max(self.widths.get(col, 0) + 2, self.layout.min_width), self.max_width)
        return min(wide, self.caps.get(col, wide))

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

    def lines(self, row: int, lines: Sequence[tuple[str, Font]]) -> None:
        """Lines of text from `row` down in column A, each in its font, as given."""
        for at, (text, font) in enumerate(lines, start=row):
            self.put(at, 1, text, measure=False).font = font

    def paragraph(self, row: int, text: str, last_col: int, font: Font | None = None) -> Any:
        """Running text in column A of `row`, wrapped across columns A to `last_col` (merged
        and made tall enough when the sheet is finished, once its widths are known)."""
        cell = self.put(row, 1, " ".join(text.split()), measure=False)
        if font is not None:
            cell.font = font
        self.paragraphs.append((cell, last_col))
        return cell

    def section(self, row: int, text: str) -> int:
        """A section heading over a stacked table; returns the table's header row."""
        self.put(row, 1, text, measure=False).font = self.layout.section_font
        return row + 1

    def titled_table(
        self, row: int, title: str, cols: Sequence[Col], rows: Sequence[Sequence[Any]], name: str
    ) -> TablePlace:
        """A section heading at `row` and a table under it, in column A."""
        return self.table(self.section(row, title), 1, cols, rows, name)

    def table(
        self, top: int, left: int, cols: Sequence[Col], rows: Sequence[Sequence[Any]], name: str
    ) -> TablePlace:
        """Header, rows and an Excel Table over them; an empty table gets a `(none)` row."""
        headers = unique_headers([c.header for c in cols])
        self._header_row(top, left, headers)
        # Excel refuses a table with a header and no data row; say "(none)" instead.
        data = list(rows) or [[NONE_ROW] + [None] * (len(cols) - 1)]
        for i, values in enumerate(data, start=1):
            for j, (col, value) in enumerate(zip(cols, values, strict=True)):
                cell = self.put(top + i, left + j, value, col.fmt)
                cell.border = CELL_BORDER
                if self.layout.align_cells:
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

    def _header_row(self, top: int, left: int, headers: Sequence[str]) -> None:
        """A table's header cells, styled, with room for the filter button."""
        for j, header in enumerate(headers):
            cell = self.put(top, left + j, header)
            cell.fill = HEADER_FILL
            cell.font = HEADER_FONT
            cell.alignment = HEADER_ALIGNMENT
            cell.border = CELL_BORDER
            # Room for the indent and the filter button Excel draws in the header cell.
            self.widths[left + j] = max(self.widths.get(left + j, 0), len(header) + 4)
            longest = max((len(w) for w in header.split()), default=0)
            self.header_words[left + j] = max(self.header_words.get(left + j, 0), longest)
        if self.layout.header_height is not None:
            self.ws.row_dimensions[top].height = self.layout.header_height

    def finish(
        self,
        *,
        freeze: str | None = None,
        print_rows: str | None = None,
        widths: Sequence[float] | None = None,
        one_page: bool = False,
    ) -> None:
        """Column widths (`widths` from column A, else from content), panes, print setup:
        landscape, one page wide (and, `one_page`, one page tall)."""
        if widths is None:
            self._fit_columns()
        else:
            given = {
                j: max(self.layout.min_width, min(self.max_width, width))
                for j, width in enumerate(widths, start=1)
            }
            self.caps = self._page_caps(given)
            for j, width in given.items():
                wide = min(width, self.caps.get(j, width))
                self.ws.column_dimensions[get_column_letter(j)].width = wide
            self._wrap_capped()
        if freeze:
            self.ws.freeze_panes = freeze
        if print_rows:
            self.ws.print_title_rows = print_rows
        setup = self.ws.page_setup
        setup.orientation = "landscape"
        setup.fitToWidth = 1
        setup.fitToHeight = 1 if one_page else 0  # else as many pages down as needed
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        if self._page_px(self._widths_now()) > MIN_PAGE_WIDTH_PX:
            # Too wide even with its text wrapped (a Matrix of many seats): printed at 75%
            # over several pages across, its first column repeated on each.
            self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
            setup.scale = round(PRINT_SCALE * 100)
            setup.fitToWidth = setup.fitToHeight = None
            if not self.ws.print_title_cols:
                self.ws.print_title_cols = "A:A"
        if self.layout.page_frame:
            # Excel's own margins top and bottom: room for the footer below the body.
            self.ws.page_margins = PageMargins(
                left=0.4, right=0.4, top=0.75, bottom=0.75, header=0.3, footer=0.3
            )
        self.ws.oddFooter.center.text = "&A, page &P of &N"

    @staticmethod
    def _page_px(widths: dict[int, float]) -> float:
        """The printed width of columns `widths` at 100%, in pixels."""
        return sum(7 * w + 5 for w in widths.values())

    def _widths_now(self) -> dict[int, float]:
        """Every used column's width as set on the sheet (8.43, Excel's default, if unset)."""
        dims = self.ws.column_dimensions  # read with `in`: indexing would add a column
        letters = {c: get_column_letter(c) for c in range(1, self.ws.max_column + 1)}
        return {c: dims[k].width if k in dims else 8.43 for c, k in letters.items()}

    def _floor(self, col: int) -> float:
        """The narrowest column `col` may be made to fit the page: its numbers whole, its
        header's words whole (with the filter button), its text wrapped no narrower than
        `MIN_WRAP_WIDTH`."""
        text = max((n for _, n in self.texts.get(col, ())), default=0)
        return max(
            self.layout.min_width,
            self.numbers.get(col, 0) + 2,
            self.header_words.get(col, 0) + 4,
            min(MIN_WRAP_WIDTH, text + 2),
        )

    def _page_caps(self, widths: dict[int, float]) -> dict[int, float]:
        """How far to narrow the columns of `widths` (their text then wraps): the least cut
        of the widest that prints the sheet one page across at `PRINT_SCALE` keeping text
        columns 30 wide, else at `MIN_PRINT_SCALE` keeping them 20 wide, else as narrow as
        needed (each column kept to its `_floor`). A sheet too wide for that
        keeps its columns within `WIDE_TEXT_CAP` and prints over pages across."""
        if self._page_px(widths) <= PAGE_WIDTH_PX:
            return {}
        floors = {c: self._floor(c) for c in widths}

        def cut(cap: float) -> dict[int, float]:
            return {
                c: max(floors[c], min(w, cap)) if c in self.widths else w for c, w in widths.items()
            }

        widest = int(max(widths.values()))
        # A smaller scale rather than text wrapped into a narrow column, down to 70%.
        for budget, narrowest in (
            (PAGE_WIDTH_PX, 30),
            (MIN_PAGE_WIDTH_PX, 20),
            (PAGE_WIDTH_PX, 1),
            (MIN_PAGE_WIDTH_PX, 1),
        ):
            caps = range(widest, narrowest - 1, -1)
            cap = next((c for c in caps if self._page_px(cut(c)) <= budget), None)
            if cap is not None:
                return {c: w for c, w in cut(cap).items() if w < widths[c]}
        return {c: max(floors[c], WIDE_TEXT_CAP) for c, w in widths.items() if w > WIDE_TEXT_CAP}

    def _wrap_capped(self) -> None:
        """Wrap the text of the narrowed columns that no longer fits on one line."""
        for col, cap in self.caps.items():
            for cell, width in self.texts.get(col, ()):
                if width > cap - 2:
                    if not (cell.alignment is not None and cell.alignment.wrap_text):
                        cell.alignment = WRAP_ALIGNMENT
                    self._fit_height(cell, cap)

    def _fit_columns(self) -> None:
        """Column widths from content (the widest text cut so the sheet prints one page
        across), long text wrapped, a long subtitle across the sheet."""
        used = {
            c: self.width(c) for c in range(1, max(self.ws.max_column, 1) + 1) if c in self.widths
        }
        self.caps = self._page_caps(
            {**dict.fromkeys(range(1, self.ws.max_column + 1), 8.43), **used}
        )
        for col in self.widths:
            self.ws.column_dimensions[get_column_letter(col)].width = self.width(col)
        for col, cells in self.long_text.items():
            for cell in cells:
                cell.alignment = WRAP_ALIGNMENT
                self._fit_height(cell, self.width(col))
        self._wrap_capped()
        for cell, last in self.paragraphs:
            span = sum(self.width(c) if c in self.widths else 8.43 for c in range(1, last + 1))
            if last > 1:
                self.ws.merge_cells(
                    start_row=cell.row, start_column=1, end_row=cell.row, end_column=last
                )
            cell.alignment = WRAP_ALIGNMENT
            self._fit_height(cell, span)
        if self.subtitle is not None:
            # A long subtitle wraps across the columns the sheet uses, not off the page.
            last = max(self.ws.max_column, 1)
            span = sum(self.width(c) if c in self.widths else 8.43 for c in range(1, last + 1))
            if len(self.subtitle.value) > span and last > 1:
                self.ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
                self.subtitle.alignment = WRAP_ALIGNMENT
                self._fit_height(self.subtitle, span)

    def wrap(self, cell: Any, width: float) -> None:
        """Wrap `cell`'s text in a column `width` wide, its row made tall enough."""
        cell.alignment = WRAP_ALIGNMENT
        self._fit_height(cell, width)

    def _fit_height(self, cell: Any, width: float) -> None:
        """Make the row tall enough for `cell`'s wrapped text in a column `width` wide."""
        # Neither LibreOffice nor Excel grows a row for wrapped text when opening a file.
        # A width unit is one "0"; running text averages narrower, hence the factor.
        # Larger or bold text holds fewer characters a line, on taller lines.
        size = float(cell.font.sz or 11) if cell.font is not None else 11.0
        bold = 0.92 if cell.font is not None and cell.font.b else 1.0
        chars = max(int((width - 1) * CHARS_PER_WIDTH * 11 / size * bold), 1)
        lines = sum(max(1, math.ceil(len(p) / chars)) for p in str(cell.value).split("\n"))
        line = LINE_HEIGHT * max(size, 11) / 11
        dim = self.ws.row_dimensions[cell.row]
        dim.height = max(dim.height or line, line * lines)
