"""The heuristic plans (`orgplan.heuristics`): feasible for every row, never worse than
their start, and a stand-in when a stage's solver run ends without a plan.

`violations` is checked against hand-broken plans; greedy and local search against random
small instances (the brute force of test_bruteforce.py bounds what they may reach), the
bundled scenarios and a generated benchmark. Run under both PuLP lines:
`.venv/bin/python -m pytest tests/test_heuristics.py` and
`../venv312/bin/python -m pytest tests/test_heuristics.py` (a second venv on Python 3.12,
see CONTRIBUTING.md).
"""

from __future__ import annotations

import signal
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from checker import check_plan
from orgplan import heuristics
from orgplan.heuristics import budget, check, goal, improving
from orgplan.model import TeamModel, build_model, resolve_limits
from orgplan.results.status import SolveStatus, Termination
from orgplan.scenario.format import Scenario
from orgplan.scenario.loading import load_scenario
from orgplan.solvers import lp
from orgplan.solving.options import QUALITY_TOLERANCE, SolveOptions
from orgplan.solving.priorities import SolverClock
from orgplan.solving.priorities import fix_stage as _fix_stage
from orgplan.solving.stages import solve
from solver_helpers import cand, resp, scenario
from test_bruteforce import brute_force, instances, lexicographic

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"


def _model(scen: Scenario, structure: str | None = None) -> TeamModel:
    return build_model(scen, resolve_limits(scen, structure))


def _worth(model: TeamModel, values: dict[str, float]) -> tuple[float, float, float]:
    return (
        heuristics.value_of(model.coverage, values),
        heuristics.value_of(model.quality, values),
        heuristics.value_of(model.cost, values),
    )


def _solve_stage(model: TeamModel, name: str, warm: dict[str, float] | None) -> Any:
    """Run one stage with the solver and fix it, as solving._lexicographic does."""
    objective = {"coverage": model.coverage, "quality": model.quality}[name]
    lp.set_objective(model.prob, objective, True)
    outcome = lp.run(model.prob, "highs", None, warm=warm)
    assert outcome.objective is not None
    values = lp.snapshot(model.prob)
    _fix_stage(model, name, outcome.objective, QUALITY_TOLERANCE)
    return values


def _two_people() -> Scenario:
    return scenario(
        [
            resp("a", 30, needs={"business": 4}, product="Core"),
            resp("b", 20, needs={"technical": 4}, product="Cloud"),
            resp("c", 10, priority=2, product="Core"),
        ],
        [
            cand("biz", skills={"business": 4}, cost=100),
            cand("tech", skills={"technical": 4}, cost=120),
            cand("any", skills={"business": 3, "technical": 3}, cost=90),
        ],
        couplings=[{"between": ["a", "c"], "cost": 2}],
        policy={"max_products_per_seat": 1},
    )


# ---- violations: every row of the problem, read from the problem ------------------------


def test_a_solver_plan_breaks_no_row() -> None:
    model = _model(_two_people())
    values = _solve_stage(model, "coverage", None)
    assert heuristics.violations(model, values) == []


def test_broken_plans_name_the_rows_they_break() -> None:
    model = _model(_two_people())
    good = _solve_stage(model, "coverage", None)
    assert heuristics.violations(model, good) == []

    # an owner without a seat
    owned = next(var.name for var in model.own.values() if good[var.name] > 0.5)
    pi = int(owned.split("_")[1])
    unseated = dict(good)
    for (p, _r), var in model.seat.items():
        if p == pi:
            unseated[var.name] = 0.0
    assert any(v.startswith(f"owner_seated_{pi}_") for v in heuristics.violations(model, unseated))

    # two owners of one responsibility, and a value that is not whole
    ji = int(owned.split("_")[2])
    doubled = dict(good)
    for (_p, j), var in model.own.items():
        if j == ji:
            doubled[var.name] = 1.0
    found = heuristics.violations(model, doubled)
    assert any(v.startswith(f"owner_of_{ji}") for v in found)
    half = dict(good, **{owned: 0.5})
    assert any("not whole" in v for v in heuristics.violations(model, half))

    # the coverage the first stage fixed
    nothing = {name: 0.0 for name in good}
    assert any(v.startswith("keep_coverage") for v in heuristics.violations(model, nothing))


