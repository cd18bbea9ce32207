"""Pressure in aggregate: social posts, campaigns and the outcomes ledger.

Adds ``social``, ``log post``, ``log outcome``, ``campaign template``,
``campaign render`` and ``stats``. Like cli.py, it imports only click at load
time; the domain and the renderers load inside the commands.
"""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from paperwork.cli.support import (
    CONTEXT,
    ISO_DATE,
    TranslatedCommand,
    TranslatedGroup,
    checked_texts,
    emit_json,
    safe,
    today_default,
)
from paperwork.core.i18n import _

PLATFORM_CHOICES = ("x", "bluesky", "mastodon")
POST_PLATFORMS = ("x", "bluesky", "mastodon", "other")
OUTCOME_CHOICES = ("refund", "credit", "waiver", "rate_extension", "cancellation")


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
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Machine-readable output: {platform, limit, drafts: [{name, posts}]}.",
)
@click.option(
    "--on",
    "on",
    type=ISO_DATE,
    default=None,
    help="Day to count the pressure up to (default: today).",
)
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
# log post / log outcome


@click.command("post", cls=TranslatedCommand, context_settings=CONTEXT)
@click.argument("case_id", type=int)
@click.option("--url", required=True, help="Address of the published post.")
@click.option(
    "--on", "on", type=ISO_DATE, default=None, help="Day it was published (default: today)."
)
@click.option(
    "--platform",
    type=click.Choice(POST_PLATFORMS),
    default=None,
    help="Where it was published (default: guessed from the address).",
)
@click.pass_obj
def log_post(app, case_id: int, url: str, on: date | None, platform: str | None) -> None:
    """Record a published post; escalation letters can mention it."""
    from paperwork.aggregate.social import post_platform
    from paperwork.core.errors import UserError
    from paperwork.services.events import log_event

    url = checked_texts({"url": url}).get("url", "")
    if not re.fullmatch(r"https?://[^\s/]+\.[^\s/]+(/\S*)?", url, flags=re.IGNORECASE):
        raise UserError(
            _(
                "--url: '{url}' is not a web address; give the post's link, starting with https://."
            ).format(url=url)
        )
    event = log_event(
        app.pw,
        case_id,
        "post",
        on or today_default(),
        {"url": url, "platform": platform or post_platform(url)},
    )
    click.echo(_("Logged post on case {case}.").format(case=case_id))
    click.echo(event.id)


@click.command("outcome", cls=TranslatedCommand, context_settings=CONTEXT)
@click.argument("case_id", type=int)
@click.option("--on", "on", type=ISO_DATE, required=True, help="Day the company gave it.")
@click.option("--kind", type=click.Choice(OUTCOME_CHOICES), required=True, help="What was won.")
@click.option("--amount", default=None, help='Amount won, a decimal such as "89.99".')
@click.option("--currency", default=None, help="ISO 4217 code of the amount, e.g. USD, EUR, GBP.")
@click.pass_obj
def log_outcome(
    app, case_id: int, on: date, kind: str, amount: str | None, currency: str | None
) -> None:
    """Record what the pressure won: a refund, credit, waiver, rate extension or cancellation."""
    from marshmallow import ValidationError

    from paperwork.core.errors import UserError
    from paperwork.core.schema import MoneySchema
    from paperwork.services.events import log_event

    data: dict[str, Any] = {"kind": kind, "amount": None, "currency": None}
    if amount is not None or currency is not None:
        problems = []
        if amount is None:
            problems.append(_("--amount: give the amount with --currency."))
        if currency is None:
            problems.append(_("--currency: give the currency with --amount (e.g. USD)."))
        if problems:
            raise UserError(problems)
        try:
            money = MoneySchema().load({"value": amount, "currency": currency.strip().upper()})
        except ValidationError as exc:
            names = {"value": "--amount", "currency": "--currency"}
            raise UserError(
                [
                    f"{names.get(k, k)}: {m}"
                    for k, msgs in sorted(exc.messages.items())
                    for m in msgs
                ]
            ) from None
        data["amount"], data["currency"] = format(money.value, "f"), money.currency
    event = log_event(app.pw, case_id, "outcome", on, data)
    if data["amount"]:
        message = _("Logged {kind} of {amount} {currency} on case {case}.").format(
            kind=kind, amount=data["amount"], currency=data["currency"], case=case_id
        )
    else:
        message = _("Logged {kind} on case {case}.").format(kind=kind, case=case_id)
    click.echo(message)
    click.echo(event.id)


