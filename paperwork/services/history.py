"""Undo: every change to the store is kept in its history, and the last one can be put back."""

from __future__ import annotations

from paperwork.services.session import Paperwork


def last_change(pw: Paperwork) -> str | None:
    """The last change that undo would revert, in words (None: nothing to undo)."""
    return pw.store.last_change()


def undo(pw: Paperwork) -> str | None:
    """Revert the last change (any record, any letter state); returns what it was."""
    return pw.store.undo()
