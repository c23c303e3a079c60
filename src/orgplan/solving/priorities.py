"""Reading and keeping a model's priorities: a stage's worth at a plan (in money), its
progress reports, and the floors that keep what a stage achieved. Shared by the solve of
one period (`stages`) and over periods (`timed`)."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from orgplan.model import TeamModel, seats_needed
from orgplan.model.periods import TimedModel
from orgplan.model.stages import KEEP_COVERAGE, KEEP_QUALITY, Stage
from orgplan.results.plan import StageResult
from orgplan.results.status import SolveStatus, Termination
from orgplan.solvers import lp
from orgplan.solving import bundles, lns
from orgplan.solving.options import SolveOptions

# Coverage is compared with a tolerance that only absorbs floating-point noise.
COVERAGE_SLACK = 1e-7

AnyModel = TeamModel | TimedModel


def worth(model: AnyModel, name: Stage, values: dict[str, float]) -> float:
    """A stage's objective at `values`, from the ownership and seat columns (in money)."""
    constant = model.quality_constant if name is Stage.QUALITY else 0.0
    return constant + sum(c * values.get(v.name, 0.0) for v, c in model.terms[name])


def in_money(model: AnyModel, name: Stage, outcome: lp.SolveOutcome) -> lp.SolveOutcome:
    """The cost stage's value and bound in money (the solver saw them x `cost_scale`)."""
    share = unit(model, name)
    if share == 1.0:
        return outcome
    return replace(
        outcome,
        objective=None if outcome.objective is None else outcome.objective * share,
        bound=None if outcome.bound is None else outcome.bound * share,
    )


def unit(model: AnyModel, name: Stage) -> float:
    """What one unit of a stage's objective is worth, as the plan states it."""
    return 1.0 / model.cost_scale if name is Stage.COST else 1.0


def report(options: SolveOptions, stage: Stage, model: AnyModel) -> lp.Progress | None:
    """The solver's progress reports, told which priority is being optimised (in money)."""
    progress = options.progress
    if progress is None:
        return None
    share = unit(model, stage)

    def report(elapsed: float, best: float | None, bound: float | None) -> None:
        progress(
            stage.value,
            elapsed,
            None if best is None else best * share,
            None if bound is None else bound * share,
        )

    return report


def fix_stage(model: AnyModel, name: str, achieved: float, tolerance: float) -> None:
    """Keep what a stage achieved while the next priorities are optimised."""
    # The floors are written on the per-responsibility objective columns (a few hundred
    # terms), not on the ownership columns (100,000 at 300 x 1000): each column is at most
    # what its owners bring, so the floor binds the plan all the same, and HiGHS's presolve
    # no longer spends its time extracting cliques from one huge knapsack row.
    if name == Stage.COVERAGE:
        floor = achieved - COVERAGE_SLACK * max(1.0, abs(achieved))
        lp.add_ge(model.prob, list(model.coverage.items()), floor, KEEP_COVERAGE)
        if isinstance(model, TeamModel):
            seats_needed(model, floor)
    elif name == Stage.QUALITY:
        floor = achieved - tolerance * abs(achieved) - 1e-7
        lp.add_ge(
            model.prob,
            list(model.quality.items()),
            floor - model.quality_constant,
            KEEP_QUALITY,
        )


def time_left(options: SolveOptions, started: float, share: float) -> float | None:
    """Seconds a stage may take: its `share` of what is left of the time limit (None
    without one)."""
    if options.time_limit is None:
        return None
    left = options.time_limit - (time.perf_counter() - started)
    return max(0.1, left * share)


