"""What the letters say about the case, read back from the rendered PDF: a third party
never reads a summary written to the company; the sample cases carry their stalling
tactic, evidence (listed as enclosures) and a third-party summary; the British
small-claims court, American phone numbers and the executive letter's salutation."""

from __future__ import annotations

import io
import json
import re
import tomllib
from pathlib import Path

import pytest

from paperwork.core.model import Contact
from paperwork.core.schema import CaseFileSchema, load_with
from paperwork.services.letters import draft_letter, render_bytes
from paperwork.services.samples import (
    draft_sample_kind,
    load_sample,
    read_sample,
    sample_names,
)

THIRD_PARTY_KINDS = ("chargeback_request", "regulator_complaint", "debt_validation")


def pdf_text(pw, letter) -> str:
    """The letter's PDF, read back, as one line of words."""
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(render_bytes(pw, letter, "pdf"))).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def flat(text: str) -> str:
    return " ".join(text.split())


def _sample_case_file(tmp_path: Path, name: str, **changes) -> Path:
    """The ``[case]`` table of a shipped sample as a case file of its own."""
    data = read_sample(name)["case"]
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    return path


# -- the third-party summary ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("us_card_dispute", "chargeback_request"),
        ("gb_card_dispute", "chargeback_request"),
        ("de_card_dispute", "chargeback_request"),
        ("fr_card_dispute", "chargeback_request"),
        ("es_card_dispute", "chargeback_request"),
        ("us_debt_credit", "debt_validation"),
        ("us_debt_credit", "credit_report_dispute"),
        ("us_price_rise", "regulator_complaint"),
        ("de_price_rise", "regulator_complaint"),
    ],
)
def test_a_third_party_reads_the_summary_written_about_the_company(pw, name, kind):
    sample = load_sample(pw, name)
    case = pw.store.case(sample.case_id)
    _give_regulator_an_address(pw, case)
    assert case.third_party_summary and case.third_party_summary != case.summary
    letter = draft_sample_kind(pw, sample, kind, notes=[])
    text = pdf_text(pw, letter)
    assert flat(case.third_party_summary) in text
    assert flat(case.summary) not in text


@pytest.mark.parametrize("kind", ["chargeback_request", "regulator_complaint"])
def test_without_it_a_third_party_letter_leaves_the_summary_out_and_says_why(
    pw, run_cli, tmp_path, kind
):
    """The GB sample's summary speaks to the company ("your letter of 18 November"): a
    letter to the card issuer or the ombudsman does not quote it, and the command line
    says in one line how to add a summary for third parties."""
    name = "gb_card_dispute" if kind == "chargeback_request" else "gb_price_rise"
    path = _sample_case_file(tmp_path, name, third_party_summary=None)
    code, out, err = run_cli("case", "new", "--from", str(path), "--on", "2026-11-01")
    assert code == 0, err
    case_id = out.strip().splitlines()[-1]
    case = pw.store.case(int(case_id))
    assert case.third_party_summary == ""
    _give_regulator_an_address(pw, case)
    _give_an_earlier_letter(pw, int(case_id))
    code, out, err = run_cli(
        "letter", "draft", case_id, "--kind", kind, "--on", "2026-12-04", "--locale", "en_GB"
    )
    assert code == 0, err
    letter = pw.store.letter(int(out.strip().splitlines()[-1]))
    text = pdf_text(pw, letter)
    assert flat(case.summary)[:40] not in text
    assert "your letter of 18 November" not in text
    hints = [line for line in err.splitlines() if line.startswith("note: third_party_summary:")]
    assert len(hints) == 1 and f"case edit {case_id} --from FILE" in hints[0]
    # letters to the company still quote the summary written to it
    complaint = draft_letter(pw, int(case_id), "complaint", case.created_on)
    assert flat(case.summary)[:40] in " ".join(complaint.document.paragraphs)


