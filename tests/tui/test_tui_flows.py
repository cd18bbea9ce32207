"""The terminal app, driven by Pilot: each flow a person goes through."""

from __future__ import annotations

import os
from datetime import timedelta

from pypdf import PdfReader
from textual.widgets import DataTable, Input, Select, Static, TextArea
from tuikit import SIZE, TODAY, screen_name, seed, services, wait_for

from paperwork.services.cases import get_profile, list_cases
from paperwork.services.letters import get_letter
from paperwork.services.schedule import case_view


def _table_text(table: DataTable) -> str:
    return "\n".join(
        " | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)
    )


async def test_first_run_greets_and_offers_three_ways_in(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#welcome").display)
        for button in ("#welcome-profile", "#welcome-new", "#welcome-sample"):
            assert app.screen.query_one(button).display
        await pilot.click("#welcome-sample")
        await wait_for(
            pilot, lambda: screen_name(pilot) == "CaseScreen" and app.screen.details, timeout=30
        )
        assert "Acme Broadband" in str(app.screen.query_one("#case-title", Static).render())


async def _fill_case_form(pilot, **values: str) -> None:
    screen = pilot.app.screen
    for path, value in values.items():
        widget = screen.query_one("#f-" + path.replace("__", "-").replace("_", "-"))
        if isinstance(widget, TextArea):
            widget.load_text(value)
        elif isinstance(widget, Select):
            widget.value = value
        else:
            widget.value = value
    await pilot.pause()


GOOD_CASE = {
    "title": "Router never arrived",
    "summary": "I paid for a router in October and it never arrived.",
    "remedy": "Refund the 120.00 I paid.",
    "jurisdiction": "us-il",
    "company__name": "Acme Broadband, Inc.",
    "company__address": "PO Box 1234\nSpringfield, IL 62701",
    "amount__value": "120.00",
    "amount__currency": "usd",
    "sender__name": "Jordan Rivera",
    "sender__address": "12 Elm Street\nSpringfield, IL 62704",
}


async def test_create_a_case_through_the_form(make_app, home):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#welcome").display)
        await pilot.press("n")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseFormScreen")
        await _fill_case_form(pilot, **GOOD_CASE)
        # two facts, added then reordered
        await pilot.press("ctrl+f")
        await pilot.press("ctrl+f")
        rows = app.screen.query("FactRow")
        rows[0].value = ("2026-11-02", "Courier says it was delivered.")
        rows[1].value = ("2026-10-20", "Ordered and paid for the router.")
        await pilot.pause()
        rows[1].query_one(".fact-text").focus()
        await pilot.press("ctrl+up")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen")
    pw = services(home)
    try:
        [case] = list_cases(pw)
        assert case.title == "Router never arrived"
        assert case.jurisdiction == "US-IL"
        assert str(case.amount.value) == "120.00" and case.amount.currency == "USD"
        assert case.company.address == ["PO Box 1234", "Springfield, IL 62701"]
        assert [f.text for f in case.facts] == [
            "Ordered and paid for the router.",
            "Courier says it was delivered.",
        ]
    finally:
        pw.close()


async def test_validation_errors_show_under_the_field(make_app, home):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: screen_name(pilot) == "CasesScreen")
        await pilot.press("n")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseFormScreen")
        await _fill_case_form(
            pilot,
            **{
                **GOOD_CASE,
                "jurisdiction": "Narnia",
                "company__name": "",
                "sender__email": "not-an-address",
            },
        )
        await pilot.press("ctrl+f")
        app.screen.query("FactRow")[0].value = ("2026-13-01", "A day that does not exist.")
        await pilot.press("ctrl+s")

        def error(path: str) -> str:
            found = app.screen.query(f"#f-{path}-error")
            return str(found.first(Static).render()) if found and found.first().display else ""

        await wait_for(pilot, lambda: error("jurisdiction"))
        assert "not a jurisdiction" in error("jurisdiction")
        assert "Required" in error("company-name")
        assert "not a valid e-mail address" in error("sender-email")
        assert "Fact 1 date" in error("facts")
        assert error("title") == ""
        assert screen_name(pilot) == "CaseFormScreen"  # nothing saved, nothing crashed
        # fixing the field clears its message as you type
        app.screen.query_one("#f-jurisdiction", Input).value = "US-IL"
        await wait_for(pilot, lambda: error("jurisdiction") == "")
    pw = services(home)
    try:
        assert list_cases(pw) == []
    finally:
        pw.close()


