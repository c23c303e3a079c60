"""Train or hire (`policy.development`): each rule on a tiny case over four quarters, with
and without development, known optima worked out by hand, every plan checked by the
independent timed checker (`plan_of`)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from checker import check_plan
from conftest import to_yaml
from orgplan import solve
from orgplan.analysis.explanation import explain
from orgplan.errors import Infeasible
from orgplan.jobs.init import starter_text
from orgplan.reports.excel.workbook import write_plan_workbook
from orgplan.results.status import SolveStatus
from orgplan.scenario.loading import parse_scenario
from test_docs import assert_valid, errors_of
from test_time import PM, QUARTERS, owners, plan_of, seat_of, timed
from test_timed_outputs import printed, table_rows

GROW = {"periods_per_level": 1, "cost_per_level": 5000}
ANA = {"id": "ana", "skills": {"domain": 2}, "cost": 100000, "internal": True}


def short_of_the_need(development: dict[str, Any] | None, **role: Any) -> dict[str, Any]:
    """Ana is one level short of the roadmap's need (max_skill_gap 0); the requisition
    takes two quarters to hire."""
    policy: dict[str, Any] = {"max_skill_gap": 0}
    if development is not None:
        policy["development"] = development
    return timed(
        roles={"PM": PM | {"time_to_hire": 2} | role},
        policy=policy,
        candidates=[ANA],
    )


def test_without_development_nobody_one_level_short_owns_the_work() -> None:
    plan = plan_of(short_of_the_need(None))
    seat = seat_of(plan, None)
    assert seat.start == "Q3" and seat.developments == ()
    assert plan.uncovered[0].periods == ("Q1", "Q2")


def test_a_candidate_one_level_short_of_a_need_owns_it_once_grown() -> None:
    plan = plan_of(short_of_the_need(GROW))
    seat = seat_of(plan, "ana")
    # grown from period index 1 (Q2): a quarter before the requisition could start
    assert seat.start == "Q2"
    assert [(d.skill, d.from_level, d.to_level, d.ready, d.cost) for d in seat.developments] == [
        ("domain", 2.0, 3.0, "Q2", 5000.0)
    ]
    assert [p for (_r, p) in owners(plan)] == ["Q2", "Q3", "Q4"]
    assert plan.uncovered[0].periods == ("Q1",)
    # by hand: three quarters of 100,000 a year, and the development once
    assert plan.kpis.spend == pytest.approx(3 * 25000 + 5000)
    assert [p.kpis.spend for p in plan.kpis_by_period] == [0, 30000, 25000, 25000]
    assert plan.assignments[0].fit == 1.0 and dict(plan.assignments[0].gaps) == {}
    assert plan.status is SolveStatus.OPTIMAL
    assert plan.to_json()["seats"][0]["developments"] == [
        {"skill": "domain", "from_level": 2, "to_level": 3, "ready": "Q2", "cost": 5000}
    ]


def test_growing_takes_periods_per_level() -> None:
    plan = plan_of(short_of_the_need(GROW | {"periods_per_level": 3}))
    # grown from Q4, after the requisition (Q3): the hire covers more, so no development
    assert seat_of(plan, None).start == "Q3"
    assert all(not s.developments for s in plan.seats)
    late = plan_of(short_of_the_need(GROW | {"periods_per_level": 3}, open_reqs=0))
    assert seat_of(late, "ana").start == "Q4"
    assert [p for (_r, p) in owners(late)] == ["Q4"]


def test_a_seat_one_level_short_of_its_floor_starts_once_grown() -> None:
    data = timed(
        roles={"PM": PM | {"open_reqs": 0, "floors": {"domain": 3}}},
        policy={"development": GROW | {"periods_per_level": 2}},
        candidates=[ANA],
    )
    plan = plan_of(data)
    seat = seat_of(plan, "ana")
    assert seat.start == "Q3" and [d.skill for d in seat.developments] == ["domain"]
    # without development she meets no floor: no seat at all
    data["policy"] = {}
    assert plan_of(data).seats == ()


def grows_for_pricing() -> dict[str, Any]:
    """Ana owns strategy (need domain 3) and grows domain for pricing (need 4)."""
    return timed(
        roles={"PM": PM | {"open_reqs": 0}},
        responsibilities=[
            {"id": "strategy", "hours": 10, "needs": {"domain": 3}},
            {"id": "pricing", "hours": 10, "needs": {"domain": 4}},
        ],
        policy={"development": GROW},
        candidates=[ANA],
    )


def test_a_grown_skill_raises_the_fit_of_the_work_from_then_on() -> None:
    # Ana owns strategy (need domain 3, within the gap) from Q1 at fit 2/3; she grows
    # domain for pricing (need 4: one level beyond the gap), and strategy fits 1.0 then.
    data = grows_for_pricing()
    plan = plan_of(data)
    strategy = [a for a in plan.assignments if a.responsibility == "strategy"]
    assert [(a.periods, round(a.fit, 4)) for a in strategy] == [
        (("Q1",), 0.6667),
        (("Q2", "Q3", "Q4"), 1.0),
    ]
    pricing = next(a for a in plan.assignments if a.responsibility == "pricing")
    assert pricing.periods == ("Q2", "Q3", "Q4") and pricing.fit == 0.75
    # by hand: 10 h x 2/3 in Q1, then 10 h x 1.0 + 10 h x 0.75 in each of three quarters
    assert plan.kpis.quality == pytest.approx(10 * 2 / 3 + 3 * (10 + 7.5))


@pytest.mark.parametrize(
    ("cost_per_level", "who"), [(5000, "ana"), (20000, None)], ids=["train", "hire"]
)
def test_a_development_is_weighed_like_any_other_cost(cost_per_level: int, who: str | None) -> None:
    # The work starts in Q3, when either can own it at fit 1.0: Ana costs 2 x 25,000 plus
    # the development, the requisition 2 x 30,000; the cheaper plan wins.
    data = short_of_the_need(GROW | {"cost_per_level": cost_per_level}, time_to_hire=1)
    data["responsibilities"][0]["periods"] = ["Q3", "Q4"]
    plan = plan_of(data)
    assert [s.candidate for s in plan.seats] == [who]
    assert plan.kpis.spend == pytest.approx(min(50000 + cost_per_level, 60000))


def test_requisitions_and_one_period_plans_never_grow() -> None:
    # the requisition's profile is one level short, the candidate two: nobody grows
    data = short_of_the_need(GROW, hire_profile={"domain": 2})
    data["candidates"] = [ANA | {"skills": {"domain": 1}}]
    plan = plan_of(data)
    assert plan.seats == () and plan.uncovered[0].periods == tuple(QUARTERS)
    snapshot = short_of_the_need(GROW)
    del snapshot["horizon"]
    assert all(not s.developments for s in plan_of(snapshot).seats)


# ---- the independent checker knows the development rules ----------------------------------


def _corrupt(plan: Any, **changes: Any) -> Any:
    """`plan` with Ana's seat changed."""
    seats = tuple(replace(s, **changes) if s.candidate == "ana" else s for s in plan.seats)
    return replace(plan, seats=seats)


