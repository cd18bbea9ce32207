"""The rest of the app as a daily tool: the agenda looks ahead to a chosen day, a
delivery is recorded (and corrected, deleted, undone) from the case, drafting asks for
exactly what the chosen kind needs, and editing a case keeps the details the form does
not show."""

from __future__ import annotations

from datetime import timedelta

from test_tui_daily import _go_to_row, _open_case, _timeline
from textual.widgets import DataTable, Input, OptionList, Select
from tuikit import SIZE, TODAY, screen_name, seed, services, wait_for

from paperwork.services.events import log_event


def _error(app, field: str) -> str:
    line = app.screen.query_one(f"#{field}-error")
    return str(line.render()) if line.display else ""


# -- the agenda up to a chosen day ------------------------------------------------------


async def test_the_agenda_looks_ahead_to_a_chosen_day(make_app, home):
    seed(home, sent_via="email")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count)
        await pilot.press("g")
        await wait_for(pilot, lambda: screen_name(pilot) == "AgendaScreen")
        await wait_for(
            pilot, lambda: "Nothing is due by" in str(app.screen.query_one("#agenda-hint").render())
        )
        assert app.focused is app.screen.query_one("#agenda-table")
        field = app.screen.query_one("#agenda-until", Input)
        assert field.value == (TODAY + timedelta(days=7)).isoformat()

        await pilot.press("u")  # the key focuses the field, it does not type a "u"
        assert app.focused is field and "u" not in field.value
        field.value = "2027-02-30"
        await pilot.press("enter")
        assert "not a valid date" in _error(app, "agenda-until")
        field.value = (TODAY - timedelta(days=1)).isoformat()
        await pilot.press("enter")
        assert "before today" in _error(app, "agenda-until")
        assert app.screen.rows == []

        field.value = (TODAY + timedelta(days=60)).isoformat()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.rows)
        assert _error(app, "agenda-until") == ""
        assert app.focused is app.screen.query_one("#agenda-table")
        [row] = app.screen.rows
        assert row.due > TODAY + timedelta(days=7)
        hint = str(app.screen.query_one("#agenda-hint").render())
        assert f"due by {TODAY + timedelta(days=60)}" in hint


# -- a delivery -------------------------------------------------------------------------


async def test_a_delivery_is_recorded_corrected_deleted_and_undone(make_app, home):
    ids = seed(home, sent_via="certified", today=TODAY - timedelta(days=5))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        await pilot.press("D")
        await wait_for(pilot, lambda: screen_name(pilot) == "DayModal")
        field = app.screen.query_one("#day-on", Input)
        assert app.focused is field
        field.value = (TODAY + timedelta(days=1)).isoformat()
        await pilot.press("ctrl+s")
        assert "after today" in _error(app, "day-on")
        field.value = (TODAY - timedelta(days=6)).isoformat()
        await pilot.press("ctrl+s")
        assert "sent" in _error(app, "day-on")
        field.value = (TODAY - timedelta(days=2)).isoformat()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("delivered" in r.lower() for r in _timeline(app)))

        pw = services(home)
        try:
            assert pw.store.letter(ids["letter"]).delivered_on == TODAY - timedelta(days=2)
        finally:
            pw.close()

        # a second D has nothing left to record
        await pilot.press("D")
        await pilot.pause()
        assert screen_name(pilot) == "CaseScreen"

        _go_to_row(app, "delivered")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "DayModal")
        app.screen.query_one("#day-on", Input).value = (TODAY - timedelta(days=1)).isoformat()
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: any(str(TODAY - timedelta(days=1)) in r for r in _timeline(app))
        )
        _go_to_row(app, "delivered")
        await pilot.press("delete")
        await wait_for(pilot, lambda: screen_name(pilot) == "ConfirmModal")
        await pilot.press("y")
        await wait_for(pilot, lambda: not any("delivered" in r.lower() for r in _timeline(app)))
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: any("delivered" in r.lower() for r in _timeline(app)))
    pw = services(home)
    try:
        assert pw.store.letter(ids["letter"]).delivered_on == TODAY - timedelta(days=1)
    finally:
        pw.close()


# -- drafting asks for what the kind needs ----------------------------------------------


