"""Summarise a py-spy "raw" profile (collapsed stacks): seconds spent in each frame.

py-spy samples native frames too, so it sees inside HiGHS, which cProfile cannot:

    py-spy record --native --rate 25 --format raw -o xl.txt -- \
        python benchmarks/run.py --child '{"size": "XL", "dims": [300, 1000], "seed": 1,
        "solver": "highs", "formulation": "orgplan", "time_limit": 120}' --events ev.jsonl
    python benchmarks/stacks.py xl.txt --rate 25
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

# Frames worth naming in a summary of where orgplan's time goes.
KEY_FRAMES = (
    "build_model",
    "add_variables",
    "coupling_handoffs",
    "add_le",
    "linear",
    "_load_highs_33",
    "buildSolverModel",
    "LpProblem.variables",
    "_set_start",
    "snapshot",
    "_read_highs",
    "assemble_plan",
    "Highs::run",
    "presolve::HPresolve::run",
    "HighsObjectiveFunction::setupCliquePartition",
    "HighsMipSolverData::evaluateRootNode",
    "HighsMipSolverData::evaluateRootLp",
    "HighsPrimalHeuristics::RENS",
    "HighsPrimalHeuristics::RINS",
    "HighsSearch::evaluateNode",
    "HighsMipSolverData::performRestart",
)


def inclusive(path: Path) -> tuple[Counter[str], int]:
    """Samples per frame name, each counted once per stack it appears in."""
    counts: Counter[str] = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, n = line.rstrip().rpartition(" ")
        if not n.isdigit():
            continue
        total += int(n)
        seen = set()
        for frame in stack.split(";"):
            name = frame.split(" (")[0]
            if name not in seen:
                counts[name] += int(n)
                seen.add(name)
    return counts, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("--rate", type=float, default=25.0, help="py-spy's --rate")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    counts, total = inclusive(args.raw)
    print(f"{total} samples = {total / args.rate:.1f} s")
    print("key frames (inclusive seconds, share of the run):")
    for name in KEY_FRAMES:
        if counts[name]:
            print(f"  {counts[name] / args.rate:8.1f} s {counts[name] / total:6.1%}  {name}")
    print(f"top {args.top} frames by inclusive time:")
    for name, n in counts.most_common(args.top):
        print(f"  {n / args.rate:8.1f} s {n / total:6.1%}  {name[:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
