"""The pool, seen from one data folder: create, join, share, sync, figures, leave, dossier.

One function per thing a person does (docs/DESIGN.md §9). The HTTP client and the local
queue live in paperwork.aggregate; this module ties them to the cases of the
store. Nothing here prints: the command line and the app say what happened.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from paperwork.aggregate import pool_client
from paperwork.aggregate.pool_client import PoolRefused, PoolUnreachable, SyncResult
from paperwork.aggregate.pool_events import PoolEvent, events_for_case
from paperwork.aggregate.pool_queue import Membership, PoolQueue
from paperwork.core.errors import UserError
from paperwork.core.i18n import _
from paperwork.services.session import Paperwork

DB_ENV = "PAPERWORK_POOL_DB"


def queue(pw: Paperwork) -> PoolQueue:
    """The data folder's pool file (memberships, outbox, last figures)."""
    pw.home.mkdir(parents=True, exist_ok=True)
    return PoolQueue(pw.home)


def default_db_url(pw: Paperwork, given: str | None, environ: dict[str, str]) -> str:
    """``--db``, else $PAPERWORK_POOL_DB, else a pool.db in the data folder."""
    if given:
        return given
    if environ.get(DB_ENV):
        return environ[DB_ENV]
    pw.home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{pw.home / 'pool.db'}"


def _refused(exc: PoolRefused) -> UserError:
    return UserError(_("the pool server refused: {reason}").format(reason=exc.message))


def _unreachable(exc: PoolUnreachable) -> UserError:
    return UserError(str(exc))


def create_pool(
    pw: Paperwork,
    server: str,
    company: str,
    country: str,
    category: str,
    title: str,
    threshold: int = 10,
) -> str:
    """Create a pool on ``server``; keeps the organiser key; returns the invite link."""
    if not server.startswith(("http://", "https://")):
        raise UserError(_("--server: give the server's address, e.g. https://pool.example.org."))
    try:
        link, key = pool_client.create_pool(server, company, country, category, title, threshold)
    except PoolRefused as exc:
        raise _refused(exc) from None
    except PoolUnreachable as exc:
        raise _unreachable(exc) from None
    _server, slug, _invite = pool_client.parse_invite(link)
    queue(pw).save_organiser(server.rstrip("/"), slug, key, link)
    return link


def join_pool(pw: Paperwork, link: str, case_id: int) -> Membership:
    """Join the case to the pool of an invite link (the case must exist)."""
    pw.store.case(case_id)  # a case that does not exist is bad input
    try:
        server, slug, _invite = pool_client.parse_invite(link)
    except ValueError:
        raise UserError(
            _("LINK: '{link}' is not a pool invite link (SERVER/j/POOL/INVITE).").format(link=link)
        ) from None
    try:
        member_id, token = pool_client.join(link)
    except PoolRefused as exc:
        raise _refused(exc) from None
    except PoolUnreachable as exc:
        raise _unreachable(exc) from None
    return queue(pw).join(case_id, server.rstrip("/"), slug, member_id, token)


def revoked_words(case_id: int) -> str:
    """The one line that tells a person the organiser shut the case out of its pool."""
    return _(
        "case {id}: the pool's organiser revoked this case's membership, so nothing more"
        " of it is shared with that pool (paperwork pool leave {id} forgets the pool here)."
    ).format(id=case_id)


def membership(pw: Paperwork, case_id: int) -> Membership:
    """The case's membership; bad input when the case is in no pool or was revoked."""
    q = queue(pw)
    member = q.membership(case_id)
    if member is None:
        raise UserError(
            _(
                "case {id} is in no pool; join one first (paperwork pool join LINK --case {id})."
            ).format(id=case_id)
        )
    if member.revoked:
        q.mark_told([case_id])
        raise UserError(revoked_words(case_id))
    return member


