"""The PuLP adapter gives one normalised outcome under whichever PuLP is installed (3.3 or 4).

Run it under both: `.venv/bin/python -m pytest tests/test_pulp_compat.py` (PuLP 3.3) and
`../venv312/bin/python -m pytest tests/test_pulp_compat.py` (PuLP 4; a second venv on
Python 3.12, see CONTRIBUTING.md).
"""

from __future__ import annotations

import random
from typing import Any

import pulp
import pytest

from orgplan.errors import SolverUnavailable
from orgplan.results.status import SolveStatus
from orgplan.solvers import lp, registry

# A 0/1 knapsack with one best answer: items 1 and 3 (40 + 50 = 90, weight 7 of 10).
VALUES = (10.0, 40.0, 30.0, 50.0)
WEIGHTS = (5.0, 4.0, 6.0, 3.0)
CAPACITY = 10.0
BEST = 90.0


def _cbc_available() -> bool:
    return registry.backend("cbc").available() is None


SOLVERS = [
    "highs",
    pytest.param(
        "cbc", marks=pytest.mark.skipif(not _cbc_available(), reason="no CBC binary here")
    ),
]


def knapsack(constant: float = 0.0) -> tuple[Any, list[Any]]:
    prob = lp.new_problem("knapsack", maximize=True)
    take = [lp.binary(prob, f"take_{i}") for i in range(len(VALUES))]
    lp.add_le(prob, list(zip(take, WEIGHTS, strict=True)), CAPACITY, "capacity")
    lp.set_objective(prob, lp.linear(list(zip(take, VALUES, strict=True)), constant), True)
    return prob, take


