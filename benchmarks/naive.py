"""The baselines that are programs of their own, run as ``python benchmarks/naive.py WHAT ...``.

``campaign HOME CAMPAIGN MEMBERS KIND OUT DATE``: the same campaign as
``paperwork campaign render``, but naively: one process, and every DOCX made by
a plain ``DocxTemplate(path).render()`` + save that re-reads the layout file.

``bundle OUT PDF PHOTO...``: what a person without Paperwork might do: every
photo saved as a PDF page by Pillow at its full size, appended with pypdf after
the long PDF (no cover, index or stamps).
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path


def naive_docx(doc, layout) -> bytes:
    """docxtpl as its README shows it: open the template file, render, save."""
    from docxtpl import DocxTemplate

    from paperwork.core.resources import templates_root
    from paperwork.render.docx import docx_context

    template = DocxTemplate(str(templates_root() / "layouts" / f"{layout.name}.docx"))
    template.render(docx_context(doc), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def campaign(home: str, campaign_file: str, members: str, kind: str, out: str, on: str) -> None:
    import paperwork.render.docx as docx_module
    from paperwork.aggregate.campaign import run_campaign
    from paperwork.services.session import Paperwork

    docx_module.render_docx = naive_docx  # render_letter looks it up at each call
    pw = Paperwork(Path(home))
    result = run_campaign(
        pw, Path(campaign_file), Path(members), kind, Path(out), date.fromisoformat(on), jobs=1
    )
    print(f"rendered {result.rendered}, refused {result.refused}")


def bundle(out: str, pdf: str, *photos: str) -> None:
    from PIL import Image
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.append(pdf)
    for photo in photos:
        with Image.open(photo) as image:
            page = io.BytesIO()
            image.convert("RGB").save(page, "PDF", resolution=300)
        writer.append(io.BytesIO(page.getvalue()))
    with open(out, "wb") as handle:
        writer.write(handle)


if __name__ == "__main__":
    what, *args = sys.argv[1:]
    {"campaign": campaign, "bundle": bundle}[what](*args)
