"""``paperwork calendar``: the deadlines and scheduled letters as an .ics file.

The rules live in schedule.py and the writer in render/ics.py; this module only
picks the cases and writes the file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from paperwork.cli.support import App


def register(cli: click.Group) -> None:
    """Add ``calendar`` to the main command group."""
    cli.add_command(_calendar_command())


def _calendar_command() -> click.Command:
    """Build the command when it is registered: cli.py loads this package while it is
    itself still loading, so its helpers are imported here rather than at import time."""
    from paperwork.cli.support import CONTEXT, ISO_DATE, TranslatedCommand, pass_app

    @click.command("calendar", cls=TranslatedCommand, context_settings=CONTEXT)
    @click.argument("case_id", metavar="[CASE]", type=int, required=False)
    @click.option(
        "--out",
        "out",
        required=True,
        type=click.Path(path_type=Path),
        help="Calendar file to write (FILE.ics); import it again later to update the events.",
    )
    @click.option(
        "--on",
        "on",
        type=ISO_DATE,
        default=None,
        help="Day to compute the schedule for (default: today).",
    )
    @pass_app
    def calendar(app: App, case_id: int | None, out: Path, on: date | None) -> None:
        """Write reply deadlines and scheduled letters as all-day calendar events.

        Without CASE, every case is included. Each event has a reminder the day
        before, and its UID stays the same from one run to the next, so importing
        a newer file updates the events instead of duplicating them. Prints the
        file's path on the last line.
        """
        write_calendar(app, case_id, out, on or date.today())

    return calendar


def write_calendar(app: App, case_id: int | None, out: Path, today: date) -> None:
    """Write the events of one case (or all) to ``out`` and say how many."""
    from paperwork.core.i18n import ngettext
    from paperwork.services.schedule import write_calendar as write

    events, cases = write(app.pw, case_id, out, today)
    click.echo(
        ngettext("{n} event from", "{n} events from", events).format(n=events)
        + " "
        + ngettext("{n} case.", "{n} cases.", cases).format(n=cases)
    )
    click.echo(out)
