"""What every Paperwork screen and dialog shares: the app with its real type, and one
way to ask the services that reports a failure once.

Screens subclass :class:`PaperworkScreen`, dialogs :class:`PaperworkModal`; widgets
that need the app mix in :class:`AppAccess`. ``self.app`` is then a
:class:`~paperwork.tui.app.PaperworkApp` for the type checker too, and
``await self.ask(fn, ...)`` runs ``fn(pw, ...)`` on the services thread, showing
any problem as plain lines and returning :data:`FAILED` instead of raising.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from datetime import date
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, getters, on
from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer
from textual.widgets._footer import FooterKey
from textual.widgets.data_table import Column, ColumnKey, DuplicateKey, Row, RowKey

T = TypeVar("T")
R = TypeVar("R")


class Failed(enum.Enum):
    """The answer of :meth:`AppAccess.ask` when the services refused (already reported)."""

    FAILED = "failed"


FAILED = Failed.FAILED


if TYPE_CHECKING:
    from paperwork.tui.backend import Backend
    from textual.app import ComposeResult

    from paperwork.store.config import Config


class PaperworkAppBase(App[None]):
    """The app as screens and dialogs see it: what of :class:`PaperworkApp`
    (tui/app.py) they use. It lives here, below every screen, so a screen reaches the
    app with its type without importing the module that imports the screens."""

    home: Path
    today: date
    demo: bool
    clock: Callable[[], float]
    backend: Backend
    config: Config
    output_dir: Path
    say: Callable[..., None]
    report: Callable[..., None]
    open_case: Callable[[int], None]
    open_letter: Callable[[int], None]
    edit_case: Callable[..., None]
    action_settings: Callable[[], None]
    action_agenda: Callable[[], None]


class AppAccess:
    """The typed app, and one path from a backend call to an error message."""

    app = getters.app(PaperworkAppBase)

    async def ask(
        self, fn: Callable[..., T], *args: Any, failure: str | None = None, **kwargs: Any
    ) -> T | Failed:
        """``fn(pw, *args, **kwargs)`` on the services thread; on failure the problem is
        shown once (titled ``failure``) and :data:`FAILED` comes back."""
        try:
            return await self.app.backend.call(fn, *args, **kwargs)
        except Exception as exc:
            self.app.report(exc, failure)
            return FAILED

    async def answer(self, asked: Future[T], failure: str | None = None) -> T | Failed:
        """As :meth:`ask`, for a call already made with ``app.backend.submit``."""
        try:
            return await asyncio.wrap_future(asked)
        except Exception as exc:
            self.app.report(exc, failure)
            return FAILED


def ready(asked: Future[T] | None, wait: float = 0.0) -> T | None:
    """The answer of a call made with ``app.backend.submit`` once it is in, waiting up to
    ``wait`` seconds for it; None if it is not in by then, or failed
    (:meth:`AppAccess.answer` then reports it)."""
    if asked is None:
        return None
    try:
        failed = asked.exception(timeout=wait)
    except TimeoutError:
        return None
    return asked.result() if failed is None else None


# How long a screen being opened waits for its data before painting itself empty
# ("Loading…") first. Painting takes longer than most reads (80 ms for the case screen
# on a busy machine), and the services thread reads at half speed meanwhile (the two
# threads share the interpreter), so a short wait shows the content sooner.
OPENING_WAIT = 0.25


class PaperworkScreen(AppAccess, Screen[R]):
    """A full screen of the app."""

    _styled_on_mount = True
    _styled_theme = ""

    @on(events.Mount)
    def _styled(self) -> None:
        self._styled_theme = self.app.theme

    @on(events.ScreenResume)
    def _first_resume(self, event: events.ScreenResume) -> None:
        # Textual styles every widget of a screen again each time it comes to the
        # front. The first time is the moment after mounting, which styled each widget
        # already: 20 % of opening a case. (Handlers run subclass first, Textual's own
        # ScreenResume handler after this one.) A screen built in advance and opened
        # again (restyle_skipped) keeps its styles too, unless the theme changed since.
        theme = self.app.theme
        if self._styled_on_mount and self._styled_theme == theme:
            event.refresh_styles = False
        self._styled_on_mount = False
        self._styled_theme = theme

    def restyle_skipped(self) -> None:
        """Let the next resume keep the widgets' styles: for a screen pushed again to
        show other data, whose widgets are those it had."""
        self._styled_on_mount = True

    def reload(self) -> None:
        """Read again what the screen shows (after undo changed the store)."""


class PaperworkModal(AppAccess, ModalScreen[R]):
    """A dialog over a screen."""


def fit_columns(table: DataTable[Any], width: int, columns: list[tuple[str, int, int]]) -> None:
    """Share ``width`` cells among a table's columns, so none is cut off at 80 columns
    and the text ones grow on a wide terminal: each column is ``(key, least width,
    share of the rest)``; a share of 0 keeps the column at its least width. Call it
    before adding the rows (their heights follow the widths)."""
    padding = 2 * table.cell_padding
    spare = max(0, width - 2 - sum(least + padding for _key, least, _share in columns))
    shares = sum(share for _key, _least, share in columns) or 1
    for key, least, share in columns:
        column = table.columns.get(ColumnKey(key))
        if column is not None:
            column.width = least + spare * share // shares
            column.auto_width = False


class Cell:
    """One cell of a long table: its text and style, made into a :class:`Text` only
    when the table draws it. A case with 600 lines shows about 20 of them; making
    1,800 Text objects up front was a sixth of opening it. ``str(cell)`` is the text."""

    __slots__ = ("plain", "style")

    def __init__(self, plain: str, style: str = ""):
        self.plain = plain
        self.style = style

    @property
    def cell_len(self) -> int:
        return cell_len(self.plain)

    def __rich__(self) -> Text:
        return Text(self.plain, style=self.style)

    def __str__(self) -> str:
        return self.plain


def row_height(
    table: DataTable[Any], cells: Sequence[Text | Cell], columns: Sequence[Column] | None = None
) -> int | None:
    """The lines a row of ``cells`` takes in ``table`` once :func:`fit_columns` has set
    the widths, for ``add_row(height=...)``. DataTable finds an auto height (``None``) by
    rendering every cell of the row; a case with 600 lines spent a second on that. Here
    only a cell too long for its column, or with a line break, is wrapped (the same way
    the table renders it). None if a column sizes itself to its content. ``columns``:
    ``table.ordered_columns``, if the caller has it already."""
    height = 1
    for column, cell in zip(columns or table.ordered_columns, cells, strict=False):
        if column.auto_width:
            return None
        plain = cell.plain
        if (
            plain.isascii()
            and len(plain) <= column.width
            and "\n" not in plain
            and "\t" not in plain
        ):
            continue  # fits on one line: an ASCII character takes one cell at most
        if cell.cell_len > column.width or "\n" in plain or "\t" in plain:
            app = table.app
            options = app.console_options.update_width(column.width)
            height = max(height, len(app.console.render_lines(cell, options, pad=False)))
    return height


class FixedTable(DataTable[Any]):
    """A data table whose columns have set widths (:func:`fit_columns`) and whose rows
    set heights (:func:`row_height`). DataTable measures every cell of every new row for
    the width of its column, even when the column's width is set: 0.2–0.4 s for a case
    with 600 lines. Here new rows are measured only when something uses it."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        new_rows = list(new_rows)
        if not any(column.auto_width for column in self.columns.values()) and not any(
            row.auto_height or row.label is not None
            for row in (self.rows.get(key) for key in new_rows)
            if row is not None
        ):
            new_rows = []  # DataTable then only works out the table's scrollable size
        super()._update_dimensions(new_rows)

    def add_sized_rows(self, rows: Iterable[tuple[Sequence[Text | Cell], str, int | None]]) -> None:
        """``add_row(*cells, key=key, height=height)`` for each row, the cursor put back
        in range once at the end: DataTable does that after every row, which was 40 %
        of filling a case with 600 lines. A height of None is measured by DataTable."""
        columns = self.ordered_columns
        column_keys = [column.key for column in columns]
        was_empty = not self.rows
        # local names: this loop runs once per line of a long case
        locations, data, table_rows, new_rows = (
            self._row_locations,
            self._data,
            self.rows,
            self._new_rows,
        )
        for cells, key, height in rows:
            if height is None:
                self.add_row(*cells, key=key, height=None)
                continue
            row_key = RowKey(key)
            if row_key in table_rows:  # the same keys as the row locations
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(cells) > len(column_keys):
                raise ValueError("More values provided than there are columns.")
            locations[row_key] = len(table_rows)
            data[row_key] = dict(zip_longest(column_keys, cells))
            table_rows[row_key] = Row(row_key, height)
            new_rows.add(row_key)
        # what DataTable.add_row does after each row, here once for them all
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and self.rows and columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self._update_count += 1
        self.check_idle()


