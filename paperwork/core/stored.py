"""Records read back from the store, without the schema library.

Everything the store holds passed the marshmallow schemas of schema.py on its way in
(a case file, a form, an import), and was written by their ``dump``. Reading it back
only has to turn JSON into the data classes: no check is repeated, so `letter render`,
`due` and `case show` load neither marshmallow nor its validators (docs/DESIGN.md §3).
A key an older Paperwork did not write takes the data class's default, as the
schema's ``load_default`` would; tests/unit/test_stored.py checks both readings agree.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from paperwork.core import model
from paperwork.core.model import Case, Letter, LetterDocument


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _money(data: dict[str, Any] | None) -> model.Money | None:
    return None if data is None else model.Money(Decimal(data["value"]), data["currency"])


def party(data: dict[str, Any]) -> model.Party:
    """A sender (a case's or the saved profile); its fields are all plain JSON values."""
    return model.Party(**data)


def _typed_fields(cls: type, wanted: str) -> tuple[str, ...]:
    """The fields of a model class whose annotation names ``wanted`` ("date", "Money"):
    read from the class itself, so a field added to the model is converted too."""
    from dataclasses import fields

    return tuple(f.name for f in fields(cls) if wanted in str(f.type))


def _details(data: dict[str, Any] | None) -> model.Details:
    values = dict(data or {})
    for key in _typed_fields(model.Details, "date"):
        values[key] = _day(values.get(key))
    for key in _typed_fields(model.Details, "Money"):
        values[key] = _money(values.get(key))
    return model.Details(**values)


def case(data: dict[str, Any]) -> Case:
    """A case as StoredCaseSchema dumped it."""
    sender = data.get("sender")
    return Case(
        title=data["title"],
        jurisdiction=data["jurisdiction"],
        locale=data["locale"],
        category=data["category"],
        company=model.Company(**data["company"]),
        sender=party(sender) if sender is not None else None,
        summary=data["summary"],
        remedy=data["remedy"],
        facts=[model.Fact(date.fromisoformat(f["on"]), f["text"]) for f in data.get("facts", [])],
        account_number=data.get("account_number", ""),
        references=list(data.get("references", [])),
        amount=_money(data.get("amount")),
        ladder=data.get("ladder", "standard"),
        contacts=[model.Contact(**c) for c in data.get("contacts", [])],
        details=_details(data.get("details")),
        promo_ends=_day(data.get("promo_ends")),
        contract_ends=_day(data.get("contract_ends")),
        third_party_summary=data.get("third_party_summary", ""),
        id=data["id"],
        status=data["status"],
        created_on=_day(data["created_on"]),
    )


def document(data: dict[str, Any]) -> LetterDocument:
    """A letter's neutral document as LetterDocumentSchema dumped it."""
    values = dict(data)
    values["references"] = [(label, value) for label, value in data["references"]]
    return LetterDocument(**values)


def letter(data: dict[str, Any]) -> Letter:
    """A letter as LetterSchema dumped it."""
    return Letter(
        case_id=data["case_id"],
        kind=data["kind"],
        locale=data["locale"],
        drafted_on=date.fromisoformat(data["drafted_on"]),
        window=data["window"],
        document=document(data["document"]),
        status=data["status"],
        sent_on=_day(data.get("sent_on")),
        via=data.get("via", ""),
        tracking=data.get("tracking", ""),
        delivered_on=_day(data.get("delivered_on")),
        pdf_sha256=data.get("pdf_sha256", ""),
        id=data["id"],
    )


def event(data: dict[str, Any]) -> model.Event:
    """An event as EventSchema dumped it."""
    return model.Event(
        case_id=data["case_id"],
        kind=data["kind"],
        on=date.fromisoformat(data["on"]),
        data=dict(data["data"]),
        id=data["id"],
    )