async def test_draft_edit_and_render_a_letter(make_app, home):
    seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 1
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen" and app.screen.details)
        await pilot.press("d")
        await wait_for(pilot, lambda: screen_name(pilot) == "KindModal")
        # the ladder's first rung is suggested and highlighted
        await pilot.press("enter")
        # its short form asks for the letter's own request (optional): Enter drafts
        await wait_for(pilot, lambda: screen_name(pilot) == "DraftModal")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "LetterScreen" and app.screen.info)
        area = app.screen.query_one("#letter-text", TextArea)
        assert "Acme Broadband" in area.text or area.text.strip()
        area.load_text(area.text.replace("\n\n", "\n\nPlease treat this as urgent.\n\n", 1))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: len(app.screen.paths) == 2, timeout=30)
        paths = app.screen.paths
    pdf = next(p for p in paths if p.suffix == ".pdf")
    assert pdf.parent == home / "letters"
    assert (pdf.with_suffix(".docx")).is_file()
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Acme Broadband" in text
    assert "Please treat this as urgent." in text


async def test_mark_a_letter_sent(make_app, home):
    ids = seed(home, draft=True)
    app = make_app(today=TODAY + timedelta(days=2))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 1
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen" and app.screen.details)
        await pilot.press("s")
        await wait_for(pilot, lambda: screen_name(pilot) == "SentModal")
        app.screen.query_one("#sent-on", Input).value = "2026-11-27"
        app.screen.query_one("#sent-via", Select).value = "certified"
        app.screen.query_one("#sent-tracking", Input).value = "9400 1000 0000"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen")
        await wait_for(
            pilot, lambda: "sent" in _table_text(app.screen.query_one("#timeline", DataTable))
        )
        timeline = _table_text(app.screen.query_one("#timeline", DataTable))
        assert "tracking 9400 1000 0000" in timeline
        assert "Reply deadline" in timeline
    pw = services(home)
    try:
        letter = get_letter(pw, ids["letter"])
        assert (letter.status, letter.via, str(letter.sent_on)) == (
            "sent",
            "certified",
            "2026-11-27",
        )
    finally:
        pw.close()


async def test_a_bad_sent_date_is_explained_not_saved(make_app, home):
    seed(home, draft=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 1
        )
        await pilot.press("enter", "s")
        await wait_for(pilot, lambda: screen_name(pilot) == "SentModal")
        app.screen.query_one("#sent-on", Input).value = "27/11/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "SentModal"
        assert "YYYY-MM-DD" in str(app.screen.query_one("#sent-on-error", Static).render())


async def test_log_a_call_with_the_hold_stopwatch(make_app, home):
    ids = seed(home)
    now = [1000.0]
    app = make_app(clock=lambda: now[0])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 1
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen" and app.screen.details)
        await pilot.press("c")
        await wait_for(pilot, lambda: screen_name(pilot) == "CallModal")
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.screen.query_one("#stopwatch-hold").running)
        now[0] += 25 * 60 + 40  # 25 min 40 s of hold music: 26 minutes, the nearest
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.screen.query_one("#call-waited", Input).value == "26")
        # Someone answered: the talk timer runs on its own; typed minutes win over it.
        assert app.screen.query_one("#stopwatch-talk").running
        app.screen.query_one("#call-duration", Input).value = "12"
        app.screen.query_one("#call-rep", Input).value = "Dana"
        app.screen.query_one("#call-ref", Input).value = "REF-5521"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen")
        await wait_for(
            pilot,
            lambda: "26 min on hold" in str(app.screen.query_one("#case-tally", Static).render()),
        )
    pw = services(home)
    try:
        [event] = case_view(pw, ids["case"], TODAY).events
        assert event.kind == "call"
        assert event.data["waited"] == 26 and event.data["duration"] == 12
        assert event.data["rep"] == "Dana" and event.data["ref"] == "REF-5521"
    finally:
        pw.close()


async def test_log_a_reply_that_resolves_the_case(make_app, home):
    ids = seed(home, sent_via="email")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 1
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen" and app.screen.details)
        await pilot.press("r")
        await wait_for(pilot, lambda: screen_name(pilot) == "ReplyModal")
        app.screen.query_one("#reply-summary", Input).value = "Refund of $89.99 issued."
        app.screen.query_one("#reply-resolved").value = True
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: (
                screen_name(pilot) == "CaseScreen" and app.screen.details.case.status == "closed"
            ),
        )
    pw = services(home)
    try:
        assert case_view(pw, ids["case"], TODAY).case.status == "closed"
    finally:
        pw.close()


