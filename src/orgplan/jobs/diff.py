"""The `diff` job: read two plan JSON files and say what changed (`orgplan.diff/1`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orgplan.analysis.diff import PlanDiff, diff_plans
from orgplan.errors import Problem, ScenarioError
from orgplan.files import JSON, check_outputs, write_json
from orgplan.results.plan import PLAN_FORMAT
from orgplan.scenario.inputs import SCENARIO_CAP, InputError, read_capped, utf8_text


@dataclass(frozen=True)
class DiffRun:
    """What `diff_files` did: the diff, and the JSON it wrote (None: none asked)."""

    diff: PlanDiff
    json_path: Path | None


def read_plan_json(path: Path) -> dict[str, Any]:
    """A plan JSON file (`orgplan.plan/1`); `ScenarioError` naming the file otherwise."""
    shown = str(path)
    try:
        text = utf8_text(read_capped(path, SCENARIO_CAP, "a plan JSON file"))
        data = json.loads(text)
    except InputError as exc:
        raise ScenarioError([Problem(shown, exc.line, "", exc.message)]) from None
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            [Problem(shown, exc.lineno, "", f"not valid JSON: {exc.msg}")]
        ) from None
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise ScenarioError(
            [
                Problem(
                    shown,
                    1,
                    "format",
                    f"must be '{PLAN_FORMAT}' (a plan JSON of `orgplan plan --json`), "
                    f"got {json.dumps(found)}",
                )
            ]
        )
    for key in ("seats", "assignments", "uncovered"):
        if not isinstance(data.get(key), list):
            raise ScenarioError([Problem(shown, 1, key, "must be a list, got none")])
    return data


def diff_files(
    before: Path, after: Path, *, json_path: Path | None = None, force: bool = False
) -> DiffRun:
    """The changes from plan JSON `before` to plan JSON `after`, written as JSON to
    `json_path` if given (`-`: standard output)."""
    check_outputs((json_path, JSON), force=force, inputs=[(before, "BEFORE"), (after, "AFTER")])
    diff = diff_plans(read_plan_json(before), read_plan_json(after))
    if json_path is not None:
        write_json(json_path, diff.to_json(), force=force)
    return DiffRun(diff, json_path)
