"""Candidate pools as HR partners hand them over: real CSV and XLSX files written here, with
the headers, delimiters, encodings, sheets and title rows that spreadsheet programs and HR
systems produce, and the template `orgplan init --pool` writes for them."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from conftest import DELETE, line_of, make_scenario
from orgplan.cli import app
from orgplan.scenario.format import Scenario
from orgplan.scenario.loading import read_scenario
from orgplan.text import EXCERPT

Problems = Callable[..., list[str]]
Load = Callable[..., Scenario]
Write = Callable[..., Path]

ROLES = {"PM": {"cost": 150000}, "TPM": {"cost": 160000}, "Analyst": {"cost": 110000}}


def pool_scenario(candidates_file: Any, **overrides: Any) -> str:
    """The test scenario with its candidates from `candidates_file` only."""
    return make_scenario(
        roles=ROLES, candidates=DELETE, candidates_file=candidates_file, **overrides
    )


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """An XLSX file with these sheets (name -> rows), in this order."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# ---- headers as HR systems write them -----------------------------------------------------


def test_headers_match_whatever_their_case_spacing_and_punctuation(
    load: Load, write: Write
) -> None:
    write(
        "ID,Full name,Decision Making,Internal?,Annual cost,FTE,Target roles,Notes\n"
        '007,Ana Ruiz,4,Yes,"140,000",0.8,"TPM, Analyst",moves in May\n'
        "8,Bo Lind,3,external,$120000,50%,PM; TPM,\n",
        "people.csv",
    )
    ana, bo = load(pool_scenario("people.csv")).candidates
    assert (ana.id, ana.name, ana.internal, ana.cost, ana.availability) == (
        "007",
        "Ana Ruiz",
        True,
        140000,
        0.8,
    )
    assert dict(ana.skills) == {"decision_making": 4}
    assert ana.roles == ("TPM", "Analyst")  # split on ','
    assert (bo.internal, bo.cost, bo.availability, bo.roles) == (False, 120000, 0.5, ("PM", "TPM"))


@pytest.mark.parametrize(
    ("header", "cell", "key", "value"),
    [
        ("Name", "Ann", "name", "Ann"),
        ("Employee name", "Ann", "name", "Ann"),
        ("Salary", "100", "cost", 100),
        ("Base salary", "100", "cost", 100),
        ("Is internal", "yes", "internal", True),
        ("Role", "PM", "roles", ("PM",)),
        ("fixed-role", "PM", "fixed_role", "PM"),
        ("Do not place", "x", "exclude", "x"),  # found, then refused as not yes/no
        ("Judgment", "3", "skills", {"judgement": 3}),
        ("  TECHNICAL ", "3", "skills", {"technical": 3}),
    ],
)
def test_common_synonyms(
    load: Load, problems: Problems, write: Write, header: str, cell: str, key: str, value: Any
) -> None:
    write(f"Employee ID,{header}\nx,{cell}\n", "people.csv")
    if key == "exclude":
        assert problems(pool_scenario("people.csv")) == [
            "people.csv:2: Do not place: must be true or false, got 'x' (text)"
        ]
        return
    (cand,) = load(pool_scenario("people.csv")).candidates
    assert cand.id == "x"
    found = getattr(cand, key)
    assert (dict(found) if key == "skills" else found) == value


def test_unknown_columns_get_a_hint_or_the_way_to_ignore_them(
    problems: Problems, write: Write
) -> None:
    write("ID,Salery,Manager,Comments\na,1,Kim,ok\n", "people.csv")
    assert problems(pool_scenario("people.csv")) == [
        "people.csv:1: column 'Manager': unknown column (not a field or skill); list it under "
        "candidates_file's extra_columns to keep it as details",
        "people.csv:1: column 'Salery': unknown column (not a field or skill) (did you mean "
        "'cost'?)",
    ]


def test_two_columns_that_give_one_field(problems: Problems, write: Write) -> None:
    write("id,Name,Full name\na,A,Ann\n", "people.csv")
    assert problems(pool_scenario("people.csv")) == [
        "people.csv:1: column 'Full name': gives name again (so does column 'Name'); map one "
        "of them to null under candidates_file's columns"
    ]


