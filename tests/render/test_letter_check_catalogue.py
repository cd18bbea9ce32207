"""The checker over every kind, in every locale where it applies, on the sample cases:
a letter Paperwork drafts must give it nothing to say (PDF layout included)."""

from __future__ import annotations

import pytest
from test_catalogue import PAIRS, draft_sample

from paperwork.services.check import letter_findings

# Letters the `letters` and `letters-intl` branches are still rewriting (issue 15,
# points 2-6 and 9), as of the last merge of `letters`: each reason names what
# the checker finds there. Remove a pair once its letter checks clean.
_NO_POSTCODE = "sample contact (card issuer, bureau, collector, executive office, regulator) has no postcode: sample cases, issue 15 point 9"
_YOUR_REF = (
    "letter to the debt collector labels the company's reference 'your reference': issue 15 point 4"
)
_ANTES = (
    "'antes del' + reply-by date leaves out the day itself: Spanish templates, issue 15 point 5"
)
_COLON = "remedy, summary or note pasted capitalised after a colon mid-sentence: French/Spanish templates, issue 15 point 2"
_NOTE = "note meant for the user printed in the letter ('For your information', 'Zu Ihrer Information'): issue 15 point 6"
_DOUBLED = (
    "'Vorgang Vorgang' / 'dossier Dossier': reference pasted after its own label, issue 15 point 4"
)
_WIDE = "regulator's name wider than the envelope window (85 mm): directory name (regs) or a wrapped address line (compose)"
PENDING: dict[tuple[str, str], str] = {}


def _mark(pairs: str, *reasons: str, table: dict | None = None) -> None:
    """Mark each "a/b" of ``pairs`` pending in ``table`` (PENDING by default)."""
    for pair in pairs.split():
        first, second = pair.rsplit("/", 1)
        (PENDING if table is None else table)[(first, second)] = "; ".join(reasons)


_mark(
    "billing_dispute/es_ES complaint/es_ES confirm_call/es_ES escalation_supervisor/es_ES "
    "final_demand/es_ES follow_up/es_ES hardship_request/es_ES intent_to_cancel/es_ES "
    "refund_demand/es_ES retention_request/es_ES stalling_reply/es_ES",
    _ANTES,
    _COLON,
)
_mark(
    "billing_dispute/fr_FR complaint/fr_FR escalation_supervisor/fr_FR final_demand/fr_FR "
    "follow_up/fr_FR hardship_request/fr_FR intent_to_cancel/fr_FR refund_demand/fr_FR "
    "retention_request/fr_FR stalling_reply/fr_FR",
    _COLON,
)
_mark("cancellation_notice/de_DE small_claims_notice/de_DE", _NOTE)
_mark("cancellation_notice/es_ES small_claims_notice/es_ES", _ANTES, _NOTE, _COLON)
_mark("cancellation_notice/fr_FR small_claims_notice/fr_FR", _NOTE, _COLON)
_mark(
    "chargeback_request/de_DE chargeback_request/en_GB chargeback_request/en_US "
    "credit_report_dispute/en_US debt_validation/en_US escalation_executive/de_DE "
    "escalation_executive/en_GB escalation_executive/en_US",
    _NO_POSTCODE,
)
_mark("chargeback_request/es_ES escalation_executive/es_ES", _NO_POSTCODE, _ANTES, _COLON)
_mark(
    "chargeback_request/fr_FR escalation_executive/fr_FR regulator_complaint/fr_FR",
    _NO_POSTCODE,
    _COLON,
)
_mark("confirm_call/de_DE", _DOUBLED)
_mark("confirm_call/fr_FR", _DOUBLED, _COLON)
_mark("data_access_request/es_ES", _ANTES)
_mark("regulator_complaint/de_DE", _WIDE)
_mark("regulator_complaint/es_ES", _WIDE, _COLON)


def _param(table: dict, first: str, second: str):
    """A test case, expected to fail with its reason while it is pending."""
    reason = table.get((first, second))
    marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
    return pytest.param(first, second, id=f"{first}-{second}", marks=marks)


