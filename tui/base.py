"""What every Paperwork screen and dialog shares: the app with its real type, and one
way to ask the services that reports a failure once.

Screens subclass :class:`PaperworkScreen`, dialogs :class:`PaperworkModal`; widgets
that need the app mix in :class:`AppAccess`. ``self.app`` is then a
:class:`~paperwork.tui.app.PaperworkApp` for the type checker too, and
``await self.ask(fn, ...)`` runs ``fn(pw, ...)`` on the services thread, showing
any problem as plain lines and returning :data:`FAILED` instead of raising.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import getters
from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

T = TypeVar("T")
R = TypeVar("R")


class Failed(enum.Enum):
    """The answer of :meth:`AppAccess.ask` when the services refused (already reported)."""

    FAILED = "failed"


FAILED = Failed.FAILED


if TYPE_CHECKING:
    from paperwork.tui.backend import Backend

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


class PaperworkScreen(AppAccess, Screen[R]):
    """A full screen of the app."""

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
