"""Letters read back from the PDF and DOCX: positions, fonts, pages, scripts."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from clikit import libreoffice_pdf

from paperwork.core.layouts import LAYOUTS
from paperwork.render import layout_named, render_letter
from paperwork.services.cases import new_case
from paperwork.services.letters import draft_letter, layout_for, render_bytes

PT_PER_MM = 72 / 25.4
PT_PER_IN = 72.0


def _draft(pw, case_file: Path, **kwargs):
    from paperwork.core.schema import load_case_file

    case_id = new_case(pw, load_case_file(case_file), date(2026, 11, 26))
    return draft_letter(pw, case_id, "complaint", date(2026, 11, 26), **kwargs)


def _pdf_words(data: bytes, page: int = 0):
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return pdf.pages[page].extract_words(extra_attrs=["fontname", "size"]), len(pdf.pages)


def _recipient_words(words, first_line_text: str):
    first = next(w for w in words if w["text"] == first_line_text.split()[0])
    return first


@pytest.mark.parametrize("case_name", ["us", "gb"])
def test_recipient_block_sits_in_the_envelope_window(pw, case_name, us_case_file, gb_case_file):
    letter = _draft(pw, us_case_file if case_name == "us" else gb_case_file)
    layout = layout_for(pw, letter)
    words, _ = _pdf_words(render_bytes(pw, letter, "pdf"))
    lines = letter.document.recipient_lines
    tops = []
    for line in lines:
        first_word = line.split()[0]
        candidates = [
            w
            for w in words
            if w["text"] == first_word and abs(w["x0"] - layout.recipient_left * PT_PER_MM) < 1
        ]
        assert candidates, line
        tops.append(
            min(c["top"] for c in candidates if c["top"] >= layout.recipient_top * PT_PER_MM - 1)
        )
    block_top, block_bottom = tops[0], max(tops) + 10
    if case_name == "us":
        assert layout.paper == "letter"
        # starts 2.25 in from the top, 1.0 in from the left, at most 5 lines in the 1.125 in window
        assert block_top == pytest.approx(2.25 * PT_PER_IN, abs=1)
        assert block_bottom <= (2.25 + 1.125) * PT_PER_IN
        window_left, window_right = 0.875 * PT_PER_IN, (0.875 + 4.5) * PT_PER_IN
    else:
        assert layout.paper == "a4"
        assert block_top == pytest.approx(62.7 * PT_PER_MM, abs=1)
        # the 27.3 mm recipient zone below the 17.7 mm note zone of the 45 mm field
        assert block_bottom <= (45 + 45) * PT_PER_MM
        window_left, window_right = 20 * PT_PER_MM, (20 + 90) * PT_PER_MM
    for w in words:
        if block_top - 1 <= w["top"] <= block_bottom and w["x0"] < window_right:
            assert window_left <= w["x0"] and w["x1"] <= window_right, w


def test_a4_has_fold_and_punch_marks_and_din_return_line(pw, gb_case_file):
    import io

    import pdfplumber

    letter = _draft(pw, gb_case_file)
    with pdfplumber.open(io.BytesIO(render_bytes(pw, letter, "pdf"))) as pdf:
        page = pdf.pages[0]
        marks = sorted(
            round(line["top"] / PT_PER_MM, 1) for line in page.lines if line["x0"] < 12 * PT_PER_MM
        )
        text = page.extract_text()
    assert marks == [105.0, 148.5, 210.0]
    assert "Royal Mail Signed For" in text


def test_every_font_is_embedded_and_no_helvetica(pw, us_case_file):
    import io

    from pypdf import PdfReader

    letter = _draft(pw, us_case_file)
    reader = PdfReader(io.BytesIO(render_bytes(pw, letter, "pdf")))
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            seen.add(font["/BaseFont"])
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:  # Type0 composite fonts keep it on the descendant
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile2", "/FontFile", "/FontFile3")), font[
                "/BaseFont"
            ]
    assert seen and not any("Helvetica" in name for name in seen)


def test_pdf_is_byte_stable(pw, us_case_file):
    letter = _draft(pw, us_case_file)
    assert render_bytes(pw, letter, "pdf") == render_bytes(pw, letter, "pdf")


@pytest.mark.skipif(
    shutil.which("qpdf") is None, reason="qpdf is installed by tools/system-deps.sh"
)
def test_qpdf_check_passes(pw, us_case_file, tmp_path):
    letter = _draft(pw, us_case_file)
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render_bytes(pw, letter, "pdf"))
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
def test_long_letter_continues_with_header_and_page_numbers(pw, us_case_file, layout_name):
    import io

    from pypdf import PdfReader

    letter = _draft(pw, us_case_file)
    long_doc = replace(
        letter.document,
        paragraphs=letter.document.paragraphs
        + [f"Paragraph {i}: " + "word " * 60 for i in range(25)],
    )
    data = render_letter(long_doc, layout_named(layout_name), "pdf")
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {total}" in text
        if number > 1:
            assert "Acme Broadband, Inc." in text.splitlines()[0] or "Acme Broadband, Inc." in text
    assert "Paragraph 24:" in pages[-1].extract_text() or "Paragraph 24:" in "".join(
        p.extract_text() for p in pages
    )


def test_pdf_and_docx_carry_the_same_text(pw, gb_case_file):
    import io

    import docx
    from pypdf import PdfReader

    letter = _draft(pw, gb_case_file)
    pdf_text = " ".join(
        " ".join(
            p.extract_text() for p in PdfReader(io.BytesIO(render_bytes(pw, letter, "pdf"))).pages
        ).split()
    )
    document = docx.Document(io.BytesIO(render_bytes(pw, letter, "docx")))
    docx_parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for cell in table.rows[0].cells:
            docx_parts += [p.text for p in cell.paragraphs]
    docx_text = " ".join(" ".join(docx_parts).split())
    doc = letter.document
    for piece in [
        doc.subject,
        doc.salutation,
        doc.closing,
        doc.signature,
        *doc.recipient_lines,
        doc.place_date,
    ]:
        assert " ".join(piece.split()) in pdf_text and " ".join(piece.split()) in docx_text, piece
    for paragraph in doc.paragraphs:
        body = " ".join((paragraph[2:] if paragraph.startswith("- ") else paragraph).split())
        assert body in pdf_text, body
        assert body in docx_text, body
    assert "{{" not in docx_text and "{%" not in docx_text


def test_greek_cyrillic_and_polish_names_survive_both_formats(pw, us_case_file, tmp_path):
    import io
    import json

    import docx
    from pypdf import PdfReader

    name = "Кирилл Иванов-Ωμέγα Łukasz Dvořák"
    data = json.loads(us_case_file.read_text())
    data["sender"]["name"] = name
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    letter = _draft(pw, path)
    pdf_text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_bytes(pw, letter, "pdf"))).pages
    )
    assert name in pdf_text
    document = docx.Document(io.BytesIO(render_bytes(pw, letter, "docx")))
    texts = [p.text for p in document.paragraphs] + [
        p.text for t in document.tables for c in t.rows[0].cells for p in c.paragraphs
    ]
    assert any(name in t for t in texts)


def test_unprintable_script_is_refused_with_the_field(pw, us_case_file, tmp_path):
    import json

    from paperwork.core.errors import UserError

    data = json.loads(us_case_file.read_text())
    data["sender"]["name"] = "محمد"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(UserError) as err:
        _draft(pw, path)
    assert "sender.name" in str(err.value) and "U+0645" in str(err.value)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is installed by tools/system-deps.sh"
)
def test_docx_converts_cleanly_with_libreoffice(pw, gb_case_file, us_case_file, tmp_path):
    from pypdf import PdfReader

    for case_file in (gb_case_file, us_case_file):
        letter = _draft(pw, case_file)
        source = tmp_path / f"letter-{letter.id}.docx"
        source.write_bytes(render_bytes(pw, letter, "docx"))
        converted = libreoffice_pdf(source, tmp_path)
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(converted).pages).split())
        assert letter.document.signature in text
        assert letter.document.reply_by in text
        assert "{{" not in text
        # the DOCX puts the recipient in the same envelope window as the PDF
        import pdfplumber

        layout = layout_for(pw, letter)
        with pdfplumber.open(converted) as pdf:
            words = pdf.pages[0].extract_words()
        company = letter.document.recipient_lines[0].split()[0]
        top = min(w["top"] for w in words if w["text"] == company and w["top"] > 100)
        last = letter.document.recipient_lines[-1].split()[0]
        bottom = max(w["bottom"] for w in words if w["text"] == last and w["top"] < 300)
        if layout.paper == "a4":
            assert top >= 62.7 * PT_PER_MM - 4 and bottom <= 90 * PT_PER_MM
        else:
            assert top >= 2.25 * PT_PER_IN - 4 and bottom <= 3.375 * PT_PER_IN


@pytest.mark.parametrize("name", ["de_price_rise", "es_price_rise"])
def test_a_regulator_name_wider_than_the_window_is_wrapped_inside_it(pw, name):
    """The directory's full name of the body (Bundesnetzagentur – Schlichtungsstelle
    Telekommunikation; Oficina de Atención al Usuario de Telecomunicaciones) is
    wider than the 85 mm window: it is broken into lines, each printed inside it."""
    from paperwork.core.catalog import find_authority
    from paperwork.render.pdf import address_width
    from paperwork.services.samples import draft_sample_kind, load_sample

    letter = draft_sample_kind(pw, load_sample(pw, name), "regulator_complaint", notes=[])
    doc = letter.document
    case = pw.store.case(letter.case_id)
    full = find_authority(case.jurisdiction, case.category).name(doc.locale)
    layout = layout_for(pw, letter)
    window = layout.recipient_width * PT_PER_MM
    assert address_width(full) > window
    assert " ".join(doc.recipient_lines).replace(" – ", " ").startswith(full.replace(" – ", " "))
    assert all(address_width(line) <= window for line in doc.recipient_lines)
    words, _ = _pdf_words(render_bytes(pw, letter, "pdf"))
    top = layout.recipient_top * PT_PER_MM
    block = [w for w in words if top - 1 <= w["top"] <= top + 12 * len(doc.recipient_lines)]
    printed = " ".join(w["text"] for w in block if w["x0"] >= layout.recipient_left * PT_PER_MM - 1)
    for line in doc.recipient_lines:
        assert line.split()[0] in printed
    left = layout.recipient_left * PT_PER_MM
    inside = [w for w in block if left - 1 <= w["x0"] < left + window]
    assert inside and all(w["x1"] <= left + window + 1 for w in inside)
