"""``paperwork due`` and ``reissue``: what must go out, and drafting it on the day."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from paperwork.cli.support import (
    CONTEXT,
    App,
    Progress,
    command,
    emit_json,
    json_option,
    on_option,
    out_dir_option,
    pass_app,
    safe,
    today_default,
)
from paperwork.core.i18n import _

# ---------------------------------------------------------------------------
# the schedule


@command(context_settings=CONTEXT)
@on_option("Day to look from (default: today).")
@json_option("Machine-readable output (shape in docs/DESIGN.md §5).")
@pass_app
def due(app: App, on: date | None, as_json: bool) -> None:
    """What must go out now or within 7 days."""
    from paperwork.services.schedule import due_rows

    today = on or today_default()
    rows = due_rows(app.pw, today)
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
    from paperwork.services.overview import unsent_letters

    unsent = unsent_letters(app.pw)
    if not unsent:
        return
    click.echo("")
    click.echo(
        _("Drafted, not sent yet (print, send, then record it with 'paperwork letter sent'):")
    )
    for waiting in unsent:
        letter = waiting.letter
        click.echo(
            "  "
            + _("letter {id}  case {case}  {kind}  drafted {day}").format(
                id=letter.id, case=letter.case_id, kind=letter.kind, day=letter.drafted_on
            )
        )


@command(context_settings=CONTEXT)
@on_option("Day to act for (default: today).")
@out_dir_option("Folder for the new letters.")
@pass_app
def reissue(app: App, on: date | None, out_dir: Path) -> None:
    """Draft and render the next letter for every lapsed deadline (safe to run daily from cron)."""
    from paperwork.services.reissue import Reissued, reissue_lapsed

    progress = Progress(_("Drafting letters"))
    lines: list[tuple[str, bool]] = []

    def done(r: Reissued) -> None:
        if r.error:
            line = _("case {case}: could not draft {kind}: {message}").format(
                case=r.case.id, kind=r.kind, message=r.error
            )
        else:
            assert r.letter is not None
            line = _("case {case}: drafted {kind} as letter {id} -> {path}").format(
                case=r.case.id, kind=r.kind, id=r.letter.id, path=r.paths[0]
            )
        progress.step(f"case {r.case.id}")
        if progress.terminal:
            lines.append((line, bool(r.error)))  # after the bar, not through it
        else:
            click.echo(line, err=bool(r.error))  # as each one is done: cron sees how far it got

    try:
        results = reissue_lapsed(
            app.pw, on or today_default(), out_dir, on_total=progress.start, on_result=done
        )
    finally:
        progress.close()
    for line, error in lines:
        click.echo(line, err=error)
    failed = [r for r in results if r.error]
    click.echo(
        _("{drafted} letter(s) drafted, {failed} failed.").format(
            drafted=len(results) - len(failed), failed=len(failed)
        )
    )
    if failed:
        sys.exit(1)


def register(cli: click.Group) -> None:
    """Add this module's commands to the main group."""
    cli.add_command(due)
    cli.add_command(reissue)
