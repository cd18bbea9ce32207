"""The SQLite store: one database file in the data folder.

Rows hold their domain object as JSON written and read through the marshmallow
schemas, with a few plain columns beside it for lookups. Every command runs in
one transaction (:meth:`Store.transaction`); schema changes are numbered
migrations, and the database is copied aside before one runs.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperwork.core import stored
from paperwork.core.errors import NotFound, UserError
from paperwork.core.i18n import _
from paperwork.core.model import Case, Event, Letter, Party
from paperwork.store.files import (
    KEPT_SUFFIXES,
    PRIVATE_FILE,
    atomic_write,
    ensure_private_dir,
    is_digest,
)
from paperwork.store.home import DB_NAME, check_home, folder_writable, read_only_message

if TYPE_CHECKING:
    from marshmallow import Schema

EXPORT_FORMAT = "paperwork-export"
EXPORT_VERSION = 1

# Each entry moves the schema from version N to N+1 (PRAGMA user_version).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        status TEXT NOT NULL,
        created_on TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE letters (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        sent_on TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX letters_case ON letters(case_id);
    CREATE INDEX letters_waiting ON letters(status, sent_on);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        on_date TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX events_case ON events(case_id, on_date);
    """,
    # 2: each case caches the day its next letter is due ('' = nothing scheduled,
    # NULL = unknown, recompute), so `due` reads only the cases that need it.
    """
    ALTER TABLE cases ADD COLUMN next_due TEXT;
    CREATE INDEX cases_next_due ON cases(status, next_due);
    """,
    # 3: the history of changes, for undo: each change keeps the rows it touched as
    # they were before (NULL: the row did not exist), so undo puts them back.
    """
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        made_at TEXT NOT NULL,
        label TEXT NOT NULL,
        rows TEXT NOT NULL
    );
    """,
)

# The rows undo can restore, by table, and the column that names a row.
UNDOABLE = {"cases": "id", "letters": "id", "events": "id", "settings": "key"}
# How many changes the history keeps (older ones can no longer be undone).
HISTORY_KEEP = 200


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _documents(rows: Iterable[tuple[str]]) -> list[Any]:
    """The JSON document of each row (its one ``data`` column), parsed as one array:
    half the time of a parse per row, which counts for a case with 600 lines."""
    documents: list[Any] = json.loads("[" + ",".join(row[0] for row in rows) + "]")
    return documents


