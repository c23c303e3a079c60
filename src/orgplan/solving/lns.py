"""A large-neighbourhood search for the quality and cost stages: fix most of the best plan
known, re-solve the rest exactly, repeat.

From about a hundred people on, HiGHS's own search rarely improves the plan it is started
from (traced at 60 x 150 and 150 x 500, benchmarks/README.md), while re-solving small parts
of the plan does: the neighbourhood of a plan is the problem with every seat and every
ownership of most people held at their value in the plan, and only a few seated people
and a few of the unseated left free. That sub-problem is a small MIP that HiGHS solves, or
nearly, in a second or two; its plan meets every row of the full problem (only bounds
were changed), and is kept when it is better. Each round frees

* **the team's work** (quality stage only): every seat held, every seated person's
  ownerships free, so the whole team's work is re-assigned;
* **a role**: seated people of one role, and unseated people who may sit in it;
* **a product line**: the people who own its work, and unseated people who could;
* **a random part** of the seats, and unseated people who could own their work;

(`Neighbourhood`; the role and the line are drawn among those of the plan). The number
of seated people freed starts at half the plan's seats and adapts: a sub-problem solved
to optimality without a better plan grows it (the plan is a local optimum of that size),
one stopped by its time limit shrinks it. The unseated people let in are those whose
eligible work among the freed responsibilities is worth most (hours x fit, per unit of
cost in the cost stage), with a random factor so that rounds differ. The search stops at
its time, when a neighbourhood was the whole problem and is solved, or when a full turn of
rounds each searched a kind's whole group to the end without a better plan.

Everything random is drawn from one generator seeded with `SEED`, so the sequence of
neighbourhoods is the same on every run; what each sub-problem finds in its seconds still
depends on the machine, as with any time limit (docs/formulation.md, Determinism).
"""

from __future__ import annotations

import contextlib
import math
import random
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from orgplan.heuristics import value_of
from orgplan.model import TeamModel, seat_cost
from orgplan.model.periods import TimedModel, annual_cost, one_off_cost
from orgplan.model.stages import Stage
from orgplan.results.status import SolveStatus, Termination
from orgplan.solvers import lp

MIN_OWNERSHIPS = 5000
"""Only from this many ownership variables on (the generated 60 x 150 has about 2,700,
150 x 500 about 23,000, the `enterprise` example 2,273): smaller models are solved as
before, by their heuristic, head start and full search."""

SEED = 20_240_617
"""The seed of the neighbourhoods' random choices: the same file gives the same rounds."""

KINDS = ("role", "product", "random")
"""The kinds of neighbourhood, tried in turn ("work" first among them in the quality stage:
with every seat held it cannot change the cost)."""

# The first neighbourhoods free this share of the plan's seated people (adapted from
# there), and no more than leave about _START_FREE ownership variables free, freed people
# and entrants counted at the model's mean (at 150 x 500: 10 of 22 seats; at 300 x 1000:
# 5 of 43, where half the seats' sub-problems did not finish in their seconds).
_START_SHARE = 0.5
_START_FREE = 2000
# Unseated people let in per seated person freed.
_ENTRANTS_PER_FREED = 3
# Growth after a neighbourhood proven to hold nothing better; shrinking after a time-out.
_GROW, _SHRINK = 1.3, 0.75
# A round's time: at least this many seconds, else this share of what is left.
_ROUND_MIN, _ROUND_SHARE = 1.0, 0.15
# An improvement smaller than this (relative) is not counted (solver tolerances).
_BETTER = 1e-7


@dataclass(frozen=True)
class Neighbourhood:
    """The people whose seats and ownerships a round leaves free (all others are held at
    their value in the plan), and the kind of choice that named them."""

    kind: str
    free: frozenset[int]
    freed_seated: int
    # people whose seat is held but whose ownerships are free (the "work" kind)
    loose: frozenset[int] = frozenset()
    # whether the kind's whole group was freed (not a sample of it)
    whole: bool = True


@dataclass(frozen=True)
class SearchResult:
    """The best plan the search found (None: none better than its start), how many rounds
    ran and how many improved, and whether Ctrl-C stopped it."""

    values: dict[str, float] | None
    rounds: int = 0
    improved: int = 0
    interrupted: bool = False


