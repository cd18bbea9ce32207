"""Renderers: bytes from what they are handed. A letter as PDF (pdf.py) or DOCX
(docx.py), the chronology, the evidence bundle, the envelope and the .ics calendar.

The only modules that import reportlab, docxtpl and pypdf, each inside the function
that needs it. A letter's PDF and DOCX both lay out the one neutral LetterDocument
that letters/compose.py made, so they always carry the same text. Renderers reach
neither the services nor the store.
"""

from __future__ import annotations

from paperwork.core.layouts import LAYOUTS, Layout, layout_named
from paperwork.core.model import LetterDocument

FORMATS = ("pdf", "docx")


def render_letter(doc: LetterDocument, layout: Layout, fmt: str) -> bytes:
    """The letter as ``fmt`` ("pdf" or "docx") bytes."""
    from paperwork.core.controls import scrub_all

    doc = scrub_all(doc)  # the one rule for control and invisible characters
    if fmt == "pdf":
        from paperwork.render.pdf import render_pdf

        return render_pdf(doc, layout)
    if fmt == "docx":
        from paperwork.render.docx import render_docx

        return render_docx(doc, layout)
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["FORMATS", "LAYOUTS", "Layout", "layout_named", "render_letter"]
