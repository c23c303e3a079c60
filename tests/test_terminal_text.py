"""What the terminal shows: input text printed literally (no markup, no emoji codes,
control characters escaped) on stdout and stderr, messages that echo only short excerpts,
tables readable at 80 columns that cut no id and no figure, and the wording around
figures. The property test at the end feeds random text through every printed field."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from typer.testing import CliRunner, Result

from orgplan.cli import app
from orgplan.formatting import money
from orgplan.text import printable
from solver_helpers import cand, resp, scenario, solve_checked

REPO = Path(__file__).resolve().parents[1]
STARTUP = REPO / "scenarios" / "startup.yaml"
SAAS = REPO / "scenarios" / "saas.yaml"

# Raw characters that must never reach stdout or stderr: C0 controls but newline, DEL, C1
# controls, surrogates, bidirectional overrides and isolates, line and paragraph separators.
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
# No styles in the captured output either (a forced colour would put ESC in it).
PLAIN = {"FORCE_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None, "NO_COLOR": "1"}

LINK = "[link=https://evil.example/x]click[/link]"
OSC_LINK = "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07"


def run(*args: str | Path, columns: int = 1000) -> Result:
    """`orgplan ARGS` in-process at `columns` terminal columns, without colour."""
    env = {**PLAIN, "COLUMNS": str(columns)}
    return CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


def assert_clean(result: Result) -> None:
    """No raw control character and no traceback on either stream."""
    for stream in (result.stdout, result.stderr):
        assert not UNSAFE.search(stream), repr(UNSAFE.findall(stream))
        assert "Traceback" not in stream


# What JSON text may hold raw but a YAML reader refuses or reads as a line break.
_NOT_RAW_IN_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def write_json(path: Path, data: Any) -> Path:
    """`data` as a JSON scenario: characters beyond the BMP raw, controls as escapes."""
    text = json.dumps(data, ensure_ascii=False)
    path.write_text(_NOT_RAW_IN_YAML.sub(lambda m: f"\\u{ord(m[0]):04x}", text), "utf-8")
    return path


# ---- hostile text, literally ------------------------------------------------------------


HOSTILE: dict[str, Any] = {
    "name": f"Probe [/] x {OSC_LINK} {LINK} :smile:",
    "currency": "U[/]SD\x1b[5m",
    "roles": {
        "P[/]M": {"cost": 150000, "title": "[bold]Boss\x1b[31m"},
        "Analyst": {"cost": 90000},
    },
    "responsibilities": [
        {"id": "road[/]map", "hours": 8, "name": "Road [red]map\x1b[2J"},
        {
            "id": "metrics",
            "name": "Metrics [red]\x1b[2J",
            "hours": 4,
            "roles": ["Analyst"],
            "needs": {"technical": 5},
        },
    ],
    "candidates": [{"id": "a[/]na\x9b", "name": LINK, "background": "product_manager"}],
    "structures": {"s[/]1\u202e": {"roles": ["P[/]M"]}},
}


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    return write_json(tmp_path / "hostile [b]\x1b[31m.json", HOSTILE)


def test_validate_prints_the_path_literally(hostile: Path) -> None:
    result = run("validate", hostile)
    assert_clean(result)
    assert result.exit_code == 0
    assert result.stdout == (
        f"{printable(hostile)}: ok (2 roles, 2 responsibilities, 1 candidate, 2 structures)\n"
    )
    assert "hostile [b]\\x1b[31m.json: ok" in result.stdout


def test_fit_prints_every_name_literally(hostile: Path) -> None:
    result = run("fit", hostile)
    assert_clean(result)
    assert result.exit_code == 0
    out = result.stdout
    assert f"Fit: {printable(HOSTILE['name'])}" in out
    assert "\\x1b]8;;https://evil.example/\\x07click" in out  # the OSC link is shown, dead
    assert f"│ {LINK}" in out and "a[/]na\\x9b, product_manager" in out
    assert "P[/]M ([bold]Boss\\x1b[31m): floors none" in out
    assert "😄" not in out and ":smile:" in out


def test_fit_json_escapes_what_a_terminal_would_act_on(hostile: Path) -> None:
    result = run("fit", hostile, "--json")
    assert_clean(result)
    data = json.loads(result.stdout)
    assert data["scenario"] == HOSTILE["name"]  # the same value, written with \u escapes
    assert data["candidates"][0]["candidate"] == "a[/]na\x9b"
    assert "\\u009b" in result.stdout


def test_plan_prints_every_name_literally(hostile: Path, tmp_path: Path) -> None:
    result = run("plan", hostile, "-o", tmp_path / "p.xlsx", "--json", tmp_path / "p.json")
    assert_clean(result)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert f"{printable(HOSTILE['name'])} — all roles, no structure" in out
    assert "cost (U[/]SD\\x1b[5m)" in out and "road[/]map" in out and LINK in out
    assert "Metrics [red]\\x1b[2J" in out  # the uncovered work, by name
    assert f"wrote {tmp_path / 'p.xlsx'}" in result.stderr


def test_compare_prints_every_name_literally(hostile: Path) -> None:
    result = run("compare", hostile)
    assert_clean(result)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert f"Comparison: {printable(HOSTILE['name'])}" in out
    assert "s[/]1\\u202e" in out and "P[/]M ([bold]Boss\\x1b[31m)" in out
    assert "U[/]SD\\x1b[5m" in out


def test_sweep_prints_every_name_literally(hostile: Path) -> None:
    result = run("sweep", hostile, "--headcount", "1:2:1")
    assert_clean(result)
    assert result.exit_code == 0, result.stderr
    assert f"Sweep: {printable(HOSTILE['name'])} — all roles, no structure" in result.stdout
    assert "Team cost (U[/]SD\\x1b[5m)" in result.stdout


def test_a_usage_error_naming_input_text_is_escaped(hostile: Path) -> None:
    result = run("plan", hostile, "--structure", "\x1b]0;pwned\x07")
    assert_clean(result)
    assert result.exit_code == 2
    assert "'\\x1b]0;pwned\\x07'" in result.stderr
    # a forged second line, and a long name: one line, the name cut
    result = run("plan", hostile, "--structure", "x\nFAKE: ok" + "y" * 500)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and "'x\\nFAKE: ok" in line and "y" * 100 not in line


def test_infeasible_reasons_are_escaped(tmp_path: Path) -> None:
    data = {**HOSTILE, "policy": {"coverage": "required"}}
    result = run("plan", write_json(tmp_path / "req.json", data), "-o", tmp_path / "p.xlsx")
    assert_clean(result)
    assert result.exit_code == 1
    assert "infeasible: the scenario's hard limits cannot all be met:" in result.stderr
    assert "nobody eligible can own 'Metrics [red]\\x1b[2J'" in result.stderr


def test_problems_are_escaped_and_echo_only_an_excerpt(tmp_path: Path) -> None:
    value = "\x1b]8;;https://evil.example/\x07" + "secret " * 200
    data = {**HOSTILE, "policy": {"coverage": value}, "unknown\x1b[2Jkey": 1}
    result = run("validate", write_json(tmp_path / "bad\x1b.json", data))
    assert_clean(result)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[-1] == "2 problems in 1 file; nothing was solved"
    assert all(line.startswith(f"{tmp_path}/bad\\x1b.json:1: ") for line in lines[:-1])
    assert any("unknown\\x1b[2Jkey" in line for line in lines)
    coverage = next(line for line in lines if "policy.coverage" in line)
    assert "secret secret" in coverage and "secret " * 20 not in coverage
    assert re.search(r"'\\x1b]8;;https://evil\.example/\\x07(secret ?)+[a-z]*…'", coverage)
    assert len(coverage) < len(str(tmp_path)) + 300


# ---- tables at 80 columns ---------------------------------------------------------------


def lines_of(result: Result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout, "something was cut"
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    return lines


def words(lines: list[str]) -> set[str]:
    """Every word of the output, table rules and punctuation around it taken off."""
    return {w.strip(",;:()") for line in lines for w in re.split(r"[\s│┃]+", line) if w}


def test_compare_at_80_columns_cuts_no_structure_and_no_cost(tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    lines = lines_of(run("compare", STARTUP, "--json", out, columns=80))
    seen = words(lines)
    text = "\n".join(lines)
    for plan in json.loads(out.read_text())["plans"]:
        assert plan["structure"] in seen
        assert money(plan["kpis"]["total_cost"], "USD") in text  # whole, on one line


def test_compare_lists_why_a_plan_is_missing_under_the_table(tmp_path: Path) -> None:
    data = {
        "name": "No analyst",
        "roles": {"PM": {"cost": 100, "open_reqs": 1}, "Analyst": {"cost": 80, "open_reqs": 1}},
        "responsibilities": [
            {"id": "roadmap", "hours": 20, "roles": ["PM"]},
            {"id": "metrics", "hours": 10, "roles": ["Analyst"]},
        ],
        "candidates": [],
        "policy": {"coverage": "required"},
        "structures": {"pm_only": {"roles": ["PM"]}, "both": {"roles": ["PM", "Analyst"]}},
    }
    result = run("compare", write_json(tmp_path / "na.json", data), columns=80)
    lines = lines_of(result)
    why = lines.index("Why no plan:")
    below = [line.rstrip() for line in lines[why + 1 :]]
    assert below[:3] == [
        "  superhero:",
        "    - coverage is required, but 'metrics' may only be owned by an Analyst seat,",
        "    and structure 'superhero' has none",
    ]
    assert "  pm_only:" in below and "  both:" not in below
    table = "\n".join(lines[:why])
    assert "Why no plan" not in table and "may only be owned" not in table


def test_plan_at_80_columns_cuts_no_responsibility_and_no_figure(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    lines = lines_of(run("plan", SAAS, "-o", tmp_path / "p.xlsx", "--json", out, columns=80))
    seen = words(lines)
    plan = json.loads(out.read_text())
    for seat in plan["seats"]:
        assert seat["seat"] in seen
        assert set(seat["responsibilities"]) <= seen
        assert money(seat["cost"]) in seen
        assert f"{seat['hours']:g} / {seat['capacity_hours']:g}" in "\n".join(lines)


def test_fit_at_80_columns_cuts_no_role_and_no_name() -> None:
    lines = lines_of(run("fit", SAAS, columns=80))
    seen = words(lines)
    data = json.loads(run("fit", SAAS, "--json").stdout)
    assert {r["role"] for r in data["roles"]} <= seen
    for row in data["candidates"]:
        assert set(row["name"].split()) <= seen
        assert (row["best_role"] or "-") in seen


def test_sweep_at_80_columns_cuts_nothing() -> None:
    lines = lines_of(run("sweep", STARTUP, "--budget", "100k:400k:150k", columns=80))
    assert "250,000" in words(lines)
    assert any(line.startswith("Frontier: ") for line in lines)


WORD = st.text("abcdefghij_-0123456789", min_size=1, max_size=14)
CELL = st.tuples(st.lists(WORD, min_size=1, max_size=5), st.booleans())


@settings(max_examples=60, deadline=None)
@given(
    width=st.integers(min_value=20, max_value=200),
    heads=st.lists(WORD, min_size=1, max_size=9),
    rows=st.lists(st.lists(CELL, min_size=10, max_size=10), min_size=1, max_size=4),
)
def test_fitted_tables_fit_the_width_and_cut_no_word_or_figure(
    width: int, heads: list[str], rows: list[list[tuple[list[str], bool]]]
) -> None:
    import io

    from rich.console import Console
    from rich.text import Text

    from orgplan.reports.console import Col, fitted_tables

    def cell(words: list[str], figure: bool) -> Text:
        return Text(" ".join(words), no_wrap=figure)  # a figure: never wrapped

    key = Col(Text("key"), [cell(*row[-1]) for row in rows])
    cols = [Col(Text(h), [cell(*row[i]) for row in rows]) for i, h in enumerate(heads)]
    out = io.StringIO()
    console = Console(file=out, width=width, markup=False)
    tables = fitted_tables(key, cols, width)
    for table in tables:
        console.print(table)
    lines = out.getvalue().splitlines()
    assert max(cell_len(line) for line in lines) <= width
    if key.least() + max(col.least() for col in cols) + 7 > width:
        return  # no room for the key and the widest column: they fold, all of them kept
    shown = words(lines)
    for col in [key, *cols]:
        assert col.header.plain in shown
        for text in col.cells:
            if text.no_wrap:
                assert text.plain in out.getvalue()
            assert set(text.plain.split()) <= shown
    assert len(tables) <= len(cols)


# ---- wording ----------------------------------------------------------------------------


def test_an_analyst_seat_and_one_eligible_person() -> None:
    s = scenario(
        [
            resp("roadmap", 30, needs={"domain": 3}, priority=3),
            resp("analysis", 10, needs={"technical": 4}),
        ],
        [cand("ana", skills={"domain": 4}), cand("ben", skills={"technical": 5})],
        policy={"max_headcount": 1},
    )
    (gap,) = solve_checked(s).uncovered
    assert gap.reason == "1 eligible person not placed (ben): max_headcount 1 is reached"


# ---- the property: any text, every printed field -----------------------------------------

FRAGMENTS = (
    "[/]",
    LINK,
    "[bold red]",
    "\x1b[31m",
    OSC_LINK,
    "\x1b]0;title\x07",
    "\x9b2J",
    "\x00",
    "\x08",
    "\r",
    "\t",
    "\n",
    "\u202e",
    "\u2028",
    ":smile:",
    "\\",
    "'",
    '"',
    "_x0041_",
    "=1+1",
    "Zoë",
    "名前",
    "👩‍💻",
    "می‌خواهم",
)
# U+FFFE and U+FFFF are no XML characters: the workbook writer drops them (`clean_text`,
# tested in tests/test_excel.py), so they would not read back; left out here.
NOT_IN_XML = "\ufffe\uffff"
TEXT = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters=NOT_IN_XML),
            min_size=1,
            max_size=4,
        ),
    ),
    min_size=1,
    max_size=3,
).map("".join)
FIELDS = (
    "name",
    "currency",
    "role",
    "title",
    "resp",
    "resp_name",
    "cand",
    "cand_name",
    "structure",
)


def texts() -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({field: TEXT for field in FIELDS})


def random_scenario(t: dict[str, str]) -> dict[str, Any]:
    """A small scenario with `t` in every text field that reaches a report."""
    return {
        "name": t["name"],
        "currency": t["currency"],
        "roles": {t["role"]: {"title": t["title"], "cost": 100000}, "Analyst": {"cost": 90000}},
        "responsibilities": [
            {"id": t["resp"], "name": t["resp_name"], "hours": 10},
            {"id": "metrics", "hours": 4, "roles": ["Analyst"], "needs": {"technical": 5}},
        ],
        "candidates": [{"id": t["cand"], "name": t["cand_name"], "skills": {"domain": 3}}],
        "structures": {t["structure"]: {"roles": [t["role"]]}},
    }


def shown(text: str) -> str:
    """How `text` must appear on the terminal (the ends may be table padding)."""
    return printable(text).strip()


def in_workbook(text: str) -> str:
    """How `text` reads back from the workbook: XML's forbidden controls dropped, its line
    ends read as newlines, OOXML's `_xHHHH_` shape escaped so that Excel shows it as typed."""
    kept = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)
    kept = kept.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", kept)


