"""Stores from earlier schema versions open, are upgraded after a backup copy,
and a failed, refused or raced upgrade leaves the store as it was.

Fixtures (tests/hostile/data, rebuilt only on purpose by make_fixtures.py):
``store_v0_empty.db`` (an empty file, user_version 0) and ``store_v1.db`` (made
by the last code with schema 1).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from hostile_helpers import DATA

from paperwork.store import database as store_module
from paperwork.store.database import DB_NAME, MIGRATIONS, Store

CURRENT = len(MIGRATIONS)


def _install(fixture: str, home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o700)
    target = home / DB_NAME
    shutil.copyfile(DATA / fixture, target)
    os.chmod(target, 0o600)
    return target


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _rows(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT id, data FROM {table} ORDER BY id").fetchall()
            for table in ("cases", "letters", "events")
        } | {"settings": conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall()}
    finally:
        conn.close()


def test_the_fixtures_are_what_they_claim():
    assert (DATA / "store_v0_empty.db").read_bytes() == b""
    assert _version(DATA / "store_v1.db") == 1
    assert CURRENT >= 1


def test_an_empty_version_0_file_opens_and_is_upgraded(run_cli, home):
    db = _install("store_v0_empty.db", home)
    code, out, err = run_cli("case", "list")
    assert code == 0, err
    assert "No cases" in out
    assert _version(db) == CURRENT
    assert list(home.glob(f"{DB_NAME}.v*.bak")) == []  # nothing to back up in an empty file


def test_a_version_1_store_opens_upgrades_and_keeps_everything(run_cli, home, tmp_path):
    db = _install("store_v1.db", home)
    original = _rows(db)
    code, out, err = run_cli("case", "show", "1", "--json", "--on", "2026-11-26")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["title"] == "Stored by schema 1"
    assert [letter["kind"] for letter in shown["letters"]] == ["complaint"]
    assert shown["letters"][0]["tracking"] == "9400100000001234"
    assert len(shown["events"]) == 2
    assert _version(db) == CURRENT
    if CURRENT > 1:
        backup = home / f"{DB_NAME}.v1.bak"
        assert backup.is_file(), "no backup copy before the upgrade"
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        assert _version(backup) == 1
        assert _rows(backup) == original
    # the upgraded store works end to end
    code, out, err = run_cli("due", "--on", "2026-11-26", "--json")
    assert code == 0, err
    assert [row["kind"] for row in json.loads(out)] == ["follow_up"]
    code, out, err = run_cli("reissue", "--on", "2026-11-26", "--out", str(tmp_path / "out"))
    assert code == 0, err
    code, out, err = run_cli("export", "--out", str(tmp_path / "export.json"))
    assert code == 0, err


def test_opening_twice_does_not_back_up_or_migrate_again(run_cli, home):
    db = _install("store_v1.db", home)
    assert run_cli("case", "list")[0] == 0
    backups = {p: p.stat().st_mtime_ns for p in home.glob(f"{DB_NAME}.v*.bak")}
    assert run_cli("case", "list")[0] == 0
    assert {p: p.stat().st_mtime_ns for p in home.glob(f"{DB_NAME}.v*.bak")} == backups
    assert _version(db) == CURRENT


def test_a_store_from_a_newer_paperwork_is_refused_and_left_alone(run_cli, home):
    db = _install("store_v1.db", home)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {CURRENT + 5}")
    conn.close()
    before = db.read_bytes()
    code, _out, err = run_cli("case", "list")
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "newer" in err
    assert db.read_bytes() == before


def test_a_failing_migration_rolls_back_and_keeps_the_backup(home, monkeypatch):
    db = _install("store_v1.db", home)
    original = _rows(db)
    broken = (*MIGRATIONS[:1], "CREATE TABLE half_done (x INTEGER); CREATE TABLE broken (")
    monkeypatch.setattr(store_module, "MIGRATIONS", broken)
    with pytest.raises(Exception):  # noqa: B017 - any error; what matters is the state after
        Store.open(home)
    monkeypatch.undo()
    assert _version(db) == 1
    assert _rows(db) == original
    conn = sqlite3.connect(db)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert "half_done" not in tables, "a migration must be all or nothing"
    assert (home / f"{DB_NAME}.v1.bak").is_file()


@pytest.mark.skipif(CURRENT < 2, reason="needs a migration after schema 1")
def test_two_processes_upgrading_at_once_do_not_run_a_migration_twice(home, monkeypatch):
    """The TUI and a cron `reissue` may both open an old store right after an
    upgrade. Both read user_version 1; the second must not run migration 2 again
    once it gets the write lock (ALTER TABLE ... ADD COLUMN would fail twice)."""
    _install("store_v1.db", home)
    real_backup = Store._backup
    raced = {"done": False}

    def backup_then_let_the_other_process_win(self, version):
        path = real_backup(self, version)
        if not raced["done"]:
            raced["done"] = True
            other = Store.open(home)  # the other process: reads version 1 and upgrades first
            other.close()
        return path

    monkeypatch.setattr(Store, "_backup", backup_then_let_the_other_process_win)
    opened = Store.open(home)  # this one read version 1 before the other upgraded
    try:
        assert opened.conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT
        assert len(opened.cases()) == 1
    finally:
        opened.close()