# ---------------------------------------------------------------------------
# campaign


@click.group("campaign", cls=TranslatedGroup, context_settings=CONTEXT)
def campaign() -> None:
    """Many people, one company: a letter for every member of a campaign."""


@campaign.command("template")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV file to write.",
)
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
    click.echo(out)


@campaign.command("render")
@click.argument(
    "campaign_file", metavar="CAMPAIGN", type=click.Path(dir_okay=False, path_type=Path)
)
@click.argument(
    "members_file", metavar="MEMBERS.csv", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option("--kind", required=True, help="Letter kind (see 'paperwork kinds').")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the letters and reports.",
)
@click.option(
    "--track",
    is_flag=True,
    help="Create a case per member, so 'paperwork due' follows their deadlines.",
)
@click.option("--on", "on", type=ISO_DATE, default=None, help="Letter date (default: today).")
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
    """
    import csv

    from paperwork.aggregate.campaign import problem_line, run_campaign

    app = ctx.obj
    bar_holder: dict[str, Any] = {}

    def on_total(total: int) -> None:
        bar = click.progressbar(
            length=total, label="Rendering letters", file=sys.stderr, show_pos=True
        )
        bar_holder["bar"] = bar
        bar.__enter__()

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
            on_total=on_total,
            on_progress=lambda n: bar_holder["bar"].update(n),
        )
    finally:
        if "bar" in bar_holder:
            bar_holder["bar"].__exit__(None, None, None)
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
            count=result.rendered, folder=out_dir, index=result.index
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


# ---------------------------------------------------------------------------
# stats


@click.command("stats", cls=TranslatedCommand, context_settings=CONTEXT)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Machine-readable output: {companies: [...], overall: {...}}.",
)
@click.pass_obj
def stats(app, as_json: bool) -> None:
    """Pressure applied and outcomes won, per company and overall."""
    from paperwork.aggregate.stats import compute_stats

    store = app.pw.store
    result = compute_stats(store.cases(), store.letters(), store.events())
    if as_json:
        emit_json(result.as_json())
        return
    if not result.companies:
        click.echo(_("No cases yet."))
        return
    for numbers in result.companies:
        click.echo(_stats_line(numbers, safe(numbers.company)))
    click.echo(_stats_line(result.overall, _("All companies")))


def _stats_line(n, label: str) -> str:
    from paperwork.core.i18n import duration, interface_locale, money
    from paperwork.core.model import Money

    locale = interface_locale()
    hold = duration(n.hold_minutes, locale) or _("no time")
    median = n.median_days_to_reply
    if median is None:
        reply = _("no reply yet")
    else:
        reply = _("median {days} day(s) to a first reply").format(days=f"{median:g}")
    won = ", ".join(money(Money(v, c), locale) for c, v in sorted(n.won.items())) or _(
        "nothing yet"
    )
    line = _(
        "{company}: {cases} case(s) ({open} open), {letters} letter(s) sent, {calls} call(s), "
        "{hold} on hold, {reply}; won: {won}."
    ).format(
        company=label,
        cases=n.cases,
        open=n.open_cases,
        letters=n.letters_sent,
        calls=n.calls,
        hold=hold,
        reply=reply,
        won=won,
    )
    if n.outcomes:
        from paperwork.services.describe import outcome_word

        outcomes = ", ".join(
            f"{outcome_word(kind)} {count}" for kind, count in sorted(n.outcomes.items())
        )
        line += " " + _("Outcomes: {outcomes}.").format(outcomes=outcomes)
    return line


def register(cli: click.Group) -> None:
    """Add this area's commands to the main group (and to its ``log`` group)."""
    cli.add_command(social)
    cli.add_command(campaign)
    cli.add_command(stats)
    log = cli.commands.get("log")
    if isinstance(log, click.Group):
        log.add_command(log_post)
        log.add_command(log_outcome)
