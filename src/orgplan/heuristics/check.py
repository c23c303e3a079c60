"""Checking a plan against the PuLP problem itself, row by row."""

from __future__ import annotations

from typing import Any

import pulp

from orgplan.model import TeamModel
from orgplan.model.periods import TimedModel

Values = dict[str, float]

ROW_TOLERANCE = 1e-6
"""Relative tolerance of `violations` (HiGHS's own feasibility tolerance is 1e-7)."""


def rows(prob: Any) -> list[Any]:
    """The problem's constraints in insertion order (PuLP 4 and 3.3.2: `constraints()`;
    an older 3.3: a dict)."""
    found = prob.constraints
    return list(found()) if callable(found) else list(found.values())


def violations(
    model: TeamModel | TimedModel, values: Values, tolerance: float = ROW_TOLERANCE
) -> list[str]:
    """Every constraint, bound or integrality of `model.prob` that `values` breaks.

    Values are by variable name, a missing variable counting as 0 (as in a warm start).
    Each row is evaluated from its own coefficients and bounds; the tolerance is relative
    to the row's bound (at least 1).
    """
    found: list[str] = []
    seen: dict[str, Any] = {}
    for row in rows(model.prob):
        total = 0.0
        for var, coef in row.items():
            total += coef * values.get(var.name, 0.0)
            seen[var.name] = var
        low, high = row.getLb(), row.getUb()
        if low is not None and total < low - tolerance * max(1.0, abs(low)):
            found.append(f"{row.name}: {total:.10g} < {low:.10g}")
        if high is not None and total > high + tolerance * max(1.0, abs(high)):
            found.append(f"{row.name}: {total:.10g} > {high:.10g}")
    for name, var in seen.items():
        value = values.get(name, 0.0)
        if var.lowBound is not None and value < var.lowBound - tolerance:
            found.append(f"{name} = {value:g} is below its bound {var.lowBound:g}")
        if var.upBound is not None and value > var.upBound + tolerance:
            found.append(f"{name} = {value:g} is above its bound {var.upBound:g}")
        if var.cat == pulp.LpInteger and abs(value - round(value)) > tolerance:
            found.append(f"{name} = {value:g} is not whole")
    return found


def value_of(expr: Any, values: Values) -> float:
    """The value of an expression (an objective) at `values`."""
    constant = float(getattr(expr, "constant", 0.0) or 0.0)
    return constant + sum(coef * values.get(var.name, 0.0) for var, coef in expr.items())
