"""Every letter kind, in every language where it applies, renders to a clean PDF and DOCX."""

from __future__ import annotations

import io
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from letterkit import debt_collector_for, details_for, give_record, text_for

from paperwork.core.catalog import Catalog
from paperwork.core.errors import UserError
from paperwork.core.schema import CaseFileSchema, load_with
from paperwork.services.cases import new_case
from paperwork.services.letters import draft_letter, render_bytes

DATA = Path(__file__).resolve().parents[1] / "data"
TODAY = date(2026, 11, 26)
CASE_FILES = {
    "en_US": DATA / "case_us_ma.toml",
    "en_GB": DATA / "case_gb.toml",
    "de_DE": DATA / "case_de.toml",
    "fr_FR": DATA / "case_fr.toml",
    "es_ES": DATA / "case_es.toml",
}


def _extras(locale: str) -> dict:
    """The details and contacts every kind may need, typed in ``locale``'s language."""
    text = text_for(locale)
    return {
        "details": {
            "customer_since": "2019-04-01",
            "cancel_on": "2026-12-31",
            "transaction_date": "2026-10-03",
            "statement_date": "2026-10-05",
            "competitor_offer": text["competitor_offer"],
            "payment_plan": text["payment_plan"],
            "card_issuer": text["card_issuer"],
            "card_last4": "4242",
            "credit_bureau": text["credit_bureau"],
            "order_number": "ORD-1001",
            **details_for(locale),
        },
        "contacts": [
            {
                "role": "card_issuer",
                "name": text["card_issuer"],
                "address": [text["card_department"], text["card_street"], "Cardtown"],
            },
            {
                "role": "credit_bureau",
                "name": text["credit_bureau"],
                "address": [text["bureau_department"], text["bureau_street"], "Bureauville"],
            },
            {
                "role": "executive",
                "name": text["executive"],
                "address": [text["executive_street"], "Capital City"],
            },
            debt_collector_for(locale),
        ],
    }


# the last address line of the fixture contacts: town and postcode as each country writes them
TOWN_LINES = {
    "en_US": "Springfield, MA 01103",
    "en_GB": "Leeds LS1 4AP",
    "de_DE": "10115 Berlin",
    "fr_FR": "75002 Paris",
    "es_ES": "28001 Madrid",
}


def _with_town(contact: dict, locale: str) -> dict:
    return {**contact, "address": [*contact["address"][:-1], TOWN_LINES[locale]]}


def _case(locale: str):
    data = tomllib.loads(CASE_FILES[locale].read_text(encoding="utf-8"))
    extras = _extras(locale)
    data.update(extras)
    contacts = [*extras["contacts"], *_regulator_contact(data)]
    data["contacts"] = [_with_town(contact, locale) for contact in contacts]
    return load_with(CaseFileSchema(), data, CASE_FILES[locale].name)


def _regulator_contact(data: dict) -> list[dict]:
    """Until the directory gives every body its postal address (branch regs), a body
    without one is given to the case as a contact (name from the directory)."""
    from paperwork.core.catalog import find_authority

    body = find_authority(data["jurisdiction"], data["category"])
    if body is None or body.address:
        return []
    locale = data["locale"]
    return [
        {
            "role": "regulator",
            "name": body.name(locale),
            "address": [text_for(locale)["po_box"], "Capital City"],
        }
    ]


def draft_sample(pw, kind_id: str, locale: str):
    """Draft ``kind_id`` in ``locale`` on the sample case that fits it, with its record."""
    case = _case(locale)
    if locale == "en_US" and kind_id == "data_access_request":
        case.jurisdiction = "US-CA"  # the CCPA version
    case_id = new_case(pw, case, TODAY)
    give_record(pw, case_id, TODAY, locale)
    tactic = "send_id" if kind_id == "stalling_reply" else ""
    return draft_letter(pw, case_id, kind_id, TODAY, tactic=tactic)


def _pairs():
    catalog = Catalog(None)
    for kind in sorted(catalog.kinds.values(), key=lambda k: k.id):
        for locale in kind.locales:
            case = _case(locale)
            if kind.applies_to(case.jurisdiction) or locale == "en_US":
                yield kind.id, locale


PAIRS = list(_pairs())
# template syntax, None, empty brackets, or a gap before a comma or full stop
# (French puts a non-breaking space before ":" and ";", which is correct)
LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b|\bundefined\b|\(\s*\)| [,.](?!\d)|\[\]|  ")


@pytest.fixture
def service(pw):
    return pw


def test_the_catalogue_is_complete():
    ids = {kind for kind, _ in PAIRS}
    assert {
        "complaint",
        "follow_up",
        "confirm_call",
        "escalation_supervisor",
        "escalation_executive",
        "final_demand",
        "regulator_complaint",
        "small_claims_notice",
        "cancellation_notice",
        "intent_to_cancel",
        "retention_request",
        "hardship_request",
        "refund_demand",
        "billing_dispute",
        "chargeback_request",
        "debt_validation",
        "credit_report_dispute",
        "data_access_request",
        "stalling_reply",
    } <= ids
    for kind in Catalog(None).kinds.values():
        assert kind.windows, kind.id
        for key, rule in kind.windows.items():
            assert rule.source.strip(), (kind.id, key)