def test_the_third_party_summary_is_entered_checked_and_shown(pw, run_cli, tmp_path):
    old = _sample_case_file(tmp_path, "gb_card_dispute", third_party_summary=None)
    code, out, err = run_cli("case", "new", "--from", str(old))
    assert code == 0, err  # a case file without the new field still loads
    case_id = out.strip().splitlines()[-1]
    code, out, _err = run_cli("case", "show", case_id)
    assert "For third parties: none" in out
    change = tmp_path / "change.json"
    told = "Northgate Furniture Ltd took £649.00 for a sofa it never delivered."
    change.write_text(json.dumps({"third_party_summary": told}), encoding="utf-8")
    code, out, err = run_cli("case", "edit", case_id, "--from", str(change))
    assert code == 0 and "third_party_summary" in out, err
    code, out, _err = run_cli("case", "show", case_id)
    assert f"For third parties: {told}" in out
    code, out, _err = run_cli("case", "show", case_id, "--json")
    shown = json.loads(out)
    assert shown["third_party_summary"] == told and shown["summary"]
    # validated like the other text fields: one line naming the field, exit 2
    change.write_text(json.dumps({"third_party_summary": "bad\u202etext"}), encoding="utf-8")
    code, out, err = run_cli("case", "edit", case_id, "--from", str(change))
    assert code == 2
    assert [line for line in err.splitlines() if line.strip()] == [
        f"paperwork: {change}: third_party_summary: contains a text-direction override"
        " (U+202E); remove it."
    ]
    assert pw.store.case(int(case_id)).third_party_summary == told


def test_an_export_of_a_case_with_it_round_trips(pw, run_cli, tmp_path):
    code, _out, err = run_cli(
        "case", "new", "--from", str(_sample_case_file(tmp_path, "us_card_dispute"))
    )
    assert code == 0, err
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    assert run_cli("export", "--out", str(first))[0] == 0
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["cases"][0]["third_party_summary"].startswith("I paid HomeWorks Direct LLC")
    other = tmp_path / "other"
    from paperwork.cli.main import main

    with pytest.raises(SystemExit) as done:
        main(["--home", str(other), "import", str(first)])
    assert done.value.code == 0
    with pytest.raises(SystemExit) as done:
        main(["--home", str(other), "export", "--out", str(second)])
    assert done.value.code == 0
    assert first.read_bytes() == second.read_bytes()


# -- the sample cases ------------------------------------------------------------------


def test_every_sample_that_fits_a_stalling_reply_carries_its_own_tactic():
    from paperwork.services.letters import STALLING_TACTICS

    tactics = set()
    for name in sample_names():
        data = read_sample(name)
        if "stalling_reply" in data["kinds"]:
            assert data.get("tactic") in STALLING_TACTICS, name
            tactics.add(data["tactic"])
        if any(k in data["kinds"] for k in (*THIRD_PARTY_KINDS, "credit_report_dispute")):
            assert data["case"].get("third_party_summary"), name
    assert tactics == set(STALLING_TACTICS)  # the samples between them show every tactic


_TACTIC_WORDS = {
    "en_US": {"call_us": "You asked me to call you", "send_id": "proof of identity"},
    "en_GB": {"call_us": "You asked me to call you", "send_id": "proof of identity"},
}


@pytest.mark.parametrize(
    "name",
    [n for n in sample_names() if "stalling_reply" in read_sample(n)["kinds"]],
)
def test_the_demo_answers_the_tactic_the_sample_records(pw, name):
    """draft_sample_kind (used by ``paperwork demo --sample``) takes the sample's tactic."""
    sample = load_sample(pw, name)
    assert sample.tactic == read_sample(name)["tactic"]
    letter = draft_sample_kind(pw, sample, "stalling_reply")
    words = _TACTIC_WORDS.get(sample.locale, {}).get(sample.tactic)
    if words:
        assert words in " ".join(letter.document.paragraphs)
    other = next(t for t in ("policy", "call_us") if t != sample.tactic)
    assert draft_sample_kind(pw, sample, "stalling_reply", tactic=other).document != (
        letter.document
    )


