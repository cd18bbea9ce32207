"""Envelopes: #10 for US Letter locales, DL for A4 locales, both addresses placed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from paperwork.core.schema import CaseFileSchema, load_with, read_structured_file
from paperwork.services import record
from paperwork.services.cases import new_case
from paperwork.services.demo import sample_case_path
from paperwork.services.letters import draft_letter, get_letter

DATA = Path(__file__).parent.parent / "data"
MM = 72 / 25.4


def _letter(pw, path: Path, kind: str = "complaint") -> int:
    case = load_with(CaseFileSchema(), read_structured_file(path), path.name)
    case_id = new_case(pw, case, date(2026, 11, 1), source=path.name)
    return draft_letter(pw, case_id, kind, date(2026, 11, 26)).id


@pytest.mark.parametrize(
    ("case_file", "size_pt", "recipient_left_mm"),
    [
        (sample_case_path(), (9.5 * 72, 4.125 * 72), 4.0 * 25.4),
        (DATA / "case_gb.toml", (220 * MM, 110 * MM), 110),
    ],
    ids=["us-no10", "gb-dl"],
)
def test_envelope_size_and_addresses(pw, tmp_path, case_file, size_pt, recipient_left_mm):
    import pdfplumber

    letter_id = _letter(pw, case_file)
    doc = get_letter(pw, letter_id).document
    out = record.write_envelope(pw, letter_id, tmp_path / "env.pdf")
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert page.width == pytest.approx(size_pt[0], abs=0.5)
        assert page.height == pytest.approx(size_pt[1], abs=0.5)
        lines = page.extract_text_lines()
        texts = [ln["text"] for ln in lines]
        # every recipient line, exactly as given, left-aligned in the address zone
        for line in doc.recipient_lines:
            match = next(ln for ln in lines if ln["text"] == line)
            assert match["x0"] == pytest.approx(recipient_left_mm * MM, abs=1)
        # the return address top left
        name = next(ln for ln in lines if ln["text"] == doc.sender_name)
        assert name["x0"] < page.width / 4 and name["top"] < page.height / 4
        assert all(line in texts for line in doc.sender_lines)


def test_envelope_fonts_are_embedded(pw, tmp_path):
    from pypdf import PdfReader

    out = record.write_envelope(pw, _letter(pw, DATA / "case_gb.toml"), tmp_path / "env.pdf")
    page = PdfReader(out).pages[0]
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
