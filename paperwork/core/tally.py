"""The pressure tally: what the person has already put up with, in numbers.

Pure: it reads a case's letters and events and the day of reckoning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from paperwork.core.model import Case, Event, Letter


@dataclass(frozen=True)
class Tally:
    """Calls, time on hold, letters sent and missed deadlines on one case."""

    calls: int
    hold_minutes: int
    talk_minutes: int
    letters_sent: int
    first_contact: date | None
    days_since_first_contact: int
    missed_deadlines: int


def pressure_tally(
    case: Case, letters: list[Letter], events: list[Event], today: date, missed_deadlines: int = 0
) -> Tally:
    """Count the pressure applied on ``case`` up to ``today``."""
    calls = [e for e in events if e.kind == "call" and e.on <= today]
    sent = [letter for letter in letters if letter.sent_on and letter.sent_on <= today]
    firsts = (
        [f.on for f in case.facts]
        + [e.on for e in calls]
        + [letter.sent_on for letter in sent if letter.sent_on]
    )
    first = min(firsts) if firsts else None
    return Tally(
        calls=len(calls),
        hold_minutes=sum(int(e.data.get("waited", 0)) for e in calls),
        talk_minutes=sum(int(e.data.get("duration", 0)) for e in calls),
        letters_sent=len(sent),
        first_contact=first,
        days_since_first_contact=(today - first).days if first else 0,
        missed_deadlines=missed_deadlines,
    )