ENCLOSURES = {
    "en_US": "Enclosures",
    "en_GB": "Enclosures",
    "de_DE": "Anlagen",
    "fr_FR": "Pièces jointes",
    "es_ES": "Documentos adjuntos",
}
WITH_EVIDENCE = [
    n
    for n in sample_names()
    if any(r["type"] == "evidence" for r in read_sample(n).get("record", []))
]


def test_every_locale_has_a_sample_with_evidence():
    locales = {read_sample(n)["case"]["locale"] for n in WITH_EVIDENCE}
    assert locales == set(ENCLOSURES)


# a letter to the company and one to a third party, where the sample fits them
EVIDENCE_PAIRS = [
    (kind, name)
    for name in WITH_EVIDENCE
    for kind in ("chargeback_request", "complaint")
    if kind in read_sample(name)["kinds"]
]


@pytest.mark.parametrize(
    ("kind", "name"), EVIDENCE_PAIRS, ids=[f"{k}-{n}" for k, n in EVIDENCE_PAIRS]
)
def test_the_evidence_of_a_sample_is_listed_as_enclosures_in_the_pdf(pw, name, kind):
    sample = load_sample(pw, name)
    titles = [r["title"] for r in read_sample(name)["record"] if r["type"] == "evidence"]
    kept = [e for e in pw.store.events(sample.case_id) if e.kind == "evidence"]
    assert [e.data["title"] for e in kept] == titles
    assert all(e.data["media_type"] == "application/pdf" and e.data["sha256"] for e in kept)
    letter = draft_sample_kind(pw, sample, kind, notes=[])
    assert letter.document.enclosures == titles
    text = pdf_text(pw, letter)
    label = ENCLOSURES[sample.locale]
    assert label in text
    after = text[text.rindex(label) :]
    for title in titles:
        assert flat(title) in after


# -- the British small-claims court ----------------------------------------------------


@pytest.mark.parametrize(
    ("jurisdiction", "court"),
    [
        ("GB-ENG", "the County Court"),
        ("GB-WLS", "the County Court"),
        ("GB-SCT", "the sheriff court under the simple procedure"),
        ("GB-NIR", "the small claims court"),
    ],
)
@pytest.mark.parametrize("kind", ["small_claims_notice", "final_demand", "refund_demand"])
def test_a_british_letter_names_the_court_of_the_consumers_part_of_the_uk(
    pw, jurisdiction, court, kind
):
    sample = load_sample(pw, "gb_card_dispute")
    case = pw.store.case(sample.case_id)
    case.jurisdiction = jurisdiction
    pw.store.save_case(case)
    letter = draft_sample_kind(pw, sample, kind, notes=[])
    text = pdf_text(pw, letter)
    assert f"in {court}" in text
    for other in ("County Court", "sheriff court", "small claims court"):
        if other not in court:
            assert other not in text, other
    # a Scottish simple procedure claim is raised; elsewhere in the UK a claim is issued
    if kind != "refund_demand":
        verb, wrong = ("raise", "issue") if jurisdiction == "GB-SCT" else ("issue", "raise")
        assert f"{verb} a claim" in text and f"{wrong} a claim" not in text
    if jurisdiction == "GB-ENG" and kind == "final_demand":
        notes: list[str] = []
        draft_sample_kind(pw, sample, "final_demand", notes=notes)
        assert any("County Court Money Claims Centre" in note for note in notes)


# -- inserted text keeps the names it starts with ---------------------------------------


def test_a_reply_that_starts_with_the_companys_name_keeps_its_capital(pw):
    from datetime import date

    from paperwork.services.events import log_event

    sample = load_sample(pw, "gb_price_rise")
    log_event(
        pw,
        sample.case_id,
        "response",
        date(2026, 11, 30),
        {"summary": "Brightline says the new price is its standard tariff."},
    )
    letter = draft_sample_kind(pw, sample, "stalling_reply", notes=[])
    text = pdf_text(pw, letter)
    assert "in summary: Brightline says the new price" in text
    assert "brightline" not in text


