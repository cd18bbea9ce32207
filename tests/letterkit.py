"""A case record that fits every letter kind: the events and sent letters a kind's
premise needs (a logged call, a logged reply, an earlier letter marked sent)."""

from __future__ import annotations

from datetime import date, timedelta

from paperwork.services.events import log_event
from paperwork.services.letters import draft_letter, mark_sent

# Inputs beyond the case that kinds declare (see the kinds' `inputs`)
DETAILS = {
    "transaction_amount": {"value": "62.41", "currency": "USD"},
    "merchant": "Example Merchant",
    "report_item": "An account reported as 90 days late in October 2026.",
    "notice_received": "2026-11-10",
}
DEBT_COLLECTOR = {
    "role": "debt_collector",
    "name": "Example Recovery Services",
    "address": ["4 Collection Lane", "Debtville"],
}


def give_record(pw, case_id: int, today: date) -> dict[str, int]:
    """Log a call and a reply and send a first complaint, dated before ``today``."""
    call = log_event(
        pw,
        case_id,
        "call",
        today - timedelta(days=20),
        {
            "waited": 35,
            "duration": 12,
            "rep": "Dana",
            "ref": "C-77",
            "promised": "A refund within 5 days.",
        },
    )
    first = draft_letter(pw, case_id, "complaint", today - timedelta(days=30))
    mark_sent(pw, first.id, today - timedelta(days=29), "registered", "RR123456789US")
    reply = log_event(
        pw,
        case_id,
        "response",
        today - timedelta(days=10),
        {"summary": "They asked me to call the support line."},
    )
    return {"call": call.id, "reply": reply.id, "letter": first.id}
