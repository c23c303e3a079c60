"""The independent timed checker catches what it is there for: a real plan over four
quarters passes, and each corruption of it (a start before the person is available, work
owned before its seat starts, a ramping seat over its reduced capacity, too many starts in
a period, a spend over the spend budget, a period's spend or one-off costs misreported, an
owner change not counted) is named in the exact words of the check."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest

from checker import check_plan
from conftest import to_yaml
from orgplan import solve
from orgplan.scenario.loading import parse_scenario

QUARTERS = ["Q1", "Q2", "Q3", "Q4"]
DATA: dict[str, Any] = {
    "name": "Checked",
    "horizon": {"periods": QUARTERS},
    "roles": {
        "PM": {
            "cost": 120000,
            "open_reqs": 1,
            "time_to_hire": 1,
            "ramp_up": 1,
            "hire_cost": 10000,
            "hire_profile": {"domain": 3},
        }
    },
    "responsibilities": [
        {"id": "roadmap", "hours": 30, "needs": {"domain": 3}, "priority": 3},
        {"id": "research", "hours": 30, "needs": {"domain": 3}},
        {"id": "launch", "hours": 10, "needs": {"domain": 3}, "periods": ["Q3", "Q4"]},
    ],
    "couplings": [{"between": ["roadmap", "launch"], "cost": 2}],
    "candidates": [
        {
            "id": "ines",
            "skills": {"domain": 3},
            "cost": 110000,
            "internal": True,
            "backfill_cost": 5000,
        },
        {"id": "sam", "skills": {"domain": 3}, "cost": 100000, "available_from": "Q2"},
    ],
    "policy": {"max_hires_per_period": 1},
}


@pytest.fixture(scope="module")
def solved() -> tuple[Any, Any]:
    scenario = parse_scenario(to_yaml(DATA))
    return scenario, solve(scenario)


def _seat(plan: Any, name: str, **changes: Any) -> Any:
    seats = tuple(replace(s, **changes) if s.seat == name else s for s in plan.seats)
    return replace(plan, seats=seats)


def _owns(plan: Any, responsibility: str, seat: str, periods: tuple[str, ...]) -> Any:
    assignments = tuple(
        replace(a, periods=periods) if (a.responsibility, a.seat) == (responsibility, seat) else a
        for a in plan.assignments
    )
    return replace(plan, assignments=assignments)


def _period_spend(plan: Any, spend: float) -> Any:
    first = plan.kpis_by_period[0]
    entry = replace(first, kpis=replace(first.kpis, spend=spend))
    return replace(plan, kpis_by_period=(entry, *plan.kpis_by_period[1:]))


def _period_one_off(plan: Any, period: int, cost: float) -> Any:
    periods = list(plan.kpis_by_period)
    periods[period] = replace(periods[period], one_off_cost=cost)
    return replace(plan, kpis_by_period=tuple(periods))


def _launch_moves_in_q4(plan: Any) -> Any:
    launch = next(a for a in plan.assignments if a.responsibility == "launch")
    other = next(s for s in plan.seats if s.seat != launch.seat)
    moved = replace(launch, seat=other.seat, candidate=other.candidate, periods=("Q4",))
    kept = replace(launch, periods=("Q3",))
    rest = tuple(a for a in plan.assignments if a is not launch)
    seats = tuple(
        replace(s, responsibilities=(*s.responsibilities, "launch")) if s is other else s
        for s in plan.seats
    )
    return replace(plan, assignments=(*rest, kept, moved), seats=seats)


def test_the_solved_plan_passes_and_is_what_the_corruptions_start_from(solved: Any) -> None:
    scenario, plan = solved
    check_plan(scenario, plan)
    assert [(s.seat, s.candidate, s.start, s.ramp_periods) for s in plan.seats] == [
        ("PM-1", "ines", "Q1", 1),
        ("PM-2", "sam", "Q2", 1),
    ]
    owned = {(a.responsibility, a.seat): a.periods for a in plan.assignments}
    assert owned == {
        ("roadmap", "PM-1"): ("Q2", "Q3", "Q4"),  # 30 h do not fit ines's ramping 20 h in Q1
        ("launch", "PM-1"): ("Q3", "Q4"),
        ("research", "PM-2"): ("Q3", "Q4"),
    }
    # 110,000 a year for four quarters and a 5,000 backfill; 100,000 for three quarters
    assert plan.kpis.spend == 110000 + 5000 + 75000


CORRUPTIONS = {
    "a start before availability": (
        lambda p: _seat(p, "PM-2", start="Q1"),
        [
            "seat PM-2: sam starts Q1, available from Q2",
            "2 people start in Q1, max_hires_per_period 1",
        ],
    ),
    "work before its seat starts": (
        lambda p: _owns(p, "research", "PM-2", ("Q1", "Q3", "Q4")),
        ["assignment of research to PM-2: owned in Q1, before the seat starts (Q2)"],
    ),
    "a ramping seat over its capacity": (
        lambda p: _owns(p, "roadmap", "PM-1", tuple(QUARTERS)),
        [
            "seat PM-1 holds 30.0 h in Q1, over its 20.0 h",
            "roadmap is uncovered in ['Q1'], expected []",
        ],
    ),
    "a period's spend misreported": (
        lambda p: _period_spend(p, 1.0),
        ["kpis_by_period Q1: spend is 1, expected 32500.0"],
    ),
    "a backfill reported in the wrong period": (
        lambda p: _period_one_off(_period_one_off(p, 0, 0.0), 1, 5000.0),
        [
            "kpis_by_period Q1: one_off_cost is 0, expected 5000.0",
            "kpis_by_period Q2: one_off_cost is 5000, expected 0.0",
        ],
    ),
    "an owner change not counted": (
        _launch_moves_in_q4,
        ["kpis.handoff_cost is 0, expected 3.0"],
    ),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_the_checker_names_each_corruption(solved: Any, name: str) -> None:
    scenario, plan = solved
    corrupt, lines = CORRUPTIONS[name]
    with pytest.raises(AssertionError) as caught:
        check_plan(scenario, corrupt(plan))
    found = str(caught.value).split("\n- ")[1:]
    for line in lines:
        assert line in found


def test_the_checker_holds_the_spend_budget(solved: Any) -> None:
    _scenario, plan = solved
    data = copy.deepcopy(DATA)
    data["policy"]["spend_budget"] = 150000
    with pytest.raises(AssertionError) as caught:
        check_plan(parse_scenario(to_yaml(data)), plan)
    assert "spend 190000.0 over the spend_budget 150000.0" in str(caught.value).split("\n- ")
