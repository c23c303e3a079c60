"""A valid bound for a stage from seat bundles (Dantzig-Wolfe column generation).

The compact model's relaxation buys fractions of many people: each person's capacity,
breadth and product-line cap hold only on average. Here a column is one person in one
role with a bundle of work that fits that seat (hours, breadth, product lines, decisions
that keep work together), so the relaxation can only mix whole seats. The master LP has
the rows that link people (each responsibility at most one owner, headcount, budget, seats
per role, the rounding row of seats needed, and the floors of the earlier stages); a
bundle is priced by a small knapsack per person and role.

At every round the Lagrangian (Farley) bound - the master's duals times the right-hand
sides, plus each person's most negative reduced cost - is valid whatever the columns
found so far, so the search may stop at any time with a bound. The pricing may
over-estimate what a bundle is worth (a coupling's handoff saving is split between its two
ends, work hours are rounded down onto a grid): that only weakens the bound, never makes
it invalid; a bundle enters the master only at its exact worth and when it fits exactly.

The bound is in the stage's own sense and units (money for cost): an upper bound for
coverage and quality, a lower bound for cost. Only what the bound needs is here; the
stages (`orgplan.solving.stages`) keep the compact model's bound when it is better.
"""

from __future__ import annotations

import math
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from orgplan.domain.rules import EPS
from orgplan.model import TeamModel, capacity, seat_cost
from orgplan.model.stages import KEEP_COVERAGE, KEEP_QUALITY, Stage

BUNDLE_LP = "bundle LP"
"""The bound is the converged bundle master LP (no bundle prices out)."""

LAGRANGIAN = "Lagrangian"
"""The bound is the Lagrangian (Farley) bound of a column generation stopped early."""

# Each round's master value and bound on stderr (for the benchmarks' notes).
_DEBUG = bool(os.environ.get("ORGPLAN_BUNDLE_DEBUG"))

# Weight of the best bound's duals in the point priced (Wentges smoothing).
_SMOOTHING = 0.7

# Product-line subsets a person's pricing enumerates before it drops the cap (a valid
# relaxation, only weaker).
_MAX_LINE_SUBSETS = 64

# Master LP value and Lagrangian bound this close (relatively) count as converged.
_CONVERGED = 1e-7


PROVEN = 1e-7
"""A plan within this share of a bound is proven optimal (HiGHS's relative MIP gap)."""

# A column prices out when its reduced cost is below this share of the stage's scale.
_PRICED = 1e-9


@dataclass(frozen=True)
class BundleBound:
    """What the bundle relaxation proved about one stage.

    `bound` is valid for the stage as the model states it (earlier stages' floors
    included): at least the best plan's value for coverage and quality, at most the
    cheapest plan's cost. `source` is `BUNDLE_LP` when the column generation converged,
    `LAGRANGIAN` when it stopped first (time, rounds); `rounds` and `columns` say how far
    it went.
    """

    bound: float
    source: str
    rounds: int
    columns: int
    seconds: float


@dataclass
class Slot:
    """One person in one role: the work they may own there, as knapsack items."""

    person: int
    role: str
    cost: float
    hours_cap: float
    grid_cap: int
    breadth: int
    members: list[list[int]]  # each item's pairs (indexes into the pair arrays)
    weights: list[int]  # each item's hours on the grid (rounded down)
    counts: list[int]  # each item's pieces of work
    lines: list[frozenset[Any]]  # each item's product lines
    flat: Any = None  # every item's pairs, one after the other (numpy)
    starts: Any = None  # where each item starts in `flat` (numpy)
    single: bool = True  # every item is one piece of work
    extra: Any = None  # handoff savings priced with each item (numpy; see _Component)
    components: list[_Component] | None = None  # items joined by couplings or decisions
    singles: Any = None  # the other items, each one piece of work (numpy)
    single_weights: Any = None  # their hours on the grid (numpy)
    line_bits: Any = None  # each item's product lines as bits (see `bits`; numpy)


@dataclass(frozen=True)
class _Column:
    """One bundle: a person, a role, the responsibilities owned."""

    person: int
    role: str
    owned: frozenset[int]


def applies(model: TeamModel) -> bool:
    """Whether the bundle bound can be computed for `model` (some seat may own work)."""
    return bool(model.own) and bool(model.seat)


def stage_bound(
    model: TeamModel,
    stage: Stage,
    time_limit: float | None = None,
    start: dict[str, float] | None = None,
    incumbent: float | None = None,
    max_rounds: int = 400,
) -> BundleBound | None:
    """A valid bound on stage `stage` of `model` as it stands (its floors included).

    Column generation from the bundles of `start` (a plan's values, optional), for at most
    `time_limit` seconds and `max_rounds` rounds, stopping early once the bound proves
    `incumbent` (the stage's value at the plan in hand) optimal. None when nothing could
    be said (the master LP failed); the bound otherwise, rounded to the stage's
    granularity when its objective is made of whole numbers.
    """
    began = time.perf_counter()
    cg = ColumnGeneration(model, stage)
    return generate(cg, began, time_limit, start, incumbent, max_rounds)


