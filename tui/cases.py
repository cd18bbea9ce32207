"""The first screen: every case, what is next on each, and a welcome for newcomers."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from paperwork.tui.base import (
    FAILED,
    FixedTable,
    KeyFooter,
    PaperworkScreen,
    fit_columns,
    row_height,
)
from paperwork.tui.safe_widgets import SafeInput
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Header, Input, Static

from paperwork.core.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from paperwork.services.overview import CaseRow

WELCOME = N_(
    "Paperwork helps you put steady, documented pressure on a company that is not "
    "listening: formal letters to print or e-mail, the deadline each one sets, and "
    "the next, firmer letter when they miss it. It also keeps a record of every call "
    "and every reply.\n\n"
    "Start here:\n"
    "  1. Fill in your profile: your name and address go on every letter.\n"
    "  2. Start a new case: the company, what happened, what you want.\n"
    "Or load a sample case to see a finished letter first.\n\n"
    "Paperwork is not legal advice: its letters state your facts and cite the rules they rely on."
)


class Welcome(Vertical):
    """Shown when the data folder has no cases yet."""

    def compose(self) -> ComposeResult:
        yield Static(_("Welcome to Paperwork"), classes="welcome-title")
        yield Static(_(WELCOME), classes="welcome-text")
        with Horizontal(classes="welcome-buttons"):
            yield Button(_("Fill in your profile"), id="welcome-profile", variant="primary")
            yield Button(_("Start a new case"), id="welcome-new", variant="success")
            yield Button(_("Load the sample case"), id="welcome-sample")


class CasesScreen(PaperworkScreen[None]):
    """All cases: title, company, next step and its due date; overdue ones stand out."""

    TITLE = _("Cases")
    AUTO_FOCUS = "#cases-table"
    HELP = N_(
        "Every dispute you have recorded. The 'Next step' column says what to do "
        "and the 'Due' column by when; a late step is marked 'overdue'. Open a case "
        "with Enter to draft letters and log calls and replies."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "new_case",
            _("New"),
            id="cases.new",
            tooltip=_("Start a new case with a form"),
        ),
        Binding(
            "o",
            "open_case",
            _("Open"),
            id="cases.open",
            tooltip=_("Open the highlighted case (Enter works too)"),
            show=False,  # Enter opens it, as the line under the table says
        ),
        Binding(
            "a",
            "archive",
            _("Archive"),
            id="cases.archive",
            tooltip=_("Archive the highlighted case, or bring it back"),
        ),
        Binding(
            "g",
            "app.agenda",
            _("Agenda"),
            id="cases.agenda",
            tooltip=_("Everything due or overdue, across cases"),
        ),
        Binding(
            "p",
            "app.settings",
            _("Settings"),
            id="cases.settings",
            tooltip=_("Your name and address, language, output folder"),
        ),
        Binding(
            "slash",
            "filter",
            _("Filter"),
            id="cases.filter",
            tooltip=_("Type to show only matching cases"),
        ),
        Binding(
            "escape",
            "clear_filter",
            _("Clear filter"),
            id="cases.clear_filter",
            tooltip=_("Show every case again"),
            show=False,
        ),
        Binding(
            "q",
            "app.quit",
            _("Quit"),
            id="cases.quit",
            tooltip=_("Leave Paperwork (everything is already saved)"),
        ),
    ]

    def __init__(self, open_first: bool = False):
        super().__init__()
        self.open_first = open_first
        self.rows: list[CaseRow] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="cases-body"):
            welcome = Welcome(id="welcome")
            welcome.display = False  # hidden until we know the home is empty
            yield welcome
            yield SafeInput(
                placeholder=_("Filter: type part of a title, company or next step"), id="filter"
            )
            table: DataTable[Text] = FixedTable(
                id="cases-table", cursor_type="row", zebra_stripes=True
            )
            yield table
            yield Static(_("Loading your cases…"), id="cases-hint", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#cases-table", DataTable)
        table.add_column(_("Case"), key="title", width=20)
        table.add_column(_("Company"), key="company", width=12)
        table.add_column(_("Next step"), key="next", width=20)
        table.add_column(_("Due"), key="due", width=10)
        # Paint the screen first: loading the core (marshmallow, the catalogue,
        # SQLite) on the services thread would otherwise compete with the first frame.
        self.call_after_refresh(self.load)

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.load()

    def on_resize(self) -> None:
        if self.loaded:
            self.show_rows()

    def reload(self) -> None:
        self.load()

    @work(exclusive=True, group="cases-load")
    async def load(self) -> None:
        # Imported once the list has painted, as the services are (see on_mount).
        from paperwork.tui.views import case_rows

        app = self.app
        rows = await self.ask(case_rows, app.today, failure=_("Could not read your cases"))
        self.rows = [] if rows is FAILED else rows
        first_load = not self.loaded
        self.loaded = True
        self.show_rows()
        self.refresh_bindings()
        if first_load and self.open_first and self.rows:
            self.open_first = False
            app.open_case(self.rows[0].id)
            if first_load and app.demo:
                app.say(
                    _(
                        "This is the sample case. Its first letter (PDF and DOCX) is in {folder}. "
                        "Press F1 at any time for help."
                    ).format(folder=app.output_dir),
                    title=_("Sample case"),
                    timeout=15,
                )

    def show_rows(self) -> None:
        from paperwork.services.describe import status_label

        empty = not self.rows
        self.query_one("#welcome").display = empty
        self.query_one("#filter").display = not empty
        table = self.query_one("#cases-table", DataTable)
        table.display = not empty
        query = self.query_one("#filter", Input).value.strip().lower()
        # Keep the cursor on the same case, wherever the new order puts it.
        keep = self._current_id()
        table.clear()
        # Every column fits at 80 columns; the text ones share what a wider terminal adds.
        fit_columns(
            table,
            self.size.width,
            [("title", 18, 3), ("company", 12, 2), ("next", 18, 3), ("due", 10, 0)],
        )
        late = self.app.theme_variables.get("error", "red")
        muted = self.app.theme_variables.get("foreground-muted", "grey50")
        shown = 0
        columns = table.ordered_columns
        for row in self.rows:
            status = status_label(row.status)
            words = f"{row.title} {row.company} {row.next.text} {row.status} {status}".lower()
            if query and query not in words:
                continue
            shown += 1
            style = late if row.next.overdue else (muted if row.status != "open" else "")
            title = row.title if row.status == "open" else f"{row.title} ({status})"
            due = "" if row.next.due is None else row.next.due.isoformat()
            if row.next.overdue:
                due += "\n" + _("overdue")
            cells = (
                Text(title, style=style),
                Text(row.company, style=style),
                Text(row.next.text, style=style),
                Text(due, style=f"bold {late}" if row.next.overdue else style),
            )
            table.add_row(*cells, key=str(row.id), height=row_height(table, cells, columns))
        if table.row_count:
            ids = [int(str(key.value)) for key in table.rows]
            table.move_cursor(row=ids.index(keep) if keep in ids else 0)
        hint = self.query_one("#cases-hint", Static)
        if empty:
            hint.update("")
            self.query_one("#welcome-profile", Button).focus()
        elif query and not shown:
            hint.update(
                _("No case matches “{query}”. Press Escape to clear the filter.").format(
                    query=query
                )
            )
        else:
            overdue = sum(1 for r in self.rows if r.next.overdue)
            count = len(self.rows)
            if query:
                text = ngettext(
                    "{shown} of {count} case matches “{query}”. Escape shows them all.",
                    "{shown} of {count} cases match “{query}”. Escape shows them all.",
                    count,
                ).format(shown=shown, count=count, query=query)
            elif overdue:
                text = ngettext(
                    "{count} case, {overdue} with an overdue step. "
                    "Enter opens the highlighted case; n starts a new one.",
                    "{count} cases, {overdue} with an overdue step. "
                    "Enter opens the highlighted case; n starts a new one.",
                    count,
                ).format(count=count, overdue=overdue)
            else:
                text = ngettext(
                    "{count} case. Enter opens the highlighted case; n starts a new one.",
                    "{count} cases. Enter opens the highlighted case; n starts a new one.",
                    count,
                ).format(count=count)
            hint.update(text)
            if not isinstance(self.focused, Input):
                table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the keys that need a case while there is none."""
        if action in ("open_case", "archive", "filter", "clear_filter") and not self.rows:
            return None
        return True

    # -- actions --------------------------------------------------------------
    def _current_id(self) -> int | None:
        table = self.query_one("#cases-table", DataTable)
        if not table.row_count or not table.display:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(str(key.value))

    def action_new_case(self) -> None:
        self.app.edit_case(None)

    def action_open_case(self) -> None:
        case_id = self._current_id()
        if case_id is not None:
            self.app.open_case(case_id)

    @on(DataTable.RowSelected, "#cases-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        self.app.open_case(int(str(event.row_key.value)))

    @work(exclusive=True, group="cases-archive")
    async def action_archive(self) -> None:
        from paperwork.services.cases import set_case_status

        case_id = self._current_id()
        if case_id is None:
            return
        row = next(r for r in self.rows if r.id == case_id)
        status = "open" if row.status == "archived" else "archived"
        if await self.ask(set_case_status, case_id, status) is FAILED:
            return
        if status == "archived":
            self.app.say(
                _("Archived “{title}”. Press a on it again to bring it back.").format(
                    title=row.title
                )
            )
        else:
            self.app.say(_("“{title}” is open again.").format(title=row.title))
        self.load()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        self.query_one("#cases-table").focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.show_rows()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#cases-table").focus()

    # -- welcome --------------------------------------------------------------
    @on(Button.Pressed, "#welcome-profile")
    def _welcome_profile(self) -> None:
        self.app.action_settings()

    @on(Button.Pressed, "#welcome-new")
    def _welcome_new(self) -> None:
        self.action_new_case()

    @on(Button.Pressed, "#welcome-sample")
    def _welcome_sample(self) -> None:
        self.load_sample()

    @work(exclusive=True, group="cases-sample")
    async def load_sample(self) -> None:
        from paperwork.services.demo import load_demo

        app = self.app
        app.say(_("Loading the sample case and writing its letter…"))
        paths = await self.ask(
            load_demo, app.output_dir, app.today, failure=_("Could not load the sample case")
        )
        if paths is FAILED:
            return
        app.say(
            _("Sample case loaded. Its letter is in:\n{paths}").format(
                paths="\n".join(str(p) for p in paths)
            ),
            timeout=12,
        )
        self.open_first = True
        self.loaded = False
        self.load()
