"""One small adapter over PuLP 3.3 and PuLP 4 and their HiGHS and CBC solvers.

The two PuLP lines differ where we touch them:

* building expressions and constraints in bulk (3.3: `LpAffineExpression(pairs)` and
  `LpConstraint(expr, sense, name, rhs)`; 4: `LpAffineExpression.from_list` and
  `addConstraint(expr_with_sense, name)`);
* how the model reaches HiGHS. PuLP 4 hands HiGHS the problem in its own sense, with the
  objective constant as offset, columns in creation order. PuLP 3.3 negates a maximisation,
  drops the constant and orders columns by name, so HiGHS would see a different model and
  could break ties differently. Under 3.3 we therefore load HiGHS ourselves, exactly as
  PuLP 4 does: both lines then give HiGHS the same model and get the same plans back, and
  bounds and progress reports come back in the problem's sense, constant included;
* reading a result (3.3: `prob.status` says Optimal even after a time limit; 4: `solve()`
  returns an `LpSolveStats`). For HiGHS we read HiGHS's own model status, which both
  lines expose through `prob.solverModel`; for CBC each line's own result.

Everything else in orgplan sees only `SolveOutcome`.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pulp

from orgplan.errors import SolverUnavailable
from orgplan.results.plan import SolveStatus

PULP4 = int(pulp.__version__.split(".")[0]) >= 4
_pulp3: Any = pulp  # PuLP 3.3-only calls go through this: PuLP 4's type hints lack them

Pairs = Sequence[tuple[Any, float]]
Progress = Callable[[float, float | None, float | None], None]
"""Called with (elapsed seconds, best objective so far, best bound) during a solve."""

_SENSES = {"<=": pulp.LpConstraintLE, ">=": pulp.LpConstraintGE, "==": pulp.LpConstraintEQ}

# PuLP 3.3 only: the variables of each problem in creation order (PuLP 4 keeps it itself),
# so that HiGHS gets its columns in the same order under both lines.
_CREATED = "_orgplan_created"


def new_problem(name: str, maximize: bool) -> Any:
    """An empty `LpProblem`."""
    prob = pulp.LpProblem(name, pulp.LpMaximize if maximize else pulp.LpMinimize)
    if not PULP4:
        setattr(prob, _CREATED, [])
    return prob


def _new_variable(prob: Any, name: str, low: float | None, high: float | None, cat: str) -> Any:
    var = prob.add_variable(name, low, high, cat)
    if not PULP4:
        getattr(prob, _CREATED).append(var)
    return var


def binary(prob: Any, name: str) -> Any:
    """A 0/1 variable owned by `prob` (PuLP 4 creates variables through the problem)."""
    return _new_variable(prob, name, 0, 1, pulp.LpBinary)


def continuous(prob: Any, name: str, low: float = 0.0, high: float | None = None) -> Any:
    """A continuous variable owned by `prob`."""
    return _new_variable(prob, name, low, high, pulp.LpContinuous)


def linear(pairs: Pairs, constant: float = 0.0) -> Any:
    """An expression from (variable, coefficient) pairs, built in bulk, never with `sum()`.

    A variable that appears more than once gets the sum of its coefficients, as in PuLP 4.
    """
    if PULP4:
        # from_list beats lpSum_vars_coefs here (which checks each pair in Python first)
        return pulp.LpAffineExpression.from_list(list(pairs), constant=constant)
    expr = _pulp3.LpAffineExpression(pairs, constant=constant)
    if len(expr) < len(pairs):  # a dict keeps the last coefficient of a repeated variable
        summed: dict[Any, float] = {}
        for var, coef in pairs:
            summed[var] = summed.get(var, 0.0) + coef
        expr = _pulp3.LpAffineExpression(summed, constant=constant)
    return expr


def _add(prob: Any, pairs: Pairs, sense: str, rhs: float, name: str) -> None:
    if PULP4:
        # a pending constraint is an expression with a sense: `lhs - rhs (sense) 0`
        expr = pulp.LpAffineExpression.from_list(list(pairs), constant=-float(rhs))
        expr.sense = _SENSES[sense]
        prob.addConstraint(expr, name)
    else:
        prob.addConstraint(_pulp3.LpConstraint(linear(pairs), _SENSES[sense], name, rhs))


def add_le(prob: Any, pairs: Pairs, rhs: float, name: str) -> None:
    """Add `sum(pairs) <= rhs` named `name`."""
    _add(prob, pairs, "<=", rhs, name)


def add_ge(prob: Any, pairs: Pairs, rhs: float, name: str) -> None:
    """Add `sum(pairs) >= rhs` named `name`."""
    _add(prob, pairs, ">=", rhs, name)


def add_eq(prob: Any, pairs: Pairs, rhs: float, name: str) -> None:
    """Add `sum(pairs) == rhs` named `name`."""
    _add(prob, pairs, "==", rhs, name)


def set_objective(prob: Any, expr: Any, maximize: bool) -> None:
    """Replace the objective and its sense."""
    prob.sense = pulp.LpMaximize if maximize else pulp.LpMinimize
    prob.setObjective(expr)


@contextlib.contextmanager
def relaxed(prob: Any) -> Iterator[None]:
    """Within the block every variable of `prob` is continuous: its linear relaxation."""
    columns = prob.variables()
    kinds = [var.cat for var in columns]
    for var in columns:
        var.cat = pulp.LpContinuous
    try:
        yield
    finally:
        for var, kind in zip(columns, kinds, strict=True):
            var.cat = kind


@contextlib.contextmanager
def held_at_zero(variables: Sequence[Any]) -> Iterator[None]:
    """Within the block the given variables are fixed at 0."""
    highs = [var.upBound for var in variables]
    for var in variables:
        var.upBound = 0
    try:
        yield
    finally:
        for var, high in zip(variables, highs, strict=True):
            var.upBound = high


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
    interrupted: bool = False  # the user pressed Ctrl-C: the best plan so far came back


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|bound - objective| / max(1, |objective|): the share the plan may still improve by."""
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(1.0, abs(objective))