def test_messages_name_the_column_as_the_file_heads_it(problems: Problems, write: Write) -> None:
    write("Employee ID,FTE,Decision Making\na,3,9\n", "people.csv")
    assert problems(pool_scenario("people.csv")) == [
        "people.csv:2: Decision Making: must be <= 5, got 9",
        "people.csv:2: FTE: must be <= 1, got 3",
    ]


def test_a_column_with_values_but_no_header(problems: Problems, write: Write) -> None:
    write("id,,name\na,x,Ann\nb,,Bo\n", "people.csv")
    assert problems(pool_scenario("people.csv")) == [
        "people.csv:1: column 2: has values (row 2) but no header; give it one or delete it"
    ]


def test_an_empty_column_without_a_header_is_ignored(load: Load, write: Write) -> None:
    write("id,name,\na,Ann,\n", "people.csv")
    assert [c.name for c in load(pool_scenario("people.csv")).candidates] == ["Ann"]


# ---- files that are not a pool: no echo ----------------------------------------------------


def test_a_file_that_is_no_pool_is_not_quoted(problems: Problems, write: Write) -> None:
    write("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nx\n", "people.csv")
    (found,) = problems(pool_scenario("people.csv"))
    assert found == (
        "people.csv:1: the header row names no candidate column (id, name, background, cost, "
        "availability, internal, roles, fixed_role, exclude or a skill): is this a "
        "candidates file?"
    )


def test_a_long_header_is_quoted_short(problems: Problems, write: Write) -> None:
    write("id," + "k" * 80 + "\na,1\n", "people.csv")
    assert problems(pool_scenario("people.csv")) == [
        f"people.csv:1: column '{'k' * (EXCERPT - 1)}…': unknown column (not a field or skill); "
        "list it under candidates_file's extra_columns to keep it as details"
    ]


def test_control_characters_are_refused_and_never_echoed(
    problems: Problems, write: Write, tmp_path: Path
) -> None:
    write("id,name\na,\x1b]8;;https://evil.example\x07click\n", "people.csv")
    text = pool_scenario("people.csv")
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'candidates_file')}: candidates_file: people.csv: line 2: "
        "character #x001b is not allowed (a control character: is this a text file?)"
    ]
    workbook(tmp_path / "people.xlsx", {"Pool": [["id"], ["a"]]})
    text = pool_scenario({"path": "people.xlsx", "sheet": "PLACEHOLDER"})
    text = text.replace("PLACEHOLDER", '"\\e]8;;https://evil.example\\aPool"')
    (found,) = problems(text)
    assert found.endswith(
        "candidates_file.sheet: people.xlsx has no sheet '\\x1b]8;;https://evil.example\\x07Pool'; "
        "its sheets: 'Pool'"
    )


# ---- CSV: delimiters, encodings, rows ------------------------------------------------------


def test_semicolon_cp1252_with_decimal_commas(load: Load, write: Write, tmp_path: Path) -> None:
    # European Excel: ';' between cells, ',' as the decimal mark, '.' between thousands.
    text = "Id;Name;Availability;Cost;Business\r\nj1;José Müller;0,5;140.000;3,5\r\n"
    write(text.encode("cp1252"), "people.csv")
    (jose,) = load(pool_scenario("people.csv")).candidates
    assert (jose.name, jose.availability, jose.cost) == ("José Müller", 0.5, 140000)
    assert dict(jose.skills) == {"business": 3.5}
    loaded = read_scenario(tmp_path / "s.yaml")
    assert loaded.pool is not None
    assert loaded.pool.describe().endswith("people.csv (cp1252, ';', decimal comma)")


def test_a_semicolon_file_with_decimal_points(load: Load, write: Write, tmp_path: Path) -> None:
    # LibreOffice in an English locale: ';' between cells, '.' as the decimal mark.
    write("id;availability;cost\na;0.5;1.500\n", "people.csv")
    (cand,) = load(pool_scenario("people.csv")).candidates
    assert (cand.availability, cand.cost) == (0.5, 1.5)
    loaded = read_scenario(tmp_path / "s.yaml")
    assert loaded.pool is not None and loaded.pool.describe().endswith("people.csv (UTF-8, ';')")


