"""The staffing workbook as its readers act on it (issue 16): numbers stored as numbers,
totals where readers expect them, and the example workbooks read back sheet by sheet.

The example plans are solved and explained (the Summary's weakest point and the Moves and
hires sheet read the explanation) by `orgplan plan --explain`, once per session
(`explained_examples` in conftest.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from conftest import Explained
from orgplan.analysis.compare import priority_coverage
from orgplan.analysis.explanation import Explanation
from orgplan.analysis.sweep import parse_range
from orgplan.jobs.compare import compare_scenarios
from orgplan.jobs.sweep import sweep_scenario
from orgplan.reports.excel.compare import write_compare_workbook, write_sweep_workbook
from orgplan.reports.excel.fingerprint import plan_fingerprint
from orgplan.reports.excel.workbook import write_plan_workbook
from orgplan.scenario.format import Scenario
from orgplan.scenario.loading import load_scenario
from orgplan.version import __version__
from plan_factory import sample

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
EXAMPLES = ("startup", "saas")

# Text a reader takes for a number: `10`, `1.8e+06`, `450,000 USD`, `0.00%`, `$1,200`,
# `12.5 h`. Words with a figure in them ("PM 1", "3 of 4") are text, and so is an id with
# leading zeros (an employee number `003506`, which a number would lose).
NUMERIC_TEXT = re.compile(
    r"(?!\s*0\d)\s*[-+(]?\s*[$€£¥₹]?\s*\d[\d,]*(\.\d+)?([eE][-+]?\d+)?\s*(%|h|[A-Z]{3})?\s*\)?\s*"
)


def numeric_text_cells(wb: Workbook) -> Iterator[str]:
    """`Sheet!A1 'text'` for every visible cell holding a number as text."""
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue  # the hidden `orgplan` sheet holds the plan JSON for the round trip
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "s" and NUMERIC_TEXT.fullmatch(str(cell.value)):
                    yield f"{ws.title}!{cell.coordinate} {cell.value!r}"


@pytest.fixture(scope="module")
def examples(
    explained_examples: dict[str, Explained],
) -> dict[str, tuple[Scenario, Explanation, Path]]:
    """Each example scenario solved, explained and written by `orgplan plan --explain`."""
    return {
        name: (made.scenario, made.explanation, made.workbook)
        for name, made in explained_examples.items()
        if name in EXAMPLES
    }


def book(examples: dict[str, tuple[Scenario, Explanation, Path]], name: str) -> Workbook:
    return openpyxl.load_workbook(examples[name][2])


# ---- numbers are numbers ------------------------------------------------------------------


def test_the_pattern_tells_numbers_from_words() -> None:
    for text in ("10", "1.8e+06", "450,000 USD", "0.00%", "$1,200", "12.5 h", " 3 "):
        assert NUMERIC_TEXT.fullmatch(text), text
    for text in ("PM 1", "PM-1", "n/a", "none", "3 of 4", "q3", "inherits", "003506"):
        assert not NUMERIC_TEXT.fullmatch(text), text


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_number_is_stored_as_text_in_an_example_workbook(
    examples: dict[str, tuple[Scenario, Explanation, Path]], name: str
) -> None:
    assert list(numeric_text_cells(book(examples, name))) == []


def test_no_number_is_stored_as_text_in_the_comparison_and_sweep(tmp_path: Path) -> None:
    scenario = load_scenario(SCENARIOS / "startup.yaml")
    comparison = compare_scenarios([("startup", scenario)], workers=1)
    sweep = sweep_scenario(
        scenario, headcount=parse_range("1:3:1", "--headcount", integer=True), workers=1
    )
    for path in (
        write_compare_workbook(comparison, tmp_path / "compare.xlsx"),
        write_sweep_workbook(sweep, tmp_path / "sweep.xlsx"),
    ):
        assert list(numeric_text_cells(openpyxl.load_workbook(path))) == [], path.name


def test_inputs_keep_limits_as_numbers(
    examples: dict[str, tuple[Scenario, Explanation, Path]],
) -> None:
    scenario, _, _ = examples["saas"]
    ws = book(examples, "saas")["Inputs"]
    policy = {r[0].value: r[1] for r in _table(ws, "InputPolicy")}
    assert policy["budget"].value == scenario.policy.budget
    assert policy["budget"].number_format == '"$"#,##0'
    overridden = [
        (name, shape)
        for name, shape in scenario.all_structures().items()
        if shape.overrides("budget")
    ]
    structures = {r[0].value: r for r in _table(ws, "InputStructures")}
    for name, shape in overridden:
        cell = structures[name][3]
        assert cell.value == ("none" if shape.budget is None else shape.budget)


def test_team_ends_with_a_totals_row(tmp_path: Path) -> None:
    scenario, plan = sample()
    wb = openpyxl.load_workbook(write_plan_workbook(plan, scenario, tmp_path / "p.xlsx"))
    ws = wb["Team"]
    ref = ws.tables["Team"].ref
    header = [c.value for c in ws[ref][0]]
    below = {h: ws.cell(row=ws[ref][-1][0].row + 1, column=i + 1) for i, h in enumerate(header)}
    assert below["Seat"].value == "Total"
    assert below["Person"].value == len(plan.seats)
    assert below["Cost"].value == sum(s.cost for s in plan.seats)
    assert below["Hours"].value == pytest.approx(sum(s.hours for s in plan.seats))
    assert below["Capacity"].value == pytest.approx(sum(s.capacity_hours for s in plan.seats))
    assert below["Candidate id"].value is None  # the review round trip passes over it
    assert below["Decision"].value is None


def _table(ws: Any, name: str) -> list[tuple[Any, ...]]:
    """The data cells of table `name`, row by row."""
    return [tuple(row) for row in ws[ws.tables[name].ref]][1:]


# ---- how to read ---------------------------------------------------------------------------


def _colours_used(wb: Workbook) -> set[str]:
    """Every colour the sheets other than How to read paint: cell fills (headers aside),
    colour scales and data bars."""
    used: set[str] = set()
    for ws in wb.worksheets:
        if ws.title == "How to read" or ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb != "001F4E78":
                    used.add(cell.fill.fgColor.rgb[-6:])
        for formats in ws.conditional_formatting:
            for rule in formats.rules:
                if rule.colorScale is not None:
                    used.update(c.rgb[-6:] for c in rule.colorScale.color)
                if rule.dataBar is not None:
                    used.add(rule.dataBar.color.rgb[-6:])
    return used - {"FFFFFF"}  # a heat map's zero: no colour


@pytest.mark.parametrize("name", EXAMPLES)
def test_how_to_read_explains_every_colour_the_workbook_uses(
    examples: dict[str, tuple[Scenario, Explanation, Path]], name: str
) -> None:
    wb = book(examples, name)
    ws = wb["How to read"]
    explained = {
        cell.fill.fgColor.rgb[-6:]
        for (cell, meaning, _) in _table(ws, "Colours")
        if cell.fill.fill_type == "solid" and meaning.value
    }
    used = _colours_used(wb)
    assert used and used <= explained


def test_how_to_read_defines_the_three_fits_and_the_terms_readers_asked_about(
    examples: dict[str, tuple[Scenario, Explanation, Path]],
) -> None:
    wb = book(examples, "startup")
    assert wb.sheetnames[:5] == ["Summary", "How to read", "Moves and hires", "Org chart", "Team"]
    terms = {r[0].value: r[1].value for r in _table(wb["How to read"], "Terms")}
    for term in (
        "Role fit (over floors)",
        "Work fit (hours-weighted)",
        "Task fit (per responsibility)",
        "Assumed fit (open requisition)",
        "Priority",
        "Coverage",
        "Quality",
        "Handoff",
        "Skill gap",
    ):
        assert terms.get(term), term
    # the startup's priorities run 1 to 3: the reader is told 3 is the most important
    assert "the higher the number, the more important" in terms["Priority"]
    assert "from 1 to 3: 3 is the most important" in terms["Priority"]


# ---- moves and hires -----------------------------------------------------------------------


def test_the_saas_moves_list_each_internal_move_from_and_to(
    examples: dict[str, tuple[Scenario, Explanation, Path]],
) -> None:
    scenario, explanation, _ = examples["saas"]
    plan = explanation.plan
    ws = book(examples, "saas")["Moves and hires"]
    moves = {r[1].value: r for r in _table(ws, "InternalMoves")}
    header = [c.value for c in ws[ws.tables["InternalMoves"].ref][0]]
    people = {c.id: c for c in scenario.candidates}
    internal = {s.candidate: s for s in plan.seats if s.internal}
    # carlos is a product manager who stays one (fixed_role: PM): no move
    assert internal["carlos"].role == "PM" and "carlos" not in moves
    assert set(moves) == set(internal) - {"carlos"} and moves
    for cid, cells in moves.items():
        row = dict(zip(header, (c.value for c in cells), strict=True))
        seat = internal[cid]
        background = people[cid].background
        assert background is not None
        assert row["From (current job)"] == background.replace("_", " ")
        assert (row["To seat"], row["To role"]) == (seat.seat, seat.role_title)
        assert row["Backfill"].startswith(f"their {background.replace('_', ' ')} job")
    stays = [c.value for c in ws["A"] if str(c.value or "").startswith("Staying")]
    assert stays == ["Staying in their role, no move: Carlos Mendes (Product Manager, PM-1)."]
    # and the Summary's brief counts only those who move
    summary = book(examples, "saas")["Summary"]
    assert f"({len(moves)} internal moves, 1 employee staying in role, " in summary["A4"].value
    roster = {r[0].value: r[2].value for r in _table(summary, "Roster")}
    assert roster["PM-1"] == "Product Manager (stays)"
    assert roster["TPM-1"] == "qa tester → Technical Product Manager"


def test_each_open_requisition_says_why_no_named_candidate_holds_it(
    examples: dict[str, tuple[Scenario, Explanation, Path]],
) -> None:
    _, explanation, _ = examples["saas"]
    ws = book(examples, "saas")["Moves and hires"]
    reqs = {r[0].value: r for r in _table(ws, "Requisitions")}
    open_reqs = {s.seat: s for s in explanation.plan.seats if s.open_req}
    assert set(reqs) == set(open_reqs) and reqs
    for why in explanation.open_reqs:
        cells = reqs[why.seat.seat]
        assert cells[3].value == pytest.approx(why.seat.hours)
        assert cells[4].value == pytest.approx(why.seat.fit)  # its assumed fit
        for alternative in why.alternatives:  # the priced why-not of each, from --explain
            assert f"{alternative.candidate.label}: {alternative.why_not}" in cells[6].value


def test_offers_name_the_external_people_placed_with_their_fte(
    examples: dict[str, tuple[Scenario, Explanation, Path]],
) -> None:
    scenario, explanation, _ = examples["startup"]
    offers = {r[1].value: r for r in _table(book(examples, "startup")["Moves and hires"], "Offers")}
    external = {s.candidate for s in explanation.plan.seats if not s.open_req and not s.internal}
    assert set(offers) == external == {"maya"}
    people = {c.id: c for c in scenario.candidates}
    for cid, cells in offers.items():
        assert cells[6].value == people[cid].availability


# ---- the Summary, a one-page brief ---------------------------------------------------------


def brief_lines(wb: Workbook) -> list[str]:
    """The brief (columns A to G of the Summary), a line per row, cells joined by ` | `,
    numbers to four decimals."""
    lines = []
    for row in wb["Summary"].iter_rows(max_col=7):
        cells = [
            f"{round(c.value, 4):g}" if isinstance(c.value, int | float) else str(c.value)
            for c in row
            if c.value is not None
        ]
        if cells:
            lines.append(" | ".join(cells))
    return lines


STARTUP_BRIEF = """\
Staffing plan: Brightloop seed-stage product team
Seed-stage B2B SaaS. The founders asked for one PM; the work is closer to two or three seats. \
Compare the built-in superhero structure with pm_pmm and split.
A team of 3 seats (1 internal move, 1 named hire, 1 requisition to open) costs 390,000 USD a \
year, against a budget of 450,000 USD (60,000 USD under), and covers 95% of the work (69 of 73 \
hours a week); one superhero Product Manager would have 40 hours a week for 73 hours of work: \
at most 55% of it.
The team
Seat | Person | From → to | Cost | FTE | Fit | Hours
PM-1 | Maya Chen | applicant (marketing) → Product Manager | 135000 | 1 | 0.9805 | 22
PM-2 | Open requisition | to hire → Product Manager | 150000 | 0.9815 | 27
TPM-1 | Raj Patel | qa tester → Technical Product Manager | 105000 | 1 | 0.9812 | 20
Total | 3 | 390000 | 69
An open requisition's fit is assumed: the role's hire profile, not a person.
Uncovered work (4 h a week)
Pre-sales demos (4 h a week, priority 1): nobody eligible can own 'Pre-sales demos' (needs \
technical 3, sales 3, communication 4; a gap of at most 1 level is allowed, in a PMM or PM or \
TPM seat): the closest is Maya Chen (maya, marketing), fit 80%, technical 2 short (has 1, \
needs 3)
Weakest point (sheet Why)
if Maya Chen leaves or declines, coverage drops from 95% to 84%; plan B: the others take over \
(5 responsibilities change owner), 2 responsibilities left uncovered
How sure this is
Proven best by HiGHS: of all the plans the limits allow, it covers the most work, then fits it \
best, then costs least.
About this file: scenario Brightloop seed-stage product team, structure all roles; solved by \
HiGHS (optimal); not stamped (reproducible file); plan fingerprint {fingerprint}; written by \
orgplan {version}.
Sheets
Sheet
How to read
Moves and hires
Org chart
Team
Assignments
Matrix
Development
Candidate fit
Why
Handoffs
Inputs"""


def test_the_startup_brief_reads_as_written(
    examples: dict[str, tuple[Scenario, Explanation, Path]],
) -> None:
    _, explanation, _ = examples["startup"]
    expected = STARTUP_BRIEF.format(
        fingerprint=plan_fingerprint(explanation.plan), version=__version__
    )
    assert "\n".join(brief_lines(book(examples, "startup"))) == expected


def test_the_brief_prints_on_one_page_with_the_chart_beside_it(
    examples: dict[str, tuple[Scenario, Explanation, Path]],
) -> None:
    for name in EXAMPLES:
        ws = book(examples, name)["Summary"]
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 1
        (chart,) = ws._charts
        assert chart.anchor._from.col == 8 and chart.anchor._from.row == 3  # I4, beside


def test_the_solver_is_said_in_plain_words() -> None:
    from orgplan.reports.excel.sheets.summary import solver_sentence

    _, plan = sample()  # stopped at a limit, quality proven, cost 1.2% from its bound
    assert solver_sentence(plan).startswith("Not proven best: ")
    assert "within 1.2% of the best possible" in solver_sentence(plan)


# ---- print ---------------------------------------------------------------------------------

LETTER_LANDSCAPE = (11.0, 8.5)  # inches; A4 is wider, so Letter is the harder fit


def column_widths(ws: Any) -> dict[int, float]:
    """Every used column's width as the file says (a `<col>` may span columns; 8.43 is
    Excel's default)."""
    widths = dict.fromkeys(range(1, ws.max_column + 1), 8.43)
    for dim in ws.column_dimensions.values():
        if dim.customWidth:
            for c in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
                if c in widths:
                    widths[c] = dim.width
    return widths


