"""Shared test helpers: a scenario factory and ways to load or validate scenario text.

`make_scenario(**overrides)` builds a small valid scenario as a dict, replaces top-level
keys by the overrides (`DELETE` removes one) and returns YAML text with one key per line,
so that tests can find the line of a value with `line_of`.

The expensive results of the example scenarios that several tests only read are made once
per session: `enterprise_plan` (and its `enterprise_workbook`) and `explained_examples`;
time-limited solves that tests only check are solved ahead in a second process
(`solved_ahead`, see solve_ahead.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from orgplan.cli import app
from orgplan.errors import ScenarioError
from orgplan.scenario.format import Scenario
from orgplan.scenario.loading import load_scenario
from solve_ahead import SolvesAhead, Spec

if TYPE_CHECKING:
    from orgplan.analysis.explanation import Explanation
    from orgplan.results.plan import Plan

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


@pytest.fixture(autouse=True, scope="session")
def _one_command_of_the_app() -> Iterator[None]:
    """Let typer's CliRunner build the click command of `app` once for the session."""
    # It builds it again on every invoke (about 20 ms), and the suite invokes it some 600
    # times; a real `orgplan` process builds it once too.
    import typer.testing

    if not hasattr(typer.testing, "_get_command"):  # a typer without it: build each time
        yield
        return
    built: dict[int, tuple[Any, Any]] = {}
    real = typer.testing._get_command

    def once(typer_instance: Any) -> Any:
        if id(typer_instance) not in built:  # the instance is kept: its id stays its own
            built[id(typer_instance)] = (typer_instance, real(typer_instance))
        return built[id(typer_instance)][1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", once)
        yield


# ---- the example scenarios' expensive results, shared by the tests that only read them --

ENTERPRISE: Spec = (str(SCENARIOS / "enterprise.yaml"), None, 15.0)  # proven in ~25 s
AHEAD = SolvesAhead()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the time-limited solves the selected tests ask for ahead (solve_ahead.py)."""
    if session.config.option.collectonly:
        return
    specs: list[Spec] = []
    for item in session.items:  # in the order the tests will ask for them
        spec = ahead_spec(item)
        if spec is None and "enterprise_plan" in getattr(item, "fixturenames", ()):
            spec = ENTERPRISE
        if spec is not None and spec not in specs:
            specs.append(spec)
    AHEAD.start(specs)


def ahead_spec(item: pytest.Item) -> Spec | None:
    """What a test marked `solve_ahead` solves: the mark's `path` and `structure`, else the
    test's parameters of those names, under the mark's `time_limit`."""
    mark = item.get_closest_marker("solve_ahead")
    if mark is None:
        return None
    callspec = getattr(item, "callspec", None)
    params = callspec.params if callspec is not None else {}
    path = mark.kwargs.get("path", params.get("path"))
    structure = mark.kwargs.get("structure", params.get("structure"))
    return str(path), structure, mark.kwargs["time_limit"]


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the solves ahead (a run cut short leaves some unread) and remove their files."""
    AHEAD.stop()


def checked_plan_ahead(spec: Spec) -> Plan:
    """The plan of `spec` (solved ahead, or here if it was not), checked by the checker."""
    from checker import check_plan
    from orgplan.solving.options import SolveOptions
    from orgplan.solving.stages import solve

    path, structure, limit = spec
    scenario = load_scenario(path)
    options = SolveOptions(time_limit=limit)
    plan = AHEAD.plan(spec)
    if plan is None:
        plan = solve(scenario, structure, options)
    check_plan(scenario, plan, structure, quality_tolerance=options.quality_tolerance)
    return plan


@pytest.fixture()
def solved_ahead(request: pytest.FixtureRequest) -> Plan:
    """The plan of this test's `solve_ahead` mark, checked as `solve_checked` checks one."""
    spec = ahead_spec(request.node)
    assert spec is not None, "solved_ahead needs @pytest.mark.solve_ahead(time_limit=...)"
    return checked_plan_ahead(spec)


@pytest.fixture(scope="session")
def enterprise_plan() -> tuple[Scenario, Plan]:
    """The enterprise example under every role, stopped at 15 s in its cost stage."""
    # One solve for the workbook and print tests, which only read the plan: each solved it
    # again before, for the whole time limit.
    return load_scenario(ENTERPRISE[0]), checked_plan_ahead(ENTERPRISE)


@pytest.fixture(scope="session")
def enterprise_workbook(
    enterprise_plan: tuple[Scenario, Plan], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The enterprise plan's staffing workbook, `enterprise.xlsx` (read only: save edits
    elsewhere)."""
    from orgplan.reports.excel.workbook import write_plan_workbook

    scenario, plan = enterprise_plan
    folder = tmp_path_factory.mktemp("enterprise")
    return write_plan_workbook(plan, scenario, folder / "enterprise.xlsx")


@dataclass(frozen=True)
class Explained:
    """What `orgplan plan NAME.yaml --explain -o NAME.xlsx --json NAME.json` made."""

    scenario: Scenario
    explanation: Explanation
    workbook: Path
    json_path: Path


EXPLAINED = ("startup", "saas")


@pytest.fixture(scope="session")
def explained_examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Explained]:
    """The startup and saas examples planned and explained by `orgplan plan --explain`."""
    # Explaining saas re-solves it some twenty times (about 6 s): the workbook tests and
    # the schema test of the plan JSON read one run of the command.
    import orgplan.jobs.explain
    from solver_helpers import install_plan_checker

    folder = tmp_path_factory.mktemp("explained")
    real = orgplan.jobs.explain.explain_scenario
    kept: list[Explanation] = []

    def keep(*args: Any, **kwargs: Any) -> Explanation:
        kept.append(real(*args, **kwargs))
        return kept[-1]

    made = {}
    for name in EXPLAINED:
        args = ["plan", str(SCENARIOS / f"{name}.yaml"), "--explain"]
        with pytest.MonkeyPatch.context() as patch:
            install_plan_checker(patch)  # the what-ifs' worker processes fork with it
            patch.setattr(orgplan.jobs.explain, "explain_scenario", keep)
            patch.chdir(folder)
            result = CliRunner().invoke(
                app,
                [*args, "-o", f"{name}.xlsx", "--json", f"{name}.json"],
                catch_exceptions=False,
            )
        assert result.exit_code == 0, result.stderr
        made[name] = Explained(
            load_scenario(SCENARIOS / f"{name}.yaml"),
            kept.pop(),
            folder / f"{name}.xlsx",
            folder / f"{name}.json",
        )
    return made
