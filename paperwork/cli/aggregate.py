"""Pressure in aggregate: social posts, campaigns and the outcomes ledger.

Adds ``social``, ``campaign template``, ``campaign render`` and ``stats``
(``log post`` and ``log outcome`` are in log.py, with the rest of ``log``). Like every
command module it imports only click at load time; the domain and the renderers load
inside the commands.
"""

from __future__ import annotations

import signal
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from paperwork.cli.support import (
    CONTEXT,
    TranslatedCommand,
    TranslatedGroup,
    emit_json,
    json_option,
    on_option,
    one_line,
    out_dir_option,
    out_file_option,
    safe,
    today_default,
)
from paperwork.core.i18n import _

PLATFORM_CHOICES = ("x", "bluesky", "mastodon")


# ---------------------------------------------------------------------------
# social


@click.command("social", cls=TranslatedCommand, context_settings=CONTEXT)
@click.argument("case_id", type=int)
@click.option(
    "--platform",
    type=click.Choice(PLATFORM_CHOICES),
    default="x",
    show_default=True,
    help="Where the post goes; its limit and way of counting apply.",
)
@json_option("Machine-readable output: {platform, limit, drafts: [{name, posts}]}.")
@on_option("Day to count the pressure up to (default: today).")
@click.option(
    "--check",
    "check",
    default=None,
    metavar="TEXT",
    help="Check your own post instead: length, private data and tone.",
)
@click.pass_obj
def social(
    app, case_id: int, platform: str, as_json: bool, on: date | None, check: str | None
) -> None:
    """Draft a public post about a case: a short one and a 2-3 post thread.

    The drafts name the company's handle (company.social), keep to the facts,
    and never show your account number, address, phone or e-mail. With --check,
    your own text is checked the same way and refused (exit 2) if it insults,
    shouts, accuses without support in your facts, leaks private data or is
    too long.
    """
    from paperwork.aggregate.social import PLATFORMS, check_post, count, social_drafts
    from paperwork.core.errors import UserError
    from paperwork.services.schedule import case_view

    view = case_view(app.pw, case_id, on or today_default())
    if check is not None:
        refused, warned = check_post(check, view.case, platform)
        for line in warned:
            click.echo(_("paperwork: warning: {problem}").format(problem=line), err=True)
        if refused:
            raise UserError([f"--check: {line}" for line in refused])
        click.echo(
            _("OK: {length}/{limit} as {platform} counts.").format(
                length=count(check, platform),
                limit=PLATFORMS[platform].limit,
                platform=PLATFORMS[platform].title,
            )
        )
        return
    from paperwork.services.pool import pool_page

    drafts = social_drafts(view.case, platform, view.tally, pool_page(app.pw, case_id))
    if as_json:
        emit_json(drafts.as_json())
        return
    title = PLATFORMS[platform].title
    for draft in drafts.drafts:
        click.echo(
            _("== {draft} ({platform}, limit {limit})").format(
                draft=draft.name, platform=title, limit=drafts.limit
            )
        )
        for post in draft.posts:
            click.echo(f"-- {count(post, platform)}/{drafts.limit}")
            click.echo(safe(post))
        click.echo("")
    for note in drafts.notes:
        click.echo(_("note: {note}").format(note=safe(note)), err=True)


# ---------------------------------------------------------------------------
# campaign


@click.group("campaign", cls=TranslatedGroup, context_settings=CONTEXT)
def campaign() -> None:
    """Many people, one company: a letter for every member of a campaign."""


@campaign.command("template")
@out_file_option("CSV file to write.")
def campaign_template(out: Path) -> None:
    """Write an example members file with every personal column.

    Columns are case-file keys, nested keys joined by dots. sender.address holds
    one address line per line of the (quoted) cell; references are separated by
    ";". Any other case-file key (e.g. summary, locale) may be added as a column
    to override the campaign for that member. An empty cell means "not given".
    """
    from paperwork.aggregate.campaign import template_csv
    from paperwork.core.errors import UserError
    from paperwork.store.files import atomic_write

    try:
        atomic_write(out, template_csv())
    except OSError as exc:
        raise UserError(
            _("{path}: cannot write ({reason}).").format(path=out, reason=exc.strerror)
        ) from None
    click.echo(one_line(str(out)))