def _constant(prob: Any) -> float:
    """The constant term of the objective."""
    objective = prob.objective
    return float(getattr(objective, "constant", 0.0) or 0.0) if objective is not None else 0.0


def _finite(value: float | None) -> float | None:
    """`value`, or None for a missing or infinite one (HiGHS says +-inf, CBC 1e50)."""
    if value is None or not math.isfinite(value) or abs(value) >= 1e30:
        return None
    return float(value)


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


def _columns_33(lp: Any) -> list[Any]:
    """PuLP 3.3: the variables HiGHS gets, in creation order, as PuLP 4 exports them."""
    used = lp.variables()  # those in the objective or a constraint, sorted by name
    in_use = {id(v) for v in used}
    created = getattr(lp, _CREATED, [])
    ordered = [v for v in created if id(v) in in_use]
    if len(ordered) < len(used):  # made outside this adapter (e.g. PuLP's own __dummy)
        known = {id(v) for v in ordered}
        ordered += [v for v in used if id(v) not in known]
    return ordered


def _load_highs_33(solver: Any, lp: Any) -> list[Any]:
    """PuLP 3.3: load `lp` into HiGHS the way PuLP 4 does (see the module docstring).

    One addCols and one addRows call, the problem's own sense, the objective constant as
    offset, columns in creation order. Sets `var.index` and `constraint.index`, which
    PuLP 3.3 reads the solution back by. Returns the variables in column order.
    """
    import highspy
    import numpy as np

    highs = lp.solverModel
    inf = highspy.kHighsInf
    columns = _columns_33(lp)
    for j, var in enumerate(columns):
        var.index = j
    count = len(columns)
    cost = np.zeros(count)
    for var, coef in lp.objective.items():
        cost[var.index] = coef
    lower = np.array([-inf if v.lowBound is None else v.lowBound for v in columns], dtype=float)
    upper = np.array([inf if v.upBound is None else v.upBound for v in columns], dtype=float)
    empty = np.zeros(0, dtype=np.int32)
    highs.addCols(count, cost, lower, upper, 0, empty, empty, np.zeros(0))
    if solver.mip:
        integer = np.array(
            [j for j, v in enumerate(columns) if v.cat == pulp.LpInteger], dtype=np.int32
        )
        if len(integer):
            kinds = np.full(len(integer), highspy.HighsVarType.kInteger)
            highs.changeColsIntegrality(len(integer), integer, kinds)
    if lp.sense == pulp.LpMaximize:
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    highs.changeObjectiveOffset(float(lp.objective.constant))

    starts: list[int] = []
    indices: list[int] = []
    values: list[float] = []
    row_lower: list[float] = []
    row_upper: list[float] = []
    for i, constraint in enumerate(lp.constraints()):  # a list, in insertion order
        constraint.index = i
        starts.append(len(indices))
        for var, coef in constraint.items():
            if coef != 0:
                indices.append(var.index)
                values.append(coef)
        low, high = constraint.getLb(), constraint.getUb()
        row_lower.append(-inf if low is None else low)
        row_upper.append(inf if high is None else high)
    highs.addRows(
        len(starts),
        np.array(row_lower, dtype=float),
        np.array(row_upper, dtype=float),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values, dtype=float),
    )
    return columns


