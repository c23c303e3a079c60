"""A first plan over periods, without the solver: the one-period heuristic's team, each
seat started as early as its holder can start (onboarding cap kept), and the work of each
period given greedily to the seats started by then.

The one-period team is a good guess at who (coverage then fit then cost over the work of
every period); the timed model's stages then move starts and owners, and change people
where time makes another choice better. The plan is checked row by row against the timed
problem (`violations`): it is handed out only when it meets every rule.
"""

from __future__ import annotations

from collections import defaultdict

from orgplan.domain.rules import EPS
from orgplan.heuristics.check import Values, violations
from orgplan.heuristics.warm import warm_start
from orgplan.model import build_model
from orgplan.model.periods import TimedModel, ramp_periods, work_periods
from orgplan.model.pool import Pool, capacity
from orgplan.model.stages import Stage


def timed_start(
    model: TimedModel,
    time_limit: float | None,
    started: float,
    team: dict[int, str] | None = None,
) -> Values | None:
    """A plan meeting every rule of `model`, or None when the greedy finds none.

    `team` (person index -> role): the seats to start from (a what-if's, the plan it
    changes); else the one-period heuristic's team. A given team that breaks a rule
    (say the onboarding cap leaves work uncovered that `required` coverage needs) gives
    way to the heuristic's.
    """
    if team:
        starts = schedule(model, team)
        values = plan_values(model, {pi: team[pi] for pi in starts}, starts, {})
        if not violations(model, values):
            return values
    scenario = model.scenario.model_copy(update={"horizon": None})
    snapshot = build_model(scenario, model.limits)
    start = warm_start(snapshot, Stage.COVERAGE, None, time_limit, started)
    if start.values is None:
        return None
    found: dict[int, str] = {}
    for (pi, role), var in snapshot.seat.items():
        if start.values.get(var.name, 0.0) > 0.5 and (pi, role, model.last) in model.held:
            found[pi] = role
    preferred: dict[int, int] = {}
    for (pi, ji), var in snapshot.own.items():
        if start.values.get(var.name, 0.0) > 0.5:
            preferred[ji] = pi
    starts = schedule(model, found)
    values = plan_values(model, {pi: found[pi] for pi in starts}, starts, preferred)
    return values if not violations(model, values) else None


def schedule(model: TimedModel, team: dict[int, str]) -> dict[int, int]:
    """Each member's start: their earliest period, later when the onboarding cap of that
    period is full; members who cannot start within the horizon are left out."""
    cap = model.scenario.policy.max_hires_per_period
    starting: dict[int, int] = defaultdict(int)
    starts: dict[int, int] = {}

    def first(pi: int) -> int:
        return model.growth.since(pi, team[pi], model.earliest[pi])

    for pi in sorted(team, key=lambda p: (first(p), p)):
        t = first(pi)
        while cap is not None and t <= model.last and starting[t] >= cap:
            t += 1
        if t <= model.last:
            starts[pi] = t
            starting[t] += 1
    return starts


