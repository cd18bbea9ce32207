"""One case: its story so far, the pressure applied, and what to do next."""

from __future__ import annotations

from typing import Any, ClassVar

from paperwork.tui.pool import POOL_BINDINGS, PoolActions, pool_static
from paperwork.tui.views import CaseDetails, applicable_kinds, case_details
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from paperwork.core.i18n import N_, _
from paperwork.services.describe import kind_title, status_label


class CaseScreen(PoolActions, Screen[None]):
    """A case's timeline (letters, calls, replies, deadlines), tally and next step."""

    TITLE = _("Case")
    HELP = N_(
        "The case's story, oldest first: what happened, letters drafted and sent, the "
        "reply deadline each letter set, calls and replies. The box at the top says "
        "what to do next. Draft a letter with d, and once it has gone out, mark it sent "
        "with s so the deadline starts counting. Add evidence with v, build the bundle for "
        "an ombudsman with b, and draft a public post with p."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "back", _("Back"), id="case.back", tooltip=_("Back to the list of cases")
        ),
        Binding(
            "d",
            "draft",
            _("Draft letter"),
            id="case.draft",
            tooltip=_("Choose a letter kind and draft it"),
        ),
        Binding(
            "l",
            "letter",
            _("Letter text"),
            id="case.letter",
            tooltip=_("Read, edit and print the highlighted (or latest) letter"),
        ),
        Binding(
            "s",
            "mark_sent",
            _("Mark sent"),
            id="case.sent",
            tooltip=_("Record the day and the way a drafted letter went out"),
        ),
        Binding(
            "c",
            "log_call",
            _("Log call"),
            id="case.call",
            tooltip=_("Record a phone call, with a hold-time stopwatch"),
        ),
        Binding(
            "r",
            "log_reply",
            _("Log reply"),
            id="case.reply",
            tooltip=_("Record what the company answered"),
        ),
        Binding(
            "e", "edit", _("Edit case"), id="case.edit", tooltip=_("Change the case's details")
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
            show=False,  # the footer is full; F1 and the palette list it
            tooltip=_("Build the paginated bundle (PDF and DOCX) for an ombudsman or a court"),
        ),
        Binding(
            "p",
            "social",
            _("Post"),
            id="case.social",
            show=False,  # the footer is full; F1 and the palette list it
            tooltip=_("Draft a public post about the case for X, Bluesky or Mastodon"),
        ),
        *POOL_BINDINGS,
    ]

    def __init__(self, case_id: int):
        super().__init__()
        self.case_id = case_id
        self.details: CaseDetails | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="case-head"):
            yield Static(_("Loading the case…"), id="case-title", markup=False)
            yield Static("", id="case-tally", markup=False)
            yield Static("", id="case-next", markup=False)
            yield pool_static()
        table: DataTable[Text] = DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#timeline", DataTable)
        table.add_column(_("Date"), key="on", width=10)
        table.add_column(_("What"), key="what", width=22)
        table.add_column(_("Detail"), key="detail", width=58)
        self.load()

    def on_screen_resume(self) -> None:
        if self.details is not None:
            self.load()

    @work(exclusive=True, group="case-load")
    async def load(self) -> None:
        app: Any = self.app
        try:
            self.details = await app.backend.call(case_details, self.case_id, app.today)
        except Exception as exc:
            app.report(exc, _("Could not open the case"))
            return
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
        table = self.query_one("#timeline", DataTable)
        keep = table.cursor_row
        table.clear()
        theme = self.app.theme_variables
        for i, row in enumerate(details.timeline):
            style = (
                theme.get("error", "red")
                if row.late
                else (theme.get("foreground-muted", "") if row.future else "")
            )
            table.add_row(
                Text(row.on.isoformat(), style=style),
                Text(row.what, style=style),
                Text(row.detail, style=style),
                key=f"{i}:{row.letter_id or ''}",
                height=None,
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1) if keep else table.row_count - 1)
        table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim "Mark sent" with no draft waiting, and "Letter text" with no letter."""
        if self.details is None:
            return True
        if action == "mark_sent" and not any(lt.status == "draft" for lt in self.details.letters):
            return None
        if action == "letter" and not self.details.letters:
            return None
        return True

    # -- which letter -----------------------------------------------------------
    def _highlighted_letter(self) -> int | None:
        table = self.query_one("#timeline", DataTable)
        if not table.row_count:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        letter = key.split(":", 1)[1]
        return int(letter) if letter else None

    def _letter_for(self, want_draft: bool) -> int | None:
        if self.details is None:
            return None
        letters = {lt.id: lt for lt in self.details.letters}
        chosen = self._highlighted_letter()
        if chosen in letters and (not want_draft or letters[chosen].status == "draft"):
            return chosen
        pool = [lt for lt in self.details.letters if lt.status == "draft" or not want_draft]
        return pool[-1].id if pool else None

    # -- actions ------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_draft(self) -> None:
        self.choose_kind()

    @work(exclusive=True, group="case-draft")
    async def choose_kind(self) -> None:
        from paperwork.tui.modals import KindModal

        from paperwork.services.letters import draft_letter

        app: Any = self.app
        try:
            kinds, suggested = await app.backend.call(applicable_kinds, self.case_id, app.today)
        except Exception as exc:
            app.report(exc)
            return
        if not kinds:
            app.say(
                _("No letter kind is written for this case's country and language."), error=True
            )
            return
        kind = await app.push_screen_wait(KindModal(kinds, suggested))
        if not kind:
            return
        try:
            letter = await app.backend.call(
                lambda pw: draft_letter(pw, self.case_id, kind, app.today)
            )
        except Exception as exc:
            app.report(exc, _("Could not draft that letter"))
            return
        from paperwork.tui.letter import LetterScreen

        app.push_screen(LetterScreen(letter.id))

    def action_letter(self) -> None:
        from paperwork.tui.letter import LetterScreen

        letter_id = self._letter_for(want_draft=False)
        if letter_id is None:
            self.app.say(_("This case has no letter yet. Press d to draft one."))  # type: ignore[attr-defined]
            return
        self.app.push_screen(LetterScreen(letter_id))

    def action_mark_sent(self) -> None:
        letter_id = self._letter_for(want_draft=True)
        if letter_id is None:
            self.app.say(  # type: ignore[attr-defined]
                _("There is no drafted letter waiting to go out. Press d to draft one.")
            )
            return
        self.mark_sent(letter_id)

    @work(exclusive=True, group="case-sent")
    async def mark_sent(self, letter_id: int) -> None:
        await mark_letter_sent(self, letter_id)
        self.load()

    async def _record_from(self, dialog: Any, kind: str, failure: str) -> dict | None:
        """Show ``dialog``; save what it returns as a ``kind`` event on this case.
        Returns the dialog's result once saved (None: cancelled or not saved)."""
        from paperwork.services.events import log_event

        app: Any = self.app
        result = await app.push_screen_wait(dialog)
        if result is None:
            return None
        try:
            await app.backend.call(
                lambda pw: log_event(pw, self.case_id, kind, result["on"], result["data"])
            )
        except Exception as exc:
            app.report(exc, failure)
            return None
        return result

    @work(exclusive=True, group="case-call")
    async def action_log_call(self) -> None:
        from paperwork.tui.modals import CallModal

        app: Any = self.app
        if await self._record_from(CallModal(app.today), "call", _("Could not save the call")):
            app.say(_("Call saved."))
            self.load()

    @work(exclusive=True, group="case-reply")
    async def action_log_reply(self) -> None:
        from paperwork.tui.modals import ReplyModal

        app: Any = self.app
        result = await self._record_from(
            ReplyModal(app.today), "response", _("Could not save the reply")
        )
        if result is None:
            return
        app.say(
            _("Reply saved. The case is closed: well done.")
            if result["data"]["resolved"]
            else _("Reply saved.")
        )
        self.load()

    @work(exclusive=True, group="case-evidence")
    async def action_add_evidence(self) -> None:
        from paperwork.tui.record import EvidenceModal, add_evidence

        app: Any = self.app
        result = await app.push_screen_wait(EvidenceModal(app.today))
        if result is None:
            return
        try:
            title = await app.backend.call(
                add_evidence, self.case_id, result["path"], app.today, result["title"]
            )
        except Exception as exc:
            app.report(exc, _("Could not add the evidence"))
            return
        app.say(_("Kept a copy as evidence: {title}.").format(title=title))
        self.load()

    @work(exclusive=True, group="case-bundle")
    async def action_bundle(self) -> None:
        from paperwork.tui.record import build_bundle

        app: Any = self.app
        app.say(_("Building the bundle…"))
        try:
            path, pages = await app.backend.call(
                build_bundle, self.case_id, app.output_dir, app.today
            )
        except Exception as exc:
            app.report(exc, _("Could not build the bundle"))
            return
        app.say(
            _("Bundle of {pages} pages written to {path} (and a DOCX beside it).").format(
                pages=pages, path=path
            )
        )

    def action_social(self) -> None:
        from paperwork.tui.record import SocialModal

        self.app.push_screen(SocialModal(self.case_id))

    def action_edit(self) -> None:
        from paperwork.tui.case_form import CaseFormScreen

        if self.details is not None:
            self.app.push_screen(CaseFormScreen(self.details.case))

    @on(DataTable.RowSelected, "#timeline")
    def _row_chosen(self) -> None:
        if self._highlighted_letter() is not None:
            self.action_letter()


