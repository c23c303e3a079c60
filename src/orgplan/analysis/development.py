"""The development plan a staffing plan implies: every skill an owner lacks for their work,
and the notes (action, owner, due) HR wrote against those gaps in a reviewed workbook."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from orgplan.results.plan import Assignment, Plan, Seat
from orgplan.scenario.format import Scenario


@dataclass
class SkillGap:
    """One skill an owner lacks, over every responsibility that needs it."""

    seat: Seat | None
    assignment: Assignment
    skill: str
    needed: float | None
    has: float | None
    gap: float
    resps: list[str]
    hours: float

    @property
    def shortfall(self) -> float:
        """The gap to close: the largest need less the level, else the largest shortfall."""
        return self.gap if self.needed is None or self.has is None else self.needed - self.has


def development_gaps(plan: Plan, scenario: Scenario) -> list[SkillGap]:
    """Every (owner, skill) shortfall, with the largest need and the work that needs it,
    in seat order, then skill order."""
    seats = {s.seat: s for s in plan.seats}
    by_key: dict[tuple[str, str], SkillGap] = {}
    # an owner who grows a skill has one assignment per level: their work counts once
    seen: set[tuple[tuple[str, str], str]] = set()
    for a in plan.assignments:
        try:
            needs = scenario.responsibility(a.responsibility).needs
        except KeyError:
            needs = {}
        for skill, short in a.gaps.items():
            need = needs.get(skill)
            has = None if need is None else need - short
            key = (a.seat, skill)
            found = by_key.get(key)
            if found is not None and (key, a.responsibility) in seen:
                found.gap = max(found.gap, short)
                continue
            seen.add((key, a.responsibility))
            if found is None:
                by_key[key] = SkillGap(
                    seats.get(a.seat), a, skill, need, has, short, [a.name], a.hours
                )
                continue
            found.resps.append(a.name)
            found.hours += a.hours
            if need is not None and (found.needed is None or need > found.needed):
                found.needed, found.has = need, has
            found.gap = max(found.gap, short)
    seat_order = {s.seat: i for i, s in enumerate(plan.seats)}
    skill_order = {skill: i for i, skill in enumerate(scenario.skills)}
    return sorted(
        by_key.values(),
        key=lambda g: (
            seat_order.get(g.assignment.seat, len(seat_order)),
            g.assignment.seat,
            skill_order.get(g.skill, len(skill_order)),
            g.skill,
        ),
    )


@dataclass(frozen=True)
class DevelopmentNote:
    """What HR wrote against one (person, skill) gap of the development plan: text only,
    carried from a reviewed workbook into the next; it never affects solving."""

    action: str | None = None
    owner: str | None = None
    due: str | None = None


# (candidate id, skill) -> the note written against that gap.
DevelopmentNotes = Mapping[tuple[str, str], DevelopmentNote]

NO_NOTES: DevelopmentNotes = MappingProxyType({})


def frozen_notes(notes: Mapping[tuple[str, str], DevelopmentNote]) -> DevelopmentNotes:
    """`notes` as a read-only mapping (a copy)."""
    return MappingProxyType(dict(notes))


def gap_keys(plan: Plan, scenario: Scenario) -> set[tuple[str, str]]:
    """The (candidate id, skill) of every named person's gap in the plan's development plan."""
    return {
        (g.assignment.candidate, g.skill)
        for g in development_gaps(plan, scenario)
        if g.assignment.candidate is not None
    }


def dropped_notes(
    notes: DevelopmentNotes, plan: Plan, scenario: Scenario
) -> tuple[tuple[tuple[str, str], DevelopmentNote], ...]:
    """The notes whose (person, skill) gap is no longer in the plan's development plan, in
    the order given."""
    kept = gap_keys(plan, scenario)
    return tuple((key, note) for key, note in notes.items() if key not in kept)
