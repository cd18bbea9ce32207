"""The data folder itself: which folder Paperwork may create or adopt, and whether it
can be written (reads still work in a read-only one)."""

from __future__ import annotations

import os
from pathlib import Path

from paperwork.core.errors import UserError
from paperwork.core.i18n import _

DB_NAME = "paperwork.db"


# What a data folder may hold besides the database: a folder holding only these
# (or nothing) may be adopted as a data folder.
HOME_NAMES = frozenset(
    {
        DB_NAME,
        f"{DB_NAME}-wal",
        f"{DB_NAME}-shm",
        f"{DB_NAME}-journal",
        "config.toml",
        "files",
        "logs",
        "templates",
        "ladders",
        "regulators.toml",
        "letters",
        "outbox",
        "pool.sqlite",
        "pool.sqlite-wal",
        "pool.sqlite-shm",
        "pool.sqlite-journal",
        "pool.db",
    }
)


def read_only_message(home: Path) -> str:
    return _(
        "{home}: the data folder is read-only; nothing was changed. Reading works; to change anything, make the folder writable."
    ).format(home=home)


def check_home(home: Path) -> None:
    """Refuse a data folder that holds someone else's files: Paperwork creates, or
    adopts, only a folder that is missing, empty or already its own (and changes
    nothing in one it refuses)."""
    if not home.exists():
        return
    if not home.is_dir():
        raise UserError(_("{home}: is not a folder; choose a folder for --home.").format(home=home))
    try:
        names = [entry.name for entry in os.scandir(home)]
    except OSError as exc:
        raise UserError(
            _("{home}: cannot be read ({reason}).").format(home=home, reason=exc.strerror or exc)
        ) from None
    if DB_NAME in names or "config.toml" in names:
        return
    strangers = sorted(n for n in names if n not in HOME_NAMES and not n.startswith(f"{DB_NAME}.v"))
    if strangers:
        raise UserError(
            _(
                "{home}: this folder already holds other files ({names}) and no Paperwork data; choose an empty or new folder for --home."
            ).format(
                home=home, names=", ".join(strangers[:3]) + (", …" if len(strangers) > 3 else "")
            )
        )


def folder_writable(folder: Path) -> bool:
    """Whether files can be created in ``folder`` (tried for real: root ignores permission bits)."""
    import tempfile

    if not os.access(folder, os.W_OK):
        return False
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return False
    return True
