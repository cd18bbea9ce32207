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
    from paperwork.cli.support import (
        CONTEXT,
        ISO_DATE,
        TranslatedCommand,
        output_file,
        pass_app,
    )

    @click.command("calendar", cls=TranslatedCommand, context_settings=CONTEXT)
    @click.argument("case_id", metavar="[CASE]", type=int, required=False)
    @click.option(
        "--out",
        "out",
        required=True,
        type=click.Path(path_type=Path),
        callback=output_file,
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
    """Collect the events of one case (or all) and write them atomically to ``out``."""
    from paperwork.core.errors import UserError
    from paperwork.core.i18n import _, interface_locale, ngettext
    from paperwork.render.ics import calendar_text, case_events
    from paperwork.services.cases import list_cases
    from paperwork.services.schedule import case_view
    from paperwork.store.files import atomic_write

    if out.suffix.lower() != ".ics":
        raise UserError(_("--out: {path}: give a file name ending in .ics.").format(path=out))
    if out.is_dir():
        raise UserError(
            _("--out: {path}: is a folder; give a file name ending in .ics.").format(path=out)
        )
    pw = app.pw
    cases = [pw.store.case(case_id)] if case_id is not None else list_cases(pw)

    # Kind titles in the interface language, like the words around them.
    locale = interface_locale()

    def title_of(kind_id: str) -> str:
        kind = pw.catalog.kinds.get(kind_id)
        return kind.title(locale) if kind else kind_id.replace("_", " ")

    events = []
    for case in cases:
        events += case_events(case_view(pw, case.id, today), title_of)

    text = calendar_text(events, today, name=_("Paperwork deadlines"))
    try:
        atomic_write(out, text.encode("utf-8"))
    except OSError as exc:
        raise UserError(
            _("--out: {path}: cannot write ({reason}).").format(
                path=out, reason=exc.strerror or exc
            )
        ) from None
    click.echo(
        ngettext("{n} event from", "{n} events from", len(events)).format(n=len(events))
        + " "
        + ngettext("{n} case.", "{n} cases.", len(cases)).format(n=len(cases))
    )
    click.echo(out)
