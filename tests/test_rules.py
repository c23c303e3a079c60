"""One tiny scenario per rule of the format, showing the rule's effect on the plan.

Each plan is solved with `solve_checked`, so the independent checker also re-checks
every hard limit, fit, gap and KPI of it.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from checker import check_plan
from orgplan import load_scenario
from solver_helpers import (
    cand,
    infeasible_reasons,
    owner,
    placed,
    resp,
    scenario,
    solve_checked,
    stage,
    uncovered,
)

TWO_ROLES = {"PM": {"cost": 100}, "TPM": {"cost": 100}}


# ---- one seat per person ---------------------------------------------------------------


def test_a_person_holds_one_seat_even_when_two_roles_need_them():
    s = scenario(
        [resp("roadmap", 10, roles=["PM"], priority=2), resp("backlog", 10, roles=["TPM"])],
        [cand("ana")],
        roles=TWO_ROLES,
    )
    plan = solve_checked(s)
    assert placed(plan) == {"ana": "PM"}
    assert owner(plan, "roadmap") == "ana"
    assert uncovered(plan) == ["backlog"]


def test_a_second_person_takes_the_second_seat():
    s = scenario(
        [resp("roadmap", 10, roles=["PM"]), resp("backlog", 10, roles=["TPM"])],
        [cand("ana"), cand("bob")],
        roles=TWO_ROLES,
    )
    plan = solve_checked(s)
    assert sorted(placed(plan).values()) == ["PM", "TPM"]
    assert uncovered(plan) == []


# ---- roles allowed for the person and for the responsibility ---------------------------


def test_the_candidates_roles_limit_their_seat():
    s = scenario(
        [resp("roadmap", 10, roles=["PM"])],
        [cand("ana", roles=["TPM"])],
        roles=TWO_ROLES,
    )
    plan = solve_checked(s)
    assert placed(plan) == {}
    assert uncovered(plan) == ["roadmap"]


def test_the_responsibilitys_roles_pick_the_seat():
    s = scenario([resp("backlog", 10, roles=["TPM"])], [cand("ana")], roles=TWO_ROLES)
    plan = solve_checked(s)
    assert placed(plan) == {"ana": "TPM"}
    assert plan.seats[0].seat == "TPM-1"


def test_work_without_roles_may_go_to_any_seat():
    s = scenario(
        [resp("roadmap", 10, roles=["PM"]), resp("anything", 10)],
        [cand("ana", roles=["PM"])],
        roles=TWO_ROLES,
    )
    plan = solve_checked(s)
    assert owner(plan, "anything") == "ana"
    assert owner(plan, "roadmap") == "ana"


# ---- floors ----------------------------------------------------------------------------


def test_floors_keep_a_person_out_of_a_seat_with_no_gap_allowance():
    s = scenario(
        [resp("roadmap", 10)],
        # ana is 0.5 short of the floor; max_skill_gap does not apply to floors
        [cand("ana", skills={"business": 2.5}, cost=50), cand("bob", skills={"business": 3})],
        roles={"PM": {"cost": 100, "floors": {"business": 3}}},
        policy={"max_skill_gap": 2},
    )
    plan = solve_checked(s)
    assert placed(plan) == {"bob": "PM"}


def test_floors_from_a_background():
    s = scenario(
        [resp("roadmap", 10)],
        [cand("qa", background="qa_tester"), cand("ba", background="business_analyst")],
        roles={"PM": {"cost": 100, "floors": {"business": 3}}},
        policy={"max_headcount": 2},
    )
    plan = solve_checked(s)
    assert placed(plan) == {"ba": "PM"}  # qa_tester has business 1


def test_skills_override_the_background():
    s = scenario(
        [resp("roadmap", 10)],
        [cand("qa", background="qa_tester", skills={"business": 3})],
        roles={"PM": {"cost": 100, "floors": {"business": 3}}},
    )
    assert placed(solve_checked(s)) == {"qa": "PM"}


# ---- eligibility within max_skill_gap --------------------------------------------------


@pytest.mark.parametrize(
    ("level", "max_gap", "eligible"),
    [
        (4, 1, True),
        (3, 1, True),
        (2, 1, False),
        (3, 0, False),
        (4, 0, True),
        (1, 2, False),
        (2, 2, True),
        (3.5, 0.5, True),
        (3, 0.5, False),
    ],
)
def test_eligibility_within_max_skill_gap(level, max_gap, eligible):
    s = scenario(
        [resp("pricing", 10, needs={"business": 4})],
        [cand("ana", skills={"business": level})],
        policy={"max_skill_gap": max_gap},
    )
    plan = solve_checked(s)
    assert (owner(plan, "pricing") == "ana") is eligible
    if eligible:
        (a,) = plan.assignments
        assert a.fit == pytest.approx(min(level, 4) / 4)
        assert dict(a.gaps) == ({"business": 4 - level} if level < 4 else {})
    else:
        assert "nobody eligible" in plan.uncovered[0].reason


def test_fit_and_gaps_over_several_needs():
    s = scenario(
        [resp("pricing", 10, needs={"business": 4, "negotiation": 3, "domain": 2})],
        [cand("ana", skills={"business": 3, "negotiation": 3, "domain": 5})],
    )
    (a,) = solve_checked(s).assignments
    assert a.fit == pytest.approx((3 + 3 + 2) / 9)
    assert dict(a.gaps) == {"business": 1}


def test_every_need_must_be_within_the_gap():
    s = scenario(
        [resp("pricing", 10, needs={"business": 4, "negotiation": 3})],
        [cand("ana", skills={"business": 5, "negotiation": 1})],
    )
    assert uncovered(solve_checked(s)) == ["pricing"]


# ---- capacity x availability -----------------------------------------------------------


def test_capacity_is_role_capacity_times_availability():
    work = [resp("a", 15), resp("b", 15)]
    half = solve_checked(scenario(work, [cand("ana", availability=0.5)]))
    assert len(half.assignments) == 1
    assert half.seats[0].capacity_hours == 20
    full = solve_checked(scenario(work, [cand("ana")]))
    assert len(full.assignments) == 2


def test_role_capacity_limits_hours():
    s = scenario(
        [resp("a", 15), resp("b", 15)],
        [cand("ana")],
        roles={"PM": {"cost": 100, "capacity": 20}},
    )
    assert len(solve_checked(s).assignments) == 1


def test_work_larger_than_any_seat_stays_uncovered():
    s = scenario([resp("huge", 30)], [cand("ana", availability=0.5)])
    plan = solve_checked(s)
    assert uncovered(plan) == ["huge"]
    assert placed(plan) == {}


# ---- breadth caps ----------------------------------------------------------------------

BREADTH = dict(
    responsibilities=[resp("a", 5), resp("b", 5), resp("c", 5)],
    candidates=[cand("ana")],
    roles={"PM": {"cost": 100, "max_responsibilities": 1}},
)


def _breadth(**structures):
    data = copy.deepcopy(BREADTH)
    return scenario(**data, structures=structures) if structures else scenario(**data)


def test_role_breadth_cap():
    assert len(solve_checked(_breadth()).assignments) == 1


def test_structure_overrides_the_breadth_cap():
    s = _breadth(two={"roles": ["PM"], "max_responsibilities": 2})
    assert len(solve_checked(s, "two").assignments) == 2


def test_structure_null_lifts_the_breadth_cap():
    s = _breadth(open={"roles": ["PM"], "max_responsibilities": None})
    assert len(solve_checked(s, "open").assignments) == 3


def test_structure_without_the_key_keeps_the_roles_cap():
    s = _breadth(plain={"roles": ["PM"]})
    assert len(solve_checked(s, "plain").assignments) == 1


def test_superhero_has_no_breadth_cap_and_one_seat():
    s = scenario(
        [resp("a", 5), resp("b", 5), resp("c", 5)],
        [cand("ana"), cand("bob")],
        roles={"PM": {"cost": 100, "max_responsibilities": 1}, "TPM": {"cost": 100}},
    )
    plan = solve_checked(s, "superhero")
    assert len(plan.seats) == 1 and plan.seats[0].role == "PM"
    assert len(plan.assignments) == 3


# ---- open requisitions -----------------------------------------------------------------


def test_open_requisition_hired_with_the_hire_profile():
    s = scenario(
        [resp("pricing", 10, needs={"business": 4})],
        roles={
            "PM": {
                "cost": 150,
                "open_reqs": 1,
                "floors": {"business": 3},
                "hire_profile": {"business": 4},
            }
        },
    )
    plan = solve_checked(s)
    (seat,) = plan.seats
    assert seat.open_req and seat.candidate is None and seat.cost == 150
    (a,) = plan.assignments
    assert a.fit == 1.0 and dict(a.gaps) == {}


def test_open_requisition_profile_defaults_to_the_floors():
    s = scenario(
        [resp("pricing", 10, needs={"business": 4})],
        roles={"PM": {"cost": 150, "open_reqs": 1, "floors": {"business": 3}}},
    )
    (a,) = solve_checked(s).assignments
    assert a.candidate is None
    assert a.fit == pytest.approx(0.75) and dict(a.gaps) == {"business": 1}


def test_open_requisition_with_no_floors_has_level_zero():
    s = scenario(
        [resp("pricing", 10, needs={"business": 2})],
        roles={"PM": {"cost": 150, "open_reqs": 1}},
    )
    assert uncovered(solve_checked(s)) == ["pricing"]


def test_no_open_reqs_by_default():
    s = scenario([resp("roadmap", 10)], roles={"PM": {"cost": 100}})
    plan = solve_checked(s)
    assert plan.seats == () and uncovered(plan) == ["roadmap"]


def test_open_reqs_cap_the_hires_per_role():
    s = scenario(
        [resp("a", 40), resp("b", 40), resp("c", 40)],
        roles={"PM": {"cost": 100, "open_reqs": 2}},
    )
    plan = solve_checked(s)
    assert [x.seat for x in plan.seats] == ["PM-1", "PM-2"]
    assert len(plan.uncovered) == 1


def test_a_candidate_is_preferred_to_a_dearer_open_req_of_equal_fit():
    s = scenario(
        [resp("a", 10)],
        [cand("ana", cost=90)],
        roles={"PM": {"cost": 100, "open_reqs": 1}},
    )
    assert placed(solve_checked(s)) == {"ana": "PM"}


# ---- structures ------------------------------------------------------------------------


def _two_people(**structures):
    return scenario(
        [resp("a", 40, roles=["PM"]), resp("b", 40, roles=["PM"]), resp("c", 40, roles=["TPM"])],
        [cand("ana"), cand("bob"), cand("cy")],
        roles=TWO_ROLES,
        structures=structures,
    )


def test_structure_caps_seats_per_role():
    plan = solve_checked(_two_people(one_pm={"roles": {"PM": 1, "TPM": 1}}), "one_pm")
    assert sorted(s.role for s in plan.seats) == ["PM", "TPM"]
    assert len(plan.uncovered) == 1


def test_structure_list_means_no_per_role_cap():
    plan = solve_checked(_two_people(full={"roles": ["PM", "TPM"]}), "full")
    assert len(plan.seats) == 3 and plan.uncovered == ()


def test_structure_limits_the_roles_used():
    plan = solve_checked(_two_people(pm_only={"roles": ["PM"]}), "pm_only")
    assert {s.role for s in plan.seats} == {"PM"}
    assert uncovered(plan) == ["c"]
    assert "structure 'pm_only' has none" in plan.uncovered[0].reason


def test_no_structure_uses_every_role_without_caps():
    plan = solve_checked(_two_people(one_pm={"roles": {"PM": 1}}))
    assert len(plan.seats) == 3
    assert plan.structure != "one_pm"


def test_structure_zero_seats_of_a_role():
    plan = solve_checked(_two_people(no_tpm={"roles": {"PM": 2, "TPM": 0}}), "no_tpm")
    assert uncovered(plan) == ["c"]


def test_structure_overrides_budget_and_headcount():
    s = scenario(
        [resp("a", 40), resp("b", 40)],
        [cand("ana"), cand("bob")],
        policy={"budget": 100, "max_headcount": 1},
        structures={
            "rich": {"roles": ["PM"], "budget": None, "max_headcount": 2},
            "poor": {"roles": ["PM"]},
        },
    )
    assert len(solve_checked(s, "rich").seats) == 2
    assert len(solve_checked(s, "poor").seats) == 1


# ---- budget and headcount --------------------------------------------------------------


def test_budget_caps_the_team_cost():
    s = scenario(
        [resp("a", 40), resp("b", 40)],
        [cand("ana", cost=100), cand("bob", cost=80)],
        policy={"budget": 150},
    )
    plan = solve_checked(s)
    assert placed(plan) == {"bob": "PM"}  # either covers the same; bob is cheaper
    assert plan.kpis.total_cost == 80


def test_budget_prefers_two_cheap_people_over_one_dear():
    s = scenario(
        [resp("a", 40), resp("b", 40)],
        [cand("ana", cost=60), cand("bob", cost=60), cand("star", cost=150)],
        policy={"budget": 150},
    )
    plan = solve_checked(s)
    assert placed(plan) == {"ana": "PM", "bob": "PM"}


def test_headcount_caps_seats():
    s = scenario(
        [resp("a", 40), resp("b", 40), resp("c", 40)],
        [cand("ana"), cand("bob"), cand("cy")],
        policy={"max_headcount": 2},
    )
    plan = solve_checked(s)
    assert plan.kpis.headcount == 2 and len(plan.uncovered) == 1


def test_headcount_zero_leaves_everything_uncovered():
    s = scenario([resp("a", 10)], [cand("ana")], policy={"max_headcount": 0})
    plan = solve_checked(s)
    assert plan.seats == () and uncovered(plan) == ["a"]
    assert plan.kpis.coverage == 0 and plan.kpis.mean_fit == 0


# ---- fixed_role and exclude ------------------------------------------------------------


def test_fixed_role_places_the_person_in_that_role():
    s = scenario(
        [resp("roadmap", 10, roles=["PM"])],
        [cand("ana", roles=["PM", "TPM"], fixed_role="TPM"), cand("bob")],
        roles=TWO_ROLES,
    )
    plan = solve_checked(s)
    assert placed(plan) == {"ana": "TPM", "bob": "PM"}
    assert plan.seat("TPM-1").responsibilities == ()


def test_fixed_role_is_placed_even_when_it_costs_more():
    s = scenario([resp("a", 10)], [cand("ana", cost=10), cand("boss", cost=500, fixed_role="PM")])
    plan = solve_checked(s)
    assert placed(plan) == {"boss": "PM"}  # boss covers "a" too: ana would only add cost
    assert plan.kpis.total_cost == 500


def test_excluded_candidate_is_never_placed():
    s = scenario(
        [resp("pricing", 10, needs={"business": 4})],
        [cand("star", skills={"business": 5}, exclude=True), cand("ok", skills={"business": 3})],
    )
    plan = solve_checked(s)
    assert placed(plan) == {"ok": "PM"}


def test_excluded_only_candidate_leaves_work_uncovered():
    s = scenario([resp("a", 10)], [cand("star", exclude=True)])
    assert solve_checked(s).seats == ()


# ---- max_products_per_seat -------------------------------------------------------------


def test_max_products_per_seat():
    work = [
        resp("a", 10, product="Core"),
        resp("b", 10, product="Cloud"),
        resp("c", 10, product="Core"),
        resp("d", 5),
    ]
    capped = solve_checked(scenario(work, [cand("ana")], policy={"max_products_per_seat": 1}))
    assert sorted(a.responsibility for a in capped.assignments) == ["a", "c", "d"]
    free = solve_checked(scenario(work, [cand("ana")]))
    assert len(free.assignments) == 4


def test_max_products_per_seat_with_two_people():
    work = [resp("a", 10, product="Core"), resp("b", 10, product="Cloud")]
    plan = solve_checked(
        scenario(work, [cand("ana"), cand("bob")], policy={"max_products_per_seat": 1})
    )
    assert plan.uncovered == () and len(plan.seats) == 2


# ---- couplings and handoffs ------------------------------------------------------------

COUPLED = dict(
    responsibilities=[
        resp("pricing", 10, needs={"business": 4}),
        resp("positioning", 10, needs={"communication": 4}),
    ],
    candidates=[
        cand("biz", skills={"business": 4, "communication": 3}),
        cand("comms", skills={"business": 3, "communication": 4}),
    ],
)


def test_split_coupling_costs_its_handoff():
    plan = solve_checked(
        scenario(**COUPLED, couplings=[{"between": ["pricing", "positioning"], "cost": 1}])
    )
    # splitting gains 2.5 fit hours and costs 1 handoff
    assert owner(plan, "pricing") == "biz" and owner(plan, "positioning") == "comms"
    assert plan.kpis.handoff_cost == 1
    assert [h.between for h in plan.handoffs] == [("pricing", "positioning")]
    assert stage(plan, "quality") == pytest.approx(20 - 1)


def test_dear_coupling_is_kept_with_one_owner():
    plan = solve_checked(
        scenario(**COUPLED, couplings=[{"between": ["pricing", "positioning"], "cost": 5}])
    )
    assert owner(plan, "pricing") == owner(plan, "positioning")
    assert plan.kpis.handoff_cost == 0 and plan.handoffs == ()
    assert len(plan.seats) == 1
    assert stage(plan, "quality") == pytest.approx(10 + 7.5)


def test_uncovered_end_of_a_coupling_counts_as_split():
    s = scenario(
        [resp("pricing", 10), resp("positioning", 10, needs={"sales": 5})],
        [cand("ana")],
        couplings=[{"between": ["pricing", "positioning"], "cost": 3}],
    )
    plan = solve_checked(s)
    assert uncovered(plan) == ["positioning"]
    assert plan.kpis.handoff_cost == 3
    assert stage(plan, "quality") == pytest.approx(10 - 3)


def test_coupling_default_cost_is_one():
    s = scenario(
        [resp("a", 10), resp("b", 10, needs={"sales": 5})],
        [cand("ana")],
        couplings=[{"between": ["a", "b"]}],
    )
    assert solve_checked(s).kpis.handoff_cost == 1


# ---- priorities ------------------------------------------------------------------------


def test_priority_weighs_coverage():
    s = scenario([resp("a", 30), resp("b", 20, priority=2)], [cand("ana")])
    plan = solve_checked(s)
    assert owner(plan, "b") == "ana" and uncovered(plan) == ["a"]
    assert stage(plan, "coverage") == 40


def test_more_hours_win_at_equal_priority():
    s = scenario([resp("a", 30), resp("b", 20)], [cand("ana")])
    assert uncovered(solve_checked(s)) == ["b"]


def test_coverage_comes_before_quality():
    s = scenario(
        [resp("a", 20, needs={"business": 4}), resp("b", 20, needs={"business": 4})],
        [
            cand("star", skills={"business": 4}, availability=0.5),
            cand("meh", skills={"business": 3}, availability=0.5),
        ],
    )
    plan = solve_checked(s)
    assert plan.uncovered == ()  # meh's lower fit is better than leaving work uncovered


def test_best_effort_leaves_work_uncovered_with_a_reason():
    s = scenario([resp("a", 10), resp("b", 10, needs={"sales": 5})], [cand("ana")])
    plan = solve_checked(s)
    assert uncovered(plan) == ["b"]
    assert "nobody eligible can own 'b'" in plan.uncovered[0].reason
    assert plan.kpis.coverage == 0.5


def test_required_coverage_refuses_a_plan_with_uncovered_work():
    s = scenario(
        [resp("a", 10), resp("b", 10, needs={"sales": 5})],
        [cand("ana")],
        policy={"coverage": "required"},
    )
    assert "coverage is required" in infeasible_reasons(s)


def test_required_coverage_covers_everything_without_a_coverage_stage():
    work = [resp("big", 30, priority=3), resp("small", 20, roles=["PM"])]
    people = [cand("ana", roles=["PM"]), cand("bob", roles=["TPM"])]
    roles = {"PM": {"cost": 100}, "TPM": {"cost": 100, "capacity": 30}}
    req = solve_checked(scenario(work, people, roles=roles, policy={"coverage": "required"}))
    assert req.uncovered == ()
    assert owner(req, "small") == "ana" and owner(req, "big") == "bob"
    assert [s.objective for s in req.solver.stages] == ["quality", "cost"]
    # one seat cannot hold 50 h: best effort keeps the higher-priority work...
    one = {"max_headcount": 1}
    best = solve_checked(scenario(work, people, roles=roles, policy=one))
    assert uncovered(best) == ["small"] and stage(best, "coverage") == 90
    # ...and required coverage is infeasible
    infeasible_reasons(scenario(work, people, roles=roles, policy={**one, "coverage": "required"}))


# ---- the cost stage --------------------------------------------------------------------


def test_cost_picks_the_cheaper_of_equal_quality_teams():
    s = scenario([resp("a", 10)], [cand("dear", cost=120), cand("cheap", cost=80)])
    plan = solve_checked(s)
    assert placed(plan) == {"cheap": "PM"} and stage(plan, "cost") == 80


def test_cost_gives_up_at_most_one_percent_of_quality():
    # "cheap" has fit 0.995 (0.5% below "star"): within the tolerance, so cheaper wins
    needs = {
        "business": 4,
        "domain": 4,
        "communication": 4,
        "technical": 4,
        "judgement": 4,
        "empathy": 4,
        "sales": 4,
        "negotiation": 4,
        "decision_making": 4,
        "marketing": 4,
    }
    skills = [
        "domain",
        "communication",
        "decision_making",
        "business",
        "technical",
        "empathy",
        "judgement",
        "negotiation",
        "sales",
        "marketing",
    ]
    top = dict.fromkeys(needs, 4)
    almost = {**top, "marketing": 3.8}  # fit (36 + 3.8) / 40 = 0.995
    s = scenario(
        [resp("a", 10, needs=needs)],
        [cand("star", skills=top, cost=200), cand("cheap", skills=almost, cost=100)],
        skills=skills,
    )
    plan = solve_checked(s)
    assert placed(plan) == {"cheap": "PM"}
    assert stage(plan, "quality") == pytest.approx(10)
    assert plan.kpis.quality == pytest.approx(9.95)
    # with no tolerance, quality wins
    strict = solve_checked(s, quality_tolerance=0.0)
    assert placed(strict) == {"star": "PM"}


def test_cost_does_not_give_up_more_than_the_tolerance():
    s = scenario(
        [resp("a", 10, needs={"business": 4})],
        [
            cand("star", skills={"business": 4}, cost=200),
            cand("cheap", skills={"business": 3.5}, cost=100),
        ],  # fit 0.875: far below 1%
    )
    assert placed(solve_checked(s)) == {"star": "PM"}


def test_idle_people_are_not_hired():
    s = scenario([resp("a", 10)], [cand("ana"), cand("bob"), cand("cy")])
    plan = solve_checked(s)
    assert plan.kpis.headcount == 1


# ---- determinism -----------------------------------------------------------------------


def _without_seconds(data):
    data = copy.deepcopy(data)
    data["solver"].pop("seconds")
    for s in data["solver"].get("stages", []):
        s.pop("seconds", None)
    return data


def test_same_file_twice_gives_the_same_plan(tmp_path: Path):
    data = {
        "name": "determinism",
        "roles": {
            "PM": {"cost": 100, "open_reqs": 2, "floors": {"business": 2}},
            "TPM": {"cost": 110, "open_reqs": 1, "floors": {"technical": 3}},
        },
        "responsibilities": [
            {"id": f"r{i}", "hours": 5 + i, "needs": {"business": 1 + i % 4, "technical": i % 5}}
            for i in range(8)
        ],
        "couplings": [{"between": ["r0", "r1"]}, {"between": ["r2", "r5"], "cost": 2}],
        "candidates": [
            {"id": f"c{i}", "background": bg}
            for i, bg in enumerate(
                [
                    "qa_tester",
                    "business_analyst",
                    "consultant",
                    "software_engineer",
                    "sales",
                    "business_analyst",
                ]
            )
        ],
        "policy": {"budget": 450},
    }
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    first = solve_checked(load_scenario(path)).to_json()
    second = solve_checked(load_scenario(path)).to_json()
    assert _without_seconds(first) == _without_seconds(second)
    assert first["seats"], "the scenario should place someone"


# ---- the independent checker catches broken plans ---------------------------------------


def _checked_case():
    s = scenario(
        [resp("a", 10, needs={"business": 4}), resp("b", 20)],
        [cand("ana", skills={"business": 3}, cost=90), cand("bob", cost=80)],
        roles={"PM": {"cost": 100, "max_responsibilities": 1}},
    )
    return s, solve_checked(s)


def _broken(plan, **changes):
    return dataclasses.replace(plan, **changes)


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (
            lambda p: _broken(p, seats=(dataclasses.replace(p.seats[0], cost=1),) + p.seats[1:]),
            "cost 1, expected",
        ),
        (
            lambda p: _broken(
                p, assignments=(dataclasses.replace(p.assignments[0], fit=0.5),) + p.assignments[1:]
            ),
            "fit 0.5, expected",
        ),
        (
            lambda p: _broken(
                p, assignments=(dataclasses.replace(p.assignments[0], gaps={}),) + p.assignments[1:]
            ),
            "gaps {}, expected",
        ),
        (lambda p: _broken(p, assignments=p.assignments[1:]), "appears 0 times"),
        (lambda p: _broken(p, seats=p.seats + p.seats[:1]), "seat name used twice"),
        (
            lambda p: _broken(p, kpis=dataclasses.replace(p.kpis, total_cost=0)),
            "kpis.total_cost is 0",
        ),
        (lambda p: _broken(p, kpis=dataclasses.replace(p.kpis, mean_fit=1.0)), "kpis.mean_fit"),
        (
            lambda p: _broken(p, kpis=dataclasses.replace(p.kpis, handoff_cost=3)),
            "kpis.handoff_cost",
        ),
        (
            lambda p: _broken(
                p,
                solver=dataclasses.replace(
                    p.solver,
                    stages=tuple(
                        dataclasses.replace(s, value=s.value - 1) if s.objective == "cost" else s
                        for s in p.solver.stages
                    ),
                ),
            ),
            "cost stage reached",
        ),
        (
            lambda p: _broken(
                p,
                solver=dataclasses.replace(
                    p.solver,
                    stages=tuple(
                        dataclasses.replace(s, value=s.value - 5) if s.objective == "quality" else s
                        for s in p.solver.stages
                    ),
                ),
            ),
            "beats the quality stage's proven best",
        ),
    ],
)
def test_checker_catches_a_broken_plan(breakage, message):
    s, plan = _checked_case()
    with pytest.raises(AssertionError, match=re.escape(message)):
        check_plan(s, breakage(plan))


@pytest.mark.parametrize(
    ("policy", "roles", "message"),
    [
        ({"budget": 100}, None, "over the budget 100"),
        ({"max_headcount": 1}, None, "2 seats, max_headcount 1"),
        ({"max_skill_gap": 0}, None, "is not eligible"),
        ({"coverage": "required"}, {"PM": {"cost": 100, "max_responsibilities": 1}}, None),
        (None, {"PM": {"cost": 100, "floors": {"business": 4}}}, "floors of PM not met"),
        (None, {"PM": {"cost": 100, "capacity": 15}}, "over capacity 15"),
    ],
)
def test_checker_catches_a_plan_that_breaks_another_scenarios_limits(policy, roles, message):
    s, plan = _checked_case()
    assert len(plan.seats) == 2
    other = scenario(
        [resp("a", 10, needs={"business": 4}), resp("b", 20)],
        [cand("ana", skills={"business": 3}, cost=90), cand("bob", cost=80)],
        roles=roles or {"PM": {"cost": 100, "max_responsibilities": 1}},
        **({"policy": policy} if policy else {}),
    )
    if message is None:
        check_plan(other, plan)  # the plan covers everything: it meets `required` too
    else:
        with pytest.raises(AssertionError, match=re.escape(message)):
            check_plan(other, plan)


def test_checker_catches_a_breadth_cap_and_an_excluded_person():
    s, plan = _checked_case()
    one_person = _broken(
        plan,
        seats=(dataclasses.replace(plan.seats[0], responsibilities=("a", "b"), hours=30),),
        assignments=tuple(
            dataclasses.replace(a, seat=plan.seats[0].seat, candidate=plan.seats[0].candidate)
            for a in plan.assignments
        ),
    )
    with pytest.raises(AssertionError, match="breadth cap 1"):
        check_plan(s, one_person)
    excluded = scenario(
        [resp("a", 10, needs={"business": 4}), resp("b", 20)],
        [cand("ana", skills={"business": 3}, cost=90, exclude=True), cand("bob", cost=80)],
        roles={"PM": {"cost": 100, "max_responsibilities": 1}},
    )
    with pytest.raises(AssertionError, match="ana is excluded but placed"):
        check_plan(excluded, plan)


def test_install_plan_checker_sees_every_plan_solve_makes(monkeypatch):
    import solver_helpers
    from orgplan import solve
    from orgplan.solving.options import SolveOptions

    monkeypatch.undo()  # the suite-wide checker (conftest) wrapped solve already
    seen = []
    monkeypatch.setattr(
        solver_helpers,
        "check_plan",
        lambda scen, plan, structure, quality_tolerance: seen.append(
            (plan.structure, structure, quality_tolerance)
        ),
    )
    solver_helpers.install_plan_checker(monkeypatch)
    s = scenario([resp("a", 10)], [cand("ana")], structures={"lean": {"roles": ["PM"]}})
    solve(s)
    solve(s, "lean", SolveOptions(quality_tolerance=0.005))
    solve(s, "superhero")
    assert seen == [
        ("all roles", None, 0.01),
        ("lean", "lean", 0.005),  # the checker holds each plan to its own tolerance
        ("superhero", "superhero", 0.01),
    ]


def test_same_plan_in_fresh_processes_whatever_the_hash_seed(tmp_path: Path):
    import json
    import os
    import subprocess
    import sys

    data = {
        "name": "hash seeds",
        "roles": {
            "PM": {"cost": 100, "open_reqs": 2, "max_responsibilities": 3},
            "PMM": {"cost": 100, "open_reqs": 2},
        },
        "responsibilities": [
            {
                "id": f"r{i}",
                "hours": 10,
                "product": ["Core", "Cloud", "Edge"][i % 3],
                "needs": {"business": 2 + i % 3},
            }
            for i in range(9)
        ],
        "couplings": [{"between": ["r0", "r3"]}, {"between": ["r1", "r4"]}],
        "candidates": [{"id": f"c{i}", "skills": {"business": 3 + i % 2}} for i in range(5)],
        "policy": {"max_products_per_seat": 2},
    }
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    code = (
        "import json, sys; from orgplan import load_scenario, solve; "
        "print(json.dumps(solve(load_scenario(sys.argv[1])).to_json()))"
    )
    plans = []
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        plans.append(_without_seconds(json.loads(out.stdout.strip().splitlines()[-1])))
    assert plans[0] == plans[1]
    solve_checked(load_scenario(path))


# ---- the example scenarios' plans pass the checker, under every structure --------------

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def _example_plans():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scen = load_scenario(path)
        big = len(scen.candidates) > 50
        for structure in [None, *scen.all_structures()]:
            marks = [pytest.mark.slow] if big and structure != "superhero" else []
            yield pytest.param(path, structure, marks=marks, id=f"{path.stem}-{structure}")


@pytest.mark.solve_ahead(time_limit=4)
@pytest.mark.parametrize(("path", "structure"), list(_example_plans()))
def test_example_scenario_plans_pass_the_checker(path, structure, solved_ahead):
    # a short time limit: a plan stopped early must meet every hard limit all the same
    # (`solved_ahead`: solved in a second process from the start of the session, as each
    # solve takes its 4 s whatever runs beside it; checked here as by `solve_checked`)
    plan = solved_ahead
    assert plan.status.value in ("optimal", "feasible")
    if plan.status.value == "feasible":
        assert plan.solver.gap is None or plan.solver.gap >= 0
