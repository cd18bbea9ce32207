"""The PDF renderer: a LetterDocument laid out with reportlab for a window envelope.

Page one is drawn at fixed positions from the layout (sender, recipient in the
window, date and references); the running text flows through platypus frames
onto as many pages as it needs. Page numbers ("Page N of M") and continuation
headers are drawn when the document is saved, once the page count is known.
Every font is the embedded Liberation Sans shipped with the package.
"""

from __future__ import annotations

import io
from functools import cache, lru_cache
from typing import Any

from paperwork.core.layouts import Layout, return_line
from paperwork.core.model import LetterDocument
from paperwork.render.platypus import import_platypus

FONT = "PaperSans"
FONT_BOLD = "PaperSans-Bold"
FONT_ITALIC = "PaperSans-Italic"
FONT_BOLD_ITALIC = "PaperSans-BoldItalic"
MM = 72 / 25.4  # points per millimetre


def escape(text: str) -> str:
    """Text for a reportlab Paragraph: ``&``, ``<`` and ``>`` as entities, so user text
    never becomes markup. (xml.sax.saxutils.escape does the same but drags in the
    HTTP stack at import: urllib.request and http.client.)"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# The rules of the bundle's index and the chronology's table: a heading rule, hairlines
# between rows, small padding (reportlab TableStyle commands).
RULED_TABLE: list[tuple[object, ...]] = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, "#333333"),
    ("LINEBELOW", (0, 1), (-1, -1), 0.25, "#bbbbbb"),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]

# Liberation Sans: pdfminer measures a glyph box from the descender (-0.212 em)
# one em up, so a line whose letters start at ``top`` has its baseline here.
_ASCENT = 0.788


_FONT_FILES = {
    FONT: "LiberationSans-Regular.ttf",
    FONT_BOLD: "LiberationSans-Bold.ttf",
    FONT_ITALIC: "LiberationSans-Italic.ttf",
    FONT_BOLD_ITALIC: "LiberationSans-BoldItalic.ttf",
}


@cache
def _register_face(name: str) -> str:
    """Register one shipped face, once per process. Parsing a TrueType file takes
    about 20 ms; what reportlab reads from it is kept in the user cache folder
    (paperwork.core.cache), so later processes only load it back."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from paperwork.core import cache
    from paperwork.core.resources import package_file

    path = str(package_file("fonts", _FONT_FILES[name]))
    key = _face_key(path)
    stored = cache.load(f"font-{_FONT_FILES[name]}.marshal", key)
    font = _font_from_state(name, stored) if isinstance(stored, dict) else None
    if font is None:
        font = TTFont(name, path)
        state = _face_state(font)
        if state is not None:
            cache.save(f"font-{_FONT_FILES[name]}.marshal", key, state)
    _keep_subsets(font.face)
    _keep_widths(font)
    pdfmetrics.registerFont(font)
    return name


# Font programs of the subsets already made, by face and characters, and their
# compressed form (None until first compressed); see _keep_subsets.
_SUBSETS: dict[tuple, bytes] = {}
_FLATE: dict[bytes, bytes | None] = {}
_KEEP_SUBSETS = 64


def _keep_subsets(face) -> None:
    """Make each font subset (and compress it) once per process, not once per PDF.

    reportlab cuts every document's subset out of the TrueType file again, and
    its zlib pass over that program is most of a letter's compression. Letters in
    one language use nearly the same characters in the same order (ASCII keeps
    its own codes), so the same few subsets come back letter after letter.
    The bytes are the same as made afresh."""
    from reportlab.pdfbase import pdfdoc

    make = face.makeSubset

    def make_subset(subset) -> bytes:
        key = (id(face), tuple(subset))
        data = _SUBSETS.get(key)
        if data is None:
            if len(_SUBSETS) >= _KEEP_SUBSETS:  # bounded: a campaign's memory stays flat
                _SUBSETS.clear()
                _FLATE.clear()
            data = _SUBSETS[key] = make(subset)
            _FLATE.setdefault(data, None)
        return data

    face.makeSubset = make_subset
    if not getattr(pdfdoc.PDFZCompress, "keeps_fonts", False):
        pdfdoc.PDFZCompress = _kept_flate_class()()


