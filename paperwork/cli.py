"""The command line: a thin layer over services.py.

Startup is a feature: this module imports only click at load time. The domain,
the renderers and the TUI are imported inside the commands that use them, so
``paperwork --help`` never loads reportlab, docxtpl or textual.

Exit status: 0 done, 2 bad input or usage (one line per problem on stderr),
1 unexpected failure (one line; the traceback goes to the data folder's log).
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .clitools import (
    CONTEXT,
    ISO_DATE,
    PROG,
    App,
    TranslatedGroup,
    checked_texts,
    emit_json,
    one_line,
    pass_app,
    safe,
    today_default,
)
from .i18n import N_, _, interface_locale
from .model import CHANNELS

if TYPE_CHECKING:
    pass


# click's own messages that a person meets, listed so they are extracted and
# translated in Paperwork's catalog (install_language makes click read it).
CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing option"),
    N_("Missing argument"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Aborted!"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("Option {name!r} does not take a value."),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."),
    N_("file"),
    N_("directory"),
    N_("path"),
)


@click.group(cls=TranslatedGroup, context_settings=CONTEXT, invoke_without_command=True)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PAPERWORK_HOME",
    help="Data folder (default: $PAPERWORK_HOME, else your user data folder; see 'paperwork locate').",
)
@click.option(
    "--lang",
    default=None,
    metavar="LANG",
    help="Interface language: en, de, fr or es (default: config file, then LC_ALL/LC_MESSAGES/LANG).",
)
@click.version_option(package_name="paperwork", message="paperwork %(version)s")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, lang: str | None) -> None:
    """Paperwork: documented, scheduled written pressure on a big company.

    Describe a dispute once in a case file, then draft, print and send formal
    letters, record every call and reply, and let Paperwork tell you when the
    next, sharper letter is due.

    \b
    A first case, start to finish:
      paperwork profile set --from me.toml          your name and address, once
      paperwork case new --from case.json           prints the case id, e.g. 1
      paperwork letter draft 1 --kind complaint     prints the letter id, e.g. 1
      paperwork letter edit 1                       adjust the wording in $EDITOR
      paperwork letter render 1 --out letters/      PDF to print, DOCX to edit
      paperwork letter sent 1 --on 2026-11-26 --via certified --tracking 9400...
      paperwork due                                 what must go out this week

    Run 'paperwork' alone for the terminal app. Paperwork is not legal advice:
    its letters state your facts and cite the rules they rely on.
    """
    ctx.obj = App(home)
    _choose_language(ctx.obj, lang)
    if ctx.invoked_subcommand is None:
        _start_tui(ctx.obj, demo=False)


def _choose_language(app: App, lang: str | None) -> None:
    """Install the interface language; letters keep following their case's locale."""
    from .config import Config
    from .errors import UserError
    from .i18n import install_language, interface_language

    configured = Config.load(app.home).lang if app.home.is_dir() else None
    try:
        language = interface_language(lang, configured)
    except ValueError:
        raise UserError(
            _("--lang: '{lang}' is not an interface language; use en, de, fr or es.").format(
                lang=lang
            )
        ) from None
    install_language(language)


def _start_tui(app: App, demo: bool) -> None:
    try:
        from .tui.app import run as run_tui  # type: ignore[import-not-found]
    except ImportError:
        click.echo(
            _("The terminal app is not available in this build; use the commands below."), err=True
        )
        click.echo(click.get_current_context().get_help())
        return
    run_tui(app.home, demo=demo)


# ---------------------------------------------------------------------------
# profile


@cli.group(context_settings=CONTEXT)
def profile() -> None:
    """Your sender details, saved once and used by every case that gives none."""


@profile.command("set")
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(path_type=Path),
    help="JSON or TOML file with name, address, country, email, phone.",
)
@pass_app
def profile_set(app: App, source: Path) -> None:
    """Save the sender profile from FILE (the same fields as a case's "sender")."""
    from .schema import ProfileSchema, load_with, read_structured_file

    party = load_with(ProfileSchema(), read_structured_file(source), str(source))
    app.pw.set_profile(party)
    click.echo(_("Saved the sender profile for {name}.").format(name=safe(party.name)))


