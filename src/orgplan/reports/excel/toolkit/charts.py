"""What every chart in the workbooks needs beyond openpyxl's defaults."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def show_axes(*axes: Any) -> None:
    """Draw the labels of `axes`: openpyxl 3.1 marks axes deleted, and Excel then draws none."""
    for axis in axes:
        axis.delete = False


def circle_markers(series: Iterable[Any]) -> None:
    """Each series as straight lines between circle markers."""
    for line in series:
        line.marker.symbol = "circle"
        line.smooth = False