def case_events(pw: Paperwork, case_id: int, today: date, salt: str) -> list[PoolEvent]:
    """What the case would share today: the fixed list of docs/DESIGN.md §9 and nothing else."""
    from paperwork.services.schedule import plan_for

    case = pw.store.case(case_id)
    letters = pw.store.letters(case_id)
    events = pw.store.events(case_id)
    rungs = {kind.id: kind.rung for kind in pw.catalog.kinds.values()}
    deadlines: dict[int, date] = {}
    try:
        plan = plan_for(pw, case, letters, events, today)
        for clock in plan.clocks:
            if clock.letter.id is not None:
                deadlines[clock.letter.id] = clock.deadline.deadline
    except UserError:
        pass  # no plan (e.g. a broken ladder): share without deadlines
    return events_for_case(
        case, letters, events, today, salt=salt, rungs=rungs, deadlines=deadlines
    )


@dataclass(frozen=True)
class ShareResult:
    """What ``share`` did: the events considered, and the outcome of sending."""

    events: list[PoolEvent]
    result: SyncResult | None  # None for a dry run


def share_case(pw: Paperwork, case_id: int, today: date, dry_run: bool = False) -> ShareResult:
    """Queue what is new for the case and send it; a dry run only lists what would leave."""
    member = membership(pw, case_id)
    events = case_events(pw, case_id, today, member.salt)
    if dry_run:
        return ShareResult(events, None)
    q = queue(pw)
    result = pool_client.share(q, case_id, events)
    if result.revoked:  # learned just now: this case is bad input from here on
        q.mark_told(result.revoked)
        raise UserError(revoked_words(case_id))
    _check_refused(pw, result)
    if not result.unreachable:  # the figures as they stand now, for the next letter
        with suppress(pool_client.PoolError):
            pool_client.refresh_stats(q, case_id, datetime.now(UTC))
    return ShareResult(events, result)


def _check_refused(pw: Paperwork, result: SyncResult) -> None:
    if result.refused:
        raise UserError(
            [
                _("case {id}: the pool server refused: {reason}").format(id=case_id, reason=reason)
                for case_id, reason in result.refused
            ]
        )


@dataclass(frozen=True)
class SyncReport:
    """What ``sync_all`` did, and the revocations to tell the person of (each told once)."""

    result: SyncResult
    revoked: list[int]


def sync_all(pw: Paperwork) -> SyncReport:
    """Send every queued leave and every queued event of every case in a pool.

    A member the organiser revoked is not a failure of the sync: it is recorded,
    its case stops sharing, and ``revoked`` names it the first time only. Any other
    refusal (a pool the server does not know) is bad input.
    """
    q = queue(pw)
    result = pool_client.sync(q)
    _check_refused(pw, result)
    untold = q.untold_revocations()
    q.mark_told(untold)
    return SyncReport(result, untold)


def share_quietly(pw: Paperwork, case_ids: list[int] | None, today: date) -> SyncResult | None:
    """Queue and send in the background of another action (reissue, app start):
    never raises for the pool's sake; None when no case is in a pool."""
    if not (pw.home / "pool.sqlite").exists():
        return None
    try:
        q = queue(pw)
        pool_client.deliver_leaves(q)
        members = [
            m
            for m in q.memberships()
            if not m.revoked and (case_ids is None or m.case_id in case_ids)
        ]
        if not members:
            return None
        for member in members:
            q.enqueue(
                member.case_id,
                [e.to_wire() for e in case_events(pw, member.case_id, today, member.salt)],
            )
        result = pool_client.sync(q, [m.case_id for m in members])
        for member in members:
            pool_client.refresh_stats(q, member.case_id)
        return result
    except Exception:  # the pool must never stop the person's own work
        return None


@dataclass(frozen=True)
class Figures:
    """A pool's figures as last known for a case, with their date."""

    stats: dict[str, Any]
    as_of: str
    fresh: bool

    @property
    def as_of_day(self) -> date:
        return _day(self.as_of)

    @property
    def counted(self) -> bool:
        """At least the threshold of members: the figures may be stated."""
        return self.stats.get("members") is not None


def _day(text: str) -> date:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return date.fromisoformat(text[:10])


def figures(pw: Paperwork, case_id: int, fetch: bool = True) -> Figures | None:
    """The case's pool figures: fetched when ``fetch`` and the server answers, else kept."""
    q = queue(pw)
    if q.membership(case_id) is None:
        return None
    if fetch:
        got = pool_client.refresh_stats(q, case_id, datetime.now(UTC))
        return Figures(*got) if got else None
    kept = q.stats(case_id)
    return Figures(kept[0], kept[1], False) if kept else None