@profile.command("show")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def profile_show(app: App, as_json: bool) -> None:
    """Show the saved sender profile."""
    from .schema import ProfileSchema

    party = app.pw.profile()
    if party is None:
        from .errors import UserError

        raise UserError(_("no profile saved yet; run 'paperwork profile set --from FILE'."))
    if as_json:
        emit_json(ProfileSchema().dump(party))
        return
    click.echo(
        "\n".join(safe(x) for x in [party.name, *party.address, party.email, party.phone] if x)
    )


# ---------------------------------------------------------------------------
# cases


@cli.group(context_settings=CONTEXT)
def case() -> None:
    """Create, list, show and edit cases (one dispute with one company each)."""


@case.command("new")
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(path_type=Path),
    help="Case file, .json or .toml (see the README for every field).",
)
@click.option(
    "--on", "on", type=ISO_DATE, default=None, help="Date the case is opened (default: today)."
)
@pass_app
def case_new(app: App, source: Path, on: date | None) -> None:
    """Store a new case from a case file; prints its id on the last line."""
    from .schema import load_case_file

    new_case = load_case_file(source)
    case_id = app.pw.new_case(new_case, on or today_default(), source=str(source))
    click.echo(_("Stored case {id}: {title}").format(id=case_id, title=safe(new_case.title)))
    click.echo(case_id)


@case.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--on",
    "on",
    type=ISO_DATE,
    default=None,
    help="Day to compute next steps for (default: today).",
)
@pass_app
def case_list(app: App, as_json: bool, on: date | None) -> None:
    """List every case with its next step."""
    today = on or today_default()
    rows = []
    for c in app.pw.cases():
        view = app.pw.case_view(c.id, today)
        nxt = view.plan.next
        rows.append(
            {
                "id": c.id,
                "title": c.title,
                "company": c.company.name,
                "status": c.status,
                "next": {"kind": nxt.kind, "due": nxt.due.isoformat()} if nxt else None,
            }
        )
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo(_("No cases yet. Start one with: paperwork case new --from case.json"))
        return
    for row in rows:
        nxt = _("{kind} due {due}").format(**row["next"]) if row["next"] else "-"
        click.echo(
            f"{row['id']:>4}  {row['status']:<8} {safe(row['company'])[:28]:<28} {safe(row['title'])[:40]:<40} {nxt}"
        )


@case.command("show")
@click.argument("case_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (DESIGN §5 shape).")
@click.option(
    "--on", "on", type=ISO_DATE, default=None, help="Day to compute deadlines for (default: today)."
)
@pass_app
def case_show(app: App, case_id: int, as_json: bool, on: date | None) -> None:
    """Show a case: its letters with deadlines, its timeline, the tally and the next step."""

    view_day = on or today_default()
    view = app.pw.case_view(case_id, view_day)
    if as_json:
        emit_json(view.as_json())
        return
    c = view.case
    from .describe import status_label

    click.echo(
        _("Case {id}: {title}  [{status}]").format(
            id=c.id, title=safe(c.title), status=status_label(c.status)
        )
    )
    click.echo(
        "  "
        + _("{company} · {jurisdiction} · {locale} · ladder {ladder}").format(
            company=safe(c.company.name),
            jurisdiction=c.jurisdiction,
            locale=c.locale,
            ladder=c.ladder,
        )
    )
    if c.account_number:
        click.echo("  " + _("Account {number}").format(number=safe(c.account_number)))
    click.echo("")
    from .describe import kind_title, letter_status_label, next_line, tally_line, timeline_rows

    click.echo(_("Letters:"))
    if not view.letters:
        click.echo(
            "  "
            + _("none yet — draft one with: paperwork letter draft {id} --kind complaint").format(
                id=c.id
            )
        )
    clocks = {k.letter.id: k for k in view.plan.clocks}
    for letter in view.letters:
        click.echo(
            "  "
            + _("#{id} {title} ({kind}): {status}").format(
                id=letter.id,
                title=kind_title(app.pw, letter.kind, c.locale),
                kind=letter.kind,
                status=letter_status_label(letter.status),
            )
        )
        clock = clocks.get(letter.id)
        if clock:
            click.echo("      " + clock.deadline.explanation)
    click.echo("")
    click.echo(_("Timeline:"))
    rows = timeline_rows(app.pw, view, view_day)
    width = max((len(row.what) for row in rows), default=0)
    for row in rows:
        click.echo(f"  {row.on}  {row.what:<{width}}  {safe(row.detail)}")
    click.echo("")
    click.echo(_("Pressure so far: {tally}").format(tally=tally_line(view.tally)))
    step = next_line(app.pw, view, view_day)
    click.echo(_("Next: {step}").format(step=step.text))


