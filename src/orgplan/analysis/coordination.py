"""The coordination a plan leaves between its seats: split couplings, by pair of seats."""

from __future__ import annotations

from dataclasses import dataclass

from orgplan.results.plan import Plan

# A weighted graph of a dozen seats needs no graph library: networkx was a tenth of
# `orgplan plan`'s time on a small scenario, all of it import (tests keep it as the oracle).


@dataclass(frozen=True)
class SeatPair:
    """Two seats (in the plan's seat order) with split couplings between them."""

    seats: tuple[str, str]
    cost: float  # the handoff cost summed over `couplings`
    couplings: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Coordination:
    """The seat pairs of a plan, heaviest handoff cost first (then in seat order)."""

    pairs: tuple[SeatPair, ...]
    total: float  # the plan's whole handoff cost, uncovered ends included

    def load(self, seat: str) -> float:
        """The handoff cost `seat` shares with other seats."""
        return sum(p.cost for p in self.pairs if seat in p.seats)

    def partners(self, seat: str) -> int:
        """How many other seats `seat` shares split couplings with."""
        return sum(1 for p in self.pairs if seat in p.seats)

    def share(self, seat: str) -> float:
        """The share of the plan's handoff cost that `seat` takes part in (0 without)."""
        return self.load(seat) / self.total if self.total else 0.0


def coordination(plan: Plan) -> Coordination:
    """The pairs of seats with split couplings between them, and the plan's handoff cost.

    A coupling with an uncovered end is no seat-to-seat load and is left out of the pairs
    (it still counts in `total`).
    """
    order = {s.seat: i for i, s in enumerate(plan.seats)}
    costs: dict[tuple[str, str], float] = {}
    couplings: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for h in plan.handoffs:
        a, b = h.seats
        if a is None or b is None or a == b:
            continue
        key = (a, b) if order[a] <= order[b] else (b, a)
        costs[key] = costs.get(key, 0.0) + h.cost
        couplings.setdefault(key, []).append(h.between)
    ranked = sorted(costs, key=lambda k: (-costs[k], order[k[0]], order[k[1]]))
    return Coordination(
        tuple(SeatPair(k, costs[k], tuple(couplings[k])) for k in ranked),
        sum(h.cost for h in plan.handoffs),
    )