def generate(
    cg: ColumnGeneration,
    began: float,
    time_limit: float | None,
    start: dict[str, float] | None,
    incumbent: float | None,
    max_rounds: int,
) -> BundleBound | None:
    """Run column generation `cg`, begun at `began` (`time.perf_counter`), from the
    bundles of plan `start`, as `stage_bound` says."""
    if start is not None:
        cg.add_plan(start)
    if cg.missing_required:
        return None  # someone must be seated where they cannot be: the stage is infeasible
    best: float | None = None
    center: Any = None  # the duals of the best bound so far
    source = LAGRANGIAN
    rounds = 0
    while rounds < max_rounds:
        rounds += 1
        master = cg.solve_master()
        if master is None:
            return None
        value, duals = master
        # Wentges smoothing: price at a point between the duals of the best bound so far
        # and the master's, which damps the duals' swings between rounds; when nothing
        # found there prices out at the master's duals, price at those
        point = duals if center is None else _SMOOTHING * center + (1 - _SMOOTHING) * duals
        lagrangian, found = cg.price(point, duals)
        if not found and center is not None:
            point = duals
            lagrangian, found = cg.price(point, duals)
        if best is None or lagrangian > best:
            best, center = lagrangian, point
        if _DEBUG:
            print(f"  round {rounds}: {value:.6g} / {lagrangian:.6g}, {len(found)} new")
        if value - best <= _CONVERGED * max(1.0, abs(value)):
            source = BUNDLE_LP
            break
        if not found:
            break  # nothing prices out at its exact worth: the bound stays Lagrangian
        if incumbent is not None and cg.proves(cg.reported(best), incumbent):
            break
        if time_limit is not None and time.perf_counter() - began >= time_limit:
            break
        cg.add(found)
    if best is None:
        return None
    return BundleBound(
        float(cg.reported(best)), source, rounds, len(cg.columns), time.perf_counter() - began
    )


