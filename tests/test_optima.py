"""A table of small scenarios whose optimum was worked out by hand.

Each row: the scenario, the structure, the values the three stages must reach
(coverage = covered hours x priority, None when coverage is required and the stage is
skipped; quality = hours x fit less handoffs, the stage's optimum; cost = the final
team's cost), and some KPIs of the final plan. The arithmetic is in each row's comment.
"""

from __future__ import annotations

import pytest

from solver_helpers import cand, resp, scenario, solve_checked, stage

TWO_ROLES = {"PM": {"cost": 100}, "TPM": {"cost": 100}}
COUPLED_WORK = [
    resp("pricing", 10, needs={"business": 4}),
    resp("positioning", 10, needs={"communication": 4}),
]
COUPLED_PEOPLE = [
    cand("biz", skills={"business": 4, "communication": 3}),
    cand("comms", skills={"business": 3, "communication": 4}),
]

CASES = {
    # 10 h at fit 1 by the only candidate
    "one person one job": (
        dict(responsibilities=[resp("a", 10)], candidates=[cand("ana")]),
        None,
        (10, 10, 100),
        {"headcount": 1, "mean_fit": 1.0, "coverage": 1.0},
    ),
    # fit 3/4 on 10 h: 7.5
    "partial fit": (
        dict(
            responsibilities=[resp("a", 10, needs={"business": 4})],
            candidates=[cand("ana", skills={"business": 3})],
        ),
        None,
        (10, 7.5, 100),
        {"mean_fit": 0.75, "covered_hours": 10},
    ),
    # 40 h seat: b (20 h x 2 = 40) beats a (30 h x 1 = 30); quality 20 fit hours
    "priority decides": (
        dict(responsibilities=[resp("a", 30), resp("b", 20, priority=2)], candidates=[cand("ana")]),
        None,
        (40, 20, 100),
        {"covered_hours": 20, "coverage": 0.4, "max_utilization": 0.5},
    ),
    # budget 150: two 60s cover 80 h, the 150 star only 40 h
    "two cheap beat one dear": (
        dict(
            responsibilities=[resp("a", 40), resp("b", 40)],
            candidates=[cand("ana", cost=60), cand("bob", cost=60), cand("star", cost=150)],
            policy={"budget": 150},
        ),
        None,
        (80, 80, 120),
        {"headcount": 2, "max_utilization": 1.0},
    ),
    # one owner of both: 10 + 7.5 = 17.5; split: 20 - 5 = 15
    "coupling kept": (
        dict(
            responsibilities=COUPLED_WORK,
            candidates=COUPLED_PEOPLE,
            couplings=[{"between": ["pricing", "positioning"], "cost": 5}],
        ),
        None,
        (20, 17.5, 100),
        {"handoff_cost": 0, "headcount": 1},
    ),
    # split: 20 - 1 = 19 beats 17.5
    "coupling split": (
        dict(
            responsibilities=COUPLED_WORK,
            candidates=COUPLED_PEOPLE,
            couplings=[{"between": ["pricing", "positioning"], "cost": 1}],
        ),
        None,
        (20, 19, 200),
        {"handoff_cost": 1, "headcount": 2, "mean_fit": 1.0},
    ),
    # y is uncoverable, its coupling with x always costs 10: best quality 2 - 10 = -8; the
    # 1% floor is -8.08 (relative to |Q|), so bob's 1.96 - 10 = -8.04 qualifies and is cheaper
    "negative quality keeps a tolerance below it": (
        dict(
            responsibilities=[
                resp("x", 2, needs={"business": 5}),
                resp("y", 10, needs={"sales": 5}),
            ],
            candidates=[
                cand("ana", skills={"business": 5}, cost=100),
                cand("bob", skills={"business": 4.9}, cost=50),
            ],
            couplings=[{"between": ["x", "y"], "cost": 10}],
        ),
        None,
        (2, -8, 50),
        {"handoff_cost": 10, "mean_fit": 0.98},
    ),
    # open req fit 1 (10) against ana's 0.75 (7.5): 7.5 is far below the 1% floor
    "open requisition beats a weak candidate": (
        dict(
            responsibilities=[resp("a", 10, needs={"business": 4})],
            candidates=[cand("ana", skills={"business": 3}, cost=60)],
            roles={
                "PM": {
                    "cost": 100,
                    "open_reqs": 1,
                    "floors": {"business": 3},
                    "hire_profile": {"business": 4},
                }
            },
        ),
        None,
        (10, 10, 100),
        {"headcount": 1, "mean_fit": 1.0},
    ),
    # required: small is PM-only and ana cannot hold 50 h, so bob (TPM, 30 h) takes big
    "required coverage": (
        dict(
            responsibilities=[resp("big", 30), resp("small", 20, roles=["PM"])],
            candidates=[cand("ana", roles=["PM"]), cand("bob", roles=["TPM"])],
            roles={"PM": {"cost": 100}, "TPM": {"cost": 100, "capacity": 30}},
            policy={"coverage": "required"},
        ),
        None,
        (None, 50, 200),
        {"coverage": 1.0, "headcount": 2},
    ),
    # the fixed TPM sits idle at 500; ana owns the PM work at 10
    "fixed role adds its cost": (
        dict(
            responsibilities=[resp("a", 10, roles=["PM"])],
            candidates=[cand("ana", cost=10), cand("boss", cost=500, fixed_role="TPM")],
            roles=TWO_ROLES,
        ),
        None,
        (10, 10, 510),
        {"headcount": 2, "max_utilization": 0.25},
    ),
    # one product line per seat: Core (a, c) plus the unlabelled d
    "products per seat": (
        dict(
            responsibilities=[
                resp("a", 10, product="Core"),
                resp("b", 10, product="Cloud"),
                resp("c", 10, product="Core"),
                resp("d", 5),
            ],
            candidates=[cand("ana")],
            policy={"max_products_per_seat": 1},
        ),
        None,
        (25, 25, 100),
        {"covered_hours": 25},
    ),
    # one responsibility per seat, two people: two of the three
    "breadth cap": (
        dict(
            responsibilities=[resp("a", 5), resp("b", 5), resp("c", 5)],
            candidates=[cand("ana"), cand("bob")],
            roles={"PM": {"cost": 100, "max_responsibilities": 1}},
        ),
        None,
        (10, 10, 200),
        {"headcount": 2},
    ),
    # two seats of 40 h for three 40 h jobs
    "headcount": (
        dict(
            responsibilities=[resp("a", 40), resp("b", 40), resp("c", 40)],
            candidates=[cand("ana"), cand("bob"), cand("cy")],
            policy={"max_headcount": 2},
        ),
        None,
        (80, 80, 200),
        {"headcount": 2, "covered_hours": 80},
    ),
    # gap 0: ana (3) may not own a need of 4; bob may, at 200
    "no skill gap allowed": (
        dict(
            responsibilities=[resp("a", 10, needs={"business": 4})],
            candidates=[
                cand("ana", skills={"business": 3}, cost=50),
                cand("bob", skills={"business": 4}, cost=200),
            ],
            policy={"max_skill_gap": 0},
        ),
        None,
        (10, 10, 200),
        {"headcount": 1},
    ),
    # ana holds 20 h: one job; bob holds both for 150, cheaper than ana + bob
    "availability": (
        dict(
            responsibilities=[resp("a", 15), resp("b", 15)],
            candidates=[cand("ana", availability=0.5, cost=100), cand("bob", cost=150)],
        ),
        None,
        (30, 30, 150),
        {"headcount": 1, "max_utilization": 0.75},
    ),
    # superhero: one PM seat, no breadth cap, all three on one person
    "superhero": (
        dict(
            responsibilities=[resp("a", 10), resp("b", 10), resp("c", 10, roles=["TPM"])],
            candidates=[cand("ana"), cand("bob")],
            roles={"PM": {"cost": 100, "max_responsibilities": 1}, "TPM": {"cost": 100}},
        ),
        "superhero",
        (20, 20, 100),
        {"headcount": 1, "coverage": 2 / 3},
    ),
    # two uncovered ends still cost their handoff; ana keeps a-b together (10 + 10 - 0)
    "handoff with uncovered ends": (
        dict(
            responsibilities=[
                resp("a", 10),
                resp("b", 10),
                resp("c", 5, needs={"sales": 5}),
                resp("d", 5, needs={"sales": 5}),
            ],
            candidates=[cand("ana")],
            couplings=[{"between": ["a", "b"], "cost": 3}, {"between": ["c", "d"], "cost": 2}],
        ),
        None,
        (20, 18, 100),
        {"handoff_cost": 2},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_known_optimum(name):
    data, structure, (coverage, quality, cost), kpis = CASES[name]
    plan = solve_checked(scenario(**data), structure)
    stages = [s.objective for s in plan.solver.stages]
    if coverage is None:
        assert stages == ["quality", "cost"]
    else:
        assert stages == ["coverage", "quality", "cost"]
        assert stage(plan, "coverage") == pytest.approx(coverage, abs=1e-6)
    assert stage(plan, "quality") == pytest.approx(quality, abs=1e-6)
    assert stage(plan, "cost") == pytest.approx(cost, abs=1e-6)
    assert plan.kpis.total_cost == pytest.approx(cost, abs=1e-6)
    assert plan.status.value == "optimal" and plan.solver.gap == pytest.approx(0, abs=1e-6)
    for key, value in kpis.items():
        assert getattr(plan.kpis, key) == pytest.approx(value, abs=1e-6), key
