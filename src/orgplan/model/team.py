"""The built model: the PuLP problem, its variables and the objectives' expressions."""

from __future__ import annotations

import math
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
    # The solver sees money (the cost objective, the budget row) times this power of ten
    # (1 unless a seat costs more than MONEY_SCALE_CAP); `terms` and plans stay in money.
    cost_scale: float = 1.0


# The largest cost coefficient the solver is shown (see cost_scale_of).
MONEY_SCALE_CAP = 1e6


def seat_cost(model: TeamModel, pi: int, role: str) -> float:
    """What a seat costs: the candidate's cost, else the role's (open requisitions)."""
    return model.pool.people[pi].costs[role]


def cost_scale_of(costs: list[float]) -> float:
    """The power of ten that brings the dearest seat's cost to at most MONEY_SCALE_CAP.

    Costs up to 10^12 and budgets up to 10^15 are valid input; rows with coefficients that
    large beside hours and fits of 1-168 mislead CBC (a coverage stage that misread its
    own floor). Scaling by a power of ten keeps every plan's worth exact in ratio, and
    scenarios of ordinary salaries (under a million) are not scaled at all, so their
    plans and HiGHS's choice among equal plans do not change.
    """
    dearest = max((c for c in costs if c > 0), default=0.0)
    if dearest <= MONEY_SCALE_CAP:
        return 1.0
    return 10.0 ** -math.ceil(math.log10(dearest / MONEY_SCALE_CAP))


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