@case.command("edit")
@click.argument("case_id", type=int)
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(path_type=Path),
    help="File with the fields to replace (all keys optional).",
)
@pass_app
def case_edit(app: App, case_id: int, source: Path) -> None:
    """Replace the fields FILE gives on a case (same schema as a case file)."""
    from .services import load_case_changes

    changes = load_case_changes(source)
    if not changes:
        click.echo(_("{file}: no fields to change.").format(file=source))
        return
    app.pw.edit_case(case_id, changes, source=str(source))
    click.echo(
        _("Updated case {id}: {fields}.").format(id=case_id, fields=", ".join(sorted(changes)))
    )


@case.command("archive")
@click.argument("case_id", type=int)
@pass_app
def case_archive(app: App, case_id: int) -> None:
    """Archive a case: it stays on file but leaves the agenda."""
    app.pw.set_case_status(case_id, "archived")
    click.echo(_("Archived case {id}.").format(id=case_id))


# ---------------------------------------------------------------------------
# kinds and letters


@cli.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (DESIGN §5 shape).")
@pass_app
def kinds(app: App, as_json: bool) -> None:
    """The letter catalogue: every kind, where it applies and its response window."""
    items = app.pw.kinds()
    if as_json:
        emit_json(
            [
                {
                    "id": k.id,
                    "title": k.title("en_US"),
                    "rung": k.rung,
                    "jurisdictions": list(k.jurisdictions),
                    "locales": list(k.locales),
                    "recipient": k.recipient,
                    "windows": {
                        j: {"window": w.window, "source": w.source} for j, w in k.windows.items()
                    },
                }
                for k in items
            ]
        )
        return
    for k in items:
        where = ", ".join(k.jurisdictions).replace("*", _("everywhere"))
        default = k.windows.get("default")
        window = default.window if default else "14d"
        title = k.title(interface_locale())
        click.echo(
            k.id.ljust(24)
            + " "
            + title[:40].ljust(40)
            + " "
            + _("rung {rung}  {where}  reply window {window}").format(
                rung=k.rung, where=where, window=window
            )
        )


@cli.group(context_settings=CONTEXT)
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
@click.option("--on", "on", type=ISO_DATE, default=None, help="Letter date (default: today).")
@click.option(
    "--tactic",
    default="",
    help="For stalling_reply: call_us, account_not_found, policy or send_id.",
)
@pass_app
def letter_draft(
    app: App,
    case_id: int,
    kind: str,
    locale: str | None,
    window: str | None,
    on: date | None,
    tactic: str,
) -> None:
    """Draft a letter of KIND for a case; prints the letter id on the last line."""
    drafted = app.pw.draft_letter(
        case_id, kind, on or today_default(), locale=locale, window=window, tactic=tactic
    )
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
    click.echo(safe(app.pw.letter_text(letter_id)), nl=False)


