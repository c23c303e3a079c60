"""Candidate pools as HR exports them: CSV or XLSX files, one candidate per row.

A CSV file may be delimited by `,`, `;`, a tab or `|` and encoded in UTF-8 (with or
without a BOM), UTF-16, Windows-1252 or Latin-1; an XLSX file may hold the pool on any
sheet, below a title row. Headers are matched whatever their case, spacing and
punctuation, and through common synonyms (`Full name`, `Salary`, `FTE`); `notes` and
`comments` columns, and those the scenario lists under `extra_columns`, are kept as each
candidate's `details` (for the reports); other columns are refused with a "did you mean"
unless the scenario maps them (`candidates_file: {path, sheet, header_row, columns,
extra_columns}`). What was chosen is kept in `PoolInfo` for `orgplan validate` to show.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orgplan.errors import Problem
from orgplan.scenario.format import DEFAULT_SKILLS, CandidatesSource
from orgplan.scenario.inputs import POOL_CAP, InputError, read_capped, table_text
from orgplan.scenario.source import Loc, RowSourceMap, SourceMap
from orgplan.text import excerpt

CANDIDATE_COLUMNS = (
    "id",
    "name",
    "background",
    "cost",
    "availability",
    "internal",
    "roles",
    "fixed_role",
    "exclude",
)
# The time columns of format 1.1 (they matter with a horizon; backfill_cost always). Read
# like the others, but not in `orgplan init`'s template of a one-period scenario.
TIME_COLUMNS = ("available_from", "backfill_cost", "ramp_up")

# Headers HR systems use for our columns, besides the column names themselves.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("employee id", "employee number", "person id", "candidate id", "staff id"),
    "name": ("full name", "employee name", "candidate name", "display name"),
    "cost": ("salary", "annual cost", "annual salary", "base salary", "compensation"),
    "availability": ("fte", "available"),
    "internal": ("is internal", "internal candidate", "internal mover"),
    "roles": ("role", "target roles", "preferred roles"),
    "fixed_role": ("assigned role",),
    "exclude": ("excluded", "do not place"),
    "available_from": ("start period", "earliest start"),
    "backfill_cost": ("backfill",),
    "ramp_up": ("ramp up periods",),
}
SKILL_SYNONYMS: dict[str, tuple[str, ...]] = {"judgement": ("judgment",)}
# Columns of free text, kept as details without a word.
NOTE_COLUMNS = ("notes", "note", "comments", "comment", "remarks")

MAX_ROWS = 100_000  # far more people than a team is planned from
MAX_COLUMNS = 1_000
MAX_UNPACKED = 500_000_000  # an XLSX is a zip file: what its parts may unpack to

_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}


def normalised(header: str) -> str:
    """A header as it is matched: `Decision Making`, `decision_making` -> `decisionmaking`."""
    return re.sub(r"[\W_]+", "", header.casefold())


@dataclass(frozen=True)
class PoolInfo:
    """How a candidates file was read: encoding and delimiter, or sheet and header row."""

    file: str
    encoding: str | None = None
    delimiter: str | None = None
    decimal_comma: bool = False
    sheet: str | None = None
    header_row: int = 1

    def describe(self) -> str:
        """`people.csv (cp1252, ';', decimal comma)` or `people.xlsx (sheet 'Pool')`."""
        if self.sheet is not None:
            parts = [f"sheet '{excerpt(self.sheet)}'"]
        else:
            parts = [str(self.encoding), _DELIMITER_NAMES.get(str(self.delimiter), "','")]
            if self.decimal_comma:
                parts.append("decimal comma")
        if self.header_row > 1:
            parts.append(f"header on row {self.header_row}")
        return f"{self.file} ({', '.join(parts)})"


@dataclass
class Pool:
    """The rows of a candidates file as candidate mappings, and where each cell sits."""

    rows: list[dict[str, Any]]
    source: RowSourceMap
    info: PoolInfo | None = None
    # default skills the file has columns for although the scenario's `skills` leave them out
    unknown_defaults: list[str] = field(default_factory=list)


@dataclass
class _Table:
    """The cells of a file as text: the header row and the rows below it, with lines."""

    header_line: int
    header: list[str]
    rows: list[tuple[int, list[str]]]
    info: PoolInfo
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # XLSX, no value
    ragged: bool = True  # CSV: a row must have as many cells as the header
    early: list[tuple[int, list[str]]] = field(default_factory=list)  # rows above the header


class _Refused(Exception):
    """The file cannot be read as a table; the message goes at `candidates_file`."""

    def __init__(self, message: str, key: str | None = None) -> None:
        self.message = message
        self.key = key
        super().__init__(message)


# ---- reading the file -------------------------------------------------------------------


def read_pool(
    path: Path,
    spec: str | CandidatesSource,
    skills: tuple[str, ...],
    scenario_source: SourceMap,
    problems: list[Problem],
) -> Pool:
    """The candidates of a CSV/XLSX file; problems name the file and row, or the scenario's
    `candidates_file` when the file cannot be read at all."""
    mapping = spec if isinstance(spec, CandidatesSource) else CandidatesSource(path=spec)
    shown = str(path)
    source = RowSourceMap(shown)
    try:
        table = _read_table(path, mapping, shown)
    except _Refused as exc:
        at: Loc = ("candidates_file",)
        if isinstance(spec, CandidatesSource):
            at = ("candidates_file", exc.key or "path")
        problems.append(scenario_source.problem(at, exc.message))
        return Pool([], source)
    columns = _Columns(mapping, skills, shown, table)
    problems.extend(_mapping_problems(mapping, columns.lookup, scenario_source))
    problems.extend(columns.problems)
    if not columns.usable:
        return Pool([], source, table.info, columns.unknown_defaults)
    source.headers.update(columns.headers)
    rows = _candidate_rows(table, columns, skills, source, problems)
    return Pool(rows, source, table.info, columns.unknown_defaults)


def _read_table(path: Path, spec: CandidatesSource, shown: str) -> _Table:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise _Refused(f"{shown} is an old .xls workbook: save it as .xlsx or .csv")
    if suffix not in {".xlsx", ".xlsm", ".csv", ".txt", ".tsv", ""}:
        raise _Refused(f"must name a .csv or .xlsx file, got '{excerpt(path.name)}'")
    try:
        data = read_capped(path, POOL_CAP, "a candidates file")
    except InputError as exc:
        raise _Refused(f"{shown}: {exc.message}") from None
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_table(data, spec, shown)
    if "sheet" in spec.model_fields_set:
        raise _Refused(f"{shown} is a CSV file, which has no sheets", "sheet")
    return _csv_table(data, spec.header_row, shown)


def _delimiter(header: str, sample: str) -> str:
    """The delimiter the header row uses most; csv.Sniffer decides a tie; else `,`."""
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts.values())
    top = [d for d in _DELIMITERS if counts[d] == best]
    if best > 0 and len(top) == 1:
        return top[0]
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        return ","


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of CSV text, each with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _csv_table(data: bytes, header_row: int, shown: str) -> _Table:
    text, encoding = table_text(data)
    control = _CONTROL.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        raise _Refused(
            f"{shown}: line {line}: character #x{ord(control.group()):04x} is not allowed (a "
            "control character: is this a text file?)"
        )
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise _Refused(f"{shown} is empty: expected a header row and one row per candidate")
    header_text = lines[header_row - 1] if header_row <= len(lines) else ""
    delimiter = _delimiter(header_text, "\n".join(lines[header_row - 1 : header_row + 19]))
    if header_text.count(delimiter) >= MAX_COLUMNS:
        raise _Refused(f"{shown}: the header has more than {MAX_COLUMNS:,} columns")
    table = _Table(0, [], [], PoolInfo(shown, encoding, delimiter, header_row=header_row))
    line = 0
    try:
        for line, cells in _csv_rows(text, delimiter):
            _add_row(table, line, cells, header_row, shown)
    except csv.Error as exc:
        raise _Refused(f"{shown}: line {line + 1}: cannot be read as CSV: {exc}") from None
    comma = _decimal_comma(table.rows, delimiter)
    table.info = dataclasses.replace(table.info, decimal_comma=comma)
    return _checked(table, header_row, shown)


_COMMA_DECIMAL = re.compile(r"[-+]?\d*,(?:\d{1,2}|\d{4,})")  # 0,5 or 3,25: not a thousands group
_DOT_DECIMAL = re.compile(r"[-+]?\d*\.(?:\d{1,2}|\d{4,})")


def _decimal_comma(rows: list[tuple[int, list[str]]], delimiter: str) -> bool:
    """Whether the numbers of a file not delimited by commas have a decimal comma: the
    first row with `0,5` or `0.5` decides; when none does (`140.000`, `1,500`), a file
    delimited by `;` has (Excel's CSV where the comma is the decimal mark), others not."""
    if delimiter == ",":
        return False
    for _, cells in rows:
        commas = any(_COMMA_DECIMAL.fullmatch(c.strip()) for c in cells)
        dots = any(_DOT_DECIMAL.fullmatch(c.strip()) for c in cells)
        if commas != dots:
            return commas
    return delimiter == ";"


def _add_row(table: _Table, line: int, cells: list[str], header_row: int, shown: str) -> None:
    """One row of a file into the table: above, at or below the header row."""
    if line < header_row:
        table.early.append((line, cells))
    elif not table.header_line:
        table.header_line, table.header = line, cells
    else:
        table.rows.append((line, cells))
        if len(table.rows) > MAX_ROWS:
            raise _Refused(f"{shown} has more than {MAX_ROWS:,} rows: not a pool to plan from")


def _checked(table: _Table, header_row: int, shown: str) -> _Table:
    """The table, once it is known to have a header row."""
    if not table.header_line or not any(c.strip() for c in table.header):
        hint = _header_hint(table.early + table.rows, header_row)
        raise _Refused(f"{shown} has no header in row {header_row}{hint}", "header_row")
    return table


def _xlsx_table(data: bytes, spec: CandidatesSource, shown: str) -> _Table:
    """The chosen sheet of a workbook as text cells; formulas without a value marked."""
    import openpyxl

    book = None
    try:
        _check_unpacked(data, shown)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return _sheet_table(book, data, spec, shown)
    except _Refused:
        raise
    except Exception as exc:  # zipfile, XML and openpyxl raise many kinds for a bad file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _Refused(f"cannot read {shown} as xlsx: {excerpt(first, 80)}") from None
    finally:
        if book is not None:
            book.close()


def _check_unpacked(data: bytes, shown: str) -> None:
    """An XLSX file is a zip archive: refuse one that unpacks to far more than a pool."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(part.file_size for part in archive.infolist()) > MAX_UNPACKED:
            raise _Refused(f"{shown} unpacks to more than {MAX_UNPACKED // 1_000_000} MB")


def _sheet_table(book: Any, data: bytes, spec: CandidatesSource, shown: str) -> _Table:
    """The rows of the sheet asked for, and its formulas that were never computed."""
    names = [sheet.title for sheet in book.worksheets]
    index = _sheet_index(names, spec.sheet, shown)
    sheet = book.worksheets[index]
    info = PoolInfo(shown, sheet=names[index], header_row=spec.header_row)
    table = _Table(0, [], [], info, ragged=False)
    part = getattr(sheet, "_worksheet_path", None)  # openpyxl's name of the sheet's XML part
    if part is not None:
        table.formulas = _uncomputed(data, part)
    rows = sheet.iter_rows(min_row=1, min_col=1, values_only=True)
    for line, values in enumerate(rows, start=1):
        _add_row(table, line, [_cell_text(v) for v in values], spec.header_row, shown)
    return _checked(table, spec.header_row, shown)


# A formula's result type that may be empty: a formula computing "" is `t="str"`, `<v></v>`.
_TEXT_RESULTS = {"str", "s", "inlineStr", "e", "b"}


def _uncomputed(data: bytes, part: str) -> dict[tuple[int, int], str]:
    """The formula cells of a worksheet's XML that hold no computed value (a workbook
    written by a script: openpyxl reads them as empty), (row, column index) -> formula."""
    import zipfile
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_to_tuple

    found: dict[tuple[int, int], str] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part) as stream:
        for _, element in iterparse(stream):
            name = element.tag.rsplit("}", 1)[-1]
            if name == "row":
                element.clear()
            if name != "c":
                continue
            kids = {child.tag.rsplit("}", 1)[-1]: child for child in element}
            formula, value, ref = kids.get("f"), kids.get("v"), element.get("r")
            computed = value is not None and (
                bool(value.text) or element.get("t", "n") in _TEXT_RESULTS
            )
            if formula is not None and not computed and ref:
                row, col = coordinate_to_tuple(ref)
                found[(row, col - 1)] = "=" + formula.text if formula.text else "(shared formula)"
    return found


def _sheet_index(names: list[str], sheet: str | int, shown: str) -> int:
    """The index of the sheet asked for, by number (from 1) or by name."""
    listed = ", ".join(f"'{excerpt(n)}'" for n in names[:10])
    if isinstance(sheet, int):
        if sheet <= len(names):
            return sheet - 1
        raise _Refused(f"{shown} has {len(names)} sheet(s) ({listed}), got sheet {sheet}", "sheet")
    for exact in (True, False):
        for i, name in enumerate(names):
            if name == sheet or (not exact and name.strip().casefold() == sheet.casefold()):
                return i
    close = difflib.get_close_matches(sheet, names, n=1, cutoff=0.6)
    hint = f" (did you mean '{excerpt(close[0])}'?)" if close else ""
    raise _Refused(f"{shown} has no sheet '{excerpt(sheet)}'{hint}; its sheets: {listed}", "sheet")


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV file would hold."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _header_hint(rows: list[tuple[int, list[str]]], header_row: int) -> str:
    """Where the header seems to be, when a row other than `header_row` names an id."""
    wanted = {normalised(h) for h in ("id", *SYNONYMS["id"])}
    for line, cells in rows[:20]:
        if line != header_row and any(normalised(c) in wanted for c in cells):
            return f" (the header seems to be on row {line}: give header_row: {line})"
    return ""


# ---- the header -------------------------------------------------------------------------


class _Columns:
    """What each column of a file is: a candidate field, a skill, or ignored."""

    def __init__(
        self, spec: CandidatesSource, skills: tuple[str, ...], shown: str, table: _Table
    ) -> None:
        self.shown = shown
        self.line = table.header_line
        self.skills = skills
        self.problems: list[Problem] = []
        self.unknown_defaults: list[str] = []
        self.headers: dict[str, str] = {}  # field -> the header as written, where it differs
        self.lookup = self._lookup()
        mapped = {normalised(k): self._target(v) for k, v in spec.columns.items()}
        kept = {normalised(e) for e in spec.extra_columns} | set(NOTE_COLUMNS)
        self.details: dict[int, str] = {}  # column -> its header, kept as details
        width = len(table.header)  # in a CSV file, a longer row is ragged
        if not table.ragged:  # a workbook's rows may reach beyond the header
            width = max([width, *(len(cells) for _, cells in table.rows)])
        header = [c.strip() for c in table.header] + [""] * (width - len(table.header))
        self.targets: list[str | None] = []
        unknown: list[str] = []
        for col, text in enumerate(header):
            key = normalised(text)
            if not text:
                self._unnamed(col, table)
                target = None
            elif key in mapped:
                target = mapped[key]
            elif key in kept:
                target = None
                if text not in self.details.values():
                    self.details[col] = text
            else:
                target = text if text in skills else self.lookup.get(key)
                if target is None:
                    unknown.append(text)
            self.targets.append(self._once(target, text))
        self.usable = self._report(unknown, bool(mapped), table)

    def _lookup(self) -> dict[str, str]:
        """Every header we know, normalised, -> the column it gives."""
        found: dict[str, str] = {}
        for skill in self.skills:
            for name in (skill, *SKILL_SYNONYMS.get(skill, ())):
                found.setdefault(normalised(name), skill)
        for column in (*CANDIDATE_COLUMNS, *TIME_COLUMNS):
            for name in (column, *SYNONYMS.get(column, ())):
                found[normalised(name)] = column
        return found

    def _target(self, name: str | None) -> str | None:
        """The column a mapping names (checked by `mapping_problems`), or None."""
        return None if name is None else self.lookup.get(normalised(name))

    def _once(self, target: str | None, text: str) -> str | None:
        """`target`, unless an earlier column gives it already (then a problem)."""
        if target is None:
            return None
        if target in self.targets:
            first = self.headers.get(target, target)
            self.problems.append(
                Problem(
                    self.shown,
                    self.line,
                    f"column '{excerpt(text)}'",
                    f"gives {target} again (so does column '{excerpt(first)}'); map one of "
                    "them to null under candidates_file's columns",
                )
            )
            return None
        if text != target:
            self.headers[target] = excerpt(text)
        return target

    def _unnamed(self, col: int, table: _Table) -> None:
        """A column without a header must be empty."""
        for line, cells in table.rows:
            if col < len(cells) and cells[col].strip():
                self.problems.append(
                    Problem(
                        self.shown,
                        self.line,
                        f"column {_column_name(col, table)}",
                        f"has values (row {line}) but no header; give it one or delete it",
                    )
                )
                return

    def _report(self, unknown: list[str], mapped: bool, table: _Table) -> bool:
        """Problems of unknown and missing columns; False when the rows cannot be read."""
        hint = _header_hint(table.early + table.rows, table.info.header_row)
        if not mapped and not any(t is not None for t in self.targets):
            # Nothing is ours: not a pool at all (perhaps not meant to be shown) - no echo.
            self.problems.clear()
            self._add(
                "",
                "the header row names no candidate column (id, name, background, cost, "
                f"availability, internal, roles, fixed_role, exclude or a skill){hint}: "
                "is this a candidates file?",
            )
            return False
        for text in unknown:
            self._unknown(text)
        if "id" not in self.targets:
            self._add(
                "column 'id'",
                "is required, got no such column (map yours under candidates_file's "
                f"columns, e.g. {{'Staff no': id}}){hint}",
            )
            return False
        return True

    def _unknown(self, text: str) -> None:
        key = normalised(text)
        default = next((s for s in DEFAULT_SKILLS if normalised(s) == key), None)
        if default is not None and default not in self.skills:
            self.unknown_defaults.append(default)
        hint = _hint(text, self.lookup)
        if not hint:
            hint = "; list it under candidates_file's extra_columns to keep it as details"
        self._add(f"column '{excerpt(text)}'", f"unknown column (not a field or skill){hint}")

    def _add(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.shown, self.line, where, message))


def _hint(header: str, lookup: dict[str, str]) -> str:
    """` (did you mean 'cost'?)` for a header close to one we know (`Salery`), or nothing."""
    close = difflib.get_close_matches(normalised(header), list(lookup), n=1, cutoff=0.6)
    return f" (did you mean '{lookup[close[0]]}'?)" if close else ""


def _mapping_problems(
    spec: CandidatesSource, lookup: dict[str, str], scenario_source: SourceMap
) -> list[Problem]:
    """A `columns` mapping must name candidate fields or skills (or null)."""
    found = []
    for header, name in spec.columns.items():
        if name is None or normalised(name) in lookup:
            continue
        hint = _hint(name, lookup)
        found.append(
            scenario_source.problem(
                ("candidates_file", "columns", header),
                f"unknown column '{excerpt(name)}'{hint}; expected a candidate field or a skill",
            )
        )
    return found


def _column_name(col: int, table: _Table) -> str:
    """A column as a person finds it: its letter in a workbook, its number in a CSV file."""
    if table.info.sheet is None:
        return str(col + 1)
    from openpyxl.utils import get_column_letter

    return get_column_letter(col + 1)


# ---- the rows ---------------------------------------------------------------------------


def _candidate_rows(
    table: _Table,
    columns: _Columns,
    skills: tuple[str, ...],
    source: RowSourceMap,
    problems: list[Problem],
) -> list[dict[str, Any]]:
    """The non-blank rows as candidate mappings, each cell's line kept in `source`."""
    rows: list[dict[str, Any]] = []
    width = len(table.header)
    comma = table.info.decimal_comma
    for line, cells in table.rows:
        if all(not c.strip() for c in cells):
            continue  # a blank row
        if table.ragged and (len(cells) < width or any(c.strip() for c in cells[width:])):
            problems.append(Problem(source.file, line, "row", _ragged(len(cells), width, table)))
            continue
        index = len(rows)
        source.lines[(index,)] = line
        row: dict[str, Any] = {}
        levels: dict[str, Any] = {}
        details = {
            header: cells[col].strip()
            for col, header in columns.details.items()
            if col < len(cells) and cells[col].strip()
        }
        if details:
            row["details"] = details
            source.lines[(index, "details")] = line
        for col, target in enumerate(columns.targets):
            formula = table.formulas.get((line, col))
            if target is not None and formula is not None:
                where = source.headers.get(target, target)
                problems.append(_formula_problem(source.file, line, col, where, formula, table))
                continue
            value = cells[col].strip() if col < len(cells) else ""
            if target is None or value == "":
                continue
            source.lines[(index, target)] = line
            if target in skills:
                levels[target] = _number(value, comma)
            else:
                row[target] = _field(target, value, comma)
        if levels:
            row["skills"] = levels
            source.lines[(index, "skills")] = line
        rows.append(row)
    return rows


