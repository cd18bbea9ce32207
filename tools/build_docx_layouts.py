"""Build the DOCX layout documents in letter_templates/layouts/ (one per page layout).

Run ``python tools/build_docx_layouts.py`` after changing a layout; the results are
committed so that installing Paperwork needs no build step. Each document is a
docxtpl template: its Jinja tags are filled by paperwork.render.docx.

The first page is built from tables with rows of exact height, so the recipient
lines land in the envelope window the same way they do in the PDF.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from paperwork.core.layouts import LAYOUTS, Layout  # noqa: E402

FONT = "Liberation Sans"


def _line(paragraph, height_pt: float | None = None, before: float = 0, after: float = 0):
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if height_pt is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(height_pt)
    return paragraph


def _run(paragraph, text: str, size: float = 10.5, bold: bool = False, grey: bool = False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    if grey:
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    return run


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _cell_margins_zero(table) -> None:
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


def _table(doc, widths_mm: list[float], height_mm: float):
    table = doc.add_table(rows=1, cols=len(widths_mm))
    _no_borders(table)
    _cell_margins_zero(table)
    table.autofit = False
    row = table.rows[0]
    row.height = Mm(height_mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
    for column, cell, width in zip(table.columns, row.cells, widths_mm, strict=True):
        column.width = Mm(width)  # the grid LibreOffice and Word lay out from
        cell.width = Mm(width)
    return row.cells


def _loop(container, tag: str):
    return _line(container.add_paragraph(tag), 1)


def _recipient(cell, first: bool = True) -> None:
    para = cell.paragraphs[0] if first else cell.add_paragraph()
    _line(para, 12)
    para.add_run("{%p for line in recipient_lines %}")
    _run(_line(cell.add_paragraph(), 12), "{{ line }}", 10)
    _line(cell.add_paragraph("{%p endfor %}"), 1)


def build(layout: Layout) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width = Mm(layout.width)
    section.page_height = Mm(layout.height)
    section.left_margin = Mm(layout.margin_left)
    section.right_margin = Mm(layout.margin_right)
    section.bottom_margin = Mm(layout.margin_bottom)
    section.header_distance = Mm(8)
    section.footer_distance = Mm(8)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(0)
    text_width = layout.width - layout.margin_left - layout.margin_right

    # Page top: the sender (letterhead band or top-left corner block).
    section.top_margin = Mm(layout.sender_top)
    cells = _table(
        doc,
        [text_width],
        layout.recipient_top - layout.sender_top - (17.7 if layout.return_line_top else 0),
    )
    top = cells[0]
    _run(
        _line(top.paragraphs[0], 16),
        "{{ sender_name }}",
        14 if layout.sender_style == "letterhead" else 10,
        bold=True,
    )
    if layout.sender_style == "letterhead":
        _run(_line(top.add_paragraph(), 12), "{{ sender_lines | join(' · ') }}", 8.5)
        _run(_line(top.add_paragraph(), 12), "{{ sender_contact | join(' · ') }}", 8.5)
    else:
        _loop(top, "{%p for line in sender_lines + sender_contact %}")
        _run(_line(top.add_paragraph(), 12), "{{ line }}", 9.5)
        _loop(top, "{%p endfor %}")

    if layout.name.startswith("din"):
        # Address field 85 x 45 mm (return line and delivery note, then the recipient),
        # information block to the right.
        left, _gap, right = _table(
            doc,
            [
                layout.info_left - layout.margin_left,
                0.1,
                text_width - (layout.info_left - layout.margin_left) - 0.1,
            ],
            45,
        )
        _run(_line(left.paragraphs[0], 10), "{{ return_line }}", 7)
        _run(_line(left.add_paragraph(), 12), "{{ delivery }}", 8.5, bold=True)
        _line(left.add_paragraph(), 28)  # down to the recipient zone (17.7 mm from the field top)
        _recipient(left, first=False)
        _loop(right, "{%p for label, value in info_rows %}")
        _run(_line(right.add_paragraph(), 10), "{{ label }}", 7.5, grey=True)
        _run(_line(right.add_paragraph(), 12, after=4), "{{ value }}", 9)
        _loop(right, "{%p endfor %}")
        doc.add_paragraph()
    elif layout.name == "fr_window":
        left, right = _table(
            doc, [layout.recipient_left - layout.margin_left, layout.recipient_width], 40
        )
        _line(left.paragraphs[0], 1)
        _recipient(right)
        date = _line(doc.add_paragraph(), 14, before=6, after=12)
        date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(date, "{{ place_date }}")
        _run(_line(doc.add_paragraph(), 12), "{{ delivery }}", 9)
        _loop(doc, "{%p for label, value in references %}")
        _run(_line(doc.add_paragraph(), 12), "{{ label }}\u00a0: {{ value }}", 9)
        _loop(doc, "{%p endfor %}")
        doc.add_paragraph()
    else:
        # US block: the recipient in the #10 window, then the date and references.
        cells = _table(doc, [layout.recipient_width], 28)
        _recipient(cells[0])
        _run(_line(doc.add_paragraph(), 14, before=8, after=6), "{{ place_date }}")
        _run(_line(doc.add_paragraph(), 12), "{{ delivery | upper }}", 9)
        _loop(doc, "{%p for label, value in references %}")
        _run(_line(doc.add_paragraph(), 12), "{{ label }}: {{ value }}", 9)
        _loop(doc, "{%p endfor %}")
        doc.add_paragraph()

    _run(_line(doc.add_paragraph(), 14, after=12), "{{ subject }}", bold=True)
    _run(_line(doc.add_paragraph(), 14, after=9), "{{ salutation }}")
    _loop(doc, "{%p for item in body %}")
    _loop(doc, "{%p if item.bullet %}")
    bullet = _line(doc.add_paragraph(), 14, after=4)
    bullet.paragraph_format.left_indent = Mm(5)
    bullet.paragraph_format.first_line_indent = Mm(-4)
    _run(bullet, "•\t{{ item.text }}")
    _loop(doc, "{%p else %}")
    _run(_line(doc.add_paragraph(), 14, after=9), "{{ item.text }}")
    _loop(doc, "{%p endif %}")
    _loop(doc, "{%p endfor %}")
    _run(_line(doc.add_paragraph(), 14, before=4), "{{ closing }}")
    _run(_line(doc.add_paragraph(), 14, before=36, after=10), "{{ signature }}")
    _loop(doc, "{%p if enclosures %}")
    _run(_line(doc.add_paragraph(), 12), "{{ enclosures_label }} ({{ enclosures | length }})", 9)
    _loop(doc, "{%p for item in enclosures %}")
    _run(_line(doc.add_paragraph(), 12), "– {{ item }}", 9)
    _loop(doc, "{%p endfor %}")
    _loop(doc, "{%p endif %}")

    # "Page N of M" with Word fields, so the numbers follow the real page count, once
    # per page as in the PDF: at the foot of page one, and from page two in the
    # continuation header (recipient, date, page) over a thin rule.
    section.different_first_page_header_footer = True
    footer = section.first_page_footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _page_counter(footer)
    header = section.header.paragraphs[0]
    _run(header, "{{ continuation_line }}", 8, grey=True)
    _page_counter(header)
    _rule_below(header)
    _neutral_properties(doc)
    return doc


def _page_counter(paragraph) -> None:
    _run(paragraph, "{{ page_before }}", 8, grey=True)
    _field(paragraph, "PAGE")
    _run(paragraph, "{{ page_between }}", 8, grey=True)
    _field(paragraph, "NUMPAGES")
    _run(paragraph, "{{ page_after }}", 8, grey=True)


def _rule_below(paragraph) -> None:
    """A thin grey line under ``paragraph`` (its bottom border)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "3"), ("space", "2"), ("color", "999999")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph.paragraph_format.element.get_or_add_pPr().append(borders)


