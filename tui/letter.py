"""One letter: read and edit its wording, print it to PDF and DOCX, mark it sent."""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path
from typing import Any, ClassVar

from paperwork.tui.base import FAILED, OPENING_WAIT, KeyFooter, PaperworkScreen, ready
from paperwork.tui.safe_text_area import SafeTextArea
from paperwork.tui.sending import mark_letter_sent
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, ProgressBar, Static, TextArea

from paperwork.core.i18n import N_, _
from paperwork.letters.compose import EDIT_HELP
from paperwork.services.describe import channel_word, kind_title

FORMATS = ("pdf", "docx")


def opener() -> list[str] | None:
    """The desktop's "open this file" command, if there is one."""
    if sys.platform == "darwin":
        return ["open"]
    tool = shutil.which("xdg-open")
    return [tool] if tool else None


def desktop_session() -> bool:
    """Whether a viewer can open a window: a macOS session, or X11 / Wayland on Linux."""
    import os

    return sys.platform == "darwin" or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def letter_summary(pw: Any, letter_id: int) -> dict[str, Any]:
    """What the letter screen shows, read on the services thread."""
    from paperwork.services.letters import get_letter, letter_editable_text

    letter = get_letter(pw, letter_id)
    case = pw.store.case(letter.case_id)
    return {
        "id": letter.id,
        "case_id": case.id,
        "case_title": case.title,
        "company": case.company.name,
        "title": kind_title(pw, letter.kind, case.locale),
        "status": letter.status,
        "drafted_on": letter.drafted_on,
        "sent_on": letter.sent_on,
        "via": letter.via,
        "reply_by": letter.document.reply_by,
        "text": letter_editable_text(pw, letter_id),
    }


