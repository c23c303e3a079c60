"""The seat pairs of a plan's split couplings, against networkx's weighted graph."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest import approx

from orgplan.analysis.coordination import coordination
from orgplan.results.plan import Handoff

SEATS = ("PM-1", "PM-2", "TPM-1", "PMM-1")
END = st.one_of(st.none(), st.sampled_from(SEATS))


def _plan(handoffs: list[Handoff]) -> Any:
    """What `coordination` reads of a plan: its seats in order and its handoffs."""
    return SimpleNamespace(seats=[SimpleNamespace(seat=s) for s in SEATS], handoffs=handoffs)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(END, END, st.integers(1, 9)), max_size=12))
def test_pairs_loads_and_shares_as_networkx_weighs_them(ends: list[Any]) -> None:
    handoffs = [Handoff((f"r{i}", f"s{i}"), (a, b), c) for i, (a, b, c) in enumerate(ends)]
    result = coordination(_plan(handoffs))
    graph = nx.Graph()
    graph.add_nodes_from(SEATS)
    for h in handoffs:
        a, b = h.seats
        if a is not None and b is not None and a != b:
            weight = graph.edges[a, b]["weight"] if graph.has_edge(a, b) else 0
            graph.add_edge(a, b, weight=weight + h.cost)
    assert {frozenset(p.seats): p.cost for p in result.pairs} == {
        frozenset(e): graph.edges[e]["weight"] for e in graph.edges
    }
    total = sum(h.cost for h in handoffs)
    for seat in SEATS:
        assert result.load(seat) == graph.degree(seat, weight="weight")
        assert result.partners(seat) == graph.degree(seat)
        assert result.share(seat) == approx(
            graph.degree(seat, weight="weight") / total if total else 0
        )
    costs = [p.cost for p in result.pairs]
    assert costs == sorted(costs, reverse=True)
    for p in result.pairs:  # each pair in seat order, its couplings in plan order
        assert SEATS.index(p.seats[0]) < SEATS.index(p.seats[1])
        assert list(p.couplings) == [h.between for h in handoffs if set(h.seats) == set(p.seats)]


def test_equal_pairs_in_seat_order_and_uncovered_ends_only_in_the_total() -> None:
    handoffs = [
        Handoff(("a", "b"), ("TPM-1", "PMM-1"), 2),
        Handoff(("c", "d"), ("PM-2", "PM-1"), 2),
        Handoff(("e", "f"), ("PM-1", None), 5),
    ]
    result = coordination(_plan(handoffs))
    assert [(p.seats, p.cost, p.couplings) for p in result.pairs] == [
        (("PM-1", "PM-2"), 2, (("c", "d"),)),
        (("TPM-1", "PMM-1"), 2, (("a", "b"),)),
    ]
    assert result.total == 9
    assert result.share("PM-1") == approx(2 / 9) and result.load("PM-1") == 2
