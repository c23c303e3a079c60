"""The model of a plan over periods (format 1.1 `horizon`): one function per time rule.

Variables (docs/formulation.md, "Over periods"):
  held[p, r, t]  1 when person p holds a seat of role r in period t; once held, held to
                 the end of the horizon (held[p, r, t-1] <= held[p, r, t]), so the seat
                 starts in the first period it is held: start = held[t] - held[t-1]
  own[p, j, t]   1 when p owns responsibility j in period t (only where j exists then)
  covered[j, t], fit_hours[j, t], kept[c, t]  the objectives' columns, as in one period
  change[j, t]   in [0, 1]: j's owner of period t-1 no longer owns it in t (a handoff)
  grow[p, s]     1 when p grows skill s by one level (train or hire, policy.development)
  gained[p, j, s, t]  in [0, 1]: p owns j in t with s grown, so j's fit gains then

Every rule of one period holds in each period; the pairings a rule forbids outright (a
floor, eligibility, a period before the person can start, work that does not exist then)
have no variable at all, as in `orgplan.model`. The pool is the one-period pool
(`build_pool`): who may hold which seat and own which work does not change over time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from orgplan.domain.rules import EPS, Person
from orgplan.model.development import NO_GROWTH, Growth, development_reach, growth_of
from orgplan.model.limits import Limits
from orgplan.model.pool import Pool, build_pool, capacity
from orgplan.model.stages import Stage
from orgplan.model.team import cost_scale_of
from orgplan.scenario.format import Scenario
from orgplan.solvers import lp


@dataclass
class TimedModel:
    """A built model over periods: the PuLP problem, its variables and the objectives."""

    scenario: Scenario
    limits: Limits
    pool: Pool
    prob: Any
    periods: tuple[str, ...]
    earliest: dict[int, int] = field(default_factory=dict)  # first period p may start
    held: dict[tuple[int, str, int], Any] = field(default_factory=dict)
    own: dict[tuple[int, int, int], Any] = field(default_factory=dict)
    covered: dict[tuple[int, int], Any] = field(default_factory=dict)
    fit_hours: dict[tuple[int, int], Any] = field(default_factory=dict)
    kept: dict[tuple[int, int], Any] = field(default_factory=dict)
    change: dict[tuple[int, int], Any] = field(default_factory=dict)
    focus: dict[tuple[int, str, int], Any] = field(default_factory=dict)  # (p, line, t)
    growth: Growth = NO_GROWTH
    grow: dict[tuple[int, str], Any] = field(default_factory=dict)
    gained: dict[tuple[int, int, str, int], Any] = field(default_factory=dict)
    coverage: Any = None
    quality: Any = None
    cost: Any = None
    quality_constant: float = 0.0
    terms: dict[str, list[tuple[Any, float]]] = field(default_factory=dict)
    cost_scale: float = 1.0

    @property
    def last(self) -> int:
        """The index of the horizon's last period."""
        return len(self.periods) - 1

    def seat(self, pi: int, role: str) -> Any:
        """The column that is 1 when p holds a seat of `role` at all (by the last period)."""
        return self.held.get((pi, role, self.last))


# ---- the time facts of the scenario, read once ------------------------------------------


def work_periods(scenario: Scenario) -> dict[int, tuple[int, ...]]:
    """The periods (indexes) in which each responsibility exists."""
    labels = scenario.period_labels()
    index = {label: t for t, label in enumerate(labels)}
    return {
        ji: tuple(range(len(labels)))
        if resp.periods is None
        else tuple(sorted(index[p] for p in resp.periods))
        for ji, resp in enumerate(scenario.responsibilities)
    }


def earliest_start(scenario: Scenario, person: Person) -> int:
    """The first period a person can start: a requisition after its role's time_to_hire,
    a candidate from `available_from` (default the first period)."""
    if person.candidate is None:
        return scenario.roles[person.roles[0]].time_to_hire
    cand = scenario.candidate(person.candidate)
    if cand.available_from is None:
        return 0
    return scenario.period_labels().index(cand.available_from)


