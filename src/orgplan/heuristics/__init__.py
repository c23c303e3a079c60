"""Plans without the solver: a greedy construction and a local search.

The lexicographic stages (`solving.py`) start HiGHS from these plans (`warm_start`) and
fall back on them when a stage's run ends without a plan of its own (`stand_in`). They work
on a small mutable picture of a plan (who sits in which role, who owns what) and keep every
rule of `model.py` as they go; the plan handed out is then checked row by row against the
PuLP problem itself (`violations`), stage floors included: a plan from here is feasible
for the model as it stands, or it is not handed out at all.

* `greedy_plan(model)`: seats the fixed roles, then one seat at a time, the one whose best
  bundle of uncovered work (highest priority first, within capacity, breadth and product
  focus) covers the most hours x priority for what it uses (per seat, per money, per share
  of budget and headcount: each rule is tried), then a local search on coverage (fit and
  cost break ties). None when no plan meets the hard limits (say coverage is required and
  work is left over).
* `improve(model, values, stage)`: a local search for one stage's objective under the
  floors the problem already holds (rows `keep_coverage`, `keep_quality`). Moves: give a
  responsibility to another seated person (`reassign`); exchange two (`exchange`); move or
  exchange a product line's block of work between two seats (`shift`, which single moves
  cannot do past a full product-focus limit); hand a seat's work to an unseated person,
  cheaper in the cost stage, or to the same person in another role, or spread it over the
  others and drop the seat (`replace`); cover uncovered work by moving one of the
  receiver's to a third person (`eject`); open a seat (`open_seat`); empty one or two seats
  and cover their work again on the others and on new seats, then win back the quality
  lost (`rebuild`). Best move per element, passes until none helps. The cost stage
  descends at a falling price of quality (`_PRICES`), so that the quality floor's slack
  goes first to the moves that save most per unit given up. Large models then get
  iterated local search: seeded random rebuilds of the best plan, each followed by a
  descent (`_kicks`). Everything stops at a time budget; the result is repeatable when
  the search ends before it.
* `violations(model, values)`: every row of the problem (and every bound and integrality)
  that the values break; empty for a feasible plan.
"""

from __future__ import annotations

import contextlib
import heapq
import math
import random
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pulp

from orgplan.model import TeamModel, capacity, seat_cost
from orgplan.results.status import SolveStatus, Termination
from orgplan.solvers import lp

Values = dict[str, float]

STAGES = ("coverage", "quality", "cost")

ROW_TOLERANCE = 1e-6
"""Relative tolerance of `violations` (HiGHS's own feasibility tolerance is 1e-7)."""

# Our own checks are stricter than the row check, so that a plan kept here always passes it.
_FIT = 1e-9

# How many unseated people a seat's replacement (or a new seat) is tried with, best first.
_SHORTLIST = 30

# The cost stage's prices of a unit of quality, in units of a typical seat's cost per hour.
_PRICES = (16.0, 8.0, 4.0, 2.0, 1.0, 0.5, 0.25, 0.0)

_Rank = Callable[[float, float, float], tuple[float, ...]]

# How a rebuild ranks new seats by (coverage they take, fit hours, cost), smallest first,
# in the coverage and quality stages; each rule is tried and the best rebuild kept (none
# wins everywhere: a tight budget wants fit per money, a tight headcount fit per seat).
_REPAIR_RANKS: tuple[_Rank, ...] = (
    lambda gain, fitq, cost: (-gain, -fitq / max(cost, 1.0)),
    lambda gain, fitq, cost: (-gain / max(cost, 1.0), -fitq),
    lambda gain, fitq, cost: (-gain, -fitq, cost),
)

# Iterated local search: how many kicks at most, their seed, and the cost stage's prices
# after a kick; only from this many ownership variables on (a smaller model is proven
# optimal by the solver in less time than the kicks would take).
_KICK_SIZE = 1000
_KICKS = 30
_KICK_SIZES = (4, 5)  # seats rebuilt per kick (measured on the enterprise example: 2-3
# seats rarely leave a local optimum whose way out exchanges four seats for three)
_SEED = 20261127
_KICK_PRICES = (8.0, 2.0, 0.5, 0.0)

# Time the heuristic may take before a stage: a share of what is left, capped. The cost
# stage gets the largest share: there the solver's own search is weakest (benchmarks/).
_SHARE = {"coverage": 0.1, "quality": 0.1, "cost": 0.2}
_CAP = 5.0

# Without a time limit the effort is counted, not timed: this many moves tried (checks of
# the clock) per stage, about 1 s on the enterprise example here (where HiGHS then proves
# coverage and quality in half a second). A timed cap made the
# warm start, and so the choice among equally good plans, depend on the machine's speed
# and load; the same file must give the same plan (issue 3).
_WORK = 50_000


# ---- checking a plan against the problem itself -----------------------------------------


def _rows(prob: Any) -> list[Any]:
    """The problem's constraints in insertion order (PuLP 4 and 3.3.2: `constraints()`;
    an older 3.3: a dict)."""
    rows = prob.constraints
    return list(rows()) if callable(rows) else list(rows.values())


def violations(model: TeamModel, values: Values, tolerance: float = ROW_TOLERANCE) -> list[str]:
    """Every constraint, bound or integrality of `model.prob` that `values` breaks.

    Values are by variable name, a missing variable counting as 0 (as in a warm start).
    Each row is evaluated from its own coefficients and bounds; the tolerance is relative
    to the row's bound (at least 1).
    """
    found: list[str] = []
    seen: dict[str, Any] = {}
    for row in _rows(model.prob):
        total = 0.0
        for var, coef in row.items():
            total += coef * values.get(var.name, 0.0)
            seen[var.name] = var
        low, high = row.getLb(), row.getUb()
        if low is not None and total < low - tolerance * max(1.0, abs(low)):
            found.append(f"{row.name}: {total:.10g} < {low:.10g}")
        if high is not None and total > high + tolerance * max(1.0, abs(high)):
            found.append(f"{row.name}: {total:.10g} > {high:.10g}")
    for name, var in seen.items():
        value = values.get(name, 0.0)
        if var.lowBound is not None and value < var.lowBound - tolerance:
            found.append(f"{name} = {value:g} is below its bound {var.lowBound:g}")
        if var.upBound is not None and value > var.upBound + tolerance:
            found.append(f"{name} = {value:g} is above its bound {var.upBound:g}")
        if var.cat == pulp.LpInteger and abs(value - round(value)) > tolerance:
            found.append(f"{name} = {value:g} is not whole")
    return found


