"""The app stays usable while `paperwork reissue` works on the same store in another
process (cron at 11 pm, say): it lists, opens and records, and nothing is lost."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

from textual.widgets import DataTable, Input, Static
from tuikit import SIZE, TODAY, sample_case, screen_name, services, wait_for

from paperwork.services.cases import new_case
from paperwork.services.letters import draft_letter, mark_sent
from paperwork.services.schedule import case_view

CASES = 50


def _lapsed_cases(home) -> list[int]:
    """CASES cases whose complaint went out 60 days ago: every one is due for re-issue."""
    pw = services(home)
    sent_on = TODAY - timedelta(days=60)
    try:
        ids = []
        for _ in range(CASES):
            case_id = new_case(pw, sample_case(), sent_on)
            letter = draft_letter(pw, case_id, "complaint", sent_on)
            mark_sent(pw, letter.id, sent_on, "email")
            ids.append(case_id)
        return ids
    finally:
        pw.close()


def _letters(home) -> int:
    """How many letters the store holds, read on a connection of its own."""
    import sqlite3

    with sqlite3.connect(home / "paperwork.db", timeout=30) as conn:
        return conn.execute("SELECT count(*) FROM letters").fetchone()[0]


async def test_the_app_lists_opens_and_records_while_reissue_runs(make_app, home, tmp_path):
    ids = _lapsed_cases(home)
    env = {**os.environ, "PAPERWORK_HOME": str(home)}
    reissue = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "paperwork",
            "reissue",
            "--on",
            TODAY.isoformat(),
            "--out",
            str(tmp_path / "out"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    slowest = 0.0
    overlapped = False
    try:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:

            async def timed(action, done) -> None:
                nonlocal slowest
                started = time.monotonic()
                await action()
                await wait_for(pilot, done, timeout=20)
                slowest = max(slowest, time.monotonic() - started)

            await wait_for(
                pilot,
                lambda: app.screen.query_one("#cases-table", DataTable).row_count == CASES,
                timeout=20,
            )
            await timed(
                lambda: pilot.press("enter"),
                lambda: screen_name(pilot) == "CaseScreen" and app.screen.details,
            )
            case_id = app.screen.case_id
            await timed(lambda: pilot.press("c"), lambda: screen_name(pilot) == "CallModal")
            app.screen.query_one("#call-waited", Input).value = "40"
            app.screen.query_one("#call-duration", Input).value = "9"
            app.screen.query_one("#call-rep", Input).value = "Sam"
            # Save the call once reissue is writing letters, so the two writers meet.
            await wait_for(pilot, lambda: _letters(home) > CASES or reissue.poll() is not None)
            overlapped = reissue.poll() is None
            await timed(
                lambda: pilot.press("ctrl+s"),
                lambda: (
                    screen_name(pilot) == "CaseScreen"
                    and "40 min on hold"
                    in str(app.screen.query_one("#case-tally", Static).render())
                ),
            )
            await timed(lambda: pilot.press("escape"), lambda: screen_name(pilot) == "CasesScreen")
            await timed(lambda: pilot.press("g"), lambda: screen_name(pilot) == "AgendaScreen")
        _out, err = reissue.communicate(timeout=300)
    finally:
        if reissue.poll() is None:
            reissue.kill()
            reissue.wait()
    assert reissue.returncode == 0, err
    # The app's write went in while reissue was still writing, and waited at most a
    # moment for it (SQLite's busy timeout, not a frozen screen).
    assert overlapped, "reissue finished before the app wrote: make CASES larger"
    assert slowest < 10, f"an action took {slowest:.1f} s while reissue ran"
    pw = services(home)
    try:
        call = [e for e in case_view(pw, case_id, TODAY).events if e.kind == "call"]
        assert len(call) == 1 and call[0].data["rep"] == "Sam"
        # ...and reissue lost nothing either: the next letter of every case is drafted.
        for each in ids:
            letters = case_view(pw, each, TODAY).letters
            assert len(letters) == 2, each
    finally:
        pw.close()
