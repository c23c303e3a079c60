"""The look every workbook shares: number formats, fonts, fills, borders and colour scales.

The plan, comparison and sweep workbooks style their cells from these names only, so a
figure or a heading looks the same in all three.
"""

from __future__ import annotations

from openpyxl.formatting.rule import ColorScaleRule, DataBarRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

# ---- number formats ---------------------------------------------------------------------

HOURS_FORMAT = '#,##0.0 "h"'
PERCENT_FORMAT = "0.0%"
# A solver's optimality gap: small shares, to the hundredth of a percent.
GAP_FORMAT = "0.00%"
FIT_FORMAT = "0%"
INTEGER_FORMAT = "#,##0"
# A count of seats, a number shown with its unit: `3 seats`.
SEATS_FORMAT = '#,##0 "seats"'
# A skill level as people write it: 3, 3.5 (never 3.0).
LEVEL_FORMAT = "General"
# A full-time equivalent: 1.0, 0.5, 0.75.
FTE_FORMAT = "0.0#"
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


def shown_number(value: float, fmt: str | None) -> str:
    """Roughly what Excel shows for `value` in `fmt`, to size the column."""
    value = float(value)
    if fmt in (PERCENT_FORMAT, FIT_FORMAT, GAP_FORMAT):
        return f"{value * 100:.1f}%"
    if fmt == HOURS_FORMAT:
        return f"{value:,.1f} h"
    if fmt and fmt.startswith(('"', "#,##0 ")) and "0.0" not in fmt:  # currency
        return f"{value:,.0f} XXX"
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


# ---- fonts, fills, borders, alignments ---------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True, indent=1)
TITLE_FONT = Font(bold=True, size=14, color="1F4E78")
SUBTITLE_FONT = Font(italic=True, color="595959")
SECTION_FONT = Font(bold=True, size=12, color="1F4E78")
# The comparison and sweep sheets' section heading, a size smaller than SECTION_FONT: kept
# so their workbooks stay byte-identical; the grid layout names it (see `sheet.GRID`).
GRID_SECTION_FONT = Font(bold=True, color="1F4E78")
LABEL_FONT = Font(bold=True)
LINK_FONT = Font(color="0563C1", underline="single")
UNCOVERED_FILL = PatternFill("solid", fgColor="FCE4D6")
# The best value of a comparison row or sweep frontier, and a plan that failed.
BEST_FILL = PatternFill("solid", fgColor="C6EFCE")
# A choice a reviewer made (a decision the plan respected), against the model's own.
DECIDED_FILL = PatternFill("solid", fgColor="FFF2CC")
BEST_FONT = Font(bold=True, color="006100")
BAD_FONT = Font(bold=True, color="9C0006")
_THIN = Side(style="thin", color="BFBFBF")
CELL_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# A totals row under a table: a double rule above it.
TOTAL_BORDER = Border(top=Side(style="double", color="1F4E78"))
WRAP_ALIGNMENT = Alignment(wrap_text=True, vertical="top", indent=1)
# Table cells hang from the top (rows grow for wrapped text) and text keeps off the
# right-aligned number beside it.
TEXT_ALIGNMENT = Alignment(vertical="top", indent=1)
NUMBER_ALIGNMENT = Alignment(vertical="top")
# Names over a column (the person in each seat of the Matrix) wrap onto the row's bottom.
BOTTOM_WRAP_ALIGNMENT = Alignment(wrap_text=True, vertical="bottom")
TABLE_STYLE = "TableStyleLight9"

# ---- conditional formats -----------------------------------------------------------------

# Fit: red below 50%, amber at 75%, green at 100% (the How to read sheet shows them).
FIT_LOW_COLOR, FIT_MID_COLOR, FIT_HIGH_COLOR = "F8696B", "FFEB84", "63BE7B"
UTILIZATION_BAR_COLOR = "5B9BD5"
HEAT_COLOR = "F4B183"  # the heat map's largest value (hours, handoffs, gaps)
LEVEL_HEAT_COLOR = "9BC2E6"  # a candidate's skill levels on the Inputs sheet
_FIT_RULE = dict(
    start_type="num",
    start_value=0.5,
    start_color=FIT_LOW_COLOR,
    mid_type="num",
    mid_value=0.75,
    mid_color=FIT_MID_COLOR,
    end_type="num",
    end_value=1,
    end_color=FIT_HIGH_COLOR,
)


def fit_scale(ws: Worksheet, ref: str) -> None:
    """Fit coloured red (below 50%) through amber to green (100%)."""
    ws.conditional_formatting.add(ref, ColorScaleRule(**_FIT_RULE))


def utilization_bars(ws: Worksheet, ref: str) -> None:
    """Utilization as data bars from 0 to a full seat."""
    ws.conditional_formatting.add(
        ref,
        DataBarRule(
            start_type="num",
            start_value=0,
            end_type="num",
            end_value=1,
            color=UTILIZATION_BAR_COLOR,
            showValue=True,
        ),
    )


def heat_map(ws: Worksheet, ref: str, color: str = HEAT_COLOR) -> None:
    """White at zero, `color` at the largest value; blank cells stay blank."""
    ws.conditional_formatting.add(
        ref,
        ColorScaleRule(
            start_type="num", start_value=0, start_color="FFFFFF", end_type="max", end_color=color
        ),
    )


# ---- a plan over time --------------------------------------------------------------------

# A seat's phase in one period of the Timeline sheet: its requisition open (recruiting),
# ramping up, at full capacity.
RECRUITING_FILL = PatternFill("solid", fgColor="FFE699")
RAMPING_FILL = PatternFill("solid", fgColor="BDD7EE")
FULL_FILL = PatternFill("solid", fgColor="70AD47")