# -- American phone numbers ------------------------------------------------------------


def test_an_american_letter_writes_the_phone_number_the_american_way(pw):
    sample = load_sample(pw, "us_price_rise")
    case = pw.store.case(sample.case_id)
    assert case.sender is not None and case.sender.phone == "+1 217 555 0100"
    letter = draft_sample_kind(pw, sample, "complaint")
    text = pdf_text(pw, letter)
    assert "(217) 555-0100" in text and "+1 217 555 0100" not in text
    assert letter.document.sender_contact[0] == "(217) 555-0100"


def test_a_british_letter_keeps_the_number_as_given(pw, tmp_path):
    data = tomllib.loads((Path(__file__).parents[1] / "data" / "case_gb.toml").read_text("utf-8"))
    data["sender"]["phone"] = "+44 117 496 0123"
    from paperwork.services.cases import new_case

    case_id = new_case(pw, load_with(CaseFileSchema(), data, "gb"), sample_date())
    letter = draft_letter(pw, case_id, "complaint", sample_date())
    assert "+44 117 496 0123" in pdf_text(pw, letter)


def sample_date():
    from datetime import date

    return date(2026, 11, 26)


# -- the executive letter's salutation -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "salutation", "closing"),
    [
        ("us_price_rise", "Dear Ms. Holloway:", "Sincerely,"),
        ("de_price_rise", "Sehr geehrte Frau Dr. Lindner,", "Mit freundlichen Grüßen"),
        ("gb_price_rise", "Dear Chief Executive", "Yours faithfully"),
        (
            "fr_price_rise",
            "Madame la Directrice générale, Monsieur le Directeur général,",
            "Je vous prie d'agréer, Madame la Directrice générale, Monsieur le Directeur "
            "général, l'expression de mes salutations distinguées.",
        ),
    ],
)
def test_the_executive_letter_greets_the_chief_executive(pw, name, salutation, closing):
    sample = load_sample(pw, name)
    letter = draft_sample_kind(pw, sample, "escalation_executive")
    assert (letter.document.salutation, letter.document.closing) == (salutation, closing)
    text = pdf_text(pw, letter)
    assert salutation in text and closing in text
    # the other letters keep the locale's greeting to an unknown reader
    complaint = draft_sample_kind(pw, sample, "complaint").document
    assert complaint.salutation != salutation or name == "us_price_rise"


@pytest.mark.parametrize(
    ("name", "given", "salutation", "closing"),
    [
        ("gb_price_rise", "Dear Ms Okafor", "Dear Ms Okafor", "Yours sincerely"),
        (
            "fr_price_rise",
            "Madame",
            "Madame,",
            "Je vous prie d'agréer, Madame, l'expression de mes salutations distinguées.",
        ),
        ("us_card_dispute", "Dear Mr. Alvarez", "Dear Mr. Alvarez:", "Sincerely,"),
    ],
)
def test_a_named_chief_executive_is_greeted_by_name(pw, name, given, salutation, closing):
    sample = load_sample(pw, name)
    case = pw.store.case(sample.case_id)
    case.contacts = [c for c in case.contacts if c.role != "executive"]
    address = {"en_GB": ["1 Wellington Place", "Leeds", "LS1 4AP"]}.get(
        case.locale, ["10 Main Street", "Long Beach, CA 90802"]
    )
    if case.locale == "fr_FR":
        address = ["12 quai Perrache", "69002 Lyon"]
    case.contacts.append(Contact("executive", "Office of the Chief Executive", address, "", given))
    pw.store.save_case(case)
    letter = draft_sample_kind(pw, sample, "escalation_executive")
    assert (letter.document.salutation, letter.document.closing) == (salutation, closing)
    assert salutation in pdf_text(pw, letter)


