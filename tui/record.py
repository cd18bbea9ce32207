"""The case record from the case screen: evidence, bundle, chronology, calendar, envelope,
e-mail, statistics and a public post."""

from __future__ import annotations

import os
from datetime import UTC, date
from pathlib import Path
from typing import Any, ClassVar

from marshmallow import ValidationError
from paperwork.tui.base import FAILED, KeyFooter, PaperworkModal
from paperwork.tui.modals import FormModal, clean, first_message
from paperwork.tui.safe_text_area import SafeTextArea
from paperwork.tui.safe_widgets import SafeInput
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Input, Select, Static, TextArea

from paperwork.core.controls import visible_controls
from paperwork.core.i18n import N_, _

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
        yield KeyFooter()

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


class SocialModal(PaperworkModal[None]):
    """Post drafts for a platform, within its limit, free of private details."""

    AUTO_FOCUS = "#social-platform"

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
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load("x")

    @on(Select.Changed, "#social-platform")
    def _platform_changed(self, event: Select.Changed) -> None:
        self.load(str(event.value))

    def load(self, platform: str) -> None:
        self.run_worker(self._load(platform), exclusive=True, group="social")

    async def _load(self, platform: str) -> None:
        text = await self.ask(
            social_text, self.case_id, platform, self.app.today, failure=_("Could not draft a post")
        )
        if text is FAILED:
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


def _case_stem(pw: Any, what: str, case_id: int) -> str:
    from paperwork.store.files import safe_stem

    return f"{what}-{case_id:04d}-{safe_stem(pw.store.case_title(case_id), 40)}"


def write_chronology(pw: Any, case_id: int, out_dir: Path, today: date) -> list[Path]:
    """The case's chronology as PDF and DOCX in ``out_dir``."""
    from paperwork.services.record import write_chronology as write
    from paperwork.store.files import ensure_output_dir

    ensure_output_dir(out_dir)
    stem = _case_stem(pw, "chronology", case_id)
    return write(pw, case_id, today, out_dir / f"{stem}.pdf", docx_out=out_dir / f"{stem}.docx")


def write_case_calendar(pw: Any, case_id: int, out_dir: Path, today: date) -> Path:
    """The case's deadlines and scheduled letters as an .ics file in ``out_dir``."""
    from paperwork.services.calendar import export_calendar
    from paperwork.store.files import ensure_output_dir

    ensure_output_dir(out_dir)
    out = out_dir / f"{_case_stem(pw, 'deadlines', case_id)}.ics"
    export_calendar(pw, case_id, out, today)
    return out


def write_letter_envelope(pw: Any, letter_id: int, out_dir: Path) -> Path:
    """An envelope for the letter (PDF) in ``out_dir``."""
    from paperwork.services.letters import get_letter, output_stem
    from paperwork.services.record import write_envelope
    from paperwork.store.files import ensure_output_dir

    ensure_output_dir(out_dir)
    stem = output_stem(pw, get_letter(pw, letter_id))
    return write_envelope(pw, letter_id, out_dir / f"{stem}-envelope.pdf")


def write_letter_email(pw: Any, letter_id: int, out_dir: Path) -> Path:
    """The letter as an e-mail (.eml, its PDF attached) in ``out_dir``, to send from a mail program."""
    from datetime import datetime

    from paperwork.services.letters import get_letter, output_stem
    from paperwork.services.record import write_email
    from paperwork.store.files import ensure_output_dir

    ensure_output_dir(out_dir)
    stem = output_stem(pw, get_letter(pw, letter_id))
    return write_email(pw, letter_id, out_dir / f"{stem}.eml", datetime.now(UTC))


def stats_text(pw: Any) -> str:
    """Every company's numbers, then all together, one paragraph each (as ``paperwork stats``)."""
    from paperwork.services.describe import stats_line
    from paperwork.services.overview import stats

    result = stats(pw)
    if not result.companies:
        return _("No cases yet.")
    lines = [stats_line(numbers, numbers.company) for numbers in result.companies]
    lines.append(stats_line(result.overall, _("All companies")))
    return "\n\n".join(lines)


class StatsModal(PaperworkModal[None]):
    """What the letters, calls and replies won, per company and overall."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Close"), id="stats.close", tooltip=_("Back to the case")),
    ]
    HELP = N_("Pressure applied and outcomes won across all your cases, per company.")

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog dialog-wide"):
            yield Static(_("Your statistics"), classes="dialog-title")
            yield Static(_("Counting…"), id="stats-text", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.run_worker(self._load(), exclusive=True, group="stats")

    async def _load(self) -> None:
        text = await self.ask(stats_text, failure=_("Could not count"))
        if text is not FAILED:
            self.query_one("#stats-text", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(None)