def value_of(expr: Any, values: Values) -> float:
    """The value of an expression (an objective) at `values`."""
    constant = float(getattr(expr, "constant", 0.0) or 0.0)
    return constant + sum(coef * values.get(var.name, 0.0) for var, coef in expr.items())


def _floors(model: TeamModel) -> tuple[float | None, float | None]:
    """The coverage and quality floors the earlier stages left in the problem, if any."""
    coverage = quality = None
    for row in _rows(model.prob):
        if row.name == "keep_coverage":
            coverage = row.getLb()
        elif row.name == "keep_quality":
            low = row.getLb()
            quality = None if low is None else low + model.quality_constant
    return coverage, quality


# ---- the model's data, flattened once -----------------------------------------------------


class _Data:
    """What the search reads of a model, as plain lists and dicts."""

    def __init__(self, model: TeamModel) -> None:
        pool, limits, scenario = model.pool, model.limits, model.scenario
        self.model = model
        resps = pool.resps
        self.n = len(resps)
        self.hours = [r.hours for r in resps]
        self.weight = [r.hours * r.priority for r in resps]
        self.product = [r.product for r in resps]
        self.roles: dict[int, tuple[str, ...]] = {
            pi: tuple(r for r in roles if (pi, r) in model.seat)
            for pi, roles in pool.seat_roles.items()
        }
        self.cost = {(pi, r): seat_cost(model, pi, r) for pi, r in model.seat}
        self.cap = {(pi, r): capacity(scenario, pool.people[pi], r) for pi, r in model.seat}
        self.breadth = {r: limits.breadth.get(r) for r in limits.roles}
        self.role_caps = {r: limits.role_caps.get(r) for r in limits.roles}
        self.headcount = limits.max_headcount
        self.budget = limits.budget
        self.max_products = limits.max_products
        self.required = limits.coverage_required
        self.own_roles: dict[tuple[int, int], frozenset[str]] = {}
        self.fitq: dict[tuple[int, int], float] = {}
        self.owners: list[list[int]] = [[] for _ in resps]
        self.can_own: dict[int, list[int]] = defaultdict(list)
        for pi, ji in model.own:
            self.own_roles[pi, ji] = frozenset(
                r for r in pool.ownable[pi, ji] if (pi, r) in model.seat
            )
            self.fitq[pi, ji] = resps[ji].hours * pool.fit[pi, ji]
            self.owners[ji].append(pi)
            self.can_own[pi].append(ji)
        # each person's work, most valuable first (priority, then hours, then fit)
        self.order: dict[int, list[int]] = {
            pi: sorted(
                owned,
                key=lambda ji, pi=pi: (  # type: ignore[misc]
                    -resps[ji].priority,
                    -resps[ji].hours,
                    -self.fitq[pi, ji],
                    ji,
                ),
            )
            for pi, owned in self.can_own.items()
        }
        index = {r.id: ji for ji, r in enumerate(resps)}
        self.couplings: list[tuple[int, int, float]] = []
        self.coupled: list[list[tuple[int, float]]] = [[] for _ in resps]
        self.coupling_ids: list[list[int]] = [[] for _ in resps]
        for ci, coupling in enumerate(scenario.couplings):
            a, b = (index[x] for x in coupling.between)
            self.couplings.append((a, b, coupling.cost))
            self.coupling_ids[a].append(ci)
            if b != a:
                self.coupling_ids[b].append(ci)
            self.coupled[a].append((b, coupling.cost))
            if b != a:
                self.coupled[b].append((a, coupling.cost))
        self.handoff_total = sum(c for _a, _b, c in self.couplings)
        # a typical seat's cost per hour it can hold: the money one unit of quality is
        # roughly worth (fit hours are what seats are bought for)
        rates = sorted(self.cost[key] / self.cap[key] for key in self.cost if self.cap[key] > 0)
        self.price_scale = rates[len(rates) // 2] if rates else 1.0
        self.fixed: dict[int, str] = {}
        self.impossible = False
        for pi, person in enumerate(pool.people):
            if person.fixed_role is not None:
                if (pi, person.fixed_role) in model.seat:
                    self.fixed[pi] = person.fixed_role
                else:
                    self.impossible = True
        # identical open requisitions of a role, in the order the model ranks them
        self.chains: dict[str, list[int]] = defaultdict(list)
        for pi, person in enumerate(pool.people):
            if person.open_req and pi in pool.seat_roles:
                self.chains[person.roles[0]].append(pi)
        self.twin_of: dict[int, int] = {}  # an open requisition -> the first of its chain
        self.chain_of: dict[int, list[int]] = {}
        for chain in self.chains.values():
            for pi in chain:
                self.twin_of[pi] = chain[0]
                self.chain_of[pi] = chain
        # product lines behind the focus variables (as products_per_seat names them)
        self.focus_lines: dict[int, list[str]] = {}
        if self.max_products is not None:
            for pi, owned in self.can_own.items():
                lines = sorted({self.product[ji] for ji in owned} - {None}, key=str)
                if len(lines) > self.max_products:
                    self.focus_lines[pi] = [str(g) for g in lines]


# ---- a plan being built ---------------------------------------------------------------------


class _State:
    """Who sits where and who owns what, with running totals and an undo journal."""

    def __init__(self, data: _Data) -> None:
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
        return self.fitq + self.kept - self.d.handoff_total

    def copy(self) -> _State:
        other = _State(self.d)
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
        self.role[pi] = role
        self.work[pi] = set()
        self.load[pi] = 0.0
        self.lines[pi] = {}
        self.per_role[role] += 1
        self.cost += self.d.cost[pi, role]
        if log:
            self.journal.append(("seat", pi))

    def unseat(self, pi: int, log: bool = True) -> None:
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
        return len(self.journal)

    def rollback(self, mark: int) -> None:
        while len(self.journal) > mark:
            entry = self.journal.pop()
            if entry[0] == "assign":
                self.assign(entry[1], entry[2], log=False)
            elif entry[0] == "seat":
                self.unseat(entry[1], log=False)
            else:
                self.seat(entry[1], entry[2], log=False)

    def commit(self) -> None:
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
        if self.load[pi] + d.hours[ji] > d.cap[pi, role] + _FIT:
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
        return d.budget is None or self.cost + d.cost[pi, role] + extra_cost <= _budget_line(
            d.budget
        )

    def within_limits(self, complete: bool = True) -> bool:
        """Team-wide limits: budget, headcount, role caps, fixed roles, and (`complete`)
        coverage when it is required."""
        d = self.d
        if d.budget is not None and self.cost > _budget_line(d.budget):
            return False
        if d.headcount is not None and len(self.role) > d.headcount:
            return False
        for role, count in self.per_role.items():
            cap = d.role_caps.get(role)
            if cap is not None and count > cap:
                return False
        if any(self.role.get(pi) != role for pi, role in d.fixed.items()):
            return False
        return not (complete and d.required and self.uncovered)

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
        if self.load[a] - h1 + h2 > d.cap[a, ra] + _FIT:
            return False
        if self.load[b] - h2 + h1 > d.cap[b, rb] + _FIT:
            return False
        limit = d.max_products
        g1, g2 = d.product[j1], d.product[j2]
        if limit is None or g1 == g2:
            return True
        return (
            _lines_after(self.lines[a], g1, g2) <= limit
            and _lines_after(self.lines[b], g2, g1) <= limit
        )

    def delta_quality(self, ji: int, pi: int) -> float:
        """What giving `ji` (now uncovered) to `pi` adds to quality."""
        d = self.d
        gain = d.fitq[pi, ji]
        for other, cost in d.coupled[ji]:
            if other == ji or self.owner[other] == pi:
                gain += cost
        return gain


def _lines_after(lines: dict[str, int], out: str | None, into: str | None) -> int:
    """How many product lines a seat has once it gives up work of `out` and takes `into`."""
    count = len(lines)
    if out is not None and lines.get(out) == 1:
        count -= 1
    if into is not None and (into not in lines or (into == out and lines[into] == 1)):
        count += 1
    return count


def _budget_line(budget: float) -> float:
    return budget + 1e-9 * max(1.0, abs(budget))


# ---- objectives of a stage --------------------------------------------------------------


class _Goal:
    """A stage's objective as a key to maximise, and the floors it must keep."""

    def __init__(
        self,
        stage: str,
        coverage_floor: float | None,
        quality_floor: float | None,
        complete: bool = True,
    ) -> None:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}: expected one of {', '.join(STAGES)}")
        self.stage = stage
        self.coverage_floor = coverage_floor
        self.quality_floor = quality_floor
        self.complete = complete  # False: `coverage: required` may be unmet for now
        self.price = 0.0  # cost stage: what one unit of quality is worth, in money

    def key(self, st: _State) -> tuple[float, ...]:
        if self.stage == "coverage":
            return (st.cov, st.quality, -st.cost)
        if self.stage == "quality":
            return (st.quality, -st.cost)
        if self.price:
            return (self.price * st.quality - st.cost, -st.cost)
        return (-st.cost, st.quality)

    def ok(self, st: _State) -> bool:
        if self.coverage_floor is not None and st.cov < self.coverage_floor:
            return False
        if self.quality_floor is not None and st.quality < self.quality_floor:
            return False
        return st.within_limits(self.complete)


