"""`orgplan init`: a commented starter scenario that validates, with its JSON Schema beside
it, and a candidates file template (`--pool`) an HR partner fills in."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from orgplan.errors import UsageError
from orgplan.files import JSON, SCENARIO, check_outputs, json_text, write_bytes, write_text
from orgplan.scenario.format import BUILTIN_BACKGROUNDS, DEFAULT_SKILLS
from orgplan.scenario.pools import CANDIDATE_COLUMNS
from orgplan.scenario.schema import DESCRIPTIONS, SCHEMA_FILENAME, scenario_schema

DEFAULT_NAME = "Starter product team"
POOL_SUFFIXES = (".xlsx", ".csv")


def starter_text(name: str = DEFAULT_NAME, filename: str = "scenario.yaml") -> str:
    """The starter scenario, named `name`; its comments mention `filename`."""
    template = resources.files("orgplan").joinpath("templates/starter.yaml").read_text("utf-8")
    return template.replace("__NAME__", _yaml_text(name)).replace("__FILE__", filename)


def _yaml_text(text: str) -> str:
    """`text` as a YAML scalar: bare when it reads back as itself, else double-quoted."""
    import yaml

    if re.fullmatch(r"[A-Za-z][\w .()-]*", text) and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)  # JSON strings are valid YAML


@dataclass(frozen=True)
class InitResult:
    """What `init` wrote, and what it left alone."""

    scenario: Path | None
    schema: Path | None
    schema_kept: bool
    pool: Path | None = None


def init_scenario(
    path: str | Path | None,
    *,
    force: bool = False,
    name: str | None = None,
    schema: bool = True,
    pool: str | Path | None = None,
) -> InitResult:
    """Write the starter scenario at `path` (YAML, or JSON for a `.json` path), and the
    schema its header points at beside it; with `pool`, a candidates file template there
    too (the scenario's `candidates_file`).

    No file is overwritten without `force`, and every target is checked before any is
    written. The schema file is written when missing or forced; an existing different one
    is kept (reported as `schema_kept`), so a user's own copy is not clobbered by `init`.
    """
    if path is None and pool is None:
        raise UsageError("give the scenario's PATH, --pool FILE, or both")
    pool_path = Path(pool) if pool is not None else None
    if pool_path is not None and pool_path.suffix.lower() not in POOL_SUFFIXES:
        raise UsageError(f"--pool: must name a .xlsx or .csv file, got '{pool_path.name}'")
    target = Path(path) if path is not None else None
    _check_targets(target, pool_path, schema, force)
    if pool_path is not None:
        write_bytes(pool_path, pool_template(pool_path.suffix.lower()), force=force)
    if target is None:
        return InitResult(None, None, False, pool_path)
    text = starter_text(name or DEFAULT_NAME, target.name)
    if pool_path is not None:
        text = _with_pool(text, Path(os.path.relpath(pool_path, target.parent)).as_posix())
    if target.suffix.lower() == ".json":  # the same scenario, as JSON (without the comments)
        import yaml

        text = json_text(yaml.safe_load(text))
    write_text(target, text, force=force)
    if not schema:
        return InitResult(target, None, False, pool_path)
    return _write_schema(target, force, pool_path)


def _check_targets(target: Path | None, pool: Path | None, schema: bool, force: bool) -> None:
    """Refuse, before writing any, a scenario, pool or schema path that cannot be written.
    An existing schema file is no error (it is kept or compared), but it must be a regular
    file."""
    check_outputs((target, SCENARIO), pool, force=force)
    if target is None or not schema:
        return
    schema_path = target.parent / SCHEMA_FILENAME
    if schema_path.name == target.name:
        raise UsageError(
            f"{target}: is where init writes the schema; give the scenario another name, "
            "or pass --no-schema"
        )
    check_outputs((schema_path, JSON), force=True)


def _write_schema(target: Path, force: bool, pool: Path | None) -> InitResult:
    """The schema beside the scenario, unless a different one is there already."""
    schema_path = target.parent / SCHEMA_FILENAME
    wanted = json_text(scenario_schema())
    if schema_path.exists() and not force:
        same = schema_path.read_text(encoding="utf-8", errors="replace") == wanted
        return InitResult(target, schema_path, not same, pool)
    write_text(schema_path, wanted, force=force)
    return InitResult(target, schema_path, False, pool)


def _with_pool(text: str, pool: str) -> str:
    """The starter with its `candidates_file` line pointing at the pool template."""
    line = "# candidates_file: people.csv   # or keep the pool in a CSV/XLSX file beside this one"
    assert line in text, "the starter's candidates_file comment moved"
    return text.replace(line, f"candidates_file: {_yaml_text(pool)}   # more candidates")


# ---- the candidates file template ---------------------------------------------------------

EXAMPLE: dict[str, Any] = {
    "id": "example-1",
    "name": "Example Person (replace or delete this row)",
    "background": "product_manager",
    "cost": 150000,
    "availability": 1,
    "internal": "yes",
    "exclude": "yes",  # should the row stay, the example is never placed
    "domain": 4,
    "communication": 4,
}
_NOTES = {
    "roles": " Role ids separated by ';' or ','; blank: every role.",
    "internal": " yes or no.",
    "exclude": " yes or no.",
}


def pool_columns() -> list[tuple[str, str]]:
    """The template's columns and what each holds: the candidate fields, then the skills."""
    fields = [(c, DESCRIPTIONS[("Candidate", c)] + _NOTES.get(c, "")) for c in CANDIDATE_COLUMNS]
    skills = [
        (s, "Assessed level 0-5 (blank: not assessed; the background fills it).")
        for s in DEFAULT_SKILLS
    ]
    return fields + skills


def pool_template(suffix: str) -> bytes:
    """A candidates file (`.xlsx` or `.csv`): the header, one example row, and in a
    workbook the meaning of each column and checks on the values typed."""
    columns = [c for c, _ in pool_columns()]
    example = [EXAMPLE.get(c, "") for c in columns]
    if suffix == ".csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerows([columns, example])
        return out.getvalue().encode("utf-8")
    return _pool_workbook(columns, example)


def _pool_workbook(columns: list[str], example: list[Any]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Candidates"
    sheet.append(columns)
    sheet.append(example)
    for col, column in enumerate(columns, start=1):
        sheet.cell(1, col).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(col)].width = max(12, len(column) + 2)
    sheet.column_dimensions["B"].width = 44
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].number_format = "@"  # ids stay text: 007 is not 7
    _add_checks(sheet, columns)
    notes = book.create_sheet("How to fill in")
    notes.append(["column", "meaning"])
    notes.cell(1, 1).font = notes.cell(1, 2).font = Font(bold=True)
    for column, meaning in pool_columns():
        notes.append([column, meaning])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_ROWS = 1000  # rows the checks cover


