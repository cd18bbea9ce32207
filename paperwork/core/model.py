"""The domain model: plain dataclasses, standard library only.

Nothing here does I/O or reads the clock; the schemas (schema.py) are the only way
data enters or leaves these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

CATEGORIES = (
    "billing",
    "banking",
    "credit",
    "insurance",
    "telecoms",
    "energy",
    "data_protection",
    "travel",
    "subscription",
    "goods",
    "services",
    "general",
)

CONTACT_ROLES = (
    "complaints",
    "billing_inquiries",
    "executive",
    "legal",
    "retention",
    "card_issuer",
    "credit_bureau",
    "debt_collector",
    "regulator",
    "court",
)

# How a letter went out. Postal channels get a deemed-receipt delay (docs/DESIGN.md §6.1).
POSTAL_CHANNELS = ("post", "first_class", "second_class", "certified", "registered")
ELECTRONIC_CHANNELS = ("email", "fax", "hand", "online")
CHANNELS = (*POSTAL_CHANNELS, *ELECTRONIC_CHANNELS)

LETTER_STATUSES = ("draft", "sent", "delivered")


@dataclass(frozen=True)
class Money:
    """An amount in one currency; the value is a Decimal, never a float."""

    value: Decimal
    currency: str


@dataclass
class Party:
    """Someone who sends a letter: a name and the postal address lines."""

    name: str
    address: list[str]
    country: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class Company:
    """The company the dispute is with, at its main (complaints) address."""

    name: str
    address: list[str]
    department: str = ""
    country: str = ""
    email: str = ""
    social: str = ""


@dataclass
class Contact:
    """Another addressee at the company, for the letter kinds that need it."""

    role: str
    name: str
    address: list[str]
    email: str = ""
    # how a letter to a named person there opens ("Dear Ms Whitfield", "Sehr geehrte
    # Frau Weber,"); empty: the locale's salutation for the role
    salutation: str = ""


@dataclass
class Fact:
    """One dated thing that happened, as the person tells it."""

    on: date
    text: str


@dataclass
class Details:
    """Optional, letter-specific facts (a cancellation date, a payment plan...)."""

    customer_since: date | None = None
    cancel_on: date | None = None
    transaction_date: date | None = None
    statement_date: date | None = None
    competitor_offer: str = ""
    payment_plan: str = ""
    card_issuer: str = ""
    card_last4: str = ""
    credit_bureau: str = ""
    order_number: str = ""
    # the disputed payment (chargeback, billing error): its amount and the payee
    transaction_amount: Money | None = None
    merchant: str = ""
    # the item of a credit report that is wrong (credit_report_dispute)
    report_item: str = ""
    # the day a debt collector's validation notice was received (debt_validation)
    notice_received: date | None = None


def stored_id(record_id: int | None) -> int:
    """The id of a case, letter or event read back from the store, where it always has
    one (a record not yet stored has None)."""
    if record_id is None:
        raise ValueError("the record has not been stored yet")
    return record_id


@dataclass
class Case:
    """One dispute with one company: who, what happened, and what is wanted."""

    title: str
    jurisdiction: str
    locale: str
    category: str
    company: Company
    sender: Party | None
    summary: str
    remedy: str
    facts: list[Fact] = field(default_factory=list)
    account_number: str = ""
    references: list[str] = field(default_factory=list)
    amount: Money | None = None
    ladder: str = "standard"
    contacts: list[Contact] = field(default_factory=list)
    details: Details = field(default_factory=Details)
    promo_ends: date | None = None
    contract_ends: date | None = None
    # the summary as told to a third party (regulator, card issuer, credit bureau, debt
    # collector, court): about the company, not to it ("Acme charged me twice")
    third_party_summary: str = ""
    id: int | None = None
    status: str = "open"
    created_on: date | None = None

    @property
    def country(self) -> str:
        """The ISO 3166-1 country part of the jurisdiction (``US`` for ``US-IL``)."""
        return self.jurisdiction.split("-", 1)[0]


@dataclass
class LetterDocument:
    """One neutral letter, laid out by both renderers (PDF and DOCX) alike.

    ``subject``, ``salutation``, ``paragraphs`` and ``closing`` are the editable
    part; the rest comes from the case and the profile. A paragraph that starts
    with "- " is a list item.
    """

    locale: str
    sender_name: str
    sender_lines: list[str]
    sender_contact: list[str]
    recipient_lines: list[str]
    place_date: str
    date_iso: str
    references: list[tuple[str, str]]
    subject: str
    salutation: str
    paragraphs: list[str]
    closing: str
    signature: str
    enclosures: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    delivery: str = ""
    reply_by: str = ""
    reply_by_iso: str = ""
    page_label: str = "Page {n} of {m}"
    continuation: str = ""


@dataclass
class Letter:
    """A letter on a case: drafted text first, then frozen once it is sent."""

    case_id: int
    kind: str
    locale: str
    drafted_on: date
    window: str
    document: LetterDocument
    status: str = "draft"
    sent_on: date | None = None
    via: str = ""
    tracking: str = ""
    delivered_on: date | None = None
    pdf_sha256: str = ""
    id: int | None = None


@dataclass
class Event:
    """Something recorded on a case: a call, a reply, an outcome, evidence, a post."""

    case_id: int
    kind: str
    on: date
    data: dict[str, Any]
    id: int | None = None
