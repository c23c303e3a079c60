"""Reading and keeping a model's priorities: a stage's worth at a plan (in money), its
progress reports, and the floors that keep what a stage achieved. Shared by the solve of
one period (`stages`) and over periods (`timed`)."""

from __future__ import annotations

from dataclasses import replace

from orgplan.model import TeamModel, seats_needed
from orgplan.model.periods import TimedModel
from orgplan.model.stages import KEEP_COVERAGE, KEEP_QUALITY, Stage
from orgplan.solvers import lp
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
