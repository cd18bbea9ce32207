"""``paperwork log``: record calls, the company's replies, published posts and outcomes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

import click

from paperwork.cli.support import (
    CONTEXT,
    App,
    TranslatedCommand,
    checked_texts,
    group,
    on_option,
    pass_app,
    today_default,
)
from paperwork.core.i18n import _

POST_PLATFORMS = ("x", "bluesky", "mastodon", "other")
OUTCOME_CHOICES = ("refund", "credit", "waiver", "rate_extension", "cancellation")


@group(context_settings=CONTEXT)
def log() -> None:
    """Record calls, replies, published posts and outcomes on a case."""


@log.command("call")
@click.argument("case_id", type=int)
@on_option("Day of the call (default: today).")
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
@on_option("Day the reply arrived (default: today).")
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


# ---------------------------------------------------------------------------
# log post / log outcome


@click.command("post", cls=TranslatedCommand, context_settings=CONTEXT)
@click.argument("case_id", type=int)
@click.option("--url", required=True, help="Address of the published post.")
@on_option("Day it was published (default: today).")
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
@on_option("Day the company gave it.", required=True)
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
        if amount is None or currency is None:
            raise UserError(problems)
        try:
            money = MoneySchema().load({"value": amount, "currency": currency.strip().upper()})
        except ValidationError as exc:
            names = {"value": "--amount", "currency": "--currency"}
            raise UserError(
                [
                    f"{names.get(k, k)}: {m}"
                    # a schema's load reports a dict: field -> messages
                    for k, msgs in sorted(cast(dict[str, list[str]], exc.messages).items())
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


log.add_command(log_post)
log.add_command(log_outcome)


def register(cli: click.Group) -> None:
    """Add this module's commands to the main group."""
    cli.add_command(log)