def _better(new: tuple[float, ...], old: tuple[float, ...]) -> bool:
    """Lexicographically larger, ignoring floating-point noise."""
    for a, b in zip(new, old, strict=True):
        tol = 1e-9 * max(1.0, abs(b))
        if a > b + tol:
            return True
        if a < b - tol:
            return False
    return False


# ---- from values to a state and back -----------------------------------------------------


def _from_values(data: _Data, values: Values) -> _State:
    model = data.model
    st = _State(data)
    for (pi, role), var in model.seat.items():
        if values.get(var.name, 0.0) > 0.5 and pi not in st.role:
            st.seat(pi, role, log=False)
    for (pi, ji), var in model.own.items():
        if (
            values.get(var.name, 0.0) > 0.5
            and st.owner[ji] is None
            and st.role.get(pi) in data.own_roles[pi, ji]
        ):
            st.assign(ji, pi, log=False)
    return st


def _canonical(st: _State) -> _State:
    """Open requisitions of a role in the model's order: seated first, busiest first."""
    d = st.d
    out = st.copy()
    for role, chain in d.chains.items():
        bundles = [
            (st.role.get(pi) == role, st.load.get(pi, 0.0), sorted(st.work.get(pi, ())), pi)
            for pi in chain
        ]
        ranked = sorted(bundles, key=lambda b: (not b[0], -b[1], b[3]))
        for pi in chain:
            for ji in list(out.work.get(pi, ())):
                out.assign(ji, None, log=False)
            if pi in out.role:
                out.unseat(pi, log=False)
        for pi, (seated, _load, work, _old) in zip(chain, ranked, strict=True):
            if seated:
                out.seat(pi, role, log=False)
                for ji in work:
                    out.assign(ji, pi, log=False)
    return out


