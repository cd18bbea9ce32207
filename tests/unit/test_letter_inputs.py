"""What a letter kind needs and what its premise rules out: refusals name how to add
the missing thing (one line each, exit 2), laws apply by date and recipient, inserted
text reads inside its sentence."""

from __future__ import annotations

import json
from datetime import date

import pytest

from paperwork.core.catalog import Catalog
from paperwork.core.model import Case, Company, Party
from paperwork.core.wording import inline, sentence, tidy
from paperwork.letters.compose import applicable_laws
from paperwork.services.samples import load_sample


def _draft(run_cli, case_id, kind, *extra):
    return run_cli("letter", "draft", str(case_id), "--kind", kind, "--on", "2026-12-04", *extra)


def _errors(err: str) -> list[str]:
    return [line for line in err.strip().splitlines() if line.strip()]


def test_a_chargeback_without_the_transaction_names_each_missing_detail(pw, run_cli):
    sample = load_sample(pw, "us_price_rise")  # no card payment on record
    code, _out, err = _draft(run_cli, sample.case_id, "chargeback_request")
    assert code == 2
    lines = _errors(err)
    assert any("details.transaction_date" in line and "case edit" in line for line in lines)
    assert any("details.transaction_amount" in line for line in lines)
    assert any('role "card_issuer"' in line for line in lines)
    assert "Traceback" not in err


def test_confirm_call_needs_a_logged_call_and_a_real_event_id(pw, run_cli):
    sample = load_sample(pw, "us_data_access")  # nothing logged
    code, _out, err = _draft(run_cli, sample.case_id, "confirm_call")
    assert code == 2 and "paperwork log call" in err and len(_errors(err)) == 1
    sample = load_sample(pw, "us_price_rise")
    code, _out, err = _draft(run_cli, sample.case_id, "confirm_call", "--call", "999")
    assert code == 2 and "--call: event 999" in err
    call_id = next(e.id for e in pw.store.events(sample.case_id) if e.kind == "call")
    code, out, _err = _draft(run_cli, sample.case_id, "confirm_call", "--call", str(call_id))
    assert code == 0
    code, text, _ = run_cli("letter", "show", out.strip().splitlines()[-1])
    assert "November 21, 2026" in text and "Marcus" in text and "CR-20931" in text


def test_stalling_reply_answers_a_logged_reply(pw, run_cli):
    sample = load_sample(pw, "us_data_access")
    code, _out, err = _draft(run_cli, sample.case_id, "stalling_reply", "--tactic", "policy")
    assert code == 2 and "paperwork log response" in err
    sample = load_sample(pw, "gb_price_rise")
    code, out, _err = _draft(run_cli, sample.case_id, "stalling_reply", "--tactic", "policy")
    assert code == 0
    _, text, _ = run_cli("letter", "show", out.strip().splitlines()[-1])
    assert "your reply of 28 November 2026" in text


def test_an_escalation_needs_an_earlier_letter_marked_sent(pw, run_cli):
    sample = load_sample(pw, "gb_data_access")
    for kind in ("follow_up", "escalation_executive", "final_demand", "regulator_complaint"):
        code, _out, err = _draft(run_cli, sample.case_id, kind)
        assert code == 2 and "paperwork letter sent" in err, kind


def test_a_third_party_without_an_address_is_refused(pw, run_cli):
    sample = load_sample(pw, "us_debt_credit")
    case = pw.store.case(sample.case_id)
    case.contacts = [c for c in case.contacts if c.role != "credit_bureau"]
    pw.store.save_case(case)
    code, _out, err = _draft(run_cli, sample.case_id, "credit_report_dispute")
    assert code == 2 and 'add a contact with role "credit_bureau"' in err


def test_a_regulator_without_a_postal_address_is_refused_not_given_a_url(pw, run_cli, home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "regulators.toml").write_text(
        '[[body]]\nid = "gb-comms"\ncountry = "GB"\ncategories = ["telecoms"]\nname = "Web Only Ombudsman"\n'
        'website = "https://ombudsman.example"\n',
        encoding="utf-8",
    )
    sample = load_sample(pw, "gb_price_rise")
    code, _out, err = _draft(run_cli, sample.case_id, "regulator_complaint")
    assert code == 2 and "no postal address is known for Web Only Ombudsman" in err


