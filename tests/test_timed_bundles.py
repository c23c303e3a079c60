"""The bound from seats over time (orgplan.solving.timed_bundles) against known optima.

A known optimum by hand where the ramp-up decides it (the compact relaxation splits the
first period's work over fractions of seats, the seats over time cannot); each stage's
bound against the exhaustive optima of the small timed instances of test_time.py, and
against HiGHS's proven optima on richer random instances (two roles, breadth and product
caps, couplings, onboarding cap, spend budget); a solve that uses it says so and stays
the plan the independent checker accepts.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import check_plan
from conftest import to_yaml
from orgplan.errors import Infeasible
from orgplan.model import resolve_limits
from orgplan.model.periods import build_timed_model
from orgplan.model.stages import Stage
from orgplan.results.plan import BOUND_SOURCES
from orgplan.results.status import SolveStatus
from orgplan.scenario.loading import parse_scenario
from orgplan.solving import bundles, timed_bundles
from orgplan.solving.options import QUALITY_TOLERANCE, SolveOptions
from orgplan.solving.priorities import fix_stage
from orgplan.solving.stages import solve
from test_time import brute_force, tiny_timed

SLACK = 1e-6


def two_pieces(ramp_capacity: float) -> dict[str, Any]:
    """Two 15-hour pieces in both quarters, coverage required, two movers at 100,000 a
    year; a seat ramps for its first quarter at `ramp_capacity` of 40 hours."""
    return {
        "name": "Ramp",
        "horizon": {"periods": ["Q1", "Q2"]},
        "roles": {"PM": {"cost": 100000, "ramp_up": 1}},
        "responsibilities": [
            {"id": "roadmap", "hours": 15, "needs": {"domain": 2}},
            {"id": "pricing", "hours": 15, "needs": {"domain": 2}},
        ],
        "candidates": [
            {"id": "ana", "skills": {"domain": 3}, "cost": 100000},
            {"id": "ben", "skills": {"domain": 3}, "cost": 100000},
        ],
        "policy": {"coverage": "required", "ramp_capacity": ramp_capacity},
    }


def cost_bound(data: dict[str, Any]) -> bundles.BundleBound:
    """The cost stage's bound from seats over time, the quality stage's best kept."""
    scenario = parse_scenario(to_yaml(data))
    plan = solve(scenario, None, SolveOptions(bundle_bound=False))
    model = build_timed_model(scenario, resolve_limits(scenario, None))
    fix_stage(model, Stage.QUALITY, plan.kpis.quality, QUALITY_TOLERANCE)
    found = timed_bundles.stage_bound(model, Stage.COST)
    assert found is not None
    return found


def test_a_ramping_first_quarter_needs_two_whole_seats() -> None:
    # Each seat holds 20 hours in Q1: the two pieces need two seats from Q1, for both
    # quarters: 2 x 2 x 100,000 x 3/12 = 100,000 (a fraction of a second seat would do
    # for the compact relaxation, which fills Q1's 30 hours with 1.5 seats' 20 hours)
    found = cost_bound(two_pieces(ramp_capacity=0.5))
    assert found.bound == pytest.approx(100000)
    assert found.source == bundles.BUNDLE_LP


def test_without_the_ramp_one_seat_is_the_bound() -> None:
    # at full capacity in Q1 one seat holds both pieces: 2 x 100,000 x 3/12
    found = cost_bound(two_pieces(ramp_capacity=1.0))
    assert found.bound == pytest.approx(50000)


def test_a_solve_with_the_bound_over_time_is_proven_and_checked() -> None:
    data = two_pieces(ramp_capacity=0.5)
    scenario = parse_scenario(to_yaml(data))
    plan = solve(scenario, None, SolveOptions(bundle_bound=True))
    check_plan(scenario, plan, None)
    assert plan.status is SolveStatus.OPTIMAL
    assert plan.kpis.spend == pytest.approx(100000)
    sources = {s.objective: s.bound_source for s in plan.solver.stages}
    assert set(sources.values()) <= set(BOUND_SOURCES)
    cost = next(s for s in plan.solver.stages if s.objective == "cost")
    assert cost.bound == pytest.approx(100000)
    # and without it, the compact model's bound is said to be branch and bound's
    compact = solve(scenario, None, SolveOptions(bundle_bound=False))
    assert {s.bound_source for s in compact.solver.stages} == {"branch and bound"}
    assert compact.kpis.spend == pytest.approx(plan.kpis.spend)


def test_development_is_not_priced() -> None:
    data = two_pieces(ramp_capacity=0.5)
    data["policy"]["development"] = {"periods_per_level": 1, "cost_per_level": 1000}
    data["roles"]["PM"]["floors"] = {"domain": 4}
    scenario = parse_scenario(to_yaml(data))
    model = build_timed_model(scenario, resolve_limits(scenario, None))
    assert model.grow and not timed_bundles.applies(model)


def check_stages(data: dict[str, Any], optima: tuple[float, float, float]) -> None:
    """Each stage's bound against the optimum (coverage, quality, cost) of that stage."""
    scenario = parse_scenario(to_yaml(data))
    model = build_timed_model(scenario, resolve_limits(scenario, None))
    if not timed_bundles.applies(model):
        return
    coverage, quality, cost = optima
    if not model.limits.coverage_required:
        found = timed_bundles.stage_bound(model, Stage.COVERAGE)
        assert found is not None
        assert found.bound >= coverage - SLACK, (found, coverage)
        fix_stage(model, Stage.COVERAGE, coverage, QUALITY_TOLERANCE)
    found = timed_bundles.stage_bound(model, Stage.QUALITY)
    assert found is not None
    assert found.bound >= quality - SLACK, (found, quality)
    fix_stage(model, Stage.QUALITY, quality, QUALITY_TOLERANCE)
    found = timed_bundles.stage_bound(model, Stage.COST)
    assert found is not None
    # the cheapest plan within the quality tolerance costs at most the best quality's
    assert found.bound <= cost + SLACK, (found, cost)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_timed())
