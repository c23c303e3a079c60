"""A candidate's levels, and the two tests on them that the input checks need too.

They live in the scenario layer so that the decisions of a file (`scenario/decisions.py`)
can be checked as the file is read (an `assign` to someone not eligible for that work is
bad input); `orgplan.domain.rules` re-exports them with the rest of the domain rules.
"""

from __future__ import annotations

from collections.abc import Mapping

from orgplan.scenario.format import Candidate, Scenario

Levels = Mapping[str, float]

# Levels are given in whole or half steps; comparisons tolerate float noise only.
EPS = 1e-9


def candidate_levels(candidate: Candidate, scenario: Scenario) -> dict[str, float]:
    """A candidate's level per skill: `skills`, else the background's level, else 0."""
    background = (
        scenario.all_backgrounds().get(candidate.background, {}) if candidate.background else {}
    )
    return {
        skill: float(candidate.skills.get(skill, background.get(skill, 0.0)))
        for skill in scenario.skills
    }


def meets_floors(levels: Levels, floors: Levels) -> bool:
    """A person may hold a seat only when every floor is met (no gap allowance)."""
    return all(levels.get(skill, 0.0) + EPS >= floor for skill, floor in floors.items())


def is_eligible(levels: Levels, needs: Levels, max_skill_gap: float) -> bool:
    """A person may own work when every need is met within `max_skill_gap` levels."""
    return all(
        levels.get(skill, 0.0) + EPS >= need - max_skill_gap for skill, need in needs.items()
    )
