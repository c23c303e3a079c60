"""The fit table: how well every candidate fits every role, before any solving.

For each candidate and role it gives the role fit (the fit formula over the role's
floors), the floor gaps that keep the person out of the seat, whether the person accepts
the role at all, and how much of the role's work the person could own (`work_fit`, the
hours the person is eligible for under `max_skill_gap`, and `fit_hours`, the fit hours of
it a seat of theirs could hold). A person's best role is the one with the most fit hours.
`orgplan fit` renders it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from orgplan.domain.rules import (
    candidate_levels,
    fit,
    gaps,
    hours_fit,
    is_eligible,
    meets_floors,
    role_fit,
)
from orgplan.formatting import number
from orgplan.scenario.format import Scenario

FIT_FORMAT = "orgplan.fit/1"


@dataclass(frozen=True)
class RoleFit:
    """One candidate against one role."""

    role: str
    fit: float
    accepts: bool
    meets_floors: bool
    gaps: Mapping[str, float]
    work_fit: float
    eligible_hours: float
    role_hours: float
    fit_hours: float  # the fit hours of that work a seat of theirs could hold (`fit_hours`)

    @property
    def eligible(self) -> bool:
        """Whether the person may hold this seat: accepts it and meets every floor."""
        return self.accepts and self.meets_floors


@dataclass(frozen=True)
class CandidateFit:
    """One candidate against every role of the scenario."""

    candidate: str
    name: str
    background: str | None
    internal: bool
    availability: float
    excluded: bool
    fixed_role: str | None
    levels: Mapping[str, float]
    roles: tuple[RoleFit, ...]

    @property
    def best_role(self) -> str | None:
        """Of the roles the person may hold, the one with the most `fit_hours`: the work
        they fit best and can own most of (ties: the better `work_fit`, then role fit,
        then file order); None when they may hold none, or are excluded."""
        eligible = [r for r in self.roles if r.eligible]
        if self.excluded or not eligible:
            return None
        return max(eligible, key=lambda r: (round(r.fit_hours, 6), r.work_fit, r.fit)).role

    def role(self, role_id: str) -> RoleFit:
        """This candidate's fit for `role_id`."""
        for found in self.roles:
            if found.role == role_id:
                return found
        raise KeyError(role_id)


@dataclass(frozen=True)
class RoleInfo:
    """A role as the fit table shows it."""

    role: str
    title: str
    floors: Mapping[str, float]
    hours: float
    open_reqs: int


@dataclass(frozen=True)
class FitTable:
    """Every candidate against every role."""

    scenario: str
    max_skill_gap: float
    roles: tuple[RoleInfo, ...]
    candidates: tuple[CandidateFit, ...]

    def candidate(self, candidate_id: str) -> CandidateFit:
        """The row of `candidate_id`."""
        for row in self.candidates:
            if row.candidate == candidate_id:
                return row
        raise KeyError(candidate_id)

    def to_json(self) -> dict[str, Any]:
        """The table as `orgplan.fit/1` JSON-ready data."""
        return {
            "format": FIT_FORMAT,
            "scenario": self.scenario,
            "max_skill_gap": number(self.max_skill_gap),
            "roles": [
                {
                    "role": r.role,
                    "title": r.title,
                    "floors": {k: number(v) for k, v in r.floors.items()},
                    "hours": number(r.hours),
                    "open_reqs": r.open_reqs,
                }
                for r in self.roles
            ],
            "candidates": [
                {
                    "candidate": c.candidate,
                    "name": c.name,
                    "background": c.background,
                    "internal": c.internal,
                    "availability": number(c.availability),
                    "excluded": c.excluded,
                    "fixed_role": c.fixed_role,
                    "best_role": c.best_role,
                    "levels": {k: number(v) for k, v in c.levels.items()},
                    "roles": [
                        {
                            "role": r.role,
                            "fit": round(r.fit, 4),
                            "accepts": r.accepts,
                            "meets_floors": r.meets_floors,
                            "eligible": r.eligible,
                            "gaps": {k: number(v) for k, v in r.gaps.items()},
                            "work_fit": round(r.work_fit, 4),
                            "eligible_hours": number(r.eligible_hours),
                            "role_hours": number(r.role_hours),
                            "fit_hours": number(r.fit_hours, 4),
                        }
                        for r in c.roles
                    ],
                }
                for c in self.candidates
            ],
        }


def fit_hours(work: Sequence[tuple[float, float]], capacity: float) -> float:
    """The most fit hours a seat of `capacity` hours could hold of `work` (hours, fit):
    the best-fitting work first, each hour counted at its fit (`8 h at 0.75` is 6)."""
    left = capacity
    total = 0.0
    for hours, score in sorted(work, key=lambda item: -item[1]):
        taken = min(hours, left)
        total += taken * score
        left -= taken
        if left <= 0:
            break
    return total


def fit_table(scenario: Scenario) -> FitTable:
    """The fit of every candidate (excluded ones included, marked) for every role."""
    gap = scenario.policy.max_skill_gap
    work = {
        rid: [r for r in scenario.responsibilities if r.roles is None or rid in r.roles]
        for rid in scenario.roles
    }
    roles = tuple(
        RoleInfo(
            role=rid,
            title=role.title or rid,
            floors=dict(role.floors),
            hours=sum(r.hours for r in work[rid]),
            open_reqs=role.open_reqs,
        )
        for rid, role in scenario.roles.items()
    )
    rows = []
    for cand in scenario.candidates:
        levels = candidate_levels(cand, scenario)
        wanted = cand.roles if cand.roles is not None else tuple(scenario.roles)
        fits = []
        for rid, role in scenario.roles.items():
            resps = work[rid]
            total = sum(r.hours for r in resps)
            owned = [r for r in resps if is_eligible(levels, r.needs, gap)]
            fits.append(
                RoleFit(
                    role=rid,
                    fit=role_fit(levels, role),
                    accepts=rid in wanted,
                    meets_floors=meets_floors(levels, role.floors),
                    gaps=gaps(levels, role.floors),
                    work_fit=hours_fit(levels, [(r.hours, r.needs) for r in resps]),
                    eligible_hours=sum(r.hours for r in owned),
                    role_hours=total,
                    fit_hours=fit_hours(
                        [(r.hours, fit(levels, r.needs)) for r in owned],
                        role.capacity * cand.availability,
                    ),
                )
            )
        rows.append(
            CandidateFit(
                candidate=cand.id,
                name=cand.label,
                background=cand.background,
                internal=cand.internal,
                availability=cand.availability,
                excluded=cand.exclude,
                fixed_role=cand.fixed_role,
                levels=levels,
                roles=tuple(fits),
            )
        )
    return FitTable(scenario.name, gap, roles, tuple(rows))