def test_the_checker_names_each_broken_development_rule() -> None:
    data = short_of_the_need(GROW)
    scenario = parse_scenario(to_yaml(data))
    plan = solve(scenario)
    check_plan(scenario, plan)
    grown = seat_of(plan, "ana").developments[0]
    cases = {
        "without the development it relies on": (
            _corrupt(plan, developments=()),
            "assignment of roadmap to PM-1: not eligible in Q2 (gaps {'domain': 1.0})",
        ),
        "ready too early": (
            _corrupt(plan, developments=(replace(grown, ready="Q1"),)),
            "seat PM-1: domain ready 'Q1', expected period index 1",
        ),
        "two levels": (
            _corrupt(plan, developments=(replace(grown, to_level=4.0),)),
            "seat PM-1: domain grows 2 -> 4, assessed 2.0",
        ),
        "under its price": (
            _corrupt(plan, developments=(replace(grown, cost=0.0),)),
            "seat PM-1: domain costs 0, cost_per_level 5000.0",
        ),
        "a skill nothing asks for": (
            _corrupt(
                plan,
                developments=(grown, replace(grown, skill="judgement", from_level=0, to_level=1)),
            ),
            "seat PM-1: grows judgement, which no floor or need of the seat is short of",
        ),
        "twice": (
            _corrupt(plan, developments=(grown, grown)),
            "seat PM-1: grows 'domain' twice or an unknown skill",
        ),
    }
    for name, (corrupted, line) in cases.items():
        with pytest.raises(AssertionError) as caught:
            check_plan(scenario, corrupted)
        assert f"- {line}" in str(caught.value).splitlines(), name
    without = parse_scenario(to_yaml(short_of_the_need(None)))
    with pytest.raises(AssertionError, match=r"seat PM-1: grows \['domain'\] without policy"):
        check_plan(without, plan)


