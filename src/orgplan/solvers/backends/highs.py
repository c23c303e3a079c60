"""HiGHS, in this process through highspy (the default backend).

Under PuLP 3.3 the model is loaded into HiGHS the way PuLP 4 does it (see
`orgplan.solvers.lp`), so that both lines give HiGHS the same model. PuLP and highspy are
imported only when a solve runs, so that listing the backends stays light.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from orgplan.results.status import SolveStatus, Termination
from orgplan.solvers.outcome import SIMPLEX, Progress, SolveOutcome, finite, relative_gap
from orgplan.solvers.registry import Backend

# What orgplan asks of HiGHS on every solve.
SETTINGS: dict[str, Any] = {
    "gapRel": 1e-7,
    "gapAbs": 1e-7,
    "threads": 1,  # deterministic plans, and a fair share of a 2-core machine
    # A small cut pool (HiGHS keeps 10,000 cuts by default): side by side at 60 s,
    # enterprise's cost stage was proven in 58-59 s in two runs of four where the default
    # stopped at 4.0% in every run, M got tighter bounds with the same plans, and the
    # 25 x 20 instances solved a quarter faster (benchmarks/README, "HiGHS's cut pool").
    "mip_pool_soft_limit": 100,
}


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
    from orgplan.solvers.lp import CREATED

    used = lp.variables()  # those in the objective or a constraint, sorted by name
    in_use = {id(v) for v in used}
    created = getattr(lp, CREATED, [])
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
    columns = _columns_33(lp)
    for j, var in enumerate(columns):
        var.index = j
    _load(lp.solverModel, lp, columns, solver.mip, mark=True)
    return columns


def _load(highs: Any, lp: Any, columns: list[Any], mip: bool, mark: bool = False) -> None:
    """Load `lp` into `highs` with `columns` in that order (see `_load_highs_33`); `mark`
    sets each constraint's `index` (PuLP 3.3 reads the solution back by it)."""
    import highspy
    import numpy as np
    import pulp

    inf = highspy.kHighsInf
    where = {var.name: j for j, var in enumerate(columns)}
    count = len(columns)
    cost = np.zeros(count)
    for var, coef in lp.objective.items():
        cost[where[var.name]] = coef
    lower = np.array([-inf if v.lowBound is None else v.lowBound for v in columns], dtype=float)
    upper = np.array([inf if v.upBound is None else v.upBound for v in columns], dtype=float)
    empty = np.zeros(0, dtype=np.int32)
    highs.addCols(count, cost, lower, upper, 0, empty, empty, np.zeros(0))
    if mip:
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
        if mark:
            constraint.index = i
        starts.append(len(indices))
        for var, coef in constraint.items():
            if coef != 0:
                indices.append(where[var.name])
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


def _highs_solver(time_limit: float | None, progress: Progress | None, warm: Any) -> Any:
    """PuLP's in-process HiGHS, with a warm start and progress reports."""
    import pulp

    from orgplan.solvers.lp import PULP4

    _silence_highs_banner()
    options: dict[str, Any] = {"msg": False, **SETTINGS}
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
            if not getattr(lp, SIMPLEX, False):
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
            finite(getattr(data, "objective_function_value", None)),
            finite(getattr(data, "mip_dual_bound", None)),
        )

    def tick(event: Any) -> None:
        if time.perf_counter() - last[0] >= PROGRESS_EVERY:
            report(event)

    with contextlib.suppress(AttributeError):  # older highspy: no progress, still a plan
        highs.cbMipImprovingSolution.subscribe(report)
        highs.cbMipInterrupt.subscribe(tick)


# Why HiGHS stopped, by its model status (any other status stopped on another limit).
_TERMINATION = {
    "kOptimal": Termination.FINISHED,
    "kInfeasible": Termination.FINISHED,
    "kUnboundedOrInfeasible": Termination.FINISHED,
    "kTimeLimit": Termination.TIME_LIMIT,
    "kInterrupt": Termination.INTERRUPTED,
}

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
    import pulp

    from orgplan.solvers import lp

    prob.solve(_highs_solver(time_limit, progress, warm))
    first = _read_highs(prob, time.perf_counter() - started)
    if warm is None or first.objective is None:
        return first
    claimed = finite(prob.solverModel.getInfo().objective_function_value)
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
                termination=Termination.TIME_LIMIT,
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
    lp.assign(prob, warm)
    bound = again.bound
    gap = relative_gap(worth, bound)
    return SolveOutcome(SolveStatus.FEASIBLE, worth, bound, gap, seconds, again.termination)


