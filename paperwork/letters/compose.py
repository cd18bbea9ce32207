"""Composition: a case and a letter kind become one neutral letter document.

Both renderers (PDF and DOCX) lay out the same :class:`LetterDocument`, so the
two formats never disagree. The editable part of a letter (subject, salutation,
paragraphs, closing) round-trips through a plain-text form for ``letter edit``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from paperwork.core import i18n
from paperwork.core.catalog import (
    THIRD_PARTIES,
    Catalog,
    LetterKind,
    find_authority,
    find_court,
)
from paperwork.core.errors import UserError
from paperwork.core.i18n import N_, _
from paperwork.core.model import Case, Event, Letter, LetterDocument, Party
from paperwork.core.tally import Tally
from paperwork.core.wording import inline, sentence
from paperwork.letters.pool_sentence import POOL_KINDS, insert_at, pool_sentence

# Lines a window shows (docs/DESIGN.md §7): US #10 window 5 lines, DIN 5008 6 lines,
# the French right-hand window 33 mm (6 lines at 12 pt leading).
MAX_RECIPIENT_LINES = {"letter": 5, "a4": 6}
# A reference that carries its own word ("Ticket 88812", "Vorgang 55-1190") is not prefixed again.
_NAMED_REFERENCE = re.compile(r"^(?:[^\W\d_][^\W\d_.]*\.?\s+){1,3}\S*\d", re.UNICODE)
# Letters that are not a complaint: the "complaint first made" is never one of them.
_NOT_COMPLAINTS = (
    "cancellation_notice",
    "intent_to_cancel",
    "retention_request",
    "hardship_request",
    "data_access_request",
)
# Letters whose kinds end a contract: once one is sent, a cancellation is on record.
_CANCELLING_KINDS = ("cancellation_notice",)


@dataclass
class History:
    """What happened on a case before this letter: sent letters and recorded events."""

    letters: list[Letter] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    tally: Tally | None = None


@dataclass
class LetterOptions:
    """What one letter adds to the case: which call it confirms (``call_id``), which
    reply it answers (``reply_id``) and its own request (``ask``)."""

    call_id: int | None = None
    reply_id: int | None = None
    ask: str = ""


def _sent_day(letter: Letter) -> date:
    """The day a sent letter went out (asked only of letters marked sent)."""
    if letter.sent_on is None:
        raise ValueError(f"letter {letter.id} is not marked sent")
    return letter.sent_on


def _events(history: History, kind: str) -> list[Event]:
    return sorted((e for e in history.events if e.kind == kind), key=lambda e: (e.on, e.id or 0))


def chosen_event(history: History, kind: str, event_id: int | None) -> Event | None:
    """The event ``event_id`` if it is a ``kind`` event of the case, else the latest one."""
    found = _events(history, kind)
    if event_id is not None:
        return next((e for e in found if e.id == event_id), None)
    return found[-1] if found else None


def cancellation_on_record(history: History) -> str:
    """A short description of a cancellation the record shows ("" if none)."""
    for letter in history.letters:
        if letter.kind in _CANCELLING_KINDS and letter.sent_on:
            return f"letter {letter.id} ({letter.kind}) sent on {letter.sent_on.isoformat()}"
    for event in history.events:
        if event.kind == "outcome" and event.data.get("kind") == "cancellation":
            return f"outcome 'cancellation' logged on {event.on.isoformat()}"
    return ""


def check_inputs(
    case: Case, kind: LetterKind, history: History, options: LetterOptions
) -> list[str]:
    """One line per input ``kind`` declares that the record or the options lack, or
    per premise of the kind that the record contradicts; each names how to add it."""
    problems: list[str] = []
    cid = case.id if case.id is not None else "CASE"
    details = case.details

    def detail(name: str) -> None:
        if getattr(details, name, None) in (None, ""):
            problems.append(
                _(
                    "details.{name}: a {kind} letter needs it; add it to the case file and run 'paperwork case edit {case} --from FILE'."
                ).format(name=name, kind=kind.id, case=cid)
            )

    for need in kind.inputs:
        if need == "transaction":
            detail("transaction_date")
            detail("transaction_amount")
        elif need in (
            "statement_date",
            "cancel_on",
            "payment_plan",
            "customer_since",
            "report_item",
        ):
            detail(need)
        elif need == "offer":
            if not options.ask and not details.competitor_offer and not case.promo_ends:
                problems.append(
                    _(
                        "--ask: a {kind} letter asks for one offer; give it with --ask TEXT (or put a competitor's offer in details.competitor_offer, or the promotion's end in promo_ends)."
                    ).format(kind=kind.id)
                )
        elif need in ("call", "reply"):
            event_kind = "call" if need == "call" else "response"
            given = options.call_id if need == "call" else options.reply_id
            if chosen_event(history, event_kind, given) is None:
                if given is not None:
                    problems.append(
                        _(
                            "--{option}: event {id} is not a {what} logged on case {case}; 'paperwork case show {case}' lists them."
                        ).format(option=need, id=given, what=event_kind, case=cid)
                    )
                elif need == "call":
                    problems.append(
                        _(
                            "--call: a {kind} letter confirms a logged call and case {case} has none; log it first with 'paperwork log call {case} --on DATE --waited MIN --duration MIN --rep NAME --ref REF'."
                        ).format(kind=kind.id, case=cid)
                    )
                else:
                    problems.append(
                        _(
                            "--reply: a {kind} letter answers a logged reply and case {case} has none; log it first with 'paperwork log response {case} --on DATE --summary TEXT'."
                        ).format(kind=kind.id, case=cid)
                    )
        elif need in ("earlier_letter", "earlier_contact"):
            calls = _events(history, "call") if need == "earlier_contact" else []
            if not history.letters and not calls:
                problems.append(
                    _(
                        "letters: a {kind} letter follows an earlier letter and none of case {case}'s letters is marked sent; record it with 'paperwork letter sent LETTER --on DATE --via post'."
                    ).format(kind=kind.id, case=cid)
                )
    if "not_cancelled" in kind.states:
        cancelled = cancellation_on_record(history)
        if cancelled:
            problems.append(
                _(
                    "case {case} already records a cancellation ({what}); a {kind} letter no longer fits: draft a follow_up instead."
                ).format(case=cid, what=cancelled, kind=kind.id)
            )
    return problems


class Laws(dict):
    """The rules that apply to a letter, by id; a rule that does not apply reads as
    empty, so a template may test ``{% if law.fcba %}`` for any id."""

    def __missing__(self, key: str) -> dict[str, str]:
        return {}


def _contact(case: Case, role: str):
    return next((c for c in case.contacts if c.role == role), None)


def recipient_block(
    case: Case, kind: LetterKind, locale: str, user_regulators: Path | None = None
) -> tuple[list[str], list[str]]:
    """(address lines, problems) for ``kind``'s recipient.

    A contact with the kind's role wins. Company roles fall back to the company's
    address with the role named in the department's place; third parties (card
    issuer, credit bureau, debt collector, regulator, court) need their own postal
    address, else a problem line says what to add. A URL is never an address line.
    """
    role = kind.recipient
    contact = _contact(case, role)
    cid = case.id if case.id is not None else "CASE"
    if contact is not None:
        if role in THIRD_PARTIES:
            return [contact.name, *contact.address], []
        return [case.company.name, contact.name, *contact.address], []
    if role == "regulator":
        body = find_authority(
            case.jurisdiction, kind.regulator_category or case.category, user_regulators
        )
        if body is None:
            return [], [
                _(
                    'no regulator or ombudsman is known for {category} in {jurisdiction}; add one to regulators.toml in your data folder, or a contact with role "regulator" to the case.'
                ).format(category=case.category, jurisdiction=case.jurisdiction)
            ]
        lines = [a for a in body.address if "://" not in a and not a.startswith("www.")]
        if not lines:
            return [], [
                _(
                    'contacts: no postal address is known for {name}; add a contact with role "regulator" (name and address) to case {case}, or file online at {website}.'
                ).format(name=body.name(locale), case=cid, website=body.website or "-")
            ]
        return [body.name(locale), *lines], []
    if role in ("card_issuer", "credit_bureau", "debt_collector", "court"):
        return [], [
            _(
                'contacts: a {kind} letter goes to the {role}; add a contact with role "{role}" (name and postal address) to case {case}.'
            ).format(kind=kind.id, role=role, case=cid)
        ]
    conv = i18n.conventions(locale)
    lines = [case.company.name]
    if role == "complaints" and case.company.department:
        lines.append(case.company.department)
    else:
        named = conv.get("departments", {}).get(role, "")
        if named:
            lines.append(named)
    lines.extend(case.company.address)
    return lines, []


def recipient_lines(
    case: Case, kind: LetterKind, locale: str, user_regulators: Path | None = None
) -> list[str]:
    """The address block for ``kind`` (raises the first problem, if any)."""
    lines, problems = recipient_block(case, kind, locale, user_regulators)
    if problems:
        raise UserError(problems)
    return lines


# where a long name breaks best: after a dash or comma that joins its parts
_ADDRESS_BREAKS = re.compile(r"\s+[–—-]\s+|,\s+")


def wrap_address(lines: list[str], fits: Callable[[str], bool]) -> list[str]:
    """``lines`` with each line too wide for the window broken into lines that fit:
    at a dash or comma between the parts of a name first ("Bundesnetzagentur –
    Schlichtungsstelle Telekommunikation"), else between words. A single word wider
    than the window is left as it is."""
    out: list[str] = []
    for line in lines:
        out.extend(_wrap_line(line, fits))
    return out


def _wrap_line(line: str, fits: Callable[[str], bool]) -> list[str]:
    if fits(line):
        return [line]
    for match in reversed(list(_ADDRESS_BREAKS.finditer(line))):
        head, tail = line[: match.start()].strip(), line[match.end() :].strip()
        if head and tail and fits(head):
            return [head, *_wrap_line(tail, fits)]
    words = line.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head = " ".join(words[:cut])
        if fits(head):
            return [head, *_wrap_line(" ".join(words[cut:]), fits)]
    return [line]


def _date_of(case: Case, path: str) -> date | None:
    obj: Any = case
    for part in path.split("."):
        obj = getattr(obj, part, None)
    return obj if isinstance(obj, date) else None


def applicable_laws(
    case: Case, kind: LetterKind, today: date
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The rules of ``kind`` that apply to this case on ``today`` (by jurisdiction,
    date in force, recipient and category) and notes on those left out because a
    time limit has passed or its starting date is not on record."""
    laws: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    for law in kind.laws:
        if not law.applies(case.jurisdiction, today, kind.recipient, case.category):
            continue
        if law.within_days and law.after:
            start = _date_of(case, law.after)
            if start is None:
                notes.append(
                    _(
                        "{cite} is not cited: it counts {days} days from {field}, which the case does not give; add it to cite the rule."
                    ).format(cite=law.cite, days=law.within_days, field=law.after)
                )
                continue
            elapsed = (today - start).days
            if elapsed > law.within_days:
                notes.append(
                    _(
                        "{cite} is not cited: its {days} days from {field} ({start}) ended before this letter's date ({elapsed} days); the letter relies on the other grounds, and you may want advice on what is still open."
                    ).format(
                        cite=law.cite,
                        days=law.within_days,
                        field=law.after,
                        start=start.isoformat(),
                        elapsed=elapsed,
                    )
                )
                continue
        laws[law.id] = {
            "cite": law.cite,
            "source": law.source,
            "from": law.since.isoformat() if law.since else "",
            "until": law.until.isoformat() if law.until else "",
        }
    return laws, notes


def recipient_summary(case: Case, kind: LetterKind) -> str:
    """The case summary fit for ``kind``'s recipient: the company reads the summary
    written to it; a third party (regulator, card issuer, credit bureau, debt
    collector, court) only the one written about the company, else nothing."""
    if kind.recipient in THIRD_PARTIES:
        return case.third_party_summary
    return case.summary


def reference_text(case: Case) -> str:
    return "; ".join(case.references)


def _is_named(reference: str) -> bool:
    return bool(_NAMED_REFERENCE.match(reference))


def reference_phrase(case: Case, locale: str, third_party: bool) -> str:
    """The case's references for the middle of a sentence, labelled by whose they are:
    "your reference 55-1190" to the company, "Ticket 88812 with Acme" to others."""
    if not case.references:
        return ""
    conv = i18n.conventions(locale)
    ref = reference_text(case)
    named = all(_is_named(r) for r in case.references)
    if third_party:
        pattern = conv.get("ref_third_named" if named else "ref_third", "{ref}")
    else:
        pattern = "{ref}" if named else conv.get("ref_own", "{ref}")
    return pattern.format(ref=ref, company=case.company.name)


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
    options: LetterOptions | None = None,
    laws: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Everything a body template may use, already formatted for ``locale``
    (letter_templates/README.md lists it)."""
    options = options or LetterOptions()

    def day(d: date | None) -> str:
        return i18n.long_date(d, locale) if d else ""

    def money(m) -> str:
        return i18n.money(m, locale) if m else ""

    conv = i18n.conventions(locale)
    channels = conv.get("channels", {})
    body = find_authority(
        case.jurisdiction, kind.regulator_category or case.category, user_regulators
    )
    court = find_court(case.jurisdiction, user_regulators)
    tally = history.tally
    details = case.details
    third_party = kind.recipient in THIRD_PARTIES
    # The names of the record, so that inserted text starting with one keeps its
    # capital ("Vodafone's reply", "Sophie promised"): companies, contacts, people.
    names = tuple(
        n
        for n in (
            case.company.name,
            details.merchant,
            details.card_issuer,
            details.credit_bureau,
            *(contact.name for contact in case.contacts),
            *(str(e.data.get("rep", "")) for e in history.events if e.kind == "call"),
            sender.name,
        )
        if n
    )

    def call_view(e: Event) -> dict[str, Any]:
        return {
            "id": e.id,
            "date": day(e.on),
            "rep": str(e.data.get("rep", "")),
            "ref": str(e.data.get("ref", "")),
            "waited": i18n.duration(int(e.data.get("waited", 0) or 0), locale),
            "duration": i18n.duration(int(e.data.get("duration", 0) or 0), locale),
            "promised": str(e.data.get("promised", "")),
            "notes": str(e.data.get("notes", "")),
            "iso": e.on.isoformat(),
        }

    def reply_view(e: Event) -> dict[str, Any]:
        return {
            "id": e.id,
            "date": day(e.on),
            "summary": str(e.data.get("summary", "")),
            "iso": e.on.isoformat(),
        }

    sent = sorted(
        (lt for lt in history.letters if lt.sent_on), key=lambda x: (x.sent_on, x.id or 0)
    )
    letters = [
        {
            "id": lt.id,
            "kind": lt.kind,
            "title": catalog.get(lt.kind).title(locale) if lt.kind in catalog.kinds else lt.kind,
            "date": day(lt.sent_on),
            "via": channels.get(lt.via, lt.via),
            "tracking": lt.tracking,
            "iso": _sent_day(lt).isoformat(),
            "to_company": (
                catalog.get(lt.kind).recipient not in THIRD_PARTIES
                if lt.kind in catalog.kinds
                else True
            ),
        }
        for lt in sent
    ]
    calls = _events(history, "call")
    replies = _events(history, "response")
    complaints = [
        (x, lt)
        for x, lt in zip(letters, sent, strict=True)
        if x["to_company"] and lt.kind not in _NOT_COMPLAINTS
    ]
    first: dict[str, str] = {}
    first_letter, first_sent = complaints[0] if complaints else (None, None)
    first_call = calls[0] if calls else None
    if first_letter and first_sent and (not first_call or _sent_day(first_sent) <= first_call.on):
        first = {
            "date": first_letter["date"],
            "how": "letter",
            "via": first_letter["via"],
            "tracking": first_letter["tracking"],
            "title": first_letter["title"],
            "reference": reference_text(case),
        }
    elif first_call:
        first = {
            "date": day(first_call.on),
            "how": "call",
            "via": "",
            "tracking": "",
            "title": "",
            "reference": str(first_call.data.get("ref", "")) or reference_text(case),
        }
    timeline = sorted(
        [
            *(
                (lt.sent_on, 0, {"type": "letter", **x})
                for x, lt in zip(letters, sent, strict=True)
            ),
            *((e.on, 1, {"type": "call", **call_view(e)}) for e in calls),
            *((e.on, 2, {"type": "reply", **reply_view(e)}) for e in replies),
        ],
        key=lambda item: (item[0], item[1]),
    )
    call = chosen_event(history, "call", options.call_id)
    reply = chosen_event(history, "response", options.reply_id)
    # A third party reads "you" in a summary written to the company as itself: it
    # sees only the summary written about the company, or none (docs/letters.md).
    told = recipient_summary(case, kind)
    transaction = {
        "date": day(details.transaction_date),
        "amount": money(details.transaction_amount),
        "merchant": details.merchant or case.company.name,
    }
    return {
        "locale": locale,
        "names": names,
        "kind": {"id": kind.id, "title": kind.title(locale), "recipient": kind.recipient},
        "recipient": {"role": kind.recipient, "third_party": third_party},
        "case": {
            "title": case.title,
            "summary": told,
            "company_summary": case.summary,
            "third_party_summary": case.third_party_summary,
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
        "reference": reference_text(case),
        "reference_phrase": reference_phrase(case, locale, third_party),
        "ask": inline(options.ask, locale, names) if options.ask else "",
        "remedy": inline(case.remedy, locale, names),
        "summary": sentence(told) if told else "",
        "promo_ends": day(case.promo_ends),
        "contract_ends": day(case.contract_ends),
        "sender": {
            "name": sender.name,
            "email": sender.email,
            "phone": i18n.phone(sender.phone, locale) if sender.phone else "",
        },
        "facts": [
            {"date": day(f.on), "text": sentence(f.text)}
            for f in sorted(case.facts, key=lambda f: f.on)
        ],
        "amount": money(case.amount),
        "reply_by": day(reply_by),
        "today": day(today),
        "today_iso": today.isoformat(),
        "earlier_letters": letters,
        "first_complaint": first,
        "timeline": [item for _on, _order, item in timeline],
        "calls": [call_view(e) for e in calls],
        "call": call_view(call) if call else {},
        "responses": [reply_view(e) for e in replies],
        "reply": reply_view(reply) if reply else {},
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
            "address": [a for a in body.address if "://" not in a] if body else [],
        },
        "court": {
            "name": i18n_pick(court.names, locale) if court else "",
            "note": i18n_pick(court.notes, locale) if court else "",
        },
        "law": Laws(laws or {}),
        "transaction": transaction,
        "details": {
            "customer_since": day(details.customer_since),
            "cancel_on": day(details.cancel_on),
            "transaction_date": day(details.transaction_date),
            "transaction_amount": money(details.transaction_amount),
            "merchant": details.merchant or case.company.name,
            "statement_date": day(details.statement_date),
            "competitor_offer": details.competitor_offer,
            "payment_plan": details.payment_plan,
            "card_issuer": details.card_issuer,
            "card_last4": details.card_last4,
            "credit_bureau": details.credit_bureau,
            "order_number": details.order_number,
            "report_item": details.report_item,
            "notice_received": day(details.notice_received),
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


_RECIPIENT_WORDS = {
    "regulator": N_("the regulator or ombudsman"),
    "card_issuer": N_("the card issuer"),
    "credit_bureau": N_("the credit bureau"),
    "debt_collector": N_("the debt collector"),
    "court": N_("the court"),
}


def _recipient_word(role: str) -> str:
    return _(_RECIPIENT_WORDS[role]) if role in _RECIPIENT_WORDS else role


def user_notes(
    case: Case, kind: LetterKind, locale: str, user_regulators: Path | None
) -> list[str]:
    """Guidance for the person sending ``kind`` (printed on the command line, never
    in the letter): the regulator's gate, the small-claims route's limits."""
    notes = []
    if kind.recipient in THIRD_PARTIES and not case.third_party_summary:
        notes.append(
            _(
                "third_party_summary: the letter to {recipient} leaves out your summary, which is written to {company}; to have it say in a sentence what happened, add third_party_summary (about {company}, not to it) and run 'paperwork case edit {case} --from FILE'."
            ).format(
                recipient=_recipient_word(kind.recipient),
                company=case.company.name,
                case=case.id if case.id is not None else "CASE",
            )
        )
    if kind.recipient == "regulator" or kind.rung >= 5:
        body = find_authority(
            case.jurisdiction, kind.regulator_category or case.category, user_regulators
        )
        if body is not None and body.gate_text(locale):
            notes.append(f"{body.name(locale)}: {body.gate_text(locale)}")
        if body is not None and body.website and kind.recipient == "regulator":
            notes.append(
                _("{name} also takes complaints online: {website}").format(
                    name=body.name(locale), website=body.website
                )
            )
    if kind.rung >= 5 and kind.recipient != "regulator":
        court = find_court(case.jurisdiction, user_regulators)
        if court is not None and i18n_pick(court.notes, locale):
            notes.append(i18n_pick(court.notes, locale))
    return notes


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
    options: LetterOptions | None = None,
    notes: list[str] | None = None,
    pool: dict[str, Any] | None = None,
    fits: Callable[[str], bool] | None = None,
) -> LetterDocument:
    """Fill ``kind``'s body for ``case`` and wrap it in the locale's letter conventions.

    Notes for the user (rules left out, guidance) are appended to ``notes``.
    ``fits`` tells whether an address line fits the envelope window; a longer line
    (a regulator's full name) is broken into lines that do.
    ``pool``: the case's pool figures as last fetched (docs/DESIGN.md §9 shape plus the day
    they are from); the kinds that carry the count state them in a paragraph of their own.
    """
    history = history or History()
    conv = i18n.conventions(locale)
    laws, law_notes = applicable_laws(case, kind, today)
    if notes is not None:
        notes.extend(law_notes)
        notes.extend(user_notes(case, kind, locale, user_regulators))
    ctx = _context(
        case,
        kind,
        locale,
        sender,
        today,
        reply_by,
        history,
        tactic,
        catalog,
        user_regulators,
        options,
        laws,
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
    if fits is not None:
        recipient = wrap_address(recipient, fits)
    third_party = kind.recipient in THIRD_PARTIES
    country_line = _country_line(sender.country, case.company.country, locale)
    if country_line and not third_party:
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
        label = (
            conv.get("their_account", "{company}").format(company=case.company.name)
            if kind.recipient in THIRD_PARTIES
            else conv["account"]
        )
        references.append((label, case.account_number))
    if case.references:
        label = (
            conv.get("their_reference", "{company}").format(company=case.company.name)
            if kind.recipient in THIRD_PARTIES
            else conv["references"]
        )
        references.append((label, reference_text(case)))
    salutation, closing = opening_and_closing(case, kind, locale)
    enclosures = [
        str(e.data.get("title", ""))
        for e in history.events
        if e.kind == "evidence" and e.data.get("title")
    ]
    return LetterDocument(
        **i18n.sender_fields(sender, locale, today),
        recipient_lines=recipient,
        references=references,
        subject=f"{conv['subject_prefix']}{subject}",
        salutation=salutation,
        paragraphs=paragraphs,
        closing=closing,
        enclosures=enclosures,
        copies=[],
        delivery=conv.get("delivery", {}).get(kind.delivery_for(case.jurisdiction), ""),
        reply_by=i18n.long_date(reply_by, locale),
        reply_by_iso=reply_by.isoformat(),
        page_label=conv["page"],
        continuation=recipient[0],
    )


def opening_and_closing(case: Case, kind: LetterKind, locale: str) -> tuple[str, str]:
    """The salutation and the closing that answers it, for ``kind``'s recipient.

    A contact of the kind's role with its own ``salutation`` (a named chief
    executive) is greeted by it, with the locale's punctuation added where it is
    missing; otherwise a letter to an office with a conventional greeting of its own
    ("Dear Chief Executive", "Madame la Directrice générale, Monsieur le Directeur
    général,") uses it, and every other letter the locale's "Dear Sir or Madam". The
    closing follows: "Yours sincerely" after a name in British letters, and the
    French closing repeats the salutation."""
    conv = i18n.conventions(locale)
    default = conv["salutation"]
    contact = _contact(case, kind.recipient)
    named = contact.salutation.strip() if contact is not None else ""
    if named:
        mark = default[-1] if default[-1:] in (":", ",") else ""
        salutation = named if not mark or named[-1] in ":,;" else named + mark
    else:
        salutation = conv.get("office_salutations", {}).get(kind.recipient, default)
    closing = conv["closing"]
    if named and conv.get("closing_named"):
        closing = conv["closing_named"]
    if conv.get("closing_with"):
        closing = conv["closing_with"].format(salutation=salutation.rstrip(":,;") + ",")
    return salutation, closing


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
    colon = "\u00a0: " if doc.locale.startswith("fr") else ": "  # as the PDF prints it
    out += [f"{label}{colon}{value}" for label, value in doc.references]
    out += ["", doc.subject, "", doc.salutation, ""]
    for paragraph in doc.paragraphs:
        out += [paragraph, ""]
    out += [doc.closing, "", "", doc.signature]
    if doc.enclosures:
        conv = i18n.conventions(doc.locale)
        out += ["", f"{conv['enclosures']}:", *(f"- {e}" for e in doc.enclosures)]
    return "\n".join(out) + "\n"