def _to_values(st: _State) -> Values:
    d = st.d
    model = d.model
    values: Values = {}
    for (pi, role), var in model.seat.items():
        values[var.name] = 1.0 if st.role.get(pi) == role else 0.0
    for (pi, ji), var in model.own.items():
        values[var.name] = 1.0 if st.owner[ji] == pi else 0.0
    for (pi, ci), var in model.keep.items():
        a, b, _cost = d.couplings[ci]
        values[var.name] = 1.0 if st.owner[a] == pi and st.owner[b] == pi else 0.0
    for pi, lines in d.focus_lines.items():
        held = st.lines.get(pi, {})
        for k, line in enumerate(lines):
            values[f"focus_{pi}_{k}"] = 1.0 if line in held else 0.0
    for ji, var in model.covered.items():
        values[var.name] = 0.0 if st.owner[ji] is None else 1.0
    for ci, var in model.kept.items():
        a, b, _cost = d.couplings[ci]
        values[var.name] = 1.0 if st.owner[a] is not None and st.owner[a] == st.owner[b] else 0.0
    for ji, var in model.fit_hours.items():
        owner = st.owner[ji]
        values[var.name] = 0.0 if owner is None else d.fitq[owner, ji]
    return values


def _checked(st: _State) -> Values | None:
    """The state's values when every row of the problem holds, else None."""
    values = _to_values(_canonical(st))
    return None if violations(st.d.model, values) else values


# ---- moves ------------------------------------------------------------------------------