def _highs_solver(time_limit: float | None, progress: Progress | None, warm: Any) -> Any:
    """PuLP's in-process HiGHS, with a warm start and progress reports."""
    _silence_highs_banner()
    options: dict[str, Any] = {
        "msg": False,
        "gapRel": 1e-7,
        "gapAbs": 1e-7,
        "threads": 1,  # deterministic plans, and a fair share of a 2-core machine
    }
    if time_limit is not None:
        options["timeLimit"] = max(0.05, time_limit)

    class _HiGHS(pulp.HiGHS):
        """HiGHS that gets the same model under both PuLP lines, a starting plan, and
        reports improving plans."""

        columns: list[Any] | None = None  # PuLP 3.3: the variables in column order

        if not PULP4:

            def buildSolverModel(self, lp: Any) -> None:
                self.columns = _load_highs_33(self, lp)

        def callSolver(self, lp: Any) -> None:
            highs = lp.solverModel
            # The root relaxation by interior point: the cost stage's LP at 150 x 500
            # took 25 s by dual simplex, 5 s this way (a highspy without the option
            # ignores it).
            highs.setOptionValue("mip_lp_solver", "ipm")
            if not lp.isMIP():
                # a relaxation (neighbourhood.py): at 150 x 500, 4 s this way, 26 s by simplex
                highs.setOptionValue("solver", "ipm")
            if warm is not None:
                columns = lp.exported_variables() if self.columns is None else self.columns
                _set_start(highs, columns, warm)
            if progress is not None:
                _watch(highs, progress)
            if threading.current_thread() is threading.main_thread():
                # Ctrl-C stops the search and hands back the best plan found so far
                highs.HandleKeyboardInterrupt = True
                highs.solve()
            else:
                highs.run()

    return _HiGHS(**options)


def _set_start(highs: Any, columns: list[Any], warm: dict[str, float]) -> None:
    """Hand HiGHS a known plan so it starts from there (variables it lacks count as 0)."""
    import highspy

    solution = highspy.HighsSolution()
    solution.col_value = [warm.get(var.name, 0.0) for var in columns]
    solution.value_valid = True
    highs.setSolution(solution)


# How often a long search reports where it stands, besides each improving plan.
PROGRESS_EVERY = 0.5


def _watch(highs: Any, progress: Progress) -> None:
    """Report each improving plan HiGHS finds, and every PROGRESS_EVERY s the incumbent and
    bound (HiGHS has the problem's sense and constant)."""
    started = time.perf_counter()
    last = [started]

    def report(event: Any) -> None:
        data = event.data_out
        now = time.perf_counter()
        last[0] = now
        progress(
            now - started,
            _finite(getattr(data, "objective_function_value", None)),
            _finite(getattr(data, "mip_dual_bound", None)),
        )

    def tick(event: Any) -> None:
        if time.perf_counter() - last[0] >= PROGRESS_EVERY:
            report(event)

    with contextlib.suppress(AttributeError):  # older highspy: no progress, still a plan
        highs.cbMipImprovingSolution.subscribe(report)
        highs.cbMipInterrupt.subscribe(tick)


_STOPPED_EARLY = (
    "kTimeLimit",
    "kIterationLimit",
    "kSolutionLimit",
    "kInterrupt",
    "kMemoryLimit",
    "kObjectiveBound",
    "kObjectiveTarget",
)