def print_scale(ws: Any) -> float:
    """The scale a sheet prints at, as Excel computes it from its page setup: the fixed
    `scale`, or for a sheet fit to one page across (and down) the page's width (height)
    over the sheet's, at 7 px + 5 per unit of column width and 96 px an inch."""
    setup, margins = ws.page_setup, ws.page_margins
    if not ws.sheet_properties.pageSetUpPr.fitToPage:
        return (setup.scale or 100) / 100
    px = sum(7 * w + 5 for w in column_widths(ws).values())
    width = (LETTER_LANDSCAPE[0] - margins.left - margins.right) * 96
    scale = min(1.0, width / px)
    if int(setup.fitToHeight or 0) == 1:
        rows = ws.max_row
        for chart in ws._charts:  # a chart may hang below the last cell
            rows = max(rows, chart.anchor._from.row + math.ceil(chart.height / 0.53))
        points = sum(ws.row_dimensions[r].height or 15 for r in range(1, rows + 1))
        height = (LETTER_LANDSCAPE[1] - margins.top - margins.bottom) * 72
        scale = min(scale, height / points)
    return scale


def printed_books(
    examples: dict[str, tuple[Scenario, Explanation, Path]], tmp_path: Path
) -> Iterator[tuple[str, Workbook]]:
    """The example workbooks, and the startup's comparison and sweep."""
    for name in EXAMPLES:
        yield name, book(examples, name)
    scenario = load_scenario(SCENARIOS / "startup.yaml")
    comparison = compare_scenarios([("startup", scenario)], workers=1)
    yield (
        "compare",
        openpyxl.load_workbook(write_compare_workbook(comparison, tmp_path / "compare.xlsx")),
    )
    sweep = sweep_scenario(scenario, parse_range("100k:500k:50k"), workers=1)
    yield "sweep", openpyxl.load_workbook(write_sweep_workbook(sweep, tmp_path / "sweep.xlsx"))


