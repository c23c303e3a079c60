"""The neighbourhood search of the quality and cost stages (solving/lns.py).

Each kind of neighbourhood must free what it says and hold everything else at the plan;
the search must never hand back a worse plan, nor one that breaks a row, and must leave
the problem as it found it; on small instances no plan of it may beat the exhaustive
optimum, and a solve with it must reach that optimum as a solve without it does (issue
17: the plan never gets worse for being faster)."""

from __future__ import annotations

import contextlib
import copy
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from checker import check_plan
from conftest import to_yaml
from orgplan import heuristics
from orgplan.model import TeamModel, build_model, resolve_limits
from orgplan.results.status import SolveStatus
from orgplan.scenario.loading import load_scenario, parse_scenario
from orgplan.solvers import lp
from orgplan.solving import lns
from orgplan.solving.options import QUALITY_TOLERANCE, SolveOptions
from orgplan.solving.stages import solve
from solver_helpers import scenario, stage
from test_bruteforce import brute_force, instances, lexicographic
from test_heuristics import _solve_stage
from test_neighbourhood import SAAS, _cost_stage, _state
from test_pulp_compat import SOLVERS, knapsack
from test_time import brute_force as timed_brute_force
from test_time import tiny_timed


def _plan(model: TeamModel, values: dict[str, float]) -> tuple[lns.People, lns.Team]:
    people = lns.People.of(model)
    return people, lns.Team.of(people, values)


def test_each_kind_frees_what_it_says() -> None:
    model, values = _cost_stage()
    people, plan = _plan(model, values)
    seated = set(plan.role)
    assert len(seated) >= 3
    for kind in ("role", "product", "random"):
        for size in (1, 2, len(seated)):
            hood = lns.choose(people, plan, kind, size, "cost", random.Random(kind))
            freed = hood.free & seated
            entrants = hood.free - seated
            assert hood.freed_seated == len(freed) <= size
            assert len(entrants) <= 3 * max(1, len(freed))
            assert not hood.loose
            if kind == "role":
                (role,) = {plan.role[pi] for pi in freed}
                assert all(any(r == role for r, _v in people.seats[pi]) for pi in entrants)
            elif kind == "product":
                lines = [
                    {people.product[ji] for ji, pi in plan.owner.items() if pi == p} for p in freed
                ]
                assert set.intersection(*lines)  # they all own work of one line
            else:
                assert len(freed) == min(size, len(seated))
    work = lns.choose(people, plan, "work", 2, "quality", random.Random(0))
    assert work.free == frozenset() and work.loose == frozenset(seated)


def test_the_same_seed_gives_the_same_neighbourhoods() -> None:
    model, values = _cost_stage()
    people, plan = _plan(model, values)

    def rounds(seed: int) -> list[lns.Neighbourhood]:
        rng = random.Random(seed)
        return [lns.choose(people, plan, k, 2, "cost", rng) for k in lns.KINDS * 3]

    assert rounds(lns.SEED) == rounds(lns.SEED)


def test_everyone_not_freed_is_held_at_the_plan() -> None:
    model, values = _cost_stage()
    people, plan = _plan(model, values)
    for hood in (
        lns.choose(people, plan, "random", 1, "cost", random.Random(1)),
        lns.choose(people, plan, "work", 1, "quality", random.Random(1)),
    ):
        held = {var.name: value for var, value in lns.fixings(people, values, hood)}
        for pi, seats in people.seats.items():
            for _r, var in seats:
                assert (var.name in held) == (pi not in hood.free)
            for _j, var in people.owns[pi]:
                assert (var.name in held) == (pi not in hood.free and pi not in hood.loose)
        assert all(value == round(values.get(name, 0.0)) for name, value in held.items())


def test_the_search_improves_or_gives_nothing_and_keeps_the_problem() -> None:
    model, values = _cost_stage()
    before = _state(model)
    start_cost = heuristics.value_of(model.cost, values)
    heard: list[tuple[float | None, float | None]] = []
    found = lns.search(
        model, "cost", "highs", values, 5.0, False, lambda _t, b, d: heard.append((b, d))
    )
    assert _state(model) == before  # bounds restored
    assert heard[0] == (start_cost, None) and all(d is None for _b, d in heard)
    optimum = lp.run(model.prob, "highs")
    assert optimum.objective is not None
    if found.values is not None:
        assert heuristics.violations(model, found.values) == []
        cost = heuristics.value_of(model.cost, found.values)
        assert optimum.objective - 1e-6 <= cost < start_cost
        assert heard[-1][0] == pytest.approx(cost)
        assert found.improved >= 1
    assert found.rounds >= 1 and not found.interrupted


def test_no_time_gives_no_round() -> None:
    model, values = _cost_stage()
    found = lns.search(model, "cost", "highs", values, 0.0, False)
    assert found == lns.SearchResult(None)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