@pytest.mark.parametrize(
    ("data", "described"),
    [
        ("id,name\nx,Zoë\n".encode(), "(UTF-8, ',')"),
        ("\ufeffid;name\nx;Zoë\n".encode(), "(UTF-8 with BOM, ';', decimal comma)"),
        ("id\tname\r\nx\tZoë\r\n".encode("utf-16"), "(UTF-16, tab)"),  # Excel's Unicode text
        (
            "id|name\nx|Zoë\ny|\u00c2\n".encode("latin-1").replace(b"\xc2", b"\x81"),
            "(latin-1, '|')",
        ),
    ],
)
def test_delimiter_and_encoding_are_found_and_told(
    load: Load, write: Write, tmp_path: Path, data: bytes, described: str
) -> None:
    write(data, "people.csv")
    (cand,) = load(pool_scenario("people.csv")).candidates[:1]
    assert (cand.id, cand.name) == ("x", "Zoë")
    loaded = read_scenario(tmp_path / "s.yaml")
    assert loaded.pool is not None and loaded.pool.describe().endswith(f"people.csv {described}")


def test_the_comma_file_still_refuses_a_decimal_comma(problems: Problems, write: Write) -> None:
    write('id,availability\na,"0,5"\n', "people.csv")
    assert problems(pool_scenario("people.csv")) == [
        "people.csv:2: availability: must be a number, got '0,5' (text)"
    ]


def test_ragged_rows_are_errors_with_their_line(problems: Problems, write: Write) -> None:
    write(
        "id,name,cost\na,Ann,100\nb,Bo Lind, Jr,100\nc,Cy\n\nd,Di,100,\n",
        "people.csv",
    )
    assert problems(pool_scenario("people.csv")) == [
        "people.csv:3: row: has 4 cells but the header names 3 columns (quote a value that "
        "holds ',')",
        "people.csv:4: row: has 2 cells but the header names 3 columns; give every column "
        "(an empty cell may stay empty)",
    ]  # row 6 ends with an empty cell: no problem


def test_a_quoted_cell_over_two_lines_keeps_the_lines_true(
    problems: Problems, write: Write
) -> None:
    write('id,name,availability\na,"Ann\nRuiz",1\nb,Bo,2\n', "people.csv")
    assert problems(pool_scenario("people.csv")) == [
        "people.csv:4: availability: must be <= 1, got 2"
    ]


def test_binary_data_as_a_csv_file(problems: Problems, write: Write) -> None:
    write(b"id,name\na,A\x00nn\n", "people.csv")
    text = pool_scenario("people.csv")
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'candidates_file')}: candidates_file: people.csv: line 2: "
        "character #x0000 is not allowed (a control character: is this a text file?)"
    ]


# ---- XLSX: sheets, title rows, formulas ----------------------------------------------------


def test_xlsx_with_a_title_row_on_a_named_sheet(load: Load, tmp_path: Path) -> None:
    rows = [
        ["Candidates for the 2027 product org", None, None],
        [None, None, None],
        ["ID", "Full name", "Internal?"],
        ["007", "Ana", True],
        [8.0, "Bo", "no"],
    ]
    workbook(tmp_path / "people.xlsx", {"Read me": [["see the Pool sheet"]], "Pool": rows})
    spec = {"path": "people.xlsx", "sheet": "pool", "header_row": 3}
    ana, bo = load(pool_scenario(spec)).candidates
    assert (ana.id, ana.name, ana.internal, bo.id, bo.internal) == ("007", "Ana", True, "8", False)
    loaded = read_scenario(tmp_path / "s.yaml")
    assert loaded.pool is not None
    assert loaded.pool.describe().endswith("people.xlsx (sheet 'Pool', header on row 3)")


def test_xlsx_title_row_without_header_row_says_where_the_header_is(
    problems: Problems, tmp_path: Path
) -> None:
    rows = [["Candidates 2027"], [None], ["id", "name"], ["a", "Ann"]]
    workbook(tmp_path / "people.xlsx", {"Pool": rows})
    assert problems(pool_scenario("people.xlsx")) == [
        "people.xlsx:1: the header row names no candidate column (id, name, background, cost, "
        "availability, internal, roles, fixed_role, exclude or a skill) (the header seems to "
        "be on row 3: give header_row: 3): is this a candidates file?"
    ]


