"""How each screen looks, at a fixed terminal size (pytest-textual-snapshot).

Every app here uses a fixed data folder path and a fixed today, so the pictures do
not depend on where pytest puts its temporary files or on the calendar.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, TextArea
from tuikit import SIZE, TODAY, seed, wait_for

SNAP_ROOT = Path("/tmp/paperwork-tui-snapshots")


@pytest.fixture
def snap_home(request) -> Path:
    """A data folder with a stable path (it is shown on some screens)."""
    folder = SNAP_ROOT / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


async def _steady(pilot) -> None:
    """Stop cursors blinking, so a picture does not depend on the moment it is taken."""
    await wait_for(pilot, lambda: pilot.app.screen.focused is not None)
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    # A focused text area's cursor is drawn or not depending on timing, whatever
    # its blink setting: take the picture with the focus elsewhere.
    if isinstance(pilot.app.screen.focused, TextArea):
        pilot.app.screen.set_focus(None)
    await pilot.pause(0.1)
    await pilot.pause()


def shoot(snap_compare, app, run_before, size: tuple[int, int] = SIZE) -> bool:
    async def run(pilot) -> None:
        await run_before(pilot)
        await _steady(pilot)

    return snap_compare(app, terminal_size=size, run_before=run)


def _app(home: Path, **kwargs):
    from paperwork.tui.app import PaperworkApp

    return PaperworkApp(home, today=kwargs.pop("today", TODAY), **kwargs)


async def _cases_loaded(pilot) -> None:
    await wait_for(
        pilot, lambda: pilot.app.screen.query_one("#cases-table", DataTable).row_count > 0
    )


async def _open_case(pilot) -> None:
    await _cases_loaded(pilot)
    await pilot.press("enter")
    await wait_for(
        pilot, lambda: type(pilot.app.screen).__name__ == "CaseScreen" and pilot.app.screen.details
    )


def test_welcome(snap_compare, snap_home):
    async def ready(pilot):
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#welcome").display)

    assert shoot(snap_compare, _app(snap_home), ready)


def test_cases(snap_compare, snap_home):
    seed(snap_home, draft=True)
    assert shoot(snap_compare, _app(snap_home), _cases_loaded)


def test_cases_overdue(snap_compare, snap_home):
    seed(snap_home, sent_via="email")
    from datetime import timedelta

    assert shoot(snap_compare, _app(snap_home, today=TODAY + timedelta(days=30)), _cases_loaded)


def test_case_view(snap_compare, snap_home):
    seed(snap_home, sent_via="certified")
    assert shoot(snap_compare, _app(snap_home), _open_case)


def test_kind_chooser(snap_compare, snap_home):
    seed(snap_home)

    async def run(pilot):
        await _open_case(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "KindModal")

    assert shoot(snap_compare, _app(snap_home), run)


def test_letter(snap_compare, snap_home):
    seed(snap_home, draft=True)

    async def run(pilot):
        await _open_case(pilot)
        await pilot.press("l")
        await wait_for(
            pilot,
            lambda: type(pilot.app.screen).__name__ == "LetterScreen" and pilot.app.screen.info,
        )

    assert shoot(snap_compare, _app(snap_home), run)


def test_mark_sent_dialog(snap_compare, snap_home):
    seed(snap_home, draft=True)

    async def run(pilot):
        await _open_case(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "SentModal")

    assert shoot(snap_compare, _app(snap_home), run)


def test_call_dialog(snap_compare, snap_home):
    seed(snap_home, draft=True)

    async def run(pilot):
        await _open_case(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "CallModal")

    assert shoot(snap_compare, _app(snap_home, clock=lambda: 0.0), run)


def test_reply_dialog(snap_compare, snap_home):
    seed(snap_home, sent_via="email")

    async def run(pilot):
        await _open_case(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ReplyModal")

    assert shoot(snap_compare, _app(snap_home), run)


def test_case_form_with_errors(snap_compare, snap_home):
    async def run(pilot):
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#welcome").display)
        await pilot.press("n")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "CaseFormScreen")
        pilot.app.screen.query_one("#f-title", Input).value = "Charged twice"
        pilot.app.screen.query_one("#f-jurisdiction", Input).value = "Narnia"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: pilot.app.screen.query("#f-jurisdiction-error"))
        pilot.app.screen.query_one("#form").scroll_home(animate=False)
        await pilot.pause()

    assert shoot(snap_compare, _app(snap_home), run)


def test_agenda(snap_compare, snap_home):
    seed(snap_home, sent_via="email")
    from datetime import timedelta

    async def run(pilot):
        await _cases_loaded(pilot)
        await pilot.press("g")
        await wait_for(
            pilot,
            lambda: type(pilot.app.screen).__name__ == "AgendaScreen" and pilot.app.screen.rows,
        )

    assert shoot(snap_compare, _app(snap_home, today=TODAY + timedelta(days=30)), run)


def test_settings(snap_compare, snap_home):
    async def run(pilot):
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#welcome").display)
        await pilot.press("f3")
        await wait_for(
            pilot,
            lambda: (
                type(pilot.app.screen).__name__ == "SettingsScreen"
                and pilot.app.screen.sub_title in ("no profile saved yet", "profile saved")
            ),
        )

    assert shoot(snap_compare, _app(snap_home), run)


def test_settings_letters_and_files(snap_compare, snap_home):
    async def run(pilot):
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#welcome").display)
        await pilot.press("f3")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "SettingsScreen")
        pilot.app.screen.query_one("#s-layout").focus()
        pilot.app.screen.query_one("#settings").scroll_end(animate=False)
        await pilot.pause()

    assert shoot(snap_compare, _app(snap_home), run)


def test_help(snap_compare, snap_home):
    seed(snap_home)

    async def run(pilot):
        await _cases_loaded(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "HelpModal")

    assert shoot(snap_compare, _app(snap_home), run)


def test_light_theme(snap_compare, snap_home):
    seed(snap_home, sent_via="email")
    from datetime import timedelta

    async def run(pilot):
        await _open_case(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()

    assert shoot(snap_compare, _app(snap_home, today=TODAY + timedelta(days=30)), run)


# ---------------------------------------------------------------------------
# the smallest usual terminal and a wide one: every column, footer key and button
# is on screen at 80x24, and the tables use the width at 200x50

SIZES = {"80x24": (80, 24), "200x50": (200, 50)}


def _busy_case(home: Path) -> None:
    """A case with a letter sent, a call and a reply: every kind of timeline line."""
    from datetime import timedelta

    from paperwork.services.events import log_event

    seed(home, sent_via="certified", today=TODAY - timedelta(days=20))
    pw = __import__("tuikit").services(home)
    try:
        log_event(
            pw,
            1,
            "call",
            TODAY - timedelta(days=10),
            {"waited": 25, "duration": 7, "rep": "Dana"},
            today=TODAY,
        )
        log_event(
            pw,
            1,
            "response",
            TODAY - timedelta(days=2),
            {"summary": "We are looking into the double charge.", "resolved": False},
            today=TODAY,
        )
    finally:
        pw.close()


async def _open_dialog(pilot, key: str, name: str) -> None:
    await _open_case(pilot)
    await pilot.press(key)
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name)


async def _agenda(pilot) -> None:
    await _cases_loaded(pilot)
    await pilot.press("g")
    await wait_for(
        pilot, lambda: type(pilot.app.screen).__name__ == "AgendaScreen" and pilot.app.screen.rows
    )


async def _pages(pilot) -> None:
    await _open_case(pilot)
    await pilot.press("l")
    await wait_for(
        pilot, lambda: type(pilot.app.screen).__name__ == "LetterScreen" and pilot.app.screen.info
    )
    await pilot.press("f4")
    await wait_for(
        pilot,
        lambda: type(pilot.app.screen).__name__ == "PreviewScreen" and pilot.app.screen.pages,
        timeout=30,
    )


async def _form(pilot) -> None:
    await _open_case(pilot)
    await pilot.press("e")
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "CaseFormScreen")


async def _draft_form(pilot) -> None:
    """The short form of a stalling reply: which reply, what it does, its own request."""
    from test_tui_ahead import _choose_kind

    await _open_case(pilot)
    await _choose_kind(pilot, "stalling_reply")
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "DraftModal")
    # the case view under the form reloads when the kind list closes: let it finish,
    # or the picture depends on how far its timeline got
    await wait_for(
        pilot,
        lambda: all(w.is_finished for w in pilot.app.workers if w.group == "case-load"),
    )
    await pilot.pause()


SCENES = {
    "cases": (_busy_case, _cases_loaded),
    "case": (_busy_case, _open_case),
    "call": (_busy_case, lambda pilot: _open_dialog(pilot, "c", "CallModal")),
    "outcome": (_busy_case, lambda pilot: _open_dialog(pilot, "o", "OutcomeModal")),
    "agenda": (lambda home: seed(home, sent_via="email"), _agenda),
    "form": (_busy_case, _form),
    "pages": (lambda home: seed(home, draft=True), _pages),
    "draft": (_busy_case, _draft_form),
    "kinds": (_busy_case, lambda pilot: _open_dialog(pilot, "d", "KindModal")),
    "delivered": (_busy_case, lambda pilot: _open_dialog(pilot, "D", "DayModal")),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scene", SCENES)
def test_sized(snap_compare, snap_home, scene, size):
    from datetime import timedelta

    prepare, run = SCENES[scene]
    prepare(snap_home)
    app = _app(snap_home, today=TODAY + timedelta(days=30), clock=lambda: 0.0)
    assert shoot(snap_compare, app, run, SIZES[size])
