"""Crash safety: `reissue`, `bundle` and `campaign render` killed with SIGKILL at
random points (seeded, so a failure can be replayed).

After each kill: `PRAGMA integrity_check` is ok, every stored letter loads as a
whole (no half-drafted letter is visible), and every file under a final name is
complete (pypdf / python-docx open it); only dot-prefixed ``*.part`` temporary
files may be left. And for `reissue`, every letter it drafted has its files in
--out: the plan counts a stored draft as done, so a draft without files would
never be rendered by a later run (the letter would be lost for good).

Delays are drawn between 0 and the time one undisturbed run takes on this
machine, so the kill points spread over start-up, drafting and rendering
whatever the machine's speed.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hostile_helpers import base_case, paperwork_cmd, subprocess_env

from paperwork.services.cases import new_case
from paperwork.services.events import log_event
from paperwork.services.letters import draft_letter, mark_sent

KILL_POINTS = 20
SEED = 20261126
ON = "2026-11-26"
CASES = 3


def _make_store(home: Path) -> None:
    """CASES cases, each with a complaint e-mailed on 2 Nov (14d window): all lapsed by 26 Nov."""
    from paperwork.core.schema import CaseFileSchema, load_with
    from paperwork.services.session import Paperwork

    pw = Paperwork(home)
    try:
        for number in range(CASES):
            case = load_with(CaseFileSchema(), base_case(title=f"Crash case {number}"), "case")
            case_id = new_case(pw, case, date(2026, 11, 2))
            letter = draft_letter(pw, case_id, "complaint", date(2026, 11, 2), window="14d")
            mark_sent(pw, letter.id, date(2026, 11, 2), "email")
        log_event(pw, 1, "call", date(2026, 11, 3), {"waited": 10, "duration": 5})
    finally:
        pw.close()


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("crash") / "home"
    _make_store(home)
    # all in the main file: no -wal to copy along
    conn = sqlite3.connect(home / "paperwork.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return home


def _fresh_copy(seeded: Path, dest: Path) -> Path:
    shutil.copytree(seeded, dest)
    return dest


def _kill_after(cmd: list[str], env: dict, delay: float, cwd: Path) -> int | None:
    """Start ``cmd`` in its own process group, SIGKILL the group after ``delay`` s.
    Returns the exit status if it finished first, else None."""
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=str(cwd),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        return proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        return None


def _timed_run(cmd: list[str], env: dict, cwd: Path) -> float:
    start = time.monotonic()
    done = subprocess.run(cmd, env=env, cwd=str(cwd), capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 2), done.stderr[-2000:]
    return time.monotonic() - start


def _store_problems(home: Path) -> list[str]:
    problems = []
    db = home / "paperwork.db"
    conn = sqlite3.connect(db)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            problems.append(f"integrity_check: {result}")
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk}")
    finally:
        conn.close()
    from paperwork.core.errors import UserError
    from paperwork.store.database import Store

    store = Store.open(home)
    try:
        store.letters()  # every row loads through the schema: no half-written letter
        store.events()
        store.cases()
    except UserError as exc:
        problems.append(f"a stored row does not load: {exc.problems[:3]}")
    finally:
        store.close()
    return problems


def _file_problems(folder: Path) -> list[str]:
    """Every file under a final name must be whole; temporaries must be dot-prefixed *.part."""
    from pypdf import PdfReader

    problems = []
    if not folder.exists():
        return problems
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.name
        if name.endswith(".part"):
            if not name.startswith("."):
                problems.append(f"temporary file without the dot prefix: {name}")
            continue
        data = path.read_bytes()
        try:
            if name.endswith(".pdf"):
                reader = PdfReader(io.BytesIO(data), strict=True)
                assert len(reader.pages) >= 1
                assert data.rstrip().endswith(b"%%EOF")
            elif name.endswith(".docx"):
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    assert archive.testzip() is None
                    assert "word/document.xml" in archive.namelist()
            elif name.endswith(".csv"):
                text = data.decode("utf-8")
                assert text.endswith("\n"), "ends mid-line"
        except Exception as exc:
            problems.append(
                f"{name}: partial or broken under its final name ({type(exc).__name__}: {exc})"
            )
    return problems


def _delays(total: float) -> list[float]:
    rng = random.Random(SEED)
    return [rng.uniform(0.05, max(total, 0.5) * 1.1) for _ in range(KILL_POINTS)]


def test_reissue_killed_at_random_points(seeded_home, tmp_path):
    probe = _fresh_copy(seeded_home, tmp_path / "probe")
    probe_cmd = paperwork_cmd(
        "--home", str(probe), "reissue", "--on", ON, "--out", str(tmp_path / "probe-out")
    )
    total = _timed_run(probe_cmd, subprocess_env(probe), tmp_path)
    problems: list[str] = []
    lost: list[str] = []
    for number, delay in enumerate(_delays(total)):
        home = _fresh_copy(seeded_home, tmp_path / f"h{number}")
        out = tmp_path / f"out{number}"
        cmd = paperwork_cmd("--home", str(home), "reissue", "--on", ON, "--out", str(out))
        _kill_after(cmd, subprocess_env(home), delay, tmp_path)
        problems += [
            f"kill {number} at {delay:.2f}s: {p}"
            for p in _store_problems(home) + _file_problems(out)
        ]
        # the plan treats a stored follow-up as done, so a later run never renders it:
        # a draft must not be visible without its files
        conn = sqlite3.connect(home / "paperwork.db")
        drafted = [
            row[0]
            for row in conn.execute("SELECT id FROM letters WHERE kind = 'follow_up' ORDER BY id")
        ]
        conn.close()
        for letter_id in drafted:
            for suffix in (".pdf", ".docx"):
                if not list(out.glob(f"{letter_id:04d}-*{suffix}")):
                    lost.append(
                        f"kill {number} at {delay:.2f}s: letter {letter_id} has no {suffix} in --out"
                    )
    assert problems == [], "\n".join(problems)
    assert lost == [], (
        "a kill between drafting and rendering leaves a draft that reissue never renders:\n"
        + "\n".join(lost)
    )


def test_bundle_killed_at_random_points(seeded_home, tmp_path):
    probe = _fresh_copy(seeded_home, tmp_path / "probe")
    args = ["bundle", "1", "--on", ON]
    probe_cmd = paperwork_cmd(
        "--home",
        str(probe),
        *args,
        "--out",
        str(tmp_path / "p" / "b.pdf"),
        "--docx",
        str(tmp_path / "p" / "b.docx"),
    )
    (tmp_path / "p").mkdir()
    total = _timed_run(probe_cmd, subprocess_env(probe), tmp_path)
    problems: list[str] = []
    home = _fresh_copy(seeded_home, tmp_path / "home")
    for number, delay in enumerate(_delays(total)):
        out = tmp_path / f"out{number}"
        out.mkdir()
        cmd = paperwork_cmd(
            "--home",
            str(home),
            *args,
            "--out",
            str(out / "bundle.pdf"),
            "--docx",
            str(out / "bundle.docx"),
        )
        _kill_after(cmd, subprocess_env(home), delay, tmp_path)
        problems += [f"kill {number} at {delay:.2f}s: {p}" for p in _file_problems(out)]
    problems += _store_problems(home)
    assert problems == [], "\n".join(problems)


def test_campaign_render_killed_at_random_points(seeded_home, tmp_path):
    import csv
    import json

    campaign = {
        k: v
        for k, v in base_case().items()
        if k not in ("sender", "account_number", "references", "amount")
    }
    (tmp_path / "campaign.json").write_text(json.dumps(campaign), encoding="utf-8")
    with open(tmp_path / "members.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sender.name", "sender.address", "sender.email", "account_number"])
        for i in range(6):
            writer.writerow(
                [
                    f"Member {i}",
                    f"{i} Elm Street\nSpringfield, IL 62704",
                    f"m{i}@example.org",
                    f"A-{i:04d}",
                ]
            )
    args = [
        "campaign",
        "render",
        str(tmp_path / "campaign.json"),
        str(tmp_path / "members.csv"),
        "--kind",
        "complaint",
        "--track",
        "--jobs",
        "1",
        "--on",
        ON,
    ]
    probe = _fresh_copy(seeded_home, tmp_path / "probe")
    total = _timed_run(
        paperwork_cmd("--home", str(probe), *args, "--out", str(tmp_path / "probe-out")),
        subprocess_env(probe),
        tmp_path,
    )
    problems: list[str] = []
    for number, delay in enumerate(_delays(total)):
        home = _fresh_copy(seeded_home, tmp_path / f"h{number}")
        out = tmp_path / f"out{number}"
        _kill_after(
            paperwork_cmd("--home", str(home), *args, "--out", str(out)),
            subprocess_env(home),
            delay,
            tmp_path,
        )
        problems += [
            f"kill {number} at {delay:.2f}s: {p}"
            for p in _store_problems(home) + _file_problems(out)
        ]
    assert problems == [], "\n".join(problems)
