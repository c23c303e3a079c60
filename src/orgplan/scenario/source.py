"""Where a value of a scenario file sits, and how a problem there is reported.

`SourceMap` maps a value's path in the parsed file to its line, so that every problem
reads `FILE:LINE: path: message`; `did_you_mean` adds the hint for a misspelt name.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from orgplan.errors import Problem

Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """`('responsibilities', 3, 'hours')` -> `responsibilities[3].hours`."""
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def did_you_mean(word: str, choices: Any) -> str:
    """A ` (did you mean 'x'?)` hint, or nothing when no choice is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass
class SourceMap:
    """Where each value of a loaded file sits: a path -> line map, plus the file's name."""

    file: str
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """The line of the longest prefix of `loc` that the file has."""
        for end in range(len(loc), -1, -1):
            found = self.lines.get(tuple(loc[:end]))
            if found is not None:
                return found
        return 1

    def problem(self, loc: Loc, message: str) -> Problem:
        """A problem at `loc`."""
        return Problem(self.file, self.line(loc), format_loc(loc), message)


@dataclass
class RowSourceMap(SourceMap):
    """A candidates table: a location `(row, column, ...)` is shown by its column alone,
    since the line of the problem already names the row; a column by the file's header
    when that differs from the field (`FTE` for `availability`)."""

    headers: dict[str, str] = field(default_factory=dict)

    def problem(self, loc: Loc, message: str) -> Problem:
        """A problem at `loc`, shown as `FILE:ROW: column: message`."""
        rest = loc[1:]
        if rest[:1] == ("skills",) and len(rest) > 1:
            rest = rest[1:]  # skill levels are columns of their own in the table
        if rest and isinstance(rest[0], str) and rest[0] in self.headers:
            rest = (self.headers[rest[0]], *rest[1:])
        return Problem(self.file, self.line(loc), format_loc(rest) or "row", message)
