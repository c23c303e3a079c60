"""The user documentation stays in step with the code.

- docs/scenario-format.md names every key of the scenario JSON Schema, and no other;
- the README's command table and docs/cli.md list the commands and options of `--help`,
  and docs/cli.md the exit status of every error;
- real outputs (plans, an infeasible plan, comparisons, sweeps, the fit table) pass the
  JSON Schemas of docs/schemas/, which name every key they carry;
- the example code of docs/python-api.md runs and writes what it says;
- no document points outside the repository (`../shared/design`) or at a missing file.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from typer.main import get_command
from typer.testing import CliRunner

from conftest import EXPLAINED, REPO, SCENARIOS, Explained
from orgplan.cli import app

DOCS = REPO / "docs"
SCHEMAS = DOCS / "schemas"
README = REPO / "README.md"
DOCUMENTS = [README, REPO / "CONTRIBUTING.md", *sorted(DOCS.glob("*.md"))]

# A scenario whose `superhero` (and budgets below 270k) cannot cover the required work,
# while `pair` can: infeasible plans, columns and points next to feasible ones.
TIGHT = {
    "name": "Too little team",
    "roles": {"PM": {"cost": 150000, "floors": {"domain": 3}}},
    "responsibilities": [
        {"id": "roadmap", "hours": 30, "needs": {"domain": 4}},
        {"id": "pricing", "hours": 20, "needs": {"business": 4}},
    ],
    "couplings": [{"between": ["roadmap", "pricing"], "cost": 2}],
    "candidates": [
        {"id": "ana", "background": "business_analyst", "fixed_role": "PM", "cost": 120000},
        {"id": "ben", "background": "product_manager"},
    ],
    "policy": {"coverage": "required", "budget": 200000},
    "structures": {"pair": {"roles": {"PM": 2}, "budget": None}},
}


# ---- markdown helpers --------------------------------------------------------------------


def cells(line: str) -> list[str]:
    """The cells of a markdown table row (`\\|` inside a cell is not a separator)."""
    inner = line.strip().strip("|")
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


def tables(text: str) -> Iterator[tuple[list[str], list[list[str]]]]:
    """Every table of a markdown text: (header cells, body rows)."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("| ---"):
            header = cells(lines[i])
            i += 2
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(cells(lines[i]))
                i += 1
            yield header, rows
        else:
            i += 1


