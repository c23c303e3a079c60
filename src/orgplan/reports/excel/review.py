"""The review round trip of the plan workbook: its Decision drop-downs, what ties it to its
scenario and plan, and reading a reviewed copy back as decisions.

The Team, Assignments and Candidate fit sheets end in a `Decision` column (their
builders write what was decided). `add_review` makes those cells drop-downs (Excel data
validation: keep / remove on a seat, lock on owned work, place as ROLE / exclude on a
candidate), marks the decided ones, and adds a hidden sheet `orgplan` that holds the
scenario's fingerprint (its content less its decisions) and the plan the workbook shows.

`read_review` reads a reviewed workbook (saved by Excel or LibreOffice) back: only the
Decision cells, each row known by its id cell, the rest of the decision taken from the
plan the workbook showed (a `keep` is the seat's role in that plan, not whatever the Role
cell says now). A workbook of another scenario, of another version of it, or without its
hidden sheet, sheets or columns is refused.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.development import (
    NO_NOTES,
    DevelopmentNote,
    DevelopmentNotes,
    frozen_notes,
)
from orgplan.errors import Problem, ScenarioError
from orgplan.reports.excel.fingerprint import timeless_json
from orgplan.reports.excel.sheets.development import (
    ACTION,
    CANDIDATE_ID,
    DUE,
    NOTE_HEADERS,
    OWNER,
    SKILL,
)
from orgplan.reports.excel.sheets.labels import (
    DECISION,
    EXCLUDE,
    KEEP,
    LOCK,
    PLACE_AS,
    REMOVE,
)
from orgplan.reports.excel.toolkit.styles import DECIDED_FILL
from orgplan.reports.excel.toolkit.text import clean_text, set_text
from orgplan.results.plan import Plan
from orgplan.scenario import decisions as decided
from orgplan.scenario.decisions import Origin, Sourced
from orgplan.scenario.format import Decisions, Scenario
from orgplan.scenario.inputs import POOL_CAP, InputError, read_capped
from orgplan.text import excerpt

STATE_SHEET = "orgplan"
REVIEW_FORMAT = "orgplan.review/1"
_CHUNK = 30_000  # characters of the plan JSON per cell (a cell holds 32,767)
_HEADER_ROWS = 12  # a sheet's table header is within its first rows
_INLINE_LIST = 255  # the longest list Excel takes written in the validation itself


@dataclass(frozen=True)
class _Column:
    """A sheet's Decision column: the sheet, the header of its id column, and the
    choices of a row (none: the row takes no decision)."""

    sheet: str
    id_header: str
    help: str


_COLUMNS = (
    _Column(
        "Team",
        "Candidate id",
        "keep: this person stays, in this role; remove: never place this person; "
        "blank: the model chooses. Open requisitions take no decision.",
    ),
    _Column(
        "Assignments",
        "Id",
        "lock: this owner keeps this work; blank: the model chooses. Work of an open "
        "requisition or uncovered work takes no decision.",
    ),
    _Column(
        "Candidate fit",
        "Id",
        "place as ROLE: this person must hold a seat of that role; exclude: never place "
        "this person; blank: the model chooses.",
    ),
)


def scenario_fingerprint(scenario: Scenario) -> str:
    """A short hash of the scenario's content less its decisions: the workbook of a plan
    carries it, and a reviewed workbook is read back only for the same scenario."""
    data = scenario.model_dump(mode="json", exclude={"decisions"})
    text = json.dumps(data, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---- writing ------------------------------------------------------------------------------


def add_review(wb: Workbook, plan: Plan, scenario: Scenario) -> None:
    """The Decision drop-downs of the plan workbook's sheets, and its hidden sheet."""
    state = wb.create_sheet(STATE_SHEET)
    state.sheet_state = "hidden"
    rows = [
        ("format", REVIEW_FORMAT),
        ("scenario", plan.scenario),
        ("scenario fingerprint", scenario_fingerprint(scenario)),
        ("structure", plan.structure),
    ]
    for r, (key, value) in enumerate(rows, start=1):
        set_text(state.cell(row=r, column=1), key)
        set_text(state.cell(row=r, column=2), value)
    text = json.dumps(timeless_json(plan), sort_keys=True, ensure_ascii=True)
    first = len(rows) + 1
    set_text(state.cell(row=first, column=1), "plan")
    for i in range(0, max(len(text), 1), _CHUNK):
        set_text(state.cell(row=first + i // _CHUNK, column=2), text[i : i + _CHUNK])
    choices = {
        "Team": [KEEP, REMOVE],
        "Assignments": [LOCK],
        "Candidate fit": [*(PLACE_AS + r for r in scenario.roles), EXCLUDE],
    }
    for column in _COLUMNS:
        if column.sheet in wb.sheetnames:
            _drop_downs(wb[column.sheet], column, choices[column.sheet], state)


def _drop_downs(ws: Worksheet, column: _Column, choices: list[str], state: Worksheet) -> None:
    """Make the sheet's Decision cells drop-downs of `choices` on the rows that take one."""
    found = _header(ws, column)
    if found is None:
        return
    top, at, ids = found
    listed = ",".join(choices)
    plain = all(clean_text(c) == c and "," not in c and '"' not in c for c in choices)
    if plain and len(listed) + 2 <= _INLINE_LIST:
        source = f'"{listed}"'
    else:  # a long list: from the hidden sheet
        col = 4 + [c.sheet for c in _COLUMNS].index(column.sheet)
        for r, choice in enumerate(choices, start=1):
            set_text(state.cell(row=r, column=col), choice)
        letter = get_column_letter(col)
        source = f"{quote_sheetname(STATE_SHEET)}!${letter}$1:${letter}${len(choices)}"
    rule = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=DECISION,
        error=clean_text(f"Choose one of: {', '.join(choices)}, or leave it blank.")[:255],
    )
    cells = []
    for row in range(top + 1, ws.max_row + 1):
        if _text(ws.cell(row=row, column=ids).value) is None:
            continue  # an open requisition, uncovered work, the "(none)" row
        cell = ws.cell(row=row, column=at)
        cells.append(cell.coordinate)
        if cell.value is not None:
            cell.fill = DECIDED_FILL
    for coordinate in cells:
        rule.add(coordinate)
    if cells:
        ws.add_data_validation(rule)
    header = ws.cell(row=top, column=at)
    header.comment = Comment(column.help, "orgplan", width=300, height=110)


def _header(ws: Worksheet, column: _Column) -> tuple[int, int, int] | None:
    """The header row of a sheet's table, its Decision column and its id column."""
    for row in ws.iter_rows(min_row=1, max_row=_HEADER_ROWS):
        texts = {_text(cell.value): cell.column for cell in row}
        if DECISION in texts and column.id_header in texts:
            return row[0].row, texts[DECISION], texts[column.id_header]
    return None


def _text(value: Any) -> str | None:
    """A cell's value as stripped text, None when blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# ---- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """What a reviewed workbook says: its decisions (each with its cell), the plan JSON
    it showed (the plan the decisions were made on), and the notes of its Development
    sheet ((candidate id, skill) -> action, owner, due; text, never decisions)."""

    decisions: Sourced
    plan: dict[str, Any]
    notes: DevelopmentNotes = field(default_factory=lambda: NO_NOTES)


def read_review(path: Path, scenario: Scenario, scenario_path: str) -> Review:
    """The decisions a reviewer marked in a plan workbook of `scenario`.

    Raises `ScenarioError` (exit 2) for a workbook that cannot be read, that belongs to
    another scenario, or whose sheets and columns are no longer there, and for a
    Decision cell that says something other than its choices.
    """
    shown = str(path)
    try:
        data = read_capped(path, POOL_CAP, "a reviewed workbook")
    except InputError as exc:
        raise ScenarioError([Problem(shown, exc.line, "", exc.message)]) from None
    book = _open(data, shown)
    plan = _shown_plan(book, shown, scenario, scenario_path)
    seats = {s["candidate"]: s for s in plan["seats"] if s.get("candidate") is not None}
    owners = {a["responsibility"]: a for a in plan["assignments"]}
    uncovered = {u["responsibility"] for u in plan["uncovered"]}
    problems: list[Problem] = []
    cells: list[Sourced] = []
    for column in _COLUMNS:
        if column.sheet not in book.sheetnames:
            raise _refused(shown, f"has no sheet '{column.sheet}'")
        ws = book[column.sheet]
        found = _header(ws, column)
        if found is None:
            raise _refused(
                shown,
                f"sheet '{column.sheet}' has no '{DECISION}' and '{column.id_header}' columns",
            )
        top, at, ids = found
        for row in range(top + 1, ws.max_row + 1):
            choice = _text(ws.cell(row=row, column=at).value)
            if choice is None:
                continue
            key = _text(ws.cell(row=row, column=ids).value)
            origin = Origin(shown, 0, f"{column.sheet}!{get_column_letter(at)}{row}")
            read = _READERS[column.sheet]
            outcome = read(key, choice.lower(), origin, seats, owners, uncovered, scenario)
            if isinstance(outcome, Problem):
                problems.append(outcome)
            else:
                cells.append(outcome)
    merged, clashes = decided.merge(Sourced(), cells)
    problems.extend(clashes)
    if problems:
        raise ScenarioError(problems)
    return Review(merged, plan, _notes(book))


DEVELOPMENT_SHEET = "Development"


def _notes(book: Any) -> DevelopmentNotes:
    """The Development sheet's Action / Owner / Due, by (candidate id, skill): the rows
    where any of them is filled in; none when the sheet or its columns are not there."""
    if DEVELOPMENT_SHEET not in book.sheetnames:
        return NO_NOTES
    ws = book[DEVELOPMENT_SHEET]
    wanted = (CANDIDATE_ID, SKILL, *NOTE_HEADERS)
    for header in ws.iter_rows(min_row=1, max_row=_HEADER_ROWS):
        at = {_text(cell.value): cell.column for cell in header}
        if all(h in at for h in wanted):
            top = header[0].row
            break
    else:
        return NO_NOTES
    notes: dict[tuple[str, str], DevelopmentNote] = {}
    for row in range(top + 1, ws.max_row + 1):
        key = _text(ws.cell(row=row, column=at[CANDIDATE_ID]).value)
        skill = _text(ws.cell(row=row, column=at[SKILL]).value)
        if key is None or skill is None:
            break  # the table ends (the hiring profiles' heading is next)
        action, owner, due = (
            _note_text(ws.cell(row=row, column=at[h]).value) for h in (ACTION, OWNER, DUE)
        )
        if action or owner or due:
            notes[(key, skill)] = DevelopmentNote(action, owner, due)
    return frozen_notes(notes)


def _note_text(value: Any) -> str | None:
    """A note cell as text: a date (Excel turns a typed date into one) as YYYY-MM-DD, a
    number as written, None when blank."""
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        value = value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _text(value)


def _open(data: bytes, shown: str) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl raise many kinds for a bad file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ScenarioError(
            [Problem(shown, 0, "", f"cannot read it as a workbook (xlsx): {excerpt(first, 80)}")]
        ) from None


def _refused(shown: str, why: str) -> ScenarioError:
    return ScenarioError(
        [
            Problem(
                shown,
                0,
                "",
                f"{why}: not a plan workbook of orgplan as written, or edited beyond "
                "recognition; review the workbook `orgplan plan` writes (only its Decision "
                "cells are read)",
            )
        ]
    )


def _shown_plan(book: Any, shown: str, scenario: Scenario, scenario_path: str) -> dict[str, Any]:
    """The plan the workbook showed, once the workbook is known to be of `scenario`."""
    if STATE_SHEET not in book.sheetnames:
        raise _refused(shown, f"has no (hidden) sheet '{STATE_SHEET}'")
    state = book[STATE_SHEET]
    values: dict[str, list[str]] = {}
    key = None
    for row in state.iter_rows(min_row=1, max_col=2, values_only=True):
        key = _text(row[0]) or key
        if key is not None and row[1] is not None:
            values.setdefault(key, []).append(str(row[1]))
    if values.get("format") != [REVIEW_FORMAT]:
        raise _refused(shown, f"its sheet '{STATE_SHEET}' does not say {REVIEW_FORMAT}")
    name = "".join(values.get("scenario", []))
    if name != scenario.name:
        raise ScenarioError(
            [
                Problem(
                    shown,
                    0,
                    "",
                    f"shows a plan of scenario '{excerpt(name)}', not of "
                    f"'{excerpt(scenario.name)}' ({scenario_path}); give the workbook of a "
                    "plan of this scenario",
                )
            ]
        )
    fingerprint = "".join(values.get("scenario fingerprint", []))
    if fingerprint != scenario_fingerprint(scenario):
        raise ScenarioError(
            [
                Problem(
                    shown,
                    0,
                    "",
                    f"was written from another version of {scenario_path} (scenario "
                    f"fingerprint {excerpt(fingerprint)}, the file's now "
                    f"{scenario_fingerprint(scenario)}): plan the scenario again and review "
                    "the new workbook, or give the decisions with --place, --exclude, "
                    "--assign or a decisions file",
                )
            ]
        )
    try:
        plan = json.loads("".join(values.get("plan", [])))
        if not isinstance(plan, dict) or not all(
            isinstance(plan.get(k), list) for k in ("seats", "assignments", "uncovered")
        ):
            raise ValueError("not a plan")
    except ValueError:
        raise _refused(shown, f"the plan in its sheet '{STATE_SHEET}' cannot be read") from None
    return plan


_Reader = Callable[..., Sourced | Problem]


def _one(origin: Origin, **given: Any) -> Sourced:
    """One Decision cell as decisions, located at its cell."""
    decisions = Decisions.model_validate(given, strict=False)
    keys: list[tuple[str, ...]] = [("place", c) for c in decisions.place]
    keys += [("exclude", c) for c in decisions.exclude]
    keys += [("assign", r) for r in decisions.assign]
    return Sourced(decisions, {key: origin for key in keys})


def _unknown_choice(origin: Origin, choice: str, choices: Sequence[str]) -> Problem:
    listed = ", ".join(choices)
    return origin.problem(f"{DECISION}: must be one of {listed} or blank, got '{excerpt(choice)}'")


def _team(
    key: str | None,
    choice: str,
    origin: Origin,
    seats: dict[str, Any],
    owners: dict[str, Any],
    uncovered: set[str],
    scenario: Scenario,
) -> Sourced | Problem:
    if choice not in (KEEP, REMOVE):
        return _unknown_choice(origin, choice, (KEEP, REMOVE))
    if key is None:
        return origin.problem(
            f"{DECISION}: an open requisition cannot be kept or removed (it is no one yet), "
            f"got '{excerpt(choice)}'"
        )
    if key not in seats:
        return origin.problem(
            f"{DECISION}: the row's candidate id '{excerpt(key)}' holds no seat in the plan this "
            "workbook shows: the row was edited; undo the edit"
        )
    if choice == KEEP:
        return _one(origin, place={key: seats[key]["role"]})
    return _one(origin, exclude=[key])


def _assignments(
    key: str | None,
    choice: str,
    origin: Origin,
    seats: dict[str, Any],
    owners: dict[str, Any],
    uncovered: set[str],
    scenario: Scenario,
) -> Sourced | Problem:
    if choice != LOCK:
        return _unknown_choice(origin, choice, (LOCK,))
    if key is None or (key not in owners and key not in uncovered):
        return origin.problem(
            f"{DECISION}: the row's id '{excerpt(key or '')}' is no responsibility of the plan "
            "this workbook shows: the row was edited; undo the edit"
        )
    if key in uncovered:
        return origin.problem(f"{DECISION}: '{key}' is uncovered in this plan: no owner to lock")
    owner = owners[key]
    if owner.get("candidate") is None:
        return origin.problem(
            f"{DECISION}: '{key}' is owned by an open requisition ({owner['seat']}): only a "
            "named person's work can be locked"
        )
    return _one(origin, assign={key: owner["candidate"]})


def _candidate_fit(
    key: str | None,
    choice: str,
    origin: Origin,
    seats: dict[str, Any],
    owners: dict[str, Any],
    uncovered: set[str],
    scenario: Scenario,
) -> Sourced | Problem:
    roles = {r.lower(): r for r in scenario.roles}
    choices = [*(PLACE_AS + r for r in scenario.roles), EXCLUDE]
    if key is None or key not in {c.id for c in scenario.candidates}:
        return origin.problem(
            f"{DECISION}: the row's id '{excerpt(key or '')}' is no candidate of the scenario: "
            "the row was edited; undo the edit"
        )
    if choice == EXCLUDE:
        return _one(origin, exclude=[key])
    if choice.startswith(PLACE_AS) and choice[len(PLACE_AS) :].strip() in roles:
        return _one(origin, place={key: roles[choice[len(PLACE_AS) :].strip()]})
    return _unknown_choice(origin, choice, choices)


_READERS: dict[str, _Reader] = {
    "Team": _team,
    "Assignments": _assignments,
    "Candidate fit": _candidate_fit,
}