def _neutral_properties(doc) -> None:
    """No trace of the tool in the layout: python-docx's default template names
    itself as author and description, dates itself 2013, calls the application
    "Microsoft Macintosh Word" and carries a thumbnail of its own. A letter's
    properties (sender, date, language) are filled in when it is rendered."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    core = doc.core_properties
    core.author = ""
    core.comments = ""
    core.last_modified_by = ""
    core.revision = 1
    element = core._element
    for name in ("created", "modified", "lastPrinted"):
        for child in list(element):
            if child.tag.rpartition("}")[2] == name:
                element.remove(child)
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            _neutral_app(rel.target_part)


def _neutral_app(part) -> None:
    from lxml import etree

    root = etree.fromstring(part.blob)
    for element in root:
        name = element.tag.rpartition("}")[2]
        if name == "Application":
            element.text = "Paperwork"
        elif name in ("Template", "AppVersion"):
            root.remove(element)
    part._blob = etree.tostring(root, encoding="UTF-8", standalone=True)


def _field(paragraph, instruction: str) -> None:
    run = _run(paragraph, "", 8, grey=True)
    element = OxmlElement("w:fldSimple")
    element.set(qn("w:instr"), instruction)
    inner = OxmlElement("w:r")
    # the number looks like the label around it: same face, 8 pt, grey, not bold
    inner.append(copy.deepcopy(run._r.get_or_add_rPr()))
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    element.append(inner)
    run._r.addnext(element)


def main() -> None:
    out = ROOT / "letter_templates" / "layouts"
    out.mkdir(exist_ok=True)
    for layout in LAYOUTS.values():
        build(layout).save(out / f"{layout.name}.docx")
        print(out / f"{layout.name}.docx")


if __name__ == "__main__":
    main()
