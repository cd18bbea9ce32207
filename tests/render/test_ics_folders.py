"""Calendar identities across data folders and over time: two folders never share a
UID, and an event that stops applying goes out CANCELLED with a higher SEQUENCE
(checked with icalendar, and with khal when it is installed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from clikit import DATA
from icalendar import Calendar

from paperwork.cli.main import main


@pytest.fixture(autouse=True)
def _late_today(monkeypatch):
    """These timelines run past today: the clock stands at the end of 2027, so the
    letters and replies they record are in the past (none may be in the future)."""
    monkeypatch.setenv("PAPERWORK_TODAY", "2027-12-31")


@pytest.fixture
def run_in(capsys):
    def run(folder: Path, *args: str) -> str:
        try:
            main(["--home", str(folder), *args])
        except SystemExit as exc:
            out, err = capsys.readouterr()
            assert exc.code == 0, err
            return out
        raise AssertionError("main() did not exit")  # pragma: no cover

    return run


def _sent_case(run_in, folder: Path) -> None:
    """The GB case with its complaint posted Fri 18 Dec 2026: reply due 5 Jan, follow-up 6 Jan."""
    run_in(folder, "case", "new", "--from", str(DATA / "case_gb.toml"), "--on", "2026-12-18")
    run_in(folder, "letter", "draft", "1", "--kind", "complaint", "--on", "2026-12-18", "--window", "14d")  # fmt: skip
    run_in(folder, "letter", "sent", "1", "--on", "2026-12-18", "--via", "first_class")


def _export(run_in, folder: Path, out: Path, on: str) -> dict[str, object]:
    run_in(folder, "calendar", "--out", str(out), "--on", on)
    return {str(e["UID"]): e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}


def _kind(uid: str) -> str:
    return uid.split(".")[0]  # "deadline-1", "next-1-follow_up"


def test_two_data_folders_give_distinct_uids_stable_across_exports(run_in, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    _sent_case(run_in, first)
    _sent_case(run_in, second)  # the same ids (case 1, letter 1) in both folders
    a = _export(run_in, first, tmp_path / "a.ics", "2026-12-20")
    b = _export(run_in, second, tmp_path / "b.ics", "2026-12-20")
    assert sorted(map(_kind, a)) == sorted(map(_kind, b)) == ["deadline-1", "next-1-follow_up"]
    assert not set(a) & set(b)
    again = _export(run_in, first, tmp_path / "a2.ics", "2026-12-21")
    assert set(again) == set(a)
    assert (tmp_path / "a.ics").read_bytes().replace(b"20261220", b"") == (
        tmp_path / "a2.ics"
    ).read_bytes().replace(b"20261221", b"")


def test_after_a_reply_the_reminder_is_cancelled_with_a_higher_sequence(run_in, tmp_path):
    home = tmp_path / "home"
    _sent_case(run_in, home)
    before = _export(run_in, home, tmp_path / "before.ics", "2026-12-20")
    nxt = next(uid for uid in before if _kind(uid) == "next-1-follow_up")
    assert (str(before[nxt]["STATUS"]), int(before[nxt]["SEQUENCE"])) == ("CONFIRMED", 0)

    run_in(home, "log", "response", "1", "--on", "2026-12-30", "--summary", "Looking into it.")
    after = _export(run_in, home, tmp_path / "after.ics", "2026-12-31")
    assert set(after) == set(before)
    event = after[nxt]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == int(before[nxt]["SEQUENCE"]) + 1
    assert event.walk("VALARM") == []
    assert event.decoded("DTSTART") == date(2027, 1, 6)
    # Exported again: the same sequence (nothing changed since).
    assert int(_export(run_in, home, tmp_path / "x.ics", "2027-01-02")[nxt]["SEQUENCE"]) == 1
    # Once its day has passed it is no longer sent at all.
    assert nxt not in _export(run_in, home, tmp_path / "later.ics", "2027-01-07")


def _khal() -> list[str] | None:
    beside = Path(sys.executable).parent / "khal"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("khal")
    return [found] if found else None


@pytest.mark.skipif(_khal() is None, reason="khal is not installed (pip install khal)")
def test_khal_imports_two_folders_and_the_cancellation(run_in, tmp_path):
    vdir = tmp_path / "vdir" / "deadlines"
    vdir.mkdir(parents=True)
    config = tmp_path / "khal.conf"
    config.write_text(
        "[calendars]\n[[deadlines]]\n"
        f"path = {vdir}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "[default]\ndefault_calendar = deadlines\n"
        f"[sqlite]\npath = {tmp_path / 'khal.db'}\n"
    )
    khal = [*_khal(), "-c", str(config)]  # type: ignore[misc]

    def khal_import(path: Path) -> None:
        subprocess.run([*khal, "import", "--batch", "-a", "deadlines", str(path)], check=True, capture_output=True, timeout=120)  # fmt: skip

    def khal_list() -> dict[str, str]:
        done = subprocess.run(
            [*khal, "list", "--format", "{uid}|{status}", "2027-01-01", "2027-01-31"],
            check=True, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        return {
            uid: status.strip()
            for uid, status in (line.split("|") for line in done.stdout.splitlines() if "|" in line)
        }

    first, second = tmp_path / "first", tmp_path / "second"
    _sent_case(run_in, first)
    _sent_case(run_in, second)
    a = _export(run_in, first, tmp_path / "a.ics", "2026-12-20")
    b = _export(run_in, second, tmp_path / "b.ics", "2026-12-20")
    khal_import(tmp_path / "a.ics")
    khal_import(tmp_path / "b.ics")
    listed = khal_list()
    assert set(listed) == set(a) | set(b) and len(listed) == 4  # nothing overwritten
    assert set(listed.values()) == {"CONFIRMED"}

    run_in(first, "log", "response", "1", "--on", "2026-12-30", "--summary", "Looking into it.")
    _export(run_in, first, tmp_path / "a2.ics", "2026-12-31")
    khal_import(tmp_path / "a2.ics")
    listed = khal_list()
    assert len(listed) == 4
    assert {uid: status for uid, status in listed.items() if uid in a} == dict.fromkeys(
        a, "CANCELLED"
    )
    assert {uid: status for uid, status in listed.items() if uid in b} == dict.fromkeys(
        b, "CONFIRMED"
    )
