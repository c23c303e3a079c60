"""Long solves: progress reports name the priority, and Ctrl-C keeps the best plan so far."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orgplan import load_scenario, solve
from orgplan.solving.options import SolveOptions

SCENARIOS = Path(__file__).parent.parent / "scenarios"


def test_progress_reports_say_which_priority_is_being_optimised():
    seen: list[tuple[str, float, float | None, float | None]] = []
    plan = solve(
        load_scenario(SCENARIOS / "saas.yaml"),
        options=SolveOptions(progress=lambda *report: seen.append(report)),
    )
    assert plan.status.value == "optimal"
    stages = {stage for stage, *_ in seen}
    assert stages <= {"coverage", "quality", "cost"}
    assert stages, "HiGHS reported no plan at all while solving the SaaS example"
    assert all(elapsed >= 0 for _, elapsed, _, _ in seen)


@pytest.mark.slow
def test_ctrl_c_keeps_the_best_plan_found_so_far(tmp_path: Path):
    # The enterprise example takes about half a minute to prove its cheapest team:
    # interrupt it (at 8 s, in the cost stage's head start or its full search).
    out = tmp_path / "plan.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "orgplan",
            "plan",
            str(SCENARIOS / "enterprise.yaml"),
            "-o",
            str(tmp_path / "plan.xlsx"),
            "--json",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(8)
    if proc.poll() is not None:
        pytest.skip("the example was solved before Ctrl-C could be sent: pick a harder one")
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr
    plan = json.loads(out.read_text())
    assert plan["solver"]["status"] == "feasible"
    assert plan["kpis"]["coverage"] > 0
    assert (tmp_path / "plan.xlsx").exists()
    assert "Totals:" in stdout
