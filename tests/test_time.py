"""The time rules of format 1.1 (`horizon`), each on a tiny case with its effect asserted,
known optima worked out by hand, and small timed instances against brute force."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import check_plan
from conftest import to_yaml
from orgplan import solve
from orgplan.errors import Infeasible
from orgplan.results.status import SolveStatus
from orgplan.scenario.loading import parse_scenario

QUARTERS = ["Q1", "Q2", "Q3", "Q4"]
PM = {"cost": 120000, "open_reqs": 1, "hire_profile": {"domain": 3}}


def timed(**overrides: Any) -> dict[str, Any]:
    """One PM seat's worth of work over four quarters, a requisition and one candidate."""
    data: dict[str, Any] = {
        "name": "Timed",
        "horizon": {"periods": list(QUARTERS)},
        "roles": {"PM": PM},
        "responsibilities": [
            {"id": "roadmap", "hours": 20, "needs": {"domain": 3}},
        ],
        "candidates": [],
    }
    for key, value in overrides.items():
        data[key] = value
    return data


def plan_of(data: dict[str, Any], structure: str | None = None) -> Any:
    """Solve `data` and check the plan with the independent timed checker."""
    scenario = parse_scenario(to_yaml(data))
    plan = solve(scenario, structure)
    check_plan(scenario, plan, structure)
    return plan


def owners(plan: Any) -> dict[tuple[str, str], str]:
    """(responsibility, period) -> seat."""
    return {(a.responsibility, p): a.seat for a in plan.assignments for p in a.periods}


def seat_of(plan: Any, candidate: str | None) -> Any:
    return next(s for s in plan.seats if s.candidate == candidate)


# ---- each rule, penalized and not ---------------------------------------------------------


def test_a_requisition_with_time_to_hire_2_cannot_own_q1_work() -> None:
    slow = plan_of(timed(roles={"PM": PM | {"time_to_hire": 2}}))
    seat = seat_of(slow, None)
    assert (seat.open_by, seat.start) == ("Q1", "Q3")
    assert [p for (_r, p) in owners(slow)] == ["Q3", "Q4"]
    assert slow.uncovered[0].periods == ("Q1", "Q2")
    assert "no seat of the plan that may own it has started yet" in slow.uncovered[0].reason
    quick = plan_of(timed())
    assert [p for (_r, p) in owners(quick)] == QUARTERS
    assert seat_of(quick, None).start == "Q1"
    assert slow.status is quick.status is SolveStatus.OPTIMAL


def test_an_internal_mover_available_in_q1_wins_the_q1_work_over_an_equal_hire() -> None:
    mover = {"id": "ines", "skills": {"domain": 3}, "cost": 120000, "internal": True}
    data = timed(
        roles={"PM": PM | {"time_to_hire": 1}},
        candidates=[mover],
    )
    plan = plan_of(data)
    assert [s.candidate for s in plan.seats] == ["ines"]
    assert seat_of(plan, "ines").start == "Q1"
    assert set(owners(plan).values()) == {"PM-1"}
    assert plan.kpis.coverage == 1.0
    # unavailable until Q2, the mover no longer covers Q1 and nor does the hire
    late = plan_of(data | {"candidates": [mover | {"available_from": "Q3"}]})
    assert seat_of(late, None).start == "Q2"
    assert late.uncovered[0].periods == ("Q1",)


def test_the_onboarding_cap_spreads_starts() -> None:
    work = [
        {"id": "roadmap", "hours": 30, "needs": {"domain": 3}},
        {"id": "pricing", "hours": 30, "needs": {"domain": 3}},
    ]
    people = [
        {"id": "a", "skills": {"domain": 3}, "cost": 100000},
        {"id": "b", "skills": {"domain": 3}, "cost": 100000},
    ]
    free = plan_of(timed(responsibilities=work, candidates=people))
    assert sorted(s.start for s in free.seats) == ["Q1", "Q1"]
    capped = plan_of(
        timed(responsibilities=work, candidates=people, policy={"max_hires_per_period": 1})
    )
    assert sorted(s.start for s in capped.seats) == ["Q1", "Q2"]
    assert capped.kpis_by_period[0].kpis.coverage == pytest.approx(0.5)
    assert capped.kpis_by_period[1].kpis.coverage == 1.0


