"""The pool server's transactions: create a pool, invite, join, share, leave, revoke, read.

Each public function is one database transaction and takes ``now`` (a UTC
datetime) instead of reading the clock. A refusal is a ``Refused`` carrying the
HTTP status and a one-line message; the api module turns it into JSON.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, bindparam, delete, func, select, text, update
from sqlalchemy.engine import Connection, CursorResult, Engine, RowMapping
from sqlalchemy.exc import DBAPIError

from .counting import add, contribution, monday
from .db import SHARDS, batch, counters, events, invites, members, pools, write
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
_PG_EVENTS = text(
    "INSERT INTO events (member_id, event_id, type, day, kind, rung, flag, count, minutes, band)"
    " SELECT :member, * FROM unnest(CAST(:event_id AS varchar[]), CAST(:type AS varchar[]),"
    " CAST(:day AS date[]), CAST(:kind AS varchar[]), CAST(:rung AS integer[]),"
    " CAST(:flag AS boolean[]), CAST(:count AS integer[]), CAST(:minutes AS integer[]),"
    " CAST(:band AS varchar[]))"
    " ON CONFLICT (member_id, event_id) DO NOTHING RETURNING event_id"
)


# The statements of the hot paths (share, join), built once: building a statement costs
# SQLAlchemy more CPU than running it on SQLite (measured with cProfile on share_many).
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
_INVITE = select(invites).where(
    invites.c.pool_id == bindparam("pool"), invites.c.token_hash == bindparam("hash")
)


def _once_more_if_disconnected(work: Callable[[], T]) -> T:
    """Run an idempotent transaction; again once when the database had dropped the
    connection (PostgreSQL restarted). The engine does not ping a connection before
    each use (a round trip on every request): a dead one is found by using it."""
    try:
        return work()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
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
    engine: Engine, fields: Mapping[str, Any], invite_seconds: float, now: datetime
) -> NewPool:
    """A new pool with its organiser key and a first invite (``fields``: already checked)."""
    key = new_token()
    slug = new_slug()
    with write(engine) as connection:
        result = connection.execute(
            pools.insert().values(
                slug=slug, organiser_hash=token_hash(key), created_at=now, **fields
            )
        )
        pool_id = _new_id(result)
        invite, expires = _add_invite(connection, pool_id, invite_seconds, now)
    return NewPool(slug, key, invite, expires)


def new_invite(
    engine: Engine, slug: str, key: str, seconds: float, now: datetime
) -> tuple[str, datetime]:
    """Another invite to the pool, made by its organiser."""
    with write(engine) as connection:
        pool = _organiser_pool(connection, slug, key)
        return _add_invite(connection, pool["id"], seconds, now)


def revoke_invites(engine: Engine, slug: str, key: str, invite: str | None) -> int:
    """Revoke one invite (by its token) or, with None, every invite; how many were open."""
    with write(engine) as connection:
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


def join(engine: Engine, slug: str, invite: str, now: datetime) -> tuple[str, str]:
    """A new member through an invite: (member id, member token)."""
    with write(engine) as connection:
        pool = _pool(connection, slug)
        found = {"pool": pool["id"], "hash": token_hash(invite)}
        row = connection.execute(_INVITE, found).mappings().first()
        if row is None or row["revoked"]:
            raise Refused(403, "this invite is not valid (revoked or mistyped)")
        if _aware(row["expires_at"]) <= now:
            raise Refused(410, "this invite has expired; ask the organiser for a new one")
        member_id = "m" + new_slug()
        token = new_token()
        result = connection.execute(
            members.insert().values(
                pool_id=pool["id"],
                public_id=member_id,
                token_hash=token_hash(token),
                state="active",
                joined_on=now.date(),
            )
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


def share(
    engine: Engine, slug: str, member_id: str, token: str, rows: Sequence[Mapping[str, Any]]
) -> list[str]:
    """Store a member's events; the ids the pool now holds (new, changed or already known).

    An id seen before counts once: the same content is a no-op, new content (a
    letter whose deadline has since passed unanswered, a week with one more call)
    replaces the old and the counters move by the difference. Sending the same batch
    again changes nothing, so a dropped database connection is retried once.
    """
    return _once_more_if_disconnected(lambda: _share(engine, slug, member_id, token, rows))


def _share(
    engine: Engine, slug: str, member_id: str, token: str, rows: Sequence[Mapping[str, Any]]
) -> list[str]:
    with write(engine) as connection:
        return share_in(connection, slug, member_id, token, rows)


@dataclass(frozen=True)
class Share:
    """One member's share request, as ``share_many`` takes them."""

    slug: str
    member_id: str
    token: str
    rows: Sequence[Mapping[str, Any]]


def share_many(engine: Engine, requests: Sequence[Share]) -> list[list[str] | Refused]:
    """Several members' shares in one transaction (one commit, so one disk flush, for all):
    for each, the ids the pool holds, or the refusal that left it unwritten."""
    return write_batch(engine, [], requests)[1]


def write_batch(
    engine: Engine, jobs: Sequence[Callable[[], Any]], shares: Sequence[Share]
) -> tuple[list[Any], list[list[str] | Refused]]:
    """Writes waiting together, in one transaction (one commit, so one disk flush, for
    all): ``jobs`` (calls of this module's write functions: create a pool, invite, join,
    leave...) each in a savepoint, then ``shares``. The answers: each job's result or the
    exception it raised (its own changes taken back), and for each share the ids the pool
    holds or the refusal that left it unwritten.

    A refusal is found before its request writes anything, so it takes nothing else
    down; a fault of the database fails them all (raised), and none is answered until
    the commit is done. A batch of shares alone is sent again once when the connection
    had dropped (sending again changes nothing); one with jobs is not (a join made twice
    would be two members).
    """

    def run() -> tuple[list[Any], list[list[str] | Refused]]:
        with write(engine) as connection, batch(connection):
            done = [_attempt(connection, job) for job in jobs]
            return done, _share_batch(connection, shares)

    return run() if jobs else _once_more_if_disconnected(run)


