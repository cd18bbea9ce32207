"""Hostile text typed into the case form: saved literally or refused under its field, never a crash."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static, TextArea
from tuikit import SIZE, screen_name, services, wait_for

from paperwork.services.cases import list_cases

GOOD = {
    "f-title": "Router never arrived",
    "f-summary": "I paid for a router in October and it never arrived.",
    "f-remedy": "Refund the 120.00 I paid.",
    "f-jurisdiction": "US-IL",
    "f-company-name": "Acme Broadband, Inc.",
    "f-company-address": "PO Box 1234\nSpringfield, IL 62701",
    "f-sender-name": "Jordan Rivera",
    "f-sender-address": "12 Elm Street\nSpringfield, IL 62704",
}

CORPUS = [
    "Tom & Jerry <b>Ltd</b> \"quoted\" 'single'",
    "{{ 7*7 }} {% raw %} <para>x</para> <font color=red>y</font>",
    "Kirill Кирилл Ωμέγα Łukasz Dvořák 👩‍👩‍👧 e\u0301",
    "bad\x00nul",
    "escape \x1b[31mred\x1b[0m",
    "right-to-left \u202e override",
    "x" * 20_001,
]


@pytest.mark.parametrize(
    "text", CORPUS, ids=["markup", "template", "scripts", "nul", "esc", "bidi", "too-long"]
)
async def test_hostile_title_and_company(make_app, home, text):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: screen_name(pilot) == "CasesScreen")
        await pilot.press("n")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseFormScreen")
        for widget_id, value in {**GOOD, "f-title": text, "f-company-name": text}.items():
            widget = app.screen.query_one(f"#{widget_id}")
            if isinstance(widget, TextArea):
                widget.load_text(value)
            else:
                widget.value = value
        await pilot.pause()
        await pilot.press("ctrl+s")

        def error(name: str) -> str:
            found = app.screen.query(f"#f-{name}-error")
            return str(found.first(Static).render()) if found and found.first().display else ""

        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen" or error("title"))
        saved = screen_name(pilot) == "CaseScreen"
        if not saved:
            assert error("title") and error("company-name")
            assert isinstance(app.screen.query_one("#f-title"), Input)
    pw = services(home)
    try:
        cases = list_cases(pw)
        if saved:
            [case] = cases
            assert case.title == text.strip() and case.company.name == text.strip()
            assert "49" not in case.title
        else:
            assert cases == []
    finally:
        pw.close()


def test_dialog_dates_accept_the_interface_languages_short_form():
    from datetime import date

    from marshmallow import ValidationError
    from paperwork.tui.modals import parse_date

    from paperwork.core.i18n import install_language

    try:
        install_language("de")
        assert parse_date("26.11.2026") == date(2026, 11, 26)
        assert parse_date("2026-11-26") == date(2026, 11, 26)
        with pytest.raises(ValidationError):
            parse_date("gestern")
        install_language("fr")
        assert parse_date("26/11/2026") == date(2026, 11, 26)
        install_language("en")
        assert parse_date("2026-11-26") == date(2026, 11, 26)
        with pytest.raises(ValidationError):
            parse_date("11/26/2026")  # ambiguous in English: ISO only
    finally:
        install_language("en")


async def test_fields_draw_control_characters_as_symbols_never_raw():
    from paperwork.tui.safe_text_area import SafeTextArea
    from paperwork.tui.safe_widgets import SafeInput
    from textual.app import App
    from textual.widgets import Input

    hostile = "red \x1b[31m bell \x07 nul \x00 rtl \u202e del \x7f end"

    class Fields(App):
        def compose(self):
            yield SafeInput(hostile, id="safe")
            yield SafeTextArea(hostile + "\nsecond\tline", id="area")
            yield Input(hostile, id="plain")

    def raw(svg: str) -> set[str]:
        return {ch for ch in svg if ch in "\x1b\x07\x00\u202e\x7f"}

    app = Fields()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        # Textual's own Input draws them raw; that is why the app never uses it.
        assert {"\x1b", "\x00", "\u202e"} <= raw(app.export_screenshot())
        app.query_one("#plain").remove()
        await pilot.pause()
        shown = app.export_screenshot()
        assert raw(shown) == set()
        assert "␛" in shown and "␀" in shown and "␡" in shown
        # The value itself is kept as typed: the schema refuses it, naming the character.
        assert app.query_one("#safe", SafeInput).value == hostile
        assert app.query_one("#area", SafeTextArea).text.startswith(hostile)