def test_fcba_is_not_invoked_after_sixty_days_and_the_user_is_told(pw, run_cli):
    sample = load_sample(pw, "us_card_dispute")  # statement of November 5, 2026
    code, out, err = run_cli(
        "letter", "draft", str(sample.case_id), "--kind", "chargeback_request", "--on", "2027-01-20"
    )
    assert code == 0
    assert "note:" in err and "Fair Credit Billing Act" in err and "60 days" in err
    _, text, _ = run_cli("letter", "show", out.strip().splitlines()[-1])
    assert "Fair Credit Billing Act" not in text and "note" not in text.lower()
    code, out, err = _draft(run_cli, sample.case_id, "chargeback_request")
    _, text, _ = run_cli("letter", "show", out.strip().splitlines()[-1])
    assert "Fair Credit Billing Act" in text


def test_laws_apply_by_date_recipient_and_category():
    catalog = Catalog(None)

    def case(jurisdiction: str, category: str) -> Case:
        return Case(
            title="t",
            jurisdiction=jurisdiction,
            locale="en_US",
            category=category,
            company=Company("Co", ["x"]),
            sender=Party("P", ["y"]),
            summary="s",
            remedy="r",
        )

    es = case("ES", "energy")
    complaint = catalog.get("complaint")
    assert "ley_10_2025" not in applicable_laws(es, complaint, date(2026, 12, 27))[0]
    assert "ley_10_2025" in applicable_laws(es, complaint, date(2026, 12, 28))[0]
    assert complaint.window_for("ES", "energy", date(2026, 12, 27))[1].window == "1m"
    assert complaint.window_for("ES", "energy", date(2026, 12, 28))[1].window == "15bd"
    # telecoms and financial services keep their sector rules: Ley 10/2025 only supplements them
    for category in ("telecoms", "banking", "insurance"):
        other = case("ES", category)
        assert "ley_10_2025" not in applicable_laws(other, complaint, date(2027, 2, 1))[0]
        assert complaint.window_for("ES", category, date(2027, 2, 1))[1].window == "1m"
    assert complaint.window_for("GB", "telecoms", date(2026, 4, 7))[1].window == "8w"
    assert complaint.window_for("GB", "telecoms", date(2026, 4, 8))[1].window == "6w"
    # the Spanish chargeback cites the Spanish statute, not the directive
    laws = applicable_laws(
        case("ES", "banking"), catalog.get("chargeback_request"), date(2026, 12, 4)
    )[0]
    assert "rdl_19_2018" in laws and "psd2_unauthorised" not in laws
    # the FDCPA binds debt collectors only; the FCBA only credit accounts
    assert catalog.get("debt_validation").recipient == "debt_collector"
    for kind in catalog.kinds.values():
        for law in kind.laws:
            if law.id.startswith("fdcpa"):
                assert law.recipients == ("debt_collector",)
            assert law.source and law.since, (kind.id, law.id)
            assert "click" not in law.cite.lower()
    utility = case("US-IL", "billing")
    utility.details.statement_date = date(2026, 11, 20)
    assert (
        "fcba" not in applicable_laws(utility, catalog.get("billing_dispute"), date(2026, 12, 4))[0]
    )


def test_a_kind_goes_out_by_its_countrys_own_delivery():
    from paperwork.core.i18n import conventions

    regulator = Catalog(None).get("regulator_complaint")
    # a Spanish public body gets a certified letter, a German conciliation body an
    # Einschreiben (its receipt suspends limitation); elsewhere ordinary post
    assert regulator.delivery_for("ES-MD") == "certified"
    assert regulator.delivery_for("DE-BE") == "registered"
    assert regulator.delivery_for("GB") == regulator.delivery == "ordinary"
    assert conventions("es_ES")["delivery"]["certified"] == "Correo certificado con acuse de recibo"
    for locale in ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES"):
        assert conventions(locale)["delivery"]["certified"]


def test_kinds_json_shows_needs_inputs_and_recipient(run_cli):
    code, out, _ = run_cli("kinds", "--json")
    assert code == 0
    kinds = {k["id"]: k for k in json.loads(out)}
    assert kinds["chargeback_request"]["recipient"] == "card_issuer"
    assert kinds["chargeback_request"]["inputs"] == ["transaction"]
    assert kinds["confirm_call"]["inputs"] == ["call"]
    assert kinds["intent_to_cancel"]["states"] == ["not_cancelled"]
    assert kinds["debt_validation"]["recipient"] == "debt_collector"
    assert kinds["escalation_executive"]["recipient"] == "executive"
    assert any(p["from"] == "2026-12-28" for p in kinds["complaint"]["periods"]["ES/energy"])


