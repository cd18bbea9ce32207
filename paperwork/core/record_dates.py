"""When a recorded thing can have happened: never after today, never before what it follows.

A call, a reply, a sending or a delivery is a fact about the past; a date after
today is a typing slip that would start or stop a legal deadline on the wrong day.
The command line and the app ask the same question here, and name their own field.
"""

from __future__ import annotations

from datetime import date

from paperwork.core.i18n import _


def day_problem(
    on: date, today: date, earliest: date | None = None, earliest_is: str = ""
) -> str | None:
    """Why ``on`` cannot be the day of a record (None: it can).

    ``earliest`` is the first day it may be, and ``earliest_is`` says what happened
    then ("letter 3 was sent")."""
    if on > today:
        return _("{day} is after today ({today}): record it once it has happened.").format(
            day=on.isoformat(), today=today.isoformat()
        )
    if earliest is not None and on < earliest:
        return _("{day} is before {what} ({earliest}).").format(
            day=on.isoformat(), what=earliest_is, earliest=earliest.isoformat()
        )
    return None
