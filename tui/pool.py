"""The pool in the app: the case's figures on one line, and joining, sharing and leaving.

Self-contained: the case screen takes ``PoolActions`` as a mixin, adds
``POOL_BINDINGS`` to its keys and a ``#case-pool`` line to its head; the app
calls ``sync_at_start`` once. The network never runs on the screen's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from paperwork.tui.base import FAILED, KeyFooter, PaperworkAppBase, PaperworkModal, PaperworkScreen
from paperwork.tui.modals import FormModal
from paperwork.tui.safe_widgets import SafeInput
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from paperwork.core.i18n import _

POOL_BINDINGS: list[BindingType] = [
    Binding(
        "j",
        "pool_join",
        _("Join pool"),
        id="case.pool_join",
        show=False,
        tooltip=_("Join this case to a pool of people pressing the same company"),
    ),
    Binding(
        "u",
        "pool_share",
        _("Share with pool"),
        id="case.pool_share",
        show=False,
        tooltip=_("Send this case's new progress to its pool (nothing personal)"),
    ),
    Binding(
        "J",
        "pool_leave",
        _("Leave pool"),
        id="case.pool_leave",
        show=False,
        tooltip=_("Leave the case's pool, and erase what it shared if you wish"),
    ),
]


def pool_static() -> Static:
    """The case head's pool line, hidden until the case turns out to be in a pool."""
    line = Static("", id="case-pool", markup=False)
    line.display = False
    return line


def pool_line(pw: Any, case_id: int) -> str:
    """The case's pool on one line ("" when it is in none); kept figures, no network."""
    if not (pw.home / "pool.sqlite").exists():
        return ""  # without importing the pool client (the HTTP and e-mail modules): 45 ms
    from paperwork.letters.pool_sentence import count_words
    from paperwork.services.pool import figures, queue

    if queue(pw).membership(case_id) is None:
        return ""
    known = figures(pw, case_id, fetch=False)
    if known is None:
        return _("Pool: joined; no figures yet (u to share and fetch them).")
    stats, k = known.stats, int(known.stats.get("threshold") or 10)
    return _(
        "Pool: {members} members · {letters} letters · {referrals} to the regulator · as of {when}"
    ).format(
        members=count_words(stats.get("members"), k),
        letters=count_words(stats.get("letters_sent"), k),
        referrals=count_words(stats.get("regulator_referrals"), k),
        when=known.as_of_day.isoformat(),
    )


def _share(pw: Any, case_id: int, today: Any) -> str:
    from paperwork.core.i18n import ngettext
    from paperwork.services.pool import share_case

    result = share_case(pw, case_id, today).result
    assert result is not None
    if result.unreachable:
        return ngettext(
            "The pool server does not answer; {n} event waits in the queue (paperwork pool sync).",
            "The pool server does not answer; {n} events wait in the queue (paperwork pool sync).",
            result.waiting,
        ).format(n=result.waiting)
    return ngettext(
        "Shared: {n} new event sent.", "Shared: {n} new events sent.", result.delivered
    ).format(n=result.delivered)


def _join(pw: Any, link: str, case_id: int) -> str:
    from paperwork.services.pool import join_pool

    member = join_pool(pw, link, case_id)
    return _("Case {id} joined pool {pool}. Nothing personal is ever shared.").format(
        id=case_id, pool=member.pool
    )


def _leave(pw: Any, case_id: int, erase: bool) -> str:
    from paperwork.services.pool import leave_pool, leave_words

    return leave_words(case_id, erase, leave_pool(pw, case_id, erase))


class JoinPoolModal(FormModal):
    """Ask for the invite link the pool's organiser sent."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(_("Join a pool"), classes="dialog-title")
            yield Static(
                _(
                    "Only counts leave this computer: letters sent by kind, replies, deadlines"
                    " missed, referrals, cancellations. Never your name, address or case text."
                ),
                classes="hint",
            )
            yield from self.field(
                _("Invite link"),
                SafeInput(id="pool-link"),
                "pool-link",
            )
            yield from self.buttons(_("Join"))
        yield KeyFooter()

    def action_save(self) -> None:
        self.errors_clear()
        link = self.query_one("#pool-link", SafeInput).value.strip()
        if "/j/" not in link:
            self.error("pool-link", _("Paste the whole link, e.g. https://pool.example.org/j/…"))
            return
        self.dismiss(link)


class LeavePoolModal(PaperworkModal[bool | None]):
    """Leave the pool, keeping or erasing what the case shared (centred like every
    dialog; Enter at once keeps the case in its pool)."""

    AUTO_FOCUS = "#cancel"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="dialog.cancel", tooltip=_("Stay in the pool"))
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(_("Leave the pool?"), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Leave"), id="leave", variant="primary")
                yield Button(_("Leave and erase"), id="erase", variant="error")
                yield Button(_("Cancel"), id="cancel")
        yield KeyFooter()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss({"leave": False, "erase": True}.get(event.button.id or ""))

    def action_cancel(self) -> None:
        self.dismiss(None)


class PoolActions(PaperworkScreen[None]):
    """A screen with the pool keys: the case screen takes it as its base (it has
    ``case_id`` and a ``#case-pool`` line made by :func:`pool_static`)."""

    case_id: int
    in_pool = False

    @work(exclusive=True, group="case-pool")
    async def load_pool_line(self) -> None:
        try:
            text = await self.app.backend.call(pool_line, self.case_id)
        except Exception:  # the line is a courtesy: without it the case still shows
            text = ""
        box = self.query_one("#case-pool", Static)
        self.in_pool = bool(text)
        if text or box.display:  # an empty line stays hidden without a new layout
            box.update(text)
            box.display = self.in_pool

    async def _run(self, fn: Callable[..., str], *args: Any) -> None:
        message = await self.ask(fn, *args, failure=_("Pool"))
        if message is FAILED:
            return
        self.app.say(message, title=_("Pool"))
        self.load_pool_line()

    @work(group="case-pool-action")
    async def action_pool_join(self) -> None:
        link = await self.app.push_screen_wait(JoinPoolModal())
        if link:
            await self._run(_join, link, self.case_id)

    @work(group="case-pool-action")
    async def action_pool_share(self) -> None:
        await self._run(_share, self.case_id, self.app.today)

    @work(group="case-pool-action")
    async def action_pool_leave(self) -> None:
        if not self.in_pool:
            self.app.say(_("This case is in no pool; j joins one."))
            return
        erase = await self.app.push_screen_wait(LeavePoolModal())
        if erase is not None:
            await self._run(_leave, self.case_id, erase)


def sync_at_start(app: PaperworkAppBase) -> None:
    """Send what waits in the queue (and what is new) in the background, quietly."""
    if not (app.home / "pool.sqlite").exists():
        return

    def run() -> None:
        from paperwork.services.pool import share_quietly
        from paperwork.services.session import Paperwork

        pw = Paperwork(app.home)  # its own connections: this thread is not the services'
        try:
            share_quietly(pw, None, app.today)
        finally:
            pw.close()

    app.run_worker(run, thread=True, group="pool-sync", exit_on_error=False)
