"""``paperwork export``, ``import`` and ``locate``: the data folder as a whole."""

from __future__ import annotations

from pathlib import Path

import click

from paperwork.cli.support import (
    CONTEXT,
    App,
    command,
    output_file,
    pass_app,
)
from paperwork.core.i18n import _

# ---------------------------------------------------------------------------
# data


@command(context_settings=CONTEXT)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    callback=output_file,
    help="File to write (JSON).",
)
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
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def locate(app: App, as_json: bool) -> None:
    """Print where the data, config, logs and user templates live."""
    from paperwork.cli.support import emit_json
    from paperwork.store.config import locations

    where = locations(app.home)
    if as_json:
        emit_json(where.as_dict())
        return
    rows = [
        (_("data folder"), where.data),
        (_("database"), where.database),
        (_("config file"), where.config),
        (_("user letter kinds"), where.templates / "kinds"),
        (_("user letter bodies"), where.templates / "bodies"),
        (_("user ladders"), where.ladders),
        (_("user regulators"), where.regulators),
        (_("kept files"), where.files),
        (_("error log"), where.log_file),
    ]
    width = max(len(label) for label, _path in rows) + 2
    for label, path in rows:
        click.echo((label + ":").ljust(width) + str(path))


def register(cli: click.Group) -> None:
    """Add this module's commands to the main group."""
    cli.add_command(export)
    cli.add_command(import_)
    cli.add_command(locate)