def hard_knapsack(constant: float, n: int = 300, m: int = 20) -> tuple[Any, float]:
    """A multi-dimensional knapsack no solver proves optimal in a fraction of a second.

    Returns the problem and its trivial bound: the constant plus every value.
    """
    rnd = random.Random(7)
    prob = lp.new_problem("mkp", maximize=True)
    take = [lp.binary(prob, f"take_{i}") for i in range(n)]
    for k in range(m):
        weights = [float(rnd.randint(10, 100)) for _ in range(n)]
        lp.add_le(prob, list(zip(take, weights, strict=True)), sum(weights) // 4, f"cap_{k}")
    values = [float(rnd.randint(10, 100)) for _ in range(n)]
    lp.set_objective(prob, lp.linear(list(zip(take, values, strict=True)), constant), True)
    return prob, constant + sum(values)


@pytest.mark.parametrize("solver", SOLVERS)
def test_relaxed_and_held_at_zero_change_the_problem_only_within_their_block(
    solver: str,
) -> None:
    prob, take = knapsack()
    with lp.relaxed(prob):
        # items 3 and 1 whole (ratios 16.7 and 10), then half of item 2 (ratio 5)
        assert lp.run(prob, solver).objective == pytest.approx(50 + 40 + 15)
        assert lp.value_of(take[2]) == pytest.approx(0.5)
    with lp.held_at_zero([take[3]]):
        assert lp.run(prob, solver).objective == pytest.approx(40 + 30)
    outcome = lp.run(prob, solver)
    assert outcome.status is SolveStatus.OPTIMAL and outcome.objective == pytest.approx(BEST)


@pytest.mark.parametrize("solver", SOLVERS)
def test_knapsack_is_solved_to_its_known_optimum(solver: str) -> None:
    prob, take = knapsack()
    outcome = lp.run(prob, solver)
    assert outcome.status is SolveStatus.OPTIMAL
    assert outcome.objective == pytest.approx(BEST)
    assert outcome.bound == pytest.approx(BEST)
    assert outcome.gap == pytest.approx(0.0)
    assert [round(lp.value_of(x)) for x in take] == [0, 1, 0, 1]
    assert lp.snapshot(prob) == {"take_0": 0.0, "take_1": 1.0, "take_2": 0.0, "take_3": 1.0}


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("constant", [-1000.0, 25.5])
def test_objective_constant_counts_in_value_and_bound(solver: str, constant: float) -> None:
    prob, _take = knapsack(constant)
    outcome = lp.run(prob, solver)
    assert outcome.status is SolveStatus.OPTIMAL
    assert outcome.objective == pytest.approx(BEST + constant)
    assert outcome.bound == pytest.approx(BEST + constant)


@pytest.mark.parametrize("solver", SOLVERS)
def test_minimisation_with_a_constant(solver: str) -> None:
    # cover a weight of 10 as cheaply as possible: items 0 and 2 (weight 11, cost 40)
    prob = lp.new_problem("cover", maximize=False)
    take = [lp.binary(prob, f"take_{i}") for i in range(len(VALUES))]
    lp.add_ge(prob, list(zip(take, WEIGHTS, strict=True)), CAPACITY, "cover")
    lp.set_objective(prob, lp.linear(list(zip(take, VALUES, strict=True)), 7.0), False)
    outcome = lp.run(prob, solver)
    assert outcome.status is SolveStatus.OPTIMAL
    assert outcome.objective == pytest.approx(40.0 + 7.0)
    assert outcome.bound == pytest.approx(40.0 + 7.0)
    assert [round(lp.value_of(x)) for x in take] == [1, 0, 1, 0]


@pytest.mark.parametrize("solver", SOLVERS)
def test_contradictory_model_is_infeasible(solver: str) -> None:
    prob = lp.new_problem("contradiction", maximize=True)
    x, y = lp.binary(prob, "x"), lp.binary(prob, "y")
    lp.add_ge(prob, [(x, 1.0), (y, 1.0)], 3, "too_much")
    lp.set_objective(prob, lp.linear([(x, 1.0), (y, 1.0)]), True)
    outcome = lp.run(prob, solver)
    assert outcome.status is SolveStatus.INFEASIBLE
    assert outcome.objective is None
    assert outcome.gap is None


def test_a_model_without_variables() -> None:
    # orgplan adds `0 >= 1` when a fixed role cannot be filled
    prob = lp.new_problem("empty", maximize=True)
    lp.add_ge(prob, [], 1, "impossible")
    lp.set_objective(prob, lp.linear([], 4.0), True)
    assert lp.run(prob).status is SolveStatus.INFEASIBLE

    prob = lp.new_problem("empty", maximize=True)
    lp.add_le(prob, [], 1, "fine")
    lp.set_objective(prob, lp.linear([], 4.0), True)
    outcome = lp.run(prob)
    assert (outcome.status, outcome.objective, outcome.bound) == (SolveStatus.OPTIMAL, 4.0, 4.0)


def test_time_limit_gives_a_feasible_plan_with_a_gap() -> None:
    # A constant larger than all values together: a bound that left it out (or counted it
    # twice) would fall below the plan, or above the trivial bound.
    constant = -100_000.0
    prob, trivial = hard_knapsack(constant)
    events: list[tuple[float, float | None, float | None]] = []
    outcome = lp.run(
        prob,
        "highs",
        time_limit=0.3,
        warm={},  # taking nothing is a plan: the solver has one however early it stops
        progress=lambda *event: events.append(event),
    )
    assert outcome.status is SolveStatus.FEASIBLE
    assert outcome.objective is not None and outcome.bound is not None
    assert constant <= outcome.objective < outcome.bound <= trivial
    assert outcome.gap == pytest.approx(lp.relative_gap(outcome.objective, outcome.bound))
    assert outcome.gap is not None and outcome.gap > 0
    assert outcome.seconds < 2.5
    # progress reports come in the problem's terms: the constant counted, best plan last
    assert events, "HiGHS reported no plan"
    assert all(obj is not None and obj >= constant for _t, obj, _b in events)
    assert max(obj for _t, obj, _b in events if obj is not None) <= outcome.objective + 1e-6


def test_warm_start_is_kept_when_there_is_no_time_to_improve_it() -> None:
    first, _trivial = hard_knapsack(0.0)
    found = lp.run(first, "highs", time_limit=0.3, warm={})
    assert found.objective is not None
    again, _trivial = hard_knapsack(0.0)
    # far too little time to find that plan again from scratch: only the start gives it
    outcome = lp.run(again, "highs", time_limit=0.0, warm=lp.snapshot(first))
    assert outcome.status is SolveStatus.FEASIBLE
    assert outcome.objective is not None and outcome.objective >= found.objective - 1e-6


@pytest.mark.slow
@pytest.mark.skipif(not _cbc_available(), reason="no CBC binary here")
def test_cbc_time_limit_reads_its_bound_in_the_problems_terms() -> None:
    constant = -100_000.0
    prob, trivial = hard_knapsack(constant)
    outcome = lp.run(prob, "cbc", time_limit=1.0, warm={})
    assert outcome.status is SolveStatus.FEASIBLE
    assert outcome.objective is not None and outcome.bound is not None
    assert constant <= outcome.objective < outcome.bound <= trivial
    assert outcome.gap is not None and outcome.gap > 0


def test_cbc_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    cls = pulp.COIN_CMD if lp.PULP4 else lp._pulp3.PULP_CBC_CMD
    monkeypatch.setattr(cls, "available", lambda self: False)
    prob, _take = knapsack()
    with pytest.raises(SolverUnavailable, match="CBC is not available.*--solver highs"):
        lp.run(prob, "cbc")


def test_unknown_solver_is_refused() -> None:
    prob, _take = knapsack()
    with pytest.raises(SolverUnavailable, match="unknown solver"):
        lp.run(prob, "gurobi")


def test_linear_sums_a_repeated_variable() -> None:
    prob = lp.new_problem("sums", maximize=True)
    x, y = lp.binary(prob, "x"), lp.binary(prob, "y")
    expr = lp.linear([(x, 1.0), (y, 2.0), (x, 3.0)], constant=1.5)
    assert {var.name: coef for var, coef in expr.items()} == {"x": 4.0, "y": 2.0}
    assert expr.constant == 1.5


def test_continuous_variables_and_equalities() -> None:
    prob = lp.new_problem("mix", maximize=False)
    x = lp.continuous(prob, "x", 0.0, 10.0)
    y = lp.binary(prob, "y")
    lp.add_eq(prob, [(x, 1.0), (y, 2.0)], 3.5, "balance")
    lp.set_objective(prob, lp.linear([(x, 1.0), (y, 1.0)]), False)
    outcome = lp.run(prob)
    assert outcome.status is SolveStatus.OPTIMAL
    assert outcome.objective == pytest.approx(2.5)  # y = 1, x = 1.5
    assert lp.snapshot(prob) == pytest.approx({"x": 1.5, "y": 1.0})


def test_a_start_highs_misjudges_does_not_cost_the_optimum() -> None:
    # HiGHS 1.16 values this start at 100 in its presolved space (it leaves out the cost of
    # the seat a fixed role forces), keeps it and calls it optimal at its true cost, 150.
    prob = lp.new_problem("seats", maximize=False)
    seats = {(p, r): lp.binary(prob, f"seat_{p}_{r}") for p, r in [(0, 0), (0, 1), (1, 0)]}
    seats.update({(1, 1): lp.binary(prob, "seat_1_1"), (2, 0): lp.binary(prob, "seat_2_0")})
    own = {(p, j): lp.binary(prob, f"own_{p}_{j}") for p in range(3) for j in range(3)}
    for p in (0, 1):
        lp.add_le(prob, [(seats[p, 0], 1.0), (seats[p, 1], 1.0)], 1, f"one_seat_{p}")
    lp.add_eq(prob, [(seats[1, 0], 1.0)], 1, "fixed_role_1")
    for (p, j), var in own.items():
        held = [(seat, -1.0) for (q, _r), seat in seats.items() if q == p]
        lp.add_le(prob, [(var, 1.0), *held], 0, f"owner_seated_{p}_{j}")
    for p in (0, 1):
        work = [(own[p, j], 10.0) for j in range(3)]
        lp.add_le(prob, [*work, (seats[p, 0], -15.0), (seats[p, 1], -10.0)], 0, f"capacity_{p}")
    for j in range(3):
        lp.add_eq(prob, [(own[p, j], 1.0) for p in range(3)], 1, f"owner_of_{j}")
    lp.set_objective(prob, lp.linear([(seat, 50.0) for seat in seats.values()]), False)
    start = {"seat_0_0": 1.0, "seat_1_0": 1.0, "seat_2_0": 1.0}
    start.update({f"own_2_{j}": 1.0 for j in range(3)})

    outcome = lp.run(prob, "highs", warm=start)

    assert outcome.status is SolveStatus.OPTIMAL
    assert outcome.objective == pytest.approx(100.0)
    assert lp.value_of(lp.linear([(seat, 50.0) for seat in seats.values()])) == 100.0
