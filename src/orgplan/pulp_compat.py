"""One small adapter over PuLP 3.3 and PuLP 4 and their HiGHS and CBC solvers.

The two PuLP lines differ where we touch them: building expressions in bulk, creating
constraints, and above all reading a result (3.3: `prob.status` says Optimal even after a
time limit and `sol_status` tells the truth; 4: `solve()` returns an `LpSolveStats`).
Everything else in orgplan sees only `SolveOutcome`.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulp

from orgplan.errors import SolverUnavailable
from orgplan.plan import SolveStatus

PULP4 = int(pulp.__version__.split(".")[0]) >= 4

Pairs = Sequence[tuple[Any, float]]
Progress = Callable[[float, float | None, float | None], None]
"""Called with (elapsed seconds, best objective so far, best bound) during a solve."""


def new_problem(name: str, maximize: bool) -> Any:
    """An empty `LpProblem`."""
    return pulp.LpProblem(name, pulp.LpMaximize if maximize else pulp.LpMinimize)


def binary(prob: Any, name: str) -> Any:
    """A 0/1 variable owned by `prob` (PuLP 4 creates variables through the problem)."""
    return prob.add_variable(name, 0, 1, pulp.LpBinary)


def continuous(prob: Any, name: str, low: float = 0.0, high: float | None = None) -> Any:
    """A continuous variable owned by `prob`."""
    return prob.add_variable(name, low, high, pulp.LpContinuous)


def linear(pairs: Pairs, constant: float = 0.0) -> Any:
    """An expression from (variable, coefficient) pairs, built in bulk, never with `sum()`."""
    if PULP4:
        expr = pulp.LpAffineExpression.from_list(list(pairs), constant=constant)
    else:
        expr = pulp.LpAffineExpression(list(pairs), constant=constant)
    return expr


def add_le(prob: Any, pairs: Pairs, rhs: float, name: str) -> None:
    """Add `sum(pairs) <= rhs` named `name`."""
    prob.addConstraint(pulp.LpConstraint(linear(pairs), pulp.LpConstraintLE, name, rhs))


def add_ge(prob: Any, pairs: Pairs, rhs: float, name: str) -> None:
    """Add `sum(pairs) >= rhs` named `name`."""
    prob.addConstraint(pulp.LpConstraint(linear(pairs), pulp.LpConstraintGE, name, rhs))


def add_eq(prob: Any, pairs: Pairs, rhs: float, name: str) -> None:
    """Add `sum(pairs) == rhs` named `name`."""
    prob.addConstraint(pulp.LpConstraint(linear(pairs), pulp.LpConstraintEQ, name, rhs))


def set_objective(prob: Any, expr: Any, maximize: bool) -> None:
    """Replace the objective and its sense."""
    prob.sense = pulp.LpMaximize if maximize else pulp.LpMinimize
    prob.setObjective(expr)


def value_of(expr: Any) -> float:
    """The value of an expression or variable in the last solution (0 when unset)."""
    found = pulp.value(expr)
    return float(found) if found is not None else 0.0


@dataclass(frozen=True)
class SolveOutcome:
    """What one solver run proved, in one shape whatever the PuLP version or solver."""

    status: SolveStatus | None  # None: stopped with no plan and no proof either way
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|bound - objective| / max(1, |objective|): the share the plan may still improve by."""
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(1.0, abs(objective))


def _constant(prob: Any) -> float:
    """The constant term of the objective, which solvers never see."""
    return float(getattr(prob.objective, "constant", 0.0) or 0.0)


# ---- HiGHS ---------------------------------------------------------------------------


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence C-level stdout (HiGHS prints a banner when its first instance is made)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)


_banner_done = False


def _silence_highs_banner() -> None:
    global _banner_done
    if not _banner_done:
        import highspy

        with _quiet_stdout():
            highspy.Highs()
        _banner_done = True


