"""The decisions a job plans under: the scenario's own, then those of decision files (YAML,
or a reviewed plan workbook's Decision cells) and of the command line's flags, laid over
them in that order and checked together (`orgplan plan`, `orgplan explain`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orgplan.analysis.development import (
    NO_NOTES,
    DevelopmentNote,
    DevelopmentNotes,
    frozen_notes,
)
from orgplan.errors import ScenarioError
from orgplan.scenario import decisions as decided
from orgplan.scenario.decisions import Sourced
from orgplan.scenario.format import Scenario
from orgplan.scenario.loading import Loaded, read_decisions


@dataclass(frozen=True)
class Decided:
    """A scenario with the decisions of the command line laid over its own: the plan they
    were made on (a reviewed workbook's, the last given), the files read, and the notes of
    the reviewed workbooks' Development sheets (a later workbook's over an earlier's; for
    the next workbook only, never for solving)."""

    scenario: Scenario
    before: dict[str, Any] | None
    inputs: list[tuple[Path, str]]
    before_from: str | None = None
    notes: DevelopmentNotes = field(default_factory=lambda: NO_NOTES)
    notes_from: str | None = None  # the workbooks the notes were read from, in words


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def with_decisions(
    path: Path,
    loaded: Loaded,
    files: Sequence[Path] = (),
    place: Sequence[str] = (),
    exclude: Sequence[str] = (),
    assign: Sequence[str] = (),
) -> Decided:
    """The scenario of `loaded` under its own decisions and those of `files` (YAML, or a
    reviewed plan workbook) and of the flags, in that order; raises `ScenarioError` for
    a file or flag that is malformed, for decisions that contradict each other (both
    named) and for decisions that contradict the scenario."""
    scenario = loaded.scenario
    extras: list[Sourced] = []
    before = before_from = None
    inputs = []
    notes: dict[tuple[str, str], DevelopmentNote] = {}
    noted: list[str] = []
    for file in files:
        inputs.append((file, "a decisions file"))
        if file.suffix.lower() in WORKBOOK_SUFFIXES:
            from orgplan.reports.excel.review import read_review

            review = read_review(file, scenario, str(path))
            extras.append(review.decisions)
            before, before_from = review.plan, f"the plan of {file}"
            notes.update(review.notes)
            noted += [str(file)] if review.notes else []
        else:
            extras.append(read_decisions(file))
    flags, problems = decided.from_flags(place, exclude, assign)
    extras.append(flags)
    merged, clashes = decided.merge(loaded.decisions, extras)
    problems += clashes
    if not problems:
        problems = decided.check(scenario, merged)
    if problems:
        raise ScenarioError(problems)
    scenario = scenario.model_copy(update={"decisions": merged.decisions})
    notes_from = ", ".join(noted) or None
    return Decided(scenario, before, inputs, before_from, frozen_notes(notes), notes_from)
