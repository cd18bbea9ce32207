"""The dossier's charts: pressure over time (members and letters so far, week by week)
and the pool's letters by kind, as reportlab drawings.

Appended as an annex page to a rendered letter: drawn on its own page of the PDF
(merged after the letter with pypdf), and as small tables with bars in the DOCX
(the time chart month by month), so both formats carry the same figures.
"""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from paperwork.core import i18n
from paperwork.render.chronology import page_size, styles
from paperwork.render.pdf import FONT, FONT_BOLD, MM, register_fonts
from paperwork.render.platypus import import_platypus


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


# (week, members so far, letters so far): a line is None where the server withheld it
Timeline = list[tuple[date, int | None, int | None]]
MEMBERS_COLOUR, LETTERS_COLOUR = "#2f5d8a", "#b3261e"


def _lines(points: Timeline) -> list[tuple[int, str]]:
    """Which lines the timeline has: (index in a point, colour)."""
    return [
        (index, colour)
        for index, colour in ((1, MEMBERS_COLOUR), (2, LETTERS_COLOUR))
        if any(point[index] is not None for point in points)
    ]


def timeline_chart(points: Timeline, width: float, words: dict[str, str], locale: str):
    """Members and letters so far, each line on its own scale through the weeks the server
    gives it (points at least the threshold apart, straight between them: nothing smaller
    is shown) with its total written at its end; the first and last week under the axis."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
    from reportlab.lib import colors

    register_fonts()
    height, pad, label_w = 70 * MM, 8 * MM, 42 * MM
    drawing = Drawing(width, height)
    first, last = points[0][0], points[-1][0]
    days = max((last - first).days, 1)
    plot_w = width - label_w - 2 * MM
    bottom, top = pad, height - 4 * MM
    labels: list[tuple[float, str, str]] = []  # (height of the line's end, text, colour)
    for index, colour in _lines(points):
        values = [(day, point) for day, *rest in points if (point := rest[index - 1]) is not None]
        peak = max((v for _day, v in values), default=1) or 1
        flat: list[float] = []
        for day, value in values:
            flat += [plot_w * (day - first).days / days, bottom + (top - bottom) * value / peak]
        if len(values) == 1 and first == last:  # one week in all: a level across the width
            flat = [0, flat[1], plot_w, flat[1]]
        if len(flat) == 2:  # one week known, later ones not: a dot, not a line from nothing
            drawing.add(
                Circle(*flat, 1.2 * MM, fillColor=colors.HexColor(colour), strokeColor=None)
            )
        else:
            drawing.add(PolyLine(flat, strokeColor=colors.HexColor(colour), strokeWidth=2))
        name = words["members"] if index == 1 else words["letters"]
        labels.append((flat[-1], f"{i18n.number(values[-1][1], locale)} {name}", colour))
    below = top + 5 * MM
    for y, text, colour in sorted(labels, reverse=True):  # from the top, never overlapping
        below = min(y, below - 4.5 * MM)
        drawing.add(
            String(
                plot_w + 2 * MM,
                below - 1.2 * MM,
                text[:40],
                fontName=FONT_BOLD,
                fontSize=9,
                fillColor=colors.HexColor(colour),
            )
        )
    drawing.add(Line(0, bottom, plot_w, bottom, strokeColor=colors.grey, strokeWidth=0.5))
    for x, day, anchor in ((0, first, "start"), (plot_w, last, "end")):
        drawing.add(
            String(x, 0, i18n.short_date(day, locale), fontName=FONT, fontSize=8, textAnchor=anchor)
        )
    return drawing


def by_month(points: Timeline) -> list[tuple[date, int | None, int | None]]:
    """Each month of the timeline with each line's last total given in it (None when
    the server gave that line no point in the month)."""
    months: dict[tuple[int, int], tuple[date, int | None, int | None]] = {}
    for day, members, letters in points:
        _day, seen_members, seen_letters = months.get((day.year, day.month), (day, None, None))
        months[(day.year, day.month)] = (
            day,
            seen_members if members is None else members,
            seen_letters if letters is None else letters,
        )
    return [months[key] for key in sorted(months)]


def annex_pdf(
    title: str,
    caption: str,
    rows: list[tuple[str, int]],
    paper: str,
    timeline: tuple[Timeline, dict[str, str], str] | None = None,
) -> bytes:
    """One page: the caption, then (given ``timeline``: points, words, locale) the chart of
    pressure over time, then the chart of letters by kind under its title."""
    import_platypus()
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
    flow = [Paragraph(escape(caption), st["title"])]
    if timeline and timeline[0]:
        points, words, locale = timeline
        flow += [
            Spacer(1, 4 * MM),
            Paragraph(escape(words["title"]), st["subtitle"]),
            Spacer(1, 4 * MM),
            timeline_chart(points, size[0] - 2 * margin, words, locale),
        ]
    flow += [
        Spacer(1, 6 * MM),
        Paragraph(escape(title), st["subtitle"]),
        Spacer(1, 6 * MM),
        bar_chart(rows, size[0] - 2 * margin),
    ]
    doc.build(flow)
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


def _bar(value: int | None, top: int) -> str:
    return "" if value is None else "\u2588" * max(1, round(20 * value / (top or 1)))


def docx_with_annex(
    letter_docx: bytes,
    title: str,
    caption: str,
    rows: list[tuple[str, int]],
    timeline: tuple[Timeline, dict[str, str], str] | None = None,
) -> bytes:
    """The letter's DOCX with a page break, the caption, pressure over time as a table of
    months with bars (given ``timeline``), and the letters by kind as a table of bars."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    from paperwork.render.chronology import docx_bytes, set_column_widths

    document = Document(io.BytesIO(letter_docx))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph().add_run(caption).bold = True
    if timeline and timeline[0]:
        points, words, locale = timeline
        document.add_paragraph(words["title"])
        months = by_month(points)
        tops = (
            max((m or 0 for _day, m, _letters in months), default=0),
            max((n or 0 for _day, _members, n in months), default=0),
        )
        table = document.add_table(rows=1, cols=5)
        head = table.rows[0].cells
        head[0].text, head[1].text, head[3].text = (
            words["period"],
            words["members"],
            words["letters"],
        )
        for day, members, letters in months:
            cells = table.add_row().cells
            cells[0].text = f"{day.year}-{day.month:02d}"
            for at, value, top in ((1, members, tops[0]), (3, letters, tops[1])):
                cells[at].text = "" if value is None else i18n.number(value, locale)
                cells[at + 1].text = _bar(value, top)
        set_column_widths(table, (22, 22, 40, 22, 40))
        document.add_paragraph()
    document.add_paragraph(title)
    table = document.add_table(rows=0, cols=3)
    top = max((n for _label, n in rows), default=1) or 1
    for label, count in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, str(count)
        cells[2].text = "\u2588" * max(1, round(30 * count / top))
    set_column_widths(table, (70, 15, 80))
    return docx_bytes(document)
