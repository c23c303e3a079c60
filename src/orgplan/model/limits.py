"""The hard limits in force once a structure is applied to a scenario's policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from orgplan.errors import UsageError
from orgplan.scenario.format import Scenario


@dataclass(frozen=True)
class Limits:
    """Every hard limit of one solve: the scenario's policy with a structure applied."""

    structure: str
    roles: tuple[str, ...]
    role_caps: Mapping[str, int | None]
    breadth: Mapping[str, int | None]
    budget: float | None
    max_headcount: int | None
    max_products: int | None
    max_skill_gap: float
    coverage_required: bool

    def relaxed(self, **changes: Any) -> Limits:
        """A copy with some limits changed (used to explain infeasibility)."""
        return replace(self, **changes)


def resolve_limits(scenario: Scenario, structure: str | None = None) -> Limits:
    """The limits of `scenario` under the named structure (None: every role, no caps)."""
    policy = scenario.policy
    breadth = {rid: role.max_responsibilities for rid, role in scenario.roles.items()}
    if structure is None:
        return Limits(
            structure="all roles",
            roles=tuple(scenario.roles),
            role_caps={rid: None for rid in scenario.roles},
            breadth=breadth,
            budget=policy.budget,
            max_headcount=policy.max_headcount,
            max_products=policy.max_products_per_seat,
            max_skill_gap=policy.max_skill_gap,
            coverage_required=policy.coverage == "required",
        )
    structures = scenario.all_structures()
    if structure not in structures:
        raise UsageError(
            f"unknown structure '{structure}': the scenario has {', '.join(structures)}"
        )
    shape = structures[structure]
    roles = tuple(r for r in scenario.roles if r in shape.roles)
    if shape.overrides("max_responsibilities"):
        breadth = {rid: shape.max_responsibilities for rid in roles}
    return Limits(
        structure=structure,
        roles=roles,
        role_caps={rid: shape.roles[rid] for rid in roles},
        breadth={rid: breadth[rid] for rid in roles},
        budget=shape.budget if shape.overrides("budget") else policy.budget,
        max_headcount=(
            shape.max_headcount if shape.overrides("max_headcount") else policy.max_headcount
        ),
        max_products=policy.max_products_per_seat,
        max_skill_gap=policy.max_skill_gap,
        coverage_required=policy.coverage == "required",
    )
