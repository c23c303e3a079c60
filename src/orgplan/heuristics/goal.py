"""A stage's objective as a key to maximise, and the floors the earlier stages left."""

from __future__ import annotations

from orgplan.heuristics.check import rows
from orgplan.heuristics.state import State
from orgplan.model import TeamModel
from orgplan.model.stages import KEEP_COVERAGE, KEEP_QUALITY, Stage


class Goal:
    """A stage's objective as a key to maximise, and the floors it must keep."""

    def __init__(
        self,
        stage: str,
        coverage_floor: float | None,
        quality_floor: float | None,
        complete: bool = True,
    ) -> None:
        if stage not in tuple(Stage):
            raise ValueError(f"unknown stage {stage!r}: expected one of {', '.join(Stage)}")
        self.stage = Stage(stage)
        self.coverage_floor = coverage_floor
        self.quality_floor = quality_floor
        self.complete = complete  # False: `coverage: required` may be unmet for now
        self.price = 0.0  # cost stage: what one unit of quality is worth, in money

    def key(self, st: State) -> tuple[float, ...]:
        """What the stage maximises, lexicographically, at `st`."""
        if self.stage is Stage.COVERAGE:
            return (st.cov, st.quality, -st.cost)
        if self.stage is Stage.QUALITY:
            return (st.quality, -st.cost)
        if self.price:
            return (self.price * st.quality - st.cost, -st.cost)
        return (-st.cost, st.quality)

    def ok(self, st: State) -> bool:
        """Whether `st` keeps the floors and every team-wide limit."""
        if self.coverage_floor is not None and st.cov < self.coverage_floor:
            return False
        if self.quality_floor is not None and st.quality < self.quality_floor:
            return False
        return st.within_limits(self.complete)


def better(new: tuple[float, ...], old: tuple[float, ...]) -> bool:
    """Lexicographically larger, ignoring floating-point noise."""
    for a, b in zip(new, old, strict=True):
        tol = 1e-9 * max(1.0, abs(b))
        if a > b + tol:
            return True
        if a < b - tol:
            return False
    return False


def floors(model: TeamModel) -> tuple[float | None, float | None]:
    """The coverage and quality floors the earlier stages left in the problem, if any."""
    coverage = quality = None
    for row in rows(model.prob):
        if row.name == KEEP_COVERAGE:
            coverage = row.getLb()
        elif row.name == KEEP_QUALITY:
            low = row.getLb()
            quality = None if low is None else low + model.quality_constant
    return coverage, quality
