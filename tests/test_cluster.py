"""Solves on other executors: `--jobs N` local processes and `--scheduler` on a Dask cluster.

The cluster tests start a real scheduler and two workers as separate processes (the
`dask` command of Dask distributed, an optional extra the test extra installs) and check
that a sweep run there gives the same frontier as a local run, also when a worker is
killed in the middle of it (Dask hands its solves to the other worker).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import SCENARIOS
from orgplan.analysis.sweep import parse_range
from orgplan.errors import UsageError
from orgplan.jobs.compare import compare_scenarios
from orgplan.jobs.executors import check_parallel, cluster
from orgplan.jobs.sweep import run_sweep, sweep_scenario
from orgplan.scenario.loading import load_scenario

STARTUP = SCENARIOS / "startup.yaml"


def untimed(value: Any) -> Any:
    """A JSON document less its timings (`seconds`, at any depth)."""
    if isinstance(value, dict):
        return {k: untimed(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [untimed(v) for v in value]
    return value


def frontier(sweep: Any) -> list[str]:
    """What a sweep found at each point, less the timings."""
    return [json.dumps(untimed(p), sort_keys=True) for p in sweep.to_json()["points"]]


# ---- any executor ------------------------------------------------------------------------


def test_any_executor_gives_the_same_sweep_as_local_processes() -> None:
    scenario = load_scenario(STARTUP)
    budgets = parse_range("250k:450k:50k")
    local = sweep_scenario(scenario, budgets, workers=1)
    # threads share this process: an executor of another kind, results in the order asked
    with ThreadPoolExecutor(max_workers=3) as pool:
        threaded = sweep_scenario(scenario, budgets, executor=pool)
    assert frontier(threaded) == frontier(local)
    assert [p.budget for p in threaded.points] == budgets.values()


def test_any_executor_gives_the_same_comparison() -> None:
    scenario = load_scenario(STARTUP)
    local = compare_scenarios([("startup", scenario)], ["superhero", "split"], workers=1)
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = compare_scenarios([("startup", scenario)], ["superhero", "split"], executor=pool)
    assert untimed(threaded.to_json()) == untimed(local.to_json())


@pytest.mark.parametrize(
    ("jobs", "scheduler", "message"),
    [
        (0, None, "--jobs: must be a whole number from 1 to 256, got 0"),
        (300, None, "--jobs: must be a whole number from 1 to 256, got 300"),
        (2, "tcp://x:1", "--jobs and --scheduler: give one (the cluster has its own workers)"),
        (None, " ", "--scheduler: give the scheduler's address, e.g. tcp://10.0.0.5:8786"),
    ],
)
def test_parallel_options_that_cannot_be(jobs: Any, scheduler: Any, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        check_parallel(jobs, scheduler)
    assert str(caught.value) == message


def test_without_dask_the_scheduler_option_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails
    with pytest.raises(UsageError) as caught:
        check_parallel(None, "tcp://127.0.0.1:8786")
    assert str(caught.value) == (
        "--scheduler: needs Dask distributed, which is not installed: pip install 'orgplan[dask]'"
    )


def test_the_jobs_are_checked_before_any_output_or_solve(tmp_path: Path) -> None:
    (tmp_path / "out.xlsx").write_text("stale")
    with pytest.raises(UsageError, match="^--jobs: must be"):
        run_sweep(STARTUP, budget="300k:400k:100k", workers=0, workbook=tmp_path / "out.xlsx")


# ---- a real Dask cluster -----------------------------------------------------------------


def _dask() -> str:
    pytest.importorskip("distributed")
    found = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")
    if found is None:
        pytest.skip("the dask command is not installed")
    return found


@contextmanager
def local_cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A scheduler and two single-threaded workers, each its own process."""
    dask = _dask()
    info = tmp_path / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    log = open(tmp_path / "cluster.log", "wb")  # noqa: SIM115 - closed below
    procs = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(info)],
            stdout=log, stderr=log, env=env, cwd=tmp_path,
        )
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text().strip():
            assert time.monotonic() < deadline, (tmp_path / "cluster.log").read_text()
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [dask, "worker", address, "--nworkers", "1", "--nthreads", "1",
                     "--no-dashboard", "--memory-limit", "0"],
                    stdout=log, stderr=log, env=env, cwd=tmp_path,
                )
            )  # fmt: skip
        from distributed import Client

        with Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, procs
    finally:
        # The workers first, while their scheduler still answers: a worker whose scheduler
        # went at the same moment sometimes waited 8 s for it before exiting.
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


@pytest.mark.slow
def test_a_sweep_on_a_dask_cluster_gives_the_local_frontier(tmp_path: Path) -> None:
    scenario = load_scenario(STARTUP)
    budgets, caps = parse_range("250k:450k:50k"), parse_range("2:4:1", integer=True)
    local = sweep_scenario(scenario, budgets, caps, workers=2)
    with local_cluster(tmp_path) as (address, procs):
        # the job as the command line runs it: JSON written, progress shown
        out = tmp_path / "sweep.json"
        run = run_sweep(
            STARTUP, budget="250k:450k:50k", headcount="2:4:1", scheduler=address, json_path=out
        )
        assert frontier(run.sweep) == frontier(local)
        assert json.loads(out.read_text())["format"] == "orgplan.sweep/1"

        # a worker killed mid-sweep: its solves run again on the other one
        killed: list[int] = []

        def progress(total: int) -> Any:
            @contextmanager
            def shown() -> Iterator[Any]:
                def advance(label: str, outcome: Any) -> None:
                    if not killed:
                        procs[1].kill()
                        killed.append(procs[1].pid)

                yield advance

            return shown()

        with cluster(address) as executor:
            survived = sweep_scenario(scenario, budgets, caps, executor=executor, progress=progress)
        assert killed and procs[1].wait(timeout=10) != 0
        assert frontier(survived) == frontier(local)


def test_an_unreachable_scheduler_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    import orgplan.jobs.executors as executors

    monkeypatch.setattr(executors, "CONNECT_SECONDS", 0.5)
    with pytest.raises(UsageError) as caught, cluster("tcp://127.0.0.1:9"):
        pass
    assert str(caught.value).startswith(
        "--scheduler: cannot reach a Dask scheduler at 'tcp://127.0.0.1:9': "
    )