def test_a_ramping_seat_holds_half_its_capacity() -> None:
    work = [{"id": "roadmap", "hours": 30, "needs": {"domain": 3}}]
    ramping = plan_of(timed(roles={"PM": PM | {"ramp_up": 1}}, responsibilities=work))
    seat = seat_of(ramping, None)
    assert (seat.start, seat.ramp_periods) == ("Q1", 1)
    assert ramping.uncovered[0].periods == ("Q1",)  # 30 h do not fit in 20 h
    small = [{"id": "roadmap", "hours": 20, "needs": {"domain": 3}}]
    holds = plan_of(timed(roles={"PM": PM | {"ramp_up": 1}}, responsibilities=small))
    assert holds.uncovered == ()  # 20 h fit in half of 40
    # a mover who says they need no ramp-up holds the 30 h from Q1
    mover = {"id": "ines", "skills": {"domain": 3}, "cost": 90000, "ramp_up": 0}
    quick = plan_of(
        timed(
            roles={"PM": PM | {"ramp_up": 1}},
            responsibilities=work,
            candidates=[mover],
        )
    )
    assert quick.uncovered == ()
    assert [s.candidate for s in quick.seats] == ["ines"]


def test_work_with_periods_exists_only_then() -> None:
    work = [
        {"id": "roadmap", "hours": 20, "needs": {"domain": 3}},
        {"id": "launch", "hours": 15, "periods": ["Q3", "Q4"]},
    ]
    plan = plan_of(timed(responsibilities=work))
    assert sorted(p for (r, p) in owners(plan) if r == "launch") == ["Q3", "Q4"]
    assert plan.uncovered == ()
    by_period = [p.kpis.total_hours for p in plan.kpis_by_period]
    assert by_period == [20, 20, 35, 35]
    assert plan.kpis.coverage == 1.0


def test_the_run_rate_budget_holds_in_every_period_and_the_spend_budget_on_the_total() -> None:
    people = [
        {"id": "a", "skills": {"domain": 3}, "cost": 100000},
        {"id": "b", "skills": {"domain": 3}, "cost": 100000},
    ]
    work = [
        {"id": "roadmap", "hours": 30, "needs": {"domain": 3}},
        {"id": "pricing", "hours": 30, "needs": {"domain": 3}, "periods": ["Q3", "Q4"]},
    ]
    data = timed(responsibilities=work, candidates=people, roles={"PM": {"cost": 120000}})
    plan = plan_of(data)
    # the second person starts when the work does: Q1-Q2 cost nothing for them
    assert sorted(s.start for s in plan.seats) == ["Q1", "Q3"]
    assert plan.kpis.spend == pytest.approx(100000 + 50000)
    assert [p.kpis.total_cost for p in plan.kpis_by_period] == [100000, 100000, 200000, 200000]
    tight = plan_of(data | {"policy": {"spend_budget": 120000}})
    # 120,000 buys four person-quarters of the six the work needs, however they fall
    assert tight.kpis.spend <= 120000
    assert tight.kpis.covered_priority_hours == 4 * 30
    with pytest.raises(Infeasible) as refused:
        plan_of(data | {"policy": {"budget": 50000, "coverage": "required"}})
    assert "budget" in " ".join(refused.value.reasons)


def test_a_change_of_owner_between_periods_is_a_handoff() -> None:
    # b is better at the work but only from Q2: taking it over costs the handoff, so
    # with a large handoff cost a keeps it.
    work = [{"id": "roadmap", "hours": 20, "needs": {"domain": 4}}]
    people = [
        {"id": "a", "skills": {"domain": 3}, "cost": 100000},
        {"id": "b", "skills": {"domain": 4}, "cost": 100000, "available_from": "Q2"},
    ]
    data = timed(responsibilities=work, candidates=people, roles={"PM": {"cost": 120000}})
    plan = plan_of(data)
    # a alone: 4 x 20 x 0.75 = 60; a in Q1 then b: 15 + 3 x 20 - 1 handoff = 74
    assert [(a.candidate, a.periods) for a in plan.assignments] == [
        ("a", ("Q1",)),
        ("b", ("Q2", "Q3", "Q4")),
    ]
    assert plan.kpis.quality == pytest.approx(74)
    assert plan.kpis.handoff_cost == pytest.approx(1)


