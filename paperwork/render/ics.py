"""The deadline calendar: an iCalendar (RFC 5545) file, written with the ``icalendar`` package.

One all-day event on each reply deadline of a sent letter and one on each day a
next letter is due (docs/DESIGN.md §6.7), each with a reminder the day before. UIDs are
made of the case or letter id and the data folder's own calendar id, so importing
a newer file into a calendar app updates the events it already holds, and two data
folders never overwrite each other's events.

:func:`reconcile` compares the events with those exported before (a record kept in
the store): an event that changed gets a higher SEQUENCE, and one that no longer
applies (a reply stopped the clock) is exported as CANCELLED until its day has
passed, so a copy already imported loses its alarm. Pure: no clock, no I/O;
``icalendar`` is imported only when a file is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from paperwork.core.i18n import _

if TYPE_CHECKING:
    from paperwork.core.model import Case
    from paperwork.core.schedule import CasePlan

__all__ = [
    "CalendarEvent",
    "calendar_text",
    "case_events",
    "reconcile",
]

PRODID = "-//Paperwork//Paperwork deadlines 1.0//EN"
UID_DOMAIN = "paperwork"
# The reminder fires at 09:00 on the day before: an all-day event starts at midnight.
REMINDER_TRIGGER = timedelta(hours=-15)


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event; ``cancelled`` marks one that no longer applies."""

    uid: str
    day: date
    summary: str
    description: str
    cancelled: bool = False
    sequence: int = 0
    case_id: int | None = None

    def fingerprint(self) -> str:
        """What a calendar app shows of the event: a change means a new SEQUENCE."""
        text = "\x1f".join(
            [self.day.isoformat(), self.summary, self.description, str(self.cancelled)]
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def event_uid(what: str, folder_id: str) -> str:
    """``deadline-12.3f9c0a1b2c4d@paperwork``: unique to this data folder's calendar."""
    return f"{what}.{folder_id}@{UID_DOMAIN}" if folder_id else f"{what}@{UID_DOMAIN}"


def case_events(
    case: Case, plan: CasePlan, title_of: Callable[[str], str], folder_id: str = ""
) -> list[CalendarEvent]:
    """The events of one case: its letters' reply deadlines and the days its next letters are due.

    ``title_of`` turns a letter kind id into words ("Follow-up on unanswered complaint").
    A new case with nothing sent and no promotion ending has no event.
    """
    where = _("case {id}: {company}").format(id=case.id, company=case.company.name)
    heading = _("Case {id}: {title}").format(id=case.id, title=case.title)
    # A closed or archived case waits for nothing: its open deadlines are withdrawn.
    live = case.status == "open"
    events: list[CalendarEvent] = []
    for clock in plan.clocks:
        letter = clock.letter
        lines = [heading, clock.deadline.explanation + "."]
        if clock.answered_on is not None:
            lines.append(
                _("Answered on {date}: the clock has stopped.").format(
                    date=clock.answered_on.isoformat()
                )
            )
        elif not live:
            lines.append(_("The case is {status}.").format(status=_(case.status)))
        else:
            lines.append(
                _(
                    "If no reply has arrived by the end of this day, the next letter is due on {date}."
                ).format(date=clock.deadline.next_due.isoformat())
            )
        events.append(
            CalendarEvent(
                uid=event_uid(f"deadline-{letter.id}", folder_id),
                day=clock.deadline.deadline,
                summary=_("Reply due: {title} ({where})").format(
                    title=title_of(letter.kind), where=where
                ),
                description="\n".join(lines),
                cancelled=clock.answered_on is not None or not live,
                case_id=case.id,
            )
        )
    # Every scheduled step: the ladder's next rung and a retention request can both be
    # due. (A new case's first letter is the person's to start; it is not among them.)
    for step in plan.steps:
        lines = [
            heading,
            _("Why: {reason}.").format(reason=step.explanation()),
            _(
                "Draft it with: paperwork reissue --out DIR (or paperwork letter draft {id} --kind {kind})."
            ).format(id=case.id, kind=step.kind),
        ]
        events.append(
            CalendarEvent(
                uid=event_uid(f"next-{case.id}-{step.kind}", folder_id),
                day=step.due,
                summary=_("Send: {title} ({where})").format(title=title_of(step.kind), where=where),
                description="\n".join(lines),
                case_id=case.id,
            )
        )
    return events


def reconcile(
    current: list[CalendarEvent],
    previous: dict[str, dict[str, Any]],
    today: date,
    cases: set[int] | None = None,
) -> tuple[list[CalendarEvent], dict[str, dict[str, Any]]]:
    """The events to export, with their SEQUENCE, and the record to keep for next time.

    ``previous`` is the record of the last exports (UID -> what was exported);
    ``cases`` limits the export to some cases (None: all), leaving the record of the
    others as it was. An event exported before and missing now is exported as
    CANCELLED (SEQUENCE + 1) until its day has passed, then forgotten.
    """
    record = {
        uid: entry
        for uid, entry in previous.items()
        if cases is not None and entry.get("case") not in cases
    }
    out: list[CalendarEvent] = []
    for event in current:
        before = previous.get(event.uid)
        if before is None:
            # A cancelled event seen for the first time still outranks any live copy.
            sequence = 1 if event.cancelled else 0
        elif before.get("fingerprint") == event.fingerprint():
            sequence = int(before.get("sequence", 0))
        else:
            sequence = int(before.get("sequence", 0)) + 1
        event = replace(event, sequence=sequence)
        out.append(event)
        record[event.uid] = _entry(event)
    for uid, before in previous.items():
        if uid in record or (cases is not None and before.get("case") not in cases):
            continue
        try:
            day = date.fromisoformat(str(before["day"]))
        except (KeyError, ValueError):
            continue  # a record this version cannot read: forget it
        if day < today:
            continue  # its day has passed: no calendar needs telling any more
        withdrawn = CalendarEvent(
            uid=uid,
            day=day,
            summary=str(before.get("summary", "")),
            description=str(before.get("description", "")),
            cancelled=True,
            sequence=int(before.get("sequence", 0)),
            case_id=before.get("case"),
        )
        if not before.get("cancelled"):
            withdrawn = replace(
                withdrawn,
                description=withdrawn.description
                + "\n"
                + _(
                    "No longer due: the case changed (a reply, a letter sent, or the case closed)."
                ),
                sequence=withdrawn.sequence + 1,
            )
        out.append(withdrawn)
        record[uid] = _entry(withdrawn)
    return out, dict(sorted(record.items()))


def _entry(event: CalendarEvent) -> dict[str, Any]:
    return {
        "case": event.case_id,
        "day": event.day.isoformat(),
        "summary": event.summary,
        "description": event.description,
        "cancelled": event.cancelled,
        "sequence": event.sequence,
        "fingerprint": event.fingerprint(),
    }


def calendar_text(
    events: Iterable[CalendarEvent], stamp: date, name: str = "Paperwork deadlines"
) -> str:
    """The whole VCALENDAR as text (CRLF line ends, lines folded at 75 octets).

    ``stamp`` is the day the file is written (``--on``); it fills DTSTAMP, so the
    same data on the same day gives the same bytes.
    """
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", ics_text(name))
    dtstamp = datetime(stamp.year, stamp.month, stamp.day, tzinfo=UTC)
    for item in sorted(events, key=lambda e: (e.day, e.uid)):
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", dtstamp)
        event.add("dtstart", item.day)  # a date: DTSTART;VALUE=DATE, an all-day event
        # DTEND is exclusive (RFC 5545 §3.6.1): a one-day event ends the next day.
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", ics_text(item.summary))
        event.add("description", ics_text(item.description))
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT")  # a deadline does not make the person busy
        if not item.cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", REMINDER_TRIGGER)
            alarm.add(
                "description", ics_text(_("Tomorrow: {summary}").format(summary=item.summary))
            )
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def ics_text(text: str) -> str:
    """Text for a TEXT value: line breaks as newlines, other control characters dropped
    (RFC 5545 allows none in a content line); icalendar does the escaping."""
    from paperwork.core.controls import scrub

    return scrub(text.replace("\r\n", "\n").replace("\r", "\n"), keep="\n\t")