@letter.command("edit")
@click.argument("letter_id", type=int)
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Take the edited text from FILE instead of opening $EDITOR.",
)
@pass_app
def letter_edit(app: App, letter_id: int, source: Path | None) -> None:
    """Edit a draft's wording in $EDITOR (subject, salutation, paragraphs, closing)."""
    from .compose import EDIT_HELP
    from .errors import UserError

    letter = app.pw.letter(letter_id)
    if letter.status != "draft":
        app.pw.edit_letter(letter_id, "")  # raises the frozen-letter message
    original = app.pw.editable_text(letter_id)
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
    app.pw.edit_letter(letter_id, text)
    click.echo(_("Saved the new text of letter {id}.").format(id=letter_id))


@letter.command("render")
@click.argument("letter_id", type=int)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the files (created if missing).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "docx", "both"]), default="both", show_default=True
)
@pass_app
def letter_render(app: App, letter_id: int, out_dir: Path, fmt: str) -> None:
    """Write the letter as a print-ready PDF and/or an editable DOCX; prints the paths."""
    formats = ("pdf", "docx") if fmt == "both" else (fmt,)
    for path in app.pw.render_letter(letter_id, out_dir, formats):
        click.echo(path)


@letter.command("sent")
@click.argument("letter_id", type=int)
@click.option(
    "--on", "on", type=ISO_DATE, default=None, help="Day it was posted or sent (default: today)."
)
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
    if proof is not None:
        from .record import read_evidence_file

        read_evidence_file(proof)  # a bad file is refused before anything is recorded
    sent, note = app.pw.mark_sent(letter_id, on or today_default(), via, tracking)
    click.echo(
        _("Letter {id} marked sent on {on} by {via}: {note}.").format(
            id=sent.id, on=sent.sent_on, via=via, note=note
        )
    )
    if proof is not None and sent.sent_on is not None:
        from .record import add_evidence

        title = _("Proof of posting, letter {id}").format(id=sent.id)
        add_evidence(app.pw, sent.case_id, proof, sent.sent_on, title=title)
        click.echo(_("Kept {file} as evidence: {title}.").format(file=proof, title=title))


@letter.command("delivered")
@click.argument("letter_id", type=int)
@click.option(
    "--on", "on", type=ISO_DATE, required=True, help="Day it was delivered (from tracking)."
)
@pass_app
def letter_delivered(app: App, letter_id: int, on: date) -> None:
    """Record the actual delivery date; it replaces the deemed receipt."""
    app.pw.mark_delivered(letter_id, on)
    click.echo(_("Letter {id} delivered on {on}.").format(id=letter_id, on=on))


# ---------------------------------------------------------------------------
# the record


@cli.group(context_settings=CONTEXT)
def log() -> None:
    """Record calls, replies, published posts and outcomes on a case."""


@log.command("call")
@click.argument("case_id", type=int)
@click.option("--on", "on", type=ISO_DATE, default=None, help="Day of the call (default: today).")
@click.option("--waited", type=click.IntRange(0, 24 * 60), required=True, help="Minutes on hold.")
@click.option("--duration", type=click.IntRange(0, 24 * 60), required=True, help="Minutes talking.")
@click.option("--rep", default="", help="Representative's name or ID.")
@click.option("--ref", default="", help="Reference number you were given.")
@click.option("--promised", default="", help="What they promised.")
@click.option("--notes", default="", help="Anything else worth keeping.")
@pass_app
def log_call(
    app: App,
    case_id: int,
    on: date | None,
    waited: int,
    duration: int,
    rep: str,
    ref: str,
    promised: str,
    notes: str,
) -> None:
    """Record a phone call (hold time, representative, reference)."""
    data = checked_texts({"rep": rep, "ref": ref, "promised": promised, "notes": notes})
    event = app.pw.log_event(
        case_id, "call", on or today_default(), {"waited": waited, "duration": duration, **data}
    )
    click.echo(_("Logged call on case {id}.").format(id=case_id))
    click.echo(event.id)


