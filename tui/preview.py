"""The printed pages of a letter, shown in the terminal: for a person without a desktop
to check the letter before printing it."""

from __future__ import annotations

import re
import textwrap
from typing import Any, ClassVar

from paperwork.tui.base import FAILED, KeyFooter, PaperworkScreen
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from paperwork.core.i18n import N_, _


def page_texts(pw: Any, letter_id: int) -> list[str]:
    """The letter's PDF, as it would print, one text per page laid out as on paper."""
    import io

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


def _segments(line: str) -> list[tuple[int, str]]:
    """A laid-out line as ``(column, text)`` pieces: text more than three spaces apart
    sits in its own column (the date beside the address, the page counter)."""
    return [(m.start(), m.group()) for m in re.finditer(r"\S+(?: {1,3}\S+)*", line)]


def _squeeze(line: str, factor: float, width: int) -> str:
    """One line with each piece moved ``factor`` of the way to the left margin, the
    last one ending by ``width`` if it can, two spaces at least between pieces."""
    pieces = _segments(line)
    places = [round(column * factor) for column, _text in pieces]
    limit = width
    for i in range(len(pieces) - 1, -1, -1):
        places[i] = max(0, min(places[i], limit - len(pieces[i][1])))
        limit = places[i] - 2
    out = ""
    for place, (_column, text) in zip(places, pieces, strict=True):
        out = out.ljust(max(place, len(out) + 2) if out else place) + text
    return out


def fit_page(text: str, width: int) -> str:
    """A page laid out wider than ``width`` columns, made to fit: its columns move in
    proportion, and a paragraph with a line still too long is wrapped again as a
    whole (keeping its indents). A page that fits is left exactly as it is."""
    lines = text.splitlines()
    natural = max((len(line) for line in lines), default=0)
    if natural <= width or width < 20:
        return text
    factor = width / natural
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        squeezed = [_squeeze(line, factor, width) for line in block]
        if all(len(line) <= width for line in squeezed) or any(
            len(_segments(line)) > 1 for line in block
        ):
            out.extend(squeezed)
        else:
            first = squeezed[0][: len(squeezed[0]) - len(squeezed[0].lstrip())]
            rest = squeezed[-1][: len(squeezed[-1]) - len(squeezed[-1].lstrip())]
            out.extend(
                textwrap.wrap(
                    " ".join(line.strip() for line in block),
                    width,
                    initial_indent=first,
                    subsequent_indent=rest if len(block) > 1 else first,
                    break_on_hyphens=False,
                )
            )
        block.clear()

    for line in lines:
        if line.strip():
            block.append(line)
        else:
            if block:
                flush()
            out.append("")
    if block:
        flush()
    return "\n".join(out)


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
            priority=True,  # before the page's own scrolling keys
        ),
        Binding(
            "left,pageup",
            "turn(-1)",
            _("Previous page"),
            id="pages.previous",
            tooltip=_("Show the previous page"),
            priority=True,
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
        yield KeyFooter()

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
        self.query_one("#page", Static).update(fit_page(self.pages[self.page], self._room()))
        self.query_one("#page-scroll").scroll_home(animate=False)
        self.refresh_bindings()

    def _room(self) -> int:
        """How many columns of text the page can show: the screen less the page's
        frame, its padding and the scroll bar."""
        return self.size.width - 9

    def on_resize(self) -> None:
        if self.pages:
            self.show()

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
