"""What every job refuses before solving, in this order: bad usage (an unknown solver or
structure, a time limit that is no number of seconds), then outputs that cannot be
written (`orgplan.files.check_outputs`), which include the job's own input files."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from orgplan.errors import UsageError
from orgplan.scenario.format import Scenario
from orgplan.scenario.source import did_you_mean


def check_solve_options(solver: str, time_limit: float | None) -> None:
    """Refuse an unknown solver, or a time limit that is not a finite number of seconds
    above 0, before any work (`UsageError`)."""
    from orgplan.solvers import registry

    if solver not in registry.names():
        raise UsageError(registry.unknown_solver(solver))
    if time_limit is None:
        return
    if not math.isfinite(time_limit):
        raise UsageError(f"--time-limit: must be a finite number of seconds, got {time_limit:g}")
    if time_limit <= 0:
        raise UsageError(f"--time-limit: must be > 0 seconds, got {time_limit:g}")


def check_structures(scenario: Scenario, names: Sequence[str], source: str) -> None:
    """Raise `UsageError` naming the available structures if any of `names` is unknown,
    with a "did you mean" for each name close to one of them."""
    available = list(scenario.all_structures())
    unknown = [n for n in names if n not in available]
    if unknown:
        raise UsageError(
            f"unknown structure{'s' if len(unknown) > 1 else ''} {_named(unknown, available)} "
            f"in {source}: available: {', '.join(available)}"
        )


def check_candidates(scenario: Scenario, candidates: Sequence[str]) -> None:
    """Refuse a `--candidate` that is no candidate of the scenario (`UsageError`), with a
    "did you mean" and the first few candidates."""
    known = [c.id for c in scenario.candidates]
    unknown = [c for c in candidates if c not in known]
    if unknown:
        shown = ", ".join(known[:8]) + (f" and {len(known) - 8} more" if len(known) > 8 else "")
        raise UsageError(
            f"--candidate: no candidate {_named(unknown, known)} in scenario "
            f"{scenario.name!r}; its candidates: {shown}"
        )


def _named(unknown: Sequence[str], available: Sequence[str]) -> str:
    """`'x' (did you mean 'y'?), 'z'`: unknown names, each with its near miss if any."""
    return ", ".join(f"'{n}'{did_you_mean(n, list(available))}" for n in unknown)


def input_files(path: Path, scenario: Scenario) -> list[tuple[Path, str]]:
    """The files a scenario was read from (the file and its candidates file), each with
    what it is, for `check_outputs` to refuse as an output."""
    found = [(path, "the input scenario")]
    pool = scenario.candidates_file
    name = pool if isinstance(pool, str) else getattr(pool, "path", None)
    if isinstance(name, str) and name.strip():
        found.append((path.parent / name, f"the candidates file of {path}"))
    return found
