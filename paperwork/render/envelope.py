"""Envelopes: a #10 (US) or DL (A4 countries) envelope for a letter.

The return address sits in the top-left corner, the recipient's lines in the
lower right half where postal sorting machines read them (USPS: the address
block in the "OCR read area", at least 5/8 in from the bottom; Deutsche Post /
Royal Mail: the right half of a DL, clear of the franking zone at top right).
"""

from __future__ import annotations

import io

from paperwork.core.model import LetterDocument
from paperwork.render.pdf import FONT, FONT_BOLD, MM, register_fonts

INCH = 72.0
# width, height in points; recipient block (left, top) in points from the top-left
ENVELOPES = {
    "no10": {
        "size": (9.5 * INCH, 4.125 * INCH),
        "return": (0.35 * INCH, 0.35 * INCH),
        "to": (4.0 * INCH, 2.0 * INCH),
    },
    "dl": {"size": (220 * MM, 110 * MM), "return": (10 * MM, 10 * MM), "to": (110 * MM, 55 * MM)},
}


def render_envelope(doc: LetterDocument, size: str) -> bytes:
    """The envelope as a one-page PDF, landscape, in the envelope's own size
    (print it with the printer's envelope feed)."""
    from paperwork.core.controls import scrub_all

    doc = scrub_all(doc)
    from reportlab.pdfgen.canvas import Canvas

    spec = ENVELOPES[size]
    width, height = spec["size"]
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=(width, height), invariant=1, initialFontName=FONT, initialFontSize=10
    )
    canvas.setTitle(f"Envelope: {doc.subject}")
    canvas.setAuthor(doc.sender_name)
    canvas.setCreator("Paperwork")
    # Return address, small, top left
    x, top = spec["return"]
    y = height - top - 8
    canvas.setFont(FONT_BOLD, 8.5)
    canvas.drawString(x, y, doc.sender_name)
    canvas.setFont(FONT, 8.5)
    for line in doc.sender_lines:
        y -= 10.5
        canvas.drawString(x, y, line)
    # Recipient, larger, lower right
    x, top = spec["to"]
    y = height - top - 11
    if doc.delivery:
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.drawString(x, y + 16, doc.delivery.upper() if size == "no10" else doc.delivery)
    canvas.setFont(FONT, 11)
    max_width = width - x - 8 * MM
    for line in doc.recipient_lines:
        text = line
        while text and canvas.stringWidth(text, FONT, 11) > max_width:
            text = text[:-1]
        canvas.drawString(x, y, text)
        y -= 14
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
