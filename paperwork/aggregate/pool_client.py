"""The pool client: talks to a pool server over HTTP with the standard library only.

Importing this module costs nothing beyond urllib and json, so the command line
starts as fast with pools as without. The server is paperwork.pool (docs/DESIGN.md §9).

Intended mapping of the commands (wired by the CLI, not here):

    pool serve [--db URL] [--host H] [--port P]
        -> paperwork.pool.serve.serve(db_url, host, port)   (the only heavy import)
    pool create --server URL --company … --country … --category … --title … [--threshold K]
        -> create_pool(...) -> (invite link, organiser key); the key is kept with
           PoolQueue.save_organiser; print the invite link alone on the last line
    pool join LINK --case CASE
        -> join(LINK) -> (member id, token); PoolQueue.join(case, server, pool, id, token);
           print the member id alone on the last line
    pool share CASE [--dry-run] [--json]
        -> events_for_case(...) with the membership's salt; --dry-run prints the
           events' to_wire(); else share(queue, case_id, events): exit 0 with
           "N events wait in the queue" when the server is unreachable, 2 when
           the case is in no pool or the member was revoked (PoolRefused)
    pool sync
        -> sync(queue): every queued leave, then every case's outbox; a case whose
           member was revoked is reported once in SyncResult.revoked, then never sent again
    pool stats CASE [--json]
        -> refresh_stats(queue, case_id) (fetch, keep, fall back to the kept figures
           and their "as of" when the server does not answer)
    pool leave CASE [--erase]
        -> leave(server, pool, member_id, token, erase); PoolQueue.forget(case_id);
           when the server does not answer, PoolQueue.queue_leave: sync delivers it
    organiser: revoke_member(...), revoke_invite(...), new_invite(...)

Errors: ``PoolUnreachable`` (no answer: queue and carry on) and ``PoolRefused``
(the server said no, with its one-line reason and HTTP status).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .pool_events import PoolEvent, events_for_case
from .pool_queue import PendingLeave, PoolQueue

__all__ = [
    "PoolError",
    "PoolEvent",
    "PoolRefused",
    "PoolUnreachable",
    "SyncResult",
    "create_pool",
    "deliver_leaves",
    "events_for_case",
    "fetch_series",
    "fetch_stats",
    "join",
    "leave",
    "new_invite",
    "parse_invite",
    "refresh_stats",
    "revoke_invite",
    "revoke_member",
    "send_events",
    "share",
    "sync",
]

TIMEOUT = 10.0
BATCH = 500  # the server takes at most this many events a request


class PoolError(Exception):
    """Something went wrong talking to a pool server."""


class PoolUnreachable(PoolError):
    """The server did not answer (network down, server stopped, time-out)."""


class PoolRefused(PoolError):
    """The server answered no: ``status`` (4xx/5xx) and its one-line ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{message} (HTTP {status})")
        self.status = status
        self.message = message


