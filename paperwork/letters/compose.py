"""Composition: a case and a letter kind become one neutral letter document.

Both renderers (PDF and DOCX) lay out the same :class:`LetterDocument`, so the
two formats never disagree. The editable part of a letter (subject, salutation,
paragraphs, closing) round-trips through a plain-text form for ``letter edit``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from paperwork.core import i18n
from paperwork.core.catalog import Catalog, LetterKind, find_authority, find_court
from paperwork.core.errors import UserError
from paperwork.core.i18n import N_, _
from paperwork.core.model import Case, Event, Letter, LetterDocument, Party
from paperwork.core.tally import Tally
from paperwork.letters.pool_sentence import POOL_KINDS, insert_at, pool_sentence

# Lines a window shows (DESIGN §7): US #10 window 5 lines, DIN 5008 6 lines,
# the French right-hand window 33 mm (6 lines at 12 pt leading).
MAX_RECIPIENT_LINES = {"letter": 5, "a4": 6}


@dataclass
class History:
    """What happened on a case before this letter: sent letters and recorded events."""

    letters: list[Letter] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    tally: Tally | None = None


def recipient_lines(
    case: Case, kind: LetterKind, locale: str, user_regulators: Path | None = None
) -> list[str]:
    """The address block for ``kind``: the regulator for a regulator complaint, a
    contact with the kind's role, else the company's main address."""
    if kind.recipient == "regulator":
        body = find_authority(
            case.jurisdiction, kind.regulator_category or case.category, user_regulators
        )
        if body is None:
            raise UserError(
                _(
                    "no regulator or ombudsman is known for {category} in {jurisdiction}; add one to regulators.toml in your data folder."
                ).format(category=case.category, jurisdiction=case.jurisdiction)
            )
        # Bodies that take complaints online only: the letter is the text to file there.
        return [body.name(locale), *(body.address or ([body.website] if body.website else []))]
    for contact in case.contacts:
        if contact.role == kind.recipient:
            return (
                [case.company.name, contact.name, *contact.address]
                if kind.recipient
                not in (
                    "card_issuer",
                    "credit_bureau",
                )
                else [contact.name, *contact.address]
            )
    if kind.recipient in ("card_issuer", "credit_bureau"):
        # Mailing the merchant instead would waste the letter.
        raise UserError(
            _(
                'contacts: a {kind} letter goes to the {role}; add a contact with role "{role}" (name and address) to the case.'
            ).format(kind=kind.id, role=kind.recipient)
        )
    lines = [case.company.name]
    if case.company.department:
        lines.append(case.company.department)
    lines.extend(case.company.address)
    return lines


def _context(
    case: Case,
    kind: LetterKind,
    locale: str,
    sender: Party,
    today: date,
    reply_by: date,
    history: History,
    tactic: str,
    catalog: Catalog,
    user_regulators: Path | None,
) -> dict[str, Any]:
    """Everything a body template may use, already formatted for ``locale``."""

    def day(d: date | None) -> str:
        return i18n.long_date(d, locale) if d else ""

    conv = i18n.conventions(locale)
    channels = conv.get("channels", {})
    body = find_authority(
        case.jurisdiction, kind.regulator_category or case.category, user_regulators
    )
    court = find_court(case.jurisdiction, user_regulators)
    tally = history.tally
    details = case.details
    calls = [e for e in history.events if e.kind == "call"]
    return {
        "case": {
            "title": case.title,
            "summary": case.summary,
            "remedy": case.remedy,
            "account_number": case.account_number,
            "references": list(case.references),
            "category": case.category,
            "jurisdiction": case.jurisdiction,
            "country": case.country,
        },
        "company": {
            "name": case.company.name,
            "department": case.company.department,
            "social": case.company.social,
            "country": case.company.country,
        },
        "promo_ends": day(case.promo_ends),
        "contract_ends": day(case.contract_ends),
        "sender": {"name": sender.name, "email": sender.email, "phone": sender.phone},
        "facts": [
            {"date": day(f.on), "text": f.text} for f in sorted(case.facts, key=lambda f: f.on)
        ],
        "amount": i18n.money(case.amount, locale) if case.amount else "",
        "reply_by": day(reply_by),
        "today": day(today),
        "earlier_letters": [
            {
                "title": catalog.get(letter.kind).title(locale)
                if letter.kind in catalog.kinds
                else letter.kind,
                "date": day(letter.sent_on),
                "via": channels.get(letter.via, letter.via),
                "tracking": letter.tracking,
            }
            for letter in sorted(history.letters, key=lambda x: (x.sent_on or today, x.id or 0))
            if letter.sent_on
        ],
        "calls": [
            {
                "date": day(e.on),
                "rep": str(e.data.get("rep", "")),
                "ref": str(e.data.get("ref", "")),
                "waited": i18n.duration(int(e.data.get("waited", 0)), locale),
                "promised": str(e.data.get("promised", "")),
                "notes": str(e.data.get("notes", "")),
            }
            for e in sorted(calls, key=lambda e: e.on)
        ],
        "responses": [
            {"date": day(e.on), "summary": str(e.data.get("summary", ""))}
            for e in sorted(history.events, key=lambda e: e.on)
            if e.kind == "response"
        ],
        "published_posts": [
            {
                "date": day(e.on),
                "platform": str(e.data.get("platform", "")),
                "url": str(e.data.get("url", "")),
            }
            for e in history.events
            if e.kind == "post"
        ],
        "tally": {
            "calls": tally.calls if tally else 0,
            "hold": i18n.duration(tally.hold_minutes, locale) if tally else "",
            "letters_sent": tally.letters_sent if tally else 0,
            "first_contact": day(tally.first_contact) if tally else "",
            "days_since_first_contact": tally.days_since_first_contact if tally else 0,
            "missed_deadlines": tally.missed_deadlines if tally else 0,
        },
        "regulator": {
            "name": body.name(locale) if body else "",
            "website": body.website if body else "",
            "gate": body.gate_text(locale) if body else "",
            "address": list(body.address) if body else [],
        },
        "court": {
            "name": i18n_pick(court.names, locale) if court else "",
            "note": i18n_pick(court.notes, locale) if court else "",
        },
        "details": {
            "customer_since": day(details.customer_since),
            "cancel_on": day(details.cancel_on),
            "transaction_date": day(details.transaction_date),
            "statement_date": day(details.statement_date),
            "competitor_offer": details.competitor_offer,
            "payment_plan": details.payment_plan,
            "card_issuer": details.card_issuer,
            "card_last4": details.card_last4,
            "credit_bureau": details.credit_bureau,
            "order_number": details.order_number,
        },
        "tactic": tactic,
        "enclosures": [
            str(e.data.get("title", ""))
            for e in history.events
            if e.kind == "evidence" and e.data.get("title")
        ],
    }


def i18n_pick(texts: dict[str, str], locale: str) -> str:
    return (
        texts.get(locale)
        or texts.get(locale[:2])
        or texts.get("en")
        or next(iter(texts.values()), "")
    )


def missing_needs(case: Case, kind: LetterKind) -> list[str]:
    """The case fields ``kind`` needs that this case leaves empty."""
    missing = []
    for need in kind.needs:
        obj: Any = case
        for part in need.split("."):
            obj = getattr(obj, part, None)
        if obj in (None, "", []):
            missing.append(need)
    return missing


def compose(
    case: Case,
    kind: LetterKind,
    *,
    catalog: Catalog,
    sender: Party,
    locale: str,
    today: date,
    reply_by: date,
    history: History | None = None,
    tactic: str = "",
    user_regulators: Path | None = None,
    pool: dict[str, Any] | None = None,
) -> LetterDocument:
    """Fill ``kind``'s body for ``case`` and wrap it in the locale's letter conventions.

    ``pool``: the case's pool figures as last fetched (DESIGN §9 shape plus the day
    they are from); the kinds that carry the count state them in a paragraph of their own.
    """
    history = history or History()
    conv = i18n.conventions(locale)
    ctx = _context(
        case, kind, locale, sender, today, reply_by, history, tactic, catalog, user_regulators
    )
    subject, paragraphs = catalog.fill(kind.id, locale, ctx)
    if not paragraphs:
        raise UserError(
            _("letter kind '{id}' produced an empty body in {locale}.").format(
                id=kind.id, locale=locale
            )
        )
    paragraphs = _with_pool(paragraphs, pool, case, kind, locale, reply_by, user_regulators)

    recipient = recipient_lines(case, kind, locale, user_regulators)
    country_line = _country_line(sender.country, case.company.country, locale)
    if country_line and kind.recipient not in ("regulator", "card_issuer", "credit_bureau"):
        recipient.append(country_line)
    paper = i18n.paper_for(locale)
    limit = MAX_RECIPIENT_LINES[paper]
    if len(recipient) > limit:
        raise UserError(
            _(
                "company.address: the recipient block has {len} lines with the company name and department; a window envelope shows at most {limit}. Shorten the address."
            ).format(len=len(recipient), limit=limit)
        )

    references: list[tuple[str, str]] = []
    if case.account_number:
        references.append((conv["account"], case.account_number))
    if case.references:
        references.append((conv["references"], "; ".join(case.references)))
    place = i18n.place_from_address(sender.address)
    date_text = i18n.long_date(today, locale)
    place_date = conv["place_date"].format(place=place, date=date_text) if place else date_text
    contact = [v for v in (sender.phone, sender.email) if v]
    enclosures = [
        str(e.data.get("title", ""))
        for e in history.events
        if e.kind == "evidence" and e.data.get("title")
    ]
    return LetterDocument(
        locale=locale,
        sender_name=sender.name,
        sender_lines=list(sender.address),
        sender_contact=contact,
        recipient_lines=recipient,
        place_date=place_date,
        date_iso=today.isoformat(),
        references=references,
        subject=f"{conv['subject_prefix']}{subject}",
        salutation=conv["salutation"],
        paragraphs=paragraphs,
        closing=conv["closing"],
        signature=sender.name,
        enclosures=enclosures,
        copies=[],
        delivery=conv.get("delivery", {}).get(kind.delivery, ""),
        reply_by=i18n.long_date(reply_by, locale),
        reply_by_iso=reply_by.isoformat(),
        page_label=conv["page"],
        continuation=recipient[0],
    )


def _with_pool(
    paragraphs: list[str],
    pool: dict[str, Any] | None,
    case: Case,
    kind: LetterKind,
    locale: str,
    reply_by: date,
    user_regulators: Path | None,
) -> list[str]:
    """The pool's sentence as its own paragraph, before the request (LETTERS.md point 13)."""
    if not pool or kind.id not in POOL_KINDS:
        return paragraphs
    body = find_authority(case.jurisdiction, case.category, user_regulators)
    sentence = pool_sentence(
        pool,
        locale,
        regulator=body.name(locale) if body else "",
        to_regulator=kind.recipient == "regulator",
    )
    if not sentence:
        return paragraphs
    at = insert_at(paragraphs, [case.remedy, i18n.long_date(reply_by, locale)])
    return [*paragraphs[:at], sentence, *paragraphs[at:]]


