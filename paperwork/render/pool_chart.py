"""The dossier's chart: a pool's letters by kind, as a reportlab drawing.

Appended as an annex page to a rendered letter: drawn on its own page of the PDF
(merged after the letter with pypdf), and as a small table with bars in the DOCX,
so both formats carry the same figures.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from paperwork.render.chronology import page_size, styles
from paperwork.render.pdf import FONT, FONT_BOLD, MM, register_fonts


def bar_chart(rows: list[tuple[str, int]], width: float):
    """A horizontal bar chart of (label, count), one bar a row, the count at its end."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    register_fonts()
    row_h, label_w = 9 * MM, width * 0.42
    height = max(1, len(rows)) * row_h + 4 * MM
    drawing = Drawing(width, height)
    top = max((n for _label, n in rows), default=1) or 1
    bar_room = width - label_w - 16 * MM
    for index, (label, count) in enumerate(rows):
        y = height - (index + 1) * row_h
        drawing.add(String(0, y + 2.5 * MM, label[:48], fontName=FONT, fontSize=9))
        bar = max(0.5 * MM, bar_room * count / top)
        drawing.add(
            Rect(
                label_w,
                y + 1 * MM,
                bar,
                row_h - 3 * MM,
                fillColor=colors.HexColor("#2f5d8a"),
                strokeColor=None,
            )
        )
        drawing.add(
            String(label_w + bar + 2 * MM, y + 2.5 * MM, str(count), fontName=FONT_BOLD, fontSize=9)
        )
    drawing.add(Line(label_w, 0, label_w, height, strokeColor=colors.grey, strokeWidth=0.5))
    return drawing


def annex_pdf(title: str, caption: str, rows: list[tuple[str, int]], paper: str) -> bytes:
    """One page: the caption, the chart's title and the chart."""
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    register_fonts()
    size = page_size(paper)
    out = io.BytesIO()
    margin = 25 * MM
    doc = SimpleDocTemplate(
        out,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=caption,
    )
    st = styles()
    doc.build(
        [
            Paragraph(escape(caption), st["title"]),
            Spacer(1, 4 * MM),
            Paragraph(escape(title), st["subtitle"]),
            Spacer(1, 6 * MM),
            bar_chart(rows, size[0] - 2 * margin),
        ]
    )
    return out.getvalue()


def pdf_with_annex(letter_pdf: bytes, annex: bytes) -> bytes:
    """The letter's pages followed by the annex page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in (letter_pdf, annex):
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_with_annex(
    letter_docx: bytes, title: str, caption: str, rows: list[tuple[str, int]]
) -> bytes:
    """The letter's DOCX with a page break, the caption and the chart as a table of bars."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    from paperwork.render.chronology import docx_bytes, set_column_widths

    document = Document(io.BytesIO(letter_docx))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph().add_run(caption).bold = True
    document.add_paragraph(title)
    table = document.add_table(rows=0, cols=3)
    top = max((n for _label, n in rows), default=1) or 1
    for label, count in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, str(count)
        cells[2].text = "\u2588" * max(1, round(30 * count / top))
    set_column_widths(table, (70, 15, 80))
    return docx_bytes(document)