class ColumnGeneration:
    """The master LP over the bundles found so far, and the pricing of new ones.

    The master is kept in minimisation form (coverage and quality negated); `reported`
    turns its bound back into the stage's sense and units.
    """

    def __init__(self, model: Any, stage: Stage, role_seats: dict[str, int] | None = None) -> None:
        import highspy
        import numpy as np

        self.model, self.stage = model, stage
        self.role_seats = role_seats  # seats of each role the master must have (None: free)
        pool, scenario = model.pool, model.scenario
        resps = pool.resps
        self.cov = [r.hours * r.priority for r in resps]
        # the ownership pairs (keys of model.own), with what each brings
        pairs = sorted(model.own)
        self.pair_index = {pair: i for i, pair in enumerate(pairs)}
        self.pair_person = np.array([p[0] for p in pairs], dtype=np.int64)
        self.pair_resp = np.array([p[1] for p in pairs], dtype=np.int64)
        self.pair_cov = np.array([self.cov[p[1]] for p in pairs], dtype=float)
        fit = pool.fit
        self.pair_fit = np.array([resps[p[1]].hours * fit[p[0], p[1]] for p in pairs], dtype=float)
        # couplings: exact inside a bundle, and in pricing (see `_components`)
        index = {r.id: ji for ji, r in enumerate(resps)}
        self.couplings = [
            (index[c.between[0]], index[c.between[1]], c.cost) for c in scenario.couplings
        ]
        self.slots = self._slots()
        # money is shown to the master in thousands, so that its rows are well scaled
        self.money = 1e-3 * model.cost_scale if model.cost_scale == 1.0 else model.cost_scale
        self.rows = Rows()
        self._rows()
        self.columns: list[_Column] = []
        self.known: set[_Column] = set()
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("threads", 1)
        self.highs.addRows(
            len(self.rows.lower),
            np.array(self.rows.lower, dtype=float),
            np.array(self.rows.upper, dtype=float),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        self._artificials()

    # ---- the data ---------------------------------------------------------------------

    def _slots(self) -> list[Slot]:
        """Every (person, role) that may be seated, with the work it may own as items."""
        model = self.model
        pool, scenario, limits = model.pool, model.scenario, model.limits
        self._read_groups()
        owns: dict[int, dict[int, int]] = defaultdict(dict)
        for (pi, ji), i in self.pair_index.items():
            owns[pi][ji] = i
        slots = []
        for pi, roles in pool.seat_roles.items():
            person = pool.people[pi]
            for role in roles:
                if (pi, role) not in model.seat:
                    continue
                items = self.items(pi, role, owns[pi])
                cap = capacity(scenario, person, role)
                breadth = limits.breadth.get(role)
                cost = seat_cost(model, pi, role)
                slots.append(self.slot(pi, role, cost, cap, breadth, items))
        return slots

    def _read_groups(self) -> None:
        """The decisions' groups kept together, the grid the hours are rounded to, and a
        bit for each product line."""
        import numpy as np

        resps = self.model.pool.resps
        index = {r.id: ji for ji, r in enumerate(resps)}
        self.groups = [[index[rid] for rid in g] for g in self.model.scenario.decisions.groups()]
        self.in_group = {ji: gi for gi, g in enumerate(self.groups) for ji in g}
        integral = all(abs(r.hours - round(r.hours)) <= 1e-9 for r in resps)
        self.grid = 1.0 if integral else 0.25
        lines = sorted({r.product for r in resps if r.product is not None}, key=str)
        self.line_bit = {line: 1 << k for k, line in enumerate(lines)}
        self.bit_type = np.int64 if len(lines) < 63 else object  # beyond, Python's ints

    def items(self, pi: int, role: str, pairs: dict[int, int]) -> list[list[int]]:
        """The knapsack items of person `pi` in `role` (each a list of pair indexes) over
        the work of `pairs` (piece -> its pair): a piece ownable in `role` alone, or a
        group the decisions keep together, whole and only where every member is."""
        ownable = self.model.pool.ownable
        items: list[list[int]] = []
        seen: set[int] = set()
        for ji in sorted(j for j in pairs if role in ownable[pi, j]):
            if ji in seen:
                continue
            if ji in self.in_group:
                members = [j for j in self.groups[self.in_group[ji]] if j in pairs]
                if any(role not in ownable[pi, j] for j in members):
                    continue  # the group is theirs only as a whole, in common roles
            else:
                members = [ji]
            seen.update(members)
            items.append([pairs[j] for j in members])
        return items

    def slot(
        self,
        pi: int,
        role: str,
        cost: float,
        cap: float,
        breadth: int | None,
        items: list[list[int]],
    ) -> Slot:
        """A seat of `role` for person `pi` with `cap` hours and these items (each a list
        of pair indexes), ready to be priced."""
        import numpy as np

        resps = self.model.pool.resps

        def hours(m: int) -> int:
            return math.floor(resps[self.pair_resp[m]].hours / self.grid + 1e-9)

        grid_cap = int(math.floor(cap / self.grid + 1e-9))
        # an item heavier than the seat's hours never fits it (a ramping seat's, say)
        items = [item for item in items if sum(hours(m) for m in item) <= grid_cap]
        counts = [len(item) for item in items]
        slot = Slot(
            person=pi,
            role=role,
            cost=cost,
            hours_cap=cap,
            grid_cap=grid_cap,
            breadth=len(items) if breadth is None else breadth,
            members=items,
            weights=[int(sum(hours(m) for m in item)) for item in items],
            counts=counts,
            lines=[
                frozenset(
                    product
                    for m in item
                    if (product := resps[self.pair_resp[m]].product) is not None
                )
                for item in items
            ],
            flat=np.array([m for item in items for m in item], dtype=np.int64),
            starts=np.cumsum([0] + counts[:-1]).astype(np.int64),
            single=all(k == 1 for k in counts),
        )
        slot.line_bits = np.array([self.bits(lines) for lines in slot.lines], dtype=self.bit_type)
        self._components(slot)
        return slot

    def bits(self, lines: frozenset[Any]) -> int:
        """A set of product lines as the bits of a whole number."""
        return sum(self.line_bit[line] for line in lines)

    def _components(self, slot: Slot) -> None:
        """Group a seat's items by the couplings between them, each group with every way
        of owning some of its items (a handoff's saving counted exactly when both ends
        are owned); a group too large for that prices its items one by one, each with
        half of each saving it may keep (never less than exact, so the bound holds)."""
        import numpy as np

        item_of = {int(self.pair_resp[m]): i for i, item in enumerate(slot.members) for m in item}
        extra = np.zeros(len(slot.members))
        links: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for a, b, saving in self.couplings:
            ia, ib = item_of.get(a), item_of.get(b)
            if ia is None or ib is None:
                continue
            if ia == ib:
                extra[ia] += saving  # work kept together: one item owns both ends
            else:
                links[ia].append((ib, saving))
                links[ib].append((ia, saving))
        seen: set[int] = set()
        components = []
        singles: list[int] = []
        for start in range(len(slot.members)):
            if start in seen:
                continue
            group, todo = [], [start]
            seen.add(start)
            while todo:
                i = todo.pop()
                group.append(i)
                for j, _s in links[i]:
                    if j not in seen:
                        seen.add(j)
                        todo.append(j)
            group.sort()
            if len(group) > _MAX_COMPONENT:
                for i in group:
                    extra[i] += sum(saving / 2 for _j, saving in links[i])
                    if slot.counts[i] == 1:
                        singles.append(i)
                    else:
                        components.append(self._component(slot, [i], {}))
            elif len(group) == 1 and slot.counts[group[0]] == 1:
                singles.append(group[0])
            else:
                edges = {(i, j): saving for i in group for j, saving in links[i] if i < j}
                components.append(self._component(slot, group, edges))
        slot.extra = extra
        slot.components = components
        slot.singles = np.array(singles, dtype=np.int64)
        slot.single_weights = np.array([slot.weights[i] for i in singles], dtype=np.int64)

    def _component(
        self, slot: Slot, group: list[int], edges: dict[tuple[int, int], float]
    ) -> _Component:
        """Every non-empty subset of `group` as an alternative."""
        import numpy as np

        subsets = [
            c for size in range(1, len(group) + 1) for c in combinations(range(len(group)), size)
        ]
        choose = np.zeros((len(subsets), len(group)))
        saving = np.zeros(len(subsets))
        weights, counts, lines = [], [], []
        for a, subset in enumerate(subsets):
            members = [group[i] for i in subset]
            choose[a, list(subset)] = 1.0
            owned = set(members)
            saving[a] = sum(s for (i, j), s in edges.items() if i in owned and j in owned)
            weights.append(sum(slot.weights[i] for i in members))
            counts.append(sum(slot.counts[i] for i in members))
            lines.append(frozenset().union(*(slot.lines[i] for i in members)))
        bits = np.array([self.bits(found) for found in lines], dtype=self.bit_type)
        return _Component(np.array(group), choose, saving, weights, counts, lines, bits)

    def _rows(self) -> None:
        """The master's rows: the work's (`_work_rows`), one per person who may be seated,
        then the linking rows."""
        model, rows = self.model, self.rows
        pool, limits = model.pool, model.limits
        self._work_rows()
        required = {}
        for pi, person in enumerate(pool.people):
            must = {r for r in (person.fixed_role, person.placed) if r is not None}
            if must:
                required[pi] = must
        self.required = required
        for pi in sorted({slot.person for slot in self.slots}):
            rows.person[pi] = rows.add(1.0 if pi in required else -math.inf, 1.0)
        if limits.max_headcount is not None:
            rows.headcount = rows.add(-math.inf, float(limits.max_headcount))
        if limits.budget is not None:
            rows.budget = rows.add(-math.inf, limits.budget * self.money)
        for role in limits.roles:
            cap = limits.role_caps.get(role)
            if self.role_seats is not None:
                seats = float(self.role_seats.get(role, 0))
                rows.role_cap[role] = rows.add(seats, seats)  # (under its cap: see counts.py)
            elif cap is not None:
                rows.role_cap[role] = rows.add(-math.inf, float(cap))
        self._model_rows()
        if self.stage is not Stage.COVERAGE:
            floor = _row_lower(model.prob, KEEP_COVERAGE)
            if floor is not None:
                rows.coverage = rows.add(floor, math.inf)
        if self.stage is Stage.COST:
            floor = _row_lower(model.prob, KEEP_QUALITY)
            if floor is not None:
                rows.quality = rows.add(floor, math.inf)

    def _work_rows(self) -> None:
        """A row per responsibility someone may own (at most one owner; exactly one with
        coverage required or a decided owner), and each pair's row."""
        import numpy as np

        model, rows = self.model, self.rows
        limits, assigned = model.limits, model.scenario.decisions.assign
        ownable = {ji for _pi, ji in model.own}
        for ji, resp in enumerate(model.pool.resps):
            if ji not in ownable:
                continue
            exact = limits.coverage_required or resp.id in assigned
            rows.resp[ji] = rows.add(1.0 if exact else -math.inf, 1.0)
        self.pair_row = np.array([rows.resp[ji] for ji in self.pair_resp.tolist()], dtype=np.int64)

    def _model_rows(self) -> None:
        """The rows of this model's own (one period: the rounding row of seats needed)."""
        needed = _row_lower(self.model.prob, "seats_needed")
        if needed is not None:
            self.rows.needed = self.rows.add(needed, math.inf)

    def _artificials(self) -> None:
        """A column per row that must be reached from below, at a prohibitive price, so
        that the master is feasible before any plan's bundles are in it."""
        import numpy as np

        rows = self.rows
        price = 1e4 * max(1.0, self._scale())
        for i, low in enumerate(rows.lower):
            if low > -math.inf and low > 0:
                self.highs.addCols(
                    1,
                    np.array([price]),
                    np.array([0.0]),
                    np.array([math.inf]),
                    1,
                    np.array([0], dtype=np.int32),
                    np.array([i], dtype=np.int32),
                    np.array([1.0]),
                )

    @property
    def missing_required(self) -> bool:
        """Whether someone who must be seated has no seat of a role they must hold."""
        roles = {(s.person, s.role) for s in self.slots}
        return any(not any((pi, r) in roles for r in must) for pi, must in self.required.items())

    def reported(self, lagrangian: float) -> float:
        """A bound of the master (minimisation form) in the stage's sense and units,
        rounded to the stage's granularity when its objective is made of whole numbers,
        and never past the stage's trivial bound (an early Lagrangian bound can be)."""
        model = self.model
        if self.stage is Stage.COST:
            bound = lagrangian / self.money
            step = _granularity([s.cost for s in self.slots])
            # every plan's cost is a sum of seat costs: a multiple of their common divisor
            bound = bound if step is None else math.ceil(bound / step - 1e-6) * step
            return max(0.0, bound)
        if self.stage is Stage.COVERAGE:
            bound = -lagrangian
            step = _granularity(self.cov)
            bound = bound if step is None else math.floor(bound / step + 1e-6) * step
            coverable = {ji for _pi, ji in model.own}
            return min(bound, sum(self.cov[ji] for ji in coverable))
        # each piece at its best owner and every handoff kept
        best: dict[int, float] = {}
        for i, ji in enumerate(self.pair_resp.tolist()):
            best[ji] = max(best.get(ji, 0.0), float(self.pair_fit[i]))
        everything = sum(best.values()) + sum(s for _a, _b, s in self.couplings)
        return min(-lagrangian, everything) + model.quality_constant

    def proves(self, bound: float, incumbent: float) -> bool:
        """Whether `bound` shows that a plan worth `incumbent` is optimal for the stage."""
        slack = PROVEN * max(1.0, abs(incumbent))
        if self.stage is Stage.COST:
            return incumbent <= bound + slack
        return incumbent >= bound - slack

    def _scale(self) -> float:
        """The size of one column's objective, for tolerances."""
        import numpy as np

        if self.stage is Stage.COST:
            return max((s.cost * self.money for s in self.slots), default=1.0)
        return max(float(np.max(self.pair_fit)) if len(self.pair_fit) else 1.0, 1.0)

    # ---- the columns ------------------------------------------------------------------

    def worth(self, column: _Column) -> tuple[float, float, float]:
        """A bundle's coverage, quality (fit hours and handoffs kept) and cost."""
        pool = self.model.pool
        cov = sum(self.cov[ji] for ji in column.owned)
        fit = sum(pool.resps[ji].hours * pool.fit[column.person, ji] for ji in column.owned)
        fit += sum(s for a, b, s in self.couplings if a in column.owned and b in column.owned)
        return cov, fit, seat_cost(self.model, column.person, column.role)

    def objective(self, column: _Column) -> float:
        """A bundle's coefficient in the master's (minimised) objective."""
        cov, fit, cost = self.worth(column)
        if self.stage is Stage.COVERAGE:
            return -cov
        if self.stage is Stage.QUALITY:
            return -fit
        return cost * self.money

    def fits(self, column: _Column) -> bool:
        """Whether a bundle meets its seat's capacity, breadth and product-line cap."""
        model = self.model
        resps = model.pool.resps
        person = model.pool.people[column.person]
        if (
            sum(resps[ji].hours for ji in column.owned)
            > capacity(model.scenario, person, column.role) + EPS
        ):
            return False
        breadth = model.limits.breadth.get(column.role)
        if breadth is not None and len(column.owned) > breadth:
            return False
        cap = model.limits.max_products
        lines = {resps[ji].product for ji in column.owned} - {None}
        return cap is None or len(lines) <= cap

    def add(self, columns: list[Any]) -> None:
        """Add bundles to the master (each once)."""
        import numpy as np

        fresh = [c for c in columns if c not in self.known]
        if not fresh:
            return
        costs: list[float] = []
        starts: list[int] = []
        indices: list[int] = []
        values: list[float] = []
        for column in fresh:
            self.known.add(column)
            self.columns.append(column)
            costs.append(self.objective(column))
            starts.append(len(indices))
            for row, coef in self.entries(column):
                indices.append(row)
                values.append(coef)
        self.highs.addCols(
            len(fresh),
            np.array(costs, dtype=float),
            np.zeros(len(fresh)),
            np.full(len(fresh), math.inf),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values, dtype=float),
        )

    def add_plan(self, values: dict[str, float]) -> None:
        """Add the bundles of a plan (its seats and what each owns)."""
        owned: dict[int, set[int]] = defaultdict(set)
        for (pi, ji), var in self.model.own.items():
            if values.get(var.name, 0.0) > 0.5:
                owned[pi].add(ji)
        found = []
        for (pi, role), var in self.model.seat.items():
            if values.get(var.name, 0.0) > 0.5:
                column = _Column(pi, role, frozenset(owned.get(pi, ())))
                if self.fits(column):
                    found.append(column)
        self.add(found)

    # ---- solving ----------------------------------------------------------------------

    def solve_master(self) -> tuple[float, Any] | None:
        """The master LP's value and row duals (minimisation form), None if it failed."""
        import numpy as np

        if self.highs.getNumCol() == 0:
            return 0.0, np.zeros(len(self.rows.lower))  # no bundle yet: the empty team
        self.highs.run()
        if self.highs.getModelStatus().name != "kOptimal":
            # once more from scratch: HiGHS's warm basis can lose its way on these rows
            self.highs.clearSolver()
            self.highs.run()
        if self.highs.getModelStatus().name != "kOptimal":
            return None
        value = float(self.highs.getInfo().objective_function_value)
        duals = np.array(self.highs.getSolution().row_dual, dtype=float)
        return value, duals

    def price(self, duals: Any, master: Any) -> tuple[float, list[_Column]]:
        """The Lagrangian bound at `duals` (minimisation form), and the bundles found
        there (one per person, their most negative reduced cost) that price out at the
        master's duals `master`."""

        rows = self.rows
        y, checked = self.signed(duals), self.signed(master)
        bound = self.constant(y)
        at = self.dual_of
        y_head, y_budget, y_need = at(y, rows.headcount), at(y, rows.budget), at(y, rows.needed)
        profit, pair_bonus = self.profits(y)
        best: dict[int, tuple[float, _Column]] = {}
        tol = _PRICED * max(1.0, self._scale())
        for slot in self.slots:
            seat = -y_head - y_need - at(y, rows.role_cap.get(slot.role))
            if self.stage is Stage.COST:
                seat += slot.cost * self.money
            seat -= y_budget * slot.cost * self.money
            gain, chosen = self._knapsack(slot, profit, pair_bonus)
            reduced = seat - gain
            have = best.get(slot.person)
            if have is None or reduced < have[0]:
                owned = frozenset(
                    int(self.pair_resp[m]) for item in chosen for m in slot.members[item]
                )
                best[slot.person] = (reduced, _Column(slot.person, slot.role, owned))
        # a person with a required role has only that role's bundles, and must take one
        for pi, must in self.required.items():
            options = [
                (seat_reduced, col)
                for seat_reduced, col in self._required_options(pi, must, profit, pair_bonus, y)
            ]
            if options:
                best[pi] = min(options, key=lambda o: o[0])
        found = []
        for pi in self.rows.person:
            if pi not in best:
                continue
            reduced, column = best[pi]
            term = reduced if pi in self.required else min(0.0, reduced)
            bound += term
            exact = self._reduced(column, checked)
            if exact < -tol and self.fits(column):
                found.append(column)
        return bound - tol, found

    def constant(self, y: Any) -> float:
        """The Lagrangian bound's constant at duals `y`: each row's dual times the side it
        binds on, the persons' rows left out (each person's best column counts instead)."""
        import numpy as np

        rows = self.rows
        lower, upper = np.array(rows.lower), np.array(rows.upper)
        person_rows = set(rows.person.values())
        bound = 0.0
        for i, yi in enumerate(y):
            if i in person_rows or yi == 0.0:
                continue
            bound += yi * (lower[i] if yi > 0 else upper[i])
        return bound

    @staticmethod
    def dual_of(y: Any, row: int | None) -> float:
        """The dual of `row` in `y` (0 when there is no such row)."""
        return 0.0 if row is None else float(y[row])

    def profits(self, y: Any) -> tuple[Any, float]:
        """What each ownership pair brings a column at duals `y` (its work's row, the
        floors, the stage's objective), and what a handoff kept inside a column is worth
        per unit of saving."""
        rows = self.rows
        y_cov, y_q = self.dual_of(y, rows.coverage), self.dual_of(y, rows.quality)
        profit = y[self.pair_row] + y_cov * self.pair_cov + y_q * self.pair_fit
        pair_bonus = y_q
        if self.stage is Stage.COVERAGE:
            profit = profit + self.pair_cov
        elif self.stage is Stage.QUALITY:
            profit = profit + self.pair_fit
            pair_bonus += 1.0
        return profit, pair_bonus

    def signed(self, duals: Any) -> Any:
        """The duals with any of the wrong sign (within the LP's tolerances) made zero."""
        import numpy as np

        y = np.array(duals, dtype=float)
        lower, upper = np.array(self.rows.lower), np.array(self.rows.upper)
        y[(lower == -math.inf) & (y > 0)] = 0.0
        y[(upper == math.inf) & (y < 0)] = 0.0
        return y

    def _required_options(
        self, pi: int, must: set[str], profit: Any, pair_bonus: float, y: Any
    ) -> Iterator[tuple[float, _Column]]:
        """The best bundle of each required role of person `pi`, with its reduced cost."""
        for slot in self.slots:
            if slot.person == pi and slot.role in must:
                gain, chosen = self._knapsack(slot, profit, pair_bonus)
                owned = frozenset(
                    int(self.pair_resp[m]) for item in chosen for m in slot.members[item]
                )
                column = _Column(pi, slot.role, owned)
                seat = self._reduced(_Column(pi, slot.role, frozenset()), y)
                seat += float(y[self.rows.person[pi]])  # the person's own row is not priced
                yield seat - gain, column

    def _reduced(self, column: Any, y: Any) -> float:
        """A bundle's exact reduced cost in the master at duals `y`."""
        return self.objective(column) - sum(float(y[row]) * c for row, c in self.entries(column))

    def entries(self, column: _Column) -> list[tuple[int, float]]:
        """A bundle's entries in the master's rows: its work, its person, the links."""
        rows = self.rows
        cov, fit, cost = self.worth(column)
        found = [(rows.resp[ji], 1.0) for ji in sorted(column.owned)]
        found.append((rows.person[column.person], 1.0))
        return found + self._links(column.role, cov, fit, cost)

    def _links(self, role: str, cov: float, fit: float, cost: float) -> list[tuple[int, float]]:
        """A column's entries in the master's linking rows (headcount, budget, the role's
        cap, seats needed, the coverage and quality floors), those it has."""
        rows = self.rows
        return [
            (row, coef)
            for row, coef in (
                (rows.headcount, 1.0),
                (rows.budget, cost * self.money),
                (rows.role_cap.get(role), 1.0),
                (rows.needed, 1.0),
                (rows.coverage, cov),
                (rows.quality, fit),
            )
            if row is not None and coef != 0
        ]

    def _knapsack(self, slot: Slot, profit: Any, pair_bonus: float) -> tuple[float, list[int]]:
        """The most a bundle of `slot` can gain at these pair profits, each handoff kept
        worth `pair_bonus` times its saving (an over-estimate is allowed, never an
        under-estimate), and the items of one bundle that gains it."""
        import numpy as np

        if not slot.members:
            return 0.0, []
        picked = profit[slot.flat]
        gains = picked if slot.single else np.add.reduceat(picked, slot.starts)
        gains = gains + pair_bonus * slot.extra
        options = []  # per component: (component, each alternative's gain, worth having)
        for comp in slot.components or ():
            values = comp.choose @ gains[comp.items] + pair_bonus * comp.saving
            keep = values > 0
            if keep.any():
                options.append((comp, values, keep))
        single_gains = gains[slot.singles]
        good = single_gains > 0
        singles = slot.singles[good]
        if not options and not len(singles):
            return 0.0, []
        weights, single_gains = slot.single_weights[good], single_gains[good]
        order = np.argsort(-single_gains, kind="stable")
        singles, weights, single_gains = singles[order], weights[order], single_gains[order]
        cap = self.model.limits.max_products
        if cap is None:
            return _knap(slot, options, singles, weights, single_gains, None)
        owned_bits = 0
        for comp, _v, keep in options:
            for b in comp.line_bits[keep]:
                owned_bits |= b
        for b in slot.line_bits[singles]:
            owned_bits |= b
        present = [bit for bit in self.line_bit.values() if owned_bits & bit]
        if len(present) <= cap:
            return _knap(slot, options, singles, weights, single_gains, None)
        subsets = list(combinations(present, cap))
        if len(subsets) > _MAX_LINE_SUBSETS:
            # the cap dropped: valid, only weaker
            return _knap(slot, options, singles, weights, single_gains, None)
        # Each subset's gain is at most its `breadth` best single pieces and each
        # component's best alternative within its lines: the subsets are tried by falling
        # upper bound, and the rest skipped once that bound no longer beats the best found.
        single_bits = slot.line_bits[singles]
        if options:  # every component's alternatives one after the other
            values = np.concatenate([np.where(keep, v, 0.0) for _c, v, keep in options])
            bits = np.concatenate([comp.line_bits for comp, _v, _k in options])
            segments = np.cumsum([0] + [len(v) for _c, v, _k in options[:-1]])
        bounded = []
        for subset in subsets:
            outside = ~sum(subset)
            mask = (single_bits & outside) == 0
            most = float(single_gains[mask][: slot.breadth].sum())  # by falling gain
            if options:
                inside = np.where((bits & outside) == 0, values, 0.0)
                most += float(np.maximum.reduceat(inside, segments).sum())
            allowed = frozenset(line for line, bit in self.line_bit.items() if bit in subset)
            bounded.append((most, allowed, mask.astype(bool)))
        bounded.sort(key=lambda b: -b[0])
        best: tuple[float, list[int]] = (0.0, [])
        for most, allowed, mask in bounded:
            if most <= best[0]:
                break
            found = _knap(slot, options, singles[mask], weights[mask], single_gains[mask], allowed)
            if found[0] > best[0]:
                best = found
        return best


