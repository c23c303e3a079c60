"""The local search's moves, one function a move: each is one pass over the plan and says
whether it changed it.

Every move keeps every rule of the model as it goes (`State.can_take`, `State.may_seat`)
and keeps a change only when the goal's key rises within its floors (`Search.best_of`).
`reassign` and the direct exchanges of `exchange` change neither seats nor cost: they are
kept when quality rises, which is better for every stage.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

from orgplan.heuristics.goal import Goal
from orgplan.heuristics.placing import bundle_among, fill, first_free, place
from orgplan.heuristics.search import Move, Search
from orgplan.heuristics.state import State
from orgplan.model.stages import Stage

# How many unseated people a seat's replacement (or a new seat) is tried with, best first.
_SHORTLIST = 30

Rank = Callable[[float, float, float], tuple[float, ...]]

REPAIR_RANKS: tuple[Rank, ...] = (
    lambda gain, fitq, cost: (-gain, -fitq / max(cost, 1.0)),
    lambda gain, fitq, cost: (-gain / max(cost, 1.0), -fitq),
    lambda gain, fitq, cost: (-gain, -fitq, cost),
)
"""How a rebuild ranks new seats by (coverage they take, fit hours, cost), smallest first,
in the coverage and quality stages; each rule is tried and the best rebuild kept (none
wins everywhere: a tight budget wants fit per money, a tight headcount fit per seat)."""

Attempt = Callable[[], None]


def neighbourhood(stage: Stage) -> tuple[Move, ...]:
    """Every move a stage's search makes, in the order its passes run."""
    passes: tuple[Move, ...] = (reassign, exchange, shift, replace)
    return passes + ((rebuild,) if stage is Stage.COST else (eject, open_seat, rebuild))


# ---- reassign: one responsibility to another seated person (or cover it) -----------------


def reassign(search: Search) -> bool:
    """Give each responsibility to the seated person who adds most quality, if any does
    (in the coverage stage: cover uncovered work whatever it costs in quality)."""
    # Same seats, same cost, every limit kept by can_take: a move is better for every
    # stage iff quality rises, or (coverage stage) it covers work left uncovered.
    st, d = search.st, search.st.d

    def step(ji: int) -> bool:
        here = st.owner[ji]
        if here is None and search.goal.stage is Stage.COVERAGE and d.weight[ji] > 0:
            floor = -math.inf
        else:
            floor = 1e-9 * max(1.0, abs(st.quality))
        best, gain = None, floor
        for b in sorted(st.role):
            if b != here and st.can_take(b, ji):
                found = st.delta([(ji, b)])
                if found > gain:
                    best, gain = b, found
        if best is None:
            return False
        st.assign(ji, best)
        search.moves += 1
        return True

    return search.each(search.work(), step)


# ---- exchange: two responsibilities between their owners (or one for an uncovered one) ---


def exchange(search: Search) -> bool:
    """Exchange each owned responsibility with the one of another seat that adds most
    quality, or with uncovered work worth at least as much."""
    st, d = search.st, search.st.d

    def step(j1: int) -> bool:
        a = st.owner[j1]
        if a is None:
            return False
        tries = []
        best: tuple[int, int] | None = None
        gain = 1e-9 * max(1.0, abs(st.quality))
        for j2 in range(d.n):
            b = st.owner[j2]
            if j2 == j1 or b == a:
                continue
            if b is None:
                if d.weight[j2] >= d.weight[j1] and st.fits_role(a, j2):
                    tries.append(_swap(st, j1, a, j2, b))
                continue
            if not (st.fits_role(b, j1) and st.fits_role(a, j2) and st.swap_fits(a, j1, b, j2)):
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
            search.moves += 1
            return True
        return bool(tries) and search.best_of(tries)

    return search.each(search.work(), step)


def _swap(st: State, j1: int, a: int, j2: int, b: int | None) -> Attempt:
    """`a` gives up `j1` for `j2`, which `b` (None: nobody) gives up for `j1`."""

    def go() -> None:
        st.assign(j1, None)
        st.assign(j2, None)
        if st.can_take(a, j2):
            st.assign(j2, a)
            if b is not None and st.can_take(b, j1):
                st.assign(j1, b)

    return go


# ---- shift: a product line's block of work between two seats -----------------------------


def shift(search: Search) -> bool:
    """Move one product line's work of a seat to another seat, or exchange two such blocks
    (one responsibility at a time cannot cross a full product-focus limit)."""
    st, d = search.st, search.st.d
    if d.max_products is None:
        return False

    def step(a: int) -> bool:
        if a not in st.role:
            return False
        tries: list[Attempt] = []
        for block in _blocks(st, a):
            for b in sorted(st.role):
                if b == a or not all(st.fits_role(b, ji) for ji in block):
                    continue
                tries.append(_move_blocks(st, block, a, [], b))
                for other in _blocks(st, b):
                    if all(st.fits_role(a, ji) for ji in other):
                        tries.append(_move_blocks(st, block, a, other, b))
        return bool(tries) and search.best_of(tries)

    return search.each(sorted(st.role if search.focus is None else search.focus), step)