def _worth(prob: Any, values: dict[str, float]) -> float:
    """The objective's value at `values` (0 for a variable not there)."""
    from orgplan.solvers import lp

    return lp.constant(prob) + sum(
        coef * values.get(var.name, 0.0) for var, coef in prob.objective.items()
    )


def _read_highs(prob: Any, seconds: float) -> SolveOutcome:
    """Normalise a HiGHS result from either PuLP line, from HiGHS's own status."""
    from orgplan.solvers import lp

    highs = prob.solverModel
    model_status = highs.getModelStatus().name
    info = highs.getInfo()
    has = model_status == "kOptimal" or (
        model_status in _STOPPED_EARLY and finite(info.objective_function_value) is not None
    )
    status: SolveStatus
    if model_status == "kOptimal":
        status = SolveStatus.OPTIMAL
    elif model_status in ("kInfeasible", "kUnboundedOrInfeasible"):
        status = SolveStatus.INFEASIBLE  # every variable is bounded: never unbounded
    elif model_status == "kModelEmpty":  # no column at all: only constants are checked
        return lp.read_empty(prob, seconds)
    else:
        status = SolveStatus.FEASIBLE if has else SolveStatus.NO_PLAN
    objective = lp.value_of(prob.objective) if has else None
    # mip_dual_bound is in the problem's sense with the constant (see _load_highs_33);
    # HiGHS leaves it unset for a model without integer variables
    bound = finite(info.mip_dual_bound) if has else None
    if status is SolveStatus.OPTIMAL and bound is None:
        bound = objective
    return SolveOutcome(
        status,
        objective,
        bound,
        relative_gap(objective, bound),
        seconds,
        _TERMINATION.get(model_status, Termination.OTHER_LIMIT),
    )


def run(
    prob: Any,
    time_limit: float | None,
    warm: dict[str, float] | None,
    progress: Progress | None,
) -> SolveOutcome:
    """Solve `prob` with HiGHS and normalise the result (integer values snapped)."""
    from orgplan.solvers import lp

    started = time.perf_counter()
    return lp.rounded(prob, _run_highs(prob, time_limit, warm, progress, started))


@dataclass(frozen=True)
class Tied:
    """A column that exists only in one loaded problem (`Resolver.tie`), by name."""

    name: str


