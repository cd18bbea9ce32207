"""Started by the benchmark in a fresh interpreter: open a Textual app headless,
print the wall clock (``time.time()``) at its first paint, and exit.

``python benchmarks/tui_probe.py paperwork HOME`` opens Paperwork's app on the
data folder HOME; ``python benchmarks/tui_probe.py open HOME CASE LETTER`` opens it,
waits for the case list, then opens case CASE and letter LETTER (0: none) and prints
how long each took to show (see :func:`opening_app`); ``python benchmarks/tui_probe.py bare HOME`` opens a bare
Textual app whose first screen has the same widgets as Paperwork's cases screen
(header, welcome text and buttons, filter, table, hint, a footer with the same
eight keys) and nothing else: no stylesheet, no services, no data. "First paint" is the first refresh
after that screen is mounted. The parent subtracts its own clock at spawn, so
the figure includes interpreter start-up and imports, as a person sees it.
"""

from __future__ import annotations

import sys
import time
from typing import ClassVar


def _probe(app, screen_type) -> None:
    """Print the time once ``screen_type`` is the current screen and has painted."""
    state = {"armed": False}

    def done() -> None:
        print(f"{time.time():.6f}", flush=True)
        app.exit()

    def check() -> None:
        if state["armed"]:
            return
        screen = app.screen
        if isinstance(screen, screen_type) and screen.is_mounted:
            state["armed"] = True
            screen.call_after_refresh(done)

    app.set_interval(0.001, check)


def paperwork_app(home: str):
    import inspect
    from datetime import date
    from pathlib import Path

    from paperwork.tui.app import PaperworkApp
    from paperwork.tui.cases import CasesScreen

    class Probe(PaperworkApp):
        # a relative CSS_PATH is read beside the class's own file: point at the app's
        CSS_PATH = str(Path(inspect.getfile(PaperworkApp)).parent / str(PaperworkApp.CSS_PATH))

        # Textual calls every class's on_mount in turn, PaperworkApp's after this one:
        # calling super() here as well would open the case list twice.
        def on_mount(self) -> None:
            _probe(self, CasesScreen)

    return Probe(Path(home), today=date(2026, 11, 26))


def opening_app(home: str, case_id: int, letter_id: int):
    """Paperwork's app that, once its case list has shown its rows and the app has
    loaded the screens opened next, opens case ``case_id`` with Enter on its row and
    then, on the case screen, its letter with ``l`` (skipped for ``letter_id`` 0), and
    prints how long each took in milliseconds: from the key press to the end of the
    first refresh after the screen's content is in place (its ``show``)."""
    import inspect
    from datetime import date
    from pathlib import Path

    from paperwork.tui.app import PaperworkApp
    from paperwork.tui.cases import CasesScreen
    from textual.widgets import DataTable

    class Probe(PaperworkApp):
        CSS_PATH = str(Path(inspect.getfile(PaperworkApp)).parent / str(PaperworkApp.CSS_PATH))

        def on_mount(self) -> None:  # PaperworkApp.on_mount follows (see paperwork_app)
            self.steps = [("case", self.on_case_row, "enter")]
            if letter_id:
                self.steps.append(("letter", lambda: None, "l"))
            self.state = "start"
            self.started = 0.0
            self.set_interval(0.001, self.check)

        def check(self) -> None:
            screen = self.screen
            warm = getattr(self, "warmed_up", None)  # older versions of the app: no such signal
            ready = (
                isinstance(screen, CasesScreen)
                and screen.loaded
                and (warm is None or warm.is_set())
            )
            if self.state == "start" and ready:
                self.state = "idle"
                self.set_timer(1.0, self.next_step)  # a person reads the list first

        def on_case_row(self) -> None:
            table = self.screen.query_one("#cases-table", DataTable)
            keys = [str(key.value) for key in table.rows]
            table.move_cursor(row=keys.index(str(case_id)))

        def push_screen(self, screen, *args, **kwargs):
            if self.state in ("case", "letter"):
                self.watch_show(screen, self.state)
            return super().push_screen(screen, *args, **kwargs)

        def watch_show(self, screen, which: str) -> None:
            """Time the first refresh after ``screen`` has put its content in place."""
            show = screen.show

            def shown(*args, **kwargs):
                show(*args, **kwargs)
                if self.state == which:
                    self.state = "painting"
                    screen.call_after_refresh(lambda: self.opened(which))

            screen.show = shown

        def next_step(self) -> None:
            if not self.steps:
                self.exit()
                return
            name, prepare, key = self.steps.pop(0)
            prepare()

            def press() -> None:
                self.state = name
                self.started = time.perf_counter()
                self.simulate_key(key)

            # The cursor moved to the case's row is painted before the key is timed, as a
            # person's arrow keys are: otherwise only a case below the first row pays
            # for repainting the case list.
            self.set_timer(0.3, press)

        def opened(self, which: str) -> None:
            print(f"{which} {(time.perf_counter() - self.started) * 1000:.3f}", flush=True)
            self.state = "idle"
            self.set_timer(1.0, self.next_step)

    return Probe(Path(home), today=date(2026, 11, 26))


def bare_app():
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal, Vertical
    from textual.screen import Screen
    from textual.widgets import Button, DataTable, Footer, Header, Input, Static

    class BareScreen(Screen):
        # The same keys in the footer as Paperwork's cases screen (a footer key is
        # a widget too); they only ring the bell.
        BINDINGS: ClassVar = [
            (key, "app.bell", label)
            for key, label in (
                ("n", "New case"),
                ("o", "Open"),
                ("a", "Archive"),
                ("g", "Agenda"),
                ("p", "Settings"),
                ("slash", "Filter"),
                ("q", "Quit"),
                ("f1", "Help"),
            )
        ]

        def compose(self) -> ComposeResult:
            yield Header()
            with Vertical():
                with Vertical(id="welcome"):
                    yield Static("Welcome")
                    yield Static("Some words of welcome.")
                    with Horizontal():
                        yield Button("Fill in your profile", variant="primary")
                        yield Button("Start a new case", variant="success")
                        yield Button("Load the sample case")
                yield Input(placeholder="Filter")
                yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
                yield Static("Loading…")
            yield Footer(compact=True)

        def on_mount(self) -> None:
            table = self.query_one("#table", DataTable)
            for name, width in (("Case", 34), ("Company", 20), ("Next step", 26), ("Due", 12)):
                table.add_column(name, width=width)
            self.query_one("#welcome").display = False

    class BareApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(BareScreen())
            _probe(self, BareScreen)

    return BareApp()


def main() -> None:
    which, home = sys.argv[1], sys.argv[2]
    if which == "open":
        app = opening_app(home, int(sys.argv[3]), int(sys.argv[4]))
    else:
        app = paperwork_app(home) if which == "paperwork" else bare_app()
    app.run(headless=True, size=(100, 30))


if __name__ == "__main__":
    main()
