"""The Excel staffing plan (issue 4): read every sheet back and check it against the plan.

Plans come from `plan_factory` (built by hand, no solver) and, for the example scenarios,
from the solver. The LibreOffice rendering test is slow and needs `soffice`.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from orgplan.domain.rules import candidate_levels, role_fit
from orgplan.errors import OutputExists, UsageError
from orgplan.reports.excel import workbook as excel
from orgplan.reports.excel.sheets.assignments import add_assignments_sheet
from orgplan.reports.excel.sheets.team import add_team_sheet
from orgplan.reports.excel.toolkit import saving
from orgplan.reports.excel.toolkit.saving import (
    FIXED_TIMESTAMP,
    new_workbook,
    save_workbook,
    workbook_bytes,
)
from orgplan.reports.excel.toolkit.text import (
    ERROR_CODES,
    is_valid_sheet_title,
    is_valid_table_name,
    needs_quote_prefix,
    set_text,
    sheet_title,
    table_name,
)
from orgplan.reports.excel.workbook import SHEETS, write_plan_workbook
from orgplan.results.plan import Plan
from orgplan.scenario.format import Scenario
from plan_factory import NASTY_NAMES, empty_plan, nasty_sample, sample

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SINGLE_TABLE_SHEETS = ("Team", "Assignments", "Matrix", "Development", "Candidate fit")


# ---- helpers ------------------------------------------------------------------------------


def write(tmp_path: Path, scenario: Scenario, plan: Plan, name: str = "plan.xlsx") -> Path:
    """Write the plan workbook into `tmp_path` and return its path."""
    return write_plan_workbook(plan, scenario, tmp_path / name)


def table_rows(ws: Worksheet, name: str) -> list[dict[str, Any]]:
    """The data rows of table `name` as header -> value dicts."""
    ref = ws.tables[name].ref
    rows = [[c.value for c in row] for row in ws[ref]]
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def table_cells(ws: Worksheet, name: str) -> list[dict[str, Any]]:
    """The data cells of table `name` as header -> cell dicts."""
    ref = ws.tables[name].ref
    rows = list(ws[ref])
    header = [c.value for c in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def all_cells(wb: Workbook) -> Iterator[Any]:
    """Every cell that holds a value, on every sheet."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield cell


def _about(wb: Workbook) -> str:
    """The Summary's line about the file."""
    cells = (c.value for row in wb["Summary"].iter_rows() for c in row)
    return next(v for v in cells if str(v).startswith("About this file:"))


def approx(value: float | None) -> Any:
    """A float compare at the plan JSON's rounding."""
    return pytest.approx(value, abs=1e-4)


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scenario, Plan, Workbook]:
    """The sample plan written once and read back."""
    scenario, plan = sample()
    path = write(tmp_path_factory.mktemp("book"), scenario, plan)
    return scenario, plan, openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def nasty_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scenario, Plan, Path]:
    """The sample plan with injection payloads for names, written once."""
    scenario, plan = nasty_sample()
    return scenario, plan, write(tmp_path_factory.mktemp("nasty"), scenario, plan)


# ---- sheets and their content -------------------------------------------------------------