@dataclass
class _Component:
    """Items of one seat joined by couplings, and every way of owning some of them."""

    items: Any  # the items (numpy)
    choose: Any  # alternatives x items, 1 where the alternative owns the item (numpy)
    saving: Any  # the handoff savings each alternative keeps (numpy)
    weights: list[int]
    counts: list[int]
    lines: list[frozenset[Any]]
    line_bits: Any  # each alternative's product lines as bits (numpy)


# A coupled component of more items than this is priced item by item, each handoff's
# saving split between its ends (an over-estimate: valid, weaker).
_MAX_COMPONENT = 6


@dataclass
class Rows:
    """The master's rows: bounds, and where each kind of row is."""

    lower: list[float] = None  # type: ignore[assignment]
    upper: list[float] = None  # type: ignore[assignment]
    resp: dict[Any, int] = None  # type: ignore[assignment]  # (work, period) over periods
    person: dict[int, int] = None  # type: ignore[assignment]
    role_cap: dict[str, int] = None  # type: ignore[assignment]
    headcount: int | None = None
    budget: int | None = None
    needed: int | None = None
    coverage: int | None = None
    quality: int | None = None
    spend: int | None = None  # over periods: the horizon's spend
    starts: dict[int, int] = None  # type: ignore[assignment]  # over periods: starts in t

    def __post_init__(self) -> None:
        self.lower, self.upper = [], []
        self.resp, self.person, self.role_cap, self.starts = {}, {}, {}, {}

    def add(self, low: float, high: float) -> int:
        """A new row with these bounds; returns its index."""
        self.lower.append(low)
        self.upper.append(high)
        return len(self.lower) - 1


