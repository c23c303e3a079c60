"""One formatter each for the quantities people read: money, hours, percentages, numbers.

Every report (terminal, workbook, explanations) formats through these, so that a figure
reads the same wherever it is shown; `number` is the one for JSON documents.
"""

from __future__ import annotations

from typing import overload


def money(value: float, currency: str | None = None, *, signed: bool = False) -> str:
    """`135000, 'USD'` -> `135,000 USD` (whole units, thousands separated); with no
    currency the figure alone (`135,000`, in a column whose heading names it).
    `signed`: a change, with its sign (`+15,000 USD`, `-80,000 USD`)."""
    figure = f"{value:+,.0f}" if signed else f"{value:,.0f}"
    return figure if currency is None else f"{figure} {currency}"


def hours(value: float, unit: str = "h", *, tenths: bool = False) -> str:
    """`8` -> `8 h` and `12.5, 'h/week'` -> `12.5 h/week` (the hours as written).

    `tenths`: rounded to a tenth, thousands separated and a whole number shown whole
    (`1234.56` -> `1,234.6 h`, `8.0` -> `8 h`), for figures computed rather than given.
    """
    if not tenths:
        return f"{value:g} {unit}"
    figure = f"{value:,.1f}"
    return f"{figure.removesuffix('.0')} {unit}"


def figure(value: float) -> str:
    """A plain figure as people write it: `3`, `3.5`, `300000` (levels, counts, limits)."""
    return f"{value:g}"


def percent(share: float, digits: int = 0, *, signed: bool = False) -> str:
    """`0.953` -> `95%` (a share of 1 as a percentage); `signed`: a change, `-1.1%`."""
    return f"{share:+.{digits}%}" if signed else f"{share:.{digits}%}"


@overload
def number(value: float, digits: int = 6, *, whole_first: bool = False) -> float | int: ...
@overload
def number(value: None, digits: int = 6, *, whole_first: bool = False) -> None: ...
def number(
    value: float | None, digits: int = 6, *, whole_first: bool = False
) -> float | int | None:
    """A number for a JSON document: rounded to `digits` decimals, and whole numbers as ints
    so that the JSON reads as the user wrote it (`8.0` -> `8`); None stays None.

    `whole_first`: only a number whole before rounding becomes an int (`7.9999999` stays
    `8.0`), the sweep points' way.
    """
    if value is None:
        return None
    if whole_first:
        return int(value) if float(value).is_integer() else round(value, digits)
    rounded = round(value, digits)
    return int(rounded) if float(rounded).is_integer() else rounded


def counted(count: float, one: str, many: str | None = None) -> str:
    """`1, 'seat'` -> `1 seat`, `3, 'seat'` -> `3 seats`, `1.5, 'level'` -> `1.5 levels`
    (`many`: the plural when it is not `one` + s: `2, 'person', 'people'` -> `2 people`)."""
    figure = str(count) if isinstance(count, int) else f"{count:g}"
    return f"{figure} {one if count == 1 else (many or one + 's')}"


# Letters whose name starts with a vowel sound, for an initialism (`an SRE`, `an MBA`).
_VOWEL_NAMED = frozenset("AEFHILMNORSX")
_A_BEFORE = ("uni", "use", "usu", "uti", "eu", "one", "once")  # `a user`, `a one-off`
_AN_BEFORE = ("hour", "honest", "honor", "honour", "heir")  # `an hour`


def article(word: str) -> str:
    """`a` or `an` before `word`: `an Analyst`, `a PM`, `an SRE`, `a user`, `an hour`."""
    if not word:
        return "a"
    letters = word.split()[0].strip("'\"(`")
    if letters.isupper() and len(letters) <= 4:  # an initialism, read letter by letter
        return "an" if letters[0] in _VOWEL_NAMED else "a"
    lower = letters.lower()
    if lower.startswith(_AN_BEFORE):
        return "an"
    if lower.startswith(_A_BEFORE):
        return "a"
    return "an" if lower[:1] in ("a", "e", "i", "o", "u") else "a"


NO_STRUCTURE = "all roles"
"""The structure name of a plan solved under no structure (`Plan.structure`)."""


def structure_phrase(structure: str | None) -> str:
    """`structure pm_pmm`, or `all roles, no structure` for a plan under none."""
    if structure is None or structure == NO_STRUCTURE:
        return f"{NO_STRUCTURE}, no structure"
    return f"structure {structure}"
