"""Small generated pools (25 x 20): the search over seat counts beside HiGHS alone.

Issue 17, point 2: "small models prove in well under a second". Each case is solved to
the end (no time limit) with `SolveOptions(seat_counts=True)` (the default) and with
`seat_counts=False` (HiGHS's branch and bound alone), the two arms alternating, in this
one process, after one warm-up solve. Printed as a Markdown table: per case the median
seconds of each arm, their ratio, each stage's median seconds and bound source, and
whether the two arms' stage values agree.

    python benchmarks/small.py                      # seeds 1-3, base and spread, 3 runs
    python benchmarks/small.py --seeds 1,2 --repeats 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from orgplan.solving.options import SolveOptions  # noqa: E402
from orgplan.solving.stages import solve  # noqa: E402


def _run(scenario: Any, counts: bool) -> tuple[float, Any]:
    """One solve to the end; its seconds and plan."""
    began = time.perf_counter()
    plan = solve(scenario, None, SolveOptions(explain=False, seat_counts=counts))
    return time.perf_counter() - began, plan


def _stages(plans: list[Any]) -> str:
    """Each stage's median seconds and bound source."""
    parts = []
    for i, stage in enumerate(plans[0].solver.stages):
        median = statistics.median(p.solver.stages[i].seconds for p in plans)
        parts.append(f"{stage.objective} {median:.2f} s ({stage.bound_source})")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3", help="generator seeds, comma-separated")
    parser.add_argument("--families", default="base,spread", help="pool families")
    parser.add_argument("--repeats", type=int, default=3, help="runs per arm and case")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    families = args.families.split(",")
    _run(generate.scenario((25, 20), seeds[0], families[0]), True)  # warm-up (imports)
    print(
        "| case | seat counts: median s | HiGHS alone: median s | ratio "
        "| stages (seat counts) | stages (HiGHS alone) | same values |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for family in families:
        for seed in seeds:
            scenario = generate.scenario((25, 20), seed, family)
            runs: dict[bool, list[tuple[float, Any]]] = {True: [], False: []}
            for _ in range(args.repeats):
                for counts in (True, False):
                    runs[counts].append(_run(scenario, counts))
            with_s = [s for s, _p in runs[True]]
            alone_s = [s for s, _p in runs[False]]
            same = all(
                abs(a.value - b.value) <= 1e-7 * max(1.0, abs(b.value))
                for (_s1, p), (_s2, q) in zip(runs[True], runs[False], strict=True)
                for a, b in zip(p.solver.stages, q.solver.stages, strict=True)
            )
            mine, theirs = statistics.median(with_s), statistics.median(alone_s)
            print(
                f"| 25 x 20 {family}, seed {seed} | {mine:.2f} | {theirs:.2f} | "
                f"{theirs / mine:.1f}x | {_stages([p for _s, p in runs[True]])} | "
                f"{_stages([p for _s, p in runs[False]])} | {'yes' if same else 'NO'} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
