"""Why a plan is as it is, every choice priced by a solve: `orgplan explain`.

For each placed person, why (what they own, their fit, who else could) and the best plan
without them (`if_removed`, which is also "what if they decline"); for each open
requisition, the named candidates closest to it, why not and the plan with them in it;
for every other candidate, the one reason they are out and, for the strongest few of each
role, the plan with them in it; and the cheaper teams just past the quality tolerance.

Two steps, so that the solves run wherever the caller likes (`orgplan.jobs.explain`):
`questions` lists the what-ifs to solve (a `WhatIf` is one change to the scenario);
`explain` words the answers. The reasons that need no solve (a floor, a need beyond the
allowed skill gap, too few hours, excluded) come from the scenario and the plan
(`orgplan.analysis.placement`); every figure comes from a solve, with its status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from orgplan.analysis.compare import Outcome
from orgplan.analysis.diff import PlanDiff, diff_plans
from orgplan.analysis.limits import seated_roles
from orgplan.analysis.placement import (
    Placement,
    accepted_roles,
    fit_for,
    holdable_roles,
    placement,
    why_not,
)
from orgplan.domain.rules import (
    EPS,
    Levels,
    candidate_levels,
    gaps,
    hours_fit,
    placement_cost,
    role_fit,
)
from orgplan.formatting import article, counted, figure, hours, money, percent
from orgplan.results.plan import Plan, Seat, no_plan_json
from orgplan.results.status import SolveStatus
from orgplan.scenario.format import Candidate, Scenario
from orgplan.solving.options import QUALITY_TOLERANCE, PlanStart

EXPLAIN_FORMAT = "orgplan.explain/1"

PER_ROLE = 2
"""Unplaced candidates of each role whose placement is priced by a solve: the strongest."""

ALTERNATIVES = 3
"""Named candidates shown against each open requisition."""

NEAR_BEST = (0.02, 0.05)
"""Shares of the best quality the cheaper near-best teams may give up."""

# A change smaller than these is no change (fit and hours are estimates; see options.py).
_SAME_SHARE = 0.0005
_SAME_MONEY = 0.5


class Change(StrEnum):
    """What a what-if changes in the scenario."""

    WITHOUT = "without"  # the candidate excluded: the plan if they leave or decline
    PLACED = "placed"  # the candidate fixed in a role
    UNFILLED = "unfilled"  # one open requisition of a role fewer: if it cannot be filled


@dataclass(frozen=True)
class WhatIf:
    """One change to the scenario whose best plan an explanation quotes."""

    change: Change
    candidate: str | None = None
    role: str | None = None

    def apply(self, data: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
        """`data` (the scenario's `model_dump`) with this change made."""
        changed = dict(data)
        if self.change is Change.UNFILLED:
            assert self.role is not None
            roles = {rid: dict(role) for rid, role in data["roles"].items()}
            roles[self.role]["open_reqs"] = scenario.roles[self.role].open_reqs - 1
            changed["roles"] = roles
            return changed
        edit: dict[str, Any] = (
            {"exclude": True, "fixed_role": None}  # a fixed role cannot hold them either
            if self.change is Change.WITHOUT
            else {"fixed_role": self.role, "exclude": False}
        )
        changed["candidates"] = [
            {**c, **edit} if c["id"] == self.candidate else c for c in data["candidates"]
        ]
        decided = data.get("decisions")
        if self.change is Change.WITHOUT and decided:
            # nor a decision: gone, they are placed nowhere and own nothing
            changed["decisions"] = {
                **decided,
                "place": {c: r for c, r in decided.get("place", {}).items() if c != self.candidate},
                "assign": {
                    j: c for j, c in decided.get("assign", {}).items() if c != self.candidate
                },
            }
        return changed

    def start(self, plan: Plan, scenario: Scenario) -> PlanStart:
        """Where its solve starts: `plan` with this change made as simply as it can be
        (their seat emptied; or they take a requisition's seat of the role, else the
        seat of the role whose work they fit best, else a seat of their own)."""
        seats = list(PlanStart.of(plan).seats)
        if self.change is Change.WITHOUT:
            return PlanStart(tuple(s for s in seats if s[0] != self.candidate))
        of_role = [i for i, s in enumerate(seats) if s[1] == self.role]
        reqs = [i for i in of_role if seats[i][0] is None]
        if self.change is Change.UNFILLED:
            return PlanStart(tuple(s for i, s in enumerate(seats) if i != reqs[-1]))
        assert self.role is not None
        cand = scenario.candidate(str(self.candidate))
        if reqs:
            at = reqs[0]
        else:
            levels = candidate_levels(cand, scenario)
            scored = [
                (fit_for(cand, levels, plan.seats[i], _work(plan, plan.seats[i]), scenario), i)
                for i in of_role
            ]
            fitting = [(f, i) for f, i in scored if f is not None]
            if not fitting:
                return PlanStart((*seats, (cand.id, self.role, ())))
            at = max(fitting)[1]
        seats[at] = (cand.id, self.role, seats[at][2])
        return PlanStart(tuple(seats))

    def label(self, scenario: Scenario) -> str:
        """The change in words: `without Maya Chen`, `Tomas Ivanova as TPM`."""
        if self.change is Change.UNFILLED:
            return f"one {self.role} requisition fewer"
        name = scenario.candidate(str(self.candidate)).label
        return f"without {name}" if self.change is Change.WITHOUT else f"{name} as {self.role}"


@dataclass(frozen=True)
class Counterfactual:
    """The best plan with one change, and how it differs from the plan."""

    what: WhatIf
    outcome: Outcome
    diff: PlanDiff | None  # None when the change leaves no plan

    @property
    def plan(self) -> Plan | None:
        """The changed plan, or None (infeasible, or none found in time)."""
        return self.outcome.plan


@dataclass(frozen=True)
class PlacedWhy:
    """A seat held by a candidate: why them, and what the plan loses without them."""

    seat: Seat
    why: str
    if_removed: Counterfactual | None
    risk: str  # key-person risk: what the plan loses if they leave or decline


@dataclass(frozen=True)
class Alternative:
    """A named candidate weighed against an open requisition."""

    candidate: Candidate
    why_not: str
    if_placed: Counterfactual | None


@dataclass(frozen=True)
class OpenReqWhy:
    """An open requisition: its work at the assumed fit, and the people closest to it."""

    seat: Seat
    why: str
    alternatives: tuple[Alternative, ...]
    if_unfilled: Counterfactual | None
    risk: str


@dataclass(frozen=True)
class UnplacedWhy:
    """A candidate holding no seat: the one reason, and the plan with them placed."""

    candidate: Candidate
    best_role: str | None
    why_not: str
    if_placed: Counterfactual | None


@dataclass(frozen=True)
class NearBest:
    """The cheapest team that gives up at most `tolerance` of the best quality."""

    tolerance: float
    what: str
    outcome: Outcome
    diff: PlanDiff | None
    summary: str


@dataclass(frozen=True)
class Explanation:
    """Every choice of a plan defended: `orgplan.explain/1` (`to_json`)."""

    scenario: Scenario
    plan: Plan
    tolerance: float
    placed: tuple[PlacedWhy, ...]
    open_reqs: tuple[OpenReqWhy, ...]
    unplaced: tuple[UnplacedWhy, ...]
    alternatives: tuple[NearBest, ...]
    weakest: str | None  # the plan's weakest point, in one sentence

    def why_of(self, candidate: str) -> str:
        """The why (placed) or why-not line of a candidate."""
        for p in self.placed:
            if p.seat.candidate == candidate:
                return p.why
        for u in self.unplaced:
            if u.candidate.id == candidate:
                return u.why_not
        raise KeyError(candidate)

    def to_json(self) -> dict[str, Any]:
        """The explanation as `orgplan.explain/1` data."""
        sc, plan = self.scenario, self.plan
        structure = plan.structure if plan.structure in sc.all_structures() else None
        return {
            "format": EXPLAIN_FORMAT,
            "scenario": sc.name,
            "structure": structure,
            "plan": plan.to_json(),
            **self.answers_json(),
        }

    def answers_json(self) -> dict[str, Any]:
        """The explanation's answers without the plan: its `placed`, `open_reqs`,
        `unplaced`, `alternatives` and `weakest` (the plan JSON's `explanation`)."""
        sc, plan = self.scenario, self.plan
        return {
            "placed": [
                {
                    "candidate": p.seat.candidate,
                    "seat": p.seat.seat,
                    "role": p.seat.role,
                    "why": p.why,
                    "if_removed": _counterfactual_json(p.if_removed, sc, plan),
                    "risk": p.risk,
                }
                for p in self.placed
            ],
            "open_reqs": [
                {
                    "seat": r.seat.seat,
                    "role": r.seat.role,
                    "why": r.why,
                    "alternatives": [
                        {
                            "candidate": a.candidate.id,
                            "why_not": a.why_not,
                            "if_placed": _counterfactual_json(a.if_placed, sc, plan),
                        }
                        for a in r.alternatives
                    ],
                    "if_unfilled": _counterfactual_json(r.if_unfilled, sc, plan),
                    "risk": r.risk,
                }
                for r in self.open_reqs
            ],
            "unplaced": [
                {
                    "candidate": u.candidate.id,
                    "best_role": u.best_role,
                    "why_not": u.why_not,
                    "if_placed": _counterfactual_json(u.if_placed, sc, plan),
                }
                for u in self.unplaced
            ],
            "alternatives": [
                {
                    "what": n.what,
                    "tolerance": n.tolerance,
                    **_outcome_json(n.outcome, n.diff, sc, plan),
                    "summary": n.summary,
                }
                for n in self.alternatives
            ],
            "weakest": self.weakest,
        }


# ---- which what-ifs to solve --------------------------------------------------------------


def questions(
    plan: Plan, scenario: Scenario, only: Sequence[str] | None = None
) -> tuple[WhatIf, ...]:
    """The what-ifs an explanation of `plan` quotes, each once, in a stable order: every
    placed person left out, every requisition left unfilled, the candidates closest to
    each requisition and the strongest `PER_ROLE` unplaced of each role placed.

    `only`: the candidates to explain (their what-ifs alone, each unplaced one priced in
    their best role whatever their rank; no requisition left unfilled).
    """
    asked: dict[WhatIf, None] = {}
    chosen = None if only is None else set(only)
    for seat in plan.seats:
        if seat.candidate is not None and (chosen is None or seat.candidate in chosen):
            asked[WhatIf(Change.WITHOUT, seat.candidate)] = None
        elif seat.open_req and chosen is None:
            asked[WhatIf(Change.UNFILLED, role=seat.role)] = None
    for seat in plan.seats:
        if seat.open_req:
            for cand in _closest(seat, plan, scenario, chosen):
                asked[WhatIf(Change.PLACED, cand.id, seat.role)] = None
    for role, ranked in _strongest(plan, scenario).items():
        priced = ranked[:PER_ROLE] if chosen is None else [c for c in ranked if c.id in chosen]
        for cand in priced:
            asked[WhatIf(Change.PLACED, cand.id, role)] = None
    return tuple(asked)


def _excluded(cand: Candidate, scenario: Scenario) -> bool:
    """Never placed: `exclude: true`, or a decision."""
    return cand.exclude or cand.id in scenario.decisions.exclude


def _unplaced(plan: Plan, scenario: Scenario) -> list[Candidate]:
    seated = {s.candidate for s in plan.seats}
    return [c for c in scenario.candidates if c.id not in seated]


def _best_role(candidate: Candidate, plan: Plan, scenario: Scenario) -> str | None:
    """The role a candidate is weighed in: of the plan's roles they may hold, the one they
    fit best (file order breaks ties); else the one they come nearest to, if any."""
    levels = candidate_levels(candidate, scenario)
    seated = seated_roles(scenario, plan.structure)
    holdable = holdable_roles(candidate, levels, scenario, seated)
    offered = [r for r in seated if r in accepted_roles(candidate, scenario)]
    pool = holdable or tuple(offered)
    if not pool:
        return None
    return max(pool, key=lambda r: (role_fit(levels, scenario.roles[r]), -pool.index(r)))


def _strength(candidate: Candidate, role: str, plan: Plan, scenario: Scenario) -> tuple:
    """How strong a candidate is for a role: role fit, then fit over the plan's work of
    that role, then the lower cost."""
    levels = candidate_levels(candidate, scenario)
    work = [
        (a.hours, scenario.responsibility(a.responsibility).needs)
        for a in plan.assignments
        if a.role == role
    ]
    cost = placement_cost(scenario, candidate, role)
    return (role_fit(levels, scenario.roles[role]), hours_fit(levels, work), -cost)


def _strongest(plan: Plan, scenario: Scenario) -> dict[str, list[Candidate]]:
    """The unplaced candidates who may hold a role of the plan, by their best role,
    strongest first."""
    ranked: dict[str, list[Candidate]] = {}
    for cand in _unplaced(plan, scenario):
        if _excluded(cand, scenario):
            continue
        levels = candidate_levels(cand, scenario)
        role = _best_role(cand, plan, scenario)
        if role is None or not holdable_roles(cand, levels, scenario, (role,)):
            continue
        ranked.setdefault(role, []).append(cand)
    for role, cands in ranked.items():
        cands.sort(key=lambda c: _strength(c, role, plan, scenario), reverse=True)
    return ranked


def _closest(
    seat: Seat, plan: Plan, scenario: Scenario, chosen: set[str] | None = None
) -> list[Candidate]:
    """The unplaced candidates who may hold the requisition's role, closest to its work
    first (those who could not take it on at all last): the named alternatives (of
    `chosen` alone, if given)."""
    found = []
    for cand in _unplaced(plan, scenario):
        levels = candidate_levels(cand, scenario)
        if _excluded(cand, scenario) or not holdable_roles(cand, levels, scenario, (seat.role,)):
            continue
        if chosen is not None and cand.id not in chosen:
            continue
        their = fit_for(cand, levels, seat, _work(plan, seat), scenario)
        strength = _strength(cand, seat.role, plan, scenario)
        found.append(((their is not None, their or 0.0, *strength), cand))
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [cand for _key, cand in found[:ALTERNATIVES]]


def _work(plan: Plan, seat: Seat) -> list:
    return [a for a in plan.assignments if a.seat == seat.seat]


# ---- the answers, worded -----------------------------------------------------------------


def explain(
    plan: Plan,
    scenario: Scenario,
    answers: Mapping[WhatIf, Outcome],
    near: Sequence[tuple[float, Outcome]] = (),
    tolerance: float = QUALITY_TOLERANCE,
    only: Sequence[str] | None = None,
) -> Explanation:
    """The explanation of `plan`, from the solved what-ifs (`answers`, keyed by the
    `questions` asked; one not answered is said not re-solved) and the near-best teams
    (`near`: (tolerance, outcome) pairs). `tolerance`: the plan's quality tolerance.
    `only`: explain these candidates alone (as asked of `questions`)."""
    base = plan.to_json()
    chosen = None if only is None else set(only)

    answered: dict[WhatIf, Counterfactual | None] = {}

    def answer(what: WhatIf) -> Counterfactual | None:
        # one what-if may be quoted twice (a requisition's alternative is also unplaced)
        if what not in answered:
            outcome = answers.get(what)
            found = None if outcome is None else outcome.plan
            answered[what] = (
                None
                if outcome is None
                else Counterfactual(
                    what, outcome, None if found is None else diff_plans(base, found.to_json())
                )
            )
        return answered[what]

    placed = []
    for seat in plan.seats:
        if seat.candidate is None or (chosen is not None and seat.candidate not in chosen):
            continue
        removed = answer(WhatIf(Change.WITHOUT, seat.candidate))
        placed.append(
            PlacedWhy(
                seat,
                _why_placed(seat, plan, scenario),
                removed,
                _risk(f"if {seat.person} leaves or declines", plan, removed),
            )
        )
    reqs = []
    for seat in plan.seats:
        if not seat.open_req:
            continue
        alternatives = []
        for cand in _closest(seat, plan, scenario, chosen):
            priced = answer(WhatIf(Change.PLACED, cand.id, seat.role))
            why = _why_not_req(cand, seat, plan, scenario, priced, tolerance)
            alternatives.append(Alternative(cand, why, priced))
        unfilled = answer(WhatIf(Change.UNFILLED, role=seat.role))
        reqs.append(
            OpenReqWhy(
                seat,
                _why_req(seat, plan, scenario),
                tuple(alternatives),
                unfilled,
                _risk(f"if the {seat.role} requisition cannot be filled", plan, unfilled),
            )
        )
    unplaced = []
    strongest = _strongest(plan, scenario)
    for cand in _unplaced(plan, scenario):
        if chosen is not None and cand.id not in chosen:
            continue
        role = _best_role(cand, plan, scenario)
        priced = None if role is None else answer(WhatIf(Change.PLACED, cand.id, role))
        unplaced.append(
            UnplacedWhy(
                cand,
                role,
                _why_unplaced(cand, role, plan, scenario, priced, tolerance, strongest),
                priced,
            )
        )
    nearby: list[NearBest] = []
    for t, o in near:
        nearby.append(_near_best(t, o, plan, base, nearby[-1] if nearby else None))
    risks = [(p.if_removed, p.risk) for p in placed] + [(r.if_unfilled, r.risk) for r in reqs]
    return Explanation(
        scenario,
        plan,
        tolerance,
        tuple(placed),
        tuple(reqs),
        tuple(unplaced),
        tuple(nearby),
        _weakest(plan, risks, tolerance),
    )


def _owned(seat: Seat, plan: Plan) -> str:
    """`23 h of billing requirements, billing backlog and 2 more`."""
    names = [a.name for a in _work(plan, seat)]
    shown = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
    return f"{hours(seat.hours)} of {shown or 'no work'}"


def _why_placed(seat: Seat, plan: Plan, scenario: Scenario) -> str:
    """What they own at what fit and price, and who else could take it on."""
    cand = scenario.candidate(str(seat.candidate))
    price = money(seat.cost, plan.currency)
    text = f"owns {_owned(seat, plan)} at {percent(seat.fit)} fit for {price}{_when(seat, plan)}"
    if cand.fixed_role == seat.role:
        text = f"fixed_role {seat.role} in the scenario; {text}"
    elif scenario.decisions.place.get(cand.id) == seat.role:
        text = f"placed as {seat.role} by a decision; {text}"
    work = _work(plan, seat)
    rivals = []
    for other in scenario.candidates:
        if other.id == cand.id or _excluded(other, scenario):
            continue
        levels = candidate_levels(other, scenario)
        if not holdable_roles(other, levels, scenario, (seat.role,)):
            continue
        their = fit_for(other, levels, seat, work, scenario)
        if their is not None:
            rivals.append((their, -placement_cost(scenario, other, seat.role), other))
    if rivals:
        their, cost, other = max(rivals, key=lambda r: (r[0], r[1]))
        where = next((s.seat for s in plan.seats if s.candidate == other.id), None)
        text += (
            f"; next best for this work: {other.label} at {percent(their)} for "
            f"{money(-cost, plan.currency)}"
            + (f" (holds {where})" if where else "")
            + _later(other, seat, plan)
        )
    else:
        text += "; nobody else in the pool can take on this work"
    role = scenario.roles[seat.role]
    if role.open_reqs:
        assumed = hours_fit(
            role.profile(), [(a.hours, _needs(scenario, a.responsibility)) for a in work]
        )
        text += (
            f"; a requisition: {percent(assumed)} assumed (hire profile) for "
            f"{money(placement_cost(scenario, None, seat.role), plan.currency)}"
        )
    return text


def _needs(scenario: Scenario, responsibility: str) -> Levels:
    return scenario.responsibility(responsibility).needs


def _why_req(seat: Seat, plan: Plan, scenario: Scenario) -> str:
    """The requisition's work at its assumed fit: the role's hire profile, not a person."""
    return (
        f"owns {_owned(seat, plan)} at {percent(seat.fit)} assumed fit (the {seat.role} "
        f"hire profile, not a person) for {money(seat.cost, plan.currency)}{_when(seat, plan)}"
    )


def _when(seat: Seat, plan: Plan) -> str:
    """Over a horizon: `; starts 2027-Q2, at reduced capacity for 1 period` and for a
    requisition when it is opened (empty for an untimed plan)."""
    if not plan.timed or seat.start is None:
        return ""
    text = f"; starts {seat.start}"
    if seat.open_by is not None:
        text = f"; opened {seat.open_by}, starts {seat.start}"
    if seat.ramp_periods:
        text += f", at reduced capacity for {counted(seat.ramp_periods, 'period')}"
    for d in seat.developments:
        text += (
            f"; grows {d.skill} {figure(d.from_level)} -> {figure(d.to_level)} by {d.ready} "
            f"instead of a hire ({money(d.cost, plan.currency)})"
        )
    return text


def _later(cand: Candidate, seat: Seat, plan: Plan) -> str:
    """` (available from 2027-Q3, after PMM-2 starts)`: when a candidate cannot start by
    the seat's start (empty otherwise, and for an untimed plan)."""
    if not plan.timed or seat.start is None or cand.available_from is None:
        return ""
    if plan.periods.index(cand.available_from) <= plan.periods.index(seat.start):
        return ""
    return f" (available from {cand.available_from}, after {seat.seat} starts)"


def _req_fact(cand: Candidate, seat: Seat, plan: Plan, scenario: Scenario) -> str:
    """How a named candidate compares with the requisition on its own work."""
    levels = candidate_levels(cand, scenario)
    role = scenario.roles[seat.role]
    work = _work(plan, seat)
    room = role.capacity * cand.availability
    if room + EPS < seat.hours:
        return (
            f"{seat.seat} holds {hours(seat.hours)}; {cand.label} at {figure(cand.availability)} "
            f"FTE has {hours(room)}"
        )
    gap = scenario.policy.max_skill_gap
    for a in work:
        needs = _needs(scenario, a.responsibility)
        short = [(s, n) for s, n in needs.items() if n - levels.get(s, 0.0) > gap + EPS]
        if short:
            skill, need = max(short, key=lambda sn: sn[1] - levels.get(sn[0], 0.0))
            return (
                f"{seat.seat}'s work needs {skill} {figure(need)} for {a.name}; "
                f"{cand.label} has {figure(levels.get(skill, 0.0))} (the plan allows "
                f"{figure(gap)} below a need)"
            )
    their = fit_for(cand, levels, seat, work, scenario) or 0.0
    cost = placement_cost(scenario, cand, seat.role)
    below = _shortfalls(levels, [_needs(scenario, a.responsibility) for a in work])
    return (
        f"would fit {seat.seat}'s work {percent(their)}{below} against the requisition's "
        f"assumed {percent(seat.fit)} (hire profile), for {money(cost, plan.currency)} "
        f"against {money(seat.cost, plan.currency)}"
    )


def _shortfalls(levels: Levels, needs: Sequence[Levels]) -> str:
    """` (technical 4 of 5, domain 3 of 4)`: the levels short of the work's highest needs."""
    highest: dict[str, float] = {}
    for need in needs:
        for skill, gap in gaps(levels, need).items():
            highest[skill] = max(highest.get(skill, 0.0), levels.get(skill, 0.0) + gap)
    if not highest:
        return ""
    shown = ", ".join(
        f"{skill} {figure(levels.get(skill, 0.0))} of {figure(need)}"
        for skill, need in sorted(highest.items(), key=lambda kv: levels.get(kv[0], 0.0) - kv[1])
    )
    return f" ({shown})"


def _why_not_req(
    cand: Candidate,
    seat: Seat,
    plan: Plan,
    scenario: Scenario,
    priced: Counterfactual | None,
    tolerance: float,
) -> str:
    fact = _req_fact(cand, seat, plan, scenario) + _later(cand, seat, plan)
    if priced is None:
        return f"{fact} (not re-solved)"
    return _priced(fact, seat.role, plan, priced, tolerance)


def _why_unplaced(
    cand: Candidate,
    role: str | None,
    plan: Plan,
    scenario: Scenario,
    priced: Counterfactual | None,
    tolerance: float,
    strongest: Mapping[str, list[Candidate]],
) -> str:
    """The one reason a candidate holds no seat, with its price when it was re-solved."""
    where: Placement = placement(cand, plan, scenario)
    fact = why_not(where, cand, plan)
    if where.rival is not None:
        fact += _later(cand, plan.seat(where.rival.seat), plan)
    if where.reason in ("excluded", "role not accepted", "floors"):
        return fact  # no solve needed: they cannot hold any seat of the plan
    if priced is None or role is None:
        if role is None:
            return fact
        ranked = strongest.get(role, [])
        rank = next((i for i, c in enumerate(ranked) if c.id == cand.id), len(ranked))
        return f"{fact} (not re-solved: {ordinal(rank + 1)} strongest for {role})"
    return _priced(fact, role, plan, priced, tolerance)


def _priced(fact: str, role: str, plan: Plan, priced: Counterfactual, tolerance: float) -> str:
    """`FACT; as ROLE: PRICE; VERDICT`: a why-not with the plan that places them."""
    outcome = priced.outcome
    return f"{fact}; as {role}: {_price(plan, outcome)}; {_verdict(plan, outcome, tolerance)}"


def ordinal(n: int) -> str:
    """`1` -> `1st`, `2` -> `2nd`, `11` -> `11th`."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _relative(after: float, before: float) -> float:
    return (after - before) / abs(before) if before else 0.0


def _price(plan: Plan, outcome: Outcome) -> str:
    """What a what-if changes in coverage, quality and cost, and whether it is proven."""
    found = outcome.plan
    if found is None:
        if outcome.status is SolveStatus.INFEASIBLE:
            first = f": {outcome.reasons[0]}" if outcome.reasons else ""
            return f"no plan meets the hard limits{first}"
        return "no plan found in the time given"
    k0, k1 = plan.kpis, found.kpis
    parts = []
    if abs(k1.coverage - k0.coverage) >= _SAME_SHARE:
        before, after = _shares(k0.coverage, k1.coverage)
        parts.append(f"coverage {before} -> {after}")
    dq = _relative(k1.quality, k0.quality)
    if abs(dq) >= _SAME_SHARE:
        parts.append(f"quality {percent(dq, 1, signed=True)}")
    word = _cost_word(plan)
    dc = cost_of(found) - cost_of(plan)
    least = _least_cost(found)
    if least is not None and least < cost_of(found) - _SAME_MONEY:
        # only the cost is unproven: its bound is what the change costs at the least
        low = money(least - cost_of(plan), signed=True)
        parts.append(f"{word} {low} to {money(dc, plan.currency, signed=True)}")
        return ", ".join(parts) + " (the best lies in that range; the solve stopped there)"
    if abs(dc) >= _SAME_MONEY:
        parts.append(f"{word} {money(dc, plan.currency, signed=True)}")
    text = ", ".join(parts) or "the same coverage, quality and cost"
    if found.status is not SolveStatus.OPTIMAL:
        gap = found.solver.gap
        text += (
            " (not proven"
            + (f": within {percent(gap, 1)} of the best" if gap is not None else "")
            + ")"
        )
    return text


def cost_of(plan: Plan) -> float:
    """What the plan's cost stage minimises: the annual cost, or over a horizon (format
    1.1) what the horizon spends (run rate of each period plus one-off costs)."""
    return plan.kpis.spend if plan.timed else plan.kpis.total_cost


def _cost_word(plan: Plan) -> str:
    return "spend" if plan.timed else "cost"


def _shares(before: float, after: float) -> tuple[str, str]:
    """Two shares as percentages, with a decimal when whole percents would read the same."""
    digits = 0 if percent(before) != percent(after) else 1
    return percent(before, digits), percent(after, digits)


def _least_cost(found: Plan) -> float | None:
    """The cost stage's proven bound when only the cost stage is unproven (else None)."""
    stages = {s.objective: s for s in found.solver.stages}
    cost = stages.get("cost")
    if cost is None or cost.bound is None or cost.status is SolveStatus.OPTIMAL:
        return None
    if any(s.status is not SolveStatus.OPTIMAL for k, s in stages.items() if k != "cost"):
        return None
    return cost.bound