def ramp_periods(scenario: Scenario, person: Person, role: str) -> int:
    """Periods at ramp capacity from the start: the candidate's ramp_up, else the role's."""
    if person.candidate is not None:
        own = scenario.candidate(person.candidate).ramp_up
        if own is not None:
            return own
    return scenario.roles[role].ramp_up


def annual_cost(person: Person, role: str) -> float:
    """The seat's annual cost (with a horizon, `Person.costs` holds no one-off cost)."""
    return person.costs[role]


def one_off_cost(scenario: Scenario, person: Person, role: str) -> float:
    """The seat's one-off cost: the role's hire_cost for a requisition, the candidate's
    backfill_cost for a candidate."""
    if person.candidate is None:
        return scenario.roles[role].hire_cost
    return scenario.candidate(person.candidate).backfill_cost


def period_share(scenario: Scenario) -> float:
    """The share of an annual cost that one period costs: period_months / 12."""
    months = scenario.horizon.period_months if scenario.horizon is not None else 12.0
    return months / 12.0


# ---- variables -----------------------------------------------------------------------------


def add_timed_variables(model: TimedModel) -> None:
    """A `held` binary per allowed seat and period from the person's earliest start (a
    seat reached by growing a skill: from when it has grown), an `own` binary per allowed
    ownership and period in which the work exists, the person may hold a seat for it and
    (work reached by growing) the skill has grown; a `grow` binary per skill a person may
    grow."""
    prob, pool, scenario, growth = model.prob, model.pool, model.scenario, model.growth
    role_index = {r: i for i, r in enumerate(scenario.roles)}
    exists = work_periods(scenario)
    horizon = range(len(model.periods))
    for pi, roles in pool.seat_roles.items():
        first = earliest_start(scenario, pool.people[pi])
        if first > model.last:
            continue  # can never start within the horizon
        model.earliest[pi] = first
        for r in roles:
            for t in horizon[growth.since(pi, r, first) :]:
                model.held[pi, r, t] = lp.binary(prob, f"held_{pi}_{role_index[r]}_{t}")
    for (pi, ji), roles in pool.ownable.items():
        if pi not in model.earliest:
            continue
        since = model.earliest[pi] if (pi, ji) not in growth.work_needs else growth.ready
        for t in exists[ji]:
            if t >= since and any((pi, r, t) in model.held for r in roles):
                model.own[pi, ji, t] = lp.binary(prob, f"own_{pi}_{ji}_{t}")
    if growth.ready <= model.last:
        for pi, skills in growth.skills.items():
            if pi in model.earliest:
                for k, skill in enumerate(skills):
                    model.grow[pi, skill] = lp.binary(prob, f"grow_{pi}_{k}")


# ---- the rules -----------------------------------------------------------------------------


def _seats_of(model: TimedModel) -> dict[int, list[str]]:
    """The roles each person may hold, among the seats that have columns."""
    roles: dict[int, list[str]] = defaultdict(list)
    for pi, r, t in model.held:
        if t == model.last:
            roles[pi].append(r)
    return roles


def _owns(model: TimedModel) -> dict[tuple[int, int], list[int]]:
    """The responsibilities each person may own in each period."""
    owned: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pi, ji, t in model.own:
        owned[pi, t].append(ji)
    return owned


def _held_at(model: TimedModel, pi: int, role: str, t: int) -> list[tuple[Any, float]]:
    """`held[p, r, t]` as terms; none before the person's earliest start."""
    var = model.held.get((pi, role, t))
    return [] if var is None else [(var, 1.0)]


def seats_stay_filled(model: TimedModel) -> None:
    """A seat starts in one period and stays filled to the end of the horizon."""
    for (pi, r, t), var in model.held.items():
        before = model.held.get((pi, r, t - 1))
        if before is not None:
            lp.add_le(model.prob, [(before, 1.0), (var, -1.0)], 0, f"stays_{pi}_{r}_{t}")


def one_seat_per_person(model: TimedModel) -> None:
    """A person holds at most one seat."""
    for pi, roles in _seats_of(model).items():
        if len(roles) > 1:
            terms = [(model.held[pi, r, model.last], 1.0) for r in roles]
            lp.add_le(model.prob, terms, 1, f"one_seat_{pi}")


