"""``paperwork pool``: many people, one company, one count in every letter (docs/DESIGN.md §9)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from paperwork.cli.support import CONTEXT, App, emit_json, group, pass_app, today_default
from paperwork.core.i18n import _, ngettext


@group(context_settings=CONTEXT)
def pool() -> None:
    """Join the people fighting the same company, and count yourselves in every letter.

    \b
    An organiser starts a pool and passes on the link; each member joins a case:
      paperwork pool create --server https://pool.example.org --company Northwind \\
          --country GB --category telecoms --title "Northwind overbilling"
      paperwork pool join https://pool.example.org/j/SLUG/INVITE --case 1
      paperwork pool share 1          after each letter sent (or let reissue do it)
      paperwork pool stats 1          the figures your letters will state
    """


@pool.command("serve")
@click.option(
    "--db",
    "db_url",
    default=None,
    help="Database URL: postgresql://… or sqlite:///PATH (default: $PAPERWORK_POOL_DB, else pool.db in the data folder).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@pass_app
def pool_serve(app: App, db_url: str | None, host: str, port: int) -> None:
    """Run a pool server.

    \b
    Example:
      paperwork pool serve --db postgresql://pool@localhost/pool --host 0.0.0.0 --port 8765
    """
    from paperwork.services.pool import default_db_url

    url = default_db_url(app.pw, db_url, dict(os.environ))
    from paperwork.cli.collector import for_long_runs
    from paperwork.pool.serve import serve

    for_long_runs()
    click.echo(
        _("Pool server on http://{host}:{port} ({db}).").format(
            host=host, port=port, db=url.split("@")[-1]
        )
    )
    serve(url, host, port)


@pool.command("create")
@click.option("--server", required=True, help="The pool server's address.")
@click.option("--company", required=True, help="The company the pool presses.")
@click.option("--country", required=True, help="Country code, e.g. GB.")
@click.option("--category", required=True, help="Category, e.g. telecoms.")
@click.option("--title", required=True, help="The grievance, as members will read it.")
@click.option(
    "--threshold",
    default=10,
    show_default=True,
    type=click.IntRange(2, 1000),
    help="Members needed before any count is shown.",
)
@pass_app
def pool_create(
    app: App, server: str, company: str, country: str, category: str, title: str, threshold: int
) -> None:
    """Start a pool (you become its organiser); prints the invite link last.

    \b
    Example:
      paperwork pool create --server https://pool.example.org --company Northwind \\
          --country GB --category telecoms --title "Northwind overbilling" --threshold 10
    """
    from paperwork.services.pool import create_pool

    link = create_pool(app.pw, server, company, country.upper(), category, title, threshold)
    click.echo(_("Pool created; you are its organiser. Send members this invite link:"))
    click.echo(link)


@pool.command("join")
@click.argument("link")
@click.option("--case", "case_id", required=True, type=int, help="The case to join to the pool.")
@pass_app
def pool_join(app: App, link: str, case_id: int) -> None:
    """Join a case to the pool of an invite link; prints your member id last.

    \b
    Example:
      paperwork pool join https://pool.example.org/j/northwind-3f2a/K7x... --case 1
    """
    from paperwork.services.pool import join_pool

    member = join_pool(app.pw, link, case_id)
    click.echo(
        _("Case {id} joined pool {pool}. Nothing personal is ever shared.").format(
            id=case_id, pool=member.pool
        )
    )
    click.echo(member.member_id)


def _waiting_line(waiting: int) -> str:
    return ngettext(
        "The pool server does not answer; {n} event waits in the queue (paperwork pool sync).",
        "The pool server does not answer; {n} events wait in the queue (paperwork pool sync).",
        waiting,
    ).format(n=waiting)


@pool.command("share")
@click.argument("case_id", type=int)
@click.option(
    "--dry-run", is_flag=True, help="Print exactly what would leave this machine, and send nothing."
)
@click.option("--json", "as_json", is_flag=True, help="Print the events as JSON.")
@pass_app
def pool_share(app: App, case_id: int, dry_run: bool, as_json: bool) -> None:
    """Send the case's new progress to its pool (queued when the server is away).

    \b
    Example:
      paperwork pool share 1 --dry-run     see what would be sent
      paperwork pool share 1
    """
    from paperwork.services.pool import share_case

    shared = share_case(app.pw, case_id, today_default(), dry_run)
    wire = [e.to_wire() for e in shared.events]
    if dry_run:
        if as_json:
            emit_json(wire)
        else:
            for event in wire:
                click.echo(json.dumps(event, sort_keys=True))
        return
    result = shared.result
    assert result is not None
    if as_json:
        emit_json({"events": len(wire), "delivered": result.delivered, "waiting": result.waiting})
        return
    if result.unreachable:
        click.echo(_waiting_line(result.waiting))
    else:
        click.echo(
            ngettext(
                "Shared: {n} new event sent.", "Shared: {n} new events sent.", result.delivered
            ).format(n=result.delivered)
        )


@pool.command("sync")
@pass_app
def pool_sync(app: App) -> None:
    """Send every queued event, for every case in a pool.

    \b
    Example:
      paperwork pool sync
    """
    from paperwork.services.pool import revoked_words, sync_all

    report = sync_all(app.pw)
    result = report.result
    for case_id in report.revoked:
        click.echo(revoked_words(case_id))
    if result.leaves:
        click.echo(
            ngettext(
                "Delivered {n} queued leave.", "Delivered {n} queued leaves.", result.leaves
            ).format(n=result.leaves)
        )
    if result.leaves_waiting:
        click.echo(
            ngettext(
                "The pool server does not answer; {n} leave waits in the queue.",
                "The pool server does not answer; {n} leaves wait in the queue.",
                result.leaves_waiting,
            ).format(n=result.leaves_waiting)
        )
    if result.unreachable and result.waiting:
        click.echo(_waiting_line(result.waiting))
    else:
        click.echo(
            ngettext("Sent {n} queued event.", "Sent {n} queued events.", result.delivered).format(
                n=result.delivered
            )
        )


@pool.command("stats")
@click.argument("case_id", type=int)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the figures as JSON (shape in docs/DESIGN.md §9).",
)
@pass_app
def pool_stats(app: App, case_id: int, as_json: bool) -> None:
    """The pool's figures (fetched first when the server answers).

    \b
    Example:
      paperwork pool stats 1 --json
    """
    from paperwork.services.pool import figures, membership

    membership(app.pw, case_id)
    known = figures(app.pw, case_id)
    if known is None:  # the server has never answered: not bad input, nothing to show yet
        if as_json:
            emit_json(None)
        else:
            click.echo(
                _("case {id}: no figures yet; the pool server has not answered.").format(id=case_id)
            )
        return
    if as_json:
        emit_json(known.stats)
        return
    from paperwork.letters.pool_sentence import count_words

    stats, k = known.stats, int(known.stats.get("threshold", 10))
    click.echo(f"{stats.get('title', '')} — {stats.get('company', '')}")
    rows = [
        (_("members"), stats.get("members")),
        (_("letters sent"), stats.get("letters_sent")),
        (_("referrals to the regulator"), stats.get("regulator_referrals")),
        (_("cancellations"), stats.get("cancellations")),
    ]
    for label, value in rows:
        click.echo(f"  {label}: {count_words(value, k)}")
    click.echo("  " + _("public page: {page}").format(page=stats.get("page", "")))
    note = (
        _("as of {when}") if known.fresh else _("as of {when} (kept; the server does not answer)")
    )
    click.echo("  " + note.format(when=known.as_of))


@pool.command("leave")
@click.argument("case_id", type=int)
@click.option("--erase", is_flag=True, help="Also delete everything this case shared.")
@pass_app
def pool_leave(app: App, case_id: int, erase: bool) -> None:
    """Leave the case's pool.

    \b
    Example:
      paperwork pool leave 1 --erase
    """
    from paperwork.services.pool import leave_pool, leave_words

    delivered = leave_pool(app.pw, case_id, erase)
    click.echo(leave_words(case_id, erase, delivered))


@pool.command("dossier")
@click.argument("case_id", type=int)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the letters.",
)
@pass_app
def pool_dossier(app: App, case_id: int, out_dir: Path) -> None:
    """Organiser: the collective letters to the chief executive and the regulator.

    \b
    Example:
      paperwork pool dossier 1 --out dossier/
    """
    from paperwork.services.pool_dossier import write_dossier

    for path in write_dossier(app.pw, case_id, out_dir, today_default()):
        click.echo(path)


@pool.command("revoke")
@click.argument("case_id", type=int)
@click.option("--member", "member_id", default=None, help="The member id to shut out.")
@click.option(
    "--invite", "invite", default=None, help="The invite link to revoke ('all' for every open one)."
)
@click.option("--erase", is_flag=True, help="With --member: uncount what the member shared.")
@pass_app
def pool_revoke(
    app: App, case_id: int, member_id: str | None, invite: str | None, erase: bool
) -> None:
    """Organiser: revoke a member or an invite link of the case's pool.

    \b
    Example:
      paperwork pool revoke 1 --member 5c1e... --erase
      paperwork pool revoke 1 --invite all
    """
    from paperwork.core.errors import UserError
    from paperwork.services.pool import revoke_invite, revoke_member

    if bool(member_id) == bool(invite):
        raise UserError(_("give either --member or --invite."))
    if member_id:
        revoke_member(app.pw, case_id, member_id, erase)
        click.echo(_("Member {member} revoked.").format(member=member_id))
    else:
        n = revoke_invite(app.pw, case_id, None if invite == "all" else invite)
        click.echo(ngettext("{n} invite revoked.", "{n} invites revoked.", n).format(n=n))


@pool.command("invite")
@click.argument("case_id", type=int)
@click.option(
    "--days",
    default=30,
    show_default=True,
    type=click.IntRange(1, 365),
    help="Days the link stays valid.",
)
@pass_app
def pool_invite(app: App, case_id: int, days: int) -> None:
    """Organiser: a new invite link for the case's pool (printed last).

    \b
    Example:
      paperwork pool invite 1 --days 14
    """
    from paperwork.services.pool import new_invite

    click.echo(new_invite(app.pw, case_id, days))


def register(cli: click.Group) -> None:
    """Add this module's commands to the main group."""
    cli.add_command(pool)