@given(instances())
def test_on_small_instances_the_search_never_beats_the_optimum_nor_loses_ground(
    case: Any,
) -> None:
    data, structure = case
    scen = scenario(**data)
    found = brute_force(scen, structure)
    model = build_model(scen, resolve_limits(scen, structure))
    if not found or model.limits.coverage_required:
        return  # infeasible, or coverage is fixed: test_bruteforce covers those
    _best_cov, best_q, loose, _tight = lexicographic(found)
    greedy = heuristics.greedy_plan(model)
    values = _solve_stage(model, "coverage", greedy)
    lp.set_objective(model.prob, model.quality, True)
    before = _state(model)
    start_q = heuristics.value_of(model.quality, values)
    better = lns.search(model, "quality", "highs", values, 2.0, True)
    assert _state(model) == before
    if better.values is not None:
        assert heuristics.violations(model, better.values) == []
        assert start_q < heuristics.value_of(model.quality, better.values) <= best_q + 1e-6
    values = _solve_stage(model, "quality", better.values or values)
    lp.set_objective(model.prob, model.cost, False)
    start_cost = heuristics.value_of(model.cost, values)
    cheaper = lns.search(model, "cost", "highs", values, 2.0, False)
    if cheaper.values is not None:
        assert heuristics.violations(model, cheaper.values) == []
        assert loose - 1e-6 <= heuristics.value_of(model.cost, cheaper.values) < start_cost


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
    derandomize=True,
)
@given(instances())
def test_a_solve_with_the_search_reaches_the_optimum_as_one_without(
    monkeypatch: pytest.MonkeyPatch, case: Any
) -> None:
    data, structure = case
    scen = scenario(**data)
    found = brute_force(scen, structure)
    if not found:
        return
    best_cov, best_q, loose, tight = lexicographic(found)
    monkeypatch.setattr(lns, "MIN_OWNERSHIPS", 0)  # search even these tiny models
    plans = {}
    for searching in (True, False):
        options = SolveOptions(time_limit=30, explain=False, neighbourhood_search=searching)
        plan = solve(scen, structure, options)
        check_plan(scen, plan, structure, quality_tolerance=QUALITY_TOLERANCE)
        assert plan.kpis.covered_priority_hours == pytest.approx(best_cov, abs=1e-6)
        assert stage(plan, "quality") == pytest.approx(best_q, abs=1e-6)
        assert loose - 1e-6 <= plan.kpis.total_cost <= tight + 1e-6
        plans[searching] = plan
    for new, old in zip(plans[True].solver.stages, plans[False].solver.stages, strict=True):
        assert new.objective == old.objective
        assert new.value == pytest.approx(old.value, abs=1e-6)


def test_the_stages_search_with_a_time_limit_only(monkeypatch: pytest.MonkeyPatch) -> None:
    scen = load_scenario(SAAS)
    plain = solve(scen, options=SolveOptions(time_limit=60, neighbourhood_search=False))
    monkeypatch.setattr(lns, "MIN_OWNERSHIPS", 0)
    calls: list[str] = []
    real = lns.search

    def counted(model: TeamModel, name: str, *args: Any) -> lns.SearchResult:
        calls.append(name)
        return real(model, name, *args)

    monkeypatch.setattr(lns, "search", counted)
    unlimited = solve(scen)  # no time limit: the full search alone, as before
    assert calls == []
    heard: list[tuple[str, float | None, float | None]] = []
    options = SolveOptions(
        time_limit=60, progress=lambda s, _t, best, bound: heard.append((s, best, bound))
    )
    searched = solve(scen, options=options)
    assert calls == ["quality", "cost"]
    check_plan(scen, searched, None)
    # the search reports its plans without a bound; the stage's bound is the full search's
    for name in ("quality", "cost"):
        first = next(i for i, (s, _b, _d) in enumerate(heard) if s == name)
        assert heard[first][1] is not None and heard[first][2] is None
    assert searched.solver.status.value == plain.solver.status.value == "optimal"
    for plan in (searched, unlimited):
        assert plan.kpis.total_cost == plain.kpis.total_cost
        assert plan.kpis.covered_priority_hours == plain.kpis.covered_priority_hours
        assert stage(plan, "quality") == pytest.approx(stage(plain, "quality"), abs=1e-6)


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_resolved_problem_is_the_problem_with_those_variables_fixed(solver: str) -> None:
    # the knapsack's best is items 1 and 3 (90, with a constant of 5 here); fixing item 3
    # out leaves items 1 and 2 (40 + 30); fixing item 0 in leaves room for item 3 only
    prob, take = knapsack(5.0)
    bounds = [(v.lowBound, v.upBound) for v in take]
    with lp.resolving(prob, solver) as resolve:
        for fixings, best, chosen in (
            ([], 95.0, {1, 3}),
            ([(take[3], 0.0)], 75.0, {1, 2}),
            ([(take[0], 1.0)], 65.0, {0, 3}),
            ([], 95.0, {1, 3}),
        ):
            outcome, values = resolve(fixings, None, None)
            assert outcome.status is SolveStatus.OPTIMAL
            assert outcome.objective == pytest.approx(best)
            assert values is not None
            assert {i for i, v in enumerate(take) if values[v.name] > 0.5} == chosen
        # from a start, within a time limit, with too much fixed in: infeasible
        start = {v.name: float(i in (1, 3)) for i, v in enumerate(take)}
        outcome, _values = resolve([], 10.0, start)
        assert outcome.objective == pytest.approx(95.0)
        outcome, values = resolve([(take[0], 1.0), (take[2], 1.0)], None, None)
        assert outcome.status is SolveStatus.INFEASIBLE and values is None
    assert [(v.lowBound, v.upBound) for v in take] == bounds


