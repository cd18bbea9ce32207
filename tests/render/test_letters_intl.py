"""German, French and Spanish letters read back from the PDF: every kind that applies
in DE, FR and ES, on a case with a history (a complaint sent, a call, a reply, a piece
of evidence), carries its locale's salutation, closing and dates, the deadline engine's
reply-by date, no English left over, no doubled word, and labels the company's
reference as the company's in letters to a third party."""

from __future__ import annotations

import io
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from paperwork.core.catalog import Catalog
from paperwork.core.deadlines import response_deadline
from paperwork.core.i18n import conventions, long_date
from paperwork.core.schema import CaseFileSchema, load_with
from paperwork.letters.compose import LetterOptions, opening_and_closing
from paperwork.services.cases import new_case
from paperwork.services.events import log_event
from paperwork.services.letters import draft_letter, mark_sent, render_bytes
from paperwork.services.samples import load_sample, read_sample, sample_names

DATA = Path(__file__).resolve().parents[1] / "data"
COMPLAINED = date(2026, 10, 21)
TODAY = date(2026, 12, 1)
LOCALES = {"de_DE": "case_de.toml", "fr_FR": "case_fr.toml", "es_ES": "case_es.toml"}
COUNTRY = {"de_DE": "DE", "fr_FR": "FR", "es_ES": "ES"}
ISSUER = {
    "de_DE": ("Hansa Kartenbank AG", ["Reklamationen", "Postfach 11 22 33", "20095 Hamburg"]),
    "fr_FR": (
        "Banque Rhône Crédit",
        ["Service Contestations", "18, quai Saint-Antoine", "69002 Lyon"],
    ),
    "es_ES": (
        "Banco Meseta S.A.",
        ["Atención al Cliente", "Paseo de la Castellana 89", "28046 Madrid"],
    ),
}
EXECUTIVE = {
    "de_DE": ("Geschäftsführung", ["Leopoldstraße 200", "80804 München"]),
    "fr_FR": ("Direction générale", ["4, place de la Défense", "92400 Courbevoie"]),
    "es_ES": ("Dirección General", ["Calle de Serrano 41", "28001 Madrid"]),
}
REGULATOR = {
    "de_DE": (
        "Bundesnetzagentur – Schlichtungsstelle Telekommunikation",
        ["Postfach 80 01", "53105 Bonn"],
    ),
    "fr_FR": ("Médiateur des communications électroniques", ["CS 30342", "94257 Gentilly Cedex"]),
    "es_ES": (
        "Oficina de Atención al Usuario de Telecomunicaciones",
        ["C/ Poeta Joan Maragall 41", "28071 Madrid"],
    ),
}
PLAN = {
    "de_DE": "drei Monatsraten zu je 15,00 € ab dem 15. Januar 2027",
    "fr_FR": "trois mensualités de 19,93 € à partir du 15 janvier 2027",
    "es_ES": "tres plazos mensuales de 40,00 € a partir del 15 de enero de 2027",
}
OFFER = {
    "de_DE": "Ein anderer Anbieter bietet denselben Anschluss für 29,99 € im Monat an",
    "fr_FR": "un autre opérateur propose la même offre à 19,90 € par mois",
    "es_ES": "otro operador ofrece la misma línea por 25,00 € al mes",
}
CALL = {
    "de_DE": {
        "rep": "Frau Becker",
        "ref": "T-55190",
        "promised": "Erstattung innerhalb von 10 Tagen",
    },
    "fr_FR": {
        "rep": "M. Garnier",
        "ref": "APP-20931",
        "promised": "un remboursement sous dix jours",
    },
    "es_ES": {"rep": "Sra. Ortega", "ref": "INC-99120", "promised": "la anulación en diez días"},
}
REPLY = {
    "de_DE": "Die Angelegenheit werde geprüft.",
    "fr_FR": "Le dossier est à l'étude.",
    "es_ES": "La reclamación está en estudio.",
}
# Function words that betray English left in a German, French or Spanish letter.
ENGLISH = re.compile(
    r"\b(the|and|your|please|with|which|would|from|this|that|we|you|of|to|for|by)\b",
    re.IGNORECASE,
)
# Same word twice ("Vorgang Vorgang"); "Sie sie", "vous vous" are grammatical.
DOUBLED = re.compile(r"\b([^\W\d_]{2,})\s+\1\b", re.UNICODE)
GRAMMATICAL_PAIRS = {"vous vous", "nous nous"}
OWN_REFERENCE_LABELS = ("Ihr Zeichen", "Votre référence", "Vos références", "Su referencia")
THIRD_PARTY_KINDS = ("chargeback_request", "regulator_complaint")


