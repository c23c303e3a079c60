"""`orgplan init`: a commented starter scenario that validates, with its JSON Schema beside it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from orgplan.files import json_text, write_text
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
    """Write the starter scenario at `path`, and the schema its header points at beside it.

    The scenario is never overwritten without `force`. The schema file is written when
    missing or forced; an existing different one is kept (reported as `schema_kept`), so a
    user's own copy is not clobbered by `init`.
    """
    target = Path(path)
    text = starter_text(name or DEFAULT_NAME, target.name)
    write_text(target, text, force=force)
    if not schema:
        return InitResult(target, None, False)
    schema_path = target.parent / SCHEMA_FILENAME
    wanted = json_text(scenario_schema())
    if schema_path.exists() and not force:
        same = schema_path.read_text(encoding="utf-8", errors="replace") == wanted
        return InitResult(target, schema_path, not same)
    write_text(schema_path, wanted, force=force)
    return InitResult(target, schema_path, False)
