"""A case full of personal details, and its record, for the pool tests."""

from __future__ import annotations

from datetime import date

try:  # the model's home after the package restructure; before it, paperwork.model
    from paperwork.core.model import (
        Case,
        Company,
        Details,
        Event,
        Fact,
        Letter,
        LetterDocument,
        Party,
    )
except ImportError:
    from paperwork.model import Case, Company, Details, Event, Fact, Letter, LetterDocument, Party

TODAY = date(2026, 11, 26)
# Strings that must never reach a pool server, its page or its database.
PERSONAL = (
    "Jane Q. Example",
    "12 Privet Lane",
    "jane@example.org",
    "+44 7700 900123",
    "ACC-99887766",
    "REF-4455",
    "Dana Rep",
    "overcharged my elderly mother",
    "4242",
)


def personal_case() -> Case:
    """A case whose every text field is personal."""
    return Case(
        title="Jane's overbilling",
        jurisdiction="GB",
        locale="en_GB",
        category="telecoms",
        company=Company(name="Acme Telecom", address=["1 Acme Way", "London"]),
        sender=Party(name=PERSONAL[0], address=[PERSONAL[1]], email=PERSONAL[2], phone=PERSONAL[3]),
        summary=PERSONAL[7],
        remedy="refund",
        facts=[Fact(date(2026, 9, 1), PERSONAL[7])],
        account_number=PERSONAL[4],
        references=[PERSONAL[5]],
        details=Details(card_last4=PERSONAL[8], cancel_on=date(2026, 11, 20)),
        id=7,
    )


def _letter(letter_id: int, kind: str, sent_on: date | None) -> Letter:
    document = LetterDocument(
        locale="en_GB",
        sender_name=PERSONAL[0],
        sender_lines=[PERSONAL[1]],
        sender_contact=[PERSONAL[2]],
        recipient_lines=["Acme Telecom"],
        place_date="London",
        date_iso="2026-10-01",
        references=[("Account", PERSONAL[4])],
        subject=PERSONAL[7],
        salutation="Dear Sir",
        paragraphs=[PERSONAL[7]],
        closing="Yours",
        signature=PERSONAL[0],
    )
    status = "sent" if sent_on else "draft"
    return Letter(
        7,
        kind,
        "en_GB",
        date(2026, 9, 30),
        "14d",
        document,
        status,
        sent_on,
        "post",
        "TRK1",
        id=letter_id,
    )


def personal_record() -> tuple[list[Letter], list[Event]]:
    """Letters (sent, one custom kind, one draft) and events (calls, reply, outcome, post)."""
    letters = [
        _letter(1, "complaint", date(2026, 10, 1)),
        _letter(2, "my_own_kind_for_jane", date(2026, 10, 20)),
        _letter(3, "regulator_complaint", date(2026, 11, 10)),
        _letter(4, "cancellation_notice", date(2026, 11, 12)),
        _letter(5, "final_demand", None),
    ]
    events = [
        Event(
            7,
            "call",
            date(2026, 10, 5),
            {"waited": 40, "duration": 10, "rep": PERSONAL[6], "ref": PERSONAL[5]},
            id=1,
        ),
        Event(
            7, "call", date(2026, 10, 6), {"waited": 25, "duration": 5, "notes": PERSONAL[7]}, id=2
        ),
        Event(7, "call", date(2026, 10, 14), {"waited": 5, "duration": 5}, id=3),
        Event(7, "response", date(2026, 10, 10), {"summary": PERSONAL[7], "resolved": False}, id=4),
        Event(
            7,
            "outcome",
            date(2026, 11, 20),
            {"kind": "refund", "amount": "120.50", "currency": "GBP"},
            id=5,
        ),
        Event(7, "post", date(2026, 11, 1), {"url": "https://social.example/" + PERSONAL[0]}, id=6),
        Event(7, "call", date(2026, 12, 1), {"waited": 99, "duration": 1}, id=7),  # after today
    ]
    return letters, events