def test_every_sheet_prints_at_70_percent_or_more_with_numbered_footers(
    examples: dict[str, tuple[Scenario, Explanation, Path]], tmp_path: Path
) -> None:
    scales = {}
    for name, wb in printed_books(examples, tmp_path):
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            scales[f"{name}/{ws.title}"] = round(print_scale(ws), 2)
            assert ws.oddFooter.center.text == "&A, page &P of &N", (name, ws.title)
            assert ws.page_setup.orientation == "landscape"
            if len(ws.tables) == 1 and ws.title not in ("Summary",):
                assert ws.print_title_rows, (name, ws.title)  # the header on every page
    assert min(scales.values()) >= 0.7, {k: v for k, v in scales.items() if v < 0.7}


def test_wide_text_wraps_in_a_narrowed_column_rather_than_shrinking_the_page(
    examples: dict[str, tuple[Scenario, Explanation, Path]],
) -> None:
    ws = book(examples, "startup")["Why"]  # three columns of sentences, 60 wide unprinted
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    widths = column_widths(ws)
    assert max(widths.values()) <= 30 and print_scale(ws) >= 0.75
    cells = [c for table in ws.tables.values() for row in ws[table.ref][1:] for c in row]
    wrapped = [c for c in cells if isinstance(c.value, str) and len(c.value) > 40]
    assert wrapped and all(c.alignment.wrap_text for c in wrapped)
    assert all((ws.row_dimensions[c.row].height or 15) > 15 for c in wrapped)


