"""The How to read sheet: every term and colour of the workbook, in plain words.

A head of product and an HR partner read "fit" three ways and "priority 1" as the top one;
this sheet says what each word and each colour of the other sheets means, with this
scenario's figures where they help (its priorities, its allowed skill gap).
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from orgplan.formatting import figure
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.sheets.org_chart import SEAT_FILL
from orgplan.reports.excel.toolkit.sheet import Col, Link, Sheet
from orgplan.reports.excel.toolkit.styles import (
    BEST_FILL,
    DECIDED_FILL,
    FIT_HIGH_COLOR,
    FIT_LOW_COLOR,
    FIT_MID_COLOR,
    FULL_FILL,
    HEAT_COLOR,
    LEVEL_HEAT_COLOR,
    RAMPING_FILL,
    RECRUITING_FILL,
    UNCOVERED_FILL,
    UTILIZATION_BAR_COLOR,
)

TITLE = "How to read"
HOLDS = "What every term and colour of this workbook means"


def terms(sheets: PlanSheets) -> list[tuple[str, str, str]]:
    """(term, what it means, where it is shown), in reading order."""
    scenario = sheets.scenario
    priorities = sorted({r.priority for r in scenario.responsibilities})
    gap = figure(scenario.policy.max_skill_gap)
    if len(priorities) > 1:
        here = (
            f" In this scenario priorities run from {figure(priorities[0])} to "
            f"{figure(priorities[-1])}: {figure(priorities[-1])} is the most important."
        )
    else:
        here = ""
    return [
        (
            "Seat",
            "One position in the proposed team (PM-1, TPM-1): a role, and the person or open "
            "requisition that holds it.",
            "Summary, Team, Assignments, Matrix",
        ),
        (
            "Internal move",
            "Someone already employed who takes a seat: a change of role for them, and the "
            "job they leave may need a backfill.",
            "Summary, Moves and hires, Team",
        ),
        (
            "External hire (named)",
            "A named applicant from outside, to whom an offer would be made.",
            "Summary, Moves and hires, Team",
        ),
        (
            "Open requisition",
            "A seat to hire for, nobody named yet: the role's cost and hire profile stand in "
            "for the person.",
            "Summary, Moves and hires, Team",
        ),
        (
            "Level",
            "A skill on a scale of 0 to 5 (0: none, 5: expert).",
            "Inputs, Development, Assignments",
        ),
        (
            "Floors",
            "The minimum levels a role asks of anyone who holds it: a person who misses a "
            "floor cannot take the seat.",
            "Inputs, Candidate fit",
        ),
        (
            "Role fit (over floors)",
            "How much of a role's floors a person has: the sum over the floors of the smaller "
            "of their level and the floor, divided by the sum of the floors. 100%: every "
            "floor met.",
            "Candidate fit (one column per role)",
        ),
        (
            "Task fit (per responsibility)",
            "The same share over the levels one responsibility needs: 100% means the owner "
            "has every level it needs; 80% means a fifth of the needed levels are missing.",
            "Assignments (Fit)",
        ),
        (
            "Work fit (hours-weighted)",
            "A person's task fit over all the work they own, each task counted by its hours: "
            "a 10-hour task at 90% weighs ten times a 1-hour task at 50%.",
            "Team (Fit), Summary",
        ),
        (
            "Assumed fit (open requisition)",
            "For a seat nobody holds yet, the fit of the role's hire profile (the levels the "
            "hire is expected to have), not of a person: marked assumed, to be checked at "
            "hiring.",
            "Team, Assignments, Moves and hires",
        ),
        (
            "Skill gap",
            "How many levels an owner is short of what their work needs on one skill: needs "
            "technical 4, has 3, a gap of 1. The plan allows gaps of at most "
            f"{gap} level(s); each one is something to develop.",
            "Development, Assignments (Gaps)",
        ),
        (
            "Priority",
            "How much a responsibility matters when not all the work can be covered: the "
            "higher the number, the more important (it is a weight, not a rank; "
            "priority 3 counts three times priority 1)." + here,
            "Assignments, Inputs, Summary",
        ),
        (
            "Coverage",
            "The share of the work's hours per week that has an owner. Priority-weighted "
            "coverage counts each hour times its priority; the planner maximises that "
            "first.",
            "Summary",
        ),
        (
            "Quality",
            "The second aim, once coverage is as high as it can be: the hours owned, each "
            "counted at its owner's task fit, less the handoff cost of every coupling split "
            "between two seats. More is better; it is a score, not a share.",
            "Summary",
        ),
        (
            "Handoff",
            "Two responsibilities that go together (a coupling: pricing and positioning) "
            "owned by two different seats, who must then coordinate; its handoff cost is "
            "what the scenario says that costs.",
            "Handoffs, Summary",
        ),
        (
            "Cost",
            "The annual cost of a seat (the person's own, else the role's), in the scenario's "
            "currency; among teams of the same coverage and quality the planner takes the "
            "cheapest.",
            "Summary, Team, Moves and hires",
        ),
        (
            "Capacity and utilization",
            "Capacity: the hours per week a seat can take (the role's, times the person's "
            "availability: 0.5 for half-time). Utilization: the hours owned over that "
            "capacity.",
            "Team, Matrix, Summary",
        ),
        (
            "Uncovered",
            "Work no seat owns in this plan, with the reason (nobody eligible, no capacity "
            "left, not worth its cost).",
            "Summary, Assignments",
        ),
        (
            "Proven best / within x% of the best",
            "Whether the solver proved no better plan exists (proven best), or stopped at a "
            "time limit with a plan whose cost is at most x% from the best possible (the "
            "optimality gap).",
            "Summary",
        ),
        (
            "Decision",
            "The column a reviewer marks (keep, remove, lock, place as, exclude); "
            "orgplan plan --decisions reads it back and re-plans.",
            "Team, Assignments, Candidate fit",
        ),
    ]


def colours(timed: bool = False) -> list[tuple[str, str, str, PatternFill | None]]:
    """(colour, what it means, where, a fill to show it), in reading order; `timed`: with
    the Timeline's phases (a plan over a horizon)."""
    solid = {
        c: PatternFill("solid", fgColor=c)
        for c in (FIT_LOW_COLOR, FIT_MID_COLOR, FIT_HIGH_COLOR, HEAT_COLOR, LEVEL_HEAT_COLOR)
    }
    return [
        ("Red", "Fit below 50%: a weak match", "Fit columns", solid[FIT_LOW_COLOR]),
        ("Amber", "Fit around 75%", "Fit columns", solid[FIT_MID_COLOR]),
        ("Green", "Fit at 100%: every level met", "Fit columns", solid[FIT_HIGH_COLOR]),
        (
            "Blue bar",
            "Utilization: the bar fills the cell at a full seat (100% of capacity)",
            "Team, Matrix, Summary",
            PatternFill("solid", fgColor=UTILIZATION_BAR_COLOR),
        ),
        (
            "Orange shade",
            "The darker, the more: hours (Matrix), handoff cost (Handoffs), gap (Development)",
            "Matrix, Handoffs, Development",
            solid[HEAT_COLOR],
        ),
        (
            "Blue shade",
            "A candidate's skill levels, darker for higher",
            "Inputs",
            solid[LEVEL_HEAT_COLOR],
        ),
        ("Peach row", "Work nobody owns in this plan", "Assignments", UNCOVERED_FILL),
        (
            "Yellow cell",
            "A decision a reviewer made, which the plan respected",
            "Decision columns",
            DECIDED_FILL,
        ),
        (
            "Pale green",
            "The best value of a row (Comparison); the recommended point (Sweep)",
            "Comparison, Sweep",
            BEST_FILL,
        ),
        ("Light blue box", "A seat of the proposed team", "Org chart", SEAT_FILL),
    ] + (TIMED_COLOURS if timed else [])


