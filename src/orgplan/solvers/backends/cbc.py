"""CBC, run as a command by PuLP (bundled with PuLP 3.3; `pulp[cbc]` or PATH for PuLP 4).

PuLP is imported only when a solve runs, so that listing the backends stays light.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path
from typing import Any

from orgplan.errors import SolverUnavailable
from orgplan.results.status import SolveStatus, Termination
from orgplan.solvers.outcome import Progress, SolveOutcome, finite, relative_gap
from orgplan.solvers.registry import Backend

# What orgplan asks of CBC on every solve. No `threads`: CBC's default is its serial code,
# which is what we want; `-threads 1` starts its threaded code with one worker, and that
# (CBC 2.10.3) waited 10 s for the worker in about 1 run in 200, where the default never
# did in 600.
SETTINGS: dict[str, Any] = {"gapRel": 1e-7}


def _cbc_solver(time_limit: float | None, log: Path, warm: bool) -> Any:
    """PuLP's CBC command, writing its log to `log`; `SolverUnavailable` without a binary."""
    import pulp

    from orgplan.solvers.lp import PULP4, _pulp3

    options: dict[str, Any] = {"msg": False, **SETTINGS, "logPath": str(log)}
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


_CBC_BOUND = re.compile(r"^(Lower|Upper) bound:\s+(-?[\d.eE+-]+)", re.M)


def _read_cbc(prob: Any, result: Any, log: Path, seconds: float) -> SolveOutcome:
    """Normalise a CBC result; the best bound comes from CBC's own log under both lines."""
    import pulp

    from orgplan.solvers import lp

    text = log.read_text(errors="replace") if log.exists() else ""
    status: SolveStatus
    if lp.PULP4:
        has = bool(result.has_solution)
        if result.status in (pulp.LpSolveStatus.Optimal, pulp.LpSolveStatus.GapLimit):
            status = SolveStatus.OPTIMAL  # the gap limit is ours, 1e-7: optimal
        elif result.status == pulp.LpSolveStatus.Infeasible:
            status = SolveStatus.INFEASIBLE
        else:
            status = SolveStatus.FEASIBLE if has else SolveStatus.NO_PLAN
    else:
        # 3.3: status -1 for "Infeasible" and "Integer infeasible"; sol_status 1 optimal,
        # 2 a plan from a run stopped early (its status then says "Optimal")
        has = prob.sol_status in (1, 2)
        if prob.status == -1:
            status = SolveStatus.INFEASIBLE
        elif prob.sol_status == 1:
            status = SolveStatus.OPTIMAL
        else:
            status = SolveStatus.FEASIBLE if has else SolveStatus.NO_PLAN
    objective = (
        lp.value_of(prob.objective) if has and status is not SolveStatus.INFEASIBLE else None
    )
    bound: float | None = None
    match = _CBC_BOUND.search(text)
    if match and objective is not None:
        found = finite(float(match.group(2)))
        if found is not None:
            # CBC never sees the objective constant. PuLP 3.3 hands it a maximisation as
            # such (CBC logs an "Upper bound"); PuLP 4 negates it into a minimisation (CBC
            # logs a "Lower bound" of the negated objective).
            cbc_maximised = match.group(1) == "Upper"
            flipped = cbc_maximised != (prob.sense == pulp.LpMaximize)
            bound = (-found if flipped else found) + lp.constant(prob)
    if status is SolveStatus.OPTIMAL:
        bound = objective
    # orgplan sets CBC no limit but time: a run that proved nothing more stopped on it
    stopped = status in (SolveStatus.FEASIBLE, SolveStatus.NO_PLAN)
    termination = Termination.TIME_LIMIT if stopped else Termination.FINISHED
    gap = relative_gap(objective, bound)
    return SolveOutcome(status, objective, bound, gap, seconds, termination)


def run(
    prob: Any,
    time_limit: float | None,
    warm: dict[str, float] | None,
    progress: Progress | None,
) -> SolveOutcome:
    """Solve `prob` with CBC (it reports no progress) and normalise the result."""
    from orgplan.solvers import lp

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="orgplan-cbc-") as tmp:
        log = Path(tmp) / "cbc.log"
        cbc = _cbc_solver(time_limit, log, warm is not None)
        if not prob.variables():
            # CBC (the PuLP 4 build) calls a model with no column infeasible: check
            # the constant rows ourselves, as for HiGHS.
            return lp.read_empty(prob, time.perf_counter() - started)
        if warm is not None:
            lp.assign(prob, warm)  # CBC's `-mips` start is written from the values
        result = prob.solve(cbc)
        outcome = _read_cbc(prob, result, log, time.perf_counter() - started)
        return lp.rounded(prob, outcome)


def available() -> str | None:
    """None when a CBC binary can be run, else why not."""
    with tempfile.TemporaryDirectory(prefix="orgplan-cbc-") as tmp:
        try:
            _cbc_solver(None, Path(tmp) / "cbc.log", warm=False)
        except SolverUnavailable as exc:
            return str(exc)
    return None


BACKEND = Backend(
    name="cbc",
    label="CBC",
    note="",
    order=1,
    settings=SETTINGS,
    run=run,
    available=available,
)
