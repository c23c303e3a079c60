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

The backends themselves (HiGHS, CBC) are modules of `orgplan.solvers.backends`, listed by
`orgplan.solvers.registry`. Everything else in orgplan sees only `SolveOutcome`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

import pulp

from orgplan.results.status import SolveStatus
from orgplan.solvers import registry
from orgplan.solvers.outcome import SIMPLEX, Progress, Resolve, SolveOutcome, relative_gap

PULP4 = int(pulp.__version__.split(".")[0]) >= 4
_pulp3: Any = pulp  # PuLP 3.3-only calls go through this: PuLP 4's type hints lack them

Pairs = Sequence[tuple[Any, float]]

_SENSES = {"<=": pulp.LpConstraintLE, ">=": pulp.LpConstraintGE, "==": pulp.LpConstraintEQ}

# PuLP 3.3 only: the variables of each problem in creation order (PuLP 4 keeps it itself),
# so that HiGHS gets its columns in the same order under both lines.
CREATED = "_orgplan_created"


def new_problem(name: str, maximize: bool) -> Any:
    """An empty `LpProblem`."""
    prob = pulp.LpProblem(name, pulp.LpMaximize if maximize else pulp.LpMinimize)
    if not PULP4:
        setattr(prob, CREATED, [])
    return prob


def prefer_simplex(prob: Any) -> None:
    """Ask HiGHS to solve the MIP's relaxations by simplex rather than interior point."""
    setattr(prob, SIMPLEX, True)


def _new_variable(prob: Any, name: str, low: float | None, high: float | None, cat: str) -> Any:
    var = prob.add_variable(name, low, high, cat)
    if not PULP4:
        getattr(prob, CREATED).append(var)
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


def has_row(prob: Any, name: str) -> bool:
    """Whether `prob` has a row called `name`."""
    return prob.get_constraint_by_name(name) is not None


def set_rhs(prob: Any, name: str, rhs: float) -> None:
    """Give the row `name` the right-hand side `rhs`, the rest of the model kept as it is."""
    prob.get_constraint_by_name(name).changeRHS(rhs)


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


@contextlib.contextmanager
def fixed(assignments: Sequence[tuple[Any, float]]) -> Iterator[None]:
    """Within the block each variable is fixed at its value (both bounds); the bounds it
    had are restored afterwards, whatever happens in the block."""
    saved = [(var, var.lowBound, var.upBound) for var, _value in assignments]
    for var, value in assignments:
        var.lowBound = value
        var.upBound = value
    try:
        yield
    finally:
        for var, low, high in saved:
            var.lowBound = low
            var.upBound = high


def value_of(expr: Any) -> float:
    """The value of an expression or variable in the last solution (0 when unset)."""
    found = pulp.value(expr)
    return float(found) if found is not None else 0.0


# ---- solving, through the backends ---------------------------------------------------------


def run(
    prob: Any,
    solver: str = "highs",
    time_limit: float | None = None,
    warm: dict[str, float] | None = None,
    progress: Progress | None = None,
) -> SolveOutcome:
    """Solve `prob` with the backend `solver` (see `orgplan.solvers.registry`) and
    normalise what came back. `SolverUnavailable` for an unknown or missing solver."""
    return registry.backend(solver).run(prob, time_limit, warm, progress)


@contextlib.contextmanager
def resolving(prob: Any, solver: str = "highs", relaxation: bool = False) -> Iterator[Resolve]:
    """Within the block, a function that solves `prob` again with some variables fixed
    (`Resolve`), as it stands when the block starts (objective, rows, bounds); with
    `relaxation`, its linear relaxation. HiGHS loads it once and changes only bounds between
    solves; other backends solve it through `run` with the variables fixed (`fixed`) each
    time. `prob` itself is left as it was."""
    backend = registry.backend(solver)
    if backend.resolver is not None:
        yield backend.resolver(prob, relaxation)
        return

    def resolve(
        fixings: Sequence[tuple[Any, float]],
        time_limit: float | None,
        warm: dict[str, float] | None,
    ) -> tuple[SolveOutcome, dict[str, float] | None]:
        with fixed(fixings), relaxed(prob) if relaxation else contextlib.nullcontext():
            outcome = run(prob, solver, time_limit, warm)
            values = snapshot(prob) if outcome.objective is not None else None
        return outcome, values

    yield resolve


def reloads(solver: str) -> bool:
    """Whether backend `solver` loads a problem once for many solves (`resolving`)."""
    return registry.backend(solver).resolver is not None


def constant(prob: Any) -> float:
    """The constant term of the objective."""
    objective = prob.objective
    return float(getattr(objective, "constant", 0.0) or 0.0) if objective is not None else 0.0


def assign(prob: Any, values: dict[str, float]) -> None:
    """Give every variable its value in `values` (0 when missing)."""
    if PULP4:
        prob.assignVarsVals({var.name: values.get(var.name, 0.0) for var in prob.variables()})
    else:
        for var in prob.variables():
            var.varValue = values.get(var.name, 0.0)


def read_empty(prob: Any, seconds: float) -> SolveOutcome:
    """A model without variables is feasible when all its (constant) rows hold."""
    if all(row.valid(1e-9) for row in prob.constraints()):
        objective = constant(prob)
        return SolveOutcome(SolveStatus.OPTIMAL, objective, objective, 0.0, seconds)
    return SolveOutcome(SolveStatus.INFEASIBLE, None, None, None, seconds)


def rounded(prob: Any, outcome: SolveOutcome) -> SolveOutcome:
    """Snap integer variables within 1e-5 of an integer onto it (CBC hands back 0.9999998),
    and take the objective from the snapped plan."""
    if outcome.objective is None:
        return outcome
    prob.roundSolution()
    objective = value_of(prob.objective)
    bound = objective if outcome.status is SolveStatus.OPTIMAL else outcome.bound
    return replace(outcome, objective=objective, bound=bound, gap=relative_gap(objective, bound))


def snapshot(prob: Any) -> dict[str, float]:
    """The current value of every variable, by name (to restore or warm-start later)."""
    return {var.name: float(var.varValue or 0.0) for var in prob.variables()}