async def _choose_kind(pilot, kind: str) -> None:
    app = pilot.app
    await pilot.press("d")
    await wait_for(pilot, lambda: screen_name(pilot) == "KindModal")
    kinds = app.screen.query_one("#kinds", OptionList)
    kinds.highlighted = next(
        i for i in range(kinds.option_count) if kinds.get_option_at_index(i).id == kind
    )
    await pilot.press("enter")


def _two_calls(home, case_id: int) -> list[int]:
    pw = services(home)
    try:
        return [
            log_event(
                pw,
                case_id,
                "call",
                on,
                {"waited": 5, "duration": 3, "rep": rep, "ref": ref},
                today=TODAY,
            ).id
            for on, rep, ref in (
                (TODAY - timedelta(days=9), "Dana", "REF-OLD"),
                (TODAY - timedelta(days=2), "Sam", "REF-NEW"),
            )
        ]
    finally:
        pw.close()


async def test_confirm_call_offers_the_logged_calls_and_takes_its_own_request(make_app, home):
    ids = seed(home)
    older, newer = _two_calls(home, ids["case"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        await _choose_kind(pilot, "confirm_call")
        await wait_for(pilot, lambda: screen_name(pilot) == "DraftModal")
        pick = app.screen.query_one("#draft-call", Select)
        assert app.focused is pick and pick.value == newer  # the latest call first
        pick.value = older
        ask = app.screen.query_one("#draft-ask", Input)
        ask.value = "credit the 89.99 to my account 😀"
        await pilot.press("ctrl+s")
        assert "cannot print" in _error(app, "draft-ask")
        assert app.focused is ask
        ask.value = "credit the second charge of 89.99 to my account"
        await pilot.press("enter")  # Enter in the last field drafts too
        await wait_for(pilot, lambda: screen_name(pilot) == "LetterScreen" and app.screen.info)
        text = app.screen.info["text"]
        assert "REF-OLD" in text and "REF-NEW" not in text
        assert "credit the second charge of 89.99 to my account" in text


async def test_a_kind_without_its_record_is_explained_at_the_field(make_app, home):
    seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        await _choose_kind(pilot, "stalling_reply")
        await wait_for(pilot, lambda: screen_name(pilot) == "DraftModal")
        missing = str(app.screen.query_one("#draft-reply-missing").render())
        assert "No reply is logged" in missing and "r to log it" in missing
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "DraftModal"  # nothing drafted
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen")
        assert not app.screen.details.letters


async def test_a_missing_detail_is_asked_for_and_kept_on_the_case(make_app, home):
    ids = seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        await _choose_kind(pilot, "intent_to_cancel")
        await wait_for(pilot, lambda: screen_name(pilot) == "DraftModal")
        field = app.screen.query_one("#draft-cancel-on", Input)
        assert app.focused is field
        field.value = "2026-12-32"
        await pilot.press("ctrl+s")
        assert "valid date" in _error(app, "draft-cancel-on")
        field.value = "2026-12-31"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_name(pilot) == "LetterScreen" and app.screen.info)
    pw = services(home)
    try:
        assert str(pw.store.case(ids["case"]).details.cancel_on) == "2026-12-31"
        assert pw.store.letters(ids["case"])[0].kind == "intent_to_cancel"
    finally:
        pw.close()


async def test_a_stalling_reply_asks_which_reply_and_what_it_does(make_app, home):
    ids = seed(home, sent_via="email", today=TODAY - timedelta(days=6))
    pw = services(home)
    try:
        log_event(
            pw,
            ids["case"],
            "response",
            TODAY - timedelta(days=1),
            {"summary": "Please call us on 0800 to discuss.", "resolved": False},
            today=TODAY,
        )
    finally:
        pw.close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        await _choose_kind(pilot, "stalling_reply")
        await wait_for(pilot, lambda: screen_name(pilot) == "DraftModal")
        await pilot.press("ctrl+s")
        assert "Choose what their reply does" in _error(app, "draft-tactic")
        app.screen.query_one("#draft-tactic", Select).value = "call_us"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_name(pilot) == "LetterScreen" and app.screen.info)
        assert "in writing" in app.screen.info["text"]


# -- the case form keeps what it does not show ------------------------------------------


