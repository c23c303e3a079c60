"""orgplan: plan a product-management team instead of hiring a superhero.

The library API:

    from orgplan import load_scenario, solve
    scenario = load_scenario("scenarios/startup.yaml")
    plan = solve(scenario, structure="superhero")

Heavy libraries (pandas, pulp, openpyxl) load only when a function that needs them runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from orgplan.loading import load_scenario
    from orgplan.plan import Plan, SolveStatus
    from orgplan.scenario import Scenario
    from orgplan.solving import SolveOptions, solve

__all__ = ["Plan", "Scenario", "SolveOptions", "SolveStatus", "load_scenario", "solve"]

_LAZY = {
    "load_scenario": "orgplan.loading",
    "Scenario": "orgplan.scenario",
    "Plan": "orgplan.plan",
    "SolveStatus": "orgplan.plan",
    "solve": "orgplan.solving",
    "SolveOptions": "orgplan.solving",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'orgplan' has no attribute {name!r}")
