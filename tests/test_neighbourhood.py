"""The cost stage's head start (neighbourhood.py): the people the relaxation seats, solved
exactly. Its plan must meet every rule of the full problem, never be dearer than the plan
it was given, leave the problem as it found it, and change no optimum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checker import check_plan
from orgplan import heuristics
from orgplan.model import TeamModel, build_model, resolve_limits
from orgplan.scenario.loading import load_scenario
from orgplan.solvers import lp
from orgplan.solving import neighbourhood
from orgplan.solving import stages as solving
from orgplan.solving.options import SolveOptions
from orgplan.solving.stages import solve
from test_heuristics import _solve_stage

SAAS = Path(__file__).resolve().parent.parent / "scenarios" / "saas.yaml"


def _cost_stage(path: Path = SAAS) -> tuple[TeamModel, dict[str, float]]:
    """A model at its cost stage (coverage and quality fixed) and the quality stage's plan."""
    model = build_model(load_scenario(path), resolve_limits(load_scenario(path)))
    values = _solve_stage(model, "coverage", heuristics.greedy_plan(model))
    values = _solve_stage(model, "quality", values)
    lp.set_objective(model.prob, model.cost, False)
    return model, values


def _seated(model: TeamModel, values: dict[str, float]) -> set[int]:
    return {pi for (pi, _r), var in model.seat.items() if values.get(var.name, 0) > 0.5}


def _state(model: TeamModel) -> list[tuple[str, Any, Any, Any]]:
    return [(v.name, v.cat, v.lowBound, v.upBound) for v in model.prob.variables()]


def test_the_plan_meets_every_rule_and_seats_only_people_in_reach() -> None:
    model, values = _cost_stage()
    before = _state(model)
    found = neighbourhood.head_start(model, "highs", values, None)
    assert _state(model) == before  # types and bounds restored
    assert found.values is not None and not found.interrupted
    assert heuristics.violations(model, found.values) == []
    with lp.relaxed(model.prob):
        lp.run(model.prob, "highs")
        relaxed = {pi for (pi, _r), v in model.seat.items() if lp.value_of(v) > 1e-6}
    assert _seated(model, found.values) <= relaxed | _seated(model, values)
    # the known plan is a plan of the restricted search: it can only be improved on
    cost = heuristics.value_of(model.cost, found.values)
    assert cost <= heuristics.value_of(model.cost, values)
    # and the full search can only do better still
    optimum = lp.run(model.prob, "highs")
    assert optimum.objective is not None and cost >= optimum.objective - 1e-6


def test_the_relaxations_people_alone_may_not_make_a_team() -> None:
    # At the SaaS example the six people the relaxation seats cannot meet the quality
    # floor by themselves: no plan, and the problem is left as it was.
    model, _values = _cost_stage()
    before = _state(model)
    found = neighbourhood.head_start(model, "highs", None, None)
    assert found.values is None and not found.interrupted
    assert _state(model) == before


def test_no_time_left_gives_no_plan_and_keeps_the_problem() -> None:
    model, values = _cost_stage()
    before = _state(model)
    found = neighbourhood.head_start(model, "highs", values, -1.0)
    assert found.values is None and not found.interrupted
    assert _state(model) == before


def test_a_head_start_changes_no_optimum(monkeypatch: Any) -> None:
    scen = load_scenario(SAAS)
    plain = solve(scen)
    calls: list[int] = []
    real = neighbourhood.head_start

    def counted(*args: Any) -> neighbourhood.HeadStart:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(neighbourhood, "MIN_OWNERSHIPS", 0)
    monkeypatch.setattr(solving.neighbourhood, "head_start", counted)
    heard: list[tuple[str, float | None, float | None]] = []
    options = SolveOptions(
        progress=lambda stage, _t, best, bound: heard.append((stage, best, bound))
    )
    started = solve(scen, options=options)
    assert calls == [1]
    # the spinner hears of the cost stage from its head start on, with no bound until the
    # full search has one (the restricted search's would hold for its few people only)
    first_cost = next(i for i, (stage, _b, _d) in enumerate(heard) if stage == "cost")
    assert heard[first_cost][1] is not None and heard[first_cost][2] is None
    check_plan(scen, started, None)
    assert plain.solver.status.value == started.solver.status.value == "optimal"
    assert started.kpis.total_cost == plain.kpis.total_cost
    assert started.kpis.covered_priority_hours == plain.kpis.covered_priority_hours
    assert abs(started.kpis.quality - plain.kpis.quality) <= 0.01 * abs(plain.kpis.quality)
