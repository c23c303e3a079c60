"""What changed between two plans: seats added and removed, people who moved, owners that
changed, and the KPIs before and after (`orgplan diff`, `orgplan.diff/1`).

It reads plan JSON documents (`orgplan.plan/1`), so that any two plans written by any
run can be compared. A seat is known by its holder: the candidate id, or the seat id for
an open requisition (`TPM-2`), and so is an owner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DIFF_FORMAT = "orgplan.diff/1"

# The KPIs compared, in the order shown (those of the plan contract, then cost's kin).
KPIS = (
    "headcount",
    "total_cost",
    "coverage",
    "covered_hours",
    "total_hours",
    "mean_fit",
    "handoff_cost",
    "max_utilization",
    "quality",
    "open_reqs",
    "skill_gaps",
)


@dataclass(frozen=True)
class SeatChange:
    """A seat one plan has and the other does not."""

    holder: str
    seat: str
    role: str
    candidate: str | None


@dataclass(frozen=True)
class Move:
    """A person seated in both plans, in another role."""

    candidate: str
    before: str
    after: str


@dataclass(frozen=True)
class OwnerChange:
    """Work whose owner changed (None: uncovered)."""

    responsibility: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class KpiChange:
    """One KPI in both plans (None when a plan does not give it)."""

    name: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class PlanDiff:
    """The changes from one plan to another."""

    before: str
    after: str
    seats_added: tuple[SeatChange, ...]
    seats_removed: tuple[SeatChange, ...]
    moved: tuple[Move, ...]
    owners_changed: tuple[OwnerChange, ...]
    kpis: tuple[KpiChange, ...]
    kpis_before: Mapping[str, Any]
    kpis_after: Mapping[str, Any]

    @property
    def unchanged(self) -> bool:
        """Whether the plans have the same seats, people and owners."""
        return not (self.seats_added or self.seats_removed or self.moved or self.owners_changed)

    def to_json(self) -> dict[str, Any]:
        """The diff as `orgplan.diff/1` JSON-ready data."""

        def seat(s: SeatChange) -> dict[str, Any]:
            return {"holder": s.holder, "seat": s.seat, "role": s.role, "candidate": s.candidate}

        return {
            "format": DIFF_FORMAT,
            "before": self.before,
            "after": self.after,
            "seats_added": [seat(s) for s in self.seats_added],
            "seats_removed": [seat(s) for s in self.seats_removed],
            "moved": [
                {"candidate": m.candidate, "from": m.before, "to": m.after} for m in self.moved
            ],
            "owners_changed": [
                {"responsibility": o.responsibility, "from": o.before, "to": o.after}
                for o in self.owners_changed
            ],
            "kpis": {"before": dict(self.kpis_before), "after": dict(self.kpis_after)},
        }


def holder(seat: Mapping[str, Any]) -> str:
    """Who a seat is known by: its candidate, or its own id for an open requisition."""
    candidate = seat.get("candidate")
    return str(candidate) if candidate is not None else str(seat["seat"])


def _label(plan: Mapping[str, Any]) -> str:
    return f"{plan.get('scenario', '?')} ({plan.get('structure', '?')})"


def diff_plans(before: Mapping[str, Any], after: Mapping[str, Any]) -> PlanDiff:
    """The changes from plan JSON `before` to plan JSON `after`."""
    seats_before = {holder(s): s for s in before["seats"]}
    seats_after = {holder(s): s for s in after["seats"]}

    def change(key: str, s: Mapping[str, Any]) -> SeatChange:
        return SeatChange(key, str(s["seat"]), str(s["role"]), s.get("candidate"))

    added = tuple(change(k, s) for k, s in seats_after.items() if k not in seats_before)
    removed = tuple(change(k, s) for k, s in seats_before.items() if k not in seats_after)
    moved = tuple(
        Move(k, str(seats_before[k]["role"]), str(s["role"]))
        for k, s in seats_after.items()
        if k in seats_before and seats_before[k]["role"] != s["role"]
    )
    owners_before = _owners(before)
    owners_after = _owners(after)
    work = list(dict.fromkeys([*owners_before, *owners_after]))
    changed = tuple(
        OwnerChange(rid, owners_before.get(rid), owners_after.get(rid))
        for rid in work
        if owners_before.get(rid) != owners_after.get(rid)
    )
    kb, ka = before.get("kpis", {}), after.get("kpis", {})
    kpis = tuple(
        KpiChange(name, _number(kb.get(name)), _number(ka.get(name)))
        for name in KPIS
        if name in kb or name in ka
    )
    return PlanDiff(_label(before), _label(after), added, removed, moved, changed, kpis, kb, ka)


def _owners(plan: Mapping[str, Any]) -> dict[str, str | None]:
    """Responsibility -> its owner (a holder) or None, over owned and uncovered work."""
    held = {str(s["seat"]): holder(s) for s in plan["seats"]}
    owners: dict[str, str | None] = {
        str(a["responsibility"]): held.get(str(a["seat"]), str(a["seat"]))
        for a in plan["assignments"]
    }
    for u in plan["uncovered"]:
        owners.setdefault(str(u["responsibility"]), None)
    return owners


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
