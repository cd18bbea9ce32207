"""Helpers shared by the command-line tests (a module of its own: several folders
have a conftest.py, so ``from conftest import`` would depend on import order)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"


def last_line(text: str) -> str:
    """The last non-empty line of a command's output: where created ids are printed."""
    return text.strip().splitlines()[-1]


def blank_pdf(path: Path, pages: int = 1) -> Path:
    """A small valid PDF of blank pages (evidence for the tests)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def libreoffice_pdf(source: Path, work: Path) -> Path:
    """Convert ``source`` (a DOCX) to PDF with LibreOffice headless, in a private
    profile under ``work``; returns the PDF's path (asserts the conversion ran)."""
    import subprocess

    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{work / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return work / (source.stem + ".pdf")
