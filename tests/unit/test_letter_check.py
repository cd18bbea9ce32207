"""The letter checker: each finding provoked by a crafted letter, and a clean letter passes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from paperwork.core.deadlines import response_deadline
from paperwork.core.i18n import long_date
from paperwork.core.model import LetterDocument
from paperwork.letters.check import CheckContext, check_letter

LETTER_DAY = date(2026, 11, 26)
REPLY = response_deadline(LETTER_DAY, "registered", "GB", "14d").deadline


def _clean(**changes) -> LetterDocument:
    doc = LetterDocument(
        locale="en_GB",
        sender_name="Amelia Hart",
        sender_lines=["12 Mill Lane", "Bristol", "BS1 4DJ"],
        sender_contact=["amelia@example.org"],
        recipient_lines=[
            "Severn Telecom plc",
            "Complaints Team",
            "PO Box 100",
            "Gloucester",
            "GL1 1AA",
        ],
        place_date="Bristol, 26 November 2026",
        date_iso=LETTER_DAY.isoformat(),
        references=[("Account number", "BB-5521"), ("Your reference", "CMP-77")],
        subject="Formal complaint – account BB-5521",
        salutation="Dear Sir or Madam,",
        paragraphs=[
            "Please refund the £49.98 charged twice on 3 October 2026.",
            "I paid on 1 October; the bill of 2 October shows the charge twice.",
            f"Please reply by {long_date(REPLY, 'en_GB')}. Details are at www.example.org/help.",
        ],
        closing="Yours faithfully,",
        signature="Amelia Hart",
        reply_by=long_date(REPLY, "en_GB"),
        reply_by_iso=REPLY.isoformat(),
        page_label="Page {n} of {m}",
        continuation="Severn Telecom plc",
    )
    return replace(doc, **changes)


CONTEXT = CheckContext(
    recipient_country="GB",
    jurisdiction="GB",
    channel="registered",
    window="14d",
    max_lines=6,
    inserted=["Lakeview Fiber offers 300 Mbps for £45 a month"],
    names=["Severn Telecom plc", "Amelia Hart"],
    pages=[
        "Amelia Hart ... Dear Sir or Madam, Please refund ... Yours faithfully, Amelia Hart Page 1 of 1"
    ],
)


def test_a_clean_letter_passes():
    assert check_letter(_clean(), CONTEXT) == []


def _found(doc, ctx=CONTEXT) -> str:
    findings = check_letter(doc, ctx)
    assert len(findings) == 1, findings
    return findings[0]


def test_url_in_the_address_block():
    doc = _clean(
        recipient_lines=["Communications Ombudsman", "https://www.commsombudsman.org", "WA4 6WU"]
    )
    assert "web address (https://www.commsombudsman.org)" in _found(doc)


def test_a_company_named_after_its_domain_is_no_web_address():
    doc = _clean(recipient_lines=["Amazon.com, Inc.", "PO Box 81226", "Seattle, WA 98108"])
    assert check_letter(doc, replace(CONTEXT, recipient_country="US")) == []


def test_no_postcode_in_the_address_block():
    doc = _clean(
        recipient_lines=["Example Card Bank", "Card Disputes", "1 Card Street", "Cardtown"]
    )
    assert "no postcode" in _found(doc)


@pytest.mark.parametrize(
    ("country", "last_line"),
    [
        ("US", "Boston, MA 02205"),
        ("DE", "80331 München"),
        ("FR", "75008 Paris"),
        ("ES", "28001 Madrid"),
        ("", "1010 Wien"),
    ],
)
def test_postcodes_of_each_country_are_recognised(country, last_line):
    doc = _clean(recipient_lines=["Company", "Street 1", last_line])
    assert check_letter(doc, replace(CONTEXT, recipient_country=country)) == []


def test_more_address_lines_than_the_window_holds():
    lines = [
        "Severn Telecom plc",
        "Complaints",
        "Floor 3",
        "Unit 4",
        "PO Box 100",
        "Gloucester",
        "GL1 1AA",
    ]
    assert "7 lines" in _found(_clean(recipient_lines=lines))


def test_an_address_line_wider_than_the_window():
    ctx = replace(CONTEXT, measure=lambda line: 6.0 * len(line), max_width=240.0)
    doc = _clean(
        recipient_lines=["Severn Telecom plc – Office of the Chief Executive Officer", "GL1 1AA"]
    )
    assert "wider than the envelope window" in _found(doc, ctx)


def test_words_a_language_doubles_legitimately_pass():
    doc = _clean(locale="de_DE", paragraphs=["Die Kosten, die die Firma berechnet, sind falsch."])
    assert check_letter(doc, replace(CONTEXT, window="", pages=None)) == []


@pytest.mark.parametrize(
    "text",
    [
        "The fee was added.the bill is wrong.",
        "The fee was added on 3 October.2026 was the year.",
        "I refer to my letter.. It was not answered.",
        "I have a concrete alternative: Severn Broadband: £28 a month.",
        "Lakeview Fiber offers 300 Mbps for £45 a month I would rather not switch.",
    ],
)
def test_glued_sentences(text):
    assert "glued sentences" in _found(_clean(paragraphs=[text]))


def test_addresses_abbreviations_and_decimals_are_not_glue():
    text = (
        "See www.ofcom.org.uk, e.g. the guide, i.e. the code; £49.98 was charged at 10:30. "
        "I tried to settle this with the shop first (their reference: Order 7): it refused."
    )
    assert check_letter(_clean(paragraphs=[text]), replace(CONTEXT, window="")) == []


def test_a_name_after_a_colon_is_fine_in_french():
    doc = _clean(locale="fr_FR", paragraphs=["Mon opérateur actuel\u00a0: Severn Telecom plc."])
    assert check_letter(doc, replace(CONTEXT, window="", pages=None)) == []


def test_a_closing_alone_on_a_page():
    pages = [
        "Amelia Hart Dear Sir or Madam, Please refund the £49.98 ... by 10 December 2026.",
        "Severn Telecom plc · Bristol, 26 November 2026 Page 2 of 2 Yours faithfully, Amelia Hart",
    ]
    assert "alone on page 2" in _found(_clean(), replace(CONTEXT, pages=pages))


def test_a_closing_after_the_last_paragraph_on_page_two_passes():
    pages = [
        "Amelia Hart Dear Sir or Madam, Please refund the £49.98",
        "Severn Telecom plc · Bristol, 26 November 2026 Page 2 of 2 reply by 10 December. "
        "Yours faithfully, Amelia Hart",
    ]
    assert check_letter(_clean(), replace(CONTEXT, pages=pages)) == []


def test_a_reply_by_date_other_than_the_deadline_rules():
    wrong = date(2026, 12, 1)
    doc = _clean(reply_by=long_date(wrong, "en_GB"), reply_by_iso=wrong.isoformat())
    finding = _found(doc)
    assert "1 December 2026" in finding and long_date(REPLY, "en_GB") in finding


def test_a_reply_by_date_introduced_by_before():
    doc = _clean(paragraphs=[f"Please reply before {long_date(REPLY, 'en_GB')}."])
    assert "leaves out the day itself" in _found(doc)


@pytest.mark.parametrize(
    ("locale", "label"),
    [
        ("en_GB", "Your reference"),
        ("de_DE", "Ihr Zeichen"),
        ("fr_FR", "Votre référence"),
        ("es_ES", "Su referencia"),
    ],
)
def test_your_reference_in_a_letter_to_a_third_party(locale, label):
    doc = _clean(locale=locale, references=[(label, "Vorgang 55-1190")], paragraphs=["Text."])
    ctx = replace(CONTEXT, recipient_is_company=False, window="", pages=None)
    finding = _found(doc, ctx)
    assert label in finding and "Severn Telecom plc" in finding
    assert check_letter(doc, replace(ctx, recipient_is_company=True)) == []


@pytest.mark.parametrize(
    ("locale", "text", "finding"),
    [
        ("en_GB", "I wrote to the the complaints team.", "doubled word"),
        ("de_DE", "zu Ihrem Vorgang Vorgang 55-1190.", "doubled word"),
        (
            "fr_FR",
            "Je vous demande ce qui suit\u00a0: Rembourser les prélèvements.",
            "capital after a colon",
        ),
        (
            "es_ES",
            "Les pido lo siguiente: Anulen la penalización. Reembolsar: no.",
            "capital after a colon",
        ),
        ("en_US", "For your information: Each state sets its own limit.", "meant for you"),
        ("en_GB", "Note: keep a copy of this letter.", "meant for you"),
        ("en_GB", "Please act. Tip: send it recorded.", "meant for you"),
        ("de_DE", "Hinweis: Bewahren Sie eine Kopie auf.", "meant for you"),
        ("fr_FR", "Remarque\u00a0: gardez une copie.", "meant for you"),
        ("es_ES", "Nota: guarde una copia.", "meant for you"),
    ],
)
def test_words_and_notes_in_each_language(locale, text, finding):
    doc = _clean(locale=locale, paragraphs=[text])
    assert finding in _found(doc, replace(CONTEXT, window="", pages=None))
