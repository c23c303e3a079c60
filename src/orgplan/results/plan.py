"""The plan: a frozen result of solving one scenario under one structure.

`Plan.to_json()` gives the plan JSON of docs/output-formats.md (`orgplan.plan/1`);
keys beyond the contract are additions, never changes of meaning.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orgplan.errors import OrgplanError
from orgplan.formatting import number
from orgplan.results.status import SolveStatus, Termination
from orgplan.scenario.format import Decisions

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
    termination: Termination = Termination.FINISHED  # why the stage's search stopped
    # Which relaxation `bound` comes from (BOUND_SOURCES), None when there is no bound.
    bound_source: str | None = None


BOUND_SOURCES = ("branch and bound", "bundle LP", "Lagrangian", "seat counts")
"""Where a stage's bound may come from: the compact model's search (HiGHS's or CBC's
branch and bound, its root relaxation and cuts included), the converged bundle master LP,
or the Lagrangian bound of a bundle column generation stopped early
(`orgplan.solving.bundles`)."""


@dataclass(frozen=True)
class SolverInfo:
    """Which solver ran, what it proved, and how long it took."""

    name: str
    status: SolveStatus
    gap: float | None
    seconds: float
    stages: tuple[StageResult, ...] = ()
    termination: Termination = Termination.FINISHED  # why the search stopped (see stages)
    # The share of the best quality the cost stage could give up (None: not said, the
    # format's default of 1%); a near-best team of `orgplan explain` gives up more.
    quality_tolerance: float | None = None


@dataclass(frozen=True)
class Development:
    """A skill a seat's holder grows by one level instead of hiring for it (train or hire,
    `policy.development`): from `ready` on they work at `to_level`; `cost` is one-off, paid
    in the period the seat starts."""

    skill: str
    from_level: float
    to_level: float
    ready: str
    cost: float


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
    # With a horizon (format 1.1): the period the holder starts, for an open requisition
    # the period to open it, the periods at ramp capacity from the start, and the one-off
    # cost (hire_cost of a requisition, backfill_cost of an internal mover; without a
    # horizon it is already inside `cost`).
    start: str | None = None
    open_by: str | None = None
    ramp_periods: int = 0
    one_off_cost: float = 0.0
    developments: tuple[Development, ...] = ()  # with a horizon: the skills the holder grows

    @property
    def development_cost(self) -> float:
        """The one-off cost of the skills the holder grows."""
        return sum(d.cost for d in self.developments)

    @property
    def open_req(self) -> bool:
        """Whether the seat is an open requisition still to be hired."""
        return self.candidate is None

    @property
    def holder(self) -> str:
        """The person in the seat, or "Open requisition"."""
        return "Open requisition" if self.open_req else self.person

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
    periods: tuple[str, ...] = ()  # with a horizon: the periods this owner holds it


@dataclass(frozen=True)
class Uncovered:
    """A responsibility no seat owns, and why."""

    responsibility: str
    name: str
    product: str | None
    hours: float
    priority: float
    reason: str
    periods: tuple[str, ...] = ()  # with a horizon: the periods in which nobody owns it


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
    # What the plan spends: with a horizon, the horizon's total (run rate per period
    # plus one-off costs); without one, the annual `total_cost`.
    spend: float = 0.0


@dataclass(frozen=True)
class PeriodKpis:
    """The plan's figures in one period of its horizon (format 1.1).

    `kpis.total_cost` is the annual run rate of the seats filled in that period,
    `kpis.spend` what the period costs: its share of the run rate plus `one_off_cost`,
    the one-off costs paid in it (the hire cost of a requisition opened then, the
    backfill and the training of a seat starting then).
    """

    period: str
    kpis: Kpis
    one_off_cost: float = 0.0


# What a seat is in one period of a horizon (`Plan.phases`).
BEFORE, RECRUITING, RAMPING, FULL = "before", "recruiting", "ramping", "full"


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
    decisions: Decisions = Decisions()  # the decisions the plan respected
    # With a horizon (format 1.1): its period labels and the KPIs of each period; a plan
    # without one has neither.
    periods: tuple[str, ...] = ()
    kpis_by_period: tuple[PeriodKpis, ...] = ()

    @property
    def timed(self) -> bool:
        """Whether the plan is over a horizon of periods."""
        return bool(self.periods)

    @property
    def status(self) -> SolveStatus:
        """The solver status of the plan."""
        return self.solver.status

    def phases(self, seat: Seat) -> tuple[str, ...]:
        """What `seat` is in each period of the horizon: `recruiting` from its `open_by` to
        the period before its `start` (an open requisition), `ramping` in its
        `ramp_periods` from its start, `full` after; `before` otherwise (not started, and
        for a candidate every period before their start). Empty for an untimed plan."""
        if not self.timed or seat.start is None:
            return ()
        start = self.periods.index(seat.start)
        opened = self.periods.index(seat.open_by) if seat.open_by is not None else start
        return tuple(
            BEFORE
            if t < opened
            else RECRUITING
            if t < start
            else RAMPING
            if t < start + seat.ramp_periods
            else FULL
            for t in range(len(self.periods))
        )

    def developments(self) -> tuple[tuple[Seat, Development], ...]:
        """Every skill grown instead of hired for, with the seat whose holder grows it."""
        return tuple((s, d) for s in self.seats for d in s.developments)

    def open_now(self) -> tuple[Seat, ...]:
        """The open requisitions to open in the first period of the horizon (none for an
        untimed plan, whose requisitions all open at its start)."""
        if not self.timed:
            return ()
        return tuple(s for s in self.seats if s.open_req and s.open_by == self.periods[0])

    def seat(self, name: str) -> Seat:
        """The seat called `name`."""
        for seat in self.seats:
            if seat.seat == name:
                return seat
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        """The plan as `orgplan.plan/1` JSON-ready data."""
        document = _plan_document(
            scenario=self.scenario,
            structure=self.structure,
            currency=self.currency,
            solver=_solver_json(self.solver),
            seats=[_seat_json(s) for s in self.seats],
            assignments=[_assignment_json(a) for a in self.assignments],
            uncovered=[
                _uncovered_json(u.responsibility, number(u.hours), u.reason, number(u.priority))
                for u in self.uncovered
            ],
            handoffs=[_handoff_json(h) for h in self.handoffs],
            kpis=_kpis_json(self.kpis),
            notes=list(self.notes),
            decisions=self.decisions.to_json(),
        )
        if self.timed:
            document["kpis"] = _timed_kpis_json(self.kpis)
            for entry, u in zip(document["uncovered"], self.uncovered, strict=True):
                entry["periods"] = list(u.periods)
            document["periods"] = list(self.periods)
            document["kpis_by_period"] = [
                {
                    "period": p.period,
                    "kpis": _timed_kpis_json(p.kpis),
                    "one_off_cost": number(p.one_off_cost),
                }
                for p in self.kpis_by_period
            ]
        return document


# ---- the plan JSON (`orgplan.plan/1`) ------------------------------------------------------

# What the uncovered work of a scenario without a plan says, by why there is none.
_NO_PLAN_REASON = {
    SolveStatus.INFEASIBLE: "no plan: the scenario is infeasible",
    SolveStatus.NO_PLAN: "no plan: the time limit passed before any plan was found",
}


def _plan_document(
    *,
    scenario: str,
    structure: str,
    currency: str,
    solver: dict[str, Any],
    seats: list[dict[str, Any]],
    assignments: list[dict[str, Any]],
    uncovered: list[dict[str, Any]],
    kpis: dict[str, Any],
    handoffs: list[dict[str, Any]] | None = None,
    notes: list[str] | None = None,
    reasons: list[str] | None = None,
    decisions: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The `orgplan.plan/1` document from its parts, in the contract's order; the parts
    given as None (a scenario without a plan has no handoffs nor notes) are left out."""
    document: dict[str, Any] = {
        "format": PLAN_FORMAT,
        "scenario": scenario,
        "structure": structure,
        "currency": currency,
        "solver": solver,
        "seats": seats,
        "assignments": assignments,
        "uncovered": uncovered,
    }
    if handoffs is not None:
        document["handoffs"] = handoffs
    document["kpis"] = kpis
    if notes is not None:
        document["notes"] = notes
    if decisions is not None:
        document["decisions"] = decisions
    if reasons is not None:
        document["reasons"] = reasons
    _refuse_non_finite(document, "")
    return document


