"""The example scenarios: each validates, says what its comments say, and matches the schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from conftest import SCENARIOS, make_data
from orgplan.cli import app
from orgplan.domain.fitting import fit_table
from orgplan.jobs.init import starter_text
from orgplan.scenario.format import (
    Candidate,
    CandidatesSource,
    Coupling,
    Decisions,
    Development,
    Horizon,
    Policy,
    Responsibility,
    Role,
    Scenario,
    Structure,
)
from orgplan.scenario.loading import load_scenario
from orgplan.scenario.schema import DESCRIPTIONS, SCHEMA_FILENAME, scenario_schema

FILES = sorted(SCENARIOS.glob("*.yaml"))


def test_there_are_at_least_three_scenarios() -> None:
    assert {p.name for p in FILES} >= {"startup.yaml", "saas.yaml", "enterprise.yaml"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_scenario_validates(path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{path}: ok (")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_scenario_header_points_at_the_committed_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_FILENAME}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_scenario_fit_table(path: Path) -> None:
    scenario = load_scenario(path)
    table = fit_table(scenario)
    assert len(table.candidates) == len(scenario.candidates)
    # Every scenario has someone who can hold a seat, and someone kept out of one.
    assert any(rf.eligible for row in table.candidates for rf in row.roles)
    assert any(rf.accepts and not rf.meets_floors for row in table.candidates for rf in row.roles)


# ---- what the comments promise ---------------------------------------------------------


def test_startup_one_seat_cannot_carry_the_load() -> None:
    s = load_scenario(SCENARIOS / "startup.yaml")
    total = sum(r.hours for r in s.responsibilities)
    assert total > 1.5 * s.roles["PM"].capacity
    assert dict(s.all_structures()["superhero"].roles) == {"PM": 1}
    assert dict(s.structures["split"].roles) == {"PM": None, "TPM": None, "PMM": None}
    marketer = next(c for c in s.candidates if c.background == "marketing")
    row = fit_table(s).candidate(marketer.id)
    assert row.role("PM").eligible and row.role("PMM").eligible
    assert row.role("PMM").work_fit > row.role("PM").work_fit  # a marketer, hired as "the PM"
    assert {c.background for c in s.candidates} >= {"marketing", "qa_tester", "software_engineer"}
    assert s.policy.budget is not None and any(r.open_reqs for r in s.roles.values())


def test_startup_split_covers_more_than_the_superhero() -> None:
    solving = pytest.importorskip("orgplan.solving.stages")
    s = load_scenario(SCENARIOS / "startup.yaml")
    hero = solving.solve(s, "superhero")
    split = solving.solve(s, "split")
    assert hero.kpis.covered_hours <= 40
    assert split.kpis.covered_hours > hero.kpis.covered_hours + 20


def test_saas_has_two_product_lines_internal_movers_and_applicants() -> None:
    s = load_scenario(SCENARIOS / "saas.yaml")
    assert {r.product for r in s.responsibilities} - {None} == {"Billing", "Insights"}
    internal = {c.background for c in s.candidates if c.internal}
    assert internal >= {
        "qa_tester",
        "software_engineer",
        "business_analyst",
        "sales_engineer",
        "customer_support",
    }
    assert any(not c.internal for c in s.candidates)
    pairs = {frozenset(c.between) for c in s.couplings}
    assert frozenset({"billing_pricing", "billing_positioning"}) in pairs
    assert frozenset({"billing_roadmap", "billing_business_case"}) in pairs
    assert frozenset({"billing_backlog", "billing_release"}) in pairs
    p = s.policy
    assert p.budget and p.max_headcount and p.max_products_per_seat


def test_enterprise_is_large_but_moderate() -> None:
    s = load_scenario(SCENARIOS / "enterprise.yaml")
    assert s.candidates_file == "enterprise-people.csv"
    assert len({r.product for r in s.responsibilities} - {None}) >= 8
    assert 40 <= len(s.responsibilities) <= 60
    assert 150 <= len(s.candidates) <= 180
    assert sum(c.roles is not None for c in s.candidates) == len(s.candidates)
    assert any(c.id.startswith("0") for c in s.candidates)  # employee numbers stay text


def test_enterprise_pool_is_what_the_script_generates() -> None:
    done = subprocess.run(
        [sys.executable, str(SCENARIOS / "make_enterprise_people.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


# ---- the JSON Schema ---------------------------------------------------------------------


def test_committed_schema_is_current() -> None:
    committed = json.loads((SCENARIOS / SCHEMA_FILENAME).read_text(encoding="utf-8"))
    assert committed == scenario_schema(), (
        "run: orgplan schema -o scenarios/orgplan.schema.json --force"
    )


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(scenario_schema())


@pytest.mark.parametrize(
    "text",
    [*(p.read_text(encoding="utf-8") for p in FILES), starter_text()],
    ids=[*(p.name for p in FILES), "starter"],
)
def test_scenarios_pass_the_schema(text: str) -> None:
    validator = jsonschema.Draft202012Validator(scenario_schema())
    errors = [e.message for e in validator.iter_errors(yaml.safe_load(text))]
    assert errors == []


def test_schema_accepts_list_and_mapping_roles_and_numeric_ids() -> None:
    validator = jsonschema.Draft202012Validator(scenario_schema())
    data = make_data(
        structures={"a": {"roles": ["PM"]}, "b": {"roles": {"PM": 1, "TPM": None}}},
        candidates=[{"id": 7}],
    )
    assert list(validator.iter_errors(data)) == []


def test_schema_refuses_what_the_loader_refuses() -> None:
    validator = jsonschema.Draft202012Validator(scenario_schema())
    bad = make_data(polcy={}, roles={"PM": {"cost": -1, "capcity": 1}})
    bad["responsibilities"][0]["needs"] = {"domain": 6}
    messages = sorted(e.message for e in validator.iter_errors(bad))
    assert len(messages) == 4
    assert any("polcy" in m for m in messages) and any("capcity" in m for m in messages)
    no_pool = make_data()
    del no_pool["candidates"]
    assert list(validator.iter_errors(no_pool))


def test_every_key_of_the_format_is_described() -> None:
    models: dict[str, type] = {
        "Scenario": Scenario,
        "Role": Role,
        "Responsibility": Responsibility,
        "Coupling": Coupling,
        "Candidate": Candidate,
        "CandidatesSource": CandidatesSource,
        "Policy": Policy,
        "Structure": Structure,
        "Decisions": Decisions,
        "Horizon": Horizon,
        "Development": Development,
    }
    keys = {(name, key) for name, model in models.items() for key in model.model_fields}
    assert keys == set(DESCRIPTIONS)


def test_the_readme_format_example_validates() -> None:
    import re

    from orgplan.scenario.loading import parse_scenario

    readme = (SCENARIOS.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert block is not None
    assert parse_scenario(block.group(1), "README.md").name == "Acme product org"