# The written form of a subset's widths array, by its numbers (see _keep_widths).
_WIDTHS: dict[tuple, bytes] = {}


def _keep_widths(font) -> None:
    """Write each subset's /Widths array (a hundred numbers or more) once per
    process: reportlab formats it number by number in every document."""
    from reportlab.pdfbase.pdfdoc import PDFArray

    class KeptWidths(PDFArray):
        def format(self, document, IND=b"\n "):
            key = tuple(self.sequence)
            done = _WIDTHS.get(key)
            if done is None:
                if len(_WIDTHS) >= _KEEP_SUBSETS:
                    _WIDTHS.clear()
                done = _WIDTHS[key] = super().format(document, IND)
            return done

    add_objects = font.addObjects

    def add_kept(doc) -> None:
        add_objects(doc)
        for pdf_font in doc.idToObject["BasicFonts"].dict.values():
            widths = getattr(pdf_font, "Widths", None)
            if (
                widths is not None
                and type(widths) is PDFArray
                and all(type(width) in (int, float) for width in widths.sequence)
            ):
                pdf_font.Widths = KeptWidths(widths.sequence)

    font.addObjects = add_kept


def _kept_flate_class():
    from reportlab.pdfbase.pdfdoc import PDFStreamFilterZCompress

    class KeptFlate(PDFStreamFilterZCompress):
        """reportlab's FlateDecode filter, compressing a kept font program once."""

        keeps_fonts = True

        def encode(self, text):
            if type(text) is bytes and text in _FLATE:
                done = _FLATE[text]
                if done is None:
                    done = _FLATE[text] = super().encode(text)
                return done
            return super().encode(text)

    return KeptFlate


def _face_key(path: str) -> object:
    """What a kept face depends on: reportlab's release and the font file itself."""
    import os

    import reportlab

    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (reportlab.Version, path, stat.st_size, stat.st_mtime_ns)


# Parts of a parsed face kept out of its cache entry, and made when reportlab first asks
# for them: the font program itself (the shipped file, mapped read-only: cutting a
# subset, as every PDF does, reads a few of its pages) and the glyph-to-characters table
# (only text shaping reads it, which no style of Paperwork asks for). Loading them up
# front cost a letter about 230 more fresh memory pages.
_LAZY_PARTS = ("_ttf_data", "glyphToChar")


def _face_state(font) -> dict | None:
    """The parsed face of ``font`` as plain data (None if it holds anything else)."""
    import marshal

    from reportlab.pdfbase.ttfonts import TTFNameBytes

    values, names = {}, {}
    for attribute, value in vars(font.face).items():
        if attribute == "_pdfScale":  # a function of unitsPerEm, made again on loading
            continue
        if isinstance(value, TTFNameBytes):
            names[attribute] = value.ustr
        elif attribute not in _LAZY_PARTS:
            values[attribute] = value
    try:
        glyphs = marshal.dumps(font.face.glyphToChar)  # unmarshalled on first use
        state = {"values": values, "names": names, "font": sorted(vars(font)), "glyphs": glyphs}
        marshal.dumps(state)
    except (AttributeError, ValueError):
        return None
    return state


def _font_from_state(name: str, state: dict):
    """A TTFont whose face is loaded from ``state`` (see _face_state) instead of
    parsed; None when the state does not fit this reportlab."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont

    if not isinstance(state.get("glyphs"), bytes):
        return None  # an entry from before the lazy parts: parsed again and rewritten
    kept_face = _kept_face_class()
    face = kept_face.__new__(kept_face)
    vars(face).update(state["values"])
    face._glyphs_kept = state["glyphs"]
    for attribute, text in state["names"].items():
        setattr(face, attribute, TTFNameBytes(text.encode("utf8")))
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000 / units: x * m)
    # what TTFont.__init__ sets, with the face above instead of a freshly parsed one
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
    return font if sorted(vars(font)) == state["font"] else None


@cache
def _kept_face_class():
    """reportlab's parsed face, with its lazy parts made on first use (see _LAZY_PARTS)."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    class KeptFace(TTFontFace):
        def __getattr__(self, attribute: str):
            # only reached for an attribute the face does not have (yet)
            if attribute == "_ttf_data":
                import mmap

                with open(self.filename, "rb") as handle:
                    value = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            elif attribute == "glyphToChar":
                import marshal

                value = marshal.loads(self.__dict__.pop("_glyphs_kept"))
            else:
                raise AttributeError(attribute)
            setattr(self, attribute, value)
            return value

    return KeptFace


