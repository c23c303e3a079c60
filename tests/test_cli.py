"""The command line: exit statuses, message text, files written, and a light --help."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import SCENARIOS, line_of, make_scenario
from orgplan import __version__
from orgplan.errors import Infeasible, OutputExists, UsageError
from orgplan.files import atomic_path, write_json, write_text
from orgplan.scenario.schema import SCHEMA_FILENAME, scenario_schema

HEAVY = ("pandas", "pulp", "openpyxl", "highspy", "networkx", "numpy")


# ---- validate --------------------------------------------------------------------------


def test_validate_ok(run: Callable[..., Result], write: Callable[..., Path]) -> None:
    write(make_scenario())
    result = run("validate", "s.yaml")
    assert result.exit_code == 0
    assert result.stdout == "s.yaml: ok (2 roles, 3 responsibilities, 2 candidates, 1 structure)\n"
    assert result.stderr == ""


def test_validate_counts_product_lines(
    run: Callable[..., Result], write: Callable[..., Path]
) -> None:
    resps = [{"id": "a", "hours": 1, "product": "X"}, {"id": "b", "hours": 1, "product": "Y"}]
    write(make_scenario(responsibilities=resps))
    assert run("validate", "s.yaml").stdout == (
        "s.yaml: ok (2 roles, 2 responsibilities, 2 product lines, 2 candidates, 1 structure)\n"
    )


def test_validate_bad_file(run: Callable[..., Result], write: Callable[..., Path]) -> None:
    text = make_scenario(polcy={"budget": -1}, name=False)
    write(text)
    result = run("validate", "s.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "s.yaml:1: name: must be text, got false (a yes/no value; quote it if you meant text)\n"
        f"s.yaml:{line_of(text, 'polcy')}: polcy: unknown key 'polcy' (did you mean 'policy'?)\n"
        "2 problems in 1 file; nothing was solved\n"
    )


def test_validate_several_files_reports_all(
    run: Callable[..., Result], write: Callable[..., Path]
) -> None:
    write(make_scenario(), "good.yaml")
    write("", "empty.yaml")
    write("[", "broken.yaml")
    result = run("validate", "good.yaml", "empty.yaml", "broken.yaml", "missing.yaml")
    assert result.exit_code == 2
    assert (
        result.stdout == "good.yaml: ok (2 roles, 3 responsibilities, 2 candidates, 1 structure)\n"
    )
    broken, *rest = result.stderr.splitlines()
    assert broken.startswith("broken.yaml:") and ": not valid YAML: " in broken
    assert rest == [
        "empty.yaml:1: the file is empty: expected a scenario",
        "missing.yaml: file not found",
        "3 problems in 3 files; nothing was solved",
    ]


def test_validate_needs_a_file(run: Callable[..., Result]) -> None:
    result = run("validate")
    assert result.exit_code == 2
    assert "Missing argument 'SCENARIO...'" in result.stderr


def test_unknown_command_is_a_usage_error(run: Callable[..., Result]) -> None:
    assert run("valdate", "x").exit_code == 2


def test_no_arguments_shows_help(run: Callable[..., Result]) -> None:
    result = run()
    assert result.exit_code == 2
    assert "validate" in result.stdout + result.stderr


def test_version_and_help(run: Callable[..., Result]) -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"orgplan {__version__}\n")
    for args in (["--help"], ["-h"], ["validate", "--help"], ["fit", "--help"]):
        result = run(*args)
        assert result.exit_code == 0, args
        assert "Usage: orgplan" in result.stdout


@pytest.mark.parametrize("command", ["compare", "sweep", "explain"])
def test_help_prints_brackets_literally(run: Callable[..., Result], command: str) -> None:
    """Help text is rich markup: `orgplan[dask]` must not lose its `[dask]` as a tag."""
    result = run(command, "--help")
    assert "'orgplan[dask]'" in result.stdout  # rich wraps at spaces, not inside it


# ---- fit -------------------------------------------------------------------------------


def test_fit_table(run: Callable[..., Result], write: Callable[..., Path]) -> None:
    write(
        make_scenario(
            candidates=[
                {
                    "id": "ana",
                    "name": "Ana Ruiz",
                    "background": "business_analyst",
                    "internal": True,
                },
                {"id": "ben", "background": "software_engineer", "roles": ["TPM"]},
            ]
        )
    )
    result = run("fit", "s.yaml")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Fit: Test team" in out
    assert "Ana Ruiz" in out and "ana, business_analyst, internal" in out
    assert "technical +1" in out  # ana misses the TPM floor by one level
    assert "not wanted" in out  # ben does not accept PM
    assert "✓ 100%" in out


def test_fit_json(run: Callable[..., Result], write: Callable[..., Path]) -> None:
    write(
        make_scenario(
            candidates=[
                {"id": "ana", "background": "business_analyst"},
                {"id": "ben", "background": "software_engineer", "roles": ["TPM"]},
                {"id": "cy", "background": "product_manager", "exclude": True},
            ]
        )
    )
    result = run("fit", "s.yaml", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["format"] == "orgplan.fit/1"
    assert data["scenario"] == "Test team"
    assert [r["role"] for r in data["roles"]] == ["PM", "TPM"]
    assert data["roles"][0] == {
        "role": "PM",
        "title": "PM",
        "floors": {"domain": 3, "business": 3},
        "hours": 22,
        "open_reqs": 0,
    }
    ana, ben, cy = data["candidates"]
    ana_pm, ana_tpm = ana["roles"]
    assert ana_pm == {
        "role": "PM",
        "fit": 1.0,
        "accepts": True,
        "meets_floors": True,
        "eligible": True,
        "gaps": {},
        "work_fit": pytest.approx((8 * 3 / 4 + 10 * 3 / 4 + 4 * 1) / 22, abs=1e-4),
        "eligible_hours": 22,
        "role_hours": 22,
        "fit_hours": 17.5,  # all 22 h fit in a 40 h seat: 8 x 3/4 + 10 x 3/4 + 4 x 1
    }
    assert ana_tpm["gaps"] == {"technical": 1} and not ana_tpm["eligible"]
    assert ana_tpm["fit"] == 0.75
    assert ana["best_role"] == "PM"
    assert [r["accepts"] for r in ben["roles"]] == [False, True]
    assert ben["best_role"] == "TPM"
    assert cy["excluded"] is True and cy["best_role"] is None


def test_fit_of_a_bad_file(run: Callable[..., Result], write: Callable[..., Path]) -> None:
    write("name: x\n")
    result = run("fit", "s.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "3 problems in 1 file; nothing was solved"


# ---- errors map to exit statuses in one place -------------------------------------------


def test_infeasible_exits_1_with_reasons(
    run: Callable[..., Result], write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import orgplan.domain.fitting

    def infeasible(_: object) -> None:
        raise Infeasible(["2 people are fixed to PM but 1 PM seat is allowed"])

    monkeypatch.setattr(orgplan.domain.fitting, "fit_table", infeasible)
    write(make_scenario())
    result = run("fit", "s.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "infeasible: the scenario's hard limits cannot all be met:\n"
        "  - 2 people are fixed to PM but 1 PM seat is allowed\n"
    )


def test_usage_error_exits_2(
    run: Callable[..., Result], write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import orgplan.domain.fitting

    def unusable(_: object) -> None:
        raise UsageError("unknown structure 'x'")

    monkeypatch.setattr(orgplan.domain.fitting, "fit_table", unusable)
    write(make_scenario())
    result = run("fit", "s.yaml")
    assert (result.exit_code, result.stderr) == (2, "error: unknown structure 'x'\n")


def test_plan_refuses_two_outputs_in_one_file_before_solving(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    write(make_scenario())
    # A workbook and a JSON file never share a name: the extension tells them apart.
    result = run("plan", "s.yaml", "-o", "out.xlsx", "--json", "./out.xlsx")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: out.xlsx: a JSON file must end in .json, or - for standard output; got '.xlsx'\n"
    )
    assert not (tmp_path / "out.xlsx").exists()


# ---- init ------------------------------------------------------------------------------


def test_init_writes_a_starter_that_validates(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("init", "team/scenario.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "wrote team/scenario.yaml\n"
        f"wrote team/{SCHEMA_FILENAME}\n"
        "next: edit it, then `orgplan validate team/scenario.yaml`\n"
    )
    text = (tmp_path / "team/scenario.yaml").read_text()
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_FILENAME}"
    assert "orgplan validate scenario.yaml" in text
    assert json.loads((tmp_path / "team" / SCHEMA_FILENAME).read_text()) == scenario_schema()
    check = run("validate", "team/scenario.yaml")
    assert check.exit_code == 0, check.stderr
    assert check.stdout.startswith("team/scenario.yaml: ok (4 roles, 8 responsibilities")
    assert not [p for p in (tmp_path / "team").iterdir() if p.name.startswith(".")]


def test_init_never_overwrites_without_force(run: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("mine\n")
    result = run("init", "s.yaml")
    assert result.exit_code == 2
    assert result.stderr == "error: s.yaml: already exists; pass --force to overwrite it\n"
    assert (tmp_path / "s.yaml").read_text() == "mine\n"
    assert not (tmp_path / SCHEMA_FILENAME).exists()
    result = run("init", "s.yaml", "--force", "--name", "Team: 2027 #1")
    assert result.exit_code == 0
    assert run("validate", "s.yaml").exit_code == 0
    from orgplan.scenario.loading import load_scenario

    assert load_scenario(tmp_path / "s.yaml").name == "Team: 2027 #1"


def test_init_keeps_a_different_schema_file(run: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / SCHEMA_FILENAME).write_text("{}\n")
    result = run("init", "s.yaml")
    assert result.exit_code == 0
    assert result.stderr == (
        f"kept {SCHEMA_FILENAME}: it differs from this version's schema; "
        f"`orgplan schema -o {SCHEMA_FILENAME} --force` updates it\n"
    )
    assert (tmp_path / SCHEMA_FILENAME).read_text() == "{}\n"


def test_init_without_schema(run: Callable[..., Result], tmp_path: Path) -> None:
    assert run("init", "s.yaml", "--no-schema").exit_code == 0
    assert not (tmp_path / SCHEMA_FILENAME).exists()


def test_init_into_a_directory_is_a_usage_error(run: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    result = run("init", "d")
    assert (result.exit_code, result.stderr) == (2, "error: d: is a directory; give a file name\n")


# ---- schema ----------------------------------------------------------------------------


def test_schema_to_stdout(run: Callable[..., Result]) -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == scenario_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_to_a_file(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("schema", "-o", "out/orgplan.schema.json")
    assert (result.exit_code, result.stdout) == (0, "wrote out/orgplan.schema.json\n")
    assert json.loads((tmp_path / "out/orgplan.schema.json").read_text()) == scenario_schema()
    again = run("schema", "-o", "out/orgplan.schema.json")
    assert again.exit_code == 2
    assert "already exists; pass --force" in again.stderr
    assert run("schema", "-o", "out/orgplan.schema.json", "--force").exit_code == 0


# ---- no heavy imports for help ---------------------------------------------------------


def _loaded_after(args: list[str]) -> list[str]:
    code = (
        "import sys\n"
        "from orgplan.cli import app\n"
        "try:\n"
        f"    app({args!r}, prog_name='orgplan')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"'))


@pytest.mark.parametrize(
    "args", [["--help"], ["validate", "--help"], ["fit", "--help"], ["init", "--help"]]
)
def test_help_imports_no_heavy_library(args: list[str]) -> None:
    assert _loaded_after(args) == []


def test_python_dash_m_help_imports_no_heavy_library() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "orgplan", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "Usage: orgplan" in done.stdout
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert not {m for m in imported if m.split(".")[0] in HEAVY}


def test_console_script_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "orgplan", "--version"], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, f"orgplan {__version__}\n")


def test_validate_never_shows_a_traceback_in_a_real_process(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\x00\xff{[")
    done = subprocess.run(
        [sys.executable, "-m", "orgplan", "validate", str(bad), str(SCENARIOS / "startup.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "startup.yaml: ok" in done.stdout


# ---- files: whole or not at all --------------------------------------------------------


def test_write_text_atomic_and_refusing_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.json"
    write_json(target, {"a": 1})
    assert target.read_text() == '{\n  "a": 1\n}\n'
    with pytest.raises(OutputExists) as caught:
        write_text(target, "other")
    assert str(caught.value) == f"{target}: already exists; pass --force to overwrite it"
    assert caught.value.exit_code == 2
    write_text(target, "other", force=True)
    assert target.read_text() == "other"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.json"]


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    target.write_text("old plan")
    with pytest.raises(RuntimeError), atomic_path(target, force=True) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".xlsx"  # writers may pick by suffix
        tmp.write_text("half a pl")
        raise RuntimeError("disk full")
    assert target.read_text() == "old plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_file_appearing_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(OutputExists), atomic_path(target) as tmp:
        tmp.write_text("mine")
        target.write_text("someone else's")
    assert target.read_text() == "someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_written_files_get_normal_permissions(tmp_path: Path) -> None:
    target = write_text(tmp_path / "out.txt", "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_the_summary_names_the_priority_a_gap_is_on() -> None:
    import dataclasses
    import io

    from rich.console import Console

    from orgplan.reports.summary import render_plan
    from orgplan.results.plan import StageResult
    from orgplan.results.status import SolveStatus
    from solver_helpers import cand, resp, scenario, solve_checked

    plan = solve_checked(scenario([resp("a", 5)], [cand("x")]))
    stages = (
        StageResult("coverage", SolveStatus.OPTIMAL, 10.0, 10.0, 0.0, 0.1),
        StageResult("quality", SolveStatus.FEASIBLE, 9.0, 9.9, 0.1, 1.0),
        StageResult("cost", SolveStatus.FEASIBLE, 200.0, 190.0, 0.05, 1.0),
    )
    solver = dataclasses.replace(plan.solver, status=SolveStatus.FEASIBLE, gap=0.1, stages=stages)
    out = io.StringIO()
    render_plan(dataclasses.replace(plan, solver=solver), Console(file=out, width=300))
    text = " ".join(out.getvalue().split())  # the title wraps at the table's width
    assert "feasible, within 10.00% of the best bound on quality; coverage proven best" in text