def placed_by_rule(model: TimedModel) -> None:
    """A candidate with a fixed_role, or placed by a decision, holds a seat of that role
    (starting in whichever period the plan says)."""
    for pi, person in enumerate(model.pool.people):
        for kind, role in (("fixed_role", person.fixed_role), ("decision_place", person.placed)):
            if role is None:
                continue
            var = model.seat(pi, role)
            if var is None:
                lp.add_ge(model.prob, [], 1, f"{kind}_impossible_{pi}")
            else:
                lp.add_eq(model.prob, [(var, 1.0)], 1, f"{kind}_{pi}")


def decided_owners(model: TimedModel) -> None:
    """A responsibility a decision assigns is owned by that candidate in every period it
    exists."""
    assigned = model.scenario.decisions.assign
    if not assigned:
        return
    person_of = {p.candidate: pi for pi, p in enumerate(model.pool.people) if p.candidate}
    exists = work_periods(model.scenario)
    for ji, resp in enumerate(model.pool.resps):
        if resp.id not in assigned:
            continue
        pi = person_of.get(assigned[resp.id], -1)
        for t in exists[ji]:
            var = model.own.get((pi, ji, t))
            if var is None:
                lp.add_ge(model.prob, [], 1, f"decision_assign_impossible_{ji}_{t}")
            else:
                lp.add_eq(model.prob, [(var, 1.0)], 1, f"decision_assign_{ji}_{t}")


def kept_together(model: TimedModel) -> None:
    """Responsibilities a decision keeps together have one owner in each period, or are
    all uncovered then."""
    index = {r.id: ji for ji, r in enumerate(model.pool.resps)}
    for g, group in enumerate(model.scenario.decisions.groups()):
        first, *rest = (index[rid] for rid in group)
        for (pi, ji, t), var in model.own.items():
            if ji != first:
                continue
            for other in rest:
                terms = [(var, 1.0)]
                if (pi, other, t) in model.own:
                    terms.append((model.own[pi, other, t], -1.0))
                lp.add_eq(model.prob, terms, 0, f"decision_together_{g}_{pi}_{other}_{t}")


def owner_holds_allowed_seat(model: TimedModel) -> None:
    """The owner of work in a period holds, in that period, a seat allowed for the work
    and for the person."""
    for (pi, ji, t), var in model.own.items():
        roles = model.pool.ownable[pi, ji]
        seats = [(v, -1.0) for r in roles for v, _c in _held_at(model, pi, r, t)]
        lp.add_le(model.prob, [(var, 1.0), *seats], 0, f"owner_seated_{pi}_{ji}_{t}")


def seat_capacity(model: TimedModel) -> None:
    """Hours owned in a period fit within the seat's capacity then: capacity x
    ramp_capacity in the seat's first ramp_up periods, the whole capacity after."""
    scenario, pool = model.scenario, model.pool
    share = scenario.policy.ramp_capacity
    for (pi, t), owned in _owns(model).items():
        person = pool.people[pi]
        terms = [(model.own[pi, ji, t], pool.resps[ji].hours) for ji in owned]
        total = sum(c for _v, c in terms)
        room: list[tuple[Any, float]] = []
        smallest = None
        for r in _seats_of(model)[pi]:
            full = capacity(scenario, person, r)
            ramp = ramp_periods(scenario, person, r)
            # held[t] - held[t - ramp] is 1 while the seat is ramping up
            if ramp > 0:
                room += [(v, -full * share) for v, _c in _held_at(model, pi, r, t)]
                room += [(v, -full * (1 - share)) for v, _c in _held_at(model, pi, r, t - ramp)]
                lowest = full * share
            else:
                room += [(v, -full) for v, _c in _held_at(model, pi, r, t)]
                lowest = full
            smallest = lowest if smallest is None else min(smallest, lowest)
        if smallest is not None and total <= smallest + EPS:
            continue  # can never overflow: owner_seated ties the work to a seat
        lp.add_le(model.prob, terms + room, 0, f"capacity_{pi}_{t}")