def test_rows_are_read_whether_constraints_is_a_method_or_a_dict() -> None:
    model = _model(_two_people())
    rows = check.rows(model.prob)
    assert rows and all(hasattr(r, "getLb") for r in rows)

    class Old:  # PuLP before 3.3.2: `constraints` is a dict of name -> row
        constraints = {r.name: r for r in rows}

    assert check.rows(Old()) == rows


# ---- greedy construction ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["startup.yaml", "saas.yaml", "enterprise.yaml"])
def test_greedy_plans_of_the_bundled_scenarios_are_feasible(name: str) -> None:
    scen = load_scenario(REPO / "scenarios" / name)
    for structure in [None, *scen.all_structures()]:
        model = _model(scen, structure)
        values = heuristics.greedy_plan(model, time_budget=0.5)
        if values is None:
            continue
        assert heuristics.violations(model, values) == [], (name, structure)


def test_greedy_reaches_the_best_coverage_of_a_small_team() -> None:
    model = _model(_two_people())
    values = heuristics.greedy_plan(model)
    assert values is not None
    best = _solve_stage(model, "coverage", None)
    assert _worth(model, values)[0] == pytest.approx(_worth(model, best)[0])


def test_greedy_is_repeatable() -> None:
    scen = load_scenario(REPO / "scenarios" / "saas.yaml")
    first = heuristics.greedy_plan(_model(scen))
    assert first is not None
    assert heuristics.greedy_plan(_model(scen)) == first


def test_greedy_gives_up_when_required_coverage_is_out_of_reach() -> None:
    scen = scenario(
        [resp("a", 30), resp("b", 30)],
        [cand("ana")],
        policy={"coverage": "required"},
    )
    assert heuristics.greedy_plan(_model(scen)) is None


def test_greedy_fills_open_requisitions_in_the_models_order() -> None:
    scen = scenario(
        [resp(f"r{i}", hours) for i, hours in enumerate([30, 25, 20, 15, 10])],
        [cand("ana", cost=150)],
        roles={"PM": {"cost": 100, "open_reqs": 3, "max_responsibilities": 1}},
        policy={"budget": 500},
    )
    model = _model(scen)
    values = heuristics.greedy_plan(model)
    assert values is not None
    assert heuristics.violations(model, values) == []  # open_req_order / _hours rows
    seated = [p for (p, _r), var in model.seat.items() if values[var.name] > 0.5]
    assert len(seated) == 4  # ana and the three requisitions
    hours = [
        sum(
            model.pool.resps[j].hours
            for (p, j), v in model.own.items()
            if values[v.name] > 0.5 and p == pi
        )
        for pi in (1, 2, 3)
    ]
    assert hours == sorted(hours, reverse=True)  # busiest first


def test_greedy_seats_a_fixed_role_even_with_nothing_to_do() -> None:
    scen = scenario(
        [resp("a", 10, needs={"business": 4})],
        [cand("boss", fixed_role="PM", skills={"business": 1}, cost=300), cand("ana")],
        roles={"PM": {"cost": 100}},
        policy={"max_skill_gap": 0},
    )
    model = _model(scen)
    values = heuristics.greedy_plan(model)
    assert values is not None
    assert heuristics.violations(model, values) == []
    assert values[model.seat[0, "PM"].name] == 1.0


# ---- local search under the earlier stages' floors ---------------------------------------


def test_the_cost_stage_search_keeps_coverage_and_quality_floors() -> None:
    scen = load_scenario(REPO / "scenarios" / "saas.yaml")
    model = _model(scen)
    values = _solve_stage(model, "coverage", heuristics.greedy_plan(model))
    values = _solve_stage(model, "quality", values)
    coverage_floor, quality_floor = goal.floors(model)
    assert coverage_floor is not None and quality_floor is not None
    lp.set_objective(model.prob, model.cost, False)
    better = heuristics.improve(model, values, "cost", time_budget=2.0)
    assert better is not None
    assert heuristics.violations(model, better) == []
    coverage, quality, cost = _worth(model, better)
    assert cost <= _worth(model, values)[2]
    assert coverage >= coverage_floor and quality >= quality_floor


def test_a_plan_that_breaks_a_floor_is_not_improved_on() -> None:
    model = _model(_two_people())
    values = _solve_stage(model, "coverage", None)
    empty = {name: 0.0 for name in values}
    assert heuristics.improve(model, empty, "quality") is None


