"""``paperwork letter``: draft, show, edit, render and record the sending of a letter."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import click

from paperwork.cli.support import (
    CONTEXT,
    App,
    from_option,
    group,
    on_option,
    one_line,
    out_dir_option,
    out_file_option,
    pass_app,
    printer_options,
    safe,
    today_default,
)
from paperwork.core.i18n import _
from paperwork.core.model import CHANNELS


@group(context_settings=CONTEXT)
def letter() -> None:
    """Draft, edit, render and send letters."""


@letter.command("draft")
@click.argument("case_id", type=int)
@click.option("--kind", required=True, help="Letter kind (see 'paperwork kinds').")
@click.option(
    "--locale", default=None, help="Letter language and layout (default: the case's locale)."
)
@click.option(
    "--window", default=None, help="Response window overriding the kind's: 14d, 10bd, 8w or 1m."
)
@on_option("Letter date (default: today).")
@click.option(
    "--tactic",
    default="",
    help="For stalling_reply: call_us, account_not_found, policy or send_id.",
)
@click.option(
    "--call",
    "call_id",
    type=int,
    default=None,
    help="For confirm_call: the logged call it confirms (default: the latest).",
)
@click.option(
    "--reply",
    "reply_id",
    type=int,
    default=None,
    help="For stalling_reply: the logged reply it answers (default: the latest).",
)
@click.option("--ask", default="", help="This letter's own request, in a few words.")
@pass_app
def letter_draft(
    app: App,
    case_id: int,
    kind: str,
    locale: str | None,
    window: str | None,
    on: date | None,
    tactic: str,
    call_id: int | None,
    reply_id: int | None,
    ask: str,
) -> None:
    """Draft a letter of KIND for a case; prints the letter id on the last line."""
    from paperwork.letters.compose import LetterOptions
    from paperwork.services.letters import draft_letter

    notes: list[str] = []
    drafted = draft_letter(
        app.pw,
        case_id,
        kind,
        on or today_default(),
        locale=locale,
        window=window,
        tactic=tactic,
        options=LetterOptions(call_id=call_id, reply_id=reply_id, ask=ask),
        notes=notes,
    )
    for note in notes:
        click.echo(_("note: {note}").format(note=safe(note)), err=True)
    click.echo(
        _("Drafted letter {id} ({kind}, {locale}); it asks for a reply by {date}.").format(
            id=drafted.id, kind=kind, locale=drafted.locale, date=drafted.document.reply_by_iso
        )
    )
    click.echo(drafted.id)


@letter.command("show")
@click.argument("letter_id", type=int)
@pass_app
def letter_show(app: App, letter_id: int) -> None:
    """Print the letter's text as it will be printed."""
    from paperwork.services.letters import letter_text

    click.echo(safe(letter_text(app.pw, letter_id)), nl=False)


@letter.command("edit")
@click.argument("letter_id", type=int)
@from_option(
    "Take the edited text from FILE instead of opening $EDITOR.", required=False, dir_okay=False
)
@pass_app
def letter_edit(app: App, letter_id: int, source: Path | None) -> None:
    """Edit a draft's wording in $EDITOR (subject, salutation, paragraphs, closing)."""
    from paperwork.core.errors import UserError
    from paperwork.letters.compose import EDIT_HELP
    from paperwork.services.letters import edit_letter, get_letter, letter_editable_text

    letter = get_letter(app.pw, letter_id)
    if letter.status != "draft":
        edit_letter(app.pw, letter_id, "")  # raises the frozen-letter message
    original = letter_editable_text(app.pw, letter_id)
    if source is not None:
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(
                _("cannot be read ({reason}).").format(reason=exc), source=str(source)
            ) from None
    else:
        header = "# " + _(EDIT_HELP) + "\n# " + _("Lines starting with # are ignored.") + "\n\n"
        edited = click.edit(header + original, extension=".txt", require_save=True)
        if edited is None:
            click.echo(_("No change."))
            return
        text = edited
    edit_letter(app.pw, letter_id, text, expected=original)
    click.echo(_("Saved the new text of letter {id}.").format(id=letter_id))


