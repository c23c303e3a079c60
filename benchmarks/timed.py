"""Benchmark of plans over periods (format 1.1 `horizon`): each example scenario over four
quarters, beside the same scenario as a snapshot, measured in one run.

    python benchmarks/timed.py [--repeats 3] [--time-limit 60] [--scenarios startup,enterprise]
                               [--bundles-too]

A scenario's timed variant (written to a temporary folder with its candidate file) is the
file itself plus: a horizon of four quarters; every role `time_to_hire: 1`, `ramp_up: 1`
and a `hire_cost` of 15% of its cost; the last sixth of the responsibilities (a launch)
only in Q3-Q4; every second external candidate available from Q2; internal movers with a
`backfill_cost` of 10% of their cost. Nothing else changes.

Measured, each in a fresh process, one at a time: `orgplan plan FILE -o PLAN.xlsx --force
--time-limit S` end to end (scenario in, workbook out; a plan proven sooner stops sooner),
the median of `--repeats` runs; and the solve alone (`orgplan.solve` with `--time-limit`)
with each stage's status, value, bound and gap. Targets of issue 15: startup over four
quarters under 2 s end to end; enterprise over four quarters within 1% of the best bound
in under 60 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from precompile import compile_orgplan

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE.parent / "scenarios"
RESULTS = HERE / "results"
QUARTERS = ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
TARGETS = {
    "startup": "end to end < 2 s",
    "enterprise": "within 1% of the best bound < 60 s",
}


def _external(row: dict[str, Any]) -> bool:
    return str(row.get("internal", "")).strip().lower() not in ("true", "yes", "1")


def _time_candidates(rows: list[dict[str, Any]]) -> None:
    """Every second external candidate from Q2; internal movers leave a hole to backfill."""
    externals = 0
    for row in rows:
        if _external(row):
            externals += 1
            if externals % 2 == 0:
                row["available_from"] = QUARTERS[1]
        else:
            row["backfill_cost"] = round(float(row["cost"]) * 0.10)


def timed_variant(name: str, folder: Path) -> Path:
    """Write `name`'s timed variant (and its candidate file) into `folder`; its path."""
    data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))
    data["name"] = f"{data['name']}, over four quarters"
    data["horizon"] = {"periods": list(QUARTERS), "period_months": 3}
    for role in data["roles"].values():
        role.update(time_to_hire=1, ramp_up=1, hire_cost=round(role["cost"] * 0.15))
    work = data["responsibilities"]
    for resp in work[len(work) - max(1, len(work) // 6) :]:
        resp["periods"] = QUARTERS[2:]
    if "candidates" in data:
        _time_candidates(data["candidates"])
    if "candidates_file" in data:
        source = SCENARIOS / data["candidates_file"]
        with source.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        _time_candidates(rows)
        fields = [*rows[0].keys(), "available_from", "backfill_cost"]
        target = folder / source.name
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, restval="")
            writer.writeheader()
            writer.writerows(rows)
    path = folder / f"{name}-4q.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def end_to_end(path: Path, repeats: int, folder: Path, time_limit: float | None) -> dict[str, Any]:
    """`orgplan plan PATH -o PLAN.xlsx [--time-limit S]` in a fresh process, the median
    seconds of `repeats` runs."""
    limit = [] if time_limit is None else ["--time-limit", str(time_limit)]
    runs = []
    for i in range(repeats):
        out = folder / f"{path.stem}-{i}.xlsx"
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "orgplan", "plan", str(path), "-o", str(out), "--force", *limit],
            capture_output=True,
            text=True,
            check=False,
        )
        runs.append(time.perf_counter() - began)
        if done.returncode != 0:
            return {"error": done.stderr.strip()[-500:] or done.stdout.strip()[-500:]}
    return {"seconds": statistics.median(runs), "runs": runs}


_SOLVE = """
import json, sys, time
from orgplan import solve
from orgplan.scenario.loading import load_scenario
from orgplan.solving.options import SolveOptions
began = time.perf_counter()
scenario = load_scenario(sys.argv[1])
limit = float(sys.argv[2]) if sys.argv[2] != "none" else None
plan = solve(scenario, None, SolveOptions(time_limit=limit, bundle_bound=sys.argv[3] == "bundles"))
seconds = time.perf_counter() - began
stages = [
    {"objective": s.objective, "status": s.status.value, "value": s.value, "bound": s.bound,
     "gap": s.gap, "seconds": s.seconds, "bound_source": s.bound_source}
    for s in plan.solver.stages
]
print(json.dumps({"seconds": seconds, "status": plan.status.value, "gap": plan.solver.gap,
                  "stages": stages, "spend": plan.kpis.spend, "coverage": plan.kpis.coverage,
                  "timed": plan.timed}))
"""


def solve_alone(path: Path, time_limit: float | None, bundles: bool = False) -> dict[str, Any]:
    """The solve in a fresh process: seconds, status, gap and each stage (with the bound
    from seat bundles too when `bundles`)."""
    limit = "none" if time_limit is None else str(time_limit)
    done = subprocess.run(
        [sys.executable, "-c", _SOLVE, str(path), limit, "bundles" if bundles else "compact"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip()[-500:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _gap(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def table(rows: list[dict[str, Any]]) -> str:
    """The markdown table for the README: each scenario as a snapshot and over four quarters."""
    lines = [
        "| scenario | plan | end to end (median) | solve | status | gap | stages (s) | target |",
        "| --- | --- | ---: | ---: | --- | ---: | --- | --- |",
    ]
    for r in rows:
        e2e, alone = r.get("end_to_end", {}), r["solve"]
        if "error" in alone:
            lines.append(f"| {r['scenario']} | {r['plan']} | — | — | error | — | — | — |")
            continue
        stages = ", ".join(
            f"{s['objective']} {s['seconds']:.1f}"
            + ("" if s["gap"] is None else f" ({s['gap']:.1%})")
            for s in alone["stages"]
        )
        e2e_text = f"{e2e['seconds']:.2f} s" if "seconds" in e2e else "—"
        if "seconds" in e2e and len(e2e["runs"]) > 1:
            e2e_text += f" ({len(e2e['runs'])} runs)"
        target = TARGETS.get(r["scenario"], "") if r["plan"].startswith("4 quarters") else ""
        lines.append(
            f"| {r['scenario']} | {r['plan']} | {e2e_text} | {alone['seconds']:.2f} s | "
            f"{alone['status']} | {_gap(alone['gap'])} | {stages} | {target} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", default="startup,enterprise")
    parser.add_argument("--repeats", type=int, default=3, help="end-to-end runs (median)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="the solve's limit")
    parser.add_argument(
        "--bundles-too",
        action="store_true",
        help="also solve each timed variant with the bound from seat bundles over time",
    )
    args = parser.parse_args(argv)
    compile_orgplan()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in args.scenarios.split(","):
            for label, path in (
                ("snapshot", SCENARIOS / f"{name}.yaml"),
                ("4 quarters", timed_variant(name, folder)),
            ):
                alone = solve_alone(path, args.time_limit)
                e2e = end_to_end(path, args.repeats, folder, args.time_limit)
                rows.append({"scenario": name, "plan": label, "solve": alone, "end_to_end": e2e})
                print(json.dumps(rows[-1]), file=sys.stderr)
                if args.bundles_too and label == "4 quarters":
                    alone = solve_alone(path, args.time_limit, bundles=True)
                    rows.append({"scenario": name, "plan": f"{label}, bundles", "solve": alone})
                    print(json.dumps(rows[-1]), file=sys.stderr)
    print(table(rows))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "timed.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
