"""The coordination a plan leaves between its seats: split couplings as a weighted graph."""

from __future__ import annotations

import networkx as nx

from orgplan.results.plan import Plan


def coordination_graph(plan: Plan) -> nx.Graph:
    """Seats as nodes, an edge per pair of seats with split couplings between them.

    An edge's `weight` is the handoff cost summed over those couplings and `couplings`
    lists them; a coupling with an uncovered end is no seat-to-seat load and is left out.
    """
    graph = nx.Graph()
    graph.add_nodes_from(s.seat for s in plan.seats)
    for h in plan.handoffs:
        a, b = h.seats
        if a is None or b is None or a == b:
            continue
        if graph.has_edge(a, b):
            graph[a][b]["weight"] += h.cost
            graph[a][b]["couplings"].append(h.between)
        else:
            graph.add_edge(a, b, weight=h.cost, couplings=[h.between])
    return graph


def ranked_pairs(plan: Plan, graph: nx.Graph) -> list[tuple[str, str]]:
    """The seat pairs of `graph`, heaviest handoff cost first, each in seat order."""
    order = {s.seat: i for i, s in enumerate(plan.seats)}
    return sorted(
        ((a, b) if order[a] <= order[b] else (b, a) for a, b in graph.edges),
        key=lambda e: (-graph.edges[e]["weight"], order[e[0]], order[e[1]]),
    )


def load_share(graph: nx.Graph, seat: str, plan: Plan) -> float:
    """The share of the plan's handoff cost that `seat` takes part in (0 without handoffs)."""
    total = sum(h.cost for h in plan.handoffs)
    return (graph.degree(seat, weight="weight") / total) if total else 0.0