class _Search:
    """Local search on one state towards one goal, until its clock runs out."""

    def __init__(
        self,
        st: _State,
        goal: _Goal,
        clock: _Clock,
        passes: tuple[str, ...] | None = None,
        nested: bool = False,
        focus: set[int] | None = None,
    ) -> None:
        self.st = st
        self.goal = goal
        self.clock = clock
        d = st.d
        self.people = sorted(d.roles)
        self.moves = 0
        if passes is None:
            passes = ("reassign", "exchange", "shift", "replace")
            passes += ("rebuild",) if goal.stage == "cost" else ("eject", "open_seat", "rebuild")
        self.passes: list[Callable[[], bool]] = [getattr(self, name) for name in passes]
        self.nested = nested  # inside another search's move: never commit its journal
        self.focus = focus  # only moves that involve these seats (a rebuild's new ones)

    def out_of_time(self) -> bool:
        return self.clock.over()

    def run(self) -> None:
        while not self.out_of_time():
            changed = False
            for move in self.passes:
                if move():
                    changed = True
                if not self.nested:
                    self.st.commit()
                if self.out_of_time():
                    return
            if not changed:
                return

    def _best_of(self, tries: Iterable[Callable[[], None]]) -> bool:
        """Try each change (each from the current state); keep the best if it improves."""
        st, goal = self.st, self.goal
        current = goal.key(st)
        best: tuple[float, ...] | None = None
        chosen: Callable[[], None] | None = None
        for attempt in tries:
            mark = st.mark()
            attempt()
            if goal.ok(st):
                key = goal.key(st)
                if _better(key, current if best is None else best):
                    best, chosen = key, attempt
            st.rollback(mark)
        if chosen is None:
            return False
        mark = st.mark()
        chosen()
        if not (goal.ok(st) and _better(goal.key(st), current)):
            # a move with a search inside can come out otherwise once the clock has run out
            st.rollback(mark)
            return False
        self.moves += 1
        return True

    # give one responsibility to another seated person (or cover it)
    def reassign(self) -> bool:
        # Same seats, same cost, every limit kept by can_take: a move is better for every
        # stage iff quality rises, or (coverage stage) it covers work left uncovered.
        st, d = self.st, self.st.d
        changed = False
        for ji in self._work():
            if self.out_of_time():
                break
            here = st.owner[ji]
            if here is None and self.goal.stage == "coverage" and d.weight[ji] > 0:
                floor = -math.inf
            else:
                floor = 1e-9 * max(1.0, abs(st.quality))
            best, gain = None, floor
            for b in sorted(st.role):
                if b != here and st.can_take(b, ji):
                    found = st.delta([(ji, b)])
                    if found > gain:
                        best, gain = b, found
            if best is not None:
                st.assign(ji, best)
                self.moves += 1
                changed = True
        return changed

    def _work(self) -> list[int]:
        """The responsibilities a pass looks at: all, or (`focus`) those of the focus seats
        and those uncovered."""
        st = self.st
        if self.focus is None:
            return list(range(st.d.n))
        near = {ji for pi in self.focus for ji in st.d.can_own.get(pi, ())}
        return [
            ji
            for ji in range(st.d.n)
            if ji in near or st.owner[ji] is None or st.owner[ji] in self.focus
        ]

    # exchange two responsibilities between their owners (or one for an uncovered one)
    def exchange(self) -> bool:
        st, d = self.st, self.st.d
        changed = False
        for j1 in self._work():
            if self.out_of_time():
                break
            a = st.owner[j1]
            if a is None:
                continue
            tries = []
            best: tuple[int, int] | None = None
            gain = 1e-9 * max(1.0, abs(st.quality))
            for j2 in range(d.n):
                b = st.owner[j2]
                if j2 == j1 or b == a:
                    continue
                if b is None:
                    if d.weight[j2] >= d.weight[j1] and self._fits_role(a, j2):
                        tries.append(self._swap(j1, a, j2, b))
                    continue
                if not (
                    self._fits_role(b, j1) and self._fits_role(a, j2) and st.swap_fits(a, j1, b, j2)
                ):
                    continue
                # same cost, same coverage, within every limit: better iff quality rises
                found = st.delta([(j1, b), (j2, a)])
                if found > gain:
                    best, gain = (j2, b), found
            if best is not None:
                j2, b = best
                st.assign(j1, None)
                st.assign(j2, a)
                st.assign(j1, b)
                self.moves += 1
                changed = True
            elif tries and self._best_of(tries):
                changed = True
        return changed

    def _fits_role(self, pi: int, ji: int) -> bool:
        roles = self.st.d.own_roles.get((pi, ji))
        return roles is not None and self.st.role.get(pi) in roles

    def _swap(self, j1: int, a: int, j2: int, b: int | None) -> Callable[[], None]:
        def go() -> None:
            st = self.st
            st.assign(j1, None)
            st.assign(j2, None)
            if st.can_take(a, j2):
                st.assign(j2, a)
                if b is not None and st.can_take(b, j1):
                    st.assign(j1, b)

        return go

    # move one product line's work of a seat to another seat, or exchange two such blocks
    # (one responsibility at a time cannot cross a full product-focus limit)
    def shift(self) -> bool:
        st, d = self.st, self.st.d
        if d.max_products is None:
            return False
        changed = False
        for a in sorted(st.role if self.focus is None else self.focus):
            if self.out_of_time():
                break
            if a not in st.role:
                continue
            tries: list[Callable[[], None]] = []
            for block in self._blocks(a):
                for b in sorted(st.role):
                    if b == a or not all(self._fits_role(b, ji) for ji in block):
                        continue
                    tries.append(self._move_blocks(block, a, [], b))
                    for other in self._blocks(b):
                        if all(self._fits_role(a, ji) for ji in other):
                            tries.append(self._move_blocks(block, a, other, b))
            if tries and self._best_of(tries):
                changed = True
        return changed

    def _blocks(self, pi: int) -> list[list[int]]:
        by_line: dict[str, list[int]] = defaultdict(list)
        for ji in sorted(self.st.work[pi]):
            line = self.st.d.product[ji]
            if line is not None:
                by_line[line].append(ji)
        return [by_line[line] for line in sorted(by_line)]

    def _move_blocks(
        self, block: list[int], a: int, other: list[int], b: int
    ) -> Callable[[], None]:
        def go() -> None:
            st = self.st
            for ji in block + other:
                st.assign(ji, None)
            for ji in block:
                if st.can_take(b, ji):
                    st.assign(ji, b)
            for ji in other:
                if st.can_take(a, ji):
                    st.assign(ji, a)

        return go

    # cover an uncovered responsibility by moving one of the receiver's to a third person
    def eject(self) -> bool:
        st, d = self.st, self.st.d
        changed = False
        for j2 in sorted(range(d.n), key=lambda j: -d.weight[j]):
            if self.out_of_time():
                break
            if st.owner[j2] is not None:
                continue
            tries = []
            seated = sorted(st.role)
            for a in seated:
                if not self._fits_role(a, j2):
                    continue
                for j1 in sorted(st.work[a]):
                    for c in seated:
                        if c != a and self._fits_role(c, j1):
                            tries.append(self._eject(j2, a, j1, c))
            if tries and self._best_of(tries):
                changed = True
        return changed

    def _eject(self, j2: int, a: int, j1: int, c: int) -> Callable[[], None]:
        def go() -> None:
            st = self.st
            if st.can_take(c, j1):
                st.assign(j1, c)
                if st.can_take(a, j2):
                    st.assign(j2, a)

        return go

    # hand a seat's work to someone else (or spread it and drop the seat)
    def replace(self) -> bool:
        st, d = self.st, self.st.d
        changed = False
        for p in sorted(st.role, key=lambda pi: (-d.cost[pi, st.role[pi]], pi)):
            if self.out_of_time():
                break
            if p not in st.role or p in d.fixed:
                continue
            if self._best_of(self._replacements(p)):
                changed = True
        return changed

    def _replacements(self, p: int) -> list[Callable[[], None]]:
        st, d, stage = self.st, self.st.d, self.goal.stage
        role = st.role[p]
        bundle = st.work[p]
        own_cost = d.cost[p, role]
        tries: list[Callable[[], None]] = [self._hand_over(p, None, None)]
        tries += [self._hand_over(p, p, r) for r in d.roles[p] if r != role]
        ranked: list[tuple[tuple[float, ...], int, str]] = []
        twins: set[int] = set()
        for q in self.people:
            if q in st.role or q in d.fixed:
                continue
            twin = d.twin_of.get(q)
            if twin is not None:
                if twin in twins:
                    continue
                twins.add(twin)
            for rq in d.roles[q]:
                cost = d.cost[q, rq]
                if stage == "cost" and cost > own_cost and not self.goal.price:
                    continue
                takes = [ji for ji in bundle if rq in d.own_roles.get((q, ji), ())]
                fitq = sum(d.fitq[q, ji] for ji in takes)
                if stage == "coverage":
                    gain = sum(
                        d.weight[ji]
                        for ji in d.can_own[q]
                        if st.owner[ji] is None and rq in d.own_roles[q, ji]
                    )
                    rank: tuple[float, ...] = (-len(takes), -gain, -fitq, cost)
                elif stage == "quality":
                    rank = (-fitq, cost)
                else:
                    if not takes:
                        continue
                    # money saved less what the fit it gives up is worth
                    price = self.goal.price or d.price_scale
                    lost = sum(d.fitq[p, ji] for ji in takes) - fitq
                    rank = (cost + price * lost, -len(takes), cost)
                ranked.append((rank, q, rq))
        ranked.sort()
        tries += [self._hand_over(p, q, rq) for _rank, q, rq in ranked[:_SHORTLIST]]
        return tries

    def _hand_over(self, p: int, q: int | None, rq: str | None) -> Callable[[], None]:
        def go() -> None:
            st = self.st
            bundle = sorted(st.work[p], key=lambda j: (-st.d.hours[j], j))
            for ji in bundle:
                st.assign(ji, None)
            st.unseat(p)
            if q is not None and rq is not None:
                st.seat(q, rq)
            seated = sorted(st.role, key=lambda pi: (pi != q, pi))
            for ji in bundle:
                _place(st, ji, seated)
            if q is not None:
                _fill(st, q)

        return go

    # empty one or two seats and cover their work again: on the seats left, then on new
    # seats chosen by cost per covered hours x priority; then win back the quality lost
    def rebuild(self) -> bool:
        st, d, goal = self.st, self.st.d, self.goal
        seated = sorted(
            (p for p in st.role if p not in d.fixed), key=lambda p: (-d.cost[p, st.role[p]], p)
        )
        emptied: list[tuple[int, ...]] = [(p,) for p in seated]
        emptied += [(p, q) for i, p in enumerate(seated) for q in seated[i + 1 :]]
        changed = False
        for group in emptied:
            if self.out_of_time():
                break
            if any(p not in st.role for p in group):
                continue  # an earlier rebuild of this pass moved them
            ranks = [None] if goal.stage == "cost" else _REPAIR_RANKS
            if self._best_of([self._rebuilding(group, rank) for rank in ranks]):
                changed = True
        return changed

    def _rebuilding(self, group: tuple[int, ...], rank: _Rank | None) -> Callable[[], None]:
        return lambda: self._rebuild(group, rank)

    def _rebuild(
        self, group: tuple[int, ...], repair_rank: _Rank | None, kick: bool = False
    ) -> None:
        st, d, goal = self.st, self.st.d, self.goal
        cost_before = st.cost
        freed: list[int] = []
        for p in group:
            for ji in sorted(st.work[p]):
                st.assign(ji, None)
                freed.append(ji)
            st.unseat(p)
        freed.sort(key=lambda j: (-d.weight[j], -d.hours[j], j))
        seated = sorted(st.role)
        for ji in freed:
            _place(st, ji, seated)
        price = goal.price or d.price_scale
        while True:
            left = [ji for ji in freed if st.owner[ji] is None]
            if not left:
                break
            best: tuple[tuple[float, ...], int, str, list[int]] | None = None
            for q in sorted({q for ji in left for q in d.owners[ji]}):
                if q in st.role:
                    continue
                chain = d.chain_of.get(q)
                if chain is not None and q != _first_free(st, chain):
                    continue  # identical open requisitions: the first free one stands for all
                for rq in d.roles[q]:
                    if not st.may_seat(q, rq):
                        continue
                    gain, fitq, work = _bundle_among(st, q, rq, left)
                    if gain <= 0:
                        continue
                    cost = d.cost[q, rq]
                    if repair_rank is None:  # the cost stage: money per coverage, fit priced
                        hours = sum(d.hours[ji] for ji in work)
                        rank: tuple[float, ...] = ((cost + price * (hours - fitq)) / gain, cost)
                    else:
                        rank = repair_rank(gain, fitq, cost)
                    if best is None or rank < best[0]:
                        best = (rank, q, rq, work)
            if best is None:
                break
            _rank, q, rq, work = best
            st.seat(q, rq)
            for ji in work:
                st.assign(ji, q)
        if goal.stage == "cost" and not kick:
            if st.cost >= cost_before:
                return  # nothing to gain: the caller rolls back
            if goal.quality_floor is None or st.quality >= goal.quality_floor:
                return
        # win back quality (and coverage) with the cheap moves, floors aside for now
        mend = _Goal("coverage" if goal.stage == "coverage" else "quality", None, None, False)
        touched = {st.owner[ji] for ji in freed} - {None}
        _Search(
            st,
            mend,
            self.clock,
            ("reassign", "exchange", "shift"),
            nested=True,
            focus={pi for pi in touched if pi is not None},
        ).run()

    # seat someone new and give them uncovered work, or work they do better
    def open_seat(self) -> bool:
        st, d, stage = self.st, self.st.d, self.goal.stage
        ranked: list[tuple[tuple[float, ...], int, str]] = []
        twins: set[int] = set()
        for q in self.people:
            if q in st.role:
                continue
            twin = d.twin_of.get(q)
            if twin is not None:
                if twin in twins:
                    continue
                twins.add(twin)
            for rq in d.roles[q]:
                if not st.may_seat(q, rq):
                    continue
                cover = better = 0.0
                for ji in d.can_own[q]:
                    if rq not in d.own_roles[q, ji]:
                        continue
                    owner = st.owner[ji]
                    if owner is None:
                        cover += d.weight[ji]
                        better += d.fitq[q, ji]
                    else:
                        better += max(0.0, d.fitq[q, ji] - d.fitq[owner, ji])
                if stage == "coverage" and cover <= 0:
                    continue
                if better <= 0 and cover <= 0:
                    continue
                rank = (-cover, -better) if stage == "coverage" else (-better, -cover)
                ranked.append(((*rank, d.cost[q, rq]), q, rq))
        ranked.sort()
        return self._best_of(self._open(q, rq) for _rank, q, rq in ranked[:_SHORTLIST])

    def _open(self, q: int, rq: str) -> Callable[[], None]:
        def go() -> None:
            st, d = self.st, self.st.d
            st.seat(q, rq)
            _fill(st, q)
            if self.goal.stage == "coverage":
                return
            gains = sorted(
                (
                    -(d.fitq[q, ji] - d.fitq[owner, ji]),
                    ji,
                )
                for ji in d.can_own[q]
                if (owner := st.owner[ji]) is not None and d.fitq[q, ji] > d.fitq[owner, ji]
            )
            for _gain, ji in gains:
                if st.can_take(q, ji):
                    before = st.quality
                    mark = st.mark()
                    st.assign(ji, q)
                    if st.quality <= before:
                        st.rollback(mark)

        return go