@lru_cache(maxsize=1)
def register_upright_fonts() -> str:
    """Register regular and bold only: all a letter needs, since its text is escaped
    before markup is added and so never asks for italics. Halves the font start-up
    cost of ``paperwork letter render`` (see benchmarks/)."""
    from reportlab.lib.fonts import addMapping

    _register_face(FONT)
    _register_face(FONT_BOLD)
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    return FONT


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the whole shipped TrueType family once per process; returns the family name."""
    from reportlab.lib.fonts import addMapping

    register_upright_fonts()
    _register_face(FONT_ITALIC)
    _register_face(FONT_BOLD_ITALIC)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD_ITALIC)
    return FONT


ADDRESS_SIZE = 10  # points: the recipient's address block


def address_width(line: str) -> float:
    """How wide ``line`` prints in the recipient's address block, in points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_upright_fonts()
    return stringWidth(line, FONT, ADDRESS_SIZE)


def unprintable_characters(text: str) -> list[str]:
    """Characters of ``text`` the shipped font has no glyph for (so they would vanish)."""
    from reportlab.pdfbase import pdfmetrics

    register_upright_fonts()
    face = pdfmetrics.getFont(FONT).face
    cmap = face.charToGlyph
    # each distinct character once: a letter's text repeats a few dozen of them
    return sorted(ch for ch in set(text) if not ch.isspace() and ord(ch) not in cmap)


@lru_cache(maxsize=1)
def _styles():
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    register_upright_fonts()
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=10.5, leading=14, spaceAfter=9, alignment=TA_LEFT
    )
    return {
        "body": body,
        "subject": ParagraphStyle("subject", parent=body, fontName=FONT_BOLD, spaceAfter=12),
        "bullet": ParagraphStyle(
            "bullet", parent=body, leftIndent=14, bulletIndent=2, spaceAfter=4, bulletFontName=FONT
        ),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
        "closing": ParagraphStyle("closing", parent=body, spaceBefore=4, spaceAfter=0),
        "signature": ParagraphStyle("signature", parent=body, spaceBefore=36, spaceAfter=10),
    }


@lru_cache(maxsize=1)
def _compact_styles():
    """The same styles with less air between paragraphs and above the signature:
    for a letter that would otherwise spill a few lines onto a second page."""
    from reportlab.lib.styles import ParagraphStyle

    st = _styles()
    tighter = {"body": 6, "subject": 8, "bullet": 2}
    out = {
        name: ParagraphStyle(f"{name}-compact", parent=style, spaceAfter=tighter[name])
        if name in tighter
        else style
        for name, style in st.items()
    }
    out["signature"] = ParagraphStyle(
        "signature-compact", parent=st["signature"], spaceBefore=28, spaceAfter=6
    )
    return out


def _typeset(text: str) -> str:
    """Running text as reportlab should see it: an amount glued to its currency, a day
    to its month, and narrow no-break spaces (French digit groups, babel's output) as
    U+00A0, because reportlab's line breaker treats U+202F as an ordinary space but
    honours U+00A0."""
    from paperwork.core.i18n import nonbreaking

    return escape(nonbreaking(text).replace("\u202f", "\u00a0"))


# Parsed paragraph text by (markup, style): a campaign's letters repeat most
# paragraphs word for word, and reportlab's markup parser is a tenth of a PDF.
_PARSED: dict[tuple[str, int], tuple[Any, list, Any]] = {}
_KEEP_PARSED = 1000


# A paragraph's state after line breaking, by (markup, style, bullet) and width:
# what Paragraph.wrap and breakLines set (not the frame or canvas of its document).
_WRAPPED: dict[tuple, dict[str, Any]] = {}
_WRAP_STATE = (
    "width",
    "height",
    "blPara",
    "frags",
    "_wrapWidths",
    "_width_max",
    "_splitLongWordCount",
    "_hyphenations",
)


