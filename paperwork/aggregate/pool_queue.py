"""The local side of the pool: memberships, the outbox and the last figures, in pool.sqlite.

One SQLite file in the data folder (stdlib sqlite3, WAL), apart from the main
store so a pool never touches a case's data. It holds what Paperwork must keep
between runs to share safely:

- ``memberships``: per case, the server, pool, member id and member token, and
  the case's random salt for event ids;
- ``organisers``: the organiser key of each pool this person created;
- ``outbox``: events waiting for the server. An event leaves the outbox only in
  the transaction that records the server's acknowledgement of its id, so a
  crash or a lost answer means it is sent again, and the server counts it once;
- ``sent``: a digest of each event the server acknowledged, so ``share`` queues
  only what is new or changed;
- ``stats``: the last figures fetched, with the time they were fetched ("as of");
- ``leaves``: a leave (and erase) made while the server did not answer, kept with the
  member's secret until the server has it; the membership itself is already gone.

A membership's ``revoked`` is 0 while it is active, 1 once the server said the
organiser revoked it, and 2 once the person was told so (told once, never again).

The file (and its WAL companions) is created 0600: it holds secrets.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_NAME = "pool.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS memberships (
    case_id INTEGER PRIMARY KEY,
    server TEXT NOT NULL, pool TEXT NOT NULL, member_id TEXT NOT NULL,
    token TEXT NOT NULL, salt TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS organisers (
    server TEXT NOT NULL, pool TEXT NOT NULL, organiser_key TEXT NOT NULL,
    invite TEXT NOT NULL, PRIMARY KEY (server, pool)
);
CREATE TABLE IF NOT EXISTS outbox (
    case_id INTEGER NOT NULL, event_id TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (case_id, event_id)
);
CREATE TABLE IF NOT EXISTS sent (
    case_id INTEGER NOT NULL, event_id TEXT NOT NULL, digest TEXT NOT NULL,
    PRIMARY KEY (case_id, event_id)
);
CREATE TABLE IF NOT EXISTS stats (
    case_id INTEGER PRIMARY KEY, body TEXT NOT NULL, fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS leaves (
    server TEXT NOT NULL, pool TEXT NOT NULL, member_id TEXT NOT NULL,
    token TEXT NOT NULL, erase INTEGER NOT NULL, PRIMARY KEY (server, pool, member_id)
);
"""


@dataclass(frozen=True)
class Membership:
    """A case's place in a pool. ``token`` is the member's secret."""

    case_id: int
    server: str
    pool: str
    member_id: str
    token: str
    salt: str
    revoked: bool = False


@dataclass(frozen=True)
class PendingLeave:
    """A leave the server has not had yet (the case's membership is already forgotten)."""

    server: str
    pool: str
    member_id: str
    token: str
    erase: bool


def _membership(row: tuple[Any, ...]) -> Membership:
    case_id, server, pool, member_id, token, salt, revoked = row
    return Membership(case_id, server, pool, member_id, token, salt, bool(revoked))


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def _body(event: dict[str, Any]) -> str:
    return json.dumps(event, sort_keys=True, separators=(",", ":"))