def test_xlsx_sheet_by_number_and_unknown_sheets(
    problems: Problems, load: Load, tmp_path: Path
) -> None:
    workbook(tmp_path / "people.xlsx", {"Old": [["id"], ["old"]], "New": [["id"], ["new"]]})
    assert [c.id for c in load(pool_scenario({"path": "people.xlsx", "sheet": 2})).candidates] == [
        "new"
    ]
    for sheet, message in [
        (3, "people.xlsx has 2 sheet(s) ('Old', 'New'), got sheet 3"),
        ("Nwe", "people.xlsx has no sheet 'Nwe' (did you mean 'New'?); its sheets: 'Old', 'New'"),
        (0, "must be a sheet's name or its number (1 for the first sheet), got 0"),
    ]:
        text = pool_scenario({"path": "people.xlsx", "sheet": sheet})
        assert problems(text) == [
            f"s.yaml:{line_of(text, 'sheet:')}: candidates_file.sheet: {message}"
        ]


def test_xlsx_formula_without_a_value_is_an_error_naming_the_cell(
    problems: Problems, tmp_path: Path
) -> None:
    # openpyxl, like most scripts, writes formulas without computing them.
    workbook(tmp_path / "people.xlsx", {"Pool": [["id", "cost", "FTE"], ["a", "=B3*2", "=1/2"]]})
    assert problems(pool_scenario("people.xlsx")) == [
        "people.xlsx:2: FTE: cell C2 holds the formula '=1/2' but no computed value (the file "
        "was written by a program that does not compute formulas); open and save it in a "
        "spreadsheet program, or type the value",
        "people.xlsx:2: cost: cell B2 holds the formula '=B3*2' but no computed value (the file "
        "was written by a program that does not compute formulas); open and save it in a "
        "spreadsheet program, or type the value",
    ]


def test_xlsx_formulas_with_a_value_are_read(load: Load, tmp_path: Path) -> None:
    # As a spreadsheet program saves them: the result beside the formula; an empty text
    # result (=IF(...,"")) is `t="str"` with an empty value, a blank cell, not an error.
    import re
    import zipfile

    written = workbook(tmp_path / "w.xlsx", {"Pool": [["id", "cost", "FTE"], ["a", "=1", "=1"]]})
    with zipfile.ZipFile(written) as archive:
        parts = {item.filename: archive.read(item) for item in archive.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = re.sub(
        rb'<c r="B2"[^>]*>.*?</c>', b'<c r="B2"><f>1000*140</f><v>140000</v></c>', parts[sheet]
    )
    xml = re.sub(
        rb'<c r="C2"[^>]*>.*?</c>', b'<c r="C2" t="str"><f>IF(1,"","")</f><v></v></c>', xml
    )
    parts[sheet] = xml
    with zipfile.ZipFile(tmp_path / "people.xlsx", "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    (cand,) = load(pool_scenario("people.xlsx")).candidates
    assert (cand.cost, cand.availability) == (140000, 1.0)


def test_a_sheet_for_a_csv_file(problems: Problems, write: Write) -> None:
    write("id\na\n", "people.csv")
    text = pool_scenario({"path": "people.csv", "sheet": "Pool"})
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'sheet:')}: candidates_file.sheet: people.csv is a CSV file, "
        "which has no sheets"
    ]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_what_libreoffice_saves_is_read(load: Load, tmp_path: Path) -> None:
    # A script's workbook (formulas without values) saved again by a spreadsheet program,
    # as XLSX (the values computed) and as the semicolon, Windows-1252 CSV of Europe.
    rows = [
        ["Candidates 2027"],
        [],
        ["ID", "Full name", "Annual cost", "FTE", "Decision Making"],
        ["007", "José Müller", "=120000+20000", 0.5, "=2*2"],
    ]
    workbook(tmp_path / "script.xlsx", {"Pool": rows})
    profile = (tmp_path / "profile").as_uri()
    for target, name in [
        ("xlsx", "saved.xlsx"),
        ("csv:Text - txt - csv (StarCalc):59,34,1252", "saved.csv"),
    ]:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path / "out"),
                str(tmp_path / "script.xlsx"),
            ],
            capture_output=True,
            timeout=180,
        )
        saved = tmp_path / "out" / ("script" + Path(name).suffix)
        assert saved.is_file()
        (cand,) = load(pool_scenario({"path": f"out/{saved.name}", "header_row": 3})).candidates
        assert (cand.id, cand.name, cand.cost, cand.availability) == (
            "007",
            "José Müller",
            140000,
            0.5,
        )
        assert dict(cand.skills) == {"decision_making": 4}


