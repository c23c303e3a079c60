"""Excel's rules for what a workbook may hold: literal text, sheet, table and header names.

Scenario files are written by people, and every name in them (a candidate called
`=HYPERLINK(...)`, a product line called `-2`, a role id with a `/`) ends up in a cell, a
sheet title or a table header. The helpers here keep such text literal and make names that
Excel, LibreOffice and Google Sheets accept, so a workbook never opens with a repair prompt
and never runs anything the scenario's author typed.

Imported only when a workbook is written (it imports openpyxl).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.workbook.workbook import Workbook

# The longest text a cell holds; Excel truncates (openpyxl too) beyond it.
MAX_CELL_TEXT = 32767

# Text that Excel would read as a formula if a user re-entered the cell (F2, Enter), and
# that spreadsheet-injection payloads start with. The full-width forms are read as the
# ASCII ones by East Asian input methods.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# Excel's error values, the legacy seven and the newer dynamic-array ones. Typed into a
# cell they become errors, not text, whatever their case.
ERROR_CODES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#PYTHON!",
    }
)

# OOXML writes a character XML cannot hold as `_xHHHH_`, and Excel decodes any text of
# that shape: `_x0041_` typed as a name would show as `A`. Escaping the underscore
# (`_x005F_`) keeps such text literal in Excel and LibreOffice.
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")

MAX_SHEET_TITLE = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Excel reserves this sheet name for change tracking.
_RESERVED_SHEET_TITLES = frozenset({"history"})

MAX_TABLE_NAME = 255
_TABLE_FORBIDDEN = re.compile(r"[^A-Za-z0-9_.]")
# Names Excel would read as a cell reference (A1, XFD1048576, R1C1, R, C) or a boolean.
_A1_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+")
_R1C1_LIKE = re.compile(r"[Rr][0-9]*[Cc]?[0-9]*|[Cc][0-9]*")
_RESERVED_NAMES = frozenset({"true", "false"})


# Besides openpyxl's control characters, XML 1.0 holds neither U+FFFE and U+FFFF nor a
# lone surrogate: a workbook with one does not open.
_NOT_IN_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def clean_text(value: str) -> str:
    """`value` without the characters XML cannot hold, cut to Excel's cell limit."""
    return _NOT_IN_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))[:MAX_CELL_TEXT]


def needs_quote_prefix(text: str) -> bool:
    """Whether Excel would turn `text` into a formula, an error or a boolean on re-entry."""
    stripped = text.lstrip()
    if stripped.startswith(FORMULA_PREFIXES):
        return True
    upper = stripped.upper()
    return upper.startswith("#") or upper in ERROR_CODES or upper in {"TRUE", "FALSE"}


def set_text(cell: Any, value: str) -> None:
    """Put `value` in `cell` as literal text: never a formula, an error value or a boolean.

    openpyxl guesses a formula from a leading `=` and an error from `#REF!`; the type is
    forced back to text afterwards, and the quote prefix keeps the text literal when a
    user edits the cell in Excel or LibreOffice. Text shaped like OOXML's `_xHHHH_`
    escape is itself escaped, so Excel shows it as typed (openpyxl reads it back escaped).
    """
    text = _OOXML_ESCAPE.sub(r"_x005F_\1", clean_text(value))
    cell.value = text
    cell.data_type = "s"
    if needs_quote_prefix(text):
        cell.quotePrefix = True


def is_valid_sheet_title(title: str) -> bool:
    """Whether Excel accepts `title` as a sheet name (uniqueness aside)."""
    return (
        0 < len(title) <= MAX_SHEET_TITLE
        and not _SHEET_FORBIDDEN.search(title)
        and not ILLEGAL_CHARACTERS_RE.search(title)
        and not title.startswith("'")
        and not title.endswith("'")
        and title.lower() not in _RESERVED_SHEET_TITLES
    )


def sheet_title(wanted: str, taken: Iterable[str] = ()) -> str:
    """A valid sheet name close to `wanted`, unique (case-insensitively) among `taken`.

    Forbidden characters (`[]:*?/\\` and control characters) become `_`, leading and
    trailing apostrophes go, the name is cut to 31 characters, and a clash gets ` (2)`,
    ` (3)`, ... within those 31 characters.
    """
    base = _SHEET_FORBIDDEN.sub("_", ILLEGAL_CHARACTERS_RE.sub("_", wanted)).strip()
    base = base[:MAX_SHEET_TITLE].strip("' ") or "Sheet"
    if base.lower() in _RESERVED_SHEET_TITLES:
        base = f"{base}_"
    used = {t.lower() for t in taken}
    return _unique(base, used, MAX_SHEET_TITLE, " ({n})")


def is_valid_table_name(name: str) -> bool:
    """Whether Excel accepts `name` as a table name (uniqueness aside)."""
    return (
        0 < len(name) <= MAX_TABLE_NAME
        and (name[0].isascii() and (name[0].isalpha() or name[0] == "_"))
        and not _TABLE_FORBIDDEN.search(name)
        and not _looks_like_reference(name)
    )


def table_name(wanted: str, taken: Iterable[str] = ()) -> str:
    """A valid table name close to `wanted`, unique (case-insensitively) among `taken`.

    Only ASCII letters, digits, `_` and `.` are kept (others become `_`; LibreOffice is
    stricter than Excel about the rest), the name starts with a letter or `_`, and a name
    that reads as a cell reference (`A1`, `R1C1`) or a boolean gets a `T_` prefix.
    """
    base = _TABLE_FORBIDDEN.sub("_", wanted.strip()) or "Table"
    if not (base[0].isalpha() or base[0] == "_") or _looks_like_reference(base):
        base = f"T_{base}"
    used = {t.lower() for t in taken}
    return _unique(base, used, MAX_TABLE_NAME, "_{n}")


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


def workbook_names(wb: Workbook) -> set[str]:
    """Every table and defined name in `wb`: they share one namespace in Excel."""
    names = {name for ws in wb.worksheets for name in ws.tables}
    names.update(wb.defined_names)
    for ws in wb.worksheets:
        names.update(ws.defined_names)
    return names


def _looks_like_reference(name: str) -> bool:
    """Whether Excel would read `name` as a cell reference or a boolean."""
    return bool(
        _A1_LIKE.fullmatch(name) or _R1C1_LIKE.fullmatch(name) or name.lower() in _RESERVED_NAMES
    )


def _unique(base: str, used: set[str], limit: int, suffix: str) -> str:
    """`base` cut to `limit`, or with the first numbered `suffix` not in `used`."""
    candidate = base[:limit]
    n = 1
    while candidate.lower() in used:
        n += 1
        tail = suffix.format(n=n)
        candidate = base[: limit - len(tail)].rstrip() + tail
    return candidate
