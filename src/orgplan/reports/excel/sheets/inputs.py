"""The Inputs sheet: the scenario as the planner read it, for audit."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from orgplan.analysis.limits import seated_roles
from orgplan.domain.rules import candidate_levels
from orgplan.reports.excel.sheets.context import PlanSheets
from orgplan.reports.excel.sheets.labels import levels_text, or_none
from orgplan.reports.excel.toolkit.sheet import Col, Formatted, Sheet
from orgplan.reports.excel.toolkit.styles import (
    FIT_FORMAT,
    HOURS_FORMAT,
    INTEGER_FORMAT,
    LEVEL_FORMAT,
    LEVEL_HEAT_COLOR,
    currency_format,
    heat_map,
)


def build(ws: Worksheet, sheets: PlanSheets) -> None:
    """The scenario as loaded: roles, responsibilities, couplings, candidates, limits."""
    # Narrower columns (long lists wrap): this sheet is wide, and prints to one page across.
    sheet = Sheet(ws, max_width=40)
    row = sheet.heading(
        f"Inputs: {sheets.scenario.name}",
        "The scenario as the planner read it; candidates' levels are their skills, else "
        "their background's, else 0.",
    )
    tables: tuple[Callable[[Sheet, int, PlanSheets], int], ...] = (
        _roles,
        _responsibilities,
        _couplings,
        _candidates,
        _policy,
        _structures,
    )
    for table in tables:
        row = table(sheet, row, sheets)
    sheet.finish()


def _roles(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """Each role: floors, hire profile, cost, capacity, breadth, whether the plan seats it."""
    scenario = sheets.scenario
    seated = seated_roles(scenario, sheets.plan.structure)
    cols = [
        Col("Role"),
        Col("Title"),
        Col("Floors"),
        Col("Hire profile"),
        Col("Cost", currency_format(scenario.currency)),
        Col("Capacity", HOURS_FORMAT),
        Col("Max responsibilities", INTEGER_FORMAT),
        Col("Open reqs", INTEGER_FORMAT),
        Col("In structure"),
    ]
    rows = [
        [
            rid,
            role.title or rid,
            levels_text(role.floors),
            levels_text(role.profile()),
            role.cost,
            role.capacity,
            role.max_responsibilities,
            role.open_reqs,
            rid in seated,
        ]
        for rid, role in scenario.roles.items()
    ]
    return sheet.titled_table(row, "Roles", cols, rows, "InputRoles").bottom + 2


def _responsibilities(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """Each responsibility: needs, the roles it allows, product, hours, priority."""
    cols = [
        Col("Id"),
        Col("Name"),
        Col("Needs"),
        Col("Roles"),
        Col("Product"),
        Col("Hours", HOURS_FORMAT),
        Col("Priority"),
    ]
    rows = [
        [
            r.id,
            r.label,
            levels_text(r.needs),
            ", ".join(r.roles) if r.roles is not None else "any",
            r.product,
            r.hours,
            r.priority,
        ]
        for r in sheets.scenario.responsibilities
    ]
    return (
        sheet.titled_table(row, "Responsibilities", cols, rows, "InputResponsibilities").bottom + 2
    )


def _couplings(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """Each coupling and its handoff cost."""
    cols = [Col("Responsibility A"), Col("Responsibility B"), Col("Handoff cost")]
    rows = [[c.between[0], c.between[1], c.cost] for c in sheets.scenario.couplings]
    return sheet.titled_table(row, "Couplings", cols, rows, "InputCouplings").bottom + 2


def _candidates(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """Each candidate with their level in every skill, heat-mapped."""
    scenario = sheets.scenario
    skills = list(scenario.skills)
    cols = [
        Col("Id"),
        Col("Name"),
        Col("Background"),
        Col("Roles"),
        Col("Internal"),
        Col("Availability", FIT_FORMAT),
        Col("Cost", currency_format(scenario.currency)),
        Col("Fixed role"),
        Col("Excluded"),
        *[Col(s, LEVEL_FORMAT) for s in skills],
    ]
    # a pool's extra columns (manager, location, notes), only when there are some
    detailed = any(c.details for c in scenario.candidates)
    if detailed:
        cols.append(Col("Details"))
    rows = []
    for c in scenario.candidates:
        levels = candidate_levels(c, scenario)
        rows.append(
            [
                c.id,
                c.label,
                c.background,
                ", ".join(c.roles) if c.roles is not None else "any",
                c.internal,
                c.availability,
                c.cost,
                c.fixed_role,
                c.exclude,
                *[levels[s] for s in skills],
                *([details_text(c.details)] if detailed else []),
            ]
        )
    place = sheet.titled_table(row, "Candidates", cols, rows, "InputCandidates")
    if rows and skills:
        heat_map(sheet.ws, place.data_range(skills[0], skills[-1]), color=LEVEL_HEAT_COLOR)
    return place.bottom + 2


def _policy(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """The scenario's policy settings, "none" where a limit is not set."""
    scenario = sheets.scenario
    policy = scenario.policy
    rows: list[list[Any]] = [
        ["currency", scenario.currency],
        ["budget", Formatted(or_none(policy.budget), currency_format(scenario.currency))],
        ["max_headcount", or_none(policy.max_headcount)],
        ["max_skill_gap", policy.max_skill_gap],
        ["coverage", policy.coverage],
        ["max_products_per_seat", or_none(policy.max_products_per_seat)],
    ]
    cols = [Col("Setting"), Col("Value")]
    return sheet.titled_table(row, "Policy", cols, rows, "InputPolicy").bottom + 2


def _structures(sheet: Sheet, row: int, sheets: PlanSheets) -> int:
    """Each structure: its seats per role and what it overrides; which one this plan is."""
    rows = [
        [
            name,
            ", ".join(f"{r} {n}" if n is not None else f"{r} any" for r, n in shape.roles.items()),
            _override(shape, "max_responsibilities", INTEGER_FORMAT),
            _override(shape, "budget", currency_format(sheets.scenario.currency)),
            _override(shape, "max_headcount", INTEGER_FORMAT),
            name == sheets.plan.structure,
        ]
        for name, shape in sheets.scenario.all_structures().items()
    ]
    cols = [
        Col("Structure"),
        Col("Seats"),
        Col("Max responsibilities"),
        Col("Budget"),
        Col("Max headcount"),
        Col("This plan"),
    ]
    return sheet.titled_table(row, "Structures", cols, rows, "InputStructures").bottom + 2


def _override(shape: Any, key: str, fmt: str) -> Formatted | str:
    """What a structure says about `key`: its value (a number in `fmt`), "none" (lifted)
    or "inherits"."""
    if not shape.overrides(key):
        return "inherits"
    value = getattr(shape, key)
    return "none" if value is None else Formatted(value, fmt)


def details_text(details: Mapping[str, str]) -> str | None:
    """`Manager: Kim; Location: Oslo`, or None for a person without details."""
    return "; ".join(f"{key}: {value}" for key, value in details.items()) or None
