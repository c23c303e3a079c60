"""`orgplan init`: a commented starter scenario that validates, with its JSON Schema beside it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from orgplan.errors import UsageError
from orgplan.files import JSON, SCENARIO, check_outputs, json_text, write_text
from orgplan.scenario.schema import SCHEMA_FILENAME, scenario_schema

DEFAULT_NAME = "Starter product team"


def starter_text(name: str = DEFAULT_NAME, filename: str = "scenario.yaml") -> str:
    """The starter scenario, named `name`; its comments mention `filename`."""
    template = resources.files("orgplan").joinpath("templates/starter.yaml").read_text("utf-8")
    return template.replace("__NAME__", _yaml_text(name)).replace("__FILE__", filename)


def _yaml_text(text: str) -> str:
    """`text` as a YAML scalar: bare when it reads back as itself, else double-quoted."""
    import yaml

    if re.fullmatch(r"[A-Za-z][\w .()-]*", text) and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)  # JSON strings are valid YAML


@dataclass(frozen=True)
class InitResult:
    """What `init` wrote, and what it left alone."""

    scenario: Path
    schema: Path | None
    schema_kept: bool


def init_scenario(
    path: str | Path, *, force: bool = False, name: str | None = None, schema: bool = True
) -> InitResult:
    """Write the starter scenario at `path` (YAML, or JSON for a `.json` path), and the
    schema its header points at beside it.

    The scenario is never overwritten without `force`. The schema file is written when
    missing or forced; an existing different one is kept (reported as `schema_kept`), so a
    user's own copy is not clobbered by `init`.
    """
    target = Path(path)
    schema_path = target.parent / SCHEMA_FILENAME
    _check_targets(target, schema_path if schema else None, force)
    text = starter_text(name or DEFAULT_NAME, target.name)
    if target.suffix.lower() == ".json":  # the same scenario, as JSON (without the comments)
        import yaml

        text = json_text(yaml.safe_load(text))
    write_text(target, text, force=force)
    if not schema:
        return InitResult(target, None, False)
    wanted = json_text(scenario_schema())
    if schema_path.exists() and not force:
        same = schema_path.read_text(encoding="utf-8", errors="replace") == wanted
        return InitResult(target, schema_path, not same)
    write_text(schema_path, wanted, force=force)
    return InitResult(target, schema_path, False)


def _check_targets(target: Path, schema_path: Path | None, force: bool) -> None:
    """Refuse, before writing either, a scenario path or a schema path that cannot be
    written. An existing schema file is no error (it is kept or compared), but it must be
    a regular file."""
    check_outputs((target, SCENARIO), force=force)
    if schema_path is None:
        return
    if schema_path.name == target.name:
        raise UsageError(
            f"{target}: is where init writes the schema; give the scenario another name, "
            "or pass --no-schema"
        )
    check_outputs((schema_path, JSON), force=True)
