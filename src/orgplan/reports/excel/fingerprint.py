"""A plan's fingerprint: the short hash that ties a workbook to its plan JSON."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from orgplan.results.plan import Plan


def timeless_json(plan: Plan) -> dict[str, Any]:
    """The plan's JSON less its solve times (two solves of one scenario differ only there)."""
    data = plan.to_json()
    data["solver"].pop("seconds", None)
    for stage in data["solver"].get("stages", []):
        stage.pop("seconds", None)
    return data


def plan_fingerprint(plan: Plan) -> str:
    """A short hash of the plan's content (its JSON less solve times): equal plans, equal hash.

    Shown on the Summary and in the workbook properties so a workbook can be matched to
    its plan JSON.
    """
    text = json.dumps(timeless_json(plan), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
