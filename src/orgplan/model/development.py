"""Train or hire (`policy.development`, with a horizon): which skills a named candidate may
grow by one level, what growing them opens, from when, at what cost, and the fit it adds.

A candidate at most one level short of a role's floor may hold that seat, and at most one
level short beyond `max_skill_gap` of a responsibility's need may own that work, once the
skill has grown: from period index `periods_per_level` on, at a one-off `cost_per_level`
per skill grown (docs/scenario-format.md, "Train or hire"). From then on every piece of
their work is fitted with the grown level. Requisitions are hired with their profile and
do not grow. The pool of such a model is built with `reach` (`orgplan.model.pool`), so it
holds these pairings; `Growth` says which skills each of them needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from orgplan.domain.rules import EPS
from orgplan.model.limits import Limits
from orgplan.model.pool import Pool
from orgplan.scenario.format import Scenario
from orgplan.scenario.levels import Levels

# Only one level can be grown in a skill.
REACH = 1.0


@dataclass(frozen=True)
class Growth:
    """What development may add to a model: the skills each pairing needs grown, the
    skills each person may grow, the fit a grown skill adds to each piece of work."""

    ready: int = 0  # the period index from which a grown level counts
    cost: float = 0.0  # one-off, per skill grown
    seat_needs: Mapping[tuple[int, str], tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    work_needs: Mapping[tuple[int, int], tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    skills: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # (person, responsibility) -> (skill, fit gained when that skill has grown)
    gains: Mapping[tuple[int, int], tuple[tuple[str, float], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def since(self, pi: int, role: str, earliest: int) -> int:
        """The first period person `pi`, able to start in `earliest`, may hold `role`: a
        seat reached by growing only once the skill has grown."""
        return earliest if self.plain(pi, role) else max(earliest, self.ready)

    def plain(self, pi: int, role: str, ji: int | None = None) -> bool:
        """Whether person `pi` may hold `role` (and own work `ji`) without growing."""
        if (pi, role) in self.seat_needs:
            return False
        return ji is None or (pi, ji) not in self.work_needs


NO_GROWTH = Growth()


def development_reach(scenario: Scenario) -> float:
    """Levels a candidate may still grow: one with `policy.development` and a horizon."""
    if scenario.horizon is None or scenario.policy.development is None:
        return 0.0
    return REACH


def shortfalls(levels: Levels, asked: Levels, allowance: float) -> tuple[str, ...]:
    """The skills in which `levels` miss what is `asked` by more than `allowance`."""
    return tuple(s for s, need in asked.items() if need - levels.get(s, 0.0) > allowance + EPS)


def grown(levels: Levels, skills: tuple[str, ...] | frozenset[str]) -> dict[str, float]:
    """The levels with each of `skills` one level higher."""
    return {s: v + REACH if s in skills else v for s, v in levels.items()}


def growth_of(scenario: Scenario, limits: Limits, pool: Pool) -> Growth:
    """The growth a pool built with `development_reach` holds (none without development)."""
    development = scenario.policy.development
    if development is None or scenario.horizon is None:
        return NO_GROWTH
    seat_needs: dict[tuple[int, str], tuple[str, ...]] = {}
    work_needs: dict[tuple[int, int], tuple[str, ...]] = {}
    for pi, roles in pool.seat_roles.items():
        person = pool.people[pi]
        if person.open_req:
            continue
        for role in roles:
            short = shortfalls(person.levels, scenario.roles[role].floors, 0.0)
            if short:
                seat_needs[pi, role] = short
    for pi, ji in pool.ownable:
        person = pool.people[pi]
        if not person.open_req:
            short = shortfalls(person.levels, pool.resps[ji].needs, limits.max_skill_gap)
            if short:
                work_needs[pi, ji] = short
    skills: dict[int, set[str]] = {}
    for key, short in [*seat_needs.items(), *work_needs.items()]:
        skills.setdefault(key[0], set()).update(short)
    gains: dict[tuple[int, int], tuple[tuple[str, float], ...]] = {}
    for pi, ji in pool.ownable:
        if pi not in skills:
            continue
        levels, needs = pool.people[pi].levels, pool.resps[ji].needs
        total = sum(needs.values())
        found = []
        for skill in sorted(skills[pi] & set(needs)):
            level, need = levels.get(skill, 0.0), needs[skill]
            gain = (min(level + REACH, need) - min(level, need)) / total if total > 0 else 0.0
            if gain > EPS:
                found.append((skill, gain))
        if found:
            gains[pi, ji] = tuple(found)
    ordered = {pi: tuple(s for s in scenario.skills if s in found) for pi, found in skills.items()}
    return Growth(
        ready=development.periods_per_level,
        cost=development.cost_per_level,
        seat_needs=MappingProxyType(seat_needs),
        work_needs=MappingProxyType(work_needs),
        skills=MappingProxyType(ordered),
        gains=MappingProxyType(gains),
    )
