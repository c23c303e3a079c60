"""Writing outputs: every path checked before solving, failures reported (exit 2) with the
earlier file intact and no temporary file left, `-` for standard output, a closed pipe
ending quietly, and usage errors reported before output checks."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from conftest import SCENARIOS, make_scenario
from orgplan.errors import UsageError, WriteFailed
from orgplan.files import (
    JSON,
    WORKBOOK,
    _temporary_name,
    atomic_path,
    check_outputs,
    write_bytes,
)
from orgplan.solvers import registry

STARTUP = SCENARIOS / "startup.yaml"
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture()
def no_solving(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any solve fails the test: what is refused must be refused before solving."""

    def solve(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("solved although the command should have been refused")

    import orgplan.jobs.compare
    import orgplan.jobs.sweep
    import orgplan.solving.stages

    monkeypatch.setattr(orgplan.solving.stages, "solve", solve)
    monkeypatch.setattr(orgplan.jobs.compare, "run_tasks", solve)
    monkeypatch.setattr(orgplan.jobs.sweep, "run_tasks", solve)


def refused(result: Result, message: str) -> None:
    """Exit 2 with exactly `error: message` on stderr, nothing on stdout."""
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"error: {message}\n", "")


def names_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---- refused before solving, for every writer ------------------------------------------

WRITERS = [
    ("plan", "s.yaml", "-o"),
    ("plan", "s.yaml", "--json"),
    ("compare", "s.yaml", "-o"),
    ("compare", "s.yaml", "--json"),
    ("sweep", "s.yaml --budget 1:2:1", "-o"),
    ("sweep", "s.yaml --budget 1:2:1", "--json"),
]


def _args(command: str, rest: str, option: str, path: str, *extra: str) -> list[str]:
    return [command, *rest.split(), option, path, *extra]


@pytest.mark.usefixtures("no_solving")
@pytest.mark.parametrize(("command", "rest", "option"), WRITERS)
def test_an_output_below_a_file_is_refused_before_solving(
    run: Callable[..., Result], write: Callable[..., Path], command: str, rest: str, option: str
) -> None:
    write(make_scenario())
    name = "p.xlsx" if option == "-o" else "p.json"
    result = run(*_args(command, rest, option, f"s.yaml/{name}", "--force"))
    refused(result, f"s.yaml/{name}: cannot write there: s.yaml is not a folder")


@pytest.mark.usefixtures("no_solving")
@pytest.mark.parametrize(("command", "rest", "option"), WRITERS)
def test_a_wrong_extension_is_refused_before_solving(
    run: Callable[..., Result], write: Callable[..., Path], command: str, rest: str, option: str
) -> None:
    write(make_scenario())
    result = run(*_args(command, rest, option, "out.csv"))
    if option == "-o":
        refused(result, "out.csv: an Excel workbook must end in .xlsx; got '.csv'")
    else:
        refused(
            result, "out.csv: a JSON file must end in .json, or - for standard output; got '.csv'"
        )


@pytest.mark.usefixtures("no_solving")
@pytest.mark.parametrize(("command", "rest", "option"), WRITERS)
def test_the_input_scenario_is_never_an_output(
    run: Callable[..., Result], write: Callable[..., Path], command: str, rest: str, option: str
) -> None:
    original = write(make_scenario(), "s.json" if option == "--json" else "s.yaml").read_text()
    source = "s.json" if option == "--json" else "s.yaml"
    rest = rest.replace("s.yaml", source)
    result = run(*_args(command, rest, option, source, "--force"))
    refused(result, f"{source}: is the input scenario; choose another output file")
    assert Path(source).read_text() == original


@pytest.mark.usefixtures("no_solving")
def test_a_link_to_the_input_scenario_is_refused(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    write(make_scenario())
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "s.yaml")
    refused(
        run("plan", "s.yaml", "-o", "link.xlsx", "--force"),
        "link.xlsx: is the input scenario; choose another output file",
    )