def test_a_contact_salutation_is_checked_like_other_text(run_cli, tmp_path):
    data = read_sample("gb_price_rise")["case"]
    data["contacts"] = [
        {
            "role": "executive",
            "name": "Ms Ada Okafor",
            "address": ["1 Wellington Place", "Leeds", "LS1 4AP"],
            "salutation": "Dear Ms Okafor\u0007",
        }
    ]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    code, _out, err = run_cli("case", "new", "--from", str(path))
    assert code == 2
    assert re.search(r"contacts\.0\.salutation: contains a control character", err)


# -- helpers ---------------------------------------------------------------------------


def _give_regulator_an_address(pw, case) -> None:
    """A body of the directory without a postal address gets one on the case (as the
    sample tests do until every body has its own)."""
    from paperwork.core.catalog import find_authority

    body = find_authority(case.jurisdiction, case.category)
    if body is not None and not [a for a in body.address if "://" not in a]:
        case.contacts.append(
            Contact("regulator", body.name(case.locale), ["PO Box 100", "Capital City"])
        )
        pw.store.save_case(case)


def _give_an_earlier_letter(pw, case_id: int) -> None:
    from datetime import date

    from paperwork.services.letters import mark_sent

    letter = draft_letter(pw, case_id, "complaint", date(2026, 11, 16))
    mark_sent(pw, letter.id, date(2026, 11, 16), "certified", "RK 1234 5678 9GB")


def test_enclosures_do_not_push_a_short_letter_onto_a_second_page(pw):
    from pypdf import PdfReader

    sample = load_sample(pw, "gb_card_dispute")
    letter = draft_sample_kind(pw, sample, "small_claims_notice")
    assert letter.document.enclosures
    pages = PdfReader(io.BytesIO(render_bytes(pw, letter, "pdf"))).pages
    assert len(pages) == 1
    text = flat(pages[0].extract_text())
    assert text.index("Yours faithfully") < text.index("Enclosures (2)")


# -- what the English letters end with and ask for ---------------------------------------


@pytest.mark.parametrize("name", ["us_card_dispute", "gb_card_dispute"])
def test_the_request_not_the_enclosure_line_travels_with_the_closing(pw, name):
    """The closing is kept with the last paragraph (render/pdf.py): that paragraph is
    the request and its consequence, so a second page never opens on the line about
    enclosures alone."""
    sample = load_sample(pw, name)
    for kind in sample.kinds:
        doc = draft_sample_kind(pw, sample, kind, notes=[]).document
        assert doc.enclosures, kind
        assert any(p.startswith("I enclose") for p in doc.paragraphs), kind
        assert not doc.paragraphs[-1].startswith("I enclose"), kind


@pytest.mark.parametrize(
    ("name", "kind", "wanted"),
    [
        # a retention request says when the service ends if no agreement is reached
        ("us_price_rise", "retention_request", "cancel my service, effective January 1, 2027,"),
        ("gb_price_rise", "retention_request", "another provider from 2 January 2027"),
        # a payment arrangement names the sum it is for and where a refusal goes
        ("us_back_bill", "hardship_request", "for the $412.00 due on account LPL-20931-884"),
        ("gb_back_bill", "hardship_request", "for the £412.00 due on account SVE-4471-2290"),
        ("gb_back_bill", "hardship_request", "refer the matter to the Energy Ombudsman"),
        # a card issuer is told where an unhandled dispute goes
        ("us_card_dispute", "chargeback_request", "Consumer Financial Protection Bureau"),
        # a merchant's bill is a bill, a card issuer's a statement
        ("us_back_bill", "billing_dispute", "on my bill dated November 20, 2026"),
    ],
)
def test_an_english_letter_states_its_request_and_consequence(pw, name, kind, wanted):
    sample = load_sample(pw, name)
    doc = draft_sample_kind(pw, sample, kind, notes=[]).document
    assert wanted in flat(" ".join(doc.paragraphs))