class KeyFooter(Footer):
    """The compact footer of every screen, built with the screen and built again only
    when its keys change.

    Textual's footer starts empty, then removes and mounts all its keys on every change
    of focus or bindings, even when they come out the same, and styles each key twice
    (its compact class arrives after mounting). Opening a case cost three to four such
    rebuilds of 60–100 ms each on a busy machine; here the keys are mounted with the
    screen, styled once, and mounted again only when a key, its label or its dimming
    changes."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._shown: tuple[Any, ...] | None = None
        self._rebuild_pending = False

    def _keys(self, screen: Screen[Any]) -> tuple[Any, ...]:
        """What compose shows for ``screen``: every key as it is drawn."""
        app = screen.app
        return tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip or binding.tooltip,
            )
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )

    def compose(self) -> ComposeResult:
        self.set_reactive(Footer._bindings_ready, True)  # the screen's keys are known now
        self._shown = self._keys(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.add_class("-compact", update=False)  # styled once, compact
            yield widget

    async def recompose(self) -> None:
        self._rebuild_pending = False
        await super().recompose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._rebuild_pending or (
            self.is_attached and screen is self.screen and self._keys(screen) == self._shown
        ):
            return  # a rebuild is on its way, or the keys are the ones on show
        super().bindings_changed(screen)
        self._rebuild_pending = bool(
            self.is_attached and screen is self.screen and screen.app.app_focus
        )