@pytest.mark.parametrize(("kind_id", "locale"), [_param(PENDING, *pair) for pair in PAIRS])
def test_the_checker_finds_nothing_in_a_drafted_letter(pw, kind_id, locale):
    letter = draft_sample(pw, kind_id, locale)
    assert letter_findings(pw, letter.id) == []


# -- the sample cases (paperwork/sample/cases): every kind each of them fits ------------

_GLUED = "inserted offer text without a full stop runs into the next sentence: templates, issue 15 point 2"
SAMPLE_PENDING: dict[tuple[str, str], str] = {}


def _mark_sample(pairs: str, *reasons: str) -> None:
    _mark(pairs, *reasons, table=SAMPLE_PENDING)


_mark_sample("de_cancellation_ignored/confirm_call de_price_rise/confirm_call", _DOUBLED)
_mark_sample("de_price_rise/cancellation_notice", _NOTE)
_mark_sample("de_price_rise/regulator_complaint", _WIDE)
_mark_sample("de_price_rise/retention_request", _GLUED)
_mark_sample(
    "es_cancellation_ignored/complaint es_cancellation_ignored/confirm_call "
    "es_cancellation_ignored/escalation_executive es_cancellation_ignored/escalation_supervisor "
    "es_cancellation_ignored/final_demand es_cancellation_ignored/follow_up "
    "es_cancellation_ignored/refund_demand es_cancellation_ignored/stalling_reply "
    "es_card_dispute/chargeback_request es_card_dispute/complaint es_card_dispute/final_demand "
    "es_card_dispute/follow_up es_card_dispute/refund_demand es_card_dispute/stalling_reply "
    "es_price_rise/complaint es_price_rise/confirm_call es_price_rise/escalation_executive "
    "es_price_rise/escalation_supervisor es_price_rise/follow_up es_price_rise/intent_to_cancel "
    "es_price_rise/stalling_reply",
    _ANTES,
    _COLON,
)
_mark_sample("es_data_access/data_access_request", _ANTES)
_mark_sample("es_price_rise/cancellation_notice", _ANTES, _NOTE, _COLON)
_mark_sample("es_price_rise/regulator_complaint", _WIDE, _COLON)
_mark_sample("es_price_rise/retention_request", _ANTES, _COLON, _GLUED)
_mark_sample(
    "fr_cancellation_ignored/complaint fr_cancellation_ignored/escalation_executive "
    "fr_cancellation_ignored/escalation_supervisor fr_cancellation_ignored/final_demand "
    "fr_cancellation_ignored/follow_up fr_cancellation_ignored/refund_demand "
    "fr_cancellation_ignored/stalling_reply fr_card_dispute/chargeback_request "
    "fr_card_dispute/complaint fr_card_dispute/final_demand fr_card_dispute/follow_up "
    "fr_card_dispute/refund_demand fr_card_dispute/stalling_reply fr_price_rise/complaint "
    "fr_price_rise/escalation_executive fr_price_rise/escalation_supervisor "
    "fr_price_rise/follow_up fr_price_rise/intent_to_cancel fr_price_rise/regulator_complaint "
    "fr_price_rise/stalling_reply",
    _COLON,
)
_mark_sample("fr_cancellation_ignored/confirm_call fr_price_rise/confirm_call", _DOUBLED, _COLON)
_mark_sample("fr_price_rise/cancellation_notice", _NOTE, _COLON)
_mark_sample("fr_price_rise/retention_request", _COLON, _GLUED)


def _sample_params():
    from paperwork.services.samples import read_sample, sample_names

    return [
        _param(SAMPLE_PENDING, name, kind)
        for name in sample_names()
        for kind in read_sample(name)["kinds"]
    ]


@pytest.mark.parametrize(("name", "kind_id"), _sample_params())
def test_the_checker_finds_nothing_in_a_sample_letter(pw, name, kind_id):
    from paperwork.services.samples import draft_sample_kind, load_sample

    letter = draft_sample_kind(pw, load_sample(pw, name), kind_id, notes=[])
    assert letter_findings(pw, letter.id) == []