@log.command("response")
@click.argument("case_id", type=int)
@click.option(
    "--on", "on", type=ISO_DATE, default=None, help="Day the reply arrived (default: today)."
)
@click.option("--summary", required=True, help="What the company said.")
@click.option("--resolved", is_flag=True, help="The reply settles the dispute: close the case.")
@pass_app
def log_response(app: App, case_id: int, on: date | None, summary: str, resolved: bool) -> None:
    """Record a reply; it stops the clock, and --resolved closes the case."""
    data = checked_texts({"summary": summary})
    event = app.pw.log_event(
        case_id, "response", on or today_default(), {**data, "resolved": resolved}
    )
    message = (
        _("Logged reply on case {id} and closed the case.")
        if resolved
        else _("Logged reply on case {id}.")
    )
    click.echo(message.format(id=case_id))
    click.echo(event.id)


# ---------------------------------------------------------------------------
# the schedule


@cli.command(context_settings=CONTEXT)
@click.option("--on", "on", type=ISO_DATE, default=None, help="Day to look from (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (DESIGN §5 shape).")
@pass_app
def due(app: App, on: date | None, as_json: bool) -> None:
    """What must go out now or within 7 days."""
    today = on or today_default()
    rows = app.pw.due(today)
    if as_json:
        emit_json([r.as_json() for r in rows])
        return
    if not rows:
        click.echo(_("Nothing due by {day}.").format(day=today.fromordinal(today.toordinal() + 7)))
    for r in rows:
        flag = _("OVERDUE") if r.overdue else (_("due now") if r.step.due <= today else "")
        click.echo(
            flag.ljust(9)
            + _("{due}  case {case}  {kind}  {title}  ({reason})").format(
                due=r.step.due,
                case=r.case.id,
                kind=r.step.kind,
                title=safe(r.case.title)[:40],
                reason=r.step.explanation(),
            )
        )
    _echo_unsent(app)


def _echo_unsent(app: App) -> None:
    """Letters drafted (by hand or by reissue) that still wait to be printed and sent."""
    unsent = app.pw.store.unsent_letters()
    if not unsent:
        return
    click.echo("")
    click.echo(
        _("Drafted, not sent yet (print, send, then record it with 'paperwork letter sent'):")
    )
    for letter in unsent:
        click.echo(
            "  "
            + _("letter {id}  case {case}  {kind}  drafted {day}").format(
                id=letter.id, case=letter.case_id, kind=letter.kind, day=letter.drafted_on
            )
        )


@cli.command(context_settings=CONTEXT)
@click.option("--on", "on", type=ISO_DATE, default=None, help="Day to act for (default: today).")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the new letters.",
)
@pass_app
def reissue(app: App, on: date | None, out_dir: Path) -> None:
    """Draft and render the next letter for every lapsed deadline (safe to run daily from cron)."""
    results = app.pw.reissue(on or today_default(), out_dir)
    failed = [r for r in results if r.error]
    for r in results:
        if r.error:
            message = _("case {case}: could not draft {kind}: {message}").format(
                case=r.case.id, kind=r.kind, message=r.error
            )
            click.echo(message, err=True)
        else:
            click.echo(
                _("case {case}: drafted {kind} as letter {id} -> {path}").format(
                    case=r.case.id, kind=r.kind, id=r.letter.id, path=r.paths[0]
                )
            )
    click.echo(
        _("{drafted} letter(s) drafted, {failed} failed.").format(
            drafted=len(results) - len(failed), failed=len(failed)
        )
    )
    if failed:
        sys.exit(1)


# ---------------------------------------------------------------------------
# data


@cli.command(context_settings=CONTEXT)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
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
    from .files import atomic_write

    atomic_write(out, app.pw.export_bytes(redact=redact))
    click.echo(out)


@cli.command("import", context_settings=CONTEXT)
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def import_(app: App, source: Path) -> None:
    """Load an export into an empty data folder."""
    counts = app.pw.import_file(source)
    click.echo(
        _("Imported {cases} case(s), {letters} letter(s), {events} event(s).").format(**counts)
    )


@cli.command(context_settings=CONTEXT)
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


