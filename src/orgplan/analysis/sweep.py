"""`orgplan sweep`: re-solve a scenario across a range of budgets or headcounts.

The answer is the trade-off curve a head of product takes to the CFO: for each budget
(or headcount cap), what team the planner picks, what it costs, how much of the work it
covers and how well. A point is on the **frontier** when no cheaper point (by the team's
actual cost) covers as much at least as well; the others add budget that buys nothing.

What is guaranteed as the budget (or headcount cap) rises, with proven-optimal solves:
raising it only relaxes one constraint, so the best coverage never falls (exactly: the
planner gives coverage no tolerance). Quality is the second priority: with equal
coverage the best quality never falls either, but a point that covers more may have a
lower quality (the extra work can go to weaker owners), and a plan's reported quality
may sit up to the planner's quality tolerance (1%) below the best, because the cost stage
may trade that much quality for a cheaper team.

Both `--budget` and `--headcount` together sweep the grid (every headcount cap for every
budget). Solves run in parallel processes (`orgplan.compare.run_tasks`), in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from orgplan.analysis.compare import Outcome, Solved, priority_coverage
from orgplan.errors import UsageError
from orgplan.formatting import money, number
from orgplan.scenario.format import MAX_BUDGET, MAX_COUNT, Scenario

SWEEP_FORMAT = "orgplan.sweep/1"
MAX_POINTS = 200
_EPS = 1e-9

_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6}
_NUMBER = re.compile(r"^\s*([0-9][0-9_,]*(?:\.[0-9]+)?|\.[0-9]+)\s*([kKmM]?)\s*$")


@dataclass(frozen=True)
class SweepRange:
    """FROM:TO:STEP of one limit, both ends included."""

    option: str
    start: float
    stop: float
    step: float

    def values(self) -> list[float]:
        """start, start + step, ... up to stop (a last step that overshoots is left out)."""
        count = int((self.stop - self.start) / self.step + 1e-9) + 1
        return [round(self.start + i * self.step, 6) for i in range(count)]


_EXAMPLES = {"--budget": "300000:900000:100000 (or 300k:900k:100k)", "--headcount": "1:6:1"}
# The most a point may set: the scenario format's bound on the limit it sweeps.
_MOST = {"--budget": MAX_BUDGET, "--headcount": MAX_COUNT}


def parse_range(text: str, option: str = "--budget", *, integer: bool = False) -> SweepRange:
    """Read `FROM:TO:STEP` (numbers >= 0, FROM <= TO, STEP > 0; `k`/`M` suffixes allowed
    for amounts). Raises `UsageError` with the expected form."""
    example = _EXAMPLES.get(option, "1:10:1")
    expected = f"{option}: expected FROM:TO:STEP, e.g. {example}"
    parts = text.split(":")
    if len(parts) != 3:
        raise UsageError(f"{expected}; got '{text}'")
    numbers: list[float] = []
    for part, name in zip(parts, ("FROM", "TO", "STEP"), strict=True):
        match = _NUMBER.match(part)
        if match is None:
            raise UsageError(f"{expected}; {name} is not a number >= 0: '{part}'")
        value = float(match.group(1).replace("_", "").replace(",", ""))
        value *= _SUFFIX[match.group(2).lower()]
        if integer and not value.is_integer():
            raise UsageError(f"{expected}; {name} must be a whole number, got '{part}'")
        numbers.append(value)
    start, stop, step = numbers
    if step <= 0:
        raise UsageError(f"{expected}; STEP must be > 0, got '{parts[2]}'")
    if start > stop:
        raise UsageError(f"{expected}; FROM must not exceed TO, got '{text}'")
    most = _MOST.get(option)
    if most is not None and stop > most:
        raise UsageError(f"{expected}; TO must be at most {most:,}, got '{parts[1]}'")
    found = SweepRange(option, start, stop, step)
    count = int((stop - start) / step + 1e-9) + 1
    if count > MAX_POINTS:
        raise UsageError(
            f"{option} {text} gives {count} points; at most {MAX_POINTS}: take a larger STEP"
        )
    return found


@dataclass(frozen=True)
class SweepPoint(Solved):
    """One solve of the sweep: the limits it was given, and its plan or why there is none."""

    budget: float | None
    max_headcount: int | None
    outcome: Outcome
    frontier: bool = False

    def to_json(self) -> dict[str, Any]:
        """The point's limits and figures, and its plan (`orgplan.plan/1`) when it has one."""
        data: dict[str, Any] = {
            "budget": number(self.budget, whole_first=True),
            "max_headcount": self.max_headcount,
            "status": self.status,
            "frontier": self.frontier,
        }
        plan = self.plan
        if plan is None:
            data["reasons"] = list(self.outcome.reasons)
            return data
        k = plan.kpis
        data.update(
            {
                "total_cost": number(k.total_cost, whole_first=True),
                "headcount": k.headcount,
                "headcount_by_role": dict(k.headcount_by_role),
                "coverage": round(k.coverage, 4),
                "priority_coverage": round(priority_coverage(plan), 4),
                "covered_hours": number(k.covered_hours, whole_first=True),
                "total_hours": number(k.total_hours, whole_first=True),
                "mean_fit": round(k.mean_fit, 4),
                "quality": round(k.quality, 4),
                "handoff_cost": number(k.handoff_cost, whole_first=True),
                "skill_gaps": k.skill_gaps,
                **({"spend": number(k.spend, whole_first=True)} if plan.timed else {}),
                "plan": plan.to_json(),
            }
        )
        return data