class Store:
    """A Paperwork data folder: the database, kept files and logs."""

    def __init__(self, home: Path):
        self.home = home
        self.path = home / DB_NAME
        self._conn: sqlite3.Connection | None = None
        self.read_only = False
        # The rows the open transaction changed, as they were before it: (table, key) -> row.
        self._before: dict[tuple[str, Any], dict[str, Any] | None] | None = None
        self._label = ""

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, home: Path) -> Store:
        """Open (creating if needed) the store in ``home``, upgraded to the current schema.

        A folder that cannot be written (read-only mount, no permission) is opened
        read-only: reads work, and every write is refused with one plain line."""
        check_home(home)
        store = cls(home)
        if home.is_dir() and (home / DB_NAME).is_file() and not folder_writable(home):
            store.read_only = True
            store._connect_read_only()
            return store
        ensure_private_dir(home)
        store._connect()
        return store

    def _connect_read_only(self) -> None:
        # immutable: nothing can change a folder that cannot be written, and SQLite
        # then needs no -wal/-shm files beside the database
        uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise self._unreadable(exc) from None
        self._conn = conn
        if version != len(MIGRATIONS):
            raise UserError(read_only_message(self.home))

    def _unreadable(self, exc: Exception) -> UserError:
        return UserError(
            _(
                "{path}: the database cannot be read ({exc}); it was left as it is. Restore a backup or move it aside to start a new one."
            ).format(path=self.path, exc=exc)
        )

    def refuse_if_read_only(self) -> None:
        """A plain refusal before any write to a folder that cannot be written."""
        if self.read_only:
            raise UserError(read_only_message(self.home))

    def _connect(self) -> None:
        new = not self.path.exists()
        if new:
            # create the file 0600 before SQLite does, whatever the umask
            fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
            os.close(fd)
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 30000")
            # Read the version before anything writes to the file, so a store from a
            # newer Paperwork is refused untouched.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version <= len(MIGRATIONS):
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise self._unreadable(exc) from None
        self._conn = conn
        if version > len(MIGRATIONS):
            raise UserError(
                _(
                    "{path}: made by a newer Paperwork (schema {version}); upgrade Paperwork to open it."
                ).format(path=self.path, version=version)
            )
        if version < len(MIGRATIONS):
            if version > 0:
                self._backup(version)
            self._migrate(version)
        for extra in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + extra)
            if side.exists():
                os.chmod(side, PRIVATE_FILE)

    def _backup(self, version: int) -> Path:
        target = self.path.with_name(f"{DB_NAME}.v{version}.bak")
        fd = os.open(target, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)  # private from the start
        os.close(fd)
        dest = sqlite3.connect(target)
        try:
            assert self._conn is not None
            self._conn.backup(dest)
        finally:
            dest.close()
        os.chmod(target, PRIVATE_FILE)
        return target

    def _migrate(self, version: int) -> None:
        conn = self.conn
        for number in range(version, len(MIGRATIONS)):
            conn.execute("BEGIN IMMEDIATE")
            try:
                # another process may have upgraded while this one waited for the lock
                if conn.execute("PRAGMA user_version").fetchone()[0] > number:
                    conn.execute("COMMIT")
                    continue
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number + 1}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("store is closed")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def transaction(self, label: str = "") -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; retried politely if another process holds the lock.

        The rows it changes are kept as they were in the history, under ``label``
        (what the person did, in words), so :meth:`undo` can put them back."""
        self.refuse_if_read_only()
        conn = self.conn
        for attempt in range(50):
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(min(0.05 * (attempt + 1), 0.5))
        else:
            raise UserError(
                _("{path}: the database stayed locked by another Paperwork; try again.").format(
                    path=self.path
                )
            )
        self._before, self._label = {}, label
        try:
            yield conn
            self._write_history()
        except BaseException:
            self._before = None
            conn.execute("ROLLBACK")
            raise
        else:
            self._before = None
            conn.execute("COMMIT")

    # -- history and undo -----------------------------------------------------
    def _remember(self, table: str, key: Any) -> None:
        """Keep the row ``key`` of ``table`` as it is now, once per transaction."""
        if self._before is None or (table, key) in self._before:
            return
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE {UNDOABLE[table]} = ?", (key,))
        row = cur.fetchone()
        names = [c[0] for c in cur.description]
        self._before[(table, key)] = dict(zip(names, row, strict=True)) if row else None

    def _write_history(self) -> None:
        if not self._before:
            return
        rows = [
            {"table": table, "key": key, "before": before}
            for (table, key), before in self._before.items()
        ]
        label = self._label or _("a change to the {what}").format(what=rows[0]["table"])
        self.conn.execute(
            "INSERT INTO history(made_at, label, rows) VALUES (datetime('now'), ?, ?)",
            (label, _dumps(rows)),
        )
        self.conn.execute(
            "DELETE FROM history WHERE id <= (SELECT MAX(id) FROM history) - ?", (HISTORY_KEEP,)
        )

    def last_change(self) -> str | None:
        """What the last undoable change was, in words (None: nothing to undo)."""
        row = self.conn.execute("SELECT label FROM history ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def undo(self) -> str | None:
        """Put back the rows the last change touched; returns its label (None: nothing)."""
        with self.transaction():
            self._before = None  # undo itself is not a change to undo
            row = self.conn.execute(
                "SELECT id, label, rows FROM history ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            history_id, label, rows = row
            # Newest touch first: a letter added with its case goes before the case.
            for entry in reversed(json.loads(rows)):
                self._restore(entry["table"], entry["key"], entry["before"])
            self.conn.execute("DELETE FROM history WHERE id = ?", (history_id,))
            self.forget_schedule()
            return str(label)

    def _restore(self, table: str, key: Any, before: dict[str, Any] | None) -> None:
        column = UNDOABLE[table]
        if before is None:
            self.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (key,))
            return
        names = list(before)
        exists = self.conn.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", (key,)).fetchone()
        if exists:
            # UPDATE, not REPLACE: replacing a case would delete its letters by cascade.
            sets = ", ".join(f"{n} = ?" for n in names if n != column)
            values = [before[n] for n in names if n != column]
            self.conn.execute(f"UPDATE {table} SET {sets} WHERE {column} = ?", (*values, key))
        else:
            marks = ", ".join("?" * len(names))
            self.conn.execute(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
                [before[n] for n in names],
            )

    # -- folders -----------------------------------------------------------
    @property
    def files_dir(self) -> Path:
        return self.home / "files"

    @property
    def logs_dir(self) -> Path:
        from paperwork.store.config import locations

        return locations(self.home).logs

    @property
    def templates_dir(self) -> Path:
        return self.home / "templates"

    def keep_file(self, data: bytes, suffix: str) -> tuple[str, Path]:
        """Keep ``data`` content-addressed by SHA-256 in the files folder."""
        import hashlib

        self.refuse_if_read_only()
        digest = hashlib.sha256(data).hexdigest()
        ensure_private_dir(self.files_dir)
        path = self.files_dir / f"{digest}{suffix}"
        if not path.exists():
            atomic_write(path, data)
        return digest, path

    def kept_path(self, digest: str, suffix: str) -> Path | None:
        """The kept file named by ``digest``, or None when the name is not a digest
        (a crafted record must never point outside the files folder)."""
        if not is_digest(digest) or suffix not in KEPT_SUFFIXES.values():
            return None
        return self.files_dir / f"{digest}{suffix}"

    def kept_references(self) -> list[tuple[str, str]]:
        """Every kept file the records refer to, as (digest, suffix), sorted."""
        refs: set[tuple[str, str]] = set()
        for letter in self.letters():
            if is_digest(letter.pdf_sha256):
                refs.add((letter.pdf_sha256, ".pdf"))
        for event in self.events():
            ref = evidence_reference(event.data)
            if ref:
                refs.add(ref)
        return sorted(refs)

    # -- settings ----------------------------------------------------------
    def get_setting(self, key: str) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_setting(self, key: str, value: Any) -> None:
        self._remember("settings", key)
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, _dumps(value)),
        )

    def profile(self) -> Party | None:
        """The saved sender profile, if any."""
        data = self.get_setting("profile")
        return stored.party(data) if data else None

    def set_profile(self, party: Party) -> None:
        from paperwork.core.schema import PartySchema

        self.set_setting("profile", PartySchema().dump(party))

    # -- cases -------------------------------------------------------------
    def add_case(self, case: Case, today: date) -> int:
        cur = self.conn.execute(
            "INSERT INTO cases(title, status, created_on, data) VALUES (?, ?, ?, '{}')",
            (case.title, case.status, today.isoformat()),
        )
        case.id = _row_id(cur)
        if self._before is not None:
            self._before.setdefault(("cases", case.id), None)
        case.created_on = today
        self.save_case(case)
        return case.id

    def save_case(self, case: Case) -> None:
        from paperwork.core.schema import StoredCaseSchema

        self._remember("cases", case.id)
        data = StoredCaseSchema().dump(case)
        self.conn.execute(
            "UPDATE cases SET title = ?, status = ?, data = ?, next_due = NULL WHERE id = ?",
            (case.title, case.status, _dumps(data), case.id),
        )

    def forget_schedule(self, case_id: int | None = None) -> None:
        """Mark a case's (or every case's) cached next-due day as unknown."""
        if case_id is None:
            self.conn.execute("UPDATE cases SET next_due = NULL")
        else:
            self.conn.execute("UPDATE cases SET next_due = NULL WHERE id = ?", (case_id,))

    def set_next_due(self, case_id: int, day: date | None) -> None:
        """Cache the day a case's next letter is due (None: nothing scheduled)."""
        self.conn.execute(
            "UPDATE cases SET next_due = ? WHERE id = ?", (day.isoformat() if day else "", case_id)
        )

    def schedule_candidates(self, until: date) -> list[int]:
        """Open cases whose next letter is due by ``until``, or not yet known."""
        # Only cases that can have a step: something sent, or a promotion or
        # contract end date (the two tracks of schedule.plan_case).
        rows = self.conn.execute(
            "SELECT c.id FROM cases AS c WHERE c.status = 'open'"
            " AND (c.next_due IS NULL OR (c.next_due <> '' AND c.next_due <= ?))"
            " AND (EXISTS (SELECT 1 FROM letters AS l WHERE l.case_id = c.id AND l.sent_on IS NOT NULL)"
            "      OR json_extract(c.data, '$.promo_ends') IS NOT NULL"
            "      OR json_extract(c.data, '$.contract_ends') IS NOT NULL)"
            " ORDER BY c.id",
            (until.isoformat(),),
        )
        return [r[0] for r in rows]

    def case(self, case_id: int) -> Case:
        row = self.conn.execute("SELECT data FROM cases WHERE id = ?", (case_id,)).fetchone()
        if not row:
            raise NotFound(
                _("no case with id {case_id}; 'paperwork case list' shows the cases.").format(
                    case_id=case_id
                )
            )
        return stored.case(json.loads(row[0]))

    def case_title(self, case_id: int) -> str:
        """A case's title alone (file names need no more than this)."""
        row = self.conn.execute("SELECT title FROM cases WHERE id = ?", (case_id,)).fetchone()
        if not row:
            raise NotFound(
                _("no case with id {case_id}; 'paperwork case list' shows the cases.").format(
                    case_id=case_id
                )
            )
        return str(row[0])

    def cases(self, statuses: tuple[str, ...] = ("open", "closed", "archived")) -> list[Case]:
        marks = ",".join("?" * len(statuses))
        rows = self.conn.execute(
            f"SELECT data FROM cases WHERE status IN ({marks}) ORDER BY id", statuses
        )
        return [stored.case(data) for data in _documents(rows)]

    # -- letters -----------------------------------------------------------
    def add_letter(self, letter: Letter) -> int:
        cur = self.conn.execute(
            "INSERT INTO letters(case_id, kind, status, sent_on, data) VALUES (?, ?, ?, ?, '{}')",
            (letter.case_id, letter.kind, letter.status, None),
        )
        letter.id = _row_id(cur)
        if self._before is not None:
            self._before.setdefault(("letters", letter.id), None)
        self.save_letter(letter)
        return letter.id

    def save_letter(self, letter: Letter) -> None:
        from paperwork.core.schema import LetterSchema

        self._remember("letters", letter.id)
        data = LetterSchema().dump(letter)
        self.conn.execute(
            "UPDATE letters SET kind = ?, status = ?, sent_on = ?, data = ? WHERE id = ?",
            (
                letter.kind,
                letter.status,
                letter.sent_on.isoformat() if letter.sent_on else None,
                _dumps(data),
                letter.id,
            ),
        )
        self.forget_schedule(letter.case_id)

    def letter(self, letter_id: int) -> Letter:
        row = self.conn.execute("SELECT data FROM letters WHERE id = ?", (letter_id,)).fetchone()
        if not row:
            raise NotFound(
                _(
                    "no letter with id {letter_id}; 'paperwork case show CASE' lists a case's letters."
                ).format(letter_id=letter_id)
            )
        return stored.letter(json.loads(row[0]))

    def letters(self, case_id: int | None = None) -> list[Letter]:
        if case_id is None:
            rows = self.conn.execute("SELECT data FROM letters ORDER BY id")
        else:
            rows = self.conn.execute(
                "SELECT data FROM letters WHERE case_id = ? ORDER BY id", (case_id,)
            )
        return [stored.letter(data) for data in _documents(rows)]

    def unsent_letters(self) -> list[Letter]:
        """Drafted letters of open cases that have not gone out yet, oldest first."""
        rows = self.conn.execute(
            "SELECT l.data FROM letters AS l JOIN cases AS c ON c.id = l.case_id"
            " WHERE l.status = 'draft' AND c.status = 'open' ORDER BY l.id"
        )
        return [stored.letter(data) for data in _documents(rows)]

    # -- events ------------------------------------------------------------
    def add_event(self, event: Event) -> int:
        cur = self.conn.execute(
            "INSERT INTO events(case_id, kind, on_date, data) VALUES (?, ?, ?, '{}')",
            (event.case_id, event.kind, event.on.isoformat()),
        )
        event.id = _row_id(cur)
        if self._before is not None:
            self._before.setdefault(("events", event.id), None)
        self.save_event(event)
        return event.id

    def save_event(self, event: Event) -> None:
        """Store a changed event (its day, its details)."""
        self._remember("events", event.id)
        from paperwork.core.schema import EventSchema

        self.conn.execute(
            "UPDATE events SET on_date = ?, data = ? WHERE id = ?",
            (event.on.isoformat(), _dumps(EventSchema().dump(event)), event.id),
        )
        self.forget_schedule(event.case_id)

    def event(self, event_id: int) -> Event:
        row = self.conn.execute("SELECT data FROM events WHERE id = ?", (event_id,)).fetchone()
        if not row:
            raise NotFound(
                _(
                    "no record with id {event_id}; 'paperwork case show CASE' lists a case's record."
                ).format(event_id=event_id)
            )
        return stored.event(json.loads(row[0]))

    def delete_event(self, event_id: int) -> None:
        event = self.event(event_id)
        self._remember("events", event_id)
        self.conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
        self.forget_schedule(event.case_id)

    def delete_letter(self, letter_id: int) -> None:
        letter = self.letter(letter_id)
        self._remember("letters", letter_id)
        self.conn.execute("DELETE FROM letters WHERE id = ?", (letter_id,))
        self.forget_schedule(letter.case_id)

    def events(self, case_id: int | None = None) -> list[Event]:
        if case_id is None:
            rows = self.conn.execute("SELECT data FROM events ORDER BY on_date, id")
        else:
            rows = self.conn.execute(
                "SELECT data FROM events WHERE case_id = ? ORDER BY on_date, id", (case_id,)
            )
        return [stored.event(data) for data in _documents(rows)]

    # -- export / import ---------------------------------------------------
    def export_document(self) -> dict[str, Any]:
        """The whole store as one JSON-ready document (stable order, stable keys)."""
        conn = self.conn
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "settings": {
                k: json.loads(v)
                for k, v in conn.execute("SELECT key, value FROM settings ORDER BY key")
            },
            "cases": [json.loads(r[0]) for r in conn.execute("SELECT data FROM cases ORDER BY id")],
            "letters": [
                json.loads(r[0]) for r in conn.execute("SELECT data FROM letters ORDER BY id")
            ],
            "events": [
                json.loads(r[0]) for r in conn.execute("SELECT data FROM events ORDER BY id")
            ],
        }

    def import_document(self, doc: Any, source: str) -> dict[str, int]:
        """Load an export into this (empty) store, validating every row first."""
        from paperwork.core.schema import EventSchema, LetterSchema, StoredCaseSchema

        if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
            raise UserError(
                _('is not a Paperwork export (no "format": "paperwork-export").'), source=source
            )
        if doc.get("version") != EXPORT_VERSION:
            raise UserError(
                _("export version {get!r} is not supported.").format(get=doc.get("version")),
                source=source,
            )
        if self.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]:
            raise UserError(
                _(
                    "{home}: this data folder already holds cases; import into an empty one (--home DIR)."
                ).format(home=self.home)
            )
        cases, letters, events, settings = check_document(doc, source)
        conn = self.conn
        for key, value in sorted(settings.items()):
            self.set_setting(key, value)
        try:
            for case in cases:
                conn.execute(
                    "INSERT INTO cases(id, title, status, created_on, data) VALUES (?, ?, ?, ?, ?)",
                    (
                        case.id,
                        case.title,
                        case.status,
                        case.created_on.isoformat(),
                        _dumps(StoredCaseSchema().dump(case)),
                    ),
                )
            for letter in letters:
                conn.execute(
                    "INSERT INTO letters(id, case_id, kind, status, sent_on, data) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        letter.id,
                        letter.case_id,
                        letter.kind,
                        letter.status,
                        letter.sent_on.isoformat() if letter.sent_on else None,
                        _dumps(LetterSchema().dump(letter)),
                    ),
                )
            for event in events:
                conn.execute(
                    "INSERT INTO events(id, case_id, kind, on_date, data) VALUES (?, ?, ?, ?, ?)",
                    (
                        event.id,
                        event.case_id,
                        event.kind,
                        event.on.isoformat(),
                        _dumps(EventSchema().dump(event)),
                    ),
                )
        except sqlite3.IntegrityError as exc:
            raise UserError(
                _("inconsistent export ({exc}).").format(exc=exc), source=source
            ) from None
        return {"cases": len(cases), "letters": len(letters), "events": len(events)}