def _run_highs(
    prob: Any,
    time_limit: float | None,
    warm: dict[str, float] | None,
    progress: Progress | None,
    started: float,
) -> SolveOutcome:
    """Solve with HiGHS; solve again without the start if HiGHS mishandled it.

    HiGHS 1.16 can misjudge a start once presolve has fixed columns that carry cost: it
    values the start without their share of the objective ("MIP start solution is feasible
    in the reduced space: objective value is 100" for a start worth 150), keeps it as the
    best plan, calls it optimal and hands back the start's values with objective 100.
    Telltale: the values it hands back are not worth what it says. Then the solve is redone
    without the start, and the start is kept only if that finds nothing as good. When less
    than a quarter of the time limit is left, a second solve could not even finish HiGHS's
    set-up on a large model (which ignores the limit): the values are kept at their real
    worth, as a plan not proven optimal, with the first solve's bound.
    """
    prob.solve(_highs_solver(time_limit, progress, warm))
    first = _read_highs(prob, time.perf_counter() - started)
    if warm is None or first.objective is None:
        return first
    claimed = _finite(prob.solverModel.getInfo().objective_function_value)
    if claimed is None or abs(claimed - first.objective) <= 1e-6 * max(1.0, abs(claimed)):
        return first
    left = None
    if time_limit is not None:
        left = time_limit - (time.perf_counter() - started)
        if left < 0.25 * time_limit:
            return replace(
                first,
                status=SolveStatus.FEASIBLE,
                gap=relative_gap(first.objective, first.bound),
            )
    worth = _worth(prob, warm)  # what the start is really worth
    prob.solve(_highs_solver(left, progress, None))
    again = _read_highs(prob, time.perf_counter() - started)
    seconds = time.perf_counter() - started
    if again.objective is not None:
        ahead = (
            again.objective - worth if prob.sense == pulp.LpMaximize else worth - again.objective
        )
        if again.status is SolveStatus.OPTIMAL or ahead >= -1e-6 * max(1.0, abs(worth)):
            return replace(again, seconds=seconds)
    _assign(prob, warm)
    bound = again.bound
    return SolveOutcome(SolveStatus.FEASIBLE, worth, bound, relative_gap(worth, bound), seconds)


def _worth(prob: Any, values: dict[str, float]) -> float:
    """The objective's value at `values` (0 for a variable not there)."""
    return _constant(prob) + sum(
        coef * values.get(var.name, 0.0) for var, coef in prob.objective.items()
    )


def _read_highs(prob: Any, seconds: float) -> SolveOutcome:
    """Normalise a HiGHS result from either PuLP line, from HiGHS's own status."""
    highs = prob.solverModel
    model_status = highs.getModelStatus().name
    info = highs.getInfo()
    has = model_status == "kOptimal" or (
        model_status in _STOPPED_EARLY and _finite(info.objective_function_value) is not None
    )
    status: SolveStatus | None
    if model_status == "kOptimal":
        status = SolveStatus.OPTIMAL
    elif model_status in ("kInfeasible", "kUnboundedOrInfeasible"):
        status = SolveStatus.INFEASIBLE  # every variable is bounded: never unbounded
    elif model_status == "kModelEmpty":  # no column at all: only constants are checked
        return _read_empty(prob, seconds)
    else:
        status = SolveStatus.FEASIBLE if has else None
    objective = value_of(prob.objective) if has else None
    # mip_dual_bound is in the problem's sense with the constant (see _load_highs_33);
    # HiGHS leaves it unset for a model without integer variables
    bound = _finite(info.mip_dual_bound) if has else None
    if status is SolveStatus.OPTIMAL and bound is None:
        bound = objective
    return SolveOutcome(
        status,
        objective,
        bound,
        relative_gap(objective, bound),
        seconds,
        interrupted=model_status == "kInterrupt",
    )


def _read_empty(prob: Any, seconds: float) -> SolveOutcome:
    """A model without variables is feasible when all its (constant) rows hold."""
    if all(row.valid(1e-9) for row in prob.constraints()):
        objective = _constant(prob)
        return SolveOutcome(SolveStatus.OPTIMAL, objective, objective, 0.0, seconds)
    return SolveOutcome(SolveStatus.INFEASIBLE, None, None, None, seconds)


# ---- CBC -----------------------------------------------------------------------------


def _cbc_solver(time_limit: float | None, log: Path, warm: bool) -> Any:
    options: dict[str, Any] = {"msg": False, "gapRel": 1e-7, "logPath": str(log), "threads": 1}
    if time_limit is not None:
        options["timeLimit"] = max(1, round(time_limit))
    if warm:
        options["warmStart"] = True
    if PULP4:
        solver = pulp.COIN_CMD(**options)  # the cbc of `pulp[cbc]` (cbcbox), else PATH
    else:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            solver = _pulp3.PULP_CBC_CMD(**options)
    if not solver.available():
        why = (
            f"PuLP {pulp.__version__} ships no CBC binary: install one with "
            "`pip install 'pulp[cbc]'` (or put `cbc` on PATH)"
            if PULP4
            else f"the CBC bundled with PuLP {pulp.__version__} cannot be run ({solver.path})"
        )
        raise SolverUnavailable(
            f"CBC is not available: {why}, or use the default solver (--solver highs)"
        )
    return solver