# The phases of a seat on the Timeline sheet (a plan over a horizon only).
TIMED_COLOURS: list[tuple[str, str, str, PatternFill | None]] = [
    ("Yellow period", "Recruiting: the seat's requisition is open", "Timeline", RECRUITING_FILL),
    (
        "Pale blue period",
        "Ramping up: the seat's first periods, at part capacity",
        "Timeline",
        RAMPING_FILL,
    ),
    ("Green period", "The seat at full capacity", "Timeline", FULL_FILL),
]


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """The sheets and what each holds, the terms, the colours: each a table."""
    sheet = Sheet(ws)
    row = sheet.heading(
        "How to read this workbook",
        "What each term and colour of the other sheets means.",
    )
    contents: list[list[Any]] = [[Link(title, title), what] for title, what in sheets.contents]
    cols = [Col("Sheet"), Col("What it holds")]
    row = sheet.titled_table(row, "Sheets", cols, contents, "SheetGuide").bottom + 2
    cols = [Col("Term"), Col("What it means"), Col("Where")]
    place = sheet.titled_table(row, "Terms", cols, terms(sheets), "Terms")
    row = place.bottom + 2
    shown = colours(sheets.plan.timed)
    cols = [Col("Colour"), Col("What it means"), Col("Where")]
    place = sheet.titled_table(row, "Colours", cols, [c[:3] for c in shown], "Colours")
    for offset, (_, _, _, fill) in enumerate(shown, start=1):
        if fill is not None:
            sheet.ws.cell(row=place.top + offset, column=1).fill = fill
    sheet.finish(print_rows=None)