def test_unknown_stage_is_refused() -> None:
    model = _model(_two_people())
    values = _solve_stage(model, "coverage", None)
    with pytest.raises(ValueError, match="unknown stage"):
        heuristics.improve(model, values, "speed")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
@given(instances())
def test_heuristic_plans_are_feasible_and_never_beat_the_optimum(case: Any) -> None:
    data, structure = case
    scen = scenario(**data)
    found = brute_force(scen, structure)
    model = _model(scen, structure)
    greedy = heuristics.greedy_plan(model)
    if not found:
        assert greedy is None or heuristics.violations(model, greedy) == []
        return
    best_cov, best_q, loose, _tight = lexicographic(found)
    if greedy is not None:
        assert heuristics.violations(model, greedy) == []
        assert _worth(model, greedy)[0] <= best_cov + 1e-6
    if model.limits.coverage_required:
        return  # the quality stage comes first; covered by the solve below
    values = _solve_stage(model, "coverage", greedy)
    better = heuristics.improve(model, values, "quality")
    assert better is not None and heuristics.violations(model, better) == []
    assert _worth(model, better)[1] <= best_q + 1e-6
    assert _worth(model, better)[1] >= _worth(model, values)[1] - 1e-9
    values = _solve_stage(model, "quality", better)
    lp.set_objective(model.prob, model.cost, False)
    cheaper = heuristics.improve(model, values, "cost")
    assert cheaper is not None and heuristics.violations(model, cheaper) == []
    assert loose - 1e-6 <= _worth(model, cheaper)[2] <= _worth(model, values)[2] + 1e-9


# ---- time ----------------------------------------------------------------------------


@pytest.mark.slow
def test_the_search_stops_at_its_time_budget_on_a_large_pool(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(BENCHMARKS))
    scen = generate.scenario("L", 1)
    model = _model(scen)
    started = time.perf_counter()
    values = heuristics.greedy_plan(model, time_budget=1.0)
    elapsed = time.perf_counter() - started
    assert values is not None and heuristics.violations(model, values) == []
    assert elapsed < 6.0  # the budget, plus the constructions and the final check


# ---- the hook: a stage without a plan of its own -------------------------------------------


def test_a_stage_that_finds_no_plan_keeps_the_heuristics_plan(monkeypatch: Any) -> None:
    scen = _two_people()
    real = lp.run
    calls: list[int] = []

    def run(prob: Any, *args: Any, **kwargs: Any) -> lp.SolveOutcome:
        calls.append(1)
        if len(calls) == 2:  # the quality stage: out of time, no plan, no bound
            return lp.SolveOutcome(SolveStatus.NO_PLAN, None, None, None, 0.5)
        return real(prob, *args, **kwargs)

    monkeypatch.setattr(lp, "run", run)
    # without the bundle bound, which would prove the heuristic's plan optimal here
    plan = solve(scen, None, SolveOptions(bundle_bound=False))
    check_plan(scen, plan)
    quality = plan.solver.stages[1]
    assert quality.objective == "quality"
    assert quality.status is SolveStatus.FEASIBLE
    assert quality.bound is None and quality.gap is None
    assert quality.value == pytest.approx(plan.kpis.quality, abs=0.01 * abs(quality.value))
    assert plan.solver.status is SolveStatus.FEASIBLE and plan.solver.gap is None
    assert [s.objective for s in plan.solver.stages] == ["coverage", "quality", "cost"]


def test_the_solver_clock_takes_its_overrun_off_the_next_limits() -> None:
    clock = SolverClock()
    assert clock.limit(None) is None and clock.limit(5.0) == 5.0 and clock.worth_calling(0.2)
    late = lp.SolveOutcome(SolveStatus.FEASIBLE, 1.0, 2.0, 0.5, 6.5, Termination.TIME_LIMIT)
    clock.saw(2.0, late)
    assert clock.overrun == pytest.approx(4.5)
    # a run that finished on its own, however long, says nothing about the clock
    clock.saw(2.0, lp.SolveOutcome(SolveStatus.OPTIMAL, 1.0, 1.0, 0.0, 9.0))
    clock.saw(None, replace(late, seconds=60.0))
    assert clock.overrun == pytest.approx(4.5)
    assert clock.limit(10.0) == pytest.approx(5.5) and clock.limit(4.0) == 0.1
    assert not clock.worth_calling(4.0) and clock.worth_calling(4.6)
    assert clock.worth_calling(None)