def _place(st: _State, ji: int, seated: list[int]) -> bool:
    """Give uncovered `ji` to the seated person who adds most quality; False if nobody can."""
    best, gain = None, 0.0
    for pi in seated:
        if st.can_take(pi, ji):
            g = st.delta_quality(ji, pi)
            if best is None or g > gain + 1e-12:
                best, gain = pi, g
    if best is None:
        return False
    st.assign(ji, best)
    return True


def _first_free(st: _State, chain: list[int]) -> int | None:
    """The first unseated open requisition of a chain of identical ones."""
    return next((pi for pi in chain if pi not in st.role), None)


def _bundle_among(
    st: _State, pi: int, role: str, items: list[int]
) -> tuple[float, float, list[int]]:
    """Like `_bundle`, over `items` only (uncovered, most valuable first)."""
    d = st.d
    cap, breadth, limit = d.cap[pi, role], d.breadth.get(role), d.max_products
    load = 0.0
    lines: set[str] = set()
    chosen: list[int] = []
    gain = fitq = 0.0
    for ji in items:
        if breadth is not None and len(chosen) >= breadth:
            break
        roles = d.own_roles.get((pi, ji))
        if roles is None or role not in roles or load + d.hours[ji] > cap + _FIT:
            continue
        line = d.product[ji]
        if limit is not None and line is not None and line not in lines:
            if len(lines) >= limit:
                continue
            lines.add(line)
        chosen.append(ji)
        load += d.hours[ji]
        gain += d.weight[ji]
        fitq += d.fitq[pi, ji]
    return gain, fitq, chosen


