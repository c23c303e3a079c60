"""The priorities of the lexicographic solve, and the rows that keep what each achieved.

Defined here, below both the heuristics and the solving stages, so that the two name the
stages and their floors alike.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """One priority of the solve, in the order they are optimised: coverage, then quality,
    then cost. The values are the names plans and progress reports show (a `Stage` compares
    equal to its value, so plain strings are accepted wherever a stage is read)."""

    COVERAGE = "coverage"
    QUALITY = "quality"
    COST = "cost"


KEEP_COVERAGE = "keep_coverage"
"""The row that holds coverage at what the coverage stage achieved (later stages keep it)."""

KEEP_QUALITY = "keep_quality"
"""The row that holds quality at what the quality stage achieved, less its tolerance."""
