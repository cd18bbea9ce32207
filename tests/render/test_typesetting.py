"""Typesetting read back from real files: the closing keeps with the text, one page
counter per page, amounts stay with their currency, DOCX properties and language."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from clikit import libreoffice_pdf

from paperwork.core.layouts import LAYOUTS
from paperwork.render import layout_named, render_letter
from paperwork.services.cases import new_case
from paperwork.services.letters import draft_letter

DATA = Path(__file__).resolve().parents[1] / "data"
PT_PER_MM = 72 / 25.4


def _letter(pw, case_file: Path):
    from paperwork.core.schema import load_case_file

    case_id = new_case(pw, load_case_file(case_file), date(2026, 11, 26))
    return draft_letter(pw, case_id, "complaint", date(2026, 11, 26))


def _pages(data: bytes) -> list[list[dict]]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_words() for page in pdf.pages]


def _page_lines(data: bytes) -> list[list[str]]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(page.extract_text() or "").splitlines() for page in pdf.pages]


@pytest.mark.parametrize("layout_name", ["us_block", "din5008_b", "fr_window"])
def test_the_closing_always_shares_its_page_with_body_text(pw, us_case_file, layout_name):
    """Grow the letter a line at a time across the page break: wherever the break
    falls, the page with the closing also holds text of the letter above it."""
    letter = _letter(pw, us_case_file)
    layout = layout_named(layout_name)
    base = letter.document
    two_page_seen = False
    for extra in range(0, 26):
        words = " ".join(f"filler{i}" for i in range(extra * 12))
        doc = replace(
            base, paragraphs=[*base.paragraphs, *(["Line of text " * 9] * 3), words or "End."]
        )
        pages = _pages(render_letter(doc, layout, "pdf"))
        closing_first = doc.closing.split()[0]
        at = [
            (number, w)
            for number, page in enumerate(pages)
            for w in page
            if w["text"] == closing_first
        ][-1]
        number, word = at
        if number == 0:
            continue
        two_page_seen = True
        above = [
            w
            for w in pages[number]
            if w["top"] < word["top"] - 1 and w["top"] > 20 * PT_PER_MM  # below the header
        ]
        assert above, f"closing alone on page {number + 1} with {extra * 12} filler words"
    assert two_page_seen


@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
def test_page_counter_appears_exactly_once_per_page(pw, us_case_file, layout_name):
    letter = _letter(pw, us_case_file)
    long_doc = replace(
        letter.document,
        paragraphs=[
            *letter.document.paragraphs,
            *(f"Paragraph {i}: " + "word " * 70 for i in range(30)),
        ],
    )
    data = render_letter(long_doc, layout_named(layout_name), "pdf")
    lines = _page_lines(data)
    total = len(lines)
    assert total >= 3
    for number, page in enumerate(lines, start=1):
        text = "\n".join(page)
        assert len(re.findall(r"Page \d+ of \d+", text)) == 1, (number, text[-300:])
        assert f"Page {number} of {total}" in text
        if number > 1:  # the continuation header: recipient, date and the page, on one line
            header = next(line for line in page if f"Page {number} of" in line)
            assert letter.document.continuation in header and letter.document.place_date in header


@pytest.mark.parametrize(
    ("locale", "amount"),
    [
        ("de_DE", "49,98\u00a0€"),
        ("fr_FR", "1\u202f234,98\u00a0€"),
        ("de_DE", "44,99 €"),
        ("en_GB", "EUR 12.00"),
    ],
)
def test_an_amount_never_splits_from_its_currency(pw, us_case_file, locale, amount):
    """Slide the amount along the line (a narrow two-inch column and the full
    width): the number and its currency always end up on the same line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from paperwork.render.pdf import _p, _styles

    number_part = amount.replace("\u00a0", " ").replace("\u202f", " ")
    for width_mm in (50, 160):
        flow = []
        for shift in range(0, 30):
            flow.append(
                _p(
                    "x" * shift + " Bitte zahlen Sie " + amount + " zurück und mehr.",
                    _styles()["body"],
                )
            )
        buffer = io.BytesIO()
        margin = (A4[0] - width_mm * PT_PER_MM) / 2
        SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin).build(flow)
        text = "\n".join("\n".join(page) for page in _page_lines(buffer.getvalue()))
        lines = [
            " ".join(line.replace("\u00a0", " ").replace("\u202f", " ").split())
            for line in text.splitlines()
        ]
        together = sum(number_part in line for line in lines)
        assert together == 30, (width_mm, [line for line in lines if number_part not in line][:6])


