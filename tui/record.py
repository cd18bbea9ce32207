"""The case record from the case screen: add evidence, build a bundle, draft a post."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from marshmallow import ValidationError
from paperwork.tui.modals import FormModal, clean, first_message
from paperwork.tui.safe_text_area import SafeTextArea
from paperwork.tui.safe_widgets import SafeInput
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Footer, Input, Select, Static, TextArea

from paperwork.core.controls import visible_controls
from paperwork.core.i18n import _

PLATFORMS = (("X", "x"), ("Bluesky", "bluesky"), ("Mastodon", "mastodon"))


class PathSuggester(Suggester):
    """Completes the last part of a file path from what is in that folder."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = os.path.expanduser(value)
        folder, _sep, start = typed.rpartition(os.sep)
        base = Path(folder or (os.sep if typed.startswith(os.sep) else "."))
        try:
            # A name with control characters in it is never offered: the suggestion
            # is drawn as it is, so it could reach the terminal raw.
            names = sorted(
                entry.name
                for entry in os.scandir(base)
                if not entry.name.startswith(".") and visible_controls(entry.name) == entry.name
            )
        except OSError:
            return None
        for name in names:
            if name.startswith(start) and name != start:
                suggestion = value[: len(value) - len(start)] + name
                return suggestion + (os.sep if (base / name).is_dir() else "")
        return None


class EvidenceModal(FormModal):
    """Add a statement, receipt, screenshot or photo to the case."""

    def __init__(self, today: date):
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(_("Add evidence"), classes="dialog-title")
            yield Static(
                _(
                    "A PDF, PNG or JPEG up to 50 MB. Paperwork keeps its own copy; the right arrow completes a path."
                ),
                classes="hint",
            )
            yield from self.field(
                _("File"),
                SafeInput(
                    placeholder=_("e.g. ~/Downloads/statement.pdf"),
                    id="evidence-path",
                    suggester=PathSuggester(),
                ),
                "evidence-path",
            )
            yield from self.field(
                _("Title (optional)"),
                SafeInput(placeholder=_("e.g. October statement"), id="evidence-title"),
                "evidence-title",
            )
            yield from self.buttons(_("Add"))
        yield Footer(compact=True)

    def action_save(self) -> None:
        self.errors_clear()
        typed = self.query_one("#evidence-path", Input).value.strip()
        path = Path(os.path.expanduser(typed)) if typed else None
        if path is None or not path.is_file():
            self.error(
                "evidence-path", _("no such file; type its path (the right arrow completes it).")
            )
            return
        try:
            title = clean(self.query_one("#evidence-title", Input).value)
        except ValidationError as exc:
            self.error("evidence-title", first_message(exc))
            return
        self.dismiss({"path": path, "title": title or None})


class SocialModal(ModalScreen[None]):
    """Post drafts for a platform, within its limit, free of private details."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Close"), id="social.close", tooltip=_("Back to the case")),
    ]

    def __init__(self, case_id: int):
        super().__init__()
        self.case_id = case_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(_("Draft a public post"), classes="dialog-title")
            yield Static(
                _(
                    "Copy a draft into the platform yourself. Your account number, address, phone and e-mail are left out."
                ),
                classes="hint",
            )
            yield Select(PLATFORMS, value="x", allow_blank=False, id="social-platform")
            yield SafeTextArea("", id="social-drafts", read_only=True, soft_wrap=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load("x")

    @on(Select.Changed, "#social-platform")
    def _platform_changed(self, event: Select.Changed) -> None:
        self.load(str(event.value))

    def load(self, platform: str) -> None:
        self.run_worker(self._load(platform), exclusive=True, group="social")

    async def _load(self, platform: str) -> None:
        app: Any = self.app
        try:
            text = await app.backend.call(social_text, self.case_id, platform, app.today)
        except Exception as exc:
            app.report(exc, _("Could not draft a post"))
            return
        self.query_one("#social-drafts", TextArea).load_text(text)

    def action_close(self) -> None:
        self.dismiss(None)


def social_text(pw: Any, case_id: int, platform: str, today: date) -> str:
    """The drafts of one platform as plain text, each post with its count."""
    from paperwork.aggregate.social import PLATFORMS as LIMITS
    from paperwork.aggregate.social import count, social_drafts
    from paperwork.services.schedule import case_view

    view = case_view(pw, case_id, today)
    drafts = social_drafts(view.case, platform, view.tally)
    title = LIMITS[platform].title
    out: list[str] = []
    for draft in drafts.drafts:
        out.append(
            _("== {draft} ({platform}, limit {limit})").format(
                draft=draft.name, platform=title, limit=drafts.limit
            )
        )
        for post in draft.posts:
            out.append(f"-- {count(post, platform)}/{drafts.limit}")
            out.append(post)
        out.append("")
    out.extend(_("note: {note}").format(note=note) for note in drafts.notes)
    return "\n".join(out)


def add_evidence(pw: Any, case_id: int, path: Path, today: date, title: str | None) -> str:
    """Keep the file as evidence on the case; returns its title."""
    from paperwork.services.record import add_evidence as keep

    return str(keep(pw, case_id, path, today, title=title).data.get("title", ""))


def build_bundle(pw: Any, case_id: int, out_dir: Path, today: date) -> tuple[Path, int]:
    """Build the case's bundle (PDF and DOCX) into ``out_dir``; returns the PDF and its pages."""
    from paperwork.services.record import build_bundle as build
    from paperwork.store.files import ensure_output_dir, safe_stem

    ensure_output_dir(out_dir)
    stem = f"bundle-{case_id:04d}-{safe_stem(pw.store.case_title(case_id), 40)}"
    result = build(pw, case_id, out_dir / f"{stem}.pdf", today, docx_out=out_dir / f"{stem}.docx")
    return result.path, result.pages