def _refuse_non_finite(value: Any, path: str) -> None:
    """Raise when a number of the document is infinite or NaN, which JSON cannot hold.

    The scenario's bounds keep every figure finite; this keeps a `"total_cost": Infinity`
    from ever being written should one slip through (a scenario built without validation).
    """
    if isinstance(value, float) and not math.isfinite(value):
        raise OrgplanError(
            f"the plan's {path} is {value}, not a finite number: a value of the scenario is "
            "out of its range (docs/scenario-format.md)"
        )
    if isinstance(value, dict):
        for key, inner in value.items():
            _refuse_non_finite(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _refuse_non_finite(inner, f"{path}[{index}]")


def no_plan_json(
    scenario: Scenario,
    structure: str | None,
    reasons: list[str],
    solver_name: str,
    status: SolveStatus = SolveStatus.INFEASIBLE,
) -> dict[str, Any]:
    """The plan JSON of a scenario that has no plan: no seats, every reason given.

    `status`: `infeasible` (the hard limits cannot all be met), or `no_plan` (the time
    limit passed before any plan was found; the one status beyond the contract's three).
    """
    reason = _NO_PLAN_REASON[status]
    return _plan_document(
        scenario=scenario.name,
        structure=structure or "all roles",
        currency=scenario.currency,
        solver={"name": solver_name, "status": status.value, "gap": None, "seconds": 0.0},
        seats=[],
        assignments=[],
        uncovered=[
            _uncovered_json(r.id, r.hours, reason, r.priority) for r in scenario.responsibilities
        ],
        kpis={
            "headcount": 0,
            "total_cost": 0,
            "total_hours": sum(r.hours for r in scenario.responsibilities),
            "covered_hours": 0,
            "coverage": 0.0,
            "mean_fit": 0.0,
            "handoff_cost": sum(c.cost for c in scenario.couplings),
            "max_utilization": 0.0,
        },
        reasons=reasons,
        decisions=scenario.decisions.to_json(),
    )


def _solver_json(solver: SolverInfo) -> dict[str, Any]:
    return {
        "name": solver.name,
        "status": solver.status.value,
        "gap": _round(solver.gap),
        "seconds": round(solver.seconds, 3),
        "stages": [
            {
                "objective": s.objective,
                "status": s.status.value,
                "value": _round(s.value),
                "bound": _round(s.bound),
                "gap": _round(s.gap),
                "bound_source": s.bound_source,
                "seconds": round(s.seconds, 3),
            }
            for s in solver.stages
        ],
    }


def _seat_json(s: Seat) -> dict[str, Any]:
    document: dict[str, Any] = {
        "seat": s.seat,
        "role": s.role,
        "candidate": s.candidate,
        "open_req": s.open_req,
        "cost": number(s.cost),
        "capacity_hours": number(s.capacity_hours),
        "hours": number(s.hours),
        "responsibilities": list(s.responsibilities),
        "name": s.person,
        "fit": _round(s.fit),
        "utilization": _round(s.utilization),
    }
    if s.start is not None:
        document["start"] = s.start
        if s.open_req:
            document["open_by"] = s.open_by
        document["ramp_periods"] = s.ramp_periods
        document["one_off_cost"] = number(s.one_off_cost)
        document["developments"] = [
            {
                "skill": d.skill,
                "from_level": number(d.from_level),
                "to_level": number(d.to_level),
                "ready": d.ready,
                "cost": number(d.cost),
            }
            for d in s.developments
        ]
    return document


def _assignment_json(a: Assignment) -> dict[str, Any]:
    document: dict[str, Any] = {
        "responsibility": a.responsibility,
        "seat": a.seat,
        "candidate": a.candidate,
        "hours": number(a.hours),
        "fit": _round(a.fit),
        "gaps": {skill: number(v) for skill, v in a.gaps.items()},
        "role": a.role,
        "priority": number(a.priority),
    }
    if a.periods:
        document["periods"] = list(a.periods)
    return document


def _uncovered_json(
    responsibility: str, hours: float, reason: str, priority: float
) -> dict[str, Any]:
    return {
        "responsibility": responsibility,
        "hours": hours,
        "reason": reason,
        "priority": priority,
    }


def _handoff_json(h: Handoff) -> dict[str, Any]:
    return {"between": list(h.between), "seats": list(h.seats), "cost": number(h.cost)}


def _kpis_json(k: Kpis) -> dict[str, Any]:
    return {
        "headcount": k.headcount,
        "total_cost": number(k.total_cost),
        "total_hours": number(k.total_hours),
        "covered_hours": number(k.covered_hours),
        "coverage": _round(k.coverage),
        "mean_fit": _round(k.mean_fit),
        "handoff_cost": number(k.handoff_cost),
        "max_utilization": _round(k.max_utilization),
        "mean_utilization": _round(k.mean_utilization),
        "quality": _round(k.quality),
        "internal": k.internal,
        "external": k.external,
        "open_reqs": k.open_reqs,
        "skill_gaps": k.skill_gaps,
        "headcount_by_role": dict(k.headcount_by_role),
    }


def _timed_kpis_json(k: Kpis) -> dict[str, Any]:
    return {**_kpis_json(k), "spend": number(k.spend)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
