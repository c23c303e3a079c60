"""Format 1.1 time keys in the input: the checks that span the file (period labels, work
periods, available_from, an assign before its owner may start), the pool's time columns,
and the snapshot meaning of one-off costs (without a horizon, hire_cost and backfill_cost
add to the seat's cost: the plan, its cost and the budget see them)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from conftest import BASE, DELETE, line_of, make_scenario
from orgplan.domain.rules import people
from orgplan.scenario.format import Scenario
from solver_helpers import cand, placed, resp, scenario, solve_checked

Problems = Callable[..., list[str]]
Load = Callable[..., Scenario]
Write = Callable[..., Path]

HORIZON = {"periods": ["Q1", "Q2", "Q3"]}
NEEDS_HORIZON = (
    "needs a horizon: the scenario has no horizon whose periods it could name; add "
    "horizon.periods or drop {key}"
)


def resps(index: int = 0, **changes: object) -> list[dict[str, Any]]:
    """The base responsibilities with keys of one of them changed."""
    items = copy.deepcopy(BASE["responsibilities"])
    items[index].update(changes)
    return items


def cands(**changes: object) -> list[dict[str, Any]]:
    """The base candidates with keys of the first one (ana) changed."""
    items = copy.deepcopy(BASE["candidates"])
    items[0].update(changes)
    return items


# ---- the file's checks --------------------------------------------------------------------


def test_time_keys_with_a_horizon_are_valid(load: Load) -> None:
    roles = copy.deepcopy(BASE["roles"])
    roles["PM"].update(time_to_hire=5, ramp_up=1, hire_cost=20000, open_reqs=1)
    policy = {
        "max_hires_per_period": 1,
        "ramp_capacity": 0.25,
        "spend_budget": 10**6,
        "handoff_cost": 2.5,
        "development": {"periods_per_level": 2, "cost_per_level": 5000},
    }
    found = load(
        make_scenario(
            horizon=HORIZON,
            roles=roles,
            responsibilities=resps(periods=["Q2", "Q3"]),
            candidates=cands(available_from="Q2", backfill_cost=30000, ramp_up=0),
            policy=policy,
        )
    )
    assert found.period_labels() == ("Q1", "Q2", "Q3")
    assert found.responsibilities[0].periods == ("Q2", "Q3")
    assert found.policy.handoff_cost == 2.5
    development = found.policy.development
    assert development is not None
    assert (development.periods_per_level, development.cost_per_level) == (2, 5000)


def test_the_time_example_of_the_docs_validates() -> None:
    from orgplan.scenario.loading import parse_scenario

    text = (Path(__file__).parent.parent / "docs" / "scenario-format.md").read_text("utf-8")
    section = text[text.index("## Time: a plan over periods") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block is not None
    found = parse_scenario(block.group(1), "scenario-format.md")
    assert found.period_labels() == ("2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4")
    assert found.candidates[0].available_from == "2027-Q2"


def test_a_horizon_has_at_most_120_periods(problems: Problems) -> None:
    text = make_scenario(horizon={"periods": [f"P{i}" for i in range(121)]})
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'periods:')}: horizon.periods: must have at most 120 "
        "item(s), got 121"
    ]


def test_the_project_extensions_default_off(load: Load) -> None:
    policy = load(make_scenario()).policy
    assert (policy.handoff_cost, policy.development) == (1.0, None)


def test_handoff_cost_and_development_ranges(problems: Problems) -> None:
    text = make_scenario(
        policy={"handoff_cost": 0, "development": {"periods_per_level": 0, "extra": 1}}
    )
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'handoff_cost')}: policy.handoff_cost: must be > 0, got 0",
        f"s.yaml:{line_of(text, 'development')}: policy.development.cost_per_level: is "
        "required, got nothing",
        f"s.yaml:{line_of(text, 'periods_per_level')}: policy.development.periods_per_level: "
        "must be >= 1, got 0",
        f"s.yaml:{line_of(text, 'extra')}: policy.development.extra: unknown key 'extra'",
    ]


def test_period_labels_are_unique(problems: Problems) -> None:
    text = make_scenario(horizon={"periods": ["Q1", "Q2", "Q1"]})
    assert problems(text) == [
        f"s.yaml:{line_of(text, '- Q1', 2)}: horizon.periods[2]: duplicate period 'Q1' (first "
        f"on line {line_of(text, '- Q1')})"
    ]


def test_work_periods_name_periods_of_the_horizon(problems: Problems) -> None:
    text = make_scenario(horizon=HORIZON, responsibilities=resps(periods=["Q2", "Q4", "Q 3", "Q2"]))
    at = line_of(text, "periods:")  # the horizon comes last
    assert problems(text) == [
        f"s.yaml:{at + 2}: responsibilities[0].periods[1]: unknown period 'Q4'; expected one "
        "of: Q1, Q2, Q3",
        f"s.yaml:{at + 3}: responsibilities[0].periods[2]: unknown period 'Q 3' (did you mean "
        "'Q3'?); expected one of: Q1, Q2, Q3",
        f"s.yaml:{at + 4}: responsibilities[0].periods[3]: must name different periods, got "
        "'Q2' twice",
    ]


def test_work_periods_may_not_be_empty(problems: Problems) -> None:
    text = make_scenario(horizon=HORIZON, responsibilities=resps(periods=[]))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'periods: []')}: responsibilities[0].periods: must have at "
        "least 1 item(s), got none"
    ]


def test_available_from_names_a_period_of_the_horizon(problems: Problems) -> None:
    text = make_scenario(horizon=HORIZON, candidates=cands(available_from="2027-Q2"))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'available_from')}: candidates[0].available_from: unknown "
        "period '2027-Q2'; expected one of: Q1, Q2, Q3"
    ]


def test_keys_that_name_periods_need_a_horizon(problems: Problems) -> None:
    text = make_scenario(
        responsibilities=resps(periods=["Q1"]), candidates=cands(available_from="Q1")
    )
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'periods:')}: responsibilities[0].periods: "
        + NEEDS_HORIZON.format(key="periods"),
        f"s.yaml:{line_of(text, 'available_from')}: candidates[0].available_from: "
        + NEEDS_HORIZON.format(key="available_from"),
    ]


def test_time_keys_that_tune_the_plan_are_accepted_without_a_horizon(load: Load) -> None:
    roles = copy.deepcopy(BASE["roles"])
    roles["TPM"].update(time_to_hire=9, ramp_up=2, open_reqs=1)
    policy = {
        "max_hires_per_period": 1,
        "spend_budget": 1,
        "development": {"periods_per_level": 1, "cost_per_level": 1},
    }
    found = load(make_scenario(roles=roles, candidates=cands(ramp_up=3), policy=policy))
    assert found.horizon is None and found.period_labels() == ("",)
    assert (found.roles["TPM"].time_to_hire, found.candidates[0].ramp_up) == (9, 3)


def test_an_assign_before_the_owner_is_available_is_refused(problems: Problems) -> None:
    text = make_scenario(
        horizon=HORIZON,
        responsibilities=resps(2, periods=["Q2", "Q3"]),
        candidates=cands(available_from="Q3"),
        decisions={"assign": {"pricing": "ana"}},
    )
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'pricing: ana')}: decisions.assign.pricing: 'pricing' is "
        f"assigned to 'ana' here, but 'pricing' exists from Q2 and 'ana' is available only "
        f"from Q3 (candidates[0], line {line_of(text, '- id: ana')})"
    ]


def test_an_assign_from_the_works_first_period_is_accepted(load: Load) -> None:
    text = make_scenario(
        horizon=HORIZON,
        responsibilities=resps(2, periods=["Q2", "Q3"]),
        candidates=cands(available_from="Q2"),
        decisions={"assign": {"pricing": "ana"}},
    )
    assert load(text).decisions.assign == {"pricing": "ana"}


def test_assigned_work_of_different_periods_does_not_add_up(load: Load, problems: Problems) -> None:
    work = [
        {"id": "roadmap", "hours": 30, "needs": {"domain": 3}, "periods": ["Q1"]},
        {"id": "pricing", "hours": 30, "needs": {"business": 3}, "periods": ["Q2", "Q3"]},
        {"id": "backlog", "hours": 20, "needs": {"business": 3}, "periods": ["Q3"]},
    ]
    two = {"assign": {"roadmap": "ana", "pricing": "ana"}}
    assert load(make_scenario(horizon=HORIZON, responsibilities=work, decisions=two))
    three = {"assign": {"roadmap": "ana", "pricing": "ana", "backlog": "ana"}}
    text = make_scenario(horizon=HORIZON, responsibilities=work, decisions=three)
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'backlog: ana')}: decisions.assign.backlog: 'ana' must own "
        "pricing, backlog (50 h/week in Q3), more than the 40 h/week of any seat they may hold"
    ]


# ---- the pool's time columns ---------------------------------------------------------------


def pool_scenario(candidates_file: Any, **overrides: Any) -> str:
    return make_scenario(candidates=DELETE, candidates_file=candidates_file, **overrides)


def test_a_csv_pool_gives_the_time_columns(load: Load, write: Write) -> None:
    write(
        'id,Start period,Backfill cost,Ramp up,technical\nana,Q2,"$40,000",1,4\nben,,,,5\n',
        "people.csv",
    )
    ana, ben = load(pool_scenario("people.csv", horizon=HORIZON)).candidates
    assert (ana.available_from, ana.backfill_cost, ana.ramp_up) == ("Q2", 40000, 1)
    assert (ben.available_from, ben.backfill_cost, ben.ramp_up) == (None, 0.0, None)


def test_a_pools_time_columns_are_checked_cell_by_cell(problems: Problems, write: Write) -> None:
    write(
        "id,available_from,backfill_cost,ramp_up\nana,Q9,-5,1.5\nben,Q 2,lots,2\n",
        "people.csv",
    )
    assert problems(pool_scenario("people.csv", horizon=HORIZON)) == [
        "people.csv:2: available_from: unknown period 'Q9'; expected one of: Q1, Q2, Q3",
        "people.csv:2: backfill_cost: must be >= 0, got -5",
        "people.csv:2: ramp_up: must be a whole number, got 1.5",
        "people.csv:3: available_from: unknown period 'Q 2' (did you mean 'Q2'?); expected "
        "one of: Q1, Q2, Q3",
        "people.csv:3: backfill_cost: must be a number, got 'lots' (text)",
    ]


def test_a_pools_available_from_needs_a_horizon(problems: Problems, write: Write) -> None:
    write("id,available_from\nana,Q1\n", "people.csv")
    assert problems(pool_scenario("people.csv")) == [
        "people.csv:2: available_from: " + NEEDS_HORIZON.format(key="available_from")
    ]


def test_an_xlsx_pool_gives_the_time_columns(load: Load, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ID", "Available from", "Backfill cost", "Ramp-up"])
    sheet.append(["ana", "Q3", 25000, 2])
    book.save(tmp_path / "people.xlsx")
    (ana,) = load(pool_scenario("people.xlsx", horizon=HORIZON)).candidates
    assert (ana.available_from, ana.backfill_cost, ana.ramp_up) == ("Q3", 25000, 2)


# ---- the snapshot: one-off costs add to the seat's cost -------------------------------------


def hire_or_move(hire_cost: float = 0, **policy: Any) -> Scenario:
    """One piece of work anyone may own: a requisition at 100,000 a year, or ana, an
    internal mover at 120,000 whose backfill costs 5,000."""
    return scenario(
        [resp("a", 20)],
        [cand("ana", cost=120000, internal=True, backfill_cost=5000)],
        roles={"PM": {"cost": 100000, "open_reqs": 1, "hire_cost": hire_cost}},
        **({"policy": policy} if policy else {}),
    )


def test_without_one_off_costs_the_requisition_is_cheaper() -> None:
    plan = solve_checked(hire_or_move())
    assert placed(plan) == {} and [s.open_req for s in plan.seats] == [True]
    assert plan.kpis.total_cost == 100000


def test_a_hire_cost_makes_the_internal_mover_cheaper() -> None:
    plan = solve_checked(hire_or_move(hire_cost=30000))  # 130,000 against 125,000
    assert placed(plan) == {"ana": "PM"}
    assert [s.cost for s in plan.seats] == [125000] and plan.kpis.total_cost == 125000


def test_the_budget_counts_the_one_off_cost() -> None:
    # ana alone fits the budget of 125,000 once her backfill counts; the requisition
    # (130,000 with its hire cost) does not
    plan = solve_checked(hire_or_move(hire_cost=30000, budget=125000))
    assert placed(plan) == {"ana": "PM"} and plan.kpis.total_cost == 125000
    plan = solve_checked(hire_or_move(hire_cost=30000, budget=124999))
    assert plan.seats == () and plan.kpis.covered_hours == 0


def test_people_carry_annual_and_one_off_costs() -> None:
    snapshot = hire_or_move(hire_cost=30000)
    ana, req = people(snapshot)
    assert (dict(ana.annual_costs), dict(ana.one_off_costs), dict(ana.costs)) == (
        {"PM": 120000},
        {"PM": 5000},
        {"PM": 125000},
    )
    assert (dict(req.annual_costs), dict(req.one_off_costs), dict(req.costs)) == (
        {"PM": 100000},
        {"PM": 30000},
        {"PM": 130000},
    )
    with_horizon = scenario(
        [resp("a", 20)],
        [cand("ana", cost=120000, internal=True, backfill_cost=5000)],
        roles={"PM": {"cost": 100000, "open_reqs": 1, "hire_cost": 30000}},
        horizon={"periods": ["H1", "H2"], "period_months": 6},
    )
    ana, req = people(with_horizon)
    assert (dict(ana.costs), dict(ana.one_off_costs)) == ({"PM": 120000}, {"PM": 5000})
    assert (dict(req.costs), dict(req.one_off_costs)) == ({"PM": 100000}, {"PM": 30000})