@pytest.mark.parametrize("locale", ["de_DE", "es_ES", "fr_FR", "en_GB", "en_US"])
def test_a_long_date_never_splits_between_day_and_month(pw, locale):
    """Slide a letter's long date (and the same date typed by hand, with plain spaces)
    along a narrow column and the full width: day and month stay on one line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from paperwork.core.i18n import long_date
    from paperwork.render.pdf import _p, _styles

    day = date(2026, 12, 28)
    written = long_date(day, locale)
    day_month = {
        "de_DE": "28. Dezember",
        "es_ES": "28 de diciembre",
        "fr_FR": "28 décembre",
        "en_GB": "28 December",
        "en_US": "December 28",
    }[locale]
    assert day_month in written
    for width_mm in (50, 160):
        flow = [
            _p(
                "x" * shift + f" bis zum {written} und am {day_month} noch einmal.",
                _styles()["body"],
            )
            for shift in range(0, 30)
        ]
        buffer = io.BytesIO()
        margin = (A4[0] - width_mm * PT_PER_MM) / 2
        SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin).build(flow)
        text = "\n".join("\n".join(page) for page in _page_lines(buffer.getvalue()))
        lines = [" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines()]
        together = sum(line.count(day_month) for line in lines)
        assert together == 60, (width_mm, [line for line in lines if day_month not in line][:6])


def test_day_and_month_are_joined_by_no_break_spaces_in_every_letter_language():
    from paperwork.core.i18n import nonbreaking_dates

    cases = {
        "am 28. Dezember 2026": "am 28.\u00a0Dezember 2026",
        "el 5 de diciembre de 2026": "el 5\u00a0de\u00a0diciembre de 2026",
        "le 1er mai 2027": "le 1er\u00a0mai 2027",
        "on 5 December 2026": "on 5\u00a0December 2026",
        "by December 5, 2026": "by December\u00a05, 2026",
        # no date: left alone
        "44 minutos de espera, 12 meses más": "44 minutos de espera, 12 meses más",
        "May 2026, version 3.28 Dezember": "May 2026, version 3.28 Dezember",
    }
    for given, expected in cases.items():
        assert nonbreaking_dates(given) == expected


def test_the_month_names_written_out_for_typesetting_are_cldrs():
    from babel.dates import get_month_names

    from paperwork.core.i18n import MONTH_NAMES

    for language, names in MONTH_NAMES.items():
        cldr = get_month_names("wide", locale=language)
        assert names.split() == [cldr[month] for month in range(1, 13)], language


def test_money_uses_a_no_break_space_before_the_currency():
    from decimal import Decimal

    from paperwork.core.i18n import money
    from paperwork.core.model import Money

    for locale in ("de_DE", "fr_FR", "es_ES"):
        text = money(Money(Decimal("1234.98"), "EUR"), locale)
        assert " " not in text and "\u00a0€" in text, (locale, text)


def _docx(pw, case_file: Path):
    import docx

    from paperwork.services.letters import render_bytes

    letter = _letter(pw, case_file)
    data = render_bytes(pw, letter, "docx")
    return letter, data, docx.Document(io.BytesIO(data))


@pytest.mark.parametrize(
    ("case_file", "tag"),
    [
        ("case_gb.toml", "en-GB"),
        ("case_de.toml", "de-DE"),
        ("case_fr.toml", "fr-FR"),
        ("case_es.toml", "es-ES"),
        ("case_us_ma.toml", "en-US"),
    ],
)
def test_docx_core_properties_and_styles_carry_the_letter(pw, case_file, tag):
    import zipfile

    letter, data, document = _docx(pw, DATA / case_file)
    core = document.core_properties
    doc = letter.document
    assert core.author == doc.sender_name
    assert core.last_modified_by == doc.sender_name
    assert core.title == doc.subject
    assert core.language == tag
    midnight = core.created.replace(tzinfo=None)
    assert midnight.date() == date.fromisoformat(doc.date_iso) and midnight.hour == 0
    assert core.modified == core.created
    assert core.comments == "" and core.revision == 1
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in ("docProps/core.xml", "docProps/app.xml"):
            part = package.read(name).decode("utf-8")
            assert "python-docx" not in part and "2013" not in part, name
        styles = package.read("word/styles.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
    langs = re.findall(r'<w:lang w:val="([^"]+)"', styles)
    assert langs and set(langs) == {tag}
    assert f'w:themeFontLang w:val="{tag}"' in settings
    # the style defaults python-docx reads back
    rpr = document.styles.element.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docDefaults"
    )
    assert tag in "".join(rpr.itertext()) or f'w:val="{tag}"' in _xml(rpr)


def _xml(element) -> str:
    from lxml import etree

    return etree.tostring(element).decode()


def test_docx_keeps_the_last_paragraph_and_closing_with_the_signature(pw, gb_case_file):
    letter, _, document = _docx(pw, gb_case_file)
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    texts = [p.text for p in paragraphs]
    closing = texts.index(letter.document.closing)
    assert paragraphs[closing].paragraph_format.keep_with_next
    assert paragraphs[closing - 1].paragraph_format.keep_with_next
    # the DOCX joins day and month (and amount and currency) with no-break spaces
    last = paragraphs[closing - 1].text.replace("\u00a0", " ")
    assert last == letter.document.paragraphs[-1].lstrip("- ").replace("\u00a0", " ")


def test_docx_plain_path_matches_the_fast_path(pw, gb_case_file):
    import docx

    from paperwork.render.docx import render_docx_plain
    from paperwork.services.letters import layout_for

    letter = _letter(pw, gb_case_file)
    plain = docx.Document(io.BytesIO(render_docx_plain(letter.document, layout_for(pw, letter))))
    assert plain.core_properties.author == letter.document.sender_name
    assert plain.core_properties.language == "en-GB"
    assert plain.core_properties.created.year == 2026
    assert 'w:val="en-GB"' in _xml(plain.styles.element)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is installed by tools/system-deps.sh"
)
def test_two_page_docx_opens_in_libreoffice_with_the_closing_after_text(pw, us_case_file, tmp_path):
    import pdfplumber

    letter = _letter(pw, us_case_file)
    base = letter.document
    doc = replace(base, paragraphs=[*base.paragraphs, *(["Line of text " * 12] * 6)])
    source = tmp_path / "long.docx"
    source.write_bytes(render_letter(doc, layout_named("us_block"), "docx"))
    with pdfplumber.open(libreoffice_pdf(source, tmp_path)) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    holding = [i for i, text in enumerate(pages) if base.closing in text][-1]
    before = pages[holding].split(base.closing)[0]
    assert re.search(r"Line of text|\w{4,}", re.sub(r"Page \d+ of \d+", "", before))


@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
def test_docx_layouts_carry_no_tool_boilerplate(layout_name):
    """The layout documents themselves (tools/build_docx_layouts.py): no author,
    description, 2013 dates, application name or thumbnail from python-docx."""
    import zipfile

    import docx

    from paperwork.core.resources import templates_root

    path = templates_root() / "layouts" / f"{layout_name}.docx"
    core = docx.Document(str(path)).core_properties
    assert core.author == "" and core.comments == "" and core.last_modified_by == ""
    assert core.created is None and core.modified is None
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        metadata = "".join(
            package.read(name).decode("utf-8")
            for name in ("docProps/core.xml", "docProps/app.xml", "_rels/.rels")
        )
    assert not any("thumbnail" in name for name in names)
    for boilerplate in ("python-docx", "2013", "Macintosh", "Normal.dotm"):
        assert boilerplate not in metadata, boilerplate
    assert "<Application>Paperwork</Application>" in metadata


def _long_docx(pw, case_file: Path):
    import docx

    from paperwork.services.letters import layout_for

    letter = _letter(pw, case_file)
    doc = replace(
        letter.document,
        paragraphs=[*letter.document.paragraphs, *(["Line of text " * 12] * 16)],
    )
    data = render_letter(doc, layout_for(pw, letter), "docx")
    return doc, data, docx.Document(io.BytesIO(data))


@pytest.mark.parametrize("case_file", ["case_us_ma.toml", "case_gb.toml", "case_fr.toml"])
def test_docx_has_a_continuation_header_from_page_two(pw, case_file):
    """Like the PDF: the foot of page one and, from page two, a header with the
    recipient, the date and "Page N of M" in Word fields (PAGE, NUMPAGES)."""
    doc, _, document = _long_docx(pw, DATA / case_file)
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header
    text = "".join(p.text for p in header.paragraphs)
    assert doc.continuation in text and doc.place_date in text
    before = doc.page_label.partition("{n}")[0]
    assert before.strip() in text
    header_xml = _xml(header._element)
    assert 'w:instr="PAGE"' in header_xml and 'w:instr="NUMPAGES"' in header_xml
    # page one: no header, the counter at its foot; no counter at the foot of later pages
    first_header = "".join(p.text for p in section.first_page_header.paragraphs)
    assert first_header.strip() == ""
    assert 'w:instr="PAGE"' in _xml(section.first_page_footer._element)
    assert section.footer.is_linked_to_previous or "PAGE" not in _xml(section.footer._element)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is installed by tools/system-deps.sh"
)
@pytest.mark.parametrize("case_file", ["case_us_ma.toml", "case_de.toml"])
def test_docx_in_libreoffice_prints_the_page_counter_once_per_page(pw, case_file, tmp_path):
    import pdfplumber

    doc, data, _ = _long_docx(pw, DATA / case_file)
    source = tmp_path / "long.docx"
    source.write_bytes(data)
    with pdfplumber.open(libreoffice_pdf(source, tmp_path)) as pdf:
        pages = [(page.extract_text() or "").splitlines() for page in pdf.pages]
    total = len(pages)
    assert total >= 2
    counter = re.compile(
        re.escape(doc.page_label).replace(r"\{n\}", r"\d+").replace(r"\{m\}", r"\d+")
    )
    for number, lines in enumerate(pages, start=1):
        text = "\n".join(lines)
        assert len(counter.findall(text)) == 1, (number, text[:200], text[-200:])
        label = doc.page_label.format(n=number, m=total)
        assert label in text
        if number == 1:
            assert label in lines[-1]
        else:
            assert label in lines[0] and doc.continuation in lines[0]
            assert doc.place_date in lines[0]


def test_a_letter_just_over_one_page_is_set_tighter_to_fit_on_one(pw, us_case_file):
    """Grow the letter a paragraph at a time: where the usual spacing spills onto a
    second page but the tighter one fits, the letter comes out on one page; where
    neither fits, it keeps the usual spacing on two pages."""
    from paperwork.render.pdf import _build_pdf

    letter = _letter(pw, us_case_file)
    layout = layout_named("us_block")
    base = letter.document
    saved = spilled = False
    for extra in range(0, 14):
        doc = replace(base, paragraphs=[*base.paragraphs, *(["Line of text " * 9] * extra)])
        usual_pages = _build_pdf(doc, layout, compact=False)[1]
        tight, tight_pages = _build_pdf(doc, layout, compact=True)
        out = render_letter(doc, layout, "pdf")
        pages = len(_pages(out))
        if usual_pages == 2 and tight_pages == 1:
            saved = True
            assert pages == 1 and out == tight
        elif usual_pages >= 2:
            spilled = spilled or tight_pages >= 2
            assert pages == usual_pages
    assert saved and spilled
