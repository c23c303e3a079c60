"""An assignment-problem oracle: with a breadth cap of 1, free hires, one role, ample
capacity, equal hours, priority 1 and no couplings, planning is bipartite matching.

Coverage (hours x priority) is then hours x the number of responsibilities matched, so the
coverage stage finds a maximum-cardinality matching, and the quality stage the largest
sum of hours x fit among those: networkx's `max_weight_matching(maxcardinality=True)` on
the person-responsibility graph of eligible pairs, weighted hours x fit.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import eligible, fit_of, floor_misses, hire_levels, levels_of
from solver_helpers import scenario, solve_checked, stage

SKILLS = ["business", "technical", "communication"]
HOURS = 8


def matching_optimum(scen: Any) -> tuple[int, float]:
    """(cardinality, weight) of the maximum-weight maximum-cardinality matching."""
    gap = scen.policy.max_skill_gap
    people = [(c.id, levels_of(scen, c)) for c in scen.candidates]
    role = next(iter(scen.roles))
    people += [(f"open{k}", hire_levels(scen, role)) for k in range(scen.roles[role].open_reqs)]
    graph = nx.Graph()
    for key, levels in people:
        if floor_misses(levels, scen.roles[role].floors):
            continue  # cannot hold the seat at all
        for r in scen.responsibilities:
            if eligible(levels, r.needs, gap):
                graph.add_edge(("p", key), ("r", r.id), weight=r.hours * fit_of(levels, r.needs))
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    weight = sum(graph.edges[a, b]["weight"] for a, b in matching)
    return len(matching), weight


levels = st.sampled_from([0, 1, 2, 3, 4, 5, 1.5, 3.5])


@st.composite
def assignment_problems(draw: Any) -> dict[str, Any]:
    n_people = draw(st.integers(1, 6))
    n_work = draw(st.integers(1, 6))
    floors = draw(st.dictionaries(st.sampled_from(SKILLS), st.sampled_from([1, 2]), max_size=1))
    role: dict[str, Any] = {
        "cost": 0,  # free hires: cost can never compete with quality
        "capacity": 40,
        "max_responsibilities": 1,
        "floors": floors,
        "open_reqs": draw(st.integers(0, 2)),
    }
    if draw(st.booleans()):
        role["hire_profile"] = {
            **draw(st.dictionaries(st.sampled_from(SKILLS), levels)),
            **{s: v + 1 for s, v in floors.items()},
        }
    candidates = [
        {"id": f"c{i}", "skills": draw(st.fixed_dictionaries({s: levels for s in SKILLS}))}
        for i in range(n_people)
    ]
    responsibilities = [
        {
            "id": f"r{j}",
            "hours": HOURS,
            "needs": draw(
                st.dictionaries(
                    st.sampled_from(SKILLS), st.sampled_from([1, 2, 3, 4, 5]), max_size=3
                )
            ),
        }
        for j in range(n_work)
    ]
    return dict(
        roles={"PM": role},
        responsibilities=responsibilities,
        candidates=candidates,
        policy={"max_skill_gap": draw(st.sampled_from([0, 1, 2]))},
    )


@settings(max_examples=40, deadline=None)
@given(assignment_problems())
def test_quality_equals_max_weight_matching(data):
    scen = scenario(**data)
    size, weight = matching_optimum(scen)
    plan = solve_checked(scen, explain=False)
    assert stage(plan, "coverage") == pytest.approx(HOURS * size, abs=1e-6)
    assert len(plan.assignments) == size
    assert stage(plan, "quality") == pytest.approx(weight, abs=1e-6)
    # with no tolerance the final plan is itself a maximum-weight matching
    exact = solve_checked(scen, explain=False, quality_tolerance=0.0)
    assert exact.kpis.quality == pytest.approx(weight, abs=1e-6)
    assert all(len(s.responsibilities) <= 1 for s in exact.seats)


def test_a_greedy_choice_is_not_the_matching():
    # greedy would give r0 to c0 (fit 1) and leave r1 to c1 (fit 0.5): 1.5 x 8 = 12;
    # the matching gives r0 to c1 (0.75) and r1 to c0 (1): 1.75 x 8 = 14
    data = dict(
        roles={"PM": {"cost": 0, "max_responsibilities": 1}},
        responsibilities=[
            {"id": "r0", "hours": HOURS, "needs": {"business": 4}},
            {"id": "r1", "hours": HOURS, "needs": {"technical": 4}},
        ],
        candidates=[
            {"id": "c0", "skills": {"business": 4, "technical": 4}},
            {"id": "c1", "skills": {"business": 3, "technical": 2}},
        ],
        policy={"max_skill_gap": 2},
    )
    scen = scenario(**data)
    assert matching_optimum(scen) == (2, pytest.approx(14))
    plan = solve_checked(scen, quality_tolerance=0.0)
    assert plan.kpis.quality == pytest.approx(14)
    assert {a.responsibility: a.candidate for a in plan.assignments} == {"r0": "c1", "r1": "c0"}
