"""The agenda: every letter due or overdue, across all cases, with one key to re-issue."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from marshmallow import ValidationError
from paperwork.tui.base import (
    FAILED,
    FixedTable,
    KeyFooter,
    PaperworkScreen,
    fit_columns,
    row_height,
)
from paperwork.tui.safe_widgets import ErrorLine, SafeInput
from paperwork.tui.views import AgendaRow, agenda_rows, reissue
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Label, Static

from paperwork.core.i18n import N_, _, ngettext

# How far the agenda looks at first, and at most (a longer look plans every case).
AHEAD_DAYS = 7
FARTHEST_DAYS = 731


def until_problem(until: date, today: date) -> str:
    """Why ``until`` cannot be the agenda's last day ("" when it can)."""
    if until < today:
        return _("{day} is before today ({today}): choose today or a later day.").format(
            day=until.isoformat(), today=today.isoformat()
        )
    if (until - today).days > FARTHEST_DAYS:
        return _("{day} is more than two years ahead: choose a nearer day.").format(
            day=until.isoformat()
        )
    return ""


class AgendaScreen(PaperworkScreen[None]):
    """What must go out now or within seven days; overdue lines stand out."""

    TITLE = _("Agenda")
    # The table, not the date field, takes the keys first: r, o and u are the screen's.
    AUTO_FOCUS = "#agenda-table"
    HELP = N_(
        "Letters that are due now or within a week, across all your cases. A line marked "
        "OVERDUE means the company missed its reply deadline: press r to draft and print "
        "every letter due today in one go, then post them and mark them sent."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", _("Back"), id="agenda.back", tooltip=_("Back to where you were")),
        Binding(
            "r",
            "reissue",
            _("Re-issue due letters"),
            id="agenda.reissue",
            tooltip=_("Draft and print (PDF+DOCX) every letter due today"),
        ),
        Binding(
            "o",
            "open_case",
            _("Open case"),
            id="agenda.open",
            tooltip=_("Open the highlighted case (Enter works too)"),
        ),
        Binding(
            "u",
            "look_ahead",
            _("Due up to…"),
            id="agenda.until",
            tooltip=_("Choose the last day the agenda shows (Enter applies it)"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AgendaRow] = []
        self.until: date | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="agenda-bar"):
            yield Label(_("Due up to"), id="agenda-until-label")
            yield SafeInput(
                "",
                placeholder=_("YYYY-MM-DD"),
                id="agenda-until",
                compact=True,
                select_on_focus=True,
            )
        yield ErrorLine(id="agenda-until-error")
        yield Static(_("Looking for what is due…"), id="agenda-hint", classes="hint", markup=False)
        table: DataTable[Text] = FixedTable(
            id="agenda-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#agenda-table", DataTable)
        table.add_column(_("When"), key="when", width=12)
        table.add_column(_("Case"), key="case", width=16)
        table.add_column(_("Letter to send"), key="kind", width=14)
        table.add_column(_("Why"), key="why", width=22)
        today = self.app.today
        self.until = today + timedelta(days=AHEAD_DAYS)
        self.query_one("#agenda-until", Input).value = self.until.isoformat()
        self.sub_title = _("as of {day}").format(day=today.isoformat())
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def on_resize(self) -> None:
        if self.rows:
            self.show()

    def reload(self) -> None:
        self.load()

    @work(exclusive=True, group="agenda-load")
    async def load(self) -> None:
        today = self.app.today
        ahead = (self.until - today).days if self.until else AHEAD_DAYS
        rows = await self.ask(agenda_rows, today, ahead, failure=_("Could not work out the agenda"))
        if rows is FAILED:
            return
        self.rows = rows
        self.show()

    def show(self) -> None:
        today = self.app.today
        table = self.query_one("#agenda-table", DataTable)
        table.clear()
        fit_columns(
            table,
            self.size.width,
            [("when", 12, 0), ("case", 16, 2), ("kind", 14, 1), ("why", 22, 3)],
        )
        late = self.app.theme_variables.get("error", "red")
        columns = table.ordered_columns
        for i, row in enumerate(self.rows):
            days = (row.due - today).days
            if row.waiting_letter is not None:
                when = _("to send now")
            elif row.overdue:
                when = _("{day}\nOVERDUE").format(day=row.due)
            elif days <= 0:
                when = _("{day}\ntoday").format(day=row.due)
            else:
                when = _("{day}\nin {days}d").format(day=row.due, days=days)
            style = late if row.overdue else ""
            cells = (
                Text(when, style=f"bold {late}" if row.overdue else ""),
                Text(f"{row.case_title} ({row.company})", style=style),
                Text(row.kind_title, style=style),
                Text(row.reason, style=style),
            )
            table.add_row(*cells, key=str(i), height=row_height(table, cells, columns))
        hint = self.query_one("#agenda-hint", Static)
        until = self.until or today + timedelta(days=AHEAD_DAYS)
        if not self.rows:
            hint.update(
                _(
                    "Nothing is due by {day}. Letters you mark sent show up here "
                    "when their reply deadline passes."
                ).format(day=until)
            )
        else:
            due = [r for r in self.rows if r.waiting_letter is None]
            waiting = len(self.rows) - len(due)
            now = sum(1 for r in due if r.due <= today)
            parts = []
            if due:
                # English keeps "letter(s)" in both forms; other languages inflect.
                parts.append(
                    ngettext(
                        "{count} letter(s) due by {day}, {now} of them today or earlier. "
                        "Press r to draft and print those now.",
                        "{count} letter(s) due by {day}, {now} of them today or earlier. "
                        "Press r to draft and print those now.",
                        len(due),
                    ).format(count=len(due), now=now, day=until)
                )
            if waiting:
                parts.append(
                    ngettext(
                        "{count} drafted letter waits to be sent: Enter opens its case.",
                        "{count} drafted letters wait to be sent: Enter opens their cases.",
                        waiting,
                    ).format(count=waiting)
                )
            hint.update(" ".join(parts))
        if not self.query_one("#agenda-until", Input).has_focus:
            table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- looking ahead -------------------------------------------------------------
    def action_look_ahead(self) -> None:
        self.query_one("#agenda-until", Input).focus()

    @on(Input.Changed, "#agenda-until")
    def _until_typed(self) -> None:
        self.query_one("#agenda-until-error", ErrorLine).clear()

    @on(Input.Submitted, "#agenda-until")
    def _until_chosen(self, event: Input.Submitted) -> None:
        """Check the typed day at its field; a good one reloads the agenda up to it."""
        from paperwork.tui.modals import first_message, parse_date

        error = self.query_one("#agenda-until-error", ErrorLine)
        try:
            until = parse_date(event.value)
        except ValidationError as exc:
            error.show(first_message(exc))
            return
        problem = until_problem(until, self.app.today)
        if problem:
            error.show(problem)
            return
        error.clear()
        self.until = until
        self.query_one("#agenda-table", DataTable).focus()
        self.load()

    def _current(self) -> AgendaRow | None:
        table = self.query_one("#agenda-table", DataTable)
        if not table.row_count:
            return None
        return self.rows[table.cursor_row]

    def action_open_case(self) -> None:
        row = self._current()
        if row is not None:
            self.app.open_case(row.case_id)

    @on(DataTable.RowSelected, "#agenda-table")
    def _chosen(self) -> None:
        self.action_open_case()

    @work(exclusive=True, group="agenda-reissue")
    async def action_reissue(self) -> None:
        app = self.app
        today = app.today
        if not any(r.due <= today for r in self.rows if r.waiting_letter is None):
            app.say(_("Nothing is due today, so there is nothing to re-issue yet."))
            return
        self.query_one("#agenda-hint", Static).update(
            _("Drafting and printing the letters that are due…")
        )
        result = await self.ask(reissue, today, app.output_dir, failure=_("Re-issue failed"))
        if result is FAILED:
            self.load()
            return
        lines = [*result.drafted, *result.failed]
        drafted = len(result.drafted)
        title = ngettext("{count} letter(s) drafted", "{count} letter(s) drafted", drafted).format(
            count=drafted
        )
        if result.failed:
            title += ngettext(", {count} failed", ", {count} failed", len(result.failed)).format(
                count=len(result.failed)
            )
        app.say(
            "\n".join(lines) or _("Nothing to do."),
            title=title,
            error=bool(result.failed),
            timeout=15,
        )
        self.load()
