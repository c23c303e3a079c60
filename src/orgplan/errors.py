"""The exceptions orgplan raises; the CLI maps each to an exit status."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class OrgplanError(Exception):
    """Base class of every error orgplan raises on purpose."""

    exit_code = 2


class ScenarioError(OrgplanError):
    """A scenario file breaks the format; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.path, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(OrgplanError):
    """The command was asked for something it cannot do (bad option, unknown structure)."""


class OutputExists(OrgplanError):
    """An output file exists and --force was not given."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: already exists; pass --force to overwrite it")


class WriteFailed(UsageError, OSError):
    """The system failed to write an output (a full disk, an I/O error); exit status 2.

    An `OSError` too (with the failure's `errno`), for callers that catch those."""

    def __init__(self, message: str, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno


class SolverUnavailable(OrgplanError):
    """The requested solver is not installed with this PuLP."""


class Infeasible(OrgplanError):
    """The scenario is valid but its hard limits cannot all be met; carries the reasons."""

    exit_code = 1

    def __init__(self, reasons: list[str], plan: object | None = None) -> None:
        self.reasons = reasons
        self.plan = plan
        super().__init__("\n".join(reasons))


class SolverFailed(OrgplanError):
    """The solver stopped without a plan and without proving infeasibility (e.g. time limit)."""

    exit_code = 1