async def test_the_agenda_shows_a_lapsed_deadline_and_reissues(make_app, home):
    ids = seed(home, sent_via="email")
    pw = services(home)
    try:
        plan = case_view(pw, ids["case"], TODAY).plan
        deadline = plan.clocks[0].deadline.deadline
    finally:
        pw.close()
    later = deadline + timedelta(days=3)
    app = make_app(today=later)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 1
        )
        assert "overdue" in _table_text(app.screen.query_one("#cases-table", DataTable))
        await pilot.press("g")
        await wait_for(pilot, lambda: screen_name(pilot) == "AgendaScreen" and app.screen.rows)
        table = _table_text(app.screen.query_one("#agenda-table", DataTable))
        assert "Charged twice for October service" in table
        assert "OVERDUE" in table
        await pilot.press("r")
        # The due row makes way for the drafted letter, which still has to go out.
        await wait_for(
            pilot,
            lambda: [r.waiting_letter for r in app.screen.rows] == [ids["letter"] + 1],
        )
        table = _table_text(app.screen.query_one("#agenda-table", DataTable))
        assert "to send now" in table and "OVERDUE" not in table
        assert "letter 2 is drafted" in table
        assert "drafted letter waits to be sent" in str(
            app.screen.query_one("#agenda-hint", Static).render()
        )
        await pilot.press("r")  # nothing due any more: nothing drafted twice
        await pilot.pause(0.5)
    pw = services(home)
    try:
        letters = case_view(pw, ids["case"], later).letters
        assert [lt.kind for lt in letters] == ["complaint", "follow_up"]
        assert len(list((home / "letters").glob("*follow*"))) == 2
    finally:
        pw.close()


async def test_the_command_palette_reaches_the_agenda(make_app, home):
    seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: screen_name(pilot) == "CasesScreen")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: screen_name(pilot) == "CommandPalette")
        await pilot.press(*"agenda")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "AgendaScreen")


async def test_keys_are_remapped_from_the_config(make_app, home):
    seed(home)
    (home / "config.toml").write_text('[keys]\n"cases.new" = "ctrl+n"\n', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 1
        )
        await pilot.press("n")
        await pilot.pause()
        assert screen_name(pilot) == "CasesScreen"
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseFormScreen")


async def test_help_light_dark_and_archive(make_app, home):
    seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 1
        )
        await pilot.press("f1")
        await wait_for(pilot, lambda: screen_name(pilot) == "HelpModal")
        await pilot.press("escape")
        dark = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != dark
        await pilot.press("a")
        await wait_for(
            pilot,
            lambda: "(archived)" in _table_text(app.screen.query_one("#cases-table", DataTable)),
        )


async def test_settings_saves_the_profile(make_app, home):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#welcome").display)
        await pilot.click("#welcome-profile")
        await wait_for(pilot, lambda: screen_name(pilot) == "SettingsScreen")
        app.screen.query_one("#p-name", Input).value = "Jordan Rivera"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query_one("#p-address-error").display)
        app.screen.query_one("#p-address", TextArea).load_text(
            "12 Elm Street\nSpringfield, IL 62704"
        )
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.sub_title == "profile saved")
    pw = services(home)
    try:
        assert get_profile(pw).address == ["12 Elm Street", "Springfield, IL 62704"]
    finally:
        pw.close()


async def test_settings_change_layout_and_output_folder(make_app, home, tmp_path):
    home.mkdir()
    (home / "config.toml").write_text('# mine\n\n[keys]\n"cases.new" = "ctrl+n"\n')
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#welcome").display)
        await pilot.press("f3")
        await wait_for(pilot, lambda: screen_name(pilot) == "SettingsScreen")
        screen = app.screen
        assert screen.query_one("#s-layout", Select).value == ""
        screen.query_one("#s-layout", Select).value = "din5008_a"
        screen.query_one("#s-locale", Select).value = "de_DE"
        screen.query_one("#s-output", Input).value = str(blocked)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.query_one("#s-output-error").display)
        assert "is not a folder" in str(screen.query_one("#s-output-error", Static).render())
        # Nothing was written while a field was in red.
        assert "layout" not in (home / "config.toml").read_text()

        folder = tmp_path / "letters out"
        screen.query_one("#s-output", Input).value = str(folder)
        await pilot.press("ctrl+t")  # the light theme, kept by saving
        await wait_for(pilot, lambda: screen.query_one("#s-theme", Select).value == "light")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.config.layout == "din5008_a")
        assert app.config.theme == "light"
        assert not screen.query_one("#s-output-error").display
        assert folder.is_dir() and app.output_dir == folder
    text = (home / "config.toml").read_text()
    assert text.startswith("# mine\n") and '"cases.new" = "ctrl+n"' in text
    assert 'layout = "din5008_a"' in text and 'locale = "de_DE"' in text
    assert oct((home / "config.toml").stat().st_mode & 0o777) == "0o600"

    # The next start reads the settings back into the screen, and the new case
    # form starts in the chosen language.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#welcome").display)
        await pilot.press("f3")
        await wait_for(pilot, lambda: screen_name(pilot) == "SettingsScreen")
        assert app.screen.query_one("#s-layout", Select).value == "din5008_a"
        assert app.screen.query_one("#s-output", Input).value == str(folder)
        await pilot.press("escape", "ctrl+n")  # remapped in the config file
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseFormScreen")
        assert app.screen.query_one("#f-locale", Select).value == "de_DE"


