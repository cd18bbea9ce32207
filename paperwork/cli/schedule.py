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
    """Build the command when it is registered (main.py loads this module the first
    time ``calendar`` is used)."""
    from paperwork.cli.support import (
        CONTEXT,
        TranslatedCommand,
        on_option,
        out_file_option,
        pass_app,
    )

    @click.command("calendar", cls=TranslatedCommand, context_settings=CONTEXT)
    @click.argument("case_id", metavar="[CASE]", type=int, required=False)
    @out_file_option(
        "Calendar file to write (FILE.ics); import it again later to update the events."
    )
    @on_option("Day to compute the schedule for (default: today).")
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
    """Write the events of one case (or all) atomically to ``out``; print the count and path."""
    from paperwork.core.errors import UserError
    from paperwork.core.i18n import _, ngettext
    from paperwork.services.calendar import export_calendar

    if out.suffix.lower() != ".ics":
        raise UserError(_("--out: {path}: give a file name ending in .ics.").format(path=out))
    try:
        done = export_calendar(app.pw, case_id, out, today)
    except OSError as exc:
        raise UserError(
            _("--out: {path}: cannot write ({reason}).").format(
                path=out, reason=exc.strerror or exc
            )
        ) from None
    click.echo(
        ngettext("{n} event from", "{n} events from", done.events).format(n=done.events)
        + " "
        + ngettext("{n} case.", "{n} cases.", done.cases).format(n=done.cases)
    )
    from paperwork.cli.support import one_line

    click.echo(one_line(str(out)))