def breadth_cap(model: TimedModel) -> None:
    """A seat owns at most max_responsibilities pieces of work in each period."""
    for (pi, t), owned in _owns(model).items():
        caps = {r: model.limits.breadth.get(r) for r in _seats_of(model)[pi]}
        if all(cap is None or cap >= len(owned) for cap in caps.values()):
            continue
        terms = [(model.own[pi, ji, t], 1.0) for ji in owned]
        for r, cap in caps.items():
            terms += [
                (v, -float(len(owned) if cap is None else cap))
                for v, _c in _held_at(model, pi, r, t)
            ]
        lp.add_le(model.prob, terms, 0, f"breadth_{pi}_{t}")


def products_per_seat(model: TimedModel) -> None:
    """A seat owns work of at most max_products_per_seat product lines in each period."""
    cap = model.limits.max_products
    if cap is None:
        return
    for (pi, t), owned in _owns(model).items():
        lines = sorted({p for ji in owned if (p := model.pool.resps[ji].product) is not None})
        if len(lines) <= cap:
            continue
        focus = {g: lp.binary(model.prob, f"focus_{pi}_{k}_{t}") for k, g in enumerate(lines)}
        for g, var in focus.items():
            model.focus[pi, g, t] = var
        for ji in owned:
            line = model.pool.resps[ji].product
            if line is not None:
                lp.add_le(
                    model.prob,
                    [(model.own[pi, ji, t], 1.0), (focus[line], -1.0)],
                    0,
                    f"focus_{pi}_{ji}_{t}",
                )
        seats = [
            (v, -float(cap)) for r in _seats_of(model)[pi] for v, _c in _held_at(model, pi, r, t)
        ]
        lp.add_le(model.prob, [(v, 1.0) for v in focus.values()] + seats, 0, f"products_{pi}_{t}")


def single_owner(model: TimedModel) -> None:
    """Each responsibility has at most one owner in each period it exists; with coverage
    `required`, exactly one."""
    owners: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for (_pi, ji, t), var in model.own.items():
        owners[ji, t].append(var)
    for ji, periods in work_periods(model.scenario).items():
        for t in periods:
            terms = [(v, 1.0) for v in owners.get((ji, t), [])]
            if model.limits.coverage_required:
                lp.add_eq(model.prob, terms, 1, f"owner_of_{ji}_{t}")
            elif len(terms) > 1:
                lp.add_le(model.prob, terms, 1, f"owner_of_{ji}_{t}")


def _needing_growth(model: TimedModel) -> list[tuple[str, int, str, Any]]:
    """Each column a person may set only by growing a skill, as (row name, person, skill,
    column): the seat of a floor they miss by a level, the ownerships of work whose need
    they miss beyond max_skill_gap by a level."""
    growth = model.growth
    found: list[tuple[str, int, str, Any]] = []
    for (pi, r), skills in growth.seat_needs.items():
        var = model.seat(pi, r)
        if var is not None:
            found += [(f"seat_{pi}_{r}_{skill}", pi, skill, var) for skill in skills]
    for (pi, ji, t), var in model.own.items():
        for skill in growth.work_needs.get((pi, ji), ()):
            found.append((f"work_{pi}_{ji}_{t}_{skill}", pi, skill, var))
    return found


def grown_before_used(model: TimedModel) -> None:
    """A seat whose floor, or work whose need, a person reaches only by growing a skill is
    theirs only if they grow it (and, by the variables, only from when it has grown)."""
    for name, pi, skill, var in _needing_growth(model):
        grow = model.grow[pi, skill]
        lp.add_le(model.prob, [(var, 1.0), (grow, -1.0)], 0, f"grow_for_{name}")


def growth_is_used(model: TimedModel) -> None:
    """A person grows a skill only for a seat or for work that asks for it: a floor or a
    need beyond max_skill_gap of the plan is why they develop (a free or useless growth
    is not planned)."""
    uses: dict[tuple[int, str], list[tuple[Any, float]]] = defaultdict(list)
    for _name, pi, skill, var in _needing_growth(model):
        uses[pi, skill].append((var, -1.0))
    for (pi, skill), grow in model.grow.items():
        lp.add_le(model.prob, [(grow, 1.0), *uses[pi, skill]], 0, f"grow_used_{pi}_{skill}")