def _best_quality(plan: Plan) -> float:
    """The best quality the plan's quality stage found (its floor is a share below it)."""
    stage = next((s for s in plan.solver.stages if s.objective == "quality"), None)
    return stage.value if stage is not None and stage.value else plan.kpis.quality


def _below_floor(plan: Plan, found: Plan, tolerance: float) -> bool:
    """Whether `found` gives up more of the plan's best quality than `tolerance`."""
    return -_relative(found.kpis.quality, _best_quality(plan)) > tolerance + _SAME_SHARE


def _verdict(plan: Plan, outcome: Outcome, tolerance: float) -> str:
    """Why the plan does not take the what-if, by the plan's priorities in order."""
    found = outcome.plan
    if found is None:
        return "so the plan cannot take it"
    k0, k1 = plan.kpis, found.kpis
    if k1.coverage < k0.coverage - _SAME_SHARE:
        return "so it covers less work, the plan's first priority"
    if _below_floor(plan, found, tolerance):
        return (
            f"so its quality falls below the plan's floor ({percent(tolerance)} under the "
            "best, the most the plan may trade for cost)"
        )
    if cost_of(found) > cost_of(plan) + _SAME_MONEY:
        least = _least_cost(found)
        if least is not None and least < cost_of(plan) - _SAME_MONEY:
            return "so it may cost more or less than the plan: the solve could not tell in time"
        return "so it costs more for work the plan covers as well"
    return "as good as the plan by its priorities: a tie the solver broke the other way"


