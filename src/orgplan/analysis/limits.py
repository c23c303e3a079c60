"""The limits a plan was solved under, read back from its scenario and structure name."""

from __future__ import annotations

from orgplan.model import Limits, resolve_limits
from orgplan.scenario.format import Scenario


def plan_limits(scenario: Scenario, structure: str) -> Limits:
    """The limits of `structure` (a plan's `structure`): every role and the policy's
    limits when it names no structure of the scenario (a plan over all roles)."""
    return resolve_limits(scenario, structure if structure in scenario.all_structures() else None)


def seated_roles(scenario: Scenario, structure: str) -> tuple[str, ...]:
    """The roles `structure` may seat: those it names with a cap other than 0."""
    limits = plan_limits(scenario, structure)
    return tuple(r for r in limits.roles if limits.role_caps[r] != 0)
