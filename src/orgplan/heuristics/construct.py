"""The greedy construction: fixed seats, then one new seat at a time by the best bundle of
uncovered work, under several ranking rules, each polished by a short local search."""

from __future__ import annotations

import heapq
from collections.abc import Callable

from orgplan.heuristics.budget import Clock
from orgplan.heuristics.check import Values
from orgplan.heuristics.convert import checked
from orgplan.heuristics.data import Data
from orgplan.heuristics.goal import Goal, better, floors
from orgplan.heuristics.moves import eject, exchange, neighbourhood, open_seat, reassign, shift
from orgplan.heuristics.placing import bundle, keep_groups, place, seat_decided
from orgplan.heuristics.search import Move, Search
from orgplan.heuristics.state import State
from orgplan.model import TeamModel
from orgplan.model.stages import Stage

# The polish of each construction: the moves that need no new plan of the whole team.
_QUICK: tuple[Move, ...] = (reassign, exchange, shift, eject, open_seat)

_Score = Callable[[float, float, float], float]


def _rules(data: Data) -> list[_Score]:
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


def _construct(data: Data, score: _Score) -> State | None:
    """The greedy plan under one rule of `_rules` (None: the fixed seats break a limit)."""
    st = State(data)
    for pi, role in sorted(data.fixed.items()):
        st.seat(pi, role, log=False)
    if not seat_decided(st) or not st.within_limits(complete=False):
        return None
    # what the fixed seats can hold, most valuable work first
    fixed_seated = sorted(st.role)
    for ji in sorted(range(data.n), key=lambda j: (-data.weight[j], j)):
        place(st, ji, fixed_seated)
    # then one new seat at a time: lazy greedy (a seat's gain only shrinks as work is covered)
    heap: list[tuple[float, float, float, int, str]] = []
    for pi in sorted(data.roles):
        if pi in st.role:
            continue
        if data.twin_of.get(pi, pi) != pi:
            continue  # identical open requisitions: the chain's first stands for all
        for role in data.roles[pi]:
            gain, fitq, _work = bundle(st, pi, role)
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
        gain, fitq, work = bundle(st, pi, role)
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
            gain, fitq, _work = bundle(st, pi, role)
            if gain > 0:
                heapq.heappush(heap, (-score(gain, fitq, cost), -fitq, cost, pi, role))
    keep_groups(st)
    return st


def greedy_plan(model: TeamModel, time_budget: float | None = None) -> Values | None:
    """A plan feasible for every constraint of `model`, built greedily for coverage then
    fit then cost (and polished by a short local search on coverage); None when none was
    found (say coverage is required and the greedy leaves work over). `time_budget`
    None: a budget of `budget.WORK` moves instead of seconds."""
    return greedy_within(model, Clock(time_budget))


def greedy_within(model: TeamModel, clock: Clock) -> Values | None:
    """`greedy_plan` within `clock`."""
    data = Data(model)
    if data.impossible:
        return None
    coverage_floor, quality_floor = floors(model)
    goal = Goal(Stage.COVERAGE, coverage_floor, quality_floor)
    relaxed = Goal(Stage.COVERAGE, coverage_floor, quality_floor, complete=False)
    best: State | None = None
    for score in _rules(data):
        st = _construct(data, score)
        if st is None:
            continue
        if data.required and st.uncovered:
            Search(st, relaxed, clock, _QUICK).run()  # cover the rest, then require it
        if goal.ok(st):
            Search(st, goal, clock, _QUICK).run()
            if best is None or better(goal.key(st), goal.key(best)):
                best = st
        if clock.over() and best is not None:
            break
    if best is None:
        return None
    # the whole neighbourhood, on the best start only
    Search(best, goal, clock, neighbourhood(goal.stage)).run()
    return checked(best)
