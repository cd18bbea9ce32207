"""Two processes recording events on one store at the same time lose nothing."""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
import sys
import time
from datetime import date

from hostile_helpers import base_case, subprocess_env

from paperwork.services.cases import new_case

EVENTS_PER_WRITER = 1000

WRITER = r"""
import sys, time
from datetime import date, timedelta
from pathlib import Path
from paperwork.services.events import log_event
from paperwork.services.session import Paperwork

home, name, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
pw = Paperwork(home)
pw.store  # open before the start signal, like a second window already open
(go.parent / f"ready-{name}").touch()
while not go.exists():
    time.sleep(0.005)
for i in range(count):
    log_event(pw, 1, "call", date(2026, 11, 1) + timedelta(days=i % 25), {"waited": i % 60, "duration": 1, "rep": name, "ref": f"{name}-{i}"})
    # A breath between writes, as any real writer has: SQLite does not queue
    # waiting writers, so two tight loops would simply take turns of hundreds.
    time.sleep(0.001)
pw.close()
print("done", name)
"""


def test_two_writers_lose_nothing(tmp_path):
    from paperwork.core.schema import CaseFileSchema, load_with
    from paperwork.services.session import Paperwork

    home = tmp_path / "home"
    pw = Paperwork(home)
    new_case(pw, load_with(CaseFileSchema(), base_case(), "case"), date(2026, 11, 1))
    pw.close()
    go = tmp_path / "go"
    env = subprocess_env(home)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(home), name, str(EVENTS_PER_WRITER), str(go)],
            env=env,
            cwd=str(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("A", "B")
    ]
    # Start both at once, when both have imported and opened the store (under
    # load, imports alone can take seconds).
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{name}").exists() for name in "AB"):
        assert all(w.poll() is None for w in writers), "a writer stopped before it was ready"
        assert time.monotonic() < deadline, "the writers did not get ready"
        time.sleep(0.01)
    go.touch()
    results = [w.communicate(timeout=600) for w in writers]
    for writer, (_out, err) in zip(writers, results, strict=False):
        assert writer.returncode == 0, err[-3000:]
        assert "Traceback" not in err
    conn = sqlite3.connect(home / "paperwork.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        refs = [
            r[0]
            for r in conn.execute("SELECT json_extract(data, '$.data.ref') FROM events ORDER BY id")
        ]
    finally:
        conn.close()
    assert len(refs) == 2 * EVENTS_PER_WRITER
    assert set(refs) == {f"{n}-{i}" for n in "AB" for i in range(EVENTS_PER_WRITER)}
    # the writers really overlapped (otherwise this test proved nothing about locking)
    switches = sum(1 for a, b in itertools.pairwise(refs) if a[0] != b[0])
    assert switches >= 2, "the two writers ran one after the other"
    # and the services read them all back through the schema
    pw = Paperwork(home)
    try:
        assert len(pw.store.events(1)) == 2 * EVENTS_PER_WRITER
    finally:
        pw.close()
