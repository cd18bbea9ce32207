"""The pool server's transactions: create a pool, invite, join, share, leave, revoke, read.

Each public function does its work in the transaction of the ``connection`` it is given
(the caller begins and commits it: access.py, in a thread or on the event loop) and
takes ``now`` (a UTC datetime) instead of reading the clock. A refusal is a ``Refused``
carrying the HTTP status and a one-line message, raised before anything is written; the
api module turns it into JSON.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, bindparam, delete, func, select, text, update
from sqlalchemy.engine import Connection, CursorResult, Engine, RowMapping
from sqlalchemy.exc import DBAPIError

from .counting import add, contribution, monday
from .db import SHARDS, counters, events, invites, members, pools, write
from .security import new_slug, new_token, token_hash

MAX_INVITE_SECONDS = 365 * 24 * 3600
T = TypeVar("T")
EVENT_COLUMNS = ("type", "day", "kind", "rung", "flag", "count", "minutes", "band")


class Refused(Exception):
    """A request the pool turns down: ``status`` (4xx) and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class NewPool:
    """What creating a pool hands back, once: the secrets are never shown again."""

    slug: str
    organiser_key: str
    invite: str
    invite_expires: datetime


# PostgreSQL: a batch of rows travels as one array a column, through unnest(), so the
# statement's text is the same whatever the batch's size. psycopg then parses it once
# and prepares it, where a multi-row VALUES list (SQLAlchemy's "insertmanyvalues") is
# new text with a placeholder a value, parsed again on every request: measured, that
# parsing was most of a share's CPU time.
_PG_BUMP = text(
    "INSERT INTO counters (pool_id, name, shard, value)"
    " SELECT :pool, u.name, :shard, u.value"
    " FROM unnest(CAST(:names AS varchar[]), CAST(:values AS bigint[])) AS u(name, value)"
    " ON CONFLICT (pool_id, name, shard) DO UPDATE SET value = counters.value + excluded.value"
)
# A batch's events, the largest parameter, go as one JSON text read back as rows of the
# events table: psycopg dumps an array element by element in Python, json.dumps in C
# (measured: the arrays' dumping was 7 % of the server's CPU under the burst).
_PG_EVENTS = text(
    "INSERT INTO events (member_id, event_id, type, day, kind, rung, flag, count, minutes, band)"
    " SELECT member_id, event_id, type, day, kind, rung, flag, count, minutes, band"
    " FROM json_populate_recordset(NULL::events, CAST(:rows AS json))"
    " ON CONFLICT (member_id, event_id) DO NOTHING RETURNING member_id, event_id"
)
# the members of a batch of shares, by (pool slug, member id), n: the request's place
_PG_MEMBERS = text(
    "SELECT u.n, m.id, m.token_hash, m.state, p.id AS pool"
    " FROM unnest(CAST(:slug AS varchar[]), CAST(:member AS varchar[])) WITH ORDINALITY"
    " AS u(slug, public_id, n)"
    " JOIN pools p ON p.slug = u.slug JOIN members m ON m.pool_id = p.id"
    " AND m.public_id = u.public_id"
)
_PG_KNOWN = text(
    "SELECT e.* FROM events e JOIN unnest(CAST(:member AS integer[]),"
    " CAST(:event_id AS varchar[])) AS u(member_id, event_id)"
    " ON e.member_id = u.member_id AND e.event_id = u.event_id ORDER BY e.id FOR UPDATE OF e"
)