def test_ask_reads_inside_the_sentence(pw, run_cli):
    sample = load_sample(pw, "us_price_rise")
    code, out, _ = _draft(
        run_cli, sample.case_id, "retention_request", "--ask", "Keep my rate of $49.99 a month."
    )
    assert code == 0
    _, text, _ = run_cli("letter", "show", out.strip().splitlines()[-1])
    assert "the following by December 18, 2026: keep my rate of $49.99 a month." in " ".join(
        text.split()
    )
    assert ".." not in text


@pytest.mark.parametrize(
    ("text", "locale", "wanted"),
    [
        ("Refund the duplicate charge.", "en_US", "refund the duplicate charge"),
        (
            "Lakeview Fiber offers 300 Mbps for $45 a month",
            "en_US",
            "Lakeview Fiber offers 300 Mbps for $45 a month",
        ),
        ("ACME must refund me.", "en_GB", "ACME must refund me"),
        ("Rembourser la somme de 49,98 €.", "fr_FR", "rembourser la somme de 49,98 €"),
        ("Devolver el importe.", "es_ES", "devolver el importe"),
        ("Erstatten Sie den Betrag.", "de_DE", "Erstatten Sie den Betrag"),
        ("Acme Broadband, Inc.", "en_US", "Acme Broadband, Inc."),
        ("I want my money back.", "en_US", "I want my money back"),
    ],
)
def test_inline_shapes_text_for_the_middle_of_a_sentence(text, locale, wanted):
    assert inline(text, locale, ("Acme Broadband, Inc.",)) == wanted


@pytest.mark.parametrize(
    ("text", "names", "wanted"),
    [
        # the company's name alone, or as the record writes it in full or in capitals
        ("Vodafone charged me twice.", ("Vodafone Limited",), "Vodafone charged me twice"),
        ("Vodafone", ("VODAFONE UK LTD",), "Vodafone"),
        ("Vodafone's reply came late.", ("Vodafone Limited",), "Vodafone's reply came late"),
        ("Sky promised a credit.", ("The Sky Group",), "Sky promised a credit"),
        # a person of the record (the agent on a call)
        (
            "Sophie promised a call back.",
            ("Brightline Telecom plc", "Sophie"),
            "Sophie promised a call back",
        ),
        # acronyms and capitals inside a word, with or without the record
        ("BT must refund me.", (), "BT must refund me"),
        ("EE's new tariff applies.", (), "EE's new tariff applies"),
        ("McKay Foods refused.", (), "McKay Foods refused"),
        ("PayPal refunded half.", (), "PayPal refunded half"),
        # a word the text itself writes with a capital again is a name
        ("Netflix took £10 and Netflix kept it.", (), "Netflix took £10 and Netflix kept it"),
        ("I'm owed £20.", (), "I'm owed £20"),
        # ordinary words are lowered, even when a name starts with the same article
        ("The refund is late.", ("The Refund Company",), "the refund is late"),
        ("Refund the charge. Refund it now.", ("Acme",), "refund the charge. Refund it now"),
        ("Three payments were taken.", ("Vodafone Limited",), "three payments were taken"),
    ],
)
def test_inline_keeps_proper_names_and_acronyms(text, names, wanted):
    assert inline(text, "en_GB", names) == wanted


def test_sentence_and_tidy():
    assert sentence("severn offers £28 a month") == "severn offers £28 a month."
    assert sentence("Done!") == "Done!"
    assert tidy("paid to Acme, Inc.. Then") == "paid to Acme, Inc. Then"
    assert tidy("wait...") == "wait..."


def test_demo_loads_a_sample_and_drafts_its_kinds(run_cli, tmp_path):
    code, out, _err = run_cli(
        "demo", "--no-tui", "--sample", "us_card_dispute", "--out", str(tmp_path)
    )
    assert code == 0
    assert any("chargeback-request" in line and line.endswith(".pdf") for line in out.splitlines())
    code, _out, err = run_cli("demo", "--no-tui", "--sample", "nope", "--out", str(tmp_path))
    assert code == 2 and "us_card_dispute" in err