def _blocks(st: State, pi: int) -> list[list[int]]:
    """A seat's work by product line (work of no line aside), lines in order."""
    by_line: dict[str, list[int]] = defaultdict(list)
    for ji in sorted(st.work[pi]):
        line = st.d.product[ji]
        if line is not None:
            by_line[line].append(ji)
    return [by_line[line] for line in sorted(by_line)]


def _move_blocks(st: State, block: list[int], a: int, other: list[int], b: int) -> Attempt:
    """`a`'s `block` to `b`, and `b`'s `other` block to `a`."""

    def go() -> None:
        for ji in block + other:
            st.assign(ji, None)
        for ji in block:
            if st.can_take(b, ji):
                st.assign(ji, b)
        for ji in other:
            if st.can_take(a, ji):
                st.assign(ji, a)

    return go


# ---- eject: cover uncovered work by moving one of the receiver's to a third person --------


def eject(search: Search) -> bool:
    """Cover each uncovered responsibility, most valuable first, by moving one of its new
    owner's to a third person."""
    st, d = search.st, search.st.d

    def step(j2: int) -> bool:
        if st.owner[j2] is not None:
            return False
        tries = []
        seated = sorted(st.role)
        for a in seated:
            if not st.fits_role(a, j2):
                continue
            for j1 in sorted(st.work[a]):
                for c in seated:
                    if c != a and st.fits_role(c, j1):
                        tries.append(_eject(st, j2, a, j1, c))
        return bool(tries) and search.best_of(tries)

    return search.each(sorted(range(d.n), key=lambda j: -d.weight[j]), step)


def _eject(st: State, j2: int, a: int, j1: int, c: int) -> Attempt:
    """`a`'s `j1` to `c`, then uncovered `j2` to `a`."""

    def go() -> None:
        if st.can_take(c, j1):
            st.assign(j1, c)
            if st.can_take(a, j2):
                st.assign(j2, a)

    return go


# ---- replace: a seat's work to someone else, or spread over the others --------------------


def replace(search: Search) -> bool:
    """Hand each seat's work, dearest seat first, to an unseated person or to the same
    person in another role, or spread it over the others and drop the seat."""
    st, d = search.st, search.st.d

    def step(p: int) -> bool:
        if p not in st.role or p in d.fixed:
            return False
        return search.best_of(_replacements(search, p))

    return search.each(sorted(st.role, key=lambda pi: (-d.cost[pi, st.role[pi]], pi)), step)


def _replacements(search: Search, p: int) -> list[Attempt]:
    """The hand-overs of seat `p` worth trying: to nobody, to `p` in another role, and to
    the shortlist of unseated people ranked for the stage."""
    st, d, goal = search.st, search.st.d, search.goal
    role = st.role[p]
    bundle = st.work[p]
    own_cost = d.cost[p, role]
    tries: list[Attempt] = [_hand_over(st, p, None, None)]
    tries += [_hand_over(st, p, p, r) for r in d.roles[p] if r != role]
    ranked: list[tuple[tuple[float, ...], int, str]] = []
    for q in _unseated(search, skip_fixed=True):
        for rq in d.roles[q]:
            cost = d.cost[q, rq]
            if goal.stage is Stage.COST and cost > own_cost and not goal.price:
                continue
            takes = [ji for ji in bundle if rq in d.own_roles.get((q, ji), ())]
            fitq = sum(d.fitq[q, ji] for ji in takes)
            if goal.stage is Stage.COVERAGE:
                gain = sum(
                    d.weight[ji]
                    for ji in d.can_own[q]
                    if st.owner[ji] is None and rq in d.own_roles[q, ji]
                )
                rank: tuple[float, ...] = (-len(takes), -gain, -fitq, cost)
            elif goal.stage is Stage.QUALITY:
                rank = (-fitq, cost)
            else:
                if not takes:
                    continue
                # money saved less what the fit it gives up is worth
                price = goal.price or d.price_scale
                lost = sum(d.fitq[p, ji] for ji in takes) - fitq
                rank = (cost + price * lost, -len(takes), cost)
            ranked.append((rank, q, rq))
    ranked.sort()
    tries += [_hand_over(st, p, q, rq) for _rank, q, rq in ranked[:_SHORTLIST]]
    return tries


def _unseated(search: Search, skip_fixed: bool) -> Iterator[int]:
    """The unseated people in order (`skip_fixed`: but those of a fixed role), the first
    of identical open requisitions standing for all."""
    st, d = search.st, search.st.d
    twins: set[int] = set()
    for q in search.people:
        if q in st.role or (skip_fixed and q in d.fixed):
            continue
        twin = d.twin_of.get(q)
        if twin is not None:
            if twin in twins:
                continue
            twins.add(twin)
        yield q


