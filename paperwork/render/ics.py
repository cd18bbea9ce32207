"""The deadline calendar: an iCalendar (RFC 5545) file written by hand.

One all-day event on each reply deadline of a sent letter and one on each day a
next letter is due (docs/DESIGN.md §6.7), each with a reminder the day before. UIDs are
derived from the case and letter ids only, so importing a newer file into a
calendar app updates the events it already holds instead of duplicating them.

The format is small enough to write directly: CRLF line ends, lines folded at 75
octets (RFC 5545 §3.1) and TEXT values escaped (§3.3.11). Pure: no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from paperwork.core.i18n import _

if TYPE_CHECKING:
    from paperwork.core.model import Case
    from paperwork.core.schedule import CasePlan

__all__ = [
    "CalendarEvent",
    "calendar_text",
    "case_events",
    "escape_text",
    "fold_line",
]

PRODID = "-//Paperwork//Paperwork deadlines 1.0//EN"
UID_DOMAIN = "paperwork"
FOLD_OCTETS = 75  # RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets
# The reminder fires at 09:00 on the day before: an all-day event starts at midnight.
REMINDER_TRIGGER = "-PT15H"


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event; ``cancelled`` marks a deadline a reply has already met."""

    uid: str
    day: date
    summary: str
    description: str
    cancelled: bool = False

    @property
    def sequence(self) -> int:
        # A cancelled event must outrank the earlier, live version when re-imported.
        return 1 if self.cancelled else 0


def case_events(case: Case, plan: CasePlan, title_of: Callable[[str], str]) -> list[CalendarEvent]:
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
                uid=f"deadline-{letter.id}@{UID_DOMAIN}",
                day=clock.deadline.deadline,
                summary=_("Reply due: {title} ({where})").format(
                    title=title_of(letter.kind), where=where
                ),
                description="\n".join(lines),
                cancelled=clock.answered_on is not None or not live,
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
                uid=f"next-{case.id}-{step.kind}@{UID_DOMAIN}",
                day=step.due,
                summary=_("Send: {title} ({where})").format(title=title_of(step.kind), where=where),
                description="\n".join(lines),
            )
        )
    return events


def calendar_text(
    events: Iterable[CalendarEvent], stamp: date, name: str = "Paperwork deadlines"
) -> str:
    """The whole VCALENDAR as text with CRLF line ends.

    ``stamp`` is the day the file is written (``--on``); it fills DTSTAMP, so the
    same data on the same day gives the same bytes.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    dtstamp = f"{stamp:%Y%m%d}T000000Z"
    for event in sorted(events, key=lambda e: (e.day, e.uid)):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            # DTEND is exclusive (RFC 5545 §3.6.1): a one-day event ends the next day.
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
            f"SEQUENCE:{event.sequence}",
            f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
            "TRANSP:TRANSPARENT",  # a deadline does not make the person busy
        ]
        if not event.cancelled:
            reminder = _("Tomorrow: {summary}").format(summary=event.summary)
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"TRIGGER;RELATED=START:{REMINDER_TRIGGER}",
                f"DESCRIPTION:{escape_text(reminder)}",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped.

    Other control characters are not allowed in a content line and are dropped.
    """
    from paperwork.core.controls import scrub

    text = scrub(text.replace("\r\n", "\n").replace("\r", "\n"), keep="\n\t")
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == ";":
            out.append("\\;")
        elif ch == ",":
            out.append("\\,")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F):
            out.append(ch)
    return "".join(out)


def fold_line(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets of UTF-8 (RFC 5545 §3.1).

    Each continuation starts with one space, which counts toward its 75 octets; a
    multi-octet character is never split.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > FOLD_OCTETS:
            pieces.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return "\r\n".join(pieces)
