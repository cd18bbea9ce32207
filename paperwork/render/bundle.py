"""The evidence bundle: one paginated PDF an ombudsman can read in order.

Parts (cover letter, index, chronology, the letters as sent, the evidence) are
appended one at a time to a pypdf writer; photos are decoded one at a time,
reduced to about 200 dpi at their printed size and embedded as JPEG. Every page
then gets a stamp in a 14 mm band at its foot: the item's name on the left and
"Page N of M" on the right. Pages that were not made for the bundle (letters,
PDF evidence) are shrunk slightly towards the top so that band is empty and the
stamp never covers anything.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, BinaryIO

from paperwork.core.controls import scrub
from paperwork.render.chronology import (
    add_chronology_to_docx,
    build_story,
    docx_bytes,
    new_docx,
    page_size,
    set_column_widths,
    styles,
)
from paperwork.render.pdf import FONT, FONT_BOLD, MM, RULED_TABLE, escape, register_fonts
from paperwork.render.platypus import import_platypus

if TYPE_CHECKING:
    from paperwork.core.model import Case, Letter, LetterDocument, Party
    from paperwork.core.tally import Tally
    from paperwork.record.documents import BundleItem, ChronologyDoc

STAMP_BAND_MM = 14  # the foot of every page kept free for the stamp
PHOTO_DPI = 200  # enough to read a receipt
# Photos share a budget so a bundle stays small enough to e-mail (many mail
# servers refuse more than 20-25 MB): each gets an equal share, within limits.
PHOTO_BUDGET = 12_000_000
MAX_IMAGE_BYTES = 1_500_000
MIN_IMAGE_BYTES = 150_000
IMAGE_MARGIN_MM = 20


# ---------------------------------------------------------------------------
# checking evidence files


class EvidenceProblem(Exception):
    """Why an evidence file cannot go into a bundle: ``kind`` is "encrypted",
    "empty", "damaged" or "too_large"; ``detail`` says more."""

    def __init__(self, kind: str, detail: str = "", size: tuple[int, int] = (0, 0)):
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail, self.size = kind, detail, size


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:120]


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF made by Paperwork itself."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def inspect_pdf(source, full: bool = True) -> int:
    """The page count of a PDF given as bytes or a path; ``full`` also opens every
    page's content, so a file accepted now will not fail inside a bundle later."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
        if reader.is_encrypted:
            raise EvidenceProblem("encrypted")
        pages = len(reader.pages)
        if full:
            for page in reader.pages:
                box = page.mediabox
                if float(box.width) <= 0 or float(box.height) <= 0:
                    raise ValueError("a page has no size")
                page.get_contents()
    except EvidenceProblem:
        raise
    except Exception as exc:  # pypdf raises many types for broken files
        raise EvidenceProblem("damaged", _reason(exc)) from None
    if pages == 0:
        raise EvidenceProblem("empty")
    return pages