# ---- in every output ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def grown_plan() -> tuple[Any, Any]:
    scenario = parse_scenario(to_yaml(short_of_the_need(GROW)))
    plan = solve(scenario)
    check_plan(scenario, plan)
    return scenario, plan


def test_the_plan_json_of_a_development_passes_its_schema(grown_plan: tuple[Any, Any]) -> None:
    data = grown_plan[1].to_json()
    assert_valid("plan", data)
    data["seats"][0]["developments"][0]["ready"] = 2
    assert errors_of("plan", data) == ["seats/0/developments/0/ready: 2 is not of type 'string'"]


def test_the_terminal_and_explain_say_who_grows_what(grown_plan: tuple[Any, Any]) -> None:
    scenario, plan = grown_plan
    lines = [line.rstrip() for line in printed(plan)]
    at = lines.index("Train instead of hire: 1 skill")
    assert lines[at + 1] == "  PM-1 (ana): domain 2 -> 3, ready Q2, 5,000 USD"
    why = explain(plan, scenario, {}).to_json()
    text = json.dumps(why)
    assert "grows domain 2 -> 3 by Q2 instead of a hire (5,000 USD)" in text


def test_the_hiring_plan_sheet_lists_each_development(
    grown_plan: tuple[Any, Any], tmp_path: Path
) -> None:
    scenario, plan = grown_plan
    book = openpyxl.load_workbook(write_plan_workbook(plan, scenario, tmp_path / "grown.xlsx"))
    ws = book["Hiring plan"]
    assert table_rows(ws, "Developments") == [["PM-1", "ana", "domain", 2, 3, "Q2", "Q2", 5000]]
    # the development is a one-off cost of the period the seat starts
    assert [r[3] for r in table_rows(ws, "ByPeriod")] == [0, 5000, 0, 0]
    # and the Timeline marks it in the period it is ready
    gantt = table_rows(book["Timeline"], "Timeline")
    assert gantt[0][:4] == ["PM-1", "ana", "PM", "Q2"]
    assert gantt[0][4:] == [None, "full, grown: domain 2 -> 3", "full", "full"]


def test_the_starter_plans_over_time_once_its_time_lines_are_uncommented() -> None:
    lines = starter_text().splitlines()
    opened = [
        line.replace("# ", "", 1)
        if line.lstrip().startswith(("# horizon:", "#   periods:", "# max_hires", "# spend_b"))
        or line.lstrip().startswith("# development:")
        else line
        for line in lines
    ]
    assert sum(a != b for a, b in zip(lines, opened, strict=True)) == 5
    scenario = parse_scenario("\n".join(opened))
    assert scenario.policy.development is not None and scenario.horizon is not None
    plan = solve(scenario)
    check_plan(scenario, plan)
    assert plan.periods == ("2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4")
    assert plan.status is SolveStatus.OPTIMAL


