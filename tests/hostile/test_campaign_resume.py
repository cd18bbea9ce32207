"""Finding 4: a campaign killed part-way says exactly what it did, keeps letters.csv
whole for what exists, and a rerun finishes the rest without a duplicate case."""

from __future__ import annotations

import contextlib
import csv
import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from hostile_helpers import (
    campaign_args,
    campaign_files,
    paperwork_cmd,
    run_paperwork,
    subprocess_env,
)

MEMBERS = 24


def _files(tmp_path: Path) -> tuple[Path, Path]:
    rows = [
        {
            "sender.name": f"Member Number{i:03d}",
            "sender.address": f"{i + 1} Elm Street\nSpringfield, IL 62704",
            "sender.country": "US",
            "account_number": f"77-{i:04d}",
        }
        for i in range(MEMBERS)
    ]
    return campaign_files(tmp_path, rows)


def _command(home: Path, campaign: Path, members: Path, out: Path, jobs: str) -> list[str]:
    return paperwork_cmd(
        "--home", str(home), *campaign_args(campaign, members, out, "--track", "--jobs", jobs)
    )


def _run(home: Path, tmp_path: Path, command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        env=subprocess_env(home),
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _index(out: Path) -> list[dict[str, str]]:
    with open(out / "letters.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cases(home: Path) -> list[dict]:
    done = run_paperwork(home, "case", "list", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _check_consistent(home: Path, out: Path) -> int:
    """letters.csv lists exactly the whole letters that exist; one case per member."""
    assert not list(out.glob(".*.part")), "a temporary file was left behind"
    rows = _index(out) if (out / "letters.csv").exists() else []
    listed = {r["pdf"] for r in rows}
    on_disk = {p.name for p in out.glob("*.pdf")}
    assert listed == on_disk
    for r in rows:
        assert (out / r["docx"]).is_file()
    names = [c["title"] for c in _cases(home)]
    case_ids = {r["case"] for r in rows}
    assert len(case_ids) == len(rows)
    assert len(_cases(home)) == len(rows), (len(names), len(rows))
    return len(rows)


@pytest.mark.parametrize(
    ("jobs", "stop_after", "how"),
    [
        ("1", 1, signal.SIGINT),
        ("2", 6, signal.SIGTERM),
        ("2", 15, signal.SIGINT),
        ("1", 9, signal.SIGKILL),
    ],
)
def test_campaign_killed_and_resumed(tmp_path, jobs, stop_after, how):
    home, out = tmp_path / "home", tmp_path / "out"
    campaign, members = _files(tmp_path)
    proc = subprocess.Popen(
        _command(home, campaign, members, out, jobs),
        env=subprocess_env(home),
        cwd=str(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and len(list(out.glob("*.docx"))) >= stop_after:
            break
        time.sleep(0.02)
    if proc.poll() is None:
        proc.send_signal(how)
    _stdout, stderr = proc.communicate(timeout=120)
    assert "Traceback" not in stderr
    if how != signal.SIGKILL and proc.returncode != 0:
        assert proc.returncode == 130, (proc.returncode, stderr)
        assert "campaign stopped (interrupted)" in stderr and "Run the same command again" in stderr
        assert "nothing was changed" not in stderr
        done = _check_consistent(home, out)
        assert f"{done} letter(s) written now" in stderr
        assert f"{done} case(s) created" in stderr
    # resume: finishes what is missing, makes nothing twice
    again = _run(home, tmp_path, _command(home, campaign, members, out, jobs))
    assert again.returncode == 0, again.stderr
    assert _check_consistent(home, out) == MEMBERS
    assert len({c["title"] for c in _cases(home)}) >= 1
    # and a third run changes nothing
    third = _run(home, tmp_path, _command(home, campaign, members, out, jobs))
    assert third.returncode == 0, third.stderr
    assert f"{MEMBERS} of them were already there" in third.stdout
    assert "Created 0 case(s)" in third.stdout
    assert _check_consistent(home, out) == MEMBERS


def test_progress_lines_when_not_on_a_terminal(tmp_path, monkeypatch):
    from paperwork.cli import aggregate

    monkeypatch.setattr(aggregate._Progress, "EVERY_SECONDS", 0.0)
    progress = aggregate._Progress()
    lines = []
    monkeypatch.setattr(aggregate.click, "echo", lambda text, err=False: lines.append(text))
    progress.start(3)
    progress.update(1)
    progress.update(2)
    progress.finish()
    assert lines == ["Rendered 1 of 3 row(s)…", "Rendered 3 of 3 row(s)…"]


def test_full_disk_stops_the_campaign_and_says_what_was_done(tmp_path):
    import os

    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True
    ).returncode:
        pytest.skip("mount not permitted here")
    try:
        home, out = tmp_path / "home", mnt / "out"
        campaign, members = _files(tmp_path)
        done = _run(home, tmp_path, _command(home, campaign, members, out, "1"))
        assert done.returncode == 2, done.stderr
        assert "campaign stopped (the disk is full)" in done.stderr
        assert "Traceback" not in done.stderr and "nothing was changed" not in done.stderr
        assert not list(out.glob(".*.part"))
        written = len(list(out.glob("*.pdf")))
        assert 0 < written < MEMBERS
        assert len(_cases(home)) <= MEMBERS
    finally:
        with contextlib.suppress(Exception):
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
