"""The search over the seats of each role (orgplan.solving.counts) against exhaustive optima.

On the random small instances of test_bruteforce.py, with the search forced on (it runs
only on models from 100 ownership variables, after HiGHS's first tenth of a second):
every stage reaches the exhaustive optimum, the plan passes the independent checker, and a
stage the search proves reports its bound as `seat counts`, equal to its value. When the
search gives up, HiGHS goes on and still reaches the optimum. On a generated 25 x 20 pool
(where HiGHS takes 1.5-3.6 s a stage) the search proves the quality and cost stages, with
the same values as HiGHS alone.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from orgplan.results.plan import BOUND_SOURCES
from orgplan.results.status import SolveStatus, Termination
from orgplan.solvers import lp
from orgplan.solving import counts, stages
from orgplan.solving.options import SolveOptions
from solver_helpers import scenario, solve_checked, stage
from test_bruteforce import REGRESSIONS, brute_force, instances, lexicographic

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

SLACK = 1e-6


def _forced(mp: pytest.MonkeyPatch) -> None:
    """The search on every model, from the heuristic's plan (no first try of HiGHS)."""
    mp.setattr(stages, "_PROOF_MIN", 0)
    mp.setattr(stages, "_FIRST_TRY", 0.0)


def check_optimum(instance: tuple[dict[str, Any], str | None]) -> int:
    """Solve with the search forced on; assert the exhaustive optimum and valid bounds.
    Returns how many stages the search proved."""
    data, structure = instance
    scen = scenario(**data)
    results = brute_force(scen, structure)
    if not results:
        return 0
    best_cov, best_q, loose, tight = lexicographic(results)
    plan = solve_checked(scen, structure, explain=False)
    if scen.policy.coverage != "required":
        assert stage(plan, "coverage") == pytest.approx(best_cov, abs=SLACK)
    assert stage(plan, "quality") == pytest.approx(best_q, abs=SLACK)
    assert loose - SLACK <= plan.kpis.total_cost <= tight + SLACK
    proven = 0
    for result in plan.solver.stages:
        assert result.bound_source in (*BOUND_SOURCES, None)
        if result.bound_source == counts.SEAT_COUNTS:
            proven += 1
            assert result.status.value == "optimal"
            assert result.bound == pytest.approx(result.value, abs=SLACK)
    return proven


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_search_over_seat_counts_reaches_the_exhaustive_optimum(instance):
    with pytest.MonkeyPatch.context() as mp:
        _forced(mp)
        check_optimum(instance)


def test_the_search_proves_stages_of_the_regressions(monkeypatch):
    _forced(monkeypatch)
    proven = sum(check_optimum(instance) for instance in REGRESSIONS)
    assert proven > 0  # the search ran and proved something, not only HiGHS


@pytest.mark.parametrize("instance", REGRESSIONS)
def test_a_search_that_gives_up_leaves_the_stage_to_highs(monkeypatch, instance):
    _forced(monkeypatch)
    monkeypatch.setattr(counts, "MAX_RELAXATIONS", 0)  # gives up at once
    assert check_optimum(instance) == 0


def test_a_relaxation_stopped_by_the_clock_proves_nothing(monkeypatch):
    # A relaxation cut short hands back a value that is no bound (HiGHS's last iterate or
    # an earlier solve's): here one worse than any plan, which would drop every branch.
    import pulp

    import generate

    resolving = lp.resolving
    calls = {"relaxations": 0}

    @contextlib.contextmanager
    def clocked(prob, solver="highs", relaxation=False):
        with resolving(prob, solver, relaxation) as solve:

            class Clocked:
                tie = staticmethod(solve.tie)

                def __call__(self, fixings, time_limit, warm):
                    outcome, values = solve(fixings, time_limit, warm)
                    if relaxation and fixings:
                        calls["relaxations"] += 1
                        worst = -1e18 if prob.sense == pulp.LpMaximize else 1e18
                        outcome = replace(
                            outcome,
                            status=SolveStatus.FEASIBLE,
                            objective=worst,
                            termination=Termination.TIME_LIMIT,
                        )
                    return outcome, values

            yield Clocked()

    monkeypatch.setattr(counts.lp, "resolving", clocked)
    plan = solve_checked(generate.scenario((25, 20), 1), None, explain=False)
    assert calls["relaxations"] > 0
    # every stage was left to HiGHS, which proved it
    assert {s.bound_source for s in plan.solver.stages} == {"branch and bound"}
    assert {s.status.value for s in plan.solver.stages} == {"optimal"}


def test_a_generated_small_pool_is_proven_by_the_counts():
    import generate

    scen = generate.scenario((25, 20), 1)
    plan = solve_checked(scen, None, explain=False)
    alone = stages.solve(scen, None, SolveOptions(explain=False, seat_counts=False))
    by_stage = {s.objective: s for s in plan.solver.stages}
    for mine, theirs in zip(plan.solver.stages, alone.solver.stages, strict=True):
        assert mine.status.value == theirs.status.value == "optimal"
        assert mine.value == pytest.approx(theirs.value, rel=1e-9)
    assert by_stage["quality"].bound_source == counts.SEAT_COUNTS
    assert by_stage["cost"].bound_source == counts.SEAT_COUNTS
    assert {s.bound_source for s in alone.solver.stages} == {"branch and bound"}


def test_a_tied_column_fixes_a_sum_in_the_loaded_problem_only():
    prob = lp.new_problem("tie", maximize=True)
    x, y = lp.binary(prob, "x"), lp.binary(prob, "y")
    lp.set_objective(prob, lp.linear([(x, 2.0), (y, 1.0)]), True)
    lp.add_le(prob, [(x, 1.0), (y, 1.0)], 2.0, "both")
    columns = len(prob.variables())
    with lp.resolving(prob) as solve:
        both = solve.tie("x_and_y", [(x, 1.0), (y, 1.0)])
        one, values = solve([(both, 1.0)], None, None)
        assert (one.objective, values["x"], values["y"], values["x_and_y"]) == (2.0, 1.0, 0.0, 1.0)
        none, values = solve([(both, 0.0)], None, None)
        assert (none.objective, values["x"], values["y"]) == (0.0, 0.0, 0.0)
        two, _values = solve([], None, None)
        assert two.objective == 3.0  # a fixing holds for its own solve only
    with lp.resolving(prob, relaxation=True) as relax:
        half = relax.tie("x_and_y", [(x, 1.0), (y, 1.0)])
        found, values = relax([(half, 0.5)], None, None)
        assert found.objective == pytest.approx(1.0)  # the relaxation takes half of x
    assert len(prob.variables()) == columns  # the PuLP problem is as it was