@campaign.command("render")
@click.argument(
    "campaign_file", metavar="CAMPAIGN", type=click.Path(dir_okay=False, path_type=Path)
)
@click.argument(
    "members_file", metavar="MEMBERS.csv", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option("--kind", required=True, help="Letter kind (see 'paperwork kinds').")
@out_dir_option("Folder for the letters and reports.")
@click.option(
    "--track",
    is_flag=True,
    help="Create a case per member, so 'paperwork due' follows their deadlines.",
)
@on_option("Letter date (default: today).")
@click.option(
    "--jobs",
    type=click.IntRange(1, 256),
    default=None,
    help="Worker processes (default: all cores).",
)
@click.pass_context
def campaign_render(
    ctx: click.Context,
    campaign_file: Path,
    members_file: Path,
    kind: str,
    out_dir: Path,
    track: bool,
    on: date | None,
    jobs: int | None,
) -> None:
    """Render PDF and DOCX letters for every good member row.

    Each row is checked like a case file; refused rows are named on stderr (row
    number, column, problem) and listed in OUT/refused.csv, and the command then
    exits with status 2, but every good row is still rendered. OUT/letters.csv
    lists the letters written. Wording varies per member, so the company gets
    many letters, not one letter many times.

    Interrupted (Ctrl-C, a signal, a full disk), it says what was done and
    letters.csv lists every letter that exists; the same command again finishes
    the rest: letters already written are kept and a member already tracked
    gets no second case. Progress shows as a bar on a terminal, otherwise as a
    line every few seconds.
    """
    import csv

    from paperwork.aggregate.campaign import problem_line, run_campaign

    app = ctx.obj
    progress = _Progress()
    previous = _terminate_as_interrupt()
    try:
        result = run_campaign(
            app.pw,
            campaign_file,
            members_file,
            kind,
            out_dir,
            on or today_default(),
            track=track,
            jobs=jobs,
            on_total=progress.start,
            on_progress=progress.update,
        )
    finally:
        progress.finish()
        signal.signal(signal.SIGTERM, previous)
    if result.refused:
        with open(result.report, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            for row, _name, field_name, message in reader:
                click.echo(
                    _("paperwork: {problem}").format(
                        problem=safe(problem_line(str(members_file), int(row), field_name, message))
                    ),
                    err=True,
                )
    click.echo(
        _("Rendered {count} letter(s) (PDF and DOCX) into {folder}; list in {index}.").format(
            count=result.rendered, folder=one_line(str(out_dir)), index=one_line(str(result.index))
        )
    )
    if result.kept:
        click.echo(
            _("{count} of them were already there from an earlier run and were kept.").format(
                count=result.kept
            )
        )
    if track:
        click.echo(
            _(
                "Created {count} case(s), one per member; 'paperwork due' follows their deadlines."
            ).format(count=result.cases)
        )
    if result.refused:
        click.echo(
            _("Refused {count} row(s); see {report}.").format(
                count=result.refused, report=result.report
            )
        )
        ctx.exit(2)


class _Progress:
    """A bar on a terminal; elsewhere (a log, a pipe) a line every few seconds."""

    EVERY_SECONDS = 10.0

    def __init__(self) -> None:
        self.bar: Any = None
        self.total = self.done = 0
        self.last = 0.0

    def start(self, total: int) -> None:
        import time

        self.total, self.last = total, time.monotonic()
        if sys.stderr.isatty():
            self.bar = click.progressbar(
                length=total, label=_("Rendering letters"), file=sys.stderr, show_pos=True
            )
            self.bar.__enter__()

    def update(self, count: int) -> None:
        import time

        self.done += count
        if self.bar is not None:
            self.bar.update(count)
        elif time.monotonic() - self.last >= self.EVERY_SECONDS:
            self.last = time.monotonic()
            click.echo(
                _("Rendered {done} of {total} row(s)…").format(done=self.done, total=self.total),
                err=True,
            )

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _terminate_as_interrupt() -> Any:
    """A termination signal stops a campaign like Ctrl-C: what was done is recorded."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, stop)


# ---------------------------------------------------------------------------
# stats


@click.command("stats", cls=TranslatedCommand, context_settings=CONTEXT)
@json_option("Machine-readable output: {companies: [...], overall: {...}}.")
@click.pass_obj
def stats(app, as_json: bool) -> None:
    """Pressure applied and outcomes won, per company and overall."""
    from paperwork.services.describe import stats_line
    from paperwork.services.overview import stats

    result = stats(app.pw)
    if as_json:
        emit_json(result.as_json())
        return
    if not result.companies:
        click.echo(_("No cases yet."))
        return
    for numbers in result.companies:
        click.echo(stats_line(numbers, safe(numbers.company)))
    click.echo(stats_line(result.overall, _("All companies")))


def register(cli: click.Group) -> None:
    """Add this area's commands to the main group."""
    cli.add_command(social)
    cli.add_command(campaign)
    cli.add_command(stats)
