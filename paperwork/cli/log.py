"""``paperwork log``: record calls and the company's replies."""

from __future__ import annotations

from datetime import date

import click

from paperwork.cli.support import (
    CONTEXT,
    ISO_DATE,
    App,
    checked_texts,
    group,
    pass_app,
    today_default,
)
from paperwork.core.i18n import _


@group(context_settings=CONTEXT)
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
    from paperwork.services.events import log_event

    data = checked_texts({"rep": rep, "ref": ref, "promised": promised, "notes": notes})
    event = log_event(
        app.pw,
        case_id,
        "call",
        on or today_default(),
        {"waited": waited, "duration": duration, **data},
        today=today_default(),
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
    from paperwork.services.events import log_event

    data = checked_texts({"summary": summary})
    event = log_event(
        app.pw,
        case_id,
        "response",
        on or today_default(),
        {**data, "resolved": resolved},
        today=today_default(),
    )
    message = (
        _("Logged reply on case {id} and closed the case.")
        if resolved
        else _("Logged reply on case {id}.")
    )
    click.echo(message.format(id=case_id))
    click.echo(event.id)


def register(cli: click.Group) -> None:
    """Add this module's commands to the main group."""
    cli.add_command(log)