def letter_figures(pw: Paperwork, case_id: int, fetch: bool = True) -> dict[str, Any] | None:
    """The figures a letter may state: stats plus ``as_of`` (the day); fetched first when
    ``fetch`` and the server answers, else the ones kept. None when the case is in no
    pool or the pool is under its threshold."""
    if not (pw.home / "pool.sqlite").exists():
        return None
    try:
        known = figures(pw, case_id, fetch=fetch)
    except pool_client.PoolError:  # the server said no (pool gone): what was kept
        known = figures(pw, case_id, fetch=False)
    if known is None or not known.counted:
        return None
    return {**known.stats, "as_of": known.as_of_day.isoformat()}


def pool_page(pw: Paperwork, case_id: int) -> str:
    """The public page of the case's pool, once it counts enough members to show ("" else)."""
    if not (pw.home / "pool.sqlite").exists():
        return ""
    known = figures(pw, case_id, fetch=False)
    return str(known.stats.get("page") or "") if known and known.counted else ""


def leave_pool(pw: Paperwork, case_id: int, erase: bool = False) -> bool:
    """Leave the case's pool (``erase``: the server forgets what it shared).

    True when the server has the leave now; False when it did not answer: the case
    leaves here at once and the leave waits in the queue for the next sync."""
    q = queue(pw)
    member = q.membership(case_id)
    if member is None:
        raise UserError(_("case {id} is in no pool.").format(id=case_id))
    if member.revoked:  # the server shut the member out already: nothing to tell it
        q.forget(case_id)
        return True
    try:
        pool_client.leave(member.server, member.pool, member.member_id, member.token, erase)
    except PoolRefused as exc:
        if exc.status not in (403, 404, 410):  # already gone or revoked: forget locally
            raise _refused(exc) from None
    except PoolUnreachable:
        q.queue_leave(member, erase)
        return False
    q.forget(case_id)
    return True


def leave_words(case_id: int, erase: bool, delivered: bool) -> str:
    """The one line that says what ``leave_pool`` did."""
    if not delivered:
        return (
            _(
                "Case {id} left its pool here; the server does not answer, so the leave and"
                " the erasure wait in the queue for the next paperwork pool sync."
            )
            if erase
            else _(
                "Case {id} left its pool here; the server does not answer, so the leave"
                " waits in the queue for the next paperwork pool sync."
            )
        ).format(id=case_id)
    return (
        _("Case {id} left its pool; what it shared was erased.")
        if erase
        else _("Case {id} left its pool.")
    ).format(id=case_id)


def _organiser(pw: Paperwork, case_id: int) -> tuple[Membership, str]:
    member = membership(pw, case_id)
    key = queue(pw).organiser_key(member.server, member.pool)
    if key is None:
        raise UserError(
            _("case {id}: only the pool's organiser can do this (no organiser key here).").format(
                id=case_id
            )
        )
    return member, key


def revoke_member(pw: Paperwork, case_id: int, member_id: str, erase: bool = False) -> None:
    """Organiser: shut a member out of the case's pool."""
    member, key = _organiser(pw, case_id)
    try:
        pool_client.revoke_member(member.server, member.pool, key, member_id, erase)
    except PoolRefused as exc:
        raise _refused(exc) from None
    except PoolUnreachable as exc:
        raise _unreachable(exc) from None


def new_invite(pw: Paperwork, case_id: int, days: int = 30) -> str:
    """Organiser: a new invite link for the case's pool."""
    member, key = _organiser(pw, case_id)
    try:
        return pool_client.new_invite(member.server, member.pool, key, days * 24 * 3600)[0]
    except PoolRefused as exc:
        raise _refused(exc) from None
    except PoolUnreachable as exc:
        raise _unreachable(exc) from None


def revoke_invite(pw: Paperwork, case_id: int, link: str | None = None) -> int:
    """Organiser: revoke one invite link, or all; how many were revoked."""
    member, key = _organiser(pw, case_id)
    try:
        return pool_client.revoke_invite(member.server, member.pool, key, link)
    except ValueError:
        raise UserError(_("--link: not a pool invite link.")) from None
    except PoolRefused as exc:
        raise _refused(exc) from None
    except PoolUnreachable as exc:
        raise _unreachable(exc) from None
