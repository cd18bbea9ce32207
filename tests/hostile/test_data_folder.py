"""Findings 9 and 10a: a read-only data folder still serves reads and refuses writes
plainly; a full disk is reported; --home adopts only an empty or Paperwork folder."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import uuid
from pathlib import Path

import pytest
from hostile_helpers import assert_clean_refusal, base_case, run_paperwork, write_case

READS = [
    ("case", "list"),
    ("case", "show", "1"),
    ("case", "show", "1", "--json"),
    ("due", "--on", "2026-12-30"),
    ("letter", "show", "1"),
    ("kinds",),
    ("locate",),
    ("stats",),
]
WRITES = [
    ("case", "new", "--from", "CASE"),
    ("letter", "draft", "1", "--kind", "complaint", "--on", "2026-11-22"),
    ("letter", "sent", "2", "--on", "2026-11-23", "--via", "post"),
    ("log", "call", "1", "--on", "2026-11-23", "--waited", "5", "--duration", "3"),
    ("config", "set", "lang", "de"),
]


def _mount(*args: str) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    return done.returncode == 0


@contextlib.contextmanager
def small_tmpfs(path: Path, size: str):
    path.mkdir(parents=True, exist_ok=True)
    if not _mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)):
        pytest.skip("cannot mount a tmpfs here (not root, or mount not permitted)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _populate(home: Path, cases_dir: Path) -> Path:
    case = write_case(cases_dir, base_case())
    for args in (
        ("case", "new", "--from", str(case)),
        ("letter", "draft", "1", "--kind", "complaint", "--on", "2026-11-20"),
        ("letter", "sent", "1", "--on", "2026-11-21", "--via", "certified"),
        ("letter", "draft", "1", "--kind", "complaint", "--on", "2026-11-21"),
    ):
        done = run_paperwork(home, *args)
        assert done.returncode == 0, (args, done.stderr)
    return case


def _check_read_only(home: Path, case: Path) -> None:
    for args in READS:
        done = run_paperwork(home, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
    for args in WRITES:
        args = tuple(str(case) if a == "CASE" else a for a in args)
        done = run_paperwork(home, *args)
        assert_clean_refusal(done.returncode, done.stdout, done.stderr)
        assert "read-only" in done.stderr, (args, done.stderr)


def test_read_only_mount_serves_reads_and_refuses_writes(tmp_path):
    with small_tmpfs(tmp_path / "mnt", "4m") as mnt:
        home = mnt / "home"
        case = _populate(home, tmp_path / "in")
        before = {p: p.stat().st_mtime_ns for p in home.rglob("*")}
        if not _mount("-o", "remount,ro", str(mnt)):
            pytest.skip("cannot remount read-only here")
        _check_read_only(home, case)
        assert {p: p.stat().st_mtime_ns for p in home.rglob("*")} == before


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root ignores permission bits (the mount test covers it)"
)
def test_read_only_by_permissions(tmp_path):
    home = tmp_path / "home"
    case = _populate(home, tmp_path / "in")
    home.chmod(0o500)
    (home / "paperwork.db").chmod(0o400)
    try:
        _check_read_only(home, case)
    finally:
        home.chmod(0o700)


def test_full_disk_is_reported_and_nothing_is_half_written(tmp_path):
    with small_tmpfs(tmp_path / "mnt", "1m") as mnt:
        home = mnt / "home"
        _populate(home, tmp_path / "in")
        filler = mnt / "filler"
        with contextlib.suppress(OSError), open(filler, "wb") as handle:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        big = tmp_path / "in" / "bill.pdf"
        from pypdf import PdfWriter

        writer = PdfWriter()
        for _ in range(40):
            writer.add_blank_page(612, 792)
        writer.add_metadata({"/Title": uuid.uuid4().hex * 2000})
        with open(big, "wb") as handle:
            writer.write(handle)
        for args in (
            ("evidence", "add", "1", str(big)),
            ("letter", "render", "2", "--out", str(mnt / "out")),
            ("export", "--out", str(mnt / "all.zip")),
        ):
            done = run_paperwork(home, *args)
            assert done.returncode == 2, (args, done.stdout, done.stderr)
            assert "Traceback" not in done.stderr and "unexpected" not in done.stderr
            assert "full" in done.stderr, done.stderr
        assert not list(mnt.rglob("*.part"))
        filler.unlink()
        assert run_paperwork(home, "case", "show", "1").returncode == 0


def test_home_refuses_a_foreign_folder_untouched(tmp_path):
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"not mine")
    foreign.chmod(0o755)
    case = write_case(tmp_path / "in", base_case())
    done = run_paperwork(foreign, "case", "new", "--from", str(case))
    assert_clean_refusal(done.returncode, done.stdout, done.stderr)
    assert "holiday.jpg" in done.stderr
    assert stat.S_IMODE(foreign.stat().st_mode) == 0o755
    assert sorted(p.name for p in foreign.iterdir()) == ["holiday.jpg"]


def test_home_adopts_an_empty_or_own_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    case = write_case(tmp_path / "in", base_case())
    done = run_paperwork(empty, "case", "new", "--from", str(case))
    assert done.returncode == 0, done.stderr
    again = run_paperwork(empty, "case", "new", "--from", str(case))
    assert again.returncode == 0, again.stderr