@dataclass
class SolverClock:
    """How far the solver has run past the limits it was given on this model.

    HiGHS's set-up (presolve, symmetry detection, the first steps of the root) does not
    look at the clock: at 300 x 1000 each call ran 4-7 s past its limit, even past a limit
    of 0.55 s, so a 120 s solve took 126-135 s. A stage therefore hands the solver its
    share less the largest overrun seen so far, and does not call it at all when the
    overrun alone would use up the share (its heuristic's plan stands in).
    """

    overrun: float = 0.0

    def limit(self, remaining: float | None) -> float | None:
        """The limit to give the solver for `remaining` seconds of the stage."""
        return None if remaining is None else max(0.1, remaining - self.overrun)

    def worth_calling(self, remaining: float | None) -> bool:
        """Whether the solver can do anything in `remaining` seconds."""
        return remaining is None or remaining > self.overrun

    def saw(self, limit: float | None, outcome: lp.SolveOutcome) -> None:
        """Note how far a run that stopped at its `limit` went past it."""
        if limit is not None and outcome.termination is Termination.TIME_LIMIT:
            self.overrun = max(self.overrun, outcome.seconds - limit)

    def run(
        self,
        prob: Any,
        solver: str,
        remaining: float | None,
        *,
        warm: dict[str, float] | None,
        progress: lp.Progress | None,
        stand_in: bool,
    ) -> lp.SolveOutcome:
        """`lp.run` within `remaining` seconds less the overrun, noting its own. With a
        plan to stand in (`stand_in`) and the overrun alone past `remaining`, no run: an
        outcome with no plan, stopped by the time limit."""
        if stand_in and not self.worth_calling(remaining):
            return lp.SolveOutcome(
                SolveStatus.NO_PLAN, None, None, None, 0.0, Termination.TIME_LIMIT
            )
        limit = self.limit(remaining)
        outcome = lp.run(prob, solver, limit, warm=warm, progress=progress)
        self.saw(limit, outcome)
        return outcome


# Share of a stage's time that the bundle bound may take, before the rest.
BUNDLE_SHARE = 1 / 3


def wants_bundles(options: SolveOptions) -> bool:
    """Whether the stages take the bundle bound: as `bundle_bound` says, and when it is
    None only without a time limit."""
    return options.time_limit is None if options.bundle_bound is None else options.bundle_bound


COMPACT = "branch and bound"
"""Where a bound from the compact model's own search comes from (StageResult.bound_source)."""


def meets(value: float, bound: float | None, maximize: bool) -> bool:
    """Whether a plan worth `value` is proven optimal by `bound` (HiGHS's relative gap)."""
    if bound is None:
        return False
    slack = bundles.PROVEN * max(1.0, abs(value))
    return value >= bound - slack if maximize else value <= bound + slack


def proven_by(
    model: AnyModel,
    name: Stage,
    plan: dict[str, float],
    bundle: bundles.BundleBound,
    seconds: float,
) -> StageResult | None:
    """The stage's result when the plan in hand meets the bundle bound, else None."""
    maximize = name is not Stage.COST
    achieved = worth(model, name, plan)
    if not meets(achieved, bundle.bound, maximize):
        return None
    # a bound past the plan by rounding noise is the plan's value: nothing is left to gain
    return StageResult(
        name.value,
        SolveStatus.OPTIMAL,
        achieved,
        bundle.bound,
        lp.relative_gap(achieved, bundle.bound),
        seconds,
        Termination.FINISHED,
        bundle.source,
    )


def best_bound(
    compact: float | None, bundle: bundles.BundleBound | None, maximize: bool
) -> tuple[float | None, str | None]:
    """The better of the compact search's bound and the bundle bound, and its source."""
    if bundle is None:
        return compact, None if compact is None else COMPACT
    if compact is None:
        return bundle.bound, bundle.source
    better = bundle.bound < compact if maximize else bundle.bound > compact
    return (bundle.bound, bundle.source) if better else (compact, COMPACT)


# Share of a quality or cost stage's time (after its heuristic) that the neighbourhood
# search (lns.py) takes on a large model; the full search gets the rest, for its bound
# and to improve on the search's plan. At 150 x 500 the search's quality levels off
# within seconds while the full search's bound gains from its time; its cost keeps
# falling, and the full search there reaches no cost bound in its share either way.
SEARCH_SHARE = {Stage.QUALITY: 0.5, Stage.COST: 0.75}


def searches(model: AnyModel, options: SolveOptions, name: Stage) -> bool:
    """Whether stage `name` starts with the neighbourhood search: the quality and cost
    stages of a large model, with a time limit (without one the full search is left to
    prove the optimum, and its plan does not depend on the clock)."""
    return (
        options.neighbourhood_search
        and options.time_limit is not None
        and name in (Stage.QUALITY, Stage.COST)
        and len(model.own) >= lns.MIN_OWNERSHIPS
    )
