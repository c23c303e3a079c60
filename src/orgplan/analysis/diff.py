"""What changed between two plans: seats added and removed, people who moved, owners that
changed, and the KPIs before and after (`orgplan diff`, `orgplan.diff/1`, and the
`changes` of an explanation's what-if).

It reads plan JSON documents (`orgplan.plan/1`), so that any two plans written by any
run can be compared. A seat is known by its holder: the candidate id, or the seat id for
an open requisition (`TPM-2`), and so is an owner. The open requisitions of a role are
alike: the first of one plan is the first of the other, whatever their numbers, so a plan
with two TPM requisitions against one has one requisition added (the last), and work
that stays with "the TPM requisition" has not changed owner when the seat is renumbered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

DIFF_FORMAT = "orgplan.diff/1"

PlanData = Mapping[str, Any]

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
    name: str  # the person's name, or "Open requisition"

    def to_json(self) -> dict[str, Any]:
        """As the diff JSON writes it."""
        return {
            "holder": self.holder,
            "seat": self.seat,
            "role": self.role,
            "candidate": self.candidate,
        }


@dataclass(frozen=True)
class Move:
    """A person seated in both plans, in another role."""

    candidate: str
    before: str  # the role before
    after: str
    name: str

    def to_json(self) -> dict[str, Any]:
        """As the diff JSON writes it (`from` and `to` are roles)."""
        return {"candidate": self.candidate, "from": self.before, "to": self.after}


@dataclass(frozen=True)
class OwnerChange:
    """Work whose owner changed (None: uncovered)."""

    responsibility: str
    before: str | None
    after: str | None

    def to_json(self) -> dict[str, Any]:
        """As the diff JSON writes it."""
        return {"responsibility": self.responsibility, "from": self.before, "to": self.after}


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
        return {
            "format": DIFF_FORMAT,
            "before": self.before,
            "after": self.after,
            "seats_added": [s.to_json() for s in self.seats_added],
            "seats_removed": [s.to_json() for s in self.seats_removed],
            "moved": [m.to_json() for m in self.moved],
            "owners_changed": [o.to_json() for o in self.owners_changed],
            "kpis": {"before": dict(self.kpis_before), "after": dict(self.kpis_after)},
        }

    def changes(self) -> list[dict[str, Any]]:
        """Every change as one entry with its `change` kind (an explanation's what-if)."""
        return (
            [{"change": "seat_added", **s.to_json()} for s in self.seats_added]
            + [{"change": "seat_removed", **s.to_json()} for s in self.seats_removed]
            + [{"change": "moved", **m.to_json()} for m in self.moved]
            + [{"change": "owner_changed", **o.to_json()} for o in self.owners_changed]
        )


def holder(seat: Mapping[str, Any]) -> str:
    """Who a seat is known by: its candidate, or its own id for an open requisition."""
    candidate = seat.get("candidate")
    return str(candidate) if candidate is not None else str(seat["seat"])


def _label(plan: PlanData) -> str:
    return f"{plan.get('scenario', '?')} ({plan.get('structure', '?')})"


def diff_plans(before: PlanData, after: PlanData) -> PlanDiff:
    """The changes from plan JSON `before` to plan JSON `after`."""
    old, new = list(before["seats"]), list(after["seats"])
    named_old = {s["candidate"]: s for s in old if s.get("candidate") is not None}
    named_new = {s["candidate"]: s for s in new if s.get("candidate") is not None}
    added = [_seat(s) for c, s in named_new.items() if c not in named_old]
    removed = [_seat(s) for c, s in named_old.items() if c not in named_new]
    moved = tuple(
        Move(str(c), str(named_old[c]["role"]), str(s["role"]), _name(s))
        for c, s in named_new.items()
        if c in named_old and named_old[c]["role"] != s["role"]
    )
    alias: dict[str, str] = {}  # a requisition of `after` -> the same one of `before`
    for role in dict.fromkeys(str(s["role"]) for s in old + new):
        reqs_old, reqs_new = _requisitions(old, role), _requisitions(new, role)
        alias.update(
            {str(n["seat"]): str(o["seat"]) for o, n in zip(reqs_old, reqs_new, strict=False)}
        )
        added += [_seat(s) for s in reqs_new[len(reqs_old) :]]
        removed += [_seat(s) for s in reqs_old[len(reqs_new) :]]
    owners_before, owners_after = _owners(before, {}), _owners(after, alias)
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
    return PlanDiff(
        _label(before), _label(after), tuple(added), tuple(removed), moved, changed, kpis, kb, ka
    )


def _name(seat: Mapping[str, Any]) -> str:
    return str(seat.get("name") or seat.get("candidate") or "Open requisition")


def _seat(seat: Mapping[str, Any]) -> SeatChange:
    return SeatChange(
        holder(seat), str(seat["seat"]), str(seat["role"]), seat.get("candidate"), _name(seat)
    )


def _requisitions(seats: Sequence[Mapping[str, Any]], role: str) -> list[Mapping[str, Any]]:
    return [s for s in seats if s.get("candidate") is None and s["role"] == role]


def _owners(plan: PlanData, alias: Mapping[str, str]) -> dict[str, str | None]:
    """Responsibility -> its owner (a holder, a requisition by its `alias`) or None, over
    owned and uncovered work, in the plan's order."""
    held = {str(s["seat"]): holder(s) for s in plan["seats"]}
    owners: dict[str, str | None] = {}
    for a in plan["assignments"]:
        seat = str(a["seat"])
        owner = held.get(seat, seat)
        owners[str(a["responsibility"])] = alias.get(owner, owner)
    for u in plan["uncovered"]:
        owners.setdefault(str(u["responsibility"]), None)
    return owners


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