def _fill(st: _State, pi: int) -> None:
    """Give seated `pi` the uncovered work they can take, most valuable first."""
    for ji in st.d.order.get(pi, ()):
        if st.owner[ji] is None and st.can_take(pi, ji):
            st.assign(ji, pi)


# ---- the greedy construction --------------------------------------------------------------


def _bundle(st: _State, pi: int, role: str) -> tuple[float, float, list[int]]:
    """The uncovered work a new seat (pi, role) would take, most valuable first: its
    coverage, its fit hours, and the responsibilities."""
    uncovered = [ji for ji in st.d.order.get(pi, ()) if st.owner[ji] is None]
    return _bundle_among(st, pi, role, uncovered)


_Score = Callable[[float, float, float], float]


def _rules(data: _Data) -> list[_Score]:
    """Ways to rank a new seat by (coverage gained, fit hours, cost): the larger the better."""
    seats = data.headcount
    budget = data.budget

    def per_share(gain: float, _fitq: float, cost: float) -> float:
        share = max(
            1.0 / seats if seats else 0.0,
            cost / budget if budget else 0.0,
        )
        return gain / share if share > 0 else gain

    return [
        lambda gain, _fitq, _cost: gain,
        lambda gain, _fitq, cost: gain / max(cost, 1.0),
        per_share,
        lambda gain, fitq, cost: (gain + fitq) / max(cost, 1.0),
    ]


def _construct(data: _Data, score: _Score) -> _State | None:
    st = _State(data)
    for pi, role in sorted(data.fixed.items()):
        st.seat(pi, role, log=False)
    if not st.within_limits(complete=False):
        return None
    # what the fixed seats can hold, most valuable work first
    fixed_seated = sorted(st.role)
    for ji in sorted(range(data.n), key=lambda j: (-data.weight[j], j)):
        _place(st, ji, fixed_seated)
    # then one new seat at a time: lazy greedy (a seat's gain only shrinks as work is covered)
    heap: list[tuple[float, float, float, int, str]] = []
    for pi in sorted(data.roles):
        if pi in st.role:
            continue
        if data.twin_of.get(pi, pi) != pi:
            continue  # identical open requisitions: the chain's first stands for all
        for role in data.roles[pi]:
            gain, fitq, _work = _bundle(st, pi, role)
            if gain > 0:
                cost = data.cost[pi, role]
                heap.append((-score(gain, fitq, cost), -fitq, cost, pi, role))
    heapq.heapify(heap)
    while heap:
        _neg, _f, cost, pi, role = heapq.heappop(heap)
        if pi in st.role:
            twin = data.twin_of.get(pi)
            if twin is None:
                continue
            free = [q for q in data.chains[role] if q not in st.role]
            if not free:
                continue
            pi = free[0]
        gain, fitq, work = _bundle(st, pi, role)
        if gain <= 0 or not st.may_seat(pi, role):
            continue  # limits only tighten and gains only shrink: never again
        entry = (-score(gain, fitq, cost), -fitq, cost, pi, role)
        if heap and entry > heap[0]:
            heapq.heappush(heap, entry)
            continue
        st.seat(pi, role, log=False)
        for ji in work:
            st.assign(ji, pi, log=False)
        if pi in data.twin_of:
            # another requisition of the chain may be worth a seat too
            gain, fitq, _work = _bundle(st, pi, role)
            if gain > 0:
                heapq.heappush(heap, (-score(gain, fitq, cost), -fitq, cost, pi, role))
    return st


class _Clock:
    """A budget in seconds, or in moves tried when `budget` is None (`_WORK`), that
    Ctrl-C can also end (see `warm_start`)."""

    def __init__(self, budget: float | None) -> None:
        self.deadline = None if budget is None else time.perf_counter() + max(0.0, budget)
        self.moves_left = _WORK
        self.stopped = False

    def over(self) -> bool:
        if self.stopped:
            return True
        if self.deadline is None:
            self.moves_left -= 1
            return self.moves_left < 0
        return time.perf_counter() > self.deadline


def greedy_plan(model: TeamModel, time_budget: float | None = None) -> Values | None:
    """A plan feasible for every constraint of `model`, built greedily for coverage then
    fit then cost (and polished by a short local search on coverage); None when none was
    found (say coverage is required and the greedy leaves work over). `time_budget`
    None: a budget of `_WORK` moves instead of seconds."""
    return _greedy(model, _Clock(time_budget))


def _greedy(model: TeamModel, clock: _Clock) -> Values | None:
    data = _Data(model)
    if data.impossible:
        return None
    coverage_floor, quality_floor = _floors(model)
    goal = _Goal("coverage", coverage_floor, quality_floor)
    relaxed = _Goal("coverage", coverage_floor, quality_floor, complete=False)
    best: _State | None = None
    quick = ("reassign", "exchange", "shift", "eject", "open_seat")
    for score in _rules(data):
        st = _construct(data, score)
        if st is None:
            continue
        if data.required and st.uncovered:
            _Search(st, relaxed, clock, quick).run()  # cover the rest, then require it
        if goal.ok(st):
            _Search(st, goal, clock, quick).run()
            if best is None or _better(goal.key(st), goal.key(best)):
                best = st
        if clock.over() and best is not None:
            break
    if best is None:
        return None
    _Search(best, goal, clock).run()  # the whole neighbourhood, on the best start only
    return _checked(best)