def plan_values(
    model: TimedModel, team: dict[int, str], starts: dict[int, int], preferred: dict[int, int]
) -> Values:
    """The columns of the plan with these seats and starts, each period's work given to
    its preferred owner when started with room, else to the started seat with room that
    fits it best (highest hours x priority first)."""
    scenario, pool = model.scenario, model.pool
    exists = work_periods(scenario)
    values: Values = {}
    for (pi, role, t), var in model.held.items():
        if team.get(pi) == role and t >= starts[pi]:
            values[var.name] = 1.0
    for pi, role in team.items():
        # a seat reached by growing (a what-if's team): grow what its floors need
        for skill in model.growth.seat_needs.get((pi, role), ()):
            values[model.grow[pi, skill].name] = 1.0
    owner: dict[tuple[int, int], int] = {}
    share = scenario.policy.ramp_capacity
    order = sorted(
        range(len(pool.resps)), key=lambda j: -pool.resps[j].hours * pool.resps[j].priority
    )
    cap = model.limits.max_products
    for t in range(len(model.periods)):
        room: dict[int, float] = {}
        breadth: dict[int, int] = {}
        for pi, role in team.items():
            if starts[pi] > t:
                continue
            full = capacity(scenario, pool.people[pi], role)
            ramping = t < starts[pi] + ramp_periods(scenario, pool.people[pi], role)
            room[pi] = full * share if ramping else full
            most = model.limits.breadth.get(role)
            breadth[pi] = most if most is not None else len(pool.resps)
        lines: dict[int, set[str]] = defaultdict(set)
        for ji in order:
            if t not in exists[ji]:
                continue
            resp = pool.resps[ji]
            able = [
                pi
                for pi in room
                if (pi, ji, t) in model.own
                and team[pi] in pool.ownable[pi, ji]
                and (pi, ji) not in model.growth.work_needs
                and room[pi] + EPS >= resp.hours
                and breadth[pi] >= 1
                and (
                    cap is None
                    or resp.product is None
                    or resp.product in lines[pi]
                    or len(lines[pi]) < cap
                )
            ]
            if not able:
                continue
            pi = _owner(able, owner.get((ji, t - 1)), preferred.get(ji), pool, ji, room)
            owner[ji, t] = pi
            room[pi] -= resp.hours
            breadth[pi] -= 1
            if resp.product is not None:
                lines[pi].add(resp.product)
    _objective_columns(model, owner, values)
    return values


def _owner(
    able: list[int],
    before: int | None,
    preferred: int | None,
    pool: Pool,
    ji: int,
    room: dict[int, float],
) -> int:
    """Who takes the work among those `able`: last period's owner (no handoff), else the
    preferred one, else the best fit with the most room."""
    if before is not None and before in able:
        return before
    if preferred is not None and preferred in able:
        return preferred
    return max(able, key=lambda p: (pool.fit[p, ji], room[p]))


def _objective_columns(
    model: TimedModel, owner: dict[tuple[int, int], int], values: Values
) -> None:
    """Fill the ownership and the objectives' columns for `owner` ((j, t) -> person)."""
    pool = model.pool
    for (ji, t), pi in owner.items():
        values[model.own[pi, ji, t].name] = 1.0
        if (ji, t) in model.covered:
            values[model.covered[ji, t].name] = 1.0
        values[model.fit_hours[ji, t].name] = pool.resps[ji].hours * pool.fit[pi, ji]
        line = pool.resps[ji].product
        focus = None if line is None else model.focus.get((pi, line, t))
        if focus is not None:
            values[focus.name] = 1.0
    index = {r.id: ji for ji, r in enumerate(pool.resps)}
    for (ci, t), column in model.kept.items():
        a, b = (index[x] for x in model.scenario.couplings[ci].between)
        who = owner.get((a, t))
        if who is not None and owner.get((b, t)) == who:
            values[column.name] = 1.0
            values[f"keep_{who}_{ci}_{t}"] = 1.0
    for (ji, t), column in model.change.items():
        before = owner.get((ji, t - 1))
        if before is not None and owner.get((ji, t)) != before:
            values[column.name] = 1.0


def settled(model: TimedModel, values: Values) -> Values:
    """The plan `values` with its objective columns at what its seats, owners and growth
    bring (a solver may leave a free column short of it, such as a `change` at 1 where
    the owner stays, when no stage asked for it yet)."""
    kept: Values = {}
    for var in (*model.held.values(), *model.grow.values()):
        if values.get(var.name, 0.0) > 0.5:
            kept[var.name] = 1.0
    owner = {
        (ji, t): pi for (pi, ji, t), var in model.own.items() if values.get(var.name, 0.0) > 0.5
    }
    _objective_columns(model, owner, kept)
    hours = [r.hours for r in model.pool.resps]
    for (pi, ji, skill, t), var in model.gained.items():
        grow = model.grow.get((pi, skill))
        if owner.get((ji, t)) == pi and grow is not None and kept.get(grow.name):
            kept[var.name] = 1.0
            gain = dict(model.growth.gains.get((pi, ji), ())).get(skill, 0.0)
            column = model.fit_hours[ji, t].name
            kept[column] = kept.get(column, 0.0) + hours[ji] * gain
    return kept