def inspect_image(data: bytes, max_pixels: int) -> tuple[int, int]:
    """(width, height) of a PNG or JPEG that decodes; refuses decompression bombs."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > max_pixels:
                raise EvidenceProblem("too_large", size=(width, height))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
    except EvidenceProblem:
        raise
    except Exception as exc:
        raise EvidenceProblem("damaged", _reason(exc)) from None
    return width, height


# ---------------------------------------------------------------------------
# the cover letter and the index


def evidence_label(data: dict[str, Any], locale: str) -> str:
    """A line about an evidence file for the index: kind, pages, name, short hash."""
    from paperwork.core.i18n import bundle_words, counted

    words = bundle_words(locale)
    media = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpeg"}.get(
        str(data.get("media_type")), "other"
    )
    if media == "pdf":
        text = counted(words["pdf_pages"], int(data.get("pages", 1) or 1))
    else:
        text = words["media"][media]
    if data.get("filename"):
        text += f", {scrub(str(data['filename']), keep='')}"
    if data.get("sha256"):
        text += f", SHA-256 {str(data['sha256'])[:12]}…"
    return text


def _pages_phrase(item: BundleItem, words: dict) -> str:
    """ "page 3" or "pages 4–7" in the letter language."""
    if item.pages <= 1:
        return words["page_one"].format(n=item.start)
    return words["page_range"].format(start=item.start, end=item.end)


def cover_document(
    case: Case,
    sender: Party,
    authority,
    items: list[BundleItem],
    total: int,
    tally: Tally,
    today: date,
    locale: str,
) -> LetterDocument:
    """The covering letter to the regulator or ombudsman (or "To whom it may
    concern"), pointing at the bundle pages of each part."""
    from paperwork.core import i18n
    from paperwork.core.model import LetterDocument

    conv = i18n.conventions(locale)
    words = i18n.bundle_words(locale)
    company = case.company.name
    if authority is not None:
        name = authority.name(locale)
        # the window is about 80 mm wide: wrap a long body name rather than run into the info block
        width = 48 if i18n.paper_for(locale) == "letter" else 42
        recipient = [
            part
            for line in (name, *authority.address)
            for part in textwrap.wrap(line, width) or [""]
        ]
        salutation = conv["salutation"]
        continuation = name
    else:
        recipient = []
        # English has its own words for an unnamed reader (with a colon in US
        # letters); the other languages use their usual salutation.
        to_whom = words.get("to_whom")
        if to_whom is None:
            salutation = conv["salutation"]
        else:
            salutation = to_whom + (":" if conv["salutation"].endswith(":") else "")
        continuation = words["covering_letter"]
    account = (
        words["account_note"].format(number=case.account_number) if case.account_number else ""
    )
    ask = (
        words["ask_body"].format(company=company, body=authority.name(locale))
        if authority is not None
        else words["ask_you"].format(company=company)
    )
    paragraphs = [
        words["enclose"].format(total=total, company=company, account=account) + " " + ask,
        words["in_short"].format(summary=case.summary, remedy=case.remedy),
    ]
    pressure = []
    if tally.letters_sent:
        pressure.append(i18n.counted(words["letters_written"], tally.letters_sent))
    if tally.calls:
        hold = i18n.duration(tally.hold_minutes, locale)
        pressure.append(
            i18n.counted(words["calls_made"], tally.calls)
            + (words["hold_spent"].format(hold=hold) if hold else "")
        )
    if pressure and tally.first_contact:
        sentence = words["since"].format(
            date=i18n.long_date(tally.first_contact, locale),
            pressure=words["and"].join(pressure),
        )
        if tally.missed_deadlines:
            sentence += " " + i18n.counted(
                words["deadlines_let_pass"], tally.missed_deadlines, company=company
            )
        paragraphs[0] += " " + sentence
    index = next((i for i in items if i.kind == "index"), None)
    where = (
        words["where_index"].format(pages=_pages_phrase(index, words)) if index is not None else ""
    )
    paragraphs.append(words["numbers_below"].format(where=where))
    letters = [i for i in items if i.kind == "letter"]
    evidence = [i for i in items if i.kind == "evidence"]
    chron = next((i for i in items if i.kind == "chronology"), None)
    if chron is not None:
        paragraphs.append(words["chronology_item"].format(pages=_pages_phrase(chron, words)))
    if len(letters) == 1:
        when = i18n.long_date(letters[0].on, locale) if letters[0].on else ""
        paragraphs.append(
            words["one_letter"].format(
                date=when, company=company, pages=_pages_phrase(letters[0], words)
            )
        )
    elif letters:
        span = words["page_range"].format(start=letters[0].start, end=letters[-1].end)
        paragraphs.append(words["many_letters"].format(n=len(letters), company=company, pages=span))
    if len(evidence) == 1:
        paragraphs.append(
            words["one_evidence"].format(
                title=evidence[0].title, pages=_pages_phrase(evidence[0], words)
            )
        )
    elif evidence:
        span = words["page_range"].format(start=evidence[0].start, end=evidence[-1].end)
        paragraphs.append(
            words["many_evidence"].format(
                first=evidence[0].label, last=evidence[-1].label, pages=span
            )
        )
    paragraphs.append(words["originals"])
    references: list[tuple[str, str]] = []
    if case.account_number:
        references.append((conv["account"], case.account_number))
    if case.references:
        references.append((f"{company}: {conv['references'].lower()}", "; ".join(case.references)))
    return LetterDocument(
        **i18n.sender_fields(sender, locale, today),
        recipient_lines=recipient,
        references=references,
        subject=conv["subject_prefix"] + words["subject"].format(company=company, title=case.title),
        salutation=salutation,
        paragraphs=paragraphs,
        closing=conv["closing"],
        page_label=conv.get("page", "Page {n} of {m}"),
        continuation=continuation,
    )


def index_rows(items: list[BundleItem], locale: str) -> list[tuple[str, str, str, str]]:
    """(No., item, date, bundle pages) for each item."""
    from paperwork.core.i18n import bundle_words, short_date

    words = bundle_words(locale)
    rows = []
    for number, item in enumerate(items, start=1):
        title = item.title + (f" — {item.note}" if item.note else "")
        if item.problem:
            title += words["not_included"].format(problem=item.problem)
        rows.append(
            (str(number), title, short_date(item.on, locale) if item.on else "", item.page_range)
        )
    return rows


def index_pdf(case: Case, items: list[BundleItem], total: int, paper: str, locale: str) -> bytes:
    """The index page(s): every item with the bundle pages it occupies."""
    from paperwork.core.controls import scrub_all

    case, items = scrub_all((case, items))
    import_platypus()
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    from paperwork.core.i18n import bundle_words

    words = bundle_words(locale)
    st = styles()
    width = page_size(paper)[0] - 40 * MM
    subtitle = words["index_subtitle"].format(
        title=case.title, company=case.company.name, total=total
    )
    story: list = [
        Paragraph(escape(words["index"]), st["title"]),
        Paragraph(escape(subtitle), st["subtitle"]),
    ]
    rows = [[Paragraph(escape(h), st["head"]) for h in words["index_head"]]]
    for row in index_rows(items, locale):
        rows.append([Paragraph(escape(v), st["cell"]) for v in row])
    table = Table(
        rows, colWidths=[0.07 * width, 0.63 * width, 0.14 * width, 0.16 * width], repeatRows=1
    )
    table.setStyle(TableStyle(RULED_TABLE))
    story += [table, Spacer(0, 10)]
    story.append(Paragraph(escape(words["index_note"]), st["small"]))
    return build_story(story, paper, words["index"], "", None, locale)


# ---------------------------------------------------------------------------
# evidence pages


def image_page_pdf(path, paper: str, dpi: int = PHOTO_DPI, max_bytes: int | None = None) -> bytes:
    """One page with the image fitted inside the margins, below room for a caption,
    reduced to ``dpi`` at its printed size (never enlarged). With ``max_bytes``
    the JPEG quality, then the resolution, steps down until the image fits."""
    from PIL import Image, ImageOps
    from reportlab import rl_config

    register_fonts()
    width, height = page_size(paper)
    box_w = width - 2 * IMAGE_MARGIN_MM * MM
    top = height - 18 * MM
    box_h = top - 10 * MM - (STAMP_BAND_MM + 8) * MM
    with Image.open(path) as opened:
        image: Image.Image = opened
        # Decode a JPEG at a reduced scale straight away: a 12-MP photo never
        # needs all its pixels in memory to come out at 200 dpi.
        opened.draft("RGB", (int(box_w / 72 * dpi) + 1, int(box_h / 72 * dpi) + 1))
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        iw, ih = image.size
        scale = min(box_w / iw, box_h / ih)
        draw_w, draw_h = iw * scale, ih * scale
        source = image
        for step_dpi in (dpi, dpi * 0.8, dpi * 0.6, dpi * 0.45):
            target = (max(1, round(draw_w / 72 * step_dpi)), max(1, round(draw_h / 72 * step_dpi)))
            image = source
            if target[0] < iw:
                # bicubic: as sharp as Lanczos at these ratios, at half the cost
                image = source.resize(target, Image.Resampling.BICUBIC, reducing_gap=2.0)
            for quality in (85, 70, 55, 45):
                data = io.BytesIO()
                image.save(data, "JPEG", quality=quality, comment=b"")  # no JPEG comment
                if max_bytes is None or data.tell() <= max_bytes:
                    break
            if max_bytes is None or data.tell() <= max_bytes:
                break
        del source, image
    data.seek(0)
    buffer = io.BytesIO()
    # reportlab would ASCII85-encode the JPEG in pure Python (seconds per photo and
    # a quarter larger); binary is what every PDF reader expects anyway.
    saved_a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        _draw_image_page(buffer, data, (width, height), top, (draw_w, draw_h))
    finally:
        rl_config.useA85 = saved_a85
    return buffer.getvalue()


def _draw_image_page(buffer, data, size, top, drawn) -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    width, _height = size
    draw_w, draw_h = drawn
    canvas = Canvas(buffer, pagesize=size, invariant=1, initialFontName=FONT, initialFontSize=10)
    # the caption is drawn with the page stamp, whose font all pages share
    canvas.drawImage(
        ImageReader(data), (width - draw_w) / 2, top - 10 * MM - draw_h, draw_w, draw_h
    )
    canvas.showPage()
    canvas.save()


def notice_page_pdf(title: str, text: str, paper: str) -> bytes:
    """A page standing in for evidence that could not be included."""
    import_platypus()
    from reportlab.platypus import Paragraph

    st = styles()
    story = [Paragraph(escape(title), st["title"]), Paragraph(escape(text), st["body"])]
    return build_story(story, paper, title, "", None, "en_GB")


# ---------------------------------------------------------------------------
# assembling the PDF


def _fit_above_band(page, band: float) -> None:
    """Turn a page upright (its /Rotate into the content) and shrink its content
    towards the top so the bottom ``band`` points are empty. Content streams are
    wrapped in one matrix, never parsed, so a 300-page scan stays cheap."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject, RectangleObject

    box = page.cropbox
    x0, y0, w, h = float(box.left), float(box.bottom), float(box.width), float(box.height)
    rotate = int(page.get("/Rotate", 0) or 0) % 360
    # (a, b, c, d, e, f): x' = a x + c y + e, y' = b x + d y + f, from the page's
    # own coordinates to an upright page of size (pw, ph) with its corner at 0, 0
    if rotate == 90:
        r, (pw, ph) = (0, -1, 1, 0, -y0, w + x0), (h, w)
    elif rotate == 180:
        r, (pw, ph) = (-1, 0, 0, -1, w + x0, h + y0), (w, h)
    elif rotate == 270:
        r, (pw, ph) = (0, 1, -1, 0, h + y0, -x0), (h, w)
    else:
        r, (pw, ph) = (1, 0, 0, 1, -x0, -y0), (w, h)
    s = (ph - band) / ph if ph > 3 * band else 1.0
    tx, ty = (pw - s * pw) / 2, ph - s * ph
    a, b, c, d, e, f = r
    m = (a * s, b * s, c * s, d * s, e * s + tx, f * s + ty)

    def apply(x: float, y: float) -> tuple[float, float]:
        return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])

    _wrap_contents(page, ("q " + " ".join(f"{v:.6f}" for v in m) + " cm\n").encode(), b"\nQ\n")
    for name in ("/MediaBox", "/CropBox"):
        page[NameObject(name)] = RectangleObject([0, 0, pw, ph])
    for name in ("/TrimBox", "/BleedBox", "/ArtBox"):
        if name in page:
            del page[name]
    page[NameObject("/Rotate")] = NumberObject(0)
    annots = page.get("/Annots")
    if annots is not None:
        for ref in annots.get_object():
            annot = ref.get_object()
            rect = annot.get("/Rect")
            if rect is None or len(rect) != 4:
                continue
            (p1, q1), (p2, q2) = (
                apply(float(rect[0]), float(rect[1])),
                apply(float(rect[2]), float(rect[3])),
            )
            annot[NameObject("/Rect")] = ArrayObject(
                [
                    FloatObject(min(p1, p2)),
                    FloatObject(min(q1, q2)),
                    FloatObject(max(p1, p2)),
                    FloatObject(max(q1, q2)),
                ]
            )


def _stream(writer, data: bytes):
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode())


def _wrap_contents(page, before: bytes, after: bytes) -> None:
    from pypdf.generic import ArrayObject, NameObject

    writer = page.indirect_reference.pdf
    contents = page.get("/Contents")
    parts = ArrayObject()
    parts.append(_stream(writer, before))
    if contents is not None:
        resolved = contents.get_object()
        if isinstance(resolved, ArrayObject):
            parts.extend(resolved)
        else:
            parts.append(contents)
    parts.append(_stream(writer, after))
    page[NameObject("/Contents")] = parts


def _item_pages(
    item: BundleItem, paper: str, band: float, image_budget: int | None = None
) -> Iterator[tuple[Any, bool]]:
    """(pypdf page, needs fitting) for each page of ``item``, one item in memory at a time."""
    from pypdf import PdfReader

    if item.problem:
        text = (
            f"{item.title} could not be included in this bundle: {item.problem}. "
            "The rest of the bundle is complete; add the evidence again with 'paperwork evidence add'."
        )
        yield PdfReader(io.BytesIO(notice_page_pdf(item.title, text, paper))).pages[0], False
        return
    if item.pdf is not None:
        fit = item.kind in ("cover", "letter")
        for page in PdfReader(io.BytesIO(item.pdf)).pages:
            yield page, fit
        return
    assert item.path is not None
    if item.media_type == "application/pdf":
        reader = PdfReader(item.path)
        for page in reader.pages:
            yield page, True
        return
    page_pdf = image_page_pdf(item.path, paper, max_bytes=image_budget)
    yield PdfReader(io.BytesIO(page_pdf)).pages[0], False


def _stamp_pdf(
    labels: list[tuple[str, str]],
    sizes: list[tuple[float, float]],
    headers: list[str] | None = None,
) -> bytes:
    """One page per bundle page: the item's name on the left, "Page N of M" on the
    right, and for photos their caption in the top margin."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=FONT, initialFontSize=8)
    for index, ((left, right), (w, h)) in enumerate(zip(labels, sizes, strict=True)):
        canvas.setPageSize((w, h))
        header = headers[index] if headers else ""
        if header:
            canvas.setFont(FONT_BOLD, 11)
            canvas.drawString(IMAGE_MARGIN_MM * MM, h - 18 * MM - 11, header[:100])
        margin = min(20 * MM, w * 0.08)
        base = 5.5 * MM
        canvas.setStrokeGray(0.6)
        canvas.setLineWidth(0.4)
        canvas.line(margin, base + 4.5 * MM, w - margin, base + 4.5 * MM)
        canvas.setFillGray(0.25)
        canvas.setFont(FONT, 7.5)
        room = w - 2 * margin - canvas.stringWidth(right, FONT_BOLD, 9) - 12
        while left and canvas.stringWidth(left, FONT, 7.5) > room:
            left = left[:-2]
            left = left.rstrip() + "…" if left else ""
        canvas.drawString(margin, base, left)
        canvas.setFillGray(0)
        canvas.setFont(FONT_BOLD, 9)
        canvas.drawRightString(w - margin, base, right)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


_FONT_NAME = re.compile(rb"/(F\d+(?:\+\d+)?)(?=[\s/\[<(])")


def _apply_stamps(writer, stamp: bytes) -> None:
    """Add each stamp page's drawing on top of the matching bundle page. The
    stamp's fonts are added under private names; no content stream is parsed."""
    from typing import cast

    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, NameObject

    reader = PdfReader(io.BytesIO(stamp))
    # pypdf types an indirect object's target loosely; a page's /Resources is a dictionary
    stamp_resources = cast(DictionaryObject, reader.pages[0]["/Resources"].get_object())
    fonts_src = cast(DictionaryObject, stamp_resources["/Font"].get_object())
    fonts = {key: fonts_src.raw_get(key).clone(writer) for key in fonts_src}
    renamed = {key[1:].encode(): f"PwStamp{key[1:]}".encode() for key in fonts}
    for page, stamp_page in zip(writer.pages, reader.pages, strict=True):
        contents = stamp_page.get_contents()
        assert contents is not None  # reportlab drew the stamp: every page has content
        data = contents.get_data()
        data = _FONT_NAME.sub(lambda m: b"/" + renamed.get(m.group(1), m.group(1)), data)
        _wrap_contents(page, b"q\n", b"\nQ\n")
        page["/Contents"].append(_stream(writer, b"q\n" + data + b"\nQ\n"))
        resources = page.get("/Resources")
        if resources is None:
            resources = DictionaryObject()
            page[NameObject("/Resources")] = resources
        resources = resources.get_object()
        font_dict = resources.get("/Font")
        if font_dict is None:
            font_dict = DictionaryObject()
            resources[NameObject("/Font")] = font_dict
        font_dict = font_dict.get_object()
        for key, ref in fonts.items():
            font_dict[NameObject(f"/PwStamp{key[1:]}")] = ref


def write_bundle_pdf(
    handle: BinaryIO,
    items: list[BundleItem],
    *,
    paper: str,
    page_label: str,
    title: str,
    author: str,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Append every item's pages, stamp them and add the outline; returns the page count."""
    from pypdf import PdfWriter

    from paperwork.core.controls import scrub_all

    items, title, author = scrub_all(items), scrub(title), scrub(author)

    writer = PdfWriter()
    band = STAMP_BAND_MM * MM
    images = sum(
        1
        for i in items
        if i.kind == "evidence" and not i.problem and i.path and i.media_type != "application/pdf"
    )
    image_budget = (
        min(MAX_IMAGE_BYTES, max(MIN_IMAGE_BYTES, PHOTO_BUDGET // images)) if images else None
    )
    labels: list[str] = []
    headers: list[str] = []  # a caption above a photo, drawn with the stamp
    for item in items:
        if progress:
            progress(item.title)
        first = len(writer.pages)
        for page, fit in _item_pages(item, paper, band, image_budget):
            added = writer.add_page(page)
            if fit:
                _fit_above_band(added, band)
            labels.append(item.title)
            photo = item.kind == "evidence" and item.pdf is None and not item.problem
            headers.append(item.title if photo and item.media_type != "application/pdf" else "")
        count = len(writer.pages) - first
        if count != item.pages:  # the index would lie: refuse rather than mislead
            raise RuntimeError(f"{item.title}: laid out as {item.pages} pages but gave {count}")
        where = f"p. {item.page_range}" if item.pages == 1 else f"pp. {item.page_range}"
        writer.add_outline_item(title=f"{item.title} ({where})", page_number=first)
    total = len(writer.pages)
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in writer.pages]
    stamp = _stamp_pdf(
        [(lab, page_label.format(n=n, m=total)) for n, lab in enumerate(labels, 1)], sizes, headers
    )
    _apply_stamps(writer, stamp)
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": author,
            "/Creator": "Paperwork",
            "/Producer": "Paperwork (pypdf)",
        }
    )
    writer.page_mode = "/UseOutlines"
    writer.write(handle)
    return total


# ---------------------------------------------------------------------------
# the DOCX bundle


def _docx_image(path, max_px: int = 1400) -> io.BytesIO:
    from PIL import Image, ImageOps

    with Image.open(path) as opened:
        opened.draft("RGB", (max_px, max_px))
        image: Image.Image = ImageOps.exif_transpose(opened)
        if image.mode != "RGB":
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, comment=b"")  # no JPEG comment
    out.seek(0)
    return out