def test_sheets_in_order(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    _, _, wb = sample_book
    # the visible sheets, then the hidden one that ties the workbook to its scenario
    assert wb.sheetnames == [title for title, _ in SHEETS] + ["orgplan"]
    assert wb["orgplan"].sheet_state == "hidden"
    assert wb.active.title == "Summary"


def test_team_sheet_matches_plan_json(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    _, plan, wb = sample_book
    rows = table_rows(wb["Team"], "Team")
    seats = plan.to_json()["seats"]
    assert len(rows) == len(seats) == 3
    for row, seat in zip(rows, seats, strict=True):
        assert row["Seat"] == seat["seat"]
        assert row["Role"] == seat["role"]
        assert row["Candidate id"] == seat["candidate"]
        assert row["Person"] == ("Open requisition" if seat["open_req"] else seat["name"])
        assert row["Type"] in {"Internal", "External", "Open requisition"}
        assert (row["Type"] == "Open requisition") == seat["open_req"]
        assert row["Cost"] == seat["cost"]
        assert row["Hours"] == approx(seat["hours"])
        assert row["Capacity"] == approx(seat["capacity_hours"])
        assert row["Utilization"] == approx(seat["utilization"])
        assert row["Fit"] == approx(seat["fit"])
        assert row["Responsibilities"] == len(seat["responsibilities"])


def test_assignments_list_every_responsibility_once(
    sample_book: tuple[Scenario, Plan, Workbook],
) -> None:
    scenario, plan, wb = sample_book
    rows = table_rows(wb["Assignments"], "Assignments")
    data = plan.to_json()
    assert sorted(r["Id"] for r in rows) == sorted(r.id for r in scenario.responsibilities)
    owned = {r["Id"]: r for r in rows if r["Status"] == "Owned"}
    for a in data["assignments"]:
        row = owned[a["responsibility"]]
        assert row["Seat"] == a["seat"]
        assert row["Hours"] == approx(a["hours"])
        assert row["Priority"] == approx(a["priority"])
        assert row["Fit"] == approx(a["fit"])
        for skill, gap in a["gaps"].items():
            assert f"{skill} {gap:g}" in row["Gaps"]
        assert row["Reason"] is None
    uncovered = [r for r in rows if r["Status"] == "Uncovered"]
    assert [(r["Id"], r["Reason"]) for r in uncovered] == [
        (u["responsibility"], u["reason"]) for u in data["uncovered"]
    ]
    assert all(r["Seat"] is None and r["Fit"] is None for r in uncovered)


def test_matrix_hours_and_totals(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    _, plan, wb = sample_book
    ws = wb["Matrix"]
    rows = table_rows(ws, "Matrix")
    assert len(rows) == len(plan.assignments) + len(plan.uncovered)
    for seat in plan.seats:
        column = [r[seat.seat] for r in rows if r[seat.seat] is not None]
        assert sum(column) == approx(seat.hours)
    for r in rows:
        placed = [s.seat for s in plan.seats if r[s.seat] is not None]
        if r["Owner"] is None:
            assert placed == [] and r["Uncovered"] == r["Hours"]
        else:
            assert placed == [r["Owner"]] and r[r["Owner"]] == r["Hours"]
    # The totals below the table: hours, capacity and utilization per seat.
    bottom = ws.tables["Matrix"].ref.split(":")[1]
    total_row = int("".join(ch for ch in bottom if ch.isdigit())) + 2
    assert ws.cell(total_row, 2).value == "Total hours"
    assert ws.cell(total_row, 4).value == approx(plan.kpis.total_hours)
    for i, seat in enumerate(plan.seats):
        assert ws.cell(total_row, 5 + i).value == approx(seat.hours)
        assert ws.cell(total_row + 1, 5 + i).value == approx(seat.capacity_hours)
        assert ws.cell(total_row + 2, 5 + i).value == approx(seat.utilization)
    # The row above the header names the person in each seat column.
    top = int(ws.tables["Matrix"].ref.split(":")[0][1:])
    assert [ws.cell(top - 1, 5 + i).value for i in range(len(plan.seats))] == [
        "Open requisition" if s.open_req else s.person for s in plan.seats
    ]


def test_development_lists_every_gap(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    scenario, plan, wb = sample_book
    people = table_rows(wb["Development"], "Development")
    profiles = table_rows(wb["Development"], "HiringProfiles")
    # named people's gaps to develop; an open requisition's are its hiring profile's
    named = {a.seat for a in plan.assignments if a.candidate is not None}
    expected = {(a.seat, skill) for a in plan.assignments for skill in a.gaps}
    assert {(r["Seat"], r["Skill"]) for r in people} == {e for e in expected if e[0] in named}
    assert {(r["Seat"], r["Skill"]) for r in profiles if r["Seat"] != "(none)"} == {
        e for e in expected if e[0] not in named
    }
    rows = [*people, *(r for r in profiles if r["Seat"] != "(none)")]
    assert len(rows) == len(expected)
    assert all(r["Action"] is None and r["Owner"] is None and r["Due"] is None for r in people)
    for r in profiles:
        r["Has"] = r.get("Profile has")
    for r in rows:
        assert r["Gap"] == approx(r["Needed"] - r["Has"])
        assert r["Gap"] > 0
        owned = [a for a in plan.assignments if a.seat == r["Seat"] and r["Skill"] in a.gaps]
        assert r["Responsibilities"] == ", ".join(a.name for a in owned)
        assert r["Hours affected"] == approx(sum(a.hours for a in owned))
        for a in owned:
            need = scenario.responsibility(a.responsibility).needs[r["Skill"]]
            assert need <= r["Needed"]
    ana = {r["Skill"]: r for r in rows if r["Seat"] == "PM-1"}
    assert ana["decision_making"]["Needed"] == 4 and ana["decision_making"]["Has"] == 3
    assert ana["negotiation"]["Gap"] == 1


def test_candidate_fit_and_reasons(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    scenario, plan, wb = sample_book
    rows = {r["Id"]: r for r in table_rows(wb["Candidate fit"], "CandidateFit")}
    # by seat: each seat's holder, then who was weighed against it; then the others
    assert list(rows) == ["ana", "sam", "raj", "lena", "ines", "pat", "zed"]
    # the seat weighed against is said in its column; the detail is the candidate's own
    assert rows["sam"]["Weighed against"].startswith("PM-2: ")
    assert rows["lena"]["Weighed against"].startswith("TPM-1: ")
    assert rows["lena"]["Detail"].startswith("as good for less: ")
    assert rows["sam"]["Detail"].startswith("fits its work less: ")
    assert rows["ines"]["Weighed against"] is None
    for cand in scenario.candidates:
        levels = candidate_levels(cand, scenario)
        for rid, role in scenario.roles.items():
            assert rows[cand.id][f"{rid} fit"] == approx(role_fit(levels, role))
    placed = {s.candidate: s.seat for s in plan.seats if s.candidate}
    assert {cid: r["Placed in"] for cid, r in rows.items() if r["Placed in"]} == placed
    reasons = {cid: r["Reason"] for cid, r in rows.items()}
    assert reasons == {
        "ana": None,
        "raj": None,
        "lena": "cost",
        "ines": "floors",
        "pat": "role not accepted",
        "zed": "excluded",
        "sam": "not needed",
    }
    assert "domain 1 < 3" in rows["ines"]["Detail"]


def test_handoffs_and_coordination_load(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    _, plan, wb = sample_book
    ws = wb["Handoffs"]
    split = table_rows(ws, "SplitCouplings")
    assert len(split) == len(plan.handoffs) == 2
    assert [(r["Seat A"], r["Seat B"], r["Handoff cost"]) for r in split] == [
        (h.seats[0] or "(uncovered)", h.seats[1] or "(uncovered)", h.cost) for h in plan.handoffs
    ]
    pairs = table_rows(ws, "SeatPairs")
    # Only pricing/positioning joins two seats; the other split has an uncovered end.
    assert [(r["Seat A"], r["Seat B"], r["Handoff cost"], r["Couplings"]) for r in pairs] == [
        ("PM-1", "PM-2", 3, 1)
    ]
    load = {r["Seat"]: r for r in table_rows(ws, "SeatLoad")}
    assert load["PM-1"]["Coordination load"] == 3 and load["PM-1"]["Partner seats"] == 1
    assert load["TPM-1"]["Coordination load"] == 0
    assert load["PM-1"]["Share of handoff cost"] == approx(3 / 4.5)


def test_inputs_as_loaded(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    scenario, _, wb = sample_book
    ws = wb["Inputs"]
    roles = table_rows(ws, "InputRoles")
    assert [r["Role"] for r in roles] == list(scenario.roles)
    assert {r["Role"]: r["In structure"] for r in roles} == {
        "PM": "Yes",
        "TPM": "Yes",
        "PMM": "No",
    }
    resps = table_rows(ws, "InputResponsibilities")
    assert [(r["Id"], r["Hours"]) for r in resps] == [
        (r.id, r.hours) for r in scenario.responsibilities
    ]
    couplings = table_rows(ws, "InputCouplings")
    assert [
        (r["Responsibility A"], r["Responsibility B"], r["Handoff cost"]) for r in couplings
    ] == [(*c.between, c.cost) for c in scenario.couplings]
    cands = table_rows(ws, "InputCandidates")
    assert [r["Id"] for r in cands] == [c.id for c in scenario.candidates]
    ines = next(r for r in cands if r["Id"] == "ines")
    assert ines["domain"] == 1 and ines["business"] == 4  # skills over background
    assert next(r for r in cands if r["Id"] == "zed")["Excluded"] == "Yes"
    structures = table_rows(ws, "InputStructures")
    assert {r["Structure"]: r["This plan"] for r in structures} == {
        "superhero": "No",
        "lean": "Yes",
    }


def test_summary_figures_links_and_chart(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    _, plan, wb = sample_book
    ws = wb["Summary"]
    text = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    about = next(t for t in text if t.startswith("About this file:"))
    assert f"scenario {plan.scenario}, structure lean;" in about
    assert "(feasible); not stamped (reproducible file);" in about
    assert "within 1.2% of the best possible" in " ".join(text)
    figures = {r["Figure"]: r["Value"] for r in table_rows(ws, "KeyFigures")}
    k = plan.to_json()["kpis"]
    assert figures["Seats"] == k["headcount"]
    assert figures["Total annual cost"] == k["total_cost"]
    assert figures["Coverage"] == approx(k["coverage"])
    assert figures["Fit (hours-weighted)"] == approx(k["mean_fit"])
    assert figures["Max utilization"] == approx(k["max_utilization"])
    assert figures["Handoff cost"] == k["handoff_cost"]
    assert figures["Skill gaps"] == k["skill_gaps"]
    assert figures["Budget"] == 600000
    roster = table_rows(ws, "Roster")
    assert [r["Seat"] for r in roster] == [s.seat for s in plan.seats]
    assert [r["Cost"] for r in roster] == [s.cost for s in plan.seats]
    for u in plan.uncovered:
        assert any(t.startswith(f"{u.name} (") and t.endswith(u.reason) for t in text)
    # A link to every other sheet, inside the workbook.
    links = {c.value: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {title: f"'{title}'!A1" for title, _ in SHEETS[1:]} or links == {
        title: f"{title}!A1" if " " not in title else f"'{title}'!A1" for title, _ in SHEETS[1:]
    }
    assert all(not c.hyperlink.target for row in ws.iter_rows() for c in row if c.hyperlink)
    notes = table_rows(ws, "Notes")
    assert [r["Note"] for r in notes] == list(plan.notes)


def test_summary_chart_reads_team_hours_and_capacity(tmp_path: Path) -> None:
    scenario, plan = sample()
    path = write(tmp_path, scenario, plan)
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    # Hours (column I) and capacity (J) per seat (A) of the Team table, rows 5-7.
    for ref in ("'Team'!$I$5:$I$7", "'Team'!$J$5:$J$7", "'Team'!$A$5:$A$7"):
        assert f"<f>{ref}</f>" in xml


# ---- tables, formats, layout --------------------------------------------------------------


def test_every_table_is_valid_and_unique(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    _, _, wb = sample_book
    names: list[str] = []
    for ws in wb.worksheets:
        assert is_valid_sheet_title(ws.title)
        for name in list(ws.tables):
            table = ws.tables[name]
            names.append(name)
            assert is_valid_table_name(name), name
            header = next(iter(ws[table.ref]))
            values = [c.value for c in header]
            assert all(isinstance(v, str) and v for v in values)
            assert len({v.lower() for v in values}) == len(values)
            assert [c.name for c in table.tableColumns] == values
            for cell in header:
                assert cell.font.b and cell.fill.fgColor.rgb.endswith("1F4E78")
            assert table.ref.count(":") == 1
            first, last = table.ref.split(":")
            assert int("".join(ch for ch in last if ch.isdigit())) > int(
                "".join(ch for ch in first if ch.isdigit())
            ), "a table needs a data row"
    assert len({n.lower() for n in names}) == len(names)
    assert len(names) >= 18


def test_frozen_headers_and_print_setup(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    _, _, wb = sample_book
    for title in SINGLE_TABLE_SHEETS:
        ws = wb[title]
        table = next(iter(ws.tables.values()))
        header_row = int("".join(ch for ch in table.ref.split(":")[0] if ch.isdigit()))
        assert ws.freeze_panes is not None
        assert int("".join(ch for ch in ws.freeze_panes if ch.isdigit())) == header_row + 1
        assert str(header_row) in ws.print_title_rows
    for ws in wb.worksheets:
        if ws.sheet_state == "hidden":
            continue  # the review sheet (reports/excel/review.py) is never printed
        assert ws.page_setup.orientation == "landscape"
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert int(ws.page_setup.fitToWidth) == 1
            # the Summary and the Org chart are one page; the others as many down as needed
            one_page = ws.title in ("Summary", "Org chart")
            assert int(ws.page_setup.fitToHeight) == (1 if one_page else 0)
        else:  # too wide for one page at 70%: over pages across, its first column repeated
            assert ws.page_setup.scale == 75 and ws.print_title_cols == "$A:$A"
        widths = [d.width for d in ws.column_dimensions.values() if d.width]
        assert widths and all(6 <= w <= 60 for w in widths)


def test_number_formats(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    _, _, wb = sample_book
    team = table_cells(wb["Team"], "Team")[0]
    assert team["Cost"].number_format == '"$"#,##0'
    assert team["Hours"].number_format == '#,##0.0 "h"'
    assert team["Capacity"].number_format == '#,##0.0 "h"'
    assert team["Utilization"].number_format == "0.0%"
    assert team["Fit"].number_format == "0%"
    figures = {r["Figure"].value: r["Value"] for r in table_cells(wb["Summary"], "KeyFigures")}
    assert figures["Total annual cost"].number_format == '"$"#,##0'
    assert figures["Coverage"].number_format == "0.0%"
    roster = table_cells(wb["Summary"], "Roster")[0]
    assert roster["Hours"].number_format == '#,##0.0 "h"'


def test_currency_formats() -> None:
    assert excel.currency_format("EUR") == '"€"#,##0'
    assert excel.currency_format("chf") == '#,##0 "CHF"'
    # A code with quotes cannot break out of the format's literal.
    assert excel.currency_format('X"Y;@') == '#,##0 "XY"'
    assert excel.currency_format("123") == "#,##0"


def test_conditional_formats(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    _, _, wb = sample_book

    def rules(ws: Worksheet) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for cf in ws.conditional_formatting:
            out.setdefault(str(cf.sqref), set()).update(r.type for r in cf.rules)
        return out

    team = rules(wb["Team"])
    assert team == {"K5:K7": {"dataBar"}, "M5:M7": {"colorScale"}}
    assert "colorScale" in rules(wb["Assignments"])["I5:I10"]
    matrix = rules(wb["Matrix"])
    assert matrix["E6:G11"] == {"colorScale"}
    assert "dataBar" in set().union(*matrix.values())
    fit = rules(wb["Candidate fit"])
    assert fit == {"F5:H11": {"colorScale"}}
    assert any("dataBar" in types for types in rules(wb["Summary"]).values())


def test_no_cell_is_a_formula(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    _, _, wb = sample_book
    cells = list(all_cells(wb))
    assert cells
    assert all(c.data_type != "f" for c in cells)
    notes = table_rows(wb["Summary"], "Notes")
    assert notes[1]["Note"] == "=not a formula"


def test_workbook_properties(sample_book: tuple[Scenario, Plan, Workbook]) -> None:
    _, plan, wb = sample_book
    props = wb.properties
    assert props.title == f"Staffing plan: {plan.scenario} (lean)"
    assert props.creator == "orgplan"
    assert props.lastModifiedBy == "orgplan"
    assert props.created == FIXED_TIMESTAMP.replace(tzinfo=None)
    assert props.modified == FIXED_TIMESTAMP.replace(tzinfo=None)
    assert props.identifier == excel.plan_fingerprint(plan)


def test_empty_plan_still_renders(tmp_path: Path) -> None:
    scenario, _ = sample()
    plan = empty_plan(scenario)
    wb = openpyxl.load_workbook(write(tmp_path, scenario, plan))
    assert table_rows(wb["Team"], "Team") == [
        {h: ("(none)" if h == "Seat" else None) for h in table_rows(wb["Team"], "Team")[0]}
    ]
    assignments = table_rows(wb["Assignments"], "Assignments")
    assert {r["Status"] for r in assignments} == {"Uncovered"}
    assert len(assignments) == len(scenario.responsibilities)
    with zipfile.ZipFile(tmp_path / "plan.xlsx") as z:
        assert not [n for n in z.namelist() if n.startswith("xl/charts/")]


# ---- any text stays text ------------------------------------------------------------------


def test_injection_payloads_stay_literal(nasty_book: tuple[Scenario, Plan, Path]) -> None:
    scenario, plan, path = nasty_book
    wb = openpyxl.load_workbook(path)
    cells = list(all_cells(wb))
    assert all(c.data_type != "f" for c in cells)
    values = {c.value for c in cells if isinstance(c.value, str)}
    for key in ("ana", "raj", "lena", "ines", "pm_title", "tpm_title", "pricing", "product"):
        assert NASTY_NAMES[key] in values, key
    assert "=PMM fit" in values and "-TPM-1" in values
    risky = [
        c
        for c in cells
        if isinstance(c.value, str)
        and (c.value.startswith(("=", "+", "-", "@")) or c.value.upper() in ERROR_CODES)
    ]
    assert len(risky) > 20
    for cell in risky:
        assert cell.data_type == "s"
        assert cell.quotePrefix, (cell.coordinate, cell.value)
    # Control characters are gone; the rest of the name is kept.
    assert "Roadmap planning" in values
    assert not any(ch in v for v in values for ch in "\x07\x1b")
    # The raw XML holds no formula and no error cell.
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml
                assert 't="e"' not in xml


def test_injection_in_sheet_and_table_names(tmp_path: Path) -> None:
    scenario, plan = nasty_sample()
    wb = new_workbook()
    for title in ("=cmd", "a/b\\c[d]:e*f?g", "'quoted'", "History", "x" * 40, "=cmd"):
        ws = add_team_sheet(wb, plan, title, title)
        assert is_valid_sheet_title(ws.title)
        (name,) = ws.tables
        assert is_valid_table_name(name)
    titles = [ws.title.lower() for ws in wb.worksheets]
    assert len(set(titles)) == len(titles)
    path = save_workbook(wb, tmp_path / "names.xlsx")
    back = openpyxl.load_workbook(path)
    assert back.sheetnames == wb.sheetnames


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("Team", "Team"),
        ("a/b", "a_b"),
        ("[x]:*?", "_x____"),
        ("'Plan'", "Plan"),
        ("", "Sheet"),
        ("History", "History_"),
        ("bell\x07", "bell_"),
        ("y" * 40, "y" * 31),
    ],
)
def test_sheet_title(wanted: str, expected: str) -> None:
    assert sheet_title(wanted) == expected
    assert is_valid_sheet_title(sheet_title(wanted))


def test_sheet_title_unique_within_31_chars() -> None:
    taken = ["Team", "team (2)", "z" * 31]
    assert sheet_title("TEAM", taken) == "TEAM (3)"
    made = sheet_title("z" * 40, taken)
    assert made == "z" * 27 + " (2)" and len(made) == 31


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("Team", "Team"),
        ("Team plan", "Team_plan"),
        ("2027 plan", "T_2027_plan"),
        ("A1", "T_A1"),
        ("XFD1048576", "T_XFD1048576"),
        ("R1C1", "T_R1C1"),
        ("r", "T_r"),
        ("C", "T_C"),
        ("TRUE", "T_TRUE"),
        ("=cmd", "_cmd"),
        ("Früh", "Fr_h"),
        ("_private.v1", "_private.v1"),
        ("", "Table"),
    ],
)
def test_table_name(wanted: str, expected: str) -> None:
    assert table_name(wanted) == expected
    assert is_valid_table_name(table_name(wanted))


def test_table_name_unique_ignoring_case() -> None:
    assert table_name("Team", ["team", "TEAM_2"]) == "Team_3"


def test_ooxml_escape_shapes_stay_literal(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("T")
    set_text(ws["A1"], "_x0041_ and _x00e9_ but not _x41_ nor _X0041_")
    assert ws["A1"].value == "_x005F_x0041_ and _x005F_x00e9_ but not _x41_ nor _X0041_"


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("=1+1", True),
        ("+cmd", True),
        ("-2", True),
        ("@SUM(A1)", True),
        (" =x", True),
        ("#N/A", True),
        ("#ref!", True),
        ("TRUE", True),
        ("Ana Ruiz", False),
        ("a=b", False),
    ],
)
def test_needs_quote_prefix(text: str, quoted: bool) -> None:
    assert needs_quote_prefix(text) is quoted


# ---- reproducible, atomic, never over a file unless forced --------------------------------


def test_byte_identical_on_two_writes(tmp_path: Path) -> None:
    scenario, plan = sample()
    first = write(tmp_path, scenario, plan, "a.xlsx").read_bytes()
    second = write(tmp_path, scenario, plan, "b.xlsx").read_bytes()
    assert first == second
    # The solver's run time is not in the workbook: a re-solve gives the same bytes.
    _, resolved = sample(seconds=7.5)
    assert write(tmp_path, scenario, resolved, "c.xlsx").read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        infos = z.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_generated_at_is_shown_and_stamped(tmp_path: Path) -> None:
    scenario, plan = sample()
    when = datetime(2027, 3, 4, 5, 6, 7, tzinfo=UTC)
    path = write_plan_workbook(plan, scenario, tmp_path / "s.xlsx", generated_at=when)
    wb = openpyxl.load_workbook(path)
    assert "; generated 2027-03-04 05:06 UTC;" in _about(wb)
    assert wb.properties.created == datetime(2027, 3, 4, 5, 6, 7)
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {(2027, 3, 4, 5, 6, 6)}
    again = write_plan_workbook(plan, scenario, tmp_path / "t.xlsx", generated_at=when)
    assert again.read_bytes() == path.read_bytes()


def test_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario, plan = sample()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = write(tmp_path, scenario, plan)
    wb = openpyxl.load_workbook(path)
    assert "; generated 2023-11-14 22:13 UTC;" in _about(wb)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert excel.resolve_generated_at() is None


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    scenario, plan = sample()
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"keep me")
    with pytest.raises(OutputExists):
        write_plan_workbook(plan, scenario, target)
    assert target.read_bytes() == b"keep me"
    write_plan_workbook(plan, scenario, target, force=True)
    assert openpyxl.load_workbook(target).sheetnames[0] == "Summary"
    with pytest.raises(UsageError):
        write_plan_workbook(plan, scenario, tmp_path, force=True)


def test_creates_missing_folders(tmp_path: Path) -> None:
    scenario, plan = sample()
    path = write_plan_workbook(plan, scenario, tmp_path / "reports" / "deep" / "plan.xlsx")
    assert path.is_file()


def test_failed_build_leaves_target_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario, plan = sample()
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"the old plan")

    def broken_save(self: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(saving.ExcelWriter, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_plan_workbook(plan, scenario, target, force=True)
    assert target.read_bytes() == b"the old plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_failed_rename_leaves_target_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario, plan = sample()
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"the old plan")

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError("rename failed")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="rename failed"):
        write_plan_workbook(plan, scenario, target, force=True)
    assert target.read_bytes() == b"the old plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_failed_new_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario, plan = sample()

    def broken_write(self: Path, data: bytes) -> int:
        self.open("wb").write(data[:100])  # a partial file, then the disk fills up
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", broken_write)
    with pytest.raises(OSError, match="disk full"):
        write_plan_workbook(plan, scenario, tmp_path / "plan.xlsx")
    assert list(tmp_path.iterdir()) == []


# ---- the builders `orgplan compare` uses --------------------------------------------------


def test_compare_builders_put_several_plans_in_one_workbook(tmp_path: Path) -> None:
    scenario, plan = sample()
    other = empty_plan(scenario)
    wb = new_workbook()
    for label, p in (("lean", plan), ("lean", other)):
        add_team_sheet(wb, p, f"{label} team", f"{label}_team")
        add_assignments_sheet(wb, p, f"{label} assignments", f"{label}_assignments")
    assert wb.sheetnames == [
        "lean team",
        "lean assignments",
        "lean team (2)",
        "lean assignments (2)",
    ]
    wb.properties.title = "Comparison"
    path = save_workbook(wb, tmp_path / "compare.xlsx")
    assert workbook_bytes(wb) == path.read_bytes()
    back = openpyxl.load_workbook(path)
    tables = {name for ws in back.worksheets for name in ws.tables}
    assert tables == {"lean_team", "lean_assignments", "lean_team_2", "lean_assignments_2"}
    rows = table_rows(back["lean team"], "lean_team")
    assert [r["Seat"] for r in rows] == [s.seat for s in plan.seats]
    assert back.properties.creator == "orgplan"
    with pytest.raises(OutputExists):
        save_workbook(wb, path)


# ---- plans from the solver, for the example scenarios -------------------------------------


def _solved(path: Path, time_limit: float) -> tuple[Scenario, Plan]:
    """Load and solve one example scenario (structure: every role)."""
    solving = pytest.importorskip("orgplan.solving.stages")
    from orgplan.errors import SolverFailed
    from orgplan.scenario.loading import load_scenario

    scenario = load_scenario(path)
    try:
        plan = solving.solve(scenario, None, solving.SolveOptions(time_limit=time_limit))
    except SolverFailed:
        pytest.skip(f"{path.name}: no plan within {time_limit} s")
    return scenario, plan


def _check_solved_workbook(tmp_path: Path, scenario: Scenario, plan: Plan) -> None:
    path = write(tmp_path, scenario, plan)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [t for t, _ in SHEETS] + ["orgplan"]
    data = plan.to_json()
    team = table_rows(wb["Team"], "Team")
    assert [r["Seat"] for r in team] == [s["seat"] for s in data["seats"]] or not data["seats"]
    for row, seat in zip(team, data["seats"], strict=False):
        assert row["Hours"] == approx(seat["hours"]) and row["Cost"] == seat["cost"]
    assignments = table_rows(wb["Assignments"], "Assignments")
    assert sorted(r["Id"] for r in assignments) == sorted(r.id for r in scenario.responsibilities)
    fits = table_rows(wb["Candidate fit"], "CandidateFit")
    assert len(fits) == len(scenario.candidates) or (not scenario.candidates and len(fits) == 1)
    assert all(r["Reason"] is None for r in fits if r["Placed in"])
    assert all(r["Reason"] for r in fits if not r["Placed in"] and r["Id"])
    assert all(c.data_type != "f" for c in all_cells(wb))
    assert write(tmp_path, scenario, plan, "again.xlsx").read_bytes() == path.read_bytes()


@pytest.mark.parametrize("name", ["startup.yaml", "saas.yaml"])
def test_example_scenarios_render(tmp_path: Path, name: str) -> None:
    if not (SCENARIOS / name).exists():
        pytest.skip(f"scenarios/{name} not written yet")
    _check_solved_workbook(tmp_path, *_solved(SCENARIOS / name, time_limit=60))


@pytest.mark.slow
def test_enterprise_scenario_renders(
    tmp_path: Path, enterprise_plan: tuple[Scenario, Plan]
) -> None:
    _check_solved_workbook(tmp_path, *enterprise_plan)  # solved once, at 15 s (conftest.py)


# ---- LibreOffice renders it ---------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_renders_the_workbook(tmp_path: Path) -> None:
    scenario, plan = nasty_sample()
    book = write(tmp_path, scenario, plan, "plan.xlsx")
    out = tmp_path / "pdf"
    # A private profile: a user's running LibreOffice (or a parallel test) cannot block it.
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = out / "plan.pdf"
    # soffice exits 0 even when it fails to convert: the PDF is the evidence.
    assert pdf.is_file(), (result.returncode, result.stdout, result.stderr)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
    assert data.count(b"/Type/Page") + data.count(b"/Type /Page") >= len(SHEETS)


def test_text_xml_cannot_hold_is_dropped_so_the_workbook_opens(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    from orgplan.reports.excel.toolkit.text import clean_text

    hostile = "Ana\ufffe Li\uffff\x01 \ud800[x]"
    assert clean_text(hostile) == "Ana Li [x]"
    wb = Workbook()
    wb.active["A1"] = clean_text(hostile)
    wb.save(tmp_path / "t.xlsx")
    assert load_workbook(tmp_path / "t.xlsx").active["A1"].value == "Ana Li [x]"
