"""The chronology as a document: a dated table of everything on a case (PDF and DOCX).

Also home to the small page furniture the bundle's own pages share (paper sizes,
styles, a canvas that writes "Page N of M" once the count is known).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from paperwork.render.pdf import FONT, FONT_BOLD, MM, RULED_TABLE, escape, register_fonts
from paperwork.render.platypus import import_platypus

if TYPE_CHECKING:
    from paperwork.record.documents import ChronologyDoc

# Generated pages keep their text above this line, so the bundle's page stamp
# (drawn in the bottom 14 mm) never covers anything.
BOTTOM_MARGIN_MM = 22


def kind_label(kind: str, locale: str) -> str:
    """The "What" column of an entry (``response`` -> "Reply") in the letter language."""
    from paperwork.core.i18n import bundle_words

    return bundle_words(locale)["label"].get(kind, kind.capitalize())


def page_size(paper: str) -> tuple[float, float]:
    """Width and height in points of "letter" or "a4"."""
    from reportlab.lib.pagesizes import A4, LETTER

    return LETTER if paper == "letter" else A4


def styles():
    """Paragraph styles for the bundle's own pages."""
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    body = ParagraphStyle("b", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle(
            "t", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "s", parent=body, fontSize=9.5, textColor="#444444", spaceAfter=12
        ),
        "body": body,
        "cell": ParagraphStyle("c", parent=body, fontSize=9, leading=11.5),
        "head": ParagraphStyle("h", parent=body, fontName=FONT_BOLD, fontSize=9, leading=11.5),
        "missed": ParagraphStyle(
            "m", parent=body, fontName=FONT_BOLD, fontSize=9, leading=11.5, textColor="#a00000"
        ),
        "small": ParagraphStyle("sm", parent=body, fontSize=8, leading=10, textColor="#444444"),
    }


def numbered_canvas(page_label: str | None):
    """A canvas class that writes ``page_label`` ("Page {n} of {m}") at the foot of
    each page when saved; ``None`` leaves the foot empty (the bundle stamps it)."""
    from paperwork.render.pdf import paged_canvas

    def stamp(canvas, number: int, total: int) -> None:
        if page_label:
            width, _height = canvas._pagesize
            canvas.setFont(FONT, 8)
            canvas.setFillGray(0.35)
            canvas.drawRightString(width - 20 * MM, 10 * MM, page_label.format(n=number, m=total))

    return paged_canvas(stamp)


def build_story(
    story: list, paper: str, title: str, author: str, page_label: str | None, lang: str
) -> bytes:
    """Flow ``story`` onto pages of ``paper`` with the bundle's margins."""
    import_platypus()
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=page_size(paper),
        leftMargin=20 * MM,
        rightMargin=20 * MM,
        topMargin=18 * MM,
        bottomMargin=BOTTOM_MARGIN_MM * MM,
        title=title,
        author=author,
        creator="Paperwork",
        producer="Paperwork (reportlab)",
        invariant=1,
        initialFontName=FONT,
        initialFontSize=10,
        lang=lang.replace("_", "-"),
    )
    template.build(story, canvasmaker=numbered_canvas(page_label))
    return buffer.getvalue()


def chronology_story(doc: ChronologyDoc, width: float) -> list:
    """The chronology's flowables: a title and one table row per entry."""
    import_platypus()
    from reportlab.platypus import Paragraph, Table, TableStyle

    from paperwork.core.i18n import bundle_words, short_date

    st = styles()
    story: list = [
        Paragraph(escape(doc.title), st["title"]),
        Paragraph(escape(doc.subtitle), st["subtitle"]),
    ]
    words = bundle_words(doc.locale)
    rows = [[Paragraph(escape(h), st["head"]) for h in words["chronology_head"]]]
    for entry in doc.entries:
        rows.append(
            [
                Paragraph(escape(short_date(entry.on, doc.locale)), st["cell"]),
                Paragraph(escape(kind_label(entry.kind, doc.locale)), st["cell"]),
                Paragraph(escape(entry.text), st["missed"] if entry.missed else st["cell"]),
                Paragraph(escape(entry.ref), st["cell"]),
            ]
        )
    if len(rows) == 1:
        rows.append(
            [
                Paragraph("", st["cell"]),
                Paragraph("", st["cell"]),
                Paragraph(escape(words["nothing_recorded"]), st["cell"]),
                "",
            ]
        )
    widths = [0.13 * width, 0.12 * width, 0.60 * width, 0.15 * width]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *RULED_TABLE,
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    story.append(table)
    return story


def chronology_pdf(doc: ChronologyDoc, numbered: bool = True) -> bytes:
    """The chronology as a PDF; ``numbered`` adds its own page numbers (not inside a bundle)."""
    from paperwork.core.controls import scrub_all
    from paperwork.core.i18n import conventions

    doc = scrub_all(doc)
    width = page_size(doc.paper)[0] - 40 * MM
    label = conventions(doc.locale).get("page", "Page {n} of {m}") if numbered else None
    return build_story(chronology_story(doc, width), doc.paper, doc.title, "", label, doc.locale)


def add_chronology_to_docx(document, doc: ChronologyDoc, heading_level: int = 1) -> None:
    """Append the chronology (heading and table) to a python-docx Document."""
    from paperwork.core.controls import scrub_all
    from paperwork.core.i18n import bundle_words, short_date

    doc = scrub_all(doc)

    document.add_heading(doc.title, level=heading_level)
    document.add_paragraph(doc.subtitle)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    head = bundle_words(doc.locale)["chronology_head"]
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for entry in doc.entries:
        cells = table.add_row().cells
        values = (
            short_date(entry.on, doc.locale),
            kind_label(entry.kind, doc.locale),
            entry.text,
            entry.ref,
        )
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
        if entry.missed:
            for run in cells[2].paragraphs[0].runs:
                run.bold = True
    set_column_widths(table, (22, 20, 104, 24))


def new_docx(paper: str, title: str, author: str, lang: str):
    """An empty python-docx Document on ``paper`` with the core properties set."""
    from docx import Document
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    if paper == "letter":
        section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Liberation Sans", Pt(10)
    normal.paragraph_format.space_after = Pt(2)
    core = document.core_properties
    # Word's document properties hold at most 255 characters
    core.title, core.author, core.language = title[:255], author[:255], lang.replace("_", "-")
    return document


def set_column_widths(table, widths_mm: tuple[float, ...]) -> None:
    """Fix a python-docx table's column widths (Word reads the cells' widths)."""
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def chronology_docx(doc: ChronologyDoc) -> bytes:
    """The chronology as an editable DOCX."""
    document = new_docx(doc.paper, doc.title, "", doc.locale)
    add_chronology_to_docx(document, doc)
    return docx_bytes(document)