def _plan_b(diff: PlanDiff | None, left: str | None) -> str:
    """What the plan without someone does instead: `opens a PMM requisition`."""
    if diff is None:
        return ""
    steps = []
    for s in diff.seats_added:
        steps.append(
            f"opens {article(s.role)} {s.role} requisition"
            if s.candidate is None
            else f"places {s.name} as {s.role}"
        )
    for m in diff.moved:
        steps.append(f"moves {m.name} from {m.before} to {m.after}")
    for s in diff.seats_removed:
        if left is not None and s.candidate == left:
            continue  # the person the what-if leaves out
        steps.append(
            f"closes {article(s.role)} {s.role} requisition"
            if s.candidate is None
            else f"drops {s.name}"
        )
    if not steps:
        taken = sum(1 for o in diff.owners_changed if o.after is not None)
        dropped = len(diff.owners_changed) - taken
        parts = []
        if taken:
            work = counted(taken, "responsibility", "responsibilities")
            parts.append(
                f"the others take over ({work} {'changes' if taken == 1 else 'change'} owner)"
            )
        if dropped:
            work = counted(dropped, "responsibility", "responsibilities")
            parts.append(f"{work} left uncovered")
        return ", ".join(parts) or "nothing else changes"
    return ", ".join(steps)


def _risk(lead: str, plan: Plan, cf: Counterfactual | None) -> str:
    """What the plan loses when a seat's holder is gone, and what plan B does."""
    if cf is None:
        return f"{lead}: not re-solved"
    found = cf.plan
    if found is None:
        return f"{lead}: {_price(plan, cf.outcome)}"
    left = cf.what.candidate if cf.what.change is Change.WITHOUT else None
    k0, k1 = plan.kpis, found.kpis
    if k1.coverage < k0.coverage - _SAME_SHARE:
        before, after = _shares(k0.coverage, k1.coverage)
        head = f"coverage drops from {before} to {after}"
    else:
        head = _price(plan, cf.outcome)
    return f"{lead}, {head}; plan B: {_plan_b(cf.diff, left)}"


