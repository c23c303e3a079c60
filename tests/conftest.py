"""Shared test helpers: a scenario factory and ways to load or validate scenario text.

`make_scenario(**overrides)` builds a small valid scenario as a dict, replaces top-level
keys by the overrides (`DELETE` removes one) and returns YAML text with one key per line,
so that tests can find the line of a value with `line_of`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from orgplan.cli import app
from orgplan.errors import ScenarioError
from orgplan.scenario.format import Scenario
from orgplan.scenario.loading import load_scenario

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios"

DELETE = object()  # make_scenario(policy=DELETE) leaves the key out

BASE: dict[str, Any] = {
    "name": "Test team",
    "roles": {
        "PM": {"cost": 150000, "floors": {"domain": 3, "business": 3}},
        "TPM": {"cost": 160000, "floors": {"technical": 4}},
    },
    "responsibilities": [
        {"id": "roadmap", "hours": 8, "needs": {"domain": 4}, "roles": ["PM"]},
        {"id": "backlog", "hours": 10, "needs": {"technical": 4}},
        {"id": "pricing", "hours": 4, "needs": {"business": 4}},
    ],
    "candidates": [
        {"id": "ana", "background": "business_analyst"},
        {"id": "ben", "skills": {"technical": 5, "decision_making": 3}},
    ],
}


def make_data(**overrides: Any) -> dict[str, Any]:
    """The base scenario as a dict with top-level keys replaced (or removed with DELETE)."""
    data = copy.deepcopy(BASE)
    for key, value in overrides.items():
        if value is DELETE:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def to_yaml(data: Any) -> str:
    """Block-style YAML, keys in the order given: one key per line."""
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True)


def make_scenario(**overrides: Any) -> str:
    """A valid scenario's YAML text, with top-level keys replaced by `overrides`."""
    return to_yaml(make_data(**overrides))


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the `nth` line of `text` containing `needle`."""
    found = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    if len(found) < nth:
        raise AssertionError(f"{needle!r} is not in the text {nth} time(s):\n{text}")
    return found[nth - 1]


@pytest.fixture()
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `orgplan ARGS` in-process from inside tmp_path; exceptions are not swallowed."""
    monkeypatch.chdir(tmp_path)

    def _run(*args: str) -> Result:
        return CliRunner().invoke(app, list(args), catch_exceptions=False)

    return _run


@pytest.fixture()
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write text (or bytes) to a file in tmp_path; returns its path."""

    def _write(content: str | bytes, name: str = "s.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture()
def load(write: Callable[..., Path]) -> Callable[..., Scenario]:
    """Load scenario text written to tmp_path/s.yaml."""

    def _load(text: str, name: str = "s.yaml") -> Scenario:
        return load_scenario(write(text, name))

    return _load


@pytest.fixture()
def problems(
    write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[..., list[str]]:
    """The problems of scenario text as printed (`s.yaml:LINE: path: message`).

    The file is loaded from inside tmp_path so that messages name it `s.yaml`.
    """

    def _problems(text: str | bytes, name: str = "s.yaml") -> list[str]:
        write(text, name)
        monkeypatch.chdir(tmp_path)
        try:
            load_scenario(name)
        except ScenarioError as exc:
            return [str(p) for p in exc.problems]
        return []

    return _problems


@pytest.fixture(autouse=True)
def _every_plan_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-check every plan any test solves in this process against the scenario alone."""
    from solver_helpers import install_plan_checker

    install_plan_checker(monkeypatch)