@pytest.mark.usefixtures("no_solving")
def test_the_candidates_file_is_never_an_output(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["id", "name"])
    book.active.append(["cara", "Cara"])
    book.save(tmp_path / "people.xlsx")
    before = (tmp_path / "people.xlsx").read_bytes()
    write(make_scenario(candidates_file="people.xlsx"))
    assert run("validate", "s.yaml").exit_code == 0
    for args in (
        ["plan", "s.yaml"],
        ["compare", "s.yaml"],
        ["sweep", "s.yaml", "--budget", "1:2:1"],
    ):
        result = run(*args, "-o", "people.xlsx", "--force")
        refused(result, "people.xlsx: is the candidates file of s.yaml; choose another output file")
    assert (tmp_path / "people.xlsx").read_bytes() == before


@pytest.mark.usefixtures("no_solving")
def test_a_device_or_fifo_is_refused_even_with_force(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    write(make_scenario())
    (tmp_path / "null.xlsx").symlink_to(os.devnull)
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "dir.xlsx").mkdir()
    refused(
        run("plan", "s.yaml", "-o", "null.xlsx", "--force"),
        "null.xlsx: is a character device, not a regular file; give another file name",
    )
    refused(
        run("plan", "s.yaml", "--json", "pipe.json", "--force"),
        "pipe.json: is a named pipe (FIFO), not a regular file; give another file name",
    )
    refused(
        run("compare", "s.yaml", "-o", "dir.xlsx", "--force"),
        "dir.xlsx: is a directory; give a file name",
    )
    # A device gets the device's message, not the extension's.
    refused(
        run("plan", "s.yaml", "-o", os.devnull, "--force"),
        f"{os.devnull}: is a character device, not a regular file; give another file name",
    )


@pytest.mark.usefixtures("no_solving")
def test_a_system_folder_is_refused(run: Callable[..., Result], write: Callable[..., Path]) -> None:
    write(make_scenario())
    refused(
        run("plan", "s.yaml", "--json", "/proc/self/plan.json"),
        "/proc/self/plan.json: is in /proc, a system folder; write it elsewhere",
    )
    refused(
        run("schema", "-o", "/sys/schema.json"),
        "/sys/schema.json: is in /sys, a system folder; write it elsewhere",
    )


@pytest.mark.usefixtures("no_solving")
def test_a_folder_that_cannot_be_written_is_refused(
    run: Callable[..., Result], write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, and root may write in any folder: the check is os.access, mocked.
    write(make_scenario())
    Path("ro").mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p).name != "ro" and real(p, mode))
    message = "cannot write there: the folder ro is not writable"
    refused(run("plan", "s.yaml", "-o", "ro/p.xlsx"), f"ro/p.xlsx: {message}")
    # A folder to create below it counts too.
    refused(run("plan", "s.yaml", "--json", "ro/new/p.json"), f"ro/new/p.json: {message}")
    refused(run("init", "ro/s.yaml"), f"ro/s.yaml: {message}")
    refused(run("schema", "-o", "ro/s.json"), f"ro/s.json: {message}")


@pytest.mark.skipif(ROOT, reason="root may write in a read-only folder")
def test_a_read_only_folder_is_refused(
    run: Callable[..., Result], write: Callable[..., Path]
) -> None:
    write(make_scenario())
    Path("ro").mkdir(mode=0o555)
    refused(
        run("plan", "s.yaml", "-o", "ro/p.xlsx"),
        "ro/p.xlsx: cannot write there: the folder ro is not writable",
    )


@pytest.mark.usefixtures("no_solving")
def test_a_name_longer_than_the_filesystem_allows_is_refused(
    run: Callable[..., Result], write: Callable[..., Path]
) -> None:
    write(make_scenario())
    limit = os.pathconf(".", "PC_NAME_MAX")
    name = "a" * (limit - 4) + ".xlsx"
    refused(
        run("plan", "s.yaml", "-o", name),
        f"{name}: the file name is too long for its filesystem "
        f"({limit + 1} bytes, at most {limit})",
    )


