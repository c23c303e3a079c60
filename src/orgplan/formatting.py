"""One formatter each for the quantities people read: money, hours, percentages, numbers.

Every report (terminal, workbook, explanations) formats through these, so that a figure
reads the same wherever it is shown.
"""

from __future__ import annotations


def money(value: float, currency: str) -> str:
    """`135000, 'USD'` -> `135,000 USD` (whole units, thousands separated)."""
    return f"{value:,.0f} {currency}"


def percent(share: float, digits: int = 0) -> str:
    """`0.953` -> `95%` (a share of 1 as a percentage)."""
    return f"{share:.{digits}%}"
