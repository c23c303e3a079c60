"""How long `orgplan explain` takes on the example scenarios, beside `orgplan plan`.

Each run is a fresh `orgplan` process (so imports, the plan solve, the near-best teams and
every what-if's process pool count), timed wall-clock, with the peak memory of its
process tree. `plan` and `explain` of one scenario alternate in one run, so both see the
same load; the table gives medians and the ratio explain / plan. Targets (issue 13):
startup and saas under 10 s, enterprise under 3 minutes, default settings.

    python benchmarks/explain.py                       # startup, saas x3; enterprise x1
    python benchmarks/explain.py --scenarios startup --repeats 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from precompile import compile_orgplan

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"startup": 10.0, "saas": 10.0, "enterprise": 180.0}


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MB (the largest resident set in its process tree) of one run."""
    began = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        message = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(args)} failed:\n{message}")
    # wait4's maxrss is the largest of the process and the descendants it waited for
    # (the what-ifs' pool workers)
    return seconds, usage.ru_maxrss / 1024


def what_ifs(path: Path) -> dict[str, object]:
    """How many what-ifs the explanation solved, how many are proven, the largest gap."""
    data = json.loads(path.read_text(encoding="utf-8"))
    found = [p["if_removed"] for p in data["placed"]]
    found += [r["if_unfilled"] for r in data["open_reqs"]]
    found += [a["if_placed"] for r in data["open_reqs"] for a in r["alternatives"]]
    found += [u["if_placed"] for u in data["unplaced"]]
    solved = {json.dumps(f["what"]): f for f in found if f is not None}
    statuses = [f["solver"]["status"] for f in solved.values()]
    gaps = [f["solver"]["gap"] for f in solved.values() if f["solver"]["gap"] is not None]
    return {
        "what_ifs": len(solved),
        "proven": statuses.count("optimal"),
        "max_gap": max(gaps, default=0.0),
        "weakest": data["weakest"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default="startup,saas,enterprise")
    parser.add_argument("--repeats", type=int, default=3, help="runs of startup and saas")
    args = parser.parse_args()
    compile_orgplan()
    orgplan = str(Path(sys.executable).with_name("orgplan"))
    rows = []
    for name in args.scenarios.split(","):
        scenario = f"scenarios/{name}.yaml"
        runs = 1 if name == "enterprise" else args.repeats
        plans, explains, memory = [], [], []
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "explain.json"
            load = os.getloadavg()[0]
            for _ in range(runs):
                plan_args = [orgplan, "plan", scenario, "-o", f"{tmp}/p.xlsx", "--force"]
                plans.append(timed(plan_args)[0])
                seconds, mb = timed([orgplan, "explain", scenario, "--json", str(out), "--force"])
                explains.append(seconds)
                memory.append(mb)
            found = what_ifs(out)
        row = {
            "scenario": name,
            "runs": runs,
            "load": round(load, 2),
            "plan_s": round(statistics.median(plans), 2),
            "explain_s": round(statistics.median(explains), 2),
            "ratio": round(statistics.median(explains) / statistics.median(plans), 1),
            "peak_mb": round(max(memory)),
            "target_s": TARGETS.get(name),
            **found,
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"explain-{stamp}.json").write_text(json.dumps(rows, indent=2) + "\n")
    print()
    heads = ["scenario", "plan s", "explain s (median)", "explain / plan"]
    heads += ["what-ifs (proven)", "largest gap", "peak MB", "target", "met?"]
    print("| " + " | ".join(heads) + " |")
    print("|" + " --- |" * len(heads))
    for r in rows:
        met = "yes" if r["target_s"] is None or r["explain_s"] < r["target_s"] else "no"
        print(
            f"| {r['scenario']} | {r['plan_s']} | {r['explain_s']} ({r['runs']} runs, load "
            f"{r['load']}) | {r['ratio']}x | {r['what_ifs']} ({r['proven']}) | "
            f"{r['max_gap']:.1%} | {r['peak_mb']} | < {r['target_s']:g} s | {met} |"
        )


if __name__ == "__main__":
    main()