def test_bounds_over_time_hold_on_the_exhaustive_optima(data: dict[str, Any]) -> None:
    data = copy.deepcopy(data)
    data["policy"].pop("development", None)
    data["roles"]["PM"].pop("floors", None)
    check_stages(data, brute_force(data))


@st.composite
def small_timed(draw: Any) -> dict[str, Any]:
    """Two roles, up to five pieces of two product lines, four people, three quarters."""
    periods = ["Q1", "Q2", "Q3"][: draw(st.integers(2, 3))]
    skills = ["domain", "technical"]
    roles = {}
    for name in ("PM", "TPM"):
        roles[name] = {
            "cost": draw(st.sampled_from([80000, 120000])),
            "open_reqs": draw(st.integers(0, 1)),
            "time_to_hire": draw(st.integers(1, 2)),
            "ramp_up": draw(st.integers(0, 1)),
            "hire_cost": draw(st.sampled_from([0, 10000])),
            "hire_profile": {s: draw(st.integers(2, 4)) for s in skills},
            "max_responsibilities": draw(st.sampled_from([2, 3, None])),
        }
    resps = []
    for j in range(draw(st.integers(2, 5))):
        resp: dict[str, Any] = {
            "id": f"w{j}",
            "hours": draw(st.sampled_from([8, 12, 20])),
            "priority": draw(st.sampled_from([1, 2])),
            "needs": {s: draw(st.integers(1, 4)) for s in skills},
            "product": draw(st.sampled_from(["A", "B"])),
            "roles": draw(st.sampled_from([["PM"], ["TPM"], ["PM", "TPM"]])),
        }
        if draw(st.booleans()):
            resp["periods"] = periods[draw(st.integers(0, len(periods) - 1)) :]
        resps.append(resp)
    cands = []
    for i in range(draw(st.integers(1, 3))):
        cand: dict[str, Any] = {
            "id": f"c{i}",
            "skills": {s: draw(st.integers(1, 5)) for s in skills},
            "cost": draw(st.sampled_from([70000, 100000, 130000])),
            "roles": draw(st.sampled_from([["PM"], ["TPM"], ["PM", "TPM"]])),
        }
        if draw(st.booleans()):
            cand["available_from"] = draw(st.sampled_from(periods))
        cands.append(cand)
    policy: dict[str, Any] = {"max_products_per_seat": draw(st.sampled_from([1, None]))}
    if draw(st.booleans()):
        policy["max_hires_per_period"] = 1
    if draw(st.booleans()):
        policy["spend_budget"] = draw(st.sampled_from([60000, 120000]))
    data: dict[str, Any] = {
        "name": "small",
        "horizon": {"periods": periods},
        "roles": roles,
        "responsibilities": resps,
        "candidates": cands,
        "policy": policy,
    }
    if len(resps) >= 2 and draw(st.booleans()):
        data["couplings"] = [{"between": ["w0", "w1"], "cost": 3}]
    return data


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_timed())
def test_bounds_over_time_hold_on_proven_optima(data: dict[str, Any]) -> None:
    scenario = parse_scenario(to_yaml(data))
    try:
        plan = solve(scenario, None, SolveOptions(bundle_bound=False, explain=False))
    except Infeasible:
        return  # no plan, no bound to check
    assert plan.status is SolveStatus.OPTIMAL
    values = {s.objective: s.value for s in plan.solver.stages}
    optima = (values.get("coverage", 0.0), values["quality"], values["cost"])
    check_stages(data, optima)