def _ragged(cells: int, width: int, table: _Table) -> str:
    delimiter = _DELIMITER_NAMES.get(str(table.info.delimiter), "','")
    if cells > width:
        return (
            f"has {cells} cells but the header names {width} columns (quote a value that "
            f"holds {delimiter})"
        )
    return (
        f"has {cells} cells but the header names {width} columns; give every column "
        "(an empty cell may stay empty)"
    )


def _formula_problem(
    file: str, line: int, col: int, where: str, formula: str, table: _Table
) -> Problem:
    """A workbook cell whose formula was never computed (openpyxl reads no value)."""
    return Problem(
        file,
        line,
        where,
        f"cell {_column_name(col, table)}{line} holds the formula '{excerpt(formula)}' but "
        "no computed value (the file was written by a program that does not compute "
        "formulas); open and save it in a spreadsheet program, or type the value",
    )


def _field(column: str, value: str, decimal_comma: bool) -> Any:
    """A cell of a candidate field as the value the field takes (or the text, refused)."""
    if column == "roles":
        return [r.strip() for r in re.split(r"[;,]", value) if r.strip()]
    if column in {"cost", "backfill_cost"}:
        return _number(value.strip("$€£ \u00a0"), decimal_comma)
    if column == "ramp_up":
        return _number(value, decimal_comma)
    if column == "availability":
        if value.endswith("%"):
            share = _number(value[:-1].strip(), decimal_comma)
            return share / 100 if isinstance(share, int | float) else value
        return _number(value, decimal_comma)
    if column in {"internal", "exclude"}:
        return _boolean(value, column)
    return value


_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_THOUSANDS_DOT = re.compile(r"[-+]?\d{1,3}(?:\.\d{3})+(?:,\d*)?")


def _number(text: str, decimal_comma: bool = False) -> Any:
    """A cell as a number when it reads as one, else the text (for pydantic to refuse).

    `140,000` is read with a thousands separator and `3,5` (a decimal comma) refused; in
    a `;`-delimited file (Excel's CSV where the comma is the decimal mark) `0,5` is a half
    and `140.000` a hundred and forty thousand.
    """
    plain = text
    if decimal_comma:
        if _THOUSANDS_DOT.fullmatch(text):
            plain = text.replace(".", "")
        plain = plain.replace(",", ".")
    elif _THOUSANDS.fullmatch(text):
        plain = text.replace(",", "")
    try:
        value = float(plain)
    except ValueError:
        return text
    if math.isnan(value):
        return text
    return int(value) if value.is_integer() else value


_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


def _boolean(text: str, column: str) -> Any:
    """A cell as true/false when it reads as one, else the text (for pydantic to refuse)."""
    low = text.lower()
    if low in _TRUE or (column == "internal" and low == "internal"):
        return True
    if low in _FALSE or (column == "internal" and low == "external"):
        return False
    return text