async def test_print_hands_the_pdf_to_lp(make_app, home, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record, data = tmp_path / "lp-args", tmp_path / "lp-data"
    fake = bin_dir / "lp"
    fake.write_text(
        f'#!/bin/sh\necho "$@" > {record}.tmp\ncat > {data}\nmv {record}.tmp {record}\n'
        'echo "request id is office-1 (1 file(s))"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    seed(home, draft=True)
    (home / "config.toml").write_text('printer = "office"\nprint_duplex = true\n')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 1
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen" and app.screen.details)
        await pilot.press("l")
        await wait_for(pilot, lambda: screen_name(pilot) == "LetterScreen" and app.screen.info)
        # The print key is in the letter screen's footer.
        footer_keys = [
            binding.key
            for (_node, binding, enabled, _tip) in app.screen.active_bindings.values()
            if binding.show and enabled
        ]
        assert "ctrl+l" in footer_keys
        await pilot.press("ctrl+l")
        await wait_for(pilot, record.exists, timeout=30)
    # The same job as `paperwork letter print`: printer, paper and duplex from the config.
    assert record.read_text().split() == [
        "-d", "office", "-t", "paperwork", "letter", "1", "-n", "1",
        "-o", "media=Letter", "-o", "sides=two-sided-long-edge",
    ]  # fmt: skip
    assert data.read_bytes().startswith(b"%PDF-")


async def test_edit_a_case_keeps_what_the_form_does_not_show(make_app, home):
    ids = seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 1
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen" and app.screen.details)
        await pilot.press("e")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseFormScreen")
        assert app.screen.query_one("#f-company-name", Input).value == "Acme Broadband, Inc."
        app.screen.query_one("#f-title", Input).value = "Charged twice, still no refund"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen")
    pw = services(home)
    try:
        case = case_view(pw, ids["case"], TODAY).case
        assert case.title == "Charged twice, still no refund"
        assert len(case.facts) == 3 and str(case.amount.value) == "89.99"
    finally:
        pw.close()


async def test_the_screens_built_in_advance_show_each_case_and_letter_afresh(make_app, home):
    """Opening a case or a letter fills in a screen the warm-up built (issue 17): two
    cases and their letters in turn, each with its own data and nothing of the last."""
    from paperwork.tui.case_view import CaseScreen
    from paperwork.tui.letter import LetterScreen

    draft = seed(home, draft=True)
    sent = seed(home, sent_via="certified")
    app = make_app()

    async def open_case(case_id: int) -> None:
        table = app.screen.query_one("#cases-table", DataTable)
        table.move_cursor(row=[str(key.value) for key in table.rows].index(str(case_id)))
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                screen_name(pilot) == "CaseScreen"
                and app.screen.details
                and app.screen.details.case.id == case_id
            ),
        )

    async def back_to(name: str) -> None:
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_name(pilot) == name)

    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: (
                app.warmed_up.is_set()
                and app.screen.query_one("#cases-table", DataTable).row_count == 2
            ),
        )
        spare_case, spare_letter = app._spares[CaseScreen], app._spares[LetterScreen]
        await open_case(draft["case"])
        assert app.screen is spare_case
        timeline = app.screen.query_one("#timeline", DataTable)
        assert "sent" not in _table_text(timeline)
        await pilot.press("up")
        await back_to("CasesScreen")

        await open_case(sent["case"])
        assert app.screen is spare_case
        timeline = app.screen.query_one("#timeline", DataTable)
        assert "sent" in _table_text(timeline)
        assert timeline.cursor_row == timeline.row_count - 1  # not the last case's line
        await pilot.press("l")
        await wait_for(pilot, lambda: screen_name(pilot) == "LetterScreen" and app.screen.info)
        assert app.screen is spare_letter and app.screen.letter_id == sent["letter"]
        assert app.screen.query_one("#letter-text", TextArea).read_only
        assert "gone out" in str(app.screen.query_one("#letter-files", Static).render())
        await back_to("CaseScreen")
        assert app.screen.details.case.id == sent["case"]
        await back_to("CasesScreen")

        await open_case(draft["case"])
        await pilot.press("l")
        await wait_for(
            pilot,
            lambda: (
                screen_name(pilot) == "LetterScreen"
                and app.screen.info
                and app.screen.info["id"] == draft["letter"]
            ),
        )
        assert not app.screen.query_one("#letter-text", TextArea).read_only
        assert app.screen.query_one("#letter-hint", Static).display
        assert not str(app.screen.query_one("#letter-files", Static).render()).strip()
        assert "Letter " + str(draft["letter"]) in str(
            app.screen.query_one("#letter-info", Static).render()
        )
