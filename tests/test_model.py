"""Model devices that are not business rules: the per-responsibility objective columns and
the `seats_needed` rounding row. Both must leave every plan's value unchanged; the brute
force of test_bruteforce.py checks the optima they lead to, these tests their shape."""

from __future__ import annotations

from typing import Any

from orgplan import heuristics
from orgplan.model import build_model, resolve_limits, seats_needed
from orgplan.results.status import SolveStatus
from orgplan.scenario.format import Scenario
from orgplan.solvers import lp
from solver_helpers import cand, resp, scenario, solve_checked


def _rows(model: Any) -> dict[str, Any]:
    rows = model.prob.constraints
    return {r.name: r for r in (rows() if callable(rows) else rows.values())}


def _six_small_pieces(**policy: Any) -> Scenario:
    roles = {"PM": {"cost": 100, "max_responsibilities": 2}}
    work = [resp(f"w{i}", 2 + i, priority=1 + (i % 2)) for i in range(6)]
    people = [cand(f"p{i}", cost=100 + i) for i in range(4)]
    return scenario(work, people, roles=roles, policy=policy)


def test_quality_is_one_bounded_column_per_responsibility() -> None:
    scen = scenario(
        [resp("a", 10, needs={"business": 4}), resp("b", 5)],
        [cand("x", skills={"business": 3}), cand("y", skills={"business": 3})],
    )
    model = build_model(scen, resolve_limits(scen))
    assert sorted(model.fit_hours) == [0, 1]
    # at most one owner, so a column is bounded by the best owner's hours x fit
    best_a = max(10 * model.pool.fit[pi, 0] for pi, ji in model.own if ji == 0)
    assert model.fit_hours[0].upBound == best_a < 10
    assert model.fit_hours[1].upBound == 5
    # no ownership column carries the objective itself
    objective_columns = {v.name for v in model.fit_hours.values()}
    assert {v.name for v in model.quality} == objective_columns


def test_a_couplings_saving_is_one_column_of_at_most_one() -> None:
    scen = scenario(
        [resp("a", 10), resp("b", 5), resp("c", 5)],
        [cand("x"), cand("y"), cand("z")],
        couplings=[{"between": ["a", "b"], "cost": 3}, {"between": ["b", "c"], "cost": 2}],
    )
    model = build_model(scen, resolve_limits(scen))
    assert sorted(model.kept) == [0, 1]
    assert all(v.upBound == 1 for v in model.kept.values())
    assert len(model.keep) == 6  # three people could keep each of the two couplings
    weights = {v.name: c for v, c in model.quality.items()}
    assert weights[model.kept[0].name] == 3 and weights[model.kept[1].name] == 2
    assert not any(v.name in weights for v in model.keep.values())
    # one person owning a, b and c keeps both couplings: worth 20 h x fit 1, no handoff
    plan = solve_checked(scen, quality_tolerance=0.0)
    assert plan.kpis.handoff_cost == 0 and plan.kpis.quality == 20


def test_a_plans_stage_values_are_its_own_figures() -> None:
    scen = _six_small_pieces(max_headcount=2)
    plan = solve_checked(scen, quality_tolerance=0.0)
    stages = {s.objective: s for s in plan.solver.stages}
    assert stages["coverage"].value == plan.kpis.covered_priority_hours
    assert abs(stages["quality"].value - plan.kpis.quality) < 1e-9
    assert stages["cost"].value == plan.kpis.total_cost


def test_warm_start_values_fill_the_objective_columns() -> None:
    scen = _six_small_pieces(max_headcount=2)
    model = build_model(scen, resolve_limits(scen))
    start = heuristics.greedy_plan(model)
    assert start is not None
    assert heuristics.violations(model, start) == []
    owned = [ji for (_pi, ji), v in model.own.items() if start[v.name] > 0.5]
    covered = {ji for ji, v in model.covered.items() if start[v.name] > 0.5}
    assert covered == set(owned)
    fit_hours = sum(start[v.name] for v in model.fit_hours.values())
    assert fit_hours == sum(model.pool.resps[ji].hours for ji in owned)  # fit 1, no needs


def test_seats_needed_with_all_work_required() -> None:
    # six pieces, at most two per seat: three seats however the work is cut
    scen = _six_small_pieces(coverage="required")
    model = build_model(scen, resolve_limits(scen))  # PuLP 4 rows need their problem alive
    assert _rows(model)["seats_needed"].getLb() == 3