class Resolver:
    """A problem loaded once into its own HiGHS and solved again and again with some
    columns fixed (`orgplan.solvers.lp.resolving`; the neighbourhood search).

    Between solves only the columns' bounds change, so the model is not handed over from
    PuLP again (0.5-1 s a solve at 150 x 500 under PuLP 3.3). The columns and rows are
    those `run` gives HiGHS under either PuLP line, with the same settings.
    """

    def __init__(self, prob: Any, relaxation: bool = False) -> None:
        import highspy
        import numpy as np

        from orgplan.solvers.lp import PULP4

        _silence_highs_banner()
        with _quiet_stdout():
            self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("mip_rel_gap", SETTINGS["gapRel"])
        self.highs.setOptionValue("mip_abs_gap", SETTINGS["gapAbs"])
        self.highs.setOptionValue("threads", SETTINGS["threads"])
        self.highs.setOptionValue("mip_pool_soft_limit", SETTINGS["mip_pool_soft_limit"])
        self.columns = list(prob.variables()) if PULP4 else _columns_33(prob)
        _load(self.highs, prob, self.columns, not relaxation)
        self.relaxation = relaxation
        self.where = {var.name: j for j, var in enumerate(self.columns)}
        self.names = [var.name for var in self.columns]
        lp = self.highs.getLp()
        self.lower = np.array(lp.col_lower_, dtype=float)
        self.upper = np.array(lp.col_upper_, dtype=float)
        self.cost = np.array(lp.col_cost_, dtype=float)
        self.offset = float(lp.offset_)
        self.integer = np.array(
            [var.cat == "Integer" and not relaxation for var in self.columns], dtype=bool
        )
        self.every = np.arange(len(self.columns), dtype=np.int32)

    def cancel(self) -> None:
        """Stop the solve under way, if any (it returns its best plan so far)."""
        self.highs.cancelSolve()

    def tie(self, name: str, pairs: Sequence[tuple[Any, float]]) -> Tied:
        """A new column `name` of this loaded problem only, held equal to `sum(pairs)` by a
        new row, so that fixing its bounds fixes the sum (the seats of a role: counts.py).
        The PuLP problem is left as it was; plans read back carry the column's value."""
        import highspy
        import numpy as np

        empty = np.zeros(0, dtype=np.int32)
        j = len(self.columns)
        self.highs.addCols(
            1, np.zeros(1), np.zeros(1), np.full(1, highspy.kHighsInf), 0, empty, empty, np.zeros(0)
        )
        indices = [self.where[var.name] for var, _c in pairs] + [j]
        values = [float(c) for _v, c in pairs] + [-1.0]
        self.highs.addRows(
            1,
            np.zeros(1),
            np.zeros(1),
            len(indices),
            np.zeros(1, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values, dtype=float),
        )
        column = Tied(name)
        self.columns.append(column)
        self.where[name] = j
        self.names.append(name)
        self.lower = np.append(self.lower, 0.0)
        self.upper = np.append(self.upper, highspy.kHighsInf)
        self.cost = np.append(self.cost, 0.0)
        self.integer = np.append(self.integer, False)
        self.every = np.arange(len(self.columns), dtype=np.int32)
        return column

    def __call__(
        self,
        fixings: Sequence[tuple[Any, float]],
        time_limit: float | None,
        warm: dict[str, float] | None,
    ) -> tuple[SolveOutcome, dict[str, float] | None]:
        import numpy as np

        started = time.perf_counter()
        highs = self.highs
        lower, upper = self.lower.copy(), self.upper.copy()
        for var, value in fixings:
            j = self.where[var.name]
            lower[j] = upper[j] = value
        highs.clearSolver()
        highs.changeColsBounds(len(self.every), self.every, lower, upper)
        highs.setOptionValue(
            "time_limit", float("inf") if time_limit is None else max(0.05, time_limit)
        )
        if warm is not None:
            _set_start(highs, self.columns, warm)
        if threading.current_thread() is threading.main_thread():
            highs.HandleKeyboardInterrupt = True
            highs.solve()
        else:
            highs.run()
        model_status = highs.getModelStatus().name
        info = highs.getInfo()
        termination = _TERMINATION.get(model_status, Termination.OTHER_LIMIT)
        seconds = time.perf_counter() - started
        claimed = finite(info.objective_function_value)
        if model_status in ("kInfeasible", "kUnboundedOrInfeasible"):
            return SolveOutcome(SolveStatus.INFEASIBLE, None, None, None, seconds), None
        if model_status != "kOptimal" and (model_status not in _STOPPED_EARLY or claimed is None):
            return SolveOutcome(SolveStatus.NO_PLAN, None, None, None, seconds, termination), None
        found = np.array(highs.getSolution().col_value, dtype=float)
        found[self.integer] = np.round(found[self.integer]) + 0.0  # (no -0.0)
        objective = float(self.offset + self.cost @ found)
        bound = None if self.relaxation else finite(info.mip_dual_bound)
        status = SolveStatus.OPTIMAL if model_status == "kOptimal" else SolveStatus.FEASIBLE
        if claimed is None or abs(claimed - objective) > 1e-6 * max(1.0, abs(claimed)):
            # HiGHS misjudged the start (see `_run_highs`): the plan is worth what its
            # values say, and nothing is proven
            status, bound = SolveStatus.FEASIBLE, None
        elif bound is None and status is SolveStatus.OPTIMAL:
            bound = objective
        values = dict(zip(self.names, found.tolist(), strict=True))
        gap = relative_gap(objective, bound)
        return SolveOutcome(status, objective, bound, gap, seconds, termination), values


def available() -> str | None:
    """None: highspy is installed (it is a dependency of orgplan)."""
    import importlib.util

    return None if importlib.util.find_spec("highspy") is not None else "highspy is not installed"


BACKEND = Backend(
    name="highs",
    label="HiGHS",
    note="default, in-process",
    order=0,
    settings=SETTINGS,
    run=run,
    available=available,
    resolver=Resolver,
)
