"""What a plan over a horizon (format 1.1) looks like in every output, from the hand-made
timed plan of `plan_factory.timed_sample` (four quarters): the plan JSON against its
schema, the terminal's requisitions to open and timeline, and the workbook's Hiring plan
and Timeline sheets (only for a timed plan) and its one Summary line."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from rich.console import Console

from orgplan.reports.excel.sheets.timeline import PHASE_FILLS
from orgplan.reports.excel.workbook import SHEETS, build_plan_workbook, write_plan_workbook
from orgplan.reports.summary import render_plan, timeline_lines
from orgplan.results.plan import FULL, RAMPING, RECRUITING, Plan
from orgplan.scenario.format import Scenario
from plan_factory import sample, timed_sample
from test_docs import assert_valid, errors_of
from test_workbook_reading import _colours_used, numeric_text_cells, print_scale


@pytest.fixture(scope="module")
def timed() -> tuple[Scenario, Plan]:
    return timed_sample()


@pytest.fixture(scope="module")
def timed_book(timed: tuple[Scenario, Plan], tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    scenario, plan = timed
    path = tmp_path_factory.mktemp("timed") / "timed.xlsx"
    return openpyxl.load_workbook(write_plan_workbook(plan, scenario, path))


def table_rows(ws: object, name: str) -> list[list[object]]:
    """The data rows of table `name` of `ws`, as values."""
    cells = ws[ws.tables[name].ref]  # type: ignore[attr-defined]
    return [[c.value for c in row] for row in cells[1:]]


# ---- the plan JSON ----------------------------------------------------------------------


def test_a_timed_plan_passes_the_plan_schema(timed: tuple[Scenario, Plan]) -> None:
    data = timed[1].to_json()
    assert data["periods"] == ["Q1", "Q2", "Q3", "Q4"]
    assert [s.get("open_by") for s in data["seats"]] == [None, "Q1", None, "Q2"]
    assert_valid("plan", data)
    assert_valid("plan", sample()[1].to_json())  # untimed: none of the timed keys needed


def test_the_schema_holds_a_timed_plan_to_its_keys(timed: tuple[Scenario, Plan]) -> None:
    data = timed[1].to_json()
    del data["kpis"]["spend"]
    assert errors_of("plan", data) == ["kpis: 'spend' is a required property"]
    data = timed[1].to_json()
    del data["seats"][1]["open_by"]  # a requisition over a horizon says when to open it
    assert errors_of("plan", data) == ["seats/1: 'open_by' is a dependency of 'start'"]
    data = timed[1].to_json()
    data["seats"][0]["open_by"] = "Q1"  # a named person is not recruited
    assert errors_of("plan", data) == ["seats/0: False schema does not allow 'Q1'"]
    data = timed[1].to_json()
    del data["kpis_by_period"]
    assert errors_of("plan", data) == [": 'kpis_by_period' is a required property"]


# ---- the terminal -----------------------------------------------------------------------


def printed(plan: Plan, width: int = 80) -> list[str]:
    out = io.StringIO()
    render_plan(plan, Console(file=out, width=width, markup=False, highlight=False))
    return out.getvalue().splitlines()


def test_the_timeline_of_a_timed_plan(timed: tuple[Scenario, Plan]) -> None:
    lines = printed(timed[1])
    at = lines.index("Open now (Q1): 1 requisition")
    end = next(i for i, line in enumerate(lines) if line.startswith("Totals: "))
    assert [line.rstrip() for line in lines[at:end]] == [
        "Open now (Q1): 1 requisition",
        "  PM-2 (Product Manager): starts Q3, lead time 2 periods, ramps up 1 period",
        "Open later: 1 requisition",
        "  PMM-1 (Product Marketing Manager): open by Q2, starts Q3, lead time 1 period",
        "Timeline: r recruiting, ~ ramping up, █ full capacity, · not started",
        "                Q1     Q2      Q3      Q4",
        "PM-1        ~~~~~~ ██████ ███████ ███████  Ana Ruiz",
        "PM-2        rrrrrr rrrrrr ~~~~~~~ ███████  Open requisition",
        "TPM-1       ██████ ██████ ███████ ███████  Raj Patel",
        "PMM-1       ······ rrrrrr ███████ ███████  Open requisition",
        "seats            2      2       4       4",
        "coverage       92%    92%    100%    100%",
        "spend (USD) 96,250 71,250 140,000 140,000",
    ]
    cli_doc = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text("utf-8")
    assert "\n".join(line.rstrip() for line in lines[at:end]) + "\n```" in cli_doc
    totals = " ".join(line.strip() for line in lines[end:])
    assert "cost 560,000 USD a year by Q4, spend 447,500 USD over 4 periods," in totals
    assert max(len(line.rstrip()) for line in lines) <= 80


def test_a_narrow_timeline_goes_on_in_blocks_and_drops_the_holders(
    timed: tuple[Scenario, Plan],
) -> None:
    lines = timeline_lines(timed[1], 30)
    assert lines[1:4] == [
        "                Q1     Q2",
        "PM-1        ~~~~~~ ██████",
        "PM-2        rrrrrr rrrrrr",
    ]
    assert "                 Q3      Q4" in lines
    assert lines[-1] == "spend (USD) 140,000 140,000"
    assert max(len(line) for line in lines[1:]) <= 30


def test_an_untimed_plan_prints_no_timeline() -> None:
    text = "\n".join(printed(sample()[1]))
    assert "Open now" not in text and "Timeline" not in text and "spend" not in text


# ---- the workbook -----------------------------------------------------------------------


def test_the_timed_sheets_only_for_a_timed_plan(timed_book: Workbook, tmp_path: Path) -> None:
    untimed = [title for title, _ in SHEETS]
    assert "Hiring plan" not in untimed and "Timeline" not in untimed
    at = untimed.index("Moves and hires") + 1
    timed_titles = [*untimed[:at], "Hiring plan", "Timeline", *untimed[at:]]
    assert timed_book.sheetnames == [*timed_titles, "orgplan"]
    scenario, plan = sample()
    book = openpyxl.load_workbook(write_plan_workbook(plan, scenario, tmp_path / "p.xlsx"))
    assert book.sheetnames == [*untimed, "orgplan"]


def test_the_gantt_cells_say_and_colour_each_phase(
    timed: tuple[Scenario, Plan], timed_book: Workbook
) -> None:
    ws = timed_book["Timeline"]
    rows = table_rows(ws, "Timeline")
    assert rows == [
        ["PM-1", "Ana Ruiz", "Product Manager", "Q1", "ramping up", "full", "full", "full"],
        ["PM-2", "Open requisition", "Product Manager", "Q3"]
        + ["recruiting", "recruiting", "ramping up", "full"],
        ["TPM-1", "Raj Patel", "Technical Product Manager", "Q1"] + ["full"] * 4,
        ["PMM-1", "Open requisition", "Product Marketing Manager", "Q3"]
        + [None, "recruiting", "full", "full"],
    ]
    top = ws[ws.tables["Timeline"].ref][1]
    pm2 = [c.fill for c in ws[ws.tables["Timeline"].ref][2][4:]]
    colour = {phase: fill.fgColor.rgb for phase, fill in PHASE_FILLS.items()}
    assert [f.fgColor.rgb for f in pm2] == [
        colour[RECRUITING],
        colour[RECRUITING],
        colour[RAMPING],
        colour[FULL],
    ]
    assert len(set(colour.values())) == 3
    pmm1_q1 = ws.cell(row=top[0].row + 3, column=5)
    assert pmm1_q1.value is None and pmm1_q1.fill.fill_type is None  # not started: blank
    legend = table_rows(ws, "Legend")
    assert [r[0] for r in legend] == ["recruiting", "ramping up", "full"]
    owners = {r[0]: r[3:] for r in table_rows(ws, "OwnersByPeriod")}
    assert owners["Pricing and packaging"] == ["PM-1", "PM-1", "PM-2", "PM-2"]
    assert owners["Analyst relations"] == ["uncovered", "uncovered", "PMM-1", "PMM-1"]
    assert owners["Insights launch"] == [None, None, "PMM-1", "PMM-1"]


def test_the_hiring_plan_lists_what_to_open_when(timed_book: Workbook) -> None:
    ws = timed_book["Hiring plan"]
    assert table_rows(ws, "RequisitionsByPeriod") == [
        ["PM-2", "Product Manager", "Q1", "Q3", 2, 1, 20000, 165000],
        ["PMM-1", "Product Marketing Manager", "Q2", "Q3", 1, 0, 10000, 150000],
    ]
    assert table_rows(ws, "Starts") == [
        ["PM-1", "Ana Ruiz", "ana", "internal move", "Product Manager", "Q1", 1, 15000, 140000],
        ["TPM-1", "Raj Patel", "raj", "internal move", "Technical Product Manager", "Q1"]
        + [0, 0, 105000],
    ]
    by_period = table_rows(ws, "ByPeriod")
    assert [r[:7] for r in by_period] == [
        ["Q1", 2, 1, 35000, 2, 245000, 96250],
        ["Q2", 0, 1, 10000, 2, 245000, 71250],
        ["Q3", 2, 0, 0, 4, 560000, 140000],
        ["Q4", 0, 0, 0, 4, 560000, 140000],
    ]
    total = ws.cell(row=ws[ws.tables["ByPeriod"].ref][-1][0].row + 1, column=1)
    row = [c.value for c in ws[total.row][:7]]
    assert row == ["Total", 4, 2, 45000, None, None, 447500]


def test_the_hiring_plan_charts_spend_and_coverage(timed: tuple[Scenario, Plan]) -> None:
    scenario, plan = timed
    wb = build_plan_workbook(plan, scenario)
    (chart,) = wb["Hiring plan"]._charts
    series = [s for part in chart._charts for s in part.series]
    assert len(series) == 2  # spend as bars, coverage as a line
    assert [type(part).__name__ for part in chart._charts] == ["BarChart", "LineChart"]


def test_the_summary_gains_one_line(timed_book: Workbook) -> None:
    ws = timed_book["Summary"]
    assert ws["A5"].value == (
        "Open now (Q1): 1 requisition (Product Manager); first starts Q3; 1 more to open "
        "later. Spend over Q1-Q4: 447,500 USD (sheet Hiring plan)."
    )
    assert ws["A7"].value == "The team"  # the roster one row lower than untimed (A6)


def test_a_timed_workbook_keeps_numbers_numeric_prints_and_explains_its_colours(
    timed_book: Workbook,
) -> None:
    assert list(numeric_text_cells(timed_book)) == []
    for ws in timed_book.worksheets:
        if ws.sheet_state == "visible":
            assert print_scale(ws) >= 0.7, ws.title
            assert ws.oddFooter.center.text == "&A, page &P of &N"
            assert ws.page_setup.orientation == "landscape"
    explained = {
        row[0].fill.fgColor.rgb[-6:]
        for row in timed_book["How to read"][timed_book["How to read"].tables["Colours"].ref][1:]
        if row[0].fill.fill_type == "solid"
    }
    assert _colours_used(timed_book) <= explained