def _paragraph(markup: str, style, bullet: str | None = None):
    """``Paragraph(markup, style, bullet)``, parsing each markup once per process
    and breaking it into lines once per width. The fragments and lines are only
    read when the paragraph is drawn (a split makes new ones), so paragraphs can
    share them."""
    kept = _kept_paragraph_class()
    key = (markup, id(style))
    parsed = _PARSED.get(key)
    if parsed is None or parsed[2] is not style:
        if len(_PARSED) >= _KEEP_PARSED:
            _PARSED.clear()
        made = kept(markup, style, bulletText=bullet)
        _PARSED[key] = (made.style, made.frags, style)
    else:
        made = kept(markup, parsed[0], bulletText=bullet, frags=list(parsed[1]))
    made.kept_as = (markup, style, bullet)
    return made


@cache
def _kept_paragraph_class():
    import_platypus()
    from reportlab.platypus import Paragraph

    class KeptParagraph(Paragraph):
        """A Paragraph that takes its line breaking from an earlier one with the same
        markup, style, bullet and width (a split part has no ``kept_as``)."""

        kept_as: tuple | None = None

        def wrap(self, availWidth, availHeight):
            if self.kept_as is None:
                return super().wrap(availWidth, availHeight)
            markup, style, bullet = self.kept_as
            key = (markup, id(style), bullet, availWidth)
            state = _WRAPPED.get(key)
            if state is None or state["kept_as"][1] is not style:
                size = super().wrap(availWidth, availHeight)
                if len(_WRAPPED) >= _KEEP_PARSED:
                    _WRAPPED.clear()
                made = vars(self)
                _WRAPPED[key] = {name: made[name] for name in _WRAP_STATE if name in made}
                _WRAPPED[key]["kept_as"] = self.kept_as
                return size
            self.__dict__.update(state)
            return self.width, self.height

    return KeptParagraph


def _p(text: str, style):
    return _paragraph(_typeset(text), style)


def _body_flowables(
    doc: LetterDocument, layout: Layout, enclosures_label: str, compact: bool = False
) -> list:
    import_platypus()
    from reportlab.platypus import KeepTogether, Spacer

    st = _compact_styles() if compact else _styles()
    flow: list = []
    if layout.date_style == "block":
        # US block format: date, mailing notation and references below the address.
        flow.append(_p(doc.place_date, st["body"]))
        if doc.delivery:
            flow.append(_p(doc.delivery.upper(), st["small"]))
            flow.append(Spacer(0, 6))
        for label, value in doc.references:
            flow.append(_p(f"{label}: {value}", st["small"]))
        if doc.references:
            flow.append(Spacer(0, 10))
    elif layout.date_style == "right":
        if doc.delivery:
            flow.append(_p(doc.delivery, st["small"]))
        for label, value in doc.references:
            flow.append(
                _p(
                    f"{label}\u00a0: {value}"
                    if doc.locale.startswith("fr")
                    else f"{label}: {value}",
                    st["small"],
                )
            )
        flow.append(Spacer(0, 12))
    flow.append(_p(doc.subject, st["subject"]))
    flow.append(_p(doc.salutation, st["body"]))
    previous_was_item = False
    text_flow: list = []
    for paragraph in doc.paragraphs:
        is_item = paragraph.startswith("- ")
        if previous_was_item and not is_item:
            # a list ends with the same air as a paragraph
            text_flow.append(Spacer(0, 3 if compact else 5))
        if is_item:
            text_flow.append(_paragraph(_typeset(paragraph[2:]), st["bullet"], "•"))
        else:
            text_flow.append(_p(paragraph, st["body"]))
        previous_was_item = is_item
    # The closing and signature never stand alone: they travel with the last
    # paragraph (to the next page if the three do not fit), and the enclosures
    # stay with them. One KeepTogether, not one inside another: a KeepTogether
    # measures as taller than any page (to force its own split), so a nested one
    # pushed every letter with enclosures onto a new page.
    last = text_flow[-1:] if text_flow else []
    flow.extend(text_flow[:-1])
    ending = [
        *last,
        Spacer(0, 4),
        _p(doc.closing, st["closing"]),
        _p(doc.signature, st["signature"]),
    ]
    if doc.enclosures:
        ending.append(_p(f"{enclosures_label} ({len(doc.enclosures)})", st["small"]))
        ending.extend(_p(f"– {item}", st["small"]) for item in doc.enclosures)
    flow.append(KeepTogether(ending))
    return flow


