"""``paperwork export``, ``import`` and ``locate``: the data folder as a whole."""

from __future__ import annotations

from pathlib import Path

import click

from paperwork.cli.support import (
    CONTEXT,
    App,
    command,
    out_file_option,
    pass_app,
)
from paperwork.core.i18n import _

# ---------------------------------------------------------------------------
# data


@command(context_settings=CONTEXT)
@out_file_option("File to write (JSON).")
@click.option(
    "--redact",
    is_flag=True,
    help="Mask names, account numbers, addresses, phone numbers and e-mails, to share a case publicly.",
)
@pass_app
def export(app: App, out: Path, redact: bool) -> None:
    """Write the whole store as one JSON document."""
    from paperwork.services.exchange import export_store
    from paperwork.store.files import atomic_write

    atomic_write(out, export_store(app.pw, redact=redact))
    click.echo(out)


@command("import", context_settings=CONTEXT)
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def import_(app: App, source: Path) -> None:
    """Load an export into an empty data folder."""
    from paperwork.services.exchange import import_store

    counts = import_store(app.pw, source)
    click.echo(
        _("Imported {cases} case(s), {letters} letter(s), {events} event(s).").format(**counts)
    )


@command(context_settings=CONTEXT)
@pass_app
def locate(app: App) -> None:
    """Print where the data, config and user templates live."""
    home = app.home
    rows = [
        (_("data folder"), home),
        (_("database"), home / "paperwork.db"),
        (_("config file"), home / "config.toml"),
        (_("user letter kinds"), home / "templates" / "kinds"),
        (_("user letter bodies"), home / "templates" / "bodies"),
        (_("user ladders"), home / "ladders"),
        (_("user regulators"), home / "regulators.toml"),
        (_("kept files"), home / "files"),
        (_("error log"), home / "logs" / "paperwork.log"),
    ]
    width = max(len(label) for label, _path in rows) + 2
    for label, path in rows:
        click.echo((label + ":").ljust(width) + str(path))


def register(cli: click.Group) -> None:
    """Add this module's commands to the main group."""
    cli.add_command(export)
    cli.add_command(import_)
    cli.add_command(locate)
