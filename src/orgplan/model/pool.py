"""Which pairings exist at all: who may hold which seat and own which work.

Rules that forbid a pairing outright (floors, eligibility, roles the person or the work
refuses, exclusion, work larger than any seat the person could hold, work a decision
gives to someone else or keeps with work the person may not own) are applied here, by
not creating the variable at all, so the solver never sees them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from orgplan.domain.rules import EPS, Person, fit, is_eligible, people
from orgplan.model.limits import Limits
from orgplan.scenario.format import Responsibility, Scenario


def capacity(scenario: Scenario, person: Person, role: str) -> float:
    """A seat's capacity is `role.capacity * availability`."""
    return scenario.roles[role].capacity * person.availability


def seat_roles(person: Person, limits: Limits) -> tuple[str, ...]:
    """Roles a person may sit in: accepted by them, floors met, allowed by the structure."""
    # people() already applied the person's roles and floors; the structure may cap a role
    # at zero seats.
    return tuple(r for r in person.roles if r in limits.roles and limits.role_caps[r] != 0)


def owner_roles(
    scenario: Scenario, person: Person, resp: Responsibility, roles: tuple[str, ...]
) -> tuple[str, ...]:
    """Roles in which `person` may own `resp`: allowed for the work and large enough for it."""
    allowed = resp.roles if resp.roles is not None else tuple(scenario.roles)
    return tuple(
        r for r in roles if r in allowed and capacity(scenario, person, r) + EPS >= resp.hours
    )


@dataclass
class Pool:
    """The people and pairings left once every forbidding rule has been applied."""

    people: list[Person]
    resps: list[Responsibility]
    seat_roles: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # (person index, responsibility index) -> roles in which p may own j
    ownable: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)
    fit: dict[tuple[int, int], float] = field(default_factory=dict)


def decided_pairings(
    scenario: Scenario, person: Person, ownable: dict[int, tuple[str, ...]]
) -> dict[int, tuple[str, ...]]:
    """What a person may own once the decisions are applied: work assigned to someone
    else is not theirs, and work kept together (`keep_together`) is theirs only as a
    whole, in the roles that may own every piece of it."""
    resps = scenario.responsibilities
    index = {r.id: ji for ji, r in enumerate(resps)}
    assigned = scenario.decisions.assign
    kept = {
        ji: where
        for ji, where in ownable.items()
        if resps[ji].id not in assigned or assigned[resps[ji].id] == person.candidate
    }
    for group in scenario.decisions.groups():
        members = [index[rid] for rid in group]
        common = set(kept.get(members[0], ()))
        for ji in members[1:]:
            common &= set(kept.get(ji, ()))
        for ji in members:
            if ji in kept:
                if common:
                    kept[ji] = tuple(r for r in kept[ji] if r in common)
                else:
                    del kept[ji]
    return kept


def skill_gap(limits: Limits, person: Person, reach: float = 0.0) -> float:
    """How far below a need `person` may be and still own the work: `max_skill_gap`, and a
    named candidate also the `reach` levels they may grow (train or hire)."""
    return limits.max_skill_gap + (0.0 if person.open_req else reach)


def build_pool(scenario: Scenario, limits: Limits, reach: float = 0.0) -> Pool:
    """Apply floors, eligibility, roles, exclusion, seat size and the decisions' pairings
    before any variable exists.

    `reach`: levels a named candidate may still grow (`policy.development`); the pool then
    also holds the seats and work within that much of their floors and needs, which
    `orgplan.model.development` ties to growing those skills. `fit` stays the fit at the
    assessed levels.
    """
    pool = Pool(people=people(scenario, limits.roles, reach), resps=list(scenario.responsibilities))
    opened: dict[str, int] = defaultdict(int)  # open requisitions of each role kept so far
    for pi, person in enumerate(pool.people):
        roles = seat_roles(person, limits)
        ownable: dict[int, tuple[str, ...]] = {}
        gap = skill_gap(limits, person, reach)
        for ji, resp in enumerate(pool.resps):
            if not is_eligible(person.levels, resp.needs, gap):
                continue
            where = owner_roles(scenario, person, resp, roles)
            if where:
                ownable[ji] = where
        if scenario.decisions:
            ownable = decided_pairings(scenario, person, ownable)
        used = {r for where in ownable.values() for r in where}
        if person.open_req and used:
            # The open requisitions of a role are alike, and each seat filled owns at least
            # one piece of work: past as many as the pieces one of them may own, the rest
            # could only ever sit idle (open_reqs may be up to 1,000).
            if opened[person.roles[0]] >= len(ownable):
                continue
            opened[person.roles[0]] += 1
        for ji, where in ownable.items():
            pool.ownable[pi, ji] = where
            pool.fit[pi, ji] = fit(person.levels, pool.resps[ji].needs)
        # A seat where the person could own nothing is never worth paying for, except a
        # fixed role or a decided place, which must be filled whatever it holds.
        kept = tuple(r for r in roles if r in used or r in (person.fixed_role, person.placed))
        if kept:
            pool.seat_roles[pi] = kept
    return pool