@letter.command("render")
@click.argument("letter_id", type=int)
@out_dir_option("Folder for the files (created if missing).")
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "docx", "both"]), default="both", show_default=True
)
@pass_app
def letter_render(app: App, letter_id: int, out_dir: Path, fmt: str) -> None:
    """Write the letter as a print-ready PDF and/or an editable DOCX; prints the paths."""
    from paperwork.services.letters import write_letter_files

    formats = ("pdf", "docx") if fmt == "both" else (fmt,)
    paths = write_letter_files(app.pw, letter_id, out_dir, formats)
    for path in paths:
        click.echo(one_line(str(path)))
    # The checker's findings are warnings here: the files are written all the same.
    # The page-by-page reading (a closing alone on a page) is left to 'letter check',
    # so rendering does not load a PDF reader.
    from paperwork.services.check import letter_findings

    for finding in letter_findings(app.pw, letter_id, read_pages=False):
        click.echo(_("warning: {finding}").format(finding=one_line(finding)), err=True)


@letter.command("check")
@click.argument("letter_id", type=int)
@pass_app
def letter_check(app: App, letter_id: int) -> None:
    """Read a letter as a careful recipient would: one line per problem, exit 2 if any.

    Looks for a web address or a missing postcode in the address block, more
    address lines than the envelope window shows, doubled words, sentences glued
    together, a closing alone on a page, a reply-by date other than the deadline
    rules give, a third party's letter calling the company's reference "your
    reference", and notes meant for you left in the letter. 'letter render' runs
    the same checks and prints them as warnings.

    Example: paperwork letter check 3 prints lines such as
    'letter 3: doubled word: "the the".' and exits with status 2; a letter with
    nothing to report exits with 0.
    """
    from paperwork.services.check import letter_findings

    findings = letter_findings(app.pw, letter_id)
    for finding in findings:
        click.echo(one_line(finding))
    if findings:
        click.get_current_context().exit(2)
    click.echo(_("letter {id}: nothing found.").format(id=letter_id))


@letter.command("print")
@click.argument("letter_id", type=int)
@printer_options
@pass_app
def letter_print(app: App, letter_id: int, printer: str | None, copies: int) -> None:
    """Print the letter through CUPS (lp) on its layout's paper, two-sided if print_duplex is set."""
    from paperwork.services.printing import print_letter

    said = print_letter(app.pw, letter_id, printer=printer, copies=copies)
    click.echo(said or _("Letter {id} sent to the printer.").format(id=letter_id))


@letter.command("sent")
@click.argument("letter_id", type=int)
@on_option("Day it was posted or sent (default: today).")
@click.option("--via", type=click.Choice(CHANNELS), required=True, help="How it went out.")
@click.option("--tracking", default="", help="Tracking or certificate-of-posting number.")
@click.option(
    "--proof",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Receipt or certificate of posting (PDF, PNG, JPEG), kept as evidence.",
)
@pass_app
def letter_sent(
    app: App, letter_id: int, on: date | None, via: str, tracking: str, proof: Path | None
) -> None:
    """Mark a letter as sent; its text and PDF are frozen from now on."""
    from paperwork.services.letters import mark_sent

    if proof is not None:
        from paperwork.cli.collector import for_long_runs
        from paperwork.services.record import read_evidence_file

        for_long_runs()  # a proof of postage may be a large PDF, read page by page
        read_evidence_file(proof)  # a bad file is refused before anything is recorded
    sent, note = mark_sent(
        app.pw, letter_id, on or today_default(), via, tracking, today=today_default()
    )
    click.echo(
        _("Letter {id} marked sent on {on} by {via}: {note}.").format(
            id=sent.id, on=sent.sent_on, via=via, note=note
        )
    )
    if proof is not None and sent.sent_on is not None:
        from paperwork.services.record import add_evidence

        title = _("Proof of posting, letter {id}").format(id=sent.id)
        add_evidence(app.pw, sent.case_id, proof, sent.sent_on, title=title)
        click.echo(_("Kept {file} as evidence: {title}.").format(file=proof, title=title))


@letter.command("delivered")
@click.argument("letter_id", type=int)
@on_option("Day it was delivered (from tracking).", required=True)
@pass_app
def letter_delivered(app: App, letter_id: int, on: date) -> None:
    """Record the actual delivery date; it replaces the deemed receipt."""
    from paperwork.services.letters import mark_delivered

    mark_delivered(app.pw, letter_id, on, today=today_default())
    click.echo(_("Letter {id} delivered on {on}.").format(id=letter_id, on=on))


# ---------------------------------------------------------------------------
# the record


@letter.command("email", context_settings=CONTEXT)
@click.argument("letter_id", type=int)
@out_file_option(".eml file to write (any mail program opens it).")
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
    click.echo(one_line(str(path)))


def register(cli: click.Group) -> None:
    """Add this module's commands to the main group."""
    cli.add_command(letter)