def paged_canvas(stamp):
    """A canvas class that keeps its pages and, once the count is known at save
    time, calls ``stamp(canvas, number, total)`` on each ("Page N of M")."""
    from reportlab.pdfgen.canvas import Canvas

    class PagedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("initialFontName", FONT)
            kwargs.setdefault("initialFontSize", 10)
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                stamp(self, number, total)
                super().showPage()
            super().save()

    return PagedCanvas


def _canvas_class(doc: LetterDocument, layout: Layout):
    """The letter's canvas: "Page N of M" exactly once on every page, at the foot of
    page one and in the continuation header (recipient, date, page) from page two."""
    page_label = doc.page_label
    header = " · ".join(x for x in (doc.continuation, doc.place_date) if x)

    def stamp(canvas, number: int, total: int) -> None:
        label = page_label.format(n=number, m=total).replace("\u202f", "\u00a0")
        width_pt = layout.width * MM
        right = width_pt - layout.margin_right * MM
        canvas.setFont(FONT, 8)
        canvas.setFillGray(0.35)
        if number == 1:
            canvas.drawRightString(right, 10 * MM, label)
        else:  # one line: "Recipient · date · Page 2 of 3", cut to the text width
            top = (layout.height - 12) * MM
            tail = f" · {label}"
            room = right - layout.margin_left * MM - canvas.stringWidth(tail, FONT, 8)
            canvas.drawString(layout.margin_left * MM, top, _fit(canvas, header, room, 8) + tail)
            canvas.setStrokeGray(0.6)
            canvas.setLineWidth(0.4)
            canvas.line(
                layout.margin_left * MM, top - 3, width_pt - layout.margin_right * MM, top - 3
            )
        canvas.setFillGray(0)

    return paged_canvas(stamp)


