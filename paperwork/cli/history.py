"""``paperwork undo``: revert the last change (any record, any letter state)."""

from __future__ import annotations

import click

from paperwork.cli.support import CONTEXT, App, command, pass_app
from paperwork.core.i18n import _


@command("undo", context_settings=CONTEXT)
@pass_app
def undo(app: App) -> None:
    """Revert the last change (any record, any letter state)."""
    from paperwork.services.history import undo as undo_last

    label = undo_last(app.pw)
    if label is None:
        click.echo(_("Nothing to undo."))
        return
    click.echo(_("Undone: {change}.").format(change=label))


def register(cli: click.Group) -> None:
    """Add this module's commands to the main group."""
    cli.add_command(undo)
