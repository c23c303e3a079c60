"""The domain rules of scenario-format.md as plain functions."""

from __future__ import annotations

import pytest

from conftest import make_scenario
from orgplan.domain.rules import (
    candidate_cost,
    candidate_levels,
    fit,
    gaps,
    is_eligible,
    meets_floors,
    open_req_key,
    people,
    role_fit,
)
from orgplan.scenario.format import Role, Scenario
from orgplan.scenario.loading import parse_scenario


def scenario(**overrides: object) -> Scenario:
    return parse_scenario(make_scenario(**overrides), "s.yaml")


# ---- levels: skills, else background, else 0 ------------------------------------------


def test_levels_precedence_skills_over_background_over_zero() -> None:
    s = scenario(
        candidates=[{"id": "a", "background": "qa_tester", "skills": {"domain": 5}}],
        backgrounds={"qa_tester": {"business": 3}},
    )
    levels = candidate_levels(s.candidates[0], s)
    assert levels["domain"] == 5  # skills win
    assert levels["business"] == 3  # the file's background overrides the built-in 1
    assert levels["technical"] == 4  # the built-in background
    assert list(levels) == list(s.skills)  # every skill of the scenario, in order


def test_levels_without_background_are_zero_unless_assessed() -> None:
    s = scenario(candidates=[{"id": "a", "skills": {"technical": 3.5}}])
    levels = candidate_levels(s.candidates[0], s)
    assert levels["technical"] == 3.5
    assert {k: v for k, v in levels.items() if k != "technical"} == dict.fromkeys(
        [k for k in s.skills if k != "technical"], 0.0
    )


def test_levels_of_a_custom_skill_missing_from_builtin_backgrounds() -> None:
    s = scenario(
        skills=["domain", "business", "technical", "decision_making", "regulatory"],
        candidates=[{"id": "a", "background": "consultant"}],
    )
    assert candidate_levels(s.candidates[0], s) == {
        "domain": 3,
        "business": 4,
        "technical": 2,
        "decision_making": 4,
        "regulatory": 0,
    }


# ---- eligibility: needs within max_skill_gap ------------------------------------------


@pytest.mark.parametrize(
    ("level", "gap", "eligible"),
    [(4, 0, True), (3, 0, False), (3, 1, True), (2, 1, False), (2.5, 1.5, True), (0, 5, True)],
)
def test_eligibility_within_max_skill_gap(level: float, gap: float, eligible: bool) -> None:
    assert is_eligible({"domain": level}, {"domain": 4}, gap) is eligible


def test_eligibility_needs_every_skill() -> None:
    needs = {"domain": 4, "business": 3}
    assert is_eligible({"domain": 3, "business": 2}, needs, 1)
    assert not is_eligible({"domain": 5, "business": 1}, needs, 1)
    assert not is_eligible({}, needs, 1)  # a skill not given is level 0
    assert is_eligible({}, {}, 0)  # no needs: anyone


# ---- floors: no allowance --------------------------------------------------------------


def test_floors_have_no_gap_allowance() -> None:
    floors = {"domain": 3, "business": 3}
    assert meets_floors({"domain": 3, "business": 3}, floors)
    assert not meets_floors({"domain": 3, "business": 2.9}, floors)
    assert not meets_floors({"domain": 5}, floors)
    assert meets_floors({}, {})


# ---- fit, gaps, role fit -------------------------------------------------------------


def test_fit_formula() -> None:
    needs = {"domain": 4, "business": 2}
    assert fit({"domain": 4, "business": 2}, needs) == 1.0
    assert fit({"domain": 5, "business": 5}, needs) == 1.0  # surplus does not count
    assert fit({"domain": 2, "business": 2}, needs) == pytest.approx(4 / 6)
    assert fit({}, needs) == 0.0
    assert fit({"domain": 1}, {}) == 1.0  # nothing needed


def test_gaps_are_the_shortfalls_in_order_of_the_needs() -> None:
    needs = {"domain": 4, "business": 2, "technical": 3}
    assert gaps({"domain": 3, "business": 5, "technical": 1.5}, needs) == {
        "domain": 1,
        "technical": 1.5,
    }
    assert list(gaps({}, needs)) == ["domain", "business", "technical"]
    assert gaps({"domain": 4, "business": 2, "technical": 3}, needs) == {}


def test_role_fit_is_the_fit_over_the_floors() -> None:
    role = Role.model_validate({"cost": 1, "floors": {"domain": 3, "business": 3}})
    assert role_fit({"domain": 3, "business": 1.5}, role) == pytest.approx(0.75)
    assert role_fit({}, Role.model_validate({"cost": 1})) == 1.0


def test_candidate_cost_own_else_the_roles() -> None:
    s = scenario(candidates=[{"id": "a", "cost": 90000}, {"id": "b"}])
    pm = s.roles["PM"]
    assert candidate_cost(s.candidates[0], pm) == 90000
    assert candidate_cost(s.candidates[1], pm) == 150000


# ---- people: candidates and open requisitions -----------------------------------------


def test_people_candidates_then_open_reqs_by_role() -> None:
    s = scenario(
        roles={
            "PM": {
                "cost": 150000,
                "floors": {"domain": 3},
                "open_reqs": 2,
                "hire_profile": {"domain": 4},
            },
            "TPM": {"cost": 160000, "floors": {"technical": 4}, "open_reqs": 1},
        },
        candidates=[
            {"id": "ana", "background": "business_analyst", "cost": 120000, "internal": True},
            {"id": "ben", "background": "software_engineer", "roles": ["TPM"], "availability": 0.5},
            {"id": "cy", "background": "product_manager", "exclude": True},
            {"id": "dee", "skills": {"domain": 1}, "fixed_role": "PM"},
        ],
    )
    found = people(s)
    assert [p.key for p in found] == [
        "ana",
        "ben",
        "dee",
        open_req_key("PM", 1),
        open_req_key("PM", 2),
        open_req_key("TPM", 1),
    ]
    ana, ben, dee, pm1, _pm2, tpm1 = found
    assert ana.roles == ("PM",)  # accepts every role, meets only the PM floors
    assert dict(ana.costs) == {"PM": 120000} and ana.internal and not ana.open_req
    assert ben.roles == ("TPM",) and ben.availability == 0.5 and dict(ben.costs) == {"TPM": 160000}
    assert dee.roles == () and dee.fixed_role == "PM"  # kept, with no role, so reports say why
    assert pm1.open_req and pm1.candidate is None and pm1.roles == ("PM",)
    assert pm1.levels["domain"] == 4 and pm1.levels["business"] == 0  # the hire_profile
    assert dict(pm1.costs) == {"PM": 150000} and pm1.availability == 1.0
    assert tpm1.levels["technical"] == 4  # no hire_profile: the floors
    assert pm1.key == "open:PM:1"


def test_people_limited_to_some_roles() -> None:
    s = scenario(roles={"PM": {"cost": 1, "open_reqs": 1}, "TPM": {"cost": 2, "open_reqs": 1}})
    found = people(s, ("TPM",))
    assert [p.key for p in found] == ["ana", "ben", "open:TPM:1"]
    assert all(p.roles == ("TPM",) for p in found)
