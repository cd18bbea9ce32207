"""Commands for the case record: evidence, chronology, bundles, envelopes, e-mail.

Thin: each command calls paperwork.record and prints what it wrote. Heavy
libraries are imported inside the use cases, never at load time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from paperwork.cli.support import (
    CONTEXT,
    App,
    Progress,
    TranslatedCommand,
    TranslatedGroup,
    on_option,
    one_line,
    out_file_option,
    pass_app,
    printer_options,
    safe,
    today_default,
)
from paperwork.core.i18n import _


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
@on_option("Date of the document or photo (default: today).")
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
            file=one_line(d["filename"]),
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
@out_file_option("PDF file to write.")
@out_file_option("Also write an editable DOCX.", flag="--docx", dest="docx_out", required=False)
@on_option("Day to judge deadlines from (default: today).")
@pass_app
def chronology(app: App, case_id: int, out: Path, docx_out: Path | None, on: date | None) -> None:
    """Every fact, letter, call, reply and missed deadline of a case, in date order."""
    from paperwork.services.record import write_chronology

    for path in write_chronology(app.pw, case_id, on or today_default(), out, docx_out):
        click.echo(one_line(str(path)))


@click.command(cls=TranslatedCommand, context_settings=CONTEXT)
@click.argument("case_id", type=int)
@out_file_option("PDF bundle to write.")
@out_file_option(
    "Also write the bundle as an editable DOCX.", flag="--docx", dest="docx_out", required=False
)
@on_option("Date of the covering letter (default: today).")
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
@out_file_option("PDF file to write.", required=False)
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


def register(cli: click.Group) -> None:
    """Add the record's commands to the main group."""
    cli.add_command(evidence)
    cli.add_command(chronology)
    cli.add_command(bundle)
    cli.add_command(envelope)