def _case(locale: str):
    data = tomllib.loads((DATA / LOCALES[locale]).read_text(encoding="utf-8"))
    data["details"] = {
        "customer_since": "2019-04-01",
        "cancel_on": "2027-01-31",
        "transaction_date": "2026-10-02",
        "transaction_amount": {"value": "44.99", "currency": "EUR"},
        "statement_date": "2026-10-05",
        "competitor_offer": OFFER[locale],
        "payment_plan": PLAN[locale],
        "card_issuer": ISSUER[locale][0],
        "card_last4": "4242",
    }
    data["contacts"] = [
        {"role": "card_issuer", "name": ISSUER[locale][0], "address": ISSUER[locale][1]},
        {"role": "executive", "name": EXECUTIVE[locale][0], "address": EXECUTIVE[locale][1]},
        {"role": "regulator", "name": REGULATOR[locale][0], "address": REGULATOR[locale][1]},
    ]
    return load_with(CaseFileSchema(), data, LOCALES[locale])


def _case_with_history(pw, locale: str) -> int:
    case_id = new_case(pw, _case(locale), date(2026, 10, 20))
    first = draft_letter(pw, case_id, "complaint", COMPLAINED)
    mark_sent(pw, first.id, COMPLAINED, "registered", "RR123456785DE")
    log_event(
        pw, case_id, "call", date(2026, 11, 3), {"waited": 42, "duration": 12, **CALL[locale]}
    )
    log_event(pw, case_id, "response", date(2026, 11, 10), {"summary": REPLY[locale]})
    log_event(pw, case_id, "evidence", COMPLAINED, {"title": "Beleg"})
    return case_id


def _pairs():
    catalog = Catalog(None)
    for kind in sorted(catalog.kinds.values(), key=lambda k: k.id):
        for locale in LOCALES:
            if locale in kind.locales and kind.applies_to(COUNTRY[locale]):
                yield kind.id, locale


PAIRS = list(_pairs())


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(p.extract_text().split()) for p in pages)


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.parametrize(("kind_id", "locale"), PAIRS, ids=[f"{k}-{loc}" for k, loc in PAIRS])
def test_letter_reads_as_written_in_its_country(pw, kind_id, locale):
    case_id = _case_with_history(pw, locale)
    tactic = "call_us" if kind_id == "stalling_reply" else ""
    letter = draft_letter(pw, case_id, kind_id, TODAY, tactic=tactic)
    doc = letter.document
    conv = conventions(locale)
    pdf = _flat(_pdf_text(render_bytes(pw, letter, "pdf")))
    body = _flat(" ".join([doc.subject, *doc.paragraphs]))

    # the locale's salutation and closing (to the recipient: a named chief executive,
    # or the office, docs/DESIGN.md §8.2), and the letter's date in its long form
    salutation, closing = opening_and_closing(
        pw.store.case(case_id), pw.catalog.get(kind_id), locale
    )
    assert salutation in (conv["salutation"], *conv.get("office_salutations", {}).values())
    assert _flat(salutation) in pdf
    assert _flat(closing) in pdf
    assert _flat(long_date(TODAY, locale)) in pdf

    # the reply-by date is the deadline engine's, printed in the body as a calendar date
    channel = {"registered": "registered", "certified": "certified", "ordinary": "post"}.get(
        pw.catalog.get(kind_id).delivery_for(_case(locale).jurisdiction), "email"
    )
    engine = response_deadline(TODAY, channel, _case(locale).jurisdiction, letter.window)
    assert doc.reply_by_iso == engine.deadline.isoformat()
    assert _flat(long_date(engine.deadline, locale)) in body
    if locale == "es_ES":
        assert "antes del" not in body  # it would exclude the deadline day itself
        assert "a más tardar el" in body

    # no English function word, no doubled word
    english = ENGLISH.findall(body)
    assert not english, english
    doubled = [m.group(0) for m in DOUBLED.finditer(body) if m.group(0) not in GRAMMATICAL_PAIRS]
    assert not doubled, doubled

    # the company's reference is never the addressee's own in a letter to a third party
    if kind_id in THIRD_PARTY_KINDS:
        for label in OWN_REFERENCE_LABELS:
            assert label not in pdf, label
        assert doc.recipient_lines[0] != _case(locale).company.name