def _private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it is missing, whatever the umask."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class PoolQueue:
    """pool.sqlite in ``folder`` (the user's data folder). Each method is one transaction."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.path = self.folder / FILE_NAME
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            for name in (FILE_NAME, FILE_NAME + "-wal", FILE_NAME + "-shm"):
                _private_file(self.folder / name)
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(_SCHEMA)
            self._db = db
        return self._db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        """Close the file (the queue opens it again when next used)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    # memberships ---------------------------------------------------------------

    def join(self, case_id: int, server: str, pool: str, member_id: str, token: str) -> Membership:
        """Record that ``case_id`` joined ``pool``; a fresh salt is made for its event ids."""
        salt = str(uuid.uuid4())
        with self._transaction() as db:
            for table in ("sent", "outbox", "stats"):  # what was for another pool
                db.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
            db.execute(
                "INSERT OR REPLACE INTO memberships VALUES (?, ?, ?, ?, ?, ?, 0)",
                (case_id, server, pool, member_id, token, salt),
            )
        return Membership(case_id, server, pool, member_id, token, salt)

    def membership(self, case_id: int) -> Membership | None:
        """The case's membership, or None when it is in no pool."""
        row = (
            self._connect()
            .execute(
                "SELECT case_id, server, pool, member_id, token, salt, revoked FROM memberships"
                " WHERE case_id = ?",
                (case_id,),
            )
            .fetchone()
        )
        return _membership(row) if row else None

    def memberships(self) -> list[Membership]:
        """Every case's membership, by case id."""
        rows = self._connect().execute(
            "SELECT case_id, server, pool, member_id, token, salt, revoked FROM memberships"
            " ORDER BY case_id"
        )
        return [_membership(row) for row in rows]

    def mark_revoked(self, case_id: int) -> None:
        """The server said this member was revoked: stop sending for the case, drop its outbox."""
        with self._transaction() as db:
            db.execute(
                "UPDATE memberships SET revoked = 1 WHERE case_id = ? AND revoked = 0", (case_id,)
            )
            db.execute("DELETE FROM outbox WHERE case_id = ?", (case_id,))

    def untold_revocations(self) -> list[int]:
        """The cases whose revocation the person has not been told of yet."""
        rows = self._connect().execute(
            "SELECT case_id FROM memberships WHERE revoked = 1 ORDER BY case_id"
        )
        return [case_id for (case_id,) in rows]

    def mark_told(self, case_ids: Iterable[int]) -> None:
        """The person has been told that these cases were revoked."""
        with self._transaction() as db:
            for case_id in case_ids:
                db.execute(
                    "UPDATE memberships SET revoked = 2 WHERE case_id = ? AND revoked = 1",
                    (case_id,),
                )

    def queue_leave(self, member: Membership, erase: bool) -> None:
        """Forget the case's membership here now, and keep the leave until the server has it."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO leaves VALUES (?, ?, ?, ?, ?)",
                (member.server, member.pool, member.member_id, member.token, int(erase)),
            )
            for table in ("memberships", "outbox", "sent", "stats"):
                db.execute(f"DELETE FROM {table} WHERE case_id = ?", (member.case_id,))

    def pending_leaves(self) -> list[PendingLeave]:
        """The leaves waiting for the server, oldest member id first."""
        rows = self._connect().execute(
            "SELECT server, pool, member_id, token, erase FROM leaves ORDER BY server, pool, member_id"
        )
        return [PendingLeave(s, p, m, t, bool(e)) for s, p, m, t, e in rows]

    def leave_delivered(self, leave: PendingLeave) -> None:
        """The server has the leave (or the member was already gone): drop it and its secret."""
        with self._transaction() as db:
            db.execute(
                "DELETE FROM leaves WHERE server = ? AND pool = ? AND member_id = ?",
                (leave.server, leave.pool, leave.member_id),
            )

    def forget(self, case_id: int) -> None:
        """Drop the case's membership, outbox, digests and figures (after leaving)."""
        with self._transaction() as db:
            for table in ("memberships", "outbox", "sent", "stats"):
                db.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))

    def save_organiser(self, server: str, pool: str, key: str, invite: str) -> None:
        """Keep the organiser key of a pool this person created (and its first invite)."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO organisers VALUES (?, ?, ?, ?)", (server, pool, key, invite)
            )

    def organiser_key(self, server: str, pool: str) -> str | None:
        """The organiser key kept for ``pool`` on ``server``, if this person created it."""
        row = (
            self._connect()
            .execute(
                "SELECT organiser_key FROM organisers WHERE server = ? AND pool = ?", (server, pool)
            )
            .fetchone()
        )
        return row[0] if row else None

    # outbox --------------------------------------------------------------------

    def enqueue(self, case_id: int, events: Iterable[dict[str, Any]]) -> int:
        """Queue the events that the server has not acknowledged in this very form; how many."""
        queued = 0
        with self._transaction() as db:
            row = db.execute(
                "SELECT revoked FROM memberships WHERE case_id = ?", (case_id,)
            ).fetchone()
            if row is not None and row[0]:  # revoked: nothing more goes to that pool
                return 0
            for event in events:
                body = _body(event)
                row = db.execute(
                    "SELECT digest FROM sent WHERE case_id = ? AND event_id = ?",
                    (case_id, event["id"]),
                ).fetchone()
                if row and row[0] == _digest(body):
                    continue
                db.execute(
                    "INSERT INTO outbox VALUES (?, ?, ?) ON CONFLICT (case_id, event_id)"
                    " DO UPDATE SET body = excluded.body",
                    (case_id, event["id"], body),
                )
                queued += 1
        return queued

    def pending(self, case_id: int, limit: int = 500) -> list[dict[str, Any]]:
        """Up to ``limit`` queued events of the case, in a stable order."""
        rows = self._connect().execute(
            "SELECT body FROM outbox WHERE case_id = ? ORDER BY event_id LIMIT ?", (case_id, limit)
        )
        return [json.loads(body) for (body,) in rows]

    def acknowledge(
        self, case_id: int, sent: Sequence[dict[str, Any]], accepted: Iterable[str]
    ) -> None:
        """The server holds ``accepted`` (ids among ``sent``): take them out of the outbox.

        An event queued again in a new form while it was on its way stays queued.
        """
        ids = set(accepted)
        with self._transaction() as db:
            for event in sent:
                if event["id"] not in ids:
                    continue
                body = _body(event)
                db.execute(
                    "DELETE FROM outbox WHERE case_id = ? AND event_id = ? AND body = ?",
                    (case_id, event["id"], body),
                )
                db.execute(
                    "INSERT OR REPLACE INTO sent VALUES (?, ?, ?)",
                    (case_id, event["id"], _digest(body)),
                )

    def waiting(self, case_id: int | None = None) -> int:
        """How many events wait in the outbox (for one case, or in all)."""
        db = self._connect()
        if case_id is None:
            return db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
        return db.execute("SELECT COUNT(*) FROM outbox WHERE case_id = ?", (case_id,)).fetchone()[0]

    # figures -------------------------------------------------------------------

    def save_stats(self, case_id: int, stats: dict[str, Any], fetched_at: str) -> None:
        """Keep the figures last fetched for the case's pool, with when they were fetched."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO stats VALUES (?, ?, ?)",
                (case_id, json.dumps(stats, sort_keys=True), fetched_at),
            )

    def stats(self, case_id: int) -> tuple[dict[str, Any], str] | None:
        """(figures, fetched at) last kept for the case, or None."""
        row = (
            self._connect()
            .execute("SELECT body, fetched_at FROM stats WHERE case_id = ?", (case_id,))
            .fetchone()
        )
        return (json.loads(row[0]), row[1]) if row else None
