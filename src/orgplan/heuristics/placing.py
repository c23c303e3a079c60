"""Giving uncovered work to seats: one responsibility to its best seat, a seat its fill,
and the bundle a new seat would take."""

from __future__ import annotations

from orgplan.heuristics.state import FIT, State


def place(st: State, ji: int, seated: list[int]) -> bool:
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


def first_free(st: State, chain: list[int]) -> int | None:
    """The first unseated open requisition of a chain of identical ones."""
    return next((pi for pi in chain if pi not in st.role), None)


def bundle_among(st: State, pi: int, role: str, items: list[int]) -> tuple[float, float, list[int]]:
    """Like `bundle`, over `items` only (uncovered, most valuable first)."""
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
        if roles is None or role not in roles or load + d.hours[ji] > cap + FIT:
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


def fill(st: State, pi: int) -> None:
    """Give seated `pi` the uncovered work they can take, most valuable first."""
    for ji in st.d.order.get(pi, ()):
        if st.owner[ji] is None and st.can_take(pi, ji):
            st.assign(ji, pi)


def bundle(st: State, pi: int, role: str) -> tuple[float, float, list[int]]:
    """The uncovered work a new seat (pi, role) would take, most valuable first: its
    coverage, its fit hours, and the responsibilities."""
    uncovered = [ji for ji in st.d.order.get(pi, ()) if st.owner[ji] is None]
    return bundle_among(st, pi, role, uncovered)


def seat_decided(st: State) -> bool:
    """Seat the people the decisions give work to (in a role that may own all of it) and
    give them that work, and the work kept with it; False when a limit refuses."""
    d = st.d
    work: dict[int, list[int]] = {}
    for ji, pi in sorted(d.pinned.items()):
        work.setdefault(pi, []).append(ji)
    for group in d.groups:
        owners = {d.pinned[ji] for ji in group if ji in d.pinned}
        if len(owners) == 1:
            pi = owners.pop()
            work[pi] += [ji for ji in group if ji not in d.pinned]
    for pi, owned in sorted(work.items()):
        if pi not in st.role:
            roles = [
                r for r in d.roles.get(pi, ()) if all(r in d.own_roles[pi, ji] for ji in owned)
            ]
            role = next((r for r in roles if st.may_seat(pi, r)), None)
            if role is None:
                return False
            st.seat(pi, role, log=False)
        for ji in owned:
            if st.owner[ji] != pi:
                if not st.can_take(pi, ji):
                    return False
                st.assign(ji, pi, log=False)
    return True


def keep_groups(st: State) -> None:
    """Give each group of work kept together (split by the greedy) to one of its owners
    who can take all of it, else leave it all uncovered."""
    for group in st.d.groups:
        owners = [pi for pi in dict.fromkeys(st.owner[ji] for ji in group) if pi is not None]
        if len({st.owner[ji] for ji in group}) == 1:
            continue
        for ji in group:
            st.assign(ji, None, log=False)
        for pi in owners:
            mark = st.mark()
            for ji in group:
                if not st.can_take(pi, ji):
                    break
                st.assign(ji, pi)
            else:
                break
            st.rollback(mark)
        st.commit()