def _attempt(connection: Connection, job: Callable[[], T]) -> T | Exception:
    """``job`` in a savepoint of its own: when it fails, everything it wrote is taken back."""
    try:
        with connection.begin_nested():
            return job()
    except Exception as exc:
        return exc


def _share_batch(connection: Connection, requests: Sequence[Share]) -> list[list[str] | Refused]:
    answers: list[list[str] | Refused] = []
    totals: dict[int, tuple[int, dict[str, int]]] = {}  # pool -> (a member, deltas)
    for request in requests:
        try:
            ids, pool_id, member, deltas = _store_events(
                connection, request.slug, request.member_id, request.token, request.rows
            )
        except Refused as refusal:
            answers.append(refusal)
            continue
        add(totals.setdefault(pool_id, (member, {}))[1], deltas)
        answers.append(ids)
    # the counters once a pool, in pool order: fewer statements, no lock-order cycles
    for pool_id, (member, deltas) in sorted(totals.items()):
        _bump(connection, pool_id, member, deltas)
    return answers


def share_in(
    connection: Connection,
    slug: str,
    member_id: str,
    token: str,
    rows: Sequence[Mapping[str, Any]],
) -> list[str]:
    """``share`` inside the caller's transaction (Refused before anything is written)."""
    ids, pool_id, member, deltas = _store_events(connection, slug, member_id, token, rows)
    _bump(connection, pool_id, member, deltas)
    return ids


def _store_events(
    connection: Connection,
    slug: str,
    member_id: str,
    token: str,
    rows: Sequence[Mapping[str, Any]],
) -> tuple[list[str], int, int, dict[str, int]]:
    """Check the member and store its events: (ids the pool holds, pool's row id, member's
    row id, what the counters must move by). Refused before anything is written."""
    # the pool and the member in one round trip; the slower path names what is wrong
    found = connection.execute(_MEMBER, {"slug": slug, "member": member_id}).mappings().first()
    if found is None:
        _pool(connection, slug)  # 404: no such pool
        raise Refused(404, "no such member in this pool")
    _check(token, found["token_hash"], "member token")
    if found["state"] != "active":
        raise Refused(
            403,
            f"this member {'was revoked' if found['state'] == 'revoked' else 'has left the pool'}",
        )
    member, pool = found, {"id": found["pool"]}
    latest = {row["event_id"]: row for row in rows}  # the last of twins in one batch wins
    if not latest:
        return [], pool["id"], member["id"], {}
    inserted = _insert_events(connection, member["id"], list(latest.values()))
    deltas: dict[str, int] = {}
    for event_id in inserted:
        add(deltas, contribution(latest[event_id]))
    known = [i for i in latest if i not in inserted]
    if known:
        old_rows = (
            connection.execute(
                select(events)
                .where(events.c.member_id == member["id"], events.c.event_id.in_(known))
                .with_for_update()
            )
            .mappings()
            .all()
        )
        for old in old_rows:
            new = latest[old["event_id"]]
            if all(old[c] == new[c] for c in EVENT_COLUMNS):
                continue
            add(deltas, contribution(dict(old)), -1)
            add(deltas, contribution(new))
            connection.execute(
                update(events)
                .where(events.c.id == old["id"])
                .values({c: new[c] for c in EVENT_COLUMNS})
            )
    return list(latest), pool["id"], member["id"], deltas


def _insert_events(connection: Connection, member: int, rows: list[Mapping[str, Any]]) -> set[str]:
    """Store the rows that are new for ``member``; the ids of those (the others were known)."""
    if _postgres(connection):
        columns = {name: [row[name] for row in rows] for name in ("event_id", *EVENT_COLUMNS)}
        result = connection.execute(_PG_EVENTS, {"member": member, **columns})
        return {r[0] for r in result}
    # SQLite: its writes take turns (BEGIN IMMEDIATE), so the ids known before the insert
    # are still the only ones; the rows go straight to the driver (executemany), dates in
    # the ISO form SQLAlchemy stores them in.
    ids = [row["event_id"] for row in rows]
    marks = ", ".join("?" * len(ids))
    known = {
        r[0]
        for r in connection.exec_driver_sql(
            f"SELECT event_id FROM events WHERE member_id = ? AND event_id IN ({marks})",
            (member, *ids),
        )
    }
    fresh = [row for row in rows if row["event_id"] not in known]
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
                for row in fresh
            ],
        )
    return {row["event_id"] for row in fresh}


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
    engine: Engine, slug: str, member_id: str, secret: str, erase: bool, today: date | None = None
) -> str:
    """Take a member out of the pool: "left" when ``secret`` is its own token, "revoked"
    when it is the organiser key (the member's token then stops working). With
    ``erase`` everything the member shared is deleted and uncounted."""
    today = today or datetime.now(UTC).date()
    with write(engine) as connection:
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


def read_pool(engine: Engine, slug: str) -> tuple[RowMapping, dict[str, int]]:
    """The pool's row and its counters (name -> value): all the stats and the page need."""
    return _once_more_if_disconnected(lambda: _read_pool(engine, slug))


def _read_pool(engine: Engine, slug: str) -> tuple[RowMapping, dict[str, int]]:
    with engine.connect() as connection:
        pool = _pool(connection, slug)
        rows = connection.execute(
            select(counters.c.name, func.sum(counters.c.value))
            .where(counters.c.pool_id == pool["id"])
            .group_by(counters.c.name)
        ).all()
    return pool, {name: int(value) for name, value in rows}