def _assign(prob: Any, values: dict[str, float]) -> None:
    """Give every variable its value in `values` (0 when missing)."""
    if PULP4:
        prob.assignVarsVals({var.name: values.get(var.name, 0.0) for var in prob.variables()})
    else:
        for var in prob.variables():
            var.varValue = values.get(var.name, 0.0)


_CBC_BOUND = re.compile(r"^(Lower|Upper) bound:\s+(-?[\d.eE+-]+)", re.M)


def _read_cbc(prob: Any, result: Any, log: Path, seconds: float) -> SolveOutcome:
    """Normalise a CBC result; the best bound comes from CBC's own log under both lines."""
    text = log.read_text(errors="replace") if log.exists() else ""
    status: SolveStatus | None
    if PULP4:
        has = bool(result.has_solution)
        if result.status in (pulp.LpSolveStatus.Optimal, pulp.LpSolveStatus.GapLimit):
            status = SolveStatus.OPTIMAL  # the gap limit is ours, 1e-7: optimal
        elif result.status == pulp.LpSolveStatus.Infeasible:
            status = SolveStatus.INFEASIBLE
        else:
            status = SolveStatus.FEASIBLE if has else None
    else:
        # 3.3: status -1 for "Infeasible" and "Integer infeasible"; sol_status 1 optimal,
        # 2 a plan from a run stopped early (its status then says "Optimal")
        has = prob.sol_status in (1, 2)
        if prob.status == -1:
            status = SolveStatus.INFEASIBLE
        elif prob.sol_status == 1:
            status = SolveStatus.OPTIMAL
        else:
            status = SolveStatus.FEASIBLE if has else None
    objective = value_of(prob.objective) if has and status is not SolveStatus.INFEASIBLE else None
    bound: float | None = None
    match = _CBC_BOUND.search(text)
    if match and objective is not None:
        found = _finite(float(match.group(2)))
        if found is not None:
            # CBC never sees the objective constant. PuLP 3.3 hands it a maximisation as
            # such (CBC logs an "Upper bound"); PuLP 4 negates it into a minimisation (CBC
            # logs a "Lower bound" of the negated objective).
            cbc_maximised = match.group(1) == "Upper"
            flipped = cbc_maximised != (prob.sense == pulp.LpMaximize)
            bound = (-found if flipped else found) + _constant(prob)
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
        return _rounded(prob, _run_highs(prob, time_limit, warm, progress, started))
    if solver == "cbc":
        with tempfile.TemporaryDirectory(prefix="orgplan-cbc-") as tmp:
            log = Path(tmp) / "cbc.log"
            cbc = _cbc_solver(time_limit, log, warm is not None)
            if not prob.variables():
                # CBC (the PuLP 4 build) calls a model with no column infeasible: check
                # the constant rows ourselves, as for HiGHS.
                return _read_empty(prob, time.perf_counter() - started)
            if warm is not None:
                _assign(prob, warm)  # CBC's `-mips` start is written from the values
            result = prob.solve(cbc)
            outcome = _read_cbc(prob, result, log, time.perf_counter() - started)
            return _rounded(prob, outcome)
    raise SolverUnavailable(f"unknown solver '{solver}': expected one of {', '.join(SOLVERS)}")


def _rounded(prob: Any, outcome: SolveOutcome) -> SolveOutcome:
    """Snap integer variables within 1e-5 of an integer onto it (CBC hands back 0.9999998),
    and take the objective from the snapped plan."""
    if outcome.objective is None:
        return outcome
    prob.roundSolution()
    objective = value_of(prob.objective)
    bound = objective if outcome.status is SolveStatus.OPTIMAL else outcome.bound
    return replace(outcome, objective=objective, bound=bound, gap=relative_gap(objective, bound))


def solver_label(solver: str) -> str:
    """The solver's name as the plan JSON shows it."""
    return {"highs": "HiGHS", "cbc": "CBC"}.get(solver, solver)


def snapshot(prob: Any) -> dict[str, float]:
    """The current value of every variable, by name (to restore or warm-start later)."""
    return {var.name: float(var.varValue or 0.0) for var in prob.variables()}