def test_one_period_plans_as_without_a_horizon() -> None:
    from conftest import make_data

    data = make_data()
    once = plan_of(data | {"horizon": {"periods": ["2027"], "period_months": 12}})
    snapshot = plan_of(data)
    assert [(s.candidate, s.role) for s in once.seats] == [
        (s.candidate, s.role) for s in snapshot.seats
    ]
    assert owners_untimed(snapshot) == {r: s for (r, _p), s in owners(once).items()}
    assert once.kpis.total_cost == snapshot.kpis.total_cost == once.kpis.spend
    assert once.kpis.quality == pytest.approx(snapshot.kpis.quality)


def owners_untimed(plan: Any) -> dict[str, str]:
    return {a.responsibility: a.seat for a in plan.assignments}


def test_a_known_optimum_by_hand() -> None:
    # Q1-Q2: roadmap (20 h). Q3-Q4: roadmap and a launch (15 h, PMM only).
    # The PM mover (cost 100k, backfill 20k) from Q1; a PMM requisition (time_to_hire 1,
    # hire_cost 10k) opened in Q2 to start in Q3: spend 100k + 20k + 50k (half a year of
    # 100k) + 10k = 180k.
    data = timed(
        roles={
            "PM": {"cost": 120000},
            "PMM": {"cost": 100000, "open_reqs": 1, "time_to_hire": 1, "hire_cost": 10000},
        },
        responsibilities=[
            {"id": "roadmap", "hours": 20, "needs": {"domain": 3}, "roles": ["PM"]},
            {"id": "launch", "hours": 15, "roles": ["PMM"], "periods": ["Q3", "Q4"]},
        ],
        candidates=[
            {
                "id": "ines",
                "skills": {"domain": 3},
                "cost": 100000,
                "internal": True,
                "backfill_cost": 20000,
                "roles": ["PM"],
            }
        ],
    )
    plan = plan_of(data)
    req = seat_of(plan, None)
    assert (req.role, req.open_by, req.start) == ("PMM", "Q2", "Q3")
    assert plan.kpis.spend == pytest.approx(180000)
    assert [p.kpis.spend for p in plan.kpis_by_period] == [45000, 35000, 50000, 50000]
    # the backfill paid when Ines starts, the hire cost when the requisition is opened
    assert [p.one_off_cost for p in plan.kpis_by_period] == [20000, 10000, 0, 0]
    assert plan.solver.stages[-1].value == pytest.approx(180000)
    document = plan.to_json()
    assert document["periods"] == QUARTERS
    assert document["seats"][1]["open_by"] == "Q2"
    assert [p["one_off_cost"] for p in document["kpis_by_period"]] == [20000, 10000, 0, 0]


def test_coverage_required_explains_work_before_anyone_can_start() -> None:
    data = timed(
        roles={"PMM": {"cost": 100000, "open_reqs": 1, "time_to_hire": 2, "ramp_up": 1}},
        responsibilities=[{"id": "launch", "name": "Q3 launch", "hours": 30, "periods": ["Q3"]}],
        policy={"coverage": "required"},
    )
    with pytest.raises(Infeasible) as refused:
        plan_of(data)
    assert refused.value.reasons[0] == (
        "coverage is required, but 'Q3 launch' exists in Q3 and nobody who may own it can "
        "hold its 30 h/week then: a PMM requisition opened now starts in Q3 at 50% "
        "capacity (time_to_hire 2)"
    )


# ---- small timed instances against brute force ---------------------------------------------