def _fit(canvas, text: str, width: float, size: float) -> str:
    """``text`` cut with an ellipsis so that it is at most ``width`` points wide."""
    if canvas.stringWidth(text, FONT, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip(" ·,") + "…"


def _first_page_painter(doc: LetterDocument, layout: Layout):
    """Draw the fixed parts of page one: sender, window address, info block, marks."""
    import_platypus()
    from reportlab.platypus import Paragraph

    st = _styles()
    page_h = layout.height * MM

    def baseline(top_mm: float, size: float) -> float:
        return page_h - top_mm * MM - _ASCENT * size

    def paint(canvas, _doc) -> None:
        canvas.saveState()
        # Sender
        if layout.sender_style == "letterhead":
            canvas.setFont(FONT_BOLD, 14)
            y = baseline(layout.sender_top, 14)
            canvas.drawString(layout.margin_left * MM, y, doc.sender_name)
            canvas.setFont(FONT, 8.5)
            details = [" · ".join(doc.sender_lines), " · ".join(doc.sender_contact)]
            for line in filter(None, details):
                y -= 12
                canvas.drawString(layout.margin_left * MM, y, line)
        else:
            canvas.setFont(FONT_BOLD, 10)
            y = baseline(layout.sender_top, 10)
            canvas.drawString(layout.margin_left * MM, y, doc.sender_name)
            canvas.setFont(FONT, 9.5)
            for line in [*doc.sender_lines, *doc.sender_contact]:
                y -= 12
                canvas.drawString(layout.margin_left * MM, y, line)
        # DIN return line and delivery note inside the address field's top zone
        if layout.return_line_top is not None:
            canvas.setFont(FONT, 7)
            text = return_line(
                doc, lambda t: canvas.stringWidth(t, FONT, 7) <= layout.recipient_width * MM
            )
            y = baseline(layout.return_line_top, 7)
            canvas.drawString(layout.recipient_left * MM, y, text)
            width = min(canvas.stringWidth(text, FONT, 7), layout.recipient_width * MM)
            canvas.setLineWidth(0.3)
            canvas.line(
                layout.recipient_left * MM, y - 1.5, layout.recipient_left * MM + width, y - 1.5
            )
        if layout.delivery_top is not None and doc.delivery:
            canvas.setFont(FONT_BOLD, 8.5)
            canvas.drawString(
                layout.recipient_left * MM, baseline(layout.delivery_top, 8.5), doc.delivery
            )
        # Recipient, inside the envelope window
        canvas.setFont(FONT, ADDRESS_SIZE)
        y = baseline(layout.recipient_top, ADDRESS_SIZE)
        for line in doc.recipient_lines[: layout.recipient_max_lines]:
            canvas.drawString(layout.recipient_left * MM, y, line)
            y -= 12
        # Information block (DIN) or the dated line on the right (French)
        if layout.date_style == "info" and layout.info_left is not None:
            rows = [*doc.references, (_date_label(doc), doc.place_date)]
            top = layout.info_top or 0
            width = (layout.width - layout.margin_right - layout.info_left) * MM
            y_top = page_h - top * MM
            for label, value in rows:
                para = Paragraph(
                    f"<font size=7.5 color='#555555'>{escape(label)}</font><br/>{_typeset(value)}",
                    st["small"],
                )
                _, h = para.wrap(width, 200)
                para.drawOn(canvas, layout.info_left * MM, y_top - h)
                y_top -= h + 4
        elif layout.date_style == "right":
            canvas.setFont(FONT, 10.5)
            canvas.drawRightString(
                (layout.width - layout.margin_right) * MM,
                baseline(layout.body_top - 10, 10.5),
                doc.place_date,
            )
        # Fold and punch marks on the left edge
        canvas.setLineWidth(0.4)
        canvas.setStrokeGray(0.5)
        for mark in layout.fold_marks:
            canvas.line(4 * MM, page_h - mark * MM, 8 * MM, page_h - mark * MM)
        if layout.punch_mark is not None:
            canvas.line(
                4 * MM, page_h - layout.punch_mark * MM, 10 * MM, page_h - layout.punch_mark * MM
            )
        canvas.restoreState()

    return paint


def _date_label(doc: LetterDocument) -> str:
    from paperwork.core.i18n import conventions

    return conventions(doc.locale).get("date", "Date")


def render_pdf(doc: LetterDocument, layout: Layout) -> bytes:
    """Lay out ``doc`` on ``layout``'s paper and return the PDF bytes (byte-stable).

    A letter that runs a little onto a second page is set again with less air
    between paragraphs; that version is kept when it fits on one page."""
    data, pages = _build_pdf(doc, layout, compact=False)
    if pages == 2:
        tighter, tighter_pages = _build_pdf(doc, layout, compact=True)
        if tighter_pages == 1:
            return tighter
    return data


def _build_pdf(doc: LetterDocument, layout: Layout, compact: bool) -> tuple[bytes, int]:
    """The PDF bytes of ``doc`` and how many pages it has."""
    import_platypus()
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from paperwork.core.i18n import conventions

    register_upright_fonts()
    buffer = io.BytesIO()
    width, height = layout.width * MM, layout.height * MM
    first_body_top = layout.body_top
    template = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=layout.margin_left * MM,
        rightMargin=layout.margin_right * MM,
        topMargin=layout.margin_top * MM,
        bottomMargin=layout.margin_bottom * MM,
        title=doc.subject,
        author=doc.sender_name,
        subject=doc.subject,
        creator="Paperwork",
        producer="Paperwork (reportlab)",
        invariant=1,
        initialFontName=FONT,
        initialFontSize=10,
        lang=doc.locale.replace("_", "-"),
    )

    def body_frame(top_mm: float, frame_id: str) -> Frame:
        """The running text's frame from ``top_mm`` down to the bottom margin."""
        return Frame(
            layout.margin_left * MM,
            layout.margin_bottom * MM,
            width - (layout.margin_left + layout.margin_right) * MM,
            height - (top_mm + layout.margin_bottom) * MM,
            id=frame_id,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    first = body_frame(first_body_top, "first")
    later = body_frame(22, "later")  # 22 mm: below the continuation header
    template.addPageTemplates(
        [
            PageTemplate(
                id="First",
                frames=[first],
                onPage=_first_page_painter(doc, layout),
                autoNextPageTemplate="Later",
            ),
            PageTemplate(id="Later", frames=[later]),
        ]
    )
    enclosures_label = conventions(doc.locale).get("enclosures", "Enclosures")
    template.build(
        _body_flowables(doc, layout, enclosures_label, compact),
        canvasmaker=_canvas_class(doc, layout),
    )
    return buffer.getvalue(), template.page
