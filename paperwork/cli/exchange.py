"""``paperwork export``, ``import`` and ``locate``: the data folder as a whole."""

from __future__ import annotations

from pathlib import Path

import click

from paperwork.cli.support import (
    CONTEXT,
    App,
    command,
    one_line,
    out_file_option,
    pass_app,
)
from paperwork.core.i18n import _

# ---------------------------------------------------------------------------
# data


@command(context_settings=CONTEXT)
@out_file_option(
    "File to write: FILE.zip for the whole store with its kept files (evidence, PDFs of sent letters), FILE.json for the records alone."
)
@click.option(
    "--redact",
    is_flag=True,
    help="Mask names, account numbers, addresses, phone numbers and e-mails, to share a case publicly (JSON only).",
)
@pass_app
def export(app: App, out: Path, redact: bool) -> None:
    """Write the whole store to one file.

    \b
    FILE.zip  an archive: the records (paperwork-export.json), every kept file
              (evidence, the frozen PDFs of sent letters) and a manifest with
              each one's SHA-256 checksum; 'paperwork import' verifies them all.
    FILE.json the records alone, as one JSON document (kept files stay behind).
    The same store always gives the same bytes.
    """
    from paperwork.core.errors import UserError
    from paperwork.services.exchange import (
        export_archive,
        export_store,
        is_archive_name,
    )
    from paperwork.store.files import atomic_write

    if is_archive_name(out):
        if redact:
            raise UserError(
                _(
                    "--redact: kept files cannot be redacted; write the redacted records as JSON (--out FILE.json)."
                )
            )
        data, missing = export_archive(app.pw)
    else:
        data = export_store(app.pw, redact=redact)
        missing = []
        if not redact and app.pw.store.kept_references():
            click.echo(
                _(
                    "note: evidence files and the PDFs of sent letters are not in a .json export; name the file .zip to take them along."
                ),
                err=True,
            )
    if missing:
        click.echo(
            _(
                "note: {count} kept file(s) were already missing from the data folder and are not in the archive: {names}."
            ).format(count=len(missing), names=", ".join(missing[:3])),
            err=True,
        )
    atomic_write(out, data)  # a folder that cannot be written: one line (cli.main)
    click.echo(one_line(str(out)))


@command("import", context_settings=CONTEXT)
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def import_(app: App, source: Path) -> None:
    """Load an export (FILE.zip or FILE.json) into an empty data folder; everything is verified first."""
    from paperwork.services.exchange import import_store

    counts = import_store(app.pw, source)
    click.echo(
        _(
            "Imported {cases} case(s), {letters} letter(s), {events} event(s), {files} kept file(s)."
        ).format(**counts)
    )
    if counts["missing"]:
        click.echo(
            _(
                "note: {missing} kept file(s) the records name are not in this export; bundles will say so, and sent letters will be rendered again from their text."
            ).format(missing=counts["missing"]),
            err=True,
        )


@command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def locate(app: App, as_json: bool) -> None:
    """Print where the data, config, logs and user templates live."""
    from paperwork.cli.support import emit_json
    from paperwork.core.cache import folder as cache_folder
    from paperwork.store.config import locations

    where = locations(app.home)
    cache = cache_folder()  # holiday tables and font metrics; safe to delete
    if as_json:
        emit_json({**where.as_dict(), "cache": str(cache) if cache else None})
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
        (_("cache (safe to delete)"), cache or _("none")),
    ]
    width = max(len(label) for label, _path in rows) + 2
    for label, path in rows:
        click.echo((label + ":").ljust(width) + str(path))


def register(cli: click.Group) -> None:
    """Add this module's commands to the main group."""
    cli.add_command(export)
    cli.add_command(import_)
    cli.add_command(locate)