def code_spans(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def section(text: str, heading: str) -> str:
    """The text under `heading` (a whole heading line) up to the next heading of its level."""
    level = heading.split(" ", 1)[0]
    start = text.index(heading + "\n") + len(heading) + 1
    found = re.search(rf"^{level} ", text[start:], re.M)
    return text[start : start + found.start()] if found else text[start:]


def options_in(text: str) -> set[str]:
    """The option names (`--json`, `-o`) written in a piece of text."""
    return set(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", text))


# ---- the scenario format -----------------------------------------------------------------


def schema_key_paths(schema: dict[str, Any]) -> set[str]:
    """Every key the scenario schema names, as `roles.<>.cost` or `responsibilities[].id`."""
    defs = schema["$defs"]

    def target(node: dict[str, Any]) -> dict[str, Any] | None:
        # a union (`candidates_file`: a path or a mapping) has the keys of its mapping form
        refs = [node.get("$ref"), *(m.get("$ref") for m in node.get("anyOf", []))]
        ref = next((r for r in refs if r), None)
        return defs[ref.rsplit("/", 1)[1]] if ref else None

    def walk(node: dict[str, Any], prefix: str) -> set[str]:
        found = set()
        for key, prop in node.get("properties", {}).items():
            path = prefix + key
            found.add(path)
            inner = target(prop)
            if inner is not None:
                found |= walk(inner, path + ".")
            elif isinstance(prop.get("additionalProperties"), dict):
                mapped = target(prop["additionalProperties"])
                if mapped is not None:
                    found |= walk(mapped, path + ".<>.")
            elif isinstance(prop.get("items"), dict):
                item = target(prop["items"])
                if item is not None:
                    found |= walk(item, path + "[].")
        return found

    return walk(schema, "")


def documented_keys(text: str) -> list[str]:
    """The keys of the `key` tables of a document, `<role>` and `<name>` read as `<>`."""
    keys = []
    for header, rows in tables(text):
        if header[0] == "key":
            for row in rows:
                (key,) = code_spans(row[0])
                keys.append(re.sub(r"<[^>]*>", "<>", key))
    return keys


def test_the_scenario_format_doc_names_every_schema_key_and_no_other() -> None:
    from orgplan.scenario.schema import scenario_schema

    documented = documented_keys((DOCS / "scenario-format.md").read_text(encoding="utf-8"))
    in_schema = schema_key_paths(scenario_schema())
    assert len(documented) == len(set(documented)), "a key is documented twice"
    assert sorted(in_schema - set(documented)) == [], "keys of the schema missing from the doc"
    assert sorted(set(documented) - in_schema) == [], "keys in the doc the schema does not have"


def test_the_key_walk_sees_nested_keys() -> None:
    from orgplan.scenario.schema import scenario_schema

    paths = schema_key_paths(scenario_schema())
    assert {"name", "roles.<>.cost", "responsibilities[].needs", "policy.coverage"} <= paths
    assert "structures.<>.max_headcount" in paths and "candidates[].fixed_role" in paths


def test_the_scenario_format_example_validates() -> None:
    from orgplan.scenario.loading import parse_scenario

    text = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block is not None
    scenario = parse_scenario(block.group(1), "scenario-format.md")
    assert scenario.name == "Acme SaaS product org 2027"


def test_the_scenario_format_doc_gives_the_built_in_backgrounds() -> None:
    from orgplan.scenario.format import BUILTIN_BACKGROUNDS, DEFAULT_SKILLS

    text = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    table = next(rows for header, rows in tables(text) if header[0] == "background")
    assert [row[0] for row in table] == [f"`{name}`" for name in BUILTIN_BACKGROUNDS]
    for row in table:
        levels = BUILTIN_BACKGROUNDS[row[0].strip("`")]
        assert [float(c) for c in row[1:]] == [levels[s] for s in DEFAULT_SKILLS]


# ---- the command line --------------------------------------------------------------------


def commands() -> dict[str, set[str]]:
    """Each command of `orgplan --help` and the option names of its `--help`."""
    group = get_command(app)
    found = {}
    for name, command in group.commands.items():
        if command.hidden:
            continue
        found[name] = option_names(command)
    return found


def option_names(command: Any) -> set[str]:
    """The options of a command (its arguments left out), `--help` and `-h` included."""
    named = {
        name
        for param in command.params
        if param.param_type_name == "option"
        for name in (*param.opts, *param.secondary_opts)
    }
    return named | {"--help", "-h"}


def group_options() -> set[str]:
    return option_names(get_command(app))


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_introspected_commands_are_those_of_help() -> None:
    shown = help_text()
    for name, options in commands().items():
        assert re.search(rf"^\W*{name}\s", shown, re.M), name
        text = help_text(name)
        for option in options:
            assert option in text, (name, option)


def test_the_readme_command_table_matches_help() -> None:
    text = section(README.read_text(encoding="utf-8"), "## Commands")
    ((header, rows),) = list(tables(text))
    listed: dict[str, set[str]] = {}
    for row in rows:
        for span in code_spans(row[0]):
            words = span.split()
            assert words[0] == "orgplan", span
            if words[1].startswith("-"):
                assert options_in(span) <= group_options(), span
            elif words[1] != "COMMAND":
                listed[words[1]] = options_in(span)
    known = commands()
    assert sorted(listed) == sorted(known), "README's command table against orgplan --help"
    for name, options in listed.items():
        assert options <= known[name], (name, sorted(options - known[name]))


def test_the_cli_doc_gives_every_command_and_option() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    known = commands()
    summary = next(rows for header, rows in tables(text) if header[0] == "command")
    assert sorted(code_spans(r[0])[0].split()[1] for r in summary) == sorted(known)
    for name, options in known.items():
        part = section(text, f"## `orgplan {name}`")
        ((header, rows),) = [t for t in tables(part) if t[0][0] == "option"]
        documented = {o for row in rows for span in code_spans(row[0]) for o in options_in(span)}
        assert documented == options, (name, sorted(documented ^ options))


def test_the_cli_doc_gives_the_exit_status_of_every_error() -> None:
    import orgplan.errors as errors

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    table = next(rows for header, rows in tables(text) if header[0] == "exception")
    documented = {row[0].strip("`"): int(row[1]) for row in table}
    raised = {
        name: cls.exit_code
        for name, cls in vars(errors).items()
        if isinstance(cls, type) and issubclass(cls, errors.OrgplanError)
        if cls is not errors.OrgplanError
    }
    assert documented == raised
    statuses = next(rows for header, rows in tables(text) if header[0] == "status")
    assert [row[0] for row in statuses] == ["`0`", "`1`", "`2`"]


# ---- the output formats ------------------------------------------------------------------


def strict(node: Any) -> Any:
    """The schema with every listed object closed: a key it does not name fails."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)
    return node


def schema_files() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMAS.glob("*"))}


def validator(kind: str, closed: bool = False) -> jsonschema.Draft202012Validator:
    """The validator of `<kind>.schema.json`, its references to the others resolved."""
    files = {n: strict(copy.deepcopy(s)) if closed else s for n, s in schema_files().items()}
    registry: Registry[Any] = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in files.items()
    )
    return jsonschema.Draft202012Validator(files[f"{kind}.schema.json"], registry=registry)


def errors_of(kind: str, data: Any, closed: bool = False) -> list[str]:
    found = validator(kind, closed).iter_errors(data)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in found]


def assert_valid(kind: str, data: Any) -> None:
    assert data["format"] == f"orgplan.{kind}/1"
    assert errors_of(kind, data) == []
    assert errors_of(kind, data, closed=True) == [], "a key the schema (and doc) leaves out"


def test_the_output_schemas_are_valid_draft_2020_12() -> None:
    files = schema_files()
    kinds = ("compare", "diff", "explain", "fit", "plan", "sweep")
    assert sorted(files) == [f"{k}.schema.json" for k in kinds]
    for schema in files.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_the_output_doc_names_every_key_of_the_schemas() -> None:
    text = (DOCS / "output-formats.md").read_text(encoding="utf-8")
    documented = {
        key.rsplit(".", 1)[-1].removesuffix("[]")
        for header, rows in tables(text)
        if header[0] == "key"
        for row in rows
        for key in code_spans(row[0])[:1]
    }

    def names(node: Any) -> set[str]:
        if isinstance(node, dict):
            own = (
                set(node.get("properties", {}))
                if isinstance(node.get("properties"), dict)
                else set()
            )
            return own | {n for v in node.values() for n in names(v)}
        if isinstance(node, list):
            return {n for v in node for n in names(v)}
        return set()

    in_schemas = {n for schema in schema_files().values() for n in names(schema)}
    assert sorted(in_schemas - documented) == []


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Run `orgplan ARGS` in tmp_path; returns the exit status and stdout."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tight.yaml").write_text(yaml.safe_dump(TIGHT, sort_keys=False), "utf-8")

    def run(*args: str, status: int = 0) -> str:
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == status, result.stderr
        return result.stdout

    return run


def read(path: str) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["startup", "saas"])
def test_example_plans_pass_the_plan_schema(cli: Callable[..., str], name: str) -> None:
    cli("plan", str(SCENARIOS / f"{name}.yaml"), "-o", "p.xlsx", "--json", "p.json")
    data = read("p.json")
    assert data["solver"]["status"] == "optimal" and data["seats"]
    assert_valid("plan", data)


def test_an_infeasible_plan_passes_the_plan_schema(cli: Callable[..., str]) -> None:
    cli("plan", "tight.yaml", "--json", "p.json", status=1)
    data = read("p.json")
    assert data["solver"]["status"] == "infeasible" and data["reasons"]
    assert_valid("plan", data)


@pytest.mark.parametrize("name", EXPLAINED)
def test_explanations_pass_the_explain_schema(
    cli: Callable[..., str], explained_examples: dict[str, Explained], name: str
) -> None:
    cli("explain", str(SCENARIOS / f"{name}.yaml"), "--json", "e.json", "--jobs", "1")
    data = read("e.json")
    assert data["placed"] and data["open_reqs"] and data["unplaced"] and data["alternatives"]
    assert_valid("explain", data)
    # `orgplan plan NAME.yaml --explain --json ... -o ...`, run once for the session
    plan = read(str(explained_examples[name].json_path))
    lines = [(p["why"], p["risk"]) for p in data["placed"]]
    assert [(p["why"], p["risk"]) for p in plan["explanation"]["placed"]] == lines
    assert_valid("plan", plan)


def test_an_infeasible_what_if_passes_the_explain_schema() -> None:
    from orgplan.jobs.explain import explain_scenario
    from solver_helpers import cand, resp, scenario

    scen = scenario(
        [resp("spec", 20, needs={"technical": 4})],
        [
            cand("ana", skills={"technical": 4}, cost=90),
            cand("ben", skills={"technical": 5}, cost=300),
        ],
        policy={"budget": 200},
    )
    data = explain_scenario(scen, workers=1).to_json()
    (ben,) = data["unplaced"]
    assert ben["if_placed"]["solver"]["status"] == "infeasible"
    assert_valid("explain", data)


def test_compares_pass_the_compare_schema(cli: Callable[..., str]) -> None:
    cli("compare", str(SCENARIOS / "startup.yaml"), "--json", "c.json")
    cli("compare", "tight.yaml", "--json", "tight.json")
    startup, tight = read("c.json"), read("tight.json")
    assert len(startup["plans"]) == 4
    assert [p["solver"]["status"] for p in tight["plans"]] == ["infeasible", "optimal"]
    assert_valid("compare", startup)
    assert_valid("compare", tight)


def test_sweeps_pass_the_sweep_schema(cli: Callable[..., str]) -> None:
    cli("sweep", str(SCENARIOS / "startup.yaml"), "--budget", "200k:400k:100k", "--json", "a.json")
    cli(
        "sweep",
        "tight.yaml",
        "--budget",
        "100k:300k:100k",
        "--headcount",
        "1:2:1",
        "--json",
        "b.json",
    )
    startup, tight = read("a.json"), read("b.json")
    assert {p["status"] for p in tight["points"]} == {"infeasible", "optimal"}
    assert tight["axes"] == ["budget", "max_headcount"]
    assert_valid("sweep", startup)
    assert_valid("sweep", tight)


def test_no_plan_passes_the_compare_and_sweep_schemas(monkeypatch: pytest.MonkeyPatch) -> None:
    import orgplan.solving.stages
    from orgplan.analysis.sweep import parse_range
    from orgplan.errors import SolverFailed
    from orgplan.jobs.compare import compare_scenarios
    from orgplan.jobs.sweep import sweep_scenario
    from orgplan.scenario.loading import load_scenario

    real = orgplan.solving.stages.solve

    def out_of_time(scenario: Any, structure: str | None = None, options: Any = None) -> Any:
        if structure == "superhero" or scenario.policy.budget == 200000:
            raise SolverFailed("no plan found within the time limit of 1 s")
        return real(scenario, structure, options)

    monkeypatch.setattr(orgplan.solving.stages, "solve", out_of_time)  # workers=1: patched
    startup = load_scenario(SCENARIOS / "startup.yaml")
    compared = compare_scenarios([("startup", startup)], ["superhero", "split"], workers=1)
    data = compared.to_json()
    assert [p["solver"]["status"] for p in data["plans"]] == ["no_plan", "optimal"]
    assert_valid("compare", data)
    swept = sweep_scenario(startup, parse_range("200k:300k:100k"), workers=1).to_json()
    assert [p["status"] for p in swept["points"]] == ["no_plan", "optimal"]
    assert_valid("sweep", swept)
    # A plan of `orgplan plan` never says no_plan: the plan schema refuses it.
    assert errors_of("plan", data["plans"][0])


@pytest.mark.parametrize("name", ["startup", "saas", "enterprise"])
def test_fit_tables_pass_the_fit_schema(cli: Callable[..., str], name: str) -> None:
    assert_valid("fit", json.loads(cli("fit", str(SCENARIOS / f"{name}.yaml"), "--json")))


def startup_plan_json() -> dict[str, Any]:
    """The startup example's plan JSON, a copy of its own for each test to break."""
    return copy.deepcopy(_startup_plan_json())


@functools.cache
def _startup_plan_json() -> dict[str, Any]:
    """Solved once for the broken-plan cases, inside the first (its plan checked there)."""
    from orgplan import load_scenario, solve

    return solve(load_scenario(SCENARIOS / "startup.yaml")).to_json()


@pytest.mark.parametrize(
    "breaks",
    [
        lambda d: d.pop("kpis"),
        lambda d: d["kpis"].pop("coverage"),
        lambda d: d["kpis"].update(headcount=2.5),
        lambda d: d["seats"][0].update(hours="22"),
        lambda d: d["seats"][0].pop("candidate"),
        lambda d: d["seats"][1].update(candidate="someone"),  # an open req with a candidate
        lambda d: d["assignments"][0].update(fit=1.5),
        lambda d: d["solver"].update(status="done"),
        lambda d: d["solver"].pop("stages"),
        lambda d: d["uncovered"][0].pop("reason"),
        lambda d: d.update(format="orgplan.plan/2"),
        lambda d: d.update(reasons=["a plan has no reasons"]),
    ],
)
def test_the_plan_schema_refuses_a_broken_plan(breaks: Callable[[dict[str, Any]], Any]) -> None:
    data = startup_plan_json()
    assert data["seats"][1]["open_req"] and data["uncovered"]
    breaks(data)
    assert errors_of("plan", data)


def test_the_sweep_and_fit_schemas_refuse_broken_documents(cli: Callable[..., str]) -> None:
    cli("sweep", "tight.yaml", "--budget", "100k:300k:200k", "--json", "s.json")
    data = read("s.json")
    assert [p["status"] for p in data["points"]] == ["infeasible", "optimal"]
    no_reasons = copy.deepcopy(data)
    no_reasons["points"][0].pop("reasons")
    no_plan = copy.deepcopy(data)
    no_plan["points"][1].pop("plan")
    for broken in (no_reasons, no_plan):
        assert errors_of("sweep", broken)
    fit = json.loads(cli("fit", "tight.yaml", "--json"))
    fit["candidates"][0]["roles"][0]["eligible"] = "yes"
    assert errors_of("fit", fit)


# ---- the Python API ----------------------------------------------------------------------


def test_the_python_api_examples_run_and_write_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (DOCS / "python-api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "startup.yaml").write_bytes((SCENARIOS / "startup.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "python_api_example"}
    for block in blocks:
        exec(compile(block, str(DOCS / "python-api.md"), "exec"), namespace)

    data = read("reports/startup-split.json")
    assert data["structure"] == "split" and data["solver"]["status"] == "optimal"
    assert_valid("plan", data)
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "reports" / "startup-split.xlsx", read_only=True)
    assert {"Summary", "Team", "Assignments"} <= set(book.sheetnames)
    why = openpyxl.load_workbook(tmp_path / "reports" / "startup-why.xlsx", read_only=True)
    assert "Why" in why.sheetnames
    book.close()


# ---- links ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_documents_point_inside_the_repository(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "shared/design" not in text and "DEVELOPERS.md" not in text
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if not re.match(r"[a-z]+:", target):
            assert (path.parent / target).exists(), f"{path.name} links to missing {target}"


def test_the_starter_and_the_schema_point_at_the_docs() -> None:
    from orgplan.jobs.init import starter_text
    from orgplan.scenario.schema import scenario_schema

    assert "docs/scenario-format.md" in starter_text()
    assert "docs/scenario-format.md" in scenario_schema()["description"]
    assert "design/scenario-format" not in starter_text().replace("docs/scenario-format", "")


def test_the_examples_schema_file_is_the_schema_of_the_format() -> None:
    # scenarios/*.yaml point editors at it: a stale copy would flag valid keys
    from orgplan.scenario.schema import scenario_schema

    shipped = json.loads((SCENARIOS / "orgplan.schema.json").read_text(encoding="utf-8"))
    assert shipped == scenario_schema(), (
        "refresh it: orgplan schema -o scenarios/orgplan.schema.json --force"
    )
