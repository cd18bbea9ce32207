"""The pool server's tables (SQLAlchemy Core) and its engine.

Nothing personal is stored: pools are named by the company they press, members
by a random id, and events hold only the fields of docs/DESIGN.md §9. Tokens are kept as
SHA-256 hashes. ``counters`` holds the running totals that the stats and the page
read, so that neither ever scans the events (see counting.py). Each total is split
over ``SHARDS`` rows (a member writes to the shard of its id), so members sharing
at once do not queue for one hot row; a read adds the shards up.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

metadata = MetaData()


def _owned(*columns: Column) -> list[Column]:
    """A row that belongs to a pool: its own id, the pool's id, then ``columns``."""
    pool_id = Column("pool_id", Integer, ForeignKey("pools.id", ondelete="CASCADE"), nullable=False)
    return [Column("id", Integer, primary_key=True), pool_id, *columns]


pools = Table(
    "pools",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(32), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("company", String(200), nullable=False),
    Column("country", String(2), nullable=False),
    Column("category", String(40), nullable=False),
    Column("threshold", Integer, nullable=False),
    Column("organiser_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

invites = Table(
    "invites",
    metadata,
    *_owned(
        Column("token_hash", String(64), nullable=False, unique=True),
        Column("expires_at", DateTime(timezone=True), nullable=False),
        Column("revoked", Boolean, nullable=False, default=False),
    ),
)

members = Table(
    "members",
    metadata,
    *_owned(
        Column("public_id", String(40), nullable=False, unique=True),
        Column("token_hash", String(64), nullable=False, unique=True),
        # active -> left (by the member) or revoked (by the organiser)
        Column("state", String(10), nullable=False, default="active"),
        Column("joined_on", Date, nullable=False),
    ),
)

events = Table(
    "events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("type", String(16), nullable=False),
    Column("day", Date, nullable=True),
    Column("kind", String(40), nullable=True),
    Column("rung", Integer, nullable=True),
    Column("flag", Boolean, nullable=True),
    Column("count", Integer, nullable=True),
    Column("minutes", Integer, nullable=True),
    Column("band", String(16), nullable=True),
    UniqueConstraint("member_id", "event_id", name="uq_events_member_event"),
)

SHARDS = 16

counters = Table(
    "counters",
    metadata,
    Column("pool_id", Integer, ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(64), primary_key=True),
    Column("shard", SmallInteger, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

Index("ix_members_pool", members.c.pool_id)
Index("ix_invites_pool", invites.c.pool_id)


def sqlalchemy_url(db_url: str) -> str:
    """``postgresql://…`` as SQLAlchemy's psycopg 3 URL; other URLs as they are."""
    for prefix in ("postgresql://", "postgres://"):
        if db_url.startswith(prefix):
            return "postgresql+psycopg://" + db_url[len(prefix) :]
    return db_url


def make_engine(db_url: str, pool_size: int = 10) -> Engine:
    """An engine for ``db_url``: PostgreSQL through psycopg 3, or a SQLite file.

    SQLite writes take the database lock at BEGIN (``BEGIN IMMEDIATE``) so that two
    requests never deadlock upgrading a read lock, and run in WAL mode with a busy
    timeout, so concurrent members wait their turn instead of failing.
    """
    url = sqlalchemy_url(db_url)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_size=pool_size, max_overflow=pool_size)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    _WRITERS[engine] = threading.Lock()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the BEGIN below be ours
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_async_engine(db_url: str, pool_size: int = 10) -> AsyncEngine:
    """An engine for the server's event loop: PostgreSQL through psycopg 3's async
    connections (access.py says why)."""
    return create_async_engine(sqlalchemy_url(db_url), pool_size=pool_size, max_overflow=pool_size)


# SQLite lets one transaction write at a time. Left to SQLite, the others wait in its
# busy handler, which sleeps in growing steps (up to 100 ms) and so answers late under
# a burst; a lock in the process hands the turn over as soon as it is free. Other
# processes on the same file still wait in the busy handler.
_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """``engine.begin()`` for a transaction that writes: on SQLite, one at a time."""
    lock = _WRITERS.get(engine)
    if lock is None:
        with engine.begin() as connection:
            yield connection
        return
    with lock, engine.begin() as connection:
        yield connection
