"""Bundles read back: page counts, index, stamps, outline, downsampled photos, DOCX."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from paperwork.core.schema import CaseFileSchema, load_with, read_structured_file
from paperwork.services import record
from paperwork.services.cases import new_case
from paperwork.services.demo import sample_case_path
from paperwork.services.events import log_event
from paperwork.services.letters import draft_letter, mark_sent, render_bytes

TODAY = date(2026, 11, 26)
DATA = Path(__file__).parent.parent / "data"
MM = 72 / 25.4


def _case(pw, path: Path, opened: date) -> int:
    case = load_with(CaseFileSchema(), read_structured_file(path), path.name)
    return new_case(pw, case, opened, source=path.name)


def _pdf(path: Path, pages: int, size=(612, 792), text="Statement", rotate: int = 0) -> Path:
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=1)
    for n in range(1, pages + 1):
        canvas.drawString(40, size[1] - 60, f"{text} page {n}")
        canvas.drawString(40, 12, f"{text} footer {n}")  # content low on the page
        canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    if rotate:
        for page in writer.pages:
            page.rotate(rotate)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def _photo(path: Path, size=(4000, 3000)) -> Path:
    from PIL import Image

    Image.new("RGB", size, (180, 140, 90)).save(path, "JPEG", quality=70)
    return path


def _png(path: Path, size=(640, 400)) -> Path:
    from PIL import Image

    Image.new("RGBA", size, (20, 40, 200, 128)).save(path, "PNG")
    return path


def _us_case(pw, folder: Path) -> int:
    """A US case with two sent letters, a call, a reply and four pieces of evidence."""
    case_id = _case(pw, sample_case_path(), date(2026, 10, 10))
    first = draft_letter(pw, case_id, "complaint", date(2026, 10, 12))
    mark_sent(pw, first.id, date(2026, 10, 12), "certified", "9400111")
    log_event(
        pw,
        case_id,
        "call",
        date(2026, 10, 20),
        {"waited": 45, "duration": 10, "rep": "Dana", "ref": "R-55"},
    )
    log_event(
        pw,
        case_id,
        "response",
        date(2026, 11, 20),
        {"summary": "We are looking into it", "resolved": False},
    )
    second = draft_letter(pw, case_id, "follow_up", date(2026, 11, 21))
    mark_sent(pw, second.id, date(2026, 11, 21), "email")
    # a draft: not in the bundle
    draft_letter(pw, case_id, "escalation_supervisor", date(2026, 11, 25))
    record.add_evidence(
        pw, case_id, _pdf(folder / "statement.pdf", 3), date(2026, 10, 3), title="October statement"
    )
    record.add_evidence(
        pw, case_id, _photo(folder / "router.jpg"), date(2026, 10, 21), title="Photo of the router"
    )
    record.add_evidence(
        pw,
        case_id,
        _pdf(folder / "scan.pdf", 2, size=(595, 842), text="Scan", rotate=90),
        date(2026, 10, 22),
    )
    record.add_evidence(
        pw, case_id, _png(folder / "screen.png"), date(2026, 10, 23), title="Screenshot of the app"
    )
    return case_id


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """One data folder with the US case and its bundle, shared by the read-only tests."""
    from paperwork.services.session import Paperwork

    folder = tmp_path_factory.mktemp("bundle")
    service = Paperwork(folder / "home")
    case_id = _us_case(service, folder)
    result = record.build_bundle(
        service,
        case_id,
        folder / "out" / "bundle.pdf",
        TODAY,
        docx_out=folder / "out" / "bundle.docx",
    )
    yield service, case_id, result
    service.close()


@pytest.fixture
def built(env):
    return env[2]


def _texts(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def test_page_count_is_the_sum_of_the_parts(env):
    from pypdf import PdfReader

    pw, us_case, built = env
    reader = PdfReader(built.path)
    letters = [lt for lt in pw.store.letters(us_case) if lt.sent_on]
    letter_pages = sum(
        len(PdfReader(io.BytesIO(render_bytes(pw, lt, "pdf"))).pages) for lt in letters
    )
    kinds = [i.kind for i in built.items]
    assert kinds == [
        "cover",
        "index",
        "chronology",
        "letter",
        "letter",
        "evidence",
        "evidence",
        "evidence",
        "evidence",
    ]
    evidence_pages = 3 + 1 + 2 + 1
    own = sum(i.pages for i in built.items if i.kind in ("cover", "index", "chronology"))
    assert len(reader.pages) == built.pages == own + letter_pages + evidence_pages
    assert not built.warnings


def test_every_page_is_stamped_in_the_free_band(built):
    import pdfplumber

    total = built.pages
    with pdfplumber.open(built.path) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            band_top = page.height - 14 * MM
            words = page.extract_words()
            stamp = [w for w in words if w["top"] >= band_top]
            text = " ".join(w["text"] for w in stamp)
            assert f"Page {n} of {total}" in text, (n, text)
            # nothing but the stamp in the band: the stamp covers no content
            above = [w for w in words if w["bottom"] > band_top and w["top"] < band_top]
            assert not above, (n, above)


def test_index_and_outline_point_where_items_start(built):
    from pypdf import PdfReader

    reader = PdfReader(built.path)
    texts = _texts(built.path)
    import pdfplumber

    index_item = built.items[1]
    rows = []
    with pdfplumber.open(built.path) as pdf:
        for page in pdf.pages[index_item.start - 1 : index_item.end]:
            words = page.extract_words()
            no = next(w for w in words if w["text"] == "No.")
            pages = next(w for w in words if w["text"] == "Pages")
            for w in words:
                if abs(w["x0"] - no["x0"]) < 2 and w["text"].isdigit() and w["top"] > no["top"]:
                    cell = [
                        v["text"]
                        for v in words
                        if abs(v["top"] - w["top"]) < 2 and v["x0"] >= pages["x0"] - 2
                    ]
                    rows.append((w["text"], " ".join(cell)))
    # the index gives each item's page range...
    assert rows == [(str(n), item.page_range) for n, item in enumerate(built.items, start=1)], rows
    # the item really starts there
    by_kind = {i.title: i for i in built.items}
    assert "Index" in texts[by_kind["Index"].start - 1]
    assert "Chronology" in texts[by_kind["Chronology"].start - 1]
    statement = next(i for i in built.items if "October statement" in i.title)
    assert "Statement page 1" in texts[statement.start - 1]
    assert "Statement page 3" in texts[statement.end - 1]
    scan = next(i for i in built.items if i.title.startswith("E3"))
    assert "Scan page 1" in texts[scan.start - 1]
    letters = [i for i in built.items if i.kind == "letter"]
    assert "Formal complaint" in letters[0].title
    assert "Re: Formal complaint" in texts[letters[0].start - 1]
    assert "Second request" in texts[letters[1].start - 1]
    # one outline entry per item, pointing at its first page
    outline = reader.outline
    assert len(outline) == len(built.items)
    for entry, item in zip(outline, built.items, strict=True):
        assert reader.get_destination_page_number(entry) == item.start - 1
        assert entry.title.startswith(item.title)


def test_cover_letter_refers_to_bundle_pages(built):
    texts = _texts(built.path)
    cover = "\n".join(texts[: built.items[0].pages])
    assert "Consumer Protection Division" in cover  # the US-IL authority for billing
    chron = built.items[2]
    assert f"Chronology of events: page {chron.start}" in cover
    letters = [i for i in built.items if i.kind == "letter"]
    assert f"pages {letters[0].start}–{letters[-1].end}" in cover
    evidence = [i for i in built.items if i.kind == "evidence"]
    assert f"E1 to E4: pages {evidence[0].start}–{evidence[-1].end}" in cover
    assert f"bundle of {built.pages} numbered pages" in cover


def test_chronology_in_bundle_lists_everything_in_order(built):
    texts = _texts(built.path)
    chron = built.items[2]
    text = "\n".join(texts[chron.start - 1 : chron.end])
    for needle in (
        "two charges",
        "Formal complaint sent by certified mail",
        "45 min on hold",
        "Reply received",
        "MISSED",
    ):
        assert needle in text, needle
    assert (
        text.index("two charges")
        < text.index("Formal complaint sent")
        < text.index("45 min on hold")
    )


def test_photo_is_downsampled_and_fitted(built):
    from pypdf import PdfReader

    reader = PdfReader(built.path)
    photo = next(i for i in built.items if "router" in i.title)
    page = reader.pages[photo.start - 1]
    images = list(page.images)
    assert len(images) == 1
    width, height = images[0].image.size
    # fitted to a US Letter page inside 20 mm margins at 200 dpi: at most ~1380 px wide
    printable_in = (8.5 * 72 - 40 * MM) / 72
    assert width <= printable_in * 200 + 2
    assert width * height < 3_000_000  # was 12 MP
    assert abs(width / height - 4 / 3) < 0.02
    assert built.path.stat().st_size < 2_500_000


def test_rotated_evidence_keeps_its_pages_upright(built):
    from pypdf import PdfReader

    reader = PdfReader(built.path)
    scan = next(i for i in built.items if i.title.startswith("E3"))
    for index in range(scan.start - 1, scan.end):
        page = reader.pages[index]
        assert page.get("/Rotate", 0) == 0
        # a portrait A4 page turned by 90° is landscape now
        assert float(page.mediabox.width) > float(page.mediabox.height)


def test_every_font_is_embedded(built):
    from pypdf import PdfReader

    for page in PdfReader(built.path).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            if font.get("/BaseFont") == "/Helvetica":  # the synthetic evidence's own font
                continue
            assert descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ), font.get("/BaseFont")


def test_docx_bundle_holds_cover_index_chronology_letters_and_images(built):
    from docx import Document

    document = Document(str(built.docx_path))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Complaint against Acme Broadband" in text
    assert "Index" in text and "Chronology" in text
    assert "Formal complaint (letter 1)" in text and "Follow-up" in text
    assert "E1: October statement" in text and "E2: Photo of the router" in text
    assert "45 min on hold" in cells
    assert len(document.inline_shapes) == 2  # the photo and the screenshot


def test_missing_kept_file_becomes_a_notice_page(pw, tmp_path):
    case_id = _case(pw, DATA / "case_gb.toml", date(2026, 10, 1))
    record.add_evidence(pw, case_id, _pdf(tmp_path / "a.pdf", 2, text="Bill"), date(2026, 10, 5))
    record.add_evidence(pw, case_id, _png(tmp_path / "b.png"), date(2026, 10, 6))
    events = [e for e in pw.store.events(case_id) if e.kind == "evidence"]
    record.evidence_path(pw, events[0]).unlink()
    result = record.build_bundle(pw, case_id, tmp_path / "b.pdf", TODAY)
    assert len(result.warnings) == 1 and "E1" in result.warnings[0]
    texts = _texts(result.path)
    item = next(i for i in result.items if i.title.startswith("E1"))
    assert item.pages == 1
    assert "could not be included" in texts[item.start - 1]
    assert len(texts) == result.pages


def test_a4_bundle_for_a_gb_case_without_letters(pw, tmp_path):
    case_id = _case(pw, DATA / "case_gb.toml", date(2026, 10, 1))
    record.add_evidence(
        pw,
        case_id,
        _pdf(tmp_path / "speed.pdf", 1, size=(595, 842), text="Speed test"),
        date(2026, 10, 5),
    )
    result = record.build_bundle(pw, case_id, tmp_path / "gb.pdf", TODAY)
    from pypdf import PdfReader

    reader = PdfReader(result.path)
    assert round(float(reader.pages[0].mediabox.width)) == 595
    assert [i.kind for i in result.items] == ["cover", "index", "chronology", "evidence"]
    assert f"Page {result.pages} of {result.pages}" in reader.pages[-1].extract_text()


def test_bundle_output_is_replaced_atomically_on_failure(pw, tmp_path, monkeypatch):
    from paperwork.render import bundle as bundle_mod

    case_id = _case(pw, DATA / "case_gb.toml", date(2026, 10, 1))
    out = tmp_path / "keep.pdf"
    out.write_bytes(b"old")

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(bundle_mod, "_apply_stamps", boom)
    with pytest.raises(RuntimeError):
        record.build_bundle(pw, case_id, out, TODAY)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".keep.pdf")] == []


def test_photos_share_a_size_budget(tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    from paperwork.render.bundle import image_page_pdf

    grain = Image.effect_noise((800, 600), 60).resize((2400, 1800), Image.Resampling.BILINEAR)
    Image.merge("RGB", (grain, grain.rotate(180), grain)).save(tmp_path / "grainy.jpg", quality=95)

    def jpeg_bytes(pdf: bytes) -> int:
        return len(next(iter(PdfReader(io.BytesIO(pdf)).pages[0].images)).data)

    free = image_page_pdf(tmp_path / "grainy.jpg", "a4")
    capped = image_page_pdf(tmp_path / "grainy.jpg", "a4", max_bytes=150_000)
    assert jpeg_bytes(capped) <= 150_000 < jpeg_bytes(free)


def test_photo_orientation_from_exif_is_applied(tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    from paperwork.render.bundle import image_page_pdf

    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: display rotated by 90°
    Image.new("RGB", (800, 600), "orange").save(tmp_path / "turned.jpg", exif=exif)
    page = PdfReader(io.BytesIO(image_page_pdf(tmp_path / "turned.jpg", "a4"))).pages[0]
    width, height = next(iter(page.images)).image.size
    assert height > width


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "case_de.toml",
            ["Sehr geehrte Damen und Herren,", "Zeitlicher Ablauf", "Verzeichnis", "Seite 1 von"],
        ),
        ("case_fr.toml", ["Madame, Monsieur,", "Chronologie des faits", "Index", "Page 1 sur"]),
        ("case_es.toml", ["Cronología de los hechos", "Índice", "Página 1 de"]),
    ],
)
def test_bundle_pages_speak_the_case_language(pw, tmp_path, name, words):
    case_id = _case(pw, DATA / name, date(2026, 10, 1))
    letter = draft_letter(pw, case_id, "complaint", date(2026, 10, 1))
    mark_sent(pw, letter.id, date(2026, 10, 1), "registered")
    log_event(pw, case_id, "call", date(2026, 10, 5), {"waited": 35, "duration": 12})
    log_event(pw, case_id, "post", date(2026, 10, 7), {"url": "https://example.org/p/1"})
    record.add_evidence(pw, case_id, _png(tmp_path / "bill.png"), date(2026, 10, 6))
    result = record.build_bundle(pw, case_id, tmp_path / "b.pdf", TODAY, tmp_path / "b.docx")
    text = " ".join(" ".join(_texts(result.path)).split())
    for word in words:
        assert word in text, word
    # No English left on the bundle's own pages (the person's facts are their own).
    english_words = (
        "I enclose",
        "Chronology of events",
        "Phone call",
        "Public post",
        "Page numbers",
    )
    for english in (*english_words, "MISSED", "PNG image"):
        assert english not in text, english
    from docx import Document

    docx_text = "\n".join(p.text for p in Document(str(tmp_path / "b.docx")).paragraphs)
    assert "I enclose" not in docx_text and "Page numbers refer" not in docx_text


def test_every_bundle_language_has_every_word_with_the_same_placeholders():
    import re
    import tomllib

    from paperwork.core import resources

    table = tomllib.loads(resources.read_text("bundle.toml"))
    field = re.compile(r"\{\w+\}")

    def flat(words, prefix=""):
        for key, value in words.items():
            if isinstance(value, dict):
                yield from flat(value, f"{prefix}{key}.")
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    yield f"{prefix}{key}.{i}", item
            else:
                yield prefix + key, value

    english = dict(flat(table["en"]))
    for lang in ("de", "fr", "es"):
        words = dict(flat(table[lang]))
        assert set(words) == set(english) - {"to_whom"}, lang
        for key, text in words.items():
            # A language may leave out a value it does not need (German names no body).
            assert set(field.findall(text)) <= set(field.findall(english[key])), (lang, key)
            assert text.strip(), (lang, key)
