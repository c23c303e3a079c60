"""A valid bound for a stage of the plan over periods, from seat bundles over time.

The compact model over periods is weaker still than the one of one period: in the first
periods every seat ramps at part capacity and the relaxation fills each period's work with
fractions of many seats. Here a column is one person in one role from one start period to
the end of the horizon (seats stay filled), with a bundle of work in each period that fits
the seat then: its capacity (at `ramp_capacity` while it ramps up), breadth and product
lines, decisions' groups kept whole. Given the start, the periods' bundles are independent,
so a seat is priced by two knapsacks per period (ramping and full) and a sum per start.

The master LP links the columns: each piece of work in each period at most one owner,
each person at most one seat, headcount, the seats of each role, the run rate and the
spend budgets, the starts per period (onboarding) and the floors of the earlier stages.
What a column is worth leaves out the handoffs between periods (they only lower a plan's
quality), so the master is a relaxation of the model and its bound is valid; the
Lagrangian (Farley) bound is valid at every round, as in `orgplan.solving.bundles`.

Development (train or hire) is not priced: with `policy.development` no bound is given.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from orgplan.domain.rules import EPS
from orgplan.model.periods import (
    TimedModel,
    annual_cost,
    one_off_cost,
    period_share,
    ramp_periods,
    work_periods,
)
from orgplan.model.pool import capacity
from orgplan.model.stages import Stage
from orgplan.solving.bundles import (
    _PRICED,
    BundleBound,
    ColumnGeneration,
    Slot,
    _granularity,
    generate,
)


@dataclass(frozen=True)
class _Column:
    """One seat over time: a person, a role, the start, the work owned in each period
    from the start to the end of the horizon."""

    person: int
    role: str
    start: int
    owned: tuple[frozenset[int], ...]


@dataclass
class _Seat:
    """One person in one role over the horizon: the knapsacks of each period."""

    person: int
    role: str
    earliest: int
    ramp: int  # periods at ramp capacity from the start
    annual: float
    one_off: float
    full: dict[int, Slot]  # period -> the seat at full capacity then
    ramping: dict[int, Slot]  # period -> the seat at ramp capacity then (ramp > 0)

    def slot(self, start: int, t: int) -> Slot:
        """The knapsack of period `t` for a seat started in `start`."""
        return self.ramping[t] if t < start + self.ramp and t in self.ramping else self.full[t]


def applies(model: TimedModel) -> bool:
    """Whether the bound over periods can be computed for `model` (some seat may own work,
    and no skill is grown: development is not priced)."""
    return bool(model.own) and bool(model.held) and not model.grow


def stage_bound(
    model: TimedModel,
    stage: Stage,
    time_limit: float | None = None,
    start: dict[str, float] | None = None,
    incumbent: float | None = None,
    max_rounds: int = 400,
) -> BundleBound | None:
    """A valid bound on stage `stage` of the model over periods as it stands (its floors
    included), as `orgplan.solving.bundles.stage_bound` gives for one period."""
    began = time.perf_counter()
    cg = TimedColumnGeneration(model, stage)
    return generate(cg, began, time_limit, start, incumbent, max_rounds)


class TimedColumnGeneration(ColumnGeneration):
    """The master LP over seats over time found so far, and their pricing."""

    model: TimedModel

    # ---- the data ---------------------------------------------------------------------

    def _slots(self) -> list[Slot]:
        """Every seat over time, each with its knapsacks per period; the flat list of them."""
        model = self.model
        scenario, pool, limits = model.scenario, model.pool, model.limits
        self._read_groups()
        self.last = model.last
        self.share = period_share(scenario)
        ramp_share = scenario.policy.ramp_capacity
        owns: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        for (pi, ji, t), i in self.pair_index.items():
            owns[pi, t][ji] = i
        self.seats: list[_Seat] = []
        flat: list[Slot] = []
        for (pi, role, t), _var in sorted(model.held.items()):
            if t != model.last:
                continue
            person = pool.people[pi]
            first = min(tt for tt in range(model.last + 1) if (pi, role, tt) in model.held)
            ramp = ramp_periods(scenario, person, role)
            seat = _Seat(
                pi,
                role,
                first,
                ramp if ramp_share < 1.0 else 0,
                annual_cost(person, role),
                one_off_cost(scenario, person, role),
                {},
                {},
            )
            full = capacity(scenario, person, role)
            breadth = limits.breadth.get(role)
            cost = self.seat_cost(seat, first)
            for tt in range(first, model.last + 1):
                items = self.items(pi, role, owns[pi, tt])
                seat.full[tt] = self.slot(pi, role, cost, full, breadth, items)
                flat.append(seat.full[tt])
                if seat.ramp:  # a seat started in tt ramps in tt
                    seat.ramping[tt] = self.slot(pi, role, cost, full * ramp_share, breadth, items)
                    flat.append(seat.ramping[tt])
            self.seats.append(seat)
        self.seat_of = {(s.person, s.role): s for s in self.seats}
        return flat

    def seat_cost(self, seat: _Seat, start: int) -> float:
        """What a seat started in `start` costs over the horizon (one-off cost included)."""
        return (self.last - start + 1) * seat.annual * self.share + seat.one_off

    def _work_rows(self) -> None:
        """A row per piece of work and period someone may own it, and each pair's row."""
        import numpy as np

        model, rows = self.model, self.rows
        limits, assigned = model.limits, model.scenario.decisions.assign
        for ji, t in sorted({(ji, t) for _pi, ji, t in model.own}):
            exact = limits.coverage_required or model.pool.resps[ji].id in assigned
            rows.resp[ji, t] = rows.add(1.0 if exact else -math.inf, 1.0)
        pairs = sorted(model.own)
        self.pair_row = np.array([rows.resp[ji, t] for _pi, ji, t in pairs], dtype=np.int64)
        self.pair_period = np.array([t for _pi, _ji, t in pairs], dtype=np.int64)

    def _model_rows(self) -> None:
        """The horizon's spend budget, and the starts per period (onboarding)."""
        rows, policy = self.rows, self.model.scenario.policy
        if policy.spend_budget is not None:
            rows.spend = rows.add(-math.inf, policy.spend_budget * self.money)
        if policy.max_hires_per_period is not None:
            for t in range(self.last + 1):
                rows.starts[t] = rows.add(-math.inf, float(policy.max_hires_per_period))

    # ---- the columns ------------------------------------------------------------------

    def worth(self, column: Any) -> tuple[float, float, float]:
        """A seat's coverage, quality (fit hours and couplings kept, handoffs between
        periods left out) and cost over the horizon."""
        pool = self.model.pool
        cov = fit = 0.0
        for owned in column.owned:
            cov += sum(self.cov[ji] for ji in owned)
            fit += sum(pool.resps[ji].hours * pool.fit[column.person, ji] for ji in owned)
            fit += sum(s for a, b, s in self.couplings if a in owned and b in owned)
        return cov, fit, self.seat_cost(self._seat(column), column.start)

    def _seat(self, column: _Column) -> _Seat:
        """The seat over time a column is of."""
        return self.seat_of[column.person, column.role]

    def entries(self, column: Any) -> list[tuple[int, float]]:
        """A seat's entries in the master's rows: its work in each period, its person,
        the links."""
        rows = self.rows
        cov, fit, cost = self.worth(column)
        found = [
            (rows.resp[ji, column.start + k], 1.0)
            for k, owned in enumerate(column.owned)
            for ji in sorted(owned)
        ]
        found.append((rows.person[column.person], 1.0))
        annual = self._seat(column).annual
        links = (
            (rows.headcount, 1.0),
            (rows.budget, annual * self.money),
            (rows.spend, cost * self.money),
            (rows.role_cap.get(column.role), 1.0),
            (rows.starts.get(column.start), 1.0),
            (rows.coverage, cov),
            (rows.quality, fit),
        )
        return found + [(row, coef) for row, coef in links if row is not None and coef != 0]

    def fits(self, column: Any) -> bool:
        """Whether a seat's bundle of each period meets its capacity then (ramping or
        full), its breadth and its product-line cap."""
        resps = self.model.pool.resps
        seat = self._seat(column)
        cap = self.model.limits.max_products
        for k, owned in enumerate(column.owned):
            slot = seat.slot(column.start, column.start + k)
            if sum(resps[ji].hours for ji in owned) > slot.hours_cap + EPS:
                return False
            if len(owned) > slot.breadth:
                return False
            lines = {resps[ji].product for ji in owned} - {None}
            if cap is not None and len(lines) > cap:
                return False
        return True

    def add_plan(self, values: dict[str, float]) -> None:
        """Add the seats of a plan over periods (their starts and what each owns when)."""
        model = self.model
        owned: dict[tuple[int, int], set[int]] = defaultdict(set)
        for (pi, ji, t), var in model.own.items():
            if values.get(var.name, 0.0) > 0.5:
                owned[pi, t].add(ji)
        found = []
        for seat in self.seats:
            held = [
                t
                for t in range(seat.earliest, self.last + 1)
                if values.get(model.held[seat.person, seat.role, t].name, 0.0) > 0.5
            ]
            if not held:
                continue
            start = held[0]
            work = tuple(
                frozenset(owned.get((seat.person, t), ())) for t in range(start, self.last + 1)
            )
            column = _Column(seat.person, seat.role, start, work)
            if self.fits(column):
                found.append(column)
        self.add(found)

    # ---- pricing ----------------------------------------------------------------------

    def price(self, duals: Any, master: Any) -> tuple[float, list[Any]]:
        """The Lagrangian bound at `duals` (minimisation form), and the seats found there
        that price out at the master's duals `master`: each person's best over roles and
        starts, and the best of every other role and start that prices out too (one
        round then does what one column per person would take many rounds for)."""

        rows = self.rows
        y, checked = self.signed(duals), self.signed(master)
        bound = self.constant(y)
        profit, pair_bonus = self.profits(y)
        best: dict[int, float] = {}
        candidates: list[_Column] = []
        for seat in self.seats:
            must = self.required.get(seat.person)
            if must is not None and seat.role not in must:
                continue
            for reduced, column in self._starts(seat, y, profit, pair_bonus):
                best[seat.person] = min(best.get(seat.person, math.inf), reduced)
                candidates.append(column)
        tol = _PRICED * max(1.0, self._scale())
        for pi in rows.person:
            if pi in best:
                bound += best[pi] if pi in self.required else min(0.0, best[pi])
        found = [c for c in candidates if self._reduced(c, checked) < -tol and self.fits(c)]
        return bound - tol, found

    def _starts(
        self, seat: _Seat, y: Any, profit: Any, pair_bonus: float
    ) -> list[tuple[float, _Column]]:
        """A seat's best bundle for each start, with its reduced cost at duals `y`."""
        rows, at = self.rows, self.dual_of
        full = {t: self._knapsack(slot, profit, pair_bonus) for t, slot in seat.full.items()}
        ramping = {t: self._knapsack(slot, profit, pair_bonus) for t, slot in seat.ramping.items()}
        fixed = -at(y, rows.headcount) - at(y, rows.role_cap.get(seat.role))
        fixed -= at(y, rows.budget) * seat.annual * self.money
        found = []
        for start in range(seat.earliest, self.last + 1):
            cost = self.seat_cost(seat, start) * self.money
            reduced = fixed - at(y, rows.spend) * cost - at(y, rows.starts.get(start))
            if self.stage is Stage.COST:
                reduced += cost
            owned = []
            for t in range(start, self.last + 1):
                ramps = t < start + seat.ramp and t in ramping
                gain, items = ramping[t] if ramps else full[t]
                reduced -= gain
                slot = seat.slot(start, t)
                owned.append(
                    frozenset(int(self.pair_resp[m]) for i in items for m in slot.members[i])
                )
            found.append((reduced, _Column(seat.person, seat.role, start, tuple(owned))))
        return found

    # ---- the bound in the stage's terms -----------------------------------------------

    def reported(self, lagrangian: float) -> float:
        """A bound of the master (minimisation form) in the stage's sense and units,
        rounded to the stage's granularity when its objective is made of whole numbers,
        and never past the stage's trivial bound."""
        model = self.model
        if self.stage is Stage.COST:
            bound = lagrangian / self.money
            costs = [
                self.seat_cost(seat, start)
                for seat in self.seats
                for start in range(seat.earliest, self.last + 1)
            ]
            step = _granularity(costs)
            bound = bound if step is None else math.ceil(bound / step - 1e-6) * step
            return max(0.0, bound)
        cells = {(ji, t) for _pi, ji, t in model.own}
        if self.stage is Stage.COVERAGE:
            bound = -lagrangian
            step = _granularity(self.cov)
            bound = bound if step is None else math.floor(bound / step + 1e-6) * step
            return min(bound, sum(self.cov[ji] for ji, _t in cells))
        best: dict[tuple[int, int], float] = {}
        cells_of = zip(self.pair_resp.tolist(), self.pair_period.tolist(), strict=True)
        for i, cell in enumerate(cells_of):
            best[cell] = max(best.get(cell, 0.0), float(self.pair_fit[i]))
        exists = work_periods(model.scenario)
        kept = sum(s for a, b, s in self.couplings for _t in set(exists[a]) & set(exists[b]))
        return min(-lagrangian, sum(best.values()) + kept) + model.quality_constant