@cli.command(context_settings=CONTEXT)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the sample letter (default: DATA/letters).",
)
@click.option("--no-tui", is_flag=True, help="Only load the sample case and render its letter.")
@pass_app
def demo(app: App, out_dir: Path | None, no_tui: bool) -> None:
    """Load the sample case, draft and render its first letter, then open the app."""
    from .demo import load_demo

    paths = load_demo(app.pw, out_dir or app.home / "letters", today_default())
    for path in paths:
        click.echo(path)
    if not no_tui and sys.stdin.isatty() and sys.stdout.isatty():
        _start_tui(app, demo=True)


@cli.command(context_settings=CONTEXT)
@pass_app
def tui(app: App) -> None:
    """Open the terminal app."""
    _start_tui(app, demo=False)


# ---------------------------------------------------------------------------
# commands from other areas (paperwork/commands/*.py)

from .commands import register_all  # noqa: E402

register_all(cli)


# ---------------------------------------------------------------------------
# entry point


def _option_value(args: list[str], name: str, kind: type) -> Any:
    """The value of a global option in raw arguments (``--x V`` or ``--x=V``), if given."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name and index + 1 < len(args):
            return kind(args[index + 1])
        if arg.startswith(name + "="):
            return kind(arg.split("=", 1)[1])
    return None


def _log_crash(home: Path | None) -> Path | None:
    import traceback

    try:
        from .config import default_home
        from .files import PRIVATE_FILE, ensure_private_dir

        folder = ensure_private_dir((home or default_home()) / "logs")
        path = folder / "paperwork.log"
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"--- {date.today().isoformat()} paperwork {' '.join(sys.argv[1:])}\n")
            handle.write(traceback.format_exc())
        path.chmod(PRIVATE_FILE)
        return path
    except Exception:
        return None


def main(argv: list[str] | None = None) -> None:
    """Console entry point: runs the CLI and turns errors into exit statuses."""
    from .errors import UserError

    app_home: Path | None = None
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        # Before click parses anything, so that even `--help` speaks the language.
        _choose_language(
            App(_option_value(args, "--home", Path)), _option_value(args, "--lang", str)
        )
        ctx = cli.make_context("paperwork", args)
        app_home = ctx.params.get("home")
        with ctx:
            cli.invoke(ctx)
    except UserError as exc:
        for line in exc.problems:
            click.echo(PROG + one_line(line), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.message = one_line(exc.message)  # click quotes the value typed, control characters too
        exc.show()
        sys.exit(exc.exit_code)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and not _disk_full(exc):
            _crash(app_home, exc)
        elif _disk_full(exc):
            click.echo(
                PROG + _("the disk is full; nothing was changed. Free some space and try again."),
                err=True,
            )
        else:
            click.echo(
                PROG
                + _(
                    "{path}: the database cannot be read ({error}); it was left as it is. Restore a backup or move it aside to start a new one."
                ).format(path=_database_path(app_home), error=exc),
                err=True,
            )
        sys.exit(2)
    except OSError as exc:
        if not _disk_full(exc):
            _crash(app_home, exc)
        click.echo(
            PROG + _("the disk is full; nothing was changed. Free some space and try again."),
            err=True,
        )
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo(_("Interrupted."), err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: one line, traceback to the log
        _crash(app_home, exc)
    sys.exit(0)


def _database_path(home: Path | None) -> Path:
    from .config import default_home
    from .store import DB_NAME

    return (home or default_home()) / DB_NAME


def _disk_full(exc: BaseException) -> bool:
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return True
    return isinstance(exc, sqlite3.DatabaseError) and "disk is full" in str(exc)


def _crash(home: Path | None, exc: BaseException) -> NoReturn:
    """An unexpected failure: one line for the person, the traceback to the log, exit 1."""
    where = _log_crash(home)
    hint = _("; details in {path}").format(path=where) if where else ""
    click.echo(
        PROG
        + one_line(_("unexpected error: {error}").format(error=f"{type(exc).__name__}: {exc}"))
        + hint,
        err=True,
    )
    sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
