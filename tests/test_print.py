"""The staffing workbook on paper: each example's Summary, rendered by LibreOffice, is one
page (slow: it solves the examples and runs `soffice`)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from orgplan.reports.excel.workbook import write_plan_workbook
from orgplan.scenario.loading import load_scenario
from orgplan.solving.options import SolveOptions
from orgplan.solving.stages import solve

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def pdf_pages(pdf: Path) -> int:
    """The number of pages of a PDF (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


def render(books: list[Path], out: Path, profile: Path) -> None:
    """Every workbook to PDF in `out`, with a private LibreOffice profile."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, books),
        ],
        capture_output=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_each_example_summary_prints_on_one_page(tmp_path: Path, enterprise_workbook: Path) -> None:
    from openpyxl import load_workbook

    books = []
    for name in ("startup", "saas", "enterprise"):
        if name == "enterprise":  # solved once for the session, stopped at 15 s
            book = enterprise_workbook
        else:
            scenario = load_scenario(SCENARIOS / f"{name}.yaml")
            plan = solve(scenario, None, SolveOptions())
            book = write_plan_workbook(plan, scenario, tmp_path / f"{name}.xlsx")
        wb = load_workbook(book)
        for ws in wb.worksheets:  # LibreOffice prints no hidden sheet: the Summary alone
            if ws.title != "Summary":
                ws.sheet_state = "hidden"
        wb.save(tmp_path / f"{name}-summary.xlsx")
        books += [book, tmp_path / f"{name}-summary.xlsx"]
    render(books, tmp_path / "pdf", tmp_path / "profile")
    for name in ("startup", "saas", "enterprise"):
        # soffice exits 0 even when it fails to convert: the PDFs are the evidence
        whole, summary = (tmp_path / "pdf" / f"{name}{s}.pdf" for s in ("", "-summary"))
        assert whole.is_file() and summary.is_file(), name
        assert pdf_pages(summary) == 1, name
        assert pdf_pages(whole) > 10, name  # every sheet printed, the brief first