@dataclass
class People:
    """The model read by person: seat and ownership variables, work, costs, fits."""

    seats: dict[int, list[tuple[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    owns: dict[int, list[tuple[int, Any]]] = field(default_factory=lambda: defaultdict(list))
    hours: list[float] = field(default_factory=list)
    product: list[str | None] = field(default_factory=list)
    fit: dict[tuple[int, int], float] = field(default_factory=dict)
    cost: dict[int, float] = field(default_factory=dict)

    @classmethod
    def of(cls, model: TeamModel | TimedModel) -> People:
        """A model read by person; over periods, a person's seat columns are those of
        every period and their ownerships those of every piece and period."""
        people = cls()
        if isinstance(model, TimedModel):
            for (pi, role, _t), var in model.held.items():
                people.seats[pi].append((role, var))
            for (pi, ji, _t), var in model.own.items():
                people.owns[pi].append((ji, var))
        else:
            for (pi, role), var in model.seat.items():
                people.seats[pi].append((role, var))
            for (pi, ji), var in model.own.items():
                people.owns[pi].append((ji, var))
        people.hours = [r.hours for r in model.pool.resps]
        people.product = [r.product for r in model.pool.resps]
        people.fit = dict(model.pool.fit)
        people.cost = {
            pi: min(_seat_cost(model, pi, role) for role, _v in seats)
            for pi, seats in people.seats.items()
        }
        return people


def _seat_cost(model: TeamModel | TimedModel, pi: int, role: str) -> float:
    """What seating person `pi` in `role` costs (over periods: a year and the one-off)."""
    if isinstance(model, TimedModel):
        person = model.pool.people[pi]
        return annual_cost(person, role) + one_off_cost(model.scenario, person, role)
    return seat_cost(model, pi, role)


@dataclass(frozen=True)
class Team:
    """Who sits where and who owns what in a plan (from its values)."""

    role: dict[int, str]
    owner: dict[int, int]

    @classmethod
    def of(cls, people: People, values: dict[str, float]) -> Team:
        role = {pi: r for pi, seats in people.seats.items() for r, v in seats if _on(values, v)}
        owner = {ji: pi for pi, owns in people.owns.items() for ji, v in owns if _on(values, v)}
        return cls(role, owner)


def _on(values: dict[str, float], var: Any) -> bool:
    return values.get(var.name, 0.0) > 0.5


def choose(
    people: People, plan: Team, kind: str, size: int, stage: str, rng: random.Random
) -> Neighbourhood:
    """The people a round of kind `kind` frees: about `size` of the plan's seated people
    (a role's, a product line's owners, or any) and `_ENTRANTS_PER_FREED` unseated people
    per seated one freed, those who could bring the freed work most."""
    seated = sorted(plan.role)
    if kind == "work":
        return Neighbourhood(kind, frozenset(), 0, frozenset(seated))
    if kind == "role":
        roles = sorted(set(plan.role.values()))
        chosen = rng.choice(roles) if roles else None
        group = [pi for pi in seated if plan.role[pi] == chosen]
        may_enter = {pi for pi, seats in people.seats.items() if any(r == chosen for r, _ in seats)}
    elif kind == "product":
        lines = sorted({people.product[ji] or "" for ji in plan.owner})
        line = rng.choice(lines) if lines else ""
        group = sorted({pi for ji, pi in plan.owner.items() if (people.product[ji] or "") == line})
        may_enter = None
    else:
        group = seated
        may_enter = None
    whole = len(group) <= size
    if not whole:
        group = sorted(rng.sample(group, size))
    freed = set(group)
    # the work the freed people own, and the work nobody owns (anyone freed may take it)
    work = {ji for ji, pi in plan.owner.items() if pi in freed}
    work |= set(range(len(people.hours))) - set(plan.owner)
    if kind == "product":
        work |= {ji for ji, g in enumerate(people.product) if (g or "") == line}
    candidates = [
        pi
        for pi in sorted(people.seats)
        if pi not in plan.role and (may_enter is None or pi in may_enter)
    ]
    scored = []
    for pi in candidates:
        worth = sum(
            people.hours[ji] * people.fit[pi, ji] for ji, _v in people.owns[pi] if ji in work
        )
        if worth <= 0:
            continue
        if stage == Stage.COST:
            worth /= max(1.0, people.cost[pi])
        scored.append((worth * rng.uniform(0.5, 1.5), pi))
    scored.sort(reverse=True)
    entrants = [pi for _w, pi in scored[: _ENTRANTS_PER_FREED * max(1, len(freed))]]
    return Neighbourhood(kind, frozenset(freed | set(entrants)), len(freed), whole=whole)


def fixings(
    people: People, values: dict[str, float], hood: Neighbourhood
) -> list[tuple[Any, float]]:
    """Every seat and ownership variable of the people `hood` does not free, at its value
    in the plan (rounded: they are binaries); the ownerships of its loose people stay free."""
    held: list[tuple[Any, float]] = []
    for pi, seats in people.seats.items():
        if pi in hood.free:
            continue
        held += [(v, 1.0 if _on(values, v) else 0.0) for _r, v in seats]
        if pi not in hood.loose:
            held += [(v, 1.0 if _on(values, v) else 0.0) for _j, v in people.owns[pi]]
    return held


def search(
    model: TeamModel | TimedModel,
    stage: str,
    solver: str,
    start: dict[str, float],
    time_budget: float,
    maximize: bool,
    progress: lp.Progress | None = None,
    seed: int = SEED,
) -> SearchResult:
    """Improve `start`, a plan of the problem as it stands (objective set for `stage`), by
    re-solving neighbourhoods of the best plan for `time_budget` seconds.

    Every plan it returns meets every row of the problem (a sub-problem only changes
    variables' bounds; the problem is left as it was) and is strictly better than `start`.
    `progress` hears of each better plan (elapsed seconds, its value, no bound: a
    sub-problem's bound holds for its neighbourhood only).
    """
    began = time.perf_counter()
    objective = model.prob.objective
    people = People.of(model)
    rng = random.Random(seed)
    best = dict(start)
    best_value = value_of(objective, best)
    if progress is not None:
        progress(0.0, best_value, None)
    size = _first_size(people, len(Team.of(people, best).role))
    turn = rounds = improved = settled = 0
    kinds = KINDS if stage == Stage.COST else ("work", *KINDS)
    reassigned: dict[int, str] | None = None  # the last team whose work proved best as it is
    stopped: list[bool] = []
    with lp.resolving(model.prob, solver) as resolve, _ctrl_c_stops(stopped, resolve):
        while True:
            left = time_budget - (time.perf_counter() - began)
            if stopped:
                return SearchResult(best if improved else None, rounds, improved, True)
            if left < 0.2:
                break
            plan = Team.of(people, best)
            kind = kinds[turn % len(kinds)]
            turn += 1
            if kind == "work" and plan.role == reassigned:
                continue  # this team's work was already re-assigned at its best
            rounds += 1
            hood = choose(people, plan, kind, max(1, round(size)), stage, rng)
            held = fixings(people, best, hood)
            limit = min(left, max(_ROUND_MIN, _ROUND_SHARE * left))
            outcome, values = resolve(held, limit, best)
            cut = outcome.interrupted or bool(stopped)  # Ctrl-C during the round
            found = None if values is None else value_of(objective, values)
            if values is not None and found is not None and _ahead(found, best_value, maximize):
                best, best_value = values, found
                improved += 1
                if progress is not None:
                    progress(time.perf_counter() - began, best_value, None)
                settled = 0
            elif not cut:  # (a round cut short says nothing about the size)
                if hood.freed_seated:  # (the "work" kind frees no seat: nothing to adapt)
                    size = _adapted(size, outcome, len(plan.role))
                # a kind's whole group searched to the end: the plan is optimal for it
                proven = outcome.status is SolveStatus.OPTIMAL
                if proven and kind == "work":
                    reassigned = plan.role
                settled = settled + 1 if proven and hood.whole else 0
            if cut:
                return SearchResult(best if improved else None, rounds, improved, True)
            if not held and outcome.status is SolveStatus.OPTIMAL:
                break  # that neighbourhood was the whole problem: the stage is solved
            if settled >= len(kinds):
                break  # no kind of neighbourhood at its largest holds a better plan
    return SearchResult(best if improved else None, rounds, improved)


@contextlib.contextmanager
def _ctrl_c_stops(stopped: list[bool], resolve: Any) -> Iterator[None]:
    """While the search runs, Ctrl-C stops it (and the round under way, where the solver
    can be cancelled) instead of raising between two rounds: the best plan is kept."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    cancel = getattr(resolve, "cancel", None)

    def stop(_signum: int, _frame: Any) -> None:
        stopped.append(True)
        if cancel is not None:
            cancel()

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _first_size(people: People, seated: int) -> float:
    """How many seated people the first rounds free (see `_START_SHARE`)."""
    mean = sum(len(owns) for owns in people.owns.values()) / max(1, len(people.seats))
    fits = math.floor(_START_FREE / max(1.0, mean * (1 + _ENTRANTS_PER_FREED)))
    return float(max(1, min(math.ceil(_START_SHARE * seated), fits)))


def _adapted(size: float, outcome: lp.SolveOutcome, seated: int) -> float:
    """The next size after a round that found nothing better: larger when the
    neighbourhood was searched to the end, smaller when its time ran out."""
    if outcome.status is SolveStatus.OPTIMAL:
        return min(float(max(seated, 1)), size * _GROW)
    if outcome.termination is Termination.TIME_LIMIT:
        return max(1.0, size * _SHRINK)
    return size


def _ahead(new: float, old: float, maximize: bool) -> bool:
    margin = _BETTER * max(1.0, abs(old))
    return new > old + margin if maximize else new < old - margin
