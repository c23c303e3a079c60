"""The Development sheet: the plan's development plan, and the hiring profiles to screen for.

- **Development plan**: for each named person, a block of rows, one per skill they are
  short of: from the level they have to the level their work needs, the levels to gain,
  for which work (and its hours), the person's candidate id, then Action, Owner and Due
  for HR to fill in. A reviewed workbook's Action / Owner / Due come back on the same
  (candidate id, skill) rows of the next workbook (`review.read_review`), as text.
- **Hiring profiles**: the skills an open requisition's hire profile falls short of for
  the seat's work: what to screen for when hiring, not a person to develop.

Levels are shown as people write them (3, 3.5), and the gaps are shaded only when they
differ (a shade over equal values says nothing).
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.development import DevelopmentNote, SkillGap, development_gaps
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.sheets.labels import role_titles
from orgplan.reports.excel.toolkit.sheet import Col, Sheet
from orgplan.reports.excel.toolkit.styles import HOURS_FORMAT, LEVEL_FORMAT, heat_map

# What HR fills in: the development plan's own columns, and the cells a row is known by.
ACTION, OWNER, DUE = "Action", "Owner", "Due"
CANDIDATE_ID, SKILL = "Candidate id", "Skill"
NOTE_HEADERS = (ACTION, OWNER, DUE)

COLUMNS = (
    Col("Person"),
    Col("Seat"),
    Col("Role"),
    Col(SKILL),
    Col("Has", LEVEL_FORMAT),
    Col("Needed", LEVEL_FORMAT),
    Col("Gap", LEVEL_FORMAT),
    Col("Hours affected", HOURS_FORMAT),
    Col("Responsibilities"),
    Col(CANDIDATE_ID),
    Col(ACTION),
    Col(OWNER),
    Col(DUE),
)
PROFILE_COLUMNS = (
    Col("Seat"),
    Col("Role"),
    Col("Skill"),
    Col("Profile has", LEVEL_FORMAT),
    Col("Needed", LEVEL_FORMAT),
    Col("Gap", LEVEL_FORMAT),
    Col("Hours affected", HOURS_FORMAT),
    Col("Responsibilities"),
)


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """People's gaps in a block per person, with Action / Owner / Due; then the open
    requisitions' hiring profiles."""
    plan = sheets.plan
    sheet = Sheet(ws)
    top = sheet.heading(
        f"Development plan: {plan.scenario}",
        "For each person, every skill they are short of (levels 0-5) for the work the plan "
        "gives them: fill in the action, its owner and when it is due. Open requisitions' "
        "gaps are below, as what to screen for when hiring.",
    )
    titles = role_titles(plan, sheets.scenario)
    gaps = development_gaps(plan, sheets.scenario)
    people = [g for g in gaps if g.assignment.candidate is not None]  # by seat: a block each
    rows = [
        [
            g.assignment.person,
            g.assignment.seat,
            titles.get(g.assignment.role, g.assignment.role),
            g.skill,
            g.has,
            g.needed,
            g.shortfall,
            g.hours,
            ", ".join(g.resps),
            g.assignment.candidate,
            *_note(sheets.notes.get((g.assignment.candidate or "", g.skill))),
        ]
        for g in people
    ]
    place = sheet.table(top, 1, COLUMNS, rows, "Development")
    _shade(sheet, place.data_range("Gap"), people)
    row = place.bottom + 2
    profiles = [g for g in gaps if g.assignment.candidate is None]
    profile_rows = [
        [
            g.assignment.seat,
            titles.get(g.assignment.role, g.assignment.role),
            g.skill,
            g.has,
            g.needed,
            g.shortfall,
            g.hours,
            ", ".join(g.resps),
        ]
        for g in profiles
    ]
    title = "Hiring profiles: what to screen for (open requisitions)"
    place = sheet.titled_table(row, title, PROFILE_COLUMNS, profile_rows, "HiringProfiles")
    _shade(sheet, place.data_range("Gap"), profiles)
    sheet.finish(freeze=f"B{top + 1}", print_rows=f"{top}:{top}")


def _note(note: DevelopmentNote | None) -> tuple[str | None, str | None, str | None]:
    """The Action, Owner and Due cells of a row: what HR wrote in the last review, if any."""
    if note is None:
        return None, None, None
    return note.action, note.owner, note.due


def _shade(sheet: Sheet, ref: str, gaps: list[SkillGap]) -> None:
    """Shade the gaps by size, when they are not all the same."""
    if len({round(g.shortfall, 6) for g in gaps}) > 1:
        heat_map(sheet.ws, ref)