def test_a_name_at_the_limit_is_written_its_temporary_name_cut_short(tmp_path: Path) -> None:
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    target = tmp_path / ("é" * ((limit - 5) // 2) + "x" * ((limit - 5) % 2) + ".xlsx")
    assert len(os.fsencode(target.name)) == limit
    with atomic_path(target) as tmp:
        assert len(os.fsencode(tmp.name)) <= limit and tmp.suffix == ".xlsx"
        tmp.write_bytes(b"plan")
    assert target.read_bytes() == b"plan"
    assert names_in(tmp_path) == [target.name]


@given(st.text(min_size=1, max_size=300), st.integers(min_value=14, max_value=300))
def test_a_temporary_name_always_fits(name: str, name_max: int) -> None:
    tmp = _temporary_name(name, name_max)
    assert len(os.fsencode(tmp)) <= name_max
    assert tmp.startswith(".") and ".tmp" in tmp and tmp != name


def test_extensions_of_init_and_schema(run: Callable[..., Result]) -> None:
    refused(run("init", "x.txt"), "x.txt: a scenario must end in .yaml, .yml or .json; got '.txt'")
    refused(run("init", "x"), "x: a scenario must end in .yaml, .yml or .json; got no extension")
    refused(
        run("init", "-"),
        "-: a scenario cannot go to standard output; give a file name ending in .yaml, .yml or "
        ".json",
    )
    refused(
        run("schema", "-o", "s.yaml"),
        "s.yaml: a JSON file must end in .json, or - for standard output; got '.yaml'",
    )
    assert run("init", "UPPER.YML").exit_code == 0


def test_init_as_json_writes_the_starter_as_json(run: Callable[..., Result]) -> None:
    assert run("init", "s.json").exit_code == 0
    assert json.loads(Path("s.json").read_text())["name"] == "Starter product team"
    assert run("validate", "s.json").exit_code == 0


def test_init_checks_the_schema_path_before_writing_anything(run: Callable[..., Result]) -> None:
    Path("orgplan.schema.json").mkdir()
    refused(run("init", "s.yaml"), "orgplan.schema.json: is a directory; give a file name")
    assert not Path("s.yaml").exists()
    refused(
        run("init", "sub/orgplan.schema.json"),
        "sub/orgplan.schema.json: is where init writes the schema; give the scenario another "
        "name, or pass --no-schema",
    )
    assert run("init", "s.yaml", "--no-schema").exit_code == 0


def test_two_outputs_of_one_kind_in_one_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        check_outputs((tmp_path / "a.json", JSON), (tmp_path / "./a.json", JSON))
    assert str(caught.value) == (
        f"two outputs name the same file: {tmp_path / 'a.json'} and {tmp_path / 'a.json'}"
    )
    check_outputs((None, WORKBOOK), (Path("-"), JSON), (Path("-"), JSON))  # stdout: no file
    # A bare path: any extension, no standard output.
    check_outputs(tmp_path / "pool.xlsx", tmp_path / "notes.txt", None)
    with pytest.raises(UsageError, match="^-: this output cannot go to standard output"):
        check_outputs(Path("-"))


# ---- usage errors come before output checks ----------------------------------------------


@pytest.fixture()
def stale(run: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    """`run` in a folder holding acme.yaml and every output of an earlier run."""
    (tmp_path / "acme.yaml").write_text(STARTUP.read_text())
    (tmp_path / "reports").mkdir()
    for name in ("reports/acme.xlsx", "out.xlsx", "out.json"):
        (tmp_path / name).write_text("stale")
    return run


STRUCTURES = "superhero, pm_pmm, split, split_with_analyst"


@pytest.mark.usefixtures("no_solving")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["plan", "acme.yaml", "--structure", "supehero"],
            "unknown structure 'supehero' (did you mean 'superhero'?) in acme.yaml: "
            f"available: {STRUCTURES}",
        ),
        (
            ["sweep", "acme.yaml", "--budget", "1:2:1", "--structure", "splt", "-o", "out.xlsx"],
            "unknown structure 'splt' (did you mean 'split'?) in acme.yaml: "
            f"available: {STRUCTURES}",
        ),
        (
            ["compare", "acme.yaml", "--structures", "splt,pm_pmx,zzz", "--json", "out.json"],
            "unknown structures 'splt' (did you mean 'split'?), 'pm_pmx' (did you mean "
            f"'pm_pmm'?), 'zzz' in acme: available: {STRUCTURES}",
        ),
        (
            ["plan", "acme.yaml", "--solver", "hihgs"],
            "unknown solver 'hihgs': expected one of highs, cbc (did you mean 'highs'?)",
        ),
        (
            ["compare", "acme.yaml", "--solver", "cbd", "-o", "out.xlsx"],
            "unknown solver 'cbd': expected one of highs, cbc (did you mean 'cbc'?)",
        ),
        (
            ["plan", "acme.yaml", "--solver", "cbc", "--time-limit", "inf"],
            "--time-limit: must be a finite number of seconds, got inf",
        ),
        (
            ["sweep", "acme.yaml", "--headcount", "1:2:1", "--time-limit", "inf", "-o", "out.xlsx"],
            "--time-limit: must be a finite number of seconds, got inf",
        ),
    ],
)
def test_usage_errors_come_before_a_stale_output(
    stale: Callable[..., Result], args: list[str], message: str
) -> None:
    refused(stale(*args), message)


