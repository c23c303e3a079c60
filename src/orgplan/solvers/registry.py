"""The solver backends: one module each in `orgplan.solvers.backends`, found by name.

A backend module defines `BACKEND`, a `Backend`: its name (as `--solver` takes it), its
label (as the plan JSON shows it), a note for `--help`, the settings orgplan gives it, how
it runs a problem, and whether it can run here. Adding a solver is adding one module
(CONTRIBUTING.md, "Adding a solver backend"). Backend modules import their solver only
when they run, so listing them (for `--help`) stays light.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from orgplan.errors import SolverUnavailable

if TYPE_CHECKING:
    from orgplan.solvers.outcome import Progress, Resolve, SolveOutcome

DEFAULT = "highs"


@dataclass(frozen=True)
class Backend:
    """One solver orgplan can run."""

    name: str  # as `--solver` takes it
    label: str  # as the plan JSON and the summary show it
    note: str  # a few words for `--help` ("default, in-process"), or nothing
    order: int  # where it stands in lists (the default first)
    settings: Mapping[str, Any]  # what orgplan asks of the solver on every run
    run: Callable[
        [Any, float | None, dict[str, float] | None, Progress | None], SolveOutcome
    ]  # (problem, time limit, warm start, progress) -> outcome
    available: Callable[[], str | None]  # None when it can run here, else why not
    # A problem loaded once and solved again and again with some variables fixed (the
    # neighbourhood search, the seat counts): (problem, as its linear relaxation) ->
    # Resolve. None: each solve goes through `run`.
    resolver: Callable[[Any, bool], Resolve] | None = None


@cache
def backends() -> tuple[Backend, ...]:
    """Every backend of `orgplan.solvers.backends`, in order (the default first)."""
    from orgplan.solvers import backends as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        backend = getattr(module, "BACKEND", None)
        if isinstance(backend, Backend):
            found.append(backend)
    return tuple(sorted(found, key=lambda b: (b.order, b.name)))


def names() -> tuple[str, ...]:
    """The names `--solver` accepts."""
    return tuple(b.name for b in backends())


def unknown_solver(name: str) -> str:
    """The message for a solver name no backend has, with a "did you mean" when one is
    close."""
    from orgplan.scenario.source import did_you_mean

    known = names()
    hint = did_you_mean(name.lower(), known)  # `HiGHS`, `CBC`: the labels' spelling
    return f"unknown solver '{name}': expected one of {', '.join(known)}{hint}"


def backend(name: str) -> Backend:
    """The backend called `name`; `SolverUnavailable` when there is none."""
    for found in backends():
        if found.name == name:
            return found
    raise SolverUnavailable(unknown_solver(name))


def label(name: str) -> str:
    """The solver's name as the plan JSON shows it (an unknown name as it is)."""
    return next((b.label for b in backends() if b.name == name), name)


def help_text() -> str:
    """`highs (default, in-process) or cbc.`: the backends for `--solver --help`."""
    shown = [f"{b.name} ({b.note})" if b.note else b.name for b in backends()]
    listed = ", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else "".join(shown)
    return f"{listed}."