# The statements of the hot paths (share, join), built once: building a statement costs
# SQLAlchemy more CPU than running it on SQLite (measured with cProfile on a batch of shares).
_SQLITE_BUMP = text(
    "INSERT INTO counters (pool_id, name, shard, value) VALUES (:pool_id, :name, :shard, :value)"
    " ON CONFLICT (pool_id, name, shard) DO UPDATE SET value = counters.value + excluded.value"
)
_SQLITE_EVENTS = (
    "INSERT INTO events (member_id, event_id, type, day, kind, rung, flag, count, minutes, band)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_POOL = select(pools).where(pools.c.slug == bindparam("slug"))
_MEMBER = (
    select(members.c.id, members.c.token_hash, members.c.state, pools.c.id.label("pool"))
    .join(pools, pools.c.id == members.c.pool_id)
    .where(pools.c.slug == bindparam("slug"), members.c.public_id == bindparam("member"))
)
_COUNTERS = (
    select(counters.c.name, func.sum(counters.c.value))
    .where(counters.c.pool_id == bindparam("pool"))
    .group_by(counters.c.name)
)
_KNOWN = (
    select(events)
    .where(
        events.c.member_id == bindparam("member"),
        events.c.event_id.in_(bindparam("ids", expanding=True)),
    )
    .with_for_update()
)
_UPDATE_EVENT = (
    update(events)
    .where(events.c.id == bindparam("row"))
    .values({c: bindparam("new_" + c) for c in EVENT_COLUMNS})
)
# a join's pool and its invite in one round trip (revoked is NULL: no such invite)
_INVITE = (
    select(pools.c.id, invites.c.revoked, invites.c.expires_at)
    .select_from(
        pools.outerjoin(
            invites,
            and_(invites.c.pool_id == pools.c.id, invites.c.token_hash == bindparam("hash")),
        )
    )
    .where(pools.c.slug == bindparam("slug"))
)
_NEW_MEMBER = members.insert()


def disconnected(exc: BaseException) -> bool:
    """Whether ``exc`` says the database had dropped the connection (PostgreSQL restarted):
    an idempotent transaction is then run once more. The engine does not ping a
    connection before each use (a round trip on every request): a dead one is found by
    using it."""
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def _once_more_if_disconnected(work: Callable[[], T]) -> T:
    try:
        return work()
    except DBAPIError as exc:
        if not disconnected(exc):
            raise
        return work()


def _postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _bump(connection: Connection, pool_id: int, member: int, deltas: Mapping[str, int]) -> None:
    """Add ``deltas`` to the pool's counters, in the shard of ``member`` (its row id), in
    name order (so two writers never deadlock). One statement, one round trip.
    """
    rows = [
        {"pool_id": pool_id, "name": name, "shard": member % SHARDS, "value": value}
        for name, value in sorted(deltas.items())
        if value
    ]
    if not rows:
        return
    if _postgres(connection):
        names = [row["name"] for row in rows]
        values = [row["value"] for row in rows]
        params = {"pool": pool_id, "shard": member % SHARDS, "names": names, "values": values}
        connection.execute(_PG_BUMP, params)
        return
    connection.execute(_SQLITE_BUMP, rows)


def _new_id(result: CursorResult[Any]) -> int:
    """The id of the row an INSERT just made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _pool(connection: Connection, slug: str) -> RowMapping:
    row = connection.execute(_POOL, {"slug": slug}).mappings().first()
    if row is None:
        raise Refused(404, "no such pool")
    return row


def _check(secret: str, stored_hash: str, what: str) -> None:
    if not secret or not hmac.compare_digest(token_hash(secret), stored_hash):
        raise Refused(403, f"wrong or missing {what}")


def _organiser_pool(connection: Connection, slug: str, key: str) -> RowMapping:
    pool = _pool(connection, slug)
    _check(key, pool["organiser_hash"], "organiser key")
    return pool


def _add_invite(
    connection: Connection, pool_id: int, seconds: float, now: datetime
) -> tuple[str, datetime]:
    if not 1 <= seconds <= MAX_INVITE_SECONDS:
        raise Refused(400, "an invite lasts from 1 second to 365 days")
    token = new_token()
    expires = now + timedelta(seconds=seconds)
    connection.execute(
        invites.insert().values(
            pool_id=pool_id, token_hash=token_hash(token), expires_at=expires, revoked=False
        )
    )
    return token, expires


def create_pool(
    connection: Connection, fields: Mapping[str, Any], invite_seconds: float, now: datetime
) -> NewPool:
    """A new pool with its organiser key and a first invite (``fields``: already checked)."""
    key = new_token()
    slug = new_slug()
    result = connection.execute(
        pools.insert().values(slug=slug, organiser_hash=token_hash(key), created_at=now, **fields)
    )
    invite, expires = _add_invite(connection, _new_id(result), invite_seconds, now)
    return NewPool(slug, key, invite, expires)


def new_invite(
    connection: Connection, slug: str, key: str, seconds: float, now: datetime
) -> tuple[str, datetime]:
    """Another invite to the pool, made by its organiser."""
    pool = _organiser_pool(connection, slug, key)
    return _add_invite(connection, pool["id"], seconds, now)


def revoke_invites(connection: Connection, slug: str, key: str, invite: str | None) -> int:
    """Revoke one invite (by its token) or, with None, every invite; how many were open."""
    pool = _organiser_pool(connection, slug, key)
    where = and_(invites.c.pool_id == pool["id"], invites.c.revoked.is_(False))
    if invite is not None:
        where = and_(where, invites.c.token_hash == token_hash(invite))
    result = connection.execute(update(invites).where(where).values(revoked=True))
    if invite is not None and result.rowcount == 0:
        raise Refused(404, "no such open invite")
    return result.rowcount


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def join(connection: Connection, slug: str, invite: str, now: datetime) -> tuple[str, str]:
    """A new member through an invite: (member id, member token)."""
    found = {"slug": slug, "hash": token_hash(invite)}
    pool = connection.execute(_INVITE, found).mappings().first()
    if pool is None:
        raise Refused(404, "no such pool")
    if pool["revoked"] is None or pool["revoked"]:
        raise Refused(403, "this invite is not valid (revoked or mistyped)")
    if _aware(pool["expires_at"]) <= now:
        raise Refused(410, "this invite has expired; ask the organiser for a new one")
    member_id = "m" + new_slug()
    token = new_token()
    result = connection.execute(
        _NEW_MEMBER,
        {
            "pool_id": pool["id"],
            "public_id": member_id,
            "token_hash": token_hash(token),
            "state": "active",
            "joined_on": now.date(),
        },
    )
    joined = {"members": 1, f"joined:{monday(now.date())}": 1}
    _bump(connection, pool["id"], _new_id(result), joined)
    return member_id, token


def _find_member(connection: Connection, pool_id: int, member_id: str) -> RowMapping:
    query = select(members).where(members.c.pool_id == pool_id, members.c.public_id == member_id)
    row = connection.execute(query).mappings().first()
    if row is None:
        raise Refused(404, "no such member in this pool")
    return row


@dataclass(frozen=True)
class Share:
    """One member's share request, as ``share_batch`` takes them."""

    slug: str
    member_id: str
    token: str
    rows: Sequence[Mapping[str, Any]]


def share_batch(connection: Connection, requests: Sequence[Share]) -> list[list[str] | Refused]:
    """Members' shares, in the one transaction: for each, the ids the pool now holds (new,
    changed or already known), or the refusal that left it unwritten (found before
    anything is written).

    An id seen before counts once: the same content is a no-op, new content (a letter
    whose deadline has since passed unanswered, a week with one more call) replaces the
    old and the counters move by the difference. Sending the same shares again changes
    nothing, so a batch that lost its connection is sent again. On PostgreSQL the batch
    takes a fixed number of statements, each carrying every share's rows (arrays, JSON):
    the round trips and the driver's work are per batch, not per share."""
    answers: list[list[str] | Refused] = []
    accepted: dict[int, tuple[int, dict[str, Mapping[str, Any]]]] = {}  # member -> pool, rows
    for request, found in zip(requests, _members(connection, requests), strict=True):
        try:
            member, pool = _sharer(connection, request, found)
        except Refused as refusal:
            answers.append(refusal)
            continue
        # the last of twins in one request wins, and a member's later request in the batch
        _pool_id, latest = accepted.setdefault(member, (pool, {}))
        latest.update((row["event_id"], row) for row in request.rows)
        answers.append(list(dict.fromkeys(row["event_id"] for row in request.rows)))
    rows = [(member, row) for member, (_p, latest) in accepted.items() for row in latest.values()]
    inserted = _insert_events(connection, rows)
    deltas: dict[int, tuple[int, dict[str, int]]] = {}  # pool -> (a member, deltas)
    for member, row in rows:
        if (member, row["event_id"]) in inserted:
            pool = accepted[member][0]
            add(deltas.setdefault(pool, (member, {}))[1], contribution(row))
    known = [
        (member, row["event_id"])
        for member, row in rows
        if (member, row["event_id"]) not in inserted
    ]
    for old in _known_events(connection, known):
        pool, latest = accepted[old["member_id"]]
        new = latest[old["event_id"]]
        if all(old[c] == new[c] for c in EVENT_COLUMNS):
            continue
        moved = deltas.setdefault(pool, (old["member_id"], {}))[1]
        add(moved, contribution(dict(old)), -1)
        add(moved, contribution(new))
        connection.execute(
            _UPDATE_EVENT, {"row": old["id"], **{"new_" + c: new[c] for c in EVENT_COLUMNS}}
        )
    # the counters once a pool, in pool order: fewer statements, no lock-order cycles
    for pool, (member, moved) in sorted(deltas.items()):
        _bump(connection, pool, member, moved)
    return answers


def write_batch(
    engine: Engine, jobs: Sequence[Callable[[Connection], Any]], shares: Sequence[Share]
) -> tuple[list[Any], list[list[str] | Refused]]:
    """Writes waiting together, in one transaction (one commit, so one disk flush, for
    all): ``jobs`` (this module's write functions, given the connection) each in a
    savepoint, then ``shares``. The answers: each job's result or the exception it raised
    (its own changes taken back), and for each share the ids the pool holds or the
    refusal that left it unwritten.

    A refusal is found before its request writes anything, so it takes nothing else
    down; a fault of the database fails them all (raised), and none is answered until
    the commit is done. A batch of shares alone is sent again once when the connection
    had dropped (sending again changes nothing); one with jobs is not (a join made twice
    would be two members).
    """

    def run() -> tuple[list[Any], list[list[str] | Refused]]:
        with write(engine) as connection:
            done = [_attempt(connection, job) for job in jobs]
            return done, share_batch(connection, shares)

    return run() if jobs else _once_more_if_disconnected(run)


def _attempt(connection: Connection, job: Callable[[Connection], T]) -> T | Exception:
    """``job`` in a savepoint of its own: when it fails, everything it wrote is taken back."""
    try:
        with connection.begin_nested():
            return job(connection)
    except Exception as exc:
        return exc


def _members(connection: Connection, requests: Sequence[Share]) -> list[RowMapping | None]:
    """For each request its member's row (id, token_hash, state, pool), None when unknown."""
    if not requests:
        return []
    if not _postgres(connection):
        return [
            connection.execute(_MEMBER, {"slug": r.slug, "member": r.member_id}).mappings().first()
            for r in requests
        ]
    params = {"slug": [r.slug for r in requests], "member": [r.member_id for r in requests]}
    found = {row["n"]: row for row in connection.execute(_PG_MEMBERS, params).mappings()}
    return [found.get(n) for n in range(1, len(requests) + 1)]


def _sharer(connection: Connection, request: Share, found: RowMapping | None) -> tuple[int, int]:
    """(member's row id, pool's row id) of a request's member, or Refused: unknown, wrong
    token, no longer active."""
    if found is None:
        _pool(connection, request.slug)  # 404: no such pool
        raise Refused(404, "no such member in this pool")
    _check(request.token, found["token_hash"], "member token")
    if found["state"] != "active":
        raise Refused(
            403,
            f"this member {'was revoked' if found['state'] == 'revoked' else 'has left the pool'}",
        )
    return found["id"], found["pool"]


def _insert_events(
    connection: Connection, rows: list[tuple[int, Mapping[str, Any]]]
) -> set[tuple[int, str]]:
    """Store the (member, row) pairs that are new; (member, event id) of those (the others
    were known)."""
    if not rows:
        return set()
    if _postgres(connection):
        rows = sorted(rows, key=lambda pair: (pair[0], pair[1]["event_id"]))  # one lock order
        batch = json.dumps([{**row, "member_id": m} for m, row in rows], default=date.isoformat)
        return {(r[0], r[1]) for r in connection.execute(_PG_EVENTS, {"rows": batch})}
    # SQLite: its writes take turns (BEGIN IMMEDIATE), so the ids known before the insert
    # are still the only ones; the rows go straight to the driver (executemany), dates in
    # the ISO form SQLAlchemy stores them in.
    by_member: dict[int, list[str]] = {}
    for member, row in rows:
        by_member.setdefault(member, []).append(row["event_id"])
    known: set[tuple[int, str]] = set()
    for member, ids in by_member.items():
        marks = ", ".join("?" * len(ids))
        query = f"SELECT event_id FROM events WHERE member_id = ? AND event_id IN ({marks})"
        known.update((member, r[0]) for r in connection.exec_driver_sql(query, (member, *ids)))
    fresh = [(member, row) for member, row in rows if (member, row["event_id"]) not in known]
    if fresh:
        connection.exec_driver_sql(
            _SQLITE_EVENTS,
            [
                (
                    member,
                    row["event_id"],
                    row["type"],
                    row["day"] and row["day"].isoformat(),
                    *(row[name] for name in EVENT_COLUMNS[2:]),
                )
                for member, row in fresh
            ],
        )
    return {(member, row["event_id"]) for member, row in fresh}


def _known_events(connection: Connection, pairs: list[tuple[int, str]]) -> list[RowMapping]:
    """The stored rows of (member, event id) ``pairs``, locked until the commit."""
    if not pairs:
        return []
    if _postgres(connection):
        params = {"member": [m for m, _e in pairs], "event_id": [e for _m, e in pairs]}
        return list(connection.execute(_PG_KNOWN, params).mappings())
    by_member: dict[int, list[str]] = {}
    for member, event_id in pairs:
        by_member.setdefault(member, []).append(event_id)
    return [
        row
        for member, ids in by_member.items()
        for row in connection.execute(_KNOWN, {"member": member, "ids": ids}).mappings()
    ]


def _remove(
    connection: Connection, pool_id: int, member: RowMapping, state: str, erase: bool, today: date
) -> None:
    deltas: dict[str, int] = {}
    if member["state"] == "active":
        deltas["members"] = -1
        deltas[f"left:{monday(today)}"] = 1
    if erase:
        for row in connection.execute(
            select(events).where(events.c.member_id == member["id"])
        ).mappings():
            add(deltas, contribution(dict(row)), -1)
        connection.execute(delete(events).where(events.c.member_id == member["id"]))
    connection.execute(update(members).where(members.c.id == member["id"]).values(state=state))
    _bump(connection, pool_id, member["id"], deltas)


def remove_member(
    connection: Connection, slug: str, member_id: str, secret: str, erase: bool, today: date
) -> str:
    """Take a member out of the pool: "left" when ``secret`` is its own token, "revoked"
    when it is the organiser key (the member's token then stops working). With
    ``erase`` everything the member shared is deleted and uncounted."""
    pool = _pool(connection, slug)
    member = _find_member(connection, pool["id"], member_id)
    if secret and hmac.compare_digest(token_hash(secret), member["token_hash"]):
        if member["state"] == "revoked":
            raise Refused(403, "this member was revoked by the organiser")
        _remove(connection, pool["id"], member, "left", erase, today)
        return "left"
    _check(secret, pool["organiser_hash"], "member token or organiser key")
    _remove(connection, pool["id"], member, "revoked", erase, today)
    return "revoked"


def read_pool(connection: Connection, slug: str) -> tuple[RowMapping, dict[str, int]]:
    """The pool's row and its counters (name -> value): all the stats and the page need."""
    pool = _pool(connection, slug)
    rows = connection.execute(_COUNTERS, {"pool": pool["id"]}).all()
    return pool, {name: int(value) for name, value in rows}