@pytest.mark.usefixtures("no_solving")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["plan", "acme.yaml", "--json", "out.txt"],
            "out.txt: a JSON file must end in .json, or - for standard output; got '.txt'",
        ),
        (
            ["plan", "acme.yaml", "-o", "out.xlsx", "--json", "out.csv"],
            "out.csv: a JSON file must end in .json, or - for standard output; got '.csv'",
        ),
    ],
)
def test_a_wrong_extension_comes_before_a_stale_output(
    stale: Callable[..., Result], args: list[str], message: str
) -> None:
    # reports/acme.xlsx and out.xlsx exist: the typo in the JSON's name is reported first
    refused(stale(*args), message)


def test_a_nan_time_limit_is_a_usage_error(stale: Callable[..., Result]) -> None:
    result = stale("plan", "acme.yaml", "--solver", "cbc", "--time-limit", "nan", "-o", "n.xlsx")
    assert result.exit_code == 2 and "--time-limit" in result.stderr
    assert "Traceback" not in result.stderr and not Path("n.xlsx").exists()


def test_unknown_solver_keeps_its_text_and_adds_a_hint() -> None:
    assert registry.unknown_solver("scip") == "unknown solver 'scip': expected one of highs, cbc"
    assert registry.unknown_solver("HiGHS").endswith(" (did you mean 'highs'?)")


# ---- a write that fails all the same -----------------------------------------------------


def _failing(code: int) -> Callable[..., Any]:
    def fail(self: Path, data: Any, *args: Any, **kwargs: Any) -> Any:
        with open(self, "wb") as half:
            half.write(b"half a pl")  # part of it reached the disk
        raise OSError(code, os.strerror(code), str(self))

    return fail


@pytest.mark.parametrize(
    ("method", "code", "option", "name"),
    [
        ("write_bytes", errno.ENOSPC, "-o", "out.xlsx"),
        ("write_bytes", errno.EIO, "-o", "out.xlsx"),
        ("write_text", errno.ENOSPC, "--json", "out.json"),
        ("write_text", errno.EACCES, "--json", "out.json"),
    ],
)
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    stale: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    code: int,
    option: str,
    name: str,
) -> None:
    monkeypatch.setattr(Path, method, _failing(code))
    result = stale("plan", "acme.yaml", "-o", "out.xlsx", "--json", "out.json", "--force")
    first = "out.xlsx" if method == "write_bytes" else "out.json"
    refused(result, f"{first}: cannot write: {os.strerror(code)}")
    assert (tmp_path / name).read_text() == "stale"
    assert names_in(tmp_path) == ["acme.yaml", "out.json", "out.xlsx", "reports"]


def test_a_folder_that_turns_read_only_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def touch(self: Path, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "touch", touch)
    with pytest.raises(WriteFailed) as caught:
        write_bytes(tmp_path / "p.xlsx", b"plan")
    assert str(caught.value) == f"{tmp_path / 'p.xlsx'}: cannot write: Permission denied"
    assert isinstance(caught.value, OSError) and caught.value.errno == errno.EACCES
    assert caught.value.exit_code == 2 and names_in(tmp_path) == []