@pytest.mark.parametrize("locale", ["fr_FR"])
def test_french_typography_keeps_the_space_before_colons_unbreakable(pw, locale):
    case_id = _case_with_history(pw, locale)
    for kind_id in ("complaint", "follow_up", "regulator_complaint", "stalling_reply"):
        tactic = "policy" if kind_id == "stalling_reply" else ""
        doc = draft_letter(pw, case_id, kind_id, TODAY, tactic=tactic).document
        text = " ".join([doc.subject, *doc.paragraphs])
        assert not re.search(r" [:;?!»]|« ", text), (kind_id, text)
        assert " :" in text or "\u00a0;" in text


def test_french_telecoms_mediator_comes_after_the_service_consommateurs(pw):
    """An operator's mediator takes a case once its service consommateurs has had it: the
    first complaint names that step first; the request to the service consommateurs
    names the mediator; text typed in the case keeps its French spacing."""
    sample = load_sample(pw, "fr_price_rise")
    complaint = draft_letter(pw, sample.case_id, "complaint", sample.letter_on).document
    text = " ".join(complaint.paragraphs)
    assert "je saisirai le Médiateur" not in text
    assert text.index("service consommateurs") < text.index("Médiateur des communications")
    review = draft_letter(pw, sample.case_id, "escalation_supervisor", sample.letter_on)
    assert "je saisirai le Médiateur des communications électroniques" in " ".join(
        review.document.paragraphs
    )
    assert "2027\u00a0;" in text and not re.search(r" [:;?!»]|« ", text)


def test_spanish_letters_cite_ley_10_2025_only_from_28_december_2026(pw):
    from dataclasses import replace

    energy = new_case(pw, replace(_case("es_ES"), category="energy"), date(2026, 10, 20))
    before = draft_letter(pw, energy, "complaint", date(2026, 12, 27)).document
    after = draft_letter(pw, energy, "complaint", date(2026, 12, 28)).document
    assert "Ley 10/2025" not in " ".join(before.paragraphs)
    assert "artículo 21.3" in " ".join(before.paragraphs)
    assert "Ley 10/2025" in " ".join(after.paragraphs)
    assert "quince días hábiles" in " ".join(after.paragraphs)
    # a telecoms operator keeps its sector's month: the letter relies on TRLGDCU art. 21.3
    telecoms = new_case(pw, _case("es_ES"), date(2026, 10, 20))
    later = draft_letter(pw, telecoms, "complaint", date(2027, 1, 11)).document
    assert "Ley 10/2025" not in " ".join(later.paragraphs)
    assert "artículo 21.3" in " ".join(later.paragraphs)


def test_spanish_card_dispute_cites_the_spanish_statute_not_the_directive(pw):
    case_id = new_case(pw, _case("es_ES"), date(2026, 10, 20))
    text = " ".join(draft_letter(pw, case_id, "chargeback_request", TODAY).document.paragraphs)
    assert "Real Decreto-ley 19/2018" in text
    assert "2015/2366" not in text and "PSD2" not in text