# ---- the mapping form ------------------------------------------------------------------------


def test_columns_map_headers_null_ignores_and_extra_columns_are_kept(
    load: Load, write: Write
) -> None:
    write(
        "Staff no,Grade,Manager,Location,Tech,Notes\n17,L5,Kim,Oslo,4,moves in May\n"
        "18,L4,,Bergen,3,\n",
        "people.csv",
    )
    spec = {
        "path": "people.csv",
        "columns": {"staff NO": "id", "Grade": None, "Tech": "technical"},
        "extra_columns": ["Manager", "location"],
    }
    first, second = load(pool_scenario(spec)).candidates
    assert (first.id, dict(first.skills)) == ("17", {"technical": 4})
    # the headers as the file writes them; a blank cell is no detail; Grade (null) is gone
    assert dict(first.details) == {"Manager": "Kim", "Location": "Oslo", "Notes": "moves in May"}
    assert dict(second.details) == {"Location": "Bergen"}


def test_a_pools_details_reach_the_inputs_sheet_as_text(
    run: Callable[..., Any], write: Write, tmp_path: Path
) -> None:
    write("ID,Name,Manager,Notes\nana,Ana,=1+1,\nbob,Bob,Kim,0123\n", "people.csv")
    write(pool_scenario({"path": "people.csv", "extra_columns": ["Manager"]}))
    result = run("plan", str(tmp_path / "s.yaml"), "-o", str(tmp_path / "p.xlsx"))
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx")["Inputs"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    header = cells["Details"]
    below = [sheet.cell(header.row + i, header.column) for i in (1, 2)]
    # input text stays text: no formula, no number, leading zero kept
    assert [(c.value, c.data_type) for c in below] == [
        ("Manager: =1+1", "s"),
        ("Manager: Kim; Notes: 0123", "s"),
    ]


def test_a_mapping_to_an_unknown_column(problems: Problems, write: Write) -> None:
    write("Staff no,Tech\n17,4\n", "people.csv")
    text = pool_scenario({"path": "people.csv", "columns": {"Staff no": "id", "Tech": "tech"}})
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'Tech: tech')}: candidates_file.columns.Tech: unknown column "
        "'tech' (did you mean 'technical'?); expected a candidate field or a skill"
    ]


def test_the_mapping_forms_own_mistakes(problems: Problems) -> None:
    text = pool_scenario({"path": "  ", "header_row": 0, "colums": {}})
    line = line_of(text, "candidates_file")
    assert problems(text) == [
        f"s.yaml:{line + 1}: candidates_file.path: must name a file, got '  ' (text)",
        f"s.yaml:{line + 2}: candidates_file.header_row: must be >= 1, got 0",
        f"s.yaml:{line + 3}: candidates_file.colums: unknown key 'colums' (did you mean "
        "'columns'?)",
    ]


# ---- a skills list of one's own ----------------------------------------------------------------


