"""How a plan's people, levels, roles and work read in the plan's sheets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgplan.formatting import figure, structure_phrase
from orgplan.results.plan import Assignment, Plan, Seat
from orgplan.scenario.format import Scenario


def person(seat: Seat) -> str:
    """The person in a seat, or "Open requisition"."""
    return seat.holder


def seat_type(seat: Seat) -> str:
    """Internal mover, external hire (named) or open requisition (still to be found)."""
    if seat.open_req:
        return "Open requisition"
    return "Internal" if seat.internal else "External"


def level(value: float) -> str:
    """A level as people write it: 3, 3.5."""
    return figure(value)


def levels_text(levels: Mapping[str, float]) -> str:
    """`{domain: 3, business: 4}` as `domain 3, business 4`."""
    return ", ".join(f"{skill} {level(v)}" for skill, v in levels.items())


def work_names(plan: Plan) -> dict[str, str]:
    """Responsibility id -> display name, over owned and uncovered work."""
    names = {a.responsibility: a.name for a in plan.assignments}
    names.update({u.responsibility: u.name for u in plan.uncovered})
    return names


def role_titles(plan: Plan, scenario: Scenario | None = None) -> dict[str, str]:
    """Role id -> title, from the scenario when there is one, else from the seats."""
    titles = {s.role: s.role_title for s in plan.seats}
    if scenario is not None:
        titles.update({rid: role.title or rid for rid, role in scenario.roles.items()})
    return titles


def structure_heading(structure: str) -> str:
    """A plan's structure opening a sheet's subtitle: `Structure split`, `All roles, no
    structure` (`orgplan.formatting.structure_phrase`, capitalised)."""
    phrase = structure_phrase(structure)
    return phrase[:1].upper() + phrase[1:]


def or_none(value: Any) -> Any:
    """`value`, or "none" for a limit that is not set."""
    return value if value is not None else "none"


# The Decision column of the Team, Assignments and Candidate fit sheets, and what its
# cells say (reports/excel/review.py adds the drop-downs and reads them back).
DECISION = "Decision"
KEEP = "keep"
REMOVE = "remove"
LOCK = "lock"
EXCLUDE = "exclude"
PLACE_AS = "place as "


def kept(plan: Plan, seat: Seat) -> str | None:
    """`keep` on the seat of a person a decision placed in its role, else nothing."""
    if seat.candidate is not None and plan.decisions.place.get(seat.candidate) == seat.role:
        return KEEP
    return None


def locked(plan: Plan, assignment: Assignment) -> str | None:
    """`lock` on work a decision gave to its owner, else nothing."""
    owner = plan.decisions.assign.get(assignment.responsibility)
    return LOCK if owner is not None and owner == assignment.candidate else None


def candidate_decision(plan: Plan, candidate: str) -> str | None:
    """`exclude` for a candidate a decision excluded (a decided place shows on Team)."""
    return EXCLUDE if candidate in plan.decisions.exclude else None