def open_requisition_order(model: TimedModel) -> None:
    """Open requisitions of a role are interchangeable: the first starts no later than
    the second, and so on."""
    by_role: dict[str, list[int]] = defaultdict(list)
    for pi, person in enumerate(model.pool.people):
        if person.open_req and pi in model.earliest:
            by_role[person.roles[0]].append(pi)
    for role, reqs in by_role.items():
        for a, b in zip(reqs, reqs[1:], strict=False):
            for t in range(model.earliest[a], len(model.periods)):
                pair = _held_at(model, pi=a, role=role, t=t)
                pair += [(v, -1.0) for v, _c in _held_at(model, b, role, t)]
                if len(pair) == 2:
                    lp.add_ge(model.prob, pair, 0, f"open_req_order_{a}_{b}_{t}")


def structure_caps(model: TimedModel) -> None:
    """A structure caps the seats of each role it allows (seats stay, so at the end)."""
    for role in model.limits.roles:
        cap = model.limits.role_caps.get(role)
        seats = [(v, 1.0) for (_pi, r, t), v in model.held.items() if r == role and t == model.last]
        if cap is not None and len(seats) > cap:
            lp.add_le(model.prob, seats, cap, f"seats_of_{role}")


def headcount(model: TimedModel) -> None:
    """At most max_headcount seats are filled (seats stay, so at the end)."""
    cap = model.limits.max_headcount
    seats = [(v, 1.0) for (_pi, _r, t), v in model.held.items() if t == model.last]
    if cap is not None and len(seats) > cap:
        lp.add_le(model.prob, seats, cap, "headcount")


def run_rate_budget(model: TimedModel) -> None:
    """The team's annual run rate (the annual cost of the seats filled) stays within the
    budget in every period. Written in the model's money unit (`cost_scale`)."""
    budget = model.limits.budget
    if budget is None:
        return
    scale = model.cost_scale
    for t in range(len(model.periods)):
        terms = [
            (v, annual_cost(model.pool.people[pi], r) * scale)
            for (pi, r, tt), v in model.held.items()
            if tt == t
        ]
        if sum(c for _v, c in terms) > budget * scale + EPS:
            lp.add_le(model.prob, terms, budget * scale, f"budget_{t}")


def spend_budget(model: TimedModel) -> None:
    """The horizon's total spend, one-off costs included, stays within spend_budget."""
    cap = model.scenario.policy.spend_budget
    if cap is not None:
        scale = model.cost_scale
        terms = [(v, c * scale) for v, c in model.terms[Stage.COST]]
        lp.add_le(model.prob, terms, cap * scale, "spend_budget")


def hires_per_period(model: TimedModel) -> None:
    """At most max_hires_per_period people start a seat in one period (onboarding)."""
    cap = model.scenario.policy.max_hires_per_period
    if cap is None:
        return
    for t in range(len(model.periods)):
        terms: list[tuple[Any, float]] = []
        for (pi, r, tt), var in model.held.items():
            if tt == t:
                terms.append((var, 1.0))
                terms += [(v, -1.0) for v, _c in _held_at(model, pi, r, t - 1)]
        if sum(1 for _v, c in terms if c > 0) > cap:
            lp.add_le(model.prob, terms, cap, f"starts_{t}")


TIMED_RULES: tuple[Callable[[TimedModel], None], ...] = (
    seats_stay_filled,
    one_seat_per_person,
    placed_by_rule,
    decided_owners,
    kept_together,
    owner_holds_allowed_seat,
    seat_capacity,
    breadth_cap,
    products_per_seat,
    single_owner,
    grown_before_used,
    growth_is_used,
    open_requisition_order,
    structure_caps,
    headcount,
    run_rate_budget,
    hires_per_period,
)


# ---- the objectives ------------------------------------------------------------------------


