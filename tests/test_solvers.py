"""The solver registry and the status it reports: backends found by module, named in the
CLI, and every outcome carrying why its search stopped."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from orgplan.errors import SolverUnavailable, UsageError
from orgplan.results.status import SolveStatus, Termination
from orgplan.solvers import backends as backends_package
from orgplan.solvers import lp, registry
from orgplan.solvers.outcome import SolveOutcome

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def knapsack() -> tuple[object, list[object]]:
    """Items 1 and 3 (40 + 50 = 90, weight 7 of 10) is the one best answer."""
    prob = lp.new_problem("knapsack", maximize=True)
    take = [lp.binary(prob, f"take_{i}") for i in range(4)]
    values, weights = (10.0, 40.0, 30.0, 50.0), (5.0, 4.0, 6.0, 3.0)
    lp.set_objective(prob, lp.linear(list(zip(take, values, strict=True))), maximize=True)
    lp.add_le(prob, list(zip(take, weights, strict=True)), 10.0, "capacity")
    return prob, take


def test_the_registry_lists_highs_first_then_cbc() -> None:
    assert registry.names() == ("highs", "cbc")
    assert registry.label("highs") == "HiGHS"
    assert registry.label("cbc") == "CBC"
    assert registry.label("mystery") == "mystery"
    assert registry.help_text() == "highs (default, in-process) or cbc."
    assert registry.DEFAULT == registry.names()[0]


def test_an_unknown_solver_names_the_known_ones() -> None:
    with pytest.raises(SolverUnavailable) as caught:
        registry.backend("gurobi")
    assert str(caught.value) == "unknown solver 'gurobi': expected one of highs, cbc"


def test_highs_is_available_and_cbc_says_why_not_when_its_binary_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pulp

    assert registry.backend("highs").available() is None
    cls = pulp.COIN_CMD if lp.PULP4 else lp._pulp3.PULP_CBC_CMD
    monkeypatch.setattr(cls, "available", lambda self: False)
    why = registry.backend("cbc").available()
    assert why is not None and why.startswith("CBC is not available")


@pytest.fixture
def extra_backend(tmp_path: Path) -> Iterator[str]:
    """A backend module of its own in a folder added to the backends package's path."""
    (tmp_path / "constant_zero.py").write_text(
        textwrap.dedent(
            '''
            """A backend that answers every problem with all variables at 0."""
            from orgplan.results.status import SolveStatus, Termination
            from orgplan.solvers.outcome import SolveOutcome
            from orgplan.solvers.registry import Backend

            CALLS = []

            def run(prob, time_limit, warm, progress):
                CALLS.append(time_limit)
                for var in prob.variables():
                    var.varValue = 0.0
                return SolveOutcome(
                    SolveStatus.FEASIBLE, 0.0, None, None, 0.0, Termination.OTHER_LIMIT
                )

            BACKEND = Backend(
                name="zero", label="Zero", note="for tests", order=9, settings={},
                run=run, available=lambda: None,
            )
            '''
        ),
        "utf-8",
    )
    backends_package.__path__.append(str(tmp_path))
    registry.backends.cache_clear()
    yield "orgplan.solvers.backends.constant_zero"
    backends_package.__path__.remove(str(tmp_path))
    registry.backends.cache_clear()
    sys.modules.pop("orgplan.solvers.backends.constant_zero", None)


def test_a_new_backend_is_one_module(extra_backend: str) -> None:
    assert registry.names() == ("highs", "cbc", "zero")
    assert registry.help_text() == "highs (default, in-process), cbc or zero (for tests)."
    prob, _take = knapsack()
    outcome = lp.run(prob, "zero", time_limit=3.0)
    assert outcome.termination is Termination.OTHER_LIMIT
    assert sys.modules[extra_backend].CALLS == [3.0]  # type: ignore[attr-defined]


def test_the_cli_refuses_a_solver_the_registry_lacks(tmp_path: Path) -> None:
    from orgplan.cli import app
    from orgplan.jobs.checks import check_solve_options

    with pytest.raises(UsageError, match="unknown solver 'scip': expected one of highs, cbc"):
        check_solve_options("scip", None)
    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "startup.yaml"
    result = CliRunner().invoke(app, ["plan", str(scenario), "--solver", "scip"])
    assert result.exit_code == 2
    assert "unknown solver 'scip': expected one of highs, cbc" in result.output


def test_a_finished_search_says_so() -> None:
    prob, _take = knapsack()
    outcome = lp.run(prob, "highs")
    assert (outcome.status, outcome.termination) == (SolveStatus.OPTIMAL, Termination.FINISHED)
    assert not outcome.interrupted
    assert outcome.objective == 90.0


def test_a_search_stopped_without_a_plan_has_status_no_plan() -> None:
    stopped = SolveOutcome(SolveStatus.NO_PLAN, None, None, None, 1.0, Termination.TIME_LIMIT)
    assert not stopped.status.has_plan
    assert SolveStatus.FEASIBLE.has_plan and SolveStatus.OPTIMAL.has_plan
    assert not SolveStatus.INFEASIBLE.has_plan
    assert SolveOutcome(
        SolveStatus.NO_PLAN, None, None, None, 0, Termination.INTERRUPTED
    ).interrupted


def test_a_time_limited_highs_search_reports_the_time_limit() -> None:
    # Many equal items under a tight capacity: HiGHS cannot prove this in 0.05 s of search.
    prob = lp.new_problem("hard", maximize=True)
    n = 60
    take = [lp.binary(prob, f"x{i}") for i in range(n)]
    weights = [97 + (i * 37) % 41 for i in range(n)]
    values = [w + (i * 53) % 13 for i, w in enumerate(weights)]
    lp.set_objective(prob, lp.linear(list(zip(take, values, strict=True))), maximize=True)
    for k in range(8):
        row = [(t, float((w * (k + 3)) % 89 + 10)) for t, w in zip(take, weights, strict=True)]
        lp.add_le(prob, row, 1000.0 + 37 * k, f"cap_{k}")
    outcome = lp.run(prob, "highs", time_limit=0.05)
    if outcome.status is SolveStatus.OPTIMAL:
        pytest.skip("HiGHS proved it within the limit on this machine")
    assert outcome.termination is Termination.TIME_LIMIT
    assert outcome.status in (SolveStatus.FEASIBLE, SolveStatus.NO_PLAN)


# The enterprise team takes about 25 s to prove cheapest: 3 s stops the cost stage (solved
# ahead, beside the other tests: `solved_ahead` in conftest.py).
@pytest.mark.solve_ahead(path=SCENARIOS / "enterprise.yaml", structure=None, time_limit=3)
def test_a_plan_says_why_its_search_stopped(solved_ahead: Any) -> None:
    from orgplan.scenario.loading import load_scenario
    from orgplan.solving.stages import solve

    proven = solve(load_scenario(SCENARIOS / "startup.yaml"))
    assert proven.status is SolveStatus.OPTIMAL
    assert proven.solver.termination is Termination.FINISHED
    assert {s.termination for s in proven.solver.stages} == {Termination.FINISHED}
    cut = solved_ahead
    assert cut.status is SolveStatus.FEASIBLE
    assert cut.solver.termination is Termination.TIME_LIMIT
    assert cut.solver.stages[-1].termination is Termination.TIME_LIMIT
    assert "termination" not in cut.to_json()["solver"]  # the plan contract is unchanged
