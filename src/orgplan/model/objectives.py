"""The three objectives (coverage, quality, cost) and the columns that carry them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from orgplan.model.rules import owners_by_responsibility
from orgplan.model.stages import Stage
from orgplan.model.team import TeamModel, seat_cost
from orgplan.solvers import lp


def coupling_handoffs(model: TeamModel) -> list[tuple[Any, float]]:
    # A coupling costs its handoff unless one person owns both ends; returns kept terms.
    index = {r.id: ji for ji, r in enumerate(model.pool.resps)}
    kept: list[tuple[Any, float]] = []
    for ci, coupling in enumerate(model.scenario.couplings):
        a, b = (index[x] for x in coupling.between)
        for pi in model.pool.seat_roles:
            own_a, own_b = model.own.get((pi, a)), model.own.get((pi, b))
            if own_a is None or own_b is None:
                continue
            var = lp.continuous(model.prob, f"keep_{pi}_{ci}", 0.0, 1.0)
            model.keep[pi, ci] = var
            lp.add_le(model.prob, [(var, 1.0), (own_a, -1.0)], 0, f"keep_a_{pi}_{ci}")
            lp.add_le(model.prob, [(var, 1.0), (own_b, -1.0)], 0, f"keep_b_{pi}_{ci}")
            kept.append((var, coupling.cost))
    return kept


def _at_most(model: TeamModel, column: Any, terms: list[tuple[Any, float]]) -> Any:
    """Add the row `column <= sum(terms)`, named after the column; returns the column."""
    lp.add_le(model.prob, [(column, 1.0)] + [(v, -c) for v, c in terms], 0, column.name)
    return column


def objectives(model: TeamModel, kept: list[tuple[Any, float]]) -> None:
    """The three priorities: coverage, then quality, then cost.

    The coverage and quality objectives are written on one column per responsibility
    (`covered[j]`, `fit_hours[j]`), each bounded by a row over its owners, rather than on
    the ownership columns themselves. The value is the same; what changes is what HiGHS
    sees: an objective over 100,000 ownership binaries makes its MIP set-up partition them
    into cliques (one per single-owner row), which at 300 x 1000 took longer than the
    whole time limit and could not be interrupted.
    """
    resps, pool = model.pool.resps, model.pool
    owners = owners_by_responsibility(model)
    coverage: list[tuple[Any, float]] = []
    quality: list[tuple[Any, float]] = []
    for ji, resp in enumerate(resps):
        if not owners[ji]:
            continue
        if not model.limits.coverage_required:
            covered = lp.binary(model.prob, f"covered_{ji}")
            model.covered[ji] = _at_most(model, covered, [(v, 1.0) for _pi, v in owners[ji]])
            coverage.append((covered, resp.hours * resp.priority))
        worth = [(var, resp.hours * pool.fit[pi, ji]) for pi, var in owners[ji]]
        # at most one owner, so the owner's fit hours are at most the best of them
        best = max(w for _v, w in worth)
        fit_hours = lp.continuous(model.prob, f"fit_hours_{ji}", 0.0, best)
        model.fit_hours[ji] = _at_most(model, fit_hours, worth)
        quality.append((fit_hours, 1.0))
    # Likewise each coupling's handoff saving on one column: at most one person owns
    # both ends, so `kept[c] <= 1`, which bounds quality before any relaxation is solved.
    keeps: dict[int, list[tuple[Any, float]]] = defaultdict(list)
    for (_pi, ci), var in model.keep.items():
        keeps[ci].append((var, 1.0))
    for ci, coupling in enumerate(model.scenario.couplings):
        if keeps[ci]:
            together = lp.continuous(model.prob, f"kept_{ci}", 0.0, 1.0)
            model.kept[ci] = _at_most(model, together, keeps[ci])
            quality.append((together, coupling.cost))
    # What a plan is worth, read from its ownership and seats (solving._achieved); the
    # objectives and the stage floors use the per-responsibility columns.
    model.terms[Stage.COVERAGE] = [
        (var, resps[ji].hours * resps[ji].priority) for (_pi, ji), var in model.own.items()
    ]
    model.terms[Stage.QUALITY] = [
        (var, resps[ji].hours * pool.fit[pi, ji]) for (pi, ji), var in model.own.items()
    ] + kept
    model.terms[Stage.COST] = [
        (var, seat_cost(model, pi, r)) for (pi, r), var in model.seat.items()
    ]
    # Every coupling costs its handoff unless kept: quality = fit hours - all + kept.
    model.quality_constant = -sum(c.cost for c in model.scenario.couplings)
    model.coverage = lp.linear(coverage)
    model.quality = lp.linear(quality, constant=model.quality_constant)
    # The solver minimises cost in the model's money unit; the stage's value and bound are
    # read back in money (solving.stages).
    model.cost = lp.linear([(v, c * model.cost_scale) for v, c in model.terms[Stage.COST]])