def _add_checks(sheet: Any, columns: list[str]) -> None:
    """Data validation: yes/no, the built-in backgrounds, levels 0-5, FTE, costs."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    def check(column: str, rule: DataValidation, error: str) -> None:
        letter = get_column_letter(columns.index(column) + 1)
        rule.add(f"{letter}2:{letter}{_ROWS + 1}")
        rule.showErrorMessage = True
        rule.errorTitle = column
        rule.error = error
        sheet.add_data_validation(rule)

    for column in ("internal", "exclude"):
        yes_no = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
        check(column, yes_no, "yes or no")
    names = ",".join(BUILTIN_BACKGROUNDS)
    # a warning only: the scenario may add backgrounds of its own
    backgrounds = DataValidation(
        type="list", formula1=f'"{names}"', allow_blank=True, errorStyle="warning"
    )
    check("background", backgrounds, "not a built-in background: is it in the scenario's?")
    level = {"type": "decimal", "operator": "between", "formula1": "0", "allow_blank": True}
    for skill in DEFAULT_SKILLS:
        check(skill, DataValidation(**level, formula2="5"), "a level from 0 to 5")
    check("availability", DataValidation(**level, formula2="1"), "a share of full time, 0-1")
    cost = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
    )
    check("cost", cost, "an annual cost, 0 or more")