def brute_force(data: dict[str, Any]) -> tuple[float, float, float]:
    """The best (coverage, quality, cost) over every team, start and owner, by the rules
    of the format page (read again here, not from the model)."""
    periods = data["horizon"]["periods"]
    T = len(periods)
    roles = data["roles"]
    resps = data["responsibilities"]
    people = []  # (name, levels, cost, earliest, ramp, one_off)
    for c in data["candidates"]:
        start = periods.index(c["available_from"]) if "available_from" in c else 0
        people.append(
            (c["id"], c["skills"], c["cost"], start, c.get("ramp_up"), c.get("backfill_cost", 0))
        )
    for role in roles.values():
        for k in range(role.get("open_reqs", 0)):
            people.append(
                (
                    f"req{k}",
                    role.get("hire_profile", {}),
                    role["cost"],
                    role.get("time_to_hire", 0),
                    None,
                    role.get("hire_cost", 0),
                )
            )
    rid = next(iter(roles))
    role = roles[rid]
    cap, share = role.get("capacity", 40), data.get("policy", {}).get("ramp_capacity", 0.5)
    gap = data.get("policy", {}).get("max_skill_gap", 1)
    floors = role.get("floors", {})
    development = data.get("policy", {}).get("development")

    # train or hire: a candidate may grow each skill by one level, counted from period
    # index periods_per_level on, at cost_per_level each (requisitions do not grow)
    def used(i: int, owned: list[int]) -> bool:
        """Whether i's seat or owned work asks a level i misses by at most one."""
        asked = [*floors.items()] + [
            (k, n - gap) for j in owned for k, n in resps[j].get("needs", {}).items()
        ]
        return any(0 < n - people[i][1].get(k, 0) <= 1 for k, n in asked)

    growable = [
        [False, True] if development and not p[0].startswith("req") else [False] for p in people
    ]

    def exists(j: int) -> range | list[int]:
        return (
            [periods.index(p) for p in resps[j]["periods"]] if "periods" in resps[j] else range(T)
        )

    def fit(lv: dict[str, float], needs: dict[str, float]) -> float:
        total = sum(needs.values())
        return sum(min(lv.get(s, 0), n) for s, n in needs.items()) / total if total else 1.0

    def eligible(lv: dict[str, float], needs: dict[str, float]) -> bool:
        return all(lv.get(s, 0) >= n - gap for s, n in needs.items())

    def levels_at(i: int, grows: tuple[bool, ...], t: int) -> dict[str, float]:
        lv = people[i][1]
        if grows[i] and t >= development["periods_per_level"]:
            return {s: v + 1 for s, v in lv.items()}
        return lv

    best = None
    teams = itertools.product(
        itertools.product([None, *range(T)], repeat=len(people)), itertools.product(*growable)
    )
    for starts, grows in teams:
        if any(s is not None and s < p[3] for s, p in zip(starts, people, strict=True)):
            continue
        if any(g and s is None for s, g in zip(starts, grows, strict=True)):
            continue  # only a person placed is developed
        if any(
            s is not None
            and not all(levels_at(i, grows, s).get(k, 0) >= f for k, f in floors.items())
            for i, s in enumerate(starts)
        ):
            continue
        cost = 0.0
        for i, (s, p) in enumerate(zip(starts, people, strict=True)):
            if s is not None:
                cost += p[2] * (T - s) * 3 / 12 + p[5]
                cost += development["cost_per_level"] * len(p[1]) if grows[i] else 0
        seated = [i for i, s in enumerate(starts) if s is not None]
        # each period independently, except owner changes: enumerate owners per period
        slots = [(j, t) for j in range(len(resps)) for t in exists(j)]
        choices = []
        for j, t in slots:
            opts: list[int | None] = [None]
            for i in seated:
                if starts[i] <= t and eligible(levels_at(i, grows, t), resps[j].get("needs", {})):
                    opts.append(i)
            choices.append(opts)
        for pick in itertools.product(*choices):
            load: dict[tuple[int, int], float] = {}
            for (j, t), i in zip(slots, pick, strict=True):
                if i is not None:
                    load[i, t] = load.get((i, t), 0) + resps[j]["hours"]
            ok = True
            for (i, t), h in load.items():
                ramp = people[i][4] if people[i][4] is not None else role.get("ramp_up", 0)
                room = cap * share if t < starts[i] + ramp else cap
                if h > room + 1e-9:
                    ok = False
            if not ok:
                continue
            own = dict(zip(slots, pick, strict=True))
            if any(
                grows[i] and not used(i, [j for (j, _t), k in own.items() if k == i])
                for i in seated
            ):
                continue  # a skill grows only for a floor or a need the plan asks of it
            coverage = sum(
                resps[j]["hours"] * resps[j].get("priority", 1)
                for (j, t), i in own.items()
                if i is not None
            )
            quality = sum(
                resps[j]["hours"] * fit(levels_at(i, grows, t), resps[j].get("needs", {}))
                for (j, t), i in own.items()
                if i is not None
            )
            for (j, t), i in own.items():
                if (
                    t >= 1
                    and (j, t - 1) in own
                    and own[j, t - 1] is not None
                    and own[j, t - 1] != i
                ):
                    quality -= 1
            key = (coverage, quality, -cost)
            if best is None or key > best:
                best = key
    assert best is not None
    return best[0], best[1], -best[2]