def _country_line(sender_country: str, company_country: str, locale: str) -> str:
    """International mail needs the destination country on the last line."""
    if (
        not sender_country
        or not company_country
        or sender_country.upper() == company_country.upper()
    ):
        return ""
    from babel import Locale

    name = Locale.parse(locale).territories.get(company_country.upper(), company_country)
    return name.upper()


# ---------------------------------------------------------------------------
# Plain-text forms


def editable_text(doc: LetterDocument) -> str:
    """The part of a letter a person may edit, as plain text for $EDITOR."""
    blocks = [doc.subject, doc.salutation, *doc.paragraphs, doc.closing]
    return "\n\n".join(blocks) + "\n"


EDIT_HELP = N_(
    "Write the subject, a blank line, the salutation, a blank line, the paragraphs"
    " (separated by blank lines) and the closing last."
)


def apply_edit(doc: LetterDocument, text: str, source: str = "letter text") -> LetterDocument:
    """Take edited plain text back into the document; refuse a text that lost its shape."""
    from paperwork.core.schema import clean_text  # the same character rules as case files

    blocks = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [
            line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")
        ]
        if lines:
            blocks.append(" ".join(lines))
    if len(blocks) < 4:
        raise UserError(
            _("has {len} block(s); it needs at least 4. {EDIT_HELP}").format(
                len=len(blocks), EDIT_HELP=_(EDIT_HELP)
            ),
            source=source,
        )
    try:
        blocks = [clean_text(b, multiline=False) for b in blocks]
    except Exception as exc:  # marshmallow ValidationError
        message = exc.messages[0] if hasattr(exc, "messages") else str(exc)
        raise UserError(message, source=source) from None
    return replace(
        doc, subject=blocks[0], salutation=blocks[1], paragraphs=blocks[2:-1], closing=blocks[-1]
    )


def printable_text(doc: LetterDocument) -> str:
    """The whole letter as text, in reading order (``letter show``)."""
    out = [doc.sender_name, *doc.sender_lines, *doc.sender_contact, ""]
    if doc.delivery:
        out += [doc.delivery, ""]
    out += [*doc.recipient_lines, "", doc.place_date]
    out += [f"{label}: {value}" for label, value in doc.references]
    out += ["", doc.subject, "", doc.salutation, ""]
    for paragraph in doc.paragraphs:
        out += [paragraph, ""]
    out += [doc.closing, "", "", doc.signature]
    if doc.enclosures:
        conv = i18n.conventions(doc.locale)
        out += ["", f"{conv['enclosures']}:", *(f"- {e}" for e in doc.enclosures)]
    return "\n".join(out) + "\n"