async def mark_letter_sent(screen: Screen[Any], letter_id: int) -> bool:
    """Ask for the day and channel, then freeze the letter as sent (used by two screens)."""
    from paperwork.tui.modals import SentModal

    from paperwork.services.letters import mark_sent

    app: Any = screen.app

    def describe(pw: Any) -> tuple[str, str, str]:
        from paperwork.services.letters import get_letter

        letter = get_letter(pw, letter_id)
        case = pw.store.case(letter.case_id)
        kind = pw.catalog.get(letter.kind)
        default = {"registered": "registered", "email": "email"}.get(kind.delivery, "post")
        if default == "registered" and case.country == "US":
            default = "certified"  # the US Postal Service's tracked, signed-for mail
        return (
            _("letter {id} ({kind})").format(
                id=letter_id, kind=kind_title(pw, letter.kind, case.locale)
            ),
            letter.status,
            default,
        )

    try:
        label, status, default_via = await app.backend.call(describe)
    except Exception as exc:
        app.report(exc)
        return False
    if status != "draft":
        app.say(_("{letter} is already marked sent.").format(letter=label[:1].upper() + label[1:]))
        return False
    result = await app.push_screen_wait(SentModal(label, app.today, default_via))
    if result is None:
        return False
    try:
        _letter, note = await app.backend.call(
            lambda pw: mark_sent(pw, letter_id, result["on"], result["via"], result["tracking"])
        )
    except Exception as exc:
        app.report(exc, _("Could not mark it sent"))
        return False
    app.say(
        _("Marked sent: {note}.").format(note=note),
        title=label[:1].upper() + label[1:],
        timeout=12,
    )
    return True