def check_reports(t: dict[str, str], path: Path, folder: Path) -> None:
    """validate, fit, plan (workbook and JSON), compare, sweep: clean and literal."""
    result = run("validate", path)
    assert_clean(result)
    assert result.exit_code in (0, 2)
    if result.exit_code == 2:  # refused by the format: nothing more to show
        return
    fit = run("fit", path)
    assert_clean(fit)
    assert_clean(run("fit", path, "--json"))
    for field in ("name", "role", "title", "cand", "cand_name"):
        if t[field].strip():
            assert shown(t[field]) in fit.stdout, field
    workbook, plan_json = folder / "p.xlsx", folder / "p.json"
    plan = run("plan", path, "-o", workbook, "--json", plan_json, "--force")
    assert_clean(plan)
    assert plan.exit_code == 0, plan.stderr
    for field in ("name", "currency", "resp", "cand_name"):
        if t[field].strip():
            assert shown(t[field]) in plan.stdout, field
    assert json.loads(plan_json.read_text(encoding="utf-8"))["scenario"] == t["name"]
    cells = [
        (c.value, c.data_type)
        for ws in openpyxl.load_workbook(workbook).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    for field in ("name", "resp", "cand_name"):
        wanted = in_workbook(t[field])
        if wanted.strip():
            assert any(wanted in v for v, kind in cells if kind == "s"), field
            assert not any(wanted in v for v, kind in cells if kind == "f"), field
    compare = run("compare", path)
    assert_clean(compare)
    assert compare.exit_code == 0, compare.stderr
    for field in ("name", "structure", "currency"):
        if t[field].strip():
            assert shown(t[field]) in compare.stdout, field
    sweep = run("sweep", path, "--headcount", "1:2:1")
    assert_clean(sweep)
    assert sweep.exit_code == 0, sweep.stderr


def check_problems(t: dict[str, str], data: dict[str, Any], folder: Path) -> None:
    """The same text as a bad value and as an unknown key: escaped, and short."""
    bad = {**data, "policy": {"coverage": t["name"]}, t["currency"]: 1}
    result = run("validate", write_json(folder / "bad.json", bad))
    assert_clean(result)
    assert result.exit_code == 2
    assert all(len(line) < len(str(folder)) + 700 for line in result.stderr.splitlines())
    value, key = printable(t["name"]), printable(t["currency"])
    if len(value) <= 50 and "'" not in t["name"]:
        assert f"'{value}'" in result.stderr  # `got '...' (text)`
    if len(key) <= 50 and "'" not in t["currency"]:
        assert key in result.stderr  # the unknown key


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t=texts())
def test_any_text_in_any_field_is_printed_literally(t: dict[str, str]) -> None:
    assume(t["role"] != "Analyst" and t["resp"] != "metrics")
    data = random_scenario(t)
    with tempfile.TemporaryDirectory() as folder:
        path = write_json(Path(folder) / "s.json", data)
        check_reports(t, path, Path(folder))
        check_problems(t, data, Path(folder))