def _highs_solver(time_limit: float | None, progress: Progress | None, warm: Any) -> Any:
    """PuLP's in-process HiGHS, with a warm start and progress reports where PuLP allows."""
    _silence_highs_banner()
    options: dict[str, Any] = {
        "msg": False,
        "gapRel": 1e-7,
        "gapAbs": 1e-7,
        "threads": 1,  # deterministic plans, and a fair share of a 2-core machine
    }
    if time_limit is not None:
        options["timeLimit"] = max(0.05, time_limit)
    if PULP4:
        return pulp.HiGHS(**options)

    base = pulp.HiGHS

    class _HiGHS(base):  # type: ignore[misc, valid-type]
        """HiGHS that accepts a starting plan and reports improving plans."""

        def callSolver(self, lp: Any) -> None:
            highs = lp.solverModel
            if warm is not None:
                _set_start(highs, lp, warm)
            if progress is not None:
                _watch(highs, lp, progress)
            highs.run()

    return _HiGHS(**options)


def _set_start(highs: Any, lp: Any, warm: dict[str, float]) -> None:
    """Hand HiGHS a known plan so it starts from there (variables it lacks count as 0)."""
    import highspy

    values = [0.0] * highs.getNumCol()
    for var in lp.variables():
        values[var.index] = warm.get(var.name, 0.0)
    solution = highspy.HighsSolution()
    solution.col_value = values
    solution.value_valid = True
    highs.setSolution(solution)


def _watch(highs: Any, lp: Any, progress: Progress) -> None:
    """Report each improving plan HiGHS finds, in the problem's own sense."""
    sign = -1.0 if lp.sense == pulp.LpMaximize else 1.0
    started = time.perf_counter()

    def on_event(event: Any) -> None:
        data = event.data_out
        obj = getattr(data, "objective_function_value", None)
        bound = getattr(data, "mip_dual_bound", None)
        progress(
            time.perf_counter() - started,
            None if obj is None else sign * obj,
            None if bound is None or abs(bound) > 1e30 else sign * bound,
        )

    with contextlib.suppress(AttributeError):  # older highspy: no progress, still a plan
        highs.cbMipImprovingSolution.subscribe(on_event)


def _read_highs(prob: Any, result: Any, seconds: float) -> SolveOutcome:
    """Normalise a HiGHS result from either PuLP line."""
    maximize = prob.sense == pulp.LpMaximize
    if PULP4:
        stats = result
        has = bool(stats.has_solution)
        objective = float(stats.objective) if has and stats.objective is not None else None
        bound = None if stats.best_bound is None else float(stats.best_bound)
        if stats.status == pulp.LpSolveStatus.Optimal:
            status: SolveStatus | None = SolveStatus.OPTIMAL
        elif stats.status == pulp.LpSolveStatus.Infeasible:
            status = SolveStatus.INFEASIBLE
        else:
            status = SolveStatus.FEASIBLE if has else None
    else:
        code = prob.sol_status
        info = prob.solverModel.getInfo()
        objective = value_of(prob.objective) if code in (1, 2) else None
        raw = info.mip_dual_bound
        bound = None if raw is None or abs(raw) > 1e30 else (-raw if maximize else raw)
        if bound is not None:
            bound += _constant(prob)  # PuLP hands HiGHS the objective without its constant
        if not prob.variables():
            bound = objective
        status = {
            1: SolveStatus.OPTIMAL,
            2: SolveStatus.FEASIBLE,
            -1: SolveStatus.INFEASIBLE,
        }.get(code)
        if code == 1 and prob.solverModel.getModelStatus().name != "kOptimal":
            status = SolveStatus.FEASIBLE  # PuLP 3.3 calls a time limit "optimal"
    if status is SolveStatus.OPTIMAL and objective is not None:
        bound = objective if bound is None else bound
    return SolveOutcome(status, objective, bound, relative_gap(objective, bound), seconds)