@dataclass(frozen=True)
class Sweep:
    """Every point of a sweep, in the order swept, with the frontier marked."""

    scenario: Scenario
    structure: str | None
    axes: tuple[str, ...]  # "budget", "max_headcount": what was swept
    points: tuple[SweepPoint, ...]

    @property
    def currency(self) -> str:
        """The scenario's currency."""
        return self.scenario.currency

    def frontier(self) -> list[SweepPoint]:
        """The frontier points, cheapest first."""
        found = [p for p in self.points if p.frontier and p.plan is not None]
        return sorted(found, key=lambda p: p.plan.kpis.total_cost if p.plan else 0.0)

    def to_json(self) -> dict[str, Any]:
        """`{"format": "orgplan.sweep/1", ..., "points": [...]}`, in the order swept."""
        return {
            "format": SWEEP_FORMAT,
            "scenario": self.scenario.name,
            "structure": self.structure or "all roles",
            "currency": self.scenario.currency,
            "axes": list(self.axes),
            "points": [p.to_json() for p in self.points],
        }


def mark_frontier(outcomes: Sequence[Outcome]) -> list[bool]:
    """Whether each outcome is on the frontier of cost against (coverage, quality).

    Plans of the same cost (to the unit) are one step: the best of them (coverage, then
    quality; the first among equals) stands for it. A step is on the frontier when it
    covers more than every cheaper step, or as much with a higher quality.
    """
    steps: dict[int, int] = {}
    for i, outcome in enumerate(outcomes):
        plan = outcome.plan
        if plan is None:
            continue
        cost = round(plan.kpis.total_cost)
        held = steps.get(cost)
        if held is None or _better(_score(outcome), _score(outcomes[held])):
            steps[cost] = i
    marks = [False] * len(outcomes)
    best: tuple[float, float] | None = None
    for cost in sorted(steps):
        i = steps[cost]
        here = _score(outcomes[i])
        if best is None or _better(here, best):
            marks[i] = True
            best = here
    return marks


def _score(outcome: Outcome) -> tuple[float, float]:
    plan = outcome.plan
    assert plan is not None
    return priority_coverage(plan), plan.kpis.quality


def _better(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Lexicographically better: more coverage, or as much and more quality."""
    if a[0] > b[0] + _EPS:
        return True
    return abs(a[0] - b[0]) <= _EPS and a[1] > b[1] + 1e-6


def point_label(budget: float | None, headcount: int | None, currency: str) -> str:
    """`budget 300,000 USD, headcount 4`: the limits of one point (its progress label)."""
    parts = []
    if budget is not None:
        parts.append(f"budget {money(budget, currency)}")
    if headcount is not None:
        parts.append(f"headcount {headcount}")
    return ", ".join(parts)
