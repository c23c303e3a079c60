"""The plan being searched: who sits where and who owns what, with an undo journal."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from orgplan.heuristics.data import Data

# Our own checks are stricter than the row check, so that a plan kept here always passes it.
FIT = 1e-9


class State:
    """Who sits where and who owns what, with running totals and an undo journal."""

    def __init__(self, data: Data) -> None:
        self.d = data
        self.role: dict[int, str] = {}
        self.owner: list[int | None] = [None] * data.n
        self.work: dict[int, set[int]] = {}
        self.load: dict[int, float] = {}
        self.lines: dict[int, dict[str, int]] = {}
        self.per_role: dict[str, int] = defaultdict(int)
        self.cost = 0.0
        self.cov = 0.0
        self.fitq = 0.0
        self.kept = 0.0
        self.uncovered = data.n
        self.journal: list[tuple[Any, ...]] = []

    @property
    def quality(self) -> float:
        """Fit hours plus the handoffs kept, less every handoff (the quality objective)."""
        return self.fitq + self.kept - self.d.handoff_total

    def copy(self) -> State:
        """An independent copy, with an empty journal."""
        other = State(self.d)
        other.role = dict(self.role)
        other.owner = list(self.owner)
        other.work = {pi: set(w) for pi, w in self.work.items()}
        other.load = dict(self.load)
        other.lines = {pi: dict(g) for pi, g in self.lines.items()}
        other.per_role = defaultdict(int, self.per_role)
        other.cost, other.cov, other.fitq, other.kept = self.cost, self.cov, self.fitq, self.kept
        other.uncovered = self.uncovered
        return other

    # -- primitive changes (no checks: callers check first) --

    def seat(self, pi: int, role: str, log: bool = True) -> None:
        """Seat unseated `pi` as `role`, with no work yet."""
        self.role[pi] = role
        self.work[pi] = set()
        self.load[pi] = 0.0
        self.lines[pi] = {}
        self.per_role[role] += 1
        self.cost += self.d.cost[pi, role]
        if log:
            self.journal.append(("seat", pi))

    def unseat(self, pi: int, log: bool = True) -> None:
        """Drop `pi`'s seat (their work given away first)."""
        role = self.role.pop(pi)
        del self.work[pi], self.load[pi], self.lines[pi]
        self.per_role[role] -= 1
        self.cost -= self.d.cost[pi, role]
        if log:
            self.journal.append(("unseat", pi, role))

    def assign(self, ji: int, pi: int | None, log: bool = True) -> None:
        """Give `ji` to `pi` (None: uncover it)."""
        d = self.d
        old = self.owner[ji]
        if old == pi:
            return
        for other, cost in d.coupled[ji]:
            if other == ji:
                self.kept += (cost if pi is not None else 0.0) - (cost if old is not None else 0.0)
                continue
            partner = self.owner[other]
            if old is not None and partner == old:
                self.kept -= cost
            if pi is not None and partner == pi:
                self.kept += cost
        hours, line = d.hours[ji], d.product[ji]
        if old is None:
            self.cov += d.weight[ji]
            self.uncovered -= 1
        else:
            self.work[old].discard(ji)
            self.load[old] -= hours
            self.fitq -= d.fitq[old, ji]
            if line is not None:
                lines = self.lines[old]
                lines[line] -= 1
                if not lines[line]:
                    del lines[line]
        if pi is None:
            self.cov -= d.weight[ji]
            self.uncovered += 1
        else:
            self.work[pi].add(ji)
            self.load[pi] += hours
            self.fitq += d.fitq[pi, ji]
            if line is not None:
                lines = self.lines[pi]
                lines[line] = lines.get(line, 0) + 1
        self.owner[ji] = pi
        if log:
            self.journal.append(("assign", ji, old))

    def mark(self) -> int:
        """A point of the journal to roll back to."""
        return len(self.journal)

    def rollback(self, mark: int) -> None:
        """Undo every change since `mark`, latest first."""
        while len(self.journal) > mark:
            entry = self.journal.pop()
            if entry[0] == "assign":
                self.assign(entry[1], entry[2], log=False)
            elif entry[0] == "seat":
                self.unseat(entry[1], log=False)
            else:
                self.seat(entry[1], entry[2], log=False)

    def commit(self) -> None:
        """Keep every change so far: forget the journal."""
        self.journal.clear()

    # -- questions --

    def can_take(self, pi: int, ji: int) -> bool:
        """Whether seated `pi` may also own `ji` (not theirs now) within every per-seat rule."""
        d = self.d
        role = self.role.get(pi)
        if role is None:
            return False
        roles = d.own_roles.get((pi, ji))
        if roles is None or role not in roles:
            return False
        if self.load[pi] + d.hours[ji] > d.cap[pi, role] + FIT:
            return False
        breadth = d.breadth.get(role)
        if breadth is not None and len(self.work[pi]) >= breadth:
            return False
        line = d.product[ji]
        lines = self.lines[pi]
        return not (
            d.max_products is not None
            and line is not None
            and line not in lines
            and len(lines) >= d.max_products
        )

    def fits_role(self, pi: int, ji: int) -> bool:
        """Whether `pi` is seated in a role that may own `ji` (the other limits aside)."""
        roles = self.d.own_roles.get((pi, ji))
        return roles is not None and self.role.get(pi) in roles

    def may_seat(self, pi: int, role: str, extra_cost: float = 0.0) -> bool:
        """Whether one more seat `(pi, role)` fits headcount, role caps and budget."""
        d = self.d
        if pi in self.role:
            return False
        if d.headcount is not None and len(self.role) + 1 > d.headcount:
            return False
        cap = d.role_caps.get(role)
        if cap is not None and self.per_role[role] + 1 > cap:
            return False
        return d.budget is None or self.cost + d.cost[pi, role] + extra_cost <= budget_line(
            d.budget
        )

    def within_limits(self, complete: bool = True) -> bool:
        """Team-wide limits: budget, headcount, role caps, fixed roles, and (`complete`)
        coverage when it is required."""
        d = self.d
        if d.budget is not None and self.cost > budget_line(d.budget):
            return False
        if d.headcount is not None and len(self.role) > d.headcount:
            return False
        for role, count in self.per_role.items():
            cap = d.role_caps.get(role)
            if cap is not None and count > cap:
                return False
        if any(self.role.get(pi) != role for pi, role in d.fixed.items()):
            return False
        if not self.keeps_decisions():
            return False
        return not (complete and d.required and self.uncovered)

    def keeps_decisions(self) -> bool:
        """Whether the work the decisions pin has its owner, and each group one owner (or
        none); the seats they fix are checked with the fixed roles."""
        owner = self.owner
        if any(owner[ji] != pi for ji, pi in self.d.pinned.items()):
            return False
        return all(len({owner[ji] for ji in group}) == 1 for group in self.d.groups)

    def delta(self, changes: list[tuple[int, int | None]]) -> float:
        """What giving each responsibility of `changes` to its new owner would add to
        quality (computed, not applied)."""
        d = self.d
        gain = 0.0
        new_owner = dict(changes)
        touched: set[int] = set()
        for ji, pi in changes:
            old = self.owner[ji]
            if pi is not None:
                gain += d.fitq[pi, ji]
            if old is not None:
                gain -= d.fitq[old, ji]
            touched.update(d.coupling_ids[ji])
        for ci in touched:
            x, y, cost = d.couplings[ci]
            before = self.owner[x] is not None and self.owner[x] == self.owner[y]
            ox, oy = new_owner.get(x, self.owner[x]), new_owner.get(y, self.owner[y])
            after = ox is not None and ox == oy
            gain += cost * (after - before)
        return gain

    def swap_fits(self, a: int, j1: int, b: int, j2: int) -> bool:
        """Whether seated `a` (owning j1) and `b` (owning j2) may exchange them, roles aside."""
        d = self.d
        ra, rb = self.role[a], self.role[b]
        h1, h2 = d.hours[j1], d.hours[j2]
        if self.load[a] - h1 + h2 > d.cap[a, ra] + FIT:
            return False
        if self.load[b] - h2 + h1 > d.cap[b, rb] + FIT:
            return False
        limit = d.max_products
        g1, g2 = d.product[j1], d.product[j2]
        if limit is None or g1 == g2:
            return True
        return (
            lines_after(self.lines[a], g1, g2) <= limit
            and lines_after(self.lines[b], g2, g1) <= limit
        )

    def delta_quality(self, ji: int, pi: int) -> float:
        """What giving `ji` (now uncovered) to `pi` adds to quality."""
        d = self.d
        gain = d.fitq[pi, ji]
        for other, cost in d.coupled[ji]:
            if other == ji or self.owner[other] == pi:
                gain += cost
        return gain


def lines_after(lines: dict[str, int], out: str | None, into: str | None) -> int:
    """How many product lines a seat has once it gives up work of `out` and takes `into`."""
    count = len(lines)
    if out is not None and lines.get(out) == 1:
        count -= 1
    if into is not None and (into not in lines or (into == out and lines[into] == 1)):
        count += 1
    return count


def budget_line(budget: float) -> float:
    """The budget with room for floating-point noise (as the row check allows)."""
    return budget + 1e-9 * max(1.0, abs(budget))