def test_a_sheet_too_wide_for_one_page_prints_across_pages_at_75_percent(
    examples: dict[str, tuple[Scenario, Explanation, Path]],
) -> None:
    ws = book(examples, "startup")["Inputs"]  # a candidate per row, a column per skill
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale == 75 and ws.print_title_cols == "$A:$A"
    assert max(column_widths(ws).values()) <= 40


# ---- the org chart -------------------------------------------------------------------------


def test_the_org_chart_boxes_every_seat_once_by_product_line_on_one_page(
    examples: dict[str, tuple[Scenario, Explanation, Path]],
) -> None:
    _, explanation, _ = examples["saas"]
    plan = explanation.plan
    ws = book(examples, "saas")["Org chart"]
    heads = [c.value for c in ws[4] if c.value]
    assert heads == ["Billing", "Insights", "Across products"]  # the saas's product lines
    boxes = [c for row in ws.iter_rows(min_row=6) for c in row if c.fill.fgColor.rgb == "00DDEBF7"]
    titles = sorted(c.value for c in boxes)
    assert titles == sorted(f"{s.seat} · {s.role_title}" for s in plan.seats)
    for box in boxes:  # under it: who, from where; then what they own
        seat = next(s for s in plan.seats if box.value.startswith(f"{s.seat} "))
        who = ws.cell(row=box.row + 1, column=box.column).value
        assert who.startswith(f"{seat.holder}: ")
        owns = ws.cell(row=box.row + 2, column=box.column).value
        assert all(a.name in owns for a in plan.assignments if a.seat == seat.seat)
    carlos = next(c for c in boxes if c.value.startswith("PM-1 "))
    assert ws.cell(row=carlos.row + 1, column=carlos.column).value == (
        "Carlos Mendes: Product Manager (stays)"
    )
    assert int(ws.page_setup.fitToHeight) == 1 and print_scale(ws) >= 0.7