def test_seats_needed_from_a_coverage_floor() -> None:
    scen = _six_small_pieces()
    model = build_model(scen, resolve_limits(scen))
    assert "seats_needed" not in _rows(model)
    weights = sorted((r.hours * r.priority for r in model.pool.resps), reverse=True)
    # the three heaviest pieces reach this floor, and no two do: two seats at least
    seats_needed(model, sum(weights[:3]))
    assert _rows(model)["seats_needed"].getLb() == 2


def test_seats_needed_by_hours_when_breadth_is_lifted() -> None:
    roles = {"PM": {"cost": 100, "capacity": 10, "max_responsibilities": None}}
    work = [resp(f"w{i}", 5) for i in range(6)]  # 30 h in seats of 10 h: three
    scen = scenario(work, [cand(f"p{i}") for i in range(4)], roles=roles)
    model = build_model(scen, resolve_limits(scen))
    seats_needed(model, None)
    assert _rows(model)["seats_needed"].getLb() == 3
    assert solve_checked(scen).kpis.headcount == 3


def test_no_row_when_one_seat_would_do() -> None:
    scen = scenario([resp("a", 5), resp("b", 5)], [cand("x")], policy={"coverage": "required"})
    model = build_model(scen, resolve_limits(scen))
    assert "seats_needed" not in _rows(model)


def _relaxed_cost(model: Any) -> float:
    """The cheapest cost of the model's linear relaxation: every variable made continuous."""
    for var in model.prob.variables():
        var.cat = lp.pulp.LpContinuous
    lp.set_objective(model.prob, model.cost, maximize=False)
    outcome = lp.run(model.prob, "highs", None)
    assert outcome.status is SolveStatus.OPTIMAL and outcome.objective is not None
    return outcome.objective


def test_product_lines_are_counted_against_the_seat() -> None:
    # Two product lines of one piece each, one line per seat: the cheap person x can
    # take one line, the dear y the other. Relaxed, x seated at s may focus on s lines,
    # not on one whatever s: x's 100 and half of y's 300 at least, not 100/2 + 300/2.
    work = [resp("a", 10, product="A"), resp("b", 10, product="B")]
    people = [cand("x", cost=100), cand("y", cost=300)]
    scen = scenario(work, people, policy={"coverage": "required", "max_products_per_seat": 1})
    assert _relaxed_cost(build_model(scen, resolve_limits(scen))) >= 250 - 1e-6
    assert solve_checked(scen).kpis.total_cost == 400


# ---- money as the solver sees it ---------------------------------------------------------


def test_ordinary_salaries_are_not_scaled_and_large_ones_are_by_a_power_of_ten() -> None:
    from orgplan.model import cost_scale_of

    assert cost_scale_of([]) == 1.0
    assert cost_scale_of([0.0, 190_000.0, 1_000_000.0]) == 1.0
    assert cost_scale_of([1_000_001.0]) == 0.1
    assert cost_scale_of([5e11, 1e12]) == 1e-6


def _coefficients(row: Any) -> list[float]:
    return [abs(c) for _v, c in row.items()]


def test_the_solver_sees_costs_and_budget_of_at_most_a_million() -> None:
    roles = {"PM": {"cost": 9e11}}
    people = [cand("ana", cost=1e12), cand("bob", cost=4e11)]
    scen = scenario([resp("a"), resp("b")], people, roles=roles, policy={"budget": 9.5e14})
    model = build_model(scen, resolve_limits(scen, None))
    budget = _rows(model)["budget"]
    assert max(_coefficients(budget)) == 1e6
    assert -budget.constant == 9.5e8  # the row's right-hand side, scaled alike
    assert max(_coefficients(model.cost)) == 1e6
    # the plan, its cost stage and that stage's bound are stated in money all the same:
    # one seat holds both pieces, and bob is the cheapest holder
    plan = solve_checked(scen)
    cost = next(s for s in plan.solver.stages if s.objective == "cost")
    assert plan.status is SolveStatus.OPTIMAL
    assert plan.kpis.total_cost == cost.value == 4e11
    assert cost.bound is not None and abs(cost.bound - 4e11) <= 1e-6 * 4e11