levels = st.integers(min_value=2, max_value=5)


@st.composite
def tiny_timed(draw: Any) -> dict[str, Any]:
    periods = ["Q1", "Q2", "Q3"][: draw(st.integers(2, 3))]
    role = {
        "cost": 100000,
        "open_reqs": draw(st.integers(0, 1)),
        "time_to_hire": draw(st.integers(0, 2)),
        "ramp_up": draw(st.integers(0, 1)),
        "hire_cost": draw(st.sampled_from([0, 10000])),
        "hire_profile": {"domain": draw(levels)},
    }
    policy: dict[str, Any] = {}
    if draw(st.booleans()):
        policy["development"] = {
            "periods_per_level": draw(st.integers(1, 2)),
            "cost_per_level": draw(st.sampled_from([0, 5000, 40000])),
        }
        policy["max_skill_gap"] = draw(st.sampled_from([0, 1]))
        if draw(st.booleans()):
            role["floors"] = {"domain": min(draw(levels), role["hire_profile"]["domain"])}
    resps = []
    for j in range(draw(st.integers(1, 2))):
        resp: dict[str, Any] = {
            "id": f"w{j}",
            "hours": draw(st.sampled_from([10, 15, 25])),
            "needs": {"domain": draw(levels)},
        }
        if draw(st.booleans()):
            resp["periods"] = periods[draw(st.integers(0, len(periods) - 1)) :]
        resps.append(resp)
    cands = []
    for i in range(draw(st.integers(1, 2))):
        cand: dict[str, Any] = {
            "id": f"c{i}",
            "skills": {"domain": draw(levels)},
            "cost": draw(st.sampled_from([80000, 100000, 120000])),
        }
        if draw(st.booleans()):
            cand["available_from"] = draw(st.sampled_from(periods))
        if draw(st.booleans()):
            cand["backfill_cost"] = 5000
        cands.append(cand)
    return {
        "name": "tiny",
        "horizon": {"periods": periods},
        "roles": {"PM": role},
        "responsibilities": resps,
        "candidates": cands,
        "policy": policy,
    }


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_timed())
def test_small_timed_instances_match_brute_force(data: dict[str, Any]) -> None:
    plan = plan_of(copy.deepcopy(data))
    coverage, quality, cost = brute_force(data)
    assert plan.status is SolveStatus.OPTIMAL
    assert plan.kpis.covered_priority_hours == pytest.approx(coverage)
    # quality within the 1% the cost stage may give up, cost no more than the best at
    # the best quality
    assert plan.kpis.quality >= quality * 0.99 - 1e-6
    assert plan.kpis.spend <= cost + 1e-6 or plan.kpis.quality > quality * 0.99


def test_over_periods_no_solver_run_when_its_overrun_alone_would_pass_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dataclasses import replace

    from orgplan.results.status import Termination
    from orgplan.solvers import lp
    from orgplan.solving.options import SolveOptions

    real, limits = lp.run, []

    def run(prob: Any, solver: str, limit: float | None, **kwargs: Any) -> lp.SolveOutcome:
        limits.append(limit)
        outcome = real(prob, solver, limit, **kwargs)
        # the first run went 100 s past its limit (a large model's set-up)
        return replace(outcome, seconds=(limit or 0) + 100, termination=Termination.TIME_LIMIT)

    monkeypatch.setattr(lp, "run", run)
    data = timed(candidates=[{"id": "ana", "skills": {"domain": 3}, "cost": 90000}])
    scenario = parse_scenario(to_yaml(data))
    plan = solve(scenario, None, SolveOptions(time_limit=30))
    check_plan(scenario, plan)
    assert len(limits) == 1 and limits[0] is not None and limits[0] <= 15
    later = plan.solver.stages[1:]
    assert [s.objective for s in later] == ["quality", "cost"]
    assert all(s.bound is None and s.termination is Termination.TIME_LIMIT for s in later)