def _call(
    method: str, url: str, body: dict[str, Any] | None = None, secret: str = ""
) -> dict[str, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if secret:
        request.add_header("Authorization", f"Bearer {secret}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            message = str(json.loads(exc.read()).get("error", exc.reason))
        except (ValueError, AttributeError):
            message = str(exc.reason)
        if exc.code >= 500:  # the server's own fault (or a proxy's): try again later
            raise PoolUnreachable(f"the pool server at {url} failed: {message}") from None
        raise PoolRefused(exc.code, message) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise PoolUnreachable(f"the pool server at {url} does not answer: {exc}") from None


def _pool_url(server: str, pool: str, *parts: str) -> str:
    quoted = [urllib.parse.quote(p, safe="") for p in (pool, *parts)]
    return f"{server.rstrip('/')}/api/pools/" + "/".join(quoted)


def parse_invite(link: str) -> tuple[str, str, str]:
    """``SERVER/j/POOL/INVITE`` as (server, pool, invite); ValueError when it is not one."""
    server, sep, rest = link.strip().rpartition("/j/")
    pool, _, invite = rest.partition("/")
    if not sep or not server.startswith(("http://", "https://")) or not pool or not invite:
        raise ValueError(f"{link!r} is not a pool invite link (SERVER/j/POOL/INVITE)")
    return server, pool, invite


def create_pool(
    server: str, company: str, country: str, category: str, title: str, threshold: int = 10
) -> tuple[str, str]:
    """Create a pool on ``server``: (invite link, organiser key)."""
    answer = _call(
        "POST",
        f"{server.rstrip('/')}/api/pools",
        {
            "company": company,
            "country": country,
            "category": category,
            "title": title,
            "threshold": threshold,
        },
    )
    return answer["invite"], answer["organiser_key"]


def join(link: str) -> tuple[str, str]:
    """Join the pool of an invite link: (member id, member token)."""
    server, pool, invite = parse_invite(link)
    answer = _call("POST", _pool_url(server, pool, "members"), {"invite": invite})
    return answer["member"], answer["token"]


def send_events(
    server: str, pool: str, member_id: str, token: str, events: Sequence[PoolEvent | dict]
) -> list[str]:
    """Send events (in batches the server takes); the ids it acknowledged."""
    wire = [e.to_wire() if isinstance(e, PoolEvent) else e for e in events]
    accepted: list[str] = []
    url = _pool_url(server, pool, "members", member_id, "events")
    for start in range(0, len(wire), BATCH):
        answer = _call("POST", url, {"events": wire[start : start + BATCH]}, token)
        accepted.extend(answer["accepted"])
    return accepted


def fetch_stats(server: str, pool: str) -> dict[str, Any]:
    """The pool's figures (docs/DESIGN.md §9 shape; counts under the threshold are None)."""
    return _call("GET", _pool_url(server, pool, "stats"))


def fetch_series(server: str, pool: str) -> dict[str, Any]:
    """Pressure over time: ``{"weeks": [{"week", "letters", "members"}], ...}``; a line is
    null until its total reaches the pool's threshold, and then at the weeks between its
    points (which are at least the threshold apart)."""
    return _call("GET", _pool_url(server, pool, "series"))


def leave(server: str, pool: str, member_id: str, token: str, erase: bool = False) -> None:
    """Leave the pool; with ``erase`` the server deletes everything this member shared."""
    query = "?erase=1" if erase else ""
    _call("DELETE", _pool_url(server, pool, "members", member_id) + query, secret=token)


def revoke_member(
    server: str, pool: str, organiser_key: str, member_id: str, erase: bool = False
) -> None:
    """Organiser: shut a member out (and with ``erase`` uncount what it shared)."""
    query = "?erase=1" if erase else ""
    _call("DELETE", _pool_url(server, pool, "members", member_id) + query, secret=organiser_key)


def new_invite(
    server: str, pool: str, organiser_key: str, expires_in: float = 30 * 24 * 3600
) -> tuple[str, str]:
    """Organiser: another invite link, valid ``expires_in`` seconds: (link, expires at)."""
    answer = _call(
        "POST", _pool_url(server, pool, "invites"), {"expires_in": expires_in}, organiser_key
    )
    return answer["invite"], answer["invite_expires"]


def revoke_invite(server: str, pool: str, organiser_key: str, link: str | None = None) -> int:
    """Organiser: revoke the invite ``link``, or every open invite; how many were revoked."""
    body = {"invite": parse_invite(link)[2]} if link else {}
    answer = _call("POST", _pool_url(server, pool, "invites", "revoke"), body, organiser_key)
    return int(answer["revoked"])


# The queue and the server together ----------------------------------------------


@dataclass(frozen=True)
class SyncResult:
    """What a share or a sync did: events delivered, events still waiting, and why."""

    delivered: int
    waiting: int
    unreachable: bool = False
    refused: tuple[tuple[int, str], ...] = ()  # (case id, the server's reason)
    revoked: tuple[int, ...] = ()  # cases this sync learned the organiser had revoked
    leaves: int = 0  # queued leaves the server now has
    leaves_waiting: int = 0  # queued leaves still waiting for the server


def _revocation(exc: PoolRefused) -> bool:
    return exc.status == 403 and "revoked" in exc.message


def _sync_case(queue: PoolQueue, case_id: int) -> int:
    """Send the case's outbox, batch after batch; how many were delivered."""
    member = queue.membership(case_id)
    if member is None or member.revoked:
        return 0
    delivered = 0
    while batch := queue.pending(case_id, BATCH):
        try:
            accepted = send_events(
                member.server, member.pool, member.member_id, member.token, batch
            )
        except PoolRefused as exc:
            if _revocation(exc):
                queue.mark_revoked(case_id)
            raise
        queue.acknowledge(case_id, batch, accepted)
        if not set(accepted) & {e["id"] for e in batch}:
            break  # nothing moved: do not loop
        delivered += len(accepted)
    return delivered


def deliver_leave(pending: PendingLeave) -> bool:
    """Send one queued leave: True once the server has it (or the member was already gone:
    left, revoked or unknown), False when the server does not answer."""
    try:
        leave(pending.server, pending.pool, pending.member_id, pending.token, pending.erase)
    except PoolUnreachable:
        return False
    except PoolRefused as exc:
        if exc.status not in (403, 404, 410):
            return False  # not a definite answer about this member: try again next time
    return True


def deliver_leaves(queue: PoolQueue) -> tuple[int, int, bool]:
    """Send the queued leaves: (delivered, still waiting, a server did not answer).

    A leave leaves the queue only after the server answered it, so a crash sends it
    again; the server counts a member's leave once however often it comes."""
    delivered, waiting = 0, 0
    for leave in queue.pending_leaves():
        if deliver_leave(leave):
            queue.leave_delivered(leave)
            delivered += 1
        else:
            waiting += 1
    return delivered, waiting, waiting > 0


def sync(queue: PoolQueue, case_ids: Iterable[int] | None = None) -> SyncResult:
    """Send every queued leave and event (the events of ``case_ids``, or of every case in a
    pool; the leaves only then).

    A server that does not answer stops nothing: the events stay queued and the
    result says so. A revoked member is recorded and reported once in ``revoked``
    (never in ``refused``), and its case is not sent again; any other refusal
    (unknown pool) is reported per case.
    """
    leaves, leaves_waiting, unreachable = (
        deliver_leaves(queue) if case_ids is None else (0, 0, False)
    )
    ids = [m.case_id for m in queue.memberships()] if case_ids is None else list(case_ids)
    delivered, refused, revoked = 0, [], []
    for case_id in ids:
        try:
            delivered += _sync_case(queue, case_id)
        except PoolUnreachable:
            unreachable = True
        except PoolRefused as exc:
            if _revocation(exc):
                revoked.append(case_id)
            else:
                refused.append((case_id, exc.message))
    waiting = sum(queue.waiting(case_id) for case_id in ids)
    return SyncResult(
        delivered,
        waiting,
        unreachable,
        tuple(refused),
        tuple(revoked),
        leaves,
        leaves_waiting,
    )


def share(queue: PoolQueue, case_id: int, events: Iterable[PoolEvent]) -> SyncResult:
    """Queue what is new in ``events`` for the case, then try to send the case's outbox."""
    if queue.membership(case_id) is None:
        raise ValueError(f"case {case_id} is in no pool")
    queue.enqueue(case_id, [e.to_wire() for e in events])
    return sync(queue, [case_id])


def refresh_stats(
    queue: PoolQueue, case_id: int, now: datetime | None = None
) -> tuple[dict[str, Any], str, bool] | None:
    """The case's pool figures: (figures, as of, fresh). Fetched and kept when the server
    answers; else the figures kept last time (fresh False); None when there are none."""
    member = queue.membership(case_id)
    if member is None:
        return None
    try:
        figures = fetch_stats(member.server, member.pool)
    except PoolUnreachable:
        kept = queue.stats(case_id)
        return (kept[0], kept[1], False) if kept else None
    as_of = str(figures.get("as_of") or (now or datetime.now(UTC)).isoformat(timespec="seconds"))
    queue.save_stats(case_id, figures, as_of)
    return figures, as_of, True