def test_a_plan_settled_keeps_what_its_owners_and_growth_bring() -> None:
    # the stand-in of a stage the solver did not finish is valued at what its seats,
    # owners and growth bring, whatever slack a solve left in the objective columns
    from orgplan.heuristics.timed import settled
    from orgplan.model.stages import Stage
    from orgplan.solving.options import SolveOptions
    from orgplan.solving.priorities import worth
    from orgplan.solving.timed import solve_timed

    data = grows_for_pricing()
    done = solve_timed(parse_scenario(to_yaml(data)), None, SolveOptions(explain=False))
    model, values = done.model, dict(done.values)
    best = 10 * 2 / 3 + 3 * (10 + 7.5)
    assert worth(model, Stage.QUALITY, values) == pytest.approx(best)
    for column in model.change.values():
        values[column.name] = 1.0  # a handoff where the owner stays: slack of a solve
    assert worth(model, Stage.QUALITY, values) == pytest.approx(best - len(model.change))
    assert worth(model, Stage.QUALITY, settled(model, values)) == pytest.approx(best)


def required_of_ana(development: dict[str, Any] | None, **ana: Any) -> dict[str, Any]:
    """Ana alone may own the roadmap (no requisition), and coverage is required."""
    return timed(
        roles={"PM": PM | {"open_reqs": 0}},
        policy={"max_skill_gap": 0, "coverage": "required"}
        | ({"development": development} if development else {}),
        candidates=[ANA | ana],
    )


def infeasible_because(data: dict[str, Any]) -> list[str]:
    with pytest.raises(Infeasible) as refused:
        plan_of(data)
    return list(refused.value.reasons)


def test_the_certain_reasons_of_infeasibility_count_what_development_may_grow() -> None:
    # two levels short: growing one is not enough, and the reason says so without a solve
    assert infeasible_because(required_of_ana(GROW, skills={"domain": 1})) == [
        "coverage is required, but nobody eligible can own 'roadmap' (needs domain 3; a gap "
        "of at most 0 levels is allowed, or 1 more for a candidate policy.development may "
        "grow, in a PM seat): the closest is ana, fit 33%, domain 2 short (has 1, needs 3)"
    ]
    # one level short: she may grow into it, but not before Q2, and the Q1 roadmap needs her
    assert infeasible_because(required_of_ana(GROW)) == [
        "coverage is required, but 'roadmap' exists in Q1 and nobody who may own it can hold "
        "its 20 h/week then: ana can start in Q1, and may own it only once domain has grown, "
        "from Q2"
    ]
    # without a Q1 roadmap the same pool is feasible: she grows and owns it from Q2
    later = required_of_ana(GROW)
    later["responsibilities"][0]["periods"] = ["Q2", "Q3", "Q4"]
    plan = plan_of(later)
    assert [d.ready for d in seat_of(plan, "ana").developments] == ["Q2"]
    assert plan.uncovered == ()


def test_a_fixed_role_floor_is_certainly_missed_only_beyond_what_may_grow() -> None:
    def fixed(domain: int) -> dict[str, Any]:
        data = required_of_ana(GROW, skills={"domain": domain}, fixed_role="PM")
        data["roles"]["PM"]["floors"] = {"domain": 3}
        data["policy"]["coverage"] = "best_effort"
        return data

    assert infeasible_because(fixed(1)) == [
        "ana (ana) must be placed as PM (fixed_role) but misses its floors by more than the "
        "1 level development may grow: domain 2 short (has 1, needs 3)"
    ]
    plan = plan_of(fixed(2))
    assert seat_of(plan, "ana").start == "Q2"  # once domain has grown to the floor
