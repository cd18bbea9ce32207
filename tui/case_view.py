"""One case: its story so far, the pressure applied, and what to do next.

Every line of the story can be opened (Enter) to correct it and deleted (Delete);
Ctrl+Z undoes the last change, whatever it was.
"""

from __future__ import annotations

from concurrent.futures import Future
from datetime import date
from typing import Any, ClassVar

from paperwork.tui.base import (
    FAILED,
    OPENING_WAIT,
    Cell,
    FixedTable,
    KeyFooter,
    PaperworkScreen,
    fit_columns,
    ready,
    row_height,
)
from paperwork.tui.pool import POOL_BINDINGS, PoolActions, pool_static
from paperwork.tui.sending import mark_letter_delivered, mark_letter_sent
from paperwork.tui.views import CaseDetails, applicable_kinds, case_details
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from paperwork.core.i18n import N_, _
from paperwork.services.describe import TimelineRow, status_label


class CaseScreen(PoolActions, PaperworkScreen[None]):
    """A case's timeline (letters, calls, replies, deadlines), tally and next step."""

    TITLE = _("Case")
    HELP = N_(
        "The case's story, oldest first: what happened, letters drafted and sent, the "
        "reply deadline each letter set, calls and replies. The box at the top says "
        "what to do next. Draft a letter with d, and once it has gone out, mark it sent "
        "with s so the deadline starts counting. Enter on a line opens it to correct it; "
        "Delete removes it; Ctrl+Z undoes the last change. Add evidence with v, log what "
        "you won with o, build the bundle for an ombudsman with b, and draft a public post "
        "with p. The chronology (h), calendar (k), envelope (n), e-mail (m) and your "
        "statistics (t) are written to the output folder."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "back", _("Back"), id="case.back", tooltip=_("Back to the list of cases")
        ),
        Binding(
            "d",
            "draft",
            _("Draft"),
            id="case.draft",
            tooltip=_("Choose a letter kind and draft it"),
        ),
        Binding(
            "l",
            "letter",
            _("Letter"),
            id="case.letter",
            tooltip=_("Read, edit and print the highlighted letter, or choose one"),
        ),
        Binding(
            "s",
            "mark_sent",
            _("Sent"),
            id="case.sent",
            tooltip=_("Record the day and the way a drafted letter went out"),
        ),
        Binding(
            "D",
            "mark_delivered",
            _("Delivered"),
            id="case.delivered",
            show=False,
            tooltip=_("Record the day tracking shows a sent letter arrived"),
        ),
        Binding(
            "c",
            "log_call",
            _("Call"),
            id="case.call",
            tooltip=_("Record a phone call, with hold and talk timers"),
        ),
        Binding(
            "r",
            "log_reply",
            _("Reply"),
            id="case.reply",
            tooltip=_("Record what the company answered"),
        ),
        Binding("e", "edit", _("Edit"), id="case.edit", tooltip=_("Change the case's details")),
        Binding(
            "enter",
            "open_record",
            _("Open line"),
            id="case.open",
            show=False,
            tooltip=_("Open the highlighted line to read or correct it"),
        ),
        Binding(
            "delete",
            "delete_record",
            _("Delete line"),
            id="case.delete",
            show=False,
            tooltip=_("Delete the highlighted record (Ctrl+Z brings it back)"),
        ),
        Binding(
            "o",
            "log_outcome",
            _("Outcome"),
            id="case.outcome",
            show=False,
            tooltip=_("Record what the pressure won: a refund, credit, waiver…"),
        ),
        Binding(
            "v",
            "add_evidence",
            _("Evidence"),
            id="case.evidence",
            show=False,  # the footer is full; F1 and the palette list it
            tooltip=_("Add a statement, receipt, screenshot or photo to the case"),
        ),
        Binding(
            "b",
            "bundle",
            _("Bundle"),
            id="case.bundle",
            show=False,
            tooltip=_("Build the paginated bundle (PDF and DOCX) for an ombudsman or a court"),
        ),
        Binding(
            "p",
            "social",
            _("Post"),
            id="case.social",
            show=False,
            tooltip=_("Draft a public post about the case for X, Bluesky or Mastodon"),
        ),
        Binding(
            "h",
            "chronology",
            _("Chronology"),
            id="case.chronology",
            show=False,
            tooltip=_("Write the case's chronology (PDF and DOCX) to the output folder"),
        ),
        Binding(
            "k",
            "calendar",
            _("Calendar"),
            id="case.calendar",
            show=False,
            tooltip=_("Write the case's deadlines as a calendar file (.ics)"),
        ),
        Binding(
            "n",
            "envelope",
            _("Envelope"),
            id="case.envelope",
            show=False,
            tooltip=_("Write an envelope (PDF) for the highlighted or latest letter"),
        ),
        Binding(
            "m",
            "email",
            _("E-mail"),
            id="case.email",
            show=False,
            tooltip=_("Write the highlighted or latest letter as an e-mail (.eml) with its PDF"),
        ),
        Binding(
            "t",
            "stats",
            _("Statistics"),
            id="case.stats",
            show=False,
            tooltip=_("What your letters won, by company, across all cases"),
        ),
        *POOL_BINDINGS,
    ]

    def __init__(self, case_id: int | None = None):
        # None: a screen built in advance, shown later with reopen() (PaperworkApp.open_case)
        super().__init__()
        self.case_id = case_id or 0
        self.details: CaseDetails | None = None
        self._asked: Future[CaseDetails] | None = None
        self._shown_width = 0
        self._returned = False

    def ask_for(self, case_id: int) -> Future[CaseDetails]:
        """Have the services thread read case ``case_id`` for this screen."""
        return self.app.backend.submit(case_details, case_id, self.app.today)

    def compose(self) -> ComposeResult:
        # The services thread reads the case while the screen is built: when the answer
        # is in by on_mount, the screen's first frame shows the case.
        if self.case_id:
            self._asked = self.ask_for(self.case_id)
        yield Header()
        with Vertical(id="case-head"):
            yield Static(_("Loading the case…"), id="case-title", markup=False)
            yield Static("", id="case-tally", markup=False)
            yield Static("", id="case-next", markup=False)
            yield pool_static()
        table: DataTable[Cell] = FixedTable(id="timeline", cursor_type="row", zebra_stripes=True)
        yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#timeline", DataTable)
        table.add_column(_("Date"), key="on", width=10)
        table.add_column(_("What"), key="what", width=22)
        table.add_column(_("Detail"), key="detail", width=40)
        asked, self._asked = self._asked, None
        if asked is not None:
            self._arrived(asked)

    def _arrived(self, asked: Future[CaseDetails]) -> None:
        """Show the case once ``asked`` answers: at once if it does within OPENING_WAIT."""
        details = ready(asked, OPENING_WAIT)
        if details is not None:
            self._loaded(details)
        else:
            self.load(asked)

    def reopen(self, case_id: int, asked: Future[CaseDetails]) -> None:
        """Show case ``case_id`` on this screen, built before and just pushed again:
        nothing of the case shown last stays (its line, its pool, its workers)."""
        self.workers.cancel_node(self)  # the last case's reads and dialogs
        self.restyle_skipped()
        self.case_id = case_id
        self.details = None
        self.in_pool = False
        # As a new screen: the cursor on the last line (show), the pool line hidden,
        # "Loading…" if the case takes longer than OPENING_WAIT to read.
        self.query_one("#timeline", FixedTable).clear()
        pool = self.query_one("#case-pool", Static)
        if pool.display:
            pool.display = False
        self.sub_title = ""
        self.query_one("#case-title", Static).update(_("Loading the case…"))
        for box in ("#case-tally", "#case-next"):
            self.query_one(box, Static).update("")
        self.query_one("#case-next", Static).remove_class("overdue")
        self._returned = False  # the next resume is the opening itself
        self._arrived(asked)

    def on_resize(self) -> None:
        if self.details is not None and self.size.width != self._shown_width:
            self.show()

    def on_screen_resume(self) -> None:
        if self._returned and self.details is not None:
            self.load()  # back from a letter or a dialog that may have changed the case
        self._returned = True  # the first resume is the opening itself

    def reload(self) -> None:
        self.load()

    @work(exclusive=True, group="case-load")
    async def load(self, asked: Future[CaseDetails] | None = None) -> None:
        """Read the case (or wait for the answer already ``asked``) and show it."""
        failure = _("Could not open the case")
        if asked is None:
            details = await self.ask(case_details, self.case_id, self.app.today, failure=failure)
        else:
            details = await self.answer(asked, failure)
        if details is not FAILED:
            self._loaded(details)

    def _loaded(self, details: CaseDetails) -> None:
        self.details = details
        self.show()
        self.refresh_bindings()
        self.load_pool_line()

    def show(self) -> None:
        details = self.details
        assert details is not None
        case = details.case
        self.sub_title = case.title
        status = "" if case.status == "open" else f"  [{status_label(case.status)}]"
        self.query_one("#case-title", Static).update(
            f"{case.title}{status}\n{case.company.name} · {case.jurisdiction} · {case.locale}"
            + (
                " · " + _("account {number}").format(number=case.account_number)
                if case.account_number
                else ""
            )
        )
        self.query_one("#case-tally", Static).update(
            _("Pressure so far: {tally}").format(tally=details.tally)
        )
        nxt = details.next
        when = "  " + _("(OVERDUE)") if nxt.overdue else ""
        keys = {
            "send_draft": _("Keys: l to read and print it (Ctrl+R), s once it is posted."),
            "draft": _("Press d to draft it."),
        }
        hint = keys.get(nxt.action, "")
        text = _("Next: {step}").format(step=nxt.text) + when + ("  " + hint if hint else "")
        if details.sender_missing:
            text += "\n" + _(
                "Your name and address are missing: press F3 to fill in your profile before drafting."
            )
        box = self.query_one("#case-next", Static)
        box.update(text)
        box.set_class(nxt.overdue, "overdue")
        table = self.query_one("#timeline", FixedTable)
        keep = table.cursor_row
        table.clear()
        # The detail takes what the date and "what" leave, at 80 columns and at 200.
        # the app's width: a screen built in advance may not be laid out at it yet
        self._shown_width = self.app.size.width
        fit_columns(table, self._shown_width, [("on", 10, 0), ("what", 20, 1), ("detail", 36, 4)])
        theme = self.app.theme_variables
        late, future = theme.get("error", "red"), theme.get("foreground-muted", "")
        columns = table.ordered_columns
        rows = []
        for i, row in enumerate(details.timeline):
            style = late if row.late else (future if row.future else "")
            cells = (
                Cell(row.on.isoformat(), style),
                Cell(row.what, style),
                Cell(row.detail, style),
            )
            rows.append((cells, str(i), row_height(table, cells, columns)))
        table.add_sized_rows(rows)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1) if keep else table.row_count - 1)
        table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim "Sent" with no draft waiting, and "Letter" with no letter."""
        if self.details is None:
            return True
        if action == "mark_sent" and not any(lt.status == "draft" for lt in self.details.letters):
            return None
        if action == "mark_delivered" and not self._undelivered():
            return None
        if action in ("letter", "envelope", "email") and not self.details.letters:
            return None
        return True

    # -- which line, which letter ----------------------------------------------------
    def _row(self) -> TimelineRow | None:
        """The highlighted line of the story."""
        table = self.query_one("#timeline", DataTable)
        if self.details is None or not table.row_count:
            return None
        index = int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
        return self.details.timeline[index] if index < len(self.details.timeline) else None

    def _highlighted_letter(self) -> int | None:
        row = self._row()
        return row.letter_id if row is not None else None

    def _letter_for(self, want_draft: bool) -> int | None:
        if self.details is None:
            return None
        letters = {lt.id: lt for lt in self.details.letters}
        chosen = self._highlighted_letter()
        if chosen in letters and (not want_draft or letters[chosen].status == "draft"):
            return chosen
        pool = [lt for lt in self.details.letters if lt.status == "draft" or not want_draft]
        return pool[-1].id if pool else None

    async def _choose_letter(self) -> int | None:
        """The highlighted letter; with several and none highlighted, ask which."""
        from paperwork.tui.modals import LetterPickModal

        if self.details is None or not self.details.letters:
            return None
        chosen = self._highlighted_letter()
        if chosen is not None or len(self.details.letters) == 1:
            return chosen if chosen is not None else self.details.letters[0].id
        return await self.app.push_screen_wait(LetterPickModal(self.details.letter_choices))

    # -- actions ------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_draft(self) -> None:
        self.choose_kind()

    @work(exclusive=True, group="case-draft")
    async def choose_kind(self) -> None:
        from paperwork.tui.draft import DraftModal, draft_needs
        from paperwork.tui.modals import KindModal

        from paperwork.services.letters import draft_letter

        app = self.app
        found = await self.ask(applicable_kinds, self.case_id, app.today)
        if found is FAILED:
            return
        kinds, suggested = found
        if not kinds:
            app.say(
                _("No letter kind is written for this case's country and language."), error=True
            )
            return
        kind = await app.push_screen_wait(KindModal(kinds, suggested))
        if not kind:
            return
        # The kind's own inputs (the call it confirms, its request…) in a short form.
        needs = await self.ask(draft_needs, self.case_id, kind, app.today)
        if needs is FAILED:
            return
        if not needs.empty:
            letter_id = await app.push_screen_wait(DraftModal(self.case_id, needs))
            if letter_id is not None:
                app.open_letter(letter_id)
            return
        letter = await self.ask(
            draft_letter, self.case_id, kind, app.today, failure=_("Could not draft that letter")
        )
        if letter is not FAILED and letter.id is not None:
            app.open_letter(letter.id)

    @work(exclusive=True, group="case-letter")
    async def action_letter(self) -> None:
        if self.details is not None and not self.details.letters:
            self.app.say(_("This case has no letter yet. Press d to draft one."))
            return
        letter_id = await self._choose_letter()
        if letter_id is not None:
            self.app.open_letter(letter_id)

    def action_mark_sent(self) -> None:
        letter_id = self._letter_for(want_draft=True)
        if letter_id is None:
            self.app.say(_("There is no drafted letter waiting to go out. Press d to draft one."))
            return
        self.mark_sent(letter_id)

    @work(exclusive=True, group="case-sent")
    async def mark_sent(self, letter_id: int) -> None:
        await mark_letter_sent(self, letter_id)
        self.load()

    def _undelivered(self) -> list[int]:
        """The case's letters sent but not yet recorded as delivered."""
        letters = self.details.letters if self.details else []
        return [lt.id for lt in letters if lt.id and lt.sent_on and not lt.delivered_on]

    @work(exclusive=True, group="case-sent")
    async def action_mark_delivered(self) -> None:
        """The highlighted sent letter's delivery; with several sent and none highlighted,
        ask which."""
        from paperwork.tui.modals import LetterPickModal

        waiting = self._undelivered()
        if not waiting or self.details is None:
            self.app.say(_("No sent letter is waiting for its delivery to be recorded."))
            return
        chosen = self._highlighted_letter()
        if chosen not in waiting:
            if len(waiting) == 1:
                chosen = waiting[0]
            else:
                choices = [c for c in self.details.letter_choices if c[0] in waiting]
                chosen = await self.app.push_screen_wait(LetterPickModal(choices))
        if chosen is not None and await mark_letter_delivered(self, chosen):
            self.load()

    async def _record_from(self, dialog: Any, kind: str, failure: str) -> dict | None:
        """Show ``dialog``; save what it returns as a ``kind`` event on this case.
        Returns the dialog's result once saved (None: cancelled or not saved)."""
        from paperwork.services.events import log_event

        app = self.app
        result = await app.push_screen_wait(dialog)
        if result is None:
            return None
        saved = await self.ask(
            log_event,
            self.case_id,
            kind,
            result["on"],
            result["data"],
            today=app.today,
            failure=failure,
        )
        return None if saved is FAILED else result

    def _first_sent(self) -> tuple[date | None, str]:
        """The first day a reply can answer, and what happened then."""
        sent = [lt for lt in (self.details.letters if self.details else []) if lt.sent_on]
        if not sent:
            return None, ""
        first = min(sent, key=lambda lt: lt.sent_on or date.max)
        return first.sent_on, _("letter {id} was sent, the first one it can answer").format(
            id=first.id
        )

    @work(exclusive=True, group="case-call")
    async def action_log_call(self) -> None:
        from paperwork.tui.modals import CallModal

        app = self.app
        if await self._record_from(CallModal(app.today), "call", _("Could not save the call")):
            app.say(_("Call saved."))
            self.load()

    @work(exclusive=True, group="case-reply")
    async def action_log_reply(self) -> None:
        from paperwork.tui.modals import ReplyModal

        app = self.app
        earliest, what = self._first_sent()
        result = await self._record_from(
            ReplyModal(app.today, earliest, what), "response", _("Could not save the reply")
        )
        if result is None:
            return
        app.say(
            _("Reply saved. The case is closed: well done.")
            if result["data"]["resolved"]
            else _("Reply saved.")
        )
        self.load()

    @work(exclusive=True, group="case-outcome")
    async def action_log_outcome(self) -> None:
        from paperwork.tui.modals import OutcomeModal

        app = self.app
        if await self._record_from(
            OutcomeModal(app.today), "outcome", _("Could not save the outcome")
        ):
            app.say(_("Outcome saved: it counts in your statistics (t)."))
            self.load()

    @work(exclusive=True, group="case-evidence")
    async def action_add_evidence(self) -> None:
        from paperwork.tui.record import EvidenceModal, add_evidence

        app = self.app
        result = await app.push_screen_wait(EvidenceModal(app.today))
        if result is None:
            return
        title = await self.ask(
            add_evidence,
            self.case_id,
            result["path"],
            app.today,
            result["title"],
            failure=_("Could not add the evidence"),
        )
        if title is FAILED:
            return
        app.say(_("Kept a copy as evidence: {title}.").format(title=title))
        self.load()

    # -- correcting and deleting the story -----------------------------------------
    @on(DataTable.RowSelected, "#timeline")
    def _row_chosen(self) -> None:
        self.action_open_record()

    def action_open_record(self) -> None:
        row = self._row()
        if row is None:
            return
        if row.record == "fact":
            self.action_edit()
        elif row.record in ("drafted", "deadline") and row.letter_id is not None:
            self.app.open_letter(row.letter_id)
        else:
            self.correct(row)

    @work(exclusive=True, group="case-correct")
    async def correct(self, row: TimelineRow) -> None:
        """Open a sending, a delivery or an event in its dialog and save the correction."""
        from paperwork.tui.modals import (
            CallModal,
            DayModal,
            NoteModal,
            OutcomeModal,
            ReplyModal,
            SentModal,
        )

        from paperwork.services.events import edit_event, get_event
        from paperwork.services.letters import correct_delivery, correct_sending, get_letter

        app = self.app
        if row.record in ("sent", "delivered") and row.letter_id is not None:
            letter = await self.ask(get_letter, row.letter_id)
            if letter is FAILED:
                return
            if row.record == "sent":
                result = await app.push_screen_wait(
                    SentModal(
                        _("letter {id}").format(id=letter.id),
                        app.today,
                        earliest=letter.drafted_on,
                        initial={
                            "on": letter.sent_on,
                            "via": letter.via,
                            "tracking": letter.tracking,
                        },
                    )
                )
                if result is None:
                    return
                done = await self.ask(
                    correct_sending,
                    letter.id,
                    result["on"],
                    result["via"],
                    result["tracking"],
                    today=app.today,
                    failure=_("Not corrected"),
                )
            else:
                result = await app.push_screen_wait(
                    DayModal(
                        _("Correct the delivery of letter {id}").format(id=letter.id),
                        _("Delivered on (YYYY-MM-DD)"),
                        letter.delivered_on or app.today,
                        letter.sent_on,
                        _("it was sent"),
                    )
                )
                if result is None:
                    return
                done = await self.ask(
                    correct_delivery,
                    letter.id,
                    result["on"],
                    today=app.today,
                    failure=_("Not corrected"),
                )
        elif row.record == "event" and row.event_id is not None:
            event = await self.ask(get_event, row.event_id)
            if event is FAILED:
                return
            initial = {"on": event.on, "data": event.data}
            dialog: Any
            if event.kind == "call":
                dialog = CallModal(app.today, initial)
            elif event.kind == "response":
                earliest, what = self._first_sent()
                dialog = ReplyModal(app.today, earliest, what, initial)
            elif event.kind == "outcome":
                dialog = OutcomeModal(app.today, initial)
            elif event.kind == "post":
                dialog = NoteModal(
                    _("Correct the public post"),
                    _("Link to the post"),
                    event.on,
                    str(event.data.get("url", "")),
                    "url",
                )
            else:
                dialog = NoteModal(
                    _("Correct the record"),
                    _("Title"),
                    event.on,
                    str(event.data.get("title") or event.data.get("summary") or ""),
                    "title" if "title" in event.data or event.kind == "evidence" else "summary",
                )
            result = await app.push_screen_wait(dialog)
            if result is None:
                return
            done = await self.ask(
                edit_event,
                event.id,
                result["on"],
                result["data"],
                today=app.today,
                failure=_("Not corrected"),
            )
        else:
            return
        if done is not FAILED:
            app.say(_("Corrected. The deadlines are worked out again (Ctrl+Z undoes it)."))
            self.load()

    @work(exclusive=True, group="case-delete")
    async def action_delete_record(self) -> None:
        from paperwork.tui.modals import ConfirmModal

        from paperwork.services.events import delete_event
        from paperwork.services.letters import delete_letter, unmark_delivered, unmark_sent

        row = self._row()
        if row is None:
            return
        app = self.app
        if row.record == "fact":
            app.say(_("Facts are part of the case: press e to edit the case and remove it there."))
            return
        if row.record == "deadline":
            app.say(_("A deadline follows from its letter: delete the letter's sending instead."))
            return
        actions: dict[str, tuple[Any, str]] = {
            "event": (delete_event, _("Delete this line: {what} of {day}?")),
            "sent": (
                unmark_sent,
                _("Take back that letter {id} was sent? It becomes a draft again."),
            ),
            "delivered": (unmark_delivered, _("Delete the delivery of letter {id}?")),
            "drafted": (delete_letter, _("Delete the draft of letter {id}?")),
        }
        if row.record not in actions:
            return
        fn, question = actions[row.record]
        key = row.event_id if row.record == "event" else row.letter_id
        text = question.format(what=row.what, day=row.on, id=row.letter_id)
        if not await app.push_screen_wait(ConfirmModal(text, _("Delete"))):
            return
        if await self.ask(fn, key, failure=_("Not deleted")) is FAILED:
            return
        app.say(_("Deleted. Ctrl+Z brings it back."))
        self.load()

    # -- files for the case -----------------------------------------------------------
    async def _write(self, fn: Any, *args: Any, what: str) -> None:
        """Write a file for the case into the output folder and say where it went."""
        app = self.app
        app.say(_("Writing the {what}…").format(what=what))
        paths = await self.ask(fn, *args, failure=_("Could not write the {what}").format(what=what))
        if paths is FAILED:
            return
        listing = "\n".join(str(p) for p in (paths if isinstance(paths, list) else [paths]))
        app.say(
            _("{what} written to:\n{paths}").format(
                what=what[:1].upper() + what[1:], paths=listing
            ),
            timeout=12,
        )

    @work(exclusive=True, group="case-files")
    async def action_bundle(self) -> None:
        from paperwork.tui.record import build_bundle

        app = self.app
        app.say(_("Building the bundle…"))
        done = await self.ask(
            build_bundle,
            self.case_id,
            app.output_dir,
            app.today,
            failure=_("Could not build the bundle"),
        )
        if done is FAILED:
            return
        path, pages = done
        app.say(
            _("Bundle of {pages} pages written to {path} (and a DOCX beside it).").format(
                pages=pages, path=path
            ),
            timeout=12,
        )

    @work(exclusive=True, group="case-files")
    async def action_chronology(self) -> None:
        from paperwork.tui.record import write_chronology

        app = self.app
        await self._write(
            write_chronology, self.case_id, app.output_dir, app.today, what=_("chronology")
        )

    @work(exclusive=True, group="case-files")
    async def action_calendar(self) -> None:
        from paperwork.tui.record import write_case_calendar

        app = self.app
        await self._write(
            write_case_calendar, self.case_id, app.output_dir, app.today, what=_("calendar file")
        )

    @work(exclusive=True, group="case-files")
    async def action_envelope(self) -> None:
        from paperwork.tui.record import write_letter_envelope

        letter_id = await self._choose_letter()
        if letter_id is not None:
            await self._write(
                write_letter_envelope, letter_id, self.app.output_dir, what=_("envelope")
            )

    @work(exclusive=True, group="case-files")
    async def action_email(self) -> None:
        from paperwork.tui.record import write_letter_email

        letter_id = await self._choose_letter()
        if letter_id is not None:
            await self._write(write_letter_email, letter_id, self.app.output_dir, what=_("e-mail"))

    def action_stats(self) -> None:
        from paperwork.tui.record import StatsModal

        self.app.push_screen(StatsModal())

    def action_social(self) -> None:
        from paperwork.tui.record import SocialModal

        self.app.push_screen(SocialModal(self.case_id))

    def action_edit(self) -> None:
        if self.details is not None:
            self.app.edit_case(self.details.case)
