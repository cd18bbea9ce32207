"""The printed pages of a letter, shown in the terminal: for a person without a desktop
to check the letter before printing it."""

from __future__ import annotations

from typing import Any, ClassVar

from paperwork.tui.base import FAILED, PaperworkScreen
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from paperwork.core.i18n import N_, _


def page_texts(pw: Any, letter_id: int) -> list[str]:
    """The letter's PDF, as it would print, one text per page laid out as on paper."""
    import io
    import textwrap

    from pypdf import PdfReader

    from paperwork.services.letters import get_letter, render_bytes

    data = render_bytes(pw, get_letter(pw, letter_id), "pdf")
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        text = page.extract_text(extraction_mode="layout")
        # The page's margins and trailing blanks only push the text off the screen.
        lines = [line.rstrip() for line in text.splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        pages.append(textwrap.dedent("\n".join(lines)))
    return pages


class PreviewScreen(PaperworkScreen[None]):
    """One page of the printed letter at a time; PgUp/PgDn (or ←/→) turn the page."""

    TITLE = _("Pages")
    HELP = N_(
        "The letter as it will print, page by page, drawn with letters instead of ink: "
        "the addresses, the date and the text sit where they will on paper. Left and right "
        "(or Page Up and Page Down) turn the page; Escape goes back to the text."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", _("Back"), id="pages.back", tooltip=_("Back to the letter")),
        Binding(
            "right,pagedown",
            "turn(1)",
            _("Next page"),
            id="pages.next",
            tooltip=_("Show the next page"),
        ),
        Binding(
            "left,pageup",
            "turn(-1)",
            _("Previous page"),
            id="pages.previous",
            tooltip=_("Show the previous page"),
        ),
    ]

    def __init__(self, letter_id: int, heading: str):
        super().__init__()
        self.letter_id = letter_id
        self.heading = heading
        self.pages: list[str] = []
        self.page = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="page-scroll"):
            yield Static(_("Laying out the pages…"), id="page", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = self.heading
        self.load()

    @work(exclusive=True, group="pages-load")
    async def load(self) -> None:
        pages = await self.ask(page_texts, self.letter_id, failure=_("Could not lay out the pages"))
        if pages is FAILED:
            return
        self.pages = pages or [""]
        self.show()

    def show(self) -> None:
        self.sub_title = _("{heading} · page {page} of {pages}").format(
            heading=self.heading, page=self.page + 1, pages=len(self.pages)
        )
        self.query_one("#page", Static).update(self.pages[self.page])
        self.query_one("#page-scroll").scroll_home(animate=False)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "turn" and parameters:
            step = int(str(parameters[0]))
            if not 0 <= self.page + step < max(1, len(self.pages)):
                return None
        return True

    def action_turn(self, step: int) -> None:
        if 0 <= self.page + step < len(self.pages):
            self.page += step
            self.show()

    def action_back(self) -> None:
        self.app.pop_screen()