def _at_most(model: TimedModel, column: Any, terms: list[tuple[Any, float]]) -> Any:
    """Add the row `column <= sum(terms)`, named after the column; returns the column."""
    lp.add_le(model.prob, [(column, 1.0)] + [(v, -c) for v, c in terms], 0, column.name)
    return column


def cost_terms(model: TimedModel) -> list[tuple[Any, float]]:
    """The horizon's spend as terms: each period a seat is held costs annual cost x
    period_months / 12, a seat's one-off cost is paid once it is held, and each skill
    grown costs policy.development's cost_per_level."""
    share = period_share(model.scenario)
    terms: list[tuple[Any, float]] = []
    for (pi, r, t), var in model.held.items():
        person = model.pool.people[pi]
        worth = annual_cost(person, r) * share
        if t == model.last:
            worth += one_off_cost(model.scenario, person, r)
        if worth:
            terms.append((var, worth))
    terms += [(grow, model.growth.cost) for grow in model.grow.values() if model.growth.cost]
    return terms


def timed_objectives(model: TimedModel) -> None:
    """The three priorities summed over periods: coverage (hours x priority per period
    owned), quality (hours x fit per period owned, less the handoffs of couplings split in
    a period and of work whose owner changes between periods), cost (the spend)."""
    scenario, pool, prob = model.scenario, model.pool, model.prob
    resps = pool.resps
    owners: dict[tuple[int, int], list[tuple[int, Any]]] = defaultdict(list)
    for (pi, ji, t), var in model.own.items():
        owners[ji, t].append((pi, var))
    coverage: list[tuple[Any, float]] = []
    quality: list[tuple[Any, float]] = []
    gained_terms: list[tuple[Any, float]] = []
    for (ji, t), found in sorted(owners.items()):
        resp = resps[ji]
        if not model.limits.coverage_required:
            covered = lp.binary(prob, f"covered_{ji}_{t}")
            model.covered[ji, t] = _at_most(model, covered, [(v, 1.0) for _pi, v in found])
            coverage.append((covered, resp.hours * resp.priority))
        worth = [(var, resp.hours * pool.fit[pi, ji]) for pi, var in found]
        best = max(w for _v, w in worth)
        gained = fit_gained(model, ji, t, found)
        if gained:
            worth += gained
            gained_terms += gained
            best = max(
                resp.hours
                * (pool.fit[pi, ji] + sum(g for _s, g in model.growth.gains.get((pi, ji), ())))
                for pi, _v in found
            )
        column = lp.continuous(prob, f"fit_hours_{ji}_{t}", 0.0, best)
        model.fit_hours[ji, t] = _at_most(model, column, worth)
        quality.append((column, 1.0))
    constant = 0.0
    kept_terms: list[tuple[Any, float]] = []
    index = {r.id: ji for ji, r in enumerate(resps)}
    exists = work_periods(scenario)
    for ci, coupling in enumerate(scenario.couplings):
        a, b = (index[x] for x in coupling.between)
        for t in sorted(set(exists[a]) & set(exists[b])):
            constant -= coupling.cost
            keeps = []
            for pi in model.earliest:
                own_a, own_b = model.own.get((pi, a, t)), model.own.get((pi, b, t))
                if own_a is None or own_b is None:
                    continue
                var = lp.continuous(prob, f"keep_{pi}_{ci}_{t}", 0.0, 1.0)
                lp.add_le(prob, [(var, 1.0), (own_a, -1.0)], 0, f"keep_a_{pi}_{ci}_{t}")
                lp.add_le(prob, [(var, 1.0), (own_b, -1.0)], 0, f"keep_b_{pi}_{ci}_{t}")
                keeps.append((var, 1.0))
                kept_terms.append((var, coupling.cost))
            if keeps:
                together = lp.continuous(prob, f"kept_{ci}_{t}", 0.0, 1.0)
                model.kept[ci, t] = _at_most(model, together, keeps)
                quality.append((together, coupling.cost))
    change_terms = owner_changes(model)
    quality += change_terms
    model.terms[Stage.COVERAGE] = [
        (var, resps[ji].hours * resps[ji].priority) for (_pi, ji, _t), var in model.own.items()
    ]
    model.terms[Stage.QUALITY] = (
        [(var, resps[ji].hours * pool.fit[pi, ji]) for (pi, ji, _t), var in model.own.items()]
        + gained_terms
        + kept_terms
        + change_terms
    )
    model.terms[Stage.COST] = cost_terms(model)
    model.quality_constant = constant
    model.coverage = lp.linear(coverage)
    model.quality = lp.linear(quality, constant=constant)
    model.cost = lp.linear([(v, c * model.cost_scale) for v, c in model.terms[Stage.COST]])