class LetterScreen(PaperworkScreen[None]):
    """The letter's editable text in a text area, with save, render and mark sent."""

    TITLE = _("Letter")
    HELP = N_(
        "The wording of the letter. Edit it freely: the subject comes first, then a blank "
        "line, the greeting, the paragraphs (a blank line between each) and the closing "
        "line last. Your name, the addresses and the date are added when it is printed. "
        "Ctrl+R writes a PDF to print and a DOCX to edit; F4 shows the printed pages here; "
        "Ctrl+L prints it (lp), Ctrl+G opens it; Ctrl+O records that it went out."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            _("Back"),
            id="letter.back",
            tooltip=_("Back to the case (saves your edits first)"),
        ),
        Binding(
            "ctrl+s", "save", _("Save"), id="letter.save", tooltip=_("Save the edited wording")
        ),
        Binding(
            "ctrl+r",
            "render",
            _("Make PDF+DOCX"),
            id="letter.render",
            tooltip=_("Write the letter as PDF and DOCX into the output folder"),
        ),
        Binding(
            "ctrl+o",
            "mark_sent",
            _("Mark sent"),
            id="letter.sent",
            tooltip=_("Record the day and the way it went out"),
        ),
        Binding(
            "ctrl+l",
            "print",
            _("Print"),
            id="letter.print",
            tooltip=_("Send the PDF to your printer (CUPS lp)"),
        ),
        Binding(
            "f4",
            "preview",
            _("Pages"),
            id="letter.preview",
            tooltip=_("See the printed pages here, page by page"),
        ),
        Binding(
            "ctrl+g",
            "open_pdf",
            _("Open PDF"),
            id="letter.open",
            tooltip=_("Show the PDF in your usual viewer"),
            show=False,
        ),
    ]

    def __init__(self, letter_id: int | None = None):
        # None: a screen built in advance, shown later with reopen() (PaperworkApp.open_letter)
        super().__init__()
        self.letter_id = letter_id or 0
        self.info: dict[str, Any] | None = None
        self.saved_text = ""
        self.paths: list[Path] = []
        self._asked: Future[dict[str, Any]] | None = None

    def ask_for(self, letter_id: int) -> Future[dict[str, Any]]:
        """Have the services thread read letter ``letter_id`` for this screen."""
        return self.app.backend.submit(letter_summary, letter_id)

    def compose(self) -> ComposeResult:
        # Read the letter while the screen is built (see CaseScreen.compose).
        if self.letter_id:
            self._asked = self.ask_for(self.letter_id)
        yield Header()
        yield Static(_("Loading the letter…"), id="letter-info", markup=False)
        yield Static(_(EDIT_HELP), id="letter-hint", classes="hint")
        yield SafeTextArea("", id="letter-text", soft_wrap=True, show_line_numbers=False)
        # the progress bar (#render-progress) is mounted above this line on the first render
        yield Static("", id="letter-files", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        asked, self._asked = self._asked, None
        if asked is not None:
            self._arrived(asked)

    def _arrived(self, asked: Future[dict[str, Any]]) -> bool:
        """Show the letter if ``asked`` answers within OPENING_WAIT (True), else once it
        does (False)."""
        info = ready(asked, OPENING_WAIT)
        if info is None:
            self.load(asked)
            return False
        self.info = info
        self.show()
        return True

    def reopen(self, letter_id: int, asked: Future[dict[str, Any]]) -> None:
        """Show letter ``letter_id`` on this screen, built before and just pushed again:
        nothing of the letter shown last stays (its text, its files, its workers)."""
        self.workers.cancel_node(self)
        self.restyle_skipped()
        self.letter_id = letter_id
        self.info = None
        self.paths = []
        files = self.query_one("#letter-files", Static)
        if files.content:
            files.update("")
        for bar in self.query("#render-progress").results(ProgressBar):
            bar.display = False
        if not self._arrived(asked):
            self.sub_title = ""
            self.query_one("#letter-info", Static).update(_("Loading the letter…"))
            self.saved_text = ""
            self.query_one("#letter-text", TextArea).load_text("")

    def reload(self) -> None:
        self.load()

    @work(exclusive=True, group="letter-load")
    async def load(self, asked: Future[dict[str, Any]] | None = None) -> None:
        """Read the letter (or wait for the answer already ``asked``) and show it."""
        failure = _("Could not open the letter")
        if asked is None:
            info = await self.ask(letter_summary, self.letter_id, failure=failure)
        else:
            info = await self.answer(asked, failure)
        if info is FAILED:
            return
        self.info = info
        self.show()

    def show(self) -> None:
        info = self.info
        assert info is not None
        self.sub_title = self._heading()
        if info["status"] == "draft":
            state = _("draft of {day}").format(day=info["drafted_on"])
        else:
            state = _("sent on {day} by {how}: the text is frozen").format(
                day=info["sent_on"], how=channel_word(info["via"])
            )
        line = _("Letter {id}").format(id=info["id"]) + f" · {self._heading()} · {state}"
        if info["reply_by"]:
            line += "\n" + _("It asks for a reply by {day}.").format(day=info["reply_by"])
        self.query_one("#letter-info", Static).update(line)
        area = self.query_one("#letter-text", TextArea)
        self.saved_text = info["text"]
        area.load_text(info["text"])
        area.read_only = info["status"] != "draft"
        self.query_one("#letter-hint", Static).display = not area.read_only
        if info["status"] != "draft":
            self.query_one("#letter-files", Static).update(
                _(
                    "This letter has gone out; its wording is kept exactly as sent. "
                    "Ctrl+R writes the kept copy again."
                )
            )
        self.refresh_bindings()
        area.focus()

    def _heading(self) -> str:
        """The letter's kind and its addressee: "Formal complaint to Acme"."""
        assert self.info is not None
        return _("{kind} to {company}").format(
            kind=self.info["title"], company=self.info["company"]
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Saving and marking sent only make sense for a draft; print and open need the tools."""
        if (
            action in ("save", "mark_sent")
            and self.info is not None
            and self.info["status"] != "draft"
        ):
            return None
        if action == "print":
            return shutil.which("lp") is not None
        return True

    @property
    def dirty(self) -> bool:
        return (
            self.info is not None
            and self.query_one("#letter-text", TextArea).text != self.saved_text
        )

    # -- saving -----------------------------------------------------------------
    async def _save(self) -> bool:
        """Store the edited text; False (and a message) if the services refuse it."""
        from paperwork.services.letters import edit_letter

        if not self.dirty:
            return True
        text = self.query_one("#letter-text", TextArea).text
        if (
            await self.ask(edit_letter, self.letter_id, text, failure=_("Your edit was not saved"))
            is FAILED
        ):
            return False
        self.saved_text = text
        return True

    @work(exclusive=True, group="letter-save")
    async def action_save(self) -> None:
        if not self.dirty:
            self.app.say(_("Nothing to save: no changes."))
        elif await self._save():
            self.app.say(_("Saved."))

    @work(exclusive=True, group="letter-save")
    async def action_back(self) -> None:
        if self.dirty and not await self._save():
            return
        self.app.pop_screen()

    # -- rendering -----------------------------------------------------------------
    @work(exclusive=True, group="letter-save")
    async def action_render(self) -> None:
        if self.info is None or not await self._save():
            return
        self.render_files()

    @work(thread=True, exclusive=True, group="letter-render")
    def render_files(self) -> list[Path]:
        """Render PDF then DOCX on a worker thread, advancing the progress bar."""
        from paperwork.services.letters import write_letter_files

        app = self.app
        out_dir: Path = app.output_dir
        app.call_from_thread(self._render_started)
        paths: list[Path] = []
        try:
            for fmt in FORMATS:
                paths += app.backend.call_blocking(
                    lambda pw, f=fmt: write_letter_files(pw, self.letter_id, out_dir, (f,))
                )
                app.call_from_thread(self._render_advanced)
        except Exception as exc:
            app.call_from_thread(self._render_failed, exc)
            return paths
        app.call_from_thread(self._render_done, paths)
        return paths

    def _render_started(self) -> None:
        bar = next(self.query("#render-progress").results(ProgressBar), None)
        if bar is None:  # not mounted with the screen: opening a letter does not wait for it
            bar = ProgressBar(total=len(FORMATS), show_eta=False, id="render-progress")
            self.mount(bar, before="#letter-files")
        else:
            bar.update(progress=0)
            bar.display = True
        self.query_one("#letter-files", Static).update(_("Writing the PDF and the DOCX…"))

    def _render_advanced(self) -> None:
        self.query_one("#render-progress", ProgressBar).advance(1)

    def _render_failed(self, exc: BaseException) -> None:
        self.query_one("#render-progress", ProgressBar).display = False
        self.query_one("#letter-files", Static).update("")
        self.app.report(exc, _("Could not write the letter"))

    def _render_done(self, paths: list[Path]) -> None:
        self.paths = paths
        self.query_one("#render-progress", ProgressBar).display = False
        listing = "\n".join(str(p) for p in paths)
        self.query_one("#letter-files", Static).update(
            _(
                "Written:\n{files}\n"
                "Print the PDF, sign it and post it, then press Ctrl+O to mark it sent."
            ).format(files=listing)
        )
        self.app.say(
            _("Letter written:\n{files}").format(files=listing),
            title=_("PDF and DOCX ready"),
            timeout=12,
        )

    # -- sending -------------------------------------------------------------------
    @work(exclusive=True, group="letter-save")
    async def action_mark_sent(self) -> None:
        if self.info is None or not await self._save():
            return
        if await mark_letter_sent(self, self.letter_id):
            self.load()

    @work(exclusive=True, group="letter-save")
    async def action_preview(self) -> None:
        from paperwork.tui.preview import PreviewScreen

        if self.info is not None and await self._save():
            self.app.push_screen(PreviewScreen(self.letter_id, self._heading()))

    @on(TextArea.Changed, "#letter-text")
    def _changed(self) -> None:
        if self.info is not None:
            self.sub_title = ("● " + _("unsaved") + " · " if self.dirty else "") + self._heading()

    # -- printing and opening ------------------------------------------------------
    @work(exclusive=True, group="letter-save")
    async def action_print(self) -> None:
        if self.info is not None and await self._save():
            self.send_to_printer()

    @work(thread=True, exclusive=True, group="letter-render")
    def send_to_printer(self) -> None:
        """The same as `paperwork letter print`: the layout's paper, copies, duplex setting."""
        from paperwork.services.printing import print_letter

        app = self.app
        try:
            said = app.backend.call_blocking(lambda pw: print_letter(pw, self.letter_id))
        except Exception as exc:
            app.call_from_thread(app.report, exc, _("Not printed"))
            return
        app.call_from_thread(app.say, said or _("Sent to the printer"))

    @work(exclusive=True, group="letter-save")
    async def action_open_pdf(self) -> None:
        command = opener()
        if command is None or not desktop_session():
            self.app.say(
                _(
                    "There is no desktop here to show the PDF. Ctrl+R writes it to the "
                    "output folder; F4 shows the pages right here."
                ),
                title=_("Not opened"),
            )
            return
        if self.info is not None and await self._save():
            self.hand_over(command, _("Opened"))

    @work(thread=True, exclusive=True, group="letter-render")
    def hand_over(self, command: list[str], done: str) -> None:
        """Give the PDF (written first if needed) to the desktop viewer."""
        from paperwork.services.letters import write_letter_files

        app = self.app
        try:
            pdfs = [p for p in self.paths if p.suffix == ".pdf" and p.is_file()]
            if not pdfs:
                pdfs = app.backend.call_blocking(
                    lambda pw: write_letter_files(pw, self.letter_id, app.output_dir, ("pdf",))
                )
            result = subprocess.run(
                [*command, str(pdfs[0])], capture_output=True, text=True, timeout=60
            )
        except Exception as exc:
            app.call_from_thread(app.report, exc, _("Could not hand the PDF over"))
            return
        if result.returncode != 0:
            said = (result.stderr or result.stdout).strip().splitlines()
            message = _("{command} failed ({code}).").format(
                command=Path(command[0]).name, code=result.returncode
            ) + (f"\n{said[0][:160]}" if said else "")
            app.call_from_thread(
                app.say, message, _("Not printed") if command == ["lp"] else _("Not opened"), True
            )
            return
        app.call_from_thread(app.say, f"{done}: {pdfs[0]}")