def test_custom_skills_say_once_that_they_replace_the_defaults(
    problems: Problems, write: Write
) -> None:
    write("id,domain,business,regulatory\na,3,4,5\n", "people.csv")
    text = make_scenario(
        skills=["regulatory", "technical"],
        roles={"PM": {"cost": 1, "floors": {"domain": 3}}},
        responsibilities=[{"id": "r", "hours": 1, "needs": {"technical": 3}}],
        candidates=DELETE,
        candidates_file="people.csv",
    )
    assert problems(text) == [
        "people.csv:1: column 'business': unknown column (not a field or skill); list it under "
        "candidates_file's extra_columns to keep it as details",
        "people.csv:1: column 'domain': unknown column (not a field or skill); list it under "
        "candidates_file's extra_columns to keep it as details",
        f"s.yaml:{line_of(text, 'domain: 3')}: roles.PM.floors.domain: unknown skill 'domain'; "
        "expected one of: regulatory, technical",
        f"s.yaml:{line_of(text, 'skills:')}: skills: replaces the default skills, and the "
        "file still uses 2 of them (domain, business); add them to the list to keep them",
    ]


# ---- the template of `orgplan init --pool` --------------------------------------------------


def test_init_pool_xlsx_template(run: Callable[..., Any], tmp_path: Path) -> None:
    result = run("init", "--pool", "people.xlsx")
    assert (result.exit_code, result.stdout) == (
        0,
        "wrote people.xlsx\nnext: fill it in, then point a scenario's candidates_file at it\n",
    )
    book = openpyxl.load_workbook(tmp_path / "people.xlsx")
    assert book.sheetnames == ["Candidates", "How to fill in"]
    sheet = book["Candidates"]
    header = [c.value for c in sheet[1]]
    assert header[:9] == [
        "id",
        "name",
        "background",
        "cost",
        "availability",
        "internal",
        "roles",
        "fixed_role",
        "exclude",
    ]
    assert header[9:] == [
        "domain",
        "communication",
        "decision_making",
        "business",
        "technical",
        "empathy",
        "judgement",
        "negotiation",
        "sales",
    ]
    assert sheet.max_row == 2 and sheet["A2"].value == "example-1"
    checks = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert checks["F2:F1001"].formula1 == '"yes,no"'  # internal
    assert (checks["J2:J1001"].formula1, checks["J2:J1001"].formula2) == ("0", "5")  # domain
    assert checks["C2:C1001"].errorStyle == "warning"  # background: a scenario may add some
    assert all(dv.showErrorMessage for dv in checks.values())
    notes = {row[0]: row[1] for row in book["How to fill in"].iter_rows(values_only=True)}
    assert notes["roles"].endswith("Role ids separated by ';' or ','; blank: every role.")


def test_init_with_a_pool_points_the_starter_at_it(run: Callable[..., Any], tmp_path: Path) -> None:
    result = run("init", "team/scenario.yaml", "--pool", "team/pool/people.csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "wrote team/scenario.yaml\n"
        "wrote team/orgplan.schema.json\n"
        "wrote team/pool/people.csv\n"
        "next: edit it, then `orgplan validate team/scenario.yaml`\n"
    )
    data = yaml.safe_load((tmp_path / "team/scenario.yaml").read_text())
    assert data["candidates_file"] == "pool/people.csv"
    check = run("validate", "team/scenario.yaml")
    assert check.exit_code == 0, check.stderr
    assert check.stdout.splitlines()[1] == "  candidates: team/pool/people.csv (UTF-8, ',')"
    loaded = read_scenario(tmp_path / "team/scenario.yaml")
    example = loaded.scenario.candidates[-1]
    assert (example.id, example.exclude) == ("example-1", True)  # never placed, should it stay


def test_init_pool_refuses_other_files_and_overwrites_nothing(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    result = CliRunner().invoke(app, ["init", "--pool", "people.txt"])
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --pool: must name a .xlsx or .csv file, got 'people.txt'\n",
    )
    (tmp_path / "people.csv").write_text("mine\n")
    result = CliRunner().invoke(app, ["init", "s.yaml", "--pool", "people.csv"])
    assert (result.exit_code, result.stderr) == (
        2,
        "error: people.csv: already exists; pass --force to overwrite it\n",
    )
    assert not (tmp_path / "s.yaml").exists()  # checked before anything is written
    assert (tmp_path / "people.csv").read_text() == "mine\n"
    result = CliRunner().invoke(app, ["init"])
    assert (result.exit_code, result.stderr) == (
        2,
        "error: give the scenario's PATH, --pool FILE, or both\n",
    )
