"""Time-limited solves of the example scenarios, run ahead in a second process.

A solve stopped by its time limit takes that limit in wall time whatever else runs, and
the suite runs on one core of a 2-core machine (the tests in sequence, HiGHS on one
thread). The tests that only read such a plan ask for it ahead: a test marked
`@pytest.mark.solve_ahead(time_limit=S)` (its scenario and structure from its `path` and
`structure` parameters, or the mark's `path=` and `structure=`) reads it from the
`solved_ahead` fixture, and conftest.py's `enterprise_plan` is one too. Once the tests
are collected, conftest.py starts this module as a script (`SolvesAhead.start`); it solves
them one after another in the order the tests will ask, beside the tests, and each test
waits for its plan when it gets there (`SolvesAhead.plan`), then checks it as
`solve_checked` checks a plan: the checker runs in the test process, on the plan as solved.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

Spec = tuple[str, str | None, float]  # scenario file, structure, time limit in seconds


class SolvesAhead:
    """The process solving the specs ahead, and the plans it has written so far."""

    def __init__(self) -> None:
        self.specs: list[Spec] = []
        self.folder: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, specs: list[Spec]) -> None:
        """Start solving `specs`, in this order, in a process of their own."""
        if not specs:
            return
        self.specs = specs
        self.folder = Path(tempfile.mkdtemp(prefix="orgplan-ahead-"))
        (self.folder / "specs.json").write_text(json.dumps(specs), encoding="utf-8")
        with open(self.folder / "stderr.txt", "wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, __file__, str(self.folder)],
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
            )

    def plan(self, spec: Spec) -> Any:
        """The plan of `spec` once it is solved; None if it was not asked ahead."""
        if self.process is None or self.folder is None or spec not in self.specs:
            return None
        done = self.folder / f"{self.specs.index(spec)}.pickle"
        while not done.exists():
            if self.process.poll() is not None and not done.exists():
                output = (self.folder / "stderr.txt").read_text(errors="replace")
                raise RuntimeError(f"the solves ahead ended before {spec}:\n{output}")
            time.sleep(0.05)
        kind, value = pickle.loads(done.read_bytes())
        if kind == "error":
            raise AssertionError(f"solving {spec} ahead failed:\n{value}")
        return value

    def stop(self) -> None:
        """End the process if it still runs (a test run cut short) and remove its files."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def main(folder: Path) -> None:
    """Solve each spec of `folder/specs.json`; write `folder/INDEX.pickle` as each ends."""
    from orgplan.scenario.loading import load_scenario
    from orgplan.solving.options import SolveOptions
    from orgplan.solving.stages import solve

    specs = json.loads((folder / "specs.json").read_text(encoding="utf-8"))
    parent = os.getppid()
    for index, (path, structure, limit) in enumerate(specs):
        if os.getppid() != parent:  # the test run was killed: nobody will read the rest
            shutil.rmtree(folder, ignore_errors=True)
            return
        try:
            plan = solve(load_scenario(path), structure, SolveOptions(time_limit=limit))
            result: tuple[str, Any] = ("plan", plan)
        except Exception:
            result = ("error", traceback.format_exc())
        partial = folder / f"{index}.partial"
        partial.write_bytes(pickle.dumps(result))
        partial.rename(folder / f"{index}.pickle")  # whole or not there: the test polls


if __name__ == "__main__":
    main(Path(sys.argv[1]))
