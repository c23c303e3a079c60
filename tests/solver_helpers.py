"""Helpers for the solver tests: build tiny scenarios, solve them and check every plan.

`solve_checked` is the one way the solver tests solve: it runs the independent checker
(`tests/checker.py`) on every plan before the test looks at it.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from checker import check_plan
from orgplan.errors import Infeasible
from orgplan.results.plan import Plan
from orgplan.scenario.format import Scenario
from orgplan.scenario.loading import parse_scenario
from orgplan.solving.options import SolveOptions
from orgplan.solving.stages import solve


def scenario(
    responsibilities: list[dict[str, Any]],
    candidates: list[dict[str, Any]] | None = None,
    roles: dict[str, dict[str, Any]] | None = None,
    **rest: Any,
) -> Scenario:
    """A scenario from plain data, loaded through the real loader (so it is valid).

    Defaults: one role `PM` costing 100 with 40 h/week and no floors; no candidates.
    Other keys (policy, couplings, structures, backgrounds, name, ...) pass through.
    """
    data: dict[str, Any] = {
        "name": rest.pop("name", "test"),
        "roles": roles if roles is not None else {"PM": {"cost": 100}},
        "responsibilities": responsibilities,
        "candidates": candidates or [],
        **rest,
    }
    return parse_scenario(yaml.safe_dump(data, sort_keys=False), "test.yaml")


def resp(rid: str, hours: float = 10, **more: Any) -> dict[str, Any]:
    """A responsibility as data."""
    return {"id": rid, "hours": hours, **more}


def cand(cid: str, **more: Any) -> dict[str, Any]:
    """A candidate as data."""
    return {"id": cid, **more}


def solve_checked(scen: Scenario, structure: str | None = None, **options: Any) -> Plan:
    """Solve, then run the independent checker on the plan; returns the plan."""
    opts = SolveOptions(**options)
    plan = solve(scen, structure, opts)
    check_plan(scen, plan, structure, quality_tolerance=opts.quality_tolerance)
    return plan


def infeasible_reasons(scen: Scenario, structure: str | None = None, **options: Any) -> str:
    """Solve a scenario that must be infeasible; returns its reasons as one text."""
    with pytest.raises(Infeasible) as caught:
        solve(scen, structure, SolveOptions(**options))
    return "\n".join(caught.value.reasons)


def owner(plan: Plan, rid: str) -> str | None:
    """The candidate id owning `rid` ("open:ROLE" for an open requisition), or None."""
    for a in plan.assignments:
        if a.responsibility == rid:
            return a.candidate if a.candidate is not None else f"open:{a.role}"
    return None


def placed(plan: Plan) -> dict[str, str]:
    """Candidate id -> role of every placed candidate."""
    return {s.candidate: s.role for s in plan.seats if s.candidate is not None}


def uncovered(plan: Plan) -> list[str]:
    """The ids of uncovered responsibilities."""
    return [u.responsibility for u in plan.uncovered]


def stage(plan: Plan, name: str) -> float:
    """The value a stage of the lexicographic solve reached."""
    for s in plan.solver.stages:
        if s.objective == name:
            return s.value
    raise KeyError(name)


def install_plan_checker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check every plan that `solve` assembles, however the test reached it (CLI, compare,
    library): wraps `orgplan.solving.stages.assemble_plan`, which every solve goes through.

    A conftest can make it run for the whole suite with an autouse fixture:
    `install_plan_checker(monkeypatch)`.
    """
    import orgplan.solving.stages as solving

    original = solving.assemble_plan

    def checked(model: Any, values: Any, solver: Any) -> Plan:
        plan = original(model, values, solver)
        name = model.limits.structure
        structure = name if name in model.scenario.all_structures() else None
        tolerance = plan.solver.quality_tolerance
        check_plan(model.scenario, plan, structure, quality_tolerance=tolerance or 0.01)
        return plan

    monkeypatch.setattr(solving, "assemble_plan", checked)
