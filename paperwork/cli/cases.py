"""``paperwork profile``, ``case`` and ``kinds``: the sender, the cases and the letter catalogue."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from paperwork.cli.support import (
    CONTEXT,
    App,
    command,
    emit_json,
    from_option,
    group,
    json_option,
    on_option,
    pass_app,
    safe,
    today_default,
)
from paperwork.core.i18n import _, interface_locale

# ---------------------------------------------------------------------------
# profile


@group(context_settings=CONTEXT)
def profile() -> None:
    """Your sender details, saved once and used by every case that gives none."""


@profile.command("set")
@from_option("JSON or TOML file with name, address, country, email, phone.")
@pass_app
def profile_set(app: App, source: Path) -> None:
    """Save the sender profile from FILE (the same fields as a case's "sender")."""
    from paperwork.core.schema import ProfileSchema, load_with, read_structured_file
    from paperwork.services.cases import set_profile

    party = load_with(ProfileSchema(), read_structured_file(source), str(source))
    set_profile(app.pw, party)
    click.echo(_("Saved the sender profile for {name}.").format(name=safe(party.name)))


@profile.command("show")
@json_option()
@pass_app
def profile_show(app: App, as_json: bool) -> None:
    """Show the saved sender profile."""
    from paperwork.core.schema import ProfileSchema
    from paperwork.services.cases import get_profile

    party = get_profile(app.pw)
    if party is None:
        from paperwork.core.errors import UserError

        raise UserError(_("no profile saved yet; run 'paperwork profile set --from FILE'."))
    if as_json:
        emit_json(ProfileSchema().dump(party))
        return
    click.echo(
        "\n".join(safe(x) for x in [party.name, *party.address, party.email, party.phone] if x)
    )


# ---------------------------------------------------------------------------
# cases


@group(context_settings=CONTEXT)
def case() -> None:
    """Create, list, show and edit cases (one dispute with one company each)."""


@case.command("new")
@from_option("Case file, .json or .toml (see the README for every field).")
@on_option("Date the case is opened (default: today).")
@pass_app
def case_new(app: App, source: Path, on: date | None) -> None:
    """Store a new case from a case file; prints its id on the last line."""
    from paperwork.core.schema import load_case_file
    from paperwork.services.cases import new_case

    case = load_case_file(source)
    case_id = new_case(app.pw, case, on or today_default(), source=str(source))
    click.echo(_("Stored case {id}: {title}").format(id=case_id, title=safe(case.title)))
    click.echo(case_id)


@case.command("list")
@json_option()
@on_option("Day to compute next steps for (default: today).")
@pass_app
def case_list(app: App, as_json: bool, on: date | None) -> None:
    """List every case with its next step."""
    from paperwork.services.overview import case_rows

    today = on or today_default()
    rows: list[dict[str, Any]] = [
        {
            "id": row.id,
            "title": row.title,
            "company": row.company,
            "status": row.status,
            "next": {"kind": row.step.kind, "due": row.step.due.isoformat()} if row.step else None,
        }
        for row in case_rows(app.pw, today)
    ]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo(_("No cases yet. Start one with: paperwork case new --from case.json"))
        return
    for row in rows:
        step = row["next"]
        label = _("{kind} due {due}").format(**step) if step else "-"
        click.echo(
            f"{row['id']:>4}  {row['status']:<8} {safe(row['company'])[:28]:<28} {safe(row['title'])[:40]:<40} {label}"
        )


@case.command("show")
@click.argument("case_id", type=int)
@json_option("Machine-readable output (shape in docs/DESIGN.md §5).")
@on_option("Day to compute deadlines for (default: today).")
@pass_app
def case_show(app: App, case_id: int, as_json: bool, on: date | None) -> None:
    """Show a case: its letters with deadlines, its timeline, the tally and the next step."""
    from paperwork.services.schedule import case_view

    view_day = on or today_default()
    view = case_view(app.pw, case_id, view_day)
    if as_json:
        emit_json(view.as_json())
        return
    c = view.case
    from paperwork.services.describe import status_label

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
    click.echo("  " + _("Summary: {text}").format(text=safe(" ".join(c.summary.split()))))
    click.echo(
        "  "
        + _("For third parties: {text}").format(
            text=safe(" ".join(c.third_party_summary.split()))
            if c.third_party_summary
            else _("none (letters to a regulator, bank, bureau or collector leave the summary out)")
        )
    )
    click.echo("")
    from paperwork.services.describe import (
        kind_title,
        letter_status_label,
        next_line,
        tally_line,
        timeline_rows,
    )

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
@from_option("File with the fields to replace (all keys optional).")
@pass_app
def case_edit(app: App, case_id: int, source: Path) -> None:
    """Replace the fields FILE gives on a case (same schema as a case file)."""
    from paperwork.services.cases import edit_case, load_case_changes

    changes = load_case_changes(source)
    if not changes:
        click.echo(_("{file}: no fields to change.").format(file=source))
        return
    edit_case(app.pw, case_id, changes, source=str(source))
    click.echo(
        _("Updated case {id}: {fields}.").format(id=case_id, fields=", ".join(sorted(changes)))
    )


@case.command("archive")
@click.argument("case_id", type=int)
@pass_app
def case_archive(app: App, case_id: int) -> None:
    """Archive a case: it stays on file but leaves the agenda."""
    from paperwork.services.cases import set_case_status

    set_case_status(app.pw, case_id, "archived")
    click.echo(_("Archived case {id}.").format(id=case_id))


# ---------------------------------------------------------------------------
# kinds and letters


@command(context_settings=CONTEXT)
@json_option("Machine-readable output (shape in docs/DESIGN.md §5).")
@pass_app
def kinds(app: App, as_json: bool) -> None:
    """The letter catalogue: every kind, where it applies and its response window."""
    from paperwork.services.letters import list_kinds

    items = list_kinds(app.pw)
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
                    "needs": list(k.needs),
                    "inputs": list(k.inputs),
                    "states": list(k.states),
                    "windows": {
                        j: {"window": w.window, "source": w.source} for j, w in k.windows.items()
                    },
                    "periods": {
                        j: [
                            {
                                "window": w.window,
                                "source": w.source,
                                "from": w.since.isoformat() if w.since else None,
                                "until": w.until.isoformat() if w.until else None,
                            }
                            for w in rules
                        ]
                        for j, rules in k.periods.items()
                    },
                    "laws": [
                        {
                            "id": law.id,
                            "cite": law.cite,
                            "source": law.source,
                            "jurisdictions": list(law.jurisdictions),
                            "from": law.since.isoformat() if law.since else None,
                            "until": law.until.isoformat() if law.until else None,
                            "recipients": list(law.recipients),
                        }
                        for law in k.laws
                    ],
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


def register(cli: click.Group) -> None:
    """Add this module's commands to the main group."""
    cli.add_command(profile)
    cli.add_command(case)
    cli.add_command(kinds)