def _loss(plan: Plan, cf: Counterfactual, tolerance: float) -> tuple[float, float, float]:
    """How much a plan B loses, by the plan's priorities: no plan at all first, then
    coverage, then quality below the plan's floor, then cost (each rounded so that noise
    does not decide)."""
    if cf.plan is None:
        return (2.0, 0.0, 0.0)
    k0, k1 = plan.kpis, cf.plan.kpis
    below = -_relative(k1.quality, _best_quality(plan)) - tolerance
    return (
        round(max(0.0, k0.coverage - k1.coverage), 3),
        round(max(0.0, below), 3),
        max(0.0, round(cost_of(cf.plan) - cost_of(plan))),
    )


def _weakest(
    plan: Plan, risks: Sequence[tuple[Counterfactual | None, str]], tolerance: float
) -> str | None:
    """The seat whose loss hurts the plan most, in one sentence (None: nothing re-solved)."""
    scored = [(_loss(plan, cf, tolerance), text) for cf, text in risks if cf is not None]
    if not scored:
        return None
    worst, text = max(scored, key=lambda pair: pair[0])
    if not any(worst):
        return "no single departure costs the plan anything: every seat has an equal plan B"
    return text


def _near_best(
    tolerance: float,
    outcome: Outcome,
    plan: Plan,
    base: dict[str, Any],
    before: NearBest | None,
) -> NearBest:
    """The near-best team at `tolerance`, said against the plan (and the one `before` it)."""
    what = f"give up at most {percent(tolerance)} of the best quality"
    found = outcome.plan
    diff = None if found is None else diff_plans(base, found.to_json())
    previous = None if before is None else before.outcome.plan
    at = "" if before is None else percent(before.tolerance)
    if found is None:
        summary = f"{what}: {_price(plan, outcome)}"
    elif diff is not None and diff.unchanged:
        summary = f"{what}: no cheaper team; the plan stays"
    elif previous is not None and diff_plans(previous.to_json(), found.to_json()).unchanged:
        summary = f"{what}: the same team as at {at}"
    else:
        cost = money(cost_of(found), plan.currency) + (" over the horizon" if found.timed else "")
        summary = f"{what}: {cost}, {_price(plan, outcome)}; {_plan_b(diff, None)}"
    return NearBest(tolerance, what, outcome, diff, summary)


# ---- JSON -----------------------------------------------------------------------------------


def _outcome_json(
    outcome: Outcome, diff: PlanDiff | None, scenario: Scenario, plan: Plan
) -> dict[str, Any]:
    found = outcome.plan
    if found is not None:
        data = found.to_json()
        return {
            "solver": data["solver"],
            "kpis": data["kpis"],
            "changes": [] if diff is None else diff.changes(),
        }
    structure = plan.structure if plan.structure in scenario.all_structures() else None
    empty = no_plan_json(
        scenario, structure, list(outcome.reasons), plan.solver.name, outcome.status
    )
    return {
        "solver": empty["solver"],
        "kpis": empty["kpis"],
        "changes": [],
        "reasons": list(outcome.reasons),
    }


def _counterfactual_json(
    cf: Counterfactual | None, scenario: Scenario, plan: Plan
) -> dict[str, Any] | None:
    if cf is None:
        return None
    return {"what": cf.what.label(scenario), **_outcome_json(cf.outcome, cf.diff, scenario, plan)}