def _quality_stage_at_m() -> tuple[TeamModel, dict[str, float]]:
    """The generated 60 x 150 model at its quality stage: no neighbourhood of it is the
    whole problem, so the search runs to its time unless stopped."""
    import sys

    sys.path.insert(0, str(SAAS.parent.parent / "benchmarks"))
    try:
        import generate  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    scen = generate.scenario("M", 1)
    model = build_model(scen, resolve_limits(scen))
    values = _solve_stage(model, "coverage", heuristics.greedy_plan(model, time_budget=1.0))
    lp.set_objective(model.prob, model.quality, True)
    return model, values


@pytest.mark.parametrize("when", ["between rounds", "during a round"])
def test_ctrl_c_stops_the_search_with_its_best_plan(
    monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    import os
    import signal
    import threading
    import time

    model, values = _quality_stage_at_m()
    before = _state(model)
    real = lns.lp.resolving
    calls: list[int] = []

    @contextlib.contextmanager
    def resolving(prob: Any, solver: str = "highs") -> Any:
        with real(prob, solver) as resolve:

            def ctrl_c(fixings: Any, limit: Any, warm: Any) -> Any:
                calls.append(1)
                if len(calls) == 2:
                    if when == "between rounds":
                        os.kill(os.getpid(), signal.SIGINT)  # handled before the round
                    else:
                        # the whole problem for 20 s: Ctrl-C lands in HiGHS's search
                        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
                        return resolve([], 20.0, warm)
                return resolve(fixings, limit, warm)

            ctrl_c.cancel = getattr(resolve, "cancel", None)  # type: ignore[attr-defined]
            yield ctrl_c

    monkeypatch.setattr(lns.lp, "resolving", resolving)
    handler = signal.getsignal(signal.SIGINT)
    started = time.perf_counter()
    found = lns.search(model, "quality", "highs", values, 30.0, True)
    assert found.interrupted and found.rounds == len(calls) == 2
    assert time.perf_counter() - started < 10.0
    assert signal.getsignal(signal.SIGINT) is handler  # the caller's handler is back
    assert _state(model) == before
    if found.values is not None:
        assert heuristics.violations(model, found.values) == []


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(tiny_timed())
def test_a_plan_over_periods_with_the_search_reaches_the_exhaustive_optimum(
    monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]
) -> None:
    coverage, quality, cost = timed_brute_force(data)
    monkeypatch.setattr(lns, "MIN_OWNERSHIPS", 0)  # search even these tiny models
    calls: list[str] = []
    real = lns.search

    def counted(model: Any, name: str, *args: Any) -> lns.SearchResult:
        calls.append(name)
        return real(model, name, *args)

    monkeypatch.setattr(lns, "search", counted)
    scen = parse_scenario(to_yaml(copy.deepcopy(data)))
    plan = solve(scen, None, SolveOptions(time_limit=30, explain=False))
    check_plan(scen, plan, None)
    assert calls == ["quality", "cost"]  # over periods too, the quality and cost stages
    assert plan.status is SolveStatus.OPTIMAL
    assert plan.kpis.covered_priority_hours == pytest.approx(coverage)
    assert plan.kpis.quality >= quality * 0.99 - 1e-6
    assert plan.kpis.spend <= cost + 1e-6 or plan.kpis.quality > quality * 0.99


def test_ctrl_c_in_the_search_over_periods_keeps_the_plan_and_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lns, "MIN_OWNERSHIPS", 0)

    def interrupted(model: Any, name: str, *args: Any) -> lns.SearchResult:
        return lns.SearchResult(None, rounds=1, improved=0, interrupted=True)

    monkeypatch.setattr(lns, "search", interrupted)
    data = {
        "name": "Timed",
        "horizon": {"periods": ["Q1", "Q2"]},
        "roles": {"PM": {"cost": 100000}},
        "responsibilities": [{"id": "roadmap", "hours": 20, "needs": {"domain": 3}}],
        "candidates": [{"id": "ana", "skills": {"domain": 3}, "cost": 90000}],
    }
    scen = parse_scenario(to_yaml(data))
    plan = solve(scen, None, SolveOptions(time_limit=30, explain=False))
    check_plan(scen, plan, None)
    quality, cost = plan.solver.stages[1:]
    # the quality stage keeps the plan in hand, stopped by Ctrl-C; the cost stage never ran
    assert quality.objective == "quality" and quality.termination.value == "interrupted"
    assert quality.value == pytest.approx(40.0)  # Ana owns the roadmap in both quarters
    assert cost.objective == "cost" and cost.bound is None and cost.value == 0.0
    assert plan.status is SolveStatus.FEASIBLE