SIGTERM_MID_WRITE = """
import os, signal, sys, time
from pathlib import Path

real = Path.write_bytes

def write_bytes(self, data):
    real(self, data[:100])
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)

Path.write_bytes = write_bytes
sys.argv = ["orgplan", "plan", sys.argv[1], "-o", "out.xlsx", "--force"]
from orgplan.cli import main
main()
"""


def test_sigterm_during_the_write_keeps_the_old_file(tmp_path: Path) -> None:
    (tmp_path / "out.xlsx").write_text("the old plan")
    done = subprocess.run(
        [sys.executable, "-c", SIGTERM_MID_WRITE, str(STARTUP)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "out.xlsx").read_text() == "the old plan"
    assert names_in(tmp_path) == ["out.xlsx"]
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # this process's is untouched


def test_the_sigterm_handler_is_restored_after_a_write(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    write_bytes(tmp_path / "a.xlsx", b"x")
    assert signal.getsignal(signal.SIGTERM) == before


# ---- `-` is standard output ----------------------------------------------------------------


def test_plan_json_to_stdout_and_the_summary_to_stderr(run: Callable[..., Result]) -> None:
    result = run("plan", str(STARTUP), "--json", "-", "-o", "p.xlsx")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["format"] == "orgplan.plan/1"
    assert "Totals:" in result.stderr and result.stderr.endswith("wrote p.xlsx\n")
    assert names_in(Path(".")) == ["p.xlsx"]  # no file called -


def test_compare_and_sweep_json_to_stdout(run: Callable[..., Result]) -> None:
    compared = run("compare", str(STARTUP), "--structures", "superhero,split", "--json", "-")
    assert compared.exit_code == 0, compared.stderr
    assert json.loads(compared.stdout)["format"] == "orgplan.compare/1"
    assert "superhero" in compared.stderr
    swept = run("sweep", str(STARTUP), "--headcount", "2:3:1", "--json", "-")
    assert swept.exit_code == 0, swept.stderr
    assert json.loads(swept.stdout)["format"] == "orgplan.sweep/1"
    assert names_in(Path(".")) == []


def test_schema_to_stdout_with_a_dash(run: Callable[..., Result]) -> None:
    assert run("schema", "-o", "-").stdout == run("schema").stdout
    assert names_in(Path(".")) == []


def test_a_workbook_cannot_go_to_stdout(run: Callable[..., Result]) -> None:
    refused(
        run("plan", str(STARTUP), "-o", "-"),
        "-: an Excel workbook cannot go to standard output; give a file name ending in .xlsx",
    )


# ---- a closed pipe -----------------------------------------------------------------------


def _with_closed_stdout(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `orgplan ARGS` with its stdout a pipe whose reader has already gone."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "orgplan", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            timeout=120,
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["fit", str(STARTUP)], 0),
        (["fit", str(STARTUP), "--json"], 0),
        (["validate", str(STARTUP)], 0),
        (["validate", str(STARTUP), "missing.yaml"], 2),
        (["plan", str(STARTUP), "-o", "p.xlsx"], 0),
        (["plan", str(STARTUP), "--json", "-", "-o", "p.xlsx"], 0),
        (["compare", str(STARTUP), "--structures", "superhero,split"], 0),
        (["schema"], 0),
        (["--help"], 0),
    ],
)
def test_a_closed_pipe_ends_quietly_with_the_usual_status(
    tmp_path: Path, args: list[str], status: int
) -> None:
    done = _with_closed_stdout(*args, cwd=tmp_path)
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    if args[0] == "plan":
        assert (tmp_path / "p.xlsx").stat().st_size > 0  # the work was done all the same


def test_reading_one_line_then_closing_like_head(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "orgplan", "fit", str(SCENARIOS / "enterprise.yaml")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.readline().startswith(b"Fit: ")
        child.stdout.close()
        stderr = child.stderr.read().decode()
        assert child.wait(timeout=120) == 0, stderr
    assert "Traceback" not in stderr
