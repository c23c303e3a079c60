"""What changed between two plans: seats added and removed, people who moved, owners.

Plans are read as `orgplan.plan/1` data (`Plan.to_json()`, or a plan JSON file), so that
two files written months apart compare as well as two plans in memory. A named person is
matched by candidate id. Open requisitions of a role are alike: a plan with two TPM
requisitions against one has one requisition added, named by its seat id, whatever the
seats' numbers. An owner is named by candidate id, or by seat id for a requisition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

DIFF_FORMAT = "orgplan.diff/1"

PlanData = Mapping[str, Any]


@dataclass(frozen=True)
class SeatChange:
    """A seat one plan has and the other does not."""

    seat: str
    role: str
    candidate: str | None
    name: str

    def to_json(self) -> dict[str, Any]:
        """As the diff JSON writes it."""
        return {"seat": self.seat, "role": self.role, "candidate": self.candidate}


@dataclass(frozen=True)
class Move:
    """A person seated in both plans, in another role."""

    candidate: str
    name: str
    before: str  # the role before
    after: str

    def to_json(self) -> dict[str, Any]:
        """As the diff JSON writes it (`from` and `to` are roles)."""
        return {"candidate": self.candidate, "from": self.before, "to": self.after}


@dataclass(frozen=True)
class OwnerChange:
    """A responsibility whose owner differs (None: nobody owns it)."""

    responsibility: str
    before: str | None
    after: str | None

    def to_json(self) -> dict[str, Any]:
        """As the diff JSON writes it."""
        return {"responsibility": self.responsibility, "from": self.before, "to": self.after}


@dataclass(frozen=True)
class PlanDiff:
    """Everything that differs between two plans, and both plans' KPIs."""

    seats_added: tuple[SeatChange, ...]
    seats_removed: tuple[SeatChange, ...]
    moved: tuple[Move, ...]
    owners_changed: tuple[OwnerChange, ...]
    kpis_before: Mapping[str, Any]
    kpis_after: Mapping[str, Any]

    @property
    def empty(self) -> bool:
        """Whether the two plans have the same seats and owners."""
        return not (self.seats_added or self.seats_removed or self.moved or self.owners_changed)

    def to_json(self) -> dict[str, Any]:
        """The diff as `orgplan.diff/1` data."""
        return {
            "format": DIFF_FORMAT,
            "seats_added": [s.to_json() for s in self.seats_added],
            "seats_removed": [s.to_json() for s in self.seats_removed],
            "moved": [m.to_json() for m in self.moved],
            "owners_changed": [o.to_json() for o in self.owners_changed],
            "kpis": {"before": dict(self.kpis_before), "after": dict(self.kpis_after)},
        }

    def changes(self) -> list[dict[str, Any]]:
        """Every change as one entry with its `change` kind, for an explanation's what-if."""
        return (
            [{"change": "seat_added", **s.to_json()} for s in self.seats_added]
            + [{"change": "seat_removed", **s.to_json()} for s in self.seats_removed]
            + [{"change": "moved", **m.to_json()} for m in self.moved]
            + [{"change": "owner_changed", **o.to_json()} for o in self.owners_changed]
        )


def diff_plans(before: PlanData, after: PlanData) -> PlanDiff:
    """What changed from the plan `before` to the plan `after` (both `orgplan.plan/1`)."""
    old, new = list(before.get("seats", [])), list(after.get("seats", []))
    named_old = {s["candidate"]: s for s in old if s.get("candidate") is not None}
    named_new = {s["candidate"]: s for s in new if s.get("candidate") is not None}
    added = [_seat(s) for c, s in named_new.items() if c not in named_old]
    removed = [_seat(s) for c, s in named_old.items() if c not in named_new]
    moved = [
        Move(c, str(s.get("name", c)), named_old[c]["role"], s["role"])
        for c, s in named_new.items()
        if c in named_old and named_old[c]["role"] != s["role"]
    ]
    for role in dict.fromkeys(s["role"] for s in old + new):
        reqs_old = _requisitions(old, role)
        reqs_new = _requisitions(new, role)
        added += [_seat(s) for s in reqs_new[len(reqs_old) :]]
        removed += [_seat(s) for s in reqs_old[len(reqs_new) :]]
    return PlanDiff(
        seats_added=tuple(added),
        seats_removed=tuple(removed),
        moved=tuple(moved),
        owners_changed=tuple(_owners_changed(before, after)),
        kpis_before=dict(before.get("kpis", {})),
        kpis_after=dict(after.get("kpis", {})),
    )


def _seat(seat: Mapping[str, Any]) -> SeatChange:
    candidate = seat.get("candidate")
    name = seat.get("name") or candidate or "Open requisition"
    return SeatChange(str(seat["seat"]), str(seat["role"]), candidate, str(name))


def _requisitions(seats: Sequence[Mapping[str, Any]], role: str) -> list[Mapping[str, Any]]:
    return [s for s in seats if s.get("candidate") is None and s["role"] == role]


def _owners(plan: PlanData) -> dict[str, str]:
    """Responsibility -> its owner's candidate id, or the seat id of a requisition."""
    return {
        str(a["responsibility"]): str(
            a["candidate"] if a.get("candidate") is not None else a["seat"]
        )
        for a in plan.get("assignments", [])
    }


def _owners_changed(before: PlanData, after: PlanData) -> list[OwnerChange]:
    old, new = _owners(before), _owners(after)
    order = [a["responsibility"] for a in after.get("assignments", [])] + [
        u["responsibility"] for u in after.get("uncovered", [])
    ]
    order += [r for r in old if r not in order]
    return [
        OwnerChange(r, old.get(r), new.get(r))
        for r in dict.fromkeys(order)
        if old.get(r) != new.get(r)
    ]
