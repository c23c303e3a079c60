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
