"""The Paperwork terminal app: run a whole dispute from the keyboard.

``run(home, demo)`` is what ``paperwork``, ``paperwork tui`` and ``paperwork
demo`` call. The app holds no rules: every screen asks :mod:`paperwork.services`
through a :class:`~paperwork.tui.backend.Backend`, which keeps the database on
one thread so the screen never waits on the disk.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from paperwork.tui.backend import Backend
from paperwork.tui.base import PaperworkAppBase
from paperwork.tui.commands import PaperworkCommands
from paperwork.tui.themes import DARK, LIGHT, theme_named
from textual import work
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen

from paperwork.core.controls import visible_controls
from paperwork.core.errors import UserError
from paperwork.core.i18n import _
from paperwork.store.config import Config

if TYPE_CHECKING:
    from paperwork.core.model import Case

S = TypeVar("S", bound=Screen[Any])


def _import_screens(app: PaperworkApp) -> None:
    """Import the screens a person opens next (see PaperworkApp._warm_up_when_idle),
    then have the app learn their styles."""
    try:
        import paperwork.tui.case_view
        import paperwork.tui.letter

        import paperwork.services.letters  # noqa: F401 - the letter screen reads with it

        app.call_from_thread(app.learn_styles)
        # the case and letter screens, built now and reused by every open
        app.call_from_thread(app.build_spares)
        # What is loaded by now (modules, the case list) lives as long as the app: out
        # of the cycle collector's way, its passes while a case opens take half as long.
        # Garbage first, so that none is kept for good.
        gc.collect()
        gc.freeze()
    except Exception:  # the screen's own import on opening will say what is wrong
        pass
    finally:
        app.warmed_up.set()


def _read_catalogue(pw: Any) -> None:
    """Read the letter kinds and the regulators directory once, on the services thread,
    before a case screen asks for them (a problem in them is reported by that call)."""
    from paperwork.core.catalog import find_court

    pw.catalog  # noqa: B018 - read for its side effect
    find_court("", pw.user_regulators)


class PaperworkApp(PaperworkAppBase):
    """Cases, letters, calls and deadlines in one keyboard-first terminal app."""

    CSS_PATH = "paperwork.tcss"
    TITLE = "Paperwork"
    SUB_TITLE = _("written pressure, on schedule")
    # Paperwork's own commands only: Textual's (Maximize, Copy text…) would bury them.
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {PaperworkCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f1",
            "help",
            _("Help"),
            id="app.help",
            tooltip=_("What this screen does and every key on it"),
        ),
        Binding(
            "f2",
            "agenda",
            _("Agenda"),
            id="app.agenda",
            tooltip=_("Everything due or overdue, across cases"),
            show=False,
        ),
        Binding(
            "f3",
            "settings",
            _("Settings"),
            id="app.settings",
            tooltip=_("Your name and address, language, output folder"),
            show=False,
        ),
        Binding(
            "ctrl+z",
            "undo",
            _("Undo"),
            id="app.undo",
            tooltip=_("Undo the last change (any record, any letter state)"),
            show=False,
        ),
        Binding(
            "ctrl+t",
            "toggle_dark",
            _("Light/dark"),
            id="app.theme",
            tooltip=_("Switch between the light and the dark theme"),
            show=False,
        ),
    ]

    def __init__(
        self,
        home: Path,
        demo: bool = False,
        today: date | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        super().__init__()
        self.home = home
        self.demo = demo
        # Every rule takes "today" as an argument; tests pass a fixed day.
        self.today = today or date.today()
        # The hold-time stopwatch reads this clock, so tests can move time.
        self.clock = clock
        self.backend = Backend(home)
        # Set once the screens opened next are imported and styled (the benchmark waits for it).
        self.warmed_up = threading.Event()
        # the screens built by the warm-up to be reused (build_spares)
        self._spares: dict[type[Screen[Any]], Screen[Any]] = {}
        self.config_problem = ""
        try:
            self.config = Config.load(home) if home.is_dir() else Config()
        except UserError as exc:
            self.config = Config()
            self.config_problem = "\n".join(exc.problems)

    # -- places ---------------------------------------------------------------
    @property
    def output_dir(self) -> Path:
        """Where letters are written: the config's ``output`` or DATA/letters."""
        if self.config.output:
            return Path(self.config.output).expanduser()
        return self.home / "letters"

    def on_mount(self) -> None:
        from paperwork.tui.cases import CasesScreen

        theme = theme_named(self.config.theme)
        if self.theme != theme:  # setting a theme restyles every widget, even the same one
            self.theme = theme
        if self.config.keys:
            self.set_keymap(dict(self.config.keys))
        self.push_screen(CasesScreen(open_first=self.demo))
        self._warm_timer = self.set_interval(0.05, self._warm_up_when_idle)
        if (self.home / "pool.sqlite").exists():
            # events queued while offline go out, quietly; the pool's module (and the
            # dialogs and form checks it brings) loads only for a data folder with a pool
            from paperwork.tui.pool import sync_at_start

            sync_at_start(self)
        if self.config_problem:
            self.say(
                self.config_problem,
                title=_("{file} ignored").format(file="config.toml"),
                error=True,
                timeout=15,
            )

    def _warm_up_when_idle(self) -> None:
        """Once the first screen shows its rows, load the case and letter screens (with
        the dialogs, pool line and text editor they bring) on a thread of their own: the
        first paint never waits for them, and opening the first case does not either."""
        if len(self.screen_stack) < 2 or not getattr(self.screen, "loaded", True):
            return  # the first screen is not up yet, or the case list still waits for its rows
        self._warm_timer.stop()
        threading.Thread(
            target=_import_screens, args=(self,), name="paperwork-warm-up", daemon=True
        ).start()
        self.backend.submit(_read_catalogue)  # queued on the services thread, like any call

    def learn_styles(self) -> None:
        """Add the text editor's styles to the stylesheet now, while the list is read.
        Textual reads a widget type's styles when the first one is mounted and parses
        the stylesheet again then: 30–60 ms of opening the first letter on a busy
        machine. Textual scopes a widget's own styles to its type, so adding them
        early changes nothing else."""
        from paperwork.tui.safe_text_area import SafeTextArea

        sheet = self.stylesheet
        try:
            # What Textual's Widget._post_register adds for a widget of this type.
            node = SafeTextArea.__new__(SafeTextArea)
            for location, css, tie_breaker, scope in node._get_default_css():
                sheet.add_source(
                    css,
                    read_from=location,
                    is_default_css=True,
                    tie_breaker=tie_breaker,
                    scope=scope,
                )
            sheet.rules  # noqa: B018 - parsed now, not on opening the letter
        except Exception:  # only a head start: the letter screen adds them when it mounts
            pass

    async def build_spares(self) -> None:
        """Build a case screen and a letter screen, mounted, styled and laid out while
        nothing is open: opening a case or a letter then only fills one in. A new screen
        costs Textual about 20 widgets to mount and style and two layout passes, which
        was most of an open (100–250 ms on this machine)."""
        from paperwork.tui.case_view import CaseScreen
        from paperwork.tui.letter import LetterScreen
        from textual.widget import AwaitMount

        for name, screen in (("spare-case", CaseScreen()), ("spare-letter", LetterScreen())):
            self.install_screen(screen, name)
            await AwaitMount(screen, self._register(self, screen))
            screen._refresh_layout(self.size)  # laid out now, not on its first open
            self._spares[type(screen)] = screen

    def _spare(self, screen_type: type[S]) -> S | None:
        """The built screen of ``screen_type`` if it is free (not in the stack: the same
        case or letter screen can be open twice, e.g. through the agenda)."""
        screen = self._spares.get(screen_type)
        if screen is None or screen in self.screen_stack or not screen.is_mounted:
            return None
        assert isinstance(screen, screen_type)
        return screen

    def on_unmount(self) -> None:
        self.backend.close()

    # -- places in the app (screens are imported when first needed) --------------
    def open_case(self, case_id: int) -> None:
        """Show one case's timeline."""
        from paperwork.tui.case_view import CaseScreen

        spare = self._spare(CaseScreen)
        if spare is None:
            self.push_screen(CaseScreen(case_id))
            return
        asked = spare.ask_for(case_id)  # read while the screen comes to the front
        self.push_screen(spare)
        spare.reopen(case_id, asked)

    def open_letter(self, letter_id: int) -> None:
        """Show one letter's text, to edit, print or mark sent."""
        from paperwork.tui.letter import LetterScreen

        spare = self._spare(LetterScreen)
        if spare is None:
            self.push_screen(LetterScreen(letter_id))
            return
        asked = spare.ask_for(letter_id)
        self.push_screen(spare)
        spare.reopen(letter_id, asked)

    def edit_case(self, case: Case | None = None) -> None:
        """The case form: a new case (``None``) or changes to ``case``."""
        from paperwork.tui.case_form import CaseFormScreen

        self.push_screen(CaseFormScreen(case))

    # -- app-wide actions -------------------------------------------------------
    def action_help(self) -> None:
        from paperwork.tui.modals import HelpModal

        if isinstance(self.screen, HelpModal):
            self.screen.dismiss()
            return
        self.push_screen(HelpModal(self.screen))

    def action_agenda(self) -> None:
        from paperwork.tui.agenda import AgendaScreen

        if not isinstance(self.screen, AgendaScreen):
            self.push_screen(AgendaScreen())

    def action_settings(self) -> None:
        from paperwork.tui.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    @work(exclusive=True, group="app-undo")
    async def action_undo(self) -> None:
        """Put back what the last change altered, then show every screen afresh."""
        from paperwork.services.history import undo

        try:
            label = await self.backend.call(undo)
        except Exception as exc:
            self.report(exc, _("Nothing was undone"))
            return
        if label is None:
            self.say(_("Nothing to undo."))
            return
        self.say(_("Undone: {change}.").format(change=label))
        for screen in self.screen_stack:
            reload = getattr(screen, "reload", None)
            if callable(reload):
                reload()

    def action_toggle_dark(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    # -- messages ---------------------------------------------------------------
    def say(
        self, message: str, title: str = "", error: bool = False, timeout: float | None = None
    ) -> None:
        """A notification with user text shown literally (no markup, control
        characters drawn as symbols: messages can quote file names and typed text)."""
        self.notify(
            visible_controls(message, keep="\n"),
            title=visible_controls(title),
            severity="error" if error else "information",
            markup=False,
            timeout=timeout if timeout is not None else (12 if error else 6),
        )

    def report(self, exc: BaseException, title: str | None = None) -> None:
        """Show a problem from the services as plain lines, never a traceback."""
        if title is None:
            title = _("That did not work")
        if isinstance(exc, UserError):
            self.say("\n".join(exc.problems), title=title, error=True)
        else:
            self.log.error(repr(exc))
            self.say(f"{type(exc).__name__}: {exc}", title=title, error=True)


def run(home: Path, demo: bool = False, today: date | None = None) -> None:
    """Open the terminal app on the data folder ``home``."""
    PaperworkApp(home, demo=demo, today=today).run()