def _knap(
    slot: Slot,
    options: list[tuple[_Component, Any, Any]],
    singles: Any,
    weights: Any,
    gains: Any,
    lines: frozenset[Any] | None,
) -> tuple[float, list[int]]:
    """A multiple-choice knapsack: at most one alternative of each component and any
    single pieces (`singles`, by falling gain), within the seat's hours and breadth (and
    product lines `lines`, when given); the best gain and the items chosen."""
    import numpy as np

    breadth, cap = slot.breadth, slot.grid_cap
    alts = []  # per component: (component, [(alternative, gain)])
    for comp, values, keep in options:
        found = [
            (int(a), float(values[a]))
            for a in np.flatnonzero(keep)
            if (lines is None or comp.lines[a] <= lines)
            and comp.weights[a] <= cap
            and comp.counts[a] <= breadth
        ]
        if found:
            alts.append((comp, found))
    if not alts:
        # single pieces only: the `breadth` best, if they fit, are the best bundle
        if int(weights[:breadth].sum()) <= cap:
            return float(gains[:breadth].sum()), [int(i) for i in singles[:breadth]]
    else:
        tops = [(comp, max(found, key=lambda f: f[1])) for comp, found in alts]
        if (
            sum(comp.weights[a] for comp, (a, _g) in tops) + int(weights.sum()) <= cap
            and sum(comp.counts[a] for comp, (a, _g) in tops) + len(singles) <= breadth
        ):
            gain = sum(g for _c, (_a, g) in tops) + float(gains.sum())
            return gain, _items(tops) + [int(i) for i in singles]
    # A single piece is never needed when `breadth` pieces at least as good and no
    # heavier are there: any bundle holding it has room to swap one of them in.
    kept: Any = np.arange(len(singles))
    if len(singles) > breadth:
        ones = np.zeros((len(singles), cap + 1), dtype=np.int64)
        ones[np.arange(len(singles)), weights] = 1
        before = np.cumsum(ones, axis=0) - ones  # the better pieces of each weight
        lighter = np.cumsum(before, axis=1)[np.arange(len(singles)), weights]
        kept = np.flatnonzero(lighter < breadth)
    table = np.full((breadth + 1, cap + 1), -np.inf)
    table[0, 0] = 0.0
    steps: list[tuple[Any, Any]] = []  # (what was added, where it won)
    for n in kept.tolist():
        w, g = int(weights[n]), float(gains[n])
        moved = table[:breadth, : cap + 1 - w] + g
        here = table[1:, w:]
        better = moved > here
        here[better] = moved[better]
        steps.append((("single", n), better))
    for comp, found in alts:
        new = table.copy()
        pick = np.full(table.shape, -1, dtype=np.int64)
        for a, gain in found:
            w, k = comp.weights[a], comp.counts[a]
            moved = table[: breadth + 1 - k, : cap + 1 - w] + gain
            here = new[k:, w:]
            better = moved > here
            here[better] = moved[better]
            pick[k:, w:][better] = a
        table = new
        steps.append((("component", comp), pick))
    at = np.unravel_index(int(np.argmax(table)), table.shape)
    gain = float(table[at])
    k_at, w_at = int(at[0]), int(at[1])
    chosen: list[int] = []
    picked = []
    for (kind, what), mark in reversed(steps):
        if kind == "single":
            w = int(weights[what])
            if k_at >= 1 and w_at >= w and mark[k_at - 1, w_at - w]:
                chosen.append(int(singles[what]))
                k_at, w_at = k_at - 1, w_at - w
        else:
            a = int(mark[k_at, w_at])
            if a >= 0:
                picked.append((what, (a, 0.0)))
                k_at, w_at = k_at - what.counts[a], w_at - what.weights[a]
    return gain, chosen + _items(picked)


def _items(picked: list[tuple[_Component, tuple[int, float]]]) -> list[int]:
    """The items owned by the chosen alternatives."""
    return [
        int(comp.items[i])
        for comp, (a, _g) in picked
        for i in range(len(comp.items))
        if comp.choose[a, i]
    ]


def _row_lower(prob: Any, name: str) -> float | None:
    """The lower side of row `name` of `prob` (None when there is no such row)."""
    row = prob.get_constraint_by_name(name)
    if row is None:
        return None
    low = row.getLb()
    return None if low is None else float(low)


def _granularity(values: list[float]) -> float | None:
    """The largest whole number dividing every value, when all are whole (else None)."""
    whole = []
    for v in values:
        if abs(v - round(v)) > 1e-9:
            return None
        whole.append(abs(round(v)))
    step = 0
    for v in whole:
        step = math.gcd(step, int(v))
    return float(step) if step > 0 else None