async def test_editing_a_case_keeps_the_details_the_form_does_not_show(make_app, home):
    from decimal import Decimal

    from paperwork.core.model import Money
    from paperwork.services.cases import edit_case

    ids = seed(home)
    pw = services(home)
    try:
        details = pw.store.case(ids["case"]).details
        details.transaction_amount = Money(Decimal("89.99"), "USD")
        details.merchant = "Acme Billing"
        details.report_item = "A late payment that was on time"
        edit_case(pw, ids["case"], {"details": details})
    finally:
        pw.close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseFormScreen")
        title = app.screen.query_one("#f-title", Input)
        title.value = title.value + " (again)"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen")
    pw = services(home)
    try:
        case = pw.store.case(ids["case"])
        assert case.title.endswith("(again)")
        assert case.details.transaction_amount == Money(Decimal("89.99"), "USD")
        assert case.details.merchant == "Acme Billing"
        assert case.details.report_item == "A late payment that was on time"
    finally:
        pw.close()


# -- the printed page in the terminal ---------------------------------------------------


def test_a_wide_page_fits_and_keeps_its_columns_and_words():
    from paperwork.tui.preview import fit_page

    page = "\n".join(
        [
            "Jordan Rivera",
            "Einschreiben Einwurf" + " " * 52 + "VK 4471 2290",
            "",
            "Acme Broadband, Inc." + " " * 52 + "4. Dezember 2026",
            "",
            "I am writing to make a formal complaint about my account 4471-9920 and to ask you",
            "to refund the second charge of $89.99 by December 9, 2026, as agreed on the phone.",
            "",
            "•  20 November 2026: the statement shows the charge of $89.99 a second time, for",
            "   the same month of service.",
            "",
            " " * 100 + "Page 1 of 1",
        ]
    )
    fitted = fit_page(page, 60)
    lines = fitted.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert page.split() == fitted.split()  # every word kept, in order
    # the columns stay columns, side by side on one line
    assert any(
        line.startswith("Einschreiben Einwurf") and line.endswith("VK 4471 2290") for line in lines
    )
    # a bullet's continuation keeps its indent; the page counter stays at the right
    bullet = next(i for i, line in enumerate(lines) if line.startswith("•"))
    assert lines[bullet + 1].startswith("  ") and not lines[bullet + 1].startswith("•")
    assert lines[-1].endswith("Page 1 of 1") and lines[-1].startswith(" " * 40)
    # a page that fits is left exactly as it is
    assert fit_page(page, 200) == page


async def test_the_arrows_turn_the_pages(make_app, home):
    import textwrap as _tw

    seed(home, draft=True)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        from paperwork.tui.preview import PreviewScreen

        screen = PreviewScreen(1, "Letter")
        screen.load = lambda: None  # pages given here, not rendered
        await app.push_screen(screen)
        screen.pages = [_tw.fill("first page " * 40, 110), "second page"]
        screen.show()
        await pilot.pause()
        shown = str(screen.query_one("#page").render())
        assert max(len(line) for line in shown.splitlines()) <= 80 - 9
        await pilot.press("right")
        assert screen.page == 1 and "second page" in str(screen.query_one("#page").render())
        await pilot.press("pageup")
        assert screen.page == 0


async def test_leaving_a_pool_is_offered_only_in_a_pool_and_the_dialog_is_centred(make_app, home):
    from paperwork.tui.base import PaperworkModal
    from paperwork.tui.pool import LeavePoolModal

    seed(home)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_case(pilot)
        await pilot.press("J")
        await pilot.pause()
        assert screen_name(pilot) == "CaseScreen"  # in no pool: nothing to leave
        assert issubclass(LeavePoolModal, PaperworkModal)  # centred like every dialog
        await app.push_screen(LeavePoolModal())
        await wait_for(pilot, lambda: app.focused is not None)
        assert app.focused.id == "cancel"  # Enter at once keeps the case in its pool
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen")


async def test_a_backspace_and_a_digit_read_together_both_land(make_app, home):
    """A terminal (tmux, a fast typist) can hand the app several keys in one read; the
    field's own editing key must not be run after the character typed behind it."""
    from textual import events

    seed(home, draft=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: screen_name(pilot) == "SentModal")
        field = app.screen.query_one("#sent-on", Input)
        assert field.value == TODAY.isoformat()
        for key, character in (("backspace", "\x7f"), ("5", "5")):
            app.post_message(events.Key(key, character))  # as the driver does, no pause
        await wait_for(pilot, lambda: field.value != TODAY.isoformat())
        assert field.value == TODAY.isoformat()[:-1] + "5"
