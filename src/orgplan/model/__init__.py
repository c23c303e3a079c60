"""The mixed-integer program: one function per business rule of docs/scenario-format.md.

Variables (docs/formulation.md has the full write-up):
  seat[p, r]  1 when person p sits in a seat of role r
  own[p, j]   1 when p owns responsibility j
  keep[p, c]  in [0, 1], at most own[p, j] and own[p, k]: p owns both ends of coupling c
  focus[p, g] 1 when p owns work of product line g (only with max_products_per_seat)
  covered[j]  1 when j has an owner (the coverage objective's columns)
  fit_hours[j] in [0, best hours x fit of j]: the hours x fit of j's owner (quality's)
  kept[c]     in [0, 1]: one person owns both ends of coupling c (quality's)

Rules that forbid a pairing outright (floors, eligibility, roles the person or the work
refuses, exclusion, work larger than any seat the person could hold) are applied by not
creating the variable at all, so the solver never sees them.
"""

from orgplan.model.limits import Limits, resolve_limits
from orgplan.model.objectives import coupling_handoffs, objectives
from orgplan.model.pool import Pool, build_pool, capacity, owner_roles, seat_roles
from orgplan.model.rules import RULES, seats_needed
from orgplan.model.team import TeamModel, add_variables, cost_scale_of, seat_cost
from orgplan.scenario.format import Scenario
from orgplan.solvers import lp

__all__ = [
    "RULES",
    "Limits",
    "Pool",
    "TeamModel",
    "add_variables",
    "build_model",
    "build_pool",
    "capacity",
    "cost_scale_of",
    "coupling_handoffs",
    "objectives",
    "owner_roles",
    "resolve_limits",
    "seat_cost",
    "seat_roles",
    "seats_needed",
]


def build_model(scenario: Scenario, limits: Limits) -> TeamModel:
    """The whole model of `scenario` under `limits`, objectives included but not set."""
    model = TeamModel(
        scenario=scenario,
        limits=limits,
        pool=build_pool(scenario, limits),
        prob=lp.new_problem("orgplan", maximize=True),
    )
    add_variables(model)
    model.cost_scale = cost_scale_of([seat_cost(model, pi, r) for pi, r in model.seat])
    for rule in RULES:
        rule(model)
    if limits.coverage_required:
        seats_needed(model)
    objectives(model, coupling_handoffs(model))
    return model