# ---- CBC -----------------------------------------------------------------------------


def _cbc_solver(time_limit: float | None, log: Path, warm: bool) -> Any:
    options: dict[str, Any] = {"msg": False, "gapRel": 1e-7, "logPath": str(log), "threads": 1}
    if time_limit is not None:
        options["timeLimit"] = max(1, round(time_limit))
    if warm:
        options["warmStart"] = True
    if PULP4:
        solver = pulp.COIN_CMD(**options)
    else:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(**options)
    if not solver.available():
        raise SolverUnavailable(
            "CBC is not available with this PuLP: PuLP 4 ships no CBC; install it with "
            "`pip install 'pulp[cbc]'`, or use the default solver (--solver highs)"
        )
    return solver


_CBC_BOUND = re.compile(r"^(?:Lower|Upper) bound:\s+(-?[\d.eE+-]+)", re.M)


def _read_cbc(prob: Any, result: Any, log: Path, seconds: float) -> SolveOutcome:
    """Normalise a CBC result; the best bound comes from CBC's own log."""
    text = log.read_text(errors="replace") if log.exists() else ""
    if PULP4:
        has = bool(result.has_solution)
        objective = value_of(prob.objective) if has else None
        if result.status == pulp.LpSolveStatus.Optimal:
            status: SolveStatus | None = SolveStatus.OPTIMAL
        elif result.status == pulp.LpSolveStatus.Infeasible:
            status = SolveStatus.INFEASIBLE
        else:
            status = SolveStatus.FEASIBLE if has else None
    else:
        code = prob.sol_status
        objective = value_of(prob.objective) if code in (1, 2) else None
        status = {1: SolveStatus.OPTIMAL, 2: SolveStatus.FEASIBLE, -1: SolveStatus.INFEASIBLE}.get(
            code
        )
        if "Stopped on time" in text and status is SolveStatus.OPTIMAL:
            status = SolveStatus.FEASIBLE
    bound: float | None = None
    match = _CBC_BOUND.search(text)
    if match:
        bound = float(match.group(1))
        # CBC minimises: for a maximisation PuLP hands it the negated objective
        if prob.sense == pulp.LpMaximize:
            bound = -bound
        bound += _constant(prob)
    if status is SolveStatus.OPTIMAL:
        bound = objective
    return SolveOutcome(status, objective, bound, relative_gap(objective, bound), seconds)


# ---- one entry point -----------------------------------------------------------------

SOLVERS = ("highs", "cbc")


def run(
    prob: Any,
    solver: str = "highs",
    time_limit: float | None = None,
    warm: dict[str, float] | None = None,
    progress: Progress | None = None,
) -> SolveOutcome:
    """Solve `prob` with `solver` ('highs' or 'cbc') and normalise what came back."""
    started = time.perf_counter()
    if solver == "highs":
        result = prob.solve(_highs_solver(time_limit, progress, warm))
        return _read_highs(prob, result, time.perf_counter() - started)
    if solver == "cbc":
        with tempfile.TemporaryDirectory(prefix="orgplan-cbc-") as tmp:
            log = Path(tmp) / "cbc.log"
            if warm is not None:
                for var in prob.variables():
                    var.setInitialValue(warm.get(var.name, 0.0))
            result = prob.solve(_cbc_solver(time_limit, log, warm is not None))
            return _read_cbc(prob, result, log, time.perf_counter() - started)
    raise SolverUnavailable(f"unknown solver '{solver}': expected one of {', '.join(SOLVERS)}")


def solver_label(solver: str) -> str:
    """The solver's name as the plan JSON shows it."""
    return {"highs": "HiGHS", "cbc": "CBC"}.get(solver, solver)


def snapshot(prob: Any) -> dict[str, float]:
    """The current value of every variable, by name (to restore or warm-start later)."""
    return {var.name: float(var.varValue or 0.0) for var in prob.variables()}