def _hand_over(st: State, p: int, q: int | None, rq: str | None) -> Attempt:
    """Drop seat `p`, seat `q` as `rq` (None: nobody), and place `p`'s work, `q` first."""

    def go() -> None:
        bundle = sorted(st.work[p], key=lambda j: (-st.d.hours[j], j))
        for ji in bundle:
            st.assign(ji, None)
        st.unseat(p)
        if q is not None and rq is not None:
            st.seat(q, rq)
        seated = sorted(st.role, key=lambda pi: (pi != q, pi))
        for ji in bundle:
            place(st, ji, seated)
        if q is not None:
            fill(st, q)

    return go


# ---- open_seat: someone new, with uncovered work or work they do better -------------------


def open_seat(search: Search) -> bool:
    """Seat the unseated person (in the role) that the shortlist ranks best, and give them
    uncovered work, or (past the coverage stage) work they do better."""
    st, d, stage = search.st, search.st.d, search.goal.stage
    ranked: list[tuple[tuple[float, ...], int, str]] = []
    for q in _unseated(search, skip_fixed=False):
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
            if stage is Stage.COVERAGE and cover <= 0:
                continue
            if better <= 0 and cover <= 0:
                continue
            rank = (-cover, -better) if stage is Stage.COVERAGE else (-better, -cover)
            ranked.append(((*rank, d.cost[q, rq]), q, rq))
    ranked.sort()
    return search.best_of(_open(search, q, rq) for _rank, q, rq in ranked[:_SHORTLIST])


def _open(search: Search, q: int, rq: str) -> Attempt:
    """Seat `q` as `rq`, fill the seat, then (past the coverage stage) give it the work it
    does better than its owner, as long as quality rises."""

    def go() -> None:
        st, d = search.st, search.st.d
        st.seat(q, rq)
        fill(st, q)
        if search.goal.stage is Stage.COVERAGE:
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


# ---- rebuild: empty one or two seats and cover their work again ---------------------------


def rebuild(search: Search) -> bool:
    """Empty one or two seats, dearest first, and cover their work again: on the seats
    left, then on new seats chosen by cost per covered hours x priority; then win back
    the quality lost."""
    st, d, goal = search.st, search.st.d, search.goal
    seated = sorted(
        (p for p in st.role if p not in d.fixed), key=lambda p: (-d.cost[p, st.role[p]], p)
    )
    emptied: list[tuple[int, ...]] = [(p,) for p in seated]
    emptied += [(p, q) for i, p in enumerate(seated) for q in seated[i + 1 :]]
    ranks: Sequence[Rank | None] = [None] if goal.stage is Stage.COST else REPAIR_RANKS

    def step(group: tuple[int, ...]) -> bool:
        if any(p not in st.role for p in group):
            return False  # an earlier rebuild of this pass moved them
        return search.best_of([_rebuilding(search, group, rank) for rank in ranks])

    return search.each(emptied, step)


def _rebuilding(search: Search, group: tuple[int, ...], rank: Rank | None) -> Attempt:
    """The rebuild of `group` with new seats ranked by `rank`, as an attempt."""
    return lambda: rebuild_group(search, group, rank)


def rebuild_group(
    search: Search, group: tuple[int, ...], repair_rank: Rank | None, kick: bool = False
) -> None:
    """Empty the seats of `group`, cover their work again on the seats left and then on new
    seats ranked by `repair_rank` (None: the cost stage's money per coverage, fit priced),
    then win back quality and coverage with the cheap moves: in the cost stage only when
    the rebuild saved money but broke the quality floor, or (`kick`) always."""
    st, d, goal = search.st, search.st.d, search.goal
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
        place(st, ji, seated)
    _seat_for(st, freed, repair_rank, goal.price or d.price_scale)
    if goal.stage is Stage.COST and not kick:
        if st.cost >= cost_before:
            return  # nothing to gain: the caller rolls back
        if goal.quality_floor is None or st.quality >= goal.quality_floor:
            return
    # win back quality (and coverage) with the cheap moves, floors aside for now
    mend = Goal(
        Stage.COVERAGE if goal.stage is Stage.COVERAGE else Stage.QUALITY, None, None, False
    )
    touched = {st.owner[ji] for ji in freed} - {None}
    Search(
        st,
        mend,
        search.clock,
        (reassign, exchange, shift),
        nested=True,
        focus={pi for pi in touched if pi is not None},
    ).run()


def _seat_for(st: State, freed: list[int], repair_rank: Rank | None, price: float) -> None:
    """Seat new people, best ranked first, for the work of `freed` still uncovered, until
    it is all covered or no new seat takes any of it."""
    d = st.d
    while True:
        left = [ji for ji in freed if st.owner[ji] is None]
        if not left:
            break
        best: tuple[tuple[float, ...], int, str, list[int]] | None = None
        for q in sorted({q for ji in left for q in d.owners[ji]}):
            if q in st.role:
                continue
            chain = d.chain_of.get(q)
            if chain is not None and q != first_free(st, chain):
                continue  # identical open requisitions: the first free one stands for all
            for rq in d.roles[q]:
                if not st.may_seat(q, rq):
                    continue
                gain, fitq, work = bundle_among(st, q, rq, left)
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
