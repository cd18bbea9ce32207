"""The case record from the keyboard: evidence with path completion, a bundle, post drafts."""

from __future__ import annotations

from textual.widgets import DataTable, Input, TextArea
from tuikit import SIZE, TODAY, screen_name, seed, services, wait_for

from paperwork.services.schedule import case_view


async def _open_case(pilot, app) -> None:
    await wait_for(pilot, lambda: app.screen.query_one("#cases-table", DataTable).row_count == 1)
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen" and app.screen.details)


async def test_add_evidence_with_path_completion(make_app, home, tmp_path):
    from PIL import Image

    ids = seed(home)
    folder = tmp_path / "scans"
    folder.mkdir()
    Image.new("RGB", (300, 200), "white").save(folder / "statement-october.png")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot, app)
        await pilot.press("v")
        await wait_for(pilot, lambda: screen_name(pilot) == "EvidenceModal")
        field = app.screen.query_one("#evidence-path", Input)
        field.focus()
        await pilot.pause()
        field.value = str(folder) + "/st"
        field.cursor_position = len(field.value)
        await pilot.press("a", "t")  # typing asks the path suggester
        await wait_for(pilot, lambda: field._suggestion.endswith("statement-october.png"))
        await pilot.press("right")  # accept the completion
        assert field.value == str(folder / "statement-october.png")
        app.screen.query_one("#evidence-title", Input).value = "October statement"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen")
        await wait_for(
            pilot,
            lambda: any("October statement" in str(row) for row in app.screen.details.timeline),
        )
    pw = services(home)
    try:
        [event] = [e for e in case_view(pw, ids["case"], TODAY).events if e.kind == "evidence"]
        assert (
            event.data["title"] == "October statement" and event.data["media_type"] == "image/png"
        )
    finally:
        pw.close()


async def test_a_missing_evidence_file_is_explained(make_app, home, tmp_path):
    seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot, app)
        await pilot.press("v")
        await wait_for(pilot, lambda: screen_name(pilot) == "EvidenceModal")
        app.screen.query_one("#evidence-path", Input).value = str(tmp_path / "nothing.pdf")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query_one("#evidence-path-error").display)
        assert screen_name(pilot) == "EvidenceModal"


async def test_build_a_bundle(make_app, home, tmp_path):
    from pypdf import PdfReader

    seed(home, sent_via="certified")
    app = make_app()
    app.config.output = str(tmp_path / "out")
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot, app)
        await pilot.press("b")
        await wait_for(pilot, lambda: list((tmp_path / "out").glob("bundle-*.pdf")), timeout=60)
    [pdf] = (tmp_path / "out").glob("bundle-*.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Acme Broadband" in text and "Page 1 of" in text
    assert list((tmp_path / "out").glob("bundle-*.docx"))


async def test_draft_a_post(make_app, home):
    seed(home)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_case(pilot, app)
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_name(pilot) == "SocialModal")
        drafts = app.screen.query_one("#social-drafts", TextArea)
        await wait_for(pilot, lambda: "@AcmeBroadband" in drafts.text)
        assert "4471-9920" not in drafts.text and "/280" in drafts.text
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_name(pilot) == "CaseScreen")