def _overrunning(monkeypatch: Any, by: float) -> list[float | None]:
    """lp.run as if the first solver run went `by` seconds past its limit; the limits given."""
    real, limits = lp.run, []

    def run(prob: Any, solver: str, limit: float | None, **kwargs: Any) -> lp.SolveOutcome:
        limits.append(limit)
        outcome = real(prob, solver, limit, **kwargs)
        if len(limits) == 1 and limit is not None:
            return replace(outcome, seconds=limit + by, termination=Termination.TIME_LIMIT)
        return outcome

    monkeypatch.setattr(lp, "run", run)
    return limits


def test_a_solver_that_overran_gets_that_much_less_time_next(monkeypatch: Any) -> None:
    limits = _overrunning(monkeypatch, 3.0)
    began = time.perf_counter()
    plan = solve(_two_people(), None, SolveOptions(time_limit=30, bundle_bound=False))
    # the quality stage's share (2/3 of what is left) less the 3 s the coverage run overran
    assert len(limits) == 3 and limits[0] is not None and limits[1] is not None
    assert limits[0] <= 15.0
    spent = time.perf_counter() - began
    assert (30 - spent) * 2 / 3 - 3 <= limits[1] <= 30 * 2 / 3 - 3
    assert plan.solver.stages[1].status is SolveStatus.OPTIMAL


def test_no_solver_run_when_its_overrun_alone_would_pass_the_limit(monkeypatch: Any) -> None:
    limits = _overrunning(monkeypatch, 100.0)
    scen = _two_people()
    plan = solve(scen, None, SolveOptions(time_limit=30, bundle_bound=False))
    check_plan(scen, plan)
    assert len(limits) == 1  # quality and cost: the heuristic's plan stands in
    for stage in plan.solver.stages[1:]:
        assert stage.status is SolveStatus.FEASIBLE and stage.bound is None
        assert stage.termination is Termination.TIME_LIMIT
    assert plan.solver.status is SolveStatus.FEASIBLE


def test_ctrl_c_during_the_heuristic_ends_the_solve_with_its_plan(monkeypatch: Any) -> None:
    scen = _two_people()
    real = improving.improve_within

    def interrupted(model: TeamModel, values: Any, stage: str, clock: Any, *rest: Any) -> Any:
        if stage == "quality":
            signal.raise_signal(signal.SIGINT)  # as if the user pressed Ctrl-C just now
        return real(model, values, stage, clock, *rest)

    monkeypatch.setattr(improving, "improve_within", interrupted)
    handler = signal.getsignal(signal.SIGINT)
    plan = solve(scen, None, SolveOptions())  # no KeyboardInterrupt escapes
    check_plan(scen, plan)
    coverage, quality, cost = plan.solver.stages
    assert coverage.status is SolveStatus.OPTIMAL
    assert quality.status is SolveStatus.FEASIBLE and quality.bound is None
    assert quality.value == pytest.approx(plan.kpis.quality)
    assert cost.status is SolveStatus.FEASIBLE and cost.bound is None  # never ran
    assert signal.getsignal(signal.SIGINT) is handler  # put back


def test_without_a_time_limit_the_effort_is_counted_not_timed(monkeypatch: Any) -> None:
    # The same file must give the same plan on any machine: with no time limit, a
    # machine so slow that every clock reading is ten seconds later finds the same plans.
    scen = load_scenario(REPO / "scenarios" / "saas.yaml")
    normal = heuristics.greedy_plan(_model(scen))
    cheaper = heuristics.improve(_model(scen), normal or {}, "cost", quality_floor=0.0)
    readings = iter(range(0, 10**9, 10))
    monkeypatch.setattr(budget.time, "perf_counter", lambda: float(next(readings)))
    slow = heuristics.greedy_plan(_model(scen))
    assert normal is not None and slow == normal
    assert heuristics.improve(_model(scen), slow, "cost", quality_floor=0.0) == cheaper
    # a time budget still stops it: the first reading after the start is past it
    assert heuristics.greedy_plan(_model(scen), time_budget=5.0) != normal