@pytest.mark.parametrize(("kind_id", "locale"), PAIRS, ids=[f"{k}-{loc}" for k, loc in PAIRS])
def test_kind_renders_cleanly(pw, kind_id, locale):
    import docx
    from pypdf import PdfReader

    from paperwork.core.i18n import long_date

    letter = draft_sample(pw, kind_id, locale)
    doc = letter.document
    text = " ".join([doc.subject, *doc.paragraphs])
    assert not LEFTOVERS.search(text), LEFTOVERS.search(text).group(0) + " in: " + text[:300]
    # the reply-by date appears in the locale's long date format
    deadline = date.fromisoformat(doc.reply_by_iso)
    assert doc.reply_by == long_date(deadline, locale)
    # letters that set the company a deadline name it; a notice or a regulator complaint need not
    if kind_id not in (
        "cancellation_notice",
        "confirm_call",
        "regulator_complaint",
        "debt_validation",
    ):
        assert long_date(deadline, locale) in text
    pdf = " ".join(
        " ".join(
            p.extract_text() for p in PdfReader(io.BytesIO(render_bytes(pw, letter, "pdf"))).pages
        ).split()
    )
    assert " ".join(doc.paragraphs[0].lstrip("- ").split())[:60] in pdf
    document = docx.Document(io.BytesIO(render_bytes(pw, letter, "docx")))
    body = " ".join(p.text for p in document.paragraphs)
    assert "{{" not in body and "{%" not in body
    assert " ".join(doc.subject.split()) in " ".join(body.split())


def test_every_stalling_tactic_gets_its_own_answer(pw):
    case_id = new_case(pw, _case("en_GB"), TODAY)
    give_record(pw, case_id, TODAY, "en_GB")
    bodies = set()
    for tactic in ("call_us", "account_not_found", "policy", "send_id"):
        bodies.add(
            tuple(
                draft_letter(
                    pw, case_id, "stalling_reply", TODAY, tactic=tactic
                ).document.paragraphs
            )
        )
    assert len(bodies) == 4
    with pytest.raises(UserError, match="--tactic"):
        draft_letter(pw, case_id, "stalling_reply", TODAY)


def test_us_only_kinds_are_refused_elsewhere(pw):
    case_id = new_case(pw, _case("de_DE"), TODAY)
    with pytest.raises(UserError) as err:
        draft_letter(pw, case_id, "debt_validation", TODAY)
    assert "does not apply in DE" in str(err.value) and "complaint" in str(err.value)


def test_regulator_complaint_goes_to_the_regulator(pw):
    case_id = new_case(pw, _case("en_GB"), TODAY)
    give_record(pw, case_id, TODAY, "en_GB")
    letter = draft_letter(pw, case_id, "regulator_complaint", TODAY)
    assert letter.document.recipient_lines[0] != "Brightline Telecom plc"
    assert "Ombudsman" in letter.document.recipient_lines[0]


def test_chargeback_without_an_issuer_contact_is_refused(pw):
    case = _case("en_GB")
    case.contacts = []
    case_id = new_case(pw, case, TODAY)
    with pytest.raises(UserError, match="card_issuer"):
        draft_letter(pw, case_id, "chargeback_request", TODAY)


def test_user_override_wins_over_the_shipped_kind(pw, home):
    bodies = home / "templates" / "bodies" / "complaint"
    bodies.mkdir(parents=True)
    (bodies / "en_GB.j2").write_text(
        "{% block subject %}My own subject{% endblock %}{% block body %}My own words for {{ company.name }}, by {{ reply_by }}.{% endblock %}"
    )
    case_id = new_case(pw, _case("en_GB"), TODAY)
    letter = draft_letter(pw, case_id, "complaint", TODAY)
    assert letter.document.subject == "My own subject"
    assert (
        letter.document.paragraphs
        == [
            "My own words for Brightline Telecom plc, by 11 January 2027."  # Ofcom: 6 weeks from 8 April 2026
        ]
    )


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ reply_by.__class__.__init__.__globals__ }}",
    ],
)
def test_template_reaching_python_internals_is_refused(pw, home, attack):
    bodies = home / "templates" / "bodies" / "complaint"
    bodies.mkdir(parents=True)
    (bodies / "en_GB.j2").write_text(
        "{% block subject %}x{% endblock %}{% block body %}" + attack + "{% endblock %}"
    )
    case_id = new_case(pw, _case("en_GB"), TODAY)
    with pytest.raises(UserError) as err:
        draft_letter(pw, case_id, "complaint", TODAY)
    message = str(err.value)
    assert "en_GB.j2" in message and ("internals" in message or "template error" in message)


def test_category_window_for_german_energy(pw):
    case = _case("de_DE")
    case.category = "energy"
    case_id = new_case(pw, case, TODAY)
    assert draft_letter(pw, case_id, "complaint", TODAY).window == "4w"


def test_data_access_request_names_the_data_protection_authority(pw):
    case = _case("fr_FR")  # a subscription dispute
    case_id = new_case(pw, case, TODAY)
    text = " ".join(draft_letter(pw, case_id, "data_access_request", TODAY).document.paragraphs)
    assert "CNIL" in text and "SignalConso" not in text