@pytest.mark.parametrize("locale", list(LOCALES))
def test_escalations_cite_the_complaint_first_made_and_the_call(pw, locale):
    case_id = _case_with_history(pw, locale)
    for kind_id in ("follow_up", "escalation_supervisor", "escalation_executive", "final_demand"):
        text = " ".join(draft_letter(pw, case_id, kind_id, TODAY).document.paragraphs)
        assert long_date(COMPLAINED, locale) in text, (kind_id, text)
        assert CALL[locale]["rep"] in text or kind_id == "escalation_executive", (kind_id, text)
        if kind_id != "escalation_executive":
            assert "RR123456785DE" in text, (kind_id, text)


@pytest.mark.parametrize("locale", list(LOCALES))
def test_the_executive_letter_stays_short(pw, locale):
    case_id = _case_with_history(pw, locale)
    doc = draft_letter(pw, case_id, "escalation_executive", TODAY).document
    assert len(" ".join(doc.paragraphs).split()) <= 250


# --- the sample cases that fit their kinds (paperwork/sample/cases/{de,fr,es}_*.toml)


NATIVE = [n for n in sample_names() if read_sample(n)["case"]["locale"] in LOCALES]
SAMPLE_PAIRS = [(name, kind) for name in NATIVE for kind in read_sample(name)["kinds"]]


def _give_regulator_an_address(pw, case_id: int) -> None:
    """Until the directory gives every body a postal address, the case names one."""
    from paperwork.core.catalog import find_authority
    from paperwork.core.model import Contact

    case = pw.store.case(case_id)
    kind = pw.catalog.get("regulator_complaint")
    body = find_authority(case.jurisdiction, kind.regulator_category or case.category)
    if body is not None and not body.address:
        case.contacts.append(
            Contact("regulator", body.name(case.locale), ["Postfach 100", "10000 Stadt"])
        )
        pw.store.save_case(case)


@pytest.mark.parametrize(
    ("name", "kind_id"), SAMPLE_PAIRS, ids=[f"{n}-{k}" for n, k in SAMPLE_PAIRS]
)
def test_native_sample_letter_fits_its_kind_and_page(pw, name, kind_id):
    from pypdf import PdfReader

    sample = load_sample(pw, name)
    if kind_id == "regulator_complaint":
        _give_regulator_an_address(pw, sample.case_id)
    spec = pw.catalog.get(kind_id)
    ask = sample.ask if spec.rung < 5 and kind_id != "data_access_request" else ""
    extra = {"options": LetterOptions(ask=ask)}
    if kind_id == "stalling_reply":
        extra["tactic"] = "call_us"
    letter = draft_letter(pw, sample.case_id, kind_id, sample.letter_on, **extra)
    doc, locale = letter.document, sample.locale
    body = _flat(" ".join([doc.subject, *doc.paragraphs]))
    pdf_bytes = render_bytes(pw, letter, "pdf")
    pdf = _flat(_pdf_text(pdf_bytes))
    salutation, closing = opening_and_closing(pw.store.case(sample.case_id), spec, locale)
    assert _flat(salutation) in pdf
    assert _flat(closing) in pdf
    assert _flat(doc.reply_by) in body
    assert not ENGLISH.findall(body), ENGLISH.findall(body)
    assert not [m.group(0) for m in DOUBLED.finditer(body) if m.group(0) not in GRAMMATICAL_PAIRS]
    assert ".." not in body.replace("...", "")
    if spec.recipient in ("card_issuer", "regulator"):
        for label in OWN_REFERENCE_LABELS:
            assert label not in pdf, label
    # the letter's own request reads inside a sentence: no imperative glued after "que"/"de"
    # (an imperative "Remboursez…" is turned round; an infinitive "rembourser…" follows "de")
    if ask and locale != "de_DE" and ask[0].isupper():
        assert _flat(ask) not in body, "the --ask text was pasted as typed"
    elif ask and locale != "de_DE":
        assert _flat(ask).rstrip(".") in body
    # one page, so the closing never stands alone
    assert len(PdfReader(io.BytesIO(pdf_bytes)).pages) == 1
    if kind_id == "escalation_executive":
        assert len(" ".join(doc.paragraphs).split()) <= 250