def bundle_docx(
    cover: LetterDocument,
    case: Case,
    items: list[BundleItem],
    chron: ChronologyDoc,
    letters: list[Letter],
    titles: dict[str, str],
) -> bytes:
    """The bundle as an editable DOCX: cover letter, index, chronology, the letters'
    text, and the evidence listed with images embedded."""
    from docx.enum.text import WD_BREAK

    from paperwork.core.controls import scrub_all

    cover, case, items, chron, letters, titles = scrub_all(
        (cover, case, items, chron, letters, titles)
    )
    from docx.shared import Mm

    from paperwork.core.i18n import bundle_words, long_date
    from paperwork.letters.compose import printable_text

    words = bundle_words(chron.locale)
    title = words["bundle_title"].format(title=case.title)
    document = new_docx(chron.paper, title, cover.sender_name, chron.locale)

    def page_break() -> None:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def add_text(text: str) -> None:
        for line in text.rstrip("\n").split("\n"):
            if line.startswith("- "):
                document.add_paragraph(line[2:], style="List Bullet")
            else:
                document.add_paragraph(line)

    add_text(printable_text(cover))
    page_break()
    document.add_heading(words["index"], level=1)
    document.add_paragraph(words["index_note_docx"])
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, words["index_head_docx"], strict=True):
        cell.text = text
    for row in index_rows(items, chron.locale):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    set_column_widths(table, (12, 112, 22, 24))
    page_break()
    add_chronology_to_docx(document, chron)
    letter_items = [i for i in items if i.kind == "letter"]
    for letter, item in zip(letters, letter_items, strict=False):
        page_break()
        sent = (
            words["docx_sent"].format(date=long_date(letter.sent_on, chron.locale))
            if letter.sent_on
            else ""
        )
        heading = words["letter_item"].format(
            title=titles.get(letter.kind, letter.kind), id=letter.id
        )
        document.add_heading(heading + sent, level=1)
        document.add_paragraph(
            words["docx_pages"].format(pages=_pages_phrase(item, words), note=item.note)
        )
        add_text(printable_text(letter.document))
    evidence = [i for i in items if i.kind == "evidence"]
    if evidence:
        page_break()
        document.add_heading(words["docx_evidence"], level=1)
    width = Mm(150)
    for item in evidence:
        document.add_heading(item.title, level=2)
        facts = words["docx_evidence_pages"].format(
            note=item.note, pages=_pages_phrase(item, words)
        )
        if item.problem:
            facts += words["docx_not_included"].format(problem=item.problem)
        document.add_paragraph(facts)
        if (
            not item.problem
            and item.media_type in ("image/png", "image/jpeg")
            and item.path is not None
        ):
            document.add_picture(_docx_image(item.path), width=width)
    return docx_bytes(document)