def fit_gained(
    model: TimedModel, ji: int, t: int, found: list[tuple[int, Any]]
) -> list[tuple[Any, float]]:
    """The fit hours growing adds to work `ji` in period `t` (from when skills have
    grown): a `gained` column per owner and grown skill of its needs, at most the
    ownership and at most the growth. Returns its quality terms."""
    growth = model.growth
    terms: list[tuple[Any, float]] = []
    if t < growth.ready:
        return terms
    hours = model.pool.resps[ji].hours
    for pi, own in found:
        for k, (skill, gain) in enumerate(growth.gains.get((pi, ji), ())):
            grow = model.grow.get((pi, skill))
            if grow is None:
                continue
            var = lp.continuous(model.prob, f"gained_{pi}_{ji}_{k}_{t}", 0.0, 1.0)
            lp.add_le(model.prob, [(var, 1.0), (own, -1.0)], 0, f"gained_own_{pi}_{ji}_{k}_{t}")
            lp.add_le(model.prob, [(var, 1.0), (grow, -1.0)], 0, f"gained_grow_{pi}_{ji}_{k}_{t}")
            model.gained[pi, ji, skill, t] = var
            terms.append((var, hours * gain))
    return terms


def owner_changes(model: TimedModel) -> list[tuple[Any, float]]:
    """Work does not change hands without a reason: for work existing in periods t-1 and
    t, its owner of t-1 no longer owning it in t is a handoff of policy.handoff_cost.
    Returns the (negative) quality terms of the `change` columns."""
    cost = float(getattr(model.scenario.policy, "handoff_cost", 1.0))
    by_work: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pi, ji, t in model.own:
        by_work[ji, t].append(pi)
    terms: list[tuple[Any, float]] = []
    for ji, periods in work_periods(model.scenario).items():
        for before, t in zip(periods, periods[1:], strict=False):
            if t != before + 1 or not by_work.get((ji, before)):
                continue
            var = lp.continuous(model.prob, f"change_{ji}_{t}", 0.0, 1.0)
            model.change[ji, t] = var
            for pi in by_work[ji, before]:
                row = [(var, 1.0), (model.own[pi, ji, before], -1.0)]
                if (pi, ji, t) in model.own:
                    row.append((model.own[pi, ji, t], 1.0))
                lp.add_ge(model.prob, row, 0, f"change_{pi}_{ji}_{t}")
            terms.append((var, -cost))
    return terms


def build_timed_model(scenario: Scenario, limits: Limits) -> TimedModel:
    """The whole model of `scenario` over its horizon under `limits`, objectives included
    but not set."""
    pool = build_pool(scenario, limits, development_reach(scenario))
    model = TimedModel(
        scenario=scenario,
        limits=limits,
        pool=pool,
        prob=lp.new_problem("orgplan_periods", maximize=True),
        periods=scenario.period_labels(),
        growth=growth_of(scenario, limits, pool),
    )
    lp.prefer_simplex(model.prob)
    add_timed_variables(model)
    model.cost_scale = cost_scale_of(
        [
            annual_cost(model.pool.people[pi], r) + one_off_cost(scenario, model.pool.people[pi], r)
            for pi, r, t in model.held
            if t == model.last
        ]
        + ([model.growth.cost] if model.grow and model.growth.cost else [])
    )
    for rule in TIMED_RULES:
        rule(model)
    timed_objectives(model)
    spend_budget(model)
    return model