# ---- development ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_development_plans_people_and_lists_hiring_profiles_apart(
    examples: dict[str, tuple[Scenario, Explanation, Path]], name: str
) -> None:
    _, explanation, _ = examples[name]
    plan = explanation.plan
    ws = book(examples, name)["Development"]
    people = _table(ws, "Development")
    header = [c.value for c in ws[ws.tables["Development"].ref][0]]
    assert header[-3:] == ["Action", "Owner", "Due"]
    open_seats = {s.seat for s in plan.seats if s.open_req}
    gaps = {(a.seat, k) for a in plan.assignments for k in a.gaps}
    assert {(r[1].value, r[3].value) for r in people} == {g for g in gaps if g[0] not in open_seats}
    profiles = {(r[0].value, r[2].value) for r in _table(ws, "HiringProfiles")}
    assert profiles - {("(none)", None)} == {g for g in gaps if g[0] in open_seats}
    for row in people:  # levels as written: 3, not 3.0
        assert all(c.number_format == "General" for c in row[4:7])
    seats = [r[1].value for r in people]
    assert seats == sorted(seats, key=[s.seat for s in plan.seats].index)  # a block each


# ---- the sweep -----------------------------------------------------------------------------


def test_the_sweep_fills_every_column_and_marks_one_recommended_point(tmp_path: Path) -> None:
    scenario = load_scenario(SCENARIOS / "startup.yaml")
    sweep = sweep_scenario(scenario, parse_range("100k:500k:100k"), workers=1)
    ws = openpyxl.load_workbook(write_sweep_workbook(sweep, tmp_path / "s.xlsx"))["Sweep"]
    rows = _table(ws, "Sweep")
    # a budget sweep: the headcount cap in effect (the startup's 4) on every row
    assert [r[1].value for r in rows] == [scenario.policy.max_headcount] * len(rows)
    green = [r for r in rows if r[3].fill.fill_type == "solid"]
    assert len(green) == 1  # the recommended point only, not every frontier point
    frontier = sweep.frontier()
    most = max(priority_coverage(p.plan) for p in frontier if p.plan)
    cheapest = min(
        p.plan.kpis.total_cost for p in frontier if p.plan and priority_coverage(p.plan) >= most
    )
    assert green[0][3].value == cheapest
    assert ws["A4"].value.startswith("Recommended (in green): the cheapest team that covers")


@pytest.mark.slow
def test_the_enterprise_workbook_keeps_numbers_numeric_and_prints_at_70_percent(
    enterprise_workbook: Path,
) -> None:
    wb = openpyxl.load_workbook(enterprise_workbook)
    assert list(numeric_text_cells(wb)) == []
    scales = {ws.title: print_scale(ws) for ws in wb.worksheets if ws.sheet_state == "visible"}
    assert min(scales.values()) >= 0.7, scales
