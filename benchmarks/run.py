"""Benchmark runner: orgplan against the plain reference formulation, size by size.

    python benchmarks/run.py --sizes S,M,L,XL --solvers highs,cbc --repeats 3 \
        --time-limit 120 --reference [--seed 1] [--wall 200] [--cbc-sizes S,M] [--profile]

Each case (size x solver x formulation) runs in a fresh subprocess, one at a time, so that
peak memory is that process's own (`ru_maxrss` from `wait4`, which counts HiGHS inside the
process and CBC in its own child) and a case that runs away is killed at `--wall` seconds.
The child logs each phase as it ends (build, each stage), so a killed case still says how
far it got. A case whose first run is shorter than `--short` seconds is repeated
`--repeats` times and reported as the median.

Measured per case: model build (orgplan's `build_model`, or the reference's), each stage's
seconds and within it the share spent handing the model from PuLP to the solver, status,
value, bound and gap of each stage, total seconds, peak memory. Size S also checks that the
two formulations reach the same optimum ("agree"/"DISAGREE") and times `orgplan plan` end to
end (scenario file in, Excel out) in a fresh process. A markdown table (for
benchmarks/README.md) is printed with the machine described, and everything is written as
JSON to benchmarks/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
STAGES = ("coverage", "quality", "cost")
# orgplan with its neighbourhood search off (SolveOptions(neighbourhood_search=False)):
# the method before solving/lns.py, run beside it with --no-lns-too
NO_LNS = "orgplan-nolns"
# orgplan without the seat-bundle bound (SolveOptions(bundle_bound=False)): the compact
# formulation alone, run beside it with --compact-too
COMPACT = "orgplan-compact"

# Targets (seconds; gap as a fraction): S of issue 6, M, L and XL of issue 17 (M "proven
# optimal, or within 0.5%").
TARGETS: dict[str, dict[str, Any]] = {
    "S": {"text": "end to end incl. Excel < 1 s", "seconds": 1.0, "gap": 0.0},
    "M": {"text": "proven optimal or within 0.5% < 30 s", "seconds": 30.0, "gap": 0.005},
    "L": {"text": "within 1% < 60 s", "seconds": 60.0, "gap": 0.01},
    "XL": {"text": "within 2% < 120 s, < 2 GB", "seconds": 120.0, "gap": 0.02, "mb": 2048},
}


# ---- the child: one case in a fresh process ----------------------------------------------


class _Events:
    """Append-only JSON lines, flushed at once, so the parent sees them even after a kill."""

    def __init__(self, path: Path) -> None:
        self.fh = path.open("a", encoding="utf-8")

    def __call__(self, event: str, **data: Any) -> None:
        self.fh.write(json.dumps({"event": event, "t": time.perf_counter(), **data}) + "\n")
        self.fh.flush()


def _instrument(events: _Events) -> dict[str, float]:
    """Time PuLP's hand-over of the model to the solver and every `lp.run` call.

    Patched on the shared adapter and on PuLP's classes, so both formulations are measured
    the same way.
    """
    import pulp

    from orgplan.solvers import lp as pulp_compat

    clock = {"transfer": 0.0, "readback": 0.0}

    def timed(cls: Any, name: str, bucket: str) -> None:
        original = getattr(cls, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                clock[bucket] += time.perf_counter() - t

        setattr(cls, name, wrapper)

    # HiGHS: PuLP's own loader (addCol/addRow one at a time), or the adapter's bulk loader
    # where it has one; then the warm start and reading the solution back.
    timed(pulp.HiGHS, "buildSolverModel", "transfer")
    for name in ("_load_highs_33", "_set_start"):
        if hasattr(pulp_compat, name):
            timed(pulp_compat, name, "transfer")
    timed(pulp.HiGHS, "findSolutionValues", "readback")
    timed(pulp.LpProblem, "writeMPS", "transfer")  # CBC: the model goes through an MPS file

    original_run = pulp_compat.run
    original_objective = pulp_compat.set_objective
    calls = {"n": 0, "stage": -1}
    spent: dict[str, float] = {}

    def set_objective(*args: Any, **kwargs: Any) -> Any:
        calls["stage"] += 1  # each stage sets its objective once, before its solver runs
        return original_objective(*args, **kwargs)

    def run(prob: Any, solver: str = "highs", *args: Any, **kwargs: Any) -> Any:
        # a stage may call the solver more than once (head start, neighbourhood search):
        # its transfer time is the sum over its calls
        clock["transfer"] = clock["readback"] = 0.0
        outcome = original_run(prob, solver, *args, **kwargs)
        i = calls["stage"]
        name = STAGES[i] if 0 <= i < len(STAGES) else f"extra{i}"
        calls["n"] += 1
        spent[name] = spent.get(name, 0.0) + clock["transfer"] + clock["readback"]
        events(
            "stage",
            name=name,
            status=None if outcome.status is None else str(outcome.status),
            value=outcome.objective,
            bound=outcome.bound,
            gap=outcome.gap,
            seconds=outcome.seconds,
            transfer=spent[name],
            readback=0.0,
        )
        return outcome

    pulp_compat.set_objective = set_objective
    pulp_compat.run = run
    return clock


def _run_orgplan(scenario: Any, case: dict[str, Any], events: _Events) -> dict[str, Any]:
    from orgplan.errors import OrgplanError
    from orgplan.solving import stages as solving

    original_build = solving.build_model
    built: dict[str, Any] = {}

    def build_model(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        model = original_build(*args, **kwargs)
        built["seconds"] = time.perf_counter() - t
        built["variables"] = len(model.prob.variables())
        built["constraints"] = len(model.prob.constraints)
        events("build", **built)
        return model

    solving.build_model = build_model
    options = solving.SolveOptions(
        solver=case["solver"],
        time_limit=case["time_limit"],
        neighbourhood_search=case["formulation"] != NO_LNS,
        bundle_bound=case["formulation"] != COMPACT,
    )
    started = time.perf_counter()
    try:
        plan = solving.solve(scenario, None, options)
    except OrgplanError as exc:
        return {"error": f"{type(exc).__name__}: {exc}", "build": built}
    total = time.perf_counter() - started
    return {
        "total": total,
        "build": built,
        "status": str(plan.solver.status),
        "gap": plan.solver.gap,
        "stages": [
            {
                "name": s.objective,
                "status": str(s.status),
                "value": s.value,
                "bound": s.bound,
                "gap": s.gap,
                "seconds": s.seconds,
                "bound_source": s.bound_source,
            }
            for s in plan.solver.stages
        ],
        "kpis": {
            "headcount": plan.kpis.headcount,
            "total_cost": plan.kpis.total_cost,
            "coverage": plan.kpis.coverage,
            "mean_fit": plan.kpis.mean_fit,
            "handoff_cost": plan.kpis.handoff_cost,
            "open_reqs": plan.kpis.open_reqs,
        },
    }


def _run_reference(scenario: Any, case: dict[str, Any], events: _Events) -> dict[str, Any]:
    import reference

    def on_stage(name: str, record: dict[str, Any]) -> None:
        if name == "build":
            events(
                "build",
                seconds=record["build_seconds"],
                variables=record["variables"],
                constraints=record["constraints"],
            )

    out = reference.solve(scenario, case["solver"], case["time_limit"], on_stage=on_stage)
    stages = out["stages"]
    ran = [s for s in stages if s["value"] is not None]
    complete = len(ran) == len(STAGES)
    gaps = [s["gap"] for s in ran]
    return {
        "total": out["seconds"],
        "build": {
            "seconds": out["build_seconds"],
            "variables": out["variables"],
            "constraints": out["constraints"],
        },
        "status": (
            "optimal"
            if complete and all(s["status"] == "optimal" for s in ran)
            else ("feasible" if ran else "no plan")
        ),
        "gap": max(gaps) if complete and None not in gaps else None,
        "stages": stages,
        "kpis": {"headcount": out.get("headcount"), "covered": out.get("covered")},
    }


def child(case: dict[str, Any], events_path: Path) -> int:
    """Run one case; everything it learns goes to `events_path` as JSON lines."""
    sys.path.insert(0, str(HERE))
    events = _Events(events_path)
    events("start", case=case)
    import generate

    t = time.perf_counter()
    scenario = generate.scenario(case["size"], case["seed"], case.get("family", "base"))
    events("generated", seconds=time.perf_counter() - t)
    _instrument(events)
    profiler = None
    if case.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    runner = _run_orgplan if case["formulation"] in ("orgplan", NO_LNS, COMPACT) else _run_reference
    result = runner(scenario, case, events)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(case["profile"])
    events("done", result=result)
    return 0


# ---- the parent: cases one at a time, in fresh processes ---------------------------------


def run_case(case: dict[str, Any], wall: float) -> dict[str, Any]:
    """Run one case in a fresh process, killed at `wall` seconds; returns what it got to."""
    with tempfile.TemporaryDirectory(prefix="orgplan-bench-") as tmp:
        events_path = Path(tmp) / "events.jsonl"
        log_path = Path(tmp) / "log.txt"
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            json.dumps(case),
            "--events",
            str(events_path),
        ]
        with log_path.open("w") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=log, start_new_session=True)
            killed = threading.Event()

            def kill() -> None:
                killed.set()
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # the child's own process group

            timer = threading.Timer(wall, kill)
            load = os.getloadavg()[0]
            started = time.perf_counter()
            timer.start()
            _pid, status, usage = os.wait4(proc.pid, 0)
            timer.cancel()
            elapsed = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
        events = []
        if events_path.exists():
            for line in events_path.read_text().splitlines():
                with contextlib.suppress(json.JSONDecodeError):
                    events.append(json.loads(line))
        log_text = log_path.read_text(errors="replace")[-2000:]
    summary = _summarise(
        case,
        events,
        elapsed,
        usage.ru_maxrss / 1024,
        killed.is_set(),
        proc.returncode,
        log_text,
        wall,
    )
    # CPU seconds of the case (its process and CBC's): close to what it would take on an
    # idle core, whereas wall-clock times suffer when other work shares the 2 cores.
    summary["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    summary["loadavg"] = [load, os.getloadavg()[0]]
    return summary


def _summarise(
    case: dict[str, Any],
    events: list[dict[str, Any]],
    wall_seconds: float,
    peak_mb: float,
    killed: bool,
    returncode: int,
    log: str,
    wall: float,
) -> dict[str, Any]:
    out: dict[str, Any] = {**case, "wall_seconds": wall_seconds, "peak_mb": peak_mb}
    build = next((e for e in events if e["event"] == "build"), None)
    stage_events = [e for e in events if e["event"] == "stage"]
    done = next((e for e in events if e["event"] == "done"), None)
    start = next((e for e in events if e["event"] == "start"), None)
    if build:
        out["build_seconds"] = build["seconds"]
        out["variables"] = build["variables"]
        out["constraints"] = build["constraints"]
    # the last event of a stage holds the transfer time of all its solver calls
    transfer = {e["name"]: e["transfer"] + e["readback"] for e in stage_events}
    if done and "error" not in done["result"]:
        res = done["result"]
        out.update(
            status=res["status"], gap=res["gap"], total_seconds=res["total"], kpis=res["kpis"]
        )
        out["stages"] = [{**s, "transfer": transfer.get(s["name"])} for s in res["stages"]]
    else:
        last = {e["name"]: e for e in stage_events}  # a stage's last solver call
        out["stages"] = [
            {k: e[k] for k in ("name", "status", "value", "bound", "gap", "seconds")}
            | {"transfer": e["transfer"] + e["readback"]}
            for e in last.values()
        ]
        reached = "nothing" if not start else "generation"
        if build:
            reached = "model built"
        if stage_events:
            reached = f"stage {stage_events[-1]['name']} done"
        if killed:
            out["status"] = f"killed at {wall:.0f} s ({reached})"
        elif done:
            out["status"] = f"error: {done['result']['error']}"
        else:
            out["status"] = f"crashed, exit {returncode} ({reached})"
            out["log"] = log
        out["gap"] = None
        out["total_seconds"] = None
    return out


def _median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median total, with every timing replaced by its median over runs."""
    if len(runs) == 1:
        return {**runs[0], "runs": 1}
    done = [r for r in runs if r.get("total_seconds") is not None] or runs
    done.sort(key=lambda r: r.get("total_seconds") or 0.0)
    rep = dict(done[len(done) // 2])

    def med(values: list[Any]) -> Any:
        vals = [v for v in values if v is not None]
        return statistics.median(vals) if vals else None

    for key in ("total_seconds", "build_seconds", "peak_mb", "wall_seconds", "cpu_seconds"):
        rep[key] = med([r.get(key) for r in done])
    stages = []
    for i, stage in enumerate(rep.get("stages", [])):
        same = [r["stages"][i] for r in done if len(r.get("stages", [])) > i]
        stages.append(
            {
                **stage,
                "seconds": med([s["seconds"] for s in same]),
                "transfer": med([s.get("transfer") for s in same]),
            }
        )
    rep["stages"] = stages
    rep["runs"] = len(done)
    rep["all_totals"] = [r.get("total_seconds") for r in runs]
    return rep


# ---- end to end: `orgplan plan` on the S scenario written to disk -------------------------


def end_to_end(seed: int, repeats: int) -> dict[str, Any]:
    """Time `orgplan plan` (scenario file in, Excel out) in a fresh process."""
    sys.path.insert(0, str(HERE))
    import generate

    has_excel = importlib.util.find_spec("orgplan.reports.excel.workbook") is not None
    script = Path(sys.executable).with_name("orgplan")
    times: list[float] = []
    note = ""
    with tempfile.TemporaryDirectory(prefix="orgplan-e2e-") as tmp:
        path = generate.write(generate.generate("S", seed), Path(tmp), "bench-S", True)
        xlsx, out_json = Path(tmp) / "plan.xlsx", Path(tmp) / "plan.json"
        if has_excel and script.exists():
            cmd = [
                str(script),
                "plan",
                str(path),
                "-o",
                str(xlsx),
                "--json",
                str(out_json),
                "--force",
            ]
            what = "orgplan plan S.yaml -o plan.xlsx --json plan.json (fresh process)"
        else:
            code = (
                "import sys; from pathlib import Path; from orgplan.jobs.plan import plan_file; "
                "plan_file(Path(sys.argv[1]), json_path=Path(sys.argv[2]), "
                "write_workbook=False, force=True)"
            )
            cmd = [sys.executable, "-c", code, str(path), str(out_json)]
            what = "load + solve + plan JSON in a fresh process (no Excel)"
            note = (
                "src/orgplan/excel.py does not exist yet: the Excel file could not be written; "
                "timed the rest of `orgplan plan` (Python start, imports, load, solve, JSON)"
            )
        for _ in range(repeats):
            t = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
            times.append(time.perf_counter() - t)
            if done.returncode != 0:
                note = (note + "; " if note else "") + (
                    f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}"
                )
                break
        wrote_excel = xlsx.exists()
    return {
        "what": what,
        "seconds": statistics.median(times),
        "all": times,
        "excel_written": wrote_excel,
        "note": note,
    }


# ---- machine, comparison, tables ---------------------------------------------------------


def machine() -> dict[str, Any]:
    import pulp

    cpu = "unknown"
    mem_gb = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    from importlib.metadata import version

    cbc = "unknown"
    with contextlib.suppress(Exception):
        path = pulp.PULP_CBC_CMD(msg=False).path
        text = subprocess.run([path, "-quit"], capture_output=True, text=True, timeout=10).stdout
        cbc = next(
            (ln.split(":", 1)[1].strip() for ln in text.splitlines() if ln.startswith("Version")),
            "unknown",
        )
    code = "unknown"
    with contextlib.suppress(Exception):
        head = subprocess.run(
            ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(HERE.parent), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.splitlines()
        code = f"{head}" + (f" + {len(dirty)} uncommitted file(s) in src/" if dirty else "")
    return {
        "code": code,
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "pulp": pulp.__version__,
        "highs": version("highspy"),
        "cbc": cbc,
        "os": platform.platform(),
        "loadavg_start": os.getloadavg(),
    }


def machine_line(m: dict[str, Any]) -> str:
    return (
        f"{m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB RAM, Python {m['python']}, "
        f"PuLP {m['pulp']}, HiGHS (highspy) {m['highs']}, CBC {m['cbc']}; "
        f"orgplan at {m.get('code', 'unknown')}; load average at start {m['loadavg_start'][0]:.2f}"
    )


def agree(a: dict[str, Any], b: dict[str, Any]) -> tuple[bool, str]:
    """Whether two optimal results reach the same value on every stage."""
    if a.get("status") != "optimal" or b.get("status") != "optimal":
        return False, f"not both optimal ({a.get('status')} / {b.get('status')})"
    diffs = []
    for sa, sb in zip(a["stages"], b["stages"], strict=False):
        va, vb = sa["value"], sb["value"]
        if va is None or vb is None or abs(va - vb) > 1e-6 * max(1.0, abs(va)):
            diffs.append(f"{sa['name']}: {va} vs {vb}")
    if len(a["stages"]) != len(b["stages"]):
        diffs.append("different stages")
    return not diffs, "; ".join(diffs) or "same value on every stage"


def speedup(org: dict[str, Any], ref: dict[str, Any]) -> str:
    """How much faster orgplan reaches its gap than the reference reaches the same gap."""
    t_org = org.get("total_seconds")
    if t_org is None:
        return "n/a (orgplan gave no plan)"
    g_org = org.get("gap")
    t_ref = ref.get("total_seconds")
    g_ref = ref.get("gap")
    if t_ref is None:  # killed or crashed: it never got there in its wall time
        return f"> {ref['wall_seconds'] / t_org:.0f}x (reference: {ref['status']})"
    if g_org is None:
        return "n/a (orgplan gap unknown)"
    if g_ref is not None and g_ref <= g_org + 1e-9:
        ratio = t_ref / t_org
        if g_ref < g_org - 1e-9:
            return f"<= {ratio:.1f}x (reference reached a smaller gap, {_pct(g_ref)})"
        if ref.get("status") == "optimal" and org.get("status") != "optimal":
            return f"{ratio:.1f}x (reference proved optimal, orgplan did not)"
        return f"{ratio:.1f}x"
    return f"> {t_ref / t_org:.1f}x (reference stopped at gap {_pct(g_ref)})"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f}%"


def _s(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _size_label(r: dict[str, Any], results: list[dict[str, Any]]) -> str:
    """`L (150x500)`, with the seed when the run has several."""
    rc = "x".join(str(v) for v in r["dims"])
    several = len({x["seed"] for x in results}) > 1
    family = r.get("family", "base")
    return (
        f"{r['size']} ({rc})"
        + (f" seed {r['seed']}" if several else "")
        + ("" if family == "base" else f" {family}")
    )


def _value(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}" if abs(v) >= 10_000 else f"{v:,.2f}"


def values_table(results: list[dict[str, Any]]) -> str:
    """Each stage's value / bound (and the team's seats), case by case."""
    rows = [
        "| size | formulation | coverage | quality | cost | seats |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        by = {s["name"]: s for s in r.get("stages", [])}
        cells = [
            f"{_value(by[n]['value'])} / {_value(by[n]['bound'])} ({_pct(by[n]['gap'])}"
            + (f", {by[n]['bound_source']})" if by[n].get("bound_source") else ")")
            if n in by
            else "—"
            for n in STAGES
        ]
        seats = (r.get("kpis") or {}).get("headcount")
        rows.append(
            f"| {_size_label(r, results)} | {r['formulation']} | {' | '.join(cells)} | "
            f"{'—' if seats is None else seats} |"
        )
    return "\n".join(rows)


def results_table(results: list[dict[str, Any]]) -> str:
    head = (
        "| size (R x C) | formulation | solver | vars / rows | build s | stage s: coverage / "
        "quality / cost (of which PuLP→solver) | total s | CPU s | status | gap | peak MB | "
        "runs | load |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    rows = [head]
    for r in results:
        stages = (
            " / ".join(f"{_s(s['seconds'])} ({_s(s.get('transfer'))})" for s in r.get("stages", []))
            or "—"
        )
        size = _size_label(r, results)
        vr = f"{r['variables']:,} / {r['constraints']:,}" if r.get("variables") is not None else "—"
        rows.append(
            f"| {size} | {r['formulation']} | {r['solver']} | {vr} | "
            f"{_s(r.get('build_seconds'))} | {stages} | {_s(r.get('total_seconds'))} | "
            f"{_s(r.get('cpu_seconds'))} | {r['status']} | {_pct(r.get('gap'))} | "
            f"{r['peak_mb']:.0f} | {r.get('runs', 1)} | {r.get('loadavg', [0])[0]:.1f} |"
        )
    return "\n".join(rows)


def _case_line(r: dict[str, Any] | None) -> str:
    """`30.2 s, feasible, gap 7.76%, 158 MB` (or `—` when the arm was not run)."""
    if r is None:
        return "—"
    return (
        f"{_s(r.get('total_seconds'))} s, {r['status']}, gap {_pct(r.get('gap'))}, "
        f"{r['peak_mb']:.0f} MB"
    )


def _distance(r: dict[str, Any], target: dict[str, Any]) -> str:
    """How far a case is from its target: the gap, the time and the memory it went over by."""
    over = []
    gap, seconds = r.get("gap"), r.get("total_seconds")
    if gap is None:
        over.append("no bound for every stage (gap unknown)")
    elif gap > target["gap"] + 1e-9:
        over.append(f"gap {_pct(gap)} against {_pct(target['gap'])}")
    if seconds is None or seconds > target["seconds"]:
        over.append(f"{_s(seconds)} s against {target['seconds']:g} s")
    if r["peak_mb"] > target.get("mb", 1e12):
        over.append(f"{r['peak_mb']:.0f} MB against {target['mb']} MB")
    return "; ".join(over) or "met"


def targets_table(results: list[dict[str, Any]], e2e: dict[str, Any] | None) -> str:
    """Each size, family and seed against its target: orgplan, the compact formulation
    (when run) and the reference of the same run, and how far orgplan is from the target."""
    rows = [
        "| size | target | orgplan (HiGHS) | met? | by how much | compact (HiGHS) "
        "| reference (HiGHS) | orgplan vs reference |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]

    def arm(size: str, family: str, seed: int, formulation: str) -> dict[str, Any] | None:
        return next(
            (
                r
                for r in results
                if (r["size"], r.get("family", "base"), r["seed"]) == (size, family, seed)
                and r["formulation"] == formulation
                and r["solver"] == "highs"
            ),
            None,
        )

    cases = sorted(
        {(r["size"], r.get("family", "base"), r["seed"]) for r in results},
        key=lambda c: (list(TARGETS).index(c[0]) if c[0] in TARGETS else 99, c[1], c[2]),
    )
    for size, family, seed in cases:
        target, org = TARGETS.get(size), arm(size, family, seed, "orgplan")
        if target is None or org is None:
            continue
        shown, distance = _case_line(org), _distance(org, target)
        if size == "S" and e2e is not None:
            shown = f"end to end {_s(e2e['seconds'])} s ({e2e['what']}); solve {shown}"
            met = e2e["seconds"] <= target["seconds"] and e2e["excel_written"]
            took = f"end to end {_s(e2e['seconds'])} s against {target['seconds']:g} s"
            distance = "met" if met else took
            if not e2e["excel_written"]:
                shown += " — no Excel file written"
        elif size == "M" and org["status"] == "optimal" and distance.startswith("gap"):
            distance = "met"  # proven optimal: the gap is the solver's tolerance
        ref = arm(size, family, seed, "reference")
        label = size + ("" if family == "base" else f" {family}") + f", seed {seed}"
        rows.append(
            f"| {label} | {target['text']} | {shown} | {'yes' if distance == 'met' else 'NO'} "
            f"| {distance} | {_case_line(arm(size, family, seed, COMPACT))} "
            f"| {_case_line(ref)} | {speedup(org, ref) if ref is not None else '—'} |"
        )
    return "\n".join(rows)


def tables_of(path: Path) -> str:
    """The markdown tables of a results JSON written by an earlier run (`--tables FILE`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    results = data["results"]
    return (
        results_table(results)
        + "\n\n"
        + values_table(results)
        + "\n\n"
        + targets_table(results, data.get("end_to_end"))
    )


def profile_summary(path: Path, limit: int = 18) -> str:
    """The heaviest functions of a cProfile dump, by own time and by cumulative time."""
    import io
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


# ---- main ---------------------------------------------------------------------------------


def _parse_limits(items: list[str]) -> dict[str, float]:
    out = {}
    for item in items:
        size, _, seconds = item.partition("=")
        out[size] = float(seconds)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="orgplan benchmarks (see benchmarks/README.md)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", default="S,M", help="comma-separated: S,M,L,XL")
    parser.add_argument("--solvers", default="highs", help="comma-separated: highs,cbc")
    parser.add_argument("--cbc-sizes", default="S,M", help="sizes on which CBC runs")
    parser.add_argument("--repeats", type=int, default=3, help="runs of a short case")
    parser.add_argument(
        "--short",
        type=float,
        default=20.0,
        help="a case is repeated when its first run took less (s)",
    )
    parser.add_argument(
        "--time-limit", type=float, default=120.0, help="solver time limit per case (s)"
    )
    parser.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="SIZE=S",
        help="a size's own time limit, e.g. --limit L=60",
    )
    parser.add_argument(
        "--wall", type=float, default=200.0, help="hard wall-clock kill per case (s)"
    )
    parser.add_argument(
        "--reference", action="store_true", help="also run the plain reference formulation"
    )
    parser.add_argument("--only-reference", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", default="1", help="a seed, or several: 1,2")
    parser.add_argument(
        "--no-lns-too",
        action="store_true",
        help="also run orgplan with its neighbourhood search off, beside each orgplan case",
    )
    parser.add_argument(
        "--compact-too",
        action="store_true",
        help="also run orgplan without the seat-bundle bound (the compact model alone)",
    )
    parser.add_argument(
        "--family", default="base", help="generated pool families: base, spread (comma-separated)"
    )
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end S timing")
    parser.add_argument(
        "--profile", action="store_true", help="also profile orgplan (HiGHS) per size with cProfile"
    )
    parser.add_argument(
        "--profile-only", action="store_true", help="only the cProfile runs (no timed cases)"
    )
    parser.add_argument("--tag", default="", help="a label for the results file name")
    parser.add_argument(
        "--tables", type=Path, help="print the tables of an earlier run's results JSON, run nothing"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--events", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(json.loads(args.child), args.events)
    if args.tables:
        print(tables_of(args.tables))
        return 0

    sys.path.insert(0, str(HERE))
    import generate
    from precompile import compile_orgplan

    compile_orgplan()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    cbc_sizes = {s.strip() for s in args.cbc_sizes.split(",")}
    limits = _parse_limits(args.limit)
    seeds = [int(v) for v in str(args.seed).split(",") if v.strip()]
    formulations = ["orgplan"]
    if args.no_lns_too:
        formulations.append(NO_LNS)
    if args.compact_too:
        formulations.append(COMPACT)
    if args.reference:
        formulations.append("reference")
    if args.only_reference:
        formulations = ["reference"]

    info = machine()
    print(f"machine: {machine_line(info)}", flush=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    notes: list[str] = []
    families = [f.strip() for f in args.family.split(",") if f.strip()]
    cases = [
        (size, seed, family)
        for family in families
        for size in ([] if args.profile_only else sizes)
        for seed in seeds
    ]
    for size, seed, family in cases:
        dims = generate.SIZES[size]
        for solver in solvers:
            if solver == "cbc" and size not in cbc_sizes:
                continue
            for form in formulations:
                case = {
                    "size": size,
                    "dims": list(dims),
                    "seed": seed,
                    "family": family,
                    "solver": solver,
                    "formulation": form,
                    "time_limit": limits.get(size, args.time_limit),
                }
                runs = [run_case(case, args.wall)]
                first = runs[0].get("total_seconds")
                if first is not None and first < args.short:
                    runs += [run_case(case, args.wall) for _ in range(args.repeats - 1)]
                rep = _median_of(runs)
                results.append(rep)
                print(
                    f"{size} seed {seed} {family} {form:15} {solver:5}: {rep['status']}, total "
                    f"{_s(rep.get('total_seconds'))} s, build {_s(rep.get('build_seconds'))} s, "
                    f"gap {_pct(rep.get('gap'))}, peak {rep['peak_mb']:.0f} MB, "
                    f"runs {rep['runs']}",
                    flush=True,
                )
        # the two formulations must reach the same optimum where both prove it
        if size == "S" and "reference" in formulations and "orgplan" in formulations:
            for solver in solvers:
                pair = [
                    r
                    for r in results
                    if r["size"] == "S"
                    and r["seed"] == seed
                    and r["solver"] == solver
                    and r["formulation"] in ("orgplan", "reference")
                ]
                if len(pair) == 2:
                    same, why = agree(pair[0], pair[1])
                    line = f"S {solver}: orgplan and reference {'agree' if same else 'DISAGREE'}"
                    print(f"{line} ({why})", flush=True)
                    notes.append(f"{line} ({why})")

    e2e = None
    if "S" in sizes and not args.no_e2e and not args.profile_only:
        e2e = end_to_end(seeds[0], args.repeats)
        print(
            f"end to end S: {e2e['seconds']:.3f} s median of {e2e['all']} — {e2e['what']}"
            + (f"; {e2e['note']}" if e2e["note"] else ""),
            flush=True,
        )

    profiles: dict[str, str] = {}
    if args.profile or args.profile_only:
        for size in sizes:
            prof = RESULTS / f"profile-{size}-{stamp}.prof"
            case = {
                "size": size,
                "dims": list(generate.SIZES[size]),
                "seed": seeds[0],
                "solver": "highs",
                "formulation": "orgplan",
                "time_limit": limits.get(size, args.time_limit),
                "profile": str(prof),
            }
            got = run_case(case, args.wall)
            if prof.exists():
                profiles[size] = profile_summary(prof)
                text_path = prof.with_suffix(".txt")
                text_path.write_text(profiles[size])
                print(f"profile {size}: {got['status']}, {text_path}", flush=True)
            else:
                print(f"profile {size}: no profile written ({got['status']})", flush=True)

    info["loadavg_end"] = os.getloadavg()
    table = results_table(results) + "\n\n" + values_table(results)
    targets = targets_table(results, e2e)
    report = (
        f"Machine: {machine_line(info)}; at end {info['loadavg_end'][0]:.2f}.\n"
        f"Seed {args.seed}; time limit {args.time_limit:g} s"
        + (f" ({', '.join(args.limit)})" if args.limit else "")
        + f"; wall-clock kill {args.wall:g} s.\n\n{table}\n\n{targets}\n"
    )
    if notes:
        report += "\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    if e2e is not None and e2e["note"]:
        report += f"- end to end S: {e2e['note']}\n"
    print("\n" + report)
    name = f"bench-{stamp}{'-' + args.tag if args.tag else ''}"
    (RESULTS / f"{name}.json").write_text(
        json.dumps(
            {
                "machine": info,
                "args": vars(args),
                "results": results,
                "end_to_end": e2e,
                "notes": notes,
                "profiles": profiles,
            },
            indent=2,
            default=str,
        )
    )
    (RESULTS / f"{name}.md").write_text(report)
    print(f"wrote {RESULTS / (name + '.json')} and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
