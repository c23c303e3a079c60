"""Infeasible scenarios are explained in business terms, with the smallest change to make.

Every case asserts the text a head of product would read: which work, which person and
which gaps, which limit and by how much. No solver vocabulary leaks into the reasons.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from orgplan.errors import Infeasible
from solver_helpers import cand, infeasible_reasons, resp, scenario, solve_checked
from test_bruteforce import brute_force, instances

SOLVER_WORDS = re.compile(
    r"\b(constraint|variable|LP|MIP|HiGHS|CBC|primal|dual|relaxation|objective|integer)\b",
    re.IGNORECASE,
)
TWO_ROLES = {"PM": {"cost": 100}, "TPM": {"cost": 100}}


def reasons_of(*args, **kwargs) -> str:
    text = infeasible_reasons(*args, **kwargs)
    assert not SOLVER_WORDS.search(text), text
    return text


# ---- work nobody may own ---------------------------------------------------------------


def test_unownable_work_names_it_and_the_closest_person_with_gaps():
    s = scenario(
        [
            resp(
                "pricing", 10, name="Pricing and packaging", needs={"business": 4, "negotiation": 3}
            )
        ],
        [
            cand(
                "ana",
                name="Ana Ruiz",
                background="business_analyst",
                skills={"business": 2, "negotiation": 3},
            ),
            cand("bob", skills={"business": 1}),
        ],
        policy={"coverage": "required"},
    )
    text = reasons_of(s)
    assert "coverage is required, but nobody eligible can own 'Pricing and packaging'" in text
    assert "needs business 4, negotiation 3" in text
    assert "a gap of at most 1 level is allowed" in text
    assert "the closest is Ana Ruiz (ana, business_analyst), fit 71%" in text
    assert "business 2 short (has 2, needs 4)" in text
    assert "negotiation" not in text.split("short")[-1]  # ana meets negotiation
    # the one-step fix: allow a gap of 2 (ana is 2 short)
    assert "allow max_skill_gap 2" in text
    # and nothing about seats or hours, which are not the problem
    assert "can be filled" not in text


def test_unownable_work_closest_person_from_a_background():
    s = scenario(
        [resp("demo", 10, needs={"sales": 5, "technical": 4})],
        [cand("qa", background="qa_tester"), cand("se", background="sales_engineer")],
        policy={"coverage": "required", "max_skill_gap": 0},
    )
    text = reasons_of(s)
    assert "nobody eligible can own 'demo'" in text
    assert "the closest is se (sales_engineer), fit 89%, sales 1 short (has 4, needs 5)" in text


def test_work_larger_than_any_seat():
    s = scenario([resp("everything", 50)], [cand("ana")], policy={"coverage": "required"})
    text = reasons_of(s)
    assert "'everything' needs 50 h/week, more than any seat that may own it holds" in text
    assert "can be filled" not in text


def test_work_larger_than_any_eligible_persons_time():
    s = scenario(
        [resp("roadmap", 30)],
        [cand("ana", name="Ana", availability=0.5), cand("bob", name="Bob", availability=0.6)],
        policy={"coverage": "required"},
    )
    text = reasons_of(s)
    assert "'roadmap' needs 30 h/week, more than any eligible person can give it" in text
    assert "the most: Bob (bob) as PM, 24 h/week" in text
    assert "nobody eligible" not in text


def test_best_effort_reports_the_same_reason_on_uncovered_work():
    s = scenario([resp("roadmap", 30)], [cand("ana", availability=0.5)])
    plan = solve_checked(s)
    assert "more than any eligible person can give it" in plan.uncovered[0].reason


# ---- total hours against the seats allowed ---------------------------------------------


def test_total_hours_above_what_headcount_allows():
    s = scenario(
        [resp("a", 30), resp("b", 30), resp("c", 30)],
        [cand("ana"), cand("bob"), cand("cy")],
        policy={"coverage": "required", "max_headcount": 2},
    )
    text = reasons_of(s)
    assert (
        "the work totals 90 h/week, but at most 2 seats can be filled "
        "(headcount, structure and pool), holding at most 80 h/week"
    ) in text
    assert "raise max_headcount from 2 to 3" in text


def test_total_hours_above_what_the_structure_allows():
    s = scenario(
        [resp("a", 30), resp("b", 30), resp("c", 30)],
        [cand("ana"), cand("bob"), cand("cy")],
        policy={"coverage": "required"},
        structures={"lean": {"roles": {"PM": 2}}},
    )
    text = reasons_of(s, "lean")
    assert "the work totals 90 h/week, but at most 2 seats can be filled" in text
    assert "allow more seats per role than structure 'lean' does" in text


def test_total_hours_above_what_the_pool_can_hold():
    s = scenario(
        [resp("a", 30), resp("b", 30)],
        [cand("ana", availability=0.75)],
        roles={"PM": {"cost": 100, "open_reqs": 0}},
        policy={"coverage": "required"},
    )
    text = reasons_of(s)
    assert "the work totals 60 h/week, but at most 1 seat can be filled" in text
    assert "holding at most 30 h/week" in text


# ---- fixed roles -----------------------------------------------------------------------


def test_fixed_role_people_alone_exceed_the_budget():
    s = scenario(
        [resp("a", 10)],
        [cand("ana", cost=100_000, fixed_role="PM"), cand("bob", cost=80_000, fixed_role="PM")],
        policy={"budget": 150_000},
        currency="EUR",
    )
    text = reasons_of(s)
    assert "the 2 fixed-role people alone cost 180,000 EUR, over the budget of 150,000 EUR" in text
    assert "raise the budget from 150,000 EUR to 180,000 EUR" in text


def test_fixed_role_cost_defaults_to_the_roles_cost():
    s = scenario(
        [resp("a", 10)],
        [cand("ana", fixed_role="PM")],
        roles={"PM": {"cost": 170}},
        policy={"budget": 100},
    )
    text = reasons_of(s)
    assert "alone cost 170 USD, over the budget of 100 USD" in text
    assert "raise the budget from 100 USD to 170 USD" in text


def test_fixed_role_outside_the_structure():
    s = scenario(
        [resp("a", 10)],
        [cand("ana", name="Ana", roles=["TPM"], fixed_role="TPM")],
        roles=TWO_ROLES,
        structures={"pm_only": {"roles": ["PM"]}},
    )
    text = reasons_of(s, "pm_only")
    assert (
        "Ana (ana) must be placed as TPM (fixed_role), but structure 'pm_only' has no TPM seat"
        in text
    )


def test_fixed_role_below_the_floors():
    s = scenario(
        [resp("a", 10)],
        [cand("ana", fixed_role="PM", skills={"business": 1})],
        roles={"PM": {"cost": 100, "floors": {"business": 3}}},
    )
    text = reasons_of(s)
    assert (
        "must be placed as PM (fixed_role) but misses its floors: "
        "business 2 short (has 1, needs 3)" in text
    )


def test_more_fixed_people_than_seats_or_headcount():
    people = [cand("ana", fixed_role="PM"), cand("bob", fixed_role="PM")]
    s = scenario([resp("a", 10)], people, structures={"one": {"roles": {"PM": 1}}})
    assert "2 people are fixed to PM but structure 'one' allows 1 PM seat" in reasons_of(s, "one")
    s = scenario([resp("a", 10)], people, policy={"max_headcount": 1})
    text = reasons_of(s)
    assert "2 people have a fixed_role but max_headcount is 1" in text
    assert "raise max_headcount from 1 to 2" in text


# ---- structures whose roles cannot own the work ----------------------------------------


def test_structure_whose_roles_cannot_own_some_work():
    s = scenario(
        [resp("backlog", 10, name="Backlog and sprints", roles=["TPM"]), resp("roadmap", 10)],
        [cand("ana"), cand("bob")],
        roles=TWO_ROLES,
        policy={"coverage": "required"},
        structures={"pm_only": {"roles": ["PM"]}},
    )
    text = reasons_of(s, "pm_only")
    assert (
        "coverage is required, but 'Backlog and sprints' may only be owned by a TPM seat, "
        "and structure 'pm_only' has none"
    ) in text
    assert "roadmap" not in text


def test_structure_with_zero_seats_of_the_only_role_that_may_own_work():
    s = scenario(
        [resp("backlog", 10, roles=["TPM"])],
        [cand("ana")],
        roles=TWO_ROLES,
        policy={"coverage": "required"},
        structures={"no_tpm": {"roles": {"PM": 1, "TPM": 0}}},
    )
    assert (
        "'backlog' may only be owned by a TPM seat, and structure 'no_tpm' has none"
        in reasons_of(s, "no_tpm")
    )


def test_superhero_cannot_cover_everything():
    s = scenario(
        [resp("a", 30), resp("b", 30)],
        [cand("ana"), cand("bob")],
        policy={"coverage": "required"},
    )
    text = reasons_of(s, "superhero")
    assert "the work totals 60 h/week, but at most 1 seat can be filled" in text
    assert "allow more seats per role than structure 'superhero' does" in text


# ---- the smallest change, found by relaxing one limit at a time ------------------------


# x 10^9: the solver sees money x 10^-4 (the dearest seat then costs a million), and the
# suggestion reads the budget it found back in money
@pytest.mark.parametrize("money", [1, 10**9])
def test_smallest_budget_that_covers_everything(money: int):
    # 'strategy' needs business 4: only ana (120); ana's 40 h cannot also hold 'ops' (30 h)
    # or 'research' (20 h); bob (70) holds 'ops'; cy (60, 20 h) holds 'research': 250
    s = scenario(
        [resp("strategy", 30, needs={"business": 4}), resp("ops", 30), resp("research", 20)],
        [
            cand("ana", cost=120 * money, skills={"business": 4}),
            cand("bob", cost=70 * money),
            cand("cy", cost=60 * money, availability=0.5),
        ],
        roles={"PM": {"cost": 100 * money}},
        policy={"coverage": "required", "budget": 200 * money},
        currency="EUR",
    )
    text = reasons_of(s)
    assert "the hard limits cannot all be met together with every responsibility covered" in text
    assert f"raise the budget from {200 * money:,} EUR to {250 * money:,} EUR" in text
    assert "make coverage best_effort" in text


def test_smallest_headcount_found_by_the_solver():
    # three 25 h jobs: no two fit one 40 h seat, so three seats are needed
    s = scenario(
        [resp("a", 25), resp("b", 25), resp("c", 25)],
        [cand("ana"), cand("bob"), cand("cy"), cand("dan")],
        policy={"coverage": "required", "max_headcount": 2},
    )
    text = reasons_of(s)
    assert "raise max_headcount from 2 to 3" in text


def test_breadth_cap_named_when_lifting_it_helps():
    s = scenario(
        [resp("a", 10), resp("b", 10)],
        [cand("ana")],
        roles={"PM": {"cost": 100, "max_responsibilities": 1}},
        policy={"coverage": "required"},
    )
    assert "max_responsibilities" in reasons_of(s)


def test_product_focus_named_when_lifting_it_helps():
    s = scenario(
        [resp("a", 10, product="Core"), resp("b", 10, product="Cloud")],
        [cand("ana")],
        policy={"coverage": "required", "max_products_per_seat": 1},
    )
    assert "max_products_per_seat" in reasons_of(s)


def test_several_limits_at_once_say_so():
    # two people fixed to a role whose floors they miss: dropping one fixed_role leaves the other
    s = scenario(
        [resp("a", 10)],
        [
            cand("ana", fixed_role="PM", skills={"business": 1}),
            cand("bob", fixed_role="PM", skills={"business": 2}),
        ],
        roles={"PM": {"cost": 100, "floors": {"business": 3}}},
    )
    assert reasons_of(s).splitlines()[-1] == (
        "no single limit, changed alone, makes it feasible: several must change"
    )


# ---- a fixed_role dropped alone --------------------------------------------------------


def test_a_fixed_role_below_the_floors_is_named_as_the_change():
    s = scenario(
        [resp("a", 10)],
        [cand("ana", name="Ana Ruiz", fixed_role="PM", skills={"business": 1})],
        roles={"PM": {"cost": 100, "floors": {"business": 3}}},
    )
    assert reasons_of(s).splitlines() == [
        "Ana Ruiz (ana) must be placed as PM (fixed_role) but misses its floors: "
        "business 2 short (has 1, needs 3)",
        "a change that alone makes it feasible: drop the fixed_role of Ana Ruiz (ana, PM)",
    ]


def test_two_fixed_roles_a_budget_and_a_headcount_cannot_all_hold():
    # Either person alone fits the budget and the headcount; both fit neither. Raising the
    # budget leaves two seats for a headcount of 1, raising the headcount leaves 220 for 150.
    s = scenario(
        [resp("a"), resp("b")],
        [cand("ana", fixed_role="PM"), cand("bob", fixed_role="TPM")],
        roles={"PM": {"cost": 100}, "TPM": {"cost": 120}},
        policy={"max_headcount": 1, "budget": 150},
    )
    assert reasons_of(s).splitlines() == [
        "2 people have a fixed_role but max_headcount is 1",
        "the 2 fixed-role people alone cost 220 USD, over the budget of 150 USD",
        "a change that alone makes it feasible: drop the fixed_role of any one of ana (PM), "
        "bob (TPM)",
    ]


def test_a_fixed_role_the_structure_lacks_names_that_person_only():
    s = scenario(
        [resp("a"), resp("b")],
        [cand("ana", fixed_role="PM"), cand("bob", name="Bob Li", fixed_role="TPM")],
        roles=TWO_ROLES,
    )
    assert reasons_of(s, "superhero").splitlines() == [
        "Bob Li (bob) must be placed as TPM (fixed_role), but structure 'superhero' has no "
        "TPM seat",
        "a change that alone makes it feasible: drop the fixed_role of Bob Li (bob, TPM)",
    ]


def test_two_people_fixed_to_one_seat_either_may_stay_out():
    s = scenario(
        [resp("a"), resp("b")],
        [cand("ana", fixed_role="PM"), cand("bob", fixed_role="PM"), cand("cy")],
        roles=TWO_ROLES,
        structures={"one_pm": {"roles": {"PM": 1, "TPM": None}}},
    )
    assert reasons_of(s, "one_pm").splitlines() == [
        "2 people are fixed to PM but structure 'one_pm' allows 1 PM seat",
        "a change that alone makes it feasible: allow more seats per role than structure "
        "'one_pm' does",
        "a change that alone makes it feasible: drop the fixed_role of any one of ana (PM), "
        "bob (PM)",
    ]


def test_a_fixed_role_found_by_the_solver_is_named_too():
    # Nothing the cheap checks see: ana (80) and bob (120) fit the budget of 200, but bob can
    # own nothing, and 'b' and 'c' need two more seats (cy and dan, 60 each): dropping bob's
    # fixed_role pays for them (200), or a budget of 320.
    tech = {"technical": 3}
    s = scenario(
        [
            resp("a", 30, needs={"business": 4}),
            resp("b", 30, needs=tech),
            resp("c", 30, needs=tech),
        ],
        [
            cand("ana", cost=80, fixed_role="PM", skills={"business": 4}),
            cand("bob", cost=120, fixed_role="PM"),
            cand("cy", cost=60, skills=tech),
            cand("dan", cost=60, skills=tech),
        ],
        policy={"coverage": "required", "budget": 200},
    )
    assert reasons_of(s).splitlines() == [
        "the hard limits cannot all be met together with every responsibility covered",
        "a change that alone makes it feasible: raise the budget from 200 USD to 320 USD",
        "a change that alone makes it feasible: make coverage best_effort (leave some work "
        "uncovered, reported as such)",
        "a change that alone makes it feasible: drop the fixed_role of bob (PM)",
    ]


def test_at_most_five_people_are_named():
    people = [cand(f"p{i}", fixed_role="PM") for i in range(7)]
    s = scenario([resp("a")], people, policy={"max_headcount": 6})
    assert reasons_of(s).splitlines()[-1] == (
        "a change that alone makes it feasible: drop the fixed_role of any one of p0 (PM), "
        "p1 (PM), p2 (PM), p3 (PM), p4 (PM) and 2 others"
    )


def test_infeasible_carries_its_reasons():
    s = scenario([resp("a", 10)], [cand("ana", fixed_role="PM", cost=500)], policy={"budget": 100})
    from orgplan import solve

    with pytest.raises(Infeasible) as caught:
        solve(s)
    assert caught.value.exit_code == 1
    assert caught.value.reasons and str(caught.value) == "\n".join(caught.value.reasons)


# ---- the suggested budget is exactly the least that works ------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(instances(), st.sampled_from([1, 10, 35]))
def test_suggested_budget_is_the_least_cost_of_a_full_cover(instance, short):
    data, _structure = instance
    data["policy"] = {**data["policy"], "coverage": "required"}
    data["policy"].pop("budget", None)
    data.pop("structures", None)
    unlimited = brute_force(scenario(**data), None)
    assume(unlimited)
    least = min(cost for _c, _q, cost in unlimited)
    assume(least >= short)
    data["policy"]["budget"] = least - short
    text = reasons_of(scenario(**data))
    assert f"raise the budget from {least - short:,.0f} USD to {least:,.0f} USD" in text