def improve(
    model: TeamModel,
    values: Values,
    stage: str,
    time_budget: float | None = None,
    coverage_floor: float | None = None,
    quality_floor: float | None = None,
) -> Values | None:
    """A plan at least as good as `values` for `stage` ('coverage', 'quality' or 'cost'),
    keeping the floors of the earlier stages (read from the problem's `keep_coverage` and
    `keep_quality` rows unless given). None when `values` does not meet the rules (then
    there is nothing safe to improve on), else a plan that passes `violations`.
    `time_budget` None: a budget of `_WORK` moves instead of seconds."""
    return _improve(model, values, stage, _Clock(time_budget), coverage_floor, quality_floor)


def _improve(
    model: TeamModel,
    values: Values,
    stage: str,
    clock: _Clock,
    coverage_floor: float | None = None,
    quality_floor: float | None = None,
) -> Values | None:
    data = _Data(model)
    found_coverage, found_quality = _floors(model)
    goal = _Goal(
        stage,
        found_coverage if coverage_floor is None else coverage_floor,
        found_quality if quality_floor is None else quality_floor,
    )
    st = _from_values(data, values)
    if not goal.ok(st):
        return None
    _descend(st, goal, clock, _PRICES)
    if len(model.own) >= _KICK_SIZE:
        st = _kicks(st, goal, clock)
    return _checked(st)


def _descend(st: _State, goal: _Goal, clock: _Clock, prices: tuple[float, ...]) -> None:
    """Local search to a local optimum; in the cost stage at a falling price of quality, so
    that the slack the quality floor leaves goes first to the moves that save most per
    unit of quality given up."""
    if goal.stage == "cost":
        for factor in prices:
            goal.price = factor * st.d.price_scale
            _Search(st, goal, clock).run()
        goal.price = 0.0
    else:
        _Search(st, goal, clock).run()
    st.commit()


def _kicks(st: _State, goal: _Goal, clock: _Clock) -> _State:
    """Iterated local search: rebuild a few seats of the best plan at random (a seeded,
    so repeatable, choice), descend again, keep the result when it is better."""
    rng = random.Random(_SEED)
    best = st
    ranks: list[_Rank | None] = [*_REPAIR_RANKS]
    if goal.stage == "cost":
        ranks.append(None)
    for _round in range(_KICKS):
        if clock.over():
            break
        trial = best.copy()
        movable = sorted(p for p in trial.role if p not in trial.d.fixed)
        if len(movable) < 2:
            break
        search = _Search(trial, goal, clock)
        kicked = False
        for _attempt in range(5):
            group = tuple(rng.sample(movable, min(len(movable), rng.choice(_KICK_SIZES))))
            mark = trial.mark()
            search._rebuild(group, rng.choice(ranks), kick=True)
            if goal.ok(trial):
                kicked = True
                break
            trial.rollback(mark)
        if not kicked:
            continue
        trial.commit()
        _descend(trial, goal, clock, _KICK_PRICES)
        if _better(goal.key(trial), goal.key(best)):
            best = trial
    return best


# ---- the hook into the lexicographic stages ---------------------------------------------


@dataclass(frozen=True)
class Start:
    """What the heuristic hands a stage: a plan to start from (None: none better than the
    previous stage's), and whether Ctrl-C stopped it (then the stage should stop too)."""

    values: Values | None
    interrupted: bool = False
    seconds: float = 0.0

    def stopped(self) -> lp.SolveOutcome:
        """The outcome of a stage that Ctrl-C ended before the solver ran."""
        return lp.SolveOutcome(
            SolveStatus.NO_PLAN, None, None, None, self.seconds, Termination.INTERRUPTED
        )


def warm_start(
    model: TeamModel,
    stage: str,
    values: Values | None,
    time_limit: float | None,
    started: float,
) -> Start:
    """A plan to start stage `stage` from: the greedy plan before the first stage, else
    `values` (the previous stage's plan) improved for this stage. Takes a share of the
    time left (`_SHARE`), at most `_CAP` seconds; with no time limit, `_WORK` moves.
    Ctrl-C (in the main thread) ends the search with the best plan so far and says so."""
    began = time.perf_counter()
    budget = None  # no time limit: a deterministic budget of moves
    if time_limit is not None:
        left = time_limit - (began - started)
        budget = min(_CAP, max(0.0, _SHARE.get(stage, 0.1) * left))
    clock = _Clock(budget)
    with _ctrl_c_stops(clock):
        if values is None:
            found = _greedy(model, clock)
            if found is not None and stage != "coverage":
                # `coverage: required`: the first stage is quality
                found = _improve(model, found, stage, clock) or found
        else:
            found = _improve(model, values, stage, clock)
    return Start(found, clock.stopped, time.perf_counter() - began)


@contextlib.contextmanager
def _ctrl_c_stops(clock: _Clock) -> Iterator[None]:
    """While the heuristic runs, Ctrl-C stops its clock instead of raising mid-move."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: Any) -> None:
        clock.stopped = True

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def stand_in(
    model: TeamModel, objective: Any, start: Start, outcome: lp.SolveOutcome
) -> tuple[lp.SolveOutcome, bool]:
    """A stage's outcome, with the heuristic's plan standing in when the solver ended
    without one: its value is the plan's, its bound whatever the solver proved (often
    none). Returns the outcome and whether the heuristic's plan is the stage's plan."""
    if outcome.objective is not None or start.values is None:
        return outcome, False
    worth = value_of(objective, start.values)
    found = replace(
        outcome,
        status=SolveStatus.FEASIBLE,
        objective=worth,
        gap=lp.relative_gap(worth, outcome.bound),
    )
    return found, True
