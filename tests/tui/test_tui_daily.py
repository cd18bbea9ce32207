"""The app as a daily tool: keys land in the field that has the focus from the first
one, a refused save puts the cursor on what to fix, every record can be corrected,
deleted and brought back with Ctrl+Z, and the palette lists Paperwork's commands."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Input
from tuikit import SIZE, TODAY, screen_name, seed, services, wait_for

from paperwork.services.events import log_event
from paperwork.services.schedule import case_view


async def _open_case(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count >= 1)
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen" and app.screen.details)


def _timeline(app) -> list[str]:
    table = app.screen.query_one("#timeline", DataTable)
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def _go_to_row(app, words: str) -> None:
    table = app.screen.query_one("#timeline", DataTable)
    row = next(i for i, text in enumerate(_timeline(app)) if words in text)
    table.move_cursor(row=row)


async def test_dialogs_take_keys_at_once_into_their_first_field(make_app, home):
    seed(home, draft=True)
    app = make_app(today=TODAY + timedelta(days=3))
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        for key, dialog, field in (
            ("s", "SentModal", "#sent-on"),
            ("c", "CallModal", "#call-on"),
            ("r", "ReplyModal", "#reply-on"),
            ("v", "EvidenceModal", "#evidence-path"),
            ("o", "OutcomeModal", "#outcome-on"),
        ):
            await pilot.press(key)
            await wait_for(pilot, lambda dialog=dialog: screen_name(pilot) == dialog)
            before = app.screen.query_one(field, Input).value
            await pilot.press("backspace", "backspace", "2", "7")
            await pilot.pause()
            # Typed without Tab: the keys went into the first field, after what was there.
            assert app.screen.query_one(field, Input).value == before[:-2] + "27", dialog
            assert app.focused is app.screen.query_one(field, Input)
            await pilot.press("escape")
            await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen")


async def test_a_sending_after_today_is_refused_at_the_field(make_app, home):
    ids = seed(home, draft=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: screen_name(pilot) == "SentModal")
        app.screen.query_one("#sent-tracking", Input).focus()
        app.screen.query_one("#sent-on", Input).value = "2026-11-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "SentModal"
        error = str(app.screen.query_one("#sent-on-error").render())
        assert error == "2026-11-30 is after today (2026-11-26): record it once it has happened."
        # The refused field has the focus: the fix typed next lands in it.
        assert app.focused is app.screen.query_one("#sent-on", Input)
    pw = services(home)
    try:
        assert pw.store.letter(ids["letter"]).status == "draft"
    finally:
        pw.close()


async def test_a_reply_before_the_letter_it_answers_is_refused(make_app, home):
    seed(home, sent_via="email", today=TODAY - timedelta(days=5))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: screen_name(pilot) == "ReplyModal")
        app.screen.query_one("#reply-on", Input).value = "2026-11-20"
        app.screen.query_one("#reply-summary", Input).value = "We are looking into it."
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#reply-on-error").render())
        assert error.startswith("2026-11-20 is before letter 1 was sent")
        assert app.focused is app.screen.query_one("#reply-on", Input)


async def test_a_failed_save_focuses_the_fact_in_error(make_app, home):
    seed(home)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_case(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseFormScreen")
        form = app.screen
        # The title is not selected on open: the first key does not replace it.
        await pilot.press("!")
        assert form.query_one("#f-title", Input).value.endswith("!")
        second = form.query(".fact-on").results(Input)
        fact_dates = list(second)
        fact_dates[1].value = "2026-02-30"
        form.query_one("#f-company-name", Input).focus()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.focused is fact_dates[1])
        await pilot.press("backspace", "backspace", "2", "8")
        assert fact_dates[1].value == "2026-02-28"
        assert not form.query_one("#f-company-name", Input).value.endswith("28")

        # The focused field is on screen, not scrolled away.
        def on_screen() -> bool:
            shown, field = form.query_one("#form").region, fact_dates[1].region
            return shown.y <= field.y and field.bottom <= shown.bottom

        await wait_for(pilot, on_screen)


async def test_an_emoji_in_the_title_is_refused_at_the_field(make_app, home):
    seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseFormScreen")
        app.screen.query_one("#f-title", Input).value = "Charged twice 😀"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query("#f-title-error"))
        error = str(app.screen.query_one("#f-title-error").render())
        assert "U+1F600" in error and "Latin, Greek or Cyrillic" in error
        assert screen_name(pilot) == "CaseFormScreen"


async def test_a_call_is_corrected_deleted_and_brought_back(make_app, home):
    ids = seed(home)
    pw = services(home)
    try:
        log_event(pw, ids["case"], "call", TODAY, {"waited": 5, "duration": 2}, today=TODAY)
    finally:
        pw.close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        _go_to_row(app, "5 min on hold")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "CallModal")
        assert app.screen.query_one("#call-waited", Input).value == "5"
        app.screen.query_one("#call-waited", Input).value = "40"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("40 min on hold" in r for r in _timeline(app)))
        _go_to_row(app, "40 min on hold")
        await pilot.press("delete")
        await wait_for(pilot, lambda: screen_name(pilot) == "ConfirmModal")
        await pilot.press("y")
        await wait_for(pilot, lambda: not any("on hold" in r for r in _timeline(app)))
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: any("40 min on hold" in r for r in _timeline(app)))
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: any("5 min on hold" in r for r in _timeline(app)))
    pw = services(home)
    try:
        [event] = case_view(pw, ids["case"], TODAY).events
        assert event.data["waited"] == 5
    finally:
        pw.close()


async def test_a_sending_is_corrected_and_taken_back(make_app, home):
    ids = seed(home, sent_via="email", today=TODAY - timedelta(days=3))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        _go_to_row(app, "sent")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "SentModal")
        app.screen.query_one("#sent-tracking", Input).value = "EM-1"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("tracking EM-1" in r for r in _timeline(app)))
        _go_to_row(app, "tracking EM-1")
        await pilot.press("delete")
        await wait_for(pilot, lambda: screen_name(pilot) == "ConfirmModal")
        await pilot.press("y")
        await wait_for(pilot, lambda: not any("Reply deadline" in r for r in _timeline(app)))
    pw = services(home)
    try:
        assert pw.store.letter(ids["letter"]).status == "draft"
    finally:
        pw.close()


async def test_the_palette_lists_paperworks_commands_only(make_app, home):
    seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: screen_name(pilot) == "CommandPalette")
        from textual.widgets import OptionList

        await pilot.pause(0.5)
        options = app.screen.query_one(OptionList)
        titles = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        text = "\n".join(titles)
        for wanted in ("Undo", "Outcome", "Chronology", "Calendar", "Envelope", "E-mail"):
            assert wanted in text, wanted
        for framework in ("Maximize", "Copy", "Screenshot", "Keys"):
            assert framework not in text, framework


async def test_archive_then_a_again_acts_on_the_same_case(make_app, home):
    seed(home)
    seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 2
        )
        table = app.screen.query_one("#cases-table", DataTable)
        first = app.screen._current_id()
        await pilot.press("a")
        # The archived case sorts to the bottom; the cursor follows it.
        await wait_for(pilot, lambda: app.screen.rows[-1].status == "archived")
        assert app.screen._current_id() == first
        assert table.cursor_row == 1
        await pilot.press("a")
        await wait_for(pilot, lambda: all(r.status == "open" for r in app.screen.rows))
        assert app.screen._current_id() == first


async def test_the_filter_counts_what_it_shows(make_app, home):
    seed(home)
    seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 2
        )
        await pilot.press("slash")
        await pilot.press(*"nothing like it")
        await pilot.pause(0.1)
        app.screen.rows[0].title = "Another title"  # one of the two matches "another"
        app.screen.query_one("#filter", Input).value = "another"
        await pilot.pause(0.1)
        hint = str(app.screen.query_one("#cases-hint").render())
        assert hint.startswith("1 of 2 cases match “another”")
