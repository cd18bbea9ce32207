"""The record of calls, replies, outcomes, posts and evidence on a case: log, correct, delete."""

from __future__ import annotations

from datetime import date
from typing import Any

from paperwork.core.errors import UserError
from paperwork.core.i18n import N_, _
from paperwork.core.model import Event
from paperwork.core.record_dates import day_problem
from paperwork.services.session import Paperwork

# What each kind of record is called in the history ("Undid: call on case 3").
EVENT_WORDS = {
    "call": N_("call"),
    "response": N_("reply"),
    "outcome": N_("outcome"),
    "post": N_("public post"),
    "evidence": N_("evidence"),
}


def event_word(kind: str) -> str:
    """A record kind as a word of the interface language."""
    return _(EVENT_WORDS[kind]) if kind in EVENT_WORDS else kind.replace("_", " ")


def check_event_day(
    pw: Paperwork, case_id: int, kind: str, on: date, today: date | None, field: str = "--on"
) -> None:
    """Refuse a record dated after today, and a reply dated before the first letter
    it could answer was sent; one line naming ``field``."""
    earliest, what = None, ""
    if kind == "response":
        sent = sorted(
            (lt for lt in pw.store.letters(case_id) if lt.sent_on),
            key=lambda lt: lt.sent_on or date.min,
        )
        if sent:
            earliest = sent[0].sent_on
            what = _("letter {id} was sent, the first one it can answer").format(id=sent[0].id)
    problem = day_problem(on, today or date.today(), earliest, what)
    if problem:
        raise UserError(_("{field}: {problem}").format(field=field, problem=problem))


def log_event(
    pw: Paperwork,
    case_id: int,
    kind: str,
    on: date,
    data: dict[str, Any],
    today: date | None = None,
) -> Event:
    """Record something that happened on a case; a resolved reply closes the case."""
    check_event_day(pw, case_id, kind, on, today)
    label = _("{what} logged on case {id}").format(what=event_word(kind), id=case_id)
    with pw.store.transaction(label):
        case = pw.store.case(case_id)
        event = Event(case_id=case_id, kind=kind, on=on, data=data)
        pw.store.add_event(event)
        if kind == "response" and data.get("resolved"):
            case.status = "closed"
            pw.store.save_case(case)
        return event


def get_event(pw: Paperwork, event_id: int) -> Event:
    return pw.store.event(event_id)


def edit_event(
    pw: Paperwork, event_id: int, on: date, data: dict[str, Any], today: date | None = None
) -> Event:
    """Correct a record's day and details; a reply's "resolved" closes or reopens the case."""
    event = pw.store.event(event_id)
    check_event_day(pw, event.case_id, event.kind, on, today)
    label = _("{what} corrected on case {id}").format(what=event_word(event.kind), id=event.case_id)
    with pw.store.transaction(label):
        was_resolved = bool(event.data.get("resolved"))
        event.on, event.data = on, {**event.data, **data}
        pw.store.save_event(event)
        if event.kind == "response":
            _follow_resolution(pw, event.case_id, was_resolved, bool(event.data.get("resolved")))
        return event


def delete_event(pw: Paperwork, event_id: int) -> Event:
    """Remove a record from the case (undo brings it back); returns what was removed."""
    event = pw.store.event(event_id)
    label = _("{what} deleted on case {id}").format(what=event_word(event.kind), id=event.case_id)
    with pw.store.transaction(label):
        pw.store.delete_event(event_id)
        if event.kind == "response":
            _follow_resolution(pw, event.case_id, bool(event.data.get("resolved")), False)
        return event


def _follow_resolution(pw: Paperwork, case_id: int, was: bool, now: bool) -> None:
    """A reply that now settles the dispute closes the case; one that no longer does reopens it."""
    if was == now:
        return
    case = pw.store.case(case_id)
    if now and case.status == "open":
        case.status = "closed"
    elif not now and case.status == "closed":
        case.status = "open"
    else:
        return
    pw.store.save_case(case)
