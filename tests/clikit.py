"""Helpers shared by the command-line tests (a module of its own: several folders
have a conftest.py, so ``from conftest import`` would depend on import order)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"


def last_line(text: str) -> str:
    """The last non-empty line of a command's output: where created ids are printed."""
    return text.strip().splitlines()[-1]
