"""The pool in the app: join with j (the link asked for), share with u, leave with J;
the case view shows the pool's figures on one line."""

from __future__ import annotations

import asyncio
import time
from datetime import date

TODAY = date(2026, 11, 26)


async def _wait(pilot, predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        try:
            if predicate():
                return
        except Exception:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        await pilot.pause(0.05)


def test_join_share_and_leave_from_the_case_view(server, home, run_cli):
    from paperwork.aggregate.pool_client import create_pool
    from paperwork.services.demo import sample_case_path

    link, _key = create_pool(server.url, "Acme", "US", "billing", "Double billing", 2)
    assert run_cli("case", "new", "--from", str(sample_case_path()))[0] == 0
    letter = run_cli("letter", "draft", "1", "--kind", "complaint")[1].split()[-1]
    assert (
        run_cli("letter", "sent", letter, "--on", date.today().isoformat(), "--via", "certified")[0]
        == 0
    )

    async def drive() -> None:
        from paperwork.tui.app import PaperworkApp
        from textual.widgets import DataTable, Input, Static

        app = PaperworkApp(home, demo=False, today=date.today())
        async with app.run_test(size=(100, 32)) as pilot:
            await _wait(pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count)
            await pilot.press("enter")
            await _wait(
                pilot, lambda: type(app.screen).__name__ == "CaseScreen" and app.screen.details
            )
            line = app.screen.query_one("#case-pool", Static)
            assert not line.display  # in no pool: nothing shown
            await pilot.press("j")
            await _wait(pilot, lambda: type(app.screen).__name__ == "JoinPoolModal")
            app.screen.query_one("#pool-link", Input).value = link
            await pilot.press("ctrl+s")
            await _wait(pilot, lambda: type(app.screen).__name__ == "CaseScreen")
            await _wait(pilot, lambda: line.display and "Pool:" in str(line.render()))
            await pilot.press("u")
            await _wait(pilot, lambda: "as of" in str(line.render()))
            assert "fewer than 2 members" in str(line.render())
            await pilot.press("J")
            await _wait(pilot, lambda: type(app.screen).__name__ == "LeavePoolModal")
            await pilot.click("#erase")
            await _wait(pilot, lambda: not line.display)

    asyncio.run(drive())
    code, _out, err = run_cli("pool", "stats", "1")
    assert code == 2 and "no pool" in err
