"""The bound from seat bundles (orgplan.solving.bundles) against exhaustive optima.

On the random small instances of test_bruteforce.py: each stage's bundle bound, computed
on the model with the earlier stages' floors at their exhaustive optima, is valid (at
least the optimum for coverage and quality, at most it for cost); a solve with the bundles
reaches the exhaustive optimum at every stage (so it is never worse than without them),
each stage's reported bound is valid and says where it comes from; and on a generated
25 x 20 instance the bundle LP proves the coverage stage by itself.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from orgplan.errors import Infeasible
from orgplan.model import build_model, resolve_limits
from orgplan.model.stages import Stage
from orgplan.results.plan import BOUND_SOURCES
from orgplan.solving import bundles
from orgplan.solving.options import QUALITY_TOLERANCE, SolveOptions
from orgplan.solving.priorities import fix_stage
from orgplan.solving.stages import solve
from solver_helpers import scenario, solve_checked, stage
from test_bruteforce import REGRESSIONS, brute_force, instances, lexicographic

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

SLACK = 1e-6


def _optima(instance: tuple[dict[str, Any], str | None]) -> Any:
    """The scenario, its structure and (C*, Q*, loose, tight), or None when infeasible."""
    data, structure = instance
    scen = scenario(**data)
    results = brute_force(scen, structure)
    if not results:
        return None
    return scen, structure, lexicographic(results)


def check_bounds(instance: tuple[dict[str, Any], str | None]) -> None:
    """Each stage's bundle bound against the exhaustive optimum of that stage."""
    found = _optima(instance)
    if found is None:
        return
    scen, structure, (best_cov, best_q, _loose, tight) = found
    model = build_model(scen, resolve_limits(scen, structure))
    if not bundles.applies(model):
        return
    if not model.limits.coverage_required:
        bound = bundles.stage_bound(model, Stage.COVERAGE)
        assert bound is not None
        assert bound.bound >= best_cov - SLACK, (bound, best_cov)
        fix_stage(model, Stage.COVERAGE, best_cov, QUALITY_TOLERANCE)
    bound = bundles.stage_bound(model, Stage.QUALITY)
    assert bound is not None
    assert bound.bound >= best_q - SLACK, (bound, best_q)
    fix_stage(model, Stage.QUALITY, best_q, QUALITY_TOLERANCE)
    bound = bundles.stage_bound(model, Stage.COST)
    assert bound is not None
    # the cheapest plan within the tolerance costs between `loose` and `tight`
    assert bound.bound <= tight + SLACK, (bound, tight)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_bundle_bounds_are_valid(instance):
    check_bounds(instance)


@pytest.mark.parametrize("instance", REGRESSIONS)
def test_bundle_bounds_are_valid_on_the_regressions(instance):
    check_bounds(instance)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_solve_with_bundles_reaches_the_optimum_with_valid_bounds(instance):
    found = _optima(instance)
    if found is None:
        return
    scen, structure, (best_cov, best_q, loose, tight) = found
    try:
        plan = solve_checked(scen, structure, explain=False, bundle_bound=True)
    except Infeasible:  # pragma: no cover - enumeration found a plan
        raise AssertionError("the solver found no plan where enumeration found one") from None
    if scen.policy.coverage != "required":
        assert stage(plan, "coverage") == pytest.approx(best_cov, abs=SLACK)
    assert stage(plan, "quality") == pytest.approx(best_q, abs=SLACK)
    assert loose - SLACK <= plan.kpis.total_cost <= tight + SLACK
    optimum = {"coverage": best_cov, "quality": best_q, "cost": tight}
    for result in plan.solver.stages:
        if result.bound is None:
            continue
        assert result.bound_source in BOUND_SOURCES
        if result.objective == "cost":
            assert result.bound <= optimum["cost"] + SLACK
        else:
            assert result.bound >= optimum[result.objective] - SLACK
    # and never worse than the compact model alone, stage by stage
    compact = solve(scen, structure, SolveOptions(explain=False, bundle_bound=False))
    for mine, theirs in zip(plan.solver.stages, compact.solver.stages, strict=True):
        if mine.objective == "cost":
            assert mine.value <= theirs.value + SLACK
        else:
            assert mine.value >= theirs.value - SLACK


def test_the_bundle_lp_proves_a_generated_coverage_stage():
    import generate

    scen = generate.scenario((25, 20), 3)
    model = build_model(scen, resolve_limits(scen))
    found = bundles.stage_bound(model, Stage.COVERAGE)
    assert found is not None
    assert found.source == bundles.BUNDLE_LP
    plan = solve_checked(scen, time_limit=4, bundle_bound=True)  # coverage is all it asks
    coverage = next(s for s in plan.solver.stages if s.objective == "coverage")
    # the plan's coverage (319) is what the bundle LP allows: the bundles prove it, no
    # search is needed (the time it saves is measured in benchmarks/, not here)
    assert coverage.value == pytest.approx(found.bound)
    assert coverage.bound_source in (bundles.BUNDLE_LP, bundles.LAGRANGIAN)
    assert coverage.status.value == "optimal"


def test_an_early_stop_still_gives_a_valid_bound():
    import generate

    scen = generate.scenario((25, 20), 2)
    model = build_model(scen, resolve_limits(scen))
    full = bundles.stage_bound(model, Stage.QUALITY)
    early = bundles.stage_bound(model, Stage.QUALITY, max_rounds=2)
    assert full is not None and early is not None
    assert early.source == bundles.LAGRANGIAN
    assert early.bound >= full.bound - SLACK  # weaker (or equal), never below