def _row_id(cur: sqlite3.Cursor) -> int:
    """The id SQLite gave the row an INSERT just added."""
    assert cur.lastrowid is not None, "not after an INSERT"
    return cur.lastrowid


def evidence_reference(data: Any) -> tuple[str, str] | None:
    """The kept file an event's data names, as (digest, suffix), if it names one."""
    if not isinstance(data, dict) or "sha256" not in data:
        return None
    suffix = KEPT_SUFFIXES.get(str(data.get("media_type")))
    if not is_digest(data["sha256"]) or suffix is None:
        return None
    return data["sha256"], suffix


def check_document(
    doc: dict[str, Any], source: str
) -> tuple[list[Any], list[Any], list[Any], dict[str, Any]]:
    """Validate every row of an export (schemas, unique ids, file references) without
    touching the store: (cases, letters, events, settings), or UserError naming the field."""
    from paperwork.core.schema import EventSchema, LetterSchema, StoredCaseSchema

    problems: list[str] = []
    cases = _load_rows(StoredCaseSchema(), doc.get("cases", []), "cases", problems)
    letters = _load_rows(LetterSchema(), doc.get("letters", []), "letters", problems)
    events = _load_rows(EventSchema(), doc.get("events", []), "events", problems)
    settings = doc.get("settings", {})
    if not isinstance(settings, dict):
        problems.append("settings: must be an object.")
        settings = {}
    for name, rows in (("cases", cases), ("letters", letters), ("events", events)):
        seen: set[int] = set()
        for index, row in enumerate(rows):
            if row.id in seen:
                problems.append(
                    _("{name}.{index}.id: id {id} appears more than once.").format(
                        name=name, index=index, id=row.id
                    )
                )
            seen.add(row.id)
    for index, letter in enumerate(letters):
        if letter.pdf_sha256 and not is_digest(letter.pdf_sha256):
            problems.append(
                _(
                    "letters.{index}.pdf_sha256: must be a SHA-256 digest (64 characters 0-9, a-f) naming a kept file."
                ).format(index=index)
            )
    for index, event in enumerate(events):
        data = event.data
        if isinstance(data, dict) and "sha256" in data and evidence_reference(data) is None:
            field = "sha256" if not is_digest(data["sha256"]) else "media_type"
            problems.append(
                _(
                    "events.{index}.data.{field}: must name a kept file (a SHA-256 digest and a PDF, PNG or JPEG type)."
                ).format(index=index, field=field)
            )
    if problems:
        raise UserError(problems, source=source)
    return cases, letters, events, settings


def _load_rows(schema: Schema, rows: Any, name: str, problems: list[str]) -> list[Any]:
    from paperwork.core.schema import load_with

    if not isinstance(rows, list):
        problems.append(f"{name}: must be a list.")
        return []
    loaded = []
    for index, row in enumerate(rows):
        try:
            loaded.append(load_with(schema, row, f"{name}.{index}"))
        except UserError as exc:
            problems.extend(exc.problems)
    return loaded


def copy_store(src: Path, dest: Path) -> None:
    """Copy a store file (used by tests and backups)."""
    shutil.copy2(src, dest)
