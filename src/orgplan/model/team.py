"""The built model: the PuLP problem, its variables and the objectives' expressions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orgplan.model.limits import Limits
from orgplan.model.pool import Pool
from orgplan.scenario.format import Scenario
from orgplan.solvers import lp


@dataclass
class TeamModel:
    """A built model: the PuLP problem, its variables and the three objectives."""

    scenario: Scenario
    limits: Limits
    pool: Pool
    prob: Any
    seat: dict[tuple[int, str], Any] = field(default_factory=dict)
    own: dict[tuple[int, int], Any] = field(default_factory=dict)
    keep: dict[tuple[int, int], Any] = field(default_factory=dict)
    covered: dict[int, Any] = field(default_factory=dict)
    fit_hours: dict[int, Any] = field(default_factory=dict)
    kept: dict[int, Any] = field(default_factory=dict)
    coverage: Any = None
    quality: Any = None
    cost: Any = None
    quality_constant: float = 0.0
    terms: dict[str, list[tuple[Any, float]]] = field(default_factory=dict)


def seat_cost(model: TeamModel, pi: int, role: str) -> float:
    """What a seat costs: the candidate's cost, else the role's (open requisitions)."""
    return model.pool.people[pi].costs[role]


def add_variables(model: TeamModel) -> None:
    """One binary per allowed seat and per allowed ownership, in a stable order."""
    prob, pool = model.prob, model.pool
    role_index = {r: i for i, r in enumerate(model.scenario.roles)}
    for pi, roles in pool.seat_roles.items():
        for r in roles:
            model.seat[pi, r] = lp.binary(prob, f"seat_{pi}_{role_index[r]}")
    for (pi, ji), roles in pool.ownable.items():
        if pi in pool.seat_roles and any(r in pool.seat_roles[pi] for r in roles):
            model.own[pi, ji] = lp.binary(prob, f"own_{pi}_{ji}")
