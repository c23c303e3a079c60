"""How a solve ended: one status, and the reason the search stopped.

`SolveStatus` is what the plan says (`optimal`, `feasible`, `infeasible`), plus `no_plan`
for a search that stopped before it found any plan or proved there is none (compare and
sweep columns; the plan command reports it as an error). `Termination` says why the
search stopped, as linopy's `TerminationCondition` does beside its `SolverStatus`.
"""

from __future__ import annotations

from enum import StrEnum


class SolveStatus(StrEnum):
    """How far the solver got."""

    OPTIMAL = "optimal"  # proven best on every priority
    FEASIBLE = "feasible"  # a plan, but a limit stopped the proof; see the gap
    INFEASIBLE = "infeasible"  # the hard limits cannot all be met
    NO_PLAN = "no_plan"  # stopped before any plan was found, and nothing proven either

    @property
    def has_plan(self) -> bool:
        """Whether a plan came with this status."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


class Termination(StrEnum):
    """Why a search stopped."""

    FINISHED = "finished"  # it ran to its end: the plan is optimal, or none exists
    TIME_LIMIT = "time_limit"  # the time limit passed
    INTERRUPTED = "interrupted"  # the user pressed Ctrl-C: the best plan so far came back
    OTHER_LIMIT = "other_limit"  # another limit of the solver (iterations, memory)
