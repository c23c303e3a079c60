"""Between a plan's values (by variable name) and a search state, checked on the way out."""

from __future__ import annotations

from orgplan.heuristics.check import Values, violations
from orgplan.heuristics.data import Data
from orgplan.heuristics.state import State


def from_values(data: Data, values: Values) -> State:
    """The state `values` describe (seats first; work only where its owner's role allows)."""
    model = data.model
    st = State(data)
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


def canonical(st: State) -> State:
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


def to_values(st: State) -> Values:
    """Every variable of the model at `st`, the objective columns and focus included."""
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


def checked(st: State) -> Values | None:
    """The state's values when every row of the problem holds, else None."""
    values = to_values(canonical(st))
    return None if violations(st.d.model, values) else values
