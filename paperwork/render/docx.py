"""The DOCX renderer: the same LetterDocument filled into a docxtpl layout document.

The layout documents live in ``letter_templates/layouts/<layout>.docx`` (built by
``tools/build_docx_layouts.py``). docxtpl always renders with autoescape on, so
``&`` and ``<`` in a name come out as typed.
"""

from __future__ import annotations

import io
from functools import lru_cache

from ..model import LetterDocument
from .layouts import Layout, return_line


@lru_cache(maxsize=8)
def _layout_bytes(name: str) -> bytes:
    from ..resources import templates_root

    return (templates_root() / "layouts" / f"{name}.docx").read_bytes()


def docx_context(doc: LetterDocument) -> dict:
    """The template variables of a layout document, from the neutral letter."""
    from ..i18n import conventions

    conv = conventions(doc.locale)
    before, _, rest = doc.page_label.partition("{n}")
    between, _, after = rest.partition("{m}")
    return {
        "sender_name": doc.sender_name,
        "sender_lines": list(doc.sender_lines),
        "sender_contact": list(doc.sender_contact),
        # about 60 characters of 7 pt text fit on the 80 mm return line
        "return_line": return_line(doc, lambda text: len(text) <= 60),
        "delivery": doc.delivery,
        "recipient_lines": list(doc.recipient_lines),
        "references": [list(r) for r in doc.references],
        "info_rows": [*([list(r) for r in doc.references]), [conv.get("date", "Date"), doc.place_date]],
        "place_date": doc.place_date,
        "subject": doc.subject,
        "salutation": doc.salutation,
        "body": [
            {"bullet": p.startswith("- "), "text": p[2:] if p.startswith("- ") else p} for p in doc.paragraphs
        ],
        "closing": doc.closing,
        "signature": doc.signature,
        "enclosures": list(doc.enclosures),
        "enclosures_label": conv.get("enclosures", "Enclosures"),
        "page_before": before,
        "page_between": between,
        "page_after": after,
    }


def render_docx(doc: LetterDocument, layout: Layout) -> bytes:
    """Fill the layout document for ``layout`` with ``doc`` and return the DOCX bytes."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(_layout_bytes(layout.name)))
    template.render(docx_context(doc), autoescape=True)
    core = template.docx.core_properties
    core.title = doc.subject
    core.author = doc.sender_name
    core.language = doc.locale.replace("_", "-")
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
