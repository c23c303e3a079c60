"""orgplan: plan a product-management team instead of hiring a superhero.

The library API:

    from orgplan import load_scenario, solve
    scenario = load_scenario("scenarios/startup.yaml")
    plan = solve(scenario, structure="superhero")

Heavy libraries (pandas, pulp, openpyxl) load only when a function that needs them runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orgplan.version import __version__ as __version__

if TYPE_CHECKING:
    from orgplan.results.plan import Plan
    from orgplan.results.status import SolveStatus
    from orgplan.scenario.format import Scenario
    from orgplan.scenario.loading import load_scenario
    from orgplan.solving.options import SolveOptions
    from orgplan.solving.stages import solve

__all__ = ["Plan", "Scenario", "SolveOptions", "SolveStatus", "load_scenario", "solve"]

_LAZY = {
    "load_scenario": "orgplan.scenario.loading",
    "Scenario": "orgplan.scenario.format",
    "Plan": "orgplan.results.plan",
    "SolveStatus": "orgplan.results.status",
    "solve": "orgplan.solving.stages",
    "SolveOptions": "orgplan.solving.options",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'orgplan' has no attribute {name!r}")
