"""Commands for the case record: evidence, chronology, bundles, envelopes, e-mail.

Thin: each command calls paperwork.record and prints what it wrote. Heavy
libraries are imported inside the use cases, never at load time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from paperwork.cli.support import (
    CONTEXT,
    ISO_DATE,
    App,
    Progress,
    TranslatedCommand,
    TranslatedGroup,
    output_file,
    pass_app,
    printer_options,
    safe,
    today_default,
)
from paperwork.core.i18n import _

OUT_FILE = click.Path(path_type=Path)


def docx_option(help_text: str) -> Callable[[Any], Any]:
    """``--docx FILE``: the same content as an editable DOCX."""
    return click.option(
        "--docx", "docx_out", type=OUT_FILE, callback=output_file, default=None, help=help_text
    )


@click.group(cls=TranslatedGroup, context_settings=CONTEXT)
def evidence() -> None:
    """Keep evidence (PDF, PNG, JPEG) with a case: copied, hashed and titled."""


@evidence.command("add")
@click.argument("case_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--title",
    default=None,
    help="What it is, as the index and the letters' enclosures list it (default: the file name).",
)
@click.option(
    "--on",
    "on",
    type=ISO_DATE,
    default=None,
    help="Date of the document or photo (default: today).",
)
@pass_app
def evidence_add(app: App, case_id: int, file: Path, title: str | None, on: date | None) -> None:
    """Copy FILE into the data folder as evidence on a case; prints the evidence id last."""
    from paperwork.services.record import add_evidence

    event = add_evidence(app.pw, case_id, file, on or today_default(), title=title)
    d = event.data
    click.echo(
        _(
            "Kept {file} as evidence on case {case}: {title} ({media_type}, {pages} page(s), sha256 {sha})."
        ).format(
            file=safe(d["filename"]),
            case=case_id,
            title=safe(d["title"]),
            media_type=d["media_type"],
            pages=d["pages"],
            sha=d["sha256"][:12],
        )
    )
    click.echo(event.id)


@click.command(cls=TranslatedCommand, context_settings=CONTEXT)
@click.argument("case_id", type=int)
@click.option(
    "--out", required=True, type=OUT_FILE, callback=output_file, help="PDF file to write."
)
@docx_option("Also write an editable DOCX.")
@click.option(
    "--on", "on", type=ISO_DATE, default=None, help="Day to judge deadlines from (default: today)."
)
@pass_app
def chronology(app: App, case_id: int, out: Path, docx_out: Path | None, on: date | None) -> None:
    """Every fact, letter, call, reply and missed deadline of a case, in date order."""
    from paperwork.services.record import write_chronology

    for path in write_chronology(app.pw, case_id, on or today_default(), out, docx_out):
        click.echo(path)


@click.command(cls=TranslatedCommand, context_settings=CONTEXT)
@click.argument("case_id", type=int)
@click.option(
    "--out", required=True, type=OUT_FILE, callback=output_file, help="PDF bundle to write."
)
@docx_option("Also write the bundle as an editable DOCX.")
@click.option(
    "--on", "on", type=ISO_DATE, default=None, help="Date of the covering letter (default: today)."
)
@pass_app
def bundle(app: App, case_id: int, out: Path, docx_out: Path | None, on: date | None) -> None:
    """A paginated bundle for an ombudsman or regulator: covering letter, index,
    chronology, every letter sent, then the evidence."""
    from paperwork.services.record import build_bundle

    progress = Progress(_("Building the bundle"))
    try:
        result = build_bundle(
            app.pw,
            case_id,
            out,
            on or today_default(),
            docx_out=docx_out,
            progress=progress.step,
            on_total=progress.start,
        )
    finally:
        progress.close()
    for warning in result.warnings:
        click.echo(_("warning: {text}").format(text=safe(warning)), err=True)
    for item in result.items:
        click.echo(f"  {item.page_range:>9}  {safe(item.title)}")
    click.echo(_("Bundle of {pages} pages:").format(pages=result.pages))
    click.echo(result.path)
    if result.docx_path:
        click.echo(result.docx_path)


@click.command(cls=TranslatedCommand, context_settings=CONTEXT)
@click.argument("letter_id", type=int)
@click.option("--out", type=OUT_FILE, callback=output_file, help="PDF file to write.")
@click.option("--print", "to_printer", is_flag=True, help="Print it through CUPS (lp).")
@printer_options
@pass_app
def envelope(
    app: App, letter_id: int, out: Path | None, to_printer: bool, printer: str | None, copies: int
) -> None:
    """A #10 (US) or DL (A4 countries) envelope with return and recipient addresses."""
    from paperwork.core.errors import UserError

    if out is None and not to_printer:
        raise UserError(_("give --out FILE.pdf, --print, or both."))
    if out is not None:
        from paperwork.services.record import write_envelope

        click.echo(write_envelope(app.pw, letter_id, out))
    if to_printer:
        from paperwork.services.printing import print_envelope

        said = print_envelope(app.pw, letter_id, printer=printer, copies=copies)
        click.echo(said or _("Envelope for letter {id} sent to the printer.").format(id=letter_id))


@click.command("email", cls=TranslatedCommand, context_settings=CONTEXT)
@click.argument("letter_id", type=int)
@click.option(
    "--out",
    required=True,
    type=OUT_FILE,
    callback=output_file,
    help=".eml file to write (any mail program opens it).",
)
@click.option("--send", is_flag=True, help="Also send it with the [smtp] settings of config.toml.")
@pass_app
def letter_email(app: App, letter_id: int, out: Path, send: bool) -> None:
    """The letter as an e-mail with its PDF attached."""
    from paperwork.services.record import write_email

    path = write_email(app.pw, letter_id, out, datetime.now(UTC), send=send)
    if send:
        click.echo(
            _("Sent letter {id}. Record it with: paperwork letter sent {id} --via email").format(
                id=letter_id
            )
        )
    click.echo(path)


def register(cli: click.Group) -> None:
    """Add the record's commands to the main group (and `email` to `letter`)."""
    cli.add_command(evidence)
    cli.add_command(chronology)
    cli.add_command(bundle)
    cli.add_command(envelope)
    letter = cli.commands.get("letter")
    if isinstance(letter, click.Group):
        letter.add_command(letter_email)
