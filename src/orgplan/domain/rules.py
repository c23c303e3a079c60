"""The domain rules of docs/scenario-format.md as plain functions: levels, eligibility,
floors, fit and gaps, and the people (candidates and open requisitions) who may hold seats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from orgplan.scenario.format import Candidate, Role, Scenario
from orgplan.scenario.levels import EPS, Levels, candidate_levels, is_eligible, meets_floors

__all__ = [
    "EPS",
    "Levels",
    "Person",
    "candidate_cost",
    "candidate_levels",
    "fit",
    "gaps",
    "hours_fit",
    "is_eligible",
    "meets_floors",
    "one_off_cost",
    "open_req_key",
    "people",
    "placement_cost",
    "reachable",
    "role_fit",
]


def fit(levels: Levels, needs: Levels) -> float:
    """`sum(min(level, need)) / sum(need)` over the needs; 1.0 when nothing is needed."""
    total = sum(needs.values())
    if total <= 0:
        return 1.0
    return sum(min(levels.get(skill, 0.0), need) for skill, need in needs.items()) / total


def gaps(levels: Levels, needs: Levels) -> dict[str, float]:
    """Every shortfall `need - level > 0`, by skill, in the order of the needs."""
    out = {}
    for skill, need in needs.items():
        short = need - levels.get(skill, 0.0)
        if short > EPS:
            out[skill] = short
    return out


def role_fit(levels: Levels, role: Role) -> float:
    """The fit formula over a role's floors: how much of the seat's minimum a person has."""
    return fit(levels, role.floors)


def hours_fit(levels: Levels, work: Sequence[tuple[float, Levels]]) -> float:
    """The fit of a person over some work, weighted by hours: `sum(hours x fit) / sum(hours)`
    over `(hours, needs)` pairs; 0.0 when the work has no hours."""
    hours = sum(h for h, _ in work)
    return sum(h * fit(levels, needs) for h, needs in work) / hours if hours else 0.0


def candidate_cost(candidate: Candidate, role: Role) -> float:
    """Annual cost if placed: the candidate's own cost, else the role's."""
    return role.cost if candidate.cost is None else candidate.cost


def one_off_cost(candidate: Candidate | None, role: Role) -> float:
    """One-off cost of a seat (format 1.1): an open requisition's (candidate None) the
    role's `hire_cost`, a candidate's their `backfill_cost`, whatever the role."""
    return role.hire_cost if candidate is None else candidate.backfill_cost


def placement_cost(scenario: Scenario, candidate: Candidate | None, role_id: str) -> float:
    """The cost a seat counts in the budget and the cost objective: without a horizon (one
    period) the annual cost plus the one-off cost (TIME_SEMANTICS item 10: `hire_cost` and
    `backfill_cost` add to the seat's cost); with a horizon the annual cost alone (the
    one-offs are counted in their periods)."""
    role = scenario.roles[role_id]
    annual = role.cost if candidate is None else candidate_cost(candidate, role)
    if scenario.horizon is not None:
        return annual
    return annual + one_off_cost(candidate, role)


@dataclass(frozen=True)
class Person:
    """Someone who may hold a seat: a candidate, or an open requisition still to be hired."""

    key: str
    candidate: str | None
    label: str
    background: str | None
    levels: Levels
    availability: float
    internal: bool
    roles: tuple[str, ...]
    costs: Mapping[str, float]  # per role: what the seat counts (`placement_cost`)
    # per role: the annual cost, and the one-off cost (a requisition's hire_cost, a
    # candidate's backfill_cost); `costs` is their sum without a horizon, the annual with one
    annual_costs: Mapping[str, float]
    one_off_costs: Mapping[str, float]
    fixed_role: str | None = None
    placed: str | None = None  # the role a decision places them in (decisions.place)

    @property
    def open_req(self) -> bool:
        """Whether this is an open requisition rather than a named person."""
        return self.candidate is None


def open_req_key(role_id: str, number: int) -> str:
    """The stable key of the `number`-th open requisition of a role."""
    return f"open:{role_id}:{number}"


def reachable(levels: Mapping[str, float], reach: float) -> Mapping[str, float]:
    """The levels a candidate could reach, every skill `reach` levels higher (train or hire)."""
    return {s: v + reach for s, v in levels.items()} if reach else levels


def people(
    scenario: Scenario, role_ids: tuple[str, ...] | None = None, reach: float = 0.0
) -> list[Person]:
    """Everyone who may be placed, in file order: candidates, then open requisitions by role.

    Excluded candidates (by `exclude` or a decision) are left out; each person's `roles`
    keeps only the roles that the person accepts, that `role_ids` allows and whose floors
    the person meets. A person with
    no role left stays in the list (with no roles) so reports can say why.

    `reach`: levels a candidate may still grow (train or hire, `policy.development`): a
    floor missed by at most that much keeps the role; `levels` stay the assessed ones.
    """
    allowed = tuple(scenario.roles) if role_ids is None else role_ids
    out: list[Person] = []
    excluded = set(scenario.decisions.exclude)
    for cand in scenario.candidates:
        if cand.exclude or cand.id in excluded:
            continue
        levels = MappingProxyType(candidate_levels(cand, scenario))
        wanted = cand.roles if cand.roles is not None else tuple(scenario.roles)
        grown_to = reachable(levels, reach)
        roles = tuple(
            r for r in allowed if r in wanted and meets_floors(grown_to, scenario.roles[r].floors)
        )
        out.append(
            Person(
                key=cand.id,
                candidate=cand.id,
                label=cand.label,
                background=cand.background,
                levels=levels,
                availability=cand.availability,
                internal=cand.internal,
                roles=roles,
                costs=MappingProxyType({r: placement_cost(scenario, cand, r) for r in roles}),
                annual_costs=MappingProxyType(
                    {r: candidate_cost(cand, scenario.roles[r]) for r in roles}
                ),
                one_off_costs=MappingProxyType(
                    {r: one_off_cost(cand, scenario.roles[r]) for r in roles}
                ),
                fixed_role=cand.fixed_role,
                placed=scenario.decisions.place.get(cand.id),
            )
        )
    for rid in allowed:
        role = scenario.roles[rid]
        profile = {s: float(role.profile().get(s, 0.0)) for s in scenario.skills}
        for number in range(1, role.open_reqs + 1):
            out.append(
                Person(
                    key=open_req_key(rid, number),
                    candidate=None,
                    label=f"Open requisition ({role.title or rid})",
                    background=None,
                    levels=MappingProxyType(profile),
                    availability=1.0,
                    internal=False,
                    roles=(rid,),
                    costs=MappingProxyType({rid: placement_cost(scenario, None, rid)}),
                    annual_costs=MappingProxyType({rid: role.cost}),
                    one_off_costs=MappingProxyType({rid: one_off_cost(None, role)}),
                )
            )
    return out
