"""How to solve a scenario: the solver, the time limit, the quality tolerance, progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

QUALITY_TOLERANCE = 0.01
"""Share of the best quality that stage (3) may give up for a cheaper team (the format
allows at most 1%). Fit is estimated from whole levels on a 0-5 scale, so differences
below 1% of a team's hours x fit are below what the inputs can tell apart."""


StageProgress = Callable[[str, float, float | None, float | None], None]
"""Called with (priority being optimised, seconds into it, best plan's value, best bound)."""


@dataclass(frozen=True)
class SolveOptions:
    """How to solve: which solver, how long, and who hears about progress."""

    solver: str = "highs"
    time_limit: float | None = None
    quality_tolerance: float = QUALITY_TOLERANCE
    progress: StageProgress | None = None
    explain: bool = True
    # The neighbourhood search of the quality and cost stages on large models with a time
    # limit (solving.lns); off: each stage is its heuristic, head start and full search.
    neighbourhood_search: bool = True
