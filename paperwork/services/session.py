"""One data folder opened for work: where it is, its settings, store, catalogue and ladders.

Every use case in this package takes a :class:`Paperwork` as its first argument.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from paperwork.core.catalog import Catalog
from paperwork.core.errors import UserError
from paperwork.store.config import Config
from paperwork.store.database import Store
from paperwork.store.home import DB_NAME

if TYPE_CHECKING:
    from paperwork.core.ladder import Ladder


def database_path(home: Path) -> Path:
    """Where a data folder's database is (error messages name it)."""
    return home / DB_NAME


class Paperwork:
    """One data folder and everything a person can do with it."""

    def __init__(self, home: Path):
        self.home = home
        self.config = Config.load(home)
        self._store: Store | None = None
        self._catalog: Catalog | None = None
        self._ladders: dict[str, Ladder] | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.home)
        return self._store

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = Catalog(self.home / "templates")
        return self._catalog

    @property
    def ladders(self) -> dict[str, Ladder]:
        if self._ladders is None:
            # the ladder rules bring the deadline rules and dateutil: loaded when asked for
            from paperwork.core.ladder import LadderError, load_ladders

            try:
                self._ladders = load_ladders(self.home / "ladders")
            except LadderError as exc:
                raise UserError(str(exc)) from None
        return self._ladders

    @property
    def user_regulators(self) -> Path:
        return self.home / "regulators.toml"

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
