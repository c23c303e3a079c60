"""The plan: a frozen result of solving one scenario under one structure.

`Plan.to_json()` gives the plan JSON of design/cli-and-output.md (`orgplan.plan/1`);
keys beyond the contract are additions, never changes of meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orgplan.results.status import SolveStatus, Termination

if TYPE_CHECKING:
    from orgplan.scenario.format import Scenario

PLAN_FORMAT = "orgplan.plan/1"


@dataclass(frozen=True)
class StageResult:
    """One priority of the lexicographic solve: coverage, quality or cost."""

    objective: str
    status: SolveStatus
    value: float
    bound: float | None
    gap: float | None
    seconds: float


@dataclass(frozen=True)
class SolverInfo:
    """Which solver ran, what it proved, and how long it took."""

    name: str
    status: SolveStatus
    gap: float | None
    seconds: float
    stages: tuple[StageResult, ...] = ()
    termination: Termination = Termination.FINISHED  # why the last stage's search stopped


@dataclass(frozen=True)
class Seat:
    """One placed person (or open requisition) in one role."""

    seat: str
    role: str
    role_title: str
    candidate: str | None
    person: str
    background: str | None
    internal: bool
    cost: float
    capacity_hours: float
    hours: float
    responsibilities: tuple[str, ...]
    fit: float

    @property
    def open_req(self) -> bool:
        """Whether the seat is an open requisition still to be hired."""
        return self.candidate is None

    @property
    def utilization(self) -> float:
        """Hours owned over capacity."""
        return self.hours / self.capacity_hours if self.capacity_hours else 0.0


@dataclass(frozen=True)
class Assignment:
    """Who owns one responsibility, how well they fit it, and the gaps to develop."""

    responsibility: str
    name: str
    product: str | None
    hours: float
    priority: float
    seat: str
    role: str
    candidate: str | None
    person: str
    fit: float
    gaps: Mapping[str, float]


@dataclass(frozen=True)
class Uncovered:
    """A responsibility no seat owns, and why."""

    responsibility: str
    name: str
    product: str | None
    hours: float
    priority: float
    reason: str


@dataclass(frozen=True)
class Handoff:
    """A coupling whose two responsibilities have different owners."""

    between: tuple[str, str]
    seats: tuple[str | None, str | None]
    cost: float


@dataclass(frozen=True)
class Kpis:
    """The plan's figures; the first eight are the contract's `kpis`."""

    headcount: int
    total_cost: float
    total_hours: float
    covered_hours: float
    coverage: float
    mean_fit: float
    handoff_cost: float
    max_utilization: float
    mean_utilization: float
    quality: float
    covered_priority_hours: float
    total_priority_hours: float
    internal: int
    external: int
    open_reqs: int
    skill_gaps: int
    headcount_by_role: Mapping[str, int]


@dataclass(frozen=True)
class Plan:
    """A team plan: seats, owners of every responsibility, uncovered work and KPIs."""

    scenario: str
    structure: str
    currency: str
    solver: SolverInfo
    seats: tuple[Seat, ...]
    assignments: tuple[Assignment, ...]
    uncovered: tuple[Uncovered, ...]
    handoffs: tuple[Handoff, ...]
    kpis: Kpis
    notes: tuple[str, ...] = field(default=())

    @property
    def status(self) -> SolveStatus:
        """The solver status of the plan."""
        return self.solver.status

    def seat(self, name: str) -> Seat:
        """The seat called `name`."""
        for seat in self.seats:
            if seat.seat == name:
                return seat
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        """The plan as `orgplan.plan/1` JSON-ready data."""
        k = self.kpis
        return {
            "format": PLAN_FORMAT,
            "scenario": self.scenario,
            "structure": self.structure,
            "currency": self.currency,
            "solver": {
                "name": self.solver.name,
                "status": self.solver.status.value,
                "gap": _round(self.solver.gap),
                "seconds": round(self.solver.seconds, 3),
                "stages": [
                    {
                        "objective": s.objective,
                        "status": s.status.value,
                        "value": _round(s.value),
                        "bound": _round(s.bound),
                        "gap": _round(s.gap),
                        "seconds": round(s.seconds, 3),
                    }
                    for s in self.solver.stages
                ],
            },
            "seats": [
                {
                    "seat": s.seat,
                    "role": s.role,
                    "candidate": s.candidate,
                    "open_req": s.open_req,
                    "cost": _num(s.cost),
                    "capacity_hours": _num(s.capacity_hours),
                    "hours": _num(s.hours),
                    "responsibilities": list(s.responsibilities),
                    "name": s.person,
                    "fit": _round(s.fit),
                    "utilization": _round(s.utilization),
                }
                for s in self.seats
            ],
            "assignments": [
                {
                    "responsibility": a.responsibility,
                    "seat": a.seat,
                    "candidate": a.candidate,
                    "hours": _num(a.hours),
                    "fit": _round(a.fit),
                    "gaps": {skill: _num(v) for skill, v in a.gaps.items()},
                    "role": a.role,
                    "priority": _num(a.priority),
                }
                for a in self.assignments
            ],
            "uncovered": [
                {
                    "responsibility": u.responsibility,
                    "hours": _num(u.hours),
                    "reason": u.reason,
                    "priority": _num(u.priority),
                }
                for u in self.uncovered
            ],
            "handoffs": [
                {"between": list(h.between), "seats": list(h.seats), "cost": _num(h.cost)}
                for h in self.handoffs
            ],
            "kpis": {
                "headcount": k.headcount,
                "total_cost": _num(k.total_cost),
                "total_hours": _num(k.total_hours),
                "covered_hours": _num(k.covered_hours),
                "coverage": _round(k.coverage),
                "mean_fit": _round(k.mean_fit),
                "handoff_cost": _num(k.handoff_cost),
                "max_utilization": _round(k.max_utilization),
                "mean_utilization": _round(k.mean_utilization),
                "quality": _round(k.quality),
                "internal": k.internal,
                "external": k.external,
                "open_reqs": k.open_reqs,
                "skill_gaps": k.skill_gaps,
                "headcount_by_role": dict(k.headcount_by_role),
            },
            "notes": list(self.notes),
        }


def _num(value: float) -> float | int:
    """Whole numbers as ints so the JSON reads like the contract's example."""
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() else rounded


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def infeasible_plan_json(
    scenario: Scenario, structure: str | None, reasons: list[str], solver_name: str
) -> dict[str, Any]:
    """The plan JSON of a scenario that cannot be planned: no seats, every reason given."""
    total = sum(r.hours for r in scenario.responsibilities)
    return {
        "format": PLAN_FORMAT,
        "scenario": scenario.name,
        "structure": structure or "all roles",
        "currency": scenario.currency,
        "solver": {
            "name": solver_name,
            "status": "infeasible",
            "gap": None,
            "seconds": 0.0,
        },
        "seats": [],
        "assignments": [],
        "uncovered": [
            {
                "responsibility": r.id,
                "hours": r.hours,
                "reason": "no plan: the scenario is infeasible",
                "priority": r.priority,
            }
            for r in scenario.responsibilities
        ],
        "kpis": {
            "headcount": 0,
            "total_cost": 0,
            "total_hours": total,
            "covered_hours": 0,
            "coverage": 0.0,
            "mean_fit": 0.0,
            "handoff_cost": sum(c.cost for c in scenario.couplings),
            "max_utilization": 0.0,
        },
        "reasons": reasons,
    }
